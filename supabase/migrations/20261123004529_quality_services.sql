-- Quality services and participation (issue 6): the catalogue a commissioner
-- defines (local services: components, supplementary questions, claim
-- windows; national services: indicator groups, indicators, achievement
-- dates), offers to providers with their state machine, per-offer tariffs and
-- allocated reports.
--
-- Writes:
--   * the catalogue is edited directly through the API (RLS-guarded insert,
--     update, delete) by Commissioning Management of the owning commissioner
--     (or an ancestor). It holds configuration only (prices, texts, dates):
--     no status and no computed money. Triggers keep the rules (kinds, dates
--     inside the service's, evidence file types), stamp who changed it and
--     write the audit trail.
--   * offers and allocated reports change only through the actions below
--     (offer_service, accept_offer, reject_offer, withdraw_offers,
--     cancel_offers, set_allocated_reports); a guard trigger refuses any other
--     write (app.action unset), for every role, table owner included.
--
-- Reach for the catalogue: any active commissioner membership at the owner or
-- an ancestor sees its services, cluster assignments notwithstanding (clusters
-- restrict which PROVIDERS a person reaches, not the commissioner's own
-- catalogue). Offers follow provider reach (private.reachable_organisations):
-- a cluster-restricted commissioner sees and offers only to clustered
-- providers; a provider sees the offers made to it and the services offered.

alter type public.notification_kind add value if not exists 'service_offered';
alter type public.notification_kind add value if not exists 'offer_rejected';
alter type public.notification_kind add value if not exists 'offer_withdrawn';
alter type public.notification_kind add value if not exists 'offer_cancelled';

-- ---------------------------------------------------------------- types

create type public.service_kind as enum ('national', 'local');
comment on type public.service_kind is
  'national: QOF, DES, V&I (indicator groups and achievement); local: LES/LIS schemes (components and claims).';

create type public.component_kind as enum ('unit', 'retainer', 'participation');
comment on type public.component_kind is
  'unit: units × unit price; retainer: a fixed amount with information to read, no input; participation: no payment.';

create type public.question_kind as enum ('yes_no_must_be_yes', 'free_text', 'number', 'date');

create type public.indicator_payment_basis as enum ('per_point', 'per_unit');

create type public.offer_status as enum ('offered', 'approved', 'rejected', 'cancelled');
comment on type public.offer_status is
  'offered → approved (accept) | rejected (reject) | cancelled (withdraw); approved | rejected → cancelled (cancel).';

-- ---------------------------------------------------------------- quality services

create table public.quality_services (
  id uuid primary key default gen_random_uuid(),
  commissioner_id uuid not null references public.organisations (id),
  kind public.service_kind not null,
  financial_year text not null,
  payment_type text not null,
  name text not null,
  description text not null default '',
  starts_on date not null,
  ends_on date not null,
  -- null: the commissioner's setting (commissioner_settings.claim_submission).
  claim_mode public.claim_submission_mode,
  participation_only boolean not null default false,
  no_declaration_required boolean not null default false,
  no_approval_required boolean not null default false,
  created_at timestamptz not null default now(),
  created_by uuid,
  updated_at timestamptz not null default now(),
  updated_by uuid,
  -- (CASE: the casts run only on a well-formed year.)
  constraint quality_services_financial_year_format check (
    case when financial_year ~ '^[0-9]{4}/[0-9]{2}$'
      then substr(financial_year, 6, 2)::integer = (substr(financial_year, 1, 4)::integer + 1) % 100
      else false end),
  -- Inside the financial year: 1 April to 31 March.
  constraint quality_services_dates check (
    starts_on <= ends_on
    and case when financial_year ~ '^[0-9]{4}/[0-9]{2}$'
      then starts_on >= make_date(substr(financial_year, 1, 4)::integer, 4, 1)
        and ends_on <= make_date(substr(financial_year, 1, 4)::integer + 1, 3, 31)
      else true end),
  constraint quality_services_name_length check (name = btrim(name) and char_length(name) between 3 and 200),
  constraint quality_services_payment_type_length check (payment_type = btrim(payment_type) and char_length(payment_type) between 1 and 100),
  constraint quality_services_description_length check (char_length(description) <= 4000),
  -- Declaration/approval flags configure achievement (national); claim settings and participation-only apply to local services.
  constraint quality_services_national_flags check (kind = 'national' or (not no_declaration_required and not no_approval_required)),
  constraint quality_services_local_flags check (kind = 'local' or (claim_mode is null and not participation_only))
);
comment on table public.quality_services is
  'The service catalogue: a commissioner''s national (QOF, DES, V&I) or local (LES/LIS) quality service for one financial year (April–March, written 2025/26).';
comment on column public.quality_services.claim_mode is 'Override of the commissioner''s claim submission mode for this service; null inherits commissioner_settings.claim_submission.';
comment on column public.quality_services.participation_only is 'Providers take part without claiming: the service has participation components only.';

create unique index quality_services_name_key on public.quality_services (commissioner_id, financial_year, lower(name));
create index quality_services_commissioner_idx on public.quality_services (commissioner_id, financial_year);

-- ---------------------------------------------------------------- local: components, questions, claim windows

create table public.service_components (
  id uuid primary key default gen_random_uuid(),
  service_id uuid not null references public.quality_services (id) on delete cascade,
  position integer not null default 0,
  name text not null,
  kind public.component_kind not null,
  unit_price numeric(12, 2),
  fixed_amount numeric(12, 2),
  information text,
  -- Rule for claims: when true, a document is mandatory on a claim line with
  -- units ≥ 1 (not with 0 units).
  evidence_required boolean not null default false,
  evidence_text text,
  accepted_file_types text[] not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint service_components_name_length check (name = btrim(name) and char_length(name) between 1 and 200),
  constraint service_components_money check (
    case kind
      when 'unit' then unit_price is not null and unit_price >= 0 and fixed_amount is null
      when 'retainer' then fixed_amount is not null and fixed_amount >= 0 and unit_price is null
        and nullif(btrim(information), '') is not null
      else unit_price is null and fixed_amount is null
    end),
  constraint service_components_evidence check (
    case when evidence_required
      then kind = 'unit' and nullif(btrim(evidence_text), '') is not null and cardinality(accepted_file_types) >= 1
      else cardinality(accepted_file_types) = 0
    end),
  constraint service_components_file_types check (accepted_file_types <@ '{doc,docx,xls,xlsx,odt,ods,pdf}'::text[]),
  constraint service_components_text_length check (char_length(information) <= 4000 and char_length(evidence_text) <= 4000)
);
comment on table public.service_components is
  'Claimable parts of a local service: unit (units × unit_price), retainer (fixed_amount, information to read) or participation (no payment). evidence_required: a document is mandatory when units ≥ 1.';
create index service_components_service_idx on public.service_components (service_id, position);

create table public.service_questions (
  id uuid primary key default gen_random_uuid(),
  service_id uuid not null references public.quality_services (id) on delete cascade,
  position integer not null default 0,
  kind public.question_kind not null,
  question text not null,
  required boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint service_questions_text_length check (question = btrim(question) and char_length(question) between 3 and 500),
  -- A yes/no question that must be answered yes is always required.
  constraint service_questions_yes_no_required check (kind <> 'yes_no_must_be_yes' or required)
);
comment on table public.service_questions is 'Supplementary questions of a local service''s claims (yes/no that must be yes, free text, number, date).';
create index service_questions_service_idx on public.service_questions (service_id, position);

create table public.claim_windows (
  id uuid primary key default gen_random_uuid(),
  service_id uuid not null references public.quality_services (id) on delete cascade,
  period_label text not null,
  period_starts_on date not null,
  period_ends_on date not null,
  opens_on date not null,
  closes_on date not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint claim_windows_label_length check (period_label = btrim(period_label) and char_length(period_label) between 1 and 100),
  constraint claim_windows_period check (period_starts_on <= period_ends_on),
  constraint claim_windows_open_close check (opens_on <= closes_on),
  constraint claim_windows_label_key unique (service_id, period_label)
);
comment on table public.claim_windows is
  'When claims for a period of a local service may be made: open from opens_on to closes_on (inclusive) for the period period_starts_on–period_ends_on (inside the service''s dates).';
create index claim_windows_service_idx on public.claim_windows (service_id, opens_on);

-- ---------------------------------------------------------------- national: indicator groups, indicators, achievement dates

create table public.indicator_groups (
  id uuid primary key default gen_random_uuid(),
  service_id uuid not null references public.quality_services (id) on delete cascade,
  position integer not null default 0,
  code text not null,
  name text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint indicator_groups_code_format check (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,29}$'),
  constraint indicator_groups_name_length check (name = btrim(name) and char_length(name) between 1 and 200),
  constraint indicator_groups_code_key unique (service_id, code),
  -- lets indicators carry the service id checked against their group
  constraint indicator_groups_id_service_key unique (id, service_id)
);
comment on table public.indicator_groups is 'Groups of indicators of a national service (achievement is entered and checked per group).';

create table public.indicators (
  id uuid primary key default gen_random_uuid(),
  group_id uuid not null,
  service_id uuid not null,
  position integer not null default 0,
  code text not null,
  description text not null,
  points numeric(8, 2) not null,
  payment_basis public.indicator_payment_basis not null default 'per_point',
  payment_rate numeric(12, 2) not null,
  -- Achievement thresholds in percent (lower: payment starts; upper: full payment).
  lower_threshold numeric(5, 2),
  upper_threshold numeric(5, 2),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint indicators_group_fk foreign key (group_id, service_id)
    references public.indicator_groups (id, service_id) on delete cascade on update cascade,
  constraint indicators_code_format check (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,29}$'),
  constraint indicators_description_length check (description = btrim(description) and char_length(description) between 1 and 1000),
  constraint indicators_points check (points >= 0),
  constraint indicators_payment_rate check (payment_rate >= 0),
  constraint indicators_thresholds check (
    (lower_threshold is null or lower_threshold between 0 and 100)
    and (upper_threshold is null or upper_threshold between 0 and 100)
    and (lower_threshold is null or upper_threshold is null or lower_threshold <= upper_threshold)),
  constraint indicators_code_key unique (service_id, code)
);
comment on table public.indicators is
  'Indicators of a national service: points and payment (payment_rate per point or per unit, in pounds), with lower/upper achievement thresholds (%).';
comment on column public.indicators.service_id is 'The group''s service (checked by the foreign key with group_id).';
create index indicators_group_idx on public.indicators (group_id, service_id, position);

create table public.achievement_dates (
  id uuid primary key default gen_random_uuid(),
  service_id uuid not null references public.quality_services (id) on delete cascade,
  achievement_date date not null,
  is_payment_date boolean not null default false,
  created_at timestamptz not null default now(),
  constraint achievement_dates_key unique (service_id, achievement_date)
);
comment on table public.achievement_dates is 'Valid achievement submission dates of a national service; payment dates are marked.';

-- ---------------------------------------------------------------- offers

create table public.service_offers (
  id uuid primary key default gen_random_uuid(),
  service_id uuid not null references public.quality_services (id),
  provider_id uuid not null references public.organisations (id),
  starts_on date not null,
  ends_on date not null,
  respond_by date not null,
  target_date date not null,
  status public.offer_status not null default 'offered',
  -- cancelled while still offered (the commissioner withdrew it)
  withdrawn boolean not null default false,
  decision_reason text,
  offered_at timestamptz not null default now(),
  offered_by uuid,
  decided_at timestamptz,
  decided_by uuid,
  cancelled_at timestamptz,
  cancelled_by uuid,
  updated_at timestamptz not null default now(),
  constraint service_offers_dates check (starts_on <= ends_on and respond_by <= ends_on),
  constraint service_offers_withdrawn check (not withdrawn or status = 'cancelled'),
  constraint service_offers_reason check (
    (status = 'rejected') <= (decision_reason is not null)
    and (decision_reason is null or char_length(btrim(decision_reason)) between 1 and 500)),
  constraint service_offers_cancelled check ((status = 'cancelled') = (cancelled_at is not null))
);
comment on table public.service_offers is
  'A service offered to a provider organisation, with its dates (inside the service''s) and status. Changes only through offer_service, accept_offer, reject_offer, withdraw_offers, cancel_offers.';
comment on column public.service_offers.withdrawn is 'True when the commissioner withdrew the offer before the provider answered (status cancelled).';
comment on column public.service_offers.decision_reason is 'The provider''s reason for rejecting.';

-- One live (not cancelled) offer per service and provider.
create unique index service_offers_one_live_key on public.service_offers (service_id, provider_id) where status <> 'cancelled';
create index service_offers_provider_idx on public.service_offers (provider_id, status);
create index service_offers_service_idx on public.service_offers (service_id, status);

create table public.offer_tariffs (
  offer_id uuid not null references public.service_offers (id) on delete cascade,
  component_id uuid not null references public.service_components (id) on delete cascade,
  unit_price numeric(12, 2) not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (offer_id, component_id),
  constraint offer_tariffs_unit_price check (unit_price >= 0)
);
comment on table public.offer_tariffs is 'Per-offer (per-provider) unit prices that replace a unit component''s unit_price.';
create index offer_tariffs_component_idx on public.offer_tariffs (component_id);

-- ---------------------------------------------------------------- allocated reports

create table public.allocated_reports (
  organisation_id uuid not null references public.organisations (id) on delete cascade,
  service_id uuid not null references public.quality_services (id) on delete cascade,
  allocated_at timestamptz not null default now(),
  allocated_by uuid,
  primary key (organisation_id, service_id)
);
comment on table public.allocated_reports is
  'A descendant organisation allowed by the commissioning parent to report on one of its quality services. Changes only through set_allocated_reports.';
create index allocated_reports_service_idx on public.allocated_reports (service_id);

-- ---------------------------------------------------------------- rules (triggers)

create function private.quality_services_before_write()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  org public.organisations%rowtype;
  stray text;
begin
  if tg_op = 'UPDATE' then
    if new.commissioner_id is distinct from old.commissioner_id or new.kind is distinct from old.kind
       or new.id is distinct from old.id or new.created_at is distinct from old.created_at
       or new.created_by is distinct from old.created_by then
      perform private.fail('42501', 'The commissioner and kind of a quality service cannot change.',
        'Create a new service instead.');
    end if;
    -- Dates may move only while everything inside them still fits.
    if new.starts_on > old.starts_on or new.ends_on < old.ends_on then
      select coalesce(
        (select format('the offer to %s (%s to %s)', private.organisation_label(f.provider_id), to_char(f.starts_on, 'DD/MM/YYYY'), to_char(f.ends_on, 'DD/MM/YYYY'))
         from public.service_offers f where f.service_id = new.id and f.status <> 'cancelled'
           and (least(f.starts_on, f.respond_by, f.target_date) < new.starts_on or greatest(f.ends_on, f.target_date) > new.ends_on) limit 1),
        (select format('claim window %s', w.period_label) from public.claim_windows w where w.service_id = new.id
           and (w.period_starts_on < new.starts_on or w.period_ends_on > new.ends_on) limit 1),
        (select format('achievement date %s', to_char(a.achievement_date, 'DD/MM/YYYY')) from public.achievement_dates a where a.service_id = new.id
           and (a.achievement_date < new.starts_on or a.achievement_date > new.ends_on) limit 1))
      into stray;
      if stray is not null then
        perform private.fail('23514', format('The new dates of %s would leave %s outside the service.', old.name, stray),
          'Change or cancel what lies outside first, or keep the dates wider.');
      end if;
    end if;
    new.updated_at := now();
    new.updated_by := (select auth.uid());
    return new;
  end if;

  select * into org from public.organisations o where o.id = new.commissioner_id;
  if found and not private.is_commissioner_type(org.type) then
    perform private.fail('23514', format('Quality services belong to a commissioner; %s is a %s.', private.organisation_label(org.id), org.type),
      'Choose a national, region, icb or sub_icb organisation.');
  end if;
  new.created_at := now();
  new.updated_at := now();
  new.created_by := coalesce((select auth.uid()), new.created_by);
  new.updated_by := new.created_by;
  return new;
end;
$$;

create trigger quality_services_before_write
  before insert or update on public.quality_services
  for each row execute function private.quality_services_before_write();

-- Catalogue children: the service kind they belong to, and dates inside the service's.
create function private.service_children_before_write()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  service public.quality_services%rowtype;
  wanted public.service_kind := case when tg_table_name in ('indicator_groups', 'indicators', 'achievement_dates') then 'national' else 'local' end;
  what text := replace(tg_table_name, '_', ' ');
begin
  if tg_op = 'UPDATE' and new.service_id is distinct from old.service_id then
    perform private.fail('42501', format('Rows of %s cannot move to another service.', what), 'Delete it and add it to the other service.');
  end if;
  select * into service from public.quality_services s where s.id = new.service_id;
  if not found then
    return new; -- the foreign key reports it
  end if;
  if service.kind <> wanted then
    perform private.fail('23514', format('%s belong to %s services; %s is a %s service.', initcap(what), wanted, service.name, service.kind),
      case when wanted = 'local' then 'National services have indicator groups, indicators and achievement dates.'
           else 'Local services have components, supplementary questions and claim windows.' end);
  end if;
  -- (Nested IFs: a trigger function is compiled per table, and NEW has only that table's columns.)
  if tg_table_name = 'service_components' and service.participation_only then
    if new.kind <> 'participation' then
      perform private.fail('23514', format('%s is participation only: its components cannot carry payment.', service.name),
        'Use the participation kind, or untick "participation only" on the service.');
    end if;
  end if;
  if tg_table_name = 'claim_windows' then
    if new.period_starts_on < service.starts_on or new.period_ends_on > service.ends_on then
    perform private.fail('23514', format('The period of claim window %s (%s to %s) lies outside %s (%s to %s).', new.period_label,
        to_char(new.period_starts_on, 'DD/MM/YYYY'), to_char(new.period_ends_on, 'DD/MM/YYYY'), service.name,
        to_char(service.starts_on, 'DD/MM/YYYY'), to_char(service.ends_on, 'DD/MM/YYYY')),
      'Claim windows claim for periods inside the service''s dates.');
    end if;
  end if;
  if tg_table_name = 'achievement_dates' then
    if new.achievement_date < service.starts_on or new.achievement_date > service.ends_on then
    perform private.fail('23514', format('Achievement date %s lies outside %s (%s to %s).', to_char(new.achievement_date, 'DD/MM/YYYY'), service.name,
        to_char(service.starts_on, 'DD/MM/YYYY'), to_char(service.ends_on, 'DD/MM/YYYY')),
      'Choose a date inside the service''s dates.');
    end if;
  end if;
  if tg_table_name <> 'achievement_dates' and tg_op = 'UPDATE' then
    new.updated_at := now();
  end if;
  return new;
end;
$$;

create trigger service_components_before_write before insert or update on public.service_components
  for each row execute function private.service_children_before_write();
create trigger service_questions_before_write before insert or update on public.service_questions
  for each row execute function private.service_children_before_write();
create trigger claim_windows_before_write before insert or update on public.claim_windows
  for each row execute function private.service_children_before_write();
create trigger indicator_groups_before_write before insert or update on public.indicator_groups
  for each row execute function private.service_children_before_write();
create trigger indicators_before_write before insert or update on public.indicators
  for each row execute function private.service_children_before_write();
create trigger achievement_dates_before_write before insert or update on public.achievement_dates
  for each row execute function private.service_children_before_write();

-- Participation only: not while the service has paying components.
create function private.quality_services_participation_check()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.participation_only and exists (
    select 1 from public.service_components c where c.service_id = new.id and c.kind <> 'participation') then
    perform private.fail('23514', format('%s has paying components, so it cannot be participation only.', new.name),
      'Remove the unit and retainer components first.');
  end if;
  return null;
end;
$$;
create trigger quality_services_participation_check
  after update of participation_only on public.quality_services
  for each row execute function private.quality_services_participation_check();

create function private.offer_tariffs_before_write()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  component public.service_components%rowtype;
  offer public.service_offers%rowtype;
begin
  if tg_op = 'UPDATE' and (new.offer_id is distinct from old.offer_id or new.component_id is distinct from old.component_id) then
    perform private.fail('42501', 'A tariff cannot move to another offer or component.', 'Delete it and add a new one.');
  end if;
  select * into component from public.service_components c where c.id = new.component_id;
  select * into offer from public.service_offers f where f.id = new.offer_id;
  if component.id is null or offer.id is null then
    return new; -- the foreign keys report it
  end if;
  if component.service_id <> offer.service_id or component.kind <> 'unit' then
    perform private.fail('23514', format('Component %s is not a unit component of the offered service.', component.name),
      'Tariffs override the unit price of the offered service''s unit components.');
  end if;
  if offer.status = 'cancelled' then
    perform private.fail('PT409', 'The offer is cancelled: its tariff can no longer change.', 'Make a new offer.');
  end if;
  if tg_op = 'UPDATE' then
    new.updated_at := now();
  end if;
  return new;
end;
$$;
create trigger offer_tariffs_before_write before insert or update on public.offer_tariffs
  for each row execute function private.offer_tariffs_before_write();

-- Offers and allocations change only inside the actions (app.action set).
create function private.services_state_guard()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if coalesce(current_setting('app.action', true), '') = '' then
    perform private.fail('42501', format('%s change only through the portal''s actions.', initcap(replace(tg_table_name, '_', ' '))),
      case tg_table_name when 'allocated_reports' then 'Use public.set_allocated_reports.'
        else 'Use public.offer_service, public.accept_offer, public.reject_offer, public.withdraw_offers or public.cancel_offers.' end);
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;
  if tg_table_name = 'service_offers' and tg_op = 'UPDATE' then
    new.updated_at := now();
  end if;
  return new;
end;
$$;
create trigger service_offers_state_guard before insert or update or delete on public.service_offers
  for each row execute function private.services_state_guard();
create trigger allocated_reports_state_guard before insert or update or delete on public.allocated_reports
  for each row execute function private.services_state_guard();

-- Audit of direct catalogue edits, filed under the commissioner. (Rows that
-- vanish with their deleted service are covered by the service's own entry.)
create function private.audit_catalogue_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  row_after jsonb := case when tg_op = 'DELETE' then null else to_jsonb(new) end;
  row_before jsonb := case when tg_op = 'INSERT' then null else to_jsonb(old) end;
  key_row jsonb := coalesce(row_after, row_before);
  commissioner uuid;
  entity text;
begin
  if tg_op = 'UPDATE' and row_after = row_before then
    return null;
  end if;
  if tg_table_name = 'quality_services' then
    commissioner := (key_row ->> 'commissioner_id')::uuid;
    entity := key_row ->> 'id';
  elsif tg_table_name = 'offer_tariffs' then
    select s.commissioner_id into commissioner
    from public.service_offers f join public.quality_services s on s.id = f.service_id
    where f.id = (key_row ->> 'offer_id')::uuid;
    entity := (key_row ->> 'offer_id') || '/' || (key_row ->> 'component_id');
  else
    select s.commissioner_id into commissioner from public.quality_services s where s.id = (key_row ->> 'service_id')::uuid;
    entity := key_row ->> 'id';
  end if;
  if commissioner is null then
    return null;
  end if;
  perform private.write_audit(tg_table_name || '.' || lower(tg_op), tg_table_name, entity, commissioner, null, row_before, row_after, null);
  return null;
end;
$$;

create trigger quality_services_audit after insert or update or delete on public.quality_services
  for each row execute function private.audit_catalogue_change();
create trigger service_components_audit after insert or update or delete on public.service_components
  for each row execute function private.audit_catalogue_change();
create trigger service_questions_audit after insert or update or delete on public.service_questions
  for each row execute function private.audit_catalogue_change();
create trigger claim_windows_audit after insert or update or delete on public.claim_windows
  for each row execute function private.audit_catalogue_change();
create trigger indicator_groups_audit after insert or update or delete on public.indicator_groups
  for each row execute function private.audit_catalogue_change();
create trigger indicators_audit after insert or update or delete on public.indicators
  for each row execute function private.audit_catalogue_change();
create trigger achievement_dates_audit after insert or update or delete on public.achievement_dates
  for each row execute function private.audit_catalogue_change();
create trigger offer_tariffs_audit after insert or update or delete on public.offer_tariffs
  for each row execute function private.audit_catalogue_change();

-- ---------------------------------------------------------------- access helpers

-- The subtrees of the caller's active commissioner memberships holding any of
-- p_roles (null: any role). Cluster assignments do not narrow this: it is
-- the commissioner's own catalogue, not its providers.
create function private.commissioner_organisations(p_roles public.app_role[])
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select distinct c.descendant_id
  from public.memberships m
  join public.profiles p on p.id = m.profile_id
  join public.organisations o on o.id = m.organisation_id
  join public.organisation_closure c on c.ancestor_id = m.organisation_id
  where m.profile_id = (select auth.uid())
    and m.status = 'active'
    and p.status = 'active'
    and private.is_commissioner_type(o.type)
    and (p_roles is null or m.roles && p_roles)
$$;

-- Services the caller may read: the catalogue of commissioners they belong
-- to (or sit above), services offered to organisations they reach, services
-- allocated to organisations they reach for reporting.
create function private.visible_services()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select s.id from public.quality_services s
  where s.commissioner_id = any (array(select private.commissioner_organisations(null)))
  union
  select f.service_id from public.service_offers f
  where f.provider_id = any (array(select private.reachable_organisations()))
  union
  select a.service_id from public.allocated_reports a
  where a.organisation_id = any (array(select private.reachable_organisations()))
$$;

-- Services the caller may edit and offer: Commissioning Management of the owner or an ancestor.
create function private.managed_services()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select s.id from public.quality_services s
  where s.commissioner_id = any (array(select private.commissioner_organisations('{commissioning_management}')))
$$;

create function private.visible_offers()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select f.id from public.service_offers f
  where f.provider_id = any (array(select private.reachable_organisations()))
$$;

create function private.managed_offers()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select f.id from public.service_offers f
  where f.service_id = any (array(select private.managed_services()))
    and f.provider_id = any (array(select private.organisations_with_role('{commissioning_management}')))
$$;

-- Active people holding any of p_roles in an active membership of exactly this organisation.
create function private.people_with_role_at(p_organisation_id uuid, p_roles public.app_role[])
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select distinct m.profile_id
  from public.memberships m
  join public.profiles p on p.id = m.profile_id
  where m.organisation_id = p_organisation_id and m.status = 'active' and p.status = 'active' and m.roles && p_roles
$$;

-- ---------------------------------------------------------------- policies

create policy "Commissioners read their catalogue; providers the services offered or allocated to them"
  on public.quality_services for select to authenticated
  -- (The commissioner test comes first and on the row itself: a row just
  -- inserted is not yet in visible_services()'s snapshot, and INSERT …
  -- RETURNING must see it.)
  using (
    commissioner_id = any (array(select private.commissioner_organisations(null)))
    or id = any (array(select private.visible_services())));
create policy "Commissioning Management adds services"
  on public.quality_services for insert to authenticated
  with check (commissioner_id = any (array(select private.commissioner_organisations('{commissioning_management}'))));
create policy "Commissioning Management edits services"
  on public.quality_services for update to authenticated
  using (commissioner_id = any (array(select private.commissioner_organisations('{commissioning_management}'))))
  with check (commissioner_id = any (array(select private.commissioner_organisations('{commissioning_management}'))));
create policy "Commissioning Management deletes services"
  on public.quality_services for delete to authenticated
  using (commissioner_id = any (array(select private.commissioner_organisations('{commissioning_management}'))));

create policy "Components are read with their service" on public.service_components for select to authenticated
  using (service_id = any (array(select private.visible_services())));
create policy "Commissioning Management adds components" on public.service_components for insert to authenticated
  with check (service_id = any (array(select private.managed_services())));
create policy "Commissioning Management edits components" on public.service_components for update to authenticated
  using (service_id = any (array(select private.managed_services())))
  with check (service_id = any (array(select private.managed_services())));
create policy "Commissioning Management deletes components" on public.service_components for delete to authenticated
  using (service_id = any (array(select private.managed_services())));

create policy "Questions are read with their service" on public.service_questions for select to authenticated
  using (service_id = any (array(select private.visible_services())));
create policy "Commissioning Management adds questions" on public.service_questions for insert to authenticated
  with check (service_id = any (array(select private.managed_services())));
create policy "Commissioning Management edits questions" on public.service_questions for update to authenticated
  using (service_id = any (array(select private.managed_services())))
  with check (service_id = any (array(select private.managed_services())));
create policy "Commissioning Management deletes questions" on public.service_questions for delete to authenticated
  using (service_id = any (array(select private.managed_services())));

create policy "Claim windows are read with their service" on public.claim_windows for select to authenticated
  using (service_id = any (array(select private.visible_services())));
create policy "Commissioning Management adds claim windows" on public.claim_windows for insert to authenticated
  with check (service_id = any (array(select private.managed_services())));
create policy "Commissioning Management edits claim windows" on public.claim_windows for update to authenticated
  using (service_id = any (array(select private.managed_services())))
  with check (service_id = any (array(select private.managed_services())));
create policy "Commissioning Management deletes claim windows" on public.claim_windows for delete to authenticated
  using (service_id = any (array(select private.managed_services())));

create policy "Indicator groups are read with their service" on public.indicator_groups for select to authenticated
  using (service_id = any (array(select private.visible_services())));
create policy "Commissioning Management adds indicator groups" on public.indicator_groups for insert to authenticated
  with check (service_id = any (array(select private.managed_services())));
create policy "Commissioning Management edits indicator groups" on public.indicator_groups for update to authenticated
  using (service_id = any (array(select private.managed_services())))
  with check (service_id = any (array(select private.managed_services())));
create policy "Commissioning Management deletes indicator groups" on public.indicator_groups for delete to authenticated
  using (service_id = any (array(select private.managed_services())));

create policy "Indicators are read with their service" on public.indicators for select to authenticated
  using (service_id = any (array(select private.visible_services())));
create policy "Commissioning Management adds indicators" on public.indicators for insert to authenticated
  with check (service_id = any (array(select private.managed_services())));
create policy "Commissioning Management edits indicators" on public.indicators for update to authenticated
  using (service_id = any (array(select private.managed_services())))
  with check (service_id = any (array(select private.managed_services())));
create policy "Commissioning Management deletes indicators" on public.indicators for delete to authenticated
  using (service_id = any (array(select private.managed_services())));

create policy "Achievement dates are read with their service" on public.achievement_dates for select to authenticated
  using (service_id = any (array(select private.visible_services())));
create policy "Commissioning Management adds achievement dates" on public.achievement_dates for insert to authenticated
  with check (service_id = any (array(select private.managed_services())));
create policy "Commissioning Management edits achievement dates" on public.achievement_dates for update to authenticated
  using (service_id = any (array(select private.managed_services())))
  with check (service_id = any (array(select private.managed_services())));
create policy "Commissioning Management deletes achievement dates" on public.achievement_dates for delete to authenticated
  using (service_id = any (array(select private.managed_services())));

create policy "Offers are read by the provider and the commissioners reaching it"
  on public.service_offers for select to authenticated
  using (provider_id = any (array(select private.reachable_organisations())));

create policy "Tariffs are read with their offer" on public.offer_tariffs for select to authenticated
  using (offer_id = any (array(select private.visible_offers())));
create policy "Commissioning Management adds tariffs" on public.offer_tariffs for insert to authenticated
  with check (offer_id = any (array(select private.managed_offers())));
create policy "Commissioning Management edits tariffs" on public.offer_tariffs for update to authenticated
  using (offer_id = any (array(select private.managed_offers())))
  with check (offer_id = any (array(select private.managed_offers())));
create policy "Commissioning Management deletes tariffs" on public.offer_tariffs for delete to authenticated
  using (offer_id = any (array(select private.managed_offers())));

create policy "Allocations are read by the organisation and the commissioners reaching it"
  on public.allocated_reports for select to authenticated
  using (organisation_id = any (array(select private.reachable_organisations())));

-- ---------------------------------------------------------------- actions

-- Provider organisations take part in services.
create function private.is_provider_type(t public.organisation_type)
returns boolean
language sql
immutable
parallel safe
set search_path = ''
as $$
  select t in ('pcn', 'practice', 'other_provider')
$$;

create function public.offer_service(
  p_service_id uuid,
  p_provider_ids uuid[],
  p_starts_on date,
  p_ends_on date,
  p_respond_by date,
  p_target_date date
)
returns setof uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  service public.quality_services%rowtype;
  provider public.organisations%rowtype;
  provider_ids uuid[];
  offer public.service_offers%rowtype;
  reach uuid[];
  bad_date text;
  person uuid;
begin
  select * into service from public.quality_services s where s.id = p_service_id for share;
  if not found then
    perform private.fail('PT404', format('No quality service with id %s.', p_service_id), 'Choose a service from the catalogue.');
  end if;
  if not (service.id = any (array(select private.managed_services()))) then
    perform private.fail('42501', format('You may not offer %s.', service.name),
      format('Commissioning Management of %s offers its services.', private.organisation_label(service.commissioner_id)));
  end if;

  if p_starts_on is null or p_ends_on is null or p_respond_by is null or p_target_date is null then
    perform private.fail('22023', 'Start, end, response and target dates are all required.', 'Fill in every date of the offer.');
  end if;
  if p_starts_on > p_ends_on then
    perform private.fail('22023', format('The offer starts (%s) after it ends (%s).', private.uk_date(p_starts_on), private.uk_date(p_ends_on)),
      'The start date must be on or before the end date.');
  end if;
  select d.label into bad_date
  from (values ('start', p_starts_on), ('end', p_ends_on), ('response', p_respond_by), ('target', p_target_date)) as d (label, value)
  where d.value < service.starts_on or d.value > service.ends_on
  limit 1;
  if bad_date is not null then
    perform private.fail('23514', format('The %s date lies outside %s (%s to %s).', bad_date, service.name,
        private.uk_date(service.starts_on), private.uk_date(service.ends_on)),
      'Every date of an offer lies within the service''s own start and end dates.');
  end if;
  if p_respond_by > p_ends_on then
    perform private.fail('22023', format('The response date (%s) is after the offer ends (%s).', private.uk_date(p_respond_by), private.uk_date(p_ends_on)),
      'Providers answer before the offer ends.');
  end if;

  if p_provider_ids is null or cardinality(p_provider_ids) = 0 or array_position(p_provider_ids, null) is not null then
    perform private.fail('22023', 'Choose at least one provider.', 'Pass the ids of the provider organisations.');
  end if;
  provider_ids := array(select distinct unnest(p_provider_ids));
  reach := array(select private.organisations_with_role('{commissioning_management}'));

  -- Check every provider before creating anything.
  for provider in select * from public.organisations o where o.id = any (provider_ids) order by o.ods_code loop
    if not private.is_provider_type(provider.type) then
      perform private.fail('22023', format('%s is a %s, not a provider.', private.organisation_label(provider.id), provider.type),
        'Offer services to practices, PCNs or other providers.');
    end if;
    if not exists (select 1 from public.organisation_closure c
                   where c.ancestor_id = service.commissioner_id and c.descendant_id = provider.id and c.depth > 0) then
      perform private.fail('23514', format('%s is not under %s, which commissions %s.', private.organisation_label(provider.id),
          private.organisation_label(service.commissioner_id), service.name),
        'Offer services only to providers below the commissioner.');
    end if;
    if not (provider.id = any (reach)) then
      perform private.fail('42501', format('%s is outside your reach.', private.organisation_label(provider.id)),
        'Your access is limited to your clusters'' organisations; another commissioner may offer it.');
    end if;
    if exists (select 1 from public.service_offers f where f.service_id = service.id and f.provider_id = provider.id and f.status <> 'cancelled') then
      perform private.fail('PT409', format('%s already has an offer of %s that is not cancelled.', private.organisation_label(provider.id), service.name),
        'Cancel or withdraw that offer first, or leave the provider out.');
    end if;
  end loop;
  if (select count(*) from public.organisations o where o.id = any (provider_ids)) <> cardinality(provider_ids) then
    perform private.fail('PT404', 'One of the providers does not exist.', 'Choose providers from the list.');
  end if;

  perform private.begin_action('offer.create');
  for provider in select * from public.organisations o where o.id = any (provider_ids) order by o.ods_code loop
    begin
      insert into public.service_offers (service_id, provider_id, starts_on, ends_on, respond_by, target_date, status, offered_at, offered_by)
      values (service.id, provider.id, p_starts_on, p_ends_on, p_respond_by, p_target_date, 'offered', now(), me)
      returning * into offer;
    exception when unique_violation then
      perform private.fail('PT409', format('%s already has an offer of %s that is not cancelled.', private.organisation_label(provider.id), service.name),
        'Someone offered it at the same time: reload the list.');
    end;
    perform private.write_audit('offer.create', 'service_offer', offer.id::text, provider.id, null, null, to_jsonb(offer), null);
    for person in select private.people_with_role_at(provider.id, '{service_management}') loop
      perform private.queue_notification(person, 'service_offered',
        format('Service offered: %s', service.name),
        format('%s offers %s (%s) to %s from %s to %s. Please accept or reject it by %s.',
          private.organisation_label(service.commissioner_id), service.name, service.financial_year, private.organisation_label(provider.id),
          private.uk_date(offer.starts_on), private.uk_date(offer.ends_on), private.uk_date(offer.respond_by)),
        format('/participation/%s', offer.id));
    end loop;
    return next offer.id;
  end loop;
  perform private.end_action();
end;
$$;
comment on function public.offer_service(uuid, uuid[], date, date, date, date) is
  'Offer a service to providers in one transaction: Commissioning Management of the owner; providers below the commissioner and in the caller''s reach (clusters); dates inside the service''s; no live offer already. Notifies each provider''s Service Management.';

-- Lock an offer for a provider decision.
create function private.lock_offer_for_provider(p_offer_id uuid, p_verb text)
returns public.service_offers
language plpgsql
security definer
set search_path = ''
as $$
declare
  offer public.service_offers%rowtype;
begin
  select * into offer from public.service_offers f where f.id = p_offer_id for update;
  if not found then
    perform private.fail('PT404', format('No offer with id %s.', p_offer_id), 'Reload My Services.');
  end if;
  if not private.has_role(offer.provider_id, 'service_management') then
    perform private.fail('42501', format('You may not %s offers to %s.', p_verb, private.organisation_label(offer.provider_id)),
      'Service Management of the provider accepts or rejects its offers.');
  end if;
  if offer.status <> 'offered' then
    perform private.fail('PT409', format('This offer is %s: only offered services can be %s.', offer.status, p_verb || 'ed'),
      'Reload My Services.');
  end if;
  return offer;
end;
$$;

create function public.accept_offer(p_offer_id uuid)
returns public.service_offers
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  offer public.service_offers := private.lock_offer_for_provider(p_offer_id, 'accept');
  result public.service_offers%rowtype;
begin
  perform private.begin_action('offer.accept');
  update public.service_offers f set status = 'approved', decided_at = now(), decided_by = me
  where f.id = offer.id returning * into result;
  perform private.write_audit('offer.accept', 'service_offer', result.id::text, result.provider_id, null, to_jsonb(offer), to_jsonb(result), null);
  perform private.end_action();
  return result;
end;
$$;
comment on function public.accept_offer(uuid) is 'Provider Service Management accepts an offered service (→ approved). No message is sent.';

create function public.reject_offer(p_offer_id uuid, p_reason text)
returns public.service_offers
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  offer public.service_offers := private.lock_offer_for_provider(p_offer_id, 'reject');
  reason text := private.clean_reason(p_reason, true, 'reject an offer');
  result public.service_offers%rowtype;
  service public.quality_services%rowtype;
  person uuid;
begin
  select * into service from public.quality_services s where s.id = offer.service_id;
  perform private.begin_action('offer.reject');
  update public.service_offers f set status = 'rejected', decided_at = now(), decided_by = me, decision_reason = reason
  where f.id = offer.id returning * into result;
  perform private.write_audit('offer.reject', 'service_offer', result.id::text, result.provider_id, null, to_jsonb(offer), to_jsonb(result), reason);
  for person in
    select private.people_with_role_at(service.commissioner_id, '{commissioning_management}')
    union
    select offer.offered_by where offer.offered_by is not null and private.is_active_person(offer.offered_by)
  loop
    perform private.queue_notification(person, 'offer_rejected',
      format('Offer rejected: %s', service.name),
      format('%s rejected %s (%s). Reason: %s', private.organisation_label(result.provider_id), service.name, service.financial_year, reason),
      format('/offered-services/%s', service.id));
  end loop;
  perform private.end_action();
  return result;
end;
$$;
comment on function public.reject_offer(uuid, text) is 'Provider Service Management rejects an offered service (→ rejected) with a reason; the commissioner''s Commissioning Management is notified.';

-- Withdraw (offered → cancelled) or cancel (approved|rejected → cancelled) several offers at once.
create function private.end_offers(p_offer_ids uuid[], p_withdraw boolean)
returns setof uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  verb text := case when p_withdraw then 'withdraw' else 'cancel' end;
  ids uuid[];
  offer public.service_offers%rowtype;
  result public.service_offers%rowtype;
  service public.quality_services%rowtype;
  managed uuid[];
  person uuid;
begin
  if p_offer_ids is null or cardinality(p_offer_ids) = 0 or array_position(p_offer_ids, null) is not null then
    perform private.fail('22023', format('Choose at least one offer to %s.', verb), 'Pass the ids of the offers.');
  end if;
  ids := array(select distinct unnest(p_offer_ids));
  if (select count(*) from public.service_offers f where f.id = any (ids)) <> cardinality(ids) then
    perform private.fail('PT404', 'One of the offers does not exist.', 'Reload the list of offered services.');
  end if;
  managed := array(select private.managed_offers());
  for offer in select * from public.service_offers f where f.id = any (ids) order by f.id for update loop
    if not (offer.id = any (managed)) then
      perform private.fail('42501', format('You may not %s the offer to %s.', verb, private.organisation_label(offer.provider_id)),
        'Commissioning Management of the service''s commissioner, reaching the provider, withdraws and cancels offers.');
    end if;
    if p_withdraw and offer.status <> 'offered' then
      perform private.fail('PT409', format('The offer to %s is %s: only offered services can be withdrawn.', private.organisation_label(offer.provider_id), offer.status),
        case when offer.status in ('approved', 'rejected') then 'Cancel it instead.' else 'It is already cancelled.' end);
    end if;
    if not p_withdraw and offer.status not in ('approved', 'rejected') then
      perform private.fail('PT409', format('The offer to %s is %s: only approved or rejected services can be cancelled.', private.organisation_label(offer.provider_id), offer.status),
        case when offer.status = 'offered' then 'Withdraw it instead.' else 'It is already cancelled.' end);
    end if;
  end loop;

  perform private.begin_action(case when p_withdraw then 'offer.withdraw' else 'offer.cancel' end);
  for offer in select * from public.service_offers f where f.id = any (ids) order by f.id loop
    update public.service_offers f set status = 'cancelled', withdrawn = p_withdraw, cancelled_at = now(), cancelled_by = me
    where f.id = offer.id returning * into result;
    select * into service from public.quality_services s where s.id = result.service_id;
    perform private.write_audit(case when p_withdraw then 'offer.withdraw' else 'offer.cancel' end, 'service_offer', result.id::text,
      result.provider_id, null, to_jsonb(offer), to_jsonb(result), null);
    for person in select private.people_with_role_at(result.provider_id, '{service_management}') loop
      perform private.queue_notification(person, case when p_withdraw then 'offer_withdrawn' else 'offer_cancelled' end::public.notification_kind,
        format('Offer %s: %s', case when p_withdraw then 'withdrawn' else 'cancelled' end, service.name),
        format('%s has %s %s (%s) for %s.', private.organisation_label(service.commissioner_id),
          case when p_withdraw then 'withdrawn its offer of' else 'cancelled' end, service.name, service.financial_year,
          private.organisation_label(result.provider_id)),
        format('/participation/%s', result.id));
    end loop;
    return next result.id;
  end loop;
  perform private.end_action();
end;
$$;

create function public.withdraw_offers(p_offer_ids uuid[])
returns setof uuid
language sql
security definer
set search_path = ''
as $$
  select private.end_offers(p_offer_ids, true)
$$;
comment on function public.withdraw_offers(uuid[]) is
  'Commissioning Management withdraws offers still offered (→ cancelled, withdrawn); all or none; each provider''s Service Management is notified.';

create function public.cancel_offers(p_offer_ids uuid[])
returns setof uuid
language sql
security definer
set search_path = ''
as $$
  select private.end_offers(p_offer_ids, false)
$$;
comment on function public.cancel_offers(uuid[]) is
  'Commissioning Management cancels approved or rejected offers (→ cancelled); all or none; each provider''s Service Management is notified.';

-- Allocated reports: tick (p_allocate) and untick (p_unallocate) services an
-- organisation may report on. Returns the organisation's allocated services afterwards.
create function public.set_allocated_reports(p_organisation_id uuid, p_allocate uuid[], p_unallocate uuid[] default '{}')
returns setof uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  org public.organisations%rowtype;
  service public.quality_services%rowtype;
  allocate uuid[] := array(select distinct x from unnest(coalesce(p_allocate, '{}')) x where x is not null);
  unallocate uuid[] := array(select distinct x from unnest(coalesce(p_unallocate, '{}')) x where x is not null);
  row_before public.allocated_reports%rowtype;
  row_after public.allocated_reports%rowtype;
begin
  select * into org from public.organisations o where o.id = p_organisation_id;
  if not found then
    perform private.fail('PT404', format('No organisation with id %s.', p_organisation_id), 'Choose an organisation from the list.');
  end if;
  if allocate && unallocate then
    perform private.fail('22023', 'A service cannot be both allocated and removed in one call.', 'Send each service once.');
  end if;
  if (select count(*) from public.quality_services s where s.id = any (allocate || unallocate)) <> cardinality(allocate || unallocate) then
    perform private.fail('PT404', 'One of the quality services does not exist.', 'Choose services from the list.');
  end if;
  for service in select * from public.quality_services s where s.id = any (allocate || unallocate) order by s.name loop
    if not private.has_role_over(service.commissioner_id, '{organisation_administrator}') then
      perform private.fail('42501', format('You may not allocate reports on %s.', service.name),
        format('Organisation Administrators of %s allocate its services.', private.organisation_label(service.commissioner_id)));
    end if;
    if not exists (select 1 from public.organisation_closure c
                   where c.ancestor_id = service.commissioner_id and c.descendant_id = org.id and c.depth > 0) then
      perform private.fail('23514', format('%s is not below %s, which commissions %s.', private.organisation_label(org.id),
          private.organisation_label(service.commissioner_id), service.name),
        'Reports are allocated to descendant organisations of the commissioner.');
    end if;
  end loop;

  perform private.begin_action('allocated_report.set');
  for service in select * from public.quality_services s where s.id = any (allocate) order by s.name loop
    insert into public.allocated_reports (organisation_id, service_id, allocated_at, allocated_by)
    values (org.id, service.id, now(), me)
    on conflict do nothing
    returning * into row_after;
    if found then
      perform private.write_audit('allocated_report.add', 'allocated_report', org.id::text || '/' || service.id::text, org.id, null,
        null, to_jsonb(row_after), null);
    end if;
  end loop;
  for row_before in
    delete from public.allocated_reports a where a.organisation_id = org.id and a.service_id = any (unallocate) returning *
  loop
    perform private.write_audit('allocated_report.remove', 'allocated_report', org.id::text || '/' || row_before.service_id::text, org.id, null,
      to_jsonb(row_before), null, null);
  end loop;
  perform private.end_action();
  return query select a.service_id from public.allocated_reports a where a.organisation_id = org.id order by a.service_id;
end;
$$;
comment on function public.set_allocated_reports(uuid, uuid[], uuid[]) is
  'Organisation Administrators of a service''s commissioner allow (p_allocate) or stop (p_unallocate) a descendant organisation reporting on it. Already allocated / not allocated: nothing to do.';

-- Read functions (run as the caller: RLS applies).
create function public.can_report_on(p_service_id uuid, p_organisation_id uuid)
returns boolean
language sql
stable
security invoker
set search_path = ''
as $$
  select exists (
    select 1 from public.quality_services s
    join public.organisation_closure c on c.descendant_id = s.commissioner_id and c.ancestor_id = p_organisation_id
    where s.id = p_service_id)
  or exists (
    select 1 from public.allocated_reports a where a.service_id = p_service_id and a.organisation_id = p_organisation_id)
$$;
comment on function public.can_report_on(uuid, uuid) is
  'May the organisation report on the service: it commissions it (or sits above the commissioner), or the commissioner allocated it. Runs as the caller (false for what the caller cannot see).';

create function public.claim_line_amount(p_units integer, p_unit_price numeric)
returns numeric(12, 2)
language plpgsql
immutable
set search_path = ''
as $$
begin
  if p_units is null or p_units < 0 then
    raise exception using errcode = '22023', message = 'Units must be a whole number of 0 or more.', hint = 'Enter 0 when there is nothing to claim.';
  end if;
  return round(p_units * p_unit_price, 2)::numeric(12, 2);
end;
$$;
comment on function public.claim_line_amount(integer, numeric) is 'Units × unit price in pounds, rounded to pence (12 × £193.42 = £2,321.04).';

create function public.offer_unit_price(p_offer_id uuid, p_component_id uuid)
returns numeric(12, 2)
language sql
stable
security invoker
set search_path = ''
as $$
  select coalesce(
    (select t.unit_price from public.offer_tariffs t where t.offer_id = p_offer_id and t.component_id = p_component_id),
    (select c.unit_price from public.service_components c
     join public.service_offers f on f.service_id = c.service_id
     where c.id = p_component_id and f.id = p_offer_id))
$$;
comment on function public.offer_unit_price(uuid, uuid) is 'The unit price that applies to an offer: its tariff override, else the component''s. Null when not a unit component of the offered service (or not visible).';

-- ---------------------------------------------------------------- RLS + privileges

alter table public.quality_services enable row level security;
alter table public.service_components enable row level security;
alter table public.service_questions enable row level security;
alter table public.claim_windows enable row level security;
alter table public.indicator_groups enable row level security;
alter table public.indicators enable row level security;
alter table public.achievement_dates enable row level security;
alter table public.service_offers enable row level security;
alter table public.offer_tariffs enable row level security;
alter table public.allocated_reports enable row level security;

revoke all on public.quality_services, public.service_components, public.service_questions, public.claim_windows,
  public.indicator_groups, public.indicators, public.achievement_dates, public.service_offers, public.offer_tariffs,
  public.allocated_reports
  from anon, authenticated;

grant select on public.quality_services, public.service_components, public.service_questions, public.claim_windows,
  public.indicator_groups, public.indicators, public.achievement_dates, public.service_offers, public.offer_tariffs,
  public.allocated_reports
  to authenticated;
grant insert (commissioner_id, kind, financial_year, payment_type, name, description, starts_on, ends_on, claim_mode,
  participation_only, no_declaration_required, no_approval_required) on public.quality_services to authenticated;
grant update (financial_year, payment_type, name, description, starts_on, ends_on, claim_mode,
  participation_only, no_declaration_required, no_approval_required) on public.quality_services to authenticated;
grant insert (service_id, position, name, kind, unit_price, fixed_amount, information, evidence_required, evidence_text, accepted_file_types)
  on public.service_components to authenticated;
grant update (position, name, kind, unit_price, fixed_amount, information, evidence_required, evidence_text, accepted_file_types)
  on public.service_components to authenticated;
grant insert (service_id, position, kind, question, required) on public.service_questions to authenticated;
grant update (position, kind, question, required) on public.service_questions to authenticated;
grant insert (service_id, period_label, period_starts_on, period_ends_on, opens_on, closes_on) on public.claim_windows to authenticated;
grant update (period_label, period_starts_on, period_ends_on, opens_on, closes_on) on public.claim_windows to authenticated;
grant insert (service_id, position, code, name) on public.indicator_groups to authenticated;
grant update (position, code, name) on public.indicator_groups to authenticated;
grant insert (group_id, service_id, position, code, description, points, payment_basis, payment_rate, lower_threshold, upper_threshold)
  on public.indicators to authenticated;
grant update (position, code, description, points, payment_basis, payment_rate, lower_threshold, upper_threshold)
  on public.indicators to authenticated;
grant insert (service_id, achievement_date, is_payment_date) on public.achievement_dates to authenticated;
grant update (achievement_date, is_payment_date) on public.achievement_dates to authenticated;
grant insert (offer_id, component_id, unit_price) on public.offer_tariffs to authenticated;
grant update (unit_price) on public.offer_tariffs to authenticated;
grant delete on public.quality_services, public.service_components, public.service_questions, public.claim_windows,
  public.indicator_groups, public.indicators, public.achievement_dates, public.offer_tariffs
  to authenticated;

revoke all on function private.quality_services_before_write(), private.service_children_before_write(),
  private.quality_services_participation_check(), private.offer_tariffs_before_write(), private.services_state_guard(),
  private.audit_catalogue_change(), private.commissioner_organisations(public.app_role[]), private.visible_services(),
  private.managed_services(), private.visible_offers(), private.managed_offers(),
  private.people_with_role_at(uuid, public.app_role[]), private.is_provider_type(public.organisation_type),
  private.lock_offer_for_provider(uuid, text), private.end_offers(uuid[], boolean)
  from public;
-- The helpers policies call.
grant execute on function private.commissioner_organisations(public.app_role[]), private.visible_services(),
  private.managed_services(), private.visible_offers(), private.managed_offers()
  to authenticated;

revoke all on function public.offer_service(uuid, uuid[], date, date, date, date), public.accept_offer(uuid),
  public.reject_offer(uuid, text), public.withdraw_offers(uuid[]), public.cancel_offers(uuid[]),
  public.set_allocated_reports(uuid, uuid[], uuid[]), public.can_report_on(uuid, uuid),
  public.claim_line_amount(integer, numeric), public.offer_unit_price(uuid, uuid)
  from public, anon;
grant execute on function public.offer_service(uuid, uuid[], date, date, date, date), public.accept_offer(uuid),
  public.reject_offer(uuid, text), public.withdraw_offers(uuid[]), public.cancel_offers(uuid[]),
  public.set_allocated_reports(uuid, uuid[], uuid[]), public.can_report_on(uuid, uuid),
  public.claim_line_amount(integer, numeric), public.offer_unit_price(uuid, uuid)
  to authenticated, service_role;
