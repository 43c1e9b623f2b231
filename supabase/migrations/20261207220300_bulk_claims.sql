-- Issue 13 (local claims, part 2): bulk claims from a spreadsheet.
--
-- An Approver Tier 1 of a commissioner downloads a template (the
-- import-bulk-claims edge function writes it as XLSX from
-- public.bulk_claim_template), fills in units and uploads it; the function
-- reads the cells as values and hands the rows to public.import_bulk_claims,
-- which holds every rule:
--
-- * Template rows: one per provider × service × claimable component, for the
--   providers the caller reviews at Tier 1 (clusters respected) that have an
--   approved offer of one of the commissioner's local services whose claim
--   window for the chosen period is open today and not yet claimed.
--   Left out, because the practice itself must claim them:
--     - components that need evidence (the file must come from the practice);
--     - services with a required supplementary question (a must-be-yes
--       confirmation or a required answer is the practice's to give);
--     - services without claim windows (bulk claims are per period).
-- * Units: a unit component takes a whole number 0–100,000; a retainer 0 or 1
--   (1 = claim the fixed amount; the uploader acknowledges it). A blank cell
--   claims nothing for that row.
-- * Claims: the rows of one provider + service + period form one claim (a
--   claim window is claimed once per offer, so a claim per row could not hold
--   two components of one service). A group whose rows all have blank or 0
--   units makes no claim. Each claim is created by the uploader, submitted and
--   Tier 1-approved by them (their upload is the Tier 1 decision) and waits for
--   Tier 2 (pending_tier2_review): approve_one_claim already refuses the same
--   person at Tier 2. Its total and risk band are the database's.
-- * All or nothing: every row is checked and reported; nothing is created
--   unless every row is valid.
-- * Idempotent: the same file (sha256) uploaded again for the same
--   commissioner creates nothing and answers with the first import's claims.

create table public.bulk_claim_imports (
  id uuid primary key default gen_random_uuid(),
  commissioner_id uuid not null references public.organisations (id),
  file_sha256 text not null,
  file_name text not null,
  row_count integer not null,
  claim_ids uuid[] not null,
  imported_at timestamptz not null default now(),
  imported_by uuid references public.profiles (id) on delete set null,
  constraint bulk_claim_imports_sha256 check (file_sha256 ~ '^[0-9a-f]{64}$'),
  constraint bulk_claim_imports_name check (char_length(file_name) between 1 and 255),
  constraint bulk_claim_imports_file_key unique (commissioner_id, file_sha256)
);
comment on table public.bulk_claim_imports is
  'Bulk claim uploads (spreadsheets) that created claims: file digest and name, who and when, the claims made. One per file and commissioner. Written only by public.import_bulk_claims.';

alter table public.bulk_claim_imports enable row level security;
create policy "Bulk claim imports are read by the uploader and the commissioner's Tier 1 approvers"
  on public.bulk_claim_imports for select to authenticated
  using (imported_by = (select auth.uid())
         or commissioner_id = any (array(select private.organisations_with_role('{approver_tier_1}'))));
revoke all on public.bulk_claim_imports from anon, authenticated;
grant select on public.bulk_claim_imports to authenticated;

-- ---------------------------------------------------------------- who may

-- The caller, when they are Approver Tier 1 of the commissioner (a membership
-- there or above it; a cluster assignment narrows the providers, not this).
create function private.require_bulk_claimer(p_commissioner_id uuid)
returns uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
begin
  if not exists (
      select 1
      from public.memberships m
      join public.organisation_closure c on c.ancestor_id = m.organisation_id and c.descendant_id = p_commissioner_id
      join public.organisations o on o.id = p_commissioner_id
      where m.profile_id = me and m.status = 'active' and m.roles && '{approver_tier_1}'
        and private.is_commissioner_type(o.type)) then
    perform private.fail('42501',
      format('Only Approver Tier 1 of %s can make bulk claims for it.', coalesce(private.organisation_label(p_commissioner_id), 'this commissioner')),
      'Ask your administrator for the Approver Tier 1 role.');
  end if;
  return me;
end;
$$;

-- ---------------------------------------------------------------- template

-- The claim periods with a window open today in the commissioner's local
-- services (what the template can be asked for).
create function public.bulk_claim_periods(p_commissioner_id uuid)
returns table (period_label text, opens_on date, closes_on date)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_bulk_claimer(p_commissioner_id);
  today date := (now() at time zone 'Europe/London')::date;
begin
  return query
  select w.period_label, min(w.opens_on), max(w.closes_on)
  from public.claim_windows w
  join public.quality_services s on s.id = w.service_id
  where s.commissioner_id = p_commissioner_id and s.kind = 'local' and not s.participation_only
    and today between w.opens_on and w.closes_on
  group by w.period_label
  order by min(w.period_starts_on), w.period_label;
end;
$$;
comment on function public.bulk_claim_periods(uuid) is
  'Bulk claims: the periods whose claim windows are open today in the commissioner''s local services (Approver Tier 1 of the commissioner).';

create function public.bulk_claim_template(p_commissioner_id uuid, p_period_label text)
returns table (
  provider_id uuid, provider_ods_code text, provider_name text, service_id uuid, service_name text,
  component_id uuid, component_name text, kind public.component_kind, period_label text, unit_price numeric, closes_on date)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_bulk_claimer(p_commissioner_id);
  today date := (now() at time zone 'Europe/London')::date;
begin
  return query
  select o.id, o.ods_code, o.name, s.id, s.name, sc.id, sc.name, sc.kind, w.period_label,
         case sc.kind when 'unit' then public.offer_unit_price(f.id, sc.id) else sc.fixed_amount end,
         w.closes_on
  from public.service_offers f
  join public.quality_services s on s.id = f.service_id
  join public.organisations o on o.id = f.provider_id
  join public.claim_windows w on w.service_id = s.id and w.period_label = btrim(p_period_label)
    and w.period_starts_on <= f.ends_on and w.period_ends_on >= f.starts_on
  join public.service_components sc on sc.service_id = s.id and sc.kind in ('unit', 'retainer') and not sc.evidence_required
  where s.commissioner_id = p_commissioner_id and s.kind = 'local' and not s.participation_only
    and f.status = 'approved'
    and today between w.opens_on and w.closes_on
    and f.provider_id = any (array(select private.organisations_with_role('{approver_tier_1}')))
    and not exists (select 1 from public.service_questions q where q.service_id = s.id and q.required)
    and not exists (select 1 from public.claim_services cs join public.claims c on c.id = cs.claim_id
                    where cs.offer_id = f.id and cs.window_id = w.id and c.status <> 'declined')
  order by o.ods_code, s.name, sc.position, sc.name;
end;
$$;
comment on function public.bulk_claim_template(uuid, text) is
  'Bulk claims: the template rows for a period — provider × service × component (unit or retainer, no evidence required, services without required questions) with an approved offer and an open, unclaimed window, for providers the caller reviews at Tier 1 (clusters respected).';

-- ---------------------------------------------------------------- import

-- A problem of one row: {rule, message}.
create function private.bulk_problem(p_rule text, p_message text)
returns jsonb
language sql
immutable
set search_path = ''
as $$
  select jsonb_build_object('rule', p_rule, 'message', p_message)
$$;

-- A checked row as the report shows it: without the ids and figures the import worked with.
create function private.bulk_report_row(p_row jsonb)
returns jsonb
language sql
immutable
set search_path = ''
as $$
  select p_row - 'units_value' - 'provider_id' - 'service_id' - 'component_id' - 'kind' - 'offer_id' - 'window_id' - 'service_name'
$$;

-- The same upload again: the first import's claims (those the caller reaches), created nothing.
create function private.bulk_import_again(p_import public.bulk_claim_imports, p_me uuid)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object(
    'ok', true,
    'duplicate', true,
    'import_id', p_import.id,
    'file_name', p_import.file_name,
    'imported_at', p_import.imported_at,
    'imported_by', coalesce(private.person_label(p_import.imported_by), 'someone no longer in the portal'),
    'created', 0,
    'message', format('This file was already uploaded by %s on %s: its claims were created then, so nothing was created now.',
      coalesce(private.person_label(p_import.imported_by), 'someone no longer in the portal'),
      to_char(p_import.imported_at at time zone 'Europe/London', 'DD/MM/YYYY "at" HH24:MI')),
    'rows', '[]'::jsonb,
    'claims', coalesce((
      select jsonb_agg(jsonb_build_object(
               'claim_id', c.id, 'claim_number', c.claim_number, 'provider_ods_code', o.ods_code, 'provider_name', o.name,
               'services', private.claim_service_names(c.id), 'period', private.claim_period_labels(c.id),
               'total', c.total, 'risk_band', c.risk_band, 'status', c.status) order by c.claim_number)
      from public.claims c join public.organisations o on o.id = c.provider_id
      where c.id = any (p_import.claim_ids)
        and private.person_has_role_over(p_me, c.provider_id, '{approver_tier_1}')), '[]'::jsonb))
$$;

-- p_rows: [{row, ods_code, service, component, period, units}], one per
-- spreadsheet row (row = its row number there). units is a JSON number, a
-- string (as typed; a formula cell arrives as its text) or null (blank).
-- Answers {ok, duplicate, import_id, created, message, rows: [{row, ods_code,
-- provider_name, service, component, period, units, outcome
-- (claimed | not_claimed | invalid), problems: [{rule, message}],
-- claim_id, claim_number}], claims: [{claim_id, claim_number, …, total}]}.
-- Rules: unknown_provider, provider_outside_reach, unknown_component,
-- not_offered, unknown_period, window_closed, already_claimed,
-- evidence_required, questions_required, invalid_units, duplicate_row,
-- unreadable_row.
create function public.import_bulk_claims(p_commissioner_id uuid, p_file_sha256 text, p_file_name text, p_rows jsonb)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_bulk_claimer(p_commissioner_id);
  today date := (now() at time zone 'Europe/London')::date;
  file_name text := nullif(btrim(p_file_name), '');
  previous public.bulk_claim_imports;
  item record;
  r jsonb;
  row_no integer;
  ods text;
  service_text text;
  component_text text;
  period_text text;
  units_raw jsonb;
  units_text text;
  units_value numeric;
  units integer;
  provider public.organisations;
  component record;
  usable boolean;
  offer_id uuid;
  win public.claim_windows;
  problems jsonb;
  seen jsonb := '{}'::jsonb;
  dedupe_key text;
  resolved jsonb := '[]'::jsonb;
  report jsonb := '[]'::jsonb;
  invalid_count integer := 0;
  grp record;
  line jsonb;
  claim public.claims;
  mode public.claim_submission_mode;
  created jsonb := '[]'::jsonb;
  claim_ids uuid[] := '{}';
  claim_of_row jsonb := '{}'::jsonb;
  import_row public.bulk_claim_imports;
begin
  if p_file_sha256 is null or p_file_sha256 !~ '^[0-9a-f]{64}$' then
    perform private.fail('22023', 'The file''s digest must be its SHA-256 in lower-case hex.', 'Upload the file through the portal.');
  end if;
  if file_name is null or char_length(file_name) > 255 then
    perform private.fail('22023', 'The file needs a name of at most 255 characters.', 'Rename the file and upload it again.');
  end if;
  if jsonb_typeof(p_rows) is distinct from 'array' then
    perform private.fail('22023', 'The rows must be a JSON array.', '[{row, ods_code, service, component, period, units}]');
  end if;
  if jsonb_array_length(p_rows) = 0 then
    perform private.fail('22023', 'The file has no rows below its header: nothing to claim.', 'Download the template, enter units and upload it.');
  end if;
  if jsonb_array_length(p_rows) > 5000 then
    perform private.fail('22023', format('The file has %s rows; at most 5,000 at once.', jsonb_array_length(p_rows)), 'Split it into smaller files.');
  end if;

  -- One upload of a file at a time per commissioner; then: seen before?
  perform pg_advisory_xact_lock(hashtextextended('bulk_claims:' || p_commissioner_id::text || ':' || p_file_sha256, 0));
  select * into previous from public.bulk_claim_imports i where i.commissioner_id = p_commissioner_id and i.file_sha256 = p_file_sha256;
  if found then
    return private.bulk_import_again(previous, me);
  end if;

  -- Pass 1: what each row names, and what is wrong with it on its own.
  for item in select e.value, e.ordinality from jsonb_array_elements(p_rows) with ordinality e loop
    r := item.value;
    problems := '[]'::jsonb;
    row_no := case when jsonb_typeof(r -> 'row') = 'number' then (r ->> 'row')::numeric::integer else item.ordinality::integer + 1 end;
    if jsonb_typeof(r) is distinct from 'object' then
      report := report || jsonb_build_object('row', row_no, 'outcome', 'invalid',
        'problems', jsonb_build_array(private.bulk_problem('unreadable_row', format('Row %s could not be read.', row_no))));
      invalid_count := invalid_count + 1;
      continue;
    end if;
    ods := upper(left(btrim(coalesce(r ->> 'ods_code', '')), 50));
    service_text := left(btrim(coalesce(r ->> 'service', '')), 300);
    component_text := left(btrim(coalesce(r ->> 'component', '')), 300);
    period_text := left(btrim(coalesce(r ->> 'period', '')), 100);
    units_raw := r -> 'units';
    units_text := case when jsonb_typeof(units_raw) = 'string' then left(btrim(units_raw #>> '{}'), 100)
                       when jsonb_typeof(units_raw) = 'number' then units_raw::text end;
    units := null;
    provider := null;
    offer_id := null;
    win := null;

    -- Units: blank, or a whole number (a retainer: 0 or 1). Text, formulas, decimals and negatives are refused.
    units_value := null;
    if units_text is not null and units_text <> '' then
      if units_text ~ '^[+-]?[0-9]{1,20}(\.[0-9]{1,20})?$' then
        units_value := units_text::numeric;
      end if;
      if units_value is null then
        problems := problems || private.bulk_problem('invalid_units', format('Units "%s" is not a number: enter a whole number of units (0 or more).', left(units_text, 40)));
      elsif units_value < 0 then
        problems := problems || private.bulk_problem('invalid_units', format('Units %s is negative: enter 0 or more.', units_value));
      elsif units_value <> trunc(units_value) then
        problems := problems || private.bulk_problem('invalid_units', format('Units %s is not a whole number.', units_value));
      elsif units_value > 100000 then
        problems := problems || private.bulk_problem('invalid_units', format('Units %s is more than 100,000.', units_value));
      else
        units := units_value::integer;
      end if;
    end if;

    -- Provider: known, and reviewed by the caller at Tier 1 (clusters respected).
    if ods = '' then
      problems := problems || private.bulk_problem('unknown_provider', 'The provider''s ODS code is missing.');
    else
      -- ODS codes are stored in capitals (organisations_ods_code_format): the unique index finds it.
      select * into provider from public.organisations o where o.ods_code = ods;
      if provider.id is null then
        problems := problems || private.bulk_problem('unknown_provider', format('No organisation has the ODS code "%s".', ods));
      elsif not private.person_has_role_over(me, provider.id, '{approver_tier_1}') then
        problems := problems || private.bulk_problem('provider_outside_reach',
          format('%s is not a provider you review at Tier 1: you cannot claim for it.', private.organisation_label(provider.id)));
        provider := null;
      end if;
    end if;

    -- Component: of one of the commissioner's local services (names as in the template, any letter case).
    select sc.id, sc.name, sc.kind, sc.evidence_required, s.id as service_id, s.name as service_name, s.participation_only,
           exists (select 1 from public.service_questions q where q.service_id = s.id and q.required) as has_required_questions
    into component
    from public.service_components sc join public.quality_services s on s.id = sc.service_id
    where s.commissioner_id = p_commissioner_id and s.kind = 'local'
      and lower(s.name) = lower(service_text) and lower(sc.name) = lower(component_text)
    order by (exists (select 1 from public.service_offers f where f.service_id = s.id and f.provider_id = provider.id and f.status = 'approved')) desc,
             s.starts_on desc
    limit 1;
    if component.id is null then
      problems := problems || private.bulk_problem('unknown_component',
        case when service_text = '' or component_text = '' then 'The service or component is missing.'
             else format('"%s" is not a component of a local service "%s" of %s.', left(component_text, 80), left(service_text, 80),
                         private.organisation_label(p_commissioner_id)) end);
    elsif component.kind not in ('unit', 'retainer') or component.participation_only then
      problems := problems || private.bulk_problem('unknown_component', format('%s is a participation component: there is nothing to claim for it.', component.name));
    elsif units is not null and component.kind = 'retainer' and units > 1 then
      problems := problems || private.bulk_problem('invalid_units', format('%s is a retainer: enter 1 to claim its fixed amount, or 0.', component.name));
      units := null;
    end if;

    usable := coalesce(component.id is not null and component.kind in ('unit', 'retainer') and not component.participation_only, false);
    if provider.id is not null and usable then
      select f.id into offer_id from public.service_offers f
      where f.service_id = component.service_id and f.provider_id = provider.id and f.status = 'approved'
      order by f.starts_on desc limit 1;
      if offer_id is null then
        problems := problems || private.bulk_problem('not_offered', format('%s has no approved offer of %s.', private.organisation_label(provider.id), component.service_name));
      else
        select w.* into win from public.claim_windows w join public.service_offers f on f.id = offer_id
        where w.service_id = component.service_id and lower(w.period_label) = lower(period_text)
          and w.period_starts_on <= f.ends_on and w.period_ends_on >= f.starts_on;
        if win.id is null then
          problems := problems || private.bulk_problem('unknown_period',
            case when period_text = '' then 'The period is missing.'
                 else format('%s has no claim window "%s".', component.service_name, left(period_text, 40)) end);
        end if;
      end if;
    end if;

    -- What only matters for a row that claims something.
    if coalesce(units, 0) >= 1 and usable then
      if component.evidence_required then
        problems := problems || private.bulk_problem('evidence_required',
          format('%s needs evidence for %s units: the practice claims it with its file (enter 0 or leave it blank here).', component.name, units));
      end if;
      if component.has_required_questions then
        problems := problems || private.bulk_problem('questions_required',
          format('%s has questions only the practice can answer: the practice claims it (leave it blank here).', component.service_name));
      end if;
      if win.id is not null and today > win.closes_on then
        problems := problems || private.bulk_problem('window_closed',
          format('The claim window for %s (%s) closed on %s.', component.service_name, win.period_label, private.uk_date(win.closes_on)));
      elsif win.id is not null and today < win.opens_on then
        problems := problems || private.bulk_problem('window_closed',
          format('The claim window for %s (%s) opens on %s.', component.service_name, win.period_label, private.uk_date(win.opens_on)));
      end if;
    end if;

    -- The same provider, component and period twice in one file.
    if provider.id is not null and usable and units is not null then
      dedupe_key := format('%s|%s|%s', provider.id, component.id, lower(period_text));
      if seen ? dedupe_key then
        problems := problems || private.bulk_problem('duplicate_row',
          format('Row %s already claims %s for %s (%s): each component once per provider and period.', seen ->> dedupe_key, component.name, ods, period_text));
      else
        seen := seen || jsonb_build_object(dedupe_key, row_no);
      end if;
    end if;

    resolved := resolved || jsonb_build_object(
      'row', row_no, 'ods_code', nullif(left(btrim(coalesce(r ->> 'ods_code', '')), 50), ''), 'provider_id', provider.id, 'provider_name', provider.name,
      'service', nullif(service_text, ''), 'component', nullif(component_text, ''), 'period', coalesce(win.period_label, nullif(period_text, '')),
      'units', units_text, 'units_value', units,
      'service_id', case when usable then component.service_id end, 'service_name', component.service_name,
      'component_id', case when usable then component.id end, 'kind', component.kind, 'offer_id', offer_id, 'window_id', win.id,
      'problems', problems);
  end loop;

  -- Pass 2, with the offers locked (two claims racing for one window: the offer row serialises them, as in add_claim_lines).
  perform 1 from public.service_offers f
  where f.id in (select (x ->> 'offer_id')::uuid from jsonb_array_elements(resolved) x where x ->> 'offer_id' is not null)
  order by f.id for update;
  for item in select x.value, x.ordinality from jsonb_array_elements(resolved) with ordinality x loop
    r := item.value;
    problems := r -> 'problems';
    -- (A closed window is the problem to fix; whether it was claimed then does not matter.)
    if coalesce((r ->> 'units_value')::integer, 0) >= 1 and r ->> 'window_id' is not null
       and not problems @> '[{"rule": "window_closed"}]' and exists (
        select 1 from public.claim_services cs join public.claims c on c.id = cs.claim_id
        where cs.offer_id = (r ->> 'offer_id')::uuid and cs.window_id = (r ->> 'window_id')::uuid and c.status <> 'declined') then
      problems := problems || private.bulk_problem('already_claimed',
        format('%s (%s) is already claimed for %s.', r ->> 'service_name', r ->> 'period', r ->> 'ods_code'));
    end if;
    if jsonb_array_length(problems) > 0 then
      invalid_count := invalid_count + 1;
    end if;
    resolved := jsonb_set(resolved, array[(item.ordinality - 1)::text], r || jsonb_build_object('problems', problems));
  end loop;

  if invalid_count = 0 and not exists (select 1 from jsonb_array_elements(resolved) x where (x ->> 'units_value')::integer >= 1) then
    return jsonb_build_object('ok', false, 'duplicate', false, 'created', 0,
      'message', 'The file claims nothing: enter units (1 or more) on the rows to claim, then upload it again.',
      'rows', (select jsonb_agg(private.bulk_report_row(x)
                                || jsonb_build_object('outcome', 'not_claimed') order by (x ->> 'row')::integer)
               from jsonb_array_elements(resolved) x),
      'claims', '[]'::jsonb);
  end if;

  if invalid_count > 0 then
    return jsonb_build_object('ok', false, 'duplicate', false, 'created', 0,
      'message', format('%s of %s rows cannot be claimed: nothing was created. Correct them and upload the file again.',
        invalid_count, jsonb_array_length(p_rows)),
      'rows', (select jsonb_agg(x order by (x ->> 'row')::integer) from (
                 select private.bulk_report_row(x)
                        || jsonb_build_object('outcome', case when jsonb_array_length(x -> 'problems') > 0 then 'invalid' else 'not_claimed' end) as x
                 from jsonb_array_elements(resolved) x
                 union all
                 select x from jsonb_array_elements(report) x) rows_),
      'claims', '[]'::jsonb);
  end if;

  -- Every row is valid: one claim per provider + service + period with units ≥ 1 somewhere.
  perform private.begin_action('claim.bulk_import');
  select s.claim_submission into mode from public.commissioner_settings s where s.organisation_id = p_commissioner_id;
  for grp in
    select x ->> 'provider_id' as provider_id, x ->> 'service_id' as service_id, x ->> 'offer_id' as offer_id,
           x ->> 'window_id' as window_id, min(x ->> 'period') as period_label, min(x ->> 'ods_code') as ods_code,
           min(x ->> 'service_name') as service_name,
           jsonb_agg(x order by (x ->> 'row')::integer) as lines
    from jsonb_array_elements(resolved) x
    where x ->> 'units_value' is not null
    group by 1, 2, 3, 4
    having max((x ->> 'units_value')::integer) >= 1
    order by min(x ->> 'ods_code'), min(x ->> 'service_name'), min(x ->> 'period')
  loop
    insert into public.claims (provider_id, commissioner_id, submission_mode, created_by, submitted_by, submitted_at)
    values (grp.provider_id::uuid, p_commissioner_id, coalesce(mode, 'multi_service'), me, me, now())
    returning * into claim;
    insert into public.claim_services (claim_id, service_id, offer_id, window_id, period_label)
    values (claim.id, grp.service_id::uuid, grp.offer_id::uuid, grp.window_id::uuid, grp.period_label);
    -- The service's optional questions, unanswered (services with required ones are not bulk-claimed).
    insert into public.claim_answers (claim_id, service_id, question_id)
    select claim.id, q.service_id, q.id from public.service_questions q where q.service_id = grp.service_id::uuid;
    for line in select * from jsonb_array_elements(grp.lines) loop
      if line ->> 'kind' = 'unit' then
        insert into public.claim_lines (claim_id, service_id, component_id, kind, position, units, unit_price)
        select claim.id, sc.service_id, sc.id, sc.kind, sc.position, (line ->> 'units_value')::integer,
               public.offer_unit_price(grp.offer_id::uuid, sc.id)
        from public.service_components sc where sc.id = (line ->> 'component_id')::uuid;
      elsif (line ->> 'units_value')::integer = 1 then
        insert into public.claim_lines (claim_id, service_id, component_id, kind, position, fixed_amount, acknowledged_at, acknowledged_by)
        select claim.id, sc.service_id, sc.id, sc.kind, sc.position, sc.fixed_amount, now(), me
        from public.service_components sc where sc.id = (line ->> 'component_id')::uuid;
      end if;
      claim_of_row := claim_of_row || jsonb_build_object(line ->> 'row', jsonb_build_object('claim_id', claim.id, 'claim_number', claim.claim_number));
    end loop;
    perform private.refresh_claim_total(claim.id);
    update public.claims c
    set status = 'pending_tier2_review',
        risk_band = private.claim_risk_band(c.total, c.commissioner_id),
        submitted_fingerprint = private.claim_fingerprint(c.id),
        tier1_approved_by = me, tier1_approved_at = now()
    where c.id = claim.id
    returning * into claim;
    perform private.claim_audit('claim.bulk_import', null, claim.id, null,
      jsonb_build_object('file_name', file_name, 'file_sha256', p_file_sha256,
        'rows', (select jsonb_agg((l ->> 'row')::integer) from jsonb_array_elements(grp.lines) l)));
    perform private.queue_review_tasks(claim, '{approver_tier_2}', 'Tier 2 review', array[me]);
    claim_ids := claim_ids || claim.id;
    created := created || jsonb_build_object('claim_id', claim.id, 'claim_number', claim.claim_number,
      'provider_ods_code', grp.ods_code, 'provider_name', private.organisation_label(claim.provider_id),
      'services', grp.service_name, 'period', grp.period_label, 'total', claim.total, 'risk_band', claim.risk_band, 'status', claim.status);
  end loop;

  insert into public.bulk_claim_imports (commissioner_id, file_sha256, file_name, row_count, claim_ids, imported_by)
  values (p_commissioner_id, p_file_sha256, file_name, jsonb_array_length(p_rows), claim_ids, me)
  returning * into import_row;
  perform private.write_audit('claim.bulk_import', 'bulk_claim_import', import_row.id::text, p_commissioner_id, null, null,
    to_jsonb(import_row), null);
  perform private.end_action();

  return jsonb_build_object('ok', true, 'duplicate', false, 'import_id', import_row.id, 'file_name', file_name,
    'created', cardinality(claim_ids),
    'message', format('%s claims created from %s rows: they wait for Tier 2 review.', cardinality(claim_ids), jsonb_array_length(p_rows)),
    'rows', (select jsonb_agg(private.bulk_report_row(x)
                              || jsonb_build_object('outcome', case when claim_of_row ? (x ->> 'row') then 'claimed' else 'not_claimed' end)
                              || coalesce(claim_of_row -> (x ->> 'row'), '{}'::jsonb)
                              order by (x ->> 'row')::integer)
             from jsonb_array_elements(resolved) x),
    'claims', created);
end;
$$;
comment on function public.import_bulk_claims(uuid, text, text, jsonb) is
  'Bulk claims (Approver Tier 1 of the commissioner): check every spreadsheet row, and only when all are valid create one claim per provider + service + period, waiting for Tier 2. The same file (sha256) again creates nothing and answers with the first import''s claims. Answers a row-by-row report.';

revoke all on function private.require_bulk_claimer(uuid), private.bulk_problem(text, text), private.bulk_report_row(jsonb),
  private.bulk_import_again(public.bulk_claim_imports, uuid)
  from public;
revoke all on function public.bulk_claim_periods(uuid), public.bulk_claim_template(uuid, text),
  public.import_bulk_claims(uuid, text, text, jsonb)
  from public, anon;
grant execute on function public.bulk_claim_periods(uuid), public.bulk_claim_template(uuid, text),
  public.import_bulk_claims(uuid, text, text, jsonb)
  to authenticated;
