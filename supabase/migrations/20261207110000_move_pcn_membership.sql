-- Issue 11: moving a practice to another PCN in one action, and each
-- practice's current PCN for the organisations tree.
--
--   * public.move_pcn_membership(practice, new PCN, first day): ends the
--     current relationship the day before and starts the new one, in one
--     transaction. The caller must manage both the old and the new PCN
--     (like add_pcn_membership / end_pcn_membership); audited twice
--     (pcn_membership.move_out, pcn_membership.move_in); the practice's and
--     both PCNs' people are told.
--   * public.current_pcn_memberships (view, security_invoker): the PCN each
--     practice belongs to today (London date), rows filtered by the caller's
--     own RLS on pcn_memberships.

-- ---------------------------------------------------------------- helpers

-- Tell the active people of the practice and of both PCNs (not the actor), once each.
create function private.notify_pcn_move(p_practice_id uuid, p_old_pcn_id uuid, p_new_pcn_id uuid, p_subject text, p_body text)
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  sent integer := 0;
  person uuid;
begin
  for person in
    select distinct m.profile_id
    from public.memberships m
    join public.profiles p on p.id = m.profile_id and p.status = 'active'
    where m.organisation_id in (p_practice_id, p_old_pcn_id, p_new_pcn_id)
      and m.status = 'active'
      and m.profile_id is distinct from (select auth.uid())
  loop
    perform private.queue_notification(person, 'pcn_membership_changed', p_subject, p_body, '/');
    sent := sent + 1;
  end loop;
  return sent;
end;
$$;

-- ---------------------------------------------------------------- the action

create function public.move_pcn_membership(p_practice_id uuid, p_new_pcn_id uuid, p_valid_from date)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  practice public.organisations%rowtype;
  pcn public.organisations%rowtype;
  current_row public.pcn_memberships%rowtype;
  ended public.pcn_memberships%rowtype;
  result public.pcn_memberships%rowtype;
