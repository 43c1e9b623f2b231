// The commissioner's review (issue 13): Tier 1 → Tier 2 → approved for
// payment, or → Finance for the high risk band; the band set by the database
// as a claim enters Tier 1; segregation of duties; decline and resubmission;
// several claims approved at once, each on its own; and two reviewers
// approving one claim at the same moment.
import { describe, expect, it } from 'vitest';
import { connect } from '../helpers.ts';
import {
  addLines,
  asOk,
  claimInTier1,
  claimRow,
  claimsDigest,
  claimTx,
  COMPONENT,
  DEPOT_PRACTICES,
  direct,
  expectClaimRefused,
  grantRoles,
  lineId,
  notificationsFor,
  ORG,
  PERSON,
  setApprovalMode,
  setUnits,
  startClaim,
  submit,
  validDepotClaim,
  type Claim,
  type PersonName,
  type Tx,
} from './fixtures.ts';

type Answer = { claim_id: string; claim_number: number; ok: boolean; status: string | null; message: string };
type ReviewRow = Claim & {
  risk_band: string | null;
  tier1_approved_by: string | null;
  tier1_approved_at: string | null;
  tier2_approved_by: string | null;
  tier2_approved_at: string | null;
  finance_approved_by: string | null;
  finance_approved_at: string | null;
  decline_reason: string | null;
  declined_by: string | null;
};

const DEPOT_UNIT = 12.5;

/** review_claims as `who`; returns the per-claim answers. */
async function review(tx: Tx, who: PersonName, ids: string[], expected: string | null = null, note: string | null = null): Promise<Answer[]> {
  const [row] = await asOk(
    tx,
    who,
    (sp) => sp<{ r: Answer[] }[]>`select public.review_claims(${ids}::uuid[], ${note}, ${expected}::public.claim_status) as r`,
  );
  return row!.r;
}

/** review_claims as `who` on claims it must all refuse: every answer ok:false with a message, and nothing changed. */
async function expectReviewRefused(tx: Tx, who: PersonName, ids: string[], message: RegExp, expected: string | null = null): Promise<Answer[]> {
  const before = await claimsDigest(tx);
  const answers = await review(tx, who, ids, expected);
  expect(answers.map((a) => ({ ok: a.ok, status: a.status, message: a.message })), who).toEqual(
    ids.map(() => ({ ok: false, status: null, message: expect.stringMatching(message) })),
  );
  expect(await claimsDigest(tx), `${who}'s refused review left the database changed`).toBe(before);
  return answers;
}

async function decline(tx: Tx, who: PersonName, claimId: string, reason: string): Promise<void> {
  await asOk(tx, who, (sp) => sp`select public.decline_claim(${claimId}, ${reason})`);
}

async function row(tx: Tx, claimId: string): Promise<ReviewRow> {
  const [found] = await tx<ReviewRow[]>`select * from public.claims where id = ${claimId}`;
  return found!;
}

/** Open (not done) task recipients of a kind about a claim. */
async function openTasks(tx: Tx, kind: string, claimId: string): Promise<string[]> {
  return (await notificationsFor(tx, kind, claimId)).filter((t) => t.done_at === null).map((t) => t.recipient_id);
}

/** ZN1's risk bands, changed inside the test's transaction. */
async function setBands(tx: Tx, mediumFrom: number, highFrom: number): Promise<void> {
  await direct(tx, () => tx`update public.commissioner_settings set medium_risk_from = ${mediumFrom}, high_risk_from = ${highFrom} where organisation_id = ${ORG.ZN1}`);
}


const sorted = (...ids: string[]) => [...ids].sort();

