// The access mapping the menus, route guards and buttons follow: contexts
// from my_access, and canAccess for every resource, action and role.
import { describe, expect, it } from 'vitest';
import {
  contextFreeLinkTarget,
  contextHome,
  contextListRoutes,
  linkInContext,
  listRouteOfPath,
  pageInContext,
  switchContextPath,
} from '../../src/components/context-path.ts';
import {
  ALL_ROLES,
  breaksSegregationOfDuties,
  canAccess,
  COMMISSIONER_ROLES,
  contextsOf,
  findContext,
  PROVIDER_ROLES,
  RESOURCE_ROLES,
  rolesForOrganisationType,
  SUPPORT_CONTEXT_KEY,
  type Access,
  type AccessMembership,
  type AppRole,
  type PortalContext,
} from '../../src/providers/access.ts';

function membership(ods: string, name: string, roles: AppRole[], overrides: Partial<AccessMembership> = {}): AccessMembership {
  const type = overrides.type ?? (ods.startsWith('ZP') ? 'practice' : 'icb');
  return {
    membership_id: `m-${ods}`,
    organisation_id: `o-${ods}`,
    ods_code: ods,
    name,
    type,
    side: type === 'practice' || type === 'pcn' ? 'provider' : 'commissioner',
    roles,
    status: 'active',
    approval_mode: type === 'practice' ? 'one_step' : null,
    clusters: [],
    ...overrides,
  };
}

function access(overrides: Partial<Access> = {}): Access {
  return {
    profile_id: 'p1',
    email: 'someone@example.test',
    full_name: 'Some One',
    status: 'active',
    platform_roles: [],
    memberships: [],
    unread_notifications: 0,
    ...overrides,
  };
}

function contextWith(roles: AppRole[]): PortalContext {
  if (roles.includes('support_desk')) return { key: 'support', label: 'Support Desk', roles, membership: null };
  const provider = roles.some((role) => PROVIDER_ROLES.includes(role));
  const m = membership(provider ? 'ZP1001' : 'ZN1', provider ? 'Riverside Medical Centre' : 'NHS Northshire ICB', roles);
  return { key: m.ods_code, label: m.name, roles, membership: m };
}

describe('contextsOf', () => {
  it('lists the Support Desk first, then active memberships in the given order', () => {
    const contexts = contextsOf(
      access({
        platform_roles: ['support_desk'],
        memberships: [
          membership('ZN1', 'NHS Northshire ICB', ['user_administrator']),
          membership('ZP1003', 'Mill Lane Practice', ['claim_submitter'], { status: 'requested' }),
          membership('ZP1001', 'Riverside Medical Centre', ['provider_approver']),
          membership('ZP1002', 'Bridge Street Surgery', ['claim_submitter'], { status: 'revoked' }),
          membership('ZS1', 'NHS Southvale ICB', ['finance'], { status: 'rejected' }),
        ],
      }),
    );
    expect(contexts.map((context) => context.key)).toEqual([SUPPORT_CONTEXT_KEY, 'ZN1', 'ZP1001']);
    expect(contexts[0]).toMatchObject({ label: 'Support Desk', roles: ['support_desk'], membership: null });
    expect(contexts[1]).toMatchObject({ label: 'NHS Northshire ICB', roles: ['user_administrator'] });
    expect(contexts[2]?.membership?.organisation_id).toBe('o-ZP1001');
  });

  it('gives accounts that are not active no context at all', () => {
    for (const status of ['pending', 'invited', 'rejected', 'disabled'] as const) {
      const contexts = contextsOf(
        access({ status, platform_roles: ['support_desk'], memberships: [membership('ZN1', 'NHS Northshire ICB', ['finance'])] }),
      );
      expect(contexts, status).toEqual([]);
    }
    expect(contextsOf(undefined)).toEqual([]);
  });

  it('skips memberships without an ODS code (they cannot be named in an address)', () => {
    const odd = membership('ZN1', 'No code body', ['finance']);
    expect(contextsOf(access({ memberships: [{ ...odd, ods_code: '' }] }))).toEqual([]);
  });
});

