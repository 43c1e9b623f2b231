// UI test of the commissioner's payment runs (issue 13) with doubles: the list
// (newest first, status filter, flagged runs standing out), New Payment Run
// (a date not in the past, Preview from preview_payment_run, Create Payment
// Run with the previewed count and total, a clear message when the claims
// changed since), and a run's page (facts, claims linking to their review page
// with the run's total, Send confirming count and total, Cancel with a
// required reason, the payment file downloads, the tries, the answer, Send
// Again for a flagged run). The database's answers are doubles.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import dayjs from 'dayjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setPaymentFileSource } from '../../src/resources/payment-runs/api.ts';
import * as paymentRuns from '../../src/resources/payment-runs/index.tsx';
import type { PaymentFileFormat } from '../../src/resources/payment-runs/model.ts';
import { callsOf, createClaimsDouble, orgId, renderClaims, resetClaims, type ClaimsDouble } from './claims-harness.tsx';
import { accessWith, membership } from './organisations-test-harness.tsx';

const AREAS = [paymentRuns];
const MORGAN = accessWith(membership('ZN1', ['finance', 'finance_management']));
const FINANCE_MANAGEMENT = accessWith(membership('ZN1', ['finance_management']));
const ZN1 = orgId('ZN1');

function run(id: string, run_number: number, status: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    run_number,
    commissioner_id: ZN1,
    payment_date: '2026-12-15',
    status,
    claim_count: 2,
    total: 62840,
    created_at: '2026-12-07T10:00:00Z',
    created_by: 'profile-me',
    sent_at: null,
    sent_by: null,
    tries: 0,
    answer_due_at: null,
    acknowledged_at: null,
    payment_reference: null,
    rejected_at: null,
    rejection_reason: null,
    flagged_at: null,
    cancelled_at: null,
    cancelled_by: null,
    cancel_reason: null,
    ...extra,
  };
}

const RUNS = [
  run('run-9001', 9001, 'acknowledged', { claim_count: 1, total: 3837.2, sent_at: '2026-11-01T09:00:00Z', tries: 1, acknowledged_at: '2026-11-01T12:30:00Z', payment_reference: 'PAY-9001' }),
  run('run-9002', 9002, 'flagged', { claim_count: 1, total: 225, sent_at: '2026-12-01T09:00:00Z', tries: 3, flagged_at: '2026-12-03T21:00:00Z' }),
  run('run-9003', 9003, 'rejected', { claim_count: 1, total: 200, sent_at: '2026-12-02T09:00:00Z', tries: 1, rejected_at: '2026-12-02T15:00:00Z', rejection_reason: 'Bank details of ZP1002 missing.' }),
  run('run-9004', 9004, 'draft'),
  // Another commissioner's run: never listed in ZN1.
  run('run-8001', 8001, 'draft', { commissioner_id: orgId('ZS1') }),
];

