// `npm run bench` (fourth part): achievement recalculation at national scale
// (issue 14).
//
// Starts its own fresh stack (temporary data directory, free ports; migrations
// + seed), builds the national-scale organisations and PCN history of
// ./national-scale.ts (6,300 practices, 1,250 PCNs; no people are needed),
// then for the seed's Network Contract DES 2025/26 (four indicators, ACC-08 a
// network indicator; reference list size 10,000):
//   * an approved offer and a list size for every practice;
//   * every practice's achievement on the payment date 30/09/2025 loaded
//     through public.load_achievement_extract (25,200 rows: submitted,
//     network achievements made and aggregated, calculated — timed, shown);
//   * every PCN's network achievement submitted, and the job run once (timed,
//     shown: every practice's declaration moves on from
//     awaiting_network_achievement through the declarations' trigger);
//   * then EVERY achievement and network achievement flagged, and
//     public.run_achievement_recalculation() — the scheduled job — timed:
//     every network achievement re-aggregated, every achievement
//     recalculated (set-based), declarations checked by their trigger.
// Goal: the recalculation under 10 s. The figures are checked against a
// sample recomputed outside the calculation first. Never part of `npm test`.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import postgres from 'postgres';
import { startBenchStack, watchInterrupts } from './harness.ts';
import { organisations, pcnMemberships } from './national-scale.ts';

const DES = '1a000000-0000-4000-8000-000000000003';
const DATE = '2025-09-30';
const GOAL_SECONDS = 10;

const seconds = (since: number) => (performance.now() - since) / 1000;

