// POST /token (grant_type password | refresh_token | pkce) and POST /logout.
import type { Context } from 'hono';
import { AuthError, badRequest, notFound, unprocessable } from '../errors.ts';
import { authenticate, clientInfo, clientIp, limitByIp, readBody, requestAud, str, type AuthService } from '../http.ts';
import { weakPasswordReasons } from '../password.ts';
import { FLOW_STATE_EXPIRY_SECONDS, type FlowStateRow } from '../pkce.ts';
import { pkceVerifies } from '../secrets.ts';
import { issueSession, logout, refreshTokenGrant, type LogoutScope } from '../sessions.ts';
import { findUserByEmail, findUserById, hasPassword, isBanned, passwordMatches } from '../users.ts';

const INVALID_LOGIN = 'Invalid login credentials';

export async function tokenHandler(c: Context, service: AuthService): Promise<Response> {
  const grantType = c.req.query('grant_type') ?? '';
  switch (grantType) {
    case 'password':
      return passwordGrant(c, service);
    case 'refresh_token': {
      limitByIp(c, service, service.limits.tokenRefresh);
      const body = await readBody(c);
      return c.json(await refreshTokenGrant(service.admin, service.settings, str(body, 'refresh_token')));
    }
    case 'pkce':
      return pkceGrant(c, service);
    default:
      throw badRequest('invalid_credentials', 'unsupported_grant_type');
  }
}

async function passwordGrant(c: Context, service: AuthService): Promise<Response> {
  const { settings, admin, limits } = service;
  limitByIp(c, service, limits.passwordSignIn);
  const body = await readBody(c);
  const email = str(body, 'email');
  const phone = str(body, 'phone');
  const password = str(body, 'password');
  if (email !== '' && phone !== '') {
    throw badRequest('validation_failed', 'Only an email address or phone number should be provided on login.');
  }
  if (phone !== '') throw unprocessable('phone_provider_disabled', 'Phone logins are disabled');
  if (email === '') throw badRequest('validation_failed', 'missing email or phone');
  if (!settings.emailProviderEnabled) throw unprocessable('email_provider_disabled', 'Email logins are disabled');

  // A client that keeps failing for this address waits longer each time; it is refused
  // without checking the password, and other clients are not affected.
  const failureKey = `${email.toLowerCase()} ${clientIp(c, service) ?? 'unknown'}`;
  const waitMs = limits.passwordFailures.waitMs(failureKey);
  if (waitMs > 0) {
    throw new AuthError(429, 'over_request_rate_limit', 'Request rate limit reached', {}, { 'retry-after': String(Math.ceil(waitMs / 1000)) });
  }
  const failed = (): AuthError => {
    limits.passwordFailures.recordFailure(failureKey);
    return badRequest('invalid_credentials', INVALID_LOGIN);
  };

  const user = await findUserByEmail(admin, email, requestAud(c));
  if (!user || !hasPassword(user)) throw failed();
  if (isBanned(user)) throw badRequest('user_banned', 'User is banned');
  if (!(await passwordMatches(admin, user, password))) throw failed();
  limits.passwordFailures.forget(failureKey);
  if (!user.email_confirmed_at) throw badRequest('email_not_confirmed', 'Email not confirmed');

  const weak = weakPasswordReasons(settings, password);
  const session = await admin.begin((tx) => issueSession(tx, settings, user.id, 'password', clientInfo(c, service)));
  if (weak) session.weak_password = { message: weak.message, reasons: weak.reasons };
  return c.json(session);
}

async function pkceGrant(c: Context, service: AuthService): Promise<Response> {
  const { settings, admin } = service;
  limitByIp(c, service, service.limits.tokenRefresh);
  const body = await readBody(c);
  const authCode = str(body, 'auth_code');
  const verifier = str(body, 'code_verifier');
  if (authCode === '' || verifier === '') {
    throw badRequest('validation_failed', 'invalid request: both auth code and code verifier should be non-empty');
  }
  const session = await admin.begin(async (tx) => {
    const flows = await tx<FlowStateRow[]>`select * from auth.flow_state where auth_code = ${authCode} for update`;
    const flow = flows[0];
    if (!flow || !flow.user_id) throw notFound('flow_state_not_found', 'invalid flow state, no valid flow state found');
    const startedAt = (flow.auth_code_issued_at ?? flow.created_at).getTime();
    if (Date.now() > startedAt + FLOW_STATE_EXPIRY_SECONDS * 1000) {
      throw unprocessable('flow_state_expired', 'invalid flow state, flow state has expired');
    }
    const user = await findUserById(tx, flow.user_id);
    if (!user) throw notFound('user_not_found', 'User not found');
    if (isBanned(user)) throw badRequest('user_banned', 'User is banned');
    if (!pkceVerifies(flow.code_challenge_method, flow.code_challenge, verifier)) {
      throw badRequest('bad_code_verifier', 'code challenge does not match previously saved code verifier');
    }
    const issued = await issueSession(tx, settings, user.id, flow.authentication_method, clientInfo(c, service));
    await tx`delete from auth.flow_state where id = ${flow.id}`;
    return issued;
  });
  return c.json(session);
}

export async function logoutHandler(c: Context, service: AuthService): Promise<Response> {
  const raw = c.req.query('scope') ?? '';
  if (!['', 'global', 'local', 'others'].includes(raw)) {
    throw badRequest('validation_failed', `Unsupported logout scope ${JSON.stringify(raw)}`);
  }
  const scope: LogoutScope = raw === '' ? 'global' : (raw as LogoutScope);
  const { user, session } = await authenticate(c, service);
  await service.admin.begin((tx) => logout(tx, user.id, session?.id, scope));
  return c.body(null, 204);
}
