// New Claim: whether a provider can claim today (and the job aid's reasons
// when not), and start_claim — who may press it, the Claim ID it allocates
// (never reused, not even after Delete) and the empty draft offered again.
import { describe, expect, it } from 'vitest';
import {
  addLines,
  asError,
  asOk,
  claimRow,
  claimTx,
  COMPONENT,
  direct,
  expectClaimRefused,
  grantRoles,
  ORG,
  PERSON,
  SERVICE,
  startClaim,
  type Tx,
} from './fixtures.ts';

type Availability = {
  available: boolean;
  reason: string | null;
  message: string | null;
  next_opens_on: string | null;
  services: { service_id: string; period_label: string; window_id: string | null }[];
  open_drafts: { claim_id: string; claim_number: number }[];
};

async function availability(tx: Tx, who: 'pat' | 'harper', provider: string): Promise<Availability> {
  const [row] = await asOk(tx, who, (sp) => sp<{ a: Availability }[]>`select public.new_claim_availability(${provider}) as a`);
  return row!.a;
}

/** Move the windows of the given quarter of Complex Care and Depot (ZP1001's services) by whole days from today. */
async function moveWindows(tx: Tx, quarter: number, opensIn: number, closesIn: number): Promise<void> {
  await direct(
    tx,
    () => tx`
      update public.claim_windows set opens_on = current_date + ${opensIn}::integer, closes_on = current_date + ${closesIn}::integer
      where service_id in (${SERVICE.complexCare}, ${SERVICE.depot}) and period_label = ${`Q${quarter} 2025/26`}`,
  );
}

