// One REST request from top to bottom: parse → plan → sql → run → respond.
import type { ReservedSql, Sql } from 'postgres';
import { withRequestTransaction, type RequestIdentity, type RoleSettings } from '../transaction.ts';
import { ApiError, fromPostgresError, pgrst } from './errors.ts';
import { parseRequest, type RawRequest } from './parse.ts';
import {
  findRelation,
  planRead,
  planRpc,
  sourceFromRelation,
  writeColumns,
  type Condition,
  type ReadPlan,
} from './plan.ts';
import {
  applyFunctionOverrides,
  bodyFor,
  contentTypeFor,
  errorResponse,
  preferenceApplied,
  rangeResult,
  singularError,
  type HttpResponse,
  type StatementResult,
} from './respond.ts';
import type { Relation, SchemaCache } from './schema-cache.ts';
import {
  minimalWriteStatement,
  plannedCountStatement,
  readStatement,
  rpcStatement,
  writeStatement,
  type BodyOptions,
  type Mutation,
  type SourceSql,
  type Statement,
} from './sql.ts';
import type { ApiRequest, Preferences, ReadParams } from './types.ts';

export interface RestDependencies {
  /** Pool connected as `authenticator`. */
  sql: Sql;
  schemaCache: () => SchemaCache;
  roleSettings: () => RoleSettings;
  exposedSchemas: string[];
  /** Extra schemas on the search path after the target schema (Supabase: public, extensions). */
  extraSearchPath: string[];
  maxRows: number;
  /** Honour `Prefer: tx=rollback` (PostgREST's db-tx-end = commit-allow-override). */
  allowTxOverride: boolean;
}

export async function handleRest(raw: RawRequest, identity: RequestIdentity, deps: RestDependencies): Promise<HttpResponse> {
  try {
    const request = parseRequest(raw, deps.exposedSchemas);
    checkStrictPreferences(request.preferences);
    const response = await route(request, raw, identity, deps);
    if (deps.exposedSchemas.length > 1 && request.target.kind !== 'root') response.headers['content-profile'] = request.schema;
    if (raw.method === 'HEAD') response.body = null;
    return response;
  } catch (error) {
    return errorResponse(toApiError(error, identity.role === 'anon'));
  }
}

function toApiError(error: unknown, isAnon: boolean): ApiError {
  if (error instanceof ApiError) return error;
  const pgError = error as { code?: unknown; message?: unknown; detail?: string; hint?: string; severity?: unknown };
  if (typeof pgError?.code === 'string' && typeof pgError.message === 'string' && pgError.severity !== undefined) {
    return fromPostgresError({ code: pgError.code, message: pgError.message, detail: pgError.detail, hint: pgError.hint }, isAnon);
  }
  console.error('[rest] unexpected error', error);
  return pgrst(500, 'PGRST000', error instanceof Error ? error.message : 'Internal error');
}

function checkStrictPreferences(prefs: Preferences): void {
  if (prefs.handling === 'strict' && prefs.unrecognised.length > 0) {
    throw pgrst(400, 'PGRST122', 'Invalid preferences given with handling=strict', `Invalid preferences: ${prefs.unrecognised.join(', ')}`);
  }
}

async function route(request: ApiRequest, raw: RawRequest, identity: RequestIdentity, deps: RestDependencies): Promise<HttpResponse> {
  const cache = deps.schemaCache();
  switch (request.target.kind) {
    case 'root':
      if (request.method !== 'GET' && request.method !== 'HEAD') throw pgrst(405, 'PGRST117', `Unsupported HTTP method: ${request.method}`);
      return openApi(cache, request.schema);
    case 'rpc':
      return callFunction(request, raw, identity, deps, cache);
    case 'relation': {
      const relation = findRelation(cache, request.schema, request.target.name);
      switch (request.method) {
        case 'GET':
        case 'HEAD':
          return read(request, raw, identity, deps, cache, relation);
        case 'POST':
          return insert(request, raw, identity, deps, cache, relation);
        case 'PUT':
          return put(request, raw, identity, deps, cache, relation);
        case 'PATCH':
          return update(request, raw, identity, deps, cache, relation);
        case 'DELETE':
          return remove(request, raw, identity, deps, cache, relation);
      }
    }
  }
}

// ---------------------------------------------------------------- running statements

function bodyOptions(request: ApiRequest, deps: RestDependencies): BodyOptions {
  return {
    media: request.accept.media,
    stripNulls: request.accept.stripNulls,
    count: request.preferences.count,
    maxRows: deps.maxRows,
  };
}

