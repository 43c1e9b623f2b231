-- Faster reach at national scale (measured by tests/bench/rls-national.bench.ts):
-- the policy helper decided "is this membership's organisation a commissioner?"
-- once per closure row (a non-inlinable function call each), and the closure
-- lookup by ancestor read the table for `depth`. Decide it once per membership,
-- and let the ancestor lookup be answered from the index alone.

create index organisation_closure_ancestor_idx
  on public.organisation_closure (ancestor_id, descendant_id) include (depth);

create or replace function private.organisations_with_role(p_roles public.app_role[])
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  with mine as (
    select m.id, m.organisation_id, private.is_commissioner_type(o.type) as is_commissioner
    from public.memberships m
    join public.profiles p on p.id = m.profile_id
    join public.organisations o on o.id = m.organisation_id
    where m.profile_id = (select auth.uid())
      and m.status = 'active'
      and p.status = 'active'
      and (p_roles is null or m.roles && p_roles)
  ),
  anchors as (
    -- no cluster assignment: the membership's own organisation
    select mine.organisation_id, mine.is_commissioner
    from mine
    where not exists (select 1 from public.cluster_assignments ca where ca.membership_id = mine.id)
    union
    -- cluster assignments: only the clustered organisations
    select co.organisation_id, mine.is_commissioner
    from mine
    join public.cluster_assignments ca on ca.membership_id = mine.id
    join public.cluster_organisations co on co.cluster_id = ca.cluster_id
  )
  -- commissioners reach the subtree; providers only their own organisation (depth 0)
  select distinct c.descendant_id
  from anchors
  join public.organisation_closure c on c.ancestor_id = anchors.organisation_id
  where anchors.is_commissioner or c.depth = 0
$$;

-- People the caller may see (unchanged rules). Most callers manage nobody, so
-- the administrators' reach is only worked out for those who hold an
-- administrator role or approve their practice's staff: a cheap index lookup
-- first instead of the whole reach computation on every statement.
create or replace function private.visible_people()
returns setof uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  manages_people boolean;
begin
  if private.is_support_desk() then
    return query select p.id from public.profiles p;
    return;
  end if;
  select exists (
    select 1
    from public.memberships m
    where m.profile_id = (select auth.uid())
      and m.status = 'active'
      and m.roles && (private.user_administrator_roles() || array['provider_approver']::public.app_role[])
  ) into manages_people;
  if manages_people then
    return query
      select (select auth.uid()) where private.caller_not_disabled()
      union
      select m.profile_id
      from public.memberships m
      where m.organisation_id = any (array(select private.managed_organisations()))
      union
      select m.profile_id
      from public.memberships m
      where m.status = 'active'
        and m.organisation_id = any (array(select private.reachable_organisations()));
  else
    return query
      select (select auth.uid()) where private.caller_not_disabled()
      union
      select m.profile_id
      from public.memberships m
      where m.status = 'active'
        and m.organisation_id = any (array(select private.reachable_organisations()));
  end if;
end;
$$;
