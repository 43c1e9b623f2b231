// HTTP request → ApiRequest (supabase-api-subset.md §2.4–2.11).
//
// This layer only understands the URL/header/body grammar PostgREST accepts. It never
// produces SQL: every name it returns (columns, aliases, relations, hints, JSON keys) is
// an inert string the SQL layer must quote or bind, every filter value is a literal to be
// bound. The few things that cannot be bound are restricted here:
//   * casts (`::type`) match CAST_TYPE_RE: one identifier, or a multi-word built-in type
//     name made only of SQL type keywords (`double precision`, `timestamp with time zone`),
//     optionally followed by `[]` — safe to emit verbatim;
//   * order directions / null placement are enums; fts configs match FTS_CONFIG_RE;
//   * `is` values are an enum; limits/offsets are non-negative safe integers.
//
// Grammar errors are PGRST100 with PostgREST's message shape:
//   message `"failed to parse select parameter (<input>)" (line 1, column N)`
//   details `unexpected "x" expecting a, b or c`

import { jsonNestedDeeperThan } from '../request-body.ts';
import { ApiError, parseError, pgrst } from './errors.ts';
import type {
  Accept,
  AggregateFunction,
  ApiRequest,
  Body,
  Field,
  Filter,
  FtsOperator,
  IsValue,
  JsonPathStep,
  LogicFilter,
  LogicTree,
  Method,
  Operation,
  OrderTerm,
  Preferences,
  QuantifiableOperator,
  ScopedFilter,
  ScopedLogic,
  ScopedOrder,
  ScopedRange,
  SelectItem,
  SimpleOperator,
  Target,
} from './types.ts';

export interface RawRequest {
  /** Upper-case HTTP method. */
  method: string;
  /** Path after /rest/v1, e.g. '/', '/todos', '/rpc/my_fn'. */
  path: string;
  /** Raw query string without '?'. */
  query: string;
  /** Lower-cased header names; a repeated header (e.g. two `Prefer`) joined with ", " as Node/fetch do. */
  headers: Record<string, string>;
  /** Raw body (empty for none). */
  body: Uint8Array;
}

/** Casts the parser lets through; the SQL layer may emit them verbatim after `::`. */
export const CAST_TYPE_RE =
  /^[A-Za-z_][A-Za-z0-9_]*(?: [A-Za-z_][A-Za-z0-9_]*)*(?:\[\d*\])*$/;
/** Words allowed in a multi-word cast (`double precision`, `character varying`, `timestamp with time zone`…). */
const MULTI_WORD_TYPE_WORDS = new Set([
  'double', 'precision', 'character', 'char', 'varying', 'national', 'bit',
  'timestamp', 'time', 'with', 'without', 'zone',
]);
/** Text-search configuration names accepted in `fts(config)`. */
export const FTS_CONFIG_RE = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/** Nesting limit for select embeds and logic trees (keeps recursion bounded). */
const MAX_DEPTH = 64;

const METHODS: readonly Method[] = ['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE'];

// ---------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------

export function parseRequest(raw: RawRequest, exposedSchemas: string[]): ApiRequest {
  const defaultSchema = exposedSchemas[0];
  if (defaultSchema === undefined) throw new Error('parseRequest: exposedSchemas must not be empty');

  const target = parseTarget(raw.path);

  // Profile header: Content-Profile for writes, Accept-Profile otherwise (PostgREST getSchema).
  const isWriteMethod = raw.method === 'POST' || raw.method === 'PATCH' || raw.method === 'PUT' || raw.method === 'DELETE';
  const profile = isWriteMethod ? raw.headers['content-profile'] : raw.headers['accept-profile'];
  if (profile !== undefined && !exposedSchemas.includes(profile)) {
    throw pgrst(406, 'PGRST106', `Invalid schema: ${profile}`, null,
      `Only the following schemas are exposed: ${exposedSchemas.join(', ')}`);
  }
  const schema = profile ?? defaultSchema;

  const method = checkMethod(raw.method, target);
  const isRpcRead = target.kind === 'rpc' && (method === 'GET' || method === 'HEAD');

  const pairs = splitQuery(raw.query);
  const q = parseQueryParams(pairs, isRpcRead);

  const headerRange = method === 'GET' ? parseRangeHeader(raw.headers['range']) : undefined;
  if (method === 'PUT') {
    const top = q.ranges.find((r) => r.path.length === 0);
    if (top && (top.limit !== undefined || (top.offset ?? 0) > 0)) {
      throw pgrst(400, 'PGRST114', 'limit/offset querystring parameters are not allowed for PUT');
    }
  }

  const preferences = parsePreferences(raw.headers['prefer']);
  if (preferences.handling === 'strict' && preferences.unrecognised.length > 0) {
    throw pgrst(400, 'PGRST122', 'Invalid preferences given with handling=strict',
      `Invalid preferences: ${preferences.unrecognised.join(', ')}`);
  }

  const body = parseBody(raw, method, target, q.columns !== undefined);
  const accept = negotiateAccept(raw.headers['accept']);

  const result: ApiRequest = {
    method,
    target,
    schema,
    schemaFromHeader: profile !== undefined,
    read: { select: q.select, filters: q.filters, logic: q.logic, order: q.order, ranges: q.ranges },
    rpcArgs: q.rpcArgs,
    preferences,
    accept,
    body,
    canonicalQuery: canonicalQuery(pairs),
  };
  if (q.columns !== undefined) result.columns = q.columns;
  if (q.onConflict !== undefined) result.onConflict = q.onConflict;
  if (headerRange !== undefined) result.headerRange = headerRange;
  return result;
}

// ---------------------------------------------------------------------------
// Target and method
// ---------------------------------------------------------------------------

function parseTarget(path: string): Target {
  const trimmed = path.startsWith('/') ? path.slice(1) : path;
  if (trimmed === '') return { kind: 'root' };
  const segments = trimmed.split('/').map((s) => percentDecode(s, false));
  if (segments.length === 1 && segments[0] !== '') return { kind: 'relation', name: segments[0] as string };
  if (segments.length === 2 && segments[0] === 'rpc' && segments[1] !== '') {
    return { kind: 'rpc', name: segments[1] as string };
  }
  throw pgrst(404, 'PGRST125', 'Invalid path specified in request URL');
}

