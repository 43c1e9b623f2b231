// Test harness of Record Achievement and Achievement Results (issue 14): the
// pages inside Refine with the real AccessProvider and role table, over the
// in-memory data provider of organisations-test-harness, with a small
// stand-in for the achievement database: its RPC double keeps achievements,
// their current and New Values and submissions in the double's tables, and
// regenerates the view achievement_missing_data ("submitted n of m") from
// them, as Postgres does, so tests can check the page shows what the server
// holds. Points and payment are whatever the test puts in `figures`: the
// pages must show the database's figures, never their own.
import { useNotificationProvider } from '@refinedev/antd';
import { Refine } from '@refinedev/core';
import routerProvider from '@refinedev/react-router';
import { render } from '@testing-library/react';
import { App as AntdApp, ConfigProvider } from 'antd';
import enGB from 'antd/locale/en_GB.js';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { setRpcTransport, type RpcResponse } from '../../src/components/rpc.ts';
import { AccessProvider } from '../../src/providers/access-context.tsx';
import { createAccessControlProvider } from '../../src/providers/access-control.ts';
import { findContext, type Access } from '../../src/providers/access.ts';
import { i18nProvider } from '../../src/providers/i18n-provider.ts';
import * as achievementMenu from '../../src/resources/achievement-menu/index.tsx';
import * as achievementResults from '../../src/resources/achievement-results/index.tsx';
import * as achievement from '../../src/resources/achievement/index.tsx';
import { accessWith, createDouble, membership, orgId, type Double, type RpcCall } from './organisations-test-harness.tsx';

export { orgId };

/** Pat Practice: Achievement Entry at Riverside (ZP1001). */
export const PAT = accessWith(membership('ZP1001', ['achievement_entry']));
/** Someone with View only at Riverside: reads achievement, not its money. */
export const VIEWER = accessWith(membership('ZP1001', ['view']));
/** Finance View at Riverside: reads results. */
export const FINANCE_VIEW = accessWith(membership('ZP1001', ['finance_view']));
/** Chris Commissioner: Commissioning Management at ZN1 (commissioner entry). */
export const CHRIS = accessWith(membership('ZN1', ['commissioning_management']));

export const PROVIDER = orgId('ZP1001');
export const SERVICE = 'svc-ncd';
export const SERVICE_NAME = 'Network Contract DES 2025/26';
export const CAIP = 'g-caip';
export const IIF = 'g-iif';

export const GROUPS = [
  { id: CAIP, service_id: SERVICE, position: 1, code: 'CAIP', name: 'Capacity and Access Improvement Payment', group_value_label: null },
  { id: IIF, service_id: SERVICE, position: 2, code: 'IIF', name: 'Investment and Impact Fund', group_value_label: 'Eligible patients' },
];

export const INDICATORS = [
  { id: 'i-caip01', group_id: CAIP, service_id: SERVICE, position: 1, code: 'CAIP01', description: 'Patient experience of contact with the practice improved', points: 60, payment_basis: 'per_point', payment_rate: 198, lower_threshold: null, upper_threshold: null, network: false },
  { id: 'i-caip02', group_id: CAIP, service_id: SERVICE, position: 2, code: 'CAIP02', description: 'Modern general practice access in place', points: 40, payment_basis: 'per_point', payment_rate: 198, lower_threshold: null, upper_threshold: null, network: false },
  { id: 'i-acc08', group_id: IIF, service_id: SERVICE, position: 1, code: 'ACC-08', description: 'Appointments booked within two weeks (%)', points: 71, payment_basis: 'per_point', payment_rate: 198, lower_threshold: 85, upper_threshold: 90, network: true },
  { id: 'i-vi01', group_id: IIF, service_id: SERVICE, position: 2, code: 'VI-01', description: 'Flu vaccinations given to patients aged 65 and over', points: 0, payment_basis: 'per_unit', payment_rate: 10.06, lower_threshold: null, upper_threshold: null, network: false },
];

export const DATES = [
  { id: 'd-1', service_id: SERVICE, achievement_date: '2025-06-30', is_payment_date: false },
  { id: 'd-2', service_id: SERVICE, achievement_date: '2025-09-30', is_payment_date: true },
  { id: 'd-3', service_id: SERVICE, achievement_date: '2025-12-31', is_payment_date: false },
  { id: 'd-4', service_id: SERVICE, achievement_date: '2026-03-31', is_payment_date: true },
];

const SERVICE_ROW = { id: SERVICE, name: SERVICE_NAME, kind: 'national', financial_year: '2025/26', reference_list_size: 10000 };

