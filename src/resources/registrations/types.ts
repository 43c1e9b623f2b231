// Rows of the views behind the decision queues (supabase/migrations/*_people_administration.sql).
// Written out here because the queues only read these columns; the database
// decides which rows the caller sees (only requests they may decide).
import type { AppRole, OrganisationType } from '../../providers/access.ts';

/** public.pending_registrations: one row per pending registration the caller may decide. */
export interface PendingRegistration {
  profile_id: string;
  full_name: string | null;
  email: string | null;
  generic_mailbox: boolean;
  registered_at: string;
  /** Null when the registration asked for no (valid) organisation; only the Support Desk sees those. */
  membership_id: string | null;
  organisation_id: string | null;
  ods_code: string | null;
  organisation_name: string | null;
  organisation_type: OrganisationType | null;
  roles: AppRole[] | null;
  /** Administrator roles at a commissioner: only the Support Desk decides. */
  commissioner_administrator: boolean;
}

/** public.pending_access_requests: one row per requested membership of an active account the caller may decide. */
export interface PendingAccessRequest {
  membership_id: string;
  profile_id: string;
  full_name: string | null;
  email: string | null;
  requested_at: string;
  organisation_id: string;
  ods_code: string | null;
  organisation_name: string;
  organisation_type: OrganisationType;
  roles: AppRole[];
}

/** The data-provider resources (views) the pages read; the Refine resources are `registrations` and `access-requests`. */
export const PENDING_REGISTRATIONS_VIEW = 'pending_registrations';
export const PENDING_ACCESS_REQUESTS_VIEW = 'pending_access_requests';
