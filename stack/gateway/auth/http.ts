// The HTTP edge of the auth service: what every handler is given, request body and
// header parsing, client identification for rate limits, bearer-token checks
// (GoTrue's requireAuthentication / requireAdminCredentials).
import { isIP } from 'node:net';
import type { Context } from 'hono';
import type { Sql } from 'postgres';
import { JwtError, verifyJwt, type JwtClaims } from '../../jwt.ts';
import { BodyTooLargeError, jsonNestedDeeperThan, readBodyWithin } from '../request-body.ts';
import { AuthError, badRequest, forbidden, tooManyRequests, unauthorized } from './errors.ts';
import type { AuthMail } from './mail.ts';
import type { PasswordFailureDelay, RateLimiter, TrustedProxies } from './rate-limit.ts';
import type { RedirectPolicy } from './redirect.ts';
import { findSession, type ClientInfo, type SessionRow } from './sessions.ts';
import type { AuthSettings } from './settings.ts';
import { DEFAULT_AUD, findUserById, isBanned, type Json, type UserRow } from './users.ts';

/**
 * Per-IP buckets, one per endpoint family as in GoTrue (each family has its own
 * budget of the configured size), plus failed password sign-ins per email.
 */
export interface AuthLimits {
  /** `[auth.rate_limit] sign_in_sign_ups` each. */
  signup: RateLimiter;
  passwordSignIn: RateLimiter;
  recover: RateLimiter;
  resend: RateLimiter;
  otp: RateLimiter;
  magicLink: RateLimiter;
  userUpdate: RateLimiter;
  /** `token_refresh`: refresh-token and PKCE grants. */
  tokenRefresh: RateLimiter;
  /** `token_verifications`: GET and POST /verify. */
  verify: RateLimiter;
  /** Failed password sign-ins per email address and client: a growing wait. */
  passwordFailures: PasswordFailureDelay;
}

/** What every handler works with. */
export interface AuthService {
  settings: AuthSettings;
  /** Superuser pool: the auth service is trusted, like GoTrue with its own database role. */
  admin: Sql;
  mail: AuthMail;
  redirects: RedirectPolicy;
  limits: AuthLimits;
  /** Peers whose forwarded header names the client. */
  trustedProxies: TrustedProxies;
}

const MAX_BODY_BYTES = 1 << 20;

