-- People administration (issue 5): what the portal's pages read and the few
-- actions they add to the tenancy core.
--
--   * public.my_access(): the caller's account, platform roles, memberships
--     (every status, with clusters and the practice's approval mode) and
--     unread notifications, in one call (menus, organisation switcher).
--   * Views, all `security_invoker` (the caller's own RLS applies on top of
--     the private helper that picks the rows):
--       my_organisations         the organisations the caller may browse
--       pending_registrations    pending registrations the caller may decide
--       pending_access_requests  access requests the caller may decide
--       user_directory           people with their visible memberships
--   * PCN relationships: add_pcn_membership, end_pcn_membership (audited,
--     the practice's and PCN's people are told), and the network
--     organisation relationship report (security invoker: RLS decides).
--   * disable_own_account: any active account disables itself.
--
-- Same conventions as …_tenancy_actions.sql: an active caller, input, role and
-- state are checked before anything changes; errors carry SQLSTATE, a
-- specific message and a hint (42501, 22023, 23514, PT404, PT409).

-- A new outbox kind: the people of a practice and of its PCN are told when the
-- relationship starts or ends. (Used only inside plpgsql bodies, which are
-- planned after this migration has committed.)
alter type public.notification_kind add value if not exists 'pcn_membership_changed';

-- ---------------------------------------------------------------- indexes

-- The message centre's unread count (my_access, the header's poll:
-- notifications?read_at=is.null).
create index notifications_unread_idx on public.notifications (recipient_id) where read_at is null;
-- Access requests waiting (pending_access_requests; the Support Desk sees all).
create index memberships_requested_idx on public.memberships (requested_at) where status = 'requested';
-- The user directory's search: full_name / email ilike '%…%'.
create index profiles_full_name_trgm_idx on public.profiles using gin (full_name extensions.gin_trgm_ops);
create index profiles_email_trgm_idx on public.profiles using gin (email extensions.gin_trgm_ops);
-- The user directory's status filter (the older partial index covers only
-- pending and invited).
create index profiles_status_all_idx on public.profiles (status, created_at);

-- ---------------------------------------------------------------- helpers

-- Dates in messages as the portal shows them (DD/MM/YYYY).
create function private.uk_date(p_date date)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select to_char(p_date, 'DD/MM/YYYY')
$$;

-- Organisations the caller may browse: their reach, and for the Support Desk
-- the whole directory. (plpgsql: only the branch that applies is run.)
create function private.browsable_organisations()
returns setof uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if private.is_support_desk() then
    return query select o.id from public.organisations o;
  else
    return query select private.reachable_organisations();
  end if;
end;
$$;
comment on function private.browsable_organisations() is
  'Organisations the caller may browse in the portal: private.reachable_organisations(), or every organisation for the Support Desk.';

-- Pending registrations the caller may decide (approve_registration /
-- reject_registration would let them): the Support Desk every one, also those
-- asking for nothing; otherwise those whose every requested membership the
-- caller may decide (private.can_decide_request).
create function private.decidable_registrations()
returns setof uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if private.is_support_desk() then
    return query select p.id from public.profiles p where p.status = 'pending';
    return;
  end if;
  return query
    select distinct m.profile_id
    from public.memberships m
    join public.profiles p on p.id = m.profile_id and p.status = 'pending'
    where m.status = 'requested'
      and m.organisation_id = any (array(select private.managed_organisations()))
      and m.profile_id is distinct from (select auth.uid())
      and not exists (
        select 1 from public.memberships other
        where other.profile_id = m.profile_id and other.status = 'requested'
          and not private.can_decide_request(other.organisation_id, other.roles));
end;
$$;
comment on function private.decidable_registrations() is
  'Profiles of pending registrations the caller may approve or reject (the Support Desk: all of them).';

-- Requested memberships of active accounts the caller may decide
-- (approve_access_request / reject_access_request), never their own.
create function private.decidable_access_requests()
returns setof uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if private.is_support_desk() then
    return query
      select m.id
      from public.memberships m
      join public.profiles p on p.id = m.profile_id and p.status = 'active'
      where m.status = 'requested' and m.profile_id is distinct from (select auth.uid());
    return;
  end if;
  return query
    select m.id
    from public.memberships m
    join public.profiles p on p.id = m.profile_id and p.status = 'active'
    where m.status = 'requested'
      and m.organisation_id = any (array(select private.managed_organisations()))
      and m.profile_id is distinct from (select auth.uid())
      and private.can_decide_request(m.organisation_id, m.roles);
