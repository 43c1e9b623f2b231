// UI unit test of the organisations list page. It renders the real portal
// (providers, layout, routes, list page) in jsdom, but the data comes from a
// Refine dataProvider test double held in memory: no Supabase, no gateway, no
// database. tests/e2e/portal.test.ts covers the same page against the real
// stack in a real browser.
import type { AuthProvider, BaseRecord, CrudFilter, DataProvider, GetListParams, GetListResponse } from '@refinedev/core';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import { Portal } from '../../src/portal.tsx';
import type { Organisation } from '../../src/resources/organisations/list.tsx';
import type { OrganisationType } from '../../src/resources/organisations/organisation-types.ts';

const ORGANISATIONS: Organisation[] = [
  org('ZN1', 'NHS Northshire ICB', 'icb', '2025-01-15T09:00:00Z'),
  org('ZN1E', 'Northshire East', 'sub_icb', '2025-01-15T09:00:00Z'),
  org('ZU101', 'Riverside PCN', 'pcn', '2025-03-30T00:30:00Z'),
  // 23:30 UTC on 30 June is 00:30 BST on 1 July in London.
  org('ZP1001', 'Riverside Medical Centre', 'practice', '2025-06-30T23:30:00Z'),
  org('ZP1002', 'Bridge Street Surgery', 'practice', '2025-12-01T12:00:00Z'),
  org('ZR1', 'Demo Region', 'region', '2024-11-05T10:00:00Z'),
];

function org(ods_code: string, name: string, type: OrganisationType, created_at: string): Organisation {
  return { id: `id-${ods_code}`, ods_code, name, type, parent_id: null, created_at };
}

function matches(row: Organisation, filter: CrudFilter): boolean {
  if (filter.operator === 'or') return filter.value.length === 0 || filter.value.some((f) => matches(row, f));
  if (filter.operator === 'and') return filter.value.every((f) => matches(row, f));
  if (!('field' in filter)) throw new Error('unexpected filter shape');
  const value = row[filter.field as keyof Organisation];
  switch (filter.operator) {
    case 'contains':
      return String(value ?? '').toLowerCase().includes(String(filter.value).toLowerCase());
    case 'in':
      return (filter.value as unknown[]).includes(value);
    case 'eq':
      return value === filter.value;
    default:
      throw new Error(`test double does not implement the "${filter.operator}" filter`);
  }
}

interface TestDouble {
  provider: DataProvider;
  calls: GetListParams[];
  /** While set, getList waits for this promise before answering. */
  gate?: Promise<void>;
}

/** An in-memory stand-in for @refinedev/supabase: filters, sorts and pages like the server would. */
function dataProviderDouble(rows: Organisation[]): TestDouble {
  const double: TestDouble = {
    calls: [],
    provider: {
      getApiUrl: () => 'http://test-double.invalid',
      getList: async <T extends BaseRecord>(params: GetListParams): Promise<GetListResponse<T>> => {
        double.calls.push(params);
        if (double.gate) await double.gate;
        if (params.resource !== 'organisations') throw new Error(`unexpected resource ${params.resource}`);
        let result = rows.filter((row) => (params.filters ?? []).every((f) => matches(row, f)));
        for (const sorter of [...(params.sorters ?? [])].reverse()) {
          const key = sorter.field as keyof Organisation;
          result = [...result].sort((a, b) => {
            const order = String(a[key]).localeCompare(String(b[key]));
            return sorter.order === 'asc' ? order : -order;
          });
        }
        const { currentPage = 1, pageSize = 10 } = params.pagination ?? {};
        const page = result.slice((currentPage - 1) * pageSize, currentPage * pageSize);
        return { data: page as unknown as T[], total: result.length };
      },
      getOne: () => Promise.reject(new Error('getOne is not used by the list page')),
      create: () => Promise.reject(new Error('create is not used by the list page')),
      update: () => Promise.reject(new Error('update is not used by the list page')),
      deleteOne: () => Promise.reject(new Error('deleteOne is not used by the list page')),
    },
  };
  return double;
}

// A signed-in session (test double): these tests are about the list, not about signing in.
const signedIn: AuthProvider = {
  login: async () => ({ success: true }),
  logout: async () => ({ success: true }),
  check: async () => ({ authenticated: true }),
  onError: async () => ({}),
  getIdentity: async () => ({ id: 'u1', name: 'Pat Practice', email: 'practice.user@riverside.example' }),
};