describe('findContext', () => {
  const alex = access({ memberships: [membership('ZN1', 'NHS Northshire ICB', ['organisation_administrator', 'user_administrator'])] });

  it('finds a context by ODS code, in any letter case', () => {
    expect(findContext(alex, 'ZN1')?.label).toBe('NHS Northshire ICB');
    expect(findContext(alex, 'zn1')?.key).toBe('ZN1');
  });

  it('finds nothing for an organisation that is not the caller’s, for support without the role, or no key', () => {
    expect(findContext(alex, 'ZS1')).toBeUndefined();
    expect(findContext(alex, 'support')).toBeUndefined();
    expect(findContext(alex, undefined)).toBeUndefined();
    expect(findContext(alex, '')).toBeUndefined();
  });

  it('finds the Support Desk context for the Support Desk', () => {
    const sam = access({ platform_roles: ['support_desk'] });
    expect(findContext(sam, 'support')?.roles).toEqual(['support_desk']);
  });
});

/** Who may list each resource: the table of the brief, written out role by role. */
const EXPECTED_LIST: Record<string, readonly AppRole[]> = {
  home: ALL_ROLES,
  profile: ALL_ROLES,
  registrations: ['support_desk', 'user_administrator', 'advanced_user_administrator', 'provider_approver'],
  'access-requests': ['support_desk', 'user_administrator', 'advanced_user_administrator', 'provider_approver'],
  users: ['support_desk', 'user_administrator', 'advanced_user_administrator', 'provider_approver'],
  clusters: ['organisation_administrator', 'user_administrator'],
  organisations: ALL_ROLES,
  // Practice and PCN users too (job aid: "GP User", "PCN User").
  'network-relationships': ALL_ROLES,
  services: COMMISSIONER_ROLES,
  'allocated-reports': ['organisation_administrator'],
  offers: COMMISSIONER_ROLES,
  participation: PROVIDER_ROLES,
  // The practice's claim roles (private.claim_provider_organisations): not Service Management,
  // Achievement Entry or Declaration Management, and no commissioner.
  claims: ['claim_submitter', 'provider_approver', 'supervisor', 'view', 'finance_view'],
  'claim-windows': ['claim_submitter', 'provider_approver', 'supervisor', 'view', 'finance_view'],
  // The commissioner's reviewers (private.claim_reviewer_organisations): each sees the queues of the steps held.
  'claims-review': ['approver_tier_1', 'approver_tier_2', 'finance', 'finance_management'],
  // payment_runs RLS (private.payment_run_commissioners): the commissioner's Finance and Finance Management.
  'payment-runs': ['finance', 'finance_management'],
  // The practice's claim roles: they read their claims' payments.
  payments: ['claim_submitter', 'provider_approver', 'supervisor', 'view', 'finance_view'],
  // Achievement readers (private.achievement_provider_organisations) and the commissioner's
  // Commissioning, Approval and Finance Management (private.achievement_commissioner_organisations).
  achievement: ['achievement_entry', 'declaration_management', 'supervisor', 'view', 'finance_view', 'commissioning_management', 'approval_management', 'finance_management'],
  // The same; View opens the page and is told results need another role (RLS shows it none).
  'achievement-results': ['achievement_entry', 'declaration_management', 'supervisor', 'view', 'finance_view', 'commissioning_management', 'approval_management', 'finance_management'],
  // Declarations' readers at the practice (private.achievement_money_provider_organisations): not View.
  declare: ['achievement_entry', 'declaration_management', 'supervisor', 'finance_view'],
  // private.achievement_commissioner_organisations.
  'declaration-management': ['commissioning_management', 'approval_management', 'finance_management'],
  // A PCN's nominated people.
  'network-achievement': ['declaration_management'],
  'awaiting-network': ['commissioning_management', 'approval_management', 'finance_management'],
};

