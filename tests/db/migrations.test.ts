// The migration runner agrees with the Supabase CLI: same history rows (so the
// real CLI sees nothing to push), same statement splitting; a failing
// migration names file, line and the Postgres message; the seed runs once.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../stack/config.ts';
import { bootstrapDatabase } from '../../stack/db/bootstrap.ts';
import { applyMigrations, listMigrationFiles, MigrationError, splitStatements } from '../../stack/db/migrate.ts';
import { cliDbUrl, connect, scratchDatabase, stack, supabaseCli } from './helpers.ts';

let workdir: string;

beforeAll(async () => {
  workdir = await fs.mkdtemp(path.join(os.tmpdir(), 'commissioning-migrations-test-'));
});

afterAll(async () => {
  await fs.rm(workdir, { recursive: true, force: true });
});

/** A throw-away project directory the CLI accepts: supabase/config.toml, the email templates it names, and the given migrations. */
async function makeProject(name: string, migrations: Record<string, string>): Promise<string> {
  const dir = path.join(workdir, name);
  await fs.mkdir(path.join(dir, 'supabase', 'migrations'), { recursive: true });
  await fs.copyFile(path.join(projectRoot, 'supabase', 'config.toml'), path.join(dir, 'supabase', 'config.toml'));
  // The CLI refuses a config.toml whose content_path files are missing.
  await fs.cp(path.join(projectRoot, 'supabase', 'templates'), path.join(dir, 'supabase', 'templates'), { recursive: true });
  for (const [file, text] of Object.entries(migrations)) {
    await fs.writeFile(path.join(dir, 'supabase', 'migrations', file), text);
  }
  return dir;
}

describe('the Supabase CLI sees the local history as its own', () => {
  it('`db push --dry-run` against the test database has nothing to push', async () => {
    const result = await supabaseCli(['db', 'push', '--db-url', cliDbUrl(stack.dbUrl), '--dry-run']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).toContain('Remote database is up to date.');
    expect(result.stdout + result.stderr).not.toContain('Would push');
  });

  it('`migration list` shows every local migration as applied remotely', async () => {
    const result = await supabaseCli(['migration', 'list', '--db-url', cliDbUrl(stack.dbUrl)]);
    expect(result.code, result.stderr).toBe(0);
    const local = await listMigrationFiles(path.join(projectRoot, 'supabase', 'migrations'));
    expect(local.length).toBeGreaterThan(0);
    for (const file of local) {
      // A row reads `version | version | time` when both sides have it.
      expect(result.stdout).toMatch(new RegExp(`${file.version}\\W+\\|\\W+${file.version}`));
    }
  });

  it('… whereas a database without the history would get every migration pushed (control)', async () => {
    const scratch = await scratchDatabase('nohistory');
    await bootstrapDatabase(scratch.url);
    const result = await supabaseCli(['db', 'push', '--db-url', cliDbUrl(scratch.url), '--dry-run']);
    expect(result.code, result.stderr).toBe(0);
    const output = result.stdout + result.stderr;
    expect(output).toContain('Would push these migrations');
    for (const file of await listMigrationFiles(path.join(projectRoot, 'supabase', 'migrations'))) {
      expect(output).toContain(path.basename(file.path));
    }
  });

  it('records version, name and statements exactly as `supabase db push` does', async () => {
    // Everything that moves a statement boundary: comments with semicolons,
    // nested block comments, quoted semicolons and identifiers, dollar quotes,
    // BEGIN ATOMIC, a parenthesised rule body, doubled `;`, multi-byte text,
    // and a comment after the last statement.
    const tricky = [
      '-- Leading comment; it has a semicolon',
      'create table public.tricky_items (',
      '  id int primary key,',
      "  label text not null default 'a;b', -- a quoted semicolon",
      '  "weird;name" text',
      ');',
      '',
      '/* a block comment ; with /* a nested ; */ still comment ; */',
      "insert into public.tricky_items (id, label, \"weird;name\") values (1, 'it''s; fine', 'x');",
      '',
      'create function public.tricky_fn() returns text language plpgsql as $body$',
      'begin',
      '  -- semicolons inside a dollar-quoted body;',
      "  return 'done; really';",
      'end;',
      '$body$;',
      '',
      'create function public.tricky_atomic(a int) returns int language sql',
      'BEGIN  ATOMIC',
      '  select a + 1;',
      'end;',
      '',
      'create rule tricky_rule as on update to public.tricky_items do also (notify tricky_one; notify tricky_two);',
      '',
      "insert into public.tricky_items (id, label) values (2, 'café — naïve ☕ 😀; ok');",
      'select $$dollar ; string$$ as s;;',
      "do $$ begin raise notice 'hi;'; end $$;",
      "comment on table public.tricky_items is 'Items with \"odd\" names; see tests';",
      '-- trailing comment',
      '',
    ].join('\n');
    const files = { '20260101000000_tricky_statements.sql': tricky, '20260101000100_second one.sql': 'select 1;\n' };
    const project = await makeProject('tricky', files);

    const viaCli = await scratchDatabase('viacli');
    const pushed = await supabaseCli(['db', 'push', '--db-url', cliDbUrl(viaCli.url), '--workdir', project, '--yes']);
    expect(pushed.code, pushed.stderr).toBe(0);

    const viaRunner = await scratchDatabase('viarunner');
    const result = await applyMigrations(viaRunner.url, { migrationsDir: path.join(project, 'supabase', 'migrations'), seedPath: null });
    expect(result.applied).toEqual(Object.keys(files));

    const history = (url: string) =>
      connect(url)<{ version: string; name: string; statements: string[] }[]>`
        select version, name, statements from supabase_migrations.schema_migrations order by version`;
    const cliRows = await history(viaCli.url);
    const runnerRows = await history(viaRunner.url);
    expect(cliRows.length).toBe(2);
    expect(cliRows[0]!.statements.length).toBe(10);
    expect(runnerRows).toEqual(cliRows);
    expect(runnerRows[1]).toMatchObject({ version: '20260101000100', name: 'second one' });
    // And the migration did what it says, through the runner too.
    const [items] = await connect(viaRunner.url)<{ labels: string[] }[]>`
      select array_agg(label order by id) as labels from public.tricky_items`;
    expect(items!.labels).toEqual(["it's; fine", 'café — naïve ☕ 😀; ok']);
  });
});

