// Writes over /rest/v1 (§2.8), Prefer (§2.9), singular responses on writes (§2.10),
// status/Content-Range table and SQLSTATE mapping for writes (§2.12).
// Only conformance.items / conformance.serials are written, and they are reset before
// every test through a superuser connection (which is also used to verify side effects).
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { closeDb, db, err, rest } from './helpers.ts';

type Item = { id: number; name: string; qty: number; sku: string | null; note: string | null; director_id: number | null };

const BASE: Item[] = [
  { id: 1, name: 'apple', qty: 5, sku: 'SKU-1', note: null, director_id: 1 },
  { id: 2, name: 'banana', qty: 0, sku: 'SKU-2', note: 'ripe', director_id: null },
  { id: 3, name: 'cherry', qty: 12, sku: null, note: null, director_id: 2 },
];

async function items(): Promise<Item[]> {
  return (await db()`select id, name, qty, sku, note, director_id from conformance.items order by id`) as unknown as Item[];
}

beforeEach(async () => {
  const sql = db();
  await sql`delete from conformance.items`;
  await sql`insert into conformance.items ${sql(BASE)}`;
  await sql`truncate conformance.serials restart identity`;
});

afterAll(async () => {
  await closeDb();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) => rest(path, { method: 'POST', body, headers });
const patch = (path: string, body: unknown, headers: Record<string, string> = {}) => rest(path, { method: 'PATCH', body, headers });
const del = (path: string, headers: Record<string, string> = {}) => rest(path, { method: 'DELETE', headers });
const REP = { Prefer: 'return=representation' };

describe('§2.8 insert', () => {
  it('single object, return=minimal default → 201, empty body, Content-Range */*', async () => {
    const res = await post('items', { id: 10, name: 'kiwi' });
    expect(res.status).toBe(201);
    expect(res.text).toBe('');
    expect(res.headers.get('content-range')).toBe('*/*');
    expect(res.headers.get('location')).toBeNull();
    expect((await items()).at(-1)).toEqual({ id: 10, name: 'kiwi', qty: 1, sku: null, note: null, director_id: null });
  });

  it('return=representation → 201 with the inserted rows', async () => {
    const res = await post('items', { id: 10, name: 'kiwi', qty: 3 }, REP);
    expect(res.status).toBe(201);
    expect(res.json).toEqual([{ id: 10, name: 'kiwi', qty: 3, sku: null, note: null, director_id: null }]);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('content-range')).toBe('*/*');
    expect(res.headers.get('preference-applied')).toBe('return=representation');
  });

  it('bulk array insert', async () => {
    const res = await post(
      'items',
      [
        { id: 10, name: 'kiwi', qty: 3 },
        { id: 11, name: 'lime', qty: 4 },
      ],
      REP,
    );
    expect(res.status).toBe(201);
    expect(res.json).toEqual([
      { id: 10, name: 'kiwi', qty: 3, sku: null, note: null, director_id: null },
      { id: 11, name: 'lime', qty: 4, sku: null, note: null, director_id: null },
    ]);
  });

  it('count=exact on insert → Content-Range */n', async () => {
    const res = await post('items', [{ id: 10, name: 'a' }, { id: 11, name: 'b' }], { Prefer: 'count=exact' });
    expect(res.status).toBe(201);
    expect(res.text).toBe('');
    expect(res.headers.get('content-range')).toBe('*/2');
  });

  it('array objects with different keys (no columns=) → 400 PGRST102 "All object keys must match"', async () => {
    const res = await post('items', [{ id: 10, name: 'a' }, { id: 11, name: 'b', qty: 2 }]);
    expect(res.status).toBe(400);
    expect(res.json).toEqual(err('PGRST102', 'All object keys must match'));
    expect(await items()).toEqual(BASE);
  });

  it('invalid JSON body → 400 PGRST102 "Empty or invalid json"', async () => {
    const res = await rest('items', { method: 'POST', body: '{"id": 1,', headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual(err('PGRST102', 'Empty or invalid json'));
  });

  it('columns= inserts only the listed columns; other keys are ignored; unlisted columns get defaults', async () => {
    const res = await post(
      'items?columns=id,name',
      [
        { id: 11, name: 'a', qty: 7, extra: 'ignored' },
        { id: 12, name: 'b' },
      ],
      REP,
    );
    expect(res.status).toBe(201);
    expect(res.json).toEqual([
      { id: 11, name: 'a', qty: 1, sku: null, note: null, director_id: null },
      { id: 12, name: 'b', qty: 1, sku: null, note: null, director_id: null },
    ]);
  });

  it('columns= (double-quoted, as postgrest-js sends) with a missing key → NULL (here a 23502 not-null violation)', async () => {
    const res = await post('items?columns=%22id%22,%22name%22,%22qty%22', [{ id: 13, name: 'c', qty: 2 }, { id: 14, name: 'd' }]);
    expect(res.status).toBe(400);
    expect(res.json).toEqual(
      err(
        '23502',
        'null value in column "qty" of relation "items" violates not-null constraint',
        'Failing row contains (14, d, null, null, null, null).',
      ),
    );
    expect(await items()).toEqual(BASE);
  });

  it('Prefer missing=default uses the column default for missing keys', async () => {
    const res = await post('items?columns=id,name,qty', [{ id: 13, name: 'c', qty: 2 }, { id: 14, name: 'd' }], {
      Prefer: 'missing=default, return=representation',
    });
    expect(res.status).toBe(201);
    expect(res.json).toEqual([
      { id: 13, name: 'c', qty: 2, sku: null, note: null, director_id: null },
      { id: 14, name: 'd', qty: 1, sku: null, note: null, director_id: null },
    ]);
    expect(res.headers.get('preference-applied')).toBe('missing=default, return=representation');
  });

  it('unknown column in the body → 400 PGRST204', async () => {
    const res = await post('items', { id: 15, name: 'x', nope: 1 });
    expect(res.status).toBe(400);
    expect(res.json).toEqual(err('PGRST204', "Could not find the 'nope' column of 'items' in the schema cache"));
  });

  it('unknown column in columns= → 400 PGRST204', async () => {
    const res = await post('items?columns=id,nope', [{ id: 15, nope: 1 }]);
    expect(res.status).toBe(400);
    expect(res.json).toEqual(err('PGRST204', "Could not find the 'nope' column of 'items' in the schema cache"));
  });

  it('select= with an embed on the returned rows', async () => {
    const res = await post('items?select=id,name,directors(last_name)', { id: 40, name: 'x', director_id: 2 }, REP);
    expect(res.status).toBe(201);
    expect(res.json).toEqual([{ id: 40, name: 'x', directors: { last_name: 'Gerwig' } }]);
  });

  it('order on the returned rows of a bulk insert', async () => {
    const res = await post('items?select=id&order=id.desc', [{ id: 41, name: 'a' }, { id: 42, name: 'b' }], REP);
    expect(res.status).toBe(201);
    expect(res.json).toEqual([{ id: 42 }, { id: 41 }]);
  });

  it('return=headers-only → 201, empty body, Location with the primary key', async () => {
    const res = await post('serials', { label: 'first' }, { Prefer: 'return=headers-only' });
    expect(res.status).toBe(201);
    expect(res.text).toBe('');
    expect(res.headers.get('location')).toBe('/serials?id=eq.1');
    expect(res.headers.get('preference-applied')).toBe('return=headers-only');
    const second = await post('items', { id: 77, name: 'loc' }, { Prefer: 'return=headers-only' });
    expect(second.status).toBe(201);
    expect(second.headers.get('location')).toBe('/items?id=eq.77');
  });

  it('an empty object inserts a row of defaults', async () => {
    const res = await post('serials', {}, REP);
    expect(res.status).toBe(201);
    expect(res.json).toEqual([{ id: 1, label: 'unlabelled' }]);
  });
});

describe('§2.8 upsert', () => {
  it('merge-duplicates updates conflicting rows (payload columns only) and inserts new ones → 201', async () => {
    const res = await post(
      'items',
      [
        { id: 1, name: 'apple2', qty: 6 },
        { id: 20, name: 'new', qty: 1 },
      ],
      { Prefer: 'resolution=merge-duplicates, return=representation' },
    );
    expect(res.status).toBe(201);
    expect(res.json).toEqual([
      { id: 1, name: 'apple2', qty: 6, sku: 'SKU-1', note: null, director_id: 1 },
      { id: 20, name: 'new', qty: 1, sku: null, note: null, director_id: null },
    ]);
    expect(res.headers.get('preference-applied')).toBe('resolution=merge-duplicates, return=representation');
  });

  it('merge-duplicates with no new row → 200', async () => {
    const res = await post('items', [{ id: 1, name: 'apple3', qty: 6 }], {
      Prefer: 'resolution=merge-duplicates, return=representation',
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual([{ id: 1, name: 'apple3', qty: 6, sku: 'SKU-1', note: null, director_id: 1 }]);
  });

  it('ignore-duplicates skips conflicting rows (absent from the representation)', async () => {
    const res = await post(
      'items',
      [
        { id: 1, name: 'nope', qty: 0 },
        { id: 21, name: 'fresh', qty: 3 },
      ],
      { Prefer: 'resolution=ignore-duplicates, return=representation' },
    );
    expect(res.status).toBe(201);
    expect(res.json).toEqual([{ id: 21, name: 'fresh', qty: 3, sku: null, note: null, director_id: null }]);
    expect((await items())[0]).toEqual(BASE[0]);
    expect(res.headers.get('preference-applied')).toBe('resolution=ignore-duplicates, return=representation');
  });

  it('on_conflict names a unique constraint other than the primary key', async () => {
    const res = await post('items?on_conflict=sku', [{ id: 30, name: 'dup sku', qty: 9, sku: 'SKU-2' }], {
      Prefer: 'resolution=merge-duplicates, return=representation',
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual([{ id: 30, name: 'dup sku', qty: 9, sku: 'SKU-2', note: 'ripe', director_id: null }]);
    expect((await items()).map((i) => i.id)).toEqual([1, 3, 30]);
  });

  it('without resolution a conflict is 409 23505', async () => {
    const res = await post('items', { id: 1, name: 'dup' });
    expect(res.status).toBe(409);
    expect(res.json).toEqual(err('23505', 'duplicate key value violates unique constraint "items_pkey"', 'Key (id)=(1) already exists.'));
  });

  it('PUT upserts one row by full primary key', async () => {
    const row = { id: 50, name: 'put', qty: 2, sku: null, note: null, director_id: null };
    const created = await rest('items?id=eq.50', { method: 'PUT', body: row, headers: REP });
    expect(created.status).toBe(201);
    expect(created.json).toEqual([row]);
    const replaced = await rest('items?id=eq.50', { method: 'PUT', body: { ...row, qty: 3 }, headers: REP });
    expect(replaced.status).toBe(200);
    expect(replaced.json).toEqual([{ ...row, qty: 3 }]);
    const minimal = await rest('items?id=eq.50', { method: 'PUT', body: { ...row, qty: 4 } });
    expect(minimal.status).toBe(204);
    expect((await items()).at(-1)).toEqual({ ...row, qty: 4 });
  });

  it('PUT whose payload key differs from the URL → 400 PGRST115', async () => {
    const res = await rest('items?id=eq.51', {
      method: 'PUT',
      body: { id: 52, name: 'x', qty: 1, sku: null, note: null, director_id: null },
    });
    expect(res.status).toBe(400);
    expect(res.json).toEqual(err('PGRST115', 'Payload values do not match URL in primary key column(s)'));
  });
});

describe('§2.8 update and delete', () => {
  it('PATCH → 204, Content-Range 0-(n-1)/*', async () => {
    const res = await patch('items?id=eq.1', { qty: 50 });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(res.headers.get('content-range')).toBe('0-0/*');
    expect((await items())[0]).toEqual({ ...BASE[0], qty: 50 });
  });

  it('PATCH with representation, select and order → 200', async () => {
    const res = await patch('items?id=in.(1,2)&select=id,qty&order=id.desc', { qty: 7 }, REP);
    expect(res.status).toBe(200);
    expect(res.json).toEqual([
      { id: 2, qty: 7 },
      { id: 1, qty: 7 },
    ]);
    expect(res.headers.get('content-range')).toBe('0-1/*');
  });

  it('PATCH with count=exact', async () => {
    const res = await patch('items?qty=gt.1', { note: 'many' }, { Prefer: 'count=exact' });
    expect(res.status).toBe(204);
    expect(res.headers.get('content-range')).toBe('0-1/2');
  });

  it('PATCH matching nothing → 204 */*', async () => {
    const res = await patch('items?id=eq.999', { qty: 1 });
    expect(res.status).toBe(204);
    expect(res.headers.get('content-range')).toBe('*/*');
  });

  it('PATCH with limit/order restricts the rows returned', async () => {
    const res = await patch('items?id=in.(1,2,3)&select=id,note&order=id&limit=2', { note: 'limited' }, REP);
    expect(res.status).toBe(200);
    expect(res.json).toEqual([
      { id: 1, note: 'limited' },
      { id: 2, note: 'limited' },
    ]);
  });

  it('PATCH with an unknown column → 400 PGRST204', async () => {
    const res = await patch('items?id=eq.1', { nope: 1 });
    expect(res.status).toBe(400);
    expect(res.json).toEqual(err('PGRST204', "Could not find the 'nope' column of 'items' in the schema cache"));
  });

  it('DELETE → 204 */*; with representation → 200 rows; with count → */n', async () => {
    const plain = await del('items?id=eq.3');
    expect(plain.status).toBe(204);
    expect(plain.text).toBe('');
    expect(plain.headers.get('content-range')).toBe('*/*');
    const rep = await del('items?id=eq.2', REP);
    expect(rep.status).toBe(200);
    expect(rep.json).toEqual([BASE[1]]);
    const counted = await del('items?id=eq.1', { Prefer: 'count=exact' });
    expect(counted.status).toBe(204);
    expect(counted.headers.get('content-range')).toBe('*/1');
    expect(await items()).toEqual([]);
  });

  it('DELETE with select returns the chosen columns', async () => {
    const res = await del('items?id=eq.1&select=name,directors(last_name)', REP);
    expect(res.status).toBe(200);
    expect(res.json).toEqual([{ name: 'apple', directors: { last_name: 'Nolan' } }]);
  });

  it('unfiltered PATCH → 400 21000 "UPDATE requires a WHERE clause", nothing changed', async () => {
    const res = await patch('items', { qty: 1 });
    expect(res.status).toBe(400);
    expect(res.json).toEqual(err('21000', 'UPDATE requires a WHERE clause'));
    expect(await items()).toEqual(BASE);
  });

  it('unfiltered DELETE → 400 21000 "DELETE requires a WHERE clause", nothing deleted', async () => {
    const res = await del('items');
    expect(res.status).toBe(400);
    expect(res.json).toEqual(err('21000', 'DELETE requires a WHERE clause'));
    expect(await items()).toEqual(BASE);
  });
});

describe('§2.9 Prefer', () => {
  it('Prefer entries may be spread over a list with arbitrary spaces', async () => {
    const res = await post('items', { id: 10, name: 'x' }, { Prefer: 'count=exact,return=representation' });
    expect(res.status).toBe(201);
    expect(res.json).toEqual([{ id: 10, name: 'x', qty: 1, sku: null, note: null, director_id: null }]);
    expect(res.headers.get('content-range')).toBe('*/1');
    expect(res.headers.get('preference-applied')).toBe('return=representation, count=exact');
  });

  it('unknown preferences are ignored by default (handling=lenient)', async () => {
    const res = await post('items', { id: 10, name: 'x' }, { Prefer: 'foo=bar, return=minimal' });
    expect(res.status).toBe(201);
    expect(res.headers.get('preference-applied')).toBe('return=minimal');
  });

  it('handling=strict with an unknown preference → 400 PGRST122', async () => {
    const res = await post('items', { id: 10, name: 'x' }, { Prefer: 'handling=strict, foo=bar' });
    expect(res.status).toBe(400);
    expect(res.json).toEqual(err('PGRST122', 'Invalid preferences given with handling=strict', 'Invalid preferences: foo=bar'));
    expect(await items()).toEqual(BASE);
  });

  it('max-affected with handling=strict: exceeded → 400 PGRST124 and rolled back', async () => {
    const res = await patch('items?qty=gte.0', { note: 'touched' }, { Prefer: 'handling=strict, max-affected=2' });
    expect(res.status).toBe(400);
    expect(res.json).toEqual(err('PGRST124', 'Query result exceeds max-affected preference constraint', 'The query affects 3 rows'));
    expect(await items()).toEqual(BASE);
  });

  it('max-affected on DELETE exceeded → rolled back', async () => {
    const res = await del('items?id=gt.0', { Prefer: 'handling=strict, max-affected=1' });
    expect(res.status).toBe(400);
    expect(res.json).toEqual(err('PGRST124', 'Query result exceeds max-affected preference constraint', 'The query affects 3 rows'));
    expect(await items()).toEqual(BASE);
  });

  it('max-affected within the limit → applied and echoed', async () => {
    const res = await patch('items?qty=gte.0', { note: 'touched' }, { Prefer: 'handling=strict, max-affected=3' });
    expect(res.status).toBe(204);
    expect(res.headers.get('preference-applied')).toBe('handling=strict, max-affected=3');
    expect((await items()).map((i) => i.note)).toEqual(['touched', 'touched', 'touched']);
  });

  it('max-affected without handling=strict is not enforced', async () => {
    const res = await patch('items?qty=gte.0', { note: 'touched' }, { Prefer: 'max-affected=1' });
    expect(res.status).toBe(204);
    expect((await items()).map((i) => i.note)).toEqual(['touched', 'touched', 'touched']);
  });

  // Decision: the test stack allows the override (gateway option allowTxOverride, default on;
  // hosted Supabase has it off), so postgrest-js' .rollback() works: the response is
  // produced, the transaction is rolled back, and tx=rollback is echoed.
  it('tx=rollback is honoured: representation returned, nothing committed, echoed', async () => {
    const res = await post('items', { id: 10, name: 'gone' }, { Prefer: 'tx=rollback, return=representation' });
    expect(res.status).toBe(201);
    expect(res.json).toEqual([{ id: 10, name: 'gone', qty: 1, sku: null, note: null, director_id: null }]);
    expect(res.headers.get('preference-applied')).toBe('return=representation, tx=rollback');
    expect(await items()).toEqual(BASE);
  });

  it('tx=commit is the default and is echoed', async () => {
    const res = await patch('items?id=eq.1', { qty: 8 }, { Prefer: 'tx=commit' });
    expect(res.status).toBe(204);
    expect(res.headers.get('preference-applied')).toBe('tx=commit');
    expect((await items())[0]?.qty).toBe(8);
  });

  it('timezone= renders timestamptz in that zone and is echoed', async () => {
    const res = await rest('events?select=id,happened_at&order=id', { headers: { Prefer: 'timezone=America/Los_Angeles' } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual([
      { id: 1, happened_at: '2024-04-24T06:20:10.200327-07:00' },
      { id: 2, happened_at: '2024-12-31T16:00:00-08:00' },
    ]);
    expect(res.headers.get('preference-applied')).toBe('timezone=America/Los_Angeles');
  });
});

describe('§2.10 singular responses on writes', () => {
  const OBJECT = { Accept: 'application/vnd.pgrst.object+json', Prefer: 'return=representation' };

  it('insert of one row with the object media type → 201 object', async () => {
    const res = await post('items', { id: 10, name: 'one' }, OBJECT);
    expect(res.status).toBe(201);
    expect(res.json).toEqual({ id: 10, name: 'one', qty: 1, sku: null, note: null, director_id: null });
    expect(res.headers.get('content-type')).toBe('application/vnd.pgrst.object+json; charset=utf-8');
  });

  it('insert of two rows with the object media type → 406 PGRST116 and rolled back', async () => {
    const res = await post('items', [{ id: 10, name: 'a' }, { id: 11, name: 'b' }], OBJECT);
    expect(res.status).toBe(406);
    expect(res.json).toEqual(err('PGRST116', 'Cannot coerce the result to a single JSON object', 'The result contains 2 rows'));
    expect(await items()).toEqual(BASE);
  });

  it('update of three rows with the object media type → 406 and rolled back', async () => {
    const res = await patch('items?id=gte.1', { qty: 99 }, OBJECT);
    expect(res.status).toBe(406);
    expect(res.json).toEqual(err('PGRST116', 'Cannot coerce the result to a single JSON object', 'The result contains 3 rows'));
    expect(await items()).toEqual(BASE);
  });

  it('delete of zero rows with the object media type → 406 "The result contains 0 rows"', async () => {
    const res = await del('items?id=eq.999', OBJECT);
    expect(res.status).toBe(406);
    expect(res.json).toEqual(err('PGRST116', 'Cannot coerce the result to a single JSON object', 'The result contains 0 rows'));
  });

  it('delete of two rows with the object media type → 406 and rolled back', async () => {
    const res = await del('items?id=lte.2', OBJECT);
    expect(res.status).toBe(406);
    expect(res.json).toEqual(err('PGRST116', 'Cannot coerce the result to a single JSON object', 'The result contains 2 rows'));
    expect(await items()).toEqual(BASE);
  });
});

describe('§2.12 SQLSTATE mapping on writes', () => {
  it('23503 FK violation → 409', async () => {
    const res = await post('items', { id: 10, name: 'x', director_id: 99 });
    expect(res.status).toBe(409);
    expect(res.json).toEqual(
      err(
        '23503',
        'insert or update on table "items" violates foreign key constraint "items_director_id_fkey"',
        'Key (director_id)=(99) is not present in table "directors".',
      ),
    );
  });

  it('23505 unique violation on a unique constraint → 409', async () => {
    const res = await patch('items?id=eq.3', { sku: 'SKU-1' });
    expect(res.status).toBe(409);
    expect(res.json).toEqual(err('23505', 'duplicate key value violates unique constraint "items_sku_key"', 'Key (sku)=(SKU-1) already exists.'));
  });

  it('23514 check violation → 400', async () => {
    const res = await post('items', { id: 16, name: 'neg', qty: -1 });
    expect(res.status).toBe(400);
    expect(res.json).toEqual(
      err('23514', 'new row for relation "items" violates check constraint "items_qty_check"', 'Failing row contains (16, neg, -1, null, null, null).'),
    );
  });

  it('23502 not-null violation → 400', async () => {
    const res = await patch('items?id=eq.1', { name: null });
    expect(res.status).toBe(400);
    expect(res.json).toEqual(
      err('23502', 'null value in column "name" of relation "items" violates not-null constraint', 'Failing row contains (1, null, 5, SKU-1, null, 1).'),
    );
  });

  it('22P02 invalid text representation in the body → 400', async () => {
    const res = await post('items', { id: 'abc', name: 'x' });
    expect(res.status).toBe(400);
    expect(res.json).toEqual(err('22P02', 'invalid input syntax for type integer: "abc"'));
  });

  it('errors carry Proxy-Status', async () => {
    const res = await post('items', { id: 1, name: 'dup' });
    expect(res.headers.get('proxy-status')).toBe('PostgREST; error=23505');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });
});
