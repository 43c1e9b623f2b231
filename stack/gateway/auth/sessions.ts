// Sessions, refresh tokens and access tokens (supabase-api-subset.md §3.2):
//
//   * a sign-in creates an auth.sessions row, its first auth.refresh_tokens row and
//     an auth.mfa_amr_claims row recording how the user authenticated;
//   * a refresh revokes the presented token and issues its child (rotation). A revoked
//     token is accepted again only while it is the parent of the session's active
//     token (the client lost the response) or within `refresh_token_reuse_interval`
//     seconds of its revocation; beyond that every token of the session is revoked
//     and the caller gets 400 `refresh_token_already_used`. A session left with no
//     active token is over: none of its tokens is accepted again, reuse interval or not;
//   * access tokens are HS256 JWTs signed by stack/jwt.ts, optionally rewritten by
//     the custom access token hook.
import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import type { Sql, TransactionSql } from 'postgres';
import { signJwt } from '../../jwt.ts';
import { AuthError, badRequest, OAuthError } from './errors.ts';
import { runCustomAccessTokenHook } from './hook.ts';
import { randomAlphanumeric } from './secrets.ts';
import type { AuthSettings } from './settings.ts';
import { apiUser, findUserById, isBanned, NIL_UUID, reloadUser, type Json, type UserRow } from './users.ts';

export const REFRESH_TOKEN_LENGTH = 12;

export interface SessionRow {
  id: string;
  user_id: string;
  created_at: Date | null;
  updated_at: Date | null;
  factor_id: string | null;
  aal: string | null;
  not_after: Date | null;
  refreshed_at: Date | null;
  user_agent: string | null;
  ip: string | null;
  tag: string | null;
}

interface RefreshTokenRow {
  id: string;
  token: string;
  user_id: string;
  revoked: boolean;
  created_at: Date;
  updated_at: Date;
  parent: string | null;
  session_id: string | null;
}

/** Who is asking, recorded on new sessions. */
export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  expires_at: number;
  refresh_token: string;
  user: Json;
  weak_password?: { message: string; reasons: string[] };
}

/** Only a well-formed address goes into sessions.ip (X-Forwarded-For is whatever the client sent). */
function isInet(value: string | null): value is string {
  return !!value && isIP(value) !== 0;
}

export async function findSession(db: Sql | TransactionSql, id: string): Promise<SessionRow | undefined> {
  const rows = await db<SessionRow[]>`select * from auth.sessions where id = ${id}`;
  return rows[0];
}

async function amrClaims(tx: TransactionSql, sessionId: string): Promise<Array<{ method: string; timestamp: number }>> {
  const rows = await tx<{ authentication_method: string; updated_at: Date }[]>`
    select authentication_method, updated_at from auth.mfa_amr_claims where session_id = ${sessionId} order by updated_at desc`;
  return rows.map((row) => ({ method: row.authentication_method, timestamp: Math.floor(row.updated_at.getTime() / 1000) }));
}

/** The signed access token for `user` in `sessionId`, and when it expires (Unix seconds). */
export async function accessToken(
  tx: TransactionSql,
  settings: AuthSettings,
  user: UserRow,
  sessionId: string,
  authenticationMethod: string,
): Promise<{ token: string; expiresAt: number }> {
  const session = await findSession(tx, sessionId);
  if (!session) throw new AuthError(500, 'unexpected_failure', 'Session is required to issue access token');
  const issuedAt = Math.floor(Date.now() / 1000);
  const expiresAt = issuedAt + settings.jwtExpiry;
  let claims: Json = {
    aud: user.aud ?? '',
    exp: expiresAt,
    iat: issuedAt,
    iss: settings.jwtIssuer,
    sub: user.id,
    email: user.email ?? '',
    phone: user.phone ?? '',
    app_metadata: user.raw_app_meta_data ?? {},
    user_metadata: user.raw_user_meta_data ?? {},
    role: user.role ?? '',
    aal: session.aal ?? 'aal1',
    amr: await amrClaims(tx, sessionId),
    session_id: sessionId,
    is_anonymous: user.is_anonymous,
  };
  if (settings.customAccessTokenHook) {
    claims = await runCustomAccessTokenHook(tx, settings.customAccessTokenHook, {
      user_id: user.id,
      claims,
      authentication_method: authenticationMethod,
    });
  }
  return { token: await signJwt(claims, settings.jwtSecret), expiresAt };
}

async function insertRefreshToken(tx: TransactionSql, userId: string, sessionId: string, parent: string | null): Promise<string> {
  const token = randomAlphanumeric(REFRESH_TOKEN_LENGTH);
  await tx`
    insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
    values (${NIL_UUID}, ${token}, ${userId}, false, now(), now(), ${parent}, ${sessionId})`;
  return token;
}

async function tokenResponse(
  tx: TransactionSql,
  settings: AuthSettings,
  user: UserRow,
  sessionId: string,
  refreshToken: string,
  method: string,
): Promise<TokenResponse> {
  const { token, expiresAt } = await accessToken(tx, settings, user, sessionId, method);
  return {
    access_token: token,
    token_type: 'bearer',
    expires_in: settings.jwtExpiry,
    expires_at: expiresAt,
    refresh_token: refreshToken,
    user: await apiUser(tx, user),
  };
}

