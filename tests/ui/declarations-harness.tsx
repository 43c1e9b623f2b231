// Test harness of the declaration pages (issue 14): Declare, Declaration
// Management, Network achievement and Achievements awaiting network
// achievement inside Refine with the real AccessProvider and role table, over
// the in-memory data provider of organisations-test-harness (rows carry their
// embeddings, as PostgREST would answer the pages' selects), an RPC double
// that records calls and answers what each test says, and a double for the
// Achievement Summary Report.
import { useNotificationProvider } from '@refinedev/antd';
import { Refine } from '@refinedev/core';
import routerProvider from '@refinedev/react-router';
import { render } from '@testing-library/react';
import { App as AntdApp, ConfigProvider } from 'antd';
import enGB from 'antd/locale/en_GB.js';
import { Fragment } from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { setRpcTransport, type RpcResponse } from '../../src/components/rpc.ts';
import { AccessProvider } from '../../src/providers/access-context.tsx';
import { createAccessControlProvider } from '../../src/providers/access-control.ts';
import { findContext, type Access } from '../../src/providers/access.ts';
import { i18nProvider } from '../../src/providers/i18n-provider.ts';
import * as achievementMenu from '../../src/resources/achievement-menu/index.tsx';
import * as awaitingNetwork from '../../src/resources/awaiting-network/index.tsx';
import * as declarationManagement from '../../src/resources/declaration-management/index.tsx';
import * as declare from '../../src/resources/declare/index.tsx';
import type { DeclarationRow } from '../../src/resources/declare/model.ts';
import { setSummaryReportSource, type SummaryReportFormat } from '../../src/resources/declare/report-api.ts';
import * as networkAchievement from '../../src/resources/network-achievement/index.tsx';
import { accessWith, createDouble, membership, orgId, type Double, type RpcCall } from './organisations-test-harness.tsx';

export { accessWith, membership, orgId };

/** The demo personas of issue 14. */
export const ASH = accessWith(membership('ZP1001', ['provider_approver', 'declaration_management'], { approval_mode: 'two_step' }));
export const PAT = accessWith(membership('ZP1001', ['claim_submitter', 'achievement_entry', 'service_management'], { approval_mode: 'two_step' }));
export const JORDAN = accessWith(membership('ZN1', ['approver_tier_2', 'approval_management']));
export const MORGAN = accessWith(membership('ZN1', ['finance', 'finance_management']));
export const CHRIS = accessWith(membership('ZN1', ['commissioning_management']));
export const LEE = accessWith(membership('ZU101', ['declaration_management']));

export const DES = 'svc-des';
export const DES_NAME = 'Network Contract DES 2025/26';
export const VACC = 'svc-vacc';
export const VACC_NAME = 'Childhood Vaccinations 2025/26';

const SERVICES: Record<string, DeclarationRow['service']> = {
  [DES]: { id: DES, name: DES_NAME, financial_year: '2025/26', no_declaration_required: false, no_approval_required: false },
  [VACC]: { id: VACC, name: VACC_NAME, financial_year: '2025/26', no_declaration_required: false, no_approval_required: true },
};
const NAMES: Record<string, string> = {
  ZP1001: 'Riverside Medical Centre',
  ZP1002: 'Bridge Street Surgery',
  ZP1003: 'Mill Lane Practice',
  ZP1004: 'Hill Top Surgery',
};

/** A declaration row as public.declarations answers the pages' select (with its embeds). */
export function declaration(id: string, ods: string, status: DeclarationRow['status'], extra: Partial<DeclarationRow> & { service_id?: string } = {}): DeclarationRow {
  const serviceId = extra.service_id ?? DES;
  return {
    id,
    achievement_id: `a-${id}`,
    provider_id: orgId(ods),
    service_id: serviceId,
    achievement_date: '2025-09-30',
    commissioner_id: orgId('ZN1'),
    status,
    points: 71,
    payment: 14058,
    declared_at: null,
    commissioner_approved_at: null,
    finance_approved_at: null,
    sent_back_at: null,
    sent_back_reason: null,
    updated_at: '2025-10-05T09:00:00Z',
    provider: { id: orgId(ods), ods_code: ods, name: NAMES[ods] ?? ods },
    service: SERVICES[serviceId] ?? null,
    achievement: { recalculation_requested_at: null, calculated_at: '2025-10-05T09:00:00Z' },
    ...extra,
  };
}

export interface DeclarationsDouble extends Double {
  reports: Array<{ ids: readonly string[]; format: SummaryReportFormat }>;
  saved: string[];
  /** Answers by RPC name (a function gets the call). */
  answers: Record<string, RpcResponse | ((call: RpcCall) => RpcResponse)>;
}

type Row = Record<string, unknown>;

export function createDeclarationsDouble(tables: Record<string, ReadonlyArray<object>> = {}): DeclarationsDouble {
  const base = createDouble({
    declarations: [],
    network_achievement_overview: [],
    network_achievement_values: [],
    achievements_awaiting_network: [],
    ...(tables as Record<string, Row[]>),
  });
  const double = base as DeclarationsDouble;
  double.reports = [];
  double.saved = [];
  double.answers = {};
  double.rpc = (call) => {
    const answer = double.answers[call.name];
    if (typeof answer === 'function') return answer(call);
    return answer ?? { data: null, error: null, status: 200 };
  };
  return double;
}

function Location() {
  const location = useLocation();
  return <output data-testid="location">{location.pathname}</output>;
}

const AREAS = [achievementMenu, declare, declarationManagement, networkAchievement, awaitingNetwork] as const;

export function renderDeclarations(double: DeclarationsDouble, path: string, access: Access) {
  setRpcTransport(async (name, args) => {
    const call = { name, args };
    double.rpcCalls.push(call);
    return double.rpc(call);
  });
  setSummaryReportSource(async (ids, format) => {
    double.reports.push({ ids, format });
    return { blob: new Blob(['report'], { type: 'text/csv' }), fileName: `achievement-summary.${format}` };
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
            accessControlProvider={createAccessControlProvider(() => findContext(access, path.split('/')[1]))}
            resources={AREAS.flatMap((area) => area.resources)}
            options={{
              disableTelemetry: true,
              reactQuery: { clientConfig: { defaultOptions: { queries: { retry: false } } } },
            }}
          >
            <AccessProvider loader={async () => access}>
              <Routes>
                <Route path="/:org">
                  {AREAS.map((area, index) => ('routes' in area ? <Fragment key={index}>{area.routes}</Fragment> : null))}
                  <Route path="organisations/:id" element={<h1>Organisation page</h1>} />
                  <Route path="reports/network-relationships" element={<h1>Network relationships report</h1>} />
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

export function resetDeclarations(): void {
  setRpcTransport(undefined);
  setSummaryReportSource(undefined);
}

export function callsOf(double: Double, name: string): RpcCall[] {
  return double.rpcCalls.filter((call) => call.name === name);
}
