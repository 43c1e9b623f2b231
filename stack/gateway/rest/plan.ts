// The `plan` layer: a parsed ApiRequest plus the schema cache become a plan in
// which every relation, column, relationship and function is resolved and
// checked against the catalog. It builds no SQL text.
import { ApiError, pgrst } from './errors.ts';
import type { Column, FunctionArg, FunctionDef, Relation, Relationship, SchemaCache } from './schema-cache.ts';
import type {
  ApiRequest,
  Field,
  JsonPathStep,
  LogicFilter,
  LogicTree,
  Operation,
  OrderTerm,
  ReadParams,
  SelectItem,
} from './types.ts';

/** A relation-like thing rows can be read from: a table/view, or the rows a function returns. */
export interface RowSource {
  schema: string;
  name: string;
  columns: Map<string, Column>;
  columnOrder: string[];
  /** The cached relation when there is one (for relationships and keys). */
  relation?: Relation;
}

export interface ColumnRef {
  column: Column;
  jsonPath: JsonPathStep[];
}

export type PlannedSelect =
  | { kind: 'column'; ref: ColumnRef; outputName: string; cast?: string }
  | { kind: 'embed'; embed: EmbedPlan };

export type Condition =
  | { kind: 'and' | 'or'; negated: boolean; children: Condition[] }
  | { kind: 'filter'; ref: ColumnRef; negated: boolean; operation: Operation }
  /** `rel=is.null` / `rel=not.is.null`: whether the embed found rows. */
  | { kind: 'embedPresence'; embed: EmbedPlan; present: boolean };

export interface PlannedOrder {
  /** A column of the read's own source, or of a to-one embed's target. */
  ref: ColumnRef;
  via?: { relationship: Relationship; target: RowSource };
  direction?: 'asc' | 'desc';
  nulls?: 'first' | 'last';
}

export interface ReadPlan {
  source: RowSource;
  select: PlannedSelect[];
  where: Condition[];
  order: PlannedOrder[];
  limit?: number;
  offset?: number;
  embeds: EmbedPlan[];
}

export interface EmbedPlan {
  /** Key in the output (alias or relation name as written). */
  outputName: string;
  /** Names a filter path may use to reach this embed: its alias and its relation as written. */
  pathNames: string[];
  relationship: Relationship;
  toOne: boolean;
  inner: boolean;
  spread: boolean;
  /** `rel()` outputs nothing. */
  hidden: boolean;
  plan: ReadPlan;
  /** Set when a top-level condition tests the embed (inner join or null test). */
  usedInWhere: boolean;
}

export interface RpcPlan {
  fn: FunctionDef;
  /** Argument values by name; `wholeBody` for a single unnamed json/jsonb/text/bytea parameter. */
  args: { kind: 'named'; values: Record<string, unknown>; used: FunctionArg[] } | { kind: 'wholeBody'; value: unknown; arg: FunctionArg };
  /** For functions returning rows: the read over those rows. */
  read?: ReadPlan;
}

const validCast = /^[A-Za-z_][A-Za-z0-9_ ]*(\[\])*$/;

function columnNotFound(source: RowSource, name: string): ApiError {
  return new ApiError(400, {
    code: '42703',
    message: `column ${source.name}.${name} does not exist`,
    details: null,
    hint: null,
  });
}

export function sourceFromRelation(relation: Relation): RowSource {
  return { schema: relation.schema, name: relation.name, columns: relation.columns, columnOrder: relation.columnOrder, relation };
}

function resolveColumn(source: RowSource, field: Field): ColumnRef {
  const column = source.columns.get(field.name);
  if (!column) throw columnNotFound(source, field.name);
  return { column, jsonPath: field.jsonPath };
}

function outputNameOf(field: Field): string {
  const last = field.jsonPath[field.jsonPath.length - 1];
  return last === undefined ? field.name : String(last.key);
}

function checkCast(cast: string | undefined): string | undefined {
  if (cast === undefined) return undefined;
  if (!validCast.test(cast)) throw pgrst(400, 'PGRST100', `"failed to parse select parameter (cast ${cast})"`);
  return cast;
}

// ---------------------------------------------------------------- relationships

