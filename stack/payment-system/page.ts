// The payment-system SIMULATOR's page (`GET /payment-system/`): server-rendered
// HTML, no scripts. Lists every run try the simulator received, with its files,
// and plain forms to Acknowledge or Reject with reason. Pure.
//
// Every value that came from the portal goes through escapeHtml (the mailbox
// page's). The forms carry a token only the simulator can make, so a page on
// another site cannot answer a run (routes.ts checks it).
import { formatDateOnly } from '../../src/lib/calendar-dates.ts';
import { formatMoney } from '../../src/lib/money.ts';
import { escapeHtml, formatLondon } from '../mail/page.ts';
import type { ReceivedRun } from './store.ts';

export interface PaymentSystemPageModel {
  runs: ReceivedRun[];
  autoAck: boolean;
  /** A form token for a received try. */
  formToken(id: string): string;
  /** The try just answered from this page (after the redirect), to say what happened. */
  answered?: ReceivedRun;
}

const STATE_LABEL: Record<ReceivedRun['state'], string> = {
  received: 'Waiting for an answer',
  acknowledged: 'Acknowledged',
  rejected: 'Rejected',
};

const STYLE = `
:root { --nhs-blue: #005eb8; --text: #212b32; --secondary: #4c6272; --border: #d8dde0; --bg: #f0f4f5; --focus: #ffeb3b; --red: #d5281b; --green: #007f3b; --warm: #ffb81c; }
* { box-sizing: border-box; }
body { margin: 0; font-family: Arial, "Helvetica Neue", Helvetica, sans-serif; color: var(--text); background: var(--bg); line-height: 1.5; font-size: 1rem; }
a { color: var(--nhs-blue); }
a:visited { color: #330072; }
a:focus, button:focus, input:focus, textarea:focus { outline: 4px solid var(--focus); outline-offset: 0; box-shadow: 0 4px 0 #212b32; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 1rem; top: 1rem; background: var(--focus); color: var(--text); padding: .5rem; z-index: 1; }
header.banner { background: var(--nhs-blue); color: #fff; }
header.banner .inner { max-width: 60rem; margin: 0 auto; padding: .9rem 1.5rem; display: flex; align-items: baseline; gap: 1rem; flex-wrap: wrap; }
header.banner .service { font-weight: 700; font-size: 1.2rem; }
.simulator { background: var(--warm); color: var(--text); font-weight: 700; padding: .1rem .5rem; border-radius: 3px; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 2rem; margin: .5rem 0; }
.lede { margin: 0 0 1rem; color: var(--secondary); max-width: 44rem; }
.notice { background: #fff; border-left: 8px solid var(--nhs-blue); padding: .75rem 1.25rem; margin-bottom: 1rem; }
.notice.error { border-left-color: var(--red); }
.notice p { margin: 0; }
.empty { background: #fff; border: 1px solid var(--border); border-radius: 4px; padding: 2rem 1.5rem; text-align: center; }
.empty h2 { margin: 0 0 .5rem; font-size: 1.4rem; }
.empty p { margin: 0; color: var(--secondary); }
ol.runs { list-style: none; margin: 0; padding: 0; }
ol.runs > li { margin: 0 0 1rem; }
article { background: #fff; border: 1px solid var(--border); border-top: 4px solid var(--nhs-blue); border-radius: 4px; padding: 1rem 1.25rem 1.25rem; }
article.acknowledged { border-top-color: var(--green); }
article.rejected { border-top-color: var(--red); }
article h2 { font-size: 1.3rem; margin: 0 0 .5rem; overflow-wrap: anywhere; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0 0 1rem; }
dl.meta dt { color: var(--secondary); }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
.state { font-weight: 700; }
h3 { font-size: 1rem; margin: 0 0 .25rem; }
ul.files { margin: 0 0 1rem; padding-left: 1.5rem; overflow-wrap: anywhere; }
.answers { display: flex; flex-wrap: wrap; gap: 1rem 2rem; align-items: flex-start; border-top: 1px solid var(--border); padding-top: 1rem; }
.answers form { margin: 0; }
.answers form.reject { flex: 1 1 18rem; max-width: 30rem; }
label { display: block; font-weight: 700; margin-bottom: .2rem; }
textarea { font: inherit; width: 100%; min-height: 4rem; padding: .35rem .5rem; border: 2px solid var(--text); border-radius: 0; }
button { font: inherit; font-weight: 700; color: #fff; border: 0; border-radius: 4px; padding: .5rem 1rem; cursor: pointer; margin-top: .5rem; }
button.acknowledge { background: var(--green); box-shadow: 0 4px 0 #00401e; }
button.reject { background: var(--red); box-shadow: 0 4px 0 #6b140e; }
.hint { color: var(--secondary); font-size: .9rem; margin: .25rem 0 0; }
.error-text { color: var(--red); font-weight: 700; margin: 0 0 .75rem; }
`;

