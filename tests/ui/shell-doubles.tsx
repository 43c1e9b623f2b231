// Test doubles for rendering the whole portal in jsdom: a signed-in auth
// provider, an in-memory data provider (filters, sorts and pages like
// PostgREST would for the few tables the shell reads), my_access answers for
// the demo personas, and an RPC transport that records calls.
import type {
  AuthProvider,
  BaseRecord,
  CrudFilter,
  DataProvider,
  GetListParams,
  GetListResponse,
  UpdateManyParams,
  UpdateParams,
} from '@refinedev/core';
import { render } from '@testing-library/react';
import { MemoryRouter, useLocation } from 'react-router';
import type { RpcTransport } from '../../src/components/rpc.ts';
import { Portal } from '../../src/portal.tsx';
import type { Access, AccessMembership, AppRole } from '../../src/providers/access.ts';

type Row = Record<string, unknown> & { id: string };

export const ORGANISATIONS: Row[] = [
  { id: 'o-ZN1', ods_code: 'ZN1', name: 'NHS Northshire ICB', type: 'icb', parent_id: null },
  { id: 'o-ZS1', ods_code: 'ZS1', name: 'NHS Southvale ICB', type: 'icb', parent_id: null },
  { id: 'o-ZP1001', ods_code: 'ZP1001', name: 'Riverside Medical Centre', type: 'practice', parent_id: 'o-ZN1' },
  { id: 'o-ZP1002', ods_code: 'ZP1002', name: 'Bridge Street Surgery', type: 'practice', parent_id: 'o-ZN1' },
  { id: 'o-ZU101', ods_code: 'ZU101', name: 'Riverside PCN', type: 'pcn', parent_id: 'o-ZN1' },
];

function membership(ods: string, roles: AppRole[], status: AccessMembership['status'] = 'active'): AccessMembership {
  const org = ORGANISATIONS.find((row) => row.ods_code === ods);
  if (!org) throw new Error(`no organisation ${ods}`);
  const type = org.type as AccessMembership['type'];
  return {
    membership_id: `m-${ods}`,
    organisation_id: org.id,
    ods_code: ods,
    name: String(org.name),
    type,
    side: type === 'icb' ? 'commissioner' : 'provider',
    roles,
    status,
    approval_mode: type === 'practice' ? 'two_step' : null,
    clusters: [],
  };
}

function person(full_name: string, email: string, rest: Partial<Access> = {}): Access {
  return {
    profile_id: `p-${email}`,
    email,
    full_name,
    status: 'active',
    platform_roles: [],
    memberships: [],
    unread_notifications: 0,
    ...rest,
  };
}

export const PERSONAS = {
  alex: person('Alex Admin', 'icb.admin@northshire.example', {
    memberships: [membership('ZN1', ['organisation_administrator', 'user_administrator'])],
  }),
  /** Several contexts: the Support Desk, an ICB and a two-step practice. */
  morgan: person('Morgan Many', 'morgan.many@northshire.example', {
    platform_roles: ['support_desk'],
    memberships: [
      membership('ZN1', ['user_administrator', 'finance']),
      membership('ZP1001', ['provider_approver']),
      membership('ZP1002', ['claim_submitter'], 'revoked'),
    ],
  }),
  pat: person('Pat Practice', 'practice.user@riverside.example', {
    memberships: [membership('ZP1001', ['claim_submitter', 'achievement_entry', 'service_management'])],
  }),
  robin: person('Robin Southvale', 'icb.admin@southvale.example', {
    memberships: [membership('ZS1', ['organisation_administrator', 'user_administrator', 'approver_tier_1'])],
  }),
  nina: person('Nina Newman', 'new.manager@bridgestreet.example', {
    status: 'pending',
    memberships: [membership('ZP1002', ['claim_submitter'], 'requested')],
  }),
} satisfies Record<string, Access>;

function matches(row: Row, filter: CrudFilter): boolean {
  if (filter.operator === 'or') return filter.value.length === 0 || filter.value.some((f) => matches(row, f));
  if (filter.operator === 'and') return filter.value.every((f) => matches(row, f));
  if (!('field' in filter)) throw new Error('unexpected filter shape');
  const value = row[filter.field];
  switch (filter.operator) {
    case 'null':
      return value === null || value === undefined;
    case 'contains':
      return String(value ?? '').toLowerCase().includes(String(filter.value).toLowerCase());
    case 'in':
      return (filter.value as unknown[]).includes(value);
    case 'eq':
      return value === filter.value;
    default:
      throw new Error(`test double does not implement the "${filter.operator}" filter`);
  }
}

