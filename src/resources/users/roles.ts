// Role choices on the users pages. The role lists and the segregation-of-duties
// rule come from src/providers/access.ts (the browser's copy of the database's
// rules); the database refuses a wrong combination anyway, this lets the forms
// explain it before anything is sent.
import {
  breaksSegregationOfDuties,
  COMMISSIONER_ROLES,
  PROVIDER_ROLES,
  SEGREGATION_OF_DUTIES_RULE,
  sideOfOrganisationType,
  type AppRole,
  type OrganisationType,
} from '../../providers/access.ts';

export type { AppRole, OrganisationType };
export type Side = 'commissioner' | 'provider';
export { breaksSegregationOfDuties, COMMISSIONER_ROLES, PROVIDER_ROLES, SEGREGATION_OF_DUTIES_RULE, sideOfOrganisationType };

/** Roles that only the Support Desk or an Advanced User Administrator may grant at a commissioner (private.administrator_roles()). */
export const ADMINISTRATOR_ROLES: readonly AppRole[] = [
  'organisation_administrator',
  'user_administrator',
  'advanced_user_administrator',
];

export function rolesForSide(side: Side): readonly AppRole[] {
  return side === 'commissioner' ? COMMISSIONER_ROLES : PROVIDER_ROLES;
}

/** What is wrong with a choice of roles (the forms say it in words). */
export type RoleSelectionProblem = 'none_chosen' | 'wrong_side' | 'segregation_of_duties';

/**
 * Why these roles cannot be held at an organisation of this side, or undefined when they can.
 * The same checks as private.membership_request_problem, so the form stops before sending.
 */
export function roleSelectionProblem(side: Side, roles: readonly AppRole[]): RoleSelectionProblem | undefined {
  if (roles.length === 0) return 'none_chosen';
  const allowed = rolesForSide(side);
  if (roles.some((role) => !allowed.includes(role))) return 'wrong_side';
  if (breaksSegregationOfDuties(roles)) return 'segregation_of_duties';
  return undefined;
}
