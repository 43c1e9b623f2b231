// UI test of the network organisation relationship report: date validation
// (end on or after start), the query sent (ISO dates, optional PCN filter),
// the table ("Current" for open relationships), the database's refusal shown,
// and the CSV export (UTF-8 with a byte-order mark, ISO dates, file name).
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReportError, type NetworkRelationshipRow } from '../../src/resources/network-relationships/report-api.ts';
import { accessWith, createDouble, ICB_ADMIN, membership, orgId, renderPages, resetTransports } from './organisations-test-harness.tsx';

const ROWS: NetworkRelationshipRow[] = [
  {
    pcn_membership_id: 'pm-1',
    practice_id: orgId('ZP1004'),
    practice_ods_code: 'ZP1004',
    practice_name: 'Hill Top Surgery',
    pcn_id: orgId('ZU102'),
    pcn_ods_code: 'ZU102',
    pcn_name: 'Hillside PCN',
    valid_from: '2020-07-01',
    valid_to: null,
  },
  {
    pcn_membership_id: 'pm-2',
    practice_id: orgId('ZP1003'),
    practice_ods_code: 'ZP1003',
    practice_name: 'Mill Lane Practice',
    pcn_id: orgId('ZU102'),
    pcn_ods_code: 'ZU102',
    pcn_name: 'Hillside PCN',
    valid_from: '2020-07-01',
    valid_to: '2024-03-31',
  },
  {
    pcn_membership_id: 'pm-3',
    practice_id: orgId('ZP1001'),
    practice_ods_code: 'ZP1001',
    // A name a spreadsheet would otherwise run, and a comma.
    practice_name: '=HYPERLINK("http://x.example"), Riverside',
    pcn_id: orgId('ZU101'),
    pcn_ods_code: 'ZU101',
    pcn_name: 'Riverside PCN',
    valid_from: '2020-07-01',
    valid_to: null,
  },
];

interface Download {
  name: string;
  blob: Blob;
}
let downloads: Download[];
let lastBlob: Blob | undefined;

beforeEach(() => {
  downloads = [];
  // jsdom does not save files: catch the Blob URL and the link's click instead.
  URL.createObjectURL = vi.fn((blob: Blob) => {
    lastBlob = blob;
    return 'blob:test-download';
  });
  URL.revokeObjectURL = vi.fn();
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    if (this.href === 'blob:test-download' && lastBlob) downloads.push({ name: this.download, blob: lastBlob });
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  resetTransports();
});

/**
 * Replace a DatePicker's text as a person does: into the field, select what is
 * there, type over it, Tab on. (Enter would also run the report: it submits the form.)
 */
async function typeDate(user: ReturnType<typeof userEvent.setup>, label: string, text: string) {
  const input = screen.getByLabelText(label) as HTMLInputElement;
  const length = input.value.length;
  await user.click(input);
  await user.type(input, `${text}{Tab}`, { initialSelectionStart: 0, initialSelectionEnd: length });
}

async function readBlob(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await blob.arrayBuffer());
}

