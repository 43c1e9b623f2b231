// The storage HTTP contract at the byte level: how callers are authenticated (no
// apikey gate; JWT from Authorization), storage-api's error shape (HTTP 400 with
// the intended status as a string), unknown routes, body validation, CORS.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signJwt } from '../../../stack/jwt.ts';
import { bearer, closeDb, db, recreateBucket, stack, storageError, storageFetch, userJwt } from './helpers.ts';

const BUCKET = 'http-test';

beforeAll(async () => {
  await recreateBucket(BUCKET);
});

afterAll(async () => {
  await closeDb();
});

describe('authentication', () => {
  it('a request without Authorization is refused on authenticated routes', async () => {
    const response = await storageFetch('/bucket');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.json).toEqual(storageError('403', 'AccessDenied', 'Unauthorized', 'jwt must be provided'));
  });

  it('an apikey header alone is not a credential (storage is not behind the apikey gate)', async () => {
    const response = await storageFetch(`/object/list/${BUCKET}`, {
      method: 'POST',
      headers: { apikey: stack.serviceRoleKey, 'content-type': 'application/json' },
      body: JSON.stringify({ prefix: '' }),
    });
    expect(response.json).toEqual(storageError('403', 'AccessDenied', 'Unauthorized', 'jwt must be provided'));
  });

  it('a JWT signed with another secret, a malformed one and an expired one are refused', async () => {
    const forged = await signJwt({ sub: randomUUID(), role: 'service_role' }, 'not-the-project-secret-not-the-project-secret');
    expect((await storageFetch('/bucket', { headers: bearer(forged) })).json).toEqual(
      storageError('403', 'AccessDenied', 'Unauthorized', 'invalid signature'),
    );
    expect((await storageFetch('/bucket', { headers: bearer('not.a.jwt') })).json).toEqual(
      storageError('403', 'AccessDenied', 'Unauthorized', 'jwt malformed'),
    );
    const expired = await userJwt(randomUUID(), { exp: Math.floor(Date.now() / 1000) - 10 });
    const response = await storageFetch('/bucket', { headers: bearer(expired) });
    expect(response.status).toBe(400);
    expect(response.json).toEqual(storageError('403', 'AccessDenied', 'Unauthorized', 'jwt expired'));
  });

  it('a JWT naming a role the database lacks is refused', async () => {
    const token = await signJwt({ sub: randomUUID(), role: 'no_such_role', exp: Math.floor(Date.now() / 1000) + 60 }, stack.jwtSecret);
    const response = await storageFetch('/bucket', { headers: bearer(token) });
    expect(response.status).toBe(400);
    expect(response.json).toEqual(storageError('403', 'AccessDenied', 'Unauthorized', 'role "no_such_role" does not exist'));
  });

  it('the service role key acts as service_role (bypasses RLS)', async () => {
    const response = await storageFetch('/bucket', { headers: bearer(stack.serviceRoleKey) });
    expect(response.status).toBe(200);
    expect((response.json as Array<{ id: string }>).map((bucket) => bucket.id)).toContain(BUCKET);
  });
});

describe('storage.operation() in policies', () => {
  const OPS = 'http-test-ops';

  beforeAll(async () => {
    await recreateBucket(OPS);
    await db().unsafe(`
      drop policy if exists "http-test-ops: sign only" on storage.objects;
      create policy "http-test-ops: sign only" on storage.objects for select to authenticated
        using (bucket_id = '${OPS}' and storage.operation() = 'storage.object.sign');
    `);
    const upload = await storageFetch(`/object/${OPS}/doc.txt`, {
      method: 'POST',
      headers: { ...bearer(stack.serviceRoleKey), 'content-type': 'text/plain' },
      body: 'only by signed URL',
    });
    expect(upload.status).toBe(200);
  });

  afterAll(async () => {
    await db().unsafe(`drop policy if exists "http-test-ops: sign only" on storage.objects`);
  });

  it('a policy can allow signing an object but not reading it directly', async () => {
    const headers = bearer(await userJwt(randomUUID()));
    const direct = await storageFetch(`/object/authenticated/${OPS}/doc.txt`, { headers });
    expect(direct.json).toEqual(storageError('404', 'NoSuchKey', 'not_found', 'Object not found'));
    const signed = await storageFetch(`/object/sign/${OPS}/doc.txt`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ expiresIn: 60 }),
    });
    expect(signed.status).toBe(200);
    const { signedURL } = signed.json as { signedURL: string };
    const download = await storageFetch(signedURL);
    expect(download.text).toBe('only by signed URL');
  });
});

