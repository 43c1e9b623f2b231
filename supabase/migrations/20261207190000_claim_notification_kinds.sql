-- Issue 12 (local claims, part 1): the notification kinds claims queue. In a
-- migration of their own because a new enum value cannot be used in the
-- transaction that adds it (the claims migration's functions name them).
--
-- Tasks (someone must act): claim_awaiting_provider_approval (a two-step
-- practice's Provider Approvers), claim_returned and claim_quarantined (the
-- submitter edits and submits again), claim_awaiting_review (the
-- commissioner's Approver Tier 1). Notification: claim_system_reviewed (the
-- evidence passed the system review).

alter type public.notification_kind add value if not exists 'claim_awaiting_provider_approval';
alter type public.notification_kind add value if not exists 'claim_returned';
alter type public.notification_kind add value if not exists 'claim_quarantined';
alter type public.notification_kind add value if not exists 'claim_system_reviewed';
alter type public.notification_kind add value if not exists 'claim_awaiting_review';
