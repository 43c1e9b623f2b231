// payment-file: a payment run's payment file, for Finance to download.
//
//   GET /functions/v1/payment-file?run=<uuid>&format=csv|xlsx     (the user's JWT)
//
// 200 the file: text/csv (UTF-8 with a byte-order mark) or the XLSX type,
//     Content-Disposition: attachment; filename="payment-run-9001-2026-12-15.csv"
// 400 invalid_request     `run` is not a uuid or `format` is not csv/xlsx
// 401 not_signed_in       no user session
// 403 forbidden           the database refuses the caller (its message says why)
// 404 run_not_found       no such run, or the caller may not see it
// 405 method_not_allowed  not GET
// 409 file_does_not_add_up  the lines do not add up to the run's total (never expected: the file is refused)
// 502 lookup_failed       the database could not be read
//
// Everything is read AS THE CALLER (callerClient): the run through
// payment_runs' row-level security, the lines through payment_run_file_rows,
// which lets in only Finance and Finance Management of the run's commissioner. The database decides who may download; this function only
// renders (_shared/payment-file.ts, the same renderer the delivery uses).
import { corsHeaders, preflight } from '../_shared/cors.ts';
import { bearerToken, errorResponse, UUID_PATTERN } from '../_shared/http.ts';
import {
  PAYMENT_FILE_CONTENT_TYPES,
  PaymentFileMismatch,
  paymentFileName,
  renderPaymentCsv,
  renderPaymentXlsx,
  type PaymentFileFormat,
  type PaymentFileRow,
  type PaymentFileRun,
} from '../_shared/payment-file.ts';
import { callerClient } from '../_shared/supabase-clients.ts';

interface RunRow {
  id: string;
  run_number: number;
  commissioner_id: string;
  payment_date: string;
  claim_count: number;
  total: number | string;
}

Deno.serve(async (req) => {
  const answer = preflight(req);
  if (answer) return answer;
  if (req.method !== 'GET') return errorResponse(405, 'method_not_allowed', 'Use GET.', { Allow: 'GET, OPTIONS' });

  const url = new URL(req.url);
  const runId = url.searchParams.get('run') ?? '';
  const format = url.searchParams.get('format') ?? '';
  if (!UUID_PATTERN.test(runId)) return errorResponse(400, 'invalid_request', 'run must be the payment run\'s id (a uuid).');
  if (format !== 'csv' && format !== 'xlsx') return errorResponse(400, 'invalid_request', 'format must be csv or xlsx.');

  const client = callerClient(req);
  const token = bearerToken(req);
  const { data: user } = token ? await client.auth.getUser(token) : { data: { user: null } };
  if (!user.user) return errorResponse(401, 'not_signed_in', 'Sign in to download payment files.');

  const { data: run, error: runError } = await client
    .from('payment_runs')
    .select('id, run_number, commissioner_id, payment_date, claim_count, total')
    .eq('id', runId)
    .maybeSingle<RunRow>();
  if (runError) return errorResponse(502, 'lookup_failed', `Could not read the payment run: ${runError.message}`);
  if (!run) return errorResponse(404, 'run_not_found', 'No such payment run, or you may not see it.');

  const { data: commissioner, error: orgError } = await client
    .from('organisations')
    .select('ods_code, name')
    .eq('id', run.commissioner_id)
    .maybeSingle<{ ods_code: string; name: string }>();
  if (orgError) return errorResponse(502, 'lookup_failed', `Could not read the commissioner: ${orgError.message}`);
  if (!commissioner) return errorResponse(404, 'run_not_found', 'No such payment run, or you may not see it.');

  const { data: rows, error: rowsError } = await client.rpc('payment_run_file_rows', { p_run_id: runId });
  if (rowsError) {
    // The database answers PT404 to anyone who may not read the run (Finance and Finance Management of its commissioner only).
    if (rowsError.code === 'PT404') return errorResponse(404, 'run_not_found', 'No such payment run, or you may not see it.');
    if (rowsError.code === '42501') return errorResponse(403, 'forbidden', rowsError.message);
    return errorResponse(502, 'lookup_failed', `Could not read the run's lines: ${rowsError.message}`);
  }

  const fileRun: PaymentFileRun = {
    run_number: run.run_number,
    commissioner_ods_code: commissioner.ods_code,
    commissioner_name: commissioner.name,
    payment_date: run.payment_date,
    claim_count: run.claim_count,
    total: run.total,
  };
  const kind = format as PaymentFileFormat;
  let body: string | Uint8Array<ArrayBuffer>;
  try {
    body = kind === 'csv' ? renderPaymentCsv(fileRun, (rows ?? []) as PaymentFileRow[]) : await renderPaymentXlsx(fileRun, (rows ?? []) as PaymentFileRow[]);
  } catch (error) {
    if (error instanceof PaymentFileMismatch) return errorResponse(409, 'file_does_not_add_up', error.message);
    throw error;
  }
  return new Response(body, {
    status: 200,
    headers: {
      ...corsHeaders,
      'Access-Control-Expose-Headers': 'Content-Disposition',
      'Content-Type': PAYMENT_FILE_CONTENT_TYPES[kind],
      'Content-Disposition': `attachment; filename="${paymentFileName(fileRun, kind)}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
});
