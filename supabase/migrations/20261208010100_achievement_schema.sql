-- Issue 14 (national services), part 1: the tables of achievement, its
-- calculation, PCN network achievement and declarations, with their reach
-- helpers and row-level security. The actions that change them come in the
-- next migrations (20261208010200_achievement_entry.sql: entry, calculation,
-- recalculation, extracts, list sizes; 20261208010300_declarations.sql:
-- network achievement and the declaration machine).
--
-- Tables:
--   list_sizes                  a provider's registered list size from a date (data
--                               loaded by extract; the list size on a date is the row
--                               with the latest effective_from on or before it);
--   achievements                one per (provider, service, achievement date): who
--                               entered it (source), whether anything is submitted,
--                               its last calculation and any pending recalculation;
--   achievement_values          per indicator: the current (submitted) values and the
--                               New Values being entered (Save Work in Progress);
--   achievement_group_values    the same for an indicator group's own value, where the
--                               group asks for one (indicator_groups.group_value_label);
--   achievement_submissions     every Submit: its values, notes and resulting figures;
--   achievement_results         the calculation per indicator, with every input it used;
--   network_achievements        a PCN's network achievement for (service, date):
--                               aggregated from the practices that belonged to it on
--                               the date, submitted by its nominated people;
--   network_achievement_values  the aggregate per network indicator;
--   declarations                one per achievement on a payment date: the declaration
--                               machine (domain.md "Achievement and declarations").
-- Nobody writes these directly: authenticated has SELECT only, and a guard
-- trigger refuses any write outside the action functions (app.action set).

-- ---------------------------------------------------------------- types

create type public.achievement_source as enum ('manual', 'commissioner', 'extract');
comment on type public.achievement_source is
  'Who entered an achievement''s data: manual (the provider''s Achievement Entry), commissioner (the commissioner entered or amended it), extract (a system load).';

create type public.achievement_status as enum ('work_in_progress', 'submitted');
comment on type public.achievement_status is
  'work_in_progress: New Values saved, nothing submitted yet; submitted: data submitted (and calculated) at least once — New Values may still be pending.';

create type public.declaration_status as enum (
  'awaiting_network_achievement',
  'awaiting_provider_declaration',
  'awaiting_commissioner_approval',
  'awaiting_finance_approval',
  'approved_for_payment'
);
comment on type public.declaration_status is 'States of a payment declaration (domain.md "Achievement and declarations").';

create type public.network_achievement_status as enum ('not_submitted', 'submitted');

-- ---------------------------------------------------------------- catalogue additions

alter table public.quality_services add column reference_list_size integer;
alter table public.quality_services add constraint quality_services_reference_list_size check (
  reference_list_size is null or (kind = 'national' and reference_list_size > 0));
comment on column public.quality_services.reference_list_size is
  'National services: the list size a payment is set for; a provider''s payment is scaled by its list size on the achievement date ÷ this (null: no scaling).';

alter table public.indicators add column network boolean not null default false;
comment on column public.indicators.network is
  'A network (PCN) indicator: practices enter their own figures; each practice scores on its PCN''s aggregate (the practices in the PCN on the achievement date) once the PCN has submitted its network achievement.';

alter table public.indicator_groups add column group_value_label text;
alter table public.indicator_groups add constraint indicator_groups_group_value_label check (
  group_value_label is null or (group_value_label = btrim(group_value_label) and char_length(group_value_label) between 1 and 200));
comment on column public.indicator_groups.group_value_label is
  'When set, the group asks for one group-level value with this label (e.g. "Register size"), entered beside its indicators.';

-- ---------------------------------------------------------------- list sizes

create table public.list_sizes (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references public.organisations (id),
  effective_from date not null,
  list_size integer not null,
  loaded_at timestamptz not null default now(),
  constraint list_sizes_positive check (list_size > 0),
  constraint list_sizes_key unique (organisation_id, effective_from)
);
comment on table public.list_sizes is
  'A provider''s registered list size from effective_from until the next row. Loaded by extract (public.load_list_sizes, service role).';

