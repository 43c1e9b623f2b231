-- Issue 12: local claims, part 1 — from New Claim to a submitted claim.
--
-- A claim is a practice's (provider's) request for payment for the local
-- services it delivered in a claim window's period. Tables:
--   claims          one per New Claim; the Claim ID people see is
--                   claim_number (an identity: allocated on New Claim, never
--                   reused, not even after Delete);
--   claim_services  the services (and the claim window, i.e. period) on it;
--   claim_lines     one per service component added (Add All / Add +):
--                   units × the unit price snapshotted from the offer's own
--                   tariff or the component, or a retainer's fixed amount;
--                   amount is a generated column, so only Postgres computes
--                   money;
--   claim_answers   answers to the services' supplementary questions;
--   claim_evidence  files in the private `evidence` bucket, with their
--                   system-review verdict.
-- Nobody writes these tables directly: authenticated has SELECT only, and a
-- guard trigger refuses any write outside the action functions below (for
-- every role). Each action checks role, reach and state, writes the audit
-- trail and queues notifications.
--
-- Transitions (domain.md "Claims"), through these functions only:
--   start_claim                                   → draft
--   submit_claim (draft | declined)               → pending_provider_approval (two-step practices)
--                                                 | pending_system_review (files to review)
--                                                 | pending_tier1_review
--   approve_claim_as_provider                     → pending_system_review | pending_tier1_review
--   return_claim (Provider Approver, reason)      → draft
--   record_evidence_scan (system review)          → pending_tier1_review | draft (a file quarantined)
--   delete_claim (draft)                          → gone (audit entry kept)
-- The review, decline and payment steps are issue 13's.

create type public.claim_status as enum (
  'draft',
  'pending_provider_approval',
  'pending_system_review',
  'pending_tier1_review',
  'pending_tier2_review',
  'pending_finance_approval',
  'approved_for_payment',
  'declined',
  'sent',
  'paid'
);
comment on type public.claim_status is 'States of a local claim (domain.md "Claims").';

create type public.evidence_scan_status as enum ('pending', 'clean', 'quarantined');
comment on type public.evidence_scan_status is 'System review of an evidence file: pending (not reviewed yet), clean, quarantined (refused, with a reason).';

-- ---------------------------------------------------------------- tables

create table public.claims (
  id uuid primary key default gen_random_uuid(),
  claim_number bigint generated always as identity (start with 36001) unique,
  provider_id uuid not null references public.organisations (id),
  commissioner_id uuid not null references public.organisations (id),
  submission_mode public.claim_submission_mode not null,
  status public.claim_status not null default 'draft',
  -- Sum of the lines' amounts, kept by the actions (private.refresh_claim_total).
  total numeric(12, 2) not null default 0,
  created_at timestamptz not null default now(),
  created_by uuid references public.profiles (id),
  updated_at timestamptz not null default now(),
  submitted_at timestamptz,
  submitted_by uuid references public.profiles (id),
  provider_approved_at timestamptz,
  provider_approved_by uuid references public.profiles (id),
  -- Why the claim came back to draft: the Provider Approver's reason, or the
  -- system review's (a quarantined file). Shown to the submitter.
  returned_reason text,
  returned_at timestamptz,
  decline_reason text,
  declined_at timestamptz,
  declined_by uuid references public.profiles (id),
  -- Digest of what was last submitted: lines, answers, files. A declined
  -- claim resubmitted with the same digest is refused.
  submitted_fingerprint text,
  constraint claims_total check (total >= 0),
  constraint claims_reasons check (char_length(returned_reason) <= 1000 and char_length(decline_reason) <= 500)
);
comment on table public.claims is
  'Local claims (domain.md "Claims"). claim_number is the Claim ID people see. Changes only through the claim actions (start_claim, add_claim_lines, …, submit_claim).';
comment on column public.claims.claim_number is 'The Claim ID: allocated when New Claim is pressed, never reused.';
comment on column public.claims.total is 'Sum of the lines'' amounts (£), computed by the database.';

create index claims_provider_idx on public.claims (provider_id, created_at desc);
create index claims_commissioner_status_idx on public.claims (commissioner_id, status);

create table public.claim_services (
  claim_id uuid not null references public.claims (id) on delete cascade,
  service_id uuid not null references public.quality_services (id),
  offer_id uuid not null references public.service_offers (id),
  -- null: a service without claim windows (components are added one by one with Add +).
  window_id uuid references public.claim_windows (id),
  period_label text not null,
  primary key (claim_id, service_id)
);
comment on table public.claim_services is 'The services on a claim, each with the claim window (period) it claims for and the offer it claims under.';
create index claim_services_offer_window_idx on public.claim_services (offer_id, window_id);
create index claim_services_service_idx on public.claim_services (service_id);

create table public.claim_lines (
  id uuid primary key default gen_random_uuid(),
  claim_id uuid not null,
  service_id uuid not null,
  component_id uuid not null references public.service_components (id),
  kind public.component_kind not null,
  position integer not null default 0,
  units integer,
  unit_price numeric(12, 2),
  fixed_amount numeric(12, 2),
  acknowledged_at timestamptz,
  acknowledged_by uuid references public.profiles (id),
  amount numeric(12, 2) generated always as (
    case kind when 'unit' then round(coalesce(units, 0)::numeric * unit_price, 2) when 'retainer' then fixed_amount else 0 end
  ) stored,
  foreign key (claim_id, service_id) references public.claim_services (claim_id, service_id) on delete cascade,
  constraint claim_lines_component_key unique (claim_id, component_id),
  constraint claim_lines_kind check (
    case kind
      when 'unit' then unit_price is not null and fixed_amount is null
      when 'retainer' then fixed_amount is not null and unit_price is null and units is null
      else false
    end),
  constraint claim_lines_units check (units between 0 and 100000)
);
comment on table public.claim_lines is
  'A component on a claim. unit: units × unit_price (snapshotted from the offer''s tariff, else the component''s price); retainer: fixed_amount, to be acknowledged. amount is computed by the database.';

create table public.claim_answers (
  claim_id uuid not null,
  service_id uuid not null,
  question_id uuid not null references public.service_questions (id),
  answer_yes boolean,
  answer_text text,
  updated_at timestamptz,
  updated_by uuid references public.profiles (id),
  primary key (claim_id, question_id),
  foreign key (claim_id, service_id) references public.claim_services (claim_id, service_id) on delete cascade,
  constraint claim_answers_text_length check (char_length(answer_text) <= 1000)
);
comment on table public.claim_answers is 'Answers to the supplementary questions of the services on a claim.';

create table public.claim_evidence (
  id uuid primary key default gen_random_uuid(),
  claim_id uuid not null references public.claims (id) on delete cascade,
  line_id uuid not null references public.claim_lines (id) on delete cascade,
  -- storage.objects.name in the evidence bucket: <provider id>/<claim id>/<line id>/<file>
  object_path text not null unique,
  original_name text not null,
  size_bytes bigint not null,
  declared_type text,
  sniffed_type text,
  sha256 text,
  scan_status public.evidence_scan_status not null default 'pending',
  scan_reason text,
  uploaded_at timestamptz not null default now(),
  uploaded_by uuid references public.profiles (id),
  scanned_at timestamptz,
  constraint claim_evidence_name_length check (char_length(original_name) between 1 and 255),
  constraint claim_evidence_size check (size_bytes between 1 and 5242880),
  constraint claim_evidence_verdict check ((scan_status = 'quarantined') = (scan_reason is not null))
);
comment on table public.claim_evidence is
  'Evidence files of claim lines (private bucket "evidence"), with declared and sniffed type, sha256 and the system review''s verdict.';
create index claim_evidence_claim_idx on public.claim_evidence (claim_id);
create index claim_evidence_line_idx on public.claim_evidence (line_id);

-- Work for the system review and for removing stored files. Private: only
-- the service-role functions below read and write them.
create table private.evidence_scan_jobs (
  claim_id uuid primary key references public.claims (id) on delete cascade,
  queued_at timestamptz not null default now(),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text
);
create table private.evidence_purge_queue (
  object_path text primary key,
  queued_at timestamptz not null default now(),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text
);
alter table private.evidence_scan_jobs enable row level security;
alter table private.evidence_purge_queue enable row level security;
revoke all on private.evidence_scan_jobs, private.evidence_purge_queue from public, anon, authenticated;

