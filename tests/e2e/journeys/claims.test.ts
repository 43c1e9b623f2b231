// Journey of issue 12 (local claims, part 1) at a two-step practice, in
// Chromium against a fresh stack with the demo data (the system review runs
// every 3 s): Pat Practice (ZP1001, Claim Submitter) presses New Claim, Add
// All twice, enters units, acknowledges the retainer and attaches a PDF; her
// first Submit lists what is wrong (at the top and beside the line and the
// question), she puts it right and submits; Ash Approver finds the task in the
// message centre and the "Claims to approve" tab and approves; the system
// review sends the claim on to Tier 1 review and Pat reads the status
// timeline. Last, with Riverside's claim windows closed (edited in the
// database), Pat's Claims page says why there is no New Claim. Every step is
// photographed (test-results/claims-*.png) and checked with axe.
//
// Demo claims seeded for Q1/Q2 may or may not exist: the journey finds its own
// claim by its Claim ID and never counts the list.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanPdf } from '../../shared/evidence-files.ts';
import { JOURNEY_CLOSE_TIMEOUT, JOURNEY_START_TIMEOUT, startJourney, type Journey } from '../harness.ts';

const PAT = 'practice.user@riverside.example';
const ASH = 'practice.approver@riverside.example';
const COMPLEX_CARE_ID = '1a000000-0000-4000-8000-000000000001';
const DEPOT_ID = '1a000000-0000-4000-8000-000000000002';
const DEPOT_QUESTION = 'Depot injections administered by qualified staff';
const STEP_TIMEOUT = 180_000;

const axeFailures: string[] = [];

async function capture(journey: Journey, page: Page, name: string): Promise<void> {
  // From the top: a full-page shot of a scrolled page draws the fixed header in the middle.
  await page.evaluate(() => window.scrollTo(0, 0));
  // Not hovering a button just clicked (antd's hover colours are not what the page shows at rest).
  await page.mouse.move(1, 700);
  await journey.screenshot(page, name);
  await journey.checkAccessibility(page, name).catch((error: Error) => {
    axeFailures.push(error.message);
  });
}

interface ClaimRow {
  id: string;
  claim_number: string;
  status: string;
  total: string;
}

async function claimById(journey: Journey, id: string): Promise<ClaimRow | undefined> {
  const [row] = await journey.sql<ClaimRow[]>`
    select id, claim_number::text, status::text, total::text from public.claims where id = ${id}`;
  return row;
}

/** The line of `component` on the claim, as the database holds it. */
async function lineOf(journey: Journey, claimId: string, component: string) {
  const [row] = await journey.sql<{ id: string; units: number | null; amount: string }[]>`
    select l.id, l.units, l.amount::text
    from public.claim_lines l join public.service_components c on c.id = l.component_id
    where l.claim_id = ${claimId} and c.name = ${component}`;
  return row;
}

