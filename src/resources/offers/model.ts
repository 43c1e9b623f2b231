// Offers of quality services as the offer pages read them (service_offers
// with the service and the provider embedded), the state machine's rules the
// buttons follow (public.withdraw_offers / cancel_offers decide), and the
// offer's date rules (public.offer_service decides; the wizard answers sooner).
import type { Enums, Tables } from '../../types/database.ts';
import { financialYearOf } from '../../lib/financial-year.ts';
import { todayInLondon } from '../../lib/calendar-dates.ts';

export type OfferStatus = Enums<'offer_status'>;
export const OFFER_STATUSES: readonly OfferStatus[] = ['offered', 'approved', 'rejected', 'cancelled'];

export const SERVICE_OFFERS = 'service_offers';
export const QUALITY_SERVICES = 'quality_services';

export type QualityService = Pick<
  Tables<'quality_services'>,
  'id' | 'name' | 'kind' | 'financial_year' | 'payment_type' | 'commissioner_id' | 'starts_on' | 'ends_on' | 'description' | 'participation_only'
> & { commissioner: { ods_code: string; name: string } | null };

export const SERVICE_SELECT =
  'id,name,kind,financial_year,payment_type,commissioner_id,starts_on,ends_on,description,participation_only,commissioner:organisations!commissioner_id(ods_code,name)';

export interface OfferProvider {
  id: string;
  ods_code: string;
  name: string;
  type: Enums<'organisation_type'>;
}

export type Offer = Pick<
  Tables<'service_offers'>,
  | 'id'
  | 'service_id'
  | 'provider_id'
  | 'starts_on'
  | 'ends_on'
  | 'respond_by'
  | 'target_date'
  | 'status'
  | 'withdrawn'
  | 'decision_reason'
  | 'offered_at'
  | 'decided_at'
  | 'cancelled_at'
> & { provider: OfferProvider | null };

export const OFFER_SELECT =
  'id,service_id,provider_id,starts_on,ends_on,respond_by,target_date,status,withdrawn,decision_reason,offered_at,decided_at,cancelled_at,provider:organisations!provider_id(id,ods_code,name,type)';

/** Only offered services can be withdrawn (→ cancelled, withdrawn). */
export function canWithdraw(offer: Pick<Offer, 'status'>): boolean {
  return offer.status === 'offered';
}

/** Only approved or rejected services can be cancelled. */
export function canCancel(offer: Pick<Offer, 'status'>): boolean {
  return offer.status === 'approved' || offer.status === 'rejected';
}

/** The financial year today falls in (London). */
export function currentFinancialYear(): string {
  return financialYearOf(todayInLondon());
}

/**
 * The year a list opens on: the current financial year; when it has nothing
 * yet but earlier years do (e.g. just after 1 April), the latest year with
 * services, so the page is not empty. The page says which it chose.
 */
export function preferredYear(yearsWithServices: readonly string[], current: string): string {
  if (yearsWithServices.includes(current) || yearsWithServices.length === 0) return current;
  const earlier = [...yearsWithServices].filter((year) => year < current).sort();
  return earlier.at(-1) ?? [...yearsWithServices].sort()[0]!;
}

/** Every year with services, plus the current one, newest first. */
export function yearOptions(yearsWithServices: readonly string[], current: string): string[] {
  return [...new Set([current, ...yearsWithServices])].sort().reverse();
}

export interface OfferDates {
  starts_on?: string;
  ends_on?: string;
  respond_by?: string;
  target_date?: string;
}

export type OfferDateField = keyof OfferDates;

export type OfferDateProblem =
  | { field: OfferDateField; kind: 'required' }
  | { field: OfferDateField; kind: 'outside' }
  | { field: 'ends_on'; kind: 'endBeforeStart' }
  | { field: 'respond_by'; kind: 'responseAfterEnd' };

/** The same checks as offer_service, in its order, per field (YYYY-MM-DD strings compare as dates). */
export function offerDateProblems(dates: OfferDates, service: Pick<QualityService, 'starts_on' | 'ends_on'>): OfferDateProblem[] {
  const problems: OfferDateProblem[] = [];
  const fields: OfferDateField[] = ['starts_on', 'ends_on', 'respond_by', 'target_date'];
  for (const field of fields) {
    const value = dates[field];
    if (!value) problems.push({ field, kind: 'required' });
    else if (value < service.starts_on || value > service.ends_on) problems.push({ field, kind: 'outside' });
  }
  // Order rules only between dates that are there and inside the service.
  const usable = new Set(fields.filter((field) => !problems.some((p) => p.field === field)));
  if (dates.starts_on && dates.ends_on && usable.has('starts_on') && usable.has('ends_on') && dates.starts_on > dates.ends_on) {
    problems.push({ field: 'ends_on', kind: 'endBeforeStart' });
  }
  if (dates.respond_by && dates.ends_on && usable.has('respond_by') && usable.has('ends_on') && dates.respond_by > dates.ends_on) {
    problems.push({ field: 'respond_by', kind: 'responseAfterEnd' });
  }
  return problems;
}
