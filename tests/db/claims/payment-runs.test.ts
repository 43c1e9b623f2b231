// Payment runs (issue 13): Finance previews the claims approved for payment,
// creates a run from exactly what it previewed, sends it; the payment system
// acknowledges (claims paid) or rejects (claims approved for payment again);
// no answer 18 hours after a try → another try, at most 3, then the run is
// flagged for a person. The payment system is not here: its answers and the
// delivery job are the service-role functions, called directly with the
// clock (p_now) moved by the test.
import { describe, expect, it } from 'vitest';
import {
  asOk,
  claimInTier1,
  claimsDigest,
  claimTx,
  DEPOT_PRACTICES,
  expectClaimRefused,
  grantRoles,
  ORG,
  PERSON,
  type Claim,
  type PersonName,
  type Tx,
} from './fixtures.ts';

type Run = {
  id: string;
  run_number: string;
  commissioner_id: string;
  payment_date: string;
  status: string;
  claim_count: number;
  total: string;
  tries: number;
  answer_due_at: Date | null;
  rejection_reason: string | null;
  payment_reference: string | null;
};
type Preview = {
  claim_count: number;
  total: number;
  providers: { provider_id: string; ods_code: string; claim_count: number; total: number }[];
};
type Due = { run_id: string; run_number: string; try_number: number; total: string };

const HOUR = 3_600_000;

async function ukToday(tx: Tx): Promise<string> {
  const [row] = await tx<{ d: string }[]>`select to_char((now() at time zone 'Europe/London')::date, 'YYYY-MM-DD') as d`;
  return row!.d;
}

/** A claim approved for payment: Pat's Depot claim (units × £12.50), Taylor at Tier 1, Jordan at Tier 2. */
async function approvedClaim(tx: Tx, units: number, provider: string): Promise<Claim> {
  const claim = await claimInTier1(tx, units, provider);
  for (const who of ['taylor', 'jordan'] as const) {
    const [row] = await asOk(tx, who, (sp) => sp<{ r: { ok: boolean; message: string }[] }[]>`select public.review_claims(${[claim.id]}::uuid[]) as r`);
    expect(row!.r[0], `${who} approves`).toMatchObject({ ok: true });
  }
  const [after] = await tx<Claim[]>`select * from public.claims where id = ${claim.id}`;
  expect(after!.status).toBe('approved_for_payment');
  return after!;
}

async function preview(tx: Tx, who: PersonName, date: string, commissioner = ORG.ZN1): Promise<Preview> {
  const [row] = await asOk(tx, who, (sp) => sp<{ p: Preview }[]>`select public.preview_payment_run(${commissioner}, ${date}::date) as p`);
  return row!.p;
}

async function createRun(tx: Tx, who: PersonName, date: string, p: Preview): Promise<Run> {
  const [run] = await asOk(tx, who, (sp) => sp<Run[]>`select * from public.create_payment_run(${ORG.ZN1}, ${date}::date, ${p.claim_count}, ${p.total})`);
  return run!;
}

async function sendRun(tx: Tx, runId: string): Promise<Run> {
  const [run] = await asOk(tx, 'morgan', (sp) => sp<Run[]>`select * from public.send_payment_run(${runId})`);
  return run!;
}

async function runRow(tx: Tx, runId: string): Promise<Run> {
  const [run] = await tx<Run[]>`select * from public.payment_runs where id = ${runId}`;
  return run!;
}

/** When the run was sent, to the millisecond above (the database keeps microseconds, a JS Date milliseconds). */
async function sentAt(tx: Tx, runId: string): Promise<Date> {
  return new Date((await runRow(tx, runId)).answer_due_at!.getTime() - 18 * HOUR + 1);
}

async function statuses(tx: Tx, ids: string[]): Promise<string[]> {
  const rows = await tx<{ status: string }[]>`select status::text from public.claims where id = any (${ids}::uuid[]) order by claim_number`;
  return rows.map((r) => r.status);
}

/** Run `fn` as the service role (the delivery job, the payment system's answer), inside a savepoint. */
async function asService<T>(tx: Tx, fn: (sp: Tx) => Promise<T>): Promise<T> {
  return (await tx.savepoint(async (sp) => {
    await sp`select set_config('role', 'service_role', true), set_config('request.jwt.claims', ${JSON.stringify({ role: 'service_role' })}, true)`;
    const result = await fn(sp as Tx);
    await sp`select set_config('role', 'none', true), set_config('request.jwt.claims', '', true)`;
    return result;
  })) as T;
}

