// Who reads claims (RLS on the five tables and two views, and the timeline)
// and that nobody writes them except through the actions: no grants for
// authenticated, and the guard trigger even for the owner without app.action.
import { describe, expect, it } from 'vitest';
import {
  addLines,
  as,
  asOk,
  attachFile,
  claimTx,
  COMPONENT,
  direct,
  grantRoles,
  lineId,
  ORG,
  PERSON,
  setUnits,
  startClaim,
  validDepotClaim,
  type Tx,
  type Who,
} from './fixtures.ts';

const TABLES = ['claims', 'claim_services', 'claim_lines', 'claim_answers', 'claim_evidence', 'claim_overview', 'claim_service_totals'] as const;
type Ods = 'ZP1001' | 'ZP1002' | 'ZP1004' | 'ZP2001';

/**
 * One claim each for ZP1001 (Complex Care with a file on ear irrigation, and
 * Depot with its answers), ZP1002, ZP1004 (made by Pat with a Claim Submitter
 * role there that is then taken away again) and ZP2001 (Harper, with a file).
 */
async function claimsOfFourPractices(tx: Tx): Promise<Record<Ods, string>> {
  const zp1001 = await validDepotClaim(tx);
  await addLines(tx, 'pat', zp1001.id, [COMPONENT.carePlan, COMPONENT.earIrrigation]);
  const ear = await lineId(tx, zp1001.id, COMPONENT.earIrrigation);
  await setUnits(tx, 'pat', ear, 1);
  await attachFile(tx, 'pat', zp1001, ear);

  const borrowed = async (org: string, component: string) => {
    await grantRoles(tx, 'pat', org, ['claim_submitter']);
    const claim = await startClaim(tx, 'pat', org);
    await addLines(tx, 'pat', claim.id, [component]);
    await direct(tx, () => tx`delete from public.memberships where profile_id = ${PERSON.pat} and organisation_id = ${org}`);
    return claim.id;
  };
  const zp1002 = await borrowed(ORG.ZP1002, COMPONENT.carePlan);
  const zp1004 = await borrowed(ORG.ZP1004, COMPONENT.depotInjection);

  const zp2001 = await startClaim(tx, 'harper', ORG.ZP2001);
  await addLines(tx, 'harper', zp2001.id, [COMPONENT.inrVisit]);
  await attachFile(tx, 'harper', zp2001, await lineId(tx, zp2001.id, COMPONENT.inrVisit));
  return { ZP1001: zp1001.id, ZP1002: zp1002, ZP1004: zp1004, ZP2001: zp2001.id };
}

async function setAllStatuses(tx: Tx, status: string): Promise<void> {
  await direct(tx, () => tx`update public.claims set status = ${status}::public.claim_status`);
}

/** For each table, the practices (ODS codes) whose claims `who` sees rows of. */
async function visible(tx: Tx, who: Who, claims: Record<Ods, string>): Promise<Record<string, Ods[]>> {
  const byId = new Map(Object.entries(claims).map(([ods, id]) => [id, ods as Ods]));
  const seen: Record<string, Ods[]> = {};
  for (const table of TABLES) {
    const column = table === 'claims' || table === 'claim_overview' ? 'id' : 'claim_id';
    const rows = await asOk(tx, who, (sp) => sp.unsafe(`select distinct ${column} as id from public.${table}`));
    seen[table] = [...new Set(rows.map((r) => byId.get(r.id as string)!))].sort();
  }
  return seen;
}

/** What each table holds for these practices (as the superuser): which claims have answers, files… */
async function expected(tx: Tx, practices: Ods[], claims: Record<Ods, string>): Promise<Record<string, Ods[]>> {
  const result: Record<string, Ods[]> = {};
  for (const table of TABLES) {
    const column = table === 'claims' || table === 'claim_overview' ? 'id' : 'claim_id';
    const ids = new Set((await tx.unsafe(`select distinct ${column} as id from public.${table}`)).map((r) => r.id as string));
    result[table] = practices.filter((ods) => ids.has(claims[ods])).sort();
  }
  return result;
}