describe('network relationship report (UI test with doubles)', { timeout: 30_000 }, () => {
  it('refuses an end date before the start date, without running the report', async () => {
    const double = createDouble();
    renderPages(double, '/ZN1/reports/network-relationships', ICB_ADMIN);
    const user = userEvent.setup();
    await screen.findByRole('heading', { name: 'Network relationships report' });
    expect(screen.getByText('Choose the dates and run the report.', { selector: 'span' })).toBeTruthy();

    await typeDate(user, 'Start date', '01/04/2025');
    await typeDate(user, 'End date', '31/03/2025');
    fireEvent.click(screen.getByRole('button', { name: 'Run report' }));
    expect(await screen.findByText('The end date must be on or after the start date')).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(double.reportQueries).toEqual([]);

    // The same day is a valid one-day range.
    await typeDate(user, 'End date', '01/04/2025');
    fireEvent.click(screen.getByRole('button', { name: 'Run report' }));
    await waitFor(() => expect(double.reportQueries).toEqual([{ from: '2025-04-01', to: '2025-04-01', pcnId: undefined, practiceId: undefined }]));
    await waitFor(() => expect(screen.queryByText('The end date must be on or after the start date')).toBeNull());
  });

  it('runs for a date range and a PCN, lists the relationships and exports them as CSV', async () => {
    const double = createDouble();
    double.report = async () => ROWS;
    renderPages(double, '/ZN1/reports/network-relationships', ICB_ADMIN);
    const user = userEvent.setup();
    await screen.findByRole('heading', { name: 'Network relationships report' });
    expect((screen.getByRole('button', { name: 'Export CSV' }) as HTMLButtonElement).disabled).toBe(true);

    await typeDate(user, 'Start date', '01/04/2023');
    await typeDate(user, 'End date', '31/03/2025');
    // The PCN filter searches the PCNs this person reaches.
    const pcn = screen.getByRole('combobox', { name: 'PCN (optional)' });
    await user.click(pcn);
    await user.type(pcn, 'Hill');
    await user.click(await screen.findByText('ZU102 – Hillside PCN'));
    fireEvent.click(screen.getByRole('button', { name: 'Run report' }));

    expect(await screen.findByText('3 relationships overlapping 01/04/2023 to 31/03/2025')).toBeTruthy();
    expect(double.reportQueries).toEqual([{ from: '2023-04-01', to: '2025-03-31', pcnId: orgId('ZU102'), practiceId: undefined }]);
    const millLane = screen.getByText('Mill Lane Practice').closest('tr')!;
    expect(within(millLane).getByText('01/07/2020')).toBeTruthy();
    expect(within(millLane).getByText('31/03/2024')).toBeTruthy();
    expect(within(screen.getByText('Hill Top Surgery').closest('tr')!).getByText('Current')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(downloads).toHaveLength(1);
    const [download] = downloads;
    expect(download!.name).toBe('network-relationships-2023-04-01-2025-03-31.csv');
    expect(download!.blob.type).toBe('text/csv;charset=utf-8');
    const bytes = await readBlob(download!.blob);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 byte-order mark, for Excel
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.slice(3));
    expect(text).toBe(
      [
        'PCN ODS code,PCN name,Practice ODS code,Practice name,From,To,Current',
        'ZU102,Hillside PCN,ZP1004,Hill Top Surgery,2020-07-01,,Yes',
        'ZU102,Hillside PCN,ZP1003,Mill Lane Practice,2020-07-01,2024-03-31,No',
        'ZU101,Riverside PCN,ZP1001,"\'=HYPERLINK(""http://x.example""), Riverside",2020-07-01,,Yes',
        '',
      ].join('\r\n'),
    );
  });

  it('says when nothing matches, and shows the database’s refusal as it is', async () => {
    const double = createDouble();
    renderPages(double, '/ZN1/reports/network-relationships', ICB_ADMIN);
    const user = userEvent.setup();
    await screen.findByRole('heading', { name: 'Network relationships report' });
    fireEvent.click(screen.getByRole('button', { name: 'Run report' }));
    expect(await screen.findByText('No practice belonged to a PCN in this period (with these filters)')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Export CSV' }) as HTMLButtonElement).disabled).toBe(true);

    double.report = async () => {
      throw new ReportError('The end date (31/03/2019) is before the start date (01/04/2019).', 'Choose an end date on or after the start date.', '22023');
    };
    await typeDate(user, 'Start date', '01/04/2019');
    await typeDate(user, 'End date', '01/05/2019');
    fireEvent.click(screen.getByRole('button', { name: 'Run report' }));
    expect(await screen.findByText('The report could not be run: The end date (31/03/2019) is before the start date (01/04/2019).')).toBeTruthy();
    expect(screen.getByText('Choose an end date on or after the start date.')).toBeTruthy();
  });

  it('Enter in a date field runs the report with the date as typed', async () => {
    const double = createDouble();
    double.report = async () => ROWS;
    renderPages(double, '/ZN1/reports/network-relationships', ICB_ADMIN);
    const user = userEvent.setup();
    await screen.findByRole('heading', { name: 'Network relationships report' });
    await typeDate(user, 'Start date', '01/04/2023');
    const end = screen.getByLabelText('End date') as HTMLInputElement;
    await user.click(end);
    await user.type(end, '31/03/2024{Enter}', { initialSelectionStart: 0, initialSelectionEnd: end.value.length });
    await waitFor(() =>
      expect(double.reportQueries).toEqual([{ from: '2023-04-01', to: '2024-03-31', pcnId: undefined, practiceId: undefined }]),
    );
    expect(await screen.findByText('3 relationships overlapping 01/04/2023 to 31/03/2024')).toBeTruthy();
  });

  it('a reversed range clears the previous results and disables Export CSV, whether run by button or Enter', async () => {
    const double = createDouble();
    double.report = async () => ROWS;
    renderPages(double, '/ZN1/reports/network-relationships', ICB_ADMIN);
    const user = userEvent.setup();
    await screen.findByRole('heading', { name: 'Network relationships report' });
    await typeDate(user, 'Start date', '01/04/2023');
    await typeDate(user, 'End date', '31/03/2025');
    fireEvent.click(screen.getByRole('button', { name: 'Run report' }));
    expect(await screen.findByText('3 relationships overlapping 01/04/2023 to 31/03/2025')).toBeTruthy();
    const exportButton = () => screen.getByRole('button', { name: 'Export CSV' }) as HTMLButtonElement;
    expect(exportButton().disabled).toBe(false);

    // End before start: the error, and nothing of the previous range left to read or export.
    await typeDate(user, 'End date', '31/03/2022');
    fireEvent.click(screen.getByRole('button', { name: 'Run report' }));
    expect(await screen.findByText('The end date must be on or after the start date')).toBeTruthy();
    await waitFor(() => expect(screen.queryByText('Mill Lane Practice')).toBeNull());
    expect(screen.queryByText('3 relationships overlapping 01/04/2023 to 31/03/2025')).toBeNull();
    expect(exportButton().disabled).toBe(true);
    expect(double.reportQueries).toHaveLength(1);

    // Run again with a good range (Enter in the start date): results come back.
    const start = screen.getByLabelText('Start date') as HTMLInputElement;
    await user.click(start);
    await user.type(start, '01/04/2021{Enter}', { initialSelectionStart: 0, initialSelectionEnd: start.value.length });
    expect(await screen.findByText('3 relationships overlapping 01/04/2021 to 31/03/2022')).toBeTruthy();
    expect(exportButton().disabled).toBe(false);

    // An invalid range by Enter: cleared too.
    const end = screen.getByLabelText('End date') as HTMLInputElement;
    await user.click(end);
    await user.type(end, '01/01/2020{Enter}', { initialSelectionStart: 0, initialSelectionEnd: end.value.length });
    expect(await screen.findByText('The end date must be on or after the start date')).toBeTruthy();
    await waitFor(() => expect(exportButton().disabled).toBe(true));
    expect(screen.queryByText('Mill Lane Practice')).toBeNull();
    expect(double.reportQueries).toHaveLength(2);
  });

  it.each([
    ['a GP practice user', 'ZP1001', accessWith(membership('ZP1001', ['claim_submitter']))],
    ['a PCN user', 'ZU101', accessWith(membership('ZU101', ['declaration_management']))],
  ])('%s runs the report too (the database lists the practices of their PCN)', async (_who, ods, access) => {
    const double = createDouble({ my_organisations: [] });
    double.report = async () => ROWS.filter((row) => row.pcn_ods_code === 'ZU101');
    renderPages(double, `/${ods}/reports/network-relationships`, access);
    await screen.findByRole('heading', { name: 'Network relationships report' });
    fireEvent.click(screen.getByRole('button', { name: 'Run report' }));
    expect(await screen.findByText(/^1 relationship overlapping/)).toBeTruthy();
    expect(double.reportQueries).toHaveLength(1);
  });
});
