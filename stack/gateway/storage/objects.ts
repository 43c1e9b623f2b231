// Object routes under /storage/v1/object, as storage-js calls them. Each handler:
// authenticate at the edge → pure checks (keys, limits) → rows read and written as
// the caller (RLS decides) → bytes moved in step with that transaction.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import {
  SERVICE_IDENTITY,
  deleteObjects,
  existingNames,
  findBucket,
  findObject,
  insertObject,
  mustFindObject,
  renameObject,
  runAs,
  searchObjects,
  upsertObject,
  type BucketRow,
  type ObjectRow,
  type ObjectWrite,
  type Tx,
} from './db.ts';
import { errors } from './errors.ts';
import {
  authenticate,
  optionalInteger,
  optionalString,
  readJsonBody,
  requiredString,
  stringArray,
  type Caller,
  type StorageDeps,
  type StorageRequest,
} from './http.ts';
import { mustBeValidKey } from './keys.ts';
import { effectiveSizeLimit } from './limits.ts';
import { downloadResponse, headResponse, json, readMetadata } from './respond.ts';
import { signObjectToken, validExpiresIn, verifyObjectToken } from './signing.ts';
import { receiveUpload, type ReceivedUpload } from './upload-body.ts';

const SIGNED_URL_ERROR = 'Either the object does not exist or you do not have access to it';

/** Who writes: the caller's identity, and the owner recorded on the row. */
interface Writer {
  identity: Caller['identity'];
  owner: string | undefined;
}

function serviceWriter(owner: string | undefined): Writer {
  return { identity: SERVICE_IDENTITY, owner };
}

/** storage-api reads bucket settings as its superuser: here, as service_role. */
async function bucketAsService(deps: StorageDeps, request: StorageRequest, bucketId: string): Promise<BucketRow | undefined> {
  return runAs(deps.context, SERVICE_IDENTITY, request.info, { readOnly: true }, (tx) => findBucket(tx, bucketId));
}

function objectMetadata(received: ReceivedUpload): Record<string, unknown> {
  return {
    eTag: received.eTag,
    size: received.size,
    mimetype: received.mimeType,
    cacheControl: received.cacheControl,
    lastModified: new Date().toISOString(),
    contentLength: received.size,
    httpStatusCode: 200,
  };
}

// ---------------------------------------------------------------- upload

interface UploadOptions {
  writer: Writer;
  upsert: boolean;
}

/**
 * Upload: limits and MIME type checked while the body streams into a temp file; the
 * caller's permission probed (rolled back) before the first byte is written, as
 * storage-api does; then, in one transaction as the caller, the row is written and
 * the file renamed into place. Any failure leaves no row and no bytes.
 */
async function upload(deps: StorageDeps, request: StorageRequest, bucketId: string, key: string, options: UploadOptions) {
  mustBeValidKey(key);
  const target = deps.files.objectPath(bucketId, key);
  const bucket = await bucketAsService(deps, request, bucketId);
  if (!bucket) throw errors.noSuchBucket();
  const rules = {
    key,
    maxBytes: effectiveSizeLimit(key, bucket.file_size_limit, deps.globalSizeLimit),
    allowedMimeTypes: bucket.allowed_mime_types,
  };
  const declaredLength = Number(request.raw.headers.get('content-length') ?? Number.NaN);

  const row = (metadata: Record<string, unknown>, userMetadata: Record<string, unknown> | undefined): ObjectWrite => ({
    id: randomUUID(),
    bucket: bucketId,
    name: key,
    owner: options.writer.owner,
    version: randomUUID(),
    metadata,
    userMetadata,
  });
  const write = (tx: Tx, object: ObjectWrite) => (options.upsert ? upsertObject(tx, object) : insertObject(tx, object));

  const received = await receiveUpload(request.raw, rules, deps.files.newTempPath(), async (described) => {
    // Refuse early (no bytes read yet) when the caller may not write this row at all.
    const probe = row({ mimetype: described.mimeType, ...(Number.isFinite(declaredLength) ? { contentLength: declaredLength } : {}) }, described.userMetadata);
    await runAs(deps.context, options.writer.identity, request.info, { rollback: true }, (tx) => write(tx, probe));
  });

  const changes = deps.files.changes();
  try {
    const id = await runAs(deps.context, options.writer.identity, request.info, {}, async (tx) => {
      const objectId = await write(tx, row(objectMetadata(received), received.userMetadata));
      await changes.place(received.tempFile, target, key);
      return objectId;
    });
    await changes.commit();
    return { id, key: `${bucketId}/${key}` };
  } catch (error) {
    await changes.rollback();
    await fs.rm(received.tempFile, { force: true });
    throw error;
  }
}

