// When `paymentDeliveries` is on, the stack calls the `deliver-payment-runs`
// edge function every few seconds (stack/function-timer.ts), as a Supabase
// Cron job does on hosted (docs/deploy.md): a run Finance sends reaches the
// payment system (locally its SIMULATOR, stack/payment-system/) within
// seconds, and the 18-hour resend rule is applied on every run.
import { startFunctionTimer, type FunctionTimer, type FunctionTimerLog } from './function-timer.ts';

export const PAYMENT_DELIVERIES_INTERVAL_MS = 3_000;

/** What one deliver-payment-runs run did (its 200 answer). */
export interface PaymentDeliveryOutcome {
  due: number;
  delivered: number;
  failed: number;
}

export type PaymentDeliveriesTimer = FunctionTimer<PaymentDeliveryOutcome>;

export interface PaymentDeliveriesOptions {
  apiUrl: string;
  serviceRoleKey: string;
  /** Default 3 s. */
  intervalMs?: number;
  /** Default: console, lines prefixed `[payments]`. */
  log?: FunctionTimerLog;
  fetch?: typeof fetch;
}

const consoleLog: FunctionTimerLog = {
  info: (line) => console.info(`[payments] ${line}`),
  error: (line) => console.error(`[payments] ${line}`),
};

function isOutcome(value: unknown): value is PaymentDeliveryOutcome {
  const v = value as Partial<PaymentDeliveryOutcome> | null;
  return typeof v === 'object' && v !== null && (['due', 'delivered', 'failed'] as const).every((key) => typeof v[key] === 'number');
}

export function startPaymentDeliveries(options: PaymentDeliveriesOptions): PaymentDeliveriesTimer {
  return startFunctionTimer<PaymentDeliveryOutcome>({
    functionName: 'deliver-payment-runs',
    apiUrl: options.apiUrl,
    serviceRoleKey: options.serviceRoleKey,
    body: {},
    intervalMs: options.intervalMs ?? PAYMENT_DELIVERIES_INTERVAL_MS,
    log: options.log ?? consoleLog,
    fetch: options.fetch,
    isOutcome,
    describeOutcome: (o) => ({
      info: o.delivered > 0 ? `${o.delivered} payment run try(s) delivered to the payment system` : undefined,
      problem: o.failed > 0 ? 'some payment runs could not be delivered; they are tried again (the [functions] log says why)' : undefined,
    }),
    recoveredLine: 'payment runs are being delivered again',
  });
}
