// Shared helpers for the SQL-level tests (tests/db). They talk to the stack's
// Postgres directly; nothing here needs the gateway.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, inject } from 'vitest';
import { projectRoot } from '../../stack/config.ts';
import type { TestStack } from '../setup/stack-env.ts';

export const stack: TestStack = inject('stack');

const clients: postgres.Sql[] = [];

/** A client for `url` (default: the test database as superuser), closed after the file. */
export function connect(url = stack.dbUrl, options: postgres.Options<Record<string, postgres.PostgresType>> = {}): postgres.Sql {
  const sql = postgres(url, { max: 2, onnotice: () => {}, ...options });
  clients.push(sql);
  return sql;
}

const scratchDatabases: string[] = [];

afterAll(async () => {
  await Promise.all(clients.splice(0).map((sql) => sql.end({ timeout: 5 })));
  if (scratchDatabases.length > 0) {
    const admin = postgres(stack.dbUrl, { max: 1, onnotice: () => {} });
    try {
      for (const name of scratchDatabases.splice(0)) await admin.unsafe(`drop database if exists ${name} with (force)`);
    } finally {
      await admin.end({ timeout: 5 });
    }
  }
});

/** The test database URL as another login role (the bootstrap gives them password 'postgres'). */
export function urlAs(user: string, password = 'postgres', url = stack.dbUrl): string {
  const parsed = new URL(url);
  parsed.username = user;
  parsed.password = password;
  return parsed.toString();
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

const ROLLBACK = Symbol('rollback');

/** Run `fn` in a transaction that is always rolled back; returns what `fn` returned. */
export async function rolledBack<T>(sql: postgres.Sql, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  let result: T | undefined;
  try {
    await sql.begin(async (tx) => {
      result = await fn(tx);
      throw ROLLBACK;
    });
  } catch (error) {
    if (error !== ROLLBACK) throw error;
  }
  return result as T;
}

/**
 * Act as an API request does: switch to `role` and expose `claims` as
 * `request.jwt.claims`, transaction-locally (like the gateway / PostgREST).
 */
export async function actAs(tx: postgres.TransactionSql, role: string, claims: Record<string, unknown> = { role }): Promise<void> {
  await tx`select set_config('role', ${role}, true), set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
}

/** A new empty database in the test cluster (from template1); dropped after the file. */
export async function scratchDatabase(label: string): Promise<{ name: string; url: string }> {
  const name = `scratch_${label}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(stack.dbUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  scratchDatabases.push(name);
  return { name, url: withDatabase(stack.dbUrl, name) };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Run the real Supabase CLI (node_modules/.bin/supabase); resolves with its exit code and output. */
export function supabaseCli(args: string[], cwd = projectRoot): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      path.join(projectRoot, 'node_modules', '.bin', 'supabase'),
      args,
      { cwd, env: { ...process.env, SUPABASE_TELEMETRY_DISABLED: '1' }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Local Postgres has no TLS; tell the CLI so it does not warn about falling back. */
export function cliDbUrl(url: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('sslmode', 'disable');
  return parsed.toString();
}
