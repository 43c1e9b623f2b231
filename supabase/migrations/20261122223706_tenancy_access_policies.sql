-- Tenancy core, part 5: access helpers, row-level security policies and
-- table privileges.
--
-- Helpers live in `private` (not exposed over the API). Each is small,
-- `stable`, `security definer` (so it reads the access tables whatever the
-- caller's own policies say) with `set search_path = ''` and fully qualified
-- names, and reads (select auth.uid()) once. Policies call them in the form
--   column = any (array(select private.helper()))
-- which Postgres evaluates once per statement (an InitPlan) and answers with
-- an index scan on `column`.
--
-- Reach (domain.md, architecture.md):
--   * only an ACTIVE account with ACTIVE memberships reaches anything;
--   * a commissioner membership reaches its organisation's subtree (closure
--     table), or, when assigned to clusters, only the clustered
--     organisations and their descendants;
--   * a provider membership reaches its own organisation;
--   * the Support Desk (platform role) reaches people and registrations, not
--     organisations' business data.

-- ---------------------------------------------------------------- helpers

-- The caller's own rows (profile, memberships, notifications …) stay readable
-- for every account status but `disabled`: a disabled person's token that has
-- not yet expired reaches nothing at all.
create function private.caller_not_disabled()
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (select 1 from public.profiles p where p.id = (select auth.uid()) and p.status <> 'disabled')
$$;

create function private.is_active_person(p_profile_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (select 1 from public.profiles p where p.id = p_profile_id and p.status = 'active')
$$;

create function private.is_support_desk()
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1
    from public.platform_roles r
    join public.profiles p on p.id = r.profile_id
    where r.profile_id = (select auth.uid()) and r.role = 'support_desk' and p.status = 'active')
$$;
comment on function private.is_support_desk() is 'The caller is an active account holding the platform Support Desk role.';

-- The organisations reached by the caller's active memberships that hold any
-- of p_roles (null: any role).
create function private.organisations_with_role(p_roles public.app_role[])
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  with mine as (
    select m.id, m.organisation_id, o.type
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
    select mine.organisation_id, mine.type
    from mine
    where not exists (select 1 from public.cluster_assignments ca where ca.membership_id = mine.id)
    union
    -- cluster assignments: only the clustered organisations
    select co.organisation_id, mine.type
    from mine
    join public.cluster_assignments ca on ca.membership_id = mine.id
    join public.cluster_organisations co on co.cluster_id = ca.cluster_id
  )
  select distinct c.descendant_id
  from anchors
  join public.organisation_closure c on c.ancestor_id = anchors.organisation_id
  where private.is_commissioner_type(anchors.type) or c.depth = 0
$$;
comment on function private.organisations_with_role(public.app_role[]) is
  'Organisations the caller reaches through active memberships holding any of the roles (null: any role).';

create function private.reachable_organisations()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select private.organisations_with_role(null)
$$;
comment on function private.reachable_organisations() is
  'Every organisation the caller may access: commissioner memberships → subtree (or only their clusters and descendants), provider memberships → the organisation. Nothing for revoked/requested/rejected memberships or inactive accounts.';

-- Does this person hold any of p_roles in an active membership whose reach
-- includes p_organisation_id? (Walks up from the organisation: at most one
-- closure row per ancestor.)
create function private.person_has_role_over(p_profile_id uuid, p_organisation_id uuid, p_roles public.app_role[])
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1
    from public.organisation_closure up
    join public.memberships m on m.organisation_id = up.ancestor_id and m.profile_id = p_profile_id
    join public.profiles p on p.id = m.profile_id
    join public.organisations o on o.id = m.organisation_id
    where up.descendant_id = p_organisation_id
      and m.status = 'active'
      and p.status = 'active'
      and m.roles && p_roles
      and (private.is_commissioner_type(o.type) or up.depth = 0)
      and (
        not exists (select 1 from public.cluster_assignments ca where ca.membership_id = m.id)
        or exists (
          select 1
          from public.cluster_assignments ca
          join public.cluster_organisations co on co.cluster_id = ca.cluster_id
          join public.organisation_closure cc on cc.ancestor_id = co.organisation_id and cc.descendant_id = p_organisation_id
          where ca.membership_id = m.id)))