function renderPortal(double: TestDouble, path = '/organisations') {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <Portal dataProvider={double.provider} authProvider={signedIn} environment="Test double" />
    </MemoryRouter>,
  );
}

function bodyRows(): HTMLElement[] {
  const table = screen.getByRole('table');
  return within(table)
    .getAllByRole('row')
    .filter((row) => row.closest('tbody') !== null && !row.classList.contains('ant-table-measure-row'));
}

function rowFor(text: string): HTMLElement {
  const row = screen.getByText(text).closest('tr');
  if (!row) throw new Error(`no table row contains "${text}"`);
  return row;
}

// The first test also pays for loading antd and Refine into jsdom.
describe('organisations list (UI unit test with a data provider double)', { timeout: 30_000 }, () => {
  it('lists organisations sorted by name, with readable types and UK dates', async () => {
    const double = dataProviderDouble(ORGANISATIONS);
    renderPortal(double);

    await screen.findByText('Riverside Medical Centre');

    expect(screen.getAllByText('Commissioning Portal').length).toBeGreaterThan(0);
    expect(screen.getByText('Test double')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Organisations' })).toBeTruthy();
    for (const header of ['ODS code', 'Name', 'Type', 'Added']) {
      expect(screen.getAllByText(header).length).toBeGreaterThan(0);
    }

    // First request: name ascending, 20 a page.
    expect(double.calls[0]).toMatchObject({
      resource: 'organisations',
      sorters: [{ field: 'name', order: 'asc' }],
      pagination: { currentPage: 1, pageSize: 20 },
    });

    const names = bodyRows().map((row) => within(row).getAllByRole('cell')[1]?.textContent);
    expect(names).toEqual([
      'Bridge Street Surgery',
      'Demo Region',
      'NHS Northshire ICB',
      'Northshire East',
      'Riverside Medical Centre',
      'Riverside PCN',
    ]);

    const practice = within(rowFor('Riverside Medical Centre'));
    expect(practice.getByText('ZP1001')).toBeTruthy();
    expect(practice.getByText('GP practice')).toBeTruthy();
    expect(practice.getByText('1 Jul 2025')).toBeTruthy(); // London time, not UTC (30 Jun)

    expect(within(rowFor('NHS Northshire ICB')).getByText('ICB')).toBeTruthy();
    expect(within(rowFor('Northshire East')).getByText('Sub-ICB location')).toBeTruthy();
    expect(within(rowFor('Riverside PCN')).getByText('PCN')).toBeTruthy();
    expect(within(rowFor('Riverside PCN')).getByText('30 Mar 2025')).toBeTruthy();
    expect(within(rowFor('Demo Region')).getByText('Region')).toBeTruthy();
    expect(within(rowFor('Demo Region')).getByText('5 Nov 2024')).toBeTruthy();

    expect(screen.getByText('1–6 of 6 organisations')).toBeTruthy();
  });

  it('shows a loading state until the data provider answers', async () => {
    const double = dataProviderDouble(ORGANISATIONS);
    let release!: () => void;
    double.gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    renderPortal(double);

    await screen.findByText('Loading organisations…');
    expect(screen.queryByText('Riverside Medical Centre')).toBeNull();
    expect(document.querySelector('.ant-spin-spinning')).not.toBeNull();

    release();
    await screen.findByText('Riverside Medical Centre');
    expect(screen.queryByText('Loading organisations…')).toBeNull();
  });

  it('searches by ODS code or name on the server', async () => {
    const double = dataProviderDouble(ORGANISATIONS);
    renderPortal(double);
    await screen.findByText('Riverside Medical Centre');

    fireEvent.change(screen.getByPlaceholderText('Search by name or ODS code'), { target: { value: 'zp1001' } });
    fireEvent.click(screen.getByRole('button', { name: /search/i }));

    await waitFor(() => expect(screen.queryByText('Bridge Street Surgery')).toBeNull());
    expect(bodyRows()).toHaveLength(1);
    expect(screen.getByText('Riverside Medical Centre')).toBeTruthy();

    const last = double.calls.at(-1);
    expect(last?.filters).toEqual([
      {
        key: 'search',
        operator: 'or',
        value: [
          { field: 'name', operator: 'contains', value: 'zp1001' },
          { field: 'ods_code', operator: 'contains', value: 'zp1001' },
        ],
      },
    ]);
    expect(last?.pagination).toMatchObject({ currentPage: 1 });

    fireEvent.change(screen.getByPlaceholderText('Search by name or ODS code'), { target: { value: 'riverside' } });
    fireEvent.click(screen.getByRole('button', { name: /search/i }));
    await screen.findByText('Riverside PCN');
    expect(bodyRows()).toHaveLength(2);
  });

  it('asks the server to sort when a column header is clicked', async () => {
    const double = dataProviderDouble(ORGANISATIONS);
    renderPortal(double);
    await screen.findByText('Riverside Medical Centre');

    const odsHeader = screen.getAllByText('ODS code')[0]!.closest('th');
    expect(odsHeader).not.toBeNull();
    fireEvent.click(odsHeader!);

    await waitFor(() => expect(double.calls.at(-1)?.sorters).toEqual([{ field: 'ods_code', order: 'asc' }]));
    await waitFor(() =>
      expect(bodyRows().map((row) => within(row).getAllByRole('cell')[0]?.textContent)).toEqual([
        'ZN1',
        'ZN1E',
        'ZP1001',
        'ZP1002',
        'ZR1',
        'ZU101',
      ]),
    );
  });

  it('filters by organisation type on the server', async () => {
    const double = dataProviderDouble(ORGANISATIONS);
    renderPortal(double);
    await screen.findByText('Riverside Medical Centre');

    const trigger = document.querySelector('.ant-table-filter-trigger');
    expect(trigger).not.toBeNull();
    fireEvent.click(trigger!);
    const menu = await waitFor(() => {
      const dropdown = document.querySelector('.ant-table-filter-dropdown');
      if (!dropdown) throw new Error('filter dropdown not open');
      return dropdown as HTMLElement;
    });
    fireEvent.click(within(menu).getByText('GP practice'));
    fireEvent.click(within(menu).getByRole('button', { name: 'OK' }));

    await waitFor(() =>
      expect(double.calls.at(-1)?.filters).toEqual([{ field: 'type', operator: 'in', value: ['practice'] }]),
    );
    await waitFor(() => expect(bodyRows()).toHaveLength(2));
    expect(screen.getByText('Bridge Street Surgery')).toBeTruthy();
    expect(screen.queryByText('Riverside PCN')).toBeNull();
  });

  it('shows an empty state when there are no organisations', async () => {
    const double = dataProviderDouble([]);
    renderPortal(double);

    await screen.findByText('No organisations yet');
    expect(bodyRows().some((row) => row.textContent?.includes('ZP'))).toBe(false);
  });

  it('says when a search matches nothing', async () => {
    const double = dataProviderDouble(ORGANISATIONS);
    renderPortal(double);
    await screen.findByText('Riverside Medical Centre');

    fireEvent.change(screen.getByPlaceholderText('Search by name or ODS code'), { target: { value: 'Atlantis' } });
    fireEvent.click(screen.getByRole('button', { name: /search/i }));

    await screen.findByText('No organisations match your search');
    expect(screen.queryByText('Riverside Medical Centre')).toBeNull();
  });

  it('shows an error when the data provider fails', async () => {
    const double = dataProviderDouble(ORGANISATIONS);
    let attempts = 0;
    double.provider.getList = () => {
      attempts += 1;
      return Promise.reject(Object.assign(new Error('permission denied for table organisations'), { statusCode: 401 }));
    };
    renderPortal(double);

    // The portal retries a failed read once (after about a second) before giving up.
    await screen.findAllByText('Organisations could not be loaded', {}, { timeout: 10_000 });
    expect(screen.getAllByText('permission denied for table organisations').length).toBeGreaterThan(0);
    expect(attempts).toBe(2); // the first request and one retry
    expect(screen.queryByText('No organisations yet')).toBeNull();
  });

  it('shows a 404 page for an unknown address', async () => {
    const double = dataProviderDouble(ORGANISATIONS);
    renderPortal(double, '/no-such-page');

    await screen.findByText('Page not found');
    expect(screen.getByRole('button', { name: 'Go to the home page' })).toBeTruthy();
    expect(double.calls).toHaveLength(0);
  });
});
