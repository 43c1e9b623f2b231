-- The `extensions` schema and the privileges on `public` that hosted Supabase
-- sets up before migrations. LOCAL ONLY.

create schema if not exists extensions;
grant usage on schema extensions to postgres, anon, authenticated, service_role;

-- Hosted installs uuid-ossp and pgcrypto here. pg_trgm, btree_gist and ltree are
-- merely *available* on hosted: migrations that use them must still say
-- `create extension if not exists ... with schema extensions` (a no-op locally).
create extension if not exists "uuid-ossp" with schema extensions;
create extension if not exists pgcrypto    with schema extensions;
create extension if not exists pg_trgm     with schema extensions;
create extension if not exists btree_gist  with schema extensions;
create extension if not exists ltree       with schema extensions;

-- public: the API roles may use it, and everything that postgres or
-- supabase_admin creates in it is granted to them by default. This is why a
-- Supabase table is reachable over the API unless RLS is enabled on it; the
-- project's migrations rely on that (and enable RLS everywhere).
grant usage on schema public to postgres, anon, authenticated, service_role;

alter default privileges for role postgres in schema public
  grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  grant all on sequences to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  grant all on functions to postgres, anon, authenticated, service_role;

alter default privileges for role supabase_admin in schema public
  grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public
  grant all on sequences to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public
  grant all on functions to postgres, anon, authenticated, service_role;
