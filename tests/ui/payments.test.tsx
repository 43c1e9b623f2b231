// UI test of the practice's Payments page (issue 13) with doubles: the
// practice's claims sent for payment or paid, newest payment date first, with
// the database's totals per payment date; each Claim ID opens the claim, whose page shows
// Paid with the payment date, when it was paid and the payment reference; an
// empty state saying when claims appear.
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import * as claims from '../../src/resources/claims/index.tsx';
import * as payments from '../../src/resources/payments/index.tsx';
import { CLAIM_ID, claimRow, createClaimsDouble, orgId, renderClaims, resetClaims, SUBMITTER, VIEWER } from './claims-harness.tsx';
import { accessWith, membership } from './organisations-test-harness.tsx';

afterEach(resetClaims);

const AREAS = [payments, claims];
const RIVERSIDE = orgId('ZP1001');

function paymentsDouble() {
  return createClaimsDouble({
    claim_overview: [
      claimRow({ id: CLAIM_ID, claim_number: 36001, status: 'paid', total: 3837.2, services: 'Complex Care Plans 2025/26, Depot Antipsychotic Injections 2025/26', periods: 'Q1 2025/26', payment_date: '2026-11-02', paid_at: '2026-11-01T12:30:00Z', payment_reference: 'PAY-9001', submitted_at: '2025-07-10T09:00:00Z' }),
      claimRow({ id: 'c-36013', claim_number: 36013, status: 'sent', total: 1200.5, services: 'Depot Antipsychotic Injections 2025/26', periods: 'Q2 2025/26', payment_date: '2026-12-15', paid_at: null }),
      claimRow({ id: 'c-36014', claim_number: 36014, status: 'paid', total: 99.99, services: 'Depot Antipsychotic Injections 2025/26', periods: 'Q2 2025/26', payment_date: '2026-12-15', paid_at: '2026-12-15T10:00:00Z' }),
      // Not yet in a run, and another practice's paid claim: neither is listed.
      claimRow({ id: 'c-36002', claim_number: 36002, status: 'approved_for_payment', total: 500, payment_date: null, paid_at: null }),
      claimRow({ id: 'c-36006', claim_number: 36006, status: 'paid', total: 200, provider_id: orgId('ZP1002'), payment_date: '2026-11-02', paid_at: '2026-11-01T12:30:00Z' }),
    ],
    // The database's sums (claim_payment_totals; tests/db/claims/payment-runs.test.ts checks them), as the page reads them.
    claim_payment_totals: [
      { id: 'ZP1001-2026-11-02', provider_id: RIVERSIDE, payment_date: '2026-11-02', claim_count: 1, paid_count: 1, total: 3837.2 },
      { id: 'ZP1001-2026-12-15', provider_id: RIVERSIDE, payment_date: '2026-12-15', claim_count: 2, paid_count: 1, total: 1300.49 },
      { id: 'ZP1002-2026-11-02', provider_id: orgId('ZP1002'), payment_date: '2026-11-02', claim_count: 1, paid_count: 1, total: 200 },
    ],
  });
}

const claimIds = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row).queryByRole('link')?.textContent)
    .filter(Boolean);

describe('Payments (UI test with doubles)', { timeout: 30_000 }, () => {
  it('lists the practice’s claims sent or paid, newest payment date first, with the totals per payment date', async () => {
    const d = paymentsDouble();
    renderClaims(d, '/ZP1001/payments', VIEWER, AREAS);
    expect(await screen.findByRole('heading', { level: 1, name: 'Payments' })).toBeTruthy();
    const list = await screen.findByRole('table', { name: 'Claims sent for payment and paid' });
    await waitFor(() => expect(claimIds(list)).toEqual(['36013', '36014', '36001']));
    expect(d.listCalls.find((call) => call.resource === 'claim_overview')!.filters).toEqual([
      { field: 'provider_id', operator: 'eq', value: RIVERSIDE },
      { field: 'status', operator: 'in', value: ['sent', 'paid'] },
    ]);
    expect(d.listCalls.find((call) => call.resource === 'claim_payment_totals')!.filters).toEqual([
      { field: 'provider_id', operator: 'eq', value: RIVERSIDE },
    ]);
    const paid = within(list).getByRole('link', { name: '36001' }).closest('tr')!;
    expect(within(paid).getByText('Paid')).toBeTruthy();
    expect(within(paid).getByText('02/11/2026')).toBeTruthy();
    expect(within(paid).getByText('01/11/2026')).toBeTruthy();
    expect(within(paid).getByTestId('claim-total-36001').textContent).toBe('£3,837.20');
    expect(within(paid).getByText('Q1 2025/26')).toBeTruthy();
    const sent = within(list).getByRole('link', { name: '36013' }).closest('tr')!;
    expect(within(sent).getByText('Sent for Payment')).toBeTruthy();
    expect(within(list).getByRole('link', { name: '36001' }).getAttribute('href')).toBe(`/ZP1001/claims/${CLAIM_ID}`);

    const byDate = screen.getByRole('table', { name: 'Totals per payment date' });
    const dates = within(byDate).getAllByRole('row').slice(1);
    expect(dates.map((row) => within(row).getAllByRole('cell')[0]!.textContent)).toEqual(['15/12/2026', '02/11/2026']);
    expect(within(byDate).getByTestId('date-total-2026-12-15').textContent).toBe('£1,300.49');
    expect(within(byDate).getByTestId('date-total-2026-11-02').textContent).toBe('£3,837.20');
    expect(within(dates[0]!).getByText('1 of 2 paid')).toBeTruthy();
    expect(within(dates[1]!).getByText('Paid')).toBeTruthy();
  });

  it('says when claims appear while there are none', async () => {
    const d = createClaimsDouble({ claim_overview: [claimRow({ status: 'approved_for_payment' })] });
    renderClaims(d, '/ZP1001/payments', accessWith(membership('ZP1001', ['finance_view'])), AREAS);
    expect(await screen.findByText(/A claim appears here once the commissioner sends it for payment/)).toBeTruthy();
    expect(screen.queryByRole('table', { name: 'Totals per payment date' })).toBeNull();
  });

  it('the claim page shows Paid with the payment date, when it was paid and the reference', async () => {
    renderClaims(paymentsDouble(), `/ZP1001/claims/${CLAIM_ID}`, SUBMITTER, AREAS);
    expect(await screen.findByRole('heading', { level: 1, name: 'Claim 36001' })).toBeTruthy();
    expect(screen.getAllByText('Paid').length).toBeGreaterThan(0);
    expect(screen.getByTestId('header-payment-date').textContent).toBe('02/11/2026');
    expect(screen.getByTestId('header-paid-at').textContent).toBe('01/11/2026 12:30');
    expect(screen.getByText('PAY-9001')).toBeTruthy();
  });

  it('a claim not yet paid shows no payment', async () => {
    renderClaims(createClaimsDouble({ claim_overview: [claimRow({ status: 'approved_for_payment', payment_date: null, paid_at: null })] }), `/ZP1001/claims/${CLAIM_ID}`, VIEWER, AREAS);
    expect(await screen.findByText('Approved for Payment')).toBeTruthy();
    expect(screen.queryByTestId('header-payment-date')).toBeNull();
    expect(screen.queryByTestId('header-paid-at')).toBeNull();
  });
});
