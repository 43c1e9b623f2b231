// The one place that signs and verifies JWTs for the local stack (HS256, one
// shared secret, like a hosted project with legacy JWT keys).
import { SignJWT, jwtVerify, errors as joseErrors, type JWTPayload } from 'jose';

export type JwtClaims = JWTPayload & { role?: string; [claim: string]: unknown };

export type JwtFailure = 'malformed' | 'bad_signature' | 'expired';

export class JwtError extends Error {
  constructor(readonly reason: JwtFailure, message: string) {
    super(message);
  }
}

const encoder = new TextEncoder();

export function jwtKey(secret: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(secret);
}

export async function signJwt(claims: JwtClaims, secret: string): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(jwtKey(secret));
}

// Importing the HMAC key is the costly part of a verification: do it once per secret.
const importedKeys = new Map<string, Promise<CryptoKey>>();
function verificationKey(secret: string): Promise<CryptoKey> {
  let key = importedKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', jwtKey(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    importedKeys.set(secret, key);
  }
  return key;
}

// Clients send the same access token for up to an hour: remember tokens already verified
// (bounded), and still refuse one the moment it expires.
const VERIFIED_CACHE_SIZE = 1000;
const verified = new Map<string, JwtClaims>();

export async function verifyJwt(token: string, secret: string): Promise<JwtClaims> {
  const cacheKey = `${secret.length}:${secret}:${token}`;
  const known = verified.get(cacheKey);
  if (known && (known.exp === undefined || known.exp > Date.now() / 1000)) return known;
  try {
    const { payload } = await jwtVerify(token, await verificationKey(secret), { algorithms: ['HS256'] });
    if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
    verified.set(cacheKey, payload as JwtClaims);
    return payload as JwtClaims;
  } catch (error) {
    verified.delete(cacheKey);
    if (error instanceof joseErrors.JWTExpired) throw new JwtError('expired', 'JWT expired');
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
      throw new JwtError('bad_signature', 'JWSError JWSInvalidSignature');
    }
    throw new JwtError('malformed', 'JWSError (CompactDecodeError Invalid number of parts: Expected 3 parts; got 1)');
  }
}

// Long-lived project keys, like the Supabase CLI's demo keys: fixed issue and
// expiry times so the same secret always yields the same keys.
const KEY_ISSUED_AT = 1_767_225_600; // 2026-01-01T00:00:00Z
const KEY_EXPIRES_AT = 2_082_758_400; // 2036-01-01T00:00:00Z

export interface ProjectKeys {
  anonKey: string;
  serviceRoleKey: string;
}

export async function projectKeys(secret: string): Promise<ProjectKeys> {
  const base = { iss: 'supabase-demo', iat: KEY_ISSUED_AT, exp: KEY_EXPIRES_AT };
  return {
    anonKey: await signJwt({ ...base, role: 'anon' }, secret),
    serviceRoleKey: await signJwt({ ...base, role: 'service_role' }, secret),
  };
}
