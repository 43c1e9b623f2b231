// Rate limits on the shared stack with the project's own configuration
// (config.toml [auth.rate_limit] sign_in_sign_ups, else the CLI default 30 per
// 5 minutes per IP; failed password sign-ins per address and client: 5 free, then a
// growing wait). The test stack trusts loopback as a proxy, so X-Forwarded-For
// gives each test client its own address. The delays themselves are tested on a
// fake clock in password-failure-delay.test.ts; client addresses in client-address.test.ts.
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

describe('failed password sign-ins per address', () => {
  it('slow down the client that fails, never the right password from another client', async () => {
    const { email } = await confirmedUser('guessed');
    const guesser = fakeIp();
    const statuses = new Set<number>();
    for (let i = 0; i < limits.passwordFailuresBeforeDelay + 10; i++) {
      statuses.add((await signIn(email, `Guess-number-${i}`, guesser)).status);
    }
    // Failures, then (how many depends on how fast this machine is) waits.
    expect([...statuses].sort()).toEqual([400, 429]);
    const waiting = await signIn(email, PASSWORD, guesser);
    expect(waiting.status).toBe(429);
    expect(Number(waiting.headers.get('retry-after'))).toBeGreaterThan(0);
    // The account holder, elsewhere, is not locked out.
    const owner = await client().auth.signInWithPassword({ email, password: PASSWORD });
    expect(owner.error).toBeNull();
  });
});