-- ---------------------------------------------------------------- achievements

create table public.achievements (
  id uuid primary key default gen_random_uuid(),
  provider_id uuid not null references public.organisations (id),
  service_id uuid not null,
  achievement_date date not null,
  -- The service's commissioner (kept for policies and lists).
  commissioner_id uuid not null references public.organisations (id),
  source public.achievement_source not null default 'manual',
  status public.achievement_status not null default 'work_in_progress',
  -- Number of submissions so far (0 while only work in progress).
  version integer not null default 0,
  has_new_values boolean not null default false,
  submitted_at timestamptz,
  submitted_by uuid references public.profiles (id) on delete set null,
  -- Last calculation: total points and payment (pennies rounded once, here).
  points numeric(12, 4),
  payment numeric(12, 2),
  calculated_at timestamptz,
  -- Set when an input changed since the last calculation (values of the PCN's
  -- practices, list sizes, PCN history, the catalogue); the recalculation job
  -- clears it. Declaring waits while it is set.
  recalculation_requested_at timestamptz,
  recalculation_reason text,
  created_at timestamptz not null default now(),
  created_by uuid references public.profiles (id) on delete set null,
  updated_at timestamptz not null default now(),
  updated_by uuid references public.profiles (id) on delete set null,
  constraint achievements_date_fk foreign key (service_id, achievement_date)
    references public.achievement_dates (service_id, achievement_date) on update cascade,
  constraint achievements_key unique (provider_id, service_id, achievement_date),
  constraint achievements_submitted check ((status = 'submitted') = (version > 0) and (version = 0 or submitted_at is not null)),
  constraint achievements_calculated check ((calculated_at is null) = (payment is null) and (payment is null) = (points is null))
);
comment on table public.achievements is
  'A provider''s achievement for one national service and achievement date. Changes only through the achievement actions.';

create index achievements_service_date_idx on public.achievements (service_id, achievement_date);
create index achievements_commissioner_idx on public.achievements (commissioner_id, service_id, achievement_date);
create index achievements_recalculation_idx on public.achievements (recalculation_requested_at)
  where recalculation_requested_at is not null;

create table public.achievement_values (
  achievement_id uuid not null references public.achievements (id) on delete cascade,
  indicator_id uuid not null references public.indicators (id) on delete cascade,
  -- Current: the values last submitted (null: never submitted).
  numerator integer,
  denominator integer,
  count integer,
  submitted boolean not null default false,
  -- New Values being entered (Save Work in Progress), applied by Submit.
  new_numerator integer,
  new_denominator integer,
  new_count integer,
  has_new boolean not null default false,
  updated_at timestamptz not null default now(),
  primary key (achievement_id, indicator_id),
  constraint achievement_values_non_negative check (
    coalesce(numerator, 0) >= 0 and coalesce(denominator, 0) >= 0 and coalesce(count, 0) >= 0
    and coalesce(new_numerator, 0) >= 0 and coalesce(new_denominator, 0) >= 0 and coalesce(new_count, 0) >= 0),
  constraint achievement_values_fraction check (
    (numerator is null or denominator is null or numerator <= denominator)
    and (new_numerator is null or new_denominator is null or new_numerator <= new_denominator))
);
comment on table public.achievement_values is
  'Per indicator of an achievement: numerator and denominator (percentage indicators) or count (per-unit indicators); current = last submitted, new_* = work in progress.';
create index achievement_values_indicator_idx on public.achievement_values (indicator_id);

create table public.achievement_group_values (
  achievement_id uuid not null references public.achievements (id) on delete cascade,
  group_id uuid not null references public.indicator_groups (id) on delete cascade,
  value integer,
  submitted boolean not null default false,
  new_value integer,
  has_new boolean not null default false,
  updated_at timestamptz not null default now(),
  primary key (achievement_id, group_id),
  constraint achievement_group_values_non_negative check (coalesce(value, 0) >= 0 and coalesce(new_value, 0) >= 0)
);
comment on table public.achievement_group_values is 'An indicator group''s own value on an achievement (where the group has a group_value_label).';
create index achievement_group_values_group_idx on public.achievement_group_values (group_id);

