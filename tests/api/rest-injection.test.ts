// SQL injection attempts over HTTP. Every name that reaches SQL must be checked
// against the schema cache and quoted, every value bound. Each attempt must end in
// an error response or in a response that treats the input literally; afterwards the
// canary table still exists with its 3 rows, and no response ever leaks its secrets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signJwt } from '../../stack/jwt.ts';
import { closeDb, countRows, db, rest, stack, type RestResponse } from './helpers.ts';

const DROP = 'drop table conformance.canary';
const enc = encodeURIComponent;
const responses: RestResponse[] = [];

async function attempt(path: string, options: Parameters<typeof rest>[1] = {}): Promise<RestResponse> {
  const res = await rest(path, options);
  responses.push(res);
  expect(res.status, `${path}: ${res.text}`).toBeLessThan(500);
  if (res.status >= 400) {
    expect(typeof (res.json as { code?: unknown } | undefined)?.code, `${path}: error body`).toBe('string');
  }
  return res;
}

async function canaryIntact() {
  const exists = await db()`select to_regclass('conformance.canary') is not null as ok`;
  expect(exists[0]?.ok).toBe(true);
  expect(await countRows('canary')).toBe(3);
}

beforeAll(async () => {
  await canaryIntact();
});

afterAll(async () => {
  await canaryIntact();
  for (const res of responses) {
    expect(res.text).not.toContain('gamma');
  }
  await closeDb();
});

describe('injection in the query string', () => {
  it('select list', async () => {
    const a = await attempt(`films?select=${enc(`id,title);${DROP};--`)}`);
    expect(a.status).toBe(400);
    const b = await attempt(`films?select=${enc(`"id""; ${DROP}; --"`)}`);
    expect(b.status).toBe(400);
    const c = await attempt(`films?select=${enc(`id::int);${DROP};--`)}`);
    expect(c.status).toBe(400);
    const d = await attempt(`films?select=${enc(`id,directors(last_name);${DROP}--`)}`);
    expect(d.status).toBe(400);
    const e = await attempt(`films?select=${enc(`id,(select secret from conformance.canary limit 1)`)}`);
    expect(e.status).toBe(400);
    await canaryIntact();
  });

  it('alias and JSON path keys are quoted, not executed', async () => {
    const alias = await attempt(`films?select=${enc(`"x"" from conformance.canary; --":id`)}&id=eq.1`);
    if (alias.status === 200) expect(alias.json).toEqual([{ 'x" from conformance.canary; --': 1 }]);
    const path = await attempt(`films?select=id,metadata->>${enc(`a'); ${DROP}; --`)}&id=eq.1`);
    if (path.status === 200) expect((path.json as Array<{ id: number }>)[0]?.id).toBe(1);
    await canaryIntact();
  });

  it('filter keys', async () => {
    const a = await attempt(`films?${enc(`id;${DROP}--`)}=eq.1`);
    expect(a.status).toBe(400);
    const b = await attempt(`films?${enc(`"id" = 1 or 1=1; --`)}=eq.1`);
    expect(b.status).toBe(400);
    await canaryIntact();
  });

  it('filter values are bound literally', async () => {
    const eq = await attempt(`canary?secret=eq.${enc(`alpha' or '1'='1`)}`);
    expect(eq.status).toBe(200);
    expect(eq.json).toEqual([]);
    const drop = await attempt(`films?title=eq.${enc(`x';${DROP};--`)}`);
    expect(drop.status).toBe(200);
    expect(drop.json).toEqual([]);
    const like = await attempt(`films?title=like.${enc(`*'||(select secret from conformance.canary limit 1)||'*`)}`);
    expect(like.status).toBe(200);
    expect(like.json).toEqual([]);
    const inList = await attempt(`films?title=in.(${enc(`"x'); ${DROP}; --"`)},Memento)&select=id`);
    expect(inList.status).toBe(200);
    expect(inList.json).toEqual([{ id: 1 }]);
    const isVal = await attempt(`films?rating=is.${enc(`null; ${DROP}`)}`);
    expect(isVal.status).toBe(400);
    const orTree = await attempt(`films?or=(${enc(`title.eq.x'),id.eq.1);${DROP};--`)})`);
    expect([200, 400]).toContain(orTree.status);
    const arr = await attempt(`films?tags=cs.${enc(`{x'}'); ${DROP}; --}`)}`);
    expect([200, 400]).toContain(arr.status);
    if (arr.status === 200) expect(arr.json).toEqual([]);
    await canaryIntact();
  });

  it('full-text search config', async () => {
    const res = await attempt(`articles?body_tsv=fts(${enc(`english'); ${DROP}; --`)}).cat`);
    expect(res.status).toBe(400);
    await canaryIntact();
  });

  it('order, limit, offset', async () => {
    expect((await attempt(`films?order=${enc(`id;${DROP}`)}`)).status).toBe(400);
    expect((await attempt(`films?order=${enc('(select 1)')}`)).status).toBe(400);
    expect((await attempt(`films?order=${enc(`id.desc;${DROP}`)}`)).status).toBe(400);
    expect((await attempt(`films?limit=${enc(`1;${DROP}`)}`)).status).toBe(400);
    expect((await attempt(`films?offset=${enc(`1;${DROP}`)}`)).status).toBe(400);
    await canaryIntact();
  });

  it('embedded modifiers', async () => {
    expect((await attempt(`directors?select=id,films(id)&films.order=${enc(`id;${DROP}`)}`)).status).toBe(400);
    expect((await attempt(`directors?select=id,films(id)&${enc(`films.id;${DROP}`)}=eq.1`)).status).toBe(400);
    await canaryIntact();
  });
});

describe('injection in writes', () => {
  it('columns=', async () => {
    const res = await attempt(`inj_items?columns=${enc(`id,name);${DROP};--`)}`, { method: 'POST', body: [{ id: 900, name: 'x' }] });
    expect(res.status).toBe(400);
    expect(await countRows('inj_items')).toBeGreaterThanOrEqual(0);
    await canaryIntact();
  });

  it('on_conflict=', async () => {
    const res = await attempt(`inj_items?on_conflict=${enc(`id) do nothing; ${DROP}; --`)}`, {
      method: 'POST',
      body: [{ id: 901, name: 'x' }],
      headers: { Prefer: 'resolution=merge-duplicates' },
    });
    expect(res.status).toBe(400);
    await canaryIntact();
  });

  it('JSON body keys', async () => {
    const res = await attempt('inj_items', { method: 'POST', body: { id: 902, [`name") values (1,'x'); ${DROP}; --`]: 'x' } });
    expect(res.status).toBe(400);
    const patched = await attempt('inj_items?id=eq.902', { method: 'PATCH', body: { [`name = 'x'; ${DROP}; --`]: 'x' } });
    expect(patched.status).toBe(400);
    await canaryIntact();
  });

  it('JSON body values are stored literally', async () => {
    const value = `x'); ${DROP}; --`;
    const res = await attempt('inj_items?select=name', {
      method: 'POST',
      body: { id: 903, name: value },
      headers: { Prefer: 'return=representation' },
    });
    expect(res.status).toBe(201);
    expect(res.json).toEqual([{ name: value }]);
    await db()`delete from conformance.inj_items`;
    await canaryIntact();
  });
});

