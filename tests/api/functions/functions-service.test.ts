// The functions service end to end over the test functions in fixtures/: real
// Deno process, real HTTP, supabase-js `functions.invoke` as the portal calls
// it, raw fetch where exact headers matter.
import { createHash } from 'node:crypto';
import { FunctionsHttpError } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signJwt } from '../../../stack/jwt.ts';
import { alive, stack, startFunctionsServer, supabaseClient, type FunctionsServer } from './helpers.ts';

let server: FunctionsServer;

beforeAll(async () => {
  server = await startFunctionsServer();
  console.log(`[functions test] fixture host ready in ${server.startMs} ms`);
}, 180_000);

afterAll(async () => {
  await server?.close();
});

function url(path: string): string {
  return `${server.url}/functions/v1/${path}`;
}

const anonHeaders = () => ({ apikey: stack.anonKey, Authorization: `Bearer ${stack.anonKey}` });

describe('boot', () => {
  it('serves every fixture folder except _shared and the disabled one', () => {
    expect(server.service.functions().map((f) => f.name)).toEqual([
      'boot-fails',
      'cors',
      'echo',
      'env',
      'exit',
      'no-handler',
      'public-echo',
      'stream',
      'throws',
      'throws-with-on-error',
    ]);
    expect(server.logs.some((line) => line.includes('not serving "disabled": enabled = false'))).toBe(true);
  });

  it('reads verify_jwt from config.toml, defaulting to true', () => {
    const verify = Object.fromEntries(server.service.functions().map((f) => [f.name, f.verifyJwt]));
    expect(verify['public-echo']).toBe(false);
    expect(verify.echo).toBe(true);
    expect(verify.cors).toBe(true);
  });
});

describe('invoke through supabase-js', () => {
  it('round-trips a JSON body and passes the client headers and custom headers', async () => {
    const client = supabaseClient(server.url, stack.anonKey);
    const { data, error, response } = await client.functions.invoke('echo', {
      body: { ods_code: 'ZP1001', nested: { list: [1, 2, 3], text: 'café ✓' } },
      headers: { 'x-custom-header': 'custom value' },
    });
    expect(error).toBeNull();
    expect(response?.status).toBe(200);
    expect(response?.headers.get('x-echo')).toBe('yes');
    expect(data.method).toBe('POST');
    expect(data.path).toBe('/echo');
    expect(JSON.parse(data.body)).toEqual({ ods_code: 'ZP1001', nested: { list: [1, 2, 3], text: 'café ✓' } });
    expect(data.headers['content-type']).toBe('application/json');
    expect(data.headers['x-custom-header']).toBe('custom value');
    expect(data.headers.authorization).toBe(`Bearer ${stack.anonKey}`);
    expect(data.headers.apikey).toBe(stack.anonKey);
    expect(data.headers['x-client-info']).toMatch(/^supabase-js/);
    // Host passes through, so the function sees the public URL as on hosted.
    expect(data.url).toBe(`${server.url}/echo`);
  });

  it('round-trips a binary body byte for byte', async () => {
    const bytes = new Uint8Array(256 * 64);
    for (let i = 0; i < bytes.length; i += 1) bytes[i] = (i * 7 + (i >> 8)) % 256;
    const client = supabaseClient(server.url, stack.anonKey);
    const { data, error, response } = await client.functions.invoke('echo?raw=1', { body: bytes.buffer });
    expect(error).toBeNull();
    expect(response?.headers.get('content-type')).toBe('application/octet-stream');
    expect(data).toBeInstanceOf(Blob);
    expect(new Uint8Array(await (data as Blob).arrayBuffer())).toEqual(bytes);
  });

  it('passes other methods, the sub-path and the query string', async () => {
    const client = supabaseClient(server.url, stack.anonKey);
    const { data, error } = await client.functions.invoke('echo/claims/42?view=full&x=%20y', { method: 'DELETE' });
    expect(error).toBeNull();
    expect(data.method).toBe('DELETE');
    expect(data.path).toBe('/echo/claims/42');
    expect(data.query).toEqual({ view: 'full', x: ' y' });
  });

  it('reports a function’s own error status as FunctionsHttpError with the response', async () => {
    const client = supabaseClient(server.url, stack.anonKey);
    const { data, error } = await client.functions.invoke('echo?status=422', { body: { bad: true } });
    expect(data).toBeNull();
    expect(error).toBeInstanceOf(FunctionsHttpError);
    const context = (error as FunctionsHttpError).context as Response;
    expect(context.status).toBe(422);
    expect(context.headers.get('x-echo')).toBe('yes');
    expect((await context.json()).body).toBe('{"bad":true}');
  });

  it('invokes a function that uses `export default { fetch }`', async () => {
    const client = supabaseClient(server.url, stack.anonKey);
    const { data, error } = await client.functions.invoke('public-echo', { body: 'plain text' });
    expect(error).toBeNull();
    expect(data.body).toBe('plain text');
    expect(data.headers['content-type']).toBe('text/plain');
  });
});

