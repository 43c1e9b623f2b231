// UI test of My services (provider): the current organisation's offers, an
// offer's page with its components and tariff, Accept after a confirmation,
// Reject with a required reason of at most 500 characters (with a counter),
// and no buttons without Service Management.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createOffersDouble, offer, PAT, renderOffers, resetRpc, SUBMITTER } from './offers-harness.tsx';

afterEach(resetRpc);

const DEPOT = 'Depot Antipsychotic Injections 2025/26';

function double() {
  return createOffersDouble({
    service_offers: [
      offer('mine-ccp', 'svc-ccp', 'ZP1001', 'approved'),
      offer('mine-depot', 'svc-depot', 'ZP1001', 'offered'),
      offer('theirs', 'svc-depot', 'ZP1002', 'offered'),
    ],
    service_components: [
      { id: 'c1', service_id: 'svc-ccp', position: 1, name: 'Complex care plan created', kind: 'unit', unit_price: 193.42, fixed_amount: null, information: null, evidence_required: false, evidence_text: null, accepted_file_types: [] },
      { id: 'c2', service_id: 'svc-ccp', position: 2, name: 'Care co-ordination retainer', kind: 'retainer', unit_price: null, fixed_amount: 1500, information: 'Paid each quarter.', evidence_required: false, evidence_text: null, accepted_file_types: [] },
      { id: 'c3', service_id: 'svc-depot', position: 1, name: 'Depot injection administered', kind: 'unit', unit_price: 12.5, fixed_amount: null, information: null, evidence_required: false, evidence_text: null, accepted_file_types: [] },
    ],
    offer_tariffs: [{ id: 't1', offer_id: 'mine-ccp', component_id: 'c1', unit_price: 200 }],
  });
}

describe('My services (UI test with doubles)', { timeout: 30_000 }, () => {
  it('lists the current organisation’s offers with a status filter', async () => {
    renderOffers(double(), '/ZP1001/participation', PAT);
    await screen.findByRole('link', { name: DEPOT });
    expect(screen.getByText('1 offer is waiting for your answer.')).toBeTruthy();
    const table = screen.getByRole('table', { name: 'My services' });
    expect(within(table).getAllByRole('row')).toHaveLength(3); // header + ZP1001's two (not ZP1002's)
    fireEvent.click(screen.getByRole('radio', { name: 'Approved' }));
    await waitFor(() => expect(screen.queryByRole('link', { name: DEPOT })).toBeNull());
    expect(screen.getByRole('link', { name: 'Complex Care Plans 2025/26' })).toBeTruthy();
  });

  it('shows components with this offer’s tariff, expandable', async () => {
    renderOffers(double(), '/ZP1001/participation/mine-ccp', PAT);
    await screen.findByText('Complex care plan created');
    expect(screen.getByText('£200.00 per unit (your tariff; standard £193.42)')).toBeTruthy();
    expect(screen.getByText('£1,500.00 fixed')).toBeTruthy();
    expect(screen.getByText(/Accepted on/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Accept' })).toBeNull(); // already answered
    fireEvent.click(screen.getByText('Care co-ordination retainer'));
    expect(await screen.findByText('Paid each quarter.')).toBeTruthy();
  });

  it('accepts after a confirmation', async () => {
    const d = double();
    renderOffers(d, '/ZP1001/participation/mine-depot', PAT);
    fireEvent.click(await screen.findByRole('button', { name: 'Accept' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getAllByText(`Accept ${DEPOT}?`).length).toBeGreaterThan(0);
    expect(d.rpcCalls).toEqual([]);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Accept the offer' }));
    await waitFor(() => expect(d.rpcCalls).toEqual([{ name: 'accept_offer', args: { p_offer_id: 'mine-depot' } }]));
  });

  it('rejects only with a reason (required, at most 500 characters, counted)', async () => {
    const d = double();
    renderOffers(d, '/ZP1001/participation/mine-depot', PAT);
    fireEvent.click(await screen.findByRole('button', { name: 'Reject' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Reject the offer' }));
    expect(await within(dialog).findByText('Give a reason for rejecting the offer.')).toBeTruthy();
    const reason = within(dialog).getByLabelText('Reason') as HTMLTextAreaElement;
    expect(reason.maxLength).toBe(500);
    fireEvent.change(reason, { target: { value: '   ' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Reject the offer' }));
    expect(await within(dialog).findByText('Give a reason for rejecting the offer.')).toBeTruthy();
    const typed = '  No trained staff this year.  ';
    fireEvent.change(reason, { target: { value: typed } });
    expect(within(dialog).getByText(`${typed.length} / 500 characters`)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Reject the offer' }));
    await waitFor(() =>
      expect(d.rpcCalls).toEqual([{ name: 'reject_offer', args: { p_offer_id: 'mine-depot', p_reason: 'No trained staff this year.' } }]),
    );
  });

  it('people without Service Management see the offer but cannot answer it', async () => {
    renderOffers(double(), '/ZP1001/participation/mine-depot', SUBMITTER);
    await screen.findByText('Depot injection administered');
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Accept' })).toBeNull());
    expect(screen.queryByRole('button', { name: 'Reject' })).toBeNull();
  });
});
