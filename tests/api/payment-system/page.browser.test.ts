// The payment-system SIMULATOR's page in real Chromium (Debian's
// /usr/bin/chromium through playwright-core): a simulator of the real payment
// system, with its own store in a temporary directory (tests/api/payment-system/helpers.ts).
// Three runs arrive, one with a hostile commissioner name; a person rejects
// one with a reason and acknowledges another using only the keyboard-usable
// forms. No axe violations; nothing from a run runs; readable at 1280, 1024
// and 390 px (screenshots in test-results/payment-system-<width>.png).
import path from 'node:path';
import fs from 'node:fs/promises';
import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleFiles, sampleRun, startSimulator, type SimulatorHarness } from './helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const RESULTS = path.resolve('test-results');

let harness: SimulatorHarness;
let browser: Browser;
let page: Page;
const dialogs: string[] = [];
const hostileName = '<img src=x onerror=alert(1)> Northshire "ICB"';
const runs = [sampleRun(), sampleRun({ commissioner: { id: '0a000000-0000-4000-8000-000000000020', ods_code: 'ZS1', name: hostileName } }), sampleRun({ total: '1234567.80' })];

async function axeViolations(): Promise<string[]> {
  await page.addScriptTag({ content: axe.source });
  return page.evaluate(async () => {
    const runner = (window as unknown as { axe: typeof import('axe-core') }).axe;
    const result = await runner.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`);
  });
}

beforeAll(async () => {
  harness = await startSimulator();
  for (const run of runs) expect(await harness.paymentSystem.sendRun(run, sampleFiles(run.run_number))).toEqual({ accepted: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  // The page forbids scripts (CSP); axe is injected past it, as a tester's extension would be.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', timezoneId: 'America/New_York', bypassCSP: true });
  page = await context.newPage();
  page.setDefaultTimeout(5_000);
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await fs.mkdir(RESULTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

describe('GET /payment-system/ in Chromium (the SIMULATED payment system)', () => {
  it('lists the runs received, says it is a simulator, and shows hostile names as text', async () => {
    await page.goto(`${harness.url}/payment-system/`);
    await expect(page.title()).resolves.toBe('Payment system simulator – Commissioning portal');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Payment system simulator');
    expect(await page.locator('.lede').textContent()).toContain('not the real payment system');
    expect(await page.locator('article h2').allTextContents()).toEqual(runs.map((run) => `Run ${run.run_number} · try 1`).reverse());
    const hostile = page.locator('article').nth(1);
    expect(await hostile.locator('dd').first().textContent()).toBe(`ZS1 ${hostileName}`);
    expect(await page.locator('article img').count()).toBe(0);
    expect(await page.locator('article').first().locator('dd').nth(3).textContent()).toBe('£1,234,567.80');
    expect(await page.locator('article').first().locator('dd').nth(1).textContent()).toBe('15/12/2026');
    expect(await page.getByRole('link', { name: `payment-run-${runs[0]!.run_number}-2026-12-15.xlsx` }).count()).toBe(1);
    expect(await axeViolations()).toEqual([]);
    expect(dialogs).toEqual([]);
  });

  it('Reject with reason needs a reason, then answers the portal; Acknowledge answers at once', async () => {
    await page.goto(`${harness.url}/payment-system/`);
    const first = runs[0]!;
    const article = page.locator('article', { has: page.getByRole('heading', { name: `Run ${first.run_number} · try 1` }) });
    // The reason is required: the browser keeps the form until it is given.
    await article.getByRole('button', { name: 'Reject with reason' }).click();
    expect(await article.getByLabel(`Reason for rejecting Run ${first.run_number}`).evaluate((el) => (el as HTMLTextAreaElement).validity.valueMissing)).toBe(true);
    expect(harness.answers).toEqual([]);
    await article.getByLabel(`Reason for rejecting Run ${first.run_number}`).fill('Bank details missing for ZP1004');
    await article.getByRole('button', { name: 'Reject with reason' }).click();
    await page.waitForURL(/answered=/);
    expect(await page.getByRole('status').textContent()).toBe(`Run ${first.run_number} rejected; the portal recorded the answer.`);
    expect(harness.answers).toEqual([expect.objectContaining({ run_id: first.run_id, acknowledged: false, reason: 'Bank details missing for ZP1004' })]);

    const third = runs[2]!;
    await page.locator('article', { has: page.getByRole('heading', { name: `Run ${third.run_number} · try 1` }) }).getByRole('button', { name: 'Acknowledge' }).click();
    await page.waitForURL(new RegExp(`answered=${third.run_id}`));
    expect(await page.getByRole('status').textContent()).toBe(`Run ${third.run_number} acknowledged; the portal recorded the answer.`);
    expect(await page.locator('article.acknowledged dd.state').allTextContents()).toEqual(['Acknowledged']);
    expect(await page.locator('article.rejected dd.state').allTextContents()).toEqual(['Rejected']);
    // Answered runs offer no more buttons.
    expect(await page.getByRole('button', { name: 'Acknowledge' }).count()).toBe(1);
    expect(await axeViolations()).toEqual([]);
  });

  it('fits 1280, 1024 and 390 px without sideways scrolling', async () => {
    for (const width of [1280, 1024, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${harness.url}/payment-system/`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${width} px`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: path.join(RESULTS, `payment-system-${width}.png`), fullPage: true });
    }
  });
});
