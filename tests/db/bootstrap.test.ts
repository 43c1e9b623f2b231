// The bootstrap recreates what hosted Supabase has before migrations: roles,
// privileges, extensions, auth and storage schemas, publication, DDL watch.
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { bootstrapDatabase } from '../../stack/db/bootstrap.ts';
import { actAs, connect, rolledBack, scratchDatabase, stack, urlAs } from './helpers.ts';

const sql = connect();

interface RoleRow {
  rolname: string;
  rolcanlogin: boolean;
  rolinherit: boolean;
  rolbypassrls: boolean;
  rolsuper: boolean;
  rolconfig: string[] | null;
}

async function role(name: string): Promise<RoleRow> {
  const [row] = await sql<RoleRow[]>`
    select rolname, rolcanlogin, rolinherit, rolbypassrls, rolsuper, rolconfig
    from pg_roles where rolname = ${name}`;
  if (!row) throw new Error(`role ${name} does not exist`);
  return row;
}

describe('roles', () => {
  it('authenticator logs in, does not inherit, and may become exactly the three API roles', async () => {
    const authenticator = await role('authenticator');
    expect(authenticator).toMatchObject({ rolcanlogin: true, rolinherit: false, rolbypassrls: false, rolsuper: false });
    expect(authenticator.rolconfig).toEqual(expect.arrayContaining(['statement_timeout=8s']));

    const memberships = await sql<{ rolname: string }[]>`
      select r.rolname from pg_auth_members m
      join pg_roles r on r.oid = m.roleid
      join pg_roles u on u.oid = m.member
      where u.rolname = 'authenticator' order by r.rolname`;
    expect(memberships.map((m) => m.rolname)).toEqual(['anon', 'authenticated', 'service_role']);
  });

  it('API roles cannot log in; only service_role bypasses RLS; timeouts as hosted', async () => {
    const anon = await role('anon');
    const authenticated = await role('authenticated');
    const service = await role('service_role');
    for (const r of [anon, authenticated, service]) expect(r.rolcanlogin).toBe(false);
    expect(anon.rolbypassrls).toBe(false);
    expect(authenticated.rolbypassrls).toBe(false);
    expect(service.rolbypassrls).toBe(true);
    expect(anon.rolconfig).toContain('statement_timeout=3s');
    expect(authenticated.rolconfig).toContain('statement_timeout=8s');
  });

  it('has the admin roles and the harmless stubs dumps refer to', async () => {
    const names = await sql<{ rolname: string }[]>`select rolname from pg_roles`;
    const existing = new Set(names.map((r) => r.rolname));
    for (const name of [
      'supabase_admin',
      'supabase_auth_admin',
      'supabase_storage_admin',
      'dashboard_user',
      'pgbouncer',
      'supabase_functions_admin',
      'supabase_replication_admin',
      'supabase_read_only_user',
      'supabase_realtime_admin',
    ]) {
      expect(existing, name).toContain(name);
    }
    for (const name of ['supabase_admin', 'dashboard_user', 'pgbouncer', 'supabase_read_only_user']) {
      const r = await role(name);
      expect(r.rolsuper, name).toBe(false);
      expect(r.rolbypassrls, name).toBe(false);
    }
  });

  it('authenticator has no table privileges of its own until it switches role', async () => {
    const authenticator = connect(urlAs('authenticator'));
    await expect(authenticator`select count(*) from public.organisations`).rejects.toMatchObject({ code: '42501' });
    const count = await rolledBack(authenticator, async (tx) => {
      await actAs(tx, 'anon');
      const [row] = await tx<{ count: number }[]>`select count(*)::int as count from public.organisations`;
      return row!.count;
    });
    expect(count).toBeGreaterThan(0);
  });
});

