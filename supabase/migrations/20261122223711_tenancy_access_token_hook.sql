-- Tenancy core, part 7: the custom access token hook.
--
-- Supabase Auth calls public.custom_access_token_hook(event) as
-- supabase_auth_admin before it issues an access token
-- ([auth.hook.custom_access_token] in supabase/config.toml). It adds to
-- app_metadata:
--   account_status  the profile's status
--   platform_roles  e.g. ["support_desk"]
--   memberships     the ACTIVE memberships: organisation id, ODS code, type,
--                   roles, and the short names of clusters restricting it
-- (nothing but the status for an account that is not active).
--
-- The claims serve the portal's menus only. Row-level security never trusts
-- them: every request re-reads the tables, so a revoked membership stops
-- working on the next request even while an older token is still valid.

-- What goes into the token, read with the owner's rights so that Supabase
-- Auth needs no read access (and no policies) on the people tables.
create function private.access_token_summary(p_profile_id uuid)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  with person as (
    select p.id, p.status from public.profiles p where p.id = p_profile_id
  )
  select jsonb_build_object(
    'account_status', coalesce((select person.status::text from person), 'unknown'),
    'platform_roles', case when (select person.status from person) = 'active' then coalesce((
        select jsonb_agg(r.role order by r.role) from public.platform_roles r where r.profile_id = p_profile_id), '[]'::jsonb)
      else '[]'::jsonb end,
    'memberships', case when (select person.status from person) = 'active' then coalesce((
        select jsonb_agg(jsonb_build_object(
                 'organisation_id', m.organisation_id,
                 'ods_code', o.ods_code,
                 'organisation_type', o.type,
                 'roles', to_jsonb(m.roles),
                 'clusters', coalesce((
                   select jsonb_agg(c.short_name order by c.short_name)
                   from public.cluster_assignments ca join public.clusters c on c.id = ca.cluster_id
                   where ca.membership_id = m.id), '[]'::jsonb))
               order by o.ods_code)
        from public.memberships m
        join public.organisations o on o.id = m.organisation_id
        where m.profile_id = p_profile_id and m.status = 'active'), '[]'::jsonb)
      else '[]'::jsonb end)
$$;

create function public.custom_access_token_hook(event jsonb)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  claims jsonb := coalesce(event -> 'claims', '{}'::jsonb);
  app_metadata jsonb := case when jsonb_typeof(event -> 'claims' -> 'app_metadata') = 'object'
    then event -> 'claims' -> 'app_metadata' else '{}'::jsonb end;
begin
  claims := jsonb_set(claims, '{app_metadata}', app_metadata || private.access_token_summary((event ->> 'user_id')::uuid));
  return jsonb_build_object('claims', claims);
end;
$$;
comment on function public.custom_access_token_hook(jsonb) is
  'Supabase Auth custom access token hook: adds account_status, platform_roles and active memberships (organisation, ODS code, roles, clusters) to app_metadata. Informational: RLS never trusts claims.';

-- Only Supabase Auth may run it (Supabase's documented grants).
grant usage on schema public to supabase_auth_admin;
grant execute on function public.custom_access_token_hook(jsonb) to supabase_auth_admin;
revoke execute on function public.custom_access_token_hook(jsonb) from authenticated, anon, public;
grant usage on schema private to supabase_auth_admin;
revoke all on function private.access_token_summary(uuid) from public;
grant execute on function private.access_token_summary(uuid) to supabase_auth_admin;
