// Two approvals at once (supabase/migrations/20261208010300_declarations.sql):
// the declarations are locked FOR UPDATE, in id order, before any is tried, so
// two people approving the same declaration at the same moment make exactly one
// transition (the other hears who did it and the new status), and two
// overlapping selections in opposite orders never deadlock.
//
// Two real connections, each its own READ COMMITTED transaction: the
// achievements and declarations are committed for the duration of the test and
// removed afterwards with the notifications they caused (the audit trail is
// append-only: its entries stay, about ids nothing else uses).
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from '../helpers.ts';
import type { Answer } from './declaration-fixtures.ts';
import { asOk, DATES, DES, ORG, PERSON, type Tx } from './fixtures.ts';

const first = connect(undefined, { max: 1 });
const second = connect(undefined, { max: 1 });
const setup = connect(undefined, { max: 1 });

const made: string[] = [];

/**
 * A committed achievement (not calculated) of a provider and date that have none yet, with a declaration
 * awaiting the commissioner's approval, written directly (the action functions are tested elsewhere).
 */
async function declarationAwaitingApproval(tx: Tx, payment: string): Promise<string> {
  await tx`select set_config('app.action', 'test', true)`;
  const [free] = await tx<{ provider_id: string; achievement_date: string }[]>`
    select p.id as provider_id, d.achievement_date::text
    from unnest(${[ORG.ZP1001, ORG.ZP1002, ORG.ZP1003, ORG.ZP1004, ORG.ZP1005]}::uuid[]) with ordinality p (id, n)
    cross join unnest(${[DATES.q4, DATES.q3, DATES.q2, DATES.q1]}::date[]) with ordinality d (achievement_date, m)
    where not exists (select 1 from public.achievements a where a.provider_id = p.id and a.service_id = ${DES} and a.achievement_date = d.achievement_date)
    order by d.m, p.n
    limit 1`;
  if (!free) throw new Error('no provider and date without achievement left for the concurrency test');
  const [achievement] = await tx<{ id: string }[]>`
    insert into public.achievements (provider_id, service_id, achievement_date, commissioner_id)
    values (${free.provider_id}, ${DES}, ${free.achievement_date}, ${ORG.ZN1}) returning id`;
  made.push(achievement!.id);
  const [declaration] = await tx<{ id: string }[]>`
    insert into public.declarations (achievement_id, provider_id, service_id, achievement_date, commissioner_id, status, points, payment,
      declared_at, declared_by)
    values (${achievement!.id}, ${free.provider_id}, ${DES}, ${free.achievement_date}, ${ORG.ZN1}, 'awaiting_commissioner_approval',
      100, ${payment}, now(), ${PERSON.ash}) returning id`;
  await tx`select set_config('app.action', '', true)`;
  return declaration!.id;
}

afterEach(async () => {
  const achievements = made.splice(0);
  if (achievements.length === 0) return;
  await setup.begin(async (tx) => {
    const declarations = (await tx<{ id: string }[]>`select id from public.declarations where achievement_id = any (${achievements}::uuid[])`).map((r) => r.id);
    await tx`delete from public.notifications where subject_type = 'declaration' and subject_id = any (${declarations}::uuid[])`;
    await tx`delete from public.notifications where link = any (${declarations.map((id) => `/declaration-management/${id}`)}::text[])`;
    await tx`select set_config('app.action', 'test', true)`;
    await tx`delete from public.achievements where id = any (${achievements}::uuid[])`;
  });
});

const approveAs = (sql: typeof first, ids: string[]) =>
  sql.begin((tx) => asOk(tx as Tx, 'jordan', async (sp) => (await sp<{ r: Answer[] }[]>`select public.approve_declarations(${ids}::uuid[]) as r`)[0]!.r));

describe('approvals at the same moment', () => {
  it('two approvals of one declaration: exactly one succeeds, the other reports the new status and who approved it', async () => {
    const id = await setup.begin((tx) => declarationAwaitingApproval(tx as Tx, '1234.56'));
    const [a, b] = await Promise.all([approveAs(first, [id]), approveAs(second, [id])]);
    const answers = [...a, ...b];
    expect(answers.map((x) => x.ok).sort()).toEqual([false, true]);
    const loser = answers.find((x) => !x.ok)!;
    expect(loser).toMatchObject({ declaration_id: id, status: 'awaiting_finance_approval', code: 'PT409' });
    expect(loser.message).toMatch(/is awaiting finance approval: approved by Jordan Tier-Two at \d\d\/\d\d\/\d{4} \d\d:\d\d\.$/);

    const [row] = await setup`select status, commissioner_approved_by from public.declarations where id = ${id}`;
    expect(row).toEqual({ status: 'awaiting_finance_approval', commissioner_approved_by: PERSON.jordan });
    expect(await setup`select count(*)::int as n from public.audit_log where entity_type = 'declaration' and entity_id = ${id} and action = 'declaration.approve'`)
      .toEqual([{ n: 1 }]);
    // One Finance task for Morgan, not two.
    expect(await setup`select recipient_id from public.notifications where kind = 'declaration_awaiting_finance' and subject_id = ${id}`)
      .toEqual([{ recipient_id: PERSON.morgan }]);
  });

  it('two overlapping selections in opposite orders: no deadlock, each declaration approved once', async () => {
    const x = await setup.begin((tx) => declarationAwaitingApproval(tx as Tx, '100.00'));
    const y = await setup.begin((tx) => declarationAwaitingApproval(tx as Tx, '200.00'));
    const [a, b] = await Promise.all([approveAs(first, [x, y]), approveAs(second, [y, x])]);
    const answers = [...a, ...b];
    expect(answers).toHaveLength(4);
    for (const id of [x, y]) {
      const about = answers.filter((answer) => answer.declaration_id === id);
      expect(about.map((answer) => answer.ok).sort(), id).toEqual([false, true]);
    }
    // All of one selection went through first: the locks were taken together, before either was tried.
    expect([a.every((answer) => answer.ok), b.every((answer) => answer.ok)].sort()).toEqual([false, true]);
    expect(await setup`select status::text, count(*)::int as n from public.declarations where id in (${x}, ${y}) group by status`)
      .toEqual([{ status: 'awaiting_finance_approval', n: 2 }]);
  });
});
