// GET /verify (the link in an email) and POST /verify (`verifyOtp`): spend a
// sign-up, invitation, recovery, magic-link or email-change token.
//
// GET answers 303: implicit flow → `<redirect>#access_token=…&expires_at=…&expires_in=…
// &refresh_token=…&sb=&token_type=bearer&type=<type>`; PKCE (`pkce_` tokens) →
// `<redirect>?code=<auth code>`; failure → `#error=…&error_code=…&error_description=…&sb=`.
// POST answers with a session (or, halfway through a two-address email change, a message).
import type { Context } from 'hono';
import type { TransactionSql } from 'postgres';
import { AuthError, badRequest, forbidden } from '../errors.ts';
import { clientInfo, limitByIp, readBody, str, validateEmail, type AuthService } from '../http.ts';
import { issueAuthCode, methodForType, PKCE_PREFIX, type FlowType } from '../pkce.ts';
import { sameSecret, tokenHash } from '../secrets.ts';
import { issueSession, type ClientInfo, type TokenResponse } from '../sessions.ts';
import {
  clearOneTimeTokens,
  confirmEmail,
  findUserByEmail,
  findUserById,
  hashPassword,
  hasPassword,
  isBanned,
  randomPassword,
  refreshProviders,
  reloadUser,
  setUserMetadata,
  updateIdentityData,
  updatePassword,
  type UserRow,
} from '../users.ts';

type VerifyType = 'signup' | 'invite' | 'recovery' | 'magiclink' | 'email_change' | 'email';

const SINGLE_CONFIRMATION = 'Confirmation link accepted. Please proceed to confirm link sent to the other email';
const LINK_INVALID = 'Email link is invalid or has expired';
const TOKEN_INVALID = 'Token has expired or is invalid';

const TOKEN_TYPES: Record<VerifyType, string[]> = {
  signup: ['confirmation_token'],
  invite: ['confirmation_token'],
  recovery: ['recovery_token'],
  magiclink: ['recovery_token'],
  email_change: ['email_change_token_current', 'email_change_token_new'],
  email: ['confirmation_token', 'recovery_token'],
};

/** Standard OAuth error names GoTrue puts in `error` for a status. */
const OAUTH_ERRORS: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized_client',
  403: 'access_denied',
  500: 'server_error',
  503: 'temporarily_unavailable',
};

function verifyType(type: string): VerifyType {
  if (type in TOKEN_TYPES) return type as VerifyType;
  throw badRequest('validation_failed', 'Unsupported verification type');
}

/** Seconds a token of this type lives after it was sent. */
function lifetime(service: AuthService, type: VerifyType, user: UserRow): number {
  const { settings } = service;
  if (type === 'signup' || type === 'invite') return user.invited_at ? settings.inviteLinkExpiry : settings.signupLinkExpiry;
  return settings.otpExpiry;
}

function sentAt(type: VerifyType, user: UserRow): Date | null {
  if (type === 'signup' || type === 'invite') return user.confirmation_sent_at;
  if (type === 'recovery' || type === 'magiclink') return user.recovery_sent_at;
  return user.email_change_sent_at;
}

function expired(service: AuthService, type: VerifyType, user: UserRow): boolean {
  const sent = sentAt(type, user);
  return !sent || Date.now() > sent.getTime() + lifetime(service, type, user) * 1000;
}

/** The user whose token hash this is (a link, or `verifyOtp({ token_hash })`). */
async function userByTokenHash(tx: TransactionSql, service: AuthService, type: VerifyType, hash: string): Promise<{ user: UserRow; type: VerifyType }> {
  const rows = await tx<{ user_id: string; token_type: string }[]>`
    select user_id, token_type::text as token_type from auth.one_time_tokens
    where token_hash = ${hash} and token_type::text in ${tx(TOKEN_TYPES[type])}`;
  const row = rows[0];
  const user = row ? await findUserById(tx, row.user_id, true) : undefined;
  if (!row || !user) throw forbidden('otp_expired', LINK_INVALID);
  if (isBanned(user)) throw forbidden('user_banned', 'User is banned');
  const effective: VerifyType = type === 'email' ? (row.token_type === 'recovery_token' ? 'magiclink' : 'signup') : type;
  if (expired(service, effective, user)) throw forbidden('otp_expired', LINK_INVALID);
  return { user, type: effective };
}

function matches(candidate: string, stored: string | null): boolean {
  if (!stored) return false;
  return sameSecret(candidate, stored) || sameSecret(PKCE_PREFIX + candidate, stored);
}

