// Organisations journey of issue 5: the Northshire administrator (Alex Admin)
// browses the organisation tree, finds and opens Mill Lane Practice (ZP1003)
// and reads its PCN history (Hillside PCN ZU102 to 31/03/2024, then Riverside
// PCN ZU101), then runs the network organisation relationship report for
// 01/04/2023–31/03/2025 filtered by Hillside PCN and exports it as CSV,
// checking the downloaded file against the database. Every step is
// screenshotted (test-results/organisations-*.png) and checked with axe.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOURNEY_CLOSE_TIMEOUT, JOURNEY_START_TIMEOUT, startJourney, type Journey } from '../harness.ts';

const ADMIN = 'icb.admin@northshire.example';
const STEP_TIMEOUT = 120_000;

/** Serious or critical axe findings, collected so that one page's finding does not hide the next steps. */
const axeFailures: string[] = [];

async function capture(journey: Journey, page: Page, name: string): Promise<void> {
  await journey.screenshot(page, name);
  await journey.checkAccessibility(page, name).catch((error: Error) => {
    axeFailures.push(error.message);
  });
}

/** The text of each cell of each body row of the table inside `scope`. */
async function tableRows(page: Page, scope: string): Promise<string[][]> {
  return page.locator(scope).locator('tbody tr:not(.ant-table-measure-row)').evaluateAll((rows) =>
    rows.map((row) => [...row.querySelectorAll('td')].map((cell) => (cell.textContent ?? '').trim())),
  );
}

/** Type a date into a DatePicker as a person does, and move on with Tab. */
async function typeDate(page: Page, label: string, text: string): Promise<void> {
  const input = page.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(text);
  await input.press('Tab');
}

