// Journey of issue 13, bulk claims: Taylor Tier-One opens Bulk Claims from
// the Tier 1 queue, downloads the Q3 template, fills in 50 rows, uploads them
// and reads "50 claims created"; the 50 claims wait for Tier 2 (Jordan's
// queue and tasks), each Tier 1-approved by Taylor. The page is also looked at
// on a small laptop (1024×768) and a phone (390×844). Photographed as
// test-results/claims-bulk-*.png and checked with axe.
//
// So that 50 rows each make a claim of their own, the journey first adds (as
// the superuser, like the seed) a Northshire service with one unit component,
// "Home Visits 2025/26" (£35.00 a visit, Q3 open today), accepted by 50
// practices: ZP1001, ZP1002 and 48 new ones (ZP3001–ZP3048).
import ExcelJS from 'exceljs';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOURNEY_CLOSE_TIMEOUT, JOURNEY_START_TIMEOUT, startJourney, type Journey } from '../harness.ts';

const TAYLOR = 'tier1@northshire.example';
const JORDAN = 'tier2@northshire.example';
const HOME_VISITS = 'Home Visits 2025/26';
const STEP_TIMEOUT = 240_000;
const SERVICE_ID = '1a000000-0000-4000-8000-00000000b017';
const COMPONENT_ID = '1b000000-0000-4000-8000-00000000b017';
const PRACTICES = 48;
const SCREENS = [
  { name: 'laptop', width: 1024, height: 768 },
  { name: 'phone', width: 390, height: 844 },
] as const;

const axeFailures: string[] = [];

async function capture(journey: Journey, page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.mouse.move(1, 1);
  await journey.screenshot(page, name);
  await journey.checkAccessibility(page, name).catch((error: Error) => {
    axeFailures.push(error.message);
  });
}

/** The Home Visits service, its Q3 window (open today), and 50 practices that accepted it. */
async function prepareHomeVisits(journey: Journey): Promise<void> {
  await journey.sql.begin(async (tx) => {
    await tx`select set_config('app.action', 'seed', true)`;
    await tx`
      insert into public.organisations (ods_code, name, type, parent_id)
      select 'ZP' || (3000 + n), format('Bulk Test Practice %s', lpad(n::text, 2, '0')), 'practice',
             (select id from public.organisations where ods_code = 'ZN1W')
      from generate_series(1, ${PRACTICES}) n`;
    await tx`
      insert into public.quality_services (id, commissioner_id, kind, financial_year, payment_type, name, description, starts_on, ends_on)
      values (${SERVICE_ID}, (select id from public.organisations where ods_code = 'ZN1'), 'local', '2025/26', 'Local Enhanced Service',
              ${HOME_VISITS}, 'Home visits to housebound patients.', '2025-04-01', '2026-03-31')`;
    await tx`
      insert into public.service_components (id, service_id, position, name, kind, unit_price)
      values (${COMPONENT_ID}, ${SERVICE_ID}, 1, 'Home visit', 'unit', 35.00)`;
    await tx`
      insert into public.claim_windows (service_id, period_label, period_starts_on, period_ends_on, opens_on, closes_on)
      values (${SERVICE_ID}, 'Q3 2025/26', '2025-10-01', '2025-12-31', current_date - 30, current_date + 30)`;
    await tx`
      insert into public.service_offers (service_id, provider_id, starts_on, ends_on, respond_by, target_date, status, offered_at, decided_at)
      select ${SERVICE_ID}, o.id, '2025-04-01', '2026-03-31', '2025-05-31', '2026-03-31', 'approved', '2025-04-07 09:00+01', '2025-04-14 10:00+01'
      from public.organisations o where o.ods_code in ('ZP1001', 'ZP1002') or o.ods_code like 'ZP30%'`;
  });
}

async function pageOverflow(page: Page): Promise<{ scrollWidth: number; viewport: number }> {
  return page.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, viewport: window.innerWidth }));
}

