// Hostile request bodies at the gateway: deeply nested JSON and oversize bodies get
// the 4xx the hosted service gives, in its error shape, never a 500. Kong's apikey
// check still comes first on /rest/v1 and /auth/v1.
import { describe, expect, it } from 'vitest';
import { err, rest, stack } from './helpers.ts';

const DEPTH = 5000;
const deepArray = '['.repeat(DEPTH) + ']'.repeat(DEPTH);
const deepObject = '{"a":'.repeat(DEPTH) + '1' + '}'.repeat(DEPTH);
const json = { 'Content-Type': 'application/json' };

describe('deeply nested JSON', () => {
  it('REST: a 5,000-deep body is 400 PGRST102, for a table and for a function', async () => {
    for (const body of [deepArray, deepObject]) {
      const insert = await rest('items', { method: 'POST', body, headers: json });
      expect(insert.status).toBe(400);
      expect(insert.json).toEqual(err('PGRST102', 'Empty or invalid json'));
      const update = await rest('items?id=eq.1', { method: 'PATCH', body, headers: json });
      expect(update.json).toEqual(err('PGRST102', 'Empty or invalid json'));
    }
    const rpc = await rest('rpc/greet', { method: 'POST', body: `{"name":${deepObject}}`, headers: json });
    expect(rpc.status).toBe(400);
    expect(rpc.json).toEqual(err('PGRST102', 'Empty or invalid json'));
  });

  it('REST: ordinary nesting still passes', async () => {
    const nested = '{"name":' + '['.repeat(50) + '"x"' + ']'.repeat(50) + '}';
    const res = await rest('rpc/greet', { method: 'POST', body: nested, headers: json });
    expect(res.status).not.toBe(500);
    expect((res.json as { code?: string } | undefined)?.code).not.toBe('PGRST102');
  });

  it('REST: without an apikey the gateway refuses first (401), as Kong does', async () => {
    const res = await rest('items', { method: 'POST', body: deepArray, headers: json, as: 'none' });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ message: 'No API key found in request', hint: 'No `apikey` request header or url param was found.' });
  });

  it('Auth: a 5,000-deep body is 400 bad_json, not a 500', async () => {
    for (const path of ['/signup', '/token?grant_type=password', '/otp']) {
      const body = `{"email":"deep@auth-test.example","password":"Commission-Portal-2026","data":${deepObject}}`;
      const res = await fetch(`${stack.apiUrl}/auth/v1${path}`, {
        method: 'POST',
        headers: { ...json, apikey: stack.anonKey, 'X-Supabase-Api-Version': '2024-01-01', 'X-Forwarded-For': '198.51.100.250' },
        body,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'bad_json' });
    }
  });
});

describe('Auth body size', () => {
  it('refuses a body over 1 MiB with 413 request_entity_too_large, also when streamed without Content-Length', async () => {
    const MiB = 1024 * 1024;
    const oversize = JSON.stringify({ email: 'big@auth-test.example', password: 'x'.repeat(MiB) });
    const streamed = () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(oversize));
          controller.close();
        },
      });
    for (const body of [oversize, streamed()]) {
      const res = await fetch(`${stack.apiUrl}/auth/v1/signup`, {
        method: 'POST',
        headers: { ...json, apikey: stack.anonKey, 'X-Supabase-Api-Version': '2024-01-01', 'X-Forwarded-For': '198.51.100.251' },
        body,
        duplex: 'half',
      } as RequestInit);
      expect(res.status).toBe(413);
      expect(await res.json()).toEqual({ code: 'request_entity_too_large', message: `Request body too large (max ${MiB} bytes)` });
    }
  });
});

describe('deeply nested JSON to an edge function', () => {
  it('is passed through to the function, which answers it (validate-ods-code: 400), not the gateway with a 500', async () => {
    for (const body of [deepArray, `{"ods_code":${deepObject}}`]) {
      const res = await fetch(`${stack.apiUrl}/functions/v1/validate-ods-code`, {
        method: 'POST',
        headers: { ...json, apikey: stack.anonKey, Authorization: `Bearer ${stack.anonKey}` },
        body,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'invalid_request' });
    }
  });
});

describe('REST body size', () => {
  // The test stack runs with the default limit (STACK_REST_MAX_BODY_BYTES unset).
  const LIMIT = 10 * 1024 * 1024;
  const tooLarge = (details: string) =>
    err('PGRST413', 'Request body too large', details, 'Send less, or raise STACK_REST_MAX_BODY_BYTES on the local stack.');

  it('refuses a body over the limit with 413 and a PostgREST-style error, by its Content-Length', async () => {
    const body = JSON.stringify([{ id: 1, name: 'x'.repeat(LIMIT) }]);
    const res = await rest('items', { method: 'POST', body, headers: json });
    expect(res.status).toBe(413);
    expect(res.json).toEqual(tooLarge(`The request body is larger than ${LIMIT} bytes.`));
  });

  it('counts a streamed body without Content-Length and stops at the limit', async () => {
    let sent = 0;
    const chunk = new TextEncoder().encode('x'.repeat(1024 * 1024));
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Up to twice the limit; the gateway must answer long before the end.
        if (sent >= 2 * LIMIT) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await fetch(`${stack.apiUrl}/rest/v1/items`, {
      method: 'POST',
      headers: { ...json, apikey: stack.anonKey, 'Content-Profile': 'conformance' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual(tooLarge(`The request body is larger than ${LIMIT} bytes.`));
  });

  it('accepts a body just under the limit (it reaches the database)', async () => {
    const body = `{"name":${JSON.stringify('y'.repeat(LIMIT - 100))}}`;
    expect(Buffer.byteLength(body)).toBeLessThan(LIMIT);
    const res = await rest('rpc/greet', { method: 'POST', body, headers: json });
    expect(res.status).toBe(200);
    expect(res.json).toBe(`Hello, ${'y'.repeat(LIMIT - 100)}!`);
  });
});
