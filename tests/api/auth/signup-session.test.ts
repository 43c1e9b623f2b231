// Sign-up with email confirmation, password sign-in, refresh-token rotation and
// reuse detection, sign-out — through supabase-js against the shared test stack
// (config.toml: enable_confirmations = true, refresh_token_reuse_interval = 10).
import { afterAll, describe, expect, it } from 'vitest';
import {
  adminClient,
  client,
  closeDb,
  confirmedUser,
  codeIn,
  db,
  decodeJwt,
  openLink,
  PASSWORD,
  stack,
  uniqueEmail,
  verifyLink,
  waitForMail,
} from './helpers.ts';

afterAll(closeDb);

/** Pretend `seconds` have passed for the refresh tokens of a session (the reuse interval is 10 s). */
async function ageRefreshTokens(sessionId: string, seconds: number): Promise<void> {
  await db()`update auth.refresh_tokens set updated_at = updated_at - make_interval(secs => ${seconds}) where session_id = ${sessionId}`;
}

describe('sign-up → confirmation link → sign-in → refresh → sign-out', () => {
  it('runs the whole life of a session', async () => {
    const email = uniqueEmail('Signup.Flow'); // mixed case on purpose
    const supabase = client();

    // 1. Sign-up: confirmations are on, so a user and no session.
    const signUp = await supabase.auth.signUp({
      email: email.toUpperCase(),
      password: PASSWORD,
      options: { data: { full_name: 'Sam Signup' }, emailRedirectTo: 'http://127.0.0.1:5173/welcome' },
    });
    expect(signUp.error).toBeNull();
    expect(signUp.data.session).toBeNull();
    const user = signUp.data.user!;
    expect(user.email).toBe(email); // stored lower-cased
    expect(user.email_confirmed_at).toBeUndefined();
    expect(user.user_metadata).toMatchObject({ full_name: 'Sam Signup', email, email_verified: false, sub: user.id });
    expect(user.identities).toHaveLength(1);
    expect(user.identities![0]).toMatchObject({ provider: 'email', user_id: user.id, id: user.id });
    expect(user.app_metadata).toEqual({ provider: 'email', providers: ['email'] });

    // The row is real: encrypted with bcrypt via pgcrypto.
    const [row] = await db()`select encrypted_password, email_confirmed_at from auth.users where id = ${user.id}`;
    expect(row!.encrypted_password).toMatch(/^\$2[aby]\$10\$/);
    expect(row!.email_confirmed_at).toBeNull();

    // 2. Not confirmed yet: sign-in refused.
    const early = await supabase.auth.signInWithPassword({ email, password: PASSWORD });
    expect(early.error?.code).toBe('email_not_confirmed');
    expect(early.error?.status).toBe(400);
    expect(early.error?.message).toBe('Email not confirmed');

    // 3. The confirmation email and its link.
    const mail = await waitForMail(email, 'signup');
    expect(mail.subject).toBe('Confirm your email address');
    const link = new URL(verifyLink(mail));
    expect(link.origin + link.pathname).toBe(`${stack.apiUrl}/auth/v1/verify`);
    expect(link.searchParams.get('type')).toBe('signup');
    expect(link.searchParams.get('redirect_to')).toBe('http://127.0.0.1:5173/welcome');
    expect(link.searchParams.get('token')).toMatch(/^[0-9a-f]{56}$/); // SHA-224 of email + code
    expect(mail.text).toContain('14 days');

    // 4. Following it: 303 to the redirect with the session in the fragment.
    const opened = await openLink(link.toString());
    expect(opened.status).toBe(303);
    expect(opened.location.origin + opened.location.pathname).toBe('http://127.0.0.1:5173/welcome');
    const fragment = opened.fragment;
    expect(fragment.get('token_type')).toBe('bearer');
    expect(fragment.get('type')).toBe('signup');
    expect(fragment.get('expires_in')).toBe('3600');
    expect(Number(fragment.get('expires_at'))).toBeGreaterThan(Date.now() / 1000 + 3500);
    expect(fragment.get('refresh_token')).toMatch(/^[A-Za-z0-9]{12,}$/);
    const linkToken = decodeJwt(fragment.get('access_token')!);
    expect(linkToken).toMatchObject({ sub: user.id, email, role: 'authenticated', aud: 'authenticated' });

    // auth-js accepts that session as a browser would after detectSessionInUrl.
    const fromLink = client();
    const set = await fromLink.auth.setSession({ access_token: fragment.get('access_token')!, refresh_token: fragment.get('refresh_token')! });
    expect(set.error).toBeNull();
    expect(set.data.user?.email_confirmed_at).toBeTruthy();
    expect(set.data.user?.user_metadata.email_verified).toBe(true);

    // The link is spent.
    const again = await openLink(link.toString());
    expect(Object.fromEntries(again.fragment)).toEqual({
      error: 'access_denied',
      error_code: 'otp_expired',
      error_description: 'Email link is invalid or has expired',
      sb: '',
    });

    // 5. Password sign-in now works; the access token carries GoTrue's claims.
    const signIn = await supabase.auth.signInWithPassword({ email, password: PASSWORD });
    expect(signIn.error).toBeNull();
    const session = signIn.data.session!;
    expect(session.token_type).toBe('bearer');
    expect(session.expires_in).toBe(3600);
    const claims = decodeJwt(session.access_token);
    expect(claims).toMatchObject({
      iss: `${stack.apiUrl}/auth/v1`,
      sub: user.id,
      aud: 'authenticated',
      email,
      phone: '',
      role: 'authenticated',
      aal: 'aal1',
      is_anonymous: false,
      app_metadata: { provider: 'email', providers: ['email'] },
      user_metadata: { full_name: 'Sam Signup' },
    });
    expect(claims.exp - claims.iat).toBe(3600);
    expect(claims.amr).toEqual([{ method: 'password', timestamp: expect.any(Number) }]);
    const [sessionRow] = await db()`select user_id, aal::text as aal from auth.sessions where id = ${claims.session_id}`;
    expect(sessionRow).toEqual({ user_id: user.id, aal: 'aal1' });

    const me = await supabase.auth.getUser();
    expect(me.data.user?.id).toBe(user.id);
    expect(me.data.user?.last_sign_in_at).toBeTruthy();

    // 6. Refresh rotates the refresh token.
    const first = session.refresh_token;
    const refreshed = await supabase.auth.refreshSession();
    expect(refreshed.error).toBeNull();
    const second = refreshed.data.session!.refresh_token;
    expect(second).not.toBe(first);
    expect(decodeJwt(refreshed.data.session!.access_token).session_id).toBe(claims.session_id);
    const chain = await db()`
      select token, parent, revoked from auth.refresh_tokens where session_id = ${claims.session_id} order by id`;
    expect(chain).toEqual([
      { token: first, parent: null, revoked: true },
      { token: second, parent: first, revoked: false },
    ]);

    // A client that lost the answer may present the parent of the active token again: it gets the same token back.
    const lost = await client().auth.refreshSession({ refresh_token: first });
    expect(lost.error).toBeNull();
    expect(lost.data.session!.refresh_token).toBe(second);

    // 7. Rotate once more, then replay the first token after the reuse interval: the whole session is revoked.
    const third = (await supabase.auth.refreshSession()).data.session!.refresh_token;
    await ageRefreshTokens(claims.session_id, 60);
    const replay = await client().auth.refreshSession({ refresh_token: first });
    expect(replay.error?.code).toBe('refresh_token_already_used');
    expect(replay.error?.status).toBe(400);
    expect(replay.error?.message).toBe('Invalid Refresh Token: Already Used');
    const revoked = await db()`select bool_and(revoked) as all_revoked from auth.refresh_tokens where session_id = ${claims.session_id}`;
    expect(revoked[0]!.all_revoked).toBe(true);
    await ageRefreshTokens(claims.session_id, 60);
    const legit = await client().auth.refreshSession({ refresh_token: third });
    expect(legit.error?.code).toBe('refresh_token_already_used');

    // 8. A fresh sign-in, then sign-out: the refresh token stops working, the access token's session is gone.
    const other = client();
    const again2 = await other.auth.signInWithPassword({ email, password: PASSWORD });
    const { refresh_token, access_token } = again2.data.session!;
    const out = await other.auth.signOut();
    expect(out.error).toBeNull();
    const afterLogout = await client().auth.refreshSession({ refresh_token });
    expect(afterLogout.error?.code).toBe('refresh_token_not_found');
    expect(afterLogout.error?.message).toBe('Invalid Refresh Token: Refresh Token Not Found');
    const stale = await client().auth.getUser(access_token);
    expect(stale.error?.name).toBe('AuthSessionMissingError'); // 403 session_not_found
  });
});