function checkMethod(method: string, target: Target): Method {
  if (target.kind === 'rpc') {
    if (method === 'GET' || method === 'HEAD' || method === 'POST') return method;
    throw pgrst(405, 'PGRST101', `Cannot use the ${method} method on RPC`);
  }
  const known = (METHODS as readonly string[]).includes(method) ? (method as Method) : undefined;
  if (known === undefined || (target.kind === 'root' && known !== 'GET' && known !== 'HEAD')) {
    throw pgrst(405, 'PGRST117', `Unsupported HTTP method: ${method}`);
  }
  return known;
}

// ---------------------------------------------------------------------------
// Query string
// ---------------------------------------------------------------------------

/** `[key, value]` pairs in order; value is null for a bare `key` without `=`. */
export type QueryPair = [string, string | null];

/** Split a raw query string: `&` separates, the first `=` splits, `+` is a space, %XX decoded. */
export function splitQuery(query: string): QueryPair[] {
  const out: QueryPair[] = [];
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) out.push([percentDecode(part, true), null]);
    else out.push([percentDecode(part.slice(0, eq), true), percentDecode(part.slice(eq + 1), true)]);
  }
  return out;
}

const utf8Lenient = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();

/** Percent-decode; malformed escapes stay literal, invalid UTF-8 becomes U+FFFD (never throws). */
function percentDecode(s: string, plusAsSpace: boolean): string {
  // Fast path only for strings with nothing to decode and no surrogates (a lone surrogate
  // must become U+FFFD, or re-encoding for the canonical query would throw).
  if (!s.includes('%') && !(plusAsSpace && s.includes('+')) && !/[\uD800-\uDFFF]/.test(s)) return s;
  const bytes = utf8Encoder.encode(s);
  const out = new Uint8Array(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (b === 0x2b && plusAsSpace) {
      out[n++] = 0x20;
    } else if (b === 0x25 && i + 2 < bytes.length && isHex(bytes[i + 1] as number) && isHex(bytes[i + 2] as number)) {
      out[n++] = (hexVal(bytes[i + 1] as number) << 4) | hexVal(bytes[i + 2] as number);
      i += 2;
    } else {
      out[n++] = b;
    }
  }
  return utf8Lenient.decode(out.subarray(0, n));
}

function isHex(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
}
function hexVal(b: number): number {
  return b <= 0x39 ? b - 0x30 : (b | 0x20) - 0x61 + 10;
}

/** Encode like Haskell's `urlEncode`: everything but ASCII alphanumerics and `-_.~`. */
function urlEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Parameters sorted by key (stable), re-encoded; bare keys become `key=`. */
function canonicalQuery(pairs: QueryPair[]): string {
  return [...pairs]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, v]) => `${urlEncode(k)}=${urlEncode(v ?? '')}`)
    .join('&');
}

const RESERVED_EMBEDDABLE = new Set(['order', 'limit', 'offset', 'and', 'or']);

interface ParsedQuery {
  select: SelectItem[];
  filters: ScopedFilter[];
  logic: ScopedLogic[];
  order: ScopedOrder[];
  ranges: ScopedRange[];
  rpcArgs: Record<string, string | string[]>;
  columns?: string[];
  onConflict?: string[];
}

function parseQueryParams(pairs: QueryPair[], isRpcRead: boolean): ParsedQuery {
  // `select`, `columns`, `on_conflict`: the first occurrence wins (PostgREST `lookup`).
  const first = (key: string): { found: boolean; value: string | null } => {
    const hit = pairs.find(([k]) => k === key);
    return hit ? { found: true, value: hit[1] } : { found: false, value: null };
  };

  const sel = first('select');
  const select: SelectItem[] = sel.value === null ? [{ kind: 'star' }] : parseSelect(sel.value);

  const out: ParsedQuery = { select, filters: [], logic: [], order: [], ranges: [], rpcArgs: {} };

  const cols = first('columns');
  if (cols.value !== null) out.columns = parseColumnList('columns', cols.value);
  const onc = first('on_conflict');
  if (onc.value !== null) out.onConflict = parseColumnList('on_conflict', onc.value);

  const ranges = new Map<string, ScopedRange>();
  const args = new Map<string, string | string[]>();

  for (const [key, value] of pairs) {
    if (value === null) continue; // bare keys only count for the canonical query
    if (key === 'select' || key === 'columns' || key === 'on_conflict') continue;
    const lastWord = key.slice(key.lastIndexOf('.') + 1);
    if (RESERVED_EMBEDDABLE.has(lastWord)) {
      if (lastWord === 'and' || lastWord === 'or') {
        out.logic.push(parseLogicParam(key, value));
      } else if (lastWord === 'order') {
        const path = parseReservedPath('tree path', key);
        out.order.push({ path, terms: parseOrder(value) });
      } else {
        const path = parseReservedPath('tree path', key);
        const n = parseNonNegativeInt(lastWord, value);
        const id = JSON.stringify(path);
        const range = ranges.get(id) ?? { path };
        if (lastWord === 'limit') range.limit = n;
        else range.offset = n;
        ranges.set(id, range);
      }
      continue;
    }

    const { path, field } = parseFilterKey(key);
    if (isRpcRead && !looksLikeOperator(value)) {
      const name = path.length === 0 && field.jsonPath.length === 0 ? field.name : key;
      const prev = args.get(name);
      if (prev === undefined) args.set(name, value);
      else if (typeof prev === 'string') args.set(name, [prev, value]);
      else prev.push(value);
      continue;
    }
    const { negated, operation } = parseFilterValue(value);
    out.filters.push({ path, filter: { field, negated, operation } });
  }

  out.ranges = [...ranges.values()];
  // Object.fromEntries defines own properties, so a `__proto__` argument stays an ordinary key.
  out.rpcArgs = Object.fromEntries(args);
  return out;
}

