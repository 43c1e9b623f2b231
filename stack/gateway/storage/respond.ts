// The top layer's output: JSON bodies, storage-api error bodies, and object
// downloads with the headers storage-api's renderer sets (Content-Type, Length,
// ETag, Cache-Control or Expires, Last-Modified, Content-Disposition for
// `?download`, single byte ranges → 206, If-None-Match → 304).
import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { errors, type StorageError } from './errors.ts';

const EXPOSED_HEADERS = [
  'Content-Length',
  'Content-Type',
  'Content-Range',
  'Content-Disposition',
  'Cache-Control',
  'ETag',
  'Last-Modified',
  'Expires',
  'X-Robots-Tag',
].join(', ');

export function baseHeaders(): Record<string, string> {
  return { 'access-control-allow-origin': '*', 'access-control-expose-headers': EXPOSED_HEADERS };
}

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...baseHeaders(), 'content-type': 'application/json; charset=utf-8' },
  });
}

export function errorResponse(error: StorageError, method = 'GET'): Response {
  const headers: Record<string, string> = { ...baseHeaders(), 'content-type': 'application/json; charset=utf-8' };
  if (error.code === 'NoSuchKey') headers['cache-control'] = 'no-store';
  return new Response(method === 'HEAD' ? null : JSON.stringify(error.body()), { status: error.httpStatus, headers });
}

/** `?download` → Content-Disposition, like storage-api: empty → attachment, a name → filename. */
export function contentDisposition(download: string | null): string | undefined {
  if (download === null) return undefined;
  if (download === '') return 'attachment;';
  const encoded = encodeURIComponent(download);
  return `attachment; filename=${encoded}; filename*=UTF-8''${encoded}`;
}

export interface StoredObjectMetadata {
  eTag?: string;
  mimetype?: string;
  cacheControl?: string;
  lastModified?: string;
}

export function readMetadata(metadata: Record<string, unknown> | null): StoredObjectMetadata {
  const m = metadata ?? {};
  const text = (key: string) => (typeof m[key] === 'string' ? (m[key] as string) : undefined);
  return { eTag: text('eTag'), mimetype: text('mimetype'), cacheControl: text('cacheControl'), lastModified: text('lastModified') };
}

/** storage-api never serves text/html from storage (it would run in the API's origin). */
function servedContentType(mimeType: string | undefined): string {
  if (!mimeType) return 'application/octet-stream';
  return mimeType.includes('text/html') ? 'text/plain' : mimeType;
}

function httpDate(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date.toUTCString();
}

/** One `bytes=` range against `size` → [start, end] inclusive; undefined = ignore the header. */
export function parseRange(header: string | null, size: number): [number, number] | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) throw errors.invalidRange();
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start > end || start >= size) throw errors.invalidRange();
  return [start, end];
}

export interface DownloadOptions {
  method: string;
  file: FileHandle;
  size: number;
  metadata: StoredObjectMetadata;
  download: string | null;
  rangeHeader: string | null;
  ifNoneMatch: string | null;
  /** Signed URLs: an Expires header (the token's expiry) instead of Cache-Control. */
  expires?: Date;
}

/** Streams an opened file; the handle is closed when the body is done (or not sent). */
export function downloadResponse(options: DownloadOptions): Response {
  const { metadata } = options;
  const headers: Record<string, string> = {
    ...baseHeaders(),
    'accept-ranges': 'bytes',
    'content-type': servedContentType(metadata.mimetype),
    'x-robots-tag': 'none',
  };
  if (metadata.eTag) headers.etag = metadata.eTag;
  const lastModified = httpDate(metadata.lastModified);
  if (lastModified) headers['last-modified'] = lastModified;
  if (options.expires) headers.expires = options.expires.toUTCString();
  else if (metadata.cacheControl) headers['cache-control'] = metadata.cacheControl;
  const disposition = contentDisposition(options.download);
  if (disposition) headers['content-disposition'] = disposition;

  if (options.ifNoneMatch && metadata.eTag && options.ifNoneMatch === metadata.eTag) {
    void options.file.close();
    return new Response(null, { status: 304, headers });
  }

  let range: [number, number] | undefined;
  try {
    range = parseRange(options.rangeHeader, options.size);
  } catch (error) {
    void options.file.close();
    throw error;
  }
  const [start, end] = range ?? [0, options.size - 1];
  headers['content-length'] = String(Math.max(0, end - start + 1));
  if (range) headers['content-range'] = `bytes ${start}-${end}/${options.size}`;
  const status = range ? 206 : 200;

  if (options.method === 'HEAD' || options.size === 0) {
    void options.file.close();
    return new Response(null, { status, headers });
  }
  const stream = createReadStream('', { fd: options.file, start, end, autoClose: true });
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, { status, headers });
}

/** HEAD / info rendering: the stored metadata as headers, no bytes. */
export function headResponse(metadata: StoredObjectMetadata, size: number | undefined): Response {
  const headers: Record<string, string> = { ...baseHeaders(), 'content-type': servedContentType(metadata.mimetype) };
  if (metadata.eTag) headers.etag = metadata.eTag;
  if (metadata.cacheControl) headers['cache-control'] = metadata.cacheControl;
  const lastModified = httpDate(metadata.lastModified);
  if (lastModified) headers['last-modified'] = lastModified;
  if (size !== undefined) headers['content-length'] = String(size);
  return new Response(null, { status: 200, headers });
}