function paymentDouble(): ClaimsDouble {
  const d = createClaimsDouble({
    payment_runs: RUNS.map((row) => ({ ...row })),
    payment_run_claims: [
      { id: 'x1', run_id: 'run-9004', claim_id: 'c-36005', provider_id: orgId('ZP1002'), claim_number: 36005, amount: 62640 },
      { id: 'x2', run_id: 'run-9004', claim_id: 'c-36006', provider_id: orgId('ZP1002'), claim_number: 36006, amount: 200 },
      { id: 'x3', run_id: 'run-9002', claim_id: 'c-36008', provider_id: orgId('ZP1003'), claim_number: 36008, amount: 225 },
    ],
    payment_run_tries: [
      { id: 't1', run_id: 'run-9002', try_number: 1, queued_at: '2026-12-01T09:00:00Z', delivered_at: '2026-12-01T09:01:00Z', delivery_error: null, answer_due_at: '2026-12-02T03:01:00Z' },
      { id: 't2', run_id: 'run-9002', try_number: 2, queued_at: '2026-12-02T03:01:00Z', delivered_at: '2026-12-02T03:02:00Z', delivery_error: null, answer_due_at: '2026-12-02T21:02:00Z' },
      { id: 't3', run_id: 'run-9002', try_number: 3, queued_at: '2026-12-02T21:02:00Z', delivered_at: null, delivery_error: 'payment system unreachable', answer_due_at: null },
    ],
  });
  const runRow = (id: unknown) => d.tables.payment_runs!.find((row) => row.id === id)!;
  const inner = d.rpc;
  d.rpc = (call) => {
    if (d.refuse[call.name]) return inner(call);
    const a = call.args;
    switch (call.name) {
      case 'preview_payment_run':
        return {
          data: {
            commissioner_id: a.p_commissioner_id,
            payment_date: a.p_payment_date,
            claim_count: 2,
            total: 62840,
            providers: [{ provider_id: orgId('ZP1002'), ods_code: 'ZP1002', name: 'Bridge Street Surgery', claim_count: 2, total: 62840 }],
          },
          error: null,
        };
      case 'create_payment_run': {
        const created = run('run-9005', 9005, 'draft', { payment_date: a.p_payment_date, claim_count: a.p_expected_claim_count, total: a.p_expected_total });
        d.tables.payment_runs!.push(created);
        return { data: created, error: null };
      }
      case 'send_payment_run':
        Object.assign(runRow(a.p_run_id), { status: 'sent', sent_at: '2026-12-07T11:00:00Z', tries: 1 });
        return { data: runRow(a.p_run_id), error: null };
      case 'cancel_payment_run':
        Object.assign(runRow(a.p_run_id), { status: 'cancelled', cancelled_at: '2026-12-07T11:00:00Z', cancel_reason: a.p_reason });
        return { data: runRow(a.p_run_id), error: null };
      case 'resend_payment_run':
        Object.assign(runRow(a.p_run_id), { status: 'sent', tries: 4, flagged_at: null });
        return { data: runRow(a.p_run_id), error: null };
      default:
        return inner(call);
    }
  };
  return d;
}

let fileRequests: Array<{ runId: string; format: PaymentFileFormat }>;
let saved: Array<{ name: string; blob: Blob }>;
let lastBlob: Blob | undefined;

beforeEach(() => {
  fileRequests = [];
  saved = [];
  setPaymentFileSource(async (runId, format) => {
    fileRequests.push({ runId, format });
    return { blob: new Blob([format === 'csv' ? 'line_number,provider_ods_code\r\n' : 'PK'], { type: 'application/octet-stream' }), fileName: `payment-run-9004.${format}` };
  });
  // jsdom saves no files: catch the Blob URL and the link's click instead.
  URL.createObjectURL = vi.fn((blob: Blob) => {
    lastBlob = blob;
    return 'blob:payment-file';
  });
  URL.revokeObjectURL = vi.fn();
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    if (this.href === 'blob:payment-file' && lastBlob) saved.push({ name: this.download, blob: lastBlob });
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  setPaymentFileSource(undefined);
  resetClaims();
});

const runLinks = () =>
  screen
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row).queryByRole('link')?.textContent)
    .filter(Boolean);

