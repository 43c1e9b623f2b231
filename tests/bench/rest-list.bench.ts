// `npm run bench`: what the REST gateway costs over talking to Postgres directly.
//
// Starts its own fresh stack (temporary data directory, free ports), creates
// `public.bench_rows` with 100,000 rows and a realistic RLS policy (a user sees
// their own rows and public ones), signs a user JWT, then times the same list
// page both ways, alternating:
//   gateway:    GET /rest/v1/bench_rows?select=*&status=eq.open&order=created_at.desc&offset=0&limit=25
//               with Prefer: count=exact, as the user (Authorization: Bearer <jwt>)
//   direct SQL: the same work over one `postgres` connection as `authenticator`:
//               BEGIN; role and request.jwt.claims set locally; page as JSON + exact count; COMMIT
// Prints p50/p95 of each and the ratio. Bounded: a fixed number of requests and
// an overall deadline; never part of `npm test`.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { databaseUrl } from '../../stack/config.ts';
import { signJwt } from '../../stack/jwt.ts';
import { startBenchStack, summary, watchInterrupts } from './harness.ts';

const ROWS = 100_000;
const OWNERS = 50;
const WARM_UP = 50;
const MEASURED = Number(process.env.BENCH_REQUESTS ?? 300);
const DEADLINE_MS = 5 * 60_000;
const REQUEST_TIMEOUT_MS = 10_000;
const PAGE = 25;

const ms = (value: number): string => `${value.toFixed(2)} ms`;