describe('Tier 1 review', () => {
  it('Taylor approves → pending_tier2_review; audited; Jordan (Tier 2) gets a task, the Tier 1 tasks are done', () =>
    claimTx(async (tx) => {
      const claim = await claimInTier1(tx);
      expect(sorted(...(await openTasks(tx, 'claim_awaiting_review', claim.id)))).toEqual(sorted(PERSON.taylor, PERSON.casey));

      const answers = await review(tx, 'taylor', [claim.id], 'pending_tier1_review', ' Checked against the register ');
      expect(answers).toEqual([
        { claim_id: claim.id, claim_number: Number(claim.claim_number), ok: true, status: 'pending_tier2_review', message: expect.stringMatching(/pending tier2 review/) },
      ]);
      const after = await row(tx, claim.id);
      expect(after).toMatchObject({ status: 'pending_tier2_review', tier1_approved_by: PERSON.taylor, tier2_approved_by: null });
      expect(after.tier1_approved_at).not.toBeNull();

      const audit = await tx`select actor_id, reason, before ->> 'status' as "from", after ->> 'status' as "to" from public.audit_log
                             where action = 'claim.tier_one_approve' and entity_id = ${claim.id}`;
      expect(audit).toEqual([{ actor_id: PERSON.taylor, reason: 'Checked against the register', from: 'pending_tier1_review', to: 'pending_tier2_review' }]);

      const tasks = await notificationsFor(tx, 'claim_awaiting_review', claim.id);
      // Taylor's and Casey's Tier 1 tasks are done; Jordan's Tier 2 task is open.
      expect(tasks.filter((t) => t.done_at !== null).map((t) => t.recipient_id).sort()).toEqual(sorted(PERSON.taylor, PERSON.casey));
      expect(await openTasks(tx, 'claim_awaiting_review', claim.id)).toEqual([PERSON.jordan]);
    }));

  it('refused (ok:false, nothing changed) to Chris and Jordan (no Tier 1 role), Robin (no reach), and Casey outside her cluster', () =>
    claimTx(async (tx) => {
      const claim = await claimInTier1(tx);
      // Chris (Commissioning Management) is no reviewer: the claim is not his to see.
      await expectReviewRefused(tx, 'chris', [claim.id], /does not exist, or you cannot see it/);
      await expectReviewRefused(tx, 'jordan', [claim.id], /waits for Tier 1 review: you do not hold that role/);
      await expectReviewRefused(tx, 'robin', [claim.id], /does not exist, or you cannot see it/);
      expect((await row(tx, claim.id)).status).toBe('pending_tier1_review');

      // A ZP1004 claim: Taylor reaches it, Casey (cluster ZP1001/ZP1002) does not.
      const outside = await claimInTier1(tx, 10, ORG.ZP1004);
      await expectReviewRefused(tx, 'casey', [outside.id], /does not exist, or you cannot see it|you do not hold that role/);
      // Casey approves the ZP1001 claim, Taylor the ZP1004 one.
      expect((await review(tx, 'casey', [claim.id]))[0]).toMatchObject({ ok: true, status: 'pending_tier2_review' });
      expect((await review(tx, 'taylor', [outside.id]))[0]).toMatchObject({ ok: true, status: 'pending_tier2_review' });
    }));

  it('anon may not call review_claims; an empty list is refused', () =>
    claimTx(async (tx) => {
      const claim = await claimInTier1(tx);
      await expectClaimRefused(tx, 'anon', '42501', (sp) => sp`select public.review_claims(${[claim.id]}::uuid[])`);
      await expectClaimRefused(tx, 'taylor', '22023', (sp) => sp`select public.review_claims(${[]}::uuid[])`, /Choose at least one claim/);
    }));
});

describe('the risk band', () => {
  it('is set as the claim enters Tier 1, from ZN1’s settings: low < medium_risk_from ≤ medium < high_risk_from ≤ high', () =>
    claimTx(async (tx) => {
      await setBands(tx, 10 * DEPOT_UNIT, 20 * DEPOT_UNIT); // £125.00, £250.00
      let practice = 0;
      const bandOf = async (units: number) => {
        const claim = await claimInTier1(tx, units, DEPOT_PRACTICES[practice++]);
        const { total, risk_band } = await row(tx, claim.id);
        return { total: Number(total), risk_band };
      };
      expect(await bandOf(9)).toEqual({ total: 112.5, risk_band: 'low' });
      expect(await bandOf(10)).toEqual({ total: 125, risk_band: 'medium' });
      expect(await bandOf(19)).toEqual({ total: 237.5, risk_band: 'medium' });
      expect(await bandOf(20)).toEqual({ total: 250, risk_band: 'high' });
    }));

  it('the seed’s ZN1 bands are the defaults (£15,000, £50,000); a later change of settings keeps the band', () =>
    claimTx(async (tx) => {
      const [settings] = await tx`select medium_risk_from::float8 as m, high_risk_from::float8 as h from public.commissioner_settings where organisation_id = ${ORG.ZN1}`;
      expect(settings).toEqual({ m: 15000, h: 50000 });
      const claims: Claim[] = [];
      for (const [i, units] of [1199, 1200, 3999, 4000].entries()) claims.push(await claimInTier1(tx, units, DEPOT_PRACTICES[i]));
      const bands = async () => Promise.all(claims.map(async (c) => (await row(tx, c.id)).risk_band));
      expect(await bands()).toEqual(['low', 'medium', 'medium', 'high']);
      // Bands are stamped on entry: claims already in review keep theirs.
      await setBands(tx, 1, 2);
      expect(await bands()).toEqual(['low', 'medium', 'medium', 'high']);
    }));
});