create table public.achievement_submissions (
  id uuid primary key default gen_random_uuid(),
  achievement_id uuid not null references public.achievements (id) on delete cascade,
  version integer not null,
  source public.achievement_source not null,
  submitted_at timestamptz not null default now(),
  submitted_by uuid references public.profiles (id) on delete set null,
  notes text,
  -- The values as submitted: {"indicators": {code: {numerator, denominator, count}}, "groups": {code: value}}.
  submitted_values jsonb not null,
  points numeric(12, 4),
  payment numeric(12, 2),
  constraint achievement_submissions_key unique (achievement_id, version),
  constraint achievement_submissions_notes_length check (notes is null or char_length(notes) <= 2000)
);
comment on table public.achievement_submissions is
  'Every submission of an achievement, with its notes (visible to later reviewers and submitters) and the figures it produced.';

create table public.achievement_results (
  achievement_id uuid not null references public.achievements (id) on delete cascade,
  indicator_id uuid not null references public.indicators (id) on delete cascade,
  -- Inputs, as used.
  payment_basis public.indicator_payment_basis not null,
  network boolean not null,
  numerator integer,
  denominator integer,
  count integer,
  -- For network indicators: the PCN and its aggregate the practice scored on.
  pcn_id uuid references public.organisations (id),
  lower_threshold numeric(5, 2),
  upper_threshold numeric(5, 2),
  max_points numeric(8, 2) not null,
  payment_rate numeric(12, 2) not null,
  list_size integer,
  reference_list_size integer,
  list_size_adjustment numeric not null,
  -- Outputs: exact (unrounded); the achievement's payment is their sum rounded once.
  percentage numeric,
  points numeric not null,
  payment_exact numeric not null,
  -- A network indicator waiting for the PCN's network achievement scores nothing yet.
  awaiting_network boolean not null default false,
  calculated_at timestamptz not null default now(),
  primary key (achievement_id, indicator_id)
);
comment on table public.achievement_results is
  'The calculation of one indicator of an achievement with every input it came from (values, thresholds, rates, list sizes); payment_exact is not rounded.';
create index achievement_results_indicator_idx on public.achievement_results (indicator_id);

-- ---------------------------------------------------------------- PCN network achievement

create table public.network_achievements (
  id uuid primary key default gen_random_uuid(),
  pcn_id uuid not null references public.organisations (id),
  service_id uuid not null,
  achievement_date date not null,
  commissioner_id uuid not null references public.organisations (id),
  status public.network_achievement_status not null default 'not_submitted',
  -- Practices in the PCN on the date, and how many of them submitted data.
  member_practices integer not null default 0,
  reporting_practices integer not null default 0,
  submitted_at timestamptz,
  submitted_by uuid references public.profiles (id) on delete set null,
  notes text,
  calculated_at timestamptz,
  recalculation_requested_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint network_achievements_date_fk foreign key (service_id, achievement_date)
    references public.achievement_dates (service_id, achievement_date) on update cascade,
  constraint network_achievements_key unique (pcn_id, service_id, achievement_date),
  constraint network_achievements_submitted check ((status = 'submitted') = (submitted_at is not null)),
  constraint network_achievements_notes_length check (notes is null or char_length(notes) <= 2000)
);
comment on table public.network_achievements is
  'A PCN''s network achievement for a service and achievement date: the aggregate of the practices that belonged to it on that date. Submitted by the PCN''s nominated people (Declaration Management at the PCN).';
create index network_achievements_service_date_idx on public.network_achievements (service_id, achievement_date);
create index network_achievements_commissioner_idx on public.network_achievements (commissioner_id, service_id, achievement_date);
create index network_achievements_recalculation_idx on public.network_achievements (recalculation_requested_at)
  where recalculation_requested_at is not null;

