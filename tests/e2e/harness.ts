// End-to-end journeys: one journey = one file under tests/e2e/journeys/, with
// its OWN fresh stack (temporary data directory, free ports, migrations + the
// demo seed, notification emails on), its own Vite dev server and Chromium.
// Nothing is mocked and nothing is shared with the `stack` project's test
// stack, so a journey may change demo data freely.
//
//   const journey = await startJourney('access-isolation');    // in beforeAll
//   const page = await journey.newPage();                       // own browser context = one person
//   await journey.signIn(page, 'icb.admin@southvale.example');
//   await journey.goto(page, '/ZS1/users');
//   await journey.screenshot(page, 'access-isolation-01-users');
//   await journey.checkAccessibility(page, 'access-isolation-01-users');
//   await journey.assertNoProblems(page);                       // page errors, console errors, failed API calls
//   await journey.close();                                      // in afterAll
//
// Outputs: screenshots in test-results/<name>.png; axe results in
// test-results/axe/<label>.json and one line per check in
// test-results/axe/summary.txt (a journey's old lines are dropped when it starts).
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import axe from 'axe-core';
import postgres from 'postgres';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page, type Request, type Response } from 'playwright-core';
import { projectRoot } from '../../stack/config.ts';
import { startStack, type RunningStack } from '../../stack/index.ts';
import type { StoredMail } from '../../stack/mail/types.ts';
import { startPortalDevServer, type PortalDevServer } from '../../vite.config.ts';
import { freePort } from '../bench/harness.ts';

export type { StoredMail };

/** Password of every demo account (../shared/docs/demo-data.md). */
export const DEMO_PASSWORD = 'Demo-Password-1';

/** beforeAll budget for startJourney on a busy 2-CPU machine (stack + Vite warm-up + Chromium). */
export const JOURNEY_START_TIMEOUT = 240_000;
/** afterAll budget for close(). */
export const JOURNEY_CLOSE_TIMEOUT = 60_000;

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** The smallest supported screen: a 1280×720 laptop. */
export const JOURNEY_VIEWPORT = { width: 1280, height: 720 } as const;
export const RESULTS_DIR = path.join(projectRoot, 'test-results');
export const AXE_DIR = path.join(RESULTS_DIR, 'axe');
const AXE_SUMMARY = path.join(AXE_DIR, 'summary.txt');
/**
 * Console errors the portal cannot fix, ignored on every page (kept in
 * problems().ignoredConsoleErrors). Refine's ThemedSider (@refinedev/antd 6)
 * builds its menu from <Menu.Item> children, which antd 5 warns about in development.
 */
export const THIRD_PARTY_CONSOLE_NOISE: readonly RegExp[] = [
  /^Warning: \[antd: Menu\] `children` is deprecated\. Please use `items` instead\.$/,
  // rc-field-form (antd's forms), development builds only: its deep-equal of a field's old and
  // new validation state sees the shared empty errors array twice and calls it circular.
  /^Warning: Warning: There may be circular references$/,
];
/** Response bodies longer than this are cut (they are kept only for assertions on leaks). */
const MAX_BODY_CHARS = 500_000;

export interface JourneyStack {
  /** e.g. http://127.0.0.1:41234 — the gateway (REST /rest/v1, Auth /auth/v1, mail /mail/v1). */
  apiUrl: string;
  anonKey: string;
  serviceRoleKey: string;
  /** Superuser connection string. */
  dbUrl: string;
}

/** One response from the stack's API seen by a page (CORS preflights excluded). */
export interface ApiCall {
  status: number; // 0 when the request failed without a response
  method: string;
  url: string;
  /** Response text (cut at 500,000 characters); for a failed request, the failure. */
  body: string;
}

export type ApiCallMatcher = RegExp | ((call: ApiCall) => boolean);

export interface PageProblems {
  /** Uncaught exceptions in the page. */
  pageErrors: string[];
  /** console.error lines (React warnings, antd deprecations…), except the browser's own
   *  "Failed to load resource" line for an API call: that call is in failedApiCalls. */
  consoleErrors: string[];
  /** API responses ≥ 400 (and requests that failed outright) not marked as expected. */
  failedApiCalls: ApiCall[];
  /** API responses ≥ 400 that a test said to expect (allowApiFailures). */
  expectedApiFailures: ApiCall[];
  /** console.error lines matching THIRD_PARTY_CONSOLE_NOISE or allowConsoleErrors. */
  ignoredConsoleErrors: string[];
}

