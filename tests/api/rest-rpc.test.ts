// RPC (§2.11) and function-raised errors (§2.12) against conformance.* functions.
import { afterAll, describe, expect, it } from 'vitest';
import { closeDb, db, err, rest } from './helpers.ts';

afterAll(async () => {
  await closeDb();
});

const call = (fn: string, body?: unknown, headers: Record<string, string> = {}) =>
  rest(`rpc/${fn}`, { method: 'POST', body, headers });
const get = (path: string, headers: Record<string, string> = {}) => rest(`rpc/${path}`, { headers });

describe('§2.11 calling functions', () => {
  it('POST with named arguments → scalar as a bare JSON value', async () => {
    const res = await call('add_them', { a: 1, b: 2 });
    expect(res.status).toBe(200);
    expect(res.text.trim()).toBe('3');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('GET with query-string arguments on an immutable function', async () => {
    const res = await get('add_them?a=40&b=2');
    expect(res.status).toBe(200);
    expect(res.json).toBe(42);
  });

  it('HEAD answers headers only', async () => {
    const res = await rest('rpc/add_them?a=1&b=2', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
  });

  it('arguments with defaults may be omitted; empty body counts as {}', async () => {
    expect((await call('greet', {})).json).toBe('Hello, world!');
    expect((await call('greet', { name: 'Ada' })).json).toBe('Hello, Ada!');
    expect((await get('greet?greeting=Hi')).json).toBe('Hi, world!');
    const empty = await rest('rpc/greet', { method: 'POST', headers: { 'Content-Type': 'application/json' } });
    expect(empty.status).toBe(200);
    expect(empty.json).toBe('Hello, world!');
  });

  it('a function returning one composite row → object', async () => {
    const res = await call('director_by_id', { did: 2 });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ id: 2, first_name: 'Greta', last_name: 'Gerwig' });
  });

  it('RETURNS TABLE → array, accepting filters', async () => {
    const all = await get('genre_counts');
    expect(all.status).toBe(200);
    expect(all.json).toEqual([
      { genre: 'drama', n: 2 },
      { genre: 'comedy', n: 1 },
      { genre: 'scifi', n: 1 },
      { genre: 'documentary', n: 1 },
    ]);
    expect((await get('genre_counts?n=gt.1')).json).toEqual([{ genre: 'drama', n: 2 }]);
  });

  it('SETOF with select, filters and order (GET)', async () => {
    const res = await get('films_by_director?dir=1&select=id,title&order=id.desc');
    expect(res.status).toBe(200);
    expect(res.json).toEqual([
      { id: 2, title: 'Inception' },
      { id: 1, title: 'Memento' },
    ]);
    expect((await get('films_by_director?dir=1&select=id&year=gt.2005')).json).toEqual([{ id: 2 }]);
  });

  it('SETOF with select and order (POST)', async () => {
    const res = await call('films_by_director?select=title&order=year.desc', { dir: 2 });
    expect(res.status).toBe(200);
    expect(res.json).toEqual([{ title: 'Little Women' }, { title: 'Lady Bird' }]);
  });

  it('SETOF with limit/offset and count=exact → 206 and Content-Range', async () => {
    const res = await get('all_films?select=id&order=id&limit=2&offset=1', { Prefer: 'count=exact' });
    expect(res.status).toBe(206);
    expect(res.json).toEqual([{ id: 2 }, { id: 3 }]);
    expect(res.headers.get('content-range')).toBe('1-2/5');
  });

  it('SETOF with an embed', async () => {
    const res = await get('films_by_director?dir=2&select=title,directors(last_name)&order=id');
    expect(res.json).toEqual([
      { title: 'Lady Bird', directors: { last_name: 'Gerwig' } },
      { title: 'Little Women', directors: { last_name: 'Gerwig' } },
    ]);
  });

  it('SETOF with the object media type', async () => {
    const one = await get('films_by_director?dir=1&select=id&id=eq.1', { Accept: 'application/vnd.pgrst.object+json' });
    expect(one.status).toBe(200);
    expect(one.json).toEqual({ id: 1 });
    const two = await get('films_by_director?dir=1&select=id', { Accept: 'application/vnd.pgrst.object+json' });
    expect(two.status).toBe(406);
    expect(two.json).toEqual(err('PGRST116', 'Cannot coerce the result to a single JSON object', 'The result contains 2 rows'));
  });

  it('void → 204 with no body', async () => {
    const res = await call('do_nothing', {});
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
  });

  it('a single unnamed json parameter receives the whole body', async () => {
    const payload = { x: [1, 2], y: 'z', nested: { ok: true } };
    const res = await call('echo_json', payload);
    expect(res.status).toBe(200);
    expect(res.json).toEqual(payload);
  });

  it('array arguments: {a,b} literal on GET, JSON array on POST', async () => {
    expect((await get('sum_array?vals={1,2,3}')).json).toBe(6);
    expect((await call('sum_array', { vals: [4, 5, 6] })).json).toBe(15);
  });

  it('volatile function: POST works, GET → 405 25006 (read-only transaction)', async () => {
    await db()`update conformance.counters set n = 0 where name = 'calls'`;
    const posted = await call('bump_counter', {});
    expect(posted.status).toBe(200);
    expect(posted.json).toBe(1);
    const res = await get('bump_counter');
    expect(res.status).toBe(405);
    expect(res.json).toEqual(err('25006', 'cannot execute UPDATE in a read-only transaction'));
    const rows = await db()`select n from conformance.counters where name = 'calls'`;
    expect(rows[0]?.n).toBe(1);
  });

  it('response.status and response.headers set through set_config', async () => {
    const res = await call('created_status', {});
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ accepted: true });
    expect(res.headers.get('x-fixture')).toBe('yes');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe('§2.11 RPC errors', () => {
  it('unknown function (POST) → 404 PGRST202', async () => {
    const res = await call('zzz_nope', { a: 1 });
    expect(res.status).toBe(404);
    expect(res.json).toEqual(
      err(
        'PGRST202',
        'Could not find the function conformance.zzz_nope(a) in the schema cache',
        'Searched for the function conformance.zzz_nope with parameter a or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.',
      ),
    );
  });

  it('unknown function (GET, no arguments) → 404 PGRST202', async () => {
    const res = await get('zzz_nope');
    expect(res.status).toBe(404);
    expect(res.json).toEqual(
      err(
        'PGRST202',
        'Could not find the function conformance.zzz_nope without parameters in the schema cache',
        'Searched for the function conformance.zzz_nope without parameters, but no matches were found in the schema cache.',
      ),
    );
  });

  it('known function, wrong argument names → 404 PGRST202 with a parameter hint', async () => {
    const res = await call('add_them', { a: 1, c: 2 });
    expect(res.status).toBe(404);
    const body = res.json as Record<string, unknown>;
    expect(body.code).toBe('PGRST202');
    expect(body.message).toBe('Could not find the function conformance.add_them(a, c) in the schema cache');
    expect(body.details).toBe(
      'Searched for the function conformance.add_them with parameters a, c or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.',
    );
    expect(body.hint).toBe('Perhaps you meant to call the function conformance.add_them(a, b)');
  });

  it('ambiguous overload → 300 PGRST203', async () => {
    const res = await call('overloaded', { x: 1 });
    expect(res.status).toBe(300);
    const body = res.json as Record<string, unknown>;
    expect(body.code).toBe('PGRST203');
    expect([
      'Could not choose the best candidate function between: conformance.overloaded(x => integer), conformance.overloaded(x => text)',
      'Could not choose the best candidate function between: conformance.overloaded(x => text), conformance.overloaded(x => integer)',
    ]).toContain(body.message);
    expect(body.details).toBeNull();
    expect(body.hint).toBe('Try renaming the parameters or the function itself in the database so function overloading can be resolved');
  });

  it('PATCH/DELETE/PUT on /rpc → 405 PGRST101', async () => {
    for (const method of ['PATCH', 'DELETE', 'PUT']) {
      const res = await rest('rpc/add_them', { method, body: method === 'DELETE' ? undefined : { a: 1, b: 2 } });
      expect(res.status, method).toBe(405);
      expect(res.json, method).toEqual(err('PGRST101', `Cannot use the ${method} method on RPC`));
    }
  });
});

describe('§2.12 errors raised by functions', () => {
  it("RAISE SQLSTATE 'PT402' → HTTP 402 with message/detail/hint", async () => {
    const res = await call('pay_up', {});
    expect(res.status).toBe(402);
    expect(res.json).toEqual(err('PT402', 'Payment Required', 'Quota exceeded', 'Upgrade your plan'));
  });

  it("RAISE SQLSTATE 'PGRST' with JSON message/detail → custom code, status and headers", async () => {
    const res = await call('custom_error', {});
    expect(res.status).toBe(418);
    expect(res.json).toEqual(err('CX123', 'Custom failure', 'Something specific', 'Try later'));
    expect(res.headers.get('x-custom-error')).toBe('teapot');
  });

  it('plain RAISE EXCEPTION → 400 P0001', async () => {
    const res = await call('plain_raise', {});
    expect(res.status).toBe(400);
    expect(res.json).toEqual(err('P0001', 'plain failure 42', null, 'raised on purpose'));
  });

  it('argument of the wrong type → 400 22P02', async () => {
    const res = await get('add_them?a=x&b=1');
    expect(res.status).toBe(400);
    expect(res.json).toEqual(err('22P02', 'invalid input syntax for type integer: "x"'));
  });
});
