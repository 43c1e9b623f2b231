-- Issue 14 (national services), part 3: the declaration machine and PCN
-- network achievement (domain.md "Achievement and declarations").
--
--   (calculated, payment date) ──▶ awaiting_network_achievement   while a network indicator waits for the PCN
--                              ──▶ the configuration's first step otherwise:
--                                    awaiting_provider_declaration
--                                    awaiting_commissioner_approval   ("No Declaration Required")
--                                    awaiting_finance_approval        ("No Declaration Required" + "No Approval Required")
--   awaiting_network_achievement  ──PCN network achievement submitted──▶ first step
--   awaiting_provider_declaration ──declare_achievements (Declaration Management)──▶ awaiting_commissioner_approval
--                                                                                  (awaiting_finance_approval: "No Approval Required")
--   awaiting_commissioner_approval ──approve_declarations (Approval Management)──▶ awaiting_finance_approval
--   awaiting_finance_approval      ──finance_approve_declarations (Finance Management)──▶ approved_for_payment
--   awaiting_commissioner_approval / awaiting_finance_approval
--        ──a recalculation changes its points or payment──▶ first step again (sent back, declaration_recalculated)
--   approved_for_payment never changes.
--
-- * Declarations follow the calculation: a statement-level trigger on
--   public.achievements (after insert or update) brings the declarations of
--   the rows it calculated in line with their achievement and results
--   (private.sync_declarations: idempotent, set-based; the calculation never
--   touches declarations, and stamps calculated_at with clock_timestamp(), so
--   every calculation is seen). The figures (points, payment) of a
--   declaration not yet declared follow every calculation.
-- * Declaring is refused, each with its reason, while data is missing
--   (public.achievement_missing_data: a group with fewer than all its
--   indicators submitted) or a recalculation is pending
--   (achievements.recalculation_requested_at). Approving waits for a pending
--   recalculation too: nobody approves figures about to change.
-- * The three actions take several declarations at once (Select All). All of
--   them are locked first, in id order (two people approving overlapping
--   selections never deadlock), then each is tried on its own (a savepoint
--   each); the answer has one entry per declaration: {declaration_id, ok,
--   status, message}. Someone who acts on a declaration a moment after
--   somebody else hears who did what, and its new status.
-- * Every transition is in the audit trail (entity_type 'declaration';
--   before/after carry status, points, payment), which
--   public.declaration_history reads. Every entry into a state queues its
--   tasks and notifications (email through the outbox, by preference):
--     awaiting_network_achievement   network_achievement_awaited    the PCN's nominated people  /network-achievement/<id>
--     awaiting_provider_declaration  declaration_awaiting           provider's Declaration Management  /declare/<id>
--     awaiting_commissioner_approval declaration_awaiting_approval  Approval Management reaching it    /declaration-management/<id>
--     awaiting_finance_approval      declaration_awaiting_finance   Finance Management reaching it     /declaration-management/<id>
--     approved_for_payment           declaration_approved           the declarer (else Declaration Management)  /declare/<id>
--     sent back                      declaration_recalculated       provider's Declaration Management  /declare/<id>
--   A declaration's tasks are done when its status changes; a network
--   achievement's when it is submitted.
-- * PCN network achievement: public.submit_network_achievement (Declaration
--   Management at the PCN: its "nominated people") aggregates the PCN's
--   practices on the date (private.aggregate_network_achievements), marks it
--   submitted and recalculates the member practices' achievements for that
--   date at once, so their waiting declarations move on in the same
--   transaction. public.network_achievement_overview lists network
--   achievements with the number of nominated people (fewer than two: the
--   page warns) and of waiting practices; public.achievements_awaiting_network
--   lists declarations stuck in awaiting_network_achievement with the cause
--   the database finds and the fix; public.remind_network_declarers is the
--   commissioner's reminder.

-- ---------------------------------------------------------------- tasks

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
    ('payment_run_flagged'::public.notification_kind, 'payment_run', '^/payment-runs/'),
    ('declaration_awaiting'::public.notification_kind, 'declaration', '^/declare/'),
    ('declaration_awaiting_approval'::public.notification_kind, 'declaration', '^/declaration-management/'),
    ('declaration_awaiting_finance'::public.notification_kind, 'declaration', '^/declaration-management/'),
    ('network_achievement_awaited'::public.notification_kind, 'network_achievement', '^/network-achievement/')
  ) as t (kind, subject_type, prefix)
  where t.kind = p_kind and p_link ~ (t.prefix || '[0-9a-fA-F-]{36}$')
$$;

alter table public.notifications drop constraint notifications_subject;
alter table public.notifications add constraint notifications_subject check (
  (subject_type is null) = (subject_id is null)
  and (subject_type is null or subject_type in ('profile', 'membership', 'service_offer', 'claim', 'payment_run',
                                                'declaration', 'network_achievement')));
comment on column public.notifications.subject_type is
  'What a task is about: profile (registration_waiting), membership (access_request_waiting), service_offer (service_offered), claim (claim tasks), payment_run (payment_run_flagged), declaration (declaration_awaiting, _approval, _finance), network_achievement (network_achievement_awaited).';


create function private.declarations_finish_tasks()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'DELETE' then
    perform private.finish_tasks(tg_argv[0], old.id);
    return old;
  end if;
  if new.status is distinct from old.status then
    perform private.finish_tasks(tg_argv[0], new.id);
  end if;
  return new;
end;
$$;

-- A declaration's tasks are done once its status changes (or it goes with its
-- achievement); a network achievement's once it is submitted.
create trigger declarations_finish_tasks
  after update of status or delete on public.declarations
  for each row execute function private.declarations_finish_tasks('declaration');
create trigger network_achievements_finish_tasks
  after update of status or delete on public.network_achievements
  for each row execute function private.declarations_finish_tasks('network_achievement');

-- ---------------------------------------------------------------- helpers

