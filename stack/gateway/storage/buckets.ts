// Bucket routes under /storage/v1/bucket. All run as the caller, so RLS on
// storage.buckets decides: with no bucket policies (the usual setup) only
// service_role, which bypasses RLS, can see or manage buckets.
import fs from 'node:fs/promises';
import {
  SERVICE_IDENTITY,
  bucketHasObjects,
  deleteAllObjects,
  deleteBucket as deleteBucketRow,
  findBucket,
  insertBucket,
  listBuckets as listBucketRows,
  mustFindBucket,
  runAs,
  updateBucket as updateBucketRow,
  type BucketRow,
  type ListBucketsOptions,
} from './db.ts';
import { errors, StorageError } from './errors.ts';
import { authenticate, optionalString, readJsonBody, requiredString, type StorageDeps, type StorageRequest } from './http.ts';
import { mustBeValidBucketName } from './keys.ts';
import { parseBucketSizeLimit, validateAllowedMimeTypes } from './limits.ts';
import { json } from './respond.ts';

function bucketBody(row: BucketRow, withType: boolean) {
  return {
    id: row.id,
    name: row.name,
    owner: row.owner ?? '',
    public: row.public,
    ...(withType ? { type: 'STANDARD' } : {}),
    file_size_limit: row.file_size_limit,
    allowed_mime_types: row.allowed_mime_types,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function queryInteger(url: URL, name: string, minimum: number): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < minimum) throw errors.badRequest(`querystring/${name} must be integer >= ${minimum}`);
  return value;
}

/** GET /bucket[?limit&offset&search&sortColumn&sortOrder] */
export async function listBuckets(deps: StorageDeps, request: StorageRequest): Promise<Response> {
  const caller = await authenticate(deps, request, 'required');
  const { url } = request;
  const options: ListBucketsOptions = {};
  const limit = queryInteger(url, 'limit', 1);
  const offset = queryInteger(url, 'offset', 0);
  if (limit !== undefined) options.limit = limit;
  if (offset !== undefined) options.offset = offset;
  const search = url.searchParams.get('search');
  if (search) options.search = search;
  const sortColumn = url.searchParams.get('sortColumn');
  if (sortColumn !== null) {
    if (!['id', 'name', 'created_at', 'updated_at'].includes(sortColumn)) {
      throw errors.badRequest('querystring/sortColumn must be equal to one of the allowed values');
    }
    options.sortColumn = sortColumn as NonNullable<ListBucketsOptions['sortColumn']>;
  }
  const sortOrder = url.searchParams.get('sortOrder');
  if (sortOrder !== null) {
    if (sortOrder !== 'asc' && sortOrder !== 'desc') throw errors.badRequest('querystring/sortOrder must be equal to one of the allowed values');
    options.sortOrder = sortOrder;
  }
  const rows = await runAs(deps.context, caller.identity, request.info, { readOnly: true }, (tx) =>
    listBucketRows(tx, options),
  );
  return json(rows.map((row) => bucketBody(row, true)));
}

/** GET /bucket/<id> */
export async function getBucket(deps: StorageDeps, request: StorageRequest, id: string): Promise<Response> {
  const caller = await authenticate(deps, request, 'required');
  const row = await runAs(deps.context, caller.identity, request.info, { readOnly: true }, (tx) => mustFindBucket(tx, id));
  return json(bucketBody(row, false));
}

interface BucketSettings {
  public?: boolean;
  fileSizeLimit?: number | null;
  allowedMimeTypes?: string[] | null;
}

function readSettings(deps: StorageDeps, body: Record<string, unknown>): BucketSettings {
  const settings: BucketSettings = {};
  if (body.public !== undefined && body.public !== null) {
    if (typeof body.public !== 'boolean') throw errors.badRequest('body/public must be boolean');
    settings.public = body.public;
  }
  const limit = body.file_size_limit;
  if (limit === null) settings.fileSizeLimit = null;
  else if (typeof limit === 'number' || typeof limit === 'string') settings.fileSizeLimit = parseBucketSizeLimit(limit, deps.globalSizeLimit);
  else if (limit !== undefined) throw errors.badRequest('body/file_size_limit must be integer,string');
  const types = body.allowed_mime_types;
  if (types === null) settings.allowedMimeTypes = null;
  else if (Array.isArray(types)) {
    if (types.some((entry) => entry !== null && entry !== '' && typeof entry !== 'string')) {
      throw errors.badRequest('body/allowed_mime_types must be array of strings');
    }
    const list = types.filter((entry): entry is string => typeof entry === 'string' && entry !== '');
    validateAllowedMimeTypes(list);
    settings.allowedMimeTypes = list;
  } else if (types !== undefined) throw errors.badRequest('body/allowed_mime_types must be array');
  return settings;
}

