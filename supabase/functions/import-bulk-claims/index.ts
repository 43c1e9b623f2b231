// import-bulk-claims: the Bulk Claims page's template and upload (issue 13).
//
//   GET  /functions/v1/import-bulk-claims?commissioner_id=<uuid>&period=<label>
//        → 200 the XLSX template (public.bulk_claim_template as the caller), units empty
//   POST /functions/v1/import-bulk-claims?commissioner_id=<uuid>&file_name=<name>
//        body: the .xlsx itself (any Content-Type; file_name or an X-File-Name
//        header names it — browsers use the query: CORS allows no custom header), or
//        multipart/form-data with a `file` part (and optionally `commissioner_id`)
//        → 200 the row-by-row report of public.import_bulk_claims (ok true: claims
//          created, or the same file's earlier import; ok false: nothing created)
//
// 400 invalid_request   commissioner_id is not a uuid; no period; no file part
// 401 unauthorized      no signed-in user
// 403 forbidden         not Approver Tier 1 of that commissioner (the database says so)
// 405 method_not_allowed
// 413 too_large         the file is over 5 MB
// 415 not_xlsx | macros the bytes are not an .xlsx workbook (whatever the name says), or carry macros
// 422 not_template      a workbook without the template's columns, or too many rows
// 502 database_failed   the database could not be reached
//
// Every rule about the rows lives in the database: this function only turns
// the workbook's cells into values (formulas as their text, never evaluated)
// and calls the SQL functions with the caller's JWT, so role and reach are the
// caller's own.
import { corsHeaders, json, preflight } from '../_shared/cors.ts';
import { bearerToken, BodyTooLarge, errorResponse, readBodyCapped, UUID_PATTERN } from '../_shared/http.ts';
import { callerClient } from '../_shared/supabase-clients.ts';
import { buildTemplate, MAX_FILE_BYTES, readClaimRows, WorkbookError, XLSX_TYPE, type TemplateRow } from './workbook.ts';

const TOO_LARGE = 'The file is larger than 5 MB. Keep only the Bulk claims sheet, or split the rows into several files.';
/** Room for the multipart envelope around a 5 MB file. */
const MULTIPART_OVERHEAD = 64 * 1024;

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

function databaseFailure(error: { code?: string; message: string; hint?: string | null }): Response {
  if (error.code === '42501') {
    // The anon key (no user) is refused by the function's grants, a user without the role by the function itself.
    const signedOut = error.message.startsWith('Sign in') || error.message.startsWith('permission denied');
    return signedOut ? errorResponse(401, 'unauthorized', 'Sign in to make bulk claims.') : errorResponse(403, 'forbidden', error.message);
  }
  if (error.code === '22023') return errorResponse(422, 'not_template', error.hint ? `${error.message} ${error.hint}` : error.message);
  return errorResponse(502, 'database_failed', error.message);
}

/** A safe download name: letters, digits, spaces, dots and dashes. */
function fileNameFor(period: string): string {
  return `bulk-claims-${period.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'template'}.xlsx`;
}

async function template(req: Request, url: URL): Promise<Response> {
  const commissionerId = url.searchParams.get('commissioner_id') ?? '';
  const period = (url.searchParams.get('period') ?? '').trim();
  if (!UUID_PATTERN.test(commissionerId)) return errorResponse(400, 'invalid_request', 'commissioner_id must be the commissioner\'s id (a uuid).');
  if (period === '' || period.length > 100) return errorResponse(400, 'invalid_request', 'Choose the period (e.g. "Q3 2025/26").');
  const { data, error } = await callerClient(req).rpc('bulk_claim_template', { p_commissioner_id: commissionerId, p_period_label: period });
  if (error) return databaseFailure(error);
  const bytes = await buildTemplate((data ?? []) as TemplateRow[], `Bulk claims for ${period}`);
  return new Response(bytes, {
    status: 200,
    headers: {
      ...corsHeaders,
      'Content-Type': XLSX_TYPE,
      'Content-Disposition': `attachment; filename="${fileNameFor(period)}"`,
      'Cache-Control': 'no-store',
      'X-Row-Count': String((data ?? []).length),
      'Access-Control-Expose-Headers': 'Content-Disposition, X-Row-Count',
    },
  });
}

async function upload(req: Request, url: URL): Promise<Response> {
  let commissionerId = url.searchParams.get('commissioner_id') ?? '';
  let fileName = url.searchParams.get('file_name') ?? '';
  let bytes: Uint8Array<ArrayBuffer>;
  const contentType = req.headers.get('Content-Type') ?? '';
  try {
    if (/^multipart\/form-data/i.test(contentType)) {
      const body = await readBodyCapped(req, MAX_FILE_BYTES + MULTIPART_OVERHEAD);
      let form: FormData;
      try {
        form = await new Response(body, { headers: { 'Content-Type': contentType } }).formData();
      } catch {
        return errorResponse(400, 'invalid_request', 'The upload could not be read as multipart/form-data.');
      }
      const file = form.get('file');
      if (!(file instanceof File)) return errorResponse(400, 'invalid_request', 'Send the workbook as the form\'s "file" part.');
      if (file.size > MAX_FILE_BYTES) throw new BodyTooLarge();
      bytes = new Uint8Array(await file.arrayBuffer());
      fileName = file.name || fileName;
      const field = form.get('commissioner_id');
      if (typeof field === 'string' && field !== '') commissionerId = field;
    } else {
      bytes = await readBodyCapped(req, MAX_FILE_BYTES);
      const header = req.headers.get('X-File-Name');
      if (header) {
        try {
          fileName = decodeURIComponent(header);
        } catch {
          fileName = header;
        }
      }
    }
  } catch (error) {
    if (error instanceof BodyTooLarge) return errorResponse(413, 'too_large', TOO_LARGE);
    throw error;
  }
  if (!UUID_PATTERN.test(commissionerId)) return errorResponse(400, 'invalid_request', 'commissioner_id must be the commissioner\'s id (a uuid).');
  if (bytes.byteLength === 0) return errorResponse(400, 'invalid_request', 'The upload is empty: choose the filled-in template.');
  fileName = fileName.trim().slice(0, 255) || 'bulk-claims.xlsx';

  let rows;
  try {
    rows = await readClaimRows(bytes);
  } catch (error) {
    if (error instanceof WorkbookError) return errorResponse(error.status, error.code, error.message);
    throw error;
  }
  if (rows.length === 0) {
    return errorResponse(422, 'not_template', 'The sheet has no rows below its header: download the template, enter units and upload it.');
  }
  const { data, error } = await callerClient(req).rpc('import_bulk_claims', {
    p_commissioner_id: commissionerId,
    p_file_sha256: await sha256Hex(bytes),
    p_file_name: fileName,
    p_rows: rows,
  });
  if (error) return databaseFailure(error);
  return json(data);
}

Deno.serve(async (req) => {
  const answer = preflight(req);
  if (answer) return answer;
  if (req.method !== 'GET' && req.method !== 'POST') {
    return errorResponse(405, 'method_not_allowed', 'Use GET for the template and POST to upload.', { Allow: 'GET, POST, OPTIONS' });
  }
  if (!bearerToken(req)) return errorResponse(401, 'unauthorized', 'Sign in to make bulk claims.');
  const url = new URL(req.url);
  return req.method === 'GET' ? template(req, url) : upload(req, url);
});
