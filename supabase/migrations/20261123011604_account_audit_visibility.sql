-- Account-level audit entries (account.disable, account.enable, …) concern a
-- person, not an organisation (organisation_id is null), so the audit policy
-- showed them only to the Support Desk and the person: the User Administrator
-- who disabled an account could not see it in that person's history. They may
-- now read account-level entries about the people they administer (anyone with
-- a membership, of any status, at an organisation they manage). Entries about
-- that person's memberships elsewhere stay hidden: those carry the other
-- organisation's id.

create function private.managed_people()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select distinct m.profile_id
  from public.memberships m
  where m.organisation_id = any (array(select private.managed_organisations()))
$$;
comment on function private.managed_people() is
  'People with a membership (any status) at an organisation the caller administers (private.managed_organisations()).';

revoke all on function private.managed_people() from public;
grant execute on function private.managed_people() to authenticated;

drop policy "The Support Desk, User Administrators and the person concerned read audit entries" on public.audit_log;
create policy "The Support Desk, User Administrators and the person concerned read audit entries"
  on public.audit_log for select to authenticated
  using (
    subject_profile_id = any (array(select private.own_or_all_people()))
    or organisation_id = any (array(select private.managed_organisations()))
    or (organisation_id is null and subject_profile_id = any (array(select private.managed_people()))));
