-- Tenancy core, part 6: the actions (RPC). Every change of an account status,
-- a membership status or roles, and every cluster change happens here, one
-- function per action. Each one:
--   1. requires a signed-in caller with an active account;
--   2. validates its input and checks the caller's role and the current state,
--      raising a specific error (SQLSTATE + message + hint) before changing
--      anything — a refused call changes nothing;
--   3. makes the change with the guard setting `app.action` set (the guard
--      triggers refuse status/role changes without it);
--   4. writes the audit trail and queues notifications.
--
-- Errors (PostgREST maps them to HTTP statuses):
--   42501 → 403  the caller may not do this (role, reach, own record)
--   22023 → 400  invalid input (missing reason, bad email, unknown role …)
--   23514 → 400  a rule would be broken (segregation of duties, generic
--                mailbox, organisation outside the commissioner's subtree)
--   23505 → 409  duplicate (cluster name)
--   PT404 → 404  no such record
--   PT409 → 409  wrong state (e.g. approving a registration that is not pending)

-- ---------------------------------------------------------------- plumbing

create function private.fail(p_code text, p_message text, p_hint text)
returns void
language plpgsql
set search_path = ''
as $$
begin
  raise exception using errcode = p_code, message = p_message, hint = p_hint;
end;
$$;

create function private.require_active_caller()
returns uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  me uuid := (select auth.uid());
  my_status public.account_status;
begin
  if me is null then
    perform private.fail('42501', 'Sign in to do this.', 'Actions need a signed-in user''s token, not the anon or service key.');
  end if;
  select p.status into my_status from public.profiles p where p.id = me;
  if my_status is distinct from 'active' then
    perform private.fail('42501', format('Your account is %s: only active accounts can do this.', coalesce(my_status::text, 'unknown')),
      'Ask the Support Desk if you think your account should be active.');
  end if;
  return me;
end;
$$;

create function private.begin_action(p_action text)
returns void
language sql
set search_path = ''
as $$
  select set_config('app.action', p_action, true);
$$;

create function private.end_action()
returns void
language sql
set search_path = ''
as $$
  select set_config('app.action', '', true);
$$;

create function private.organisation_label(p_organisation_id uuid)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select format('%s (%s)', o.name, o.ods_code) from public.organisations o where o.id = p_organisation_id
$$;

create function private.person_label(p_profile_id uuid)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(p.full_name, p.email, 'Unknown person') from public.profiles p where p.id = p_profile_id
$$;

create function private.roles_label(p_roles public.app_role[])
returns text
language sql
immutable
set search_path = ''
as $$
  select coalesce(string_agg(initcap(replace(r::text, '_', ' ')), ', ' order by r), 'no roles') from unnest(p_roles) r
$$;

-- Validate roles asked for at an organisation; raise the matching error.
create function private.check_roles_for(p_organisation public.organisations, p_roles public.app_role[])
returns void
language plpgsql
set search_path = ''
as $$
declare
  problem text;
begin
  if p_roles is null or cardinality(p_roles) = 0 or array_position(p_roles, null) is not null then
    perform private.fail('22023', 'Choose at least one role.', 'Roles are values of public.app_role, e.g. {claim_submitter}.');
  end if;
  problem := private.membership_request_problem(p_organisation, p_roles);
  if problem like 'segregation of duties%' then
    perform private.fail('23514', 'Segregation of duties: one person cannot be Approver Tier 1 and Approver Tier 2 at the same organisation.',
      'Give the person one of the two roles; another person must hold the other.');
  elsif problem is not null then
    perform private.fail('22023', format('Cannot ask for these roles: %s.', problem),
      'Commissioner roles are held at national, region, icb or sub_icb organisations; provider roles at pcn, practice or other_provider; Support Desk is a platform role.');
  end if;
end;
$$;

create function private.clean_reason(p_reason text, p_required boolean, p_what text)
returns text
language plpgsql
set search_path = ''
as $$
declare
  cleaned text := nullif(btrim(p_reason), '');
begin
  if cleaned is null and p_required then
    perform private.fail('22023', format('A reason is required to %s.', p_what), 'Say why, in at most 500 characters; the person will see it.');
  end if;
  if char_length(cleaned) > 500 then
    perform private.fail('22023', format('The reason is too long (%s characters; at most 500).', char_length(cleaned)), 'Shorten the reason.');
  end if;
  return cleaned;
end;
$$;

-- ---------------------------------------------------------------- registrations

create function public.approve_registration(p_profile_id uuid)
returns public.profiles
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  person public.profiles%rowtype;
  after_row public.profiles%rowtype;
  request public.memberships%rowtype;
  approved public.memberships%rowtype;
  requests_count integer := 0;
begin
  select * into person from public.profiles p where p.id = p_profile_id for update;
  if not found then
    perform private.fail('PT404', format('No registration with id %s.', p_profile_id), 'Check the id of the person who registered.');
  end if;
  if person.id = me then
    perform private.fail('42501', 'You cannot approve your own registration.', 'Another administrator or the Support Desk decides it.');
  end if;
  if person.status <> 'pending' then
    perform private.fail('PT409', format('This registration is %s, not pending: only pending registrations can be approved.', person.status),
      'Reload the list of registrations.');
  end if;

  for request in select * from public.memberships m where m.profile_id = person.id and m.status = 'requested' order by m.created_at for update loop
    requests_count := requests_count + 1;
    if not private.can_decide_request(request.organisation_id, request.roles) then
      perform private.fail('42501',
        format('You may not approve access to %s as %s.', private.organisation_label(request.organisation_id), private.roles_label(request.roles)),
        case when request.roles && private.administrator_roles()
          then 'Commissioner administrator accounts are approved by the Support Desk.'
          else 'User Administrators of a commissioner above the organisation (or the Provider Approver of a two-step practice) approve it.' end);
    end if;
  end loop;
  if requests_count = 0 and not private.is_support_desk() then
    perform private.fail('42501', 'Only the Support Desk can approve a registration that asks for no organisation.',
      'Ask the Support Desk, or ask the person to request access to their organisation.');
  end if;
  if person.generic_mailbox then
    perform private.fail('23514', format('%s is a generic or shared mailbox: accounts need a personal email address.', person.email),
      'Reject the registration (public.reject_registration) and ask the person to register with their own address.');
  end if;
  if person.full_name is null then
    perform private.fail('23514', 'The registration has no full name.', 'Reject it and ask the person to register with their full name.');
  end if;

  perform private.begin_action('registration.approve');
  update public.profiles p
  set status = 'active', status_changed_at = now(), status_changed_by = me
  where p.id = person.id
  returning * into after_row;
  for approved in
    update public.memberships m
    set status = 'active', decided_at = now(), decided_by = me, decision_reason = null
    where m.profile_id = person.id and m.status = 'requested'
    returning *
  loop
    perform private.write_audit('membership.approve', 'membership', approved.id::text, approved.organisation_id, person.id,
      jsonb_build_object('status', 'requested', 'roles', approved.roles), to_jsonb(approved), null);
  end loop;
  perform private.write_audit('registration.approve', 'profile', person.id::text, request.organisation_id, person.id,
    to_jsonb(person), to_jsonb(after_row), null);
  perform private.queue_notification(person.id, 'registration_approved', 'Your registration has been approved',
    format('Your account has been approved by %s. You can now sign in.', private.person_label(me)), '/');
  perform private.end_action();
  return after_row;
end;
$$;
comment on function public.approve_registration(uuid) is
  'Approve a pending self-registration and the access it asked for. Support Desk; or User Administrators reaching the organisation (Provider Approver in two-step practices); commissioner administrator accounts: Support Desk only. Generic mailboxes cannot be approved.';

create function public.reject_registration(p_profile_id uuid, p_reason text)
returns public.profiles
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  reason text := private.clean_reason(p_reason, true, 'reject a registration');
  person public.profiles%rowtype;
  after_row public.profiles%rowtype;
  request public.memberships%rowtype;
  rejected public.memberships%rowtype;
  requests_count integer := 0;
begin
  select * into person from public.profiles p where p.id = p_profile_id for update;
  if not found then
    perform private.fail('PT404', format('No registration with id %s.', p_profile_id), 'Check the id of the person who registered.');
  end if;
  if person.id = me then
    perform private.fail('42501', 'You cannot decide your own registration.', 'Another administrator or the Support Desk decides it.');
  end if;
  if person.status <> 'pending' then
    perform private.fail('PT409', format('This registration is %s, not pending: only pending registrations can be rejected.', person.status),
      'Reload the list of registrations.');
  end if;
  for request in select * from public.memberships m where m.profile_id = person.id and m.status = 'requested' order by m.created_at for update loop
    requests_count := requests_count + 1;
    if not private.can_decide_request(request.organisation_id, request.roles) then
      perform private.fail('42501',
        format('You may not decide access to %s as %s.', private.organisation_label(request.organisation_id), private.roles_label(request.roles)),
        case when request.roles && private.administrator_roles()
          then 'Commissioner administrator accounts are decided by the Support Desk.'
          else 'User Administrators of a commissioner above the organisation (or the Provider Approver of a two-step practice) decide it.' end);
    end if;
  end loop;
  if requests_count = 0 and not private.is_support_desk() then
    perform private.fail('42501', 'Only the Support Desk can reject a registration that asks for no organisation.', 'Ask the Support Desk.');
  end if;

  perform private.begin_action('registration.reject');
  update public.profiles p
  set status = 'rejected', rejection_reason = reason, status_changed_at = now(), status_changed_by = me
  where p.id = person.id
  returning * into after_row;
  for rejected in
    update public.memberships m
    set status = 'rejected', decided_at = now(), decided_by = me, decision_reason = reason
    where m.profile_id = person.id and m.status = 'requested'
    returning *
  loop
    perform private.write_audit('membership.reject', 'membership', rejected.id::text, rejected.organisation_id, person.id,
      jsonb_build_object('status', 'requested', 'roles', rejected.roles), to_jsonb(rejected), reason);
  end loop;
  perform private.write_audit('registration.reject', 'profile', person.id::text, request.organisation_id, person.id,
    to_jsonb(person), to_jsonb(after_row), reason);
  perform private.queue_notification(person.id, 'registration_rejected', 'Your registration has been rejected',
    format('Your registration was rejected. Reason: %s', reason), null);
  perform private.end_action();
  return after_row;
end;
$$;
comment on function public.reject_registration(uuid, text) is
  'Reject a pending self-registration (reason required, at most 500 characters). Same deciders as approve_registration.';

-- ---------------------------------------------------------------- access requests

create function public.request_access(p_organisation_id uuid, p_roles public.app_role[])
returns public.memberships
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  org public.organisations%rowtype;
  existing public.memberships%rowtype;
  result public.memberships%rowtype;
begin
  select * into org from public.organisations o where o.id = p_organisation_id;
  if not found then
    perform private.fail('PT404', format('No organisation with id %s.', p_organisation_id), 'Search the organisation directory for its id.');
  end if;
  perform private.check_roles_for(org, p_roles);

  select * into existing from public.memberships m where m.profile_id = me and m.organisation_id = org.id for update;
  if existing.status = 'active' then
    perform private.fail('PT409', format('You already have access to %s.', private.organisation_label(org.id)),
      'Ask a User Administrator to change your roles instead.');
  elsif existing.status = 'requested' then
    perform private.fail('PT409', format('You have already asked for access to %s.', private.organisation_label(org.id)),
      'Wait for the decision.');
  end if;

  perform private.begin_action('membership.request');
  if existing.id is null then
    insert into public.memberships (profile_id, organisation_id, roles, status, requested_at)
    values (me, org.id, p_roles, 'requested', now())
    returning * into result;
  else
    update public.memberships m
    set roles = p_roles, status = 'requested', requested_at = now(), decided_at = null, decided_by = null, decision_reason = null
    where m.id = existing.id
    returning * into result;
  end if;
  perform private.write_audit('membership.request', 'membership', result.id::text, org.id, me,
    case when existing.id is null then null else to_jsonb(existing) end, to_jsonb(result), null);
  perform private.notify_deciders(org.id, result.roles, 'access_request_waiting',
    format('Access request: %s for %s', private.person_label(me), org.name),
    format('%s asks for access to %s as %s.', private.person_label(me), private.organisation_label(org.id), private.roles_label(result.roles)),
    format('/access-requests/%s', result.id));
  perform private.end_action();
  return result;
end;
$$;
comment on function public.request_access(uuid, public.app_role[]) is
  'The caller (an active account) asks for access to another organisation with the given roles; the people who can decide it are notified.';

-- Shared checks of approve/reject access request; returns the locked membership.
create function private.lock_access_request(p_membership_id uuid, p_me uuid, p_verb text)
returns public.memberships
language plpgsql
security definer
set search_path = ''
as $$
declare
  request public.memberships%rowtype;
  person_status public.account_status;
begin
  select * into request from public.memberships m where m.id = p_membership_id for update;
  if not found then
    perform private.fail('PT404', format('No access request with id %s.', p_membership_id), 'Reload the list of access requests.');
  end if;
  if request.profile_id = p_me then
    perform private.fail('42501', format('You cannot %s your own access request.', p_verb), 'Another administrator decides it.');
  end if;
  if request.status <> 'requested' then
    perform private.fail('PT409', format('This access request is %s: only requested access can be %s.', request.status,
      case p_verb when 'approve' then 'approved' else 'rejected' end), 'Reload the list of access requests.');
  end if;
  select p.status into person_status from public.profiles p where p.id = request.profile_id for update;
  if person_status = 'pending' then
    perform private.fail('PT409', 'This request belongs to a pending registration.',
      format('Use public.%s_registration to decide the registration as a whole.', p_verb));
  elsif person_status <> 'active' then
    perform private.fail('PT409', format('The account that asked is %s.', person_status), 'Only requests of active accounts can be decided.');
  end if;
  if not private.can_decide_request(request.organisation_id, request.roles) then
    perform private.fail('42501',
      format('You may not %s access to %s as %s.', p_verb, private.organisation_label(request.organisation_id), private.roles_label(request.roles)),
      case when request.roles && private.administrator_roles()
        then 'Requests for commissioner administrator roles are decided by the Support Desk.'
        else 'User Administrators of a commissioner above the organisation (or the Provider Approver of a two-step practice) decide it.' end);
  end if;
  return request;
end;
$$;

create function public.approve_access_request(p_membership_id uuid)
returns public.memberships
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  request public.memberships := private.lock_access_request(p_membership_id, me, 'approve');
  result public.memberships%rowtype;
begin
  perform private.begin_action('membership.approve');
  update public.memberships m
  set status = 'active', decided_at = now(), decided_by = me, decision_reason = null
  where m.id = request.id
  returning * into result;
  perform private.write_audit('membership.approve', 'membership', result.id::text, result.organisation_id, result.profile_id,
    to_jsonb(request), to_jsonb(result), null);
  perform private.queue_notification(result.profile_id, 'access_request_approved',
    format('Access to %s approved', private.organisation_label(result.organisation_id)),
    format('%s approved your access to %s as %s.', private.person_label(me), private.organisation_label(result.organisation_id),
      private.roles_label(result.roles)), '/');
  perform private.end_action();
  return result;
end;
$$;
comment on function public.approve_access_request(uuid) is
  'Approve a requested membership of an active account. Support Desk; User Administrators reaching the organisation; in two-step practices also the Provider Approver; commissioner administrator roles: Support Desk only.';

create function public.reject_access_request(p_membership_id uuid, p_reason text)
returns public.memberships
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  reason text := private.clean_reason(p_reason, true, 'reject an access request');
  request public.memberships := private.lock_access_request(p_membership_id, me, 'reject');
  result public.memberships%rowtype;
begin
  perform private.begin_action('membership.reject');
  update public.memberships m
  set status = 'rejected', decided_at = now(), decided_by = me, decision_reason = reason
  where m.id = request.id
  returning * into result;
  perform private.write_audit('membership.reject', 'membership', result.id::text, result.organisation_id, result.profile_id,
    to_jsonb(request), to_jsonb(result), reason);
  perform private.queue_notification(result.profile_id, 'access_request_rejected',
    format('Access to %s rejected', private.organisation_label(result.organisation_id)),
    format('Your request for access to %s was rejected. Reason: %s', private.organisation_label(result.organisation_id), reason), null);
  perform private.end_action();
  return result;
end;
$$;
comment on function public.reject_access_request(uuid, text) is 'Reject a requested membership (reason required). Same deciders as approve_access_request.';

-- ---------------------------------------------------------------- invitations

create function public.invite_user(p_email text, p_full_name text, p_organisation_id uuid, p_roles public.app_role[])
returns public.memberships
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  v_email text := lower(btrim(p_email));
  v_full_name text := nullif(btrim(p_full_name), '');
  org public.organisations%rowtype;
  invitee public.profiles%rowtype;
  existing public.memberships%rowtype;
  result public.memberships%rowtype;
  new_user_id uuid;
begin
  if v_email is null or v_email !~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' or char_length(v_email) > 254 then
    perform private.fail('22023', format('%s is not an email address.', coalesce(p_email, 'null')), 'Give the person''s own work email address.');
  end if;
  if public.is_generic_mailbox(v_email) then
    perform private.fail('23514', format('%s is a generic or shared mailbox: accounts need a personal email address.', v_email),
      'Invite the person with their own address (docs/security-model.md lists the refused mailbox names).');
  end if;
  if v_full_name is null or char_length(v_full_name) > 200 then
    perform private.fail('22023', 'Give the person''s full name (at most 200 characters).', 'The name identifies the person in claims and the audit trail.');
  end if;
  select * into org from public.organisations o where o.id = p_organisation_id;
  if not found then
    perform private.fail('PT404', format('No organisation with id %s.', p_organisation_id), 'Search the organisation directory for its id.');
  end if;
  perform private.check_roles_for(org, p_roles);
  if not private.can_manage_membership(org.id, p_roles) then
    perform private.fail('42501', format('You may not invite people to %s as %s.', private.organisation_label(org.id), private.roles_label(p_roles)),
      case when private.is_commissioner_type(org.type) and p_roles && private.administrator_roles()
        then 'Commissioner administrators are invited by the Support Desk or an Advanced User Administrator.'
        else 'User Administrators of a commissioner above the organisation invite its people.' end);
  end if;

  select p.* into invitee
  from auth.users u join public.profiles p on p.id = u.id
  where lower(u.email) = v_email and not u.is_sso_user
  for update of p;
  if invitee.id = me then
    perform private.fail('42501', 'You cannot invite yourself.', 'Use public.request_access to ask for access to another organisation.');
  end if;
  if invitee.status = 'pending' then
    perform private.fail('PT409', format('%s has registered and is waiting for approval.', v_email), 'Decide the registration instead.');
  elsif invitee.status in ('rejected', 'disabled') then
    perform private.fail('PT409', format('The account of %s is %s.', v_email, invitee.status),
      'A disabled account must be enabled first (public.enable_account); a rejected one cannot be invited again.');
  end if;
  if invitee.id is not null then
    select * into existing from public.memberships m where m.profile_id = invitee.id and m.organisation_id = org.id for update;
    if existing.status in ('active', 'requested') then
      perform private.fail('PT409', format('%s already has or has asked for access to %s.', v_email, private.organisation_label(org.id)),
        case when existing.status = 'active' then 'Change their roles with public.assign_roles.' else 'Decide their access request instead.' end);
    end if;
  end if;

  perform private.begin_action('user.invite');
  if invitee.id is null then
    -- A new auth user, shaped as GoTrue's invite creates it; the profile
    -- (status invited) comes from the auth.users trigger. The invitation
    -- email is sent by an edge function from the outbox row queued below.
    new_user_id := gen_random_uuid();
    insert into auth.users (
      instance_id, id, aud, role, email, encrypted_password, invited_at,
      confirmation_token, recovery_token, email_change_token_new, email_change, email_change_token_current,
      reauthentication_token, phone_change, phone_change_token,
      raw_app_meta_data, raw_user_meta_data, created_at, updated_at, is_sso_user, is_anonymous)
    values (
      '00000000-0000-0000-0000-000000000000', new_user_id, 'authenticated', 'authenticated', v_email, '', now(),
      '', '', '', '', '', '', '', '',
      jsonb_build_object('provider', 'email', 'providers', jsonb_build_array('email')),
      jsonb_build_object('full_name', v_full_name), now(), now(), false, false);
    insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at)
    values (new_user_id::text, new_user_id,
      jsonb_build_object('sub', new_user_id::text, 'email', v_email, 'email_verified', false, 'phone_verified', false),
      'email', now(), now());
    select * into invitee from public.profiles p where p.id = new_user_id;
    perform private.write_audit('user.invite', 'profile', invitee.id::text, org.id, invitee.id, null, to_jsonb(invitee), null);
  end if;

  if existing.id is null then
    insert into public.memberships (profile_id, organisation_id, roles, status, invited_by, decided_at, decided_by)
    values (invitee.id, org.id, p_roles, 'active', me, now(), me)
    returning * into result;
  else
    update public.memberships m
    set roles = p_roles, status = 'active', invited_by = me, decided_at = now(), decided_by = me, decision_reason = null
    where m.id = existing.id
    returning * into result;
  end if;
  perform private.write_audit('membership.invite', 'membership', result.id::text, org.id, invitee.id,
    case when existing.id is null then null else to_jsonb(existing) end, to_jsonb(result), null);
  perform private.queue_notification(invitee.id, 'invitation',
    format('You have been invited to %s', org.name),
    format('%s invited you to %s as %s.%s', private.person_label(me), private.organisation_label(org.id), private.roles_label(p_roles),
      case when invitee.status = 'invited' then ' Accept the invitation within 14 days to set your password.' else '' end),
    '/');
  perform private.end_action();
  return result;
