// Storage objects through supabase-js with two signed-in users against a private
// bucket shaped like the portal's `evidence` bucket (5 MiB, document types only),
// whose storage.objects policies let a user read and write only under a folder
// named by their own uid. Every refusal is checked twice: the error storage-js
// reports, and — through the superuser connection and the data directory — that
// neither a row nor a byte was stored.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeDb,
  client,
  dataDir,
  db,
  filesOnDisk,
  objectNames,
  objectRows,
  readOnDisk,
  recreateBucket,
  sleep,
  stack,
  storageFetch,
  tempFileSizes,
  userJwt,
} from './helpers.ts';

const BUCKET = 'evidence-test';
const LIMIT = 5 * 1024 * 1024;
const DOCUMENT_TYPES = [
  'application/pdf',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
];

const ALICE = randomUUID();
const BOB = randomUUID();
let alice: ReturnType<typeof client>;
let bob: ReturnType<typeof client>;

const pdf = (text: string) => new Blob([`%PDF-1.7\n${text}`], { type: 'application/pdf' });
const md5 = (bytes: Buffer | string) => `"${createHash('md5').update(bytes).digest('hex')}"`;

beforeAll(async () => {
  await recreateBucket(BUCKET, { fileSizeLimit: LIMIT, allowedMimeTypes: DOCUMENT_TYPES });
  const own = `bucket_id = '${BUCKET}' and (storage.foldername(name))[1] = (select auth.uid())::text`;
  await db().unsafe(`
    drop policy if exists "evidence-test: read own folder" on storage.objects;
    drop policy if exists "evidence-test: add to own folder" on storage.objects;
    drop policy if exists "evidence-test: change own folder" on storage.objects;
    drop policy if exists "evidence-test: remove from own folder" on storage.objects;
    create policy "evidence-test: read own folder" on storage.objects for select to authenticated using (${own});
    create policy "evidence-test: add to own folder" on storage.objects for insert to authenticated with check (${own});
    create policy "evidence-test: change own folder" on storage.objects for update to authenticated using (${own}) with check (${own});
    create policy "evidence-test: remove from own folder" on storage.objects for delete to authenticated using (${own});

    -- Fails a transaction at COMMIT (after the service has moved the bytes into place)
    -- when the object's user metadata asks for it: proves the file move is undone.
    create or replace function public.evidence_test_fail_at_commit() returns trigger
    language plpgsql as $fn$
    begin
      if new.user_metadata->>'failAtCommit' = 'yes' then
        raise exception 'evidence-test: refused at commit';
      end if;
      return null;
    end
    $fn$;
    drop trigger if exists evidence_test_fail_at_commit on storage.objects;
    create constraint trigger evidence_test_fail_at_commit
      after insert or update on storage.objects
      deferrable initially deferred
      for each row when (new.bucket_id = '${BUCKET}')
      execute function public.evidence_test_fail_at_commit();
  `);
  alice = client(await userJwt(ALICE));
  bob = client(await userJwt(BOB));
});

afterAll(async () => {
  await db().unsafe(`
    drop trigger if exists evidence_test_fail_at_commit on storage.objects;
    drop function if exists public.evidence_test_fail_at_commit();
  `);
  await closeDb();
});

