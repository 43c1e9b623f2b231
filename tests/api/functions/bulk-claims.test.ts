// import-bulk-claims, the real function through the test stack's gateway:
// the XLSX template, and uploads of workbooks built here with exceljs.
// Claims are made for Bridge Street (ZP1002) Complex Care Plans Q3 — the
// Storage tests hold Riverside's (ZP1001) Q3 window for a while, so ZP1001 is
// not used here — and each test removes what it made (claims, Tier 2 tasks,
// the import record) at once: other files count notifications.
import ExcelJS from 'exceljs';
import postgres from 'postgres';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { signJwt } from '../../../stack/jwt.ts';
import { stack } from './helpers.ts';

const sql = postgres(stack.dbUrl, { max: 2, onnotice: () => {} });
const id = (prefix: string, n: number) => `${prefix}000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const ZN1 = id('0a', 10);
const ZS1 = id('0a', 20);
const PERSON = { taylor: id('0b', 4), jordan: id('0b', 5), robin: id('0b', 8), pat: id('0b', 9) };
const FUNCTION_URL = `${stack.apiUrl}/functions/v1/import-bulk-claims`;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const HEADERS = ['Provider ODS code', 'Provider name', 'Service', 'Component', 'Kind', 'Period', 'Unit price or amount (£)', 'Units'];
const CARE = 'Complex Care Plans 2025/26';
const Q3 = 'Q3 2025/26';

type ReportRow = { row: number; ods_code: string | null; units: string | null; outcome: string; problems: { rule: string; message: string }[]; claim_number?: number };
type Report = {
  ok: boolean;
  duplicate: boolean;
  created: number;
  message: string;
  import_id?: string;
  rows: ReportRow[];
  claims: { claim_id: string; claim_number: number; provider_ods_code: string; total: number; status: string }[];
};

afterEach(async () => {
  const made = await sql<{ id: string }[]>`select unnest(claim_ids) as id from public.bulk_claim_imports where commissioner_id = ${ZN1}`;
  const ids = made.map((m) => m.id);
  await sql`delete from public.notifications where link = any (${ids.map((claimId) => `/claims/${claimId}`)}::text[])`;
  await sql.begin(async (tx) => {
    await tx`select set_config('app.action', 'test', true)`;
    await tx`delete from public.claims where id = any (${ids}::uuid[])`;
    await tx`delete from public.bulk_claim_imports where commissioner_id = ${ZN1}`;
  });
});

afterAll(async () => {
  await sql.end({ timeout: 5 });
});

async function tokenFor(sub: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return signJwt({ sub, role: 'authenticated', aud: 'authenticated', exp: now + 600 }, stack.jwtSecret);
}

type Cell = ExcelJS.CellValue;

/** A workbook shaped like the template: the header and the given rows (ODS code, service, component, period, units). */
async function workbook(rows: [Cell, Cell, Cell, Cell, Cell][], edit?: (sheet: ExcelJS.Worksheet) => void): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Bulk claims');
  sheet.addRow(HEADERS);
  for (const [ods, service, component, period, units] of rows) sheet.addRow([ods, 'name', service, component, 'Unit', period, null, units]);
  edit?.(sheet);
  return new Uint8Array((await book.xlsx.writeBuffer()) as ArrayBuffer);
}

async function upload(
  body: Uint8Array | FormData,
  { who = 'taylor', commissioner = ZN1, name = 'bulk.xlsx' }: { who?: keyof typeof PERSON | 'anon'; commissioner?: string; name?: string } = {},
): Promise<{ status: number; body: Report & { error?: { code: string; message: string } } }> {
  const token = who === 'anon' ? stack.anonKey : await tokenFor(PERSON[who]);
  const isForm = body instanceof FormData;
  const response = await fetch(`${FUNCTION_URL}?commissioner_id=${commissioner}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, apikey: stack.anonKey, ...(isForm ? {} : { 'Content-Type': XLSX, 'X-File-Name': encodeURIComponent(name) }) },
    body: isForm ? body : Buffer.from(body),
  });
  return { status: response.status, body: (await response.json()) as Report & { error?: { code: string; message: string } } };
}