async function createBenchTable(dbUrl: string, benchUser: string): Promise<void> {
  const sql = postgres(dbUrl, { max: 1, onnotice: () => undefined });
  try {
    await sql.begin(async (tx) => {
      await tx`
        create table public.bench_rows (
          id bigint generated always as identity primary key,
          owner_id uuid not null,
          is_public boolean not null default false,
          status text not null check (status in ('draft', 'open', 'closed')),
          title text not null,
          amount_pence integer not null check (amount_pence >= 0),
          created_at timestamptz not null
        )`;
      // 50 owners (the bench user is one of them), statuses 20% draft / 50% open /
      // 30% closed and 2% of rows public (both independent of the owner),
      // creation times spread over two years.
      await tx`
        with owners as (
          select array_agg(case when n = 1 then ${benchUser}::uuid else gen_random_uuid() end) as ids
          from generate_series(1, ${OWNERS}::int) as n
        )
        insert into public.bench_rows (owner_id, is_public, status, title, amount_pence, created_at)
        select
          owners.ids[1 + (g % ${OWNERS}::int)],
          (g / ${OWNERS}::int) % 50 = 7,
          case (g / ${OWNERS}::int) % 10 when 0 then 'draft' when 1 then 'draft'
            when 7 then 'closed' when 8 then 'closed' when 9 then 'closed' else 'open' end,
          'Claim ' || g,
          ((g::bigint * 7919) % 500000)::int,
          timestamptz '2024-04-01 00:00:00+01' + ((g::bigint * 104729) % (730 * 24 * 60)) * interval '1 minute'
        from generate_series(1, ${ROWS}::int) as g, owners`;
      await tx`create index bench_rows_owner_status_created_idx on public.bench_rows (owner_id, status, created_at desc)`;
      await tx`create index bench_rows_public_status_created_idx on public.bench_rows (status, created_at desc) where is_public`;
      await tx`alter table public.bench_rows enable row level security`;
      await tx`
        create policy "owners see their rows, everyone signed in sees public rows"
          on public.bench_rows for select to authenticated
          using (owner_id = (select auth.uid()) or is_public)`;
      await tx`grant select on public.bench_rows to authenticated`;
    });
    await sql`analyze public.bench_rows`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

interface PageResult {
  ids: number[];
  total: number;
}

async function main(): Promise<void> {
  const started = performance.now();
  const deadline = Date.now() + DEADLINE_MS;
  const interrupted = watchInterrupts();
  const bench = await startBenchStack('commissioning-bench');
  const { stack } = bench;
  let direct: postgres.Sql | undefined;
  try {

    const benchUser = randomUUID();
    console.log(`Creating public.bench_rows with ${ROWS.toLocaleString('en-GB')} rows and an RLS policy…`);
    await createBenchTable(stack.dbUrl, benchUser);
    await stack.reloadSchema();

    const now = Math.floor(Date.now() / 1000);
    const claims = {
      sub: benchUser,
      role: 'authenticated',
      aud: 'authenticated',
      email: 'bench.user@bench.example',
      iat: now,
      exp: now + 3600,
    };
    const jwt = await signJwt(claims, stack.config.jwtSecret);

    const restUrl =
      `${stack.apiUrl}/rest/v1/bench_rows` +
      `?select=*&status=eq.open&order=created_at.desc&offset=0&limit=${PAGE}`;
    const headers = {
      apikey: stack.keys.anonKey,
      authorization: `Bearer ${jwt}`,
      prefer: 'count=exact',
      accept: 'application/json',
    };

    const viaGateway = async (): Promise<PageResult> => {
      const response = await fetch(restUrl, { headers, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      const body = await response.text();
      if (response.status !== 200 && response.status !== 206) {
        throw new Error(`gateway answered ${response.status}: ${body.slice(0, 300)}`);
      }
      const range = response.headers.get('content-range') ?? '';
      const total = Number(range.split('/')[1]);
      const rows = JSON.parse(body) as Array<{ id: number }>;
      return { ids: rows.map((row) => Number(row.id)), total };
    };

    // The gateway's own login role, so the comparison is like for like.
    direct = postgres(databaseUrl(stack.config, 'authenticator', 'postgres'), {
      max: 1,
      onnotice: () => undefined,
      prepare: true,
    });
    const directSql = direct;
    const claimsJson = JSON.stringify(claims);
    const viaSql = async (): Promise<PageResult> => {
      const [row] = await directSql.begin(async (tx) => {
        await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${claimsJson}, true)`;
        return tx<Array<{ total: string; body: Array<{ id: number }> }>>`
          with page as (
            select * from public.bench_rows
            where status = ${'open'}
            order by created_at desc
            limit ${PAGE} offset 0
          )
          select
            (select count(*) from public.bench_rows where status = ${'open'}) as total,
            coalesce((select json_agg(page) from page), '[]'::json) as body`;
      });
      if (!row) throw new Error('direct SQL returned no row');
      return { ids: row.body.map((r) => Number(r.id)), total: Number(row.total) };
    };

    // Both paths must see the same rows: RLS applies to each.
    const [fromGateway, fromSql] = [await viaGateway(), await viaSql()];
    const adminSql = postgres(stack.dbUrl, { max: 1, onnotice: () => undefined });
    const [expected] = await adminSql<Array<{ visible: number; open_visible: number }>>`
      select count(*)::int as visible, count(*) filter (where status = 'open')::int as open_visible
      from public.bench_rows where owner_id = ${benchUser} or is_public`;
    await adminSql.end({ timeout: 5 });
    if (
      fromGateway.ids.length !== PAGE ||
      fromGateway.ids.join() !== fromSql.ids.join() ||
      fromGateway.total !== fromSql.total ||
      fromGateway.total !== expected?.open_visible
    ) {
      throw new Error(
        `the two paths disagree: gateway ${fromGateway.ids.length} rows / total ${fromGateway.total}, ` +
          `SQL ${fromSql.ids.length} rows / total ${fromSql.total}, expected total ${expected?.open_visible}`,
      );
    }
    console.log(
      `The bench user sees ${expected?.visible.toLocaleString('en-GB')} of ${ROWS.toLocaleString('en-GB')} rows ` +
        `(${expected?.open_visible.toLocaleString('en-GB')} open); both paths return the same page and count.`,
    );

    console.log(`Warming up (${WARM_UP} of each)…`);
    for (let i = 0; i < WARM_UP && !interrupted(); i++) {
      await viaGateway();
      await viaSql();
    }

    console.log(`Measuring ${MEASURED} of each, alternating…`);
    const gatewayTimes: number[] = [];
    const sqlTimes: number[] = [];
    for (let i = 0; i < MEASURED && !interrupted() && Date.now() < deadline; i++) {
      let t0 = performance.now();
      await viaGateway();
      gatewayTimes.push(performance.now() - t0);
      t0 = performance.now();
      await viaSql();
      sqlTimes.push(performance.now() - t0);
    }
    if (gatewayTimes.length < MEASURED) {
      console.log(`Stopped early after ${gatewayTimes.length} pairs (${interrupted() ? 'interrupted' : 'deadline'}).`);
    }
    if (gatewayTimes.length === 0) return;

    const g = summary(gatewayTimes);
    const s = summary(sqlTimes);
    console.log('');
    console.log(`gateway    p50 ${ms(g.p50)}  p95 ${ms(g.p95)}  mean ${ms(g.mean)}  (${gatewayTimes.length} HTTP requests)`);
    console.log(`direct SQL p50 ${ms(s.p50)}  p95 ${ms(s.p95)}  mean ${ms(s.mean)}  (${sqlTimes.length} transactions)`);
    console.log(
      `gateway p50 ${ms(g.p50)}, direct SQL p50 ${ms(s.p50)}, ratio ${(g.p50 / s.p50).toFixed(2)}x ` +
        `(${g.p50 - s.p50 >= 0 ? '+' : '−'}${ms(Math.abs(g.p50 - s.p50))})`,
    );
  } finally {
    await direct?.end({ timeout: 5 }).catch(() => undefined);
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
