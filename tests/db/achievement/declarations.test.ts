// The declaration machine (supabase/migrations/20261208010300_declarations.sql):
// declarations made and moved by the calculation (statement-level trigger on
// achievements), the three steps with role, reach and state checks, both
// configurations ("No Declaration Required", "No Approval Required"), declaring
// refused while data is missing or a recalculation is pending, bulk actions
// with mixed results, a recalculation sending an open declaration back, tasks
// and notifications on every state entry (done when the state changes), the
// audit trail and the Payment Declaration History.
import { describe, expect, it } from 'vitest';
import { audit, configure, declarationFor, messages, noNetwork, step } from './declaration-fixtures.ts';
import {
  achievementDigest,
  achievementFor,
  achievementTx,
  asError,
  asOk,
  DATES,
  DES,
  direct,
  enter,
  grantRoles,
  IND,
  listSizes,
  ORG,
  PERSON,
  runRecalculation,
  save,
  start,
  submit,
  values,
  type Tx,
  type Who,
} from './fixtures.ts';

/** ZP1001's list size 10,000 (adjustment 1) and complete data for the payment date 30/09/2025 entered by Pat. */
async function completeZP1001(tx: Tx, acc08: [number, number] = [88, 100], vi01 = 50) {
  await listSizes(tx, [{ ods_code: 'ZP1001', effective_from: '2025-04-01', list_size: 10000 }]);
  return enter(tx, 'pat', ORG.ZP1001, DATES.q2, values(acc08, vi01));
}

// 100 CAIP points + ACC-08 88 % (85–90: 71 × 3/5 = 42.6 points) = 142.6 points × £198.00 = £28,234.80; VI-01 50 × £10.06 = £503.00.
const FULL = { points: '142.6000', payment: '28737.80' };

describe('declarations follow the calculation', () => {
  it('a calculated achievement on a payment date gets a declaration awaiting the provider; other dates get none', () =>
    achievementTx(async (tx) => {
      await noNetwork(tx);
      await listSizes(tx, [{ ods_code: 'ZP1001', effective_from: '2025-04-01', list_size: 10000 }]);
      const q1 = await enter(tx, 'pat', ORG.ZP1001, DATES.q1, values([88, 100], 50));
      expect(q1.result.declaration_status).toBeNull();
      expect(await declarationFor(tx, ORG.ZP1001, DATES.q1)).toBeUndefined();

      const { result } = await enter(tx, 'pat', ORG.ZP1001, DATES.q2, values([88, 100], 50));
      expect(result.declaration_status).toBe('awaiting_provider_declaration');
      const declaration = (await declarationFor(tx, ORG.ZP1001, DATES.q2))!;
      expect(declaration).toMatchObject({ status: 'awaiting_provider_declaration', ...FULL, declared_by: null });
      // Ash (Declaration Management at ZP1001) has the task, linked to the Declare page.
      expect(await messages(tx, 'declaration_awaiting', declaration.id)).toEqual(['Ash Approver:open']);
      const [task] = await tx`select subject_type, subject_id, link from public.notifications where kind = 'declaration_awaiting' and subject_id = ${declaration.id}`;
      expect(task).toEqual({ subject_type: 'declaration', subject_id: declaration.id, link: `/declare/${declaration.id}` });
      expect(await audit(tx, declaration.id)).toEqual(['declaration.create -→awaiting_provider_declaration']);
    }));

  it('figures follow a resubmission while not declared (audited), and nothing changes when the calculation gives the same figures', () =>
    achievementTx(async (tx) => {
      await noNetwork(tx);
      const { achievement } = await completeZP1001(tx);
      const declaration = (await declarationFor(tx, ORG.ZP1001, DATES.q2))!;
      await save(tx, 'pat', achievement.id, [{ indicator_id: IND.vi01, count: 60 }]);
      await submit(tx, 'pat', achievement.id);
      expect(await declarationFor(tx, ORG.ZP1001, DATES.q2)).toMatchObject({ status: 'awaiting_provider_declaration', payment: '28838.40' });
      // Recalculating with the same inputs changes nothing (the machine is idempotent).
      await direct(tx, () => tx`select private.calculate_achievements(${[achievement.id]}::uuid[])`);
      expect(await audit(tx, declaration.id)).toEqual([
        'declaration.create -→awaiting_provider_declaration',
        'declaration.recalculate awaiting_provider_declaration→awaiting_provider_declaration',
      ]);
      // Still one open task for Ash (not one per calculation).
      expect(await messages(tx, 'declaration_awaiting', declaration.id)).toEqual(['Ash Approver:open']);
    }));
});

