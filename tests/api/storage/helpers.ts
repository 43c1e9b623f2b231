// Shared helpers for the Storage suite (tests/api/storage): supabase-js clients
// for several callers, raw HTTP for exact contract checks, a superuser SQL
// connection, and the stack's bytes on disk (`<dataDir>/storage/<bucket>/…`) to
// prove what was, or was not, stored.
import fs from 'node:fs/promises';
import path from 'node:path';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import postgres from 'postgres';
import { inject } from 'vitest';
import { signJwt } from '../../../stack/jwt.ts';
import type { TestStack } from '../../setup/stack-env.ts';

export const stack: TestStack = inject('stack');

/** Realtime is out of scope and supabase-js refuses Node 20 without a WebSocket transport. */
class NoRealtime {
  constructor() {
    throw new Error('realtime is not used by the storage tests');
  }
}

export async function userJwt(sub: string, extra: Record<string, unknown> = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return signJwt({ sub, role: 'authenticated', aud: 'authenticated', exp: now + 3600, ...extra }, stack.jwtSecret);
}

/** A supabase-js client sending `token` as its bearer (the anon key when omitted). */
export function client(token?: string): SupabaseClient {
  return createClient(stack.apiUrl, stack.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: NoRealtime as never },
    ...(token ? { global: { headers: { Authorization: `Bearer ${token}` } } } : {}),
  });
}

export function serviceClient(): SupabaseClient {
  return createClient(stack.apiUrl, stack.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: NoRealtime as never },
  });
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

/** Raw HTTP under /storage/v1 with exact control over headers. */
export async function storageFetch(pathAndQuery: string, init: RequestInit = {}): Promise<RawResponse> {
  const response = await fetch(`${stack.apiUrl}/storage/v1${pathAndQuery}`, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

/** storage-api's error body. */
export function storageError(statusCode: string, code: string, error: string, message: string) {
  return { statusCode, code, error, message };
}

let sqlClient: postgres.Sql | undefined;

/** Superuser connection to the test database (setup and verification only). */
export function db(): postgres.Sql {
  sqlClient ??= postgres(stack.dbUrl, { max: 2, onnotice: () => {} });
  return sqlClient;
}

export async function closeDb(): Promise<void> {
  if (sqlClient) await sqlClient.end({ timeout: 5 });
  sqlClient = undefined;
}

let dataDirCache: string | undefined;

/** The stack's data directory: Postgres keeps its cluster in `<dataDir>/pgdata`. */
export async function dataDir(): Promise<string> {
  if (!dataDirCache) {
    const [row] = await db()<{ dir: string }[]>`select current_setting('data_directory') as dir`;
    dataDirCache = path.dirname(row!.dir);
  }
  return dataDirCache;
}

export async function bucketDir(bucket: string): Promise<string> {
  return path.join(await dataDir(), 'storage', bucket);
}

/** Every regular file under the bucket's directory, as keys relative to it (sorted). */
export async function filesOnDisk(bucket: string): Promise<string[]> {
  const dir = await bucketDir(bucket);
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

export async function readOnDisk(bucket: string, key: string): Promise<Buffer | undefined> {
  return fs.readFile(path.join(await bucketDir(bucket), key)).catch(() => undefined);
}

/** Sizes of the files in the service's temp directory (uploads in flight, files moved aside). */
export async function tempFileSizes(): Promise<number[]> {
  const dir = path.join(await dataDir(), 'storage-tmp');
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const sizes = await Promise.all(names.map((name) => fs.stat(path.join(dir, name)).then((s) => s.size).catch(() => -1)));
  return sizes.filter((size) => size >= 0);
}

export interface ObjectRowSummary {
  name: string;
  owner: string | null;
  owner_id: string | null;
  metadata: Record<string, unknown> | null;
  user_metadata: Record<string, unknown> | null;
}

/** storage.objects rows of a bucket, read as superuser (sorted by name). */
export async function objectRows(bucket: string): Promise<ObjectRowSummary[]> {
  return db()<ObjectRowSummary[]>`
    select name, owner::text as owner, owner_id, metadata, user_metadata
    from storage.objects where bucket_id = ${bucket} order by name`;
}

export async function objectNames(bucket: string): Promise<string[]> {
  return (await objectRows(bucket)).map((row) => row.name);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A fresh bucket created as superuser (dropping any leftovers of a previous run in the same stack). */
export async function recreateBucket(
  id: string,
  options: { public?: boolean; fileSizeLimit?: number | null; allowedMimeTypes?: string[] | null } = {},
): Promise<void> {
  const sql = db();
  await sql`delete from storage.objects where bucket_id = ${id}`;
  await sql`delete from storage.buckets where id = ${id}`;
  await fs.rm(await bucketDir(id), { recursive: true, force: true });
  await sql`
    insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
    values (${id}, ${id}, ${options.public ?? false}, ${options.fileSizeLimit ?? null}, ${options.allowedMimeTypes ?? null})`;
}
