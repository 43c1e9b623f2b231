// Entering achievement: Add New Achievement, Save Work in Progress (kept,
// not calculated), Submit (calculated; identical data and nothing entered
// refused), discard, and the adjustment rules (job aid "Adjusting
// achievement"): each refusal names its rule and changes nothing.
import { describe, expect, it } from 'vitest';
import {
  achievementDigest,
  achievementRow,
  achievementTx,
  as,
  asOk,
  DATES,
  DES,
  direct,
  enter,
  expectAchievementRefused,
  IND,
  listSizes,
  ORG,
  save,
  setDeclaration,
  start,
  submit,
  type Tx,
  values,
  type Who,
} from './fixtures.ts';

const problem = async (tx: Tx, who: Who, achievementId: string) => {
  const [row] = await asOk(tx, who, (sp) => sp<{ p: string | null }[]>`select public.achievement_change_problem(${achievementId}) as p`);
  return row!.p;
};
const saveCall = (achievementId: string, list = values([86, 97], 5)) => (sp: Tx) =>
  sp`select public.save_achievement_values(${achievementId}, ${sp.json(list)})`;

describe('Add New Achievement', () => {
  it('Pat (Achievement Entry) starts ZP1001 on an achievement date: manual, work in progress, nothing calculated', async () => {
    await achievementTx(async (tx) => {
      const row = await start(tx, 'pat', ORG.ZP1001, DATES.q1);
      expect(row).toMatchObject({ provider_id: ORG.ZP1001, service_id: DES, source: 'manual', status: 'work_in_progress', version: 0, points: null, payment: null });
      const [audit] = await tx`select action from public.audit_log where entity_id = ${row.id}`;
      expect(audit).toMatchObject({ action: 'achievement.start' });
    });
  });

  it('Chris (commissioner) starts one for a practice: source commissioner', async () => {
    await achievementTx(async (tx) => {
      expect(await start(tx, 'chris', ORG.ZP1003, DATES.q1)).toMatchObject({ source: 'commissioner' });
    });
  });

  it('refuses a date that is not the service\'s, a provider without an approved offer, a second one, and people without the role', async () => {
    await achievementTx(async (tx) => {
      await expectAchievementRefused(tx, 'pat', '22023', (sp) => sp`select public.start_achievement(${ORG.ZP1001}, ${DES}, '2025-07-31')`,
        /^31\/07\/2025 is not an achievement date of Network Contract DES 2025\/26\.$/);
      await direct(tx, () => tx`update public.service_offers set status = 'cancelled', cancelled_at = now() where service_id = ${DES} and provider_id = ${ORG.ZP1004}`);
      await expectAchievementRefused(tx, 'chris', 'PT409', (sp) => sp`select public.start_achievement(${ORG.ZP1004}, ${DES}, ${DATES.q1})`,
        /Hill Top Surgery \(ZP1004\) has no approved offer of Network Contract DES 2025\/26/);
      await start(tx, 'pat', ORG.ZP1001, DATES.q1);
      await expectAchievementRefused(tx, 'pat', 'PT409', (sp) => sp`select public.start_achievement(${ORG.ZP1001}, ${DES}, ${DATES.q1})`,
        /already has achievement for Network Contract DES 2025\/26 on 30\/06\/2025 \(work in progress\)/);
      // A PCN's figures are its practices' aggregate: it enters nothing.
      await expectAchievementRefused(tx, 'chris', '22023', (sp) => sp`select public.start_achievement(${ORG.ZU101}, ${DES}, ${DATES.q1})`,
        /^Riverside PCN \(ZU101\) is a PCN: its network achievement is aggregated from its practices' achievement, not entered\.$/);
      for (const who of ['ash', 'morgan', 'robin', 'lee'] as const) {
        await expectAchievementRefused(tx, who, '42501', (sp) => sp`select public.start_achievement(${ORG.ZP1001}, ${DES}, ${DATES.q2})`,
          /^Only Achievement Entry at Riverside Medical Centre \(ZP1001\)/);
      }
    });
  });
});

describe('Save Work in Progress and Submit', () => {
  it('WIP is kept, not calculated; Submit makes it current, records notes and calculates', async () => {
    await achievementTx(async (tx) => {
      await listSizes(tx, [{ ods_code: 'ZP1001', effective_from: '2025-04-01', list_size: 10000 }]);
      const started = await start(tx, 'pat', ORG.ZP1001, DATES.q1);
      const saved = await save(tx, 'pat', started.id, values(null, 40));
      expect(saved).toMatchObject({ status: 'work_in_progress', has_new_values: true, points: null, payment: null, calculated_at: null });
      const wip = await tx`select indicator_id, numerator, new_numerator, new_denominator, new_count, has_new, submitted
                           from public.achievement_values where achievement_id = ${started.id} order by indicator_id`;
      expect(wip).toEqual([
        { indicator_id: IND.caip01, numerator: null, new_numerator: 100, new_denominator: 100, new_count: null, has_new: true, submitted: false },
        { indicator_id: IND.caip02, numerator: null, new_numerator: 100, new_denominator: 100, new_count: null, has_new: true, submitted: false },
        { indicator_id: IND.vi01, numerator: null, new_numerator: null, new_denominator: null, new_count: 40, has_new: true, submitted: false },
      ]);
      expect(await tx`select 1 from public.achievement_results where achievement_id = ${started.id}`).toHaveLength(0);

      const result = await submit(tx, 'pat', started.id, '  Figures from the practice system, 1 July.  ');
      // 100 points × £198.00 × 1 + 40 × £10.06 = £19,800.00 + £402.40
      expect(result).toMatchObject({ achievement_id: started.id, version: 1, points: 100, payment: 20202.4 });
      expect(await achievementRow(tx, started.id)).toMatchObject({ status: 'submitted', has_new_values: false, version: 1, payment: '20202.40' });
      const [submission] = await tx`select version, source::text, notes, submitted_values, points::text, payment::text
                                    from public.achievement_submissions where achievement_id = ${started.id}`;
      expect(submission).toEqual({
        version: 1, source: 'manual', notes: 'Figures from the practice system, 1 July.', points: '100.0000', payment: '20202.40',
        submitted_values: {
          groups: {},
          indicators: {
            CAIP01: { numerator: 100, denominator: 100, count: null },
            CAIP02: { numerator: 100, denominator: 100, count: null },
            'VI-01': { numerator: null, denominator: null, count: 40 },
          },
        },
      });
    });
  });

  it('values are checked against each indicator\'s basis; each refusal names the indicator and changes nothing', async () => {
    await achievementTx(async (tx) => {
      const { id } = await start(tx, 'pat', ORG.ZP1001, DATES.q1);
      const refused: [unknown[], RegExp][] = [
        [[{ indicator_id: IND.acc08, numerator: 98, denominator: 97 }], /^ACC-08: the numerator \(98\) cannot be more than the denominator \(97\)\.$/],
        [[{ indicator_id: IND.acc08, numerator: 5 }], /^ACC-08: enter both the numerator and the denominator/],
        [[{ indicator_id: IND.acc08, count: 5 }], /^ACC-08 is a percentage indicator: enter a numerator and a denominator, not a count\.$/],
        [[{ indicator_id: IND.vi01, numerator: 1, denominator: 2 }], /^VI-01 is a per-unit indicator: enter a count/],
        [[{ indicator_id: IND.vi01, count: -1 }], /^VI-01: values must be whole numbers of 0 or more\.$/],
        [[{ indicator_id: IND.vi01, count: 2.5 }], /^VI-01: values must be whole numbers of 0 or more\.$/],
        [[{ indicator_id: IND.vi01, count: '7' }], /^VI-01: values must be whole numbers of 0 or more\.$/],
        [[{ indicator_id: '1b000000-0000-4000-8000-000000000001', count: 1 }], /^Value 1: the indicator is not one of this service's\.$/],
        [[{ indicator_id: IND.vi01, count: 1 }, { indicator_id: IND.vi01, count: 2 }], /^VI-01 is listed more than once\.$/],
      ];
      for (const [list, message] of refused) {
        await expectAchievementRefused(tx, 'pat', '22023', (sp) => sp`select public.save_achievement_values(${id}, ${sp.json(list as never)})`, message);
      }
    });
  });

  it('nothing entered is refused; a submission identical to the previous one is refused', async () => {
    await achievementTx(async (tx) => {
      const { id } = await start(tx, 'pat', ORG.ZP1001, DATES.q1);
      await expectAchievementRefused(tx, 'pat', '22023', (sp) => sp`select public.submit_achievement(${id})`,
        /^Nothing has been entered: enter at least one indicator's values before submitting\.$/);
      // Values entered then cleared again: still nothing.
      await save(tx, 'pat', id, [{ indicator_id: IND.vi01, count: 3 }]);
      await save(tx, 'pat', id, [{ indicator_id: IND.vi01, count: null }]);
      await expectAchievementRefused(tx, 'pat', '22023', (sp) => sp`select public.submit_achievement(${id})`, /^Nothing has been entered/);

      await save(tx, 'pat', id, values([86, 97], 5));
      await submit(tx, 'pat', id);
      await expectAchievementRefused(tx, 'pat', 'PT409', (sp) => sp`select public.submit_achievement(${id}, 'again')`,
        /^The data is identical to the previous submission \(version 1\): change a value before submitting again\.$/);
      // Saving the same values again is not new work: still identical.
      const same = await save(tx, 'pat', id, values([86, 97], 5));
      expect(same.has_new_values).toBe(false);
      await expectAchievementRefused(tx, 'pat', 'PT409', (sp) => sp`select public.submit_achievement(${id})`, /identical to the previous submission/);
      // A change is accepted as version 2.
      await save(tx, 'pat', id, [{ indicator_id: IND.vi01, count: 6 }]);
      expect(await submit(tx, 'pat', id)).toMatchObject({ version: 2 });
      expect(await tx`select version from public.achievement_submissions where achievement_id = ${id} order by version`).toEqual([{ version: 1 }, { version: 2 }]);
    });
  });

  it('discard drops the New Values and keeps the submitted ones', async () => {
    await achievementTx(async (tx) => {
      const { achievement } = await enter(tx, 'pat', ORG.ZP1001, DATES.q1, values(null, 5));
      await save(tx, 'pat', achievement.id, [{ indicator_id: IND.vi01, count: 9 }]);
      const [discarded] = await asOk(tx, 'pat', (sp) => sp`select * from public.discard_achievement_work(${achievement.id})`);
      expect(discarded).toMatchObject({ has_new_values: false, version: 1 });
      const [vi] = await tx`select count, new_count, has_new from public.achievement_values where achievement_id = ${achievement.id} and indicator_id = ${IND.vi01}`;
      expect(vi).toEqual({ count: 5, new_count: null, has_new: false });
      await expectAchievementRefused(tx, 'pat', 'PT409', (sp) => sp`select public.discard_achievement_work(${achievement.id})`, /^There is no work in progress to discard\.$/);
    });
  });
});

describe('adjustment rules (each refusal names its rule and changes nothing)', () => {
  it('provider: data for the last day of the payment period has been submitted; the commissioner may still amend', async () => {
    await achievementTx(async (tx) => {
      const q1 = await enter(tx, 'pat', ORG.ZP1001, DATES.q1, values(null, 5));
      expect(await problem(tx, 'pat', q1.achievement.id)).toBeNull();
      await enter(tx, 'pat', ORG.ZP1001, DATES.q2, values(null, 5));
      const rule = /^Riverside Medical Centre \(ZP1001\)'s achievement for 30\/06\/2025 cannot be changed: data for the last day of the payment period \(30\/09\/2025\) has been submitted\.$/;
      expect(await problem(tx, 'pat', q1.achievement.id)).toMatch(rule);
      await expectAchievementRefused(tx, 'pat', 'PT409', saveCall(q1.achievement.id), rule);
      // The payment date itself stays open to the provider (until approval).
      const q2 = await tx`select id from public.achievements where provider_id = ${ORG.ZP1001} and achievement_date = ${DATES.q2}`;
      expect(await problem(tx, 'pat', q2[0]!.id)).toBeNull();
      // A commissioner may amend until financial approval.
      expect(await problem(tx, 'chris', q1.achievement.id)).toBeNull();
      await save(tx, 'chris', q1.achievement.id, [{ indicator_id: IND.vi01, count: 7 }]);
      await submit(tx, 'chris', q1.achievement.id, 'Corrected by the ICB');
      expect(await achievementRow(tx, q1.achievement.id)).toMatchObject({ source: 'commissioner', version: 2 });
    });
  });

  it('provider: the data is a commissioner entry; the data came from an extract', async () => {
    await achievementTx(async (tx) => {
      const byChris = await enter(tx, 'chris', ORG.ZP1001, DATES.q3, values(null, 5));
      expect(byChris.achievement.source).toBe('commissioner');
      const rule = /^Riverside Medical Centre \(ZP1001\)'s achievement for 31\/12\/2025 cannot be changed by the practice: the data is a commissioner entry\.$/;
      expect(await problem(tx, 'pat', byChris.achievement.id)).toMatch(rule);
      await expectAchievementRefused(tx, 'pat', 'PT409', saveCall(byChris.achievement.id), rule);

      await tx`select set_config('role', 'service_role', true)`;
      await tx`select public.load_achievement_extract(${tx.json([{ ods_code: 'ZP1001', service_id: DES, achievement_date: DATES.q4, indicator_code: 'VI-01', count: 12 }])})`;
      await tx`select set_config('role', 'none', true)`;
      const [extract] = await tx<{ id: string; source: string }[]>`select id, source::text from public.achievements where provider_id = ${ORG.ZP1001} and achievement_date = ${DATES.q4}`;
      expect(extract!.source).toBe('extract');
      const extractRule = /cannot be changed by the practice: the data came from an extract \(not manually entered\)\.$/;
      expect(await problem(tx, 'pat', extract!.id)).toMatch(extractRule);
      await expectAchievementRefused(tx, 'pat', 'PT409', (sp) => sp`select public.discard_achievement_work(${extract!.id})`, extractRule);
      expect(await problem(tx, 'chris', extract!.id)).toBeNull();
    });
  });

  it('approved by the commissioner (awaiting finance approval): provider refused, commissioner allowed; financially approved: everyone refused', async () => {
    await achievementTx(async (tx) => {
      const q2 = await enter(tx, 'pat', ORG.ZP1001, DATES.q2, values(null, 5));
      await setDeclaration(tx, ORG.ZP1001, DATES.q2, 'awaiting_finance_approval');
      const approved = /cannot be changed: the payment for the period ending 30\/09\/2025 has been approved by the commissioner\.$/;
      expect(await problem(tx, 'pat', q2.achievement.id)).toMatch(approved);
      await expectAchievementRefused(tx, 'pat', 'PT409', saveCall(q2.achievement.id), approved);
      expect(await problem(tx, 'chris', q2.achievement.id)).toBeNull();

      await setDeclaration(tx, ORG.ZP1001, DATES.q2, 'approved_for_payment');
      const paid = /cannot be changed: the payment for the period ending 30\/09\/2025 has been financially approved\.$/;
      for (const who of ['pat', 'chris', 'jordan'] as const) {
        expect(await problem(tx, who, q2.achievement.id)).toMatch(paid);
        await expectAchievementRefused(tx, who, 'PT409', saveCall(q2.achievement.id), paid);
      }
      // The rule covers the whole period: 30/06/2025 belongs to the period paid on 30/09/2025.
      const q1 = await start(tx, 'chris', ORG.ZP1001, DATES.q1);
      expect(await problem(tx, 'chris', q1.id)).toMatch(/payment for the period ending 30\/09\/2025 has been financially approved/);
    });
  });

  it('role: Declaration Management and Finance cannot enter; another ICB, the PCN and Tier 1 reviewers cannot even see it', async () => {
    await achievementTx(async (tx) => {
      const { achievement } = await enter(tx, 'pat', ORG.ZP1001, DATES.q1, values(null, 5));
      for (const who of ['ash', 'morgan'] as const) {
        expect(await problem(tx, who, achievement.id)).toMatch(/^Only Achievement Entry at Riverside Medical Centre \(ZP1001\), or its commissioner's Commissioning or Approval Management, can change/);
        await expectAchievementRefused(tx, who, '42501', saveCall(achievement.id), /^Only Achievement Entry/);
        await expectAchievementRefused(tx, who, '42501', (sp) => sp`select public.submit_achievement(${achievement.id})`, /^Only Achievement Entry/);
      }
      for (const who of ['robin', 'lee', 'harper', 'casey'] as const) {
        expect(await problem(tx, who, achievement.id)).toBe('The achievement does not exist, or you cannot see it.');
        await expectAchievementRefused(tx, who, 'P0002', saveCall(achievement.id), /^The achievement does not exist, or you cannot see it\.$/);
        await expectAchievementRefused(tx, who, 'P0002', (sp) => sp`select public.submit_achievement(${achievement.id})`, /does not exist/);
        await expectAchievementRefused(tx, who, 'P0002', (sp) => sp`select public.discard_achievement_work(${achievement.id})`, /does not exist/);
      }
      await expectAchievementRefused(tx, 'anon', '42501', saveCall(achievement.id));
      // The service-role jobs are not for people.
      for (const call of [
        (sp: Tx) => sp`select public.run_achievement_recalculation()`,
        (sp: Tx) => sp`select public.load_list_sizes('[]'::jsonb)`,
        (sp: Tx) => sp`select public.load_achievement_extract('[]'::jsonb)`,
      ]) {
        const outcome = await as(tx, 'chris', call);
        expect(outcome.ok ? 'ran' : outcome.error.code).toBe('42501');
      }
    });
  });

  it('a refused Submit changes nothing, its work in progress included', async () => {
    await achievementTx(async (tx) => {
      const q1 = await enter(tx, 'pat', ORG.ZP1001, DATES.q1, values(null, 5));
      await save(tx, 'pat', q1.achievement.id, [{ indicator_id: IND.vi01, count: 8 }]);
      await enter(tx, 'pat', ORG.ZP1001, DATES.q2, values(null, 5));
      const before = await achievementDigest(tx);
      await expectAchievementRefused(tx, 'pat', 'PT409', (sp) => sp`select public.submit_achievement(${q1.achievement.id})`, /last day of the payment period/);
      expect(await achievementDigest(tx)).toBe(before);
    });
  });
});
