// deliver-payment-runs: sends payment runs to the payment system. Called on a
// timer with the service-role key: every few seconds by the local stack
// (`startStack({ paymentDeliveries: true })`), by a Supabase Cron job on
// hosted (docs/deploy.md).
//
//   POST /functions/v1/deliver-payment-runs      (service-role key only)
//   optional body {"now": "<ISO timestamp>"}: the clock to use (tests of the
//   18-hour rule, which must not wait 18 hours)
//
// 200 {"due": n, "delivered": d, "failed": f}
// 400 invalid_request          body not JSON, or `now` not a timestamp
// 403 forbidden                not called with the service-role key
// 502 lookup_failed            the queue could not be read
//
// Each run asks public.payment_deliveries_due(p_now) for the tries to deliver
// (the database first applies the 18-hour rule: a delivered try with no
// answer by its due time gets a new try, at most 3, then the run is flagged
// for Finance; each try handed out is leased for two minutes, so overlapping
// runs never send one try twice). For each try it reads the run's lines
// (payment_run_file_rows, service role), renders the CSV and XLSX files
// (_shared/payment-file.ts; a file that does not add up is never sent), sends
// them through the one payment-system interface (_shared/payment-system.ts)
// and records the outcome with payment_delivery_recorded: delivered (the
// answer is then due 18 hours later) or the error.
import type { SupabaseClient } from '@supabase/supabase-js';
import { json, preflight } from '../_shared/cors.ts';
import { BadRequest, errorResponse, readJsonObject, refuseUnlessScheduler } from '../_shared/http.ts';
import {
  PAYMENT_FILE_CONTENT_TYPES,
  paymentFileName,
  renderPaymentCsv,
  renderPaymentXlsx,
  formatPence,
  toPence,
  type PaymentFileRow,
} from '../_shared/payment-file.ts';
import { paymentSystemFromEnv, type PaymentFile, type PaymentSystem } from '../_shared/payment-system.ts';
import { serviceRoleClient } from '../_shared/supabase-clients.ts';

const TRIES_PER_RUN = 10;

interface DueTry {
  run_id: string;
  run_number: number;
  try_number: number;
  commissioner_id: string;
  commissioner_ods_code: string;
  commissioner_name: string;
  payment_date: string;
  claim_count: number;
  total: number | string;
}

interface Tally {
  due: number;
  delivered: number;
  failed: number;
}

async function filesFor(admin: SupabaseClient, due: DueTry): Promise<PaymentFile[]> {
  const { data, error } = await admin.rpc('payment_run_file_rows', { p_run_id: due.run_id });
  if (error) throw new Error(`could not read the run's lines: ${error.message}`);
  const rows = (data ?? []) as PaymentFileRow[];
  const encoder = new TextEncoder();
  return [
    { name: paymentFileName(due, 'csv'), content_type: PAYMENT_FILE_CONTENT_TYPES.csv, bytes: encoder.encode(renderPaymentCsv(due, rows)) },
    { name: paymentFileName(due, 'xlsx'), content_type: PAYMENT_FILE_CONTENT_TYPES.xlsx, bytes: await renderPaymentXlsx(due, rows) },
  ];
}

async function deliver(admin: SupabaseClient, system: PaymentSystem, due: DueTry, now: string | null, tally: Tally): Promise<void> {
  let problem: string | null = null;
  try {
    const files = await filesFor(admin, due);
    const result = await system.sendRun(
      {
        run_id: due.run_id,
        run_number: Number(due.run_number),
        try_number: due.try_number,
        commissioner: { id: due.commissioner_id, ods_code: due.commissioner_ods_code, name: due.commissioner_name },
        payment_date: due.payment_date,
        claim_count: Number(due.claim_count),
        total: formatPence(toPence(due.total, 'The run total')),
      },
      files,
    );
    if (!result.accepted) problem = result.error;
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  }
  if (problem === null) tally.delivered += 1;
  else {
    tally.failed += 1;
    console.error(`[deliver-payment-runs] run ${due.run_number} try ${due.try_number}: ${problem}`);
  }
  const { error } = await admin.rpc('payment_delivery_recorded', {
    p_run_id: due.run_id,
    p_try_number: due.try_number,
    p_error: problem,
    ...(now === null ? {} : { p_now: now }),
  });
  // Not recorded: the lease runs out and the try is handed out again (the payment system sees it twice).
  if (error) console.error(`[deliver-payment-runs] run ${due.run_number} try ${due.try_number}: could not record the delivery: ${error.message}`);
}

Deno.serve(async (req) => {
  const answer = preflight(req);
  if (answer) return answer;
  const refused = refuseUnlessScheduler(req, 'deliver payment runs');
  if (refused) return refused;

  let now: string | null = null;
  try {
    const body = await readJsonObject(req);
    if (body.now !== undefined) {
      if (typeof body.now !== 'string' || Number.isNaN(Date.parse(body.now))) {
        return errorResponse(400, 'invalid_request', 'now must be an ISO timestamp, e.g. "2026-12-15T09:00:00Z".');
      }
      now = new Date(body.now).toISOString();
    }
  } catch (error) {
    if (error instanceof BadRequest) return errorResponse(400, 'invalid_request', error.message);
    throw error;
  }

  const admin = serviceRoleClient();
  const system = paymentSystemFromEnv((name) => Deno.env.get(name));
  const { data, error } = await admin.rpc('payment_deliveries_due', { p_limit: TRIES_PER_RUN, ...(now === null ? {} : { p_now: now }) });
  if (error) return errorResponse(502, 'lookup_failed', `Could not read the payment runs waiting to be delivered: ${error.message}`);
  const dueTries = (data ?? []) as DueTry[];
  const tally: Tally = { due: dueTries.length, delivered: 0, failed: 0 };
  for (const due of dueTries) await deliver(admin, system, due, now, tally);
  return json(tally);
});
