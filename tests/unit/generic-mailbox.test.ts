// The registration page refuses generic mailboxes with a copy of the database
// rule (src/lib/generic-mailbox.ts), because anon may not call
// public.is_generic_mailbox. This test reads the rule from the migrations — the
// newest definition wins, as it does in the database — so the two cannot drift.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONFUSABLE_LATIN,
  CONFUSABLE_LETTERS,
  GENERIC_MAILBOX_LOCAL_PARTS,
  INVISIBLE_CHARACTERS,
  isGenericMailbox,
  mailboxSkeleton,
  normaliseMailboxLocalPart,
} from '../../src/lib/generic-mailbox.ts';
import { GENERIC_MAILBOX_CASES, PERSONAL_MAILBOX_CASES } from '../shared/generic-mailbox-cases.ts';

const MIGRATIONS = path.resolve('supabase/migrations');

/** The body (between $$ … $$) of the newest `create [or replace] function <name>(` in the migrations. */
function latestFunctionBody(name: string): string {
  const files = readdirSync(MIGRATIONS).filter((f) => f.endsWith('.sql')).sort();
  const pattern = new RegExp(`create\\s+(?:or\\s+replace\\s+)?function\\s+${name.replace('.', '\\.')}\\s*\\([^$]*?\\$\\$([\\s\\S]*?)\\$\\$`, 'gi');
  let body: string | undefined;
  for (const file of files) {
    for (const match of readFileSync(path.join(MIGRATIONS, file), 'utf8').matchAll(pattern)) body = match[1];
  }
  if (body === undefined) throw new Error(`no migration defines ${name}`);
  return body;
}

describe('generic mailbox rule (browser copy of the database rule)', () => {
  it('refuses exactly the local parts listed in private.generic_mailbox_local_parts()', () => {
    const body = latestFunctionBody('private.generic_mailbox_local_parts');
    const array = /array\s*\[([\s\S]*?)\]/i.exec(body.replace(/--.*$/gm, ''));
    expect(array, 'the function should return an array literal').not.toBeNull();
    const sqlParts = [...array![1]!.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]!.replace(/''/g, "'"));
    expect(sqlParts.length).toBeGreaterThan(50);
    expect([...GENERIC_MAILBOX_LOCAL_PARTS].sort()).toEqual([...sqlParts].sort());
  });

  it('normalises the address the way public.is_generic_mailbox does', () => {
    // If the SQL normalisation changes, normaliseMailboxLocalPart must change with it.
    const body = latestFunctionBody('public.is_generic_mailbox').replace(/\s+/g, ' ').trim();
    expect(body).toBe(
      "select regexp_replace( regexp_replace(split_part(split_part(private.mailbox_skeleton(btrim(email)), '@', 1), '+', 1), '[._-]', '', 'g'), '[0-9]+$', '') = any (private.generic_mailbox_local_parts())",
    );
    expect(normaliseMailboxLocalPart('  Reception.Team2+claims@MillLane.example ')).toBe('receptionteam');
    expect(normaliseMailboxLocalPart('front_desk@x.example')).toBe('frontdesk');
    expect(normaliseMailboxLocalPart('no-reply@x.example')).toBe('noreply');
    expect(normaliseMailboxLocalPart('jo.bloggs1@x.example')).toBe('jobloggs');
  });

  it('builds the skeleton the way private.mailbox_skeleton does (same letters, same invisible characters)', () => {
    const body = latestFunctionBody('private.mailbox_skeleton').replace(/\s+/g, ' ').trim();
    const decode = (escaped: string) => escaped.replace(/\\u([0-9A-Fa-f]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    const shape =
      /^select regexp_replace\( lower\(translate\(normalize\(p_text, nfkc\), E'((?:\\u[0-9A-Fa-f]{4})+)', '([a-z]+)'\)\), E'([^']+)', '', 'g'\)$/;
    const match = shape.exec(body);
    expect(match, `unexpected body: ${body}`).not.toBeNull();
    const [, letters, latin, invisible] = match!;
    expect(decode(letters!)).toBe(CONFUSABLE_LETTERS);
    expect(latin).toBe(CONFUSABLE_LATIN);
    expect(CONFUSABLE_LETTERS.length).toBe(CONFUSABLE_LATIN.length);
    expect(new Set(CONFUSABLE_LETTERS).size).toBe(CONFUSABLE_LETTERS.length);
    // The SQL writes E'[\\u00AD…]': the regular expression Postgres sees is the text with one backslash.
    expect(invisible!.replace(/\\\\/g, '\\')).toBe(INVISIBLE_CHARACTERS);
    expect(mailboxSkeleton('r\u0435ception')).toBe('reception');
    expect(mailboxSkeleton('\uFF41dmin')).toBe('admin');
    expect(mailboxSkeleton('re\u200Bc\u0435pti\u03BFn')).toBe('reception');
  });

  // The same cases run through public.is_generic_mailbox in tests/db/tenancy/generic-mailbox-lookalikes.test.ts.
  it.each(GENERIC_MAILBOX_CASES.map((email) => [JSON.stringify(email), email]))('refuses the shared case %s', (_, email) => {
    expect(isGenericMailbox(email)).toBe(true);
  });

  it.each(PERSONAL_MAILBOX_CASES.map((email) => [JSON.stringify(email), email]))('accepts the shared case %s', (_, email) => {
    expect(isGenericMailbox(email)).toBe(false);
  });

  it.each([
    'reception@milllane.example',
    'RECEPTION@milllane.example',
    'reception2@milllane.example',
    'reception+claims@milllane.example',
    'reception.team@milllane.example',
    'admin@practice.example',
    'info@practice.example',
    'enquiries@practice.example',
    'practice.manager@practice.example',
    'no-reply@practice.example',
    'front_desk@practice.example',
  ])('refuses %s', (email) => {
    expect(isGenericMailbox(email)).toBe(true);
  });

  it.each([
    'new.manager@bridgestreet.example',
    'new.admin@southvale.example',
    'support.desk@cqrs-demo.example',
    'icb.admin@northshire.example',
    'practice.user@riverside.example',
    'finance@northshire.example',
    'tier1@northshire.example',
    'jo.bloggs@nhs.example',
    'admin.smith@nhs.example',
    'receptionist.jane@x.example',
  ])('accepts %s', (email) => {
    expect(isGenericMailbox(email)).toBe(false);
  });
});
