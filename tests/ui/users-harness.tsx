// Test harness of the users pages: the real pages and routes of
// src/resources/users inside Refine (router, i18n, access control over the
// real role table, notifications, antd App), with an in-memory data provider,
// an RPC test double and a my_access test double. No Supabase: the database
// cannot run in jsdom. The send-invitation edge function is stood in for by
// each test file (vi.mock of invitation-email.ts).
import { useNotificationProvider } from '@refinedev/antd';
import { Refine, type AuthProvider, type BaseRecord, type CrudFilter, type DataProvider, type GetListParams } from '@refinedev/core';
import routerProvider, { UnsavedChangesNotifier } from '@refinedev/react-router';
import { render } from '@testing-library/react';
import { App as AntdApp, ConfigProvider } from 'antd';
import enGB from 'antd/locale/en_GB.js';
import { useRef, type ReactNode } from 'react';
import { MemoryRouter, Outlet, Route, Routes, useLocation } from 'react-router';
import { setRpcTransport, type RpcResponse } from '../../src/components/rpc.ts';
import { AccessProvider, useAccess, useCurrentContext } from '../../src/providers/access-context.tsx';
import { createAccessControlProvider } from '../../src/providers/access-control.ts';
import type { Access, AccessMembership, PortalContext } from '../../src/providers/access.ts';
import { i18nProvider } from '../../src/providers/i18n-provider.ts';
import * as users from '../../src/resources/users/index.tsx';
import type { AuditEntry, ClusterAssignmentRow, UserDirectoryRow } from '../../src/resources/users/types.ts';

type Row = Record<string, unknown>;

export const ORG = {
  ZN1: { id: '00000000-0000-4000-8000-0000000000a1', ods_code: 'ZN1', name: 'NHS Northshire ICB', type: 'icb', parent_id: null },
  ZN1E: { id: '00000000-0000-4000-8000-0000000000a2', ods_code: 'ZN1E', name: 'Northshire East', type: 'sub_icb', parent_id: null },
  ZP1001: { id: '00000000-0000-4000-8000-0000000000a3', ods_code: 'ZP1001', name: 'Riverside Medical Centre', type: 'practice', parent_id: null },
  ZP1004: { id: '00000000-0000-4000-8000-0000000000a4', ods_code: 'ZP1004', name: 'Hill Top Surgery', type: 'practice', parent_id: null },
} as const;

export const ALEX_ID = '10000000-0000-4000-8000-000000000001';
export const TAYLOR_ID = '10000000-0000-4000-8000-000000000002';
export const PAT_ID = '10000000-0000-4000-8000-000000000003';
export const TAYLOR_MEMBERSHIP = '20000000-0000-4000-8000-000000000002';
export const CLUSTER_ID = '30000000-0000-4000-8000-000000000001';

export const ALEX_MEMBERSHIP: AccessMembership = {
  membership_id: '20000000-0000-4000-8000-000000000001',
  organisation_id: ORG.ZN1.id,
  ods_code: 'ZN1',
  name: 'NHS Northshire ICB',
  type: 'icb',
  side: 'commissioner',
  roles: ['organisation_administrator', 'user_administrator'],
  status: 'active',
  approval_mode: null,
  clusters: [],
};

/** Alex Admin (ZN1: Organisation Administrator, User Administrator). */
export const ALEX_ACCESS: Access = {
  profile_id: ALEX_ID,
  email: 'icb.admin@northshire.example',
  full_name: 'Alex Admin',
  status: 'active',
  platform_roles: [],
  memberships: [ALEX_MEMBERSHIP],
  unread_notifications: 0,
};

/** Sam Support: the Support Desk (no membership; context `support`). */
export const SUPPORT_ACCESS: Access = {
  profile_id: '10000000-0000-4000-8000-000000000009',
  email: 'support.desk@cqrs-demo.example',
  full_name: 'Sam Support',
  status: 'active',
  platform_roles: ['support_desk'],
  memberships: [],
  unread_notifications: 0,
};

export function directoryRow(partial: Partial<UserDirectoryRow> & Pick<UserDirectoryRow, 'id' | 'full_name' | 'email'>): UserDirectoryRow {
  const memberships = partial.memberships ?? [];
  return {
    status: 'active',
    generic_mailbox: false,
    created_at: '2025-06-30T23:30:00Z',
    disabled_reason: null,
    disabled_reason_text: null,
    organisation_ids: memberships.map((m) => m.organisation_id),
    roles: [...new Set(memberships.filter((m) => m.status === 'active').flatMap((m) => m.roles))],
    memberships,
    ...partial,
  };
}

export const ALEX = directoryRow({
  id: ALEX_ID,
  full_name: 'Alex Admin',
  email: 'icb.admin@northshire.example',
  memberships: [
    { membership_id: ALEX_MEMBERSHIP.membership_id, organisation_id: ORG.ZN1.id, ods_code: 'ZN1', name: 'NHS Northshire ICB', type: 'icb', roles: ['organisation_administrator', 'user_administrator'], status: 'active' },
  ],
});

