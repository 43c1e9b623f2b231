-- The reviewers' queues (issue 13) read claims waiting for a review step of
-- the providers the reviewer reaches: the policy gives Postgres that list of
-- providers (private.claim_reviewer_organisations(), some hundreds for an ICB)
-- as provider_id = any(…). With status first, the index was read end to end
-- for each queue (every ICB's waiting claims); provider first, each provider
-- is one probe. tests/bench/review-and-payments.ts measures the queue.
drop index public.claims_review_queue_idx;
create index claims_review_queue_idx on public.claims (provider_id, status, submitted_at)
  where status in ('pending_tier1_review', 'pending_tier2_review', 'pending_finance_approval');