end;
$$;
comment on function public.invite_user(text, text, uuid, public.app_role[]) is
  'Invite a person (personal email, full name) to an organisation with roles. Creates the invited account when the email is new; queues the invitation (emailed by an edge function). User Administrators reaching the organisation; commissioner administrator roles: Support Desk or Advanced User Administrator.';

-- ---------------------------------------------------------------- membership lifecycle

create function private.lock_membership_to_manage(p_membership_id uuid, p_me uuid, p_verb text, p_status public.membership_status)
returns public.memberships
language plpgsql
security definer
set search_path = ''
as $$
declare
  target public.memberships%rowtype;
begin
  select * into target from public.memberships m where m.id = p_membership_id for update;
  if not found then
    perform private.fail('PT404', format('No membership with id %s.', p_membership_id), 'Reload the list of people.');
  end if;
  if target.profile_id = p_me then
    perform private.fail('42501', format('You cannot %s your own membership.', p_verb), 'Another administrator must do it.');
  end if;
  if target.status <> p_status then
    perform private.fail('PT409', format('This membership is %s: only a %s membership can be %s.', target.status, p_status,
      case p_verb when 'revoke' then 'revoked' when 'enable' then 'enabled' else 'changed' end), 'Reload the list of people.');
  end if;
  if not private.can_manage_membership(target.organisation_id, target.roles) then
    perform private.fail('42501', format('You may not %s memberships of %s with roles %s.', p_verb,
      private.organisation_label(target.organisation_id), private.roles_label(target.roles)),
      case when target.roles && private.administrator_roles()
        then 'Commissioner administrators are managed by the Support Desk or an Advanced User Administrator.'
        else 'User Administrators of a commissioner above the organisation manage its people.' end);
  end if;
  return target;
