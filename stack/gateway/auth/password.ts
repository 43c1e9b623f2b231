// Password rules (`[auth] minimum_password_length`, `password_requirements`), as
// GoTrue checks them: a WeakPasswordError lists every failed rule.
import { badRequest, WeakPasswordError } from './errors.ts';
import type { AuthSettings } from './settings.ts';

/** bcrypt only reads 72 bytes. */
export const MAX_PASSWORD_BYTES = 72;

export function weakPasswordReasons(settings: AuthSettings, password: string): WeakPasswordError | undefined {
  const messages: string[] = [];
  const reasons: string[] = [];
  if (Buffer.byteLength(password) < settings.minimumPasswordLength) {
    reasons.push('length');
    messages.push(`Password should be at least ${settings.minimumPasswordLength} characters.`);
  }
  const sets = settings.passwordRequiredCharacters;
  if (sets.some((set) => set !== '' && ![...password].some((ch) => set.includes(ch)))) {
    reasons.push('characters');
    messages.push(`Password should contain at least one character of each: ${sets.join(', ')}.`);
  }
  return reasons.length > 0 ? new WeakPasswordError(messages.join(' '), reasons) : undefined;
}

/** Throws when the password may not be set: too long (400) or weak (422 weak_password). */
export function checkPasswordStrength(settings: AuthSettings, password: string): void {
  if (Buffer.byteLength(password) > MAX_PASSWORD_BYTES) {
    throw badRequest('validation_failed', `Password cannot be longer than ${MAX_PASSWORD_BYTES} characters`);
  }
  const weak = weakPasswordReasons(settings, password);
  if (weak) throw weak;
}