function relationshipLabel(r: Relationship): Record<string, string> {
  const cardinality = r.cardinality === 'o2o' ? 'one-to-one' : r.cardinality === 'm2o' ? 'many-to-one' : r.cardinality === 'o2m' ? 'one-to-many' : 'many-to-many';
  const embedding = `${r.source.name} with ${r.target.name}`;
  if (r.junction) {
    const j = r.junction;
    return {
      cardinality,
      embedding,
      relationship: `${j.table.name} using ${j.sourceConstraint}(${j.sourcePairs.map((p) => p[1]).join(', ')}) and ${j.targetConstraint}(${j.targetPairs.map((p) => p[0]).join(', ')})`,
    };
  }
  const sourceColumns = r.pairs.map((p) => p[0]).join(', ');
  const targetColumns = r.pairs.map((p) => p[1]).join(', ');
  return { cardinality, embedding, relationship: `${r.constraint} using ${r.source.name}(${sourceColumns}) and ${r.target.name}(${targetColumns})` };
}

/** Columns that name this relationship's foreign key, on either side. */
function fkColumnNames(r: Relationship): string[] {
  if (r.junction) return [];
  return r.pairs.flatMap(([a, b]) => [a, b]);
}

function resolveRelationship(cache: SchemaCache, source: RowSource, name: string, hint: string | undefined): Relationship {
  const all = cache.relationshipsFrom(source.schema, source.name);
  let candidates = all.filter((r) => {
    if (r.target.name === name) {
      // A self-reference named by table means the one-to-many side.
      if (r.source.name === r.target.name && r.source.schema === r.target.schema && r.fkOnSource && r.cardinality === 'm2o') return false;
      return true;
    }
    if (r.constraint === name && !r.junction) return true;
    // FK column name: embeds the referenced table (many-to-one side).
    if (r.fkOnSource && r.pairs.length === 1 && r.pairs[0]![0] === name) return true;
    return false;
  });
  if (hint !== undefined) {
    candidates = candidates.filter((r) => {
      if (r.junction) {
        return (
          r.junction.table.name === hint || r.junction.sourceConstraint === hint || r.junction.targetConstraint === hint
        );
      }
      return r.constraint === hint || (r.pairs.length === 1 && fkColumnNames(r).includes(hint));
    });
  }
  if (candidates.length === 0) {
    throw new ApiError(400, {
      code: 'PGRST200',
      message: `Could not find a relationship between '${source.name}' and '${name}' in the schema cache`,
      details: `Searched for a foreign key relationship between '${source.name}' and '${hint === undefined ? name : `${name}' using the hint '${hint}`}' in the schema '${source.schema}', but no matches were found.`,
      hint: null,
    });
  }
  if (candidates.length > 1) {
    // Direct relationships win over many-to-many ones found through a junction, as in PostgREST.
    const direct = candidates.filter((r) => !r.junction);
    if (direct.length === 1) return direct[0]!;
    throw new ApiError(300, {
      code: 'PGRST201',
      message: `Could not embed because more than one relationship was found for '${source.name}' and '${name}'`,
      details: candidates.map(relationshipLabel),
      hint: `Try changing '${name}' to one of the following: ${candidates
        .map((r) => `'${name}!${r.junction ? r.junction.table.name : r.constraint}'`)
        .join(', ')}. Find the desired relationship in the 'details' key.`,
    });
  }
  return candidates[0]!;
}

// ---------------------------------------------------------------- reads

interface ScopedParams {
  params: ReadParams;
  /** Embed path of the read being planned ([] for the top level). */
  path: string[];
}

