// The portal's `evidence` bucket (migration 20261207190200) through supabase-js
// as the demo personas: what an upload must be (size, type, a line of the
// caller's own editable claim that takes files of that extension, no
// traversal), who downloads a recorded file (the claim's readers: the
// practice; reviewers once it has left the practice), and that recorded
// files are not deleted through Storage. Every refused upload is checked to
// have stored neither a row nor a byte.
//
// The claim is committed (Pat's ZP1001 Complex Care claim for the open
// quarter) and removed in afterAll, with its files, tasks and purge entries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { ORG, PERSON } from '../../db/tenancy/fixtures.ts';
import { closeDb, client, db, filesOnDisk, objectNames, serviceClient, storageFetch, userJwt } from './helpers.ts';

const BUCKET = 'evidence';
const EAR_IRRIGATION = '1b000000-0000-4000-8000-000000000003';
const CARE_PLAN = '1b000000-0000-4000-8000-000000000001';

let pat: SupabaseClient;
let ash: SupabaseClient;
let taylor: SupabaseClient;
let harper: SupabaseClient;
let claimId: string;
let earLine: string;
let carePlanLine: string;
let prefix: string;

const pdf = (text: string) => new Blob([`%PDF-1.7\n${text}`], { type: 'application/pdf' });

/** Objects and bytes stored under this claim (superuser and data directory). */
async function storedUnderClaim(): Promise<{ rows: string[]; files: string[] }> {
  const rows = (await objectNames(BUCKET)).filter((name) => name.startsWith(prefix));
  const files = (await filesOnDisk(BUCKET)).filter((name) => name.startsWith(prefix));
  return { rows, files };
}

async function rpc<T>(who: SupabaseClient, fn: string, args: Record<string, unknown>): Promise<T> {
  const { data, error } = await who.rpc(fn, args);
  if (error) throw new Error(`${fn}: ${error.code} ${error.message}`);
  return data as T;
}

beforeAll(async () => {
  pat = client(await userJwt(PERSON.pat));
  ash = client(await userJwt(PERSON.ash));
  taylor = client(await userJwt(PERSON.taylor));
  harper = client(await userJwt(PERSON.harper));
  const claim = await rpc<{ id: string }>(pat, 'start_claim', { p_provider_id: ORG.ZP1001 });
  claimId = claim.id;
  await rpc(pat, 'add_claim_lines', { p_claim_id: claimId, p_component_ids: [CARE_PLAN, EAR_IRRIGATION] });
  const { data: lines } = await pat.from('claim_lines').select('id, component_id').eq('claim_id', claimId);
  earLine = lines!.find((l) => l.component_id === EAR_IRRIGATION)!.id as string;
  carePlanLine = lines!.find((l) => l.component_id === CARE_PLAN)!.id as string;
  prefix = `${ORG.ZP1001}/${claimId}/`;
});

afterAll(async () => {
  if (claimId) {
    // The bytes first (the service role passes the bucket's policies), then the rows.
    const names = (await objectNames(BUCKET)).filter((name) => name.startsWith(`${ORG.ZP1001}/${claimId}/`) || name.includes(claimId));
    if (names.length > 0) await serviceClient().storage.from(BUCKET).remove(names);
    await db().begin(async (tx) => {
      await tx`delete from public.notifications where link = ${`/claims/${claimId}`}`;
      await tx`select set_config('app.action', 'test.cleanup', true)`;
      await tx`delete from public.claims where id = ${claimId}`;
      await tx`delete from private.evidence_purge_queue where object_path like ${`%${claimId}%`}`;
    });
    // Left as found: no claim, no object row, no bytes.
    expect(await db()`select 1 from public.claims where id = ${claimId}`).toHaveLength(0);
    expect((await objectNames(BUCKET)).filter((name) => name.includes(claimId))).toEqual([]);
    expect((await filesOnDisk(BUCKET)).filter((name) => name.includes(claimId))).toEqual([]);
  }
  await closeDb();
});