describe('Payment runs list (UI test with doubles)', { timeout: 30_000 }, () => {
  it('lists the commissioner’s runs newest first with their facts, and flagged runs stand out', async () => {
    const d = paymentDouble();
    renderClaims(d, '/ZN1/payment-runs', MORGAN, AREAS);
    expect(await screen.findByRole('heading', { level: 1, name: 'Payment runs' })).toBeTruthy();
    await waitFor(() => expect(runLinks()).toEqual(['Run 9004', 'Run 9003', 'Run 9002', 'Run 9001']));
    expect(d.listCalls.find((call) => call.resource === 'payment_runs')!.filters).toEqual([{ field: 'commissioner_id', operator: 'eq', value: ZN1 }]);
    const acknowledged = screen.getByRole('link', { name: 'Run 9001' }).closest('tr')!;
    expect(within(acknowledged).getByText('Acknowledged')).toBeTruthy();
    expect(within(acknowledged).getByText('15/12/2026')).toBeTruthy();
    expect(within(acknowledged).getByTestId('run-total-run-9001').textContent).toBe('£3,837.20');
    expect(within(acknowledged).getByText('01/11/2026 09:00')).toBeTruthy();
    expect(within(acknowledged).getByText('01/11/2026 12:30')).toBeTruthy();
    // The flagged run: a banner, its row tinted and marked, its tag.
    expect(screen.getByText(/1 run is flagged for attention/)).toBeTruthy();
    const flagged = screen.getByRole('link', { name: 'Run 9002' }).closest('tr')!;
    expect(flagged.getAttribute('data-flagged')).toBe('true');
    expect(within(flagged).getByText('Flagged for attention')).toBeTruthy();
    expect(within(flagged).getByText('3')).toBeTruthy();
    expect(acknowledged.getAttribute('data-flagged')).toBeNull();
    expect(screen.getByRole('link', { name: 'Run 9002' }).getAttribute('href')).toBe('/ZN1/payment-runs/run-9002');
    expect(screen.getByRole('button', { name: 'New Payment Run' })).toBeTruthy();
  });

  it('filters by status, and the banner’s button shows the flagged runs', async () => {
    renderClaims(paymentDouble(), '/ZN1/payment-runs', MORGAN, AREAS);
    await waitFor(() => expect(runLinks()).toHaveLength(4));
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Status' }));
    fireEvent.click(await screen.findByTitle('Rejected'));
    await waitFor(() => expect(runLinks()).toEqual(['Run 9003']));
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Status' }));
    fireEvent.click(await screen.findByTitle('Cancelled'));
    expect(await screen.findByText('No payment runs have this status.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Flagged for attention' }));
    await waitFor(() => expect(runLinks()).toEqual(['Run 9002']));
  });

  it('says what to do when there are no runs', async () => {
    const d = paymentDouble();
    d.tables.payment_runs = [];
    renderClaims(d, '/ZN1/payment-runs', FINANCE_MANAGEMENT, AREAS);
    expect(await screen.findByText('No payment runs yet. Create one from the claims approved for payment.')).toBeTruthy();
    expect(await screen.findByRole('button', { name: 'New Payment Run' })).toBeTruthy();
  });
});

async function typeDate(user: ReturnType<typeof userEvent.setup>, label: string, value: string) {
  const input = (await screen.findByLabelText(label)) as HTMLInputElement;
  await user.click(input);
  await user.type(input, `${value}{Tab}`, { initialSelectionStart: 0, initialSelectionEnd: input.value.length });
}

