// UI test of Claims (provider): the organisation's claims, New Claim when the
// database says a claim can be made (start_claim, then the claim's page), the
// database's reason when it cannot (each of the job aid's three), no New Claim
// for people who are not Claim Submitters, the Provider Approver's "Claims to
// approve" tab, and the Claim windows page.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { todayInLondon } from '../../src/lib/calendar-dates.ts';
import { currentFinancialYear } from '../../src/resources/offers/model.ts';
import { APPROVER, callsOf, claimRow, createClaimsDouble, orgId, renderClaims, resetClaims, SUBMITTER, VIEWER } from './claims-harness.tsx';

afterEach(resetClaims);

const YEAR = currentFinancialYear();

function listDouble() {
  return createClaimsDouble({
    claim_overview: [
      claimRow({ id: 'a', claim_number: 36001, status: 'draft', financial_year: YEAR, services: 'Complex Care Plans', periods: 'Q3', total: 2321.04 }),
      claimRow({ id: 'b', claim_number: 36002, status: 'pending_provider_approval', financial_year: YEAR, services: 'Depot Antipsychotic Injections', total: 125, submitted_at: '2025-10-05T10:00:00Z' }),
      claimRow({ id: 'c', claim_number: 35990, status: 'paid', financial_year: '2020/21', services: 'Old service', total: 10 }),
      claimRow({ id: 'other', claim_number: 36003, provider_id: orgId('ZP1002'), provider_ods_code: 'ZP1002', financial_year: YEAR }),
    ],
  });
}

