// End to end: the real portal (Vite dev server) in real Chromium against the
// test stack (gateway + Postgres with migrations and seed) that the `stack`
// project's global setup started. Nothing is mocked.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import postgres from 'postgres';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { formatUkDate } from '../../src/lib/dates.ts';
import { startPortalDevServer, type PortalDevServer } from '../../vite.config.ts';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = path.resolve('test-results/portal-organisations.png');
const SIGN_IN_SCREENSHOT = path.resolve('test-results/portal-sign-in.png');

interface StoredMail {
  to: string;
  kind: string;
  links: string[];
}

/** The newest email of `kind` to `to` in the stack's mailbox, waiting for it to arrive. */
async function latestMail(apiUrl: string, to: string, kind: string): Promise<StoredMail> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${apiUrl}/mail/v1/messages?to=${encodeURIComponent(to)}&kind=${kind}`);
    const messages = (await response.json()) as StoredMail[];
    if (messages[0]) return messages[0];
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no ${kind} email to ${to} arrived`);
}

describe('portal in Chromium against the local stack', () => {
  const stack = inject('stack');
  let portal: PortalDevServer;
  let browser: Browser;
  let page: Page;
  let organisationCount: number;
  let riversideCreatedAt: Date;
  const pageErrors: string[] = [];
  const failedApiCalls: string[] = [];
  const consoleLines: string[] = [];

  beforeAll(async () => {
    const sql = postgres(stack.dbUrl, { max: 1, onnotice: () => undefined });
    try {
      const [row] = await sql<{ n: number }[]>`select count(*)::int as n from public.organisations`;
      organisationCount = row?.n ?? 0;
      const [riverside] = await sql<{ created_at: Date }[]>`
        select created_at from public.organisations where ods_code = 'ZP1001'`;
      if (!riverside) throw new Error('the seed has no ZP1001 (Riverside Medical Centre)');
      riversideCreatedAt = riverside.created_at;
    } finally {
      await sql.end();
    }

    portal = await startPortalDevServer({
      env: { supabaseUrl: stack.apiUrl, supabaseAnonKey: stack.anonKey },
      port: 0,
      logLevel: 'warn',
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const context = await browser.newContext({
      viewport: { width: 1440, height: 1280 },
      locale: 'en-GB',
      // A browser far from London must still see London dates.
      timezoneId: 'America/New_York',
    });
    page = await context.newPage();
    // Warm up: on a fresh checkout Vite optimises dependencies on the first load and may
    // reload the page once; let that happen here, not in the middle of a test.
    const warmUp = await context.newPage();
    await warmUp.goto(`${portal.url}/login`, { waitUntil: 'networkidle', timeout: 90_000 });
    await warmUp.getByText('Sign in to your account').waitFor({ timeout: 60_000 });
    await warmUp.waitForLoadState('networkidle');
    await warmUp.close();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
    page.on('response', (response) => {
      if (response.url().startsWith(stack.apiUrl) && response.status() >= 400) {
        failedApiCalls.push(`${response.status()} ${response.request().method()} ${response.url()}`);
      }
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await portal?.close();
  });

  it('signs up, confirms from the emailed link, signs out and signs back in', async () => {
    const email = `e2e.${Date.now()}@riverside.example`;
    const password = 'Portal-Test-Pass-1';

    // A signed-out visitor is sent to the sign-in page.
    await page.goto(`${portal.url}/organisations`, { waitUntil: 'domcontentloaded' });
    await page.getByText('Sign in to your account').waitFor({ timeout: 60_000 });
    expect(new URL(page.url()).pathname).toBe('/login');
    await mkdir(path.dirname(SIGN_IN_SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SIGN_IN_SCREENSHOT });

    await page.getByRole('link', { name: 'Sign up' }).click();
    // Both pages have Email and Password fields: wait for the sign-up page before typing.
    await expect.poll(() => new URL(page.url()).pathname).toBe('/register');
    await page.getByText('Sign up for your account').waitFor({ timeout: 15_000 });
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page
      .getByText('Check your email')
      .waitFor({ timeout: 15_000 })
      .catch(async (error: Error) => {
        // Say what the page showed instead (an error message, a reload), not just that it timed out.
        const shown = await page.locator('body').innerText().catch(() => '(page unreadable)');
        throw new Error(`${error.message}\nThe page showed:\n${shown.slice(0, 800)}\nAPI errors: ${failedApiCalls.join('; ') || 'none'}\nConsole: ${consoleLines.slice(-15).join(' | ')}`);
      });

    // The confirmation link from the mailbox signs the person in and lands on the portal.
    const mail = await latestMail(stack.apiUrl, email, 'signup');
    const link = mail.links.find((l) => l.includes('/auth/v1/verify'));
    expect(link).toBeDefined();
    await page.goto(link!, { waitUntil: 'domcontentloaded' });
    await page.locator('tr', { hasText: 'Riverside Medical Centre' }).waitFor({ state: 'visible', timeout: 30_000 });

    await page.getByText('Logout').click();
    await page.getByText('Sign in to your account').waitFor({ timeout: 15_000 });
    await expect.poll(() => new URL(page.url()).pathname).toBe('/login');

    // A wrong password is refused with a clear message; the right one signs in.
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('Not-The-Password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The email address or password is not right').first().waitFor({ timeout: 15_000 });
    failedApiCalls.length = 0; // that refusal (400) was the point

    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('tr', { hasText: 'Riverside Medical Centre' }).waitFor({ state: 'visible', timeout: 30_000 });
    expect(pageErrors).toEqual([]);
    expect(failedApiCalls).toEqual([]);
  }, 120_000);

  it('lists the seeded organisations from the database', async () => {
    expect(organisationCount).toBeGreaterThanOrEqual(18);

    // The home page redirects to the organisations list.
    await page.goto(`${portal.url}/`, { waitUntil: 'domcontentloaded' });
    const riverside = page.locator('tr', { hasText: 'Riverside Medical Centre' });
    await riverside.waitFor({ state: 'visible', timeout: 60_000 });
    expect(new URL(page.url()).pathname).toBe('/organisations');
    await expect(page.title()).resolves.toBe('Organisations – Commissioning Portal');

    const cells = await riverside.locator('td').allInnerTexts();
    expect(cells[0]).toBe('ZP1001');
    expect(cells[1]).toBe('Riverside Medical Centre');
    expect(cells[2]).toBe('GP practice');
    expect(cells[3]).toMatch(/^\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}$/);
    expect(cells[3]).toBe(formatUkDate(riversideCreatedAt));

    const icbCells = await page.locator('tr', { hasText: 'NHS Northshire ICB' }).locator('td').allInnerTexts();
    expect(icbCells.slice(0, 3)).toEqual(['ZN1', 'NHS Northshire ICB', 'ICB']);
    const subIcb = await page.locator('tr', { hasText: 'Northshire East' }).locator('td').allInnerTexts();
    expect(subIcb[2]).toBe('Sub-ICB location');

    const shown = Math.min(organisationCount, 20);
    await expect(page.locator('.ant-table-tbody tr.ant-table-row').count()).resolves.toBe(shown);
    await expect(page.getByText(`1–${shown} of ${organisationCount} organisations`).count()).resolves.toBe(1);

    // Sorted by name, as the server returned it.
    const names = await page.locator('.ant-table-tbody tr.ant-table-row td:nth-child(2)').allInnerTexts();
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));

    await mkdir(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    expect(pageErrors).toEqual([]);
    expect(failedApiCalls).toEqual([]);
  }, 120_000);

  it('searches by ODS code through the gateway', async () => {
    await page.getByPlaceholder('Search by name or ODS code').fill('zp1001');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('1–1 of 1 organisation').waitFor({ timeout: 15_000 });
    const rows = await page.locator('.ant-table-tbody tr.ant-table-row').allInnerTexts();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('Riverside Medical Centre');

    // Brackets must be quoted inside PostgREST's or=(…) tree.
    await page.getByPlaceholder('Search by name or ODS code').fill('(demo)');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('.ant-table-tbody tr.ant-table-row', { hasText: 'NHS England (demo)' }).waitFor({ timeout: 15_000 });
    await expect
      .poll(() => page.locator('.ant-table-tbody tr.ant-table-row').allInnerTexts(), { timeout: 15_000 })
      .toEqual([expect.stringContaining('NHS England (demo)')]);

    await page.getByPlaceholder('Search by name or ODS code').fill('no such organisation');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No organisations match your search').waitFor({ timeout: 15_000 });

    expect(pageErrors).toEqual([]);
    expect(failedApiCalls).toEqual([]);
  }, 60_000);

  it('shows the 404 page for an unknown address', async () => {
    await page.goto(`${portal.url}/no-such-page`, { waitUntil: 'domcontentloaded' });
    await page.getByText('Page not found').waitFor({ timeout: 30_000 });
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
