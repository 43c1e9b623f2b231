// Journey of issue 6 (service catalogue and allocated reports): Chris
// Commissioner (commissioner@northshire.example) browses the 2025/26
// catalogue, opens Complex Care Plans 2025/26 (£193.42 per care plan, the
// evidence types of Ear irrigation, Q3's claim window open today), adds a
// component and looks at the national service's indicators and achievement
// dates; Alex Admin (icb.admin@northshire.example) allocates reports on
// Complex Care Plans to Northshire West. Every step is screenshotted
// (test-results/services-*.png) and checked with axe.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOURNEY_CLOSE_TIMEOUT, JOURNEY_START_TIMEOUT, startJourney, type Journey } from '../harness.ts';

const COMMISSIONER = 'commissioner@northshire.example';
const ADMIN = 'icb.admin@northshire.example';
const COMPLEX_CARE = 'Complex Care Plans 2025/26';
const STEP_TIMEOUT = 120_000;

const axeFailures: string[] = [];

async function capture(journey: Journey, page: Page, name: string): Promise<void> {
  await journey.screenshot(page, name);
  await journey.checkAccessibility(page, name).catch((error: Error) => {
    axeFailures.push(error.message);
  });
}

/** The table row that contains `text`. */
function rowWith(page: Page, text: string) {
  return page.locator('tr:visible', { hasText: text }).first();
}