describe('Claims list (UI test with doubles)', { timeout: 30_000 }, () => {
  it('lists this organisation’s claims of every year by default, with status tags and UK money', async () => {
    renderClaims(listDouble(), '/ZP1001/claims');
    const table = await screen.findByRole('table', { name: 'Claims' });
    await within(table).findByRole('link', { name: '36001' });
    expect(within(table).getByRole('link', { name: '36002' })).toBeTruthy();
    // A claim's year is its services' (2025/26 services are claimed in 2026/27): all years, so a new claim is never hidden.
    expect(within(table).getByRole('link', { name: '35990' })).toBeTruthy();
    expect(within(table).queryByRole('link', { name: '36003' })).toBeNull(); // ZP1002's
    expect(screen.getByRole('combobox', { name: 'Financial year' }).closest('.ant-select')!.textContent).toContain('All years');
    expect(within(table).getByText('£2,321.04')).toBeTruthy();
    expect(within(table).getByText('Pending Provider Approval')).toBeTruthy();
    expect(within(table).getByText('05/10/2025')).toBeTruthy();
    expect(within(table).getByRole('link', { name: '36001' }).getAttribute('href')).toBe('/ZP1001/claims/a');
  });

  it('New Claim starts a claim (start_claim) and opens its page', async () => {
    const d = listDouble();
    renderClaims(d, '/ZP1001/claims');
    fireEvent.click(await screen.findByRole('button', { name: 'New Claim' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/ZP1001/claims/claim-new'));
    expect(callsOf(d, 'start_claim')).toEqual([{ name: 'start_claim', args: { p_provider_id: orgId('ZP1001') } }]);
    expect(callsOf(d, 'new_claim_availability')[0]!.args).toEqual({ p_provider_id: orgId('ZP1001') });
  });

  const reasons = [
    ['not_open_yet', 'The claim window has not opened yet: the next one opens on 01/01/2026. See Claim windows for the schedule.'],
    ['all_claimed', 'You have submitted all your services’ claims for the open claim windows: there is nothing more to claim now.'],
    ['window_missed', 'You have missed your claim window: Complex Care Plans (Q2, closed 30/09/2025). Contact your commissioner’s primary care team.'],
  ] as const;
  for (const [reason, message] of reasons) {
    it(`shows the database’s reason instead of New Claim: ${reason}`, async () => {
      const d = listDouble();
      d.availability = { available: false, reason, message, next_opens_on: null };
      renderClaims(d, '/ZP1001/claims');
      expect(await screen.findByText(message)).toBeTruthy();
      expect(screen.getByText('There is no New Claim button today')).toBeTruthy();
      expect(screen.queryByRole('button', { name: 'New Claim' })).toBeNull();
    });
  }

  it('links to the draft the database names as holding the open windows', async () => {
    const d = listDouble();
    const message = 'Everything open for claims now is already on your draft claim 36001: finish it and press Submit.';
    d.availability = { available: false, reason: 'all_claimed', message, next_opens_on: null, open_drafts: [{ claim_id: 'a', claim_number: 36001 }] };
    renderClaims(d, '/ZP1001/claims');
    expect(await screen.findByText(message)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Open claim 36001' }).getAttribute('href')).toBe('/ZP1001/claims/a');
  });

  it('links to no draft when the database names none (a window not open yet)', async () => {
    const d = listDouble();
    d.availability = { available: false, reason: 'not_open_yet', message: reasons[0][1], next_opens_on: null, open_drafts: [] };
    renderClaims(d, '/ZP1001/claims');
    expect(await screen.findByText(reasons[0][1])).toBeTruthy();
    expect(screen.queryByRole('link', { name: /Open claim/ })).toBeNull();
  });

  it('offers no New Claim to people who only read claims (and does not ask)', async () => {
    const d = listDouble();
    renderClaims(d, '/ZP1001/claims', VIEWER);
    await screen.findByRole('link', { name: '36001' });
    expect(screen.queryByRole('button', { name: 'New Claim' })).toBeNull();
    expect(callsOf(d, 'new_claim_availability')).toEqual([]);
  });

  it('filters by financial year (from the address too) and back to all years', async () => {
    renderClaims(listDouble(), '/ZP1001/claims?year=2020/21', VIEWER);
    const table = await screen.findByRole('table', { name: 'Claims' });
    await within(table).findByRole('link', { name: '35990' });
    expect(within(table).queryByRole('link', { name: '36001' })).toBeNull();
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Financial year' }));
    fireEvent.click(await screen.findByTitle('All years'));
    await within(table).findByRole('link', { name: '36001' });
    expect(within(table).getByRole('link', { name: '35990' })).toBeTruthy();
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Financial year' }));
    fireEvent.click(await screen.findByTitle(`${YEAR} (current)`));
    await waitFor(() => expect(within(table).queryByRole('link', { name: '35990' })).toBeNull());
    expect(within(table).getByRole('link', { name: '36001' })).toBeTruthy();
  });

  it('says so when a year has no claims', async () => {
    renderClaims(listDouble(), '/ZP1001/claims?year=2019/20', VIEWER);
    expect(await screen.findByText('No claims in 2019/20.')).toBeTruthy();
  });

  it('filters by status', async () => {
    renderClaims(listDouble(), '/ZP1001/claims', VIEWER);
    await screen.findByRole('link', { name: '36001' });
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Status' }));
    fireEvent.click(await screen.findByTitle('Draft'));
    await waitFor(() => expect(screen.queryByRole('link', { name: '36002' })).toBeNull());
    expect(screen.getByRole('link', { name: '36001' })).toBeTruthy();
  });

  it('gives Provider Approvers the claims waiting for them in a tab of their own', async () => {
    renderClaims(listDouble(), '/ZP1001/claims', APPROVER);
    const tab = await screen.findByRole('tab', { name: 'Claims to approve (1)' });
    fireEvent.click(tab);
    const table = await screen.findByRole('table', { name: 'Claims to approve (1)' });
    expect(within(table).getByRole('link', { name: '36002' })).toBeTruthy();
    expect(within(table).queryByRole('link', { name: '36001' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'New Claim' })).toBeNull();
  });

  it('lists the claim windows of accepted services with their state today', async () => {
    const today = todayInLondon();
    const shift = (days: number) => {
      const date = new Date(`${today}T12:00:00Z`);
      date.setUTCDate(date.getUTCDate() + days);
      return date.toISOString().slice(0, 10);
    };
    const windows = [
      { id: 'w2', period_label: 'Q2', period_starts_on: '2000-01-01', period_ends_on: '2100-01-01', opens_on: shift(-90), closes_on: shift(-31) },
      { id: 'w3', period_label: 'Q3', period_starts_on: '2000-01-01', period_ends_on: '2100-01-01', opens_on: shift(-30), closes_on: shift(30) },
      { id: 'w4', period_label: 'Q4', period_starts_on: '2000-01-01', period_ends_on: '2100-01-01', opens_on: shift(61), closes_on: shift(120) },
    ];
    const d = createClaimsDouble({
      service_offers: [
        {
          id: 'offer-1',
          provider_id: orgId('ZP1001'),
          status: 'approved',
          starts_on: '2000-01-01',
          ends_on: '2100-01-01',
          service: { id: 's1', name: 'Complex Care Plans', kind: 'local', participation_only: false, claim_windows: windows },
        },
        {
          id: 'offer-2',
          provider_id: orgId('ZP1001'),
          status: 'approved',
          starts_on: '2000-01-01',
          ends_on: '2100-01-01',
          service: { id: 's2', name: 'Always open service', kind: 'local', participation_only: false, claim_windows: [] },
        },
      ],
    });
    renderClaims(d, '/ZP1001/claim-windows', VIEWER);
    const table = await screen.findByRole('table', { name: 'Claim windows' });
    const row = (label: string) => within(table).getByText(label).closest('tr')!;
    await within(table).findByText('Q3');
    expect(within(row('Q2')).getByText('Closed')).toBeTruthy();
    expect(within(row('Q3')).getByText('Open')).toBeTruthy();
    expect(within(row('Q4')).getByText('Upcoming')).toBeTruthy();
    const [y, m, day] = shift(30).split('-');
    expect(within(row('Q3')).getByText(`${day}/${m}/${y}`)).toBeTruthy();
    expect(within(table).getByText(/No claim windows: components are added one by one/)).toBeTruthy();
  });
});
