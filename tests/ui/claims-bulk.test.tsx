// UI test of Bulk Claims (/:org/claims-review/bulk) with doubles: only
// Approver Tier 1 gets the page and the queue's button; the periods come from
// the database; Download Template asks for the chosen period; a file that is
// not .xlsx or is over 5 MB is refused before anything is sent; an upload
// shows its progress and then the database's answer — the claims made with
// links to their review pages, or each row's problems (nothing created).
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setBulkClaimsBackend, type BulkReport } from '../../src/resources/claims-review/bulk-api.ts';
import * as claimsReview from '../../src/resources/claims-review/index.tsx';
import * as claims from '../../src/resources/claims/index.tsx';
import { accessWith, membership } from './organisations-test-harness.tsx';
import { callsOf, createClaimsDouble, orgId, renderClaims, resetClaims, type ClaimsDouble } from './claims-harness.tsx';

const AREAS = [claims, claimsReview];
const TAYLOR = accessWith(membership('ZN1', ['approver_tier_1']));
const JORDAN = accessWith(membership('ZN1', ['approver_tier_2']));
const ZN1 = orgId('ZN1');
const PAGE = '/ZN1/claims-review/bulk';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface Backend {
  downloads: Array<{ commissionerId: string; period: string }>;
  uploads: Array<{ commissionerId: string; name: string }>;
  progress: number[];
  answer: BulkReport;
  release?: () => void;
}

function bulkDouble(answer: BulkReport): { d: ClaimsDouble; backend: Backend } {
  const d = createClaimsDouble();
  const inner = d.rpc;
  d.rpc = (call) =>
    call.name === 'bulk_claim_periods'
      ? { data: [{ period_label: 'Q3 2025/26', opens_on: '2025-10-01', closes_on: '2026-01-15' }, { period_label: 'Q4 2025/26', opens_on: '2026-01-01', closes_on: '2026-04-15' }], error: null }
      : inner(call);
  const backend: Backend = { downloads: [], uploads: [], progress: [], answer };
  setBulkClaimsBackend({
    downloadTemplate: async (commissionerId, period) => {
      backend.downloads.push({ commissionerId, period });
      return { blob: new Blob(['PK'], { type: XLSX }), fileName: 'bulk-claims-q3-2025-26.xlsx' };
    },
    upload: async (commissionerId, file, onProgress) => {
      backend.uploads.push({ commissionerId, name: file.name });
      onProgress(40);
      // Held half-way until the test has seen the progress bar.
      await new Promise<void>((resolve) => (backend.release = resolve));
      onProgress(100);
      return backend.answer;
    },
  });
  return { d, backend };
}

const CREATED: BulkReport = {
  ok: true,
  duplicate: false,
  created: 2,
  message: '2 claims created from 3 rows: they wait for Tier 2 review.',
  import_id: 'import-1',
  claims: [
    { claim_id: 'c-1', claim_number: 36013, provider_ods_code: 'ZP1001', provider_name: 'Riverside Medical Centre (ZP1001)', services: 'Complex Care Plans 2025/26', period: 'Q3 2025/26', total: 3821.04, risk_band: 'low', status: 'pending_tier2_review' },
    { claim_id: 'c-2', claim_number: 36014, provider_ods_code: 'ZP1002', provider_name: 'Bridge Street Surgery (ZP1002)', services: 'Complex Care Plans 2025/26', period: 'Q3 2025/26', total: 60000, risk_band: 'high', status: 'pending_tier2_review' },
  ],
  rows: [
    { row: 2, ods_code: 'ZP1001', service: 'Complex Care Plans 2025/26', component: 'Complex care plan created', period: 'Q3 2025/26', units: '12', outcome: 'claimed', problems: [], claim_id: 'c-1', claim_number: 36013 },
    { row: 3, ods_code: 'ZP1001', service: 'Complex Care Plans 2025/26', component: 'Care co-ordination retainer', period: 'Q3 2025/26', units: '1', outcome: 'claimed', problems: [], claim_id: 'c-1', claim_number: 36013 },
    { row: 4, ods_code: 'ZP1002', service: 'Complex Care Plans 2025/26', component: 'Complex care plan created', period: 'Q3 2025/26', units: '300', outcome: 'claimed', problems: [], claim_id: 'c-2', claim_number: 36014 },
  ],
};

