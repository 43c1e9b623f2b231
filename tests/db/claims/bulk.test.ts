// Bulk claims from a spreadsheet (issue 13): the template rows an Approver
// Tier 1 gets for a period, and public.import_bulk_claims — every row checked
// and reported, all or nothing, the same file never imported twice, and the
// claims it makes waiting for Tier 2 (never the uploader's own Tier 2).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  addLines,
  asError,
  asOk,
  claimsDigest,
  claimTx,
  COMPONENT,
  direct,
  expectClaimRefused,
  grantRoles,
  notificationsFor,
  ORG,
  PERSON,
  startClaim,
  type PersonName,
  type Tx,
} from './fixtures.ts';

const Q3 = 'Q3 2025/26';
const CARE = 'Complex Care Plans 2025/26';
const DEPOT = 'Depot Antipsychotic Injections 2025/26';
const CARE_PLAN = 'Complex care plan created';
const RETAINER = 'Care co-ordination retainer';
const EAR = 'Ear irrigation';
const OFFER_CARE_ZP1004 = '2b000000-0000-4000-8000-000000000004';

type Row = { row?: number; ods_code?: string; service?: string; component?: string; period?: string; units?: unknown };
type ReportRow = {
  row: number;
  ods_code: string | null;
  outcome: 'claimed' | 'not_claimed' | 'invalid';
  problems: { rule: string; message: string }[];
  claim_id?: string;
  claim_number?: number;
};
type CreatedClaim = { claim_id: string; claim_number: number; provider_ods_code: string; total: string | number; risk_band: string; status: string };
type Report = { ok: boolean; duplicate: boolean; created: number; message: string; import_id?: string; rows: ReportRow[]; claims: CreatedClaim[] };
type TemplateRow = { provider_ods_code: string; service_name: string; component_name: string; kind: string; period_label: string; unit_price: string };

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** A row of the template's shape, numbered as spreadsheet rows are (the header is row 1). */
function rows(...items: Omit<Row, 'row'>[]): Row[] {
  return items.map((item, index) => ({ row: index + 2, period: Q3, ...item }));
}

async function importAs(tx: Tx, who: PersonName, fileRows: Row[], file = 'claims.xlsx', digest = sha(JSON.stringify(fileRows))): Promise<Report> {
  const [row] = await asOk(
    tx,
    who,
    (sp) => sp<{ r: Report }[]>`select public.import_bulk_claims(${ORG.ZN1}, ${digest}, ${file}, ${sp.json(fileRows as never)}) as r`,
  );
  return row!.r;
}

/** An import that must report problems and change nothing; returns the report. */
async function expectRejected(tx: Tx, who: PersonName, fileRows: Row[]): Promise<Report> {
  const before = await claimsDigest(tx);
  const report = await importAs(tx, who, fileRows);
  expect(report.ok).toBe(false);
  expect(report.created).toBe(0);
  expect(report.claims).toEqual([]);
  expect(await claimsDigest(tx), 'a rejected import left the database changed').toBe(before);
  return report;
}

async function template(tx: Tx, who: PersonName, period = Q3): Promise<TemplateRow[]> {
  return asOk(tx, who, (sp) => sp<TemplateRow[]>`select * from public.bulk_claim_template(${ORG.ZN1}, ${period})`);
}

const summary = (rows_: TemplateRow[]) => rows_.map((r) => `${r.provider_ods_code} ${r.component_name} ${r.kind} ${r.period_label} £${r.unit_price}`);