describe('journey: organisations tree, a practice’s PCN history and the network relationship report', () => {
  let journey: Journey;
  let admin: Page;

  beforeAll(async () => {
    journey = await startJourney('organisations');
  }, JOURNEY_START_TIMEOUT);

  afterAll(async () => {
    await journey?.close();
  }, JOURNEY_CLOSE_TIMEOUT);

  it(
    'browses the tree from the ICB down and finds Mill Lane Practice by name',
    async () => {
      admin = await journey.newPage();
      await journey.signIn(admin, ADMIN);
      await admin.getByRole('link', { name: 'Organisations' }).first().click();
      await journey.waitForPath(admin, '/ZN1/organisations');
      await admin.getByRole('link', { name: 'NHS Northshire ICB' }).waitFor({ timeout: 30_000 });
      const [reach] = await journey.sql<{ n: number }[]>`
        select count(*)::int as n from public.organisation_closure c
        join public.organisations root on root.id = c.ancestor_id and root.ods_code = 'ZN1'`;
      await admin.getByText(`${reach!.n} organisations within your access`, { exact: false }).waitFor();
      // ZN1 opens onto its sub-ICB locations; their practices wait to be opened.
      expect((await tableRows(admin, '.ant-table')).map((cells) => cells[0])).toEqual(['ZN1', 'ZN1E', 'ZN1W']);
      await capture(journey, admin, 'organisations-01-tree');

      await admin.getByRole('button', { name: 'Expand Northshire East' }).click();
      await admin.getByRole('link', { name: 'Mill Lane Practice' }).waitFor();
      expect(await admin.getByRole('button', { name: 'Collapse Northshire East' }).getAttribute('aria-expanded')).toBe('true');
      await capture(journey, admin, 'organisations-02-tree-expanded');

      await admin.getByRole('searchbox', { name: 'Search organisations by ODS code or name' }).fill('mill');
      await admin.getByText('1 organisation matches "mill"').waitFor();
      expect(await tableRows(admin, '.ant-table')).toEqual([
        ['ZP1003', 'Mill Lane Practice', 'GP practice', 'Riverside PCN (ZU101)', 'NHS Northshire ICB (ZN1) › Northshire East (ZN1E)'],
      ]);
      await capture(journey, admin, 'organisations-03-search');
      await journey.assertNoProblems(admin);
    },
    STEP_TIMEOUT,
  );

  it(
    'opens Mill Lane Practice: Hillside PCN to 31/03/2024, then Riverside PCN',
    async () => {
      await admin.getByRole('link', { name: 'Mill Lane Practice' }).click();
      await journey.waitForPath(admin, /^\/ZN1\/organisations\/[0-9a-f-]{36}$/);
      await admin.getByRole('heading', { name: 'Mill Lane Practice (ZP1003)' }).waitFor();
      await admin.getByText('since 01/04/2024').waitFor({ timeout: 30_000 });
      // The section's own card (the page itself is a card too).
      const history = admin.getByRole('heading', { name: 'PCN history' }).locator('xpath=ancestor::div[contains(concat(" ", @class, " "), " ant-card ")][1]');
      const rows = await history.locator('tbody tr:not(.ant-table-measure-row)').evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 3).map((td) => (td.textContent ?? '').trim())),
      );
      expect(rows).toEqual([
        ['ZU101Riverside PCN', '01/04/2024', 'Current'],
        ['ZU102Hillside PCN', '01/07/2020', '31/03/2024'],
      ]);
      expect(await admin.getByRole('link', { name: 'Northshire East (ZN1E)' }).isVisible()).toBe(true);
      await capture(journey, admin, 'organisations-04-mill-lane');

      // The administrator may change PCN relationships: the dialogs open (nothing is saved here).
      // With a current PCN, the way on is a move (tests/e2e/journeys/pcn-move-and-add-organisation.test.ts makes one).
      expect(await admin.getByRole('button', { name: 'Add to PCN' }).count()).toBe(0);
      await admin.getByRole('button', { name: 'Move to another PCN' }).click();
      const move = admin.locator('.ant-modal:visible', { hasText: 'Move Mill Lane Practice to another PCN' });
      await move.waitFor();
      await capture(journey, admin, 'organisations-05-move-to-another-pcn-dialog');
      await move.getByRole('button', { name: 'Cancel' }).click();
      await move.waitFor({ state: 'hidden' });

      await admin.getByRole('button', { name: 'End relationship with Riverside PCN' }).click();
      const end = admin.locator('.ant-modal:visible', { hasText: 'End relationship with Riverside PCN' });
      await end.waitFor();
      await typeDate(admin, 'End date', '31/03/2024');
      await end.getByRole('button', { name: 'End relationship' }).click();
      await end.getByText('The end date cannot be before the start date (01/04/2024)').waitFor();
      await capture(journey, admin, 'organisations-06-end-relationship-dialog');
      await end.getByRole('button', { name: 'Cancel' }).click();
      await end.waitFor({ state: 'hidden' });

      const [unchanged] = await journey.sql<{ n: number }[]>`
        select count(*)::int as n from public.pcn_memberships pm
        join public.organisations p on p.id = pm.practice_id and p.ods_code = 'ZP1003'`;
      expect(unchanged!.n).toBe(2);
      await journey.assertNoProblems(admin);
    },
    STEP_TIMEOUT,
  );

  it(
    'runs the network relationship report for 01/04/2023–31/03/2025 filtered by Hillside PCN and exports it as CSV',
    async () => {
      await admin.getByRole('link', { name: 'Network relationships report' }).first().click();
      await journey.waitForPath(admin, '/ZN1/reports/network-relationships');
      await admin.getByRole('button', { name: 'Run report' }).waitFor();
      await capture(journey, admin, 'organisations-07-report');

      // An end before the start is refused before anything is asked of the database.
      await typeDate(admin, 'Start date', '01/04/2023');
      await typeDate(admin, 'End date', '31/03/2022');
      await admin.getByRole('button', { name: 'Run report' }).click();
      await admin.getByText('The end date must be on or after the start date').waitFor();
      await journey.screenshot(admin, 'organisations-08-report-dates-refused');

      await typeDate(admin, 'End date', '31/03/2025');
      const pcn = admin.getByRole('combobox', { name: 'PCN' });
      await pcn.click();
      await pcn.fill('Hillside');
      await admin.locator('.ant-select-item-option', { hasText: 'ZU102 – Hillside PCN' }).click();
      await admin.getByRole('button', { name: 'Run report' }).click();
      // Hill Top, Mill Lane (until 31/03/2024) and Orchard Surgery (until 31/08/2025; issue 14's demo).
      await admin.getByText('3 relationships overlapping 01/04/2023 to 31/03/2025').waitFor({ timeout: 30_000 });

      // The table shows what the database holds for Hillside PCN in that range.
      const expected = await journey.sql<{ practice_ods: string; practice: string; valid_from: string; valid_to: string | null }[]>`
        select pr.ods_code as practice_ods, pr.name as practice, pm.valid_from::text, pm.valid_to::text
        from public.pcn_memberships pm
        join public.organisations pcn on pcn.id = pm.pcn_id and pcn.ods_code = 'ZU102'
        join public.organisations pr on pr.id = pm.practice_id
        where pm.during && daterange('2023-04-01', '2025-03-31', '[]')
        order by pr.name, pm.valid_from`;
      expect(expected.map((r) => r.practice_ods)).toEqual(['ZP1004', 'ZP1003', 'ZP1006']);
      const ukDate = (iso: string) => iso.split('-').reverse().join('/');
      expect(await tableRows(admin, '.ant-table')).toEqual(
        expected.map((r) => [`ZU102Hillside PCN`, `${r.practice_ods}${r.practice}`, ukDate(r.valid_from), r.valid_to ? ukDate(r.valid_to) : 'Current']),
      );
      await capture(journey, admin, 'organisations-09-report-hillside');

      const [download] = await Promise.all([admin.waitForEvent('download'), admin.getByRole('button', { name: 'Export CSV' }).click()]);
      expect(download.suggestedFilename()).toBe('network-relationships-2023-04-01-2025-03-31.csv');
      const file = await download.path();
      const bytes = await readFile(file);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 byte-order mark, for Excel
      const lines = bytes.subarray(3).toString('utf8').split('\r\n');
      expect(lines).toEqual([
        'PCN ODS code,PCN name,Practice ODS code,Practice name,From,To,Current',
        ...expected.map((r) => `ZU102,Hillside PCN,${r.practice_ods},${r.practice},${r.valid_from},${r.valid_to ?? ''},${r.valid_to ? 'No' : 'Yes'}`),
        '',
      ]);
      await capture(journey, admin, 'organisations-10-report-exported');
      await journey.assertNoProblems(admin);
    },
    STEP_TIMEOUT,
  );

  it('met axe on every page visited: no violations of any impact', () => {
    expect(axeFailures).toEqual([]);
  });
});