const OPERATOR_PREFIX_RE =
  /^(?:not\.)?(?:eq|neq|gt|gte|lt|lte|like|ilike|match|imatch|in|is|isdistinct|cs|cd|ov|sl|sr|nxr|nxl|adj|fts|plfts|phfts|wfts)[.(]/;

/** For GET RPC: does this value start like `[not.]op.` / `op(`? Otherwise it is a function argument. */
function looksLikeOperator(value: string): boolean {
  return OPERATOR_PREFIX_RE.test(value);
}

function parseNonNegativeInt(name: string, value: string): number {
  const n = /^[0-9]+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) {
    throw parseError(`"failed to parse ${name} parameter (${value})" (line 1, column 1)`,
      'expecting a non-negative integer');
  }
  return n;
}

// ---------------------------------------------------------------------------
// Parser machinery
// ---------------------------------------------------------------------------

/** Internal parse failure; always converted to PGRST100 by `run`. */
class Fail {
  constructor(
    readonly pos: number,
    readonly expecting: string[],
    readonly message?: string,
    readonly unexpected?: string,
  ) {}
}

const IDENT_RUN = /[\p{L}0-9_ $]+/uy;
const JSON_KEY_RUN = /[^(\-:.,>)]+/y;
const WS_RUN = /[ \t\r\n]*/y;

class Cursor {
  pos = 0;
  constructor(readonly s: string) {}

  get eof(): boolean {
    return this.pos >= this.s.length;
  }
  peek(offset = 0): string {
    return this.s.charAt(this.pos + offset);
  }
  at(text: string): boolean {
    return this.s.startsWith(text, this.pos);
  }
  eat(text: string): boolean {
    if (!this.at(text)) return false;
    this.pos += text.length;
    return true;
  }
  expect(text: string, label = `"${text}"`): void {
    if (!this.eat(text)) this.fail([label]);
  }
  ws(): void {
    this.pos += this.match(WS_RUN)?.length ?? 0;
  }
  /** Sticky-regex match at the cursor (does not advance). */
  match(re: RegExp): string | null {
    re.lastIndex = this.pos;
    const m = re.exec(this.s);
    return m && m[0].length > 0 ? m[0] : null;
  }
  fail(expecting: string[], at = this.pos, message?: string, unexpected?: string): never {
    throw new Fail(at, expecting, message, unexpected);
  }
}

function describeAt(s: string, pos: number): string {
  if (pos >= s.length) return 'end of input';
  const cp = s.codePointAt(pos) ?? 0;
  return JSON.stringify(String.fromCodePoint(cp));
}

function joinExpecting(items: string[]): string {
  const uniq = [...new Set(items)];
  if (uniq.length <= 1) return uniq.join('');
  return `${uniq.slice(0, -1).join(', ')} or ${uniq[uniq.length - 1]}`;
}

function position(s: string, pos: number): string {
  const before = s.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - (before.lastIndexOf('\n') + 1) + 1;
  return `(line ${line}, column ${column})`;
}

/** Run a parser over `input`; any Fail becomes PGRST100 named after `what` (e.g. "select parameter"). */
function run<T>(what: string, input: string, parser: (c: Cursor) => T, shown: string = input): T {
  const c = new Cursor(input);
  try {
    return parser(c);
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    const parts: string[] = [];
    if (e.message) parts.push(e.message);
    else parts.push(`unexpected ${e.unexpected ?? describeAt(input, e.pos)}`);
    if (e.expecting.length > 0) parts.push(`expecting ${joinExpecting(e.expecting)}`);
    throw parseError(`"failed to parse ${what} (${shown})" ${position(input, e.pos)}`, parts.join(' '));
  }
}

function atEnd(c: Cursor, expecting: string[]): void {
  c.ws();
  if (!c.eof) c.fail([...expecting, 'end of input']);
}

const FIELD_NAME = 'field name (* or [a..z0..9_$])';

/** `"quoted"` (backslash escapes) — the cursor is on the opening quote. */
function quotedValue(c: Cursor): string {
  const start = c.pos;
  c.pos++;
  let out = '';
  while (!c.eof) {
    const ch = c.peek();
    if (ch === '\\') {
      if (c.pos + 1 >= c.s.length) break;
      out += c.peek(1);
      c.pos += 2;
    } else if (ch === '"') {
      c.pos++;
      return out;
    } else {
      out += ch;
      c.pos++;
    }
  }
  return c.fail(['"\\""'], c.pos, `unterminated quoted name starting at column ${start + 1}:`);
}

/** Identifier pieces joined by `-` (a `-` not followed by `>`); each piece trimmed. */
function dashed(c: Cursor, run: RegExp, label: string): string {
  const pieces: string[] = [];
  for (;;) {
    const m = c.match(run);
    if (m === null) return c.fail(pieces.length === 0 ? [label] : ['letter or digit']);
    const piece = m.trim();
    if (piece === '') return c.fail([label]);
    pieces.push(piece);
    c.pos += m.length;
    if (c.peek() === '-' && c.peek(1) !== '>') {
      c.pos++;
      continue;
    }
    return pieces.join('-');
  }
}

/** Column / relation / alias / hint name: `"quoted"` or an identifier (letters, digits, `_`, `$`, space, inner `-`). */
function fieldName(c: Cursor): string {
  if (c.peek() === '"') return quotedValue(c);
  return dashed(c, IDENT_RUN, FIELD_NAME);
}

/** `->key`, `->>key`, `->0`, `->-1` … */
function jsonPath(c: Cursor): JsonPathStep[] {
  const steps: JsonPathStep[] = [];
  while (c.at('->')) {
    const op = c.at('->>') ? '->>' : '->';
    c.pos += op.length;
    const idx = c.match(/-?[0-9]+/y);
    if (idx !== null) {
      const after = c.pos + idx.length;
      const next = c.s.charAt(after);
      const ends = after >= c.s.length || next === '.' || next === ',' || next === ')' ||
        c.s.startsWith('->', after) || c.s.startsWith('::', after);
      const n = Number(idx);
      if (ends && Number.isSafeInteger(n)) {
        steps.push({ op, key: n });
        c.pos = after;
        continue;
      }
    }
    const key = c.peek() === '"' ? quotedValue(c) : dashed(c, JSON_KEY_RUN, 'JSON key (any character except .,:>()-)');
    steps.push({ op, key });
  }
  return steps;
}

/** `name[->path]` */
function field(c: Cursor): Field {
  const name = fieldName(c);
  return { name, jsonPath: jsonPath(c) };
}

