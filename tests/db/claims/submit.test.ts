// submit_claim: every problem listed at once (dry run and refused submit
// change nothing), where a valid claim goes (two-step practice → its
// Provider Approvers; one-step → Tier 1 reviewers who reach the practice;
// files → the system review), resubmitting a declined claim, and two
// simultaneous submits of one claim making exactly one transition.
import { describe, expect, it } from 'vitest';
import { connect } from '../helpers.ts';
import {
  addLines,
  asError,
  asOk,
  attachFile,
  claimRow,
  claimsDigest,
  claimTx,
  COMPONENT,
  direct,
  grantRoles,
  lineId,
  notificationsFor,
  ORG,
  PERSON,
  QUESTION,
  SERVICE,
  setApprovalMode,
  setUnits,
  startClaim,
  submit,
  validDepotClaim,
  type SubmitResult,
} from './fixtures.ts';

const rules = (result: SubmitResult) => result.problems.map((p) => p.rule).sort();

describe('submit_claim: the list of problems', () => {
  it('lists every problem at once, in a dry run and in a refused submit, and changes nothing', () =>
    claimTx(async (tx) => {
      // A required free-text question on Depot, for answer_required.
      const [required] = await direct(
        tx,
        () => tx<{ id: string }[]>`
          insert into public.service_questions (service_id, position, kind, question, required)
          values (${SERVICE.depot}, 3, 'free_text', 'Name of the clinical lead', true) returning id`,
      );
      const claim = await startClaim(tx, 'pat', ORG.ZP1001);
      await addLines(tx, 'pat', claim.id, [COMPONENT.carePlan, COMPONENT.retainer, COMPONENT.earIrrigation, COMPONENT.depotInjection]);
      const ear = await lineId(tx, claim.id, COMPONENT.earIrrigation);
      await setUnits(tx, 'pat', ear, 3);
      await setUnits(tx, 'pat', await lineId(tx, claim.id, COMPONENT.depotInjection), 5);
      const quarantined = await attachFile(tx, 'pat', claim, ear, 'log.pdf');
      await direct(tx, () => tx`update public.claim_evidence set scan_status = 'quarantined', scan_reason = 'macro found' where id = ${quarantined}`);
      // Complex Care's window closed yesterday.
      await direct(tx, () => tx`update public.claim_windows set closes_on = current_date - 1 where id = '1d000000-0000-4000-8000-000000000013'`);

      const before = await claimsDigest(tx);
      const dry = await submit(tx, 'pat', claim.id, true);
      expect(dry).toMatchObject({ ok: false, dry_run: true, status: 'draft', claim_id: claim.id });
      expect(rules(dry)).toEqual([
        'answer_required',
        'evidence_missing',
        'evidence_quarantined',
        'question_not_yes',
        'retainer_not_acknowledged',
        'units_missing',
        'window_closed',
      ]);
      const carePlan = await lineId(tx, claim.id, COMPONENT.carePlan);
      expect(dry.problems).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ rule: 'units_missing', line_id: carePlan, service_id: SERVICE.complexCare }),
          expect.objectContaining({ rule: 'evidence_missing', line_id: ear, message: expect.stringMatching(/for 3 units/) }),
          expect.objectContaining({ rule: 'evidence_quarantined', evidence_id: quarantined, message: expect.stringMatching(/log\.pdf .*macro found/) }),
          expect.objectContaining({ rule: 'question_not_yes', question_id: QUESTION.depotQualified }),
          expect.objectContaining({ rule: 'answer_required', question_id: required!.id }),
          expect.objectContaining({ rule: 'window_closed', service_id: SERVICE.complexCare }),
        ]),
      );
      expect(await claimsDigest(tx)).toBe(before);

      const refused = await submit(tx, 'pat', claim.id);
      expect(refused).toMatchObject({ ok: false, dry_run: false, status: 'draft' });
      expect(rules(refused)).toEqual(rules(dry));
      expect(await claimsDigest(tx)).toBe(before);
    }));

  it('no_lines for an empty claim; not_allowed for a member who is not a Claim Submitter', () =>
    claimTx(async (tx) => {
      const claim = await startClaim(tx, 'pat', ORG.ZP1001);
      expect(rules(await submit(tx, 'pat', claim.id, true))).toEqual(['no_lines']);
      const before = await claimsDigest(tx);
      expect(rules(await submit(tx, 'ash', claim.id, true))).toEqual(['no_lines', 'not_allowed']);
      expect(rules(await submit(tx, 'ash', claim.id))).toEqual(['no_lines', 'not_allowed']);
      expect(await claimsDigest(tx)).toBe(before);
    }));

  it('people outside the practice cannot even validate its claim', () =>
    claimTx(async (tx) => {
      const claim = await validDepotClaim(tx);
      for (const who of ['harper', 'taylor'] as const) {
        expect((await asError(tx, who, (sp) => sp`select public.submit_claim(${claim.id}, true)`)).code, who).toBe('PT404');
        expect((await asError(tx, who, (sp) => sp`select public.submit_claim(${claim.id})`)).code, who).toBe('PT404');
      }
      expect((await asError(tx, 'anon', (sp) => sp`select public.submit_claim(${claim.id}, true)`)).code).toBe('42501');
    }));

  it('evidence is needed from 1 unit, not at 0; a file satisfies it', () =>
    claimTx(async (tx) => {
      const claim = await startClaim(tx, 'pat', ORG.ZP1001);
      await addLines(tx, 'pat', claim.id, [COMPONENT.earIrrigation]);
      const ear = await lineId(tx, claim.id, COMPONENT.earIrrigation);
      await setUnits(tx, 'pat', ear, 0);
      expect(await submit(tx, 'pat', claim.id, true)).toMatchObject({ ok: true, problems: [] });
      await setUnits(tx, 'pat', ear, 1);
      expect(rules(await submit(tx, 'pat', claim.id, true))).toEqual(['evidence_missing']);
      await attachFile(tx, 'pat', claim, ear);
      expect(await submit(tx, 'pat', claim.id, true)).toMatchObject({ ok: true, problems: [], status: 'draft', total: 28.5 });
    }));

  it('a declined claim resubmitted unchanged is refused; once changed it is resubmitted', () =>
    claimTx(async (tx) => {
      const claim = await validDepotClaim(tx);
      expect((await submit(tx, 'pat', claim.id)).status).toBe('pending_provider_approval');
      // Issue 13's decline, simulated.
      await direct(tx, () => tx`update public.claims set status = 'declined', decline_reason = 'Units do not match the register' where id = ${claim.id}`);
      const before = await claimsDigest(tx);
      const unchanged = await submit(tx, 'pat', claim.id);
      expect(unchanged).toMatchObject({ ok: false, status: 'declined' });
      expect(rules(unchanged)).toEqual(['unchanged_resubmission']);
      expect(await claimsDigest(tx)).toBe(before);

      await setUnits(tx, 'pat', await lineId(tx, claim.id, COMPONENT.depotInjection), 9);
      expect(await submit(tx, 'pat', claim.id)).toMatchObject({ ok: true, status: 'pending_provider_approval', total: 112.5 });
      const audit = await tx`select action from public.audit_log where entity_id = ${claim.id} and action like 'claim.%submit' order by id`;
      expect(audit.map((a) => a.action)).toEqual(['claim.submit', 'claim.resubmit']);
    }));
});

