// Invitations, password recovery, magic links, email change and PKCE — every flow
// that sends an email, followed through the local mailbox.
import { afterAll, describe, expect, it } from 'vitest';
import {
  adminClient,
  authFetch,
  client,
  closeDb,
  confirmedUser,
  db,
  decodeJwt,
  openLink,
  PASSWORD,
  pkceClient,
  uniqueEmail,
  verifyLink,
  waitForMail,
} from './helpers.ts';

afterAll(closeDb);

describe('invitation', () => {
  it('invite → accept link → choose a password (PUT /user) → sign in', async () => {
    const email = uniqueEmail('invitee');
    const invited = await adminClient().auth.admin.inviteUserByEmail(email, {
      data: { organisation: 'RXX' },
      redirectTo: 'http://127.0.0.1:5173/accept-invite',
    });
    expect(invited.error).toBeNull();
    expect(invited.data.user).toMatchObject({ email, user_metadata: { organisation: 'RXX' } });
    expect(invited.data.user!.invited_at).toBeTruthy();
    expect(invited.data.user!.email_confirmed_at).toBeUndefined();

    const mail = await waitForMail(email, 'invite');
    expect(mail.text).toContain('14 days');
    const link = new URL(verifyLink(mail));
    expect(link.searchParams.get('type')).toBe('invite');
    expect(link.searchParams.get('redirect_to')).toBe('http://127.0.0.1:5173/accept-invite');

    // An invited user has no password yet.
    const before = await client().auth.signInWithPassword({ email, password: PASSWORD });
    expect(before.error?.code).toBe('invalid_credentials');

    const opened = await openLink(link.toString());
    expect(opened.status).toBe(303);
    expect(opened.location.pathname).toBe('/accept-invite');
    expect(opened.fragment.get('type')).toBe('invite');

    const browser = client();
    const { error: setError } = await browser.auth.setSession({
      access_token: opened.fragment.get('access_token')!,
      refresh_token: opened.fragment.get('refresh_token')!,
    });
    expect(setError).toBeNull();
    const updated = await browser.auth.updateUser({ password: PASSWORD, data: { display_name: 'Ivy Invitee' } });
    expect(updated.error).toBeNull();
    expect(updated.data.user?.email_confirmed_at).toBeTruthy();
    expect(updated.data.user?.user_metadata).toMatchObject({ organisation: 'RXX', display_name: 'Ivy Invitee', email_verified: true });

    const signIn = await client().auth.signInWithPassword({ email, password: PASSWORD });
    expect(signIn.error).toBeNull();
    expect(signIn.data.user?.id).toBe(invited.data.user!.id);
  });

  it('inviting an already confirmed user is refused; invitations expire after 14 days', async () => {
    const existing = await confirmedUser('already-in');
    const again = await adminClient().auth.admin.inviteUserByEmail(existing.email);
    expect(again.error).toMatchObject({ status: 422, code: 'email_exists' });

    const email = uniqueEmail('late-invitee');
    const { data } = await adminClient().auth.admin.inviteUserByEmail(email);
    const link = verifyLink(await waitForMail(email, 'invite'));
    await db()`update auth.users set confirmation_sent_at = now() - interval '15 days' where id = ${data.user!.id}`;
    const opened = await openLink(link);
    expect(opened.fragment.get('error_code')).toBe('otp_expired');
    expect(opened.fragment.get('error_description')).toBe('Email link is invalid or has expired');
  });

  it('only admins may invite', async () => {
    const res = await client().auth.admin.inviteUserByEmail(uniqueEmail('sneaky'));
    expect(res.error).toMatchObject({ status: 403, code: 'not_admin', message: 'User not allowed' });
  });
});

