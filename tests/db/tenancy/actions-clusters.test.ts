// Service Provider Clusters: the rules (system-made immutable short name,
// name unique per commissioner, organisations inside the commissioner's
// subtree, assignments only to the commissioner's memberships) and the
// cluster actions with their effect on reach.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { asOk, CLUSTER, expectRefused, inTx, MEMBERSHIP, ORG, PERSON, type PersonName, type Tx } from './fixtures.ts';

async function reach(tx: Tx, who: PersonName): Promise<string[]> {
  const rows = await asOk(tx, who, (sp) => sp<{ ods_code: string }[]>`
    select o.ods_code from public.organisations o where o.id = any (array(select private.reachable_organisations())) order by 1`);
  return rows.map((r) => r.ods_code);
}

const createCluster = (commissioner: string, name: string, description: string | null = '') => (sp: Tx) =>
  sp<{ id: string; short_name: string; name: string; description: string }[]>`
    select id, short_name, name, description from public.create_cluster(${commissioner}::uuid, ${name}::text, ${description}::text)`;
const updateCluster = (id: string, name: string, description: string) => (sp: Tx) =>
  sp<{ short_name: string; name: string; description: string }[]>`
    select short_name, name, description from public.update_cluster(${id}::uuid, ${name}::text, ${description}::text)`;
const addOrg = (cluster: string, org: string) => (sp: Tx) =>
  sp`select organisation_id from public.add_cluster_organisation(${cluster}::uuid, ${org}::uuid)`;
const removeOrg = (cluster: string, org: string) => (sp: Tx) =>
  sp`select organisation_id from public.remove_cluster_organisation(${cluster}::uuid, ${org}::uuid)`;
const assign = (cluster: string, membership: string) => (sp: Tx) =>
  sp`select membership_id from public.assign_cluster(${cluster}::uuid, ${membership}::uuid)`;
const unassign = (cluster: string, membership: string) => (sp: Tx) =>
  sp`select membership_id from public.unassign_cluster(${cluster}::uuid, ${membership}::uuid)`;

const FULL_ZN1 = ['ZN1', 'ZN1E', 'ZN1W', 'ZP1001', 'ZP1002', 'ZP1003', 'ZP1004', 'ZP1005', 'ZP1006', 'ZU101', 'ZU102', 'ZU103'];

describe('the demo cluster', () => {
  it('CL-ZN1-001 "Riverside practices" holds ZP1001 and ZP1002; Casey reaches only those', async () => {
    await inTx(async (tx) => {
      const [cluster] = await tx`
        select c.short_name, c.name, o.ods_code as commissioner,
               (select array_agg(x.ods_code order by x.ods_code) from public.cluster_organisations co
                join public.organisations x on x.id = co.organisation_id where co.cluster_id = c.id) as organisations
        from public.clusters c join public.organisations o on o.id = c.commissioner_id where c.id = ${CLUSTER}`;
      expect(cluster).toEqual({ short_name: 'CL-ZN1-001', name: 'Riverside practices', commissioner: 'ZN1', organisations: ['ZP1001', 'ZP1002'] });
      expect(await reach(tx, 'casey')).toEqual(['ZP1001', 'ZP1002']);
      expect(await reach(tx, 'taylor')).toEqual(FULL_ZN1);
    });
  });
});

