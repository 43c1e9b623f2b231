// The Achievement Summary Report through the test stack's gateway and the real
// edge function (supabase/functions/achievement-summary-report), on the seed's
// declarations (read only: nothing is written). The rows come from
// public.achievement_summary_rows as the caller; the file's declared totals are
// the declarations' payments.
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { signJwt } from '../../../stack/jwt.ts';
import { DECLARATION_TOTAL_LABEL } from '../../../supabase/functions/_shared/achievement-summary.ts';
import { MONEY_FORMAT, toPence } from '../../../supabase/functions/_shared/payment-file.ts';
import { stack } from './helpers.ts';

const sql = postgres(stack.dbUrl, { max: 1, onnotice: () => {} });
afterAll(() => sql.end({ timeout: 5 }));

const id = (prefix: string, n: number) => `${prefix}000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const PERSON = { morgan: id('0b', 6), robin: id('0b', 8), pat: id('0b', 9) };
const DES = id('1a', 3);

async function tokenFor(sub: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return signJwt({ sub, role: 'authenticated', aud: 'authenticated', exp: now + 900 }, stack.jwtSecret);
}

async function download(ids: string[] | string, format: string, who: string | null) {
  const headers: Record<string, string> = { apikey: stack.anonKey };
  if (who) headers.Authorization = `Bearer ${await tokenFor(who)}`;
  const list = Array.isArray(ids) ? ids.join(',') : ids;
  const response = await fetch(`${stack.apiUrl}/functions/v1/achievement-summary-report?declarations=${list}&format=${format}`, { headers });
  return { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) };
}

/** The seed's declaration of a practice on 30/09/2025. */
async function declaration(ods: string): Promise<{ id: string; payment: string; points: string; status: string }> {
  const [row] = await sql<{ id: string; payment: string; points: string; status: string }[]>`
    select d.id, d.payment::text, d.points::text, d.status::text from public.declarations d join public.organisations o on o.id = d.provider_id
    where o.ods_code = ${ods} and d.service_id = ${DES} and d.achievement_date = '2025-09-30'`;
  if (!row) throw new Error(`the seed has no declaration of ${ods} on 30/09/2025`);
  return row;
}

describe('achievement-summary-report', () => {
  it('Morgan downloads the CSV and the XLSX of two declarations; each declared total is the declaration\'s payment', async () => {
    const hillTop = await declaration('ZP1004');
    const westfield = await declaration('ZP1005');
    const csv = await download([hillTop.id, westfield.id], 'csv', PERSON.morgan);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="achievement-summary-2025-09-30.csv"');
    const lines = new TextDecoder().decode(csv.bytes).replace(/^\uFEFF/, '').split('\r\n').filter((l) => l !== '');
    expect(lines[0]!.startsWith('Provider ODS code,Provider name,Service,Achievement date,Declaration status')).toBe(true);
    // Four indicators each, then the declared total.
    expect(lines.map((l) => l.split(',')[0])).toEqual([
      'Provider ODS code', 'ZP1004', 'ZP1004', 'ZP1004', 'ZP1004', DECLARATION_TOTAL_LABEL, 'ZP1005', 'ZP1005', 'ZP1005', 'ZP1005', DECLARATION_TOTAL_LABEL,
    ]);
    const totals = lines.filter((l) => l.startsWith(DECLARATION_TOTAL_LABEL)).map((l) => toPence(l.split(',').at(-1)!, 'total'));
    expect(totals).toEqual([toPence(hillTop.payment, 'Hill Top'), toPence(westfield.payment, 'Westfield')]);

    const xlsx = await download([hillTop.id, westfield.id], 'xlsx', PERSON.morgan);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(xlsx.bytes) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(11);
    const total = sheet.getRow(6);
    expect(total.getCell(1).value).toBe(DECLARATION_TOTAL_LABEL);
    expect(total.getCell(23).numFmt).toBe(MONEY_FORMAT);
    expect(Math.round((total.getCell(23).value as number) * 100)).toBe(toPence(hillTop.payment, 'Hill Top'));
  });

  it('Pat reads Riverside\'s own declaration (waiting for its PCN) but not Hill Top\'s; Robin none; bad requests refused', async () => {
    const riverside = await declaration('ZP1001');
    const hillTop = await declaration('ZP1004');
    const own = await download([riverside.id], 'csv', PERSON.pat);
    expect(own.status).toBe(200);
    expect(new TextDecoder().decode(own.bytes)).toContain('Yes (awaiting network achievement)');
    for (const [ids, who] of [[[hillTop.id], PERSON.pat], [[riverside.id, hillTop.id], PERSON.pat], [[riverside.id], PERSON.robin]] as const) {
      const refused = await download([...ids], 'csv', who);
      expect(refused.status).toBe(404);
      expect(JSON.parse(new TextDecoder().decode(refused.bytes))).toMatchObject({ error: { code: 'declarations_not_found' } });
    }
    expect((await download([riverside.id], 'csv', null)).status).toBe(401);
    const anon = await fetch(`${stack.apiUrl}/functions/v1/achievement-summary-report?declarations=${riverside.id}&format=csv`, {
      headers: { Authorization: `Bearer ${stack.anonKey}` },
    });
    expect(anon.status).toBe(401);
    expect((await download([riverside.id], 'pdf', PERSON.pat)).status).toBe(400);
    expect((await download('not-a-declaration', 'csv', PERSON.pat)).status).toBe(400);
    expect((await download('', 'csv', PERSON.pat)).status).toBe(400);
    expect((await download([randomUUID()], 'csv', PERSON.pat)).status).toBe(404);
  });
});
