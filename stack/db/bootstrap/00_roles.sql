-- Roles that every hosted Supabase database has before the first migration.
-- LOCAL ONLY: applied by stack/db/bootstrap.ts, never part of supabase/migrations.
-- Safe to run again: roles are created when missing, then their attributes are
-- (re)asserted with ALTER, which is idempotent.

do $bootstrap$
declare
  wanted text[] := array[
    -- API roles PostgREST switches to per request
    'anon', 'authenticated', 'service_role',
    -- the gateway's connection role
    'authenticator',
    -- owners of Supabase-managed schemas
    'supabase_admin', 'supabase_auth_admin', 'supabase_storage_admin',
    -- referenced by GRANT / OWNER statements in some dumps; stubs here
    'dashboard_user', 'pgbouncer', 'supabase_functions_admin',
    'supabase_replication_admin', 'supabase_read_only_user', 'supabase_realtime_admin'
  ];
  role_name text;
begin
  foreach role_name in array wanted loop
    if not exists (select 1 from pg_catalog.pg_roles where rolname = role_name) then
      execute format('create role %I nologin', role_name);
    end if;
  end loop;
end
$bootstrap$;

-- API roles: no login; INHERIT (hosted changed them to inherit in 2023).
alter role anon          nologin inherit nobypassrls;
alter role authenticated nologin inherit nobypassrls;
alter role service_role  nologin inherit bypassrls;

-- The gateway connects as authenticator. NOINHERIT: it has no privileges of its
-- own until it switches role, so a request can never run with more than the
-- role named in its JWT.
alter role authenticator login noinherit nobypassrls password 'postgres';
grant anon, authenticated, service_role to authenticator;

-- Hosted: supabase_admin is the platform superuser. Locally it is a stub so that
-- `alter ... owner to supabase_admin` and default privileges in dumps work.
alter role supabase_admin nologin noinherit;

-- Owners of the auth and storage schemas (GoTrue / storage-api connect as these).
alter role supabase_auth_admin    login noinherit createrole password 'postgres';
alter role supabase_storage_admin login noinherit createrole password 'postgres';
alter role supabase_auth_admin    set search_path = auth;
alter role supabase_storage_admin set search_path = storage;

-- Stubs: exist so that scripts mentioning them succeed; nothing logs in as them.
alter role dashboard_user             nologin;
alter role pgbouncer                  nologin;
alter role supabase_functions_admin   nologin;
alter role supabase_replication_admin nologin;
alter role supabase_read_only_user    nologin;
alter role supabase_realtime_admin    nologin noinherit;

-- Hosted grants these to postgres so migrations can manage auth triggers,
-- storage policies and act as the API roles. (Locally postgres stays superuser.)
grant anon, authenticated, service_role to postgres;
grant supabase_auth_admin, supabase_storage_admin to postgres;

-- Short statement timeouts for API traffic, as hosted.
alter role anon          set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';
alter role authenticator set statement_timeout = '8s';
alter role authenticator set lock_timeout = '8s';

-- Name resolution like hosted: extensions reachable without qualification.
alter role postgres       set search_path = "$user", public, extensions;
alter role supabase_admin set search_path = "$user", public, auth, extensions;
