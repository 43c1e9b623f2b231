// A provider's offers as My services reads them, and the catalogue rows the
// offer's page shows. RLS decides what a provider sees: offers made to it and
// the services (with their components or indicators) offered.
import type { Tables } from '../../types/database.ts';
import type { Offer, QualityService } from '../offers/model.ts';

export { DECISION_REASON_MAX_LENGTH as REASON_MAX_LENGTH } from '../../components/form-rules.ts';

export type ParticipationOffer = Offer & { service: QualityService | null };

export const PARTICIPATION_SELECT =
  'id,service_id,provider_id,starts_on,ends_on,respond_by,target_date,status,withdrawn,decision_reason,offered_at,decided_at,cancelled_at,' +
  'provider:organisations!provider_id(id,ods_code,name,type),' +
  'service:quality_services!service_id(id,name,kind,financial_year,payment_type,commissioner_id,starts_on,ends_on,description,participation_only,commissioner:organisations!commissioner_id(ods_code,name))';

export type ServiceComponent = Pick<
  Tables<'service_components'>,
  'id' | 'position' | 'name' | 'kind' | 'unit_price' | 'fixed_amount' | 'information' | 'evidence_required' | 'evidence_text' | 'accepted_file_types'
>;
export type IndicatorGroup = Pick<Tables<'indicator_groups'>, 'id' | 'position' | 'code' | 'name'>;
export type Indicator = Pick<
  Tables<'indicators'>,
  'id' | 'group_id' | 'position' | 'code' | 'description' | 'points' | 'payment_basis' | 'payment_rate' | 'lower_threshold' | 'upper_threshold'
>;
export type OfferTariff = Pick<Tables<'offer_tariffs'>, 'component_id' | 'unit_price'>;
