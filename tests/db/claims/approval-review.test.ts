// After submit: a two-step practice's Provider Approver approves or returns
// (never their own submission), the system review's verdicts (service role
// only), its retries, and the queue of stored files to remove.
import { describe, expect, it } from 'vitest';
import {
  addLines,
  asError,
  asOk,
  attachFile,
  claimRow,
  claimTx,
  COMPONENT,
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
  type Tx,
} from './fixtures.ts';

/** Run fn as the service role (as the scan-evidence edge function does). */
async function asService<T>(tx: Tx, fn: (sp: Tx) => Promise<T>): Promise<T> {
  return (await tx.savepoint(async (sp) => {
    await sp`select set_config('role', 'service_role', true), set_config('request.jwt.claims', '{"role":"service_role"}', true)`;
    const result = await fn(sp as Tx);
    await sp`select set_config('role', 'none', true), set_config('request.jwt.claims', '', true)`;
    return result;
  })) as T;
}

/** A one-step ZP1001 claim for ear irrigation with the given files, submitted: pending_system_review. */
async function claimUnderReview(tx: Tx, files: string[]): Promise<{ claim: Claim; evidence: string[] }> {
  await setApprovalMode(tx, ORG.ZP1001, 'one_step');
  const claim = await startClaim(tx, 'pat', ORG.ZP1001);
  await addLines(tx, 'pat', claim.id, [COMPONENT.earIrrigation]);
  const ear = await lineId(tx, claim.id, COMPONENT.earIrrigation);
  await setUnits(tx, 'pat', ear, 4);
  const evidence: string[] = [];
  for (const file of files) evidence.push(await attachFile(tx, 'pat', claim, ear, file));
  expect((await submit(tx, 'pat', claim.id)).status).toBe('pending_system_review');
  return { claim, evidence };
}

const timeline = async (tx: Tx, who: 'pat' | 'taylor' | 'harper', claimId: string) =>
  (await asOk(tx, who, (sp) => sp<{ to_status: string }[]>`select to_status from public.claim_timeline(${claimId})`)).map((r) => r.to_status);

describe('approve_claim_as_provider', () => {
  it('Ash approves Pat’s claim → Tier 1 review; his task is done; reviewers reaching ZP1001 are told', () =>
    claimTx(async (tx) => {
      const claim = await validDepotClaim(tx);
      await submit(tx, 'pat', claim.id);
      await asOk(tx, 'ash', (sp) => sp`select public.approve_claim_as_provider(${claim.id})`);
      const [row] = await tx`select status, provider_approved_by from public.claims where id = ${claim.id}`;
      expect(row).toEqual({ status: 'pending_tier1_review', provider_approved_by: PERSON.ash });
      const [task] = await notificationsFor(tx, 'claim_awaiting_provider_approval', claim.id);
      expect(task!.done_at).not.toBeNull();
      expect((await notificationsFor(tx, 'claim_awaiting_review', claim.id)).map((t) => t.recipient_id)).toEqual([PERSON.taylor, PERSON.casey].sort());
      expect(await timeline(tx, 'pat', claim.id)).toEqual(['draft', 'pending_provider_approval', 'pending_tier1_review']);
    }));

  it('with a file: approval sends the claim to the system review', () =>
    claimTx(async (tx) => {
      const claim = await startClaim(tx, 'pat', ORG.ZP1001);
      await addLines(tx, 'pat', claim.id, [COMPONENT.earIrrigation]);
      const ear = await lineId(tx, claim.id, COMPONENT.earIrrigation);
      await setUnits(tx, 'pat', ear, 1);
      await attachFile(tx, 'pat', claim, ear);
      await submit(tx, 'pat', claim.id);
      await asOk(tx, 'ash', (sp) => sp`select public.approve_claim_as_provider(${claim.id})`);
      expect((await claimRow(tx, claim.id))!.status).toBe('pending_system_review');
      expect(await tx`select 1 from private.evidence_scan_jobs where claim_id = ${claim.id}`).toHaveLength(1);
    }));

  it('only a Provider Approver of the practice approves, only a claim pending provider approval', () =>
    claimTx(async (tx) => {
      const claim = await validDepotClaim(tx);
      const approve = (sp: Tx) => sp`select public.approve_claim_as_provider(${claim.id})`;
      await expectClaimRefused(tx, 'ash', 'PT409', approve, /only claims pending provider approval/);
      await submit(tx, 'pat', claim.id);
      await expectClaimRefused(tx, 'pat', '42501', approve, /Only Provider Approvers/);
      // A claim awaiting the practice's approver is not visible to reviewers nor other practices.
      for (const who of ['taylor', 'harper', 'chris'] as const) await expectClaimRefused(tx, who, 'PT404', approve);
      await expectClaimRefused(tx, 'anon', '42501', approve);
    }));

  it('nobody approves a claim they submitted (segregation of duties)', () =>
    claimTx(async (tx) => {
      await grantRoles(tx, 'ash', ORG.ZP1001, ['claim_submitter']);
      const claim = await validDepotClaim(tx, 'ash');
      expect((await submit(tx, 'ash', claim.id)).status).toBe('pending_provider_approval');
      // The submitter is not asked to approve his own claim.
      expect(await notificationsFor(tx, 'claim_awaiting_provider_approval', claim.id)).toEqual([]);
      await expectClaimRefused(tx, 'ash', '42501', (sp) => sp`select public.approve_claim_as_provider(${claim.id})`, /You submitted claim/);
    }));
});

