// Test harness of the Claims pages: the pages inside Refine with the real
// AccessProvider and role table, over the in-memory data provider of
// organisations-test-harness, with a small stand-in for the claims database:
// its RPC double keeps claims, lines, answers and files in the double's tables
// and works out every amount and total itself, as Postgres does, so the tests
// can check that the page shows what the server answered. The validate-claim
// function, uploads and downloads are doubles too (setClaimsBackend).
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
import { setClaimsBackend, type UploadRequest } from '../../src/resources/claims/api.ts';
import * as claims from '../../src/resources/claims/index.tsx';
import type { SubmitResult } from '../../src/resources/claims/model.ts';
import { accessWith, createDouble, membership, orgId, type Double, type RpcCall } from './organisations-test-harness.tsx';

export { orgId };

export const SUBMITTER = accessWith(membership('ZP1001', ['claim_submitter'], { approval_mode: 'two_step' }));
export const VIEWER = accessWith(membership('ZP1001', ['view'], { approval_mode: 'two_step' }));
export const APPROVER = accessWith(membership('ZP1001', ['provider_approver'], { approval_mode: 'two_step' }));

export const CLAIM_ID = 'claim-1';
const PROVIDER = orgId('ZP1001');

export const CCP = 'svc-ccp';
export const DEPOT = 'svc-depot';
export const COMPONENTS = [
  { id: 'c-plan', service_id: CCP, position: 1, name: 'Complex care plan created', kind: 'unit', evidence_required: false, unit_price: 193.42, fixed_amount: null, information: null, evidence_text: null, accepted_file_types: [] as string[] },
  { id: 'c-retainer', service_id: CCP, position: 2, name: 'Care co-ordination retainer', kind: 'retainer', evidence_required: false, unit_price: null, fixed_amount: 1500, information: 'Paid once per quarter; read before claiming.', evidence_text: null, accepted_file_types: [] as string[] },
  { id: 'c-ear', service_id: CCP, position: 3, name: 'Ear irrigation', kind: 'unit', evidence_required: true, unit_price: 28.5, fixed_amount: null, information: null, evidence_text: 'Name the registered practice of the patient. No PID.', accepted_file_types: ['pdf', 'docx'] },
  { id: 'c-depot', service_id: DEPOT, position: 1, name: 'Depot injection administered', kind: 'unit', evidence_required: false, unit_price: 12.5, fixed_amount: null, information: null, evidence_text: null, accepted_file_types: [] as string[] },
];
export const QUESTIONS = [
  { id: 'q-staff', service_id: DEPOT, question: 'Depot injections administered by qualified staff', kind: 'yes_no_must_be_yes', required: true, position: 1 },
];
const SERVICE_NAMES: Record<string, string> = { [CCP]: 'Complex Care Plans 2025/26', [DEPOT]: 'Depot Antipsychotic Injections 2025/26' };

export function claimRow(extra: Record<string, unknown> = {}) {
  return {
    id: CLAIM_ID,
    claim_number: 36001,
    provider_id: PROVIDER,
    provider_ods_code: 'ZP1001',
    provider_name: 'Riverside Medical Centre',
    commissioner_id: orgId('ZN1'),
    submission_mode: 'multi_service',
    status: 'draft',
    total: 0,
    created_at: '2025-10-01T09:00:00Z',
    submitted_at: null,
    updated_at: '2025-10-01T09:00:00Z',
    returned_reason: null,
    decline_reason: null,
    financial_year: '2025/26',
    services: '',
    periods: '',
    ...extra,
  };
}

type Row = Record<string, unknown>;

export interface ClaimsDouble extends Double {
  /** What validate-claim answers (default: no problems); a function may throw to play "unreachable". */
  validation: () => SubmitResult;
  invokes: Array<{ name: string; body: unknown }>;
  uploads: UploadRequest[];
  downloads: string[];
  /** RPC refusals by name. */
  refuse: Record<string, { code: string; message: string; hint?: string }>;
  /** Availability answer of new_claim_availability. */
  availability: Record<string, unknown>;
}

const cents = (pounds: number) => Math.round(pounds * 100);

