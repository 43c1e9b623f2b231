// Rules the registration form explains before anything is sent. The
// authorities are elsewhere: Supabase Auth's password policy
// (supabase/config.toml: minimum_password_length = 12, password_requirements =
// "lower_upper_letters_digits") and the database (who decides a request:
// private.can_decide_request; administrator roles: private.administrator_roles).
import type { AppRole, OrganisationType } from '../../providers/access.ts';
import { sideOfOrganisationType } from '../../providers/access.ts';

export const MIN_PASSWORD_LENGTH = 12;

export type PasswordProblem = 'tooShort' | 'needsLower' | 'needsUpper' | 'needsDigit';

/** What the password still lacks under the Auth policy, in the order the form reports it. */
export function passwordProblems(password: string): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  // Auth counts bytes; for the letters and digits it asks for, bytes and characters agree.
  if (new TextEncoder().encode(password).length < MIN_PASSWORD_LENGTH) problems.push('tooShort');
  if (!/[a-z]/.test(password)) problems.push('needsLower');
  if (!/[A-Z]/.test(password)) problems.push('needsUpper');
  if (!/[0-9]/.test(password)) problems.push('needsDigit');
  return problems;
}

/** Roles that make a commissioner request one for the Support Desk (private.administrator_roles()). */
export const COMMISSIONER_ADMINISTRATOR_ROLES: readonly AppRole[] = [
  'organisation_administrator',
  'user_administrator',
  'advanced_user_administrator',
];

export type Approver = 'supportDesk' | 'commissioner' | 'practice' | 'provider';

/** Who will decide a request for `roles` at an organisation of `type`. */
export function approverOf(type: OrganisationType, roles: readonly AppRole[]): Approver {
  if (sideOfOrganisationType(type) === 'commissioner') {
    return roles.some((role) => COMMISSIONER_ADMINISTRATOR_ROLES.includes(role)) ? 'supportDesk' : 'commissioner';
  }
  return type === 'practice' ? 'practice' : 'provider';
}

/** A trimmed name with single spaces. */
export function cleanName(name: string): string {
  return name.trim().replace(/\s+/g, ' ');
}
