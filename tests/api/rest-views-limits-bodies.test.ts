// Contract rows beyond the main suite: relationships inherited through views
// (§2.3), the max_rows cap (§2.2), the OpenAPI root and unknown verbs (§2.1),
// raw text/bytea bodies and variadic arguments for RPC (§2.11).
import { describe, expect, it } from 'vitest';
import { rest } from './helpers.ts';

describe('§2.3 relationships through views', () => {
  it('a view embeds the table its foreign key column points to', async () => {
    const res = await rest('film_cards?select=title,shouted_title,directors(last_name)&film_key=in.(1,3)&order=film_key');
    expect(res.status).toBe(200);
    expect(res.json).toEqual([
      { title: 'Memento', shouted_title: 'MEMENTO', directors: { last_name: 'Nolan' } },
      { title: 'Lady Bird', shouted_title: 'LADY BIRD', directors: { last_name: 'Gerwig' } },
    ]);
  });

  it('a table embeds a view over its referencing table (one-to-many), through a renamed key', async () => {
    const res = await rest('directors?select=last_name,film_cards(film_key,title)&id=eq.1&film_cards.order=film_key');
    expect(res.status).toBe(200);
    expect(res.json).toEqual([
      {
        last_name: 'Nolan',
        film_cards: [
          { film_key: 1, title: 'Memento' },
          { film_key: 2, title: 'Inception' },
        ],
      },
    ]);
  });
});

describe('§2.2 max_rows', () => {
  it('caps a read at 1000 rows and says so in Content-Range', async () => {
    const res = await rest('many_rows?select=id&order=id', { headers: { Prefer: 'count=exact' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe('0-999/1205');
    const rows = res.json as Array<{ id: number }>;
    expect(rows).toHaveLength(1000);
    expect(rows[999]).toEqual({ id: 1000 });
  });

  it('a smaller limit still applies', async () => {
    const res = await rest('many_rows?select=id&order=id.desc&limit=2');
    expect(res.json).toEqual([{ id: 1205 }, { id: 1204 }]);
    expect(res.headers.get('content-range')).toBe('0-1/*');
  });
});

describe('§2.1 root and verbs', () => {
  it('GET / describes the exposed schema (OpenAPI)', async () => {
    const res = await rest('', { profile: 'conformance' });
    expect(res.status).toBe(200);
    const doc = res.json as { swagger: string; paths: Record<string, unknown> };
    expect(doc.swagger).toBe('2.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/films', '/film_cards', '/rpc/total']));
  });

  it('an unsupported method is 405 PGRST117', async () => {
    const res = await rest('films', { method: 'PROPFIND' });
    expect(res.status).toBe(405);
    expect(res.json).toEqual({ code: 'PGRST117', message: 'Unsupported HTTP method: PROPFIND', details: null, hint: null });
  });
});

describe('§2.11 raw bodies and variadic arguments', () => {
  it('one unnamed text parameter receives a text/plain body', async () => {
    const res = await rest('rpc/shout', { method: 'POST', body: 'quiet please', headers: { 'Content-Type': 'text/plain' } });
    expect(res.status).toBe(200);
    expect(res.json).toBe('QUIET PLEASE');
  });

  it('one unnamed bytea parameter receives an application/octet-stream body', async () => {
    const res = await rest('rpc/byte_count', {
      method: 'POST',
      body: new Uint8Array([0, 1, 2, 255, 254]),
      headers: { 'Content-Type': 'application/octet-stream' },
    });
    expect(res.status).toBe(200);
    expect(res.json).toBe(5);
  });

  it('variadic: repeated keys on GET, an array on POST', async () => {
    const viaGet = await rest('rpc/total?nums=1&nums=2&nums=39');
    expect(viaGet.status).toBe(200);
    expect(viaGet.json).toBe(42);
    const viaPost = await rest('rpc/total', { method: 'POST', body: { nums: [10, 20, 12] } });
    expect(viaPost.status).toBe(200);
    expect(viaPost.json).toBe(42);
  });
});
