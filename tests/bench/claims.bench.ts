// `npm run bench` (third part): local claims at national scale (issue 12).
//
// Starts its own fresh stack (temporary data directory, free ports; migrations
// + seed), builds the national-scale organisations and people of
// ./national-scale.ts and the claims of ./national-claims.ts (≥ 1,000,000
// claim lines), then measures
//   (a) submit: BENCH_SUBMITS (default 200) practices with Q3 open and
//       unclaimed each get a fresh draft made through the claim actions as
//       their Claim Submitter (New Claim, Add + of a care plan, the care
//       co-ordination retainer and a depot injection, units, the retainer
//       acknowledged, the depot question answered Yes). Each is then
//       submitted — public.submit_claim(id), which validates every rule,
//       snapshots the fingerprint and moves the claim on (one-step practice,
//       no files: pending_tier1_review, Tier 1 reviewers notified) — in its
//       own transaction as that user (role authenticated + request.jwt.claims,
//       over the gateway's login role), timed from BEGIN to COMMIT. The
//       validate-claim function's dry run is timed the same way just before.
//       Goal: submit p50 ≤ 50 ms.
//   (b) the provider's claims list: the page the portal asks for
//       (claim_overview, newest first, 50 rows, exact count) as a Claim
//       Submitter of a practice — RLS decides the rows — against the same page
//       as service_role (RLS bypassed) with an explicit provider_id filter;
//       through the gateway and over one direct Postgres connection, both
//       paths checked to return the same rows and count first, timed
//       alternately. Goal: RLS ÷ explicit p50 ≤ 1.3×.
//   (c), (d) issue 13's Tier 1 queue and payment run of 10,000 claims:
//       see ./review-and-payments.ts.
// Bounded (warm-up + fixed counts, an overall deadline); never part of
// `npm test`. BENCH_EXPLAIN=1 prints EXPLAIN ANALYZE of the list as the
// practice user.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import postgres from 'postgres';
import { databaseUrl } from '../../stack/config.ts';
import { signJwt } from '../../stack/jwt.ts';
import { compareRlsWithExplicit, startBenchStack, summary, watchInterrupts } from './harness.ts';
import { buildNationalClaims } from './national-claims.ts';
import { buildNationalScale } from './national-scale.ts';
import { benchPaymentRun, benchTier1Queue } from './review-and-payments.ts';

const SUBMITS = Number(process.env.BENCH_SUBMITS ?? 200);
const SUBMIT_WARM_UP = 10;
const LIST_WARM_UP = 20;
const LIST_MEASURED = Number(process.env.BENCH_REQUESTS ?? 200);
const DEADLINE_MS = 15 * 60_000;
const REQUEST_TIMEOUT_MS = 15_000;
const SUBMIT_GOAL_MS = 50;
const TARGET_RATIO = 1.3;
const PAGE = 50;

const ms = (value: number): string => `${value.toFixed(2)} ms`;

interface Persona {
  provider: string;
  ods: string;
  profile: string;
}

const claimsOf = (sub: string) => {
  const now = Math.floor(Date.now() / 1000);
  return { sub, role: 'authenticated', aud: 'authenticated', iat: now, exp: now + 3600 };
};

