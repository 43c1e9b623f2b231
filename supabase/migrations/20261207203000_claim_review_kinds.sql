-- Issue 13 (local claims, part 2): notification kinds of the review. Own
-- migration: a new enum value cannot be used in the transaction adding it.
--   claim_declined  task for the submitter (edit and resubmit), done when the
--                   claim is resubmitted;
--   claim_approved  notification: the claim is approved for payment.
-- Reviews waiting at Tier 1, Tier 2 and Finance are all claim_awaiting_review tasks.

alter type public.notification_kind add value if not exists 'claim_declined';
alter type public.notification_kind add value if not exists 'claim_approved';
