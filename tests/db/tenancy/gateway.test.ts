// End to end through the local Supabase API (Auth + REST gateway): real
// sign-in, RLS on each request, the actions as RPC with their HTTP statuses.
// A throw-away probe person (committed, removed afterwards) is used for the
// state changes so that parallel suites never see the demo accounts change.
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signJwt } from '../../../stack/jwt.ts';
import { connect, stack } from '../helpers.ts';
import { EMAIL, ORG, PERSON, type PersonName } from './fixtures.ts';

const sql = connect(stack.dbUrl, { max: 2 });
const PASSWORD = 'Probe-Password-1';
const probe = { id: randomUUID(), email: `probe.${randomBytes(4).toString('hex')}@tenancy-test.example`, membership: '' };
const clientIp = `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

async function tokenFor(who: PersonName): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return signJwt({ sub: PERSON[who], role: 'authenticated', aud: 'authenticated', exp: now + 600 }, stack.jwtSecret);
}

async function signIn(email: string, password: string, ip = clientIp): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${stack.apiUrl}/auth/v1/token?grant_type=password`, {
    method: 'POST',
    headers: { apikey: stack.anonKey, 'Content-Type': 'application/json', 'X-Forwarded-For': ip },
    body: JSON.stringify({ email, password }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function rest(path: string, token: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${stack.apiUrl}/rest/v1/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      apikey: stack.anonKey,
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

beforeAll(async () => {
  await sql.begin(async (tx) => {
    await tx`
      insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
                              confirmation_token, recovery_token, email_change_token_new, email_change, email_change_token_current,
                              reauthentication_token, phone_change, phone_change_token,
                              raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
      values ('00000000-0000-0000-0000-000000000000', ${probe.id}, 'authenticated', 'authenticated', ${probe.email},
              extensions.crypt(${PASSWORD}, extensions.gen_salt('bf')), now(), '', '', '', '', '', '', '', '',
              '{"provider":"email","providers":["email"]}', '{"full_name":"Probe Person"}', now(), now())`;
    await tx`
      insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at)
      values (${probe.id}, ${probe.id}, ${tx.json({ sub: probe.id, email: probe.email, email_verified: true })}, 'email', now(), now())`;
    await tx`select set_config('app.action', 'test.setup', true)`;
    await tx`update public.profiles set status = 'active' where id = ${probe.id}`;
    const [membership] = await tx`
      insert into public.memberships (profile_id, organisation_id, roles, status)
      values (${probe.id}, ${ORG.ZP2002}, '{view}', 'active') returning id`;
    probe.membership = membership!.id;
  });
});

afterAll(async () => {
  await sql`delete from auth.users where id = ${probe.id}`;
});

describe('through the API', () => {
  it('every demo account signs in with the demo password (seeded like GoTrue writes them)', async () => {
    const ip = `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
    for (const [who, email] of Object.entries(EMAIL)) {
      const result = await signIn(email, 'Demo-Password-1', ip);
      expect(result.status, who).toBe(200);
      expect((result.body.user as { id: string }).id, who).toBe(PERSON[who as PersonName]);
    }
    expect((await signIn(EMAIL.alex, 'Wrong-Password-1', ip)).status).toBe(400);
  });

  it('sign-in, RLS per request, revocation effective on the next request, a disabled account cannot sign in', async () => {
    const robin = await tokenFor('robin');
    const first = await signIn(probe.email, PASSWORD);
    expect(first.status).toBe(200);
    const token = first.body.access_token as string;

    const settings = () => rest('practice_settings?select=organisation_id', token);
    expect(await settings()).toEqual({ status: 200, json: [{ organisation_id: ORG.ZP2002 }] });

    const revoked = await rest('rpc/revoke_membership', robin, { p_membership_id: probe.membership, p_reason: 'Probe' });
    expect(revoked.status).toBe(200);
    expect(revoked.json).toMatchObject({ id: probe.membership, status: 'revoked' });
    expect(await settings()).toEqual({ status: 200, json: [] }); // same token, next request

    expect((await rest('rpc/enable_membership', robin, { p_membership_id: probe.membership })).status).toBe(200);
    expect(await settings()).toEqual({ status: 200, json: [{ organisation_id: ORG.ZP2002 }] });

    const disabled = await rest('rpc/disable_account', robin, { p_profile_id: probe.id, p_reason: 'security_concern' });
    expect(disabled.status).toBe(200);
    expect(disabled.json).toMatchObject({ status: 'disabled', disable_reason: 'security_concern' });
    const refused = await signIn(probe.email, PASSWORD);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('user_banned');
    expect(await rest('profiles?select=id', token)).toEqual({ status: 200, json: [] }); // the old token reaches nothing
    expect(await settings()).toEqual({ status: 200, json: [] });

    expect((await rest('rpc/enable_account', robin, { p_profile_id: probe.id })).status).toBe(200);
    expect((await signIn(probe.email, PASSWORD)).status).toBe(200);
  });

  it('refusals arrive with their HTTP status, SQLSTATE, message and hint, and change nothing', async () => {
    const before = await sql`select status from public.profiles where id = ${PERSON.nina}`;
    const pat = await rest('rpc/approve_registration', await tokenFor('pat'), { p_profile_id: PERSON.nina });
    expect(pat).toEqual({
      status: 403,
      json: {
        code: '42501',
        message: 'You may not approve access to Bridge Street Surgery (ZP1002) as Claim Submitter.',
        details: null,
        hint: 'User Administrators of a commissioner above the organisation (or the Provider Approver of a two-step practice) approve it.',
      },
    });
    const alex = await tokenFor('alex');
    const wrongState = await rest('rpc/approve_registration', alex, { p_profile_id: PERSON.pat });
    expect(wrongState.status).toBe(409);
    expect(wrongState.json).toMatchObject({ code: 'PT409' });
    const missing = await rest('rpc/approve_registration', alex, { p_profile_id: randomUUID() });
    expect(missing.status).toBe(404);
    const badInput = await rest('rpc/reject_registration', alex, { p_profile_id: PERSON.nina, p_reason: ' ' });
    expect(badInput).toMatchObject({ status: 400, json: { code: '22023', message: 'A reason is required to reject a registration.' } });
    const generic = await rest('rpc/approve_registration', alex, { p_profile_id: PERSON.reception });
    expect(generic).toMatchObject({ status: 400, json: { code: '23514' } });
    expect(await sql`select status from public.profiles where id = ${PERSON.nina}`).toEqual(before);
    expect(await sql`select status from public.profiles where id = ${PERSON.reception}`).toEqual([{ status: 'pending' }]);
  });

  it('anon reads the organisation directory and nothing else; the service key is no user', async () => {
    const anon = stack.anonKey;
    const directory = await rest('organisations?select=ods_code,name&ods_code=eq.ZP1001', anon);
    expect(directory).toEqual({ status: 200, json: [{ ods_code: 'ZP1001', name: 'Riverside Medical Centre' }] });
    for (const table of ['profiles', 'memberships', 'clusters', 'audit_log', 'notifications', 'practice_settings', 'organisation_closure']) {
      const response = await rest(`${table}?select=*`, anon);
      expect(response.status, table).toBe(401);
      expect(response.json.code, table).toBe('42501');
    }
    const rpc = await rest('rpc/approve_registration', anon, { p_profile_id: PERSON.nina });
    expect(rpc.status).toBe(401);
    const service = await rest('rpc/approve_registration', stack.serviceRoleKey, { p_profile_id: PERSON.nina });
    expect(service).toMatchObject({ status: 403, json: { code: '42501', message: 'Sign in to do this.' } });
  });
});