describe('canAccess', () => {
  it('covers exactly the resources of the portal', () => {
    expect(Object.keys(RESOURCE_ROLES).sort()).toEqual(Object.keys(EXPECTED_LIST).sort());
  });

  for (const [resource, allowed] of Object.entries(EXPECTED_LIST)) {
    it(`list ${resource}: ${allowed.length === ALL_ROLES.length ? 'every role' : allowed.join(', ')}`, () => {
      for (const role of ALL_ROLES) {
        const answer = canAccess(contextWith([role]), resource, 'list');
        expect(answer.can, `${role} → ${resource}`).toBe(allowed.includes(role));
        if (!answer.can) expect(answer.reason).toBeTruthy();
      }
    });
  }

  it('achievement: Achievement Entry, Commissioning Management and Approval Management enter it; the other readers only read', () => {
    for (const role of ALL_ROLES) {
      const enters = ['achievement_entry', 'commissioning_management', 'approval_management'].includes(role);
      expect(canAccess(contextWith([role]), 'achievement', 'create').can, role).toBe(enters);
      expect(canAccess(contextWith([role]), 'achievement', 'edit').can, role).toBe(enters);
    }
  });

  it('services: every commissioner role reads the catalogue; only Commissioning Management creates and edits', () => {
    for (const role of COMMISSIONER_ROLES) {
      expect(canAccess(contextWith([role]), 'services', 'show').can, role).toBe(true);
      const writes = role === 'commissioning_management';
      expect(canAccess(contextWith([role]), 'services', 'create').can, role).toBe(writes);
      expect(canAccess(contextWith([role]), 'services', 'edit').can, role).toBe(writes);
    }
    expect(canAccess(contextWith(['service_management']), 'services', 'show').can).toBe(false);
  });

  it('offers: every commissioner role reads offered services; only Commissioning Management offers, withdraws and cancels', () => {
    for (const role of COMMISSIONER_ROLES) {
      expect(canAccess(contextWith([role]), 'offers', 'show').can, role).toBe(true);
      const writes = role === 'commissioning_management';
      expect(canAccess(contextWith([role]), 'offers', 'create').can, role).toBe(writes);
      expect(canAccess(contextWith([role]), 'offers', 'edit').can, role).toBe(writes);
    }
    for (const role of PROVIDER_ROLES) expect(canAccess(contextWith([role]), 'offers', 'list').can, role).toBe(false);
    expect(canAccess(contextWith(['support_desk']), 'offers', 'list').can).toBe(false);
  });

  it('participation: every provider role reads My services; only Service Management accepts and rejects', () => {
    for (const role of PROVIDER_ROLES) {
      expect(canAccess(contextWith([role]), 'participation', 'show').can, role).toBe(true);
      expect(canAccess(contextWith([role]), 'participation', 'edit').can, role).toBe(role === 'service_management');
      expect(canAccess(contextWith([role]), 'participation', 'create').can, role).toBe(false);
    }
    for (const role of COMMISSIONER_ROLES) expect(canAccess(contextWith([role]), 'participation', 'list').can, role).toBe(false);
  });

  it('claims: Claim Submitters make, change, delete and submit; Provider Approvers approve and return; the rest of the practice only reads', () => {
    for (const role of ALL_ROLES) {
      const ctx = contextWith([role]);
      const submitter = role === 'claim_submitter';
      expect(canAccess(ctx, 'claims', 'create').can, role).toBe(submitter);
      expect(canAccess(ctx, 'claims', 'edit').can, role).toBe(submitter);
      expect(canAccess(ctx, 'claims', 'delete').can, role).toBe(submitter);
      expect(canAccess(ctx, 'claims', 'approve').can, role).toBe(role === 'provider_approver');
    }
  });

  it('claims: the commissioner’s reviewers open a claim from a notification (show) but have no claims list', () => {
    const reviewers: AppRole[] = ['approver_tier_1', 'approver_tier_2', 'finance', 'finance_management'];
    for (const role of ALL_ROLES) {
      const reads = reviewers.includes(role) || EXPECTED_LIST.claims!.includes(role);
      expect(canAccess(contextWith([role]), 'claims', 'show').can, role).toBe(reads);
    }
    for (const role of reviewers) expect(canAccess(contextWith([role]), 'claims', 'list').can, role).toBe(false);
    expect(canAccess(contextWith(['support_desk']), 'claims', 'show').can).toBe(false);
  });

  it('allocated-reports: Organisation Administrators only', () => {
    expect(canAccess(contextWith(['organisation_administrator']), 'allocated-reports', 'edit').can).toBe(true);
    expect(canAccess(contextWith(['commissioning_management']), 'allocated-reports', 'edit').can).toBe(false);
    expect(canAccess(contextWith(['user_administrator']), 'allocated-reports', 'list').can).toBe(false);
  });

  it('clusters: Organisation Administrators create and edit, User Administrators only read', () => {
    for (const action of ['list', 'show', 'create', 'edit']) {
      expect(canAccess(contextWith(['organisation_administrator']), 'clusters', action).can, action).toBe(true);
    }
    expect(canAccess(contextWith(['user_administrator']), 'clusters', 'show').can).toBe(true);
    expect(canAccess(contextWith(['user_administrator']), 'clusters', 'create').can).toBe(false);
    expect(canAccess(contextWith(['user_administrator']), 'clusters', 'edit').can).toBe(false);
  });

  it('users: only User Administrators assign and unassign clusters (not the Support Desk, not Provider Approvers)', () => {
    expect(canAccess(contextWith(['user_administrator']), 'users', 'assign-clusters').can).toBe(true);
    expect(canAccess(contextWith(['advanced_user_administrator']), 'users', 'assign-clusters').can).toBe(true);
    expect(canAccess(contextWith(['support_desk']), 'users', 'assign-clusters').can).toBe(false);
    expect(canAccess(contextWith(['provider_approver']), 'users', 'assign-clusters').can).toBe(false);
    expect(canAccess(contextWith(['organisation_administrator']), 'users', 'assign-clusters').can).toBe(false);
  });

  it('users: Provider Approvers review people but cannot invite', () => {
    const approver = contextWith(['provider_approver']);
    expect(canAccess(approver, 'users', 'show').can).toBe(true);
    expect(canAccess(approver, 'users', 'create').can).toBe(false);
    expect(canAccess(contextWith(['user_administrator']), 'users', 'create').can).toBe(true);
    expect(canAccess(contextWith(['support_desk']), 'users', 'create').can).toBe(true);
  });

  it('registrations and access requests: the deciders may review, approve and reject', () => {
    for (const resource of ['registrations', 'access-requests']) {
      for (const action of ['show', 'approve', 'reject']) {
        expect(canAccess(contextWith(['advanced_user_administrator']), resource, action).can).toBe(true);
        expect(canAccess(contextWith(['finance']), resource, action).can).toBe(false);
      }
    }
  });

  it('combines the roles of a context: any one allowed role is enough', () => {
    const mixed = contextWith(['finance', 'organisation_administrator']);
    expect(canAccess(mixed, 'clusters', 'edit').can).toBe(true);
    expect(canAccess(mixed, 'users', 'list').can).toBe(false);
  });

  it('refuses without a context, except the profile', () => {
    expect(canAccess(undefined, 'home', 'list')).toEqual({ can: false, reason: 'You do not have access to this organisation.' });
    expect(canAccess(undefined, 'profile', 'list').can).toBe(true);
    expect(canAccess(undefined, 'profile', 'edit').can).toBe(true);
  });

  it('refuses unknown resources and actions (deny by default)', () => {
    const admin = contextWith(['organisation_administrator', 'user_administrator']);
    expect(canAccess(admin, 'claims', 'list').can).toBe(false);
    expect(canAccess(admin, 'users', 'delete').can).toBe(false);
    expect(canAccess(admin, 'organisations', 'delete').can).toBe(false);
  });

  it('explains a refusal with the organisation', () => {
    expect(canAccess(contextWith(['claim_submitter']), 'users', 'list').reason).toBe(
      'Your roles at Riverside Medical Centre do not allow this.',
    );
  });
});

