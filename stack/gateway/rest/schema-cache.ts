// The `schema cache` layer: relations, columns, relationships and functions
// of the exposed schemas, read from the catalog. It answers no requests; the
// planner looks names up here. Reloaded on NOTIFY pgrst, 'reload schema'.
import type { Sql } from 'postgres';

export interface Column {
  name: string;
  /** format_type() of the column, e.g. `integer`, `text[]`, `conformance.film_rating`. */
  type: string;
  nullable: boolean;
  /** Default expression from the catalog (trusted SQL written by the schema's owner), if any. */
  defaultExpr: string | null;
  /** Data type category (pg_type.typcategory), e.g. 'S' string, 'N' numeric, 'A' array. */
  category: string;
  /** True for tsvector columns (fts operators use them directly). */
  isTsvector: boolean;
}

export interface Relation {
  schema: string;
  name: string;
  /** Composite types are kept only so functions returning them can be read; they are not routes. */
  kind: 'table' | 'view' | 'materialized_view' | 'foreign_table' | 'partitioned_table' | 'composite_type';
  columns: Map<string, Column>;
  /** Column names in table order. */
  columnOrder: string[];
  primaryKey: string[];
  /** Unique constraints/indexes (column sets), primary key included. */
  uniqueKeys: string[][];
}

export interface ForeignKey {
  constraint: string;
  schema: string;
  table: string;
  columns: string[];
  foreignSchema: string;
  foreignTable: string;
  foreignColumns: string[];
}

export type Cardinality = 'm2o' | 'o2m' | 'o2o' | 'm2m';

/** A way to embed `target` from `source`. Column pairs are (source column, target column) for direct
 *  relationships; for m2m the source joins the junction by `sourceJunction` and the junction the
 *  target by `junctionTarget`. */
export interface Relationship {
  cardinality: Cardinality;
  source: QualifiedName;
  target: QualifiedName;
  constraint: string;
  /** Pairs (source column, target column); empty for m2m. */
  pairs: Array<[string, string]>;
  /** True when the FK lives on the source table (m2o, or o2o seen from the referencing side). */
  fkOnSource: boolean;
  junction?: {
    table: QualifiedName;
    sourceConstraint: string;
    targetConstraint: string;
    /** (source column, junction column) */
    sourcePairs: Array<[string, string]>;
    /** (junction column, target column) */
    targetPairs: Array<[string, string]>;
  };
}

export interface QualifiedName {
  schema: string;
  name: string;
}

export interface FunctionArg {
  name: string;
  type: string;
  /** Whether the argument has a default (may be omitted). */
  hasDefault: boolean;
  variadic: boolean;
}

export interface FunctionDef {
  schema: string;
  name: string;
  oid: number;
  args: FunctionArg[];
  /** format_type of the return type (for TABLE(...) functions: 'record'). */
  returnType: string;
  returnsSet: boolean;
  /** The return type is a composite (table row, composite type or TABLE(...)). */
  returnsComposite: boolean;
  /** For composite returns backed by a relation in the cache (SETOF table): that relation. */
  returnRelation?: QualifiedName;
  /** Output columns for TABLE(...) / OUT-parameter functions. */
  outColumns: Array<{ name: string; type: string }>;
  returnsVoid: boolean;
  volatility: 'immutable' | 'stable' | 'volatile';
}

export class SchemaCache {
  constructor(
    readonly relations: Map<string, Relation>,
    readonly relationships: Map<string, Relationship[]>,
    readonly functions: Map<string, FunctionDef[]>,
    readonly exposedSchemas: string[],
  ) {}

  static key(schema: string, name: string): string {
    return `${schema}\u0000${name}`;
  }

  /** A table, view or similar that can be requested as /<name>. */
  relation(schema: string, name: string): Relation | undefined {
    const found = this.relations.get(SchemaCache.key(schema, name));
    return found && found.kind !== 'composite_type' ? found : undefined;
  }

  compositeType(schema: string, name: string): Relation | undefined {
    const found = this.relations.get(SchemaCache.key(schema, name));
    return found && found.kind === 'composite_type' ? found : undefined;
  }