async function main(): Promise<void> {
  const started = performance.now();
  watchInterrupts();
  const bench = await startBenchStack('commissioning-bench-achievement');
  const { stack } = bench;
  let admin: postgres.Sql | undefined;
  let met = false;
  try {
    admin = postgres(stack.dbUrl, { max: 1, onnotice: () => undefined });
    let t0 = performance.now();
    await admin.begin(async (tx) => {
      await tx`select set_config('app.action', 'bench.achievement', true)`;
      await organisations(tx);
      await pcnMemberships(tx);
      await tx`
        insert into public.service_offers (service_id, provider_id, starts_on, ends_on, respond_by, target_date, status, decided_at)
        select ${DES}, o.id, '2025-04-01', '2026-03-31', '2025-04-30', '2026-03-31', 'approved', now()
        from public.organisations o where o.ods_code like 'QP%'`;
      await tx`
        insert into public.list_sizes (organisation_id, effective_from, list_size)
        select o.id, '2025-04-01', 4000 + (hashtext(o.ods_code) & 8191)
        from public.organisations o where o.ods_code like 'QP%'`;
    });
    await admin`analyze`;
    console.log(`National organisations, PCN history, offers and list sizes: ${seconds(t0).toFixed(1)} s.`);

    // 4 rows per practice, figures varied by practice (some below, between and above ACC-08's 85–90 %).
    const rows = await admin<{ r: unknown }[]>`
      select jsonb_agg(jsonb_build_object('ods_code', o.ods_code, 'service_id', ${DES}::uuid, 'achievement_date', ${DATE}::text,
               'indicator_code', x.code, 'numerator', x.n, 'denominator', x.d, 'count', x.c)) as r
      from public.organisations o
      cross join lateral (select hashtext(o.ods_code) & 1023 as h) h
      cross join lateral (values
        ('CAIP01', 40 + h.h % 61, 100, null::integer),
        ('CAIP02', 20 + h.h % 21, 40, null),
        ('ACC-08', 160 + h.h % 41, 200, null),
        ('VI-01', null, null, 100 + h.h)) as x (code, n, d, c)
      where o.ods_code like 'QP%'`;
    t0 = performance.now();
    const [loaded] = await admin<{ r: { rows: number; achievements: number; changed: number } }[]>`
      select public.load_achievement_extract(${admin.json(rows[0]!.r as never)}) as r`;
    console.log(`Extract load: ${loaded!.r.rows} rows → ${loaded!.r.achievements} achievements submitted and calculated in ${seconds(t0).toFixed(1)} s.`);

    // Every PCN submits its network achievement: the job re-aggregates them and every practice's
    // declaration moves on from awaiting_network_achievement (the declarations' trigger, issue 14 part 3).
    await admin.begin(async (tx) => {
      await tx`select set_config('app.action', 'bench.achievement', true)`;
      await tx`update public.network_achievements set status = 'submitted', submitted_at = now(), recalculation_requested_at = now() where service_id = ${DES}`;
    });
    t0 = performance.now();
    const [first] = await admin<{ r: { achievements: number; network_achievements: number } }[]>`select public.run_achievement_recalculation() as r`;
    console.log(
      `PCNs submitted: ${first!.r.network_achievements} network achievements re-aggregated and ${first!.r.achievements} achievements ` +
        `recalculated, their declarations moved on, in ${seconds(t0).toFixed(2)} s.`,
    );

    // The nightly case: everything flagged (e.g. a catalogue change), recalculated by the job.
    await admin.begin(async (tx) => {
      await tx`select set_config('app.action', 'bench.achievement', true)`;
      await tx`update public.achievements set recalculation_requested_at = now(), recalculation_reason = 'bench' where service_id = ${DES}`;
      await tx`update public.network_achievements set recalculation_requested_at = now() where service_id = ${DES}`;
    });
    await admin`analyze`;
    const [flagged] = await admin<{ a: number; n: number }[]>`
      select (select count(*)::int from public.achievements where recalculation_requested_at is not null and service_id = ${DES}) as a,
             (select count(*)::int from public.network_achievements where recalculation_requested_at is not null and service_id = ${DES}) as n`;

    t0 = performance.now();
    const [run] = await admin<{ r: { achievements: number; network_achievements: number } }[]>`select public.run_achievement_recalculation() as r`;
    const elapsed = seconds(t0);

    // Check a sample against the rules, recomputed here from the stored inputs.
    const [check] = await admin<{ wrong: number; waiting: number; total: string }[]>`
      with r as (
        select r.achievement_id, r.payment_exact,
               case when r.payment_basis = 'per_unit' then r.count * r.payment_rate
                    when r.denominator is null or r.denominator = 0 then 0
                    when 100.0 * r.numerator / r.denominator < r.lower_threshold then 0
                    when 100.0 * r.numerator / r.denominator >= r.upper_threshold then r.max_points * r.payment_rate * r.list_size / r.reference_list_size
                    else r.max_points * (100.0 * r.numerator / r.denominator - r.lower_threshold) / (r.upper_threshold - r.lower_threshold)
                         * r.payment_rate * r.list_size / r.reference_list_size end as expected
        from public.achievement_results r join public.achievements a on a.id = r.achievement_id and a.service_id = ${DES}
      )
      select count(*) filter (where abs(payment_exact - expected) > 0.000001)::int as wrong,
             (select count(*)::int from public.achievement_results x join public.achievements a on a.id = x.achievement_id
              where a.service_id = ${DES} and x.awaiting_network) as waiting,
             (select sum(payment)::text from public.achievements where service_id = ${DES}) as total
      from r`;
    console.log(
      `Recalculation (run_achievement_recalculation): ${run!.r.network_achievements} of ${flagged!.n} network achievements re-aggregated, ` +
        `${run!.r.achievements} of ${flagged!.a} achievements recalculated in ${elapsed.toFixed(2)} s (goal < ${GOAL_SECONDS} s).`,
    );
    console.log(`  results checked: ${check!.wrong} wrong, ${check!.waiting} waiting for a network achievement; Σ payments £${check!.total}.`);
    met = elapsed < GOAL_SECONDS && check!.wrong === 0 && run!.r.achievements === flagged!.a && run!.r.network_achievements === flagged!.n;
    console.log(met ? 'The recalculation goal is met.' : 'The recalculation goal is NOT met (or the figures are wrong): see above.');
  } finally {
    await admin?.end({ timeout: 5 }).catch(() => undefined);
    await bench.dispose();
    console.log(`Done in ${seconds(started).toFixed(1)} s.`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
