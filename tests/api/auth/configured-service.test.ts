// The auth service built with settings other than the shared stack's, served
// in-process (supabase-js → fetch → Hono app) against the same test database:
//
//   * the custom access token hook (a Postgres function created here; the
//     product's real hook comes with a later issue),
//   * enable_confirmations = false (sign-up returns a session),
//   * refresh_token_reuse_interval = 0,
//   * lowered rate limits.
//
// Settings are what `loadAuthSettings` reads from config.toml, with the keys under
// test replaced — the same object the gateway builds at start.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAuthSettings, type AuthSettings } from '../../../stack/gateway/auth/settings.ts';
import type { MailMessage } from '../../../stack/mail/types.ts';
import { client, closeDb, db, decodeJwt, fakeIp, inProcessAuth, IN_PROCESS_URL, PASSWORD, stack, uniqueEmail } from './helpers.ts';

const BASE_URL = IN_PROCESS_URL;
const HOOK_URI = 'pg-functions://postgres/auth_hook_test/custom_access_token_hook';

let admin: ReturnType<typeof postgres>;
const sent: MailMessage[] = [];

/** The service with `overrides`, reached from loopback, which it trusts as a proxy (so X-Forwarded-For tells test clients apart). */
function serve(overrides: Partial<AuthSettings>, now?: () => number): typeof fetch {
  const base = loadAuthSettings({ publicUrl: BASE_URL, jwtSecret: stack.jwtSecret, anonKey: stack.anonKey });
  const rateLimits = { ...base.rateLimits, ...overrides.rateLimits, trustedProxies: ['127.0.0.1'] };
  return inProcessAuth(admin, { ...overrides, rateLimits }, { sent, now }).from('127.0.0.1');
}

function clientOf(fetchImpl: typeof fetch) {
  return client({ url: BASE_URL, fetch: fetchImpl });
}

beforeAll(async () => {
  admin = postgres(stack.dbUrl, { max: 4, onnotice: () => {} });
  // A hook as Supabase documents them: takes the event, returns { claims } or { error }.
  await db().unsafe(`
    create schema if not exists auth_hook_test;
    create or replace function auth_hook_test.custom_access_token_hook(event jsonb) returns jsonb
      language plpgsql stable as $$
      declare
        claims jsonb := event -> 'claims';
      begin
        if claims ->> 'email' like 'refused.%' then
          return jsonb_build_object('error', jsonb_build_object('http_code', 403, 'message', 'Your account is awaiting approval'));
        end if;
        if claims ->> 'email' like 'broken.%' then
          raise exception 'the hook failed';
        end if;
        if claims ->> 'email' like 'mangled.%' then
          return jsonb_build_object('claims', claims - 'session_id');
        end if;
        claims := jsonb_set(claims, '{portal_roles}', '["commissioner", "approver_tier1"]');
        claims := jsonb_set(claims, '{hook_event}', jsonb_build_object(
          'user_id', event ->> 'user_id', 'method', event ->> 'authentication_method', 'ran_as', current_user));
        return jsonb_build_object('claims', claims);
      end
      $$;
    grant usage on schema auth_hook_test to supabase_auth_admin;
    grant execute on function auth_hook_test.custom_access_token_hook(jsonb) to supabase_auth_admin;
    revoke execute on function auth_hook_test.custom_access_token_hook(jsonb) from public;
  `);
});

afterAll(async () => {
  await admin.end({ timeout: 5 });
  await closeDb();
});

