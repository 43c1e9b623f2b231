// When `notificationEmails` is on, the stack calls the `send-notification-emails`
// edge function every few seconds (stack/function-timer.ts), as Supabase Cron
// does on hosted, so notifications the action functions queue reach the mailbox.
import { startFunctionTimer, type FunctionTimer, type FunctionTimerLog } from './function-timer.ts';
import { readSupabaseConfig, setting } from './supabase-config.ts';

export const NOTIFICATION_EMAILS_INTERVAL_MS = 3_000;

export type NotificationEmailsLog = FunctionTimerLog;

export interface NotificationEmailsOptions {
  /** e.g. http://127.0.0.1:54321 — the gateway. */
  apiUrl: string;
  serviceRoleKey: string;
  /** The portal's address, for links in the emails (sent to the function as `portal_url`). */
  portalUrl: string;
  /** Pause between the end of one run and the start of the next. Default 3 s. */
  intervalMs?: number;
  /** A run that takes longer is aborted (and reported). Default 60 s. */
  requestTimeoutMs?: number;
  /** Default: console, lines prefixed `[notifications]`. */
  log?: NotificationEmailsLog;
  fetch?: typeof fetch;
}

export interface RunOutcome {
  sent: number;
  failed: number;
}

export type NotificationEmailsTimer = FunctionTimer<RunOutcome>;

const consoleLog: NotificationEmailsLog = {
  info: (line) => console.info(`[notifications] ${line}`),
  error: (line) => console.error(`[notifications] ${line}`),
};

/** config.toml `[auth] site_url`: where Auth sends people back to, i.e. the portal. */
export function defaultPortalUrl(): string {
  return setting<string>('auth.site_url', 'http://127.0.0.1:3000', readSupabaseConfig());
}

function isOutcome(value: unknown): value is RunOutcome {
  const v = value as Partial<RunOutcome> | null;
  return typeof v === 'object' && v !== null && typeof v.sent === 'number' && typeof v.failed === 'number';
}

export function startNotificationEmails(options: NotificationEmailsOptions): NotificationEmailsTimer {
  return startFunctionTimer<RunOutcome>({
    functionName: 'send-notification-emails',
    apiUrl: options.apiUrl,
    serviceRoleKey: options.serviceRoleKey,
    body: { portal_url: options.portalUrl },
    intervalMs: options.intervalMs ?? NOTIFICATION_EMAILS_INTERVAL_MS,
    requestTimeoutMs: options.requestTimeoutMs,
    log: options.log ?? consoleLog,
    fetch: options.fetch,
    isOutcome,
    describeOutcome: (outcome) => ({
      info: outcome.sent > 0 ? `emailed ${outcome.sent} notification(s)` : undefined,
      problem: outcome.failed > 0
        ? 'some notification emails could not be sent; they are retried on every run (the [functions] log says why)'
        : undefined,
    }),
    recoveredLine: 'notification emails are being sent again',
  });
}
