-- Issue 11: email notification preferences. Every person chooses, per kind of
-- message, "email" (the default) or "portal only". A portal-only
-- notification still appears in the message centre; it is never emailed:
-- notifications.email_skipped_at is stamped instead of emailed_at (when it is
-- queued, by trigger, and again by the sender if the preference changed in
-- between), so the sender never picks it up again.
--
--   * public.notification_preferences: (person, kind) → delivery; no row =
--     email. A person reads their own rows (RLS); rows change only through
--     public.set_notification_preferences (audited).
--   * A few kinds are always emailed (private.always_emailed_kinds()): the
--     invitation, the registration decision and account disable/enable —
--     a person who cannot sign in must still hear about their account.

create type public.notification_delivery as enum ('email', 'portal_only');

create table public.notification_preferences (
  profile_id uuid not null references public.profiles (id) on delete cascade,
  kind public.notification_kind not null,
  delivery public.notification_delivery not null,
  updated_at timestamptz not null default now(),
  primary key (profile_id, kind)
);
comment on table public.notification_preferences is
  'How a person wants each kind of notification: email (default when there is no row) or portal only. Own rows; changed through public.set_notification_preferences.';

alter table public.notifications add column email_skipped_at timestamptz;
comment on column public.notifications.email_skipped_at is
  'Set when the recipient wants this kind in the portal only: the email is not sent (and never retried). The message centre still lists the row.';

-- The sender reads rows neither emailed nor skipped.
drop index public.notifications_unsent_idx;
create index notifications_unsent_idx on public.notifications (created_at) where emailed_at is null and email_skipped_at is null;

create function private.always_emailed_kinds()
returns public.notification_kind[]
language sql
immutable
set search_path = ''
as $$
  select '{invitation,registration_approved,registration_rejected,account_disabled,account_enabled}'::public.notification_kind[]
$$;
comment on function private.always_emailed_kinds() is
  'Kinds emailed whatever the preference: a person who cannot (yet) sign in must hear about their account.';

-- Does this person want this kind in the portal only?
create function private.wants_portal_only(p_profile_id uuid, p_kind public.notification_kind)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select p_kind <> all (private.always_emailed_kinds())
     and exists (
       select 1 from public.notification_preferences np
       where np.profile_id = p_profile_id and np.kind = p_kind and np.delivery = 'portal_only')
$$;

create function private.notifications_apply_preference()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.emailed_at is null and new.email_skipped_at is null and private.wants_portal_only(new.recipient_id, new.kind) then
    new.email_skipped_at := now();
  end if;
  return new;
end;
$$;

create trigger notifications_apply_preference
  before insert on public.notifications
  for each row execute function private.notifications_apply_preference();

-- ---------------------------------------------------------------- the action

create function public.set_notification_preferences(p_kinds public.notification_kind[], p_delivery public.notification_delivery)
returns setof public.notification_preferences
language plpgsql
security definer
set search_path = ''
as $$
declare
  me uuid := private.require_active_caller();
  fixed public.notification_kind;
  before_rows jsonb;
  after_rows jsonb;
begin
  if p_kinds is null or cardinality(p_kinds) = 0 or array_position(p_kinds, null) is not null then
    perform private.fail('22023', 'Choose at least one kind of message.', 'Kinds are values of public.notification_kind, e.g. {roles_changed}.');
  end if;
  if p_delivery is null then
    perform private.fail('22023', 'Choose how to receive these messages: email or portal_only.', 'portal_only: in the portal''s messages, never emailed.');
  end if;
  select k into fixed from unnest(p_kinds) k where k = any (private.always_emailed_kinds()) limit 1;
  if fixed is not null then
    perform private.fail('22023', format('Messages of kind %s are always emailed.', fixed),
      'Invitations, registration decisions and account disable/enable are always emailed; choose other kinds.');
  end if;

  select coalesce(jsonb_agg(to_jsonb(np) order by np.kind), '[]') into before_rows
  from public.notification_preferences np where np.profile_id = me and np.kind = any (p_kinds);
  insert into public.notification_preferences (profile_id, kind, delivery)
  select me, k, p_delivery from (select distinct unnest(p_kinds) as k) kinds
  on conflict (profile_id, kind) do update set delivery = excluded.delivery, updated_at = now();
  select coalesce(jsonb_agg(to_jsonb(np) order by np.kind), '[]') into after_rows
  from public.notification_preferences np where np.profile_id = me and np.kind = any (p_kinds);
  if before_rows is distinct from after_rows then
    perform private.write_audit('notification_preferences.set', 'profile', me::text, null, me, before_rows, after_rows, null);
  end if;
  return query select * from public.notification_preferences np where np.profile_id = me order by np.kind;
end;
$$;
comment on function public.set_notification_preferences(public.notification_kind[], public.notification_delivery) is
  'The caller (an active account) chooses email or portal_only for kinds of notification. Always-emailed kinds are refused. Audited when something changes. Returns all the caller''s preferences.';

-- ---------------------------------------------------------------- policies

alter table public.notification_preferences enable row level security;
create policy "People read their own notification preferences"
  on public.notification_preferences for select to authenticated
  using (profile_id = (select auth.uid()) and (select private.caller_not_disabled()));

revoke all on public.notification_preferences from anon, authenticated;
grant select on public.notification_preferences to authenticated;

revoke all on function private.always_emailed_kinds(), private.wants_portal_only(uuid, public.notification_kind),
  private.notifications_apply_preference() from public;
revoke all on function public.set_notification_preferences(public.notification_kind[], public.notification_delivery) from public, anon;
grant execute on function public.set_notification_preferences(public.notification_kind[], public.notification_delivery) to authenticated;
