// UI tests of the users list: what it asks the server (search, filters,
// sorting, the first organisation scope), its states, and who is offered
// "Invite user". The data provider is an in-memory double of PostgREST.
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { Access } from '../../src/providers/access.ts';
import { createDouble, ORG, PAT, renderUsers, resetRpc } from './users-harness.tsx';

afterEach(() => {
  resetRpc();
});

function bodyRows(): HTMLElement[] {
  return within(screen.getByRole('table'))
    .getAllByRole('row')
    .filter((row) => row.closest('tbody') !== null && !row.classList.contains('ant-table-measure-row'));
}

function names(): string[] {
  return bodyRows().map((row) => within(row).getAllByRole('cell')[0]?.textContent ?? '');
}

/** Values of the filters that were sent (Refine drops unused ones). */
function sentFilters(double: ReturnType<typeof createDouble>) {
  return (double.listCalls.filter((call) => call.resource === 'user_directory').at(-1)?.filters ?? []).filter(
    (f) => f.value !== undefined && !(f.operator === 'or' && f.value.length === 0),
  );
}

const PROVIDER_APPROVER: Access = {
  profile_id: '10000000-0000-4000-8000-0000000000b1',
  email: 'practice.approver@riverside.example',
  full_name: 'Ash Approver',
  status: 'active',
  platform_roles: [],
  memberships: [
    {
      membership_id: '20000000-0000-4000-8000-0000000000b1',
      organisation_id: ORG.ZP1001.id,
      ods_code: 'ZP1001',
      name: 'Riverside Medical Centre',
      type: 'practice',
      side: 'provider',
      roles: ['provider_approver', 'declaration_management'],
      status: 'active',
      approval_mode: 'two_step',
      clusters: [],
    },
  ],
  unread_notifications: 0,
};

describe('users list', { timeout: 120_000 }, () => {
  it('lists everyone a commissioner administrator may see, by name, with roles, organisations, status and UK dates', async () => {
    const double = createDouble();
    renderUsers(double, '/ZN1/users');

    await screen.findByText('Taylor Tier-One');
    expect(names()).toEqual(['Alex Admin', 'Pat Practice', 'Taylor Tier-One']);
    expect(sentFilters(double)).toEqual([]);
    expect(double.listCalls.find((c) => c.resource === 'user_directory')).toMatchObject({
      sorters: [{ field: 'full_name', order: 'asc' }],
      pagination: { currentPage: 1, pageSize: 20 },
    });
    const pat = within(screen.getByText('Pat Practice').closest('tr')!);
    expect(pat.getByText('practice.user@riverside.example')).toBeTruthy();
    expect(pat.getByText('ZP1001')).toBeTruthy();
    expect(pat.getByText('Claim Submitter')).toBeTruthy();
    expect(pat.getByText('Active')).toBeTruthy();
    expect(pat.getByText('01/07/2025')).toBeTruthy(); // 23:30 UTC on 30 June is 1 July in London
    // Names link to the user page.
    expect(pat.getByRole('link', { name: 'Pat Practice' }).getAttribute('href')).toBe(`/ZN1/users/${PAT.id}`);
    expect(screen.getByRole('button', { name: /Invite user/ })).toBeTruthy();
    expect(screen.getByText('1–3 of 3 users')).toBeTruthy();
  });

  it('searches by name or email and filters by role and status on the server', async () => {
    const user = userEvent.setup({ delay: null });
    const double = createDouble();
    renderUsers(double, '/ZN1/users');
    await screen.findByText('Taylor Tier-One');

    await user.type(screen.getByPlaceholderText('Search by name or email'), 'RIVERSIDE');
    await user.click(screen.getByRole('button', { name: /Search/ }));
    await waitFor(() => expect(names()).toEqual(['Pat Practice']));
    expect(sentFilters(double)).toEqual([
      {
        key: 'search',
        operator: 'or',
        value: [
          { field: 'full_name', operator: 'contains', value: 'RIVERSIDE' },
          { field: 'email', operator: 'contains', value: 'RIVERSIDE' },
        ],
      },
    ]);

    await user.click(screen.getByRole('button', { name: /Clear filters/ }));
    await waitFor(() => expect(names()).toHaveLength(3));

    await user.click(screen.getByRole('combobox', { name: 'Role' }));
    await user.click(await screen.findByTitle('Approver Tier 1'));
    await waitFor(() => expect(names()).toEqual(['Taylor Tier-One']));
    expect(sentFilters(double)).toEqual([{ field: 'roles', operator: 'ina', value: ['approver_tier_1'] }]);

    await user.click(screen.getByRole('combobox', { name: 'Account status' }));
    await user.click(await screen.findByTitle('Disabled'));
    await screen.findByText('No users match your search and filters');
    expect(sentFilters(double)).toEqual([
      { field: 'roles', operator: 'ina', value: ['approver_tier_1'] },
      { field: 'status', operator: 'eq', value: 'disabled' },
    ]);
  });

  it('filters by organisation', async () => {
    const user = userEvent.setup({ delay: null });
    const double = createDouble();
    renderUsers(double, '/ZN1/users');
    await screen.findByText('Taylor Tier-One');

    await user.click(screen.getByRole('combobox', { name: 'Organisation' }));
    await user.click(await screen.findByTitle('ZP1001 – Riverside Medical Centre'));
    await waitFor(() => expect(names()).toEqual(['Pat Practice']));
    expect(sentFilters(double)).toEqual([{ field: 'organisation_ids', operator: 'ina', value: [ORG.ZP1001.id] }]);
  });

  it('starts with the practice’s own people in a provider context, without "Invite user"', async () => {
    const double = createDouble();
    renderUsers(double, '/ZP1001/users', { access: PROVIDER_APPROVER });

    await waitFor(() => expect(names()).toEqual(['Pat Practice']));
    expect(sentFilters(double)).toEqual([{ field: 'organisation_ids', operator: 'ina', value: [ORG.ZP1001.id] }]);
    expect(screen.getByText('ZP1001 – Riverside Medical Centre')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Invite user/ })).toBeNull();
  });

  it('shows an empty state and an error state', async () => {
    const empty = createDouble({ user_directory: [] });
    const { unmount } = renderUsers(empty, '/ZN1/users');
    expect(await screen.findByText('No users yet')).toBeTruthy();
    unmount();

    const failing = createDouble();
    failing.failing.add('user_directory');
    renderUsers(failing, '/ZN1/users');
    expect((await screen.findAllByText('Users could not be loaded')).length).toBeGreaterThan(0);
    expect(screen.getByText('permission denied for view user_directory')).toBeTruthy();
  });

  it('shows a loading state while the server answers', async () => {
    const double = createDouble();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const getList = double.provider.getList;
    double.provider.getList = async (params) => {
      if (params.resource === 'user_directory') await gate;
      return getList(params);
    };
    renderUsers(double, '/ZN1/users');
    expect(await screen.findByText('Loading users…')).toBeTruthy();
    release();
    await screen.findByText('Taylor Tier-One');
    expect(screen.queryByText('Loading users…')).toBeNull();
  });
});
