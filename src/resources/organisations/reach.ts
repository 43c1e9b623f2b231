// Every organisation the signed-in person reaches, from the view
// `my_organisations` (RLS-aware: the organisations table itself is readable by
// anyone, so pages about reach never read it). Fetched in pages of 1,000 (the
// API's row limit) until all have arrived: an ICB is a few hundred rows, the
// Support Desk's whole country a few thousand.
import { useInfiniteList, type HttpError } from '@refinedev/core';
import { useEffect, useMemo } from 'react';
import { currentPcnByPractice, type CurrentPcn, type ReachableOrganisation } from './tree.ts';

export const MY_ORGANISATIONS = 'my_organisations';
/** Today's PCN of each practice the person may see (view, RLS of pcn_memberships). */
export const CURRENT_PCN_MEMBERSHIPS = 'current_pcn_memberships';
export const REACH_SELECT = 'id,ods_code,name,type,parent_id';
const PAGE_SIZE = 1000;

export interface ReachResult {
  organisations: ReachableOrganisation[] | undefined;
  isLoading: boolean;
  error: HttpError | null;
  refetch: () => void;
}

export function useReachableOrganisations(): ReachResult {
  const { query, result } = useInfiniteList<ReachableOrganisation, HttpError>({
    resource: MY_ORGANISATIONS,
    pagination: { currentPage: 1, pageSize: PAGE_SIZE, mode: 'server' },
    // A unique last key keeps the pages stable while they are fetched.
    sorters: [
      { field: 'name', order: 'asc' },
      { field: 'id', order: 'asc' },
    ],
    meta: { select: REACH_SELECT },
    // The pages show the error themselves (an Alert with "Try again").
    errorNotification: false,
  });
  const { hasNextPage, isFetching, isError, fetchNextPage } = query;

  const pages = result.data?.pages;
  const pageCount = pages?.length ?? 0;

  // One page after the other until the last has arrived (the page count is a
  // dependency: a fetch can finish without a render that shows it fetching).
  useEffect(() => {
    if (hasNextPage && !isFetching && !isError) void fetchNextPage();
  }, [hasNextPage, isFetching, isError, fetchNextPage, pageCount]);

  const organisations = useMemo(() => (pages ? pages.flatMap((page) => page.data) : undefined), [pages]);
  const complete = organisations !== undefined && !hasNextPage;

  return {
    organisations: complete ? organisations : undefined,
    isLoading: !isError && !complete,
    error: query.error ?? null,
    refetch: () => void query.refetch(),
  };
}

/**
 * Today's PCN of every practice in view (`current_pcn_memberships`), by
 * practice id; fetched in pages like the reach. Empty while loading or if it
 * cannot be read: the tree then simply shows no PCN.
 */
export function useCurrentPcns(): { byPractice: ReadonlyMap<string, CurrentPcn>; error: HttpError | null } {
  const { query, result } = useInfiniteList<CurrentPcn, HttpError>({
    resource: CURRENT_PCN_MEMBERSHIPS,
    pagination: { currentPage: 1, pageSize: PAGE_SIZE, mode: 'server' },
    sorters: [{ field: 'practice_id', order: 'asc' }],
    meta: { select: 'practice_id,pcn_id,pcn_ods_code,pcn_name,valid_from' },
    errorNotification: false,
  });
  const { hasNextPage, isFetching, isError, fetchNextPage } = query;
  const pages = result.data?.pages;
  const pageCount = pages?.length ?? 0;
  useEffect(() => {
    if (hasNextPage && !isFetching && !isError) void fetchNextPage();
  }, [hasNextPage, isFetching, isError, fetchNextPage, pageCount]);
  const byPractice = useMemo(() => currentPcnByPractice(pages ? pages.flatMap((page) => page.data) : []), [pages]);
  return { byPractice, error: query.error ?? null };
}