end;
$$;
comment on function private.decidable_access_requests() is
  'Requested memberships of active accounts that the caller may approve or reject (never their own).';

-- PCN relationships are managed by commissioner Organisation or User
-- Administrators whose reach includes both the practice and the PCN. (These
-- roles exist only at commissioners, so a provider membership never counts.)
create function private.can_manage_pcn_memberships(p_practice_id uuid, p_pcn_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select private.has_role_over(p_practice_id, '{organisation_administrator}'::public.app_role[] || private.user_administrator_roles())
     and private.has_role_over(p_pcn_id, '{organisation_administrator}'::public.app_role[] || private.user_administrator_roles())
$$;

-- Tell the active people of the practice and of the PCN (not the actor).
create function private.notify_pcn_members(p_practice_id uuid, p_pcn_id uuid, p_subject text, p_body text)
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  sent integer := 0;
  person uuid;
begin
  for person in
    select distinct m.profile_id
    from public.memberships m
    join public.profiles p on p.id = m.profile_id and p.status = 'active'
    where m.organisation_id in (p_practice_id, p_pcn_id)
      and m.status = 'active'
      and m.profile_id is distinct from (select auth.uid())
  loop
    perform private.queue_notification(person, 'pcn_membership_changed', p_subject, p_body, '/');
    sent := sent + 1;
  end loop;
  return sent;
end;
$$;

-- The reason rules of public.disable_account; returns the cleaned free text.
create function private.check_disable_reason(p_reason public.disable_reason, p_reason_text text)
returns text
language plpgsql
set search_path = ''
as $$
declare
  reason_text text := nullif(btrim(p_reason_text), '');
begin
  if p_reason is null then
    perform private.fail('22023', 'Choose a reason for disabling the account.',
      'One of: left_organisation, no_longer_required, security_concern, duplicate_account, inactivity, other (with text).');
  end if;
  if p_reason = 'other' and reason_text is null then
    perform private.fail('22023', 'The reason "other" needs an explanation.', 'Say why in at most 250 characters.');
  end if;
  if p_reason <> 'other' and reason_text is not null then
    perform private.fail('22023', format('Only the reason "other" takes a free text, not %s.', p_reason), 'Choose "other" to explain in your own words.');
  end if;
  if char_length(reason_text) > 250 then
    perform private.fail('22023', format('The explanation is too long (%s characters; at most 250).', char_length(reason_text)), 'Shorten it.');
  end if;
  return reason_text;
end;
$$;

-- ---------------------------------------------------------------- my_access

create function public.my_access()
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  me uuid := (select auth.uid());
  person public.profiles%rowtype;
begin
  if me is null then
    perform private.fail('42501', 'Sign in to see your access.', 'my_access needs a signed-in user''s token, not the anon or service key.');
  end if;
  select * into person from public.profiles p where p.id = me;
  if not found then
    perform private.fail('PT404', 'There is no account for this sign-in.', 'Sign out and sign in again, or register.');
  end if;

  -- A disabled account reaches nothing: its status, and empty lists.
  if person.status = 'disabled' then
    return jsonb_build_object(
      'profile_id', person.id, 'email', person.email, 'full_name', person.full_name, 'status', person.status,
      'platform_roles', '[]'::jsonb, 'memberships', '[]'::jsonb, 'unread_notifications', 0);
  end if;

  return jsonb_build_object(
    'profile_id', person.id,
    'email', person.email,
    'full_name', person.full_name,
    'status', person.status,
    -- Platform roles count only for an active account (as in the access token).
    'platform_roles', case when person.status = 'active' then coalesce((
        select jsonb_agg(r.role order by r.role) from public.platform_roles r where r.profile_id = me), '[]'::jsonb)
      else '[]'::jsonb end,
    'memberships', coalesce((
      select jsonb_agg(jsonb_build_object(
               'membership_id', m.id,
               'organisation_id', o.id,
               'ods_code', o.ods_code,
               'name', o.name,
               'type', o.type,
               'side', case when private.is_commissioner_type(o.type) then 'commissioner' else 'provider' end,
               'roles', to_jsonb(m.roles),
               'status', m.status,
               'approval_mode', s.approval_mode,
               'clusters', coalesce((
                 select jsonb_agg(jsonb_build_object('id', c.id, 'short_name', c.short_name, 'name', c.name) order by c.short_name)
                 from public.cluster_assignments ca
                 join public.clusters c on c.id = ca.cluster_id
                 where ca.membership_id = m.id), '[]'::jsonb))
             order by o.name, o.ods_code)
      from public.memberships m
      join public.organisations o on o.id = m.organisation_id
      left join public.practice_settings s on s.organisation_id = o.id
      where m.profile_id = me), '[]'::jsonb),
    'unread_notifications', (
      select count(*) from public.notifications n where n.recipient_id = me and n.read_at is null));
end;
$$;
comment on function public.my_access() is
  'The caller''s account (id, email, name, status), platform roles (active accounts only), memberships of every status ordered by organisation name (organisation, side, roles, status, practice approval mode, clusters) and unread notification count. A disabled account gets its status and empty lists.';

-- ---------------------------------------------------------------- views

create view public.my_organisations
with (security_invoker = true)
as
select o.id, o.ods_code, o.name, o.type, o.parent_id, o.created_at
from public.organisations o
where o.id = any (array(select private.browsable_organisations()));
comment on view public.my_organisations is
  'The organisations the caller reaches (the Support Desk: all). Pages browse this, not public.organisations, which anyone may read (the registration search).';

create view public.pending_registrations
with (security_invoker = true)
as
select
  p.id as profile_id,
  p.full_name,
  p.email,
  p.generic_mailbox,
  p.created_at as registered_at,
  m.id as membership_id,
  m.organisation_id,
  o.ods_code,
  o.name as organisation_name,
  o.type as organisation_type,
  m.roles,
  coalesce(private.is_commissioner_type(o.type) and m.roles && private.administrator_roles(), false) as commissioner_administrator
from public.profiles p
left join lateral (
  -- A registration asks for (at most) one organisation; the first request.
  select r.id, r.organisation_id, r.roles
  from public.memberships r
  where r.profile_id = p.id and r.status = 'requested'
  order by r.created_at
  limit 1
) m on true
left join public.organisations o on o.id = m.organisation_id
where p.status = 'pending'
  and p.id = any (array(select private.decidable_registrations()));
comment on view public.pending_registrations is
  'Pending self-registrations the caller may decide: one row per person with the organisation and roles asked for (null when none). commissioner_administrator: administrator roles at a commissioner, which only the Support Desk decides.';

create view public.pending_access_requests
with (security_invoker = true)
as
select
  m.id as membership_id,
  m.profile_id,
  p.full_name,
  p.email,
  coalesce(m.requested_at, m.created_at) as requested_at,
  m.organisation_id,
  o.ods_code,
  o.name as organisation_name,
  o.type as organisation_type,
  m.roles
from public.memberships m
join public.profiles p on p.id = m.profile_id
join public.organisations o on o.id = m.organisation_id
where m.status = 'requested'
  and p.status = 'active'
  and m.id = any (array(select private.decidable_access_requests()));
comment on view public.pending_access_requests is
  'Requests of active accounts for access to another organisation that the caller may approve or reject.';

-- Shape chosen for national scale (30,000 people for the Support Desk): the
-- filterable arrays come from grouped passes over memberships, where the
-- memberships policy is answered with index scans; the memberships JSON is a
-- scalar subquery, which Postgres evaluates only for the rows a page returns.
create view public.user_directory
with (security_invoker = true)
as
select
  p.id,
  p.full_name,
  p.email,
  p.status,
  p.generic_mailbox,
  p.created_at,
  p.disable_reason as disabled_reason,
  p.disable_reason_text as disabled_reason_text,
  coalesce(mo.organisation_ids, '{}'::uuid[]) as organisation_ids,
  coalesce(ar.roles, '{}'::public.app_role[]) as roles,
  coalesce((
    select jsonb_agg(jsonb_build_object(
             'membership_id', m.id, 'organisation_id', m.organisation_id, 'ods_code', o.ods_code, 'name', o.name,
             'type', o.type, 'roles', to_jsonb(m.roles), 'status', m.status) order by o.name, o.ods_code)
    from public.memberships m
    join public.organisations o on o.id = m.organisation_id
    where m.profile_id = p.id), '[]'::jsonb) as memberships
from public.profiles p
-- (memberships RLS applies in all three: only the memberships the caller may see)
left join (
  select m.profile_id, array_agg(m.organisation_id order by m.organisation_id) as organisation_ids
  from public.memberships m
  group by m.profile_id
) mo on mo.profile_id = p.id
left join (
  select m.profile_id, array_agg(distinct r.role order by r.role) as roles
  from public.memberships m
  cross join lateral unnest(m.roles) as r (role)
  where m.status = 'active'
  group by m.profile_id
) ar on ar.profile_id = p.id;
comment on view public.user_directory is
  'People the caller may see (profiles RLS) with the memberships the caller may see (memberships RLS): organisation_ids (any status), roles (union over active memberships), memberships as JSON.';

-- ---------------------------------------------------------------- PCN relationships

create function public.add_pcn_membership(p_practice_id uuid, p_pcn_id uuid, p_valid_from date)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  practice public.organisations%rowtype;
  pcn public.organisations%rowtype;
  clash public.pcn_memberships%rowtype;
  result public.pcn_memberships%rowtype;
begin
  if p_valid_from is null then
    perform private.fail('22023', 'Give the date the practice joins the PCN.', 'valid_from is the first day of the practice in the PCN.');
  end if;
  select * into practice from public.organisations o where o.id = p_practice_id;
  if not found then
    perform private.fail('PT404', format('No organisation with id %s.', p_practice_id), 'Search the organisation directory for the practice.');
  end if;
  select * into pcn from public.organisations o where o.id = p_pcn_id;
  if not found then
    perform private.fail('PT404', format('No organisation with id %s.', p_pcn_id), 'Search the organisation directory for the PCN.');
  end if;
  if practice.type <> 'practice' then
    perform private.fail('22023', format('Only a GP practice can join a PCN; %s is a %s.', private.organisation_label(practice.id), practice.type),
      'Choose an organisation of type practice.');
  end if;
  if pcn.type <> 'pcn' then
    perform private.fail('22023', format('A practice can only join a PCN; %s is a %s.', private.organisation_label(pcn.id), pcn.type),
      'Choose an organisation of type pcn.');
  end if;
  if not private.can_manage_pcn_memberships(practice.id, pcn.id) then
    perform private.fail('42501', format('You may not add %s to %s.', private.organisation_label(practice.id), private.organisation_label(pcn.id)),
      'Organisation Administrators or User Administrators of a commissioner above both the practice and the PCN manage PCN relationships.');
  end if;

  -- A practice belongs to at most one PCN on any day: the new relationship runs
  -- from p_valid_from with no end, so any relationship still running then clashes.
  select * into clash
  from public.pcn_memberships pm
  where pm.practice_id = practice.id and pm.during && daterange(p_valid_from, null, '[]')
  order by pm.valid_from desc
  limit 1;
  if found then
    if clash.valid_to is null and clash.pcn_id = pcn.id then
      perform private.fail('PT409', format('%s is already in %s, since %s.', private.organisation_label(practice.id),
          private.organisation_label(pcn.id), private.uk_date(clash.valid_from)),
        'Nothing to add: the relationship is current.');
    elsif clash.valid_to is null and clash.valid_from < p_valid_from then
      perform private.fail('PT409', format('%s has been in %s since %s: a practice belongs to one PCN at a time.',
          private.organisation_label(practice.id), private.organisation_label(clash.pcn_id), private.uk_date(clash.valid_from)),
        format('End that relationship first (last day %s or earlier), then add the new one.', private.uk_date(p_valid_from - 1)));
    elsif clash.valid_to is null then
      perform private.fail('PT409', format('%s has been in %s since %s, which overlaps a start on %s.',
          private.organisation_label(practice.id), private.organisation_label(clash.pcn_id), private.uk_date(clash.valid_from),
          private.uk_date(p_valid_from)),
        format('End the current relationship first, then add the new one from a date after %s.', private.uk_date(clash.valid_from)));
    else
      perform private.fail('PT409', format('%s was in %s until %s, which overlaps a start on %s.',
          private.organisation_label(practice.id), private.organisation_label(clash.pcn_id), private.uk_date(clash.valid_to),
          private.uk_date(p_valid_from)),
        format('Choose a start date after %s.', private.uk_date(clash.valid_to)));
    end if;
  end if;

  begin
    insert into public.pcn_memberships (practice_id, pcn_id, valid_from)
    values (practice.id, pcn.id, p_valid_from)
    returning * into result;
  exception
    -- Someone else added a relationship for this practice at the same moment
    -- (the exclusion constraint pcn_memberships_one_pcn_a_day).
    when exclusion_violation then
      perform private.fail('PT409', format('%s already has a PCN on %s or later.', private.organisation_label(practice.id), private.uk_date(p_valid_from)),
        'Someone changed its PCN history just now: reload it and try again.');
  end;

  perform private.write_audit('pcn_membership.add', 'pcn_membership', result.id::text, practice.id, null, null, to_jsonb(result), null);
  perform private.notify_pcn_members(practice.id, pcn.id,
    format('%s joins %s', private.organisation_label(practice.id), private.organisation_label(pcn.id)),
    format('%s recorded that %s belongs to %s from %s.', private.person_label(me), private.organisation_label(practice.id),
      private.organisation_label(pcn.id), private.uk_date(p_valid_from)));
  return result.id;
end;
$$;
comment on function public.add_pcn_membership(uuid, uuid, date) is
  'Record that a practice belongs to a PCN from a date (no end yet). Commissioner Organisation or User Administrators reaching both; a practice is in one PCN at a time (PT409 names the clashing relationship). Audited; the practice''s and PCN''s people are told.';

create function public.end_pcn_membership(p_pcn_membership_id uuid, p_valid_to date)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  relationship public.pcn_memberships%rowtype;
  result public.pcn_memberships%rowtype;
begin
  if p_valid_to is null then
    perform private.fail('22023', 'Give the last day of the practice in the PCN.', 'valid_to is inclusive: the practice is in the PCN until the end of that day.');
  end if;
  select * into relationship from public.pcn_memberships pm where pm.id = p_pcn_membership_id for update;
  if not found then
    perform private.fail('PT404', format('No PCN relationship with id %s.', p_pcn_membership_id), 'Reload the PCN history.');
  end if;
  if not private.can_manage_pcn_memberships(relationship.practice_id, relationship.pcn_id) then
    perform private.fail('42501', format('You may not end the relationship of %s with %s.', private.organisation_label(relationship.practice_id),
        private.organisation_label(relationship.pcn_id)),
      'Organisation Administrators or User Administrators of a commissioner above both the practice and the PCN manage PCN relationships.');
  end if;
  if relationship.valid_to is not null then
    perform private.fail('PT409', format('The relationship of %s with %s already ended on %s.', private.organisation_label(relationship.practice_id),
        private.organisation_label(relationship.pcn_id), private.uk_date(relationship.valid_to)),
      'Only a current relationship can be ended.');
  end if;
  if p_valid_to < relationship.valid_from then
    perform private.fail('22023', format('The last day (%s) is before the first day (%s).', private.uk_date(p_valid_to), private.uk_date(relationship.valid_from)),
      format('Choose %s or later.', private.uk_date(relationship.valid_from)));
  end if;

  update public.pcn_memberships pm set valid_to = p_valid_to where pm.id = relationship.id returning * into result;
  perform private.write_audit('pcn_membership.end', 'pcn_membership', result.id::text, result.practice_id, null,
    to_jsonb(relationship), to_jsonb(result), null);
  perform private.notify_pcn_members(result.practice_id, result.pcn_id,
    format('%s leaves %s', private.organisation_label(result.practice_id), private.organisation_label(result.pcn_id)),
    format('%s recorded that %s belongs to %s until %s.', private.person_label(me), private.organisation_label(result.practice_id),
      private.organisation_label(result.pcn_id), private.uk_date(p_valid_to)));
end;
$$;
comment on function public.end_pcn_membership(uuid, date) is
  'End a current practice–PCN relationship on a last day (inclusive, not before its first day). Same people as add_pcn_membership; audited; the practice''s and PCN''s people are told.';

-- Runs as the caller: pcn_memberships RLS decides which rows they see.
create function public.network_relationship_report(p_from date, p_to date)
returns table (
  pcn_membership_id uuid,
  practice_id uuid,
  practice_ods_code text,
  practice_name text,
  pcn_id uuid,
  pcn_ods_code text,
  pcn_name text,
  valid_from date,
  valid_to date
)
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
  if p_to < p_from then
    -- (raised here, not with private.fail: this function runs as the caller)
    raise exception using errcode = '22023',
      message = format('The end date (%s) is before the start date (%s).', to_char(p_to, 'DD/MM/YYYY'), to_char(p_from, 'DD/MM/YYYY')),
      hint = 'Choose an end date on or after the start date.';
  end if;
  -- A null date leaves that side of the range open.
  return query
    select pm.id, pm.practice_id, practice.ods_code, practice.name, pm.pcn_id, pcn.ods_code, pcn.name, pm.valid_from, pm.valid_to
    from public.pcn_memberships pm
    join public.organisations practice on practice.id = pm.practice_id
    join public.organisations pcn on pcn.id = pm.pcn_id
    where pm.during && daterange(p_from, p_to, '[]')
    order by pcn.name, practice.name, pm.valid_from;
end;
$$;
comment on function public.network_relationship_report(date, date) is
  'Network organisation relationship report: practice–PCN relationships overlapping [p_from, p_to] (inclusive; null = open) that the caller may see, by PCN name, practice name, start.';

-- ---------------------------------------------------------------- own account

create function public.disable_own_account(p_reason public.disable_reason, p_reason_text text default null)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  reason_text text := private.check_disable_reason(p_reason, p_reason_text);
  person public.profiles%rowtype;
  result public.profiles%rowtype;
begin
  select * into person from public.profiles p where p.id = me for update;
  if person.status <> 'active' then
    -- (changed since require_active_caller read it)
    perform private.fail('PT409', format('Your account is %s, not active.', person.status), 'Reload the page.');
  end if;

  perform private.begin_action('account.disable_own');
  update public.profiles p
  set status = 'disabled', status_before_disable = person.status, disable_reason = p_reason, disable_reason_text = reason_text,
      status_changed_at = now(), status_changed_by = me
  where p.id = me
  returning * into result;
  -- Sign-in is refused from now on (GoTrue refuses banned users, also on token refresh).
  update auth.users u set banned_until = now() + interval '100 years', updated_at = now() where u.id = me;
  perform private.write_audit('account.disable_own', 'profile', me::text, null, me, to_jsonb(person), to_jsonb(result),
    coalesce(reason_text, p_reason::text));
  -- Emailed: a confirmation, and a warning if it was not them.
  perform private.queue_notification(me, 'account_disabled', 'You have disabled your account',
    format('You disabled your account (%s) and can no longer sign in. If this was not you, or you need the account again, contact the Support Desk.',
      coalesce(reason_text, replace(p_reason::text, '_', ' '))), null);
  perform private.end_action();
end;
$$;
comment on function public.disable_own_account(public.disable_reason, text) is
  'The caller (an active account) disables their own account: same reason rules as disable_account, banned in auth.users, audited (account.disable_own). The Support Desk or a User Administrator can enable it again.';

-- ---------------------------------------------------------------- privileges

-- Views: signed-in people read them; nobody writes through them (Supabase's
-- default privileges granted everything, and my_organisations is updatable).
revoke all on public.my_organisations, public.pending_registrations, public.pending_access_requests, public.user_directory
  from public, anon, authenticated, service_role;
grant select on public.my_organisations, public.pending_registrations, public.pending_access_requests, public.user_directory
  to authenticated;

revoke all on function
  private.uk_date(date), private.browsable_organisations(), private.decidable_registrations(), private.decidable_access_requests(),
  private.can_manage_pcn_memberships(uuid, uuid), private.notify_pcn_members(uuid, uuid, text, text),
  private.check_disable_reason(public.disable_reason, text)
  from public;
-- The views run as the caller and call these helpers.
grant execute on function private.browsable_organisations(), private.decidable_registrations(), private.decidable_access_requests()
  to authenticated;

revoke all on function
  public.my_access(), public.add_pcn_membership(uuid, uuid, date), public.end_pcn_membership(uuid, date),
  public.network_relationship_report(date, date), public.disable_own_account(public.disable_reason, text)
  from public, anon;
grant execute on function
  public.my_access(), public.add_pcn_membership(uuid, uuid, date), public.end_pcn_membership(uuid, date),
  public.network_relationship_report(date, date), public.disable_own_account(public.disable_reason, text)
  to authenticated;
