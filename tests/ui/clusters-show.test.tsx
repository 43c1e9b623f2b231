// UI test of a cluster's page: its organisations (Remove asks first; Add
// offers only providers not yet in it, with Select All and a confirmation),
// assigned users linking to their user page, and what a User Administrator
// without Organisation Administrator may not do.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import {
  accessWith,
  createDouble,
  ICB_ADMIN,
  membership,
  organisation,
  orgId,
  renderPages,
  resetTransports,
  type Double,
} from './organisations-test-harness.tsx';

afterEach(resetTransports);

const CLUSTER_ID = 'cluster-1';

function riversideCluster(): Double {
  const embedded = (ods: string) => ({ id: orgId(ods), ods_code: ods, name: organisation(ods).name, type: organisation(ods).type });
  return createDouble({
    clusters: [
      {
        id: CLUSTER_ID,
        commissioner_id: orgId('ZN1'),
        short_name: 'CL-ZN1-001',
        name: 'Riverside practices',
        description: 'Riverside Medical Centre and Bridge Street Surgery, reviewed together.',
        created_at: '2025-03-30T23:30:00Z',
        updated_at: '2025-03-30T23:30:00Z',
      },
    ],
    cluster_organisations: ['ZP1001', 'ZP1002'].map((ods) => ({
      cluster_id: CLUSTER_ID,
      organisation_id: orgId(ods),
      added_at: '2025-04-01T09:00:00Z',
      organisation: embedded(ods),
    })),
    cluster_assignments: [
      {
        cluster_id: CLUSTER_ID,
        membership_id: 'membership-casey',
        assigned_at: '2025-04-02T09:00:00Z',
        membership: {
          id: 'membership-casey',
          profile_id: 'profile-casey',
          roles: ['approver_tier_1'],
          status: 'active',
          profile: { id: 'profile-casey', full_name: 'Casey Cluster', email: 'cluster.reviewer@northshire.example' },
        },
      },
    ],
  });
}

/** The newest confirmation dialog with this title (antd names every dialog after the first one's title under test). */
async function findConfirmation(title: string): Promise<HTMLElement> {
  const headings = await screen.findAllByText(title);
  const dialog = headings.at(-1)?.closest<HTMLElement>('[role="dialog"]');
  if (!dialog) throw new Error(`"${title}" is not in a dialog`);
  return dialog;
}