describe('create_cluster and update_cluster', () => {
  it('an Organisation Administrator creates a cluster with the next system-made short name; audited', async () => {
    await inTx(async (tx) => {
      const [cluster] = await asOk(tx, 'alex', createCluster(ORG.ZN1, '  Westfield practices ', 'West of the river'));
      expect(cluster).toMatchObject({ short_name: 'CL-ZN1-002', name: 'Westfield practices', description: 'West of the river' });
      const [southvale] = await asOk(tx, 'robin', createCluster(ORG.ZS1, 'Harbour practices'));
      expect(southvale!.short_name).toBe('CL-ZS1-001');
      // Sub-ICB commissioners have their own numbering.
      const [east] = await asOk(tx, 'alex', createCluster(ORG.ZN1E, 'East practices'));
      expect(east!.short_name).toBe('CL-ZN1E-001');
      const audit = await tx`select action, actor_id, after ->> 'short_name' as short_name from public.audit_log where entity_id = ${cluster!.id}`;
      expect(audit).toEqual([{ action: 'cluster.create', actor_id: PERSON.alex, short_name: 'CL-ZN1-002' }]);
    });
  });

  it('refuses duplicate names (any letter case), bad names and descriptions, non-commissioners and the wrong people', async () => {
    await inTx(async (tx) => {
      expect(await expectRefused(tx, 'alex', createCluster(ORG.ZN1, 'riverside PRACTICES'))).toMatchObject({
        code: '23505',
        message: 'NHS Northshire ICB (ZN1) already has a cluster named "riverside PRACTICES".',
        unchanged: true,
      });
      expect(await expectRefused(tx, 'alex', createCluster(ORG.ZN1, 'ab'))).toMatchObject({
        code: '22023',
        message: 'A cluster name has 3 to 100 characters.',
        unchanged: true,
      });
      expect(await expectRefused(tx, 'alex', createCluster(ORG.ZN1, 'Long description', 'd'.repeat(1001)))).toMatchObject({
        code: '22023',
        message: 'The description is too long (1001 characters; at most 1000).',
        unchanged: true,
      });
      expect(await expectRefused(tx, 'alex', createCluster(ORG.ZP1001, 'Practice cluster'))).toMatchObject({
        code: '22023',
        message: 'Clusters belong to commissioners; Riverside Medical Centre (ZP1001) is a practice.',
        unchanged: true,
      });
      for (const who of ['robin', 'chris', 'taylor', 'casey', 'pat', 'ash', 'lee', 'sam'] as const) {
        expect(await expectRefused(tx, who, createCluster(ORG.ZN1, 'Another cluster'))).toMatchObject({ code: '42501', unchanged: true });
      }
      expect(await expectRefused(tx, 'alex', createCluster(randomUUID(), 'Nowhere cluster'))).toMatchObject({ code: 'PT404', unchanged: true });
      // The same name under another commissioner is fine.
      await asOk(tx, 'robin', createCluster(ORG.ZS1, 'Riverside practices'));
    });
  });

  it('update renames and re-describes, keeps the short name; refuses duplicates and the wrong people', async () => {
    await inTx(async (tx) => {
      const [made] = await asOk(tx, 'alex', createCluster(ORG.ZN1, 'Westfield practices'));
      expect(await asOk(tx, 'alex', updateCluster(CLUSTER, 'Riverside and Bridge Street', 'Reviewed together'))).toEqual([
        { short_name: 'CL-ZN1-001', name: 'Riverside and Bridge Street', description: 'Reviewed together' },
      ]);
      expect(await expectRefused(tx, 'alex', updateCluster(made!.id, 'RIVERSIDE AND BRIDGE STREET', ''))).toMatchObject({ code: '23505', unchanged: true });
      expect(await expectRefused(tx, 'robin', updateCluster(CLUSTER, 'Hijacked', ''))).toMatchObject({
        code: '42501',
        message: 'You may not change cluster CL-ZN1-001.',
        unchanged: true,
      });
      const audit = await tx`select action, before ->> 'name' as before, after ->> 'name' as after from public.audit_log where entity_id = ${CLUSTER}`;
      expect(audit).toEqual([{ action: 'cluster.update', before: 'Riverside practices', after: 'Riverside and Bridge Street' }]);
    });
  });

  it('the short name is made by the system and can never change, whoever writes', async () => {
    await inTx(async (tx) => {
      const [made] = await tx`
        insert into public.clusters (commissioner_id, short_name, name) values (${ORG.ZN1}, 'CL-ZN1-777', 'Direct insert') returning short_name`;
      expect(made).toEqual({ short_name: 'CL-ZN1-002' });
      try {
        await tx.savepoint((sp) => sp`update public.clusters set short_name = 'CL-ZN1-999' where id = ${CLUSTER}`);
        throw new Error('the update succeeded');
      } catch (error) {
        expect(error).toMatchObject({ code: '42501', message: 'The short name of cluster CL-ZN1-001 cannot be changed.' });
      }
      try {
        await tx.savepoint((sp) => sp`update public.clusters set commissioner_id = ${ORG.ZS1} where id = ${CLUSTER}`);
        throw new Error('the update succeeded');
      } catch (error) {
        expect(error).toMatchObject({ code: '42501', message: 'Cluster CL-ZN1-001 cannot move to another commissioner.' });
      }
      try {
        await tx.savepoint((sp) => sp`insert into public.clusters (commissioner_id, short_name, name) values (${ORG.ZP1001}, 'x', 'Practice one')`);
        throw new Error('the insert succeeded');
      } catch (error) {
        expect(error).toMatchObject({ code: '23514', message: 'Clusters belong to a commissioning organisation; ZP1001 is a practice.' });
      }
    });
  });
});

