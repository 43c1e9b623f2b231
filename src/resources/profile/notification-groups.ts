// Kinds of message grouped for the notification preferences on the profile
// page. Pure. A kind added later and not listed here falls into "Other
// messages", so it can still be chosen. The always-emailed kinds are those of
// private.always_emailed_kinds() in the database (which refuses them).
import { Constants, type Database } from '../../types/database.ts';

export type NotificationKind = Database['public']['Enums']['notification_kind'];
export type NotificationDelivery = Database['public']['Enums']['notification_delivery'];

export const ALWAYS_EMAILED_KINDS: readonly NotificationKind[] = [
  'invitation',
  'registration_approved',
  'registration_rejected',
  'account_disabled',
  'account_enabled',
];

export interface NotificationGroup {
  key: 'tasks' | 'access' | 'organisations' | 'services' | 'achievement' | 'other';
  kinds: NotificationKind[];
}

const LISTED: Array<{ key: NotificationGroup['key']; kinds: readonly NotificationKind[] }> = [
  { key: 'tasks', kinds: ['registration_waiting', 'access_request_waiting', 'service_offered'] },
  {
    key: 'access',
    kinds: [
      'access_request_approved',
      'access_request_rejected',
      'membership_added',
      'membership_revoked',
      'membership_enabled',
      'roles_changed',
      'cluster_assigned',
      'cluster_unassigned',
    ],
  },
  { key: 'organisations', kinds: ['cluster_changed', 'pcn_membership_changed'] },
  { key: 'services', kinds: ['offer_rejected', 'offer_withdrawn', 'offer_cancelled'] },
  {
    key: 'achievement',
    kinds: [
      'declaration_awaiting',
      'declaration_awaiting_approval',
      'declaration_awaiting_finance',
      'network_achievement_awaited',
      'declaration_approved',
      'declaration_recalculated',
    ],
  },
];

/** The groups of kinds a person may choose for (always-emailed kinds left out), empty groups dropped. */
export function notificationGroups(allKinds: readonly string[] = Constants.public.Enums.notification_kind): NotificationGroup[] {
  const known = new Set(allKinds);
  const listed = new Set<string>(LISTED.flatMap((group) => group.kinds));
  const groups: NotificationGroup[] = LISTED.map((group) => ({ key: group.key, kinds: group.kinds.filter((kind) => known.has(kind)) }));
  groups.push({
    key: 'other',
    kinds: allKinds.filter(
      (kind) => !listed.has(kind) && !(ALWAYS_EMAILED_KINDS as readonly string[]).includes(kind),
    ) as NotificationKind[],
  });
  return groups.filter((group) => group.kinds.length > 0);
}

/** A person's choice for a kind: their row, else email. */
export function deliveryOf(
  kind: string,
  preferences: ReadonlyArray<{ kind: string; delivery: NotificationDelivery }>,
): NotificationDelivery {
  return preferences.find((p) => p.kind === kind)?.delivery ?? 'email';
}
