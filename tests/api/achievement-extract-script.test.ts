// scripts/load-achievement-extract.ts: the CSV becomes the load functions'
// rows; run against the test stack (service role), a refused file loads nothing.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../stack/config.ts';
import { parseCsv, rowsFromCsv } from '../../scripts/load-achievement-extract.ts';
import { stack } from './functions/helpers.ts';

const run = promisify(execFile);
const sql = postgres(stack.dbUrl, { max: 1, onnotice: () => {} });
const DES = '1a000000-0000-4000-8000-000000000003';
const ZP1005 = '0a000000-0000-4000-8000-000000001005';

afterAll(async () => {
  await sql.begin(async (tx) => {
    await tx`select set_config('app.action', 'test', true)`;
    await tx`delete from public.list_sizes where organisation_id = ${ZP1005} and effective_from >= '2027-01-01'`;
  });
  await sql.end({ timeout: 5 });
});

async function script(csv: string): Promise<{ code: number; out: string }> {
  const file = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'extract-')), 'rows.csv');
  await fs.writeFile(file, csv);
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/load-achievement-extract.ts', file], {
      cwd: projectRoot,
      env: { ...process.env, SUPABASE_URL: stack.apiUrl, SUPABASE_SERVICE_ROLE_KEY: stack.serviceRoleKey },
    });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe('load-achievement-extract CSV', () => {
  it('parses quoted fields and tells the kind by the header', () => {
    expect(parseCsv('a,"b ""x"", c",d\r\n1,2,3\n')).toEqual([['a', 'b "x", c', 'd'], ['1', '2', '3']]);
    expect(rowsFromCsv('ods_code,achievement_date,indicator_code,numerator,denominator,count\nZP1001,2025-06-30,ACC-08,86,97,\n', DES)).toEqual({
      kind: 'extract',
      rows: [{ ods_code: 'ZP1001', service_id: DES, achievement_date: '2025-06-30', indicator_code: 'ACC-08', numerator: 86, denominator: 97, count: null }],
    });
    expect(rowsFromCsv('ods_code,effective_from,list_size\nZP1001,2025-04-01,9800\n')).toEqual({
      kind: 'list_sizes',
      rows: [{ ods_code: 'ZP1001', effective_from: '2025-04-01', list_size: 9800 }],
    });
    expect(() => rowsFromCsv('ods,when\n')).toThrow(/Unrecognised header/);
    // Without --service the extract needs its service_id column.
    expect(() => rowsFromCsv('ods_code,achievement_date,indicator_code,numerator,denominator,count\n')).toThrow(/Unrecognised header/);
  });

  it('loads list sizes through the service role; a bad file loads nothing and says which row', async () => {
    expect(await script('ods_code,effective_from,list_size\nZP1005,2027-01-01,9000\nZP1005,2027-02-01,9100\n')).toEqual({
      code: 0,
      out: '2 row(s): 2 list size(s) added or changed.\n',
    });
    const refused = await script('ods_code,effective_from,list_size\nZP1005,2027-03-01,9200\nZP1005,2027-04-01,0\n');
    expect(refused.code).toBe(1);
    expect(refused.out).toBe('2 row(s) not loaded: Row 2: the list size must be a whole number above 0.\n');
    const rows = await sql`select effective_from::text, list_size from public.list_sizes where organisation_id = ${ZP1005} and effective_from >= '2027-01-01' order by 1`;
    expect(rows).toEqual([{ effective_from: '2027-01-01', list_size: 9000 }, { effective_from: '2027-02-01', list_size: 9100 }]);
  });
});
