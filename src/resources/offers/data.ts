// Reads of the offer pages: the services the caller sees (RLS: the
// commissioner's catalogue, or the services offered to a provider) and their
// offers (RLS: offers to providers the caller reaches). Small sets: one request
// each, without paging.
import { useList, type CrudFilter, type HttpError } from '@refinedev/core';
import { useMemo } from 'react';
import { OFFER_SELECT, QUALITY_SERVICES, SERVICE_OFFERS, SERVICE_SELECT, type Offer, type QualityService } from './model.ts';

export function useVisibleServices() {
  const { result, query } = useList<QualityService, HttpError>({
    resource: QUALITY_SERVICES,
    pagination: { mode: 'off' },
    sorters: [
      { field: 'financial_year', order: 'desc' },
      { field: 'name', order: 'asc' },
    ],
    meta: { select: SERVICE_SELECT },
    errorNotification: false,
  });
  const services = query.isSuccess ? result.data : undefined;
  const years = useMemo(() => [...new Set((services ?? []).map((s) => s.financial_year))], [services]);
  return { services, years, isLoading: query.isLoading, error: query.error ?? null, refetch: () => void query.refetch() };
}

/** Offers matching the filters (e.g. service_id in […], provider_id eq …); disabled while `enabled` is false. */
export function useOffers(filters: CrudFilter[], enabled = true) {
  const { result, query } = useList<Offer, HttpError>({
    resource: SERVICE_OFFERS,
    pagination: { mode: 'off' },
    filters,
    sorters: [{ field: 'offered_at', order: 'desc' }],
    meta: { select: OFFER_SELECT },
    queryOptions: { enabled },
    errorNotification: false,
  });
  return {
    offers: enabled ? (query.isSuccess ? result.data : undefined) : [],
    isLoading: enabled && query.isLoading,
    error: query.error ?? null,
    refetch: () => void query.refetch(),
  };
}
