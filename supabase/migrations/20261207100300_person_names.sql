-- Issue 11: full names could be blanked or spoofed.
--
-- profiles_before_write turned an empty or all-space name into null, so a
-- person could blank their own name, and nothing refused names carrying
-- direction-changing characters (an RLO makes "Pat \u202EreciTcarP" display as
-- "Pat PracTicer"), zero-width characters or control characters. The rule
-- now lives in private.person_name_problem (null when the name is fine, else
-- the message naming the rule) and is enforced on every path:
--   * registration: private.handle_new_auth_user keeps a blank name blank, so
--     profiles_before_write refuses it (the sign-up fails); no name at all is
--     still recorded as none and cannot be approved;
--   * invitation: public.invite_user (23514, also for an existing account);
--   * the person's own update of full_name: profiles_before_write (23514),
--     null included.
-- A NOT VALID check constraint backs the trigger up for new writes without
-- judging rows written before (hosted data). src/lib/person-name.ts repeats
-- the rule for the browser's forms; tests/shared/person-name-cases.ts runs
-- the same cases through both.

create function private.person_name_problem(p_name text)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case
    when p_name is null or p_name ~ E'^[[:space:]\\u00A0\\u1680\\u2000-\\u200A\\u202F\\u205F\\u3000]*$'
      then 'A full name cannot be empty or only spaces.'
    when p_name ~ E'[\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069]'
      then 'A full name cannot contain characters that change the direction of text (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069).'
    when p_name ~ E'[\\u200B-\\u200D\\u2060\\uFEFF]'
      then 'A full name cannot contain invisible characters (U+200B–U+200D, U+2060, U+FEFF).'
    when p_name ~ E'[\\u0001-\\u001F\\u007F-\\u009F\\u2028\\u2029]'
      then 'A full name cannot contain control characters (line breaks, tabs and the like).'
    when char_length(btrim(p_name)) > 200
      then 'A full name has at most 200 characters.'
  end
$$;
comment on function private.person_name_problem(text) is
  'Null when p_name may be a person''s full name; otherwise the rule it breaks: empty or only spaces, direction-changing characters (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), invisible characters (U+200B–U+200D, U+2060, U+FEFF), control characters, more than 200 characters.';

create or replace function private.profiles_before_write()
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
  -- The full name (issue 11): never blanked, never spoofed. Checked when it is
  -- written; an unrelated update of an older row is left alone.
  new.full_name := btrim(new.full_name);
  if tg_op = 'INSERT' or new.full_name is distinct from old.full_name then
    if new.full_name is null then
      if tg_op = 'UPDATE' then
        raise exception using errcode = '23514', message = 'A full name cannot be empty or only spaces.',
          hint = 'Type the name as the person writes it.';
      end if;
    elsif private.person_name_problem(new.full_name) is not null then
      raise exception using errcode = '23514', message = private.person_name_problem(new.full_name),
        hint = 'Type the name as the person writes it, in plain letters: no hidden or direction-changing characters.';
    end if;
  end if;
  new.generic_mailbox := coalesce(public.is_generic_mailbox(new.email), false);
  return new;
end;
$$;


create or replace function private.handle_new_auth_user()
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
    -- A name given blank or spoofed is refused by profiles_before_write (the
    -- sign-up fails); no name at all is recorded as none (it cannot be approved).
    left(btrim(coalesce(meta ->> 'full_name', meta ->> 'name')), 200),
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


create or replace function public.invite_user(p_email text, p_full_name text, p_organisation_id uuid, p_roles public.app_role[])
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
  if private.person_name_problem(v_full_name) is not null then
    perform private.fail('23514', private.person_name_problem(v_full_name),
      'Type the name as the person writes it, in plain letters: no hidden or direction-changing characters.');
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


alter table public.profiles
  add constraint profiles_full_name_plain check (full_name is null or private.person_name_problem(full_name) is null) not valid;

revoke all on function private.person_name_problem(text) from public;
grant execute on function private.person_name_problem(text) to authenticated, service_role;
