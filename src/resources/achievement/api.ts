// The achievement actions (issue 14, supabase/migrations/*_achievement_entry.sql):
// each goes through callRpc, so a refusal arrives as an RpcError with the
// database's own message (e.g. the adjustment rule that applies).
import { callRpc } from '../../components/rpc.ts';
import type { Achievement, SubmitAnswer, ValuePayload } from './model.ts';

/** Add New Achievement: the provider's achievement for one of the service's dates. */
export function startAchievement(providerId: string, serviceId: string, achievementDate: string): Promise<Achievement> {
  return callRpc<Achievement>('start_achievement', { p_provider_id: providerId, p_service_id: serviceId, p_achievement_date: achievementDate });
}

/** Save Work in Progress: New Values per indicator (nulls clear them) and group values; kept, not calculated. */
export function saveAchievementValues(achievementId: string, values: ValuePayload[], groupValues: Array<{ group_id: string; value: number | null }>): Promise<Achievement> {
  return callRpc<Achievement>('save_achievement_values', { p_achievement_id: achievementId, p_values: values, p_group_values: groupValues });
}

/** Submit Achievement Data: applies the New Values, records the submission with its notes, calculates. */
export function submitAchievement(achievementId: string, notes: string | null): Promise<SubmitAnswer> {
  return callRpc<SubmitAnswer>('submit_achievement', { p_achievement_id: achievementId, p_notes: notes });
}

/** Clears the New Values (work in progress); the submitted values stay. */
export function discardAchievementWork(achievementId: string): Promise<Achievement> {
  return callRpc<Achievement>('discard_achievement_work', { p_achievement_id: achievementId });
}

/** null when the caller may change the achievement, else the adjustment rule that refuses. */
export function achievementChangeProblem(achievementId: string): Promise<string | null> {
  return callRpc<string | null>('achievement_change_problem', { p_achievement_id: achievementId });
}
