// End to end: the real portal (Vite dev server) in real Chromium against the
// test stack (gateway + Postgres with migrations and seed) that the `stack`
// project's global setup started. Nothing is mocked. Self-registration from
// /register to the emailed confirmation link, and signing in and out. The
// decisions on registrations are tests/e2e/journeys/registrations.test.ts.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import postgres from 'postgres';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startPortalDevServer, type PortalDevServer } from '../../vite.config.ts';

const CHROMIUM = '/usr/bin/chromium';
const RESULTS = path.resolve('test-results');

interface StoredMail {
  to: string;
  kind: string;
  subject: string;
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
  const pageErrors: string[] = [];
  const failedApiCalls: string[] = [];
  const consoleLines: string[] = [];

  /** The path, polled: page.waitForURL does not see client-side navigation. */
  const pathname = () => new URL(page.url()).pathname;

  async function shot(name: string) {
    await mkdir(RESULTS, { recursive: true });
    await page.screenshot({ path: path.join(RESULTS, `portal-${name}.png`), fullPage: true });
  }

  /** Wait for `text`; on timeout say what the page showed instead. */
  async function see(text: string | RegExp, timeout = 15_000) {
    await page
      .getByText(text)
      .first()
      .waitFor({ timeout })
      .catch(async (error: Error) => {
        const shown = await page.locator('body').innerText().catch(() => '(page unreadable)');
        throw new Error(
          `${error.message}\nThe page (${page.url()}) showed:\n${shown.slice(0, 800)}\nAPI errors: ${failedApiCalls.join('; ') || 'none'}\nConsole: ${consoleLines.slice(-15).join(' | ')}`,
        );
      });
  }

