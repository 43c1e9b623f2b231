// A second, small database stack in its own temporary directory and port:
// data survives a stop/start, a restart re-applies nothing (bootstrap tracked,
// migrations recorded, seed not repeated), `fresh` starts over, and a failing
// migration stops start-up without leaving Postgres running.
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapDatabase } from '../../stack/db/bootstrap.ts';
import { applyMigrations, MigrationError } from '../../stack/db/migrate.ts';
import { startPostgres, type RunningPostgres } from '../../stack/db/postgres.ts';
import { startDatabase } from '../../stack/index.ts';
import { freePort } from './helpers.ts';

let dataDir: string;
let port: number;
const running: RunningPostgres[] = [];

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'commissioning-restart-test-'));
  port = await freePort();
});

afterAll(async () => {
  await Promise.all(running.map((pg) => pg.stop()));
  await fs.rm(dataDir, { recursive: true, force: true });
});

async function start(fresh: boolean) {
  const pg = await startPostgres({ dataDir, dbPort: port, host: '127.0.0.1', fresh });
  running.push(pg);
  const bootstrap = await bootstrapDatabase(pg.adminUrl);
  const migrations = await applyMigrations(pg.adminUrl);
  return { pg, bootstrap, migrations };
}

async function query<T extends Record<string, unknown>>(url: string, text: string): Promise<T[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return (await sql.unsafe(text)) as unknown as T[];
  } finally {
    await sql.end({ timeout: 5 });
  }
}

function portIsFree(candidate: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(candidate, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

describe('restarting a stack', () => {
  it('keeps data, and a restart applies nothing again', async () => {
    const first = await start(true);
    expect(first.pg.initialised).toBe(true);
    expect(first.pg.pgdata).toBe(path.join(dataDir, 'pgdata'));
    expect(first.bootstrap.applied.length).toBeGreaterThan(0);
    expect(first.migrations.seeded).toBe(true);
    expect(first.migrations.applied.length).toBeGreaterThan(0);

    await query(first.pg.adminUrl, `create table public.restart_probe (note text); insert into public.restart_probe values ('still here')`);
    const [{ n: organisations } = { n: -1 }] = await query<{ n: number }>(first.pg.adminUrl, 'select count(*)::int as n from public.organisations');
    await first.pg.stop();
    expect(await portIsFree(port)).toBe(true);

    const second = await start(false);
    expect(second.pg.initialised).toBe(false);
    expect(second.bootstrap.applied).toEqual([]);
    expect(second.bootstrap.skipped).toEqual(first.bootstrap.applied);
    expect(second.migrations).toEqual({ applied: [], seeded: false });
    expect(await query(second.pg.adminUrl, 'select note from public.restart_probe')).toEqual([{ note: 'still here' }]);
    expect(await query(second.pg.adminUrl, 'select count(*)::int as n from public.organisations')).toEqual([{ n: organisations }]);
    await second.pg.stop();

    const third = await start(true);
    expect(third.pg.initialised).toBe(true);
    expect(third.migrations.seeded).toBe(true);
    const probe = await query<{ t: string | null }>(third.pg.adminUrl, "select to_regclass('public.restart_probe')::text as t");
    expect(probe).toEqual([{ t: null }]);
    await third.pg.stop();
  });

  it('reports a port that is already taken, with the Postgres log', async () => {
    // Holds the port; hangs up on anyone who connects.
    const blocker = net.createServer((socket) => socket.destroy());
    const blockedPort = await freePort();
    await new Promise<void>((resolve) => blocker.listen(blockedPort, '127.0.0.1', resolve));
    const otherDir = await fs.mkdtemp(path.join(os.tmpdir(), 'commissioning-blocked-test-'));
    try {
      const error = await startPostgres({ dataDir: otherDir, dbPort: blockedPort, host: '127.0.0.1', fresh: true }).then(
        (pg) => {
          running.push(pg);
          return undefined;
        },
        (caught: unknown) => caught as Error,
      );
      expect(error?.message).toContain(`Postgres failed to start on 127.0.0.1:${blockedPort}`);
      expect(error?.message).toMatch(/could not bind|could not create any TCP\/IP sockets/);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
      await fs.rm(otherDir, { recursive: true, force: true });
    }
  });

  it('a failing migration stops start-up and leaves no Postgres running', async () => {
    const migrationsDir = await fs.mkdtemp(path.join(os.tmpdir(), 'commissioning-failing-start-'));
    const otherDir = await fs.mkdtemp(path.join(os.tmpdir(), 'commissioning-failing-data-'));
    const otherPort = await freePort();
    try {
      await fs.writeFile(path.join(migrationsDir, '20260101000000_bad.sql'), '\n\nselect * from no_such_table;\n');
      const error = await startDatabase(
        { dataDir: otherDir, dbPort: otherPort, host: '127.0.0.1', fresh: true },
        { migrationsDir, seedPath: null },
      ).then(
        async (db) => {
          await db.stop();
          return undefined;
        },
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as MigrationError).message).toContain('20260101000000_bad.sql:3:15: relation "no_such_table" does not exist');
      expect(await portIsFree(otherPort)).toBe(true);
    } finally {
      await fs.rm(migrationsDir, { recursive: true, force: true });
      await fs.rm(otherDir, { recursive: true, force: true });
    }
  });
});
