// Journey of issue 13's payment runs, in Chromium against a fresh stack with
// the demo data, its payment deliveries every few seconds and the stack's
// payment-system SIMULATOR (the real payment system cannot run here). First
// Riverside's claim 36002 is taken through its review by its real people over
// the API (Ash approves it for the practice, the system review passes it,
// Taylor and Jordan approve it), so that Pat has a claim to be paid. Then, in
// the portal: Morgan (Finance) approves the high-band claim waiting for
// Finance (36005) on its review page, creates a payment run (Preview, then
// Create Payment Run), sends it, downloads its XLSX and checks the file's
// control total against the run's total (read with exceljs); the simulator
// acknowledges the run (its API, as its page's Acknowledge does) and Pat sees
// "Paid" on her claim and on Payments. The list, New Payment Run, a run's page
// and Payments are photographed at 1280, 1024 and 390 px and checked with axe.
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, JOURNEY_CLOSE_TIMEOUT, JOURNEY_START_TIMEOUT, startJourney, type Journey } from '../harness.ts';

const MORGAN = 'finance@northshire.example';
const PAT = 'practice.user@riverside.example';
const ASH = 'practice.approver@riverside.example';
const TAYLOR = 'tier1@northshire.example';
const JORDAN = 'tier2@northshire.example';
/** Claim 36002 (Riverside, Ash's task) and 36005 (Bridge Street, high band, waiting for Finance): supabase/seed.sql. */
const CLAIM_36002 = '3a000000-0000-4000-8000-000000000002';
const CLAIM_36005 = '3a000000-0000-4000-8000-000000000005';
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
    await journey.screenshot(page, `payment-runs-${name}-${screen.name}`);
    await journey.checkAccessibility(page, `payment-runs-${name}-${screen.name}`).catch((error: Error) => {
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

/** A demo person's access token (the password grant, as supabase-js signs in). */
async function signInOverApi(journey: Journey, email: string): Promise<string> {
  const response = await fetch(`${journey.stack.apiUrl}/auth/v1/token?grant_type=password`, {
    method: 'POST',
    headers: { apikey: journey.stack.anonKey, 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  expect(response.status, `${email} signs in`).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** public.<name>(args) as the person whose token this is: the database decides, as for the portal. */
async function rpcAs(journey: Journey, token: string, name: string, args: Record<string, unknown>): Promise<unknown> {
  const response = await fetch(`${journey.stack.apiUrl}/rest/v1/rpc/${name}`, {
    method: 'POST',
    headers: { apikey: journey.stack.anonKey, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(args),
  });
  const body = (await response.json()) as unknown;
  expect(response.status, `${name}: ${JSON.stringify(body)}`).toBe(200);
  return body;
}

async function claimStatus(journey: Journey, id: string): Promise<string | undefined> {
  const [row] = await journey.sql<{ status: string }[]>`select status::text from public.claims where id = ${id}`;
  return row?.status;
}

interface RunRow {
  id: string;
  run_number: string;
  status: string;
  claim_count: number;
  total: string;
  payment_date: string;
}

async function runById(journey: Journey, id: string): Promise<RunRow | undefined> {
  const [row] = await journey.sql<RunRow[]>`
    select id, run_number::text, status::text, claim_count, total::text, payment_date::text from public.payment_runs where id = ${id}`;
  return row;
}

/** A calendar day a week ahead, as the date picker takes it and as Postgres stores it. */
function aWeekAhead(): { typed: string; iso: string } {
  const day = new Date(Date.now() + 7 * 24 * 3600 * 1000);
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: '2-digit', month: '2-digit', year: 'numeric' }).formatToParts(day);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return { typed: `${part('day')}/${part('month')}/${part('year')}`, iso: `${part('year')}-${part('month')}-${part('day')}` };
}

describe('journey: Finance approves, creates, sends and downloads a payment run; the payment-system simulator acknowledges; the practice sees Paid', () => {
  let journey: Journey;
  let runId = '';
  let run: RunRow | undefined;

  beforeAll(async () => {
    journey = await startJourney('payment-runs', { paymentDeliveries: true });
  }, JOURNEY_START_TIMEOUT);

  afterAll(async () => {
    await journey?.close();
    expect(axeFailures, axeFailures.join('\n')).toEqual([]);
  }, JOURNEY_CLOSE_TIMEOUT);

  it(
    'Riverside’s claim 36002 is approved by its practice, passes the system review and both review tiers (its people, over the API)',
    async () => {
      expect(await claimStatus(journey, CLAIM_36002)).toBe('pending_provider_approval');
      await rpcAs(journey, await signInOverApi(journey, ASH), 'approve_claim_as_provider', { p_claim_id: CLAIM_36002 });
      // The stack's system review (every few seconds) checks its file and sends it on to Tier 1.
      await expect.poll(() => claimStatus(journey, CLAIM_36002), { timeout: 60_000, interval: 1_000 }).toBe('pending_tier1_review');
      const [tier1] = (await rpcAs(journey, await signInOverApi(journey, TAYLOR), 'review_claims', {
        p_claim_ids: [CLAIM_36002],
        p_note: null,
        p_expected_status: 'pending_tier1_review',
      })) as Array<{ ok: boolean; message: string }>;
      expect(tier1?.ok, tier1?.message).toBe(true);
      const [tier2] = (await rpcAs(journey, await signInOverApi(journey, JORDAN), 'review_claims', {
        p_claim_ids: [CLAIM_36002],
        p_note: null,
        p_expected_status: 'pending_tier2_review',
      })) as Array<{ ok: boolean; message: string }>;
      expect(tier2?.ok, tier2?.message).toBe(true);
      expect(await claimStatus(journey, CLAIM_36002)).toBe('approved_for_payment');
    },
    STEP_TIMEOUT,
  );

  it(
    'Morgan approves the high-band claim 36005 on its review page, then previews and creates a payment run',
    async () => {
      const page = await journey.newPage();
      await journey.signIn(page, MORGAN);
      await journey.goto(page, `/ZN1/claims-review/${CLAIM_36005}`);
      await page.getByRole('heading', { name: 'Review claim 36005', level: 1 }).waitFor({ timeout: 30_000 });
      await page.getByRole('button', { name: 'Approve', exact: true }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Approve the claim' }).click();
      await expect.poll(() => claimStatus(journey, CLAIM_36005), { timeout: 15_000 }).toBe('approved_for_payment');

      // What a run takes now, as the database holds it: every ZN1 claim approved for payment and outside a run.
      const [waiting] = await journey.sql<{ n: number; total: string }[]>`
        select count(*)::int as n, coalesce(sum(total), 0)::text as total from public.claims
        where commissioner_id = (select id from public.organisations where ods_code = 'ZN1')
          and status = 'approved_for_payment' and payment_run_id is null`;
      expect(waiting!.n).toBeGreaterThanOrEqual(2);

      await journey.goto(page, '/ZN1/payment-runs');
      await page.getByRole('heading', { name: 'Payment runs', level: 1 }).waitFor({ timeout: 30_000 });
      await page.getByRole('link', { name: 'Run 9001' }).waitFor({ timeout: 30_000 });
      await captureAtEveryWidth(journey, page, 'list');

      await page.getByRole('button', { name: 'New Payment Run' }).click();
      await journey.waitForPath(page, '/ZN1/payment-runs/new');
      const date = aWeekAhead();
      const picker = page.getByLabel('Payment date');
      await picker.click();
      await picker.fill(date.typed);
      await picker.press('Enter');
      await page.getByRole('button', { name: 'Preview' }).click();
      await page.getByRole('heading', { name: `Preview for ${date.typed}` }).waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('preview-count').innerText()).toBe(String(waiting!.n));
      expect(await page.getByTestId('preview-total').innerText()).toBe(money(waiting!.total));
      await page.getByRole('table', { name: 'Per provider' }).getByText('Riverside Medical Centre (ZP1001)').waitFor();
      await captureAtEveryWidth(journey, page, 'new-run');

      await page.getByRole('button', { name: 'Create Payment Run' }).click();
      const shown = await journey.waitForPath(page, /^\/ZN1\/payment-runs\/[0-9a-f-]{36}$/);
      runId = shown.split('/').at(-1)!;
      run = await runById(journey, runId);
      expect(run).toMatchObject({ status: 'draft', claim_count: waiting!.n, total: waiting!.total, payment_date: date.iso });
      await page.getByRole('heading', { name: `Run ${run!.run_number}`, level: 1 }).waitFor({ timeout: 30_000 });
      // The claims listed add up to the run's total, which the page shows beneath them.
      const [sum] = await journey.sql<{ total: string }[]>`select sum(amount)::text as total from public.payment_run_claims where run_id = ${runId}`;
      expect(pence(sum!.total)).toBe(pence(run!.total));
      await expect.poll(() => page.getByTestId('claims-total').innerText(), { timeout: 15_000 }).toBe(money(run!.total));
      await page.getByRole('table', { name: 'Claims in the run' }).getByRole('link', { name: '36002' }).waitFor();
      await journey.assertNoProblems(page);
      await page.close();
    },
    STEP_TIMEOUT,
  );

  it(
    'Morgan sends the run (the confirmation names its count and total) and downloads its XLSX, whose control total is the run’s',
    async () => {
      const page = await journey.newPage();
      await journey.signIn(page, MORGAN);
      await journey.goto(page, `/ZN1/payment-runs/${runId}`);
      await page.getByRole('heading', { name: `Run ${run!.run_number}`, level: 1 }).waitFor({ timeout: 30_000 });
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText(`${run!.claim_count} claims, total ${money(run!.total)}`).waitFor();
      await dialog.getByRole('button', { name: 'Send the run' }).click();
      await expect.poll(async () => (await runById(journey, runId))?.status, { timeout: 15_000 }).toBe('sent');
      expect(await claimStatus(journey, CLAIM_36002)).toBe('sent');
      await page.getByRole('button', { name: 'Send', exact: true }).waitFor({ state: 'detached', timeout: 15_000 });
      await captureAtEveryWidth(journey, page, 'detail-sent');

      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByRole('button', { name: 'Download XLSX' }).click()]);
      expect(download.suggestedFilename()).toBe(`payment-run-${run!.run_number}-${run!.payment_date}.xlsx`);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(await download.path());
      const sheet = workbook.worksheets[0]!;
      const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
      expect(header).toEqual(['Provider ODS code', 'Provider name', 'Claim ID', 'Service', 'Component', 'Period', 'Units', 'Unit price', 'Amount']);
      const last = sheet.getRow(sheet.actualRowCount);
      expect(last.getCell(1).value).toBe('Control total');
      expect(last.getCell(3).value).toBe(run!.claim_count);
      // The file's control total is the run's total, to the penny; so is the sum of its lines.
      expect(pence(last.getCell(9).value as number)).toBe(pence(run!.total));
      let lines = 0;
      for (let row = 2; row < sheet.actualRowCount; row += 1) lines += pence(sheet.getRow(row).getCell(9).value as number);
      expect(lines).toBe(pence(run!.total));
      await journey.assertNoProblems(page);
      await page.close();
    },
    STEP_TIMEOUT,
  );

  it(
    'the payment-system simulator receives the run and acknowledges it; the run is acknowledged and its claims paid',
    async () => {
      const api = journey.stack.apiUrl;
      // The stack's delivery job sends the run to the simulator within seconds.
      let received: { id: string; state: string } | undefined;
      await expect
        .poll(
          async () => {
            const response = await fetch(`${api}/payment-system/v1/runs?run_id=${runId}`);
            const runs = response.ok ? ((await response.json()) as Array<{ id: string; state: string }>) : [];
            received = runs[0];
            return received?.state;
          },
          { timeout: 90_000, interval: 1_000 },
        )
        .toBeTruthy();
      if (received!.state !== 'acknowledged') {
        const answer = await fetch(`${api}/payment-system/v1/runs/${received!.id}/acknowledge`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${journey.stack.serviceRoleKey}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ reference: `JOURNEY-${run!.run_number}` }),
        });
        expect(answer.status, await answer.clone().text()).toBe(200);
      }
      await expect.poll(async () => (await runById(journey, runId))?.status, { timeout: 30_000 }).toBe('acknowledged');
      expect(await claimStatus(journey, CLAIM_36002)).toBe('paid');
      expect(await claimStatus(journey, CLAIM_36005)).toBe('paid');

      const page = await journey.newPage();
      await journey.signIn(page, MORGAN);
      await journey.goto(page, `/ZN1/payment-runs/${runId}`);
      await page.getByText(/^Acknowledged on .*: the claims are paid\.$/).waitFor({ timeout: 30_000 });
      await captureAtEveryWidth(journey, page, 'detail-acknowledged');
      await journey.assertNoProblems(page);
      await page.close();
    },
    STEP_TIMEOUT,
  );

  it(
    'Pat sees “Paid” with the payment date on her claim and on Payments',
    async () => {
      const page = await journey.newPage();
      await journey.signIn(page, PAT);
      await journey.goto(page, `/ZP1001/claims/${CLAIM_36002}`);
      await page.getByRole('heading', { name: 'Claim 36002', level: 1 }).waitFor({ timeout: 30_000 });
      await page.getByText('Paid', { exact: true }).first().waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('header-payment-date').innerText()).toBe(ukDate(run!.payment_date));

      await journey.goto(page, '/ZP1001/payments');
      await page.getByRole('heading', { name: 'Payments', level: 1 }).waitFor({ timeout: 30_000 });
      const row = page.getByRole('table', { name: 'Claims sent for payment and paid' }).getByRole('row').filter({ has: page.getByRole('link', { name: '36002' }) });
      await row.getByText('Paid', { exact: true }).waitFor({ timeout: 30_000 });
      await row.getByText(ukDate(run!.payment_date)).waitFor();
      const [claim] = await journey.sql<{ total: string }[]>`select total::text from public.claims where id = ${CLAIM_36002}`;
      expect(await row.getByTestId('claim-total-36002').innerText()).toBe(money(claim!.total));
      await captureAtEveryWidth(journey, page, 'payments');
      await journey.assertNoProblems(page);
      await page.close();
    },
    STEP_TIMEOUT,
  );
});

/** "2026-12-14" → "14/12/2026". */
function ukDate(iso: string): string {
  const [year, month, day] = iso.split('-');
  return `${day}/${month}/${year}`;
}
