// Payment runs from the database to the payment system and back, through the
// test stack's gateway and real edge functions. THE PAYMENT SYSTEM IS
// SIMULATED: the real one cannot run here, so the stack's payment-system
// simulator (stack/payment-system/, mounted at /payment-system/) receives the
// runs and answers them — from its page's Acknowledge and Reject with reason
// forms, as a person at the payment system would.
//
//   Morgan Finance (RPCs over REST) previews, creates and sends a run
//   → deliver-payment-runs (service role; clock injected with {"now"}) renders
//     the CSV and XLSX and posts them, signed, to the simulator
//   → the simulator's answer reaches payment-system-answer (HMAC-signed)
//   → record_payment_answer: claims paid, or back to approved_for_payment.
//
// Isolation: this file commits. Its claims are written directly as the
// superuser (app.action set, as the seed writes them) on closed periods, with
// Morgan as submitter (whose notifications no other file counts). Before the
// tests, the seed's claims approved for payment are parked in a draft run of
// their own (create_payment_run takes every ready claim of the commissioner),
// and the seed's unanswered Run 9002 is given a far answer time, so the
// injected clock's 18-hour rule leaves it alone (payment_deliveries_due has
// no run filter). Everything is put back afterwards.
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PAYMENT_SYSTEM_SECRET } from '../../../stack/config.ts';
import { signJwt } from '../../../stack/jwt.ts';
import { startPaymentDeliveries } from '../../../stack/payment-deliveries.ts';
import type { ReceivedRun } from '../../../stack/payment-system/store.ts';
import { CONTROL_TOTAL_LABEL, MONEY_FORMAT, toPence } from '../../../supabase/functions/_shared/payment-file.ts';
import { SIGNATURE_HEADER, signBody } from '../../../supabase/functions/_shared/payment-system.ts';
import { stack } from './helpers.ts';

