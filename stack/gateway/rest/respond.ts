// The `respond` layer: status codes, Content-Range, Location, media types and
// error bodies, from what `run` returned. It queries nothing.
import { ApiError, pgrst } from './errors.ts';
import type { ApiRequest, Preferences } from './types.ts';

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array | null;
}

/** What one statement returned: see the final SELECT built by `sql`. */
export interface StatementResult {
  total: number | null;
  pageTotal: number;
  body: string | null;
  responseHeaders: string | null;
  responseStatus: string | null;
  /** Rows written (writes only). */
  affected?: number;
  /** Rows newly inserted by an upsert (writes with a representation only). */
  inserted?: number;
}

const mediaTypes = {
  json: 'application/json; charset=utf-8',
  object: 'application/vnd.pgrst.object+json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  text: 'text/plain; charset=utf-8',
  octet: 'application/octet-stream',
} as const;

export function errorResponse(error: ApiError): HttpResponse {
  // An anonymous caller refused by a grant or policy is told to authenticate.
  const challenge: Record<string, string> = error.status === 401 && error.body.code === '42501' ? { 'www-authenticate': 'Bearer' } : {};
  return {
    status: error.status,
    headers: {
      'content-type': mediaTypes.json,
      'proxy-status': `PostgREST; error=${error.body.code}`,
      ...challenge,
      ...error.headers,
    },
    body: JSON.stringify(error.body),
  };
}

/** The singular-response error, with the exact wording older supabase-js versions look for. */
export function singularError(rows: number): ApiError {
  return pgrst(406, 'PGRST116', 'Cannot coerce the result to a single JSON object', `The result contains ${rows} rows`);
}

/** PostgREST lists applied preferences in this order, whatever order the client sent them in. */
const preferenceOrder: Array<keyof Preferences> = ['resolution', 'missing', 'return', 'count', 'tx', 'handling', 'timezone', 'maxAffected'];

export function preferenceApplied(prefs: Preferences, honoured: Array<keyof Preferences>): string | undefined {
  const parts: string[] = [];
  for (const key of preferenceOrder) {
    if (!honoured.includes(key)) continue;
    const value = prefs[key];
    if (value === undefined || key === 'unrecognised') continue;
    parts.push(key === 'maxAffected' ? `max-affected=${value}` : `${key}=${value}`);
  }
  return parts.length ? parts.join(', ') : undefined;
}

function contentRange(lower: number, rows: number, total: number | null): string {
  const totalText = total === null ? '*' : String(total);
  if (rows === 0 || total === 0) return `*/${totalText}`;
  return `${lower}-${lower + rows - 1}/${totalText}`;
}

/** Status and Content-Range for reads and row-returning RPC, as PostgREST's RangeQuery does. */
export function rangeResult(offset: number, rows: number, total: number | null): { status: number; contentRange: string } {
  const range = contentRange(offset, rows, total);
  if (total === null) return { status: 200, contentRange: range };
  if (offset > total) {
    throw pgrst(416, 'PGRST103', 'Requested range not satisfiable', `An offset of ${offset} was requested, but there are only ${total} rows.`);
  }
  return { status: rows < total ? 206 : 200, contentRange: range };
}

/** Headers and status a function set with set_config('response.headers'/'response.status'). */
export function applyFunctionOverrides(response: HttpResponse, result: StatementResult): HttpResponse {
  if (result.responseHeaders) {
    let list: unknown;
    try {
      list = JSON.parse(result.responseHeaders);
    } catch {
      list = undefined;
    }
    if (!Array.isArray(list)) {
      throw pgrst(500, 'PGRST111', 'response.headers guc must be a JSON array composed of objects with a single key and a string value');
    }
    for (const entry of list) {
      if (!entry || typeof entry !== 'object') continue;
      for (const [name, value] of Object.entries(entry as Record<string, unknown>)) response.headers[name.toLowerCase()] = String(value);
    }
  }
  if (result.responseStatus) {
    const status = Number(result.responseStatus);
    if (!Number.isInteger(status) || status < 100 || status > 599) {
      throw pgrst(500, 'PGRST112', 'response.status guc must be a valid status code');
    }
    response.status = status;
  }
  return response;
}

export function bodyFor(request: ApiRequest, json: string | null): string | Uint8Array | null {
  if (json === null) return null;
  if (request.accept.media === 'octet') return Buffer.from(json, 'base64');
  return json;
}

export function contentTypeFor(request: ApiRequest): string {
  const { media, stripNulls } = request.accept;
  if (stripNulls && media === 'json') return 'application/vnd.pgrst.array+json;nulls=stripped; charset=utf-8';
  if (stripNulls && media === 'object') return 'application/vnd.pgrst.object+json;nulls=stripped; charset=utf-8';
  return mediaTypes[media];
}
