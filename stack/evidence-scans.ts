// When `evidenceScans` is on, the stack calls the `scan-evidence` edge
// function every few seconds (stack/function-timer.ts), as a Supabase Cron job
// does on hosted (docs/deploy.md): claims in `pending_system_review` get their
// files reviewed within seconds, and files of deleted claims leave Storage.
import { startFunctionTimer, type FunctionTimer, type FunctionTimerLog } from './function-timer.ts';

export const EVIDENCE_SCANS_INTERVAL_MS = 3_000;

/** What one scan-evidence run did (its 200 answer). */
export interface EvidenceScanOutcome {
  claims: number;
  clean: number;
  quarantined: number;
  failed: number;
  purged: number;
}

export type EvidenceScansTimer = FunctionTimer<EvidenceScanOutcome>;

export interface EvidenceScansOptions {
  apiUrl: string;
  serviceRoleKey: string;
  /** Default 3 s. */
  intervalMs?: number;
  /** Default: console, lines prefixed `[evidence]`. */
  log?: FunctionTimerLog;
  fetch?: typeof fetch;
}

const consoleLog: FunctionTimerLog = {
  info: (line) => console.info(`[evidence] ${line}`),
  error: (line) => console.error(`[evidence] ${line}`),
};

function isOutcome(value: unknown): value is EvidenceScanOutcome {
  const v = value as Partial<EvidenceScanOutcome> | null;
  return typeof v === 'object' && v !== null
    && (['claims', 'clean', 'quarantined', 'failed', 'purged'] as const).every((key) => typeof v[key] === 'number');
}

export function startEvidenceScans(options: EvidenceScansOptions): EvidenceScansTimer {
  return startFunctionTimer<EvidenceScanOutcome>({
    functionName: 'scan-evidence',
    apiUrl: options.apiUrl,
    serviceRoleKey: options.serviceRoleKey,
    body: {},
    intervalMs: options.intervalMs ?? EVIDENCE_SCANS_INTERVAL_MS,
    log: options.log ?? consoleLog,
    fetch: options.fetch,
    isOutcome,
    describeOutcome: (o) => ({
      info: o.claims > 0 || o.purged > 0
        ? `system review of ${o.claims} claim(s): ${o.clean} file(s) clean, ${o.quarantined} quarantined; ${o.purged} deleted file(s) removed`
        : undefined,
      problem: o.failed > 0 ? 'some evidence could not be reviewed; it is retried with a growing pause (the [functions] log says why)' : undefined,
    }),
    recoveredLine: 'evidence is being reviewed again',
  });
}
