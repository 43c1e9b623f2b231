// Which address the auth service rate-limits (and records on sessions): the TCP peer,
// unless the peer is a configured trusted proxy, in which case the forwarded header
// names the client. Served in-process so each test chooses the peer and the settings;
// the shared test stack itself trusts loopback (tests/setup/stack.global.ts).
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authFetch, closeDb, confirmedUser, db, decodeJwt, inProcessAuth, IN_PROCESS_URL, PASSWORD, stack, uniqueEmail } from './helpers.ts';

let admin: ReturnType<typeof postgres>;
beforeAll(() => {
  admin = postgres(stack.dbUrl, { max: 4, onnotice: () => {} });
});
afterAll(async () => {
  await admin.end({ timeout: 5 });
  await closeDb();
});

const LIMIT = 3;
/** LIMIT password sign-ins per address; the per-email failure delay kept out of the way. */
function rateLimits(trustedProxies: string[] = []) {
  return {
    windowSeconds: 300,
    signInSignUps: LIMIT,
    tokenRefresh: 150,
    tokenVerifications: 30,
    passwordFailuresBeforeDelay: 100,
    passwordFailureMaxDelaySeconds: 300,
    header: 'X-Forwarded-For',
    trustedProxies,
  };
}

function signIn(fetchImpl: typeof fetch, email: string, password: string, forwardedFor?: string) {
  return fetchImpl(`${IN_PROCESS_URL}/auth/v1/token?grant_type=password`, {
    method: 'POST',
    headers: {
      apikey: stack.anonKey,
      'content-type': 'application/json',
      'x-supabase-api-version': '2024-01-01',
      ...(forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }),
    },
    body: JSON.stringify({ email, password }),
  });
}

describe('with no trusted proxies (the default)', () => {
  it('ignores X-Forwarded-For: a new header per attempt still spends the peer’s budget', async () => {
    const auth = inProcessAuth(admin, { rateLimits: rateLimits() }).from('203.0.113.10');
    for (let i = 0; i < LIMIT; i++) {
      const res = await signIn(auth, uniqueEmail(`spray${i}`), 'Wrong-password-123', `198.51.100.${i + 1}`);
      expect(res.status).toBe(400);
    }
    const sprayed = await signIn(auth, uniqueEmail('spray-more'), 'Wrong-password-123', '198.51.100.200');
    expect(sprayed.status).toBe(429);
    expect(await sprayed.json()).toEqual({ code: 'over_request_rate_limit', message: 'Request rate limit reached' });
  });

  it('a forged header cannot spend someone else’s budget', async () => {
    const auth = inProcessAuth(admin, { rateLimits: rateLimits() });
    const victimAddress = '203.0.113.21';
    const forger = auth.from('203.0.113.20');
    for (let i = 0; i <= LIMIT; i++) await signIn(forger, uniqueEmail(`forger${i}`), 'Wrong-password-123', victimAddress);
    const { email } = await confirmedUser('victim');
    expect((await signIn(auth.from(victimAddress), email, PASSWORD)).status).toBe(200);
    // The forger spent only its own budget.
    expect((await signIn(forger, email, PASSWORD)).status).toBe(429);
  });

  it('records the TCP peer, not the header, on the session', async () => {
    const { email } = await confirmedUser('peer-recorded');
    const auth = inProcessAuth(admin, { rateLimits: rateLimits() }).from('203.0.113.30');
    const res = await signIn(auth, email, PASSWORD, '198.51.100.77');
    expect(res.status).toBe(200);
    const sessionId = decodeJwt(((await res.json()) as { access_token: string }).access_token).session_id;
    const [row] = await db()`select host(ip) as ip from auth.sessions where id = ${sessionId}`;
    expect(row!.ip).toBe('203.0.113.30');
  });
});

describe('behind a trusted proxy', () => {
  const proxy = '10.9.8.7';
  const trusted = () => ({ rateLimits: rateLimits([proxy, '10.200.0.0/16']) });

  it('takes the client from the header: the rightmost address that is not a trusted proxy', async () => {
    const auth = inProcessAuth(admin, trusted()).from(proxy);
    // Whatever the client prepends is ignored; the address the proxy appended counts.
    for (let i = 0; i < LIMIT; i++) {
      const res = await signIn(auth, uniqueEmail(`behind${i}`), 'Wrong-password-123', `192.0.2.${i + 1}, 198.51.100.50, 10.200.3.4`);
      expect(res.status).toBe(400);
    }
    expect((await signIn(auth, uniqueEmail('behind-more'), 'Wrong-password-123', '192.0.2.99, 198.51.100.50')).status).toBe(429);
    // Another client behind the same proxy has its own budget.
    const { email } = await confirmedUser('behind-proxy');
    const other = await signIn(auth, email, PASSWORD, '198.51.100.51');
    expect(other.status).toBe(200);
    const sessionId = decodeJwt(((await other.json()) as { access_token: string }).access_token).session_id;
    const [row] = await db()`select host(ip) as ip from auth.sessions where id = ${sessionId}`;
    expect(row!.ip).toBe('198.51.100.51');
  });

  it('ignores the header from a peer that is not a trusted proxy', async () => {
    const auth = inProcessAuth(admin, trusted()).from('203.0.113.40');
    for (let i = 0; i < LIMIT; i++) await signIn(auth, uniqueEmail(`untrusted${i}`), 'Wrong-password-123', `198.51.100.${100 + i}`);
    expect((await signIn(auth, uniqueEmail('untrusted-more'), 'Wrong-password-123', '198.51.100.199')).status).toBe(429);
  });
});

describe('the shared test stack', () => {
  it('trusts loopback as a proxy, so each test client (X-Forwarded-For) has its own budget', async () => {
    const { email } = await confirmedUser('loopback-proxy');
    const res = await authFetch('/token?grant_type=password', { method: 'POST', headers: { 'X-Forwarded-For': '198.51.100.123' }, body: { email, password: PASSWORD } });
    expect(res.status).toBe(200);
    const [row] = await db()`select host(ip) as ip from auth.sessions where id = ${decodeJwt(res.json.access_token).session_id}`;
    expect(row!.ip).toBe('198.51.100.123');
  });
});
