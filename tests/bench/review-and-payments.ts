// Issue 13's measurements, run by claims.bench.ts on its national-scale claims:
//   (c) the Tier 1 queue: the request the portal's claims review page makes
//       (claim_overview, status pending_tier1_review, oldest first, every row,
//       exact count) as an ICB's Tier 1 reviewer — RLS decides the rows —
//       against the same request as service_role with an explicit filter on
//       the ICB (commissioner_id); both paths through the gateway and over one
//       direct Postgres connection, checked to return the same rows first,
//       timed alternately. Goal: RLS ÷ explicit p50 ≤ 1.3×.
//   (d) a payment run of BENCH_RUN_CLAIMS (default 10,000) claims: preview,
//       create and send as the ICB's Finance user through the SQL functions,
//       then the payment file's rows read (payment_run_file_rows) and
//       rendered as CSV and XLSX by the code the edge functions use. The
//       national data has a few hundred claims approved for payment per ICB,
//       so paid claims of past years from every ICB are first re-marked
//       approved for payment for QI001 (direct SQL with app.action set, as
//       the generator writes). Reported, no goal.
import { performance } from 'node:perf_hooks';
import type postgres from 'postgres';
import { signJwt } from '../../stack/jwt.ts';
import { renderPaymentCsv, renderPaymentXlsx, type PaymentFileRow, type PaymentFileRun } from '../../supabase/functions/_shared/payment-file.ts';
import { compareRlsWithExplicit } from './harness.ts';

const WARM_UP = 20;
const MEASURED = Number(process.env.BENCH_REQUESTS ?? 200);
const RUN_CLAIMS = Number(process.env.BENCH_RUN_CLAIMS ?? 10_000);
const REQUEST_TIMEOUT_MS = 15_000;
const TARGET_RATIO = 1.3;

const seconds = (value: number): string => `${(value / 1000).toFixed(2)} s`;

const claimsOf = (sub: string) => {
  const now = Math.floor(Date.now() / 1000);
  return { sub, role: 'authenticated', aud: 'authenticated', iat: now, exp: now + 3600 };
};

interface Persona {
  icb: string;
  ods: string;
  profile: string;
}

/** An active, unclustered member of QI001 holding `role`. */
async function icbPersona(admin: postgres.Sql, role: string): Promise<Persona> {
  const [persona] = await admin<Persona[]>`
    select o.id as icb, o.ods_code as ods, m.profile_id as profile
    from public.organisations o
    join public.memberships m on m.organisation_id = o.id and m.status = 'active' and ${role}::public.app_role = any (m.roles)
    join public.profiles p on p.id = m.profile_id and p.status = 'active'
    where o.ods_code = 'QI001'
      and not exists (select 1 from public.cluster_assignments ca where ca.membership_id = m.id)
    order by p.email limit 1`;
  if (!persona) throw new Error(`QI001 has no active, unclustered member with ${role}`);
  return persona;
}

interface Page {
  ids: string[];
  total: number;
}

