// scan-evidence: the claims' system review (domain.md "Claims":
// pending_system_review → pending_tier1_review, or back to draft with the
// quarantined file and its reason). Called on a timer with the service-role
// key: every 3 s by the local stack (`startStack({ evidenceScans: true })`),
// by a Supabase Cron job on hosted (docs/deploy.md).
//
//   POST /functions/v1/scan-evidence      (service-role key only)
//   optional body {"claim_ids": ["<uuid>", …]}: review only these claims now
//   (an operator re-running one claim; tests that must not touch others)
//
// 200 {"claims": n, "clean": c, "quarantined": q, "failed": f, "purged": p}
// 400 invalid_request                   claim_ids is not a list of uuids
// 403 forbidden                         not called with the service-role key
// 502 lookup_failed                     the queue could not be read
//
// Each run:
// 1. takes up to 5 claims from public.evidence_scan_due (leased for two
//    minutes, so overlapping runs never review one claim twice), downloads
//    each unreviewed file with the service role, asks the scanner
//    (_shared/evidence-scan.ts, one module behind the EvidenceScanner
//    interface) for a verdict and records all verdicts of the claim at once
//    with public.record_evidence_scan, which moves the claim on. A claim whose
//    review fails part-way (Storage or the database unreachable) records
//    nothing: public.evidence_scan_failed schedules a retry, so no file and no
//    claim is lost;
// 2. removes from the bucket the files whose rows were deleted (a file
//    deleted on the claim page, lines removed, a draft deleted), from
//    public.evidence_purge_due, and confirms them with evidence_purge_done.
import type { SupabaseClient } from '@supabase/supabase-js';
import { json, preflight } from '../_shared/cors.ts';
import { BadRequest, errorResponse, readJsonObject, refuseUnlessScheduler, UUID_PATTERN } from '../_shared/http.ts';
import { createBuiltInScanner, type EvidenceScanner, type EvidenceVerdict } from '../_shared/evidence-scan.ts';
import { serviceRoleClient } from '../_shared/supabase-clients.ts';

const CLAIMS_PER_RUN = 5;
const PURGES_PER_RUN = 50;
const BUCKET = 'evidence';

interface DueFile {
  evidence_id: string;
  object_path: string;
  original_name: string;
  declared_type: string | null;
}

interface DueClaim {
  claim_id: string;
  claim_number: number;
  files: DueFile[];
}

interface Tally {
  claims: number;
  clean: number;
  quarantined: number;
  failed: number;
  purged: number;
}

/** A file the bucket no longer holds cannot be reviewed: quarantined, so the submitter attaches it again. */
class MissingFile extends Error {}

async function download(admin: SupabaseClient, path: string): Promise<Uint8Array> {
  const { data, error } = await admin.storage.from(BUCKET).download(path);
  if (error) {
    const status = (error as { status?: number; statusCode?: string }).status ?? Number((error as { statusCode?: string }).statusCode);
    if (status === 404 || /not.?found/i.test(error.message)) throw new MissingFile(path);
    throw new Error(`could not download ${path}: ${error.message}`);
  }
  return new Uint8Array(await data.arrayBuffer());
}

async function verdictFor(admin: SupabaseClient, scanner: EvidenceScanner, file: DueFile): Promise<EvidenceVerdict> {
  let bytes: Uint8Array;
  try {
    bytes = await download(admin, file.object_path);
  } catch (error) {
    if (!(error instanceof MissingFile)) throw error;
    return {
      status: 'quarantined',
      reason: `${file.original_name} is missing from storage; attach it again.`,
      sniffedType: null,
      sha256: '',
    };
  }
  return scanner.scan({ name: file.original_name, declaredType: file.declared_type, bytes });
}

async function reviewClaim(admin: SupabaseClient, scanner: EvidenceScanner, claim: DueClaim, tally: Tally): Promise<void> {
  try {
    const verdicts = [];
    for (const file of claim.files) {
      const verdict = await verdictFor(admin, scanner, file);
      verdicts.push({
        evidence_id: file.evidence_id,
        status: verdict.status,
        reason: verdict.reason,
        sniffed_type: verdict.sniffedType,
        sha256: verdict.sha256,
      });
    }
    const { error } = await admin.rpc('record_evidence_scan', { p_claim_id: claim.claim_id, p_verdicts: verdicts });
    if (error) throw new Error(`could not record the verdicts: ${error.message}`);
    tally.claims += 1;
    for (const v of verdicts) tally[v.status === 'clean' ? 'clean' : 'quarantined'] += 1;
  } catch (error) {
    tally.failed += 1;
    const message = error instanceof Error ? error.message : String(error);
    console.error(`[scan-evidence] claim ${claim.claim_number}: ${message}`);
    const { error: retryError } = await admin.rpc('evidence_scan_failed', { p_claim_id: claim.claim_id, p_error: message });
    // Not recorded either: the lease runs out and the claim is handed out again.
    if (retryError) console.error(`[scan-evidence] claim ${claim.claim_number}: could not schedule a retry: ${retryError.message}`);
  }
}

async function purgeDeletedFiles(admin: SupabaseClient, tally: Tally): Promise<void> {
  const { data, error } = await admin.rpc('evidence_purge_due', { p_limit: PURGES_PER_RUN });
  if (error) throw new Error(`could not read the files to remove: ${error.message}`);
  const paths = (data ?? []) as string[];
  if (paths.length === 0) return;
  // Removing a path that is already gone is not an error for Storage.
  const { error: removeError } = await admin.storage.from(BUCKET).remove(paths);
  if (removeError) {
    tally.failed += 1;
    console.error(`[scan-evidence] could not remove ${paths.length} deleted file(s): ${removeError.message}`);
    return;
  }
  const { data: done, error: doneError } = await admin.rpc('evidence_purge_done', { p_object_paths: paths });
  if (doneError) throw new Error(`could not confirm removed files: ${doneError.message}`);
  tally.purged += typeof done === 'number' ? done : 0;
}

Deno.serve(async (req) => {
  const answer = preflight(req);
  if (answer) return answer;
  const refused = refuseUnlessScheduler(req, 'run the system review');
  if (refused) return refused;

  let claimIds: string[] | null = null;
  try {
    const body = await readJsonObject(req);
    if (body.claim_ids !== undefined) {
      const ids = body.claim_ids;
      if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string' && UUID_PATTERN.test(id))) {
        return errorResponse(400, 'invalid_request', 'claim_ids must be a non-empty list of claim ids (uuids).');
      }
      claimIds = ids as string[];
    }
  } catch (error) {
    if (error instanceof BadRequest) return errorResponse(400, 'invalid_request', error.message);
    throw error;
  }

  const admin = serviceRoleClient();
  const scanner = createBuiltInScanner();
  const tally: Tally = { claims: 0, clean: 0, quarantined: 0, failed: 0, purged: 0 };

  const { data, error } = await admin.rpc('evidence_scan_due', { p_limit: CLAIMS_PER_RUN, p_claim_ids: claimIds });
  if (error) return errorResponse(502, 'lookup_failed', `Could not read the claims waiting for the system review: ${error.message}`);
  for (const claim of (data ?? []) as DueClaim[]) await reviewClaim(admin, scanner, claim, tally);

  try {
    await purgeDeletedFiles(admin, tally);
  } catch (purgeError) {
    tally.failed += 1;
    console.error(`[scan-evidence] ${(purgeError as Error).message}`);
  }
  return json(tally);
});