export interface LatestMailOptions {
  /** Only messages sent at or after this moment (e.g. just before the action that sends it). */
  since?: Date;
  /** How long to wait for it; default 30 s (the stack emails notifications every 3 s). */
  timeoutMs?: number;
}

export interface Journey {
  name: string;
  stack: JourneyStack;
  /** e.g. http://127.0.0.1:39999 — the Vite dev server. */
  portalUrl: string;
  browser: Browser;
  /** Superuser connection to the journey's database, for setup look-ups and assertions. */
  sql: postgres.Sql;
  /** A page in a new browser context (own storage: one person), 1280×720, en-GB, New York time zone, with problem recording. */
  newPage(): Promise<Page>;
  /** Opens a portal path (e.g. '/ZS1/users') as if typed into the address bar, then waits for API calls to settle. */
  goto(page: Page, pathAndQuery: string): Promise<void>;
  /** The page's current path (client-side navigation included). */
  pathname(page: Page): string;
  /** Waits until the path satisfies `expected` (string = exact path); says where it was on timeout. */
  waitForPath(page: Page, expected: string | RegExp | ((pathname: string) => boolean), timeoutMs?: number): Promise<string>;
  /** Waits until no API request has been in flight for `quietMs` (default 500 ms) and no loading indicator
   *  (antd Spin/Skeleton, aria-busy) or finite animation is showing; at most `timeoutMs` (default 15 s), then carries on. */
  settle(page: Page, options?: { quietMs?: number; timeoutMs?: number }): Promise<void>;
  /** Signs in on /login (labels "Email", "Password", button "Sign in") and waits until the page leaves /login. */
  signIn(page: Page, email: string, password?: string): Promise<void>;
  /** Signs out through the header's user menu ("Sign out"); see signOutFallbacks. */
  signOut(page: Page): Promise<void>;
  /** Pages where signOut found no "Sign out" in the header and cleared the browser storage instead. */
  signOutFallbacks: string[];
  /** Full-page PNG at test-results/<name>.png, after settle() unless `settle: false`; returns the path. */
  screenshot(page: Page, name: string, options?: { settle?: boolean }): Promise<string>;
  /** axe-core on the current page: records all violations and throws on any of them, whatever its impact. */
  checkAccessibility(page: Page, label: string): Promise<AxeReport>;
  /** Emails queued notifications now instead of waiting for the stack's 3-second timer. */
  sendNotificationEmails(): Promise<{ sent: number; failed: number }>;
  /** The newest email to `to` (of `kind`, e.g. 'invite', 'signup', 'notification'), waiting for it to arrive. */
  latestMail(to: string, kind?: string, options?: LatestMailOptions): Promise<StoredMail>;
  /** What went wrong on the page since it opened (or since clearProblems). */
  problems(page: Page): PageProblems;
  /** Throws listing page errors, console errors and unexpected failed API calls. */
  assertNoProblems(page: Page): Promise<void>;
  /** Forgets recorded problems and API responses (e.g. before the next step). */
  clearProblems(page: Page): void;
  /** Marks API failures as expected refusals (matched against `"<status> <METHOD> <url>"` for a RegExp); returns an undo. */
  allowApiFailures(page: Page, matcher: ApiCallMatcher): () => void;
  /** Marks console errors as expected (e.g. a refusal the portal logs on purpose); returns an undo. */
  allowConsoleErrors(page: Page, pattern: RegExp): () => void;
  /** Every API response the page received since it opened (or since clearProblems), bodies included. */
  apiResponses(page: Page): Promise<ApiCall[]>;
  /** Stops Chromium, Vite and the stack and deletes the data directory; safe to call twice and after a failed step. */
  close(): Promise<void>;
}

