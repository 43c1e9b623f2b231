// The review steps of a claim (issue 13) and who holds them, and why a claim
// has its risk band. Pure, so unit-testable; the database decides everything
// (public.review_claims, decline_claim): these only choose what to show.
import { formatMoney } from '../../lib/money.ts';
import type { AppRole } from '../../providers/access.ts';
import type { Enums } from '../../types/database.ts';
import type { ClaimStatus } from '../claims/model.ts';

export type RiskBand = Enums<'claim_risk_band'>;
export type ReviewStep = 'tier1' | 'tier2' | 'finance';

/** The steps in order, each with the status it waits in and the roles that decide it (private.approve_one_claim agrees). */
export const REVIEW_STEPS: ReadonlyArray<{ step: ReviewStep; status: ClaimStatus; roles: readonly AppRole[] }> = [
  { step: 'tier1', status: 'pending_tier1_review', roles: ['approver_tier_1'] },
  { step: 'tier2', status: 'pending_tier2_review', roles: ['approver_tier_2'] },
  { step: 'finance', status: 'pending_finance_approval', roles: ['finance', 'finance_management'] },
];

/** The steps someone with these roles decides, in order. */
export function stepsOf(roles: readonly AppRole[]): ReviewStep[] {
  return REVIEW_STEPS.filter((entry) => entry.roles.some((role) => roles.includes(role))).map((entry) => entry.step);
}

/** The step a claim in this status waits for, if any. */
export function stepOfStatus(status: ClaimStatus): ReviewStep | undefined {
  return REVIEW_STEPS.find((entry) => entry.status === status)?.step;
}

export function statusOfStep(step: ReviewStep): ClaimStatus {
  return REVIEW_STEPS.find((entry) => entry.step === step)!.status;
}

/** The longest note public.review_claims takes with an approval. */
export const NOTE_MAX_LENGTH = 1000;

/** One claim's answer from public.review_claims. */
export interface ReviewResult {
  claim_id: string;
  claim_number: number | null;
  ok: boolean;
  status: ClaimStatus | null;
  message: string;
}

export interface RiskSettings {
  medium_risk_from: number | string;
  high_risk_from: number | string;
}

/**
 * Why the claim has its band, from the commissioner's settings: the kind of
 * sentence and the amounts in it. `bandOnly` when the settings cannot be read
 * or no longer put the total in the stored band (changed since the claim
 * entered Tier 1): the stored band is the database's and stands.
 */
export function riskReason(
  band: RiskBand | null,
  total: number | string,
  settings: RiskSettings | undefined,
): { kind: 'none' | 'bandOnly' | RiskBand; values: Record<string, string> } {
  if (!band) return { kind: 'none', values: {} };
  if (!settings) return { kind: 'bandOnly', values: {} };
  const amount = Number(total);
  const medium = Number(settings.medium_risk_from);
  const high = Number(settings.high_risk_from);
  const now: RiskBand = amount >= high ? 'high' : amount >= medium ? 'medium' : 'low';
  if (now !== band) return { kind: 'bandOnly', values: {} };
  return { kind: band, values: { total: formatMoney(total), medium: formatMoney(medium), high: formatMoney(high) } };
}

export const RISK_COLOURS: Record<RiskBand, string> = { low: 'green', medium: 'gold', high: 'red' };
