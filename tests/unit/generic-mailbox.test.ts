// The registration page refuses generic mailboxes with a copy of the database
// rule (src/lib/generic-mailbox.ts), because anon may not call
// public.is_generic_mailbox. This test reads the rule from the migrations — the
// newest definition wins, as it does in the database — so the two cannot drift.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERIC_MAILBOX_LOCAL_PARTS, isGenericMailbox, normaliseMailboxLocalPart } from '../../src/lib/generic-mailbox.ts';

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
      "select regexp_replace( regexp_replace(split_part(split_part(lower(btrim(email)), '@', 1), '+', 1), '[._-]', '', 'g'), '[0-9]+$', '') = any (private.generic_mailbox_local_parts())",
    );
    expect(normaliseMailboxLocalPart('  Reception.Team2+claims@MillLane.example ')).toBe('receptionteam');
    expect(normaliseMailboxLocalPart('front_desk@x.example')).toBe('frontdesk');
    expect(normaliseMailboxLocalPart('no-reply@x.example')).toBe('noreply');
    expect(normaliseMailboxLocalPart('jo.bloggs1@x.example')).toBe('jobloggs');
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
