// achievement-summary-report: the Achievement Summary Report ("Run
// Achievement Summary Report" on the Declare and Declaration Management pages)
// for the declarations chosen, to download.
//
//   GET /functions/v1/achievement-summary-report?declarations=<uuid>,<uuid>…&format=csv|xlsx     (the user's JWT)
//
// 200 the file: text/csv (UTF-8 with a byte-order mark) or the XLSX type,
//     Content-Disposition: attachment; filename="achievement-summary-2025-09-30.csv"
// 400 invalid_request           `declarations` is not 1 to 1,000 uuids separated by commas, or `format` is not csv/xlsx
// 401 not_signed_in             no user session
// 404 declarations_not_found    a declaration does not exist, or the caller may not read it (View reads no money)
// 405 method_not_allowed        not GET
// 409 report_does_not_add_up    a declaration's indicators do not add up to its declared payment (never expected: refused)
// 502 lookup_failed             the database could not be read
//
// Everything is read AS THE CALLER (callerClient): the declarations through
// their row-level security, the rows through public.achievement_summary_rows,
// which gives rows only for declarations the caller reads. This function only
// renders (_shared/achievement-summary.ts).
import {
  ACHIEVEMENT_SUMMARY_CONTENT_TYPES,
  AchievementSummaryMismatch,
  achievementSummaryFileName,
  renderAchievementSummaryCsv,
  renderAchievementSummaryXlsx,
  type AchievementSummaryFormat,
  type AchievementSummaryRow,
} from '../_shared/achievement-summary.ts';
import { corsHeaders, preflight } from '../_shared/cors.ts';
import { bearerToken, errorResponse, UUID_PATTERN } from '../_shared/http.ts';
import { callerClient } from '../_shared/supabase-clients.ts';

const MAX_DECLARATIONS = 1000;

Deno.serve(async (req) => {
  const answer = preflight(req);
  if (answer) return answer;
  if (req.method !== 'GET') return errorResponse(405, 'method_not_allowed', 'Use GET.', { Allow: 'GET, OPTIONS' });

  const url = new URL(req.url);
  const ids = [...new Set((url.searchParams.get('declarations') ?? '').split(',').map((id) => id.trim().toLowerCase()).filter((id) => id !== ''))];
  const format = url.searchParams.get('format') ?? '';
  if (ids.length === 0 || ids.length > MAX_DECLARATIONS || !ids.every((id) => UUID_PATTERN.test(id))) {
    return errorResponse(400, 'invalid_request', `declarations must be 1 to ${MAX_DECLARATIONS} declaration ids (uuids) separated by commas.`);
  }
  if (format !== 'csv' && format !== 'xlsx') return errorResponse(400, 'invalid_request', 'format must be csv or xlsx.');

  const client = callerClient(req);
  const token = bearerToken(req);
  const { data: user } = token ? await client.auth.getUser(token) : { data: { user: null } };
  if (!user.user) return errorResponse(401, 'not_signed_in', 'Sign in to run the Achievement Summary Report.');

  const { data: visible, error: visibleError } = await client.from('declarations').select('id').in('id', ids);
  if (visibleError) return errorResponse(502, 'lookup_failed', `Could not read the declarations: ${visibleError.message}`);
  if ((visible ?? []).length !== ids.length) {
    return errorResponse(404, 'declarations_not_found', 'A declaration does not exist, or you may not see it: reload the list and choose again.');
  }

  const { data: rows, error: rowsError } = await client.rpc('achievement_summary_rows', { p_declaration_ids: ids });
  if (rowsError) return errorResponse(502, 'lookup_failed', `Could not read the achievement: ${rowsError.message}`);

  const summaryRows = (rows ?? []) as AchievementSummaryRow[];
  const kind = format as AchievementSummaryFormat;
  let body: string | Uint8Array<ArrayBuffer>;
  try {
    body = kind === 'csv' ? renderAchievementSummaryCsv(summaryRows) : await renderAchievementSummaryXlsx(summaryRows);
  } catch (error) {
    if (error instanceof AchievementSummaryMismatch) return errorResponse(409, 'report_does_not_add_up', error.message);
    throw error;
  }
  return new Response(body, {
    status: 200,
    headers: {
      ...corsHeaders,
      'Access-Control-Expose-Headers': 'Content-Disposition',
      'Content-Type': ACHIEVEMENT_SUMMARY_CONTENT_TYPES[kind],
      'Content-Disposition': `attachment; filename="${achievementSummaryFileName(summaryRows, kind)}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
});