describe('password recovery', () => {
  it('recover → link (type=recovery) → new password → sign in with it', async () => {
    const { email } = await confirmedUser('forgetful');
    const supabase = client();
    const sent = await supabase.auth.resetPasswordForEmail(email, { redirectTo: 'http://localhost:5173' }); // in additional_redirect_urls
    expect(sent).toEqual({ data: {}, error: null });
    const mail = await waitForMail(email, 'recovery');
    expect(mail.text).toContain('1 hour');
    const opened = await openLink(verifyLink(mail));
    expect(opened.location.origin).toBe('http://localhost:5173');
    expect(opened.fragment.get('type')).toBe('recovery');

    const browser = client();
    await browser.auth.setSession({ access_token: opened.fragment.get('access_token')!, refresh_token: opened.fragment.get('refresh_token')! });
    const same = await browser.auth.updateUser({ password: PASSWORD });
    expect(same.error).toMatchObject({ status: 422, code: 'same_password' });
    const newPassword = 'Recovered-Password-42';
    const changed = await browser.auth.updateUser({ password: newPassword });
    expect(changed.error).toBeNull();

    expect((await client().auth.signInWithPassword({ email, password: PASSWORD })).error?.code).toBe('invalid_credentials');
    expect((await client().auth.signInWithPassword({ email, password: newPassword })).error).toBeNull();
  });

  it('unknown addresses get the same answer and no mail; recovery links expire after an hour', async () => {
    const ghost = uniqueEmail('ghost');
    expect(await client().auth.resetPasswordForEmail(ghost)).toEqual({ data: {}, error: null });

    const { id, email } = await confirmedUser('slow-reader');
    await client().auth.resetPasswordForEmail(email);
    const link = verifyLink(await waitForMail(email, 'recovery'));
    await db()`update auth.users set recovery_sent_at = now() - interval '61 minutes' where id = ${id}`;
    expect((await openLink(link)).fragment.get('error_code')).toBe('otp_expired');
  });

  it('redirect_to outside the allow list falls back to the site URL', async () => {
    const { email } = await confirmedUser('phished');
    await client().auth.resetPasswordForEmail(email, { redirectTo: 'https://evil.example/steal' });
    const link = new URL(verifyLink(await waitForMail(email, 'recovery')));
    expect(link.searchParams.get('redirect_to')).toBe('http://127.0.0.1:5173');
    // additional_redirect_urls entries are exact: a path below one is not allowed either
    const { email: other } = await confirmedUser('phished2');
    await client().auth.resetPasswordForEmail(other, { redirectTo: 'http://localhost:5173/elsewhere' });
    expect(new URL(verifyLink(await waitForMail(other, 'recovery'))).searchParams.get('redirect_to')).toBe('http://127.0.0.1:5173');
  });
});

describe('secure_password_change = true', () => {
  it('a session older than 24 hours needs a reauthentication code to change the password', async () => {
    const { email } = await confirmedUser('cautious');
    const browser = client();
    const { data } = await browser.auth.signInWithPassword({ email, password: PASSWORD });
    const sessionId = decodeJwt(data.session!.access_token).session_id;
    await db()`update auth.sessions set created_at = now() - interval '25 hours' where id = ${sessionId}`;

    const refused = await browser.auth.updateUser({ password: 'Another-Password-88' });
    expect(refused.error).toMatchObject({ status: 400, code: 'reauthentication_needed' });

    expect((await browser.auth.reauthenticate()).error).toBeNull();
    const mail = await waitForMail(email, 'reauthentication');
    const code = /code: (\d+)/.exec(mail.text)![1]!;
    const wrong = await browser.auth.updateUser({ password: 'Another-Password-88', nonce: code === '000000' ? '111111' : '000000' });
    expect(wrong.error).toMatchObject({ status: 422, code: 'reauthentication_not_valid' });
    const changed = await browser.auth.updateUser({ password: 'Another-Password-88', nonce: code });
    expect(changed.error).toBeNull();
    expect((await client().auth.signInWithPassword({ email, password: 'Another-Password-88' })).error).toBeNull();
  });
});

