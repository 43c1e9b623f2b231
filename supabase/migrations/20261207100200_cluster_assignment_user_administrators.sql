-- Issue 11: the Support Desk could assign and unassign clusters.
--
-- private.lock_assignment_target asked private.can_manage_membership, which
-- lets the Support Desk manage every membership. Unassigning a cluster widens
-- a cluster reviewer's reach to the whole commissioner, and only the
-- commissioner's User Administrators (User Administrator, Advanced User
-- Administrator; administrator roles: Advanced User Administrator only) may do
-- that (docs/security-model.md). The Support Desk keeps its other powers.

create function private.can_assign_clusters(p_commissioner_id uuid, p_roles public.app_role[])
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select case
    when p_roles && private.administrator_roles()
      then private.has_role_over(p_commissioner_id, '{advanced_user_administrator}')
    else private.has_role_over(p_commissioner_id, private.user_administrator_roles())
  end
$$;
comment on function private.can_assign_clusters(uuid, public.app_role[]) is
  'The caller may assign clusters of p_commissioner_id to a membership holding p_roles: a User Administrator (administrator roles: an Advanced User Administrator) reaching the commissioner. Not the Support Desk.';

create or replace function private.lock_assignment_target(p_cluster_id uuid, p_membership_id uuid, p_me uuid, p_verb text)
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
  if not private.can_assign_clusters(cluster.commissioner_id, target.roles) then
    perform private.fail('42501', format('You may not %s clusters of %s.', p_verb, private.organisation_label(cluster.commissioner_id)),
      'User Administrators (User Administrator, Advanced User Administrator) of the commissioner assign its clusters.');
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

revoke all on function private.can_assign_clusters(uuid, public.app_role[]) from public;

comment on function public.assign_cluster(uuid, uuid) is
  'Restrict a commissioner membership to a cluster: User Administrators of the commissioner (not the Support Desk). A membership with clusters reaches only their organisations and descendants.';
comment on function public.unassign_cluster(uuid, uuid) is
  'Remove a cluster restriction from a commissioner membership: User Administrators of the commissioner (not the Support Desk). Removing the last one widens its reach to the whole commissioner subtree.';