function toResult(row: Record<string, unknown> | undefined): StatementResult {
  return {
    total: row?.total === null || row?.total === undefined ? null : Number(row.total),
    pageTotal: Number(row?.page_total ?? 0),
    body: (row?.body as string | null | undefined) ?? null,
    responseHeaders: (row?.response_headers as string | null | undefined) || null,
    responseStatus: (row?.response_status as string | null | undefined) || null,
    ...(row && 'inserted' in row ? { inserted: Number(row.inserted) } : {}),
  };
}

async function runStatement(tx: ReservedSql, statement: Statement): Promise<StatementResult> {
  const rows = await tx.unsafe(statement.text, statement.params as never[], { prepare: true });
  return toResult(rows[0] as Record<string, unknown> | undefined);
}

/** planned: the planner's row estimate; estimated: exact up to max_rows, else planned. */
async function applyPlannedCount(tx: ReservedSql, result: StatementResult, count: Preferences['count'], plan: ReadPlan, source: SourceSql, maxRows: number): Promise<void> {
  if (count !== 'planned' && count !== 'estimated') return;
  if (count === 'estimated' && result.total !== null && result.total <= maxRows) return;
  const explain = plannedCountStatement(plan, source);
  const rows = await tx.unsafe(explain.text, explain.params as never[]);
  const planJson = (rows[0] as Record<string, unknown>)['QUERY PLAN'] as Array<{ Plan: { 'Plan Rows': number } }>;
  result.total = planJson[0]?.Plan['Plan Rows'] ?? null;
}

function transaction<T>(
  request: ApiRequest,
  raw: RawRequest,
  identity: RequestIdentity,
  deps: RestDependencies,
  readOnly: boolean,
  work: (tx: ReservedSql) => Promise<T>,
  mustRollback: (result: T) => boolean = () => false,
): Promise<T> {
  const rollbackRequested = deps.allowTxOverride && request.preferences.tx === 'rollback';
  return withRequestTransaction(
    deps.sql,
    {
      ...identity,
      method: raw.method,
      path: `/rest/v1${raw.path}`,
      headers: raw.headers,
      cookies: parseCookies(raw.headers.cookie),
      searchPath: [request.schema, ...deps.extraSearchPath.filter((s) => s !== request.schema)],
      readOnly,
      ...(request.preferences.timezone ? { timezone: request.preferences.timezone } : {}),
    },
    deps.roleSettings(),
    work,
    (result) => rollbackRequested || mustRollback(result),
  );
}

function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) cookies[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return cookies;
}

function honoured(request: ApiRequest, deps: RestDependencies, ...keys: Array<keyof Preferences>): Record<string, string> {
  const list = [...keys];
  if (deps.allowTxOverride) list.push('tx');
  if (request.preferences.timezone) list.push('timezone');
  const applied = preferenceApplied(request.preferences, list);
  return applied ? { 'preference-applied': applied } : {};
}

// ---------------------------------------------------------------- reads

async function read(request: ApiRequest, raw: RawRequest, identity: RequestIdentity, deps: RestDependencies, cache: SchemaCache, relation: Relation): Promise<HttpResponse> {
  const plan = planRead(cache, sourceFromRelation(relation), request.read, deps.maxRows);
  applyHeaderRange(plan, request, deps.maxRows);
  const statement = readStatement(plan, bodyOptions(request, deps));
  const result = await transaction(request, raw, identity, deps, true, async (tx) => {
    const r = await runStatement(tx, statement);
    await applyPlannedCount(tx, r, request.preferences.count, plan, { kind: 'relation' }, deps.maxRows);
    return r;
  });
  return rowsResponse(request, deps, plan.offset ?? 0, result, `/${relation.name}`);
}

function applyHeaderRange(plan: ReadPlan, request: ApiRequest, maxRows: number): void {
  const range = request.headerRange;
  if (!range) return;
  plan.offset = (plan.offset ?? 0) + range.offset;
  if (range.limit !== undefined) plan.limit = Math.min(plan.limit ?? maxRows, range.limit);
}

function rowsResponse(request: ApiRequest, deps: RestDependencies, offset: number, result: StatementResult, location: string): HttpResponse {
  if (request.accept.media === 'object' && result.pageTotal !== 1) throw singularError(result.pageTotal);
  const { status, contentRange } = rangeResult(offset, result.pageTotal, result.total);
  const response: HttpResponse = {
    status,
    headers: {
      'content-type': contentTypeFor(request),
      'content-range': contentRange,
      'content-location': request.canonicalQuery ? `${location}?${request.canonicalQuery}` : location,
      ...honoured(request, deps, 'count'),
    },
    body: bodyFor(request, result.body),
  };
  return applyFunctionOverrides(response, result);
}