/** `verifyOtp({ email, token, type })`: the code typed in by the user. */
async function userByEmailAndCode(tx: TransactionSql, service: AuthService, type: VerifyType, email: string, hash: string): Promise<{ user: UserRow; type: VerifyType }> {
  let user: UserRow | undefined;
  if (type === 'email_change') {
    const rows = await tx<UserRow[]>`
      select * from auth.users
      where instance_id = '00000000-0000-0000-0000-000000000000' and is_sso_user = false
        and ((lower(email) = ${email} and email_change_token_current in (${hash}, ${PKCE_PREFIX + hash}))
          or (lower(email_change) = ${email} and email_change_token_new in (${hash}, ${PKCE_PREFIX + hash})))
      for update`;
    user = rows[0];
  } else {
    user = await findUserByEmail(tx, email, undefined, true);
  }
  if (!user) throw forbidden('otp_expired', TOKEN_INVALID);
  if (isBanned(user)) throw forbidden('user_banned', 'User is banned');
  let effective: VerifyType = type;
  let valid = false;
  if (type === 'email') {
    if (matches(hash, user.confirmation_token) && !expired(service, 'signup', user)) {
      valid = true;
      effective = 'signup';
    } else if (matches(hash, user.recovery_token) && !expired(service, 'magiclink', user)) {
      valid = true;
      effective = 'magiclink';
    }
  } else if (type === 'signup' || type === 'invite') {
    valid = matches(hash, user.confirmation_token) && !expired(service, type, user);
  } else if (type === 'recovery' || type === 'magiclink') {
    valid = matches(hash, user.recovery_token) && !expired(service, type, user);
  } else {
    valid = (matches(hash, user.email_change_token_current) || matches(hash, user.email_change_token_new)) && !expired(service, type, user);
  }
  if (!valid) throw forbidden('otp_expired', TOKEN_INVALID);
  return { user, type: effective };
}

/** Apply the verified token; undefined when an email change still waits for its second link. */
async function applyVerification(tx: TransactionSql, service: AuthService, type: VerifyType, user: UserRow, hash: string): Promise<UserRow | undefined> {
  const { settings } = service;
  if (type === 'signup' || type === 'invite') {
    if (!hasPassword(user) && user.invited_at) {
      // An invited user gets a random password; the app then asks them to choose one (PUT /user).
      const generated = await hashPassword(tx, randomPassword(settings.passwordRequiredCharacters), settings.bcryptCost);
      await updatePassword(tx, user.id, generated, undefined);
    }
    await confirmEmail(tx, await reloadUser(tx, user.id));
  } else if (type === 'recovery' || type === 'magiclink') {
    await tx`update auth.users set recovery_token = '', updated_at = now() where id = ${user.id}`;
    await clearOneTimeTokens(tx, user.id);
    if (!user.email_confirmed_at) await confirmEmail(tx, await reloadUser(tx, user.id));
  } else if (type === 'email_change') {
    const secondOfTwo = settings.enableConfirmations && settings.doubleConfirmChanges && (user.email_change_confirm_status ?? 0) === 0 && !!user.email;
    if (secondOfTwo) {
      const current = matches(hash, user.email_change_token_current) || hash === user.email_change_token_current;
      const column = current ? 'email_change_token_current' : 'email_change_token_new';
      await tx`
        update auth.users set email_change_confirm_status = 1, ${tx(column)} = '', updated_at = now() where id = ${user.id}`;
      await tx`delete from auth.one_time_tokens where user_id = ${user.id} and token_type = ${column}::auth.one_time_token_type`;
      return undefined;
    }
    const newEmail = user.email_change!;
    await tx`
      update auth.users
      set email = ${newEmail}, email_change = '', email_change_token_current = '', email_change_token_new = '',
          email_change_confirm_status = 0, email_confirmed_at = coalesce(email_confirmed_at, now()), updated_at = now()
      where id = ${user.id}`;
    const identities = await tx`select 1 from auth.identities where user_id = ${user.id} and provider = 'email'`;
    if (identities.length > 0) {
      await updateIdentityData(tx, user.id, 'email', { email: newEmail, email_verified: true });
    } else {
      await tx`
        insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
        values (${user.id}, ${user.id}, ${tx.json({ sub: user.id, email: newEmail, email_verified: true, phone_verified: false })},
                'email', now(), now(), now())`;
    }
    if (user.raw_user_meta_data && 'email' in user.raw_user_meta_data) await setUserMetadata(tx, user, { email: newEmail });
    await clearOneTimeTokens(tx, user.id);
  }
  const fresh = await reloadUser(tx, user.id);
  await refreshProviders(tx, fresh);
  return reloadUser(tx, user.id);
}

type VerifyOutcome = { kind: 'session'; session: TokenResponse } | { kind: 'code'; code: string } | { kind: 'halfway' };

async function verify(
  service: AuthService,
  type: VerifyType,
  flow: FlowType,
  client: ClientInfo,
  find: (tx: TransactionSql) => Promise<{ user: UserRow; type: VerifyType }>,
  hash: string,
): Promise<VerifyOutcome> {
  return service.admin.begin(async (tx): Promise<VerifyOutcome> => {
    const found = await find(tx);
    const user = await applyVerification(tx, service, found.type, found.user, hash);
    if (!user) return { kind: 'halfway' };
    if (flow === 'pkce') return { kind: 'code', code: await issueAuthCode(tx, user.id, methodForType(found.type)) };
    return { kind: 'session', session: await issueSession(tx, service.settings, user.id, 'otp', client) };
  });
}

