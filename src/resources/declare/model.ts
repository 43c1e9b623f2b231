// Payment declarations (issue 14): their statuses in the job aids' words, the
// rows the Declare and Declaration Management pages read (public.declarations
// with the practice, the service and the achievement's pending recalculation
// embedded; RLS decides the rows), and the per-item answers of the bulk
// actions. Pure, so unit-testable: the database decides every step
// (declare_achievements, approve_declarations, finance_approve_declarations).
import type { AppRole } from '../../providers/access.ts';
import type { Database, Enums, Tables } from '../../types/database.ts';

export type DeclarationStatus = Enums<'declaration_status'>;

/** The machine's order (domain.md "Achievement and declarations"). */
export const DECLARATION_STATUSES: readonly DeclarationStatus[] = [
  'awaiting_network_achievement',
  'awaiting_provider_declaration',
  'awaiting_commissioner_approval',
  'awaiting_finance_approval',
  'approved_for_payment',
];

export const DECLARATION_STATUS_COLOURS: Record<DeclarationStatus, string> = {
  awaiting_network_achievement: 'purple',
  awaiting_provider_declaration: 'gold',
  awaiting_commissioner_approval: 'blue',
  awaiting_finance_approval: 'geekblue',
  approved_for_payment: 'green',
};

export function isDeclarationStatus(value: unknown): value is DeclarationStatus {
  return typeof value === 'string' && (DECLARATION_STATUSES as readonly string[]).includes(value);
}

/** What Declare and Declaration Management read of a declaration (one read, embeds included). */
export interface DeclarationRow {
  id: string;
  achievement_id: string;
  provider_id: string;
  service_id: string;
  achievement_date: string;
  commissioner_id: string;
  status: DeclarationStatus;
  points: number | string | null;
  payment: number | string | null;
  declared_at: string | null;
  commissioner_approved_at: string | null;
  finance_approved_at: string | null;
  sent_back_at: string | null;
  sent_back_reason: string | null;
  updated_at: string;
  provider: { id: string; ods_code: string; name: string } | null;
  service: { id: string; name: string; financial_year: string; no_declaration_required: boolean; no_approval_required: boolean } | null;
  achievement: { recalculation_requested_at: string | null; calculated_at: string | null } | null;
}

export const DECLARATION_SELECT = [
  'id,achievement_id,provider_id,service_id,achievement_date,commissioner_id,status,points,payment',
  'declared_at,commissioner_approved_at,finance_approved_at,sent_back_at,sent_back_reason,updated_at',
  'provider:organisations!provider_id(id,ods_code,name)',
  'service:quality_services(id,name,financial_year,no_declaration_required,no_approval_required)',
  'achievement:achievements(recalculation_requested_at,calculated_at)',
].join(',');

export const DECLARATIONS = 'declarations';

/** One item's answer from declare_achievements / approve_declarations / finance_approve_declarations. */
export interface DeclarationResult {
  declaration_id: string;
  ok: boolean;
  status: DeclarationStatus | string | null;
  message: string;
}

/** "Riverside Medical Centre (ZP1001)" */
export function providerLabel(row: Pick<DeclarationRow, 'provider' | 'provider_id'>): string {
  return row.provider ? `${row.provider.name} (${row.provider.ods_code})` : row.provider_id;
}

export function serviceLabel(row: Pick<DeclarationRow, 'service' | 'service_id'>): string {
  return row.service?.name ?? row.service_id;
}

/** The commissioner's approval steps and the roles that take them (approve_declarations, finance_approve_declarations agree). */
export type ApprovalStep = 'commissioner' | 'finance';
export const APPROVAL_STEPS: ReadonlyArray<{ step: ApprovalStep; status: DeclarationStatus; roles: readonly AppRole[]; rpc: string }> = [
  { step: 'commissioner', status: 'awaiting_commissioner_approval', roles: ['approval_management'], rpc: 'approve_declarations' },
  { step: 'finance', status: 'awaiting_finance_approval', roles: ['finance_management'], rpc: 'finance_approve_declarations' },
];

/** The approval step (if any) someone with these roles takes on a declaration in this status. */
export function approvalStepFor(status: DeclarationStatus, roles: readonly AppRole[]) {
  return APPROVAL_STEPS.find((entry) => entry.status === status && entry.roles.some((role) => roles.includes(role)));
}

/** The statuses whose declarations wait for these roles (the menu count). */
export function statusesWaitingFor(roles: readonly AppRole[]): DeclarationStatus[] {
  return APPROVAL_STEPS.filter((entry) => entry.roles.some((role) => roles.includes(role))).map((entry) => entry.status);
}

/** The distinct values of a column, sorted by label: filter options. */
export function optionsOf<T>(rows: readonly T[], value: (row: T) => string | undefined, label: (row: T) => string): Array<{ value: string; label: string }> {
  const seen = new Map<string, string>();
  for (const row of rows) {
    const key = value(row);
    if (key && !seen.has(key)) seen.set(key, label(row));
  }
  return [...seen.entries()].map(([v, l]) => ({ value: v, label: l })).sort((a, b) => a.label.localeCompare(b.label));
}

/** Numbers of points as the results show them: up to two decimals, no trailing zeros ("71", "35.5"). */
export function formatPoints(value: number | string | null | undefined, fallback = '–'): string {
  if (value === null || value === undefined || value === '') return fallback;
  const amount = Number(value);
  if (!Number.isFinite(amount)) return fallback;
  return new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 }).format(amount);
}

/** The audit trail's action names (declaration.declare, …) in words, else tidied. */
export const HISTORY_ACTIONS: Record<string, string> = {
  'declaration.create': 'Declaration created',
  'declaration.declare': 'Declared',
  'declaration.approve': 'Approved by the commissioner',
  'declaration.finance_approve': 'Approved by finance',
  'declaration.send_back': 'Sent back after a recalculation',
  'declaration.recalculate': 'Figures recalculated',
  'declaration.network_achieved': 'Network achievement submitted: moved on',
  'declaration.await_network': 'Waiting for network achievement',
};

export function historyAction(action: string): string {
  return HISTORY_ACTIONS[action] ?? action.replace(/^declaration\./, '').replace(/[._]/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

// Every column read is the table's (a renamed column fails the type check).
const declarationColumns: Exclude<keyof DeclarationRow, 'provider' | 'service' | 'achievement'> extends keyof Tables<'declarations'> ? true : never = true;
void declarationColumns;

/** One row of public.declaration_history(provider, service). */
export interface HistoryEntry {
  occurred_at: string;
  achievement_date: string | null;
  action: string;
  actor: string | null;
  from_status: string | null;
  to_status: string | null;
  reason: string | null;
}

const historyColumns: keyof HistoryEntry extends keyof Database['public']['Functions']['declaration_history']['Returns'][number] ? true : never = true;
void historyColumns;