describe('New Payment Run (UI test with doubles)', { timeout: 30_000 }, () => {
  const inAWeek = dayjs().add(7, 'day');

  it('previews the run for a date (count, total, per provider), then creates it with the previewed count and total', async () => {
    const d = paymentDouble();
    renderClaims(d, '/ZN1/payment-runs/new', MORGAN, AREAS);
    const user = userEvent.setup();
    expect(await screen.findByRole('heading', { level: 1, name: 'New Payment Run' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Create Payment Run' })).toBeNull();
    await typeDate(user, 'Payment date', inAWeek.format('DD/MM/YYYY'));
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    await waitFor(() =>
      expect(callsOf(d, 'preview_payment_run').map((call) => call.args)).toEqual([{ p_commissioner_id: ZN1, p_payment_date: inAWeek.format('YYYY-MM-DD') }]),
    );
    expect(await screen.findByRole('heading', { name: `Preview for ${inAWeek.format('DD/MM/YYYY')}` })).toBeTruthy();
    expect(screen.getByTestId('preview-count').textContent).toBe('2');
    expect(screen.getByTestId('preview-total').textContent).toBe('£62,840.00');
    const providers = screen.getByRole('table', { name: 'Per provider' });
    expect(within(providers).getByText('Bridge Street Surgery (ZP1002)')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Create Payment Run' }));
    await waitFor(() =>
      expect(callsOf(d, 'create_payment_run').map((call) => call.args)).toEqual([
        { p_commissioner_id: ZN1, p_payment_date: inAWeek.format('YYYY-MM-DD'), p_expected_claim_count: 2, p_expected_total: 62840 },
      ]),
    );
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/ZN1/payment-runs/run-9005'));
    expect(await screen.findByRole('heading', { level: 1, name: 'Run 9005' })).toBeTruthy();
  });

  it('says plainly when the claims changed since the preview, and shows the preview as it is now', async () => {
    const d = paymentDouble();
    d.refuse.create_payment_run = { code: 'PT409', message: 'The claims approved for payment changed since the preview: 3 claims, £63,065.00 now.', hint: 'Preview again.' };
    renderClaims(d, '/ZN1/payment-runs/new', MORGAN, AREAS);
    const user = userEvent.setup();
    await typeDate(user, 'Payment date', inAWeek.format('DD/MM/YYYY'));
    fireEvent.click(await screen.findByRole('button', { name: 'Preview' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Create Payment Run' }));
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('The claims approved for payment changed since your preview')).toBeTruthy();
    expect(within(alert).getByText(/3 claims, £63,065.00 now/)).toBeTruthy();
    await waitFor(() => expect(callsOf(d, 'preview_payment_run')).toHaveLength(2));
    expect(screen.getByTestId('location').textContent).toBe('/ZN1/payment-runs/new');
    // jsdom never ends the loading icon's leave motion (the portal hides such icons from AT): the name ends with the words.
    expect(await screen.findByRole('button', { name: /Create Payment Run$/ })).toBeTruthy();
    expect(screen.getByTestId('preview-total').textContent).toBe('£62,840.00');
  });

  it('asks for a date first and does not take a date in the past', async () => {
    const d = paymentDouble();
    renderClaims(d, '/ZN1/payment-runs/new', MORGAN, AREAS);
    const user = userEvent.setup();
    fireEvent.click(await screen.findByRole('button', { name: 'Preview' }));
    expect(await screen.findByText('Choose the payment date.')).toBeTruthy();
    await typeDate(user, 'Payment date', dayjs().subtract(1, 'day').format('DD/MM/YYYY'));
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(screen.getByText('Choose the payment date.')).toBeTruthy();
    expect(callsOf(d, 'preview_payment_run')).toEqual([]);
  });

  it('says when nothing is approved for payment, and offers no Create', async () => {
    const d = paymentDouble();
    const inner = d.rpc;
    d.rpc = (call) =>
      call.name === 'preview_payment_run'
        ? { data: { commissioner_id: ZN1, payment_date: call.args.p_payment_date, claim_count: 0, total: 0, providers: [] }, error: null }
        : inner(call);
    renderClaims(d, '/ZN1/payment-runs/new', MORGAN, AREAS);
    const user = userEvent.setup();
    await typeDate(user, 'Payment date', inAWeek.format('DD/MM/YYYY'));
    fireEvent.click(await screen.findByRole('button', { name: 'Preview' }));
    expect(await screen.findByText('No claims are approved for payment: there is nothing to put in a run.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Create Payment Run' }).hasAttribute('disabled')).toBe(true);
  });
});

/** A button of the page itself (closed confirmations stay in the document a moment). */
function pageButton(name: string): HTMLElement | undefined {
  return screen.queryAllByRole('button', { name }).find((button) => !button.closest('.ant-modal-root'));
}

describe('A payment run’s page (UI test with doubles)', { timeout: 30_000 }, () => {
  it('shows a draft’s facts and claims (each opening its review page) with the run’s total', async () => {
    renderClaims(paymentDouble(), '/ZN1/payment-runs/run-9004', MORGAN, AREAS);
    expect(await screen.findByRole('heading', { level: 1, name: 'Run 9004' })).toBeTruthy();
    expect(screen.getByTestId('run-total').textContent).toBe('£62,840.00');
    expect(screen.getByTestId('run-claim-count').textContent).toBe('2');
    const claims = await screen.findByRole('table', { name: 'Claims in the run' });
    await waitFor(() => expect(within(claims).getAllByText('Bridge Street Surgery (ZP1002)')).toHaveLength(2));
    expect(within(claims).getByRole('link', { name: '36005' }).getAttribute('href')).toBe('/ZN1/claims-review/c-36005');
    expect(within(claims).getByTestId('claim-amount-36005').textContent).toBe('£62,640.00');
    expect(within(claims).getByTestId('claim-amount-36006').textContent).toBe('£200.00');
    expect(within(claims).getByTestId('claims-total').textContent).toBe(screen.getByTestId('run-total').textContent);
    expect(screen.getByText('Not sent yet.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Send Again' })).toBeNull();
  });

  it('Send asks first, naming the count and total, then sends the run', async () => {
    const d = paymentDouble();
    renderClaims(d, '/ZN1/payment-runs/run-9004', MORGAN, AREAS);
    fireEvent.click(await screen.findByRole('button', { name: 'Send' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getAllByText('Send Run 9004 to the payment system?').length).toBeGreaterThan(0);
    expect(within(dialog).getByText('2 claims, total £62,840.00, to be paid on 15/12/2026. The claims become Sent for Payment.')).toBeTruthy();
    fireEvent.click(within(dialog).getAllByRole('button', { name: 'Cancel' }).at(-1)!);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(callsOf(d, 'send_payment_run')).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    // The first confirmation may still be closing: the newest dialog is the last.
    await waitFor(() => expect(screen.getAllByRole('dialog').length).toBeGreaterThan(0));
    fireEvent.click(within(screen.getAllByRole('dialog').at(-1)!).getByRole('button', { name: 'Send the run' }));
    await waitFor(() => expect(callsOf(d, 'send_payment_run').map((call) => call.args)).toEqual([{ p_run_id: 'run-9004' }]));
    // The page reads the run back: sent, no Send or Cancel any more.
    await waitFor(() => expect(screen.getAllByText('Sent').length).toBeGreaterThan(0));
    await waitFor(() => expect(pageButton('Send')).toBeUndefined());
    expect(pageButton('Cancel')).toBeUndefined();
  });

  it('shows the database’s refusal of Send', async () => {
    const d = paymentDouble();
    d.refuse.send_payment_run = { code: 'PT409', message: 'Run 9004 is already sent.' };
    renderClaims(d, '/ZN1/payment-runs/run-9004', MORGAN, AREAS);
    fireEvent.click(await screen.findByRole('button', { name: 'Send' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Send the run' }));
    expect(await screen.findByText('The run was not sent')).toBeTruthy();
    expect(screen.getByText('Run 9004 is already sent.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Send' })).toBeTruthy();
  });

  it('Cancel needs a reason, then cancels the draft with it', async () => {
    const d = paymentDouble();
    renderClaims(d, '/ZN1/payment-runs/run-9004', MORGAN, AREAS);
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel the run' }));
    expect(await within(dialog).findByText('Give a reason for cancelling the run.')).toBeTruthy();
    expect(callsOf(d, 'cancel_payment_run')).toEqual([]);
    fireEvent.change(within(dialog).getByLabelText('Reason'), { target: { value: '  Wrong payment date.  ' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel the run' }));
    await waitFor(() => expect(callsOf(d, 'cancel_payment_run').map((call) => call.args)).toEqual([{ p_run_id: 'run-9004', p_reason: 'Wrong payment date.' }]));
    expect(await screen.findByText(/its claims are approved for payment again/)).toBeTruthy();
    expect(screen.getByText('Wrong payment date.')).toBeTruthy();
  });

  it('downloads the payment file as CSV and XLSX from the payment-file function, under the name it gives', async () => {
    renderClaims(paymentDouble(), '/ZN1/payment-runs/run-9004', MORGAN, AREAS);
    fireEvent.click(await screen.findByRole('button', { name: 'Download CSV' }));
    await waitFor(() => expect(saved.map((file) => file.name)).toEqual(['payment-run-9004.csv']));
    fireEvent.click(screen.getByRole('button', { name: 'Download XLSX' }));
    await waitFor(() => expect(saved.map((file) => file.name)).toEqual(['payment-run-9004.csv', 'payment-run-9004.xlsx']));
    expect(fileRequests).toEqual([
      { runId: 'run-9004', format: 'csv' },
      { runId: 'run-9004', format: 'xlsx' },
    ]);
    expect(await saved[0]!.blob.text()).toBe('line_number,provider_ods_code\r\n');
  });

  it('names the file after the run when the function gives no name, and shows a refused download', async () => {
    setPaymentFileSource(async () => ({ blob: new Blob(['x']) }));
    renderClaims(paymentDouble(), '/ZN1/payment-runs/run-9004', MORGAN, AREAS);
    fireEvent.click(await screen.findByRole('button', { name: 'Download XLSX' }));
    await waitFor(() => expect(saved.map((file) => file.name)).toEqual(['payment-run-9004.xlsx']));
    const { RpcError } = await import('../../src/components/rpc.ts');
    setPaymentFileSource(async () => {
      throw new RpcError('42501', 'Only the commissioner’s Finance people read payment files.', null, 403);
    });
    fireEvent.click(screen.getByRole('button', { name: 'Download CSV' }));
    expect(await screen.findByText('The payment file could not be downloaded')).toBeTruthy();
    expect(screen.getByText(/Only the commissioner’s Finance people/)).toBeTruthy();
  });

  it('a flagged run shows its tries and why it is flagged, and Send Again sends it once more', async () => {
    const d = paymentDouble();
    renderClaims(d, '/ZN1/payment-runs/run-9002', MORGAN, AREAS);
    expect(await screen.findByText('Flagged for attention on 03/12/2026 21:00')).toBeTruthy();
    expect(screen.getByText('The payment system did not answer after 3 tries. Check with the payment system, then send the run again.')).toBeTruthy();
    const tries = await screen.findByRole('table', { name: 'Deliveries to the payment system' });
    await waitFor(() => expect(within(tries).getAllByRole('row')).toHaveLength(4));
    expect(within(tries).getByText('payment system unreachable')).toBeTruthy();
    // Try 2 was queued when try 1's answer fell due.
    expect(within(tries).getAllByText('02/12/2026 03:01')).toHaveLength(2);
    expect(screen.queryByRole('button', { name: 'Send' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Send Again' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('The same 1 claims, total £225.00, go to the payment system once more, with a new try.')).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Send again' }));
    await waitFor(() => expect(callsOf(d, 'resend_payment_run').map((call) => call.args)).toEqual([{ p_run_id: 'run-9002' }]));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Send Again' })).toBeNull());
  });

  it('shows the acknowledgement with its payment reference, and a rejection with its reason', async () => {
    const { unmount } = renderClaims(paymentDouble(), '/ZN1/payment-runs/run-9001', MORGAN, AREAS);
    expect(await screen.findByText('Acknowledged on 01/11/2026 12:30: the claims are paid.')).toBeTruthy();
    expect(screen.getByTestId('payment-reference').textContent).toBe('PAY-9001');
    expect(screen.queryByRole('button', { name: 'Send' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Download XLSX' })).toBeTruthy();
    unmount();
    renderClaims(paymentDouble(), '/ZN1/payment-runs/run-9003', MORGAN, AREAS);
    expect(await screen.findByText('Rejected on 02/12/2026 15:00: the claims are approved for payment again.')).toBeTruthy();
    expect(screen.getByTestId('rejection-reason').textContent).toBe('Bank details of ZP1002 missing.');
  });

  it('says so when the run cannot be read', async () => {
    renderClaims(paymentDouble(), '/ZN1/payment-runs/no-such-run', MORGAN, AREAS);
    expect(await screen.findByRole('heading', { name: 'This payment run could not be found, or you cannot read it' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Back to Payment runs' }).getAttribute('href')).toBe('/ZN1/payment-runs');
  });
});