describe('splitStatements', () => {
  const texts = (sql: string) => splitStatements(sql).map((s) => s.text);

  it('cuts at semicolons outside quotes, comments and bodies, and trims', () => {
    expect(texts('select 1;  select 2 ;\n\nselect 3')).toEqual(['select 1', 'select 2', 'select 3']);
    expect(texts("select ';' as a; select \"x;y\" from t;")).toEqual(["select ';' as a", 'select "x;y" from t']);
    expect(texts('select 1; -- done; really\n')).toEqual(['select 1', '-- done; really']);
    expect(texts(';;;')).toEqual([]);
    expect(texts('select $q$ a; b $q$; select 2')).toEqual(['select $q$ a; b $q$', 'select 2']);
  });

  it('keeps a BEGIN ATOMIC body whole, and ends it at the first END', () => {
    const sql = 'create function f() returns int language sql begin atomic select 1; select 2; end; select 3';
    expect(texts(sql)).toEqual(['create function f() returns int language sql begin atomic select 1; select 2; end', 'select 3']);
  });

  it('reports where each statement starts', () => {
    const statements = splitStatements('-- header\n\nselect 1;\n   select\n  2; select 3;');
    expect(statements.map((s) => [s.line, s.column])).toEqual([
      [1, 1],
      [4, 4],
      [5, 6],
    ]);
  });
});

