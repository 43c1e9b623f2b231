// Row-level security of the quality-services tables: every table × verb ×
// persona, allowed and denied, in the same demo state as
// tests/db/tenancy/rls-matrix.test.ts (Jordan's membership revoked, Morgan's
// account disabled, Nina pending). Outcomes: the visible/affected row keys,
// or 'denied' (42501: no privilege, or a row refused by a policy's check).
import { describe, expect, it } from 'vitest';
import { as, asOk, inTx, MEMBERSHIP, ORG, PERSON, type Tx, type Who } from '../tenancy/fixtures.ts';
import { COMPONENT, OFFER, SERVICE } from './fixtures.ts';
import { removeAllClaims } from '../claims/fixtures.ts';

const PERSONAS: Who[] = ['anon', 'sam', 'alex', 'chris', 'taylor', 'casey', 'robin', 'pat', 'ash', 'harper', 'lee', 'jordan', 'morgan', 'nina'];
const CODE_OF_ID = new Map<string, string>(Object.entries(ORG).map(([code, id]) => [id, code]));

async function setUp(tx: Tx): Promise<void> {
  await asOk(tx, 'alex', (sp) => sp`select public.revoke_membership(${MEMBERSHIP.jordan}, 'Moved to another ICB')`);
  await asOk(tx, 'sam', (sp) => sp`select public.disable_account(${PERSON.morgan}, 'left_organisation')`);
}

type Result = string[] | 'denied';

async function run(tx: Tx, who: Who, statement: string): Promise<Result> {
  const outcome = await as(tx, who, (sp) => sp.unsafe<{ k: string }[]>(statement));
  if (!outcome.ok) {
    if (outcome.error.code === '42501') return 'denied';
    throw new Error(`${String(who)}: ${statement}\n→ ${outcome.error.code} ${outcome.error.message}`);
  }
  return outcome.value.map((row) => CODE_OF_ID.get(String(row.k)) ?? String(row.k)).sort();
}

/** The seed's demo claims hold on to components, questions and claim windows (foreign keys); catalogue deletes are tried without them. */
async function withoutDemoClaims(tx: Tx): Promise<void> {
  await removeAllClaims(tx);
  // …and the demo achievement (issue 14), which holds on to indicators and achievement dates.
  await tx`select set_config('app.action', 'test', true)`;
  await tx`delete from public.declarations`;
  await tx`delete from public.network_achievements`;
  await tx`delete from public.achievements`;
  await tx`select set_config('app.action', '', true)`;
}

async function check(statement: string, expected: Partial<Record<Who, Result>>, fallback: Result, prepare?: (tx: Tx) => Promise<void>): Promise<void> {
  await inTx(async (tx) => {
    await setUp(tx);
    await prepare?.(tx);
    const problems: string[] = [];
    for (const who of PERSONAS) {
      const wanted = expected[who] ?? fallback;
      const got = await run(tx, who, statement);
      if (JSON.stringify(got) !== JSON.stringify(wanted)) problems.push(`${who}: expected ${JSON.stringify(wanted)}, got ${JSON.stringify(got)}`);
    }
    expect(problems, statement).toEqual([]);
  });
}

/** Same answer for every Northshire commissioner persona (any role; clusters do not narrow the catalogue). */
const northshire = (keys: string[]): Partial<Record<Who, Result>> => ({ alex: keys, chris: keys, taylor: keys, casey: keys });
const NORTHSHIRE_SERVICES = ['Complex Care Plans 2025/26', 'Depot Antipsychotic Injections 2025/26', 'Learning Disability Health Checks 2025/26',
  'Network Contract DES 2025/26'];
const SOUTHVALE_SERVICES = ['Anticoagulation Monitoring 2025/26', 'Minor Surgery 2025/26', 'Phlebotomy 2025/26'];
const CATALOGUE_WRITERS_ONLY = { anon: 'denied' as const, chris: [] as string[] };

