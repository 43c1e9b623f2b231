// Achievement of national services as the portal reads it (achievements,
// achievement_values, achievement_group_values, achievement_submissions,
// achievement_results, the view achievement_missing_data; RLS decides the
// rows) and the browser's copy of the entry rules of
// public.save_achievement_values (whole numbers ≥ 0; a percentage indicator
// takes numerator and denominator, numerator ≤ denominator; a per-unit
// indicator a count). The database is the authority: it checks again and the
// page shows its message when it refuses. Pure, so unit-testable. Points and
// money are never worked out here: they are the database's.
import type { Enums, Tables } from '../../types/database.ts';

export type AchievementSource = Enums<'achievement_source'>;
export type AchievementStatus = Enums<'achievement_status'>;
export type PaymentBasis = Enums<'indicator_payment_basis'>;

export type Achievement = Tables<'achievements'>;
export const ACHIEVEMENT_SELECT =
  'id,provider_id,service_id,achievement_date,commissioner_id,source,status,version,has_new_values,submitted_at,submitted_by,points,payment,calculated_at,recalculation_requested_at,recalculation_reason,created_at,updated_at';

export type AchievementValue = Tables<'achievement_values'>;
export const VALUE_SELECT =
  'achievement_id,indicator_id,numerator,denominator,count,submitted,new_numerator,new_denominator,new_count,has_new,updated_at';

export type AchievementGroupValue = Tables<'achievement_group_values'>;
export const GROUP_VALUE_SELECT = 'achievement_id,group_id,value,submitted,new_value,has_new,updated_at';

export type AchievementSubmission = Tables<'achievement_submissions'>;
export const SUBMISSION_SELECT = 'id,achievement_id,version,source,submitted_at,submitted_by,notes,points,payment';

export type AchievementResult = Tables<'achievement_results'>;
export const RESULT_SELECT =
  'achievement_id,indicator_id,payment_basis,network,numerator,denominator,count,pcn_id,lower_threshold,upper_threshold,max_points,payment_rate,list_size,reference_list_size,list_size_adjustment,percentage,points,payment_exact,awaiting_network,calculated_at';

export type IndicatorGroup = Pick<Tables<'indicator_groups'>, 'id' | 'service_id' | 'position' | 'code' | 'name' | 'group_value_label'>;
export const GROUP_SELECT = 'id,service_id,position,code,name,group_value_label';

export type Indicator = Pick<
  Tables<'indicators'>,
  'id' | 'group_id' | 'service_id' | 'position' | 'code' | 'description' | 'points' | 'payment_basis' | 'payment_rate' | 'lower_threshold' | 'upper_threshold' | 'network'
>;
export const INDICATOR_SELECT = 'id,group_id,service_id,position,code,description,points,payment_basis,payment_rate,lower_threshold,upper_threshold,network';

export type AchievementDate = Pick<Tables<'achievement_dates'>, 'id' | 'service_id' | 'achievement_date' | 'is_payment_date'>;
export const DATE_SELECT = 'id,service_id,achievement_date,is_payment_date';

export interface NationalService {
  id: string;
  name: string;
  kind: Enums<'service_kind'>;
  financial_year: string;
  reference_list_size?: number | null;
}
export const SERVICE_SELECT = 'id,name,kind,financial_year,reference_list_size';

/** An approved offer with its service and provider (which national services a provider takes part in). */
export interface ApprovedOffer {
  id: string;
  service_id: string;
  provider_id: string;
  status: Enums<'offer_status'>;
  provider: { id: string; ods_code: string; name: string; type?: string } | null;
  service: NationalService | null;
}
export const OFFER_SELECT =
  'id,service_id,provider_id,status,provider:organisations!provider_id(id,ods_code,name,type),service:quality_services!service_id(id,name,kind,financial_year,reference_list_size)';

/** A row of the view public.achievement_missing_data: one per provider, achievement date and indicator group. */
export interface MissingDataRow {
  provider_id: string;
  provider_ods_code: string;
  provider_name: string;
  service_id: string;
  service_name: string;
  achievement_date: string;
  is_payment_date: boolean;
  group_id: string;
  group_code: string;
  group_name: string;
  group_position: number;
  achievement_id: string | null;
  /** Indicators of the group with submitted values. */
  submitted: number;
  /** Indicators in the group. */
  possible: number;
  missing_indicator_codes: string[] | null;
}
export const MISSING_DATA = 'achievement_missing_data';

/** The answer of public.submit_achievement. */
export interface SubmitAnswer {
  achievement_id: string;
  version: number;
  points: number | string | null;
  payment: number | string | null;
  declaration_status: string | null;
}

// ---------------------------------------------------------------- states

export type StateKey = 'not_started' | 'work_in_progress' | 'submitted' | 'new_values' | 'recalculation';

