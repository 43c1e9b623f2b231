-- Tenancy core, part 3: the audit trail and the notifications outbox.
--
--   * audit_log: append-only. Every action function writes to it (through
--     private.write_audit); settings and platform-role changes are recorded by
--     triggers. No role has UPDATE, DELETE or TRUNCATE on it, and triggers
--     refuse them even for the table owner.
--   * notifications: what the action functions tell people (message centre,
--     and email later: an edge function sends rows whose emailed_at is null).
--     A person reads and marks read only their own.

-- ---------------------------------------------------------------- audit trail

create table public.audit_log (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null default now(),
  -- The signed-in person who acted; null for the system (sign-up trigger of
  -- an anonymous visitor, service role, migrations, seed).
  actor_id uuid,
  actor_role text not null,
  action text not null,
  entity_type text not null,
  entity_id text not null,
  -- The organisation the entry concerns (scopes who may read it), if any.
  organisation_id uuid,
  -- The person the entry concerns, if any (they may read it).
  subject_profile_id uuid,
  before jsonb,
  after jsonb,
  reason text,
  constraint audit_log_action_format check (action ~ '^[a-z_]+\.[a-z_]+$'),
  -- Every entry concerns an organisation or a person (that is how it is found and who may read it).
  constraint audit_log_concerns_someone check (organisation_id is not null or subject_profile_id is not null),
  constraint audit_log_entity_type_format check (entity_type ~ '^[a-z_]+$')
);
comment on table public.audit_log is
  'Append-only trail of every state, role, cluster and settings change: who, what, on which entity, before and after (JSON), why, when. Nobody can change or delete it.';

create index audit_log_organisation_idx on public.audit_log (organisation_id, occurred_at desc) where organisation_id is not null;
create index audit_log_subject_idx on public.audit_log (subject_profile_id, occurred_at desc) where subject_profile_id is not null;
create index audit_log_actor_idx on public.audit_log (actor_id, occurred_at desc) where actor_id is not null;
create index audit_log_entity_idx on public.audit_log (entity_type, entity_id, occurred_at desc);

create function private.audit_log_is_append_only()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  raise exception using
    errcode = '42501',
    message = format('The audit trail is append-only: %s is not allowed.', tg_op),
    hint = 'Audit entries are never changed or removed; record a correction as a new entry.';
end;
$$;

create trigger audit_log_no_update_or_delete
  before update or delete on public.audit_log
  for each row execute function private.audit_log_is_append_only();
create trigger audit_log_no_truncate
  before truncate on public.audit_log
  for each statement execute function private.audit_log_is_append_only();

create function private.write_audit(
  p_action text,
  p_entity_type text,
  p_entity_id text,
  p_organisation_id uuid,
  p_subject_profile_id uuid,
  p_before jsonb,
  p_after jsonb,
  p_reason text
)
returns bigint
language sql
security definer
set search_path = ''
as $$
  insert into public.audit_log (actor_id, actor_role, action, entity_type, entity_id, organisation_id, subject_profile_id, before, after, reason)
  values (
    (select auth.uid()),
    coalesce((select auth.jwt() ->> 'role'), 'database'),
    p_action, p_entity_type, p_entity_id, p_organisation_id, p_subject_profile_id, p_before, p_after, p_reason)
  returning id
$$;

-- Row changes of tables edited without an action function (settings through
-- RLS-guarded updates; platform roles by operators) are audited by trigger.
create function private.audit_row_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  row_after jsonb := case when tg_op = 'DELETE' then null else to_jsonb(new) end;
  row_before jsonb := case when tg_op = 'INSERT' then null else to_jsonb(old) end;
  key_row jsonb := coalesce(row_after, row_before);
begin
  if tg_op = 'UPDATE' and row_after = row_before then
    return null;
  end if;
  perform private.write_audit(
    tg_table_name || '.' || lower(tg_op),
    tg_table_name,
    coalesce(key_row ->> 'organisation_id', key_row ->> 'profile_id', key_row ->> 'id'),
    (key_row ->> 'organisation_id')::uuid,
    (key_row ->> 'profile_id')::uuid,
    row_before, row_after, null);
  return null;
end;
$$;

-- Settings rows are created with their defaults together with the organisation;
-- what is worth recording is every later change.
create trigger commissioner_settings_audit
  after update or delete on public.commissioner_settings
  for each row execute function private.audit_row_change();
create trigger practice_settings_audit
  after update or delete on public.practice_settings
  for each row execute function private.audit_row_change();
create trigger platform_roles_audit
  after insert or update or delete on public.platform_roles
  for each row execute function private.audit_row_change();

alter table public.audit_log enable row level security;

-- ---------------------------------------------------------------- notifications outbox

create type public.notification_kind as enum (
  'registration_waiting',
  'registration_approved',
  'registration_rejected',
  'access_request_waiting',
  'access_request_approved',
  'access_request_rejected',
  'invitation',
  'membership_revoked',
  'membership_enabled',
  'roles_changed',
  'account_disabled',
  'account_enabled',
  'cluster_assigned',
  'cluster_unassigned',
  'cluster_changed'
);

create table public.notifications (
  id uuid primary key default gen_random_uuid(),
  recipient_id uuid not null references public.profiles (id) on delete cascade,
  kind public.notification_kind not null,
  subject text not null,
  body text not null,
  -- A path inside the portal, e.g. /registrations/<id>.
  link text,
  created_at timestamptz not null default now(),
  read_at timestamptz,
  emailed_at timestamptz,
  constraint notifications_subject_length check (char_length(subject) between 1 and 200),
  constraint notifications_body_length check (char_length(body) between 1 and 4000),
  constraint notifications_link_is_a_path check (link is null or link ~ '^/([^/].*)?$')
);
comment on table public.notifications is
  'Outbox of messages to people: the message centre lists them; an edge function emails those with emailed_at null and stamps it.';

create index notifications_recipient_idx on public.notifications (recipient_id, created_at desc);
create index notifications_unsent_idx on public.notifications (created_at) where emailed_at is null;

create function private.queue_notification(
  p_recipient_id uuid,
  p_kind public.notification_kind,
  p_subject text,
  p_body text,
  p_link text
)
returns uuid
language sql
security definer
set search_path = ''
as $$
  insert into public.notifications (recipient_id, kind, subject, body, link)
  values (p_recipient_id, p_kind, left(p_subject, 200), left(p_body, 4000), p_link)
  returning id
$$;

alter table public.notifications enable row level security;

-- ---------------------------------------------------------------- privileges

revoke all on public.audit_log, public.notifications from anon, authenticated;
-- Nobody — not even trusted server code — rewrites history, or writes it
-- except through the action functions.
revoke insert, update, delete, truncate on public.audit_log from service_role;
revoke all on sequence public.audit_log_id_seq from anon, authenticated;
revoke all on function private.audit_log_is_append_only(), private.write_audit(text, text, text, uuid, uuid, jsonb, jsonb, text),
  private.audit_row_change(), private.queue_notification(uuid, public.notification_kind, text, text, text)
  from public;
