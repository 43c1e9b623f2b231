// UI test of the organisations tree browser: the tree of `my_organisations`
// from the top of the person's reach, opening rows, the search by ODS code or
// name with each match's path, and the error state. Data and my_access are
// test doubles (tests/ui/organisations-test-harness.tsx).
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { accessWith, createDouble, membership, organisation, orgId, renderPages, resetTransports, subtree } from './organisations-test-harness.tsx';

afterEach(resetTransports);

function rowOf(text: string): HTMLElement {
  const row = screen.getByText(text).closest('tr');
  if (!row) throw new Error(`no table row contains "${text}"`);
  return row;
}

function bodyRowTexts(): string[] {
  return screen
    .getAllByRole('row')
    .filter((row) => row.closest('tbody') !== null && !row.classList.contains('ant-table-measure-row'))
    .map((row) => (within(row).queryAllByRole('cell')[0]?.textContent ?? '').trim());
}

describe('organisations tree (UI test with doubles)', { timeout: 30_000 }, () => {
  it('opens at the top of the reach, and each row opens onto what lies below it', async () => {
    const double = createDouble();
    renderPages(double, '/ZN1/organisations');

    await screen.findByText('NHS Northshire ICB');
    expect(screen.getByRole('heading', { name: 'Organisations' })).toBeTruthy();
    expect(screen.getByText('11 organisations within your access, from the top down. Open a row to see what is below it.')).toBeTruthy();
    // The whole reach was read from my_organisations (never from organisations).
    expect(double.listCalls.map((call) => call.resource)).toContain('my_organisations');
    expect(double.listCalls.map((call) => call.resource)).not.toContain('organisations');

    // ZN1 is open: its sub-ICB locations show, their practices do not yet.
    expect(bodyRowTexts()).toEqual(['ZN1', 'ZN1E', 'ZN1W']);
    expect(within(rowOf('Northshire East')).getByText('Sub-ICB location')).toBeTruthy();
    expect(screen.queryByText('Hill Top Surgery')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Expand Northshire East' }));
    expect(screen.getByRole('button', { name: 'Collapse NHS Northshire ICB' }).getAttribute('aria-expanded')).toBe('true');
    await screen.findByText('Hill Top Surgery');
    // Below a sub-ICB location: PCNs first, then practices, each by name.
    expect(bodyRowTexts()).toEqual(['ZN1', 'ZN1E', 'ZU102', 'ZU101', 'ZP1002', 'ZP1004', 'ZP1003', 'ZP1001', 'ZN1W']);
    expect(within(rowOf('Hill Top Surgery')).getByText('GP practice')).toBeTruthy();
    const link = within(rowOf('Hill Top Surgery')).getByRole('link', { name: 'Hill Top Surgery' });
    expect(link.getAttribute('href')).toBe(`/ZN1/organisations/${organisation('ZP1004').id}`);

    fireEvent.click(screen.getByRole('button', { name: 'Collapse all' }));
    await waitFor(() => expect(bodyRowTexts()).toEqual(['ZN1']));
    fireEvent.click(screen.getByRole('button', { name: 'Expand all' }));
    await waitFor(() => expect(bodyRowTexts()).toHaveLength(11));
  });

  it("shows each practice's current PCN (current_pcn_memberships), in the tree and in search results", async () => {
    const current = (practice: string, pcn: string) => ({
      practice_id: orgId(practice),
      pcn_id: orgId(pcn),
      pcn_ods_code: pcn,
      pcn_name: organisation(pcn).name,
      valid_from: '2020-07-01',
    });
    const double = createDouble({
      current_pcn_memberships: [current('ZP1001', 'ZU101'), current('ZP1003', 'ZU101'), current('ZP1004', 'ZU102')],
    });
    renderPages(double, '/ZN1/organisations');
    await screen.findByText('NHS Northshire ICB');
    expect(screen.getByRole('columnheader', { name: 'Current PCN' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Expand Northshire East' }));
    await screen.findByText('Hill Top Surgery');
    expect(within(rowOf('Hill Top Surgery')).getByText('Hillside PCN (ZU102)')).toBeTruthy();
    expect(within(rowOf('Mill Lane Practice')).getByText('Riverside PCN (ZU101)')).toBeTruthy();
    // No current relationship in view: said so; PCNs and commissioners show nothing.
    expect(within(rowOf('Bridge Street Surgery')).getByText('No current PCN')).toBeTruthy();
    expect(within(rowOf('Hillside PCN')).queryByText(/PCN \(|No current PCN/)).toBeNull();
    expect(double.listCalls.map((call) => call.resource)).toContain('current_pcn_memberships');

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search organisations by ODS code or name' }), { target: { value: 'zp1004' } });
    await screen.findByText('1 organisation matches "zp1004"');
    expect(within(rowOf('Hill Top Surgery')).getByText('Hillside PCN (ZU102)')).toBeTruthy();
  });

  it('finds organisations by ODS code or name and shows where each sits', async () => {
    const double = createDouble();
    renderPages(double, '/ZN1/organisations');
    await screen.findByText('NHS Northshire ICB');

    const search = screen.getByRole('searchbox', { name: 'Search organisations by ODS code or name' });
    fireEvent.change(search, { target: { value: 'zp1004' } });
    expect(await screen.findByText('1 organisation matches "zp1004"')).toBeTruthy();
    const match = rowOf('Hill Top Surgery');
    expect(within(match).getByText('ZP1004')).toBeTruthy();
    expect(within(match).getByText('NHS Northshire ICB (ZN1) › Northshire East (ZN1E)')).toBeTruthy();

    fireEvent.change(search, { target: { value: 'HILL' } });
    expect(await screen.findByText('2 organisations match "HILL"')).toBeTruthy();
    expect(screen.getByText('Hillside PCN')).toBeTruthy();

    // Southvale is in the directory but not within this person's reach.
    fireEvent.change(search, { target: { value: 'Harbour' } });
    expect(await screen.findByText('No organisation within your access matches "Harbour"')).toBeTruthy();

    fireEvent.change(search, { target: { value: '' } });
    await screen.findByText('Northshire West');
    expect(screen.queryByText(/match/)).toBeNull();
  });

  it('roots the tree at the clustered practices for a cluster-restricted person', async () => {
    const double = createDouble({
      my_organisations: subtree('ZN1').filter((row) => ['ZP1001', 'ZP1002'].includes(row.ods_code)) as unknown as Record<string, unknown>[],
    });
    renderPages(double, '/ZN1/organisations', accessWith(membership('ZN1', ['approver_tier_1'])));
    await screen.findByText('Riverside Medical Centre');
    expect(bodyRowTexts()).toEqual(['ZP1002', 'ZP1001']);
    expect(screen.getByText('2 organisations within your access, from the top down. Open a row to see what is below it.')).toBeTruthy();
    expect(screen.queryByText('NHS Northshire ICB')).toBeNull();

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search organisations by ODS code or name' }), { target: { value: 'river' } });
    expect(within(await screen.findByRole('table')).getByText('Top of your access')).toBeTruthy();
  });

  it('reads the whole reach in pages of 1,000', async () => {
    // 2,345 practices under one sub-ICB location: three pages.
    const many = Array.from({ length: 2345 }, (_, i) => ({
      id: `p-${i}`,
      ods_code: `Y${String(i).padStart(5, '0')}`,
      name: `Practice ${String(i).padStart(5, '0')}`,
      type: 'practice',
      parent_id: organisation('ZN1E').id,
      created_at: '2025-01-15T09:00:00Z',
    }));
    const double = createDouble({ my_organisations: [...subtree('ZN1'), ...many] as unknown as Record<string, unknown>[] });
    renderPages(double, '/ZN1/organisations');
    expect(await screen.findByText('2356 organisations within your access, from the top down. Open a row to see what is below it.')).toBeTruthy();
    const pages = double.listCalls.filter((call) => call.resource === 'my_organisations').map((call) => call.pagination);
    expect(pages).toEqual([
      { currentPage: 1, pageSize: 1000, mode: 'server' },
      { currentPage: 2, pageSize: 1000, mode: 'server' },
      { currentPage: 3, pageSize: 1000, mode: 'server' },
    ]);
  });

  it('says so when the organisations cannot be loaded', async () => {
    const double = createDouble();
    double.failing.add('my_organisations');
    renderPages(double, '/ZN1/organisations');
    expect(await screen.findByText('Organisations could not be loaded')).toBeTruthy();
    expect(screen.getByText('permission denied for view')).toBeTruthy(); // once: in the alert, not also in a notification
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });
});
