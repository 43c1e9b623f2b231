// The claims' system review (scan-evidence) and the pre-submit check
// (validate-claim), the real functions through the test stack's gateway.
// Claims are written directly as the superuser (app.action set, like the seed)
// on closed periods, so these tests do not race other files for an open claim
// window; each run cleans up what it made. scan-evidence is called with
// claim_ids, so it reviews only this file's claims.
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { signJwt } from '../../../stack/jwt.ts';
import {
  cleanDocx,
  cleanOds,
  cleanPdf,
  cleanXlsx,
  docxWithNhsNumber,
  eicarFile,
  encryptedPdf,
  exeRenamedPdf,
  type EvidenceSample,
} from '../../shared/evidence-files.ts';
import { stack, supabaseClient } from './helpers.ts';

const sql = postgres(stack.dbUrl, { max: 2, onnotice: () => {} });
const id = (prefix: string, n: number) => `${prefix}000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const ORG = { ZN1: id('0a', 10), ZP1001: id('0a', 1001), ZP1003: id('0a', 1003) };
const PAT = id('0b', 9);
// The submitter of the system-review claims: notifications go to the submitter, and
// other files count Pat's; Morgan's are counted nowhere (written directly, so no role check).
const SUBMITTER = id('0b', 6);
const HARPER = id('0b', 11);
const SERVICE = { complexCare: id('1a', 1), depot: id('1a', 2) };
const EAR_IRRIGATION = id('1b', 3);
const DEPOT_INJECTION = id('1b', 4);
const SUPERVISING_CLINICIAN = id('1c', 2);
const created: string[] = [];
/** A valid NHS number (mod-11 check digit 9), as a practice might type it. */
const NHS_NUMBER = '943 476 5919';

// Tasks and notices about these claims (the submitter's, Tier 1's) go at once: other files count them.
afterEach(async () => {
  await sql`delete from public.notifications where link = any (${created.map((claimId) => `/claims/${claimId}`)}::text[])`;
});

afterAll(async () => {
  const paths = await sql<{ object_path: string }[]>`select object_path from public.claim_evidence where claim_id = any (${created}::uuid[])`;
  await sql.begin(async (tx) => {
    await tx`select set_config('app.action', 'test', true)`;
    await tx`delete from public.claims where id = any (${created}::uuid[])`;
  });
  const admin = supabaseClient(stack.apiUrl, stack.serviceRoleKey);
  if (paths.length > 0) await admin.storage.from('evidence').remove(paths.map((p) => p.object_path));
  await sql`delete from private.evidence_purge_queue where object_path = any (${paths.map((p) => p.object_path)})`;
  await sql.end({ timeout: 5 });
});

interface TestClaim {
  claimId: string;
  lineId: string;
  providerId: string;
}

/** A claim with an ear irrigation line (3 units), written as the seed writes: status, period and offer given. */
async function claimWithEarIrrigation(providerId: string, offerId: string, windowId: string, status: string, submitter = SUBMITTER): Promise<TestClaim> {
  const claimId = randomUUID();
  const lineId = randomUUID();
  created.push(claimId);
  await sql.begin(async (tx) => {
    await tx`select set_config('app.action', 'test', true)`;
    await tx`insert into public.claims (id, provider_id, commissioner_id, submission_mode, status, created_by, submitted_by, submitted_at)
             values (${claimId}, ${providerId}, ${ORG.ZN1}, 'multi_service', ${status}, ${submitter},
                     ${status === 'draft' ? null : submitter}, ${status === 'draft' ? null : new Date()})`;
    await tx`insert into public.claim_services (claim_id, service_id, offer_id, window_id, period_label)
             values (${claimId}, ${SERVICE.complexCare}, ${offerId}, ${windowId}, 'Q2 2025/26')`;
    await tx`insert into public.claim_lines (id, claim_id, service_id, component_id, kind, units, unit_price)
             values (${lineId}, ${claimId}, ${SERVICE.complexCare}, ${EAR_IRRIGATION}, 'unit', 3, 28.50)`;
  });
  return { claimId, lineId, providerId };
}

/** Stores the file under the claim line (service role, as the portal's upload would) and records it, pending review. */
async function attach(claim: TestClaim, file: EvidenceSample): Promise<string> {
  const path = `${claim.providerId}/${claim.claimId}/${claim.lineId}/${randomUUID().slice(0, 8)}-${file.name}`;
  const admin = supabaseClient(stack.apiUrl, stack.serviceRoleKey);
  const { error } = await admin.storage.from('evidence').upload(path, file.bytes, { contentType: file.type });
  expect(error).toBeNull();
  const [row] = await sql.begin(async (tx) => {
    await tx`select set_config('app.action', 'test', true)`;
    return tx<{ id: string }[]>`
      insert into public.claim_evidence (claim_id, line_id, object_path, original_name, size_bytes, declared_type, uploaded_by)
      values (${claim.claimId}, ${claim.lineId}, ${path}, ${file.name}, ${file.bytes.byteLength}, ${file.type}, ${SUBMITTER})
      returning id::text`;
  });
  return row!.id;
}

async function objectPathOf(evidenceId: string): Promise<string> {
  const [row] = await sql<{ object_path: string }[]>`select object_path from public.claim_evidence where id = ${evidenceId}`;
  return row!.object_path;
}

async function queueScan(claimId: string): Promise<void> {
  await sql`insert into private.evidence_scan_jobs (claim_id) values (${claimId}) on conflict do nothing`;
}

async function runScan(claimIds: string[], key = stack.serviceRoleKey): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${stack.apiUrl}/functions/v1/scan-evidence`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, apikey: stack.anonKey, 'Content-Type': 'application/json' },
    body: JSON.stringify({ claim_ids: claimIds }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function evidence(claimId: string) {
  return sql<{ original_name: string; scan_status: string; scan_reason: string | null; sniffed_type: string | null; sha256: string | null }[]>`
    select original_name, scan_status::text, scan_reason, sniffed_type, sha256 from public.claim_evidence
    where claim_id = ${claimId} order by original_name`;
}

async function claimRow(claimId: string) {
  const [row] = await sql<{ status: string; returned_reason: string | null }[]>`
    select status::text, returned_reason from public.claims where id = ${claimId}`;
  return row!;
}

async function tokenFor(sub: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return signJwt({ sub, role: 'authenticated', aud: 'authenticated', exp: now + 600 }, stack.jwtSecret);
}

describe('scan-evidence (the system review)', () => {
  it('refuses anyone but the service role', async () => {
    const anon = await runScan([randomUUID()], stack.anonKey);
    expect(anon.status).toBe(403);
    const pat = await runScan([randomUUID()], await tokenFor(PAT));
    expect(pat.status).toBe(403);
  });

  it('quarantines a renamed program, the EICAR test file, a document with an NHS number and an encrypted PDF, each with its reason; the claim returns to draft and the submitter is told', async () => {
    const claim = await claimWithEarIrrigation(ORG.ZP1003, id('2b', 3), id('1d', 12), 'pending_system_review');
    const clean = cleanPdf('Ear irrigation log, Q2 2025/26: 3 procedures.', 'ear-irrigation-log.pdf');
    for (const file of [exeRenamedPdf(), eicarFile('eicar-test.pdf'), docxWithNhsNumber(), encryptedPdf(), clean]) await attach(claim, file);
    await queueScan(claim.claimId);

    const run = await runScan([claim.claimId]);
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ claims: 1, clean: 1, quarantined: 4, failed: 0 });

    const files = await evidence(claim.claimId);
    const byName = new Map(files.map((f) => [f.original_name, f]));
    expect(byName.get(clean.name)).toMatchObject({ scan_status: 'clean', scan_reason: null });
    expect(byName.get(clean.name)!.sha256).toMatch(/^[0-9a-f]{64}$/);
    for (const file of [exeRenamedPdf(), eicarFile('eicar-test.pdf'), docxWithNhsNumber(), encryptedPdf()]) {
      expect(byName.get(file.name)?.scan_status, file.name).toBe('quarantined');
    }
    expect(byName.get(exeRenamedPdf().name)!.scan_reason).toMatch(/program|executable/i);
    expect(byName.get('eicar-test.pdf')!.scan_reason).toMatch(/EICAR|test (file|signature)|malware/i);
    expect(byName.get(docxWithNhsNumber().name)!.scan_reason).toMatch(/NHS number/i);
    expect(byName.get(encryptedPdf().name)!.scan_reason).toMatch(/encrypt|password/i);

    const after = await claimRow(claim.claimId);
    expect(after.status).toBe('draft');
    expect(after.returned_reason).toContain(docxWithNhsNumber().name);
    const [task] = await sql<{ kind: string; done_at: Date | null }[]>`
      select kind::text, done_at from public.notifications where recipient_id = ${SUBMITTER} and subject_id = ${claim.claimId}`;
    expect(task).toMatchObject({ kind: 'claim_quarantined', done_at: null });
    const jobs = await sql`select 1 from private.evidence_scan_jobs where claim_id = ${claim.claimId}`;
    expect(jobs).toHaveLength(0);
  });

  it('passes clean PDF, Word, Excel and OpenDocument files: the claim goes on to Tier 1 review and the submitter is told', async () => {
    const claim = await claimWithEarIrrigation(ORG.ZP1003, id('2b', 3), id('1d', 12), 'pending_system_review');
    for (const file of [cleanPdf(), cleanDocx(), cleanXlsx(), cleanOds()]) await attach(claim, file);
    await queueScan(claim.claimId);

    const run = await runScan([claim.claimId]);
    expect(run.body).toMatchObject({ claims: 1, clean: 4, quarantined: 0, failed: 0 });
    const files = await evidence(claim.claimId);
    expect(files.map((f) => f.scan_status)).toEqual(['clean', 'clean', 'clean', 'clean']);
    expect(files.every((f) => f.sniffed_type !== null)).toBe(true);
    expect((await claimRow(claim.claimId)).status).toBe('pending_tier1_review');
    const kinds = await sql<{ kind: string }[]>`select kind::text from public.notifications where subject_id = ${claim.claimId} or link = ${`/claims/${claim.claimId}`}`;
    expect(kinds.map((k) => k.kind)).toContain('claim_system_reviewed');
  });

  it('quarantines a recorded file whose bytes are missing, and never reviews a claim twice', async () => {
    const claim = await claimWithEarIrrigation(ORG.ZP1003, id('2b', 3), id('1d', 12), 'pending_system_review');
    const evidenceId = await attach(claim, cleanPdf());
    const path = await objectPathOf(evidenceId);
    await supabaseClient(stack.apiUrl, stack.serviceRoleKey).storage.from('evidence').remove([path]);
    await queueScan(claim.claimId);

    const [first, second] = await Promise.all([runScan([claim.claimId]), runScan([claim.claimId])]);
    expect((first.body.claims as number) + (second.body.claims as number)).toBe(1);
    const [file] = await evidence(claim.claimId);
    expect(file).toMatchObject({ scan_status: 'quarantined' });
    expect(file!.scan_reason).toMatch(/missing/);
    expect((await claimRow(claim.claimId)).status).toBe('draft');
  });

  it('removes the bytes of deleted evidence from the bucket', async () => {
    const claim = await claimWithEarIrrigation(ORG.ZP1003, id('2b', 3), id('1d', 12), 'draft');
    const evidenceId = await attach(claim, cleanPdf());
    const path = await objectPathOf(evidenceId);
    await sql.begin(async (tx) => {
      await tx`select set_config('app.action', 'test', true)`;
      await tx`delete from public.claim_evidence where id = ${evidenceId}`;
    });
    expect(await sql`select 1 from private.evidence_purge_queue where object_path = ${path}`).toHaveLength(1);

    // Other files' purges may run in the same call; ours must be among them.
    const run = await runScan([claim.claimId]);
    expect(run.status).toBe(200);
    expect(await sql`select 1 from private.evidence_purge_queue where object_path = ${path}`).toHaveLength(0);
    expect(await sql`select 1 from storage.objects where bucket_id = 'evidence' and name = ${path}`).toHaveLength(0);
  });
});

