// validate-ods-code: checks that an NHS ODS (Organisation Data Service) code is
// well formed and looks it up in the organisation directory, as the caller
// (the directory is readable by everyone, signed in or not, so the public
// registration page can use this with the anon key).
//
//   POST /functions/v1/validate-ods-code   {"ods_code": "ZP1001"}
//   GET  /functions/v1/validate-ods-code?ods_code=ZP1001
//
// 200 {"ods_code":"ZP1001","valid":true,"found":true,"organisation":{id,ods_code,name,type,parent_id}}
// 200 {"ods_code":"ZP9999","valid":true,"found":false,"organisation":null}
// 400 {"error":"invalid_ods_code","message":…}   the code is not 3–10 letters/digits
// 400 {"error":"invalid_request","message":…}    no code, or a body that is not JSON
import { json, preflight } from '../_shared/cors.ts';
import { callerClient } from '../_shared/supabase-clients.ts';

/** The same rule as the `organisations_ods_code_format` check constraint. */
const ODS_CODE = /^[A-Z0-9]{3,10}$/;

type Organisation = { id: string; ods_code: string; name: string; type: string; parent_id: string | null };

class BadRequest extends Error {}

async function readCode(req: Request): Promise<unknown> {
  if (req.method === 'GET') return new URL(req.url).searchParams.get('ods_code');
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    throw new BadRequest('The request body must be JSON: {"ods_code": "<code>"}');
  }
  if (body === null || typeof body !== 'object') throw new BadRequest('The request body must be a JSON object: {"ods_code": "<code>"}');
  return (body as Record<string, unknown>).ods_code;
}

/** Upper-cased and trimmed; `null` when it cannot be an ODS code. */
function normaliseOdsCode(input: string): string | null {
  const code = input.trim().toUpperCase();
  return ODS_CODE.test(code) ? code : null;
}

Deno.serve(async (req) => {
  const answer = preflight(req);
  if (answer) return answer;
  if (req.method !== 'GET' && req.method !== 'POST') {
    return json({ error: 'method_not_allowed', message: 'Use GET or POST' }, 405, { Allow: 'GET, POST, OPTIONS' });
  }

  let input: unknown;
  try {
    input = await readCode(req);
  } catch (error) {
    if (error instanceof BadRequest) return json({ error: 'invalid_request', message: error.message }, 400);
    throw error;
  }
  if (typeof input !== 'string' || input.trim() === '') {
    return json({ error: 'invalid_request', message: 'ods_code is required' }, 400);
  }
  const code = normaliseOdsCode(input);
  if (code === null) {
    return json(
      {
        error: 'invalid_ods_code',
        message: 'An ODS code is 3 to 10 letters and digits, for example ZP1001',
        ods_code: input,
        valid: false,
      },
      400,
    );
  }

  const { data, error } = await callerClient(req)
    .from('organisations')
    .select('id, ods_code, name, type, parent_id')
    .eq('ods_code', code)
    .maybeSingle<Organisation>();
  if (error) {
    console.error('validate-ods-code: lookup failed', error);
    return json({ error: 'lookup_failed', message: error.message }, 502);
  }
  return json({ ods_code: code, valid: true, found: data !== null, organisation: data });
});
