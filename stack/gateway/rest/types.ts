// The typed request that the `parse` layer produces from an HTTP request.
// Nothing here knows about the database: names are as the client wrote them,
// and are checked against the schema cache only by the `plan` layer.

/** One step of a JSON path: `->key` (JSON value) or `->>key` (text). Numeric keys index arrays. */
export interface JsonPathStep {
  op: '->' | '->>';
  key: string | number;
}

/** A column, optionally followed by a JSON path: `data->a->>b`. */
export interface Field {
  name: string;
  jsonPath: JsonPathStep[];
}

export type AggregateFunction = 'count' | 'sum' | 'avg' | 'max' | 'min';

export type SelectItem =
  | { kind: 'star' }
  | {
      kind: 'field';
      field: Field;
      alias?: string;
      cast?: string;
    }
  | {
      /** `count()` or `col.sum()`: parsed so the planner can refuse it with PGRST123 (disabled on Supabase). */
      kind: 'aggregate';
      fn: AggregateFunction;
      field?: Field;
      alias?: string;
      cast?: string;
    }
  | {
      kind: 'embed';
      /** Table/view name, FK constraint name or FK column name, as written. */
      relation: string;
      alias?: string;
      /** After `!`: FK constraint name, FK column, or junction table. */
      hint?: string;
      /** `!inner` / `!left`; undefined means left. */
      joinType?: 'inner' | 'left';
      /** `...rel(...)` */
      spread: boolean;
      /** Empty for `rel()`: joined for filtering, nothing output. */
      select: SelectItem[];
    };

export type SimpleOperator =
  | 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte'
  | 'like' | 'ilike' | 'match' | 'imatch'
  | 'isdistinct'
  | 'cs' | 'cd' | 'ov'
  | 'sl' | 'sr' | 'nxr' | 'nxl' | 'adj';

/** Operators that accept the `(any)` / `(all)` modifier. */
export type QuantifiableOperator = 'eq' | 'like' | 'ilike' | 'gt' | 'gte' | 'lt' | 'lte' | 'match' | 'imatch';

export type FtsOperator = 'fts' | 'plfts' | 'phfts' | 'wfts';

export type IsValue = 'null' | 'not_null' | 'true' | 'false' | 'unknown';

export type Operation =
  | { kind: 'simple'; op: SimpleOperator; value: string }
  /** `eq(any).{a,b}`: the list elements, unquoted. */
  | { kind: 'quantified'; op: QuantifiableOperator; quantifier: 'any' | 'all'; values: string[] }
  | { kind: 'in'; values: string[] }
  | { kind: 'is'; value: IsValue }
  | { kind: 'fts'; op: FtsOperator; config?: string; value: string };

export interface Filter {
  field: Field;
  /** `not.` before the operator. */
  negated: boolean;
  operation: Operation;
}

/** A condition inside `or=(…)`/`and=(…)`. `path` is the embed path written before the field (`actors.name`). */
export interface LogicFilter {
  kind: 'filter';
  path: string[];
  filter: Filter;
}

/** Embed null checks in a tree, e.g. `or=(actors.not.is.null,...)`, are ordinary LogicFilters whose path
 *  is empty and whose field name is the embed's name; the planner tells the two apart. */
export interface LogicTree {
  kind: 'and' | 'or';
  negated: boolean;
  children: Array<LogicTree | LogicFilter>;
}

export interface OrderTerm {
  /** `order=rel(col).desc`: order top-level rows by a column of a to-one embed. */
  relation?: string;
  field: Field;
  direction?: 'asc' | 'desc';
  nulls?: 'first' | 'last';
}

/** Everything that may be scoped to an embed uses `path`: [] is the top level, ['actors','roles'] nested. */
export interface ScopedFilter {
  path: string[];
  filter: Filter;
}
export interface ScopedLogic {
  path: string[];
  tree: LogicTree;
}
export interface ScopedOrder {
  path: string[];
  terms: OrderTerm[];
}
export interface ScopedRange {
  path: string[];
  offset?: number;
  limit?: number;
}

export interface ReadParams {
  /** `[{kind:'star'}]` when the query has no `select`. */
  select: SelectItem[];
  filters: ScopedFilter[];
  logic: ScopedLogic[];
  order: ScopedOrder[];
  ranges: ScopedRange[];
}

export interface Preferences {
  return?: 'minimal' | 'headers-only' | 'representation';
  count?: 'exact' | 'planned' | 'estimated';
  resolution?: 'merge-duplicates' | 'ignore-duplicates';
  missing?: 'default';
  handling?: 'lenient' | 'strict';
  maxAffected?: number;
  tx?: 'commit' | 'rollback';
  timezone?: string;
  /** Entries not understood, verbatim; with `handling=strict` they are an error (PGRST122). */
  unrecognised: string[];
}

export type ResponseMedia =
  | 'json' // application/json, */*, absent
  | 'object' // application/vnd.pgrst.object+json
  | 'csv' // text/csv
  | 'text' // text/plain (scalar RPC results)
  | 'octet'; // application/octet-stream (scalar RPC results)

export interface Accept {
  media: ResponseMedia;
  /** `;nulls=stripped` on the pgrst array/object media types. */
  stripNulls: boolean;
}

export type Body =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; contentType: string; text: string }
  | { kind: 'binary'; contentType: string; bytes: Uint8Array };

export type Target =
  | { kind: 'relation'; name: string }
  | { kind: 'rpc'; name: string }
  | { kind: 'root' };

export type Method = 'GET' | 'HEAD' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface ApiRequest {
  method: Method;
  target: Target;
  /** From Accept-Profile (GET/HEAD) or Content-Profile (others); defaults to the first exposed schema. */
  schema: string;
  /** True when the schema came from a profile header (echoed back as Content-Profile). */
  schemaFromHeader: boolean;
  read: ReadParams;
  /** GET/HEAD RPC: query keys whose value has no operator are function arguments; repeated keys give arrays. */
  rpcArgs: Record<string, string | string[]>;
  /** `columns=` (quotes removed). */
  columns?: string[];
  /** `on_conflict=` */
  onConflict?: string[];
  preferences: Preferences;
  accept: Accept;
  body: Body;
  /** From the `Range: 0-9` header (items), applied to the top level. */
  headerRange?: { offset: number; limit?: number };
  /** Canonical query string (keys sorted), used for Content-Location. */
  canonicalQuery: string;
}