describe('public.quality_services', () => {
  it('select: the commissioner\'s people read its catalogue; providers the services offered to them', async () => {
    await check(
      `select name as k from public.quality_services`,
      {
        anon: 'denied',
        ...northshire(NORTHSHIRE_SERVICES),
        robin: SOUTHVALE_SERVICES,
        harper: SOUTHVALE_SERVICES, // all three offered to Harbour
        pat: ['Complex Care Plans 2025/26', 'Depot Antipsychotic Injections 2025/26', 'Network Contract DES 2025/26'],
        ash: ['Complex Care Plans 2025/26', 'Depot Antipsychotic Injections 2025/26', 'Network Contract DES 2025/26'],
        lee: ['Network Contract DES 2025/26'], // offered to Riverside PCN (issue 14)
      },
      [],
    );
  });
  it('insert: Commissioning Management of the owner only', async () => {
    const insert = (org: string) => `insert into public.quality_services (commissioner_id, kind, financial_year, payment_type, name, starts_on, ends_on)
      values ('${org}', 'local', '2026/27', 'Local Enhanced Service', 'Spirometry 2026/27', '2026-04-01', '2027-03-31') returning name as k`;
    await check(insert(ORG.ZN1), { chris: ['Spirometry 2026/27'] }, 'denied');
    await check(insert(ORG.ZS1), { robin: ['Spirometry 2026/27'] }, 'denied');
  });
  it('update: Commissioning Management of the owner only (others match no row)', async () => {
    await check(`update public.quality_services set description = description || '.' returning name as k`,
      { anon: 'denied', chris: NORTHSHIRE_SERVICES, robin: SOUTHVALE_SERVICES }, []);
  });
  it('update of the owner or kind: no privilege for anyone', async () => {
    await check(`update public.quality_services set commissioner_id = '${ORG.ZS1}' returning name as k`, {}, 'denied');
    await check(`update public.quality_services set kind = 'national' returning name as k`, {}, 'denied');
  });
  it('delete: Commissioning Management of the owner only', async () => {
    // The service nobody has been offered (an offered one is held by its offers).
    await check(`delete from public.quality_services where id = '${SERVICE.learningDisability}' returning name as k`,
      { anon: 'denied', chris: ['Learning Disability Health Checks 2025/26'] }, []);
  });
});