describe('refresh-token reuse detection', () => {
  it('replaying a grandparent token ends the session at once: its newest token fails too, without waiting out the reuse interval', async () => {
    const { email } = await confirmedUser('reuse');
    const device = client();
    const signIn = await device.auth.signInWithPassword({ email, password: PASSWORD });
    const sessionId = decodeJwt(signIn.data.session!.access_token).session_id as string;
    const grandparent = signIn.data.session!.refresh_token;
    const parent = (await device.auth.refreshSession()).data.session!.refresh_token;
    const newest = (await device.auth.refreshSession()).data.session!.refresh_token;
    expect(new Set([grandparent, parent, newest]).size).toBe(3);
    // Only the old tokens are past the reuse interval; the newest was revoked just now, by the detection.
    await db()`update auth.refresh_tokens set updated_at = updated_at - interval '60 seconds' where token in (${grandparent}, ${parent})`;

    const replay = await client().auth.refreshSession({ refresh_token: grandparent });
    expect(replay.error).toMatchObject({ status: 400, code: 'refresh_token_already_used' });

    const afterDetection = await client().auth.refreshSession({ refresh_token: newest });
    expect(afterDetection.error).toMatchObject({ status: 400, code: 'refresh_token_already_used', message: 'Invalid Refresh Token: Already Used' });
    const parentAgain = await client().auth.refreshSession({ refresh_token: parent });
    expect(parentAgain.error?.code).toBe('refresh_token_already_used');
    const active = await db()`select count(*)::int as n from auth.refresh_tokens where session_id = ${sessionId} and not revoked`;
    expect(active[0]!.n).toBe(0);
  });
});

