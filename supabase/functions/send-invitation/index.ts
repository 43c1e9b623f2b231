// send-invitation: emails the invitation link to a person the caller has just
// invited with public.invite_user. The portal calls it right after the RPC,
// with the page the link should open.
//
//   POST /functions/v1/send-invitation
//   {"profile_id": "<uuid>", "redirect_to": "https://portal.example/accept-invitation"}
//
// 200 {"sent": true}
// 400 invalid_request       body is not JSON, or profile_id / redirect_to missing or malformed
// 401 not_signed_in         no user session (the anon key, an expired or unknown token)
// 403 not_inviter           the caller did not make the latest invitation of this person
// 404 invitation_not_found  no such person, or they were never invited
// 409 not_invited           the account is no longer `invited` (accepted, disabled, …)
// 502 invite_failed         Auth could not send the email
// (all errors: {"error": {"code", "message"}})
//
// Only the person who made the newest invitation (the actor of the latest
// `user.invite` / `membership.invite` audit entry about that profile) may send
// it, and only while the account is `invited`. Auth's invite
// (`auth.admin.inviteUserByEmail`) makes the link and mails it: invite_user
// already created the unconfirmed auth user, and Auth then re-sends to that
// user rather than creating one (hosted GoTrue and the local stack alike).
// The email says who invited them, to which organisation and with which roles:
// stored in the user's metadata first, where Auth's template reads them
// (`{{ .Data.invited_by }}` …, docs/mail.md).
// The invitation notifications of that person are then stamped `emailed_at`,
// so send-notification-emails does not mail them again.
import type { SupabaseClient } from '@supabase/supabase-js';
import { preflight, json } from '../_shared/cors.ts';
import { BadRequest, bearerToken, errorResponse, httpUrl, readJsonObject, UUID_PATTERN } from '../_shared/http.ts';
import { sendAuthInvitation } from '../_shared/invitation.ts';
import { serviceRoleClient } from '../_shared/supabase-clients.ts';

/** What public.invite_user writes to the audit trail about the invited person. */
const INVITATION_ACTIONS = ['membership.invite', 'user.invite'];

interface Profile {
  id: string;
  email: string | null;
  full_name: string | null;
  status: string;
}

interface InvitationEntry {
  actor_id: string | null;
}

interface InvitationRequest {
  profileId: string;
  redirectTo: string;
}

function parseRequest(body: Record<string, unknown>): InvitationRequest | string {
  const { profile_id: profileId, redirect_to: redirectTo } = body;
  if (typeof profileId !== 'string' || !UUID_PATTERN.test(profileId)) return 'profile_id must be the uuid of the invited person.';
  if (httpUrl(redirectTo) === null) {
    return 'redirect_to must be the absolute http(s) address of the portal page that accepts invitations.';
  }
  return { profileId: profileId.toLowerCase(), redirectTo: redirectTo as string };
}

async function latestInvitation(admin: SupabaseClient, profileId: string) {
  return await admin
    .from('audit_log')
    .select('actor_id')
    .eq('subject_profile_id', profileId)
    .in('action', INVITATION_ACTIONS)
    .order('occurred_at', { ascending: false })
    .order('id', { ascending: false })
    .limit(1)
    .maybeSingle<InvitationEntry>();
}

function notInvitedMessage(profile: Profile): string {
  const who = profile.email ?? 'This person';
  if (profile.status === 'active') {
    return `${who} has already accepted an invitation and can sign in: there is no invitation link to send. They are told about new access by email.`;
  }
  return `The account of ${who} is ${profile.status}, not invited: there is no invitation to send.`;
}

Deno.serve(async (req) => {
  const answer = preflight(req);
  if (answer) return answer;
  if (req.method !== 'POST') {
    return errorResponse(405, 'method_not_allowed', 'Use POST with {"profile_id", "redirect_to"}.', { Allow: 'POST, OPTIONS' });
  }

  const token = bearerToken(req);
  if (!token) return errorResponse(401, 'not_signed_in', 'Sign in to send an invitation.');
  const admin = serviceRoleClient();
  const { data: caller, error: callerError } = await admin.auth.getUser(token);
  if (callerError || !caller.user) return errorResponse(401, 'not_signed_in', 'Your session is not valid any more: sign in again.');

  let parsed: InvitationRequest | string;
  try {
    parsed = parseRequest(await readJsonObject(req));
  } catch (error) {
    if (error instanceof BadRequest) return errorResponse(400, 'invalid_request', error.message);
    throw error;
  }
  if (typeof parsed === 'string') return errorResponse(400, 'invalid_request', parsed);
  const { profileId, redirectTo } = parsed;

  const { data: profile, error: profileError } = await admin
    .from('profiles')
    .select('id, email, full_name, status')
    .eq('id', profileId)
    .maybeSingle<Profile>();
  if (profileError) {
    console.error('send-invitation: profile lookup failed', profileError);
    return errorResponse(500, 'lookup_failed', 'The invitation could not be looked up; try again.');
  }
  const { data: invitation, error: auditError } = profile ? await latestInvitation(admin, profileId) : { data: null, error: null };
  if (auditError) {
    console.error('send-invitation: audit lookup failed', auditError);
    return errorResponse(500, 'lookup_failed', 'The invitation could not be looked up; try again.');
  }
  if (!profile || !invitation) return errorResponse(404, 'invitation_not_found', 'No invitation was found for this person.');
  if (invitation.actor_id !== caller.user.id) {
    return errorResponse(403, 'not_inviter', 'Only the administrator who made the latest invitation of this person can send it.');
  }
  // The inviter may have been disabled since: the database refuses them everything else, so this too.
  const { data: inviter, error: inviterError } = await admin
    .from('profiles')
    .select('status')
    .eq('id', caller.user.id)
    .maybeSingle<{ status: string }>();
  if (inviterError) {
    console.error('send-invitation: caller lookup failed', inviterError);
    return errorResponse(500, 'lookup_failed', 'The invitation could not be looked up; try again.');
  }
  if (inviter?.status !== 'active') return errorResponse(403, 'not_inviter', 'Your account is not active.');
  if (profile.status !== 'invited' || !profile.email) return errorResponse(409, 'not_invited', notInvitedMessage(profile));

  // The email names who invited, the organisation and the roles (_shared/invitation.ts).
  const inviteError = await sendAuthInvitation(admin, { id: profile.id, email: profile.email, full_name: profile.full_name }, redirectTo);
  if (inviteError) {
    // Auth refuses an address that was confirmed meanwhile (the invitation was accepted).
    if (inviteError.code === 'email_exists' || inviteError.status === 422) {
      return errorResponse(409, 'not_invited', `${profile.email} has already accepted the invitation.`);
    }
    console.error(`send-invitation: Auth could not send the invitation to profile ${profileId}:`, inviteError.message);
    return errorResponse(502, 'invite_failed', `The invitation email could not be sent: ${inviteError.message}`);
  }

  const { error: stampError } = await admin
    .from('notifications')
    .update({ emailed_at: new Date().toISOString() })
    .eq('recipient_id', profileId)
    .eq('kind', 'invitation')
    .is('emailed_at', null);
  if (stampError) {
    // The email went out; at worst send-notification-emails sends the notification again later.
    console.error(`send-invitation: sent, but the notifications of profile ${profileId} could not be marked emailed:`, stampError);
  }
  return json({ sent: true });
});
