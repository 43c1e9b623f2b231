// Applies stack/db/bootstrap/*.sql: what hosted Supabase has before the first
// migration (roles, extensions, auth, storage, publication, DDL watch).
// Local only. Runs on every start; each file is applied in its own transaction
// and recorded with its content hash, so an unchanged file is skipped and an
// edited one re-applied (the files are written to be re-runnable).
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';

export const BOOTSTRAP_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bootstrap');

/** Private bookkeeping, never exposed over the API. */
const TRACKING_SCHEMA = '_local_stack';
const TRACKING_TABLE = `${TRACKING_SCHEMA}.bootstrap_files`;
/** Any constant: serialises concurrent bootstraps of the same database. */
const ADVISORY_LOCK_KEY = 5_432_101;

export interface BootstrapResult {
  /** Files executed this time (new or changed). */
  applied: string[];
  /** Files already applied with the same content. */
  skipped: string[];
}

export interface BootstrapOptions {
  /** Directory of `*.sql` files, applied in filename order. Default: stack/db/bootstrap. */
  dir?: string;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export async function bootstrapDatabase(adminUrl: string, options: BootstrapOptions = {}): Promise<BootstrapResult> {
  const dir = options.dir ?? BOOTSTRAP_DIR;
  const names = (await fs.readdir(dir)).filter((name) => name.endsWith('.sql')).sort();
  const result: BootstrapResult = { applied: [], skipped: [] };

  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(${ADVISORY_LOCK_KEY})`;
      await tx.unsafe(`
        create schema if not exists ${TRACKING_SCHEMA};
        revoke all on schema ${TRACKING_SCHEMA} from public;
        create table if not exists ${TRACKING_TABLE} (
          name text primary key,
          sha256 text not null,
          applied_at timestamptz not null default now()
        );
      `);
    });

    for (const name of names) {
      const text = await fs.readFile(path.join(dir, name), 'utf8');
      const hash = sha256(text);
      const done = await sql.begin(async (tx) => {
        await tx`select pg_advisory_xact_lock(${ADVISORY_LOCK_KEY})`;
        const rows = await tx.unsafe<{ sha256: string }[]>(`select sha256 from ${TRACKING_TABLE} where name = $1`, [name]);
        if (rows[0]?.sha256 === hash) return false;
        try {
          // Simple protocol: the whole file as one multi-statement query.
          await tx.unsafe(text);
        } catch (error) {
          const pgError = error as Error & { position?: string };
          const line = pgError.position ? lineOfPosition(text, Number(pgError.position)) : undefined;
          throw new Error(`bootstrap ${name}${line ? `:${line}` : ''}: ${pgError.message}`, { cause: error });
        }
        await tx.unsafe(
          `insert into ${TRACKING_TABLE} (name, sha256) values ($1, $2)
           on conflict (name) do update set sha256 = excluded.sha256, applied_at = now()`,
          [name, hash],
        );
        return true;
      });
      (done ? result.applied : result.skipped).push(name);
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
  return result;
}

/** 1-based line of a 1-based character position (Postgres counts characters, not UTF-16 units). */
function lineOfPosition(text: string, position: number): number {
  let line = 1;
  let seen = 0;
  for (const ch of text) {
    if (++seen >= position) break;
    if (ch === '\n') line++;
  }
  return line;
}
