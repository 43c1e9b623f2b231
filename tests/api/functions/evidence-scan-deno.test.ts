// The evidence scanner under real Deno, as the edge functions will run it:
// supabase/functions/_shared/evidence-scan.ts imported with the functions'
// deno.json (bare specifiers mapped to npm:) and their deno.lock (--frozen: the
// lock must already hold every package). Deno's verdicts must equal Node's for
// the same files, so the unit tests' findings hold for the functions too.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../stack/config.ts';
import { denoBaseEnvironment, denoCacheDir, denoExecutable } from '../../../stack/gateway/functions/deno.ts';
import { createBuiltInScanner, type EvidenceVerdict } from '../../../supabase/functions/_shared/evidence-scan.ts';
import { cleanDocx, cleanPdf, cleanXlsx, docxWithNhsNumber, eicarFile, legacyDoc, macroDocx, pdfWithJavaScript, type EvidenceSample } from '../../shared/evidence-files.ts';

const functionsDir = path.join(projectRoot, 'supabase', 'functions');
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'evidence-scan-deno-'));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

// Reads [{name, type, base64}] on stdin, prints [{name, ...verdict}] as JSON.
const SCRIPT = `
import { createBuiltInScanner } from '${pathToFileURL(path.join(functionsDir, '_shared', 'evidence-scan.ts')).href}';
const files: Array<{ name: string; type: string; base64: string }> = JSON.parse(await new Response(Deno.stdin.readable).text());
const scanner = createBuiltInScanner();
const verdicts = [];
for (const file of files) {
  const bytes = Uint8Array.from(atob(file.base64), (char) => char.charCodeAt(0));
  verdicts.push({ name: file.name, ...(await scanner.scan({ name: file.name, declaredType: file.type, bytes })) });
}
console.log(JSON.stringify(verdicts));
`;

function scanUnderDeno(samples: EvidenceSample[]): Array<EvidenceVerdict & { name: string }> {
  const script = path.join(workDir, 'scan.ts');
  fs.writeFileSync(script, SCRIPT);
  const input = JSON.stringify(samples.map((sample) => ({ name: sample.name, type: sample.type, base64: Buffer.from(sample.bytes).toString('base64') })));
  // --allow-env only: file-type's zip reader loads `debug`, which reads the environment
  // (the functions host grants env access too). No file, network or process access.
  const result = spawnSync(
    denoExecutable(),
    ['run', '--config', path.join(functionsDir, 'deno.json'), '--frozen', '--no-prompt', '--allow-env', script],
    { cwd: workDir, env: denoBaseEnvironment(denoCacheDir()), input, encoding: 'utf8', timeout: 120_000 },
  );
  if (result.status !== 0) throw new Error(`deno run failed (${result.status ?? result.signal}): ${result.stderr}${result.error ? String(result.error) : ''}`);
  return JSON.parse(result.stdout) as Array<EvidenceVerdict & { name: string }>;
}

describe('evidence scanner under Deno', () => {
  it('passes a clean PDF and quarantines the EICAR test file, with the same verdicts as under Node', async () => {
    const samples = [cleanPdf(), eicarFile('eicar-test.pdf'), cleanDocx(), cleanXlsx(), legacyDoc(), docxWithNhsNumber(), macroDocx(), pdfWithJavaScript()];
    const denoVerdicts = scanUnderDeno(samples);

    expect(denoVerdicts[0]).toMatchObject({ name: 'evidence.pdf', status: 'clean', reason: null, sniffedType: 'application/pdf' });
    expect(denoVerdicts[1]).toMatchObject({ name: 'eicar-test.pdf', status: 'quarantined', sniffedType: 'application/pdf' });
    expect(denoVerdicts[1]!.reason).toMatch(/^eicar-test\.pdf contains the EICAR anti-malware test signature/);
    expect(denoVerdicts[0]!.sha256).toBe(Buffer.from(await crypto.subtle.digest('SHA-256', new Uint8Array(samples[0]!.bytes))).toString('hex'));

    const scanner = createBuiltInScanner();
    const nodeVerdicts = [];
    for (const sample of samples) nodeVerdicts.push({ name: sample.name, ...(await scanner.scan({ name: sample.name, declaredType: sample.type, bytes: sample.bytes })) });
    expect(denoVerdicts).toEqual(nodeVerdicts);
    expect(denoVerdicts.map((verdict) => verdict.status)).toEqual(['clean', 'quarantined', 'clean', 'clean', 'clean', 'quarantined', 'quarantined', 'quarantined']);
  }, 130_000);
});