describe('upload', () => {
  it('stores the bytes under <dataDir>/storage/<bucket>/<key> and the row as the caller, with storage-api metadata', async () => {
    const body = '%PDF-1.7\nclaim evidence';
    const { data, error } = await alice.storage.from(BUCKET).upload(`${ALICE}/claims/c1/scan.pdf`, new Blob([body], { type: 'application/pdf' }));
    expect(error).toBeNull();
    expect(data).toEqual({ id: expect.any(String), path: `${ALICE}/claims/c1/scan.pdf`, fullPath: `${BUCKET}/${ALICE}/claims/c1/scan.pdf` });

    expect((await readOnDisk(BUCKET, `${ALICE}/claims/c1/scan.pdf`))?.toString()).toBe(body);
    const [row] = (await objectRows(BUCKET)).filter((r) => r.name === `${ALICE}/claims/c1/scan.pdf`);
    expect(row).toEqual({
      name: `${ALICE}/claims/c1/scan.pdf`,
      owner: ALICE,
      owner_id: ALICE,
      metadata: {
        eTag: md5(body),
        size: body.length,
        mimetype: 'application/pdf',
        cacheControl: 'max-age=3600',
        lastModified: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        contentLength: body.length,
        httpStatusCode: 200,
      },
      user_metadata: null,
    });
    const [id] = await db()<{ id: string }[]>`select id::text from storage.objects where bucket_id = ${BUCKET} and name = ${`${ALICE}/claims/c1/scan.pdf`}`;
    expect(data!.id).toBe(id!.id);
  });

  it('accepts raw bodies (Buffer) with a content type, cache control and user metadata', async () => {
    const { error } = await alice.storage
      .from(BUCKET)
      .upload(`${ALICE}/sheet.xlsx`, Buffer.from('PK fake xlsx'), {
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        cacheControl: '60',
        metadata: { claim: 'c2' },
      });
    expect(error).toBeNull();
    const [row] = (await objectRows(BUCKET)).filter((r) => r.name === `${ALICE}/sheet.xlsx`);
    expect(row!.metadata).toMatchObject({ mimetype: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', cacheControl: 'max-age=60', size: 12 });
    expect(row!.user_metadata).toEqual({ claim: 'c2' });
  });

  it('refuses a second upload to the same key unless upsert is asked for', async () => {
    const key = `${ALICE}/twice.pdf`;
    expect((await alice.storage.from(BUCKET).upload(key, pdf('one'))).error).toBeNull();
    const again = await alice.storage.from(BUCKET).upload(key, pdf('two'));
    expect(again.error).toMatchObject({ name: 'StorageApiError', status: 400, statusCode: '409', message: 'The resource already exists' });
    expect((await readOnDisk(BUCKET, key))?.toString()).toBe('%PDF-1.7\none');

    expect((await alice.storage.from(BUCKET).upload(key, pdf('three'), { upsert: true })).error).toBeNull();
    expect((await readOnDisk(BUCKET, key))?.toString()).toBe('%PDF-1.7\nthree');
    expect((await alice.storage.from(BUCKET).update(key, pdf('four'))).error).toBeNull();
    expect((await readOnDisk(BUCKET, key))?.toString()).toBe('%PDF-1.7\nfour');
    expect((await objectNames(BUCKET)).filter((name) => name === key)).toHaveLength(1);
  });

  it('refuses to write into another user’s folder (RLS) and stores nothing', async () => {
    const key = `${ALICE}/from-bob.pdf`;
    const { data, error } = await bob.storage.from(BUCKET).upload(key, pdf('intruder'));
    expect(data).toBeNull();
    expect(error).toMatchObject({ status: 400, statusCode: '403', message: 'new row violates row-level security policy' });
    expect(await objectNames(BUCKET)).not.toContain(key);
    expect(await filesOnDisk(BUCKET)).not.toContain(key);
  });

  it('refuses to overwrite another user’s object even with upsert', async () => {
    const key = `${ALICE}/guarded.pdf`;
    expect((await alice.storage.from(BUCKET).upload(key, pdf('original'))).error).toBeNull();
    const { error } = await bob.storage.from(BUCKET).upload(key, pdf('overwrite'), { upsert: true });
    expect(error).toMatchObject({ status: 400, statusCode: '403' });
    expect((await readOnDisk(BUCKET, key))?.toString()).toBe('%PDF-1.7\noriginal');
  });

  it('anon (the anon key alone) may not upload', async () => {
    const { error } = await client().storage.from(BUCKET).upload('anon/file.pdf', pdf('anon'));
    expect(error).toMatchObject({ status: 400, statusCode: '403', message: 'new row violates row-level security policy' });
    expect(await filesOnDisk(BUCKET)).not.toContain('anon/file.pdf');
  });
});

describe('limits', () => {
  it('accepts a file of exactly the bucket limit', async () => {
    const key = `${ALICE}/exactly-5mib.pdf`;
    const { error } = await alice.storage.from(BUCKET).upload(key, new Blob([new Uint8Array(LIMIT)], { type: 'application/pdf' }));
    expect(error).toBeNull();
    expect((await readOnDisk(BUCKET, key))?.length).toBe(LIMIT);
  });

  it('refuses 5 MiB + 1 byte (multipart, size known only while streaming): no row, no bytes, no temp file', async () => {
    const key = `${ALICE}/too-big.pdf`;
    const { data, error } = await alice.storage.from(BUCKET).upload(key, new Blob([new Uint8Array(LIMIT + 1)], { type: 'application/pdf' }));
    expect(data).toBeNull();
    expect(error).toMatchObject({ name: 'StorageApiError', status: 400, statusCode: '413', message: 'The object exceeded the maximum allowed size' });
    expect(await objectNames(BUCKET)).not.toContain(key);
    expect(await filesOnDisk(BUCKET)).not.toContain(key);
    expect((await tempFileSizes()).filter((size) => size >= LIMIT)).toEqual([]);
  });

  it('refuses 5 MiB + 1 byte sent raw (Content-Length known) before reading it', async () => {
    const key = `${ALICE}/too-big-raw.pdf`;
    const { error } = await alice.storage.from(BUCKET).upload(key, Buffer.alloc(LIMIT + 1), { contentType: 'application/pdf' });
    expect(error).toMatchObject({ status: 400, statusCode: '413' });
    expect(await objectNames(BUCKET)).not.toContain(key);
    expect(await filesOnDisk(BUCKET)).not.toContain(key);
  });

  it('refuses a much larger upload and the client connection stays usable', async () => {
    const key = `${ALICE}/way-too-big.pdf`;
    const { error } = await alice.storage.from(BUCKET).upload(key, new Blob([new Uint8Array(30 * 1024 * 1024)], { type: 'application/pdf' }));
    expect(error).toMatchObject({ status: 400, statusCode: '413' });
    expect(await filesOnDisk(BUCKET)).not.toContain(key);
    // Several follow-up requests (they reuse pooled keep-alive connections).
    for (let i = 0; i < 5; i++) {
      expect((await alice.storage.from(BUCKET).list(ALICE)).error).toBeNull();
    }
  });

  it('refuses a type outside allowed_mime_types with storage-api’s 415 error, storing nothing', async () => {
    const key = `${ALICE}/photo.png`;
    const { error } = await alice.storage.from(BUCKET).upload(key, new Blob(['png'], { type: 'image/png' }));
    expect(error).toMatchObject({ status: 400, statusCode: '415', message: 'mime type image/png is not supported' });
    const raw = await alice.storage.from(BUCKET).upload(`${ALICE}/script.html`, 'hello', { contentType: 'text/html' });
    expect(raw.error).toMatchObject({ statusCode: '415', message: 'mime type text/html is not supported' });
    expect(await objectNames(BUCKET)).not.toContain(key);
    expect(await filesOnDisk(BUCKET)).not.toContain(key);
    expect(await filesOnDisk(BUCKET)).not.toContain(`${ALICE}/script.html`);
  });

  it('every document type of the bucket is accepted', async () => {
    for (const [i, type] of DOCUMENT_TYPES.entries()) {
      const { error } = await alice.storage.from(BUCKET).upload(`${ALICE}/types/file-${i}`, new Blob(['doc'], { type }));
      expect(error, type).toBeNull();
    }
  });
});

describe('atomicity', () => {
  it('a transaction that fails at commit leaves no row and no bytes', async () => {
    const key = `${ALICE}/fails-at-commit.pdf`;
    const { error } = await alice.storage.from(BUCKET).upload(key, pdf('x'), { metadata: { failAtCommit: 'yes' } });
    expect(error).toMatchObject({ status: 500, statusCode: '500', message: 'database error, code: P0001' });
    expect(await objectNames(BUCKET)).not.toContain(key);
    expect(await filesOnDisk(BUCKET)).not.toContain(key);
  });

  it('a failed overwrite puts the previous bytes back and keeps the previous row', async () => {
    const key = `${ALICE}/kept.pdf`;
    expect((await alice.storage.from(BUCKET).upload(key, pdf('version one'))).error).toBeNull();
    const before = (await objectRows(BUCKET)).find((row) => row.name === key);
    const { error } = await alice.storage.from(BUCKET).upload(key, pdf('version two'), { upsert: true, metadata: { failAtCommit: 'yes' } });
    expect(error).toMatchObject({ statusCode: '500' });
    expect((await readOnDisk(BUCKET, key))?.toString()).toBe('%PDF-1.7\nversion one');
    expect((await objectRows(BUCKET)).find((row) => row.name === key)).toEqual(before);
  });

  it('concurrent uploads by two users all land, each in its own folder', async () => {
    const uploads = Array.from({ length: 8 }, (_, i) => {
      const [who, uid] = i % 2 === 0 ? [alice, ALICE] : [bob, BOB];
      return who.storage.from(BUCKET).upload(`${uid}/parallel/${i}.pdf`, pdf(`parallel ${i}`));
    });
    const results = await Promise.all(uploads);
    expect(results.map((r) => r.error)).toEqual(Array(8).fill(null));
    const onDisk = await filesOnDisk(BUCKET);
    for (let i = 0; i < 8; i++) {
      const uid = i % 2 === 0 ? ALICE : BOB;
      expect(onDisk).toContain(`${uid}/parallel/${i}.pdf`);
      expect((await readOnDisk(BUCKET, `${uid}/parallel/${i}.pdf`))?.toString()).toBe(`%PDF-1.7\nparallel ${i}`);
    }
  });
});

describe('download and info', () => {
  const key = `${ALICE}/report.pdf`;
  const body = '%PDF-1.7\nthe report';

  beforeAll(async () => {
    const { error } = await alice.storage.from(BUCKET).upload(key, new Blob([body], { type: 'application/pdf' }), { cacheControl: '120' });
    expect(error).toBeNull();
  });

  it('the owner downloads the bytes', async () => {
    const { data, error } = await alice.storage.from(BUCKET).download(key);
    expect(error).toBeNull();
    expect(await data!.text()).toBe(body);
    expect(data!.type).toBe('application/pdf');
  });

  it('another user gets "Object not found" (RLS hides the row)', async () => {
    const { data, error } = await bob.storage.from(BUCKET).download(key);
    expect(data).toBeNull();
    expect(error).toMatchObject({ status: 400, statusCode: '404', message: 'Object not found' });
  });

  it('a private bucket is "Bucket not found" without a JWT', async () => {
    const response = await storageFetch(`/object/${BUCKET}/${key}`);
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ statusCode: '404', code: 'NoSuchBucket', error: 'Bucket not found', message: 'Bucket not found' });
  });

  it('download headers: type, length, ETag, Cache-Control, Last-Modified; ?download sets Content-Disposition', async () => {
    const token = await userJwt(ALICE);
    const plain = await fetch(`${stack.apiUrl}/storage/v1/object/authenticated/${BUCKET}/${key}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe('application/pdf');
    expect(plain.headers.get('content-length')).toBe(String(body.length));
    expect(plain.headers.get('etag')).toBe(md5(body));
    expect(plain.headers.get('cache-control')).toBe('max-age=120');
    expect(new Date(plain.headers.get('last-modified')!).getTime()).toBeGreaterThan(Date.now() - 120_000);
    expect(plain.headers.get('content-disposition')).toBeNull();
    expect(await plain.text()).toBe(body);

    const named = await storageFetch(`/object/${BUCKET}/${key}?download=r%C3%A9sum%C3%A9%20final.pdf`, { headers: { Authorization: `Bearer ${token}` } });
    expect(named.headers.get('content-disposition')).toBe("attachment; filename=r%C3%A9sum%C3%A9%20final.pdf; filename*=UTF-8''r%C3%A9sum%C3%A9%20final.pdf");
    const bare = await storageFetch(`/object/${BUCKET}/${key}?download`, { headers: { Authorization: `Bearer ${token}` } });
    expect(bare.headers.get('content-disposition')).toBe('attachment;');
  });

  it('Range gives 206 with Content-Range; If-None-Match with the ETag gives 304', async () => {
    const headers = { Authorization: `Bearer ${await userJwt(ALICE)}` };
    const part = await storageFetch(`/object/${BUCKET}/${key}`, { headers: { ...headers, Range: 'bytes=9-11' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 9-11/${body.length}`);
    expect(part.text).toBe(body.slice(9, 12));
    const cached = await storageFetch(`/object/${BUCKET}/${key}`, { headers: { ...headers, 'If-None-Match': md5(body) } });
    expect(cached.status).toBe(304);
  });

  it('info and exists follow RLS', async () => {
    const info = await alice.storage.from(BUCKET).info(key);
    expect(info.error).toBeNull();
    expect(info.data).toMatchObject({
      name: key,
      bucketId: BUCKET,
      size: body.length,
      contentType: 'application/pdf',
      cacheControl: 'max-age=120',
      etag: md5(body),
      metadata: null,
    });
    expect((await alice.storage.from(BUCKET).exists(key)).data).toBe(true);
    expect((await bob.storage.from(BUCKET).exists(key)).data).toBe(false);
    expect((await alice.storage.from(BUCKET).exists(`${ALICE}/nothing-here.pdf`)).data).toBe(false);
    expect((await bob.storage.from(BUCKET).info(key)).error).toMatchObject({ statusCode: '404' });
  });
});

