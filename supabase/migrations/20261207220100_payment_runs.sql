-- Issue 13 (local claims, part 2): payment runs.
--
--   approved_for_payment ──create_payment_run (Finance)──▶ (reserved by a draft run)
--   draft run  ──send_payment_run──▶ sent (its claims: sent)
--              ──cancel_payment_run (reason)──▶ cancelled (its claims free again)
--   sent run   ──payment system acknowledges──▶ acknowledged (its claims: paid)
--              ──payment system rejects (reason)──▶ rejected (its claims: approved_for_payment)
--              ──no answer 18 h after a try──▶ another try (at most 3), then flagged
--   flagged    ──resend_payment_run (a person)──▶ sent, one more try
--                 (an acknowledgement or rejection arriving late still counts)
--
-- * Finance or Finance Management of the commissioner (an ICB) preview the
--   claims approved for payment (count, total, per provider), then create a
--   draft run from exactly what they previewed: if the claims changed
--   meanwhile the run is refused and they preview again.
-- * A run's total and claim count are the sum and count of its claims; a
--   deferred constraint trigger re-checks it at every commit.
-- * Delivery to the payment system is a scheduled job (deliver-payment-runs:
--   the stack's timer locally, Supabase Cron on hosted) working through
--   public.payment_deliveries_due / payment_delivery_recorded; the payment
--   system answers through public.record_payment_answer. These three are the
--   service role's and take the time as p_now, so tests move the clock.
-- * The payment file (CSV and XLSX, docs/payment-file.md) is rendered from
--   public.payment_run_file_rows, one row per claim line.

create type public.payment_run_status as enum ('draft', 'sent', 'acknowledged', 'rejected', 'flagged', 'cancelled');
comment on type public.payment_run_status is
  'draft (claims reserved), sent (waiting for the payment system), acknowledged (claims paid), rejected (claims back to approved_for_payment), flagged (no answer after 3 tries: a person looks), cancelled (draft abandoned).';

create table public.payment_runs (
  id uuid primary key default gen_random_uuid(),
  -- "Run 9001": what Finance and the payment system call it.
  run_number bigint generated always as identity (start with 9001) unique,
  commissioner_id uuid not null references public.organisations (id),
  payment_date date not null,
  status public.payment_run_status not null default 'draft',
  claim_count integer not null,
  total numeric(12, 2) not null,
  created_at timestamptz not null default now(),
  created_by uuid references public.profiles (id) on delete set null,
  sent_at timestamptz,
  sent_by uuid references public.profiles (id) on delete set null,
  -- Deliveries made or queued; a try with no answer 18 h after delivery is followed by another, up to 3.
  tries integer not null default 0,
  answer_due_at timestamptz,
  acknowledged_at timestamptz,
  payment_reference text,
  rejected_at timestamptz,
  rejection_reason text,
  flagged_at timestamptz,
  cancelled_at timestamptz,
  cancelled_by uuid references public.profiles (id) on delete set null,
  cancel_reason text,
  updated_at timestamptz not null default now(),
  constraint payment_runs_counts check (claim_count > 0 and total >= 0 and tries >= 0),
  constraint payment_runs_texts check (char_length(payment_reference) <= 100 and char_length(rejection_reason) <= 500
                                       and char_length(cancel_reason) <= 500)
);
comment on table public.payment_runs is
  'Payment runs: claims approved for payment of one commissioner, sent to the payment system together for a payment date. Changes only through the payment run functions.';
comment on column public.payment_runs.total is 'Sum of the run''s claims (£), computed by the database and re-checked at every commit.';
comment on column public.payment_runs.answer_due_at is 'When the current try counts as unanswered (18 h after it was queued, then after it was delivered).';
create index payment_runs_commissioner_idx on public.payment_runs (commissioner_id, created_at desc);
create index payment_runs_waiting_idx on public.payment_runs (answer_due_at) where status = 'sent';

create table public.payment_run_claims (
  run_id uuid not null references public.payment_runs (id) on delete cascade,
  claim_id uuid not null references public.claims (id),
  provider_id uuid not null references public.organisations (id),
  claim_number bigint not null,
  amount numeric(12, 2) not null,
  primary key (run_id, claim_id)
);
comment on table public.payment_run_claims is 'The claims in a payment run, with the amount each was sent for.';
create index payment_run_claims_claim_idx on public.payment_run_claims (claim_id);

create table public.payment_run_tries (
  run_id uuid not null references public.payment_runs (id) on delete cascade,
  try_number integer not null,
  queued_at timestamptz not null,
  -- A try handed to the delivery job is leased, so overlapping runs of the job do not both send it.
  leased_until timestamptz,
  delivered_at timestamptz,
  delivery_error text,
  answer_due_at timestamptz,
  primary key (run_id, try_number),
  constraint payment_run_tries_number check (try_number >= 1),
  constraint payment_run_tries_error check (char_length(delivery_error) <= 1000)
);
comment on table public.payment_run_tries is 'Each delivery of a run to the payment system: queued, delivered (or the last delivery error), answer due.';
create index payment_run_tries_undelivered_idx on public.payment_run_tries (queued_at) where delivered_at is null;

alter table public.claims
  add column payment_run_id uuid references public.payment_runs (id),
  add column payment_date date,
  add column sent_at timestamptz,
  add column paid_at timestamptz,
  add column payment_reference text;
comment on column public.claims.payment_run_id is 'The payment run the claim is in (draft, sent, acknowledged or flagged); cleared when a run is cancelled or rejected.';
comment on column public.claims.payment_date is 'The payment date of the claim''s payment run.';
create index claims_payment_run_idx on public.claims (payment_run_id);
create index claims_ready_for_payment_idx on public.claims (commissioner_id) where status = 'approved_for_payment' and payment_run_id is null;

-- ---------------------------------------------------------------- guards

-- Like the claims: written only by the functions below (app.action set),
-- except that deleting an account clears the people columns.
create function private.payment_runs_write_guard()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if coalesce(current_setting('app.action', true), '') = '' then
    if tg_op = 'UPDATE' and not exists (
      select 1 from jsonb_each(to_jsonb(new)) n join jsonb_each(to_jsonb(old)) o using (key)
      where n.value is distinct from o.value and not (n.key like '%\_by' and n.value = 'null'::jsonb)) then
      return new;
    end if;
    perform private.fail('42501', format('%s change only through the payment run functions.', initcap(replace(tg_table_name, '_', ' '))),
      'Use public.create_payment_run, send_payment_run, cancel_payment_run or resend_payment_run.');
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;
  if tg_table_name = 'payment_runs' and tg_op = 'UPDATE' then
    new.updated_at := now();
  end if;
  return new;
end;
$$;
create trigger payment_runs_write_guard before insert or update or delete on public.payment_runs
  for each row execute function private.payment_runs_write_guard();
create trigger payment_run_claims_write_guard before insert or update or delete on public.payment_run_claims
  for each row execute function private.payment_runs_write_guard();
create trigger payment_run_tries_write_guard before insert or update or delete on public.payment_run_tries
  for each row execute function private.payment_runs_write_guard();

-- A run's total and count are its claims' sum and count (checked at commit,
-- after the run and its claims were both written).
create function private.payment_run_total_matches()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  run public.payment_runs;
  claims_total numeric;
  claims_count integer;
begin
  select * into run from public.payment_runs r where r.id = coalesce(new.id, old.id);
  if not found then
    return null;
  end if;
  select coalesce(sum(x.amount), 0), count(*) into claims_total, claims_count from public.payment_run_claims x where x.run_id = run.id;
  if claims_total <> run.total or claims_count <> run.claim_count then
    perform private.fail('23514', format('Run %s says %s claims, £%s; its claims are %s, £%s.', run.run_number, run.claim_count,
        to_char(run.total, 'FM999,999,999,990.00'), claims_count, to_char(claims_total, 'FM999,999,999,990.00')),
      'A run''s total is always the sum of its claims.');
  end if;
  return null;
end;
$$;
create constraint trigger payment_run_total_matches after insert or update of total, claim_count on public.payment_runs
  deferrable initially deferred
  for each row execute function private.payment_run_total_matches();

-- Tasks about a run are done once its status changes.
create function private.payment_runs_finish_tasks()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.status is distinct from old.status then
    perform private.finish_tasks('payment_run', new.id);
  end if;
  return new;
end;
$$;
create trigger payment_runs_finish_tasks after update of status on public.payment_runs
  for each row execute function private.payment_runs_finish_tasks();

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
    ('claim_declined'::public.notification_kind, 'claim', '^/claims/'),
    ('payment_run_flagged'::public.notification_kind, 'payment_run', '^/payment-runs/')
  ) as t (kind, subject_type, prefix)
  where t.kind = p_kind and p_link ~ (t.prefix || '[0-9a-fA-F-]{36}$')
