-- Issue 13 (local claims, part 2): notification kinds of payment runs. Own
-- migration: a new enum value cannot be used in the transaction adding it.
--   claim_paid            notification to the claim's submitter: the payment
--                         system acknowledged the run the claim went in;
--   payment_run_rejected  task for the commissioner's Finance: the payment
--                         system rejected a run (its claims wait for a new one);
--   payment_run_flagged   task for the commissioner's Finance: three tries,
--                         no answer — a person must find out why.

alter type public.notification_kind add value if not exists 'claim_paid';
alter type public.notification_kind add value if not exists 'payment_run_rejected';
alter type public.notification_kind add value if not exists 'payment_run_flagged';
