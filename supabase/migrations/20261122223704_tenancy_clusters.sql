-- Tenancy core, part 4: Service Provider Clusters.
--
-- A cluster is a named group of organisations under one commissioner, with a
-- system-made short name `CL-<commissioner ODS>-NNN` that never changes, a
-- name unique within the commissioner and a description. Its organisations
-- must lie in the commissioner's subtree. Commissioner memberships assigned to
-- one or more clusters reach only the clustered organisations and their
-- descendants (see private.reachable_organisations).
--
-- Writes go through the action functions (create_cluster, update_cluster,
-- add_cluster_organisation, remove_cluster_organisation, assign_cluster,
-- unassign_cluster); the rules below hold for every writer.

create table public.clusters (
  id uuid primary key default gen_random_uuid(),
  commissioner_id uuid not null references public.organisations (id),
  short_name text not null,
  name text not null,
  description text not null default '',
  created_at timestamptz not null default now(),
  created_by uuid,
  updated_at timestamptz not null default now(),
  updated_by uuid,
  constraint clusters_short_name_key unique (short_name),
  constraint clusters_short_name_format check (short_name ~ '^CL-[A-Z0-9]{3,10}-[0-9]{3,}$'),
  constraint clusters_name_length check (name = btrim(name) and char_length(name) between 3 and 100),
  constraint clusters_description_length check (char_length(description) <= 1000)
);
comment on table public.clusters is
  'Service Provider Clusters: named groups of organisations under a commissioner. short_name (CL-<ODS>-NNN) is made by the system and immutable.';

-- Name unique within the commissioner, whatever the letter case.
create unique index clusters_name_per_commissioner_key on public.clusters (commissioner_id, lower(name));

-- The last number handed out per commissioner (numbers are never reused).
create table private.cluster_counters (
  commissioner_id uuid primary key references public.organisations (id) on delete cascade,
  last_number integer not null
);

create function private.clusters_before_write()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  commissioner public.organisations%rowtype;
  next_number integer;
begin
  if tg_op = 'UPDATE' then
    if new.short_name is distinct from old.short_name then
      raise exception using errcode = '42501',
        message = format('The short name of cluster %s cannot be changed.', old.short_name),
        hint = 'Short names are made by the system; change the name or description instead.';
    end if;
    if new.commissioner_id is distinct from old.commissioner_id then
      raise exception using errcode = '42501',
        message = format('Cluster %s cannot move to another commissioner.', old.short_name),
        hint = 'Create a new cluster under the other commissioner.';
    end if;
    new.updated_at := now();
    return new;
  end if;

  select * into commissioner from public.organisations o where o.id = new.commissioner_id;
  if found and not private.is_commissioner_type(commissioner.type) then
    raise exception using errcode = '23514',
      message = format('Clusters belong to a commissioning organisation; %s is a %s.', commissioner.ods_code, commissioner.type),
      hint = 'Choose a national, region, icb or sub_icb organisation.';
  end if;
  -- Always system-made, whatever the writer supplied.
  insert into private.cluster_counters as counter (commissioner_id, last_number)
  values (new.commissioner_id, 1)
  on conflict (commissioner_id) do update set last_number = counter.last_number + 1
  returning last_number into next_number;
  new.short_name := format('CL-%s-%s', commissioner.ods_code, lpad(next_number::text, greatest(3, char_length(next_number::text)), '0'));
  return new;
end;
$$;

create trigger clusters_before_write
  before insert or update on public.clusters
  for each row execute function private.clusters_before_write();

-- ---------------------------------------------------------------- cluster organisations

create table public.cluster_organisations (
  cluster_id uuid not null references public.clusters (id) on delete cascade,
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  added_at timestamptz not null default now(),
  added_by uuid,
  primary key (cluster_id, organisation_id)
);
comment on table public.cluster_organisations is 'The organisations of a cluster; each lies below the cluster''s commissioner.';
create index cluster_organisations_organisation_idx on public.cluster_organisations (organisation_id);

create function private.cluster_organisations_check()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  cluster public.clusters%rowtype;
  commissioner public.organisations%rowtype;
  member public.organisations%rowtype;
