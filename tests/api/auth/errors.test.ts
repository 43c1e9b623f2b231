// Error bodies in both formats GoTrue speaks (supabase-api-subset.md §3.4), and
// what supabase-js makes of them.
import { afterAll, describe, expect, it } from 'vitest';
import { signJwt } from '../../../stack/jwt.ts';
import { authFetch, client, closeDb, confirmedUser, PASSWORD, stack } from './helpers.ts';

afterAll(closeDb);

const wrongLogin = (headers: Record<string, string> = {}) =>
  authFetch('/token?grant_type=password', { method: 'POST', headers, body: { email: 'nobody@auth-test.example', password: 'whatever' } });

describe('error formats', () => {
  it('without X-Supabase-Api-Version: { code: <status>, error_code, msg }', async () => {
    const res = await wrongLogin();
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ code: 400, error_code: 'invalid_credentials', msg: 'Invalid login credentials' });
    expect(res.headers.get('x-supabase-api-version')).toBeNull();
    expect(res.headers.get('x-sb-error-code')).toBe('invalid_credentials');
  });

  it('with X-Supabase-Api-Version: 2024-01-01: { code: <error_code>, message } and the header echoed', async () => {
    const res = await wrongLogin({ 'X-Supabase-Api-Version': '2024-01-01' });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ code: 'invalid_credentials', message: 'Invalid login credentials' });
    expect(res.headers.get('x-supabase-api-version')).toBe('2024-01-01');
    // later dates select the newest format the server knows
    const later = await wrongLogin({ 'X-Supabase-Api-Version': '2025-06-30' });
    expect(later.headers.get('x-supabase-api-version')).toBe('2024-01-01');
    expect(later.json.code).toBe('invalid_credentials');
    // the header is readable cross-origin
    expect(res.headers.get('access-control-expose-headers')).toContain('X-Supabase-Api-Version');
  });

  it('the OAuth shape for a missing refresh token', async () => {
    const res = await authFetch('/token?grant_type=refresh_token', { method: 'POST', body: {} });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: 'invalid_request', error_description: 'refresh_token required' });
  });

  it('weak_password carries its reasons in both formats', async () => {
    const body = { email: 'weak@auth-test.example', password: 'abc' };
    const legacy = await authFetch('/signup', { method: 'POST', body });
    expect(legacy.status).toBe(422);
    expect(legacy.json).toMatchObject({ code: 422, error_code: 'weak_password', weak_password: { reasons: ['length', 'characters'] } });
    const modern = await authFetch('/signup', { method: 'POST', body, headers: { 'X-Supabase-Api-Version': '2024-01-01' } });
    expect(modern.json).toMatchObject({ code: 'weak_password', weak_password: { reasons: ['length', 'characters'] } });
  });

  it('malformed requests', async () => {
    const badJson = await authFetch('/token?grant_type=password', { method: 'POST', body: '{"email":' });
    expect(badJson.status).toBe(400);
    expect(badJson.json.error_code).toBe('bad_json');
    const grant = await authFetch('/token?grant_type=magic', { method: 'POST', body: {} });
    expect(grant.json).toEqual({ code: 400, error_code: 'invalid_credentials', msg: 'unsupported_grant_type' });
    const noToken = await authFetch('/user');
    expect(noToken.status).toBe(401);
    expect(noToken.json).toEqual({ code: 401, error_code: 'no_authorization', msg: 'This endpoint requires a valid Bearer token' });
    const expired = await signJwt(
      { sub: '11111111-1111-4111-8111-111111111111', role: 'authenticated', aud: 'authenticated', exp: Math.floor(Date.now() / 1000) - 10 },
      stack.jwtSecret,
    );
    const bad = await authFetch('/user', { bearer: expired });
    expect(bad.status).toBe(403);
    expect(bad.json.error_code).toBe('bad_jwt');
    expect(bad.json.msg).toMatch(/^invalid JWT: unable to parse or verify signature, /);
    const scope = await authFetch('/logout?scope=everything', { method: 'POST', bearer: stack.anonKey });
    expect(scope.status).toBe(400);
  });

  it('the gateway still demands an apikey on /auth/v1', async () => {
    const res = await authFetch('/settings', { apikey: null });
    expect(res.status).toBe(401);
    expect(res.json.message).toBe('No API key found in request');
  });
});

describe('what supabase-js sees', () => {
  it('AuthApiError with status and code (auth-js sends the 2024-01-01 header)', async () => {
    const { email } = await confirmedUser('js-errors');
    const { error } = await client().auth.signInWithPassword({ email, password: `${PASSWORD}x` });
    expect(error?.name).toBe('AuthApiError');
    expect(error?.status).toBe(400);
    expect(error?.code).toBe('invalid_credentials');
    expect(error?.message).toBe('Invalid login credentials');
  });

  it('5xx would be retryable; 4xx are not', async () => {
    const { error } = await client().auth.refreshSession({ refresh_token: 'definitely-not-a-token' });
    expect(error?.name).toBe('AuthApiError');
    expect(error?.status).toBe(400);
    expect(error?.code).toBe('refresh_token_not_found');
  });
});

describe('service endpoints', () => {
  it('GET /health and GET /settings', async () => {
    const health = await authFetch('/health');
    expect(health.status).toBe(200);
    expect(health.json.name).toBe('GoTrue');
    const settings = await authFetch('/settings');
    expect(settings.json).toMatchObject({ disable_signup: false, mailer_autoconfirm: false, external: { email: true, phone: false } });
  });
});