function samePath(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function planRead(cache: SchemaCache, source: RowSource, params: ReadParams, maxRows: number | undefined): ReadPlan {
  const plan = planReadAt(cache, source, { params, path: [] });
  checkScopedPaths(plan, params);
  if (maxRows !== undefined) plan.limit = plan.limit === undefined ? maxRows : Math.min(plan.limit, maxRows);
  return plan;
}

function planReadAt(cache: SchemaCache, source: RowSource, scope: ScopedParams): ReadPlan {
  const plan: ReadPlan = { source, select: [], where: [], order: [], embeds: [] };
  planSelect(cache, plan, scope.params.select, scope);

  for (const { path, filter } of scope.params.filters) {
    if (!samePath(path, scope.path)) continue;
    const embed = plan.embeds.find((e) => e.pathNames.includes(filter.field.name) && filter.field.jsonPath.length === 0);
    if (embed && !source.columns.has(filter.field.name)) {
      plan.where.push(embedPresence(embed, filter.negated, filter.operation, filter.field.name));
      continue;
    }
    plan.where.push({ kind: 'filter', ref: resolveColumn(source, filter.field), negated: filter.negated, operation: filter.operation });
  }
  for (const { path, tree } of scope.params.logic) {
    if (!samePath(path, scope.path)) continue;
    plan.where.push(planTree(plan, tree));
  }
  for (const { path, terms } of scope.params.order) {
    if (!samePath(path, scope.path)) continue;
    plan.order.push(...terms.map((t) => planOrder(cache, plan, t)));
  }
  for (const range of scope.params.ranges) {
    if (!samePath(range.path, scope.path)) continue;
    if (range.limit !== undefined) plan.limit = range.limit;
    if (range.offset !== undefined) plan.offset = range.offset;
  }
  // `!inner`: parents without a (matching) embedded row are dropped.
  for (const embed of plan.embeds) {
    if (!embed.inner) continue;
    embed.usedInWhere = true;
    plan.where.push({ kind: 'embedPresence', embed, present: true });
  }
  return plan;
}

function embedPresence(embed: EmbedPlan, negated: boolean, operation: Operation, name: string): Condition {
  if (operation.kind !== 'is' || (operation.value !== 'null' && operation.value !== 'not_null')) {
    throw pgrst(400, 'PGRST120', `Bad operator on the '${name}' embedded resource`, 'Only is null or not is null filters are allowed on embedded resources');
  }
  embed.usedInWhere = true;
  const isNull = operation.value === 'null';
  return { kind: 'embedPresence', embed, present: negated ? isNull : !isNull };
}

function planTree(plan: ReadPlan, tree: LogicTree): Condition {
  return {
    kind: tree.kind,
    negated: tree.negated,
    children: tree.children.map((child): Condition => (child.kind === 'filter' ? planTreeFilter(plan, child) : planTree(plan, child))),
  };
}

function planTreeFilter(plan: ReadPlan, node: LogicFilter): Condition {
  const { filter } = node;
  if (node.path.length > 0) {
    // A condition on a column of an embed inside a top-level tree: only presence tests are supported.
    throw pgrst(
      400,
      'PGRST100',
      `"failed to parse logic tree"`,
      `filters on columns of embedded resources ('${node.path.join('.')}.${filter.field.name}') are not supported inside or/and; use '${node.path.join('.')}.or=(...)'`,
    );
  }
  const embed = plan.embeds.find((e) => e.pathNames.includes(filter.field.name));
  if (embed && !plan.source.columns.has(filter.field.name) && filter.field.jsonPath.length === 0) {
    return embedPresence(embed, filter.negated, filter.operation, filter.field.name);
  }
  return { kind: 'filter', ref: resolveColumn(plan.source, filter.field), negated: filter.negated, operation: filter.operation };
}

function planOrder(cache: SchemaCache, plan: ReadPlan, term: OrderTerm): PlannedOrder {
  const base = { direction: term.direction, nulls: term.nulls };
  if (term.relation === undefined) return { ...base, ref: resolveColumn(plan.source, term.field) };
  const embed = plan.embeds.find((e) => e.pathNames.includes(term.relation!));
  if (!embed) {
    throw pgrst(400, 'PGRST108', `'${term.relation}' is not an embedded resource in this request`, null, `Verify that '${term.relation}' is included in the 'select' query parameter.`);
  }
  if (!embed.toOne) {
    throw pgrst(
      400,
      'PGRST118',
      `A related order on '${term.relation}' is not possible`,
      `'${plan.source.name}' and '${term.relation}' do not form a many-to-one or one-to-one relationship`,
    );
  }
  void cache;
  return { ...base, ref: resolveColumn(embed.plan.source, term.field), via: { relationship: embed.relationship, target: embed.plan.source } };
}

function planSelect(cache: SchemaCache, plan: ReadPlan, items: SelectItem[], scope: ScopedParams): void {
  for (const item of items) {
    switch (item.kind) {
      case 'star':
        for (const name of plan.source.columnOrder) {
          plan.select.push({ kind: 'column', ref: { column: plan.source.columns.get(name)!, jsonPath: [] }, outputName: name });
        }
        break;
      case 'field': {
        const ref = resolveColumn(plan.source, item.field);
        const cast = checkCast(item.cast);
        plan.select.push({ kind: 'column', ref, outputName: item.alias ?? outputNameOf(item.field), ...(cast ? { cast } : {}) });
        break;
      }
      case 'aggregate':
        throw pgrst(400, 'PGRST123', 'Use of aggregate functions is not allowed');
      case 'embed': {
        const relationship = resolveRelationship(cache, plan.source, item.relation, item.hint);
        const target = cache.relation(relationship.target.schema, relationship.target.name);
        if (!target) throw pgrst(400, 'PGRST200', `Could not find a relationship between '${plan.source.name}' and '${item.relation}' in the schema cache`);
        const outputName = item.alias ?? item.relation;
        const childPath = [...scope.path, outputName];
        const childScope = { params: { ...scope.params, select: item.select }, path: childPath };
        const child = planReadAt(cache, sourceFromRelation(target), childScope);
        // Filters may address an embed by alias or by the relation as written.
        const aliasPath = item.alias !== undefined ? [...scope.path, item.relation] : undefined;
        if (aliasPath) mergeAliasScope(cache, child, scope.params, aliasPath);
        const toOne = relationship.cardinality === 'm2o' || relationship.cardinality === 'o2o';
        const embed: EmbedPlan = {
          outputName,
          pathNames: item.alias !== undefined ? [item.alias, item.relation] : [item.relation],
          relationship,
          toOne,
          inner: item.joinType === 'inner',
          spread: item.spread,
          hidden: item.select.length === 0,
          plan: child,
          usedInWhere: false,
        };
        plan.embeds.push(embed);
        plan.select.push({ kind: 'embed', embed });
        break;
      }
    }
  }
}

/** Scoped parameters written against the relation name of an aliased embed apply to it too. */
function mergeAliasScope(cache: SchemaCache, child: ReadPlan, params: ReadParams, path: string[]): void {
  const extra = planReadAt(cache, child.source, { params: { ...params, select: [] }, path });
  child.where.push(...extra.where);
  child.order.push(...extra.order);
  if (extra.limit !== undefined) child.limit = extra.limit;
  if (extra.offset !== undefined) child.offset = extra.offset;
}

/** Every scoped filter/order/range must address an embed that exists (PGRST108). */
function checkScopedPaths(plan: ReadPlan, params: ReadParams): void {
  const known = new Set<string>();
  const walk = (p: ReadPlan, prefix: string[]) => {
    for (const e of p.embeds) {
      for (const name of e.pathNames) {
        const path = [...prefix, name];
        known.add(path.join('\u0000'));
        walk(e.plan, [...prefix, e.outputName]);
        if (name !== e.outputName) walk(e.plan, path);
      }
    }
  };
  walk(plan, []);
  const scoped = [
    ...params.filters.map((f) => f.path),
    ...params.logic.map((l) => l.path),
    ...params.order.map((o) => o.path),
    ...params.ranges.map((r) => r.path),
  ];
  for (const path of scoped) {
    if (path.length === 0) continue;
    if (!known.has(path.join('\u0000'))) {
      const name = path[path.length - 1]!;
      throw pgrst(400, 'PGRST108', `'${name}' is not an embedded resource in this request`, null, `Verify that '${name}' is included in the 'select' query parameter.`);
    }
  }
}

// ---------------------------------------------------------------- targets

export function findRelation(cache: SchemaCache, schema: string, name: string): Relation {
  const relation = cache.relation(schema, name);
  if (relation) return relation;
  const suggestion = closest(name, cache.relationNames(schema));
  throw pgrst(
    404,
    'PGRST205',
    `Could not find the table '${schema}.${name}' in the schema cache`,
    null,
    suggestion ? `Perhaps you meant the table '${schema}.${suggestion}'` : null,
  );
}

/** The closest name by edit distance, if it is close enough to be a plausible typo. */
function closest(name: string, options: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const option of options) {
    const d = editDistance(name, option);
    if (d < bestDistance) {
      best = option;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** Columns named by a write: `columns=` if given, else the keys of the body. Unknown → PGRST204. */
export function writeColumns(relation: Relation, request: ApiRequest): Column[] {
  let names: string[];
  if (request.columns) names = request.columns;
  else {
    const body = request.body.kind === 'json' ? request.body.value : undefined;
    const first = Array.isArray(body) ? body[0] : body;
    names = first && typeof first === 'object' ? Object.keys(first as object) : [];
  }
  return names.map((name) => {
    const column = relation.columns.get(name);
    if (!column) {
      throw pgrst(400, 'PGRST204', `Could not find the '${name}' column of '${relation.name}' in the schema cache`);
    }
    return column;
  });
}

// ---------------------------------------------------------------- RPC

const wholeBodyTypes = new Set(['json', 'jsonb', 'text', 'bytea', 'xml']);

export function planRpc(cache: SchemaCache, request: ApiRequest, maxRows: number): RpcPlan {
  if (request.target.kind !== 'rpc') throw new Error('planRpc needs an rpc target');
  const { schema } = request;
  const name = request.target.name;
  const overloads = cache.functionsNamed(schema, name);
  const isGet = request.method === 'GET' || request.method === 'HEAD';
  const given: Record<string, unknown> = isGet ? { ...request.rpcArgs } : bodyObject(request);
  const givenNames = Object.keys(given);

  // One unnamed json/jsonb (or raw text/bytea/xml) parameter takes the whole body.
  const wholeBody = !isGet
    ? overloads.find((f) => f.args.length === 1 && f.args[0]!.name === '' && wholeBodyTypes.has(f.args[0]!.type))
    : undefined;
  if (wholeBody) {
    const arg = wholeBody.args[0]!;
    const value = request.body.kind === 'json' ? request.body.value : request.body.kind === 'text' ? request.body.text : request.body.kind === 'binary' ? request.body.bytes : {};
    return withRead(cache, { fn: wholeBody, args: { kind: 'wholeBody', value, arg } }, request, maxRows);
  }

  const matches = overloads.filter((f) => {
    const names = f.args.map((a) => a.name);
    if (givenNames.some((g) => !names.includes(g))) return false;
    return f.args.every((a) => a.hasDefault || givenNames.includes(a.name));
  });
  if (matches.length === 0) {
    const names = [...givenNames].sort();
    const qualifiedName = `${schema}.${name}`;
    const suggestion =
      overloads.length > 0
        ? `${qualifiedName}(${overloads[0]!.args.map((a) => a.name).join(', ')})`
        : (() => {
            const close = closest(name, cache.functionNames(schema));
            return close ? `${schema}.${close}` : undefined;
          })();
    const hint = suggestion ? `Perhaps you meant to call the function ${suggestion}` : null;
    if (names.length === 0) {
      throw pgrst(
        404,
        'PGRST202',
        `Could not find the function ${qualifiedName} without parameters in the schema cache`,
        `Searched for the function ${qualifiedName} without parameters, but no matches were found in the schema cache.`,
        hint,
      );
    }
    throw pgrst(
      404,
      'PGRST202',
      `Could not find the function ${qualifiedName}(${names.join(', ')}) in the schema cache`,
      `Searched for the function ${qualifiedName} with parameter${names.length > 1 ? 's' : ''} ${names.join(', ')} or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.`,
      hint,
    );
  }
  if (matches.length > 1) {
    throw pgrst(
      300,
      'PGRST203',
      `Could not choose the best candidate function between: ${matches
        .map((f) => `${schema}.${name}(${f.args.map((a) => `${a.name} => ${a.type}`).join(', ')})`)
        .join(', ')}`,
      null,
      'Try renaming the parameters or the function itself in the database so function overloading can be resolved',
    );
  }
  const fn = matches[0]!;
  const used = fn.args.filter((a) => givenNames.includes(a.name));
  return withRead(cache, { fn, args: { kind: 'named', values: given, used } }, request, maxRows);
}

function bodyObject(request: ApiRequest): Record<string, unknown> {
  if (request.body.kind === 'none') return {};
  if (request.body.kind !== 'json') return {};
  const value = request.body.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    // PostgREST accepts an array body only for functions taking a single json parameter.
    throw pgrst(400, 'PGRST102', 'Empty or invalid json');
  }
  return value as Record<string, unknown>;
}

/** Functions that return rows (composite or TABLE) can be read like relations. */
function withRead(cache: SchemaCache, plan: RpcPlan, request: ApiRequest, maxRows: number): RpcPlan {
  const source = functionRowSource(cache, plan.fn);
  if (source) plan.read = planRead(cache, source, request.read, plan.fn.returnsSet ? maxRows : undefined);
  else if (request.read.filters.length > 0 || request.read.order.length > 0) {
    // Filters on scalar results are meaningless; PostgREST rejects them too.
    throw pgrst(400, 'PGRST100', `"failed to parse filter"`, `${plan.fn.name} returns a scalar; filters and order need a function returning rows`);
  }
  return plan;
}

export function functionRowSource(cache: SchemaCache, fn: FunctionDef): RowSource | undefined {
  if (!fn.returnsComposite) return undefined;
  if (fn.returnRelation) {
    const relation = cache.relation(fn.returnRelation.schema, fn.returnRelation.name);
    if (relation) return sourceFromRelation(relation);
    const composite = cache.compositeType(fn.returnRelation.schema, fn.returnRelation.name);
    if (composite) return { schema: fn.schema, name: fn.name, columns: composite.columns, columnOrder: composite.columnOrder };
  }
  if (fn.outColumns.length > 0) {
    const columns = new Map<string, Column>();
    for (const c of fn.outColumns) {
      columns.set(c.name, { name: c.name, type: c.type, nullable: true, defaultExpr: null, category: '', isTsvector: c.type === 'tsvector' });
    }
    return { schema: fn.schema, name: fn.name, columns, columnOrder: fn.outColumns.map((c) => c.name) };
  }
  return undefined;
}