end;
$$;

create function public.revoke_membership(p_membership_id uuid, p_reason text default null)
returns public.memberships
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  reason text := private.clean_reason(p_reason, false, 'revoke access');
  target public.memberships := private.lock_membership_to_manage(p_membership_id, me, 'revoke', 'active');
  result public.memberships%rowtype;
begin
  perform private.begin_action('membership.revoke');
  update public.memberships m
  set status = 'revoked', decided_at = now(), decided_by = me, decision_reason = reason
  where m.id = target.id
  returning * into result;
  perform private.write_audit('membership.revoke', 'membership', result.id::text, result.organisation_id, result.profile_id,
    to_jsonb(target), to_jsonb(result), reason);
  perform private.queue_notification(result.profile_id, 'membership_revoked',
    format('Access to %s removed', private.organisation_label(result.organisation_id)),
    format('Your access to %s was removed by %s.%s', private.organisation_label(result.organisation_id), private.person_label(me),
      coalesce(' Reason: ' || reason, '')), null);
  perform private.end_action();
  return result;
end;
$$;
comment on function public.revoke_membership(uuid, text) is
  'Remove a person''s access to one organisation (the account stays usable). Takes effect on their next request.';

create function public.enable_membership(p_membership_id uuid)
returns public.memberships
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  target public.memberships := private.lock_membership_to_manage(p_membership_id, me, 'enable', 'revoked');
  result public.memberships%rowtype;
