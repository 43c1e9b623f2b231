// Request and error helpers for functions that follow the portal's error shape
// `{ "error": { "code": "…", "message": "…" } }` (send-invitation,
// send-notification-emails). Every answer carries the CORS headers.
import { json } from './cors.ts';

/** A JSON error answer: `{ error: { code, message } }` with `status`. */
export function errorResponse(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return json({ error: { code, message } }, status, headers);
}

/** The token of `Authorization: Bearer <token>`, or null when there is none. */
export function bearerToken(req: Request): string | null {
  const match = /^bearer\s+(\S+)\s*$/i.exec(req.headers.get('Authorization') ?? '');
  return match?.[1] ?? null;
}

/** Thrown by `readJsonObject` when the body is not a JSON object; `message` is for the caller. */
export class BadRequest extends Error {}

/** The request body as a JSON object; an empty body counts as `{}`. */
export async function readJsonObject(req: Request): Promise<Record<string, unknown>> {
  const text = await req.text();
  if (text.trim() === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new BadRequest('The request body must be JSON.');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new BadRequest('The request body must be a JSON object.');
  return body as Record<string, unknown>;
}

/** Thrown by `readBodyCapped` when a body passes its limit. */
export class BodyTooLarge extends Error {}

/** Read what is left of a refused body (up to 64 MB) so the client finishes sending and reads the 413. */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  let seen = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      seen += value.byteLength;
      if (seen > 64 * 1024 * 1024) break;
    }
  } catch {
    return;
  }
  await reader.cancel().catch(() => {});
}

/** The body, refusing it as soon as it passes `limit` bytes (Content-Length is not trusted alone). */
export async function readBodyCapped(req: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const declared = Number(req.headers.get('Content-Length') ?? '');
  if (Number.isFinite(declared) && declared > limit) {
    await drain(reader);
    throw new BodyTooLarge();
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await drain(reader);
      throw new BodyTooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** An absolute http(s) URL, or null. */
export function httpUrl(value: unknown): URL | null {
  if (typeof value !== 'string' || value.length > 2048) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * For functions only the scheduler calls: null when `req` is a POST with the
 * project's service-role key, else the answer to give (405, or 403 naming `job`).
 */
export function refuseUnlessScheduler(req: Request, job: string): Response | null {
  if (req.method !== 'POST') return errorResponse(405, 'method_not_allowed', 'Use POST.', { Allow: 'POST, OPTIONS' });
  const serviceRoleKey = Deno.env.get('SUPABASE_SERVICE_ROLE_KEY');
  if (!serviceRoleKey || bearerToken(req) !== serviceRoleKey) {
    return errorResponse(403, 'forbidden', `Only the service role (the scheduler) may ${job}.`);
  }
  return null;
}
