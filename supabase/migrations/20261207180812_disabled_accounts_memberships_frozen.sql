-- The user page hides Edit roles, Revoke and Enable on the memberships of a
-- disabled account ("Account disabled"), but the actions behind them still
-- accepted such a membership. The database now holds the rule too: the
-- memberships of a disabled account are left as they were until the account is
-- enabled (as add_membership already says: "Enable the account first").
-- Everything else is as in …_tenancy_actions.sql.

create or replace function private.lock_membership_to_manage(p_membership_id uuid, p_me uuid, p_verb text, p_status public.membership_status)
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
  if exists (select 1 from public.profiles p where p.id = target.profile_id and p.status = 'disabled') then
    perform private.fail('PT409', format('The account of %s is disabled: its memberships stay as they are.', private.person_label(target.profile_id)),
      'Enable the account first, then change its memberships.');
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