export async function uploadObject(deps: StorageDeps, request: StorageRequest, bucketId: string, key: string): Promise<Response> {
  const caller = await authenticate(deps, request, 'required');
  // POST creates (x-upsert: true overwrites); PUT overwrites, as storage-api's update does.
  const upsert = request.method === 'PUT' || request.raw.headers.get('x-upsert') === 'true';
  const result = await upload(deps, request, bucketId, key, {
    writer: { identity: caller.identity, owner: caller.owner },
    upsert,
  });
  return json({ Id: result.id, Key: result.key });
}

// ---------------------------------------------------------------- read

type ReadAccess = { kind: 'caller'; caller: Caller } | { kind: 'public' } | { kind: 'signed'; expires: Date };

/**
 * The object row for a read. Callers reach private buckets through RLS; public buckets
 * (and public/signed routes) are read as service_role, like storage-api's superuser.
 * A bucket that is missing, or private to an unauthenticated caller, is "Bucket not found".
 */
async function objectForRead(deps: StorageDeps, request: StorageRequest, bucketId: string, key: string, access: ReadAccess): Promise<ObjectRow> {
  mustBeValidKey(key);
  let asService = access.kind === 'signed';
  if (access.kind !== 'signed') {
    const bucket = await bucketAsService(deps, request, bucketId);
    if (!bucket) throw errors.noSuchBucket();
    if (access.kind === 'public' || !access.caller.authenticated) {
      if (!bucket.public) throw errors.noSuchBucket();
    }
    asService = bucket.public;
  }
  const identity = asService || access.kind !== 'caller' ? SERVICE_IDENTITY : access.caller.identity;
  return runAs(deps.context, identity, request.info, { readOnly: true }, (tx) => mustFindObject(tx, bucketId, key));
}

async function openBytes(deps: StorageDeps, bucketId: string, key: string): Promise<{ file: fs.FileHandle; size: number }> {
  let file: fs.FileHandle;
  try {
    file = await fs.open(deps.files.objectPath(bucketId, key), 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') throw errors.bytesMissing();
    throw error;
  }
  try {
    const stats = await file.stat();
    if (!stats.isFile()) throw errors.bytesMissing();
    return { file, size: stats.size };
  } catch (error) {
    await file.close();
    throw error;
  }
}

async function render(deps: StorageDeps, request: StorageRequest, bucketId: string, key: string, access: ReadAccess): Promise<Response> {
  const row = await objectForRead(deps, request, bucketId, key, access);
  const metadata = readMetadata(row.metadata);
  if (request.method === 'HEAD') {
    const { file, size } = await openBytes(deps, bucketId, key);
    await file.close();
    return headResponse(metadata, size);
  }
  const { file, size } = await openBytes(deps, bucketId, key);
  return downloadResponse({
    method: request.method,
    file,
    size,
    metadata,
    download: request.url.searchParams.get('download'),
    rangeHeader: request.raw.headers.get('range'),
    ifNoneMatch: request.raw.headers.get('if-none-match'),
    ...(access.kind === 'signed' ? { expires: access.expires } : {}),
  });
}

/** GET/HEAD /object/<b>/<key> (JWT optional) and /object/authenticated/<b>/<key> (JWT required). */
export async function getObject(deps: StorageDeps, request: StorageRequest, bucketId: string, key: string, jwt: 'required' | 'optional') {
  const caller = await authenticate(deps, request, jwt);
  return render(deps, request, bucketId, key, { kind: 'caller', caller });
}

/** GET/HEAD /object/public/<b>/<key>: public buckets only, no JWT. */
export async function getPublicObject(deps: StorageDeps, request: StorageRequest, bucketId: string, key: string) {
  return render(deps, request, bucketId, key, { kind: 'public' });
}

/** GET /object/sign/<b>/<key>?token=…: a download token issued by createSignedUrl. */
export async function getSignedObject(deps: StorageDeps, request: StorageRequest, bucketId: string, key: string) {
  const claims = await verifyObjectToken(deps.context.config.jwtSecret, request.url.searchParams.get('token') ?? undefined, `${bucketId}/${key}`, 'download');
  return render(deps, request, bucketId, key, { kind: 'signed', expires: new Date(claims.exp * 1000) });
}

function infoBody(row: ObjectRow) {
  const metadata = row.metadata ?? {};
  const pick = (name: string) => (metadata[name] === undefined ? null : metadata[name]);
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    bucket_id: row.bucket_id,
    size: pick('size'),
    content_type: pick('mimetype'),
    cache_control: pick('cacheControl'),
    etag: pick('eTag'),
    metadata: row.user_metadata,
    last_modified: row.updated_at,
    created_at: row.created_at,
  };
}

