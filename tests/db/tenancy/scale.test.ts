// National scale, checked by plan shape (not a benchmark: no timings). In one
// rolled-back transaction: 7 regions, 42 ICBs, 106 sub-ICB locations, 1,250
// PCNs, 6,300 practices (each in a PCN), a practice user per practice and
// commissioner staff per ICB. Then, as an ICB User Administrator and as a
// cluster-restricted reviewer, the policy-filtered queries run with
// auto_explain logging every plan — the helpers' own statements included —
// and none of them may read a large table with a sequential scan.
import type postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { connect, stack } from '../helpers.ts';
import { organisations, pcnMemberships } from '../../bench/national-scale.ts';

const plans: string[] = [];
const sql = connect(stack.dbUrl, { max: 1, onnotice: (notice) => plans.push(String(notice.message)) });

const LARGE_TABLES = [
  'organisations',
  'organisation_closure',
  'memberships',
  'profiles',
  'practice_settings',
  'pcn_memberships',
  'audit_log',
  'notifications',
];

const ICB_ADMIN = '5ca1e000-0000-4000-8000-000000000001';
const CLUSTER_REVIEWER = '5ca1e000-0000-4000-8000-000000000002';

async function build(tx: postgres.TransactionSql): Promise<void> {
  // The tree and PCN memberships of the national-scale benchmark (the closure and settings triggers do their work).
  await organisations(tx);
  await pcnMemberships(tx);

  // People, loaded in bulk (replica mode skips the per-row triggers).
  await tx`set local session_replication_role = replica`;
  await tx`
    create temporary table scale_people on commit drop as
    select gen_random_uuid() as id, 'practice.user.' || g || '@scale.example' as email, 'QP' || lpad(g::text, 4, '0') as ods_code,
           '{claim_submitter,service_management}'::public.app_role[] as roles
    from generate_series(1, 6300) g
    union all
    select gen_random_uuid(), 'icb.staff.' || g || '@scale.example', 'QI' || lpad(((g - 1) % 42 + 1)::text, 3, '0'),
           '{approver_tier_1}'::public.app_role[]
    from generate_series(1, 420) g
    union all
    select ${ICB_ADMIN}::uuid, 'scale.admin@scale.example', 'QI001', '{organisation_administrator,user_administrator}'::public.app_role[]
    union all
    select ${CLUSTER_REVIEWER}::uuid, 'scale.reviewer@scale.example', 'QI001', '{approver_tier_1}'::public.app_role[]`;
  await tx`
    insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, created_at, updated_at)
    select '00000000-0000-0000-0000-000000000000', id, 'authenticated', 'authenticated', email, '', now(), now(), now() from scale_people`;
  await tx`insert into public.profiles (id, email, full_name, status) select id, email, 'Person ' || email, 'active' from scale_people`;
  await tx`
    insert into public.memberships (profile_id, organisation_id, roles, status)
    select sp.id, o.id, sp.roles, 'active' from scale_people sp join public.organisations o on o.ods_code = sp.ods_code`;
  // A cluster of 20 of QI001's practices for the reviewer.
  await tx`
    insert into public.clusters (id, commissioner_id, short_name, name)
    select '5ca1e000-0000-4000-8000-0000000000c1', id, 'CL-QI001-001', 'Scale cluster' from public.organisations where ods_code = 'QI001'`;
  await tx`
    insert into public.cluster_organisations (cluster_id, organisation_id)
    select '5ca1e000-0000-4000-8000-0000000000c1', c.descendant_id
    from public.organisation_closure c join public.organisations i on i.id = c.ancestor_id and i.ods_code = 'QI001'
    join public.organisations p on p.id = c.descendant_id and p.type = 'practice'
    order by p.ods_code limit 20`;
  await tx`
    insert into public.cluster_assignments (membership_id, cluster_id)
    select m.id, '5ca1e000-0000-4000-8000-0000000000c1' from public.memberships m where m.profile_id = ${CLUSTER_REVIEWER}`;
  // An audit trail and an outbox of some size.
  await tx`
    insert into public.audit_log (actor_role, action, entity_type, entity_id, organisation_id, subject_profile_id)
    select 'authenticated', 'membership.approve', 'membership', m.id::text, m.organisation_id, m.profile_id
    from public.memberships m cross join generate_series(1, 3)`;
  await tx`
    insert into public.notifications (recipient_id, kind, subject, body)
    select m.profile_id, 'roles_changed', 'Roles changed', 'Your roles changed.' from public.memberships m cross join generate_series(1, 3)`;
  await tx`set local session_replication_role = origin`;
  await tx`analyze public.organisations, public.organisation_closure, public.memberships, public.profiles, public.practice_settings,
           public.commissioner_settings, public.pcn_memberships, public.clusters, public.cluster_organisations, public.cluster_assignments,
           public.audit_log, public.notifications`;
}