/** Cast after `::` — see CAST_TYPE_RE. */
function castType(c: Cursor): string {
  const start = c.pos;
  const m = c.match(/[A-Za-z0-9_ \t[\]]+/y);
  const label = 'type name (letters, digits, _, spaces, [])';
  if (m === null) return c.fail([label]);
  const type = m.trim().replace(/\s+/g, ' ').replace(/ ?\[ ?/g, '[').replace(/ ?\] ?/g, ']');
  const words = type.replace(/(\[\d*\])+$/, '').split(' ');
  const ok = CAST_TYPE_RE.test(type) &&
    (words.length === 1 || words.every((w) => MULTI_WORD_TYPE_WORDS.has(w.toLowerCase())));
  if (!ok) return c.fail([label], start, `invalid cast type "${type}";`);
  c.pos += m.length;
  return type;
}

// ---------------------------------------------------------------------------
// select
// ---------------------------------------------------------------------------

/** Parse a `select=` value (empty string → no items). */
export function parseSelect(value: string): SelectItem[] {
  return run('select parameter', value, (c) => {
    const items = selectForest(c, 0);
    atEnd(c, ['","']);
    return items;
  });
}

function selectForest(c: Cursor, depth: number): SelectItem[] {
  if (depth > MAX_DEPTH) c.fail([], c.pos, `embedding nested deeper than ${MAX_DEPTH} levels`);
  c.ws();
  if (c.eof || c.peek() === ')') return [];
  const items = [selectItem(c, depth)];
  while (c.eat(',')) items.push(selectItem(c, depth));
  return items;
}

function itemEnd(c: Cursor, extra: string[] = []): void {
  c.ws();
  if (c.eof || c.peek() === ',' || c.peek() === ')') return;
  c.fail([...extra, '","', '")"', 'end of input']);
}

/** `alias:` prefix (a single `:`, not `::`); restores the cursor when absent. */
function optionalAlias(c: Cursor): string | undefined {
  const save = c.pos;
  if (c.peek() !== '"' && c.match(IDENT_RUN) === null) return undefined;
  try {
    const name = fieldName(c);
    c.ws();
    if (c.peek() === ':' && c.peek(1) !== ':') {
      c.pos++;
      c.ws();
      return name;
    }
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
  }
  c.pos = save;
  return undefined;
}

function embedParams(c: Cursor): { hint?: string; joinType?: 'inner' | 'left' } {
  const out: { hint?: string; joinType?: 'inner' | 'left' } = {};
  while (c.peek() === '!') {
    const at = c.pos;
    c.pos++;
    const quoted = c.peek() === '"';
    const name = fieldName(c);
    c.ws();
    if (!quoted && (name === 'inner' || name === 'left')) {
      if (out.joinType !== undefined) c.fail([], at, 'duplicate join type in embed');
      out.joinType = name;
    } else {
      if (out.hint !== undefined) c.fail([], at, 'more than one hint in embed');
      out.hint = name;
    }
  }
  return out;
}

const AGGREGATE_RE = /\.(sum|avg|count|max|min)\(\)/y;

function selectItem(c: Cursor, depth: number): SelectItem {
  c.ws();

  if (c.eat('...')) {
    c.ws();
    const relation = fieldName(c);
    c.ws();
    const params = embedParams(c);
    c.expect('(', '"(" (spread needs an embedded relation)');
    const select = selectForest(c, depth + 1);
    c.expect(')');
    itemEnd(c);
    return { kind: 'embed', relation, ...params, spread: true, select };
  }

  const alias = optionalAlias(c);
  const withAlias = <T extends object>(o: T): T => (alias === undefined ? o : { ...o, alias });

  if (c.peek() === '*') {
    if (alias !== undefined) c.fail([FIELD_NAME]);
    c.pos++;
    itemEnd(c);
    return { kind: 'star' };
  }

  if (c.eat('count()')) {
    c.ws();
    let cast: string | undefined;
    if (c.eat('::')) {
      c.ws();
      cast = castType(c);
    }
    itemEnd(c, cast === undefined ? ['"::"'] : []);
    const agg: SelectItem = withAlias({ kind: 'aggregate' as const, fn: 'count' as AggregateFunction });
    return cast === undefined ? agg : { ...agg, cast };
  }

  const nameAt = c.pos;
  const name = fieldName(c);
  c.ws();

  if (c.peek() === '!' || c.peek() === '(') {
    if (name === 'count') c.fail(['"count()"'], nameAt, 'an embedded relation cannot be named "count";');
    const params = embedParams(c);
    c.expect('(');
    const select = selectForest(c, depth + 1);
    c.expect(')');
    itemEnd(c);
    return withAlias({ kind: 'embed' as const, relation: name, ...params, spread: false, select });
  }

  const f: Field = { name, jsonPath: jsonPath(c) };
  c.ws();
  let cast: string | undefined;
  if (c.eat('::')) {
    c.ws();
    cast = castType(c);
    c.ws();
  }

  const agg = c.match(AGGREGATE_RE);
  if (agg !== null) {
    c.pos += agg.length;
    const fn = agg.slice(1, -2) as AggregateFunction;
    c.ws();
    // A cast before the aggregate (`col::int.sum()`) is validated but, like PostgREST's
    // selCast, not representable in SelectItem: the planner refuses aggregates anyway.
    let aggCast: string | undefined;
    if (c.eat('::')) {
      c.ws();
      aggCast = castType(c);
    }
    itemEnd(c);
    const item = withAlias({ kind: 'aggregate' as const, fn, field: f });
    return aggCast === undefined ? item : { ...item, cast: aggCast };
  }

  const AGG_LABEL = 'aggregate (.sum(), .avg(), .count(), .max(), .min())';
  itemEnd(c, cast !== undefined ? [AGG_LABEL]
    : f.jsonPath.length > 0 ? ['"->"', '"->>"', '"::"', AGG_LABEL]
    : ['"->"', '"->>"', '"!"', '"("', '"::"', AGG_LABEL]);
  const item = withAlias({ kind: 'field' as const, field: f });
  return cast === undefined ? item : { ...item, cast };
}

// ---------------------------------------------------------------------------
// Filter keys, reserved-key paths, columns
// ---------------------------------------------------------------------------

