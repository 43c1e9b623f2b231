// How many claims wait for the review steps the caller holds (issue 13), from
// public.claim_review_counts(): one cheap read, shown beside "Claims review"
// in the menu. Asked again every 30 seconds, when the window regains focus,
// and at once after the caller approves or declines (refreshReviewCounts).
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { Badge } from 'antd';
import { useCallback } from 'react';
import { useAreaText } from '../../components/area-text.ts';
import { callRpc } from '../../components/rpc.ts';
import type { PortalContext } from '../../providers/access.ts';
import { NHS_BLUE } from '../../theme.ts';
import type { ClaimStatus } from '../claims/model.ts';
import dictionary from './i18n.ts';
import { statusOfStep, stepsOf } from './model.ts';

export const REVIEW_COUNTS_QUERY_KEY = ['claim_review_counts'] as const;
/** As often as the header's bell asks for the unread count. */
export const REVIEW_COUNTS_POLL_MS = 30_000;

type CountRow = { status: ClaimStatus; waiting: number };

/** Waiting claims per status (every review status present, 0 when none), or undefined while unknown. */
export function useReviewCounts(enabled: boolean): Partial<Record<ClaimStatus, number>> | undefined {
  const query = useQuery({
    queryKey: REVIEW_COUNTS_QUERY_KEY,
    queryFn: async () => {
      const rows = (await callRpc<CountRow[] | null>('claim_review_counts')) ?? [];
      return Object.fromEntries(rows.map((row) => [row.status, row.waiting])) as Partial<Record<ClaimStatus, number>>;
    },
    enabled,
    refetchInterval: REVIEW_COUNTS_POLL_MS,
    refetchOnWindowFocus: true,
  });
  return query.isSuccess ? query.data : undefined;
}

/** Ask for the counts again now (after an approval or a decline). */
export function refreshReviewCounts(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({ queryKey: REVIEW_COUNTS_QUERY_KEY });
}

export function useRefreshReviewCounts(): () => Promise<void> {
  const queryClient = useQueryClient();
  return useCallback(() => refreshReviewCounts(queryClient), [queryClient]);
}

/**
 * The menu entry's count: the claims waiting for the steps this context's
 * roles hold. Nothing while unknown or when none wait; screen readers hear
 * "Claims review (3 waiting for you)".
 */
export function ClaimsReviewMenuCount({ context }: { context: PortalContext | undefined }) {
  const text = useAreaText(dictionary);
  const steps = stepsOf(context?.roles ?? []);
  const counts = useReviewCounts(steps.length > 0);
  const waiting = counts ? steps.reduce((sum, step) => sum + (counts[statusOfStep(step)] ?? 0), 0) : 0;
  if (waiting === 0) return null;
  return (
    <>
      {/* NHS blue, not antd's red: white on it keeps the contrast axe asks for. */}
      <span aria-hidden="true" data-testid="claims-review-menu-count">
        <Badge count={waiting} overflowCount={999} color={NHS_BLUE} style={{ marginInlineStart: 8 }} />
      </span>
      <span className="visually-hidden">
        {' '}
        {text('claimsReview.menu.waiting', { n: waiting })}
      </span>
    </>
  );
}