describe('list', () => {
  beforeAll(async () => {
    for (const name of ['b.pdf', 'a.pdf', 'sub/one.pdf', 'sub/two.pdf', 'Zed.pdf']) {
      const { error } = await alice.storage.from(BUCKET).upload(`${ALICE}/listing/${name}`, pdf(name));
      expect(error).toBeNull();
    }
    expect((await bob.storage.from(BUCKET).upload(`${BOB}/listing/bob.pdf`, pdf('bob'))).error).toBeNull();
  });

  it('lists direct children, folders (id null) and files, names relative to the prefix', async () => {
    const { data, error } = await alice.storage.from(BUCKET).list(`${ALICE}/listing`);
    expect(error).toBeNull();
    expect(data!.map((entry) => [entry.name, entry.id === null])).toEqual([
      ['a.pdf', false],
      ['b.pdf', false],
      ['sub', true],
      ['Zed.pdf', false],
    ]);
    const file = data!.find((entry) => entry.name === 'a.pdf')!;
    expect(file).toMatchObject({ metadata: { mimetype: 'application/pdf', size: expect.any(Number) }, created_at: expect.any(String) });
    const folder = data!.find((entry) => entry.name === 'sub')!;
    expect(folder).toEqual({ name: 'sub', id: null, updated_at: null, created_at: null, last_accessed_at: null, metadata: null });
  });

  it('honours limit, offset, sort order and search (case-insensitive prefix of the name)', async () => {
    const from = alice.storage.from(BUCKET);
    const page = await from.list(`${ALICE}/listing`, { limit: 2, offset: 1, sortBy: { column: 'name', order: 'desc' } });
    expect(page.data!.map((entry) => entry.name)).toEqual(['sub', 'b.pdf']);
    const found = await from.list(`${ALICE}/listing`, { search: 'z' });
    expect(found.data!.map((entry) => entry.name)).toEqual(['Zed.pdf']);
    const byDate = await from.list(`${ALICE}/listing`, { sortBy: { column: 'created_at', order: 'asc' } });
    expect(byDate.data!.map((entry) => entry.name)).toEqual(['sub', 'b.pdf', 'a.pdf', 'Zed.pdf']);
    const inside = await from.list(`${ALICE}/listing/sub/`);
    expect(inside.data!.map((entry) => entry.name)).toEqual(['one.pdf', 'two.pdf']);
  });

  it('shows a user only what RLS lets them see', async () => {
    expect((await bob.storage.from(BUCKET).list(`${ALICE}/listing`)).data).toEqual([]);
    const root = await bob.storage.from(BUCKET).list();
    expect(root.data!.map((entry) => entry.name)).toEqual([BOB]);
    expect((await client().storage.from(BUCKET).list()).data).toEqual([]);
  });
});

