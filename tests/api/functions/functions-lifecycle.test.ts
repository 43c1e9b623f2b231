// The Deno process over time: reload on file changes, stop(), and no orphan
// when the gateway process itself is killed. Each test uses its own functions
// folder in a temporary directory.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../stack/config.ts';
import { alive, stack, startFunctionsServer, type FunctionsServer } from './helpers.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function functionsFolder(functions: Record<string, string>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'functions-lifecycle-'));
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.writeFile(path.join(dir, 'deno.json'), '{ "nodeModulesDir": "none", "lock": false }\n');
  await fs.writeFile(path.join(dir, 'config.toml'), '[functions.open]\nverify_jwt = false\n');
  for (const [name, source] of Object.entries(functions)) {
    await fs.mkdir(path.join(dir, name), { recursive: true });
    await fs.writeFile(path.join(dir, name, 'index.ts'), source);
  }
  return dir;
}

const replying = (text: string) => `Deno.serve(() => new Response(${JSON.stringify(text)}));\n`;

async function start(dir: string, watch: boolean): Promise<FunctionsServer> {
  const server = await startFunctionsServer({ functionsDir: dir, configFile: path.join(dir, 'config.toml'), watch, allowRead: [] });
  cleanups.push(() => server.close());
  return server;
}

async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('functions host lifecycle', () => {
  it('reloads when a function changes and picks up a new function folder', async () => {
    const dir = await functionsFolder({ open: replying('version 1') });
    const server = await start(dir, true);
    const call = async (name: string) => {
      const response = await fetch(`${server.url}/functions/v1/${name}`, { headers: { authorization: `Bearer ${stack.anonKey}` } });
      return `${response.status} ${await response.text()}`;
    };
    expect(await call('open')).toBe('200 version 1');

    await fs.writeFile(path.join(dir, 'open', 'index.ts'), replying('version 2'));
    expect(await eventually(() => call('open'), (r) => r === '200 version 2')).toBe('200 version 2');

    expect(await call('added')).toMatch(/^404 /);
    await fs.mkdir(path.join(dir, 'added'));
    await fs.writeFile(path.join(dir, 'added', 'index.ts'), replying('new function'));
    expect(await eventually(() => call('added'), (r) => r === '200 new function')).toBe('200 new function');
  }, 60_000);

  it('boots a failed function again on a later request, without restarting the host', async () => {
    const dir = await functionsFolder({
      open: `import { text } from './text.ts';\nDeno.serve(() => new Response(text));\n`,
      other: replying('unaffected'),
    });
    const server = await start(dir, false);
    const pid = server.service.host!.pid;
    const first = await fetch(`${server.url}/functions/v1/open`);
    expect(first.status).toBe(500);
    expect(await first.json()).toMatchObject({ code: 'BOOT_ERROR', message: expect.stringContaining('text.ts') });

    await fs.writeFile(path.join(dir, 'open', 'text.ts'), `export const text = 'healed';\n`);
    const healed = await eventually(
      async () => {
        const response = await fetch(`${server.url}/functions/v1/open`);
        return `${response.status} ${await response.text()}`;
      },
      (r) => r === '200 healed',
    );
    expect(healed).toBe('200 healed');
    expect(server.service.host!.pid).toBe(pid);
    expect(await (await fetch(`${server.url}/functions/v1/other`, { headers: { authorization: `Bearer ${stack.anonKey}` } })).text()).toBe('unaffected');
  }, 60_000);

  it('stop() ends the Deno process; later requests get 503', async () => {
    const dir = await functionsFolder({ open: replying('hi') });
    const server = await start(dir, false);
    const pid = server.service.host!.pid!;
    expect(alive(pid)).toBe(true);
    await server.service.stop();
    expect(alive(pid)).toBe(false);
    const response = await fetch(`${server.url}/functions/v1/open`);
    expect(response.status).toBe(503);
    expect((await response.json()).code).toBe('FUNCTIONS_UNAVAILABLE');
  }, 60_000);

  it('the Deno process exits by itself when the gateway process is killed', async () => {
    const dir = await functionsFolder({ open: replying('hi') });
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'tests/api/functions/support/orphan-child.ts'), dir], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    cleanups.push(async () => {
      child.kill('SIGKILL');
    });
    const pid = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve((JSON.parse(line) as { pid: number }).pid);
      });
      child.once('exit', (code) => reject(new Error(`child exited early (${code}): ${out}`)));
    });
    expect(alive(pid)).toBe(true);
    child.kill('SIGKILL');
    expect(await eventually(async () => alive(pid), (a) => !a, 10_000)).toBe(false);
  }, 60_000);
});