// ---------------------------------------------------------------- writes

function bodyRows(request: ApiRequest): unknown[] {
  if (request.body.kind !== 'json') throw pgrst(400, 'PGRST102', 'Empty or invalid json');
  const value = request.body.value;
  const rows = Array.isArray(value) ? value : [value];
  if (rows.some((r) => r === null || typeof r !== 'object' || Array.isArray(r))) throw pgrst(400, 'PGRST102', 'Empty or invalid json');
  return rows;
}

/** Filters of a write: top-level only; embeds cannot be joined into an UPDATE/DELETE. */
function writeConditions(cache: SchemaCache, relation: Relation, request: ApiRequest): Condition[] {
  const plan = planRead(cache, sourceFromRelation(relation), { ...request.read, select: [] }, undefined);
  return plan.where;
}

/** How written rows are returned: shaped by select, embed-scoped filters, order and limit. The top-level
 *  filters chose which rows were written and are not applied again (an update may no longer match them). */
function returnedRead(cache: SchemaCache, relation: Relation, request: ApiRequest, primaryKeyOnly: boolean): ReadPlan {
  const read: ReadParams = {
    ...request.read,
    select: primaryKeyOnly ? relation.primaryKey.map((name) => ({ kind: 'field' as const, field: { name, jsonPath: [] } })) : request.read.select,
    filters: request.read.filters.filter((f) => f.path.length > 0),
    logic: request.read.logic.filter((l) => l.path.length > 0),
  };
  return planRead(cache, sourceFromRelation(relation), read, undefined);
}

interface WriteOutcome {
  result: StatementResult;
  violation?: ApiError;
}

async function runWrite(
  request: ApiRequest,
  raw: RawRequest,
  identity: RequestIdentity,
  deps: RestDependencies,
  cache: SchemaCache,
  relation: Relation,
  mutation: Mutation,
): Promise<{ result: StatementResult; representation: boolean; headersOnly: boolean }> {
  const prefs = request.preferences;
  const representation = prefs.return === 'representation';
  const headersOnly = prefs.return === 'headers-only';
  const needsRows = representation || headersOnly || request.accept.media === 'object';
  const statement = needsRows
    ? writeStatement(mutation, returnedRead(cache, relation, request, headersOnly && !representation), bodyOptions(request, deps))
    : minimalWriteStatement(mutation);

  const outcome = await transaction<WriteOutcome>(
    request,
    raw,
    identity,
    deps,
    false,
    async (tx) => {
      let result: StatementResult;
      if (needsRows) {
        result = await runStatement(tx, statement);
        result.affected = result.total ?? 0;
        result.total = null;
      } else {
        const rows = await tx.unsafe(statement.text, statement.params as never[], { prepare: true });
        result = { total: null, pageTotal: 0, body: null, responseHeaders: null, responseStatus: null, affected: rows.count };
      }
      if (prefs.handling === 'strict' && prefs.maxAffected !== undefined && (result.affected ?? 0) > prefs.maxAffected) {
        return { result, violation: pgrst(400, 'PGRST124', 'Query result exceeds max-affected preference constraint', `The query affects ${result.affected} rows`) };
      }
      if (request.accept.media === 'object' && (result.affected ?? 0) !== 1) return { result, violation: singularError(result.affected ?? 0) };
      return { result };
    },
    (outcome) => outcome.violation !== undefined,
  );
  if (outcome.violation) throw outcome.violation;
  return { result: outcome.result, representation, headersOnly };
}