/** Runs `work` in one transaction as the persona (what the gateway does for a user's request). */
async function asUser<T>(sql: postgres.Sql, profile: string, work: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  return sql.begin(async (tx) => {
    await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify(claimsOf(profile))}, true)`;
    return work(tx);
  }) as Promise<T>;
}

/** Practices with Q3 open and unclaimed, one-step, with an active Claim Submitter; spread over the ICBs. */
async function freePractices(admin: postgres.Sql, count: number): Promise<Persona[]> {
  return admin<Persona[]>`
    select p.id as provider, p.ods_code as ods,
           (select m.profile_id from public.memberships m join public.profiles pr on pr.id = m.profile_id
            where m.organisation_id = p.id and m.status = 'active' and pr.status = 'active' and 'claim_submitter' = any (m.roles)
            order by pr.email limit 1) as profile
    from public.organisations p
    where p.type = 'practice' and p.ods_code like 'QP%'
      and not exists (select 1 from public.practice_settings s where s.organisation_id = p.id and s.approval_mode = 'two_step')
      and not exists (
        select 1 from public.claims c join public.claim_services cs on cs.claim_id = c.id
        join public.claim_windows w on w.id = cs.window_id
        where c.provider_id = p.id and current_date between w.opens_on and w.closes_on)
      and exists (select 1 from public.memberships m join public.profiles pr on pr.id = m.profile_id
                  where m.organisation_id = p.id and m.status = 'active' and pr.status = 'active' and 'claim_submitter' = any (m.roles))
    order by md5(p.ods_code)
    limit ${count}`;
}

/** A valid draft made through the claim actions as the practice's Claim Submitter: 3 lines and an answer. */
async function makeDraft(direct: postgres.Sql, persona: Persona): Promise<string> {
  return asUser(direct, persona.profile, async (tx) => {
    const [claim] = await tx<Array<{ id: string }>>`select (public.start_claim(${persona.provider})).id`;
    const claimId = claim!.id;
    // Add +: the care plan and the retainer of Complex Care Plans, the injection of Depot (this year's Q3).
    await tx`
      select public.add_claim_lines(${claimId}, array(
        select sc.id from public.claim_available_services(${claimId}) a
        join public.service_components sc on sc.service_id = a.service_id
        where (a.service_name like 'Complex Care Plans%' and sc.position in (1, 2))
           or (a.service_name like 'Depot Antipsychotic Injections%' and sc.position = 1)))`;
    const lines = await tx<Array<{ id: string; kind: string; position: number }>>`
      select l.id, l.kind::text, l.position from public.claim_lines l where l.claim_id = ${claimId} order by l.service_id, l.position`;
    if (lines.length !== 3) throw new Error(`${persona.ods}: expected 3 lines on the new claim, got ${lines.length}`);
    for (const line of lines) {
      if (line.kind === 'retainer') await tx`select public.acknowledge_claim_retainer(${line.id}, true)`;
      else await tx`select public.set_claim_line_units(${line.id}, ${line.position === 1 ? 12 : 4})`;
    }
    await tx`
      select public.set_claim_answer(${claimId}, q.id, true)
      from public.claim_answers a join public.service_questions q on q.id = a.question_id
      where a.claim_id = ${claimId} and q.kind = 'yes_no_must_be_yes'`;
    return claimId;
  });
}

interface SubmitResult {
  ok: boolean;
  status: string;
  problems: unknown[];
}

export async function benchSubmit(admin: postgres.Sql, direct: postgres.Sql, interrupted: () => boolean, deadline: number): Promise<boolean> {
  const personas = await freePractices(admin, SUBMITS + SUBMIT_WARM_UP);
  if (personas.length < SUBMITS + SUBMIT_WARM_UP) {
    throw new Error(`only ${personas.length} practices have Q3 open and unclaimed; ${SUBMITS + SUBMIT_WARM_UP} wanted`);
  }
  console.log(`Making ${personas.length} draft claims through the claim actions (one per practice)…`);
  const t0 = performance.now();
  const drafts: Array<{ persona: Persona; claimId: string }> = [];
  for (const persona of personas) {
    if (interrupted()) return false;
    drafts.push({ persona, claimId: await makeDraft(direct, persona) });
  }
  console.log(`  ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const dryRunTimes: number[] = [];
  const submitTimes: number[] = [];
  let done = 0;
  for (const { persona, claimId } of drafts) {
    if (interrupted() || Date.now() > deadline) break;
    let t = performance.now();
    const [dry] = await asUser(direct, persona.profile, (tx) => tx<Array<{ r: SubmitResult }>>`select public.submit_claim(${claimId}, true) as r`);
    const dryMs = performance.now() - t;
    if (!dry!.r.ok) throw new Error(`${persona.ods}: the draft does not validate: ${JSON.stringify(dry!.r.problems)}`);
    t = performance.now();
    const [result] = await asUser(direct, persona.profile, (tx) => tx<Array<{ r: SubmitResult }>>`select public.submit_claim(${claimId}) as r`);
    const submitMs = performance.now() - t;
    if (!result!.r.ok || result!.r.status !== 'pending_tier1_review') {
      throw new Error(`${persona.ods}: submit answered ${JSON.stringify(result!.r)}`);
    }
    if (done++ >= SUBMIT_WARM_UP) {
      dryRunTimes.push(dryMs);
      submitTimes.push(submitMs);
    }
  }
  if (submitTimes.length === 0) return false;
  const [submitted] = await admin<Array<{ submitted: number; notified: number }>>`
    select count(*)::int as submitted,
           (select count(*)::int from public.notifications n where n.kind = 'claim_awaiting_review' and n.subject_id = any (${drafts.map((d) => d.claimId)}::uuid[])) as notified
    from public.claims c where c.id = any (${drafts.map((d) => d.claimId)}::uuid[]) and c.status = 'pending_tier1_review'`;
  console.log(
    `${submitted!.submitted} claims now pending Tier 1 review; ${submitted!.notified} Tier 1 notifications queued ` +
      `(${(submitted!.notified / submitted!.submitted).toFixed(1)} per claim).`,
  );
  const s = summary(submitTimes);
  const d = summary(dryRunTimes);
  const verdict = s.p50 <= SUBMIT_GOAL_MS;
  console.log(`dry run (validate-claim)  p50 ${ms(d.p50)}  p95 ${ms(d.p95)}  mean ${ms(d.mean)}  (${dryRunTimes.length} claims)`);
  console.log(
    `submit                    p50 ${ms(s.p50)}  p95 ${ms(s.p95)}  mean ${ms(s.mean)}  (${submitTimes.length} claims)  ` +
      (verdict ? `within the ${SUBMIT_GOAL_MS} ms goal` : `ABOVE the ${SUBMIT_GOAL_MS} ms goal`),
  );
  return verdict;
}

