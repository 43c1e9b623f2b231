// Journeys of issue 12 (local claims, part 1), second file: Harper Harbour
// (ZP2001; Southvale asks for single-service claims) makes one claim per
// service — Phlebotomy, then Anticoagulation Monitoring with its monitoring
// log — and sees that a second service cannot go on the same claim; then the
// claims pages on a phone (390×844) and a small laptop (1024×768): Claims,
// Claim windows, a draft claim's three panes and Claim pane (Pat Practice,
// ZP1001), a submitted claim and its summary (Harper). On every page: no
// sideways scrolling of the page. Photographed as test-results/claims-*.png
// and checked with axe.
//
// Demo claims seeded for Q1/Q2 may or may not exist: the journey finds its
// claims by their Claim IDs and never counts the list.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanPdf } from '../../shared/evidence-files.ts';
import { JOURNEY_CLOSE_TIMEOUT, JOURNEY_START_TIMEOUT, startJourney, type Journey } from '../harness.ts';

const PAT = 'practice.user@riverside.example';
const HARPER = 'practice.user@harbour.example';
const PHLEBOTOMY = 'Phlebotomy 2025/26';
const ANTICOAGULATION = 'Anticoagulation Monitoring 2025/26';
const STEP_TIMEOUT = 240_000;

const SCREENS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'laptop', width: 1024, height: 768 },
] as const;

const axeFailures: string[] = [];

async function capture(journey: Journey, page: Page, name: string): Promise<void> {
  // From the top: a full-page shot of a scrolled page draws the fixed header in the middle.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.mouse.move(1, 1);
  await journey.screenshot(page, name);
  await journey.checkAccessibility(page, name).catch((error: Error) => {
    axeFailures.push(error.message);
  });
}

async function claimById(journey: Journey, id: string) {
  const [row] = await journey.sql<{ claim_number: string; status: string; submission_mode: string }[]>`
    select claim_number::text, status::text, submission_mode::text from public.claims where id = ${id}`;
  return row;
}

async function enterUnits(journey: Journey, page: Page, claimId: string, component: string, units: number): Promise<void> {
  const box = page.getByLabel(`Units ${component}`, { exact: true });
  await box.fill(String(units));
  await box.press('Enter');
  await expect
    .poll(
      async () =>
        (
          await journey.sql<{ units: number | null }[]>`
            select l.units from public.claim_lines l join public.service_components c on c.id = l.component_id
            where l.claim_id = ${claimId} and c.name = ${component}`
        )[0]?.units,
      { timeout: 15_000 },
    )
    .toBe(units);
  await journey.settle(page);
}

/** New Claim on the Claims page; returns the new claim's id and Claim ID. */
async function startClaim(journey: Journey, page: Page, org: string): Promise<{ id: string; number: string }> {
  await journey.goto(page, `/${org}/claims`);
  await page.getByRole('button', { name: 'New Claim' }).click({ timeout: 30_000 });
  const shown = await journey.waitForPath(page, new RegExp(`^/${org}/claims/[0-9a-f-]{36}$`));
  const id = shown.split('/').at(-1)!;
  const row = await claimById(journey, id);
  expect(row?.status).toBe('draft');
  await page.getByRole('heading', { name: `Claim ${row!.claim_number}`, level: 1 }).waitFor({ timeout: 30_000 });
  return { id, number: row!.claim_number };
}

/** Submit, confirm, and the summary screen. */
async function submitClaim(journey: Journey, page: Page, org: string, claim: { id: string; number: string }): Promise<void> {
  await page.getByRole('button', { name: 'Submit', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText(`Submit claim ${claim.number}?`).filter({ visible: true }).waitFor({ timeout: 30_000 });
  await dialog.getByRole('button', { name: 'Submit', exact: true }).click();
  await journey.waitForPath(page, `/${org}/claims/${claim.id}/summary`);
  await page.getByRole('heading', { name: `Claim ${claim.number} submitted` }).waitFor({ timeout: 30_000 });
}

/** Sideways overflow of the page itself (a table may scroll inside its card). */
async function pageOverflow(page: Page): Promise<{ scrollWidth: number; viewport: number }> {
  return page.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, viewport: window.innerWidth }));
}

