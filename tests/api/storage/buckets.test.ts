// Bucket administration through supabase-js (service role), what other callers
// may do with buckets (nothing, without bucket policies), and public buckets
// (downloads with no credentials at all).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  closeDb,
  client,
  db,
  filesOnDisk,
  objectNames,
  recreateBucket,
  serviceClient,
  stack,
  storageError,
  storageFetch,
  userJwt,
} from './helpers.ts';

const admin = serviceClient();
const CRUD = 'crud-test';

afterAll(async () => {
  await closeDb();
});

describe('bucket CRUD with the service role', () => {
  beforeAll(async () => {
    await db()`delete from storage.objects where bucket_id like 'crud-test%'`;
    await db()`delete from storage.buckets where id like 'crud-test%'`;
  });

  it('creates, reads, lists, updates, empties and deletes a bucket', async () => {
    const created = await admin.storage.createBucket(CRUD, { public: false, fileSizeLimit: '1MB', allowedMimeTypes: ['application/pdf', 'image/*'] });
    expect(created).toEqual({ data: { name: CRUD }, error: null });

    const [row] = await db()`select id, name, public, file_size_limit::int as limit, allowed_mime_types from storage.buckets where id = ${CRUD}`;
    expect(row).toEqual({ id: CRUD, name: CRUD, public: false, limit: 1_000_000, allowed_mime_types: ['application/pdf', 'image/*'] });

    const got = await admin.storage.getBucket(CRUD);
    expect(got.error).toBeNull();
    expect(got.data).toMatchObject({
      id: CRUD,
      name: CRUD,
      public: false,
      file_size_limit: 1_000_000,
      allowed_mime_types: ['application/pdf', 'image/*'],
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });

    const listed = await admin.storage.listBuckets({ search: 'crud-te' });
    expect(listed.data!.map((bucket) => bucket.id)).toEqual([CRUD]);
    expect(listed.data![0]).toMatchObject({ type: 'STANDARD' });

    const updated = await admin.storage.updateBucket(CRUD, { public: true, fileSizeLimit: 2048, allowedMimeTypes: ['text/plain'] });
    expect(updated).toEqual({ data: { message: 'Successfully updated' }, error: null });
    expect((await admin.storage.getBucket(CRUD)).data).toMatchObject({ public: true, file_size_limit: 2048, allowed_mime_types: ['text/plain'] });

    // The new limits apply at once.
    const from = admin.storage.from(CRUD);
    expect((await from.upload('a.txt', 'a', { contentType: 'text/plain' })).error).toBeNull();
    expect((await from.upload('folder/b.txt', 'b', { contentType: 'text/plain' })).error).toBeNull();
    expect((await from.upload('c.pdf', 'c', { contentType: 'application/pdf' })).error).toMatchObject({ statusCode: '415' });
    expect((await from.upload('big.txt', 'x'.repeat(2049), { contentType: 'text/plain' })).error).toMatchObject({ statusCode: '413' });
    expect(await filesOnDisk(CRUD)).toEqual(['a.txt', 'folder/b.txt']);

    const notEmpty = await admin.storage.deleteBucket(CRUD);
    expect(notEmpty.error).toMatchObject({ status: 400, statusCode: '409', message: 'The bucket you tried to delete is not empty' });

    expect(await admin.storage.emptyBucket(CRUD)).toEqual({ data: { message: 'Successfully emptied' }, error: null });
    expect(await objectNames(CRUD)).toEqual([]);
    expect(await filesOnDisk(CRUD)).toEqual([]);

    expect(await admin.storage.deleteBucket(CRUD)).toEqual({ data: { message: 'Successfully deleted' }, error: null });
    const gone = await admin.storage.getBucket(CRUD);
    expect(gone.error).toMatchObject({ status: 400, statusCode: '404', message: 'Bucket not found' });
  });

  it('refuses duplicates, invalid names, unknown buckets and limits above the global one', async () => {
    const id = `${CRUD}-rules`;
    expect((await admin.storage.createBucket(id)).error).toBeNull();
    expect((await admin.storage.createBucket(id)).error).toMatchObject({ statusCode: '409', message: 'The resource already exists' });
    expect((await admin.storage.createBucket('bad/name')).error).toMatchObject({ statusCode: '400', message: 'Bucket name invalid' });
    expect((await admin.storage.createBucket('..')).error).toMatchObject({ statusCode: '400', message: 'Bucket name invalid' });
    expect((await admin.storage.createBucket(`${id}-huge`, { public: false, fileSizeLimit: '60GB' })).error).toMatchObject({
      statusCode: '413',
      message: 'The object exceeded the maximum allowed size',
    });
    expect((await admin.storage.createBucket(`${id}-odd`, { public: false, fileSizeLimit: 'five megabytes' })).error).toMatchObject({
      statusCode: '400',
      message: 'Invalid file size format, hint: use 20GB / 20MB / 30KB / 3B',
    });
    expect((await admin.storage.createBucket(`${id}-mime`, { public: false, allowedMimeTypes: ['not a type'] })).error).toMatchObject({
      statusCode: '415',
    });
    expect((await admin.storage.updateBucket('no-such-bucket', { public: true })).error).toMatchObject({ statusCode: '404' });
    expect((await admin.storage.deleteBucket('no-such-bucket')).error).toMatchObject({ statusCode: '404' });
    expect((await admin.storage.emptyBucket('no-such-bucket')).error).toMatchObject({ statusCode: '404' });
    expect((await admin.storage.from('no-such-bucket').upload('x.txt', 'x')).error).toMatchObject({ statusCode: '404', message: 'Bucket not found' });
    const buckets = await db()`select id from storage.buckets where id like ${`${id}-%`}`;
    expect(buckets).toEqual([]);
  });

  it('lists with limit, offset and sort', async () => {
    for (const suffix of ['x', 'y', 'z']) expect((await admin.storage.createBucket(`${CRUD}-page-${suffix}`)).error).toBeNull();
    const page = await admin.storage.listBuckets({ search: `${CRUD}-page`, sortColumn: 'name', sortOrder: 'desc', limit: 2, offset: 1 });
    expect(page.data!.map((bucket) => bucket.id)).toEqual([`${CRUD}-page-y`, `${CRUD}-page-x`]);
  });
});

