// Shared fixtures of the achievement tests (tests/db/achievement): the seed's
// ids for the Network Contract DES 2025/26, a digest of everything the
// achievement actions may change (for "a refused call changes nothing"), and
// helpers that set up achievement through the actions as a persona.
//
// Every test runs in achievementTx: the tenancy fixtures' rolled-back
// REPEATABLE READ transaction, which first puts the DES into a known state
// inside the transaction only: no achievement, network achievement,
// declarations or list sizes (the seed's demo ones are removed), reference
// list size 10,000, ACC-08 a network indicator, approved offers for
// ZP1001–ZP1005. Tests add what they need.
import { expect } from 'vitest';
import { asError, asOk, inTx, ORG, PERSON, stateDigest, type PersonName, type PgError, type Tx, type Who } from '../tenancy/fixtures.ts';

export { as, asError, asOk, column, expectRefused, inTx, ORG, PERSON, stateDigest, type PersonName, type PgError, type Tx, type Who } from '../tenancy/fixtures.ts';

const id = (prefix: string, n: number) => `${prefix}000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Network Contract DES 2025/26 (ZN1, national). */
export const DES = id('1a', 3);
export const GROUP = { caip: id('1e', 1), iif: id('1e', 2) } as const;
/** CAIP01 60 pts, CAIP02 40 pts (per point £198.00, no thresholds); ACC-08 71 pts 85–90 % £198.00 (network); VI-01 per unit £10.06. */
export const IND = { caip01: id('1f', 1), caip02: id('1f', 2), acc08: id('1f', 3), vi01: id('1f', 4) } as const;
export const DATES = { q1: '2025-06-30', q2: '2025-09-30', q3: '2025-12-31', q4: '2026-03-31' } as const;
export const REFERENCE_LIST_SIZE = 10000;

export type Achievement = {
  id: string;
  provider_id: string;
  service_id: string;
  achievement_date: string;
  source: string;
  status: string;
  version: number;
  has_new_values: boolean;
  points: string | null;
  payment: string | null;
  calculated_at: Date | null;
  recalculation_requested_at: Date | null;
  recalculation_reason: string | null;
};
export type SubmitResult = { achievement_id: string; version: number; points: number; payment: number; declaration_status: string | null };
export type Value = { indicator_id: string; numerator?: number | null; denominator?: number | null; count?: number | null };

/** Run a statement with the guard's `app.action` set, as the seed does (superuser only). */
export async function direct<T>(tx: Tx, fn: () => Promise<T>): Promise<T> {
  await tx`select set_config('app.action', 'test', true)`;
  try {
    return await fn();
  } finally {
    await tx`select set_config('app.action', '', true)`;
  }
}

/** The known starting state (see the header), inside the caller's transaction. */
export async function resetAchievement(tx: Tx): Promise<void> {
  await direct(tx, async () => {
    await tx`delete from public.declarations`;
    await tx`delete from public.network_achievements`;
    await tx`delete from public.achievements`;
    await tx`delete from public.list_sizes`;
    await tx`update public.quality_services set reference_list_size = ${REFERENCE_LIST_SIZE} where id = ${DES}`;
    await tx`update public.indicators set network = (id = ${IND.acc08}) where service_id = ${DES}`;
    for (const provider of [ORG.ZP1001, ORG.ZP1002, ORG.ZP1003, ORG.ZP1004, ORG.ZP1005]) await approveOffer(tx, provider);
    // (The catalogue edits above flagged nothing: no achievement is left.)
  });
}

/** An approved DES offer for the provider (added or made approved). */
export async function approveOffer(tx: Tx, provider: string, service = DES): Promise<void> {
  await direct(tx, async () => {
    const [existing] = await tx<{ id: string }[]>`
      select id from public.service_offers where service_id = ${service} and provider_id = ${provider} and status <> 'cancelled'`;
    if (existing) {
      await tx`update public.service_offers set status = 'approved', decided_at = coalesce(decided_at, now()), decision_reason = null
               where id = ${existing.id}`;
    } else {
      await tx`
        insert into public.service_offers (service_id, provider_id, starts_on, ends_on, respond_by, target_date, status, decided_at)
        values (${service}, ${provider}, '2025-04-01', '2026-03-31', '2025-05-31', '2026-03-31', 'approved', now())`;
    }
  });
}

/** A rolled-back transaction starting from resetAchievement's state. */
export async function achievementTx<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await inTx(async (tx) => {
        await resetAchievement(tx);
        return fn(tx);
      });
    } catch (caught) {
      // Another file committed a change this snapshot was removing: start again.
      if ((caught as PgError)?.code === '40001' && attempt < 4) continue;
      throw caught;
    }
  }
}

/** List sizes (as the load does), e.g. { ZP1001: [['2025-04-01', 9800]] }. */
export async function listSizes(tx: Tx, rows: { ods_code: string; effective_from: string; list_size: number }[]): Promise<number> {
  const [row] = await tx<{ n: number }[]>`select public.load_list_sizes(${tx.json(rows)}) as n`;
  return row!.n;
}

export async function start(tx: Tx, who: Who, provider: string, date: string, service = DES): Promise<Achievement> {
  const [row] = await asOk(tx, who, (sp) => sp<Achievement[]>`select * from public.start_achievement(${provider}, ${service}, ${date})`);
  return row!;
}

export async function save(tx: Tx, who: Who, achievementId: string, values: Value[], groupValues: { group_id: string; value: number | null }[] = []): Promise<Achievement> {
  const [row] = await asOk(tx, who, (sp) => sp<Achievement[]>`
    select * from public.save_achievement_values(${achievementId}, ${sp.json(values)}, ${sp.json(groupValues)})`);
  return row!;
}

export async function submit(tx: Tx, who: Who, achievementId: string, notes: string | null = null): Promise<SubmitResult> {
  const [row] = await asOk(tx, who, (sp) => sp<{ r: SubmitResult }[]>`select public.submit_achievement(${achievementId}, ${notes}) as r`);
  return row!.r;
}

/** Start, save and submit in one go. */
export async function enter(tx: Tx, who: Who, provider: string, date: string, values: Value[]): Promise<{ achievement: Achievement; result: SubmitResult }> {
  const started = await start(tx, who, provider, date);
  await save(tx, who, started.id, values);
  const result = await submit(tx, who, started.id);
  return { achievement: (await achievementRow(tx, started.id))!, result };
}

/** Full marks on CAIP (60 + 40 points) and the given ACC-08 / VI-01 figures. */
export function values(acc08: [number, number] | null, vi01: number | null, caip: [number, number] = [100, 100]): Value[] {
  const list: Value[] = [
    { indicator_id: IND.caip01, numerator: caip[0], denominator: caip[1] },
    { indicator_id: IND.caip02, numerator: caip[0], denominator: caip[1] },
  ];
  if (acc08) list.push({ indicator_id: IND.acc08, numerator: acc08[0], denominator: acc08[1] });
  if (vi01 !== null) list.push({ indicator_id: IND.vi01, count: vi01 });
  return list;
}

export async function achievementRow(tx: Tx, achievementId: string): Promise<Achievement | undefined> {
  const [row] = await tx<Achievement[]>`select * from public.achievements where id = ${achievementId}`;
  return row;
}

export async function achievementFor(tx: Tx, provider: string, date: string, service = DES): Promise<Achievement | undefined> {
  const [row] = await tx<Achievement[]>`
    select * from public.achievements where provider_id = ${provider} and service_id = ${service} and achievement_date = ${date}`;
  return row;
}

export type Result = {
  indicator_id: string;
  numerator: number | null;
  denominator: number | null;
  count: number | null;
  pcn_id: string | null;
  list_size: number | null;
  list_size_adjustment: string;
  percentage: string | null;
  points: string;
  payment_exact: string;
  awaiting_network: boolean;
};

export async function results(tx: Tx, achievementId: string): Promise<Record<string, Result>> {
  const rows = await tx<(Result & { code: string })[]>`
    select i.code, r.* from public.achievement_results r join public.indicators i on i.id = r.indicator_id
    where r.achievement_id = ${achievementId}`;
  return Object.fromEntries(rows.map((row) => [row.code, row]));
}

/** The PCN's network achievement (made by the first submission of a member practice). */
export async function networkFor(tx: Tx, pcn: string, date: string, service = DES) {
  const [row] = await tx<{ id: string; status: string; member_practices: number; reporting_practices: number; recalculation_requested_at: Date | null }[]>`
    select * from public.network_achievements where pcn_id = ${pcn} and service_id = ${service} and achievement_date = ${date}`;
  return row;
}

/** Mark a network achievement submitted (DB-B's action does this for real) and recalculate its practices. */
export async function markNetworkSubmitted(tx: Tx, pcn: string, date: string): Promise<void> {
  await direct(tx, () => tx`
    update public.network_achievements set status = 'submitted', submitted_at = now(), recalculation_requested_at = now()
    where pcn_id = ${pcn} and service_id = ${DES} and achievement_date = ${date}`);
  await runRecalculation(tx);
}

/** The recalculation job, as the service role runs it. */
export async function runRecalculation(tx: Tx, limit = 20000): Promise<{ achievements: number; network_achievements: number }> {
  await tx`select set_config('role', 'service_role', true)`;
  try {
    const [row] = await tx<{ r: { achievements: number; network_achievements: number } }[]>`select public.run_achievement_recalculation(${limit}) as r`;
    return row!.r;
  } finally {
    await tx`select set_config('role', 'none', true)`;
  }
}

/** Everything the achievement actions may change, plus the tenancy digest (notifications, audit trail). */
export async function achievementDigest(tx: Tx): Promise<string> {
  const [row] = await tx<{ digest: string }[]>`
    select md5(concat_ws('|',
      (select string_agg(to_jsonb(a)::text, ',' order by a.id) from public.achievements a),
      (select string_agg(to_jsonb(v)::text, ',' order by v.achievement_id, v.indicator_id) from public.achievement_values v),
      (select string_agg(to_jsonb(g)::text, ',' order by g.achievement_id, g.group_id) from public.achievement_group_values g),
      (select string_agg(to_jsonb(s)::text, ',' order by s.id) from public.achievement_submissions s),
      (select string_agg(to_jsonb(r)::text, ',' order by r.achievement_id, r.indicator_id) from public.achievement_results r),
      (select string_agg(to_jsonb(n)::text, ',' order by n.id) from public.network_achievements n),
      (select string_agg(to_jsonb(nv)::text, ',' order by nv.network_achievement_id, nv.indicator_id) from public.network_achievement_values nv),
      (select string_agg(to_jsonb(d)::text, ',' order by d.id) from public.declarations d),
      (select string_agg(to_jsonb(l)::text, ',' order by l.id) from public.list_sizes l)
    )) as digest`;
  return `${row!.digest}:${await stateDigest(tx)}`;
}

/** Call an action as `who`, expect `code` (and message), and that nothing changed. */
export async function expectAchievementRefused(
  tx: Tx,
  who: Who | { sub: string | null },
  code: string,
  call: (sp: Tx) => Promise<unknown>,
  message?: RegExp,
): Promise<PgError> {
  const before = await achievementDigest(tx);
  const error = await asError(tx, who, call);
  expect({ code: error.code, message: error.message }).toMatchObject({ code, ...(message ? { message: expect.stringMatching(message) } : {}) });
  expect(await achievementDigest(tx), `${error.code} ${error.message} left the database changed`).toBe(before);
  return error;
}

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

/** A declaration row for the period (what DB-B's machine would have made), written directly. */
export async function setDeclaration(tx: Tx, provider: string, date: string, status: string): Promise<void> {
  const achievement = await achievementFor(tx, provider, date);
  if (!achievement) throw new Error(`no achievement for ${provider} on ${date}`);
  await direct(tx, () => tx`
    insert into public.declarations (achievement_id, provider_id, service_id, achievement_date, commissioner_id, status, points, payment,
      finance_approved_at)
    values (${achievement.id}, ${provider}, ${DES}, ${date}, ${ORG.ZN1}, ${status}::public.declaration_status, ${achievement.points}, ${achievement.payment},
      ${status === 'approved_for_payment' ? new Date() : null})
    on conflict (achievement_id) do update set status = excluded.status, finance_approved_at = excluded.finance_approved_at`);
}