describe('remove', () => {
  it('removes only what the caller may delete and returns the removed rows', async () => {
    const from = alice.storage.from(BUCKET);
    expect((await from.upload(`${ALICE}/remove/one.pdf`, pdf('1'))).error).toBeNull();
    expect((await from.upload(`${ALICE}/remove/two.pdf`, pdf('2'))).error).toBeNull();

    const denied = await bob.storage.from(BUCKET).remove([`${ALICE}/remove/one.pdf`]);
    expect(denied).toEqual({ data: [], error: null });
    expect(await filesOnDisk(BUCKET)).toContain(`${ALICE}/remove/one.pdf`);

    const { data, error } = await from.remove([`${ALICE}/remove/one.pdf`, `${ALICE}/remove/two.pdf`, `${ALICE}/remove/missing.pdf`]);
    expect(error).toBeNull();
    expect(data!.map((row) => row.name).sort()).toEqual([`${ALICE}/remove/one.pdf`, `${ALICE}/remove/two.pdf`]);
    expect(data![0]).toMatchObject({ bucket_id: BUCKET, id: expect.any(String), metadata: expect.any(Object) });
    const onDisk = await filesOnDisk(BUCKET);
    expect(onDisk).not.toContain(`${ALICE}/remove/one.pdf`);
    expect(onDisk).not.toContain(`${ALICE}/remove/two.pdf`);
    expect(onDisk.some((file) => file.startsWith(`${ALICE}/remove/`))).toBe(false);
    expect((await objectNames(BUCKET)).some((name) => name.startsWith(`${ALICE}/remove/`))).toBe(false);
  });
});