/** A new session for `user` (sign-in, verified link, auto-confirmed sign-up, PKCE exchange). */
export async function issueSession(
  tx: TransactionSql,
  settings: AuthSettings,
  userId: string,
  authenticationMethod: string,
  client: ClientInfo,
): Promise<TokenResponse> {
  const sessionId = randomUUID();
  await tx`
    insert into auth.sessions (id, user_id, created_at, updated_at, aal, user_agent, ip)
    values (${sessionId}, ${userId}, now(), now(), 'aal1', ${client.userAgent}, ${isInet(client.ip) ? client.ip : null}::inet)`;
  await tx`
    insert into auth.mfa_amr_claims (id, session_id, created_at, updated_at, authentication_method)
    values (${randomUUID()}, ${sessionId}, now(), now(), ${authenticationMethod})`;
  const refreshToken = await insertRefreshToken(tx, userId, sessionId, null);
  await tx`update auth.users set last_sign_in_at = now(), updated_at = now() where id = ${userId}`;
  await tx`update auth.identities set last_sign_in_at = now() where user_id = ${userId} and provider = 'email'`;
  const user = await reloadUser(tx, userId);
  return tokenResponse(tx, settings, user, sessionId, refreshToken, authenticationMethod);
}

function sessionExpiry(settings: AuthSettings, session: SessionRow, now: number): string | undefined {
  if (session.not_after && session.not_after.getTime() <= now) return 'Invalid Refresh Token: Session Expired';
  if (settings.sessionTimebox > 0 && session.created_at && session.created_at.getTime() + settings.sessionTimebox * 1000 <= now) {
    return 'Invalid Refresh Token: Session Expired';
  }
  if (settings.sessionInactivityTimeout > 0) {
    // updated_at (timestamptz) moves on every refresh; refreshed_at is a timestamp without time zone.
    const last = session.updated_at ?? session.created_at;
    if (last && last.getTime() + settings.sessionInactivityTimeout * 1000 <= now) {
      return 'Invalid Refresh Token: Session Expired (Inactivity)';
    }
  }
  return undefined;
}

/** POST /token?grant_type=refresh_token. */
export async function refreshTokenGrant(admin: Sql, settings: AuthSettings, presented: string): Promise<TokenResponse> {
  if (!presented) throw new OAuthError('invalid_request', 'refresh_token required');
  const notFound = () => badRequest('refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
  if (presented.length < REFRESH_TOKEN_LENGTH) throw notFound();

  // A detected reuse must commit the family's revocation and still answer with an error.
  const outcome = await admin.begin(async (tx): Promise<TokenResponse | AuthError> => {
    const tokens = await tx<RefreshTokenRow[]>`select * from auth.refresh_tokens where token = ${presented} for update`;
    const token = tokens[0];
    if (!token) throw notFound();
    const user = await findUserById(tx, token.user_id);
    if (!user) throw notFound();
    if (isBanned(user)) throw badRequest('user_banned', 'Invalid Refresh Token: User Banned');
    const sessions = token.session_id ? await tx<SessionRow[]>`select * from auth.sessions where id = ${token.session_id} for update` : [];
    const session = sessions[0];
    if (!session) throw badRequest('session_not_found', 'Invalid Refresh Token: No Valid Session Found');
    const expired = sessionExpiry(settings, session, Date.now());
    if (expired) throw badRequest('session_expired', expired);

    let issued: string | undefined;
    if (token.revoked) {
      const active = await tx<RefreshTokenRow[]>`
        select * from auth.refresh_tokens where session_id = ${session.id} and revoked = false order by id desc limit 1`;
      const reuseInterval = settings.refreshTokenReuseInterval * 1000;
      if (active[0] && active[0].parent === token.token) {
        // The client never stored the answer to its last refresh: hand it the same token again.
        issued = active[0].token;
      } else if (!active[0] || Date.now() > token.updated_at.getTime() + reuseInterval) {
        // A session without an active token was ended by an earlier detection. Its tokens were
        // revoked at that moment, so the reuse interval would otherwise let the newest one
        // (the attacker's or the victim's) carry on for another interval.
        if (settings.refreshTokenRotation) {
          await tx`update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = ${session.id} and revoked = false`;
        }
        console.warn(`[auth] refresh token reuse detected in session ${session.id}; its tokens are revoked`);
        return badRequest('refresh_token_already_used', 'Invalid Refresh Token: Already Used');
      }
    }
    if (issued === undefined) {
      await tx`update auth.refresh_tokens set revoked = true, updated_at = now() where id = ${token.id}`;
      issued = await insertRefreshToken(tx, user.id, session.id, token.token);
    }
    await tx`update auth.sessions set refreshed_at = timezone('utc', now()), updated_at = now() where id = ${session.id}`;
    return tokenResponse(tx, settings, user, session.id, issued, 'token_refresh');
  });
  if (outcome instanceof AuthError) throw outcome;
  return outcome;
}

export type LogoutScope = 'global' | 'local' | 'others';

/** POST /logout: deleting sessions deletes their refresh tokens (on delete cascade). */
export async function logout(tx: TransactionSql, userId: string, sessionId: string | undefined, scope: LogoutScope): Promise<void> {
  if (sessionId && scope === 'local') {
    await tx`delete from auth.sessions where id = ${sessionId}`;
  } else if (sessionId && scope === 'others') {
    await tx`delete from auth.sessions where user_id = ${userId} and id <> ${sessionId}`;
  } else {
    await tx`delete from auth.sessions where user_id = ${userId}`;
  }
}
