import { describe, expect, it } from 'vitest';

import { ApiError } from '../../stack/gateway/rest/errors.ts';
import {
  CAST_TYPE_RE,
  negotiateAccept,
  parsePreferences,
  parseRequest,
  type RawRequest,
} from '../../stack/gateway/rest/parse.ts';
import type { ApiRequest, Field, Filter, LogicTree, SelectItem } from '../../stack/gateway/rest/types.ts';

const SCHEMAS = ['public', 'graphql_public'];
const enc = new TextEncoder();

function parse(over: Partial<RawRequest> = {}): ApiRequest {
  return parseRequest(
    { method: 'GET', path: '/todos', query: '', headers: {}, body: new Uint8Array(), ...over },
    SCHEMAS,
  );
}
const q = (query: string, over: Partial<RawRequest> = {}): ApiRequest => parse({ query, ...over });
const post = (body: string, over: Partial<RawRequest> = {}): ApiRequest =>
  parse({ method: 'POST', body: enc.encode(body), ...over });

function catchApi(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError, got a result');
}
function expectErr(fn: () => unknown, status: number, code: string, message?: string | RegExp): ApiError {
  const e = catchApi(fn);
  expect({ status: e.status, code: e.body.code }).toEqual({ status, code });
  if (typeof message === 'string') expect(e.body.message).toBe(message);
  else if (message) expect(e.body.message).toMatch(message);
  return e;
}
const parse100 = (query: string, over: Partial<RawRequest> = {}): ApiError =>
  expectErr(() => q(query, over), 400, 'PGRST100');

const fld = (name: string, ...jsonPath: Field['jsonPath']): Field => ({ name, jsonPath });
const col = (name: string): SelectItem => ({ kind: 'field', field: fld(name) });
const sel = (select: string): SelectItem[] => q(`select=${encodeURIComponent(select)}`).read.select;
const filters = (query: string): Filter[] => q(query).read.filters.map((f) => f.filter);
const tree = (query: string): LogicTree => {
  const logic = q(query).read.logic;
  expect(logic).toHaveLength(1);
  return logic[0]!.tree;
};

// ---------------------------------------------------------------------------

describe('target and method', () => {
  it('maps paths to root, relation and rpc targets', () => {
    expect(parse({ path: '/' }).target).toStrictEqual({ kind: 'root' });
    expect(parse({ path: '' }).target).toStrictEqual({ kind: 'root' });
    expect(parse({ path: '/todos' }).target).toStrictEqual({ kind: 'relation', name: 'todos' });
    expect(parse({ path: '/my%20table' }).target).toStrictEqual({ kind: 'relation', name: 'my table' });
    expect(parse({ path: '/rpc/my_fn' }).target).toStrictEqual({ kind: 'rpc', name: 'my_fn' });
    expect(parse({ path: '/rpc' }).target).toStrictEqual({ kind: 'relation', name: 'rpc' });
  });

  it('rejects deeper paths with PGRST125', () => {
    expectErr(() => parse({ path: '/a/b' }), 404, 'PGRST125', 'Invalid path specified in request URL');
    expectErr(() => parse({ path: '/rpc/a/b' }), 404, 'PGRST125');
    expectErr(() => parse({ path: '/rpc/' }), 404, 'PGRST125');
  });

  it('accepts the six methods on relations', () => {
    for (const method of ['GET', 'HEAD', 'DELETE'] as const) expect(parse({ method }).method).toBe(method);
    for (const method of ['POST', 'PATCH', 'PUT'] as const) expect(post('{}', { method }).method).toBe(method);
  });

  it('rejects other methods with 405 PGRST117', () => {
    for (const method of ['TRACE', 'OPTIONS', 'CONNECT', 'FOO']) {
      expectErr(() => parse({ method }), 405, 'PGRST117', `Unsupported HTTP method: ${method}`);
    }
    expectErr(() => parse({ method: 'POST', path: '/' }), 405, 'PGRST117', 'Unsupported HTTP method: POST');
  });

  it('allows only GET/HEAD/POST on RPC (PGRST101)', () => {
    expect(parse({ path: '/rpc/f' }).method).toBe('GET');
    expect(parse({ path: '/rpc/f', method: 'HEAD' }).method).toBe('HEAD');
    expect(parse({ path: '/rpc/f', method: 'POST' }).method).toBe('POST');
    for (const method of ['PATCH', 'PUT', 'DELETE']) {
      expectErr(() => parse({ path: '/rpc/f', method }), 405, 'PGRST101', `Cannot use the ${method} method on RPC`);
    }
  });
});

describe('schema selection', () => {
  it('defaults to the first exposed schema', () => {
    const r = parse();
    expect(r.schema).toBe('public');
    expect(r.schemaFromHeader).toBe(false);
  });

  it('uses Accept-Profile for GET/HEAD and Content-Profile for writes', () => {
    expect(parse({ headers: { 'accept-profile': 'graphql_public' } })).toMatchObject({
      schema: 'graphql_public',
      schemaFromHeader: true,
    });
    expect(parse({ method: 'HEAD', headers: { 'accept-profile': 'graphql_public' } }).schema).toBe('graphql_public');
    expect(post('{}', { headers: { 'content-profile': 'graphql_public' } })).toMatchObject({
      schema: 'graphql_public',
      schemaFromHeader: true,
    });
    expect(parse({ method: 'DELETE', headers: { 'content-profile': 'graphql_public' } }).schema).toBe('graphql_public');
    // The other header is ignored.
    expect(post('{}', { headers: { 'accept-profile': 'nope' } }).schema).toBe('public');
    expect(parse({ headers: { 'content-profile': 'nope' } }).schema).toBe('public');
  });

  it('rejects a schema that is not exposed with 406 PGRST106', () => {
    const e = expectErr(() => parse({ headers: { 'accept-profile': 'private' } }), 406, 'PGRST106', 'Invalid schema: private');
    expect(e.body.hint).toBe('Only the following schemas are exposed: public, graphql_public');
    expect(e.body.details).toBeNull();
    expectErr(() => post('{}', { headers: { 'content-profile': 'auth' } }), 406, 'PGRST106', 'Invalid schema: auth');
  });
});

describe('query string', () => {
  it("treats '+' as space and percent-decodes keys and values", () => {
    expect(q('select=first+name,%22a%2Cb%22').read.select).toStrictEqual([col('first name'), col('a,b')]);
    expect(filters('my+col=eq.a+b%2Bc')).toStrictEqual([
      { field: fld('my col'), negated: false, operation: { kind: 'simple', op: 'eq', value: 'a b+c' } },
    ]);
  });

  it('keeps malformed escapes literally and splits on the first =', () => {
    expect(filters('a=eq.100%')[0]!.operation).toStrictEqual({ kind: 'simple', op: 'eq', value: '100%' });
    expect(filters('a=eq.%zz')[0]!.operation).toStrictEqual({ kind: 'simple', op: 'eq', value: '%zz' });
    expect(filters('a=eq.x=y')[0]!.operation).toStrictEqual({ kind: 'simple', op: 'eq', value: 'x=y' });
    expect(filters('a=eq.%C3%A9')[0]!.operation).toStrictEqual({ kind: 'simple', op: 'eq', value: 'é' });
  });

  it('keeps repeated filter keys (ANDed)', () => {
    expect(q('x=gte.1&x=lte.5').read.filters).toStrictEqual([
      { path: [], filter: { field: fld('x'), negated: false, operation: { kind: 'simple', op: 'gte', value: '1' } } },
      { path: [], filter: { field: fld('x'), negated: false, operation: { kind: 'simple', op: 'lte', value: '5' } } },
    ]);
  });

  it('ignores bare keys except in the canonical query', () => {
    const r = q('flag&select=id');
    expect(r.read.filters).toStrictEqual([]);
    expect(r.canonicalQuery).toBe('flag=&select=id');
  });

  it('builds a canonical query sorted by key (stable) and re-encoded', () => {
    expect(q('select=id&b=eq.2&a=eq.1&a=eq.0').canonicalQuery).toBe('a=eq.1&a=eq.0&b=eq.2&select=id');
    // Sorted by the decoded key ('s' < 'é'), then percent-encoded.
    expect(q('select=first+name,rel(*)&%C3%A9=eq.x%20y').canonicalQuery).toBe(
      'select=first%20name%2Crel%28%2A%29&%C3%A9=eq.x%20y',
    );
    expect(q('').canonicalQuery).toBe('');
  });

  it('a default read has star select and nothing else', () => {
    const r = q('');
    expect(r.read).toStrictEqual({ select: [{ kind: 'star' }], filters: [], logic: [], order: [], ranges: [] });
    expect(r.rpcArgs).toStrictEqual({});
    expect(r.columns).toBeUndefined();
    expect(r.onConflict).toBeUndefined();
    expect(r.headerRange).toBeUndefined();
    expect(r.body).toStrictEqual({ kind: 'none' });
  });
});

