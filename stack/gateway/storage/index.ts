// The Storage service, mounted by the gateway at /storage/v1: storage-api's HTTP
// contract as storage-js uses it (supabase-api-subset.md §4). Bytes live under
// `<dataDir>/storage/<bucket>/<key>`; rows live in storage.buckets/objects and are
// read and written as the caller, so storage RLS policies decide. See docs/storage.md.
//
// Layers: index (route table) → http (caller, bodies) → buckets / objects (handlers)
// → keys, limits, multipart, upload-body, signing (pure checks and parsing)
// → db (SQL in withRequestTransaction) and files (bytes, staged with the transaction).
import { Hono } from 'hono';
import { parseSize, setting } from '../../supabase-config.ts';
import type { GatewayContext, ServiceFactory } from '../service.ts';
import * as buckets from './buckets.ts';
import { errors, StorageError, toStorageError } from './errors.ts';
import { FileStore } from './files.ts';
import { storageRequest, type StorageDeps, type StorageRequest } from './http.ts';
import { decodePathPart } from './keys.ts';
import * as objects from './objects.ts';
import { errorResponse } from './respond.ts';

const PREFIX = '/storage/v1';
/** storage-js documents signed upload URLs as valid for two hours. */
const SIGNED_UPLOAD_EXPIRES_IN = 2 * 60 * 60;

type Handler = (deps: StorageDeps, request: StorageRequest) => Promise<Response>;
type KeyHandler = (deps: StorageDeps, request: StorageRequest, bucket: string, key: string) => Promise<Response>;

/** A matched route: storage-api's operation name (exposed to policies as storage.operation()) and its handler. */
interface Route {
  operation: string;
  handler: Handler;
}

/** `<bucket>/<key…>` from raw (still percent-encoded) path segments. */
function bucketAndKey(segments: string[]): [string, string] | undefined {
  if (segments.length < 2 || segments[0] === '') return undefined;
  return [decodePathPart(segments[0]!), decodePathPart(segments.slice(1).join('/'))];
}

function withKey(operation: string, segments: string[], handler: KeyHandler): Route | undefined {
  const found = bucketAndKey(segments);
  return found ? { operation, handler: (deps, request) => handler(deps, request, found[0], found[1]) } : undefined;
}

/**
 * Picks the route for a request. Fixed words win over bucket names, as in storage-api's
 * router (so a bucket called "public" or "sign" is shadowed on those routes there too).
 */
function route(method: string, segments: string[]): Route | undefined {
  const [head, ...rest] = segments;
  if (head === 'bucket') {
    if (rest.length === 0 || (rest.length === 1 && rest[0] === '')) {
      if (method === 'GET') return { operation: 'storage.bucket.list', handler: buckets.listBuckets };
      if (method === 'POST') return { operation: 'storage.bucket.create', handler: buckets.createBucket };
      return undefined;
    }
    const id = decodePathPart(rest[0]!);
    if (rest.length === 1) {
      if (method === 'GET') return { operation: 'storage.bucket.get', handler: (deps, request) => buckets.getBucket(deps, request, id) };
      if (method === 'PUT') return { operation: 'storage.bucket.update', handler: (deps, request) => buckets.updateBucket(deps, request, id) };
      if (method === 'DELETE') return { operation: 'storage.bucket.delete', handler: (deps, request) => buckets.deleteBucket(deps, request, id) };
    }
    if (rest.length === 2 && rest[1] === 'empty' && method === 'POST') {
      return { operation: 'storage.bucket.empty', handler: (deps, request) => buckets.emptyBucket(deps, request, id) };
    }
    return undefined;
  }
  if (head !== 'object' || rest.length === 0) return undefined;

  const [word, ...after] = rest;
  const isRead = method === 'GET' || method === 'HEAD';

  if (word === 'list' && method === 'POST' && after.length === 1) {
    const bucket = decodePathPart(after[0]!);
    return { operation: 'storage.object.list', handler: (deps, request) => objects.listObjects(deps, request, bucket) };
  }
  if (word === 'move' && method === 'POST' && after.length === 0) return { operation: 'storage.object.move', handler: objects.moveObject };
  if (word === 'copy' && method === 'POST' && after.length === 0) return { operation: 'storage.object.copy', handler: objects.copyObject };
  if (word === 'sign') {
    if (method === 'POST' && after.length === 1) {
      const bucket = decodePathPart(after[0]!);
      return { operation: 'storage.object.sign_many', handler: (deps, request) => objects.signObjectUrls(deps, request, bucket) };
    }
    if (method === 'POST') return withKey('storage.object.sign', after, objects.signObjectUrl);
    if (isRead) return withKey('storage.object.get_signed', after, objects.getSignedObject);
    return undefined;
  }
  if (word === 'upload' && after[0] === 'sign') {
    if (method === 'POST') return withKey('storage.object.sign_upload_url', after.slice(1), objects.signUploadUrl);
    if (method === 'PUT') return withKey('storage.object.upload_signed', after.slice(1), objects.uploadToSignedUrl);
    return undefined;
  }
  if (word === 'public' && isRead) {
    return withKey(method === 'HEAD' ? 'storage.object.info_public' : 'storage.object.get_public', after, objects.getPublicObject);
  }
  if (word === 'authenticated' && isRead) {
    return withKey(method === 'HEAD' ? 'object.head_authenticated_info' : 'storage.object.get_authenticated', after, (d, r, b, k) =>
      objects.getObject(d, r, b, k, 'required'),
    );
  }
  if (word === 'info' && method === 'GET') {
    if (after[0] === 'public') return withKey('storage.object.info_public', after.slice(1), (d, r, b, k) => objects.getObjectInfo(d, r, b, k, 'public'));
    if (after[0] === 'authenticated') {
      return withKey('object.get_authenticated_info', after.slice(1), (d, r, b, k) => objects.getObjectInfo(d, r, b, k, 'required'));
    }
    return withKey('object.get_authenticated_info', after, (d, r, b, k) => objects.getObjectInfo(d, r, b, k, 'optional'));
  }

  // /object/<bucket>[/<key…>]
  if (method === 'DELETE' && rest.length === 1) {
    const bucket = decodePathPart(rest[0]!);
    return { operation: 'storage.object.delete_many', handler: (deps, request) => objects.removeObjects(deps, request, bucket) };
  }
  if (isRead) {
    return withKey(method === 'HEAD' ? 'object.head_authenticated_info' : 'storage.object.get_authenticated', rest, (d, r, b, k) =>
      objects.getObject(d, r, b, k, 'optional'),
    );
  }
  if (method === 'POST') return withKey('storage.object.upload', rest, objects.uploadObject);
  if (method === 'PUT') return withKey('storage.object.upload_update', rest, objects.uploadObject);
  if (method === 'DELETE') return withKey('storage.object.delete', rest, objects.removeObject);
  return undefined;
}

