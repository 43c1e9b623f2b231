// Imported by exceljs.ts before exceljs itself (module order matters): exceljs's
// Node build loads unzipper → fstream, which calls process.umask() when it is
// loaded. Under Deno that needs --allow-sys, which the functions host does not
// grant (and hosted Edge Functions may not either), so under Deno umask answers
// the usual 0o022 without asking the system. Node is left alone.
import process from 'node:process';

if ('Deno' in globalThis) {
  (process as unknown as { umask: () => number }).umask = () => 0o022;
}