/** `[embed.path.]column[->json->>path]` */
function parseFilterKey(key: string): { path: string[]; field: Field } {
  return run('tree path', key, (c) => {
    const names = [fieldName(c)];
    while (c.eat('.')) names.push(fieldName(c));
    const jp = jsonPath(c);
    if (!c.eof) c.fail(['"."', '"->"', '"->>"', 'end of input']);
    return { path: names.slice(0, -1), field: { name: names[names.length - 1] as string, jsonPath: jp } };
  });
}

/** `a.b.order` → ['a','b'] (the last segment is the reserved word). */
function parseReservedPath(what: string, key: string): string[] {
  return run(what, key, (c) => {
    const names = [fieldName(c)];
    while (c.eat('.')) names.push(fieldName(c));
    if (!c.eof) c.fail(['"."', 'end of input']);
    return names.slice(0, -1);
  });
}

/** `columns=` / `on_conflict=`: names separated by commas, quotes removed. */
function parseColumnList(param: string, value: string): string[] {
  return run(`${param} parameter`, value, (c) => {
    const names: string[] = [];
    do {
      c.ws();
      names.push(fieldName(c));
      c.ws();
    } while (c.eat(','));
    if (!c.eof) c.fail(['","', 'end of input']);
    return names;
  });
}

// ---------------------------------------------------------------------------
// Operators and values
// ---------------------------------------------------------------------------

const SIMPLE_OPS = new Set<SimpleOperator>([
  'neq', 'isdistinct', 'cs', 'cd', 'ov', 'sl', 'sr', 'nxr', 'nxl', 'adj',
]);
const QUANT_OPS = new Set<QuantifiableOperator>(['eq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'match', 'imatch']);
const FTS_OPS = new Set<FtsOperator>(['fts', 'plfts', 'phfts', 'wfts']);
const IS_VALUES = new Set<IsValue>(['null', 'not_null', 'true', 'false', 'unknown']);
const OPERATOR_LABEL = 'operator (eq, gt, ...)';

/** Value syntax: `single` takes the rest of the string literally; `logic` stops at `,`/`)` (quotes, `{…}` allowed). */
type ValueMode = 'single' | 'logic';

/** Parse a top-level filter value `[not.]op[(mod)].value`. */
export function parseFilterValue(value: string): { negated: boolean; operation: Operation } {
  return run('filter', value, (c) => {
    const r = opExpr(c, 'single');
    if (!c.eof) c.fail(['end of input']);
    return r;
  });
}

function opExpr(c: Cursor, mode: ValueMode): { negated: boolean; operation: Operation } {
  const negated = c.eat('not.');
  const opAt = c.pos;
  const name = c.match(/[a-z]+/y);
  if (name === null) return c.fail(negated ? [OPERATOR_LABEL] : ['"not"', OPERATOR_LABEL]);
  const known = name === 'in' || name === 'is' || SIMPLE_OPS.has(name as SimpleOperator) ||
    QUANT_OPS.has(name as QuantifiableOperator) || FTS_OPS.has(name as FtsOperator);
  if (!known) return c.fail(negated ? [OPERATOR_LABEL] : ['"not"', OPERATOR_LABEL], opAt, undefined, JSON.stringify(name));
  c.pos += name.length;

  if (name === 'in') {
    c.expect('.', 'delimiter (.)');
    const values = inList(c);
    if (mode === 'single') atEnd(c, []);
    return { negated, operation: { kind: 'in', values } };
  }

  if (name === 'is') {
    c.expect('.', 'delimiter (.)');
    const at = c.pos;
    // In a tree, whitespace before the next `,`/`)` is not part of the value.
    const token = mode === 'single' ? c.s.slice(c.pos) : (c.match(/[^,)]+/y) ?? '').replace(/[ \t\r\n]+$/, '');
    const v = token.toLowerCase();
    if (!IS_VALUES.has(v as IsValue)) {
      c.fail(['isVal: (null, not_null, true, false, unknown)'], at, undefined,
        token === '' ? 'end of input' : JSON.stringify(token));
    }
    c.pos += token.length;
    return { negated, operation: { kind: 'is', value: v as IsValue } };
  }

  if (FTS_OPS.has(name as FtsOperator)) {
    let config: string | undefined;
    if (c.eat('(')) {
      const at = c.pos;
      const raw = c.match(/[^)]*/y) ?? '';
      const cfg = raw.trim();
      if (!FTS_CONFIG_RE.test(cfg)) c.fail(['text search configuration name'], at);
      c.pos += raw.length;
      c.expect(')');
      config = cfg;
    }
    c.expect('.', 'delimiter (.)');
    const v = valueToken(c, mode);
    const operation: Operation = { kind: 'fts', op: name as FtsOperator, value: v };
    if (config !== undefined) operation.config = config;
    return { negated, operation };
  }

  if (QUANT_OPS.has(name as QuantifiableOperator)) {
    const op = name as QuantifiableOperator;
    let quantifier: 'any' | 'all' | undefined;
    if (c.eat('(any)')) quantifier = 'any';
    else if (c.eat('(all)')) quantifier = 'all';
    else if (c.peek() === '(') c.fail(['"(any)"', '"(all)"']);
    c.expect('.', 'delimiter (.)');
    const at = c.pos;
    const v = valueToken(c, mode);
    const isLike = op === 'like' || op === 'ilike';
    if (quantifier !== undefined) {
      const values = arrayLiteral(c, v, at).map((x) => (isLike ? starToPercent(x) : x));
      return { negated, operation: { kind: 'quantified', op, quantifier, values } };
    }
    const simple = op as SimpleOperator;
    return { negated, operation: { kind: 'simple', op: simple, value: isLike ? starToPercent(v) : v } };
  }

  c.expect('.', 'delimiter (.)');
  const v = valueToken(c, mode);
  return { negated, operation: { kind: 'simple', op: name as SimpleOperator, value: v } };
}

function starToPercent(v: string): string {
  return v.replace(/\*/g, '%');
}