describe('verify_jwt', () => {
  it('refuses a request without Authorization when verify_jwt is on', async () => {
    const response = await fetch(url('echo'), { method: 'POST', headers: { apikey: stack.anonKey } });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ code: 401, message: 'Missing authorization header' });
  });

  it('refuses a bad signature, an expired token, a malformed token and a non-Bearer scheme', async () => {
    const now = Math.floor(Date.now() / 1000);
    const tokens = [
      `Bearer ${await signJwt({ role: 'anon', exp: now + 3600 }, 'another-secret-that-is-at-least-32-characters')}`,
      `Bearer ${await signJwt({ role: 'authenticated', sub: 'u', exp: now - 60 }, stack.jwtSecret)}`,
      'Bearer not-a-jwt',
      `Basic ${Buffer.from('user:pass').toString('base64')}`,
      `Token ${stack.anonKey}`,
    ];
    for (const authorization of tokens) {
      const response = await fetch(url('echo'), { method: 'POST', headers: { authorization } });
      expect(response.status, authorization).toBe(401);
      expect(await response.json()).toEqual({ code: 401, message: 'Invalid JWT' });
    }
  });

  it('surfaces the 401 to supabase-js as FunctionsHttpError', async () => {
    const client = supabaseClient(server.url, stack.anonKey, { Authorization: 'Bearer garbage.token.here' });
    const { error } = await client.functions.invoke('echo', { body: {} });
    expect(error).toBeInstanceOf(FunctionsHttpError);
    const context = (error as FunctionsHttpError).context as Response;
    expect(context.status).toBe(401);
    expect(await context.json()).toEqual({ code: 401, message: 'Invalid JWT' });
  });

  it('accepts the anon key, the service-role key and a user JWT', async () => {
    const now = Math.floor(Date.now() / 1000);
    const user = await signJwt({ sub: '11111111-1111-4111-8111-111111111111', role: 'authenticated', aud: 'authenticated', exp: now + 600 }, stack.jwtSecret);
    for (const token of [stack.anonKey, stack.serviceRoleKey, user]) {
      const response = await fetch(url('echo'), { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: 'x' });
      expect(response.status).toBe(200);
      expect((await response.json()).headers.authorization).toBe(`Bearer ${token}`);
    }
  });

  it('lets anyone call a function with verify_jwt = false, with or without a token', async () => {
    const bare = await fetch(url('public-echo'), { method: 'POST', body: 'hello' });
    expect(bare.status).toBe(200);
    expect((await bare.json()).body).toBe('hello');
    const withGarbage = await fetch(url('public-echo'), { headers: { authorization: 'Bearer garbage' } });
    expect(withGarbage.status).toBe(200);
    const client = supabaseClient(server.url, stack.anonKey);
    const { data, error } = await client.functions.invoke('public-echo', { body: { a: 1 } });
    expect(error).toBeNull();
    expect(JSON.parse(data.body)).toEqual({ a: 1 });
  });

  it('passes CORS preflights to the function without a JWT; the shared helper answers them', async () => {
    const preflight = await fetch(url('cors'), {
      method: 'OPTIONS',
      headers: {
        origin: 'http://127.0.0.1:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, x-client-info, apikey, content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-client-info');
    const call = await fetch(url('cors'), { method: 'POST', headers: anonHeaders() });
    expect(call.status).toBe(200);
    expect(call.headers.get('access-control-allow-origin')).toBe('*');
    expect(await call.json()).toEqual({ ok: true });
    const unauthenticated = await fetch(url('cors'), { method: 'POST' });
    expect(unauthenticated.status).toBe(401);
  });
});

