-- Issue 13 (local claims, part 2), first part: the commissioner's review.
--
--   pending_tier1_review     ──approve (Approver Tier 1)──▶ pending_tier2_review
--   pending_tier2_review     ──approve (Approver Tier 2)──▶ approved_for_payment      (low, medium band)
--                                                        ──▶ pending_finance_approval (high band)
--   pending_finance_approval ──approve (Finance, Finance Management)──▶ approved_for_payment
--   any of these             ──decline (reason)──▶ declined (the practice edits and resubmits)
--
-- * The risk band is the database's: when a claim enters Tier 1 review its
--   total is compared with the commissioner's settings (low below
--   medium_risk_from, medium below high_risk_from, high from it) and the band
--   stored on the claim (trigger), so queues can filter by it and Tier 2 acts
--   on it.
-- * Segregation of duties: nobody approves or declines a claim they
--   submitted; the Tier 2 approver is not the claim's Tier 1 approver.
-- * public.review_claims(ids[], note) approves several claims at once, each
--   checked on its own (a savepoint each): the answer lists which went
--   through and why any did not. A claim decided by someone else a moment
--   earlier answers "already decided by … at …".
-- * A decline clears the approvals (they stay in the audit trail): a
--   resubmitted claim is reviewed afresh.

create type public.claim_risk_band as enum ('low', 'medium', 'high');
comment on type public.claim_risk_band is 'Claim value band from the commissioner''s settings: low < medium_risk_from ≤ medium < high_risk_from ≤ high (Finance approves high).';

alter table public.claims
  add column risk_band public.claim_risk_band,
  add column tier1_approved_at timestamptz,
  add column tier1_approved_by uuid references public.profiles (id) on delete set null,
  add column tier2_approved_at timestamptz,
  add column tier2_approved_by uuid references public.profiles (id) on delete set null,
  add column finance_approved_at timestamptz,
  add column finance_approved_by uuid references public.profiles (id) on delete set null;
comment on column public.claims.risk_band is 'Set by the database when the claim enters Tier 1 review, from its total and the commissioner''s risk-band settings.';

create index claims_review_queue_idx on public.claims (status, provider_id, submitted_at)
  where status in ('pending_tier1_review', 'pending_tier2_review', 'pending_finance_approval');

-- (private.claims_only_deleted_people_cleared, the claims write guard's
-- account-deletion allowance, already names the approver columns.)

-- The band of a total under a commissioner's settings (defaults when it has none).
create function private.claim_risk_band(p_total numeric, p_commissioner_id uuid)
returns public.claim_risk_band
language sql
stable
security definer
set search_path = ''
as $$
  select case
    when p_total >= coalesce(s.high_risk_from, 50000.00) then 'high'
    when p_total >= coalesce(s.medium_risk_from, 15000.00) then 'medium'
    else 'low'
  end::public.claim_risk_band
  from (select 1) x
  left join public.commissioner_settings s on s.organisation_id = p_commissioner_id
$$;

create function private.claims_set_risk_band()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.status = 'pending_tier1_review' and old.status is distinct from 'pending_tier1_review' then
    new.risk_band := private.claim_risk_band(new.total, new.commissioner_id);
  end if;
  return new;
end;
$$;
create trigger claims_set_risk_band before update of status on public.claims
  for each row execute function private.claims_set_risk_band();

-- Declined claims are tasks for the submitter too (done when resubmitted).
create or replace function private.task_subject(p_kind public.notification_kind, p_link text)
returns table (subject_type text, subject_id uuid)
language sql
immutable
set search_path = ''
as $$
  select t.subject_type, substring(p_link from t.prefix || '([0-9a-fA-F-]{36})$')::uuid
  from (values
    ('registration_waiting'::public.notification_kind, 'profile', '^/registrations/'),
    ('access_request_waiting'::public.notification_kind, 'membership', '^/access-requests/'),
    ('service_offered'::public.notification_kind, 'service_offer', '^/participation/'),
    ('claim_awaiting_provider_approval'::public.notification_kind, 'claim', '^/claims/'),
    ('claim_returned'::public.notification_kind, 'claim', '^/claims/'),
    ('claim_quarantined'::public.notification_kind, 'claim', '^/claims/'),
    ('claim_awaiting_review'::public.notification_kind, 'claim', '^/claims/'),
    ('claim_declined'::public.notification_kind, 'claim', '^/claims/')
  ) as t (kind, subject_type, prefix)
  where t.kind = p_kind and p_link ~ (t.prefix || '[0-9a-fA-F-]{36}$')