describe('bucket administration by other callers (no bucket policies: RLS denies)', () => {
  it('a signed-in user sees no buckets and cannot create, update or delete one', async () => {
    const user = client(await userJwt(randomUUID()));
    const listed = await user.storage.listBuckets();
    expect(listed).toEqual({ data: [], error: null });
    expect((await user.storage.createBucket('crud-test-by-user')).error).toMatchObject({
      statusCode: '403',
      message: 'new row violates row-level security policy',
    });
    await recreateBucket('crud-test-guarded');
    expect((await user.storage.getBucket('crud-test-guarded')).error).toMatchObject({ statusCode: '404' });
    expect((await user.storage.updateBucket('crud-test-guarded', { public: true })).error).toMatchObject({ statusCode: '404' });
    expect((await user.storage.deleteBucket('crud-test-guarded')).error).toMatchObject({ statusCode: '404' });
    const [row] = await db()`select public from storage.buckets where id = 'crud-test-guarded'`;
    expect(row).toEqual({ public: false });
  });

  it('the anon key alone acts as anon', async () => {
    expect((await client().storage.listBuckets()).data).toEqual([]);
    expect((await client().storage.createBucket('crud-test-by-anon')).error).toMatchObject({ statusCode: '403' });
  });

  it('bucket policies, when a project writes them, are what decides', async () => {
    const owner = randomUUID();
    await db().unsafe(`
      drop policy if exists "crud-test: owners read their buckets" on storage.buckets;
      drop policy if exists "crud-test: users create buckets" on storage.buckets;
      create policy "crud-test: owners read their buckets" on storage.buckets for select to authenticated
        using (owner_id = (select auth.uid())::text);
      create policy "crud-test: users create buckets" on storage.buckets for insert to authenticated
        with check (id like 'crud-test-own-%' and owner_id = (select auth.uid())::text);
    `);
    try {
      const user = client(await userJwt(owner));
      expect((await user.storage.createBucket('crud-test-own-1')).error).toBeNull();
      expect((await user.storage.createBucket('crud-test-other')).error).toMatchObject({ statusCode: '403' });
      expect((await user.storage.listBuckets()).data!.map((bucket) => bucket.id)).toEqual(['crud-test-own-1']);
      const [row] = await db()`select owner::text, owner_id from storage.buckets where id = 'crud-test-own-1'`;
      expect(row).toEqual({ owner, owner_id: owner });
    } finally {
      await db().unsafe(`
        drop policy if exists "crud-test: owners read their buckets" on storage.buckets;
        drop policy if exists "crud-test: users create buckets" on storage.buckets;
      `);
    }
  });
});