describe('bulk claim template', () => {
  it('lists, for Taylor, each reached provider × claimable component with an open, unclaimed Q3 window, without evidence components or services with required questions', async () => {
    await claimTx(async (tx) => {
      expect(summary(await template(tx, 'taylor'))).toEqual([
        `ZP1001 ${CARE_PLAN} unit ${Q3} £193.42`,
        `ZP1001 ${RETAINER} retainer ${Q3} £1500.00`,
        // Bridge Street's own tariff for care plans.
        `ZP1002 ${CARE_PLAN} unit ${Q3} £200.00`,
        `ZP1002 ${RETAINER} retainer ${Q3} £1500.00`,
      ]);
      const periods = await asOk(tx, 'taylor', (sp) => sp`select period_label from public.bulk_claim_periods(${ORG.ZN1})`);
      expect(periods.map((p) => p.period_label)).toEqual([Q3]);
      // Q1's window closed long ago: nothing to claim.
      expect(await template(tx, 'taylor', 'Q1 2025/26')).toEqual([]);
    });
  });

  it('leaves out a window the practice has already claimed, and respects clusters (Casey never gets Hill Top)', async () => {
    await claimTx(async (tx) => {
      await direct(tx, () => tx`update public.service_offers set status = 'approved', decided_at = now() where id = ${OFFER_CARE_ZP1004}`);
      expect((await template(tx, 'taylor')).map((r) => r.provider_ods_code)).toContain('ZP1004');
      expect([...new Set((await template(tx, 'casey')).map((r) => r.provider_ods_code))]).toEqual(['ZP1001', 'ZP1002']);
      // Pat's draft takes ZP1001's Complex Care Plans Q3.
      const claim = await startClaim(tx, 'pat', ORG.ZP1001);
      await addLines(tx, 'pat', claim.id, [COMPONENT.carePlan]);
      expect([...new Set((await template(tx, 'taylor')).map((r) => r.provider_ods_code))]).toEqual(['ZP1002', 'ZP1004']);
    });
  });

  it('is refused to anyone who is not Approver Tier 1 of the commissioner', async () => {
    await claimTx(async (tx) => {
      for (const who of ['jordan', 'morgan', 'chris', 'pat', 'robin'] as const) {
        const error = await asError(tx, who, (sp) => sp`select * from public.bulk_claim_template(${ORG.ZN1}, ${Q3})`);
        expect({ who, code: error.code, message: error.message }).toMatchObject({ who, code: '42501', message: expect.stringMatching(/Only Approver Tier 1 of NHS Northshire ICB \(ZN1\)/) });
        const periods = await asError(tx, who, (sp) => sp`select * from public.bulk_claim_periods(${ORG.ZN1})`);
        expect(periods.code).toBe('42501');
      }
      expect((await asError(tx, 'anon', (sp) => sp`select * from public.bulk_claim_template(${ORG.ZN1}, ${Q3})`)).code).toBe('42501');
      // Robin is Tier 1 of Southvale, so Southvale's template is his (and it is a different list).
      const southvale = await asOk(tx, 'robin', (sp) => sp<TemplateRow[]>`select * from public.bulk_claim_template(${ORG.ZS1}, ${Q3})`);
      expect(southvale.map((r) => r.provider_ods_code)).toEqual(['ZP2001']);
    });
  });
});