$$;

create function private.has_role_over(p_organisation_id uuid, p_roles public.app_role[])
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select private.person_has_role_over((select auth.uid()), p_organisation_id, p_roles)
$$;
comment on function private.has_role_over(uuid, public.app_role[]) is
  'The caller holds one of the roles in an active membership that reaches the organisation (its own, an ancestor commissioner, or a cluster containing it).';

create function private.has_role(p_organisation_id uuid, p_role public.app_role)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1
    from public.memberships m
    join public.profiles p on p.id = m.profile_id
    where m.profile_id = (select auth.uid())
      and m.organisation_id = p_organisation_id
      and m.status = 'active'
      and p.status = 'active'
      and p_role = any (m.roles))
$$;
comment on function private.has_role(uuid, public.app_role) is
  'The caller holds the role in an active membership of exactly this organisation.';

create function private.is_two_step_practice(p_organisation_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.practice_settings s where s.organisation_id = p_organisation_id and s.approval_mode = 'two_step')
$$;

-- Organisations whose people the caller administers: User Administrators'
-- reach, plus the two-step practices where the caller is Provider Approver
-- (they decide their own staff's access requests).
create function private.managed_organisations()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select private.organisations_with_role(private.user_administrator_roles())
  union
  select m.organisation_id
  from public.memberships m
  join public.profiles p on p.id = m.profile_id
  join public.practice_settings s on s.organisation_id = m.organisation_id and s.approval_mode = 'two_step'
  where m.profile_id = (select auth.uid())
    and m.status = 'active'
    and p.status = 'active'
    and 'provider_approver' = any (m.roles)
$$;

-- People the caller may see: the Support Desk everyone; otherwise themselves
-- (unless disabled), anyone with a membership (any status) at an
-- organisation the caller administers, and anyone with an active membership at
-- an organisation the caller reaches (colleagues, provider staff).
-- (plpgsql: only the branch that applies is planned and run.)
create function private.visible_people()
returns setof uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if private.is_support_desk() then
    return query select p.id from public.profiles p;
    return;
  end if;
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
end;
$$;

-- The caller alone (unless disabled) — or, for the Support Desk, everyone.
-- Own-row policies use it so that "the Support Desk reads all" stays an
-- index condition (an OR with a bare boolean would force a full scan).
create function private.own_or_all_people()
returns setof uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if private.is_support_desk() then
    return query select p.id from public.profiles p;
  elsif private.caller_not_disabled() then
    return query select (select auth.uid());
  end if;
end;
$$;

-- The caller's active memberships' organisations and all their ancestors
-- (a practice user may read their commissioners' settings).
create function private.member_organisations_and_ancestors()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select distinct c.ancestor_id
  from public.memberships m
  join public.profiles p on p.id = m.profile_id
  join public.organisation_closure c on c.descendant_id = m.organisation_id
  where m.profile_id = (select auth.uid()) and m.status = 'active' and p.status = 'active'
$$;

-- Clusters the caller may see: those of commissioners they reach, and those
-- their own active memberships are assigned to.
create function private.visible_clusters()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select c.id
  from public.clusters c
  where c.commissioner_id = any (array(select private.reachable_organisations()))
  union
  select ca.cluster_id
  from public.cluster_assignments ca
  join public.memberships m on m.id = ca.membership_id
  join public.profiles p on p.id = m.profile_id
  where m.profile_id = (select auth.uid()) and m.status = 'active' and p.status = 'active'
$$;

-- ---------------------------------------------------------------- decisions (used by the actions)

-- May the caller approve or reject a request for p_roles at p_organisation_id?
-- Commissioner administrator roles: the Support Desk only. Otherwise User
-- Administrators whose reach includes the organisation, and in two-step
-- practices also the practice's Provider Approver. The Support Desk always.
create function private.can_decide_request(p_organisation_id uuid, p_roles public.app_role[])
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select private.is_support_desk()
    or (
      not exists (
        select 1 from public.organisations o
        where o.id = p_organisation_id and private.is_commissioner_type(o.type) and p_roles && private.administrator_roles())
      and (
        private.has_role_over(p_organisation_id, private.user_administrator_roles())
        or (private.is_two_step_practice(p_organisation_id) and private.has_role(p_organisation_id, 'provider_approver'))))
$$;

-- May the caller grant, change or take away p_roles at p_organisation_id
-- (invite, assign roles, revoke, enable, assign clusters)? Commissioner
-- administrator roles: the Support Desk or an Advanced User Administrator.
-- Otherwise User Administrators whose reach includes the organisation.
create function private.can_manage_membership(p_organisation_id uuid, p_roles public.app_role[])
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select private.is_support_desk()
    or case
      when exists (
        select 1 from public.organisations o
        where o.id = p_organisation_id and private.is_commissioner_type(o.type) and p_roles && private.administrator_roles())
      then private.has_role_over(p_organisation_id, '{advanced_user_administrator}')
      else private.has_role_over(p_organisation_id, private.user_administrator_roles())
    end
$$;

-- Who should be told that a request for p_roles at p_organisation_id waits:
-- the people who could decide it, or the Support Desk when nobody else can.
create function private.deciders(p_organisation_id uuid, p_roles public.app_role[])
returns setof uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  support_only boolean := p_organisation_id is null or exists (
    select 1 from public.organisations o
    where o.id = p_organisation_id and private.is_commissioner_type(o.type) and p_roles && private.administrator_roles());
  found_any boolean := false;
  person uuid;
begin
  if not support_only then
    for person in
      select distinct m.profile_id
      from public.organisation_closure up
      join public.memberships m on m.organisation_id = up.ancestor_id and m.status = 'active'
      where up.descendant_id = p_organisation_id
        and (
          (m.roles && private.user_administrator_roles()
            and private.person_has_role_over(m.profile_id, p_organisation_id, private.user_administrator_roles()))
          or (up.depth = 0 and 'provider_approver' = any (m.roles) and private.is_two_step_practice(p_organisation_id)
            and private.is_active_person(m.profile_id)))
    loop
      found_any := true;
      return next person;
    end loop;
  end if;
  if not found_any then
    return query
      select r.profile_id
      from public.platform_roles r
      join public.profiles p on p.id = r.profile_id
      where r.role = 'support_desk' and p.status = 'active';
  end if;
end;
$$;

create function private.notify_deciders(
  p_organisation_id uuid,
  p_roles public.app_role[],
  p_kind public.notification_kind,
  p_subject text,
  p_body text,
  p_link text
)
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  sent integer := 0;
  person uuid;
begin
  for person in select d from private.deciders(p_organisation_id, p_roles) d where d is distinct from (select auth.uid()) loop
    perform private.queue_notification(person, p_kind, p_subject, p_body, p_link);
    sent := sent + 1;
  end loop;
  return sent;
end;
$$;

-- ---------------------------------------------------------------- policies
-- One policy per table, command and role (Supabase advisor:
-- multiple_permissive_policies). No policy = denied. anon has policies only on
-- public.organisations (the registration page's organisation search).

-- organisation_closure: derived from the public directory.
create policy "Signed-in people read the organisation tree"
  on public.organisation_closure for select to authenticated
  using (true);

-- commissioner_settings
create policy "Members read the settings of their organisations and commissioners"
  on public.commissioner_settings for select to authenticated
  using (
    organisation_id = any (array(select private.reachable_organisations()))
    or organisation_id = any (array(select private.member_organisations_and_ancestors())));
create policy "Organisation Administrators change commissioner settings"
  on public.commissioner_settings for update to authenticated
  using (organisation_id = any (array(select private.organisations_with_role('{organisation_administrator}'))))
  with check (organisation_id = any (array(select private.organisations_with_role('{organisation_administrator}'))));

-- practice_settings
create policy "Members and their commissioners read practice settings"
  on public.practice_settings for select to authenticated
  using (organisation_id = any (array(select private.reachable_organisations())));
create policy "Commissioner Organisation Administrators change practice settings"
  on public.practice_settings for update to authenticated
  using (organisation_id = any (array(select private.organisations_with_role('{organisation_administrator}'))))
  with check (organisation_id = any (array(select private.organisations_with_role('{organisation_administrator}'))));

-- pcn_memberships
create policy "Members read the PCN history of organisations they reach"
  on public.pcn_memberships for select to authenticated
  using (
    practice_id = any (array(select private.reachable_organisations()))
    or pcn_id = any (array(select private.reachable_organisations())));

-- profiles
create policy "People read themselves, their colleagues and the people they administer"
  on public.profiles for select to authenticated
  using (id = any (array(select private.visible_people())));
create policy "People correct their own name"
  on public.profiles for update to authenticated
  using (id = (select auth.uid()) and (select private.caller_not_disabled()))
  with check (id = (select auth.uid()));

-- memberships
create policy "Members read their own, their colleagues' and the memberships they administer"
  on public.memberships for select to authenticated
  using (
    profile_id = any (array(select private.own_or_all_people()))
    or organisation_id = any (array(select private.managed_organisations()))
    or (status = 'active' and organisation_id = any (array(select private.reachable_organisations()))));

-- platform_roles
create policy "People read their own platform roles; the Support Desk reads all"
  on public.platform_roles for select to authenticated
  using (profile_id = any (array(select private.own_or_all_people())));

-- clusters
create policy "Commissioner staff read their clusters; assigned people read theirs"
  on public.clusters for select to authenticated
  using (id = any (array(select private.visible_clusters())));
create policy "Cluster organisations are read with their cluster"
  on public.cluster_organisations for select to authenticated
  using (cluster_id = any (array(select private.visible_clusters())));
create policy "Cluster assignments are read with their cluster"
  on public.cluster_assignments for select to authenticated
  using (cluster_id = any (array(select private.visible_clusters())));

-- audit_log
create policy "The Support Desk, User Administrators and the person concerned read audit entries"
  on public.audit_log for select to authenticated
  using (
    subject_profile_id = any (array(select private.own_or_all_people()))
    or organisation_id = any (array(select private.managed_organisations())));

-- notifications
create policy "People read their own notifications"
  on public.notifications for select to authenticated
  using (recipient_id = (select auth.uid()) and (select private.caller_not_disabled()));
create policy "People mark their own notifications read"
  on public.notifications for update to authenticated
  using (recipient_id = (select auth.uid()) and (select private.caller_not_disabled()))
  with check (recipient_id = (select auth.uid()));

-- ---------------------------------------------------------------- privileges
-- (Everything was revoked from anon and authenticated when each table was
-- created.) authenticated gets SELECT, and UPDATE only of the columns a person
-- may edit directly; every other change goes through an action function.

grant select on public.organisation_closure, public.commissioner_settings, public.practice_settings, public.pcn_memberships,
  public.profiles, public.memberships, public.platform_roles, public.clusters, public.cluster_organisations,
  public.cluster_assignments, public.audit_log, public.notifications
  to authenticated;
grant update (claim_submission, medium_risk_from, high_risk_from) on public.commissioner_settings to authenticated;
grant update (approval_mode) on public.practice_settings to authenticated;
grant update (full_name) on public.profiles to authenticated;
grant update (read_at) on public.notifications to authenticated;

-- The helpers policies call. (Postgres grants EXECUTE to PUBLIC by default:
-- take it back everywhere, then grant what policies need.)
revoke all on function private.caller_not_disabled(), private.is_active_person(uuid), private.is_support_desk(), private.organisations_with_role(public.app_role[]),
  private.reachable_organisations(), private.person_has_role_over(uuid, uuid, public.app_role[]),
  private.has_role_over(uuid, public.app_role[]), private.has_role(uuid, public.app_role), private.is_two_step_practice(uuid),
  private.managed_organisations(), private.visible_people(), private.own_or_all_people(), private.member_organisations_and_ancestors(),
  private.visible_clusters(), private.can_decide_request(uuid, public.app_role[]),
  private.can_manage_membership(uuid, public.app_role[]), private.deciders(uuid, public.app_role[]),
  private.notify_deciders(uuid, public.app_role[], public.notification_kind, text, text, text)
  from public;
grant execute on function private.caller_not_disabled(), private.is_support_desk(), private.organisations_with_role(public.app_role[]),
  private.reachable_organisations(), private.has_role_over(uuid, public.app_role[]), private.has_role(uuid, public.app_role),
  private.managed_organisations(), private.visible_people(), private.own_or_all_people(), private.member_organisations_and_ancestors(),
  private.visible_clusters()
  to authenticated;
