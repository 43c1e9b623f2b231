// Journey of issue 14's declarations and PCN network achievement, in Chromium
// against a fresh stack with the demo data and its achievement recalculation
// every few seconds. The seed leaves Riverside PCN's network achievement for
// 30/09/2025 unsubmitted, so Riverside (ZP1001), Bridge Street (ZP1002) and
// Mill Lane (ZP1003) wait in Awaiting network achievement, and Orchard
// Surgery (ZP1006) waits because it had no PCN on that date.
//  1. Lee Lead (Riverside PCN's only nominated person: the page warns) opens
//     Network achievement, checks the aggregate and submits it: the waiting
//     practices move on at once; Riverside now awaits its declaration.
//  2. Ash Approver (ZP1001, Declaration Management) runs the Achievement
//     Summary Report (XLSX: its declared total is the declaration's payment)
//     and declares the achievement (Select All, Declare Achievement).
//  3. Jordan Tier-Two (Approval Management) approves it; Morgan Finance
//     (Finance Management) approves it for payment; its page and Payment
//     Declaration History say so.
//  4. Chris Commissioner opens Achievements awaiting network achievement:
//     Orchard Surgery, "No PCN relationship on 30/09/2025", links to the
//     practice's PCN relationships; Alex Admin (who manages PCN relationships)
//     adds the missing one there; the recalculation job moves Orchard on and
//     the page no longer lists it.
// Every page is photographed at 1280, 1024 and 390 px, checked with axe and
// never scrolls sideways.
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOURNEY_CLOSE_TIMEOUT, JOURNEY_START_TIMEOUT, startJourney, type Journey } from '../harness.ts';