/** Queries the portal's lists make; each runs through the RLS policies. */
const QUERIES = [
  'select count(*) from public.practice_settings',
  'select organisation_id from public.practice_settings order by organisation_id limit 25',
  'select count(*) from public.pcn_memberships',
  'select id, practice_id from public.pcn_memberships order by practice_id limit 25',
  'select count(*) from public.profiles',
  'select id, email from public.profiles order by id limit 25',
  'select count(*) from public.memberships',
  'select id, roles from public.memberships order by organisation_id limit 25',
  'select count(*) from public.commissioner_settings',
  'select count(*) from public.clusters',
  'select count(*) from public.audit_log',
  'select id, action from public.audit_log order by occurred_at desc limit 25',
  'select count(*) from public.notifications',
  'select id, subject from public.notifications order by created_at desc limit 25',
  'select o.ods_code from public.organisations o where o.id = any (array(select private.reachable_organisations())) order by o.ods_code limit 25',
];

async function explainAs(tx: postgres.TransactionSql, sub: string): Promise<{ plans: string[]; counts: Record<string, number> }> {
  plans.length = 0;
  await tx`load 'auto_explain'`;
  await tx`
    select set_config('auto_explain.log_min_duration', '0', true), set_config('auto_explain.log_nested_statements', 'on', true),
           set_config('auto_explain.log_level', 'notice', true), set_config('client_min_messages', 'notice', true)`;
  await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify({ sub, role: 'authenticated' })}, true)`;
  const counts: Record<string, number> = {};
  for (const query of QUERIES) {
    const rows = await tx.unsafe(query);
    if (query.startsWith('select count(*)')) counts[query.replace('select count(*) from public.', '')] = Number(rows[0]!.count);
  }
  await tx`select set_config('role', 'none', true), set_config('auto_explain.log_min_duration', '-1', true)`;
  return { plans: [...plans], counts };
}

function seqScans(found: string[]): string[] {
  const pattern = new RegExp(`Seq Scan on (?:public\\.)?(${LARGE_TABLES.join('|')})\\b`);
  return found.filter((plan) => pattern.test(plan)).map((plan) => plan.split('\n').slice(0, 12).join('\n'));
}

describe('national scale (plan shapes, no timings)', () => {
  it('an ICB User Administrator and a cluster-restricted reviewer: every policy query and helper is index-backed', async () => {
    const ROLLBACK = new Error('rollback');
    try {
      await sql.begin(async (tx) => {
        await build(tx);
        const [size] = await tx`
          select (select count(*)::int from public.organisations where ods_code like 'Q%') as organisations,
                 (select count(*)::int from public.organisation_closure) as closure_rows,
                 (select count(*)::int from public.memberships) as memberships`;
        expect(size!.organisations).toBe(7 + 42 + 106 + 1250 + 6300);
        // PCNs and practices 5 rows each (self … national; every tenth practice sits under its ICB: 4), sub-ICBs 4, ICBs 3, regions 2.
        expect(size!.closure_rows).toBeGreaterThanOrEqual(5670 * 5 + 630 * 4 + 1250 * 5 + 106 * 4 + 42 * 3 + 7 * 2);
        expect(size!.memberships).toBeGreaterThan(6_700);

        const admin = await explainAs(tx, ICB_ADMIN);
        // QI001 has sub-ICBs 1, 43 and 85: 3 × ~59 practices and ~12 PCNs each.
        expect(admin.counts.practice_settings).toBeGreaterThan(150);
        expect(admin.counts.practice_settings).toBeLessThan(200);
        expect(admin.counts.profiles).toBeGreaterThan(admin.counts.practice_settings!);
        expect(admin.plans.some((plan) => /organisation_closure/.test(plan) && /Index (Only )?Scan/.test(plan))).toBe(true);
        expect(admin.plans.length).toBeGreaterThan(QUERIES.length); // nested helper statements were logged too
        expect(seqScans(admin.plans)).toEqual([]);

        const reviewer = await explainAs(tx, CLUSTER_REVIEWER);
        expect(reviewer.counts.practice_settings).toBe(20);
        expect(reviewer.counts.clusters).toBe(1);
        expect(seqScans(reviewer.plans)).toEqual([]);
        throw ROLLBACK;
      });
    } catch (error) {
      if (error !== ROLLBACK) throw error;
    }
  }, 180_000);
});