// Catalogue children: read with their service, written by Commissioning Management of the owner.
const CHILDREN: {
  table: string;
  key: string;
  northshire: string[];
  pat: string[];
  lee?: string[];
  southvale: string[];
  insert: string;
  inserted: string;
  update: string;
}[] = [
  {
    table: 'service_components',
    key: 'name',
    northshire: ['Annual health check completed', 'Care co-ordination retainer', 'Complex care plan created', 'Depot injection administered', 'Ear irrigation'],
    pat: ['Care co-ordination retainer', 'Complex care plan created', 'Depot injection administered', 'Ear irrigation'],
    southvale: ['Blood sample taken', 'INR monitoring visit', 'Minor surgery procedure'],
    insert: `(service_id, name, kind) values ('${SERVICE.depot}', 'Attendance at training', 'participation')`,
    inserted: 'Attendance at training',
    update: `position = position + 1`,
  },
  {
    table: 'service_questions',
    key: 'question',
    northshire: ['Depot injections administered by qualified staff', 'Name of the supervising clinician'],
    pat: ['Depot injections administered by qualified staff', 'Name of the supervising clinician'],
    southvale: [],
    insert: `(service_id, kind, question, required) values ('${SERVICE.depot}', 'date', 'Date of the last audit', false)`,
    inserted: 'Date of the last audit',
    update: `position = position + 1`,
  },
  {
    table: 'claim_windows',
    key: `service_id::text || ':' || period_label`,
    northshire: [SERVICE.complexCare, SERVICE.depot, SERVICE.learningDisability].flatMap((id) => [1, 2, 3, 4].map((q) => `${id}:Q${q} 2025/26`)),
    pat: [SERVICE.complexCare, SERVICE.depot].flatMap((id) => [1, 2, 3, 4].map((q) => `${id}:Q${q} 2025/26`)),
    southvale: [SERVICE.minorSurgery, SERVICE.phlebotomy, SERVICE.anticoagulation].flatMap((id) => [1, 2, 3, 4].map((q) => `${id}:Q${q} 2025/26`)),
    insert: `(service_id, period_label, period_starts_on, period_ends_on, opens_on, closes_on)
      values ('${SERVICE.depot}', 'March 2026', '2026-03-01', '2026-03-31', '2026-04-01', '2026-04-30')`,
    inserted: `${SERVICE.depot}:March 2026`,
    update: `closes_on = closes_on + 1`,
  },
  {
    table: 'indicator_groups',
    key: 'code',
    northshire: ['CAIP', 'IIF'],
    // The DES is offered to ZP1001 and to Riverside PCN (issue 14's demo).
    pat: ['CAIP', 'IIF'],
    lee: ['CAIP', 'IIF'],
    southvale: [],
    insert: `(service_id, code, name) values ('${SERVICE.networkDes}', 'ARRS', 'Additional Roles')`,
    inserted: 'ARRS',
    update: `position = position + 1`,
  },
  {
    table: 'indicators',
    key: 'code',
    northshire: ['ACC-08', 'CAIP01', 'CAIP02', 'VI-01'],
    pat: ['ACC-08', 'CAIP01', 'CAIP02', 'VI-01'],
    lee: ['ACC-08', 'CAIP01', 'CAIP02', 'VI-01'],
    southvale: [],
    insert: `(group_id, service_id, code, description, points, payment_rate)
      values ('1e000000-0000-4000-8000-000000000002', '${SERVICE.networkDes}', 'ACC-09', 'Online consultations offered', 10, 198.00)`,
    inserted: 'ACC-09',
    update: `points = points`,
  },
  {
    table: 'achievement_dates',
    key: 'achievement_date::text',
    northshire: ['2025-06-30', '2025-09-30', '2025-12-31', '2026-03-31'],
    pat: ['2025-06-30', '2025-09-30', '2025-12-31', '2026-03-31'],
    lee: ['2025-06-30', '2025-09-30', '2025-12-31', '2026-03-31'],
    southvale: [],
    insert: `(service_id, achievement_date, is_payment_date) values ('${SERVICE.networkDes}', '2026-01-31', false)`,
    inserted: '2026-01-31',
    update: `is_payment_date = is_payment_date`,
  },
];

for (const child of CHILDREN) {
  describe(`public.${child.table}`, () => {
    it('select: with the service', async () => {
      await check(
        `select ${child.key} as k from public.${child.table}`,
        { anon: 'denied', ...northshire(child.northshire), robin: child.southvale, harper: child.southvale, pat: child.pat, ash: child.pat, lee: child.lee ?? [] },
        [],
      );
    });
    it('insert: Commissioning Management of the owner only', async () => {
      await check(`insert into public.${child.table} ${child.insert} returning ${child.key} as k`, { chris: [child.inserted] }, 'denied');
    });
    it('update: Commissioning Management of the owner only (others match no row)', async () => {
      await check(`update public.${child.table} set ${child.update} returning ${child.key} as k`,
        { ...CATALOGUE_WRITERS_ONLY, chris: child.northshire, robin: child.southvale }, []);
    });
    it('update of the service: no privilege for anyone', async () => {
      await check(`update public.${child.table} set service_id = service_id returning ${child.key} as k`, {}, 'denied');
    });
    it('delete: Commissioning Management of the owner only', async () => {
      await check(`delete from public.${child.table} returning ${child.key} as k`,
        { ...CATALOGUE_WRITERS_ONLY, chris: child.northshire, robin: child.southvale }, [], withoutDemoClaims);
    });
  });
}

