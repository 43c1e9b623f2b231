// Test harness of the clusters, organisations and network report pages: the
// pages inside Refine (router, i18n, notifications, antd App) and the real
// AccessProvider, with an in-memory data provider, a my_access double, an RPC
// double and a report double. No Supabase: the data provider double answers
// embedded selects with rows that already carry their embeddings.
import { useNotificationProvider } from '@refinedev/antd';
import { Refine, type BaseRecord, type CrudFilter, type DataProvider, type GetListParams } from '@refinedev/core';
import routerProvider from '@refinedev/react-router';
import { render } from '@testing-library/react';
import { App as AntdApp, ConfigProvider } from 'antd';
import enGB from 'antd/locale/en_GB.js';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { setRpcTransport, type RpcResponse } from '../../src/components/rpc.ts';
import { AccessProvider } from '../../src/providers/access-context.tsx';
import type { Access, AccessMembership, AppRole } from '../../src/providers/access.ts';
import { i18nProvider } from '../../src/providers/i18n-provider.ts';
import * as clusters from '../../src/resources/clusters/index.tsx';
import * as networkRelationships from '../../src/resources/network-relationships/index.tsx';
import { setReportSource, type NetworkRelationshipRow, type ReportQuery } from '../../src/resources/network-relationships/report-api.ts';
import * as organisations from '../../src/resources/organisations/index.tsx';
import type { OrganisationType } from '../../src/resources/organisations/organisation-types.ts';

export interface OrganisationRow {
  id: string;
  ods_code: string;
  name: string;
  type: OrganisationType;
  parent_id: string | null;
  created_at: string;
}

const id = (ods: string) => `org-${ods}`;

function org(ods_code: string, name: string, type: OrganisationType, parent: string | null): OrganisationRow {
  return { id: id(ods_code), ods_code, name, type, parent_id: parent ? id(parent) : null, created_at: '2025-01-15T09:00:00Z' };
}

/** The demo organisations (../shared/docs/demo-data.md). */
export const ORGANISATIONS: OrganisationRow[] = [
  org('ZE1', 'NHS England (demo)', 'national', null),
  org('ZR1', 'Demo Region', 'region', 'ZE1'),
  org('ZN1', 'NHS Northshire ICB', 'icb', 'ZR1'),
  org('ZN1E', 'Northshire East', 'sub_icb', 'ZN1'),
  org('ZN1W', 'Northshire West', 'sub_icb', 'ZN1'),
  org('ZS1', 'NHS Southvale ICB', 'icb', 'ZR1'),
  org('ZS1C', 'Southvale Central', 'sub_icb', 'ZS1'),
  org('ZU101', 'Riverside PCN', 'pcn', 'ZN1E'),
  org('ZU102', 'Hillside PCN', 'pcn', 'ZN1E'),
  org('ZU103', 'Westfield PCN', 'pcn', 'ZN1W'),
  org('ZU201', 'Harbour PCN', 'pcn', 'ZS1C'),
  org('ZP1001', 'Riverside Medical Centre', 'practice', 'ZN1E'),
  org('ZP1002', 'Bridge Street Surgery', 'practice', 'ZN1E'),
  org('ZP1003', 'Mill Lane Practice', 'practice', 'ZN1E'),
  org('ZP1004', 'Hill Top Surgery', 'practice', 'ZN1E'),
  org('ZP1005', 'Westfield Health Centre', 'practice', 'ZN1W'),
  org('ZP2001', 'Harbour Medical Practice', 'practice', 'ZS1C'),
  org('ZP2002', 'Quayside Surgery', 'practice', 'ZS1C'),
];

export const orgId = (ods: string): string => {
  const row = ORGANISATIONS.find((o) => o.ods_code === ods);
  if (!row) throw new Error(`no organisation ${ods} in the test data`);
  return row.id;
};
export const organisation = (ods: string): OrganisationRow => ORGANISATIONS.find((o) => o.ods_code === ods)!;

/** The organisation and everything below it. */
export function subtree(ods: string): OrganisationRow[] {
  const ids = new Set([orgId(ods)]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const row of ORGANISATIONS) {
      if (row.parent_id && ids.has(row.parent_id) && !ids.has(row.id)) {
        ids.add(row.id);
        grew = true;
      }
    }
  }
  return ORGANISATIONS.filter((row) => ids.has(row.id));
}