describe('move and copy', () => {
  it('moves within the own folder: row renamed, bytes moved', async () => {
    const from = alice.storage.from(BUCKET);
    expect((await from.upload(`${ALICE}/move/draft.pdf`, pdf('moving'))).error).toBeNull();
    const { data, error } = await from.move(`${ALICE}/move/draft.pdf`, `${ALICE}/move/final.pdf`);
    expect(error).toBeNull();
    expect(data).toMatchObject({ message: 'Successfully moved' });
    expect(await readOnDisk(BUCKET, `${ALICE}/move/draft.pdf`)).toBeUndefined();
    expect((await readOnDisk(BUCKET, `${ALICE}/move/final.pdf`))?.toString()).toBe('%PDF-1.7\nmoving');
    const names = await objectNames(BUCKET);
    expect(names).toContain(`${ALICE}/move/final.pdf`);
    expect(names).not.toContain(`${ALICE}/move/draft.pdf`);
  });

  it('refuses to move into another user’s folder (WITH CHECK) and leaves everything in place', async () => {
    const from = alice.storage.from(BUCKET);
    expect((await from.upload(`${ALICE}/move/stay.pdf`, pdf('stay'))).error).toBeNull();
    const { error } = await from.move(`${ALICE}/move/stay.pdf`, `${BOB}/stolen.pdf`);
    expect(error).toMatchObject({ statusCode: '403', message: 'new row violates row-level security policy' });
    expect((await readOnDisk(BUCKET, `${ALICE}/move/stay.pdf`))?.toString()).toBe('%PDF-1.7\nstay');
    expect(await readOnDisk(BUCKET, `${BOB}/stolen.pdf`)).toBeUndefined();
  });

  it('another user cannot move or copy what they cannot see', async () => {
    const from = bob.storage.from(BUCKET);
    expect((await from.move(`${ALICE}/move/stay.pdf`, `${BOB}/taken.pdf`)).error).toMatchObject({ statusCode: '404', message: 'Object not found' });
    expect((await from.copy(`${ALICE}/move/stay.pdf`, `${BOB}/taken.pdf`)).error).toMatchObject({ statusCode: '404', message: 'Object not found' });
    expect(await readOnDisk(BUCKET, `${BOB}/taken.pdf`)).toBeUndefined();
    expect(await objectNames(BUCKET)).not.toContain(`${BOB}/taken.pdf`);
  });

  it('copies: a new row owned by the caller, the same bytes, the source untouched', async () => {
    const from = alice.storage.from(BUCKET);
    expect((await from.upload(`${ALICE}/copy/source.pdf`, pdf('copy me'))).error).toBeNull();
    const { data, error } = await from.copy(`${ALICE}/copy/source.pdf`, `${ALICE}/copy/target.pdf`);
    expect(error).toBeNull();
    expect(data).toEqual({ path: `${BUCKET}/${ALICE}/copy/target.pdf` });
    expect((await readOnDisk(BUCKET, `${ALICE}/copy/target.pdf`))?.toString()).toBe('%PDF-1.7\ncopy me');
    expect((await readOnDisk(BUCKET, `${ALICE}/copy/source.pdf`))?.toString()).toBe('%PDF-1.7\ncopy me');
    const rows = await objectRows(BUCKET);
    const target = rows.find((row) => row.name === `${ALICE}/copy/target.pdf`)!;
    const source = rows.find((row) => row.name === `${ALICE}/copy/source.pdf`)!;
    expect(target.owner).toBe(ALICE);
    expect(target.metadata).toMatchObject({ eTag: source.metadata!.eTag, mimetype: 'application/pdf', size: source.metadata!.size });
    expect((await from.copy(`${ALICE}/copy/source.pdf`, `${ALICE}/copy/target.pdf`)).error).toMatchObject({ statusCode: '409' });
    expect((await from.copy(`${ALICE}/copy/source.pdf`, `${BOB}/copy.pdf`)).error).toMatchObject({ statusCode: '403' });
    expect(await readOnDisk(BUCKET, `${BOB}/copy.pdf`)).toBeUndefined();
  });
});

