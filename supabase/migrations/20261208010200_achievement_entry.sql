-- Issue 14 (national services), part 2: entering achievement, calculating
-- points and payment, the missing-data check, recalculation, extracts and
-- list sizes. (Part 1, 20261208010100_achievement_schema.sql, made the
-- tables; part 3, 20261208010300_declarations.sql, the network achievement
-- actions and the declaration machine.)
--
-- Actions (authenticated; each checks role, reach, state and the adjustment
-- rules, writes the audit trail):
--   start_achievement          Add New Achievement (provider's Achievement Entry, or a commissioner)
--   save_achievement_values    Save Work in Progress (New Values; nothing is calculated)
--   submit_achievement         Submit Achievement Data: New Values become current, a submission
--                              is recorded and the achievement is calculated
--   discard_achievement_work   drop the New Values
--   achievement_change_problem null when the caller may change the achievement, else the rule
-- Jobs and loads (service role):
--   run_achievement_recalculation   the scheduled job (edge function recalculate-achievement)
--   load_achievement_extract        extract rows → submitted, calculated achievement
--   load_list_sizes                 list sizes with their effective dates
-- Calculation (one place, set-based): private.calculate_achievements and
-- private.aggregate_network_achievements; docs/achievement.md has the rules
-- and a worked example to the penny.
-- Read: view public.achievement_missing_data ("submitted n of m" per group).

-- ---------------------------------------------------------------- write guard: deleted accounts

-- Deleting an account sets the achievement tables' people columns to null
-- (their foreign keys are on delete set null); the guard lets exactly that
-- through, as the claims guard does (20261207195000_claims_fixes.sql).
create function private.achievement_only_deleted_people_cleared(p_before jsonb, p_after jsonb)
returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  people text[] := array['created_by', 'submitted_by', 'updated_by', 'declared_by', 'commissioner_approved_by', 'finance_approved_by'];
  col text;
  cleared integer := 0;
begin
  if (p_after - people - 'updated_at') <> (p_before - people - 'updated_at') then
    return false;
  end if;
  foreach col in array people loop
    if (p_after ->> col) is distinct from (p_before ->> col) then
      if (p_after ->> col) is not null or exists (select 1 from public.profiles p where p.id = (p_before ->> col)::uuid) then
        return false;
      end if;
      cleared := cleared + 1;
    end if;
  end loop;
  return cleared > 0;
end;
$$;

create or replace function private.achievement_write_guard()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if coalesce(current_setting('app.action', true), '') = '' then
    if tg_op = 'UPDATE' and private.achievement_only_deleted_people_cleared(to_jsonb(old), to_jsonb(new)) then
      return new;
    end if;
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

-- ---------------------------------------------------------------- helpers

-- The provider's registered list size on a date: the row with the latest
-- effective_from on or before it (null when none).
create function private.list_size_on(p_organisation_id uuid, p_on date)
returns integer
language sql
stable
security definer
set search_path = ''
as $$
  select l.list_size from public.list_sizes l
  where l.organisation_id = p_organisation_id and l.effective_from <= p_on
  order by l.effective_from desc
  limit 1
$$;
comment on function private.list_size_on(uuid, date) is 'A provider''s list size on a date (latest effective_from on or before it), null when none is loaded.';

-- A JSON value that is absent, null, or a whole number from 0 to 2,147,483,647
-- (CASE keeps the cast from running on anything else).
create function private.jsonb_is_count(p_value jsonb)
returns boolean
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case
    when p_value is null or jsonb_typeof(p_value) = 'null' then true
    when jsonb_typeof(p_value) <> 'number' then false
    else (p_value #>> '{}')::numeric >= 0 and (p_value #>> '{}')::numeric = trunc((p_value #>> '{}')::numeric)
         and (p_value #>> '{}')::numeric <= 2147483647
  end
$$;

-- A YYYY-MM-DD text as a date; null when it is not one.
create function private.try_date(p_text text)
returns date
language plpgsql
immutable
set search_path = ''
as $$
begin
  if p_text !~ '^\d{4}-\d{2}-\d{2}$' then
    return null;
  end if;
  return p_text::date;
exception when others then
  return null;
end;
$$;

-- The score of a percentage indicator as a fraction points_num / points_den,
-- so points and payment are each computed with ONE division (exact numeric;
-- the achievement's payment is rounded to pennies once, at the end).
--   no denominator (null or 0) or no numerator: 0
--   pct < lower: 0;  pct ≥ upper: max;  else max × (pct − lower) / (upper − lower)
-- with pct = 100 × n / d, compared as 100·n against threshold·d (no division).
create function private.indicator_score(p_numerator integer, p_denominator integer, p_max numeric,
  p_lower numeric, p_upper numeric)
returns table (points_num numeric, points_den numeric)
language sql
immutable
parallel safe
set search_path = ''
as $$
  select
    case
      when p_numerator is null or coalesce(p_denominator, 0) = 0 then 0::numeric
      when 100::numeric * p_numerator < coalesce(p_lower, 0) * p_denominator then 0::numeric
      when 100::numeric * p_numerator >= coalesce(p_upper, 100) * p_denominator then p_max
      else p_max * (100::numeric * p_numerator - coalesce(p_lower, 0) * p_denominator)
    end,
    case
      when p_numerator is null or coalesce(p_denominator, 0) = 0 then 1::numeric
      when 100::numeric * p_numerator < coalesce(p_lower, 0) * p_denominator then 1::numeric
      when 100::numeric * p_numerator >= coalesce(p_upper, 100) * p_denominator then 1::numeric
      else (coalesce(p_upper, 100) - coalesce(p_lower, 0)) * p_denominator
    end
$$;
comment on function private.indicator_score(integer, integer, numeric, numeric, numeric) is
  'Points of a percentage indicator as the fraction points_num / points_den (0 below the lower threshold, max at or above the upper, linear in between; no score without a denominator).';

-- The payment period an achievement date belongs to ends at the first payment
-- date on or after it (null when the service has none after it).
create function private.payment_date_for(p_service_id uuid, p_on date)
returns date
language sql
stable
security definer
set search_path = ''
as $$
  select min(d.achievement_date) from public.achievement_dates d
  where d.service_id = p_service_id and d.is_payment_date and d.achievement_date >= p_on
$$;

-- Flags achievement for the recalculation job, under an action name when none is set (triggers on
-- tables written outside the achievement actions — PCN history, catalogue —
-- still have to get past the achievement write guard).
create function private.flag_achievement_recalculation(p_achievement_ids uuid[], p_network_ids uuid[], p_reason text)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  prior_action text := coalesce(current_setting('app.action', true), '');
begin
  if prior_action = '' then
    perform private.begin_action('achievement.flag_recalculation');
  end if;
  -- Only calculated (submitted) achievement has figures to redo.
  update public.achievements a
  set recalculation_requested_at = coalesce(a.recalculation_requested_at, now()),
      recalculation_reason = coalesce(a.recalculation_reason, p_reason)
  where a.id = any (p_achievement_ids) and a.status = 'submitted';
  update public.network_achievements n
  set recalculation_requested_at = coalesce(n.recalculation_requested_at, now())
  where n.id = any (p_network_ids);
  perform set_config('app.action', prior_action, true);
end;
$$;
comment on function private.flag_achievement_recalculation(uuid[], uuid[], text) is
  'Marks achievements (submitted ones) and network achievements for the recalculation job; keeps the first request''s time and reason.';

-- Makes sure the PCN of each achievement's provider on its date has a
-- network achievement row for (service, date) when the service has network
-- indicators, so the PCN's people see what waits for them. Returns the rows
-- (new or existing) of those PCNs.
create function private.ensure_network_achievements(p_achievement_ids uuid[])
returns setof uuid
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.network_achievements (pcn_id, service_id, achievement_date, commissioner_id, recalculation_requested_at)
  select distinct m.pcn_id, a.service_id, a.achievement_date, s.commissioner_id, now()
  from public.achievements a
  join public.quality_services s on s.id = a.service_id
  join public.pcn_memberships m on m.practice_id = a.provider_id and m.during @> a.achievement_date
  where a.id = any (p_achievement_ids)
    and exists (select 1 from public.indicators i where i.service_id = a.service_id and i.network)
  on conflict (pcn_id, service_id, achievement_date) do nothing;
  return query
  select distinct n.id
  from public.achievements a
  join public.pcn_memberships m on m.practice_id = a.provider_id and m.during @> a.achievement_date
  join public.network_achievements n on n.pcn_id = m.pcn_id and n.service_id = a.service_id and n.achievement_date = a.achievement_date
  where a.id = any (p_achievement_ids);
end;
$$;

-- ---------------------------------------------------------------- calculation

-- A PCN's aggregate per network indicator: sums over the practices that
-- belonged to the PCN ON THE ACHIEVEMENT DATE (pcn_memberships.during) and
-- have submitted values; with the PCN-level percentage and points. Also
-- counts the member and reporting practices. Set-based over many rows.
create function private.aggregate_network_achievements(p_network_achievement_ids uuid[])
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  prior_action text := coalesce(current_setting('app.action', true), '');
begin
  if prior_action = '' then
    perform private.begin_action('achievement.aggregate_network');
  end if;

  delete from public.network_achievement_values v where v.network_achievement_id = any (p_network_achievement_ids);

  insert into public.network_achievement_values (network_achievement_id, indicator_id, numerator, denominator, count,
    reporting_practices, percentage, points)
  with na as (
    select n.id, n.pcn_id, n.service_id, n.achievement_date
    from public.network_achievements n where n.id = any (p_network_achievement_ids)
  ), member_values as (
    select na.id as na_id, v.indicator_id, v.numerator, v.denominator, v.count
    from na
    join public.pcn_memberships m on m.pcn_id = na.pcn_id and m.during @> na.achievement_date
    join public.achievements a on a.provider_id = m.practice_id and a.service_id = na.service_id
      and a.achievement_date = na.achievement_date and a.status = 'submitted'
    join public.achievement_values v on v.achievement_id = a.id and v.submitted
  ), sums as (
    select na.id as na_id, i.id as indicator_id, i.payment_basis, i.points as max_points, i.lower_threshold, i.upper_threshold,
           sum(mv.numerator)::integer as numerator, sum(mv.denominator)::integer as denominator, sum(mv.count)::integer as count,
           count(mv.indicator_id)::integer as reporting
    from na
    join public.indicators i on i.service_id = na.service_id and i.network
    left join member_values mv on mv.na_id = na.id and mv.indicator_id = i.id
    group by na.id, i.id
  )
  select s.na_id, s.indicator_id, s.numerator, s.denominator, s.count, s.reporting,
         case when s.payment_basis = 'per_point' and coalesce(s.denominator, 0) > 0 and s.numerator is not null
              then 100::numeric * s.numerator / s.denominator end,
         case when s.payment_basis = 'per_point' then sc.points_num / sc.points_den else 0 end
  from sums s
  cross join lateral private.indicator_score(s.numerator, s.denominator, s.max_points, s.lower_threshold, s.upper_threshold) sc;

  update public.network_achievements n
  set member_practices = counts.members,
      reporting_practices = counts.reporting,
      calculated_at = now(),
      recalculation_requested_at = null
  from (
    select na.id,
           count(distinct m.practice_id)::integer as members,
           count(distinct a.provider_id) filter (where a.status = 'submitted')::integer as reporting
    from public.network_achievements na
    left join public.pcn_memberships m on m.pcn_id = na.pcn_id and m.during @> na.achievement_date
    left join public.achievements a on a.provider_id = m.practice_id and a.service_id = na.service_id
      and a.achievement_date = na.achievement_date
    where na.id = any (p_network_achievement_ids)
    group by na.id
  ) counts
  where n.id = counts.id;

  perform set_config('app.action', prior_action, true);
end;
$$;
comment on function private.aggregate_network_achievements(uuid[]) is
  'Re-aggregates network achievements: per network indicator the sums over the practices in the PCN on the achievement date with submitted values, the PCN''s percentage and points; member and reporting practice counts.';

-- The calculation (domain.md; docs/achievement.md has a worked example).
-- Per indicator of the service:
--   per_point (percentage): points from private.indicator_score;
--     payment_exact = points × payment_rate × list-size adjustment, where the
--     adjustment = list size on the date ÷ the service's reference list size
--     (1 without a reference; 0 when the reference is set and the provider
--     has no list size on the date);
--   per_unit: points 0, payment_exact = count × payment_rate (no scaling);
--   network indicators score on the PCN's aggregate (network_achievement_values)
--     once the PCN's network achievement is submitted; until then, or with no
--     PCN on the date, awaiting_network: 0 points, £0 (a per-unit network
--     indicator is paid the practice's own count, also only then).
-- achievement.points = Σ points; achievement.payment = round(Σ payment_exact, 2):
-- pennies rounded ONCE. Every input is stored on the result row.
-- Achievement whose declaration is approved for payment is final: it is not
-- recalculated (its flag is just cleared), so the paid figures stay.
create function private.calculate_achievements(p_achievement_ids uuid[])
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  prior_action text := coalesce(current_setting('app.action', true), '');
  ids uuid[];
begin
  if prior_action = '' then
    perform private.begin_action('achievement.calculate');
  end if;

  ids := array(
    select a.id from public.achievements a
    where a.id = any (p_achievement_ids) and a.status = 'submitted'
      and not exists (select 1 from public.declarations d where d.achievement_id = a.id and d.status = 'approved_for_payment'));

  -- Final (paid) or never submitted: nothing to calculate, nothing pending.
  update public.achievements a
  set recalculation_requested_at = null, recalculation_reason = null
  where a.id = any (p_achievement_ids) and not (a.id = any (ids)) and a.recalculation_requested_at is not null;

  delete from public.achievement_results r where r.achievement_id = any (ids);

  insert into public.achievement_results (achievement_id, indicator_id, payment_basis, network, numerator, denominator, count,
    pcn_id, lower_threshold, upper_threshold, max_points, payment_rate, list_size, reference_list_size, list_size_adjustment,
    percentage, points, payment_exact, awaiting_network)
  with a as (
    select a.id, a.provider_id, a.service_id, a.achievement_date, s.reference_list_size,
           private.list_size_on(a.provider_id, a.achievement_date) as list_size,
           m.pcn_id
    from public.achievements a
    join public.quality_services s on s.id = a.service_id
    left join public.pcn_memberships m on m.practice_id = a.provider_id and m.during @> a.achievement_date
    where a.id = any (ids)
  ), inputs as (
    select a.id as achievement_id, i.id as indicator_id, i.payment_basis, i.network,
           i.lower_threshold, i.upper_threshold, i.points as max_points, i.payment_rate,
           a.list_size, a.reference_list_size, a.pcn_id,
           -- The adjustment as a fraction adj_num / adj_den.
           case when a.reference_list_size is null then 1 else coalesce(a.list_size, 0) end::numeric as adj_num,
           coalesce(a.reference_list_size, 1)::numeric as adj_den,
           -- Waiting for the PCN: a network indicator without a submitted network achievement.
           i.network and coalesce(n.status <> 'submitted', true) as awaiting_network,
           -- Values scored: the PCN's aggregate for network percentage indicators, else the practice's own.
           case when i.network and i.payment_basis = 'per_point' then nv.numerator else v.numerator end as numerator,
           case when i.network and i.payment_basis = 'per_point' then nv.denominator else v.denominator end as denominator,
           v.count
    from a
    join public.indicators i on i.service_id = a.service_id
    left join public.achievement_values v on v.achievement_id = a.id and v.indicator_id = i.id and v.submitted
    left join public.network_achievements n on i.network and n.pcn_id = a.pcn_id
      and n.service_id = a.service_id and n.achievement_date = a.achievement_date
    left join public.network_achievement_values nv on nv.network_achievement_id = n.id and nv.indicator_id = i.id
  )
  select x.achievement_id, x.indicator_id, x.payment_basis, x.network, x.numerator, x.denominator, x.count,
         x.pcn_id, x.lower_threshold, x.upper_threshold, x.max_points, x.payment_rate, x.list_size, x.reference_list_size,
         x.adj_num / x.adj_den,
         case when x.payment_basis = 'per_point' and x.numerator is not null and coalesce(x.denominator, 0) > 0
              then 100::numeric * x.numerator / x.denominator end,
         case when x.awaiting_network or x.payment_basis = 'per_unit' then 0
              else sc.points_num / sc.points_den end,
         case when x.awaiting_network then 0
              when x.payment_basis = 'per_unit' then coalesce(x.count, 0) * x.payment_rate
              else sc.points_num * x.payment_rate * x.adj_num / (sc.points_den * x.adj_den) end,
         x.awaiting_network
  from inputs x
  cross join lateral private.indicator_score(x.numerator, x.denominator, x.max_points, x.lower_threshold, x.upper_threshold) sc;

  update public.achievements a
  set points = coalesce(t.points, 0),
      payment = round(coalesce(t.payment_exact, 0), 2),
      -- (clock_timestamp: a second calculation in the same transaction is still a new one.)
      calculated_at = clock_timestamp(),
      recalculation_requested_at = null,
      recalculation_reason = null
  from (
    select x.id, sum(r.points) as points, sum(r.payment_exact) as payment_exact
    from unnest(ids) as x (id)
    left join public.achievement_results r on r.achievement_id = x.id
    group by x.id
  ) t
  where a.id = t.id;

  perform set_config('app.action', prior_action, true);
end;
$$;
comment on function private.calculate_achievements(uuid[]) is
  'Calculates achievements (set-based): per-indicator results with their inputs, then points = Σ points and payment = round(Σ exact payments, 2). Clears the recalculation flag. Achievement approved for payment is left as paid.';

-- ---------------------------------------------------------------- missing-data check

create view public.achievement_missing_data with (security_invoker = true) as
select p.id as provider_id, p.ods_code as provider_ods_code, p.name as provider_name,
       s.id as service_id, s.name as service_name,
       d.achievement_date, d.is_payment_date,
       g.id as group_id, g.code as group_code, g.name as group_name, g.position as group_position,
       a.id as achievement_id,
       (count(*) filter (where v.submitted))::integer as submitted,
       count(*)::integer as possible,
       coalesce(array_agg(i.code order by i.position, i.code) filter (where v.submitted is not true), '{}'::text[]) as missing_indicator_codes
from (select distinct o.provider_id, o.service_id from public.service_offers o where o.status = 'approved') offer
join public.quality_services s on s.id = offer.service_id and s.kind = 'national'
-- Practices enter achievement; a PCN's own figures are its practices' aggregate.
join public.organisations p on p.id = offer.provider_id and p.type <> 'pcn'
join public.achievement_dates d on d.service_id = s.id
join public.indicator_groups g on g.service_id = s.id
join public.indicators i on i.group_id = g.id
left join public.achievements a on a.provider_id = p.id and a.service_id = s.id and a.achievement_date = d.achievement_date
left join public.achievement_values v on v.achievement_id = a.id and v.indicator_id = i.id
group by p.id, s.id, d.achievement_date, d.is_payment_date, g.id, a.id;
comment on view public.achievement_missing_data is
  'The missing-data check: per provider with an approved offer of a national service, achievement date and indicator group, how many indicators have submitted values ("submitted n of possible") and which are missing. Runs as the caller.';
select private.make_view_read_only('public.achievement_missing_data');

-- ---------------------------------------------------------------- action helpers

-- The achievement, locked; P0002 when it does not exist or the caller cannot read it.
create function private.lock_achievement(p_achievement_id uuid)
returns public.achievements
language plpgsql
security definer
set search_path = ''
as $$
declare
  result public.achievements;
begin
  select * into result from public.achievements a where a.id = p_achievement_id for update;
  if not found or not (result.provider_id = any (array(select private.achievement_provider_organisations()))
                       or result.provider_id = any (array(select private.achievement_commissioner_organisations()))) then
    perform private.fail('P0002', 'The achievement does not exist, or you cannot see it.', 'Reload the list of achievement dates.');
  end if;
  return result;
end;
$$;

-- How the caller may enter achievement for a provider: 'manual' (Achievement
-- Entry at the provider), 'commissioner' (Commissioning or Approval
-- Management reaching it), or null.
create function private.achievement_entry_source(p_provider_id uuid)
returns public.achievement_source
language sql
stable
security definer
set search_path = ''
as $$
  select case
    when private.has_role_over(p_provider_id, '{commissioning_management,approval_management}')
         and not private.has_role(p_provider_id, 'achievement_entry') then 'commissioner'::public.achievement_source
    when private.has_role(p_provider_id, 'achievement_entry') then 'manual'::public.achievement_source
  end
$$;

-- The adjustment rules (domain.md; job aid "Adjusting achievement"): why the
-- caller may not change the achievement, as {code, message}; null when they may.
create function private.achievement_change_refusal(p_achievement public.achievements)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  source public.achievement_source := private.achievement_entry_source(p_achievement.provider_id);
  payment_date date := private.payment_date_for(p_achievement.service_id, p_achievement.achievement_date);
  period_status public.declaration_status;
  label text := format('%s''s achievement for %s', private.organisation_label(p_achievement.provider_id), private.uk_date(p_achievement.achievement_date));
begin
  if source is null then
    return jsonb_build_object('code', '42501', 'message',
      format('Only Achievement Entry at %s, or its commissioner''s Commissioning or Approval Management, can change %s.',
        private.organisation_label(p_achievement.provider_id), label));
  end if;
  select d.status into period_status from public.declarations d
  where d.provider_id = p_achievement.provider_id and d.service_id = p_achievement.service_id and d.achievement_date = payment_date;
  -- Rule: the payment has been financially approved (everyone).
  if period_status = 'approved_for_payment' then
    return jsonb_build_object('code', 'PT409', 'message',
      format('%s cannot be changed: the payment for the period ending %s has been financially approved.', label, private.uk_date(payment_date)));
  end if;
  if source = 'commissioner' then
    return null;  -- a commissioner may amend until financial approval
  end if;
  -- Provider: the payment has been approved by the commissioner.
  if period_status = 'awaiting_finance_approval' then
    return jsonb_build_object('code', 'PT409', 'message',
      format('%s cannot be changed: the payment for the period ending %s has been approved by the commissioner.', label, private.uk_date(payment_date)));
  end if;
  -- Provider: data for the last day of the payment period has been submitted.
  if payment_date is not null and p_achievement.achievement_date < payment_date and exists (
       select 1 from public.achievements a
       where a.provider_id = p_achievement.provider_id and a.service_id = p_achievement.service_id
         and a.achievement_date = payment_date and a.status = 'submitted') then
    return jsonb_build_object('code', 'PT409', 'message',
      format('%s cannot be changed: data for the last day of the payment period (%s) has been submitted.', label, private.uk_date(payment_date)));
  end if;
  -- Provider: only manually entered data.
  if p_achievement.source = 'commissioner' then
    return jsonb_build_object('code', 'PT409', 'message',
      format('%s cannot be changed by the practice: the data is a commissioner entry.', label));
  end if;
  if p_achievement.source = 'extract' then
    return jsonb_build_object('code', 'PT409', 'message',
      format('%s cannot be changed by the practice: the data came from an extract (not manually entered).', label));
  end if;
  return null;
end;
$$;

create function private.require_changeable_achievement(p_achievement public.achievements)
returns void
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  refusal jsonb := private.achievement_change_refusal(p_achievement);
begin
  if refusal is not null then
    perform private.fail(refusal ->> 'code', refusal ->> 'message',
      case refusal ->> 'code' when '42501' then 'Ask your organisation''s administrator for the Achievement Entry role.'
        else 'Ask the commissioner if the figures need correcting.' end);
  end if;
end;
$$;

create function private.achievement_audit(p_action text, p_before public.achievements, p_achievement_id uuid, p_detail jsonb default null)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  after_row public.achievements;
begin
  select * into after_row from public.achievements a where a.id = p_achievement_id;
  perform private.write_audit(p_action, 'achievement', p_achievement_id::text, coalesce(after_row.provider_id, p_before.provider_id), null,
    case when p_before.id is null then null else to_jsonb(p_before) end,
    case when after_row.id is null then null else to_jsonb(after_row) || coalesce(p_detail, '{}'::jsonb) end,
    null);
end;
$$;

-- The values as submitted, for the submission record and the identical check.
create function private.achievement_snapshot(p_achievement_id uuid)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object(
    'indicators', coalesce((
      select jsonb_object_agg(i.code, jsonb_build_object('numerator', v.numerator, 'denominator', v.denominator, 'count', v.count))
      from public.achievement_values v join public.indicators i on i.id = v.indicator_id
      where v.achievement_id = p_achievement_id and v.submitted), '{}'::jsonb),
    'groups', coalesce((
      select jsonb_object_agg(g.code, gv.value)
      from public.achievement_group_values gv join public.indicator_groups g on g.id = gv.group_id
      where gv.achievement_id = p_achievement_id and gv.submitted), '{}'::jsonb))
$$;

-- ---------------------------------------------------------------- actions

create function public.achievement_change_problem(p_achievement_id uuid)
returns text
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  achievement public.achievements;
begin
  select * into achievement from public.achievements a where a.id = p_achievement_id;
  if not found or not (achievement.provider_id = any (array(select private.achievement_provider_organisations()))
                       or achievement.provider_id = any (array(select private.achievement_commissioner_organisations()))) then
    return 'The achievement does not exist, or you cannot see it.';
  end if;
  return private.achievement_change_refusal(achievement) ->> 'message';
end;
$$;
comment on function public.achievement_change_problem(uuid) is
  'Null when the caller may change the achievement; otherwise the rule that refuses it (role; financially approved; approved by the commissioner; data for the last day of the payment period submitted; commissioner entry; extract).';

create function public.start_achievement(p_provider_id uuid, p_service_id uuid, p_achievement_date date)
returns public.achievements
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  source public.achievement_source := private.achievement_entry_source(p_provider_id);
  service public.quality_services;
  existing public.achievements;
  result public.achievements;
begin
  if source is null then
    perform private.fail('42501', format('Only Achievement Entry at %s, or its commissioner''s Commissioning or Approval Management, can add achievement.',
      coalesce(private.organisation_label(p_provider_id), 'this organisation')), 'Ask your organisation''s administrator for the Achievement Entry role.');
  end if;
  select * into service from public.quality_services s where s.id = p_service_id and s.kind = 'national';
  if not found then
    perform private.fail('P0002', 'The national service does not exist.', 'Choose a service from the list.');
  end if;
  if exists (select 1 from public.organisations o where o.id = p_provider_id and o.type = 'pcn') then
    perform private.fail('22023', format('%s is a PCN: its network achievement is aggregated from its practices'' achievement, not entered.',
      private.organisation_label(p_provider_id)), 'Enter achievement for the practices; submit the network achievement from Network achievement.');
  end if;
  if not exists (select 1 from public.service_offers o where o.service_id = p_service_id and o.provider_id = p_provider_id and o.status = 'approved') then
    perform private.fail('PT409', format('%s has no approved offer of %s: achievement can only be entered for services the practice takes part in.',
      private.organisation_label(p_provider_id), service.name), 'Ask the commissioner to offer the service.');
  end if;
  if not exists (select 1 from public.achievement_dates d where d.service_id = p_service_id and d.achievement_date = p_achievement_date) then
    perform private.fail('22023', format('%s is not an achievement date of %s.', coalesce(private.uk_date(p_achievement_date), 'No date'), service.name),
      'Choose one of the service''s achievement dates.');
  end if;
  select * into existing from public.achievements a
  where a.provider_id = p_provider_id and a.service_id = p_service_id and a.achievement_date = p_achievement_date;
  if found then
    perform private.fail('PT409', format('%s already has achievement for %s on %s (%s): open it instead of adding another.',
      private.organisation_label(p_provider_id), service.name, private.uk_date(p_achievement_date), replace(existing.status::text, '_', ' ')),
      'Open the achievement date from the list.');
  end if;

  perform private.begin_action('achievement.start');
  begin
    insert into public.achievements (provider_id, service_id, achievement_date, commissioner_id, source, created_by, updated_by)
    values (p_provider_id, p_service_id, p_achievement_date, service.commissioner_id, source, me, me)
    returning * into result;
  exception when unique_violation then
    -- Two presses at once: the other one made it.
    perform private.fail('PT409', format('%s already has achievement for %s on %s: open it instead of adding another.',
      private.organisation_label(p_provider_id), service.name, private.uk_date(p_achievement_date)), 'Open the achievement date from the list.');
  end;
  perform private.achievement_audit('achievement.start', null, result.id);
  perform private.end_action();
  return result;
end;
$$;
comment on function public.start_achievement(uuid, uuid, date) is
  'Add New Achievement for a provider with an approved offer of the national service, on one of its achievement dates (Achievement Entry at the provider: source manual; the commissioner: source commissioner).';

-- Save Work in Progress. p_values = [{indicator_id, numerator, denominator, count}]
-- (null clears), p_group_values = [{group_id, value}]. Indicators not listed keep
-- their New Values. A New Value equal to the current value is not pending.
create function public.save_achievement_values(p_achievement_id uuid, p_values jsonb, p_group_values jsonb default '[]'::jsonb)
returns public.achievements
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  before_row public.achievements := private.lock_achievement(p_achievement_id);
  result public.achievements;
  problem text;
begin
  perform private.require_changeable_achievement(before_row);
  if jsonb_typeof(coalesce(p_values, '[]'::jsonb)) <> 'array' or jsonb_typeof(coalesce(p_group_values, '[]'::jsonb)) <> 'array' then
    perform private.fail('22023', 'Values must be lists: [{indicator_id, numerator, denominator, count}] and [{group_id, value}].', null);
  end if;

  -- Every problem is checked before anything is written; the first is reported.
  with raw as (
    select e.ord, e.value as item from jsonb_array_elements(coalesce(p_values, '[]'::jsonb)) with ordinality e (value, ord)
  ), parsed as (
    select r.ord, r.item, i.id as indicator_id, i.code, i.payment_basis,
           r.item -> 'numerator' as n, r.item -> 'denominator' as d, r.item -> 'count' as c
    from raw r
    left join public.indicators i on i.service_id = before_row.service_id
      and i.id::text = r.item ->> 'indicator_id'
  )
  select msg into problem from (
    select p.ord, case
      when jsonb_typeof(p.item) <> 'object' or p.indicator_id is null then
        format('Value %s: the indicator is not one of this service''s.', p.ord)
      when row_number() over (partition by p.indicator_id order by p.ord) > 1 then
        format('%s is listed more than once.', p.code)
      when not (private.jsonb_is_count(p.n) and private.jsonb_is_count(p.d) and private.jsonb_is_count(p.c)) then
        format('%s: values must be whole numbers of 0 or more.', p.code)
      when p.payment_basis = 'per_point' and coalesce(jsonb_typeof(p.c), 'null') <> 'null' then
        format('%s is a percentage indicator: enter a numerator and a denominator, not a count.', p.code)
      when p.payment_basis = 'per_unit' and (coalesce(jsonb_typeof(p.n), 'null') <> 'null' or coalesce(jsonb_typeof(p.d), 'null') <> 'null') then
        format('%s is a per-unit indicator: enter a count, not a numerator and denominator.', p.code)
      when p.payment_basis = 'per_point' and (coalesce(jsonb_typeof(p.n), 'null') = 'null') <> (coalesce(jsonb_typeof(p.d), 'null') = 'null') then
        format('%s: enter both the numerator and the denominator (or clear both).', p.code)
      when p.payment_basis = 'per_point' and jsonb_typeof(p.n) = 'number' and (p.n #>> '{}')::numeric > (p.d #>> '{}')::numeric then
        format('%s: the numerator (%s) cannot be more than the denominator (%s).', p.code, p.n #>> '{}', p.d #>> '{}')
    end as msg
    from parsed p
  ) checks where msg is not null order by ord limit 1;
  if problem is not null then
    perform private.fail('22023', problem, 'Correct the value and save again.');
  end if;

  with raw as (
    select e.ord, e.value as item from jsonb_array_elements(coalesce(p_group_values, '[]'::jsonb)) with ordinality e (value, ord)
  )
  select msg into problem from (
    select r.ord, case
      when jsonb_typeof(r.item) <> 'object' or g.id is null then
        format('Group value %s: the indicator group is not one of this service''s.', r.ord)
      when g.group_value_label is null then
        format('Group %s has no group value to enter.', g.code)
      when row_number() over (partition by g.id order by r.ord) > 1 then
        format('Group %s is listed more than once.', g.code)
      when not private.jsonb_is_count(r.item -> 'value') then
        format('%s (%s): the value must be a whole number of 0 or more.', g.group_value_label, g.code)
    end as msg
    from raw r
    left join public.indicator_groups g on g.service_id = before_row.service_id and g.id::text = r.item ->> 'group_id'
  ) checks where msg is not null order by ord limit 1;
  if problem is not null then
    perform private.fail('22023', problem, 'Correct the value and save again.');
  end if;

  perform private.begin_action('achievement.save');
  insert into public.achievement_values as v (achievement_id, indicator_id, new_numerator, new_denominator, new_count, has_new)
  select before_row.id, (e.value ->> 'indicator_id')::uuid,
         (e.value ->> 'numerator')::integer, (e.value ->> 'denominator')::integer, (e.value ->> 'count')::integer, true
  from jsonb_array_elements(coalesce(p_values, '[]'::jsonb)) e
  on conflict (achievement_id, indicator_id) do update
    set new_numerator = excluded.new_numerator, new_denominator = excluded.new_denominator, new_count = excluded.new_count,
        has_new = true, updated_at = now();
  insert into public.achievement_group_values as gv (achievement_id, group_id, new_value, has_new)
  select before_row.id, (e.value ->> 'group_id')::uuid, (e.value ->> 'value')::integer, true
  from jsonb_array_elements(coalesce(p_group_values, '[]'::jsonb)) e
  on conflict (achievement_id, group_id) do update
    set new_value = excluded.new_value, has_new = true, updated_at = now();
  -- A New Value that equals the current one is nothing new.
  update public.achievement_values v
  set has_new = false, new_numerator = null, new_denominator = null, new_count = null
  where v.achievement_id = before_row.id and v.has_new
    and v.new_numerator is not distinct from v.numerator and v.new_denominator is not distinct from v.denominator
    and v.new_count is not distinct from v.count;
  update public.achievement_group_values gv
  set has_new = false, new_value = null
  where gv.achievement_id = before_row.id and gv.has_new and gv.new_value is not distinct from gv.value;

  update public.achievements a
  set has_new_values = exists (select 1 from public.achievement_values v where v.achievement_id = a.id and v.has_new)
                    or exists (select 1 from public.achievement_group_values gv where gv.achievement_id = a.id and gv.has_new),
      updated_by = me
  where a.id = before_row.id
  returning * into result;
  perform private.achievement_audit('achievement.save', before_row, result.id,
    jsonb_build_object('values', coalesce(p_values, '[]'::jsonb), 'group_values', coalesce(p_group_values, '[]'::jsonb)));
  perform private.end_action();
  return result;
end;
$$;
comment on function public.save_achievement_values(uuid, jsonb, jsonb) is
  'Save Work in Progress: New Values per indicator ({indicator_id, numerator, denominator, count}; null clears) and group values ({group_id, value}). Kept, not calculated; checked against each indicator''s basis.';

create function public.discard_achievement_work(p_achievement_id uuid)
returns public.achievements
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  before_row public.achievements := private.lock_achievement(p_achievement_id);
  result public.achievements;
begin
  perform private.require_changeable_achievement(before_row);
  if not before_row.has_new_values then
    perform private.fail('PT409', 'There is no work in progress to discard.', 'Reload the achievement.');
  end if;
  perform private.begin_action('achievement.discard');
  update public.achievement_values v set has_new = false, new_numerator = null, new_denominator = null, new_count = null
  where v.achievement_id = before_row.id and v.has_new;
  update public.achievement_group_values gv set has_new = false, new_value = null
  where gv.achievement_id = before_row.id and gv.has_new;
  update public.achievements a set has_new_values = false, updated_by = me where a.id = before_row.id returning * into result;
  perform private.achievement_audit('achievement.discard', before_row, result.id);
  perform private.end_action();
  return result;
end;
$$;
comment on function public.discard_achievement_work(uuid) is 'Discards the New Values (work in progress); the submitted values stay.';

-- Submit Achievement Data: New Values become the current values, a
-- submission is recorded (notes, values, figures) and the achievement is
-- calculated. The PCN's network achievement is re-aggregated at once when
-- network values changed, and its other practices' achievements for the date
-- are flagged for recalculation (they score on that aggregate).
create function public.submit_achievement(p_achievement_id uuid, p_notes text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  before_row public.achievements := private.lock_achievement(p_achievement_id);
  result public.achievements;
  entry_source public.achievement_source;
  notes text := nullif(btrim(p_notes), '');
  previous jsonb;
  snapshot jsonb;
  network_changed boolean;
  networks uuid[];
  decl_status public.declaration_status;
begin
  perform private.require_changeable_achievement(before_row);
  entry_source := private.achievement_entry_source(before_row.provider_id);
  if char_length(notes) > 2000 then
    perform private.fail('22023', 'Notes can be at most 2,000 characters.', null);
  end if;
  -- Nothing entered: no value would be current after applying the New Values.
  if not exists (
    select 1 from public.achievement_values v
    where v.achievement_id = before_row.id
      and case when v.has_new then coalesce(v.new_numerator, v.new_denominator, v.new_count) is not null
               else v.submitted end) then
    perform private.fail('22023', 'Nothing has been entered: enter at least one indicator''s values before submitting.',
      'Enter the values, then Submit Achievement Data.');
  end if;
  if before_row.version > 0 and not before_row.has_new_values then
    perform private.fail('PT409', format('The data is identical to the previous submission (version %s): change a value before submitting again.', before_row.version),
      'Change a value, or leave the achievement as it is.');
  end if;
  previous := private.achievement_snapshot(before_row.id);
  network_changed := exists (
    select 1 from public.achievement_values v join public.indicators i on i.id = v.indicator_id
    where v.achievement_id = before_row.id and v.has_new and i.network);

  perform private.begin_action('achievement.submit');
  update public.achievement_values v
  set numerator = v.new_numerator, denominator = v.new_denominator, count = v.new_count,
      submitted = coalesce(v.new_numerator, v.new_denominator, v.new_count) is not null,
      new_numerator = null, new_denominator = null, new_count = null, has_new = false, updated_at = now()
  where v.achievement_id = before_row.id and v.has_new;
  update public.achievement_group_values gv
  set value = gv.new_value, submitted = gv.new_value is not null, new_value = null, has_new = false, updated_at = now()
  where gv.achievement_id = before_row.id and gv.has_new;
  snapshot := private.achievement_snapshot(before_row.id);
  -- (Guards a save that only cleared and re-entered the same figures.)
  if before_row.version > 0 and snapshot = previous then
    perform private.fail('PT409', format('The data is identical to the previous submission (version %s): change a value before submitting again.', before_row.version),
      'Change a value, or leave the achievement as it is.');
  end if;

  update public.achievements a
  set status = 'submitted', version = a.version + 1, has_new_values = false, source = entry_source,
      submitted_at = now(), submitted_by = me, updated_by = me
  where a.id = before_row.id
  returning a.* into result;
  insert into public.achievement_submissions (achievement_id, version, source, submitted_by, notes, submitted_values)
  values (result.id, result.version, result.source, me, notes, snapshot);

  networks := array(select private.ensure_network_achievements(array[result.id]));
  if network_changed or before_row.version = 0 then
    perform private.aggregate_network_achievements(networks);
  end if;
  -- The PCN's other practices score on its aggregate once it is submitted.
  if network_changed then
    perform private.flag_achievement_recalculation(
      array(select a.id from public.network_achievements n
            join public.pcn_memberships m on m.pcn_id = n.pcn_id and m.during @> n.achievement_date
            join public.achievements a on a.provider_id = m.practice_id and a.service_id = n.service_id
              and a.achievement_date = n.achievement_date
            where n.id = any (networks) and n.status = 'submitted' and a.id <> result.id),
      '{}', 'network values of the PCN changed');
  end if;
  perform private.calculate_achievements(array[result.id]);

  select * into result from public.achievements a where a.id = result.id;
  update public.achievement_submissions s set points = result.points, payment = result.payment
  where s.achievement_id = result.id and s.version = result.version;
  perform private.achievement_audit('achievement.submit', before_row, result.id, jsonb_build_object('notes', notes, 'values', snapshot));
  perform private.end_action();
  select d.status into decl_status from public.declarations d where d.achievement_id = result.id;
  return jsonb_build_object('achievement_id', result.id, 'version', result.version, 'points', result.points,
    'payment', result.payment, 'declaration_status', decl_status);
end;
$$;
comment on function public.submit_achievement(uuid, text) is
  'Submit Achievement Data: applies the New Values, records the submission with its notes, calculates points and payment. Refused when nothing is entered, when the data is identical to the previous submission, or by the adjustment rules.';

-- ---------------------------------------------------------------- recalculation job (service role)

-- The scheduled job: re-aggregates flagged network achievements, flags their
-- practices (they score on the aggregate), then calculates flagged
-- achievements. Rows another run is working on are skipped.
create function public.run_achievement_recalculation(p_limit integer default 20000)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  networks uuid[];
  ids uuid[];
begin
  perform private.begin_action('achievement.recalculate');
  networks := array(
    select n.id from public.network_achievements n
    where n.recalculation_requested_at is not null
    order by n.recalculation_requested_at
    limit greatest(coalesce(p_limit, 20000), 1)
    for update skip locked);
  perform private.aggregate_network_achievements(networks);
  perform private.flag_achievement_recalculation(
    array(select a.id from public.network_achievements n
          join public.pcn_memberships m on m.pcn_id = n.pcn_id and m.during @> n.achievement_date
          join public.achievements a on a.provider_id = m.practice_id and a.service_id = n.service_id
            and a.achievement_date = n.achievement_date
          where n.id = any (networks) and n.status = 'submitted'),
    '{}', 'network achievement re-aggregated');
  ids := array(
    select a.id from public.achievements a
    where a.recalculation_requested_at is not null
    order by a.recalculation_requested_at
    limit greatest(coalesce(p_limit, 20000), 1)
    for update skip locked);
  perform private.calculate_achievements(ids);
  perform private.end_action();
  return jsonb_build_object('achievements', cardinality(ids), 'network_achievements', cardinality(networks));
end;
$$;
comment on function public.run_achievement_recalculation(integer) is
  'Service role, scheduled (edge function recalculate-achievement): re-aggregates flagged network achievements, then recalculates flagged achievements (up to p_limit of each). Returns the counts.';

-- ---------------------------------------------------------------- loads (service role)

-- Extract rows: [{ods_code, service_id, achievement_date, indicator_code,
-- numerator, denominator, count}]. All rows are checked first (nothing is
-- written when one is wrong); each achievement touched gets a submission
-- (source extract) unless its values are unchanged, and is calculated.
create function public.load_achievement_extract(p_rows jsonb)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  problem text;
  touched uuid[];
  changed uuid[];
  networks uuid[];
  row_count integer;
begin
  if jsonb_typeof(p_rows) is distinct from 'array' then
    perform private.fail('22023', 'The extract must be a list of rows.', null);
  end if;
  row_count := jsonb_array_length(p_rows);

  create temporary table extract_rows on commit drop as
  with raw as (select e.ord, e.value as item from jsonb_array_elements(p_rows) with ordinality e (value, ord))
  select r.ord, r.item, o.id as provider_id, s.id as service_id, s.commissioner_id,
         private.try_date(r.item ->> 'achievement_date') as achievement_date,
         i.id as indicator_id, i.code as indicator_code, i.payment_basis,
         r.item -> 'numerator' as n, r.item -> 'denominator' as d, r.item -> 'count' as c
  from raw r
  left join public.organisations o on o.ods_code = upper(btrim(r.item ->> 'ods_code'))
  left join public.quality_services s on s.kind = 'national' and s.id::text = r.item ->> 'service_id'
  left join public.indicators i on i.service_id = s.id and i.code = r.item ->> 'indicator_code';

  select msg into problem from (
    select x.ord, case
      when x.provider_id is null then format('Row %s: no organisation has ODS code %s.', x.ord, coalesce(x.item ->> 'ods_code', '(none)'))
      when x.service_id is null then format('Row %s: %s is not a national service.', x.ord, coalesce(x.item ->> 'service_id', '(none)'))
      when x.achievement_date is null or not exists (select 1 from public.achievement_dates ad where ad.service_id = x.service_id and ad.achievement_date = x.achievement_date)
        then format('Row %s: %s is not an achievement date of the service.', x.ord, coalesce(x.item ->> 'achievement_date', '(none)'))
      when x.indicator_id is null then format('Row %s: the service has no indicator %s.', x.ord, coalesce(x.item ->> 'indicator_code', '(none)'))
      when not exists (select 1 from public.service_offers so where so.provider_id = x.provider_id and so.service_id = x.service_id and so.status = 'approved')
        then format('Row %s: %s has no approved offer of the service.', x.ord, x.item ->> 'ods_code')
      when not (private.jsonb_is_count(x.n) and private.jsonb_is_count(x.d) and private.jsonb_is_count(x.c))
        then format('Row %s (%s): values must be whole numbers of 0 or more.', x.ord, x.indicator_code)
      when x.payment_basis = 'per_point' and (coalesce(jsonb_typeof(x.n), 'null') = 'null' or coalesce(jsonb_typeof(x.d), 'null') = 'null'
                                               or coalesce(jsonb_typeof(x.c), 'null') <> 'null')
        then format('Row %s (%s): a percentage indicator needs a numerator and a denominator (and no count).', x.ord, x.indicator_code)
      when x.payment_basis = 'per_point' and (x.n #>> '{}')::numeric > (x.d #>> '{}')::numeric
        then format('Row %s (%s): the numerator is more than the denominator.', x.ord, x.indicator_code)
      when x.payment_basis = 'per_unit' and (coalesce(jsonb_typeof(x.c), 'null') = 'null'
                                              or coalesce(jsonb_typeof(x.n), 'null') <> 'null' or coalesce(jsonb_typeof(x.d), 'null') <> 'null')
        then format('Row %s (%s): a per-unit indicator needs a count (and no numerator or denominator).', x.ord, x.indicator_code)
      when row_number() over (partition by x.provider_id, x.indicator_id, x.achievement_date order by x.ord) > 1
        then format('Row %s: %s %s on %s appears more than once.', x.ord, x.item ->> 'ods_code', x.indicator_code, private.uk_date(x.achievement_date))
      when exists (select 1 from public.declarations dc where dc.provider_id = x.provider_id and dc.service_id = x.service_id
                     and dc.achievement_date = private.payment_date_for(x.service_id, x.achievement_date) and dc.status = 'approved_for_payment')
        then format('Row %s: the payment of %s for the period of %s has been financially approved.', x.ord, x.item ->> 'ods_code', private.uk_date(x.achievement_date))
    end as msg
    from pg_temp.extract_rows x
  ) checks where msg is not null order by ord limit 1;
  if problem is not null then
    perform private.fail('22023', problem, 'Correct the extract and load it again; nothing was loaded.');
  end if;

  perform private.begin_action('achievement.extract');
  insert into public.achievements (provider_id, service_id, achievement_date, commissioner_id, source)
  select distinct x.provider_id, x.service_id, x.achievement_date, x.commissioner_id, 'extract'::public.achievement_source
  from pg_temp.extract_rows x
  on conflict (provider_id, service_id, achievement_date) do nothing;

  create temporary table extract_targets on commit drop as
  select distinct a.id as achievement_id, x.indicator_id, (x.n #>> '{}')::integer as numerator, (x.d #>> '{}')::integer as denominator,
         (x.c #>> '{}')::integer as count
  from pg_temp.extract_rows x
  join public.achievements a on a.provider_id = x.provider_id and a.service_id = x.service_id and a.achievement_date = x.achievement_date;

  touched := array(select distinct t.achievement_id from pg_temp.extract_targets t);
  -- Achievements whose values change (new ones, or a value differs).
  changed := array(
    select distinct t.achievement_id from pg_temp.extract_targets t
    left join public.achievement_values v on v.achievement_id = t.achievement_id and v.indicator_id = t.indicator_id
    where v.achievement_id is null or not v.submitted
       or (v.numerator, v.denominator, v.count) is distinct from (t.numerator, t.denominator, t.count));

  insert into public.achievement_values as v (achievement_id, indicator_id, numerator, denominator, count, submitted)
  select t.achievement_id, t.indicator_id, t.numerator, t.denominator, t.count, true
  from pg_temp.extract_targets t where t.achievement_id = any (changed)
  on conflict (achievement_id, indicator_id) do update
    set numerator = excluded.numerator, denominator = excluded.denominator, count = excluded.count, submitted = true,
        new_numerator = null, new_denominator = null, new_count = null, has_new = false, updated_at = now();

  update public.achievements a
  set source = 'extract', status = 'submitted', version = a.version + 1, submitted_at = now(), submitted_by = null,
      has_new_values = exists (select 1 from public.achievement_values v where v.achievement_id = a.id and v.has_new)
                    or exists (select 1 from public.achievement_group_values gv where gv.achievement_id = a.id and gv.has_new)
  where a.id = any (changed);
  insert into public.achievement_submissions (achievement_id, version, source, notes, submitted_values)
  select a.id, a.version, 'extract', 'Loaded from an extract.', private.achievement_snapshot(a.id)
  from public.achievements a where a.id = any (changed);

  networks := array(select private.ensure_network_achievements(changed));
  perform private.aggregate_network_achievements(networks);
  perform private.calculate_achievements(changed);
  -- Practices of those PCNs not in this load score on the new aggregate too.
  perform private.flag_achievement_recalculation(
    array(select a.id from public.network_achievements n
          join public.pcn_memberships m on m.pcn_id = n.pcn_id and m.during @> n.achievement_date
          join public.achievements a on a.provider_id = m.practice_id and a.service_id = n.service_id
            and a.achievement_date = n.achievement_date
          where n.id = any (networks) and n.status = 'submitted' and not (a.id = any (changed))),
    '{}', 'network values of the PCN changed');
  update public.achievement_submissions s set points = a.points, payment = a.payment
  from public.achievements a where a.id = any (changed) and s.achievement_id = a.id and s.version = a.version;

  -- The audit trail: one entry per achievement the load changed.
  perform private.write_audit('achievement.extract', 'achievement', a.id::text, a.provider_id, null, null,
    jsonb_build_object('version', a.version, 'source', a.source, 'points', a.points, 'payment', a.payment,
                       'values', private.achievement_snapshot(a.id)), 'Loaded from an extract.')
  from public.achievements a where a.id = any (changed);
  perform private.end_action();
  drop table pg_temp.extract_targets;
  drop table pg_temp.extract_rows;
  return jsonb_build_object('rows', row_count, 'achievements', cardinality(touched), 'changed', cardinality(changed),
    'unchanged', cardinality(touched) - cardinality(changed));
end;
$$;
comment on function public.load_achievement_extract(jsonb) is
  'Service role: loads extract rows [{ods_code, service_id, achievement_date, indicator_code, numerator, denominator, count}] as submitted achievement (source extract) and calculates it. All rows are checked first; one bad row loads nothing. Returns {rows, achievements, changed, unchanged}.';

-- List sizes: [{ods_code, effective_from, list_size}], upserted on
-- (organisation, effective_from). The triggers below flag the affected achievement.
create function public.load_list_sizes(p_rows jsonb)
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  problem text;
  loaded integer;
  audit_entries integer;
begin
  if jsonb_typeof(p_rows) is distinct from 'array' then
    perform private.fail('22023', 'The list sizes must be a list of rows.', null);
  end if;
  with raw as (select e.ord, e.value as item from jsonb_array_elements(p_rows) with ordinality e (value, ord))
  select msg into problem from (
    select r.ord, case
      when o.id is null then format('Row %s: no organisation has ODS code %s.', r.ord, coalesce(r.item ->> 'ods_code', '(none)'))
      when private.try_date(r.item ->> 'effective_from') is null then format('Row %s: effective_from must be a date (YYYY-MM-DD).', r.ord)
      when jsonb_typeof(r.item -> 'list_size') is distinct from 'number' or not private.jsonb_is_count(r.item -> 'list_size')
           or (r.item ->> 'list_size')::numeric = 0
        then format('Row %s: the list size must be a whole number above 0.', r.ord)
      when row_number() over (partition by o.id, private.try_date(r.item ->> 'effective_from') order by r.ord) > 1
        then format('Row %s: %s from %s appears more than once.', r.ord, o.ods_code, r.item ->> 'effective_from')
    end as msg
    from raw r left join public.organisations o on o.ods_code = upper(btrim(r.item ->> 'ods_code'))
  ) checks where msg is not null order by ord limit 1;
  if problem is not null then
    perform private.fail('22023', problem, 'Correct the rows and load them again; nothing was loaded.');
  end if;

  perform private.begin_action('achievement.list_sizes');
  with loaded_rows as (
    insert into public.list_sizes as l (organisation_id, effective_from, list_size)
    select o.id, (e.value ->> 'effective_from')::date, (e.value ->> 'list_size')::integer
    from jsonb_array_elements(p_rows) e join public.organisations o on o.ods_code = upper(btrim(e.value ->> 'ods_code'))
    on conflict (organisation_id, effective_from) do update
      set list_size = excluded.list_size, loaded_at = now()
      where l.list_size is distinct from excluded.list_size
    returning l.organisation_id, l.effective_from, l.list_size
  ), audited as (
    -- The audit trail: one entry per organisation whose list sizes changed.
    select private.write_audit('achievement.list_sizes', 'list_sizes', r.organisation_id::text, r.organisation_id, null, null,
             jsonb_build_object('list_sizes', jsonb_agg(jsonb_build_object('effective_from', r.effective_from, 'list_size', r.list_size)
                                                        order by r.effective_from)), null) as audit_id
    from loaded_rows r group by r.organisation_id
  )
  select (select count(*) from loaded_rows), (select count(*) from audited) into loaded, audit_entries;
  perform private.end_action();
  return loaded;
end;
$$;
comment on function public.load_list_sizes(jsonb) is
  'Service role: loads list sizes [{ods_code, effective_from, list_size}] (upsert per organisation and date). Returns the number of rows added or changed; the affected achievement is flagged for recalculation.';

-- ---------------------------------------------------------------- recalculation flags (triggers)

-- List sizes changed: the organisation's achievement on or after the earliest
-- changed effective_from, for services scaled by list size.
create function private.list_sizes_flag_recalculation()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  changed jsonb;
begin
  if tg_op = 'INSERT' then
    select jsonb_agg(jsonb_build_object('org', n.organisation_id, 'from', n.effective_from)) into changed from new_rows n;
  elsif tg_op = 'DELETE' then
    select jsonb_agg(jsonb_build_object('org', o.organisation_id, 'from', o.effective_from)) into changed from old_rows o;
  else
    select jsonb_agg(x) into changed from (
      select jsonb_build_object('org', n.organisation_id, 'from', n.effective_from) as x from new_rows n
      union all
      select jsonb_build_object('org', o.organisation_id, 'from', o.effective_from) from old_rows o) u;
  end if;
  perform private.flag_achievement_recalculation(
    array(select a.id
          from (select c.org, min(c."from") as since from jsonb_to_recordset(coalesce(changed, '[]'::jsonb)) c (org uuid, "from" date) group by c.org) c
          join public.achievements a on a.provider_id = c.org and a.achievement_date >= c.since
          join public.quality_services s on s.id = a.service_id and s.reference_list_size is not null),
    '{}', 'list size changed');
  return null;
end;
$$;
create trigger list_sizes_flag_insert after insert on public.list_sizes
  referencing new table as new_rows for each statement execute function private.list_sizes_flag_recalculation();
create trigger list_sizes_flag_update after update on public.list_sizes
  referencing new table as new_rows old table as old_rows for each statement execute function private.list_sizes_flag_recalculation();
create trigger list_sizes_flag_delete after delete on public.list_sizes
  referencing old table as old_rows for each statement execute function private.list_sizes_flag_recalculation();

-- PCN history changed: the practice's achievement on dates inside the old or
-- new range (it may now belong to another PCN or none), and the network
-- achievements of both PCNs on those dates (their members changed). A new
-- PCN gets its network achievement row for those dates.
create function private.pcn_memberships_flag_recalculation()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  prior_action text := coalesce(current_setting('app.action', true), '');
  changed jsonb;
  affected uuid[];
begin
  if tg_op = 'INSERT' then
    select jsonb_agg(jsonb_build_object('practice', n.practice_id, 'pcn', n.pcn_id, 'during', n.during)) into changed from new_rows n;
  elsif tg_op = 'DELETE' then
    select jsonb_agg(jsonb_build_object('practice', o.practice_id, 'pcn', o.pcn_id, 'during', o.during)) into changed from old_rows o;
  else
    select jsonb_agg(x) into changed from (
      select jsonb_build_object('practice', n.practice_id, 'pcn', n.pcn_id, 'during', n.during) as x from new_rows n
      union all
      select jsonb_build_object('practice', o.practice_id, 'pcn', o.pcn_id, 'during', o.during) from old_rows o) u;
  end if;
  changed := coalesce(changed, '[]'::jsonb);
  affected := array(
    select distinct a.id from jsonb_to_recordset(changed) c (practice uuid, pcn uuid, during daterange)
    join public.achievements a on a.provider_id = c.practice and c.during @> a.achievement_date);
  if cardinality(affected) = 0 and not exists (
       select 1 from jsonb_to_recordset(changed) c (practice uuid, pcn uuid, during daterange)
       join public.network_achievements n on n.pcn_id = c.pcn and c.during @> n.achievement_date) then
    return null;
  end if;
  -- PCN history is written by the tenancy actions, outside the achievement ones.
  if prior_action = '' then
    perform private.begin_action('achievement.flag_recalculation');
  end if;
  perform private.ensure_network_achievements(affected);
  perform private.flag_achievement_recalculation(
    affected,
    array(select distinct n.id from jsonb_to_recordset(changed) c (practice uuid, pcn uuid, during daterange)
          join public.network_achievements n on n.pcn_id = c.pcn and c.during @> n.achievement_date),
    'PCN relationships changed');
  perform set_config('app.action', prior_action, true);
  return null;
end;
$$;
create trigger pcn_memberships_flag_insert after insert on public.pcn_memberships
  referencing new table as new_rows for each statement execute function private.pcn_memberships_flag_recalculation();
create trigger pcn_memberships_flag_update after update on public.pcn_memberships
  referencing new table as new_rows old table as old_rows for each statement execute function private.pcn_memberships_flag_recalculation();
create trigger pcn_memberships_flag_delete after delete on public.pcn_memberships
  referencing old table as old_rows for each statement execute function private.pcn_memberships_flag_recalculation();

-- Catalogue changed (an indicator's points, basis, rate, thresholds, network
-- flag or group; a service's reference list size): the service's achievement
-- and network achievement.
create function private.catalogue_flag_recalculation()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  services uuid[];
begin
  if tg_table_name = 'quality_services' then
    services := array(select n.id from new_rows n join old_rows o on o.id = n.id
                      where n.reference_list_size is distinct from o.reference_list_size);
  elsif tg_op = 'INSERT' then
    services := array(select distinct n.service_id from new_rows n);
  elsif tg_op = 'DELETE' then
    services := array(select distinct o.service_id from old_rows o);
  else
    services := array(
      select distinct n.service_id from new_rows n join old_rows o on o.id = n.id
      where (n.points, n.payment_basis, n.payment_rate, n.lower_threshold, n.upper_threshold, n.network, n.group_id, n.service_id)
            is distinct from (o.points, o.payment_basis, o.payment_rate, o.lower_threshold, o.upper_threshold, o.network, o.group_id, o.service_id)
      union
      select o.service_id from new_rows n join old_rows o on o.id = n.id where n.service_id <> o.service_id);
  end if;
  if cardinality(services) > 0 then
    perform private.flag_achievement_recalculation(
      array(select a.id from public.achievements a where a.service_id = any (services)),
      array(select n.id from public.network_achievements n where n.service_id = any (services)),
      'the service''s indicators or reference list size changed');
  end if;
  return null;
end;
$$;
create trigger indicators_flag_insert after insert on public.indicators
  referencing new table as new_rows for each statement execute function private.catalogue_flag_recalculation();
create trigger indicators_flag_update after update on public.indicators
  referencing new table as new_rows old table as old_rows for each statement execute function private.catalogue_flag_recalculation();
create trigger indicators_flag_delete after delete on public.indicators
  referencing old table as old_rows for each statement execute function private.catalogue_flag_recalculation();
create trigger quality_services_flag_update after update on public.quality_services
  referencing new table as new_rows old table as old_rows for each statement execute function private.catalogue_flag_recalculation();

-- ---------------------------------------------------------------- indexes

-- The PCN side of "who was in the PCN on the date" (aggregation, flags): the
-- practice side is served by pcn_memberships_one_pcn_a_day's gist index. The
-- other lookups use existing keys: list_sizes_key (organisation, date),
-- achievements_key (provider, service, date), network_achievements_key (PCN,
-- service, date), achievement_submissions_key (achievement, version).
create index pcn_memberships_pcn_during_idx on public.pcn_memberships using gist (pcn_id, during);

-- ---------------------------------------------------------------- privileges

revoke all on public.achievement_missing_data from anon, authenticated;
grant select on public.achievement_missing_data to authenticated;

revoke all on function private.achievement_only_deleted_people_cleared(jsonb, jsonb), private.jsonb_is_count(jsonb), private.try_date(text), private.list_size_on(uuid, date), private.indicator_score(integer, integer, numeric, numeric, numeric),
  private.payment_date_for(uuid, date), private.flag_achievement_recalculation(uuid[], uuid[], text),
  private.ensure_network_achievements(uuid[]), private.aggregate_network_achievements(uuid[]),
  private.calculate_achievements(uuid[]), private.lock_achievement(uuid), private.achievement_entry_source(uuid),
  private.achievement_change_refusal(public.achievements), private.require_changeable_achievement(public.achievements),
  private.achievement_audit(text, public.achievements, uuid, jsonb), private.achievement_snapshot(uuid),
  private.list_sizes_flag_recalculation(), private.pcn_memberships_flag_recalculation(), private.catalogue_flag_recalculation()
  from public;
-- Pure helpers the views or pages may use.
grant execute on function private.list_size_on(uuid, date), private.indicator_score(integer, integer, numeric, numeric, numeric),
  private.payment_date_for(uuid, date)
  to authenticated;

revoke all on function public.achievement_change_problem(uuid), public.start_achievement(uuid, uuid, date),
  public.save_achievement_values(uuid, jsonb, jsonb), public.discard_achievement_work(uuid), public.submit_achievement(uuid, text),
  public.run_achievement_recalculation(integer), public.load_achievement_extract(jsonb), public.load_list_sizes(jsonb)
  from public, anon;
grant execute on function public.achievement_change_problem(uuid), public.start_achievement(uuid, uuid, date),
  public.save_achievement_values(uuid, jsonb, jsonb), public.discard_achievement_work(uuid), public.submit_achievement(uuid, text)
  to authenticated;
revoke all on function public.run_achievement_recalculation(integer), public.load_achievement_extract(jsonb), public.load_list_sizes(jsonb)
  from authenticated;
grant execute on function public.run_achievement_recalculation(integer), public.load_achievement_extract(jsonb), public.load_list_sizes(jsonb)
  to service_role;
