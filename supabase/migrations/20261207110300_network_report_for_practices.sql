-- Issue 11: the Network organisation relationship report for GP practice and
-- PCN users (CQRS job aid: "The user will see all current practices within
-- the PCN in the time period entered").
--
-- Until now the report showed the rows of pcn_memberships the caller may read
-- (RLS: the practice or the PCN is in reach), so a practice user saw only
-- their own practice's row. Now a person with an active membership of a
-- practice also sees the relationships of the PCNs that practice belonged to
-- during the range (the other practices of their PCN). A PCN user already saw
-- their PCN's practices; commissioners see what they reach, as before (a
-- cluster-restricted commissioner is not widened: only direct practice
-- memberships count). The function now runs as definer and applies that reach
-- itself, with the same rules as the pcn_memberships policy.

create or replace function public.network_relationship_report(p_from date, p_to date)
returns table (
  pcn_membership_id uuid,
  practice_id uuid,
  practice_ods_code text,
  practice_name text,
  pcn_id uuid,
  pcn_ods_code text,
  pcn_name text,
  valid_from date,
  valid_to date
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  me uuid := (select auth.uid());
  reach uuid[];
  own_practices uuid[];
  their_pcns uuid[];
  range daterange;
begin
  if p_to < p_from then
    perform private.fail('22023',
      format('The end date (%s) is before the start date (%s).', to_char(p_to, 'DD/MM/YYYY'), to_char(p_from, 'DD/MM/YYYY')),
      'Choose an end date on or after the start date.');
  end if;
  -- A null date leaves that side of the range open.
  range := daterange(p_from, p_to, '[]');
  reach := array(select private.reachable_organisations());
  -- Practices the caller works at (an active membership of the practice itself, within reach).
  own_practices := array(
    select m.organisation_id
    from public.memberships m
    join public.organisations o on o.id = m.organisation_id and o.type = 'practice'
    where m.profile_id = me and m.status = 'active' and m.organisation_id = any (reach));
  -- The PCNs those practices belonged to during the range.
  their_pcns := array(
    select distinct pm.pcn_id from public.pcn_memberships pm
    where pm.practice_id = any (own_practices) and pm.during && range);

  return query
    select pm.id, pm.practice_id, practice.ods_code, practice.name, pm.pcn_id, pcn.ods_code, pcn.name, pm.valid_from, pm.valid_to
    from public.pcn_memberships pm
    join public.organisations practice on practice.id = pm.practice_id
    join public.organisations pcn on pcn.id = pm.pcn_id
    where pm.during && range
      and (pm.practice_id = any (reach) or pm.pcn_id = any (reach) or pm.pcn_id = any (their_pcns))
    order by pcn.name, practice.name, pm.valid_from;
end;
$$;
comment on function public.network_relationship_report(date, date) is
  'Network organisation relationship report: practice–PCN relationships overlapping [p_from, p_to] (inclusive; null = open) by PCN name, practice name, start. Rows: those whose practice or PCN the caller reaches, plus, for practice users, every relationship of the PCNs their practice belonged to in the range.';