-- Roles that read a provider's declarations: its people other than View, and
-- the commissioners reaching it (the declarations policy's helpers, per person).
create function private.declaration_reader_roles()
returns public.app_role[]
language sql
immutable
set search_path = ''
as $$
  select '{achievement_entry,declaration_management,supervisor,finance_view,commissioning_management,approval_management,finance_management}'::public.app_role[]
$$;

create function private.declaration_status_label(p_status public.declaration_status)
returns text
language sql
immutable
set search_path = ''
as $$
  select case p_status
    when 'awaiting_network_achievement' then 'awaiting network achievement'
    when 'awaiting_provider_declaration' then 'awaiting provider declaration'
    when 'awaiting_commissioner_approval' then 'awaiting Commissioning Organisation approval'
    when 'awaiting_finance_approval' then 'awaiting finance approval'
    when 'approved_for_payment' then 'approved for payment'
  end
$$;

-- The first step of a new (or sent back) declaration under a service's configuration.
create function private.first_declaration_status(p_no_declaration_required boolean, p_no_approval_required boolean)
returns public.declaration_status
language sql
immutable
set search_path = ''
as $$
  select case
    when p_no_declaration_required and p_no_approval_required then 'awaiting_finance_approval'
    when p_no_declaration_required then 'awaiting_commissioner_approval'
    else 'awaiting_provider_declaration'
  end::public.declaration_status
$$;

create function private.service_name(p_service_id uuid)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select s.name from public.quality_services s where s.id = p_service_id
$$;

create function private.is_payment_date(p_service_id uuid, p_date date)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce((select ad.is_payment_date from public.achievement_dates ad
                   where ad.service_id = p_service_id and ad.achievement_date = p_date), false)
$$;

-- "Riverside Medical Centre (ZP1001), Network Contract DES 2025/26, 30/09/2025"
create function private.declaration_label(p_declaration public.declarations)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select format('%s, %s, %s', private.organisation_label(p_declaration.provider_id), private.service_name(p_declaration.service_id),
    private.uk_date(p_declaration.achievement_date))
$$;

create function private.points_label(p_points numeric)
returns text
language sql
immutable
set search_path = ''
as $$
  select coalesce(to_char(p_points, 'FM999,999,990.0099'), 'no')
$$;

create function private.uk_time(p_at timestamptz)
returns text
language sql
stable
set search_path = ''
as $$
  select to_char(p_at at time zone 'Europe/London', 'DD/MM/YYYY HH24:MI')
$$;

-- The PCN a practice belonged to on a date (the PCN history), if any.
create function private.practice_pcn_on(p_practice_id uuid, p_date date)
returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select pm.pcn_id from public.pcn_memberships pm
  where pm.practice_id = p_practice_id and pm.valid_from <= p_date and (pm.valid_to is null or pm.valid_to >= p_date)
  order by pm.valid_from desc
  limit 1
$$;

-- A PCN's nominated people: active accounts with Declaration Management at the PCN itself.
create function private.nominated_people(p_pcn_id uuid)
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select distinct m.profile_id
  from public.memberships m
  join public.profiles p on p.id = m.profile_id and p.status = 'active'
  where m.organisation_id = p_pcn_id and m.status = 'active' and 'declaration_management' = any (m.roles)
$$;

create function private.nominated_people_count(p_pcn_id uuid)
returns integer
language sql
stable
security definer
set search_path = ''
as $$
  select count(*)::integer from private.nominated_people(p_pcn_id)
$$;

-- Practices whose declaration for (service, date) waits for this PCN's network achievement.
create function private.network_waiting_practices(p_pcn_id uuid, p_service_id uuid, p_date date)
returns integer
language sql
stable
security definer
set search_path = ''
as $$
  select count(*)::integer
  from public.declarations d
  join public.pcn_memberships pm on pm.practice_id = d.provider_id and pm.pcn_id = p_pcn_id
    and pm.valid_from <= p_date and (pm.valid_to is null or pm.valid_to >= p_date)
  where d.service_id = p_service_id and d.achievement_date = p_date and d.status = 'awaiting_network_achievement'
$$;

-- The network achievement of (PCN, service, date), for the views (the PCN's
-- status is not secret from the practices waiting for it).
create function private.network_achievement_of(p_pcn_id uuid, p_service_id uuid, p_date date)
returns table (id uuid, status public.network_achievement_status, submitted_at timestamptz)
language sql
stable
security definer
set search_path = ''
as $$
  select n.id, n.status, n.submitted_at from public.network_achievements n
  where n.pcn_id = p_pcn_id and n.service_id = p_service_id and n.achievement_date = p_date
$$;

-- For a practice with no PCN on a date: its PCN relationships either side of it.
create function private.pcn_gap_text(p_practice_id uuid, p_date date)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select concat_ws(' ',
    (select format('Its relationship with %s ended on %s.', private.organisation_label(pm.pcn_id), private.uk_date(pm.valid_to))
     from public.pcn_memberships pm where pm.practice_id = p_practice_id and pm.valid_to < p_date
     order by pm.valid_to desc limit 1),
    (select format('Its relationship with %s starts on %s.', private.organisation_label(pm.pcn_id), private.uk_date(pm.valid_from))
     from public.pcn_memberships pm where pm.practice_id = p_practice_id and pm.valid_from > p_date
     order by pm.valid_from limit 1))
$$;

-- "… is already awaiting finance approval: approved by Jordan Tier-Two at 08/12/2026 09:14."
create function private.declaration_last_step(p_declaration public.declarations)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select format('%s is %s%s.', private.declaration_label(p_declaration), private.declaration_status_label(p_declaration.status),
    (select format(': %s by %s at %s',
              case a.action
                when 'declaration.declare' then 'declared'
                when 'declaration.approve' then 'approved'
                when 'declaration.finance_approve' then 'approved for payment'
                when 'declaration.send_back' then 'sent back by a recalculation'
                when 'declaration.network_achieved' then 'moved on when the PCN''s network achievement was submitted'
                when 'declaration.await_network' then 'sent to wait for the PCN''s network achievement'
                when 'declaration.recalculate' then 'recalculated'
                else 'created'
              end,
              coalesce(private.person_label(a.actor_id), 'the system'), private.uk_time(a.occurred_at))
     from public.audit_log a
     where a.entity_type = 'declaration' and a.entity_id = p_declaration.id::text
     order by a.occurred_at desc, a.id desc
     limit 1))
$$;

-- The declarations policy in one helper call: the organisations where the
-- caller holds any role that reads declarations (the practice's people other
-- than View, the commissioners reaching it). The same rows as the schema's
-- two helpers (a membership's reach does not depend on which role matched),
-- computed once per query instead of twice.
create function private.declaration_reader_organisations()
returns setof uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return query select private.organisations_with_role(private.declaration_reader_roles());
end;
$$;

drop policy "Declarations are read by the provider's people other than View, and the commissioners reaching it" on public.declarations;
create policy "Declarations are read by the provider's people other than View, and the commissioners reaching it"
  on public.declarations for select to authenticated
  using (provider_id = any (array(select private.declaration_reader_organisations())));

-- ---------------------------------------------------------------- tasks and notifications

-- Tasks for a PCN's nominated people: practices wait for its network
-- achievement (one open task per person and network achievement). The
-- network achievement row is made here if nobody made it yet.
create function private.announce_network_waits(p_declaration_ids uuid[])
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  made uuid[];
begin
  if p_declaration_ids is null or cardinality(p_declaration_ids) = 0 then
    return;
  end if;
  -- The PCN of each waiting practice on its date: a join on the PCN history
  -- (its gist index on (practice_id, during)), never a lookup per pair.
  with inserted as (
    insert into public.network_achievements (pcn_id, service_id, achievement_date, commissioner_id)
    select distinct pm.pcn_id, d.service_id, d.achievement_date, d.commissioner_id
    from public.declarations d
    join public.pcn_memberships pm on pm.practice_id = d.provider_id and pm.during @> d.achievement_date
    where d.id = any (p_declaration_ids) and d.status = 'awaiting_network_achievement'
    on conflict (pcn_id, service_id, achievement_date) do nothing
    returning id
  )
  select coalesce(array_agg(i.id), '{}') into made from inserted i;
  if cardinality(made) > 0 then
    perform private.aggregate_network_achievements(made);
  end if;

  perform private.queue_notification(person, 'network_achievement_awaited',
    format('Network achievement awaited: %s, %s', pcn_label, private.uk_date(x.achievement_date)),
    format('%s wait for %s''s network achievement for %s on %s. Submit it on the Network achievement tab (Data Submission).',
      x.practices, pcn_label, private.service_name(x.service_id), private.uk_date(x.achievement_date)),
    format('/network-achievement/%s', x.network_achievement_id))
  from (
    select n.id as network_achievement_id, n.pcn_id, n.service_id, n.achievement_date, private.organisation_label(n.pcn_id) as pcn_label,
           string_agg(private.organisation_label(d.provider_id), ', ' order by d.provider_id) as practices
    from public.declarations d
    join public.pcn_memberships pm on pm.practice_id = d.provider_id and pm.during @> d.achievement_date
    join public.network_achievements n
      on n.pcn_id = pm.pcn_id and n.service_id = d.service_id and n.achievement_date = d.achievement_date
    where d.id = any (p_declaration_ids) and d.status = 'awaiting_network_achievement' and n.status = 'not_submitted'
    group by n.id
  ) x
  cross join lateral private.nominated_people(x.pcn_id) person
  where not exists (
    select 1 from public.notifications o
    where o.subject_type = 'network_achievement' and o.subject_id = x.network_achievement_id
      and o.recipient_id = person and o.done_at is null);
end;
$$;

-- The people holding p_roles over each of p_providers (clusters respected):
-- private.people_reaching's rule (private.person_has_role_over per
-- membership), for many providers in one pass — the recipients of a national
-- recalculation's tasks are found in one query, not one per declaration.
create function private.people_reaching_many(p_providers uuid[], p_roles public.app_role[])
returns table (provider_id uuid, profile_id uuid)
language sql
stable
security definer
set search_path = ''
as $$
  select distinct up.descendant_id, m.profile_id
  from (select distinct x.id from unnest(p_providers) as x (id)) provider
  join public.organisation_closure up on up.descendant_id = provider.id
  join public.memberships m on m.organisation_id = up.ancestor_id and m.status = 'active' and m.roles && p_roles
  join public.profiles p on p.id = m.profile_id and p.status = 'active'
  join public.organisations o on o.id = m.organisation_id
  where (private.is_commissioner_type(o.type) or up.depth = 0)
    and (not exists (select 1 from public.cluster_assignments ca where ca.membership_id = m.id)
         or exists (
           select 1
           from public.cluster_assignments ca
           join public.cluster_organisations co on co.cluster_id = ca.cluster_id
           join public.organisation_closure cc on cc.ancestor_id = co.organisation_id and cc.descendant_id = up.descendant_id
           where ca.membership_id = m.id))
$$;

-- Queue the tasks and notifications of each declaration's current status
-- (called when it has just entered it). Set-based: one insert per kind.
create function private.announce_declarations(p_declaration_ids uuid[])
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  if p_declaration_ids is null or cardinality(p_declaration_ids) = 0 then
    return;
  end if;
  with k (status, kind, roles, title, what, page) as (
    values
      ('awaiting_provider_declaration'::public.declaration_status, 'declaration_awaiting'::public.notification_kind,
       '{declaration_management}'::public.app_role[], 'Achievement to declare',
       'It waits for the practice''s declaration (Achievement → Declare).', '/declare/'),
      ('awaiting_commissioner_approval', 'declaration_awaiting_approval', '{approval_management}', 'Declaration to approve',
       'It waits for the commissioner''s approval (Achievement → Declaration Management).', '/declaration-management/'),
      ('awaiting_finance_approval', 'declaration_awaiting_finance', '{finance_management}', 'Declaration to approve for payment',
       'It waits for Finance approval (Achievement → Declaration Management).', '/declaration-management/')
  ), d as (
    select x.*, k.kind, k.roles, k.title, k.what, k.page
    from public.declarations x
    join k on k.status = x.status
    where x.id = any (p_declaration_ids)
  ), who as (
    select r.provider_id, r.profile_id, k.status
    from k
    cross join lateral private.people_reaching_many(
      array(select distinct d.provider_id from d where d.status = k.status), k.roles) r
  )
  insert into public.notifications (recipient_id, kind, subject, body, link)
  select who.profile_id, d.kind,
         left(format('%s: %s, %s', d.title, private.organisation_label(d.provider_id), private.uk_date(d.achievement_date)), 200),
         left(format('%s, %s, %s: %s points, %s. %s', private.organisation_label(d.provider_id), private.service_name(d.service_id),
                     private.uk_date(d.achievement_date), private.points_label(d.points),
                     coalesce(private.money(d.payment), 'no payment calculated'), d.what), 4000),
         d.page || d.id
  from d
  join who on who.provider_id = d.provider_id and who.status = d.status;

  -- Approved for payment: the declarer, else the practice's Declaration Management.
  insert into public.notifications (recipient_id, kind, subject, body, link)
  select distinct on (d.id, who.person) who.person, 'declaration_approved',
         left(format('Approved for payment: %s, %s', private.organisation_label(d.provider_id), private.uk_date(d.achievement_date)), 200),
         left(format('%s is approved for payment: %s points, %s.', private.declaration_label(d), private.points_label(d.points),
                     private.money(d.payment)), 4000),
         format('/declare/%s', d.id)
  from public.declarations d
  cross join lateral (
    select d.declared_by as person where d.declared_by is not null and private.is_active_person(d.declared_by)
    union all
    select r.profile_id from private.people_reaching_many(array[d.provider_id], '{declaration_management}') r
    where d.declared_by is null or not private.is_active_person(d.declared_by)
  ) who
  where d.id = any (p_declaration_ids) and d.status = 'approved_for_payment';

  perform private.announce_network_waits(p_declaration_ids);
end;
$$;

-- ---------------------------------------------------------------- declarations follow the calculation

-- Achievements on a payment date that have been calculated, with what their
-- declaration should show.
create function private.declaration_targets(p_achievement_ids uuid[])
returns table (achievement_id uuid, provider_id uuid, service_id uuid, achievement_date date, commissioner_id uuid,
               points numeric, payment numeric, awaiting_network boolean, first_status public.declaration_status)
language sql
stable
security definer
set search_path = ''
as $$
  select a.id, a.provider_id, a.service_id, a.achievement_date, a.commissioner_id, a.points, a.payment,
         exists (select 1 from public.achievement_results r where r.achievement_id = a.id and r.awaiting_network),
         private.first_declaration_status(s.no_declaration_required, s.no_approval_required)
  from public.achievements a
  join public.achievement_dates ad on ad.service_id = a.service_id and ad.achievement_date = a.achievement_date and ad.is_payment_date
  join public.quality_services s on s.id = a.service_id
  where a.id = any (p_achievement_ids) and a.calculated_at is not null
$$;

-- Bring the declarations of these achievements in line with their last
-- calculation. Idempotent: a second call changes nothing.
create function private.sync_declarations(p_achievement_ids uuid[])
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  own_action boolean := coalesce(current_setting('app.action', true), '') = '';
  created uuid[];
  entered uuid[];
  recalculated uuid[];
  same_status uuid[];
begin
  if p_achievement_ids is null or cardinality(p_achievement_ids) = 0 then
    return;
  end if;
  if own_action then
    perform private.begin_action('declaration.sync');
  end if;

  -- New declarations.
  with made as (
    insert into public.declarations (achievement_id, provider_id, service_id, achievement_date, commissioner_id, status, points, payment)
    select t.achievement_id, t.provider_id, t.service_id, t.achievement_date, t.commissioner_id,
           case when t.awaiting_network then 'awaiting_network_achievement'::public.declaration_status else t.first_status end,
           t.points, t.payment
    from private.declaration_targets(p_achievement_ids) t
    where not exists (select 1 from public.declarations d where d.achievement_id = t.achievement_id)
    on conflict (achievement_id) do nothing
    returning *
  )
  select coalesce(array_agg(m.id), '{}')
  into created
  from made m
  where private.write_audit('declaration.create', 'declaration', m.id::text, m.provider_id, null, null, to_jsonb(m),
          case when m.status = 'awaiting_network_achievement'
               then 'A network indicator waits for the PCN''s network achievement.' end) is not null;

  -- Existing ones: move, send back, or follow the figures.
  with plan as (
    select d.id, to_jsonb(d) as before_row, d.status as from_status,
           t.points, t.payment,
           case
             when t.awaiting_network then 'awaiting_network_achievement'::public.declaration_status
             when d.status = 'awaiting_network_achievement' then t.first_status
             when d.status in ('awaiting_commissioner_approval', 'awaiting_finance_approval')
                  and (d.points, d.payment) is distinct from (t.points, t.payment) then t.first_status
             else d.status
           end as to_status,
           d.status in ('awaiting_commissioner_approval', 'awaiting_finance_approval')
             and (t.awaiting_network or (d.points, d.payment) is distinct from (t.points, t.payment)) as sent_back,
           (d.points, d.payment) is distinct from (t.points, t.payment) as figures_changed,
           format('%s points, %s → %s points, %s', private.points_label(d.points), coalesce(private.money(d.payment), 'none'),
                  private.points_label(t.points), coalesce(private.money(t.payment), 'none')) as change
    from public.declarations d
    join private.declaration_targets(p_achievement_ids) t on t.achievement_id = d.achievement_id
    where d.status <> 'approved_for_payment'
  ), changed as (
    select p.*,
           case
             when p.to_status = 'awaiting_network_achievement' and p.from_status <> 'awaiting_network_achievement' then 'declaration.await_network'
             when p.from_status = 'awaiting_network_achievement' and p.to_status <> 'awaiting_network_achievement' then 'declaration.network_achieved'
             when p.sent_back then 'declaration.send_back'
             else 'declaration.recalculate'
           end as action
    from plan p
    where p.to_status <> p.from_status or p.figures_changed
  ), moved as (
    update public.declarations d
    set status = c.to_status, points = c.points, payment = c.payment,
        declared_at = case when c.sent_back then null else d.declared_at end,
        declared_by = case when c.sent_back then null else d.declared_by end,
        commissioner_approved_at = case when c.sent_back then null else d.commissioner_approved_at end,
        commissioner_approved_by = case when c.sent_back then null else d.commissioner_approved_by end,
        sent_back_at = case when c.sent_back then now() else d.sent_back_at end,
        sent_back_reason = case
          when c.sent_back and c.to_status = 'awaiting_network_achievement'
            then 'A network indicator waits for the PCN''s network achievement again: declare once it is submitted.'
          when c.sent_back then format('A recalculation changed the figures (%s): declare again.', c.change)
          else d.sent_back_reason end
    from changed c
    where d.id = c.id
    returning d.*, c.before_row, c.from_status, c.action, c.sent_back, c.change
  )
  select coalesce(array_agg(m.id) filter (where m.status <> m.from_status or m.sent_back), '{}'),
         coalesce(array_agg(m.id) filter (where m.sent_back and m.status <> 'awaiting_network_achievement'), '{}'),
         coalesce(array_agg(m.id) filter (where m.sent_back and m.status = m.from_status), '{}')
  into entered, recalculated, same_status
  from moved m
  where private.write_audit(m.action, 'declaration', m.id::text, m.provider_id, null, m.before_row,
          to_jsonb(m) - '{before_row,from_status,action,sent_back,change}'::text[],
          case m.action
            when 'declaration.await_network' then 'A network indicator waits for the PCN''s network achievement.'
            when 'declaration.network_achieved' then 'The PCN''s network achievement was submitted; the achievement was recalculated.'
            when 'declaration.send_back' then m.sent_back_reason
            else format('Recalculated: %s.', m.change)
          end) is not null;

  -- Sent back to the step it was at (a configuration without that step):
  -- the old tasks are done (the status trigger did not see a change).
  perform private.finish_tasks('declaration', x) from unnest(same_status) x;

  insert into public.notifications (recipient_id, kind, subject, body, link)
  select r.profile_id, 'declaration_recalculated',
         left(format('Declaration sent back: %s, %s', private.organisation_label(d.provider_id), private.uk_date(d.achievement_date)), 200),
         left(format('%s: %s It is now %s.', private.declaration_label(d), d.sent_back_reason, private.declaration_status_label(d.status)), 4000),
         format('/declare/%s', d.id)
  from public.declarations d
  join private.people_reaching_many(array(select x.provider_id from public.declarations x where x.id = any (recalculated)),
                                    '{declaration_management}') r on r.provider_id = d.provider_id
  where d.id = any (recalculated);

  perform private.announce_declarations(created || entered);

  if own_action then
    perform private.end_action();
  end if;
end;
$$;

-- After a statement on achievements: the rows it calculated (calculated_at
-- moves at every calculation: clock_timestamp()), or whose figures it changed.
-- A statement that only flags a recalculation is left alone.
create function private.achievements_sync_declarations()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    perform private.sync_declarations(array(select n.id from new_rows n where n.calculated_at is not null));
  else
    perform private.sync_declarations(array(
      select n.id from new_rows n join old_rows o on o.id = n.id
      where n.calculated_at is not null
        and (n.calculated_at is distinct from o.calculated_at or (n.points, n.payment) is distinct from (o.points, o.payment))));
  end if;
  return null;
end;
$$;

create trigger achievements_sync_declarations_after_update
  after update on public.achievements
  referencing old table as old_rows new table as new_rows
  for each statement execute function private.achievements_sync_declarations();
create trigger achievements_sync_declarations_after_insert
  after insert on public.achievements
  referencing new table as new_rows
  for each statement execute function private.achievements_sync_declarations();

-- ---------------------------------------------------------------- declare, approve, finance approve

-- One step of one declaration (locked), by whoever may take it. Raises when not allowed.
create function private.declaration_step(p_declaration_id uuid, p_step text)
returns public.declarations
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  d public.declarations;
  before_row public.declarations;
  achievement public.achievements;
  service public.quality_services;
  expected public.declaration_status;
  next_status public.declaration_status;
  roles public.app_role[];
  role_name text;
  verb text;
  missing text;
begin
  select * into d from public.declarations x where x.id = p_declaration_id for update;
  if not found or not private.person_has_role_over(me, d.provider_id, private.declaration_reader_roles()) then
    perform private.fail('P0002', 'The declaration does not exist, or you cannot see it.', 'Reload the list of declarations.');
  end if;
  before_row := d;
  select * into service from public.quality_services s where s.id = d.service_id;
  select * into achievement from public.achievements a where a.id = d.achievement_id;

  case p_step
    when 'declare' then
      expected := 'awaiting_provider_declaration'; roles := '{declaration_management}'; role_name := 'Declaration Management';
      verb := 'declare';
      next_status := case when service.no_approval_required then 'awaiting_finance_approval' else 'awaiting_commissioner_approval' end;
    when 'approve' then
      expected := 'awaiting_commissioner_approval'; roles := '{approval_management}'; role_name := 'Approval Management';
      verb := 'approve'; next_status := 'awaiting_finance_approval';
    when 'finance_approve' then
      expected := 'awaiting_finance_approval'; roles := '{finance_management}'; role_name := 'Finance Management';
      verb := 'approve for payment'; next_status := 'approved_for_payment';
    else
      perform private.fail('22023', format('Unknown declaration step %s.', p_step), 'declare, approve or finance_approve.');
  end case;

  if not private.person_has_role_over(me, d.provider_id, roles) then
    perform private.fail('42501', format('%s: only %s %s %s declarations.', private.declaration_label(d), role_name,
        case when p_step = 'declare' then 'of the practice' else 'of the commissioner reaching the practice' end,
        case when p_step = 'declare' then 'makes' when p_step = 'approve' then 'approves' else 'approves for payment' end),
      format('Ask your administrator for the %s role, or leave it to those who hold it.', role_name));
  end if;
  if d.status <> expected then
    perform private.fail('PT409', private.declaration_last_step(d),
      format('Only declarations %s can be %s here: reload the list.', private.declaration_status_label(expected),
        case when p_step = 'declare' then 'declared' else 'approved' end));
  end if;
  if achievement.recalculation_requested_at is not null then
    perform private.fail('PT409', format('%s cannot be %s yet: a recalculation is pending (requested %s%s).', private.declaration_label(d),
        case when p_step = 'declare' then 'declared' else 'approved' end,
        private.uk_time(achievement.recalculation_requested_at),
        coalesce(': ' || nullif(btrim(achievement.recalculation_reason), ''), '')),
      'The figures are about to change: try again after the recalculation has run (it runs on a schedule).');
  end if;
  if p_step = 'declare' then
    select string_agg(format('%s %s of %s submitted%s', m.group_code, m.submitted, m.possible,
             case when cardinality(m.missing_indicator_codes) > 0
                  then format(' (missing %s)', array_to_string(m.missing_indicator_codes, ', ')) else '' end),
           '; ' order by m.group_position)
    into missing
    from public.achievement_missing_data m
    where m.provider_id = d.provider_id and m.service_id = d.service_id and m.achievement_date = d.achievement_date
      and m.submitted < m.possible;
    if missing is not null then
      perform private.fail('PT409', format('%s cannot be declared: data is missing — %s.', private.declaration_label(d), missing),
        'Enter and submit the missing data (Data Submission → Record Achievement), then declare.');
    end if;
    if achievement.payment is null then
      perform private.fail('PT409', format('%s cannot be declared: it has not been calculated.', private.declaration_label(d)),
        'Submit the achievement data first.');
    end if;
  end if;

  update public.declarations x
  set status = next_status,
      points = case when p_step = 'declare' then achievement.points else x.points end,
      payment = case when p_step = 'declare' then achievement.payment else x.payment end,
      declared_at = case when p_step = 'declare' then now() else x.declared_at end,
      declared_by = case when p_step = 'declare' then me else x.declared_by end,
      commissioner_approved_at = case when p_step = 'approve' then now() else x.commissioner_approved_at end,
      commissioner_approved_by = case when p_step = 'approve' then me else x.commissioner_approved_by end,
      finance_approved_at = case when p_step = 'finance_approve' then now() else x.finance_approved_at end,
      finance_approved_by = case when p_step = 'finance_approve' then me else x.finance_approved_by end
  where x.id = d.id
  returning * into d;
  perform private.write_audit('declaration.' || p_step, 'declaration', d.id::text, d.provider_id, null, to_jsonb(before_row), to_jsonb(d), null);
  perform private.announce_declarations(array[d.id]);
  return d;
end;
$$;

-- Several declarations at once: all locked first (id order), then each tried
-- on its own. [{declaration_id, ok, status, message, code}]
create function private.declaration_steps(p_declaration_ids uuid[], p_step text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  declaration_id uuid;
  result public.declarations;
  answers jsonb := '[]'::jsonb;
  failure text;
  failure_code text;
  now_status public.declaration_status;
begin
  if p_declaration_ids is null or cardinality(p_declaration_ids) = 0 or array_position(p_declaration_ids, null) is not null then
    perform private.fail('22023', 'Choose at least one declaration.', 'Pass the ids of the declarations.');
  end if;
  if cardinality(p_declaration_ids) > 1000 then
    perform private.fail('22023', format('At most 1,000 declarations at once (you chose %s).', cardinality(p_declaration_ids)),
      'Work through them in smaller groups.');
  end if;
  perform private.begin_action('declaration.' || p_step);
  -- Locks in one order for everybody: overlapping selections wait, never deadlock.
  perform 1 from public.declarations d where d.id = any (p_declaration_ids) order by d.id for update;
  foreach declaration_id in array array(select u.x from unnest(p_declaration_ids) with ordinality u (x, n) group by u.x order by min(u.n)) loop
    begin
      result := private.declaration_step(declaration_id, p_step);
      answers := answers || jsonb_build_object('declaration_id', result.id, 'ok', true, 'status', result.status, 'code', null,
        'message', format('%s: %s.', private.declaration_label(result), private.declaration_status_label(result.status)));
    exception when others then
      get stacked diagnostics failure = message_text, failure_code = returned_sqlstate;
      now_status := null;
      if failure_code <> 'P0002' then
        select d.status into now_status from public.declarations d where d.id = declaration_id;
      end if;
      answers := answers || jsonb_build_object('declaration_id', declaration_id, 'ok', false, 'status', now_status,
        'code', failure_code, 'message', failure);
    end;
  end loop;
  perform private.end_action();
  return answers;
end;
$$;

create function public.declare_achievements(p_declaration_ids uuid[])
returns jsonb
language sql
security definer
set search_path = ''
as $$
  select private.declaration_steps(p_declaration_ids, 'declare')
$$;
comment on function public.declare_achievements(uuid[]) is
  'Declare Achievement (Declaration Management of the practice): awaiting_provider_declaration → awaiting_commissioner_approval (awaiting_finance_approval with "No Approval Required"). Refused per declaration while data is missing or a recalculation is pending. Answer: [{declaration_id, ok, status, message, code}].';

create function public.approve_declarations(p_declaration_ids uuid[])
returns jsonb
language sql
security definer
set search_path = ''
as $$
  select private.declaration_steps(p_declaration_ids, 'approve')
$$;
comment on function public.approve_declarations(uuid[]) is
  'Approve (Approval Management of the commissioner reaching the practice): awaiting_commissioner_approval → awaiting_finance_approval. Answer: [{declaration_id, ok, status, message, code}].';

create function public.finance_approve_declarations(p_declaration_ids uuid[])
returns jsonb
language sql
security definer
set search_path = ''
as $$
  select private.declaration_steps(p_declaration_ids, 'finance_approve')
$$;
comment on function public.finance_approve_declarations(uuid[]) is
  'Approve for payment (Finance Management of the commissioner reaching the practice): awaiting_finance_approval → approved_for_payment. Answer: [{declaration_id, ok, status, message, code}].';

-- ---------------------------------------------------------------- PCN network achievement

create function private.require_pcn(p_pcn_id uuid)
returns public.organisations
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  pcn public.organisations;
begin
  select * into pcn from public.organisations o where o.id = p_pcn_id;
  if not found then
    perform private.fail('P0002', 'The PCN does not exist.', 'Choose a PCN from the list.');
  end if;
  if pcn.type <> 'pcn' then
    perform private.fail('22023', format('%s is a %s, not a PCN: network achievement belongs to a PCN.', private.organisation_label(pcn.id), pcn.type),
      'Choose a PCN.');
  end if;
  return pcn;
end;
$$;

create function private.require_achievement_date(p_service_id uuid, p_date date)
returns public.quality_services
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  service public.quality_services;
begin
  select * into service from public.quality_services s where s.id = p_service_id;
  if not found then
    perform private.fail('P0002', 'The service does not exist.', 'Choose a national service.');
  end if;
  if service.kind <> 'national' then
    perform private.fail('22023', format('%s is a local service: network achievement is for national services.', service.name),
      'Choose a national service.');
  end if;
  if p_date is null or not exists (select 1 from public.achievement_dates ad where ad.service_id = service.id and ad.achievement_date = p_date) then
    perform private.fail('22023', format('%s is not an achievement date of %s.', coalesce(private.uk_date(p_date), 'No date'), service.name),
      'Choose one of the service''s achievement dates.');
  end if;
  return service;
end;
$$;

create function public.submit_network_achievement(p_pcn_id uuid, p_service_id uuid, p_achievement_date date, p_notes text default null)
returns public.network_achievements
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  pcn public.organisations := private.require_pcn(p_pcn_id);
  service public.quality_services;
  na public.network_achievements;
  before_row public.network_achievements;
  clean_notes text := nullif(btrim(p_notes), '');
  member_achievements uuid[];
begin
  if not private.has_role_over(pcn.id, '{declaration_management}') then
    perform private.fail('42501', format('Only the nominated people of %s (Declaration Management at the PCN) submit its network achievement.',
        private.organisation_label(pcn.id)),
      'Ask the PCN''s administrator for the Declaration Management role.');
  end if;
  service := private.require_achievement_date(p_service_id, p_achievement_date);
  if char_length(clean_notes) > 2000 then
    perform private.fail('22023', format('The notes are too long (%s characters; at most 2,000).', char_length(clean_notes)), 'Shorten the notes.');
  end if;

  perform private.begin_action('network_achievement.submit');
  insert into public.network_achievements (pcn_id, service_id, achievement_date, commissioner_id)
  values (pcn.id, service.id, p_achievement_date, service.commissioner_id)
  on conflict (pcn_id, service_id, achievement_date) do nothing;
  select * into na from public.network_achievements n
  where n.pcn_id = pcn.id and n.service_id = service.id and n.achievement_date = p_achievement_date
  for update;
  if na.status = 'submitted' then
    perform private.fail('PT409', format('%s''s network achievement for %s on %s was already submitted by %s at %s.',
        private.organisation_label(pcn.id), service.name, private.uk_date(p_achievement_date),
        coalesce(private.person_label(na.submitted_by), 'someone'), private.uk_time(na.submitted_at)),
      'Nothing to submit: reload the Network achievement tab.');
  end if;
  before_row := na;

  -- The aggregate of the practices in the PCN on the date, as submitted.
  perform private.aggregate_network_achievements(array[na.id]);
  perform private.begin_action('network_achievement.submit');
  select * into na from public.network_achievements n where n.id = na.id;
  if na.member_practices = 0 then
    perform private.fail('PT409', format('%s had no member practices on %s: there is no network achievement to submit.',
        private.organisation_label(pcn.id), private.uk_date(p_achievement_date)),
      'Check the PCN''s relationships (Reports → Network organisation relationship).');
  end if;
  if na.reporting_practices = 0 then
    perform private.fail('PT409', format('None of the %s practices of %s on %s has submitted achievement data for %s yet: there is nothing to submit.',
        na.member_practices, private.organisation_label(pcn.id), private.uk_date(p_achievement_date), service.name),
      'Submit once the practices have submitted their data.');
  end if;

  update public.network_achievements n
  set status = 'submitted', submitted_at = now(), submitted_by = me, notes = clean_notes
  where n.id = na.id
  returning * into na;
  perform private.write_audit('network_achievement.submit', 'network_achievement', na.id::text, na.pcn_id, null,
    to_jsonb(before_row), to_jsonb(na), clean_notes);

  -- The member practices' achievements on that date score on the submitted
  -- aggregate now: their waiting declarations move on (the trigger above).
  member_achievements := array(
    select a.id from public.achievements a
    join public.pcn_memberships pm on pm.practice_id = a.provider_id and pm.pcn_id = pcn.id
      and pm.valid_from <= p_achievement_date and (pm.valid_to is null or pm.valid_to >= p_achievement_date)
    where a.service_id = service.id and a.achievement_date = p_achievement_date and a.status = 'submitted'
    order by a.id);
  if cardinality(member_achievements) > 0 then
    perform private.calculate_achievements(member_achievements);
  end if;
  perform private.end_action();
  select * into na from public.network_achievements n where n.id = na.id;
  return na;
end;
$$;
comment on function public.submit_network_achievement(uuid, uuid, date, text) is
  'Declaration Management at the PCN (its nominated people) submits the PCN''s network achievement for a service and achievement date: the aggregate of its practices on that date. The member practices'' achievements are recalculated at once, so their declarations waiting in awaiting_network_achievement move on.';

create function public.remind_network_declarers(p_pcn_id uuid, p_service_id uuid, p_achievement_date date)
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  pcn public.organisations := private.require_pcn(p_pcn_id);
  service public.quality_services;
  na public.network_achievements;
  waiting text;
  reminded integer;
begin
  if not private.has_role_over(pcn.id, '{commissioning_management,approval_management}') then
    perform private.fail('42501', format('Only Commissioning Management or Approval Management of the commissioner reaching %s remind its nominated people.',
        private.organisation_label(pcn.id)),
      'Ask your administrator for the role.');
  end if;
  service := private.require_achievement_date(p_service_id, p_achievement_date);
  select * into na from public.network_achievements n
  where n.pcn_id = pcn.id and n.service_id = service.id and n.achievement_date = p_achievement_date;
  if not found then
    perform private.fail('P0002', format('%s has no network achievement for %s on %s yet: no practice waits for it.',
        private.organisation_label(pcn.id), service.name, private.uk_date(p_achievement_date)),
      'Nothing to remind.');
  end if;
  if na.status = 'submitted' then
    perform private.fail('PT409', format('%s''s network achievement for %s on %s was submitted by %s at %s: nothing to remind.',
        private.organisation_label(pcn.id), service.name, private.uk_date(p_achievement_date),
        coalesce(private.person_label(na.submitted_by), 'someone'), private.uk_time(na.submitted_at)),
      'Practices still waiting move on at the next recalculation.');
  end if;
  if private.nominated_people_count(pcn.id) = 0 then
    perform private.fail('PT409', format('%s has no nominated people (Declaration Management at the PCN) to remind.', private.organisation_label(pcn.id)),
      'Ask the PCN''s administrator to give Declaration Management to at least two people.');
  end if;

  select string_agg(private.organisation_label(d.provider_id), ', ' order by d.provider_id) into waiting
  from public.declarations d
  join public.pcn_memberships pm on pm.practice_id = d.provider_id and pm.pcn_id = pcn.id
    and pm.valid_from <= p_achievement_date and (pm.valid_to is null or pm.valid_to >= p_achievement_date)
  where d.service_id = service.id and d.achievement_date = p_achievement_date and d.status = 'awaiting_network_achievement';

  perform private.begin_action('network_achievement.remind');
  select count(private.queue_notification(person, 'network_achievement_awaited',
           format('Reminder: network achievement for %s, %s', private.organisation_label(pcn.id), private.uk_date(p_achievement_date)),
           format('%s reminds you to submit %s''s network achievement for %s on %s.%s Submit it on the Network achievement tab (Data Submission).',
             private.person_label(me), private.organisation_label(pcn.id), service.name, private.uk_date(p_achievement_date),
             coalesce(format(' Waiting: %s.', waiting), '')),
           format('/network-achievement/%s', na.id)))::integer
  into reminded
  from private.nominated_people(pcn.id) person;
  perform private.write_audit('network_achievement.remind', 'network_achievement', na.id::text, pcn.id, null, null,
    jsonb_build_object('reminded', reminded, 'status', na.status), null);
  perform private.end_action();
  return reminded;
end;
$$;
comment on function public.remind_network_declarers(uuid, uuid, date) is
  'The commissioner (Commissioning Management or Approval Management reaching the PCN) reminds the PCN''s nominated people to submit its network achievement; answers how many people were reminded.';

-- ---------------------------------------------------------------- views

create view public.network_achievement_overview with (security_invoker = true) as
select n.id, n.pcn_id, pcn.ods_code as pcn_ods_code, pcn.name as pcn_name,
       n.service_id, private.service_name(n.service_id) as service_name,
       n.achievement_date, private.is_payment_date(n.service_id, n.achievement_date) as is_payment_date,
       n.commissioner_id, n.status, n.member_practices, n.reporting_practices,
       n.submitted_at, n.submitted_by, private.person_label(n.submitted_by) as submitted_by_name, n.notes,
       n.calculated_at, n.recalculation_requested_at,
       private.nominated_people_count(n.pcn_id) as nominated_people,
       private.network_waiting_practices(n.pcn_id, n.service_id, n.achievement_date) as waiting_practices
from public.network_achievements n
join public.organisations pcn on pcn.id = n.pcn_id;
comment on view public.network_achievement_overview is
  'Network achievements the caller reads, with the PCN, the service, the number of nominated people (Declaration Management at the PCN: fewer than two is a warning) and of practices waiting for it.';
select private.make_view_read_only('public.network_achievement_overview');

create view public.achievements_awaiting_network with (security_invoker = true) as
select d.id as declaration_id, d.achievement_id, d.provider_id, p.ods_code as provider_ods_code, p.name as provider_name,
       d.service_id, private.service_name(d.service_id) as service_name, d.achievement_date, d.commissioner_id,
       d.updated_at as waiting_since,
       c.cause, w.pcn_id, pcn.ods_code as pcn_ods_code, pcn.name as pcn_name,
       na.id as network_achievement_id, na.status as network_status,
       case when w.pcn_id is null then null else private.nominated_people_count(w.pcn_id) end as nominated_people,
       case c.cause
         when 'no_pcn_relationship' then
           concat_ws(' ', format('%s has no PCN relationship on %s.', private.organisation_label(d.provider_id), private.uk_date(d.achievement_date)),
             private.pcn_gap_text(d.provider_id, d.achievement_date),
             'Open the practice''s PCN relationships and add the missing one; the achievement is recalculated and moves on once that PCN''s network achievement is submitted.')
         when 'network_achievement_not_submitted' then
           format('%s has not submitted its network achievement for %s. %s', private.organisation_label(w.pcn_id), private.uk_date(d.achievement_date),
             case when private.nominated_people_count(w.pcn_id) = 0
                  then 'It has no nominated people (Declaration Management at the PCN): ask the PCN to nominate at least two.'
                  else 'Remind the PCN''s nominated people to submit it.' end)
         else
           format('%s submitted its network achievement for %s; this achievement moves on at the next recalculation.',
             private.organisation_label(w.pcn_id), private.uk_date(d.achievement_date))
       end as fix
from public.declarations d
join public.organisations p on p.id = d.provider_id
cross join lateral (select private.practice_pcn_on(d.provider_id, d.achievement_date) as pcn_id) w
left join public.organisations pcn on pcn.id = w.pcn_id
left join lateral private.network_achievement_of(w.pcn_id, d.service_id, d.achievement_date) na on true
cross join lateral (
  select case
    when w.pcn_id is null then 'no_pcn_relationship'
    when na.status is distinct from 'submitted' then 'network_achievement_not_submitted'
    else 'recalculation_pending'
  end as cause
) c
where d.status = 'awaiting_network_achievement';
comment on view public.achievements_awaiting_network is
  'Declarations stuck in awaiting_network_achievement that the caller reads, with the cause the database finds (no_pcn_relationship: no PCN on the date; network_achievement_not_submitted: the PCN has not submitted; recalculation_pending: submitted, the practice moves on at the next recalculation) and the fix.';
select private.make_view_read_only('public.achievements_awaiting_network');

-- ---------------------------------------------------------------- history and summary report

create function public.declaration_history(p_provider_id uuid, p_service_id uuid)
returns table (occurred_at timestamptz, achievement_date date, action text, actor text, from_status text, to_status text, reason text)
language sql
stable
security definer
set search_path = ''
as $$
  select a.occurred_at, d.achievement_date, a.action,
         coalesce(private.person_label(a.actor_id), case when a.action = 'declaration.declare' then 'The practice' else 'The system' end),
         a.before ->> 'status', a.after ->> 'status', a.reason
  from public.declarations d
  join public.audit_log a on a.entity_type = 'declaration' and a.entity_id = d.id::text
  where d.provider_id = p_provider_id and d.service_id = p_service_id
    and private.person_has_role_over((select auth.uid()), d.provider_id, private.declaration_reader_roles())
  order by a.occurred_at desc, a.id desc
$$;
comment on function public.declaration_history(uuid, uuid) is
  'Payment Declaration History of a provider and service, newest first, from the audit trail: only declarations the caller reads (the provider''s people other than View; the commissioners reaching it).';

create function public.achievement_summary_rows(p_declaration_ids uuid[])
returns table (
  declaration_id uuid, provider_ods_code text, provider_name text, service_name text, achievement_date date,
  declaration_status public.declaration_status, declared_points numeric, declared_payment numeric, calculated_payment numeric,
  group_position integer, group_code text, group_name text, indicator_position integer, indicator_code text,
  indicator_description text, payment_basis public.indicator_payment_basis, network boolean,
  numerator integer, denominator integer, count integer, percentage numeric, lower_threshold numeric, upper_threshold numeric,
  max_points numeric, points numeric, payment_rate numeric, list_size integer, reference_list_size integer,
  list_size_adjustment numeric, payment_exact numeric, awaiting_network boolean)
language sql
stable
security definer
set search_path = ''
as $$
  select d.id, p.ods_code, p.name, s.name, d.achievement_date, d.status, d.points, d.payment,
         round(sum(r.payment_exact) over (partition by d.id), 2),
         g.position, g.code, g.name, i.position, i.code, i.description, r.payment_basis, r.network,
         r.numerator, r.denominator, r.count, round(r.percentage, 4), r.lower_threshold, r.upper_threshold,
         r.max_points, round(r.points, 4), r.payment_rate, r.list_size, r.reference_list_size, round(r.list_size_adjustment, 6),
         round(r.payment_exact, 6), r.awaiting_network
  from public.declarations d
  join public.organisations p on p.id = d.provider_id
  join public.quality_services s on s.id = d.service_id
  join public.achievement_results r on r.achievement_id = d.achievement_id
  join public.indicators i on i.id = r.indicator_id
  join public.indicator_groups g on g.id = i.group_id
  where d.id = any (p_declaration_ids)
    and private.person_has_role_over((select auth.uid()), d.provider_id, private.declaration_reader_roles())
  order by p.ods_code, d.achievement_date, s.name, d.id, g.position, i.position
$$;
comment on function public.achievement_summary_rows(uuid[]) is
  'Achievement Summary Report rows: per declaration the caller reads, one row per indicator with every input of its calculation (percentage and points to 4 places, the exact payment to 6), the declared figures and calculated_payment = the indicators'' unrounded payments summed and rounded once (equal to declared_payment). Declarations the caller may not read give no rows.';

-- ---------------------------------------------------------------- privileges

revoke all on function
  private.declarations_finish_tasks(), private.declaration_reader_roles(), private.declaration_status_label(public.declaration_status),
  private.first_declaration_status(boolean, boolean), private.service_name(uuid), private.is_payment_date(uuid, date),
  private.declaration_label(public.declarations), private.points_label(numeric), private.uk_time(timestamptz),
  private.practice_pcn_on(uuid, date), private.nominated_people(uuid), private.nominated_people_count(uuid),
  private.network_waiting_practices(uuid, uuid, date), private.network_achievement_of(uuid, uuid, date),
  private.pcn_gap_text(uuid, date), private.declaration_last_step(public.declarations),
  private.announce_network_waits(uuid[]), private.announce_declarations(uuid[]), private.declaration_targets(uuid[]),
  private.people_reaching_many(uuid[], public.app_role[]), private.declaration_reader_organisations(),
  private.sync_declarations(uuid[]), private.achievements_sync_declarations(), private.declaration_step(uuid, text),
  private.declaration_steps(uuid[], text), private.require_pcn(uuid), private.require_achievement_date(uuid, date)
  from public;
-- The views and the declarations policy call these as the caller.
grant execute on function private.declaration_reader_organisations(), private.declaration_reader_roles(), private.service_name(uuid), private.is_payment_date(uuid, date), private.person_label(uuid),
  private.nominated_people_count(uuid), private.network_waiting_practices(uuid, uuid, date), private.practice_pcn_on(uuid, date),
  private.network_achievement_of(uuid, uuid, date), private.organisation_label(uuid), private.uk_date(date),
  private.pcn_gap_text(uuid, date)
  to authenticated;

revoke all on function public.declare_achievements(uuid[]), public.approve_declarations(uuid[]),
  public.finance_approve_declarations(uuid[]), public.submit_network_achievement(uuid, uuid, date, text),
  public.remind_network_declarers(uuid, uuid, date), public.declaration_history(uuid, uuid),
  public.achievement_summary_rows(uuid[])
  from public, anon;
grant execute on function public.declare_achievements(uuid[]), public.approve_declarations(uuid[]),
  public.finance_approve_declarations(uuid[]), public.submit_network_achievement(uuid, uuid, date, text),
  public.remind_network_declarers(uuid, uuid, date), public.declaration_history(uuid, uuid),
  public.achievement_summary_rows(uuid[])
  to authenticated;
grant execute on function public.achievement_summary_rows(uuid[]), public.declaration_history(uuid, uuid) to service_role;

revoke all on public.network_achievement_overview, public.achievements_awaiting_network from anon;
grant select on public.network_achievement_overview, public.achievements_awaiting_network to authenticated;