describe('the steps, default configuration', () => {
  it('Ash declares, Jordan approves, Morgan approves for payment; each step audited, its tasks done, the next ones queued', () =>
    achievementTx(async (tx) => {
      await noNetwork(tx);
      await completeZP1001(tx);
      const { id } = (await declarationFor(tx, ORG.ZP1001, DATES.q2))!;

      const [declared] = await step(tx, 'ash', 'declare_achievements', [id]);
      expect(declared).toEqual({
        declaration_id: id, ok: true, status: 'awaiting_commissioner_approval', code: null,
        message: 'Riverside Medical Centre (ZP1001), Network Contract DES 2025/26, 30/09/2025: awaiting Commissioning Organisation approval.',
      });
      expect(await declarationFor(tx, ORG.ZP1001, DATES.q2)).toMatchObject({ declared_by: PERSON.ash, ...FULL });
      expect(await messages(tx, 'declaration_awaiting', id)).toEqual(['Ash Approver:done']);
      expect(await messages(tx, 'declaration_awaiting_approval', id)).toEqual(['Jordan Tier-Two:open']);

      const [approved] = await step(tx, 'jordan', 'approve_declarations', [id]);
      expect(approved).toMatchObject({ ok: true, status: 'awaiting_finance_approval' });
      expect(await messages(tx, 'declaration_awaiting_approval', id)).toEqual(['Jordan Tier-Two:done']);
      expect(await messages(tx, 'declaration_awaiting_finance', id)).toEqual(['Morgan Finance:open']);
      const [link] = await tx`select link, subject_type from public.notifications where kind = 'declaration_awaiting_finance' and subject_id = ${id}`;
      expect(link).toEqual({ link: `/declaration-management/${id}`, subject_type: 'declaration' });

      const [paid] = await step(tx, 'morgan', 'finance_approve_declarations', [id]);
      expect(paid).toMatchObject({ ok: true, status: 'approved_for_payment' });
      expect(await declarationFor(tx, ORG.ZP1001, DATES.q2)).toMatchObject({
        status: 'approved_for_payment', declared_by: PERSON.ash, commissioner_approved_by: PERSON.jordan, finance_approved_by: PERSON.morgan, ...FULL,
      });
      expect(await messages(tx, 'declaration_awaiting_finance', id)).toEqual(['Morgan Finance:done']);
      expect(await messages(tx, 'declaration_approved', id)).toEqual(['Ash Approver:open']);
      expect(await audit(tx, id)).toEqual([
        'declaration.create -→awaiting_provider_declaration',
        'declaration.declare awaiting_provider_declaration→awaiting_commissioner_approval',
        'declaration.approve awaiting_commissioner_approval→awaiting_finance_approval',
        'declaration.finance_approve awaiting_finance_approval→approved_for_payment',
      ]);

      // The Payment Declaration History, newest first, for Ash (provider) and Chris (commissioner); nothing for Robin.
      const history = await asOk(tx, 'ash', (sp) => sp<{ action: string; actor: string; from_status: string | null; to_status: string; achievement_date: string }[]>`
        select action, actor, from_status, to_status, to_char(achievement_date, 'YYYY-MM-DD') as achievement_date
        from public.declaration_history(${ORG.ZP1001}, ${DES})`);
      expect(history.map((h) => `${h.action} by ${h.actor}: ${h.to_status}`)).toEqual([
        'declaration.finance_approve by Morgan Finance: approved_for_payment',
        'declaration.approve by Jordan Tier-Two: awaiting_finance_approval',
        'declaration.declare by Ash Approver: awaiting_commissioner_approval',
        'declaration.create by Pat Practice: awaiting_provider_declaration',
      ]);
      expect(history.every((h) => h.achievement_date === DATES.q2)).toBe(true);
      expect(await asOk(tx, 'chris', (sp) => sp`select * from public.declaration_history(${ORG.ZP1001}, ${DES})`)).toHaveLength(4);
      expect(await asOk(tx, 'robin', (sp) => sp`select * from public.declaration_history(${ORG.ZP1001}, ${DES})`)).toEqual([]);

      // Approved for payment is final: another try by anyone is refused with what happened.
      const [again] = await step(tx, 'morgan', 'finance_approve_declarations', [id]);
      expect(again).toMatchObject({ ok: false, status: 'approved_for_payment', code: 'PT409' });
      expect(again!.message).toMatch(/is approved for payment: approved for payment by Morgan Finance at \d\d\/\d\d\/\d{4} \d\d:\d\d\./);
    }));

  it('each step is refused to the wrong role, the wrong organisation and the wrong state, changing nothing', () =>
    achievementTx(async (tx) => {
      await noNetwork(tx);
      await completeZP1001(tx);
      const { id } = (await declarationFor(tx, ORG.ZP1001, DATES.q2))!;
      const before = await achievementDigest(tx);

      // Pat enters achievement but does not declare it.
      expect(await step(tx, 'pat', 'declare_achievements', [id])).toEqual([{
        declaration_id: id, ok: false, status: 'awaiting_provider_declaration', code: '42501',
        message: 'Riverside Medical Centre (ZP1001), Network Contract DES 2025/26, 30/09/2025: only Declaration Management of the practice makes declarations.',
      }]);
      // Jordan cannot approve what is not declared yet; Chris holds no approval role; Robin cannot see it.
      const [early] = await step(tx, 'jordan', 'approve_declarations', [id]);
      expect(early).toMatchObject({ ok: false, code: 'PT409', status: 'awaiting_provider_declaration' });
      expect(early!.message).toMatch(/^Riverside Medical Centre \(ZP1001\), Network Contract DES 2025\/26, 30\/09\/2025 is awaiting provider declaration: created by Pat Practice at /);
      expect((await step(tx, 'chris', 'approve_declarations', [id]))[0]).toMatchObject({ ok: false, code: '42501' });
      expect(await step(tx, 'robin', 'finance_approve_declarations', [id])).toEqual([{
        declaration_id: id, ok: false, status: null, code: 'P0002', message: 'The declaration does not exist, or you cannot see it.',
      }]);
      // Casey (Tier 1 only, clustered) sees no declarations either; Morgan may not declare for the practice.
      expect((await step(tx, 'casey', 'approve_declarations', [id]))[0]).toMatchObject({ ok: false, code: 'P0002', status: null });
      expect((await step(tx, 'morgan', 'declare_achievements', [id]))[0]).toMatchObject({ ok: false, code: '42501' });
      expect(await achievementDigest(tx)).toBe(before);

      // Bad input is refused outright.
      for (const ids of [[], [null]] as unknown as string[][]) {
        const error = await asError(tx, 'ash', (sp) => sp`select public.declare_achievements(${ids}::uuid[])`);
        expect(error).toMatchObject({ code: '22023', message: 'Choose at least one declaration.' });
      }
    }));
});

