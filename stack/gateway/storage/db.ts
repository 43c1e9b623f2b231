// The bottom layer: SQL on storage.buckets / storage.objects, always inside
// `withRequestTransaction`, so every statement runs as a database role with
// `request.jwt.claims` set and storage RLS decides. "As the caller" uses the JWT's
// role; the few reads storage-api makes as its superuser (bucket limits, public and
// signed downloads, signed uploads) run as `service_role`, which bypasses RLS.
// Parameters are sent as text (the authenticator pool's convention): documents are
// JSON-encoded here and arrays travel as JSON.
import type { ReservedSql } from 'postgres';
import type { GatewayContext } from '../service.ts';
import { withRequestTransaction, type RequestIdentity } from '../transaction.ts';
import { errors, toStorageError } from './errors.ts';

export const SERVICE_IDENTITY: RequestIdentity = { role: 'service_role', claims: { role: 'service_role' } };

export interface RequestInfo {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** storage-api's name for the route (`storage.object.upload`, …), set by the route table. */
  operation: string;
}

export interface RunOptions {
  readOnly?: boolean;
  /** Roll back even on success (permission probes). */
  rollback?: boolean;
}

export type Tx = ReservedSql;

/** Runs `work` in one transaction as `identity`; database errors come out as StorageErrors. */
export async function runAs<T>(
  context: GatewayContext,
  identity: RequestIdentity,
  request: RequestInfo,
  options: RunOptions,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  try {
    return await withRequestTransaction(
      context.requestSql,
      {
        ...identity,
        method: request.method,
        path: request.path,
        headers: request.headers,
        cookies: {},
        searchPath: ['storage', 'public', 'extensions'],
        readOnly: options.readOnly ?? false,
      },
      context.roleSettings(),
      async (tx) => {
        // storage-api's `storage.operation` setting, readable in policies via storage.operation().
        await tx.unsafe("select pg_catalog.set_config('storage.operation', $1, true)", [request.operation]);
        return work(tx);
      },
      () => options.rollback ?? false,
    );
  } catch (error) {
    throw toStorageError(error);
  }
}

// ---------------------------------------------------------------- rows

export interface BucketRow {
  id: string;
  name: string;
  owner: string | null;
  owner_id: string | null;
  public: boolean;
  file_size_limit: number | null;
  allowed_mime_types: string[] | null;
  created_at: Date;
  updated_at: Date;
}

export interface ObjectRow {
  id: string;
  bucket_id: string;
  name: string;
  owner: string | null;
  owner_id: string | null;
  version: string | null;
  metadata: Record<string, unknown> | null;
  user_metadata: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
  last_accessed_at: Date;
}

const BUCKET_COLUMNS =
  'id, name, owner, owner_id, public, file_size_limit::float8 as file_size_limit, allowed_mime_types, created_at, updated_at';
const OBJECT_COLUMNS = 'id, bucket_id, name, owner, owner_id, version, metadata, user_metadata, created_at, updated_at, last_accessed_at';

