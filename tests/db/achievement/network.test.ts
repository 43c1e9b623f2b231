// PCN network achievement and the declarations waiting for it
// (supabase/migrations/20261208010300_declarations.sql): practices of
// Riverside PCN (ZU101) wait in awaiting_network_achievement until Lee Lead
// (Declaration Management at ZU101, its nominated person) submits the PCN's
// network achievement, then move on by themselves; a practice with a gap in its
// PCN relationships is stuck with the cause the database finds, and adding the
// missing relationship fixes it; the commissioner's list, the overview and the
// reminder.
import { describe, expect, it } from 'vitest';
import {
  achievementDigest,
  achievementTx,
  asError,
  asOk,
  DATES,
  DES,
  direct,
  enter,
  expectAchievementRefused,
  grantRoles,
  listSizes,
  networkFor,
  ORG,
  PERSON,
  runRecalculation,
  values,
  type Tx,
  type Who,
} from './fixtures.ts';
import { audit, declarationFor, messages, step } from './declaration-fixtures.ts';

type Network = { id: string; status: string; submitted_by: string | null; member_practices: number; reporting_practices: number; notes: string | null };

async function submitNetwork(tx: Tx, who: Who, pcn: string, date: string, notes: string | null = null): Promise<Network> {
  const [row] = await asOk(tx, who, (sp) => sp<Network[]>`select * from public.submit_network_achievement(${pcn}, ${DES}, ${date}, ${notes})`);
  return row!;
}

type Waiting = {
  declaration_id: string;
  provider_ods_code: string;
  cause: string;
  pcn_ods_code: string | null;
  network_status: string | null;
  nominated_people: number | null;
  fix: string;
};
async function waiting(tx: Tx, who: Who): Promise<Waiting[]> {
  return asOk(tx, who, (sp) => sp<Waiting[]>`
    select declaration_id, provider_ods_code, cause, pcn_ods_code, network_status, nominated_people, fix
    from public.achievements_awaiting_network order by provider_ods_code`);
}

/** ZP1001 (Pat) and ZP1002 (Chris for the practice) on 30/09/2025: ACC-08 88/100 and 90/100; list sizes 10,000 and 8,000. */
async function riversideWaits(tx: Tx) {
  await listSizes(tx, [
    { ods_code: 'ZP1001', effective_from: '2025-04-01', list_size: 10000 },
    { ods_code: 'ZP1002', effective_from: '2025-04-01', list_size: 8000 },
    { ods_code: 'ZP1005', effective_from: '2025-04-01', list_size: 10000 },
  ]);
  const first = await enter(tx, 'pat', ORG.ZP1001, DATES.q2, values([88, 100], 50));
  const second = await enter(tx, 'chris', ORG.ZP1002, DATES.q2, values([90, 100], 20));
  return { first, second };
}

