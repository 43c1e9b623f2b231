// Who may open which page: the caller's organisation contexts (from the
// my_access RPC) and the role table the menus and buttons follow. Pure, so
// it is unit-tested without React. The database remains the authority: this
// only decides what to offer, RLS and the action functions decide what happens.
import { Constants, type Database } from '../types/database.ts';

type PublicEnums = Database['public']['Enums'];

export type AppRole = PublicEnums['app_role'];
export type OrganisationType = PublicEnums['organisation_type'];
export type MembershipStatus = PublicEnums['membership_status'];
export type AccountStatus = PublicEnums['account_status'];

export interface AccessCluster {
  id: string;
  short_name: string;
  name: string;
}

export interface AccessMembership {
  membership_id: string;
  organisation_id: string;
  ods_code: string;
  name: string;
  type: OrganisationType;
  side: 'commissioner' | 'provider';
  roles: AppRole[];
  status: MembershipStatus;
  /** Practices only; null elsewhere. */
  approval_mode: 'one_step' | 'two_step' | null;
  clusters: AccessCluster[];
}

/** The answer of `public.my_access()`. */
export interface Access {
  profile_id: string;
  email: string;
  full_name: string | null;
  status: AccountStatus;
  platform_roles: AppRole[];
  memberships: AccessMembership[];
  unread_notifications: number;
}

/** One organisation the person can act for (the `:org` URL segment), or the Support Desk. */
export interface PortalContext {
  /** ODS code, or 'support' for the Support Desk. */
  key: string;
  label: string;
  roles: AppRole[];
  /** null for the Support Desk context. */
  membership: AccessMembership | null;
}

export const SUPPORT_CONTEXT_KEY = 'support';
export const SUPPORT_CONTEXT_LABEL = 'Support Desk';

export const ALL_ROLES: readonly AppRole[] = Constants.public.Enums.app_role;

export const COMMISSIONER_ROLES: readonly AppRole[] = [
  'organisation_administrator',
  'user_administrator',
  'advanced_user_administrator',
  'commissioning_management',
  'approver_tier_1',
  'approver_tier_2',
  'finance',
  'approval_management',
  'finance_management',
];

export const PROVIDER_ROLES: readonly AppRole[] = [
  'service_management',
  'claim_submitter',
  'provider_approver',
  'finance_view',
  'view',
  'supervisor',
  'achievement_entry',
  'declaration_management',
];

const COMMISSIONER_TYPES: readonly OrganisationType[] = ['national', 'region', 'icb', 'sub_icb'];

/** Which side of the NHS an organisation type is on (decides which roles a membership may hold). */
export function sideOfOrganisationType(type: OrganisationType): 'commissioner' | 'provider' {
  return COMMISSIONER_TYPES.includes(type) ? 'commissioner' : 'provider';
}

/** The roles a membership of an organisation of this type may hold. */
export function rolesForOrganisationType(type: OrganisationType): readonly AppRole[] {
  return sideOfOrganisationType(type) === 'commissioner' ? COMMISSIONER_ROLES : PROVIDER_ROLES;
}

/** Segregation of duties (constraint memberships_segregation_of_duties): never both at one organisation. */
export function breaksSegregationOfDuties(roles: readonly AppRole[]): boolean {
  return roles.includes('approver_tier_1') && roles.includes('approver_tier_2');
}

export const SEGREGATION_OF_DUTIES_RULE =
  'Approver Tier 1 and Approver Tier 2 cannot be held together at one organisation.';

/** Who reads a practice's claims (private.claim_provider_organisations agrees). */
export const CLAIM_READERS: readonly AppRole[] = ['claim_submitter', 'provider_approver', 'supervisor', 'view', 'finance_view'];

/** The commissioner's reviewers (private.claim_reviewer_organisations): they read claims once submitted. */
const CLAIM_REVIEWERS: readonly AppRole[] = ['approver_tier_1', 'approver_tier_2', 'finance', 'finance_management'];

/** Who makes, sends and reads payment runs (public.create_payment_run, send_payment_run agree). */
const PAYMENT_RUN_PEOPLE: readonly AppRole[] = ['finance', 'finance_management'];

/** Who reads a provider's achievement values (private.achievement_provider_organisations agrees). */
export const ACHIEVEMENT_PROVIDER_READERS: readonly AppRole[] = ['achievement_entry', 'declaration_management', 'supervisor', 'view', 'finance_view'];