describe('select', () => {
  it('absent or bare select is *, empty select is no items, first select wins', () => {
    expect(q('').read.select).toStrictEqual([{ kind: 'star' }]);
    expect(q('select').read.select).toStrictEqual([{ kind: 'star' }]);
    expect(q('select=').read.select).toStrictEqual([]);
    expect(q('select=a&select=b').read.select).toStrictEqual([col('a')]);
  });

  it('parses columns, quoted names, aliases and casts', () => {
    expect(sel('*,id,"quoted col",alias:name,id::text,x:y::int')).toStrictEqual([
      { kind: 'star' },
      col('id'),
      col('quoted col'),
      { kind: 'field', field: fld('name'), alias: 'alias' },
      { kind: 'field', field: fld('id'), cast: 'text' },
      { kind: 'field', field: fld('y'), alias: 'x', cast: 'int' },
    ]);
  });

  it('accepts identifiers with dashes, $, digits and unicode letters', () => {
    expect(sel('my-col,$x,123,émoji_ü')).toStrictEqual([col('my-col'), col('$x'), col('123'), col('émoji_ü')]);
  });

  it('quoted names keep reserved characters and backslash escapes', () => {
    expect(sel('"a,b.c:d(e)",x:"a\\"b","back\\\\slash"')).toStrictEqual([
      col('a,b.c:d(e)'),
      { kind: 'field', field: fld('a"b'), alias: 'x' },
      col('back\\slash'),
    ]);
    expect(sel('"quoted alias":id')).toStrictEqual([{ kind: 'field', field: fld('id'), alias: 'quoted alias' }]);
  });

  it('ignores whitespace around tokens', () => {
    expect(sel(' id , alias : name , rel ( a , b ) ')).toStrictEqual([
      col('id'),
      { kind: 'field', field: fld('name'), alias: 'alias' },
      { kind: 'embed', relation: 'rel', spread: false, select: [col('a'), col('b')] },
    ]);
  });

  it('parses JSON paths', () => {
    expect(sel('col->a->>b,col->0,col->>-1,col->"a.b",alias:col->>x::int,col->a-b')).toStrictEqual([
      { kind: 'field', field: fld('col', { op: '->', key: 'a' }, { op: '->>', key: 'b' }) },
      { kind: 'field', field: fld('col', { op: '->', key: 0 }) },
      { kind: 'field', field: fld('col', { op: '->>', key: -1 }) },
      { kind: 'field', field: fld('col', { op: '->', key: 'a.b' }) },
      { kind: 'field', field: fld('col', { op: '->>', key: 'x' }), alias: 'alias', cast: 'int' },
      { kind: 'field', field: fld('col', { op: '->', key: 'a-b' }) },
    ]);
    // A number followed by other characters is a key, not an index.
    expect(sel('col->1abc')).toStrictEqual([{ kind: 'field', field: fld('col', { op: '->', key: '1abc' }) }]);
    // Index inside an embed.
    expect(sel('rel(data->0)')).toStrictEqual([
      { kind: 'embed', relation: 'rel', spread: false, select: [{ kind: 'field', field: fld('data', { op: '->', key: 0 }) }] },
    ]);
  });

  it('accepts type names with spaces and brackets in casts', () => {
    expect(sel('a::double precision,b::int[],c::timestamp with time zone,d::character varying,e::text[][]').map(
      (i) => (i.kind === 'field' ? i.cast : null),
    )).toStrictEqual(['double precision', 'int[]', 'timestamp with time zone', 'character varying', 'text[][]']);
    expect(sel('a :: int')).toStrictEqual([{ kind: 'field', field: fld('a'), cast: 'int' }]);
  });

  it('parses aggregates (the planner refuses them)', () => {
    expect(sel('count(),total:count(),count()::int,amount.sum(),amount.avg(),x.max(),x.min(),x.count(),data->n.sum(),y:x::int.sum()::text')).toStrictEqual([
      { kind: 'aggregate', fn: 'count' },
      { kind: 'aggregate', fn: 'count', alias: 'total' },
      { kind: 'aggregate', fn: 'count', cast: 'int' },
      { kind: 'aggregate', fn: 'sum', field: fld('amount') },
      { kind: 'aggregate', fn: 'avg', field: fld('amount') },
      { kind: 'aggregate', fn: 'max', field: fld('x') },
      { kind: 'aggregate', fn: 'min', field: fld('x') },
      { kind: 'aggregate', fn: 'count', field: fld('x') },
      { kind: 'aggregate', fn: 'sum', field: fld('data', { op: '->', key: 'n' }) },
      { kind: 'aggregate', fn: 'sum', field: fld('x'), alias: 'y', cast: 'text' },
    ]);
    // A column called count is still a column.
    expect(sel('count')).toStrictEqual([col('count')]);
  });

  it('parses embeds with aliases, hints, join types, spreads and empty selects', () => {
    expect(sel('rel(*),al:rel(a),rel!fk(a),rel!inner(a),rel!left(a),rel!fk!inner(a),rel!inner!fk(a),...rel(a),...rel!fk!inner(a),rel(),rel!"inner"(a)')).toStrictEqual([
      { kind: 'embed', relation: 'rel', spread: false, select: [{ kind: 'star' }] },
      { kind: 'embed', relation: 'rel', alias: 'al', spread: false, select: [col('a')] },
      { kind: 'embed', relation: 'rel', hint: 'fk', spread: false, select: [col('a')] },
      { kind: 'embed', relation: 'rel', joinType: 'inner', spread: false, select: [col('a')] },
      { kind: 'embed', relation: 'rel', joinType: 'left', spread: false, select: [col('a')] },
      { kind: 'embed', relation: 'rel', hint: 'fk', joinType: 'inner', spread: false, select: [col('a')] },
      { kind: 'embed', relation: 'rel', joinType: 'inner', hint: 'fk', spread: false, select: [col('a')] },
      { kind: 'embed', relation: 'rel', spread: true, select: [col('a')] },
      { kind: 'embed', relation: 'rel', hint: 'fk', joinType: 'inner', spread: true, select: [col('a')] },
      { kind: 'embed', relation: 'rel', spread: false, select: [] },
      // A quoted "inner" is a hint (FK named inner), not the join type.
      { kind: 'embed', relation: 'rel', hint: 'inner', spread: false, select: [col('a')] },
    ]);
  });

  it('accepts hints that merely start with inner/left', () => {
    expect(sel('rel!inner_fk(a)')).toStrictEqual([
      { kind: 'embed', relation: 'rel', hint: 'inner_fk', spread: false, select: [col('a')] },
    ]);
  });

  it('nests embeds to any depth', () => {
    expect(sel('id,a(id,b!inner(c:x,...d(e(f(*)))))')).toStrictEqual([
      col('id'),
      {
        kind: 'embed', relation: 'a', spread: false, select: [
          col('id'),
          {
            kind: 'embed', relation: 'b', joinType: 'inner', spread: false, select: [
              { kind: 'field', field: fld('x'), alias: 'c' },
              {
                kind: 'embed', relation: 'd', spread: true, select: [
                  { kind: 'embed', relation: 'e', spread: false, select: [
                    { kind: 'embed', relation: 'f', spread: false, select: [{ kind: 'star' }] },
                  ] },
                ],
              },
            ],
          },
        ],
      },
    ]);
    const deep = `${'r('.repeat(30)}id${')'.repeat(30)}`;
    let items = sel(deep);
    for (let i = 0; i < 30; i++) {
      const e = items[0]!;
      expect(e.kind).toBe('embed');
      items = e.kind === 'embed' ? e.select : [];
    }
    expect(items).toStrictEqual([col('id')]);
  });

  it('reports grammar errors with PostgREST-style message and details', () => {
    const e = parse100('select=id,clients(name[])');
    expect(e.body.message).toBe('"failed to parse select parameter (id,clients(name[]))" (line 1, column 16)');
    expect(e.body.details).toMatch(/^unexpected "\[" expecting /);
    expect(e.body.hint).toBeNull();
  });

  it.each([
    ['rel(', 'unclosed embed'],
    ['rel(a', 'unclosed embed'],
    ['a,', 'trailing comma'],
    [',a', 'leading comma'],
    ['a,,b', 'empty item'],
    ['a)', 'stray paren'],
    ['a:*', 'alias on star'],
    ['*!hint', 'hint on star'],
    ['*::text', 'cast on star'],
    ['rel->x(*)', 'json path on an embed'],
    ['name!hint', 'hint without embed'],
    ['a::', 'empty cast'],
    ['a::int)', 'stray paren after cast'],
    ['count(*)', 'count(*) is not an aggregate'],
    ['count(a)', 'relation named count'],
    ['rel!a!b(*)', 'two hints'],
    ['rel!inner!left(*)', 'two join types'],
    ['rel!a!inner!b(*)', 'three embed params'],
    ['alias:...rel(*)', 'alias on spread'],
    ['...rel', 'spread without parens'],
    ['a.foo()', 'unknown aggregate'],
    ['a.sum', 'aggregate without ()'],
    ['"unterminated', 'unterminated quote'],
    ['a--b', 'double dash'],
    ['a-', 'trailing dash'],
    ['col->', 'empty json key'],
    ['col->>--1', 'bad negative index'],
    ['a b c::in t', 'cast with stray word'],
  ])('rejects %s (%s)', (select) => {
    parse100(`select=${encodeURIComponent(select)}`);
  });

  it('bounds nesting depth', () => {
    const e = parse100(`select=${'r('.repeat(100)}id${')'.repeat(100)}`);
    expect(e.body.details).toMatch(/nested deeper than/);
  });
});

