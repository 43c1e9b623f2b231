// UI test of Offered services: the year and status filters, Withdraw only for
// offered offers and Cancel only for approved or rejected ones (with the rule
// said for a mixed selection), the confirmation and the RPC sent, and no
// buttons for commissioner roles other than Commissioning Management.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createOffersDouble, offer, renderOffers, resetRpc, TIER_ONE } from './offers-harness.tsx';

afterEach(resetRpc);

const CCP = 'Complex Care Plans 2025/26';

function tick(name: string) {
  fireEvent.click(screen.getByRole('checkbox', { name: `Select ${name}` }));
}

function button(name: string): HTMLButtonElement {
  return screen.getByRole('button', { name }) as HTMLButtonElement;
}

describe('offered services (UI test with doubles)', { timeout: 30_000 }, () => {
  it('opens on the year with services, lists each service’s providers, and filters by status', async () => {
    renderOffers(createOffersDouble(), '/ZN1/offered-services');
    await screen.findByRole('link', { name: CCP });
    expect(screen.getByText(/showing 2025\/26, the latest year with services/)).toBeTruthy();
    const table = screen.getByRole('table', { name: `Providers offered ${CCP}` });
    expect(within(table).getByText('Hill Top Surgery')).toBeTruthy();
    // Withdrawn shows as cancelled, with a note.
    const withdrawnRow = within(table).getByText('Westfield Health Centre').closest('tr')!;
    expect(within(withdrawnRow).getByText('Cancelled')).toBeTruthy();
    expect(within(withdrawnRow).getByText('(withdrawn)')).toBeTruthy();

    fireEvent.click(screen.getByRole('radio', { name: 'Rejected' }));
    await waitFor(() => expect(screen.queryByText('Hill Top Surgery')).toBeNull());
    expect(screen.getByText('Mill Lane Practice')).toBeTruthy();
    expect(screen.getByTestId('location').textContent).toContain('status=rejected');
  });

  it('Withdraw works only for offered services and Cancel only for approved or rejected; a mixed selection says why', async () => {
    const double = createOffersDouble();
    renderOffers(double, '/ZN1/offered-services?year=2025/26');
    await screen.findByRole('link', { name: CCP });
    await screen.findByRole('button', { name: 'Withdraw' });
    expect(button('Withdraw').disabled).toBe(true);
    expect(button('Cancel offer').disabled).toBe(true);

    tick('Hill Top Surgery (ZP1004)'); // offered
    expect(button('Withdraw').disabled).toBe(false);
    expect(button('Cancel offer').disabled).toBe(true);

    tick('Mill Lane Practice (ZP1003)'); // rejected
    expect(button('Withdraw').disabled).toBe(true);
    expect(button('Cancel offer').disabled).toBe(true);
    expect(screen.getByText(/Only offered services can be withdrawn: untick the 1 that are not offered/)).toBeTruthy();
    expect(screen.getByText(/Only approved or rejected services can be cancelled: untick the 1 that are neither/)).toBeTruthy();

    tick('Hill Top Surgery (ZP1004)');
    tick('Riverside Medical Centre (ZP1001)'); // approved
    expect(button('Withdraw').disabled).toBe(true);
    expect(button('Cancel offer').disabled).toBe(false);

    tick('Westfield Health Centre (ZP1005)'); // already cancelled (withdrawn)
    expect(button('Cancel offer').disabled).toBe(true);
    tick('Westfield Health Centre (ZP1005)');

    fireEvent.click(button('Cancel offer'));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getAllByText('Cancel 2 offers?').length).toBeGreaterThan(0);
    expect(within(dialog).getByText(/Mill Lane Practice \(ZP1003\)/)).toBeTruthy();
    expect(double.rpcCalls).toEqual([]);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel 2' }));
    await waitFor(() => expect(double.rpcCalls).toEqual([{ name: 'cancel_offers', args: { p_offer_ids: ['offer-1', 'offer-3'] } }]));
    expect(await screen.findByText('2 offers cancelled; the providers have been told.')).toBeTruthy();
  });

  it('withdraws after confirmation, and Keep sends nothing', async () => {
    const double = createOffersDouble();
    renderOffers(double, '/ZN1/offered-services/svc-ccp');
    await screen.findByRole('heading', { name: CCP });
    await screen.findByRole('checkbox', { name: 'Select Hill Top Surgery (ZP1004)' });
    tick('Hill Top Surgery (ZP1004)');
    fireEvent.click(button('Withdraw'));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Keep the offers' }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(double.rpcCalls).toEqual([]);

    fireEvent.click(button('Withdraw'));
    await waitFor(() => expect(screen.getAllByRole('button', { name: 'Withdraw 1' }).length).toBeGreaterThan(0));
    fireEvent.click(screen.getAllByRole('button', { name: 'Withdraw 1' }).at(-1)!);
    await waitFor(() => expect(double.rpcCalls).toEqual([{ name: 'withdraw_offers', args: { p_offer_ids: ['offer-4'] } }]));
  });

  it('shows the database’s refusal of a withdrawal', async () => {
    const double = createOffersDouble();
    double.rpc = () => ({
      data: null,
      error: { code: 'PT409', message: 'The offer to Hill Top Surgery (ZP1004) is approved: only offered services can be withdrawn.', hint: 'Cancel it instead.' },
      status: 409,
    });
    renderOffers(double, '/ZN1/offered-services/svc-ccp');
    await screen.findByRole('heading', { name: CCP });
    await screen.findByRole('checkbox', { name: 'Select Hill Top Surgery (ZP1004)' });
    tick('Hill Top Surgery (ZP1004)');
    fireEvent.click(button('Withdraw'));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Withdraw 1' }));
    expect(await screen.findByText(/only offered services can be withdrawn\. Cancel it instead\./)).toBeTruthy();
  });

  it('a provider’s page lists every service offered to it', async () => {
    const double = createOffersDouble({
      service_offers: [offer('a', 'svc-ccp', 'ZP1004', 'offered'), offer('b', 'svc-des', 'ZP1004', 'approved'), offer('c', 'svc-ccp', 'ZP1001', 'approved')],
    });
    renderOffers(double, '/ZN1/offered-services?year=2025/26');
    fireEvent.click((await screen.findAllByRole('link', { name: 'ZP1004 Hill Top Surgery' }))[0]!);
    await screen.findByText('Services offered to Hill Top Surgery (ZP1004)');
    const table = await screen.findByRole('table', { name: 'Services offered to Hill Top Surgery (ZP1004)' });
    await within(table).findByText('Network Contract DES 2025/26');
    expect(within(table).getByText(CCP)).toBeTruthy();
    expect(within(table).getAllByRole('row')).toHaveLength(3); // header + two services
  });

  it('other commissioner roles read the offers but get no tick boxes, Withdraw, Cancel or Offer a service', async () => {
    renderOffers(createOffersDouble(), '/ZN1/offered-services?year=2025/26', TIER_ONE);
    await screen.findByRole('link', { name: CCP });
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Offer a service' })).toBeNull());
    expect(screen.queryByRole('checkbox')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Withdraw' })).toBeNull();
  });
});
