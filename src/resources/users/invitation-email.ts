// Emails an invitation made with public.invite_user: the `send-invitation`
// edge function asks Supabase Auth to mail the person a link that signs them
// in on /accept-invitation, where they choose a password.

export const ACCEPT_INVITATION_PATH = '/accept-invitation';

export type InvitationEmailOutcome =
  | { ok: true }
  /** `code` is the function's error code (e.g. not_invited) or `network`. */
  | { ok: false; code: string; message: string; status?: number | undefined };

interface FunctionErrorBody {
  error?: { code?: unknown; message?: unknown };
}

/** The function's own `{ error: { code, message } }`, if the failed response carries one. */
async function readFunctionError(response: unknown): Promise<{ code?: string; message?: string; status?: number }> {
  if (!response || typeof response !== 'object' || !('json' in response)) return {};
  const r = response as Response;
  try {
    const body = (await r.clone().json()) as FunctionErrorBody;
    return {
      status: r.status,
      ...(typeof body.error?.code === 'string' ? { code: body.error.code } : {}),
      ...(typeof body.error?.message === 'string' ? { message: body.error.message } : {}),
    };
  } catch {
    return { status: r.status };
  }
}

export async function sendInvitationEmail(profileId: string, origin: string = window.location.origin): Promise<InvitationEmailOutcome> {
  try {
    // Loaded lazily: importing this module never needs Supabase settings.
    const { supabaseClient } = await import('../../providers/supabase-client.ts');
    const { error } = await supabaseClient.functions.invoke('send-invitation', {
      body: { profile_id: profileId, redirect_to: `${origin}${ACCEPT_INVITATION_PATH}` },
    });
    if (!error) return { ok: true };
    const detail = await readFunctionError((error as { context?: unknown }).context);
    return {
      ok: false,
      code: detail.code ?? 'unknown',
      message: detail.message ?? error.message ?? 'The invitation email could not be sent.',
      status: detail.status,
    };
  } catch (error) {
    return { ok: false, code: 'network', message: error instanceof Error ? error.message : String(error) };
  }
}
