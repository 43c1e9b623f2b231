// Global setup of the vitest `stack` project (tests/db, tests/api, tests/e2e):
// one fresh local stack for the whole run, on its own ports (API 55421,
// Postgres 55422; STACK_TEST_API_PORT / STACK_TEST_DB_PORT override) and in a
// new temporary data directory, so it never touches a developer's running
// stack or `.stack/`.
//
//   startStack (Postgres → bootstrap → migrations + seed → gateway)
//   → tests/api/fixtures/*.sql as superuser (sorted; none is fine)
//   → gateway schema-cache reload
//   → provide('stack', TestStack)
// Teardown stops the stack and deletes the directory.
//
// The whole project depends on the gateway (stack/gateway/server.ts) starting:
// if startGateway throws, every file in the project fails with that error.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { loadStackConfig, projectRoot } from '../../stack/config.ts';
import { startStack, type RunningStack } from '../../stack/index.ts';
import type { TestStack } from './stack-env.ts';

/** Fixed test ports; overridable so two checkouts (or runs) can test side by side. */
function port(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw ? Number(raw) : fallback;
  if (!Number.isInteger(value) || value <= 0 || value > 65535) throw new Error(`${name} must be a port number, got "${raw}"`);
  return value;
}
const TEST_API_PORT = port('STACK_TEST_API_PORT', 55421);
const TEST_DB_PORT = port('STACK_TEST_DB_PORT', 55422);
const FIXTURES_DIR = path.join(projectRoot, 'tests', 'api', 'fixtures');

async function applyFixtures(dbUrl: string): Promise<string[]> {
  const names = (await fs.readdir(FIXTURES_DIR).catch(() => [] as string[])).filter((name) => name.endsWith('.sql')).sort();
  if (names.length === 0) return names;
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
  try {
    for (const name of names) {
      const text = await fs.readFile(path.join(FIXTURES_DIR, name), 'utf8');
      try {
        await sql.begin((tx) => tx.unsafe(text));
      } catch (error) {
        throw new Error(`test fixture tests/api/fixtures/${name}: ${(error as Error).message}`, { cause: error });
      }
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
  return names;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'commissioning-test-stack-'));
  const exposedSchemas = [...new Set([...loadStackConfig().exposedSchemas, 'conformance'])];
  let stack: RunningStack | undefined;
  try {
    stack = await startStack({
      dataDir,
      apiPort: TEST_API_PORT,
      dbPort: TEST_DB_PORT,
      fresh: true,
      exposedSchemas,
      // The tests play the proxy: each test client names its own address in X-Forwarded-For,
      // so suites running side by side do not share one rate-limit budget.
      trustedProxies: ['127.0.0.1'],
    });
    await applyFixtures(stack.dbUrl);
    await stack.reloadSchema();
  } catch (error) {
    await stack?.stop().catch(() => {});
    await fs.rm(dataDir, { recursive: true, force: true });
    throw error;
  }

  const provided: TestStack = {
    apiUrl: stack.apiUrl,
    anonKey: stack.keys.anonKey,
    serviceRoleKey: stack.keys.serviceRoleKey,
    dbUrl: stack.dbUrl,
    jwtSecret: stack.config.jwtSecret,
  };
  project.provide('stack', provided);

  const running = stack;
  return async () => {
    try {
      await running.stop();
    } finally {
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  };
}