describe('Tier 2 review and Finance', () => {
  it('low and medium: Jordan approves → approved_for_payment; Pat is told', () =>
    claimTx(async (tx) => {
      await setBands(tx, 10 * DEPOT_UNIT, 20 * DEPOT_UNIT);
      for (const [units, band, practice] of [
        [9, 'low', ORG.ZP1001],
        [19, 'medium', ORG.ZP1002],
      ] as const) {
        const claim = await claimInTier1(tx, units, practice);
        expect((await row(tx, claim.id)).risk_band).toBe(band);
        await review(tx, 'taylor', [claim.id]);
        // Taylor holds no Tier 2 role.
        await expectReviewRefused(tx, 'taylor', [claim.id], /waits for Tier 2 review: you do not hold that role/);
        expect(await review(tx, 'jordan', [claim.id], 'pending_tier2_review')).toEqual([
          expect.objectContaining({ ok: true, status: 'approved_for_payment' }),
        ]);
        expect(await row(tx, claim.id)).toMatchObject({ status: 'approved_for_payment', tier1_approved_by: PERSON.taylor, tier2_approved_by: PERSON.jordan });
        expect(await notificationsFor(tx, 'claim_approved', claim.id)).toEqual([{ recipient_id: PERSON.pat, done_at: null }]);
        expect(await openTasks(tx, 'claim_awaiting_review', claim.id)).toEqual([]);
        const [audit] = await tx`select actor_id, after ->> 'risk_band' as band from public.audit_log where action = 'claim.tier_two_approve' and entity_id = ${claim.id}`;
        expect(audit).toEqual({ actor_id: PERSON.jordan, band });
        // Approved for payment: nothing left to approve.
        await expectReviewRefused(tx, 'morgan', [claim.id], /already decided by Jordan .* at \d\d\/\d\d\/\d{4}/);
      }
    }));

  it('high: Jordan approves → pending_finance_approval with a task for Morgan; Morgan approves → approved_for_payment', () =>
    claimTx(async (tx) => {
      await setBands(tx, 10 * DEPOT_UNIT, 20 * DEPOT_UNIT);
      const claim = await claimInTier1(tx, 20);
      expect((await row(tx, claim.id)).risk_band).toBe('high');
      await review(tx, 'taylor', [claim.id]);
      expect((await review(tx, 'jordan', [claim.id]))[0]).toMatchObject({ ok: true, status: 'pending_finance_approval' });
      expect(await notificationsFor(tx, 'claim_approved', claim.id)).toEqual([]);
      expect(await openTasks(tx, 'claim_awaiting_review', claim.id)).toEqual([PERSON.morgan]);

      // Finance approval is Finance's only.
      for (const who of ['jordan', 'taylor'] as const) {
        await expectReviewRefused(tx, who, [claim.id], /waits for Finance approval: you do not hold that role/);
      }
      for (const who of ['chris', 'robin'] as const) await expectReviewRefused(tx, who, [claim.id], /does not exist, or you cannot see it/);
      expect((await review(tx, 'morgan', [claim.id], 'pending_finance_approval'))[0]).toMatchObject({ ok: true, status: 'approved_for_payment' });
      expect(await row(tx, claim.id)).toMatchObject({ status: 'approved_for_payment', finance_approved_by: PERSON.morgan });
      expect(await notificationsFor(tx, 'claim_approved', claim.id)).toEqual([{ recipient_id: PERSON.pat, done_at: null }]);
      expect(await openTasks(tx, 'claim_awaiting_review', claim.id)).toEqual([]);
      const actions = await tx`select action, actor_id from public.audit_log where entity_id = ${claim.id} and action like 'claim.%approve' order by id`;
      expect(actions).toEqual([
        { action: 'claim.tier_one_approve', actor_id: PERSON.taylor },
        { action: 'claim.tier_two_approve', actor_id: PERSON.jordan },
        { action: 'claim.finance_approve', actor_id: PERSON.morgan },
      ]);
    }));
});