export function createClaimsDouble(tables: Record<string, Row[]> = {}): ClaimsDouble {
  const base = createDouble({
    claim_overview: [claimRow()],
    claim_services: [],
    claim_lines: [],
    claim_service_totals: [],
    claim_answers: [],
    claim_evidence: [],
    service_components: COMPONENTS,
    service_offers: [],
    ...tables,
  });
  const double = base as ClaimsDouble;
  double.invokes = [];
  double.uploads = [];
  double.downloads = [];
  double.refuse = {};
  double.availability = { available: true, reason: null, message: null, next_opens_on: null };
  double.validation = () => ({ ok: true, dry_run: true, problems: [], claim_number: 36001, status: 'draft', total: claim().total as number });

  const claim = () => double.tables.claim_overview!.find((row) => row.id === CLAIM_ID)!;
  const lines = () => double.tables.claim_lines!.filter((row) => row.claim_id === CLAIM_ID);

  // The database's arithmetic, standing in for Postgres: amounts, per-service totals, the claim's total.
  function recompute() {
    for (const line of lines()) {
      line.amount = line.kind === 'retainer' ? line.fixed_amount : cents(Number(line.unit_price) * Number(line.units ?? 0)) / 100;
    }
    const byService = new Map<string, number>();
    for (const line of lines()) byService.set(line.service_id as string, (byService.get(line.service_id as string) ?? 0) + cents(Number(line.amount)));
    double.tables.claim_service_totals = [...byService].map(([service_id, total]) => ({ id: service_id, claim_id: CLAIM_ID, service_id, total: total / 100, line_count: 0 }));
    claim().total = [...byService.values()].reduce((a, b) => a + b, 0) / 100;
    const names = [...new Set(lines().map((line) => SERVICE_NAMES[line.service_id as string]))].sort();
    claim().services = names.join(', ');
  }

  function answer(call: RpcCall): RpcResponse {
    const refusal = double.refuse[call.name];
    if (refusal) return { data: null, error: refusal, status: 400 };
    const a = call.args;
    switch (call.name) {
      case 'new_claim_availability':
        return { data: double.availability, error: null };
      case 'start_claim':
        return { data: { id: 'claim-new', claim_number: 36002 }, error: null };
      case 'claim_available_services':
        return {
          data: [CCP, DEPOT].map((service_id) => ({
            service_id,
            service_name: SERVICE_NAMES[service_id],
            period_label: 'Q3 2025/26',
            window_id: `w-${service_id}`,
            closes_on: '2025-12-31',
            offer_id: `offer-${service_id}`,
            component_count: COMPONENTS.filter((c) => c.service_id === service_id).length,
            single_service: false,
            on_claim: double.tables.claim_services!.some((row) => row.service_id === service_id),
          })),
          error: null,
        };
      case 'add_claim_lines': {
        for (const componentId of a.p_component_ids as string[]) {
          const component = COMPONENTS.find((c) => c.id === componentId)!;
          if (!double.tables.claim_services!.some((row) => row.service_id === component.service_id)) {
            double.tables.claim_services!.push({
              id: component.service_id,
              claim_id: CLAIM_ID,
              service_id: component.service_id,
              window_id: `w-${component.service_id}`,
              period_label: 'Q3 2025/26',
              service: { name: SERVICE_NAMES[component.service_id] },
            });
            for (const question of QUESTIONS.filter((q) => q.service_id === component.service_id)) {
              double.tables.claim_answers!.push({ id: question.id, claim_id: CLAIM_ID, service_id: question.service_id, question_id: question.id, answer_yes: null, answer_text: null, question });
            }
          }
          double.tables.claim_lines!.push({
            id: `line-${component.id}`,
            claim_id: CLAIM_ID,
            service_id: component.service_id,
            component_id: component.id,
            kind: component.kind,
            position: component.position,
            units: null,
            unit_price: component.unit_price,
            fixed_amount: component.fixed_amount,
            amount: 0,
            acknowledged_at: null,
            component,
          });
        }
        recompute();
        return { data: claim(), error: null };
      }
      case 'set_claim_line_units': {
        const line = double.tables.claim_lines!.find((row) => row.id === a.p_line_id)!;
        line.units = a.p_units;
        recompute();
        return { data: line, error: null };
      }
      case 'acknowledge_claim_retainer': {
        const line = double.tables.claim_lines!.find((row) => row.id === a.p_line_id)!;
        line.acknowledged_at = a.p_acknowledged ? '2025-10-02T10:00:00Z' : null;
        return { data: line, error: null };
      }
      case 'set_claim_answer': {
        const row = double.tables.claim_answers!.find((r) => r.question_id === a.p_question_id)!;
        row.answer_yes = a.p_answer_yes ?? null;
        row.answer_text = a.p_answer_text ?? null;
        return { data: row, error: null };
      }
      case 'record_claim_evidence': {
        const row = {
          id: `file-${double.tables.claim_evidence!.length + 1}`,
          claim_id: CLAIM_ID,
          line_id: a.p_line_id,
          object_path: a.p_object_path,
          original_name: a.p_original_name,
          size_bytes: 2048,
          scan_status: 'pending',
          scan_reason: null,
          uploaded_at: '2025-10-02T10:00:00Z',
        };
        double.tables.claim_evidence!.push(row);
        return { data: row, error: null };
      }
      case 'submit_claim': {
        if (a.p_dry_run) return { data: { ...double.validation(), dry_run: true }, error: null };
        Object.assign(claim(), { status: 'pending_provider_approval', submitted_at: '2025-10-02T11:00:00Z' });
        return { data: { ok: true, dry_run: false, problems: [], claim_id: CLAIM_ID, claim_number: 36001, status: 'pending_provider_approval', total: claim().total }, error: null };
      }
      case 'claim_timeline':
        return {
          data: [
            { occurred_at: '2025-10-01T09:00:00Z', action: 'claim.start', actor: 'Pat Practice', from_status: null, to_status: 'draft', reason: null },
            { occurred_at: '2025-10-02T11:00:00Z', action: 'claim.submit', actor: 'Pat Practice', from_status: 'draft', to_status: 'pending_provider_approval', reason: null },
            { occurred_at: '2025-10-03T12:00:00Z', action: 'claim.system_review', actor: 'System review', from_status: 'pending_system_review', to_status: 'draft', reason: 'Quarantined: scan.pdf: contains an NHS number' },
          ],
          error: null,
        };
      default:
        return { data: null, error: null };
    }
  }
  double.rpc = answer;
  return double;
}