create table public.network_achievement_values (
  network_achievement_id uuid not null references public.network_achievements (id) on delete cascade,
  indicator_id uuid not null references public.indicators (id) on delete cascade,
  numerator integer,
  denominator integer,
  count integer,
  reporting_practices integer not null default 0,
  percentage numeric,
  points numeric,
  primary key (network_achievement_id, indicator_id)
);
comment on table public.network_achievement_values is 'A PCN''s aggregate per network indicator (sums over its practices on the date) and the points it scores.';
create index network_achievement_values_indicator_idx on public.network_achievement_values (indicator_id);

-- ---------------------------------------------------------------- declarations

create table public.declarations (
  id uuid primary key default gen_random_uuid(),
  achievement_id uuid not null unique references public.achievements (id) on delete cascade,
  provider_id uuid not null references public.organisations (id),
  service_id uuid not null references public.quality_services (id),
  achievement_date date not null,
  commissioner_id uuid not null references public.organisations (id),
  status public.declaration_status not null,
  -- The figures being declared (the achievement's calculation when it entered its status).
  points numeric(12, 4),
  payment numeric(12, 2),
  declared_at timestamptz,
  declared_by uuid references public.profiles (id) on delete set null,
  commissioner_approved_at timestamptz,
  commissioner_approved_by uuid references public.profiles (id) on delete set null,
  finance_approved_at timestamptz,
  finance_approved_by uuid references public.profiles (id) on delete set null,
  -- Why it was last sent back (a recalculation changed its figures).
  sent_back_at timestamptz,
  sent_back_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint declarations_approved check ((status = 'approved_for_payment') = (finance_approved_at is not null))
);
comment on table public.declarations is
  'The payment declaration of an achievement on a payment date. Changes only through the declaration actions.';
create index declarations_provider_idx on public.declarations (provider_id, service_id, achievement_date);
create index declarations_commissioner_status_idx on public.declarations (commissioner_id, status, provider_id);
create index declarations_status_idx on public.declarations (status);

-- ---------------------------------------------------------------- write guard

create function private.achievement_write_guard()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if coalesce(current_setting('app.action', true), '') = '' then
    perform private.fail('42501', format('%s change only through the portal''s achievement and declaration actions.', initcap(replace(tg_table_name, '_', ' '))),
      'Use public.save_achievement_values, submit_achievement, submit_network_achievement, declare_achievements, approve_declarations or finance_approve_declarations.');
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;
  if tg_op = 'UPDATE' and tg_table_name in ('achievements', 'network_achievements', 'declarations') then
    new.updated_at := now();
  end if;
  return new;
end;
$$;

create trigger list_sizes_write_guard before insert or update or delete on public.list_sizes
  for each row execute function private.achievement_write_guard();
create trigger achievements_write_guard before insert or update or delete on public.achievements
  for each row execute function private.achievement_write_guard();
create trigger achievement_values_write_guard before insert or update or delete on public.achievement_values
  for each row execute function private.achievement_write_guard();
create trigger achievement_group_values_write_guard before insert or update or delete on public.achievement_group_values
  for each row execute function private.achievement_write_guard();
create trigger achievement_submissions_write_guard before insert or update or delete on public.achievement_submissions
  for each row execute function private.achievement_write_guard();
create trigger achievement_results_write_guard before insert or update or delete on public.achievement_results
  for each row execute function private.achievement_write_guard();
create trigger network_achievements_write_guard before insert or update or delete on public.network_achievements
  for each row execute function private.achievement_write_guard();
create trigger network_achievement_values_write_guard before insert or update or delete on public.network_achievement_values
  for each row execute function private.achievement_write_guard();
create trigger declarations_write_guard before insert or update or delete on public.declarations
  for each row execute function private.achievement_write_guard();

-- ---------------------------------------------------------------- reach helpers

-- Providers whose achievement (values, without money) the caller reads.
create function private.achievement_provider_organisations()
returns setof uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return query select private.organisations_with_role('{achievement_entry,declaration_management,supervisor,view,finance_view}');
end;
$$;

-- Providers whose achievement money (results, declarations) the caller reads:
-- as above without View (domain.md: View reads achievement without money).
create function private.achievement_money_provider_organisations()
returns setof uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return query select private.organisations_with_role('{achievement_entry,declaration_management,supervisor,finance_view}');
end;
$$;

-- Providers whose achievement and declarations the commissioner's people
-- reach (clusters respected).
create function private.achievement_commissioner_organisations()
returns setof uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return query select private.organisations_with_role('{commissioning_management,approval_management,finance_management}');
end;
$$;

-- ---------------------------------------------------------------- RLS and privileges

alter table public.list_sizes enable row level security;
alter table public.achievements enable row level security;
alter table public.achievement_values enable row level security;
alter table public.achievement_group_values enable row level security;
alter table public.achievement_submissions enable row level security;
alter table public.achievement_results enable row level security;
alter table public.network_achievements enable row level security;
alter table public.network_achievement_values enable row level security;
alter table public.declarations enable row level security;

create policy "List sizes are read by those reaching the organisation" on public.list_sizes for select to authenticated
  using (organisation_id = any (array(select private.reachable_organisations())));

create policy "Achievement is read by the provider's people and the commissioners reaching it"
  on public.achievements for select to authenticated
  using (
    provider_id = any (array(select private.achievement_provider_organisations()))
    or provider_id = any (array(select private.achievement_commissioner_organisations())));

create policy "Achievement values are read with their achievement" on public.achievement_values for select to authenticated
  using (exists (select 1 from public.achievements a where a.id = achievement_id));
create policy "Group values are read with their achievement" on public.achievement_group_values for select to authenticated
  using (exists (select 1 from public.achievements a where a.id = achievement_id));
create policy "Submissions are read with their achievement" on public.achievement_submissions for select to authenticated
  using (exists (select 1 from public.achievements a where a.id = achievement_id));

create policy "Results (money) are read by the provider's people other than View, and the commissioners reaching it"
  on public.achievement_results for select to authenticated
  using (exists (
    select 1 from public.achievements a
    where a.id = achievement_id
      and (a.provider_id = any (array(select private.achievement_money_provider_organisations()))
           or a.provider_id = any (array(select private.achievement_commissioner_organisations())))));

create policy "Network achievement is read by the PCN's people and the commissioners reaching it"
  on public.network_achievements for select to authenticated
  using (
    pcn_id = any (array(select private.achievement_provider_organisations()))
    or pcn_id = any (array(select private.achievement_commissioner_organisations())));
create policy "Network values are read with their network achievement" on public.network_achievement_values for select to authenticated
  using (exists (select 1 from public.network_achievements n where n.id = network_achievement_id));

create policy "Declarations are read by the provider's people other than View, and the commissioners reaching it"
  on public.declarations for select to authenticated
  using (
    provider_id = any (array(select private.achievement_money_provider_organisations()))
    or provider_id = any (array(select private.achievement_commissioner_organisations())));

revoke all on public.list_sizes, public.achievements, public.achievement_values, public.achievement_group_values,
  public.achievement_submissions, public.achievement_results, public.network_achievements, public.network_achievement_values,
  public.declarations
  from anon, authenticated;
grant select on public.list_sizes, public.achievements, public.achievement_values, public.achievement_group_values,
  public.achievement_submissions, public.achievement_results, public.network_achievements, public.network_achievement_values,
  public.declarations
  to authenticated;

revoke all on function private.achievement_write_guard(), private.achievement_provider_organisations(),
  private.achievement_money_provider_organisations(), private.achievement_commissioner_organisations()
  from public;
grant execute on function private.achievement_provider_organisations(), private.achievement_money_provider_organisations(),
  private.achievement_commissioner_organisations()
  to authenticated;
