// Journey of issue 14's achievement entry, in Chromium against a fresh stack
// with the demo data: Pat Practice (Achievement Entry at Riverside, ZP1001)
// opens Data Submission → Record Achievement for Network Contract DES 2025/26,
// adds a new achievement for 31/12/2025, enters CAIP01's New Values and saves
// them as work in progress (kept, not submitted: the missing-data check still
// says CAIP "0 of 2"), submits them (CAIP "1 of 2"), enters CAIP02 and submits
// again (CAIP "2 of 2"). Achievement Results then shows the points and payment
// to the penny exactly as the database calculated and stored them
// (achievements, achievement_results). Every page is checked with axe and
// photographed at 1280, 1024 and 390 px, and never scrolls sideways.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOURNEY_CLOSE_TIMEOUT, JOURNEY_START_TIMEOUT, startJourney, type Journey } from '../harness.ts';

const PAT = 'practice.user@riverside.example';
/** Network Contract DES 2025/26 (supabase/seed.sql). */
const NCD = '1a000000-0000-4000-8000-000000000003';
const STEP_TIMEOUT = 240_000;
const SCREENS = [
  { name: '1280', width: 1280, height: 720 },
  { name: '1024', width: 1024, height: 768 },
  { name: '390', width: 390, height: 844 },
] as const;

const axeFailures: string[] = [];

/** The page at each screen width: photographed from the top, checked with axe, never scrolling sideways. */
async function captureAtEveryWidth(journey: Journey, page: Page, name: string): Promise<void> {
  for (const screen of SCREENS) {
    await page.setViewportSize({ width: screen.width, height: screen.height });
    await journey.settle(page);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.mouse.move(1, screen.height - 20);
    await journey.screenshot(page, `achievement-entry-${name}-${screen.name}`);
    await journey.checkAccessibility(page, `achievement-entry-${name}-${screen.name}`).catch((error: Error) => {
      axeFailures.push(error.message);
    });
    const overflow = await page.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, viewport: window.innerWidth }));
    expect(overflow.scrollWidth, `${name} at ${screen.name} px scrolls sideways`).toBeLessThanOrEqual(overflow.viewport);
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}