export interface AxeNode {
  target: unknown[];
  html: string;
  failureSummary?: string;
  impact?: string | null;
}
export interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  helpUrl: string;
  description: string;
  tags: string[];
  nodes: AxeNode[];
}
export interface AxeReport {
  label: string;
  journey: string;
  url: string;
  checkedAt: string;
  axeVersion: string;
  violations: AxeViolation[];
}

interface PageRecord {
  pageErrors: string[];
  consoleErrors: string[];
  responses: ApiCall[];
  allowed: Set<ApiCallMatcher>;
  allowedConsole: Set<RegExp>;
  inFlight: Set<Request>;
  lastActivity: number;
  pendingBodies: Set<Promise<void>>;
}

function matches(matcher: ApiCallMatcher, call: ApiCall): boolean {
  return matcher instanceof RegExp ? matcher.test(`${call.status} ${call.method} ${call.url}`) : matcher(call);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs every step even when one throws; throws the first error afterwards. */
async function runAll(steps: Array<[string, () => Promise<unknown>]>): Promise<void> {
  const errors: Error[] = [];
  for (const [what, step] of steps) {
    try {
      await step();
    } catch (error) {
      errors.push(new Error(`${what}: ${(error as Error).message}`, { cause: error }));
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, errors.map((e) => e.message).join('; '));
}

/** True while the page shows a loading indicator or a finite animation (fade, expand) is running. */
async function isBusy(page: Page): Promise<boolean> {
  return page
    .evaluate(
      () =>
        [...document.querySelectorAll('.ant-spin-spinning, .ant-skeleton-active, [aria-busy="true"]')].some((el) =>
          el.checkVisibility(),
        ) ||
        document
          .getAnimations()
          .some((a) => a.playState === 'running' && a.effect?.getComputedTiming().iterations !== Infinity),
    )
    .catch(() => true); // mid-navigation: not settled yet
}

/** "line (×3)" for repeated lines, in first-seen order. */
function dedupe(lines: string[]): string[] {
  const counts = new Map<string, number>();
  for (const line of lines) counts.set(line, (counts.get(line) ?? 0) + 1);
  return [...counts].map(([line, n]) => (n > 1 ? `${line} (×${n})` : line));
}

async function visibleText(page: Page): Promise<string> {
  const text = await page.locator('body').innerText({ timeout: 2_000 }).catch(() => '(page unreadable)');
  return text.replace(/\s+\n/g, '\n').slice(0, 1_500);
}

/** Drops a journey's lines from an earlier run, so summary.txt describes the latest run of each journey. */
async function dropSummaryLines(journeyName: string): Promise<void> {
  const old = await readFile(AXE_SUMMARY, 'utf8').catch(() => '');
  if (!old) return;
  const kept = old.split('\n').filter((line) => line !== '' && !line.startsWith(`${journeyName}\t`));
  await writeFile(AXE_SUMMARY, kept.length ? `${kept.join('\n')}\n` : '');
}

export interface JourneyOptions {
  /** Deliver payment runs to the payment-system simulator every few seconds (off: one Deno call fewer every 3 s for journeys that never send a run). */
  paymentDeliveries?: boolean;
  /** Recalculate flagged achievement every few seconds (recalculate-achievement); off by default: a journey that needs recalculation turns it on (or calls public.run_achievement_recalculation itself). */
  achievementRecalculation?: boolean;
}

export async function startJourney(name: string, options: JourneyOptions = {}): Promise<Journey> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`journey name "${name}" must be lower-case letters, digits and dashes (it names files)`);
  const started = Date.now();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `commissioning-journey-${name}-`));
  let stack: RunningStack | undefined;
  let portal: PortalDevServer | undefined;
  let browser: Browser | undefined;
  let sql: postgres.Sql | undefined;
  const contexts = new Set<BrowserContext>();

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= runAll([
      ['closing the browser contexts', async () => Promise.all([...contexts].map((c) => c.close().catch(() => {})))],
      ['closing Chromium', async () => browser?.close()],
      ['stopping Vite', async () => portal?.close()],
      ['closing the SQL connection', async () => sql?.end({ timeout: 5 })],
      ['stopping the stack', async () => stack?.stop()],
      ['deleting the data directory', async () => rm(dataDir, { recursive: true, force: true })],
    ]));

  try {
    const [apiPort, dbPort, portalPort] = [await freePort(), await freePort(), await freePort()];
    // The portal's port is chosen first: notification emails link to it, and Vite needs the API's address.
    stack = await startStack({
      dataDir,
      apiPort,
      dbPort,
      fresh: true,
      notificationEmails: true,
      evidenceScans: true,
      // Runs reach the payment-system simulator within seconds; a journey answers them on its page.
      paymentDeliveries: options.paymentDeliveries ?? false,
      achievementRecalculation: options.achievementRecalculation ?? false,
      portalUrl: `http://127.0.0.1:${portalPort}`,
    });
    portal = await startPortalDevServer({
      env: { supabaseUrl: stack.apiUrl, supabaseAnonKey: stack.keys.anonKey },
      port: portalPort,
      logLevel: 'warn',
      watch: false,
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    sql = postgres(stack.dbUrl, { max: 2, onnotice: () => undefined });

    // Warm-up: on a fresh checkout Vite optimises dependencies on the first load and may
    // reload the page once; let that happen here, not in the middle of a step.
    const warmUp = await browser.newPage();
    try {
      await warmUp.goto(`${portal.url}/login`, { waitUntil: 'networkidle', timeout: 120_000 });
      await warmUp.getByLabel('Email', { exact: true }).waitFor({ timeout: 90_000 });
      await warmUp.waitForLoadState('networkidle');
    } finally {
      await warmUp.close();
    }
    await mkdir(AXE_DIR, { recursive: true });
    await dropSummaryLines(name);
  } catch (error) {
    await close().catch(() => {});
    throw new Error(`starting journey "${name}" failed: ${(error as Error).message}`, { cause: error });
  }

  const runningStack = stack;
  const portalUrl = portal.url;
  const apiUrl = runningStack.apiUrl;
  const liveBrowser = browser;
  const records = new WeakMap<Page, PageRecord>();
  const signOutFallbacks: string[] = [];
  console.log(
    `journey ${name}: stack (API ${apiUrl}), portal ${portalUrl} and Chromium ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );

  const record = (page: Page): PageRecord => {
    const found = records.get(page);
    if (!found) throw new Error('this page was not opened with journey.newPage()');
    return found;
  };
  const isApi = (url: string) => url.startsWith(apiUrl);

  const journey: Journey = {
    name,
    stack: {
      apiUrl,
      anonKey: runningStack.keys.anonKey,
      serviceRoleKey: runningStack.keys.serviceRoleKey,
      dbUrl: runningStack.dbUrl,
    },
    portalUrl,
    browser: liveBrowser,
    sql,
    signOutFallbacks,

    async newPage() {
      const context = await liveBrowser.newContext({
        viewport: JOURNEY_VIEWPORT,
        locale: 'en-GB',
        // A browser far from London must still see London dates.
        timezoneId: 'America/New_York',
      });
      contexts.add(context);
      context.on('close', () => contexts.delete(context));
      const page = await context.newPage();
      const rec: PageRecord = {
        pageErrors: [],
        consoleErrors: [],
        responses: [],
        allowed: new Set(),
        allowedConsole: new Set(THIRD_PARTY_CONSOLE_NOISE),
        inFlight: new Set(),
        lastActivity: Date.now(),
        pendingBodies: new Set(),
      };
      records.set(page, rec);

      page.on('pageerror', (error) => rec.pageErrors.push(error.stack ?? error.message));
      page.on('console', (message: ConsoleMessage) => {
        if (message.type() !== 'error') return;
        const text = message.text();
        // The browser's own line for a failed API call: the call is recorded (or allowed) below.
        if (text.startsWith('Failed to load resource') && isApi(message.location().url)) return;
        rec.consoleErrors.push(text);
      });
      page.on('request', (request) => {
        if (!isApi(request.url())) return;
        rec.inFlight.add(request);
        rec.lastActivity = Date.now();
      });
      const done = (request: Request) => {
        if (rec.inFlight.delete(request)) rec.lastActivity = Date.now();
      };
      page.on('requestfinished', done);
      page.on('requestfailed', (request) => {
        done(request);
        if (!isApi(request.url())) return;
        const failure = request.failure()?.errorText ?? 'failed';
        // Navigating away aborts what the old page was loading: not a failure of the portal.
        if (failure.includes('ERR_ABORTED')) return;
        rec.responses.push({ status: 0, method: request.method(), url: request.url(), body: failure });
      });
      page.on('response', (response: Response) => {
        const request = response.request();
        if (!isApi(response.url()) || request.method() === 'OPTIONS') return;
        const call: ApiCall = { status: response.status(), method: request.method(), url: response.url(), body: '' };
        rec.responses.push(call);
        const reading = response
          .text()
          .then((text) => {
            call.body = text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}…` : text;
          })
          .catch((error: Error) => {
            call.body = `(body unavailable: ${error.message})`;
          })
          .finally(() => rec.pendingBodies.delete(reading));
        rec.pendingBodies.add(reading);
      });
      return page;
    },

    async goto(page, pathAndQuery) {
      if (!pathAndQuery.startsWith('/')) throw new Error(`goto wants a path starting with "/", got "${pathAndQuery}"`);
      await page.goto(`${portalUrl}${pathAndQuery}`, { waitUntil: 'domcontentloaded' });
      await journey.settle(page);
    },

    pathname(page) {
      return new URL(page.url()).pathname;
    },

    async waitForPath(page, expected, timeoutMs = 30_000) {
      const ok =
        typeof expected === 'string'
          ? (p: string) => p === expected
          : expected instanceof RegExp
            ? (p: string) => expected.test(p)
            : expected;
      const deadline = Date.now() + timeoutMs;
      // page.waitForURL does not see client-side (history API) navigation: poll.
      for (;;) {
        const current = journey.pathname(page);
        if (ok(current)) return current;
        if (Date.now() > deadline) {
          throw new Error(`the page stayed on ${current} (waited ${timeoutMs} ms for ${String(expected)}). It showed:\n${await visibleText(page)}`);
        }
        await sleep(100);
      }
    },

    async settle(page, { quietMs = 500, timeoutMs = 15_000 } = {}) {
      const rec = record(page);
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        // A quiet network alone is not enough: a query retry (react-query waits 1 s) may be
        // about to start while the page still shows its spinner; half-faded text spoils
        // screenshots and fails axe's contrast check.
        if (rec.inFlight.size === 0 && Date.now() - rec.lastActivity >= quietMs && !(await isBusy(page))) return;
        await sleep(50);
      }
      // Long polls or a slow stack: carry on, the next assertion will say what is missing.
    },

    async signIn(page, email, password = DEMO_PASSWORD) {
      if (journey.pathname(page) !== '/login' || page.url().startsWith('about:')) await journey.goto(page, '/login');
      const emailField = page.getByLabel('Email', { exact: true });
      await emailField.waitFor({ timeout: 30_000 }).catch(async () => {
        throw new Error(`signIn(${email}): no "Email" field on ${page.url()} (already signed in? sign out first). It showed:\n${await visibleText(page)}`);
      });
      await emailField.fill(email);
      await page.getByLabel('Password', { exact: true }).fill(password);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await journey.waitForPath(page, (p) => p !== '/login', 30_000).catch(async (error: Error) => {
        const failed = record(page)
          .responses.filter((c) => c.status >= 400 || c.status === 0)
          .map((c) => `${c.status} ${c.method} ${c.url}`);
        throw new Error(`signIn(${email}) did not leave /login: ${error.message}\nFailed API calls: ${failed.join('; ') || 'none'}`);
      });
      await journey.settle(page);
    },

    async signOut(page) {
      const signOutItem = page
        .getByRole('menuitem', { name: 'Sign out' })
        .or(page.getByRole('button', { name: 'Sign out' }))
        .or(page.getByRole('link', { name: 'Sign out' }));
      const clickSignOut = async (): Promise<boolean> => {
        const item = signOutItem.first();
        if (!(await item.isVisible().catch(() => false))) return false;
        await item.click();
        return true;
      };

      let clicked = await clickSignOut();
      const userMenu = page.getByRole('banner').getByRole('button', { name: /^User menu/ });
      if (!clicked && (await userMenu.isVisible().catch(() => false))) {
        // The portal's user menu opens on click; a busy machine may take a while to show it.
        await userMenu.click();
        await signOutItem.first().waitFor({ state: 'visible', timeout: 10_000 }).catch(() => {});
        clicked = await clickSignOut();
      }
      if (!clicked) {
        // Any other header menu: an antd Dropdown trigger (hover or click) or a menu button.
        const triggers = page
          .getByRole('banner')
          .locator('.ant-dropdown-trigger, [aria-haspopup="menu"], [aria-haspopup="true"]');
        const count = await triggers.count().catch(() => 0);
        for (let i = 0; i < count && !clicked; i += 1) {
          const trigger = triggers.nth(i);
          if (!(await trigger.isVisible().catch(() => false))) continue;
          await trigger.hover().catch(() => {});
          await signOutItem.first().waitFor({ state: 'visible', timeout: 1_500 }).catch(() => {});
          clicked = await clickSignOut();
          if (!clicked) {
            await trigger.click().catch(() => {});
            await signOutItem.first().waitFor({ state: 'visible', timeout: 1_500 }).catch(() => {});
            clicked = await clickSignOut();
          }
          if (!clicked) await page.keyboard.press('Escape').catch(() => {});
        }
      }
      if (!clicked) {
        signOutFallbacks.push(page.url());
        console.warn(`journey ${name}: no "Sign out" in the header user menu on ${page.url()}; clearing the browser storage instead`);
        await page.evaluate(() => {
          window.localStorage.clear();
          window.sessionStorage.clear();
        });
        await page.context().clearCookies();
        await journey.goto(page, '/login');
      }
      await journey.waitForPath(page, '/login', 30_000);
      await page.getByLabel('Email', { exact: true }).waitFor({ timeout: 30_000 });
    },

    async screenshot(page, shotName, { settle = true } = {}) {
      if (settle) await journey.settle(page);
      const file = path.join(RESULTS_DIR, `${shotName}.png`);
      await mkdir(path.dirname(file), { recursive: true });
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },

    async checkAccessibility(page, label) {
      await journey.settle(page);
      const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: { run?: unknown } }).axe?.run === 'function');
      if (!loaded) await page.addScriptTag({ content: axe.source });
      const found = await page.evaluate(async () => {
        const runner = (window as unknown as { axe: typeof import('axe-core') }).axe;
        const result = await runner.run(document, { resultTypes: ['violations'] });
        return {
          url: result.url,
          violations: result.violations.map((v) => ({
            id: v.id,
            impact: v.impact ?? null,
            help: v.help,
            helpUrl: v.helpUrl,
            description: v.description,
            tags: v.tags,
            nodes: v.nodes.map((n) => ({
              target: n.target as unknown[],
              html: n.html,
              failureSummary: n.failureSummary ?? '',
              impact: n.impact ?? null,
            })),
          })),
        };
      });
      const report: AxeReport = {
        label,
        journey: name,
        url: found.url,
        checkedAt: new Date().toISOString(),
        axeVersion: axe.version,
        violations: found.violations,
      };
      const file = path.join(AXE_DIR, `${label}.json`);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);

      const counts: Record<string, number> = { critical: 0, serious: 0, moderate: 0, minor: 0 };
      for (const v of report.violations) counts[v.impact ?? 'minor'] = (counts[v.impact ?? 'minor'] ?? 0) + 1;
      const pathShown = new URL(report.url).pathname;
      const ids = report.violations.map((v) => `${v.id}(${v.impact ?? '?'})`).join(',') || '-';
      await writeFile(
        AXE_SUMMARY,
        `${name}\t${label}\t${pathShown}\tcritical=${counts.critical} serious=${counts.serious} moderate=${counts.moderate} minor=${counts.minor}\t${ids}\n`,
        { flag: 'a' },
      );

      // Every impact fails: moderate and minor findings (heading order, content outside a landmark) are
      // real barriers too, and the portal fixes them at their source (issue 11) rather than living with them.
      const blocking = report.violations;
      if (blocking.length > 0) {
        const lines = blocking.map((v) => {
          const nodes = v.nodes.slice(0, 8).map((n) => `      ${JSON.stringify(n.target)} ${n.html.slice(0, 160)}`);
          const more = v.nodes.length > 8 ? [`      … and ${v.nodes.length - 8} more`] : [];
          return [`  ${v.id} (${v.impact}): ${v.help} — ${v.helpUrl}`, ...nodes, ...more].join('\n');
        });
        throw new Error(
          `axe found ${blocking.length} accessibility violation(s) on ${pathShown} (${label}; all results in ${path.relative(projectRoot, file)}):\n${lines.join('\n')}`,
        );
      }
      return report;
    },

    async sendNotificationEmails() {
      if (!runningStack.notificationEmails) throw new Error('this stack was started without notification emails');
      return runningStack.notificationEmails.runNow();
    },

    async latestMail(to, kind, options = {}) {
      const timeoutMs = options.timeoutMs ?? 30_000;
      const deadline = Date.now() + timeoutMs;
      const query = new URLSearchParams({ to });
      if (kind) query.set('kind', kind);
      for (;;) {
        const response = await fetch(`${apiUrl}/mail/v1/messages?${query}`);
        if (!response.ok) throw new Error(`the mailbox answered ${response.status}: ${await response.text()}`);
        const messages = (await response.json()) as StoredMail[];
        const fresh = options.since ? messages.filter((m) => new Date(m.sentAt) >= options.since!) : messages;
        if (fresh[0]) return fresh[0];
        if (Date.now() > deadline) {
          const all = (await (await fetch(`${apiUrl}/mail/v1/messages?to=${encodeURIComponent(to)}`)).json()) as StoredMail[];
          const seen = all.map((m) => `${m.kind} "${m.subject}" at ${m.sentAt}`).join('; ') || 'none';
          throw new Error(`no ${kind ?? ''} email to ${to} arrived within ${timeoutMs} ms (mail to them: ${seen})`);
        }
        await sleep(250);
      }
    },

    problems(page) {
      const rec = record(page);
      const failures = rec.responses.filter((c) => c.status >= 400 || c.status === 0);
      const allowed = [...rec.allowed];
      const expected = failures.filter((c) => allowed.some((m) => matches(m, c)));
      const consoleAllowed = [...rec.allowedConsole];
      const ignored = rec.consoleErrors.filter((line) => consoleAllowed.some((pattern) => pattern.test(line)));
      return {
        pageErrors: [...rec.pageErrors],
        consoleErrors: rec.consoleErrors.filter((line) => !ignored.includes(line)),
        failedApiCalls: failures.filter((c) => !expected.includes(c)),
        expectedApiFailures: expected,
        ignoredConsoleErrors: ignored,
      };
    },

    async assertNoProblems(page) {
      await Promise.all([...record(page).pendingBodies]);
      const { pageErrors, consoleErrors, failedApiCalls } = journey.problems(page);
      if (pageErrors.length + consoleErrors.length + failedApiCalls.length === 0) return;
      const section = (title: string, items: string[]) => (items.length ? [`${title}:`, ...items.map((i) => `  ${i}`)] : []);
      throw new Error(
        [
          `problems on ${page.url()}:`,
          ...section('page errors', pageErrors),
          ...section('console errors', dedupe(consoleErrors)),
          ...section(
            'failed API calls',
            failedApiCalls.map((c) => `${c.status} ${c.method} ${c.url} ${c.body.slice(0, 300)}`),
          ),
        ].join('\n'),
      );
    },

    clearProblems(page) {
      const rec = record(page);
      rec.pageErrors.length = 0;
      rec.consoleErrors.length = 0;
      rec.responses.length = 0;
    },

    allowApiFailures(page, matcher) {
      const rec = record(page);
      rec.allowed.add(matcher);
      return () => {
        rec.allowed.delete(matcher);
      };
    },

    allowConsoleErrors(page, pattern) {
      const rec = record(page);
      rec.allowedConsole.add(pattern);
      return () => {
        rec.allowedConsole.delete(pattern);
      };
    },

    async apiResponses(page) {
      const rec = record(page);
      await Promise.all([...rec.pendingBodies]);
      return [...rec.responses];
    },

    close,
  };
  return journey;
}