const due = (tx: Tx, now: Date) => asService(tx, (sp) => sp<Due[]>`select * from public.payment_deliveries_due(${now}, 10)`);
const delivered = (tx: Tx, run: string, tryNumber: number, now: Date, error: string | null = null) =>
  asService(tx, (sp) => sp`select public.payment_delivery_recorded(${run}, ${tryNumber}, ${error}, ${now})`);
const answer = (tx: Tx, run: string, acknowledged: boolean, reason: string | null, reference: string | null) =>
  asService(tx, (sp) => sp<Run[]>`select * from public.record_payment_answer(${run}, ${acknowledged}, ${reason}, ${reference})`);

/** Two approved claims (ZP1001 £125.00, ZP1002 £1,250.00) in a sent run; returns the run and the claims. */
async function sentRun(tx: Tx): Promise<{ run: Run; claims: Claim[] }> {
  const claims = [await approvedClaim(tx, 10, DEPOT_PRACTICES[0]!), await approvedClaim(tx, 100, DEPOT_PRACTICES[1]!)];
  const date = await ukToday(tx);
  const draft = await createRun(tx, 'morgan', date, await preview(tx, 'morgan', date));
  return { run: await sendRun(tx, draft.id), claims };
}

describe('preview and create', () => {
  it('Morgan previews count, total and per provider, computed by the database; creates a draft run of exactly those claims', () =>
    claimTx(async (tx) => {
      const a = await approvedClaim(tx, 10, DEPOT_PRACTICES[0]!);
      const b = await approvedClaim(tx, 100, DEPOT_PRACTICES[1]!);
      const c = await approvedClaim(tx, 7, DEPOT_PRACTICES[2]!);
      const date = await ukToday(tx);
      const p = await preview(tx, 'morgan', date);
      expect(p.claim_count).toBe(3);
      expect(p.total).toBe(125 + 1250 + 87.5);
      expect(p.providers.map((x) => [x.provider_id, x.claim_count, x.total])).toEqual([
        [ORG.ZP1001, 1, 125],
        [ORG.ZP1002, 1, 1250],
        [ORG.ZP1003, 1, 87.5],
      ]);

      const run = await createRun(tx, 'morgan', date, p);
      expect(run).toMatchObject({ status: 'draft', claim_count: 3, total: '1462.50', payment_date: expect.anything(), tries: 0 });
      const members = await tx<{ claim_id: string; amount: string }[]>`select claim_id, amount from public.payment_run_claims where run_id = ${run.id} order by claim_number`;
      expect(members).toEqual([
        { claim_id: a.id, amount: '125.00' },
        { claim_id: b.id, amount: '1250.00' },
        { claim_id: c.id, amount: '87.50' },
      ]);
      // Reserved, not yet sent; the run's total equals its claims' at commit (the deferred check passes now).
      expect(await statuses(tx, [a.id, b.id, c.id])).toEqual(['approved_for_payment', 'approved_for_payment', 'approved_for_payment']);
      await tx`set constraints all immediate`;
      const [audit] = await tx`select actor_id, action from public.audit_log where entity_type = 'payment_run' and entity_id = ${run.id}`;
      expect(audit).toEqual({ actor_id: PERSON.morgan, action: 'payment_run.create' });

      // Nothing left for a second run.
      const empty = await preview(tx, 'morgan', date);
      expect(empty).toMatchObject({ claim_count: 0, total: 0, providers: [] });
      await expectClaimRefused(tx, 'morgan', 'PT409', (sp) => sp`select public.create_payment_run(${ORG.ZN1}, ${date}::date, 0, 0)`, /No claims .* approved for payment/);
    }));

  it('refused when the claims changed since the preview, for a past date, and without the preview figures — nothing changes', () =>
    claimTx(async (tx) => {
      await approvedClaim(tx, 10, DEPOT_PRACTICES[0]!);
      const date = await ukToday(tx);
      const p = await preview(tx, 'morgan', date);
      await approvedClaim(tx, 20, DEPOT_PRACTICES[1]!);
      await expectClaimRefused(tx, 'morgan', 'PT409',
        (sp) => sp`select public.create_payment_run(${ORG.ZN1}, ${date}::date, ${p.claim_count}, ${p.total})`,
        /changed since your preview: now 2 claims, £375\.00; you previewed 1 claims, £125\.00/);
      await expectClaimRefused(tx, 'morgan', '22023',
        (sp) => sp`select public.create_payment_run(${ORG.ZN1}, (${date}::date - 1), 2, 375)`, /has passed/);
      await expectClaimRefused(tx, 'morgan', '22023',
        (sp) => sp`select public.create_payment_run(${ORG.ZN1}, ${date}::date, null, null)`, /Preview the payment run first/);
      await expectClaimRefused(tx, 'morgan', '22023', (sp) => sp`select public.preview_payment_run(${ORG.ZN1}, null)`, /Choose a payment date/);
    }));

  it('only Finance or Finance Management of the commissioner: Jordan, Taylor, Chris, Pat and Robin are refused', () =>
    claimTx(async (tx) => {
      await approvedClaim(tx, 10, DEPOT_PRACTICES[0]!);
      const date = await ukToday(tx);
      for (const who of ['jordan', 'taylor', 'pat', 'robin', 'chris'] as const) {
        await expectClaimRefused(tx, who, '42501', (sp) => sp`select public.preview_payment_run(${ORG.ZN1}, ${date}::date)`, /Only Finance or Finance Management/);
        await expectClaimRefused(tx, who, '42501', (sp) => sp`select public.create_payment_run(${ORG.ZN1}, ${date}::date, 1, 125)`, /Only Finance or Finance Management/);
      }
      // A practice is not a commissioner.
      await expectClaimRefused(tx, 'morgan', 'PT404', (sp) => sp`select public.preview_payment_run(${ORG.ZP1001}, ${date}::date)`, /commissioner does not exist/);
    }));
});