-- ---------------------------------------------------------------- guards and bookkeeping triggers

create function private.claims_write_guard()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if coalesce(current_setting('app.action', true), '') = '' then
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

create trigger claims_write_guard before insert or update or delete on public.claims
  for each row execute function private.claims_write_guard();
create trigger claim_services_write_guard before insert or update or delete on public.claim_services
  for each row execute function private.claims_write_guard();
create trigger claim_lines_write_guard before insert or update or delete on public.claim_lines
  for each row execute function private.claims_write_guard();
create trigger claim_answers_write_guard before insert or update or delete on public.claim_answers
  for each row execute function private.claims_write_guard();
create trigger claim_evidence_write_guard before insert or update or delete on public.claim_evidence
  for each row execute function private.claims_write_guard();

-- A file whose row goes (Delete on the file, its line removed, the claim
-- deleted) is queued for removal from Storage; the scan-evidence function
-- removes the bytes through the Storage API.
create function private.claim_evidence_queue_purge()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into private.evidence_purge_queue (object_path) values (old.object_path)
  on conflict (object_path) do nothing;
  return null;
end;
$$;
create trigger claim_evidence_queue_purge after delete on public.claim_evidence
  for each row execute function private.claim_evidence_queue_purge();

-- Every claim task is about the status the claim had when it was queued:
-- once the status changes (or the claim is deleted) the task is done.
create function private.claims_finish_tasks()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'DELETE' then
    perform private.finish_tasks('claim', old.id);
    return old;
  end if;
  if new.status is distinct from old.status then
    perform private.finish_tasks('claim', new.id);
  end if;
  return new;
end;
$$;
create trigger claims_finish_tasks after update of status or delete on public.claims
  for each row execute function private.claims_finish_tasks();

alter table public.notifications drop constraint notifications_subject;
alter table public.notifications add constraint notifications_subject check (
  (subject_type is null) = (subject_id is null)
  and (subject_type is null or subject_type in ('profile', 'membership', 'service_offer', 'claim')));
comment on column public.notifications.subject_type is
  'What a task is about: profile (registration_waiting), membership (access_request_waiting), service_offer (service_offered), claim (claim tasks).';

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
    ('claim_awaiting_review'::public.notification_kind, 'claim', '^/claims/')
  ) as t (kind, subject_type, prefix)
  where t.kind = p_kind and p_link ~ (t.prefix || '[0-9a-fA-F-]{36}$')
$$;

-- ---------------------------------------------------------------- reach helpers

-- Providers whose claims the caller works on or reads: Claim Submitter,
-- Provider Approver, Supervisor, View and Finance View at the practice.
create function private.claim_provider_organisations()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select private.organisations_with_role('{claim_submitter,provider_approver,supervisor,view,finance_view}')
$$;

-- Providers whose submitted claims the caller reviews: the commissioner's
-- reviewers (Tier 1, Tier 2, Finance, Finance Management), clusters respected.
create function private.claim_reviewer_organisations()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select private.organisations_with_role('{approver_tier_1,approver_tier_2,finance,finance_management}')
$$;

-- Status history of one claim, from the audit trail. Called only through
-- public.claim_timeline, which runs as the caller (so RLS on claims decides
-- which claims have a history to read).
create function private.claim_status_history(p_claim_id uuid)
returns table (occurred_at timestamptz, action text, actor text, from_status text, to_status text, reason text)
language sql
stable
security definer
set search_path = ''
as $$
  select a.occurred_at, a.action,
         case when a.actor_id is null then 'System review' else private.person_label(a.actor_id) end,
         a.before ->> 'status', a.after ->> 'status', a.reason
  from public.audit_log a
  where a.entity_type = 'claim' and a.entity_id = p_claim_id::text
    and (a.before ->> 'status') is distinct from (a.after ->> 'status')
  order by a.occurred_at, a.id
$$;

-- Every claim window of every claimable service the provider has an approved
-- offer for, with its state on p_on: open (claimable now, not yet claimed),
-- taken (a claim that is not declined covers it), upcoming, missed (closed,
-- never claimed); services without windows appear once, as "always".
create function private.claim_periods(p_provider_id uuid, p_on date)
returns table (
  service_id uuid, service_name text, commissioner_id uuid, offer_id uuid, window_id uuid, period_label text,
  opens_on date, closes_on date, state text, taken_by uuid, single_service boolean)
language sql
stable
security definer
set search_path = ''
as $$
  with offers as (
    select f.id as offer_id, f.starts_on, f.ends_on, s.id as service_id, s.name as service_name, s.commissioner_id,
           s.financial_year,
           coalesce(s.claim_mode, cs.claim_submission, 'multi_service') = 'single_service' as single_service
    from public.service_offers f
    join public.quality_services s on s.id = f.service_id
    left join public.commissioner_settings cs on cs.organisation_id = s.commissioner_id
    where f.provider_id = p_provider_id and f.status = 'approved'
      and s.kind = 'local' and not s.participation_only
      and exists (select 1 from public.service_components c where c.service_id = s.id and c.kind in ('unit', 'retainer'))
  ),
  periods as (
    select o.*, w.id as window_id, w.period_label, w.opens_on, w.closes_on
    from offers o
    join public.claim_windows w on w.service_id = o.service_id
      and w.period_starts_on <= o.ends_on and w.period_ends_on >= o.starts_on
    union all
    select o.*, null::uuid, o.financial_year, null::date, null::date
    from offers o
    where not exists (select 1 from public.claim_windows w where w.service_id = o.service_id)
  )
  select p.service_id, p.service_name, p.commissioner_id, p.offer_id, p.window_id, p.period_label, p.opens_on, p.closes_on,
         case
           when p.window_id is null then 'always'
           when taken.claim_id is not null then 'taken'
           when p_on < p.opens_on then 'upcoming'
           when p_on > p.closes_on then 'missed'
           else 'open'
         end,
         taken.claim_id,
         p.single_service
  from periods p
  left join lateral (
    select cs.claim_id from public.claim_services cs join public.claims c on c.id = cs.claim_id
    where p.window_id is not null and cs.offer_id = p.offer_id and cs.window_id = p.window_id and c.status <> 'declined'
    order by c.created_at limit 1
  ) taken on true
$$;

-- ---------------------------------------------------------------- availability (New Claim or the reason there is none)

create function public.new_claim_availability(p_provider_id uuid)
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
begin
  if not (p_provider_id = any (array(select private.claim_provider_organisations()))) then
    perform private.fail('42501', 'You may only see the claims of your own organisation.', 'Choose an organisation you are a member of.');
  end if;
  select count(*) filter (where p.state in ('open', 'always')),
         count(*) filter (where p.state = 'taken' and today between p.opens_on and p.closes_on),
         min(p.opens_on) filter (where p.state = 'upcoming'),
         count(*) > 0
  into open_count, taken_open, next_open, any_period
  from private.claim_periods(p_provider_id, today) p;
  select string_agg(format('%s (%s, closed %s)', p.service_name, p.period_label, private.uk_date(p.closes_on)), '; ' order by p.closes_on desc)
  into last_missed
  from private.claim_periods(p_provider_id, today) p where p.state = 'missed';

  if open_count > 0 then
    reason := null;
    message := null;
  elsif not any_period then
    reason := 'no_services';
    message := 'Your organisation has no approved local services to claim for. Services your commissioner offers appear under Participation.';
  elsif taken_open > 0 then
    reason := 'all_claimed';
    message := 'You have submitted all your services'' claims for the open claim windows: there is nothing more to claim now.'
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
    'services', coalesce((
      select jsonb_agg(jsonb_build_object('service_id', p.service_id, 'service_name', p.service_name, 'period_label', p.period_label,
                                          'window_id', p.window_id, 'closes_on', p.closes_on) order by p.service_name, p.opens_on)
      from private.claim_periods(p_provider_id, today) p where p.state in ('open', 'always')), '[]'::jsonb));
end;
$$;
comment on function public.new_claim_availability(uuid) is
  'Whether the provider may press New Claim today, and if not why: no_services, all_claimed, not_open_yet or window_missed (the job aid''s three reasons), with a message to show.';

