// Row-level security of every achievement table (20261208010100_achievement_schema.sql)
// and of the declaration views (20261208010300_declarations.sql), per persona:
// what each reads (allow and deny), and that authenticated may not insert,
// update or delete any of them (only the action functions write).
//
//   Pat, Ash (ZP1001)          their practice only; money (results, declarations) too
//   Val (View at ZP1001)       values without money: no results, no declarations
//   Jordan, Morgan, Chris      all of Northshire (ZN1)
//   Casey (Tier 1, clustered)  no achievement role: nothing (list sizes of her cluster only)
//   Robin (Southvale)          nothing
//   Lee (ZU101)                Riverside PCN's network achievement only
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { step } from './declaration-fixtures.ts';
import {
  achievementTx,
  as,
  asOk,
  DATES,
  DES,
  direct,
  enter,
  GROUP,
  listSizes,
  ORG,
  save,
  start,
  submit,
  values,
  type Tx,
  type Who,
} from './fixtures.ts';

/** Val View: an active person holding only View at Riverside Medical Centre (made in the test's transaction). */
async function viewOnlyPerson(tx: Tx): Promise<{ sub: string }> {
  const id = randomUUID();
  await tx`
    insert into auth.users (instance_id, id, aud, role, email, encrypted_password, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
    values ('00000000-0000-0000-0000-000000000000', ${id}, 'authenticated', 'authenticated', 'view.only@riverside.example', '',
            '{"provider":"email","providers":["email"]}', ${tx.json({ full_name: 'Val View' })}, now(), now())`;
  await direct(tx, async () => {
    await tx`update public.profiles set status = 'active', status_changed_at = now() where id = ${id}`;
    await tx`insert into public.memberships (profile_id, organisation_id, roles, status) values (${id}, ${ORG.ZP1001}, '{view}', 'active')`;
  });
  return { sub: id };
}

/**
 * Northshire's achievement on 30/09/2025: ZP1001 (Pat, with IIF's group value), ZP1002 and ZP1004 (Chris);
 * Lee submits Riverside PCN's network achievement (ZU101), Hillside's (ZU102) stays not submitted, so
 * Hill Top (ZP1004) waits. ZP1001 is declared by Ash.
 */
async function northshire(tx: Tx) {
  await direct(tx, () => tx`update public.indicator_groups set group_value_label = 'Register size' where id = ${GROUP.iif}`);
  await listSizes(tx, [
    { ods_code: 'ZP1001', effective_from: '2025-04-01', list_size: 10000 },
    { ods_code: 'ZP1002', effective_from: '2025-04-01', list_size: 8000 },
    { ods_code: 'ZP1004', effective_from: '2025-04-01', list_size: 9000 },
  ]);
  const zp1001 = await start(tx, 'pat', ORG.ZP1001, DATES.q2);
  await save(tx, 'pat', zp1001.id, values([88, 100], 50), [{ group_id: GROUP.iif, value: 1200 }]);
  await submit(tx, 'pat', zp1001.id, 'Checked against the clinical system.');
  await enter(tx, 'chris', ORG.ZP1002, DATES.q2, values([90, 100], 20));
  await enter(tx, 'chris', ORG.ZP1004, DATES.q2, values([86, 100], 5));
  await asOk(tx, 'lee', (sp) => sp`select public.submit_network_achievement(${ORG.ZU101}, ${DES}, ${DATES.q2})`);
  const [declaration] = await tx<{ id: string }[]>`select id from public.declarations where provider_id = ${ORG.ZP1001}`;
  await step(tx, 'ash', 'declare_achievements', [declaration!.id]);
  return { val: await viewOnlyPerson(tx) };
}

