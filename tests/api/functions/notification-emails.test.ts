// Notification emails end to end on the shared test stack: the edge functions
// send-invitation (the portal calls it right after public.invite_user) and
// send-notification-emails (the scheduler's job), with the real database,
// Auth and local mailbox; and the stack's timer that calls the latter.
//
// Other test files rely on the seeded pending registrations (Nina Newman,
// Reception Team, Dana Newadmin): these tests act only on people they create.
import { randomBytes, randomUUID } from 'node:crypto';
import { FunctionsHttpError, type SupabaseClient } from '@supabase/supabase-js';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { startNotificationEmails, type NotificationEmailsLog } from '../../../stack/notification-emails.ts';
import { authFetch, client, decodeJwt, fakeIp, mailFor, openLink, stack, verifyLink, waitForMail } from '../auth/helpers.ts';

const DEMO_PASSWORD = 'Demo-Password-1';
const NEW_PASSWORD = 'Accepted-Invitation-2026';
const ALEX = 'icb.admin@northshire.example'; // NHS Northshire ICB: user administrator
const SOUTHVALE_ADMIN = 'icb.admin@southvale.example';
/** A loopback portal that is not config.toml's site_url, so a link that opens it proves the redirect was honoured. */
const PORTAL = 'http://127.0.0.1:5999';
const ACCEPT_PAGE = `${PORTAL}/accept-invitation`;
const FUNCTIONS_URL = `${stack.apiUrl}/functions/v1`;

const sql = postgres(stack.dbUrl, { max: 2, onnotice: () => {} });

afterAll(async () => {
  await sql.end({ timeout: 5 });
});

function uniqueEmail(label: string): string {
  return `${label}.${Date.now().toString(36)}${randomBytes(3).toString('hex')}@notify-test.example`;
}

async function signIn(email: string, password = DEMO_PASSWORD): Promise<SupabaseClient> {
  const supabase = client({ ip: fakeIp() });
  const { error } = await supabase.auth.signInWithPassword({ email, password });
  if (error) throw new Error(`sign-in of ${email} failed: ${error.message}`);
  return supabase;
}

async function accessToken(supabase: SupabaseClient): Promise<string> {
  const { data } = await supabase.auth.getSession();
  return data.session!.access_token;
}

let riversideId: string | undefined;
async function riversidePractice(): Promise<string> {
  if (!riversideId) {
    const [row] = await sql<{ id: string }[]>`select id from public.organisations where ods_code = 'ZP1001'`;
    riversideId = row!.id;
  }
  return riversideId;
}

/** public.invite_user as `admin`: a new invited account (Claim Submitter at Riverside Medical Centre). */
async function invite(admin: SupabaseClient, email: string, fullName: string): Promise<string> {
  const { data, error } = await admin.rpc('invite_user', {
    p_email: email,
    p_full_name: fullName,
    p_organisation_id: await riversidePractice(),
    p_roles: ['claim_submitter'],
  });
  if (error) throw new Error(`invite_user failed: ${error.message}`);
  return (data as { profile_id: string }).profile_id;
}

interface FunctionAnswer {
  status: number;
  body: any;
  headers: Headers;
}

async function sendInvitation(as: SupabaseClient, body: unknown): Promise<FunctionAnswer> {
  const { data, error, response } = await as.functions.invoke('send-invitation', { body: body as Record<string, unknown> });
  if (error) {
    expect(error).toBeInstanceOf(FunctionsHttpError);
    const failed = (error as FunctionsHttpError).context as Response;
    return { status: failed.status, body: await failed.json(), headers: failed.headers };
  }
  return { status: response!.status, body: data, headers: response!.headers };
}