function Location() {
  const location = useLocation();
  return <output data-testid="location">{location.pathname}</output>;
}

/** The areas rendered: Claims, and Claims review for the commissioner's pages. */
type Area = { resources: typeof claims.resources; routes: typeof claims.routes };

export function renderClaims(double: ClaimsDouble, path: string, access: Access = SUBMITTER, areas: readonly Area[] = [claims]) {
  setRpcTransport(async (name, args) => {
    const call = { name, args };
    double.rpcCalls.push(call);
    return double.rpc(call);
  });
  setClaimsBackend({
    invoke: async (name, body) => {
      double.invokes.push({ name, body });
      return { data: double.validation(), error: null };
    },
    upload: async (request) => {
      double.uploads.push(request);
      request.onProgress(50);
      request.onProgress(100);
    },
    download: async (objectPath) => {
      double.downloads.push(objectPath);
      return new Blob(['%PDF-1.4'], { type: 'application/pdf' });
    },
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
            resources={areas.flatMap((area) => area.resources)}
            options={{
              disableTelemetry: true,
              reactQuery: { clientConfig: { defaultOptions: { queries: { retry: false } } } },
            }}
          >
            <AccessProvider loader={async () => access}>
              <Routes>
                <Route path="/:org">
                  {areas.map((area, index) => (
                    <Fragment key={index}>{area.routes}</Fragment>
                  ))}
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

export function resetClaims(): void {
  setRpcTransport(undefined);
  setClaimsBackend(undefined);
}

/** The rpc calls of one name. */
export function callsOf(double: Double, name: string): RpcCall[] {
  return double.rpcCalls.filter((call) => call.name === name);
}