async function claimsOf(report: Report) {
  return sql`
    select c.claim_number::int as claim_number, c.status::text, c.total::text, c.risk_band::text, c.tier1_approved_by, c.created_by
    from public.claims c where c.id = any (${report.claims.map((c) => c.claim_id)}::uuid[]) order by c.claim_number`;
}

const VALID: [Cell, Cell, Cell, Cell, Cell][] = [
  ['ZP1002', CARE, 'Complex care plan created', Q3, 5],
  ['ZP1002', CARE, 'Care co-ordination retainer', Q3, 1],
];

describe('the template (GET)', () => {
  it('is an XLSX workbook of the providers and components Taylor may claim for in Q3, units empty, with instructions', async () => {
    const response = await fetch(`${FUNCTION_URL}?commissioner_id=${ZN1}&period=${encodeURIComponent(Q3)}`, {
      headers: { Authorization: `Bearer ${await tokenFor(PERSON.taylor)}`, apikey: stack.anonKey },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(XLSX);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="bulk-claims-q3-2025-26.xlsx"');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await response.arrayBuffer());
    const sheet = book.getWorksheet('Bulk claims')!;
    expect(sheet.getRow(1).values).toEqual([undefined, ...HEADERS]);
    const rows = [];
    for (let r = 2; r <= sheet.rowCount; r++) {
      const [, ods, , service, component, kind, period, price, units] = sheet.getRow(r).values as Cell[];
      rows.push({ ods, service, component, kind, period, price, units: units ?? null });
    }
    // Bridge Street at its own £200.00 tariff; no evidence component (ear irrigation), no Depot (a must-be-yes question).
    expect(rows).toEqual(
      expect.arrayContaining([
        { ods: 'ZP1002', service: CARE, component: 'Complex care plan created', kind: 'Unit', period: Q3, price: 200, units: null },
        { ods: 'ZP1002', service: CARE, component: 'Care co-ordination retainer', kind: 'Retainer', period: Q3, price: 1500, units: null },
      ]),
    );
    expect(rows.filter((r) => /Ear irrigation|Depot/.test(String(r.component) + String(r.service)))).toEqual([]);
    expect(rows.every((r) => r.ods === 'ZP1001' || r.ods === 'ZP1002')).toBe(true);
    expect(book.getWorksheet('Instructions')!.getCell('A2').value).toMatch(/How to make bulk claims/);
  });

  it('is refused to a Tier 1 of another commissioner, a practice user and the anon key', async () => {
    const get = async (token: string) =>
      (await fetch(`${FUNCTION_URL}?commissioner_id=${ZN1}&period=${encodeURIComponent(Q3)}`, { headers: { Authorization: `Bearer ${token}`, apikey: stack.anonKey } })).status;
    expect(await get(await tokenFor(PERSON.robin))).toBe(403);
    expect(await get(await tokenFor(PERSON.pat))).toBe(403);
    expect(await get(stack.anonKey)).toBe(401);
  });
});

describe('uploads (POST)', () => {
  it('a valid file creates one claim per provider and service, waiting for Tier 2; the same file again creates nothing and names the first import\'s claims', async () => {
    const file = await workbook(VALID);
    const first = await upload(file, { name: 'northshire q3.xlsx' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ ok: true, duplicate: false, created: 1 });
    expect(first.body.rows.map((r) => [r.row, r.outcome])).toEqual([
      [2, 'claimed'],
      [3, 'claimed'],
    ]);
    const claims = await claimsOf(first.body);
    // 5 × £200.00 + the £1,500.00 retainer, computed by the database.
    expect(claims).toEqual([
      { claim_number: first.body.claims[0]!.claim_number, status: 'pending_tier2_review', total: '2500.00', risk_band: 'low', tier1_approved_by: PERSON.taylor, created_by: PERSON.taylor },
    ]);
    const [imported] = await sql`select file_name, row_count from public.bulk_claim_imports where id = ${first.body.import_id!}`;
    expect(imported).toEqual({ file_name: 'northshire q3.xlsx', row_count: 2 });

    const again = await upload(file, { name: 'copy.xlsx' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ ok: true, duplicate: true, created: 0, import_id: first.body.import_id });
    expect(again.body.claims.map((c) => c.claim_number)).toEqual(first.body.claims.map((c) => c.claim_number));
    const [count] = await sql`select count(*)::int as n from public.claims c join public.claim_services cs on cs.claim_id = c.id
                              where c.provider_id = ${id('0a', 1002)} and cs.window_id = ${id('1d', 13)}`;
    expect(count!.n).toBe(1);

    // The same rows in a different file (other bytes): the window is claimed now.
    const other = await upload(await workbook(VALID, (sheet) => sheet.addRow(['', 'a note'])));
    expect(other.body).toMatchObject({ ok: false, created: 0 });
    expect(other.body.rows.map((r) => r.problems.map((p) => p.rule))).toEqual([['already_claimed'], ['already_claimed']]);
  });

  it('multipart/form-data with a "file" part works as the raw body does', async () => {
    const form = new FormData();
    form.set('file', new Blob([Buffer.from(await workbook(VALID.slice(0, 1)))], { type: XLSX }), 'form.xlsx');
    const answer = await upload(form);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ ok: true, created: 1 });
    const [imported] = await sql`select file_name from public.bulk_claim_imports where id = ${answer.body.import_id!}`;
    expect(imported!.file_name).toBe('form.xlsx');
  });

  it('reports every invalid row kind, row by row, and creates nothing (all or nothing)', async () => {
    const rows: [Cell, Cell, Cell, Cell, Cell][] = [
      ['ZP1002', CARE, 'Care co-ordination retainer', Q3, 1], // valid on its own
      ['ZZ999', CARE, 'Complex care plan created', Q3, 1],
      ['ZP2001', CARE, 'Complex care plan created', Q3, 1],
      ['ZP1002', CARE, 'Home visit', Q3, 1],
      ['ZP1003', CARE, 'Complex care plan created', Q3, 1],
      ['ZP1002', CARE, 'Care co-ordination retainer', 'Q1 2025/26', -2],
      ['ZP1002', CARE, 'Care co-ordination retainer', 'Q2 2025/26', 2.5],
      ['ZP1002', CARE, 'Care co-ordination retainer', 'Q2 2025/26', 1],
      ['ZP1002', CARE, 'Care co-ordination retainer', 'Q9', 1],
      ['ZP1002', CARE, 'Ear irrigation', Q3, 4],
      ['ZP1002', 'Depot Antipsychotic Injections 2025/26', 'Depot injection administered', Q3, 3],
      ['ZP1002', CARE, 'care co-ordination retainer', Q3, 1],
    ];
    const before = await sql`select count(*)::int as n from public.claims`;
    const answer = await upload(await workbook(rows));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ ok: false, created: 0, claims: [] });
    expect(answer.body.message).toMatch(/11 of 12 rows cannot be claimed: nothing was created/);
    expect(answer.body.rows.map((r) => [r.row, r.outcome, r.problems.map((p) => p.rule)])).toEqual([
      [2, 'not_claimed', []],
      [3, 'invalid', ['unknown_provider']],
      [4, 'invalid', ['provider_outside_reach']],
      [5, 'invalid', ['unknown_component']],
      [6, 'invalid', ['not_offered']],
      [7, 'invalid', ['invalid_units']],
      [8, 'invalid', ['invalid_units']],
      [9, 'invalid', ['window_closed']],
      [10, 'invalid', ['unknown_period']],
      [11, 'invalid', ['evidence_required']],
      [12, 'invalid', ['questions_required']],
      [13, 'invalid', ['duplicate_row']],
    ]);
    expect(await sql`select count(*)::int as n from public.claims`).toEqual(before);
  });

  it('a formula cell is text, never evaluated: =HYPERLINK(…) in the units or the ODS code is refused as written', async () => {
    const file = await workbook(
      [
        ['ZP1002', CARE, 'Complex care plan created', Q3, null],
        ['ZP1002', CARE, 'Care co-ordination retainer', Q3, 1],
      ],
      (sheet) => {
        // Cached results that would pass if the function believed them.
        sheet.getCell('H2').value = { formula: 'HYPERLINK("http://evil.example/steal","12")', result: 12 };
        sheet.getCell('A3').value = { formula: 'HYPERLINK("http://evil.example","ZP1002")', result: 'ZP1002' };
      },
    );
    const answer = await upload(file);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ ok: false, created: 0 });
    expect(answer.body.rows[0]).toMatchObject({ units: '=HYPERLINK("http://evil.example/steal","12")', outcome: 'invalid', problems: [{ rule: 'invalid_units' }] });
    expect(answer.body.rows[1]).toMatchObject({ ods_code: '=HYPERLINK("http://evil.example","ZP1002")', outcome: 'invalid', problems: [{ rule: 'unknown_provider' }] });
  });

  it('refuses what is not an xlsx by its bytes, whatever its name: 415', async () => {
    const pdf = new TextEncoder().encode('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    const csv = new TextEncoder().encode('Provider ODS code,Service,Component,Period,Units\nZP1002,x,y,Q3 2025/26,1\n');
    for (const bytes of [pdf, csv, new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])]) {
      const answer = await upload(bytes, { name: 'claims.xlsx' });
      expect(answer.status).toBe(415);
      expect(answer.body.error).toMatchObject({ code: 'not_xlsx', message: expect.stringMatching(/not an Excel workbook/) });
    }
    // A workbook, but not the template.
    const book = new ExcelJS.Workbook();
    book.addWorksheet('Sheet1').addRow(['Name', 'Amount']);
    const other = await upload(new Uint8Array((await book.xlsx.writeBuffer()) as ArrayBuffer));
    expect(other.status).toBe(422);
    expect(other.body.error!.message).toMatch(/not the bulk claims template/);
  });

  it('refuses a 6 MB file with 413 and a clear message, raw or multipart', async () => {
    const big = new Uint8Array(6 * 1024 * 1024).fill(0x41);
    big.set([0x50, 0x4b, 0x03, 0x04]);
    const raw = await upload(big);
    expect(raw.status).toBe(413);
    expect(raw.body.error).toEqual({ code: 'too_large', message: expect.stringMatching(/larger than 5 MB/) });
    const form = new FormData();
    form.set('file', new Blob([Buffer.from(big)], { type: XLSX }), 'big.xlsx');
    expect((await upload(form)).status).toBe(413);
  });

  it('is refused to a Tier 1 of another commissioner, a practice user and the anon key; nothing is created', async () => {
    const file = await workbook(VALID);
    const robin = await upload(file, { who: 'robin' });
    expect(robin.status).toBe(403);
    expect(robin.body.error!.message).toMatch(/Only Approver Tier 1 of NHS Northshire ICB/);
    expect((await upload(file, { who: 'pat' })).status).toBe(403);
    expect((await upload(file, { who: 'anon' })).status).toBe(401);
    // Robin's own commissioner: the rows name Northshire's service, unknown there.
    const own = await upload(file, { who: 'robin', commissioner: ZS1 });
    expect(own.body).toMatchObject({ ok: false, created: 0 });
    expect(own.body.rows.map((r) => r.problems.map((p) => p.rule))).toEqual([['provider_outside_reach', 'unknown_component'], ['provider_outside_reach', 'unknown_component']]);
    expect(await sql`select 1 from public.bulk_claim_imports`).toHaveLength(0);
  });
});
