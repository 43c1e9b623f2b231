// Shared fixtures of the tenancy tests (tests/db/tenancy): the demo data's
// fixed ids (supabase/seed.sql), personas, and helpers that run SQL as a
// persona the way an API request does (`set local role authenticated` +
// `request.jwt.claims`) inside a transaction that is always rolled back.
//
// Every test works in its own REPEATABLE READ transaction on the superuser
// connection and rolls it back, so files can run in parallel against the one
// shared test database and see a stable snapshot.
import type postgres from 'postgres';
import { connect, rolledBack } from '../helpers.ts';

export type Tx = postgres.TransactionSql;

const orgId = (n: number) => `0a000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const personId = (n: number) => `0b000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const membershipId = (n: number) => `0c000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export const ORG = {
  ZE1: orgId(1),
  ZR1: orgId(2),
  ZN1: orgId(10),
  ZN1E: orgId(11),
  ZN1W: orgId(12),
  ZS1: orgId(20),
  ZS1C: orgId(21),
  ZU101: orgId(101),
  ZU102: orgId(102),
  ZU103: orgId(103),
  ZU201: orgId(201),
  ZP1001: orgId(1001),
  ZP1002: orgId(1002),
  ZP1003: orgId(1003),
  ZP1004: orgId(1004),
  ZP1005: orgId(1005),
  ZP1006: orgId(1006), // Orchard Surgery (issue 14's demo: a gap in its PCN history)
  ZP2001: orgId(2001),
  ZP2002: orgId(2002),
} as const;
export type OdsCode = keyof typeof ORG;

export const PERSON = {
  sam: personId(1), // Sam Support — platform Support Desk
  alex: personId(2), // Alex Admin — ZN1 Organisation + User Administrator
  chris: personId(3), // Chris Commissioner — ZN1 Commissioning Management
  taylor: personId(4), // Taylor Tier-One — ZN1 Approver Tier 1
  jordan: personId(5), // Jordan Tier-Two — ZN1 Approver Tier 2, Approval Management
  morgan: personId(6), // Morgan Finance — ZN1 Finance, Finance Management
  casey: personId(7), // Casey Cluster — ZN1 Approver Tier 1, cluster CL-ZN1-001
  robin: personId(8), // Robin Southvale — ZS1 admin, commissioning, Tier 1
  pat: personId(9), // Pat Practice — ZP1001 Claim Submitter, Achievement Entry, Service Management
  ash: personId(10), // Ash Approver — ZP1001 Provider Approver, Declaration Management
  harper: personId(11), // Harper Harbour — ZP2001 Claim Submitter, Service Management
  lee: personId(12), // Lee Lead — ZU101 Declaration Management
  nina: personId(21), // pending: ZP1002 Claim Submitter
  reception: personId(22), // pending, generic mailbox: ZP1003 Claim Submitter
  dana: personId(23), // pending: ZS1 User Administrator (Support Desk only)
} as const;
export type PersonName = keyof typeof PERSON;

export const EMAIL: Record<PersonName, string> = {
  sam: 'support.desk@cqrs-demo.example',
  alex: 'icb.admin@northshire.example',
  chris: 'commissioner@northshire.example',
  taylor: 'tier1@northshire.example',
  jordan: 'tier2@northshire.example',
  morgan: 'finance@northshire.example',
  casey: 'cluster.reviewer@northshire.example',
  robin: 'icb.admin@southvale.example',
  pat: 'practice.user@riverside.example',
  ash: 'practice.approver@riverside.example',
  harper: 'practice.user@harbour.example',
  lee: 'pcn.lead@riverside-pcn.example',
  nina: 'new.manager@bridgestreet.example',
  reception: 'reception@milllane.example',
  dana: 'new.admin@southvale.example',
};

/** Memberships of the active demo accounts (same number as the person). */
export const MEMBERSHIP = {
  alex: membershipId(2),
  chris: membershipId(3),
  taylor: membershipId(4),
  jordan: membershipId(5),
  morgan: membershipId(6),
  casey: membershipId(7),
  robin: membershipId(8),
  pat: membershipId(9),
  ash: membershipId(10),
  harper: membershipId(11),
  lee: membershipId(12),
} as const;

export const CLUSTER = '0d000000-0000-4000-8000-000000000001';

/** Who runs a statement: a demo person (authenticated), or anon. */
export type Who = PersonName | 'anon';

export const sql = connect(undefined, { max: 4 });

/** Run `fn` in a REPEATABLE READ transaction (superuser) that is always rolled back. */
export function inTx<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return rolledBack(sql, async (tx) => {
    await tx`set transaction isolation level repeatable read`;
    return fn(tx);
  });
}

async function become(tx: Tx, who: Who | { sub: string | null }): Promise<void> {
  if (who === 'anon') {
    await tx`select set_config('role', 'anon', true), set_config('request.jwt.claims', ${JSON.stringify({ role: 'anon' })}, true)`;
    return;
  }
  const sub = typeof who === 'string' ? PERSON[who] : who.sub;
  const claims = sub === null ? { role: 'authenticated' } : { sub, role: 'authenticated', aud: 'authenticated' };
  await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
}

export interface PgError {
  code: string;
  message: string;
  hint?: string;
  constraint_name?: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: PgError };

/**
 * Run `fn` as `who` inside a savepoint of `tx`. On success the role is switched
 * back to the superuser; on failure the savepoint (and the role switch) is
 * rolled back and the error returned.
 */
export async function as<T>(tx: Tx, who: Who | { sub: string | null }, fn: (sp: Tx) => Promise<T>): Promise<Outcome<T>> {
  try {
    const value = await tx.savepoint(async (sp) => {
      await become(sp as Tx, who);
      const result = await fn(sp as Tx);
      await sp`select set_config('role', 'none', true), set_config('request.jwt.claims', '', true)`;
      return result;
    });
    return { ok: true, value: value as T };
  } catch (caught) {
    const error = caught as PgError;
    if (typeof error?.code !== 'string') throw caught;
    return { ok: false, error };
  }
}

/** Like `as`, but the call must succeed; returns its value. */
export async function asOk<T>(tx: Tx, who: Who | { sub: string | null }, fn: (sp: Tx) => Promise<T>): Promise<T> {
  const outcome = await as(tx, who, fn);
  if (!outcome.ok) throw new Error(`expected success as ${JSON.stringify(who)}, got ${outcome.error.code}: ${outcome.error.message}`);
  return outcome.value;
}

/** Like `as`, but the call must fail; returns the error. */
export async function asError(tx: Tx, who: Who | { sub: string | null }, fn: (sp: Tx) => Promise<unknown>): Promise<PgError> {
  const outcome = await as(tx, who, fn);
  if (outcome.ok) throw new Error(`expected an error as ${JSON.stringify(who)}, but the call succeeded`);
  return outcome.error;
}

/** Run a statement as the superuser and return its rows' single column, sorted. */
export async function column(tx: Tx, query: string, params: unknown[] = []): Promise<string[]> {
  const rows = await tx.unsafe(query, params as never[]);
  return rows.map((row) => String(Object.values(row)[0])).sort();
}

/**
 * A digest of everything the tenancy actions may change: people, memberships,
 * clusters, settings, the audit trail, the outbox and auth.users bans.
 */
export async function stateDigest(tx: Tx): Promise<string> {
  const [row] = await tx<{ digest: string }[]>`
    select md5(concat_ws('|',
      (select string_agg(to_jsonb(p)::text, ',' order by p.id) from public.profiles p),
      (select string_agg(to_jsonb(m)::text, ',' order by m.id) from public.memberships m),
      (select string_agg(to_jsonb(c)::text, ',' order by c.id) from public.clusters c),
      (select string_agg(to_jsonb(co)::text, ',' order by co.cluster_id, co.organisation_id) from public.cluster_organisations co),
      (select string_agg(to_jsonb(ca)::text, ',' order by ca.membership_id, ca.cluster_id) from public.cluster_assignments ca),
      (select string_agg(to_jsonb(s)::text, ',' order by s.organisation_id) from public.commissioner_settings s),
      (select string_agg(to_jsonb(s)::text, ',' order by s.organisation_id) from public.practice_settings s),
      (select string_agg(to_jsonb(n)::text, ',' order by n.id) from public.notifications n),
      (select count(*)::text || ':' || coalesce(max(a.id), 0)::text from public.audit_log a),
      (select string_agg(u.id::text || coalesce(u.banned_until::text, '-'), ',' order by u.id) from auth.users u)
    )) as digest`;
  return row!.digest;
}

/** Call an action as `who` and expect it to be refused with `code`, leaving the database as it was. */
export async function expectRefused(
  tx: Tx,
  who: Who | { sub: string | null },
  call: (sp: Tx) => Promise<unknown>,
): Promise<PgError & { unchanged: boolean }> {
  const before = await stateDigest(tx);
  const error = await asError(tx, who, call);
  const after = await stateDigest(tx);
  // (Error's message is not enumerable: copy the fields explicitly.)
  return {
    code: error.code,
    message: error.message,
    ...(error.hint === undefined ? {} : { hint: error.hint }),
    ...(error.constraint_name === undefined ? {} : { constraint_name: error.constraint_name }),
    unchanged: before === after,
  };
}
