-- Fixes to issue 12's claims (20261207190100_claims.sql), forward: that
-- migration has landed and stays as it was.
--
-- * Deleting an account: the claims tables' people columns (created_by,
--   submitted_by, …) become `on delete set null`, and the claims write guard
--   lets exactly that change through (private.claims_only_deleted_people_cleared);
--   before, deleting the auth user of anyone who had touched a claim failed.
-- * Speed at national scale (tests/bench/claims.bench.ts): the reach helper
--   private.organisations_with_role and the claims' wrappers over it become
--   PL/pgSQL (plans kept for the session); claim_overview's labels come from
--   security-definer helpers called only for the rows the claims policy let
--   through, and the provider's code and name are per-row lookups; Tier 1
--   reviewers are told of a submitted claim in one INSERT (not one call each),
--   and the submitter is not asked to review their own claim.
-- * new_claim_availability reads the practice's periods once and names the
--   drafts holding today's open windows (open_drafts), so New Claim's reason
--   can say "finish draft claim …".
-- * A claim's status history names the practice for a step recorded without a
--   person (the demo data's practices without portal accounts), not "System
--   review".

alter table public.claims
  drop constraint claims_created_by_fkey,
  add constraint claims_created_by_fkey foreign key (created_by) references public.profiles (id) on delete set null,
  drop constraint claims_submitted_by_fkey,
  add constraint claims_submitted_by_fkey foreign key (submitted_by) references public.profiles (id) on delete set null,
  drop constraint claims_provider_approved_by_fkey,
  add constraint claims_provider_approved_by_fkey foreign key (provider_approved_by) references public.profiles (id) on delete set null,
  drop constraint claims_declined_by_fkey,
  add constraint claims_declined_by_fkey foreign key (declined_by) references public.profiles (id) on delete set null;
alter table public.claim_lines
  drop constraint claim_lines_acknowledged_by_fkey,
  add constraint claim_lines_acknowledged_by_fkey foreign key (acknowledged_by) references public.profiles (id) on delete set null;
alter table public.claim_answers
  drop constraint claim_answers_updated_by_fkey,
  add constraint claim_answers_updated_by_fkey foreign key (updated_by) references public.profiles (id) on delete set null;
alter table public.claim_evidence
  drop constraint claim_evidence_uploaded_by_fkey,
  add constraint claim_evidence_uploaded_by_fkey foreign key (uploaded_by) references public.profiles (id) on delete set null;

-- True when p_after differs from p_before only in people columns set to
-- null whose person no longer exists: the foreign keys' on delete set null.
create function private.claims_only_deleted_people_cleared(p_before jsonb, p_after jsonb)
returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  -- (The review's approvers come with …_claim_review.sql; naming them here before they exist is harmless.)
  people text[] := array['created_by', 'submitted_by', 'provider_approved_by', 'declined_by', 'acknowledged_by', 'updated_by',
                         'uploaded_by', 'tier1_approved_by', 'tier2_approved_by', 'finance_approved_by'];
  col text;
  cleared integer := 0;
begin
  -- (claim_lines.amount is generated: not computed yet when a before trigger sees the new row.)
  if (p_after - people - 'amount') <> (p_before - people - 'amount') then
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

create or replace function private.claims_write_guard()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if coalesce(current_setting('app.action', true), '') = '' then
    -- An account deleted (auth user removed): its foreign keys here are set
    -- to null (on delete set null) and nothing else changes. Allowed.
    if tg_op = 'UPDATE' and private.claims_only_deleted_people_cleared(to_jsonb(old), to_jsonb(new)) then
      return new;
    end if;
    perform private.fail('42501', format('%s change only through the portal''s claim actions.', initcap(replace(tg_table_name, '_', ' '))),
      'Use public.start_claim, add_claim_lines, remove_claim_lines, set_claim_line_units, acknowledge_claim_retainer, set_claim_answer, record_claim_evidence, delete_claim_evidence, submit_claim, approve_claim_as_provider, return_claim or delete_claim.');
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;
  if tg_table_name = 'claims' and tg_op = 'UPDATE' then
    new.updated_at := now();
  end if;
  return new;
end;
$$;

-- The reach helper every policy calls, unchanged in what it returns, now in
-- PL/pgSQL. As a SECURITY DEFINER SQL function it cannot be inlined, so
-- Postgres planned its five-table query afresh on every statement that called
-- it (about 1 ms each at national scale, and a claims list page calls it four
-- times: two policy branches × page and exact count). PL/pgSQL keeps the plan
-- for the session, so the gateway's pooled connections plan it once.
-- Measured by tests/bench/claims.bench.ts (the provider's claims list, RLS ÷
-- explicit filter, 1,054,620 claim lines).
create or replace function private.organisations_with_role(p_roles public.app_role[])
returns setof uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return query
  with mine as (
    select m.id, m.organisation_id, private.is_commissioner_type(o.type) as is_commissioner
    from public.memberships m
    join public.profiles p on p.id = m.profile_id
    join public.organisations o on o.id = m.organisation_id
    where m.profile_id = (select auth.uid())
      and m.status = 'active'
      and p.status = 'active'
      and (p_roles is null or m.roles && p_roles)
  ),
  anchors as (
    -- no cluster assignment: the membership's own organisation
    select mine.organisation_id, mine.is_commissioner
    from mine
    where not exists (select 1 from public.cluster_assignments ca where ca.membership_id = mine.id)
    union
    -- cluster assignments: only the clustered organisations
    select co.organisation_id, mine.is_commissioner
    from mine
    join public.cluster_assignments ca on ca.membership_id = mine.id
    join public.cluster_organisations co on co.cluster_id = ca.cluster_id
  )
  -- commissioners reach the subtree; providers only their own organisation (depth 0)
  select distinct c.descendant_id
  from anchors
  join public.organisation_closure c on c.ancestor_id = anchors.organisation_id
  where anchors.is_commissioner or c.depth = 0;
end;
$$;

-- Providers whose claims the caller works on or reads: Claim Submitter,
-- Provider Approver, Supervisor, View and Finance View at the practice.
-- (PL/pgSQL, like organisations_with_role above: an SQL wrapper was planned
-- again on every statement, and the claims policy calls both of these.)
create or replace function private.claim_provider_organisations()
returns setof uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return query select private.organisations_with_role('{claim_submitter,provider_approver,supervisor,view,finance_view}');
end;
$$;

-- Providers whose submitted claims the caller reviews: the commissioner's
-- reviewers (Tier 1, Tier 2, Finance, Finance Management), clusters respected.
create or replace function private.claim_reviewer_organisations()
returns setof uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return query select private.organisations_with_role('{approver_tier_1,approver_tier_2,finance,finance_management}');
end;
$$;

-- Status history of one claim, from the audit trail. Called only through
-- public.claim_timeline, which runs as the caller (so RLS on claims decides
-- which claims have a history to read). A step without a person is the
-- system review's, or a practice's recorded without a portal account (the
-- demo data's ZP1002–ZP1004): that one names the practice.
create or replace function private.claim_status_history(p_claim_id uuid)
returns table (occurred_at timestamptz, action text, actor text, from_status text, to_status text, reason text)
language sql
stable
security definer
set search_path = ''
as $$
  select a.occurred_at, a.action,
         case
           when a.actor_id is not null then private.person_label(a.actor_id)
           when a.action = 'claim.system_review' then 'System review'
           else coalesce(private.organisation_label(a.organisation_id), 'System')
         end,
         a.before ->> 'status', a.after ->> 'status', a.reason
  from public.audit_log a
  where a.entity_type = 'claim' and a.entity_id = p_claim_id::text
    and (a.before ->> 'status') is distinct from (a.after ->> 'status')
  order by a.occurred_at, a.id
$$;

create or replace function public.new_claim_availability(p_provider_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  today date := (now() at time zone 'Europe/London')::date;
  open_count integer;
  taken_open integer;
  next_open date;
  last_missed text;
  any_period boolean;
  reason text;
  message text;
  open_drafts jsonb;
  claimable jsonb;
begin
  if not (p_provider_id = any (array(select private.claim_provider_organisations()))) then
    perform private.fail('42501', 'You may only see the claims of your own organisation.', 'Choose an organisation you are a member of.');
  end if;
  -- One pass over the practice's periods (the function is not cheap: offers, windows, claims).
  with p as materialized (
    select p.*, c.status as taken_status, c.claim_number as taken_number
    from private.claim_periods(p_provider_id, today) p
    left join public.claims c on c.id = p.taken_by)
  select count(*) filter (where p.state in ('open', 'always')),
         count(*) filter (where p.state = 'taken' and today between p.opens_on and p.closes_on),
         min(p.opens_on) filter (where p.state = 'upcoming'),
         count(*) > 0,
         string_agg(format('%s (%s, closed %s)', p.service_name, p.period_label, private.uk_date(p.closes_on)), '; ' order by p.closes_on desc)
           filter (where p.state = 'missed'),
         -- Drafts of this practice holding a window open today: the claim to finish, not a new one.
         jsonb_agg(distinct jsonb_build_object('claim_id', p.taken_by, 'claim_number', p.taken_number))
           filter (where p.state = 'taken' and today between p.opens_on and p.closes_on and p.taken_status = 'draft'),
         coalesce(jsonb_agg(jsonb_build_object('service_id', p.service_id, 'service_name', p.service_name, 'period_label', p.period_label,
                                               'window_id', p.window_id, 'closes_on', p.closes_on) order by p.service_name, p.opens_on)
                    filter (where p.state in ('open', 'always')), '[]'::jsonb)
  into open_count, taken_open, next_open, any_period, last_missed, open_drafts, claimable
  from p;

  if open_count > 0 then
    reason := null;
    message := null;
  elsif not any_period then
    reason := 'no_services';
    message := 'Your organisation has no approved local services to claim for. Services your commissioner offers appear under Participation.';
  elsif taken_open > 0 then
    reason := 'all_claimed';
    message := case
        when open_drafts is not null then format('Everything open for claims now is already on your draft claim %s: finish it and press Submit.',
          (select string_agg(x ->> 'claim_number', ', ') from jsonb_array_elements(open_drafts) x))
        else 'You have submitted all your services'' claims for the open claim windows: there is nothing more to claim now.' end
      || case when next_open is not null then format(' The next claim window opens on %s.', private.uk_date(next_open)) else '' end;
  elsif next_open is not null then
    reason := 'not_open_yet';
    message := format('The claim window has not opened yet: the next one opens on %s. See Claim windows for the schedule.', private.uk_date(next_open));
  elsif last_missed is not null then
    reason := 'window_missed';
    message := format('You have missed your claim window: %s. Contact your commissioner''s primary care team.', last_missed);
  else
    reason := 'all_claimed';
    message := 'You have submitted all your services'' claims and have no more claims to make.';
  end if;

  return jsonb_build_object(
    'available', open_count > 0,
    'reason', reason,
    'message', message,
    'next_opens_on', next_open,
    'open_drafts', coalesce(open_drafts, '[]'::jsonb),
    'services', claimable);
end;
$$;

-- After submit (one-step) or provider approval: to the system review when a
-- file awaits it, else to Tier 1. The Tier 1 reviewers (30–40 at an ICB at
-- national scale) are told in one INSERT that names the task's subject
-- itself: a queue_notification call per person, each planning its INSERT and
-- working the subject out of the link, was half of a submit's time.
create or replace function private.send_claim_on(p_claim public.claims)
returns public.claim_status
language plpgsql
security definer
set search_path = ''
as $$
declare
  message_subject text;
  message_body text;
begin
  if exists (select 1 from public.claim_evidence e where e.claim_id = p_claim.id and e.scan_status = 'pending') then
    update public.claims c set status = 'pending_system_review' where c.id = p_claim.id;
    insert into private.evidence_scan_jobs (claim_id) values (p_claim.id)
    on conflict (claim_id) do update set queued_at = now(), attempts = 0, next_attempt_at = now(), last_error = null;
    return 'pending_system_review';
  end if;
  update public.claims c set status = 'pending_tier1_review' where c.id = p_claim.id;
  message_subject := format('Claim %s waits for Tier 1 review', p_claim.claim_number);
  message_body := format('%s submitted claim %s for %s, total £%s.', private.organisation_label(p_claim.provider_id), p_claim.claim_number,
    private.claim_services_label(p_claim.id), to_char(p_claim.total, 'FM999,999,999,990.00'));
  insert into public.notifications (recipient_id, kind, subject, body, link, subject_type, subject_id)
  select person, 'claim_awaiting_review', left(message_subject, 200), left(message_body, 4000), format('/claims/%s', p_claim.id),
         'claim', p_claim.id
  from private.people_reaching(p_claim.provider_id, '{approver_tier_1}') person
  -- A reviewer who also submits for the practice is not asked to review their own claim.
  where person is distinct from p_claim.submitted_by;
  return 'pending_tier1_review';
end;
$$;

create or replace function public.submit_claim(p_claim_id uuid, p_dry_run boolean default false)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  claim public.claims;
  problems jsonb;
  next_status public.claim_status;
  resubmission boolean;
begin
  if p_dry_run then
    select * into claim from public.claims c where c.id = p_claim_id;
    if not found or not (claim.provider_id = any (array(select private.claim_provider_organisations()))) then
      perform private.fail('PT404', 'The claim does not exist, or you cannot see it.', 'Reload the list of claims.');
    end if;
  else
    claim := private.lock_claim(p_claim_id);
  end if;
  problems := private.claim_problems(claim);
  if jsonb_array_length(problems) > 0 or p_dry_run then
    return jsonb_build_object('ok', jsonb_array_length(problems) = 0, 'dry_run', p_dry_run, 'problems', problems,
      'claim_id', claim.id, 'claim_number', claim.claim_number, 'status', claim.status, 'total', claim.total);
  end if;

  resubmission := claim.status = 'declined';
  perform private.begin_action(case when resubmission then 'claim.resubmit' else 'claim.submit' end);
  update public.claims c
  set submitted_at = now(), submitted_by = me, submitted_fingerprint = private.claim_fingerprint(c.id),
      provider_approved_at = null, provider_approved_by = null,
      returned_reason = null, returned_at = null
  where c.id = claim.id returning * into claim;
  if private.is_two_step_practice(claim.provider_id) then
    update public.claims c set status = 'pending_provider_approval' where c.id = claim.id;
    next_status := 'pending_provider_approval';
    perform private.queue_notification(p, 'claim_awaiting_provider_approval',
      format('Claim %s waits for your approval', claim.claim_number),
      format('%s submitted claim %s for %s, total £%s. Approve it or return it with a reason.', private.person_label(me), claim.claim_number,
        private.claim_services_label(claim.id), to_char(claim.total, 'FM999,999,999,990.00')),
      format('/claims/%s', claim.id))
    from private.people_with_role_at(claim.provider_id, '{provider_approver}') p where p <> me;
  else
    next_status := private.send_claim_on(claim);
  end if;
  perform private.claim_audit(case when resubmission then 'claim.resubmit' else 'claim.submit' end, claim, claim.id, null);
  perform private.end_action();
  select * into claim from public.claims c where c.id = claim.id;
  return jsonb_build_object('ok', true, 'dry_run', false, 'problems', '[]'::jsonb,
    'claim_id', claim.id, 'claim_number', claim.claim_number, 'status', claim.status, 'total', claim.total);
end;
$$;

comment on function public.new_claim_availability(uuid) is
  'Whether the provider may press New Claim today, and if not why: no_services, all_claimed, not_open_yet or window_missed (the job aid''s three reasons), with a message to show; open_drafts names drafts holding today''s open windows (finish those instead).';

create function private.claim_financial_year(p_claim_id uuid)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select min(s.financial_year) from public.claim_services cs join public.quality_services s on s.id = cs.service_id where cs.claim_id = p_claim_id
$$;

create function private.claim_service_names(p_claim_id uuid)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(string_agg(s.name, ', ' order by s.name), '')
  from public.claim_services cs join public.quality_services s on s.id = cs.service_id where cs.claim_id = p_claim_id
$$;

create function private.claim_period_labels(p_claim_id uuid)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(string_agg(distinct cs.period_label, ', '), '') from public.claim_services cs where cs.claim_id = p_claim_id
$$;

-- Every column but the claim's own is a per-row expression, so Postgres
-- computes them after ORDER BY … LIMIT, for the page only (a join to
-- organisations made it hash all 7,700 organisations for a 19-claim list).
create or replace view public.claim_overview with (security_invoker = true) as
select c.id, c.claim_number, c.provider_id,
       (select p.ods_code from public.organisations p where p.id = c.provider_id) as provider_ods_code,
       (select p.name from public.organisations p where p.id = c.provider_id) as provider_name,
       c.commissioner_id, c.submission_mode, c.status, c.total, c.created_at, c.submitted_at, c.updated_at,
       c.returned_reason, c.decline_reason,
       private.claim_financial_year(c.id) as financial_year,
       private.claim_service_names(c.id) as services,
       private.claim_period_labels(c.id) as periods
from public.claims c;
comment on view public.claim_overview is 'Claims the caller can read with provider, financial year, services and periods, for lists.';
select private.make_view_read_only('public.claim_overview');

revoke all on function private.claims_only_deleted_people_cleared(jsonb, jsonb),
  private.claim_financial_year(uuid), private.claim_service_names(uuid), private.claim_period_labels(uuid)
  from public;
-- claim_overview's labels, for whoever reads the view (it runs as the caller).
grant execute on function private.claim_financial_year(uuid), private.claim_service_names(uuid), private.claim_period_labels(uuid)
  to authenticated, service_role;
