// The real clients against the gateway: @supabase/supabase-js (postgrest-js) and
// @refinedev/supabase's dataProvider (§2.13). Reads use the read-only fixture tables;
// writes use conformance.posts only, reset before every test.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { dataProvider } from '@refinedev/supabase';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ALICE, closeDb, db, stack, userJwt } from './helpers.ts';

type Post = {
  id: number;
  title: string;
  category: string;
  status: string;
  views: number;
  tags: string[];
  published_at: string | null;
  director_id: number | null;
};

const POSTS: Post[] = [
  { id: 1, title: 'Hello world', category: 'news', status: 'published', views: 10, tags: ['a', 'b'], published_at: '2024-01-01', director_id: 1 },
  { id: 2, title: 'Second post', category: 'news', status: 'draft', views: 5, tags: ['b'], published_at: null, director_id: null },
  { id: 3, title: 'Refine tips', category: 'howto', status: 'published', views: 42, tags: ['c'], published_at: '2024-03-01', director_id: 2 },
  { id: 4, title: 'Deep dive', category: 'howto', status: 'archived', views: 0, tags: [], published_at: null, director_id: 2 },
  { id: 5, title: 'Hello again', category: 'misc', status: 'draft', views: 7, tags: ['a'], published_at: '2024-05-05', director_id: null },
];

beforeEach(async () => {
  const sql = db();
  await sql`delete from conformance.posts`;
  for (const p of POSTS) {
    await sql`insert into conformance.posts (id, title, category, status, views, tags, published_at, director_id)
      values (${p.id}, ${p.title}, ${p.category}, ${p.status}, ${p.views}, ${p.tags}, ${p.published_at}, ${p.director_id})`;
  }
});

afterAll(async () => {
  await closeDb();
});

// supabase-js builds a RealtimeClient eagerly and, on Node 20 (no global WebSocket),
// refuses to without a transport. Realtime is out of scope: hand it a transport that
// fails loudly if anything ever tries to open a socket.
class NoRealtime {
  constructor() {
    throw new Error('realtime is not used by the REST conformance tests');
  }
}
const realtime = { transport: NoRealtime as never };

function anonClient(): SupabaseClient<any, 'conformance', any> {
  return createClient(stack.apiUrl, stack.anonKey, { db: { schema: 'conformance' }, auth: { persistSession: false }, realtime });
}

async function userClient(sub: string): Promise<SupabaseClient<any, 'conformance', any>> {
  return createClient(stack.apiUrl, stack.anonKey, {
    db: { schema: 'conformance' },
    auth: { persistSession: false, autoRefreshToken: false },
    realtime,
    global: { headers: { Authorization: `Bearer ${await userJwt(sub)}` } },
  });
}

const ids = (rows: unknown) => (rows as Array<{ id: number }>).map((r) => r.id);