begin
  select * into cluster from public.clusters c where c.id = new.cluster_id;
  select * into commissioner from public.organisations o where o.id = cluster.commissioner_id;
  select * into member from public.organisations o where o.id = new.organisation_id;
  if cluster.id is null or member.id is null then
    return new; -- the foreign keys report it
  end if;
  if not exists (
    select 1 from public.organisation_closure c
    where c.ancestor_id = cluster.commissioner_id and c.descendant_id = new.organisation_id and c.depth > 0
  ) then
    raise exception using errcode = '23514',
      message = format('%s (%s) is not under %s (%s), so it cannot join cluster %s.',
        member.name, member.ods_code, commissioner.name, commissioner.ods_code, cluster.short_name),
      hint = 'A cluster holds only organisations below its commissioner.';
  end if;
  return new;
end;
$$;

create trigger cluster_organisations_check
  before insert or update on public.cluster_organisations
  for each row execute function private.cluster_organisations_check();

-- Re-parenting an organisation must not carry a clustered organisation out of
-- its cluster's commissioner subtree. Checked at commit, after the closure
-- table has followed the move.
create function private.organisations_keep_clusters_consistent()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  stray record;
begin
  select c.short_name, o.ods_code into stray
  from public.organisation_closure moved
  join public.cluster_organisations co on co.organisation_id = moved.descendant_id
  join public.clusters c on c.id = co.cluster_id
  join public.organisations o on o.id = co.organisation_id
  where moved.ancestor_id = new.id
    and not exists (
      select 1 from public.organisation_closure k
      where k.ancestor_id = c.commissioner_id and k.descendant_id = co.organisation_id and k.depth > 0)
  limit 1;
  if found then
    raise exception using errcode = '23514',
      message = format('Moving this organisation would take %s out of the subtree of cluster %s''s commissioner.', stray.ods_code, stray.short_name),
      hint = 'Remove the organisation from the cluster first (public.remove_cluster_organisation).';
  end if;
  return null;
end;
$$;

create constraint trigger organisations_keep_clusters_consistent
  after update of parent_id on public.organisations
  deferrable initially deferred
  for each row execute function private.organisations_keep_clusters_consistent();

-- ---------------------------------------------------------------- cluster assignments

create table public.cluster_assignments (
  membership_id uuid not null references public.memberships (id) on delete cascade,
  cluster_id uuid not null references public.clusters (id) on delete cascade,
  assigned_at timestamptz not null default now(),
  assigned_by uuid,
  primary key (membership_id, cluster_id)
);
comment on table public.cluster_assignments is
  'Restricts a commissioner membership to clusters: with at least one assignment it reaches only the clustered organisations and their descendants.';
create index cluster_assignments_cluster_idx on public.cluster_assignments (cluster_id);

create function private.cluster_assignments_check()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  cluster public.clusters%rowtype;
  membership public.memberships%rowtype;
begin
  select * into cluster from public.clusters c where c.id = new.cluster_id;
  select * into membership from public.memberships m where m.id = new.membership_id;
  if cluster.id is null or membership.id is null then
    return new; -- the foreign keys report it
  end if;
  if membership.organisation_id <> cluster.commissioner_id then
    raise exception using errcode = '23514',
      message = format('Cluster %s belongs to another commissioner than this membership''s organisation.', cluster.short_name),
      hint = 'Assign clusters only to memberships of the cluster''s own commissioner.';
  end if;
  return new;
end;
$$;

create trigger cluster_assignments_check
  before insert or update on public.cluster_assignments
  for each row execute function private.cluster_assignments_check();

-- A membership cannot move to another organisation while it has clusters: the
-- memberships guard already refuses organisation changes outside the actions,
-- and no action moves memberships.

alter table public.clusters enable row level security;
alter table public.cluster_organisations enable row level security;
alter table public.cluster_assignments enable row level security;

revoke all on public.clusters, public.cluster_organisations, public.cluster_assignments from anon, authenticated;
revoke all on private.cluster_counters from public;
revoke all on function private.clusters_before_write(), private.cluster_organisations_check(),
  private.organisations_keep_clusters_consistent(), private.cluster_assignments_check()
  from public;
