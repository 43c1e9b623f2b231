// The mailbox page (GET /mail): rendering, escaping, empty state, UK dates.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { JSDOM } from 'jsdom';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadStackConfig } from '../../../stack/config.ts';
import { createMailService, type MailService } from '../../../stack/mail/index.ts';
import { escapeHtml, formatLondon } from '../../../stack/mail/page.ts';

let dataDir: string;
let service: MailService;
let app: Hono;
let sentAt: Date;

beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mail-page-test-'));
  sentAt = new Date('2026-07-14T08:05:00Z'); // 09:05 in London (BST)
  service = await createMailService(loadStackConfig({ dataDir }), { env: {}, now: () => sentAt, log: { info() {}, error() {} } });
  app = new Hono();
  app.route('/', service.routes);
});

afterEach(async () => {
  await service.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
});

async function page(query = ''): Promise<{ response: Response; html: string }> {
  const response = await app.request(`/mail${query}`);
  return { response, html: await response.text() };
}

describe('formatLondon', () => {
  it('formats DD/MM/YYYY HH:mm in UK time, in summer (BST) and winter (GMT)', () => {
    expect(formatLondon('2026-07-14T08:05:00Z')).toBe('14/07/2026 09:05');
    expect(formatLondon('2026-01-02T23:30:00Z')).toBe('02/01/2026 23:30');
    expect(formatLondon('2026-03-29T00:59:00Z')).toBe('29/03/2026 00:59');
    expect(formatLondon('2026-03-29T01:00:00Z')).toBe('29/03/2026 02:00');
  });
});

describe('escapeHtml', () => {
  it('escapes the five significant characters', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});

describe('GET /mail', () => {
  it('shows an empty state on a new mailbox', async () => {
    const { response, html } = await page();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toContain('<html lang="en-GB">');
    expect(html).toContain('No messages yet');
    expect(html).not.toContain('<ol class="messages">');
  });

  it('lists each message with UK date/time, recipient, subject, kind, body and clickable links', async () => {
    await service.mailer.send({
      to: 'practice.user@riverside.example',
      subject: 'Your claim has been approved',
      text: 'Claim CL-0042 was approved.\nView it: http://127.0.0.1:5173/claims/42.',
      kind: 'claim_approved',
    });
    const { html } = await page();
    expect(html).toContain('1 message, newest first.');
    expect(html).toContain('<time datetime="2026-07-14T08:05:00.000Z">14/07/2026 09:05</time>');
    expect(html).toContain('<dd>practice.user@riverside.example</dd>');
    expect(html).toContain('>Your claim has been approved</h2>');
    expect(html).toContain('<span class="kind">claim_approved</span>');
    // The link in the body is clickable, without the sentence's full stop.
    expect(html).toContain('View it: <a href="http://127.0.0.1:5173/claims/42" rel="noreferrer">http://127.0.0.1:5173/claims/42</a>.');
    expect(html).toContain('<li><a href="http://127.0.0.1:5173/claims/42" rel="noreferrer">http://127.0.0.1:5173/claims/42</a></li>');
  });

  it('escapes everything a message brings (subject, recipient, body, HTML version, links)', async () => {
    const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const message = {
      to: "o'brien+x@riverside.example",
      subject: `Re: ${evil}`,
      text: `Hello ${evil} & goodbye https://a.example/?q="><script>alert(3)</script>`,
      html: `<p>${evil}</p><a href="https://b.example/?a=1&amp;b=&quot;x&quot;">b</a>"></iframe><script>alert(4)</script>`,
      kind: 'offer_made',
    };
    await service.mailer.send(message);
    const { response, html } = await page();

    // Parse the page as a browser would (no scripts run): nothing from the message became markup.
    const { document } = new JSDOM(html).window;
    expect(document.querySelectorAll('script, img')).toHaveLength(0);
    const handlers = [...document.querySelectorAll('*')].flatMap((el) => el.getAttributeNames().filter((n) => n.startsWith('on')));
    expect(handlers).toEqual([]);
    expect(document.querySelectorAll('iframe')).toHaveLength(1);
    // Each value round-trips as text.
    const article = document.querySelector('article')!;
    expect(article.querySelector('h2')!.textContent).toBe(message.subject);
    expect(article.querySelector('.body')!.textContent).toBe(message.text);
    expect([...article.querySelectorAll('dd')].map((dd) => dd.textContent)).toEqual(['14/07/2026 09:05', message.to, 'offer_made']);
    // The body's link ends at the quote; only http(s) URLs are ever hrefs.
    expect([...article.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual([
      'https://a.example/?q=',
      'https://a.example/?q=',
      'https://b.example/?a=1&b=',
    ]);
    // The HTML version is the message's HTML, verbatim, in a frame sandboxed without any allowance.
    const frame = article.querySelector('iframe')!;
    expect(frame.getAttribute('sandbox')).toBe('');
    expect(frame.getAttribute('srcdoc')).toBe(message.html);
    // And the page may not run scripts at all.
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('content-security-policy')).not.toContain('script-src');
  });

  it('filters by recipient and kind, with a message when nothing matches, and echoes filters escaped', async () => {
    await service.mailer.send({ to: 'a@riverside.example', subject: 'For A', text: 'a', kind: 'invite' });
    await service.mailer.send({ to: 'b@riverside.example', subject: 'For B', text: 'b', kind: 'signup' });
    const byTo = await page('?to=A%40Riverside.example');
    expect(byTo.html).toContain('For A');
    expect(byTo.html).not.toContain('For B');
    expect(byTo.html).toContain('1 message match (2 in the mailbox).');
    const byKind = await page('?kind=signup');
    expect(byKind.html).toContain('For B');
    expect(byKind.html).not.toContain('For A');
    const none = await page(`?kind=${encodeURIComponent('"><script>x</script>')}`);
    expect(none.html).toContain('No messages match');
    expect(none.html).toContain('value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"');
    expect(none.html).not.toContain('<script>x');
    expect(new JSDOM(none.html).window.document.querySelectorAll('script')).toHaveLength(0);
  });
});
