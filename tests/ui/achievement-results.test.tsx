// UI test of Achievement Results: per group and indicator the values,
// percentage, thresholds, points of the maximum, rate, list size ÷ reference
// list size = adjustment and payment (the exact figure shown to the penny and
// beside it unrounded), the achievement's payment from achievements.payment;
// "Awaiting network achievement" and "No list size on this date"; an
// achievement not yet calculated; and View, who reads no results (RLS), told
// that results need Finance View instead of an empty table.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import {
  achievementRow,
  createAchievementDouble,
  FINANCE_VIEW,
  readsOf,
  renderAchievement,
  resetAchievement,
  VIEWER,
  type AchievementDouble,
} from './achievement-harness.tsx';

afterEach(resetAchievement);

function result(indicatorId: string, extra: Record<string, unknown>) {
  return {
    achievement_id: 'a-sep',
    indicator_id: indicatorId,
    payment_basis: 'per_point',
    network: false,
    numerator: null,
    denominator: null,
    count: null,
    pcn_id: null,
    lower_threshold: null,
    upper_threshold: null,
    max_points: 60,
    payment_rate: 198,
    list_size: 8123,
    reference_list_size: 10000,
    list_size_adjustment: 0.8123,
    percentage: null,
    points: 0,
    payment_exact: 0,
    awaiting_network: false,
    calculated_at: '2025-10-02T09:00:01Z',
    ...extra,
  };
}

/** 30/09/2025 calculated (worked figures below); 31/12/2025 only work in progress. */
function seeded(results?: Record<string, unknown>[]): AchievementDouble {
  return createAchievementDouble({
    achievements: [
      achievementRow('a-sep', '2025-09-30', { status: 'submitted', version: 1, submitted_at: '2025-10-02T09:00:00Z', points: 78, payment: 13752.36, calculated_at: '2025-10-02T09:00:01Z' }),
      achievementRow('a-dec', '2025-12-31'),
    ],
    achievement_results: results ?? [
      // 45/50 = 90 %, no thresholds: 60 × 0.9 = 54 points; 54 × £198 × 0.8123 = £8,685.1116
      result('i-caip01', { numerator: 45, denominator: 50, percentage: 90, points: 54, payment_exact: 8685.1116 }),
      // 30/50 = 60 %: 24 of 40 points; 24 × £198 × 0.8123 = £3,860.0496
      result('i-caip02', { numerator: 30, denominator: 50, percentage: 60, max_points: 40, points: 24, payment_exact: 3860.0496 }),
      // Network indicator waiting for Riverside PCN's network achievement: nothing yet.
      result('i-acc08', { network: true, awaiting_network: true, numerator: 80, denominator: 100, percentage: 80, lower_threshold: 85, upper_threshold: 90, max_points: 71 }),
      // 120 × £10.06 (per unit: no list-size scaling).
      result('i-vi01', { payment_basis: 'per_unit', count: 120, max_points: 0, payment_rate: 10.06, list_size_adjustment: 1, payment_exact: 1207.2 }),
    ],
  });
}

const group = (code: string) => screen.getByRole('table', { name: `Results of ${code}` });
const row = (code: string) => screen.getByTestId(`result-${code}`).closest('tr')!;