export interface StateTag {
  key: StateKey;
  /** Submitted: its version. */
  version?: number;
}

/** What an achievement date's achievement is in: not started, work in progress, submitted vN, plus New Values / recalculation pending. */
export function achievementState(achievement: Pick<Achievement, 'status' | 'version' | 'has_new_values' | 'recalculation_requested_at'> | undefined): StateTag[] {
  if (!achievement) return [{ key: 'not_started' }];
  const tags: StateTag[] = [];
  if (achievement.status === 'submitted') {
    tags.push({ key: 'submitted', version: achievement.version });
    if (achievement.has_new_values) tags.push({ key: 'new_values' });
  } else {
    tags.push({ key: 'work_in_progress' });
  }
  if (achievement.recalculation_requested_at) tags.push({ key: 'recalculation' });
  return tags;
}

export const STATE_COLOURS: Record<StateKey, string> = {
  not_started: 'default',
  work_in_progress: 'blue',
  submitted: 'green',
  new_values: 'gold',
  recalculation: 'orange',
};

// ---------------------------------------------------------------- entry rules

/** Postgres integer. */
export const MAX_WHOLE = 2_147_483_647;
export const NOTES_MAX = 2000;

export interface EntryInput {
  numerator: string;
  denominator: string;
  count: string;
}

export const EMPTY_INPUT: EntryInput = { numerator: '', denominator: '', count: '' };

/** What save_achievement_values takes per indicator (nulls clear the New Values). */
export interface ValuePayload {
  indicator_id: string;
  numerator: number | null;
  denominator: number | null;
  count: number | null;
}

export type EntryProblem = 'not_whole' | 'too_large' | 'both_needed' | 'numerator_above_denominator';

export type Parsed = { ok: true; value: number | null } | { ok: false; problem: 'not_whole' | 'too_large' };

/** "12" → 12, "" → null; anything but a whole number 0 or more is a problem. */
export function parseWhole(text: string): Parsed {
  const trimmed = text.trim().replace(/,/g, '');
  if (trimmed === '') return { ok: true, value: null };
  if (!/^\d+$/.test(trimmed)) return { ok: false, problem: 'not_whole' };
  const value = Number(trimmed);
  if (value > MAX_WHOLE) return { ok: false, problem: 'too_large' };
  return { ok: true, value };
}

export interface EntryCheck {
  /** Problems per field ('numerator' | 'denominator' | 'count'), in the order shown. */
  problems: Partial<Record<keyof EntryInput, EntryProblem>>;
  payload: ValuePayload | null;
}

/** The browser's check of one indicator's New Values (the database checks again). */
export function checkEntry(indicator: Pick<Indicator, 'id' | 'payment_basis'>, input: EntryInput): EntryCheck {
  const problems: EntryCheck['problems'] = {};
  if (indicator.payment_basis === 'per_unit') {
    const count = parseWhole(input.count);
    if (!count.ok) return { problems: { count: count.problem }, payload: null };
    return { problems, payload: { indicator_id: indicator.id, numerator: null, denominator: null, count: count.value } };
  }
  const numerator = parseWhole(input.numerator);
  const denominator = parseWhole(input.denominator);
  if (!numerator.ok) problems.numerator = numerator.problem;
  if (!denominator.ok) problems.denominator = denominator.problem;
  if (!numerator.ok || !denominator.ok) return { problems, payload: null };
  if ((numerator.value === null) !== (denominator.value === null)) {
    if (numerator.value === null) problems.numerator = 'both_needed';
    else problems.denominator = 'both_needed';
    return { problems, payload: null };
  }
  if (numerator.value !== null && denominator.value !== null && numerator.value > denominator.value) {
    return { problems: { numerator: 'numerator_above_denominator' }, payload: null };
  }
  return { problems, payload: { indicator_id: indicator.id, numerator: numerator.value, denominator: denominator.value, count: null } };
}

/** The inputs of an indicator as saved: its New Values when it has some, else empty. */
export function inputOf(value: Pick<AchievementValue, 'has_new' | 'new_numerator' | 'new_denominator' | 'new_count'> | undefined): EntryInput {
  if (!value?.has_new) return EMPTY_INPUT;
  const text = (n: number | null) => (n === null || n === undefined ? '' : String(n));
  return { numerator: text(value.new_numerator), denominator: text(value.new_denominator), count: text(value.new_count) };
}

export function sameInput(a: EntryInput, b: EntryInput): boolean {
  return a.numerator.trim() === b.numerator.trim() && a.denominator.trim() === b.denominator.trim() && a.count.trim() === b.count.trim();
}

/** A group value input: whole number ≥ 0 or empty. */
export function groupValueOf(value: Pick<AchievementGroupValue, 'has_new' | 'new_value'> | undefined): string {
  return value?.has_new && value.new_value !== null ? String(value.new_value) : '';
}

