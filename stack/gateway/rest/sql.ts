// The `sql` layer: a plan becomes one parameterised statement. Identifiers come
// from the catalog and are always quoted; values are always bound parameters.
// JSON is built by Postgres (json_agg over subqueries, embeds as lateral joins)
// so the output matches PostgREST's byte for byte in types and formats.
import type { Column } from './schema-cache.ts';
import type { ColumnRef, Condition, EmbedPlan, PlannedOrder, PlannedSelect, ReadPlan, RowSource, RpcPlan } from './plan.ts';
import type { Operation } from './types.ts';

export interface Statement {
  text: string;
  params: unknown[];
}

/** Output options of the final aggregate. */
export interface BodyOptions {
  media: 'json' | 'object' | 'csv' | 'text' | 'octet';
  stripNulls: boolean;
  count?: 'exact' | 'planned' | 'estimated' | undefined;
  maxRows: number;
}

export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function qualified(schema: string, name: string): string {
  return `${ident(schema)}.${ident(name)}`;
}

class Builder {
  readonly params: unknown[] = [];
  private aliasCount = 0;

  bind(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  alias(): string {
    return `pgrst_${this.aliasCount++}`;
  }
}

// ---------------------------------------------------------------- expressions

function columnExpr(b: Builder, alias: string, ref: ColumnRef): string {
  let expr = `${alias}.${ident(ref.column.name)}`;
  for (const step of ref.jsonPath) {
    expr += typeof step.key === 'number' ? `${step.op}${b.bind(step.key)}::int` : `${step.op}${b.bind(step.key)}::text`;
  }
  return expr;
}

const simpleOperators: Record<string, string> = {
  eq: '=',
  neq: '<>',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
  like: 'LIKE',
  ilike: 'ILIKE',
  match: '~',
  imatch: '~*',
  isdistinct: 'IS DISTINCT FROM',
  cs: '@>',
  cd: '<@',
  ov: '&&',
  sl: '<<',
  sr: '>>',
  nxr: '&<',
  nxl: '&>',
  adj: '-|-',
};

const ftsFunctions: Record<string, string> = {
  fts: 'to_tsquery',
  plfts: 'plainto_tsquery',
  phfts: 'phraseto_tsquery',
  wfts: 'websearch_to_tsquery',
};

/** A Postgres array literal from list elements, each quoted, so one parameter carries the whole list. */
export function arrayLiteral(values: string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

function operationSql(b: Builder, expr: string, column: Column, jsonPathUsed: boolean, operation: Operation): string {
  switch (operation.kind) {
    case 'simple':
      return `${expr} ${simpleOperators[operation.op]} ${b.bind(operation.value)}`;
    case 'quantified':
      return `${expr} ${simpleOperators[operation.op]} ${operation.quantifier.toUpperCase()}(${b.bind(arrayLiteral(operation.values))})`;
    case 'in':
      return `${expr} = ANY(${b.bind(arrayLiteral(operation.values))})`;
    case 'is':
      return `${expr} IS ${operation.value === 'not_null' ? 'NOT NULL' : operation.value.toUpperCase()}`;
    case 'fts': {
      const config = operation.config !== undefined ? `${b.bind(operation.config)}::regconfig, ` : '';
      const vector = column.isTsvector && !jsonPathUsed ? expr : `to_tsvector(${config}${expr})`;
      return `${vector} @@ ${ftsFunctions[operation.op]}(${config}${b.bind(operation.value)})`;
    }
  }
}

function conditionSql(b: Builder, alias: string, condition: Condition, embedAliases: Map<EmbedPlan, string>): string {
  switch (condition.kind) {
    case 'filter': {
      const expr = columnExpr(b, alias, condition.ref);
      const sql = operationSql(b, expr, condition.ref.column, condition.ref.jsonPath.length > 0, condition.operation);
      return condition.negated ? `NOT (${sql})` : sql;
    }
    case 'embedPresence': {
      const embedAlias = embedAliases.get(condition.embed);
      if (!embedAlias) throw new Error('embed used in a condition was not joined');
      return `${embedAlias}.pgrst_found ${condition.present ? 'IS TRUE' : 'IS NOT TRUE'}`;
    }
    case 'and':
    case 'or': {
      const parts = condition.children.map((c) => conditionSql(b, alias, c, embedAliases));
      const joined = parts.length === 0 ? (condition.kind === 'and' ? 'TRUE' : 'FALSE') : `(${parts.join(condition.kind === 'and' ? ' AND ' : ' OR ')})`;
      return condition.negated ? `NOT ${joined}` : joined;
    }
  }
}

// ---------------------------------------------------------------- reads

interface RenderedRead {
  /** SELECT list, FROM with laterals, WHERE, ORDER BY, LIMIT/OFFSET. */
  selectList: string;
  from: string;
  where: string;
  tail: string;
}

/** How a read's rows come to be: a relation, a CTE of written rows, or a function call. */
export type SourceSql = { kind: 'relation' } | { kind: 'sql'; text: string };

function sourceFrom(source: RowSource, sourceSql: SourceSql, alias: string): string {
  return sourceSql.kind === 'relation' ? `${qualified(source.schema, source.name)} AS ${alias}` : `${sourceSql.text} AS ${alias}`;
}

function orderSql(b: Builder, alias: string, order: PlannedOrder): string {
  let expr: string;
  if (order.via) {
    const inner = b.alias();
    const join = order.via.relationship.pairs.map(([s, t]) => `${inner}.${ident(t)} = ${alias}.${ident(s)}`).join(' AND ');
    expr = `(SELECT ${columnExpr(b, inner, order.ref)} FROM ${qualified(order.via.target.schema, order.via.target.name)} AS ${inner} WHERE ${join} LIMIT 1)`;
  } else {
    expr = columnExpr(b, alias, order.ref);
  }
  const direction = order.direction ? ` ${order.direction.toUpperCase()}` : '';
  const nulls = order.nulls ? ` NULLS ${order.nulls.toUpperCase()}` : '';
  return `${expr}${direction}${nulls}`;
}

function renderRead(b: Builder, plan: ReadPlan, alias: string, sourceSql: SourceSql, joinCondition?: (childAlias: string) => { join: string; where: string }): RenderedRead {
  const embedAliases = new Map<EmbedPlan, string>();
  const laterals: string[] = [];
  for (const embed of plan.embeds) {
    const embedAlias = b.alias();
    embedAliases.set(embed, embedAlias);
    laterals.push(`LEFT JOIN LATERAL (${renderEmbed(b, embed, alias)}) AS ${embedAlias} ON TRUE`);
  }

  const columns = plan.select.flatMap((item) => selectSql(b, alias, item, embedAliases));
  const link = joinCondition?.(alias);
  const from = [sourceFrom(plan.source, sourceSql, alias), link?.join ?? '', ...laterals].filter(Boolean).join(' ');
  const conditions = [link?.where, ...plan.where.map((c) => conditionSql(b, alias, c, embedAliases))].filter((c): c is string => !!c);
  const where = conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
  const order = plan.order.length ? ` ORDER BY ${plan.order.map((o) => orderSql(b, alias, o)).join(', ')}` : '';
  const limit = plan.limit !== undefined ? ` LIMIT ${b.bind(plan.limit)}::bigint` : '';
  const offset = plan.offset ? ` OFFSET ${b.bind(plan.offset)}::bigint` : '';
  return { selectList: columns.join(', '), from, where, tail: `${order}${limit}${offset}` };
}

function selectSql(b: Builder, alias: string, item: PlannedSelect, embedAliases: Map<EmbedPlan, string>): string[] {
  if (item.kind === 'column') {
    const expr = columnExpr(b, alias, item.ref);
    // The cast applies to the whole JSON path, not to its last key.
    return [`${item.cast ? `CAST(${expr} AS ${item.cast})` : expr} AS ${ident(item.outputName)}`];
  }
  const embed = item.embed;
  const embedAlias = embedAliases.get(embed)!;
  if (embed.hidden) return [];
  if (embed.spread) {
    return outputNames(embed.plan).map((name) =>
      embed.toOne ? `${embedAlias}.${ident(name)} AS ${ident(name)}` : `COALESCE(${embedAlias}.${ident(name)}, '[]') AS ${ident(name)}`,
    );
  }
  return [embed.toOne ? `${embedAlias}.pgrst_body AS ${ident(embed.outputName)}` : `COALESCE(${embedAlias}.pgrst_body, '[]') AS ${ident(embed.outputName)}`];
}

function outputNames(plan: ReadPlan): string[] {
  return plan.select.flatMap((item) => {
    if (item.kind === 'column') return [item.outputName];
    if (item.embed.hidden) return [];
    return item.embed.spread ? outputNames(item.embed.plan) : [item.embed.outputName];
  });
}

/** The lateral subquery that yields one embed's JSON (or spread columns) for one parent row. */
function renderEmbed(b: Builder, embed: EmbedPlan, parentAlias: string): string {
  const childAlias = b.alias();
  const r = embed.relationship;
  const link = (alias: string) => {
    if (r.junction) {
      const j = r.junction;
      const junctionAlias = b.alias();
      return {
        join: `INNER JOIN ${qualified(j.table.schema, j.table.name)} AS ${junctionAlias} ON ${j.targetPairs
          .map(([jc, tc]) => `${junctionAlias}.${ident(jc)} = ${alias}.${ident(tc)}`)
          .join(' AND ')}`,
        where: j.sourcePairs.map(([sc, jc]) => `${junctionAlias}.${ident(jc)} = ${parentAlias}.${ident(sc)}`).join(' AND '),
      };
    }
    return { join: '', where: r.pairs.map(([sc, tc]) => `${alias}.${ident(tc)} = ${parentAlias}.${ident(sc)}`).join(' AND ') };
  };
  const read = renderRead(b, embed.plan, childAlias, { kind: 'relation' }, link);
  const rows = `(SELECT ${read.selectList} FROM ${read.from}${read.where}${read.tail}) AS pgrst_rows`;
  if (embed.spread) {
    const names = outputNames(embed.plan);
    if (embed.toOne) return `SELECT pgrst_rows.*, TRUE AS pgrst_found FROM ${rows}`;
    return `SELECT ${[...names.map((n) => `json_agg(pgrst_rows.${ident(n)}) AS ${ident(n)}`), 'count(*) > 0 AS pgrst_found'].join(', ')} FROM ${rows}`;
  }
  if (embed.toOne) return `SELECT row_to_json(pgrst_rows.*) AS pgrst_body, TRUE AS pgrst_found FROM ${rows}`;
  return `SELECT json_agg(pgrst_rows.*) AS pgrst_body, count(*) > 0 AS pgrst_found FROM ${rows}`;
}

// ---------------------------------------------------------------- statements

/** The final aggregate: total (when counted), page size, body, and response.* settings set by functions. */
function finalSelect(b: Builder, options: BodyOptions, totalSql: string, columns: string[], extraColumns = ''): string {
  let body: string;
  if (options.media === 'csv') {
    // As PostgREST: a header line of the column names, then each row's record text without its parentheses.
    const header = b.bind(columns.join(','));
    body = `${header}::text || coalesce(E'\n' || string_agg(substring(pgrst_t::text, 2, length(pgrst_t::text) - 2), E'\n'), '')`;
  } else {
    let agg = 'json_agg(pgrst_t)';
    if (options.stripNulls) agg = `json_strip_nulls(${agg})`;
    body = options.media === 'object' ? `coalesce((${agg})->0, 'null')::text` : `coalesce(${agg}, '[]')::text`;
  }
  return `SELECT ${totalSql} AS total, pg_catalog.count(pgrst_t) AS page_total, ${body} AS body, current_setting('response.headers', true) AS response_headers, current_setting('response.status', true) AS response_status${extraColumns} FROM pgrst_source AS pgrst_t`;
}

function countSql(b: Builder, plan: ReadPlan, sourceSql: SourceSql, options: BodyOptions): string {
  if (!options.count) return 'NULL::bigint';
  // Counting ignores limit/offset and embeds, but keeps embeds that filter parents.
  const counted: ReadPlan = { ...plan, select: [], order: [], limit: undefined, offset: undefined, embeds: plan.embeds.filter((e) => e.usedInWhere) };
  const r = renderRead(b, counted, b.alias(), sourceSql);
  if (options.count === 'exact') return `(SELECT pg_catalog.count(*) FROM ${r.from}${r.where})`;
  // planned / estimated are filled in by the runner from EXPLAIN; here an exact count capped at max_rows + 1.
  return `(SELECT pg_catalog.count(*) FROM (SELECT 1 FROM ${r.from}${r.where} LIMIT ${b.bind(options.maxRows + 1)}::bigint) AS pgrst_capped)`;
}

export function readStatement(plan: ReadPlan, options: BodyOptions, sourceSql: SourceSql = { kind: 'relation' }, prelude = ''): Statement {
  const b = new Builder();
  return { text: readText(b, plan, options, sourceSql, prelude), params: b.params };
}

function readText(b: Builder, plan: ReadPlan, options: BodyOptions, sourceSql: SourceSql, prelude: string): string {
  const r = renderRead(b, plan, b.alias(), sourceSql);
  const total = countSql(b, plan, sourceSql, options);
  return `WITH ${prelude}pgrst_source AS (SELECT ${r.selectList} FROM ${r.from}${r.where}${r.tail}) ${finalSelect(b, options, total, outputNames(plan))}`;
}

/** EXPLAIN of the read without limit, for `count=planned|estimated`. */
export function plannedCountStatement(plan: ReadPlan, sourceSql: SourceSql = { kind: 'relation' }): Statement {
  const b = new Builder();
  const counted: ReadPlan = { ...plan, select: [], order: [], limit: undefined, offset: undefined, embeds: plan.embeds.filter((e) => e.usedInWhere) };
  const r = renderRead(b, counted, b.alias(), sourceSql);
  return { text: `EXPLAIN (FORMAT JSON) SELECT 1 FROM ${r.from}${r.where}`, params: b.params };
}

export interface WriteShape {
  schema: string;
  table: string;
  /** Columns written, in order. */
  columns: Column[];
  /** Absent keys take the column default instead of NULL. */
  missingDefault: boolean;
}

export interface InsertShape extends WriteShape {
  rows: unknown[];
  onConflict?: { columns: string[]; action: 'merge' | 'ignore' };
}

function insertSql(b: Builder, shape: InsertShape, returning: boolean): string {
  const target = `${qualified(shape.schema, shape.table)} AS pgrst_target`;
  const rowsParam = b.bind(JSON.stringify(shape.rows));
  const columnList = shape.columns.map((c) => ident(c.name)).join(', ');
  const values = shape.columns
    .map((c) =>
      shape.missingDefault
        ? `CASE WHEN pgrst_elem.value ? ${b.bind(c.name)}::text THEN pgrst_body.${ident(c.name)} ELSE ${c.defaultExpr ?? 'NULL'} END`
        : `pgrst_body.${ident(c.name)}`,
    )
    .join(', ');
  // No keys at all (`{}`): insert rows of defaults — a column list may not be empty.
  const into = shape.columns.length > 0 ? `${target} (${columnList})` : target;
  let text = `INSERT INTO ${into} SELECT ${values} FROM jsonb_array_elements(${rowsParam}::jsonb) WITH ORDINALITY AS pgrst_elem(value, ordinality) CROSS JOIN LATERAL jsonb_populate_record(NULL::${qualified(shape.schema, shape.table)}, pgrst_elem.value) AS pgrst_body ORDER BY pgrst_elem.ordinality`;
  if (shape.onConflict) {
    const target = `(${shape.onConflict.columns.map(ident).join(', ')})`;
    const updates = shape.columns.map((c) => `${ident(c.name)} = EXCLUDED.${ident(c.name)}`);
    text +=
      shape.onConflict.action === 'ignore' || updates.length === 0
        ? ` ON CONFLICT ${target} DO NOTHING`
        : ` ON CONFLICT ${target} DO UPDATE SET ${updates.join(', ')}`;
  }
  if (returning) text += ' RETURNING pgrst_target.*, (pgrst_target.xmax = 0) AS pgrst_inserted';
  return text;
}

export interface UpdateShape extends WriteShape {
  values: Record<string, unknown>;
  where: Condition[];
}

function updateSql(b: Builder, shape: UpdateShape, returning: boolean): string {
  const alias = 'pgrst_target';
  const sets = shape.columns.map((c) => {
    const present = Object.prototype.hasOwnProperty.call(shape.values, c.name);
    return `${ident(c.name)} = ${present ? `pgrst_body.${ident(c.name)}` : shape.missingDefault ? 'DEFAULT' : 'NULL'}`;
  });
  const where = shape.where.map((c) => conditionSql(b, alias, c, new Map())).join(' AND ');
  const text = `UPDATE ${qualified(shape.schema, shape.table)} AS ${alias} SET ${sets.join(', ')} FROM jsonb_populate_record(NULL::${qualified(shape.schema, shape.table)}, ${b.bind(JSON.stringify(shape.values))}::jsonb) AS pgrst_body${where ? ` WHERE ${where}` : ''}`;
  return returning ? `${text} RETURNING ${alias}.*, FALSE AS pgrst_inserted` : text;
}

export interface DeleteShape {
  schema: string;
  table: string;
  where: Condition[];
}

function deleteSql(b: Builder, shape: DeleteShape, returning: boolean): string {
  const alias = 'pgrst_target';
  const where = shape.where.map((c) => conditionSql(b, alias, c, new Map())).join(' AND ');
  const text = `DELETE FROM ${qualified(shape.schema, shape.table)} AS ${alias}${where ? ` WHERE ${where}` : ''}`;
  return returning ? `${text} RETURNING ${alias}.*, FALSE AS pgrst_inserted` : text;
}

export type Mutation = { kind: 'insert'; shape: InsertShape } | { kind: 'update'; shape: UpdateShape } | { kind: 'delete'; shape: DeleteShape };

/** A write without a returned body: the command alone (its row count is the affected count). */
export function minimalWriteStatement(mutation: Mutation): Statement {
  const b = new Builder();
  return { text: mutationSql(b, mutation, false), params: b.params };
}

function mutationSql(b: Builder, mutation: Mutation, returning: boolean): string {
  switch (mutation.kind) {
    case 'insert':
      return insertSql(b, mutation.shape, returning);
    case 'update':
      return updateSql(b, mutation.shape, returning);
    case 'delete':
      return deleteSql(b, mutation.shape, returning);
  }
}

/** A write whose returned rows are read with the request's select (embeds included), order and limit. */
export function writeStatement(mutation: Mutation, plan: ReadPlan, options: BodyOptions): Statement {
  const b = new Builder();
  const prelude = `pgrst_written AS (${mutationSql(b, mutation, true)}), `;
  const r = renderRead(b, plan, b.alias(), { kind: 'sql', text: 'pgrst_written' });
  const text = `WITH ${prelude}pgrst_source AS (SELECT ${r.selectList} FROM ${r.from}${r.where}${r.tail}) ${finalSelect(b, options, '(SELECT pg_catalog.count(*) FROM pgrst_written)', outputNames(plan), ', (SELECT pg_catalog.count(*) FROM pgrst_written WHERE pgrst_inserted) AS inserted')}`;
  return { text, params: b.params };
}

// ---------------------------------------------------------------- RPC

/** `fn(a := args.a, …)` plus the FROM clause that turns the JSON arguments into typed values. */
function callSql(b: Builder, rpc: RpcPlan): { call: string; from: string } {
  const fn = qualified(rpc.fn.schema, rpc.fn.name);
  if (rpc.args.kind === 'wholeBody') {
    const { arg, value } = rpc.args;
    const bound =
      arg.type === 'json' || arg.type === 'jsonb'
        ? b.bind(JSON.stringify(value ?? {}))
        : value instanceof Uint8Array
          ? b.bind(`\\x${Buffer.from(value).toString('hex')}`)
          : b.bind(value);
    return { call: `${fn}(${bound}::${arg.type})`, from: '' };
  }
  const used = rpc.args.used;
  if (used.length === 0) return { call: `${fn}()`, from: '' };
  const definitions = used.map((a) => `${ident(a.name)} ${a.type}`).join(', ');
  const values: Record<string, unknown> = {};
  for (const a of used) values[a.name] = rpc.args.values[a.name];
  const from = ` FROM jsonb_to_record(${b.bind(JSON.stringify(values))}::jsonb) AS pgrst_args(${definitions})`;
  const call = `${fn}(${used.map((a) => `${a.variadic ? 'VARIADIC ' : ''}${ident(a.name)} => pgrst_args.${ident(a.name)}`).join(', ')})`;
  return { call, from };
}

export function rpcStatement(rpc: RpcPlan, options: BodyOptions): Statement {
  const b = new Builder();
  const { call, from } = callSql(b, rpc);
  const settings = `current_setting('response.headers', true) AS response_headers, current_setting('response.status', true) AS response_status`;
  if (rpc.read) {
    const rows = from ? `${from} CROSS JOIN LATERAL ${call} AS pgrst_fn` : ` FROM ${call} AS pgrst_fn`;
    const source: SourceSql = { kind: 'sql', text: `(SELECT pgrst_fn.*${rows})` };
    const text = readText(b, rpc.read, rpc.fn.returnsSet ? options : { ...options, media: 'object' }, source, '');
    return { text, params: b.params };
  }
  if (rpc.fn.returnsVoid) {
    return { text: `SELECT NULL::bigint AS total, 0::bigint AS page_total, NULL::text AS body, ${settings} FROM (SELECT ${call}${from}) AS pgrst_call`, params: b.params };
  }
  if (rpc.fn.returnsSet) {
    return {
      text: `WITH pgrst_source AS (SELECT ${call} AS pgrst_value${from}) SELECT ${options.count ? '(SELECT pg_catalog.count(*) FROM pgrst_source)' : 'NULL::bigint'} AS total, pg_catalog.count(*) AS page_total, coalesce(json_agg(pgrst_value), '[]')::text AS body, ${settings} FROM pgrst_source`,
      params: b.params,
    };
  }
  // Raw media: text as is; bytes as base64 (decoded by `respond`), since the driver reads text columns.
  const body =
    options.media === 'text' ? 'pgrst_value::text' : options.media === 'octet' ? "encode(pgrst_value::bytea, 'base64')" : 'to_json(pgrst_value)::text';
  return {
    text: `SELECT NULL::bigint AS total, 1::bigint AS page_total, ${body} AS body, ${settings} FROM (SELECT ${call} AS pgrst_value${from}) AS pgrst_call`,
    params: b.params,
  };
}
