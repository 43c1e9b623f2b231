// The local stand-in for the hosted scheduler: what Supabase Cron does on a
// hosted project (docs/deploy.md), the stack does here when
// `notificationEmails` is on — call the `send-notification-emails` edge
// function with the service-role key every few seconds, so notifications the
// action functions queue reach the mailbox.
//
// - Runs never overlap: the next run is scheduled when the previous one ends.
// - Problems are logged once per distinct message, not every tick, and a line
//   says when sending works again.
// - stop() cancels the timer, aborts a run under way and waits for it.
import { readSupabaseConfig, setting } from './supabase-config.ts';

export const NOTIFICATION_EMAILS_INTERVAL_MS = 3_000;

export interface NotificationEmailsLog {
  info(line: string): void;
  error(line: string): void;
}

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

export interface NotificationEmailsTimer {
  /** Run once now (after any run under way); resolves with the function's answer, rejects with its problem. */
  runNow(): Promise<RunOutcome>;
  /** Idempotent: no further runs; a run under way is aborted and awaited. */
  stop(): Promise<void>;
}

const consoleLog: NotificationEmailsLog = {
  info: (line) => console.info(`[notifications] ${line}`),
  error: (line) => console.error(`[notifications] ${line}`),
};

/** config.toml `[auth] site_url`: where Auth sends people back to, i.e. the portal. */
export function defaultPortalUrl(): string {
  return setting<string>('auth.site_url', 'http://127.0.0.1:3000', readSupabaseConfig());
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

function isOutcome(value: unknown): value is RunOutcome {
  const v = value as Partial<RunOutcome> | null;
  return typeof v === 'object' && v !== null && typeof v.sent === 'number' && typeof v.failed === 'number';
}

export function startNotificationEmails(options: NotificationEmailsOptions): NotificationEmailsTimer {
  const url = `${options.apiUrl.replace(/\/+$/, '')}/functions/v1/send-notification-emails`;
  const intervalMs = options.intervalMs ?? NOTIFICATION_EMAILS_INTERVAL_MS;
  const requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
  const log = options.log ?? consoleLog;
  const fetchImpl = options.fetch ?? fetch;
  const stopping = new AbortController();

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let lastProblem: string | undefined;

  const report = (problem: string) => {
    if (problem === lastProblem) return;
    lastProblem = problem;
    log.error(problem);
  };
  const recovered = () => {
    if (lastProblem === undefined) return;
    lastProblem = undefined;
    log.info('notification emails are being sent again');
  };

  async function callFunction(): Promise<RunOutcome> {
    const response = await fetchImpl(url, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${options.serviceRoleKey}`,
        apikey: options.serviceRoleKey,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ portal_url: options.portalUrl }),
      signal: AbortSignal.any([stopping.signal, AbortSignal.timeout(requestTimeoutMs)]),
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!response.ok || !isOutcome(body)) {
      const detail = (body as { error?: { message?: unknown }; message?: unknown } | undefined) ?? {};
      const message = typeof detail.error?.message === 'string' ? detail.error.message : typeof detail.message === 'string' ? detail.message : text.slice(0, 200);
      throw new Error(`send-notification-emails answered ${response.status}: ${message}`);
    }
    return body;
  }

  async function runOnce(): Promise<RunOutcome> {
    try {
      const outcome = await callFunction();
      if (outcome.sent > 0) log.info(`emailed ${outcome.sent} notification(s)`);
      if (outcome.failed > 0) {
        report('some notification emails could not be sent; they are retried on every run (the [functions] log says why)');
      } else {
        recovered();
      }
      return outcome;
    } catch (error) {
      if (!stopped) report(`could not run send-notification-emails: ${describe(error)}`);
      throw error;
    }
  }

  /** Runs one after another: a run waits for the one before it. */
  function queueRun(): Promise<RunOutcome> {
    const run = running.then(runOnce, runOnce);
    running = run.catch(() => undefined);
    return run;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      queueRun()
        .catch(() => undefined) // reported above
        .finally(schedule);
    }, intervalMs);
    timer.unref();
  }

  schedule();
  return {
    runNow() {
      if (stopped) return Promise.reject(new Error('the notification emails timer has stopped'));
      return queueRun();
    },
    async stop() {
      if (!stopped) {
        stopped = true;
        clearTimeout(timer);
        stopping.abort();
      }
      await running;
    },
  };
}