describe('import_bulk_claims: a valid file', () => {
  const valid = () =>
    rows(
      { ods_code: 'ZP1001', service: CARE, component: CARE_PLAN, units: 12 },
      { ods_code: 'ZP1001', service: CARE, component: RETAINER, units: 1 },
      // Letter case and spaces as people type them; units as text.
      { ods_code: ' zp1002 ', service: CARE.toUpperCase(), component: ` ${CARE_PLAN} `, units: '5' },
      { ods_code: 'ZP1002', service: CARE, component: RETAINER, units: 0 },
    );

  it('creates one claim per provider + service, totalled by the database, banded, Tier 1-approved by the uploader and waiting for Tier 2', async () => {
    await claimTx(async (tx) => {
      const report = await importAs(tx, 'taylor', valid(), 'northshire-q3.xlsx');
      expect(report).toMatchObject({ ok: true, duplicate: false, created: 2 });
      expect(report.claims.map((c) => [c.provider_ods_code, Number(c.total), c.risk_band, c.status])).toEqual([
        ['ZP1001', 3821.04, 'low', 'pending_tier2_review'], // 12 × £193.42 + £1,500.00
        ['ZP1002', 1000, 'low', 'pending_tier2_review'], // 5 × £200.00; the retainer's 0 claims nothing
      ]);
      expect(report.rows.map((r) => [r.row, r.outcome, r.claim_number])).toEqual([
        [2, 'claimed', report.claims[0]!.claim_number],
        [3, 'claimed', report.claims[0]!.claim_number],
        [4, 'claimed', report.claims[1]!.claim_number],
        [5, 'claimed', report.claims[1]!.claim_number],
      ]);

      const claims = await tx`
        select c.id, o.ods_code, c.status, c.total, c.risk_band, c.created_by, c.submitted_by, c.tier1_approved_by, c.tier1_approved_at is not null as t1,
               c.submitted_fingerprint is not null as fingerprinted,
               (select jsonb_agg(jsonb_build_array(l.kind, l.units, l.amount, l.acknowledged_by) order by l.position) from public.claim_lines l where l.claim_id = c.id) as lines,
               (select jsonb_agg(cs.period_label) from public.claim_services cs where cs.claim_id = c.id) as periods
        from public.claims c join public.organisations o on o.id = c.provider_id order by o.ods_code`;
      expect(claims.map((c) => ({ ...c, id: undefined }))).toEqual([
        {
          id: undefined, ods_code: 'ZP1001', status: 'pending_tier2_review', total: '3821.04', risk_band: 'low',
          created_by: PERSON.taylor, submitted_by: PERSON.taylor, tier1_approved_by: PERSON.taylor, t1: true, fingerprinted: true,
          lines: [['unit', 12, 2321.04, null], ['retainer', null, 1500.0, PERSON.taylor]], periods: [Q3],
        },
        {
          id: undefined, ods_code: 'ZP1002', status: 'pending_tier2_review', total: '1000.00', risk_band: 'low',
          created_by: PERSON.taylor, submitted_by: PERSON.taylor, tier1_approved_by: PERSON.taylor, t1: true, fingerprinted: true,
          lines: [['unit', 5, 1000.0, null]], periods: [Q3],
        },
      ]);

      // Audited per claim, with the file; the import itself recorded.
      // (The audit trail is append-only: other files' imports stay in it, so only these claims are read.)
      const audit = await tx`select entity_id, actor_id, after ->> 'status' as status, after ->> 'file_name' as file from public.audit_log
                             where action = 'claim.bulk_import' and entity_type = 'claim' and entity_id = any (${claims.map((c) => c.id as string)}::text[])`;
      expect(audit.map((a) => [a.actor_id, a.status, a.file]).sort()).toEqual([
        [PERSON.taylor, 'pending_tier2_review', 'northshire-q3.xlsx'],
        [PERSON.taylor, 'pending_tier2_review', 'northshire-q3.xlsx'],
      ]);
      const [imported] = await tx`select file_name, row_count, imported_by, cardinality(claim_ids) as claims from public.bulk_claim_imports where id = ${report.import_id!}`;
      expect(imported).toEqual({ file_name: 'northshire-q3.xlsx', row_count: 4, imported_by: PERSON.taylor, claims: 2 });

      // Tier 2 tasks for Jordan, none for the uploader; the claim's timeline shows the import.
      for (const claim of claims) {
        const tasks = (await notificationsFor(tx, 'claim_awaiting_review', claim.id as string)).map((t) => t.recipient_id);
        expect(tasks).toEqual([PERSON.jordan]);
      }
      const timeline = await asOk(tx, 'jordan', (sp) => sp`select action, actor, to_status from public.claim_timeline(${claims[0]!.id as string})`);
      expect(timeline).toEqual([{ action: 'claim.bulk_import', actor: 'Taylor Tier-One', to_status: 'pending_tier2_review' }]);
    });
  });

  it('a high total is banded high and goes on to Finance after Tier 2', async () => {
    await claimTx(async (tx) => {
      const report = await importAs(tx, 'taylor', rows({ ods_code: 'ZP1002', service: CARE, component: CARE_PLAN, units: 300 }));
      expect(report.claims.map((c) => [Number(c.total), c.risk_band])).toEqual([[60000, 'high']]);
      const [answer] = await asOk(tx, 'jordan', (sp) => sp`select public.review_claims(${[report.claims[0]!.claim_id]}::uuid[]) as r`);
      expect((answer!.r as { status: string }[])[0]!.status).toBe('pending_finance_approval');
    });
  });

  it('Tier 2 is someone else: Jordan approves; the uploader is refused even when they hold Tier 2 too', async () => {
    await claimTx(async (tx) => {
      // One membership may not hold both roles: Tier 2 at Northshire East (over ZP1001–ZP1004).
      await grantRoles(tx, 'taylor', ORG.ZN1E, ['approver_tier_2']);
      const report = await importAs(tx, 'taylor', valid());
      const [first, second] = report.claims;
      // The uploader is not asked at Tier 2, though they hold the role.
      expect((await notificationsFor(tx, 'claim_awaiting_review', first!.claim_id)).map((t) => t.recipient_id)).toEqual([PERSON.jordan]);
      const before = await claimsDigest(tx);
      const [own] = await asOk(tx, 'taylor', (sp) => sp`select public.review_claims(${[first!.claim_id]}::uuid[]) as r`);
      expect(own!.r).toEqual([expect.objectContaining({ ok: false, message: expect.stringMatching(/someone else must approve it/) })]);
      expect(await claimsDigest(tx)).toBe(before);
      const [theirs] = await asOk(tx, 'jordan', (sp) => sp`select public.review_claims(${[first!.claim_id, second!.claim_id]}::uuid[]) as r`);
      expect((theirs!.r as { ok: boolean; status: string }[]).map((a) => [a.ok, a.status])).toEqual([
        [true, 'approved_for_payment'],
        [true, 'approved_for_payment'],
      ]);
    });
  });

  it('Casey (cluster ZP1001/ZP1002) imports for her cluster', async () => {
    await claimTx(async (tx) => {
      const report = await importAs(tx, 'casey', rows({ ods_code: 'ZP1001', service: CARE, component: CARE_PLAN, units: 3 }));
      expect(report).toMatchObject({ ok: true, created: 1 });
      const tasks = (await notificationsFor(tx, 'claim_awaiting_review', report.claims[0]!.claim_id)).map((t) => t.recipient_id);
      expect(tasks).toEqual([PERSON.jordan]);
    });
  });
});

