// UI test of creating a cluster: the details step's validation (name 3–100,
// description ≤ 1000, as create_cluster enforces), the organisation picker's
// Select All, the review step, and the RPCs sent. Data, my_access and RPCs are
// test doubles (tests/ui/organisations-test-harness.tsx).
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { createDouble, ICB_ADMIN, orgId, renderPages, resetTransports, subtree, type Double } from './organisations-test-harness.tsx';

afterEach(resetTransports);

const CREATED = {
  id: 'cluster-new',
  commissioner_id: orgId('ZN1'),
  short_name: 'CL-ZN1-002',
  name: 'Hill practices',
  description: '',
  created_at: '2025-07-01T09:00:00Z',
  updated_at: '2025-07-01T09:00:00Z',
  created_by: null,
  updated_by: null,
};

/** The admin also reaches Southvale (a second membership): those providers must not be offered for a ZN1 cluster. */
function doubleWithTwoIcbs(): Double {
  const double = createDouble({ my_organisations: [...subtree('ZN1'), ...subtree('ZS1')] as unknown as Record<string, unknown>[] });
  double.rpc = ({ name }) =>
    name === 'create_cluster' ? { data: CREATED, error: null, status: 200 } : { data: {}, error: null, status: 200 };
  return double;
}

async function openCreatePage(double: Double) {
  renderPages(double, '/ZN1/clusters/create', ICB_ADMIN);
  await screen.findByText('Made by the system when saved (CL-ZN1-NNN); it never changes.');
}

function nameInput(): HTMLInputElement {
  return screen.getByLabelText('Name') as HTMLInputElement;
}

function descriptionInput(): HTMLTextAreaElement {
  return screen.getByLabelText('Description') as HTMLTextAreaElement;
}

async function clickNext() {
  fireEvent.click(screen.getByRole('button', { name: 'Next' }));
}

