// Journey of issue 11 (administration), in Chromium against a fresh stack with
// the demo data; nothing is mocked.
//   1. Alex Admin (Northshire) sees each practice's current PCN in the tree,
//      opens Hill Top Surgery (ZP1004, Hillside PCN since 01/07/2020) and moves
//      it to Riverside PCN from 01/01/2025 in one action ("Move to another
//      PCN": a confirmation, then Hillside ends on 31/12/2024). Lee Lead
//      (Riverside PCN) is emailed.
//   2. Alex makes Pat Practice a PCN nominated person: "Add organisation" on
//      Pat's user page, Riverside PCN with Declaration Management. Pat is
//      emailed; Pat's next sign-in offers the PCN.
//   3. Pat, a GP practice user, runs the network relationship report and sees
//      the practices of Riverside PCN (Hill Top Surgery among them from 2025).
// Every step is photographed (test-results/admin11-*.png) and checked with axe.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOURNEY_CLOSE_TIMEOUT, JOURNEY_START_TIMEOUT, startJourney, type Journey } from '../harness.ts';

const ADMIN = 'icb.admin@northshire.example';
const PAT = 'practice.user@riverside.example';
const LEE = 'pcn.lead@riverside-pcn.example';
const STEP_TIMEOUT = 180_000;

const axeFailures: string[] = [];