function json(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** storage-api stores `owner` only when the JWT subject is a UUID; `owner_id` always. */
export function ownerColumns(owner: string | undefined): { owner: string | null; owner_id: string | null } {
  if (!owner) return { owner: null, owner_id: null };
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(owner);
  return { owner: isUuid ? owner : null, owner_id: owner };
}

/** SQL for a text[] from a JSON-array parameter (NULL stays NULL). */
function textArray(param: string): string {
  return `(case when ${param}::jsonb is null then null::text[] else array(select jsonb_array_elements_text(${param}::jsonb)) end)`;
}

// ---------------------------------------------------------------- buckets

export async function findBucket(tx: Tx, id: string): Promise<BucketRow | undefined> {
  const rows = await tx.unsafe(`select ${BUCKET_COLUMNS} from storage.buckets where id = $1`, [id]);
  return rows[0] as BucketRow | undefined;
}

export async function mustFindBucket(tx: Tx, id: string): Promise<BucketRow> {
  const bucket = await findBucket(tx, id);
  if (!bucket) throw errors.noSuchBucket();
  return bucket;
}

export interface ListBucketsOptions {
  limit?: number;
  offset?: number;
  search?: string;
  sortColumn?: 'id' | 'name' | 'created_at' | 'updated_at';
  sortOrder?: 'asc' | 'desc';
}

export async function listBuckets(tx: Tx, options: ListBucketsOptions): Promise<BucketRow[]> {
  const params: Array<string | number> = [];
  let where = '';
  if (options.search) {
    params.push(`%${options.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where = `where name ilike $${params.length}`;
  }
  const order = options.sortColumn ? `order by ${options.sortColumn} ${options.sortOrder === 'desc' ? 'desc' : 'asc'}` : 'order by name';
  let page = '';
  if (options.limit !== undefined) {
    params.push(options.limit);
    page += ` limit $${params.length}`;
  }
  if (options.offset !== undefined) {
    params.push(options.offset);
    page += ` offset $${params.length}`;
  }
  const rows = await tx.unsafe(`select ${BUCKET_COLUMNS} from storage.buckets ${where} ${order}${page}`, params);
  return rows as unknown as BucketRow[];
}

export interface NewBucket {
  id: string;
  name: string;
  owner: string | undefined;
  public: boolean;
  fileSizeLimit: number | null;
  allowedMimeTypes: string[] | null;
}

export async function insertBucket(tx: Tx, bucket: NewBucket): Promise<void> {
  const owner = ownerColumns(bucket.owner);
  try {
    await tx.unsafe(
      `insert into storage.buckets (id, name, owner, owner_id, public, file_size_limit, allowed_mime_types)
       values ($1, $2, $3::uuid, $4, $5::boolean, $6::bigint, ${textArray('$7')})`,
      [
        bucket.id,
        bucket.name,
        owner.owner,
        owner.owner_id,
        String(bucket.public),
        bucket.fileSizeLimit,
        bucket.allowedMimeTypes === null ? null : JSON.stringify(bucket.allowedMimeTypes),
      ],
    );
  } catch (error) {
    const mapped = toStorageError(error);
    throw mapped.code === 'ResourceAlreadyExists' ? errors.bucketAlreadyExists() : mapped;
  }
}

export interface BucketChanges {
  public?: boolean;
  fileSizeLimit?: number | null;
  allowedMimeTypes?: string[] | null;
}

/** Returns the number of rows updated (0: missing or hidden by RLS). */
export async function updateBucket(tx: Tx, id: string, changes: BucketChanges): Promise<number> {
  const sets: string[] = [];
  const params: Array<string | number | null> = [];
  if (changes.public !== undefined) {
    params.push(String(changes.public));
    sets.push(`public = $${params.length}::boolean`);
  }
  if (changes.fileSizeLimit !== undefined) {
    params.push(changes.fileSizeLimit);
    sets.push(`file_size_limit = $${params.length}::bigint`);
  }
  if (changes.allowedMimeTypes !== undefined) {
    params.push(changes.allowedMimeTypes === null ? null : JSON.stringify(changes.allowedMimeTypes));
    sets.push(`allowed_mime_types = ${textArray(`$${params.length}`)}`);
  }
  if (sets.length === 0) return 0;
  params.push(id);
  const result = await tx.unsafe(`update storage.buckets set ${sets.join(', ')}, updated_at = now() where id = $${params.length}`, params);
  return result.count;
}

export async function deleteBucket(tx: Tx, id: string): Promise<number> {
  const result = await tx.unsafe('delete from storage.buckets where id = $1', [id]);
  return result.count;
}

export async function bucketHasObjects(tx: Tx, id: string): Promise<boolean> {
  const rows = await tx.unsafe('select exists (select 1 from storage.objects where bucket_id = $1) as found', [id]);
  return (rows[0] as unknown as { found: boolean }).found;
}

// ---------------------------------------------------------------- objects

export async function findObject(tx: Tx, bucket: string, name: string): Promise<ObjectRow | undefined> {
  const rows = await tx.unsafe(`select ${OBJECT_COLUMNS} from storage.objects where bucket_id = $1 and name = $2 limit 1`, [bucket, name]);
  return rows[0] as ObjectRow | undefined;
}

export async function mustFindObject(tx: Tx, bucket: string, name: string): Promise<ObjectRow> {
  const row = await findObject(tx, bucket, name);
  if (!row) throw errors.noSuchKey();
  return row;
}

/** The names among `names` that exist (and the caller can see) in `bucket`. */
export async function existingNames(tx: Tx, bucket: string, names: string[]): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  const rows = await tx.unsafe(
    'select name from storage.objects where bucket_id = $1 and name = any (select jsonb_array_elements_text($2::jsonb))',
    [bucket, JSON.stringify(names)],
  );
  return new Set((rows as unknown as Array<{ name: string }>).map((row) => row.name));
}

export interface ObjectWrite {
  id: string;
  bucket: string;
  name: string;
  owner: string | undefined;
  version: string;
  metadata: Record<string, unknown>;
  userMetadata: Record<string, unknown> | undefined;
}

function writeParams(object: ObjectWrite): Array<string | null> {
  const owner = ownerColumns(object.owner);
  return [object.id, object.bucket, object.name, owner.owner, owner.owner_id, json(object.metadata), json(object.userMetadata), object.version];
}

const INSERT_OBJECT = `insert into storage.objects (id, bucket_id, name, owner, owner_id, metadata, user_metadata, version)
  values ($1::uuid, $2, $3, $4::uuid, $5, $6::jsonb, $7::jsonb, $8)`;

/**
 * A new object row. No RETURNING: like storage-api, an INSERT policy alone is enough
 * (RETURNING would also demand that the caller can SELECT the new row).
 * A key that is taken → KeyAlreadyExists.
 */
export async function insertObject(tx: Tx, object: ObjectWrite): Promise<string> {
  try {
    await tx.unsafe(INSERT_OBJECT, writeParams(object));
  } catch (error) {
    const mapped = toStorageError(error);
    throw mapped.code === 'ResourceAlreadyExists' ? errors.keyAlreadyExists() : mapped;
  }
  return object.id;
}

/** Insert or overwrite (upsert: INSERT, UPDATE and SELECT policies apply). Returns the row's id. */
export async function upsertObject(tx: Tx, object: ObjectWrite): Promise<string> {
  const rows = await tx.unsafe(
    `${INSERT_OBJECT}
     on conflict (bucket_id, name) do update set
       owner = excluded.owner, owner_id = excluded.owner_id, metadata = excluded.metadata,
       user_metadata = excluded.user_metadata, version = excluded.version
     returning id`,
    writeParams(object),
  );
  return (rows[0] as unknown as { id: string }).id;
}

/** Renames (and possibly re-buckets) an object. 0 rows → missing or hidden (UPDATE needs SELECT too). */
export async function renameObject(
  tx: Tx,
  from: { bucket: string; name: string },
  to: { bucket: string; name: string; owner: string | undefined; version: string },
): Promise<ObjectRow | undefined> {
  const owner = ownerColumns(to.owner);
  const rows = await tx.unsafe(
    `update storage.objects set bucket_id = $3, name = $4, owner = $5::uuid, owner_id = $6, version = $7, last_accessed_at = now()
     where bucket_id = $1 and name = $2
     returning ${OBJECT_COLUMNS}`,
    [from.bucket, from.name, to.bucket, to.name, owner.owner, owner.owner_id, to.version],
  );
  return rows[0] as ObjectRow | undefined;
}

/** Deletes the named objects the caller may delete; returns the deleted rows (RETURNING needs SELECT). */
export async function deleteObjects(tx: Tx, bucket: string, names: string[]): Promise<ObjectRow[]> {
  if (names.length === 0) return [];
  const rows = await tx.unsafe(
    `delete from storage.objects where bucket_id = $1 and name = any (select jsonb_array_elements_text($2::jsonb))
     returning ${OBJECT_COLUMNS}`,
    [bucket, JSON.stringify(names)],
  );
  return rows as unknown as ObjectRow[];
}

export async function deleteAllObjects(tx: Tx, bucket: string): Promise<Array<{ name: string }>> {
  const rows = await tx.unsafe('delete from storage.objects where bucket_id = $1 returning name', [bucket]);
  return rows as unknown as Array<{ name: string }>;
}

export interface SearchOptions {
  prefix: string;
  limit: number;
  offset: number;
  search: string;
  sortColumn: string;
  sortOrder: string;
}

export interface SearchEntry {
  name: string;
  id: string | null;
  updated_at: Date | null;
  created_at: Date | null;
  last_accessed_at: Date | null;
  metadata: Record<string, unknown> | null;
}

/** storage.search (stack/db/bootstrap/11_storage_service.sql), evaluated as the caller. */
export async function searchObjects(tx: Tx, bucket: string, options: SearchOptions): Promise<SearchEntry[]> {
  const levels = options.prefix.split('/').length;
  const rows = await tx.unsafe(
    'select name, id, updated_at, created_at, last_accessed_at, metadata from storage.search($1, $2, $3::int, $4::int, $5::int, $6, $7, $8)',
    [options.prefix, bucket, options.limit, levels, options.offset, options.search, options.sortColumn, options.sortOrder],
  );
  return rows as unknown as SearchEntry[];
}
