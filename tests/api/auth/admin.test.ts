// Admin API (/admin/users, ban_duration, soft/hard delete) and who may call it.
import { afterAll, describe, expect, it } from 'vitest';
import { signJwt } from '../../../stack/jwt.ts';
import { adminClient, authFetch, client, closeDb, confirmedUser, db, PASSWORD, stack, uniqueEmail } from './helpers.ts';

afterAll(closeDb);

describe('who may call admin endpoints', () => {
  it('anon key, a signed-in user and a forged token are refused; service_role and supabase_admin are allowed', async () => {
    const anon = await authFetch('/admin/users', { bearer: stack.anonKey });
    expect(anon.status).toBe(403);
    expect(anon.json).toEqual({ code: 403, error_code: 'not_admin', msg: 'User not allowed' });

    const { email } = await confirmedUser('plain-user');
    const user = client();
    const { data } = await user.auth.signInWithPassword({ email, password: PASSWORD });
    const asUser = await authFetch('/admin/users', { bearer: data.session!.access_token });
    expect(asUser.status).toBe(403);
    expect(asUser.json.error_code).toBe('not_admin');
    // through supabase-js, a client signed in as a user gets the same
    const list = await user.auth.admin.listUsers();
    expect(list.error).toMatchObject({ status: 403, code: 'not_admin', message: 'User not allowed' });

    const none = await authFetch('/admin/users');
    expect(none.status).toBe(401);
    expect(none.json.error_code).toBe('no_authorization');

    const forged = await signJwt({ role: 'service_role', exp: Math.floor(Date.now() / 1000) + 60 }, 'not-the-project-secret-but-32-chars-long!!');
    const bad = await authFetch('/admin/users', { bearer: forged });
    expect(bad.status).toBe(403);
    expect(bad.json.error_code).toBe('bad_jwt');

    const supabaseAdmin = await signJwt({ role: 'supabase_admin', exp: Math.floor(Date.now() / 1000) + 60 }, stack.jwtSecret);
    expect((await authFetch('/admin/users?per_page=1', { bearer: supabaseAdmin })).status).toBe(200);
    expect((await authFetch('/admin/users?per_page=1', { bearer: stack.serviceRoleKey })).status).toBe(200);
  });
});

describe('GET /admin/users pagination', () => {
  it('X-Total-Count and Link headers as GoTrue writes them; supabase-js reads them', async () => {
    for (let i = 0; i < 3; i++) await confirmedUser(`listed-${i}`);
    const [{ n }] = (await db()`
      select count(*)::int as n from auth.users
      where instance_id = '00000000-0000-0000-0000-000000000000' and aud = 'authenticated'`) as unknown as [{ n: number }];
    const res = await authFetch('/admin/users?page=2&per_page=2', { bearer: stack.serviceRoleKey });
    expect(res.status).toBe(200);
    // Other files create users concurrently; the count is at least what was there just before.
    const total = Number(res.headers.get('x-total-count'));
    expect(total).toBeGreaterThanOrEqual(n);
    const last = Math.ceil(total / 2);
    expect(res.headers.get('link')).toBe(
      `${last > 2 ? '</admin/users?page=3&per_page=2>; rel="next", ' : ''}</admin/users?page=${last}&per_page=2>; rel="last"`,
    );
    expect(res.json.aud).toBe('authenticated');
    expect(res.json.users).toHaveLength(Math.min(2, total - 2));
    expect(res.json.users[0]).toHaveProperty('identities');

    const viaJs = await adminClient().auth.admin.listUsers({ page: 1, perPage: 2 });
    if (viaJs.error) throw viaJs.error;
    const listed = viaJs.data as typeof viaJs.data & { total: number; nextPage: number | null; lastPage: number };
    expect(listed.users).toHaveLength(2);
    expect(listed.total).toBeGreaterThanOrEqual(n);
    expect(listed.nextPage).toBe(2);
    expect(listed.lastPage).toBe(Number(String(Math.ceil(listed.total / 2)).slice(0, 1))); // auth-js reads one digit
    // newest first
    const times = listed.users.map((u) => Date.parse(u.created_at));
    expect(times[0]).toBeGreaterThanOrEqual(times[1]!);
  });

  it('bad pagination parameters are a 400', async () => {
    const res = await authFetch('/admin/users?page=two', { bearer: stack.serviceRoleKey });
    expect(res.status).toBe(400);
    expect(res.json.error_code).toBe('validation_failed');
  });
});

