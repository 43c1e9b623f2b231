// `npm run bench` (second part): what row-level security costs at national
// scale (issue 4, item 12).
//
// Starts its own fresh stack (temporary data directory, free ports; migrations
// + seed), builds the national-scale data set of ./national-scale.ts, then for
// two personas
//   (a) ICB user:     Commissioning Management + Approver Tier 2 at ICB QI001, no clusters;
//   (b) cluster user: Approver Tier 1 at QI001 assigned to one cluster of 20 practices;
// times two list pages through the gateway, alternating:
//   RLS:      as the persona (user JWT), the policies decide the rows;
//   explicit: as service_role (RLS bypassed) with a filter that states the
//             same reach in PostgREST syntax (no id lists, no RPC).
// Both paths are checked to return the same page and the same exact count
// before timing. Prints p50 of each and the ratio RLS ÷ explicit per persona ×
// list; then the same two pages over one direct Postgres connection (as the
// persona, and as service_role with the filter written as a semi-join) with
// their ratio, since the gateway's SQL for deep embeds makes the explicit REST
// baseline slow. Bounded: warm-up + BENCH_REQUESTS (default 200) pairs each, an overall
// deadline; never part of `npm test`. BENCH_EXPLAIN=1 also prints EXPLAIN
// ANALYZE of each RLS query as the persona (role + claims set).
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { databaseUrl } from '../../stack/config.ts';
import { signJwt } from '../../stack/jwt.ts';
import { startBenchStack, summary, watchInterrupts } from './harness.ts';
import { buildNationalScale, NATIONAL } from './national-scale.ts';

const WARM_UP = 20;
const MEASURED = Number(process.env.BENCH_REQUESTS ?? 200);
const DEADLINE_MS = 10 * 60_000;
const REQUEST_TIMEOUT_MS = 15_000;
const TARGET_RATIO = 1.3;

interface Page {
  ids: string[];
  total: number;
}

interface Case {
  persona: string;
  list: string;
  jwt: string;
  /** Path + query of the RLS request (as the persona). */
  rls: string;
  /** Path + query of the explicit request (as service_role). */
  explicit: string;
  /** The SQL the RLS request makes, for EXPLAIN. */
  explainSql: string;
  /** Direct SQL (one connection as authenticator): `from … where …` of the RLS query and of the explicit one. */
  rlsFrom: string;
  explicitFrom: string;
  order: string;
  claims: Record<string, unknown>;
}