/** Who reads achievement money, results (private.achievement_money_provider_organisations: View does not). */
export const ACHIEVEMENT_MONEY_PROVIDER_READERS: readonly AppRole[] = ['achievement_entry', 'declaration_management', 'supervisor', 'finance_view'];

/** The commissioner's people reaching a provider's achievement (private.achievement_commissioner_organisations). */
export const ACHIEVEMENT_COMMISSIONERS: readonly AppRole[] = ['commissioning_management', 'approval_management', 'finance_management'];

/** Who enters and amends achievement: the provider's Achievement Entry; Commissioning and Approval Management (commissioner entry). */
export const ACHIEVEMENT_ENTRY_ROLES: readonly AppRole[] = ['achievement_entry', 'commissioning_management', 'approval_management'];

const PEOPLE_ADMINISTRATORS: AppRole[] = [
  'support_desk',
  'user_administrator',
  'advanced_user_administrator',
  'provider_approver',
];

/**
 * Which roles of the current context open which resource and action.
 * The sider, the route guards and `<CanAccess>` buttons all read this table;
 * a resource or action missing here is refused.
 *
 * | resource | who |
 * | --- | --- |
 * | home, profile | everyone (profile also without any context) |
 * | registrations, access-requests | Support Desk, (Advanced) User Administrators, Provider Approvers (two-step practices) |
 * | users | the same; inviting: not Provider Approvers (invite_user is for User Administrators and the Support Desk); assigning clusters: User Administrators only |
 * | clusters | Organisation Administrators manage; User Administrators read (to assign people) |
 * | organisations | every context; PCN relationships (edit): Organisation and User Administrators |
 * | network-relationships | every context: commissioners, the Support Desk, and GP practice and PCN users (they see their PCN's practices) |
 * | services (catalogue) | every commissioner role reads; Commissioning Management creates and edits |
 * | allocated-reports | Organisation Administrators |
 * | offers (offered services) | every commissioner role reads; Commissioning Management offers (create), withdraws and cancels (edit) |
 * | participation (My services) | every provider role reads; Service Management accepts and rejects (edit) |
 * | claims | the practice's Claim Submitters, Provider Approvers, Supervisors, View and Finance View read; Claim Submitters start (create), change (edit), delete and submit; Provider Approvers approve and return; the commissioner's reviewers open a claim (show) from their notifications |
 * | claim-windows (schedules) | the same practice roles as claims |
 * | claims-review | the commissioner's reviewers (Approver Tier 1, Approver Tier 2, Finance, Finance Management): the queues of the steps they hold and the review page; Bulk Claims (bulk): Approver Tier 1 |
 * | payment-runs | the commissioner's Finance and Finance Management: the runs, a run's page and its payment file; New Payment Run (create), Send, Cancel and Send Again (edit) |
 * | payments | the practice's claim roles (as claims): what was paid when, per claim |
 * | achievement (Data Submission → Record Achievement) | the provider's achievement readers (Achievement Entry, Declaration Management, Supervisor, View, Finance View) and the commissioner's Commissioning, Approval and Finance Management read; Add New Achievement, Save Work in Progress and Submit Achievement Data (create, edit): Achievement Entry, Commissioning Management and Approval Management (public.start_achievement, save_achievement_values, submit_achievement agree) |
 * | achievement-results (Achievement → Achievement Results) | the same readers; View opens the page but reads no results (RLS: money needs another role) |
 * | declare | the practice's Achievement Entry, Declaration Management, Supervisor and Finance View read; Declaration Management declares |
 * | declaration-management | the commissioner's Commissioning, Approval and Finance Management read; Approval Management approves (awaiting commissioner approval), Finance Management approves at finance |
 * | network-achievement | Declaration Management (a PCN's nominated people) reads and submits the PCN's network achievement |
 * | awaiting-network | the commissioner's Commissioning, Approval and Finance Management: achievements stuck awaiting network achievement, with their cause and fix; Commissioning and Approval Management remind the PCN's nominated people |
 */