export const TAYLOR = directoryRow({
  id: TAYLOR_ID,
  full_name: 'Taylor Tier-One',
  email: 'tier1@northshire.example',
  created_at: '2025-01-15T09:00:00Z',
  memberships: [
    { membership_id: TAYLOR_MEMBERSHIP, organisation_id: ORG.ZN1.id, ods_code: 'ZN1', name: 'NHS Northshire ICB', type: 'icb', roles: ['approver_tier_1'], status: 'active' },
  ],
});

export const PAT = directoryRow({
  id: PAT_ID,
  full_name: 'Pat Practice',
  email: 'practice.user@riverside.example',
  memberships: [
    { membership_id: '20000000-0000-4000-8000-000000000003', organisation_id: ORG.ZP1001.id, ods_code: 'ZP1001', name: 'Riverside Medical Centre', type: 'practice', roles: ['claim_submitter', 'service_management'], status: 'active' },
  ],
});

export const CLUSTERS = [
  { id: CLUSTER_ID, commissioner_id: ORG.ZN1.id, short_name: 'CL-ZN1-001', name: 'Riverside practices' },
  { id: '30000000-0000-4000-8000-000000000002', commissioner_id: ORG.ZN1.id, short_name: 'CL-ZN1-002', name: 'Hill Top only' },
];

export function auditEntry(partial: Partial<AuditEntry> & Pick<AuditEntry, 'id' | 'action' | 'occurred_at'>): AuditEntry {
  return {
    actor_id: ALEX_ID,
    actor_role: 'authenticated',
    after: null,
    before: null,
    entity_id: 'x',
    entity_type: 'membership',
    organisation_id: ORG.ZN1.id,
    reason: null,
    subject_profile_id: TAYLOR_ID,
    ...partial,
  };
}

function matches(row: Row, filter: CrudFilter): boolean {
  if (filter.operator === 'or') return filter.value.length === 0 || filter.value.some((f) => matches(row, f));
  if (filter.operator === 'and') return filter.value.every((f) => matches(row, f));
  if (!('field' in filter)) throw new Error('unexpected filter shape');
  if (filter.value === undefined) return true; // Refine drops such filters before the data provider; be as lenient
  const value = row[filter.field];
  switch (filter.operator) {
    case 'contains':
      return String(value ?? '').toLowerCase().includes(String(filter.value).toLowerCase());
    case 'eq':
      return value === filter.value;
    case 'in':
      return (filter.value as unknown[]).includes(value);
    case 'ina': // PostgREST cs: the array column contains every value
      return Array.isArray(value) && (filter.value as unknown[]).every((v) => (value as unknown[]).includes(v));
    default:
      throw new Error(`test double does not implement the "${filter.operator}" filter`);
  }
}

export interface RpcCall {
  name: string;
  args: Record<string, unknown>;
}

export interface Double {
  provider: DataProvider;
  tables: Record<string, Row[]>;
  listCalls: GetListParams[];
  failing: Set<string>;
  rpcCalls: RpcCall[];
  /** Answers RPCs; the default succeeds with no data. */
  rpc: (call: RpcCall) => RpcResponse | Promise<RpcResponse>;
}

/** An in-memory stand-in for @refinedev/supabase: filters, sorts and pages like PostgREST would. */
export function createDouble(tables: Partial<Record<string, Row[]>> = {}): Double {
  const organisations = Object.values(ORG) as unknown as Row[];
  const double: Double = {
    tables: {
      organisations,
      my_organisations: organisations,
      user_directory: [ALEX, TAYLOR, PAT] as unknown as Row[],
      clusters: CLUSTERS,
      cluster_assignments: [],
      audit_log: [],
      ...tables,
    } as Record<string, Row[]>,
    listCalls: [],
    failing: new Set(),
    rpcCalls: [],
    rpc: () => ({ data: null, error: null, status: 200 }),
    provider: {
      getApiUrl: () => 'http://test-double.invalid',
      getList: async <T extends BaseRecord>(params: GetListParams) => {
        double.listCalls.push(params);
        if (double.failing.has(params.resource)) throw Object.assign(new Error('permission denied for view user_directory'), { statusCode: 403 });
        const table = double.tables[params.resource];
        if (!table) throw new Error(`unexpected resource ${params.resource}`);
        let rows = table.filter((row) => (params.filters ?? []).every((f) => matches(row, f)));
        for (const sorter of [...(params.sorters ?? [])].reverse()) {
          rows = [...rows].sort((a, b) => {
            const order = String(a[sorter.field] ?? '').localeCompare(String(b[sorter.field] ?? ''));
            return sorter.order === 'asc' ? order : -order;
          });
        }
        if (params.resource === 'cluster_assignments') {
          rows = rows.map((row) => ({ ...row, clusters: CLUSTERS.find((c) => c.id === row.cluster_id) ?? null }));
        }
        const { currentPage = 1, pageSize = 10, mode = 'server' } = params.pagination ?? {};
        const page = mode === 'server' ? rows.slice((currentPage - 1) * pageSize, currentPage * pageSize) : rows;
        return { data: page as unknown as T[], total: rows.length };
      },
      getOne: async <T extends BaseRecord>({ resource, id }: { resource: string; id: string | number }) => {
        if (double.failing.has(resource)) throw Object.assign(new Error('permission denied'), { statusCode: 403 });
        const row = double.tables[resource]?.find((r) => r.id === id);
        return { data: row as unknown as T };
      },
      create: () => Promise.reject(new Error('create is not used: actions are RPCs')),
      update: () => Promise.reject(new Error('update is not used: actions are RPCs')),
      deleteOne: () => Promise.reject(new Error('deleteOne is not used: actions are RPCs')),
    },
  };
  return double;
}

