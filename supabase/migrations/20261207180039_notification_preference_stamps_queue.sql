-- The "portal only" rule was held in two places: this database (stamping a
-- notification email_skipped_at when it is queued) and a copy in the
-- send-notification-emails function (the always-emailed kinds and a second
-- look at the preferences for rows queued before the choice changed). Now the
-- database holds all of it: when a person chooses "portal only" for a kind,
-- their rows of that kind still waiting for the sender are stamped at once, so
-- the sender only ever sees rows that should be emailed.

create function private.notification_preferences_stamp_queue()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.delivery = 'portal_only' and new.kind <> all (private.always_emailed_kinds()) then
    update public.notifications n
    set email_skipped_at = now()
    where n.recipient_id = new.profile_id and n.kind = new.kind
      and n.emailed_at is null and n.email_skipped_at is null;
  end if;
  return new;
end;
$$;
revoke all on function private.notification_preferences_stamp_queue() from public;

create trigger notification_preferences_stamp_queue
  after insert or update of delivery on public.notification_preferences
  for each row execute function private.notification_preferences_stamp_queue();

-- The queued rows of a recipient and kind are found through this index.
create index notifications_unsent_recipient_kind_idx on public.notifications (recipient_id, kind)
  where emailed_at is null and email_skipped_at is null;