export async function benchTier1Queue(
  admin: postgres.Sql,
  direct: postgres.Sql,
  stack: { apiUrl: string; keys: { anonKey: string; serviceRoleKey: string }; config: { jwtSecret: string } },
  interrupted: () => boolean,
  deadline: number,
): Promise<boolean> {
  const persona = await icbPersona(admin, 'approver_tier_1');
  const jwt = await signJwt(claimsOf(persona.profile), stack.config.jwtSecret);
  const rlsUrl = '/rest/v1/claim_overview?select=*&status=in.(pending_tier1_review)&order=submitted_at.asc';
  const explicitUrl = `${rlsUrl}&commissioner_id=eq.${persona.icb}`;
  const get = async (url: string, bearer: string): Promise<Page> => {
    const response = await fetch(`${stack.apiUrl}${url}`, {
      headers: { apikey: stack.keys.anonKey, authorization: `Bearer ${bearer}`, prefer: 'count=exact', accept: 'application/json' },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const body = await response.text();
    if (response.status !== 200 && response.status !== 206) throw new Error(`${url} answered ${response.status}: ${body.slice(0, 400)}`);
    const total = Number((response.headers.get('content-range') ?? '').split('/')[1]);
    return { ids: (JSON.parse(body) as Array<{ id: string }>).map((row) => row.id), total };
  };
  const pageSql = (where: string) => `
    with page as (select * from public.claim_overview where status = 'pending_tier1_review' ${where} order by submitted_at)
    select (select count(*) from page) as total, coalesce((select json_agg(page) from page), '[]'::json) as body`;
  const viaSql = async (asPersona: boolean): Promise<Page> => {
    const [row] = await direct.begin(async (tx) => {
      if (asPersona) {
        await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify(claimsOf(persona.profile))}, true)`;
        return tx.unsafe<Array<{ total: string; body: Array<{ id: string }> }>>(pageSql(''));
      }
      await tx`select set_config('role', 'service_role', true), set_config('request.jwt.claims', '{"role":"service_role"}', true)`;
      return tx.unsafe<Array<{ total: string; body: Array<{ id: string }> }>>(pageSql('and commissioner_id = $1'), [persona.icb]);
    });
    return { ids: row!.body.map((r) => r.id), total: Number(row!.total) };
  };

  const [expected] = await admin<Array<{ total: number }>>`
    select count(*)::int as total from public.claims where commissioner_id = ${persona.icb} and status = 'pending_tier1_review'`;
  const paths: Array<[string, Page]> = [
    ['gateway RLS', await get(rlsUrl, jwt)],
    ['gateway explicit', await get(explicitUrl, stack.keys.serviceRoleKey)],
    ['SQL RLS', await viaSql(true)],
    ['SQL explicit', await viaSql(false)],
  ];
  for (const [name, page] of paths) {
    if (page.total !== expected!.total || page.ids.length !== expected!.total || page.ids.join() !== paths[0]![1].ids.join()) {
      throw new Error(`${name}: ${page.ids.length} rows of ${page.total}; ${persona.ods} has ${expected!.total} claims in Tier 1 — the paths are not equivalent`);
    }
  }
  console.log(`${persona.ods}'s Tier 1 queue: all four paths return the same ${expected!.total} claims, oldest first.`);
  if (process.env.BENCH_EXPLAIN === '1') {
    for (const [label, asPersona] of [['RLS', true], ['explicit', false]] as const) {
      const plan = await admin.begin(async (tx) => {
        const claims = asPersona ? claimsOf(persona.profile) : { role: 'service_role' };
        await tx`select set_config('role', ${claims.role}, true), set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
        return tx.unsafe(`explain (analyze, buffers, costs off) ${pageSql(asPersona ? '' : `and commissioner_id = '${persona.icb}'`)}`);
      });
      console.log(`\nEXPLAIN ANALYZE of the Tier 1 queue (${label}):\n${plan.map((row) => row['QUERY PLAN']).join('\n')}\n`);
    }
  }

  return compareRlsWithExplicit(
    {
      gatewayRls: () => get(rlsUrl, jwt),
      gatewayExplicit: () => get(explicitUrl, stack.keys.serviceRoleKey),
      sqlRls: () => viaSql(true),
      sqlExplicit: () => viaSql(false),
    },
    { label: 'Tier 1 queue', warmUp: WARM_UP, measured: MEASURED, targetRatio: TARGET_RATIO, interrupted, deadline },
  );
}

/** Runs `work` in one transaction as the persona (what the gateway does for a user's request); returns its result and the time taken. */
async function timedAs<T>(sql: postgres.Sql, profile: string, work: (tx: postgres.TransactionSql) => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const result = (await sql.begin(async (tx) => {
    await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify(claimsOf(profile))}, true)`;
    return work(tx);
  })) as T;
  return [result, performance.now() - t];
}

export async function benchPaymentRun(admin: postgres.Sql, direct: postgres.Sql): Promise<void> {
  const finance = await icbPersona(admin, 'finance');
  const [already] = await admin<Array<{ ready: number }>>`
    select count(*)::int as ready from public.claims where commissioner_id = ${finance.icb} and status = 'approved_for_payment' and payment_run_id is null`;
  const wanted = Math.max(RUN_CLAIMS - already!.ready, 0);
  await admin.begin(async (tx) => {
    await tx`select set_config('app.action', 'bench.payment_run', true)`;
    await tx`
      update public.claims c set status = 'approved_for_payment', commissioner_id = ${finance.icb}
      where c.id in (select id from public.claims where status = 'paid' and payment_run_id is null order by claim_number limit ${wanted})`;
  });
  await admin`analyze public.claims`;

  const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Europe/London' });
  const [[preview], previewMs] = await timedAs(direct, finance.profile, (tx) =>
    tx<Array<{ p: { claim_count: number; total: number; providers: unknown[] } }>>`select public.preview_payment_run(${finance.icb}, ${today}::date) as p`);
  const p = preview!.p;
  const [[run], createMs] = await timedAs(direct, finance.profile, (tx) =>
    tx<Array<{ id: string; run_number: string; claim_count: number; total: string; payment_date: Date }>>`
      select id, run_number, claim_count, total, payment_date from public.create_payment_run(${finance.icb}, ${today}::date, ${p.claim_count}, ${p.total})`);
  const [, sendMs] = await timedAs(direct, finance.profile, (tx) => tx`select public.send_payment_run(${run!.id})`);
  const [rows, rowsMs] = await timedAs(direct, finance.profile, (tx) =>
    tx<PaymentFileRow[]>`select * from public.payment_run_file_rows(${run!.id})`);

  const fileRun: PaymentFileRun = {
    run_number: Number(run!.run_number),
    commissioner_ods_code: finance.ods,
    commissioner_name: 'QI001',
    payment_date: today,
    claim_count: run!.claim_count,
    total: run!.total,
  };
  let t = performance.now();
  const csv = renderPaymentCsv(fileRun, rows);
  const csvMs = performance.now() - t;
  t = performance.now();
  const xlsx = await renderPaymentXlsx(fileRun, rows);
  const xlsxMs = performance.now() - t;

  const n = (value: number) => value.toLocaleString('en-GB');
  console.log(
    `Payment run ${run!.run_number}: ${n(run!.claim_count)} claims, £${Number(run!.total).toLocaleString('en-GB', { minimumFractionDigits: 2 })}, ` +
      `${n(p.providers.length)} providers, ${n(rows.length)} file rows.`,
  );
  console.log(
    `  preview ${seconds(previewMs)}  create ${seconds(createMs)}  send ${seconds(sendMs)}  file rows ${seconds(rowsMs)}  ` +
      `CSV ${seconds(csvMs)} (${n(csv.length)} bytes)  XLSX ${seconds(xlsxMs)} (${n(xlsx.byteLength)} bytes)  ` +
      `— created and exported in ${seconds(previewMs + createMs + sendMs + rowsMs + csvMs + xlsxMs)}`,
  );
}