describe('the evidence bucket', () => {
  it('refuses a file over 5 MB', async () => {
    const { error } = await pat.storage.from(BUCKET).upload(`${prefix}${earLine}/big.pdf`, new Blob([new Uint8Array(6 * 1024 * 1024)], { type: 'application/pdf' }));
    expect(error).toMatchObject({ statusCode: '413' });
  });

  it('refuses a type that is not a document (image/png)', async () => {
    const { error } = await pat.storage.from(BUCKET).upload(`${prefix}${earLine}/photo.pdf`, new Blob(['png'], { type: 'image/png' }));
    expect(error).toMatchObject({ statusCode: '415', message: 'mime type image/png is not supported' });
  });

  it('refuses another provider’s path, and another practice’s user on Pat’s path', async () => {
    const foreign = await pat.storage.from(BUCKET).upload(`${ORG.ZP2001}/${claimId}/${earLine}/log.pdf`, pdf('foreign'));
    expect(foreign.error).toMatchObject({ statusCode: '403', message: 'new row violates row-level security policy' });
    const intruder = await harper.storage.from(BUCKET).upload(`${prefix}${earLine}/log.pdf`, pdf('intruder'));
    expect(intruder.error).toMatchObject({ statusCode: '403' });
    // Ash reads the claim but is not a Claim Submitter.
    const approver = await ash.storage.from(BUCKET).upload(`${prefix}${earLine}/log.pdf`, pdf('approver'));
    expect(approver.error).toMatchObject({ statusCode: '403' });
  });

  it('refuses a line that does not take files, and an extension the component does not accept', async () => {
    const noFiles = await pat.storage.from(BUCKET).upload(`${prefix}${carePlanLine}/plan.pdf`, pdf('plan'));
    expect(noFiles.error).toMatchObject({ statusCode: '403' });
    // A .rtf declared as a PDF: the bucket accepts the type, the component not the extension.
    const extension = await pat.storage.from(BUCKET).upload(`${prefix}${earLine}/log.rtf`, pdf('rtf'));
    expect(extension.error).toMatchObject({ statusCode: '403' });
    const flat = await pat.storage.from(BUCKET).upload(`${prefix}log.pdf`, pdf('not under a line'));
    expect(flat.error).toMatchObject({ statusCode: '403' });
  });

  it('refuses traversal out of the line’s folder', async () => {
    const response = await storageFetch(`/object/${BUCKET}/${prefix}${earLine}/..%2F..%2Fescape.pdf`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${await userJwt(PERSON.pat)}`, 'Content-Type': 'application/pdf' },
      body: '%PDF-1.7 escape',
    });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ statusCode: '400', code: 'InvalidKey' });
  });

  it('stored nothing for any of the refused uploads', async () => {
    expect(await storedUnderClaim()).toEqual({ rows: [], files: [] });
    expect((await objectNames(BUCKET)).filter((name) => name.startsWith(`${ORG.ZP2001}/${claimId}`))).toEqual([]);
  });

  it('a fresh upload not yet recorded can be removed by its uploader', async () => {
    const from = pat.storage.from(BUCKET);
    expect((await from.upload(`${prefix}${earLine}/draft.pdf`, pdf('draft'))).error).toBeNull();
    const { data, error } = await from.remove([`${prefix}${earLine}/draft.pdf`]);
    expect(error).toBeNull();
    expect(data!.map((o) => o.name)).toEqual([`${prefix}${earLine}/draft.pdf`]);
    expect(await storedUnderClaim()).toEqual({ rows: [], files: [] });
  });

  it('Pat uploads the ear irrigation log to her draft claim and records it', async () => {
    const path = `${prefix}${earLine}/procedure-log.pdf`;
    expect((await pat.storage.from(BUCKET).upload(path, pdf('procedure log'))).error).toBeNull();
    const evidence = await rpc<{ object_path: string; declared_type: string; size_bytes: number; scan_status: string }>(
      pat,
      'record_claim_evidence',
      { p_line_id: earLine, p_object_path: path, p_original_name: 'procedure-log.pdf' },
    );
    expect(evidence).toMatchObject({ object_path: path, declared_type: 'application/pdf', size_bytes: 22, scan_status: 'pending' });
    expect(await storedUnderClaim()).toEqual({ rows: [path], files: [path] });
  });

  it('while draft: the practice downloads it (Pat, Ash); Taylor and Harper cannot', async () => {
    const path = `${prefix}${earLine}/procedure-log.pdf`;
    for (const [who, reader] of [['pat', pat], ['ash', ash]] as const) {
      const { data, error } = await reader.storage.from(BUCKET).download(path);
      expect(error, who).toBeNull();
      expect(await data!.text(), who).toBe('%PDF-1.7\nprocedure log');
    }
    for (const [who, reader] of [['taylor', taylor], ['harper', harper]] as const) {
      const { data, error } = await reader.storage.from(BUCKET).download(path);
      expect(data, who).toBeNull();
      expect(error, who).toMatchObject({ statusCode: '404' });
    }
  });

  it('a recorded file is not deleted through Storage (delete_claim_evidence does that)', async () => {
    const path = `${prefix}${earLine}/procedure-log.pdf`;
    const { data, error } = await pat.storage.from(BUCKET).remove([path]);
    expect({ data, error }).toEqual({ data: [], error: null });
    expect(await storedUnderClaim()).toEqual({ rows: [path], files: [path] });
  });

  it('once submitted and approved by Ash, Taylor downloads it; uploads are refused from submit on', async () => {
    const path = `${prefix}${earLine}/procedure-log.pdf`;
    await rpc(pat, 'set_claim_line_units', { p_line_id: earLine, p_units: 3 });
    await rpc(pat, 'set_claim_line_units', { p_line_id: carePlanLine, p_units: 0 });
    const submitted = await rpc<{ ok: boolean; status: string }>(pat, 'submit_claim', { p_claim_id: claimId });
    expect(submitted).toMatchObject({ ok: true, status: 'pending_provider_approval' });
    // Still with the practice: not for the reviewers yet.
    expect((await taylor.storage.from(BUCKET).download(path)).error).toMatchObject({ statusCode: '404' });
    const late = await pat.storage.from(BUCKET).upload(`${prefix}${earLine}/late.pdf`, pdf('late'));
    expect(late.error).toMatchObject({ statusCode: '403' });

    const approved = await rpc<{ status: string }>(ash, 'approve_claim_as_provider', { p_claim_id: claimId });
    expect(approved.status).toBe('pending_system_review');
    const { data, error } = await taylor.storage.from(BUCKET).download(path);
    expect(error).toBeNull();
    expect(await data!.text()).toBe('%PDF-1.7\nprocedure log');
    expect((await harper.storage.from(BUCKET).download(path)).error).toMatchObject({ statusCode: '404' });
    expect(await storedUnderClaim()).toEqual({ rows: [path], files: [path] });
  });
});