/** A single value: rest of input (`single`), or in a logic tree `"quoted"` | `{…}` | up to `,`/`)`. */
function valueToken(c: Cursor, mode: ValueMode): string {
  if (mode === 'single') {
    const v = c.s.slice(c.pos);
    c.pos = c.s.length;
    return v;
  }
  const save = c.pos;
  if (c.peek() === '"') {
    try {
      const v = quotedValue(c);
      if (c.eof || c.peek() === ',' || c.peek() === ')') return v;
    } catch (e) {
      if (!(e instanceof Fail)) throw e;
    }
    c.pos = save;
  }
  if (c.peek() === '{') {
    const arr = c.match(/\{[^{}]*\}/y);
    if (arr !== null) {
      c.pos += arr.length;
      return arr;
    }
  }
  const raw = c.match(/[^,)]+/y) ?? '';
  c.pos += raw.length;
  return raw;
}

/** `(a,"b,c",d)` — quoted elements with `\` escapes; `()` is the empty list. */
function inList(c: Cursor): string[] {
  c.ws();
  c.expect('(');
  c.ws();
  const values: string[] = [];
  let sawQuoted = false;
  for (;;) {
    const save = c.pos;
    let done = false;
    if (c.peek() === '"') {
      try {
        const v = quotedValue(c);
        if (c.eof || c.peek() === ',' || c.peek() === ')') {
          values.push(v);
          sawQuoted = true;
          done = true;
        }
      } catch (e) {
        if (!(e instanceof Fail)) throw e;
      }
      if (!done) c.pos = save;
    }
    if (!done) {
      const raw = c.match(/[^,)]+/y) ?? '';
      c.pos += raw.length;
      values.push(raw);
    }
    if (!c.eat(',')) break;
  }
  c.ws();
  c.expect(')', '")" or ","');
  // `in.()` is the empty list (matches nothing); `in.("")` is one empty string.
  if (values.length === 1 && values[0] === '' && !sawQuoted) return [];
  return values;
}

/** `{a,"b,c",d}` for `(any)`/`(all)`: elements unquoted; `\` escapes; unquoted elements trimmed. */
function arrayLiteral(c: Cursor, v: string, base: number): string[] {
  const failAt = (i: number, expecting: string[], message?: string): never =>
    c.fail(expecting, base + i, message);
  let i = 0;
  const skipWs = (): void => {
    while (i < v.length && /\s/.test(v.charAt(i))) i++;
  };
  skipWs();
  if (v.charAt(i) !== '{') return failAt(i, ['"{" (array literal like {a,b})']);
  i++;
  skipWs();
  const out: string[] = [];
  if (v.charAt(i) === '}') {
    i++;
  } else {
    for (;;) {
      skipWs();
      let el = '';
      if (v.charAt(i) === '"') {
        i++;
        let closed = false;
        while (i < v.length) {
          const ch = v.charAt(i);
          if (ch === '\\' && i + 1 < v.length) {
            el += v.charAt(i + 1);
            i += 2;
          } else if (ch === '"') {
            i++;
            closed = true;
            break;
          } else {
            el += ch;
            i++;
          }
        }
        if (!closed) return failAt(i, ['"\\""']);
        skipWs();
      } else {
        while (i < v.length) {
          const ch = v.charAt(i);
          if (ch === ',' || ch === '}') break;
          if (ch === '{' || ch === '"') return failAt(i, ['","', '"}"'], 'nested arrays and stray quotes are not supported;');
          if (ch === '\\' && i + 1 < v.length) {
            el += v.charAt(i + 1);
            i += 2;
          } else {
            el += ch;
            i++;
          }
        }
        el = el.trim();
        if (el === '') return failAt(i, ['array element']);
      }
      out.push(el);
      const ch = v.charAt(i);
      if (ch === ',') {
        i++;
        continue;
      }
      if (ch === '}') {
        i++;
        break;
      }
      return failAt(i, ['","', '"}"']);
    }
  }
  skipWs();
  if (i < v.length) failAt(i, ['end of array']);
  return out;
}

// ---------------------------------------------------------------------------
// Logic trees
// ---------------------------------------------------------------------------

/** Key `[path.][not.](or|and)` + value `(…)` */
function parseLogicParam(key: string, value: string): ScopedLogic {
  const names = run('logic path', key, (c) => {
    const ns = [fieldName(c)];
    while (c.eat('.')) ns.push(fieldName(c));
    if (!c.eof) c.fail(['"."', 'end of input']);
    return ns;
  });
  const op = names[names.length - 1] as string;
  const rest = names.slice(0, -1);
  const negated = rest.includes('not');
  const path = rest.filter((n) => n !== 'not');
  // Parse `op + value` like PostgREST, so columns count from the start of "or(…".
  const tree = run('logic tree', `${negated ? 'not.' : ''}${op}${value}`, (c) => {
    const t = logicTree(c, 0);
    atEnd(c, []);
    return t;
  }, value);
  return { path, tree };
}

/** Parse a full tree expression such as `or(a.eq.1,and(b.gt.2,c.is.null))`. */
export function parseLogicTree(expression: string): LogicTree {
  return run('logic tree', expression, (c) => {
    const t = logicTree(c, 0);
    atEnd(c, []);
    return t;
  });
}