describe('RLS: who reads claims', () => {
  it('once submitted: the practice, and the commissioner’s reviewers who reach it (clusters respected)', () =>
    claimTx(async (tx) => {
      const claims = await claimsOfFourPractices(tx);
      const readers: Record<string, Ods[]> = {
        pat: ['ZP1001'],
        ash: ['ZP1001'],
        harper: ['ZP2001'],
        taylor: ['ZP1001', 'ZP1002', 'ZP1004'],
        jordan: ['ZP1001', 'ZP1002', 'ZP1004'],
        morgan: ['ZP1001', 'ZP1002', 'ZP1004'],
        casey: ['ZP1001', 'ZP1002'],
        robin: ['ZP2001'],
        chris: [],
        alex: [],
        lee: [],
        sam: [],
      };
      for (const status of ['pending_system_review', 'pending_tier1_review', 'declined', 'paid']) {
        await setAllStatuses(tx, status);
        for (const [who, practices] of Object.entries(readers)) {
          expect(await visible(tx, who as Who, claims), `${who} at ${status}`).toEqual(await expected(tx, practices, claims));
        }
      }
      // The fixture has rows in every table, so the matrix above is not vacuous.
      expect(await expected(tx, ['ZP1001'], claims)).toEqual(Object.fromEntries(TABLES.map((t) => [t, ['ZP1001']])));
    }));

  it('draft and pending provider approval: only the practice itself', () =>
    claimTx(async (tx) => {
      const claims = await claimsOfFourPractices(tx);
      for (const status of ['draft', 'pending_provider_approval']) {
        await setAllStatuses(tx, status);
        for (const [who, practices] of Object.entries({ pat: ['ZP1001'], ash: ['ZP1001'], harper: ['ZP2001'] } as Record<string, Ods[]>)) {
          expect(await visible(tx, who as Who, claims), `${who} at ${status}`).toEqual(await expected(tx, practices, claims));
        }
        for (const who of ['taylor', 'jordan', 'morgan', 'casey', 'robin', 'chris'] as const) {
          expect(await visible(tx, who, claims), `${who} at ${status}`).toEqual(await expected(tx, [], claims));
        }
      }
    }));

  it('anon reads nothing: every table and view is refused', () =>
    claimTx(async (tx) => {
      await claimsOfFourPractices(tx);
      for (const table of TABLES) {
        const outcome = await as(tx, 'anon', (sp) => sp.unsafe(`select 1 from public.${table}`));
        expect(outcome.ok ? 'read' : outcome.error.code, table).toBe('42501');
      }
    }));

  it('claim_timeline: the statuses for those who read the claim, nothing for others', () =>
    claimTx(async (tx) => {
      await direct(tx, () => tx`update public.practice_settings set approval_mode = 'one_step' where organisation_id = ${ORG.ZP1001}`);
      const claim = await validDepotClaim(tx);
      await asOk(tx, 'pat', (sp) => sp`select public.submit_claim(${claim.id})`);
      const timeline = async (who: Who) => {
        const outcome = await as(tx, who, (sp) => sp`select to_status, actor from public.claim_timeline(${claim.id})`);
        return outcome.ok ? outcome.value : outcome.error.code;
      };
      const statuses = [
        { to_status: 'draft', actor: expect.stringContaining('Pat Practice') },
        { to_status: 'pending_tier1_review', actor: expect.stringContaining('Pat Practice') },
      ];
      for (const who of ['pat', 'ash', 'taylor', 'casey'] as const) expect(await timeline(who), who).toEqual(statuses);
      for (const who of ['harper', 'robin', 'chris'] as const) expect(await timeline(who), who).toEqual([]);
      expect(await timeline('anon')).toBe('42501');
    }));
});

describe('nobody writes the claims tables directly', () => {
  const writes = (claimId: string): Record<string, string[]> => ({
    claims: [
      `insert into public.claims (provider_id, commissioner_id, submission_mode) values ('${ORG.ZP1001}', '${ORG.ZN1}', 'multi_service')`,
      `update public.claims set total = 1 where id = '${claimId}'`,
      `delete from public.claims where id = '${claimId}'`,
    ],
    claim_services: [
      `update public.claim_services set period_label = 'x' where claim_id = '${claimId}'`,
      `delete from public.claim_services where claim_id = '${claimId}'`,
      `insert into public.claim_services select claim_id, service_id, offer_id, window_id, 'copy' from public.claim_services where claim_id = '${claimId}' limit 0`,
    ],
    claim_lines: [
      `update public.claim_lines set units = 99 where claim_id = '${claimId}'`,
      `delete from public.claim_lines where claim_id = '${claimId}'`,
      `insert into public.claim_lines (claim_id, service_id, component_id, kind, unit_price) select claim_id, service_id, component_id, kind, 1 from public.claim_lines where claim_id = '${claimId}'`,
    ],
    claim_answers: [
      `update public.claim_answers set answer_yes = true where claim_id = '${claimId}'`,
      `delete from public.claim_answers where claim_id = '${claimId}'`,
    ],
    claim_evidence: [
      `update public.claim_evidence set scan_status = 'clean' where claim_id = '${claimId}'`,
      `delete from public.claim_evidence where claim_id = '${claimId}'`,
    ],
  });

  it('authenticated (even the practice’s Claim Submitter) has no write privilege on any claims table', () =>
    claimTx(async (tx) => {
      const claims = await claimsOfFourPractices(tx);
      for (const [table, statements] of Object.entries(writes(claims.ZP1001))) {
        for (const statement of statements) {
          const outcome = await as(tx, 'pat', (sp) => sp.unsafe(statement));
          expect(outcome.ok ? 'written' : outcome.error.code, `${table}: ${statement}`).toBe('42501');
        }
      }
      for (const view of ['claim_overview', 'claim_service_totals']) {
        const outcome = await as(tx, 'pat', (sp) => sp.unsafe(`delete from public.${view}`));
        expect(outcome.ok ? 'written' : outcome.error.code, view).toBe('42501');
      }
    }));

  it('the guard refuses the table owner too, outside the actions (app.action unset)', () =>
    claimTx(async (tx) => {
      const claims = await claimsOfFourPractices(tx);
      for (const [table, statements] of Object.entries(writes(claims.ZP1001))) {
        // (the insert…limit 0 writes no row, so no trigger fires)
        for (const statement of statements.filter((s) => !s.endsWith('limit 0'))) {
          const outcome = await tx.savepoint((sp) => sp.unsafe(statement)).then(
            () => 'written',
            (error: { code: string; message: string }) => `${error.code} ${error.message}`,
          );
          expect(outcome, `${table}: ${statement}`).toMatch(/^42501 .* change only through the portal's claim actions\.$/);
        }
      }
    }));
});
