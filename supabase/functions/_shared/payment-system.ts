// The ONE interface between the portal and the payment system (docs/payment-file.md,
// "Talking to the payment system"): send a run's files; the answer
// (acknowledged or rejected) comes back later to the `payment-system-answer`
// edge function.
//
//   PaymentSystem.sendRun(run, files) → { accepted: true } | { accepted: false, error }
//
// `httpPaymentSystem` posts the run as JSON to PAYMENT_SYSTEM_URL. Both ways
// are authenticated with the shared secret PAYMENT_SYSTEM_SECRET: the sender
// signs the exact body bytes with HMAC-SHA256 and sends
// `X-Payment-System-Signature: sha256=<hex>`; the receiver recomputes it and
// refuses a missing or wrong signature, and a body whose timestamp
// (`sent_at` / `answered_at`) is more than a few minutes old (a replay).
//
// Locally the payment system is a SIMULATOR in the stack (stack/payment-system/),
// which uses this same module to check and sign. The module runs in Deno and
// Node: web APIs only (fetch, crypto.subtle), no Deno globals — callers pass
// the environment in.

export const SIGNATURE_HEADER = 'X-Payment-System-Signature';
/** A signed body older than this is refused as a replay (and one from further ahead than the skew). */
export const MAX_AGE_MS = 5 * 60_000;
export const MAX_CLOCK_SKEW_MS = 60_000;

/** A run's try, as the payment system receives it. */
export interface PaymentRunDelivery {
  run_id: string;
  run_number: number;
  try_number: number;
  commissioner: { id: string; ods_code: string; name: string };
  /** `YYYY-MM-DD` */
  payment_date: string;
  claim_count: number;
  /** Two decimals, as text: `"2167.76"`. */
  total: string;
}

export interface PaymentFile {
  name: string;
  content_type: string;
  bytes: Uint8Array;
}

export type SendResult = { accepted: true } | { accepted: false; error: string };

export interface PaymentSystem {
  /** Deliver one try of a run with its files. Never throws: a failure is an answer. */
  sendRun(run: PaymentRunDelivery, files: readonly PaymentFile[]): Promise<SendResult>;
}

/** The JSON body posted to PAYMENT_SYSTEM_URL. */
export interface PaymentRunMessage extends PaymentRunDelivery {
  /** ISO timestamp; a message older than MAX_AGE_MS is refused. */
  sent_at: string;
  files: Array<{ name: string; content_type: string; base64: string }>;
}

/** The JSON body the payment system posts to `payment-system-answer`. */
export interface PaymentAnswer {
  run_id: string;
  acknowledged: boolean;
  /** Required when rejected. */
  reason?: string | null;
  /** The payment system's own reference for the payment, when acknowledged. */
  reference?: string | null;
  /** ISO timestamp; an answer older than MAX_AGE_MS is refused. */
  answered_at: string;
}

const encoder = new TextEncoder();

function hex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function hmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}

/** `sha256=<hex HMAC-SHA256 of the body>`: the value of the signature header. */
export async function signBody(secret: string, body: string): Promise<string> {
  if (secret === '') throw new Error('The payment system secret is empty');
  return `sha256=${hex(await crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(body)))}`;
}

/** Whether `header` is the body's signature with `secret` (compared in constant time by crypto.subtle.verify). */
export async function verifySignature(secret: string, body: string, header: string | null | undefined): Promise<boolean> {
  if (secret === '' || !header) return false;
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!match) return false;
  const signature = new Uint8Array(match[1]!.match(/../g)!.map((pair) => parseInt(pair, 16)));
  return crypto.subtle.verify('HMAC', await hmacKey(secret), signature, encoder.encode(body));
}

/** null when `iso` is within the allowed window around `now`, else why not. */
export function staleness(iso: unknown, now: Date = new Date()): string | null {
  if (typeof iso !== 'string') return 'the body has no timestamp';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return 'the timestamp is not a date';
  if (now.getTime() - at > MAX_AGE_MS) return `the message is more than ${MAX_AGE_MS / 60_000} minutes old (a replay?)`;
  if (at - now.getTime() > MAX_CLOCK_SKEW_MS) return 'the timestamp is in the future';
  return null;
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export interface HttpPaymentSystemOptions {
  /** PAYMENT_SYSTEM_URL: where runs are posted. */
  url: string;
  /** PAYMENT_SYSTEM_SECRET: signs the body. */
  secret: string;
  /** A delivery that takes longer fails (and is tried again later). Default 30 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => Date;
}

/** The payment system over HTTPS: POST the signed run; any 2xx means it was received. */
export function httpPaymentSystem(options: HttpPaymentSystemOptions): PaymentSystem {
  const fetchImpl = options.fetch ?? fetch;
  const now = options.now ?? (() => new Date());
  return {
    async sendRun(run, files) {
      const message: PaymentRunMessage = {
        ...run,
        sent_at: now().toISOString(),
        files: files.map((file) => ({ name: file.name, content_type: file.content_type, base64: base64(file.bytes) })),
      };
      const body = JSON.stringify(message);
      try {
        const response = await fetchImpl(options.url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', [SIGNATURE_HEADER]: await signBody(options.secret, body) },
          body,
          signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
        });
        const text = await response.text();
        if (response.ok) return { accepted: true };
        return { accepted: false, error: `the payment system answered ${response.status}: ${text.slice(0, 300)}` };
      } catch (error) {
        return { accepted: false, error: `the payment system could not be reached: ${error instanceof Error ? error.message : String(error)}` };
      }
    },
  };
}

/** A payment system that refuses every run (the secrets are not set): runs stay queued and are retried. */
function unconfiguredPaymentSystem(missing: string[]): PaymentSystem {
  return {
    sendRun: () => Promise.resolve({ accepted: false, error: `the payment system is not configured: set ${missing.join(' and ')}` }),
  };
}

/** The payment system named by PAYMENT_SYSTEM_URL and PAYMENT_SYSTEM_SECRET (`env` is `Deno.env.get` in a function). */
export function paymentSystemFromEnv(env: (name: string) => string | undefined): PaymentSystem {
  const url = env('PAYMENT_SYSTEM_URL')?.trim() ?? '';
  const secret = env('PAYMENT_SYSTEM_SECRET') ?? '';
  const missing = [...(url === '' ? ['PAYMENT_SYSTEM_URL'] : []), ...(secret === '' ? ['PAYMENT_SYSTEM_SECRET'] : [])];
  if (missing.length > 0) return unconfiguredPaymentSystem(missing);
  return httpPaymentSystem({ url, secret });
}

/** The answer in a body, or why it is not one. */
export function parseAnswer(value: unknown): PaymentAnswer | string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'The body must be a JSON object.';
  const v = value as Record<string, unknown>;
  if (typeof v.run_id !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v.run_id)) {
    return 'run_id must be the run\'s id (a uuid).';
  }
  if (typeof v.acknowledged !== 'boolean') return 'acknowledged must be true or false.';
  const reason = v.reason ?? null;
  const reference = v.reference ?? null;
  if (reason !== null && (typeof reason !== 'string' || reason.length > 1000)) return 'reason must be text of at most 1000 characters.';
  if (reference !== null && (typeof reference !== 'string' || reference.length > 100)) return 'reference must be text of at most 100 characters.';
  if (!v.acknowledged && (reason === null || reason.trim() === '')) return 'A rejection needs a reason.';
  if (typeof v.answered_at !== 'string') return 'answered_at must be an ISO timestamp.';
  return { run_id: v.run_id, acknowledged: v.acknowledged, reason, reference, answered_at: v.answered_at };
}