describe('journey: single-service claims, and the claims pages on a phone and a small laptop', () => {
  let journey: Journey;
  const harperClaims: Array<{ id: string; number: string }> = [];
  let patDraft = '';
  let patDraftNumber = '';

  beforeAll(async () => {
    journey = await startJourney('claims-single-service');
  }, JOURNEY_START_TIMEOUT);

  afterAll(async () => {
    await journey?.close();
    expect(axeFailures, axeFailures.join('\n')).toEqual([]);
  }, JOURNEY_CLOSE_TIMEOUT);

  it(
    'Harper (ZP2001, single-service) claims Phlebotomy, then Anticoagulation Monitoring with a file, one claim each',
    async () => {
      const page = await journey.newPage();
      await journey.signIn(page, HARPER);

      // Phlebotomy on its own claim; Add All (services) is not offered on a single-service claim.
      const first = await startClaim(journey, page, 'ZP2001');
      harperClaims.push(first);
      expect((await claimById(journey, first.id))?.submission_mode).toBe('single_service');
      await page.getByRole('checkbox', { name: PHLEBOTOMY }).waitFor({ timeout: 30_000 });
      expect(await page.getByRole('button', { name: 'Add All services to the Components pane' }).isDisabled()).toBe(true);
      await page.getByRole('checkbox', { name: PHLEBOTOMY }).check();
      await page.getByRole('button', { name: 'Add All components to the claim' }).click();
      await page.getByLabel('Units Blood sample taken', { exact: true }).waitFor({ timeout: 30_000 });
      // The claim holds Phlebotomy: Anticoagulation Monitoring cannot be chosen, and the page says why.
      // (once the page has read claim_available_services again after Add All)
      await expect.poll(() => page.getByRole('checkbox', { name: ANTICOAGULATION }).isDisabled(), { timeout: 15_000 }).toBe(true);
      await page.getByText('A single-service claim: this claim already holds a service.').waitFor();
      await enterUnits(journey, page, first.id, 'Blood sample taken', 40);
      await capture(journey, page, 'claims-single-01-phlebotomy');
      await submitClaim(journey, page, 'ZP2001', first);
      // One-step practice, no files: straight on to Tier 1 review.
      expect((await claimById(journey, first.id))?.status).toBe('pending_tier1_review');
      await capture(journey, page, 'claims-single-02-phlebotomy-summary');

      // A second claim for Anticoagulation Monitoring; Phlebotomy (Q3) is claimed and no longer offered.
      const second = await startClaim(journey, page, 'ZP2001');
      harperClaims.push(second);
      await page.getByRole('checkbox', { name: ANTICOAGULATION }).waitFor({ timeout: 30_000 });
      expect(await page.getByRole('checkbox', { name: PHLEBOTOMY }).count()).toBe(0);
      await page.getByRole('checkbox', { name: ANTICOAGULATION }).check();
      await page.getByRole('button', { name: 'Add All components to the claim' }).click();
      await page.getByLabel('Units INR monitoring visit', { exact: true }).waitFor({ timeout: 30_000 });
      await enterUnits(journey, page, second.id, 'INR monitoring visit', 6);
      const pdf = cleanPdf('INR monitoring log, Q3 2025/26: 6 visits. No patient details.', 'inr-monitoring-log.pdf');
      await page.getByTestId('evidence-file-input').setInputFiles({ name: pdf.name, mimeType: pdf.type, buffer: Buffer.from(pdf.bytes) });
      await page.getByText('inr-monitoring-log.pdf', { exact: true }).waitFor({ timeout: 30_000 });
      await capture(journey, page, 'claims-single-03-anticoagulation');
      await submitClaim(journey, page, 'ZP2001', second);
      await capture(journey, page, 'claims-single-04-anticoagulation-summary');
      await expect.poll(async () => (await claimById(journey, second.id))?.status, { timeout: 60_000, interval: 1_000 }).toBe('pending_tier1_review');

      // Both claims in Harper's list, by Claim ID; nothing more to claim this quarter.
      await journey.goto(page, '/ZP2001/claims');
      const table = page.getByRole('table', { name: 'Claims' });
      for (const claim of harperClaims) await table.getByRole('link', { name: claim.number, exact: true }).waitFor({ timeout: 30_000 });
      await page.getByText('There is no New Claim button today').waitFor({ timeout: 30_000 });
      await capture(journey, page, 'claims-single-05-list');
      await journey.assertNoProblems(page);
      await journey.signOut(page);
    },
    STEP_TIMEOUT,
  );

  for (const screen of SCREENS) {
    it(
      `${screen.name} (${screen.width}×${screen.height}): Claims, Claim windows, a draft claim’s panes, a submitted claim and its summary`,
      async () => {
        const checkPage = async (page: Page, name: string) => {
          await page.evaluate(() => window.scrollTo(0, 0));
          await capture(journey, page, name);
          const overflow = await pageOverflow(page);
          expect(overflow.scrollWidth, `${name}: the page scrolls sideways`).toBeLessThanOrEqual(overflow.viewport);
        };

        const pat = await journey.newPage();
        await pat.setViewportSize({ width: screen.width, height: screen.height });
        await journey.signIn(pat, PAT);
        await journey.goto(pat, '/ZP1001/claims');
        await pat.getByRole('heading', { name: 'Claims', level: 1 }).waitFor({ timeout: 30_000 });
        await pat.getByRole('button', { name: 'New Claim' }).or(pat.getByRole('link', { name: /^\d+$/ }).first()).first().waitFor({ timeout: 30_000 });
        if (patDraft) {
          // Both open windows are held by Pat's draft: no New Claim, and the page names the draft to finish.
          await pat.getByText('There is no New Claim button today').waitFor({ timeout: 30_000 });
          await pat.getByRole('alert').or(pat.locator('.ant-alert')).getByRole('link', { name: `Claim ${patDraftNumber}` }).first().waitFor();
        }
        await checkPage(pat, `claims-${screen.name}-01-list`);

        await journey.goto(pat, '/ZP1001/claim-windows');
        await pat.getByRole('table', { name: 'Claim windows' }).getByText('Q3 2025/26').first().waitFor({ timeout: 30_000 });
        await checkPage(pat, `claims-${screen.name}-02-windows`);

        // Pat's draft (started once, on the first screen size), with both services' components on it.
        if (!patDraft) {
          const draft = await startClaim(journey, pat, 'ZP1001');
          patDraft = draft.id;
          patDraftNumber = draft.number;
          await pat.getByRole('button', { name: 'Add All services to the Components pane' }).click({ timeout: 30_000 });
          await pat.getByRole('button', { name: 'Add All components to the claim' }).click();
          await pat.getByLabel('Units Complex care plan created', { exact: true }).waitFor({ timeout: 30_000 });
          await enterUnits(journey, pat, patDraft, 'Complex care plan created', 12);
        } else {
          await journey.goto(pat, `/ZP1001/claims/${patDraft}`);
          await pat.getByLabel('Units Complex care plan created', { exact: true }).waitFor({ timeout: 30_000 });
        }
        await checkPage(pat, `claims-${screen.name}-03-draft-claim`);
        // The Units box and its line's name stay on the screen.
        for (const label of ['Units Complex care plan created', 'Units Ear irrigation']) {
          const box = (await pat.getByLabel(label, { exact: true }).boundingBox())!;
          expect(box.x + box.width, `${label} fits`).toBeLessThanOrEqual(screen.width);
        }
        await journey.assertNoProblems(pat);
        await pat.context().close();

        const harper = await journey.newPage();
        await harper.setViewportSize({ width: screen.width, height: screen.height });
        await journey.signIn(harper, HARPER);
        const submitted = harperClaims.at(-1);
        expect(submitted, 'Harper’s claims were made in the first step').toBeTruthy();
        await journey.goto(harper, `/ZP2001/claims/${submitted!.id}`);
        await harper.getByRole('heading', { name: 'Status timeline' }).waitFor({ timeout: 30_000 });
        await harper.getByText('inr-monitoring-log.pdf', { exact: true }).waitFor({ timeout: 30_000 });
        await checkPage(harper, `claims-${screen.name}-04-submitted-claim`);
        await journey.goto(harper, `/ZP2001/claims/${submitted!.id}/summary`);
        await harper.getByRole('heading', { name: `Claim ${submitted!.number} submitted` }).waitFor({ timeout: 30_000 });
        await checkPage(harper, `claims-${screen.name}-05-summary`);
        await journey.assertNoProblems(harper);
        await harper.context().close();
      },
      STEP_TIMEOUT,
    );
  }
});
