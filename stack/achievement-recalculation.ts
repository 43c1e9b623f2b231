// When `achievementRecalculation` is on, the stack calls the
// `recalculate-achievement` edge function every few seconds
// (stack/function-timer.ts), as a Supabase Cron job does on hosted
// (docs/deploy.md): achievement flagged for recalculation (a list size, the
// PCN history or the catalogue changed; a PCN's practices' figures moved) is
// recalculated within seconds locally, so declaring is not held up for a night.
import { startFunctionTimer, type FunctionTimer, type FunctionTimerLog } from './function-timer.ts';

export const ACHIEVEMENT_RECALCULATION_INTERVAL_MS = 5_000;

/** What one recalculate-achievement run did (its 200 answer). */
export interface AchievementRecalculationOutcome {
  achievements: number;
  network_achievements: number;
}

export type AchievementRecalculationTimer = FunctionTimer<AchievementRecalculationOutcome>;

export interface AchievementRecalculationOptions {
  apiUrl: string;
  serviceRoleKey: string;
  /** Default 5 s. */
  intervalMs?: number;
  /** Default: console, lines prefixed `[achievement]`. */
  log?: FunctionTimerLog;
  fetch?: typeof fetch;
}

const consoleLog: FunctionTimerLog = {
  info: (line) => console.info(`[achievement] ${line}`),
  error: (line) => console.error(`[achievement] ${line}`),
};

function isOutcome(value: unknown): value is AchievementRecalculationOutcome {
  const v = value as Partial<AchievementRecalculationOutcome> | null;
  return typeof v === 'object' && v !== null && typeof v.achievements === 'number' && typeof v.network_achievements === 'number';
}

export function startAchievementRecalculation(options: AchievementRecalculationOptions): AchievementRecalculationTimer {
  return startFunctionTimer<AchievementRecalculationOutcome>({
    functionName: 'recalculate-achievement',
    apiUrl: options.apiUrl,
    serviceRoleKey: options.serviceRoleKey,
    body: {},
    intervalMs: options.intervalMs ?? ACHIEVEMENT_RECALCULATION_INTERVAL_MS,
    log: options.log ?? consoleLog,
    fetch: options.fetch,
    isOutcome,
    describeOutcome: (o) => ({
      info:
        o.achievements + o.network_achievements > 0
          ? `recalculated ${o.achievements} achievement(s) and ${o.network_achievements} PCN network achievement(s)`
          : undefined,
    }),
    recoveredLine: 'achievement is being recalculated again',
  });
}