describe('supabase-js', () => {
  it('select with eq and single()', async () => {
    const { data, error, status } = await anonClient().from('films').select('id,title').eq('id', 1).single();
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(data).toEqual({ id: 1, title: 'Memento' });
  });

  it('single() with no row → PGRST116 406', async () => {
    const { data, error, status } = await anonClient().from('films').select('id').eq('id', 999).single();
    expect(data).toBeNull();
    expect(status).toBe(406);
    expect(error).toMatchObject({
      code: 'PGRST116',
      message: 'Cannot coerce the result to a single JSON object',
      details: 'The result contains 0 rows',
      hint: null,
    });
  });

  it('maybeSingle() with no row → null without error', async () => {
    const { data, error } = await anonClient().from('films').select('id').eq('id', 999).maybeSingle();
    expect(error).toBeNull();
    expect(data).toBeNull();
  });

  it('count exact with head → count and no data', async () => {
    const { data, count, error, status } = await anonClient().from('films').select('*', { count: 'exact', head: true });
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(data).toBeNull();
    expect(count).toBe(5);
  });

  it('range + order + count → 206 with the total', async () => {
    const { data, count, status } = await anonClient()
      .from('films')
      .select('id', { count: 'exact' })
      .order('rating', { ascending: false, nullsFirst: false })
      .order('id')
      .range(0, 1);
    expect(status).toBe(206);
    expect(count).toBe(5);
    expect(data).toEqual([{ id: 2 }, { id: 1 }]);
  });

  it('in() quotes values containing commas', async () => {
    const { data, error } = await anonClient().from('actors').select('id').in('last_name', ['Cast, Jr.', 'Moss']).order('id');
    expect(error).toBeNull();
    expect(ids(data)).toEqual([5, 6]);
  });

  it('contains() on arrays and jsonb, overlaps(), textSearch(), not(), or(), match(), filter()', async () => {
    const c = anonClient();
    expect(ids((await c.from('films').select('id').contains('tags', ['thriller']).order('id')).data)).toEqual([1, 2]);
    expect(ids((await c.from('films').select('id').contains('metadata', { langs: ['fr'] }).order('id')).data)).toEqual([2, 4]);
    expect(ids((await c.from('films').select('id').overlaps('tags', ['scifi', 'period']).order('id')).data)).toEqual([2, 4]);
    expect(
      ids((await c.from('articles').select('id').textSearch('body_tsv', 'fat cats', { type: 'plain', config: 'english' }).order('id')).data),
    ).toEqual([1]);
    expect(ids((await c.from('articles').select('id').textSearch('body_tsv', 'cat -rat', { type: 'websearch' }).order('id')).data)).toEqual([2, 3]);
    expect(ids((await c.from('films').select('id').not('rating', 'is', null).order('id')).data)).toEqual([1, 2, 3]);
    expect(ids((await c.from('films').select('id').or('year.lt.2005,genre.eq.comedy').order('id')).data)).toEqual([1, 3]);
    expect(ids((await c.from('films').select('id').match({ director_id: 2, genre: 'drama' })).data)).toEqual([4]);
    expect(ids((await c.from('slots').select('id').filter('r', 'adj', '[5,10)').order('id')).data)).toEqual([1, 3]);
    expect(ids((await c.from('slots').select('id').rangeAdjacent('r', '[5,10)').order('id')).data)).toEqual([1, 3]);
    expect(ids((await c.from('films').select('id').likeAnyOf('title', ['M%', 'L%']).order('id')).data)).toEqual([1, 3, 4]);
  });

  it('embedded resources with referencedTable modifiers', async () => {
    const { data, error } = await anonClient()
      .from('directors')
      .select('id, films(title)')
      .order('id')
      .order('year', { referencedTable: 'films', ascending: false })
      .limit(1, { referencedTable: 'films' });
    expect(error).toBeNull();
    expect(data).toEqual([
      { id: 1, films: [{ title: 'Inception' }] },
      { id: 2, films: [{ title: 'Little Women' }] },
      { id: 3, films: [] },
    ]);
  });

  it('or() on a referenced table', async () => {
    const { data } = await anonClient()
      .from('directors')
      .select('id, films(title)')
      .or('year.lt.2005,year.gt.2018', { referencedTable: 'films' })
      .order('id');
    expect(data).toEqual([
      { id: 1, films: [{ title: 'Memento' }] },
      { id: 2, films: [{ title: 'Little Women' }] },
      { id: 3, films: [] },
    ]);
  });

  it('csv()', async () => {
    const { data, error } = await anonClient().from('directors').select('id,last_name').order('id').csv();
    expect(error).toBeNull();
    expect(data).toBe('id,last_name\n1,Nolan\n2,Gerwig\n3,Varda');
  });

  it('stripNulls()', async () => {
    const { data, error } = await anonClient().from('films').select('id,rating').eq('id', 5).stripNulls();
    expect(error).toBeNull();
    expect(data).toEqual([{ id: 5 }]);
  });

  it('rpc: scalar, GET, head with count', async () => {
    const c = anonClient();
    expect((await c.rpc('add_them', { a: 1, b: 2 })).data).toBe(3);
    expect((await c.rpc('greet', { name: 'Ada' }, { get: true })).data).toBe('Hello, Ada!');
    const head = await c.rpc('all_films', {}, { head: true, count: 'exact' });
    expect(head.error).toBeNull();
    expect(head.count).toBe(5);
    const setof = await c.rpc('films_by_director', { dir: 1 }).select('title').order('id');
    expect(setof.data).toEqual([{ title: 'Memento' }, { title: 'Inception' }]);
  });

  it('errors surface with code, message, details, hint and status', async () => {
    const missing = await anonClient().from('zzqqxx').select();
    expect(missing.status).toBe(404);
    expect(missing.error?.code).toBe('PGRST205');
    const dup = await anonClient().from('posts').insert({ id: 1, title: 'dup', category: 'x' });
    expect(dup.status).toBe(409);
    expect(dup.error).toMatchObject({
      code: '23505',
      message: 'duplicate key value violates unique constraint "posts_pkey"',
      details: 'Key (id)=(1) already exists.',
      hint: null,
    });
  });

  it('insert/upsert/update/delete with select()', async () => {
    const c = anonClient();
    // postgrest-js sends columns= as the union of keys: a key missing from one object is NULL
    const union = await c.from('posts').insert([{ id: 10, title: 't10', category: 'x' }, { id: 11, title: 't11', category: 'y', views: 3 }]);
    expect(union.status).toBe(400);
    expect(union.error).toMatchObject({
      code: '23502',
      message: 'null value in column "views" of relation "posts" violates not-null constraint',
      details: 'Failing row contains (10, t10, x, draft, null, {}, null, null).',
    });
    const ins = await c.from('posts').insert([{ id: 10, title: 't10', category: 'x', views: 0 }, { id: 11, title: 't11', category: 'y', views: 3 }]).select('id,views,status');
    expect(ins.status).toBe(201);
    expect(ins.data).toEqual([
      { id: 10, views: 0, status: 'draft' },
      { id: 11, views: 3, status: 'draft' },
    ]);
    const ups = await c.from('posts').upsert({ id: 10, title: 't10b', category: 'x' }).select('id,title');
    expect(ups.status).toBe(200);
    expect(ups.data).toEqual([{ id: 10, title: 't10b' }]);
    const upd = await c.from('posts').update({ status: 'published' }).eq('category', 'news').select('id,status').order('id');
    expect(upd.status).toBe(200);
    expect(upd.data).toEqual([
      { id: 1, status: 'published' },
      { id: 2, status: 'published' },
    ]);
    const delMin = await c.from('posts').delete().eq('id', 11);
    expect(delMin.status).toBe(204);
    expect(delMin.data).toBeNull();
  });

  it('insert with defaultToNull:false sends missing=default', async () => {
    const { data, error } = await anonClient()
      .from('posts')
      .insert([{ id: 20, title: 'a', category: 'x', views: 9 }, { id: 21, title: 'b', category: 'x' }], { defaultToNull: false })
      .select('id,views');
    expect(error).toBeNull();
    expect(data).toEqual([
      { id: 20, views: 9 },
      { id: 21, views: 0 },
    ]);
  });

  it('maxAffected() rolls back when exceeded', async () => {
    // typed as PostgREST 13+ only; the gateway speaks 13
    const builder = anonClient().from('posts').update({ views: 1 }).eq('category', 'news') as unknown as {
      maxAffected(n: number): PromiseLike<{ error: unknown; status: number }>;
    };
    const { error, status } = await builder.maxAffected(1);
    expect(status).toBe(400);
    expect(error).toMatchObject({ code: 'PGRST124', details: 'The query affects 2 rows' });
    const rows = await db()`select views from conformance.posts where category = 'news' order by id`;
    expect(rows.map((r) => r.views)).toEqual([10, 5]);
  });

  it('a user client sees only its own RLS rows', async () => {
    const c = await userClient(ALICE);
    const { data, error } = await c.from('notes').select('id').order('id');
    expect(error).toBeNull();
    expect(data).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('schema() switches the profile; an unexposed schema → PGRST106', async () => {
    const { error, status } = await anonClient().schema('nope').from('posts').select();
    expect(status).toBe(406);
    expect(error).toMatchObject({ code: 'PGRST106', message: 'Invalid schema: nope' });
  });
});

describe('@refinedev/supabase dataProvider', () => {
  const provider = () => dataProvider(anonClient() as never);

  it('getList with pagination and sorters → page of rows and total from Content-Range', async () => {
    const { data, total } = await provider().getList({
      resource: 'posts',
      pagination: { currentPage: 2, pageSize: 2 },
      sorters: [{ field: 'views', order: 'desc' }],
    });
    expect(total).toBe(5);
    expect(ids(data)).toEqual([5, 2]);
  });

  it('getList sorting on a related field adds the embed', async () => {
    const { data, total } = await provider().getList({
      resource: 'posts',
      pagination: { currentPage: 1, pageSize: 10 },
      sorters: [{ field: 'directors.last_name', order: 'asc' }],
      filters: [{ field: 'director_id', operator: 'nnull', value: null }],
    });
    expect(total).toBe(3);
    expect((data as Array<Post & { directors: unknown }>).map((p) => p.directors)).toEqual(
      expect.arrayContaining([{ last_name: 'Nolan' }, { last_name: 'Gerwig' }]),
    );
  });

  it('getList filters: eq, ne, lt/gt, in, nin, contains, containss, startswith, endswith, null, nnull, ina, nina, between', async () => {
    const list = async (filters: unknown[]) => {
      const r = await provider().getList({
        resource: 'posts',
        pagination: { currentPage: 1, pageSize: 100 },
        sorters: [{ field: 'id', order: 'asc' }],
        filters: filters as never,
      });
      return ids(r.data);
    };
    expect(await list([{ field: 'category', operator: 'eq', value: 'news' }])).toEqual([1, 2]);
    expect(await list([{ field: 'category', operator: 'ne', value: 'news' }])).toEqual([3, 4, 5]);
    expect(await list([{ field: 'views', operator: 'gt', value: 7 }, { field: 'views', operator: 'lte', value: 42 }])).toEqual([1, 3]);
    expect(await list([{ field: 'views', operator: 'lt', value: 5 }])).toEqual([4]);
    expect(await list([{ field: 'views', operator: 'gte', value: 10 }])).toEqual([1, 3]);
    expect(await list([{ field: 'id', operator: 'in', value: [1, 3, 5] }])).toEqual([1, 3, 5]);
    // Refine maps nin to filter(f, 'not.in', value): with an array value postgrest-js writes
    // `id=not.in.1,3,5` (no parentheses), which PostgREST rejects as a parse error; a value
    // already in list form works.
    await expect(list([{ field: 'id', operator: 'nin', value: [1, 3, 5] }])).rejects.toMatchObject({ code: 'PGRST100' });
    expect(await list([{ field: 'id', operator: 'nin', value: '(1,3,5)' }])).toEqual([2, 4]);
    expect(await list([{ field: 'title', operator: 'contains', value: 'HELLO' }])).toEqual([1, 5]);
    expect(await list([{ field: 'title', operator: 'containss', value: 'HELLO' }])).toEqual([]);
    // Refine has no ncontains case in generateFilter: it sends `title=not.ilike.hello` (no %),
    // so nothing equals 'hello' case-insensitively and every row comes back.
    expect(await list([{ field: 'title', operator: 'ncontains', value: 'hello' }])).toEqual([1, 2, 3, 4, 5]);
    expect(await list([{ field: 'title', operator: 'startswith', value: 'hello' }])).toEqual([1, 5]);
    expect(await list([{ field: 'title', operator: 'endswith', value: 'TIPS' }])).toEqual([3]);
    expect(await list([{ field: 'published_at', operator: 'null', value: true }])).toEqual([2, 4]);
    expect(await list([{ field: 'published_at', operator: 'nnull', value: null }])).toEqual([1, 3, 5]);
    expect(await list([{ field: 'tags', operator: 'ina', value: ['a'] }])).toEqual([1, 5]);
    expect(await list([{ field: 'tags', operator: 'nina', value: ['a'] }])).toEqual([2, 3, 4]);
    expect(await list([{ field: 'views', operator: 'between', value: [5, 10] }])).toEqual([1, 2, 5]);
    expect(await list([{ field: 'published_at', operator: 'between', value: ['2024-02-01', '2024-12-31'] }])).toEqual([3, 5]);
  });

  it('getList or filter (with in and contains quoting)', async () => {
    const { data, total } = await provider().getList({
      resource: 'posts',
      pagination: { currentPage: 1, pageSize: 10 },
      sorters: [{ field: 'id', order: 'asc' }],
      filters: [
        {
          operator: 'or',
          value: [
            { field: 'status', operator: 'in', value: ['archived', 'draft'] },
            { field: 'title', operator: 'contains', value: 'tips' },
          ],
        },
      ] as never,
    });
    expect(total).toBe(4);
    expect(ids(data)).toEqual([2, 3, 4, 5]);
  });

  it('getList with meta.select embeds', async () => {
    const { data } = await provider().getList({
      resource: 'posts',
      pagination: { currentPage: 1, pageSize: 2 },
      sorters: [{ field: 'id', order: 'asc' }],
      meta: { select: 'id, directors(last_name)' },
    });
    expect(data).toEqual([
      { id: 1, directors: { last_name: 'Nolan' } },
      { id: 2, directors: null },
    ]);
  });

  it('getMany and getOne', async () => {
    const many = await provider().getMany!({ resource: 'posts', ids: [3, 1] });
    expect(ids(many.data).sort()).toEqual([1, 3]);
    const one = await provider().getOne({ resource: 'posts', id: 3 });
    expect(one.data).toEqual(POSTS[2]);
  });

  it('create, createMany, update, deleteOne', async () => {
    const p = provider();
    const created = await p.create({ resource: 'posts', variables: { id: 30, title: 'created', category: 'x' } });
    expect(created.data).toEqual({ id: 30, title: 'created', category: 'x', status: 'draft', views: 0, tags: [], published_at: null, director_id: null });
    const many = await p.createMany!({
      resource: 'posts',
      variables: [
        { id: 31, title: 'm1', category: 'x' },
        { id: 32, title: 'm2', category: 'y' },
      ],
    });
    expect((many.data as Post[]).map((r) => [r.id, r.title, r.views])).toEqual([
      [31, 'm1', 0],
      [32, 'm2', 0],
    ]);
    const updated = await p.update({ resource: 'posts', id: 30, variables: { status: 'published' } });
    expect(updated.data).toMatchObject({ id: 30, status: 'published' });
    const deleted = await p.deleteOne({ resource: 'posts', id: 30 });
    expect(deleted.data).toBeUndefined();
    const rows = await db()`select id from conformance.posts where id >= 30 order by id`;
    expect(rows.map((r) => r.id)).toEqual([31, 32]);
  });

  it('meta.schema naming an unexposed schema → rejected with PGRST106 (statusCode NaN, code kept)', async () => {
    await expect(
      provider().getList({ resource: 'posts', pagination: { currentPage: 1, pageSize: 1 }, meta: { schema: 'nope' } }),
    ).rejects.toMatchObject({ code: 'PGRST106', message: 'Invalid schema: nope' });
  });
});