export function membership(ods: string, roles: AppRole[], extra: Partial<AccessMembership> = {}): AccessMembership {
  const row = organisation(ods);
  const commissioner = ['national', 'region', 'icb', 'sub_icb'].includes(row.type);
  return {
    membership_id: `membership-${ods}`,
    organisation_id: row.id,
    ods_code: row.ods_code,
    name: row.name,
    type: row.type,
    side: commissioner ? 'commissioner' : 'provider',
    roles,
    status: 'active',
    approval_mode: row.type === 'practice' ? 'one_step' : null,
    clusters: [],
    ...extra,
  };
}

export function accessWith(...memberships: AccessMembership[]): Access {
  return {
    profile_id: 'profile-me',
    email: 'icb.admin@northshire.example',
    full_name: 'Alex Admin',
    status: 'active',
    platform_roles: [],
    memberships,
    unread_notifications: 0,
  };
}

/** Alex Admin: ZN1 Organisation Administrator and User Administrator. */
export const ICB_ADMIN = accessWith(membership('ZN1', ['organisation_administrator', 'user_administrator']));
/** Taylor Tier-One: ZN1 Approver Tier 1. */
export const TIER_ONE = accessWith(membership('ZN1', ['approver_tier_1']));

type Row = Record<string, unknown>;

function matches(row: Row, filter: CrudFilter): boolean {
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
  /** Reads of these resources fail (error states). */
  failing: Set<string>;
  rpcCalls: RpcCall[];
  /** Answers RPCs; default: success with no data. */
  rpc: (call: RpcCall) => RpcResponse;
  reportQueries: ReportQuery[];
  /** Answers the network report; default: no rows. */
  report: (query: ReportQuery) => Promise<NetworkRelationshipRow[]>;
}

export function createDouble(tables: Partial<Record<string, Row[]>> = {}): Double {
  const double: Double = {
    tables: {
      organisations: [...ORGANISATIONS] as unknown as Row[],
      my_organisations: subtree('ZN1') as unknown as Row[],
      clusters: [],
      cluster_organisations: [],
      cluster_assignments: [],
      memberships: [],
      pcn_memberships: [],
      current_pcn_memberships: [],
      notifications: [],
      ...tables,
    } as Record<string, Row[]>,
    listCalls: [],
    failing: new Set(),
    rpcCalls: [],
    rpc: () => ({ data: null, error: null, status: 200 }),
    reportQueries: [],
    report: async () => [],
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
      getOne: async <T extends BaseRecord>({ resource, id: wanted }: { resource: string; id: string | number }) => {
        if (double.failing.has(resource)) throw Object.assign(new Error('permission denied for view'), { statusCode: 403 });
        const row = double.tables[resource]?.find((r) => r.id === wanted);
        // Like @refinedev/supabase: no row is `data: undefined`, not an error.
        return { data: row as unknown as T };
      },
      create: () => Promise.reject(new Error('create is not used: writes go through RPCs')),
      update: () => Promise.reject(new Error('update is not used: writes go through RPCs')),
      deleteOne: () => Promise.reject(new Error('deleteOne is not used: writes go through RPCs')),
    },
  };
  return double;
}

/** Shows where the router is, so tests can assert navigation. */
function Location() {
  const location = useLocation();
  return <output data-testid="location">{location.pathname}</output>;
}

/** Render the pages at `path`, e.g. `/ZN1/clusters/create`, as the person `access` describes. */
export function renderPages(double: Double, path: string, access: Access = ICB_ADMIN) {
  setRpcTransport(async (name, args) => {
    const call = { name, args };
    double.rpcCalls.push(call);
    return double.rpc(call);
  });
  setReportSource(async (query) => {
    double.reportQueries.push(query);
    return double.report(query);
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
            resources={[...clusters.resources, ...organisations.resources, ...networkRelationships.resources]}
            options={{
              disableTelemetry: true,
              title: { text: 'Commissioning Portal' },
              reactQuery: { clientConfig: { defaultOptions: { queries: { retry: false } } } },
            }}
          >
            <AccessProvider loader={async () => access}>
              <Routes>
                <Route path="/:org">
                  {clusters.routes}
                  {organisations.routes}
                  {networkRelationships.routes}
                  <Route path="users/:id" element={<h1>User page</h1>} />
                </Route>
              </Routes>
            </AccessProvider>
            <Location />
          </Refine>
        </AntdApp>
      </ConfigProvider>
    </MemoryRouter>,
  );
}

export function resetTransports(): void {
  setRpcTransport(undefined);
  setReportSource(undefined);
}