/** £ and thousands separators, as the portal shows money. */
function money(amount: string): string {
  return `£${Number(amount).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** Types units into a line's Units box and leaves it with Enter; waits for the database's amount. */
async function enterUnits(journey: Journey, page: Page, claimId: string, component: string, units: number): Promise<void> {
  const box = page.getByLabel(`Units ${component}`, { exact: true });
  await box.fill(String(units));
  await box.press('Enter');
  await expect.poll(async () => (await lineOf(journey, claimId, component))?.units, { timeout: 15_000 }).toBe(units);
  await journey.settle(page);
}

describe('journey: a two-step practice claims, its approver approves, the system review sends it on', () => {
  let journey: Journey;
  let claimId = '';
  let claimNumber = '';

  beforeAll(async () => {
    journey = await startJourney('claims');
  }, JOURNEY_START_TIMEOUT);

  afterAll(async () => {
    await journey?.close();
    expect(axeFailures, axeFailures.join('\n')).toEqual([]);
  }, JOURNEY_CLOSE_TIMEOUT);

  it(
    'Pat makes a claim: New Claim, Add All twice, units, retainer, a file; Submit lists the problems, she fixes them and submits',
    async () => {
      const page = await journey.newPage();
      await journey.signIn(page, PAT);
      await journey.goto(page, '/ZP1001/claims');
      const newClaim = page.getByRole('button', { name: 'New Claim' });
      await newClaim.waitFor({ timeout: 30_000 });
      await capture(journey, page, 'claims-01-list');

      await newClaim.click();
      const shown = await journey.waitForPath(page, /^\/ZP1001\/claims\/[0-9a-f-]{36}$/);
      claimId = shown.split('/').at(-1)!;
      const started = await claimById(journey, claimId);
      expect(started?.status).toBe('draft');
      claimNumber = started!.claim_number;
      await page.getByRole('heading', { name: `Claim ${claimNumber}`, level: 1 }).waitFor({ timeout: 30_000 });
      await page.getByRole('checkbox', { name: 'Complex Care Plans 2025/26' }).waitFor({ timeout: 30_000 });
      await capture(journey, page, 'claims-02-new-claim');

      // Add All (Services pane) shows both services' components; Add All (Components pane) puts them on the claim.
      await page.getByRole('button', { name: 'Add All services to the Components pane' }).click();
      await page.getByRole('heading', { name: 'Depot Antipsychotic Injections 2025/26', level: 3 }).first().waitFor();
      await capture(journey, page, 'claims-03-components');
      await page.getByRole('button', { name: 'Add All components to the claim' }).click();
      await page.getByLabel('Units Complex care plan created', { exact: true }).waitFor({ timeout: 30_000 });
      const lines = await journey.sql<{ name: string }[]>`
        select c.name from public.claim_lines l join public.service_components c on c.id = l.component_id
        where l.claim_id = ${claimId} order by c.name`;
      expect(lines.map((l) => l.name)).toEqual([
        'Care co-ordination retainer',
        'Complex care plan created',
        'Depot injection administered',
        'Ear irrigation',
      ]);

      // 12 complex care plans: the amount is the database's (12 × £193.42).
      await enterUnits(journey, page, claimId, 'Complex care plan created', 12);
      const carePlans = await lineOf(journey, claimId, 'Complex care plan created');
      expect(carePlans?.amount).toBe('2321.04');
      await expect.poll(() => page.getByTestId(`line-amount-${carePlans!.id}`).innerText(), { timeout: 15_000 }).toBe(money(carePlans!.amount));
      expect(money(carePlans!.amount)).toBe('£2,321.04');

      // The tick box shows what the database holds: it turns on once acknowledge_claim_retainer has answered.
      const acknowledgement = page.getByRole('checkbox', { name: 'I have read and understood this information' });
      await acknowledgement.click();
      await expect.poll(() => acknowledgement.isChecked(), { timeout: 15_000 }).toBe(true);
      await expect
        .poll(async () => (await journey.sql`select 1 from public.claim_lines where claim_id = ${claimId} and acknowledged_at is not null`).length, {
          timeout: 15_000,
        })
        .toBe(1);
      await enterUnits(journey, page, claimId, 'Ear irrigation', 3);

      // Add Attachment: the procedure log, as a small PDF.
      const pdf = cleanPdf('Ear irrigation procedure log, Q3 2025/26: 3 procedures. No patient details.', 'ear-irrigation-log.pdf');
      const fileInput = page.locator('section.claim-line', { hasText: 'Ear irrigation' }).getByTestId('evidence-file-input');
      await fileInput.setInputFiles({ name: pdf.name, mimeType: pdf.type, buffer: Buffer.from(pdf.bytes) });
      await page.getByText('ear-irrigation-log.pdf', { exact: true }).waitFor({ timeout: 30_000 });
      const files = await journey.sql<{ original_name: string }[]>`select original_name from public.claim_evidence where claim_id = ${claimId}`;
      expect(files.map((f) => f.original_name)).toEqual(['ear-irrigation-log.pdf']);
      await capture(journey, page, 'claims-04-lines-filled');

      // Submit with the Depot question at No and no Depot units: every problem, at the top and in place.
      expect(await page.getByRole('switch', { name: DEPOT_QUESTION }).getAttribute('aria-checked')).toBe('false');
      await page.getByRole('button', { name: 'Submit', exact: true }).click();
      const list = page.getByTestId('problem-list');
      await list.waitFor({ timeout: 30_000 });
      await page.getByText(`Claim ${claimNumber} cannot be submitted yet`).waitFor();
      const listed = await list.getByRole('listitem').allInnerTexts();
      expect(listed).toEqual(
        expect.arrayContaining([
          expect.stringContaining(DEPOT_QUESTION),
          expect.stringContaining('Enter the units for Depot injection administered'),
        ]),
      );
      expect(listed).toHaveLength(2);
      const depotLine = page.locator('section.claim-line', { hasText: 'Depot injection administered' });
      await depotLine.locator('.claim-problems').getByText('Enter the units for Depot injection administered', { exact: false }).waitFor();
      const question = page.getByRole('group', { name: DEPOT_QUESTION });
      await question.locator('.claim-problems').getByText(DEPOT_QUESTION, { exact: false }).waitFor();
      expect((await claimById(journey, claimId))?.status).toBe('draft');
      await capture(journey, page, 'claims-05-submit-problems');
      // Each problem in the list takes the keyboard to its line or question.
      await list.getByRole('link', { name: /Enter the units for Depot injection administered/ }).focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => depotLine.evaluate((section) => section === document.activeElement)).toBe(true);

      // Put right: the question to Yes, 0 Depot units.
      await page.getByRole('switch', { name: DEPOT_QUESTION }).click();
      await expect
        .poll(async () => (await journey.sql`select answer_yes from public.claim_answers where claim_id = ${claimId} and answer_yes`).length, {
          timeout: 15_000,
        })
        .toBe(1);
      await enterUnits(journey, page, claimId, 'Depot injection administered', 0);
      await page.getByRole('button', { name: 'Submit', exact: true }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText(`Submit claim ${claimNumber}?`).filter({ visible: true }).waitFor({ timeout: 30_000 });
      const total = (await claimById(journey, claimId))!.total;
      await dialog.getByText(money(total), { exact: false }).filter({ visible: true }).waitFor();
      await capture(journey, page, 'claims-06-submit-confirm');
      await dialog.getByRole('button', { name: 'Submit', exact: true }).click();

      await journey.waitForPath(page, `/ZP1001/claims/${claimId}/summary`);
      await page.getByRole('heading', { name: `Claim ${claimNumber} submitted` }).waitFor({ timeout: 30_000 });
      await page.getByText('Your practice’s Provider Approver approves it next.').waitFor();
      expect(await page.getByTestId('summary-total').innerText()).toBe(money(total));
      expect((await claimById(journey, claimId))?.status).toBe('pending_provider_approval');
      await page.getByText('Pending Provider Approval').first().waitFor();
      await capture(journey, page, 'claims-07-summary');

      // The new claim is in Pat's list (all years by default), by its Claim ID.
      await page.getByRole('link', { name: 'Back to Claims' }).click();
      await journey.waitForPath(page, '/ZP1001/claims');
      await page.getByRole('table', { name: 'Claims' }).getByRole('link', { name: claimNumber, exact: true }).waitFor({ timeout: 30_000 });
      await capture(journey, page, 'claims-08-list-with-claim');
      await journey.assertNoProblems(page);
      await journey.signOut(page);
    },
    STEP_TIMEOUT,
  );

  it(
    'Ash Approver finds the task in the message centre and the Claims to approve tab, and approves',
    async () => {
      expect(claimId, 'the first step started a claim').not.toBe('');
      const page = await journey.newPage();
      await journey.signIn(page, ASH);
      await journey.goto(page, '/ZP1001');
      const task = page.getByRole('link', { name: `Claim ${claimNumber} waits for your approval` });
      await task.first().waitFor({ timeout: 30_000 });
      await capture(journey, page, 'claims-09-approver-messages');

      await journey.goto(page, '/ZP1001/claims');
      await page.getByRole('tab', { name: /^Claims to approve \(\d+\)$/ }).click();
      const toApprove = page.getByRole('table', { name: /^Claims to approve/ });
      await toApprove.getByRole('link', { name: claimNumber, exact: true }).waitFor({ timeout: 30_000 });
      await capture(journey, page, 'claims-10-claims-to-approve');

      await journey.goto(page, '/ZP1001');
      await task.first().click();
      await journey.waitForPath(page, `/ZP1001/claims/${claimId}`);
      const approve = page.getByRole('button', { name: 'Approve', exact: true });
      await approve.waitFor({ timeout: 30_000 });
      await capture(journey, page, 'claims-11-approver-claim');
      await approve.click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText(`Approve claim ${claimNumber}?`).filter({ visible: true }).waitFor();
      await dialog.getByRole('button', { name: 'Approve the claim' }).click();
      await page.getByText(`Claim ${claimNumber} was approved`).waitFor({ timeout: 30_000 });
      // The file still awaits the system review, or has already passed it and the claim gone on.
      await expect
        .poll(async () => (await claimById(journey, claimId))?.status, { timeout: 15_000 })
        .toMatch(/^(pending_system_review|pending_tier1_review)$/);
      await approve.waitFor({ state: 'detached', timeout: 15_000 });
      await capture(journey, page, 'claims-12-approved');
      await journey.assertNoProblems(page);
      await journey.signOut(page);
    },
    STEP_TIMEOUT,
  );

  it(
    'the system review passes the file and the claim waits for Tier 1 review; Pat reads the status timeline',
    async () => {
      expect(claimId, 'the first step started a claim').not.toBe('');
      await expect.poll(async () => (await claimById(journey, claimId))?.status, { timeout: 60_000, interval: 1_000 }).toBe('pending_tier1_review');
      const [file] = await journey.sql<{ scan_status: string }[]>`select scan_status::text from public.claim_evidence where claim_id = ${claimId}`;
      expect(file?.scan_status).toBe('clean');

      const page = await journey.newPage();
      await journey.signIn(page, PAT);
      await journey.goto(page, `/ZP1001/claims/${claimId}`);
      await page.getByRole('heading', { name: 'Status timeline' }).waitFor({ timeout: 30_000 });
      await page.getByText('Pending Tier 1 Review').first().waitFor({ timeout: 30_000 });
      const timeline = page.locator('section[aria-labelledby="claim-timeline-title"]');
      const steps = await timeline.locator('.ant-timeline-item').allInnerTexts();
      const expected = [
        /Started as Draft|Draft/,
        /Draft → Pending Provider Approval/,
        /Pending Provider Approval → Pending System Review/,
        /Pending System Review → Pending Tier 1 Review/,
      ];
      for (const step of expected) expect(steps.some((text) => step.test(text)), `${String(step)} in ${JSON.stringify(steps)}`).toBe(true);
      await page.getByText('Passed system review').first().waitFor();
      // Read-only now: no inputs, no Submit.
      expect(await page.getByRole('button', { name: 'Submit', exact: true }).count()).toBe(0);
      expect(await page.getByLabel('Units Complex care plan created', { exact: true }).count()).toBe(0);
      await capture(journey, page, 'claims-13-timeline');
      await journey.assertNoProblems(page);
      await journey.signOut(page);
    },
    STEP_TIMEOUT,
  );

  it(
    'with Riverside’s claim windows closed, Pat’s Claims page says why there is no New Claim',
    async () => {
      const page = await journey.newPage();
      await journey.signIn(page, PAT);

      // Q3 closes yesterday (its claim was made, or missed): the next window, Q4, has not opened yet.
      const q3Closed = await journey.sql.begin(async (tx) => {
        await tx`select set_config('app.action', 'test', true)`;
        return tx<{ id: string }[]>`
          update public.claim_windows set opens_on = current_date - 20, closes_on = current_date - 1
          where service_id in (${COMPLEX_CARE_ID}, ${DEPOT_ID}) and period_label = 'Q3 2025/26'
          returning id`;
      });
      expect(q3Closed).toHaveLength(2);
      await journey.goto(page, '/ZP1001/claims');
      await page.getByText('There is no New Claim button today').waitFor({ timeout: 30_000 });
      await page.getByText('The claim window has not opened yet: the next one opens on', { exact: false }).waitFor();
      expect(await page.getByRole('button', { name: 'New Claim' }).count()).toBe(0);
      await capture(journey, page, 'claims-14-not-open-yet');

      // Q4 closed as well, before anyone claimed it: the window was missed.
      await journey.sql.begin(async (tx) => {
        await tx`select set_config('app.action', 'test', true)`;
        await tx`
          update public.claim_windows set opens_on = current_date - 10, closes_on = current_date - 2
          where service_id in (${COMPLEX_CARE_ID}, ${DEPOT_ID}) and period_label = 'Q4 2025/26'`;
      });
      await journey.goto(page, '/ZP1001/claims');
      await page.getByText('You have missed your claim window:', { exact: false }).waitFor({ timeout: 30_000 });
      await page.getByText('primary care team', { exact: false }).first().waitFor();
      expect(await page.getByRole('button', { name: 'New Claim' }).count()).toBe(0);
      await capture(journey, page, 'claims-15-window-missed');

      // The windows page says the same in its own way.
      await page.getByRole('link', { name: 'Claim windows' }).first().click();
      await journey.waitForPath(page, '/ZP1001/claim-windows');
      await page.getByRole('table', { name: 'Claim windows' }).getByText('Q4 2025/26').first().waitFor({ timeout: 30_000 });
      expect(await page.getByRole('table', { name: 'Claim windows' }).getByText('Open', { exact: true }).count()).toBe(0);
      await capture(journey, page, 'claims-16-windows-closed');
      await journey.assertNoProblems(page);
    },
    STEP_TIMEOUT,
  );
});
