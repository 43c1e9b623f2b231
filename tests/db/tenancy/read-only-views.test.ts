// Issue 11: the views in `public` are read-only. A write through the API must
// be refused as a write (401 for anon, 403 for a signed-in person) and reveal
// nothing about the view: before, PATCH/DELETE on user_directory answered 500
// with Postgres's "cannot update view … Views that do not select from a single
// table …" and its hint. The catalog tests cover every view, present or future.
import { describe, expect, it } from 'vitest';
import { signJwt } from '../../../stack/jwt.ts';
import { connect, stack } from '../helpers.ts';
import { PERSON, type PersonName } from './fixtures.ts';

const sql = connect(stack.dbUrl, { max: 2 });
const API_ROLES = ['anon', 'authenticated'] as const;
const WRITES = ['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE'] as const;

async function publicViews(): Promise<string[]> {
  const rows = await sql<{ name: string }[]>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('v', 'm') order by 1`;
  return rows.map((r) => r.name);
}

describe('read-only views (catalog)', () => {
  it('knows the views of the portal', async () => {
    expect(await publicViews()).toEqual(expect.arrayContaining(['my_organisations', 'pending_access_requests', 'pending_registrations', 'user_directory']));
  });

  it('no view in public grants INSERT, UPDATE, DELETE or TRUNCATE to anon or authenticated (directly or through PUBLIC)', async () => {
    const rows = await sql<{ view: string; role: string; privilege: string }[]>`
      select c.relname as view, r.role, p.privilege
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      cross join unnest(${[...API_ROLES]}::text[]) as r (role)
      cross join unnest(${[...WRITES]}::text[]) as p (privilege)
      where n.nspname = 'public' and c.relkind in ('v', 'm')
        and has_table_privilege(r.role, c.oid, p.privilege)
      order by 1, 2, 3`;
    expect(rows, 'revoke insert, update, delete, truncate on the view from anon, authenticated (docs/security-model.md)').toEqual([]);
  });

  it('every view in public refuses writes with INSTEAD OF triggers, so a write is a permission error, never "cannot update view"', async () => {
    // Without a trigger Postgres rejects a write to a view that is not
    // auto-updatable before it checks privileges: error 55000 (HTTP 500) with
    // the view's shape in the message. private.make_view_read_only adds them.
    const rows = await sql<{ view: string; missing: string[] }[]>`
      select c.relname as view,
             array(select e from unnest(array['INSERT', 'UPDATE', 'DELETE']) as e
                   where not exists (
                     select 1 from pg_trigger t
                     where t.tgrelid = c.oid and not t.tgisinternal
                       and (t.tgtype & 64) <> 0 -- INSTEAD OF
                       and (t.tgtype & case e when 'INSERT' then 4 when 'DELETE' then 8 else 16 end) <> 0)) as missing
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'v'
      order by 1`;
    expect(rows.filter((r) => r.missing.length > 0), 'select private.make_view_read_only(\'public.<view>\') in the migration').toEqual([]);
  });

  it('even the owner cannot write through a view: the trigger names the rule', async () => {
    const error = await sql`update public.user_directory set full_name = 'X'`.then(
      () => null,
      (e: { code: string; message: string }) => e,
    );
    expect(error).toMatchObject({ code: '42501', message: 'user_directory is a read-only view.' });
  });
});

async function tokenFor(who: PersonName): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return signJwt({ sub: PERSON[who], role: 'authenticated', aud: 'authenticated', exp: now + 600 }, stack.jwtSecret);
}

const VIEW_FILTERS: Record<string, string> = {
  user_directory: `id=eq.${PERSON.pat}`,
  pending_registrations: `profile_id=eq.${PERSON.nina}`,
  pending_access_requests: `membership_id=eq.${PERSON.nina}`,
  my_organisations: 'ods_code=eq.ZP1001',
};

describe('read-only views (API)', () => {
  const callers: Array<{ who: 'anon' | PersonName; status: number }> = [
    { who: 'anon', status: 401 },
    { who: 'sam', status: 403 },
    { who: 'alex', status: 403 },
    { who: 'pat', status: 403 },
  ];

  for (const view of Object.keys(VIEW_FILTERS)) {
    for (const { who, status } of callers) {
      for (const method of ['PATCH', 'DELETE', 'POST'] as const) {
        it(`${method} ${view} as ${who}: ${status}, nothing about the view revealed`, async () => {
          const token = who === 'anon' ? stack.anonKey : await tokenFor(who);
          const body =
            method === 'DELETE' ? undefined : JSON.stringify(view === 'my_organisations' ? { name: 'Renamed' } : { full_name: 'Renamed' });
          const response = await fetch(`${stack.apiUrl}/rest/v1/${view}${method === 'POST' ? '' : `?${VIEW_FILTERS[view]}`}`, {
            method,
            headers: {
              apikey: stack.anonKey,
              Authorization: `Bearer ${token}`,
              // (POST without it: the local gateway's insert RETURNING reads xmax, which a view lacks.)
              ...(method === 'POST' ? {} : { Prefer: 'return=representation' }),
              ...(body ? { 'Content-Type': 'application/json' } : {}),
            },
            body,
          });
          const text = await response.text();
          expect({ status: response.status, text }).toMatchObject({ status });
          expect(JSON.parse(text)).toMatchObject({ code: '42501' });
          expect(text).not.toMatch(/cannot (update|delete from|insert into) view|automatically updatable|INSTEAD OF|select|from public\./i);
        });
      }
    }
  }

  it('nothing changed', async () => {
    const [row] = await sql`select full_name from public.profiles where id = ${PERSON.pat}`;
    expect(row!.full_name).not.toBe('Renamed');
    const [org] = await sql`select name from public.organisations where ods_code = 'ZP1001'`;
    expect(org!.name).not.toBe('Renamed');
  });
});