function withFragment(base: string, params: Record<string, string>): string {
  const search = new URLSearchParams(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${base.split('#')[0]}#${search.toString()}`;
}

function errorRedirect(redirectTo: string, error: AuthError, flow: FlowType): string {
  const params: Record<string, string> = { error_code: error.errorCode || 'unexpected_failure', error_description: error.message, sb: '' };
  const oauth = OAUTH_ERRORS[error.status];
  if (oauth) params.error = oauth;
  if (flow === 'pkce') {
    const url = new URL(redirectTo);
    if (oauth) url.searchParams.set('error', oauth);
    url.searchParams.set('error_code', params.error_code!);
    url.searchParams.set('error_description', error.message);
    return withFragment(url.toString(), params);
  }
  return withFragment(redirectTo, params);
}

export async function verifyGetHandler(c: Context, service: AuthService): Promise<Response> {
  const token = c.req.query('token') ?? '';
  const rawType = c.req.query('type') ?? '';
  const redirectTo = service.redirects.resolve(c.req.query('redirect_to'), c.req.header('referer'));
  if (rawType === '') throw badRequest('validation_failed', 'Verify requires a verification type');
  if (token === '') throw badRequest('validation_failed', 'Verify requires a token or a token hash');
  limitByIp(c, service, service.limits.verify);
  const flow: FlowType = token.startsWith(PKCE_PREFIX) ? 'pkce' : 'implicit';

  let location: string;
  try {
    const type = verifyType(rawType);
    if (type === 'email') throw badRequest('validation_failed', 'Invalid email verification type');
    const outcome = await verify(service, type, flow, clientInfo(c, service), (tx) => userByTokenHash(tx, service, type, token), token);
    if (outcome.kind === 'halfway') {
      const url = new URL(redirectTo);
      if (flow === 'pkce') url.searchParams.set('message', SINGLE_CONFIRMATION);
      location = withFragment(url.toString(), { message: SINGLE_CONFIRMATION, sb: '' });
    } else if (outcome.kind === 'code') {
      const url = new URL(redirectTo);
      url.searchParams.set('code', outcome.code);
      location = url.toString();
    } else {
      const { session } = outcome;
      location = withFragment(redirectTo, {
        access_token: session.access_token,
        expires_at: String(session.expires_at),
        expires_in: String(session.expires_in),
        refresh_token: session.refresh_token,
        sb: '',
        token_type: session.token_type,
        type: rawType,
      });
    }
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    location = errorRedirect(redirectTo, error, flow);
  }
  return c.body(null, 303, { location });
}

export async function verifyPostHandler(c: Context, service: AuthService): Promise<Response> {
  const body = await readBody(c);
  const rawType = str(body, 'type');
  const token = str(body, 'token');
  const hashParam = str(body, 'token_hash');
  const email = str(body, 'email');
  const phone = str(body, 'phone');
  if (rawType === '') throw badRequest('validation_failed', 'Verify requires a verification type');
  if ((token === '' && hashParam === '') || (token !== '' && hashParam !== '')) {
    throw badRequest('validation_failed', 'Verify requires either a token or a token hash');
  }
  let find: (tx: TransactionSql) => Promise<{ user: UserRow; type: VerifyType }>;
  let hash: string;
  const type = verifyType(rawType);
  if (token !== '') {
    if (phone !== '' && email === '') throw badRequest('phone_provider_disabled', 'Phone logins are disabled');
    if (email === '' || phone !== '') {
      throw badRequest('validation_failed', 'Only an email address or phone number should be provided on verify');
    }
    let address: string;
    try {
      address = validateEmail(email);
    } catch {
      throw new AuthError(422, 'validation_failed', 'Invalid email format');
    }
    hash = tokenHash(address, token);
    find = (tx) => userByEmailAndCode(tx, service, type, address, hash);
  } else {
    if (email !== '' || phone !== '' || str(body, 'redirect_to') !== '') {
      throw badRequest('validation_failed', 'Only the token_hash and type should be provided');
    }
    hash = hashParam;
    find = (tx) => userByTokenHash(tx, service, type, hashParam);
  }
  limitByIp(c, service, service.limits.verify);
  const outcome = await verify(service, type, 'implicit', clientInfo(c, service), find, hash);
  if (outcome.kind === 'halfway') return c.json({ msg: SINGLE_CONFIRMATION, code: '200' });
  if (outcome.kind === 'code') throw new AuthError(500, 'unexpected_failure', 'unexpected PKCE outcome');
  return c.json(outcome.session);
}