describe('custom access token hook', () => {
  const withHook = () => serve({ enableConfirmations: false, customAccessTokenHook: { uri: HOOK_URI, functionName: '"auth_hook_test"."custom_access_token_hook"' } });

  it('adds its claims to every access token (sign-in and refresh), running as supabase_auth_admin', async () => {
    const supabase = clientOf(withHook());
    const email = uniqueEmail('hooked');
    const signUp = await supabase.auth.signUp({ email, password: PASSWORD });
    expect(signUp.error).toBeNull();
    const userId = signUp.data.user!.id;
    const onSignUp = decodeJwt(signUp.data.session!.access_token);
    expect(onSignUp.portal_roles).toEqual(['commissioner', 'approver_tier1']);
    expect(onSignUp.hook_event).toEqual({ user_id: userId, method: 'password', ran_as: 'supabase_auth_admin' });
    // GoTrue's own claims are still there.
    expect(onSignUp).toMatchObject({ sub: userId, email, role: 'authenticated', aal: 'aal1', iss: `${BASE_URL}/auth/v1` });

    const refreshed = await supabase.auth.refreshSession();
    const onRefresh = decodeJwt(refreshed.data.session!.access_token);
    expect(onRefresh.portal_roles).toEqual(['commissioner', 'approver_tier1']);
    expect(onRefresh.hook_event.method).toBe('token_refresh');

    // The hooked token is accepted by the shared stack's REST API (same secret).
    const rest = await fetch(`${stack.apiUrl}/rest/v1/`, { headers: { apikey: stack.anonKey, Authorization: `Bearer ${refreshed.data.session!.access_token}` } });
    expect(rest.status).not.toBe(401);
  });

  it('an { error } from the hook refuses the sign-in with its status and message, leaving no session', async () => {
    const supabase = clientOf(serve({ enableConfirmations: false }));
    const email = `refused.${uniqueEmail('x')}`;
    const { data } = await supabase.auth.signUp({ email, password: PASSWORD }); // no hook on this instance
    const hooked = clientOf(withHook());
    const refused = await hooked.auth.signInWithPassword({ email, password: PASSWORD });
    expect(refused.error).toMatchObject({ name: 'AuthApiError', status: 403, message: 'Your account is awaiting approval' });
    const sessions = await db()`select count(*)::int as n from auth.sessions where user_id = ${data.user!.id}`;
    expect(sessions[0]!.n).toBe(1); // only the one from the un-hooked sign-up
  });

  it('a failing hook or invalid claims are a 500', async () => {
    const plain = clientOf(serve({ enableConfirmations: false }));
    const hookedFetch = withHook();
    const hooked = clientOf(hookedFetch);
    const broken = `broken.${uniqueEmail('x')}`;
    await plain.auth.signUp({ email: broken, password: PASSWORD });
    // auth-js treats every 500 as retryable and does not read its body...
    const failed = await hooked.auth.signInWithPassword({ email: broken, password: PASSWORD });
    expect(failed.error).toMatchObject({ name: 'AuthRetryableFetchError', status: 500 });
    // ...so the bodies are checked on the wire.
    const signIn = (email: string) =>
      hookedFetch(`${BASE_URL}/auth/v1/token?grant_type=password`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-supabase-api-version': '2024-01-01' },
        body: JSON.stringify({ email, password: PASSWORD }),
      }).then(async (res) => ({ status: res.status, body: await res.json() }));
    expect(await signIn(broken)).toEqual({
      status: 500,
      body: { code: 'unexpected_failure', message: `Error running hook URI: ${HOOK_URI}` },
    });

    const mangled = `mangled.${uniqueEmail('x')}`;
    await plain.auth.signUp({ email: mangled, password: PASSWORD });
    const invalid = await signIn(mangled);
    expect(invalid.status).toBe(500);
    expect(invalid.body.message).toContain('output claims do not conform to the expected schema');
    expect(invalid.body.message).toContain('session_id is required');
  });
});

describe('enable_confirmations = false', () => {
  it('sign-up signs in at once; signing up again is user_already_exists', async () => {
    const supabase = clientOf(serve({ enableConfirmations: false }));
    const email = uniqueEmail('auto');
    const first = await supabase.auth.signUp({ email, password: PASSWORD });
    expect(first.error).toBeNull();
    expect(first.data.session?.access_token).toBeTruthy();
    expect(first.data.user?.email_confirmed_at).toBeTruthy();
    expect(sent.filter((m) => m.to === email)).toEqual([]);
    const second = await supabase.auth.signUp({ email, password: PASSWORD });
    expect(second.error).toMatchObject({ status: 422, code: 'user_already_exists', message: 'User already registered' });
  });

  it('an invited (unconfirmed) user cannot be taken over by signing up, but may use a magic link', async () => {
    const fetchImpl = serve({ enableConfirmations: false });
    const email = uniqueEmail('invited-auto');
    const invited = await client({ url: BASE_URL, fetch: fetchImpl, key: stack.serviceRoleKey }).auth.admin.inviteUserByEmail(email);
    expect(invited.error).toBeNull();
    const takeover = await clientOf(fetchImpl).auth.signUp({ email, password: PASSWORD });
    expect(takeover.error).toMatchObject({ status: 422, code: 'user_already_exists' });

    expect((await clientOf(fetchImpl).auth.signInWithOtp({ email })).error).toBeNull();
    const mail = sent.filter((m) => m.to === email && m.kind === 'magiclink').at(-1)!;
    const link = /http\S+\/auth\/v1\/verify\?\S+/.exec(mail.text)![0];
    const opened = await fetchImpl(link, { redirect: 'manual' });
    expect(opened.status).toBe(303);
    const fragment = new URLSearchParams(new URL(opened.headers.get('location')!).hash.slice(1));
    expect(decodeJwt(fragment.get('access_token')!).sub).toBe(invited.data.user!.id);
    const [row] = await db()`select email_confirmed_at from auth.users where id = ${invited.data.user!.id}`;
    expect(row!.email_confirmed_at).not.toBeNull();
  });
});