begin
  if p_valid_from is null then
    perform private.fail('22023', 'Give the date the practice joins the new PCN.',
      'It is the first day in the new PCN; the current relationship ends the day before.');
  end if;
  select * into practice from public.organisations o where o.id = p_practice_id;
  if not found then
    perform private.fail('PT404', format('No organisation with id %s.', p_practice_id), 'Search the organisation directory for the practice.');
  end if;
  select * into pcn from public.organisations o where o.id = p_new_pcn_id;
  if not found then
    perform private.fail('PT404', format('No organisation with id %s.', p_new_pcn_id), 'Search the organisation directory for the PCN.');
  end if;
  if practice.type <> 'practice' then
    perform private.fail('22023', format('Only a GP practice can move to a PCN; %s is a %s.', private.organisation_label(practice.id), practice.type),
      'Choose an organisation of type practice.');
  end if;
  if pcn.type <> 'pcn' then
    perform private.fail('22023', format('A practice can only move to a PCN; %s is a %s.', private.organisation_label(pcn.id), pcn.type),
      'Choose an organisation of type pcn.');
  end if;

  -- The current (open) relationship, locked so that a concurrent move waits.
  select * into current_row
  from public.pcn_memberships pm
  where pm.practice_id = practice.id and pm.valid_to is null
  for update;
  if not found then
    if not private.can_manage_pcn_memberships(practice.id, pcn.id) then
      perform private.fail('42501', format('You may not move %s to %s.', private.organisation_label(practice.id), private.organisation_label(pcn.id)),
        'Organisation Administrators or User Administrators of a commissioner above the practice and both PCNs manage PCN relationships.');
    end if;
    perform private.fail('PT409', format('%s is not in a PCN now: there is nothing to move from.', private.organisation_label(practice.id)),
      'Use "Add to PCN" instead.');
  end if;
  if not private.can_manage_pcn_memberships(practice.id, current_row.pcn_id)
     or not private.can_manage_pcn_memberships(practice.id, pcn.id) then
    perform private.fail('42501', format('You may not move %s from %s to %s.', private.organisation_label(practice.id),
        private.organisation_label(current_row.pcn_id), private.organisation_label(pcn.id)),
      'Organisation Administrators or User Administrators of a commissioner above the practice and both PCNs manage PCN relationships.');
  end if;
  if current_row.pcn_id = pcn.id then
    perform private.fail('PT409', format('%s is already in %s, since %s.', private.organisation_label(practice.id),
        private.organisation_label(pcn.id), private.uk_date(current_row.valid_from)),
      'Choose a different PCN to move to.');
  end if;
  if p_valid_from <= current_row.valid_from then
    perform private.fail('22023', format('The move date (%s) must be after %s, when %s joined %s.', private.uk_date(p_valid_from),
        private.uk_date(current_row.valid_from), private.organisation_label(practice.id), private.organisation_label(current_row.pcn_id)),
      format('Choose %s or later.', private.uk_date(current_row.valid_from + 1)));
  end if;

  update public.pcn_memberships pm set valid_to = p_valid_from - 1 where pm.id = current_row.id returning * into ended;
  begin
    insert into public.pcn_memberships (practice_id, pcn_id, valid_from)
    values (practice.id, pcn.id, p_valid_from)
    returning * into result;
  exception
    when exclusion_violation then
      perform private.fail('PT409', format('%s already has a PCN on %s or later.', private.organisation_label(practice.id), private.uk_date(p_valid_from)),
        'Someone changed its PCN history just now: reload it and try again.');
  end;

  perform private.write_audit('pcn_membership.move_out', 'pcn_membership', ended.id::text, practice.id, null,
    to_jsonb(current_row), to_jsonb(ended), format('moved to %s', private.organisation_label(pcn.id)));
  perform private.write_audit('pcn_membership.move_in', 'pcn_membership', result.id::text, practice.id, null,
    null, to_jsonb(result), format('moved from %s', private.organisation_label(current_row.pcn_id)));
  perform private.notify_pcn_move(practice.id, current_row.pcn_id, pcn.id,
    format('%s moves from %s to %s', private.organisation_label(practice.id), private.organisation_label(current_row.pcn_id),
      private.organisation_label(pcn.id)),
    format('%s recorded that %s moves from %s (last day %s) to %s (from %s).', private.person_label(me),
      private.organisation_label(practice.id), private.organisation_label(current_row.pcn_id), private.uk_date(ended.valid_to),
      private.organisation_label(pcn.id), private.uk_date(p_valid_from)));
  return result.id;
end;
$$;
comment on function public.move_pcn_membership(uuid, uuid, date) is
  'Move a practice from its current PCN to another from a first day: the current relationship ends the day before, the new one starts, in one transaction. Commissioner Organisation or User Administrators reaching the practice and both PCNs. Audited (move_out, move_in); the practice''s and both PCNs'' people are told.';

-- ---------------------------------------------------------------- current PCN

create view public.current_pcn_memberships
with (security_invoker = true)
as
select pm.practice_id, pm.pcn_id, pcn.ods_code as pcn_ods_code, pcn.name as pcn_name, pm.valid_from
from public.pcn_memberships pm
join public.organisations pcn on pcn.id = pm.pcn_id
where pm.during @> (now() at time zone 'Europe/London')::date;
comment on view public.current_pcn_memberships is
  'The PCN each practice belongs to today (London date). Rows are those of pcn_memberships the caller may read (RLS).';

-- ---------------------------------------------------------------- privileges

revoke all on public.current_pcn_memberships from public, anon, authenticated, service_role;
grant select on public.current_pcn_memberships to authenticated;

revoke all on function private.notify_pcn_move(uuid, uuid, uuid, text, text) from public;
revoke all on function public.move_pcn_membership(uuid, uuid, date) from public, anon;
grant execute on function public.move_pcn_membership(uuid, uuid, date) to authenticated;
