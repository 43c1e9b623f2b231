// The seed's declarations (supabase/seed.sql, "declarations (issue 14)"): one in
// every status, their open tasks, and the demo journeys working on them in a
// rolled-back transaction — Lee submits Riverside PCN's network achievement and
// its practices move on (Ash declares Riverside; Bridge Street is refused for its
// missing IIF data), Jordan approves Hill Top's 31/03/2026, Morgan approves Hill
// Top's 30/09/2025 for payment, and Orchard Surgery stays stuck for want of a PCN
// until its relationship is added.
import { describe, expect, it } from 'vitest';
import { step } from './declaration-fixtures.ts';
import { asOk, DES, inTx, ORG, PERSON, runRecalculation, type Tx } from './fixtures.ts';

const ZP1006 = '0a000000-0000-4000-8000-000000001006';

async function statuses(tx: Tx): Promise<string[]> {
  const rows = await tx<{ ods: string; date: string; status: string }[]>`
    select o.ods_code as ods, to_char(d.achievement_date, 'DD/MM/YYYY') as date, d.status::text as status
    from public.declarations d join public.organisations o on o.id = d.provider_id
    where d.service_id = ${DES} order by d.achievement_date, o.ods_code`;
  return rows.map((r) => `${r.ods} ${r.date} ${r.status}`);
}

async function declarationId(tx: Tx, provider: string, date: string): Promise<string> {
  const [row] = await tx<{ id: string }[]>`select id from public.declarations where provider_id = ${provider} and service_id = ${DES} and achievement_date = ${date}`;
  return row!.id;
}

/** Open tasks of the declaration kinds: "person: kind subject". */
async function openTasks(tx: Tx): Promise<string[]> {
  const rows = await tx<{ who: string; kind: string; subject: string }[]>`
    select p.full_name as who, n.kind::text as kind, n.subject from public.notifications n join public.profiles p on p.id = n.recipient_id
    where n.done_at is null and n.kind in ('declaration_awaiting', 'declaration_awaiting_approval', 'declaration_awaiting_finance', 'network_achievement_awaited')
    order by 1, 2, 3`;
  return rows.map((r) => `${r.who}: ${r.subject}`);
}

