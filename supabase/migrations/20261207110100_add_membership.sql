-- Issue 11: "Add organisation" (the CQRS job aid's words). A User
-- Administrator adds a person they can see to another organisation within
-- their reach, with roles, as an active membership. This is also how a PCN
-- nominated person is made: a practice person added to the PCN with
-- Declaration Management.
--
-- public.add_membership(person, organisation, roles):
--   * caller: an active account that may grant these roles at the
--     organisation (private.can_manage_membership: User Administrators
--     reaching it; commissioner administrator roles need the Support Desk or
--     an Advanced User Administrator), never for themselves;
--   * the person: one the caller may see (visible_people), with an active or
--     invited account (a disabled, pending or rejected account is refused);
--   * roles: side of the organisation, segregation of duties
--     (private.check_roles_for);
--   * an existing membership is refused: active (edit its roles), requested
--     (decide the request), revoked (enable it instead); a rejected request
--     is replaced;
--   * audited (membership.add); the person is told (membership_added).

alter type public.notification_kind add value if not exists 'membership_added';

create function public.add_membership(p_profile_id uuid, p_organisation_id uuid, p_roles public.app_role[])
returns public.memberships
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  person public.profiles%rowtype;
  org public.organisations%rowtype;
  wanted public.app_role[];
  existing public.memberships%rowtype;
  result public.memberships%rowtype;
begin
  select * into person from public.profiles p
  where p.id = p_profile_id and p.id in (select private.visible_people())
  for update;
  if not found then
    perform private.fail('PT404', format('No person with id %s.', p_profile_id), 'Reload the list of people.');
  end if;
  if person.id = me then
    perform private.fail('42501', 'You cannot add an organisation to your own account.',
      'Request access from your profile page; another administrator decides it.');
  end if;
  select * into org from public.organisations o where o.id = p_organisation_id;
  if not found then
    perform private.fail('PT404', format('No organisation with id %s.', p_organisation_id), 'Search the organisation directory for its id.');
  end if;
  if person.status = 'disabled' then
    perform private.fail('PT409', format('The account of %s is disabled.', private.person_label(person.id)),
      'Enable the account first, then add the organisation.');
  elsif person.status = 'pending' then
    perform private.fail('PT409', format('%s has registered and is waiting for approval.', private.person_label(person.id)),
      'Decide the registration first.');
  elsif person.status = 'rejected' then
    perform private.fail('PT409', format('The registration of %s was rejected.', private.person_label(person.id)),
      'A rejected account cannot be given access; the person may register again.');
  end if;
  perform private.check_roles_for(org, p_roles);
  wanted := array(select distinct r from unnest(p_roles) r order by r);
  if not private.can_manage_membership(org.id, wanted) then
    perform private.fail('42501', format('You may not add people to %s as %s.', private.organisation_label(org.id), private.roles_label(wanted)),
      case when private.is_commissioner_type(org.type) and wanted && private.administrator_roles()
        then 'Commissioner administrators are added by the Support Desk or an Advanced User Administrator.'
        else 'User Administrators of a commissioner above the organisation add its people.' end);
  end if;

  select * into existing from public.memberships m where m.profile_id = person.id and m.organisation_id = org.id for update;
  if existing.status = 'active' then
    perform private.fail('PT409', format('%s already has access to %s.', private.person_label(person.id), private.organisation_label(org.id)),
      'Use "Edit roles" on that membership to change the roles.');
  elsif existing.status = 'requested' then
    perform private.fail('PT409', format('%s has asked for access to %s.', private.person_label(person.id), private.organisation_label(org.id)),
      'Approve or reject the access request instead.');
  elsif existing.status = 'revoked' then
    perform private.fail('PT409', format('The access of %s to %s was revoked.', private.person_label(person.id), private.organisation_label(org.id)),
      'Use "Enable" on that membership instead, then change its roles if needed.');
  end if;

  perform private.begin_action('membership.add');
  if existing.id is null then
    insert into public.memberships (profile_id, organisation_id, roles, status, invited_by, decided_at, decided_by)
    values (person.id, org.id, wanted, 'active', me, now(), me)
    returning * into result;
  else
    -- A rejected request: the row is reused (one membership per person and organisation).
    update public.memberships m
    set roles = wanted, status = 'active', invited_by = me, decided_at = now(), decided_by = me, decision_reason = null
    where m.id = existing.id
    returning * into result;
  end if;
  perform private.write_audit('membership.add', 'membership', result.id::text, org.id, person.id,
    case when existing.id is null then null else to_jsonb(existing) end, to_jsonb(result), null);
  perform private.queue_notification(person.id, 'membership_added',
    format('You have been added to %s', org.name),
    format('%s added you to %s as %s.', private.person_label(me), private.organisation_label(org.id), private.roles_label(wanted)),
    '/');
  perform private.end_action();
  return result;
end;
$$;
comment on function public.add_membership(uuid, uuid, public.app_role[]) is
  'Add organisation: give a person the caller can see an active membership of another organisation with roles. Same powers as invite_user; refuses disabled, pending and rejected accounts, and existing memberships (active: edit roles; requested: decide; revoked: enable). Audited (membership.add); the person is told.';

revoke all on function public.add_membership(uuid, uuid, public.app_role[]) from public, anon;
grant execute on function public.add_membership(uuid, uuid, public.app_role[]) to authenticated;