$$;

alter table public.notifications drop constraint notifications_subject;
alter table public.notifications add constraint notifications_subject check (
  (subject_type is null) = (subject_id is null)
  and (subject_type is null or subject_type in ('profile', 'membership', 'service_offer', 'claim', 'payment_run')));
comment on column public.notifications.subject_type is
  'What a task is about: profile (registration_waiting), membership (access_request_waiting), service_offer (service_offered), claim (claim tasks), payment_run (payment_run_flagged).';

-- ---------------------------------------------------------------- helpers

-- Commissioners whose payment runs the caller reads: Finance and Finance
-- Management (PL/pgSQL for the planner, as the claims' helpers). Finance View
-- is a practice's role: the practice reads its payments on its claims.
create function private.payment_run_commissioners()
returns setof uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return query select private.organisations_with_role('{finance,finance_management}');
end;
$$;

create function private.require_payment_finance(p_commissioner_id uuid, p_verb text)
returns uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
begin
  if not exists (select 1 from public.organisations o where o.id = p_commissioner_id and private.is_commissioner_type(o.type)) then
    perform private.fail('PT404', 'The commissioner does not exist.', 'Payment runs belong to a commissioner (an ICB).');
  end if;
  if not private.has_role_over(p_commissioner_id, '{finance,finance_management}') then
    perform private.fail('42501', format('Only Finance or Finance Management of %s can %s.', private.organisation_label(p_commissioner_id), p_verb),
      'Ask your administrator for the Finance role.');
  end if;
  return me;
end;
$$;

-- The run, locked; PT404 when it does not exist or the caller cannot read it.
create function private.lock_payment_run(p_run_id uuid)
returns public.payment_runs
language plpgsql
security definer
set search_path = ''
as $$
declare
  run public.payment_runs;
begin
  select * into run from public.payment_runs r where r.id = p_run_id for update;
  if not found or not (run.commissioner_id = any (array(select private.payment_run_commissioners()))) then
    perform private.fail('PT404', 'The payment run does not exist, or you cannot see it.', 'Reload the list of payment runs.');
  end if;
  return run;
end;
$$;

create function private.payment_date_problem(p_payment_date date)
returns text
language sql
stable
set search_path = ''
as $$
  select case
    when p_payment_date is null then 'Choose a payment date.'
    when p_payment_date < (now() at time zone 'Europe/London')::date
      then format('The payment date %s has passed: choose today or a later day.', to_char(p_payment_date, 'DD/MM/YYYY'))
    when p_payment_date > (now() at time zone 'Europe/London')::date + 366
      then format('The payment date %s is more than a year away.', to_char(p_payment_date, 'DD/MM/YYYY'))
  end
$$;

create function private.payment_run_audit(p_action text, p_before public.payment_runs, p_run_id uuid, p_reason text)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  after_row public.payment_runs;
begin
  select * into after_row from public.payment_runs r where r.id = p_run_id;
  perform private.write_audit(p_action, 'payment_run', p_run_id::text, coalesce(after_row.commissioner_id, p_before.commissioner_id), null,
    case when p_before.id is null then null else to_jsonb(p_before) end,
    case when after_row.id is null then null else to_jsonb(after_row) end,
    p_reason);
end;
$$;

-- The status change of every claim of a run, in the claims' audit trail (so
-- each claim's timeline shows it), in one statement.
create function private.audit_run_claims(p_action text, p_run public.payment_runs, p_from public.claim_status, p_reason text)
returns void
language sql
security definer
set search_path = ''
as $$
  select private.write_audit(p_action, 'claim', c.id::text, c.provider_id, null,
    jsonb_build_object('status', p_from, 'claim_number', c.claim_number),
    jsonb_build_object('status', c.status, 'claim_number', c.claim_number, 'total', c.total,
                       'payment_run_id', p_run.id, 'run_number', p_run.run_number, 'payment_date', p_run.payment_date),
    p_reason)
  from public.payment_run_claims x join public.claims c on c.id = x.claim_id
  where x.run_id = p_run.id
$$;

-- Claims of the commissioner approved for payment and in no run.
create function private.claims_ready_for_payment(p_commissioner_id uuid)
returns setof public.claims
language sql
stable
security definer
set search_path = ''
as $$
  select * from public.claims c
  where c.commissioner_id = p_commissioner_id and c.status = 'approved_for_payment' and c.payment_run_id is null
$$;

-- Tasks for the commissioner's Finance and Finance Management about a run.
create function private.queue_payment_run_tasks(p_run public.payment_runs, p_kind public.notification_kind, p_subject text, p_body text)
returns void
language sql
security definer
set search_path = ''
as $$
  select private.queue_notification(person, p_kind, p_subject, p_body, format('/payment-runs/%s', p_run.id))
  from private.people_reaching(p_run.commissioner_id, '{finance,finance_management}') person
$$;

-- "Already …": what happened to a run last, for a caller acting on an old view of it.
create function private.payment_run_last_step(p_run public.payment_runs)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(
    (select format('Run %s is %s (last change by %s at %s).', p_run.run_number, p_run.status,
              coalesce(private.person_label(a.actor_id), 'the payment system'),
              to_char(a.occurred_at at time zone 'Europe/London', 'DD/MM/YYYY HH24:MI'))
     from public.audit_log a
     where a.entity_type = 'payment_run' and a.entity_id = p_run.id::text
     order by a.occurred_at desc, a.id desc
     limit 1),
    format('Run %s is %s.', p_run.run_number, p_run.status))
$$;

create function private.money(p_amount numeric)
returns text
language sql
immutable
set search_path = ''
as $$
  select '£' || to_char(p_amount, 'FM999,999,999,990.00')
$$;

-- ---------------------------------------------------------------- Finance's actions

create function public.preview_payment_run(p_commissioner_id uuid, p_payment_date date)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  problem text := private.payment_date_problem(p_payment_date);
  answer jsonb;
begin
  perform private.require_payment_finance(p_commissioner_id, 'preview a payment run');
  if problem is not null then
    perform private.fail('22023', problem, 'Payment dates are UK dates, today or later.');
  end if;
  select jsonb_build_object(
           'commissioner_id', p_commissioner_id,
           'commissioner', private.organisation_label(p_commissioner_id),
           'payment_date', p_payment_date,
           'claim_count', coalesce(sum(p.claim_count), 0),
           'total', coalesce(sum(p.total), 0),
           'providers', coalesce(jsonb_agg(jsonb_build_object('provider_id', p.provider_id, 'ods_code', p.ods_code, 'name', p.name,
                                                              'claim_count', p.claim_count, 'total', p.total) order by p.ods_code), '[]'::jsonb))
  into answer
  from (
    select c.provider_id, o.ods_code, o.name, count(*)::integer as claim_count, sum(c.total)::numeric(12, 2) as total
    from private.claims_ready_for_payment(p_commissioner_id) c
    join public.organisations o on o.id = c.provider_id
    group by c.provider_id, o.ods_code, o.name
  ) p;
  return answer;
end;
$$;
comment on function public.preview_payment_run(uuid, date) is
  'Finance: what a payment run for the commissioner would hold now — {commissioner_id, commissioner, payment_date, claim_count, total, providers:[{provider_id, ods_code, name, claim_count, total}]}.';

create function public.create_payment_run(p_commissioner_id uuid, p_payment_date date, p_expected_claim_count integer, p_expected_total numeric)
returns public.payment_runs
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_payment_finance(p_commissioner_id, 'create a payment run');
  problem text := private.payment_date_problem(p_payment_date);
  ready_ids uuid[];
  ready_count integer;
  ready_total numeric(12, 2);
  run public.payment_runs;
begin
  if problem is not null then
    perform private.fail('22023', problem, 'Payment dates are UK dates, today or later.');
  end if;
  if p_expected_claim_count is null or p_expected_total is null then
    perform private.fail('22023', 'Preview the payment run first: its claim count and total are needed to create it.',
      'Pass the claim_count and total public.preview_payment_run answered.');
  end if;
  -- Locked in id order, so two Finance users creating at once queue up rather than deadlock.
  select array_agg(c.id order by c.id) into ready_ids
  from (select c.id from public.claims c
        where c.commissioner_id = p_commissioner_id and c.status = 'approved_for_payment' and c.payment_run_id is null
        order by c.id for update) c;
  select count(*)::integer, coalesce(sum(c.total), 0) into ready_count, ready_total
  from public.claims c where c.id = any (coalesce(ready_ids, '{}'));
  if ready_count = 0 then
    perform private.fail('PT409', format('No claims of %s are approved for payment and outside a run.', private.organisation_label(p_commissioner_id)),
      'Claims join a run once Tier 2 (or Finance, for the high band) approved them.');
  end if;
  if ready_count <> p_expected_claim_count or ready_total <> p_expected_total then
    perform private.fail('PT409', format('The claims approved for payment changed since your preview: now %s claims, %s; you previewed %s claims, %s.',
        ready_count, private.money(ready_total), p_expected_claim_count, private.money(p_expected_total)),
      'Preview again, check it, then create the run.');
  end if;

  perform private.begin_action('payment_run.create');
  insert into public.payment_runs (commissioner_id, payment_date, claim_count, total, created_by)
  values (p_commissioner_id, p_payment_date, ready_count, ready_total, me)
  returning * into run;
  insert into public.payment_run_claims (run_id, claim_id, provider_id, claim_number, amount)
  select run.id, c.id, c.provider_id, c.claim_number, c.total from public.claims c where c.id = any (ready_ids);
  update public.claims c set payment_run_id = run.id, payment_date = p_payment_date where c.id = any (ready_ids);
  perform private.payment_run_audit('payment_run.create', null, run.id, null);
  perform private.end_action();
  return run;
end;
$$;
comment on function public.create_payment_run(uuid, date, integer, numeric) is
  'Finance: a draft payment run of every claim of the commissioner approved for payment, exactly as previewed (count and total), for a payment date.';

create function public.send_payment_run(p_run_id uuid)
returns public.payment_runs
language plpgsql
security definer
set search_path = ''
as $$
declare
  run public.payment_runs := private.lock_payment_run(p_run_id);
  before_row public.payment_runs := run;
  me uuid := private.require_payment_finance(run.commissioner_id, 'send a payment run');
  problem text := private.payment_date_problem(run.payment_date);
  moved integer;
begin
  if run.status <> 'draft' then
    perform private.fail('PT409', private.payment_run_last_step(run),
      'Only a draft run is sent.');
  end if;
  if problem is not null then
    perform private.fail('22023', problem, 'Cancel this run and create one with a new payment date.');
  end if;
  perform private.begin_action('payment_run.send');
  update public.claims c set status = 'sent', sent_at = now()
  where c.payment_run_id = run.id and c.status = 'approved_for_payment';
  get diagnostics moved = row_count;
  if moved <> run.claim_count then
    perform private.fail('PT409', format('Run %s holds %s claims but %s are still approved for payment.', run.run_number, run.claim_count, moved),
      'Cancel the run and create it again.');
  end if;
  update public.payment_runs r
  set status = 'sent', sent_at = now(), sent_by = me, tries = 1, answer_due_at = now() + interval '18 hours'
  where r.id = run.id returning * into run;
  insert into public.payment_run_tries (run_id, try_number, queued_at, answer_due_at) values (run.id, 1, now(), run.answer_due_at);
  perform private.audit_run_claims('claim.send', run, 'approved_for_payment', null);
  perform private.payment_run_audit('payment_run.send', before_row, run.id, null);
  perform private.end_action();
  return run;
end;
$$;
comment on function public.send_payment_run(uuid) is
  'Finance: send a draft run — its claims become sent and the run is queued for delivery to the payment system.';

create function public.cancel_payment_run(p_run_id uuid, p_reason text)
returns public.payment_runs
language plpgsql
security definer
set search_path = ''
as $$
declare
  run public.payment_runs := private.lock_payment_run(p_run_id);
  before_row public.payment_runs := run;
  me uuid := private.require_payment_finance(run.commissioner_id, 'cancel a payment run');
  reason text := private.clean_reason(p_reason, true, 'cancel a payment run');
begin
  if run.status <> 'draft' then
    perform private.fail('PT409', private.payment_run_last_step(run),
      'Only a draft run is cancelled; a sent run waits for the payment system''s answer.');
  end if;
  perform private.begin_action('payment_run.cancel');
  update public.claims c set payment_run_id = null, payment_date = null where c.payment_run_id = run.id;
  update public.payment_runs r set status = 'cancelled', cancelled_at = now(), cancelled_by = me, cancel_reason = reason
  where r.id = run.id returning * into run;
  perform private.payment_run_audit('payment_run.cancel', before_row, run.id, reason);
  perform private.end_action();
  return run;
end;
$$;
comment on function public.cancel_payment_run(uuid, text) is 'Finance: cancel a draft run (reason required); its claims wait for the next run.';

create function public.resend_payment_run(p_run_id uuid)
returns public.payment_runs
language plpgsql
security definer
set search_path = ''
as $$
declare
  run public.payment_runs := private.lock_payment_run(p_run_id);
  before_row public.payment_runs := run;
  me uuid := private.require_payment_finance(run.commissioner_id, 'send a payment run again');
begin
  if run.status <> 'flagged' then
    perform private.fail('PT409', private.payment_run_last_step(run),
      'Only a run flagged after three unanswered tries is sent again by hand.');
  end if;
  perform private.begin_action('payment_run.resend');
  update public.payment_runs r set status = 'sent', tries = r.tries + 1, answer_due_at = now() + interval '18 hours'
  where r.id = run.id returning * into run;
  insert into public.payment_run_tries (run_id, try_number, queued_at, answer_due_at) values (run.id, run.tries, now(), run.answer_due_at);
  perform private.payment_run_audit('payment_run.resend', before_row, run.id, format('Sent again by %s.', private.person_label(me)));
  perform private.end_action();
  return run;
end;
$$;
comment on function public.resend_payment_run(uuid) is 'Finance: send a flagged run (three tries unanswered) once more.';

-- One row per claim line of the run, in file order. Finance and Finance
-- Management of the commissioner, or the service role (the delivery job).
create function public.payment_run_file_rows(p_run_id uuid)
returns table (line_number integer, provider_ods_code text, provider_name text, claim_number bigint, service text, component text,
               period text, units integer, unit_price numeric, amount numeric)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if (select auth.role()) is distinct from 'service_role'
     and not exists (select 1 from public.payment_runs r
                     where r.id = p_run_id and r.commissioner_id = any (array(select private.payment_run_commissioners()))) then
    perform private.fail('PT404', 'The payment run does not exist, or you cannot see it.', 'Reload the list of payment runs.');
  end if;
  return query
  select (row_number() over (order by o.ods_code, x.claim_number, s.name, l.position, k.name))::integer,
         o.ods_code, o.name, x.claim_number, s.name, k.name, cs.period_label,
         case when l.kind = 'unit' then l.units end,
         case when l.kind = 'unit' then l.unit_price else l.fixed_amount end,
         l.amount
  from public.payment_run_claims x
  join public.organisations o on o.id = x.provider_id
  join public.claim_lines l on l.claim_id = x.claim_id
  join public.claim_services cs on cs.claim_id = l.claim_id and cs.service_id = l.service_id
  join public.quality_services s on s.id = l.service_id
  join public.service_components k on k.id = l.component_id
  where x.run_id = p_run_id and l.kind <> 'participation'
  order by 1;
end;
$$;
comment on function public.payment_run_file_rows(uuid) is
  'The payment file''s rows (one per claim line; docs/payment-file.md): Finance and Finance Management of the commissioner, or the service role.';

-- ---------------------------------------------------------------- the delivery job and the payment system (service role)

-- First the 18-hour rule at p_now: a sent run whose current try is unanswered
-- (18 h after delivery, or after queueing if it never went out) gets another
-- try, at most 3 in all; after the third it is flagged for Finance. Then the
-- tries waiting for delivery are handed out, each leased for 2 minutes.
create function public.payment_deliveries_due(p_now timestamptz default now(), p_limit integer default 10)
returns table (run_id uuid, run_number bigint, try_number integer, commissioner_id uuid, commissioner_ods_code text,
               commissioner_name text, payment_date date, claim_count integer, total numeric)
language plpgsql
security definer
set search_path = ''
as $$
declare
  run public.payment_runs;
  before_row public.payment_runs;
  now_at timestamptz := coalesce(p_now, now());
begin
  perform private.begin_action('payment_run.deliver');
  for run in
    select * from public.payment_runs r where r.status = 'sent' and r.answer_due_at <= now_at
    order by r.answer_due_at for update skip locked
  loop
    before_row := run;
    if run.tries < 3 then
      -- The unanswered try is over: a late delivery of it must not restart the clock.
      update public.payment_run_tries t set leased_until = null,
        delivery_error = coalesce(t.delivery_error, case when t.delivered_at is null then 'Not delivered before the next try.' end)
      where t.run_id = run.id and t.try_number = run.tries;
      update public.payment_runs r set tries = r.tries + 1, answer_due_at = now_at + interval '18 hours'
      where r.id = run.id returning * into run;
      insert into public.payment_run_tries (run_id, try_number, queued_at, answer_due_at) values (run.id, run.tries, now_at, run.answer_due_at);
      perform private.payment_run_audit('payment_run.resend', before_row, run.id,
        format('No answer from the payment system 18 hours after try %s.', before_row.tries));
    else
      update public.payment_runs r set status = 'flagged', flagged_at = now_at, answer_due_at = null
      where r.id = run.id returning * into run;
      perform private.queue_payment_run_tasks(run, 'payment_run_flagged',
        format('Payment run %s has no answer after %s tries', run.run_number, run.tries),
        format('The payment system has not answered run %s (%s claims, %s, payment date %s) after %s tries, 18 hours apart. Check with the payment system, then send it again or wait for its answer.',
          run.run_number, run.claim_count, private.money(run.total), to_char(run.payment_date, 'DD/MM/YYYY'), run.tries));
      perform private.payment_run_audit('payment_run.flag', before_row, run.id,
        format('No answer from the payment system after %s tries.', run.tries));
    end if;
  end loop;

  return query
  with due as (
    select t.run_id, t.try_number from public.payment_run_tries t
    join public.payment_runs r on r.id = t.run_id
    where t.delivered_at is null and t.try_number = r.tries and r.status = 'sent'
      and (t.leased_until is null or t.leased_until <= now_at)
    order by t.queued_at
    limit greatest(coalesce(p_limit, 10), 1)
    for update of t skip locked
  ), leased as (
    update public.payment_run_tries t set leased_until = now_at + interval '2 minutes'
    from due where t.run_id = due.run_id and t.try_number = due.try_number
    returning t.run_id, t.try_number
  )
  select r.id, r.run_number, leased.try_number, r.commissioner_id, o.ods_code, o.name, r.payment_date, r.claim_count, r.total
  from leased join public.payment_runs r on r.id = leased.run_id join public.organisations o on o.id = r.commissioner_id
  order by r.run_number;
  perform private.end_action();
end;
$$;
comment on function public.payment_deliveries_due(timestamptz, integer) is
  'Service role (the delivery job): apply the 18-hour rule at p_now (another try, at most 3, then flagged), then lease the tries waiting for delivery.';

create function public.payment_delivery_recorded(p_run_id uuid, p_try_number integer, p_error text default null, p_now timestamptz default now())
returns public.payment_run_tries
language plpgsql
security definer
set search_path = ''
as $$
declare
  now_at timestamptz := coalesce(p_now, now());
  try_row public.payment_run_tries;
  run public.payment_runs;
  before_row public.payment_runs;
begin
  select * into run from public.payment_runs r where r.id = p_run_id for update;
  select * into try_row from public.payment_run_tries t where t.run_id = p_run_id and t.try_number = p_try_number for update;
  if run.id is null or try_row.run_id is null then
    perform private.fail('PT404', 'No such payment run try.', 'Pass a run id and try number payment_deliveries_due handed out.');
  end if;
  if try_row.delivered_at is not null then
    return try_row;
  end if;
  perform private.begin_action('payment_run.deliver');
  if p_error is not null then
    -- Not delivered: handed out again after a minute (the lease), until the next try replaces it.
    update public.payment_run_tries t set delivery_error = left(p_error, 1000), leased_until = now_at + interval '1 minute'
    where t.run_id = p_run_id and t.try_number = p_try_number returning * into try_row;
  else
    update public.payment_run_tries t set delivered_at = now_at, delivery_error = null, leased_until = null, answer_due_at = now_at + interval '18 hours'
    where t.run_id = p_run_id and t.try_number = p_try_number returning * into try_row;
    if run.status = 'sent' and run.tries = p_try_number then
      before_row := run;
      update public.payment_runs r set answer_due_at = try_row.answer_due_at where r.id = run.id;
      perform private.payment_run_audit('payment_run.deliver', before_row, run.id, format('Try %s delivered to the payment system.', p_try_number));
    end if;
  end if;
  perform private.end_action();
  return try_row;
end;
$$;
comment on function public.payment_delivery_recorded(uuid, integer, text, timestamptz) is
  'Service role (the delivery job): a try was delivered (p_error null; the answer is due 18 hours later) or failed with p_error (retried after a minute).';

create function public.record_payment_answer(p_run_id uuid, p_acknowledged boolean, p_reason text default null, p_reference text default null,
  p_now timestamptz default now())
returns public.payment_runs
language plpgsql
security definer
set search_path = ''
as $$
declare
  now_at timestamptz := coalesce(p_now, now());
  run public.payment_runs;
  before_row public.payment_runs;
  reason text;
  reference text := nullif(btrim(p_reference), '');
begin
  select * into run from public.payment_runs r where r.id = p_run_id for update;
  if not found then
    perform private.fail('PT404', 'No such payment run.', 'Answer with the run id the payment file named.');
  end if;
  if p_acknowledged is null then
    perform private.fail('22023', 'Say whether the run is acknowledged or rejected.', 'p_acknowledged: true or false.');
  end if;
  -- The same answer twice (a retried callback) changes nothing.
  if (run.status = 'acknowledged' and p_acknowledged) or (run.status = 'rejected' and not p_acknowledged) then
    return run;
  end if;
  if run.status not in ('sent', 'flagged') then
    perform private.fail('PT409', format('Run %s is %s: it cannot be %s now.', run.run_number, run.status,
        case when p_acknowledged then 'acknowledged' else 'rejected' end),
      'Only a sent (or flagged) run is answered.');
  end if;
  if char_length(reference) > 100 then
    perform private.fail('22023', 'The payment reference is too long (at most 100 characters).', 'Send the payment system''s own reference.');
  end if;
  before_row := run;
  perform private.begin_action('payment_run.answer');
  if p_acknowledged then
    update public.claims c set status = 'paid', paid_at = now_at, payment_reference = reference
    where c.payment_run_id = run.id and c.status = 'sent';
    update public.payment_runs r set status = 'acknowledged', acknowledged_at = now_at, payment_reference = reference, answer_due_at = null
    where r.id = run.id returning * into run;
    perform private.audit_run_claims('claim.mark_paid', run, 'sent', null);
    perform private.queue_notification(c.submitted_by, 'claim_paid',
        format('Claim %s paid', c.claim_number),
        format('Claim %s (%s) was paid in payment run %s, payment date %s%s.', c.claim_number, private.money(c.total), run.run_number,
          to_char(run.payment_date, 'DD/MM/YYYY'), coalesce(format(', reference %s', reference), '')),
        format('/claims/%s', c.id))
    from public.claims c
    where c.payment_run_id = run.id and c.submitted_by is not null and private.is_active_person(c.submitted_by);
    perform private.payment_run_audit('payment_run.acknowledge', before_row, run.id, reference);
  else
    reason := private.clean_reason(p_reason, true, 'reject a payment run');
    update public.payment_runs r set status = 'rejected', rejected_at = now_at, rejection_reason = reason, answer_due_at = null
    where r.id = run.id returning * into run;
    update public.claims c set status = 'approved_for_payment', payment_run_id = null, payment_date = null, sent_at = null
    where c.payment_run_id = run.id and c.status = 'sent';
    perform private.audit_run_claims('claim.payment_reject', run, 'sent', reason);
    perform private.queue_payment_run_tasks(run, 'payment_run_rejected',
      format('Payment run %s was rejected', run.run_number),
      format('The payment system rejected run %s (%s claims, %s). Reason: %s Its claims are approved for payment again and go in the next run.',
        run.run_number, run.claim_count, private.money(run.total), reason));
    perform private.payment_run_audit('payment_run.reject', before_row, run.id, reason);
  end if;
  perform private.end_action();
  return run;
end;
$$;
comment on function public.record_payment_answer(uuid, boolean, text, text, timestamptz) is
  'Service role (the payment system''s answer): acknowledged → the run''s claims are paid; rejected (reason required) → they are approved for payment again. The same answer twice changes nothing.';

-- ---------------------------------------------------------------- the claims list shows the band and the payment

create or replace view public.claim_overview with (security_invoker = true) as
select c.id, c.claim_number, c.provider_id,
       (select p.ods_code from public.organisations p where p.id = c.provider_id) as provider_ods_code,
       (select p.name from public.organisations p where p.id = c.provider_id) as provider_name,
       c.commissioner_id, c.submission_mode, c.status, c.total, c.created_at, c.submitted_at, c.updated_at,
       c.returned_reason, c.decline_reason,
       private.claim_financial_year(c.id) as financial_year,
       private.claim_service_names(c.id) as services,
       private.claim_period_labels(c.id) as periods,
       c.risk_band, c.tier1_approved_by, c.payment_run_id, c.payment_date, c.sent_at, c.paid_at, c.payment_reference
from public.claims c;
comment on view public.claim_overview is
  'Claims the caller can read with provider, financial year, services, periods, risk band and payment (run, date, paid), for lists.';
select private.make_view_read_only('public.claim_overview');

-- The practice's Payments page: its claims sent for payment or paid, per
-- payment date (the sum is the database's; the view runs as the caller, so the
-- claims policy decides whose claims count).
create view public.claim_payment_totals with (security_invoker = true) as
select c.provider_id, c.payment_date, count(*)::integer as claim_count,
       count(*) filter (where c.status = 'paid')::integer as paid_count,
       sum(c.total)::numeric(12, 2) as total
from public.claims c
where c.status in ('sent', 'paid')
group by c.provider_id, c.payment_date;
comment on view public.claim_payment_totals is
  'Per provider and payment date: the claims sent for payment or paid the caller can read, how many are paid, and their total (£).';
select private.make_view_read_only('public.claim_payment_totals');
revoke all on public.claim_payment_totals from anon, authenticated;
grant select on public.claim_payment_totals to authenticated;

-- ---------------------------------------------------------------- RLS and privileges

alter table public.payment_runs enable row level security;
alter table public.payment_run_claims enable row level security;
alter table public.payment_run_tries enable row level security;

create policy "Payment runs are read by the commissioner's Finance and Finance Management"
  on public.payment_runs for select to authenticated
  using (commissioner_id = any (array(select private.payment_run_commissioners())));
create policy "A run's claims are read with the run" on public.payment_run_claims for select to authenticated
  using (exists (select 1 from public.payment_runs r where r.id = run_id));
create policy "A run's tries are read with the run" on public.payment_run_tries for select to authenticated
  using (exists (select 1 from public.payment_runs r where r.id = run_id));

revoke all on public.payment_runs, public.payment_run_claims, public.payment_run_tries from anon, authenticated;
grant select on public.payment_runs, public.payment_run_claims, public.payment_run_tries to authenticated;
revoke all on sequence public.payment_runs_run_number_seq from anon, authenticated;

revoke all on function private.payment_runs_write_guard(), private.payment_run_total_matches(), private.payment_runs_finish_tasks(),
  private.payment_run_commissioners(), private.require_payment_finance(uuid, text), private.lock_payment_run(uuid),
  private.payment_date_problem(date), private.payment_run_audit(text, public.payment_runs, uuid, text),
  private.audit_run_claims(text, public.payment_runs, public.claim_status, text), private.claims_ready_for_payment(uuid),
  private.queue_payment_run_tasks(public.payment_runs, public.notification_kind, text, text), private.payment_run_last_step(public.payment_runs),
  private.money(numeric)
  from public;
-- The policy's helper.
grant execute on function private.payment_run_commissioners() to authenticated;

revoke all on function public.preview_payment_run(uuid, date), public.create_payment_run(uuid, date, integer, numeric),
  public.send_payment_run(uuid), public.cancel_payment_run(uuid, text), public.resend_payment_run(uuid), public.payment_run_file_rows(uuid),
  public.payment_deliveries_due(timestamptz, integer), public.payment_delivery_recorded(uuid, integer, text, timestamptz),
  public.record_payment_answer(uuid, boolean, text, text, timestamptz)
  from public, anon;
grant execute on function public.preview_payment_run(uuid, date), public.create_payment_run(uuid, date, integer, numeric),
  public.send_payment_run(uuid), public.cancel_payment_run(uuid, text), public.resend_payment_run(uuid), public.payment_run_file_rows(uuid)
  to authenticated;
revoke all on function public.payment_deliveries_due(timestamptz, integer), public.payment_delivery_recorded(uuid, integer, text, timestamptz),
  public.record_payment_answer(uuid, boolean, text, text, timestamptz)
  from authenticated;
grant execute on function public.payment_run_file_rows(uuid),
  public.payment_deliveries_due(timestamptz, integer), public.payment_delivery_recorded(uuid, integer, text, timestamptz),
  public.record_payment_answer(uuid, boolean, text, text, timestamptz)
  to service_role;