describe('refresh_token_reuse_interval = 0', () => {
  it('any reuse of an old token (other than the active token’s parent) revokes the session', async () => {
    const supabase = clientOf(serve({ enableConfirmations: false, refreshTokenReuseInterval: 0 }));
    const email = uniqueEmail('strict');
    const session = (await supabase.auth.signUp({ email, password: PASSWORD })).data.session!;
    const r1 = session.refresh_token;
    const r2 = (await supabase.auth.refreshSession()).data.session!.refresh_token;
    const r3 = (await supabase.auth.refreshSession()).data.session!.refresh_token;
    expect(new Set([r1, r2, r3]).size).toBe(3);
    const replay = await supabase.auth.refreshSession({ refresh_token: r1 });
    expect(replay.error?.code).toBe('refresh_token_already_used');
    const current = await supabase.auth.refreshSession({ refresh_token: r3 });
    expect(current.error?.code).toBe('refresh_token_already_used');
  });
});

describe('lowered rate limits', () => {
  it('limits come from settings: 3 per IP and endpoint; 2 free password failures per address and client', async () => {
    const frozen = Date.now();
    const fetchImpl = serve(
      {
        enableConfirmations: false,
        rateLimits: {
          windowSeconds: 300,
          signInSignUps: 3,
          tokenRefresh: 150,
          tokenVerifications: 30,
          passwordFailuresBeforeDelay: 2,
          passwordFailureMaxDelaySeconds: 300,
          header: 'X-Forwarded-For',
          trustedProxies: ['127.0.0.1'],
        },
      },
      () => frozen, // no bucket refills, no wait runs out
    );
    const ip = fakeIp();
    const email = uniqueEmail('limited');
    const one = client({ url: BASE_URL, fetch: fetchImpl, ip });
    expect((await one.auth.signUp({ email, password: PASSWORD })).error).toBeNull(); // sign-up bucket: 1
    for (let i = 0; i < 3; i++) expect((await one.auth.signInWithPassword({ email, password: PASSWORD })).error).toBeNull();
    const fourth = await one.auth.signInWithPassword({ email, password: PASSWORD });
    expect(fourth.error).toMatchObject({ status: 429, code: 'over_request_rate_limit' });
    for (let i = 0; i < 2; i++) expect((await one.auth.signUp({ email: uniqueEmail('more'), password: PASSWORD })).error).toBeNull();
    expect((await one.auth.signUp({ email: uniqueEmail('more'), password: PASSWORD })).error?.status).toBe(429);

    const other = uniqueEmail('limited-email');
    await client({ url: BASE_URL, fetch: fetchImpl }).auth.signUp({ email: other, password: PASSWORD });
    const guesser = client({ url: BASE_URL, fetch: fetchImpl, ip: fakeIp() });
    for (let i = 0; i < 3; i++) {
      const wrong = await guesser.auth.signInWithPassword({ email: other, password: 'Wrong-Password-99' });
      expect(wrong.error?.code).toBe('invalid_credentials');
    }
    const waiting = await guesser.auth.signInWithPassword({ email: other, password: PASSWORD });
    expect(waiting.error).toMatchObject({ status: 429, code: 'over_request_rate_limit' });
    const owner = await client({ url: BASE_URL, fetch: fetchImpl, ip: fakeIp() }).auth.signInWithPassword({ email: other, password: PASSWORD });
    expect(owner.error).toBeNull();
  });
});