describe('import_bulk_claims: every invalid row kind is reported, and nothing is created', () => {
  const cases: { name: string; who?: PersonName; row: Omit<Row, 'row'>; rule: string; message: RegExp; setup?: (tx: Tx) => Promise<void> }[] = [
    { name: 'an unknown ODS code', row: { ods_code: 'ZZ999', service: CARE, component: CARE_PLAN, units: 1 }, rule: 'unknown_provider', message: /No organisation has the ODS code "ZZ999"/ },
    { name: 'a missing ODS code', row: { service: CARE, component: CARE_PLAN, units: 1 }, rule: 'unknown_provider', message: /ODS code is missing/ },
    { name: 'another commissioner\'s practice', row: { ods_code: 'ZP2001', service: CARE, component: CARE_PLAN, units: 1 }, rule: 'provider_outside_reach', message: /not a provider you review/ },
    {
      name: 'a practice outside the reviewer\'s cluster',
      who: 'casey',
      row: { ods_code: 'ZP1004', service: CARE, component: CARE_PLAN, units: 1 },
      rule: 'provider_outside_reach',
      message: /Hill Top.*not a provider you review/,
    },
    { name: 'an unknown component', row: { ods_code: 'ZP1001', service: CARE, component: 'Home visit', units: 1 }, rule: 'unknown_component', message: /"Home visit" is not a component/ },
    { name: 'a service the practice has no approved offer of', row: { ods_code: 'ZP1003', service: CARE, component: CARE_PLAN, units: 1 }, rule: 'not_offered', message: /no approved offer of Complex Care Plans/ },
    { name: 'negative units', row: { ods_code: 'ZP1001', service: CARE, component: CARE_PLAN, units: -3 }, rule: 'invalid_units', message: /negative/ },
    { name: 'units that are not whole', row: { ods_code: 'ZP1001', service: CARE, component: CARE_PLAN, units: 2.5 }, rule: 'invalid_units', message: /not a whole number/ },
    { name: 'units that are text', row: { ods_code: 'ZP1001', service: CARE, component: CARE_PLAN, units: 'twelve' }, rule: 'invalid_units', message: /"twelve" is not a number/ },
    {
      name: 'a formula in the units cell (as text: never evaluated)',
      row: { ods_code: 'ZP1001', service: CARE, component: CARE_PLAN, units: '=HYPERLINK("http://evil.example","12")' },
      rule: 'invalid_units',
      message: /"=HYPERLINK\(.*is not a number/,
    },
    { name: 'a retainer with more than 1', row: { ods_code: 'ZP1001', service: CARE, component: RETAINER, units: 2 }, rule: 'invalid_units', message: /retainer: enter 1/ },
    { name: 'a closed window (Q1)', row: { ods_code: 'ZP1001', service: CARE, component: CARE_PLAN, units: 4, period: 'Q1 2025/26' }, rule: 'window_closed', message: /closed on/ },
    { name: 'a window not open yet (Q4)', row: { ods_code: 'ZP1001', service: CARE, component: CARE_PLAN, units: 4, period: 'Q4 2025/26' }, rule: 'window_closed', message: /opens on/ },
    { name: 'an unknown period', row: { ods_code: 'ZP1001', service: CARE, component: CARE_PLAN, units: 4, period: 'Q9' }, rule: 'unknown_period', message: /no claim window "Q9"/ },
    {
      name: 'a window the practice already claimed',
      row: { ods_code: 'ZP1001', service: CARE, component: CARE_PLAN, units: 4 },
      rule: 'already_claimed',
      message: /already claimed for ZP1001/,
      setup: async (tx) => {
        const claim = await startClaim(tx, 'pat', ORG.ZP1001);
        await addLines(tx, 'pat', claim.id, [COMPONENT.carePlan]);
      },
    },
    { name: 'a component that needs evidence', row: { ods_code: 'ZP1001', service: CARE, component: EAR, units: 3 }, rule: 'evidence_required', message: /needs evidence for 3 units: the practice claims it/ },
    { name: 'a service with a must-be-yes question', row: { ods_code: 'ZP1001', service: DEPOT, component: 'Depot injection administered', units: 5 }, rule: 'questions_required', message: /questions only the practice can answer/ },
  ];

  for (const each of cases) {
    it(`${each.name}: ${each.rule}`, async () => {
      await claimTx(async (tx) => {
        await each.setup?.(tx);
        // A valid row beside it: all or nothing.
        const report = await expectRejected(tx, each.who ?? 'taylor', rows({ ods_code: 'ZP1002', service: CARE, component: CARE_PLAN, units: 2 }, each.row));
        expect(report.rows[0]).toMatchObject({ row: 2, outcome: 'not_claimed', problems: [] });
        expect(report.rows[1]).toMatchObject({ row: 3, outcome: 'invalid' });
        expect(report.rows[1]!.problems).toEqual([{ rule: each.rule, message: expect.stringMatching(each.message) }]);
        expect(report.message).toMatch(/1 of 2 rows cannot be claimed: nothing was created/);
      });
    });
  }

  it('the same component, provider and period twice: the second row is a duplicate', async () => {
    await claimTx(async (tx) => {
      const report = await expectRejected(
        tx,
        'taylor',
        rows({ ods_code: 'ZP1001', service: CARE, component: CARE_PLAN, units: 2 }, { ods_code: 'zp1001', service: CARE, component: CARE_PLAN, units: 3 }),
      );
      expect(report.rows.map((r) => [r.outcome, r.problems.map((p) => p.rule)])).toEqual([
        ['not_claimed', []],
        ['invalid', ['duplicate_row']],
      ]);
      expect(report.rows[1]!.problems[0]!.message).toMatch(/Row 2 already claims Complex care plan created for ZP1001/);
    });
  });

  it('every problem of every row is reported at once', async () => {
    await claimTx(async (tx) => {
      const report = await expectRejected(
        tx,
        'taylor',
        rows(
          { ods_code: 'ZZ1', service: CARE, component: CARE_PLAN, units: -1 },
          { ods_code: 'ZP1001', service: CARE, component: EAR, units: 1.5 },
          { ods_code: 'ZP1001', service: 'Nothing', component: 'None', units: 1 },
        ),
      );
      expect(report.rows.map((r) => r.problems.map((p) => p.rule))).toEqual([['invalid_units', 'unknown_provider'], ['invalid_units'], ['unknown_component']]);
      expect(report.message).toMatch(/3 of 3 rows/);
    });
  });

  it('a file with units nowhere claims nothing, and says so', async () => {
    await claimTx(async (tx) => {
      const report = await expectRejected(tx, 'taylor', rows({ ods_code: 'ZP1001', service: CARE, component: CARE_PLAN, units: null }, { ods_code: 'ZP1002', service: CARE, component: CARE_PLAN, units: 0 }));
      expect(report.message).toMatch(/claims nothing/);
      expect(report.rows.map((r) => r.outcome)).toEqual(['not_claimed', 'not_claimed']);
    });
  });
});