describe('declaring is refused while data is missing or a recalculation is pending', () => {
  it('missing data: the groups and indicators missing are named; declared once they are submitted', () =>
    achievementTx(async (tx) => {
      await noNetwork(tx);
      await listSizes(tx, [{ ods_code: 'ZP1001', effective_from: '2025-04-01', list_size: 10000 }]);
      // VI-01 not entered: IIF is 1 of 2.
      const { achievement } = await enter(tx, 'pat', ORG.ZP1001, DATES.q2, values([88, 100], null));
      const { id } = (await declarationFor(tx, ORG.ZP1001, DATES.q2))!;
      const before = await achievementDigest(tx);
      expect(await step(tx, 'ash', 'declare_achievements', [id])).toEqual([{
        declaration_id: id, ok: false, status: 'awaiting_provider_declaration', code: 'PT409',
        message: 'Riverside Medical Centre (ZP1001), Network Contract DES 2025/26, 30/09/2025 cannot be declared: data is missing — IIF 1 of 2 submitted (missing VI-01).',
      }]);
      expect(await achievementDigest(tx)).toBe(before);

      await save(tx, 'pat', achievement.id, [{ indicator_id: IND.vi01, count: 50 }]);
      await submit(tx, 'pat', achievement.id);
      expect((await step(tx, 'ash', 'declare_achievements', [id]))[0]).toMatchObject({ ok: true, status: 'awaiting_commissioner_approval' });
      expect(await declarationFor(tx, ORG.ZP1001, DATES.q2)).toMatchObject(FULL);
    }));

  it('recalculation pending: refused with when and why; declared after the job has run, with the new figures', () =>
    achievementTx(async (tx) => {
      await noNetwork(tx);
      await completeZP1001(tx);
      const { id } = (await declarationFor(tx, ORG.ZP1001, DATES.q2))!;
      // A new list size from 1 July flags the achievement (DB-A's trigger on list_sizes).
      await listSizes(tx, [{ ods_code: 'ZP1001', effective_from: '2025-07-01', list_size: 12000 }]);
      expect((await achievementFor(tx, ORG.ZP1001, DATES.q2))!.recalculation_requested_at).not.toBeNull();
      const before = await achievementDigest(tx);
      const [refused] = await step(tx, 'ash', 'declare_achievements', [id]);
      expect(refused).toMatchObject({ ok: false, code: 'PT409', status: 'awaiting_provider_declaration' });
      expect(refused!.message).toMatch(
        /^Riverside Medical Centre \(ZP1001\), Network Contract DES 2025\/26, 30\/09\/2025 cannot be declared yet: a recalculation is pending \(requested \d\d\/\d\d\/\d{4} \d\d:\d\d: .+\)\.$/,
      );
      expect(await achievementDigest(tx)).toBe(before);

      await runRecalculation(tx);
      // 142.6 points × £198.00 × 12,000 / 10,000 = £33,881.76, plus £503.00.
      expect(await declarationFor(tx, ORG.ZP1001, DATES.q2)).toMatchObject({ status: 'awaiting_provider_declaration', payment: '34384.76' });
      expect((await step(tx, 'ash', 'declare_achievements', [id]))[0]).toMatchObject({ ok: true });
      expect(await declarationFor(tx, ORG.ZP1001, DATES.q2)).toMatchObject({ status: 'awaiting_commissioner_approval', payment: '34384.76' });
    }));

  it('approving waits for a pending recalculation too', () =>
    achievementTx(async (tx) => {
      await noNetwork(tx);
      await completeZP1001(tx);
      const { id } = (await declarationFor(tx, ORG.ZP1001, DATES.q2))!;
      await step(tx, 'ash', 'declare_achievements', [id]);
      await listSizes(tx, [{ ods_code: 'ZP1001', effective_from: '2025-07-01', list_size: 12000 }]);
      const [refused] = await step(tx, 'jordan', 'approve_declarations', [id]);
      expect(refused).toMatchObject({ ok: false, code: 'PT409', status: 'awaiting_commissioner_approval' });
      expect(refused!.message).toMatch(/cannot be approved yet: a recalculation is pending/);
    }));
});

