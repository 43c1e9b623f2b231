// Shared fixtures of the claims tests (tests/db/claims): the seed's ids for
// claimable services, a digest of everything the claim actions may change
// (for "a refused call changes nothing"), and small helpers that set up a
// claim through the actions as a persona.
//
// Every test runs in claimTx: the tenancy fixtures' rolled-back REPEATABLE
// READ transaction, which first removes (inside the transaction only) the
// claims other test files may have committed meanwhile — the Storage tests
// and the concurrency test commit claims for a moment — so each test starts
// from the seed's "no claims yet".
import { expect } from 'vitest';
import { asError, asOk, inTx, ORG, PERSON, stateDigest, type PersonName, type PgError, type Tx, type Who } from '../tenancy/fixtures.ts';

export { as, asError, asOk, inTx, ORG, PERSON, stateDigest, type PersonName, type Tx, type Who } from '../tenancy/fixtures.ts';

const id = (prefix: string, n: number) => `${prefix}000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export const SERVICE = {
  complexCare: id('1a', 1), // ZN1; accepted by ZP1001, ZP1002 (tariff £200.00)
  depot: id('1a', 2), // ZN1; accepted by ZP1001–ZP1004; two questions
  minorSurgery: id('1a', 4), // ZS1; only offered to ZP2001
  phlebotomy: id('1a', 5), // ZS1; accepted by ZP2001
  anticoagulation: id('1a', 6), // ZS1; accepted by ZP2001; evidence pdf/xlsx/ods
  ldHealthChecks: id('1a', 7), // ZN1; not offered
} as const;

export const COMPONENT = {
  carePlan: id('1b', 1), // unit £193.42 (ZP1002's tariff £200.00)
  retainer: id('1b', 2), // retainer £1,500.00
  earIrrigation: id('1b', 3), // unit £28.50, evidence required
  depotInjection: id('1b', 4), // unit £12.50
  minorSurgery: id('1b', 5),
  bloodSample: id('1b', 6), // unit £3.80
  inrVisit: id('1b', 7), // unit £45.00, evidence pdf/xlsx/ods
} as const;

export const QUESTION = {
  depotQualified: id('1c', 1), // yes_no_must_be_yes, required
  depotClinician: id('1c', 2), // free_text, optional
} as const;

/** Claim windows: service n, quarter q → id 1d…(n*10+q). */
export const windowId = (service: number, quarter: number) => id('1d', service * 10 + quarter);

export const OFFER = {
  complexCareZP1001: id('2b', 1),
  complexCareZP1002: id('2b', 2),
  depotZP1001: id('2b', 7),
  depotZP1004: id('2b', 10),
  phlebotomyZP2001: id('2b', 11),
  anticoagulationZP2001: id('2b', 12),
} as const;

export type Claim = {
  id: string;
  claim_number: string;
  provider_id: string;
  status: string;
  total: string;
  returned_reason: string | null;
  submitted_by: string | null;
};

export type Problem = { rule: string; message: string; line_id?: string; service_id?: string; question_id?: string; evidence_id?: string };
export type SubmitResult = { ok: boolean; dry_run: boolean; problems: Problem[]; claim_id: string; status: string; total: number };

/** Run a statement with the guard's `app.action` set, as the seed does (superuser only). */
export async function direct<T>(tx: Tx, fn: () => Promise<T>): Promise<T> {
  await tx`select set_config('app.action', 'test', true)`;
  try {
    return await fn();
  } finally {
    await tx`select set_config('app.action', '', true)`;
  }
}

/** Every claim and payment run, gone (inside the caller's transaction). Payment runs hold claims: their claim rows go first, the runs after the claims. */
export async function removeAllClaims(tx: Tx): Promise<void> {
  await direct(tx, async () => {
    await tx`delete from public.payment_run_claims`;
    await tx`delete from public.claims`;
    await tx`delete from public.payment_runs`;
  });
}

/** A rolled-back transaction starting with no claims (committed ones removed inside it). */
export async function claimTx<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await inTx(async (tx) => {
        await removeAllClaims(tx);
        return fn(tx);
      });
    } catch (caught) {
      // Another file committed a change to a claim this snapshot was removing: start again.
      if ((caught as PgError)?.code === '40001' && attempt < 4) continue;
      throw caught;
    }
  }
}

/** Everything the claim actions may change, plus the tenancy digest (notifications, audit trail). */
export async function claimsDigest(tx: Tx): Promise<string> {
  const [row] = await tx<{ digest: string }[]>`
    select md5(concat_ws('|',
      (select string_agg(to_jsonb(c)::text, ',' order by c.id) from public.claims c),
      (select string_agg(to_jsonb(s)::text, ',' order by s.claim_id, s.service_id) from public.claim_services s),
      (select string_agg(to_jsonb(l)::text, ',' order by l.id) from public.claim_lines l),
      (select string_agg(to_jsonb(a)::text, ',' order by a.claim_id, a.question_id) from public.claim_answers a),
      (select string_agg(to_jsonb(e)::text, ',' order by e.id) from public.claim_evidence e),
      (select string_agg(to_jsonb(j)::text, ',' order by j.claim_id) from private.evidence_scan_jobs j),
      (select string_agg(to_jsonb(q)::text, ',' order by q.object_path) from private.evidence_purge_queue q),
      (select string_agg(to_jsonb(o)::text, ',' order by o.name) from storage.objects o where o.bucket_id = 'evidence'),
      (select string_agg(to_jsonb(r)::text, ',' order by r.id) from public.payment_runs r),
      (select string_agg(to_jsonb(x)::text, ',' order by x.run_id, x.claim_id) from public.payment_run_claims x),
      (select string_agg(to_jsonb(t)::text, ',' order by t.run_id, t.try_number) from public.payment_run_tries t)
    )) as digest`;
  return `${row!.digest}:${await stateDigest(tx)}`;
}

/** Call an action as `who`, expect it refused with `code` (and a message matching `message`), and nothing changed. */
export async function expectClaimRefused(
  tx: Tx,
  who: Who | { sub: string | null },
  code: string,
  call: (sp: Tx) => Promise<unknown>,
  message?: RegExp,
): Promise<PgError> {
  const before = await claimsDigest(tx);
  const error = await asError(tx, who, call);
  expect({ code: error.code, message: error.message }).toMatchObject({ code, ...(message ? { message: expect.stringMatching(message) } : {}) });
  expect(await claimsDigest(tx), `${error.code} ${error.message} left the database changed`).toBe(before);
  return error;
}

const ok = asOk;

export async function startClaim(tx: Tx, who: PersonName, provider: string): Promise<Claim> {
  const [claim] = await ok(tx, who, (sp) => sp<Claim[]>`select * from public.start_claim(${provider})`);
  return claim!;
}

export async function addLines(tx: Tx, who: PersonName, claimId: string, components: string[]): Promise<Claim> {
  const [claim] = await ok(tx, who, (sp) => sp<Claim[]>`select * from public.add_claim_lines(${claimId}, ${components}::uuid[])`);
  return claim!;
}

/** The id of the claim's line for a component (superuser read). */
export async function lineId(tx: Tx, claimId: string, component: string): Promise<string> {
  const [row] = await tx<{ id: string }[]>`select id from public.claim_lines where claim_id = ${claimId} and component_id = ${component}`;
  if (!row) throw new Error(`no line for component ${component} on claim ${claimId}`);
  return row.id;
}

export async function setUnits(tx: Tx, who: PersonName, line: string, units: number | null): Promise<void> {
  await ok(tx, who, (sp) => sp`select public.set_claim_line_units(${line}, ${units}::integer)`);
}

export async function submit(tx: Tx, who: PersonName, claimId: string, dryRun = false): Promise<SubmitResult> {
  const [row] = await ok(tx, who, (sp) => sp<{ result: SubmitResult }[]>`select public.submit_claim(${claimId}, ${dryRun}) as result`);
  return row!.result;
}

export async function claimRow(tx: Tx, claimId: string): Promise<Claim | undefined> {
  const [row] = await tx<Claim[]>`select * from public.claims where id = ${claimId}`;
  return row;
}

/** Give `person` these roles at `org` (a new active membership, or the roles added to theirs). */
export async function grantRoles(tx: Tx, person: PersonName, org: string, roles: string[]): Promise<void> {
  await direct(
    tx,
    () => tx`
      insert into public.memberships (profile_id, organisation_id, roles, status)
      values (${PERSON[person]}, ${org}, ${roles}::public.app_role[], 'active')
      on conflict (profile_id, organisation_id) do update
      set roles = array(select distinct r from unnest(public.memberships.roles || excluded.roles) r), status = 'active'`,
  );
}

export async function setApprovalMode(tx: Tx, practice: string, mode: 'one_step' | 'two_step'): Promise<void> {
  await direct(tx, () => tx`update public.practice_settings set approval_mode = ${mode} where organisation_id = ${practice}`);
}

/** A file "uploaded" to the evidence bucket: the storage.objects row record_claim_evidence looks for. */
export async function storedObject(tx: Tx, name: string, size = 2048, mimetype = 'application/pdf'): Promise<void> {
  await tx`
    insert into storage.objects (bucket_id, name, metadata)
    values ('evidence', ${name}, ${tx.json({ size, mimetype })})`;
}

/** Upload (as the superuser) and record (as `who`) a file on a line; returns the evidence id. */
export async function attachFile(tx: Tx, who: PersonName, claim: Claim, line: string, file = 'log.pdf'): Promise<string> {
  const path = `${claim.provider_id}/${claim.id}/${line}/${file}`;
  await storedObject(tx, path);
  const [row] = await ok(tx, who, (sp) => sp<{ id: string }[]>`select id from public.record_claim_evidence(${line}, ${path}, ${file})`);
  return row!.id;
}

/** Open tasks/notifications of a kind for a person, about a claim. */
export async function notificationsFor(tx: Tx, kind: string, claimId: string): Promise<{ recipient_id: string; done_at: string | null }[]> {
  return tx<{ recipient_id: string; done_at: string | null }[]>`
    select recipient_id, done_at from public.notifications
    where kind = ${kind}::public.notification_kind and link = ${`/claims/${claimId}`}
    order by recipient_id`;
}

/**
 * Pat's ZP1001 claim for Depot (Q3) with 10 units and the must-be-yes
 * question answered Yes: valid, ready to submit.
 */
export async function validDepotClaim(tx: Tx, who: PersonName = 'pat', provider: string = ORG.ZP1001): Promise<Claim> {
  const claim = await startClaim(tx, who, provider);
  await addLines(tx, who, claim.id, [COMPONENT.depotInjection]);
  await setUnits(tx, who, await lineId(tx, claim.id, COMPONENT.depotInjection), 10);
  await ok(tx, who, (sp) => sp`select public.set_claim_answer(${claim.id}, ${QUESTION.depotQualified}, true, null)`);
  return (await claimRow(tx, claim.id))!;
}

/**
 * Pat's valid Depot claim of `units` × £12.50 at a one-step practice,
 * submitted: pending_tier1_review. One per practice (a claim window is
 * claimed once), so tests needing several use ZP1001–ZP1004 (Depot's).
 */
export async function claimInTier1(tx: Tx, units = 10, provider: string = ORG.ZP1001): Promise<Claim> {
  if (provider !== ORG.ZP1001) await grantRoles(tx, 'pat', provider, ['claim_submitter']);
  await setApprovalMode(tx, provider, 'one_step');
  const claim = await validDepotClaim(tx, 'pat', provider);
  await setUnits(tx, 'pat', await lineId(tx, claim.id, COMPONENT.depotInjection), units);
  const result = await submit(tx, 'pat', claim.id);
  expect(result.status, JSON.stringify(result.problems)).toBe('pending_tier1_review');
  return (await claimRow(tx, claim.id))!;
}

/** The Depot practices (ZP1001–ZP1004): one claim each per window. */
export const DEPOT_PRACTICES = [ORG.ZP1001, ORG.ZP1002, ORG.ZP1003, ORG.ZP1004];