describe('the seed\'s declarations', () => {
  it('one in every status, with the open tasks of each', () =>
    inTx(async (tx) => {
      expect(await statuses(tx)).toEqual([
        'ZP1001 30/09/2025 awaiting_network_achievement',
        'ZP1002 30/09/2025 awaiting_network_achievement',
        'ZP1003 30/09/2025 awaiting_network_achievement',
        'ZP1004 30/09/2025 awaiting_finance_approval',
        'ZP1005 30/09/2025 approved_for_payment',
        'ZP1006 30/09/2025 awaiting_network_achievement',
        'ZP1004 31/03/2026 awaiting_commissioner_approval',
        'ZP1005 31/03/2026 awaiting_provider_declaration',
      ]);
      expect(await openTasks(tx)).toEqual([
        'Jordan Tier-Two: Declaration to approve: Hill Top Surgery (ZP1004), 31/03/2026',
        'Lee Lead: Network achievement awaited: Riverside PCN (ZU101), 30/09/2025',
        'Morgan Finance: Declaration to approve for payment: Hill Top Surgery (ZP1004), 30/09/2025',
      ]);
      // Riverside PCN's network achievement for 30/09/2025 is not submitted; Lee is its only nominated person (the page warns).
      const overview = await asOk(tx, 'lee', (sp) => sp`
        select to_char(achievement_date, 'DD/MM/YYYY') as date, status, nominated_people, waiting_practices
        from public.network_achievement_overview order by achievement_date`);
      expect(overview).toEqual(expect.arrayContaining([{ date: '30/09/2025', status: 'not_submitted', nominated_people: 1, waiting_practices: 3 }]));
      // The commissioner's list of stuck achievements, with the causes.
      const stuck = await asOk(tx, 'chris', (sp) => sp<{ provider_ods_code: string; cause: string }[]>`
        select provider_ods_code, cause from public.achievements_awaiting_network order by 1`);
      expect(stuck.map((s) => `${s.provider_ods_code} ${s.cause}`)).toEqual([
        'ZP1001 network_achievement_not_submitted',
        'ZP1002 network_achievement_not_submitted',
        'ZP1003 network_achievement_not_submitted',
        'ZP1006 no_pcn_relationship',
      ]);
      // Westfield's approved declaration: declared by the practice, approved by Jordan, then Morgan.
      const history = await asOk(tx, 'morgan', (sp) => sp<{ action: string; actor: string; to_status: string }[]>`
        select action, actor, to_status from public.declaration_history(${ORG.ZP1005}, ${DES}) where achievement_date = '2025-09-30'`);
      expect(history.map((h) => `${h.action} ${h.actor} ${h.to_status}`)).toEqual([
        'declaration.finance_approve Morgan Finance approved_for_payment',
        'declaration.approve Jordan Tier-Two awaiting_finance_approval',
        'declaration.declare The practice awaiting_commissioner_approval',
        'declaration.create The system awaiting_provider_declaration',
      ]);
      // Every declared payment is its achievement's.
      const [mismatch] = await tx`
        select count(*)::int as n from public.declarations d join public.achievements a on a.id = d.achievement_id
        where (d.points, d.payment) is distinct from (a.points, a.payment)`;
      expect(mismatch).toEqual({ n: 0 });
    }));

  it('Lee submits Riverside PCN\'s network achievement: its practices move on, Ash declares Riverside, Bridge Street is refused for missing data', () =>
    inTx(async (tx) => {
      await asOk(tx, 'lee', (sp) => sp`select public.submit_network_achievement(${ORG.ZU101}, ${DES}, '2025-09-30', 'Checked with the practices.')`);
      expect((await statuses(tx)).slice(0, 3)).toEqual([
        'ZP1001 30/09/2025 awaiting_provider_declaration',
        'ZP1002 30/09/2025 awaiting_provider_declaration',
        'ZP1003 30/09/2025 awaiting_provider_declaration',
      ]);
      expect(await openTasks(tx)).toContain('Ash Approver: Achievement to declare: Riverside Medical Centre (ZP1001), 30/09/2025');
      expect(await openTasks(tx)).not.toContain('Lee Lead: Network achievement awaited: Riverside PCN (ZU101), 30/09/2025');
      const [riverside] = await step(tx, 'ash', 'declare_achievements', [await declarationId(tx, ORG.ZP1001, '2025-09-30')]);
      expect(riverside).toMatchObject({ ok: true, status: 'awaiting_commissioner_approval' });
      // Ash is not Bridge Street's; as its commissioner would see it, its IIF group is 0 of 2.
      const missing = await tx<{ group_code: string; submitted: number; possible: number }[]>`
        select group_code, submitted, possible from public.achievement_missing_data
        where provider_id = ${ORG.ZP1002} and service_id = ${DES} and achievement_date = '2025-09-30' and submitted < possible`;
      expect(missing).toEqual([{ group_code: 'IIF', submitted: 0, possible: 2 }]);
    }));

  it('Jordan approves Hill Top\'s 31/03/2026; Morgan approves Hill Top\'s 30/09/2025 for payment', () =>
    inTx(async (tx) => {
      const [approved] = await step(tx, 'jordan', 'approve_declarations', [await declarationId(tx, ORG.ZP1004, '2026-03-31')]);
      expect(approved).toMatchObject({ ok: true, status: 'awaiting_finance_approval' });
      const [paid] = await step(tx, 'morgan', 'finance_approve_declarations', [await declarationId(tx, ORG.ZP1004, '2025-09-30')]);
      expect(paid).toMatchObject({ ok: true, status: 'approved_for_payment' });
      const [row] = await tx`select finance_approved_by from public.declarations where provider_id = ${ORG.ZP1004} and achievement_date = '2025-09-30'`;
      expect(row).toEqual({ finance_approved_by: PERSON.morgan });
    }));

  it('Orchard Surgery is stuck for want of a PCN on 30/09/2025; Alex adds the missing relationship and, after the recalculation, it waits only for Hillside PCN', () =>
    inTx(async (tx) => {
      await asOk(tx, 'alex', (sp) => sp`select public.add_pcn_membership(${ZP1006}, ${ORG.ZU102}, '2025-09-01')`);
      await runRecalculation(tx);
      const [orchard] = await tx<{ status: string }[]>`
        select status::text from public.declarations where provider_id = ${ZP1006} and achievement_date = '2025-09-30'`;
      // Hillside PCN (ZU102) submitted its network achievement for 30/09/2025 in the seed: Orchard moves on.
      expect(orchard).toEqual({ status: 'awaiting_provider_declaration' });
      const stuck = await asOk(tx, 'chris', (sp) => sp<{ provider_ods_code: string }[]>`select provider_ods_code from public.achievements_awaiting_network`);
      expect(stuck.map((s) => s.provider_ods_code)).not.toContain('ZP1006');
    }));
});