  relationshipsFrom(schema: string, name: string): Relationship[] {
    return this.relationships.get(SchemaCache.key(schema, name)) ?? [];
  }

  functionsNamed(schema: string, name: string): FunctionDef[] {
    return this.functions.get(SchemaCache.key(schema, name)) ?? [];
  }

  relationNames(schema: string): string[] {
    return [...this.relations.values()].filter((r) => r.schema === schema && r.kind !== 'composite_type').map((r) => r.name);
  }

  functionNames(schema: string): string[] {
    return [...this.functions.values()].flat().filter((f) => f.schema === schema).map((f) => f.name);
  }
}

const relationKinds: Record<string, Relation['kind']> = {
  r: 'table',
  v: 'view',
  m: 'materialized_view',
  f: 'foreign_table',
  p: 'partitioned_table',
  c: 'composite_type',
};

/** One row of the functions query in loadSchemaCache. */
interface FunctionRow {
  oid: number;
  schema: string;
  name: string;
  arg_names: string[] | null;
  arg_types: string[];
  arg_modes: string[] | null;
  all_arg_types: string[] | null;
  n_defaults: number;
  n_args: number;
  return_type: string;
  returns_set: boolean;
  return_typtype: string;
  return_rel_schema: string | null;
  return_rel_name: string | null;
  volatility: string;
}