/** After an early answer, at most this much of an unread request body is read (and thrown away). */
const DISCARD_MAX_BYTES = 64 * 1024 * 1024;
const DISCARD_MAX_MS = 10_000;

/**
 * Reads and throws away whatever the client is still sending after the answer is known
 * (a refused upload, an upload cut off at its size limit). Nothing is stored or counted
 * toward the object; it keeps the HTTP/1.1 connection usable for the client's next
 * request, as busboy does after a size limit in storage-api. Past the caps the server's
 * own cleanup closes the connection.
 */
function discardUnreadBody(raw: Request): void {
  const body = raw.body;
  if (!body || body.locked) return;
  const reader = body.getReader();
  const started = Date.now();
  void (async () => {
    let seen = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        seen += value.length;
        if (seen > DISCARD_MAX_BYTES || Date.now() - started > DISCARD_MAX_MS) {
          await reader.cancel().catch(() => {});
          return;
        }
      }
    } catch {
      // The client went away: nothing to do.
    } finally {
      reader.releaseLock();
    }
  })();
}

export async function handleStorage(deps: StorageDeps, raw: Request): Promise<Response> {
  const request = storageRequest(raw);
  try {
    return await dispatch(deps, request);
  } finally {
    discardUnreadBody(raw);
  }
}

async function dispatch(deps: StorageDeps, request: StorageRequest): Promise<Response> {
  try {
    const pathname = request.url.pathname.startsWith(PREFIX) ? request.url.pathname.slice(PREFIX.length) : request.url.pathname;
    const segments = pathname.replace(/^\/+/, '').split('/');
    const matched = route(request.method, segments);
    if (!matched) throw errors.routeNotFound(request.method, request.url.pathname + request.url.search);
    request.info.operation = matched.operation;
    return await matched.handler(deps, request);
  } catch (error) {
    const storageError = toStorageError(error);
    if (!(error instanceof StorageError)) console.error('[storage] request failed:', error);
    return errorResponse(storageError, request.method);
  }
}

export async function createStorageDeps(context: GatewayContext): Promise<StorageDeps> {
  const files = new FileStore(context.config.dataDir);
  await files.init();
  return {
    context,
    files,
    globalSizeLimit: parseSize(setting<string | number>('storage.file_size_limit', '50MiB')),
    signedUploadExpiresIn: SIGNED_UPLOAD_EXPIRES_IN,
  };
}

export const storageService: ServiceFactory = async (context) => {
  const deps = await createStorageDeps(context);
  const routes = new Hono().all('*', (c) => handleStorage(deps, c.req.raw));
  return { routes };
};