describe('cluster page (UI test with doubles)', { timeout: 30_000 }, () => {
  it('shows the cluster, its organisations and the people assigned to it', async () => {
    const double = riversideCluster();
    renderPages(double, `/ZN1/clusters/${CLUSTER_ID}`, ICB_ADMIN);
    expect(await screen.findByRole('heading', { name: 'CL-ZN1-001 · Riverside practices' })).toBeTruthy();
    expect(screen.getByText('NHS Northshire ICB (ZN1)')).toBeTruthy();
    // Created and last changed at 23:30 UTC on 30 March, which is 00:30 BST on 31 March in London.
    expect(screen.getAllByText('31/03/2025')).toHaveLength(2);
    expect(await screen.findByRole('heading', { name: 'Organisations (2)' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Riverside Medical Centre' }).getAttribute('href')).toBe(`/ZN1/organisations/${orgId('ZP1001')}`);
    const casey = await screen.findByRole('link', { name: 'Casey Cluster' });
    expect(casey.getAttribute('href')).toBe('/ZN1/users/profile-casey');
    expect(within(casey.closest('tr')!).getByText('Approver Tier 1')).toBeTruthy();
  });

  it('removes an organisation only after a confirmation', async () => {
    const double = riversideCluster();
    double.rpc = () => ({ data: {}, error: null, status: 200 });
    renderPages(double, `/ZN1/clusters/${CLUSTER_ID}`, ICB_ADMIN);
    fireEvent.click(await screen.findByRole('button', { name: 'Remove Bridge Street Surgery from the cluster' }));
    const first = await findConfirmation('Remove Bridge Street Surgery?');
    expect(within(first).getByText(/Bridge Street Surgery \(ZP1002\) leaves cluster CL-ZN1-001/)).toBeTruthy();
    fireEvent.click(within(first).getByRole('button', { name: 'Cancel' }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(double.rpcCalls).toEqual([]);

    const before = screen.getAllByText('Remove Bridge Street Surgery?').length;
    fireEvent.click(screen.getByRole('button', { name: 'Remove Bridge Street Surgery from the cluster' }));
    await waitFor(() => expect(screen.getAllByText('Remove Bridge Street Surgery?').length).toBeGreaterThan(before));
    const second = await findConfirmation('Remove Bridge Street Surgery?');
    fireEvent.click(within(second).getByRole('button', { name: 'Remove' }));
    await waitFor(() =>
      expect(double.rpcCalls).toEqual([
        { name: 'remove_cluster_organisation', args: { p_cluster_id: CLUSTER_ID, p_organisation_id: orgId('ZP1002') } },
      ]),
    );
  });

  it('adds organisations with the picker: only those not yet in the cluster, Select All, then a confirmation', async () => {
    const double = riversideCluster();
    double.rpc = () => ({ data: {}, error: null, status: 200 });
    renderPages(double, `/ZN1/clusters/${CLUSTER_ID}`, ICB_ADMIN);
    fireEvent.click(await screen.findByRole('button', { name: 'Add organisations' }));
    const picker = await screen.findByRole('dialog');
    await within(picker).findByText('Hill Top Surgery');
    // ZP1001 and ZP1002 are in already.
    expect(within(picker).queryByText('Riverside Medical Centre')).toBeNull();
    expect(within(picker).getByText('1–6 of 6 providers')).toBeTruthy();
    expect((within(picker).getByRole('button', { name: 'Add 0 organisations' }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.change(within(picker).getByRole('searchbox', { name: 'Search providers by ODS code or name' }), { target: { value: 'PCN' } });
    await waitFor(() => expect(within(picker).getByText('1–3 of 3 providers')).toBeTruthy());
    fireEvent.click(within(picker).getByRole('button', { name: 'Select all 3 organisations shown' }));
    fireEvent.click(within(picker).getByRole('button', { name: 'Add 3 organisations' }));

    const confirm = await findConfirmation('Add 3 organisations to CL-ZN1-001?');
    expect(double.rpcCalls).toEqual([]);
    fireEvent.click(within(confirm).getByRole('button', { name: 'Add 3 organisations' }));
    await waitFor(() => expect(double.rpcCalls).toHaveLength(3));
    expect(double.rpcCalls.map((call) => call.name)).toEqual(Array(3).fill('add_cluster_organisation'));
    expect(new Set(double.rpcCalls.map((call) => call.args.p_organisation_id))).toEqual(new Set([orgId('ZU101'), orgId('ZU102'), orgId('ZU103')]));
    expect(double.rpcCalls.every((call) => call.args.p_cluster_id === CLUSTER_ID)).toBe(true);
  });

  it('lets a User Administrator look but not change the cluster', async () => {
    const double = riversideCluster();
    renderPages(double, `/ZN1/clusters/${CLUSTER_ID}`, accessWith(membership('ZN1', ['user_administrator'])));
    await screen.findByRole('heading', { name: 'Organisations (2)' });
    expect(screen.queryByRole('button', { name: 'Add organisations' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Remove/ })).toBeNull();
    expect(screen.queryByText('Edit')).toBeNull();
    // Still sees who is assigned, with links to their user pages (they assign clusters there).
    expect(await screen.findByRole('link', { name: 'Casey Cluster' })).toBeTruthy();
  });

  it('is "not found" for a cluster the person cannot see', async () => {
    const double = riversideCluster();
    renderPages(double, '/ZN1/clusters/cluster-elsewhere', ICB_ADMIN);
    expect(await screen.findByText('Cluster not found')).toBeTruthy();
  });
});