const sql = postgres(stack.dbUrl, { max: 2, onnotice: () => {} });
const id = (prefix: string, n: number) => `${prefix}000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const ORG = { ZN1: id('0a', 10), ZP1001: id('0a', 1001), ZP1002: id('0a', 1002), ZP1004: id('0a', 1004) };
const PERSON = { morgan: id('0b', 6), robin: id('0b', 8), pat: id('0b', 9) };
const SERVICE = { complexCare: id('1a', 1), depot: id('1a', 2) };
const COMPONENT = { carePlan: id('1b', 1), retainer: id('1b', 2), depotInjection: id('1b', 4) };
const OFFER = { complexCareZP1001: id('2b', 1), complexCareZP1002: id('2b', 2), depotZP1004: id('2b', 10) };
/** Q1 2025/26 (closed) of Complex Care and of Depot. */
const WINDOW = { complexCareQ1: id('1d', 11), depotQ1: id('1d', 21) };
const SEED_UNANSWERED_RUN = id('3e', 2);
const HOUR = 3_600_000;

type Run = {
  id: string;
  run_number: number;
  status: string;
  claim_count: number;
  total: number;
  tries: number;
  payment_date: string;
  payment_reference: string | null;
  rejection_reason: string | null;
};
type Preview = { claim_count: number; total: number };

const created = { claims: [] as string[], runs: [] as string[] };
let parkingRun: string | undefined;
let seedRunDueAt: Date | null = null;

async function tokenFor(sub: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return signJwt({ sub, role: 'authenticated', aud: 'authenticated', exp: now + 900 }, stack.jwtSecret);
}

/** A REST RPC as a signed-in person; throws with the database's message when refused. */
async function rpc<T>(who: string, fn: string, args: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${stack.apiUrl}/rest/v1/rpc/${fn}`, {
    method: 'POST',
    headers: { apikey: stack.anonKey, Authorization: `Bearer ${await tokenFor(who)}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(args),
  });
  const body = (await response.json()) as T & { message?: string };
  if (!response.ok) throw new Error(`${fn} answered ${response.status}: ${body.message}`);
  return body;
}

/** UK today plus `days`, as YYYY-MM-DD. */
async function ukDate(days: number): Promise<string> {
  const [row] = await sql<{ d: string }[]>`select to_char((now() at time zone 'Europe/London')::date + ${days}::int, 'YYYY-MM-DD') as d`;
  return row!.d;
}

interface LineSpec {
  component: keyof typeof COMPONENT;
  units?: number;
  price?: string;
}

/** A claim approved for payment, written as the seed writes claims (Morgan as submitter). */
async function approvedClaim(provider: string, offer: string, service: string, window: string, lines: LineSpec[]): Promise<string> {
  const claimId = randomUUID();
  created.claims.push(claimId);
  await sql.begin(async (tx) => {
    await tx`select set_config('app.action', 'test', true)`;
    await tx`insert into public.claims (id, provider_id, commissioner_id, submission_mode, status, created_by, submitted_by, submitted_at)
             values (${claimId}, ${provider}, ${ORG.ZN1}, 'multi_service', 'approved_for_payment', ${PERSON.morgan}, ${PERSON.morgan}, now() - interval '3 days')`;
    await tx`insert into public.claim_services (claim_id, service_id, offer_id, window_id, period_label)
             values (${claimId}, ${service}, ${offer}, ${window}, 'Q1 2025/26')`;
    for (const [position, line] of lines.entries()) {
      if (line.component === 'retainer') {
        await tx`insert into public.claim_lines (claim_id, service_id, component_id, kind, position, fixed_amount)
                 values (${claimId}, ${service}, ${COMPONENT.retainer}, 'retainer', ${position}, ${line.price!})`;
      } else {
        await tx`insert into public.claim_lines (claim_id, service_id, component_id, kind, position, units, unit_price)
                 values (${claimId}, ${service}, ${COMPONENT[line.component]}, 'unit', ${position}, ${line.units!}, ${line.price!})`;
      }
    }
    await tx`select private.refresh_claim_total(${claimId})`;
  });
  return claimId;
}

/** Two claims, three lines: ZP1001 care plans (3 × £193.42) + retainer £1,500.00; ZP1004 depot 7 × £12.50. Total £2,167.76. */
async function twoApprovedClaims(): Promise<string[]> {
  return [
    await approvedClaim(ORG.ZP1001, OFFER.complexCareZP1001, SERVICE.complexCare, WINDOW.complexCareQ1, [
      { component: 'carePlan', units: 3, price: '193.42' },
      { component: 'retainer', price: '1500.00' },
    ]),
    await approvedClaim(ORG.ZP1004, OFFER.depotZP1004, SERVICE.depot, WINDOW.depotQ1, [{ component: 'depotInjection', units: 7, price: '12.50' }]),
  ];
}

/** Morgan previews, creates (exactly as previewed) and — unless `draft` — sends a run of every ready ZN1 claim. */
async function morganRun(options: { draft?: boolean } = {}): Promise<Run> {
  const paymentDate = await ukDate(7);
  const preview = await rpc<Preview>(PERSON.morgan, 'preview_payment_run', { p_commissioner_id: ORG.ZN1, p_payment_date: paymentDate });
  const draft = await rpc<Run>(PERSON.morgan, 'create_payment_run', {
    p_commissioner_id: ORG.ZN1,
    p_payment_date: paymentDate,
    p_expected_claim_count: preview.claim_count,
    p_expected_total: preview.total,
  });
  created.runs.push(draft.id);
  if (options.draft) return draft;
  return rpc<Run>(PERSON.morgan, 'send_payment_run', { p_run_id: draft.id });
}

async function deliverPaymentRuns(body: Record<string, unknown> = {}, key = stack.serviceRoleKey) {
  const response = await fetch(`${stack.apiUrl}/functions/v1/deliver-payment-runs`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function runRow(runId: string) {
  const [run] = await sql<(Run & { answer_due_at: Date | null; acknowledged_at: Date | null })[]>`
    select id, run_number::int, status::text, claim_count, total::text, tries, payment_reference, rejection_reason, answer_due_at, acknowledged_at
    from public.payment_runs where id = ${runId}`;
  return run!;
}

async function tries(runId: string) {
  return sql<{ try_number: number; delivered_at: Date | null; delivery_error: string | null }[]>`
    select try_number, delivered_at, delivery_error from public.payment_run_tries where run_id = ${runId} order by try_number`;
}

async function claimStates(claimIds: string[]) {
  return sql<{ status: string; payment_run_id: string | null; payment_reference: string | null; paid: boolean }[]>`
    select status::text, payment_run_id, payment_reference, paid_at is not null as paid
    from public.claims where id = any (${claimIds}::uuid[]) order by claim_number`;
}

/** What the SIMULATED payment system received for a run, newest try first. */
async function received(runId: string): Promise<ReceivedRun[]> {
  const response = await fetch(`${stack.apiUrl}/payment-system/v1/runs?run_id=${runId}`);
  expect(response.status).toBe(200);
  return (await response.json()) as ReceivedRun[];
}

/** Press a button on the simulator's page, as a person at the payment system would (the form's token comes from the page). */
async function answerOnSimulatorPage(receivedId: string, button: 'acknowledge' | 'reject', reason?: string): Promise<string> {
  const page = await (await fetch(`${stack.apiUrl}/payment-system/`)).text();
  const token = new RegExp(`action="/payment-system/runs/${receivedId}/${button}"[^>]*>\\s*<input type="hidden" name="token" value="([0-9a-f]{64})"`).exec(page)?.[1];
  expect(token, `the simulator page offers ${button} for ${receivedId}`).toBeDefined();
  const form = new URLSearchParams({ token: token!, ...(reason ? { reason } : {}) });
  const response = await fetch(`${stack.apiUrl}/payment-system/runs/${receivedId}/${button}`, {
    method: 'POST',
    body: form,
    headers: { Origin: stack.apiUrl, 'Sec-Fetch-Site': 'same-origin' },
    redirect: 'manual',
  });
  expect(response.status).toBe(303);
  return (await (await fetch(`${stack.apiUrl}${response.headers.get('location')}`)).text());
}

async function download(runId: string, format: string, who: string | null) {
  const headers: Record<string, string> = { apikey: stack.anonKey };
  if (who) headers.Authorization = `Bearer ${await tokenFor(who)}`;
  const response = await fetch(`${stack.apiUrl}/functions/v1/payment-file?run=${runId}&format=${format}`, { headers });
  return { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) };
}

function parseCsv(text: string): string[][] {
  // The test's files hold no quoted commas or line breaks except the control total's description.
  return text
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter((line) => line !== '')
    .map((line) => (line.match(/("([^"]|"")*"|[^,]*)(,|$)/g) ?? []).slice(0, 9).map((field) => field.replace(/,$/, '').replace(/^"|"$/g, '')));
}

async function readXlsx(bytes: Uint8Array): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return workbook.worksheets[0]!;
}

/** Removes this file's runs and claims (and what they queued), keeping the seed. */
async function removeCreated(): Promise<void> {
  const runs = created.runs.splice(0);
  const claims = created.claims.splice(0);
  await sql.begin(async (tx) => {
    await tx`select set_config('app.action', 'test', true)`;
    await tx`update public.claims set payment_run_id = null where payment_run_id = any (${runs}::uuid[]) and not (id = any (${claims}::uuid[]))`;
    await tx`delete from public.payment_run_claims where run_id = any (${runs}::uuid[]) or claim_id = any (${claims}::uuid[])`;
    await tx`delete from public.claims where id = any (${claims}::uuid[])`;
    await tx`delete from public.payment_runs where id = any (${runs}::uuid[])`;
  });
  const links = [...runs.map((run) => `/payment-runs/${run}`), ...claims.map((claim) => `/claims/${claim}`)];
  await sql`delete from public.notifications where link = any (${links}::text[])`;
}

beforeAll(async () => {
  // The seed's unanswered run must not be resent or flagged by this file's clock.
  const [seedRun] = await sql<{ answer_due_at: Date | null }[]>`select answer_due_at from public.payment_runs where id = ${SEED_UNANSWERED_RUN}`;
  seedRunDueAt = seedRun?.answer_due_at ?? null;
  await sql.begin(async (tx) => {
    await tx`select set_config('app.action', 'test', true)`;
    await tx`update public.payment_runs set answer_due_at = now() + interval '100 years' where id = ${SEED_UNANSWERED_RUN}`;
  });
  // The seed's claims approved for payment wait in a draft run of their own meanwhile.
  const paymentDate = await ukDate(7);
  const preview = await rpc<Preview>(PERSON.morgan, 'preview_payment_run', { p_commissioner_id: ORG.ZN1, p_payment_date: paymentDate });
  if (preview.claim_count > 0) {
    const parked = await rpc<Run>(PERSON.morgan, 'create_payment_run', {
      p_commissioner_id: ORG.ZN1,
      p_payment_date: paymentDate,
      p_expected_claim_count: preview.claim_count,
      p_expected_total: preview.total,
    });
    parkingRun = parked.id;
  }
});

afterEach(removeCreated);

afterAll(async () => {
  await removeCreated();
  if (parkingRun) {
    await rpc(PERSON.morgan, 'cancel_payment_run', { p_run_id: parkingRun, p_reason: 'Test over: the seed claims wait for a real run again.' });
    await sql.begin(async (tx) => {
      await tx`select set_config('app.action', 'test', true)`;
      await tx`delete from public.payment_runs where id = ${parkingRun!}`;
    });
  }
  await sql.begin(async (tx) => {
    await tx`select set_config('app.action', 'test', true)`;
    await tx`update public.payment_runs set answer_due_at = ${seedRunDueAt} where id = ${SEED_UNANSWERED_RUN}`;
  });
  await fetch(`${stack.apiUrl}/payment-system/v1/runs`, { method: 'DELETE', headers: { Authorization: `Bearer ${stack.serviceRoleKey}` } });
  await sql.end({ timeout: 5 });
});

describe('delivery to the SIMULATED payment system and its answers', () => {
  it('a sent run is delivered with its CSV and XLSX; Acknowledge on the simulator page makes its claims paid', async () => {
    const claims = await twoApprovedClaims();
    const run = await morganRun();
    expect(run).toMatchObject({ status: 'sent', claim_count: 2, total: 2167.76, tries: 1 });

    const delivery = await deliverPaymentRuns();
    expect(delivery.status).toBe(200);
    expect(delivery.body).toMatchObject({ failed: 0 });
    expect(delivery.body.delivered).toBeGreaterThanOrEqual(1);
    const [firstTry] = await tries(run.id);
    expect(firstTry).toMatchObject({ try_number: 1, delivery_error: null });
    expect(firstTry!.delivered_at).toBeInstanceOf(Date);
    // The answer is due 18 hours after the delivery.
    expect((await runRow(run.id)).answer_due_at!.getTime() - firstTry!.delivered_at!.getTime()).toBe(18 * HOUR);

    const [arrived] = await received(run.id);
    const fileName = `payment-run-${run.run_number}-${run.payment_date}`;
    expect(arrived).toMatchObject({
      runNumber: run.run_number,
      tryNumber: 1,
      commissioner: { odsCode: 'ZN1' },
      paymentDate: run.payment_date,
      claimCount: 2,
      total: '2167.76',
      state: 'received',
      files: [expect.objectContaining({ name: `${fileName}.csv` }), expect.objectContaining({ name: `${fileName}.xlsx` })],
    });
    // The files the payment system got add up to the run.
    const csv = await (await fetch(`${stack.apiUrl}/payment-system/v1/runs/${arrived!.id}/files/${fileName}.csv`)).text();
    const records = parseCsv(csv);
    expect(records).toHaveLength(1 + 3 + 1);
    expect(records.at(-1)!.slice(0, 1)).toEqual([CONTROL_TOTAL_LABEL]);
    expect(records.at(-1)![8]).toBe('2167.76');
    expect(records.slice(1, -1).reduce((sum, record) => sum + toPence(record[8]!, 'amount'), 0)).toBe(216776);
    const sheet = await readXlsx(new Uint8Array(await (await fetch(`${stack.apiUrl}/payment-system/v1/runs/${arrived!.id}/files/${fileName}.xlsx`)).arrayBuffer()));
    expect(sheet.getRow(sheet.rowCount).getCell(9).value).toBe(2167.76);

    const page = await answerOnSimulatorPage(arrived!.id, 'acknowledge');
    expect(page).toContain(`Run ${run.run_number} acknowledged; the portal recorded the answer.`);
    const reference = `SIM-${run.run_number}-1`;
    expect(await runRow(run.id)).toMatchObject({ status: 'acknowledged', payment_reference: reference });
    expect(await claimStates(claims)).toEqual([
      { status: 'paid', payment_run_id: run.id, payment_reference: reference, paid: true },
      { status: 'paid', payment_run_id: run.id, payment_reference: reference, paid: true },
    ]);
    expect((await received(run.id))[0]!.state).toBe('acknowledged');
  });

  it('Reject with reason on the simulator page returns the claims to approved for payment, with the reason', async () => {
    const claims = await twoApprovedClaims();
    const run = await morganRun();
    expect((await deliverPaymentRuns()).body).toMatchObject({ failed: 0 });
    const [arrived] = await received(run.id);

    const reason = 'Bank details missing for ZP1004';
    const page = await answerOnSimulatorPage(arrived!.id, 'reject', reason);
    expect(page).toContain(`Run ${run.run_number} rejected; the portal recorded the answer.`);
    expect(await runRow(run.id)).toMatchObject({ status: 'rejected', rejection_reason: reason });
    expect(await claimStates(claims)).toEqual([
      { status: 'approved_for_payment', payment_run_id: null, payment_reference: null, paid: false },
      { status: 'approved_for_payment', payment_run_id: null, payment_reference: null, paid: false },
    ]);
    const history = await sql<{ action: string; reason: string | null }[]>`
      select action, reason from public.audit_log
      where entity_type = 'claim' and entity_id = any (${claims}::text[]) and action = 'claim.payment_reject'`;
    expect(history).toEqual([
      { action: 'claim.payment_reject', reason },
      { action: 'claim.payment_reject', reason },
    ]);
    // Finance is told.
    const [task] = await sql<{ recipient_id: string; body: string }[]>`
      select recipient_id, body from public.notifications where link = ${`/payment-runs/${run.id}`} and kind = 'payment_run_rejected'`;
    expect(task).toMatchObject({ recipient_id: PERSON.morgan, body: expect.stringContaining(reason) });
  });

  it('no answer: nothing before 18 hours; try 2 at 18 h, try 3 at 36 h; flagged for Finance at 54 h (clock injected)', async () => {
    await twoApprovedClaims();
    const run = await morganRun();
    // Try 1, delivered now: from here the test moves the clock instead of waiting.
    expect((await deliverPaymentRuns()).body).toMatchObject({ failed: 0 });
    const deliveredAt = (await tries(run.id))[0]!.delivered_at!.getTime();
    const at = (ms: number) => ({ now: new Date(deliveredAt + ms).toISOString() });

    expect((await deliverPaymentRuns(at(18 * HOUR - 60_000))).body).toMatchObject({ due: 0 });
    expect(await runRow(run.id)).toMatchObject({ status: 'sent', tries: 1 });
    expect(await received(run.id)).toHaveLength(1);

    expect((await deliverPaymentRuns(at(18 * HOUR + 1_000))).body).toMatchObject({ due: 1, delivered: 1, failed: 0 });
    expect(await runRow(run.id)).toMatchObject({ status: 'sent', tries: 2 });
    expect((await received(run.id)).map((r) => r.tryNumber)).toEqual([2, 1]);

    // Try 2's answer is due 18 hours after its delivery (18 h + 1 s): not yet at 36 h.
    expect((await deliverPaymentRuns(at(36 * HOUR))).body).toMatchObject({ due: 0 });
    expect((await deliverPaymentRuns(at(36 * HOUR + 2_000))).body).toMatchObject({ due: 1, delivered: 1 });
    expect(await runRow(run.id)).toMatchObject({ status: 'sent', tries: 3 });
    expect((await received(run.id)).map((r) => r.tryNumber)).toEqual([3, 2, 1]);

    // After the third unanswered try the run is flagged, not sent a fourth time.
    expect((await deliverPaymentRuns(at(54 * HOUR + 3_000))).body).toMatchObject({ due: 0 });
    expect(await runRow(run.id)).toMatchObject({ status: 'flagged', tries: 3 });
    expect((await tries(run.id)).map((t) => t.delivered_at !== null)).toEqual([true, true, true]);
    expect(await received(run.id)).toHaveLength(3);
    const [task] = await sql<{ recipient_id: string }[]>`
      select recipient_id from public.notifications where link = ${`/payment-runs/${run.id}`} and kind = 'payment_run_flagged'`;
    expect(task).toEqual({ recipient_id: PERSON.morgan });
    // Later runs of the job leave a flagged run alone.
    expect((await deliverPaymentRuns(at(100 * HOUR))).body).toMatchObject({ due: 0 });
    expect(await runRow(run.id)).toMatchObject({ status: 'flagged', tries: 3 });
  });
});

describe('deliver-payment-runs', () => {
  it('the stack\'s timer (npm start, journeys) delivers a sent run by itself within seconds', async () => {
    await twoApprovedClaims();
    const run = await morganRun();
    const infos: string[] = [];
    const errors: string[] = [];
    const timer = startPaymentDeliveries({
      apiUrl: stack.apiUrl,
      serviceRoleKey: stack.serviceRoleKey,
      intervalMs: 100,
      log: { info: (line) => infos.push(line), error: (line) => errors.push(line) },
    });
    try {
      await expect.poll(async () => (await tries(run.id))[0]?.delivered_at ?? null, { timeout: 20_000, interval: 200 }).toBeInstanceOf(Date);
      await expect.poll(() => infos.some((line) => /^\d+ payment run try\(s\) delivered to the payment system$/.test(line)), { timeout: 20_000 }).toBe(true);
    } finally {
      await timer.stop();
    }
    expect(errors).toEqual([]);
    expect(await received(run.id)).toHaveLength(1);
    await expect(timer.runNow()).rejects.toThrow('stopped');
  });

  it('is for the scheduler only (service-role key), and checks the injected clock', async () => {
    expect((await deliverPaymentRuns({}, stack.anonKey)).status).toBe(403);
    expect((await deliverPaymentRuns({}, await tokenFor(PERSON.morgan))).status).toBe(403);
    expect(await deliverPaymentRuns({ now: 'yesterday-ish' })).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
  });
});

describe('payment-file downloads', () => {
  it('Finance downloads the CSV and the XLSX; their control totals equal the run total', async () => {
    await twoApprovedClaims();
    const run = await morganRun({ draft: true });
    const name = `payment-run-${run.run_number}-${run.payment_date}`;

    const csv = await download(run.id, 'csv', PERSON.morgan);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="${name}.csv"`);
    const records = parseCsv(new TextDecoder().decode(csv.bytes));
    expect(records[0]).toEqual(['Provider ODS code', 'Provider name', 'Claim ID', 'Service', 'Component', 'Period', 'Units', 'Unit price', 'Amount']);
    const names = new Map(
      (await sql<{ id: string; name: string }[]>`select id, name from public.service_components where id = any (${Object.values(COMPONENT)}::uuid[])`).map((c) => [c.id, c.name]),
    );
    expect(records.slice(1, -1).map((r) => [r[0], r[4], r[5], r[6], r[7], r[8]])).toEqual([
      ['ZP1001', names.get(COMPONENT.carePlan), 'Q1 2025/26', '3', '193.42', '580.26'],
      ['ZP1001', names.get(COMPONENT.retainer), 'Q1 2025/26', '', '1500.00', '1500.00'],
      ['ZP1004', names.get(COMPONENT.depotInjection), 'Q1 2025/26', '7', '12.50', '87.50'],
    ]);
    const control = records.at(-1)!;
    expect([control[0], control[2], control[6]]).toEqual([CONTROL_TOTAL_LABEL, '2', '3']);
    expect(toPence(control[8]!, 'control total')).toBe(toPence(String(run.total.toFixed(2)), 'run total'));

    const xlsx = await download(run.id, 'xlsx', PERSON.morgan);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx.headers.get('content-disposition')).toBe(`attachment; filename="${name}.xlsx"`);
    const sheet = await readXlsx(xlsx.bytes);
    expect(sheet.rowCount).toBe(5);
    let sumPence = 0;
    for (let r = 2; r < sheet.rowCount; r++) {
      const amount = sheet.getRow(r).getCell(9);
      expect(amount.numFmt).toBe(MONEY_FORMAT);
      sumPence += Math.round((amount.value as number) * 100);
    }
    const total = sheet.getRow(sheet.rowCount).getCell(9).value as number;
    expect(Math.round(total * 100)).toBe(sumPence);
    expect(total).toBe(run.total);
  });

  it('refuses Pat Practice, Southvale\'s people, the anon key, no session, and bad requests', async () => {
    await twoApprovedClaims();
    const run = await morganRun({ draft: true });
    for (const who of [PERSON.pat, PERSON.robin]) {
      for (const format of ['csv', 'xlsx']) {
        const refused = await download(run.id, format, who);
        expect(refused.status, `${who} ${format}`).toBe(404);
        expect(JSON.parse(new TextDecoder().decode(refused.bytes))).toMatchObject({ error: { code: 'run_not_found' } });
      }
    }
    // The anon key is a project JWT (the gateway lets it through) but no person.
    const anon = await fetch(`${stack.apiUrl}/functions/v1/payment-file?run=${run.id}&format=csv`, { headers: { Authorization: `Bearer ${stack.anonKey}` } });
    expect(anon.status).toBe(401);
    expect((await download(run.id, 'csv', null)).status).toBe(401);
    expect((await download(run.id, 'pdf', PERSON.morgan)).status).toBe(400);
    expect((await download('not-a-run', 'csv', PERSON.morgan)).status).toBe(400);
    expect((await download(randomUUID(), 'csv', PERSON.morgan)).status).toBe(404);
  });
});

