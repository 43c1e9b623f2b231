// The mailbox page (GET /mail): rendering, escaping, empty state, UK dates.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
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

    // Every tag in the page is one of the page's own (a message's '<' is always escaped),
    // and none carries an event handler. (page.browser.test.ts checks the same in Chromium.)
    const tags = [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>/g)];
    const ownTags = new Set(['html', 'head', 'meta', 'title', 'style', 'body', 'a', 'header', 'div', 'span', 'main', 'h1', 'p', 'form', 'label', 'input', 'button', 'ol', 'li', 'article', 'h2', 'dl', 'dt', 'dd', 'time', 'h3', 'details', 'summary', 'iframe', 'strong']);
    expect(tags.map((t) => t[1]!.toLowerCase()).filter((name) => !ownTags.has(name))).toEqual([]);
    // (Attribute values are double-quoted with '"' escaped, so dropping them leaves only attribute names.)
    expect(tags.filter((t) => /\son[a-z]+\s*=/i.test(t[2]!.replace(/"[^"]*"/g, '""')))).toEqual([]);
    expect(html.match(/<iframe/g)).toHaveLength(1);
    // Each value is there as escaped text.
    expect(html).toContain('>Re: &lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;</h2>');
    expect(html).toContain('<dd>o&#39;brien+x@riverside.example</dd>');
    expect(html).toContain(
      '<div class="body">Hello &lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; &amp; goodbye ' +
        '<a href="https://a.example/?q=" rel="noreferrer">https://a.example/?q=</a>&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;</div>',
    );
    // Only http(s) URLs become hrefs; the HTML link ends at the (decoded) quote.
    expect([...html.matchAll(/ href="([^"]*)"/g)].map((m) => m[1]).filter((href) => !href!.startsWith('/mail') && href !== '#main')).toEqual([
      'https://a.example/?q=',
      'https://a.example/?q=',
      'https://b.example/?a=1&amp;b=',
    ]);
    // The HTML version is the message's HTML, escaped into the srcdoc of a frame sandboxed without any allowance.
    expect(html).toContain(`<iframe sandbox="" referrerpolicy="no-referrer" loading="lazy" title="HTML version of: ${escapeHtml(message.subject)}" srcdoc="${escapeHtml(message.html)}"></iframe>`);
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
  });
});