describe('segregation of duties', () => {
  it('the Tier 1 approver of a claim cannot approve it at Tier 2, nor is asked to; another claim’s Tier 2 is theirs', () =>
    claimTx(async (tx) => {
      // One membership may not hold both roles: Tier 2 at Northshire East (over ZP1001–ZP1004).
      await grantRoles(tx, 'taylor', ORG.ZN1E, ['approver_tier_2']);
      const mine = await claimInTier1(tx);
      await review(tx, 'taylor', [mine.id]);
      expect(await openTasks(tx, 'claim_awaiting_review', mine.id)).toEqual([PERSON.jordan]);
      await expectReviewRefused(tx, 'taylor', [mine.id], /You approved claim \d+ at Tier 1/);

      // Casey approves the other claim at Tier 1: Taylor may approve it at Tier 2.
      const other = await claimInTier1(tx, 10, ORG.ZP1002);
      await review(tx, 'casey', [other.id]);
      expect(sorted(...(await openTasks(tx, 'claim_awaiting_review', other.id)))).toEqual(sorted(PERSON.taylor, PERSON.jordan));
      expect((await review(tx, 'taylor', [other.id]))[0]).toMatchObject({ ok: true, status: 'approved_for_payment' });
    }));

  it('nobody approves or declines a claim they submitted', () =>
    claimTx(async (tx) => {
      // Taylor also submits for Riverside (one-step): his own claim is Casey's to review.
      await grantRoles(tx, 'taylor', ORG.ZP1001, ['claim_submitter']);
      await setApprovalMode(tx, ORG.ZP1001, 'one_step');
      const claim = await validDepotClaim(tx, 'taylor');
      expect((await submit(tx, 'taylor', claim.id)).status).toBe('pending_tier1_review');
      // Only Casey is asked at Tier 1, not the submitter.
      expect(await openTasks(tx, 'claim_awaiting_review', claim.id)).toEqual([PERSON.casey]);
      await expectReviewRefused(tx, 'taylor', [claim.id], /You submitted claim \d+: someone else must approve it/);
      await expectClaimRefused(tx, 'taylor', '42501', (sp) => sp`select public.decline_claim(${claim.id}, 'Not mine to decide')`, /You submitted claim/);
      expect((await review(tx, 'casey', [claim.id]))[0]).toMatchObject({ ok: true, status: 'pending_tier2_review' });
      // Jordan is asked at Tier 2; the submitter is not (even if he held the role).
      expect(await openTasks(tx, 'claim_awaiting_review', claim.id)).toEqual([PERSON.jordan]);
    }));
});

