// What the claims benchmark's fixes (tests/bench/claims.bench.ts) must not
// change: the claims list (claim_overview) reads its labels past the child
// tables' policies but shows only the claims the caller may read, and the
// Tier 1 notice written in one INSERT reaches exactly the reviewers who reach
// the practice, as a task about the claim.
import { describe, expect, it } from 'vitest';
import { COMPONENT } from '../services/fixtures.ts';
import { asOk, inTx, ORG, PERSON, type Tx } from '../tenancy/fixtures.ts';

/** Pat's claim of ZP1001 (two-step) for a care plan and a depot injection, valid and still a draft. */
async function patsDraft(tx: Tx): Promise<string> {
  return asOk(tx, 'pat', async (sp) => {
    const [claim] = await sp<{ id: string }[]>`select (public.start_claim(${ORG.ZP1001})).id`;
    const id = claim!.id;
    await sp`select public.add_claim_lines(${id}, ${[COMPONENT.carePlan, COMPONENT.depotInjection]}::uuid[])`;
    await sp`select public.set_claim_line_units(l.id, 12) from public.claim_lines l where l.claim_id = ${id}`;
    await sp`
      select public.set_claim_answer(${id}, q.id, true)
      from public.claim_answers a join public.service_questions q on q.id = a.question_id
      where a.claim_id = ${id} and q.kind = 'yes_no_must_be_yes'`;
    return id;
  });
}

async function overviewIds(tx: Tx, who: 'pat' | 'ash' | 'harper' | 'taylor' | 'robin'): Promise<string[]> {
  return asOk(tx, who, async (sp) => (await sp<{ id: string }[]>`select id from public.claim_overview`).map((row) => row.id));
}

describe('claim_overview', () => {
  it('shows the practice its claim with the provider, services, periods and financial year', () =>
    inTx(async (tx) => {
      const claimId = await patsDraft(tx);
      for (const who of ['pat', 'ash'] as const) {
        const rows = await asOk(tx, who, (sp) => sp`
          select provider_ods_code, provider_name, services, periods, financial_year, total::text
          from public.claim_overview where id = ${claimId}`);
        expect(rows).toEqual([{
          provider_ods_code: 'ZP1001',
          provider_name: 'Riverside Medical Centre',
          services: 'Complex Care Plans 2025/26, Depot Antipsychotic Injections 2025/26',
          periods: 'Q3 2025/26',
          financial_year: '2025/26',
          total: '2471.04', // 12 × £193.42 + 12 × £12.50
        }]);
      }
    }));

  it('hides the draft from another practice and from the commissioner\'s reviewers', () =>
    inTx(async (tx) => {
      const claimId = await patsDraft(tx);
      expect(await overviewIds(tx, 'pat')).toContain(claimId);
      for (const who of ['harper', 'taylor', 'robin'] as const) {
        expect(await overviewIds(tx, who)).not.toContain(claimId);
      }
    }));
});

describe('the Tier 1 notice when a claim goes to Tier 1 review', () => {
  it('tells the Tier 1 reviewers reaching the practice (cluster included), as a task about the claim; nobody else', () =>
    inTx(async (tx) => {
      const claimId = await patsDraft(tx);
      const submitted = await asOk(tx, 'pat', (sp) => sp<{ status: string }[]>`select public.submit_claim(${claimId}) ->> 'status' as status`);
      expect(submitted[0]!.status).toBe('pending_provider_approval');
      const approved = await asOk(tx, 'ash', (sp) => sp<{ status: string }[]>`select (public.approve_claim_as_provider(${claimId})).status::text`);
      expect(approved[0]!.status).toBe('pending_tier1_review');

      const notices = await tx<{ recipient_id: string; subject_type: string; subject_id: string; subject: string; body: string }[]>`
        select n.recipient_id, n.subject_type, n.subject_id, n.subject, n.body
        from public.notifications n where n.kind = 'claim_awaiting_review' and n.link = ${`/claims/${claimId}`}
        order by n.recipient_id`;
      // Taylor (ZN1 Tier 1) and Casey (Tier 1, cluster with ZP1001); not Robin (ZS1 Tier 1), not the practice.
      expect(notices.map((n) => n.recipient_id)).toEqual([PERSON.taylor, PERSON.casey].sort());
      const [claim] = await tx<{ claim_number: string }[]>`select claim_number::text from public.claims where id = ${claimId}`;
      for (const notice of notices) {
        expect(notice.subject_type).toBe('claim');
        expect(notice.subject_id).toBe(claimId);
        expect(notice.subject).toBe(`Claim ${claim!.claim_number} waits for Tier 1 review`);
        expect(notice.body).toBe(
          `Riverside Medical Centre (ZP1001) submitted claim ${claim!.claim_number} for Complex Care Plans 2025/26 (Q3 2025/26), ` +
            'Depot Antipsychotic Injections 2025/26 (Q3 2025/26), total £2,471.04.',
        );
      }
      // Now the reviewers see it in their list.
      expect(await overviewIds(tx, 'taylor')).toContain(claimId);
      expect(await overviewIds(tx, 'robin')).not.toContain(claimId);
    }));
});
