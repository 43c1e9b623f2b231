// Keeps `npm ci` working on a clean clone. The npm registry reachable here
// serves some platform packages of the Supabase CLI only for linux-x64, so
// `npm install` writes a package-lock.json without entries for the others, and
// `npm ci` then refuses the lock ("Missing: @supabase/cli-darwin-arm64@ from
// lock file"). This adds an entry (version, os, cpu; nothing to download) for
// each missing optional platform package of a locked package. Run it after any
// `npm install` that rewrites the lock: `npm run lock:platforms`.
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config.ts';

interface LockEntry {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  os?: string[];
  cpu?: string[];
  optionalDependencies?: Record<string, string>;
}

/** os/cpu from a platform package name such as `@supabase/cli-darwin-arm64` or `@deno/win32-x64`. */
function platformOf(name: string): { os: string; cpu: string } | undefined {
  const match = /(darwin|linux|windows|win32)-(arm64|x64)(?:-(?:musl|glibc))?$/.exec(name);
  if (!match) return undefined;
  return { os: match[1] === 'windows' ? 'win32' : match[1]!, cpu: match[2]! };
}

const lockPath = path.join(projectRoot, 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as { packages: Record<string, LockEntry> };
const added: string[] = [];
for (const [key, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const target = `node_modules/${name}`;
    const platform = platformOf(name);
    if (lock.packages[target] || !platform) continue;
    lock.packages[target] = { version, ...(entry.dev ? { dev: true } : {}), optional: true, os: [platform.os], cpu: [platform.cpu] };
    added.push(`${name}@${version} (for ${key.replace(/^node_modules\//, '')})`);
  }
}
if (added.length > 0) {
  const sorted = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
  lock.packages = sorted;
  fs.writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
}
console.log(added.length ? `Added lock entries:\n  ${added.join('\n  ')}` : 'package-lock.json already lists every platform package.');