describe('import_bulk_claims: the same file twice', () => {
  it('creates nothing the second time and answers with the first import\'s claims; different bytes with the same rows are already claimed', async () => {
    await claimTx(async (tx) => {
      const fileRows = rows({ ods_code: 'ZP1001', service: CARE, component: CARE_PLAN, units: 7 });
      const digest = sha('the same bytes');
      const first = await importAs(tx, 'taylor', fileRows, 'q3.xlsx', digest);
      expect(first.created).toBe(1);
      const before = await claimsDigest(tx);
      const again = await importAs(tx, 'taylor', fileRows, 'q3 (copy).xlsx', digest);
      expect(again).toMatchObject({ ok: true, duplicate: true, created: 0, import_id: first.import_id, message: expect.stringMatching(/already uploaded by Taylor Tier-One on .*nothing was created now/) });
      expect(again.claims.map((c) => c.claim_number)).toEqual(first.claims.map((c) => c.claim_number));
      expect(await claimsDigest(tx)).toBe(before);

      const other = await expectRejected(tx, 'taylor', fileRows);
      expect(other.rows[0]!.problems.map((p) => p.rule)).toEqual(['already_claimed']);
    });
  });
});

describe('import_bulk_claims: who may', () => {
  it('is refused to people who are not Approver Tier 1 of the commissioner, and to anon', async () => {
    await claimTx(async (tx) => {
      const fileRows = rows({ ods_code: 'ZP1001', service: CARE, component: CARE_PLAN, units: 1 });
      for (const who of ['jordan', 'morgan', 'pat', 'ash', 'robin', 'anon'] as const) {
        await expectClaimRefused(
          tx,
          who,
          '42501',
          (sp) => sp`select public.import_bulk_claims(${ORG.ZN1}, ${sha(who)}, 'x.xlsx', ${sp.json(fileRows as never)})`,
          who === 'anon' ? /permission denied/ : /Only Approver Tier 1 of NHS Northshire ICB \(ZN1\)/,
        );
      }
    });
  });

  it('refuses a malformed digest, a missing name and an empty file', async () => {
    await claimTx(async (tx) => {
      const one = rows({ ods_code: 'ZP1001', service: CARE, component: CARE_PLAN, units: 1 });
      await expectClaimRefused(tx, 'taylor', '22023', (sp) => sp`select public.import_bulk_claims(${ORG.ZN1}, 'abc', 'x.xlsx', ${sp.json(one as never)})`, /SHA-256/);
      await expectClaimRefused(tx, 'taylor', '22023', (sp) => sp`select public.import_bulk_claims(${ORG.ZN1}, ${sha('n')}, ' ', ${sp.json(one as never)})`, /needs a name/);
      await expectClaimRefused(tx, 'taylor', '22023', (sp) => sp`select public.import_bulk_claims(${ORG.ZN1}, ${sha('e')}, 'x.xlsx', '[]'::jsonb)`, /no rows/);
    });
  });

  it('imports are read by the uploader and their commissioner\'s Tier 1 approvers, and written by nobody directly', async () => {
    await claimTx(async (tx) => {
      const report = await importAs(tx, 'taylor', rows({ ods_code: 'ZP1001', service: CARE, component: CARE_PLAN, units: 1 }));
      const seen = async (who: PersonName) => (await asOk(tx, who, (sp) => sp`select file_name from public.bulk_claim_imports where id = ${report.import_id!}`)).length;
      expect({ taylor: await seen('taylor'), jordan: await seen('jordan'), casey: await seen('casey'), robin: await seen('robin'), pat: await seen('pat') }).toEqual({
        taylor: 1,
        jordan: 0,
        casey: 0,
        robin: 0,
        pat: 0,
      });
      const error = await asError(tx, 'taylor', (sp) => sp`insert into public.bulk_claim_imports (commissioner_id, file_sha256, file_name, row_count, claim_ids) values (${ORG.ZN1}, ${sha('w')}, 'w.xlsx', 1, '{}')`);
      expect(error.code).toBe('42501');
      expect((await asError(tx, 'taylor', (sp) => sp`delete from public.bulk_claim_imports`)).code).toBe('42501');
    });
  });
});
