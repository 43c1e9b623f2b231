// The mailbox page (`GET /mail`): server-rendered HTML, no scripts. Pure.
//
// Every value that came from a message (and so, often, from a person typing
// into the portal) goes through escapeHtml; URLs are only ever http(s) ones
// that extractLinks/linkSegments found. The HTML version of a message is shown
// in a sandboxed frame (no scripts, no forms, no navigation), never inline.
import { linkSegments } from './links.ts';
import type { StoredMail } from './types.ts';

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => {
    switch (char) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      default:
        return '&#39;';
    }
  });
}

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** `DD/MM/YYYY HH:mm` in UK time (GMT or BST as the date requires). */
export function formatLondon(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = londonParts.formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('day')}/${part('month')}/${part('year')} ${part('hour')}:${part('minute')}`;
}

function bodyWithLinks(text: string): string {
  return linkSegments(text)
    .map((segment) =>
      segment.url === undefined
        ? escapeHtml(segment.text)
        : `<a href="${escapeHtml(segment.url)}" rel="noreferrer">${escapeHtml(segment.text)}</a>`,
    )
    .join('');
}

export interface MailboxPageModel {
  messages: StoredMail[];
  /** Messages in the mailbox before filtering. */
  total: number;
  filter: { to?: string; kind?: string };
  /** At most this many are shown. */
  shownLimit: number;
  /** Set when SMTP_HOST is set: mail goes out, the mailbox is off. */
  smtp?: string;
}

const STYLE = `
:root { --nhs-blue: #005eb8; --text: #212b32; --secondary: #4c6272; --border: #d8dde0; --bg: #f0f4f5; --focus: #ffeb3b; }
* { box-sizing: border-box; }
body { margin: 0; font-family: Arial, "Helvetica Neue", Helvetica, sans-serif; color: var(--text); background: var(--bg); line-height: 1.5; font-size: 1rem; }
a { color: var(--nhs-blue); }
a:visited { color: #330072; }
a:hover { color: #7c2855; }
a:focus, button:focus, input:focus, summary:focus { outline: 4px solid var(--focus); outline-offset: 0; box-shadow: 0 4px 0 #212b32; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 1rem; top: 1rem; background: var(--focus); color: var(--text); padding: .5rem; z-index: 1; }
header.banner { background: var(--nhs-blue); color: #fff; }
header.banner .inner { max-width: 60rem; margin: 0 auto; padding: .9rem 1.5rem; display: flex; align-items: baseline; gap: 1rem; flex-wrap: wrap; }
header.banner .service { font-weight: 700; font-size: 1.2rem; }
header.banner .where { opacity: .9; font-size: .95rem; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 2rem; margin: .5rem 0 .5rem; }
.lede { margin: 0 0 1.25rem; color: var(--secondary); max-width: 44rem; }
form.filters { display: flex; flex-wrap: wrap; gap: .75rem 1rem; align-items: flex-end; background: #fff; border: 1px solid var(--border); border-radius: 4px; padding: 1rem; margin-bottom: 1rem; }
form.filters label { display: block; font-weight: 700; font-size: .9rem; margin-bottom: .2rem; }
form.filters input { font: inherit; padding: .35rem .5rem; border: 2px solid var(--text); border-radius: 0; min-width: 14rem; }
form.filters button { font: inherit; font-weight: 700; background: var(--nhs-blue); color: #fff; border: 0; border-radius: 4px; padding: .45rem 1rem; box-shadow: 0 4px 0 #003087; cursor: pointer; }
form.filters .actions { display: flex; gap: 1rem; align-items: center; padding-bottom: .3rem; }
.count { color: var(--secondary); margin: 0 0 1rem; }
.notice { background: #fff; border-left: 8px solid var(--nhs-blue); padding: 1rem 1.25rem; margin-bottom: 1rem; }
.empty { background: #fff; border: 1px solid var(--border); border-radius: 4px; padding: 2rem 1.5rem; text-align: center; }
.empty h2 { margin: 0 0 .5rem; font-size: 1.4rem; }
.empty p { margin: 0; color: var(--secondary); }
ol.messages { list-style: none; margin: 0; padding: 0; }
ol.messages > li { margin: 0 0 1rem; }
article { background: #fff; border: 1px solid var(--border); border-top: 4px solid var(--nhs-blue); border-radius: 4px; padding: 1rem 1.25rem 1.25rem; }
article h2 { font-size: 1.3rem; margin: 0 0 .5rem; overflow-wrap: anywhere; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0 0 1rem; font-size: .95rem; }
dl.meta dt { color: var(--secondary); }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
.kind { display: inline-block; background: #e8f1f8; color: #003087; border: 1px solid #aecbe8; border-radius: 3px; padding: 0 .4rem; font-family: "Courier New", monospace; font-size: .9rem; }
.body { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--bg); border-radius: 4px; padding: .75rem 1rem; margin: 0 0 1rem; font-family: inherit; }
article h3 { font-size: 1rem; margin: 0 0 .25rem; }
ol.links { margin: 0 0 .75rem; padding-left: 1.5rem; overflow-wrap: anywhere; }
details summary { cursor: pointer; color: var(--nhs-blue); text-decoration: underline; }
details iframe { display: block; width: 100%; height: 14rem; border: 1px solid var(--border); margin-top: .5rem; background: #fff; resize: vertical; }
.hint { color: var(--secondary); font-size: .9rem; margin: .25rem 0 0; }
`;

function filterForm(model: MailboxPageModel): string {
  const to = model.filter.to ?? '';
  const kind = model.filter.kind ?? '';
  const filtered = to !== '' || kind !== '';
  return `<form class="filters" method="get" action="/mail" role="search" aria-label="Filter messages">
  <div><label for="filter-to">Recipient email</label><input id="filter-to" name="to" type="email" autocomplete="off" value="${escapeHtml(to)}"></div>
  <div><label for="filter-kind">Kind</label><input id="filter-kind" name="kind" type="text" autocomplete="off" spellcheck="false" value="${escapeHtml(kind)}"></div>
  <div class="actions"><button type="submit">Filter</button>${filtered ? '<a href="/mail">Clear filters</a>' : '<a href="/mail">Refresh</a>'}</div>
</form>`;
}

function countLine(model: MailboxPageModel): string {
  const n = model.messages.length;
  const filtered = Boolean(model.filter.to || model.filter.kind);
  const noun = (k: number) => (k === 1 ? 'message' : 'messages');
  if (n >= model.shownLimit) {
    return `Showing the newest ${n} ${noun(n)}${filtered ? ' that match' : ''} (${model.total} in the mailbox).`;
  }
  if (filtered) return `${n} ${noun(n)} match (${model.total} in the mailbox).`;
  return `${n} ${noun(n)}, newest first.`;
}

function renderMessage(mail: StoredMail): string {
  const headingId = `subject-${escapeHtml(mail.id)}`;
  const links =
    mail.links.length === 0
      ? ''
      : `<h3>Links</h3>
<ol class="links">${mail.links.map((url) => `<li><a href="${escapeHtml(url)}" rel="noreferrer">${escapeHtml(url)}</a></li>`).join('')}</ol>`;
  const html =
    mail.html === undefined
      ? ''
      : `<details><summary>HTML version</summary>
<iframe sandbox="" referrerpolicy="no-referrer" loading="lazy" title="HTML version of: ${escapeHtml(mail.subject)}" srcdoc="${escapeHtml(mail.html)}"></iframe>
<p class="hint">Shown without scripts or navigation; use the links above.</p>
</details>`;
  return `<li><article id="message-${escapeHtml(mail.id)}" aria-labelledby="${headingId}">
<h2 id="${headingId}">${escapeHtml(mail.subject)}</h2>
<dl class="meta">
<dt>Sent</dt><dd><time datetime="${escapeHtml(mail.sentAt)}">${escapeHtml(formatLondon(mail.sentAt))}</time></dd>
<dt>To</dt><dd>${escapeHtml(mail.to)}</dd>
<dt>Kind</dt><dd><span class="kind">${escapeHtml(mail.kind)}</span></dd>
</dl>
<div class="body">${bodyWithLinks(mail.text)}</div>
${links}
${html}
</article></li>`;
}

function emptyState(model: MailboxPageModel): string {
  if (model.smtp !== undefined) return '';
  const filtered = Boolean(model.filter.to || model.filter.kind);
  return filtered
    ? `<div class="empty"><h2>No messages match</h2><p>Nothing in the mailbox matches these filters. <a href="/mail">Show all messages</a>.</p></div>`
    : `<div class="empty"><h2>No messages yet</h2><p>Sign-up confirmations, invitations and notifications sent by the local stack will appear here.</p></div>`;
}

export function renderMailboxPage(model: MailboxPageModel): string {
  const content =
    model.smtp !== undefined
      ? `<div class="notice"><p><strong>The local mailbox is off.</strong> SMTP_HOST is set, so mail is sent through the SMTP relay ${escapeHtml(model.smtp)} and is not kept here.</p></div>`
      : `${filterForm(model)}
${model.messages.length === 0 ? emptyState(model) : `<p class="count" role="status">${escapeHtml(countLine(model))}</p>
<ol class="messages">
${model.messages.map(renderMessage).join('\n')}
</ol>`}`;
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Local mailbox – Commissioning portal</title>
<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#main">Skip to main content</a>
<header class="banner"><div class="inner"><span class="service">Commissioning portal</span><span class="where">Local stack · mail</span></div></header>
<main id="main">
<h1>Local mailbox</h1>
<p class="lede">Every email the local stack sends lands here instead of being delivered. Newest first, in UK time.</p>
${content}
</main>
</body>
</html>
`;
}