async function main(): Promise<void> {
  const started = performance.now();
  const deadline = Date.now() + DEADLINE_MS;
  const interrupted = watchInterrupts();
  const bench = await startBenchStack('commissioning-bench-national');
  const { stack } = bench;
  let admin: postgres.Sql | undefined;
  let direct: postgres.Sql | undefined;
  try {
    admin = postgres(stack.dbUrl, { max: 1, onnotice: () => undefined });

    console.log('Building the national-scale data set…');
    const seconds = await buildNationalScale(admin, (line) => console.log(line));
    const [size] = await admin<Array<{ organisations: number; closure: number; profiles: number; memberships: number; assignments: number }>>`
      select (select count(*)::int from public.organisations) as organisations,
             (select count(*)::int from public.organisation_closure) as closure,
             (select count(*)::int from public.profiles) as profiles,
             (select count(*)::int from public.memberships) as memberships,
             (select count(*)::int from public.cluster_assignments) as assignments`;
    console.log(
      `Generator: ${seconds.toFixed(1)} s — ${size!.organisations} organisations, ${size!.closure} closure rows, ` +
        `${size!.profiles} profiles, ${size!.memberships} memberships, ${size!.assignments} cluster assignments.`,
    );
    await stack.reloadSchema();

    const [icb] = await admin<Array<{ id: string }>>`select id from public.organisations where ods_code = ${NATIONAL.ICB_ODS}`;
    const icbId = icb!.id;
    const now = Math.floor(Date.now() / 1000);
    const claimsOf = (sub: string) => ({ sub, role: 'authenticated', aud: 'authenticated', iat: now, exp: now + 3600 });
    const icbClaims = claimsOf(NATIONAL.ICB_USER);
    const clusterClaims = claimsOf(NATIONAL.CLUSTER_USER);
    const icbJwt = await signJwt(icbClaims, stack.config.jwtSecret);
    const clusterJwt = await signJwt(clusterClaims, stack.config.jwtSecret);

    const organisations = '/rest/v1/organisations?select=*&order=name,id&limit=25';
    const profiles = '/rest/v1/profiles?select=*&order=email,id&limit=25';
    const profilesSql = 'select * from public.profiles order by email, id limit 25';
    const organisationsSql = 'select * from public.organisations order by name, id limit 25';
    const orgFrom = 'from public.organisations p';
    const cases: Case[] = [
      // public.organisations' select policy is `using (true)` (the ODS directory is public):
      // the equivalent explicit query has no filter at all.
      {
        persona: 'ICB user', list: 'organisations', jwt: icbJwt, claims: icbClaims,
        rls: organisations, explicit: organisations, explainSql: organisationsSql,
        rlsFrom: orgFrom, explicitFrom: orgFrom, order: 'name, id',
      },
      // visible_people() for a member without administrator roles: themselves plus everyone with
      // an active membership at an organisation in the ICB's subtree (their own membership is one).
      {
        persona: 'ICB user', list: 'profiles', jwt: icbJwt, claims: icbClaims,
        rls: profiles,
        explicit:
          '/rest/v1/profiles?select=*,memberships!inner(organisations!inner(organisation_closure!descendant_id!inner()))' +
          `&memberships.status=eq.active&memberships.organisations.organisation_closure.ancestor_id=eq.${icbId}` +
          '&order=email,id&limit=25',
        explainSql: profilesSql,
        rlsFrom: 'from public.profiles p',
        explicitFrom:
          `from public.profiles p where p.id in (
             select m.profile_id from public.organisation_closure c
             join public.memberships m on m.organisation_id = c.descendant_id and m.status = 'active'
             where c.ancestor_id = '${icbId}')`,
        order: 'email, id',
      },
      {
        persona: 'cluster user', list: 'organisations', jwt: clusterJwt, claims: clusterClaims,
        rls: organisations, explicit: organisations, explainSql: organisationsSql,
        rlsFrom: orgFrom, explicitFrom: orgFrom, order: 'name, id',
      },
      // Themselves, plus everyone with an active membership at an organisation that is (or lies
      // below) an organisation of the cluster.
      {
        persona: 'cluster user', list: 'profiles', jwt: clusterJwt, claims: clusterClaims,
        rls: profiles,
        explicit:
          '/rest/v1/profiles?select=*,memberships(organisations!inner(organisation_closure!descendant_id!inner(' +
          'organisations!ancestor_id!inner(cluster_organisations!inner()))))' +
          '&memberships.status=eq.active' +
          `&memberships.organisations.organisation_closure.organisations.cluster_organisations.cluster_id=eq.${NATIONAL.CLUSTER}` +
          `&or=(id.eq.${NATIONAL.CLUSTER_USER},memberships.not.is.null)` +
          '&order=email,id&limit=25',
        explainSql: profilesSql,
        rlsFrom: 'from public.profiles p',
        explicitFrom:
          `from public.profiles p where p.id = '${NATIONAL.CLUSTER_USER}' or p.id in (
             select m.profile_id from public.cluster_organisations co
             join public.organisation_closure c on c.ancestor_id = co.organisation_id
             join public.memberships m on m.organisation_id = c.descendant_id and m.status = 'active'
             where co.cluster_id = '${NATIONAL.CLUSTER}')`,
        order: 'email, id',
      },
    ];

    const get = async (url: string, bearer: string): Promise<Page> => {
      const response = await fetch(`${stack!.apiUrl}${url}`, {
        headers: { apikey: stack!.keys.anonKey, authorization: `Bearer ${bearer}`, prefer: 'count=exact', accept: 'application/json' },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const body = await response.text();
      if (response.status !== 200 && response.status !== 206) {
        throw new Error(`${url} answered ${response.status}: ${body.slice(0, 400)}`);
      }
      const total = Number((response.headers.get('content-range') ?? '').split('/')[1]);
      return { ids: (JSON.parse(body) as Array<{ id: string }>).map((row) => row.id), total };
    };
    const service = stack.keys.serviceRoleKey;

    // The same pages over one Postgres connection as the gateway's login role: as the persona
    // (role authenticated + claims, RLS) and as service_role with the explicit filter written as a
    // semi-join — what the database itself spends, without the gateway's SQL shape for embeds.
    direct = postgres(databaseUrl(stack.config, 'authenticator', 'postgres'), { max: 1, onnotice: () => undefined, prepare: true });
    const directSql = direct;
    const viaSql = async (c: Case, asPersona: boolean): Promise<Page> => {
      const from = asPersona ? c.rlsFrom : c.explicitFrom;
      const [row] = await directSql.begin(async (tx) => {
        if (asPersona) {
          await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify(c.claims)}, true)`;
        } else {
          await tx`select set_config('role', 'service_role', true), set_config('request.jwt.claims', '{"role":"service_role"}', true)`;
        }
        return tx.unsafe<Array<{ total: string; ids: string[] | null }>>(
          `select (select count(*) ${from}) as total,
                  (select array_agg(x.id) from (select p.* ${from} order by ${c.order} limit 25) x) as ids`,
        );
      });
      return { ids: row!.ids ?? [], total: Number(row!.total) };
    };

    // Same rows, same count, before any timing.
    for (const c of cases) {
      const [viaRls, viaExplicit] = [await get(c.rls, c.jwt), await get(c.explicit, service)];
      if (viaRls.ids.length === 0 || viaRls.ids.join() !== viaExplicit.ids.join() || viaRls.total !== viaExplicit.total) {
        throw new Error(
          `${c.persona} × ${c.list}: RLS ${viaRls.ids.length} rows / total ${viaRls.total}, ` +
            `explicit ${viaExplicit.ids.length} rows / total ${viaExplicit.total} — not equivalent`,
        );
      }
      const [sqlRls, sqlExplicit] = [await viaSql(c, true), await viaSql(c, false)];
      for (const [name, page] of [['SQL as persona', sqlRls], ['SQL explicit', sqlExplicit]] as const) {
        if (page.ids.join() !== viaRls.ids.join() || page.total !== viaRls.total) {
          throw new Error(`${c.persona} × ${c.list}: ${name} returns ${page.ids.length} rows / total ${page.total}, the gateway ${viaRls.total}`);
        }
      }
      console.log(`${c.persona} × ${c.list}: all four paths return the same ${viaRls.ids.length} rows of ${viaRls.total}.`);
    }

    if (process.env.BENCH_EXPLAIN === '1') {
      for (const c of cases) {
        const plan = await admin.begin(async (tx) => {
          await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify(c.claims)}, true)`;
          return tx.unsafe(`explain (analyze, buffers, costs off) ${c.explainSql}`);
        });
        console.log(`\nEXPLAIN ANALYZE as ${c.persona}: ${c.explainSql}\n${plan.map((row) => row['QUERY PLAN']).join('\n')}`);
      }
    }

    const lines: string[] = [];
    const verdicts: boolean[] = [];
    for (const c of cases) {
      for (let i = 0; i < WARM_UP && !interrupted(); i++) {
        await get(c.rls, c.jwt);
        await get(c.explicit, service);
        await viaSql(c, true);
        await viaSql(c, false);
      }
      const rlsTimes: number[] = [];
      const explicitTimes: number[] = [];
      const sqlRlsTimes: number[] = [];
      const sqlExplicitTimes: number[] = [];
      for (let i = 0; i < MEASURED && !interrupted() && Date.now() < deadline; i++) {
        let t0 = performance.now();
        await get(c.rls, c.jwt);
        rlsTimes.push(performance.now() - t0);
        t0 = performance.now();
        await get(c.explicit, service);
        explicitTimes.push(performance.now() - t0);
        t0 = performance.now();
        await viaSql(c, true);
        sqlRlsTimes.push(performance.now() - t0);
        t0 = performance.now();
        await viaSql(c, false);
        sqlExplicitTimes.push(performance.now() - t0);
      }
      if (rlsTimes.length === 0) break;
      const [r, e] = [summary(rlsTimes).p50, summary(explicitTimes).p50];
      const ratio = r / e;
      verdicts.push(ratio <= TARGET_RATIO);
      const line =
        `${(c.persona + ' × ' + c.list).padEnd(28)} p50 RLS ${r.toFixed(2).padStart(7)} ms  ` +
        `p50 explicit ${e.toFixed(2).padStart(7)} ms  ratio ${ratio.toFixed(2)}x  (${rlsTimes.length} pairs)` +
        (ratio > TARGET_RATIO ? `  ABOVE ${TARGET_RATIO}x` : '');
      const [sr, se] = [summary(sqlRlsTimes).p50, summary(sqlExplicitTimes).p50];
      const sqlLine =
        `${''.padEnd(28)} direct SQL: p50 RLS ${sr.toFixed(2).padStart(7)} ms  ` +
        `p50 explicit ${se.toFixed(2).padStart(7)} ms  ratio ${(sr / se).toFixed(2)}x` +
        (sr / se > TARGET_RATIO ? `  ABOVE ${TARGET_RATIO}x` : '');
      lines.push(line, sqlLine);
      console.log(line);
      console.log(sqlLine);
    }
    console.log('');
    for (const line of lines) console.log(line);
    console.log(
      verdicts.length === cases.length && verdicts.every(Boolean)
        ? `Gateway: every persona × list is within ${TARGET_RATIO}x (the direct SQL lines are judged above, line by line).`
        : `Not every persona × list is within ${TARGET_RATIO}x (or the run stopped early).`,
    );
  } finally {
    await direct?.end({ timeout: 5 }).catch(() => undefined);
    await admin?.end({ timeout: 5 }).catch(() => undefined);
    await bench.dispose();
    console.log(`Done in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
