// Test harness of the service catalogue and allocated reports pages: the
// pages inside Refine with the real AccessProvider, the in-memory data
// provider of the organisations harness (extended here with create, update
// and delete, which these pages use directly), and the RPC double.
import { useNotificationProvider } from '@refinedev/antd';
import { Refine, type BaseRecord } from '@refinedev/core';
import routerProvider from '@refinedev/react-router';
import { render } from '@testing-library/react';
import { App as AntdApp, ConfigProvider } from 'antd';
import enGB from 'antd/locale/en_GB.js';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { setRpcTransport } from '../../src/components/rpc.ts';
import { AccessProvider } from '../../src/providers/access-context.tsx';
import type { Access } from '../../src/providers/access.ts';
import { i18nProvider } from '../../src/providers/i18n-provider.ts';
import * as allocatedReports from '../../src/resources/allocated-reports/index.tsx';
import * as services from '../../src/resources/services/index.tsx';
import { accessWith, createDouble, membership, orgId, type Double } from './organisations-test-harness.tsx';

export { orgId, subtree } from './organisations-test-harness.tsx';

type Row = Record<string, unknown>;

/** Chris Commissioner: ZN1 Commissioning Management. */
export const COMMISSIONER = accessWith(membership('ZN1', ['commissioning_management']));
/** Alex Admin: ZN1 Organisation Administrator. */
export const ORG_ADMIN = accessWith(membership('ZN1', ['organisation_administrator', 'user_administrator']));

export const COMPLEX_CARE = {
  id: 'svc-complex',
  commissioner_id: orgId('ZN1'),
  kind: 'local',
  financial_year: '2025/26',
  payment_type: 'Local Enhanced Service',
  name: 'Complex Care Plans 2025/26',
  description: 'Personalised care plans.',
  starts_on: '2025-04-01',
  ends_on: '2026-03-31',
  claim_mode: null,
  participation_only: false,
  no_declaration_required: false,
  no_approval_required: false,
  created_at: '2025-03-01T09:00:00Z',
  created_by: null,
  updated_at: '2025-03-01T09:00:00Z',
  updated_by: null,
};

export function service(overrides: Partial<typeof COMPLEX_CARE> & { id: string; name: string }): Row {
  return { ...COMPLEX_CARE, ...overrides };
}

export interface Write {
  kind: 'create' | 'update' | 'delete';
  resource: string;
  id?: string | number;
  variables?: Row;
}

export interface ServicesDouble extends Double {
  writes: Write[];
  /** Answers a write with a database refusal instead (e.g. a check constraint). */
  refuse?: (write: Write) => { message: string; hint?: string; code?: string } | undefined;
}

export function createServicesDouble(tables: Partial<Record<string, Row[]>> = {}): ServicesDouble {
  const base = createDouble({
    quality_services: [],
    service_components: [],
    service_questions: [],
    claim_windows: [],
    indicator_groups: [],
    indicators: [],
    achievement_dates: [],
    allocated_reports: [],
    ...tables,
  });
  const double = base as ServicesDouble;
  double.writes = [];
  const check = (write: Write) => {
    double.writes.push(write);
    const refusal = double.refuse?.(write);
    if (refusal) throw Object.assign(new Error(refusal.message), { ...refusal, statusCode: 400 });
  };
  double.provider = {
    ...base.provider,
    create: async <T extends BaseRecord>({ resource, variables }: { resource: string; variables: unknown }) => {
      check({ kind: 'create', resource, variables: variables as Row });
      const row = { id: `${resource}-${double.writes.length}`, ...(variables as Row) };
      double.tables[resource]!.push(row);
      return { data: row as unknown as T };
    },
    update: async <T extends BaseRecord>({ resource, id, variables }: { resource: string; id: string | number; variables: unknown }) => {
      check({ kind: 'update', resource, id, variables: variables as Row });
      const table = double.tables[resource]!;
      const index = table.findIndex((r) => r.id === id);
      table[index] = { ...table[index], ...(variables as Row) };
      return { data: table[index] as unknown as T };
    },
    deleteOne: async <T extends BaseRecord>({ resource, id }: { resource: string; id: string | number }) => {
      check({ kind: 'delete', resource, id });
      double.tables[resource] = double.tables[resource]!.filter((r) => r.id !== id);
      return { data: { id } as unknown as T };
    },
  };
  return double;
}

function Location() {
  const location = useLocation();
  return <output data-testid="location">{location.pathname}</output>;
}

/** Render the pages at `path`, e.g. `/ZN1/services/create`, as the person `access` describes. */
export function renderServicePages(double: ServicesDouble, path: string, access: Access = COMMISSIONER) {
  setRpcTransport(async (name, args) => {
    const call = { name, args };
    double.rpcCalls.push(call);
    return double.rpc(call);
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
            resources={[...services.resources, ...allocatedReports.resources]}
            options={{
              disableTelemetry: true,
              title: { text: 'Commissioning Portal' },
              reactQuery: { clientConfig: { defaultOptions: { queries: { retry: false } } } },
            }}
          >
            <AccessProvider loader={async () => access}>
              <Routes>
                <Route path="/:org">
                  {services.routes}
                  {allocatedReports.routes}
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

export function resetServiceTransports(): void {
  setRpcTransport(undefined);
}