export interface Doubles {
  dataProvider: DataProvider;
  authProvider: AuthProvider;
  rpc: RpcTransport;
  loadAccess: () => Promise<Access>;
  tables: Record<string, Row[]>;
  listCalls: GetListParams[];
  updates: Array<UpdateParams<unknown> | UpdateManyParams<unknown>>;
  rpcCalls: Array<{ name: string; args: Record<string, unknown> }>;
  /** Answers for RPCs by name (default: null data). */
  rpcAnswers: Record<string, { data?: unknown; error?: { code: string; message: string; hint?: string } }>;
  logouts: number;
  accessLoads: number;
}

export function createDoubles(access: Access, notifications: Row[] = []): Doubles {
  const doubles: Doubles = {
    tables: {
      organisations: ORGANISATIONS,
      my_organisations: ORGANISATIONS,
      notifications: notifications.map((row) => ({ ...row })),
      profiles: [{ id: access.profile_id, full_name: access.full_name, email: access.email }],
    },
    listCalls: [],
    updates: [],
    rpcCalls: [],
    rpcAnswers: {},
    logouts: 0,
    accessLoads: 0,
    loadAccess: async () => {
      doubles.accessLoads += 1;
      return structuredClone(access);
    },
    rpc: async (name, args) => {
      doubles.rpcCalls.push({ name, args });
      const answer = doubles.rpcAnswers[name];
      return { data: answer?.data ?? null, error: answer?.error ?? null, status: answer?.error ? 400 : 200 };
    },
    authProvider: {
      login: async () => ({ success: true }),
      logout: async () => {
        doubles.logouts += 1;
        return { success: true, redirectTo: '/login' };
      },
      check: async () => ({ authenticated: true }),
      onError: async () => ({}),
      getIdentity: async () => ({ id: access.profile_id, name: access.full_name ?? access.email, email: access.email }),
    },
    dataProvider: {
      getApiUrl: () => 'http://test-double.invalid',
      getList: async <T extends BaseRecord>(params: GetListParams): Promise<GetListResponse<T>> => {
        doubles.listCalls.push(params);
        let rows = (doubles.tables[params.resource] ?? []).filter((row) => (params.filters ?? []).every((f) => matches(row, f)));
        for (const sorter of [...(params.sorters ?? [])].reverse()) {
          rows = [...rows].sort((a, b) => {
            const order = String(a[sorter.field] ?? '').localeCompare(String(b[sorter.field] ?? ''));
            return sorter.order === 'asc' ? order : -order;
          });
        }
        const { currentPage = 1, pageSize = 10 } = params.pagination ?? {};
        const page = rows.slice((currentPage - 1) * pageSize, currentPage * pageSize);
        return { data: page as unknown as T[], total: rows.length };
      },
      getOne: async ({ resource, id }) => {
        const row = (doubles.tables[resource] ?? []).find((candidate) => candidate.id === id);
        if (!row) throw Object.assign(new Error(`${resource} ${id} not found`), { statusCode: 404 });
        return { data: row as never };
      },
      update: async (params) => {
        doubles.updates.push(params);
        const row = (doubles.tables[params.resource] ?? []).find((candidate) => candidate.id === params.id);
        if (!row) throw Object.assign(new Error('not found'), { statusCode: 404 });
        Object.assign(row, params.variables);
        return { data: { ...row } as never };
      },
      updateMany: async (params) => {
        doubles.updates.push(params);
        const rows = (doubles.tables[params.resource] ?? []).filter((candidate) => params.ids.includes(candidate.id));
        for (const row of rows) Object.assign(row, params.variables);
        return { data: rows as never[] };
      },
      create: async () => {
        throw new Error('create is not used by the shell');
      },
      deleteOne: async () => {
        throw new Error('deleteOne is not used by the shell');
      },
    },
  };
  return doubles;
}

/** The current address, for assertions. */
export const location = { pathname: '', search: '' };

function LocationProbe() {
  const current = useLocation();
  location.pathname = current.pathname;
  location.search = current.search;
  return null;
}

export function renderPortal(doubles: Doubles, path: string) {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <Portal
        dataProvider={doubles.dataProvider}
        authProvider={doubles.authProvider}
        environment="Test double"
        loadAccess={doubles.loadAccess}
        rpc={doubles.rpc}
      />
      <LocationProbe />
    </MemoryRouter>,
  );
}

export function notification(id: string, kind: string, subject: string, createdAt: string, read = false, link: string | null = '/'): Row {
  return {
    id,
    kind,
    subject,
    body: `${subject}: details`,
    link,
    created_at: createdAt,
    read_at: read ? '2025-07-02T09:00:00Z' : null,
    emailed_at: null,
    recipient_id: 'me',
    subject_type: null,
    subject_id: null,
    done_at: null,
  };
}
