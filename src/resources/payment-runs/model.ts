// Payment runs as the portal reads them (payment_runs, payment_run_claims,
// payment_run_tries; RLS: the commissioner's Finance and Finance Management)
// and the answers of their action functions. Pure, so unit-testable. Every
// run's count and total is the database's; only the practice's Payments page
// adds claims up per payment date (in whole pence, so nothing drifts).
import type { Enums, Tables } from '../../types/database.ts';

export type PaymentRunStatus = Enums<'payment_run_status'>;

export const PAYMENT_RUN_STATUSES: readonly PaymentRunStatus[] = ['draft', 'sent', 'acknowledged', 'rejected', 'flagged', 'cancelled'];

export const PAYMENT_RUN_STATUS_COLOURS: Record<PaymentRunStatus, string> = {
  draft: 'default',
  sent: 'blue',
  acknowledged: 'green',
  rejected: 'red',
  flagged: 'volcano',
  cancelled: 'default',
};

export type PaymentRun = Tables<'payment_runs'>;

export type PaymentRunClaim = Tables<'payment_run_claims'>;
export const PAYMENT_RUN_CLAIM_SELECT = 'run_id,claim_id,provider_id,claim_number,amount';

/** A delivery of the run (the delivery job's lease is no reader's business). */
export type PaymentRunTry = Omit<Tables<'payment_run_tries'>, 'leased_until'>;
export const PAYMENT_RUN_TRY_SELECT = 'run_id,try_number,queued_at,delivered_at,delivery_error,answer_due_at';

/** The answer of public.preview_payment_run. */
export interface PaymentRunPreview {
  commissioner_id: string;
  payment_date: string;
  claim_count: number;
  total: number | string;
  providers: Array<{ provider_id: string; ods_code: string; name: string; claim_count: number; total: number | string }>;
}

export type PaymentFileFormat = 'csv' | 'xlsx';

/** "Run 9001": how people name a run. */
export function runName(runNumber: number | string): string {
  return `Run ${runNumber}`;
}

/** When the payment system answered the run (acknowledged or rejected), if it has. */
export function answeredAt(run: Pick<PaymentRun, 'acknowledged_at' | 'rejected_at'>): string | null {
  return run.acknowledged_at ?? run.rejected_at ?? null;
}

/** Which actions a run's status offers (the database decides again). */
export function runActions(status: PaymentRunStatus): { send: boolean; cancel: boolean; resend: boolean } {
  return { send: status === 'draft', cancel: status === 'draft', resend: status === 'flagged' };
}

/** The payment file's name when the function names none: "payment-run-9001.xlsx". */
export function paymentFileName(runNumber: number | string, format: PaymentFileFormat): string {
  return `payment-run-${runNumber}.${format}`;
}

/** The file name of a Content-Disposition header (filename* first, then filename), if it names one. */
export function fileNameFromDisposition(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[1]!.trim().replace(/^"|"$/g, ''));
    } catch {
      // malformed: try the plain name
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/.exec(header);
  const name = (plain?.[2] ?? plain?.[1])?.trim();
  // Only a bare name: never a path.
  return name ? name.replace(/^.*[\\/]/, '') || undefined : undefined;
}
