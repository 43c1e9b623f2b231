// public.organisations: the ODS directory. Anyone may read it; the API roles
// cannot write it (no write policies; writes come later through SQL functions).
// The seed holds the demo organisations exactly as docs/demo-data.md lists them.
import { describe, expect, it } from 'vitest';
import { actAs, connect, rolledBack, urlAs } from './helpers.ts';

const sql = connect();
// Requests reach Postgres through authenticator, like the gateway's.
const api = connect(urlAs('authenticator'));

/** The "Organisations" table of the demo data set: code, name, type, parent code. */
const DEMO_ORGANISATIONS: Array<[string, string, string, string | null]> = [
  ['ZE1', 'NHS England (demo)', 'national', null],
  ['ZR1', 'Demo Region', 'region', 'ZE1'],
  ['ZN1', 'NHS Northshire ICB', 'icb', 'ZR1'],
  ['ZN1E', 'Northshire East', 'sub_icb', 'ZN1'],
  ['ZN1W', 'Northshire West', 'sub_icb', 'ZN1'],
  ['ZS1', 'NHS Southvale ICB', 'icb', 'ZR1'],
  ['ZS1C', 'Southvale Central', 'sub_icb', 'ZS1'],
  ['ZU101', 'Riverside PCN', 'pcn', 'ZN1E'],
  ['ZU102', 'Hillside PCN', 'pcn', 'ZN1E'],
  ['ZU103', 'Westfield PCN', 'pcn', 'ZN1W'],
  ['ZU201', 'Harbour PCN', 'pcn', 'ZS1C'],
  ['ZP1001', 'Riverside Medical Centre', 'practice', 'ZN1E'],
  ['ZP1002', 'Bridge Street Surgery', 'practice', 'ZN1E'],
  ['ZP1003', 'Mill Lane Practice', 'practice', 'ZN1E'],
  ['ZP1004', 'Hill Top Surgery', 'practice', 'ZN1E'],
  ['ZP1005', 'Westfield Health Centre', 'practice', 'ZN1W'],
  ['ZP2001', 'Harbour Medical Practice', 'practice', 'ZS1C'],
  ['ZP2002', 'Quayside Surgery', 'practice', 'ZS1C'],
];

const USER_CLAIMS = { sub: '3d4c2b1a-0000-4000-8000-00000000abcd', role: 'authenticated', aud: 'authenticated' };

describe('seed', () => {
  it('holds the demo organisations with their exact codes, names, types and parents', async () => {
    const rows = await sql<{ ods_code: string; name: string; type: string; parent_code: string | null }[]>`
      select o.ods_code, o.name, o.type::text as type, p.ods_code as parent_code
      from public.organisations o left join public.organisations p on p.id = o.parent_id
      where o.ods_code = any(${DEMO_ORGANISATIONS.map((o) => o[0])})
      order by o.ods_code`;
    const expected = [...DEMO_ORGANISATIONS]
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([ods_code, name, type, parent_code]) => ({ ods_code, name, type, parent_code }));
    expect(rows).toEqual(expected);
  });
});