export function assignCluster(double: Double, assignment: Omit<ClusterAssignmentRow, 'clusters'>): void {
  double.tables.cluster_assignments!.push(assignment as unknown as Row);
}

/** Shows where the router is, so tests can assert navigation. */
function LocationProbe() {
  const location = useLocation();
  return <output data-testid="location">{`${location.pathname}${location.search}`}</output>;
}

const signedIn: AuthProvider = {
  login: async () => ({ success: true }),
  logout: async () => ({ success: true }),
  check: async () => ({ authenticated: true }),
  onError: async () => ({}),
  getIdentity: async () => ({ id: 'invitee', name: 'Riley Reviewer', email: 'riley.reviewer@northshire.example' }),
};

/** As the shell's context layout: waits for my_access, then keeps the access-control provider's context in step with the URL. */
function ContextTracker({ contextRef }: { contextRef: { current: PortalContext | undefined } }) {
  const { access } = useAccess();
  const context = useCurrentContext();
  contextRef.current = context;
  if (!access) return <p>Loading your access…</p>;
  return <Outlet />;
}

export interface RenderOptions {
  access?: Access;
  /** Extra routes (e.g. the accept-invitation page with a password double). */
  extraRoutes?: ReactNode;
}

function Pages({ double, path, access, extraRoutes }: { double: Double; path: string } & RenderOptions) {
  const contextRef = useRef<PortalContext | undefined>(undefined);
  const accessControl = useRef(createAccessControlProvider(() => contextRef.current)).current;
  return (
    <MemoryRouter initialEntries={[path]}>
      <ConfigProvider locale={enGB}>
        <AntdApp>
          <Refine
            dataProvider={double.provider}
            authProvider={signedIn}
            routerProvider={routerProvider}
            i18nProvider={i18nProvider}
            accessControlProvider={accessControl}
            notificationProvider={useNotificationProvider}
            resources={users.resources}
            options={{
              disableTelemetry: true,
              warnWhenUnsavedChanges: true,
              title: { text: 'Commissioning Portal' },
              reactQuery: { clientConfig: { defaultOptions: { queries: { retry: false } } } },
            }}
          >
            <Routes>
              <Route
                element={
                  <AccessProvider loader={async () => access ?? ALEX_ACCESS}>
                    <Outlet />
                  </AccessProvider>
                }
              >
                <Route path="/:org" element={<ContextTracker contextRef={contextRef} />}>
                  {users.routes}
                </Route>
                {extraRoutes}
                <Route path="/" element={<h1>Home page</h1>} />
              </Route>
            </Routes>
            <UnsavedChangesNotifier />
            <LocationProbe />
          </Refine>
        </AntdApp>
      </ConfigProvider>
    </MemoryRouter>
  );
}

/**
 * Questions the unsaved-changes guard asked (window.confirm), answered "Cancel"
 * as a person who wants to stay would (and as Playwright does by default).
 */
export const leaveQuestions: string[] = [];

/** Render the users pages at `path`, e.g. `/ZN1/users` or `/ZN1/users/invite`. */
export function renderUsers(double: Double, path: string, options: RenderOptions = {}) {
  leaveQuestions.length = 0;
  window.confirm = (message?: string) => {
    leaveQuestions.push(String(message));
    return false;
  };
  setRpcTransport(async (name, args) => {
    const call = { name, args };
    double.rpcCalls.push(call);
    return double.rpc(call);
  });
  return render(<Pages double={double} path={path} {...options} />);
}

export function resetRpc(): void {
  setRpcTransport(undefined);
}

/** The router's current path and query, as the probe shows it. */
export function currentLocation(): string {
  return document.querySelector('[data-testid="location"]')?.textContent ?? '';
}
