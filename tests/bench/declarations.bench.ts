// `npm run bench` (fifth part): the Declaration Management list at national
// scale (issue 14): RLS ÷ explicit filter, goal ≤ 1.3×.
//
// Starts its own fresh stack, builds the national-scale organisations, PCN
// history and people of ./national-scale.ts (6,300 practices, 1,250 PCNs,
// 30,000 people), then for the seed's Network Contract DES 2025/26: an
// approved offer and a list size for every practice, every practice's
// achievement on the payment date 30/09/2025 loaded through
// public.load_achievement_extract, every PCN's network achievement submitted
// and the recalculation job run — so every practice has a declaration
// awaiting its provider's declaration (made and moved by the declarations'
// trigger).
//
// Then the Declaration Management page's list as NATIONAL.ICB_USER
// (Commissioning Management at ICB QI001, ~150 practices), newest first, 50 a
// page with the exact count, read four ways: through the gateway and over SQL
// (as the gateway's login role), each as the person (RLS decides the rows) and
// as service_role with the explicit filter `provider_id in (QI001's
// practices)`. The pages must be identical. Never part of `npm test`.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import postgres from 'postgres';
import { databaseUrl } from '../../stack/config.ts';
import { signJwt } from '../../stack/jwt.ts';
import { compareRlsWithExplicit, startBenchStack, watchInterrupts } from './harness.ts';
import { buildNationalScale, NATIONAL } from './national-scale.ts';

const DES = '1a000000-0000-4000-8000-000000000003';
const DATE = '2025-09-30';
const TARGET_RATIO = 1.3;
const PAGE = 50;
const WARM_UP = 20;
const MEASURED = 200;
const DEADLINE_MS = 15 * 60_000;
const REQUEST_TIMEOUT_MS = 15_000;

const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);
const claimsOf = (sub: string) => {
  const now = Math.floor(Date.now() / 1000);
  return { sub, role: 'authenticated', aud: 'authenticated', iat: now, exp: now + 3600 };
};

interface Page {
  ids: string[];
  total: number;
}