describe('return_claim', () => {
  it('needs a reason; back to draft; the submitter is told; the approver’s task is done', () =>
    claimTx(async (tx) => {
      const claim = await validDepotClaim(tx);
      await submit(tx, 'pat', claim.id);
      await expectClaimRefused(tx, 'ash', '22023', (sp) => sp`select public.return_claim(${claim.id}, '   ')`, /A reason is required/);
      await expectClaimRefused(tx, 'pat', '42501', (sp) => sp`select public.return_claim(${claim.id}, 'No')`, /Only Provider Approvers/);
      await expectClaimRefused(tx, 'harper', 'PT404', (sp) => sp`select public.return_claim(${claim.id}, 'No')`);

      await asOk(tx, 'ash', (sp) => sp`select public.return_claim(${claim.id}, '  Units differ from the register  ')`);
      expect(await claimRow(tx, claim.id)).toMatchObject({ status: 'draft', returned_reason: 'Units differ from the register' });
      expect(await notificationsFor(tx, 'claim_returned', claim.id)).toEqual([{ recipient_id: PERSON.pat, done_at: null }]);
      expect((await notificationsFor(tx, 'claim_awaiting_provider_approval', claim.id))[0]!.done_at).not.toBeNull();
      const [audit] = await tx`select reason from public.audit_log where action = 'claim.return' and entity_id = ${claim.id}`;
      expect(audit).toEqual({ reason: 'Units differ from the register' });
      await expectClaimRefused(tx, 'ash', 'PT409', (sp) => sp`select public.return_claim(${claim.id}, 'Again')`);

      // Pat edits and submits again: the reason is cleared, her task done.
      await setUnits(tx, 'pat', await lineId(tx, claim.id, COMPONENT.depotInjection), 8);
      expect((await submit(tx, 'pat', claim.id)).status).toBe('pending_provider_approval');
      expect((await claimRow(tx, claim.id))!.returned_reason).toBeNull();
      expect((await notificationsFor(tx, 'claim_returned', claim.id))[0]!.done_at).not.toBeNull();
      expect(await timeline(tx, 'pat', claim.id)).toEqual(['draft', 'pending_provider_approval', 'draft', 'pending_provider_approval']);
    }));
});