// ---------------------------------------------------------------- display

const PERCENT = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const POINTS = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 0, maximumFractionDigits: 4 });
const WHOLE = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const FACTOR = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 0, maximumFractionDigits: 6 });

function num(value: number | string | null | undefined): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** "90.00%" (a database percentage, or numerator ÷ denominator for what is being typed). */
export function formatPercent(value: number | string | null | undefined, fallback = '–'): string {
  const n = num(value);
  return n === undefined ? fallback : `${PERCENT.format(n)}%`;
}

/** The percentage typed values make (only to help while typing: the database scores the submission). */
export function typedPercent(numerator: number | null, denominator: number | null): number | undefined {
  if (numerator === null || denominator === null || denominator === 0) return undefined;
  return (numerator / denominator) * 100;
}

/** Points as the database holds them, at most 4 decimals: "42.6", "71". */
export function formatPoints(value: number | string | null | undefined, fallback = '–'): string {
  const n = num(value);
  return n === undefined ? fallback : POINTS.format(n);
}

export function formatWhole(value: number | string | null | undefined, fallback = '–'): string {
  const n = num(value);
  return n === undefined ? fallback : WHOLE.format(n);
}

/** A list-size adjustment factor: "0.8123", "1". */
export function formatFactor(value: number | string | null | undefined, fallback = '–'): string {
  const n = num(value);
  return n === undefined ? fallback : FACTOR.format(n);
}

/** "85%–90%", "from 85%", "up to 90%", or null when there are none (0–100% applies). */
export function thresholdText(lower: number | string | null | undefined, upper: number | string | null | undefined): string | null {
  const lo = num(lower);
  const hi = num(upper);
  const pct = (n: number) => `${FACTOR.format(n)}%`;
  if (lo === undefined && hi === undefined) return null;
  if (lo !== undefined && hi !== undefined) return `${pct(lo)}–${pct(hi)}`;
  if (lo !== undefined) return `${pct(lo)}–100%`;
  return `0%–${pct(hi!)}`;
}

/** "45 / 50", "120", or null when nothing was entered. */
export function valuesText(basis: PaymentBasis, row: { numerator: number | null; denominator: number | null; count: number | null }): string | null {
  if (basis === 'per_unit') return row.count === null || row.count === undefined ? null : formatWhole(row.count);
  if (row.numerator === null || row.numerator === undefined || row.denominator === null || row.denominator === undefined) return null;
  return `${formatWhole(row.numerator)} / ${formatWhole(row.denominator)}`;
}

/** A Postgres date "2025-12-31" as "31 Dec 2025" (for headings; tables use dd/mm/yyyy). */
export function longDate(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!match) return iso;
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${Number(match[3])} ${months[Number(match[2]) - 1] ?? ''} ${match[1]}`;
}

/** Sorted copies (position, then code): groups and indicators as the catalogue orders them. */
export function byPosition<T extends { position: number; code: string }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => a.position - b.position || a.code.localeCompare(b.code));
}

/** National services a provider has an approved offer of, by financial year (newest year first, then name). */
export function nationalServices(offers: readonly ApprovedOffer[], providerId: string | null): NationalService[] {
  const seen = new Map<string, NationalService>();
  for (const offer of offers) {
    if (offer.status !== 'approved' || !offer.service || offer.service.kind !== 'national') continue;
    if (providerId && offer.provider_id !== providerId) continue;
    seen.set(offer.service.id, offer.service);
  }
  return [...seen.values()].sort((a, b) => b.financial_year.localeCompare(a.financial_year) || a.name.localeCompare(b.name));
}

/**
 * Practices with an approved offer of a national service (a commissioner chooses one first), by name.
 * PCNs are left out: a PCN's achievement is its practices' aggregate (Network achievement), not entered.
 */
export function offerProviders(offers: readonly ApprovedOffer[]): Array<{ id: string; ods_code: string; name: string }> {
  const seen = new Map<string, { id: string; ods_code: string; name: string }>();
  for (const offer of offers) {
    if (offer.status !== 'approved' || !offer.provider || offer.service?.kind !== 'national' || offer.provider.type === 'pcn') continue;
    seen.set(offer.provider.id, { id: offer.provider.id, ods_code: offer.provider.ods_code, name: offer.provider.name });
  }
  return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** "CAIP 1 of 2" per group, in group order. */
export function groupCounts(rows: readonly MissingDataRow[]): Array<{ group_id: string; code: string; name: string; submitted: number; possible: number; missing: string[] }> {
  return [...rows]
    .sort((a, b) => a.group_position - b.group_position || a.group_code.localeCompare(b.group_code))
    .map((row) => ({ group_id: row.group_id, code: row.group_code, name: row.group_name, submitted: row.submitted, possible: row.possible, missing: row.missing_indicator_codes ?? [] }));
}
