// The calculation (private.calculate_achievements through Submit): worked
// figures to the penny. docs/achievement.md walks through the first example.
// ACC-08 is made a practice (non-network) indicator here so its thresholds can
// be tried on one practice; network scoring is in recalculation.test.ts.
import { describe, expect, it } from 'vitest';
import { achievementTx, DATES, direct, enter, IND, listSizes, ORG, results, type Tx, values, type Value } from './fixtures.ts';

async function practiceAcc08(tx: Tx): Promise<void> {
  await direct(tx, () => tx`update public.indicators set network = false where id = ${IND.acc08}`);
}

async function pat(tx: Tx, list: Value[], date: string = DATES.q1) {
  return enter(tx, 'pat', ORG.ZP1001, date, list);
}

describe('calculation: the worked example (docs/achievement.md)', () => {
  it('ZP1001 on 30/06/2025, list size 9,800 of 10,000: £27,620.82 and 135.9691 points', async () => {
    await achievementTx(async (tx) => {
      await practiceAcc08(tx);
      await listSizes(tx, [{ ods_code: 'ZP1001', effective_from: '2025-04-01', list_size: 9800 }]);
      const { achievement, result } = await pat(tx, values([86, 97], 123, [0, 0]).map((v, i) =>
        i === 0 ? { ...v, numerator: 90, denominator: 100 } : i === 1 ? { ...v, numerator: 45, denominator: 60 } : v));
      const r = await results(tx, achievement.id);
      // CAIP01 90/100 = 90 % of 0–100 → 60 × 0.9 = 54 points; 54 × £198.00 × 0.98 = £10,478.16
      expect(r.CAIP01).toMatchObject({ numerator: 90, denominator: 100, list_size: 9800, awaiting_network: false });
      expect(Number(r.CAIP01!.points)).toBe(54);
      expect(Number(r.CAIP01!.list_size_adjustment)).toBe(0.98);
      expect(Number(r.CAIP01!.payment_exact)).toBe(10478.16);
      // CAIP02 45/60 = 75 % → 40 × 0.75 = 30 points; 30 × 198 × 0.98 = £5,821.20
      expect(Number(r.CAIP02!.points)).toBe(30);
      expect(Number(r.CAIP02!.payment_exact)).toBe(5821.2);
      // ACC-08 86/97 = 88.6598 % between 85 and 90 → 71 × 3.6598/5 = 5041/97 = 51.969072… points;
      // × 198 × 0.98 = £10,084.078762… (not rounded here)
      expect(r['ACC-08']!.percentage!.startsWith('88.659793814')).toBe(true);
      expect(r['ACC-08']!.points.startsWith('51.96907216494845')).toBe(true);
      expect(r['ACC-08']!.payment_exact.startsWith('10084.0787628865')).toBe(true);
      // VI-01 per unit: 123 × £10.06 = £1,237.38, no list-size scaling
      expect(Number(r['VI-01']!.points)).toBe(0);
      expect(Number(r['VI-01']!.payment_exact)).toBe(1237.38);
      // Σ 27,620.818762… → £27,620.82 (rounded once); points Σ 135.969072… stored to 4 places
      expect(result).toMatchObject({ version: 1, payment: 27620.82, points: 135.9691 });
      expect(achievement).toMatchObject({ payment: '27620.82', points: '135.9691', status: 'submitted', source: 'manual' });
    });
  });
});

describe('calculation: thresholds (ACC-08, 71 points, 85–90 %, £198.00 a point, list size 10,000 = reference)', () => {
  const cases: [string, [number, number], number, string][] = [
    ['below the lower threshold scores nothing', [84, 100], 0, '0.00'],
    ['at the lower threshold scores nothing yet', [85, 100], 0, '0.00'],
    ['between: linear (87 % → 71 × 2/5 = 28.4 points)', [87, 100], 28.4, '5623.20'],
    ['at the upper threshold: all the points', [90, 100], 71, '14058.00'],
    ['above the upper threshold: all the points', [97, 100], 71, '14058.00'],
    ['no denominator: no score', [0, 0], 0, '0.00'],
  ];
  for (const [name, fraction, points, payment] of cases) {
    it(name, async () => {
      await achievementTx(async (tx) => {
        await practiceAcc08(tx);
        await listSizes(tx, [{ ods_code: 'ZP1001', effective_from: '2025-04-01', list_size: 10000 }]);
        const { achievement } = await pat(tx, [{ indicator_id: IND.acc08, numerator: fraction[0], denominator: fraction[1] }]);
        const r = await results(tx, achievement.id);
        expect(Number(r['ACC-08']!.points)).toBe(points);
        expect(achievement.payment).toBe(payment);
        // Indicators without values score nothing.
        expect(Number(r.CAIP01!.points)).toBe(0);
        expect(r.CAIP01!.numerator).toBeNull();
      });
    });
  }
});