/** What `who` reads of each table and view, as the ODS codes of the organisations the rows belong to. */
async function reads(tx: Tx, who: Who | { sub: string }) {
  // Owners of the rows, computed as the superuser (so each query below reads only the table under test).
  const achievementOwner = new Map((await tx<{ id: string; ods: string }[]>`
    select a.id, o.ods_code as ods from public.achievements a join public.organisations o on o.id = a.provider_id`).map((r) => [r.id, r.ods]));
  const networkOwner = new Map((await tx<{ id: string; ods: string }[]>`
    select n.id, o.ods_code as ods from public.network_achievements n join public.organisations o on o.id = n.pcn_id`).map((r) => [r.id, r.ods]));
  const organisation = new Map((await tx<{ id: string; ods: string }[]>`select id, ods_code as ods from public.organisations`).map((r) => [r.id, r.ods]));
  const owners = (ids: string[], map: Map<string, string>) => [...new Set(ids.map((id) => map.get(id) ?? id))].sort();
  return asOk(tx, who, async (sp) => {
    const ids = async (query: string) => (await sp.unsafe<{ id: string }[]>(query)).map((r) => r.id);
    return {
      achievements: owners(await ids('select id from public.achievements'), achievementOwner),
      achievement_values: owners(await ids('select achievement_id as id from public.achievement_values'), achievementOwner),
      achievement_group_values: owners(await ids('select achievement_id as id from public.achievement_group_values'), achievementOwner),
      achievement_submissions: owners(await ids('select achievement_id as id from public.achievement_submissions'), achievementOwner),
      achievement_results: owners(await ids('select achievement_id as id from public.achievement_results'), achievementOwner),
      declarations: owners(await ids('select provider_id as id from public.declarations'), organisation),
      list_sizes: owners(await ids('select organisation_id as id from public.list_sizes'), organisation),
      network_achievements: owners(await ids('select id from public.network_achievements'), networkOwner),
      network_achievement_values: owners(await ids('select network_achievement_id as id from public.network_achievement_values'), networkOwner),
      network_achievement_overview: owners(await ids('select pcn_id as id from public.network_achievement_overview'), organisation),
      achievements_awaiting_network: owners(await ids('select provider_id as id from public.achievements_awaiting_network'), organisation),
    };
  });
}

const NOTHING = {
  achievements: [], achievement_values: [], achievement_group_values: [], achievement_submissions: [], achievement_results: [],
  declarations: [], list_sizes: [], network_achievements: [], network_achievement_values: [], network_achievement_overview: [],
  achievements_awaiting_network: [],
};
const PRACTICE = {
  ...NOTHING,
  achievements: ['ZP1001'], achievement_values: ['ZP1001'], achievement_group_values: ['ZP1001'], achievement_submissions: ['ZP1001'],
  achievement_results: ['ZP1001'], declarations: ['ZP1001'], list_sizes: ['ZP1001'],
};
const ALL = ['ZP1001', 'ZP1002', 'ZP1004'];
const COMMISSIONER = {
  achievements: ALL, achievement_values: ALL, achievement_group_values: ['ZP1001'], achievement_submissions: ALL, achievement_results: ALL,
  declarations: ALL, list_sizes: ALL, network_achievements: ['ZU101', 'ZU102'], network_achievement_values: ['ZU101', 'ZU102'],
  network_achievement_overview: ['ZU101', 'ZU102'], achievements_awaiting_network: ['ZP1004'],
};

describe('who reads achievement', () => {
  it('each persona reads exactly its reach, table by table', () =>
    achievementTx(async (tx) => {
      const { val } = await northshire(tx);
      // The data is all there (as the superuser).
      expect(await tx`select count(*)::int as n from public.achievement_group_values`).toEqual([{ n: 1 }]);
      expect(await tx`select count(*)::int as n from public.network_achievement_values`).toEqual([{ n: 2 }]);

      expect(await reads(tx, 'pat')).toEqual(PRACTICE);
      expect(await reads(tx, 'ash')).toEqual(PRACTICE);
      // View reads the values but no money: no results, no declarations.
      expect(await reads(tx, val)).toEqual({ ...PRACTICE, achievement_results: [], declarations: [] });
      expect(await reads(tx, 'jordan')).toEqual(COMMISSIONER);
      expect(await reads(tx, 'morgan')).toEqual(COMMISSIONER);
      expect(await reads(tx, 'chris')).toEqual(COMMISSIONER);
      // Casey holds Approver Tier 1 only (clustered to ZP1001 + ZP1002): no achievement role, so no achievement;
      // list sizes follow organisation reach, which the cluster limits.
      expect(await reads(tx, 'casey')).toEqual({ ...NOTHING, list_sizes: ['ZP1001', 'ZP1002'] });
      expect(await reads(tx, 'robin')).toEqual(NOTHING);
      expect(await reads(tx, 'lee')).toEqual({
        ...NOTHING, network_achievements: ['ZU101'], network_achievement_values: ['ZU101'], network_achievement_overview: ['ZU101'],
      });
    }));

  it('Lee reads Riverside PCN\'s aggregate but none of its practices\' own figures', () =>
    achievementTx(async (tx) => {
      await northshire(tx);
      const [aggregate] = await asOk(tx, 'lee', (sp) => sp`
        select v.numerator, v.denominator, v.reporting_practices from public.network_achievement_values v`);
      expect(aggregate).toEqual({ numerator: 178, denominator: 200, reporting_practices: 2 });
      expect(await asOk(tx, 'lee', (sp) => sp`select * from public.achievement_values`)).toEqual([]);
    }));

  it('anon reads none of it', () =>
    achievementTx(async (tx) => {
      await northshire(tx);
      for (const table of [
        'achievements', 'achievement_values', 'achievement_group_values', 'achievement_submissions', 'achievement_results', 'declarations',
        'list_sizes', 'network_achievements', 'network_achievement_values', 'network_achievement_overview', 'achievements_awaiting_network',
      ]) {
        const outcome = await as(tx, 'anon', (sp) => sp.unsafe(`select 1 from public.${table}`));
        expect(outcome.ok ? 'read' : outcome.error.code, table).toBe('42501');
      }
    }));
});