describe('reading runs (RLS)', () => {
  it('Finance and Finance Management of the commissioner read the run, its claims and tries; reviewers, practices and Southvale read none', () =>
    claimTx(async (tx) => {
      const { run } = await sentRun(tx);
      // Chris (Commissioning Management) given Finance Management alone, to tell the two roles apart.
      await grantRoles(tx, 'chris', ORG.ZN1, ['finance_management']);
      for (const who of ['morgan', 'chris'] as const) {
        const seen = await asOk(tx, who, async (sp) => ({
          runs: (await sp`select id from public.payment_runs where id = ${run.id}`).length,
          claims: (await sp`select claim_id from public.payment_run_claims where run_id = ${run.id}`).length,
          tries: (await sp`select try_number from public.payment_run_tries where run_id = ${run.id}`).length,
        }));
        expect(seen, who).toEqual({ runs: 1, claims: 2, tries: 1 });
      }
      await expectClaimRefused(tx, 'anon', '42501', (sp) => sp`select 1 from public.payment_runs`, /permission denied/);
      for (const who of ['taylor', 'jordan', 'pat', 'robin'] as const) {
        const seen = await asOk(tx, who, async (sp) =>
          (await sp`select 1 from public.payment_runs`).length + (await sp`select 1 from public.payment_run_claims`).length
          + (await sp`select 1 from public.payment_run_tries`).length);
        expect(seen, who).toBe(0);
      }
    }));

  it('nobody writes the tables directly, not even the service role; the run total check refuses a run that disagrees with its claims', () =>
    claimTx(async (tx) => {
      const { run } = await sentRun(tx);
      for (const who of ['morgan', 'anon'] as const) {
        await expectClaimRefused(tx, who, '42501', (sp) => sp`update public.payment_runs set status = 'acknowledged' where id = ${run.id}`);
        await expectClaimRefused(tx, who, '42501', (sp) => sp`delete from public.payment_run_claims where run_id = ${run.id}`);
      }
      const service = await tx
        .savepoint(async (sp) => {
          await sp`select set_config('role', 'service_role', true)`;
          await sp`update public.payment_runs set status = 'acknowledged' where id = ${run.id}`;
        })
        .then(() => 'updated', (e: { message: string }) => e.message);
      expect(service).toMatch(/change only through the payment run functions/);
      const mismatch = await tx
        .savepoint(async (sp) => {
          await sp`select set_config('app.action', 'test', true)`;
          await sp`update public.payment_runs set total = total + 0.01 where id = ${run.id}`;
          await sp`set constraints all immediate`;
        })
        .then(() => 'accepted', (e: { message: string }) => e.message);
      expect(mismatch).toMatch(/its claims are 2, £1,375\.00/);
    }));
});