/** GET /object/info/<b>/<key> (JWT optional), /object/info/authenticated/… (required), /object/info/public/… (none). */
export async function getObjectInfo(deps: StorageDeps, request: StorageRequest, bucketId: string, key: string, jwt: 'required' | 'optional' | 'public') {
  const access: ReadAccess = jwt === 'public' ? { kind: 'public' } : { kind: 'caller', caller: await authenticate(deps, request, jwt) };
  const row = await objectForRead(deps, request, bucketId, key, access);
  const response = json(infoBody(row));
  const metadata = readMetadata(row.metadata);
  if (metadata.eTag) response.headers.set('etag', metadata.eTag);
  if (metadata.cacheControl) response.headers.set('cache-control', metadata.cacheControl);
  return response;
}

// ---------------------------------------------------------------- list

const SORT_COLUMNS = ['name', 'updated_at', 'created_at', 'last_accessed_at'];

/** POST /object/list/<b> {prefix, limit, offset, sortBy:{column, order}, search}. */
export async function listObjects(deps: StorageDeps, request: StorageRequest, bucketId: string): Promise<Response> {
  const caller = await authenticate(deps, request, 'required');
  const body = await readJsonBody(request);
  let prefix = requiredString(body, 'prefix');
  const limit = optionalInteger(body, 'limit', 1) ?? 100;
  const offset = optionalInteger(body, 'offset', 0) ?? 0;
  const search = optionalString(body, 'search') ?? '';
  const sortBy = body.sortBy as { column?: unknown; order?: unknown } | undefined;
  let sortColumn = 'name';
  let sortOrder = 'asc';
  if (sortBy !== undefined && sortBy !== null) {
    if (typeof sortBy !== 'object') throw errors.badRequest('body/sortBy must be object');
    if (typeof sortBy.column !== 'string' || !SORT_COLUMNS.includes(sortBy.column)) {
      throw errors.badRequest('body/sortBy/column must be equal to one of the allowed values');
    }
    sortColumn = sortBy.column;
    if (sortBy.order !== undefined) {
      if (sortBy.order !== 'asc' && sortBy.order !== 'desc') throw errors.badRequest('body/sortBy/order must be equal to one of the allowed values');
      sortOrder = sortBy.order;
    }
  }
  // The prefix is always a folder.
  if (prefix.length > 0 && !prefix.endsWith('/')) prefix = `${prefix}/`;
  const entries = await runAs(deps.context, caller.identity, request.info, { readOnly: true }, (tx) =>
    searchObjects(tx, bucketId, { prefix, limit, offset, search, sortColumn, sortOrder }),
  );
  return json(entries);
}

// ---------------------------------------------------------------- remove

/** DELETE /object/<b> {prefixes:[…]}: removes what the caller may delete; returns the removed rows. */
export async function removeObjects(deps: StorageDeps, request: StorageRequest, bucketId: string): Promise<Response> {
  const caller = await authenticate(deps, request, 'required');
  const body = await readJsonBody(request);
  const prefixes = stringArray(body, 'prefixes', { required: true, minItems: 1 })!;
  if (prefixes.length > 1000) throw errors.badRequest('Bulk object requests are limited to 1000 objects per request.');
  const changes = deps.files.changes();
  try {
    const removed = await runAs(deps.context, caller.identity, request.info, {}, async (tx) => {
      const rows = await deleteObjects(tx, bucketId, prefixes);
      for (const row of rows) {
        const file = deps.files.safeObjectPath(bucketId, row.name);
        if (file) await changes.remove(file);
      }
      return rows;
    });
    await changes.commit();
    return json(removed);
  } catch (error) {
    await changes.rollback();
    throw error;
  }
}