function offer(ods: string, service: Record<string, unknown> = SERVICE_ROW, status = 'approved') {
  const provider = { id: orgId(ods), ods_code: ods, name: ods === 'ZP1001' ? 'Riverside Medical Centre' : 'Bridge Street Surgery' };
  return { id: `offer-${ods}-${service.id as string}`, service_id: service.id, provider_id: provider.id, status, provider, service };
}

export function achievementRow(id: string, date: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    provider_id: PROVIDER,
    service_id: SERVICE,
    achievement_date: date,
    commissioner_id: orgId('ZN1'),
    source: 'manual',
    status: 'work_in_progress',
    version: 0,
    has_new_values: false,
    submitted_at: null,
    submitted_by: null,
    points: null,
    payment: null,
    calculated_at: null,
    recalculation_requested_at: null,
    recalculation_reason: null,
    created_at: '2025-10-01T09:00:00Z',
    updated_at: '2025-10-01T09:00:00Z',
    ...extra,
  };
}

export function valueRow(achievementId: string, indicatorId: string, extra: Record<string, unknown> = {}) {
  return {
    achievement_id: achievementId,
    indicator_id: indicatorId,
    numerator: null,
    denominator: null,
    count: null,
    submitted: false,
    new_numerator: null,
    new_denominator: null,
    new_count: null,
    has_new: false,
    updated_at: '2025-10-01T09:00:00Z',
    ...extra,
  };
}

type Row = Record<string, unknown>;

export interface AchievementDouble extends Double {
  /** RPC refusals by name. */
  refuse: Record<string, { code: string; message: string; hint?: string }>;
  /** What achievement_change_problem answers (null: the caller may change it). */
  changeProblem: string | null;
  /** The points and payment submit_achievement "calculates". */
  figures: { points: number | string | null; payment: number | string | null };
}

let clock = 0;
const stamp = () => `2025-12-0${1 + (clock++ % 8)}T10:00:${String(clock % 60).padStart(2, '0')}Z`;