async function insert(request: ApiRequest, raw: RawRequest, identity: RequestIdentity, deps: RestDependencies, cache: SchemaCache, relation: Relation): Promise<HttpResponse> {
  const rows = bodyRows(request);
  const columns = writeColumns(relation, request);
  const prefs = request.preferences;
  let onConflict: { columns: string[]; action: 'merge' | 'ignore' } | undefined;
  if (prefs.resolution) {
    const target = request.onConflict ?? relation.primaryKey;
    for (const name of target) if (!relation.columns.has(name)) throw pgrst(400, 'PGRST204', `Could not find the '${name}' column of '${relation.name}' in the schema cache`);
    onConflict = { columns: target, action: prefs.resolution === 'merge-duplicates' ? 'merge' : 'ignore' };
  }
  const mutation: Mutation = {
    kind: 'insert',
    shape: { schema: relation.schema, table: relation.name, columns, missingDefault: prefs.missing === 'default', rows, ...(onConflict ? { onConflict } : {}) },
  };
  const { result, representation, headersOnly } = await runWrite(request, raw, identity, deps, cache, relation, mutation);
  const headers: Record<string, string> = {
    'content-range': `*/${prefs.count === 'exact' ? result.affected : '*'}`,
    ...honoured(request, deps, 'return', 'count', 'resolution', 'missing', 'handling', 'maxAffected'),
  };
  if (headersOnly && result.body) {
    const first = (JSON.parse(result.body) as Array<Record<string, unknown>>)[0];
    if (first && relation.primaryKey.length > 0) {
      headers.location = `/${relation.name}?${relation.primaryKey.map((k) => `${k}=eq.${encodeURIComponent(String(first[k]))}`).join('&')}`;
    }
  }
  const status = prefs.resolution === 'merge-duplicates' && representation && result.inserted === 0 && (result.affected ?? 0) > 0 ? 200 : 201;
  if (representation) {
    headers['content-type'] = contentTypeFor(request);
    return { status, headers, body: bodyFor(request, result.body) };
  }
  return { status: 201, headers, body: null };
}

async function put(request: ApiRequest, raw: RawRequest, identity: RequestIdentity, deps: RestDependencies, cache: SchemaCache, relation: Relation): Promise<HttpResponse> {
  // PUT upserts one row identified by filters on every primary key column, with the same values in the body.
  const rows = bodyRows(request);
  const pk = relation.primaryKey;
  const eqFilters = request.read.filters.filter((f) => f.path.length === 0);
  const byColumn = new Map(eqFilters.map((f) => [f.filter.field.name, f.filter]));
  const filtersMatchPk =
    pk.length > 0 &&
    eqFilters.length === pk.length &&
    pk.every((k) => {
      const f = byColumn.get(k);
      return f && !f.negated && f.operation.kind === 'simple' && f.operation.op === 'eq';
    });
  if (!filtersMatchPk || request.read.logic.length > 0 || request.read.ranges.some((r) => r.limit !== undefined || r.offset !== undefined)) {
    throw pgrst(405, 'PGRST105', 'Filters must include all and only primary key columns with \'eq\' operators');
  }
  const row = rows[0] as Record<string, unknown>;
  if (rows.length !== 1 || pk.some((k) => String(row[k]) !== (byColumn.get(k)!.operation as { value: string }).value)) {
    throw pgrst(400, 'PGRST115', 'Payload values do not match URL in primary key column(s)');
  }
  const columns = writeColumns(relation, request);
  const mutation: Mutation = {
    kind: 'insert',
    shape: { schema: relation.schema, table: relation.name, columns, missingDefault: false, rows, onConflict: { columns: pk, action: 'merge' } },
  };
  const { result, representation } = await runWrite(request, raw, identity, deps, cache, relation, mutation);
  if (representation) {
    // 201 when the row was created, 200 when an existing row was replaced.
    const status = (result.inserted ?? 0) > 0 ? 201 : 200;
    return { status, headers: { 'content-type': contentTypeFor(request), ...honoured(request, deps, 'return') }, body: bodyFor(request, result.body) };
  }
  return { status: 204, headers: honoured(request, deps, 'return'), body: null };
}

function requireWhere(request: ApiRequest, verb: 'UPDATE' | 'DELETE'): void {
  // pg-safeupdate, loaded for `authenticator` on Supabase: no filterless UPDATE/DELETE.
  const hasFilter = request.read.filters.some((f) => f.path.length === 0) || request.read.logic.some((l) => l.path.length === 0);
  if (!hasFilter) throw new ApiError(400, { code: '21000', message: `${verb} requires a WHERE clause`, details: null, hint: null });
}

async function update(request: ApiRequest, raw: RawRequest, identity: RequestIdentity, deps: RestDependencies, cache: SchemaCache, relation: Relation): Promise<HttpResponse> {
  const rows = bodyRows(request);
  if (rows.length !== 1) throw pgrst(400, 'PGRST102', 'Empty or invalid json');
  requireWhere(request, 'UPDATE');
  const values = rows[0] as Record<string, unknown>;
  const columns = writeColumns(relation, request);
  if (columns.length === 0) {
    // Nothing to change: PostgREST answers as if no row matched.
    const empty = request.preferences.return === 'representation';
    return { status: empty ? 200 : 204, headers: { 'content-range': '*/*', ...(empty ? { 'content-type': contentTypeFor(request) } : {}) }, body: empty ? '[]' : null };
  }
  const where = writeConditions(cache, relation, request);
  const mutation: Mutation = {
    kind: 'update',
    shape: { schema: relation.schema, table: relation.name, columns, missingDefault: request.preferences.missing === 'default', values, where },
  };
  const { result, representation } = await runWrite(request, raw, identity, deps, cache, relation, mutation);
  const affected = result.affected ?? 0;
  const total = request.preferences.count === 'exact' ? String(affected) : '*';
  const headers: Record<string, string> = {
    'content-range': affected > 0 ? `0-${affected - 1}/${total}` : `*/${total}`,
    ...honoured(request, deps, 'return', 'count', 'missing', 'handling', 'maxAffected'),
  };
  if (representation) {
    headers['content-type'] = contentTypeFor(request);
    return { status: 200, headers, body: bodyFor(request, result.body) };
  }
  return { status: 204, headers, body: null };
}

