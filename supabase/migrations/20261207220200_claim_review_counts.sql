-- Issue 13 (local claims, part 2): how many claims wait for each review step
-- the caller holds, for the portal's menu ("Claims review 3") — one cheap
-- read instead of loading the queues.
--
-- A claim counts for a step when it waits in that step's status and the
-- caller holds the step's role over its provider (clusters respected, as
-- private.approve_one_claim decides), so a Tier 1 reviewer limited to a
-- cluster counts only the cluster's claims and Southvale nothing of
-- Northshire. The count is of what waits in the queue, as its tab shows it:
-- a claim the caller may not decide (their own submission, their own Tier 1
-- approval at Tier 2) waits there too, and is refused with the reason.

create function public.claim_review_counts()
returns table (status public.claim_status, waiting integer)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  -- An inactive or unknown caller holds no role: organisations_with_role is empty, every count 0.
  return query
  select s.status,
         (select count(*)::integer from public.claims c
          where c.status = s.status
            and c.provider_id = any (array(select private.organisations_with_role(s.roles))))
  from (values
    (1, 'pending_tier1_review'::public.claim_status, '{approver_tier_1}'::public.app_role[]),
    (2, 'pending_tier2_review'::public.claim_status, '{approver_tier_2}'::public.app_role[]),
    (3, 'pending_finance_approval'::public.claim_status, '{finance,finance_management}'::public.app_role[])
  ) as s (position, status, roles)
  order by s.position;
end;
$$;
comment on function public.claim_review_counts() is
  'Claims waiting at each review step (pending_tier1_review, pending_tier2_review, pending_finance_approval) among the providers the caller holds that step''s role over (clusters respected); 0 for a step the caller does not hold.';

revoke all on function public.claim_review_counts() from public, anon;
grant execute on function public.claim_review_counts() to authenticated;
