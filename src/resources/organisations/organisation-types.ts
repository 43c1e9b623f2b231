// The `organisation_type` enum as people in the NHS say it. The values come
// from the generated database types, so a new enum value fails the type check
// here until it has a label.
import { Constants, type Enums } from '../../types/database.ts';

export type OrganisationType = Enums<'organisation_type'>;

export const ORGANISATION_TYPES: readonly OrganisationType[] = Constants.public.Enums.organisation_type;

const LABELS: Record<OrganisationType, string> = {
  national: 'National',
  region: 'Region',
  icb: 'ICB',
  sub_icb: 'Sub-ICB location',
  pcn: 'PCN',
  practice: 'GP practice',
  other_provider: 'Other provider',
};

const DESCRIPTIONS: Record<OrganisationType, string> = {
  national: 'National body',
  region: 'NHS England region',
  icb: 'Integrated care board',
  sub_icb: 'Sub-ICB location',
  pcn: 'Primary care network',
  practice: 'GP practice',
  other_provider: 'Other provider',
};

function isOrganisationType(value: string): value is OrganisationType {
  return (ORGANISATION_TYPES as readonly string[]).includes(value);
}

/** "sub_icb" → "Sub-ICB location". Unknown values (a newer enum) are shown tidied, not hidden. */
export function organisationTypeLabel(type: string | null | undefined): string {
  if (!type) return '–';
  if (isOrganisationType(type)) return LABELS[type];
  const words = type.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The abbreviation spelt out, for tooltips. */
export function organisationTypeDescription(type: string | null | undefined): string | undefined {
  return type && isOrganisationType(type) ? DESCRIPTIONS[type] : undefined;
}