interface Page {
  ids: string[];
  total: number;
}

export async function benchList(
  admin: postgres.Sql,
  direct: postgres.Sql,
  stack: { apiUrl: string; keys: { anonKey: string; serviceRoleKey: string }; config: { jwtSecret: string } },
  interrupted: () => boolean,
  deadline: number,
): Promise<boolean> {
  // A practice with this year's Q3 claimed (19 claims, the typical count) and an active Claim Submitter.
  const [persona] = await admin<Persona[]>`
    select p.id as provider, p.ods_code as ods, m.profile_id as profile
    from public.organisations p
    join public.memberships m on m.organisation_id = p.id and m.status = 'active' and 'claim_submitter' = any (m.roles)
    join public.profiles pr on pr.id = m.profile_id and pr.status = 'active'
    where p.ods_code = 'QP0101'
    order by pr.email limit 1`;
  if (!persona) throw new Error('QP0101 has no active Claim Submitter');
  const jwt = await signJwt(claimsOf(persona.profile), stack.config.jwtSecret);

  const rlsUrl = `/rest/v1/claim_overview?select=*&order=created_at.desc&offset=0&limit=${PAGE}`;
  const explicitUrl = `${rlsUrl}&provider_id=eq.${persona.provider}`;
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

  // Direct SQL: the page as JSON (every column, as the gateway sends it) and the exact count.
  const pageSql = (where: string) => `
    with page as (select * from public.claim_overview ${where} order by created_at desc limit ${PAGE} offset 0)
    select (select count(*) from public.claim_overview ${where}) as total, coalesce((select json_agg(page) from page), '[]'::json) as body`;
  const viaSql = async (asPersona: boolean): Promise<Page> => {
    const [row] = await direct.begin(async (tx) => {
      if (asPersona) {
        await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify(claimsOf(persona.profile))}, true)`;
        return tx.unsafe<Array<{ total: string; body: Array<{ id: string }> }>>(pageSql(''));
      }
      await tx`select set_config('role', 'service_role', true), set_config('request.jwt.claims', '{"role":"service_role"}', true)`;
      return tx.unsafe<Array<{ total: string; body: Array<{ id: string }> }>>(pageSql('where provider_id = $1'), [persona.provider]);
    });
    return { ids: row!.body.map((r) => r.id), total: Number(row!.total) };
  };

  const [expected] = await admin<Array<{ total: number }>>`select count(*)::int as total from public.claims where provider_id = ${persona.provider}`;
  const service = stack.keys.serviceRoleKey;
  const paths: Array<[string, Page]> = [
    ['gateway RLS', await get(rlsUrl, jwt)],
    ['gateway explicit', await get(explicitUrl, service)],
    ['SQL RLS', await viaSql(true)],
    ['SQL explicit', await viaSql(false)],
  ];
  for (const [name, page] of paths) {
    if (page.total !== expected!.total || page.ids.length !== Math.min(PAGE, expected!.total) || page.ids.join() !== paths[0]![1].ids.join()) {
      throw new Error(`${name}: ${page.ids.length} rows of ${page.total}; ${persona.ods} has ${expected!.total} claims — the paths are not equivalent`);
    }
  }
  console.log(`${persona.ods}'s claims list: all four paths return the same ${paths[0]![1].ids.length} rows of ${expected!.total}.`);

  if (process.env.BENCH_EXPLAIN === '1') {
    const plan = await admin.begin(async (tx) => {
      await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify(claimsOf(persona.profile))}, true)`;
      return tx.unsafe(`explain (analyze, buffers, costs off) select * from public.claim_overview order by created_at desc limit ${PAGE}`);
    });
    console.log(`\nEXPLAIN ANALYZE of the list as ${persona.ods}'s Claim Submitter:\n${plan.map((row) => row['QUERY PLAN']).join('\n')}\n`);
  }

  return compareRlsWithExplicit(
    {
      gatewayRls: () => get(rlsUrl, jwt),
      gatewayExplicit: () => get(explicitUrl, service),
      sqlRls: () => viaSql(true),
      sqlExplicit: () => viaSql(false),
    },
    { label: 'claims list', warmUp: LIST_WARM_UP, measured: LIST_MEASURED, targetRatio: TARGET_RATIO, interrupted, deadline },
  );
}

async function main(): Promise<void> {
  const started = performance.now();
  const deadline = Date.now() + DEADLINE_MS;
  const interrupted = watchInterrupts();
  const bench = await startBenchStack('commissioning-bench-claims');
  const { stack } = bench;
  let admin: postgres.Sql | undefined;
  let direct: postgres.Sql | undefined;
  try {
    admin = postgres(stack.dbUrl, { max: 1, onnotice: () => undefined });
    console.log('Building the national-scale organisations and people…');
    const peopleSeconds = await buildNationalScale(admin, (line) => console.log(line));
    console.log(`  ${peopleSeconds.toFixed(1)} s`);
    console.log('Building the national-scale claims…');
    const claimsSeconds = await buildNationalClaims(admin, (line) => console.log(line));
    const [size] = await admin<Array<{ services: number; offers: number; claims: number; lines: number; claim_services: number; answers: number; evidence: number }>>`
      select (select count(*)::int from public.quality_services) as services,
             (select count(*)::int from public.service_offers) as offers,
             (select count(*)::int from public.claims) as claims,
             (select count(*)::int from public.claim_lines) as lines,
             (select count(*)::int from public.claim_services) as claim_services,
             (select count(*)::int from public.claim_answers) as answers,
             (select count(*)::int from public.claim_evidence) as evidence`;
    const n = (value: number) => value.toLocaleString('en-GB');
    console.log(
      `Generator: ${claimsSeconds.toFixed(1)} s — ${n(size!.services)} services, ${n(size!.offers)} offers, ${n(size!.claims)} claims, ` +
        `${n(size!.lines)} claim lines, ${n(size!.claim_services)} claim services, ${n(size!.answers)} answers, ${n(size!.evidence)} evidence files.`,
    );
    if (size!.lines < 1_000_000) throw new Error(`only ${size!.lines} claim lines: the benchmark needs at least 1,000,000`);
    await stack.reloadSchema();

    // The gateway's own login role, so the comparison is like for like.
    direct = postgres(databaseUrl(stack.config, 'authenticator', 'postgres'), { max: 1, onnotice: () => undefined, prepare: true });
    const submitWithin = await benchSubmit(admin, direct, interrupted, deadline);
    const listWithin = await benchList(admin, direct, stack, interrupted, deadline);
    const queueWithin = await benchTier1Queue(admin, direct, stack, interrupted, deadline);
    if (!interrupted()) await benchPaymentRun(admin, direct);
    console.log(
      submitWithin && listWithin && queueWithin
        ? `Every claims goal met (submit p50 ≤ ${SUBMIT_GOAL_MS} ms; list and Tier 1 queue RLS ÷ explicit ≤ ${TARGET_RATIO}x).`
        : 'Not every claims goal is met (or the run stopped early): see the lines above.',
    );
  } finally {
    await direct?.end({ timeout: 5 }).catch(() => undefined);
    await admin?.end({ timeout: 5 }).catch(() => undefined);
    await bench.dispose();
    console.log(`Done in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  }
}

// Run when started as a script (importing the file only gives the two measurements).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