describe('signed URLs', () => {
  const key = `${ALICE}/signed/evidence.pdf`;

  beforeAll(async () => {
    expect((await alice.storage.from(BUCKET).upload(key, pdf('signed'))).error).toBeNull();
  });

  it('a signed URL downloads without any credentials, then stops working once expired', async () => {
    const { data, error } = await alice.storage.from(BUCKET).createSignedUrl(key, 1);
    expect(error).toBeNull();
    const first = await fetch(data!.signedUrl);
    expect(first.status).toBe(200);
    expect(await first.text()).toBe('%PDF-1.7\nsigned');
    expect(first.headers.get('expires')).not.toBeNull();

    await sleep(2100);
    const late = await fetch(data!.signedUrl);
    expect(late.status).toBe(400);
    expect(await late.json()).toEqual({ statusCode: '400', code: 'InvalidJWT', error: 'InvalidJWT', message: 'jwt expired' });
  });

  it('signed URLs name one object: a token for one key does not open another', async () => {
    const { data } = await alice.storage.from(BUCKET).createSignedUrl(key, 60, { download: true });
    const url = new URL(data!.signedUrl);
    expect(url.searchParams.get('download')).toBe('');
    const other = await storageFetch(`/object/sign/${BUCKET}/${ALICE}/report.pdf${url.search}`);
    expect(other.status).toBe(400);
    expect(other.json).toMatchObject({ statusCode: '400', code: 'InvalidSignature' });
    const tampered = await storageFetch(`/object/sign/${BUCKET}/${key}?token=${url.searchParams.get('token')!.slice(0, -2)}xx`);
    expect(tampered.json).toMatchObject({ statusCode: '400', code: 'InvalidJWT', message: 'invalid signature' });
    const ok = await fetch(data!.signedUrl);
    expect(ok.headers.get('content-disposition')).toBe('attachment;');
  });

  it('only someone who can read the object can sign it', async () => {
    expect((await bob.storage.from(BUCKET).createSignedUrl(key, 60)).error).toMatchObject({ statusCode: '404', message: 'Object not found' });
    const many = await bob.storage.from(BUCKET).createSignedUrls([key, `${BOB}/nothing.pdf`], 60);
    expect(many.data).toEqual([
      { error: 'Either the object does not exist or you do not have access to it', path: key, signedURL: null, signedUrl: null },
      { error: 'Either the object does not exist or you do not have access to it', path: `${BOB}/nothing.pdf`, signedURL: null, signedUrl: null },
    ]);
    const mine = await alice.storage.from(BUCKET).createSignedUrls([key], 60);
    expect(mine.data![0]).toMatchObject({ error: null, path: key, signedUrl: expect.stringContaining(`/storage/v1/object/sign/${BUCKET}/${key}?token=`) });
    expect((await fetch(mine.data![0]!.signedUrl!)).status).toBe(200);
  });

  it('a signed upload URL lets a client without credentials upload exactly that key, once', async () => {
    const target = `${ALICE}/signed/upload.pdf`;
    const { data, error } = await alice.storage.from(BUCKET).createSignedUploadUrl(target);
    expect(error).toBeNull();
    expect(data).toMatchObject({ path: target, token: expect.any(String), signedUrl: expect.stringContaining(`/object/upload/sign/${BUCKET}/${target}?token=`) });

    const anonymous = client();
    const uploaded = await anonymous.storage.from(BUCKET).uploadToSignedUrl(target, data!.token, pdf('via signed upload'));
    expect(uploaded).toEqual({ data: { path: target, fullPath: `${BUCKET}/${target}` }, error: null });
    expect((await readOnDisk(BUCKET, target))?.toString()).toBe('%PDF-1.7\nvia signed upload');
    expect((await objectRows(BUCKET)).find((row) => row.name === target)?.owner).toBe(ALICE);

    // Same token again: no upsert was granted, so the key is taken.
    const again = await anonymous.storage.from(BUCKET).uploadToSignedUrl(target, data!.token, pdf('again'));
    expect(again.error).toMatchObject({ statusCode: '409' });
    // Another key with this token: refused. A download token cannot upload.
    const elsewhere = await anonymous.storage.from(BUCKET).uploadToSignedUrl(`${ALICE}/signed/other.pdf`, data!.token, pdf('x'));
    expect(elsewhere.error).toMatchObject({ statusCode: '400', message: 'Invalid signature' });
    const downloadToken = new URL((await alice.storage.from(BUCKET).createSignedUrl(key, 60)).data!.signedUrl).searchParams.get('token')!;
    const replay = await anonymous.storage.from(BUCKET).uploadToSignedUrl(key, downloadToken, pdf('replay'), { upsert: true });
    expect(replay.error).toMatchObject({ statusCode: '400', message: 'Token is not scoped for upload' });
    expect((await readOnDisk(BUCKET, key))?.toString()).toBe('%PDF-1.7\nsigned');
  });

  it('signed uploads still obey the bucket limits', async () => {
    const target = `${ALICE}/signed/too-big.pdf`;
    const { data } = await alice.storage.from(BUCKET).createSignedUploadUrl(target);
    const big = await client().storage.from(BUCKET).uploadToSignedUrl(target, data!.token, new Blob([new Uint8Array(LIMIT + 1)], { type: 'application/pdf' }));
    expect(big.error).toMatchObject({ statusCode: '413' });
    const wrongType = await client().storage.from(BUCKET).uploadToSignedUrl(target, data!.token, new Blob(['x'], { type: 'image/gif' }));
    expect(wrongType.error).toMatchObject({ statusCode: '415' });
    expect(await readOnDisk(BUCKET, target)).toBeUndefined();
    expect(await objectNames(BUCKET)).not.toContain(target);
  });

  it('a user cannot get a signed upload URL for someone else’s folder', async () => {
    const { error } = await bob.storage.from(BUCKET).createSignedUploadUrl(`${ALICE}/signed/by-bob.pdf`);
    expect(error).toMatchObject({ statusCode: '403', message: 'new row violates row-level security policy' });
  });
});