begin
  perform private.begin_action('membership.enable');
  update public.memberships m
  set status = 'active', decided_at = now(), decided_by = me, decision_reason = null
  where m.id = target.id
  returning * into result;
  perform private.write_audit('membership.enable', 'membership', result.id::text, result.organisation_id, result.profile_id,
    to_jsonb(target), to_jsonb(result), null);
  perform private.queue_notification(result.profile_id, 'membership_enabled',
    format('Access to %s restored', private.organisation_label(result.organisation_id)),
    format('Your access to %s was restored by %s.', private.organisation_label(result.organisation_id), private.person_label(me)), '/');
  perform private.end_action();
  return result;
end;
$$;
comment on function public.enable_membership(uuid) is 'Restore a revoked membership.';

create function public.assign_roles(p_membership_id uuid, p_roles public.app_role[])
returns public.memberships
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  target public.memberships := private.lock_membership_to_manage(p_membership_id, me, 'change the roles of', 'active');
  org public.organisations%rowtype;
  wanted public.app_role[];
  result public.memberships%rowtype;
begin
  select * into org from public.organisations o where o.id = target.organisation_id;
  perform private.check_roles_for(org, p_roles);
  wanted := array(select distinct r from unnest(p_roles) r order by r);
  if not private.can_manage_membership(org.id, wanted) then
    perform private.fail('42501', format('You may not grant %s at %s.', private.roles_label(wanted), private.organisation_label(org.id)),
      'Commissioner administrator roles are granted by the Support Desk or an Advanced User Administrator.');
  end if;
  if wanted = target.roles then
    return target; -- nothing to change, nothing to record
  end if;

  perform private.begin_action('membership.assign_roles');
  update public.memberships m set roles = wanted where m.id = target.id returning * into result;
  perform private.write_audit('membership.assign_roles', 'membership', result.id::text, result.organisation_id, result.profile_id,
    to_jsonb(target), to_jsonb(result), null);
  perform private.queue_notification(result.profile_id, 'roles_changed',
    format('Your roles at %s changed', org.name),
    format('%s changed your roles at %s to: %s.', private.person_label(me), private.organisation_label(org.id), private.roles_label(wanted)), '/');
  perform private.end_action();
  return result;
