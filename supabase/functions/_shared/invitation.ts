// What an invitation email says about itself: who invited, to which
// organisation, with which roles. Read from the latest `membership.invite`
// audit entry about the person (public.invite_user writes it), and stored in
// the invited user's user metadata before Auth sends the invite, because that
// is where Auth's email template reads it: `{{ .Data.invited_by }}`,
// `{{ .Data.organisation }}`, `{{ .Data.roles }}` on hosted Supabase (GoTrue
// renders `.Data` from the user's metadata; an existing invited user keeps its
// metadata, so `data` passed to inviteUserByEmail alone would not reach the
// template), and the local stack's mailer (stack/gateway/auth/mail.ts).
import type { SupabaseClient } from '@supabase/supabase-js';

export interface InvitationData {
  /** The person's own name, as invited. */
  full_name?: string;
  /** Who invited them: "Alex Admin". */
  invited_by?: string;
  /** "NHS Northshire ICB (ZN1)". */
  organisation?: string;
  organisation_name?: string;
  organisation_ods_code?: string;
  /** "Approver Tier 1, Finance", as the portal names the roles. */
  roles?: string;
}

/** "approver_tier_1" → "Approver Tier 1" (as private.roles_label in the database). */
export function roleLabel(role: string): string {
  return role
    .split('_')
    .map((word) => (word ? word.charAt(0).toUpperCase() + word.slice(1) : word))
    .join(' ');
}

interface InviteEntry {
  actor_id: string | null;
  organisation_id: string | null;
  after: { roles?: unknown } | null;
}

/** The invitation's details, or only the name when there is no invite entry. Never throws for missing rows. */
export async function invitationData(admin: SupabaseClient, profileId: string, fullName: string | null): Promise<InvitationData> {
  const data: InvitationData = fullName ? { full_name: fullName } : {};
  const { data: entry } = await admin
    .from('audit_log')
    .select('actor_id, organisation_id, after')
    .eq('subject_profile_id', profileId)
    .eq('action', 'membership.invite')
    .order('occurred_at', { ascending: false })
    .order('id', { ascending: false })
    .limit(1)
    .maybeSingle<InviteEntry>();
  if (!entry) return data;
  const [inviter, organisation] = await Promise.all([
    entry.actor_id
      ? admin.from('profiles').select('full_name, email').eq('id', entry.actor_id).maybeSingle<{ full_name: string | null; email: string | null }>()
      : Promise.resolve({ data: null }),
    entry.organisation_id
      ? admin.from('organisations').select('name, ods_code').eq('id', entry.organisation_id).maybeSingle<{ name: string; ods_code: string }>()
      : Promise.resolve({ data: null }),
  ]);
  const invitedBy = inviter.data?.full_name || inviter.data?.email;
  if (invitedBy) data.invited_by = invitedBy;
  if (organisation.data) {
    data.organisation_name = organisation.data.name;
    data.organisation_ods_code = organisation.data.ods_code;
    data.organisation = `${organisation.data.name} (${organisation.data.ods_code})`;
  }
  const roles = Array.isArray(entry.after?.roles) ? (entry.after!.roles as unknown[]).filter((r): r is string => typeof r === 'string') : [];
  if (roles.length > 0) data.roles = roles.map(roleLabel).join(', ');
  return data;
}

/**
 * Store the invitation's details in the user's metadata (merged with what is
 * there), then have Auth send the invite. Returns Auth's error, if any.
 */
export async function sendAuthInvitation(
  admin: SupabaseClient,
  user: { id: string; email: string; full_name: string | null },
  redirectTo: string,
): Promise<{ message: string; code?: string; status?: number } | null> {
  const data = await invitationData(admin, user.id, user.full_name);
  const { error: updateError } = await admin.auth.admin.updateUserById(user.id, { user_metadata: data as Record<string, unknown> });
  if (updateError) console.error(`invitation: the details could not be stored for profile ${user.id}:`, updateError.message);
  const { error } = await admin.auth.admin.inviteUserByEmail(user.email, { redirectTo, data: data as Record<string, unknown> });
  return error ? { message: error.message, code: error.code, status: error.status } : null;
}