describe('admin user management', () => {
  it('create, get, update metadata, delete', async () => {
    const admin = adminClient().auth.admin;
    const email = uniqueEmail('managed');
    const created = await admin.createUser({
      email,
      password: PASSWORD,
      email_confirm: true,
      user_metadata: { full_name: 'Managed Person' },
      app_metadata: { portal_role: 'practice_user' },
    });
    expect(created.error).toBeNull();
    const user = created.data.user!;
    expect(user).toMatchObject({
      email,
      role: 'authenticated',
      aud: 'authenticated',
      app_metadata: { provider: 'email', providers: ['email'], portal_role: 'practice_user' },
      user_metadata: { full_name: 'Managed Person', email_verified: true },
    });
    expect(user.email_confirmed_at).toBeTruthy();

    const duplicate = await admin.createUser({ email, password: PASSWORD });
    expect(duplicate.error).toMatchObject({ status: 422, code: 'email_exists' });

    const fetched = await admin.getUserById(user.id);
    expect(fetched.data.user?.id).toBe(user.id);
    expect((await admin.getUserById('00000000-0000-4000-8000-000000000000')).error).toMatchObject({ status: 404, code: 'user_not_found' });
    // auth-js refuses a malformed id itself; the endpoint answers as GoTrue does.
    const malformed = await authFetch('/admin/users/not-a-uuid', { bearer: stack.serviceRoleKey });
    expect(malformed.status).toBe(404);
    expect(malformed.json).toEqual({ code: 404, error_code: 'validation_failed', msg: 'user_id must be an UUID' });

    const updated = await admin.updateUserById(user.id, {
      app_metadata: { portal_role: 'practice_approver', organisation_id: 42 },
      user_metadata: { full_name: null, nickname: 'MP' },
    });
    expect(updated.error).toBeNull();
    expect(updated.data.user?.app_metadata).toMatchObject({ portal_role: 'practice_approver', organisation_id: 42, provider: 'email' });
    expect(updated.data.user?.user_metadata).toEqual({ nickname: 'MP', email_verified: true }); // null removes a key

    // Claims follow the metadata.
    const signedIn = await client().auth.signInWithPassword({ email, password: PASSWORD });
    expect(signedIn.data.session?.user.app_metadata.portal_role).toBe('practice_approver');

    const deleted = await admin.deleteUser(user.id);
    expect(deleted.error).toBeNull();
    expect((await db()`select 1 from auth.users where id = ${user.id}`).length).toBe(0);
    expect((await client().auth.signInWithPassword({ email, password: PASSWORD })).error?.code).toBe('invalid_credentials');
  });

  it('admin password change signs the user out everywhere', async () => {
    const { id, email } = await confirmedUser('reset-by-admin');
    const session = (await client().auth.signInWithPassword({ email, password: PASSWORD })).data.session!;
    const weak = await adminClient().auth.admin.updateUserById(id, { password: 'short' });
    expect(weak.error).toMatchObject({ status: 422, code: 'weak_password' });
    const changed = await adminClient().auth.admin.updateUserById(id, { password: 'Admin-Chosen-Password-7' });
    expect(changed.error).toBeNull();
    expect((await client().auth.refreshSession({ refresh_token: session.refresh_token })).error?.code).toBe('refresh_token_not_found');
    expect((await client().auth.signInWithPassword({ email, password: 'Admin-Chosen-Password-7' })).error).toBeNull();
  });

  it('soft delete keeps the row but the account is gone for good', async () => {
    const { id, email } = await confirmedUser('soft');
    const session = (await client().auth.signInWithPassword({ email, password: PASSWORD })).data.session!;
    const res = await adminClient().auth.admin.deleteUser(id, true);
    expect(res.error).toBeNull();
    const [row] = await db()`select email, encrypted_password, deleted_at from auth.users where id = ${id}`;
    expect(row!.deleted_at).not.toBeNull();
    expect(row!.email).not.toBe(email);
    expect(row!.encrypted_password).toBeNull();
    expect((await client().auth.signInWithPassword({ email, password: PASSWORD })).error?.code).toBe('invalid_credentials');
    expect((await client().auth.refreshSession({ refresh_token: session.refresh_token })).error?.code).toBe('refresh_token_not_found');
  });
});