describe('errors and routing', () => {
  it('an unknown route answers 404 in storage-api’s shape', async () => {
    const response = await storageFetch('/nothing/here', { headers: bearer(stack.serviceRoleKey) });
    expect(response.status).toBe(404);
    expect(response.json).toEqual(storageError('404', 'InvalidRequest', 'Not Found', 'Route GET:/storage/v1/nothing/here not found'));
  });

  it('bodies are validated like storage-api’s route schemas', async () => {
    const headers = { ...bearer(stack.serviceRoleKey), 'content-type': 'application/json' };
    const list = await storageFetch(`/object/list/${BUCKET}`, { method: 'POST', headers, body: JSON.stringify({ limit: 10 }) });
    expect(list.status).toBe(400);
    expect(list.json).toEqual(storageError('400', 'InvalidRequest', 'Bad Request', "body must have required property 'prefix'"));
    const broken = await storageFetch(`/object/list/${BUCKET}`, { method: 'POST', headers, body: '{"prefix":' });
    expect(broken.json).toMatchObject({ statusCode: '400', error: 'Bad Request' });
    const remove = await storageFetch(`/object/${BUCKET}`, { method: 'DELETE', headers, body: JSON.stringify({ prefixes: [] }) });
    expect(remove.json).toMatchObject({ statusCode: '400', message: 'body/prefixes must NOT have fewer than 1 items' });
    const sign = await storageFetch(`/object/sign/${BUCKET}/a.txt`, { method: 'POST', headers, body: JSON.stringify({ expiresIn: 0 }) });
    expect(sign.json).toEqual(storageError('400', 'InvalidParameter', 'InvalidParameter', 'Invalid Parameter expiresIn'));
  });

  it('object keys outside storage-api’s character set are refused', async () => {
    const response = await storageFetch(`/object/${BUCKET}/caf%C3%A9.txt`, {
      method: 'POST',
      headers: { ...bearer(stack.serviceRoleKey), 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(response.json).toEqual(storageError('400', 'InvalidKey', 'InvalidKey', 'Invalid key: café.txt'));
  });

  it('an empty multipart body is "No content provided"', async () => {
    const response = await storageFetch(`/object/${BUCKET}/empty.txt`, {
      method: 'POST',
      headers: { ...bearer(stack.serviceRoleKey), 'content-type': 'multipart/form-data; boundary=xyz' },
      body: '--xyz\r\nContent-Disposition: form-data; name="cacheControl"\r\n\r\n60\r\n--xyz--\r\n',
    });
    expect(response.json).toEqual(storageError('400', 'InvalidRequest', 'InvalidRequest', 'No content provided'));
  });

  it('a multipart upload with the cacheControl field and the file part, as storage-js sends it', async () => {
    const form = new FormData();
    form.append('cacheControl', '300');
    form.append('metadata', JSON.stringify({ source: 'http-test' }));
    form.append('', new Blob(['multipart body'], { type: 'text/csv' }), 'data.csv');
    const response = await storageFetch(`/object/${BUCKET}/data.csv`, { method: 'POST', headers: bearer(stack.serviceRoleKey), body: form });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ Id: expect.any(String), Key: `${BUCKET}/data.csv` });
    const info = await storageFetch(`/object/info/${BUCKET}/data.csv`, { headers: bearer(stack.serviceRoleKey) });
    expect(info.json).toMatchObject({ content_type: 'text/csv', cache_control: 'max-age=300', size: 14, metadata: { source: 'http-test' } });
  });

  it('responses carry CORS headers for browsers', async () => {
    const response = await storageFetch('/bucket', { headers: bearer(stack.serviceRoleKey) });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-expose-headers')).toContain('Content-Disposition');
    const preflight = await fetch(`${stack.apiUrl}/storage/v1/object/${BUCKET}/x.pdf`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://127.0.0.1:5173', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization, x-upsert' },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization, x-upsert');
  });
});
