// JWT → role (§1.4), CORS (§1.5), and RLS through the per-request transaction (§2.2)
// with two users. Only conformance.notes is written; it is reset before each test.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { signJwt } from '../../stack/jwt.ts';
import { ALICE, BOB, closeDb, db, err, rest, stack, userJwt } from './helpers.ts';

const BASE_NOTES = [
  { id: 1, owner: ALICE, body: 'alice note 1' },
  { id: 2, owner: ALICE, body: 'alice note 2' },
  { id: 3, owner: BOB, body: 'bob note 1' },
];

async function notes() {
  return db()`select id, owner::text as owner, body from conformance.notes order by id`;
}

beforeEach(async () => {
  // one transaction, so concurrent readers (other files) never see an empty table
  await db().begin(async (sql) => {
    await sql`delete from conformance.notes`;
    await sql`insert into conformance.notes ${sql(BASE_NOTES)}`;
  });
});

afterAll(async () => {
  await closeDb();
});

const now = () => Math.floor(Date.now() / 1000);

describe('§1.4 JWT → database role', () => {
  it('no Authorization header → anon', async () => {
    const res = await rest('rpc/whoami', { as: 'none', headers: { apikey: stack.anonKey } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ role: 'anon', sub: null });
  });

  it('the anon key → anon; the service-role key → service_role', async () => {
    expect((await rest('rpc/whoami')).json).toEqual({ role: 'anon', sub: null });
    expect((await rest('rpc/whoami', { as: 'service' })).json).toEqual({ role: 'service_role', sub: null });
  });

  it('a user token → authenticated with its claims visible to auth.uid()', async () => {
    const res = await rest('rpc/whoami', { as: { token: await userJwt(ALICE) } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ role: 'authenticated', sub: ALICE });
  });

  it('a valid JWT without a role claim → anon, claims still exposed', async () => {
    const token = await signJwt({ sub: BOB, exp: now() + 3600 }, stack.jwtSecret);
    const res = await rest('rpc/whoami', { as: { token } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ role: 'anon', sub: BOB });
  });

  it('"Bearer" is matched case-insensitively', async () => {
    const token = await userJwt(ALICE);
    const res = await rest('rpc/whoami', { as: 'none', headers: { apikey: stack.anonKey, Authorization: `bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ role: 'authenticated', sub: ALICE });
  });

  it('bad signature → 401 PGRST301 with WWW-Authenticate', async () => {
    const token = await signJwt({ sub: ALICE, role: 'authenticated', exp: now() + 3600 }, 'a-completely-different-secret-of-32-chars!!');
    const res = await rest('notes', { as: { token } });
    expect(res.status).toBe(401);
    const body = res.json as Record<string, unknown>;
    expect(body.code).toBe('PGRST301');
    // PostgREST 12 wording / PostgREST 13 wording
    expect(['JWSError JWSInvalidSignature', 'JWT cryptographic operation failed']).toContain(body.message);
    expect(body.details).toBeNull();
    expect(body.hint).toBeNull();
    expect(res.headers.get('www-authenticate')).toBe(`Bearer error="invalid_token", error_description="${String(body.message)}"`);
  });

  it('malformed token → 401 PGRST301', async () => {
    const res = await rest('notes', { as: { token: 'not-a-jwt' } });
    expect(res.status).toBe(401);
    const body = res.json as Record<string, unknown>;
    expect(body.code).toBe('PGRST301');
    expect([
      'JWSError (CompactDecodeError Invalid number of parts: Expected 3 parts; got 1)',
      'Expected 3 parts in JWT; got 1',
    ]).toContain(body.message);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token", error_description=".+"$/);
  });

  it('expired → 401 PGRST303 "JWT expired"', async () => {
    const token = await signJwt({ sub: ALICE, role: 'authenticated', exp: now() - 60 }, stack.jwtSecret);
    const res = await rest('notes', { as: { token } });
    expect(res.status).toBe(401);
    expect(res.json).toEqual(err('PGRST303', 'JWT expired'));
    expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token", error_description="JWT expired"');
  });

  it('role claim naming a nonexistent role → 401 (22023)', async () => {
    const token = await signJwt({ sub: ALICE, role: 'nonexistent_role', exp: now() + 3600 }, stack.jwtSecret);
    const res = await rest('notes', { as: { token } });
    expect(res.status).toBe(401);
    expect(res.json).toEqual(err('22023', 'role "nonexistent_role" does not exist'));
  });
});

describe('§1.5 CORS', () => {
  it('preflight → 200 allowing any origin and echoing the requested method and headers', async () => {
    const res = await fetch(`${stack.apiUrl}/rest/v1/films`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:5173',
        'Access-Control-Request-Method': 'PATCH',
        'Access-Control-Request-Headers': 'authorization,apikey,content-type,x-client-info,prefer,accept-profile',
      },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect((res.headers.get('access-control-allow-methods') ?? '').toUpperCase()).toContain('PATCH');
    const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const h of ['authorization', 'apikey', 'content-type', 'x-client-info', 'prefer', 'accept-profile']) {
      expect(allowed, h).toContain(h);
    }
  });

  it('actual responses allow any origin and expose the pagination headers', async () => {
    const res = await rest('films?select=id&limit=1', { headers: { Origin: 'http://localhost:5173', Prefer: 'count=exact' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const exposed = (res.headers.get('access-control-expose-headers') ?? '').toLowerCase();
    for (const h of ['content-range', 'content-location', 'location', 'content-profile', 'x-total-count', 'link', 'x-supabase-api-version']) {
      expect(exposed, h).toContain(h);
    }
  });
});

describe('§2.2 RLS under the impersonated role', () => {
  it('each user sees only their own rows', async () => {
    const alice = await rest('notes?order=id', { as: { token: await userJwt(ALICE) } });
    expect(alice.status).toBe(200);
    expect(alice.json).toEqual([
      { id: 1, owner: ALICE, body: 'alice note 1' },
      { id: 2, owner: ALICE, body: 'alice note 2' },
    ]);
    const bob = await rest('notes?order=id', { as: { token: await userJwt(BOB) } });
    expect(bob.json).toEqual([{ id: 3, owner: BOB, body: 'bob note 1' }]);
  });

  it('count=exact counts only visible rows', async () => {
    const res = await rest('notes?select=id', { as: { token: await userJwt(ALICE) }, headers: { Prefer: 'count=exact' } });
    expect(res.headers.get('content-range')).toBe('0-1/2');
  });

  it('anon (no policy) sees nothing; service_role bypasses RLS', async () => {
    const anon = await rest('notes');
    expect(anon.status).toBe(200);
    expect(anon.json).toEqual([]);
    const service = await rest('notes?select=id&order=id', { as: 'service' });
    expect(service.json).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  });

  it('a user inserts their own row (owner defaults to auth.uid())', async () => {
    const res = await rest('notes', {
      method: 'POST',
      as: { token: await userJwt(BOB) },
      body: { id: 10, body: 'bob new' },
      headers: { Prefer: 'return=representation' },
    });
    expect(res.status).toBe(201);
    expect(res.json).toEqual([{ id: 10, owner: BOB, body: 'bob new' }]);
  });

  it('WITH CHECK failure on insert → 403 42501 for authenticated', async () => {
    const res = await rest('notes', { method: 'POST', as: { token: await userJwt(ALICE) }, body: { id: 11, owner: BOB, body: 'forged' } });
    expect(res.status).toBe(403);
    expect(res.json).toEqual(err('42501', 'new row violates row-level security policy for table "notes"'));
    expect(await notes()).toEqual(BASE_NOTES);
  });

  it('WITH CHECK failure on insert → 401 42501 for anon', async () => {
    const res = await rest('notes', { method: 'POST', body: { id: 12, owner: ALICE, body: 'anon' } });
    expect(res.status).toBe(401);
    expect(res.json).toEqual(err('42501', 'new row violates row-level security policy for table "notes"'));
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await notes()).toEqual(BASE_NOTES);
  });

  it('WITH CHECK failure on update (changing owner) → 403 42501', async () => {
    const res = await rest('notes?id=eq.1', { method: 'PATCH', as: { token: await userJwt(ALICE) }, body: { owner: BOB } });
    expect(res.status).toBe(403);
    expect(res.json).toEqual(err('42501', 'new row violates row-level security policy for table "notes"'));
    expect(await notes()).toEqual(BASE_NOTES);
  });

  it("updating another user's row affects 0 rows and succeeds", async () => {
    const token = await userJwt(ALICE);
    const minimal = await rest('notes?id=eq.3', { method: 'PATCH', as: { token }, body: { body: 'hacked' } });
    expect(minimal.status).toBe(204);
    expect(minimal.headers.get('content-range')).toBe('*/*');
    const rep = await rest('notes?id=eq.3', {
      method: 'PATCH',
      as: { token },
      body: { body: 'hacked' },
      headers: { Prefer: 'return=representation' },
    });
    expect(rep.status).toBe(200);
    expect(rep.json).toEqual([]);
    expect(await notes()).toEqual(BASE_NOTES);
  });

  it("deleting another user's row affects 0 rows and succeeds", async () => {
    const res = await rest('notes?id=eq.3', { method: 'DELETE', as: { token: await userJwt(ALICE) }, headers: { Prefer: 'count=exact' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('content-range')).toBe('*/0');
    expect(await notes()).toEqual(BASE_NOTES);
  });

  it('a user updates and deletes their own row', async () => {
    const token = await userJwt(BOB);
    const upd = await rest('notes?id=eq.3', { method: 'PATCH', as: { token }, body: { body: 'edited' }, headers: { Prefer: 'return=representation' } });
    expect(upd.status).toBe(200);
    expect(upd.json).toEqual([{ id: 3, owner: BOB, body: 'edited' }]);
    const gone = await rest('notes?id=eq.3', { method: 'DELETE', as: { token } });
    expect(gone.status).toBe(204);
    expect((await notes()).map((n) => n.id)).toEqual([1, 2]);
  });

  it('an unfiltered DELETE by a user is refused even though RLS would limit it', async () => {
    const res = await rest('notes', { method: 'DELETE', as: { token: await userJwt(ALICE) } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual(err('21000', 'DELETE requires a WHERE clause'));
    expect(await notes()).toEqual(BASE_NOTES);
  });

  it('missing table privilege → 42501: 401 for anon, 403 for authenticated', async () => {
    const anon = await rest('private_stuff');
    expect(anon.status).toBe(401);
    expect(anon.json).toEqual(err('42501', 'permission denied for table private_stuff'));
    const user = await rest('private_stuff', { as: { token: await userJwt(ALICE) } });
    expect(user.status).toBe(403);
    expect(user.json).toEqual(err('42501', 'permission denied for table private_stuff'));
  });

  it('settings are transaction-local: concurrent users never see each other', async () => {
    const [a, b] = [await userJwt(ALICE), await userJwt(BOB)];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => rest('notes?select=id&order=id', { as: { token: i % 2 === 0 ? a : b } })),
    );
    results.forEach((r, i) => {
      expect(r.json).toEqual(i % 2 === 0 ? [{ id: 1 }, { id: 2 }] : [{ id: 3 }]);
    });
    expect((await rest('rpc/whoami')).json).toEqual({ role: 'anon', sub: null });
  });
});