describe('submit_claim: where a valid claim goes', () => {
  it('two-step ZP1001 → pending_provider_approval; Ash gets the task, no reviewer yet', () =>
    claimTx(async (tx) => {
      const claim = await validDepotClaim(tx);
      const result = await submit(tx, 'pat', claim.id);
      expect(result).toMatchObject({ ok: true, dry_run: false, problems: [], status: 'pending_provider_approval', total: 125 });
      expect(await claimRow(tx, claim.id)).toMatchObject({ status: 'pending_provider_approval', submitted_by: PERSON.pat });
      expect(await notificationsFor(tx, 'claim_awaiting_provider_approval', claim.id)).toEqual([{ recipient_id: PERSON.ash, done_at: null }]);
      expect(await notificationsFor(tx, 'claim_awaiting_review', claim.id)).toEqual([]);
      const audit = await tx`select actor_id, before ->> 'status' as "from", after ->> 'status' as "to" from public.audit_log
                             where action = 'claim.submit' and entity_id = ${claim.id}`;
      expect(audit).toEqual([{ actor_id: PERSON.pat, from: 'draft', to: 'pending_provider_approval' }]);
    }));

  it('one-step ZP1001 → pending_tier1_review; Taylor and Casey (cluster) are told, not Robin nor Tier 2', () =>
    claimTx(async (tx) => {
      await setApprovalMode(tx, ORG.ZP1001, 'one_step');
      const claim = await validDepotClaim(tx);
      expect((await submit(tx, 'pat', claim.id)).status).toBe('pending_tier1_review');
      const tasks = await notificationsFor(tx, 'claim_awaiting_review', claim.id);
      expect(tasks.map((t) => t.recipient_id)).toEqual([PERSON.taylor, PERSON.casey].sort());
      expect(await notificationsFor(tx, 'claim_awaiting_provider_approval', claim.id)).toEqual([]);
    }));

  it('one-step ZP1004 (outside Casey’s cluster) → only Taylor is told', () =>
    claimTx(async (tx) => {
      await grantRoles(tx, 'pat', ORG.ZP1004, ['claim_submitter']);
      const claim = await validDepotClaim(tx, 'pat', ORG.ZP1004);
      expect((await submit(tx, 'pat', claim.id)).status).toBe('pending_tier1_review');
      expect((await notificationsFor(tx, 'claim_awaiting_review', claim.id)).map((t) => t.recipient_id)).toEqual([PERSON.taylor]);
    }));

  it('Harper’s Southvale claim → pending_tier1_review; only Robin is told', () =>
    claimTx(async (tx) => {
      const claim = await startClaim(tx, 'harper', ORG.ZP2001);
      await addLines(tx, 'harper', claim.id, [COMPONENT.bloodSample]);
      await setUnits(tx, 'harper', await lineId(tx, claim.id, COMPONENT.bloodSample), 40);
      expect(await submit(tx, 'harper', claim.id)).toMatchObject({ ok: true, status: 'pending_tier1_review', total: 152 });
      expect((await notificationsFor(tx, 'claim_awaiting_review', claim.id)).map((t) => t.recipient_id)).toEqual([PERSON.robin]);
    }));

  it('with a file to review → pending_system_review and a scan job; no reviewer is told yet', () =>
    claimTx(async (tx) => {
      await setApprovalMode(tx, ORG.ZP1001, 'one_step');
      const claim = await startClaim(tx, 'pat', ORG.ZP1001);
      await addLines(tx, 'pat', claim.id, [COMPONENT.earIrrigation]);
      const ear = await lineId(tx, claim.id, COMPONENT.earIrrigation);
      await setUnits(tx, 'pat', ear, 2);
      await attachFile(tx, 'pat', claim, ear);
      expect((await submit(tx, 'pat', claim.id)).status).toBe('pending_system_review');
      expect(await tx`select attempts from private.evidence_scan_jobs where claim_id = ${claim.id}`).toEqual([{ attempts: 0 }]);
      expect(await notificationsFor(tx, 'claim_awaiting_review', claim.id)).toEqual([]);
      // A submitted claim is not editable any more, nor submittable again.
      expect(rules(await submit(tx, 'pat', claim.id))).toEqual(['not_editable']);
    }));
});