function answeredNotice(run: ReceivedRun): string {
  if (run.answerError) {
    return `<div class="notice error" role="alert"><p>The portal refused the answer for Run ${run.runNumber}: ${escapeHtml(run.answerError)}</p></div>`;
  }
  if (run.state === 'received') return '';
  const what = run.state === 'acknowledged' ? 'acknowledged' : 'rejected';
  return `<div class="notice" role="status"><p>Run ${run.runNumber} ${what}; the portal recorded the answer.</p></div>`;
}

function answerForms(run: ReceivedRun, token: string): string {
  const reasonId = `reason-${escapeHtml(run.id)}`;
  const base = `/payment-system/runs/${encodeURIComponent(run.id)}`;
  return `<div class="answers">
<form method="post" action="${base}/acknowledge">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<button type="submit" class="acknowledge">Acknowledge</button>
<p class="hint">The claims become paid in the portal.</p>
</form>
<form method="post" action="${base}/reject" class="reject">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<label for="${reasonId}">Reason for rejecting Run ${run.runNumber}</label>
<textarea id="${reasonId}" name="reason" required maxlength="1000"></textarea>
<button type="submit" class="reject">Reject with reason</button>
<p class="hint">The claims go back to approved for payment with this reason.</p>
</form>
</div>`;
}

function renderRun(run: ReceivedRun, token: string): string {
  const headingId = `heading-${escapeHtml(run.id)}`;
  const files = run.files
    .map((file) => {
      const href = `/payment-system/v1/runs/${encodeURIComponent(run.id)}/files/${encodeURIComponent(file.name)}`;
      return `<li><a href="${escapeHtml(href)}" download>${escapeHtml(file.name)}</a> (${file.size.toLocaleString('en-GB')} bytes)</li>`;
    })
    .join('');
  const answer =
    run.state === 'acknowledged'
      ? `<dt>Acknowledged</dt><dd>${escapeHtml(formatLondon(run.answeredAt ?? ''))}${run.reference ? `, reference ${escapeHtml(run.reference)}` : ''}</dd>`
      : run.state === 'rejected'
        ? `<dt>Rejected</dt><dd>${escapeHtml(formatLondon(run.answeredAt ?? ''))}</dd><dt>Reason</dt><dd>${escapeHtml(run.reason ?? '')}</dd>`
        : '';
  return `<li><article id="run-${escapeHtml(run.id)}" class="${run.state}" aria-labelledby="${headingId}">
<h2 id="${headingId}">Run ${run.runNumber} · try ${run.tryNumber}</h2>
<dl class="meta">
<dt>Commissioner</dt><dd>${escapeHtml(run.commissioner.odsCode)} ${escapeHtml(run.commissioner.name)}</dd>
<dt>Payment date</dt><dd>${escapeHtml(formatDateOnly(run.paymentDate))}</dd>
<dt>Claims</dt><dd>${run.claimCount}</dd>
<dt>Total</dt><dd>${escapeHtml(formatMoney(run.total))}</dd>
<dt>Received</dt><dd><time datetime="${escapeHtml(run.receivedAt)}">${escapeHtml(formatLondon(run.receivedAt))}</time></dd>
<dt>State</dt><dd class="state">${STATE_LABEL[run.state]}</dd>
${answer}
</dl>
<h3>Files</h3>
<ul class="files">${files}</ul>
${run.answerError ? `<p class="error-text">The portal refused the last answer: ${escapeHtml(run.answerError)}</p>` : ''}
${run.state === 'received' ? answerForms(run, token) : ''}
</article></li>`;
}

export function renderPaymentSystemPage(model: PaymentSystemPageModel): string {
  const autoAck = model.autoAck
    ? '<strong>Automatic acknowledgement is on</strong> (STACK_PAYMENT_AUTO_ACK): every run is acknowledged a moment after it arrives.'
    : 'Automatic acknowledgement is off: answer each run below (STACK_PAYMENT_AUTO_ACK=1 turns it on).';
  const list =
    model.runs.length === 0
      ? '<div class="empty"><h2>No runs received yet</h2><p>Payment runs the portal sends appear here within a few seconds of Finance sending them.</p></div>'
      : `<p class="hint">${model.runs.length} ${model.runs.length === 1 ? 'try' : 'tries'} received, newest first, in UK time.</p>
<ol class="runs">
${model.runs.map((run) => renderRun(run, model.formToken(run.id))).join('\n')}
</ol>`;
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Payment system simulator – Commissioning portal</title>
<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#main">Skip to main content</a>
<header class="banner"><div class="inner"><span class="service">Commissioning portal</span><span>Local stack · <span class="simulator">SIMULATOR</span></span></div></header>
<main id="main">
<h1>Payment system simulator</h1>
<p class="lede">This is <strong>not</strong> the real payment system. It is a simulator in the local stack that stands in for it: it receives the payment runs the portal sends, and lets you answer them as the payment system would.</p>
<div class="notice"><p>${autoAck}</p></div>
${model.answered ? answeredNotice(model.answered) : ''}
${list}
</main>
</body>
</html>
`;
}
