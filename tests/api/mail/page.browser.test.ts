// The mailbox page in real Chromium (Debian's /usr/bin/chromium through
// playwright-core; no browser is downloaded). A mail service of its own, in a
// temporary data directory, served on 127.0.0.1 by @hono/node-server; real
// messages sent through its mailer, one of them hostile. Leaves screenshots in
// test-results/mail-page.png and test-results/mail-page-empty.png.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '../../../stack/config.ts';
import { projectKeys } from '../../../stack/jwt.ts';
import { createMailService, type MailService } from '../../../stack/mail/index.ts';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = path.resolve('test-results/mail-page.png');
const SCREENSHOT_EMPTY = path.resolve('test-results/mail-page-empty.png');

let dataDir: string;
let service: MailService;
let server: ServerType;
let url: string;
let browser: Browser;
let page: Page;
const dialogs: string[] = [];
const pageErrors: string[] = [];

// 09:12, 10:47 and 16:03 on 14/07/2026, UK time (BST, UTC+1), one message each.
const times = ['2026-07-14T08:12:00Z', '2026-07-14T09:47:00Z', '2026-07-14T15:03:00Z'].map((t) => new Date(t));
let sent = 0;

const hostile = {
  to: 'tier1@northshire.example',
  subject: 'Comment on claim: <script>alert("subject")</script>',
  text: 'Riverside Medical Centre wrote: "<img src=x onerror=alert(1)> please call me" — see http://127.0.0.1:5173/claims/413?tab=comments.',
  html: '<p>Riverside Medical Centre wrote:</p><blockquote>please call me</blockquote><script>alert("html")</script>',
  kind: 'claim_comment',
};

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mail-browser-test-'));
  service = await createMailService(loadStackConfig({ dataDir }), {
    env: {},
    now: () => times[Math.min(sent++, times.length - 1)]!,
    log: { info() {}, error() {} },
  });
  await service.mailer.send({
    to: 'new.practice.user@riverside.example',
    subject: 'Confirm your email address',
    text: [
      'Hello,',
      '',
      'Someone (hopefully you) registered for the commissioning portal with this address.',
      'Confirm your email address to continue:',
      'http://127.0.0.1:54321/auth/v1/verify?token=9f1c2a&type=signup&redirect_to=http://127.0.0.1:5173/',
      '',
      'If this was not you, ignore this email.',
    ].join('\n'),
    html: '<p>Hello,</p><p><a href="http://127.0.0.1:54321/auth/v1/verify?token=9f1c2a&amp;type=signup&amp;redirect_to=http://127.0.0.1:5173/">Confirm your email address</a></p>',
    kind: 'signup',
  });
  await service.mailer.send({
    to: 'practice.user@riverside.example',
    subject: 'Claim approved: Anticoagulation monitoring, Q1 2026/27',
    text: 'Your claim CL-000412 for £1,250.00 was approved by NHS Northshire ICB.\nView the claim: http://127.0.0.1:5173/claims/412',
    kind: 'claim_approved',
  });
  await service.mailer.send(hostile);

  const app = new Hono().route('/', service.routes);
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  url = `http://127.0.0.1:${address.port}`;

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // A browser far from London must still see London times.
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, locale: 'en-GB', timezoneId: 'America/New_York' });
  page = await context.newPage();
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await fs.mkdir(path.dirname(SCREENSHOT), { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await service?.stop();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

describe('GET /mail in Chromium', () => {
  it('lists the messages, newest first, with UK times, bodies and clickable links; nothing from a message runs', async () => {
    await page.goto(`${url}/mail`);
    await expect(page.title()).resolves.toBe('Local mailbox – Commissioning portal');
    expect(await page.locator('html').getAttribute('lang')).toBe('en-GB');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Local mailbox');

    const subjects = await page.locator('article h2').allTextContents();
    expect(subjects).toEqual([
      'Comment on claim: <script>alert("subject")</script>',
      'Claim approved: Anticoagulation monitoring, Q1 2026/27',
      'Confirm your email address',
    ]);
    expect(await page.locator('article time').allTextContents()).toEqual(['14/07/2026 16:03', '14/07/2026 10:47', '14/07/2026 09:12']);

    const signup = page.locator('article').nth(2);
    const confirm = signup.locator('.body a');
    expect(await confirm.getAttribute('href')).toBe('http://127.0.0.1:54321/auth/v1/verify?token=9f1c2a&type=signup&redirect_to=http://127.0.0.1:5173/');
    await expect(signup.getByRole('link', { name: 'http://127.0.0.1:54321/auth/v1/verify?token=9f1c2a&type=signup&redirect_to=http://127.0.0.1:5173/' }).count()).resolves.toBe(2);

    // Open every HTML version: the hostile one's script must not run either.
    for (const summary of await page.locator('summary').all()) await summary.click();
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(await page.locator('article img, article script').count()).toBe(0);
    const handlers = await page.evaluate(() =>
      [...document.querySelectorAll('*')].flatMap((el) => el.getAttributeNames().filter((name) => name.startsWith('on'))),
    );
    expect(handlers).toEqual([]);
    // The hostile message's values come back exactly, as text.
    const first = page.locator('article').first();
    expect(await first.locator('.body').textContent()).toBe(hostile.text);
    expect(await first.locator('dd').allTextContents()).toEqual(['14/07/2026 16:03', hostile.to, hostile.kind]);
    expect(await first.locator('iframe').getAttribute('srcdoc')).toBe(hostile.html);
    expect(await first.locator('iframe').getAttribute('sandbox')).toBe('');
    // The comment's HTML is shown in its frame, as HTML.
    const frame = page.frameLocator('article >> nth=0 >> iframe');
    expect(await frame.locator('blockquote').textContent()).toBe('please call me');

    // For the picture: the comment's HTML version open, the sign-up's closed, nothing focused.
    await page.locator('details').nth(1).evaluate((el) => el.removeAttribute('open'));
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.locator('iframe').first().scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('filters by recipient from the form', async () => {
    await page.goto(`${url}/mail`);
    await page.getByLabel('Recipient email').fill('PRACTICE.USER@riverside.example');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/to=/);
    expect(await page.locator('article h2').allTextContents()).toEqual(['Claim approved: Anticoagulation monitoring, Q1 2026/27']);
    expect(await page.locator('.count').textContent()).toBe('1 message match (3 in the mailbox).');
  });

  it('shows the empty state once the mailbox is cleared', async () => {
    const { serviceRoleKey } = await projectKeys(loadStackConfig().jwtSecret);
    const cleared = await fetch(`${url}/mail/v1/messages`, { method: 'DELETE', headers: { apikey: serviceRoleKey } });
    expect(await cleared.json()).toEqual({ deleted: 3 });
    await page.goto(`${url}/mail`);
    expect(await page.getByRole('heading', { level: 2 }).textContent()).toBe('No messages yet');
    await page.screenshot({ path: SCREENSHOT_EMPTY, fullPage: true });
  });
});
