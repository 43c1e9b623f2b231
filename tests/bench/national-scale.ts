// National-scale tenancy data for benchmarks (issue 4, item 10). Run as the
// superuser on a database that holds the seed (supabase/seed.sql): it builds,
// under the seeded national body ZE1 (alongside the demo region ZR1),
//
//   7 regions (QR01…), 42 ICBs (QI001…), 106 sub-ICB locations (QS001…),
//   1,250 PCNs (QU0001…, under sub-ICBs), 6,300 practices (QP0001…; every
//   tenth directly under its ICB, the rest under a sub-ICB),
//   6,300 current PCN memberships (valid_from 2020-07-01) and 630 closed ones
//   (practices that moved PCN: 2019-04-01 … 2020-06-30 in another PCN),
//   30,000 people (auth.users + profiles + memberships):
//     25,200 practice staff (4 per practice: claim submitters / service
//       management; every other practice one provider approver),
//     1,250 PCN staff, 3,550 commissioner staff at ICBs and sub-ICBs
//       (approver tier 1, tier 2, finance, commissioning / approval / finance
//       management, user and organisation administrators),
//     ~1 % of memberships revoked, ~0.5 % of accounts pending with a
//     requested membership,
//   3 clusters per ICB (20 practices each) and 10 tier-1 users per ICB
//   restricted to one of them,
// and two fixed benchmark personas (NATIONAL.ICB_USER, NATIONAL.CLUSTER_USER).
//
// Set-based SQL in one transaction. The organisation triggers (closure table,
// settings rows, parent-type checks) and the profile, membership and cluster
// guards all run; statuses are written the way supabase/seed.sql does it (the
// transaction announces itself with app.action). Only the auth.users insert
// runs with session_replication_role = replica, so private.handle_new_auth_user
// (one audit entry and Support Desk notifications per registration) does not
// fire 30,000 times; the profiles it would create are inserted directly.
import type postgres from 'postgres';

export const NATIONAL = {
  /** ZE1 in supabase/seed.sql. */
  NATIONAL_BODY: '0a000000-0000-4000-8000-000000000001',
  /** Commissioning Management + Approver Tier 2 at QI001; no clusters, no administrator roles. */
  ICB_USER: '5ca1eb00-0000-4000-8000-000000000001',
  /** Approver Tier 1 at QI001, assigned to cluster NATIONAL.CLUSTER (20 practices). */
  CLUSTER_USER: '5ca1eb00-0000-4000-8000-000000000002',
  CLUSTER: '5ca1eb00-0000-4000-8000-0000000000c1',
  ICB_ODS: 'QI001',
} as const;

export const NATIONAL_COUNTS = {
  regions: 7,
  icbs: 42,
  subIcbs: 106,
  pcns: 1250,
  practices: 6300,
  people: 30_000,
} as const;

type Sql = postgres.Sql | postgres.TransactionSql;