describe('add_cluster_organisation and remove_cluster_organisation', () => {
  it('adding widens the reach of the people assigned, who are told; removing narrows it', async () => {
    await inTx(async (tx) => {
      await asOk(tx, 'alex', addOrg(CLUSTER, ORG.ZP1003));
      expect(await reach(tx, 'casey')).toEqual(['ZP1001', 'ZP1002', 'ZP1003']);
      // This transaction's messages only (the seed queued claim tasks for Casey).
      const told = await tx`select kind, body from public.notifications where recipient_id = ${PERSON.casey} and created_at = now()`;
      expect(told).toEqual([
        { kind: 'cluster_changed', body: 'Mill Lane Practice (ZP1003) was added to cluster CL-ZN1-001 (Riverside practices): you can now access it.' },
      ]);
      await asOk(tx, 'alex', removeOrg(CLUSTER, ORG.ZP1002));
      expect(await reach(tx, 'casey')).toEqual(['ZP1001', 'ZP1003']);
      const audit = await tx`select action from public.audit_log where entity_id = ${CLUSTER} order by id`;
      expect(audit.map((a) => a.action)).toEqual(['cluster.add_organisation', 'cluster.remove_organisation']);
    });
  });

  it('a sub-ICB in a cluster brings its descendants', async () => {
    await inTx(async (tx) => {
      await asOk(tx, 'alex', addOrg(CLUSTER, ORG.ZN1W));
      expect(await reach(tx, 'casey')).toEqual(['ZN1W', 'ZP1001', 'ZP1002', 'ZP1005', 'ZU103']);
    });
  });

  it('an emptied cluster leaves its people with nothing — never with the whole commissioner', async () => {
    await inTx(async (tx) => {
      await asOk(tx, 'alex', removeOrg(CLUSTER, ORG.ZP1001));
      await asOk(tx, 'alex', removeOrg(CLUSTER, ORG.ZP1002));
      expect(await reach(tx, 'casey')).toEqual([]);
    });
  });

  it("refuses organisations outside the commissioner's subtree, the commissioner itself, duplicates and the wrong people", async () => {
    await inTx(async (tx) => {
      expect(await expectRefused(tx, 'alex', addOrg(CLUSTER, ORG.ZP2001))).toMatchObject({
        code: '23514',
        message: 'Harbour Medical Practice (ZP2001) is not under NHS Northshire ICB (ZN1), so it cannot join cluster CL-ZN1-001.',
        hint: 'A cluster holds only organisations below its commissioner.',
        unchanged: true,
      });
      expect(await expectRefused(tx, 'alex', addOrg(CLUSTER, ORG.ZN1))).toMatchObject({ code: '23514', unchanged: true });
      expect(await expectRefused(tx, 'alex', addOrg(CLUSTER, ORG.ZP1001))).toMatchObject({
        code: 'PT409',
        message: 'Riverside Medical Centre (ZP1001) is already in cluster CL-ZN1-001.',
        unchanged: true,
      });
      expect(await expectRefused(tx, 'alex', removeOrg(CLUSTER, ORG.ZP1004))).toMatchObject({
        code: 'PT409',
        message: 'Hill Top Surgery (ZP1004) is not in cluster CL-ZN1-001.',
        unchanged: true,
      });
      expect(await expectRefused(tx, 'alex', addOrg(CLUSTER, randomUUID()))).toMatchObject({ code: 'PT404', unchanged: true });
      expect(await expectRefused(tx, 'alex', addOrg(randomUUID(), ORG.ZP1003))).toMatchObject({ code: 'PT404', unchanged: true });
      for (const who of ['robin', 'chris', 'casey', 'pat', 'sam'] as const) {
        expect(await expectRefused(tx, who, addOrg(CLUSTER, ORG.ZP1003))).toMatchObject({ code: '42501', unchanged: true });
        expect(await expectRefused(tx, who, removeOrg(CLUSTER, ORG.ZP1001))).toMatchObject({ code: '42501', unchanged: true });
      }
    });
  });

  it('the subtree rule holds for direct writes and for re-parenting too', async () => {
    await inTx(async (tx) => {
      try {
        await tx.savepoint((sp) => sp`insert into public.cluster_organisations (cluster_id, organisation_id) values (${CLUSTER}, ${ORG.ZP2002})`);
        throw new Error('the insert succeeded');
      } catch (error) {
        expect(error).toMatchObject({ code: '23514' });
      }
      try {
        await tx.savepoint(async (sp) => {
          await sp`update public.organisations set parent_id = ${ORG.ZS1C} where id = ${ORG.ZP1002}`;
          await sp`set constraints organisations_keep_clusters_consistent immediate`;
        });
        throw new Error('the move succeeded');
      } catch (error) {
        expect(error).toMatchObject({
          code: '23514',
          message: "Moving this organisation would take ZP1002 out of the subtree of cluster CL-ZN1-001's commissioner.",
        });
      }
      // Within the commissioner's subtree a move is fine.
      await tx`update public.organisations set parent_id = ${ORG.ZN1W} where id = ${ORG.ZP1002}`;
      await tx`set constraints organisations_keep_clusters_consistent immediate`;
    });
  });
});

