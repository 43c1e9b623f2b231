-- Issue 11: tasks that never cleared.
--
-- A notification of kind registration_waiting, access_request_waiting or
-- service_offered is a task (src/resources/home/kinds.ts): it asks the reader
-- to act. Once a registration or access request was decided (by anyone) or an
-- offer answered, its task stayed open in every other approver's message
-- centre. Now:
--   * notifications.subject_type / subject_id name the task's subject
--     ('profile', 'membership', 'service_offer'); a trigger fills them from
--     the portal link the actions already write (/registrations/<profile>,
--     /access-requests/<membership>, /participation/<offer>), so every caller
--     of private.queue_notification is covered;
--   * notifications.done_at is set, for every recipient at once, when the
--     subject no longer needs action: a registration leaves 'pending'
--     (approve_registration, reject_registration, …), an access request leaves
--     'requested' (approve/reject_access_request, …), an offer leaves
--     'offered' (accept_offer, reject_offer, withdraw_offers; cancel_offers
--     follows an answer), or the subject is deleted. Triggers on the subject
--     tables do it, whichever path changed them;
--   * my_access() counts unread messages that are not done.
-- Existing rows are linked and marked the same way below. Nobody writes these
-- columns through the API (authenticated may update read_at only).

alter table public.notifications
  add column subject_type text,
  add column subject_id uuid,
  add column done_at timestamptz,
  add constraint notifications_subject check (
    (subject_type is null) = (subject_id is null)
    and (subject_type is null or subject_type in ('profile', 'membership', 'service_offer')));
comment on column public.notifications.subject_type is 'What a task is about: profile (registration_waiting), membership (access_request_waiting), service_offer (service_offered).';
comment on column public.notifications.subject_id is 'The id of the task''s subject (see subject_type).';
comment on column public.notifications.done_at is 'When the task''s subject stopped needing action (decided, answered, withdrawn, deleted); null = open or not a task.';

create index notifications_open_subject_idx on public.notifications (subject_id) where done_at is null;
create index notifications_unread_open_idx on public.notifications (recipient_id) where read_at is null and done_at is null;

-- The subject a task's link names; null when the kind is not a task or the link names none.
create function private.task_subject(p_kind public.notification_kind, p_link text)
returns table (subject_type text, subject_id uuid)
language sql
immutable
set search_path = ''
as $$
  select t.subject_type, substring(p_link from t.prefix || '([0-9a-fA-F-]{36})$')::uuid
  from (values
    ('registration_waiting'::public.notification_kind, 'profile', '^/registrations/'),
    ('access_request_waiting'::public.notification_kind, 'membership', '^/access-requests/'),
    ('service_offered'::public.notification_kind, 'service_offer', '^/participation/')
  ) as t (kind, subject_type, prefix)
  where t.kind = p_kind and p_link ~ (t.prefix || '[0-9a-fA-F-]{36}$')
$$;

create function private.notifications_link_subject()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.subject_id is null then
    select s.subject_type, s.subject_id into new.subject_type, new.subject_id
    from private.task_subject(new.kind, new.link) s;
  end if;
  return new;
end;
$$;

create trigger notifications_link_subject
  before insert on public.notifications
  for each row execute function private.notifications_link_subject();

-- Mark every open task about (p_subject_type, p_subject_id) done.
create function private.finish_tasks(p_subject_type text, p_subject_id uuid)
returns void
language sql
security definer
set search_path = ''
as $$
  update public.notifications n set done_at = now()
  where n.subject_id = p_subject_id and n.subject_type = p_subject_type and n.done_at is null
$$;

create function private.finish_tasks_of_subject()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  -- tg_argv: subject type, the status that needs action.
  subject_type text := tg_argv[0];
  waiting text := tg_argv[1];
begin
  if tg_op = 'DELETE' then
    perform private.finish_tasks(subject_type, old.id);
    return old;
  end if;
  if (to_jsonb(old) ->> 'status') = waiting and (to_jsonb(new) ->> 'status') is distinct from waiting then
    perform private.finish_tasks(subject_type, new.id);
  end if;
  return new;
