// Reads over /rest/v1 against the `conformance` fixture: routes (§2.1), relationships
// (§2.3), select grammar (§2.5), filters (§2.6), ordering and pagination (§2.7) and
// response representation (§2.10). Only read-only fixture tables are touched here.
// Expected bodies are what PostgREST 12/13 answers (docs/references/api/*.rst, Error.hs).
import { describe, expect, it } from 'vitest';
import { EXPOSED_SCHEMAS, err, ids, rest } from './helpers.ts';

const get = (path: string, headers: Record<string, string> = {}) => rest(path, { headers });

function sortBy<T>(items: T[], key: (t: T) => string): T[] {
  return [...items].sort((a, b) => key(a).localeCompare(key(b)));
}

describe('§2.1 routes', () => {
  it('GET a table returns a JSON array with Content-Range, Content-Type and Content-Profile', async () => {
    const res = await get('directors?order=id');
    expect(res.status).toBe(200);
    expect(res.json).toEqual([
      { id: 1, first_name: 'Christopher', last_name: 'Nolan' },
      { id: 2, first_name: 'Greta', last_name: 'Gerwig' },
      { id: 3, first_name: 'Agnes', last_name: 'Varda' },
    ]);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('content-range')).toBe('0-2/*');
    expect(res.headers.get('content-profile')).toBe('conformance');
  });

  it('Content-Location is the path plus the canonical (sorted) query', async () => {
    const res = await get('films?select=id&id=eq.1');
    expect(res.status).toBe(200);
    expect(res.json).toEqual([{ id: 1 }]);
    expect(res.headers.get('content-location')).toBe('/films?id=eq.1&select=id');
  });

  it('HEAD answers headers only', async () => {
    const res = await rest('directors?order=id', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(res.headers.get('content-range')).toBe('0-2/*');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('HEAD with count=exact reports the total', async () => {
    const res = await rest('films?limit=1', { method: 'HEAD', headers: { Prefer: 'count=exact' } });
    expect(res.status).toBe(206);
    expect(res.text).toBe('');
    expect(res.headers.get('content-range')).toBe('0-0/5');
  });

  it('GET a view', async () => {
    const res = await get('recent_films?order=id');
    expect(res.status).toBe(200);
    expect(res.json).toEqual([
      { id: 2, title: 'Inception', year: 2010 },
      { id: 3, title: 'Lady Bird', year: 2017 },
      { id: 4, title: 'Little Women', year: 2019 },
      { id: 5, title: 'Untitled Project', year: 2025 },
    ]);
  });

  it('unknown table → 404 PGRST205', async () => {
    const res = await get('zzqqxx');
    expect(res.status).toBe(404);
    expect(res.json).toEqual(err('PGRST205', "Could not find the table 'conformance.zzqqxx' in the schema cache"));
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('proxy-status')).toBe('PostgREST; error=PGRST205');
  });

  it('unknown table with a close name → PGRST205 with a "Perhaps you meant" hint', async () => {
    const res = await get('director');
    expect(res.status).toBe(404);
    expect(res.json).toEqual(
      err(
        'PGRST205',
        "Could not find the table 'conformance.director' in the schema cache",
        null,
        "Perhaps you meant the table 'conformance.directors'",
      ),
    );
  });

  it('without a profile header the default schema is public', async () => {
    const res = await rest('directors', { profile: null });
    expect(res.status).toBe(404);
    const body = res.json as Record<string, unknown>;
    expect(body.code).toBe('PGRST205');
    expect(body.message).toBe("Could not find the table 'public.directors' in the schema cache");
    expect(body.details).toBeNull();
  });

  it('Accept-Profile naming an unexposed schema → 406 PGRST106', async () => {
    const res = await rest('directors', { profile: 'nope' });
    expect(res.status).toBe(406);
    expect(res.json).toEqual(
      err('PGRST106', 'Invalid schema: nope', null, `Only the following schemas are exposed: ${EXPOSED_SCHEMAS}`),
    );
  });

  it('Content-Profile naming an unexposed schema → 406 PGRST106', async () => {
    const res = await rest('items', { method: 'POST', profile: 'auth', body: { id: 1, name: 'x' } });
    expect(res.status).toBe(406);
    expect(res.json).toEqual(
      err('PGRST106', 'Invalid schema: auth', null, `Only the following schemas are exposed: ${EXPOSED_SCHEMAS}`),
    );
  });
});

describe('§2.3 relationships', () => {
  it('many-to-one embeds an object, or null when no row matches', async () => {
    const res = await get('films?select=id,directors(last_name)&order=id');
    expect(res.status).toBe(200);
    expect(res.json).toEqual([
      { id: 1, directors: { last_name: 'Nolan' } },
      { id: 2, directors: { last_name: 'Nolan' } },
      { id: 3, directors: { last_name: 'Gerwig' } },
      { id: 4, directors: { last_name: 'Gerwig' } },
      { id: 5, directors: null },
    ]);
  });

  it('one-to-many embeds an array, [] when nothing matches', async () => {
    const res = await get('directors?select=id,films(id)&films.order=id&order=id');
    expect(res.status).toBe(200);
    expect(res.json).toEqual([
      { id: 1, films: [{ id: 1 }, { id: 2 }] },
      { id: 2, films: [{ id: 3 }, { id: 4 }] },
      { id: 3, films: [] },
    ]);
  });

  it('one-to-one embeds an object (both directions)', async () => {
    const fromFilms = await get('films?select=id,technical_specs(camera)&id=lt.4&order=id');
    expect(fromFilms.status).toBe(200);
    expect(fromFilms.json).toEqual([
      { id: 1, technical_specs: { camera: 'Panavision' } },
      { id: 2, technical_specs: { camera: 'IMAX' } },
      { id: 3, technical_specs: null },
    ]);
    const fromSpecs = await get('technical_specs?select=film_id,films(title)&order=film_id');
    expect(fromSpecs.status).toBe(200);
    expect(fromSpecs.json).toEqual([
      { film_id: 1, films: { title: 'Memento' } },
      { film_id: 2, films: { title: 'Inception' } },
    ]);
  });

  it('many-to-many through the junction table', async () => {
    const res = await get('films?select=title,actors(first_name,last_name)&id=in.(3,5)&actors.order=last_name&order=id');
    expect(res.status).toBe(200);
    expect(res.json).toEqual([
      {
        title: 'Lady Bird',
        actors: [
          { first_name: 'Timothee', last_name: 'Chalamet' },
          { first_name: 'Saoirse', last_name: 'Ronan' },
        ],
      },
      { title: 'Untitled Project', actors: [] },
    ]);
    const back = await get('actors?select=last_name,films(title)&id=in.(2,6)&films.order=year&order=id');
    expect(back.json).toEqual([
      { last_name: 'Ronan', films: [{ title: 'Lady Bird' }, { title: 'Little Women' }] },
      { last_name: 'Cast, Jr.', films: [] },
    ]);
  });

  it('many-to-many disambiguated by the junction table as hint', async () => {
    const res = await get('films?select=title,actors!roles(last_name)&id=eq.1&actors.order=last_name');
    expect(res.status).toBe(200);
    expect(res.json).toEqual([{ title: 'Memento', actors: [{ last_name: 'Moss' }, { last_name: 'Pearce' }] }]);
  });

  it('self-reference: table name is one-to-many, FK column is many-to-one', async () => {
    const res = await get('employees?select=name,manager:manager_id(name),reports:employees(name)&reports.order=id&order=id');
    expect(res.status).toBe(200);
    expect(res.json).toEqual([
      { name: 'Ada', manager: null, reports: [{ name: 'Brian' }, { name: 'Cleo' }] },
      { name: 'Brian', manager: { name: 'Ada' }, reports: [{ name: 'Dev' }] },
      { name: 'Cleo', manager: { name: 'Ada' }, reports: [] },
      { name: 'Dev', manager: { name: 'Brian' }, reports: [] },
    ]);
  });

  it('self-reference with a column hint selects the one-to-many side', async () => {
    const res = await get('employees?select=name,subordinates:employees!manager_id(name)&id=eq.1&subordinates.order=id');
    expect(res.status).toBe(200);
    expect(res.json).toEqual([{ name: 'Ada', subordinates: [{ name: 'Brian' }, { name: 'Cleo' }] }]);
  });

  it('hint by constraint name', async () => {
    const res = await get(
      'messages?select=body,sender:users!messages_sender_id_fkey(name),receiver:users!messages_receiver_id_fkey(name)&order=id',
    );
    expect(res.status).toBe(200);
    expect(res.json).toEqual([
      { body: 'hi bob', sender: { name: 'alice' }, receiver: { name: 'bob' } },
      { body: 'hi alice', sender: { name: 'bob' }, receiver: { name: 'alice' } },
      { body: 'hi carol', sender: { name: 'alice' }, receiver: { name: 'carol' } },
    ]);
  });

  it('hint by FK column (referencing side) and one-to-many with a hint', async () => {
    const res = await get('messages?select=id,users!sender_id(name)&order=id');
    expect(res.status).toBe(200);
    expect(res.json).toEqual([
      { id: 1, users: { name: 'alice' } },
      { id: 2, users: { name: 'bob' } },
      { id: 3, users: { name: 'alice' } },
    ]);
    const o2m = await get('users?select=name,received:messages!receiver_id(body)&order=id&received.order=id');
    expect(o2m.json).toEqual([
      { name: 'alice', received: [{ body: 'hi alice' }] },
      { name: 'bob', received: [{ body: 'hi bob' }] },
      { name: 'carol', received: [{ body: 'hi carol' }] },
    ]);
  });

  it('the embed may be named by FK column or constraint name', async () => {
    const byColumn = await get('films?select=id,director_id(last_name)&id=eq.1');
    expect(byColumn.status).toBe(200);
    expect(byColumn.json).toEqual([{ id: 1, director_id: { last_name: 'Nolan' } }]);
    const byConstraint = await get('films?select=id,films_director_id_fkey(last_name)&id=eq.1');
    expect(byConstraint.status).toBe(200);
    expect(byConstraint.json).toEqual([{ id: 1, films_director_id_fkey: { last_name: 'Nolan' } }]);
  });

  it('ambiguous embedding (two FKs to the same table) → 300 PGRST201 with details and hint', async () => {
    const res = await get('users?select=name,messages(body)');
    expect(res.status).toBe(300);
    const body = res.json as { code: string; message: string; details: Array<Record<string, string>>; hint: string };
    expect(body.code).toBe('PGRST201');
    expect(body.message).toBe("Could not embed because more than one relationship was found for 'users' and 'messages'");
    expect(sortBy(body.details, (d) => d.relationship ?? '')).toEqual([
      {
        cardinality: 'one-to-many',
        embedding: 'users with messages',
        relationship: 'messages_receiver_id_fkey using users(id) and messages(receiver_id)',
      },
      {
        cardinality: 'one-to-many',
        embedding: 'users with messages',
        relationship: 'messages_sender_id_fkey using users(id) and messages(sender_id)',
      },
    ]);
    const a = "'messages!messages_sender_id_fkey'";
    const b = "'messages!messages_receiver_id_fkey'";
    const tail = ". Find the desired relationship in the 'details' key.";
    expect([
      `Try changing 'messages' to one of the following: ${a}, ${b}${tail}`,
      `Try changing 'messages' to one of the following: ${b}, ${a}${tail}`,
    ]).toContain(body.hint);
  });

  it('ambiguous many-to-one → 300 PGRST201', async () => {
    const res = await get('messages?select=body,users(name)');
    expect(res.status).toBe(300);
    const body = res.json as { code: string; message: string; details: Array<Record<string, string>>; hint: string };
    expect(body.code).toBe('PGRST201');
    expect(body.message).toBe("Could not embed because more than one relationship was found for 'messages' and 'users'");
    expect(sortBy(body.details, (d) => d.relationship ?? '')).toEqual([
      {
        cardinality: 'many-to-one',
        embedding: 'messages with users',
        relationship: 'messages_receiver_id_fkey using messages(receiver_id) and users(id)',
      },
      {
        cardinality: 'many-to-one',
        embedding: 'messages with users',
        relationship: 'messages_sender_id_fkey using messages(sender_id) and users(id)',
      },
    ]);
    expect(body.hint).toMatch(/^Try changing 'users' to one of the following: 'users!messages_(sender|receiver)_id_fkey', 'users!messages_(sender|receiver)_id_fkey'\. Find the desired relationship in the 'details' key\.$/);
  });

  it('no relationship → 400 PGRST200', async () => {
    const res = await get('films?select=title,canary(id)');
    expect(res.status).toBe(400);
    expect(res.json).toEqual(
      err(
        'PGRST200',
        "Could not find a relationship between 'films' and 'canary' in the schema cache",
        "Searched for a foreign key relationship between 'films' and 'canary' in the schema 'conformance', but no matches were found.",
        null,
      ),
    );
  });

  it('no relationship matching the hint → 400 PGRST200 naming the hint', async () => {
    const res = await get('films?select=title,directors!zzz_nope(last_name)');
    expect(res.status).toBe(400);
    const body = res.json as Record<string, unknown>;
    expect(body.code).toBe('PGRST200');
    expect(body.message).toBe("Could not find a relationship between 'films' and 'directors' in the schema cache");
    expect(body.details).toBe(
      "Searched for a foreign key relationship between 'films' and 'directors' using the hint 'zzz_nope' in the schema 'conformance', but no matches were found.",
    );
  });
});

describe('§2.5 select grammar', () => {
  it('* returns every column with Postgres-native JSON (enum, numeric, array, jsonb, range)', async () => {
    const res = await get('films?id=eq.1');
    expect(res.status).toBe(200);
    expect(res.json).toEqual([
      {
        id: 1,
        director_id: 1,
        title: 'Memento',
        year: 2000,
        genre: 'drama',
        rating: 8.4,
        budget: 9000000,
        tags: ['thriller', 'mystery'],
        metadata: { runtime: 113, langs: ['en'], awards: { oscars: 0 } },
        showing: '[2000-09-05,2000-12-31)',
      },
    ]);
    // numeric(12,2) keeps its scale on the wire, as Postgres' to_json prints it
    expect(res.text).toMatch(/"budget"\s*:\s*9000000\.00[,}]/);
  });

  it('numeric money keeps two decimals', async () => {
    const res = await get('films?select=id,budget&id=eq.4');
    expect(res.json).toEqual([{ id: 4, budget: 40000000.5 }]);
    expect(res.text).toMatch(/"budget"\s*:\s*40000000\.50[,}]/);
  });

  it('timestamps, dates and timestamps without zone print as PostgREST does', async () => {
    const res = await get('events?order=id');
    expect(res.status).toBe(200);
    expect(res.json).toEqual([
      { id: 1, name: 'launch', happened_at: '2024-04-24T13:20:10.200327+00:00', local_at: '2024-04-24T13:20:10', day: '2024-04-24' },
      { id: 2, name: 'new year', happened_at: '2025-01-01T00:00:00+00:00', local_at: '2025-01-01T00:00:00', day: '2025-01-01' },
    ]);
  });

  it('alias:col renames the output key', async () => {
    const res = await get('films?select=movie:title,y:year&id=eq.1');
    expect(res.json).toEqual([{ movie: 'Memento', y: 2000 }]);
  });

  it('col::type casts the output', async () => {
    const res = await get('films?select=id,year::text,budget::text,label:rating::text&id=eq.1');
    expect(res.json).toEqual([{ id: 1, year: '2000', budget: '9000000.00', label: '8.4' }]);
  });

  it('double-quoted column names', async () => {
    const res = await get('films?select="title","year"&id=eq.2');
    expect(res.json).toEqual([{ title: 'Inception', year: 2010 }]);
  });

  it('JSON paths: -> keeps JSON, ->> gives text, array index, last element names the key', async () => {
    const res = await get(
      'films?select=id,metadata->runtime,metadata->awards->>oscars,first_lang:metadata->langs->0,second_lang:metadata->langs->>1&id=in.(1,2,5)&order=id',
    );
    expect(res.status).toBe(200);
    expect(res.json).toEqual([
      { id: 1, runtime: 113, oscars: '0', first_lang: 'en', second_lang: null },
      { id: 2, runtime: 148, oscars: '4', first_lang: 'en', second_lang: 'ja' },
      { id: 5, runtime: null, oscars: null, first_lang: null, second_lang: null },
    ]);
  });

  it('JSON path with a cast', async () => {
    const res = await get('films?select=id,runtime:metadata->>runtime::int&id=eq.3');
    expect(res.json).toEqual([{ id: 3, runtime: 94 }]);
  });

  it('alias:rel(...) embeds under another key', async () => {
    const res = await get('films?select=title,director:directors(first_name,last_name)&id=eq.3');
    expect(res.json).toEqual([{ title: 'Lady Bird', director: { first_name: 'Greta', last_name: 'Gerwig' } }]);
  });

  it('embedded *', async () => {
    const res = await get('films?select=id,directors(*)&id=eq.3');
    expect(res.json).toEqual([{ id: 3, directors: { id: 2, first_name: 'Greta', last_name: 'Gerwig' } }]);
  });

  it('...rel(...) spreads a to-one embed into the parent (null columns when no match)', async () => {
    const res = await get('films?select=title,...directors(director:last_name)&order=id');
    expect(res.status).toBe(200);
    expect(res.json).toEqual([
      { title: 'Memento', director: 'Nolan' },
      { title: 'Inception', director: 'Nolan' },
      { title: 'Lady Bird', director: 'Gerwig' },
      { title: 'Little Women', director: 'Gerwig' },
      { title: 'Untitled Project', director: null },
    ]);
  });

  it('...rel(...) on a to-many embed gives correlated arrays', async () => {
    const res = await get('directors?select=last_name,...films(titles:title,years:year)&films.order=year&id=in.(1,2)&order=id');
    expect(res.status).toBe(200);
    expect(res.json).toEqual([
      { last_name: 'Nolan', titles: ['Memento', 'Inception'], years: [2000, 2010] },
      { last_name: 'Gerwig', titles: ['Lady Bird', 'Little Women'], years: [2017, 2019] },
    ]);
  });

  it('spread of a junction row lifts the far side into the junction object', async () => {
    const res = await get('films?select=title,cast:roles(character,...actors(first_name,last_name))&id=eq.2');
    expect(res.json).toEqual([
      { title: 'Inception', cast: [{ character: 'Cobb', first_name: 'Leonardo', last_name: 'DiCaprio' }] },
    ]);
  });

  it('empty embed rel() filters the parent but outputs nothing', async () => {
    const res = await get('films?select=title,actors()&actors.last_name=eq.Ronan&actors=not.is.null&order=id');
    expect(res.status).toBe(200);
    expect(res.json).toEqual([{ title: 'Lady Bird' }, { title: 'Little Women' }]);
  });

  it('!inner drops parents without a matching embedded row', async () => {
    const res = await get('directors?select=last_name,films!inner(title)&films.year=gt.2015&films.order=year&order=id');
    expect(res.status).toBe(200);
    expect(res.json).toEqual([{ last_name: 'Gerwig', films: [{ title: 'Lady Bird' }, { title: 'Little Women' }] }]);
  });

  it('!left keeps every parent; embedded filters restrict only the embedded rows', async () => {
    const res = await get('directors?select=last_name,films!left(title)&films.year=gt.2015&films.order=year&order=id');
    expect(res.status).toBe(200);
    expect(res.json).toEqual([
      { last_name: 'Nolan', films: [] },
      { last_name: 'Gerwig', films: [{ title: 'Lady Bird' }, { title: 'Little Women' }] },
      { last_name: 'Varda', films: [] },
    ]);
  });

  it('!inner combines with a hint in either order', async () => {
    const expected = [
      { id: 1, directors: { last_name: 'Nolan' } },
      { id: 2, directors: { last_name: 'Nolan' } },
      { id: 3, directors: { last_name: 'Gerwig' } },
      { id: 4, directors: { last_name: 'Gerwig' } },
    ];
    const a = await get('films?select=id,directors!films_director_id_fkey!inner(last_name)&order=id');
    expect(a.status).toBe(200);
    expect(a.json).toEqual(expected);
    const b = await get('films?select=id,directors!inner!films_director_id_fkey(last_name)&order=id');
    expect(b.status).toBe(200);
    expect(b.json).toEqual(expected);
  });

  it('rel=not.is.null keeps parents with a match, rel=is.null is the anti-join', async () => {
    const withFilms = await get('directors?select=last_name,films(id)&films=not.is.null&films.order=id&order=id');
    expect(withFilms.json).toEqual([
      { last_name: 'Nolan', films: [{ id: 1 }, { id: 2 }] },
      { last_name: 'Gerwig', films: [{ id: 3 }, { id: 4 }] },
    ]);
    const without = await get('directors?select=last_name,films(id)&films=is.null&order=id');
    expect(without.json).toEqual([{ last_name: 'Varda', films: [] }]);
  });

  it('nested embeds with nested modifiers', async () => {
    const res = await get(
      'directors?select=last_name,films(title,roles(character,actors(last_name)))&id=eq.1&films.order=year&films.roles.order=character',
    );
    expect(res.status).toBe(200);
    expect(res.json).toEqual([
      {
        last_name: 'Nolan',
        films: [
          {
            title: 'Memento',
            roles: [
              { character: 'Leonard Shelby', actors: { last_name: 'Pearce' } },
              { character: 'Natalie', actors: { last_name: 'Moss' } },
            ],
          },
          { title: 'Inception', roles: [{ character: 'Cobb', actors: { last_name: 'DiCaprio' } }] },
        ],
      },
    ]);
  });

  it('nested embedded filter path (roles.actors.last_name) filters the innermost rows only', async () => {
    const res = await get('films?select=id,roles(character,actors(last_name))&id=eq.1&roles.order=character&roles.actors.last_name=eq.Moss');
    expect(res.json).toEqual([
      {
        id: 1,
        roles: [
          { character: 'Leonard Shelby', actors: null },
          { character: 'Natalie', actors: { last_name: 'Moss' } },
        ],
      },
    ]);
  });

  it('embedded order, limit and offset', async () => {
    const res = await get('directors?select=id,films(title)&films.order=year.desc&films.limit=1&films.offset=1&order=id');
    expect(res.status).toBe(200);
    expect(res.json).toEqual([
      { id: 1, films: [{ title: 'Memento' }] },
      { id: 2, films: [{ title: 'Lady Bird' }] },
      { id: 3, films: [] },
    ]);
  });

  it('embedded or=(...)', async () => {
    const res = await get('directors?select=id,films(title)&films.or=(year.lt.2005,year.gt.2018)&films.order=year&order=id');
    expect(res.status).toBe(200);
    expect(res.json).toEqual([
      { id: 1, films: [{ title: 'Memento' }] },
      { id: 2, films: [{ title: 'Little Women' }] },
      { id: 3, films: [] },
    ]);
  });

  it('embedded modifiers address an aliased embed by its alias', async () => {
    const res = await get('directors?select=id,work:films(title)&work.order=year.desc&work.limit=1&id=eq.2');
    expect(res.json).toEqual([{ id: 2, work: [{ title: 'Little Women' }] }]);
  });

  it('top-level order by a column of a to-one embed', async () => {
    const res = await get('films?select=title,directors(last_name)&director_id=not.is.null&order=directors(last_name).asc,id');
    expect(res.status).toBe(200);
    expect(res.json).toEqual([
      { title: 'Lady Bird', directors: { last_name: 'Gerwig' } },
      { title: 'Little Women', directors: { last_name: 'Gerwig' } },
      { title: 'Memento', directors: { last_name: 'Nolan' } },
      { title: 'Inception', directors: { last_name: 'Nolan' } },
    ]);
  });

  it('filter on a path that is not embedded → 400 PGRST108', async () => {
    const res = await get('films?select=title&directors.last_name=eq.Nolan');
    expect(res.status).toBe(400);
    expect(res.json).toEqual(
      err(
        'PGRST108',
        "'directors' is not an embedded resource in this request",
        null,
        "Verify that 'directors' is included in the 'select' query parameter.",
      ),
    );
  });

  it('order/limit on a path that is not embedded → 400 PGRST108', async () => {
    const res = await get('films?select=title&actors.order=last_name');
    expect(res.status).toBe(400);
    expect(res.json).toEqual(
      err('PGRST108', "'actors' is not an embedded resource in this request", null, "Verify that 'actors' is included in the 'select' query parameter."),
    );
  });

  it('top-level order by a to-many embed → 400 PGRST118', async () => {
    const res = await get('directors?select=last_name,films(title)&order=films(title)');
    expect(res.status).toBe(400);
    expect(res.json).toEqual(
      err(
        'PGRST118',
        "A related order on 'films' is not possible",
        "'directors' and 'films' do not form a many-to-one or one-to-one relationship",
      ),
    );
  });

  it('non-null operator on an embed itself → 400 PGRST120', async () => {
    const res = await get('films?select=title,directors(last_name)&directors=eq.1');
    expect(res.status).toBe(400);
    expect(res.json).toEqual(
      err(
        'PGRST120',
        "Bad operator on the 'directors' embedded resource",
        'Only is null or not is null filters are allowed on embedded resources',
      ),
    );
  });

  it('aggregates are disabled → 400 PGRST123', async () => {
    for (const select of ['count()', 'year.sum()', 'genre,rating.avg()']) {
      const res = await get(`films?select=${select}`);
      expect(res.status, select).toBe(400);
      expect(res.json, select).toEqual(err('PGRST123', 'Use of aggregate functions is not allowed'));
    }
  });

  it('unknown column in select → 400 42703', async () => {
    const res = await get('films?select=id,zzz');
    expect(res.status).toBe(400);
    expect(res.json).toEqual(err('42703', 'column films.zzz does not exist'));
  });

  it('unknown column in a filter → 400 42703', async () => {
    const res = await get('films?zzz=eq.1');
    expect(res.status).toBe(400);
    expect(res.json).toEqual(err('42703', 'column films.zzz does not exist'));
  });

  it('unparsable select → 400 PGRST100', async () => {
    const res = await get('films?select=id,directors(last_name');
    expect(res.status).toBe(400);
    const body = res.json as Record<string, unknown>;
    expect(body.code).toBe('PGRST100');
    expect(typeof body.message).toBe('string');
    expect(typeof body.details).toBe('string');
    expect(body.hint).toBeNull();
  });
});