describe('keys that would leave the bucket directory', () => {
  const headers = async () => ({ Authorization: `Bearer ${await userJwt(ALICE)}`, 'Content-Type': 'application/pdf' });

  it.each([
    ['a parent segment', `${ALICE}/..%2F..%2F..%2Fescape.pdf`, `${ALICE}/../../../escape.pdf`],
    ['an encoded absolute path', `%2Fetc%2Fescape.pdf`, '/etc/escape.pdf'],
    ['a NUL byte', `${ALICE}/nul%00.pdf`, `${ALICE}/nul\0.pdf`],
    ['a backslash', `${ALICE}/..%5C..%5Cescape.pdf`, `${ALICE}/..\\..\\escape.pdf`],
  ])('refuses %s with InvalidKey and writes nothing', async (_label, encoded, key) => {
    const response = await storageFetch(`/object/${BUCKET}/${encoded}`, { method: 'POST', headers: await headers(), body: '%PDF-1.7 escape' });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ statusCode: '400', code: 'InvalidKey', error: 'InvalidKey' });
    expect((response.json as { message: string }).message.startsWith(`Invalid key: ${key}`)).toBe(true);
  });

  it('refuses a key that RLS would allow but that names another user’s file on disk', async () => {
    // The first folder is Alice's own, so her INSERT policy passes; on disk the path
    // would resolve into Bob's folder. Only the key rules stop it.
    expect((await bob.storage.from(BUCKET).upload(`${BOB}/precious.pdf`, pdf('bob’s bytes'))).error).toBeNull();
    const response = await storageFetch(`/object/${BUCKET}/${ALICE}/..%2F${BOB}%2Fprecious.pdf`, {
      method: 'POST',
      headers: { ...(await headers()), 'x-upsert': 'true' },
      body: '%PDF-1.7 overwritten',
    });
    expect(response.json).toMatchObject({ statusCode: '400', code: 'InvalidKey', message: `Invalid key: ${ALICE}/../${BOB}/precious.pdf (relative path segment)` });
    expect((await readOnDisk(BUCKET, `${BOB}/precious.pdf`))?.toString()).toBe('%PDF-1.7\nbob’s bytes');
    expect(await objectNames(BUCKET)).not.toContain(`${ALICE}/../${BOB}/precious.pdf`);
  });

  it('nothing was written outside (or inside) the bucket by those attempts', async () => {
    const root = await dataDir();
    for (const candidate of ['escape.pdf', 'storage/escape.pdf', 'etc/escape.pdf', `storage/${BUCKET}/escape.pdf`]) {
      await expect(fs.access(path.join(root, candidate))).rejects.toThrow();
    }
    expect((await filesOnDisk(BUCKET)).filter((file) => file.includes('escape') || file.includes('nul'))).toEqual([]);
  });

  it('supabase-js with ../ in a path cannot reach another folder either', async () => {
    const { error } = await alice.storage.from(BUCKET).upload(`${ALICE}/../${BOB}/planted.pdf`, pdf('planted'));
    expect(error).not.toBeNull();
    expect(await readOnDisk(BUCKET, `${BOB}/planted.pdf`)).toBeUndefined();
    expect(await objectNames(BUCKET)).not.toContain(`${BOB}/planted.pdf`);
  });
});
