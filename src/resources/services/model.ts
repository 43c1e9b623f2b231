// The service catalogue as the pages read and write it (tables of
// …_quality_services.sql). The database is the authority on every rule; the
// forms repeat the simple ones (dates inside the financial year, what each
// component kind needs, accepted file types) so people hear about them sooner.
import type { Dayjs } from 'dayjs';
import type { Enums, Tables } from '../../types/database.ts';

export type QualityService = Tables<'quality_services'>;
export type ServiceComponent = Tables<'service_components'>;
export type ServiceQuestion = Tables<'service_questions'>;
export type ClaimWindow = Tables<'claim_windows'>;
export type IndicatorGroup = Tables<'indicator_groups'>;
export type Indicator = Tables<'indicators'>;
export type AchievementDate = Tables<'achievement_dates'>;
export type ServiceKind = Enums<'service_kind'>;
export type ComponentKind = Enums<'component_kind'>;
export type QuestionKind = Enums<'question_kind'>;
export type PaymentBasis = Enums<'indicator_payment_basis'>;
export type ClaimMode = Enums<'claim_submission_mode'>;

export const QUALITY_SERVICES = 'quality_services';
export const SERVICE_COMPONENTS = 'service_components';
export const SERVICE_QUESTIONS = 'service_questions';
export const CLAIM_WINDOWS = 'claim_windows';
export const INDICATOR_GROUPS = 'indicator_groups';
export const INDICATORS = 'indicators';
export const ACHIEVEMENT_DATES = 'achievement_dates';

export const SERVICE_KINDS: readonly ServiceKind[] = ['local', 'national'];
export const COMPONENT_KINDS: readonly ComponentKind[] = ['unit', 'retainer', 'participation'];
export const QUESTION_KINDS: readonly QuestionKind[] = ['yes_no_must_be_yes', 'free_text', 'number', 'date'];
export const PAYMENT_BASES: readonly PaymentBasis[] = ['per_point', 'per_unit'];

/** File types a claim's evidence may have (service_components_file_types). */
export const EVIDENCE_FILE_TYPES = ['pdf', 'doc', 'docx', 'xls', 'xlsx', 'odt', 'ods'] as const;
export type EvidenceFileType = (typeof EVIDENCE_FILE_TYPES)[number];

/** Payment types commissioners use, by kind of service; the field accepts others too (not a national one on a local service). */
export const PAYMENT_TYPES_BY_KIND: Record<ServiceKind, readonly string[]> = {
  local: ['Local Enhanced Service', 'Local Incentive Scheme'],
  national: ['Directed Enhanced Service', 'Quality and Outcomes Framework', 'Vaccinations and Immunisations'],
};
export const PAYMENT_TYPE_SUGGESTIONS = [...PAYMENT_TYPES_BY_KIND.local, ...PAYMENT_TYPES_BY_KIND.national] as const;

/**
 * A national payment type (QOF, DES, V&I, however written), which a local service cannot take: the
 * browser's copy of private.is_national_payment_type (tests/shared/payment-type-cases.ts runs both).
 */
export function isNationalPaymentType(paymentType: string): boolean {
  const lower = paymentType.toLowerCase();
  return (
    /(^|[^a-z0-9_])(qof|des|v ?(&|and) ?i)(?![a-z0-9_])/.test(lower) ||
    /(quality(and)?outcomesframework|directedenhancedservice|vaccinations?(and)?immuni[sz]ations?)/.test(lower.replace(/[^a-z]/g, ''))
  );
}

export const SERVICE_NAME_MIN = 3;
export const SERVICE_NAME_MAX = 200;
export const SERVICE_DESCRIPTION_MAX = 4000;
export const PAYMENT_TYPE_MAX = 100;
export const TEXT_MAX = 4000;
export const QUESTION_MIN = 3;
export const QUESTION_MAX = 500;
export const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,29}$/;

/** A date field's value: antd's DatePicker gives a Dayjs. */
export type DateValue = Dayjs | null | undefined;

/** Whether a claim window is open on `today` (YYYY-MM-DD): opens_on ≤ today ≤ closes_on. */
export function windowState(window: Pick<ClaimWindow, 'opens_on' | 'closes_on'>, today: string): 'open' | 'upcoming' | 'closed' {
  if (today < window.opens_on) return 'upcoming';
  if (today > window.closes_on) return 'closed';
  return 'open';
}
