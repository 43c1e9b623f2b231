// Upload limits: the bucket's `file_size_limit` capped by the project-wide limit
// (`[storage] file_size_limit` in supabase/config.toml), and the bucket's
// `allowed_mime_types` (entries may be `type/*`). Pure functions.
import { errors } from './errors.ts';
import { isEmptyFolderPlaceholder } from './keys.ts';

/** Bytes an upload to `key` may have: min(bucket limit, global limit); 0 for folder placeholders. */
export function effectiveSizeLimit(key: string, bucketLimit: number | null, globalLimit: number): number {
  if (isEmptyFolderPlaceholder(key)) return 0;
  return bucketLimit === null ? globalLimit : Math.min(bucketLimit, globalLimit);
}

/** `type/subtype` in lower case, without parameters (`text/plain;charset=UTF-8` → `text/plain`). */
export function mimeEssence(mimeType: string): string {
  return (mimeType.split(';')[0] ?? '').trim().toLowerCase();
}

/**
 * Throws InvalidMimeType unless `mimeType` matches one of `allowed` (exact, or `type/*`).
 * An empty or missing list allows everything; folder placeholders are exempt.
 * Parameters such as `;charset=` are ignored when matching (storage-api compares the
 * raw header text, which refuses `text/plain;charset=UTF-8` for `text/plain`).
 */
export function checkMimeType(key: string, mimeType: string, allowed: readonly string[] | null): void {
  if (!allowed || allowed.length === 0 || isEmptyFolderPlaceholder(key)) return;
  const [type, subtype] = mimeEssence(mimeType).split('/');
  if (!type || !subtype) throw errors.invalidMimeType(mimeType);
  for (const entry of allowed) {
    const [allowedType, allowedSubtype] = mimeEssence(entry).split('/');
    if (allowedType === type && (allowedSubtype === '*' || allowedSubtype === subtype)) return;
  }
  throw errors.invalidMimeType(mimeType);
}

const MIME_ENTRY = /^([a-zA-Z0-9\-+.]+)\/([a-zA-Z0-9\-+.]+)(;\s*charset=[a-zA-Z0-9-]+)?$|\*$/;

/** A bucket's `allowed_mime_types` as given to create/update: each entry must look like a MIME type. */
export function validateAllowedMimeTypes(list: readonly string[]): void {
  for (const entry of list) {
    if (entry.length > 1000 || !MIME_ENTRY.test(entry)) throw errors.invalidMimeType(entry);
  }
}

/**
 * A bucket's `file_size_limit` as the bucket API accepts it: a number of bytes, or a
 * string like "5MB", "20GB", "300KB", "10B" (decimal units, as storage-api parses them).
 * Above the global limit → EntityTooLarge, like storage-api.
 */
export function parseBucketSizeLimit(value: number | string, globalLimit: number): number {
  let bytes: number;
  if (typeof value === 'number') {
    bytes = value;
  } else {
    const match = /^([0-9]+(?:\.[0-9]+)?)(gb|mb|kb|b)$/i.exec(value.trim());
    if (!match) throw errors.invalidFileSizeLimit();
    const units: Record<string, number> = { gb: 1e9, mb: 1e6, kb: 1e3, b: 1 };
    bytes = Math.round(Number(match[1]) * units[match[2]!.toLowerCase()]!);
  }
  if (!Number.isSafeInteger(bytes) || bytes < 0) throw errors.invalidFileSizeLimit();
  if (bytes > globalLimit) throw errors.entityTooLarge();
  return bytes;
}
