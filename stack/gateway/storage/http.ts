// The HTTP edge shared by the bucket and object handlers: who is calling, the
// request as the handlers see it, and JSON bodies checked against the shapes
// storage-api's route schemas accept.
import type { GatewayContext } from '../service.ts';
import type { RequestIdentity } from '../transaction.ts';
import { ApiError } from '../rest/errors.ts';
import type { RequestInfo } from './db.ts';
import { errors } from './errors.ts';
import type { FileStore } from './files.ts';

/** What every handler gets. */
export interface StorageDeps {
  context: GatewayContext;
  files: FileStore;
  /** `[storage] file_size_limit` from supabase/config.toml, in bytes. */
  globalSizeLimit: number;
  /** Lifetime of signed upload URLs, seconds (storage-js documents two hours). */
  signedUploadExpiresIn: number;
}

export interface StorageRequest {
  raw: Request;
  method: string;
  url: URL;
  /** For `request.*` settings in the transaction. */
  info: RequestInfo;
}

export function storageRequest(raw: Request): StorageRequest {
  const url = new URL(raw.url);
  const headers: Record<string, string> = {};
  raw.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  const method = raw.method.toUpperCase();
  return { raw, method, url, info: { method, path: url.pathname, headers, operation: '' } };
}

export interface Caller {
  identity: RequestIdentity;
  /** A valid JWT was presented (the anon key counts, as in storage-api). */
  authenticated: boolean;
  /** The JWT subject: the owner of what the caller writes. */
  owner: string | undefined;
}

const ANONYMOUS: Caller = { identity: { role: 'anon', claims: { role: 'anon' } }, authenticated: false, owner: undefined };

function jwtFailureMessage(error: ApiError): string {
  if (error.body.code === 'PGRST303') return 'jwt expired';
  if (/signature/i.test(error.body.message)) return 'invalid signature';
  return 'jwt malformed';
}

/**
 * The caller from `Authorization: Bearer <jwt>`. Storage is not behind the gateway's
 * apikey check: it authenticates requests itself. `required` routes refuse a missing or
 * invalid JWT with storage-api's AccessDenied (HTTP 400, statusCode "403"); `optional`
 * routes (GET/HEAD /object/<bucket>/<key>, GET /object/info/<bucket>/<key>) carry on
 * as an unauthenticated anon caller, who can then reach public buckets only.
 */
export async function authenticate(deps: StorageDeps, request: StorageRequest, mode: 'required' | 'optional'): Promise<Caller> {
  const header = request.raw.headers.get('authorization') ?? '';
  const token = header.replace(/^bearer\s+/i, '').trim();
  if (!token) {
    if (mode === 'optional') return ANONYMOUS;
    throw errors.accessDenied('jwt must be provided');
  }
  try {
    const identity = await deps.context.identify(`Bearer ${token}`);
    const sub = identity.claims.sub;
    return { identity, authenticated: true, owner: typeof sub === 'string' && sub !== '' ? sub : undefined };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (mode === 'optional') return ANONYMOUS;
    throw errors.accessDenied(jwtFailureMessage(error));
  }
}

const MAX_JSON_BYTES = 1024 * 1024;

/** The JSON body (an object), `{}` when there is none. */
export async function readJsonBody(request: StorageRequest): Promise<Record<string, unknown>> {
  const body = request.raw.body;
  if (!body) return {};
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > MAX_JSON_BYTES) throw errors.entityTooLarge();
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw errors.badRequest('Body is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw errors.badRequest('body must be object');
  return value as Record<string, unknown>;
}

// Small validators in the words Fastify's schema validation uses.

export function requiredString(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (value === undefined) throw errors.badRequest(`body must have required property '${key}'`);
  if (typeof value !== 'string') throw errors.badRequest(`body/${key} must be string`);
  return value;
}

export function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw errors.badRequest(`body/${key} must be string`);
  return value;
}

export function optionalInteger(body: Record<string, unknown>, key: string, minimum: number): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw errors.badRequest(`body/${key} must be integer`);
  if (value < minimum) throw errors.badRequest(`body/${key} must be >= ${minimum}`);
  return value;
}

export function stringArray(body: Record<string, unknown>, key: string, options: { required: boolean; minItems?: number }): string[] | undefined {
  const value = body[key];
  if (value === undefined || value === null) {
    if (options.required) throw errors.badRequest(`body must have required property '${key}'`);
    return undefined;
  }
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw errors.badRequest(`body/${key} must be array of strings`);
  if (options.minItems !== undefined && value.length < options.minItems) {
    throw errors.badRequest(`body/${key} must NOT have fewer than ${options.minItems} items`);
  }
  return value as string[];
}