describe('decline_claim', () => {
  const steps = [
    { step: 'Tier 1', status: 'pending_tier1_review', approvers: [] as PersonName[], decider: 'taylor' as PersonName, wrong: 'jordan' as PersonName },
    { step: 'Tier 2', status: 'pending_tier2_review', approvers: ['taylor'] as PersonName[], decider: 'jordan' as PersonName, wrong: 'taylor' as PersonName },
    { step: 'Finance', status: 'pending_finance_approval', approvers: ['taylor', 'jordan'] as PersonName[], decider: 'morgan' as PersonName, wrong: 'jordan' as PersonName },
  ];
  for (const { step, status, approvers, decider, wrong } of steps) {
    it(`at ${step}: a reason is required, only the step’s role declines; → declined, approvals cleared, Pat gets a task`, () =>
      claimTx(async (tx) => {
        await setBands(tx, 10 * DEPOT_UNIT, 20 * DEPOT_UNIT);
        const claim = await claimInTier1(tx, 20); // high band: Finance after Tier 2
        for (const who of approvers) await review(tx, who, [claim.id]);
        expect((await row(tx, claim.id)).status).toBe(status);

        const declineAs = (reason: string) => (sp: Tx) => sp`select public.decline_claim(${claim.id}, ${reason})`;
        await expectClaimRefused(tx, decider, '22023', declineAs('   '), /reason is required/i);
        await expectClaimRefused(tx, wrong, '42501', declineAs('No'), /you do not hold the role that decides it/);
        await expectClaimRefused(tx, 'robin', 'PT404', declineAs('No'));
        await expectClaimRefused(tx, 'anon', '42501', declineAs('No'));
        await expectClaimRefused(tx, decider, 'PT409', (sp) => sp`select public.decline_claim(${claim.id}, 'No', 'approved_for_payment')`);

        await decline(tx, decider, claim.id, '  Units do not match the register  ');
        expect(await row(tx, claim.id)).toMatchObject({
          status: 'declined',
          decline_reason: 'Units do not match the register',
          declined_by: PERSON[decider],
          tier1_approved_by: null,
          tier1_approved_at: null,
          tier2_approved_by: null,
          tier2_approved_at: null,
          finance_approved_by: null,
          finance_approved_at: null,
        });
        expect(await notificationsFor(tx, 'claim_declined', claim.id)).toEqual([{ recipient_id: PERSON.pat, done_at: null }]);
        expect(await openTasks(tx, 'claim_awaiting_review', claim.id)).toEqual([]);
        const [audit] = await tx`select actor_id, reason from public.audit_log where action = 'claim.decline' and entity_id = ${claim.id}`;
        expect(audit).toEqual({ actor_id: PERSON[decider], reason: 'Units do not match the register' });
        // Declined: nothing left to decline or approve.
        await expectClaimRefused(tx, decider, 'PT409', declineAs('Again'), /already decided by/);
        await expectReviewRefused(tx, 'taylor', [claim.id], /already decided by .* at \d\d\/\d\d\/\d{4} .*declined/);
      }));
  }

  it('the declined claim resubmitted unchanged is refused; changed, it goes through the review afresh', () =>
    claimTx(async (tx) => {
      const claim = await claimInTier1(tx, 10);
      await review(tx, 'taylor', [claim.id]);
      await decline(tx, 'jordan', claim.id, 'Nine injections on the register, not ten');

      const before = await claimsDigest(tx);
      const unchanged = await submit(tx, 'pat', claim.id);
      expect(unchanged).toMatchObject({ ok: false, status: 'declined' });
      expect(unchanged.problems.map((p) => p.rule)).toEqual(['unchanged_resubmission']);
      expect(await claimsDigest(tx)).toBe(before);

      await setUnits(tx, 'pat', await lineId(tx, claim.id, COMPONENT.depotInjection), 9);
      expect(await submit(tx, 'pat', claim.id)).toMatchObject({ ok: true, status: 'pending_tier1_review', total: 112.5 });
      expect((await notificationsFor(tx, 'claim_declined', claim.id))[0]!.done_at).not.toBeNull();
      expect(await row(tx, claim.id)).toMatchObject({ risk_band: 'low', tier1_approved_by: null });
      // Tier 1 again (Taylor's earlier approval was cleared), then Tier 2.
      expect(sorted(...(await openTasks(tx, 'claim_awaiting_review', claim.id)))).toEqual(sorted(PERSON.taylor, PERSON.casey));
      await review(tx, 'taylor', [claim.id]);
      expect((await review(tx, 'jordan', [claim.id]))[0]).toMatchObject({ ok: true, status: 'approved_for_payment' });
    }));
});