describe('§2.6 filters', () => {
  const filmIds = async (query: string) => {
    const res = await get(`films?select=id&order=id&${query}`);
    expect(res.status, `${query}: ${res.text}`).toBe(200);
    return ids(res.json);
  };
  const actorIds = async (query: string) => {
    const res = await get(`actors?select=id&order=id&${query}`);
    expect(res.status, `${query}: ${res.text}`).toBe(200);
    return ids(res.json);
  };
  const slotIds = async (query: string) => {
    const res = await get(`slots?select=id&order=id&${query}`);
    expect(res.status, `${query}: ${res.text}`).toBe(200);
    return ids(res.json);
  };
  const articleIds = async (query: string) => {
    const res = await get(`articles?select=id&order=id&${query}`);
    expect(res.status, `${query}: ${res.text}`).toBe(200);
    return ids(res.json);
  };

  it('eq neq gt gte lt lte', async () => {
    expect(await filmIds('year=eq.2010')).toEqual([2]);
    expect(await filmIds('year=neq.2010')).toEqual([1, 3, 4, 5]);
    expect(await filmIds('year=gt.2017')).toEqual([4, 5]);
    expect(await filmIds('year=gte.2017')).toEqual([3, 4, 5]);
    expect(await filmIds('year=lt.2010')).toEqual([1]);
    expect(await filmIds('year=lte.2010')).toEqual([1, 2]);
    expect(await filmIds('rating=gt.8.5')).toEqual([2]);
  });

  it('values may contain dots and are coerced by Postgres (enum, numeric, date)', async () => {
    expect(await filmIds('genre=eq.drama')).toEqual([1, 4]);
    expect(await filmIds('budget=eq.40000000.50')).toEqual([4]);
    const events = await get('events?select=id&happened_at=gt.2024-12-31T23:59:59Z');
    expect(events.json).toEqual([{ id: 2 }]);
  });

  it('repeated keys are ANDed', async () => {
    expect(await filmIds('year=gte.2005&year=lte.2018')).toEqual([2, 3]);
  });

  it('like / ilike with * as %', async () => {
    expect(await filmIds('title=like.*In*')).toEqual([2]);
    expect(await filmIds('title=like.L%25')).toEqual([3, 4]);
    expect(await filmIds('title=ilike.*LITTLE*')).toEqual([4]);
    expect(await filmIds('title=not.like.*e*')).toEqual([3]);
  });

  it('match / imatch (POSIX regex)', async () => {
    expect(await filmIds('title=match.^L')).toEqual([3, 4]);
    expect(await filmIds('title=imatch.^l.*n$')).toEqual([4]);
  });

  it('in with plain and double-quoted values (commas and escaped quotes)', async () => {
    expect(await filmIds('title=in.("Lady Bird","Little Women")')).toEqual([3, 4]);
    expect(await filmIds('id=in.(1,3,5)')).toEqual([1, 3, 5]);
    expect(await actorIds('last_name=in.("Cast, Jr.",Moss)')).toEqual([5, 6]);
    expect(await actorIds(`first_name=in.(${encodeURIComponent('"The \\"Extra\\""')})`)).toEqual([6]);
    expect(await filmIds('genre=not.in.(drama,comedy)')).toEqual([2, 5]);
  });

  it('is null / not_null / true / false / unknown (case-insensitive)', async () => {
    expect(await filmIds('rating=is.null')).toEqual([4, 5]);
    expect(await filmIds('rating=is.NULL')).toEqual([4, 5]);
    expect(await filmIds('rating=not.is.null')).toEqual([1, 2, 3]);
    expect(await filmIds('rating=is.not_null')).toEqual([1, 2, 3]);
    expect(await actorIds('active=is.true')).toEqual([1, 2, 5]);
    expect(await actorIds('active=is.false')).toEqual([3]);
    expect(await actorIds('active=is.unknown')).toEqual([4, 6]);
    expect(await actorIds('active=not.is.true')).toEqual([3, 4, 6]);
  });

  it('isdistinct', async () => {
    expect(await filmIds('rating=isdistinct.8.4')).toEqual([2, 3, 4, 5]);
    expect(await filmIds('rating=not.isdistinct.8.4')).toEqual([1]);
  });

  it('(any) and (all) modifiers', async () => {
    expect(await filmIds('id=eq(any).{1,3}')).toEqual([1, 3]);
    expect(await filmIds('title=like(any).{M*,L*}')).toEqual([1, 3, 4]);
    expect(await filmIds('title=ilike(all).{*i*,*e*}')).toEqual([2, 4, 5]);
    expect(await filmIds('year=gt(all).{2005,2015}')).toEqual([3, 4, 5]);
    expect(await filmIds('year=lt(any).{2001,2011}')).toEqual([1, 2]);
    expect(await filmIds('title=match(any).{^Mem,^Inc}')).toEqual([1, 2]);
  });

  it('cs / cd / ov on arrays', async () => {
    expect(await filmIds('tags=cs.{thriller}')).toEqual([1, 2]);
    expect(await filmIds('tags=cd.{drama,period,coming-of-age}')).toEqual([3, 4, 5]);
    expect(await filmIds('tags=ov.{scifi,period}')).toEqual([2, 4]);
    expect(await filmIds('tags=not.ov.{scifi,period}')).toEqual([1, 3, 5]);
  });

  it('cs / cd on jsonb', async () => {
    expect(await filmIds(`metadata=cs.${encodeURIComponent('{"langs":["fr"]}')}`)).toEqual([2, 4]);
    expect(
      await filmIds(`metadata=cd.${encodeURIComponent('{"runtime":94,"langs":["en"],"awards":{"oscars":0},"extra":1}')}`),
    ).toEqual([3, 5]);
  });

  it('cs / cd / ov on ranges', async () => {
    expect(await slotIds('r=cs.[6,7)')).toEqual([2, 4]);
    expect(await slotIds('r=cd.[0,9)')).toEqual([1, 4]);
    expect(await slotIds('r=ov.[4,6)')).toEqual([1, 2, 4]);
    expect(await filmIds('showing=ov.[2010-01-01,2011-01-01)')).toEqual([2]);
  });

  it('range operators sl sr nxr nxl adj', async () => {
    expect(await slotIds('r=sl.[10,20)')).toEqual([1, 2, 4]);
    expect(await slotIds('r=sr.[1,6)')).toEqual([3]);
    expect(await slotIds('r=nxr.[1,8)')).toEqual([1, 4]);
    expect(await slotIds('r=nxl.[5,6)')).toEqual([2, 3]);
    expect(await slotIds('r=adj.[5,10)')).toEqual([1, 3]);
    expect(await slotIds('r=not.adj.[5,10)')).toEqual([2, 4]);
  });

  it('full-text search on a tsvector column: fts plfts phfts wfts, with and without config', async () => {
    expect(await articleIds('body_tsv=fts.cat')).toEqual([1, 2, 3]);
    expect(await articleIds('body_tsv=fts(english).cats')).toEqual([1, 2, 3]);
    expect(await articleIds('body_tsv=not.fts.cat')).toEqual([4]);
    expect(await articleIds('body_tsv=plfts.fat cat')).toEqual([1]);
    expect(await articleIds('body_tsv=plfts(english).fat cats')).toEqual([1]);
    expect(await articleIds('body_tsv=phfts.fat cat')).toEqual([1]);
    expect(await articleIds('body_tsv=phfts(english).cats ate')).toEqual([1]);
    expect(await articleIds('body_tsv=phfts(english).cat fat')).toEqual([]);
    expect(await articleIds('body_tsv=wfts.cat -rat')).toEqual([2, 3]);
    expect(await articleIds(`body_tsv=wfts(english).${encodeURIComponent('"lazy dog" or rats')}`)).toEqual([1, 2, 4]);
  });

  it('full-text search on a text column wraps it in to_tsvector', async () => {
    expect(await articleIds('body=fts(english).cats')).toEqual([1, 2, 3]);
    expect(await articleIds('body=plfts(english).mice ran')).toEqual([4]);
  });

  it('JSON path filters: -> compares JSON, ->> compares text', async () => {
    expect(await filmIds('metadata->runtime=gt.120')).toEqual([2, 4]);
    // text comparison: '94' > '120'
    expect(await filmIds('metadata->>runtime=gt.120')).toEqual([2, 3, 4]);
    expect(await filmIds('metadata->awards->>oscars=eq.4')).toEqual([2]);
    expect(await filmIds('metadata->langs->>1=eq.ja')).toEqual([2]);
  });

  it('or / and trees, nested, negated, with quoted values', async () => {
    expect(await filmIds('or=(year.lt.2005,genre.eq.comedy)')).toEqual([1, 3]);
    expect(await filmIds('and=(year.gte.2010,or(rating.is.null,rating.gt.8.5))')).toEqual([2, 4, 5]);
    expect(await filmIds('not.or=(id.eq.1,id.eq.2)')).toEqual([3, 4, 5]);
    expect(await filmIds('or=(and(year.gte.2010,genre.not.eq.scifi),id.eq.1)')).toEqual([1, 3, 4, 5]);
    expect(await filmIds('or=(not.and(year.gte.2010,genre.eq.drama),id.eq.4)')).toEqual([1, 2, 3, 4, 5]);
    expect(await filmIds('and=(not.or(id.eq.1,id.eq.2),year.lt.2020)')).toEqual([3, 4]);
    expect(await filmIds('or=(title.eq."Lady Bird",title.in.("Memento","Little Women"))')).toEqual([1, 3, 4]);
    expect(await actorIds('or=(last_name.eq."Cast, Jr.",id.eq.1)')).toEqual([1, 6]);
    expect(await filmIds('or=(tags.cs.{period},id.eq.1)')).toEqual([1, 4]);
    expect(await filmIds('or=(rating.not.is.null,id.eq.5)&year=gt.2005')).toEqual([2, 3, 5]);
    expect(await filmIds('or=(title.like.*In*,title.ilike.LADY*)')).toEqual([2, 3]);
  });

  it('logic trees over embeds (null checks on embedded resources)', async () => {
    const res = await get(
      'films?select=id,technical_specs(camera),directors(last_name)&or=(technical_specs.not.is.null,directors.is.null)&order=id',
    );
    expect(res.status).toBe(200);
    expect(res.json).toEqual([
      { id: 1, technical_specs: { camera: 'Panavision' }, directors: { last_name: 'Nolan' } },
      { id: 2, technical_specs: { camera: 'IMAX' }, directors: { last_name: 'Nolan' } },
      { id: 5, technical_specs: null, directors: null },
    ]);
  });

  it('an unknown operator → 400 PGRST100', async () => {
    const res = await get('films?id=zz.1');
    expect(res.status).toBe(400);
    expect((res.json as Record<string, unknown>).code).toBe('PGRST100');
  });

  it('a value of the wrong type → 400 22P02', async () => {
    const res = await get('films?id=eq.abc');
    expect(res.status).toBe(400);
    expect(res.json).toEqual(err('22P02', 'invalid input syntax for type integer: "abc"'));
  });

  it('+ in the query string is a space', async () => {
    expect(await filmIds('title=eq.Lady+Bird')).toEqual([3]);
  });
});

