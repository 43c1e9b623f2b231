// Applies supabase/migrations/*.sql the way the Supabase CLI does, so a local
// database and a hosted one agree on migration history:
//   - files named `<digits>_<name>.sql`, in filename order, only those not yet
//     in supabase_migrations.schema_migrations;
//   - each file split into statements exactly like the CLI's splitter
//     (supabase/cli pkg/parser), each statement sent on its own, the whole file
//     in one transaction together with its history row
//     (version, name, statements);
//   - supabase/seed.sql once, on a database that had no migration history and
//     was never seeded, recorded in supabase_migrations.seed_files like the CLI.
// A failing statement stops everything with file:line, column and the Postgres
// message. Afterwards `NOTIFY pgrst, 'reload schema'`.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import postgres from 'postgres';
import { projectRoot } from '../config.ts';

export const DEFAULT_MIGRATIONS_DIR = path.join(projectRoot, 'supabase', 'migrations');
export const DEFAULT_SEED_PATH = path.join(projectRoot, 'supabase', 'seed.sql');

/** Relative to the working directory when inside it, else absolute. */
function displayPath(file: string, base = process.cwd()): string {
  const relative = path.relative(base, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

// ---------------------------------------------------------------------------
// Statement splitting, compatible with the Supabase CLI.
//
// The CLI scans the file as UTF-8 bytes with a small state machine (ready,
// line comment, block comment, quoted, dollar-quoted, backslash escape,
// parenthesised / BEGIN ATOMIC body) and cuts after every `;` seen in the ready
// state. Each piece keeps its comments; trailing `;`s and surrounding white
// space are trimmed and empty pieces dropped. Two quirks are kept on purpose
// because they change where the cuts fall: the scanner advances one byte at a
// time, so every continuation byte of a multi-byte character is seen as an
// extra U+FFFD; and a parenthesis group ends at the first `)` seen in the ready
// state of its inner state (nesting is not counted), a BEGIN ATOMIC body at
// the first `END` (case-insensitive, even inside a word).

const REPLACEMENT = 0xfffd;

interface Scan {
  /** The whole input. */
  bytes: Buffer;
  /** Where the current statement began. */
  start: number;
  /** One past the byte being examined. */
  end: number;
}

type State =
  | { kind: 'ready' }
  | { kind: 'comment' } // saw '-'
  | { kind: 'block'; depth: number } // saw '/'
  | { kind: 'quote'; delimiter: number; closing: boolean }
  | { kind: 'dollar'; delimiter: Buffer } // inside $tag$…$tag$ or a -- comment (delimiter '\n')
  | { kind: 'tag'; offset: number } // saw '$', maybe a dollar-quote tag
  | { kind: 'escape' }
  | { kind: 'nested'; inner: State; delimiter: Buffer; fold: boolean };

const READY: State = { kind: 'ready' };

function endsWith(scan: Scan, delimiter: Buffer, fold = false): boolean {
  const from = scan.end - delimiter.length;
  if (from < scan.start) return false;
  const window = scan.bytes.subarray(from, scan.end);
  if (!fold) return window.equals(delimiter);
  return window.toString('latin1').toLowerCase() === delimiter.toString('latin1').toLowerCase();
}

function decodeAt(bytes: Buffer, i: number, limit = bytes.length): { rune: number; width: number } {
  const b0 = bytes[i]!;
  if (b0 < 0x80) return { rune: b0, width: 1 };
  const need = b0 >= 0xc2 && b0 <= 0xdf ? 2 : b0 >= 0xe0 && b0 <= 0xef ? 3 : b0 >= 0xf0 && b0 <= 0xf4 ? 4 : 0;
  if (need === 0 || i + need > limit) return { rune: REPLACEMENT, width: 1 };
  let rune = b0 & (need === 2 ? 0x1f : need === 3 ? 0x0f : 0x07);
  for (let k = 1; k < need; k++) {
    const b = bytes[i + k]!;
    if ((b & 0xc0) !== 0x80) return { rune: REPLACEMENT, width: 1 };
    rune = (rune << 6) | (b & 0x3f);
  }
  const min = need === 2 ? 0x80 : need === 3 ? 0x800 : 0x10000;
  if (rune < min || rune > 0x10ffff || (rune >= 0xd800 && rune <= 0xdfff)) return { rune: REPLACEMENT, width: 1 };
  return { rune, width: need };
}

/** The last rune of bytes[from, to), decoded the way Go's utf8.DecodeLastRune does. */
function lastRune(bytes: Buffer, from: number, to: number): number {
  if (to <= from) return REPLACEMENT;
  let i = to - 1;
  while (i > from && to - i < 4 && (bytes[i]! & 0xc0) === 0x80) i--;
  const { rune, width } = decodeAt(bytes, i, to);
  return i + width === to ? rune : REPLACEMENT;
}

const isLetterOrDigit = (rune: number): boolean => /[\p{L}\p{Nd}]/u.test(String.fromCodePoint(rune));
const isIdentifierRune = (rune: number): boolean => rune === 0x5f || rune === 0x24 || isLetterOrDigit(rune);
const isSpace = (rune: number): boolean => /\p{White_Space}/u.test(String.fromCodePoint(rune));

const ATOMIC = Buffer.from('ATOMIC');
const BEGIN = Buffer.from('BEGIN');
const END = Buffer.from('END');
const CLOSE_PAREN = Buffer.from(')');
const NEWLINE = Buffer.from('\n');
const OPEN_COMMENT = Buffer.from('/*');
const CLOSE_COMMENT = Buffer.from('*/');

function asciiEqualFold(bytes: Buffer, from: number, word: Buffer): boolean {
  if (from < 0 || from + word.length > bytes.length) return false;
  return bytes.subarray(from, from + word.length).toString('latin1').toUpperCase() === word.toString('latin1');
}

/** After a 'c'/'C': does the statement so far end in `BEGIN <spaces> ATOMIC`? */
function isBeginAtomic(scan: Scan): boolean {
  const { bytes, start, end } = scan;
  const atomicAt = end - ATOMIC.length;
  if (atomicAt < start || !asciiEqualFold(bytes, atomicAt, ATOMIC)) return false;
  if (atomicAt > start && isIdentifierRune(lastRune(bytes, start, atomicAt))) return false;
  let prefixEnd = atomicAt;
  while (prefixEnd > start) {
    const rune = lastRune(bytes, start, prefixEnd);
    if (!isSpace(rune)) break;
    let width = 1;
    if (rune !== REPLACEMENT) width = Buffer.byteLength(String.fromCodePoint(rune));
    prefixEnd -= width;
  }
  const beginAt = prefixEnd - BEGIN.length;
  if (beginAt < start || !asciiEqualFold(bytes, beginAt, BEGIN)) return false;
  if (beginAt === start) return true;
  return !isIdentifierRune(lastRune(bytes, start, beginAt));
}

/** Returns the next state, or null to cut the statement here. */
function next(state: State, rune: number, scan: Scan): State | null {
  switch (state.kind) {
    case 'ready':
      switch (rune) {
        case 0x24: // $
          return { kind: 'tag', offset: scan.end - 1 };
        case 0x27: // '
        case 0x22: // "
          return { kind: 'quote', delimiter: rune, closing: false };
        case 0x2d: // -
          return { kind: 'comment' };
        case 0x2f: // /
          return { kind: 'block', depth: 0 };
        case 0x5c: // \
          return { kind: 'escape' };
        case 0x3b: // ;
          return null;
        case 0x28: // (
          return { kind: 'nested', inner: READY, delimiter: CLOSE_PAREN, fold: false };
        case 0x63: // c
        case 0x43: // C
          if (isBeginAtomic(scan)) return { kind: 'nested', inner: READY, delimiter: END, fold: true };
          return state;
        default:
          return state;
      }
    case 'comment':
      if (rune === 0x2d) return { kind: 'dollar', delimiter: NEWLINE };
      return next(READY, rune, scan);
    case 'block': {
      if (endsWith(scan, OPEN_COMMENT)) {
        state.depth += 1;
        return state;
      }
      if (state.depth === 0) return next(READY, rune, scan);
      if (endsWith(scan, CLOSE_COMMENT)) {
        state.depth -= 1;
        if (state.depth === 0) return READY;
      }
      return state;
    }
    case 'quote':
      if (state.closing) {
        if (rune === state.delimiter) {
          state.closing = false; // doubled quote: still inside
          return state;
        }
        return next(READY, rune, scan);
      }
      if (rune === state.delimiter) state.closing = true;
      return state;
    case 'dollar':
      return endsWith(scan, state.delimiter) ? READY : state;
    case 'tag':
      if (rune === 0x24) return { kind: 'dollar', delimiter: Buffer.from(scan.bytes.subarray(state.offset, scan.end)) };
      if (rune === 0x5f || isLetterOrDigit(rune)) return state;
      return next(READY, rune, scan);
    case 'escape':
      return READY;
    case 'nested': {
      const inner = next(state.inner, rune, scan);
      if (inner !== null) state.inner = inner;
      if (state.inner.kind === 'ready' && endsWith(scan, state.delimiter, state.fold)) return READY;
      return state;
    }
  }
}

export interface SplitStatement {
  /** The statement as the CLI records and sends it. */
  text: string;
  /** 1-based line in the file where `text` begins. */
  line: number;
  /** 1-based column (in characters) on that line where `text` begins. */
  column: number;
}

const LEADING_SPACE = /^[\p{White_Space}]+/u;
const TRAILING_SPACE = /[\p{White_Space}]+$/u;

/** Split SQL into statements exactly as `supabase db push` / `migration up` do. */
export function splitStatements(sqlText: string | Buffer): SplitStatement[] {
  const bytes = typeof sqlText === 'string' ? Buffer.from(sqlText, 'utf8') : sqlText;
  const statements: SplitStatement[] = [];
  let newlinesBefore = 0; // newlines before the current piece's first byte

  const emit = (from: number, to: number): void => {
    const piece = bytes.subarray(from, to).toString('utf8');
    const withoutSemicolons = piece.replace(/;+$/, '');
    const leading = LEADING_SPACE.exec(withoutSemicolons)?.[0] ?? '';
    const text = withoutSemicolons.slice(leading.length).replace(TRAILING_SPACE, '');
    if (text.length > 0) {
      const textStart = from + Buffer.byteLength(leading);
      const lineStart = textStart === 0 ? 0 : bytes.lastIndexOf(0x0a, textStart - 1) + 1;
      statements.push({
        text,
        line: 1 + newlinesBefore + (leading.match(/\n/g)?.length ?? 0),
        column: 1 + Array.from(bytes.subarray(lineStart, textStart).toString('utf8')).length,
      });
    }
    for (let i = from; i < to; i++) if (bytes[i] === 0x0a) newlinesBefore++;
  };

  let state: State = READY;
  const scan: Scan = { bytes, start: 0, end: 0 };
  for (let i = 0; i < bytes.length; i++) {
    const { rune, width } = decodeAt(bytes, i);
    scan.end = i + width;
    const following = next(state, rune, scan);
    if (following === null) {
      emit(scan.start, scan.end);
      scan.start = scan.end;
      // The CLI resumes scanning right after the ';'.
      i = scan.end - 1;
      state = READY;
    } else {
      state = following;
    }
  }
  if (scan.start < bytes.length) emit(scan.start, bytes.length);
  return statements;
}

// ---------------------------------------------------------------------------
// Migration files

const MIGRATION_FILE = /^([0-9]+)_(.*)\.sql$/;

export interface MigrationFile {
  /** The timestamp prefix, e.g. 20260101120000. */
  version: string;
  /** The rest of the file name without `.sql`. */
  name: string;
  path: string;
}

export async function listMigrationFiles(dir: string): Promise<MigrationFile[]> {
  if (!existsSync(dir)) return [];
  const entries = await fs.readdir(dir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .sort() // byte order, like Go's fs.ReadDir
    .flatMap((file) => {
      const match = MIGRATION_FILE.exec(file);
      return match ? [{ version: match[1]!, name: match[2]!, path: path.join(dir, file) }] : [];
    });
}

export class MigrationError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number | undefined,
    readonly pgMessage: string,
    readonly code: string | undefined,
    details: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}:${line}${column ? `:${column}` : ''}: ${pgMessage}${details}`, options);
    this.name = 'MigrationError';
  }
}

interface PgErrorFields {
  message: string;
  code?: string;
  position?: string;
  detail?: string;
  hint?: string;
  where?: string;
}

function toMigrationError(file: string, statement: SplitStatement, error: unknown): MigrationError {
  const pg = error as PgErrorFields;
  let line = statement.line;
  let column: number | undefined;
  const position = pg.position ? Number(pg.position) : NaN;
  if (Number.isInteger(position) && position > 0) {
    // Postgres counts characters (code points) from 1 within the statement.
    const before = Array.from(statement.text).slice(0, position - 1).join('');
    const lines = before.split('\n');
    line += lines.length - 1;
    const onLastLine = Array.from(lines[lines.length - 1]!).length;
    column = lines.length === 1 ? statement.column + onLastLine : onLastLine + 1;
  }
  const extra = [
    pg.code ? `SQLSTATE ${pg.code}` : undefined,
    pg.detail ? `DETAIL: ${pg.detail}` : undefined,
    pg.hint ? `HINT: ${pg.hint}` : undefined,
    pg.where ? `CONTEXT: ${pg.where}` : undefined,
  ].filter(Boolean);
  return new MigrationError(file, line, column, pg.message, pg.code, extra.length ? `\n  ${extra.join('\n  ')}` : '', {
    cause: error,
  });
}

// ---------------------------------------------------------------------------
// Runner

export interface MigrateOptions {
  /** Default: supabase/migrations. */
  migrationsDir?: string;
  /** Default: supabase/seed.sql; null to never seed. */
  seedPath?: string | null;
  /** Called with a line of progress ("Applying migration …"). Default: silent. */
  log?: (line: string) => void;
}

export interface MigrateResult {
  /** File names applied this time. */
  applied: string[];
  /** True when seed.sql ran this time. */
  seeded: boolean;
}

type Sql = postgres.Sql;

async function ensureHistoryTables(sql: Sql): Promise<void> {
  // The same shape the CLI creates (and in the same idempotent way).
  await sql.unsafe(`
    create schema if not exists supabase_migrations;
    create table if not exists supabase_migrations.schema_migrations (version text not null primary key);
    alter table supabase_migrations.schema_migrations add column if not exists statements text[];
    alter table supabase_migrations.schema_migrations add column if not exists name text;
    create table if not exists supabase_migrations.seed_files (path text not null primary key, hash text not null);
  `);
}

async function runStatements(
  tx: postgres.TransactionSql,
  displayName: string,
  statements: SplitStatement[],
): Promise<void> {
  for (const statement of statements) {
    try {
      // Extended protocol, unnamed statement, no parameters: one statement per
      // message, exactly as the CLI sends them.
      await tx.unsafe(statement.text, [], { prepare: false });
    } catch (error) {
      throw toMigrationError(displayName, statement, error);
    }
  }
}

/**
 * Bring the database at `adminUrl` (superuser) up to date with the migration
 * files; seed a never-migrated database. Throws MigrationError on the first
 * failing statement (that file's transaction is rolled back).
 */
export async function applyMigrations(adminUrl: string, options: MigrateOptions = {}): Promise<MigrateResult> {
  const migrationsDir = options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR;
  const seedPath = options.seedPath === undefined ? DEFAULT_SEED_PATH : options.seedPath;
  const log = options.log ?? (() => {});
  const result: MigrateResult = { applied: [], seeded: false };

  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await ensureHistoryTables(sql);
    const appliedRows = await sql<{ version: string }[]>`select version from supabase_migrations.schema_migrations`;
    const alreadyApplied = new Set(appliedRows.map((row) => row.version));
    const neverMigrated = alreadyApplied.size === 0;

    for (const file of await listMigrationFiles(migrationsDir)) {
      if (alreadyApplied.has(file.version)) continue;
      const displayName = displayPath(file.path);
      const statements = splitStatements(await fs.readFile(file.path));
      log(`Applying migration ${path.basename(file.path)}...`);
      // Like the CLI: forget session settings a previous file may have changed.
      await sql`reset all`;
      await sql.begin(async (tx) => {
        await runStatements(tx, displayName, statements);
        await tx.unsafe(
          'insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3::text[])',
          [file.version, file.name, statements.map((s) => s.text)] as never[],
        );
      });
      result.applied.push(path.basename(file.path));
    }

    if (seedPath && neverMigrated && existsSync(seedPath)) {
      const [{ count } = { count: 0 }] = await sql<{ count: number }[]>`
        select count(*)::int as count from supabase_migrations.seed_files`;
      if (count === 0) {
        const content = await fs.readFile(seedPath);
        // Recorded like the CLI records it: relative to the project, e.g. supabase/seed.sql.
        const relative = displayPath(seedPath, projectRoot);
        const displayName = displayPath(seedPath);
        log(`Seeding data from ${relative}...`);
        await sql`reset all`;
        await sql.begin(async (tx) => {
          await runStatements(tx, displayName, splitStatements(content));
          await tx`
            insert into supabase_migrations.seed_files (path, hash)
            values (${relative}, ${createHash('sha256').update(content).digest('hex')})
            on conflict (path) do update set hash = excluded.hash`;
        });
        result.seeded = true;
      }
    }

    await sql`reset all`;
    await sql`notify pgrst, 'reload schema'`;
  } finally {
    await sql.end({ timeout: 5 });
  }
  return result;
}