/** Builds the national-scale data set (see the file comment) and ANALYZEs. Returns the seconds taken. */
export async function buildNationalScale(sql: postgres.Sql, log: (line: string) => void = () => undefined): Promise<number> {
  const started = performance.now();
  const step = async (label: string, run: () => Promise<unknown>) => {
    const t0 = performance.now();
    await run();
    log(`  ${label} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  };
  await sql.begin(async (tx) => {
    await tx`select set_config('app.action', 'bench.national_scale', true)`;
    await step('organisations', () => organisations(tx));
    await step('PCN memberships', () => pcnMemberships(tx));
    await step('people', () => people(tx));
    await step('clusters', () => clusters(tx));
  });
  await step('analyze', () => sql`analyze`);
  return (performance.now() - started) / 1000;
}

/** The organisation tree (7 regions … 6,300 practices) under ZE1; also used by tests/db/tenancy/scale.test.ts. */
export async function organisations(tx: Sql): Promise<void> {
  // Level by level; each row's triggers fill organisation_closure and settings.
  await tx`
    insert into public.organisations (ods_code, name, type, parent_id)
    select 'QR' || lpad(g::text, 2, '0'), 'National region ' || g, 'region', ${NATIONAL.NATIONAL_BODY}::uuid
    from generate_series(1, 7) g`;
  await tx`
    insert into public.organisations (ods_code, name, type, parent_id)
    select 'QI' || lpad(g::text, 3, '0'), 'NHS ICB ' || g, 'icb', r.id
    from generate_series(1, 42) g join public.organisations r on r.ods_code = 'QR' || lpad(((g - 1) % 7 + 1)::text, 2, '0')`;
  await tx`
    insert into public.organisations (ods_code, name, type, parent_id)
    select 'QS' || lpad(g::text, 3, '0'), 'Sub-ICB location ' || g, 'sub_icb', i.id
    from generate_series(1, 106) g join public.organisations i on i.ods_code = 'QI' || lpad(((g - 1) % 42 + 1)::text, 3, '0')`;
  await tx`
    insert into public.organisations (ods_code, name, type, parent_id)
    select 'QU' || lpad(g::text, 4, '0'), 'Primary care network ' || g, 'pcn', s.id
    from generate_series(1, 1250) g join public.organisations s on s.ods_code = 'QS' || lpad(((g - 1) % 106 + 1)::text, 3, '0')`;
  // Practice g belongs to sub-ICB ((g-1) % 106 + 1); every tenth sits directly under that sub-ICB's ICB.
  await tx`
    insert into public.organisations (ods_code, name, type, parent_id)
    select 'QP' || lpad(g::text, 4, '0'),
           (array['Riverside', 'Bridge Street', 'Mill Lane', 'Hill Top', 'Westfield', 'Harbour', 'Quayside', 'Elm Tree',
                  'Station Road', 'Market Square'])[g % 10 + 1] || ' Surgery ' || g,
           'practice', case when g % 10 = 0 then s.parent_id else s.id end
    from generate_series(1, 6300) g join public.organisations s on s.ods_code = 'QS' || lpad(((g - 1) % 106 + 1)::text, 3, '0')`;
}

// PCN u (1…1250) lies in sub-ICB ((u-1) % 106 + 1); practice g's PCN is one of its sub-ICB's PCNs.
const PCN_OF = (g: string) => `((${g} - 1) % 106 + 1 + 106 * (((${g} - 1) / 106) % 11))`;

/** Every practice in a PCN of its own sub-ICB, every tenth with an earlier, closed membership. */
export async function pcnMemberships(tx: Sql): Promise<void> {
  await tx.unsafe(`
    insert into public.pcn_memberships (practice_id, pcn_id, valid_from)
    select p.id, u.id, date '2020-07-01'
    from generate_series(1, 6300) g
    join public.organisations p on p.ods_code = 'QP' || lpad(g::text, 4, '0')
    join public.organisations u on u.ods_code = 'QU' || lpad(${PCN_OF('g')}::text, 4, '0')`);
  // History: every tenth practice was in a neighbouring PCN of the same sub-ICB before.
  await tx.unsafe(`
    insert into public.pcn_memberships (practice_id, pcn_id, valid_from, valid_to)
    select p.id, u.id, date '2019-04-01', date '2020-06-30'
    from generate_series(5, 6300, 10) g
    join public.organisations p on p.ods_code = 'QP' || lpad(g::text, 4, '0')
    join public.organisations u on u.ods_code = 'QU' || lpad(((${PCN_OF('g')} + 106 - 1) % 1166 + 1)::text, 4, '0')`);
}

async function people(tx: Sql): Promise<void> {
  // g 1…25,200 practice staff, 25,201…26,450 PCN staff, 26,451…30,000 commissioner staff.
  await tx.unsafe(`
    create temporary table national_people on commit drop as
    with plan as (
      select g,
             case
               when g <= 25200 then 'QP' || lpad(((g - 1) % 6300 + 1)::text, 4, '0')
               when g <= 26450 then 'QU' || lpad((g - 25200)::text, 4, '0')
               when (g - 26451) / 42 >= 82 then 'QS' || lpad(((g - 26451) % 106 + 1)::text, 3, '0')
               else 'QI' || lpad(((g - 26451) % 42 + 1)::text, 3, '0')
             end as ods_code,
             case
               when g <= 25200 then
                 case (g - 1) / 6300
                   when 0 then '{service_management,claim_submitter}'
                   when 1 then '{claim_submitter}'
                   when 2 then '{service_management,claim_submitter,finance_view}'
                   else case when g % 2 = 0 then '{provider_approver,finance_view}' else '{view}' end
                 end
               when g <= 26450 then '{service_management,claim_submitter}'
               else
                 case
                   when (g - 26451) / 42 < 40 then '{approver_tier_1}'
                   when (g - 26451) / 42 < 60 then '{approver_tier_2}'
                   when (g - 26451) / 42 < 68 then '{finance}'
                   when (g - 26451) / 42 < 72 then '{commissioning_management,approver_tier_2}'
                   when (g - 26451) / 42 < 75 then '{approval_management}'
                   when (g - 26451) / 42 < 77 then '{finance_management,finance}'
                   when (g - 26451) / 42 < 80 then '{user_administrator}'
                   when (g - 26451) / 42 = 80 then '{advanced_user_administrator,user_administrator}'
                   when (g - 26451) / 42 = 81 then '{organisation_administrator}'
                   else '{approver_tier_1,commissioning_management}'
                 end
             end::public.app_role[] as roles
      from generate_series(1, 30000) g
    )
    select gen_random_uuid() as id, 'person.' || g || '@national.example' as email, 'Person ' || g as full_name,
           ods_code, roles,
           case when g % 200 = 7 then 'pending' else 'active' end::public.account_status as account_status,
           case when g % 200 = 7 then 'requested' when g % 100 = 13 then 'revoked' else 'active' end::public.membership_status as status,
           (g > 26450 and (g - 26451) / 42 < 10) as clustered, ((g - 26451) / 42) % 3 + 1 as cluster_no
    from plan`);
  // The two benchmark personas (not in the 30,000).
  await tx.unsafe(`
    insert into national_people values
      ('${NATIONAL.ICB_USER}', 'bench.icb.user@national.example', 'Bench ICB user', '${NATIONAL.ICB_ODS}',
       '{commissioning_management,approver_tier_2}', 'active', 'active', false, 0),
      ('${NATIONAL.CLUSTER_USER}', 'bench.cluster.user@national.example', 'Bench cluster user', '${NATIONAL.ICB_ODS}',
       '{approver_tier_1}', 'active', 'active', false, 0)`);

  await tx`set local session_replication_role = replica`;
  await tx`
    insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, created_at, updated_at,
                            raw_app_meta_data, raw_user_meta_data)
    select '00000000-0000-0000-0000-000000000000', id, 'authenticated', 'authenticated', email, '', now(), now(), now(),
           '{"provider":"email","providers":["email"]}', jsonb_build_object('full_name', full_name)
    from national_people`;
  await tx`set local session_replication_role = origin`;

  await tx`
    insert into public.profiles (id, email, full_name, status, status_changed_at)
    select id, email, full_name, account_status, now() from national_people`;
  await tx`
    insert into public.memberships (profile_id, organisation_id, roles, status, requested_at, decided_at, decision_reason)
    select np.id, o.id, np.roles, np.status, now() - interval '30 days',
           case when np.status <> 'requested' then now() - interval '29 days' end,
           case when np.status = 'revoked' then 'Left the organisation' end
    from national_people np join public.organisations o on o.ods_code = np.ods_code`;
}

async function clusters(tx: Sql): Promise<void> {
  // Three clusters per ICB (short names are made by the trigger: CL-QI001-001 …).
  await tx`
    insert into public.clusters (id, commissioner_id, short_name, name, description)
    select case when i.ods_code = ${NATIONAL.ICB_ODS} and n = 1 then ${NATIONAL.CLUSTER}::uuid else gen_random_uuid() end,
           i.id, 'CL-PENDING-000', i.name || ' cluster ' || n, 'Generated for the national-scale benchmark'
    from public.organisations i cross join generate_series(1, 3) n
    where i.type = 'icb' and i.ods_code like 'QI%'
    order by i.ods_code, n`;
  // 20 practices each, the ICB's practices in ODS order: cluster n takes practices 20(n-1)+1 … 20n.
  await tx`
    insert into public.cluster_organisations (cluster_id, organisation_id)
    select c.id, p.practice_id
    from (select cl.id, cl.commissioner_id, row_number() over (partition by cl.commissioner_id order by cl.short_name) as n
          from public.clusters cl join public.organisations i on i.id = cl.commissioner_id and i.ods_code like 'QI%') c
    join (select oc.ancestor_id, oc.descendant_id as practice_id,
                 row_number() over (partition by oc.ancestor_id order by o.ods_code) as k
          from public.organisation_closure oc join public.organisations o on o.id = oc.descendant_id and o.type = 'practice'
          join public.organisations i on i.id = oc.ancestor_id and i.type = 'icb' and i.ods_code like 'QI%') p
      on p.ancestor_id = c.commissioner_id and p.k between 20 * (c.n - 1) + 1 and 20 * c.n`;
  // 10 tier-1 people per ICB restricted to one cluster each, and the cluster persona.
  await tx`
    insert into public.cluster_assignments (membership_id, cluster_id)
    select m.id, c.id
    from national_people np
    join public.memberships m on m.profile_id = np.id
    join public.organisations i on i.id = m.organisation_id and i.type = 'icb'
    join (select cl.id, cl.commissioner_id, row_number() over (partition by cl.commissioner_id order by cl.short_name) as n
          from public.clusters cl) c on c.commissioner_id = i.id and c.n = np.cluster_no
    where np.clustered`;
  await tx`
    insert into public.cluster_assignments (membership_id, cluster_id)
    select m.id, ${NATIONAL.CLUSTER}::uuid from public.memberships m where m.profile_id = ${NATIONAL.CLUSTER_USER}`;
}