export async function loadSchemaCache(sql: Sql, exposedSchemas: string[]): Promise<SchemaCache> {
  const [columnRows, keyRows, fkRows, fnRows, viewRows] = await Promise.all([
    sql<
      Array<{
        schema: string;
        relation: string;
        relkind: string;
        column: string;
        type: string;
        notnull: boolean;
        default_expr: string | null;
        category: string;
        is_tsvector: boolean;
      }>
    >`
      select n.nspname as schema, c.relname as relation, c.relkind, a.attname as column,
             pg_catalog.format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as notnull,
             pg_catalog.pg_get_expr(d.adbin, d.adrelid) as default_expr,
             t.typcategory as category, a.atttypid = 'pg_catalog.tsvector'::regtype as is_tsvector
      from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      join pg_catalog.pg_type t on t.oid = a.atttypid
      left join pg_catalog.pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
      where n.nspname = any(${exposedSchemas}) and c.relkind in ('r', 'v', 'm', 'f', 'p', 'c')
        and not c.relispartition
      order by n.nspname, c.relname, a.attnum`,
    sql<Array<{ schema: string; relation: string; is_primary: boolean; columns: string[] }>>`
      select n.nspname as schema, c.relname as relation, i.indisprimary as is_primary,
             array(select a.attname from unnest(i.indkey) with ordinality k(attnum, ord)
                   join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
                   order by k.ord)::text[] as columns
      from pg_catalog.pg_index i
      join pg_catalog.pg_class c on c.oid = i.indrelid
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname not in ('pg_catalog', 'information_schema') and i.indisunique and i.indpred is null
        and 0 <> all (i.indkey)`,
    sql<
      Array<{
        constraint: string;
        schema: string;
        table: string;
        columns: string[];
        foreign_schema: string;
        foreign_table: string;
        foreign_columns: string[];
      }>
    >`
      select con.conname as constraint, ns.nspname as schema, cl.relname as table,
             array(select a.attname from unnest(con.conkey) with ordinality k(attnum, ord)
                   join pg_catalog.pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum
                   order by k.ord)::text[] as columns,
             fns.nspname as foreign_schema, fcl.relname as foreign_table,
             array(select a.attname from unnest(con.confkey) with ordinality k(attnum, ord)
                   join pg_catalog.pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum
                   order by k.ord)::text[] as foreign_columns
      from pg_catalog.pg_constraint con
      join pg_catalog.pg_class cl on cl.oid = con.conrelid
      join pg_catalog.pg_namespace ns on ns.oid = cl.relnamespace
      join pg_catalog.pg_class fcl on fcl.oid = con.confrelid
      join pg_catalog.pg_namespace fns on fns.oid = fcl.relnamespace
      where con.contype = 'f' and con.conparentid = 0
        and ns.nspname not in ('pg_catalog', 'information_schema')
      order by con.conname`,
    sql<FunctionRow[]>`
      select p.oid::int as oid, n.nspname as schema, p.proname as name,
             p.proargnames::text[] as arg_names,
             array(select pg_catalog.format_type(t, null) from unnest(p.proargtypes::oid[]) t)::text[] as arg_types,
             p.proargmodes::text[] as arg_modes,
             array(select pg_catalog.format_type(t, null) from unnest(p.proallargtypes) t)::text[] as all_arg_types,
             p.pronargdefaults::int as n_defaults, p.pronargs::int as n_args,
             pg_catalog.format_type(p.prorettype, null) as return_type, p.proretset as returns_set,
             rt.typtype as return_typtype, rt.typrelid::int as return_relid,
             rn.nspname as return_rel_schema, rc.relname as return_rel_name,
             p.provariadic::int as provariadic, p.provolatile as volatility
      from pg_catalog.pg_proc p
      join pg_catalog.pg_namespace n on n.oid = p.pronamespace
      join pg_catalog.pg_type rt on rt.oid = p.prorettype
      left join pg_catalog.pg_class rc on rc.oid = rt.typrelid
      left join pg_catalog.pg_namespace rn on rn.oid = rc.relnamespace
      where n.nspname = any(${exposedSchemas}) and p.prokind = 'f'`,
    // Each view's stored parse tree: its output columns that are plain column references name
    // their origin table and column (resorigtbl/resorigcol), which is how views inherit keys
    // and relationships from their base tables, as in PostgREST.
    sql<Array<{ schema: string; view: string; origins: Array<{ column: string; schema: string; table: string; origin: string }> | null }>>`
      select n.nspname as schema, c.relname as view,
             (select json_agg(json_build_object('column', m[1], 'schema', tn.nspname, 'table', tc.relname, 'origin', ta.attname))
              from regexp_matches(
                     substring(r.ev_action::text from '^[(][{]QUERY .*:targetList (.*)$'),
                     ':resname ([^ ]+) :ressortgroupref [0-9]+ :resorigtbl ([0-9]+) :resorigcol ([0-9]+) :resjunk false', 'g') as m
              join pg_catalog.pg_class tc on tc.oid = m[2]::oid
              join pg_catalog.pg_namespace tn on tn.oid = tc.relnamespace
              join pg_catalog.pg_attribute ta on ta.attrelid = tc.oid and ta.attnum = m[3]::int2) as origins
      from pg_catalog.pg_rewrite r
      join pg_catalog.pg_class c on c.oid = r.ev_class
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where r.rulename = '_RETURN' and c.relkind in ('v', 'm') and n.nspname = any(${exposedSchemas})`,
  ]);

  const relations = new Map<string, Relation>();
  for (const row of columnRows) {
    const key = SchemaCache.key(row.schema, row.relation);
    let relation = relations.get(key);
    if (!relation) {
      relation = {
        schema: row.schema,
        name: row.relation,
        kind: relationKinds[row.relkind] ?? 'table',
        columns: new Map(),
        columnOrder: [],
        primaryKey: [],
        uniqueKeys: [],
      };
      relations.set(key, relation);
    }
    relation.columns.set(row.column, {
      name: row.column,
      type: row.type,
      nullable: !row.notnull,
      defaultExpr: row.default_expr,
      category: row.category,
      isTsvector: row.is_tsvector,
    });
    relation.columnOrder.push(row.column);
  }
  const keysByTable = new Map<string, { primaryKey: string[]; uniqueKeys: string[][] }>();
  for (const row of keyRows) {
    const key = SchemaCache.key(row.schema, row.relation);
    const keys = keysByTable.get(key) ?? { primaryKey: [], uniqueKeys: [] };
    if (row.is_primary) keys.primaryKey = row.columns;
    keys.uniqueKeys.push(row.columns);
    keysByTable.set(key, keys);
    const relation = relations.get(key);
    if (relation) {
      relation.primaryKey = keys.primaryKey;
      relation.uniqueKeys = keys.uniqueKeys;
    }
  }
  const viewOrigins = resolveViewOrigins(viewRows);
  // A view keeps its base table's primary key when it outputs all of its columns.
  for (const [viewKey, origins] of viewOrigins) {
    const view = relations.get(viewKey);
    if (!view) continue;
    for (const [baseKey, columnMap] of origins) {
      const base = keysByTable.get(baseKey);
      if (!base || base.primaryKey.length === 0) continue;
      if (base.primaryKey.every((c) => columnMap.has(c))) {
        view.primaryKey = base.primaryKey.map((c) => columnMap.get(c)!);
        view.uniqueKeys.push(view.primaryKey);
        break;
      }
    }
  }

  const foreignKeys: ForeignKey[] = fkRows.map((r) => ({
    constraint: r.constraint,
    schema: r.schema,
    table: r.table,
    columns: r.columns,
    foreignSchema: r.foreign_schema,
    foreignTable: r.foreign_table,
    foreignColumns: r.foreign_columns,
  }));

  const relationships = buildRelationships(relations, foreignKeys, viewOrigins);
  const functions = buildFunctions(fnRows);
  return new SchemaCache(relations, relationships, functions, exposedSchemas);
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function isUnique(relation: Relation | undefined, columns: string[]): boolean {
  return !!relation && relation.uniqueKeys.some((key) => sameSet(key, columns));
}

/** For each exposed view: base table key → (base column → view column), following views of views. */
type ViewOrigins = Map<string, Map<string, Map<string, string>>>;

function resolveViewOrigins(
  rows: Array<{ schema: string; view: string; origins: Array<{ column: string; schema: string; table: string; origin: string }> | null }>,
): ViewOrigins {
  const direct = new Map<string, Array<{ column: string; base: string; origin: string }>>();
  for (const row of rows) {
    direct.set(
      SchemaCache.key(row.schema, row.view),
      (row.origins ?? []).map((o) => ({ column: o.column, base: SchemaCache.key(o.schema, o.table), origin: o.origin })),
    );
  }
  const result: ViewOrigins = new Map();
  for (const [viewKey, columns] of direct) {
    const byBase = new Map<string, Map<string, string>>();
    const add = (base: string, baseColumn: string, viewColumn: string) => {
      const map = byBase.get(base) ?? new Map<string, string>();
      if (!map.has(baseColumn)) map.set(baseColumn, viewColumn);
      byBase.set(base, map);
    };
    for (const { column, base, origin } of columns) {
      // Follow a chain of views down to tables (bounded, in case of odd catalogs).
      let current = { base, origin };
      add(current.base, current.origin, column);
      for (let depth = 0; depth < 16; depth++) {
        const next = direct.get(current.base)?.find((c) => c.column === current.origin);
        if (!next) break;
        current = { base: next.base, origin: next.origin };
        add(current.base, current.origin, column);
      }
    }
    result.set(viewKey, byBase);
  }
  return result;
}

function buildRelationships(relations: Map<string, Relation>, foreignKeys: ForeignKey[], viewOrigins: ViewOrigins): Map<string, Relationship[]> {
  const byRelation = new Map<string, Relationship[]>();
  const add = (r: Relationship) => {
    const key = SchemaCache.key(r.source.schema, r.source.name);
    const list = byRelation.get(key) ?? [];
    list.push(r);
    byRelation.set(key, list);
  };

  /** Exposed relations that carry all of `columns` of table `tableKey`: the table itself and views over it. */
  const carriers = (schema: string, table: string, columns: string[]) => {
    const tableKey = SchemaCache.key(schema, table);
    const found: Array<{ name: QualifiedName; columns: string[] }> = [];
    const self = relations.get(tableKey);
    if (self && self.kind !== 'composite_type') found.push({ name: { schema, name: table }, columns });
    for (const [viewKey, origins] of viewOrigins) {
      const map = origins.get(tableKey);
      const view = relations.get(viewKey);
      if (!map || !view || !columns.every((c) => map.has(c))) continue;
      found.push({ name: { schema: view.schema, name: view.name }, columns: columns.map((c) => map.get(c)!) });
    }
    return found;
  };

  for (const fk of foreignKeys) {
    const referencing = relations.get(SchemaCache.key(fk.schema, fk.table));
    const oneToOne = isUnique(referencing, fk.columns);
    for (const source of carriers(fk.schema, fk.table, fk.columns)) {
      for (const target of carriers(fk.foreignSchema, fk.foreignTable, fk.foreignColumns)) {
        const isBaseTables = source.name.name === fk.table && source.name.schema === fk.schema && target.name.name === fk.foreignTable && target.name.schema === fk.foreignSchema;
        const cardinality = oneToOne && isBaseTables ? 'o2o' : 'm2o';
        const pairs = source.columns.map((c, i) => [c, target.columns[i]!] as [string, string]);
        add({ cardinality, source: source.name, target: target.name, constraint: fk.constraint, pairs, fkOnSource: true });
        add({
          cardinality: cardinality === 'o2o' ? 'o2o' : 'o2m',
          source: target.name,
          target: source.name,
          constraint: fk.constraint,
          pairs: pairs.map(([a, b]) => [b, a]),
          fkOnSource: false,
        });
      }
    }
  }

  // Many-to-many: a junction whose primary key contains the columns of two distinct FKs.
  const fksByTable = new Map<string, ForeignKey[]>();
  for (const fk of foreignKeys) {
    const key = SchemaCache.key(fk.schema, fk.table);
    fksByTable.set(key, [...(fksByTable.get(key) ?? []), fk]);
  }
  for (const [key, fks] of fksByTable) {
    const junction = relations.get(key);
    if (!junction || junction.primaryKey.length === 0) continue;
    const inPk = fks.filter((fk) => fk.columns.every((c) => junction.primaryKey.includes(c)));
    for (const left of inPk) {
      for (const right of inPk) {
        if (left === right) continue;
        add({
          cardinality: 'm2m',
          source: { schema: left.foreignSchema, name: left.foreignTable },
          target: { schema: right.foreignSchema, name: right.foreignTable },
          constraint: `${left.constraint}, ${right.constraint}`,
          pairs: [],
          fkOnSource: false,
          junction: {
            table: { schema: junction.schema, name: junction.name },
            sourceConstraint: left.constraint,
            targetConstraint: right.constraint,
            sourcePairs: left.foreignColumns.map((c, i) => [c, left.columns[i]!] as [string, string]),
            targetPairs: right.columns.map((c, i) => [c, right.foreignColumns[i]!] as [string, string]),
          },
        });
      }
    }
  }
  return byRelation;
}

function buildFunctions(rows: FunctionRow[]): Map<string, FunctionDef[]> {
  const functions = new Map<string, FunctionDef[]>();
  for (const row of rows) {
    const modes = row.arg_modes ?? [];
    const names = row.arg_names ?? [];
    const allTypes = row.all_arg_types ?? row.arg_types;
    // Input arguments are modes i, b, v (or all, when proargmodes is null).
    const args: FunctionArg[] = [];
    const outColumns: Array<{ name: string; type: string }> = [];
    const count = modes.length > 0 ? modes.length : row.n_args;
    let inputIndex = 0;
    for (let i = 0; i < count; i++) {
      const mode = modes[i] ?? 'i';
      const name = names[i] ?? '';
      const type = (modes.length > 0 ? allTypes[i] : row.arg_types[i]) ?? 'unknown';
      if (mode === 'o' || mode === 't') {
        outColumns.push({ name, type });
        continue;
      }
      if (mode === 'b') outColumns.push({ name, type });
      args.push({
        name,
        type,
        hasDefault: inputIndex >= row.n_args - row.n_defaults,
        variadic: mode === 'v',
      });
      inputIndex++;
    }
    const returnsComposite = row.return_typtype === 'c' || row.return_type === 'record';
    const def: FunctionDef = {
      schema: row.schema,
      name: row.name,
      oid: row.oid,
      args,
      returnType: row.return_type,
      returnsSet: row.returns_set,
      returnsComposite,
      outColumns,
      returnsVoid: row.return_type === 'void',
      volatility: row.volatility === 'i' ? 'immutable' : row.volatility === 's' ? 'stable' : 'volatile',
    };
    if (row.return_rel_schema && row.return_rel_name) {
      def.returnRelation = { schema: row.return_rel_schema, name: row.return_rel_name };
    }
    const key = SchemaCache.key(row.schema, row.name);
    functions.set(key, [...(functions.get(key) ?? []), def]);
  }
  return functions;
}