/** DELETE /object/<b>/<key>: one object; hidden or not deletable → AccessDenied, like storage-api. */
export async function removeObject(deps: StorageDeps, request: StorageRequest, bucketId: string, key: string): Promise<Response> {
  const caller = await authenticate(deps, request, 'required');
  mustBeValidKey(key);
  const exists = await runAs(deps.context, SERVICE_IDENTITY, request.info, { readOnly: true }, (tx) =>
    findObject(tx, bucketId, key),
  );
  if (!exists) throw errors.noSuchKey();
  const changes = deps.files.changes();
  try {
    await runAs(deps.context, caller.identity, request.info, {}, async (tx) => {
      const rows = await deleteObjects(tx, bucketId, [key]);
      if (rows.length === 0) throw errors.accessDenied('Access denied');
      await changes.remove(deps.files.objectPath(bucketId, key));
    });
    await changes.commit();
    return json({ message: 'Successfully deleted' });
  } catch (error) {
    await changes.rollback();
    throw error;
  }
}

// ---------------------------------------------------------------- move / copy

interface Transfer {
  bucketId: string;
  sourceKey: string;
  destinationBucket: string;
  destinationKey: string;
}

async function readTransfer(deps: StorageDeps, request: StorageRequest): Promise<Transfer> {
  const body = await readJsonBody(request);
  const bucketId = requiredString(body, 'bucketId');
  const sourceKey = requiredString(body, 'sourceKey');
  const destinationKey = requiredString(body, 'destinationKey');
  const destinationBucket = optionalString(body, 'destinationBucket') || bucketId;
  mustBeValidKey(sourceKey);
  mustBeValidKey(destinationKey);
  if (destinationBucket !== bucketId && !(await bucketAsService(deps, request, destinationBucket))) throw errors.noSuchBucket();
  return { bucketId, sourceKey, destinationBucket, destinationKey };
}

/** POST /object/move: renames the row as the caller (SELECT + UPDATE policies), then the file. */
export async function moveObject(deps: StorageDeps, request: StorageRequest): Promise<Response> {
  const caller = await authenticate(deps, request, 'required');
  const t = await readTransfer(deps, request);
  const source = deps.files.objectPath(t.bucketId, t.sourceKey);
  const target = deps.files.objectPath(t.destinationBucket, t.destinationKey);
  const changes = deps.files.changes();
  try {
    const moved = await runAs(deps.context, caller.identity, request.info, {}, async (tx) => {
      const row = await renameObject(
        tx,
        { bucket: t.bucketId, name: t.sourceKey },
        { bucket: t.destinationBucket, name: t.destinationKey, owner: caller.owner, version: randomUUID() },
      );
      if (!row) throw errors.noSuchKey();
      if (source !== target) await changes.move(source, target, t.destinationKey);
      return row;
    });
    await changes.commit();
    return json({ message: 'Successfully moved', Id: moved.id, Key: moved.name });
  } catch (error) {
    await changes.rollback();
    throw error;
  }
}

/** POST /object/copy: reads the source as the caller (SELECT), writes the copy as the caller (INSERT; x-upsert: true overwrites). */
export async function copyObject(deps: StorageDeps, request: StorageRequest): Promise<Response> {
  const caller = await authenticate(deps, request, 'required');
  const t = await readTransfer(deps, request);
  const upsert = request.raw.headers.get('x-upsert') === 'true';
  const source = deps.files.objectPath(t.bucketId, t.sourceKey);
  const target = deps.files.objectPath(t.destinationBucket, t.destinationKey);
  const temp = deps.files.newTempPath();
  const changes = deps.files.changes();
  try {
    const copied = await runAs(deps.context, caller.identity, request.info, {}, async (tx) => {
      const original = await mustFindObject(tx, t.bucketId, t.sourceKey);
      try {
        await fs.copyFile(source, temp);
      } catch {
        throw errors.bytesMissing();
      }
      const object: ObjectWrite = {
        id: randomUUID(),
        bucket: t.destinationBucket,
        name: t.destinationKey,
        owner: caller.owner,
        version: randomUUID(),
        metadata: { ...(original.metadata ?? {}), lastModified: new Date().toISOString() },
        userMetadata: original.user_metadata ?? undefined,
      };
      const id = upsert ? await upsertObject(tx, object) : await insertObject(tx, object);
      await changes.place(temp, target, t.destinationKey);
      return { ...object, id };
    });
    await changes.commit();
    return json({
      Id: copied.id,
      Key: `${t.destinationBucket}/${t.destinationKey}`,
      id: copied.id,
      bucket_id: copied.bucket,
      name: copied.name,
      owner: copied.owner ?? null,
      version: copied.version,
      metadata: copied.metadata,
      user_metadata: copied.userMetadata ?? null,
    });
  } catch (error) {
    await changes.rollback();
    await fs.rm(temp, { force: true });
    throw error;
  }
}