export function createAchievementDouble(tables: Record<string, Row[]> = {}): AchievementDouble {
  const base = createDouble({
    service_offers: [offer('ZP1001'), offer('ZP1002'), offer('ZP1001', { id: 'svc-ccp', name: 'Complex Care Plans 2025/26', kind: 'local', financial_year: '2025/26' })],
    quality_services: [SERVICE_ROW],
    achievement_dates: DATES,
    indicator_groups: GROUPS,
    indicators: INDICATORS,
    achievements: [],
    achievement_values: [],
    achievement_group_values: [],
    achievement_submissions: [],
    achievement_results: [],
    achievement_missing_data: [],
    profiles: [{ id: 'profile-pat', full_name: 'Pat Practice' }],
    ...tables,
  });
  const double = base as AchievementDouble;
  double.refuse = {};
  double.changeProblem = null;
  double.figures = { points: 60, payment: 11880 };

  const t = double.tables;
  const values = (id: string) => t.achievement_values!.filter((v) => v.achievement_id === id);
  const find = (id: unknown) => t.achievements!.find((a) => a.id === id)!;

  /** The view achievement_missing_data, worked out as the database does. */
  function recount() {
    const rows: Row[] = [];
    for (const providerId of [PROVIDER]) {
      for (const date of DATES) {
        const found = t.achievements!.find((a) => a.provider_id === providerId && a.achievement_date === date.achievement_date);
        for (const group of GROUPS) {
          const own = INDICATORS.filter((i) => i.group_id === group.id);
          const submitted = own.filter((i) => found && values(found.id as string).some((v) => v.indicator_id === i.id && v.submitted));
          rows.push({
            provider_id: providerId,
            provider_ods_code: 'ZP1001',
            provider_name: 'Riverside Medical Centre',
            service_id: SERVICE,
            service_name: SERVICE_NAME,
            achievement_date: date.achievement_date,
            is_payment_date: date.is_payment_date,
            group_id: group.id,
            group_code: group.code,
            group_name: group.name,
            group_position: group.position,
            achievement_id: found?.id ?? null,
            submitted: submitted.length,
            possible: own.length,
            missing_indicator_codes: own.filter((i) => !submitted.includes(i)).map((i) => i.code),
          });
        }
      }
    }
    t.achievement_missing_data = rows;
  }
  recount();

  function answer(call: RpcCall): RpcResponse {
    const refusal = double.refuse[call.name];
    if (refusal) return { data: null, error: refusal, status: 400 };
    const a = call.args;
    switch (call.name) {
      case 'start_achievement': {
        const row = achievementRow(`a-${a.p_achievement_date as string}`, a.p_achievement_date as string);
        t.achievements!.push(row);
        recount();
        return { data: row, error: null };
      }
      case 'achievement_change_problem':
        return { data: double.changeProblem, error: null };
      case 'save_achievement_values': {
        const achievement = find(a.p_achievement_id);
        for (const entry of a.p_values as Array<Record<string, number | null>>) {
          let row = values(achievement.id as string).find((v) => v.indicator_id === entry.indicator_id);
          if (!row) {
            row = valueRow(achievement.id as string, entry.indicator_id as unknown as string);
            t.achievement_values!.push(row);
          }
          // As the database: a New Value (null clears) is pending unless it equals the current value.
          const same = entry.numerator === row.numerator && entry.denominator === row.denominator && entry.count === row.count;
          Object.assign(row, same ? { new_numerator: null, new_denominator: null, new_count: null, has_new: false } : { new_numerator: entry.numerator, new_denominator: entry.denominator, new_count: entry.count, has_new: true });
          row.updated_at = stamp();
        }
        for (const entry of (a.p_group_values as Array<{ group_id: string; value: number | null }>) ?? []) {
          let row = t.achievement_group_values!.find((v) => v.achievement_id === achievement.id && v.group_id === entry.group_id);
          if (!row) {
            row = { achievement_id: achievement.id, group_id: entry.group_id, value: null, submitted: false, new_value: null, has_new: false, updated_at: stamp() };
            t.achievement_group_values!.push(row);
          }
          Object.assign(row, entry.value === row.value ? { new_value: null, has_new: false } : { new_value: entry.value, has_new: true }, { updated_at: stamp() });
        }
        achievement.has_new_values = values(achievement.id as string).some((v) => v.has_new) || t.achievement_group_values!.some((v) => v.achievement_id === achievement.id && v.has_new);
        achievement.updated_at = stamp();
        return { data: achievement, error: null };
      }
      case 'submit_achievement': {
        const achievement = find(a.p_achievement_id);
        for (const row of values(achievement.id as string).filter((v) => v.has_new)) {
          const submitted = row.new_numerator !== null || row.new_denominator !== null || row.new_count !== null;
          Object.assign(row, { numerator: row.new_numerator, denominator: row.new_denominator, count: row.new_count, submitted, new_numerator: null, new_denominator: null, new_count: null, has_new: false, updated_at: stamp() });
        }
        const version = (achievement.version as number) + 1;
        Object.assign(achievement, {
          status: 'submitted',
          version,
          has_new_values: false,
          submitted_at: '2025-12-05T10:00:00Z',
          submitted_by: 'profile-pat',
          points: double.figures.points,
          payment: double.figures.payment,
          calculated_at: '2025-12-05T10:00:01Z',
          updated_at: stamp(),
        });
        t.achievement_submissions!.push({
          id: `sub-${achievement.id as string}-${version}`,
          achievement_id: achievement.id,
          version,
          source: 'manual',
          submitted_at: '2025-12-05T10:00:00Z',
          submitted_by: 'profile-pat',
          notes: a.p_notes ?? null,
          points: double.figures.points,
          payment: double.figures.payment,
        });
        recount();
        return { data: { achievement_id: achievement.id, version, points: double.figures.points, payment: double.figures.payment, declaration_status: null }, error: null };
      }
      case 'discard_achievement_work': {
        const achievement = find(a.p_achievement_id);
        for (const row of values(achievement.id as string)) Object.assign(row, { new_numerator: null, new_denominator: null, new_count: null, has_new: false, updated_at: stamp() });
        achievement.has_new_values = false;
        achievement.updated_at = stamp();
        return { data: achievement, error: null };
      }
      default:
        return { data: null, error: null };
    }
  }
  double.rpc = answer;
  // Tests that change tables by hand call this to keep the view in step.
  (double as AchievementDouble & { recount: () => void }).recount = recount;
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

export function renderAchievement(double: AchievementDouble, path: string, access: Access = PAT) {
  setRpcTransport(async (name, args) => {
    const call = { name, args };
    double.rpcCalls.push(call);
    return double.rpc(call);
  });
  const areas = [achievementMenu, achievement, achievementResults];
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
            resources={areas.flatMap((area) => area.resources)}
            options={{
              disableTelemetry: true,
              reactQuery: { clientConfig: { defaultOptions: { queries: { retry: false } } } },
            }}
          >
            <AccessProvider loader={async () => access}>
              <Routes>
                <Route path="/:org">
                  {achievement.routes}
                  {achievementResults.routes}
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

export function resetAchievement(): void {
  setRpcTransport(undefined);
}

/** The rpc calls of one name. */
export function callsOf(double: Double, name: string): RpcCall[] {
  return double.rpcCalls.filter((call) => call.name === name);
}

/** Reads of one resource through the data provider. */
export function readsOf(double: Double, resource: string) {
  return double.listCalls.filter((call) => call.resource === resource);
}
