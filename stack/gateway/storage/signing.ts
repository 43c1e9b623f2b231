// Signed URL tokens, as storage-api issues them: HS256 JWTs (the project secret,
// through stack/jwt.ts) whose `url` claim binds them to `<bucket>/<key>` and whose
// `scope` claim binds them to one action, so a download token can never be replayed
// to upload (and vice versa). Tokens without `scope` are accepted the way storage-api
// accepts its older tokens: with an `upsert` claim as upload tokens, else as download.
import { JwtError, signJwt, verifyJwt } from '../../jwt.ts';
import { errors } from './errors.ts';

export type SignedScope = 'download' | 'upload';

export interface SignedClaims {
  url: string;
  scope?: SignedScope;
  exp: number;
  /** Upload tokens: who the object will belong to, and whether it may overwrite. */
  owner?: string;
  upsert?: boolean;
}

/** Upper bound for `expiresIn` (like storage-api: the JWT `exp` must stay a sane timestamp). */
const MAX_EXPIRES_IN = 10 * 365 * 24 * 3600;

/** `expiresIn` as given to sign routes: a finite number of seconds, at least 1. */
export function validExpiresIn(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw errors.invalidParameter('expiresIn');
  const seconds = Math.floor(value);
  if (seconds < 1 || seconds > MAX_EXPIRES_IN) throw errors.invalidParameter('expiresIn');
  return seconds;
}

export async function signObjectToken(
  secret: string,
  claims: { url: string; scope: SignedScope; owner?: string; upsert?: boolean },
  expiresIn: number,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return signJwt({ ...claims, iat: now, exp: now + expiresIn }, secret);
}

function jwtMessage(error: JwtError): string {
  if (error.reason === 'expired') return 'jwt expired';
  if (error.reason === 'bad_signature') return 'invalid signature';
  return 'jwt malformed';
}

/** Checks signature, expiry, scope and that the token names exactly `<bucket>/<key>`. */
export async function verifyObjectToken(secret: string, token: string | undefined, url: string, scope: SignedScope): Promise<SignedClaims> {
  if (!token) throw errors.invalidJwt('jwt must be provided');
  let claims: Record<string, unknown>;
  try {
    claims = await verifyJwt(token, secret);
  } catch (error) {
    if (error instanceof JwtError) throw errors.invalidJwt(jwtMessage(error));
    throw error;
  }
  const tokenScope = claims.scope;
  const scoped =
    scope === 'upload'
      ? tokenScope === 'upload' || (tokenScope === undefined && 'upsert' in claims)
      : tokenScope === 'download' || (tokenScope === undefined && !('upsert' in claims));
  if (!scoped) throw errors.invalidSignature(`Token is not scoped for ${scope}`);
  if (claims.url !== url) throw errors.invalidSignature();
  if (typeof claims.exp !== 'number') throw errors.invalidSignature();
  if (claims.exp * 1000 < Date.now()) throw errors.expiredSignature();
  return {
    url,
    exp: claims.exp,
    ...(typeof claims.scope === 'string' ? { scope: claims.scope as SignedScope } : {}),
    ...(typeof claims.owner === 'string' ? { owner: claims.owner } : {}),
    upsert: claims.upsert === true,
  };
}