describe('creating a cluster (UI test with doubles)', { timeout: 30_000 }, () => {
  it('checks the name (3–100 characters) and the description (at most 1000) before moving on', async () => {
    const double = doubleWithTwoIcbs();
    await openCreatePage(double);

    await clickNext();
    expect(await screen.findByText('Enter a name for the cluster')).toBeTruthy();

    fireEvent.change(nameInput(), { target: { value: '  ab  ' } });
    await clickNext();
    expect(await screen.findByText('The name must have at least 3 characters')).toBeTruthy();

    fireEvent.change(nameInput(), { target: { value: 'x'.repeat(101) } });
    await clickNext();
    expect(await screen.findByText('The name can have at most 100 characters (it has 101)')).toBeTruthy();

    fireEvent.change(nameInput(), { target: { value: 'x'.repeat(100) } });
    fireEvent.change(descriptionInput(), { target: { value: 'd'.repeat(1001) } });
    await clickNext();
    expect(await screen.findByText('The description can have at most 1000 characters (it has 1001)')).toBeTruthy();
    await waitFor(() => expect(screen.queryByText(/The name can have at most/)).toBeNull());

    // Exactly at the limits is fine, and moves on to choosing organisations.
    fireEvent.change(descriptionInput(), { target: { value: 'd'.repeat(1000) } });
    await clickNext();
    expect(await screen.findByLabelText('Search providers by ODS code or name')).toBeTruthy();
    expect(double.rpcCalls).toEqual([]);
  });

  it('offers only the commissioner’s providers; Select All takes every provider the search shows; review, then create', async () => {
    const double = doubleWithTwoIcbs();
    await openCreatePage(double);
    fireEvent.change(nameInput(), { target: { value: '  Hill practices ' } });
    await clickNext();

    const search = await screen.findByLabelText('Search providers by ODS code or name');
    // ZN1's PCNs and practices: not the sub-ICB locations, not Southvale's providers.
    await screen.findByText('Hill Top Surgery');
    expect(screen.getByText('0 selected')).toBeTruthy();
    expect(screen.getAllByText('Northshire East').length).toBeGreaterThan(0); // the "Within" column, not a row of its own
    expect(screen.queryByText('Harbour Medical Practice')).toBeNull();
    expect(screen.getByText('1–8 of 8 providers')).toBeTruthy();

    fireEvent.change(search, { target: { value: 'hill' } });
    await waitFor(() => expect(screen.getByText('1–2 of 2 providers')).toBeTruthy());
    fireEvent.click(screen.getByRole('button', { name: 'Select all 2 organisations shown' }));
    expect(screen.getByText('2 selected')).toBeTruthy();

    // The selection stays when the search changes; Select All now offers all eight.
    fireEvent.change(search, { target: { value: '' } });
    await waitFor(() => expect(screen.getByText('1–8 of 8 providers')).toBeTruthy());
    expect(screen.getByText('2 selected')).toBeTruthy();
    expect((screen.getByRole('checkbox', { name: 'Hill Top Surgery (ZP1004)' }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole('checkbox', { name: 'Hillside PCN (ZU102)' }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole('checkbox', { name: 'Mill Lane Practice (ZP1003)' }) as HTMLInputElement).checked).toBe(false);

    // Untick one by hand: one is left.
    fireEvent.click(screen.getByRole('checkbox', { name: 'Hillside PCN (ZU102)' }));
    expect(screen.getByText('1 selected')).toBeTruthy();

    await clickNext();
    expect(await screen.findByText('Check the cluster before it is created.')).toBeTruthy();
    expect(screen.getByText('Hill practices')).toBeTruthy(); // trimmed
    const organisationsCell = screen.getByText('Organisations (1)').closest('tr')!;
    expect(within(organisationsCell).getByText('Hill Top Surgery')).toBeTruthy();
    expect(double.rpcCalls).toEqual([]);

    fireEvent.click(screen.getByRole('button', { name: 'Create cluster' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/ZN1/clusters/cluster-new'));
    expect(double.rpcCalls).toEqual([
      { name: 'create_cluster', args: { p_commissioner_id: orgId('ZN1'), p_name: 'Hill practices', p_description: '' } },
      { name: 'add_cluster_organisation', args: { p_cluster_id: 'cluster-new', p_organisation_id: orgId('ZP1004') } },
    ]);
  });

  it('Select All with no search takes every provider, across pages', async () => {
    const double = doubleWithTwoIcbs();
    await openCreatePage(double);
    fireEvent.change(nameInput(), { target: { value: 'All of Northshire' } });
    await clickNext();
    await screen.findByText('Hill Top Surgery');
    fireEvent.click(screen.getByRole('button', { name: 'Select all 8 organisations shown' }));
    expect(screen.getByText('8 selected')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Select all 8 organisations shown' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Clear selection' }));
    expect(screen.getByText('0 selected')).toBeTruthy();
  });

  it('shows a name the database refuses on the details step', async () => {
    const double = doubleWithTwoIcbs();
    double.rpc = () => ({
      data: null,
      error: {
        code: '23505',
        message: 'NHS Northshire ICB (ZN1) already has a cluster named "Riverside practices".',
        hint: 'Cluster names are unique within a commissioner (ignoring letter case).',
      },
      status: 409,
    });
    await openCreatePage(double);
    const user = userEvent.setup();
    await user.type(nameInput(), 'Riverside practices');
    await clickNext();
    await screen.findByLabelText('Search providers by ODS code or name');
    await clickNext();
    fireEvent.click(await screen.findByRole('button', { name: 'Create cluster' }));

    // Back on the details step, the database's words under the name and in the alert.
    await waitFor(() => expect(screen.getAllByText(/already has a cluster named "Riverside practices"/)).toHaveLength(2));
    expect(screen.getByText('Cluster names are unique within a commissioner (ignoring letter case).')).toBeTruthy();
    expect(nameInput().value).toBe('Riverside practices');
    expect(double.rpcCalls.map((c) => c.name)).toEqual(['create_cluster']);
    expect(screen.getByTestId('location').textContent).toBe('/ZN1/clusters/create');
  });

  it('says on the details step that the name is taken, whatever the letter case, before any step further', async () => {
    const double = doubleWithTwoIcbs();
    double.tables.clusters = [
      { ...CREATED, id: 'cluster-1', short_name: 'CL-ZN1-001', name: 'Riverside practices' },
      // Another commissioner's cluster of the name the next attempt uses: no clash.
      { ...CREATED, id: 'cluster-s', commissioner_id: orgId('ZS1'), short_name: 'CL-ZS1-001', name: 'Hill practices' },
    ];
    await openCreatePage(double);
    const user = userEvent.setup();
    await user.type(nameInput(), '  RIVERSIDE Practices ');
    await clickNext();

    expect(
      await screen.findByText('NHS Northshire ICB already has a cluster named "RIVERSIDE Practices" (names are unique whatever the letter case). Choose another name.'),
    ).toBeTruthy();
    expect(screen.queryByLabelText('Search providers by ODS code or name')).toBeNull();
    expect(document.activeElement).toBe(nameInput());

    await user.clear(nameInput());
    await user.type(nameInput(), 'Hill practices');
    await clickNext();
    await screen.findByLabelText('Search providers by ODS code or name');
    expect(double.rpcCalls).toEqual([]);
  });

  it('clears the database’s refusal once the name is edited, and does not carry it to the other steps', async () => {
    const double = doubleWithTwoIcbs();
    double.rpc = () => ({
      data: null,
      error: { code: '23505', message: 'NHS Northshire ICB (ZN1) already has a cluster named "Riverside practices".' },
      status: 409,
    });
    await openCreatePage(double);
    const user = userEvent.setup();
    await user.type(nameInput(), 'Riverside practices');
    await clickNext();
    await screen.findByLabelText('Search providers by ODS code or name');
    await clickNext();
    fireEvent.click(await screen.findByRole('button', { name: 'Create cluster' }));
    await screen.findByText(/^The cluster could not be created/);

    await user.type(nameInput(), ' 2');
    await waitFor(() => expect(screen.queryByText(/^The cluster could not be created/)).toBeNull());
    await clickNext();
    await screen.findByLabelText('Search providers by ODS code or name');
    expect(screen.queryByText(/^The cluster could not be created/)).toBeNull();
    await clickNext();
    await screen.findByRole('button', { name: 'Create cluster' });
    expect(screen.queryByText(/^The cluster could not be created/)).toBeNull();
  });
});