$$;

-- Review tasks for the people holding p_roles over the claim's provider
-- (clusters respected), except those who may not decide it.
create function private.queue_review_tasks(p_claim public.claims, p_roles public.app_role[], p_step text, p_except uuid[])
returns void
language sql
security definer
set search_path = ''
as $$
  insert into public.notifications (recipient_id, kind, subject, body, link, subject_type, subject_id)
  select person, 'claim_awaiting_review',
         left(format('Claim %s waits for %s', p_claim.claim_number, p_step), 200),
         left(format('%s''s claim %s for %s, total £%s (%s risk), waits for %s.', private.organisation_label(p_claim.provider_id),
           p_claim.claim_number, private.claim_services_label(p_claim.id), to_char(p_claim.total, 'FM999,999,999,990.00'),
           coalesce(p_claim.risk_band::text, 'unbanded'), p_step), 4000),
         format('/claims/%s', p_claim.id), 'claim', p_claim.id
  from private.people_reaching(p_claim.provider_id, p_roles) person
  where not (person = any (array_remove(coalesce(p_except, '{}'), null)))
$$;

-- "Already decided by … at …": the latest step of the claim in the audit trail.
create function private.claim_last_decision(p_claim public.claims)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select format('Claim %s was already decided by %s at %s: it is now %s.', p_claim.claim_number,
           coalesce(private.person_label(a.actor_id), 'the system'),
           to_char(a.occurred_at at time zone 'Europe/London', 'DD/MM/YYYY HH24:MI'),
           replace(p_claim.status::text, '_', ' '))
  from public.audit_log a
  where a.entity_type = 'claim' and a.entity_id = p_claim.id::text
  order by a.occurred_at desc, a.id desc
  limit 1
$$;

-- One approval, by whoever may take the claim's current step. Raises when not allowed.
create function private.approve_one_claim(p_claim_id uuid, p_note text, p_expected public.claim_status)
returns public.claims
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  claim public.claims := private.lock_claim(p_claim_id);
  before_row public.claims := claim;
  step text;
  roles public.app_role[];
  next_status public.claim_status;
  action text;
