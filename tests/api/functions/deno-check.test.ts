// Type-check the edge functions with Deno itself (`deno check`), the way the
// Supabase CLI's bundler sees them: the Node project's tsc never looks at
// supabase/functions. Also checks the host script and the test functions.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../stack/config.ts';
import { denoBaseEnvironment, denoCacheDir, denoExecutable } from '../../../stack/gateway/functions/deno.ts';
import { FIXTURES_DIR } from './helpers.ts';

function modules(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

function denoCheck(cwd: string, files: string[], extra: string[] = []) {
  const result = spawnSync(denoExecutable(), ['check', ...extra, ...files], {
    cwd,
    env: denoBaseEnvironment(denoCacheDir()),
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}${result.error ? String(result.error) : ''}` };
}

describe('deno check', () => {
  it('accepts every product function and shared module in supabase/functions', () => {
    const dir = path.join(projectRoot, 'supabase', 'functions');
    const { status, output } = denoCheck(dir, modules(dir));
    expect(output).not.toMatch(/TS\d{4}|^error:/m);
    expect(status).toBe(0);
  }, 130_000);

  it('accepts the functions host and the test functions', () => {
    const host = path.join(projectRoot, 'stack', 'gateway', 'functions', 'host.ts');
    const hostResult = denoCheck(path.dirname(host), [host], ['--no-config']);
    expect(hostResult.output).not.toMatch(/TS\d{4}|^error:/m);
    expect(hostResult.status).toBe(0);
    const fixtures = denoCheck(FIXTURES_DIR, modules(FIXTURES_DIR));
    expect(fixtures.output).not.toMatch(/TS\d{4}|^error:/m);
    expect(fixtures.status).toBe(0);
  }, 130_000);
});