/** POST /bucket {id, name, public, file_size_limit, allowed_mime_types} → {name} */
export async function createBucket(deps: StorageDeps, request: StorageRequest): Promise<Response> {
  const caller = await authenticate(deps, request, 'required');
  const body = await readJsonBody(request);
  const name = requiredString(body, 'name');
  const id = optionalString(body, 'id') || name;
  mustBeValidBucketName(name);
  mustBeValidBucketName(id);
  if (body.type !== undefined && body.type !== null && body.type !== 'STANDARD') {
    throw new StorageError(409, 'FeatureNotEnabled', 'FeatureNotEnabled', `The feature ${String(body.type)} buckets is not enabled for this resource`);
  }
  const settings = readSettings(deps, body);
  await runAs(deps.context, caller.identity, request.info, {}, (tx) =>
    insertBucket(tx, {
      id,
      name,
      owner: caller.owner,
      public: settings.public ?? false,
      fileSizeLimit: settings.fileSizeLimit ?? null,
      allowedMimeTypes: settings.allowedMimeTypes ?? null,
    }),
  );
  return json({ name });
}

/** PUT /bucket/<id> {public, file_size_limit, allowed_mime_types} */
export async function updateBucket(deps: StorageDeps, request: StorageRequest, id: string): Promise<Response> {
  const caller = await authenticate(deps, request, 'required');
  const body = await readJsonBody(request);
  mustBeValidBucketName(id);
  const settings = readSettings(deps, body);
  if (settings.public === undefined && settings.fileSizeLimit === undefined && settings.allowedMimeTypes === undefined) {
    throw errors.noContent();
  }
  const updated = await runAs(deps.context, caller.identity, request.info, {}, (tx) => updateBucketRow(tx, id, settings));
  if (updated === 0) throw errors.noSuchBucket();
  return json({ message: 'Successfully updated' });
}

/** POST /bucket/<id>/empty: deletes every object the caller may delete (SELECT + DELETE policies). */
export async function emptyBucket(deps: StorageDeps, request: StorageRequest, id: string): Promise<Response> {
  const caller = await authenticate(deps, request, 'required');
  const changes = deps.files.changes();
  try {
    await runAs(deps.context, caller.identity, request.info, {}, async (tx) => {
      await mustFindBucket(tx, id);
      for (const row of await deleteAllObjects(tx, id)) {
        const file = deps.files.safeObjectPath(id, row.name);
        if (file) await changes.remove(file);
      }
    });
    await changes.commit();
  } catch (error) {
    await changes.rollback();
    throw error;
  }
  return json({ message: 'Successfully emptied' });
}

/** DELETE /bucket/<id>: only an empty bucket (ResourceNotEmpty otherwise). */
export async function deleteBucket(deps: StorageDeps, request: StorageRequest, id: string): Promise<Response> {
  const caller = await authenticate(deps, request, 'required');
  const state = await runAs(deps.context, SERVICE_IDENTITY, request.info, { readOnly: true }, async (tx) => {
    const bucket = await findBucket(tx, id);
    return { exists: bucket !== undefined, hasObjects: bucket ? await bucketHasObjects(tx, id) : false };
  });
  if (!state.exists) throw errors.noSuchBucket();
  if (state.hasObjects) throw errors.bucketNotEmpty();
  let deleted: number;
  try {
    deleted = await runAs(deps.context, caller.identity, request.info, {}, (tx) => deleteBucketRow(tx, id));
  } catch (error) {
    // An object arrived since the check: the foreign key refuses the delete.
    if (error instanceof StorageError && error.message === 'The related resource does not exist') throw errors.bucketNotEmpty();
    throw error;
  }
  if (deleted === 0) throw errors.noSuchBucket();
  // The bucket held no objects; whatever is left on disk is empty folders. (An id that
  // cannot name a directory never had one.)
  const dir = (() => {
    try {
      return deps.files.bucketDir(id);
    } catch {
      return undefined;
    }
  })();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
  return json({ message: 'Successfully deleted' });
}