describe('filters', () => {
  const op = (query: string) => {
    const fs = filters(query);
    expect(fs).toHaveLength(1);
    return fs[0]!;
  };

  it.each(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'match', 'imatch', 'isdistinct', 'cs', 'cd', 'ov', 'sl', 'sr', 'nxr', 'nxl', 'adj'])(
    'simple operator %s',
    (name) => {
      expect(op(`a=${name}.v`)).toStrictEqual({
        field: fld('a'),
        negated: false,
        operation: { kind: 'simple', op: name, value: 'v' },
      });
    },
  );

  it('takes values literally, dots, commas, quotes and parens included', () => {
    expect(op('a=eq.1.2,3').operation).toStrictEqual({ kind: 'simple', op: 'eq', value: '1.2,3' });
    expect(op('a=eq."x"').operation).toStrictEqual({ kind: 'simple', op: 'eq', value: '"x"' });
    expect(op('a=eq.(1)').operation).toStrictEqual({ kind: 'simple', op: 'eq', value: '(1)' });
    expect(op('a=eq.').operation).toStrictEqual({ kind: 'simple', op: 'eq', value: '' });
    expect(op('a=cs.{a,b}').operation).toStrictEqual({ kind: 'simple', op: 'cs', value: '{a,b}' });
    expect(op('a=cs.%7B%22k%22%3A1%7D').operation).toStrictEqual({ kind: 'simple', op: 'cs', value: '{"k":1}' });
    expect(op('a=ov.[1,5)').operation).toStrictEqual({ kind: 'simple', op: 'ov', value: '[1,5)' });
    expect(op('a=match.^a.*b$').operation).toStrictEqual({ kind: 'simple', op: 'match', value: '^a.*b$' });
  });

  it('converts * to % for like/ilike only', () => {
    expect(op('a=like.*foo*').operation).toStrictEqual({ kind: 'simple', op: 'like', value: '%foo%' });
    expect(op('a=ilike.A*').operation).toStrictEqual({ kind: 'simple', op: 'ilike', value: 'A%' });
    expect(op('a=eq.*').operation).toStrictEqual({ kind: 'simple', op: 'eq', value: '*' });
    expect(op('a=match.a*').operation).toStrictEqual({ kind: 'simple', op: 'match', value: 'a*' });
  });

  it('not. negates', () => {
    expect(op('a=not.eq.1')).toStrictEqual({
      field: fld('a'), negated: true, operation: { kind: 'simple', op: 'eq', value: '1' },
    });
    expect(op('a=not.in.(1,2)')).toStrictEqual({
      field: fld('a'), negated: true, operation: { kind: 'in', values: ['1', '2'] },
    });
  });

  it('parses in lists with quoting and escapes', () => {
    expect(op('a=in.(1,"b,c",d)').operation).toStrictEqual({ kind: 'in', values: ['1', 'b,c', 'd'] });
    expect(op('a=in.("a\\"b","c\\\\d","x)y")').operation).toStrictEqual({ kind: 'in', values: ['a"b', 'c\\d', 'x)y'] });
    expect(op('a=in.()').operation).toStrictEqual({ kind: 'in', values: [] });
    expect(op('a=in.("")').operation).toStrictEqual({ kind: 'in', values: [''] });
    expect(op('a=in.(a b,c.d)').operation).toStrictEqual({ kind: 'in', values: ['a b', 'c.d'] });
    // A quote that does not close the element is an ordinary character.
    expect(op('a=in.("a"b,c)').operation).toStrictEqual({ kind: 'in', values: ['"a"b', 'c'] });
  });

  it.each(['a=in.1,2', 'a=in.(1,2', 'a=in.(1)x', 'a=in(any).(1)', 'a=in.'])('rejects bad in list %s', (query) => {
    parse100(query);
  });

  it('parses is values case-insensitively', () => {
    for (const [raw, value] of [['null', 'null'], ['NULL', 'null'], ['not_null', 'not_null'], ['True', 'true'], ['FALSE', 'false'], ['unknown', 'unknown']]) {
      expect(op(`a=is.${raw}`).operation).toStrictEqual({ kind: 'is', value });
    }
    expect(op('a=not.is.null')).toStrictEqual({ field: fld('a'), negated: true, operation: { kind: 'is', value: 'null' } });
  });

  it.each(['a=is.nope', 'a=is.', 'a=is.nullx', 'a=is.1'])('rejects is value %s', (query) => {
    const e = parse100(query);
    expect(e.body.details).toMatch(/isVal: \(null, not_null, true, false, unknown\)/);
  });

  it('parses (any)/(all) modifiers with array literals', () => {
    expect(op('a=eq(any).{1,2,3}').operation).toStrictEqual({ kind: 'quantified', op: 'eq', quantifier: 'any', values: ['1', '2', '3'] });
    expect(op('a=like(all).{*a*,b*}').operation).toStrictEqual({ kind: 'quantified', op: 'like', quantifier: 'all', values: ['%a%', 'b%'] });
    expect(op('a=ilike(any).{"x,y*","q\\"r"}').operation).toStrictEqual({ kind: 'quantified', op: 'ilike', quantifier: 'any', values: ['x,y%', 'q"r'] });
    expect(op('a=not.gt(all).{1, 2}')).toStrictEqual({
      field: fld('a'), negated: true, operation: { kind: 'quantified', op: 'gt', quantifier: 'all', values: ['1', '2'] },
    });
    expect(op('a=eq(any).{}').operation).toStrictEqual({ kind: 'quantified', op: 'eq', quantifier: 'any', values: [] });
    for (const name of ['gte', 'lt', 'lte', 'match', 'imatch']) {
      expect(op(`a=${name}(any).{x}`).operation).toStrictEqual({ kind: 'quantified', op: name, quantifier: 'any', values: ['x'] });
    }
  });

  it.each([
    'a=neq(any).{1}', 'a=cs(any).{1}', 'a=eq(some).{1}', 'a=eq().1', 'a=eq(any).1,2', 'a=eq(any).{{1},{2}}',
    'a=eq(any).{1', 'a=eq(any).{"1}', 'a=eq(any).{1}x', 'a=eq(any).{1,,2}', 'a=is(any).null',
  ])('rejects bad modifier use %s', (query) => {
    parse100(query);
  });

  it('parses full-text search with optional config', () => {
    expect(op('a=fts.cat').operation).toStrictEqual({ kind: 'fts', op: 'fts', value: 'cat' });
    expect(op('a=fts(english).cat').operation).toStrictEqual({ kind: 'fts', op: 'fts', config: 'english', value: 'cat' });
    expect(op('a=plfts.fat+cat').operation).toStrictEqual({ kind: 'fts', op: 'plfts', value: 'fat cat' });
    expect(op('a=phfts(simple).the+cat').operation).toStrictEqual({ kind: 'fts', op: 'phfts', config: 'simple', value: 'the cat' });
    expect(op("a=not.wfts(french).'chat' -chien").operation).toStrictEqual({ kind: 'fts', op: 'wfts', config: 'french', value: "'chat' -chien" });
  });

  it.each(['a=fts().x', 'a=fts(eng lish).x', "a=fts(english');drop).x", 'a=fts(english.x', 'a=fts'])('rejects bad fts %s', (query) => {
    parse100(query);
  });

  it('parses embed paths and JSON paths in keys', () => {
    expect(q('actors.name=eq.x').read.filters).toStrictEqual([
      { path: ['actors'], filter: { field: fld('name'), negated: false, operation: { kind: 'simple', op: 'eq', value: 'x' } } },
    ]);
    expect(q('roles.actors.first_name=like.A*').read.filters).toStrictEqual([
      { path: ['roles', 'actors'], filter: { field: fld('first_name'), negated: false, operation: { kind: 'simple', op: 'like', value: 'A%' } } },
    ]);
    expect(q('data->a->>b=eq.1').read.filters).toStrictEqual([
      { path: [], filter: { field: fld('data', { op: '->', key: 'a' }, { op: '->>', key: 'b' }), negated: false, operation: { kind: 'simple', op: 'eq', value: '1' } } },
    ]);
    expect(q('rel.data->0=eq.1').read.filters[0]!).toMatchObject({ path: ['rel'], filter: { field: fld('data', { op: '->', key: 0 }) } });
    expect(q('%22my.col%22=eq.1').read.filters[0]!).toMatchObject({ path: [], filter: { field: fld('my.col') } });
    // Embed null test: the planner tells it apart from a column.
    expect(q('actors=not.is.null').read.filters).toStrictEqual([
      { path: [], filter: { field: fld('actors'), negated: true, operation: { kind: 'is', value: 'null' } } },
    ]);
  });

  it('reports a bad operator like PostgREST', () => {
    const e = parse100('a.b=noop.0');
    expect(e.body.message).toBe('"failed to parse filter (noop.0)" (line 1, column 1)');
    expect(e.body.details).toBe('unexpected "noop" expecting "not" or operator (eq, gt, ...)');
  });

  it.each(['a=val', 'a=eq', 'a=', 'a=not.foo', 'a=not.', 'a=EQ.1', 'a=eq1', 'a=like'])('rejects filter value %s', (query) => {
    expect(parse100(query).body.message).toMatch(/^"failed to parse filter \(/);
  });

  it.each(['a;b=eq.1', 'a..b=eq.1', '.a=eq.1', 'a.=eq.1', 'a->=eq.1', 'a->x.b=eq.1', '=eq.1'])('rejects filter key %s', (query) => {
    expect(parse100(query).body.message).toMatch(/^"failed to parse tree path \(/);
  });
});

describe('RPC arguments (GET/HEAD)', () => {
  it('values without an operator are arguments; repeated keys give arrays', () => {
    const r = q('a=1&b=x&b=y&b=z&c=eq.5&select=id&order=id.desc&limit=2&d=not.foo&e=%7B1%2C2%7D', { path: '/rpc/fn' });
    expect(r.rpcArgs).toStrictEqual({ a: '1', b: ['x', 'y', 'z'], d: 'not.foo', e: '{1,2}' });
    expect(r.read.filters).toStrictEqual([
      { path: [], filter: { field: fld('c'), negated: false, operation: { kind: 'simple', op: 'eq', value: '5' } } },
    ]);
    expect(r.read.select).toStrictEqual([col('id')]);
    expect(r.read.order).toStrictEqual([{ path: [], terms: [{ field: fld('id'), direction: 'desc' }] }]);
    expect(r.read.ranges).toStrictEqual([{ path: [], limit: 2 }]);
  });

  it('works for HEAD and keeps an argument named __proto__ as own property', () => {
    const r = q('__proto__=x&eq=1&in=y', { path: '/rpc/fn', method: 'HEAD' });
    expect(Object.keys(r.rpcArgs)).toStrictEqual(['__proto__', 'eq', 'in']);
    expect(Object.getOwnPropertyDescriptor(r.rpcArgs, '__proto__')?.value).toBe('x');
    expect(Object.getPrototypeOf(r.rpcArgs)).toBe(Object.prototype);
  });

  it('operator-like values are filters and must be valid', () => {
    parse100('a=is.nope', { path: '/rpc/fn' });
    parse100('a=in.1', { path: '/rpc/fn' });
  });

  it('POST RPC has no query arguments: every key is a filter', () => {
    parse100('a=1', { path: '/rpc/fn', method: 'POST' });
    expect(q('a=eq.1', { path: '/rpc/fn', method: 'POST' }).read.filters).toHaveLength(1);
  });

  it('relations never take arguments', () => {
    parse100('a=1');
  });
});

describe('logic trees', () => {
  const eq = (name: string, value: string, path: string[] = []) => ({
    kind: 'filter' as const, path, filter: { field: fld(name), negated: false, operation: { kind: 'simple' as const, op: 'eq' as const, value } },
  });

  it('parses the nested example', () => {
    expect(tree('or=(a.eq.1,b.gt.2,and(c.is.null,not.or(d.eq.1,e.eq.2)))')).toStrictEqual({
      kind: 'or', negated: false, children: [
        eq('a', '1'),
        { kind: 'filter', path: [], filter: { field: fld('b'), negated: false, operation: { kind: 'simple', op: 'gt', value: '2' } } },
        {
          kind: 'and', negated: false, children: [
            { kind: 'filter', path: [], filter: { field: fld('c'), negated: false, operation: { kind: 'is', value: 'null' } } },
            { kind: 'or', negated: true, children: [eq('d', '1'), eq('e', '2')] },
          ],
        },
      ],
    });
  });

  it('handles not.and, and=, scoped keys', () => {
    expect(tree('not.and=(a.eq.1,b.eq.2)')).toStrictEqual({ kind: 'and', negated: true, children: [eq('a', '1'), eq('b', '2')] });
    expect(tree('and=(a.eq.1)')).toStrictEqual({ kind: 'and', negated: false, children: [eq('a', '1')] });
    expect(q('actors.or=(a.eq.1)').read.logic).toStrictEqual([
      { path: ['actors'], tree: { kind: 'or', negated: false, children: [eq('a', '1')] } },
    ]);
    expect(q('roles.actors.not.or=(a.eq.1)').read.logic).toStrictEqual([
      { path: ['roles', 'actors'], tree: { kind: 'or', negated: true, children: [eq('a', '1')] } },
    ]);
    expect(q('or=(a.eq.1)&or=(b.eq.2)').read.logic).toHaveLength(2);
  });

  it('quoted values may contain , ( ) and escapes', () => {
    expect(tree('or=(name.eq."a,b",name.eq."x\\"y)",name.eq."(z)")')).toStrictEqual({
      kind: 'or', negated: false, children: [eq('name', 'a,b'), eq('name', 'x"y)'), eq('name', '(z)')],
    });
    expect(tree('or=(name.ilike."*a,b*")').children[0]).toStrictEqual({
      kind: 'filter', path: [], filter: { field: fld('name'), negated: false, operation: { kind: 'simple', op: 'ilike', value: '%a,b%' } },
    });
  });

  it('unquoted values keep dots; arrays and in lists stay whole', () => {
    expect(tree('or=(a.eq.1.5,tags.cs.{a,b},id.in.(1,"2,3",4),r.ov.{x},t.like(any).{a*,b*},f.not.in.())')).toStrictEqual({
      kind: 'or', negated: false, children: [
        eq('a', '1.5'),
        { kind: 'filter', path: [], filter: { field: fld('tags'), negated: false, operation: { kind: 'simple', op: 'cs', value: '{a,b}' } } },
        { kind: 'filter', path: [], filter: { field: fld('id'), negated: false, operation: { kind: 'in', values: ['1', '2,3', '4'] } } },
        { kind: 'filter', path: [], filter: { field: fld('r'), negated: false, operation: { kind: 'simple', op: 'ov', value: '{x}' } } },
        { kind: 'filter', path: [], filter: { field: fld('t'), negated: false, operation: { kind: 'quantified', op: 'like', quantifier: 'any', values: ['a%', 'b%'] } } },
        { kind: 'filter', path: [], filter: { field: fld('f'), negated: true, operation: { kind: 'in', values: [] } } },
      ],
    });
  });

  it('supports is, fts config and JSON paths inside trees, and whitespace', () => {
    expect(tree('or=( a.is.NULL , b.fts(english).cat, data->x->>y.eq.1)')).toStrictEqual({
      kind: 'or', negated: false, children: [
        { kind: 'filter', path: [], filter: { field: fld('a'), negated: false, operation: { kind: 'is', value: 'null' } } },
        { kind: 'filter', path: [], filter: { field: fld('b'), negated: false, operation: { kind: 'fts', op: 'fts', config: 'english', value: 'cat' } } },
        { kind: 'filter', path: [], filter: { field: fld('data', { op: '->', key: 'x' }, { op: '->>', key: 'y' }), negated: false, operation: { kind: 'simple', op: 'eq', value: '1' } } },
      ],
    });
  });

  it('conditions may carry an embed path; embed null tests have an empty path', () => {
    expect(tree('or=(actors.name.eq.x,roles.actors.name.eq.y,actors.not.is.null,directors.is.null)')).toStrictEqual({
      kind: 'or', negated: false, children: [
        eq('name', 'x', ['actors']),
        eq('name', 'y', ['roles', 'actors']),
        { kind: 'filter', path: [], filter: { field: fld('actors'), negated: true, operation: { kind: 'is', value: 'null' } } },
        { kind: 'filter', path: [], filter: { field: fld('directors'), negated: false, operation: { kind: 'is', value: 'null' } } },
      ],
    });
    // The earliest operator position wins: the value keeps its dots.
    expect(tree('or=(a.eq.b.eq.c)').children[0]).toStrictEqual(eq('a', 'b.eq.c'));
    // Columns named like keywords still work.
    expect(tree('or=(or.eq.1,and.eq.2,not.eq.3)')).toStrictEqual({
      kind: 'or', negated: false, children: [eq('or', '1'), eq('and', '2'), eq('not', '3')],
    });
  });

  it('reports logic tree errors like PostgREST', () => {
    const e = parse100('or=(a.eq.1');
    expect(e.body.message).toBe('"failed to parse logic tree ((a.eq.1)" (line 1, column 10)');
    expect(e.body.details).toBe('unexpected end of input expecting ")" or ","');
    const empty = parse100('or=()');
    expect(empty.body.message).toBe('"failed to parse logic tree (())" (line 1, column 4)');
    expect(empty.body.details).toMatch(/^unexpected "\)" expecting field name/);
  });

  it.each([
    'or=a.eq.1', 'or=(a.eq.1)x', 'or=(a.eq.1))', 'or=(a.xx.1)', 'or=(a.in.1,2)', 'or=(a.eq.1,not.xor(b.eq.2))',
    'or=(a.eq.1,)', 'or=(,a.eq.1)', 'or=(a)', 'or=(a.eq.1,and())', 'or=(a.is.nope)', 'or=(and(a.eq.1)', 'or=',
    'not.or=a', 'or=(a.eq(any).1)',
  ])('rejects %s', (query) => {
    expect(parse100(query).body.message).toMatch(/^"failed to parse logic tree \(/);
  });

  it('rejects a bad logic key', () => {
    expect(parse100('a;b.or=(a.eq.1)').body.message).toMatch(/^"failed to parse logic path \(/);
  });

  it('bounds nesting depth', () => {
    parse100(`or=(${'and('.repeat(100)}a.eq.1${')'.repeat(100)})`);
    const ok = tree(`or=(${'and('.repeat(20)}a.eq.1${')'.repeat(20)})`);
    expect(ok.kind).toBe('or');
  });
});

describe('order', () => {
  it('parses terms with directions, nulls, JSON paths and relation terms', () => {
    expect(q('order=a,b.desc,c.asc.nullslast,d.nullsfirst,data->x.desc,data->0.asc,rel(col).desc,rel(data->>k).asc.nullsfirst,%22my%20col%22.desc').read.order).toStrictEqual([
      {
        path: [], terms: [
          { field: fld('a') },
          { field: fld('b'), direction: 'desc' },
          { field: fld('c'), direction: 'asc', nulls: 'last' },
          { field: fld('d'), nulls: 'first' },
          { field: fld('data', { op: '->', key: 'x' }), direction: 'desc' },
          { field: fld('data', { op: '->', key: 0 }), direction: 'asc' },
          { relation: 'rel', field: fld('col'), direction: 'desc' },
          { relation: 'rel', field: fld('data', { op: '->>', key: 'k' }), direction: 'asc', nulls: 'first' },
          { field: fld('my col'), direction: 'desc' },
        ],
      },
    ]);
  });

  it('scopes order to embeds', () => {
    expect(q('actors.order=name.desc&roles.actors.order=id').read.order).toStrictEqual([
      { path: ['actors'], terms: [{ field: fld('name'), direction: 'desc' }] },
      { path: ['roles', 'actors'], terms: [{ field: fld('id') }] },
    ]);
  });

  it.each([
    'id.ac', 'id.descc', 'id.nulsfist', 'id.asc.smth34', 'id.nullsfirst.desc', 'id.desc.nullslast.x', 'id.desc.desc',
    '', 'rel(a,b)', 'id.', ',id', 'id,', 'id.DESC',
  ])('rejects order=%s', (value) => {
    expect(parse100(`order=${value}`).body.message).toMatch(/^"failed to parse order \(/);
  });

  it('explains a bad direction', () => {
    const e = parse100('order=id.ac');
    expect(e.body.message).toBe('"failed to parse order (id.ac)" (line 1, column 4)');
    expect(e.body.details).toBe('unexpected "ac" expecting "asc", "desc", "nullsfirst" or "nullslast"');
  });
});

describe('limit and offset', () => {
  it('parses top-level and scoped ranges', () => {
    expect(q('limit=10&offset=20&actors.limit=5&roles.actors.offset=1').read.ranges).toStrictEqual([
      { path: [], limit: 10, offset: 20 },
      { path: ['actors'], limit: 5 },
      { path: ['roles', 'actors'], offset: 1 },
    ]);
    expect(q('limit=0').read.ranges).toStrictEqual([{ path: [], limit: 0 }]);
    expect(q('limit=1&limit=2').read.ranges).toStrictEqual([{ path: [], limit: 2 }]);
  });

  it.each(['limit=-1', 'limit=abc', 'offset=1.5', 'limit=', 'offset=-0', 'limit=1e3', 'limit=99999999999999999999', 'actors.limit=x', 'limit=%201'])(
    'rejects %s',
    (query) => {
      parse100(query);
    },
  );

  it('refuses limit/offset on PUT (PGRST114)', () => {
    expectErr(() => q('id=eq.1&limit=1', { method: 'PUT', body: enc.encode('{"id":1}') }), 400, 'PGRST114',
      'limit/offset querystring parameters are not allowed for PUT');
    expectErr(() => q('id=eq.1&offset=2', { method: 'PUT', body: enc.encode('{"id":1}') }), 400, 'PGRST114');
    expect(q('id=eq.1&offset=0', { method: 'PUT', body: enc.encode('{"id":1}') }).read.ranges).toStrictEqual([{ path: [], offset: 0 }]);
  });
});

describe('columns and on_conflict', () => {
  it('strips quotes and whitespace', () => {
    expect(q('columns=%22id%22,%22title%22').columns).toStrictEqual(['id', 'title']);
    expect(q('columns=id,title').columns).toStrictEqual(['id', 'title']);
    expect(q('columns=id,+title').columns).toStrictEqual(['id', 'title']);
    expect(q('columns=%22a,b%22').columns).toStrictEqual(['a,b']);
    expect(q('on_conflict=a,b').onConflict).toStrictEqual(['a', 'b']);
    expect(q('on_conflict=%22a%22').onConflict).toStrictEqual(['a']);
  });

  it.each(['columns=', 'columns=id;x', 'columns=a,,b', 'on_conflict=a)', 'on_conflict=a,'])('rejects %s', (query) => {
    expect(parse100(query).body.message).toMatch(/^"failed to parse (columns|on_conflict) parameter \(/);
  });
});

describe('Prefer header', () => {
  it('fills every preference', () => {
    expect(parsePreferences('return=representation, count=exact,resolution=merge-duplicates ,missing=default, handling=lenient, max-affected=5, tx=rollback, timezone=America/Los_Angeles'))
      .toStrictEqual({
        return: 'representation', count: 'exact', resolution: 'merge-duplicates', missing: 'default',
        handling: 'lenient', maxAffected: 5, tx: 'rollback', timezone: 'America/Los_Angeles', unrecognised: [],
      });
    expect(parsePreferences('return=minimal,count=planned,resolution=ignore-duplicates,tx=commit')).toStrictEqual({
      return: 'minimal', count: 'planned', resolution: 'ignore-duplicates', tx: 'commit', unrecognised: [],
    });
    expect(parsePreferences('return=headers-only,count=estimated,handling=strict')).toStrictEqual({
      return: 'headers-only', count: 'estimated', handling: 'strict', unrecognised: [],
    });
    expect(parsePreferences(undefined)).toStrictEqual({ unrecognised: [] });
  });

  it('joined headers, first value wins, unknown ones are kept verbatim', () => {
    expect(parsePreferences('count=exact, return=representation, count=planned, foo, a=b,  , missing=null, max-affected=x, max-affected=3'))
      .toStrictEqual({ count: 'exact', return: 'representation', unrecognised: ['foo', 'a=b'] });
    expect(parsePreferences('return=everything, count=EXACT').unrecognised).toStrictEqual(['return=everything', 'count=EXACT']);
  });

  it('is read from the request', () => {
    expect(parse({ headers: { prefer: 'count=exact, foo' } }).preferences).toStrictEqual({ count: 'exact', unrecognised: ['foo'] });
  });

  it('handling=strict with unknown preferences is PGRST122', () => {
    const e = expectErr(() => parse({ headers: { prefer: 'handling=strict, foo, bar=1' } }), 400, 'PGRST122',
      'Invalid preferences given with handling=strict');
    expect(e.body.details).toBe('Invalid preferences: foo, bar=1');
    expect(parse({ headers: { prefer: 'handling=strict, max-affected=10, count=exact' } }).preferences).toStrictEqual({
      handling: 'strict', maxAffected: 10, count: 'exact', unrecognised: [],
    });
    expect(parse({ headers: { prefer: 'handling=lenient, foo' } }).preferences.unrecognised).toStrictEqual(['foo']);
  });
});

describe('Accept header', () => {
  it.each<[string | undefined, string, boolean]>([
    [undefined, 'json', false],
    ['', 'json', false],
    ['*/*', 'json', false],
    ['application/json', 'json', false],
    ['application/json; charset=utf-8', 'json', false],
    ['application/*', 'json', false],
    ['Application/JSON', 'json', false],
    ['application/vnd.pgrst.object+json', 'object', false],
    ['application/vnd.pgrst.object+json;nulls=stripped', 'object', true],
    ['application/vnd.pgrst.object', 'object', false],
    ['application/vnd.pgrst.array+json;nulls=stripped', 'json', true],
    ['application/vnd.pgrst.array+json', 'json', false],
    ['text/csv', 'csv', false],
    ['text/plain', 'text', false],
    ['application/octet-stream', 'octet', false],
    ['text/html, application/json', 'json', false],
    ['text/html;q=0.9, application/vnd.pgrst.object+json;q=0.5, text/csv;q=0.95', 'csv', false],
    ['application/json;q=0.1, text/csv', 'csv', false],
    ['text/csv;q=0, application/json;q=0.2', 'json', false],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'json', false],
  ])('%s → %s', (accept, media, stripNulls) => {
    expect(negotiateAccept(accept)).toStrictEqual({ media, stripNulls });
  });

  it('is read from the request', () => {
    expect(parse({ headers: { accept: 'application/vnd.pgrst.object+json' } }).accept).toStrictEqual({ media: 'object', stripNulls: false });
  });

  it('nothing acceptable is 406 PGRST107', () => {
    expectErr(() => parse({ headers: { accept: 'text/html, application/xml;q=0.9' } }), 406, 'PGRST107',
      'None of these media types are available: text/html, application/xml');
    expectErr(() => parse({ headers: { accept: 'application/json;q=0' } }), 406, 'PGRST107');
  });
});

describe('Range header', () => {
  it('applies to GET only', () => {
    expect(parse({ headers: { range: '0-9', 'range-unit': 'items' } }).headerRange).toStrictEqual({ offset: 0, limit: 10 });
    expect(parse({ headers: { range: '10-19' } }).headerRange).toStrictEqual({ offset: 10, limit: 10 });
    expect(parse({ headers: { range: '5-' } }).headerRange).toStrictEqual({ offset: 5 });
    expect(parse({ headers: { range: '3-3' } }).headerRange).toStrictEqual({ offset: 3, limit: 1 });
    expect(parse({ method: 'HEAD', headers: { range: '0-9' } }).headerRange).toBeUndefined();
    expect(parse({ method: 'DELETE', headers: { range: '0-9' } }).headerRange).toBeUndefined();
  });

  it.each(['items=0-9', '-5', 'a-b', '0-9,20-29', ' 0-9', ''])('ignores malformed %j', (range) => {
    expect(parse({ headers: { range } }).headerRange).toBeUndefined();
  });

  it('lower > upper is 416 PGRST103', () => {
    const e = expectErr(() => parse({ headers: { range: '5-2' } }), 416, 'PGRST103', 'Requested range not satisfiable');
    expect(e.body.details).toBe('The lower boundary must be lower than or equal to the upper boundary in the Range header.');
  });
});

describe('body', () => {
  it('parses JSON objects and uniform arrays for POST/PATCH/PUT', () => {
    expect(post('{"a":1,"b":[2]}').body).toStrictEqual({ kind: 'json', value: { a: 1, b: [2] } });
    expect(post('[{"a":1,"b":2},{"b":3,"a":4}]').body).toStrictEqual({ kind: 'json', value: [{ a: 1, b: 2 }, { b: 3, a: 4 }] });
    expect(post('[]').body).toStrictEqual({ kind: 'json', value: [] });
    expect(post('{"a":1}', { method: 'PATCH' }).body).toStrictEqual({ kind: 'json', value: { a: 1 } });
    expect(post('{"a":1}', { method: 'PUT' }).body).toStrictEqual({ kind: 'json', value: { a: 1 } });
    expect(post('{"a":1}', { headers: { 'content-type': 'application/json; charset=utf-8' } }).body).toStrictEqual({ kind: 'json', value: { a: 1 } });
  });

  it('keeps __proto__ keys as data', () => {
    const body = post('{"__proto__":{"x":1}}').body;
    expect(body.kind).toBe('json');
    const value = (body as { value: Record<string, unknown> }).value;
    expect(Object.keys(value)).toStrictEqual(['__proto__']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it('array bodies must have matching keys unless columns= is given', () => {
    expectErr(() => post('[{"a":1},{"b":2}]'), 400, 'PGRST102', 'All object keys must match');
    expectErr(() => post('[{"a":1},{"a":1,"b":2}]'), 400, 'PGRST102', 'All object keys must match');
    expectErr(() => post('[1,2]'), 400, 'PGRST102', 'All object keys must match');
    expectErr(() => post('[{"a":1},null]'), 400, 'PGRST102', 'All object keys must match');
    expect(post('[{"a":1},{"b":2}]', { query: 'columns=a,b' }).body).toStrictEqual({ kind: 'json', value: [{ a: 1 }, { b: 2 }] });
  });

  it('other JSON values become an empty array (PostgREST payloadAttributes)', () => {
    expect(post('5').body).toStrictEqual({ kind: 'json', value: [] });
    expect(post('null').body).toStrictEqual({ kind: 'json', value: [] });
  });

  it('empty or invalid JSON is PGRST102, except an empty RPC body which is {}', () => {
    expectErr(() => post(''), 400, 'PGRST102', 'Empty or invalid json');
    expectErr(() => post('', { method: 'PATCH' }), 400, 'PGRST102', 'Empty or invalid json');
    expectErr(() => post('{a'), 400, 'PGRST102', 'Empty or invalid json');
    expectErr(() => post('{"a":1} x'), 400, 'PGRST102', 'Empty or invalid json');
    expectErr(() => parse({ method: 'POST', body: new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]) }), 400, 'PGRST102');
    expect(post('', { path: '/rpc/fn' }).body).toStrictEqual({ kind: 'json', value: {} });
    expect(post('{"a":1}', { path: '/rpc/fn' }).body).toStrictEqual({ kind: 'json', value: { a: 1 } });
    expectErr(() => post('{a', { path: '/rpc/fn' }), 400, 'PGRST102', 'Empty or invalid json');
  });

  it('raw text/xml/binary bodies are for RPC only', () => {
    expect(post('hello', { path: '/rpc/fn', headers: { 'content-type': 'text/plain; charset=utf-8' } }).body)
      .toStrictEqual({ kind: 'text', contentType: 'text/plain', text: 'hello' });
    expect(post('<a/>', { path: '/rpc/fn', headers: { 'content-type': 'text/xml' } }).body)
      .toStrictEqual({ kind: 'text', contentType: 'text/xml', text: '<a/>' });
    const bytes = new Uint8Array([0, 1, 255]);
    expect(parse({ method: 'POST', path: '/rpc/fn', headers: { 'content-type': 'application/octet-stream' }, body: bytes }).body)
      .toStrictEqual({ kind: 'binary', contentType: 'application/octet-stream', bytes });
    expectErr(() => post('hello', { headers: { 'content-type': 'text/plain' } }), 400, 'PGRST102', 'Content-Type not acceptable: text/plain');
    expectErr(() => post('x', { headers: { 'content-type': 'application/xml' } }), 400, 'PGRST102', 'Content-Type not acceptable: application/xml');
  });

  it('converts CSV and form bodies to JSON like PostgREST', () => {
    expect(post('a,b\n1,"x,""y"""\r\nNULL,\n', { headers: { 'content-type': 'text/csv' } }).body)
      .toStrictEqual({ kind: 'json', value: [{ a: '1', b: 'x,"y"' }, { a: null, b: '' }] });
    expectErr(() => post('a,b\n1\n', { headers: { 'content-type': 'text/csv' } }), 400, 'PGRST102', 'All lines must have same number of fields');
    expectErr(() => post('a,b\n"1,2\n', { headers: { 'content-type': 'text/csv' } }), 400, 'PGRST102');
    expect(post('a=1&b=x+y&c=%26', { headers: { 'content-type': 'application/x-www-form-urlencoded' } }).body)
      .toStrictEqual({ kind: 'json', value: { a: '1', b: 'x y', c: '&' } });
  });

  it('GET, HEAD and DELETE ignore the body', () => {
    for (const method of ['GET', 'HEAD', 'DELETE']) {
      expect(parse({ method, body: enc.encode('{not json') }).body).toStrictEqual({ kind: 'none' });
    }
  });
});

// ---------------------------------------------------------------------------
// Malicious input: rejected with PGRST100, or an inert literal name/value.
// ---------------------------------------------------------------------------

/** Every cast in a select tree must be a plain type name. */
function casts(items: SelectItem[]): string[] {
  return items.flatMap((i) => {
    if (i.kind === 'embed') return casts(i.select);
    if (i.kind === 'star') return [];
    return i.cast === undefined ? [] : [i.cast];
  });
}

describe('malicious input', () => {
  const enc1 = encodeURIComponent;

  it.each([
    'id;drop table x',
    'id)--',
    '"a""b"',
    'id,(select password from auth.users)',
    'id/*comment*/',
    "id'",
    'id::text;drop',
    'id::text)--',
    'id::text or true',
    'id::text from auth.users --',
    'id::int/**/',
    "id::text'",
    'id::"text"',
    'id::regclass union select 1',
    'x:id::text;drop table x',
    'rel!fk;drop(*)',
    'rel!fk)--(*)',
    'rel(id;drop)',
    'a;b:id',
    'count()::text;drop',
    'id.sum()--',
    'id.sum();drop',
    'rel!inner!fk!x(*)',
  ])('select=%s is rejected', (select) => {
    parse100(`select=${enc1(select)}`);
  });

  it('quoted names and JSON keys become literal strings', () => {
    expect(sel('"id; drop table x",x:"y\\" from t; --"')).toStrictEqual([
      col('id; drop table x'),
      { kind: 'field', field: fld('y" from t; --'), alias: 'x' },
    ]);
    expect(sel('"a\\"b":"c\\"d"')).toStrictEqual([{ kind: 'field', field: fld('c"d'), alias: 'a"b' }]);
    expect(sel("data->>'; drop table x")).toStrictEqual([
      { kind: 'field', field: fld('data', { op: '->>', key: "'; drop table x" }) },
    ]);
    expect(sel('data->"a\'); drop table x; --"')).toStrictEqual([
      { kind: 'field', field: fld('data', { op: '->', key: "a'); drop table x; --" }) },
    ]);
    expect(sel('rel!"fk; drop table x"(*)')).toStrictEqual([
      { kind: 'embed', relation: 'rel', hint: 'fk; drop table x', spread: false, select: [{ kind: 'star' }] },
    ]);
    expect(sel('"x\\" ; drop":rel(*)')).toStrictEqual([
      { kind: 'embed', relation: 'rel', alias: 'x" ; drop', spread: false, select: [{ kind: 'star' }] },
    ]);
  });

  it('casts that parse are plain type names', () => {
    const items = sel('a::int,b::double precision,c::text[],d::timestamp without time zone,e:f->x::numeric,g(h::int8)');
    const found = casts(items);
    expect(found).toStrictEqual(['int', 'double precision', 'text[]', 'timestamp without time zone', 'numeric', 'int8']);
    for (const c of found) expect(c).toMatch(CAST_TYPE_RE);
  });

  it('filter values are literal strings', () => {
    const cases: Array<[string, string]> = [
      ["1';drop table x;--", "1';drop table x;--"],
      ['1 or 1=1', '1 or 1=1'],
      ['1); delete from todos; --', '1); delete from todos; --'],
      ["$$;drop table x;$$", "$$;drop table x;$$"],
      ['1\u0000', '1\u0000'],
    ];
    for (const [raw, value] of cases) {
      expect(filters(`id=eq.${enc1(raw)}`)[0]!.operation).toStrictEqual({ kind: 'simple', op: 'eq', value });
    }
    parse100(`id=in.(${enc1("1') or ('1'='1")})`);
    expect(filters(`id=in.(${enc1("1',' or '1'='1")})`)[0]!.operation).toStrictEqual({ kind: 'in', values: ["1'", "' or '1'='1"] });
    expect(filters(`id=in.(${enc1('"1) or (1=1"')})`)[0]!.operation).toStrictEqual({ kind: 'in', values: ['1) or (1=1'] });
    expect(filters(`id=like.${enc1("%'; --")}`)[0]!.operation).toStrictEqual({ kind: 'simple', op: 'like', value: "%'; --" });
    expect(filters(`id=fts(english).${enc1("x'); drop table y; --")}`)[0]!.operation)
      .toStrictEqual({ kind: 'fts', op: 'fts', config: 'english', value: "x'); drop table y; --" });
  });

  it.each([
    "id=eq(any;drop).1",
    "id=fts(english');drop table x;--).a",
    'id=fts(english)--.a',
    'id=is.null;drop',
    'id=is.null or true',
    "id;drop table x=eq.1",
    'id)--=eq.1',
    'id::text=eq.1',
    'id=not;drop.eq.1',
  ])('filter %s is rejected', (query) => {
    parse100(query.replace(/;/g, '%3B').replace(/ /g, '%20'));
  });

  it.each([
    'id;delete',
    'id.desc;--',
    'id.desc,(select 1)',
    'id.desc nulls first',
    'id.asc;drop table x',
    'id.nullslast;--',
    '(select 1)',
    'rel(id;drop).desc',
    'id::text',
  ])('order=%s is rejected (directions are an enum)', (order) => {
    parse100(`order=${enc1(order)}`);
  });

  it('quoted order names and unquoted names with spaces are literal', () => {
    expect(q(`order=${enc1('"id;delete".desc')}`).read.order).toStrictEqual([
      { path: [], terms: [{ field: fld('id;delete'), direction: 'desc' }] },
    ]);
    // Spaces belong to identifiers (as in PostgREST): one column literally named "id desc".
    expect(q(`order=${enc1('id desc')}`).read.order).toStrictEqual([{ path: [], terms: [{ field: fld('id desc') }] }]);
    expect(sel('id as x')).toStrictEqual([col('id as x')]);
  });

  it.each([
    'or=(id.eq.1);drop table x',
    'or=(id.eq.1,id.eq.2) or 1=1',
    'or=(id.eq.1)--',
    'or=(id;drop.eq.1)',
    'or=(id.eq.1,id.desc;--)',
    "or=(id.fts(english');drop).x)",
    'or=(id.is.null;drop)',
    'or=(id.eq.1)%00',
    'or=(id.eq.1,and(id.eq.2))))',
  ])('logic tree %s is rejected', (query) => {
    parse100(query.replace(/;/g, '%3B').replace(/ /g, '%20').replace(/'/g, '%27'));
  });

  it('logic tree values are literal', () => {
    // A quote that does not end the value is an ordinary character (PostgREST pLogicSingleVal).
    expect(tree('or=(id.eq."1"x)').children[0]).toStrictEqual({
      kind: 'filter', path: [], filter: { field: fld('id'), negated: false, operation: { kind: 'simple', op: 'eq', value: '"1"x' } },
    });
    expect(tree(`or=(${enc1('id.eq."1) or (1=1",name.eq.x\';drop table y')})`)).toStrictEqual({
      kind: 'or', negated: false, children: [
        { kind: 'filter', path: [], filter: { field: fld('id'), negated: false, operation: { kind: 'simple', op: 'eq', value: '1) or (1=1' } } },
        { kind: 'filter', path: [], filter: { field: fld('name'), negated: false, operation: { kind: 'simple', op: 'eq', value: "x';drop table y" } } },
      ],
    });
  });

  it('columns, on_conflict and limits refuse SQL', () => {
    parse100(`columns=${enc1('id);drop table x;--')}`);
    parse100(`on_conflict=${enc1('id) do nothing; --')}`);
    parse100(`limit=${enc1('1; drop table x')}`);
    parse100(`offset=${enc1('1 union select 1')}`);
    expect(q(`on_conflict=${enc1('"id) do nothing; --"')}`).onConflict).toStrictEqual(['id) do nothing; --']);
  });

  it('profile headers are matched exactly against the exposed list', () => {
    expectErr(() => parse({ headers: { 'accept-profile': 'public; drop schema x' } }), 406, 'PGRST106');
    expectErr(() => parse({ headers: { 'accept-profile': 'public"' } }), 406, 'PGRST106');
  });

  it('relation and function names are literal', () => {
    expect(parse({ path: `/${enc1('todos; drop table x')}` }).target).toStrictEqual({ kind: 'relation', name: 'todos; drop table x' });
    expect(parse({ path: `/rpc/${enc1('f(); drop')}` }).target).toStrictEqual({ kind: 'rpc', name: 'f(); drop' });
  });
});

// ---------------------------------------------------------------------------
// Fuzz: random input never escapes as anything but ApiError.
// ---------------------------------------------------------------------------

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('fuzz', () => {
  const ALPHABET = [
    'a', 'b', 'id', 'x', '1', '0', '-1', ' ', ',', '.', ':', '::', '(', ')', '!', '*', '"', '\\', '->', '->>', '{', '}', '[', ']',
    'not.', 'eq.', 'in.(', 'is.', 'null', 'like.', 'fts(', 'eq(any).', 'or(', 'and(', '...', '%', '%2', '%22', '%2C', '+', '=', '&',
    ';', "'", '--', 'é', '\u0000', '\ud800', '😀', 'inner', 'count()', '.sum()', 'asc', 'desc', 'nullsfirst',
  ];
  const KEYS = ['select', 'order', 'limit', 'offset', 'columns', 'on_conflict', 'or', 'and', 'not.or', 'a.order', 'a.limit', 'a.or', 'id', 'a.b', 'data->x', ''];

  function randomString(rand: () => number, maxTokens: number): string {
    const n = Math.floor(rand() * maxTokens);
    let s = '';
    for (let i = 0; i < n; i++) {
      s += rand() < 0.15 ? String.fromCharCode(Math.floor(rand() * 0x3000)) : ALPHABET[Math.floor(rand() * ALPHABET.length)]!;
    }
    return s;
  }

  function tryParse(raw: RawRequest): void {
    try {
      parseRequest(raw, SCHEMAS);
    } catch (e) {
      if (!(e instanceof ApiError)) throw new Error(`non-ApiError for ${JSON.stringify(raw.query)}: ${String(e)}`);
      expect(e.body.code).toMatch(/^PGRST1\d\d$/);
      expect(typeof e.body.message).toBe('string');
    }
  }

  it('grammar-shaped query strings', () => {
    const rand = mulberry32(0xc0ffee);
    for (let i = 0; i < 4000; i++) {
      const parts: string[] = [];
      const nParams = 1 + Math.floor(rand() * 3);
      for (let p = 0; p < nParams; p++) {
        const key = rand() < 0.8 ? KEYS[Math.floor(rand() * KEYS.length)]! : randomString(rand, 4);
        parts.push(`${key}=${randomString(rand, 12)}`);
      }
      const method = ['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE', 'TRACE'][Math.floor(rand() * 7)]!;
      const path = ['/todos', '/rpc/fn', '/', '/a/b', `/${randomString(rand, 3)}`][Math.floor(rand() * 5)]!;
      tryParse({ method, path, query: parts.join('&'), headers: {}, body: enc.encode(randomString(rand, 6)) });
    }
  });

  it('random headers and bodies', () => {
    const rand = mulberry32(42);
    const HEADERS = ['prefer', 'accept', 'range', 'content-type', 'accept-profile', 'content-profile'];
    for (let i = 0; i < 2000; i++) {
      const headers: Record<string, string> = {};
      for (const h of HEADERS) if (rand() < 0.5) headers[h] = randomString(rand, 8);
      if (rand() < 0.3) headers['content-type'] = ['text/csv', 'application/json', 'application/x-www-form-urlencoded', 'text/plain'][Math.floor(rand() * 4)]!;
      const bytes = new Uint8Array(Math.floor(rand() * 40)).map(() => Math.floor(rand() * 256));
      const body = rand() < 0.5 ? bytes : enc.encode(randomString(rand, 10));
      tryParse({ method: rand() < 0.5 ? 'POST' : 'GET', path: rand() < 0.5 ? '/todos' : '/rpc/fn', query: randomString(rand, 10), headers, body });
    }
  });

  it('fully random query strings', () => {
    const rand = mulberry32(7);
    for (let i = 0; i < 3000; i++) {
      let s = '';
      const n = Math.floor(rand() * 40);
      for (let j = 0; j < n; j++) s += String.fromCharCode(Math.floor(rand() * 128));
      tryParse({ method: 'GET', path: '/todos', query: s, headers: {}, body: new Uint8Array() });
    }
  });
});