-- The Services pane of one claim: what it may claim for (open, unclaimed
-- periods of the claim's commissioner) and what is already on it.
create function public.claim_available_services(p_claim_id uuid)
returns table (
  service_id uuid, service_name text, period_label text, window_id uuid, closes_on date, offer_id uuid,
  component_count integer, single_service boolean, on_claim boolean)
language sql
stable
security invoker
set search_path = ''
as $$
  select p.service_id, p.service_name, p.period_label, p.window_id, p.closes_on, p.offer_id,
         (select count(*)::integer from public.service_components sc where sc.service_id = p.service_id and sc.kind in ('unit', 'retainer')),
         p.single_service,
         exists (select 1 from public.claim_services cs where cs.claim_id = c.id and cs.service_id = p.service_id)
  from public.claims c
  cross join lateral private.claim_periods(c.provider_id, (now() at time zone 'Europe/London')::date) p
  where c.id = p_claim_id
    and p.commissioner_id = c.commissioner_id
    and (p.state in ('open', 'always') or p.taken_by = c.id)
  order by p.service_name
$$;
comment on function public.claim_available_services(uuid) is
  'The Services pane of a claim: services with an open, unclaimed period (or already on this claim), with their number of claimable components. Runs as the caller.';

create function public.claim_timeline(p_claim_id uuid)
returns table (occurred_at timestamptz, action text, actor text, from_status text, to_status text, reason text)
language sql
stable
security invoker
set search_path = ''
as $$
  select h.* from public.claims c cross join lateral private.claim_status_history(c.id) h where c.id = p_claim_id
$$;
comment on function public.claim_timeline(uuid) is 'The status timeline of a claim the caller can read, from the audit trail.';

-- ---------------------------------------------------------------- action helpers

-- The claim, locked; PT404 when it does not exist or the caller cannot read it.
create function private.lock_claim(p_claim_id uuid)
returns public.claims
language plpgsql
security definer
set search_path = ''
as $$
declare
  claim public.claims;
begin
  select * into claim from public.claims c where c.id = p_claim_id for update;
  if not found or not (claim.provider_id = any (array(select private.claim_provider_organisations()))
                       or (claim.status not in ('draft', 'pending_provider_approval')
                           and claim.provider_id = any (array(select private.claim_reviewer_organisations())))) then
    perform private.fail('PT404', 'The claim does not exist, or you cannot see it.', 'Reload the list of claims.');
  end if;
  return claim;
end;
$$;

-- A claim the caller may change: a Claim Submitter of its provider, while it is draft or declined.
create function private.require_editable_claim(p_claim public.claims, p_verb text)
returns void
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if not private.has_role(p_claim.provider_id, 'claim_submitter') then
    perform private.fail('42501', format('Only Claim Submitters of %s can %s claim %s.', private.organisation_label(p_claim.provider_id), p_verb, p_claim.claim_number),
      'Ask your organisation''s administrator for the Claim Submitter role.');
  end if;
  if p_claim.status not in ('draft', 'declined') then
    perform private.fail('PT409', format('Claim %s is %s: only draft or declined claims can be changed.', p_claim.claim_number, replace(p_claim.status::text, '_', ' ')),
      'Reload the claim to see where it is.');
  end if;
end;
$$;

create function private.refresh_claim_total(p_claim_id uuid)
returns numeric
language sql
security definer
set search_path = ''
as $$
  update public.claims c set total = coalesce((select sum(l.amount) from public.claim_lines l where l.claim_id = c.id), 0)
  where c.id = p_claim_id
  returning c.total
$$;

create function private.claim_audit(p_action text, p_before public.claims, p_claim_id uuid, p_reason text, p_detail jsonb default null)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  after_row public.claims;
begin
  select * into after_row from public.claims c where c.id = p_claim_id;
  perform private.write_audit(p_action, 'claim', p_claim_id::text, coalesce(after_row.provider_id, p_before.provider_id), null,
    case when p_before.id is null then null else to_jsonb(p_before) end,
    case when after_row.id is null then null else to_jsonb(after_row) || coalesce(p_detail, '{}'::jsonb) end,
    p_reason);
end;
$$;

-- People with one of p_roles over the provider (commissioner side: clusters respected).
create function private.people_reaching(p_provider_id uuid, p_roles public.app_role[])
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select distinct m.profile_id
  from public.organisation_closure up
  join public.memberships m on m.organisation_id = up.ancestor_id
  where up.descendant_id = p_provider_id and m.status = 'active' and m.roles && p_roles
    and private.person_has_role_over(m.profile_id, p_provider_id, p_roles)
$$;

create function private.claim_services_label(p_claim_id uuid)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(string_agg(format('%s (%s)', s.name, cs.period_label), ', ' order by s.name), 'no services')
  from public.claim_services cs join public.quality_services s on s.id = cs.service_id
  where cs.claim_id = p_claim_id
$$;

-- ---------------------------------------------------------------- start, lines, answers

create function public.start_claim(p_provider_id uuid)
returns public.claims
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  today date := (now() at time zone 'Europe/London')::date;
  commissioners uuid[];
  mode public.claim_submission_mode;
  claim public.claims;
  availability jsonb;
begin
  if not private.has_role(p_provider_id, 'claim_submitter') then
    perform private.fail('42501', format('Only Claim Submitters of %s can start a claim.', coalesce(private.organisation_label(p_provider_id), 'this organisation')),
      'Ask your organisation''s administrator for the Claim Submitter role.');
  end if;
  -- Serialise New Claim per provider (two presses at once make one empty draft).
  perform 1 from public.organisations o where o.id = p_provider_id for update;
  availability := public.new_claim_availability(p_provider_id);
  if not (availability ->> 'available')::boolean then
    perform private.fail('PT409', availability ->> 'message', 'There is nothing to claim today.');
  end if;
  -- An empty draft of this provider is offered again instead of a second one.
  select * into claim from public.claims c
  where c.provider_id = p_provider_id and c.status = 'draft'
    and not exists (select 1 from public.claim_services cs where cs.claim_id = c.id)
  order by c.created_at limit 1;
  if found then
    return claim;
  end if;
  commissioners := array(select distinct p.commissioner_id from private.claim_periods(p_provider_id, today) p where p.state in ('open', 'always'));
  select coalesce(cs.claim_submission, 'multi_service') into mode
  from (select 1) x left join public.commissioner_settings cs on cs.organisation_id = commissioners[1];

  perform private.begin_action('claim.start');
  insert into public.claims (provider_id, commissioner_id, submission_mode, created_by)
  values (p_provider_id, commissioners[1], mode, me)
  returning * into claim;
  perform private.claim_audit('claim.start', null, claim.id, null);
  perform private.end_action();
  return claim;
end;
$$;
comment on function public.start_claim(uuid) is
  'New Claim: a Claim Submitter starts a draft claim (allocating its Claim ID) when new_claim_availability says a claim can be made. An existing empty draft is returned instead of a second one.';

-- Add All / Add +: put components on the claim (and with them their service,
-- its period and its supplementary questions).
create function public.add_claim_lines(p_claim_id uuid, p_component_ids uuid[])
returns public.claims
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  claim public.claims := private.lock_claim(p_claim_id);
  component public.service_components;
  period record;
  services_after integer;
  added integer := 0;
begin
  perform private.require_editable_claim(claim, 'change');
  if p_component_ids is null or cardinality(p_component_ids) = 0 or array_position(p_component_ids, null) is not null then
    perform private.fail('22023', 'Choose at least one component to add.', 'Pass the ids of the components.');
  end if;
  perform private.begin_action('claim.add_lines');
  for component in select * from public.service_components sc where sc.id = any (p_component_ids) order by sc.service_id, sc.position loop
    if component.kind not in ('unit', 'retainer') then
      perform private.fail('22023', format('%s is a participation component: there is nothing to claim for it.', component.name), 'Add unit or retainer components.');
    end if;
    if not exists (select 1 from public.claim_services cs where cs.claim_id = claim.id and cs.service_id = component.service_id) then
      select p.* into period
      from private.claim_periods(claim.provider_id, (now() at time zone 'Europe/London')::date) p
      where p.service_id = component.service_id and p.commissioner_id = claim.commissioner_id and p.state in ('open', 'always')
      order by p.opens_on limit 1;
      if not found then
        perform private.fail('PT409', format('%s cannot be claimed now: no open, unclaimed claim window of an approved offer.',
          (select s.name from public.quality_services s where s.id = component.service_id)),
          'See Claim windows for when it can be claimed.');
      end if;
      -- Two claims racing for one period: the offer row serialises them.
      perform 1 from public.service_offers f where f.id = period.offer_id for update;
      if period.window_id is not null and exists (
          select 1 from public.claim_services cs join public.claims c on c.id = cs.claim_id
          where cs.offer_id = period.offer_id and cs.window_id = period.window_id and c.status <> 'declined' and c.id <> claim.id) then
        perform private.fail('PT409', format('%s (%s) is already on another claim.', period.service_name, period.period_label), 'Reload the claim.');
      end if;
      if exists (select 1 from public.claim_services cs where cs.claim_id = claim.id)
         and (claim.submission_mode = 'single_service' or period.single_service
              or exists (select 1 from public.claim_services cs join public.quality_services s on s.id = cs.service_id
                         left join public.commissioner_settings st on st.organisation_id = s.commissioner_id
                         where cs.claim_id = claim.id and coalesce(s.claim_mode, st.claim_submission) = 'single_service')) then
        perform private.fail('PT409', format('Claim %s is a single-service claim: claim %s on a claim of its own.', claim.claim_number, period.service_name),
          'Press New Claim for the next service.');
      end if;
      insert into public.claim_services (claim_id, service_id, offer_id, window_id, period_label)
      values (claim.id, component.service_id, period.offer_id, period.window_id, period.period_label);
      insert into public.claim_answers (claim_id, service_id, question_id)
      select claim.id, q.service_id, q.id from public.service_questions q where q.service_id = component.service_id;
    end if;
    insert into public.claim_lines (claim_id, service_id, component_id, kind, position, unit_price, fixed_amount)
    select claim.id, component.service_id, component.id, component.kind, component.position,
           case when component.kind = 'unit' then public.offer_unit_price(cs.offer_id, component.id) end,
           case when component.kind = 'retainer' then component.fixed_amount end
    from public.claim_services cs where cs.claim_id = claim.id and cs.service_id = component.service_id
    on conflict (claim_id, component_id) do nothing;
    added := added + 1;
  end loop;
  if added <> (select count(distinct x) from unnest(p_component_ids) x) then
    perform private.fail('PT404', 'One of the components does not exist.', 'Reload the claim.');
  end if;
  perform private.refresh_claim_total(claim.id);
  perform private.claim_audit('claim.add_lines', claim, claim.id, null, jsonb_build_object('components', to_jsonb(p_component_ids)));
  perform private.end_action();
  select * into claim from public.claims c where c.id = p_claim_id;
  return claim;
end;
$$;
comment on function public.add_claim_lines(uuid, uuid[]) is
  'Add All / Add +: add service components to a draft or declined claim. Unit prices are snapshotted from the offer''s tariff, else the component''s price.';

-- Remove All (p_line_ids null) or some lines. A service with no lines left
-- leaves the claim with its answers; files of removed lines are deleted.
create function public.remove_claim_lines(p_claim_id uuid, p_line_ids uuid[] default null)
returns public.claims
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  claim public.claims := private.lock_claim(p_claim_id);
  removed integer;
begin
  perform private.require_editable_claim(claim, 'change');
  if p_line_ids is not null and (select count(*) from public.claim_lines l where l.claim_id = claim.id and l.id = any (p_line_ids))
                                <> (select count(distinct x) from unnest(p_line_ids) x) then
    perform private.fail('PT404', 'One of the lines is not on this claim.', 'Reload the claim.');
  end if;
  perform private.begin_action('claim.remove_lines');
  delete from public.claim_lines l where l.claim_id = claim.id and (p_line_ids is null or l.id = any (p_line_ids));
  get diagnostics removed = row_count;
  delete from public.claim_services cs where cs.claim_id = claim.id
    and not exists (select 1 from public.claim_lines l where l.claim_id = cs.claim_id and l.service_id = cs.service_id);
  perform private.refresh_claim_total(claim.id);
  perform private.claim_audit('claim.remove_lines', claim, claim.id, null, jsonb_build_object('removed_lines', removed));
  perform private.end_action();
  select * into claim from public.claims c where c.id = p_claim_id;
  return claim;
end;
$$;
comment on function public.remove_claim_lines(uuid, uuid[]) is 'Remove All (no line ids) or the given lines from a draft or declined claim; their files are deleted.';

create function private.lock_claim_line(p_line_id uuid)
returns public.claim_lines
language plpgsql
security definer
set search_path = ''
as $$
declare
  line public.claim_lines;
begin
  select * into line from public.claim_lines l where l.id = p_line_id;
  if not found then
    perform private.fail('PT404', 'The claim line does not exist.', 'Reload the claim.');
  end if;
  return line;
end;
$$;

create function public.set_claim_line_units(p_line_id uuid, p_units integer)
returns public.claim_lines
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  line public.claim_lines := private.lock_claim_line(p_line_id);
  claim public.claims := private.lock_claim(line.claim_id);
  result public.claim_lines;
begin
  perform private.require_editable_claim(claim, 'change');
  if line.kind <> 'unit' then
    perform private.fail('22023', 'A retainer has no units: it pays its fixed amount.', 'Tick that you have read its information instead.');
  end if;
  if p_units is not null and (p_units < 0 or p_units > 100000) then
    perform private.fail('22023', format('Units must be a whole number from 0 to 100,000 (you entered %s).', p_units), 'Enter 0 when there is nothing to claim.');
  end if;
  perform private.begin_action('claim.set_units');
  update public.claim_lines l set units = p_units where l.id = line.id returning * into result;
  perform private.refresh_claim_total(claim.id);
  perform private.claim_audit('claim.set_units', claim, claim.id, null,
    jsonb_build_object('line_id', line.id, 'units_before', line.units, 'units', p_units));
  perform private.end_action();
  return result;
end;
$$;
comment on function public.set_claim_line_units(uuid, integer) is 'Set the units of a unit line (whole number 0–100,000; null clears). The amount is computed by the database.';

create function public.acknowledge_claim_retainer(p_line_id uuid, p_acknowledged boolean)
returns public.claim_lines
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  line public.claim_lines := private.lock_claim_line(p_line_id);
  claim public.claims := private.lock_claim(line.claim_id);
  result public.claim_lines;
begin
  perform private.require_editable_claim(claim, 'change');
  if line.kind <> 'retainer' then
    perform private.fail('22023', 'Only a retainer is acknowledged; enter units for this component.', 'Enter the units instead.');
  end if;
  perform private.begin_action('claim.acknowledge_retainer');
  update public.claim_lines l
  set acknowledged_at = case when coalesce(p_acknowledged, false) then now() end,
      acknowledged_by = case when coalesce(p_acknowledged, false) then me end
  where l.id = line.id returning * into result;
  perform private.claim_audit('claim.acknowledge_retainer', claim, claim.id, null,
    jsonb_build_object('line_id', line.id, 'acknowledged', coalesce(p_acknowledged, false)));
  perform private.end_action();
  return result;
end;
$$;
comment on function public.acknowledge_claim_retainer(uuid, boolean) is 'The provider confirms it has read a retainer''s information (or takes that back).';

create function public.set_claim_answer(p_claim_id uuid, p_question_id uuid, p_answer_yes boolean default null, p_answer_text text default null)
returns public.claim_answers
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  claim public.claims := private.lock_claim(p_claim_id);
  question public.service_questions;
  cleaned text := nullif(btrim(p_answer_text), '');
  is_date boolean;
  result public.claim_answers;
begin
  perform private.require_editable_claim(claim, 'change');
  select q.* into question from public.service_questions q
  join public.claim_answers a on a.question_id = q.id and a.claim_id = claim.id
  where q.id = p_question_id;
  if not found then
    perform private.fail('PT404', 'That question is not asked on this claim.', 'Reload the claim.');
  end if;
  if question.kind = 'yes_no_must_be_yes' then
    if cleaned is not null then
      perform private.fail('22023', format('"%s" is answered Yes or No.', question.question), 'Use the toggle.');
    end if;
  else
    if p_answer_yes is not null then
      perform private.fail('22023', format('"%s" is answered in words, not Yes or No.', question.question), 'Type the answer.');
    end if;
    if char_length(cleaned) > 1000 then
      perform private.fail('22023', format('The answer is too long (%s characters; at most 1,000).', char_length(cleaned)), 'Shorten the answer.');
    end if;
    if question.kind = 'number' and cleaned !~ '^-?[0-9]+(\.[0-9]+)?$' then
      perform private.fail('22023', format('"%s" needs a number; "%s" is not one.', question.question, left(cleaned, 40)), 'Enter digits only, e.g. 12 or 3.5.');
    end if;
    if question.kind = 'date' and cleaned is not null then
      -- to_date raises on a day or month out of range (2025-02-30): that is "not a date" too.
      begin
        is_date := cleaned ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' and to_char(to_date(cleaned, 'YYYY-MM-DD'), 'YYYY-MM-DD') = cleaned;
      exception when datetime_field_overflow or invalid_datetime_format then
        is_date := false;
      end;
      if not is_date then
        perform private.fail('22023', format('"%s" needs a date; "%s" is not one.', question.question, left(cleaned, 40)), 'Pick the date from the calendar.');
      end if;
    end if;
  end if;
  perform private.begin_action('claim.answer');
  update public.claim_answers a
  set answer_yes = case when question.kind = 'yes_no_must_be_yes' then p_answer_yes end,
      answer_text = case when question.kind <> 'yes_no_must_be_yes' then cleaned end,
      updated_at = now(), updated_by = me
  where a.claim_id = claim.id and a.question_id = question.id
  returning * into result;
  perform private.claim_audit('claim.answer', claim, claim.id, null,
    jsonb_build_object('question_id', question.id, 'answer_yes', result.answer_yes, 'answer_text', result.answer_text));
  perform private.end_action();
  return result;
end;
$$;
comment on function public.set_claim_answer(uuid, uuid, boolean, text) is
  'Answer a supplementary question on a draft or declined claim: Yes/No toggles by p_answer_yes, free text, numbers and dates (YYYY-MM-DD) by p_answer_text.';

-- ---------------------------------------------------------------- evidence

-- Record a file the portal has just uploaded to evidence/<provider>/<claim>/<line>/<name>.
create function public.record_claim_evidence(p_line_id uuid, p_object_path text, p_original_name text)
returns public.claim_evidence
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  line public.claim_lines := private.lock_claim_line(p_line_id);
  claim public.claims := private.lock_claim(line.claim_id);
  component public.service_components;
  stored record;
  name_clean text := nullif(btrim(p_original_name), '');
  extension text := lower(substring(coalesce(name_clean, '') from '\.([A-Za-z0-9]+)$'));
  result public.claim_evidence;
begin
  perform private.require_editable_claim(claim, 'change');
  select * into component from public.service_components sc where sc.id = line.component_id;
  if not component.evidence_required then
    perform private.fail('22023', format('%s does not take attachments.', component.name), 'Attach evidence only where the claim asks for it.');
  end if;
  if name_clean is null or char_length(name_clean) > 255 then
    perform private.fail('22023', 'The file needs a name of at most 255 characters.', 'Rename the file and add it again.');
  end if;
  if extension is null or not (extension = any (component.accepted_file_types)) then
    perform private.fail('22023', format('%s is not an accepted file type for %s: use %s.', name_clean, component.name,
        array_to_string(array(select '.' || t from unnest(component.accepted_file_types) t), ', ')),
      'Save the document as one of the accepted types and add it again.');
  end if;
  if p_object_path is null or p_object_path !~ format('^%s/%s/%s/[^/]+$', claim.provider_id, claim.id, line.id) then
    perform private.fail('22023', 'The file was not stored under this claim line.', 'Add the attachment again from the claim page.');
  end if;
  select o.name, (o.metadata ->> 'size')::bigint as size, o.metadata ->> 'mimetype' as mimetype into stored
  from storage.objects o where o.bucket_id = 'evidence' and o.name = p_object_path;
  if not found then
    perform private.fail('PT404', format('%s has not been uploaded (or was removed).', name_clean), 'Add the attachment again.');
  end if;
  if (select count(*) from public.claim_evidence e where e.line_id = line.id) >= 10 then
    perform private.fail('PT409', format('%s already has 10 files: delete one before adding another.', component.name), 'Combine documents into one file if you can.');
  end if;
  perform private.begin_action('claim.add_evidence');
  insert into public.claim_evidence (claim_id, line_id, object_path, original_name, size_bytes, declared_type, uploaded_by)
  values (claim.id, line.id, p_object_path, name_clean, coalesce(stored.size, 0), stored.mimetype, me)
  on conflict (object_path) do nothing
  returning * into result;
  if result.id is null then
    perform private.fail('PT409', format('%s is already attached.', name_clean), 'Reload the claim.');
  end if;
  perform private.claim_audit('claim.add_evidence', claim, claim.id, null,
    jsonb_build_object('line_id', line.id, 'file', name_clean, 'size_bytes', result.size_bytes));
  perform private.end_action();
  return result;
end;
$$;
comment on function public.record_claim_evidence(uuid, text, text) is
  'Add Attachment, second half: record a file uploaded to the evidence bucket under <provider>/<claim>/<line>/ (type and size checked; reviewed by the system review on submit).';

create function public.delete_claim_evidence(p_evidence_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  evidence public.claim_evidence;
  claim public.claims;
begin
  select * into evidence from public.claim_evidence e where e.id = p_evidence_id;
  if not found then
    perform private.fail('PT404', 'The file does not exist.', 'Reload the claim.');
  end if;
  claim := private.lock_claim(evidence.claim_id);
  perform private.require_editable_claim(claim, 'change');
  perform private.begin_action('claim.delete_evidence');
  delete from public.claim_evidence e where e.id = evidence.id;
  perform private.claim_audit('claim.delete_evidence', claim, claim.id, null,
    jsonb_build_object('line_id', evidence.line_id, 'file', evidence.original_name));
  perform private.end_action();
end;
$$;
comment on function public.delete_claim_evidence(uuid) is 'Delete a file from a draft or declined claim (its bytes are removed from Storage by the scan-evidence function).';

-- ---------------------------------------------------------------- validation and submit

-- Everything that stops the claim being submitted now, as a list: one object
-- per problem {rule, message, line_id, service_id, question_id, evidence_id}.
create function private.claim_problems(p_claim public.claims)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  today date := (now() at time zone 'Europe/London')::date;
  problems jsonb := '[]'::jsonb;
  item record;
begin
  if not private.has_role(p_claim.provider_id, 'claim_submitter') then
    problems := problems || jsonb_build_object('rule', 'not_allowed',
      'message', format('Only Claim Submitters of %s can submit this claim.', private.organisation_label(p_claim.provider_id)));
  end if;
  if p_claim.status not in ('draft', 'declined') then
    problems := problems || jsonb_build_object('rule', 'not_editable',
      'message', format('Claim %s is already %s.', p_claim.claim_number, replace(p_claim.status::text, '_', ' ')));
    return problems;
  end if;
  if not exists (select 1 from public.claim_lines l where l.claim_id = p_claim.id) then
    problems := problems || jsonb_build_object('rule', 'no_lines',
      'message', 'The claim has nothing on it: add the components you are claiming for (Add All).');
  end if;

  for item in
    select cs.service_id, s.name, cs.period_label, w.opens_on, w.closes_on, cs.window_id, f.status as offer_status,
           (select c.claim_number from public.claim_services o join public.claims c on c.id = o.claim_id
            where o.offer_id = cs.offer_id and o.window_id = cs.window_id and c.id <> p_claim.id and c.status <> 'declined'
            order by c.created_at limit 1) as other_claim
    from public.claim_services cs
    join public.quality_services s on s.id = cs.service_id
    join public.service_offers f on f.id = cs.offer_id
    left join public.claim_windows w on w.id = cs.window_id
    where cs.claim_id = p_claim.id
    order by s.name
  loop
    if item.offer_status <> 'approved' then
      problems := problems || jsonb_build_object('rule', 'service_not_approved', 'service_id', item.service_id,
        'message', format('%s is no longer an approved service for your organisation (the offer is %s): remove it from the claim.', item.name, item.offer_status));
    elsif item.window_id is not null and today > item.closes_on then
      problems := problems || jsonb_build_object('rule', 'window_closed', 'service_id', item.service_id,
        'message', format('The claim window for %s (%s) closed on %s: contact your commissioner''s primary care team.', item.name, item.period_label, private.uk_date(item.closes_on)));
    elsif item.window_id is not null and today < item.opens_on then
      problems := problems || jsonb_build_object('rule', 'window_not_open', 'service_id', item.service_id,
        'message', format('The claim window for %s (%s) opens on %s.', item.name, item.period_label, private.uk_date(item.opens_on)));
    end if;
    if item.other_claim is not null then
      problems := problems || jsonb_build_object('rule', 'already_claimed', 'service_id', item.service_id,
        'message', format('%s (%s) is already claimed on claim %s.', item.name, item.period_label, item.other_claim));
    end if;
  end loop;

  for item in
    select l.id, l.service_id, l.kind, l.units, l.acknowledged_at, c.name, c.evidence_required,
           (select count(*) from public.claim_evidence e where e.line_id = l.id and e.scan_status <> 'quarantined') as files
    from public.claim_lines l join public.service_components c on c.id = l.component_id
    where l.claim_id = p_claim.id
    order by l.service_id, l.position
  loop
    if item.kind = 'unit' and item.units is null then
      problems := problems || jsonb_build_object('rule', 'units_missing', 'line_id', item.id, 'service_id', item.service_id,
        'message', format('Enter the units for %s (enter 0 if there were none).', item.name));
    end if;
    if item.kind = 'unit' and item.evidence_required and coalesce(item.units, 0) >= 1 and item.files = 0 then
      problems := problems || jsonb_build_object('rule', 'evidence_missing', 'line_id', item.id, 'service_id', item.service_id,
        'message', format('%s needs evidence for %s units: add an attachment (or enter 0 units).', item.name, item.units));
    end if;
    if item.kind = 'retainer' and item.acknowledged_at is null then
      problems := problems || jsonb_build_object('rule', 'retainer_not_acknowledged', 'line_id', item.id, 'service_id', item.service_id,
        'message', format('Read the information for %s and tick that you have read it.', item.name));
    end if;
  end loop;

  for item in
    select e.id, e.line_id, e.original_name, e.scan_reason, l.service_id
    from public.claim_evidence e join public.claim_lines l on l.id = e.line_id
    where e.claim_id = p_claim.id and e.scan_status = 'quarantined'
    order by e.uploaded_at
  loop
    problems := problems || jsonb_build_object('rule', 'evidence_quarantined', 'line_id', item.line_id, 'service_id', item.service_id,
      'evidence_id', item.id,
      'message', format('%s was refused by the system review (%s): delete it and attach a suitable file.', item.original_name, item.scan_reason));
  end loop;

  for item in
    select q.id, q.service_id, q.question, q.kind, q.required, a.answer_yes, a.answer_text
    from public.claim_answers a join public.service_questions q on q.id = a.question_id
    where a.claim_id = p_claim.id
    order by q.service_id, q.position
  loop
    if item.kind = 'yes_no_must_be_yes' and item.answer_yes is not true then
      problems := problems || jsonb_build_object('rule', 'question_not_yes', 'question_id', item.id, 'service_id', item.service_id,
        'message', format('Confirm "%s": switch the toggle to Yes.', item.question));
    elsif item.kind <> 'yes_no_must_be_yes' and item.required and item.answer_text is null then
      problems := problems || jsonb_build_object('rule', 'answer_required', 'question_id', item.id, 'service_id', item.service_id,
        'message', format('Answer "%s".', item.question));
    end if;
  end loop;

  if p_claim.status = 'declined' and p_claim.submitted_fingerprint = private.claim_fingerprint(p_claim.id) then
    problems := problems || jsonb_build_object('rule', 'unchanged_resubmission',
      'message', format('Claim %s is unchanged since it was declined: change what the reviewer asked for before resubmitting.', p_claim.claim_number));
  end if;
  return problems;
end;
$$;

-- What a submission consists of: lines, answers, files.
create function private.claim_fingerprint(p_claim_id uuid)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select md5(jsonb_build_array(
    (select coalesce(jsonb_agg(jsonb_build_array(l.component_id, l.units, l.acknowledged_at is not null) order by l.component_id), '[]')
     from public.claim_lines l where l.claim_id = p_claim_id),
    (select coalesce(jsonb_agg(jsonb_build_array(a.question_id, a.answer_yes, a.answer_text) order by a.question_id), '[]')
     from public.claim_answers a where a.claim_id = p_claim_id),
    (select coalesce(jsonb_agg(e.object_path order by e.object_path), '[]')
     from public.claim_evidence e where e.claim_id = p_claim_id))::text)
$$;

-- After submit (one-step) or provider approval: to the system review when a
-- file awaits it, else to Tier 1.
create function private.send_claim_on(p_claim public.claims)
returns public.claim_status
language plpgsql
security definer
set search_path = ''
as $$
declare
  person uuid;
  label text := private.claim_services_label(p_claim.id);
begin
  if exists (select 1 from public.claim_evidence e where e.claim_id = p_claim.id and e.scan_status = 'pending') then
    update public.claims c set status = 'pending_system_review' where c.id = p_claim.id;
    insert into private.evidence_scan_jobs (claim_id) values (p_claim.id)
    on conflict (claim_id) do update set queued_at = now(), attempts = 0, next_attempt_at = now(), last_error = null;
    return 'pending_system_review';
  end if;
  update public.claims c set status = 'pending_tier1_review' where c.id = p_claim.id;
  for person in select private.people_reaching(p_claim.provider_id, '{approver_tier_1}') loop
    perform private.queue_notification(person, 'claim_awaiting_review',
      format('Claim %s waits for Tier 1 review', p_claim.claim_number),
      format('%s submitted claim %s for %s, total £%s.', private.organisation_label(p_claim.provider_id), p_claim.claim_number, label,
        to_char(p_claim.total, 'FM999,999,999,990.00')),
      format('/claims/%s', p_claim.id));
  end loop;
  return 'pending_tier1_review';
end;
$$;

create function public.submit_claim(p_claim_id uuid, p_dry_run boolean default false)
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
  person uuid;
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
    for person in select p from private.people_with_role_at(claim.provider_id, '{provider_approver}') p where p <> me loop
      perform private.queue_notification(person, 'claim_awaiting_provider_approval',
        format('Claim %s waits for your approval', claim.claim_number),
        format('%s submitted claim %s for %s, total £%s. Approve it or return it with a reason.', private.person_label(me), claim.claim_number,
          private.claim_services_label(claim.id), to_char(claim.total, 'FM999,999,999,990.00')),
        format('/claims/%s', claim.id));
    end loop;
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
comment on function public.submit_claim(uuid, boolean) is
  'Submit (or resubmit a declined) claim. Every rule is checked; when any fails nothing changes and the answer lists all problems ({rule, message, line_id, service_id, question_id, evidence_id}). p_dry_run checks without submitting (validate-claim uses it).';

create function public.approve_claim_as_provider(p_claim_id uuid)
returns public.claims
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  claim public.claims := private.lock_claim(p_claim_id);
  before_row public.claims := claim;
begin
  if not private.has_role(claim.provider_id, 'provider_approver') then
    perform private.fail('42501', format('Only Provider Approvers of %s can approve its claims.', private.organisation_label(claim.provider_id)),
      'Ask your organisation''s administrator for the Provider Approver role.');
  end if;
  if claim.status <> 'pending_provider_approval' then
    perform private.fail('PT409', format('Claim %s is %s: only claims pending provider approval can be approved here.', claim.claim_number, replace(claim.status::text, '_', ' ')),
      'Reload the claim to see where it is.');
  end if;
  if claim.submitted_by = me then
    perform private.fail('42501', format('You submitted claim %s: another Provider Approver must approve it.', claim.claim_number),
      'Nobody approves a claim they submitted.');
  end if;
  perform private.begin_action('claim.provider_approve');
  update public.claims c set provider_approved_at = now(), provider_approved_by = me where c.id = claim.id returning * into claim;
  perform private.send_claim_on(claim);
  perform private.claim_audit('claim.provider_approve', before_row, claim.id, null);
  perform private.end_action();
  select * into claim from public.claims c where c.id = p_claim_id;
  return claim;
end;
$$;
comment on function public.approve_claim_as_provider(uuid) is
  'A two-step practice''s Provider Approver approves a claim someone else submitted: on to the system review (files) or Tier 1 review.';

create function public.return_claim(p_claim_id uuid, p_reason text)
returns public.claims
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  claim public.claims := private.lock_claim(p_claim_id);
  before_row public.claims := claim;
  reason text := private.clean_reason(p_reason, true, 'return a claim');
begin
  if not private.has_role(claim.provider_id, 'provider_approver') then
    perform private.fail('42501', format('Only Provider Approvers of %s can return its claims.', private.organisation_label(claim.provider_id)),
      'Ask your organisation''s administrator for the Provider Approver role.');
  end if;
  if claim.status <> 'pending_provider_approval' then
    perform private.fail('PT409', format('Claim %s is %s: only claims pending provider approval can be returned.', claim.claim_number, replace(claim.status::text, '_', ' ')),
      'Reload the claim to see where it is.');
  end if;
  perform private.begin_action('claim.return');
  update public.claims c set status = 'draft', returned_reason = reason, returned_at = now()
  where c.id = claim.id returning * into claim;
  if claim.submitted_by is not null and private.is_active_person(claim.submitted_by) then
    perform private.queue_notification(claim.submitted_by, 'claim_returned',
      format('Claim %s was returned to you', claim.claim_number),
      format('%s returned claim %s to draft. Reason: %s', private.person_label(me), claim.claim_number, reason),
      format('/claims/%s', claim.id));
  end if;
  perform private.claim_audit('claim.return', before_row, claim.id, reason);
  perform private.end_action();
  return claim;
end;
$$;
comment on function public.return_claim(uuid, text) is 'A two-step practice''s Provider Approver returns a claim to draft with a reason; the submitter is told.';

create function public.delete_claim(p_claim_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  claim public.claims := private.lock_claim(p_claim_id);
begin
  perform private.require_editable_claim(claim, 'delete');
  if claim.status <> 'draft' then
    perform private.fail('PT409', format('Claim %s is declined: edit and resubmit it; only draft claims can be deleted.', claim.claim_number),
      'A declined claim stays on record.');
  end if;
  perform private.begin_action('claim.delete');
  perform private.write_audit('claim.delete', 'claim', claim.id::text, claim.provider_id, null,
    to_jsonb(claim) || jsonb_build_object('services', private.claim_services_label(claim.id),
      'files', (select count(*) from public.claim_evidence e where e.claim_id = claim.id)), null, null);
  delete from public.claims c where c.id = claim.id;
  perform private.end_action();
end;
$$;
comment on function public.delete_claim(uuid) is
  'Delete a draft claim as if it had never been started: its rows and stored files go; the Claim ID is not reused; an audit entry stays.';

-- ---------------------------------------------------------------- system review (service role)

-- Claims whose files wait for the system review, with the files. A claim
-- handed out is leased for two minutes, so overlapping runs do not both scan it.
create function public.evidence_scan_due(p_limit integer default 5, p_claim_ids uuid[] default null)
returns table (claim_id uuid, claim_number bigint, provider_id uuid, files jsonb)
language plpgsql
security definer
set search_path = ''
as $$
begin
  return query
  with due as (
    select j.claim_id from private.evidence_scan_jobs j
    where j.next_attempt_at <= now()
      and (p_claim_ids is null or j.claim_id = any (p_claim_ids))
    order by j.next_attempt_at
    limit greatest(coalesce(p_limit, 5), 1)
    for update skip locked
  ), leased as (
    update private.evidence_scan_jobs j set attempts = j.attempts + 1, next_attempt_at = now() + interval '2 minutes'
    from due where j.claim_id = due.claim_id
    returning j.claim_id
  )
  select c.id, c.claim_number, c.provider_id,
         coalesce((select jsonb_agg(jsonb_build_object('evidence_id', e.id, 'object_path', e.object_path, 'original_name', e.original_name,
                                                       'declared_type', e.declared_type, 'size_bytes', e.size_bytes) order by e.uploaded_at)
                   from public.claim_evidence e where e.claim_id = c.id and e.scan_status = 'pending'), '[]'::jsonb)
  from leased join public.claims c on c.id = leased.claim_id;
end;
$$;
comment on function public.evidence_scan_due(integer, uuid[]) is 'Service role: claims waiting for the system review (all, or only p_claim_ids) and their unreviewed files (each leased for two minutes).';

-- The system review's verdicts for a claim's files:
-- p_verdicts = [{evidence_id, status: clean|quarantined, reason, sniffed_type, sha256}].
create function public.record_evidence_scan(p_claim_id uuid, p_verdicts jsonb)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  claim public.claims;
  before_row public.claims;
  verdict jsonb;
  evidence public.claim_evidence;
  refused text;
  person uuid;
begin
  select * into claim from public.claims c where c.id = p_claim_id for update;
  if not found then
    -- Deleted meanwhile (only drafts can be): nothing to do.
    delete from private.evidence_scan_jobs j where j.claim_id = p_claim_id;
    return jsonb_build_object('claim_id', p_claim_id, 'status', null);
  end if;
  before_row := claim;
  if claim.status <> 'pending_system_review' then
    delete from private.evidence_scan_jobs j where j.claim_id = claim.id;
    return jsonb_build_object('claim_id', claim.id, 'claim_number', claim.claim_number, 'status', claim.status);
  end if;
  if jsonb_typeof(p_verdicts) is distinct from 'array' then
    perform private.fail('22023', 'Verdicts must be a JSON array.', '[{evidence_id, status, reason, sniffed_type, sha256}]');
  end if;

  perform private.begin_action('claim.system_review');
  for verdict in select * from jsonb_array_elements(p_verdicts) loop
    if coalesce(verdict ->> 'status', '') not in ('clean', 'quarantined')
       or (verdict ->> 'status' = 'quarantined' and nullif(btrim(verdict ->> 'reason'), '') is null) then
      perform private.fail('22023', 'Each verdict is clean, or quarantined with a reason.', format('Got %s.', verdict));
    end if;
    update public.claim_evidence e
    set scan_status = (verdict ->> 'status')::public.evidence_scan_status,
        scan_reason = case when verdict ->> 'status' = 'quarantined' then left(btrim(verdict ->> 'reason'), 500) end,
        sniffed_type = left(verdict ->> 'sniffed_type', 200),
        sha256 = case when (verdict ->> 'sha256') ~ '^[0-9a-f]{64}$' then verdict ->> 'sha256' end,
        scanned_at = now()
    where e.id = (verdict ->> 'evidence_id')::uuid and e.claim_id = claim.id;
  end loop;
  if exists (select 1 from public.claim_evidence e where e.claim_id = claim.id and e.scan_status = 'pending') then
    perform private.fail('22023', format('Claim %s still has files without a verdict.', claim.claim_number), 'Send a verdict for every file evidence_scan_due listed.');
  end if;

  select string_agg(format('%s: %s', e.original_name, e.scan_reason), '; ' order by e.uploaded_at) into refused
  from public.claim_evidence e where e.claim_id = claim.id and e.scan_status = 'quarantined';
  delete from private.evidence_scan_jobs j where j.claim_id = claim.id;

  if refused is not null then
    update public.claims c set status = 'draft', returned_reason = left('The system review refused ' || refused, 1000), returned_at = now()
    where c.id = claim.id returning * into claim;
    if claim.submitted_by is not null and private.is_active_person(claim.submitted_by) then
      perform private.queue_notification(claim.submitted_by, 'claim_quarantined',
        format('Claim %s: a file was refused', claim.claim_number),
        format('The system review refused a file on claim %s, so the claim is back in draft. %s. Delete the file, attach a suitable one and submit again.',
          claim.claim_number, refused),
        format('/claims/%s', claim.id));
    end if;
    perform private.claim_audit('claim.system_review', before_row, claim.id, left('Quarantined: ' || refused, 500));
  else
    perform private.send_claim_on(claim);
    if claim.submitted_by is not null and private.is_active_person(claim.submitted_by) then
      perform private.queue_notification(claim.submitted_by, 'claim_system_reviewed',
        format('Claim %s passed the system review', claim.claim_number),
        format('The files on claim %s passed the system review; the claim now waits for Tier 1 review.', claim.claim_number),
        format('/claims/%s', claim.id));
    end if;
    perform private.claim_audit('claim.system_review', before_row, claim.id, null);
  end if;
  perform private.end_action();
  select * into claim from public.claims c where c.id = p_claim_id;
  return jsonb_build_object('claim_id', claim.id, 'claim_number', claim.claim_number, 'status', claim.status);
end;
$$;
comment on function public.record_evidence_scan(uuid, jsonb) is
  'Service role: record the system review''s verdicts; all clean → pending_tier1_review, any quarantined → draft with the reason (submitter told).';

-- A scan run that failed for a claim: retried later (backoff up to an hour); the claim and files are untouched.
create function public.evidence_scan_failed(p_claim_id uuid, p_error text)
returns void
language sql
security definer
set search_path = ''
as $$
  update private.evidence_scan_jobs j
  set last_error = left(p_error, 1000),
      next_attempt_at = now() + least(interval '1 hour', interval '10 seconds' * power(2, least(j.attempts, 12)))
  where j.claim_id = p_claim_id
$$;
comment on function public.evidence_scan_failed(uuid, text) is 'Service role: a scan of the claim failed; it is retried later.';

create function public.evidence_purge_due(p_limit integer default 50)
returns setof text
language sql
security definer
set search_path = ''
as $$
  with due as (
    select q.object_path from private.evidence_purge_queue q where q.next_attempt_at <= now()
    order by q.queued_at limit greatest(coalesce(p_limit, 50), 1) for update skip locked
  )
  update private.evidence_purge_queue q
  set attempts = q.attempts + 1,
      next_attempt_at = now() + least(interval '1 hour', interval '10 seconds' * power(2, least(q.attempts, 12)))
  from due where q.object_path = due.object_path
  returning q.object_path
$$;
comment on function public.evidence_purge_due(integer) is 'Service role: stored evidence files whose rows were deleted, to remove from the bucket (leased; retried with backoff).';

create function public.evidence_purge_done(p_object_paths text[])
returns integer
language sql
security definer
set search_path = ''
as $$
  with gone as (
    delete from private.evidence_purge_queue q
    where q.object_path = any (p_object_paths)
      -- A path recorded again meanwhile (same name re-uploaded) stays.
      and not exists (select 1 from public.claim_evidence e where e.object_path = q.object_path)
    returning 1)
  select count(*)::integer from gone
$$;
comment on function public.evidence_purge_done(text[]) is 'Service role: these files were removed from the bucket.';

-- ---------------------------------------------------------------- read-only overview for lists

create view public.claim_overview with (security_invoker = true) as
select c.id, c.claim_number, c.provider_id, p.ods_code as provider_ods_code, p.name as provider_name,
       c.commissioner_id, c.submission_mode, c.status, c.total, c.created_at, c.submitted_at, c.updated_at,
       c.returned_reason, c.decline_reason,
       (select min(s.financial_year) from public.claim_services cs join public.quality_services s on s.id = cs.service_id where cs.claim_id = c.id)
         as financial_year,
       (select coalesce(string_agg(s.name, ', ' order by s.name), '') from public.claim_services cs join public.quality_services s on s.id = cs.service_id
        where cs.claim_id = c.id) as services,
       (select coalesce(string_agg(distinct cs.period_label, ', '), '') from public.claim_services cs where cs.claim_id = c.id) as periods
from public.claims c
join public.organisations p on p.id = c.provider_id;
comment on view public.claim_overview is 'Claims the caller can read with provider, financial year, services and periods, for lists.';
select private.make_view_read_only('public.claim_overview');

create view public.claim_service_totals with (security_invoker = true) as
select l.claim_id, l.service_id, sum(l.amount)::numeric(12, 2) as total, count(*)::integer as line_count
from public.claim_lines l
group by l.claim_id, l.service_id;
comment on view public.claim_service_totals is 'Total (£) per service on each claim the caller can read, computed by the database.';
select private.make_view_read_only('public.claim_service_totals');

-- ---------------------------------------------------------------- RLS and privileges

alter table public.claims enable row level security;
alter table public.claim_services enable row level security;
alter table public.claim_lines enable row level security;
alter table public.claim_answers enable row level security;
alter table public.claim_evidence enable row level security;

-- The practice's own people read all its claims; the commissioner's reviewers
-- reaching the practice read them once they left the practice (not drafts,
-- not those awaiting the practice's own approver).
create policy "Claims are read by the practice and, once submitted, by the reviewers reaching it"
  on public.claims for select to authenticated
  using (
    provider_id = any (array(select private.claim_provider_organisations()))
    or (status not in ('draft', 'pending_provider_approval')
        and provider_id = any (array(select private.claim_reviewer_organisations()))));

create policy "Claim services are read with their claim" on public.claim_services for select to authenticated
  using (exists (select 1 from public.claims c where c.id = claim_id));
create policy "Claim lines are read with their claim" on public.claim_lines for select to authenticated
  using (exists (select 1 from public.claims c where c.id = claim_id));
create policy "Claim answers are read with their claim" on public.claim_answers for select to authenticated
  using (exists (select 1 from public.claims c where c.id = claim_id));
create policy "Claim evidence is read with its claim" on public.claim_evidence for select to authenticated
  using (exists (select 1 from public.claims c where c.id = claim_id));

revoke all on public.claims, public.claim_services, public.claim_lines, public.claim_answers, public.claim_evidence,
  public.claim_overview, public.claim_service_totals
  from anon, authenticated;
grant select on public.claims, public.claim_services, public.claim_lines, public.claim_answers, public.claim_evidence,
  public.claim_overview, public.claim_service_totals
  to authenticated;
revoke all on sequence public.claims_claim_number_seq from anon, authenticated;

revoke all on function private.claims_write_guard(), private.claim_evidence_queue_purge(), private.claims_finish_tasks(),
  private.claim_provider_organisations(), private.claim_reviewer_organisations(), private.claim_status_history(uuid),
  private.claim_periods(uuid, date), private.lock_claim(uuid), private.require_editable_claim(public.claims, text),
  private.refresh_claim_total(uuid), private.claim_audit(text, public.claims, uuid, text, jsonb),
  private.people_reaching(uuid, public.app_role[]), private.claim_services_label(uuid), private.lock_claim_line(uuid),
  private.claim_problems(public.claims), private.claim_fingerprint(uuid), private.send_claim_on(public.claims)
  from public;
-- Helpers the policies and the caller-run functions call.
grant execute on function private.claim_provider_organisations(), private.claim_reviewer_organisations(),
  private.claim_status_history(uuid), private.claim_periods(uuid, date)
  to authenticated;

revoke all on function public.new_claim_availability(uuid), public.claim_available_services(uuid), public.claim_timeline(uuid),
  public.start_claim(uuid), public.add_claim_lines(uuid, uuid[]), public.remove_claim_lines(uuid, uuid[]),
  public.set_claim_line_units(uuid, integer), public.acknowledge_claim_retainer(uuid, boolean),
  public.set_claim_answer(uuid, uuid, boolean, text), public.record_claim_evidence(uuid, text, text),
  public.delete_claim_evidence(uuid), public.submit_claim(uuid, boolean), public.approve_claim_as_provider(uuid),
  public.return_claim(uuid, text), public.delete_claim(uuid),
  public.evidence_scan_due(integer, uuid[]), public.record_evidence_scan(uuid, jsonb), public.evidence_scan_failed(uuid, text),
  public.evidence_purge_due(integer), public.evidence_purge_done(text[])
  from public, anon;
grant execute on function public.new_claim_availability(uuid), public.claim_available_services(uuid), public.claim_timeline(uuid),
  public.start_claim(uuid), public.add_claim_lines(uuid, uuid[]), public.remove_claim_lines(uuid, uuid[]),
  public.set_claim_line_units(uuid, integer), public.acknowledge_claim_retainer(uuid, boolean),
  public.set_claim_answer(uuid, uuid, boolean, text), public.record_claim_evidence(uuid, text, text),
  public.delete_claim_evidence(uuid), public.submit_claim(uuid, boolean), public.approve_claim_as_provider(uuid),
  public.return_claim(uuid, text), public.delete_claim(uuid)
  to authenticated;
revoke all on function public.evidence_scan_due(integer, uuid[]), public.record_evidence_scan(uuid, jsonb), public.evidence_scan_failed(uuid, text),
  public.evidence_purge_due(integer), public.evidence_purge_done(text[])
  from authenticated;
grant execute on function public.evidence_scan_due(integer, uuid[]), public.record_evidence_scan(uuid, jsonb), public.evidence_scan_failed(uuid, text),
  public.evidence_purge_due(integer), public.evidence_purge_done(text[])
  to service_role;