// ---------------------------------------------------------------- signed URLs

/** POST /object/sign/<b>/<key> {expiresIn}: the caller must be able to SELECT the object. */
export async function signObjectUrl(deps: StorageDeps, request: StorageRequest, bucketId: string, key: string): Promise<Response> {
  const caller = await authenticate(deps, request, 'required');
  const body = await readJsonBody(request);
  if (body.expiresIn === undefined) throw errors.badRequest("body must have required property 'expiresIn'");
  const expiresIn = validExpiresIn(body.expiresIn);
  mustBeValidKey(key);
  await runAs(deps.context, caller.identity, request.info, { readOnly: true }, (tx) => mustFindObject(tx, bucketId, key));
  const url = `${bucketId}/${key}`;
  const token = await signObjectToken(deps.context.config.jwtSecret, { url, scope: 'download' }, expiresIn);
  return json({ signedURL: `/object/sign/${url}?token=${token}` });
}

/** POST /object/sign/<b> {expiresIn, paths}: one result per path, an error for those the caller cannot see. */
export async function signObjectUrls(deps: StorageDeps, request: StorageRequest, bucketId: string): Promise<Response> {
  const caller = await authenticate(deps, request, 'required');
  const body = await readJsonBody(request);
  if (body.expiresIn === undefined) throw errors.badRequest("body must have required property 'expiresIn'");
  const expiresIn = validExpiresIn(body.expiresIn);
  const paths = stringArray(body, 'paths', { required: true, minItems: 1 })!;
  if (paths.length > 1000) throw errors.badRequest('Bulk object requests are limited to 1000 objects per request.');
  const found = await runAs(deps.context, caller.identity, request.info, { readOnly: true }, (tx) =>
    existingNames(tx, bucketId, paths),
  );
  const results = await Promise.all(
    paths.map(async (path) => {
      if (!found.has(path)) return { error: SIGNED_URL_ERROR, path, signedURL: null };
      const url = `${bucketId}/${path}`;
      const token = await signObjectToken(deps.context.config.jwtSecret, { url, scope: 'download' }, expiresIn);
      return { error: null, path, signedURL: `/object/sign/${url}?token=${token}` };
    }),
  );
  return json(results);
}

/** POST /object/upload/sign/<b>/<key>: the caller must be allowed to INSERT (or upsert with x-upsert). */
export async function signUploadUrl(deps: StorageDeps, request: StorageRequest, bucketId: string, key: string): Promise<Response> {
  const caller = await authenticate(deps, request, 'required');
  mustBeValidKey(key);
  deps.files.objectPath(bucketId, key);
  if (!(await bucketAsService(deps, request, bucketId))) throw errors.noSuchBucket();
  const upsert = request.raw.headers.get('x-upsert') === 'true';
  const contentType = request.raw.headers.get('content-type');
  const probe: ObjectWrite = {
    id: randomUUID(),
    bucket: bucketId,
    name: key,
    owner: caller.owner,
    version: randomUUID(),
    metadata: contentType ? { mimetype: contentType } : {},
    userMetadata: undefined,
  };
  await runAs(deps.context, caller.identity, request.info, { rollback: true }, (tx) =>
    upsert ? upsertObject(tx, probe) : insertObject(tx, probe),
  );
  const url = `${bucketId}/${key}`;
  const token = await signObjectToken(
    deps.context.config.jwtSecret,
    { url, scope: 'upload', upsert, ...(caller.owner ? { owner: caller.owner } : {}) },
    deps.signedUploadExpiresIn,
  );
  return json({ url: `/object/upload/sign/${url}?token=${token}`, token });
}

/** PUT /object/upload/sign/<b>/<key>?token=…: no JWT; written as service_role for the token's owner. */
export async function uploadToSignedUrl(deps: StorageDeps, request: StorageRequest, bucketId: string, key: string): Promise<Response> {
  const claims = await verifyObjectToken(deps.context.config.jwtSecret, request.url.searchParams.get('token') ?? undefined, `${bucketId}/${key}`, 'upload');
  const result = await upload(deps, request, bucketId, key, {
    writer: serviceWriter(claims.owner),
    upsert: claims.upsert === true,
  });
  return json({ Key: result.key });
}