describe('new_claim_availability', () => {
  it('ZP1001 can claim today: Q3 is open for both its claimable services', () =>
    claimTx(async (tx) => {
      const result = await availability(tx, 'pat', ORG.ZP1001);
      expect(result).toMatchObject({ available: true, reason: null, message: null });
      expect(result.services.map((s) => [s.service_id, s.period_label]).sort()).toEqual([
        [SERVICE.complexCare, 'Q3 2025/26'],
        [SERVICE.depot, 'Q3 2025/26'],
      ]);
    }));

  it('not_open_yet: no window open today, the next one named with its date', () =>
    claimTx(async (tx) => {
      await moveWindows(tx, 3, 5, 40);
      const result = await availability(tx, 'pat', ORG.ZP1001);
      const [expected] = await tx<{ d: string }[]>`select to_char(current_date + 5, 'YYYY-MM-DD') as d`;
      expect(result).toMatchObject({ available: false, reason: 'not_open_yet', next_opens_on: expected!.d, services: [] });
      expect(result.message).toMatch(/has not opened yet/);
    }));

  it('all_claimed: every open period is on a claim; the next window is announced', () =>
    claimTx(async (tx) => {
      const claim = await startClaim(tx, 'pat', ORG.ZP1001);
      await addLines(tx, 'pat', claim.id, [COMPONENT.carePlan, COMPONENT.depotInjection]);
      // Still a draft: the database names it, to be finished rather than started again.
      const onDraft = await availability(tx, 'pat', ORG.ZP1001);
      expect(onDraft).toMatchObject({ available: false, reason: 'all_claimed', services: [],
        open_drafts: [{ claim_id: claim.id, claim_number: Number(claim.claim_number) }] });
      expect(onDraft.message).toMatch(new RegExp(`already on your draft claim ${claim.claim_number}: finish it and press Submit\\. The next claim window opens on`));
      // Submitted (status written as the actions would): nothing left, nothing to finish.
      await tx`select set_config('app.action', 'test', true)`;
      await tx`update public.claims set status = 'pending_tier1_review' where id = ${claim.id}`;
      await tx`select set_config('app.action', '', true)`;
      const submitted = await availability(tx, 'pat', ORG.ZP1001);
      expect(submitted).toMatchObject({ available: false, reason: 'all_claimed', open_drafts: [] });
      expect(submitted.message).toMatch(/nothing more to claim now\. The next claim window opens on/);
    }));

  it('all_claimed stops once one open period is free again (a service removed from the claim)', () =>
    claimTx(async (tx) => {
      const claim = await startClaim(tx, 'pat', ORG.ZP1001);
      await addLines(tx, 'pat', claim.id, [COMPONENT.carePlan]);
      const result = await availability(tx, 'pat', ORG.ZP1001);
      expect(result.available).toBe(true);
      expect(result.services.map((s) => s.service_id)).toEqual([SERVICE.depot]);
    }));

  it('window_missed: the windows closed unclaimed and none is to come', () =>
    claimTx(async (tx) => {
      await moveWindows(tx, 3, -40, -2);
      await moveWindows(tx, 4, -20, -1);
      const result = await availability(tx, 'pat', ORG.ZP1001);
      expect(result).toMatchObject({ available: false, reason: 'window_missed', next_opens_on: null });
      expect(result.message).toMatch(/missed your claim window: .*Complex Care Plans 2025\/26 \(Q4 2025\/26, closed /);
      expect(result.message).toMatch(/Depot Antipsychotic Injections 2025\/26/);
    }));

  it('no_services: a practice with no approved local service (ZP1005: its offer was withdrawn)', () =>
    claimTx(async (tx) => {
      await grantRoles(tx, 'pat', ORG.ZP1005, ['claim_submitter']);
      const result = await availability(tx, 'pat', ORG.ZP1005);
      expect(result).toMatchObject({ available: false, reason: 'no_services', services: [] });
    }));

  it('only the practice itself may ask: others are refused with 42501, anon may not call it', () =>
    claimTx(async (tx) => {
      for (const who of ['harper', 'taylor', 'chris'] as const) {
        const error = await asError(tx, who, (sp) => sp`select public.new_claim_availability(${ORG.ZP1001})`);
        expect(error.code, who).toBe('42501');
        expect(error.message, who).toMatch(/only see the claims of your own organisation/);
      }
      expect((await asError(tx, 'anon', (sp) => sp`select public.new_claim_availability(${ORG.ZP1001})`)).code).toBe('42501');
      // Ash (Provider Approver) is a member: he may ask.
      const [row] = await asOk(tx, 'ash', (sp) => sp<{ a: Availability }[]>`select public.new_claim_availability(${ORG.ZP1001}) as a`);
      expect(row!.a.available).toBe(true);
    }));
});

describe('start_claim', () => {
  it('Pat (Claim Submitter) starts a draft with a Claim ID from 36001, under ZN1, audited', () =>
    claimTx(async (tx) => {
      const claim = await startClaim(tx, 'pat', ORG.ZP1001);
      const row = await tx`select * from public.claims where id = ${claim.id}`;
      expect(row[0]).toMatchObject({
        provider_id: ORG.ZP1001,
        commissioner_id: ORG.ZN1,
        submission_mode: 'multi_service',
        status: 'draft',
        total: '0.00',
        created_by: PERSON.pat,
      });
      expect(Number(claim.claim_number)).toBeGreaterThanOrEqual(36001);
      const audit = await tx`select actor_id, organisation_id from public.audit_log where action = 'claim.start' and entity_id = ${claim.id}`;
      expect(audit).toEqual([{ actor_id: PERSON.pat, organisation_id: ORG.ZP1001 }]);
    }));

  it('Harper starts a Southvale claim: single-service mode from ZS1', () =>
    claimTx(async (tx) => {
      const claim = await startClaim(tx, 'harper', ORG.ZP2001);
      const [row] = await tx`select commissioner_id, submission_mode from public.claims where id = ${claim.id}`;
      expect(row).toEqual({ commissioner_id: ORG.ZS1, submission_mode: 'single_service' });
    }));

  it('refused to everyone but the provider’s Claim Submitters, changing nothing', () =>
    claimTx(async (tx) => {
      await expectClaimRefused(tx, 'ash', '42501', (sp) => sp`select public.start_claim(${ORG.ZP1001})`, /Only Claim Submitters/);
      await expectClaimRefused(tx, 'taylor', '42501', (sp) => sp`select public.start_claim(${ORG.ZP1001})`, /Only Claim Submitters/);
      await expectClaimRefused(tx, 'harper', '42501', (sp) => sp`select public.start_claim(${ORG.ZP1001})`, /Only Claim Submitters/);
      await expectClaimRefused(tx, 'anon', '42501', (sp) => sp`select public.start_claim(${ORG.ZP1001})`);
    }));

  it('refused (PT409, with the reason) when there is nothing to claim today', () =>
    claimTx(async (tx) => {
      await direct(
        tx,
        () => tx`update public.claim_windows set opens_on = current_date + 3, closes_on = current_date + 40
                 where service_id in (${SERVICE.complexCare}, ${SERVICE.depot}) and period_label = 'Q3 2025/26'`,
      );
      await expectClaimRefused(tx, 'pat', 'PT409', (sp) => sp`select public.start_claim(${ORG.ZP1001})`, /has not opened yet/);
    }));

  it('an empty draft is offered again instead of a second one', () =>
    claimTx(async (tx) => {
      const first = await startClaim(tx, 'pat', ORG.ZP1001);
      const again = await startClaim(tx, 'pat', ORG.ZP1001);
      expect(again.id).toBe(first.id);
      expect(again.claim_number).toBe(first.claim_number);
      const [{ n }] = (await tx`select count(*)::int as n from public.claims where provider_id = ${ORG.ZP1001}`) as unknown as [{ n: number }];
      expect(n).toBe(1);
    }));

  it('Claim IDs increase and are never reused, not even after delete_claim', () =>
    claimTx(async (tx) => {
      const first = await startClaim(tx, 'pat', ORG.ZP1001);
      await addLines(tx, 'pat', first.id, [COMPONENT.carePlan]);
      const second = await startClaim(tx, 'pat', ORG.ZP1001);
      expect(Number(second.claim_number)).toBeGreaterThan(Number(first.claim_number));
      await asOk(tx, 'pat', (sp) => sp`select public.delete_claim(${second.id})`);
      expect(await claimRow(tx, second.id)).toBeUndefined();
      const third = await startClaim(tx, 'pat', ORG.ZP1001);
      expect(Number(third.claim_number)).toBeGreaterThan(Number(second.claim_number));
      // The deleted claim's audit entry stays, with what it was.
      const [audit] = await tx`select before ->> 'claim_number' as number from public.audit_log where action = 'claim.delete' and entity_id = ${second.id}`;
      expect(audit).toEqual({ number: String(second.claim_number) });
    }));
});

describe('delete_claim', () => {
  it('only a Claim Submitter of the provider deletes, and only a draft', () =>
    claimTx(async (tx) => {
      const claim = await startClaim(tx, 'pat', ORG.ZP1001);
      await addLines(tx, 'pat', claim.id, [COMPONENT.carePlan]);
      await expectClaimRefused(tx, 'ash', '42501', (sp) => sp`select public.delete_claim(${claim.id})`, /Only Claim Submitters/);
      await expectClaimRefused(tx, 'harper', 'PT404', (sp) => sp`select public.delete_claim(${claim.id})`);
      await expectClaimRefused(tx, 'taylor', 'PT404', (sp) => sp`select public.delete_claim(${claim.id})`);
      await direct(tx, () => tx`update public.claims set status = 'declined' where id = ${claim.id}`);
      await expectClaimRefused(tx, 'pat', 'PT409', (sp) => sp`select public.delete_claim(${claim.id})`, /only draft claims can be deleted/);
      await direct(tx, () => tx`update public.claims set status = 'pending_tier1_review' where id = ${claim.id}`);
      await expectClaimRefused(tx, 'pat', 'PT409', (sp) => sp`select public.delete_claim(${claim.id})`, /only draft or declined/);
      await direct(tx, () => tx`update public.claims set status = 'draft' where id = ${claim.id}`);
      await asOk(tx, 'pat', (sp) => sp`select public.delete_claim(${claim.id})`);
      expect(await tx`select 1 from public.claim_lines where claim_id = ${claim.id}`).toHaveLength(0);
    }));
});
