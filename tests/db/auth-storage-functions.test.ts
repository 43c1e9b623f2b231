// auth.uid()/role()/email()/jwt() read the request's JWT claims the way
// PostgREST exposes them; storage.foldername()/filename()/extension() split
// object paths the way storage-api's helpers do.
import { describe, expect, it } from 'vitest';
import { actAs, connect, rolledBack, urlAs } from './helpers.ts';

const sql = connect();

interface ClaimReadout {
  uid: string | null;
  role: string | null;
  email: string | null;
  jwt: Record<string, unknown> | null;
}

async function readClaims(tx: Parameters<Parameters<typeof rolledBack>[1]>[0]): Promise<ClaimReadout> {
  const [row] = await tx<ClaimReadout[]>`
    select auth.uid()::text as uid, auth.role() as role, auth.email() as email, auth.jwt() as jwt`;
  return row!;
}

describe('auth claim helpers', () => {
  const userId = '7c2b8a47-3f59-4f0e-9d7e-2a1f4c6b9e01';
  const claims = {
    sub: userId,
    role: 'authenticated',
    email: 'practice.user@riverside.example',
    aud: 'authenticated',
    app_metadata: { provider: 'email' },
  };

  it('read request.jwt.claims set transaction-locally', async () => {
    const seen = await rolledBack(sql, async (tx) => {
      await tx`select set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
      return readClaims(tx);
    });
    expect(seen).toEqual({ uid: userId, role: 'authenticated', email: claims.email, jwt: claims });
  });

  it('work for the API role itself, through the NOINHERIT authenticator connection', async () => {
    const authenticator = connect(urlAs('authenticator'));
    const seen = await rolledBack(authenticator, async (tx) => {
      await actAs(tx, 'authenticated', claims);
      const [who] = await tx<{ current_user: string }[]>`select current_user`;
      return { ...(await readClaims(tx)), currentUser: who!.current_user };
    });
    expect(seen).toMatchObject({ uid: userId, role: 'authenticated', currentUser: 'authenticated' });
  });

  it('prefer the legacy per-claim settings when present', async () => {
    const legacyId = '00000000-0000-4000-8000-000000000042';
    const seen = await rolledBack(sql, async (tx) => {
      await tx`select set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
      await tx`select set_config('request.jwt.claim.sub', ${legacyId}, true),
                      set_config('request.jwt.claim.role', 'service_role', true),
                      set_config('request.jwt.claim.email', 'legacy@example.test', true)`;
      return readClaims(tx);
    });
    expect(seen).toMatchObject({ uid: legacyId, role: 'service_role', email: 'legacy@example.test', jwt: claims });
  });

  it('treat unset and empty settings as null', async () => {
    const unset = await rolledBack(sql, (tx) => readClaims(tx));
    expect(unset).toEqual({ uid: null, role: null, email: null, jwt: null });

    const empty = await rolledBack(sql, async (tx) => {
      await tx`select set_config('request.jwt.claims', '', true), set_config('request.jwt.claim.sub', '', true)`;
      return readClaims(tx);
    });
    expect(empty).toEqual({ uid: null, role: null, email: null, jwt: null });

    const anonymous = await rolledBack(sql, async (tx) => {
      await actAs(tx, 'anon', { role: 'anon' });
      return readClaims(tx);
    });
    expect(anonymous).toEqual({ uid: null, role: 'anon', email: null, jwt: { role: 'anon' } });
  });

  it('settings are transaction-local: nothing leaks into the next transaction', async () => {
    const single = connect(undefined, { max: 1 });
    await rolledBack(single, async (tx) => {
      await tx`select set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
    });
    const [after] = await single<{ uid: string | null }[]>`select auth.uid()::text as uid`;
    expect(after).toEqual({ uid: null });
  });

  it('are sql, stable, executable by everyone', async () => {
    const rows = await sql<{ proname: string; lang: string; volatile: string; owner: string; anon: boolean }[]>`
      select p.proname, l.lanname as lang, p.provolatile as volatile, pg_get_userbyid(p.proowner) as owner,
             has_function_privilege('anon', p.oid, 'execute') as anon
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_language l on l.oid = p.prolang
      where n.nspname = 'auth' and p.proname in ('uid', 'role', 'email', 'jwt') order by p.proname`;
    expect(rows).toEqual(
      ['email', 'jwt', 'role', 'uid'].map((proname) => ({ proname, lang: 'sql', volatile: 's', owner: 'supabase_auth_admin', anon: true })),
    );
  });
});

describe('storage path helpers', () => {
  const cases: Array<[name: string, folders: string[] | null, file: string | null, extension: string | null]> = [
    ['org-1/claim-9/scan.pdf', ['org-1', 'claim-9'], 'scan.pdf', 'pdf'],
    ['org-1/claim-9/archive.tar.gz', ['org-1', 'claim-9'], 'archive.tar.gz', 'gz'],
    ['top-level.docx', [], 'top-level.docx', 'docx'],
    ['folder/README', ['folder'], 'README', 'README'],
    ['a/b/', ['a', 'b'], '', ''],
    ['', null, null, null],
  ];

  it.each(cases)('%j', async (name, folders, file, extension) => {
    const [row] = await sql<{ folders: string[] | null; file: string | null; extension: string | null }[]>`
      select storage.foldername(${name}) as folders, storage.filename(${name}) as file, storage.extension(${name}) as extension`;
    expect(row).toEqual({ folders, file, extension });
  });

  it('are immutable and callable by the API roles', async () => {
    const rows = await sql<{ proname: string; volatile: string; anon: boolean; authenticated: boolean }[]>`
      select p.proname, p.provolatile as volatile,
             has_function_privilege('anon', p.oid, 'execute') as anon,
             has_function_privilege('authenticated', p.oid, 'execute') as authenticated
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'storage' and p.proname in ('foldername', 'filename', 'extension') order by 1`;
    expect(rows).toEqual(
      ['extension', 'filename', 'foldername'].map((proname) => ({ proname, volatile: 'i', anon: true, authenticated: true })),
    );
  });
});

describe('storage tables', () => {
  it('have RLS on, privileges for the API roles, and the storage-api columns', async () => {
    const tables = await sql<{ relname: string; rls: boolean; anon: boolean; authenticated: boolean; service: boolean }[]>`
      select c.relname, c.relrowsecurity as rls,
             has_table_privilege('anon', c.oid, 'select,insert,update,delete') as anon,
             has_table_privilege('authenticated', c.oid, 'select,insert,update,delete') as authenticated,
             has_table_privilege('service_role', c.oid, 'select,insert,update,delete') as service
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'storage' and c.relname in ('buckets', 'objects') order by 1`;
    expect(tables).toEqual([
      { relname: 'buckets', rls: true, anon: true, authenticated: true, service: true },
      { relname: 'objects', rls: true, anon: true, authenticated: true, service: true },
    ]);
    const columns = await sql<{ table_name: string; column_name: string; data_type: string }[]>`
      select table_name, column_name, data_type from information_schema.columns
      where table_schema = 'storage' and table_name in ('buckets', 'objects')`;
    const has = (table: string, column: string) => columns.find((c) => c.table_name === table && c.column_name === column)?.data_type;
    expect(has('buckets', 'file_size_limit')).toBe('bigint');
    expect(has('buckets', 'allowed_mime_types')).toBe('ARRAY');
    for (const c of ['id', 'name', 'owner', 'owner_id', 'public', 'avif_autodetection', 'created_at', 'updated_at']) {
      expect(has('buckets', c), `buckets.${c}`).toBeDefined();
    }
    for (const c of ['id', 'bucket_id', 'name', 'owner', 'owner_id', 'metadata', 'path_tokens', 'version', 'user_metadata', 'created_at', 'updated_at', 'last_accessed_at']) {
      expect(has('objects', c), `objects.${c}`).toBeDefined();
    }
  });

  it('RLS decides: anon without a policy cannot add an object, service_role can; path_tokens is generated', async () => {
    const outcome = await rolledBack(sql, async (tx) => {
      await tx`insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
               values ('probe', 'probe', false, 5242880, '{application/pdf}')`;
      await tx`savepoint as_anon`;
      await actAs(tx, 'anon');
      let anonError: string | undefined;
      try {
        await tx`insert into storage.objects (bucket_id, name) values ('probe', 'a/b/c.pdf')`;
      } catch (error) {
        anonError = (error as { code?: string }).code;
      }
      await tx`rollback to savepoint as_anon`;
      await actAs(tx, 'service_role', { role: 'service_role' });
      const [object] = await tx<{ path_tokens: string[] }[]>`
        insert into storage.objects (bucket_id, name, metadata) values ('probe', 'a/b/c.pdf', '{"size": 10}')
        returning path_tokens`;
      return { anonError, pathTokens: object!.path_tokens };
    });
    expect(outcome).toEqual({ anonError: '42501', pathTokens: ['a', 'b', 'c.pdf'] });
  });
});
