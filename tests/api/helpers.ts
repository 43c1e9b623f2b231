// Shared helpers for the REST conformance suite: raw HTTP against /rest/v1 with
// exact control over headers, JWT minting for two users, and a superuser SQL
// connection for verifying side effects (rollbacks, row counts).
import { inject } from 'vitest';
import postgres from 'postgres';
import { signJwt } from '../../stack/jwt.ts';
import type { TestStack } from '../setup/stack-env.ts';

export const stack: TestStack = inject('stack');

export const SCHEMA = 'conformance';
export const EXPOSED_SCHEMAS = 'public, graphql_public, conformance';

export const ALICE = '11111111-1111-4111-8111-111111111111';
export const BOB = '22222222-2222-4222-8222-222222222222';

export async function userJwt(sub: string, extra: Record<string, unknown> = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return signJwt({ sub, role: 'authenticated', aud: 'authenticated', exp: now + 3600, ...extra }, stack.jwtSecret);
}

export type Who = 'anon' | 'service' | 'none' | { token: string };

export interface RestOptions {
  method?: string;
  /** Which credentials: anon key (default), service-role key, none at all, or a given bearer token. */
  as?: Who;
  headers?: Record<string, string>;
  /** Objects/arrays are JSON-encoded with Content-Type application/json; strings and bytes are sent raw. */
  body?: unknown;
  /** Profile header schema; defaults to `conformance`; `null` sends no profile header. */
  profile?: string | null;
}

export interface RestResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  json: unknown;
}

export async function rest(path: string, options: RestOptions = {}): Promise<RestResponse> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = {};
  const who = options.as ?? 'anon';
  if (who === 'anon') {
    headers.apikey = stack.anonKey;
    headers.Authorization = `Bearer ${stack.anonKey}`;
  } else if (who === 'service') {
    headers.apikey = stack.serviceRoleKey;
    headers.Authorization = `Bearer ${stack.serviceRoleKey}`;
  } else if (who !== 'none') {
    headers.apikey = stack.anonKey;
    headers.Authorization = `Bearer ${who.token}`;
  }
  const profile = options.profile === undefined ? SCHEMA : options.profile;
  if (profile !== null) {
    if (method === 'GET' || method === 'HEAD') headers['Accept-Profile'] = profile;
    else headers['Content-Profile'] = profile;
  }
  let body: string | Uint8Array<ArrayBuffer> | undefined;
  if (options.body !== undefined) {
    if (typeof options.body === 'string') {
      body = options.body;
    } else if (options.body instanceof Uint8Array) {
      body = new Uint8Array(options.body);
    } else {
      body = JSON.stringify(options.body);
      headers['Content-Type'] = 'application/json';
    }
  }
  Object.assign(headers, options.headers ?? {});
  const response = await fetch(`${stack.apiUrl}/rest/v1/${path.replace(/^\//, '')}`, { method, headers, body });
  const text = await response.text();
  let json: unknown;
  if (text.length > 0) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** PostgREST's error body. */
export function err(code: string, message: string, details: unknown = null, hint: unknown = null) {
  return { code, message, details, hint };
}

let sqlClient: ReturnType<typeof postgres> | undefined;

/** Superuser connection to the test database (verification only). */
export function db(): ReturnType<typeof postgres> {
  sqlClient ??= postgres(stack.dbUrl, { max: 2, onnotice: () => {} });
  return sqlClient;
}

export async function closeDb(): Promise<void> {
  if (sqlClient) await sqlClient.end({ timeout: 5 });
  sqlClient = undefined;
}

export async function countRows(table: string): Promise<number> {
  const rows = await db().unsafe(`select count(*)::int as n from conformance.${table}`);
  return (rows[0] as unknown as { n: number }).n;
}

export function ids(json: unknown): number[] {
  return (json as Array<{ id: number }>).map((r) => r.id);
}