describe('magic link (POST /otp)', () => {
  it('signs in an existing user by link', async () => {
    const { id, email } = await confirmedUser('magic');
    const sent = await client().auth.signInWithOtp({ email, options: { shouldCreateUser: false } });
    expect(sent.error).toBeNull();
    const opened = await openLink(verifyLink(await waitForMail(email, 'magiclink')));
    expect(opened.fragment.get('type')).toBe('magiclink');
    expect(decodeJwt(opened.fragment.get('access_token')!).sub).toBe(id);
  });

  it('create_user: false refuses unknown addresses; true signs them up with a confirmation email', async () => {
    const email = uniqueEmail('magic-new');
    const refused = await client().auth.signInWithOtp({ email, options: { shouldCreateUser: false } });
    expect(refused.error).toMatchObject({ status: 422, code: 'otp_disabled', message: 'Signups not allowed for otp' });

    const created = await client().auth.signInWithOtp({ email, options: { data: { source: 'otp' } } });
    expect(created.error).toBeNull();
    const opened = await openLink(verifyLink(await waitForMail(email, 'signup')));
    const claims = decodeJwt(opened.fragment.get('access_token')!);
    expect(claims.email).toBe(email);
    expect(claims.user_metadata).toMatchObject({ source: 'otp', email_verified: true });
  });
});

describe('email change (double_confirm_changes = true)', () => {
  it('needs both links; the address changes after the second', async () => {
    const { email } = await confirmedUser('mover');
    const supabase = client();
    await supabase.auth.signInWithPassword({ email, password: PASSWORD });
    const newEmail = uniqueEmail('moved');
    const asked = await supabase.auth.updateUser({ email: newEmail });
    expect(asked.error).toBeNull();
    expect(asked.data.user?.email).toBe(email);
    expect(asked.data.user?.new_email).toBe(newEmail);

    const toNew = await waitForMail(newEmail, 'email_change');
    const toOld = await waitForMail(email, 'email_change');
    const halfway = await openLink(verifyLink(toOld));
    expect(halfway.fragment.get('message')).toBe('Confirmation link accepted. Please proceed to confirm link sent to the other email');
    const done = await openLink(verifyLink(toNew));
    expect(done.fragment.get('type')).toBe('email_change');
    expect(decodeJwt(done.fragment.get('access_token')!).email).toBe(newEmail);
    expect((await client().auth.signInWithPassword({ email: newEmail, password: PASSWORD })).error).toBeNull();
  });
});

describe('PKCE', () => {
  it('sign-up with flowType pkce: the link redirects with ?code=, exchangeCodeForSession signs in', async () => {
    const email = uniqueEmail('pkce');
    const browser = pkceClient();
    const signUp = await browser.auth.signUp({ email, password: PASSWORD });
    expect(signUp.error).toBeNull();
    const link = new URL(verifyLink(await waitForMail(email, 'signup')));
    expect(link.searchParams.get('token')).toMatch(/^pkce_[0-9a-f]{56}$/);
    const opened = await openLink(link.toString());
    const code = opened.location.searchParams.get('code');
    expect(code).toBeTruthy();
    expect(opened.location.hash).toBe('');
    const exchanged = await browser.auth.exchangeCodeForSession(code!);
    expect(exchanged.error).toBeNull();
    expect(exchanged.data.user?.email).toBe(email);
    expect(decodeJwt(exchanged.data.session!.access_token).amr[0].method).toBe('email/signup');

    const reused = await authFetch('/token?grant_type=pkce', { method: 'POST', body: { auth_code: code, code_verifier: 'x'.repeat(43) } });
    expect(reused.status).toBe(404);
    expect(reused.json.error_code).toBe('flow_state_not_found');
  });
});

describe('admin.generateLink', () => {
  it('returns the link and code without sending mail', async () => {
    const email = uniqueEmail('generated');
    const { data, error } = await adminClient().auth.admin.generateLink({ type: 'signup', email, password: PASSWORD });
    expect(error).toBeNull();
    if (!data.properties) throw new Error('no link properties');
    expect(data.properties.verification_type).toBe('signup');
    expect(data.properties.email_otp).toMatch(/^\d{6}$/);
    expect(data.properties.action_link).toContain(`token=${data.properties.hashed_token}`);
    expect(data.user.email).toBe(email);
    const opened = await openLink(data.properties.action_link);
    expect(decodeJwt(opened.fragment.get('access_token')!).sub).toBe(data.user.id);

    const recovery = await adminClient().auth.admin.generateLink({ type: 'recovery', email: uniqueEmail('nobody') });
    expect(recovery.error).toMatchObject({ status: 404, code: 'user_not_found' });
  });
});