describe('a recalculation sends an open declaration back', () => {
  it('declared, then a list size changes: back to awaiting_provider_declaration with the reason, Ash told, Jordan\'s task done', () =>
    achievementTx(async (tx) => {
      await noNetwork(tx);
      await completeZP1001(tx);
      const { id } = (await declarationFor(tx, ORG.ZP1001, DATES.q2))!;
      await step(tx, 'ash', 'declare_achievements', [id]);
      await step(tx, 'jordan', 'approve_declarations', [id]);
      expect(await messages(tx, 'declaration_awaiting_finance', id)).toEqual(['Morgan Finance:open']);

      await listSizes(tx, [{ ods_code: 'ZP1001', effective_from: '2025-07-01', list_size: 12000 }]);
      await runRecalculation(tx);
      const back = (await declarationFor(tx, ORG.ZP1001, DATES.q2))!;
      expect(back).toMatchObject({ status: 'awaiting_provider_declaration', payment: '34384.76', declared_by: null, commissioner_approved_by: null });
      expect(back.sent_back_at).not.toBeNull();
      expect(back.sent_back_reason).toBe(
        'A recalculation changed the figures (142.60 points, £28,737.80 → 142.60 points, £34,384.76): declare again.',
      );
      expect(await messages(tx, 'declaration_awaiting_finance', id)).toEqual(['Morgan Finance:done']);
      expect(await messages(tx, 'declaration_recalculated', id)).toEqual(['Ash Approver:open']);
      expect(await messages(tx, 'declaration_awaiting', id)).toEqual(['Ash Approver:done', 'Ash Approver:open']);
      const [note] = await tx<{ subject: string; body: string }[]>`select subject, body from public.notifications where kind = 'declaration_recalculated' and link = ${`/declare/${id}`}`;
      expect(note!.subject).toBe('Declaration sent back: Riverside Medical Centre (ZP1001), 30/09/2025');
      expect(note!.body).toContain('It is now awaiting provider declaration.');
      expect((await audit(tx, id)).at(-1)).toBe('declaration.send_back awaiting_finance_approval→awaiting_provider_declaration');
    }));

  it('approved for payment never changes', () =>
    achievementTx(async (tx) => {
      await noNetwork(tx);
      await completeZP1001(tx);
      const { id } = (await declarationFor(tx, ORG.ZP1001, DATES.q2))!;
      await step(tx, 'ash', 'declare_achievements', [id]);
      await step(tx, 'jordan', 'approve_declarations', [id]);
      await step(tx, 'morgan', 'finance_approve_declarations', [id]);
      await listSizes(tx, [{ ods_code: 'ZP1001', effective_from: '2025-07-01', list_size: 12000 }]);
      await runRecalculation(tx);
      expect(await declarationFor(tx, ORG.ZP1001, DATES.q2)).toMatchObject({ status: 'approved_for_payment', ...FULL });
      expect(await messages(tx, 'declaration_recalculated', id)).toEqual([]);
    }));
});