describe('payment-system-answer (what the payment system calls)', () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${stack.apiUrl}/functions/v1/payment-system-answer`, { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...headers } });

  it('refuses a missing or wrong signature, a replayed answer, and answers nothing it cannot', async () => {
    await twoApprovedClaims();
    const run = await morganRun({ draft: true });
    const answer = (answeredAt: Date, runId = run.id) =>
      JSON.stringify({ run_id: runId, acknowledged: true, reference: 'X-1', answered_at: answeredAt.toISOString() });

    const body = answer(new Date());
    const unsigned = await post(body);
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ error: { code: 'bad_signature' } });
    const forged = await post(body, { [SIGNATURE_HEADER]: await signBody('not the shared secret', body) });
    expect(forged.status).toBe(401);
    // A correct signature over a different body does not count either.
    const tampered = await post(body.replace('X-1', 'X-2'), { [SIGNATURE_HEADER]: await signBody(DEFAULT_PAYMENT_SYSTEM_SECRET, body) });
    expect(tampered.status).toBe(401);

    const old = answer(new Date(Date.now() - 10 * 60_000));
    const replay = await post(old, { [SIGNATURE_HEADER]: await signBody(DEFAULT_PAYMENT_SYSTEM_SECRET, old) });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ error: { code: 'stale_answer' } });

    // Signed and fresh, but the run is a draft: the database refuses it.
    const early = await post(body, { [SIGNATURE_HEADER]: await signBody(DEFAULT_PAYMENT_SYSTEM_SECRET, body) });
    expect(early.status).toBe(409);
    const unknown = answer(new Date(), randomUUID());
    expect((await post(unknown, { [SIGNATURE_HEADER]: await signBody(DEFAULT_PAYMENT_SYSTEM_SECRET, unknown) })).status).toBe(404);
    expect(await runRow(run.id)).toMatchObject({ status: 'draft', payment_reference: null });

    expect((await fetch(`${stack.apiUrl}/functions/v1/payment-system-answer`)).status).toBe(405);
  });
});

describe('the payment-system simulator page', () => {
  it('renders, saying plainly that it is a simulator', async () => {
    const response = await fetch(`${stack.apiUrl}/payment-system/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('<h1>Payment system simulator</h1>');
    expect(html).toContain('It is a simulator in the local stack');
    expect(html).toContain('Automatic acknowledgement is off');
  });
});
