// Reads of the claim pages through Refine (RLS decides the rows) and the
// claim functions that return rows (through callRpc), as react-query queries
// the pages refetch after every action: the amounts shown are always the
// database's.
import { useList, useOne, type BaseRecord, type HttpError } from '@refinedev/core';
import { useQuery } from '@tanstack/react-query';
import { callRpc } from '../../components/rpc.ts';
import {
  CLAIM_ANSWER_SELECT,
  CLAIM_EVIDENCE_SELECT,
  CLAIM_LINE_SELECT,
  CLAIM_SERVICE_SELECT,
  type AvailableService,
  type ClaimAnswer,
  type ClaimEvidence,
  type ClaimLine,
  type ClaimOverview,
  type ClaimServiceRow,
  type ServiceTotal,
  type TimelineEntry,
} from './model.ts';

export const CLAIM_OVERVIEW = 'claim_overview';

/** Rows of one resource filtered by one column (all of them, no paging). */
export function useRowsOf<T>(resource: string, field: string, value: string | readonly string[] | undefined, select: string, sort?: string) {
  const many = Array.isArray(value);
  const enabled = many ? value.length > 0 : Boolean(value);
  const { result, query } = useList<BaseRecord, HttpError>({
    resource,
    pagination: { mode: 'off' },
    filters: [many ? { field, operator: 'in', value: [...value] } : { field, operator: 'eq', value: value ?? '' }],
    sorters: sort ? [{ field: sort, order: 'asc' }] : [],
    meta: { select },
    queryOptions: { enabled },
    errorNotification: false,
  });
  return {
    rows: (enabled ? (query.isSuccess ? result.data : undefined) : []) as unknown as T[] | undefined,
    isLoading: enabled && query.isLoading,
    error: query.error ?? null,
    refetch: () => query.refetch(),
  };
}

export function useClaim(id: string) {
  const { result, query } = useOne<ClaimOverview, HttpError>({ resource: CLAIM_OVERVIEW, id, errorNotification: false });
  return { claim: result, isLoading: query.isLoading, error: query.error ?? null, refetch: () => query.refetch() };
}

/** Everything on one claim: services, lines, totals per service, answers, files. */
export function useClaimContents(claimId: string) {
  const services = useRowsOf<ClaimServiceRow>('claim_services', 'claim_id', claimId, CLAIM_SERVICE_SELECT);
  const lines = useRowsOf<ClaimLine>('claim_lines', 'claim_id', claimId, CLAIM_LINE_SELECT, 'position');
  const totals = useRowsOf<ServiceTotal>('claim_service_totals', 'claim_id', claimId, 'claim_id,service_id,total,line_count');
  const answers = useRowsOf<ClaimAnswer>('claim_answers', 'claim_id', claimId, CLAIM_ANSWER_SELECT);
  const evidence = useRowsOf<ClaimEvidence>('claim_evidence', 'claim_id', claimId, CLAIM_EVIDENCE_SELECT, 'uploaded_at');
  const parts = [services, lines, totals, answers, evidence];
  return {
    services: services.rows,
    lines: lines.rows,
    totals: totals.rows,
    answers: answers.rows,
    evidence: evidence.rows,
    isLoading: parts.some((part) => part.isLoading),
    error: parts.find((part) => part.error)?.error ?? null,
    refetch: () => Promise.all(parts.map((part) => part.refetch())),
  };
}

export function useAvailableServices(claimId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['claim_available_services', claimId],
    queryFn: () => callRpc<AvailableService[]>('claim_available_services', { p_claim_id: claimId }),
    enabled,
    retry: false,
  });
}

export function useTimeline(claimId: string) {
  return useQuery({
    queryKey: ['claim_timeline', claimId],
    queryFn: () => callRpc<TimelineEntry[]>('claim_timeline', { p_claim_id: claimId }),
    retry: false,
  });
}