export const RESOURCE_ROLES: Record<string, Partial<Record<'list' | 'show' | 'create' | 'edit' | 'delete' | string, AppRole[]>>> = {
  home: { list: [...ALL_ROLES], show: [...ALL_ROLES] },
  profile: { list: [...ALL_ROLES], show: [...ALL_ROLES], edit: [...ALL_ROLES] },
  registrations: {
    list: PEOPLE_ADMINISTRATORS,
    show: PEOPLE_ADMINISTRATORS,
    edit: PEOPLE_ADMINISTRATORS,
    approve: PEOPLE_ADMINISTRATORS,
    reject: PEOPLE_ADMINISTRATORS,
  },
  'access-requests': {
    list: PEOPLE_ADMINISTRATORS,
    show: PEOPLE_ADMINISTRATORS,
    edit: PEOPLE_ADMINISTRATORS,
    approve: PEOPLE_ADMINISTRATORS,
    reject: PEOPLE_ADMINISTRATORS,
  },
  users: {
    list: PEOPLE_ADMINISTRATORS,
    show: PEOPLE_ADMINISTRATORS,
    edit: PEOPLE_ADMINISTRATORS,
    create: ['support_desk', 'user_administrator', 'advanced_user_administrator'],
    // public.assign_cluster / unassign_cluster: User Administrators of the commissioner only.
    'assign-clusters': ['user_administrator', 'advanced_user_administrator'],
  },
  clusters: {
    list: ['organisation_administrator', 'user_administrator'],
    show: ['organisation_administrator', 'user_administrator'],
    create: ['organisation_administrator'],
    edit: ['organisation_administrator'],
  },
  organisations: {
    list: [...ALL_ROLES],
    show: [...ALL_ROLES],
    edit: ['organisation_administrator', 'user_administrator'],
  },
  // CQRS job aid: ICB commissioners, GP users and PCN users all run it (the database picks the rows).
  'network-relationships': {
    list: [...ALL_ROLES],
    show: [...ALL_ROLES],
  },
  // The catalogue: every commissioner reads it; Commissioning Management writes it (RLS agrees).
  services: {
    list: [...COMMISSIONER_ROLES],
    show: [...COMMISSIONER_ROLES],
    create: ['commissioning_management'],
    edit: ['commissioning_management'],
  },
  'allocated-reports': {
    list: ['organisation_administrator'],
    edit: ['organisation_administrator'],
  },
  // Offered services: every commissioner role reads; Commissioning Management offers, withdraws and cancels.
  offers: {
    list: [...COMMISSIONER_ROLES],
    show: [...COMMISSIONER_ROLES],
    create: ['commissioning_management'],
    edit: ['commissioning_management'],
  },
  // My services: every provider role reads; Service Management accepts and rejects.
  participation: {
    list: [...PROVIDER_ROLES],
    show: [...PROVIDER_ROLES],
    edit: ['service_management'],
  },
  // Claims: the practice's claim roles read; Claim Submitters make and submit them; Provider
  // Approvers (two-step practices) approve or return. The reviewers' claim_awaiting_review
  // notification opens the read-only claim page (show) in their commissioner context.
  claims: {
    list: [...CLAIM_READERS],
    show: [...CLAIM_READERS, ...CLAIM_REVIEWERS],
    create: ['claim_submitter'],
    edit: ['claim_submitter'],
    delete: ['claim_submitter'],
    approve: ['provider_approver'],
  },
  'claim-windows': {
    list: [...CLAIM_READERS],
  },
  // Claims review: each reviewer sees the queues of the steps their roles hold; the database decides each approval.
  'claims-review': {
    list: [...CLAIM_REVIEWERS],
    show: [...CLAIM_REVIEWERS],
    // Bulk Claims: the template and the upload (public.import_bulk_claims: Approver Tier 1 of the commissioner).
    bulk: ['approver_tier_1'],
  },
  // Payment runs (payment_runs RLS): the commissioner's Finance people. Finance View is a provider-side
  // role (private.role_side), so no commissioner membership can hold it: it is not offered here.
  'payment-runs': {
    list: [...PAYMENT_RUN_PEOPLE],
    show: [...PAYMENT_RUN_PEOPLE],
    create: [...PAYMENT_RUN_PEOPLE],
    edit: [...PAYMENT_RUN_PEOPLE],
  },
  // Payments (provider side): whoever reads the practice's claims reads what was paid for them.
  payments: {
    list: [...CLAIM_READERS],
  },
  // Record Achievement: read by whoever reads the achievement; entered by Achievement Entry (manual) and
  // the commissioner's Commissioning and Approval Management (commissioner entry). The database decides each change.
  achievement: {
    list: [...ACHIEVEMENT_PROVIDER_READERS, ...ACHIEVEMENT_COMMISSIONERS],
    show: [...ACHIEVEMENT_PROVIDER_READERS, ...ACHIEVEMENT_COMMISSIONERS],
    create: [...ACHIEVEMENT_ENTRY_ROLES],
    edit: [...ACHIEVEMENT_ENTRY_ROLES],
  },
  // Achievement Results: the same readers; View reads no results (the page says which role is needed).
  'achievement-results': {
    list: [...ACHIEVEMENT_PROVIDER_READERS, ...ACHIEVEMENT_COMMISSIONERS],
  },
  // Issue 14, declarations (declare, declaration-management, network-achievement, awaiting-network).
  // The menu groups of src/resources/achievement-menu need no row: the menu shows a group when one of its entries may be opened.
  // Declare: the practice's people who read declarations (ACHIEVEMENT_MONEY_PROVIDER_READERS);
  // Declare Achievement: Declaration Management (public.declare_achievements agrees).
  declare: {
    list: [...ACHIEVEMENT_MONEY_PROVIDER_READERS],
    show: [...ACHIEVEMENT_MONEY_PROVIDER_READERS],
    declare: ['declaration_management'],
  },
  // Declaration Management (commissioner): private.achievement_commissioner_organisations' roles read;
  // Approve: Approval Management (approve_declarations), Finance Management (finance_approve_declarations).
  'declaration-management': {
    list: [...ACHIEVEMENT_COMMISSIONERS],
    show: [...ACHIEVEMENT_COMMISSIONERS],
    approve: ['approval_management'],
    'finance-approve': ['finance_management'],
  },
  // Network achievement: a PCN's nominated people (Declaration Management at the PCN) declare it.
  'network-achievement': {
    list: ['declaration_management'],
    show: ['declaration_management'],
    submit: ['declaration_management'],
  },
  // Achievements awaiting network achievement: the commissioners who read declarations; Commissioning
  // and Approval Management remind a PCN's nominated people (public.remind_network_declarers agrees).
  'awaiting-network': {
    list: [...ACHIEVEMENT_COMMISSIONERS],
    remind: ['commissioning_management', 'approval_management'],
  },
};