describe('configurations', () => {
  it('"No Declaration Required": straight to the commissioner\'s approval, then Finance', () =>
    achievementTx(async (tx) => {
      await noNetwork(tx);
      await configure(tx, true, false);
      await completeZP1001(tx);
      const declaration = (await declarationFor(tx, ORG.ZP1001, DATES.q2))!;
      expect(declaration).toMatchObject({ status: 'awaiting_commissioner_approval', declared_by: null, ...FULL });
      expect(await messages(tx, 'declaration_awaiting', declaration.id)).toEqual([]);
      expect(await messages(tx, 'declaration_awaiting_approval', declaration.id)).toEqual(['Jordan Tier-Two:open']);
      // Nothing for Ash to declare.
      expect((await step(tx, 'ash', 'declare_achievements', [declaration.id]))[0]).toMatchObject({ ok: false, code: 'PT409' });
      expect((await step(tx, 'jordan', 'approve_declarations', [declaration.id]))[0]).toMatchObject({ ok: true, status: 'awaiting_finance_approval' });
      expect((await step(tx, 'morgan', 'finance_approve_declarations', [declaration.id]))[0]).toMatchObject({ ok: true, status: 'approved_for_payment' });
      // No declarer: the practice's Declaration Management hears of the approval.
      expect(await messages(tx, 'declaration_approved', declaration.id)).toEqual(['Ash Approver:open']);
    }));

  it('"No Declaration Required" and "No Approval Required": straight to Finance; a recalculation keeps it there with new figures and a notice', () =>
    achievementTx(async (tx) => {
      await noNetwork(tx);
      await configure(tx, true, true);
      await completeZP1001(tx);
      const declaration = (await declarationFor(tx, ORG.ZP1001, DATES.q2))!;
      expect(declaration.status).toBe('awaiting_finance_approval');
      expect(await messages(tx, 'declaration_awaiting_finance', declaration.id)).toEqual(['Morgan Finance:open']);
      expect((await step(tx, 'jordan', 'approve_declarations', [declaration.id]))[0]).toMatchObject({ ok: false, code: 'PT409' });

      await listSizes(tx, [{ ods_code: 'ZP1001', effective_from: '2025-07-01', list_size: 12000 }]);
      await runRecalculation(tx);
      expect(await declarationFor(tx, ORG.ZP1001, DATES.q2)).toMatchObject({ status: 'awaiting_finance_approval', payment: '34384.76' });
      // The old task is done, a new one is open for the new figures.
      expect(await messages(tx, 'declaration_awaiting_finance', declaration.id)).toEqual(['Morgan Finance:done', 'Morgan Finance:open']);
      expect(await messages(tx, 'declaration_recalculated', declaration.id)).toEqual(['Ash Approver:open']);
      expect((await step(tx, 'morgan', 'finance_approve_declarations', [declaration.id]))[0]).toMatchObject({ ok: true, status: 'approved_for_payment' });
      expect(await declarationFor(tx, ORG.ZP1001, DATES.q2)).toMatchObject({ payment: '34384.76', finance_approved_by: PERSON.morgan });
    }));

  it('"No Approval Required": Ash declares straight to Finance', () =>
    achievementTx(async (tx) => {
      await noNetwork(tx);
      await configure(tx, false, true);
      await completeZP1001(tx);
      const declaration = (await declarationFor(tx, ORG.ZP1001, DATES.q2))!;
      expect(declaration.status).toBe('awaiting_provider_declaration');
      expect((await step(tx, 'ash', 'declare_achievements', [declaration.id]))[0]).toMatchObject({ ok: true, status: 'awaiting_finance_approval' });
      expect(await messages(tx, 'declaration_awaiting_approval', declaration.id)).toEqual([]);
      expect(await messages(tx, 'declaration_awaiting_finance', declaration.id)).toEqual(['Morgan Finance:open']);
    }));
});

