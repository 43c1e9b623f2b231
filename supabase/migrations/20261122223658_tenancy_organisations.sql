-- Tenancy core, part 1: the organisation tree.
--
--   * `private` schema: helpers and trigger functions the REST API never
--     exposes (config.toml exposes only public and graphql_public).
--   * organisations: ODS code required, type fixed once created, allowed
--     parent types per type, no cycles, a parent for everything but the
--     national body.
--   * organisation_closure: every (ancestor, descendant, depth) pair, kept by
--     triggers on insert and re-parent (delete cascades), so "the subtree of
--     X" and "the ancestors of Y" are single index lookups at national scale.
--   * commissioner_settings / practice_settings: per-organisation settings.
--   * pcn_memberships: practice ↔ PCN over time, never two PCNs on one day.
--
-- RLS is enabled on every new table here; its policies arrive with the access
-- helpers (…_tenancy_access_policies.sql). Until then nothing is readable.

create extension if not exists btree_gist with schema extensions;
create extension if not exists pg_trgm with schema extensions;

-- ---------------------------------------------------------------- private schema

create schema if not exists private;
comment on schema private is
  'Access helpers, trigger functions and action implementations. Never exposed over the API; API roles may only execute the few helpers that policies call.';
revoke all on schema private from public;
-- Policies run as the caller, so the caller needs USAGE to reach the helpers
-- they call. EXECUTE is granted per function, never schema-wide.
grant usage on schema private to authenticated, service_role;

-- ---------------------------------------------------------------- organisation types

create function private.is_commissioner_type(t public.organisation_type)
returns boolean
language sql
immutable
parallel safe
set search_path = ''
as $$
  select t in ('national', 'region', 'icb', 'sub_icb')
$$;
comment on function private.is_commissioner_type(public.organisation_type) is
  'Commissioning organisations: national, region, ICB, sub-ICB location.';

