// Object keys and bucket ids: what storage-api accepts, plus what a local file
// store must refuse so that no key can reach outside `<dataDir>/storage/<bucket>/`.
import { errors } from './errors.ts';

// storage-api accepts only S3-safe characters in keys and bucket names.
const OBJECT_KEY_CHARS = /^[A-Za-z0-9_/!.*'() &$=@;:+,?-]*$/;
const BUCKET_NAME_CHARS = /^[A-Za-z0-9_!.*'() &$=@;:+,?-]*$/;

/** Folder placeholders storage clients create; exempt from MIME checks, limited to 0 bytes. */
export const EMPTY_FOLDER_PLACEHOLDER = '.emptyFolderPlaceholder';

export function isEmptyFolderPlaceholder(key: string): boolean {
  return key.endsWith(EMPTY_FOLDER_PLACEHOLDER);
}

/**
 * Why a key cannot be stored as a file under its bucket directory, or undefined if it can:
 * no absolute paths, no empty, `.` or `..` segments, no NUL or backslash.
 */
export function unsafePathReason(key: string): string | undefined {
  if (key.includes('\0')) return 'NUL byte';
  if (key.includes('\\')) return 'backslash';
  if (key.startsWith('/')) return 'absolute path';
  for (const segment of key.split('/')) {
    if (segment === '') return 'empty path segment';
    if (segment === '.' || segment === '..') return 'relative path segment';
  }
  return undefined;
}

/** S3's (and so hosted storage's) longest object key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;
/** The longest file name the local file store can hold (one directory entry on Linux and macOS). */
export const MAX_KEY_SEGMENT_BYTES = 255;

/** storage-api's key check, tightened for a file store. Throws InvalidKey. */
export function mustBeValidKey(key: string | undefined): asserts key is string {
  if (!key || !OBJECT_KEY_CHARS.test(key)) throw errors.invalidKey(key ?? '');
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw errors.invalidKey(key, `longer than ${MAX_KEY_BYTES} bytes`);
  const reason = unsafePathReason(key);
  if (reason) throw errors.invalidKey(key, reason);
  if (key.split('/').some((segment) => Buffer.byteLength(segment) > MAX_KEY_SEGMENT_BYTES)) {
    throw errors.invalidKey(key, `path segment longer than ${MAX_KEY_SEGMENT_BYTES} bytes`);
  }
}

/** storage-api's bucket-name rules, plus no `.`/`..` (they would name a directory outside the store). */
export function isValidBucketName(name: string): boolean {
  return (
    name.length > 0 &&
    name.length < 101 &&
    name.trim() === name &&
    BUCKET_NAME_CHARS.test(name) &&
    name !== '.' &&
    name !== '..'
  );
}

export function mustBeValidBucketName(name: string | undefined): asserts name is string {
  if (!name || !isValidBucketName(name)) throw errors.invalidBucketName();
}

/** Percent-decodes a path taken from the URL; a malformed escape is an invalid key. */
export function decodePathPart(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw errors.invalidKey(raw);
  }
}