describe('practices wait for their PCN\'s network achievement', () => {
  it('waits in awaiting_network_achievement until Lee submits Riverside PCN\'s network achievement, then moves on by itself', () =>
    achievementTx(async (tx) => {
      const { first } = await riversideWaits(tx);
      expect(first.result).toMatchObject({ declaration_status: 'awaiting_network_achievement' });
      const zp1001 = (await declarationFor(tx, ORG.ZP1001, DATES.q2))!;
      const zp1002 = (await declarationFor(tx, ORG.ZP1002, DATES.q2))!;
      // ACC-08 scores nothing yet: 100 CAIP points × £198.00 + VI-01 50 × £10.06.
      expect(zp1001).toMatchObject({ status: 'awaiting_network_achievement', points: '100.0000', payment: '20303.00' });
      expect(zp1002.status).toBe('awaiting_network_achievement');
      const network = (await networkFor(tx, ORG.ZU101, DATES.q2))!;
      expect(network).toMatchObject({ status: 'not_submitted', member_practices: 3, reporting_practices: 2 });

      // Lee has ONE task for the network achievement (two practices wait), linked to the Network achievement page.
      const tasks = await tx<{ recipient_id: string; link: string; subject_type: string; done: boolean }[]>`
        select recipient_id, link, subject_type, done_at is not null as done from public.notifications
        where kind = 'network_achievement_awaited' and subject_id = ${network.id}`;
      expect(tasks).toEqual([{ recipient_id: PERSON.lee, link: `/network-achievement/${network.id}`, subject_type: 'network_achievement', done: false }]);

      // Lee's overview: one nominated person (the page warns below two), two practices waiting.
      const overview = await asOk(tx, 'lee', (sp) => sp`
        select pcn_ods_code, service_name, achievement_date::text, is_payment_date, status, member_practices, reporting_practices,
               nominated_people, waiting_practices from public.network_achievement_overview`);
      expect(overview).toEqual([{
        pcn_ods_code: 'ZU101', service_name: 'Network Contract DES 2025/26', achievement_date: DATES.q2, is_payment_date: true,
        status: 'not_submitted', member_practices: 3, reporting_practices: 2, nominated_people: 1, waiting_practices: 2,
      }]);

      // Chris sees why they wait, and the fix.
      expect(await waiting(tx, 'chris')).toEqual([
        expect.objectContaining({ provider_ods_code: 'ZP1001', cause: 'network_achievement_not_submitted', pcn_ods_code: 'ZU101',
          network_status: 'not_submitted', nominated_people: 1,
          fix: 'Riverside PCN (ZU101) has not submitted its network achievement for 30/09/2025. Remind the PCN\'s nominated people to submit it.' }),
        expect.objectContaining({ provider_ods_code: 'ZP1002', cause: 'network_achievement_not_submitted' }),
      ]);
      // Nothing to declare yet.
      expect((await step(tx, 'ash', 'declare_achievements', [zp1001.id]))[0]).toMatchObject({ ok: false, code: 'PT409', status: 'awaiting_network_achievement' });

      // Pat may not submit the PCN's network achievement; Lee does.
      await expectAchievementRefused(tx, 'pat', '42501',
        (sp) => sp`select public.submit_network_achievement(${ORG.ZU101}, ${DES}, ${DATES.q2})`,
        /^Only the nominated people of Riverside PCN \(ZU101\) \(Declaration Management at the PCN\) submit its network achievement\.$/);
      const submitted = await submitNetwork(tx, 'lee', ORG.ZU101, DATES.q2, 'All three practices checked.');
      expect(submitted).toMatchObject({ status: 'submitted', submitted_by: PERSON.lee, notes: 'All three practices checked.', reporting_practices: 2 });

      // Both practices moved on in the same transaction: ACC-08 scores on the PCN's 178/200 = 89 % → 71 × 4/5 = 56.8 points.
      expect(await declarationFor(tx, ORG.ZP1001, DATES.q2)).toMatchObject({ status: 'awaiting_provider_declaration', points: '156.8000', payment: '31549.40' });
      // Bridge Street: 156.8 × £198.00 × 8,000/10,000 = £24,837.12, plus 20 × £10.06.
      expect(await declarationFor(tx, ORG.ZP1002, DATES.q2)).toMatchObject({ status: 'awaiting_provider_declaration', payment: '25038.32' });
      expect(await audit(tx, zp1001.id)).toEqual([
        'declaration.create -→awaiting_network_achievement',
        'declaration.network_achieved awaiting_network_achievement→awaiting_provider_declaration',
      ]);
      // Lee's task is done; Ash's declaration task is open.
      expect(await tx`select done_at is not null as done from public.notifications where kind = 'network_achievement_awaited' and subject_id = ${network.id}`)
        .toEqual([{ done: true }]);
      expect(await messages(tx, 'declaration_awaiting', zp1001.id)).toEqual(['Ash Approver:open']);
      expect(await waiting(tx, 'chris')).toEqual([]);
      const [audited] = await tx`select action, actor_id, reason from public.audit_log where entity_type = 'network_achievement' and entity_id = ${network.id}`;
      expect(audited).toEqual({ action: 'network_achievement.submit', actor_id: PERSON.lee, reason: 'All three practices checked.' });

      // Ash declares now.
      expect((await step(tx, 'ash', 'declare_achievements', [zp1001.id]))[0]).toMatchObject({ ok: true, status: 'awaiting_commissioner_approval' });

      // Submitting again is refused, naming who did it.
      await expectAchievementRefused(tx, 'lee', 'PT409',
        (sp) => sp`select public.submit_network_achievement(${ORG.ZU101}, ${DES}, ${DATES.q2})`,
        /^Riverside PCN \(ZU101\)'s network achievement for Network Contract DES 2025\/26 on 30\/09\/2025 was already submitted by Lee Lead at \d\d\/\d\d\/\d{4} \d\d:\d\d\.$/);
    }));

  it('refuses a network achievement with nothing to submit, a date that is not the service\'s and an organisation that is not a PCN, changing nothing', () =>
    achievementTx(async (tx) => {
      await riversideWaits(tx);
      await expectAchievementRefused(tx, 'lee', 'PT409',
        (sp) => sp`select public.submit_network_achievement(${ORG.ZU101}, ${DES}, ${DATES.q4})`,
        /^None of the 3 practices of Riverside PCN \(ZU101\) on 31\/03\/2026 has submitted achievement data for Network Contract DES 2025\/26 yet: there is nothing to submit\.$/);
      await expectAchievementRefused(tx, 'lee', '22023',
        (sp) => sp`select public.submit_network_achievement(${ORG.ZU101}, ${DES}, ${'2025-08-31'})`,
        /^31\/08\/2025 is not an achievement date of Network Contract DES 2025\/26\.$/);
      await expectAchievementRefused(tx, 'lee', '22023',
        (sp) => sp`select public.submit_network_achievement(${ORG.ZP1001}, ${DES}, ${DATES.q2})`,
        /is a practice, not a PCN/);
      await expectAchievementRefused(tx, 'lee', '42501',
        (sp) => sp`select public.submit_network_achievement(${ORG.ZU102}, ${DES}, ${DATES.q2})`,
        /^Only the nominated people of Hillside PCN \(ZU102\)/);
    }));

  it('the commissioner reminds the nominated people; others may not; none once submitted', () =>
    achievementTx(async (tx) => {
      await riversideWaits(tx);
      // Two nominated people now: no warning.
      await grantRoles(tx, 'ash', ORG.ZU101, ['declaration_management']);
      const [overview] = await asOk(tx, 'lee', (sp) => sp`select nominated_people from public.network_achievement_overview`);
      expect(overview).toEqual({ nominated_people: 2 });

      const [reminded] = await asOk(tx, 'chris', (sp) => sp<{ n: number }[]>`select public.remind_network_declarers(${ORG.ZU101}, ${DES}, ${DATES.q2}) as n`);
      expect(reminded!.n).toBe(2);
      const reminders = await tx<{ recipient_id: string; subject: string; body: string }[]>`
        select recipient_id, subject, body from public.notifications where kind = 'network_achievement_awaited' and subject like 'Reminder:%' order by recipient_id`;
      expect(reminders.map((r) => r.recipient_id)).toEqual([PERSON.ash, PERSON.lee]);
      expect(reminders[0]!.subject).toBe('Reminder: network achievement for Riverside PCN (ZU101), 30/09/2025');
      expect(reminders[0]!.body).toContain('Chris Commissioner reminds you to submit Riverside PCN (ZU101)\'s network achievement');
      expect(reminders[0]!.body).toContain('Waiting: Riverside Medical Centre (ZP1001), Bridge Street Surgery (ZP1002).');

      await expectAchievementRefused(tx, 'pat', '42501', (sp) => sp`select public.remind_network_declarers(${ORG.ZU101}, ${DES}, ${DATES.q2})`);
      await expectAchievementRefused(tx, 'robin', '42501', (sp) => sp`select public.remind_network_declarers(${ORG.ZU101}, ${DES}, ${DATES.q2})`);
      await expectAchievementRefused(tx, 'chris', 'P0002', (sp) => sp`select public.remind_network_declarers(${ORG.ZU103}, ${DES}, ${DATES.q2})`,
        /^Westfield PCN \(ZU103\) has no network achievement for Network Contract DES 2025\/26 on 30\/09\/2025 yet/);
      await submitNetwork(tx, 'lee', ORG.ZU101, DATES.q2);
      await expectAchievementRefused(tx, 'chris', 'PT409', (sp) => sp`select public.remind_network_declarers(${ORG.ZU101}, ${DES}, ${DATES.q2})`,
        /was submitted by Lee Lead at .*: nothing to remind\.$/);
      // Every reminder task is done with the submission.
      expect(await tx`select count(*)::int as open from public.notifications where kind = 'network_achievement_awaited' and done_at is null`).toEqual([{ open: 0 }]);
    }));
});

describe('a practice stuck because its PCN relationship has a gap', () => {
  it('cause no_pcn_relationship; adding the missing relationship, then the recalculation, moves it on', () =>
    achievementTx(async (tx) => {
      await riversideWaits(tx);
      await submitNetwork(tx, 'lee', ORG.ZU101, DATES.q2);
      // Westfield Health Centre (ZP1005) left Westfield PCN on 30/06/2025 and joined no other.
      await direct(tx, () => tx`update public.pcn_memberships set valid_to = '2025-06-30' where practice_id = ${ORG.ZP1005}`);
      await enter(tx, 'chris', ORG.ZP1005, DATES.q2, values([80, 100], 10));
      const stuck = (await declarationFor(tx, ORG.ZP1005, DATES.q2))!;
      expect(stuck.status).toBe('awaiting_network_achievement');
      // Nobody to tell at a PCN: no task of that kind is queued for it.
      expect(await tx`select count(*)::int as n from public.notifications where kind = 'network_achievement_awaited' and done_at is null`).toEqual([{ n: 0 }]);
      expect(await waiting(tx, 'chris')).toEqual([{
        declaration_id: stuck.id, provider_ods_code: 'ZP1005', cause: 'no_pcn_relationship', pcn_ods_code: null, network_status: null,
        nominated_people: null,
        fix: 'Westfield Health Centre (ZP1005) has no PCN relationship on 30/09/2025. Its relationship with Westfield PCN (ZU103) ended on 30/06/2025. Open the practice\'s PCN relationships and add the missing one; the achievement is recalculated and moves on once that PCN\'s network achievement is submitted.',
      }]);

      // Alex (Organisation Administrator of the ICB) adds the missing relationship: Riverside PCN from 1 July.
      await asOk(tx, 'alex', (sp) => sp`select public.add_pcn_membership(${ORG.ZP1005}, ${ORG.ZU101}, ${'2025-07-01'})`);
      // Until the recalculation has run, the list says so.
      expect(await waiting(tx, 'chris')).toEqual([expect.objectContaining({
        provider_ods_code: 'ZP1005', cause: 'recalculation_pending', pcn_ods_code: 'ZU101', network_status: 'submitted',
        fix: 'Riverside PCN (ZU101) submitted its network achievement for 30/09/2025; this achievement moves on at the next recalculation.',
      })]);

      await runRecalculation(tx);
      // ZP1005 scores on Riverside's aggregate, which now counts it: (88 + 90 + 80) / 300 = 86 % → 71 × 1/5 = 14.2 points.
      expect(await declarationFor(tx, ORG.ZP1005, DATES.q2)).toMatchObject({ status: 'awaiting_provider_declaration', points: '114.2000' });
      expect(await waiting(tx, 'chris')).toEqual([]);
      // The other members follow the new aggregate (their figures, not yet declared, are kept current).
      expect(await declarationFor(tx, ORG.ZP1001, DATES.q2)).toMatchObject({ status: 'awaiting_provider_declaration', points: '114.2000' });
      expect(await audit(tx, stuck.id)).toEqual([
        'declaration.create -→awaiting_network_achievement',
        'declaration.network_achieved awaiting_network_achievement→awaiting_provider_declaration',
      ]);
    }));

  it('a declared achievement whose PCN relationship disappears waits for the network again (sent back)', () =>
    achievementTx(async (tx) => {
      await riversideWaits(tx);
      await submitNetwork(tx, 'lee', ORG.ZU101, DATES.q2);
      const { id } = (await declarationFor(tx, ORG.ZP1001, DATES.q2))!;
      await step(tx, 'ash', 'declare_achievements', [id]);
      const before = await achievementDigest(tx);
      // The PCN history is corrected: Riverside Medical Centre's relationship ended on 30/06/2025.
      await direct(tx, () => tx`update public.pcn_memberships set valid_to = '2025-06-30' where practice_id = ${ORG.ZP1001}`);
      expect(await achievementDigest(tx)).not.toBe(before); // flagged
      await runRecalculation(tx);
      const back = (await declarationFor(tx, ORG.ZP1001, DATES.q2))!;
      expect(back).toMatchObject({
        status: 'awaiting_network_achievement', declared_by: null,
        sent_back_reason: 'A network indicator waits for the PCN\'s network achievement again: declare once it is submitted.',
      });
      expect((await audit(tx, id)).at(-1)).toBe('declaration.await_network awaiting_commissioner_approval→awaiting_network_achievement');
      expect(await messages(tx, 'declaration_awaiting_approval', id)).toEqual(['Jordan Tier-Two:done']);
      expect((await waiting(tx, 'chris')).map((w) => [w.provider_ods_code, w.cause])).toEqual([['ZP1001', 'no_pcn_relationship']]);
    }));
});

describe('who reads the network achievement lists', () => {
  it('Lee reads ZU101\'s only; Chris all of Northshire\'s; Robin, Casey and Pat none of the PCN\'s; the waiting list follows the declarations\' reach', () =>
    achievementTx(async (tx) => {
      await riversideWaits(tx);
      await enter(tx, 'chris', ORG.ZP1004, DATES.q2, values([88, 100], 10)); // Hill Top: Hillside PCN (ZU102)
      const pcns = (who: Who) => asOk(tx, who, async (sp) => (await sp<{ pcn_ods_code: string }[]>`
        select pcn_ods_code from public.network_achievement_overview order by 1`).map((r) => r.pcn_ods_code));
      expect(await pcns('lee')).toEqual(['ZU101']);
      expect(await pcns('chris')).toEqual(['ZU101', 'ZU102']);
      expect(await pcns('jordan')).toEqual(['ZU101', 'ZU102']);
      expect(await pcns('robin')).toEqual([]);
      expect(await pcns('casey')).toEqual([]);
      expect(await pcns('pat')).toEqual([]);
      const stuck = (who: Who) => asOk(tx, who, async (sp) => (await sp<{ provider_ods_code: string }[]>`
        select provider_ods_code from public.achievements_awaiting_network order by 1`).map((r) => r.provider_ods_code));
      expect(await stuck('chris')).toEqual(['ZP1001', 'ZP1002', 'ZP1004']);
      expect(await stuck('morgan')).toEqual(['ZP1001', 'ZP1002', 'ZP1004']);
      expect(await stuck('ash')).toEqual(['ZP1001']);
      expect(await stuck('lee')).toEqual([]);
      expect(await stuck('robin')).toEqual([]);
      // Writing to the views is refused.
      const error = await asError(tx, 'chris', (sp) => sp`delete from public.achievements_awaiting_network`);
      expect(error.code).toBe('42501');
    }));
});