describe('journey: the service catalogue and allocated reports', () => {
  let journey: Journey;
  let commissioner: Page;

  beforeAll(async () => {
    journey = await startJourney('services');
  }, JOURNEY_START_TIMEOUT);

  afterAll(async () => {
    await journey?.close();
  }, JOURNEY_CLOSE_TIMEOUT);

  it(
    'the commissioner browses the 2025/26 catalogue and opens Complex Care Plans',
    async () => {
      commissioner = await journey.newPage();
      await journey.signIn(commissioner, COMMISSIONER);
      await journey.goto(commissioner, '/ZN1/services');
      await commissioner.getByRole('link', { name: COMPLEX_CARE }).waitFor({ timeout: 30_000 });
      // The latest year that has services is chosen by default.
      expect(await commissioner.getByRole('combobox', { name: 'Financial year' }).locator('xpath=ancestor::div[contains(@class,"ant-select")][1]').innerText()).toContain('2025/26');
      await commissioner.getByRole('link', { name: 'Network Contract DES 2025/26' }).waitFor();
      await capture(journey, commissioner, 'services-01-catalogue');

      await commissioner.getByRole('link', { name: COMPLEX_CARE }).click();
      await journey.waitForPath(commissioner, /^\/ZN1\/services\/[0-9a-f-]{36}$/);
      await commissioner.getByRole('heading', { name: COMPLEX_CARE }).waitFor();
      await commissioner.getByText('Local Enhanced Service').waitFor();
      await capture(journey, commissioner, 'services-02-details');

      await commissioner.getByRole('tab', { name: 'Components (3)' }).click();
      await commissioner.getByText('£193.42 per unit').waitFor();
      const ear = rowWith(commissioner, 'Ear irrigation');
      for (const type of ['PDF', 'DOC', 'DOCX', 'XLS', 'XLSX', 'ODT', 'ODS']) {
        await ear.getByText(type, { exact: true }).waitFor();
      }
      expect(await rowWith(commissioner, 'Care co-ordination retainer').innerText()).toContain('£1,500.00 fixed');
      await capture(journey, commissioner, 'services-03-components');

      await commissioner.getByRole('tab', { name: 'Claim windows (4)' }).click();
      await rowWith(commissioner, 'Q3 2025/26').getByText('Open', { exact: true }).waitFor();
      await rowWith(commissioner, 'Q1 2025/26').getByText('Closed', { exact: true }).waitFor();
      await capture(journey, commissioner, 'services-04-claim-windows');
      await journey.assertNoProblems(commissioner);
    },
    STEP_TIMEOUT,
  );

  it(
    'the commissioner adds a unit component with evidence; the database holds it',
    async () => {
      await commissioner.getByRole('tab', { name: 'Components (3)' }).click();
      await commissioner.getByRole('button', { name: 'Add component' }).click();
      const dialog = commissioner.getByRole('dialog');
      await dialog.getByLabel('Component').fill('Medication review');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.getByText('Enter the unit price for a unit component').waitFor();
      await dialog.getByLabel('Unit price (£)').fill('32.10');
      await dialog.getByLabel('Evidence required (a document is mandatory when units ≥ 1)').check();
      await dialog.getByLabel('Evidence requirement (shown to the practice)').fill('Upload the review summary (no patient-identifiable data).');
      await dialog.getByLabel('PDF').check();
      await capture(journey, commissioner, 'services-05-add-component');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await commissioner.getByRole('tab', { name: 'Components (4)' }).waitFor();
      await rowWith(commissioner, 'Medication review').getByText('£32.10 per unit').waitFor();
      await capture(journey, commissioner, 'services-06-component-added');

      const rows = await journey.sql<{ unit_price: string; accepted_file_types: string[]; evidence_required: boolean }[]>`
        select c.unit_price::text, c.accepted_file_types, c.evidence_required from public.service_components c
        join public.quality_services s on s.id = c.service_id
        where s.name = ${COMPLEX_CARE} and c.name = 'Medication review'`;
      expect(rows).toEqual([{ unit_price: '32.10', accepted_file_types: ['pdf'], evidence_required: true }]);
      await journey.assertNoProblems(commissioner);
    },
    STEP_TIMEOUT,
  );

  it(
    'the commissioner looks at the national service: indicator groups, indicators, achievement dates with payment dates',
    async () => {
      await journey.goto(commissioner, '/ZN1/services');
      await commissioner.getByRole('link', { name: 'Network Contract DES 2025/26' }).click();
      await commissioner.getByRole('heading', { name: 'Network Contract DES 2025/26' }).waitFor();
      await commissioner.getByRole('tab', { name: 'Indicators (4)' }).click();
      await commissioner.getByRole('heading', { name: 'CAIP · Capacity and Access Improvement Payment' }).waitFor();
      expect(await rowWith(commissioner, 'VI-01').innerText()).toContain('£10.06 per unit');
      await capture(journey, commissioner, 'services-07-indicators');
      await commissioner.getByRole('tab', { name: 'Achievement dates (4)' }).click();
      await rowWith(commissioner, '31/03/2026').getByText('Payment date').waitFor();
      await capture(journey, commissioner, 'services-08-achievement-dates');
      await journey.assertNoProblems(commissioner);
    },
    STEP_TIMEOUT,
  );

  it(
    "the commissioner's forms (a new service, a question, an indicator) pass axe, also while they show their errors",
    async () => {
      await journey.goto(commissioner, '/ZN1/services/create');
      await commissioner.getByRole('heading', { level: 1, name: 'Create service' }).waitFor();
      await commissioner.getByRole('button', { name: 'Create service' }).click();
      await commissioner.getByText('Enter the payment type').waitFor();
      await capture(journey, commissioner, 'services-11-create-errors');

      await journey.goto(commissioner, '/ZN1/services');
      await commissioner.getByRole('link', { name: COMPLEX_CARE }).click();
      await commissioner.getByRole('heading', { name: COMPLEX_CARE }).waitFor();
      await commissioner.getByRole('tab', { name: /^Supplementary questions/ }).click();
      await commissioner.getByRole('button', { name: 'Add question' }).click();
      const questionDialog = commissioner.getByRole('dialog');
      await questionDialog.getByRole('button', { name: 'Save' }).click();
      await questionDialog.locator('.ant-form-item-explain-error').first().waitFor();
      await capture(journey, commissioner, 'services-12-question-errors');
      await questionDialog.getByRole('button', { name: 'Cancel' }).click();
      await questionDialog.waitFor({ state: 'hidden' });

      await journey.goto(commissioner, '/ZN1/services');
      await commissioner.getByRole('link', { name: 'Network Contract DES 2025/26' }).click();
      await commissioner.getByRole('tab', { name: 'Indicators (4)' }).click();
      await commissioner.getByRole('button', { name: 'Add indicator' }).first().click();
      const indicatorDialog = commissioner.getByRole('dialog');
      await indicatorDialog.getByRole('button', { name: 'Save' }).click();
      await indicatorDialog.locator('.ant-form-item-explain-error').first().waitFor();
      await capture(journey, commissioner, 'services-13-indicator-errors');
      await indicatorDialog.getByRole('button', { name: 'Cancel' }).click();
      await indicatorDialog.waitFor({ state: 'hidden' });
      await journey.assertNoProblems(commissioner);
    },
    STEP_TIMEOUT,
  );

  it(
    'the administrator allocates reports on Complex Care Plans to Northshire West',
    async () => {
      const admin = await journey.newPage();
      await journey.signIn(admin, ADMIN);
      await journey.goto(admin, '/ZN1/allocated-reports');
      await admin.getByRole('searchbox', { name: 'Search organisations by ODS code or name' }).fill('ZN1W');
      await admin.getByRole('button', { name: 'Choose Northshire West' }).click();
      await admin.getByRole('heading', { name: 'Reports of Northshire West (ZN1W)' }).waitFor();
      const tick = admin.getByRole('checkbox', { name: `Allocate ${COMPLEX_CARE}` });
      await tick.waitFor();
      expect(await tick.isChecked()).toBe(false);
      await tick.check();
      await admin.getByText('1 to allocate, 0 to remove').waitFor();
      await capture(journey, admin, 'services-09-allocate');

      await admin.getByRole('button', { name: 'Save allocations' }).click();
      const ask = admin.locator('.ant-modal-confirm');
      await ask.locator('.ant-modal-confirm-title', { hasText: 'Save the reports of Northshire West?' }).waitFor();
      await ask.getByRole('button', { name: 'Save allocations' }).click();
      await admin.getByText('Reports of Northshire West saved: 1 service allocated').waitFor();
      await admin.locator('.ant-tag', { hasText: `${COMPLEX_CARE} (2025/26)` }).waitFor();
      await capture(journey, admin, 'services-10-allocated');

      const rows = await journey.sql<{ ods_code: string; name: string }[]>`
        select o.ods_code, s.name from public.allocated_reports a
        join public.organisations o on o.id = a.organisation_id
        join public.quality_services s on s.id = a.service_id
        where o.ods_code = 'ZN1W'`;
      expect(rows).toEqual([{ ods_code: 'ZN1W', name: COMPLEX_CARE }]);
      await journey.assertNoProblems(admin);
    },
    STEP_TIMEOUT,
  );

  it('no accessibility findings of any impact on any page', () => {
    expect(axeFailures).toEqual([]);
  });
});