describe('several at once (Select All)', () => {
  it('bulk declare: each declaration on its own, in the order given, with its own answer', () =>
    achievementTx(async (tx) => {
      await noNetwork(tx);
      await listSizes(tx, [
        { ods_code: 'ZP1001', effective_from: '2025-04-01', list_size: 10000 },
        { ods_code: 'ZP1002', effective_from: '2025-04-01', list_size: 8000 },
        { ods_code: 'ZP1003', effective_from: '2025-04-01', list_size: 5000 },
      ]);
      // Ash also holds Declaration Management at Bridge Street (ZP1002); at Mill Lane (ZP1003) only Finance View
      // (she reads its declaration but may not make it); Hill Top (ZP1004) she cannot see at all.
      await grantRoles(tx, 'ash', ORG.ZP1002, ['declaration_management']);
      await grantRoles(tx, 'ash', ORG.ZP1003, ['finance_view']);
      await enter(tx, 'pat', ORG.ZP1001, DATES.q2, values([88, 100], 50));
      await enter(tx, 'chris', ORG.ZP1002, DATES.q2, values([88, 100], null)); // VI-01 missing
      await enter(tx, 'chris', ORG.ZP1003, DATES.q2, values([88, 100], 20));
      await enter(tx, 'chris', ORG.ZP1004, DATES.q2, values([88, 100], 20));
      const zp1001 = (await declarationFor(tx, ORG.ZP1001, DATES.q2))!.id;
      const zp1002 = (await declarationFor(tx, ORG.ZP1002, DATES.q2))!.id;
      const zp1003 = (await declarationFor(tx, ORG.ZP1003, DATES.q2))!.id;
      const zp1004 = (await declarationFor(tx, ORG.ZP1004, DATES.q2))!.id;

      const answers = await step(tx, 'ash', 'declare_achievements', [zp1002, zp1001, zp1003, zp1004, zp1001]);
      expect(answers.map((a) => [a.declaration_id, a.ok, a.code, a.status])).toEqual([
        [zp1002, false, 'PT409', 'awaiting_provider_declaration'],
        [zp1001, true, null, 'awaiting_commissioner_approval'],
        [zp1003, false, '42501', 'awaiting_provider_declaration'],
        [zp1004, false, 'P0002', null],
      ]);
      expect(answers[3]!.message).toBe('The declaration does not exist, or you cannot see it.');
      expect(answers[0]!.message).toContain('data is missing — IIF 1 of 2 submitted (missing VI-01)');
      expect(answers[2]!.message).toContain('Mill Lane Practice (ZP1003)');
      expect(await declarationFor(tx, ORG.ZP1002, DATES.q2)).toMatchObject({ status: 'awaiting_provider_declaration', declared_by: null });
      expect(await audit(tx, zp1002)).toEqual(['declaration.create -→awaiting_provider_declaration']);

      // Jordan approves all three (Select All): one is declared, two are not.
      const approvals = await step(tx, 'jordan', 'approve_declarations', [zp1001, zp1002, zp1003, zp1004]);
      expect(approvals.map((a) => [a.ok, a.status])).toEqual([
        [true, 'awaiting_finance_approval'],
        [false, 'awaiting_provider_declaration'],
        [false, 'awaiting_provider_declaration'],
        [false, 'awaiting_provider_declaration'],
      ]);
      expect(await messages(tx, 'declaration_awaiting_finance', zp1001)).toEqual(['Morgan Finance:open']);
    }));
});