create function private.allowed_parent_types(t public.organisation_type)
returns public.organisation_type[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case t
    when 'national'       then '{}'::public.organisation_type[]
    when 'region'         then '{national}'::public.organisation_type[]
    when 'icb'            then '{region}'::public.organisation_type[]
    when 'sub_icb'        then '{icb}'::public.organisation_type[]
    when 'pcn'            then '{icb,sub_icb}'::public.organisation_type[]
    when 'practice'       then '{icb,sub_icb}'::public.organisation_type[]
    when 'other_provider' then '{national,region,icb,sub_icb}'::public.organisation_type[]
  end
$$;
comment on function private.allowed_parent_types(public.organisation_type) is
  'Which organisation types may be the parent of an organisation of this type (domain.md: a practice sits under an ICB or sub-ICB, a PCN under an ICB or sub-ICB, an ICB under a region, a region under the national body).';

-- ---------------------------------------------------------------- organisations

alter table public.organisations alter column ods_code set not null;

-- Organisation search on the public registration page: by code (unique index)
-- and by part of the name (trigram index, serves ilike '%…%').
create index organisations_name_trgm_idx on public.organisations using gin (name extensions.gin_trgm_ops);
create index organisations_type_idx on public.organisations (type);

-- The type of an organisation never changes: a different kind of body is a
-- different ODS record. (Settings, role sides and PCN links depend on it.)
create function private.organisations_type_is_fixed()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.type is distinct from old.type then
    raise exception using
      errcode = '23514',
      message = format('The type of organisation %s cannot change (from %s to %s).', old.ods_code, old.type, new.type),
      hint = 'Create a new organisation with the new type and move its children instead.';
  end if;
  return new;
end;
$$;

create trigger organisations_type_is_fixed
  before update of type on public.organisations
  for each row execute function private.organisations_type_is_fixed();

-- Parent type rule, checked when the statement ends (a statement may insert
-- children before their parents).
create function private.organisations_check_parent_type()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  parent_type public.organisation_type;
  parent_code text;
begin
  if new.parent_id is null then
    return null;
  end if;
  select o.type, o.ods_code into parent_type, parent_code from public.organisations o where o.id = new.parent_id;
  if parent_type is null then
    return null; -- the foreign key reports a missing parent
  end if;
  if not parent_type = any (private.allowed_parent_types(new.type)) then
    raise exception using
      errcode = '23514',
      message = format('A %s cannot sit under a %s (%s under %s).', new.type, parent_type, new.ods_code, parent_code),
      hint = case when cardinality(private.allowed_parent_types(new.type)) = 0
        then format('A %s has no parent.', new.type)
        else format('The parent of a %s must be one of: %s.', new.type, array_to_string(private.allowed_parent_types(new.type), ', '))
      end;
  end if;
  return null;
end;
$$;

create constraint trigger organisations_parent_type
  after insert or update of parent_id on public.organisations
  for each row execute function private.organisations_check_parent_type();

-- Everything but the national body has a parent. Checked at commit, so a
-- transaction may insert a subtree in any order.
create function private.organisations_require_parent()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  current_row public.organisations%rowtype;
begin
  select * into current_row from public.organisations o where o.id = new.id;
  if found and current_row.parent_id is null and current_row.type <> 'national' then
    raise exception using
      errcode = '23514',
      message = format('Organisation %s (%s) has no parent.', current_row.ods_code, current_row.type),
      hint = format('The parent of a %s must be one of: %s.', current_row.type,
        array_to_string(private.allowed_parent_types(current_row.type), ', '));
  end if;
  return null;
end;
$$;

create constraint trigger organisations_parent_required
  after insert or update of parent_id on public.organisations
  deferrable initially deferred
  for each row execute function private.organisations_require_parent();

-- ---------------------------------------------------------------- closure table

create table public.organisation_closure (
  ancestor_id uuid not null references public.organisations (id) on delete cascade,
  descendant_id uuid not null references public.organisations (id) on delete cascade,
  depth smallint not null,
  primary key (ancestor_id, descendant_id),
  constraint organisation_closure_depth check (depth >= 0 and (depth = 0) = (ancestor_id = descendant_id))
);
comment on table public.organisation_closure is
  'Every ancestor/descendant pair of the organisation tree, itself included at depth 0. Maintained by triggers on public.organisations; never written directly.';
-- (ancestor_id, descendant_id) is the primary key: "subtree of X".
-- This one answers "ancestors of Y".
create index organisation_closure_descendant_idx on public.organisation_closure (descendant_id, ancestor_id) include (depth);

alter table public.organisation_closure enable row level security;

-- The chain of ancestors of an organisation as the organisations table has it
-- now (parent_id links), refusing cycles. Returns (ancestor, depth ≥ 1).
create function private.organisation_chain(p_id uuid)
returns table (ancestor_id uuid, depth integer)
language plpgsql
stable
set search_path = ''
as $$
declare
  current_id uuid;
  code text;
  hops integer := 0;
begin
  select o.parent_id, o.ods_code into current_id, code from public.organisations o where o.id = p_id;
  while current_id is not null loop
    hops := hops + 1;
    if current_id = p_id or hops > 64 then
      raise exception using
        errcode = '23514',
        message = format('Moving %s there would make it its own ancestor (a cycle in the organisation tree).', code),
        hint = 'Choose a parent outside the subtree of the organisation being moved.';
    end if;
    ancestor_id := current_id;
    depth := hops;
    return next;
    select o.parent_id into current_id from public.organisations o where o.id = ancestor_id;
  end loop;
end;
$$;

create function private.organisations_maintain_closure()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    insert into public.organisation_closure (ancestor_id, descendant_id, depth)
    select new.id, new.id, 0
    union all
    select chain.ancestor_id, new.id, chain.depth from private.organisation_chain(new.id) chain;
    return null;
  end if;

  -- UPDATE OF parent_id: re-link the whole subtree under the new ancestors.
  if new.parent_id is not distinct from old.parent_id then
    return null;
  end if;
  delete from public.organisation_closure c
  where c.descendant_id in (select s.descendant_id from public.organisation_closure s where s.ancestor_id = new.id)
    and c.ancestor_id not in (select s.descendant_id from public.organisation_closure s where s.ancestor_id = new.id);

  insert into public.organisation_closure (ancestor_id, descendant_id, depth)
  select chain.ancestor_id, s.descendant_id, chain.depth + s.depth
  from private.organisation_chain(new.id) chain
  cross join public.organisation_closure s
  where s.ancestor_id = new.id;
  return null;
end;
$$;

create trigger organisations_maintain_closure
  after insert or update of parent_id on public.organisations
  for each row execute function private.organisations_maintain_closure();

-- Organisations that exist before this migration (the seed runs after it on
-- a fresh database; this covers a database that already holds rows).
insert into public.organisation_closure (ancestor_id, descendant_id, depth)
select o.id, o.id, 0 from public.organisations o
union all
select chain.ancestor_id, o.id, chain.depth from public.organisations o cross join lateral private.organisation_chain(o.id) chain;

-- ---------------------------------------------------------------- settings

create type public.claim_submission_mode as enum ('multi_service', 'single_service');
comment on type public.claim_submission_mode is
  'How a commissioner''s providers submit local claims: one claim for all services (multi_service) or one claim per service (single_service).';

create type public.practice_approval_mode as enum ('one_step', 'two_step');
comment on type public.practice_approval_mode is
  'one_step: the practice''s claims and access requests go straight to the commissioner; two_step ("multi-level"): the practice''s Provider Approver approves first.';

create table public.commissioner_settings (
  organisation_id uuid primary key references public.organisations (id) on delete cascade,
  claim_submission public.claim_submission_mode not null default 'multi_service',
  -- Risk bands by claim value: low below medium_risk_from, medium from it up to
  -- high_risk_from (exclusive), high from high_risk_from (goes through Finance).
  medium_risk_from numeric(12, 2) not null default 15000.00,
  high_risk_from numeric(12, 2) not null default 50000.00,
  updated_at timestamptz not null default now(),
  updated_by uuid,
  constraint commissioner_settings_risk_bands check (medium_risk_from > 0 and high_risk_from > medium_risk_from)
);
comment on table public.commissioner_settings is
  'Settings of a commissioning organisation (national, region, ICB, sub-ICB): claim submission mode and claim risk-band thresholds in pounds.';
comment on column public.commissioner_settings.medium_risk_from is 'Claims of this value (£) and above are medium risk. Default £15,000.';
comment on column public.commissioner_settings.high_risk_from is 'Claims of this value (£) and above are high risk and also need Finance approval. Default £50,000.';

create table public.practice_settings (
  organisation_id uuid primary key references public.organisations (id) on delete cascade,
  approval_mode public.practice_approval_mode not null default 'one_step',
  updated_at timestamptz not null default now(),
  updated_by uuid
);
comment on table public.practice_settings is 'Settings of a GP practice: one-step or two-step approval of its claims and access requests.';

-- A settings row belongs to an organisation of the matching kind.
create function private.settings_check_organisation_type()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  org_type public.organisation_type;
begin
  select o.type into org_type from public.organisations o where o.id = new.organisation_id;
  if tg_table_name = 'commissioner_settings' and not private.is_commissioner_type(org_type) then
    raise exception using errcode = '23514',
      message = format('Commissioner settings belong to a commissioning organisation, not a %s.', org_type),
      hint = 'Commissioning organisations are national, region, icb and sub_icb.';
  elsif tg_table_name = 'practice_settings' and org_type is distinct from 'practice' then
    raise exception using errcode = '23514',
      message = format('Practice settings belong to a practice, not a %s.', org_type),
      hint = 'Only GP practices choose one-step or two-step approval.';
  end if;
  return new;
end;
$$;

create trigger commissioner_settings_organisation_type
  before insert or update of organisation_id on public.commissioner_settings
  for each row execute function private.settings_check_organisation_type();
create trigger practice_settings_organisation_type
  before insert or update of organisation_id on public.practice_settings
  for each row execute function private.settings_check_organisation_type();

-- Every commissioner and practice gets its settings row (with the defaults).
create function private.organisations_create_settings()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if private.is_commissioner_type(new.type) then
    insert into public.commissioner_settings (organisation_id) values (new.id) on conflict do nothing;
  elsif new.type = 'practice' then
    insert into public.practice_settings (organisation_id) values (new.id) on conflict do nothing;
  end if;
  return null;
end;
$$;

create trigger organisations_create_settings
  after insert on public.organisations
  for each row execute function private.organisations_create_settings();

insert into public.commissioner_settings (organisation_id)
select o.id from public.organisations o where private.is_commissioner_type(o.type);
insert into public.practice_settings (organisation_id)
select o.id from public.organisations o where o.type = 'practice';

-- Settings edits record who and when (the audit trail records what).
create function private.settings_stamp_update()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  new.updated_at := now();
  new.updated_by := (select auth.uid());
  return new;
end;
$$;

create trigger commissioner_settings_stamp
  before update on public.commissioner_settings
  for each row execute function private.settings_stamp_update();
create trigger practice_settings_stamp
  before update on public.practice_settings
  for each row execute function private.settings_stamp_update();

alter table public.commissioner_settings enable row level security;
alter table public.practice_settings enable row level security;

-- ---------------------------------------------------------------- PCN memberships

create table public.pcn_memberships (
  id uuid primary key default gen_random_uuid(),
  practice_id uuid not null references public.organisations (id),
  pcn_id uuid not null references public.organisations (id),
  valid_from date not null,
  -- Last day in the PCN, inclusive; null while current.
  valid_to date,
  -- (A backwards row is refused by pcn_memberships_dates, not by daterange().)
  during daterange generated always as (
    daterange(valid_from, case when valid_to < valid_from then valid_from else valid_to end, '[]')) stored,
  created_at timestamptz not null default now(),
  constraint pcn_memberships_dates check (valid_to is null or valid_to >= valid_from),
  -- A practice belongs to at most one PCN on any day.
  constraint pcn_memberships_one_pcn_a_day exclude using gist (practice_id with =, during with &&)
);
comment on table public.pcn_memberships is
  'Which PCN a practice belonged to, and when (valid_from to valid_to inclusive; valid_to null = current). History is kept: a move ends one row and starts another.';

create index pcn_memberships_practice_idx on public.pcn_memberships (practice_id, valid_from);
create index pcn_memberships_pcn_idx on public.pcn_memberships (pcn_id, valid_from);

create function private.pcn_memberships_check_types()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  practice_type public.organisation_type;
  pcn_type public.organisation_type;
begin
  select o.type into practice_type from public.organisations o where o.id = new.practice_id;
  select o.type into pcn_type from public.organisations o where o.id = new.pcn_id;
  if practice_type is distinct from 'practice' then
    raise exception using errcode = '23514',
      message = format('Only a practice can be a member of a PCN, not a %s.', practice_type),
      hint = 'practice_id must name an organisation of type practice.';
  end if;
  if pcn_type is distinct from 'pcn' then
    raise exception using errcode = '23514',
      message = format('A practice can only join a PCN, not a %s.', pcn_type),
      hint = 'pcn_id must name an organisation of type pcn.';
  end if;
  return new;
end;
$$;

create trigger pcn_memberships_check_types
  before insert or update of practice_id, pcn_id on public.pcn_memberships
  for each row execute function private.pcn_memberships_check_types();

alter table public.pcn_memberships enable row level security;

-- ---------------------------------------------------------------- privileges
-- public.organisations (first migration) kept Supabase's default grants; RLS
-- lets the API roles read it and filters every write away. Take back what no
-- API role needs at all. (Its INSERT/UPDATE/DELETE privileges stay for now: the
-- directory's tests pin RLS as the wall that refuses them.)
revoke references, trigger on public.organisations from anon, authenticated;
do $$
begin
  if current_setting('server_version_num')::integer >= 170000 then
    execute 'revoke maintain on public.organisations from anon, authenticated';
  end if;
end;
$$;

-- Supabase's default privileges grant everything on new public tables to anon
-- and authenticated. Take it all back; the policies migration grants exactly
-- what each role needs.

revoke all on public.organisation_closure, public.commissioner_settings, public.practice_settings, public.pcn_memberships
  from anon, authenticated;
revoke all on function private.is_commissioner_type(public.organisation_type), private.allowed_parent_types(public.organisation_type),
  private.organisations_type_is_fixed(), private.organisations_check_parent_type(), private.organisations_require_parent(),
  private.organisation_chain(uuid), private.organisations_maintain_closure(), private.settings_check_organisation_type(),
  private.organisations_create_settings(), private.settings_stamp_update(), private.pcn_memberships_check_types()
  from public;
-- Pure helpers (no data access) that policies and other functions may call.
grant execute on function private.is_commissioner_type(public.organisation_type), private.allowed_parent_types(public.organisation_type)
  to authenticated, service_role;