describe('several claims at once', () => {
  it('each on its own: the approvable one moves, the one out of reach and the declined one are untouched, each with its reason', () =>
    claimTx(async (tx) => {
      const approvable = await claimInTier1(tx, 10);
      const declined = await claimInTier1(tx, 11, ORG.ZP1002);
      await decline(tx, 'casey', declined.id, 'Duplicate of another claim');
      // Harper's Southvale claim: outside ZN1.
      const southvale = await startClaim(tx, 'harper', ORG.ZP2001);
      await addLines(tx, 'harper', southvale.id, [COMPONENT.bloodSample]);
      await setUnits(tx, 'harper', await lineId(tx, southvale.id, COMPONENT.bloodSample), 4);
      expect((await submit(tx, 'harper', southvale.id)).status).toBe('pending_tier1_review');

      const rows = async () => tx`select id, status, updated_at from public.claims where id in ${tx([declined.id, southvale.id])} order by id`;
      const untouched = await rows();
      const answers = await review(tx, 'taylor', [approvable.id, southvale.id, declined.id, approvable.id]);
      expect(answers).toEqual([
        expect.objectContaining({ claim_id: approvable.id, ok: true, status: 'pending_tier2_review' }),
        // Not Taylor's to see: not even its number is told.
        { claim_id: southvale.id, claim_number: null, ok: false, status: null, message: 'The claim does not exist, or you cannot see it.' },
        expect.objectContaining({
          claim_id: declined.id,
          claim_number: Number(declined.claim_number),
          ok: false,
          status: null,
          message: expect.stringMatching(/already decided by Casey .* at \d\d\/\d\d\/\d{4} \d\d:\d\d: it is now declined/),
        }),
      ]);
      expect(answers).toHaveLength(3); // a repeated id is reviewed once
      expect((await row(tx, approvable.id)).status).toBe('pending_tier2_review');
      expect(await rows()).toEqual(untouched);
      const audited = await tx`select entity_id from public.audit_log where action = 'claim.tier_one_approve'
                               and entity_id in ${tx([approvable.id, declined.id, southvale.id])}`;
      expect(audited.map((a) => a.entity_id)).toEqual([approvable.id]);
    }));
});

describe('two reviewers at the same moment', () => {
  // Two real connections, each its own transaction: the claims are committed
  // for the duration of the test and removed afterwards.
  const first = connect(undefined, { max: 1 });
  const second = connect(undefined, { max: 1 });
  const setup = connect(undefined, { max: 1 });
  const PAIRS = 50;

  it(`Taylor and Casey approving one claim: exactly one goes through, the other hears who decided it (${PAIRS} pairs)`, async () => {
    const created: string[] = [];
    try {
      for (let pair = 0; pair < PAIRS; pair++) {
        // A ZP1002 claim (in Casey's cluster) inserted as the seed does: no
        // other test file commits ZP1002 claims, so none of theirs interferes.
        const [claim] = await setup.begin((tx) =>
          direct(
            tx,
            () => tx<{ id: string }[]>`
              insert into public.claims (provider_id, commissioner_id, submission_mode, status, total, submitted_at, submitted_by, risk_band)
              values (${ORG.ZP1002}, ${ORG.ZN1}, 'multi_service', 'pending_tier1_review', 125, now(), ${PERSON.pat}, 'low')
              returning id`,
          ),
        );
        created.push(claim!.id);
        const approveAs = (conn: typeof first, who: PersonName) =>
          conn.begin((tx) => review(tx as Tx, who, [claim!.id], 'pending_tier1_review'));
        const [byTaylor, byCasey] = await Promise.all([approveAs(first, 'taylor'), approveAs(second, 'casey')]);
        const answers = [...byTaylor!, ...byCasey!];
        expect(answers.map((a) => a.ok).sort(), `pair ${pair}`).toEqual([false, true]);
        const winner = answers[0]!.ok ? 'taylor' : 'casey';
        const loser = answers.find((a) => !a.ok)!;
        expect(loser.message).toMatch(/already decided by .* at \d\d\/\d\d\/\d{4}/);
        expect(loser.message).toContain(winner === 'taylor' ? 'Taylor' : 'Casey');
        const [stored] = await setup`select status, tier1_approved_by from public.claims where id = ${claim!.id}`;
        expect(stored).toEqual({ status: 'pending_tier2_review', tier1_approved_by: PERSON[winner] });
        const audit = await setup`select actor_id from public.audit_log where entity_id = ${claim!.id} and action = 'claim.tier_one_approve'`;
        expect(audit).toEqual([{ actor_id: PERSON[winner] }]);
      }
    } finally {
      if (created.length > 0) {
        await setup.begin(async (tx) => {
          await tx`delete from public.notifications where link in ${tx(created.map((id) => `/claims/${id}`))}`;
          await direct(tx, () => tx`delete from public.claims where id in ${tx(created)}`);
        });
      }
    }
  });
});