describe('calculation: per unit and list-size adjustment', () => {
  it('per unit pays count × rate whatever the list size; per point is scaled by list size ÷ reference', async () => {
    await achievementTx(async (tx) => {
      await listSizes(tx, [
        { ods_code: 'ZP1001', effective_from: '2025-04-01', list_size: 12500 },
        { ods_code: 'ZP1001', effective_from: '2025-07-01', list_size: 5000 },
      ]);
      // 30/06/2025 uses the 01/04/2025 row (12,500 → 1.25); 30/09/2025 the 01/07/2025 row (5,000 → 0.5).
      const q1 = await pat(tx, values(null, 123, [50, 100]), DATES.q1);
      // CAIP 50 % → 30 + 20 points = 50 × 198 × 1.25 = 12,375.00; VI-01 123 × 10.06 = 1,237.38
      expect(q1.result).toMatchObject({ payment: 13612.38, points: 50 });
      const q2 = await pat(tx, values(null, 123, [50, 100]), DATES.q2);
      // 50 × 198 × 0.5 = 4,950.00 + 1,237.38
      expect(q2.result).toMatchObject({ payment: 6187.38, points: 50 });
      expect(Number((await results(tx, q2.achievement.id)).CAIP01!.list_size_adjustment)).toBe(0.5);
    });
  });

  it('no list size on the date (the reference is set): adjustment 0, per point £0.00, per unit still paid, list_size null', async () => {
    await achievementTx(async (tx) => {
      await listSizes(tx, [{ ods_code: 'ZP1001', effective_from: '2025-07-01', list_size: 9000 }]);
      const { achievement, result } = await pat(tx, values(null, 10), DATES.q1);
      const r = await results(tx, achievement.id);
      expect(r.CAIP01).toMatchObject({ list_size: null });
      expect(Number(r.CAIP01!.list_size_adjustment)).toBe(0);
      expect(Number(r.CAIP01!.points)).toBe(60);
      expect(Number(r.CAIP01!.payment_exact)).toBe(0);
      expect(result).toMatchObject({ points: 100, payment: 100.6 });
    });
  });

  it('no reference list size on the service: adjustment 1', async () => {
    await achievementTx(async (tx) => {
      await direct(tx, () => tx`update public.quality_services set reference_list_size = null where id = ${'1a000000-0000-4000-8000-000000000003'}`);
      const { result } = await pat(tx, values(null, null));
      // 100 points × £198.00 × 1
      expect(result).toMatchObject({ points: 100, payment: 19800 });
    });
  });
});

describe('calculation: pennies rounded once, at the end', () => {
  it('CAIP01 1/61 and CAIP02 7/61 at 0.98: £190.859… + £890.675… = £1,081.53 (not £190.86 + £890.68 = £1,081.54)', async () => {
    await achievementTx(async (tx) => {
      await listSizes(tx, [{ ods_code: 'ZP1001', effective_from: '2025-04-01', list_size: 9800 }]);
      const { achievement, result } = await pat(tx, [
        { indicator_id: IND.caip01, numerator: 1, denominator: 61 },
        { indicator_id: IND.caip02, numerator: 7, denominator: 61 },
      ]);
      const r = await results(tx, achievement.id);
      expect(r.CAIP01!.payment_exact.startsWith('190.8590163934')).toBe(true);
      expect(r.CAIP02!.payment_exact.startsWith('890.6754098360')).toBe(true);
      expect(result.payment).toBe(1081.53);
      const [perIndicator] = await tx<{ s: string }[]>`
        select sum(round(payment_exact, 2))::text as s from public.achievement_results where achievement_id = ${achievement.id}`;
      expect(perIndicator!.s).toBe('1081.54');
    });
  });
});