describe('pass-through', () => {
  it('returns status and headers unchanged, including repeated Set-Cookie', async () => {
    const response = await fetch(url('echo?status=201&cookies=1'), { method: 'PUT', headers: anonHeaders(), body: 'x' });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-echo')).toBe('yes');
    expect(response.headers.getSetCookie()).toEqual(['first=1; Path=/', 'second=2; Path=/']);
    // The gateway adds nothing of its own to a function's answer.
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers HEAD and 204 without a body', async () => {
    const head = await fetch(url('echo'), { method: 'HEAD', headers: anonHeaders() });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const empty = await fetch(url('echo?status=204'), { method: 'POST', headers: anonHeaders(), body: 'x' });
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe('');
  });

  it('streams a large request body and response body intact', async () => {
    const size = 6 * 1024 * 1024 + 123;
    const bytes = new Uint8Array(size);
    for (let i = 0; i < size; i += 1) bytes[i] = (i * 31) & 0xff;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < size; offset += 65_536) controller.enqueue(bytes.subarray(offset, offset + 65_536));
        controller.close();
      },
    });
    const response = await fetch(url('echo?raw=1'), {
      method: 'POST',
      headers: { ...anonHeaders(), 'content-type': 'application/pdf' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const received = new Uint8Array(await response.arrayBuffer());
    expect(received.length).toBe(size);
    const digest = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
    expect(digest(received)).toBe(digest(bytes));
  });

  it('streams a response as it is produced (server-sent events)', async () => {
    const client = supabaseClient(server.url, stack.anonKey);
    const { data, error } = await client.functions.invoke('stream', { method: 'GET' });
    expect(error).toBeNull();
    const response = data as Response;
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const arrivals: Array<{ at: number; text: string }> = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      arrivals.push({ at: Date.now(), text: decoder.decode(value) });
    }
    const text = arrivals.map((a) => a.text).join('');
    expect(text.match(/data: event \d/g)).toEqual(['data: event 0', 'data: event 1', 'data: event 2']);
    // Three events 300 ms apart: the first must arrive well before the last.
    expect(arrivals.length).toBeGreaterThan(1);
    expect(arrivals.at(-1)!.at - arrivals[0]!.at).toBeGreaterThanOrEqual(450);
  });
});

