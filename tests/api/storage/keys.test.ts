// Object names too long to be keys: over 1,024 bytes (storage-api's and S3's limit),
// or with a path segment over 255 bytes (what one directory entry of the local file
// store can hold). Every route that takes a key answers 400 InvalidKey, never a 500,
// and nothing is stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, filesOnDisk, objectNames, recreateBucket, stack, storageError, storageFetch } from './helpers.ts';

const BUCKET = 'long-keys-test';
const service = { Authorization: `Bearer ${stack.serviceRoleKey}`, apikey: stack.serviceRoleKey };
const jsonHeaders = { ...service, 'Content-Type': 'application/json' };

const oneLongSegment = `folder/${'a'.repeat(1100)}.txt`;
const manyShortSegments = `${'abcdefghi/'.repeat(102)}x.txt`; // 1,025 bytes, every segment short
const longSegmentShortKey = `folder/${'b'.repeat(300)}.txt`;

beforeAll(async () => {
  await recreateBucket(BUCKET);
  const upload = await storageFetch(`/object/${BUCKET}/folder/ok.txt`, { method: 'POST', headers: { ...service, 'Content-Type': 'text/plain' }, body: 'ok' });
  expect(upload.status).toBe(200);
});
afterAll(closeDb);

const encode = (key: string) => key.split('/').map(encodeURIComponent).join('/');

function invalidKey(key: string, detail?: string) {
  return storageError('400', 'InvalidKey', 'InvalidKey', `Invalid key: ${key}${detail ? ` (${detail})` : ''}`);
}

describe.each([
  ['over 1,024 bytes in one segment', oneLongSegment, 'longer than 1024 bytes'],
  ['over 1,024 bytes in short segments', manyShortSegments, 'longer than 1024 bytes'],
  ['with a segment over 255 bytes', longSegmentShortKey, 'path segment longer than 255 bytes'],
])('a key %s', (_label, key, detail) => {
  const expected = invalidKey(key, detail);
  const path = encode(key);
  const check = (res: { status: number; json: unknown }) => {
    expect(res.status).toBe(400);
    expect(res.json).toEqual(expected);
  };

  it('is refused on upload and update, and nothing is stored', async () => {
    check(await storageFetch(`/object/${BUCKET}/${path}`, { method: 'POST', headers: { ...service, 'Content-Type': 'text/plain' }, body: 'x' }));
    check(await storageFetch(`/object/${BUCKET}/${path}`, { method: 'PUT', headers: { ...service, 'Content-Type': 'text/plain' }, body: 'x' }));
    expect(await objectNames(BUCKET)).toEqual(['folder/ok.txt']);
    expect(await filesOnDisk(BUCKET)).toEqual(['folder/ok.txt']);
  });

  it('is refused on download, info and exists', async () => {
    check(await storageFetch(`/object/${BUCKET}/${path}`, { headers: service }));
    check(await storageFetch(`/object/authenticated/${BUCKET}/${path}`, { headers: service }));
    check(await storageFetch(`/object/info/${BUCKET}/${path}`, { headers: service }));
    const head = await storageFetch(`/object/${BUCKET}/${path}`, { method: 'HEAD', headers: service });
    expect(head.status).toBe(400);
  });

  it('is refused on move and copy, as source or destination', async () => {
    for (const route of ['move', 'copy']) {
      check(await storageFetch(`/object/${route}`, { method: 'POST', headers: jsonHeaders, body: JSON.stringify({ bucketId: BUCKET, sourceKey: 'folder/ok.txt', destinationKey: key }) }));
      check(await storageFetch(`/object/${route}`, { method: 'POST', headers: jsonHeaders, body: JSON.stringify({ bucketId: BUCKET, sourceKey: key, destinationKey: 'folder/ok2.txt' }) }));
    }
    expect(await objectNames(BUCKET)).toEqual(['folder/ok.txt']);
  });

  it('is refused when signing a download or an upload URL', async () => {
    check(await storageFetch(`/object/sign/${BUCKET}/${path}`, { method: 'POST', headers: jsonHeaders, body: JSON.stringify({ expiresIn: 60 }) }));
    check(await storageFetch(`/object/upload/sign/${BUCKET}/${path}`, { method: 'POST', headers: service }));
  });

  it('is refused on remove', async () => {
    check(await storageFetch(`/object/${BUCKET}/${path}`, { method: 'DELETE', headers: service }));
    // Bulk remove takes names, not keys: an unknown name removes nothing.
    const bulk = await storageFetch(`/object/${BUCKET}`, { method: 'DELETE', headers: jsonHeaders, body: JSON.stringify({ prefixes: [key] }) });
    expect(bulk.status).toBe(200);
    expect(bulk.json).toEqual([]);
    expect(await objectNames(BUCKET)).toEqual(['folder/ok.txt']);
  });
});

describe('keys at the limits', () => {
  it('a key of exactly 1,024 bytes with short segments is stored and read back', async () => {
    const key = `${'abcdefghi/'.repeat(101)}${'y'.repeat(10)}.txt`;
    expect(Buffer.byteLength(key)).toBe(1024);
    const up = await storageFetch(`/object/${BUCKET}/${encode(key)}`, { method: 'POST', headers: { ...service, 'Content-Type': 'text/plain' }, body: 'edge' });
    expect(up.status).toBe(200);
    const down = await storageFetch(`/object/${BUCKET}/${encode(key)}`, { headers: service });
    expect(down.text).toBe('edge');
    const removed = await storageFetch(`/object/${BUCKET}/${encode(key)}`, { method: 'DELETE', headers: service });
    expect(removed.status).toBe(200);
  });
});