const REJECTED: BulkReport = {
  ok: false,
  duplicate: false,
  created: 0,
  message: '2 of 3 rows cannot be claimed: nothing was created. Correct them and upload the file again.',
  claims: [],
  rows: [
    { row: 2, ods_code: 'ZP1002', service: 'Complex Care Plans 2025/26', component: 'Complex care plan created', period: 'Q3 2025/26', units: '5', outcome: 'not_claimed', problems: [] },
    { row: 3, ods_code: 'ZZ999', service: 'Complex Care Plans 2025/26', component: 'Complex care plan created', period: 'Q3 2025/26', units: '1', outcome: 'invalid', problems: [{ rule: 'unknown_provider', message: 'No organisation has the ODS code "ZZ999".' }] },
    { row: 4, ods_code: 'ZP1001', service: 'Complex Care Plans 2025/26', component: 'Complex care plan created', period: 'Q3 2025/26', units: '=HYPERLINK("http://evil.example","12")', outcome: 'invalid', problems: [{ rule: 'invalid_units', message: 'Units "=HYPERLINK("http://evil.example","12")" is not a number: enter a whole number of units (0 or more).' }] },
  ],
};

afterEach(() => {
  resetClaims();
  setBulkClaimsBackend(undefined);
});

function fileInput(container: HTMLElement): HTMLInputElement {
  const input = container.querySelector<HTMLInputElement>('input[type=file]');
  if (!input) throw new Error('no file input');
  return input;
}

function xlsx(name = 'northshire-q3.xlsx', size?: number): File {
  const file = new File(['PK'], name, { type: XLSX });
  if (size !== undefined) Object.defineProperty(file, 'size', { value: size });
  return file;
}