describe('schemas, extensions and privileges', () => {
  it('installs the extensions in the extensions schema, usable by the API roles', async () => {
    const rows = await sql<{ extname: string; schema: string }[]>`
      select e.extname, n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace
      where e.extname in ('pgcrypto', 'uuid-ossp', 'pg_trgm', 'btree_gist', 'ltree') order by e.extname`;
    expect(rows.map((r) => `${r.extname}@${r.schema}`)).toEqual([
      'btree_gist@extensions',
      'ltree@extensions',
      'pg_trgm@extensions',
      'pgcrypto@extensions',
      'uuid-ossp@extensions',
    ]);
    const [usage] = await sql`
      select has_schema_privilege('anon', 'extensions', 'usage') as anon,
             has_schema_privilege('authenticated', 'extensions', 'usage') as authenticated,
             has_schema_privilege('service_role', 'extensions', 'usage') as service`;
    expect(usage).toEqual({ anon: true, authenticated: true, service: true });
    const uuid = await rolledBack(sql, async (tx) => {
      await actAs(tx, 'anon');
      const [row] = await tx<{ id: string }[]>`select extensions.uuid_generate_v4()::text as id`;
      return row!.id;
    });
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('auth belongs to supabase_auth_admin, storage to supabase_storage_admin; API roles may use both', async () => {
    const rows = await sql<{ nspname: string; owner: string; anon: boolean; authenticated: boolean }[]>`
      select nspname, pg_get_userbyid(nspowner) as owner,
             has_schema_privilege('anon', oid, 'usage') as anon,
             has_schema_privilege('authenticated', oid, 'usage') as authenticated
      from pg_namespace where nspname in ('auth', 'storage', 'graphql_public') order by nspname`;
    expect(rows).toEqual([
      { nspname: 'auth', owner: 'supabase_auth_admin', anon: true, authenticated: true },
      { nspname: 'graphql_public', owner: 'postgres', anon: true, authenticated: true },
      { nspname: 'storage', owner: 'supabase_storage_admin', anon: true, authenticated: true },
    ]);
    const [users] = await sql`select has_table_privilege('anon', 'auth.users', 'select') as anon_reads_users`;
    expect(users).toEqual({ anon_reads_users: false });
  });

  it('default privileges: a table postgres creates in public is readable by anon while RLS is off', async () => {
    const seen = await rolledBack(sql, async (tx) => {
      await tx`create table public.default_privileges_probe (id int primary key, note text)`;
      await tx`insert into public.default_privileges_probe values (1, 'visible')`;
      const [grants] = await tx`
        select has_table_privilege('anon', 'public.default_privileges_probe', 'select,insert,update,delete') as anon,
               has_table_privilege('authenticated', 'public.default_privileges_probe', 'select,insert,update,delete') as authenticated,
               has_table_privilege('service_role', 'public.default_privileges_probe', 'select,insert,update,delete') as service`;
      await actAs(tx, 'anon');
      const rows = await tx`select note from public.default_privileges_probe`;
      return { grants, rows: rows.map((r) => r.note) };
    });
    expect(seen.grants).toEqual({ anon: true, authenticated: true, service: true });
    expect(seen.rows).toEqual(['visible']);
  });

  it('… and invisible to anon once RLS is on without a policy, but not to service_role', async () => {
    const seen = await rolledBack(sql, async (tx) => {
      await tx`create table public.rls_probe (id int primary key)`;
      await tx`insert into public.rls_probe values (1), (2)`;
      await tx`alter table public.rls_probe enable row level security`;
      await tx`savepoint before_roles`;
      await actAs(tx, 'anon');
      const [anon] = await tx<{ count: number }[]>`select count(*)::int as count from public.rls_probe`;
      await tx`rollback to savepoint before_roles`;
      await actAs(tx, 'service_role');
      const [service] = await tx<{ count: number }[]>`select count(*)::int as count from public.rls_probe`;
      return { anon: anon!.count, service: service!.count };
    });
    expect(seen).toEqual({ anon: 0, service: 2 });
  });

  it('default privileges also cover functions and sequences, and objects created by supabase_admin', async () => {
    const rows = await sql<{ role: string; kind: string; grantees: string[] }[]>`
      select pg_get_userbyid(d.defaclrole) as role, d.defaclobjtype::text as kind,
             array(select distinct pg_get_userbyid(a.grantee) from aclexplode(d.defaclacl) a order by 1) as grantees
      from pg_default_acl d join pg_namespace n on n.oid = d.defaclnamespace
      where n.nspname = 'public' order by 1, 2`;
    const expected = ['anon', 'authenticated', 'postgres', 'service_role'];
    for (const owner of ['postgres', 'supabase_admin']) {
      for (const kind of ['S', 'f', 'r']) {
        const row = rows.find((r) => r.role === owner && r.kind === kind);
        expect(row?.grantees, `${owner}/${kind}`).toEqual(expect.arrayContaining(expected));
      }
    }
  });

  it('has the supabase_realtime publication and the pgrst DDL watch event triggers', async () => {
    const [publication] = await sql`select count(*)::int as n from pg_publication where pubname = 'supabase_realtime'`;
    expect(publication).toEqual({ n: 1 });
    const triggers = await sql<{ evtname: string; evtevent: string; evtenabled: string; fn: string }[]>`
      select e.evtname, e.evtevent, e.evtenabled, n.nspname || '.' || p.proname as fn
      from pg_event_trigger e join pg_proc p on p.oid = e.evtfoid join pg_namespace n on n.oid = p.pronamespace
      where e.evtname like 'pgrst_%' order by e.evtname`;
    expect(triggers).toEqual([
      { evtname: 'pgrst_ddl_watch', evtevent: 'ddl_command_end', evtenabled: 'O', fn: 'extensions.pgrst_ddl_watch' },
      { evtname: 'pgrst_drop_watch', evtevent: 'sql_drop', evtenabled: 'O', fn: 'extensions.pgrst_drop_watch' },
    ]);
  });
});

describe('auth tables', () => {
  it('users has every GoTrue column, with confirmed_at generated', async () => {
    const columns = await sql<{ column_name: string; is_generated: string }[]>`
      select column_name, is_generated from information_schema.columns
      where table_schema = 'auth' and table_name = 'users'`;
    const names = columns.map((c) => c.column_name);
    for (const column of [
      'instance_id', 'id', 'aud', 'role', 'email', 'encrypted_password', 'email_confirmed_at', 'invited_at',
      'confirmation_token', 'confirmation_sent_at', 'recovery_token', 'recovery_sent_at', 'email_change_token_new',
      'email_change', 'email_change_sent_at', 'email_change_token_current', 'email_change_confirm_status',
      'last_sign_in_at', 'raw_app_meta_data', 'raw_user_meta_data', 'is_super_admin', 'created_at', 'updated_at',
      'phone', 'phone_confirmed_at', 'phone_change', 'phone_change_token', 'phone_change_sent_at', 'confirmed_at',
      'banned_until', 'reauthentication_token', 'reauthentication_sent_at', 'is_sso_user', 'deleted_at', 'is_anonymous',
    ]) {
      expect(names, column).toContain(column);
    }
    expect(columns.find((c) => c.column_name === 'confirmed_at')?.is_generated).toBe('ALWAYS');
    const [owner] = await sql`select tableowner from pg_tables where schemaname = 'auth' and tablename = 'users'`;
    expect(owner).toEqual({ tableowner: 'supabase_auth_admin' });
  });

  it('confirmed_at is the earlier confirmation; email is unique among non-SSO users only', async () => {
    const outcome = await rolledBack(sql, async (tx) => {
      const [user] = await tx<{ confirmed_at: Date }[]>`
        insert into auth.users (instance_id, id, aud, role, email, email_confirmed_at, phone_confirmed_at)
        values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated',
                'first@example.test', '2026-02-01T00:00:00Z', '2026-01-15T00:00:00Z')
        returning confirmed_at`;
      await tx`savepoint duplicate`;
      let duplicateCode: string | undefined;
      try {
        await tx`insert into auth.users (id, email) values (gen_random_uuid(), 'first@example.test')`;
      } catch (error) {
        duplicateCode = (error as { code?: string }).code;
      }
      await tx`rollback to savepoint duplicate`;
      const sso = await tx`insert into auth.users (id, email, is_sso_user) values (gen_random_uuid(), 'first@example.test', true) returning id`;
      return { confirmedAt: user!.confirmed_at.toISOString(), duplicateCode, ssoInserted: sso.length };
    });
    expect(outcome).toEqual({ confirmedAt: '2026-01-15T00:00:00.000Z', duplicateCode: '23505', ssoInserted: 1 });
  });

  it('identities.email is generated from identity_data, lower-cased; deleting a user cascades', async () => {
    const outcome = await rolledBack(sql, async (tx) => {
      const [user] = await tx<{ id: string }[]>`insert into auth.users (id, email) values (gen_random_uuid(), 'mixed@example.test') returning id`;
      const [identity] = await tx<{ email: string }[]>`
        insert into auth.identities (provider_id, user_id, identity_data, provider)
        values (${user!.id}, ${user!.id}, ${sql.json({ sub: user!.id, email: 'Mixed@Example.TEST' })}, 'email')
        returning email`;
      await tx`insert into auth.sessions (id, user_id, aal) values (gen_random_uuid(), ${user!.id}, 'aal1')`;
      await tx`delete from auth.users where id = ${user!.id}`;
      const [left] = await tx<{ n: number }[]>`
        select (select count(*) from auth.identities where user_id = ${user!.id})
             + (select count(*) from auth.sessions where user_id = ${user!.id}) as n`;
      return { email: identity!.email, left: Number(left!.n) };
    });
    expect(outcome).toEqual({ email: 'mixed@example.test', left: 0 });
  });

  it('has the supporting tables', async () => {
    const rows = await sql<{ tablename: string }[]>`select tablename from pg_tables where schemaname = 'auth' order by 1`;
    expect(rows.map((r) => r.tablename)).toEqual(
      expect.arrayContaining(['audit_log_entries', 'identities', 'instances', 'one_time_tokens', 'refresh_tokens', 'schema_migrations', 'sessions', 'users']),
    );
  });
});

describe('bootstrap bookkeeping', () => {
  it('applies every file once, skips unchanged files, and can re-run every file safely', async () => {
    const scratch = await scratchDatabase('bootstrap');
    const first = await bootstrapDatabase(scratch.url);
    expect(first.skipped).toEqual([]);
    expect(first.applied.length).toBeGreaterThanOrEqual(5);

    const second = await bootstrapDatabase(scratch.url);
    expect(second).toEqual({ applied: [], skipped: first.applied });

    // Forget the hashes: every file runs again on an already bootstrapped database.
    const db = connect(scratch.url);
    await db`truncate _local_stack.bootstrap_files`;
    const third = await bootstrapDatabase(scratch.url);
    expect(third).toEqual({ applied: first.applied, skipped: [] });
    const [tables] = await db`select count(*)::int as n from pg_tables where schemaname in ('auth', 'storage')`;
    expect((tables as { n: number }).n).toBeGreaterThanOrEqual(10);
  });

  it('DDL sends NOTIFY pgrst, except for temporary objects', async () => {
    const scratch = await scratchDatabase('ddlwatch');
    await bootstrapDatabase(scratch.url);
    const listener = postgres(scratch.url, { max: 1, onnotice: () => {} });
    const ddl = connect(scratch.url);
    const payloads: string[] = [];
    let barrier: () => void = () => {};
    const barrierSeen = new Promise<void>((resolve) => (barrier = resolve));
    try {
      await listener.listen('pgrst', (payload) => {
        if (payload === 'test barrier') barrier();
        else payloads.push(payload);
      });
      await ddl.begin((tx) => tx`create temporary table scratch_temp (id int)`);
      await ddl`create table public.watched (id int)`;
      await ddl`drop table public.watched`;
      // Notifications arrive in commit order: once the barrier is in, so is everything before it.
      await ddl`notify pgrst, 'test barrier'`;
      await barrierSeen;
      expect(payloads).toEqual(['reload schema', 'reload schema']);
    } finally {
      await listener.end({ timeout: 5 });
    }
  });
});

describe('the test stack', () => {
  it('is a superuser URL on the test port', () => {
    expect(new URL(stack.dbUrl).port).toBe(process.env.STACK_TEST_DB_PORT ?? '55422');
  });
});