describe('journey: bulk claims from a spreadsheet', () => {
  let journey: Journey;

  beforeAll(async () => {
    journey = await startJourney('claims-bulk');
    await prepareHomeVisits(journey);
  }, JOURNEY_START_TIMEOUT);

  afterAll(async () => {
    await journey?.close();
    expect(axeFailures, axeFailures.join('\n')).toEqual([]);
  }, JOURNEY_CLOSE_TIMEOUT);

  it(
    'Taylor downloads the template, uploads 50 rows, and 50 claims wait for Tier 2',
    async () => {
      const page = await journey.newPage();
      await journey.signIn(page, TAYLOR);
      await journey.goto(page, '/ZN1/claims-review');
      await page.getByRole('link', { name: /Bulk Claims/ }).click({ timeout: 30_000 });
      await journey.waitForPath(page, '/ZN1/claims-review/bulk');
      await page.getByRole('heading', { name: 'Bulk Claims', level: 1 }).waitFor({ timeout: 30_000 });
      await page.getByText(/The claim window closes on \d\d\/\d\d\/\d{4}\./).waitFor({ timeout: 30_000 });
      await capture(journey, page, 'claims-bulk-01-page');

      // Download Template: Q3 is chosen (the only period open today).
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Download Template/ }).click()]);
      expect(download.suggestedFilename()).toBe('bulk-claims-q3-2025-26.xlsx');
      const book = new ExcelJS.Workbook();
      const data = await readFile((await download.path())!);
      await book.xlsx.load(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer);
      const sheet = book.getWorksheet('Bulk claims')!;
      const rows = sheet.getRows(2, sheet.rowCount - 1)!.map((row) => ({ ods: String(row.getCell(1).value), service: String(row.getCell(3).value), units: row.getCell(8).value }));
      // 50 Home Visits rows, plus whatever of Complex Care Plans ZP1001 and ZP1002 have not claimed yet
      // (Depot is left out: its must-be-yes question is the practice's); units empty.
      expect(rows.filter((r) => r.service === HOME_VISITS)).toHaveLength(50);
      expect(new Set(rows.map((r) => r.service))).toEqual(new Set([HOME_VISITS, 'Complex Care Plans 2025/26']));
      expect(rows.every((r) => r.units === null)).toBe(true);

      // A 50-row file: the Home Visits rows with 1–50 visits each (the Complex Care rows taken out).
      for (let r = sheet.rowCount; r >= 2; r--) {
        if (String(sheet.getRow(r).getCell(3).value) !== HOME_VISITS) sheet.spliceRows(r, 1);
      }
      expect(sheet.rowCount).toBe(51);
      for (let r = 2; r <= 51; r++) sheet.getRow(r).getCell(8).value = r - 1;
      const file = Buffer.from((await book.xlsx.writeBuffer()) as ArrayBuffer);

      await page.locator('input[type=file]').setInputFiles({ name: 'home-visits-q3.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: file });
      await page.getByText('50 claims created: they wait for Tier 2 review').waitFor({ timeout: 60_000 });
      const created = page.getByRole('table', { name: 'Claims created' });
      await created.getByRole('link', { name: /^\d+$/ }).first().waitFor();
      await capture(journey, page, 'claims-bulk-02-report');

      const claims = await journey.sql<{ id: string; claim_number: string; status: string; total: string; tier1: string; created_by: string; units: number }[]>`
        select c.id, c.claim_number::text, c.status::text, c.total::text, p.email as tier1, cp.email as created_by, l.units
        from public.claims c
        join public.claim_lines l on l.claim_id = c.id and l.component_id = ${COMPONENT_ID}
        join auth.users p on p.id = c.tier1_approved_by
        join auth.users cp on cp.id = c.created_by
        order by l.units`;
      expect(claims).toHaveLength(50);
      expect(new Set(claims.map((c) => c.status))).toEqual(new Set(['pending_tier2_review']));
      expect(new Set(claims.map((c) => `${c.tier1} ${c.created_by}`))).toEqual(new Set([`${TAYLOR} ${TAYLOR}`]));
      // The database's totals: n visits × £35.00.
      expect(claims.map((c) => [c.units, c.total])).toEqual(claims.map((_, i) => [i + 1, ((i + 1) * 35).toFixed(2)]));

      // A claim's link opens its review page: it waits for Tier 2, which Taylor does not hold.
      const first = claims[0]!;
      await created.getByRole('link', { name: first.claim_number, exact: true }).click();
      await journey.waitForPath(page, `/ZN1/claims-review/${first.id}`);
      await page.getByText(`Claim ${first.claim_number} waits for Tier 2 review, which your roles here do not hold.`).waitFor({ timeout: 30_000 });
      await capture(journey, page, 'claims-bulk-03-claim');
      await journey.assertNoProblems(page);

      // The same file again creates nothing.
      await journey.goto(page, '/ZN1/claims-review/bulk');
      await page.getByText(/The claim window closes on/).waitFor({ timeout: 30_000 });
      await page.locator('input[type=file]').setInputFiles({ name: 'home-visits-q3 (copy).xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: file });
      await page.getByText('This file was uploaded before: nothing new was created').waitFor({ timeout: 60_000 });
      const [count] = await journey.sql<{ n: number }[]>`select count(*)::int as n from public.claim_lines where component_id = ${COMPONENT_ID}`;
      expect(count!.n).toBe(50);
      await journey.assertNoProblems(page);
      await journey.signOut(page);
    },
    STEP_TIMEOUT,
  );

  it(
    'Jordan (Tier 2) has the 50 claims in his queue and tasks',
    async () => {
      const [tasks] = await journey.sql<{ n: number }[]>`
        select count(*)::int as n from public.notifications n join auth.users u on u.id = n.recipient_id
        where u.email = ${JORDAN} and n.kind = 'claim_awaiting_review' and n.done_at is null
          and n.subject_id in (select l.claim_id from public.claim_lines l where l.component_id = ${COMPONENT_ID})`;
      expect(tasks!.n).toBe(50);
      const [waiting] = await journey.sql<{ n: number }[]>`
        select count(*)::int as n from public.claims c join public.organisation_closure oc on oc.descendant_id = c.provider_id
        where c.status = 'pending_tier2_review' and oc.ancestor_id = (select id from public.organisations where ods_code = 'ZN1')`;
      const page = await journey.newPage();
      await journey.signIn(page, JORDAN);
      await journey.goto(page, '/ZN1/claims-review?step=tier2');
      await page.getByRole('tab', { name: `Tier 2 (${waiting!.n})` }).waitFor({ timeout: 30_000 });
      expect(await page.getByRole('link', { name: /Bulk Claims/ }).count()).toBe(0);
      await capture(journey, page, 'claims-bulk-04-tier2-queue');
      await journey.assertNoProblems(page);
      await journey.signOut(page);
    },
    STEP_TIMEOUT,
  );

  for (const screen of SCREENS) {
    it(
      `${screen.name} (${screen.width}×${screen.height}): Bulk Claims and its report fit the screen`,
      async () => {
        const page = await journey.newPage();
        await page.setViewportSize({ width: screen.width, height: screen.height });
        await journey.signIn(page, TAYLOR);
        await journey.goto(page, '/ZN1/claims-review/bulk');
        await page.getByText(/The claim window closes on/).waitFor({ timeout: 30_000 });
        // An invalid file: the row-by-row report.
        const book = new ExcelJS.Workbook();
        const sheet = book.addWorksheet('Bulk claims');
        sheet.addRow(['Provider ODS code', 'Provider name', 'Service', 'Component', 'Kind', 'Period', 'Unit price or amount (£)', 'Units']);
        sheet.addRow(['ZP1003', '', HOME_VISITS, 'Home visit', 'Unit', 'Q3 2025/26', 35, 4]);
        sheet.addRow(['ZP1002', '', 'Complex Care Plans 2025/26', 'Ear irrigation', 'Unit', 'Q3 2025/26', 28.5, 3]);
        sheet.addRow(['ZP1002', '', 'Complex Care Plans 2025/26', 'Complex care plan created', 'Unit', 'Q3 2025/26', 200, -1]);
        const file = Buffer.from((await book.xlsx.writeBuffer()) as ArrayBuffer);
        await page.locator('input[type=file]').setInputFiles({ name: `wrong-${screen.name}.xlsx`, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: file });
        await page.getByText('Nothing was created: 3 rows cannot be claimed').waitFor({ timeout: 60_000 });
        await capture(journey, page, `claims-bulk-${screen.name}-report`);
        const overflow = await pageOverflow(page);
        expect(overflow.scrollWidth, 'the page scrolls sideways').toBeLessThanOrEqual(overflow.viewport);
        await journey.assertNoProblems(page);
        await journey.signOut(page);
      },
      STEP_TIMEOUT,
    );
  }
});
