// Test harness of the registration and access-request pages: the pages inside
// Refine (router, i18n, notifications, antd App) with an in-memory data
// provider, an RPC test double and a sign-up test double. No Supabase.
import { useNotificationProvider } from '@refinedev/antd';
import { Refine, type BaseRecord, type CrudFilter, type DataProvider, type GetListParams } from '@refinedev/core';
import routerProvider from '@refinedev/react-router';
import { render } from '@testing-library/react';
import { App as AntdApp, ConfigProvider } from 'antd';
import enGB from 'antd/locale/en_GB.js';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { setRpcTransport, type RpcResponse } from '../../src/components/rpc.ts';
import { i18nProvider } from '../../src/providers/i18n-provider.ts';
import * as accessRequests from '../../src/resources/access-requests/index.tsx';
import * as registrations from '../../src/resources/registrations/index.tsx';
import { setSignUpTransport, type RegistrationRequest, type SignUpOutcome } from '../../src/resources/registrations/sign-up.ts';
import type { PendingAccessRequest, PendingRegistration } from '../../src/resources/registrations/types.ts';

export interface OrganisationRow {
  id: string;
  ods_code: string;
  name: string;
  type: 'national' | 'region' | 'icb' | 'sub_icb' | 'pcn' | 'practice' | 'other_provider';
  parent_id: string | null;
}

export const ORGANISATIONS: OrganisationRow[] = [
  { id: '00000000-0000-4000-8000-000000000001', ods_code: 'ZN1', name: 'NHS Northshire ICB', type: 'icb', parent_id: null },
  { id: '00000000-0000-4000-8000-000000000002', ods_code: 'ZP1002', name: 'Bridge Street Surgery', type: 'practice', parent_id: null },
  { id: '00000000-0000-4000-8000-000000000003', ods_code: 'ZP1003', name: 'Mill Lane Practice', type: 'practice', parent_id: null },
  { id: '00000000-0000-4000-8000-000000000004', ods_code: 'ZS1', name: 'NHS Southvale ICB', type: 'icb', parent_id: null },
  { id: '00000000-0000-4000-8000-000000000005', ods_code: 'ZU101', name: 'Riverside PCN', type: 'pcn', parent_id: null },
];

export const orgId = (ods: string): string => ORGANISATIONS.find((o) => o.ods_code === ods)!.id;

export const NINA: PendingRegistration = {
  profile_id: '10000000-0000-4000-8000-000000000001',
  full_name: 'Nina Newman',
  email: 'new.manager@bridgestreet.example',
  generic_mailbox: false,
  // 23:30 UTC on 30 June is 00:30 BST on 1 July in London.
  registered_at: '2025-06-30T23:30:00Z',
  membership_id: '20000000-0000-4000-8000-000000000001',
  organisation_id: orgId('ZP1002'),
  ods_code: 'ZP1002',
  organisation_name: 'Bridge Street Surgery',
  organisation_type: 'practice',
  roles: ['claim_submitter'],
  commissioner_administrator: false,
};

export const RECEPTION: PendingRegistration = {
  profile_id: '10000000-0000-4000-8000-000000000002',
  full_name: 'Reception Team',
  email: 'reception@milllane.example',
  generic_mailbox: true,
  registered_at: '2025-07-02T09:15:00Z',
  membership_id: '20000000-0000-4000-8000-000000000002',
  organisation_id: orgId('ZP1003'),
  ods_code: 'ZP1003',
  organisation_name: 'Mill Lane Practice',
  organisation_type: 'practice',
  roles: ['claim_submitter'],
  commissioner_administrator: false,
};

export const DANA: PendingRegistration = {
  profile_id: '10000000-0000-4000-8000-000000000003',
  full_name: 'Dana Newadmin',
  email: 'new.admin@southvale.example',
  generic_mailbox: false,
  registered_at: '2025-01-15T12:00:00Z',
  membership_id: '20000000-0000-4000-8000-000000000003',
  organisation_id: orgId('ZS1'),
  ods_code: 'ZS1',
  organisation_name: 'NHS Southvale ICB',
  organisation_type: 'icb',
  roles: ['user_administrator'],
  commissioner_administrator: true,
};

export const LEE_REQUEST: PendingAccessRequest = {
  membership_id: '30000000-0000-4000-8000-000000000001',
  profile_id: '10000000-0000-4000-8000-000000000009',
  full_name: 'Lee Lead',
  email: 'pcn.lead@riverside-pcn.example',
  requested_at: '2025-12-01T12:00:00Z',
  organisation_id: orgId('ZP1002'),
  ods_code: 'ZP1002',
  organisation_name: 'Bridge Street Surgery',
  organisation_type: 'practice',
  roles: ['declaration_management'],
};

function matches(row: Record<string, unknown>, filter: CrudFilter): boolean {
  if (filter.operator === 'or') return filter.value.length === 0 || filter.value.some((f) => matches(row, f));
  if (filter.operator === 'and') return filter.value.every((f) => matches(row, f));
  if (!('field' in filter)) throw new Error('unexpected filter shape');
  const value = row[filter.field];
  switch (filter.operator) {
    case 'contains':
      return String(value ?? '').toLowerCase().includes(String(filter.value).toLowerCase());
    case 'eq':
      return value === filter.value;
    case 'in':
      return (filter.value as unknown[]).includes(value);
    case 'null':
      return value === null || value === undefined;
    default:
      throw new Error(`test double does not implement the "${filter.operator}" filter`);
  }
}