describe('injection in names and headers', () => {
  it('relation names in the path', async () => {
    expect((await attempt(`${enc(`canary;${DROP}`)}`)).status).toBe(404);
    expect((await attempt(`${enc('conformance.canary')}`)).status).toBe(404);
    expect((await attempt(`${enc('films" ; drop table conformance.canary; --')}`)).status).toBe(404);
    await canaryIntact();
  });

  it('rpc names and argument names', async () => {
    expect((await attempt(`rpc/${enc(`add_them;${DROP}`)}`, { method: 'POST', body: { a: 1, b: 2 } })).status).toBe(404);
    expect((await attempt('rpc/pg_sleep', { method: 'POST', body: { seconds: 1 } })).status).toBe(404);
    expect((await attempt(`rpc/${enc('pg_catalog.version')}`, { method: 'POST', body: {} })).status).toBe(404);
    expect((await attempt('rpc/greet', { method: 'POST', body: { [`name => 'x'); ${DROP}; --`]: 'x' } })).status).toBe(404);
    expect([400, 404]).toContain((await attempt(`rpc/greet?${enc(`name=>'x');${DROP};--`)}=x`)).status);
    await canaryIntact();
  });

  it('rpc argument values are bound literally', async () => {
    const value = `x'); ${DROP}; --`;
    const post = await attempt('rpc/greet', { method: 'POST', body: { name: value } });
    expect(post.status).toBe(200);
    expect(post.json).toBe(`Hello, ${value}!`);
    const viaGet = await attempt(`rpc/greet?name=${enc(value)}`);
    expect(viaGet.status).toBe(200);
    expect(viaGet.json).toBe(`Hello, ${value}!`);
    await canaryIntact();
  });

  it('profile headers', async () => {
    const get = await attempt('films', { profile: `conformance; ${DROP}` });
    expect(get.status).toBe(406);
    const post = await attempt('inj_items', { method: 'POST', profile: `conformance"; ${DROP}; --`, body: { id: 904, name: 'x' } });
    expect(post.status).toBe(406);
    await canaryIntact();
  });

  it('Prefer values', async () => {
    const tz = await attempt('events?select=id&id=eq.1', { headers: { Prefer: `timezone=UTC'; ${DROP}; --` } });
    expect([200, 400]).toContain(tz.status);
    if (tz.status === 200) expect(tz.json).toEqual([{ id: 1 }]);
    const count = await attempt('films?select=id&id=eq.1', { headers: { Prefer: `count=exact; ${DROP}` } });
    expect(count.status).toBe(200);
    await canaryIntact();
  });

  it('role claim in the JWT', async () => {
    const token = await signJwt(
      { role: `authenticated"; ${DROP}; --`, exp: Math.floor(Date.now() / 1000) + 3600 },
      stack.jwtSecret,
    );
    const res = await attempt('films?select=id&id=eq.1', { as: { token } });
    expect(res.status).toBe(401);
    const subToken = await signJwt(
      { sub: `x'); ${DROP}; --`, role: 'authenticated', exp: Math.floor(Date.now() / 1000) + 3600 },
      stack.jwtSecret,
    );
    const whoami = await attempt('rpc/greet?name=a', { as: { token: subToken } });
    expect(whoami.status).toBe(200);
    await canaryIntact();
  });
});