end;
$$;

create trigger profiles_finish_tasks
  after update of status or delete on public.profiles
  for each row execute function private.finish_tasks_of_subject('profile', 'pending');
create trigger memberships_finish_tasks
  after update of status or delete on public.memberships
  for each row execute function private.finish_tasks_of_subject('membership', 'requested');
create trigger service_offers_finish_tasks
  after update of status or delete on public.service_offers
  for each row execute function private.finish_tasks_of_subject('service_offer', 'offered');

revoke all on function private.task_subject(public.notification_kind, text), private.notifications_link_subject(),
  private.finish_tasks(text, uuid), private.finish_tasks_of_subject()
  from public;

-- Existing notifications: link them, and close the tasks whose subject is decided or gone.
update public.notifications n
set subject_type = s.subject_type, subject_id = s.subject_id
from (select x.id, t.subject_type, t.subject_id
      from public.notifications x cross join lateral private.task_subject(x.kind, x.link) t
      where x.subject_id is null) s
where n.id = s.id;

update public.notifications n set done_at = now()
where n.done_at is null and n.subject_id is not null
  and case n.subject_type
    when 'profile' then not exists (select 1 from public.profiles p where p.id = n.subject_id and p.status = 'pending')
    when 'membership' then not exists (select 1 from public.memberships m where m.id = n.subject_id and m.status = 'requested')
    when 'service_offer' then not exists (select 1 from public.service_offers f where f.id = n.subject_id and f.status = 'offered')
    else false
  end;

create or replace function public.my_access()
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  me uuid := (select auth.uid());
  person public.profiles%rowtype;
begin
  if me is null then
    perform private.fail('42501', 'Sign in to see your access.', 'my_access needs a signed-in user''s token, not the anon or service key.');
  end if;
  select * into person from public.profiles p where p.id = me;
  if not found then
    perform private.fail('PT404', 'There is no account for this sign-in.', 'Sign out and sign in again, or register.');
  end if;

  -- A disabled account reaches nothing: its status, and empty lists.
  if person.status = 'disabled' then
    return jsonb_build_object(
      'profile_id', person.id, 'email', person.email, 'full_name', person.full_name, 'status', person.status,
      'platform_roles', '[]'::jsonb, 'memberships', '[]'::jsonb, 'unread_notifications', 0);
  end if;

  return jsonb_build_object(
    'profile_id', person.id,
    'email', person.email,
    'full_name', person.full_name,
    'status', person.status,
    -- Platform roles count only for an active account (as in the access token).
    'platform_roles', case when person.status = 'active' then coalesce((
        select jsonb_agg(r.role order by r.role) from public.platform_roles r where r.profile_id = me), '[]'::jsonb)
      else '[]'::jsonb end,
    'memberships', coalesce((
      select jsonb_agg(jsonb_build_object(
               'membership_id', m.id,
               'organisation_id', o.id,
               'ods_code', o.ods_code,
               'name', o.name,
               'type', o.type,
               'side', case when private.is_commissioner_type(o.type) then 'commissioner' else 'provider' end,
               'roles', to_jsonb(m.roles),
               'status', m.status,
               'approval_mode', s.approval_mode,
               'clusters', coalesce((
                 select jsonb_agg(jsonb_build_object('id', c.id, 'short_name', c.short_name, 'name', c.name) order by c.short_name)
                 from public.cluster_assignments ca
                 join public.clusters c on c.id = ca.cluster_id
                 where ca.membership_id = m.id), '[]'::jsonb))
             order by o.name, o.ods_code)
      from public.memberships m
      join public.organisations o on o.id = m.organisation_id
      left join public.practice_settings s on s.organisation_id = o.id
      where m.profile_id = me), '[]'::jsonb),
    'unread_notifications', (
      select count(*) from public.notifications n where n.recipient_id = me and n.read_at is null and n.done_at is null));
end;
$$;