begin
  if p_expected is not null and claim.status <> p_expected then
    perform private.fail('PT409', coalesce(private.claim_last_decision(claim), format('Claim %s is %s.', claim.claim_number, claim.status)),
      'Reload the queue: someone else decided it first.');
  end if;
  case claim.status
    when 'pending_tier1_review' then step := 'Tier 1 review'; roles := '{approver_tier_1}';
    when 'pending_tier2_review' then step := 'Tier 2 review'; roles := '{approver_tier_2}';
    when 'pending_finance_approval' then step := 'Finance approval'; roles := '{finance,finance_management}';
    else
      perform private.fail('PT409', coalesce(private.claim_last_decision(claim), format('Claim %s is %s.', claim.claim_number, claim.status)),
        'Only claims waiting for Tier 1, Tier 2 or Finance are approved here.');
  end case;
  if not private.person_has_role_over(me, claim.provider_id, roles) then
    perform private.fail('42501', format('Claim %s waits for %s: you do not hold that role for %s.', claim.claim_number, step,
        private.organisation_label(claim.provider_id)),
      'Ask your administrator for the role, or leave the claim to those who hold it.');
  end if;
  if claim.submitted_by = me then
    perform private.fail('42501', format('You submitted claim %s: someone else must approve it.', claim.claim_number), 'Nobody approves a claim they submitted.');
  end if;
  if claim.status = 'pending_tier2_review' and claim.tier1_approved_by = me then
    perform private.fail('42501', format('You approved claim %s at Tier 1: its Tier 2 approval must be someone else''s.', claim.claim_number),
      'The Tier 1 and Tier 2 approvers of a claim are different people.');
  end if;

  case claim.status
    when 'pending_tier1_review' then
      next_status := 'pending_tier2_review'; action := 'claim.tier_one_approve';
      update public.claims c set status = next_status, tier1_approved_by = me, tier1_approved_at = now() where c.id = claim.id returning * into claim;
      perform private.queue_review_tasks(claim, '{approver_tier_2}', 'Tier 2 review', array[me, claim.submitted_by]);
    when 'pending_tier2_review' then
      next_status := case when claim.risk_band = 'high' then 'pending_finance_approval' else 'approved_for_payment' end;
      action := 'claim.tier_two_approve';
      update public.claims c set status = next_status, tier2_approved_by = me, tier2_approved_at = now() where c.id = claim.id returning * into claim;
      if next_status = 'pending_finance_approval' then
        perform private.queue_review_tasks(claim, '{finance,finance_management}', 'Finance approval', array[claim.submitted_by]);
      end if;
    else
      next_status := 'approved_for_payment'; action := 'claim.finance_approve';
      update public.claims c set status = next_status, finance_approved_by = me, finance_approved_at = now() where c.id = claim.id returning * into claim;
  end case;
  if next_status = 'approved_for_payment' and claim.submitted_by is not null and private.is_active_person(claim.submitted_by) then
    perform private.queue_notification(claim.submitted_by, 'claim_approved',
      format('Claim %s approved for payment', claim.claim_number),
      format('Claim %s (£%s) is approved for payment; it goes out with the next payment run.', claim.claim_number, to_char(claim.total, 'FM999,999,999,990.00')),
      format('/claims/%s', claim.id));
  end if;
  perform private.claim_audit(action, before_row, claim.id, nullif(btrim(p_note), ''),
    jsonb_build_object('risk_band', claim.risk_band));
  return claim;
end;
$$;

