// Rate limits on the shared stack with the project's own configuration
// (config.toml [auth.rate_limit] sign_in_sign_ups, else the CLI default 30 per
// 5 minutes per IP; failed password sign-ins per email address, default 10).
// The limits are read through the same loader the stack uses, so the test follows
// STACK_AUTH_RATE_LIMIT_* overrides.
import { afterAll, describe, expect, it } from 'vitest';
import { loadAuthSettings } from '../../../stack/gateway/auth/settings.ts';
import { authFetch, client, closeDb, confirmedUser, fakeIp, PASSWORD, stack, uniqueEmail } from './helpers.ts';

afterAll(closeDb);

const limits = loadAuthSettings({ publicUrl: stack.apiUrl, jwtSecret: stack.jwtSecret, anonKey: stack.anonKey }).rateLimits;

function signIn(email: string, password: string, ip: string, apiVersion = true) {
  return authFetch('/token?grant_type=password', {
    method: 'POST',
    headers: { 'X-Forwarded-For': ip, ...(apiVersion ? { 'X-Supabase-Api-Version': '2024-01-01' } : {}) },
    body: { email, password },
  });
}

describe('per-IP limit on password sign-ins', () => {
  it(`allows ${limits.signInSignUps} requests per ${limits.windowSeconds / 60} minutes from one address, then 429`, async () => {
    const { email } = await confirmedUser('busy-ip');
    const ip = fakeIp();
    // Each attempt uses another (unknown) address so the per-email limit stays out of the way.
    for (let i = 0; i < limits.signInSignUps; i++) {
      const res = await signIn(uniqueEmail(`probe${i}`), 'Wrong-password-123', ip);
      expect(res.status).toBe(400);
    }
    const limited = await signIn(email, PASSWORD, ip);
    expect(limited.status).toBe(429);
    expect(limited.json).toEqual({ code: 'over_request_rate_limit', message: 'Request rate limit reached' });
    const legacy = await signIn(email, PASSWORD, ip, false);
    expect(legacy.json).toEqual({ code: 429, error_code: 'over_request_rate_limit', msg: 'Request rate limit reached' });

    // As in GoTrue, every endpoint family has its own budget of that size: sign-ups still pass.
    const signup = await authFetch('/signup', { method: 'POST', headers: { 'X-Forwarded-For': ip }, body: { email: uniqueEmail('late'), password: PASSWORD } });
    expect(signup.status).toBe(200);

    // Another client is not affected.
    const elsewhere = await client().auth.signInWithPassword({ email, password: PASSWORD });
    expect(elsewhere.error).toBeNull();
  });
});

describe('per-email limit on failed password sign-ins', () => {
  it(`locks an address after ${limits.passwordFailuresPerEmail} failures, whatever the client address`, async () => {
    const { email } = await confirmedUser('guessed');
    const { email: neighbour } = await confirmedUser('neighbour');
    for (let i = 0; i < limits.passwordFailuresPerEmail; i++) {
      const res = await signIn(email, `Guess-number-${i}`, fakeIp());
      expect(res.json.code).toBe('invalid_credentials');
    }
    // Even the right password waits now...
    const locked = await client().auth.signInWithPassword({ email, password: PASSWORD });
    expect(locked.error).toMatchObject({ name: 'AuthApiError', status: 429, code: 'over_request_rate_limit' });
    // ...while other accounts are fine, and successful sign-ins never count.
    for (let i = 0; i < limits.passwordFailuresPerEmail + 2; i++) {
      expect((await signIn(neighbour, PASSWORD, fakeIp())).status).toBe(200);
    }
  });
});
