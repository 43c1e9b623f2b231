// public.claim_review_counts() (issue 13): how many claims wait for each
// review step the caller holds — the number beside "Claims review" in the
// portal's menu. Counted through the step's role over the provider (clusters
// respected), so it always equals what the caller's queue lists for that step.
import { describe, expect, it } from 'vitest';
import { type PgError } from '../tenancy/fixtures.ts';
import { asOk, claimTx, direct, expectClaimRefused, grantRoles, inTx, ORG, PERSON, type PersonName, type Tx } from './fixtures.ts';

const claimId = (n: number) => `3a000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const SEEDED = Array.from({ length: 14 }, (_, i) => claimId(i + 1));
const STEPS = ['pending_tier1_review', 'pending_tier2_review', 'pending_finance_approval'] as const;

type Counts = Record<(typeof STEPS)[number], number>;

async function counts(tx: Tx, who: PersonName): Promise<Counts> {
  const rows = await asOk(tx, who, (sp) => sp<{ status: string; waiting: number }[]>`select status::text, waiting from public.claim_review_counts()`);
  expect(rows.map((r) => r.status), 'one row per step, in order').toEqual([...STEPS]);
  return Object.fromEntries(rows.map((r) => [r.status, r.waiting])) as Counts;
}

/** What the caller's queue lists for a step: claim_overview through RLS in the step's status. */
async function queueLength(tx: Tx, who: PersonName, status: (typeof STEPS)[number]): Promise<number> {
  const [row] = await asOk(tx, who, (sp) => sp<{ n: number }[]>`
    select count(*)::int as n from public.claim_overview where status = ${status}::public.claim_status`);
  return row!.n;
}

/** The demo data's claims only: claims other files commit for a moment are removed inside the rolled-back transaction. */
async function seedClaimsTx<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await inTx(async (tx) => {
        await direct(tx, async () => {
          // A payment run's claims go first: they hold on to their claims.
          await tx`delete from public.payment_run_claims where not claim_id = any (${SEEDED}::uuid[])`;
          await tx`delete from public.claims where not id = any (${SEEDED}::uuid[])`;
        });
        return fn(tx);
      });
    } catch (caught) {
      if ((caught as PgError)?.code === '40001' && attempt < 4) continue;
      throw caught;
    }
  }
}

const counted = (tier1: number, tier2: number, finance: number): Counts => ({
  pending_tier1_review: tier1,
  pending_tier2_review: tier2,
  pending_finance_approval: finance,
});

describe('claim_review_counts on the demo data', () => {
  it('each reviewer counts their own steps only: Taylor 2 at Tier 1, Casey 1 (her cluster), Jordan 3 at Tier 2, Morgan 1, Robin 1 (Southvale)', () =>
    seedClaimsTx(async (tx) => {
      expect(await counts(tx, 'taylor')).toEqual(counted(2, 0, 0)); // 36004, 36010
      expect(await counts(tx, 'casey')).toEqual(counted(1, 0, 0)); // 36004 — not Hill Top's 36010
      expect(await counts(tx, 'jordan')).toEqual(counted(0, 3, 0)); // 36007, 36013, 36014
      expect(await counts(tx, 'morgan')).toEqual(counted(0, 0, 1)); // 36005
      expect(await counts(tx, 'robin')).toEqual(counted(1, 0, 0)); // 36011, nothing of Northshire
    }));

  it('equals what each single-step reviewer’s queue lists (the tab counts)', () =>
    seedClaimsTx(async (tx) => {
      const steps = { taylor: 'pending_tier1_review', casey: 'pending_tier1_review', jordan: 'pending_tier2_review', morgan: 'pending_finance_approval', robin: 'pending_tier1_review' } as const;
      for (const [who, step] of Object.entries(steps) as [PersonName, (typeof STEPS)[number]][]) {
        expect((await counts(tx, who))[step], who).toBe(await queueLength(tx, who, step));
      }
    }));

  it('is 0 everywhere for those who review nothing: Chris (Commissioning Management), Alex (administrator), Pat and Ash (practice)', () =>
    seedClaimsTx(async (tx) => {
      for (const who of ['chris', 'alex', 'pat', 'ash'] as const) expect(await counts(tx, who), who).toEqual(counted(0, 0, 0));
    }));

  it('anon may not call it', () =>
    seedClaimsTx(async (tx) => {
      await expectClaimRefused(tx, 'anon', '42501', (sp) => sp`select * from public.claim_review_counts()`);
    }));
});

describe('claim_review_counts follows the claims and the roles', () => {
  it('after an approval the claim leaves the Tier 1 counts and joins Jordan’s Tier 2 count; a decline leaves every count', () =>
    seedClaimsTx(async (tx) => {
      // 36004 (Bridge Street, in Casey's cluster).
      await asOk(tx, 'taylor', (sp) => sp`select public.review_claims(${[claimId(4)]}::uuid[])`);
      expect(await counts(tx, 'taylor')).toEqual(counted(1, 0, 0));
      expect(await counts(tx, 'casey')).toEqual(counted(0, 0, 0));
      expect(await counts(tx, 'jordan')).toEqual(counted(0, 4, 0));
      await asOk(tx, 'jordan', (sp) => sp`select public.decline_claim(${claimId(4)}, 'Twenty care plans, the register shows 18')`);
      expect(await counts(tx, 'jordan')).toEqual(counted(0, 3, 0));
      expect(await counts(tx, 'taylor')).toEqual(counted(1, 0, 0));
    }));

  it('each step through its own role: a Tier 2 role at Northshire East adds Tier 2 counts for its practices only', () =>
    claimTx(async (tx) => {
      // No claims at all (claimTx): every count 0, then one waiting claim of each step at ZP1001.
      expect(await counts(tx, 'taylor')).toEqual(counted(0, 0, 0));
      await direct(
        tx,
        () => tx`
          insert into public.claims (provider_id, commissioner_id, submission_mode, status, total, submitted_at, submitted_by, risk_band)
          select ${ORG.ZP1001}::uuid, ${ORG.ZN1}::uuid, 'multi_service', s::public.claim_status, 100, now(), ${PERSON.pat}, 'low'
          from unnest(${[...STEPS]}::text[]) s`,
      );
      expect(await counts(tx, 'taylor')).toEqual(counted(1, 0, 0));
      await grantRoles(tx, 'taylor', ORG.ZN1E, ['approver_tier_2']); // Northshire East, over ZP1001–ZP1004
      expect(await counts(tx, 'taylor')).toEqual(counted(1, 1, 0));
      // An account that is no longer active holds no role.
      await direct(tx, () => tx`update public.profiles set status = 'disabled', disable_reason = 'left_organisation', status_before_disable = 'active' where id = ${PERSON.taylor}`);
      const disabled = await asOk(tx, 'taylor', (sp) => sp<{ waiting: number }[]>`select waiting from public.claim_review_counts()`);
      expect(disabled.map((r) => r.waiting)).toEqual([0, 0, 0]);
    }));
});
