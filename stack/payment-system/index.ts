// The payment-system SIMULATOR (docs/payment-file.md). The real payment system
// cannot run here, so the local stack stands in for it, as the mailbox stands
// in for email: it receives the runs the portal's `deliver-payment-runs`
// function sends to PAYMENT_SYSTEM_URL, keeps them under
// `<dataDir>/payment-system/`, and answers them — from its page, from its JSON
// API (tests), or by itself a moment after a run arrives when automatic
// acknowledgement is on (`STACK_PAYMENT_AUTO_ACK`, on in `npm start`, off in
// the test stack). An answer is posted, signed with the shared secret, to the
// portal's `payment-system-answer` function, exactly as the real system would.
//
//   GET    /payment-system/                          the page (received runs, Acknowledge / Reject with reason)
//   POST   /payment-system/runs/:id/acknowledge      the page's forms (form token, same origin)
//   POST   /payment-system/runs/:id/reject           form field `reason`
//   POST   /payment-system/v1/runs                   receive a run (signed by the portal: X-Payment-System-Signature)
//   GET    /payment-system/v1/runs                   ReceivedRun[], newest first (?run_id=)
//   GET    /payment-system/v1/runs/:id               one ReceivedRun
//   GET    /payment-system/v1/runs/:id/files/:name   a received file, as sent
//   POST   /payment-system/v1/runs/:id/acknowledge   {"reference"?}   (service-role key)
//   POST   /payment-system/v1/runs/:id/reject        {"reason"}       (service-role key)
//   DELETE /payment-system/v1/runs                   forget everything (service-role key)
//
// Reading needs no key, like the mailbox: the gateway listens on 127.0.0.1
// only and sends no CORS header, so another site's page cannot read it.
// Answering does: the service-role key (JSON API) or the page's form token.
import { createHmac, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { StackConfig } from '../config.ts';
import { verifyJwt } from '../jwt.ts';
import {
  SIGNATURE_HEADER,
  signBody,
  staleness,
  verifySignature,
  type PaymentAnswer,
  type PaymentRunMessage,
} from '../../supabase/functions/_shared/payment-system.ts';
import { renderPaymentSystemPage } from './page.ts';
import { FILE_NAME_PATTERN, PaymentSystemStore, type ReceivedRun } from './store.ts';

export type { ReceivedRun } from './store.ts';

export interface PaymentSystemLog {
  info(line: string): void;
  error(line: string): void;
}

export interface PaymentSystemSimulatorOptions {
  /** The portal's `payment-system-answer` function. */
  answerUrl: string;
  /** Acknowledge every run by itself after `autoAckDelayMs`. Default: config.paymentAutoAck. */
  autoAck?: boolean;
  /** Default 1.5 s: long enough for the portal to record the delivery first. */
  autoAckDelayMs?: number;
  log?: PaymentSystemLog;
  fetch?: typeof fetch;
}

export type AnswerOutcome = { ok: true; run: ReceivedRun } | { ok: false; status: number; message: string; run?: ReceivedRun };

export interface PaymentSystemSimulator {
  /** Mounted at the gateway root. */
  routes: Hono;
  store: PaymentSystemStore;
  /** Answer a received try as the payment system would (signed POST to the portal). */
  answer(id: string, decision: { acknowledged: true; reference?: string } | { acknowledged: false; reason: string }): Promise<AnswerOutcome>;
  /** Cancels automatic acknowledgements not yet sent and waits for ones under way. */
  stop(): Promise<void>;
}

const consoleLog: PaymentSystemLog = {
  info: (line) => console.info(`[payment-system simulator] ${line}`),
  error: (line) => console.error(`[payment-system simulator] ${line}`),
};

const noStore = { 'cache-control': 'no-store' };
const MAX_RUN_BYTES = 25 * 1024 * 1024;
const AUTO_ACK_ATTEMPTS = 3;

export function paymentSystemDir(config: Pick<StackConfig, 'dataDir'>): string {
  return path.join(config.dataDir, 'payment-system');
}

/** The run message's fields, checked; or why it is not one. */
function readRunMessage(value: unknown): PaymentRunMessage | string {
  const v = value as Partial<PaymentRunMessage> | null;
  if (typeof v !== 'object' || v === null) return 'the body must be a JSON object';
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (typeof v.run_id !== 'string' || !uuid.test(v.run_id)) return 'run_id must be a uuid';
  if (!Number.isSafeInteger(v.run_number)) return 'run_number must be a whole number';
  if (!Number.isInteger(v.try_number) || v.try_number! < 1 || v.try_number! > 999) return 'try_number must be 1 to 999';
  const c = v.commissioner;
  if (typeof c !== 'object' || c === null || typeof c.id !== 'string' || typeof c.ods_code !== 'string' || typeof c.name !== 'string') {
    return 'commissioner must be {id, ods_code, name}';
  }
  if (typeof v.payment_date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v.payment_date)) return 'payment_date must be YYYY-MM-DD';
  if (!Number.isSafeInteger(v.claim_count)) return 'claim_count must be a whole number';
  if (typeof v.total !== 'string' || !/^-?\d+\.\d{2}$/.test(v.total)) return 'total must be text with two decimals';
  if (!Array.isArray(v.files) || v.files.length === 0) return 'files must list the payment files';
  for (const file of v.files) {
    if (typeof file?.name !== 'string' || !FILE_NAME_PATTERN.test(file.name)) return 'every file needs a plain name';
    if (typeof file.content_type !== 'string' || typeof file.base64 !== 'string') return 'every file needs content_type and base64';
  }
  return v as PaymentRunMessage;
}