describe('nobody writes achievement directly', () => {
  const tables: Array<[string, string, string]> = [
    // table, an insert, an update
    ['achievements', `insert into public.achievements (provider_id, service_id, achievement_date, commissioner_id) values ('${ORG.ZP1003}', '${DES}', '${DATES.q2}', '${ORG.ZN1}')`, 'update public.achievements set payment = 0'],
    ['achievement_values', `insert into public.achievement_values (achievement_id, indicator_id) select id, '${GROUP.caip}' from public.achievements limit 1`, 'update public.achievement_values set numerator = 100'],
    ['achievement_group_values', `insert into public.achievement_group_values (achievement_id, group_id) select id, '${GROUP.caip}' from public.achievements limit 1`, 'update public.achievement_group_values set value = 1'],
    ['achievement_submissions', `insert into public.achievement_submissions (achievement_id, version, source, submitted_values) select id, 9, 'manual', '{}' from public.achievements limit 1`, "update public.achievement_submissions set notes = 'x'"],
    ['achievement_results', `insert into public.achievement_results (achievement_id, indicator_id, payment_basis, network, max_points, payment_rate, list_size_adjustment, points, payment_exact) select id, '${GROUP.caip}', 'per_point', false, 1, 1, 1, 1, 1 from public.achievements limit 1`, 'update public.achievement_results set payment_exact = 1000000'],
    ['declarations', `insert into public.declarations (achievement_id, provider_id, service_id, achievement_date, commissioner_id, status) select id, provider_id, service_id, achievement_date, commissioner_id, 'approved_for_payment' from public.achievements limit 1`, "update public.declarations set status = 'approved_for_payment'"],
    ['list_sizes', `insert into public.list_sizes (organisation_id, effective_from, list_size) values ('${ORG.ZP1001}', '2025-08-01', 99999)`, 'update public.list_sizes set list_size = 99999'],
    ['network_achievements', `insert into public.network_achievements (pcn_id, service_id, achievement_date, commissioner_id) values ('${ORG.ZU103}', '${DES}', '${DATES.q2}', '${ORG.ZN1}')`, "update public.network_achievements set status = 'submitted', submitted_at = now()"],
    ['network_achievement_values', `insert into public.network_achievement_values (network_achievement_id, indicator_id) select id, '${GROUP.caip}' from public.network_achievements limit 1`, 'update public.network_achievement_values set numerator = 1'],
  ];

  it('insert, update and delete are refused to authenticated on every table, whoever it is', () =>
    achievementTx(async (tx) => {
      await northshire(tx);
      for (const who of ['pat', 'ash', 'chris', 'jordan', 'morgan', 'lee'] as const) {
        for (const [table, insert, update] of tables) {
          for (const statement of [insert, update, `delete from public.${table}`]) {
            const outcome = await as(tx, who, (sp) => sp.unsafe(statement));
            expect(outcome.ok ? 'written' : `${outcome.error.code} ${outcome.error.message}`, `${who}: ${statement}`).toBe(
              `42501 permission denied for table ${table}`,
            );
          }
        }
      }
    }));

  it('the views refuse writes too', () =>
    achievementTx(async (tx) => {
      await northshire(tx);
      for (const view of ['network_achievement_overview', 'achievements_awaiting_network']) {
        for (const statement of [`delete from public.${view}`, `update public.${view} set achievement_date = achievement_date`]) {
          const outcome = await as(tx, 'chris', (sp) => sp.unsafe(statement));
          expect(outcome.ok ? 'written' : `${outcome.error.code} ${outcome.error.message}`).toBe(`42501 permission denied for view ${view}`);
        }
      }
    }));

  it('even the table owner writes only through the actions (the write guard)', () =>
    achievementTx(async (tx) => {
      await northshire(tx);
      const error = await tx.savepoint((sp) => sp`update public.declarations set status = 'approved_for_payment'`).catch((e: { code: string; message: string }) => e);
      expect(error).toMatchObject({ code: '42501', message: 'Declarations change only through the portal\'s achievement and declaration actions.' });
    }));
});
