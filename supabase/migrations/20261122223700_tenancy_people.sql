-- Tenancy core, part 2: people, roles and memberships.
--
--   * app_role: every role of domain.md (platform, commissioner, provider).
--   * profiles: one per auth.users row, created by a trigger on auth.users
--     (full name from the sign-up metadata), with the account status.
--   * generic / shared mailbox detection (public.is_generic_mailbox).
--   * memberships: (person, organisation, roles, status) with segregation of
--     duties and role sides enforced by the database.
--   * platform_roles: the Support Desk.
--
-- Status and roles change only through the action functions
-- (…_tenancy_actions.sql). They announce themselves with the transaction-local
-- setting `app.action`; the guard triggers below refuse any other change, for
-- every role (the API roles additionally have no UPDATE privilege on these
-- columns at all).

-- ---------------------------------------------------------------- enums

create type public.app_role as enum (
  -- platform
  'support_desk',
  -- commissioner
  'organisation_administrator',
  'user_administrator',
  'advanced_user_administrator',
  'commissioning_management',
  'approver_tier_1',
  'approver_tier_2',
  'finance',
  'approval_management',
  'finance_management',
  -- provider
  'service_management',
  'claim_submitter',
  'provider_approver',
  'finance_view',
  'view',
  'supervisor',
  'achievement_entry',
  'declaration_management'
);
comment on type public.app_role is
  'Roles of domain.md. support_desk is a platform role (public.platform_roles); the others are held through memberships, commissioner roles at commissioning organisations and provider roles at providers.';

create type public.account_status as enum ('pending', 'invited', 'active', 'rejected', 'disabled');
comment on type public.account_status is
  'pending: self-registered, awaiting approval; invited: invited, not yet accepted; active; rejected (reason required); disabled (cannot sign in; data kept).';

create type public.disable_reason as enum (
  'left_organisation',
  'no_longer_required',
  'security_concern',
  'duplicate_account',
  'inactivity',
  'other'
);
comment on type public.disable_reason is 'Why an account was disabled; "other" requires a free-text reason of at most 250 characters.';

create type public.membership_status as enum ('requested', 'active', 'rejected', 'revoked');
comment on type public.membership_status is
  'requested: awaiting a decision; active; rejected (reason required); revoked: access to this organisation removed (can be enabled again).';

-- ---------------------------------------------------------------- role sides

create function private.role_side(r public.app_role)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case
    when r = 'support_desk' then 'platform'
    when r in ('organisation_administrator', 'user_administrator', 'advanced_user_administrator',
               'commissioning_management', 'approver_tier_1', 'approver_tier_2', 'finance',
               'approval_management', 'finance_management') then 'commissioner'
    else 'provider'
  end
$$;