describe('platform errors', () => {
  it('answers 404 NOT_FOUND for an unknown function, an empty name and a disabled one', async () => {
    for (const name of ['no-such-function', '', 'disabled', '_shared']) {
      const response = await fetch(url(name), { method: 'POST', headers: anonHeaders() });
      expect(response.status, name).toBe(404);
      expect(await response.json()).toEqual({ code: 'NOT_FOUND', message: 'Requested function was not found' });
    }
    const client = supabaseClient(server.url, stack.anonKey);
    const { error } = await client.functions.invoke('no-such-function');
    expect(error).toBeInstanceOf(FunctionsHttpError);
    expect(((error as FunctionsHttpError).context as Response).status).toBe(404);
  });

  it('answers 500 with the error message when the handler throws', async () => {
    const client = supabaseClient(server.url, stack.anonKey);
    const { error } = await client.functions.invoke('throws', { body: {} });
    expect(error).toBeInstanceOf(FunctionsHttpError);
    const context = (error as FunctionsHttpError).context as Response;
    expect(context.status).toBe(500);
    expect(await context.json()).toEqual({ code: 'WORKER_ERROR', message: 'Error: boom: deliberate failure' });
  });

  it('uses the onError handler a function registered with Deno.serve', async () => {
    const response = await fetch(url('throws-with-on-error'), { headers: anonHeaders() });
    expect(response.status).toBe(418);
    expect(await response.text()).toBe('custom onError: handled by onError');
  });

  it('answers 500 BOOT_ERROR for functions that failed to boot, and the others still work', async () => {
    const failed = await fetch(url('boot-fails'), { method: 'POST', headers: anonHeaders() });
    expect(failed.status).toBe(500);
    const body = await failed.json();
    expect(body.code).toBe('BOOT_ERROR');
    expect(body.message).toContain('deliberate boot failure');

    const noHandler = await fetch(url('no-handler'), { method: 'POST', headers: anonHeaders() });
    expect(noHandler.status).toBe(500);
    expect((await noHandler.json()).message).toContain('neither called Deno.serve() nor exported default { fetch }');

    const fine = await fetch(url('echo'), { method: 'POST', headers: anonHeaders(), body: 'still here' });
    expect(fine.status).toBe(200);
  });
});

describe('environment and permissions', () => {
  it('gives functions the hosted environment variables and secrets from .env', async () => {
    const response = await fetch(url('env'), { headers: anonHeaders() });
    expect(response.status).toBe(200);
    const { env, edgeRuntime } = await response.json();
    expect(env).toEqual({
      SUPABASE_URL: server.url,
      SUPABASE_ANON_KEY: stack.anonKey,
      SUPABASE_SERVICE_ROLE_KEY: stack.serviceRoleKey,
      SUPABASE_DB_URL: stack.dbUrl,
      FIXTURE_SECRET: 'from-env-file',
    });
    expect(edgeRuntime).toBe('function');
  });

  it('limits functions to reading their folder and to loopback networking', async () => {
    const { permissions } = await (await fetch(url('env'), { headers: anonHeaders() })).json();
    expect(permissions.readOwnFolder).toBe('allowed');
    expect(permissions.netGateway).toBe('allowed');
    expect(permissions.readOutside).toMatch(/^NotCapable: Requires read access/);
    expect(permissions.write).toMatch(/^NotCapable: Requires write access/);
    expect(permissions.run).toMatch(/^NotCapable: Requires run access/);
    expect(permissions.netOutside).toMatch(/^NotCapable: Requires net access to "example.com:80"/);
  });
});

describe('process lifecycle', () => {
  it('restarts the Deno process when it dies, and serves again', async () => {
    const before = server.service.host!.pid!;
    const restartsBefore = server.service.host!.restartCount;
    const crashed = await fetch(url('exit'), { headers: anonHeaders() });
    expect(crashed.status).toBe(500);
    expect((await crashed.json()).code).toBe('WORKER_ERROR');

    const again = await fetch(url('echo'), { method: 'POST', headers: anonHeaders(), body: 'after restart' });
    expect(again.status).toBe(200);
    expect((await again.json()).body).toBe('after restart');
    expect(server.service.host!.pid).not.toBe(before);
    expect(server.service.host!.restartCount).toBe(restartsBefore + 1);
    expect(alive(before)).toBe(false);
  }, 60_000);

  it('a request sent the moment the host is killed waits for the restart instead of failing', async () => {
    const before = server.service.host!.pid!;
    process.kill(before, 'SIGKILL');
    // Block this thread (the gateway's too) until the host is surely gone, so the request is
    // sent to a dead port before the gateway can have seen the exit: that refusal (not a
    // dropped request) is retried on the restarted host.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    const answer = await fetch(url('echo'), { method: 'POST', headers: anonHeaders(), body: 'after a kill' });
    const text = await answer.text();
    expect(`${answer.status} ${text}`).toMatch(/^200 /);
    expect(JSON.parse(text).body).toBe('after a kill');
    expect(server.service.host!.pid).not.toBe(before);
  }, 60_000);
});
