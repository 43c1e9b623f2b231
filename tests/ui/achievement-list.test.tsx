// UI test of Record Achievement (Data Submission): the national services the
// practice has an approved offer of (local services and other practices' offers
// left out), the service's achievement dates with payment dates highlighted,
// each date's state and "n of m" per indicator group, Add New Achievement
// (start_achievement, then the achievement's page) and the database's refusal;
// a commissioner chooses the practice first.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import {
  achievementRow,
  callsOf,
  CHRIS,
  createAchievementDouble,
  orgId,
  PROVIDER,
  renderAchievement,
  resetAchievement,
  SERVICE,
  valueRow,
  VIEWER,
  type AchievementDouble,
} from './achievement-harness.tsx';

afterEach(resetAchievement);

/** September submitted (CAIP both, IIF none) with New Values pending; December work in progress. */
function seeded(): AchievementDouble {
  const d = createAchievementDouble({
    achievements: [
      achievementRow('a-sep', '2025-09-30', { status: 'submitted', version: 2, has_new_values: true, submitted_at: '2025-10-02T09:00:00Z', points: 60, payment: 11880, calculated_at: '2025-10-02T09:00:01Z' }),
      achievementRow('a-dec', '2025-12-31'),
    ],
    achievement_values: [
      valueRow('a-sep', 'i-caip01', { numerator: 40, denominator: 50, submitted: true }),
      valueRow('a-sep', 'i-caip02', { numerator: 10, denominator: 10, submitted: true, new_numerator: 9, new_denominator: 10, has_new: true }),
    ],
  });
  (d as AchievementDouble & { recount: () => void }).recount();
  return d;
}

const datesTable = () => screen.getByRole('table', { name: 'Achievement dates of Network Contract DES 2025/26' });
const rowOf = (date: string) => within(datesTable()).getByText(date).closest('tr')!;

describe('Record Achievement (UI test with doubles)', { timeout: 30_000 }, () => {
  it('lists the national service’s dates: payment dates highlighted, each date’s state and n of m per group', async () => {
    const d = seeded();
    renderAchievement(d, '/ZP1001/achievement');
    expect(await screen.findByRole('heading', { level: 1, name: 'Record Achievement' })).toBeTruthy();
    await screen.findByText('30/09/2025');
    // Only the approved national service is offered (the local one is not).
    expect(screen.getAllByText('Network Contract DES 2025/26').length).toBeGreaterThan(0);
    expect(screen.queryByText('Complex Care Plans 2025/26')).toBeNull();

    const sep = rowOf('30/09/2025');
    expect(sep.getAttribute('data-payment-date')).toBe('true');
    expect(within(sep).getByText('Payment date')).toBeTruthy();
    expect(within(sep).getByText('Submitted v2')).toBeTruthy();
    expect(within(sep).getByText('New Values pending')).toBeTruthy();
    expect(within(sep).getByTestId('count-2025-09-30-CAIP').textContent).toBe('CAIP 2 of 2');
    expect(within(sep).getByTestId('count-2025-09-30-IIF').textContent).toBe('IIF 0 of 2');
    expect(within(sep).getByRole('link', { name: 'Open the achievement for 30/09/2025' }).getAttribute('href')).toBe('/ZP1001/achievement/a-sep');

    const dec = rowOf('31/12/2025');
    expect(dec.getAttribute('data-payment-date')).toBeNull();
    expect(within(dec).queryByText('Payment date')).toBeNull();
    expect(within(dec).getByText('Work in progress')).toBeTruthy();
    expect(within(dec).getByTestId('count-2025-12-31-CAIP').textContent).toBe('CAIP 0 of 2');

    const jun = rowOf('30/06/2025');
    expect(within(jun).getByText('Not started')).toBeTruthy();
    expect(within(jun).getByText('No achievement yet')).toBeTruthy();
    expect(await within(jun).findByRole('button', { name: 'Add New Achievement for 30/06/2025' })).toBeTruthy();
    // Dates that have an achievement offer Open, not Add New Achievement.
    expect(within(sep).queryByRole('button', { name: /Add New Achievement/ })).toBeNull();
  });

  it('Add New Achievement starts the achievement for that date and opens it', async () => {
    const d = seeded();
    renderAchievement(d, '/ZP1001/achievement');
    await screen.findByText('31/03/2026');
    fireEvent.click(await within(rowOf('31/03/2026')).findByRole('button', { name: 'Add New Achievement for 31/03/2026' }));
    await waitFor(() =>
      expect(callsOf(d, 'start_achievement')).toEqual([
        { name: 'start_achievement', args: { p_provider_id: PROVIDER, p_service_id: SERVICE, p_achievement_date: '2026-03-31' } },
      ]),
    );
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/ZP1001/achievement/a-2026-03-31'));
  });

  it('shows the database’s refusal of Add New Achievement', async () => {
    const d = seeded();
    d.refuse.start_achievement = { code: 'PT409', message: 'Riverside Medical Centre already has an achievement for Network Contract DES 2025/26 on 30/06/2025.' };
    renderAchievement(d, '/ZP1001/achievement');
    await screen.findByText('30/06/2025');
    fireEvent.click(await within(rowOf('30/06/2025')).findByRole('button', { name: 'Add New Achievement for 30/06/2025' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The achievement was not started');
    expect(alert.textContent).toContain('already has an achievement for Network Contract DES 2025/26 on 30/06/2025');
    expect(screen.getByTestId('location').textContent).toBe('/ZP1001/achievement');
  });

  it('View reads the dates but is offered no Add New Achievement', async () => {
    const d = seeded();
    renderAchievement(d, '/ZP1001/achievement', VIEWER);
    await screen.findByText('30/06/2025');
    await waitFor(() => expect(within(datesTable()).getAllByRole('link').length).toBe(2));
    expect(screen.queryByRole('button', { name: /Add New Achievement/ })).toBeNull();
  });

  it('a commissioner chooses the practice first, then sees its dates', async () => {
    const d = seeded();
    renderAchievement(d, '/ZN1/achievement', CHRIS);
    const practice = await screen.findByRole('combobox', { name: 'Practice' });
    expect(await screen.findByText('Choose a practice to see its achievement.')).toBeTruthy();
    expect(screen.queryByRole('table', { name: /Achievement dates/ })).toBeNull();
    fireEvent.mouseDown(practice);
    fireEvent.click(await screen.findByTitle('ZP1001 – Riverside Medical Centre'));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toContain(`practice=${orgId('ZP1001')}`));
    await screen.findByText('30/09/2025');
    expect(within(rowOf('30/09/2025')).getByRole('link', { name: 'Open the achievement for 30/09/2025' }).getAttribute('href')).toBe(
      `/ZN1/achievement/a-sep?practice=${orgId('ZP1001')}`,
    );
  });
});
