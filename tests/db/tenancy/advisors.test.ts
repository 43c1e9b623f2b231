// Supabase's database advisors (the real CLI: `supabase db advisors`, the
// same security and performance lints the dashboard shows) find nothing at
// WARN or ERROR level on a database built from the migrations and the seed.
// A database of its own: the shared test database also holds other suites'
// fixtures.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../stack/config.ts';
import { bootstrapDatabase } from '../../../stack/db/bootstrap.ts';
import { applyMigrations } from '../../../stack/db/migrate.ts';
import { cliDbUrl, scratchDatabase, supabaseCli } from '../helpers.ts';

describe('supabase db advisors', () => {
  it('reports no ERROR or WARN (security and performance)', async () => {
    const scratch = await scratchDatabase('advisors');
    await bootstrapDatabase(scratch.url);
    const migrated = await applyMigrations(scratch.url, {
      migrationsDir: path.join(projectRoot, 'supabase', 'migrations'),
      seedPath: path.join(projectRoot, 'supabase', 'seed.sql'),
    });
    expect(migrated.seeded).toBe(true);

    const result = await supabaseCli(['db', 'advisors', `--remote=${cliDbUrl(scratch.url)}`, '--type', 'all', '--level', 'warn', '--fail-on', 'warn']);
    const output = result.stdout + result.stderr;
    expect(output).not.toMatch(/"level":\s*"(WARN|ERROR)"/);
    expect(output).toContain('No issues found');
    expect(result.code, output).toBe(0);

    // The control: the same command does report findings when there are some.
    const info = await supabaseCli(['db', 'advisors', `--remote=${cliDbUrl(scratch.url)}`, '--type', 'all', '--level', 'info']);
    expect(info.stdout + info.stderr).toMatch(/"level":\s*"INFO"/);
  }, 180_000);
});