describe('users inserted by SQL, as seeds do', () => {
  it('can sign in when the row looks like GoTrue’s (nil instance, aud/role, bcrypt, confirmed)', async () => {
    const email = uniqueEmail('seeded');
    const [row] = await db()`
      insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
                              raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
      values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated', ${email},
              extensions.crypt(${PASSWORD}, extensions.gen_salt('bf')), now(),
              '{"provider":"email","providers":["email"]}', '{"full_name":"Seeded"}', now(), now())
      returning id`;
    await db()`
      insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at)
      values (${row!.id}, ${row!.id}, ${db().json({ sub: row!.id, email })}, 'email', now(), now())`;
    const { data, error } = await client().auth.signInWithPassword({ email, password: PASSWORD });
    expect(error).toBeNull();
    expect(data.user).toMatchObject({ id: row!.id, user_metadata: { full_name: 'Seeded' } });

    // Without the nil instance id GoTrue (and this service) does not find the user.
    const stray = uniqueEmail('stray');
    await db()`
      insert into auth.users (id, aud, role, email, encrypted_password, email_confirmed_at, created_at, updated_at)
      values (gen_random_uuid(), 'authenticated', 'authenticated', ${stray}, extensions.crypt(${PASSWORD}, extensions.gen_salt('bf')), now(), now(), now())`;
    expect((await client().auth.signInWithPassword({ email: stray, password: PASSWORD })).error?.code).toBe('invalid_credentials');
  });
});

describe('banning (ban_duration)', () => {
  it('a banned user can neither sign in nor refresh nor use their token; "none" lifts the ban', async () => {
    const { id, email } = await confirmedUser('banned');
    const holder = client();
    const session = (await holder.auth.signInWithPassword({ email, password: PASSWORD })).data.session!;

    const banned = await adminClient().auth.admin.updateUserById(id, { ban_duration: '24h' });
    expect(banned.error).toBeNull();
    const until = Date.parse(banned.data.user!.banned_until!);
    expect(until).toBeGreaterThan(Date.now() + 23.9 * 3600 * 1000);
    expect(until).toBeLessThan(Date.now() + 24.1 * 3600 * 1000);

    const signIn = await client().auth.signInWithPassword({ email, password: PASSWORD });
    expect(signIn.error).toMatchObject({ status: 400, code: 'user_banned', message: 'User is banned' });
    const refresh = await client().auth.refreshSession({ refresh_token: session.refresh_token });
    expect(refresh.error).toMatchObject({ status: 400, code: 'user_banned', message: 'Invalid Refresh Token: User Banned' });
    const me = await authFetch('/user', { bearer: session.access_token });
    expect(me.status).toBe(403);
    expect(me.json.error_code).toBe('user_banned');

    const badDuration = await adminClient().auth.admin.updateUserById(id, { ban_duration: 'forever' });
    expect(badDuration.error).toMatchObject({ status: 400, code: 'validation_failed' });

    const lifted = await adminClient().auth.admin.updateUserById(id, { ban_duration: 'none' });
    expect(lifted.data.user?.banned_until).toBeUndefined();
    expect((await client().auth.signInWithPassword({ email, password: PASSWORD })).error).toBeNull();
    expect((await client().auth.refreshSession({ refresh_token: session.refresh_token })).error).toBeNull();
  });
});