const ID_COLUMNS: Record<string, string> = {
  organisations: 'id',
  pending_registrations: 'profile_id',
  pending_access_requests: 'membership_id',
};

export interface Double {
  provider: DataProvider;
  tables: Record<string, Record<string, unknown>[]>;
  listCalls: GetListParams[];
  /** Make reads of this resource fail (error state). */
  failing: Set<string>;
  rpcCalls: Array<{ name: string; args: Record<string, unknown> }>;
  /** Answer of the next RPC calls (default: success with no data). */
  rpcAnswer: RpcResponse;
  signUps: RegistrationRequest[];
  signUpOutcome: SignUpOutcome;
}

/** An in-memory stand-in for @refinedev/supabase: filters, sorts and pages like PostgREST would. */
export function createDouble(tables: Partial<Record<string, Record<string, unknown>[]>> = {}): Double {
  const double: Double = {
    tables: {
      organisations: [...ORGANISATIONS] as unknown as Record<string, unknown>[],
      pending_registrations: [],
      pending_access_requests: [],
      ...tables,
    } as Record<string, Record<string, unknown>[]>,
    listCalls: [],
    failing: new Set(),
    rpcCalls: [],
    rpcAnswer: { data: null, error: null, status: 200 },
    signUps: [],
    signUpOutcome: { ok: true },
    provider: {
      getApiUrl: () => 'http://test-double.invalid',
      getList: async <T extends BaseRecord>(params: GetListParams) => {
        double.listCalls.push(params);
        if (double.failing.has(params.resource)) throw Object.assign(new Error('permission denied for view'), { statusCode: 403 });
        const table = double.tables[params.resource];
        if (!table) throw new Error(`unexpected resource ${params.resource}`);
        let rows = table.filter((row) => (params.filters ?? []).every((f) => matches(row, f)));
        for (const sorter of [...(params.sorters ?? [])].reverse()) {
          rows = [...rows].sort((a, b) => {
            const order = String(a[sorter.field] ?? '').localeCompare(String(b[sorter.field] ?? ''));
            return sorter.order === 'asc' ? order : -order;
          });
        }
        const { currentPage = 1, pageSize = 10, mode = 'server' } = params.pagination ?? {};
        const page = mode === 'server' ? rows.slice((currentPage - 1) * pageSize, currentPage * pageSize) : rows;
        return { data: page as unknown as T[], total: rows.length };
      },
      getOne: async <T extends BaseRecord>({ resource, id, meta }: { resource: string; id: string | number; meta?: Record<string, unknown> }) => {
        if (double.failing.has(resource)) throw Object.assign(new Error('permission denied for view'), { statusCode: 403 });
        const column = (meta?.idColumnName as string | undefined) ?? 'id';
        if (column !== ID_COLUMNS[resource]) throw new Error(`${resource} is read by ${ID_COLUMNS[resource]}, not ${column}`);
        const row = double.tables[resource]?.find((r) => r[column] === id);
        return { data: row as unknown as T };
      },
      create: () => Promise.reject(new Error('create is not used')),
      update: () => Promise.reject(new Error('update is not used')),
      deleteOne: () => Promise.reject(new Error('deleteOne is not used')),
    },
  };
  return double;
}

/** Shows where the router is, so tests can assert navigation. */
function Location() {
  const location = useLocation();
  return <output data-testid="location">{location.pathname}</output>;
}

/** Render the registration and access-request pages at `path`, e.g. `/ZN1/registrations` or `/register`. */
export function renderPages(double: Double, path: string) {
  setRpcTransport(async (name, args) => {
    double.rpcCalls.push({ name, args });
    return double.rpcAnswer;
  });
  setSignUpTransport(async (request) => {
    double.signUps.push(request);
    return double.signUpOutcome;
  });
  return render(
    <MemoryRouter initialEntries={[path]}>
      <ConfigProvider locale={enGB}>
        <AntdApp>
          <Refine
            dataProvider={double.provider}
            routerProvider={routerProvider}
            i18nProvider={i18nProvider}
            notificationProvider={useNotificationProvider}
            resources={[...registrations.resources, ...accessRequests.resources]}
            options={{
              disableTelemetry: true,
              title: { text: 'Commissioning Portal' },
              reactQuery: { clientConfig: { defaultOptions: { queries: { retry: false } } } },
            }}
          >
            <Routes>
              <Route path="/:org">
                {registrations.routes}
                {accessRequests.routes}
              </Route>
              {registrations.publicRoutes}
              <Route path="/login" element={<h1>Sign-in page</h1>} />
            </Routes>
            <Location />
          </Refine>
        </AntdApp>
      </ConfigProvider>
    </MemoryRouter>,
  );
}

export function resetTransports(): void {
  setRpcTransport(undefined);
  setSignUpTransport(undefined);
}