create function private.administrator_roles()
returns public.app_role[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select '{organisation_administrator,user_administrator,advanced_user_administrator}'::public.app_role[]
$$;
comment on function private.administrator_roles() is
  'Commissioner administrator roles: accounts and memberships carrying them are approved by the Support Desk only.';

create function private.user_administrator_roles()
returns public.app_role[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select '{user_administrator,advanced_user_administrator}'::public.app_role[]
$$;

-- ---------------------------------------------------------------- generic mailboxes

create function private.generic_mailbox_local_parts()
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  -- Local parts (lower case, without ".", "_", "-", a "+tag" or trailing
  -- digits) of mailboxes that are shared by a team or name a function rather
  -- than a person. docs/security-model.md lists them too; keep both in step.
  select array[
    'reception', 'receptionist', 'receptionists', 'receptionteam', 'frontdesk', 'frontoffice',
    'admin', 'admins', 'administrator', 'administrators', 'administration', 'adminteam', 'adminoffice',
    'info', 'information', 'enquiries', 'enquiry', 'enquires', 'general', 'generalenquiries',
    'contact', 'contactus', 'hello', 'mail', 'mailbox', 'email', 'inbox', 'post',
    'office', 'officemanager', 'officeteam',
    'practice', 'practicemanager', 'practicemanagers', 'practiceteam', 'practiceoffice', 'practiceadmin', 'practicemail',
    'team', 'staff', 'allstaff', 'everyone', 'all', 'shared', 'group', 'generic',
    'surgery', 'surgeryteam', 'clinic', 'healthcentre', 'medicalcentre',
    'secretary', 'secretaries', 'secretarial',
    'appointments', 'bookings', 'booking', 'prescriptions', 'repeats', 'repeatprescriptions', 'referrals', 'results',
    'dispensary', 'pharmacy',
    'nurses', 'nursing', 'nurseteam', 'doctors', 'gps', 'clinicians', 'clinical', 'duty', 'dutydoctor',
    'accounts', 'payroll', 'billing', 'invoices', 'claims',
    'hr', 'it', 'ithelpdesk', 'helpdesk', 'help', 'servicedesk', 'support',
    'noreply', 'donotreply', 'postmaster', 'webmaster', 'hostmaster', 'abuse',
    'manager', 'management', 'pcn', 'icb', 'ccg', 'commissioning', 'contracts',
    'patients', 'feedback', 'complaints', 'pals', 'queries', 'query'
  ]
$$;

create function public.is_generic_mailbox(email text)
returns boolean
language sql
immutable
parallel safe
set search_path = ''
as $$
  select regexp_replace(
           regexp_replace(split_part(split_part(lower(btrim(email)), '@', 1), '+', 1), '[._-]', '', 'g'),
           '[0-9]+$', '')
         = any (private.generic_mailbox_local_parts())
$$;
comment on function public.is_generic_mailbox(text) is
  'True when the address is a generic or shared mailbox (reception@, admin@, info@, practice.team@ …) rather than a person''s own. Compares the local part, lower-cased and without separators, a +tag or trailing digits, with private.generic_mailbox_local_parts().';

-- ---------------------------------------------------------------- profiles

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  email text,
  full_name text,
  status public.account_status not null default 'pending',
  generic_mailbox boolean not null default false,
  rejection_reason text,
  disable_reason public.disable_reason,
  disable_reason_text text,
  status_before_disable public.account_status,
  status_changed_at timestamptz not null default now(),
  status_changed_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint profiles_email_format check (email is null or (email = lower(email) and email ~ '^[^@[:space:]]+@[^@[:space:]]+$')),
  constraint profiles_full_name_length check (full_name is null or (full_name = btrim(full_name) and char_length(full_name) between 1 and 200)),
  constraint profiles_rejection_reason check (
    (status = 'rejected') = (rejection_reason is not null)
    and (rejection_reason is null or char_length(btrim(rejection_reason)) between 1 and 500)),
  constraint profiles_disable_reason check (
    (status = 'disabled') = (disable_reason is not null)
    and (status = 'disabled') = (status_before_disable is not null)
    and (disable_reason is not distinct from 'other') = (disable_reason_text is not null)
    and (disable_reason_text is null or char_length(btrim(disable_reason_text)) between 1 and 250)),
  constraint profiles_status_before_disable check (status_before_disable is null or status_before_disable not in ('disabled', 'rejected'))
);
comment on table public.profiles is
  'One person per auth.users row: name, personal email (the username), account status. Created by a trigger when the auth user is created.';
comment on column public.profiles.generic_mailbox is 'Set from public.is_generic_mailbox(email): such registrations cannot be approved or invited.';
comment on column public.profiles.status_before_disable is 'The status an enabled account returns to.';

create index profiles_email_idx on public.profiles (email);
create index profiles_status_idx on public.profiles (status) where status in ('pending', 'invited');

create function private.profiles_before_write()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    if new.status not in ('pending', 'invited') and coalesce(current_setting('app.action', true), '') = '' then
      raise exception using errcode = '42501',
        message = format('A new profile starts as pending or invited, not %s.', new.status),
        hint = 'Accounts become active through public.approve_registration or by accepting an invitation.';
    end if;
  else
    if coalesce(current_setting('app.action', true), '') = '' and (
         new.id is distinct from old.id
      or new.status is distinct from old.status
      or new.email is distinct from old.email
      or new.rejection_reason is distinct from old.rejection_reason
      or new.disable_reason is distinct from old.disable_reason
      or new.disable_reason_text is distinct from old.disable_reason_text
      or new.status_before_disable is distinct from old.status_before_disable
      or new.status_changed_at is distinct from old.status_changed_at
      or new.status_changed_by is distinct from old.status_changed_by
      or new.generic_mailbox is distinct from old.generic_mailbox
      or new.created_at is distinct from old.created_at) then
      raise exception using errcode = '42501',
        message = 'Account status and email change only through the portal''s actions.',
        hint = 'Use public.approve_registration, public.reject_registration, public.disable_account or public.enable_account; the email follows auth.users.';
    end if;
    new.updated_at := now();
  end if;
  new.email := lower(new.email);
  new.full_name := nullif(btrim(new.full_name), '');
  new.generic_mailbox := coalesce(public.is_generic_mailbox(new.email), false);
  return new;
end;
$$;

create trigger profiles_before_write
  before insert or update on public.profiles
  for each row execute function private.profiles_before_write();

-- ---------------------------------------------------------------- memberships

create table public.memberships (
  id uuid primary key default gen_random_uuid(),
  profile_id uuid not null references public.profiles (id) on delete cascade,
  organisation_id uuid not null references public.organisations (id),
  roles public.app_role[] not null,
  status public.membership_status not null default 'requested',
  requested_at timestamptz,
  decided_at timestamptz,
  decided_by uuid,
  decision_reason text,
  invited_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint memberships_one_per_organisation unique (profile_id, organisation_id),
  constraint memberships_has_roles check (cardinality(roles) >= 1 and array_position(roles, null) is null),
  -- Rule (segregation of duties): never Approver Tier 1 and Approver Tier 2 at
  -- the same organisation. One membership per person and organisation makes
  -- this a row check.
  constraint memberships_segregation_of_duties check (not (roles @> '{approver_tier_1,approver_tier_2}'::public.app_role[])),
  constraint memberships_no_platform_roles check (not ('support_desk' = any (roles))),
  constraint memberships_rejection_reason check (
    (status = 'rejected') <= (decision_reason is not null)
    and (decision_reason is null or char_length(btrim(decision_reason)) between 1 and 500))
);
comment on table public.memberships is
  'A person''s access to one organisation: roles and status. Commissioner memberships reach the organisation''s subtree (or, with cluster assignments, only the clusters); provider memberships reach the organisation itself.';
comment on column public.memberships.decision_reason is 'Reason given when the request was rejected or the membership revoked.';

create index memberships_organisation_idx on public.memberships (organisation_id, status) include (profile_id);

create function private.memberships_before_write()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  org public.organisations%rowtype;
  wrong public.app_role;
begin
  if coalesce(current_setting('app.action', true), '') = '' then
    if tg_op = 'INSERT' and new.status <> 'requested' then
      raise exception using errcode = '42501',
        message = format('A new membership starts as requested, not %s.', new.status),
        hint = 'Memberships become active through public.approve_access_request, public.approve_registration or public.invite_user.';
    elsif tg_op = 'UPDATE' and (
         new.status is distinct from old.status
      or new.roles is distinct from old.roles
      or new.profile_id is distinct from old.profile_id
      or new.organisation_id is distinct from old.organisation_id
      or new.decided_at is distinct from old.decided_at
      or new.decided_by is distinct from old.decided_by
      or new.decision_reason is distinct from old.decision_reason
      or new.invited_by is distinct from old.invited_by) then
      raise exception using errcode = '42501',
        message = 'Membership status and roles change only through the portal''s actions.',
        hint = 'Use public.approve_access_request, public.reject_access_request, public.revoke_membership, public.enable_membership or public.assign_roles.';
    end if;
  end if;

  -- Roles: sorted, no duplicates, each on the right side of the organisation.
  new.roles := array(select distinct r from unnest(new.roles) r order by r);
  select * into org from public.organisations o where o.id = new.organisation_id;
  if found then
    select r into wrong from unnest(new.roles) r
    where private.role_side(r) <> case when private.is_commissioner_type(org.type) then 'commissioner' else 'provider' end
    limit 1;
    if wrong is not null then
      raise exception using errcode = '23514',
        message = format('%s is a %s role; %s (%s) is a %s organisation.', wrong, private.role_side(wrong), org.ods_code, org.type,
          case when private.is_commissioner_type(org.type) then 'commissioning' else 'provider' end),
        hint = 'Commissioner roles are held at national, region, icb or sub_icb organisations; provider roles at pcn, practice or other_provider organisations.';
    end if;
  end if;
  if tg_op = 'UPDATE' then
    new.updated_at := now();
  end if;
  return new;
end;
$$;

create trigger memberships_before_write
  before insert or update on public.memberships
  for each row execute function private.memberships_before_write();

-- ---------------------------------------------------------------- platform roles

create table public.platform_roles (
  profile_id uuid not null references public.profiles (id) on delete cascade,
  role public.app_role not null,
  granted_at timestamptz not null default now(),
  granted_by uuid,
  primary key (profile_id, role),
  constraint platform_roles_platform_only check (role = 'support_desk')
);
comment on table public.platform_roles is
  'Platform-level roles (the Support Desk): not tied to an organisation. Granted by the platform operators with the service role or SQL; every change is audited.';

-- ---------------------------------------------------------------- auth.users → profiles

-- A new auth user (self-registration through sign-up, an invitation, or the
-- admin API) gets a profile. A registration may ask for access to one
-- organisation in its metadata: { "full_name": "…", "organisation_id": "<uuid>"
-- or "ods_code": "ZP1002", "roles": ["claim_submitter", …] }. A request that
-- names an unknown organisation or unsuitable roles is left out (the sign-up
-- itself never fails); it is recorded in the audit trail.
create function private.handle_new_auth_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  meta jsonb := coalesce(new.raw_user_meta_data, '{}'::jsonb);
  org public.organisations%rowtype;
  wanted public.app_role[];
  membership public.memberships%rowtype;
  problem text;
  person public.profiles%rowtype;
begin
  insert into public.profiles (id, email, full_name, status)
  values (
    new.id,
    case when new.email like '%_@_%' then new.email end,
    left(nullif(btrim(coalesce(meta ->> 'full_name', meta ->> 'name')), ''), 200),
    case when new.invited_at is not null then 'invited' else 'pending' end::public.account_status)
  returning * into person;

  if person.status = 'pending' and (meta ? 'organisation_id' or meta ? 'ods_code') then
    begin
      if meta ? 'organisation_id' then
        select * into org from public.organisations o where o.id = (meta ->> 'organisation_id')::uuid;
      else
        select * into org from public.organisations o where o.ods_code = upper(btrim(meta ->> 'ods_code'));
      end if;
      if org.id is null then
        problem := 'unknown organisation';
      else
        select coalesce(array_agg(distinct value::public.app_role), '{}') into wanted
        from jsonb_array_elements_text(case when jsonb_typeof(meta -> 'roles') = 'array' then meta -> 'roles' else '[]'::jsonb end);
        problem := private.membership_request_problem(org, wanted);
      end if;
    exception
      when invalid_text_representation then
        problem := 'malformed organisation or role';
    end;

    if problem is null then
      perform set_config('app.action', 'registration.submit', true);
      insert into public.memberships (profile_id, organisation_id, roles, status, requested_at)
      values (person.id, org.id, wanted, 'requested', now())
      returning * into membership;
      perform set_config('app.action', '', true);
    end if;
  end if;

  if person.status = 'pending' then
    perform private.write_audit('registration.submit', 'profile', person.id::text, membership.organisation_id, person.id,
      null, jsonb_build_object('profile', to_jsonb(person), 'membership', to_jsonb(membership),
        'request_ignored', problem), null);
    perform private.notify_deciders(coalesce(membership.organisation_id, null), coalesce(membership.roles, '{}'),
      'registration_waiting',
      format('Registration waiting: %s', coalesce(person.full_name, person.email)),
      format('%s (%s) registered%s and is waiting for approval.%s', coalesce(person.full_name, 'Someone'), person.email,
        case when org.id is not null and problem is null then format(' for %s (%s)', org.name, org.ods_code) else '' end,
        case when person.generic_mailbox then ' The address looks like a generic or shared mailbox: it cannot be approved.' else '' end),
      format('/registrations/%s', person.id));
  end if;
  return new;
end;
$$;

-- Which problem (if any) keeps a request for `wanted` roles at `org` from
-- being recorded: the text is used in error messages. Null = fine.
create function private.membership_request_problem(org public.organisations, wanted public.app_role[])
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  wrong public.app_role;
  side text := case when private.is_commissioner_type(org.type) then 'commissioner' else 'provider' end;
begin
  if wanted is null or cardinality(wanted) = 0 then
    return 'no roles asked for';
  end if;
  if 'support_desk' = any (wanted) then
    return 'support_desk is a platform role, not granted through an organisation';
  end if;
  select r into wrong from unnest(wanted) r where private.role_side(r) <> side limit 1;
  if wrong is not null then
    return format('%s is a %s role; %s (%s) is a %s organisation', wrong, private.role_side(wrong), org.ods_code, org.type,
      case when side = 'commissioner' then 'commissioning' else 'provider' end);
  end if;
  if wanted @> '{approver_tier_1,approver_tier_2}'::public.app_role[] then
    return 'segregation of duties: Approver Tier 1 and Approver Tier 2 cannot be held together at one organisation';
  end if;
  return null;
end;
$$;

create trigger tenancy_on_auth_user_created
  after insert on auth.users
  for each row execute function private.handle_new_auth_user();

-- Email changes follow auth.users; accepting an invitation (GoTrue confirms
-- the address) makes an invited account active.
create function private.handle_updated_auth_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  before_row public.profiles%rowtype;
  after_row public.profiles%rowtype;
begin
  if new.email is distinct from old.email then
    -- (A soft-deleted auth user's email is replaced by a hash: the profile
    -- then keeps no address.)
    perform set_config('app.action', 'profile.email_change', true);
    update public.profiles p set email = case when new.email like '%_@_%' then new.email end where p.id = new.id;
    perform set_config('app.action', '', true);
  end if;

  if old.email_confirmed_at is null and new.email_confirmed_at is not null then
    select * into before_row from public.profiles p where p.id = new.id for update;
    if before_row.status = 'invited' then
      perform set_config('app.action', 'invitation.accept', true);
      update public.profiles p
      set status = 'active', status_changed_at = now(), status_changed_by = new.id
      where p.id = new.id
      returning * into after_row;
      perform set_config('app.action', '', true);
      perform private.write_audit('invitation.accept', 'profile', new.id::text, null, new.id,
        to_jsonb(before_row), to_jsonb(after_row), null);
    end if;
  end if;
  return new;
end;
$$;

create trigger tenancy_on_auth_user_updated
  after update of email, email_confirmed_at on auth.users
  for each row execute function private.handle_updated_auth_user();

-- ---------------------------------------------------------------- RLS + privileges

alter table public.profiles enable row level security;
alter table public.memberships enable row level security;
alter table public.platform_roles enable row level security;

revoke all on public.profiles, public.memberships, public.platform_roles from anon, authenticated;
revoke all on function public.is_generic_mailbox(text) from public, anon;
grant execute on function public.is_generic_mailbox(text) to authenticated, service_role;
revoke all on function private.role_side(public.app_role), private.administrator_roles(), private.user_administrator_roles(),
  private.generic_mailbox_local_parts(), private.profiles_before_write(), private.memberships_before_write(),
  private.handle_new_auth_user(), private.membership_request_problem(public.organisations, public.app_role[]),
  private.handle_updated_auth_user()
  from public;
-- Pure helpers (no data access); public.is_generic_mailbox runs as its caller and reads the list.
grant execute on function private.role_side(public.app_role), private.administrator_roles(), private.user_administrator_roles(),
  private.generic_mailbox_local_parts()
  to authenticated, service_role;