describe('public.service_offers', () => {
  it('select: providers their own; commissioners the providers they reach (clusters narrow it)', async () => {
    // Complex Care Plans to ZP1001–ZP1005, Depot to ZP1001–ZP1004, the DES to ZP1001–ZP1006 and ZU101–ZU103; Southvale's three services to ZP2001.
    const zn1 = ['ZP1001', 'ZP1001', 'ZP1001', 'ZP1002', 'ZP1002', 'ZP1002', 'ZP1003', 'ZP1003', 'ZP1003', 'ZP1004', 'ZP1004', 'ZP1004',
      'ZP1005', 'ZP1005', 'ZP1006', 'ZU101', 'ZU102', 'ZU103'];
    const zp2001 = ['ZP2001', 'ZP2001', 'ZP2001'];
    await check(`select provider_id::text as k from public.service_offers`,
      { anon: 'denied', alex: zn1, chris: zn1, taylor: zn1, casey: ['ZP1001', 'ZP1001', 'ZP1001', 'ZP1002', 'ZP1002', 'ZP1002'], robin: zp2001, harper: zp2001,
        pat: ['ZP1001', 'ZP1001', 'ZP1001'], ash: ['ZP1001', 'ZP1001', 'ZP1001'], lee: ['ZU101'] },
      []);
  });
  it('insert, update, delete: no privilege for anyone (actions only)', async () => {
    await check(`insert into public.service_offers (service_id, provider_id, starts_on, ends_on, respond_by, target_date)
      values ('${SERVICE.learningDisability}', '${ORG.ZP1001}', '2025-04-01', '2026-03-31', '2025-05-31', '2026-03-31') returning provider_id::text as k`, {}, 'denied');
    await check(`update public.service_offers set status = 'approved' returning provider_id::text as k`, {}, 'denied');
    await check(`update public.service_offers set respond_by = respond_by returning provider_id::text as k`, {}, 'denied');
    await check(`delete from public.service_offers returning provider_id::text as k`, {}, 'denied');
  });
});

describe('public.offer_tariffs', () => {
  const key = `(select o.ods_code from public.service_offers f join public.organisations o on o.id = f.provider_id where f.id = offer_id)`;
  it('select: with the offer', async () => {
    await check(`select ${key} as k from public.offer_tariffs`, { anon: 'denied', ...northshire(['ZP1002']) }, []);
  });
  it('insert: Commissioning Management of the owner only', async () => {
    await check(`insert into public.offer_tariffs (offer_id, component_id, unit_price) values ('${OFFER.zp1001}', '${COMPONENT.carePlan}', 180.00)
      returning offer_id::text as k`, { chris: [OFFER.zp1001] }, 'denied');
  });
  it('update (unit price): Commissioning Management of the owner only (others match no row)', async () => {
    await check(`update public.offer_tariffs set unit_price = 210.00 returning ${key} as k`, { ...CATALOGUE_WRITERS_ONLY, chris: ['ZP1002'] }, []);
    await check(`update public.offer_tariffs set offer_id = offer_id returning ${key} as k`, {}, 'denied');
  });
  it('delete: Commissioning Management of the owner only', async () => {
    await check(`delete from public.offer_tariffs returning offer_id::text as k`, { ...CATALOGUE_WRITERS_ONLY, chris: [OFFER.zp1002] }, []);
  });
});

describe('public.allocated_reports', () => {
  it('select: the organisation and the commissioners reaching it', async () => {
    await check(`select organisation_id::text as k from public.allocated_reports`, { anon: 'denied', alex: ['ZN1E'], chris: ['ZN1E'], taylor: ['ZN1E'] }, []);
  });
  it('insert, update, delete: no privilege for anyone (set_allocated_reports only)', async () => {
    await check(`insert into public.allocated_reports (organisation_id, service_id) values ('${ORG.ZN1W}', '${SERVICE.depot}') returning organisation_id::text as k`, {}, 'denied');
    await check(`update public.allocated_reports set allocated_at = now() returning organisation_id::text as k`, {}, 'denied');
    await check(`delete from public.allocated_reports returning organisation_id::text as k`, {}, 'denied');
  });
});