/** The JSON object in the request body; GoTrue's 400 `bad_json` for anything else. */
export async function readBody(c: Context): Promise<Json> {
  let text: string;
  try {
    text = new TextDecoder().decode(await readBodyWithin(c.req.raw, MAX_BODY_BYTES));
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      throw new AuthError(413, 'request_entity_too_large', `Request body too large (max ${MAX_BODY_BYTES} bytes)`);
    }
    throw error;
  }
  // Handlers copy fields (user metadata) with recursive code; Go's decoder also stops at a depth.
  if (jsonNestedDeeperThan(text)) throw badRequest('bad_json', 'Could not parse request body as JSON: exceeded max depth');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = text.trim() === '' ? 'unexpected end of JSON input' : (error as Error).message;
    throw badRequest('bad_json', `Could not parse request body as JSON: ${reason}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest('bad_json', 'Could not parse request body as JSON: expected a JSON object');
  }
  return value as Json;
}

function wrongType(key: string, expected: string): AuthError {
  return badRequest('bad_json', `Could not parse request body as JSON: field "${key}" must be ${expected}`);
}

/** A string field ('' when absent or null). */
export function str(body: Json, key: string): string {
  const value = body[key];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw wrongType(key, 'a string');
  return value;
}

/** A string field that distinguishes "absent" (undefined) from "" (e.g. `password`). */
export function optionalStr(body: Json, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw wrongType(key, 'a string');
  return value;
}

export function bool(body: Json, key: string, fallback: boolean): boolean {
  const value = body[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw wrongType(key, 'a boolean');
  return value;
}

/** An object field (undefined when absent or null). */
export function obj(body: Json, key: string): Json | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw wrongType(key, 'an object');
  return value as Json;
}

/**
 * The client's address. A forwarded header is believed only from a trusted proxy, and
 * then only as far as the proxies go: walking the list from the right (what the nearest
 * proxy appended), the first address that is not itself a trusted proxy is the client;
 * whatever the client wrote further left is ignored. Otherwise the TCP peer.
 */
export function clientIp(c: Context, service: Pick<AuthService, 'settings' | 'trustedProxies'>): string | null {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  const peer = env?.incoming?.socket?.remoteAddress?.replace(/^::ffff:/, '') ?? null;
  const header = service.settings.rateLimits.header;
  if (!peer || !header || !service.trustedProxies.includes(peer)) return peer;
  const hops = (c.req.header(header) ?? '').split(',').map((hop) => hop.trim().replace(/^::ffff:/, ''));
  let client = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (isIP(hop) === 0) break; // garbage from the client side: stop at the last good hop
    client = hop;
    if (!service.trustedProxies.includes(hop)) break;
  }
  return client;
}

export function clientInfo(c: Context, service: Pick<AuthService, 'settings' | 'trustedProxies'>): ClientInfo {
  return { ip: clientIp(c, service), userAgent: c.req.header('user-agent') ?? null };
}

/** 429 `over_request_rate_limit` once the caller's bucket is empty. */
export function limitByIp(c: Context, service: AuthService, limiter: RateLimiter): void {
  const key = clientIp(c, service) ?? 'unknown';
  if (!limiter.take(key)) throw tooManyRequests('over_request_rate_limit', 'Request rate limit reached');
}

/** `redirect_to` from the query (auth-js sends it there) or the body, if allowed; else the site URL. */
export function redirectTarget(c: Context, service: AuthService, body?: Json): string {
  const fromBody = body && typeof body.redirect_to === 'string' ? body.redirect_to : undefined;
  return service.redirects.resolve(c.req.query('redirect_to'), fromBody, c.req.header('referer'));
}

export interface Caller {
  claims: JwtClaims;
  token: string;
}

/** `Authorization: Bearer <jwt>` verified with the project secret. */
export async function bearerClaims(c: Context, service: AuthService): Promise<Caller> {
  const match = /^bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
  if (!match) throw unauthorized('no_authorization', 'This endpoint requires a valid Bearer token');
  const token = match[1]!;
  try {
    return { claims: await verifyJwt(token, service.settings.jwtSecret), token };
  } catch (error) {
    if (error instanceof JwtError) {
      const reason =
        error.reason === 'expired'
          ? 'token has invalid claims: token is expired'
          : error.reason === 'bad_signature'
            ? 'token signature is invalid: signature is invalid'
            : 'token is malformed: could not parse the token';
      throw forbidden('bad_jwt', `invalid JWT: unable to parse or verify signature, ${reason}`);
    }
    throw error;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Authenticated extends Caller {
  user: UserRow;
  session: SessionRow | undefined;
}

/** A signed-in user's request: the JWT's user and session must still exist; banned users are refused. */
export async function authenticate(c: Context, service: AuthService): Promise<Authenticated> {
  const caller = await bearerClaims(c, service);
  return loadUserAndSession(service, caller);
}

async function loadUserAndSession(service: AuthService, caller: Caller): Promise<Authenticated> {
  const { claims } = caller;
  const sub = typeof claims.sub === 'string' ? claims.sub : '';
  if (!sub) throw forbidden('bad_jwt', 'invalid claim: missing sub claim');
  if (!UUID.test(sub)) throw badRequest('bad_jwt', 'invalid claim: sub claim must be a UUID');
  const user = await findUserById(service.admin, sub);
  if (!user) throw forbidden('user_not_found', 'User from sub claim in JWT does not exist');
  let session: SessionRow | undefined;
  const sessionId = typeof claims.session_id === 'string' ? claims.session_id : '';
  if (sessionId && sessionId !== '00000000-0000-0000-0000-000000000000') {
    if (!UUID.test(sessionId)) throw forbidden('bad_jwt', 'invalid claim: session_id claim must be a UUID');
    session = await findSession(service.admin, sessionId);
    if (!session) throw forbidden('session_not_found', 'Session from session_id claim in JWT does not exist');
  }
  if (isBanned(user)) throw forbidden('user_banned', 'User is banned');
  return { ...caller, user, session };
}

/** Admin endpoints: a JWT whose role is an admin role (service_role, supabase_admin). */
export async function requireAdmin(c: Context, service: AuthService): Promise<Caller> {
  const caller = await bearerClaims(c, service);
  const sessionId = caller.claims.session_id;
  if (typeof sessionId === 'string' && sessionId !== '' && sessionId !== '00000000-0000-0000-0000-000000000000') {
    // A token from a real session must still have that session.
    await loadUserAndSession(service, caller);
  }
  const role = typeof caller.claims.role === 'string' ? caller.claims.role : '';
  if (!service.settings.adminRoles.includes(role)) throw forbidden('not_admin', 'User not allowed');
  return caller;
}

/** The audience requests act for (`X-JWT-AUD` header, else the default). */
export function requestAud(c: Context): string {
  return c.req.header('x-jwt-aud') || DEFAULT_AUD;
}

/** GoTrue's email validation: required, at most 255 characters, a plausible address; returned lower-cased. */
export function validateEmail(email: string): string {
  if (email === '') throw badRequest('validation_failed', 'An email address is required');
  if (email.length > 255) throw badRequest('validation_failed', 'An email address is too long');
  if (!/^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/.test(email)) {
    throw badRequest('validation_failed', 'Unable to validate email address: invalid format');
  }
  return email.toLowerCase();
}