describe('row level security', () => {
  it('is enabled, with one SELECT policy for anon and authenticated and no write policies', async () => {
    const [table] = await sql`select relrowsecurity as rls from pg_class where oid = 'public.organisations'::regclass`;
    expect(table).toEqual({ rls: true });
    const policies = await sql<{ cmd: string; roles: string[] }[]>`
      select cmd, roles::text[] as roles from pg_policies where schemaname = 'public' and tablename = 'organisations'`;
    expect(policies).toEqual([{ cmd: 'SELECT', roles: ['anon', 'authenticated'] }]);
  });

  for (const [role, claims] of [
    ['anon', { role: 'anon' }],
    ['authenticated', USER_CLAIMS],
  ] as const) {
    describe(role, () => {
      it('can read the whole directory', async () => {
        const [total] = await sql<{ n: number }[]>`select count(*)::int as n from public.organisations`;
        const seen = await rolledBack(api, async (tx) => {
          await actAs(tx, role, claims);
          const [row] = await tx<{ n: number }[]>`select count(*)::int as n from public.organisations`;
          const [one] = await tx<{ name: string }[]>`select name from public.organisations where ods_code = 'ZP1001'`;
          return { n: row!.n, name: one?.name };
        });
        expect(total!.n).toBeGreaterThanOrEqual(DEMO_ORGANISATIONS.length);
        expect(seen).toEqual({ n: total!.n, name: 'Riverside Medical Centre' });
      });

      it('cannot insert', async () => {
        const error = await rolledBack(api, async (tx) => {
          await actAs(tx, role, claims);
          try {
            await tx`insert into public.organisations (ods_code, name, type) values ('ZX999', 'Intruder Surgery', 'practice')`;
            return undefined;
          } catch (caught) {
            return caught as { code?: string; message: string };
          }
        });
        expect(error?.code).toBe('42501');
        expect(error?.message).toBe('permission denied for table organisations');
      });

      it('cannot update: the privilege is revoked, nothing changes', async () => {
        const error = await rolledBack(api, async (tx) => {
          await actAs(tx, role, claims);
          try {
            await tx`update public.organisations set name = 'Renamed' where ods_code = 'ZP1001'`;
            return undefined;
          } catch (caught) {
            return caught as { code?: string; message: string };
          }
        });
        expect(error?.code).toBe('42501');
        const [row] = await sql`select name from public.organisations where ods_code = 'ZP1001'`;
        expect(row).toEqual({ name: 'Riverside Medical Centre' });
      });

      it('cannot delete: the privilege is revoked, nothing changes', async () => {
        const error = await rolledBack(api, async (tx) => {
          await actAs(tx, role, claims);
          try {
            await tx`delete from public.organisations where ods_code = 'ZP2002'`;
            return undefined;
          } catch (caught) {
            return caught as { code?: string; message: string };
          }
        });
        expect(error?.code).toBe('42501');
        const [row] = await sql<{ n: number }[]>`select count(*)::int as n from public.organisations where ods_code = 'ZP2002'`;
        expect(row!.n).toBe(1);
      });

      it('cannot truncate (RLS does not cover TRUNCATE, so the privilege is revoked)', async () => {
        const code = await rolledBack(api, async (tx) => {
          await actAs(tx, role, claims);
          try {
            await tx`truncate public.organisations`;
            return undefined;
          } catch (caught) {
            return (caught as { code?: string }).code;
          }
        });
        expect(code).toBe('42501');
      });
    });
  }

  it('service_role bypasses RLS (trusted server code only)', async () => {
    const inserted = await rolledBack(api, async (tx) => {
      await actAs(tx, 'service_role', { role: 'service_role' });
      const rows = await tx`insert into public.organisations (ods_code, name, type) values ('ZX998', 'Server Side Surgery', 'practice') returning id`;
      return rows.length;
    });
    expect(inserted).toBe(1);
  });
});

describe('constraints', () => {
  async function insertError(values: { ods_code: string | null; name: string }): Promise<string | undefined> {
    return rolledBack(sql, async (tx) => {
      try {
        await tx`insert into public.organisations (ods_code, name, type) values (${values.ods_code}, ${values.name}, 'other_provider')`;
        return undefined;
      } catch (caught) {
        return (caught as { constraint_name?: string; code?: string }).constraint_name ?? (caught as { code?: string }).code;
      }
    });
  }

  it('accepts upper-case alphanumeric ODS codes of 3 to 10 characters', async () => {
    expect(await insertError({ ods_code: 'AB1', name: 'Three' })).toBeUndefined();
    expect(await insertError({ ods_code: 'ABCDE12345', name: 'Ten' })).toBeUndefined();
  });

  it.each(['zp1001', 'AB', 'ABCDEFGHIJK', 'ZP-1001', 'ZP 1001', ''])('rejects the ODS code %j', async (code) => {
    expect(await insertError({ ods_code: code, name: 'Bad Code' })).toBe('organisations_ods_code_format');
  });

  it('rejects a duplicate ODS code', async () => {
    expect(await insertError({ ods_code: 'ZP1001', name: 'Copy' })).toBe('organisations_ods_code_key');
  });

  it.each(['', '   ', 'x'.repeat(201)])('rejects the name %j', async (name) => {
    expect(await insertError({ ods_code: 'ZX997', name })).toBe('organisations_name_length');
  });

  it('has an index on parent_id', async () => {
    const [row] = await sql`
      select count(*)::int as n from pg_index i
      where i.indrelid = 'public.organisations'::regclass
        and i.indkey[0] = (select attnum from pg_attribute where attrelid = 'public.organisations'::regclass and attname = 'parent_id')`;
    expect(row).toEqual({ n: 1 });
  });
});
