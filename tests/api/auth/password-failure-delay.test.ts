// Failed password sign-ins slow down the client that makes them, for that address,
// with a growing delay; they never lock the right password out for everyone else.
// The service runs in-process on a fake clock: the test moves time, it never waits.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, confirmedUser, inProcessAuth, IN_PROCESS_URL, PASSWORD, stack } from './helpers.ts';

let admin: ReturnType<typeof postgres>;
beforeAll(() => {
  admin = postgres(stack.dbUrl, { max: 4, onnotice: () => {} });
});
afterAll(async () => {
  await admin.end({ timeout: 5 });
  await closeDb();
});

const FREE_FAILURES = 3;
const MAX_DELAY_SECONDS = 8;

function service() {
  let now = Date.UTC(2026, 0, 1, 9, 0, 0);
  const auth = inProcessAuth(
    admin,
    {
      rateLimits: {
        windowSeconds: 300,
        signInSignUps: 1000, // the per-address budget stays out of the way
        tokenRefresh: 1000,
        tokenVerifications: 1000,
        passwordFailuresBeforeDelay: FREE_FAILURES,
        passwordFailureMaxDelaySeconds: MAX_DELAY_SECONDS,
        header: 'X-Forwarded-For',
        trustedProxies: [],
      },
    },
    { now: () => now },
  );
  return { auth, advance: (seconds: number) => void (now += seconds * 1000) };
}

async function signIn(fetchImpl: typeof fetch, email: string, password: string) {
  const res = await fetchImpl(`${IN_PROCESS_URL}/auth/v1/token?grant_type=password`, {
    method: 'POST',
    headers: { apikey: stack.anonKey, 'content-type': 'application/json', 'x-supabase-api-version': '2024-01-01' },
    body: JSON.stringify({ email, password }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as Record<string, unknown> };
}

describe('failed password sign-ins per address and client', () => {
  it('after the free failures each failure doubles the wait for that client; the right password then gets in', async () => {
    const { auth, advance } = service();
    const { email } = await confirmedUser('delayed');
    const guesser = auth.from('203.0.113.60');
    for (let i = 0; i < FREE_FAILURES; i++) expect((await signIn(guesser, email, `Guess-${i}-aaaaaaaa`)).status).toBe(400);

    // The next failure still gets its answer, and starts a 1 s wait.
    expect((await signIn(guesser, email, 'Guess-x-aaaaaaaa')).body.code).toBe('invalid_credentials');
    const waiting = await signIn(guesser, email, PASSWORD);
    expect(waiting).toEqual({ status: 429, retryAfter: '1', body: { code: 'over_request_rate_limit', message: 'Request rate limit reached' } });

    advance(1);
    expect((await signIn(guesser, email, 'Guess-y-aaaaaaaa')).status).toBe(400); // now 2 s
    advance(1);
    expect((await signIn(guesser, email, PASSWORD)).retryAfter).toBe('1');
    advance(1);
    expect((await signIn(guesser, email, 'Guess-z-aaaaaaaa')).status).toBe(400); // now 4 s
    expect((await signIn(guesser, email, PASSWORD)).retryAfter).toBe('4');
    advance(4);
    expect((await signIn(guesser, email, 'Guess-w-aaaaaaaa')).status).toBe(400); // 8 s, the maximum
    advance(8);
    expect((await signIn(guesser, email, 'Guess-v-aaaaaaaa')).status).toBe(400);
    expect((await signIn(guesser, email, PASSWORD)).retryAfter).toBe(String(MAX_DELAY_SECONDS)); // capped

    // Once the wait is over the right password signs in, and clears the record: failures are free again.
    advance(MAX_DELAY_SECONDS);
    expect((await signIn(guesser, email, PASSWORD)).status).toBe(200);
    for (let i = 0; i < FREE_FAILURES; i++) expect((await signIn(guesser, email, `Again-${i}-aaaaaaaa`)).status).toBe(400);
    expect((await signIn(guesser, email, PASSWORD)).status).toBe(200);
  });

  it('is not a lever against the account holder: another client signs in with the right password at once', async () => {
    const { auth } = service();
    const { email } = await confirmedUser('not-locked-out');
    const attacker = auth.from('203.0.113.70');
    for (let i = 0; i < FREE_FAILURES + 5; i++) await signIn(attacker, email, `Guess-${i}-aaaaaaaa`);
    expect((await signIn(attacker, email, PASSWORD)).status).toBe(429);
    expect((await signIn(auth.from('203.0.113.71'), email, PASSWORD)).status).toBe(200);
  });

  it('forgets failures after the window without one', async () => {
    const { auth, advance } = service();
    const { email } = await confirmedUser('forgotten');
    const client = auth.from('203.0.113.80');
    for (let i = 0; i <= FREE_FAILURES; i++) await signIn(client, email, `Guess-${i}-aaaaaaaa`);
    advance(300);
    for (let i = 0; i < FREE_FAILURES; i++) expect((await signIn(client, email, `Later-${i}-aaaaaaaa`)).status).toBe(400);
    expect((await signIn(client, email, PASSWORD)).status).toBe(200);
  });
});