describe('the system review (service role)', () => {
  it('authenticated callers and anon may not call the service-role functions', () =>
    claimTx(async (tx) => {
      const { claim, evidence } = await claimUnderReview(tx, ['log.pdf']);
      const verdicts = [{ evidence_id: evidence[0], status: 'clean' }];
      const calls = [
        (sp: Tx) => sp`select public.record_evidence_scan(${claim.id}, ${sp.json(verdicts as never)})`,
        (sp: Tx) => sp`select * from public.evidence_scan_due(5)`,
        (sp: Tx) => sp`select public.evidence_scan_failed(${claim.id}, 'boom')`,
        (sp: Tx) => sp`select * from public.evidence_purge_due(5)`,
        (sp: Tx) => sp`select public.evidence_purge_done(${['x']}::text[])`,
      ];
      for (const who of ['pat', 'taylor', 'anon'] as const) {
        for (const call of calls) await expectClaimRefused(tx, who, '42501', call, /permission denied/);
      }
    }));

  it('all files clean → pending_tier1_review; the submitter hears it passed; reviewers are told', () =>
    claimTx(async (tx) => {
      const { claim, evidence } = await claimUnderReview(tx, ['log.pdf', 'log2.pdf']);
      const due = await asService(tx, (sp) => sp`select claim_id, files from public.evidence_scan_due(5)`);
      expect(due).toHaveLength(1);
      expect(due[0]!.claim_id).toBe(claim.id);
      expect((due[0]!.files as { evidence_id: string }[]).map((f) => f.evidence_id).sort()).toEqual([...evidence].sort());
      const sha = 'a'.repeat(64);
      const verdicts = evidence.map((id) => ({ evidence_id: id, status: 'clean', sniffed_type: 'application/pdf', sha256: sha }));
      const [result] = await asService(tx, (sp) => sp`select public.record_evidence_scan(${claim.id}, ${sp.json(verdicts as never)}) as r`);
      expect(result!.r).toMatchObject({ claim_id: claim.id, status: 'pending_tier1_review' });
      expect(await tx`select distinct scan_status::text, sha256, sniffed_type from public.claim_evidence where claim_id = ${claim.id}`).toEqual([
        { scan_status: 'clean', sha256: sha, sniffed_type: 'application/pdf' },
      ]);
      expect(await tx`select 1 from private.evidence_scan_jobs where claim_id = ${claim.id}`).toHaveLength(0);
      expect(await notificationsFor(tx, 'claim_system_reviewed', claim.id)).toEqual([{ recipient_id: PERSON.pat, done_at: null }]);
      expect((await notificationsFor(tx, 'claim_awaiting_review', claim.id)).map((t) => t.recipient_id)).toEqual([PERSON.taylor, PERSON.casey].sort());
      const [audit] = await tx`select actor_id, after ->> 'status' as status from public.audit_log where action = 'claim.system_review' and entity_id = ${claim.id}`;
      expect(audit).toEqual({ actor_id: null, status: 'pending_tier1_review' });
      expect(await timeline(tx, 'pat', claim.id)).toEqual(['draft', 'pending_system_review', 'pending_tier1_review']);
    }));

  it('one file quarantined → draft with the file and reason; the submitter gets a task', () =>
    claimTx(async (tx) => {
      const { claim, evidence } = await claimUnderReview(tx, ['good.pdf', 'bad.pdf']);
      const verdicts = [
        { evidence_id: evidence[0], status: 'clean' },
        { evidence_id: evidence[1], status: 'quarantined', reason: 'the file is not a PDF' },
      ];
      await asService(tx, (sp) => sp`select public.record_evidence_scan(${claim.id}, ${sp.json(verdicts as never)})`);
      const row = await claimRow(tx, claim.id);
      expect(row!.status).toBe('draft');
      expect(row!.returned_reason).toBe('The system review refused bad.pdf: the file is not a PDF');
      expect(await notificationsFor(tx, 'claim_quarantined', claim.id)).toEqual([{ recipient_id: PERSON.pat, done_at: null }]);
      expect(await notificationsFor(tx, 'claim_awaiting_review', claim.id)).toEqual([]);
      // Submitting again lists the quarantined file until it is deleted.
      const again = await submit(tx, 'pat', claim.id, true);
      expect(again.problems.map((p) => p.rule)).toEqual(['evidence_quarantined']);
      await asOk(tx, 'pat', (sp) => sp`select public.delete_claim_evidence(${evidence[1]!})`);
      // The file left was already found clean: it is not reviewed again, so on to Tier 1.
      expect((await submit(tx, 'pat', claim.id)).status).toBe('pending_tier1_review');
      expect((await notificationsFor(tx, 'claim_quarantined', claim.id))[0]!.done_at).not.toBeNull();
    }));

  it('refuses an incomplete or malformed list of verdicts, changing nothing', () =>
    claimTx(async (tx) => {
      const { claim, evidence } = await claimUnderReview(tx, ['one.pdf', 'two.pdf']);
      const call = (verdicts: unknown) => async (sp: Tx) => {
        await sp`select set_config('role', 'service_role', true)`;
        return sp`select public.record_evidence_scan(${claim.id}, ${sp.json(verdicts as never)})`;
      };
      await expectClaimRefused(tx, { sub: null }, '22023', call([{ evidence_id: evidence[0], status: 'clean' }]), /still has files without a verdict/);
      await expectClaimRefused(tx, { sub: null }, '22023', call([{ evidence_id: evidence[0], status: 'quarantined' }]), /quarantined with a reason/);
      await expectClaimRefused(tx, { sub: null }, '22023', call([{ evidence_id: evidence[0], status: 'maybe' }]), /clean, or quarantined/);
      await expectClaimRefused(tx, { sub: null }, '22023', call({ evidence_id: evidence[0] }), /must be a JSON array/);
      expect((await claimRow(tx, claim.id))!.status).toBe('pending_system_review');
    }));

  it('a failed scan is retried later with a growing delay; the claim is untouched', () =>
    claimTx(async (tx) => {
      const { claim } = await claimUnderReview(tx, ['log.pdf']);
      expect(await asService(tx, (sp) => sp`select claim_id from public.evidence_scan_due(5)`)).toHaveLength(1);
      // Leased: a second run does not get it meanwhile.
      expect(await asService(tx, (sp) => sp`select claim_id from public.evidence_scan_due(5)`)).toHaveLength(0);
      await asService(tx, (sp) => sp`select public.evidence_scan_failed(${claim.id}, 'storage unreachable')`);
      const delay = async () =>
        (await tx<{ s: number; e: string }[]>`
          select extract(epoch from next_attempt_at - now())::int as s, last_error as e from private.evidence_scan_jobs where claim_id = ${claim.id}`)[0]!;
      expect(await delay()).toEqual({ s: 20, e: 'storage unreachable' });
      await tx`update private.evidence_scan_jobs set attempts = 5 where claim_id = ${claim.id}`;
      await asService(tx, (sp) => sp`select public.evidence_scan_failed(${claim.id}, 'again')`);
      expect((await delay()).s).toBe(320);
      await tx`update private.evidence_scan_jobs set attempts = 12 where claim_id = ${claim.id}`;
      await asService(tx, (sp) => sp`select public.evidence_scan_failed(${claim.id}, 'again')`);
      expect((await delay()).s).toBe(3600);
      expect((await claimRow(tx, claim.id))!.status).toBe('pending_system_review');
    }));
});

