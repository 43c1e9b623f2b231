// Journey of issue 13's review in Chromium against a fresh stack with the demo
// data: Casey Cluster (Tier 1 for ZP1001/ZP1002 only) never sees Hill Top's
// (ZP1004) claim, in her queue or by typing its review address; Taylor
// Tier-One approves Hill Top's claim with a note and declines Pat's with a
// reason, the menu's count of waiting claims going down with each; Pat reads
// the decline, resubmits unchanged (refused, with the database's message),
// changes the units and resubmits; Jordan Tier-Two approves a medium claim
// (→ approved for payment) on its review page and a high one (→ Finance) with
// Approve selected. The queue and the review page are photographed at 1280,
// 1024 and 390 px (test-results/claims-review-*.png); every shot is checked
// with axe.
//
// Pat's claim is made before the journey through the claim actions as Pat
// and Ash (supabase-js): the practice's own journey is tests/e2e/journeys/claims.test.ts.
import { createClient } from '@supabase/supabase-js';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, JOURNEY_CLOSE_TIMEOUT, JOURNEY_START_TIMEOUT, startJourney, type Journey } from '../harness.ts';

const PAT = 'practice.user@riverside.example';
const ASH = 'practice.approver@riverside.example';
const TAYLOR = 'tier1@northshire.example';
const JORDAN = 'tier2@northshire.example';
const CASEY = 'cluster.reviewer@northshire.example';
const ZP1001 = '0a000000-0000-4000-8000-000000001001';
const DEPOT_INJECTION = '1b000000-0000-4000-8000-000000000004';
const DEPOT_QUALIFIED = '1c000000-0000-4000-8000-000000000001';
const DEPOT_UNITS = 'Depot injection administered';
/** Demo claims (supabase/seed.sql): 3a…NN is claim 360NN. */
const seeded = (n: number) => `3a000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const HILL_TOP_TIER1 = seeded(10); // 36010, ZP1004: outside Casey's cluster
const HIGH_TIER2 = seeded(13); // 36013, ZP1003, £52,500.00
const MEDIUM_TIER2 = seeded(14); // 36014, ZP1004, £17,500.00
const STEP_TIMEOUT = 180_000;
const SCREENS = [
  { name: '1280', width: 1280, height: 720 },
  { name: '1024', width: 1024, height: 768 },
  { name: '390', width: 390, height: 844 },
] as const;

const axeFailures: string[] = [];

// supabase-js builds its realtime client eagerly, which on Node 20 (no global
// WebSocket) needs a transport; the setup never opens a socket.
class NoRealtime {
  constructor() {
    throw new Error('realtime is not used by the journey’s setup');
  }
}

async function capture(journey: Journey, page: Page, name: string): Promise<void> {
  // From the top, and not hovering what was just clicked: the page as it rests.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.mouse.move(1, 700);
  await journey.screenshot(page, name);
  await journey.checkAccessibility(page, name).catch((error: Error) => {
    axeFailures.push(error.message);
  });
}

/** The queue and the review page at the three widths the portal supports, back at 1280 after. */
async function captureAtEveryWidth(journey: Journey, page: Page, name: string): Promise<void> {
  for (const screen of SCREENS) {
    await page.setViewportSize({ width: screen.width, height: screen.height });
    await journey.settle(page);
    await capture(journey, page, `${name}-${screen.name}`);
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}

async function statusOf(journey: Journey, claimId: string): Promise<string | undefined> {
  const [row] = await journey.sql<{ status: string }[]>`select status::text from public.claims where id = ${claimId}`;
  return row?.status;
}

/** The menu entry, with the count of claims waiting for the signed-in reviewer's steps in its name. */
function reviewMenuLink(page: Page, waiting: number) {
  const name = waiting === 0 ? 'Claims review' : `Claims review (${waiting} waiting for you)`;
  return page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name, exact: true });
}

/** The queue's row of a claim (its Claim ID links to the review page). */
function queueRow(page: Page, claimNumber: string) {
  return page.getByRole('row').filter({ has: page.getByRole('link', { name: claimNumber, exact: true }) });
}

describe('journey: Tier 1, Tier 2 and the cluster reviewer review claims; the practice resubmits a declined one', () => {
  let journey: Journey;
  let patClaimId = '';
  let patClaimNumber = '';

  beforeAll(async () => {
    journey = await startJourney('claims-review');
    // Pat's Depot claim for Q3 (20 injections, £250.00), submitted and approved by Ash: it waits for Tier 1.
    const as = async (email: string) => {
      const client = createClient(journey.stack.apiUrl, journey.stack.anonKey, {
        auth: { persistSession: false, autoRefreshToken: false },
        realtime: { transport: NoRealtime as never },
      });
      const { error } = await client.auth.signInWithPassword({ email, password: DEMO_PASSWORD });
      if (error) throw error;
      return async <T>(fn: string, args: Record<string, unknown>): Promise<T> => {
        const { data, error: failure } = await client.rpc(fn as never, args as never);
        if (failure) throw new Error(`${fn}: ${failure.message}`);
        return data as T;
      };
    };
    const pat = await as(PAT);
    const started = await pat<{ id: string; claim_number: number }>('start_claim', { p_provider_id: ZP1001 });
    patClaimId = started.id;
    patClaimNumber = String(started.claim_number);
    await pat('add_claim_lines', { p_claim_id: patClaimId, p_component_ids: [DEPOT_INJECTION] });
    const [line] = await journey.sql<{ id: string }[]>`select id from public.claim_lines where claim_id = ${patClaimId}`;
    await pat('set_claim_line_units', { p_line_id: line!.id, p_units: 20 });
    await pat('set_claim_answer', { p_claim_id: patClaimId, p_question_id: DEPOT_QUALIFIED, p_answer_yes: true, p_answer_text: null });
    expect(await pat<{ ok: boolean; status: string }>('submit_claim', { p_claim_id: patClaimId })).toMatchObject({ ok: true, status: 'pending_provider_approval' });
    await (await as(ASH))('approve_claim_as_provider', { p_claim_id: patClaimId });
    expect(await statusOf(journey, patClaimId)).toBe('pending_tier1_review');
  }, JOURNEY_START_TIMEOUT);

  afterAll(async () => {
    await journey?.close();
    expect(axeFailures, axeFailures.join('\n')).toEqual([]);
  }, JOURNEY_CLOSE_TIMEOUT);

  it(
    'Casey (cluster ZP1001/ZP1002) sees her cluster’s Tier 1 claims, never Hill Top’s: not in the queue, not at its address',
    async () => {
      const page = await journey.newPage();
      await journey.signIn(page, CASEY);
      await journey.goto(page, '/ZN1/claims-review');
      // 36004 (ZP1002) and Pat's (ZP1001): two wait for her.
      await reviewMenuLink(page, 2).waitFor({ timeout: 30_000 });
      await page.getByRole('tab', { name: 'Tier 1 (2)' }).waitFor({ timeout: 30_000 });
      for (const number of ['36004', patClaimNumber]) await queueRow(page, number).waitFor();
      expect(await queueRow(page, '36010').count()).toBe(0);
      expect(await page.getByText('Hill Top', { exact: false }).count()).toBe(0);
      await capture(journey, page, 'claims-review-01-casey-queue');

      // Typing Hill Top's review address shows nothing of it.
      await journey.goto(page, `/ZN1/claims-review/${HILL_TOP_TIER1}`);
      await page.getByText('This claim could not be found, or you cannot review it').waitFor({ timeout: 30_000 });
      expect(await page.getByText('36010').count()).toBe(0);
      expect(await page.getByText('Hill Top', { exact: false }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
      // Nor did any answer carry it.
      const leaked = (await journey.apiResponses(page)).filter((call) => call.body.includes(HILL_TOP_TIER1) && call.body.includes('36010'));
      expect(leaked.map((call) => call.url)).toEqual([]);
      await capture(journey, page, 'claims-review-02-casey-hill-top-address');
      await journey.assertNoProblems(page);
      await journey.signOut(page);
    },
    STEP_TIMEOUT,
  );

  it(
    'Taylor approves Hill Top’s claim with a note and declines Pat’s with a reason; the menu’s count follows',
    async () => {
      const page = await journey.newPage();
      await journey.signIn(page, TAYLOR);
      await journey.goto(page, '/ZN1/claims-review');
      // 36004, 36010 and Pat's.
      await reviewMenuLink(page, 3).waitFor({ timeout: 30_000 });
      await queueRow(page, '36010').waitFor({ timeout: 30_000 });
      await queueRow(page, patClaimNumber).waitFor();
      await captureAtEveryWidth(journey, page, 'claims-review-03-tier1-queue');

      await queueRow(page, '36010').getByRole('link', { name: '36010', exact: true }).click();
      await journey.waitForPath(page, `/ZN1/claims-review/${HILL_TOP_TIER1}`);
      await page.getByRole('heading', { name: 'Review claim 36010', level: 1 }).waitFor({ timeout: 30_000 });
      await page.getByText('Claim 36010 waits for Tier 1 review').waitFor();
      await page.getByRole('heading', { name: 'Notes and reasons' }).waitFor();
      await captureAtEveryWidth(journey, page, 'claims-review-04-review-page');

      await page.getByRole('button', { name: 'Approve', exact: true }).click();
      const approveDialog = page.getByRole('dialog');
      await approveDialog.getByText('Approve claim 36010 at Tier 1?').filter({ visible: true }).waitFor();
      await approveDialog.getByLabel('Note (optional)').fill('Depot register checked: 27 injections match.');
      await capture(journey, page, 'claims-review-05-approve-with-note');
      await approveDialog.getByRole('button', { name: 'Approve the claim' }).click();
      await page.getByText('Claim 36010: pending tier2 review.').waitFor({ timeout: 30_000 });
      expect(await statusOf(journey, HILL_TOP_TIER1)).toBe('pending_tier2_review');
      const [audit] = await journey.sql<{ reason: string }[]>`
        select reason from public.audit_log where entity_id = ${HILL_TOP_TIER1} and action = 'claim.tier_one_approve'`;
      expect(audit?.reason).toBe('Depot register checked: 27 injections match.');
      // The note is on the page, and the menu's count is already one lower.
      await page.getByTestId('review-note').filter({ hasText: 'Depot register checked: 27 injections match.' }).waitFor({ timeout: 30_000 });
      await page.getByText('Note: Depot register checked: 27 injections match.').waitFor();
      await reviewMenuLink(page, 2).waitFor({ timeout: 15_000 });
      await capture(journey, page, 'claims-review-06-approved');

      // Pat's claim: declined with a reason (required).
      await journey.goto(page, `/ZN1/claims-review/${patClaimId}`);
      await page.getByRole('heading', { name: `Review claim ${patClaimNumber}`, level: 1 }).waitFor({ timeout: 30_000 });
      await page.getByRole('button', { name: 'Decline', exact: true }).click();
      const declineDialog = page.getByRole('dialog');
      await declineDialog.getByRole('button', { name: 'Decline the claim' }).click();
      await declineDialog.getByText('Give a reason for declining the claim.').waitFor();
      const reason = 'The depot register shows 18 injections this quarter, not 20: correct the units and resubmit.';
      await declineDialog.getByLabel('Reason').fill(reason);
      await capture(journey, page, 'claims-review-07-decline-reason');
      await declineDialog.getByRole('button', { name: 'Decline the claim' }).click();
      await page.getByText(`Claim ${patClaimNumber} was declined`).first().waitFor({ timeout: 30_000 });
      expect(await statusOf(journey, patClaimId)).toBe('declined');
      await page.getByText(`Reason for declining: ${reason}`).waitFor({ timeout: 30_000 });
      await reviewMenuLink(page, 1).waitFor({ timeout: 15_000 });
      await capture(journey, page, 'claims-review-08-declined');
      await journey.assertNoProblems(page);
      await journey.signOut(page);
    },
    STEP_TIMEOUT,
  );

  it(
    'Pat reads the decline; resubmitting unchanged is refused with the database’s message; with the units changed it goes',
    async () => {
      expect(await statusOf(journey, patClaimId)).toBe('declined');
      const page = await journey.newPage();
      await journey.signIn(page, PAT);
      await journey.goto(page, `/ZP1001/claims/${patClaimId}`);
      await page.getByText('This claim was declined').waitFor({ timeout: 30_000 });
      await page.getByText('The depot register shows 18 injections this quarter, not 20', { exact: false }).first().waitFor();
      await capture(journey, page, 'claims-review-09-pat-declined');

      await page.getByRole('button', { name: 'Submit', exact: true }).click();
      await page.getByText(`Claim ${patClaimNumber} is unchanged since it was declined`, { exact: false }).first().waitFor({ timeout: 30_000 });
      expect(await statusOf(journey, patClaimId)).toBe('declined');
      await capture(journey, page, 'claims-review-10-unchanged-refused');

      const units = page.getByLabel(`Units ${DEPOT_UNITS}`, { exact: true });
      await units.fill('18');
      await units.press('Enter');
      await expect
        .poll(async () => (await journey.sql<{ units: number }[]>`select units from public.claim_lines where claim_id = ${patClaimId}`)[0]?.units, {
          timeout: 15_000,
        })
        .toBe(18);
      await journey.settle(page);
      await page.getByRole('button', { name: 'Submit', exact: true }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText(`Submit claim ${patClaimNumber}?`).filter({ visible: true }).waitFor({ timeout: 30_000 });
      await dialog.getByRole('button', { name: 'Submit', exact: true }).click();
      await page.getByRole('heading', { name: `Claim ${patClaimNumber} submitted` }).waitFor({ timeout: 30_000 });
      // Riverside is two-step: Ash approves it again before Tier 1 sees it afresh.
      expect(await statusOf(journey, patClaimId)).toBe('pending_provider_approval');
      await capture(journey, page, 'claims-review-11-resubmitted');
      await journey.assertNoProblems(page);
      await journey.signOut(page);
    },
    STEP_TIMEOUT,
  );

  it(
    'Jordan approves the medium claim (→ approved for payment) on its page and the high one (→ Finance) with Approve selected',
    async () => {
      const page = await journey.newPage();
      await journey.signIn(page, JORDAN);
      await journey.goto(page, '/ZN1/claims-review');
      // 36007, 36013, 36014 and Hill Top's 36010 (Taylor's approval).
      await reviewMenuLink(page, 4).waitFor({ timeout: 30_000 });
      await page.getByRole('tab', { name: 'Tier 2 (4)' }).waitFor({ timeout: 30_000 });
      await queueRow(page, '36014').getByText('Medium').waitFor();
      await queueRow(page, '36013').getByText('High').waitFor();
      await capture(journey, page, 'claims-review-12-tier2-queue');

      await queueRow(page, '36014').getByRole('link', { name: '36014', exact: true }).click();
      await journey.waitForPath(page, `/ZN1/claims-review/${MEDIUM_TIER2}`);
      await page.getByTestId('risk-reason').getByText('£17,500.00 is at or above the medium band', { exact: false }).waitFor({ timeout: 30_000 });
      await page.getByRole('button', { name: 'Approve', exact: true }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText('Approve claim 36014 at Tier 2?').filter({ visible: true }).waitFor();
      await dialog.getByRole('button', { name: 'Approve the claim' }).click();
      await page.getByText('Claim 36014: approved for payment.').waitFor({ timeout: 30_000 });
      expect(await statusOf(journey, MEDIUM_TIER2)).toBe('approved_for_payment');
      await reviewMenuLink(page, 3).waitFor({ timeout: 15_000 });
      await capture(journey, page, 'claims-review-13-medium-approved');

      await page.getByRole('link', { name: 'Back to Claims review' }).click();
      await journey.waitForPath(page, '/ZN1/claims-review');
      await page.getByRole('checkbox', { name: 'Select claim 36013' }).check({ timeout: 30_000 });
      await page.getByRole('button', { name: 'Approve selected' }).click();
      const bulk = page.getByRole('dialog');
      await bulk.getByText('Approve 1 claim at Tier 2?').filter({ visible: true }).waitFor();
      await bulk.getByLabel('Note (optional)').fill('High band: catch-up clinic confirmed, over to Finance.');
      await bulk.getByRole('button', { name: 'Approve', exact: true }).click();
      await page.getByText('1 approved, 0 not approved').waitFor({ timeout: 30_000 });
      await page.getByText('Claim 36013: pending finance approval.').waitFor();
      expect(await statusOf(journey, HIGH_TIER2)).toBe('pending_finance_approval');
      const [audit] = await journey.sql<{ reason: string }[]>`
        select reason from public.audit_log where entity_id = ${HIGH_TIER2} and action = 'claim.tier_two_approve'`;
      expect(audit?.reason).toBe('High band: catch-up clinic confirmed, over to Finance.');
      await reviewMenuLink(page, 2).waitFor({ timeout: 15_000 });
      await capture(journey, page, 'claims-review-14-high-to-finance');
      await journey.assertNoProblems(page);
      await journey.signOut(page);
    },
    STEP_TIMEOUT,
  );
});