describe('submit_claim: two at once', () => {
  // Two real connections, each its own transaction: the claim is committed
  // for the duration of the test and removed afterwards.
  const first = connect(undefined, { max: 1 });
  const second = connect(undefined, { max: 1 });
  const setup = connect(undefined, { max: 1 });

  it('a double submit of one claim makes exactly one transition, one audit row and one task', async () => {
    let claimId: string | undefined;
    try {
      // Harper's Southvale claim: the Storage tests commit a claim of Pat's (ZP1001) meanwhile,
      // and start_claim would hand either of them the other's empty draft.
      await setup.begin(async (tx) => {
        claimId = (await startClaim(tx, 'harper', ORG.ZP2001)).id;
        await addLines(tx, 'harper', claimId, [COMPONENT.bloodSample]);
        await setUnits(tx, 'harper', await lineId(tx, claimId, COMPONENT.bloodSample), 4);
      });
      const submitAs = (sql: typeof first) =>
        sql.begin((tx) => asOk(tx, 'harper', async (sp) => (await sp<{ r: SubmitResult }[]>`select public.submit_claim(${claimId!}) as r`)[0]!.r));
      const results = await Promise.all([submitAs(first), submitAs(second)]);
      const statuses = results.map((r) => r.ok).sort();
      expect(statuses).toEqual([false, true]);
      const loser = results.find((r) => !r.ok)!;
      expect(loser.problems.map((p) => p.rule)).toEqual(['not_editable']);
      const [claim] = await setup`select status from public.claims where id = ${claimId!}`;
      expect(claim).toEqual({ status: 'pending_tier1_review' });
      const audit = await setup`select count(*)::int as n from public.audit_log where entity_id = ${claimId!} and action = 'claim.submit'`;
      expect(audit).toEqual([{ n: 1 }]);
      const tasks = await setup`select recipient_id from public.notifications where link = ${`/claims/${claimId}`}`;
      expect(tasks).toEqual([{ recipient_id: PERSON.robin }]);
    } finally {
      if (claimId) {
        await setup.begin(async (tx) => {
          await tx`delete from public.notifications where link = ${`/claims/${claimId}`}`;
          await direct(tx, () => tx`delete from public.claims where id = ${claimId!}`);
        });
      }
    }
  });
});