async function callFunction(name: string, bearer: string | null, body: unknown = {}, method = 'POST'): Promise<FunctionAnswer> {
  const response = await fetch(`${FUNCTIONS_URL}/${name}`, {
    method,
    headers: { ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}), 'Content-Type': 'application/json' },
    ...(method === 'GET' ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

const sendNotificationEmails = () => callFunction('send-notification-emails', stack.serviceRoleKey, { portal_url: PORTAL });

async function emailedAt(notificationId: string): Promise<Date | null> {
  const [row] = await sql<{ emailed_at: Date | null }[]>`select emailed_at from public.notifications where id = ${notificationId}`;
  return row!.emailed_at;
}

/**
 * Run send-notification-emails until `ids` are all stamped. Other test files queue notifications
 * too, and a run takes the oldest 100, so ours may need more than one run.
 */
async function sendUntilEmailed(ids: string[]): Promise<Array<{ sent: number; failed: number }>> {
  const runs: Array<{ sent: number; failed: number }> = [];
  for (let attempt = 0; attempt < 20; attempt++) {
    const answer = await sendNotificationEmails();
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    runs.push(answer.body);
    const pending = await sql`select 1 from public.notifications where id = any(${ids}::uuid[]) and emailed_at is null`;
    if (pending.length === 0) return runs;
  }
  throw new Error(`notifications ${ids.join(', ')} were not emailed after 20 runs`);
}

async function notificationsOf(profileId: string, kind: string) {
  return sql<{ id: string; link: string | null; emailed_at: Date | null; subject: string }[]>`
    select id, link, emailed_at, subject from public.notifications
    where recipient_id = ${profileId} and kind = ${kind}::public.notification_kind order by created_at`;
}

/** An account made directly in auth.users (as the sign-up trigger sees one), for queueing mail to odd addresses. */
async function accountWithEmail(email: string, fullName: string): Promise<string> {
  const id = randomUUID();
  await sql`
    insert into auth.users (instance_id, id, aud, role, email, encrypted_password, raw_app_meta_data, raw_user_meta_data,
                            created_at, updated_at, confirmation_token, recovery_token, email_change_token_new, email_change)
    values ('00000000-0000-0000-0000-000000000000', ${id}, 'authenticated', 'authenticated', ${email}, '',
            '{"provider":"email","providers":["email"]}', ${sql.json({ full_name: fullName })}, now(), now(), '', '', '', '')`;
  return id;
}

async function queueNotification(recipientId: string, subject: string, body: string, link: string | null): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into public.notifications (recipient_id, kind, subject, body, link)
    values (${recipientId}, 'account_enabled', ${subject}, ${body}, ${link}) returning id`;
  return row!.id;
}

describe('send-invitation', () => {
  it('emails the invitation link; following it and choosing a password activates the account', async () => {
    const alex = await signIn(ALEX);
    const email = uniqueEmail('ivy.invitee');
    const profileId = await invite(alex, email, 'Ivy Invitee');
    const [queued] = await notificationsOf(profileId, 'invitation');
    expect(queued!.emailed_at).toBeNull();

    const answer = await sendInvitation(alex, { profile_id: profileId, redirect_to: ACCEPT_PAGE });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ sent: true });
    expect(await emailedAt(queued!.id)).toBeInstanceOf(Date);

    const mail = await waitForMail(email, 'invite');
    const link = verifyLink(mail);
    expect(new URL(link).searchParams.get('type')).toBe('invite');
    expect(new URL(link).searchParams.get('redirect_to')).toBe(ACCEPT_PAGE);

    // The person opens the link: Auth confirms the address and signs them in on the given page.
    const opened = await openLink(link);
    expect(opened.status).toBe(303);
    expect(`${opened.location.origin}${opened.location.pathname}`).toBe(ACCEPT_PAGE);
    const token = opened.fragment.get('access_token')!;
    expect(decodeJwt(token).sub).toBe(profileId);
    expect(opened.fragment.get('type')).toBe('invite');
    // Confirming the address makes the invited account active (tenancy_on_auth_user_updated).
    const [profile] = await sql<{ status: string }[]>`select status from public.profiles where id = ${profileId}`;
    expect(profile!.status).toBe('active');
    const accepted = await sql`select 1 from public.audit_log where action = 'invitation.accept' and subject_profile_id = ${profileId}`;
    expect(accepted).toHaveLength(1);

    // The accept page sets their password; from then on they sign in with it.
    const updated = await authFetch('/user', { method: 'PUT', bearer: token, body: { password: NEW_PASSWORD } });
    expect(updated.status).toBe(200);
    const person = client({ ip: fakeIp() });
    const signedIn = await person.auth.signInWithPassword({ email, password: NEW_PASSWORD });
    expect(signedIn.error).toBeNull();
    expect(signedIn.data.user!.id).toBe(profileId);

    // Once accepted there is nothing left to send.
    const again = await sendInvitation(alex, { profile_id: profileId, redirect_to: ACCEPT_PAGE });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('not_invited');
    expect(await mailFor(email).then((mails) => mails.filter((m) => m.kind === 'invite'))).toHaveLength(1);
  });

  it('the invitation email names who invited, the organisation and the roles (user metadata, as hosted templates read {{ .Data.xxx }})', async () => {
    const alex = await signIn(ALEX);
    const email = uniqueEmail('nora.named');
    const { data, error } = await alex.rpc('invite_user', {
      p_email: email,
      p_full_name: 'Nora Named',
      p_organisation_id: await riversidePractice(),
      p_roles: ['view', 'claim_submitter'],
    });
    expect(error).toBeNull();
    const profileId = (data as { profile_id: string }).profile_id;
    expect((await sendInvitation(alex, { profile_id: profileId, redirect_to: ACCEPT_PAGE })).status).toBe(200);

    const mail = await waitForMail(email, 'invite');
    expect(mail.subject).toBe('You have been invited to the commissioning portal for Riverside Medical Centre (ZP1001)');
    expect(mail.text).toContain(
      'Alex Admin has invited you to the commissioning portal for Riverside Medical Centre (ZP1001) as Claim Submitter, View.',
    );
    const [user] = await sql<{ meta: Record<string, unknown> }[]>`select raw_user_meta_data as meta from auth.users where id = ${profileId}`;
    expect(user!.meta).toMatchObject({
      full_name: 'Nora Named',
      invited_by: 'Alex Admin',
      organisation: 'Riverside Medical Centre (ZP1001)',
      organisation_name: 'Riverside Medical Centre',
      organisation_ods_code: 'ZP1001',
      roles: 'Claim Submitter, View',
    });
    // The profile keeps the invited name (the metadata update changes nothing else).
    const [profile] = await sql<{ full_name: string; status: string }[]>`select full_name, status from public.profiles where id = ${profileId}`;
    expect(profile).toEqual({ full_name: 'Nora Named', status: 'invited' });
  });

  it("refuses another administrator's invitation (403) and sends nothing", async () => {
    const alex = await signIn(ALEX);
    const email = uniqueEmail('oscar.other');
    const profileId = await invite(alex, email, 'Oscar Other');

    const southvale = await signIn(SOUTHVALE_ADMIN);
    const refused = await sendInvitation(southvale, { profile_id: profileId, redirect_to: ACCEPT_PAGE });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ error: { code: 'not_inviter', message: expect.stringContaining('latest invitation') } });
    expect(refused.headers.get('access-control-allow-origin')).toBe('*');
    expect(await mailFor(email)).toHaveLength(0);
    const [queued] = await notificationsOf(profileId, 'invitation');
    expect(queued!.emailed_at).toBeNull();

    // The inviter can, and can send it again (as hosted Auth does, a new link voids the old one).
    expect((await sendInvitation(alex, { profile_id: profileId, redirect_to: ACCEPT_PAGE })).status).toBe(200);
    const first = verifyLink(await waitForMail(email, 'invite'));
    expect((await sendInvitation(alex, { profile_id: profileId, redirect_to: ACCEPT_PAGE })).status).toBe(200);
    const second = verifyLink(await waitForMail(email, 'invite', 2));
    expect(second).not.toBe(first);
    expect((await openLink(first)).fragment.get('error_code')).toBe('otp_expired');
    expect(decodeJwt((await openLink(second)).fragment.get('access_token')!).sub).toBe(profileId);
  });

  it('answers bad calls with a clear JSON error', async () => {
    const alex = await signIn(ALEX);
    const token = await accessToken(alex);
    const unknownProfile = randomUUID();

    const anon = await callFunction('send-invitation', stack.anonKey, { profile_id: unknownProfile, redirect_to: ACCEPT_PAGE });
    expect(anon.status).toBe(401);
    expect(anon.body.error.code).toBe('not_signed_in');

    const noBody = await callFunction('send-invitation', token, {});
    expect(noBody.status).toBe(400);
    expect(noBody.body.error).toEqual({ code: 'invalid_request', message: expect.stringContaining('profile_id') });
    const badRedirect = await callFunction('send-invitation', token, { profile_id: unknownProfile, redirect_to: 'javascript:alert(1)' });
    expect(badRedirect.status).toBe(400);
    expect(badRedirect.body.error.message).toContain('redirect_to');

    const unknown = await callFunction('send-invitation', token, { profile_id: unknownProfile, redirect_to: ACCEPT_PAGE });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('invitation_not_found');
    // Alex exists but was never invited (a seeded account).
    const notInvited = await callFunction('send-invitation', token, { profile_id: decodeJwt(token).sub, redirect_to: ACCEPT_PAGE });
    expect(notInvited.status).toBe(404);

    const get = await callFunction('send-invitation', token, undefined, 'GET');
    expect(get.status).toBe(405);
    expect(get.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('send-notification-emails', () => {
  it('refuses anything but the service-role key', async () => {
    const alex = await signIn(ALEX);
    for (const bearer of [await accessToken(alex), stack.anonKey]) {
      const answer = await callFunction('send-notification-emails', bearer, { portal_url: PORTAL });
      expect(answer.status).toBe(403);
      expect(answer.body.error.code).toBe('forbidden');
    }
    expect((await callFunction('send-notification-emails', null)).status).toBe(401); // the platform's verify_jwt
  });

  it('emails queued notifications with absolute portal links and stamps emailed_at', async () => {
    // Someone registers for Riverside Medical Centre; the deciders are told; Alex rejects it.
    const email = uniqueEmail('rita.registrant');
    const signUp = await client({ ip: fakeIp() }).auth.signUp({
      email,
      password: NEW_PASSWORD,
      options: { data: { full_name: 'Rita Registrant', ods_code: 'ZP1001', roles: ['claim_submitter'] } },
    });
    expect(signUp.error).toBeNull();
    const registrantId = signUp.data.user!.id;
    const waiting = await sql<{ id: string; recipient_id: string; email: string; link: string }[]>`
      select n.id, n.recipient_id, p.email, n.link from public.notifications n join public.profiles p on p.id = n.recipient_id
      where n.kind = 'registration_waiting' and n.link = ${`/registrations/${registrantId}`}`;
    expect(waiting.length).toBeGreaterThan(0);

    const alex = await signIn(ALEX);
    const reason = 'Please register with your own NHS.net address.';
    const rejected = await alex.rpc('reject_registration', { p_profile_id: registrantId, p_reason: reason });
    expect(rejected.error).toBeNull();
    const [rejection] = await notificationsOf(registrantId, 'registration_rejected');
    expect(rejection!.emailed_at).toBeNull();

    await sendUntilEmailed([rejection!.id, ...waiting.map((w) => w.id)]);

    const told = await waitForMail(email, 'registration_rejected');
    expect(told.subject).toBe('Your registration has been rejected');
    expect(told.text).toContain('Hello Rita Registrant,');
    expect(told.text).toContain(reason);
    const decider = waiting[0]!;
    const deciderMail = (await mailFor(decider.email)).filter((m) => m.kind === 'registration_waiting');
    expect(deciderMail.some((m) => m.links.includes(`${PORTAL}/registrations/${registrantId}`))).toBe(true);
  });

  it('leaves a notification whose email fails unstamped, and sends the others', async () => {
    // The mailer refuses an address without a dotted domain; the database accepts it.
    const badEmail = `${uniqueEmail('nowhere').split('@')[0]}@localhost`;
    const bad = await accountWithEmail(badEmail, 'Nora Nowhere');
    const good = await accountWithEmail(uniqueEmail('gail.good'), 'Gail Good');
    const badId = await queueNotification(bad, 'Your account has been enabled', 'You can sign in again.', '/profile');
    const goodId = await queueNotification(good, 'Your account has been enabled', 'You can sign in again.', '/profile');
    try {
      const runs = await sendUntilEmailed([goodId]);
      expect(runs.some((run) => run.failed >= 1)).toBe(true);
      expect(await emailedAt(badId)).toBeNull();
      // Every later run tries it again, and it still fails.
      const retried = await sendNotificationEmails();
      expect(retried.body.failed).toBeGreaterThanOrEqual(1);
      expect(await emailedAt(badId)).toBeNull();
      const [goodMail] = (await mailFor((await sql`select email from public.profiles where id = ${good}`)[0]!.email)).filter(
        (m) => m.kind === 'account_enabled',
      );
      expect(goodMail!.links).toContain(`${PORTAL}/profile`);
    } finally {
      // Not left in the shared queue for other runs to trip over.
      await sql`delete from public.notifications where id = ${badId}`;
    }
  });

  it('sends invitations older than 5 minutes through Auth and leaves fresh ones to the portal', async () => {
    const alex = await signIn(ALEX);
    const oldEmail = uniqueEmail('olive.older');
    const freshEmail = uniqueEmail('fred.fresh');
    const oldId = await invite(alex, oldEmail, 'Olive Older');
    const freshId = await invite(alex, freshEmail, 'Fred Fresh');
    const [older] = await notificationsOf(oldId, 'invitation');
    const [fresh] = await notificationsOf(freshId, 'invitation');
    await sql`update public.notifications set created_at = now() - interval '6 minutes' where id = ${older!.id}`;

    await sendUntilEmailed([older!.id]);
    const mail = await waitForMail(oldEmail, 'invite');
    expect(new URL(verifyLink(mail)).searchParams.get('redirect_to')).toBe(ACCEPT_PAGE);
    expect(await emailedAt(fresh!.id)).toBeNull();
    expect(await mailFor(freshEmail)).toHaveLength(0);

    // The portal's own call sends the fresh one.
    expect((await sendInvitation(alex, { profile_id: freshId, redirect_to: ACCEPT_PAGE })).status).toBe(200);
    expect(await emailedAt(fresh!.id)).toBeInstanceOf(Date);
  });
});

describe('send-notification-emails and notification preferences', () => {
  async function queueKind(recipientId: string, kind: string, subject: string): Promise<string> {
    const [row] = await sql<{ id: string }[]>`
      insert into public.notifications (recipient_id, kind, subject, body, link)
      values (${recipientId}, ${kind}::public.notification_kind, ${subject}, 'Something changed.', '/') returning id`;
    return row!.id;
  }
  async function state(id: string) {
    const [row] = await sql<{ emailed: boolean; skipped: boolean }[]>`
      select emailed_at is not null as emailed, email_skipped_at is not null as skipped from public.notifications where id = ${id}`;
    return row!;
  }

  it('never emails a portal-only kind (chosen before or after it was queued), marks it so it is not retried, and emails the rest', async () => {
    const email = uniqueEmail('petra.portal');
    const person = await accountWithEmail(email, 'Petra Portal');
    await sql`insert into public.notification_preferences (profile_id, kind, delivery) values (${person}, 'roles_changed', 'portal_only')`;
    const portalOnly = await queueKind(person, 'roles_changed', 'Your roles changed');
    // Queued while still "email"; the person then chooses "portal only".
    const changedLater = await queueKind(person, 'cluster_changed', 'A cluster changed');
    await sql`insert into public.notification_preferences (profile_id, kind, delivery) values (${person}, 'cluster_changed', 'portal_only')`;
    const emailed = await queueKind(person, 'membership_revoked', 'Access removed');
    // Always emailed, whatever the table says.
    await sql`insert into public.notification_preferences (profile_id, kind, delivery) values (${person}, 'account_enabled', 'portal_only')`;
    const always = await queueKind(person, 'account_enabled', 'Your account has been enabled');

    // The database stamps both before any run: one when queued, one when the choice was made.
    expect(await state(portalOnly)).toEqual({ emailed: false, skipped: true });
    expect(await state(changedLater)).toEqual({ emailed: false, skipped: true });
    expect(await state(always)).toEqual({ emailed: false, skipped: false });

    for (let attempt = 0; attempt < 20; attempt++) {
      const answer = await sendNotificationEmails();
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      const [b, c] = await Promise.all([state(emailed), state(always)]);
      if (b.emailed && c.emailed) break;
    }
    expect(await state(changedLater)).toEqual({ emailed: false, skipped: true });
    expect(await state(emailed)).toEqual({ emailed: true, skipped: false });
    expect(await state(always)).toEqual({ emailed: true, skipped: false });
    expect(await state(portalOnly)).toEqual({ emailed: false, skipped: true });

    // Another run sends nothing more to Petra: the skipped rows are never picked up again.
    await sendNotificationEmails();
    const kinds = (await mailFor(email)).map((m) => m.kind).sort();
    expect(kinds).toEqual(['account_enabled', 'membership_revoked']);
    // Both portal-only messages are still in the portal (the outbox is the message centre).
    const inPortal = await sql`select kind::text from public.notifications where recipient_id = ${person} order by kind::text`;
    expect(inPortal.map((r) => r.kind)).toEqual(['account_enabled', 'cluster_changed', 'membership_revoked', 'roles_changed']);
  });
});

describe('the stack timer (startStack({ notificationEmails: true }))', () => {
  function memoryLog(): NotificationEmailsLog & { infos: string[]; errors: string[] } {
    const infos: string[] = [];
    const errors: string[] = [];
    return { infos, errors, info: (line) => infos.push(line), error: (line) => errors.push(line) };
  }

  it('emails what is queued without being asked, and stops cleanly', async () => {
    const recipient = await accountWithEmail(uniqueEmail('tim.timer'), 'Tim Timer');
    const id = await queueNotification(recipient, 'Your account has been enabled', 'Sent by the timer.', null);
    const log = memoryLog();
    const timer = startNotificationEmails({ apiUrl: stack.apiUrl, serviceRoleKey: stack.serviceRoleKey, portalUrl: PORTAL, intervalMs: 100, log });
    try {
      await expect.poll(() => emailedAt(id), { timeout: 20_000, interval: 200 }).toBeInstanceOf(Date);
      // The row is stamped before the function answers: wait for the answer too, or stop() would abort it.
      await expect.poll(() => log.infos.some((line) => /^emailed \d+ notification\(s\)$/.test(line)), { timeout: 20_000 }).toBe(true);
    } finally {
      await timer.stop();
    }
    expect(log.errors).toEqual([]);
    await expect(timer.runNow()).rejects.toThrow('stopped');
  });

  it('logs a problem once, not on every tick, and says when it is over', async () => {
    const log = memoryLog();
    let key = stack.anonKey; // refused (403) until corrected below
    const timer = startNotificationEmails({
      apiUrl: stack.apiUrl,
      serviceRoleKey: 'unused',
      portalUrl: PORTAL,
      intervalMs: 50,
      log,
      fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), Authorization: `Bearer ${key}` } }),
    });
    try {
      await expect(timer.runNow()).rejects.toThrow('403');
      await new Promise((resolve) => setTimeout(resolve, 500)); // several more ticks
      expect(log.errors).toEqual(['could not run send-notification-emails: send-notification-emails answered 403: Only the service role (the scheduler) may send notification emails.']);
      key = stack.serviceRoleKey;
      await timer.runNow();
      expect(log.infos).toContain('notification emails are being sent again');
    } finally {
      await timer.stop();
    }
  });

  it('never overlaps runs, and stop() aborts and waits for the one under way', async () => {
    let inFlight = 0;
    let most = 0;
    let calls = 0;
    let aborted = false;
    const slowFetch: typeof fetch = (_input, init) => {
      calls += 1;
      inFlight += 1;
      most = Math.max(most, inFlight);
      return new Promise<Response>((resolve, reject) => {
        const onAbort = () => {
          clearTimeout(done);
          inFlight -= 1;
          aborted = true;
          reject(init!.signal!.reason);
        };
        const done = setTimeout(() => {
          init?.signal?.removeEventListener('abort', onAbort);
          inFlight -= 1;
          resolve(new Response(JSON.stringify({ sent: 0, failed: 0 }), { status: 200 }));
        }, 120);
        init?.signal?.addEventListener('abort', onAbort, { once: true });
      });
    };
    const log = memoryLog();
    const timer = startNotificationEmails({ apiUrl: stack.apiUrl, serviceRoleKey: 'k', portalUrl: PORTAL, intervalMs: 10, log, fetch: slowFetch });
    void timer.runNow().catch(() => undefined);
    void timer.runNow().catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(most).toBe(1);
    // Stop in the middle of a run.
    await expect.poll(() => inFlight, { timeout: 2_000, interval: 5 }).toBe(1);
    await timer.stop();
    expect(inFlight).toBe(0);
    expect(aborted).toBe(true);
    const callsAtStop = calls;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(calls).toBe(callsAtStop);
    expect(log.errors).toEqual([]); // an abort on stop is not a problem to report
  });
});