describe('public buckets', () => {
  const PUBLIC = 'public-test';
  const PRIVATE = 'public-test-private';

  beforeAll(async () => {
    await recreateBucket(PUBLIC, { public: true });
    await recreateBucket(PRIVATE, { public: false });
    expect((await admin.storage.from(PUBLIC).upload('logos/nhs.txt', 'public bytes', { contentType: 'text/plain' })).error).toBeNull();
    expect((await admin.storage.from(PRIVATE).upload('secret.txt', 'private bytes', { contentType: 'text/plain' })).error).toBeNull();
  });

  it('getPublicUrl downloads with no credentials at all', async () => {
    const { data } = admin.storage.from(PUBLIC).getPublicUrl('logos/nhs.txt');
    expect(data.publicUrl).toBe(`${stack.apiUrl}/storage/v1/object/public/${PUBLIC}/logos/nhs.txt`);
    const response = await fetch(data.publicUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(await response.text()).toBe('public bytes');

    const withName = await fetch(admin.storage.from(PUBLIC).getPublicUrl('logos/nhs.txt', { download: 'logo.txt' }).data.publicUrl);
    expect(withName.headers.get('content-disposition')).toBe("attachment; filename=logo.txt; filename*=UTF-8''logo.txt");
  });

  it('public objects also download through the authenticated routes without RLS policies, and without a JWT', async () => {
    const anon = await client().storage.from(PUBLIC).download('logos/nhs.txt');
    expect(await anon.data?.text()).toBe('public bytes');
    const user = await client(await userJwt(randomUUID())).storage.from(PUBLIC).download('logos/nhs.txt');
    expect(await user.data?.text()).toBe('public bytes');
    const noJwt = await storageFetch(`/object/${PUBLIC}/logos/nhs.txt`);
    expect(noJwt.status).toBe(200);
    expect(noJwt.text).toBe('public bytes');
    const info = await storageFetch(`/object/info/public/${PUBLIC}/logos/nhs.txt`);
    expect(info.json).toMatchObject({ name: 'logos/nhs.txt', bucket_id: PUBLIC, size: 12, content_type: 'text/plain' });
  });

  it('a private bucket is not reachable through the public route', async () => {
    const response = await storageFetch(`/object/public/${PRIVATE}/secret.txt`);
    expect(response.status).toBe(400);
    expect(response.json).toEqual(storageError('404', 'NoSuchBucket', 'Bucket not found', 'Bucket not found'));
    const missing = await storageFetch(`/object/public/${PUBLIC}/logos/missing.txt`);
    expect(missing.json).toEqual(storageError('404', 'NoSuchKey', 'not_found', 'Object not found'));
  });

  it('public does not mean writable: uploads still need an INSERT policy', async () => {
    const { error } = await client().storage.from(PUBLIC).upload('logos/defaced.txt', 'x', { contentType: 'text/plain' });
    expect(error).toMatchObject({ statusCode: '403' });
    const raw = await storageFetch(`/object/${PUBLIC}/logos/defaced.txt`, { method: 'POST', headers: { ...bearer(await userJwt(randomUUID())), 'content-type': 'text/plain' }, body: 'x' });
    expect(raw.json).toMatchObject({ statusCode: '403' });
    expect(await filesOnDisk(PUBLIC)).toEqual(['logos/nhs.txt']);
  });
});