describe('send, cancel, file rows', () => {
  it('Morgan sends a draft: its claims become sent, try 1 is queued with an answer due in 18 hours; sending again is refused with who and when', () =>
    claimTx(async (tx) => {
      const { run, claims } = await sentRun(tx);
      expect(run).toMatchObject({ status: 'sent', tries: 1 });
      expect(await statuses(tx, claims.map((c) => c.id))).toEqual(['sent', 'sent']);
      const [t] = await tx`
        select try_number, answer_due_at - queued_at = interval '18 hours' as due_in_18_hours from public.payment_run_tries where run_id = ${run.id}`;
      expect(t).toEqual({ try_number: 1, due_in_18_hours: true });
      const history = await tx`select action, before ->> 'status' as "from", after ->> 'status' as "to" from public.audit_log
                               where entity_type = 'claim' and entity_id = ${claims[0]!.id} and action = 'claim.send'`;
      expect(history).toEqual([{ action: 'claim.send', from: 'approved_for_payment', to: 'sent' }]);
      await expectClaimRefused(tx, 'morgan', 'PT409', (sp) => sp`select public.send_payment_run(${run.id})`, /is sent \(last change by Morgan Finance at/);
      await expectClaimRefused(tx, 'jordan', 'PT404', (sp) => sp`select public.send_payment_run(${run.id})`, /does not exist, or you cannot see it/);
    }));

  it('a draft is cancelled with a reason (required) and its claims wait for the next run; a sent run is not cancelled', () =>
    claimTx(async (tx) => {
      const claim = await approvedClaim(tx, 10, DEPOT_PRACTICES[2]!);
      const date = await ukToday(tx);
      const draft = await createRun(tx, 'morgan', date, await preview(tx, 'morgan', date));
      await expectClaimRefused(tx, 'morgan', '22023', (sp) => sp`select public.cancel_payment_run(${draft.id}, '  ')`, /A reason is required/);
      const [cancelled] = await asOk(tx, 'morgan', (sp) => sp<Run[]>`select * from public.cancel_payment_run(${draft.id}, 'Wrong payment date')`);
      expect(cancelled).toMatchObject({ status: 'cancelled' });
      const [after] = await tx`select status::text, payment_run_id from public.claims where id = ${claim.id}`;
      expect(after).toEqual({ status: 'approved_for_payment', payment_run_id: null });
      expect((await preview(tx, 'morgan', date)).claim_count).toBe(1);

      const { run } = await sentRun(tx);
      await expectClaimRefused(tx, 'morgan', 'PT409', (sp) => sp`select public.cancel_payment_run(${run.id}, 'Too late')`, /is sent/);
    }));

  it('the file rows: one per claim line, summing to the run total; Finance and the service role read them, Pat and Jordan do not', () =>
    claimTx(async (tx) => {
      const { run } = await sentRun(tx);
      const rows = await asOk(tx, 'morgan', (sp) => sp<{ line_number: number; provider_ods_code: string; claim_number: string; component: string; units: number; unit_price: string; amount: string }[]>`
        select * from public.payment_run_file_rows(${run.id})`);
      expect(rows.map((r) => [r.line_number, r.provider_ods_code, r.component, r.units, r.unit_price, r.amount])).toEqual([
        [1, 'ZP1001', 'Depot injection administered', 10, '12.50', '125.00'],
        [2, 'ZP1002', 'Depot injection administered', 100, '12.50', '1250.00'],
      ]);
      const sum = rows.reduce((s, r) => s + Math.round(Number(r.amount) * 100), 0);
      expect(sum).toBe(Math.round(Number(run.total) * 100));
      expect(await asService(tx, (sp) => sp`select * from public.payment_run_file_rows(${run.id})`)).toHaveLength(2);
      for (const who of ['pat', 'jordan'] as const) {
        await expectClaimRefused(tx, who, 'PT404', (sp) => sp`select * from public.payment_run_file_rows(${run.id})`);
      }
    }));
});

describe('the payment system answers (simulated by the test: the service-role function it calls)', () => {
  it('acknowledged → claims paid with the reference, Pat told; the same answer twice changes nothing; a rejection after it is refused', () =>
    claimTx(async (tx) => {
      const { run, claims } = await sentRun(tx);
      const [acknowledged] = await answer(tx, run.id, true, null, 'BACS-7781');
      expect(acknowledged).toMatchObject({ status: 'acknowledged', payment_reference: 'BACS-7781' });
      expect(await statuses(tx, claims.map((c) => c.id))).toEqual(['paid', 'paid']);
      const paid = await tx`select recipient_id, subject from public.notifications where kind = 'claim_paid' and link = ${`/claims/${claims[0]!.id}`}`;
      expect(paid).toEqual([{ recipient_id: PERSON.pat, subject: `Claim ${claims[0]!.claim_number} paid` }]);

      const before = await claimsDigest(tx);
      await answer(tx, run.id, true, null, 'BACS-7781');
      expect(await claimsDigest(tx), 'a repeated acknowledgement changed something').toBe(before);
      const late = await tx.savepoint((sp) => answer(sp as Tx, run.id, false, 'Duplicate', null).then(() => 'accepted', (e: { code: string }) => e.code));
      expect(late).toBe('PT409');
    }));

  it('rejected (reason required) → claims approved for payment again, out of the run; Finance gets a task; a new run takes them', () =>
    claimTx(async (tx) => {
      const { run, claims } = await sentRun(tx);
      const missing = await tx.savepoint((sp) => answer(sp as Tx, run.id, false, null, null).then(() => 'accepted', (e: { message: string }) => e.message));
      expect(missing).toMatch(/A reason is required/);
      const [rejected] = await answer(tx, run.id, false, 'Bank details missing for ZP1002.', null);
      expect(rejected).toMatchObject({ status: 'rejected', rejection_reason: 'Bank details missing for ZP1002.' });
      const after = await tx`select status::text, payment_run_id from public.claims where id = any (${claims.map((c) => c.id)}::uuid[])`;
      expect(after).toEqual([
        { status: 'approved_for_payment', payment_run_id: null },
        { status: 'approved_for_payment', payment_run_id: null },
      ]);
      const tasks = await tx`select recipient_id from public.notifications where kind = 'payment_run_rejected' and link = ${`/payment-runs/${run.id}`}`;
      expect(tasks).toEqual([{ recipient_id: PERSON.morgan }]);
      const history = await tx`select reason from public.audit_log where action = 'claim.payment_reject' and entity_id = ${claims[1]!.id}`;
      expect(history).toEqual([{ reason: 'Bank details missing for ZP1002.' }]);
      const date = await ukToday(tx);
      expect(await preview(tx, 'morgan', date)).toMatchObject({ claim_count: 2, total: 1375 });
    }));
});

describe("the practice's payment totals (claim_payment_totals)", () => {
  it('sums, per payment date, the claims each reader may see: Ash Riverside\'s, Morgan every practice\'s, Robin none', () =>
    claimTx(async (tx) => {
      const { run } = await sentRun(tx);
      await answer(tx, run.id, true, null, 'BACS-1');
      await approvedClaim(tx, 8, DEPOT_PRACTICES[2]!);
      const date = await ukToday(tx);
      await sendRun(tx, (await createRun(tx, 'morgan', date, await preview(tx, 'morgan', date))).id);
      const read = (who: PersonName) =>
        asOk(tx, who, (sp) => sp`select provider_id, claim_count, paid_count, total from public.claim_payment_totals order by provider_id`);
      // Run 1 paid ZP1001's £125.00 and ZP1002's £1,250.00; run 2 sent ZP1003's £100.00, all for today.
      // (Ash, not Pat: the claims were made by Pat with a Claim Submitter role at each practice.)
      expect(await read('ash')).toEqual([{ provider_id: ORG.ZP1001, claim_count: 1, paid_count: 1, total: '125.00' }]);
      expect(await read('morgan')).toEqual(
        [
          { provider_id: ORG.ZP1001, claim_count: 1, paid_count: 1, total: '125.00' },
          { provider_id: ORG.ZP1002, claim_count: 1, paid_count: 1, total: '1250.00' },
          { provider_id: ORG.ZP1003, claim_count: 1, paid_count: 0, total: '100.00' },
        ].sort((a, b) => a.provider_id.localeCompare(b.provider_id)),
      );
      expect(await read('robin')).toEqual([]);
    }));
});

describe('no answer: the 18-hour rule (clock injected)', () => {
  it('delivered try 1; nothing before 18 h; try 2 at 18 h, try 3 at 36 h, flagged at 54 h with a task; Morgan sends it again', () =>
    claimTx(async (tx) => {
      const { run } = await sentRun(tx);
      const start = await sentAt(tx, run.id);

      // The job hands out try 1 once, leased; it is delivered.
      expect((await due(tx, start)).map((d) => d.try_number)).toEqual([1]);
      expect(await due(tx, start), 'leased: not handed out twice').toEqual([]);
      await delivered(tx, run.id, 1, start);

      let at = start;
      for (const expectedTry of [2, 3]) {
        const justBefore = new Date(at.getTime() + 18 * HOUR - 1000);
        expect(await due(tx, justBefore), `nothing due before 18 h (try ${expectedTry - 1})`).toEqual([]);
        expect((await runRow(tx, run.id)).tries).toBe(expectedTry - 1);
        at = new Date(at.getTime() + 18 * HOUR);
        expect((await due(tx, at)).map((d) => [d.run_id, d.try_number])).toEqual([[run.id, expectedTry]]);
        await delivered(tx, run.id, expectedTry, at);
        expect((await runRow(tx, run.id)).status).toBe('sent');
      }

      at = new Date(at.getTime() + 18 * HOUR);
      expect(await due(tx, at), 'a flagged run is not sent again by the job').toEqual([]);
      const flagged = await runRow(tx, run.id);
      expect(flagged).toMatchObject({ status: 'flagged', tries: 3 });
      const tasks = await tx`select recipient_id, done_at from public.notifications where kind = 'payment_run_flagged' and link = ${`/payment-runs/${run.id}`}`;
      expect(tasks).toEqual([{ recipient_id: PERSON.morgan, done_at: null }]);
      const actions = await tx`select action from public.audit_log where entity_type = 'payment_run' and entity_id = ${run.id} order by id`;
      expect(actions.map((a) => a.action)).toEqual([
        'payment_run.create', 'payment_run.send', 'payment_run.deliver', 'payment_run.resend', 'payment_run.deliver',
        'payment_run.resend', 'payment_run.deliver', 'payment_run.flag',
      ]);

      // A person decides: once more.
      await expectClaimRefused(tx, 'jordan', 'PT404', (sp) => sp`select public.resend_payment_run(${run.id})`);
      const [again] = await asOk(tx, 'morgan', (sp) => sp<Run[]>`select * from public.resend_payment_run(${run.id})`);
      expect(again).toMatchObject({ status: 'sent', tries: 4 });
      const [done] = await tx`select done_at from public.notifications where kind = 'payment_run_flagged' and link = ${`/payment-runs/${run.id}`}`;
      expect(done!.done_at, 'the flagged task is done once the run is sent again').not.toBeNull();
      await expectClaimRefused(tx, 'morgan', 'PT409', (sp) => sp`select public.resend_payment_run(${run.id})`, /is sent \(last change by Morgan Finance/);
    }));

  it('a try that could not be delivered is retried after a minute, and replaced by the next try 18 hours after it was queued', () =>
    claimTx(async (tx) => {
      const { run } = await sentRun(tx);
      const start = await sentAt(tx, run.id);
      expect((await due(tx, start)).map((d) => d.try_number)).toEqual([1]);
      await delivered(tx, run.id, 1, start, 'connect ECONNREFUSED');
      expect(await due(tx, new Date(start.getTime() + 30_000)), 'not before the minute').toEqual([]);
      expect((await due(tx, new Date(start.getTime() + 61_000))).map((d) => d.try_number)).toEqual([1]);
      const next = await due(tx, new Date(start.getTime() + 18 * HOUR));
      expect(next.map((d) => d.try_number)).toEqual([2]);
      const [first] = await tx`select delivered_at, delivery_error from public.payment_run_tries where run_id = ${run.id} and try_number = 1`;
      expect(first).toEqual({ delivered_at: null, delivery_error: 'connect ECONNREFUSED' });
    }));

  it('the service-role functions are not for people: Morgan and Pat are refused', () =>
    claimTx(async (tx) => {
      const { run } = await sentRun(tx);
      for (const who of ['morgan', 'pat'] as const) {
        await expectClaimRefused(tx, who, '42501', (sp) => sp`select * from public.payment_deliveries_due()`);
        await expectClaimRefused(tx, who, '42501', (sp) => sp`select public.record_payment_answer(${run.id}, true)`);
        await expectClaimRefused(tx, who, '42501', (sp) => sp`select public.payment_delivery_recorded(${run.id}, 1)`);
      }
    }));
});