describe('Achievement Results (UI test with doubles)', { timeout: 30_000 }, () => {
  it('breaks the payment down per indicator with every figure it came from', async () => {
    const d = seeded();
    renderAchievement(d, '/ZP1001/achievement-results', FINANCE_VIEW);
    expect(await screen.findByRole('heading', { level: 1, name: 'Achievement Results' })).toBeTruthy();
    // The newest calculated achievement is shown first (December is not calculated yet).
    await screen.findByTestId('result-CAIP01');
    expect(screen.getByTestId('results-total-points').textContent).toBe('78');
    // The achievement's payment is the database's (the exact payments added up and rounded once).
    expect(screen.getByTestId('results-total-payment').textContent).toBe('£13,752.36');

    const caip01 = row('CAIP01');
    expect(within(caip01).getByText('45 / 50')).toBeTruthy();
    expect(within(caip01).getByText('90.00%')).toBeTruthy();
    expect(within(caip01).getByText('None (0%–100%)')).toBeTruthy();
    expect(within(caip01).getByTestId('points-CAIP01').textContent).toBe('54 of 60');
    expect(within(caip01).getByText('£198.00 per point')).toBeTruthy();
    expect(within(caip01).getByText('8,123 ÷ 10,000 = 0.8123')).toBeTruthy();
    expect(within(caip01).getByTestId('payment-CAIP01').textContent).toBe('£8,685.11');
    expect(within(caip01).getByText('exact 8685.1116')).toBeTruthy();
    expect(within(caip01).getByText('54 points × £198.00 × 0.8123')).toBeTruthy();

    expect(within(row('CAIP02')).getByTestId('points-CAIP02').textContent).toBe('24 of 40');
    expect(within(row('CAIP02')).getByTestId('payment-CAIP02').textContent).toBe('£3,860.05');

    const acc08 = row('ACC-08');
    expect(within(group('IIF')).getByTestId('awaiting-ACC-08').textContent).toBe('Awaiting network achievement');
    expect(within(acc08).getByText('85%–90%')).toBeTruthy();
    expect(within(acc08).getByTestId('payment-ACC-08').textContent).toBe('£0.00');
    expect(within(acc08).getByText(/Scores nothing until the PCN’s network achievement/)).toBeTruthy();

    const vi01 = row('VI-01');
    expect(within(vi01).getByText('120')).toBeTruthy();
    expect(within(vi01).getByText('£10.06 per unit')).toBeTruthy();
    expect(within(vi01).getByText('Not scaled (× 1)')).toBeTruthy();
    expect(within(vi01).getByTestId('payment-VI-01').textContent).toBe('£1,207.20');
    expect(within(vi01).getByText('120 × £10.06')).toBeTruthy();
  });

  it('says "No list size on this date" where the provider had none', async () => {
    const d = seeded([result('i-caip01', { numerator: 45, denominator: 50, percentage: 90, points: 54, list_size: null, list_size_adjustment: 0, payment_exact: 0 })]);
    d.tables.achievements![0]!.payment = 0;
    renderAchievement(d, '/ZP1001/achievement-results', FINANCE_VIEW);
    expect((await screen.findByTestId('no-list-size-CAIP01')).textContent).toBe('No list size on this date');
    expect(within(row('CAIP01')).getByText('No list size on this date, so the per-point payment is £0.00 (adjustment 0).')).toBeTruthy();
    expect(screen.getByTestId('payment-CAIP01').textContent).toBe('£0.00');
  });

  it('an achievement not yet calculated says so', async () => {
    const d = seeded();
    renderAchievement(d, '/ZP1001/achievement-results?date=2025-12-31', FINANCE_VIEW);
    expect(await screen.findByText(/Not calculated yet: results appear once the achievement data for this date is submitted/)).toBeTruthy();
    expect(screen.queryByTestId('result-CAIP01')).toBeNull();
    // Choosing the September date shows its results.
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Achievement date' }));
    fireEvent.click(await screen.findByTitle('30/09/2025 (payment date)'));
    expect(await screen.findByTestId('result-CAIP01')).toBeTruthy();
  });

  it('View is told results need Finance View, and no results are read', async () => {
    const d = seeded();
    renderAchievement(d, '/ZP1001/achievement-results', VIEWER);
    const notice = await screen.findByTestId('results-need-finance-view');
    expect(notice.textContent).toContain('Achievement Results need the Finance View role');
    expect(notice.textContent).toContain('Your roles at Riverside Medical Centre let you read achievement data, not its points and payment.');
    await waitFor(() => expect(readsOf(d, 'service_offers').length).toBeGreaterThan(0));
    expect(readsOf(d, 'achievement_results')).toEqual([]);
    expect(screen.queryByRole('table')).toBeNull();
  });
});