describe('journey: Move to another PCN, Add organisation (PCN nominated person), the report for a practice user', () => {
  let journey: Journey;
  let admin: Page;

  beforeAll(async () => {
    journey = await startJourney('admin11');
  }, JOURNEY_START_TIMEOUT);

  afterAll(async () => {
    await journey?.close();
  }, JOURNEY_CLOSE_TIMEOUT);

  async function record(page: Page, name: string): Promise<void> {
    await page.evaluate(() => window.scrollTo(0, 0));
    await journey.screenshot(page, name);
    await journey.checkAccessibility(page, name).catch((error: Error) => {
      axeFailures.push(error.message);
    });
  }

  async function typeDate(page: Page, scope: ReturnType<Page['locator']>, label: string, text: string): Promise<void> {
    const input = scope.getByLabel(label, { exact: true });
    await input.click();
    await input.fill(text);
    await input.press('Tab');
  }

  it(
    'moves Hill Top Surgery from Hillside PCN to Riverside PCN in one action; the tree shows the current PCN; Lee is emailed',
    async () => {
      admin = await journey.newPage();
      await journey.signIn(admin, ADMIN);
      await journey.goto(admin, '/ZN1/organisations');
      await admin.getByRole('link', { name: 'NHS Northshire ICB' }).waitFor({ timeout: 30_000 });
      await admin.getByRole('button', { name: 'Expand Northshire East' }).click();
      const hillTopRow = admin.locator('tr', { has: admin.getByRole('link', { name: 'Hill Top Surgery' }) });
      await hillTopRow.getByText('Hillside PCN (ZU102)').waitFor({ timeout: 30_000 });
      await record(admin, 'admin11-01-tree-current-pcn');

      await admin.getByRole('link', { name: 'Hill Top Surgery' }).click();
      await admin.getByRole('heading', { name: 'Hill Top Surgery (ZP1004)' }).waitFor({ timeout: 30_000 });
      await admin.getByText('since 01/07/2020').waitFor({ timeout: 30_000 });
      expect(await admin.getByRole('button', { name: 'Add to PCN' }).count()).toBe(0);
      await admin.getByRole('button', { name: 'Move to another PCN' }).click();
      const dialog = admin.locator('.ant-modal:visible', { hasText: 'Move Hill Top Surgery to another PCN' });
      await dialog.waitFor();
      const pcn = dialog.getByRole('combobox', { name: 'New PCN' });
      await pcn.click();
      await pcn.fill('Riverside');
      await admin.locator('.ant-select-item-option-active', { hasText: 'Riverside PCN (ZU101)' }).waitFor();
      await pcn.press('Enter');
      await dialog.locator('.ant-select-selection-item', { hasText: 'Riverside PCN (ZU101)' }).waitFor();
      await admin.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
      await typeDate(admin, dialog, 'Move date', '01/07/2020');
      await dialog.getByRole('button', { name: 'Move to another PCN' }).click();
      await dialog.getByText('The move date must be after 01/07/2020, when the current relationship started: 02/07/2020 or later').waitFor();
      await record(admin, 'admin11-02-move-dialog-date-refused');

      await typeDate(admin, dialog, 'Move date', '01/01/2025');
      const since = new Date();
      await dialog.getByRole('button', { name: 'Move to another PCN' }).click();
      const confirm = admin.locator('.ant-modal-confirm:visible', { hasText: 'Move Hill Top Surgery to Riverside PCN?' });
      await confirm.getByText('Hill Top Surgery will leave Hillside PCN after 31/12/2024 and belong to Riverside PCN from 01/01/2025.', { exact: false }).waitFor();
      await record(admin, 'admin11-03-move-confirmation');
      await confirm.getByRole('button', { name: 'Move to another PCN' }).click();
      await admin.getByText('Hill Top Surgery belongs to Riverside PCN from 01/01/2025').first().waitFor({ timeout: 30_000 });
      await dialog.waitFor({ state: 'hidden' });
      await admin.getByText('since 01/01/2025').waitFor({ timeout: 30_000 });
      await record(admin, 'admin11-04-moved');

      const history = await journey.sql<{ pcn: string; valid_from: string; valid_to: string | null }[]>`
        select pcn.ods_code as pcn, pm.valid_from::text, pm.valid_to::text
        from public.pcn_memberships pm
        join public.organisations pcn on pcn.id = pm.pcn_id
        join public.organisations pr on pr.id = pm.practice_id and pr.ods_code = 'ZP1004'
        order by pm.valid_from`;
      expect(history).toEqual([
        { pcn: 'ZU102', valid_from: '2020-07-01', valid_to: '2024-12-31' },
        { pcn: 'ZU101', valid_from: '2025-01-01', valid_to: null },
      ]);
      const mail = await journey.latestMail(LEE, 'pcn_membership_changed', { since });
      expect(mail.subject).toBe('Hill Top Surgery (ZP1004) moves from Hillside PCN (ZU102) to Riverside PCN (ZU101)');

      // The tree follows.
      await journey.goto(admin, '/ZN1/organisations');
      await admin.getByRole('button', { name: 'Expand Northshire East' }).click();
      await admin.locator('tr', { has: admin.getByRole('link', { name: 'Hill Top Surgery' }) }).getByText('Riverside PCN (ZU101)').waitFor({ timeout: 30_000 });
      await journey.assertNoProblems(admin);
    },
    STEP_TIMEOUT,
  );

  it(
    'makes Pat Practice a PCN nominated person with "Add organisation" (Riverside PCN, Declaration Management); Pat is emailed',
    async () => {
      await journey.goto(admin, '/ZN1/users');
      await admin.getByRole('link', { name: 'Pat Practice' }).click();
      await admin.getByRole('heading', { name: 'Pat Practice' }).waitFor({ timeout: 30_000 });
      await admin.getByRole('button', { name: /Add organisation/ }).click();
      const dialog = admin.locator('.ant-modal:visible', { hasText: 'Add an organisation for Pat Practice' });
      await dialog.waitFor();
      await dialog.getByText('Approver Tier 1 and Approver Tier 2 cannot be held together at one organisation.').waitFor();
      const organisation = dialog.getByRole('combobox', { name: 'Organisation' });
      await organisation.click();
      await organisation.fill('ZU101');
      await admin.locator('.ant-select-item-option', { hasText: 'ZU101 – Riverside PCN' }).click();
      await dialog.getByRole('checkbox', { name: 'Declaration Management' }).check();
      await dialog.getByText('A PCN nominated person declares achievement for the PCN', { exact: false }).waitFor();
      await record(admin, 'admin11-05-add-organisation');

      const since = new Date();
      await dialog.getByRole('button', { name: 'Add organisation' }).click();
      await admin.getByText('Riverside PCN added for Pat Practice').first().waitFor({ timeout: 30_000 });
      await dialog.waitFor({ state: 'hidden' });
      const memberships = admin.locator('.ant-card', { hasText: 'Organisations and roles' });
      await memberships.getByText('Riverside PCN', { exact: true }).waitFor({ timeout: 30_000 });
      await record(admin, 'admin11-06-organisation-added');

      const [row] = await journey.sql<{ roles: string[]; status: string }[]>`
        select m.roles::text[] as roles, m.status::text as status from public.memberships m
        join public.profiles p on p.id = m.profile_id and p.email = ${PAT}
        join public.organisations o on o.id = m.organisation_id and o.ods_code = 'ZU101'`;
      expect(row).toEqual({ roles: ['declaration_management'], status: 'active' });
      const mail = await journey.latestMail(PAT, 'membership_added', { since });
      expect(mail.subject).toBe('You have been added to Riverside PCN');
      expect(mail.text).toContain('Alex Admin added you to Riverside PCN (ZU101) as Declaration Management.');
      await journey.assertNoProblems(admin);
    },
    STEP_TIMEOUT,
  );

  it(
    "Pat, a GP practice user, runs the network relationship report and sees Riverside PCN's practices",
    async () => {
      const pat = await journey.newPage();
      await journey.signIn(pat, PAT);
      await journey.goto(pat, '/ZP1001/reports/network-relationships');
      await pat.getByRole('button', { name: 'Run report' }).waitFor({ timeout: 30_000 });
      await typeDate(pat, pat.locator('form'), 'Start date', '01/04/2024');
      const end = pat.getByLabel('End date', { exact: true });
      await end.click();
      await end.fill('31/03/2025');
      // Enter in the date field runs the report.
      await end.press('Enter');
      await pat.getByText('4 relationships overlapping 01/04/2024 to 31/03/2025').waitFor({ timeout: 30_000 });
      const practices = await pat.locator('.ant-table tbody tr:not(.ant-table-measure-row)').evaluateAll((rows) =>
        rows.map((row) => (row.querySelectorAll('td')[1]?.textContent ?? '').trim()),
      );
      // Riverside PCN's practices in the range: Hill Top Surgery (moved in), Bridge Street, Mill Lane and Pat's own.
      expect(practices.sort()).toEqual(['ZP1001Riverside Medical Centre', 'ZP1002Bridge Street Surgery', 'ZP1003Mill Lane Practice', 'ZP1004Hill Top Surgery']);
      await record(pat, 'admin11-07-report-practice-user');
      await journey.assertNoProblems(pat);
    },
    STEP_TIMEOUT,
  );

  it('met axe on every page visited: no serious or critical violations', () => {
    expect(axeFailures).toEqual([]);
  });
});
