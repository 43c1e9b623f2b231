-- Odds and ends hosted projects have and migrations or dumps refer to. LOCAL ONLY.

-- Realtime's publication (empty). Migrations often
-- `alter publication supabase_realtime add table ...`.
do $pub$
begin
  if not exists (select 1 from pg_catalog.pg_publication where pubname = 'supabase_realtime') then
    create publication supabase_realtime;
  end if;
end
$pub$;

-- `graphql_public` is in the default exposed schemas ([api] schemas); on hosted
-- pg_graphql fills it. Here it stays empty so the gateway can expose it.
create schema if not exists graphql_public;
grant usage on schema graphql_public to postgres, anon, authenticated, service_role;