describe('a failing migration', () => {
  const ok = 'create table public.first_ok (id int);\ninsert into public.first_ok values (1);\n';
  const broken = [
    '-- a migration with a mistake on line 8',
    'create table public.made_by_broken (id int);',
    '',
    'insert into public.first_ok',
    '  values (2);',
    '',
    'select id,',
    '       missing_column',
    'from public.first_ok;',
    '',
  ].join('\n');

  it('stops with the file, line, column and Postgres message, and rolls that file back', async () => {
    const project = await makeProject('broken', {
      '20260101000000_ok.sql': ok,
      '20260101000001_broken.sql': broken,
      '20260101000002_never.sql': 'create table public.never_reached (id int);\n',
    });
    const scratch = await scratchDatabase('broken');
    const error = await applyMigrations(scratch.url, { migrationsDir: path.join(project, 'supabase', 'migrations') }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(MigrationError);
    const failure = error as MigrationError;
    expect(failure.file).toBe(path.join(project, 'supabase', 'migrations', '20260101000001_broken.sql'));
    expect(failure.line).toBe(8);
    expect(failure.column).toBe(8);
    expect(failure.pgMessage).toBe('column "missing_column" does not exist');
    expect(failure.code).toBe('42703');
    expect(failure.message).toContain('20260101000001_broken.sql:8:8: column "missing_column" does not exist');

    const db = connect(scratch.url);
    const history = await db<{ version: string }[]>`select version from supabase_migrations.schema_migrations order by 1`;
    expect(history.map((h) => h.version)).toEqual(['20260101000000']);
    const tables = await db<{ tablename: string }[]>`
      select tablename from pg_tables where schemaname = 'public' order by 1`;
    expect(tables.map((t) => t.tablename)).toEqual(['first_ok']);
    const [rows] = await db<{ n: number }[]>`select count(*)::int as n from public.first_ok`;
    expect(rows!.n).toBe(1);
  });

  it('counts characters, not bytes, and lines across statements, for syntax errors too', async () => {
    const migration = [
      "select 'déjà vu 😀' as ok;",
      "select 'naïve 😀', nope from (select 1) as t;",
    ].join('\n');
    const syntax = ['-- line 1', 'create table public.good (id int);', 'create tabel public.bad (id int);'].join('\n');
    const project = await makeProject('positions', { '20260101000000_positions.sql': migration });
    const scratch = await scratchDatabase('positions');
    const error = (await applyMigrations(scratch.url, { migrationsDir: path.join(project, 'supabase', 'migrations') }).catch(
      (caught: unknown) => caught,
    )) as MigrationError;
    expect(error).toBeInstanceOf(MigrationError);
    expect([error.line, error.column, error.pgMessage]).toEqual([2, 19, 'column "nope" does not exist']);

    const syntaxProject = await makeProject('syntax', { '20260101000000_syntax.sql': syntax });
    const syntaxScratch = await scratchDatabase('syntax');
    const syntaxError = (await applyMigrations(syntaxScratch.url, {
      migrationsDir: path.join(syntaxProject, 'supabase', 'migrations'),
    }).catch((caught: unknown) => caught)) as MigrationError;
    expect(syntaxError).toBeInstanceOf(MigrationError);
    expect([syntaxError.line, syntaxError.column, syntaxError.pgMessage]).toEqual([3, 8, 'syntax error at or near "tabel"']);
  });
});

describe('seed', () => {
  it('runs on a database that was never migrated, once, and is recorded like the CLI records it', async () => {
    const project = await makeProject('seeded', {
      '20260101000000_things.sql': 'create table public.things (name text primary key);\n',
    });
    const migrationsDir = path.join(project, 'supabase', 'migrations');
    const seedPath = path.join(project, 'supabase', 'seed.sql');
    await fs.writeFile(seedPath, "insert into public.things values ('seeded');\n");
    const scratch = await scratchDatabase('seed');
    const db = connect(scratch.url);

    const first = await applyMigrations(scratch.url, { migrationsDir, seedPath });
    expect(first).toEqual({ applied: ['20260101000000_things.sql'], seeded: true });

    const again = await applyMigrations(scratch.url, { migrationsDir, seedPath });
    expect(again).toEqual({ applied: [], seeded: false });

    // A later migration does not bring the seed back either.
    await fs.writeFile(path.join(migrationsDir, '20260101000001_more.sql'), 'alter table public.things add column note text;\n');
    const later = await applyMigrations(scratch.url, { migrationsDir, seedPath });
    expect(later).toEqual({ applied: ['20260101000001_more.sql'], seeded: false });

    const rows = await db<{ name: string }[]>`select name from public.things`;
    expect(rows.map((r) => r.name)).toEqual(['seeded']);
    const [seedRow] = await db<{ path: string; hash: string }[]>`select path, hash from supabase_migrations.seed_files`;
    expect(seedRow!.path).toBe(seedPath);
    expect(seedRow!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the test database was seeded from supabase/seed.sql', async () => {
    const [row] = await connect()<{ path: string }[]>`select path from supabase_migrations.seed_files`;
    expect(row).toEqual({ path: 'supabase/seed.sql' });
  });
});