describe('email', () => {
  it('the new kinds go out through the outbox by default, and follow a person\'s "portal only" choice', () =>
    achievementTx(async (tx) => {
      await noNetwork(tx);
      // Ash wants declaration tasks in the portal only; Jordan keeps the default (email).
      await asOk(tx, 'ash', (sp) => sp`select * from public.set_notification_preferences('{declaration_awaiting}', 'portal_only')`);
      await completeZP1001(tx);
      const { id } = (await declarationFor(tx, ORG.ZP1001, DATES.q2))!;
      await step(tx, 'ash', 'declare_achievements', [id]);
      const rows = await tx<{ kind: string; emailed: boolean; skipped: boolean }[]>`
        select kind::text, emailed_at is not null as emailed, email_skipped_at is not null as skipped from public.notifications
        where subject_id = ${id} order by kind`;
      // Queued for the sender (neither emailed yet nor skipped) unless the person chose the portal only.
      expect(rows).toEqual([
        { kind: 'declaration_awaiting', emailed: false, skipped: true },
        { kind: 'declaration_awaiting_approval', emailed: false, skipped: false },
      ]);
      const [always] = await tx<{ kinds: string[] }[]>`select private.always_emailed_kinds()::text[] as kinds`;
      for (const kind of ['declaration_awaiting', 'declaration_awaiting_approval', 'declaration_awaiting_finance', 'declaration_approved',
        'declaration_recalculated', 'network_achievement_awaited']) {
        expect(always!.kinds).not.toContain(kind);
      }
    }));
});

describe('recipients', () => {
  it('private.people_reaching_many finds exactly whom private.people_reaching finds, for every practice and role (clusters too)', () =>
    achievementTx(async (tx) => {
      // A second ICB-level Approval Management person restricted to the cluster (ZP1001 + ZP1002): Casey.
      await grantRoles(tx, 'casey', ORG.ZN1, ['approval_management']);
      const providers = [ORG.ZP1001, ORG.ZP1002, ORG.ZP1003, ORG.ZP1004, ORG.ZP1005, ORG.ZU101, ORG.ZN1E];
      for (const roles of ['{declaration_management}', '{approval_management}', '{finance_management}', '{approver_tier_1}', '{achievement_entry,view}']) {
        const one = await tx<{ pair: string }[]>`
          select p.id || ':' || r as pair from unnest(${providers}::uuid[]) p (id), private.people_reaching(p.id, ${roles}::public.app_role[]) r order by 1`;
        const many = await tx<{ pair: string }[]>`
          select provider_id || ':' || profile_id as pair from private.people_reaching_many(${providers}::uuid[], ${roles}::public.app_role[]) order by 1`;
        expect(many, roles).toEqual(one);
      }
      // Casey reaches only the cluster's practices with her new role.
      const casey = await tx<{ provider_id: string }[]>`
        select provider_id from private.people_reaching_many(${providers}::uuid[], '{approval_management}') where profile_id = ${PERSON.casey} order by 1`;
      expect(casey.map((r) => r.provider_id)).toEqual([ORG.ZP1001, ORG.ZP1002].sort());
    }));
});