describe('Bulk Claims (UI test with doubles)', { timeout: 30_000 }, () => {
  it('the Tier 1 queue has a Bulk Claims button; Tier 2 has neither the button nor the page', async () => {
    const { d } = bulkDouble(CREATED);
    const { unmount } = renderClaims(d, '/ZN1/claims-review', TAYLOR, AREAS);
    const button = await screen.findByRole('link', { name: /Bulk Claims/ });
    expect(button.getAttribute('href')).toBe(PAGE);
    unmount();

    const other = bulkDouble(CREATED);
    const second = renderClaims(other.d, '/ZN1/claims-review', JORDAN, AREAS);
    expect(await screen.findByRole('tab', { name: /Tier 2/ })).toBeTruthy();
    expect(screen.queryByRole('link', { name: /Bulk Claims/ })).toBeNull();
    second.unmount();

    const page = bulkDouble(CREATED);
    renderClaims(page.d, PAGE, JORDAN, AREAS);
    expect(await screen.findByText('Bulk claims are made by Approver Tier 1 of a commissioner.')).toBeTruthy();
    expect(callsOf(page.d, 'bulk_claim_periods')).toEqual([]);
  });

  it('lists the open periods and downloads the template of the chosen one', async () => {
    const { d, backend } = bulkDouble(CREATED);
    renderClaims(d, PAGE, TAYLOR, AREAS);
    expect(await screen.findByRole('heading', { level: 1, name: 'Bulk Claims' })).toBeTruthy();
    await waitFor(() => expect(callsOf(d, 'bulk_claim_periods')).toEqual([{ name: 'bulk_claim_periods', args: { p_commissioner_id: ZN1 } }]));
    expect(await screen.findByText('The claim window closes on 15/01/2026.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /Download Template/ }));
    await waitFor(() => expect(backend.downloads).toEqual([{ commissionerId: ZN1, period: 'Q3 2025/26' }]));

    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Period' }));
    fireEvent.click(await screen.findByTitle('Q4 2025/26'));
    fireEvent.click(screen.getByRole('button', { name: /Download Template/ }));
    await waitFor(() => expect(backend.downloads.at(-1)).toEqual({ commissionerId: ZN1, period: 'Q4 2025/26' }));
  });

  it('refuses a file that is not .xlsx, or over 5 MB, before sending anything', async () => {
    const { d, backend } = bulkDouble(CREATED);
    const { container } = renderClaims(d, PAGE, TAYLOR, AREAS);
    await screen.findByText('The claim window closes on 15/01/2026.');
    fireEvent.change(fileInput(container), { target: { files: [new File(['a,b'], 'claims.csv', { type: 'text/csv' })] } });
    expect(await screen.findByText('claims.csv is not an Excel workbook (.xlsx): save the template as .xlsx and upload it again.')).toBeTruthy();
    fireEvent.change(fileInput(container), { target: { files: [xlsx('big.xlsx', 6 * 1024 * 1024)] } });
    expect(await screen.findByText(/big.xlsx is larger than 5 MB/)).toBeTruthy();
    expect(backend.uploads).toEqual([]);
  });

  it('shows the upload’s progress, then the claims created, each linking to its review page', async () => {
    const { d, backend } = bulkDouble(CREATED);
    const { container } = renderClaims(d, PAGE, TAYLOR, AREAS);
    await screen.findByText('The claim window closes on 15/01/2026.');
    fireEvent.change(fileInput(container), { target: { files: [xlsx()] } });
    expect(await screen.findByText('Uploading northshire-q3.xlsx…')).toBeTruthy();
    expect(screen.getByRole('progressbar', { name: 'Uploading northshire-q3.xlsx…' }).getAttribute('aria-valuenow')).toBe('40');
    backend.release!();

    expect(await screen.findByText('2 claims created: they wait for Tier 2 review')).toBeTruthy();
    expect(backend.uploads).toEqual([{ commissionerId: ZN1, name: 'northshire-q3.xlsx' }]);
    const created = screen.getByRole('table', { name: 'Claims created' });
    const link = within(created).getByRole('link', { name: '36013' });
    expect(link.getAttribute('href')).toBe('/ZN1/claims-review/c-1');
    expect(within(created).getByText('£3,821.04')).toBeTruthy();
    expect(within(created).getByText('£60,000.00')).toBeTruthy();
    expect(within(created).getByText('High')).toBeTruthy();
    const rows = screen.getByRole('table', { name: 'Rows of the file' });
    expect(within(rows).getAllByText('Claim 36013')).toHaveLength(2);
    expect(within(rows).getByText('Claim 36014')).toBeTruthy();
  });

  it('an invalid file: nothing created, each row’s problems (formulas shown as the text they are), all rows on request', async () => {
    const { d, backend } = bulkDouble(REJECTED);
    const { container } = renderClaims(d, PAGE, TAYLOR, AREAS);
    await screen.findByText('The claim window closes on 15/01/2026.');
    fireEvent.change(fileInput(container), { target: { files: [xlsx('wrong.xlsx')] } });
    await waitFor(() => expect(backend.release).toBeDefined());
    backend.release!();
    expect(await screen.findByText('Nothing was created: 2 rows cannot be claimed')).toBeTruthy();
    expect(screen.getByText(REJECTED.message)).toBeTruthy();
    expect(screen.queryByRole('table', { name: 'Claims created' })).toBeNull();
    const rows = () => within(screen.getByRole('table', { name: 'Rows of the file' }));
    expect(rows().getByText('No organisation has the ODS code "ZZ999".')).toBeTruthy();
    expect(rows().getByText('=HYPERLINK("http://evil.example","12")')).toBeTruthy();
    expect(rows().queryByText('ZP1002')).toBeNull();
    fireEvent.click(screen.getByRole('switch', { name: 'Only rows with problems' }));
    expect(await rows().findByText('ZP1002')).toBeTruthy();
    expect(rows().getByText('Not claimed')).toBeTruthy();
  });

  it('the same file again: says nothing new was created and names the earlier claims', async () => {
    const { d, backend } = bulkDouble({ ...CREATED, duplicate: true, created: 0, rows: [], message: 'This file was already uploaded by Taylor Tier-One on 07/12/2025 at 10:00: its claims were created then, so nothing was created now.' });
    const { container } = renderClaims(d, PAGE, TAYLOR, AREAS);
    await screen.findByText('The claim window closes on 15/01/2026.');
    fireEvent.change(fileInput(container), { target: { files: [xlsx()] } });
    await waitFor(() => expect(backend.release).toBeDefined());
    backend.release!();
    expect(await screen.findByText('This file was uploaded before: nothing new was created')).toBeTruthy();
    expect(screen.getByText(/already uploaded by Taylor Tier-One/)).toBeTruthy();
    expect(within(screen.getByRole('table', { name: 'Claims created' })).getByRole('link', { name: '36014' })).toBeTruthy();
  });
});