/** The DES's achievement and declarations for every national-scale practice. */
async function nationalDeclarations(admin: postgres.Sql): Promise<number> {
  await admin.begin(async (tx) => {
    await tx`select set_config('app.action', 'bench.declarations', true)`;
    await tx`
      insert into public.service_offers (service_id, provider_id, starts_on, ends_on, respond_by, target_date, status, decided_at)
      select ${DES}, o.id, '2025-04-01', '2026-03-31', '2025-04-30', '2026-03-31', 'approved', now()
      from public.organisations o where o.ods_code like 'QP%'`;
    await tx`
      insert into public.list_sizes (organisation_id, effective_from, list_size)
      select o.id, '2025-04-01', 4000 + (hashtext(o.ods_code) & 8191)
      from public.organisations o where o.ods_code like 'QP%'`;
  });
  const [rows] = await admin<{ r: unknown }[]>`
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
  let t0 = performance.now();
  await admin`select public.load_achievement_extract(${admin.json(rows!.r as never)})`;
  console.log(`  extract loaded and calculated (declarations awaiting the PCNs): ${seconds(t0)} s`);
  await admin.begin(async (tx) => {
    await tx`select set_config('app.action', 'bench.declarations', true)`;
    await tx`update public.network_achievements set status = 'submitted', submitted_at = now(), recalculation_requested_at = now() where service_id = ${DES}`;
  });
  t0 = performance.now();
  await admin`select public.run_achievement_recalculation()`;
  console.log(`  PCNs submitted, recalculated (declarations awaiting their provider, with tasks): ${seconds(t0)} s`);
  await admin`analyze`;
  const [count] = await admin<{ n: number }[]>`
    select count(*)::int as n from public.declarations where service_id = ${DES} and status = 'awaiting_provider_declaration'`;
  return count!.n;
}

async function benchDeclarationList(
  admin: postgres.Sql,
  direct: postgres.Sql,
  stack: { apiUrl: string; keys: { anonKey: string; serviceRoleKey: string }; config: { jwtSecret: string } },
  interrupted: () => boolean,
  deadline: number,
): Promise<boolean> {
  const providers = (await admin<{ id: string }[]>`
    select c.descendant_id as id from public.organisation_closure c join public.organisations i on i.id = c.ancestor_id
    join public.organisations p on p.id = c.descendant_id
    where i.ods_code = ${NATIONAL.ICB_ODS} and p.type = 'practice' order by 1`).map((r) => r.id);
  const jwt = await signJwt(claimsOf(NATIONAL.ICB_USER), stack.config.jwtSecret);
  const order = 'order=achievement_date.desc,provider_id.asc';
  const rlsUrl = `/rest/v1/declarations?select=*&service_id=eq.${DES}&${order}&offset=0&limit=${PAGE}`;
  const explicitUrl = `${rlsUrl}&provider_id=in.(${providers.join(',')})`;
  const get = async (url: string, bearer: string): Promise<Page> => {
    const response = await fetch(`${stack.apiUrl}${url}`, {
      headers: { apikey: stack.keys.anonKey, authorization: `Bearer ${bearer}`, prefer: 'count=exact', accept: 'application/json' },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const body = await response.text();
    if (response.status !== 200 && response.status !== 206) throw new Error(`${url.slice(0, 120)}… answered ${response.status}: ${body.slice(0, 400)}`);
    const total = Number((response.headers.get('content-range') ?? '').split('/')[1]);
    return { ids: (JSON.parse(body) as Array<{ id: string }>).map((row) => row.id), total };
  };
  const pageSql = (where: string) => `
    with page as (select * from public.declarations where service_id = '${DES}' ${where}
                  order by achievement_date desc, provider_id asc limit ${PAGE} offset 0)
    select (select count(*) from public.declarations where service_id = '${DES}' ${where}) as total,
           coalesce((select json_agg(page) from page), '[]'::json) as body`;
  const viaSql = async (asPersona: boolean): Promise<Page> => {
    const [row] = await direct.begin(async (tx) => {
      if (asPersona) {
        await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify(claimsOf(NATIONAL.ICB_USER))}, true)`;
        return tx.unsafe<Array<{ total: string; body: Array<{ id: string }> }>>(pageSql(''));
      }
      await tx`select set_config('role', 'service_role', true), set_config('request.jwt.claims', '{"role":"service_role"}', true)`;
      return tx.unsafe<Array<{ total: string; body: Array<{ id: string }> }>>(pageSql('and provider_id = any ($1::uuid[])'), [providers as never]);
    });
    return { ids: row!.body.map((r) => r.id), total: Number(row!.total) };
  };

  const [expected] = await admin<Array<{ total: number }>>`
    select count(*)::int as total from public.declarations where service_id = ${DES} and provider_id = any (${providers}::uuid[])`;
  const service = stack.keys.serviceRoleKey;
  const paths: Array<[string, Page]> = [
    ['gateway RLS', await get(rlsUrl, jwt)],
    ['gateway explicit', await get(explicitUrl, service)],
    ['SQL RLS', await viaSql(true)],
    ['SQL explicit', await viaSql(false)],
  ];
  for (const [name, page] of paths) {
    if (page.total !== expected!.total || page.ids.length !== Math.min(PAGE, expected!.total) || page.ids.join() !== paths[0]![1].ids.join()) {
      throw new Error(`${name}: ${page.total} declarations, ${page.ids.length} on the page — expected ${expected!.total} and the same page on every path`);
    }
  }
  console.log(`Declaration Management list of ${NATIONAL.ICB_ODS} (${providers.length} practices, ${expected!.total} declarations), ${PAGE} a page:`);
  return compareRlsWithExplicit(
    {
      gatewayRls: () => get(rlsUrl, jwt),
      gatewayExplicit: () => get(explicitUrl, service),
      sqlRls: () => viaSql(true),
      sqlExplicit: () => viaSql(false),
    },
    { label: 'declarations list', warmUp: WARM_UP, measured: MEASURED, targetRatio: TARGET_RATIO, interrupted, deadline },
  );
}

async function main(): Promise<void> {
  const started = performance.now();
  const deadline = Date.now() + DEADLINE_MS;
  const interrupted = watchInterrupts();
  const bench = await startBenchStack('commissioning-bench-declarations');
  const { stack } = bench;
  let admin: postgres.Sql | undefined;
  let direct: postgres.Sql | undefined;
  try {
    admin = postgres(stack.dbUrl, { max: 1, onnotice: () => undefined });
    console.log('Building the national-scale organisations and people…');
    console.log(`  ${(await buildNationalScale(admin, (line) => console.log(line))).toFixed(1)} s`);
    const t0 = performance.now();
    const declarations = await nationalDeclarations(admin);
    console.log(`National DES achievement loaded, calculated and declared-for: ${declarations} declarations awaiting their provider, in ${seconds(t0)} s.`);
    await stack.reloadSchema();
    direct = postgres(databaseUrl(stack.config, 'authenticator', 'postgres'), { max: 1, onnotice: () => undefined, prepare: true });
    const within = await benchDeclarationList(admin, direct, stack, interrupted, deadline);
    console.log(within ? `The Declaration Management list goal is met (RLS ÷ explicit ≤ ${TARGET_RATIO}x).` : 'The Declaration Management list goal is NOT met: see above.');
  } finally {
    await direct?.end({ timeout: 5 }).catch(() => undefined);
    await admin?.end({ timeout: 5 }).catch(() => undefined);
    await bench.dispose();
    console.log(`Done in ${seconds(started)} s.`);
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