describe('assign_cluster and unassign_cluster', () => {
  it('the Support Desk may neither assign nor unassign clusters (only User Administrators of the commissioner)', async () => {
    // Issue 11: unassigning widened a cluster reviewer's reach to the whole ICB.
    await inTx(async (tx) => {
      expect(await expectRefused(tx, 'sam', assign(CLUSTER, MEMBERSHIP.taylor))).toMatchObject({
        code: '42501',
        message: 'You may not assign clusters of NHS Northshire ICB (ZN1).',
        hint: 'User Administrators (User Administrator, Advanced User Administrator) of the commissioner assign its clusters.',
        unchanged: true,
      });
      expect(await expectRefused(tx, 'sam', unassign(CLUSTER, MEMBERSHIP.casey))).toMatchObject({
        code: '42501',
        message: 'You may not unassign clusters of NHS Northshire ICB (ZN1).',
        unchanged: true,
      });
      expect(await reach(tx, 'casey')).toEqual(['ZP1001', 'ZP1002']);
    });
  });

  it('an Advanced User Administrator of the commissioner, or a User Administrator above it, may', async () => {
    await inTx(async (tx) => {
      await tx`select set_config('app.action', 'test.setup', true)`;
      await tx`update public.memberships set roles = '{commissioning_management,advanced_user_administrator}' where id = ${MEMBERSHIP.chris}`;
      const [member] = await tx<{ id: string }[]>`
        insert into public.memberships (profile_id, organisation_id, roles, status)
        values (${PERSON.taylor}, ${ORG.ZN1E}, '{approver_tier_2}', 'active') returning id`;
      await tx`select set_config('app.action', '', true)`;
      await asOk(tx, 'chris', assign(CLUSTER, MEMBERSHIP.taylor));
      await asOk(tx, 'chris', unassign(CLUSTER, MEMBERSHIP.taylor));
      // Alex (User Administrator of ZN1) on a cluster of the sub-ICB ZN1E below it.
      const [east] = await asOk(tx, 'alex', createCluster(ORG.ZN1E, 'East practices'));
      await asOk(tx, 'alex', assign(east!.id, member!.id));
      await asOk(tx, 'alex', unassign(east!.id, member!.id));
    });
  });

  it('assigning restricts a commissioner membership to the cluster; the person is told; unassigning the last widens it again', async () => {
    await inTx(async (tx) => {
      expect(await reach(tx, 'taylor')).toEqual(FULL_ZN1);
      await asOk(tx, 'alex', assign(CLUSTER, MEMBERSHIP.taylor));
      expect(await reach(tx, 'taylor')).toEqual(['ZP1001', 'ZP1002']);
      expect((await tx`select kind, subject from public.notifications where recipient_id = ${PERSON.taylor} and created_at = now()`)).toEqual([
        { kind: 'cluster_assigned', subject: 'Assigned to cluster CL-ZN1-001' },
      ]);
      await asOk(tx, 'alex', unassign(CLUSTER, MEMBERSHIP.casey));
      expect(await reach(tx, 'casey')).toEqual(FULL_ZN1);
      const [told] = await tx`select body from public.notifications where recipient_id = ${PERSON.casey} and kind = 'cluster_unassigned'`;
      expect(told!.body).toBe('You are no longer limited to cluster CL-ZN1-001: your access covers all of NHS Northshire ICB (ZN1).');
      const audit = await tx`select action, subject_profile_id from public.audit_log where action in ('cluster.assign', 'cluster.unassign') order by id`;
      expect(audit).toEqual([
        { action: 'cluster.assign', subject_profile_id: PERSON.taylor },
        { action: 'cluster.unassign', subject_profile_id: PERSON.casey },
      ]);
    });
  });

  it('two clusters: the union of their organisations', async () => {
    await inTx(async (tx) => {
      const [west] = await asOk(tx, 'alex', createCluster(ORG.ZN1, 'Westfield practices'));
      await asOk(tx, 'alex', addOrg(west!.id, ORG.ZP1005));
      await asOk(tx, 'alex', assign(west!.id, MEMBERSHIP.casey));
      expect(await reach(tx, 'casey')).toEqual(['ZP1001', 'ZP1002', 'ZP1005']);
    });
  });

  it('refuses memberships of other organisations, duplicates, your own membership and the wrong people', async () => {
    await inTx(async (tx) => {
      expect(await expectRefused(tx, 'alex', assign(CLUSTER, MEMBERSHIP.pat))).toMatchObject({
        code: '23514',
        message: 'Cluster CL-ZN1-001 belongs to NHS Northshire ICB (ZN1); this membership is at Riverside Medical Centre (ZP1001).',
        unchanged: true,
      });
      expect(await expectRefused(tx, 'alex', assign(CLUSTER, MEMBERSHIP.casey))).toMatchObject({
        code: 'PT409',
        message: 'This membership is already assigned to cluster CL-ZN1-001.',
        unchanged: true,
      });
      expect(await expectRefused(tx, 'alex', unassign(CLUSTER, MEMBERSHIP.taylor))).toMatchObject({
        code: 'PT409',
        message: 'This membership is not assigned to cluster CL-ZN1-001.',
        unchanged: true,
      });
      expect(await expectRefused(tx, 'alex', assign(CLUSTER, MEMBERSHIP.alex))).toMatchObject({
        code: '42501',
        message: 'You cannot assign clusters on your own membership.',
        unchanged: true,
      });
      for (const who of ['robin', 'chris', 'taylor', 'casey', 'pat', 'ash'] as const) {
        expect(await expectRefused(tx, who, assign(CLUSTER, MEMBERSHIP.taylor))).toMatchObject({ code: '42501', unchanged: true });
        expect(await expectRefused(tx, who, unassign(CLUSTER, MEMBERSHIP.casey))).toMatchObject({ code: '42501', unchanged: true });
      }
      expect(await expectRefused(tx, 'alex', assign(randomUUID(), MEMBERSHIP.taylor))).toMatchObject({ code: 'PT404', unchanged: true });
      expect(await expectRefused(tx, 'alex', assign(CLUSTER, randomUUID()))).toMatchObject({ code: 'PT404', unchanged: true });
      try {
        await tx.savepoint((sp) => sp`insert into public.cluster_assignments (membership_id, cluster_id) values (${MEMBERSHIP.robin}, ${CLUSTER})`);
        throw new Error('the insert succeeded');
      } catch (error) {
        expect(error).toMatchObject({ code: '23514' });
      }
    });
  });
});
