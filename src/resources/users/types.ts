// Rows the users pages read. `user_directory` is a view (security_invoker):
// one row per person the caller may see, with only the memberships the caller
// may see. Declared here as the contract states it, so the pages do not depend
// on when the generated types catch up.
import type { Database } from '../../types/database.ts';
import type { AppRole, OrganisationType } from './roles.ts';

export type AccountStatus = Database['public']['Enums']['account_status'];
export type MembershipStatus = Database['public']['Enums']['membership_status'];
export type DisableReason = Database['public']['Enums']['disable_reason'];

export interface DirectoryMembership {
  membership_id: string;
  organisation_id: string;
  ods_code: string | null;
  name: string;
  type: OrganisationType;
  roles: AppRole[];
  status: MembershipStatus;
}

export interface UserDirectoryRow {
  id: string;
  full_name: string | null;
  email: string | null;
  status: AccountStatus;
  generic_mailbox: boolean;
  created_at: string;
  disabled_reason?: DisableReason | null;
  disabled_reason_text?: string | null;
  organisation_ids: string[];
  roles: AppRole[];
  memberships: DirectoryMembership[] | null;
}

export interface ClusterSummary {
  id: string;
  short_name: string;
  name: string;
}

/** A row of cluster_assignments with its cluster embedded. */
export interface ClusterAssignmentRow {
  membership_id: string;
  cluster_id: string;
  assigned_at: string;
  clusters: ClusterSummary | null;
}

export type AuditEntry = Database['public']['Tables']['audit_log']['Row'];

/** The resource the users pages read (a view; the Refine resource is called `users`). */
export const USER_DIRECTORY = 'user_directory';

/** A person's name for headings: the full name, else the email address. */
export function personLabel(row: Pick<UserDirectoryRow, 'full_name' | 'email'>): string {
  return row.full_name?.trim() || row.email || 'Unnamed person';
}
