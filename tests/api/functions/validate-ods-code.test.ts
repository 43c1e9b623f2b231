// The product function validate-ods-code through the test stack's gateway
// (/functions/v1 on the global stack, serving supabase/functions with the
// settings of supabase/config.toml), called the way the portal calls it.
import { FunctionsHttpError } from '@supabase/supabase-js';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { signJwt } from '../../../stack/jwt.ts';
import { stack, supabaseClient } from './helpers.ts';

const FUNCTION_URL = `${stack.apiUrl}/functions/v1/validate-ods-code`;
const sql = postgres(stack.dbUrl, { max: 1, onnotice: () => {} });

afterAll(async () => {
  await sql.end({ timeout: 5 });
});

async function errorBody(error: unknown): Promise<{ status: number; body: unknown }> {
  expect(error).toBeInstanceOf(FunctionsHttpError);
  const response = (error as FunctionsHttpError).context as Response;
  return { status: response.status, body: await response.json() };
}

describe('validate-ods-code', () => {
  it('returns the organisation for a seeded code (anon key, as the registration page calls it)', async () => {
    const [parent] = await sql`select id from public.organisations where ods_code = 'ZN1E'`;
    const client = supabaseClient(stack.apiUrl, stack.anonKey);
    const { data, error } = await client.functions.invoke('validate-ods-code', { body: { ods_code: 'ZP1001' } });
    expect(error).toBeNull();
    expect(data).toEqual({
      ods_code: 'ZP1001',
      valid: true,
      found: true,
      organisation: {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        ods_code: 'ZP1001',
        name: 'Riverside Medical Centre',
        type: 'practice',
        parent_id: parent!.id,
      },
    });
  });

  it('normalises case and surrounding spaces, and works for a signed-in user and by GET', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await signJwt(
      { sub: '11111111-1111-4111-8111-111111111111', role: 'authenticated', aud: 'authenticated', exp: now + 600 },
      stack.jwtSecret,
    );
    const user = supabaseClient(stack.apiUrl, stack.anonKey, { Authorization: `Bearer ${token}` });
    const posted = await user.functions.invoke('validate-ods-code', { body: { ods_code: '  zp1001 ' } });
    expect(posted.error).toBeNull();
    expect(posted.data.organisation.name).toBe('Riverside Medical Centre');

    const got = await user.functions.invoke('validate-ods-code?ods_code=ZN1', { method: 'GET' });
    expect(got.error).toBeNull();
    expect(got.data).toMatchObject({ ods_code: 'ZN1', found: true, organisation: { name: 'NHS Northshire ICB', type: 'icb' } });
  });

  it('says found: false for a well-formed code that is not in the directory', async () => {
    const client = supabaseClient(stack.apiUrl, stack.anonKey);
    const { data, error } = await client.functions.invoke('validate-ods-code', { body: { ods_code: 'ZP9999' } });
    expect(error).toBeNull();
    expect(data).toEqual({ ods_code: 'ZP9999', valid: true, found: false, organisation: null });
  });

  it('answers 400 with a clear message for malformed codes', async () => {
    const client = supabaseClient(stack.apiUrl, stack.anonKey);
    for (const code of ['ZP-1001', 'AB', 'ABCDEFGHIJK', 'ZP 1001', "ZP1001'; drop table x;--"]) {
      const { data, error } = await client.functions.invoke('validate-ods-code', { body: { ods_code: code } });
      expect(data).toBeNull();
      expect(await errorBody(error)).toEqual({
        status: 400,
        body: {
          error: 'invalid_ods_code',
          message: 'An ODS code is 3 to 10 letters and digits, for example ZP1001',
          ods_code: code,
          valid: false,
        },
      });
    }
  });

  it('answers 400 for a missing code, a non-string code and a body that is not JSON', async () => {
    const client = supabaseClient(stack.apiUrl, stack.anonKey);
    const missing = await client.functions.invoke('validate-ods-code', { body: {} });
    expect(await errorBody(missing.error)).toEqual({ status: 400, body: { error: 'invalid_request', message: 'ods_code is required' } });
    const number = await client.functions.invoke('validate-ods-code', { body: { ods_code: 1001 } });
    expect((await errorBody(number.error)).status).toBe(400);
    const notJson = await client.functions.invoke('validate-ods-code', {
      body: 'ods_code=ZP1001',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(await errorBody(notJson.error)).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  it('sends CORS headers with its answers', async () => {
    const response = await fetch(FUNCTION_URL, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.anonKey}`, 'content-type': 'application/json', origin: 'http://127.0.0.1:5173' },
      body: JSON.stringify({ ods_code: 'ZP1002' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect((await response.json()).organisation.name).toBe('Bridge Street Surgery');
  });

  it('lets a browser preflight succeed without credentials', async () => {
    const response = await fetch(FUNCTION_URL, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://127.0.0.1:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, x-client-info, apikey, content-type',
      },
    });
    expect([200, 204]).toContain(response.status);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
  });
});

describe('gateway /functions/v1 on the test stack', () => {
  it('requires a JWT for validate-ods-code (verify_jwt defaults to on in config.toml)', async () => {
    const missing = await fetch(FUNCTION_URL, { method: 'POST', headers: { apikey: stack.anonKey }, body: '{"ods_code":"ZP1001"}' });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ code: 401, message: 'Missing authorization header' });
    const invalid = await fetch(FUNCTION_URL, { method: 'POST', headers: { authorization: 'Bearer nope' }, body: '{}' });
    expect(invalid.status).toBe(401);
    expect(await invalid.json()).toEqual({ code: 401, message: 'Invalid JWT' });
  });

  it('answers 404 for a function that does not exist', async () => {
    const client = supabaseClient(stack.apiUrl, stack.anonKey);
    const { error } = await client.functions.invoke('no-such-function', { body: {} });
    expect(await errorBody(error)).toEqual({ status: 404, body: { code: 'NOT_FOUND', message: 'Requested function was not found' } });
  });

  it('does not serve the shared folder or test functions', async () => {
    for (const name of ['_shared', 'echo']) {
      const response = await fetch(`${stack.apiUrl}/functions/v1/${name}`, { headers: { authorization: `Bearer ${stack.anonKey}` } });
      expect(response.status, name).toBe(404);
    }
  });
});
