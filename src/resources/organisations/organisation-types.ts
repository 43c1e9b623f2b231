// The `organisation_type` enum as people in the NHS say it. The values come
// from the generated database types, so a new enum value fails the type check
// here until it has a label. Pages show the shared dictionary's
// `organisationType.*` text (useOrganisationTypeLabel); these labels are its
// fallback and the text for code outside React.
import { Constants, type Enums } from '../../types/database.ts';
import { useCallback } from 'react';
import { useCommonText } from '../../components/area-text.ts';

export type OrganisationType = Enums<'organisation_type'>;

export const ORGANISATION_TYPES: readonly OrganisationType[] = Constants.public.Enums.organisation_type;

/** Types that provide services (may join clusters, hold provider memberships). */
export const PROVIDER_TYPES: readonly OrganisationType[] = ['pcn', 'practice', 'other_provider'];

/** Types that commission services (own clusters, hold commissioner memberships). */
export const COMMISSIONER_TYPES: readonly OrganisationType[] = ['national', 'region', 'icb', 'sub_icb'];

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

/** Tag colours: commissioners in blues, providers in other hues. */
export const ORGANISATION_TYPE_COLOURS: Record<OrganisationType, string> = {
  national: 'blue',
  region: 'blue',
  icb: 'geekblue',
  sub_icb: 'cyan',
  pcn: 'purple',
  practice: 'green',
  other_provider: 'gold',
};

export function isOrganisationType(value: string): value is OrganisationType {
  return (ORGANISATION_TYPES as readonly string[]).includes(value);
}

export function isProviderType(type: string | null | undefined): boolean {
  return !!type && (PROVIDER_TYPES as readonly string[]).includes(type);
}

export function isCommissionerType(type: string | null | undefined): boolean {
  return !!type && (COMMISSIONER_TYPES as readonly string[]).includes(type);
}

/** Sort rank: the tree's order from the national body down to practices. */
export function organisationTypeRank(type: string): number {
  const index = (ORGANISATION_TYPES as readonly string[]).indexOf(type);
  return index < 0 ? ORGANISATION_TYPES.length : index;
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

/** The type's label from the shared dictionary (`organisationType.<type>`). */
export function useOrganisationTypeLabel(): (type: string | null | undefined) => string {
  const common = useCommonText();
  return useCallback(
    (type: string | null | undefined) => (type ? common(`organisationType.${type}`, organisationTypeLabel(type)) : '–'),
    [common],
  );
}
