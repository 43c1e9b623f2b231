// Random values and hashes the auth service hands out: refresh tokens, email
// OTPs, the token hash that email links carry, PKCE verification.
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Uniformly random alphanumeric string (refresh tokens are 12 characters, like GoTrue's). */
export function randomAlphanumeric(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return out;
}

/** A numeric one-time code of `digits` digits (leading zeros kept). */
export function randomOtp(digits: number): string {
  let out = '';
  for (let i = 0; i < digits; i++) out += String(randomInt(10));
  return out;
}

/** What email links carry and the database stores: hex SHA-224 of address + code, as GoTrue. */
export function tokenHash(emailOrPhone: string, otp: string): string {
  return createHash('sha224').update(emailOrPhone + otp).digest('hex');
}

/** Constant-time string comparison. */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** RFC 7636: does `verifier` answer `challenge` for the method (s256 or plain)? */
export function pkceVerifies(method: string, challenge: string, verifier: string): boolean {
  if (method.toLowerCase() === 'plain') return sameSecret(challenge, verifier);
  const digest = createHash('sha256').update(verifier).digest('base64url');
  return sameSecret(challenge, digest);
}