describe('the queue of stored files to remove', () => {
  it('gets the paths of evidence rows deleted by delete_claim_evidence, remove_claim_lines and delete_claim', () =>
    claimTx(async (tx) => {
      const claim = await startClaim(tx, 'pat', ORG.ZP1001);
      await addLines(tx, 'pat', claim.id, [COMPONENT.earIrrigation]);
      const ear = await lineId(tx, claim.id, COMPONENT.earIrrigation);
      const path = (file: string) => `${ORG.ZP1001}/${claim.id}/${ear}/${file}`;
      // This claim's paths only: the transaction also removed other claims (the seed's have files).
      const queue = async () =>
        (await tx`select object_path from private.evidence_purge_queue where object_path like ${`${ORG.ZP1001}/${claim.id}/%`} order by object_path`)
          .map((r) => r.object_path as string);
      const everything = async () => (await tx`select object_path from private.evidence_purge_queue`).map((r) => r.object_path as string);
      const first = await attachFile(tx, 'pat', claim, ear, 'a.pdf');
      await attachFile(tx, 'pat', claim, ear, 'b.pdf');

      await asOk(tx, 'pat', (sp) => sp`select public.delete_claim_evidence(${first})`);
      expect(await queue()).toEqual([path('a.pdf')]);
      await asOk(tx, 'pat', (sp) => sp`select public.remove_claim_lines(${claim.id})`);
      expect(await queue()).toEqual([path('a.pdf'), path('b.pdf')]);

      await addLines(tx, 'pat', claim.id, [COMPONENT.earIrrigation]);
      const line = await lineId(tx, claim.id, COMPONENT.earIrrigation);
      await attachFile(tx, 'pat', claim, line, 'c.pdf');
      await asOk(tx, 'pat', (sp) => sp`select public.delete_claim(${claim.id})`);
      expect(await queue()).toContain(`${ORG.ZP1001}/${claim.id}/${line}/c.pdf`);

      // The purge run leases them, then reports them removed.
      const due = (await asService(tx, (sp) => sp`select * from public.evidence_purge_due(50)`)).map((r) => Object.values(r)[0] as string);
      expect(due.sort()).toEqual((await everything()).sort());
      expect(due.filter((p) => p.startsWith(`${ORG.ZP1001}/${claim.id}/`))).toHaveLength(3);
      expect(await asService(tx, (sp) => sp`select * from public.evidence_purge_due(50)`)).toHaveLength(0);
      const [done] = await asService(tx, (sp) => sp`select public.evidence_purge_done(${due}::text[]) as n`);
      expect(done!.n).toBe(due.length);
      expect(await everything()).toEqual([]);
    }));

  it('delete_claim_evidence is refused to others and once the claim is submitted', () =>
    claimTx(async (tx) => {
      const claim = await startClaim(tx, 'pat', ORG.ZP1001);
      await addLines(tx, 'pat', claim.id, [COMPONENT.earIrrigation]);
      const ear = await lineId(tx, claim.id, COMPONENT.earIrrigation);
      await setUnits(tx, 'pat', ear, 1);
      const file = await attachFile(tx, 'pat', claim, ear);
      const remove = (sp: Tx) => sp`select public.delete_claim_evidence(${file})`;
      await expectClaimRefused(tx, 'ash', '42501', remove);
      await expectClaimRefused(tx, 'harper', 'PT404', remove);
      await submit(tx, 'pat', claim.id);
      await expectClaimRefused(tx, 'pat', 'PT409', remove, /only draft or declined/);
      expect(await asError(tx, 'pat', (sp) => sp`select public.delete_claim_evidence(${PERSON.pat})`)).toMatchObject({ code: 'PT404' });
    }));
});