describe('§2.7 ordering and pagination', () => {
  const ratings = async (order: string) => {
    const res = await get(`films?select=id,rating&order=${order}`);
    expect(res.status, res.text).toBe(200);
    return res.json;
  };

  it('asc (default nulls last), desc (default nulls first), nullsfirst, nullslast', async () => {
    expect(await ratings('rating,id')).toEqual([
      { id: 3, rating: 7.4 },
      { id: 1, rating: 8.4 },
      { id: 2, rating: 8.8 },
      { id: 4, rating: null },
      { id: 5, rating: null },
    ]);
    expect(ids(await ratings('rating.desc,id'))).toEqual([4, 5, 2, 1, 3]);
    expect(ids(await ratings('rating.desc.nullslast,id.desc'))).toEqual([2, 1, 3, 5, 4]);
    expect(ids(await ratings('rating.asc.nullsfirst,id'))).toEqual([4, 5, 3, 1, 2]);
    expect(ids(await ratings('rating.nullsfirst,id.desc'))).toEqual([5, 4, 3, 1, 2]);
  });

  it('order by a JSON path', async () => {
    expect(ids(await ratings('metadata->runtime.desc.nullslast'))).toEqual([2, 4, 1, 3, 5]);
    expect(ids(await ratings('metadata->>runtime.asc,id'))).toEqual([1, 4, 2, 3, 5]);
  });

  it('order by an enum follows the enum declaration order', async () => {
    const res = await get('films?select=id&order=genre.desc,id');
    expect(ids(res.json)).toEqual([5, 2, 3, 1, 4]);
  });

  it('limit and offset; Content-Range shows the window', async () => {
    const res = await get('films?select=id&order=id&limit=2&offset=1');
    expect(res.status).toBe(200);
    expect(res.json).toEqual([{ id: 2 }, { id: 3 }]);
    expect(res.headers.get('content-range')).toBe('1-2/*');
  });

  it('Range header (items) is accepted', async () => {
    const res = await get('films?select=id&order=id', { Range: '1-2', 'Range-Unit': 'items' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual([{ id: 2 }, { id: 3 }]);
    expect(res.headers.get('content-range')).toBe('1-2/*');
  });

  it('count=exact with a partial window → 206 first-last/total', async () => {
    const res = await get('films?select=id&order=id&limit=2', { Prefer: 'count=exact' });
    expect(res.status).toBe(206);
    expect(res.json).toEqual([{ id: 1 }, { id: 2 }]);
    expect(res.headers.get('content-range')).toBe('0-1/5');
    expect(res.headers.get('preference-applied')).toBe('count=exact');
  });

  it('count=exact with the full set → 200 0-(n-1)/n', async () => {
    const res = await get('films?select=id&order=id', { Prefer: 'count=exact' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-range')).toBe('0-4/5');
  });

  it('count=exact over a filter counts the filtered set', async () => {
    const res = await get('films?select=id&order=id&director_id=eq.1&limit=1&offset=1', { Prefer: 'count=exact' });
    expect(res.status).toBe(206);
    expect(res.json).toEqual([{ id: 2 }]);
    expect(res.headers.get('content-range')).toBe('1-1/2');
  });

  it('empty result: */* without count, */0 with count', async () => {
    const plain = await get('films?select=id&id=gt.100');
    expect(plain.status).toBe(200);
    expect(plain.json).toEqual([]);
    expect(plain.headers.get('content-range')).toBe('*/*');
    const counted = await get('films?select=id&id=gt.100', { Prefer: 'count=exact' });
    expect(counted.status).toBe(200);
    expect(counted.json).toEqual([]);
    expect(counted.headers.get('content-range')).toBe('*/0');
  });

  it('offset beyond the total with count → 416 PGRST103', async () => {
    const res = await get('films?select=id&offset=10', { Prefer: 'count=exact' });
    expect(res.status).toBe(416);
    expect(res.json).toEqual(
      err('PGRST103', 'Requested range not satisfiable', 'An offset of 10 was requested, but there are only 5 rows.'),
    );
  });

  it('offset equal to the total with count → 206 */total (not 416)', async () => {
    const res = await get('films?select=id&offset=5', { Prefer: 'count=exact' });
    expect(res.status).toBe(206);
    expect(res.json).toEqual([]);
    expect(res.headers.get('content-range')).toBe('*/5');
  });

  it('offset beyond the end without count → 200 [] */*', async () => {
    const res = await get('films?select=id&offset=10');
    expect(res.status).toBe(200);
    expect(res.json).toEqual([]);
    expect(res.headers.get('content-range')).toBe('*/*');
  });

  it('count=planned gives a planner estimate after the slash', async () => {
    const res = await get('films?select=id&order=id&limit=2', { Prefer: 'count=planned' });
    expect([200, 206]).toContain(res.status);
    expect(res.json).toEqual([{ id: 1 }, { id: 2 }]);
    expect(res.headers.get('content-range')).toMatch(/^0-1\/\d+$/);
    expect(res.headers.get('preference-applied')).toBe('count=planned');
  });

  it('count=estimated is exact below max_rows', async () => {
    const res = await get('films?select=id&order=id&limit=2', { Prefer: 'count=estimated' });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe('0-1/5');
    expect(res.headers.get('preference-applied')).toBe('count=estimated');
  });
});

describe('§2.10 response representation', () => {
  const OBJECT = 'application/vnd.pgrst.object+json';

  it('object media type with exactly one row → the object', async () => {
    const res = await get('films?select=id,title&id=eq.1', { Accept: OBJECT });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ id: 1, title: 'Memento' });
    expect(res.headers.get('content-type')).toBe('application/vnd.pgrst.object+json; charset=utf-8');
  });

  it('object media type with 0 rows → 406 PGRST116 "The result contains 0 rows"', async () => {
    const res = await get('films?select=id&id=eq.999', { Accept: OBJECT });
    expect(res.status).toBe(406);
    expect(res.json).toEqual(err('PGRST116', 'Cannot coerce the result to a single JSON object', 'The result contains 0 rows'));
  });

  it('object media type with 2 rows → 406 PGRST116 "The result contains 2 rows"', async () => {
    const res = await get('films?select=id&director_id=eq.1', { Accept: OBJECT });
    expect(res.status).toBe(406);
    expect(res.json).toEqual(err('PGRST116', 'Cannot coerce the result to a single JSON object', 'The result contains 2 rows'));
  });

  it('nulls=stripped on the array media type omits null keys', async () => {
    const res = await get('films?select=id,rating,budget,director_id&id=in.(4,5)&order=id', {
      Accept: 'application/vnd.pgrst.array+json;nulls=stripped',
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual([{ id: 4, budget: 40000000.5, director_id: 2 }, { id: 5 }]);
    expect(res.headers.get('content-type')).toBe('application/vnd.pgrst.array+json;nulls=stripped; charset=utf-8');
  });

  it('nulls=stripped on the object media type', async () => {
    const res = await get('films?select=id,rating,director_id&id=eq.5', { Accept: `${OBJECT};nulls=stripped` });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ id: 5 });
  });

  it('text/csv', async () => {
    const res = await get('directors?order=id', { Accept: 'text/csv' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.text).toBe('id,first_name,last_name\n1,Christopher,Nolan\n2,Greta,Gerwig\n3,Agnes,Varda');
  });

  it('text/csv quotes values with commas and quotes; null is empty', async () => {
    const res = await get('actors?id=eq.6', { Accept: 'text/csv' });
    expect(res.status).toBe(200);
    expect(res.text).toBe('id,first_name,last_name,active\n6,"The ""Extra""","Cast, Jr.",');
  });

  it('Accept */* and application/json give JSON', async () => {
    for (const accept of ['*/*', 'application/json']) {
      const res = await get('directors?select=id&id=eq.1', { Accept: accept });
      expect(res.status).toBe(200);
      expect(res.json).toEqual([{ id: 1 }]);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    }
  });

  it('an unsupported Accept → 406 PGRST107', async () => {
    const res = await get('directors', { Accept: 'application/xml' });
    expect(res.status).toBe(406);
    expect(res.json).toEqual(err('PGRST107', 'None of these media types are available: application/xml'));
  });
});