async function remove(request: ApiRequest, raw: RawRequest, identity: RequestIdentity, deps: RestDependencies, cache: SchemaCache, relation: Relation): Promise<HttpResponse> {
  requireWhere(request, 'DELETE');
  const where = writeConditions(cache, relation, request);
  const mutation: Mutation = { kind: 'delete', shape: { schema: relation.schema, table: relation.name, where } };
  const { result, representation } = await runWrite(request, raw, identity, deps, cache, relation, mutation);
  const headers: Record<string, string> = {
    'content-range': `*/${request.preferences.count === 'exact' ? result.affected : '*'}`,
    ...honoured(request, deps, 'return', 'count', 'handling', 'maxAffected'),
  };
  if (representation) {
    headers['content-type'] = contentTypeFor(request);
    return { status: 200, headers, body: bodyFor(request, result.body) };
  }
  return { status: 204, headers, body: null };
}

// ---------------------------------------------------------------- RPC

async function callFunction(request: ApiRequest, raw: RawRequest, identity: RequestIdentity, deps: RestDependencies, cache: SchemaCache): Promise<HttpResponse> {
  const rpc = planRpc(cache, request, deps.maxRows);
  if (rpc.read) applyHeaderRange(rpc.read, request, deps.maxRows);
  const isRead = request.method === 'GET' || request.method === 'HEAD';
  const readOnly = isRead || rpc.fn.volatility !== 'volatile';
  const options = bodyOptions(request, deps);
  const statement = rpcStatement(rpc, options);
  const result = await transaction(request, raw, identity, deps, readOnly, async (tx) => {
    const r = await runStatement(tx, statement);
    return r;
  });

  if (rpc.fn.returnsVoid) {
    return applyFunctionOverrides({ status: 204, headers: honoured(request, deps), body: null }, result);
  }
  if (rpc.read && rpc.fn.returnsSet) return rowsResponse(request, deps, rpc.read.offset ?? 0, result, `/rpc/${rpc.fn.name}`);
  if (rpc.fn.returnsSet) {
    const { status, contentRange } = rangeResult(0, result.pageTotal, result.total);
    return applyFunctionOverrides(
      { status, headers: { 'content-type': contentTypeFor(request), 'content-range': contentRange, ...honoured(request, deps, 'count') }, body: bodyFor(request, result.body) },
      result,
    );
  }
  // A single value or a single composite row.
  const media = request.accept.media === 'json' || request.accept.media === 'object' ? 'application/json; charset=utf-8' : contentTypeFor(request);
  return applyFunctionOverrides(
    { status: 200, headers: { 'content-type': media, 'content-range': '0-0/*', ...honoured(request, deps) }, body: bodyFor(request, result.body) },
    result,
  );
}

// ---------------------------------------------------------------- OpenAPI

function openApi(cache: SchemaCache, schema: string): HttpResponse {
  const paths: Record<string, unknown> = { '/': { get: { summary: 'OpenAPI description (this document)' } } };
  for (const name of cache.relationNames(schema).sort()) {
    const relation = cache.relation(schema, name)!;
    paths[`/${name}`] = {
      get: { tags: [name], parameters: relation.columnOrder.map((c) => ({ name: c, in: 'query', type: 'string', required: false })) },
    };
  }
  for (const name of [...new Set(cache.functionNames(schema))].sort()) paths[`/rpc/${name}`] = { post: { tags: ['(rpc) ' + name] } };
  const doc = { swagger: '2.0', info: { title: 'Local PostgREST-compatible API', version: '1' }, basePath: '/', schemes: ['http'], consumes: ['application/json'], produces: ['application/json'], paths };
  return { status: 200, headers: { 'content-type': 'application/openapi+json; charset=utf-8' }, body: JSON.stringify(doc) };
}