describe('validate-claim', () => {
  async function validate(token: string | null, body: unknown) {
    const response = await fetch(`${stack.apiUrl}/functions/v1/validate-claim`, {
      method: 'POST',
      headers: { apikey: stack.anonKey, 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { ok?: boolean; problems?: { rule: string; message: string; evidence_id?: string; question_id?: string }[] } };
  }

  /** A draft of Pat's (ZP1001) for the closed Q2 period: ear irrigation with a file, and Depot with answers. */
  async function patsDraft(answer: string) {
    const claim = await claimWithEarIrrigation(ORG.ZP1001, id('2b', 1), id('1d', 12), 'draft', PAT);
    await sql.begin(async (tx) => {
      await tx`select set_config('app.action', 'test', true)`;
      await tx`insert into public.claim_services (claim_id, service_id, offer_id, window_id, period_label)
               values (${claim.claimId}, ${SERVICE.depot}, ${id('2b', 7)}, ${id('1d', 22)}, 'Q2 2025/26')`;
      await tx`insert into public.claim_lines (claim_id, service_id, component_id, kind, units, unit_price)
               values (${claim.claimId}, ${SERVICE.depot}, ${DEPOT_INJECTION}, 'unit', 2, 12.50)`;
      await tx`insert into public.claim_answers (claim_id, service_id, question_id, answer_yes, answer_text)
               values (${claim.claimId}, ${SERVICE.depot}, ${id('1c', 1)}, true, null),
                      (${claim.claimId}, ${SERVICE.depot}, ${SUPERVISING_CLINICIAN}, null, ${answer})`;
    });
    return claim;
  }

  it('adds NHS numbers in free text and in attached documents to the database\'s own problems', async () => {
    const claim = await patsDraft(`Dr Rivers, re patient ${NHS_NUMBER}`);
    const withNumber = await attach(claim, docxWithNhsNumber());
    const { status, body } = await validate(await tokenFor(PAT), { claim_id: claim.claimId });
    expect(status).toBe(200);
    expect(body.ok).toBe(false);
    const pid = body.problems!.filter((p) => p.rule === 'patient_identifiable_data');
    expect(pid).toEqual([
      expect.objectContaining({ question_id: SUPERVISING_CLINICIAN, message: expect.stringContaining('ending 5919') }),
      expect.objectContaining({ evidence_id: withNumber, message: expect.stringContaining(docxWithNhsNumber().name) }),
    ]);
    // The rules SQL checks are there too, from submit_claim's dry run (the Q2 window is closed).
    expect(body.problems!.map((p) => p.rule)).toContain('window_closed');
    // Nothing changed: still a draft.
    expect((await claimRow(claim.claimId)).status).toBe('draft');
  });

  it('finds nothing to add for clean text and documents; a 10-digit number that fails the check digit is not an NHS number', async () => {
    const claim = await patsDraft('Dr Rivers, clinic 1234567890');
    await attach(claim, cleanDocx('Ear irrigation log: 3 procedures, no patient details.', 'ear-log.docx'));
    const { status, body } = await validate(await tokenFor(PAT), { claim_id: claim.claimId });
    expect(status).toBe(200);
    expect(body.problems!.filter((p) => p.rule === 'patient_identifiable_data')).toEqual([]);
  });

  it('answers 401 signed out, 400 without a claim id, 404 for a claim the caller cannot read', async () => {
    const claim = await patsDraft('Dr Rivers');
    expect((await validate(null, { claim_id: claim.claimId })).status).toBe(401);
    expect((await validate(await tokenFor(PAT), { claim_id: 'claim 1' })).status).toBe(400);
    expect((await validate(await tokenFor(HARPER), { claim_id: claim.claimId })).status).toBe(404);
  });
});
