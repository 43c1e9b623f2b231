// Receives an upload body — multipart/form-data (the first file part is the object;
// fields `cacheControl`, `contentType`, `metadata`) or the raw body — into a temp
// file, counting bytes and hashing as they stream. The MIME type is checked before
// the first byte is written, the size limit before reading (when Content-Length
// declares the size of a raw body) and on every chunk: reading stops as soon as the
// limit is crossed, and the temp file is removed on any failure.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { errors } from './errors.ts';
import { checkMimeType } from './limits.ts';
import { MultipartParser, multipartBoundary } from './multipart.ts';

export interface UploadRules {
  /** The object key (folder placeholders are exempt from MIME checks). */
  key: string;
  /** Bytes allowed (already the minimum of bucket and global limits). */
  maxBytes: number;
  allowedMimeTypes: readonly string[] | null;
}

export interface ReceivedUpload {
  tempFile: string;
  size: number;
  /** Quoted MD5 of the bytes, as S3 and storage-api's file backend give it. */
  eTag: string;
  mimeType: string;
  cacheControl: string;
  userMetadata: Record<string, unknown> | undefined;
}

/** What a request looks like to the receiver (so it does not depend on Hono). */
export interface UploadRequest {
  headers: Headers;
  body: ReadableStream<Uint8Array> | null;
}

const MAX_FIELD_BYTES = 1024 * 1024;
const MAX_FIELDS = 10;
/** After the file part, at most this much of the rest of a multipart body is read. */
const MAX_TRAILING_BYTES = 64 * 1024;

/** Appends chunks to a file while counting and hashing; refuses to go past the limit. */
class LimitedFileWriter {
  private handle: fs.FileHandle | undefined;
  private readonly hash = createHash('md5');
  size = 0;

  constructor(
    private readonly file: string,
    private readonly maxBytes: number,
  ) {}

  async open(): Promise<void> {
    this.handle = await fs.open(this.file, 'wx', 0o600);
  }

  async write(bytes: Uint8Array): Promise<void> {
    this.size += bytes.length;
    if (this.size > this.maxBytes) throw errors.entityTooLarge();
    this.hash.update(bytes);
    let offset = 0;
    while (offset < bytes.length) {
      const { bytesWritten } = await this.handle!.write(bytes, offset, bytes.length - offset);
      offset += bytesWritten;
    }
  }

  async close(): Promise<string> {
    await this.handle?.close();
    this.handle = undefined;
    return `"${this.hash.digest('hex')}"`;
  }

  async discard(): Promise<void> {
    await this.handle?.close().catch(() => {});
    this.handle = undefined;
    await fs.rm(this.file, { force: true });
  }
}

function parseUserMetadata(json: string | undefined): Record<string, unknown> | undefined {
  if (json === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(json);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** What is known about the object before its first byte is read. */
export type UploadDescription = Pick<ReceivedUpload, 'mimeType' | 'cacheControl' | 'userMetadata'>;

/**
 * Reads the request body into `tempFile`. `beforeWrite` runs once the object's type is
 * known and checked, before any of its bytes are read (the caller's permission probe).
 * On any error the temp file is gone.
 */
export async function receiveUpload(
  request: UploadRequest,
  rules: UploadRules,
  tempFile: string,
  beforeWrite: (description: UploadDescription) => Promise<void>,
): Promise<ReceivedUpload> {
  const writer = new LimitedFileWriter(tempFile, rules.maxBytes);
  const reader = request.body?.getReader();
  try {
    const boundary = multipartBoundary(request.headers.get('content-type') ?? undefined);
    const received = boundary
      ? await receiveMultipart(reader, boundary, rules, writer, beforeWrite)
      : await receiveRaw(request.headers, reader, rules, writer, beforeWrite);
    const eTag = await writer.close();
    return { tempFile, size: writer.size, eTag, ...received };
  } catch (error) {
    await writer.discard();
    throw error;
  } finally {
    // Stop reading here; the HTTP layer drains or closes what the client still sends.
    reader?.releaseLock();
  }
}

type Reader = ReadableStreamDefaultReader<Uint8Array> | undefined;
type Described = UploadDescription;
type BeforeWrite = (description: UploadDescription) => Promise<void>;

async function receiveRaw(headers: Headers, reader: Reader, rules: UploadRules, writer: LimitedFileWriter, beforeWrite: BeforeWrite): Promise<Described> {
  const mimeType = headers.get('content-type') || 'application/octet-stream';
  checkMimeType(rules.key, mimeType, rules.allowedMimeTypes);
  const declared = Number(headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > rules.maxBytes) throw errors.entityTooLarge();
  const encodedMetadata = headers.get('x-metadata');
  const userMetadata = encodedMetadata === null ? undefined : parseUserMetadata(Buffer.from(encodedMetadata, 'base64').toString('utf8'));
  const described: Described = { mimeType, cacheControl: headers.get('cache-control') ?? 'no-cache', userMetadata };
  await beforeWrite(described);
  await writer.open();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      await writer.write(value);
    }
  }
  return described;
}

async function receiveMultipart(
  reader: Reader,
  boundary: string,
  rules: UploadRules,
  writer: LimitedFileWriter,
  beforeWrite: BeforeWrite,
): Promise<Described> {
  if (!reader) throw errors.noContent();
  const parser = new MultipartParser(boundary);
  const fields = new Map<string, string>();
  let fieldCount = 0;
  let current: { name: string; chunks: Buffer[]; bytes: number } | undefined;
  let described: Described | undefined;
  let inFile = false;
  let fileDone = false;
  let trailing = 0;

  while (!parser.ended) {
    const { done, value } = await reader.read();
    if (done) {
      parser.finish();
      break;
    }
    if (fileDone) {
      trailing += value.length;
      if (trailing > MAX_TRAILING_BYTES) break;
    }
    for (const event of parser.push(value)) {
      if (event.kind === 'part') {
        const { headers } = event;
        if (!fileDone && headers.filename !== undefined) {
          // The object: its type is the `contentType` field if given, else the part's own.
          const mimeType = fields.get('contentType') || headers.contentType || 'text/plain';
          checkMimeType(rules.key, mimeType, rules.allowedMimeTypes);
          const cacheTime = fields.get('cacheControl');
          described = {
            mimeType,
            cacheControl: cacheTime ? `max-age=${cacheTime}` : 'no-cache',
            userMetadata: parseUserMetadata(fields.get('metadata') ?? fields.get('userMetadata')),
          };
          await beforeWrite(described);
          await writer.open();
          inFile = true;
        } else if (!fileDone) {
          if (++fieldCount > MAX_FIELDS) throw errors.noContent('Too many form fields');
          current = { name: headers.name, chunks: [], bytes: 0 };
        }
      } else if (event.kind === 'data') {
        if (inFile) {
          await writer.write(event.bytes);
        } else if (current) {
          current.bytes += event.bytes.length;
          if (current.bytes > MAX_FIELD_BYTES) throw errors.entityTooLarge();
          current.chunks.push(Buffer.from(event.bytes));
        }
      } else if (event.kind === 'partEnd') {
        if (inFile) {
          inFile = false;
          fileDone = true;
        } else if (current) {
          fields.set(current.name, Buffer.concat(current.chunks).toString('utf8'));
          current = undefined;
        }
      }
    }
  }
  if (!described || inFile) throw errors.noContent();
  return described;
}