/** Resources a signed-in person may open without any organisation context. */
const CONTEXT_FREE_RESOURCES = new Set(['profile']);

/**
 * The contexts a person can act in: the Support Desk first (if they hold it),
 * then every active membership in the order my_access gives (organisation name).
 * Accounts that are not active have none.
 */
export function contextsOf(access: Access | undefined): PortalContext[] {
  if (!access || access.status !== 'active') return [];
  const contexts: PortalContext[] = [];
  if (access.platform_roles.includes('support_desk')) {
    contexts.push({ key: SUPPORT_CONTEXT_KEY, label: SUPPORT_CONTEXT_LABEL, roles: ['support_desk'], membership: null });
  }
  for (const membership of access.memberships) {
    if (membership.status !== 'active' || membership.roles.length === 0 || !membership.ods_code) continue;
    contexts.push({ key: membership.ods_code, label: membership.name, roles: [...membership.roles], membership });
  }
  return contexts;
}

/** The context named by a URL segment (ODS codes compared without regard to letter case). */
export function findContext(access: Access | undefined, key: string | undefined): PortalContext | undefined {
  if (!key) return undefined;
  const wanted = key.toLowerCase();
  return contextsOf(access).find((context) => context.key.toLowerCase() === wanted);
}

export function canAccess(
  context: PortalContext | undefined,
  resource: string,
  action: string,
): { can: boolean; reason?: string } {
  if (CONTEXT_FREE_RESOURCES.has(resource)) return { can: true };
  if (!context) return { can: false, reason: 'You do not have access to this organisation.' };
  const allowed = RESOURCE_ROLES[resource]?.[action];
  if (!allowed) return { can: false, reason: `This page is not available (${resource}: ${action}).` };
  if (context.roles.some((role) => allowed.includes(role))) return { can: true };
  return {
    can: false,
    reason:
      context.membership === null
        ? 'The Support Desk cannot open this page.'
        : `Your roles at ${context.label} do not allow this.`,
  };
}