async function isServiceRole(c: Context, secret: string): Promise<boolean> {
  const bearer = /^bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1];
  for (const token of [bearer, c.req.header('apikey')?.trim()]) {
    if (!token) continue;
    try {
      if ((await verifyJwt(token, secret)).role === 'service_role') return true;
    } catch {
      // try the other header
    }
  }
  return false;
}

/**
 * Browsers say where a form came from: refuse another site's page (the token already does; this
 * is belt and braces). Sec-Fetch-Site first: the page's no-referrer policy makes Chromium send
 * `Origin: null` even for its own forms, so Origin is only compared when it names a site.
 */
function crossSite(c: Context): boolean {
  const fetchSite = c.req.header('sec-fetch-site');
  if (fetchSite) return fetchSite !== 'same-origin' && fetchSite !== 'none';
  const origin = c.req.header('origin');
  if (!origin || origin === 'null') return false;
  return origin !== new URL(c.req.url).origin;
}

export async function createPaymentSystemSimulator(
  config: Pick<StackConfig, 'dataDir' | 'fresh' | 'jwtSecret' | 'paymentSystemSecret' | 'paymentAutoAck'>,
  options: PaymentSystemSimulatorOptions,
): Promise<PaymentSystemSimulator> {
  const log = options.log ?? consoleLog;
  const fetchImpl = options.fetch ?? fetch;
  const secret = config.paymentSystemSecret;
  const autoAck = options.autoAck ?? config.paymentAutoAck;
  const autoAckDelayMs = options.autoAckDelayMs ?? 1_500;
  const dir = paymentSystemDir(config);
  if (config.fresh) await fs.rm(dir, { recursive: true, force: true });
  const store = await PaymentSystemStore.open(dir);

  const formToken = (id: string) => createHmac('sha256', secret).update(`payment-system-form:${id}`).digest('hex');
  const validFormToken = (id: string, token: unknown) => {
    if (typeof token !== 'string' || !/^[0-9a-f]{64}$/.test(token)) return false;
    return timingSafeEqual(Buffer.from(token, 'hex'), Buffer.from(formToken(id), 'hex'));
  };

  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const underWay = new Set<Promise<unknown>>();

  async function answer(
    id: string,
    decision: { acknowledged: true; reference?: string } | { acknowledged: false; reason: string },
  ): Promise<AnswerOutcome> {
    const run = await store.get(id);
    if (!run) return { ok: false, status: 404, message: 'No run try with that id was received.' };
    const reason = decision.acknowledged ? null : decision.reason.trim();
    if (!decision.acknowledged && !reason) return { ok: false, status: 400, message: 'A rejection needs a reason.', run };
    const reference = decision.acknowledged ? (decision.reference?.trim() || `SIM-${run.runNumber}-${run.tryNumber}`) : null;
    const message: PaymentAnswer & { run_number: number } = {
      run_id: run.runId,
      run_number: run.runNumber,
      acknowledged: decision.acknowledged,
      reason,
      reference,
      answered_at: new Date().toISOString(),
    };
    const body = JSON.stringify(message);
    let status = 0;
    let text = '';
    try {
      const response = await fetchImpl(options.answerUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', [SIGNATURE_HEADER]: await signBody(secret, body) },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      text = `the portal could not be reached: ${(error as Error).message}`;
    }
    if (status >= 200 && status < 300) {
      await store.markAnswered(run.runId, decision.acknowledged ? { state: 'acknowledged', reference: reference! } : { state: 'rejected', reason: reason! });
      log.info(`Run ${run.runNumber} ${decision.acknowledged ? `acknowledged (reference ${reference})` : `rejected: ${reason}`}`);
      return { ok: true, run: (await store.get(id))! };
    }
    let detail = text.slice(0, 300);
    try {
      const parsed = JSON.parse(text) as { error?: { message?: string }; message?: string };
      detail = parsed.error?.message ?? parsed.message ?? detail;
    } catch {
      // not JSON: keep the text
    }
    const why = status === 0 ? detail : `payment-system-answer answered ${status}: ${detail}`;
    await store.noteAnswerError(id, why);
    log.error(`the answer for Run ${run.runNumber} was not recorded: ${why}`);
    return { ok: false, status: status === 0 ? 502 : status, message: why, run: await store.get(id) };
  }

  function track<T>(promise: Promise<T>): Promise<T> {
    underWay.add(promise);
    const forget = () => underWay.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  function scheduleAutoAck(id: string, attempt = 1): void {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      void track(
        answer(id, { acknowledged: true }).then((outcome) => {
          if (!outcome.ok && outcome.run?.state === 'received' && attempt < AUTO_ACK_ATTEMPTS) scheduleAutoAck(id, attempt + 1);
        }),
      );
    }, autoAckDelayMs * attempt);
    timer.unref();
    timers.add(timer);
  }

  const app = new Hono();

  const page = async (c: Context) => {
    const answeredId = c.req.query('answered');
    const answered = answeredId ? await store.get(answeredId) : undefined;
    const html = renderPaymentSystemPage({ runs: await store.list(), autoAck, formToken, ...(answered ? { answered } : {}) });
    return c.html(html, 200, {
      ...noStore,
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
  };
  app.get('/payment-system', (c) => c.redirect('/payment-system/', 301));
  app.get('/payment-system/', page);

  for (const kind of ['acknowledge', 'reject'] as const) {
    app.post(`/payment-system/runs/:id/${kind}`, bodyLimit({ maxSize: 16 * 1024, onError: (c) => c.text('Too large', 413) }), async (c) => {
      const id = c.req.param('id');
      const form = await c.req.parseBody();
      if (crossSite(c) || !validFormToken(id, form.token)) {
        return c.text('This form is not from the payment-system simulator page: reload the page and try again.', 403);
      }
      const reason = typeof form.reason === 'string' ? form.reason : '';
      const outcome = await answer(id, kind === 'acknowledge' ? { acknowledged: true } : { acknowledged: false, reason });
      if (!outcome.ok && !outcome.run) return c.text(outcome.message, outcome.status as 400);
      // Post/redirect/get: the page says what happened to this try.
      return c.redirect(`/payment-system/?answered=${encodeURIComponent(id)}#run-${encodeURIComponent(id)}`, 303);
    });
  }

  app.post('/payment-system/v1/runs', bodyLimit({ maxSize: MAX_RUN_BYTES, onError: (c) => c.json({ message: 'The run is too large' }, 413) }), async (c) => {
    const body = await c.req.text();
    if (!(await verifySignature(secret, body, c.req.header(SIGNATURE_HEADER)))) {
      return c.json({ message: `The ${SIGNATURE_HEADER} header is missing or does not match the body.` }, 401);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return c.json({ message: 'The body must be JSON.' }, 400);
    }
    const message = readRunMessage(parsed);
    if (typeof message === 'string') return c.json({ message: `Not a payment run: ${message}.` }, 400);
    const stale = staleness(message.sent_at);
    if (stale) return c.json({ message: `Refused: ${stale}.` }, 401);
    const stored = await store.add(
      {
        runId: message.run_id,
        runNumber: message.run_number,
        tryNumber: message.try_number,
        commissioner: { id: message.commissioner.id, odsCode: message.commissioner.ods_code, name: message.commissioner.name },
        paymentDate: message.payment_date,
        claimCount: message.claim_count,
        total: message.total,
        sentAt: message.sent_at,
      },
      message.files.map((file) => ({ name: file.name, contentType: file.content_type, bytes: Buffer.from(file.base64, 'base64') })),
    );
    log.info(`received Run ${stored.runNumber} try ${stored.tryNumber} (${stored.commissioner.odsCode}, ${stored.claimCount} claims, £${stored.total})`);
    if (autoAck && stored.state === 'received') scheduleAutoAck(stored.id);
    return c.json({ received: true, id: stored.id }, 201);
  });

  app.get('/payment-system/v1/runs', async (c) => {
    const runId = c.req.query('run_id');
    const runs = await store.list();
    return c.json(runId ? runs.filter((run) => run.runId === runId) : runs, 200, noStore);
  });

  app.get('/payment-system/v1/runs/:id', async (c) => {
    const run = await store.get(c.req.param('id'));
    return run ? c.json(run, 200, noStore) : c.json({ message: 'No run try with that id was received.' }, 404);
  });

  app.get('/payment-system/v1/runs/:id/files/:name', async (c) => {
    const name = c.req.param('name');
    const file = await store.file(c.req.param('id'), name);
    if (!file) return c.json({ message: 'No such file' }, 404);
    return c.body(new Uint8Array(file.bytes), 200, {
      ...noStore,
      'content-type': file.contentType,
      'content-disposition': `attachment; filename="${name}"`,
      'x-content-type-options': 'nosniff',
    });
  });

  const refuse = (c: Context) => c.json({ message: 'Answering through the API needs the service-role key ("Authorization: Bearer <key>").' }, 401);

  app.post('/payment-system/v1/runs/:id/acknowledge', async (c) => {
    if (!(await isServiceRole(c, config.jwtSecret))) return refuse(c);
    const body = (await c.req.json().catch(() => ({}))) as { reference?: unknown };
    const reference = typeof body.reference === 'string' ? body.reference : undefined;
    const outcome = await answer(c.req.param('id'), { acknowledged: true, ...(reference ? { reference } : {}) });
    return outcome.ok ? c.json(outcome.run) : c.json({ message: outcome.message }, outcome.status as 400);
  });

  app.post('/payment-system/v1/runs/:id/reject', async (c) => {
    if (!(await isServiceRole(c, config.jwtSecret))) return refuse(c);
    const body = (await c.req.json().catch(() => ({}))) as { reason?: unknown };
    const outcome = await answer(c.req.param('id'), { acknowledged: false, reason: typeof body.reason === 'string' ? body.reason : '' });
    return outcome.ok ? c.json(outcome.run) : c.json({ message: outcome.message }, outcome.status as 400);
  });

  app.delete('/payment-system/v1/runs', async (c) => {
    if (!(await isServiceRole(c, config.jwtSecret))) return refuse(c);
    return c.json({ deleted: await store.clear() });
  });

  if (autoAck) log.info(`automatic acknowledgement is on: runs are acknowledged ${autoAckDelayMs} ms after they arrive`);
  return {
    routes: app,
    store,
    answer: (id, decision) => track(answer(id, decision)),
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.allSettled([...underWay]);
    },
  };
}