describe('roles and segregation of duties', () => {
  it('offers commissioner roles at commissioners and provider roles at providers', () => {
    for (const type of ['national', 'region', 'icb', 'sub_icb'] as const) expect(rolesForOrganisationType(type)).toBe(COMMISSIONER_ROLES);
    for (const type of ['pcn', 'practice', 'other_provider'] as const) expect(rolesForOrganisationType(type)).toBe(PROVIDER_ROLES);
    expect([...COMMISSIONER_ROLES, ...PROVIDER_ROLES, 'support_desk'].sort()).toEqual([...ALL_ROLES].sort());
  });

  it('flags Approver Tier 1 with Approver Tier 2 only', () => {
    expect(breaksSegregationOfDuties(['approver_tier_1', 'approver_tier_2'])).toBe(true);
    expect(breaksSegregationOfDuties(['approver_tier_1', 'finance'])).toBe(false);
    expect(breaksSegregationOfDuties(['approver_tier_2'])).toBe(false);
  });
});

describe('addresses inside a context', () => {
  const routes = contextListRoutes([
    { name: 'home', list: '/:org' },
    { name: 'users', list: '/:org/users' },
    { name: 'clusters', list: '/:org/clusters' },
    { name: 'network-relationships', list: '/:org/reports/network-relationships' },
    { name: 'offers', list: '/:org/offered-services' },
    { name: 'participation', list: '/:org/participation' },
    { name: 'claims', list: '/:org/claims' },
    { name: 'claim-windows', list: '/:org/claim-windows' },
    { name: 'profile', list: '/profile' },
  ]);

  it('maps notification links into the context', () => {
    expect(linkInContext('ZN1', '/registrations/abc')).toBe('/ZN1/registrations/abc');
    expect(linkInContext('ZN1', '/')).toBe('/ZN1');
    expect(linkInContext('support', null)).toBe('/support');
    expect(linkInContext('ZN1', 'https://elsewhere.example/x')).toBe('/ZN1');
    expect(linkInContext('ZN1', '//elsewhere.example/x')).toBe('/ZN1');
    expect(contextHome({ key: 'ZP1001' })).toBe('/ZP1001');
  });

  it('knows which resource a path belongs to, nested report paths included', () => {
    expect(listRouteOfPath('/ZN1/users/42', routes)?.resource).toBe('users');
    expect(listRouteOfPath('/ZN1/reports/network-relationships', routes)?.resource).toBe('network-relationships');
    expect(listRouteOfPath('/ZN1', routes)).toBeUndefined();
    expect(listRouteOfPath('/ZN1/nothing-here', routes)).toBeUndefined();
  });

  it('opens an emailed link (no organisation in it) in the first context that may open that page', () => {
    const practice = contextWith(['claim_submitter']);
    const admin = contextWith(['user_administrator']);
    const support = contextWith(['support_desk']);
    expect(contextFreeLinkTarget('/users/42', [practice, admin], routes)).toBe('/ZN1/users/42');
    expect(contextFreeLinkTarget('/users/42', [support, admin], routes)).toBe('/support/users/42');
    expect(contextFreeLinkTarget('/users/42', [practice], routes)).toBeUndefined();
    expect(contextFreeLinkTarget('/nothing-here/1', [admin], routes)).toBeUndefined();
    expect(contextFreeLinkTarget('/ZN1/users', [admin], routes)).toBeUndefined();
    // offer_service and end_offers link to these (commissioners / providers open them).
    const commissioning = contextWith(['commissioning_management']);
    const serviceManagement = contextWith(['service_management']);
    expect(contextFreeLinkTarget('/offered-services/s-1', [serviceManagement, commissioning], routes)).toBe('/ZN1/offered-services/s-1');
    expect(contextFreeLinkTarget('/participation/o-1', [commissioning, serviceManagement], routes)).toBe('/ZP1001/participation/o-1');
    // Claim notifications (returned, quarantined, awaiting approval) link to /claims/<id>: a practice context opens them.
    const submitter = contextWith(['claim_submitter']);
    expect(contextFreeLinkTarget('/claims/c-1', [commissioning, submitter], routes)).toBe('/ZP1001/claims/c-1');
    expect(contextFreeLinkTarget('/claims/c-1', [serviceManagement], routes)).toBeUndefined();
    expect(listRouteOfPath('/ZP1001/claim-windows', routes)?.resource).toBe('claim-windows');
  });

  it('opens claim links in the reviewer’s context on the review page, and in the practice’s on the claim page', () => {
    const tier1 = contextWith(['approver_tier_1']);
    const finance = contextWith(['finance_management']);
    const submitter = contextWith(['claim_submitter']);
    const commissioning = contextWith(['commissioning_management']);
    expect(pageInContext(tier1, '/claims/c-1')).toBe('/claims-review/c-1');
    expect(pageInContext(finance, '/claims/c-1')).toBe('/claims-review/c-1');
    expect(pageInContext(submitter, '/claims/c-1')).toBe('/claims/c-1');
    // Not a reviewer: the link stays as it is (and the claim page refuses it).
    expect(pageInContext(commissioning, '/claims/c-1')).toBe('/claims/c-1');
    // Only a claim's own page is redirected.
    expect(pageInContext(tier1, '/claims/c-1/summary')).toBe('/claims/c-1/summary');
    expect(pageInContext(tier1, '/registrations/r-1')).toBe('/registrations/r-1');
    expect(pageInContext(tier1, null)).toBeNull();
    const withReview = contextListRoutes([
      { name: 'claims', list: '/:org/claims' },
      { name: 'claims-review', list: '/:org/claims-review' },
    ]);
    // Emailed links: the first context that may open the page as that context opens it.
    expect(contextFreeLinkTarget('/claims/c-1', [commissioning, tier1], withReview)).toBe('/ZN1/claims-review/c-1');
    expect(contextFreeLinkTarget('/claims/c-1', [submitter, tier1], withReview)).toBe('/ZP1001/claims/c-1');
    expect(contextFreeLinkTarget('/claims/c-1', [commissioning], withReview)).toBeUndefined();
    expect(canAccess(tier1, 'claims-review', 'show').can).toBe(true);
    expect(canAccess(submitter, 'claims-review', 'show').can).toBe(false);
  });

  it('payment runs: Finance and Finance Management create, send, cancel and send again; nobody else opens them', () => {
    for (const role of ALL_ROLES) {
      const finance = role === 'finance' || role === 'finance_management';
      for (const action of ['list', 'show', 'create', 'edit']) expect(canAccess(contextWith([role]), 'payment-runs', action).can, `${role} ${action}`).toBe(finance);
    }
  });

  it('opens payment run tasks in the Finance context and claim_paid news in the practice’s', () => {
    const finance = contextWith(['finance']);
    const submitter = contextWith(['claim_submitter']);
    const tier1 = contextWith(['approver_tier_1']);
    // Nothing to rewrite: the link names the page each opens.
    expect(pageInContext(finance, '/payment-runs/r-1')).toBe('/payment-runs/r-1');
    const withRuns = contextListRoutes([
      { name: 'claims', list: '/:org/claims' },
      { name: 'claims-review', list: '/:org/claims-review' },
      { name: 'payment-runs', list: '/:org/payment-runs' },
      { name: 'payments', list: '/:org/payments' },
    ]);
    // Emailed links: the first context that may open the page.
    expect(contextFreeLinkTarget('/payment-runs/r-1', [submitter, tier1, finance], withRuns)).toBe('/ZN1/payment-runs/r-1');
    expect(contextFreeLinkTarget('/payment-runs/r-1', [submitter, tier1], withRuns)).toBeUndefined();
    expect(contextFreeLinkTarget('/claims/c-1', [finance, submitter], withRuns)).toBe('/ZN1/claims-review/c-1');
    expect(contextFreeLinkTarget('/payments', [finance, submitter], withRuns)).toBe('/ZP1001/payments');
  });

  it('declarations: Declaration Management declares, Approval Management and Finance Management approve their own step, Commissioning and Approval Management remind (the functions agree)', () => {
    for (const role of ALL_ROLES) {
      const context = contextWith([role]);
      expect(canAccess(context, 'declare', 'declare').can, role).toBe(role === 'declaration_management');
      expect(canAccess(context, 'declaration-management', 'approve').can, role).toBe(role === 'approval_management');
      expect(canAccess(context, 'declaration-management', 'finance-approve').can, role).toBe(role === 'finance_management');
      expect(canAccess(context, 'network-achievement', 'submit').can, role).toBe(role === 'declaration_management');
      expect(canAccess(context, 'awaiting-network', 'remind').can, role).toBe(role === 'commissioning_management' || role === 'approval_management');
    }
  });

  it('opens declaration notifications where they belong: /declare/<id> at the practice, /declaration-management/<id> at the commissioner, /network-achievement/<id> at the PCN', () => {
    const ash = contextWith(['declaration_management']);
    const jordan = contextWith(['approval_management']);
    const routes = contextListRoutes([
      { name: 'declare', list: '/:org/declare' },
      { name: 'declaration-management', list: '/:org/declaration-management' },
      { name: 'network-achievement', list: '/:org/network-achievement' },
    ]);
    expect(contextFreeLinkTarget('/declare/d-1', [jordan, ash], routes)).toBe('/ZP1001/declare/d-1');
    expect(contextFreeLinkTarget('/declaration-management/d-1', [ash, jordan], routes)).toBe('/ZN1/declaration-management/d-1');
    expect(contextFreeLinkTarget('/declaration-management/d-1', [ash], routes)).toBeUndefined();
    expect(canAccess(ash, 'declare', 'show').can).toBe(true);
    expect(canAccess(ash, 'network-achievement', 'show').can).toBe(true);
  });

  it('gives Bulk Claims to Approver Tier 1 only (import_bulk_claims agrees)', () => {
    expect(canAccess(contextWith(['approver_tier_1']), 'claims-review', 'bulk').can).toBe(true);
    for (const role of ['approver_tier_2', 'finance', 'finance_management', 'claim_submitter', 'commissioning_management'] as const) {
      expect(canAccess(contextWith([role]), 'claims-review', 'bulk').can, role).toBe(false);
    }
  });

  it('switches to the same list in the new context when it is allowed there, else to its home', () => {
    const practice = contextWith(['provider_approver']);
    const finance = contextWith(['finance']);
    expect(switchContextPath('/ZN1/users/42', practice, routes)).toBe('/ZP1001/users');
    expect(switchContextPath('/ZN1/clusters', practice, routes)).toBe('/ZP1001');
    expect(switchContextPath('/ZP1001/reports/network-relationships', finance, routes)).toBe('/ZN1/reports/network-relationships');
    expect(switchContextPath('/ZP1001', finance, routes)).toBe('/ZN1');
    // The report is open to practice users too.
    expect(switchContextPath('/ZN1/reports/network-relationships', practice, routes)).toBe('/ZP1001/reports/network-relationships');
  });
});
