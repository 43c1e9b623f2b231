// Test harness of the offer pages (offered services, the wizard, My services):
// the pages inside Refine with the real AccessProvider, over the in-memory
// data provider of organisations-test-harness (rows carry their embeddings),
// with a `ne` filter added, and the demo services and offers as rows.
import { useNotificationProvider } from '@refinedev/antd';
import { Refine, type BaseRecord, type CrudFilter, type GetListParams } from '@refinedev/core';
import routerProvider from '@refinedev/react-router';
import { render } from '@testing-library/react';
import { App as AntdApp, ConfigProvider } from 'antd';
import enGB from 'antd/locale/en_GB.js';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { setRpcTransport } from '../../src/components/rpc.ts';
import { AccessProvider } from '../../src/providers/access-context.tsx';
import { findContext, type Access } from '../../src/providers/access.ts';
import { createAccessControlProvider } from '../../src/providers/access-control.ts';
import { i18nProvider } from '../../src/providers/i18n-provider.ts';
import * as offers from '../../src/resources/offers/index.tsx';
import * as participation from '../../src/resources/participation/index.tsx';
import { accessWith, createDouble, membership, organisation, orgId, type Double } from './organisations-test-harness.tsx';

export { orgId };

export const COMMISSIONER = accessWith(membership('ZN1', ['commissioning_management']));
export const TIER_ONE = accessWith(membership('ZN1', ['approver_tier_1']));
export const PAT = accessWith(membership('ZP1001', ['claim_submitter', 'achievement_entry', 'service_management']));
export const SUBMITTER = accessWith(membership('ZP1001', ['claim_submitter']));

const commissioner = { ods_code: 'ZN1', name: 'NHS Northshire ICB' };

export const SERVICES = [
  {
    id: 'svc-ccp',
    name: 'Complex Care Plans 2025/26',
    kind: 'local',
    financial_year: '2025/26',
    payment_type: 'Local Enhanced Service',
    commissioner_id: orgId('ZN1'),
    starts_on: '2025-04-01',
    ends_on: '2026-03-31',
    description: 'Personalised care plans.',
    participation_only: false,
    commissioner,
  },
  {
    id: 'svc-depot',
    name: 'Depot Antipsychotic Injections 2025/26',
    kind: 'local',
    financial_year: '2025/26',
    payment_type: 'Local Enhanced Service',
    commissioner_id: orgId('ZN1'),
    starts_on: '2025-06-01',
    ends_on: '2026-02-28',
    description: 'Depot injections.',
    participation_only: false,
    commissioner,
  },
  {
    id: 'svc-des',
    name: 'Network Contract DES 2025/26',
    kind: 'national',
    financial_year: '2025/26',
    payment_type: 'Directed Enhanced Service',
    commissioner_id: orgId('ZN1'),
    starts_on: '2025-04-01',
    ends_on: '2026-03-31',
    description: 'DES.',
    participation_only: false,
    commissioner,
  },
  {
    id: 'svc-old',
    name: 'Complex Care Plans 2024/25',
    kind: 'local',
    financial_year: '2024/25',
    payment_type: 'Local Enhanced Service',
    commissioner_id: orgId('ZN1'),
    starts_on: '2024-04-01',
    ends_on: '2025-03-31',
    description: '',
    participation_only: false,
    commissioner,
  },
];

function provider(ods: string) {
  const row = organisation(ods);
  return { id: row.id, ods_code: row.ods_code, name: row.name, type: row.type };
}

export function offer(id: string, serviceId: string, ods: string, status: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    service_id: serviceId,
    provider_id: orgId(ods),
    starts_on: '2025-04-01',
    ends_on: '2026-03-31',
    respond_by: '2025-05-31',
    target_date: '2026-03-31',
    status,
    withdrawn: false,
    decision_reason: status === 'rejected' ? 'No capacity this year.' : null,
    offered_at: '2025-04-07T08:00:00Z',
    decided_at: status === 'approved' || status === 'rejected' ? '2025-04-14T09:30:00Z' : null,
    cancelled_at: status === 'cancelled' ? '2025-04-09T15:40:00Z' : null,
    provider: provider(ods),
    service: SERVICES.find((s) => s.id === serviceId) ?? null,
    ...extra,
  };
}

/** The seed's Complex Care Plans offers: approved ZP1001, ZP1002; rejected ZP1003; offered ZP1004; withdrawn ZP1005. */
export function seededOffers() {
  return [
    offer('offer-1', 'svc-ccp', 'ZP1001', 'approved'),
    offer('offer-2', 'svc-ccp', 'ZP1002', 'approved'),
    offer('offer-3', 'svc-ccp', 'ZP1003', 'rejected'),
    offer('offer-4', 'svc-ccp', 'ZP1004', 'offered', { respond_by: '2026-03-31' }),
    offer('offer-5', 'svc-ccp', 'ZP1005', 'cancelled', { withdrawn: true }),
  ];
}

export function createOffersDouble(tables: Record<string, Record<string, unknown>[]> = {}): Double {
  const double = createDouble({
    quality_services: SERVICES,
    service_offers: seededOffers(),
    service_components: [],
    claim_windows: [],
    offer_tariffs: [],
    indicator_groups: [],
    indicators: [],
    ...tables,
  });
  // The shared double knows eq / in / contains: `ne` is applied here.
  const getList = double.provider.getList;
  double.provider.getList = async <T extends BaseRecord>(params: GetListParams) => {
    const ne = (params.filters ?? []).filter((f): f is CrudFilter & { field: string; value: unknown } => f.operator === 'ne');
    const rest = (params.filters ?? []).filter((f) => f.operator !== 'ne');
    const answer = await getList<T>({ ...params, filters: rest });
    if (ne.length === 0) return answer;
    const data = answer.data.filter((row) => ne.every((f) => (row as Record<string, unknown>)[f.field] !== f.value));
    return { data, total: data.length };
  };
  return double;
}

function Location() {
  const location = useLocation();
  return (
    <output data-testid="location">
      {location.pathname}
      {location.search}
    </output>
  );
}

export function renderOffers(double: Double, path: string, access: Access = COMMISSIONER) {
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
            // The role table decides buttons, as in the portal (the context is the address's first segment).
            accessControlProvider={createAccessControlProvider(() => findContext(access, path.split('/')[1]))}
            resources={[...offers.resources, ...participation.resources]}
            options={{
              disableTelemetry: true,
              warnWhenUnsavedChanges: true,
              reactQuery: { clientConfig: { defaultOptions: { queries: { retry: false } } } },
            }}
          >
            <AccessProvider loader={async () => access}>
              <Routes>
                <Route path="/:org">
                  {offers.routes}
                  {participation.routes}
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

export function resetRpc(): void {
  setRpcTransport(undefined);
}