describe('sign-out scopes', () => {
  it('others keeps this session, local ends only this one, global ends all', async () => {
    const email = uniqueEmail('scopes');
    await adminClient().auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
    const [a, b, c] = [client(), client(), client()];
    const sessions: Array<{ refresh_token: string }> = [];
    for (const device of [a, b, c]) sessions.push((await device.auth.signInWithPassword({ email, password: PASSWORD })).data.session!);
    const works = async (i: number) => !(await client().auth.refreshSession({ refresh_token: sessions[i]!.refresh_token })).error;

    expect((await a.auth.signOut({ scope: 'others' })).error).toBeNull();
    expect([await works(1), await works(2)]).toEqual([false, false]);
    const mine = await a.auth.getUser();
    expect(mine.error).toBeNull();

    const d = client();
    const fourth = (await d.auth.signInWithPassword({ email, password: PASSWORD })).data.session!;
    expect((await d.auth.signOut({ scope: 'local' })).error).toBeNull();
    expect((await client().auth.refreshSession({ refresh_token: fourth.refresh_token })).error?.code).toBe('refresh_token_not_found');
    expect((await a.auth.getUser()).error).toBeNull();

    expect((await a.auth.signOut()).error).toBeNull(); // global
    const [{ n }] = (await db()`
      select count(*)::int as n from auth.sessions s join auth.users u on u.id = s.user_id where u.email = ${email}`) as unknown as [{ n: number }];
    expect(n).toBe(0);
  });
});

