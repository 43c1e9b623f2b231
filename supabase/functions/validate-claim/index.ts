// validate-claim: what the claim page calls before it asks "Submit claim N?".
//
//   POST /functions/v1/validate-claim   {"claim_id": "<uuid>"}   (the signed-in user's JWT)
//
// 200 {"ok": bool, "problems": [{rule, message, line_id, service_id, question_id, evidence_id}],
//      "claim_id", "claim_number", "status", "total"}
// 400 invalid_request     no JSON body, or claim_id is not a uuid
// 401 unauthorized        no signed-in user
// 404 not_found           the claim does not exist or the caller cannot read it
// 502 lookup_failed       the database or Storage could not be read
//
// The rules of a claim live in one place: public.submit_claim, called here in
// its dry-run mode as the caller (so RLS and the caller's roles apply). This
// function adds what SQL cannot check: patient-identifiable data — an NHS
// number (10 digits with a valid mod-11 check digit, with or without spaces)
// in a free-text answer, a file name or the text of an attached document
// ("never attach or reference Patient Identifiable Data"). Those problems have
// the rule `patient_identifiable_data`.
import type { SupabaseClient } from '@supabase/supabase-js';
import { json, preflight } from '../_shared/cors.ts';
import { BadRequest, bearerToken, errorResponse, readJsonObject, UUID_PATTERN } from '../_shared/http.ts';
import { extractDocumentText } from '../_shared/evidence-scan.ts';
import { findNhsNumbers } from '../_shared/nhs-number.ts';
import { callerClient } from '../_shared/supabase-clients.ts';

interface Problem {
  rule: string;
  message: string;
  line_id?: string | null;
  service_id?: string | null;
  question_id?: string | null;
  evidence_id?: string | null;
}

interface DryRun {
  ok: boolean;
  problems: Problem[];
  claim_id: string;
  claim_number: number;
  status: string;
  total: number;
}

const PID_ADVICE = 'Never attach or reference patient-identifiable data (PID): remove it and try again.';

/** "ending 5919": enough for the practice to find it, without repeating the number. */
function ending(numbers: string[]): string {
  return numbers.map((n) => `ending ${n.slice(-4)}`).join(', ');
}

async function answerProblems(db: SupabaseClient, claimId: string): Promise<Problem[]> {
  const { data, error } = await db
    .from('claim_answers')
    .select('question_id, service_id, answer_text, question:service_questions!inner(question)')
    .eq('claim_id', claimId)
    .not('answer_text', 'is', null);
  if (error) throw new Error(`could not read the answers: ${error.message}`);
  const problems: Problem[] = [];
  for (const row of (data ?? []) as unknown as { question_id: string; service_id: string; answer_text: string; question: { question: string } }[]) {
    const numbers = findNhsNumbers(row.answer_text);
    if (numbers.length === 0) continue;
    problems.push({
      rule: 'patient_identifiable_data',
      question_id: row.question_id,
      service_id: row.service_id,
      message: `The answer to "${row.question.question}" contains what looks like an NHS number (${ending(numbers)}). ${PID_ADVICE}`,
    });
  }
  return problems;
}

async function fileProblems(db: SupabaseClient, claimId: string): Promise<Problem[]> {
  const { data, error } = await db
    .from('claim_evidence')
    .select('id, line_id, object_path, original_name, declared_type, scan_status, line:claim_lines!inner(service_id)')
    .eq('claim_id', claimId)
    .neq('scan_status', 'quarantined');
  if (error) throw new Error(`could not read the attachments: ${error.message}`);
  const problems: Problem[] = [];
  for (const file of (data ?? []) as unknown as {
    id: string; line_id: string; object_path: string; original_name: string; declared_type: string | null; line: { service_id: string };
  }[]) {
    const where = { line_id: file.line_id, service_id: file.line.service_id, evidence_id: file.id };
    const inName = findNhsNumbers(file.original_name);
    if (inName.length > 0) {
      problems.push({ rule: 'patient_identifiable_data', ...where,
        message: `The file name ${file.original_name} contains what looks like an NHS number (${ending(inName)}). ${PID_ADVICE}` });
      continue;
    }
    const { data: blob, error: downloadError } = await db.storage.from('evidence').download(file.object_path);
    if (downloadError) throw new Error(`could not read ${file.original_name}: ${downloadError.message}`);
    const text = await extractDocumentText({ name: file.original_name, declaredType: file.declared_type, bytes: new Uint8Array(await blob.arrayBuffer()) });
    const inText = text === null ? [] : findNhsNumbers(text);
    if (inText.length > 0) {
      problems.push({ rule: 'patient_identifiable_data', ...where,
        message: `${file.original_name} contains what looks like an NHS number (${ending(inText)}). ${PID_ADVICE}` });
    }
  }
  return problems;
}

Deno.serve(async (req) => {
  const answer = preflight(req);
  if (answer) return answer;
  if (req.method !== 'POST') return errorResponse(405, 'method_not_allowed', 'Use POST.', { Allow: 'POST, OPTIONS' });
  if (!bearerToken(req)) return errorResponse(401, 'unauthorized', 'Sign in to check a claim.');

  let claimId: unknown;
  try {
    claimId = (await readJsonObject(req)).claim_id;
  } catch (error) {
    if (error instanceof BadRequest) return errorResponse(400, 'invalid_request', error.message);
    throw error;
  }
  if (typeof claimId !== 'string' || !UUID_PATTERN.test(claimId)) {
    return errorResponse(400, 'invalid_request', 'claim_id must be the claim\'s id (a uuid).');
  }

  const db = callerClient(req);
  const { data, error } = await db.rpc('submit_claim', { p_claim_id: claimId, p_dry_run: true });
  if (error) {
    if (error.code === 'PT404') return errorResponse(404, 'not_found', error.message);
    if (error.code === '42501') return errorResponse(error.message.startsWith('Sign in') ? 401 : 403, 'forbidden', error.message);
    return errorResponse(502, 'lookup_failed', error.message);
  }
  const result = data as DryRun;
  try {
    const extra = [...(await answerProblems(db, claimId)), ...(await fileProblems(db, claimId))];
    const problems = [...result.problems, ...extra];
    return json({ ...result, ok: problems.length === 0, problems });
  } catch (lookupError) {
    return errorResponse(502, 'lookup_failed', (lookupError as Error).message);
  }
});
