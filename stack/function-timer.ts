// The local stand-in for the hosted scheduler: what Supabase Cron does on a
// hosted project (docs/deploy.md), the stack does here — call an edge
// function with the service-role key every few seconds. Used for
// `send-notification-emails` (stack/notification-emails.ts) and
// `scan-evidence` (stack/evidence-scans.ts).
//
// - Runs never overlap: the next run is scheduled when the previous one ends.
// - Problems are logged once per distinct message, not every tick, and a line
//   says when the function works again.
// - stop() cancels the timer, aborts a run under way and waits for it.

export interface FunctionTimerLog {
  info(line: string): void;
  error(line: string): void;
}

export interface FunctionTimer<Outcome> {
  /** Run once now (after any run under way); resolves with the function's answer, rejects with its problem. */
  runNow(): Promise<Outcome>;
  /** Idempotent: no further runs; a run under way is aborted and awaited. */
  stop(): Promise<void>;
}

export interface FunctionTimerOptions<Outcome> {
  /** The edge function's name, e.g. `scan-evidence`. */
  functionName: string;
  /** e.g. http://127.0.0.1:54321 — the gateway. */
  apiUrl: string;
  serviceRoleKey: string;
  /** The JSON body of every call. */
  body: Record<string, unknown>;
  /** Pause between the end of one run and the start of the next. */
  intervalMs: number;
  /** A run that takes longer is aborted (and reported). Default 60 s. */
  requestTimeoutMs?: number;
  log: FunctionTimerLog;
  fetch?: typeof fetch;
  /** Is the 200 answer the function's outcome? Anything else is reported as a problem. */
  isOutcome(value: unknown): value is Outcome;
  /** What a successful run did, worth a log line (or nothing), and a problem it reports (or nothing). */
  describeOutcome(outcome: Outcome): { info?: string; problem?: string };
  /** The line logged once when runs succeed again after a problem. */
  recoveredLine: string;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

export function startFunctionTimer<Outcome>(options: FunctionTimerOptions<Outcome>): FunctionTimer<Outcome> {
  const url = `${options.apiUrl.replace(/\/+$/, '')}/functions/v1/${options.functionName}`;
  const requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
  const { log } = options;
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
    log.info(options.recoveredLine);
  };

  async function callFunction(): Promise<Outcome> {
    const response = await fetchImpl(url, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${options.serviceRoleKey}`,
        apikey: options.serviceRoleKey,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(options.body),
      signal: AbortSignal.any([stopping.signal, AbortSignal.timeout(requestTimeoutMs)]),
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!response.ok || !options.isOutcome(body)) {
      const detail = (body as { error?: { message?: unknown }; message?: unknown } | undefined) ?? {};
      const message = typeof detail.error?.message === 'string' ? detail.error.message : typeof detail.message === 'string' ? detail.message : text.slice(0, 200);
      throw new Error(`${options.functionName} answered ${response.status}: ${message}`);
    }
    return body;
  }

  async function runOnce(): Promise<Outcome> {
    try {
      const outcome = await callFunction();
      const { info, problem } = options.describeOutcome(outcome);
      if (info) log.info(info);
      if (problem) report(problem);
      else recovered();
      return outcome;
    } catch (error) {
      if (!stopped) report(`could not run ${options.functionName}: ${describe(error)}`);
      throw error;
    }
  }

  /** Runs one after another: a run waits for the one before it. */
  function queueRun(): Promise<Outcome> {
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
    }, options.intervalMs);
    timer.unref();
  }

  schedule();
  return {
    runNow() {
      if (stopped) return Promise.reject(new Error(`the ${options.functionName} timer has stopped`));
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
