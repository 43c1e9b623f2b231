// The forms refuse full names with the database's rule (src/lib/person-name.ts,
// a copy of private.person_name_problem). This test reads the rule from the
// migrations — the newest definition wins — and runs the shared cases, which
// tests/db/tenancy/person-names.test.ts runs through the SQL.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PERSON_NAME_RULES, personNameProblem } from '../../src/lib/person-name.ts';
import { BAD_NAME_CASES, GOOD_NAME_CASES } from '../shared/person-name-cases.ts';

function latestFunctionBody(name: string): string {
  const dir = path.resolve('supabase/migrations');
  const pattern = new RegExp(`create\\s+(?:or\\s+replace\\s+)?function\\s+${name.replace('.', '\\.')}\\s*\\([^$]*?\\$\\$([\\s\\S]*?)\\$\\$`, 'gi');
  let body: string | undefined;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) {
    for (const match of readFileSync(path.join(dir, file), 'utf8').matchAll(pattern)) body = match[1];
  }
  if (body === undefined) throw new Error(`no migration defines ${name}`);
  return body;
}

describe('full-name rule (browser copy of the database rule)', () => {
  it('has the patterns and messages of private.person_name_problem, in its order', () => {
    const body = latestFunctionBody('private.person_name_problem');
    const sql = [...body.matchAll(/p_name ~ E'([^']+)'\s+then '([^']+)'/g)].map((m) => ({
      // E'…\\u…' in SQL is the pattern with one backslash.
      pattern: m[1]!.replace(/\\\\/g, '\\'),
      message: m[2]!,
    }));
    expect(sql).toEqual(PERSON_NAME_RULES.map(({ pattern, message }) => ({ pattern, message })));
    expect(body).toContain("then 'A full name has at most 200 characters.'");
  });

  it.each(BAD_NAME_CASES.map((c) => [c.label, c]))('refuses %s with the database’s message', (_, c) => {
    expect(personNameProblem(c.name)?.message).toBe(c.message);
  });

  it.each(GOOD_NAME_CASES.map((n) => [JSON.stringify(n), n]))('accepts %s', (_, name) => {
    expect(personNameProblem(name)).toBeNull();
  });

  it('refuses more than 200 characters', () => {
    expect(personNameProblem('a'.repeat(201))?.rule).toBe('length');
    expect(personNameProblem(` ${'a'.repeat(200)} `)).toBeNull();
  });
});
