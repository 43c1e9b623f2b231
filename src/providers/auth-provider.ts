// Refine's authProvider over supabase-js Auth: the portal signs people in,
// out, up, and through password recovery exactly as it will on hosted Supabase.
import type { AuthProvider } from '@refinedev/core';
import type { AuthError, SupabaseClient } from '@supabase/supabase-js';

export interface PortalIdentity {
  id: string;
  email: string;
  /** Full name from the account's metadata, else the email address. */
  name: string;
}

/** Where links in emails send people back to (must be on the project's redirect allow list). */
export interface AuthRedirects {
  /** After confirming a sign-up. */
  afterConfirm: string;
  /** The page that sets a new password after following a recovery link. */
  updatePassword: string;
}

/** Messages people can act on, in UK English, for the errors Supabase Auth returns. */
export function describeAuthError(error: AuthError | Error): string {
  const code = (error as AuthError).code;
  switch (code) {
    case 'invalid_credentials':
      return 'The email address or password is not right. Check them and try again.';
    case 'email_not_confirmed':
      return 'Please confirm your email address first: follow the link in the email we sent you.';
    case 'user_banned':
      return 'This account has been disabled. Contact your organisation’s administrator or the support desk.';
    case 'over_request_rate_limit':
    case 'over_email_send_rate_limit':
      return 'Too many attempts. Please wait a few minutes and try again.';
    case 'user_already_exists':
    case 'email_exists':
      return 'An account with this email address already exists. Sign in, or reset your password.';
    case 'weak_password':
      return error.message;
    case 'same_password':
      return 'The new password must be different from the old one.';
    default:
      return error.message || 'Something went wrong. Please try again.';
  }
}

/** A request the API refused because the session is missing, invalid or expired. */
export function isSessionError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { statusCode?: unknown; status?: unknown; code?: unknown };
  const status = Number(e.statusCode ?? e.status);
  return status === 401 || e.code === 'PGRST301' || e.code === 'PGRST303';
}

export function createAuthProvider(client: SupabaseClient, redirects: AuthRedirects): AuthProvider {
  return {
    async login({ email, password }: { email: string; password: string }) {
      const { error } = await client.auth.signInWithPassword({ email, password });
      if (error) return { success: false, error: { name: 'Sign-in failed', message: describeAuthError(error) } };
      return { success: true, redirectTo: '/' };
    },

    async logout() {
      // `local`: this browser only; other devices keep their sessions.
      const { error } = await client.auth.signOut({ scope: 'local' });
      if (error) return { success: false, error: { name: 'Sign-out failed', message: describeAuthError(error) } };
      return { success: true, redirectTo: '/login' };
    },

    async register({ email, password, fullName }: { email: string; password: string; fullName?: string }) {
      const { data, error } = await client.auth.signUp({
        email,
        password,
        options: { emailRedirectTo: redirects.afterConfirm, data: fullName ? { full_name: fullName } : {} },
      });
      if (error) return { success: false, error: { name: 'Registration failed', message: describeAuthError(error) } };
      if (data.session) return { success: true, redirectTo: '/' };
      return {
        success: true,
        redirectTo: '/login',
        successNotification: {
          message: 'Check your email',
          description: `We have sent a confirmation link to ${email}. Follow it to finish creating your account.`,
        },
      };
    },

    async forgotPassword({ email }: { email: string }) {
      const { error } = await client.auth.resetPasswordForEmail(email, { redirectTo: redirects.updatePassword });
      if (error) return { success: false, error: { name: 'Could not send the email', message: describeAuthError(error) } };
      return {
        success: true,
        redirectTo: '/login',
        successNotification: {
          message: 'Check your email',
          description: `If ${email} has an account, we have sent it a link to set a new password.`,
        },
      };
    },

    async updatePassword({ password }: { password: string }) {
      const { error } = await client.auth.updateUser({ password });
      if (error) return { success: false, error: { name: 'Could not change the password', message: describeAuthError(error) } };
      return { success: true, redirectTo: '/', successNotification: { message: 'Password changed', description: 'Your new password is set.' } };
    },

    async check() {
      const { data } = await client.auth.getSession();
      if (data.session) return { authenticated: true };
      return { authenticated: false, redirectTo: '/login', logout: true };
    },

    async getIdentity(): Promise<PortalIdentity | null> {
      const { data } = await client.auth.getUser();
      const user = data.user;
      if (!user) return null;
      const fullName = typeof user.user_metadata?.full_name === 'string' ? user.user_metadata.full_name.trim() : '';
      return { id: user.id, email: user.email ?? '', name: fullName || (user.email ?? 'Signed in') };
    },

    async getPermissions() {
      const { data } = await client.auth.getSession();
      return data.session?.user.app_metadata ?? null;
    },

    async onError(error: unknown) {
      if (isSessionError(error)) return { logout: true, redirectTo: '/login', error: error as Error };
      return {};
    },
  };
}