const LOGIC_START_RE = /(?:not\.)?(?:and|or)[ \t]*\(/y;

function logicTree(c: Cursor, depth: number): LogicTree {
  if (depth > MAX_DEPTH) c.fail([], c.pos, `logic tree nested deeper than ${MAX_DEPTH} levels`);
  c.ws();
  const negated = c.eat('not.');
  let kind: 'and' | 'or';
  if (c.eat('and')) kind = 'and';
  else if (c.eat('or')) kind = 'or';
  else return c.fail(['logic operator (and, or)']);
  c.ws();
  c.expect('(');
  const children: Array<LogicTree | LogicFilter> = [];
  do {
    c.ws();
    children.push(c.match(LOGIC_START_RE) !== null ? logicTree(c, depth + 1) : logicCondition(c));
    c.ws();
  } while (c.eat(','));
  c.expect(')', '")" or ","');
  return { kind, negated, children };
}

/**
 * `[embed.path.]field[->json].[not.]op.value`. The path ends at the first position where the
 * rest parses as an operator expression (`actors.not.is.null` → field `actors`, path []).
 */
function logicCondition(c: Cursor): LogicFilter {
  const path: string[] = [];
  let furthest: Fail | undefined;
  const remember = (e: Fail): void => {
    if (furthest === undefined || e.pos > furthest.pos) furthest = e;
  };
  if (c.peek() !== '"' && c.match(IDENT_RUN) === null) {
    c.fail([FIELD_NAME, 'negation operator (not)', 'logic operator (and, or)']);
  }
  for (;;) {
    let name: string;
    let jp: JsonPathStep[];
    try {
      name = fieldName(c);
      jp = jsonPath(c);
      c.ws();
      c.expect('.', 'delimiter (.)');
    } catch (e) {
      if (!(e instanceof Fail)) throw e;
      remember(e);
      throw furthest ?? e;
    }
    const save = c.pos;
    try {
      const { negated, operation } = opExpr(c, 'logic');
      const filter: Filter = { field: { name, jsonPath: jp }, negated, operation };
      return { kind: 'filter', path, filter };
    } catch (e) {
      if (!(e instanceof Fail)) throw e;
      remember(e);
      if (jp.length > 0) throw furthest ?? e;
      c.pos = save;
      path.push(name);
    }
  }
}

// ---------------------------------------------------------------------------
// order
// ---------------------------------------------------------------------------

/** `a,b.desc,c.asc.nullslast,data->x.desc,rel(col).desc` */
export function parseOrder(value: string): OrderTerm[] {
  return run('order', value, (c) => {
    const terms = [orderTerm(c)];
    while (c.eat(',')) terms.push(orderTerm(c));
    if (!c.eof) c.fail(['","', 'end of input']);
    return terms;
  });
}

function orderTerm(c: Cursor): OrderTerm {
  c.ws();
  const name = fieldName(c);
  c.ws();
  let term: OrderTerm;
  if (c.eat('(')) {
    c.ws();
    const f = field(c);
    c.ws();
    c.expect(')');
    term = { relation: name, field: f };
  } else {
    term = { field: { name, jsonPath: jsonPath(c) } };
  }
  c.ws();
  const DIRS = ['"asc"', '"desc"', '"nullsfirst"', '"nullslast"'];
  for (let n = 0; n < 2 && c.peek() === '.'; n++) {
    c.pos++;
    const at = c.pos;
    const word = c.match(/[^.,\s]+/y) ?? '';
    const allowed = term.nulls !== undefined ? [] : term.direction !== undefined ? DIRS.slice(2) : DIRS;
    const shown = word === '' ? describeAt(c.s, at) : JSON.stringify(word);
    if ((word === 'asc' || word === 'desc') && term.direction === undefined && term.nulls === undefined) {
      term.direction = word;
    } else if ((word === 'nullsfirst' || word === 'nullslast') && term.nulls === undefined) {
      term.nulls = word === 'nullsfirst' ? 'first' : 'last';
    } else {
      c.fail(allowed, at, undefined, shown);
    }
    c.pos += word.length;
    c.ws();
  }
  if (!c.eof && c.peek() !== ',') {
    c.fail([...(term.nulls === undefined ? ['delimiter (.)'] : []), '","', 'end of input']);
  }
  return term;
}

// ---------------------------------------------------------------------------
// Headers: Prefer, Accept, Range
// ---------------------------------------------------------------------------

/** Comma-separated `Prefer` entries; the first of each kind wins; unknown entries kept verbatim. */
export function parsePreferences(header: string | undefined): Preferences {
  const prefs: Preferences = { unrecognised: [] };
  if (header === undefined) return prefs;
  let sawTimezone = false;
  let sawMaxAffected = false;
  for (const rawEntry of header.split(',')) {
    const p = rawEntry.trim();
    if (p === '') continue;
    switch (p) {
      case 'return=minimal':
      case 'return=headers-only':
      case 'return=representation':
        prefs.return ??= p.slice(7) as Preferences['return'];
        continue;
      case 'count=exact':
      case 'count=planned':
      case 'count=estimated':
        prefs.count ??= p.slice(6) as Preferences['count'];
        continue;
      case 'resolution=merge-duplicates':
      case 'resolution=ignore-duplicates':
        prefs.resolution ??= p.slice(11) as Preferences['resolution'];
        continue;
      case 'missing=default':
        prefs.missing ??= 'default';
        continue;
      case 'missing=null': // PostgREST's default behaviour; recognised, nothing to record
        continue;
      case 'handling=lenient':
      case 'handling=strict':
        prefs.handling ??= p.slice(9) as Preferences['handling'];
        continue;
      case 'tx=commit':
      case 'tx=rollback':
        prefs.tx ??= p.slice(3) as Preferences['tx'];
        continue;
    }
    if (p.startsWith('timezone=')) {
      if (!sawTimezone) prefs.timezone = p.slice('timezone='.length);
      sawTimezone = true;
      continue;
    }
    if (p.startsWith('max-affected=')) {
      // Like PostgREST: only the first entry counts; a malformed number is ignored, not "unrecognised".
      const v = p.slice('max-affected='.length);
      if (!sawMaxAffected && /^[0-9]+$/.test(v) && Number.isSafeInteger(Number(v))) prefs.maxAffected = Number(v);
      sawMaxAffected = true;
      continue;
    }
    prefs.unrecognised.push(p);
  }
  return prefs;
}

/** Pick the response media type from `Accept` (q-values honoured, ties keep header order). */
export function negotiateAccept(header: string | undefined): Accept {
  if (header === undefined || header.trim() === '') return { media: 'json', stripNulls: false };
  const entries: Array<{ shown: string; type: string; params: Map<string, string>; q: number; index: number }> = [];
  header.split(',').forEach((part, index) => {
    const [typePart = '', ...paramParts] = part.split(';');
    const type = typePart.trim().toLowerCase();
    if (type === '') return;
    const params = new Map<string, string>();
    let q = 1;
    const shownParams: string[] = [];
    for (const pp of paramParts) {
      const eq = pp.indexOf('=');
      if (eq < 0) continue;
      const k = pp.slice(0, eq).trim().toLowerCase();
      const v = pp.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
      if (k === 'q') {
        const n = Number(v);
        q = Number.isFinite(n) ? n : 1;
      } else {
        params.set(k, v);
        shownParams.push(`${k}=${v}`);
      }
    }
    entries.push({ shown: [typePart.trim(), ...shownParams].join(';'), type, params, q, index });
  });
  const ranked = entries.filter((e) => e.q > 0).sort((a, b) => b.q - a.q || a.index - b.index);
  for (const e of ranked) {
    const stripped = e.params.get('nulls') === 'stripped';
    switch (e.type) {
      case '*/*':
      case 'application/*':
      case 'application/json':
        return { media: 'json', stripNulls: false };
      case 'application/vnd.pgrst.array+json':
      case 'application/vnd.pgrst.array':
        return { media: 'json', stripNulls: stripped };
      case 'application/vnd.pgrst.object+json':
      case 'application/vnd.pgrst.object':
        return { media: 'object', stripNulls: stripped };
      case 'text/csv':
        return { media: 'csv', stripNulls: false };
      case 'text/plain':
        return { media: 'text', stripNulls: false };
      case 'application/octet-stream':
        return { media: 'octet', stripNulls: false };
    }
  }
  throw pgrst(406, 'PGRST107', `None of these media types are available: ${entries.map((e) => e.shown).join(', ')}`);
}

/** `Range: 0-9` / `5-` (GET only). Malformed values are ignored; lower > upper is 416. */
function parseRangeHeader(header: string | undefined): { offset: number; limit?: number } | undefined {
  if (header === undefined) return undefined;
  const m = /^([0-9]+)-([0-9]*)$/.exec(header);
  if (!m) return undefined;
  const lower = Number(m[1]);
  const upper = m[2] === '' ? undefined : Number(m[2]);
  if (!Number.isSafeInteger(lower) || (upper !== undefined && !Number.isSafeInteger(upper))) return undefined;
  if (upper === undefined) return { offset: lower };
  if (upper < lower) {
    throw pgrst(416, 'PGRST103', 'Requested range not satisfiable',
      'The lower boundary must be lower than or equal to the upper boundary in the Range header.');
  }
  return { offset: lower, limit: upper - lower + 1 };
}

// ---------------------------------------------------------------------------
// Body
// ---------------------------------------------------------------------------

function invalidBody(message: string): ApiError {
  return pgrst(400, 'PGRST102', message);
}

function parseBody(raw: RawRequest, method: Method, target: Target, hasColumns: boolean): Body {
  if (method !== 'POST' && method !== 'PATCH' && method !== 'PUT') return { kind: 'none' };
  const isRpc = target.kind === 'rpc';
  const contentType = raw.headers['content-type'];
  const mime = contentType === undefined
    ? 'application/json'
    : (contentType.split(';')[0] ?? '').trim().toLowerCase();

  switch (mime) {
    case 'application/json': {
      let value: unknown;
      if (raw.body.length === 0 && isRpc) {
        value = {};
      } else {
        try {
          const text = new TextDecoder('utf-8', { fatal: true }).decode(raw.body);
          // Later stages walk the document recursively; nesting this deep is no real payload.
          if (jsonNestedDeeperThan(text)) throw new Error('nested too deeply');
          value = JSON.parse(text);
        } catch {
          throw invalidBody('Empty or invalid json');
        }
      }
      if (hasColumns) return { kind: 'json', value };
      return { kind: 'json', value: checkUniformKeys(value, 'All object keys must match') };
    }
    case 'text/csv':
      return { kind: 'json', value: csvToJson(utf8Lenient.decode(raw.body)) };
    case 'application/x-www-form-urlencoded': {
      const pairs = splitQuery(utf8Lenient.decode(raw.body));
      return { kind: 'json', value: Object.fromEntries(pairs.map(([k, v]) => [k, v ?? ''])) };
    }
    case 'text/plain':
    case 'text/xml':
      if (isRpc) return { kind: 'text', contentType: mime, text: utf8Lenient.decode(raw.body) };
      break;
    case 'application/octet-stream':
      if (isRpc) return { kind: 'binary', contentType: mime, bytes: raw.body };
      break;
  }
  throw invalidBody(`Content-Type not acceptable: ${mime}`);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * PostgREST `payloadAttributes`: an array must hold objects with identical key sets; an object
 * passes; any other JSON value is treated as an empty array.
 */
function checkUniformKeys(value: unknown, message: string): unknown {
  if (isPlainObject(value)) return value;
  if (!Array.isArray(value)) return [];
  if (value.length === 0) return value;
  const head: unknown = value[0];
  if (!isPlainObject(head)) throw invalidBody(message);
  const keys = Object.keys(head).sort();
  for (const row of value) {
    if (!isPlainObject(row)) throw invalidBody(message);
    const k = Object.keys(row).sort();
    if (k.length !== keys.length || k.some((x, i) => x !== keys[i])) throw invalidBody(message);
  }
  return value;
}

/** RFC 4180 CSV with a header row → array of objects; `NULL` → null, everything else a string. */
function csvToJson(text: string): Array<Record<string, string | null>> {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let inQuotes = false;
  let rowHasContent = false;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (inQuotes) {
      if (ch === '"') {
        if (text.charAt(i + 1) === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        i++;
        continue;
      }
      cell += ch;
      i++;
      continue;
    }
    if (ch === '"' && cell === '') {
      inQuotes = true;
      rowHasContent = true;
      i++;
    } else if (ch === ',') {
      row.push(cell);
      cell = '';
      rowHasContent = true;
      i++;
    } else if (ch === '\n' || ch === '\r') {
      if (rowHasContent || cell !== '') {
        row.push(cell);
        rows.push(row);
      }
      row = [];
      cell = '';
      rowHasContent = false;
      i += ch === '\r' && text.charAt(i + 1) === '\n' ? 2 : 1;
    } else {
      cell += ch;
      rowHasContent = true;
      i++;
    }
  }
  if (inQuotes) throw invalidBody('Invalid CSV: unterminated quoted field');
  if (rowHasContent || cell !== '') {
    row.push(cell);
    rows.push(row);
  }
  const header = rows[0];
  if (header === undefined) throw invalidBody('Invalid CSV: missing header line');
  return rows.slice(1).map((r) => {
    if (r.length !== header.length) throw invalidBody('All lines must have same number of fields');
    return Object.fromEntries(header.map((h, j) => {
      const v = r[j] as string;
      return [h, v === 'NULL' ? null : v];
    }));
  });
}