end;
$$;
comment on function public.assign_roles(uuid, public.app_role[]) is
  'Replace the roles of an active membership (segregation of duties and role sides enforced). Both the old and the new roles must be within the caller''s powers.';

-- ---------------------------------------------------------------- accounts

-- May the caller disable/enable this person's whole account? The Support Desk
-- may; a User Administrator only when every membership of the person is one
-- they manage (an account spanning other organisations is for the Support
-- Desk), and never a Support Desk account.
create function private.can_manage_account(p_profile_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select private.is_support_desk()
    or (
      not exists (select 1 from public.platform_roles r where r.profile_id = p_profile_id)
      and exists (select 1 from public.memberships m where m.profile_id = p_profile_id and m.status <> 'rejected')
      and not exists (
        select 1 from public.memberships m
        where m.profile_id = p_profile_id and m.status <> 'rejected'
          and not private.can_manage_membership(m.organisation_id, m.roles)))
$$;

create function private.lock_account_to_manage(p_profile_id uuid, p_me uuid, p_verb text)
returns public.profiles
language plpgsql
security definer
set search_path = ''
as $$
declare
  person public.profiles%rowtype;
begin
  select * into person from public.profiles p where p.id = p_profile_id for update;
  if not found then
    perform private.fail('PT404', format('No account with id %s.', p_profile_id), 'Reload the list of people.');
  end if;
  if person.id = p_me then
    perform private.fail('42501', format('You cannot %s your own account.', p_verb), 'Ask the Support Desk.');
  end if;
  if not private.can_manage_account(person.id) then
    perform private.fail('42501', format('You may not %s the account of %s.', p_verb, coalesce(person.full_name, person.email)),
      'User Administrators manage accounts whose every membership they administer; otherwise the Support Desk does.');
  end if;
  return person;
end;
$$;

create function public.disable_account(p_profile_id uuid, p_reason public.disable_reason, p_reason_text text default null)
returns public.profiles
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  reason_text text := nullif(btrim(p_reason_text), '');
  person public.profiles%rowtype;
  result public.profiles%rowtype;
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
  person := private.lock_account_to_manage(p_profile_id, me, 'disable');
  if person.status in ('disabled', 'rejected') then
    perform private.fail('PT409', format('The account is already %s.', person.status), 'Only pending, invited or active accounts can be disabled.');
  end if;

  perform private.begin_action('account.disable');
  update public.profiles p
  set status = 'disabled', status_before_disable = person.status, disable_reason = p_reason, disable_reason_text = reason_text,
      status_changed_at = now(), status_changed_by = me
  where p.id = person.id
  returning * into result;
  -- Sign-in is refused from now on (GoTrue refuses banned users, also on token refresh).
  update auth.users u set banned_until = now() + interval '100 years', updated_at = now() where u.id = person.id;
  perform private.write_audit('account.disable', 'profile', person.id::text, null, person.id, to_jsonb(person), to_jsonb(result),
    coalesce(reason_text, p_reason::text));
  perform private.queue_notification(person.id, 'account_disabled', 'Your account has been disabled',
    format('Your account was disabled (%s). Contact the Support Desk if this is a mistake.',
      coalesce(reason_text, replace(p_reason::text, '_', ' '))), null);
  perform private.end_action();
  return result;
end;
$$;
comment on function public.disable_account(uuid, public.disable_reason, text) is
  'Disable a whole account (reason from the list, or "other" with at most 250 characters): the person can no longer sign in (auth.users.banned_until) and reaches nothing; data is kept.';

create function public.enable_account(p_profile_id uuid)
returns public.profiles
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  person public.profiles := private.lock_account_to_manage(p_profile_id, me, 'enable');
  result public.profiles%rowtype;
begin
  if person.status <> 'disabled' then
    perform private.fail('PT409', format('The account is %s, not disabled.', person.status), 'Only disabled accounts can be enabled.');
  end if;
  perform private.begin_action('account.enable');
  update public.profiles p
  set status = person.status_before_disable, status_before_disable = null, disable_reason = null, disable_reason_text = null,
      status_changed_at = now(), status_changed_by = me
  where p.id = person.id
  returning * into result;
  update auth.users u set banned_until = null, updated_at = now() where u.id = person.id;
  perform private.write_audit('account.enable', 'profile', person.id::text, null, person.id, to_jsonb(person), to_jsonb(result), null);
  perform private.queue_notification(person.id, 'account_enabled', 'Your account has been enabled again',
    'Your account was enabled again. You can sign in.', '/');
  perform private.end_action();
  return result;
end;
$$;
comment on function public.enable_account(uuid) is 'Enable a disabled account: it returns to the status it had and may sign in again.';

-- ---------------------------------------------------------------- clusters

create function private.lock_cluster_to_manage(p_cluster_id uuid)
returns public.clusters
language plpgsql
security definer
set search_path = ''
as $$
declare
  cluster public.clusters%rowtype;
begin
  select * into cluster from public.clusters c where c.id = p_cluster_id for update;
  if not found then
    perform private.fail('PT404', format('No cluster with id %s.', p_cluster_id), 'Reload the list of clusters.');
  end if;
  if not private.has_role_over(cluster.commissioner_id, '{organisation_administrator}') then
    perform private.fail('42501', format('You may not change cluster %s.', cluster.short_name),
      format('Organisation Administrators of %s manage its clusters.', private.organisation_label(cluster.commissioner_id)));
  end if;
  return cluster;
end;
$$;

create function private.check_cluster_text(p_commissioner_id uuid, p_cluster_id uuid, p_name text, p_description text)
returns void
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if p_name is null or char_length(p_name) not between 3 and 100 then
    perform private.fail('22023', 'A cluster name has 3 to 100 characters.', 'Choose a descriptive name, e.g. "Riverside practices".');
  end if;
  if char_length(p_description) > 1000 then
    perform private.fail('22023', format('The description is too long (%s characters; at most 1000).', char_length(p_description)), 'Shorten it.');
  end if;
  if exists (
    select 1 from public.clusters c
    where c.commissioner_id = p_commissioner_id and lower(c.name) = lower(p_name) and c.id is distinct from p_cluster_id
  ) then
    perform private.fail('23505', format('%s already has a cluster named "%s".', private.organisation_label(p_commissioner_id), p_name),
      'Cluster names are unique within a commissioner (ignoring letter case).');
  end if;
end;
$$;

create function public.create_cluster(p_commissioner_id uuid, p_name text, p_description text default '')
returns public.clusters
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  v_name text := btrim(p_name);
  v_description text := coalesce(btrim(p_description), '');
  commissioner public.organisations%rowtype;
  result public.clusters%rowtype;
begin
  select * into commissioner from public.organisations o where o.id = p_commissioner_id;
  if not found then
    perform private.fail('PT404', format('No organisation with id %s.', p_commissioner_id), 'Choose the commissioner the cluster belongs to.');
  end if;
  if not private.is_commissioner_type(commissioner.type) then
    perform private.fail('22023', format('Clusters belong to commissioners; %s is a %s.', private.organisation_label(commissioner.id), commissioner.type),
      'Choose a national, region, icb or sub_icb organisation.');
  end if;
  if not private.has_role_over(commissioner.id, '{organisation_administrator}') then
    perform private.fail('42501', format('You may not create clusters for %s.', private.organisation_label(commissioner.id)),
      'Organisation Administrators of the commissioner manage its clusters.');
  end if;
  perform private.check_cluster_text(commissioner.id, null, v_name, v_description);

  perform private.begin_action('cluster.create');
  insert into public.clusters (commissioner_id, short_name, name, description, created_by, updated_by)
  values (commissioner.id, 'CL-' || commissioner.ods_code || '-000', v_name, v_description, me, me)
  returning * into result;
  perform private.write_audit('cluster.create', 'cluster', result.id::text, commissioner.id, null, null, to_jsonb(result), null);
  perform private.end_action();
  return result;
end;
$$;
comment on function public.create_cluster(uuid, text, text) is
  'Create a Service Provider Cluster under a commissioner (Organisation Administrator). The short name CL-<ODS>-NNN is made by the system. Nobody is affected yet, so nobody is notified.';

create function public.update_cluster(p_cluster_id uuid, p_name text, p_description text)
returns public.clusters
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  v_name text := btrim(p_name);
  v_description text := coalesce(btrim(p_description), '');
  cluster public.clusters := private.lock_cluster_to_manage(p_cluster_id);
  result public.clusters%rowtype;
begin
  perform private.check_cluster_text(cluster.commissioner_id, cluster.id, v_name, v_description);
  perform private.begin_action('cluster.update');
  update public.clusters c set name = v_name, description = v_description, updated_by = me
  where c.id = cluster.id
  returning * into result;
  perform private.write_audit('cluster.update', 'cluster', result.id::text, result.commissioner_id, null, to_jsonb(cluster), to_jsonb(result), null);
  perform private.end_action();
  return result;
end;
$$;
comment on function public.update_cluster(uuid, text, text) is 'Rename a cluster or change its description (the short name never changes).';

-- Tell the people assigned to a cluster that its organisations changed.
create function private.notify_cluster_members(p_cluster public.clusters, p_subject text, p_body text)
returns void
language sql
security definer
set search_path = ''
as $$
  insert into public.notifications (recipient_id, kind, subject, body, link)
  select distinct m.profile_id, 'cluster_changed'::public.notification_kind, left(p_subject, 200), left(p_body, 4000), '/'
  from public.cluster_assignments ca
  join public.memberships m on m.id = ca.membership_id
  where ca.cluster_id = p_cluster.id and m.status = 'active' and m.profile_id is distinct from (select auth.uid());
$$;

create function public.add_cluster_organisation(p_cluster_id uuid, p_organisation_id uuid)
returns public.cluster_organisations
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  cluster public.clusters := private.lock_cluster_to_manage(p_cluster_id);
  org public.organisations%rowtype;
  result public.cluster_organisations%rowtype;
begin
  select * into org from public.organisations o where o.id = p_organisation_id;
  if not found then
    perform private.fail('PT404', format('No organisation with id %s.', p_organisation_id), 'Search the organisation directory for its id.');
  end if;
  if not exists (
    select 1 from public.organisation_closure c
    where c.ancestor_id = cluster.commissioner_id and c.descendant_id = org.id and c.depth > 0
  ) then
    perform private.fail('23514', format('%s is not under %s, so it cannot join cluster %s.', private.organisation_label(org.id),
      private.organisation_label(cluster.commissioner_id), cluster.short_name), 'A cluster holds only organisations below its commissioner.');
  end if;
  if exists (select 1 from public.cluster_organisations co where co.cluster_id = cluster.id and co.organisation_id = org.id) then
    perform private.fail('PT409', format('%s is already in cluster %s.', private.organisation_label(org.id), cluster.short_name), 'Nothing to do.');
  end if;

  perform private.begin_action('cluster.add_organisation');
  insert into public.cluster_organisations (cluster_id, organisation_id, added_by)
  values (cluster.id, org.id, me)
  returning * into result;
  perform private.write_audit('cluster.add_organisation', 'cluster', cluster.id::text, cluster.commissioner_id, null,
    null, to_jsonb(result), null);
  perform private.notify_cluster_members(cluster, format('Cluster %s changed', cluster.short_name),
    format('%s was added to cluster %s (%s): you can now access it.', private.organisation_label(org.id), cluster.short_name, cluster.name));
  perform private.end_action();
  return result;
end;
$$;
comment on function public.add_cluster_organisation(uuid, uuid) is
  'Add an organisation below the cluster''s commissioner to the cluster; people assigned to the cluster are notified.';

create function public.remove_cluster_organisation(p_cluster_id uuid, p_organisation_id uuid)
returns public.cluster_organisations
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  cluster public.clusters := private.lock_cluster_to_manage(p_cluster_id);
  result public.cluster_organisations%rowtype;
begin
  perform private.begin_action('cluster.remove_organisation');
  delete from public.cluster_organisations co
  where co.cluster_id = cluster.id and co.organisation_id = p_organisation_id
  returning * into result;
  if result.cluster_id is null then
    perform private.fail('PT409', format('%s is not in cluster %s.', coalesce(private.organisation_label(p_organisation_id), p_organisation_id::text),
      cluster.short_name), 'Nothing to do.');
  end if;
  perform private.write_audit('cluster.remove_organisation', 'cluster', cluster.id::text, cluster.commissioner_id, null,
    to_jsonb(result), null, null);
  perform private.notify_cluster_members(cluster, format('Cluster %s changed', cluster.short_name),
    format('%s was removed from cluster %s (%s): you no longer access it through the cluster.',
      private.organisation_label(p_organisation_id), cluster.short_name, cluster.name));
  perform private.end_action();
  return result;
end;
$$;
comment on function public.remove_cluster_organisation(uuid, uuid) is 'Remove an organisation from a cluster; people assigned to the cluster are notified.';

create function private.lock_assignment_target(p_cluster_id uuid, p_membership_id uuid, p_me uuid, p_verb text)
returns public.memberships
language plpgsql
security definer
set search_path = ''
as $$
declare
  cluster public.clusters%rowtype;
  target public.memberships%rowtype;
begin
  select * into cluster from public.clusters c where c.id = p_cluster_id;
  if not found then
    perform private.fail('PT404', format('No cluster with id %s.', p_cluster_id), 'Reload the list of clusters.');
  end if;
  select * into target from public.memberships m where m.id = p_membership_id for update;
  if not found then
    perform private.fail('PT404', format('No membership with id %s.', p_membership_id), 'Reload the list of people.');
  end if;
  if target.profile_id = p_me then
    perform private.fail('42501', format('You cannot %s clusters on your own membership.', p_verb), 'Another administrator must do it.');
  end if;
  if not private.can_manage_membership(cluster.commissioner_id, target.roles) then
    perform private.fail('42501', format('You may not %s clusters of %s.', p_verb, private.organisation_label(cluster.commissioner_id)),
      'User Administrators of the commissioner assign its clusters.');
  end if;
  if target.organisation_id <> cluster.commissioner_id then
    perform private.fail('23514', format('Cluster %s belongs to %s; this membership is at %s.', cluster.short_name,
      private.organisation_label(cluster.commissioner_id), private.organisation_label(target.organisation_id)),
      'Assign clusters only to memberships of the cluster''s own commissioner.');
  end if;
  if target.status = 'rejected' then
    perform private.fail('PT409', 'This membership was rejected.', 'Only requested, active or revoked memberships can be restricted to clusters.');
  end if;
  return target;
end;
$$;

create function public.assign_cluster(p_cluster_id uuid, p_membership_id uuid)
returns public.cluster_assignments
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  target public.memberships := private.lock_assignment_target(p_cluster_id, p_membership_id, me, 'assign');
  cluster public.clusters%rowtype;
  result public.cluster_assignments%rowtype;
begin
  select * into cluster from public.clusters c where c.id = p_cluster_id;
  if exists (select 1 from public.cluster_assignments ca where ca.cluster_id = cluster.id and ca.membership_id = target.id) then
    perform private.fail('PT409', format('This membership is already assigned to cluster %s.', cluster.short_name), 'Nothing to do.');
  end if;
  perform private.begin_action('cluster.assign');
  insert into public.cluster_assignments (membership_id, cluster_id, assigned_by)
  values (target.id, cluster.id, me)
  returning * into result;
  perform private.write_audit('cluster.assign', 'membership', target.id::text, cluster.commissioner_id, target.profile_id,
    null, to_jsonb(result), null);
  perform private.queue_notification(target.profile_id, 'cluster_assigned', format('Assigned to cluster %s', cluster.short_name),
    format('Your access at %s is now limited to the organisations of cluster %s (%s) and any other clusters assigned to you.',
      private.organisation_label(cluster.commissioner_id), cluster.short_name, cluster.name), '/');
  perform private.end_action();
  return result;
end;
$$;
comment on function public.assign_cluster(uuid, uuid) is
  'Restrict a commissioner membership to a cluster (User Administrator). A membership with clusters reaches only their organisations and descendants.';

create function public.unassign_cluster(p_cluster_id uuid, p_membership_id uuid)
returns public.cluster_assignments
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  target public.memberships := private.lock_assignment_target(p_cluster_id, p_membership_id, me, 'unassign');
  cluster public.clusters%rowtype;
  result public.cluster_assignments%rowtype;
  remaining integer;
begin
  select * into cluster from public.clusters c where c.id = p_cluster_id;
  perform private.begin_action('cluster.unassign');
  delete from public.cluster_assignments ca
  where ca.cluster_id = cluster.id and ca.membership_id = target.id
  returning * into result;
  if result.cluster_id is null then
    perform private.fail('PT409', format('This membership is not assigned to cluster %s.', cluster.short_name), 'Nothing to do.');
  end if;
  select count(*) into remaining from public.cluster_assignments ca where ca.membership_id = target.id;
  perform private.write_audit('cluster.unassign', 'membership', target.id::text, cluster.commissioner_id, target.profile_id,
    to_jsonb(result), null, null);
  perform private.queue_notification(target.profile_id, 'cluster_unassigned', format('Removed from cluster %s', cluster.short_name),
    case when remaining = 0
      then format('You are no longer limited to cluster %s: your access covers all of %s.', cluster.short_name,
        private.organisation_label(cluster.commissioner_id))
      else format('Cluster %s was removed from your access.', cluster.short_name) end, '/');
  perform private.end_action();
  return result;
end;
$$;
comment on function public.unassign_cluster(uuid, uuid) is
  'Remove a cluster restriction from a commissioner membership. Removing the last one widens its reach to the whole commissioner subtree.';

-- ---------------------------------------------------------------- privileges

revoke all on function
  private.fail(text, text, text), private.require_active_caller(), private.begin_action(text), private.end_action(),
  private.organisation_label(uuid), private.person_label(uuid), private.roles_label(public.app_role[]),
  private.check_roles_for(public.organisations, public.app_role[]), private.clean_reason(text, boolean, text),
  private.lock_access_request(uuid, uuid, text), private.lock_membership_to_manage(uuid, uuid, text, public.membership_status),
  private.can_manage_account(uuid), private.lock_account_to_manage(uuid, uuid, text), private.lock_cluster_to_manage(uuid),
  private.check_cluster_text(uuid, uuid, text, text), private.notify_cluster_members(public.clusters, text, text),
  private.lock_assignment_target(uuid, uuid, uuid, text)
  from public;

-- The actions: signed-in people only (each checks roles itself). Supabase's
-- default privileges also granted them to anon: take that back.
revoke all on function
  public.approve_registration(uuid), public.reject_registration(uuid, text),
  public.request_access(uuid, public.app_role[]), public.approve_access_request(uuid), public.reject_access_request(uuid, text),
  public.invite_user(text, text, uuid, public.app_role[]),
  public.revoke_membership(uuid, text), public.enable_membership(uuid), public.assign_roles(uuid, public.app_role[]),
  public.disable_account(uuid, public.disable_reason, text), public.enable_account(uuid),
  public.create_cluster(uuid, text, text), public.update_cluster(uuid, text, text),
  public.add_cluster_organisation(uuid, uuid), public.remove_cluster_organisation(uuid, uuid),
  public.assign_cluster(uuid, uuid), public.unassign_cluster(uuid, uuid)
  from public, anon;
grant execute on function
  public.approve_registration(uuid), public.reject_registration(uuid, text),
  public.request_access(uuid, public.app_role[]), public.approve_access_request(uuid), public.reject_access_request(uuid, text),
  public.invite_user(text, text, uuid, public.app_role[]),
  public.revoke_membership(uuid, text), public.enable_membership(uuid), public.assign_roles(uuid, public.app_role[]),
  public.disable_account(uuid, public.disable_reason, text), public.enable_account(uuid),
  public.create_cluster(uuid, text, text), public.update_cluster(uuid, text, text),
  public.add_cluster_organisation(uuid, uuid), public.remove_cluster_organisation(uuid, uuid),
  public.assign_cluster(uuid, uuid), public.unassign_cluster(uuid, uuid)
  to authenticated;