  async function signOut() {
    await page.getByRole('button', { name: /^User menu:/ }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await expect.poll(pathname, { timeout: 15_000 }).toBe('/login');
    await page.getByLabel('Email', { exact: true }).waitFor({ timeout: 15_000 });
  }

  beforeAll(async () => {
    portal = await startPortalDevServer({
      env: { supabaseUrl: stack.apiUrl, supabaseAnonKey: stack.anonKey },
      port: 0,
      logLevel: 'warn',
      watch: false,
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
      viewport: { width: 1280, height: 720 },
      locale: 'en-GB',
      // A browser far from London must still see London dates.
      timezoneId: 'America/New_York',
    });
    page = await context.newPage();
    // Warm up: on a fresh checkout Vite optimises dependencies on the first load and may
    // reload the page once; let that happen here, not in the middle of a test.
    const warmUp = await context.newPage();
    await warmUp.goto(`${portal.url}/register`, { waitUntil: 'networkidle', timeout: 90_000 });
    await warmUp.getByRole('button', { name: 'Register' }).waitFor({ timeout: 60_000 });
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

  it('registers for Hill Top Surgery, confirms from the emailed link and waits for approval', async () => {
    const email = `e2e.${Date.now()}@hilltop.example`;
    const password = 'Portal-Test-Pass-1';

    // A signed-out visitor is sent to the sign-in page, which links to registration.
    await page.goto(`${portal.url}/`, { waitUntil: 'domcontentloaded' });
    await page.getByLabel('Email', { exact: true }).waitFor({ timeout: 60_000 });
    expect(pathname()).toBe('/login');
    await shot('sign-in');
    await page.goto(`${portal.url}/register`, { waitUntil: 'domcontentloaded' });
    await see('Register for an account');

    await page.getByLabel('Full name').fill('Erin Endtoend');
    await page.getByLabel('Personal work email address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('Confirm password').fill(password);
    const organisation = page.getByLabel('Organisation');
    await organisation.click();
    await organisation.fill('ZP1004');
    await page.getByTitle('ZP1004 – Hill Top Surgery').click();
    await see('Hill Top Surgery (ZP1004) is a provider: these are the provider roles.');
    await page.getByRole('checkbox', { name: 'Claim Submitter' }).check();
    await see(/Your request will go to the User Administrators of the commissioner responsible for Hill Top Surgery \(ZP1004\)/);
    await shot('register');
    await page.getByRole('button', { name: 'Register' }).click();

    await expect.poll(pathname, { timeout: 15_000 }).toBe('/register/confirmation');
    await see('Check your email');
    await see(`We have sent a confirmation link to ${email}.`);
    await shot('register-confirmation');

    // The database recorded the request for access from the sign-up's metadata.
    const sql = postgres(stack.dbUrl, { max: 1, onnotice: () => undefined });
    try {
      const rows = await sql<{ status: string; full_name: string; ods_code: string; roles: string[]; membership: string }[]>`
        select p.status::text, p.full_name, o.ods_code, m.roles::text[] as roles, m.status::text as membership
        from public.profiles p
        join public.memberships m on m.profile_id = p.id
        join public.organisations o on o.id = m.organisation_id
        where p.email = ${email}`;
      expect(rows).toEqual([
        { status: 'pending', full_name: 'Erin Endtoend', ods_code: 'ZP1004', roles: ['claim_submitter'], membership: 'requested' },
      ]);
    } finally {
      await sql.end();
    }

    // The confirmation link from the mailbox signs the person in; with no approved access they land on their profile.
    const mail = await latestMail(stack.apiUrl, email, 'signup');
    const link = mail.links.find((l) => l.includes('/auth/v1/verify'));
    expect(link).toBeDefined();
    await page.goto(link!, { waitUntil: 'domcontentloaded' });
    await see('Your registration is waiting for approval', 30_000);
    await expect.poll(pathname, { timeout: 15_000 }).toBe('/profile');
    await shot('waiting-for-approval');
    expect(pageErrors).toEqual([]);
    expect(failedApiCalls).toEqual([]);

    // Signing out and back in: a wrong password is refused with a clear message; the right one signs in.
    await signOut();
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill('Not-The-Password-1');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await see('The email address or password is not right');
    failedApiCalls.length = 0; // that refusal (400) was the point

    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await see('Your registration is waiting for approval', 30_000);
    expect(pathname()).toBe('/profile');
    expect(pageErrors).toEqual([]);
    expect(failedApiCalls).toEqual([]);
  }, 120_000);

  it('refuses to register the same address twice, saying so', async () => {
    if (await page.getByRole('button', { name: /^User menu:/ }).isVisible()) await signOut();
    await page.goto(`${portal.url}/register`, { waitUntil: 'domcontentloaded' });
    await see('Register for an account');
    await page.getByLabel('Full name').fill('Pat Again');
    await page.getByLabel('Personal work email address').fill('practice.user@riverside.example');
    await page.getByLabel('Password', { exact: true }).fill('Another-Pass-123');
    await page.getByLabel('Confirm password').fill('Another-Pass-123');
    const organisation = page.getByLabel('Organisation');
    await organisation.click();
    await organisation.fill('ZP1001');
    await page.getByTitle('ZP1001 – Riverside Medical Centre').click();
    await page.getByRole('checkbox', { name: 'Claim Submitter' }).check();
    await page.getByRole('button', { name: 'Register' }).click();
    await see('An account with this email address already exists. Sign in, or reset your password if you have forgotten it.');
    expect(pathname()).toBe('/register');
    await shot('register-existing-address');
    expect(pageErrors).toEqual([]);
    expect(failedApiCalls).toEqual([]);
  }, 60_000);

  it('shows the 404 page for an unknown address', async () => {
    await page.goto(`${portal.url}/login`, { waitUntil: 'domcontentloaded' });
    await page.getByLabel('Email', { exact: true }).fill('practice.user@riverside.example');
    await page.getByLabel('Password', { exact: true }).fill('Demo-Password-1');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(pathname, { timeout: 30_000 }).toMatch(/^\/ZP1001/);
    await page.goto(`${portal.url}/ZP1001/no-such-page`, { waitUntil: 'domcontentloaded' });
    await see('Page not found', 30_000);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
