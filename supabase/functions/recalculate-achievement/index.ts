// recalculate-achievement: the achievement recalculation job. Called on a
// timer with the service-role key: every few seconds by the local stack
// (`startStack({ achievementRecalculation: true })`), by a Supabase Cron job
// on hosted (docs/deploy.md; nightly is enough — see docs/achievement.md).
//
//   POST /functions/v1/recalculate-achievement   (service-role key only)
//   optional body {"limit": n}: at most n network achievements and n
//   achievements in this run (default 20,000: a whole national service)
//
// 200 {"achievements": a, "network_achievements": n}   what was recalculated
// 400 invalid_request          body not JSON, or limit not a whole number 1–100,000
// 403 forbidden                not called with the service-role key
// 502 recalculation_failed     the database refused or failed
//
// All the work is one call, public.run_achievement_recalculation: it
// re-aggregates the flagged PCN network achievements, flags their practices,
// and recalculates every flagged achievement (set-based, one transaction;
// rows another run is working on are skipped, so overlapping runs are safe).
import { json, preflight } from '../_shared/cors.ts';
import { BadRequest, errorResponse, readJsonObject, refuseUnlessScheduler } from '../_shared/http.ts';
import { serviceRoleClient } from '../_shared/supabase-clients.ts';

const MAX_LIMIT = 100_000;

Deno.serve(async (req) => {
  const answer = preflight(req);
  if (answer) return answer;
  const refused = refuseUnlessScheduler(req, 'recalculate achievement');
  if (refused) return refused;

  let limit: number | undefined;
  try {
    const body = await readJsonObject(req);
    if (body.limit !== undefined) {
      if (typeof body.limit !== 'number' || !Number.isInteger(body.limit) || body.limit < 1 || body.limit > MAX_LIMIT) {
        return errorResponse(400, 'invalid_request', `limit must be a whole number from 1 to ${MAX_LIMIT.toLocaleString('en-GB')}.`);
      }
      limit = body.limit;
    }
  } catch (error) {
    if (error instanceof BadRequest) return errorResponse(400, 'invalid_request', error.message);
    throw error;
  }

  const { data, error } = await serviceRoleClient().rpc('run_achievement_recalculation', limit === undefined ? {} : { p_limit: limit });
  if (error) return errorResponse(502, 'recalculation_failed', `Could not recalculate achievement: ${error.message}`);
  const outcome = data as { achievements?: unknown; network_achievements?: unknown } | null;
  return json({ achievements: Number(outcome?.achievements ?? 0), network_achievements: Number(outcome?.network_achievements ?? 0) });
});