const LEE = 'pcn.lead@riverside-pcn.example';
const ASH = 'practice.approver@riverside.example';
const JORDAN = 'tier2@northshire.example';
const MORGAN = 'finance@northshire.example';
const CHRIS = 'commissioner@northshire.example';
const ALEX = 'icb.admin@northshire.example';
const DES = 'Network Contract DES 2025/26';
const Q2 = '2025-09-30';
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
    await journey.screenshot(page, `declarations-${name}-${screen.name}`);
    await journey.checkAccessibility(page, `declarations-${name}-${screen.name}`).catch((error: Error) => {
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

const pence = (amount: string | number) => Math.round(Number(amount) * 100);

interface DeclarationRow {
  id: string;
  status: string;
  payment: string;
}

/** The Network Contract DES declaration of a practice on 30/09/2025, as the database holds it. */
async function declarationOf(journey: Journey, ods: string): Promise<DeclarationRow | undefined> {
  const [row] = await journey.sql<DeclarationRow[]>`
    select d.id, d.status::text, d.payment::text from public.declarations d
    join public.organisations o on o.id = d.provider_id and o.ods_code = ${ods}
    join public.quality_services s on s.id = d.service_id and s.name = ${DES}
    where d.achievement_date = ${Q2}`;
  return row;
}

describe('journey: Lee submits Riverside PCN’s network achievement; Ash declares; Jordan and Morgan approve; a stuck achievement is fixed by adding the missing PCN relationship', () => {
  let journey: Journey;
  let riverside: DeclarationRow | undefined;

  beforeAll(async () => {
    journey = await startJourney('declarations', { achievementRecalculation: true });
  }, JOURNEY_START_TIMEOUT);

  afterAll(async () => {
    await journey?.close();
    expect(axeFailures, axeFailures.join('\n')).toEqual([]);
  }, JOURNEY_CLOSE_TIMEOUT);

  it(
    'Lee opens Network achievement (one nominated person: a warning), checks Riverside PCN’s aggregate for 30/09/2025 and submits it; the waiting practices move on',
    async () => {
      for (const ods of ['ZP1001', 'ZP1002', 'ZP1003', 'ZP1006']) expect((await declarationOf(journey, ods))?.status, ods).toBe('awaiting_network_achievement');
      const page = await journey.newPage();
      await journey.signIn(page, LEE);
      await journey.goto(page, '/ZU101/network-achievement');
      await page.getByRole('heading', { name: 'Network achievement', level: 1 }).waitFor({ timeout: 30_000 });
      await page.getByRole('heading', { name: `${DES} · 30/09/2025` }).waitFor({ timeout: 30_000 });
      await page.getByTestId('nominated-people-warning').getByText('Riverside PCN has 1 nominated person').waitFor();
      expect(await page.getByTestId('network-status').innerText()).toBe('Not submitted');
      await page.getByTestId('waiting-practices').getByText('3 member practices’ declarations wait for this network achievement.').waitFor();
      // The aggregate shown is the database's, indicator by indicator.
      const values = await journey.sql<{ code: string; percentage: string | null }[]>`
        select i.code, v.percentage::text from public.network_achievement_values v
        join public.indicators i on i.id = v.indicator_id
        join public.network_achievements n on n.id = v.network_achievement_id and n.achievement_date = ${Q2}
        join public.organisations p on p.id = n.pcn_id and p.ods_code = 'ZU101'`;
      expect(values.length).toBeGreaterThan(0);
      const table = page.getByRole('table', { name: `Network indicators of ${DES} on 30/09/2025` });
      for (const value of values) await table.getByText(value.code, { exact: true }).waitFor();
      await captureAtEveryWidth(journey, page, '01-network-achievement');

      await page.getByRole('button', { name: 'Submit', exact: true }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText(`Declare network achievement for Riverside PCN, ${DES}, 30/09/2025?`).first().waitFor();
      await dialog.getByLabel('Notes (optional)').fill('Checked with the three member practices.');
      await dialog.getByRole('button', { name: 'Declare network achievement' }).click();
      await page.getByText('Network achievement submitted for 30/09/2025').waitFor({ timeout: 30_000 });
      await expect.poll(() => page.getByTestId('network-status').innerText(), { timeout: 15_000 }).toBe('Submitted');
      const [network] = await journey.sql<{ status: string; notes: string; submitted_by: string }[]>`
        select n.status::text, n.notes, p.full_name as submitted_by from public.network_achievements n
        join public.organisations o on o.id = n.pcn_id and o.ods_code = 'ZU101'
        join public.profiles p on p.id = n.submitted_by
        where n.achievement_date = ${Q2}`;
      expect(network).toEqual({ status: 'submitted', notes: 'Checked with the three member practices.', submitted_by: 'Lee Lead' });
      // The member practices moved on in the same transaction; Orchard (no PCN on the date) still waits.
      riverside = await declarationOf(journey, 'ZP1001');
      expect(riverside?.status).toBe('awaiting_provider_declaration');
      for (const ods of ['ZP1002', 'ZP1003']) expect((await declarationOf(journey, ods))?.status, ods).not.toBe('awaiting_network_achievement');
      expect((await declarationOf(journey, 'ZP1006'))?.status).toBe('awaiting_network_achievement');
      await captureAtEveryWidth(journey, page, '02-network-submitted');
      await journey.assertNoProblems(page);
      await page.close();
    },
    STEP_TIMEOUT,
  );

  it(
    'Ash runs the Achievement Summary Report (its declared total is the declaration’s payment) and declares Riverside’s achievement',
    async () => {
      const page = await journey.newPage();
      await journey.signIn(page, ASH);
      await journey.goto(page, '/ZP1001/declare');
      await page.getByRole('heading', { name: 'Declare', level: 1 }).waitFor({ timeout: 30_000 });
      await page.getByRole('heading', { name: 'Awaiting your declaration (1)' }).waitFor({ timeout: 30_000 });
      await page.getByTestId(`payment-${riverside!.id}`).waitFor();
      expect(await page.getByTestId(`payment-${riverside!.id}`).innerText()).toBe(money(riverside!.payment));
      await captureAtEveryWidth(journey, page, '03-declare');

      await page.getByRole('button', { name: 'Run Achievement Summary Report' }).click();
      const report = page.getByRole('dialog');
      await report.getByText('The report covers the 1 declarations awaiting your declaration', { exact: false }).waitFor();
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), report.getByRole('button', { name: 'Download' }).click()]);
      expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(await download.path());
      const sheet = workbook.worksheets[0]!;
      const totals: number[] = [];
      sheet.eachRow((row) => {
        const cells = (row.values as unknown[]).slice(1);
        if (cells.some((cell) => typeof cell === 'string' && cell.startsWith('Declared total'))) {
          const amounts = cells.filter((cell): cell is number => typeof cell === 'number');
          totals.push(amounts.at(-1)!);
        }
      });
      expect(totals.map(pence)).toEqual([pence(riverside!.payment)]);

      await page.getByRole('button', { name: 'Select All (1)' }).click();
      await page.getByText('1 selected').waitFor();
      await page.getByRole('button', { name: 'Declare Achievement' }).click();
      const confirm = page.getByRole('dialog', { name: 'Declare achievement for 1 Quality Service?' });
      await confirm.getByText(`${DES} · 30/09/2025 · ${money(riverside!.payment)}`).waitFor();
      await confirm.getByRole('button', { name: 'Declare Achievement' }).click();
      await page.getByText('1 declared, 0 not declared').waitFor({ timeout: 30_000 });
      await page.getByTestId(`result-${riverside!.id}`).getByText('Awaiting commissioner approval', { exact: true }).waitFor();
      expect((await declarationOf(journey, 'ZP1001'))?.status).toBe('awaiting_commissioner_approval');
      // The declared achievement moves to the Payment Declaration History panel.
      const history = page.getByRole('table', { name: `Payment Declaration History of ${DES}` });
      await history.getByText('Ash Approver').first().waitFor({ timeout: 30_000 });
      await captureAtEveryWidth(journey, page, '04-declared');
      await journey.assertNoProblems(page);
      await page.close();
    },
    STEP_TIMEOUT,
  );

  it(
    'Jordan approves it in Declaration Management; Morgan approves it at finance: Approved for payment',
    async () => {
      const jordan = await journey.newPage();
      await journey.signIn(jordan, JORDAN);
      await journey.goto(jordan, '/ZN1/declaration-management');
      await jordan.getByRole('heading', { name: 'Declaration Management', level: 1 }).waitFor({ timeout: 30_000 });
      await jordan.getByRole('tab', { name: /^Awaiting commissioner approval \(\d+\)$/, selected: true }).waitFor({ timeout: 30_000 });
      const box = jordan.getByRole('checkbox', { name: `Select Riverside Medical Centre (ZP1001), ${DES}, 30/09/2025` });
      await box.waitFor({ timeout: 30_000 });
      await captureAtEveryWidth(journey, jordan, '05-declaration-management');
      await box.check();
      await jordan.getByRole('button', { name: 'Approve', exact: true }).click();
      const dialog = jordan.getByRole('dialog', { name: 'Approve 1 declaration?' });
      await dialog.getByText(`Riverside Medical Centre (ZP1001) · ${DES} · 30/09/2025 · ${money(riverside!.payment)}`).waitFor();
      await dialog.getByRole('button', { name: 'Approve', exact: true }).click();
      await jordan.getByText('1 approved, 0 not approved').waitFor({ timeout: 30_000 });
      expect((await declarationOf(journey, 'ZP1001'))?.status).toBe('awaiting_finance_approval');
      await captureAtEveryWidth(journey, jordan, '06-approved');
      await journey.assertNoProblems(jordan);
      await jordan.close();

      const morgan = await journey.newPage();
      await journey.signIn(morgan, MORGAN);
      await journey.goto(morgan, '/ZN1/declaration-management');
      // Finance Management starts on its own step.
      await morgan.getByRole('tab', { name: /^Awaiting finance approval \(\d+\)$/, selected: true }).waitFor({ timeout: 30_000 });
      await morgan.getByRole('checkbox', { name: `Select Riverside Medical Centre (ZP1001), ${DES}, 30/09/2025` }).check();
      await morgan.getByRole('button', { name: 'Approve', exact: true }).click();
      await morgan.getByRole('dialog', { name: 'Approve 1 declaration?' }).getByRole('button', { name: 'Approve', exact: true }).click();
      await morgan.getByText('1 approved, 0 not approved').waitFor({ timeout: 30_000 });
      await morgan.getByTestId(`result-${riverside!.id}`).getByText('Approved for payment', { exact: true }).waitFor();
      expect((await declarationOf(journey, 'ZP1001'))?.status).toBe('approved_for_payment');

      await journey.goto(morgan, `/ZN1/declaration-management/${riverside!.id}`);
      await morgan.getByRole('heading', { name: `Riverside Medical Centre (ZP1001) · ${DES} · 30/09/2025`, level: 1 }).waitFor({ timeout: 30_000 });
      expect(await morgan.getByTestId('declaration-payment').innerText()).toBe(money(riverside!.payment));
      const history = morgan.getByRole('table', { name: `Payment Declaration History of ${DES}` });
      await history.getByText('Approved by finance').waitFor({ timeout: 30_000 });
      await history.getByText('Morgan Finance').first().waitFor();
      await captureAtEveryWidth(journey, morgan, '07-declaration-page');
      await journey.assertNoProblems(morgan);
      await morgan.close();
    },
    STEP_TIMEOUT,
  );

  it(
    'Chris sees Orchard Surgery stuck for want of a PCN on 30/09/2025; Alex adds the missing relationship on its page; the recalculation moves it on',
    async () => {
      const chris = await journey.newPage();
      await journey.signIn(chris, CHRIS);
      await journey.goto(chris, '/ZN1/awaiting-network');
      await chris.getByRole('heading', { name: 'Achievements awaiting network achievement', level: 1 }).waitFor({ timeout: 30_000 });
      const orchard = await declarationOf(journey, 'ZP1006');
      await chris.getByTestId(`cause-${orchard!.id}`).getByText('No PCN relationship on 30/09/2025').waitFor({ timeout: 30_000 });
      // Riverside PCN's practices are no longer stuck.
      expect(await chris.getByText('Riverside Medical Centre (ZP1001)').count()).toBe(0);
      await captureAtEveryWidth(journey, chris, '08-awaiting-network');
      const [practice] = await journey.sql<{ id: string }[]>`select id from public.organisations where ods_code = 'ZP1006'`;
      await chris.getByRole('link', { name: 'Open the practice’s PCN relationships: Orchard Surgery (ZP1006)' }).click();
      await journey.waitForPath(chris, `/ZN1/organisations/${practice!.id}`);
      await chris.getByRole('heading', { name: 'Orchard Surgery', level: 1 }).waitFor({ timeout: 30_000 });
      await journey.assertNoProblems(chris);

      // Organisation and User Administrators manage PCN relationships (add_pcn_membership).
      const alex = await journey.newPage();
      await journey.signIn(alex, ALEX);
      await journey.goto(alex, `/ZN1/organisations/${practice!.id}`);
      await alex.getByRole('button', { name: 'Add to PCN' }).click();
      const dialog = alex.locator('.ant-modal:visible', { hasText: 'Add Orchard Surgery to a PCN' });
      await dialog.waitFor();
      const pcn = dialog.getByRole('combobox', { name: 'PCN' });
      await pcn.click();
      await pcn.fill('ZU102');
      await alex.locator('.ant-select-item-option', { hasText: 'Hillside PCN (ZU102)' }).click();
      const from = dialog.getByLabel('Start date', { exact: true });
      await from.click();
      await from.fill('01/09/2025');
      await from.press('Tab');
      await dialog.getByRole('button', { name: 'Add to PCN' }).click();
      await alex.getByText('Orchard Surgery joins Hillside PCN from 01/09/2025').first().waitFor({ timeout: 30_000 });
      await journey.assertNoProblems(alex);
      await alex.close();

      // The relationship flags a recalculation; the stack's job runs it and the declaration moves on.
      await expect.poll(async () => (await declarationOf(journey, 'ZP1006'))?.status, { timeout: 90_000, interval: 1_000 }).not.toBe('awaiting_network_achievement');
      await journey.goto(chris, '/ZN1/awaiting-network');
      await chris.getByText('No achievement is stuck awaiting network achievement.').waitFor({ timeout: 30_000 });
      await captureAtEveryWidth(journey, chris, '09-nothing-stuck');
      await journey.assertNoProblems(chris);
      await chris.close();
    },
    STEP_TIMEOUT,
  );
});