describe('sign-in failures', () => {
  it('wrong password and unknown email both give invalid_credentials', async () => {
    const email = uniqueEmail('wrongpw');
    await adminClient().auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
    const supabase = client();
    const wrong = await supabase.auth.signInWithPassword({ email, password: 'Not-The-Password-1' });
    expect(wrong.error).toMatchObject({ name: 'AuthApiError', status: 400, code: 'invalid_credentials', message: 'Invalid login credentials' });
    const unknown = await supabase.auth.signInWithPassword({ email: uniqueEmail('nobody'), password: PASSWORD });
    expect(unknown.error).toMatchObject({ status: 400, code: 'invalid_credentials', message: 'Invalid login credentials' });
  });

  it('signing up an already confirmed address does not reveal it (confirmations on)', async () => {
    const email = uniqueEmail('dupe');
    const created = await adminClient().auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
    const { data, error } = await client().auth.signUp({ email, password: PASSWORD });
    expect(error).toBeNull();
    expect(data.user?.id).not.toBe(created.data.user!.id);
    expect(data.user?.identities).toEqual([]);
    expect(data.session).toBeNull();
  });

  it('weak passwords are refused with the reasons', async () => {
    const { error } = await client().auth.signUp({ email: uniqueEmail('weak'), password: 'short' });
    expect(error?.name).toBe('AuthWeakPasswordError');
    expect(error?.status).toBe(422);
    expect(error?.code).toBe('weak_password');
    expect((error as unknown as { reasons: string[] }).reasons).toEqual(['length', 'characters']);
    expect(error?.message).toContain('Password should be at least 12 characters.');
  });
});

describe('confirming with the code instead of the link', () => {
  it('verifyOtp({ email, token, type: "signup" }) returns a session; resend respects max_frequency', async () => {
    const email = uniqueEmail('otp-signup');
    const supabase = client();
    await supabase.auth.signUp({ email, password: PASSWORD });
    const mail = await waitForMail(email, 'signup');

    // max_frequency = "1s": an immediate resend is refused, a later one sends a new code.
    const tooSoon = await supabase.auth.resend({ type: 'signup', email });
    if (tooSoon.error) expect(tooSoon.error.code).toBe('over_email_send_rate_limit');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const resent = await supabase.auth.resend({ type: 'signup', email });
    expect(resent.error).toBeNull();
    const latest = await waitForMail(email, 'signup', tooSoon.error ? 2 : 3);

    // The first code was replaced by the resend.
    const stale = await supabase.auth.verifyOtp({ email, token: codeIn(mail), type: 'signup' });
    expect(stale.error).toMatchObject({ status: 403, code: 'otp_expired', message: 'Token has expired or is invalid' });

    const { data, error } = await supabase.auth.verifyOtp({ email, token: codeIn(latest), type: 'signup' });
    expect(error).toBeNull();
    expect(data.session?.user.email).toBe(email);
    expect(decodeJwt(data.session!.access_token).amr[0].method).toBe('otp');
  });

  it('verifyOtp({ token_hash, type }) works like opening the link', async () => {
    const email = uniqueEmail('hash-signup');
    await client().auth.signUp({ email, password: PASSWORD });
    const hash = new URL(verifyLink(await waitForMail(email, 'signup'))).searchParams.get('token')!;
    const { data, error } = await client().auth.verifyOtp({ token_hash: hash, type: 'signup' });
    expect(error).toBeNull();
    expect(data.user?.email).toBe(email);
    expect(data.session?.refresh_token).toBeTruthy();
  });

  it('a sign-up link older than 14 days has expired', async () => {
    const email = uniqueEmail('old-link');
    const { data } = await client().auth.signUp({ email, password: PASSWORD });
    const link = verifyLink(await waitForMail(email, 'signup'));
    await db()`update auth.users set confirmation_sent_at = now() - interval '14 days 1 minute' where id = ${data.user!.id}`;
    const opened = await openLink(link);
    expect(opened.fragment.get('error_code')).toBe('otp_expired');
    // ...while one just inside 14 days still works.
    await db()`update auth.users set confirmation_sent_at = now() - interval '13 days 23 hours' where id = ${data.user!.id}`;
    const fresh = await openLink(link);
    expect(fresh.fragment.get('access_token')).toBeTruthy();
  });
});