-- Approve one or several claims (each at its own current step). Every claim
-- is tried on its own; the answer has one entry per claim:
-- {claim_id, claim_number, ok, status, message}. p_expected_status (optional)
-- is the step the caller saw: a claim that moved on meanwhile is refused with
-- who decided it and when.
create function public.review_claims(p_claim_ids uuid[], p_note text default null, p_expected_status public.claim_status default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  claim_id uuid;
  result public.claims;
  answers jsonb := '[]'::jsonb;
  failure text;
  failure_code text;
  claim_no bigint;
begin
  if p_claim_ids is null or cardinality(p_claim_ids) = 0 or array_position(p_claim_ids, null) is not null then
    perform private.fail('22023', 'Choose at least one claim to approve.', 'Pass the ids of the claims.');
  end if;
  if cardinality(p_claim_ids) > 500 then
    perform private.fail('22023', format('At most 500 claims at once (you chose %s).', cardinality(p_claim_ids)), 'Approve them in smaller groups.');
  end if;
  if char_length(p_note) > 1000 then
    perform private.fail('22023', format('The note is too long (%s characters; at most 1,000).', char_length(p_note)), 'Shorten the note.');
  end if;
  perform private.begin_action('claim.review');
  -- In the caller's order, each claim once.
  foreach claim_id in array array(select u.x from unnest(p_claim_ids) with ordinality u (x, n) group by u.x order by min(u.n)) loop
    begin
      result := private.approve_one_claim(claim_id, p_note, p_expected_status);
      answers := answers || jsonb_build_object('claim_id', result.id, 'claim_number', result.claim_number, 'ok', true,
        'status', result.status, 'message', format('Claim %s: %s.', result.claim_number, replace(result.status::text, '_', ' ')));
    exception when others then
      get stacked diagnostics failure = message_text, failure_code = returned_sqlstate;
      -- A claim the caller cannot see (PT404) keeps its number to itself.
      claim_no := null;
      if failure_code <> 'PT404' then
        select c.claim_number into claim_no from public.claims c where c.id = claim_id;
      end if;
      answers := answers || jsonb_build_object('claim_id', claim_id, 'claim_number', claim_no, 'ok', false,
        'status', null, 'message', failure);
    end;
  end loop;
  perform private.end_action();
  return answers;
end;
$$;
comment on function public.review_claims(uuid[], text, public.claim_status) is
  'Approve claims at their current review step (Tier 1 → Tier 2 → approved for payment, or → Finance for the high band; Finance → approved for payment). Each claim on its own; the answer lists [{claim_id, claim_number, ok, status, message}].';

create function public.decline_claim(p_claim_id uuid, p_reason text, p_expected_status public.claim_status default null)
returns public.claims
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  claim public.claims := private.lock_claim(p_claim_id);
  before_row public.claims := claim;
  reason text := private.clean_reason(p_reason, true, 'decline a claim');
  roles public.app_role[];
begin
  if (p_expected_status is not null and claim.status <> p_expected_status)
     or claim.status not in ('pending_tier1_review', 'pending_tier2_review', 'pending_finance_approval') then
    perform private.fail('PT409', coalesce(private.claim_last_decision(claim), format('Claim %s is %s.', claim.claim_number, claim.status)),
      'Only claims waiting for Tier 1, Tier 2 or Finance can be declined.');
  end if;
  roles := case claim.status
    when 'pending_tier1_review' then '{approver_tier_1}'::public.app_role[]
    when 'pending_tier2_review' then '{approver_tier_2}'::public.app_role[]
    else '{finance,finance_management}'::public.app_role[] end;
  if not private.person_has_role_over(me, claim.provider_id, roles) then
    perform private.fail('42501', format('Claim %s is %s: you do not hold the role that decides it for %s.', claim.claim_number,
        replace(claim.status::text, '_', ' '), private.organisation_label(claim.provider_id)),
      'Ask your administrator for the role, or leave the claim to those who hold it.');
  end if;
  if claim.submitted_by = me then
    perform private.fail('42501', format('You submitted claim %s: someone else must decide it.', claim.claim_number), 'Nobody decides a claim they submitted.');
  end if;
  perform private.begin_action('claim.decline');
  update public.claims c
  set status = 'declined', decline_reason = reason, declined_at = now(), declined_by = me,
      tier1_approved_by = null, tier1_approved_at = null, tier2_approved_by = null, tier2_approved_at = null,
      finance_approved_by = null, finance_approved_at = null
  where c.id = claim.id returning * into claim;
  if claim.submitted_by is not null and private.is_active_person(claim.submitted_by) then
    perform private.queue_notification(claim.submitted_by, 'claim_declined',
      format('Claim %s was declined', claim.claim_number),
      format('%s declined claim %s. Reason: %s Change what is asked and resubmit it.', private.person_label(me), claim.claim_number, reason),
      format('/claims/%s', claim.id));
  end if;
  perform private.claim_audit('claim.decline', before_row, claim.id, reason);
  perform private.end_action();
  return claim;
end;
$$;
comment on function public.decline_claim(uuid, text, public.claim_status) is
  'Decline a claim at Tier 1, Tier 2 or Finance with a reason (required); the submitter is told and may edit and resubmit (unchanged is refused).';

revoke all on function private.claim_risk_band(numeric, uuid), private.claims_set_risk_band(),
  private.queue_review_tasks(public.claims, public.app_role[], text, uuid[]), private.claim_last_decision(public.claims),
  private.approve_one_claim(uuid, text, public.claim_status)
  from public;
revoke all on function public.review_claims(uuid[], text, public.claim_status), public.decline_claim(uuid, text, public.claim_status)
  from public, anon;
grant execute on function public.review_claims(uuid[], text, public.claim_status), public.decline_claim(uuid, text, public.claim_status)
  to authenticated;

-- Claims already in review when this runs get their band now.
select set_config('app.action', 'migration', true);
update public.claims c set risk_band = private.claim_risk_band(c.total, c.commissioner_id)
where c.status in ('pending_tier1_review', 'pending_tier2_review', 'pending_finance_approval', 'approved_for_payment', 'sent', 'paid');
select set_config('app.action', '', true);