/** £ and thousands separators, as the portal shows money. */
function money(amount: string | number): string {
  return `£${Number(amount).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

interface AchievementRow {
  id: string;
  status: string;
  version: number;
  has_new_values: boolean;
  points: string | null;
  payment: string | null;
}

describe('journey: Pat records achievement — Add New Achievement, Save Work in Progress, Submit Achievement Data, the missing-data check and Achievement Results', () => {
  let journey: Journey;
  let page: Page;
  let achievementId = '';

  async function achievement(): Promise<AchievementRow | undefined> {
    const [row] = await journey.sql<AchievementRow[]>`
      select id, status::text, version, has_new_values, points::text, payment::text from public.achievements where id = ${achievementId}`;
    return row;
  }

  /** The view's "submitted of possible" for Riverside's group on 31/12/2025, as the database counts it. */
  async function counted(group: string): Promise<string | undefined> {
    const [row] = await journey.sql<{ submitted: number; possible: number }[]>`
      select submitted, possible from public.achievement_missing_data
      where provider_ods_code = 'ZP1001' and service_id = ${NCD} and achievement_date = '2025-12-31' and group_code = ${group}`;
    return row ? `${row.submitted} of ${row.possible}` : undefined;
  }

  async function typeValue(label: string, value: string) {
    const input = page.getByLabel(label, { exact: true });
    await input.fill(value);
    await input.blur();
  }

  beforeAll(async () => {
    journey = await startJourney('achievement-entry');
  }, JOURNEY_START_TIMEOUT);

  afterAll(async () => {
    await journey?.close();
    expect(axeFailures, axeFailures.join('\n')).toEqual([]);
  }, JOURNEY_CLOSE_TIMEOUT);

  it(
    'Pat opens Data Submission → Record Achievement: the DES’s achievement dates, payment dates highlighted, 31/12/2025 not started',
    async () => {
      page = await journey.newPage();
      await journey.signIn(page, PAT);
      await journey.goto(page, '/ZP1001');
      // The job aids' tab: Data Submission, then Record Achievement.
      const menu = page.getByRole('navigation', { name: 'Main menu' });
      await menu.getByText('Data Submission', { exact: true }).click();
      await menu.getByRole('link', { name: 'Record Achievement' }).click();
      await journey.waitForPath(page, '/ZP1001/achievement');
      await page.getByRole('heading', { name: 'Record Achievement', level: 1 }).waitFor({ timeout: 30_000 });
      const dates = page.getByRole('table', { name: 'Achievement dates of Network Contract DES 2025/26' });
      await dates.waitFor({ timeout: 30_000 });
      const december = dates.getByRole('row').filter({ hasText: '31/12/2025' });
      await december.getByText('Not started').waitFor({ timeout: 30_000 });
      const september = dates.getByRole('row').filter({ hasText: '30/09/2025' });
      expect(await september.getByText('Payment date').count()).toBe(1);
      expect(await december.getByText('Payment date').count()).toBe(0);
      await captureAtEveryWidth(journey, page, 'record-achievement');
      await journey.assertNoProblems(page);
    },
    STEP_TIMEOUT,
  );

  it(
    'Add New Achievement for 31/12/2025, CAIP01’s New Values, Save Work in Progress: kept, not submitted (CAIP still 0 of 2)',
    async () => {
      await page.getByRole('button', { name: 'Add New Achievement for 31/12/2025' }).click();
      const shown = await journey.waitForPath(page, /^\/ZP1001\/achievement\/[0-9a-f-]{36}$/);
      achievementId = shown.split('/').at(-1)!;
      expect(await achievement()).toMatchObject({ status: 'work_in_progress', version: 0, has_new_values: false });
      await page.getByRole('heading', { name: 'Network Contract DES 2025/26: 31 Dec 2025', level: 1 }).waitFor({ timeout: 30_000 });
      await page.getByTestId('group-count-CAIP').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('group-count-CAIP').innerText()).toBe('0 of 2');

      await typeValue('Numerator for CAIP01', '45');
      await typeValue('Denominator for CAIP01', '50');
      await page.getByText('makes 90.00%').waitFor();
      await page.getByRole('button', { name: 'Save Work in Progress' }).click();
      await page.getByTestId('achievement-feedback').getByText(/Saved as work in progress/).waitFor({ timeout: 30_000 });
      // Kept as New Values, not submitted: neither the database nor the page counts CAIP01 yet.
      await expect.poll(async () => (await achievement())?.has_new_values, { timeout: 15_000 }).toBe(true);
      expect(await achievement()).toMatchObject({ status: 'work_in_progress', version: 0 });
      expect(await counted('CAIP')).toBe('0 of 2');
      await expect.poll(() => page.getByTestId('group-pending-CAIP').innerText(), { timeout: 15_000 }).toBe('1');
      expect(await page.getByTestId('group-count-CAIP').innerText()).toBe('0 of 2');
      expect(await page.getByLabel('Numerator for CAIP01', { exact: true }).inputValue()).toBe('45');
      await captureAtEveryWidth(journey, page, 'work-in-progress');
      await journey.assertNoProblems(page);
    },
    STEP_TIMEOUT,
  );

  it(
    'Submit Achievement Data (the confirmation lists CAIP01): submitted and calculated, CAIP 1 of 2',
    async () => {
      await page.getByLabel('Submission notes').fill('CAIP01 from the practice survey, December.');
      await page.getByRole('button', { name: 'Submit Achievement Data' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByTestId('submit-summary').waitFor();
      expect(await dialog.getByTestId('submit-summary').innerText()).toContain('CAIP · CAIP01: 45 / 50 (not submitted before)');
      await journey.checkAccessibility(page, 'achievement-entry-confirm-submit').catch((error: Error) => {
        axeFailures.push(error.message);
      });
      await journey.screenshot(page, 'achievement-entry-confirm-submit');
      // (The dialog's opening animation ends first: a click during it can be lost.)
      await journey.settle(page);
      await dialog.getByRole('button', { name: 'Submit', exact: true }).click();
      await dialog.waitFor({ state: 'hidden', timeout: 30_000 });
      await page.getByTestId('achievement-feedback').getByText('Submitted as version 1.').waitFor({ timeout: 30_000 });
      const first = await achievement();
      expect(first).toMatchObject({ status: 'submitted', version: 1, has_new_values: false });
      expect(first!.payment).not.toBeNull();
      // The figures the page reports are the database's.
      expect(await page.getByTestId('submitted-figures').innerText()).toContain(`Payment: ${money(first!.payment!)}.`);
      expect(await counted('CAIP')).toBe('1 of 2');
      await expect.poll(() => page.getByTestId('group-count-CAIP').innerText(), { timeout: 15_000 }).toBe('1 of 2');
      await page.getByRole('table', { name: 'Submissions' }).getByText('CAIP01 from the practice survey, December.').waitFor();
      await captureAtEveryWidth(journey, page, 'submitted-1-of-2');
      await journey.assertNoProblems(page);
    },
    STEP_TIMEOUT,
  );

  it(
    'CAIP02 entered and submitted: CAIP 2 of 2',
    async () => {
      await typeValue('Numerator for CAIP02', '30');
      await typeValue('Denominator for CAIP02', '40');
      await page.getByRole('button', { name: 'Submit Achievement Data' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByTestId('submit-summary').waitFor();
      expect(await dialog.getByTestId('submit-summary').innerText()).toContain('CAIP · CAIP02: 30 / 40 (not submitted before)');
      await journey.settle(page);
      await dialog.getByRole('button', { name: 'Submit', exact: true }).click();
      await dialog.waitFor({ state: 'hidden', timeout: 30_000 });
      await page.getByTestId('achievement-feedback').getByText('Submitted as version 2.').waitFor({ timeout: 30_000 });
      expect(await achievement()).toMatchObject({ status: 'submitted', version: 2, has_new_values: false });
      expect(await counted('CAIP')).toBe('2 of 2');
      await expect.poll(() => page.getByTestId('group-count-CAIP').innerText(), { timeout: 15_000 }).toBe('2 of 2');
      await expect.poll(() => page.getByTestId('current-CAIP02').innerText(), { timeout: 15_000 }).toBe('30 / 40 (75.00%)');
      await captureAtEveryWidth(journey, page, 'submitted-2-of-2');
      await journey.assertNoProblems(page);
    },
    STEP_TIMEOUT,
  );

  it(
    'Achievement Results shows the points and the payment to the penny as the database calculated them',
    async () => {
      const stored = await achievement();
      const results = await journey.sql<{ code: string; points: string; payment_exact: string }[]>`
        select i.code, r.points::text, r.payment_exact::text from public.achievement_results r
        join public.indicators i on i.id = r.indicator_id where r.achievement_id = ${achievementId} order by i.code`;
      expect(results.map((r) => r.code)).toEqual(expect.arrayContaining(['CAIP01', 'CAIP02']));

      await page.getByRole('link', { name: /See how the points and payment were worked out/ }).click();
      await journey.waitForPath(page, '/ZP1001/achievement-results');
      await page.getByRole('heading', { name: 'Achievement Results', level: 1 }).waitFor({ timeout: 30_000 });
      // The link names the date: the page shows 31/12/2025's results.
      await expect.poll(() => page.getByRole('combobox', { name: 'Achievement date' }).locator('xpath=ancestor::div[contains(@class,"ant-select")][1]').innerText(), { timeout: 30_000 }).toContain('31/12/2025');
      await page.getByTestId('result-CAIP02').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('results-total-payment').innerText()).toBe(money(stored!.payment!));
      expect(Number((await page.getByTestId('results-total-points').innerText()).replace(/,/g, ''))).toBe(Number(stored!.points));
      for (const row of results.filter((r) => r.code.startsWith('CAIP'))) {
        expect(await page.getByTestId(`payment-${row.code}`).innerText(), row.code).toBe(money(row.payment_exact));
        expect(await page.getByTestId(`points-${row.code}`).innerText(), row.code).toMatch(new RegExp(`^${Number(row.points)} of `));
      }
      await captureAtEveryWidth(journey, page, 'results');
      await journey.assertNoProblems(page);
    },
    STEP_TIMEOUT,
  );
});
