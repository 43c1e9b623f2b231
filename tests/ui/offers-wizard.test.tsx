// UI test of the offer wizard: each step's validation (a service; the four
// dates inside the service's own, end after start, response before the end;
// at least one provider), the review's links back, the single offer_service
// call and a refusal from the database. Data and RPCs are test doubles.
import type { BaseRecord, GetListParams } from '@refinedev/core';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createOffersDouble, offer, orgId, renderOffers, resetRpc } from './offers-harness.tsx';

afterEach(resetRpc);

const DEPOT = 'Depot Antipsychotic Injections 2025/26';

function next() {
  // The wizard's button, not the date panel's "Next month".
  fireEvent.click(screen.getByText('Next', { selector: 'button span' }).closest('button')!);
}

/** Types a date into the picker labelled `label` as a person would (DD/MM/YYYY, Enter). */
function typeDate(label: string, value: string) {
  const input = screen.getByLabelText(label) as HTMLInputElement;
  fireEvent.mouseDown(input);
  fireEvent.focus(input);
  fireEvent.change(input, { target: { value } });
  fireEvent.keyDown(input, { key: 'Enter', code: 'Enter', keyCode: 13 });
  fireEvent.blur(input);
}

async function openOnDates() {
  const double = createOffersDouble({
    service_offers: [offer('live-1', 'svc-depot', 'ZP1003', 'offered'), offer('gone-1', 'svc-depot', 'ZP1004', 'cancelled', { withdrawn: true })],
  });
  renderOffers(double, '/ZN1/offered-services/new');
  fireEvent.click(await screen.findByRole('radio', { name: DEPOT }));
  next();
  await screen.findByText(/runs from 01\/06\/2025 to 28\/02\/2026/);
  return double;
}

describe('the offer wizard (UI test with doubles)', { timeout: 30_000 }, () => {
  it('step 1: a service must be chosen; payment type and financial year filter the list', async () => {
    const double = createOffersDouble();
    renderOffers(double, '/ZN1/offered-services/new');
    await screen.findByRole('radio', { name: DEPOT });
    // Opens on the year with services (2025/26) and lists its three services, not 2024/25's.
    expect(screen.getByRole('radio', { name: 'Network Contract DES 2025/26' })).toBeTruthy();
    expect(screen.queryByRole('radio', { name: 'Complex Care Plans 2024/25' })).toBeNull();

    next();
    expect(await screen.findByText('Choose a service to offer.')).toBeTruthy();

    // Payment type: Directed Enhanced Service only.
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Payment type' }));
    fireEvent.click(await screen.findByTitle('Directed Enhanced Service'));
    await waitFor(() => expect(screen.queryByRole('radio', { name: DEPOT })).toBeNull());
    expect(screen.getByRole('radio', { name: 'Network Contract DES 2025/26' })).toBeTruthy();
    expect(double.rpcCalls).toEqual([]);
  });

  it('step 2: every date is required and must lie within the service’s dates; end after start; response by the end', async () => {
    await openOnDates();
    // The service's dates are suggested for start and end.
    expect((screen.getByLabelText('Start date') as HTMLInputElement).value).toBe('01/06/2025');
    expect((screen.getByLabelText('End date') as HTMLInputElement).value).toBe('28/02/2026');

    next();
    expect(await screen.findByText('Enter the response date')).toBeTruthy();
    expect(screen.getByText('Enter the target date')).toBeTruthy();

    typeDate('Response date', '01/03/2026'); // after the service ends
    typeDate('Target date', '31/05/2025'); // before it starts
    next();
    expect(await screen.findByText('The response date must lie within the service’s dates (01/06/2025 to 28/02/2026)')).toBeTruthy();
    expect(screen.getByText('The target date must lie within the service’s dates (01/06/2025 to 28/02/2026)')).toBeTruthy();

    typeDate('Start date', '01/10/2025');
    typeDate('End date', '30/09/2025');
    typeDate('Response date', '31/12/2025');
    typeDate('Target date', '31/01/2026');
    next();
    expect(await screen.findByText('The end date must be on or after the start date')).toBeTruthy();
    expect(screen.getByText('The response date must be on or before the end date')).toBeTruthy();

    typeDate('End date', '31/01/2026');
    typeDate('Response date', '30/11/2025');
    next();
    expect(await screen.findByRole('searchbox', { name: 'Search providers by ODS code or name' })).toBeTruthy();
  });

  it('step 3: at least one provider; providers with a live offer are not listed; review links back; one offer_service call', async () => {
    const double = await openOnDates();
    double.rpc = ({ name }) => (name === 'offer_service' ? { data: ['new-1', 'new-2'], error: null, status: 200 } : { data: null, error: null, status: 200 });
    typeDate('Response date', '30/06/2025');
    typeDate('Target date', '31/01/2026');
    next();
    await screen.findByText('Hill Top Surgery');
    // ZP1003 has a live offer of this service; ZP1004's was withdrawn, so it may be offered again.
    expect(screen.queryByText('Mill Lane Practice')).toBeNull();
    expect(screen.getByText('1 provider already has an offer of this service that is not cancelled: it is not listed.')).toBeTruthy();

    next();
    expect(await screen.findByText('Choose at least one provider.')).toBeTruthy();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Riverside Medical Centre (ZP1001)' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Hill Top Surgery (ZP1004)' }));
    next();

    // Review: everything, with a way back to each step.
    await screen.findByText(/Check the offer/);
    const review = document.querySelector('.ant-descriptions') as HTMLElement;
    for (const expected of [DEPOT, '30/06/2025', '31/01/2026', 'Riverside Medical Centre', 'Hill Top Surgery']) {
      expect(within(review).getAllByText(new RegExp(expected.replace(/[()/]/g, '.'))).length).toBeGreaterThan(0);
    }
    fireEvent.click(screen.getByRole('button', { name: 'Change the dates' }));
    expect((await screen.findByLabelText('Response date') as HTMLInputElement).value).toBe('30/06/2025');
    next();
    await screen.findByText('2 selected');
    next();
    await screen.findByText(/Check the offer/);
    fireEvent.click(screen.getByRole('button', { name: 'Change the service' }));
    expect(((await screen.findByRole('radio', { name: DEPOT })) as HTMLInputElement).checked).toBe(true);
    next();
    next();
    await screen.findByText('2 selected'); // the choice is kept while the service is the same
    next();
    await screen.findByText(/Check the offer/);
    next();

    expect(await screen.findByText('Are you sure?')).toBeTruthy();
    expect(double.rpcCalls).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: /Yes, offer the service/ }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/ZN1/offered-services/svc-depot'));
    expect(double.rpcCalls).toEqual([
      {
        name: 'offer_service',
        args: {
          p_service_id: 'svc-depot',
          p_provider_ids: [orgId('ZP1001'), orgId('ZP1004')],
          p_starts_on: '2025-06-01',
          p_ends_on: '2026-02-28',
          p_respond_by: '2025-06-30',
          p_target_date: '2026-01-31',
        },
      },
    ]);
  });

  describe('the review warns when nothing could be claimed (issue 11)', () => {
    async function toReview(tablesOrDouble: Record<string, Record<string, unknown>[]> | ReturnType<typeof createOffersDouble>, serviceName: string) {
      const double = 'provider' in tablesOrDouble ? (tablesOrDouble as ReturnType<typeof createOffersDouble>) : createOffersDouble(tablesOrDouble as Record<string, Record<string, unknown>[]>);
      renderOffers(double, '/ZN1/offered-services/new');
      fireEvent.click(await screen.findByRole('radio', { name: serviceName }));
      next();
      await screen.findByLabelText('Response date');
      typeDate('Response date', '30/06/2025');
      typeDate('Target date', '31/01/2026');
      next();
      fireEvent.click(await screen.findByRole('checkbox', { name: 'Riverside Medical Centre (ZP1001)' }));
      next();
      await screen.findByText(/Check the offer/);
      return double;
    }
    const component = (kind: string) => ({ id: `c-${kind}`, service_id: 'svc-depot', kind, name: kind, position: 1 });
    const window = (from: string, to: string) => ({ id: `w-${from}`, service_id: 'svc-depot', period_label: from, period_starts_on: from, period_ends_on: to, opens_on: to, closes_on: to });

    it('a local service without components or claim windows', async () => {
      await toReview({}, DEPOT);
      const alert = (await screen.findByText('Nothing could be claimed under this offer')).closest('.ant-alert') as HTMLElement;
      expect(within(alert).getByText(/has no unit or retainer component/)).toBeTruthy();
      expect(within(alert).getByText(/no claim window for a period between 01\/06\/2025 and 28\/02\/2026/)).toBeTruthy();
      expect(within(alert).getByText(/The database will refuse this offer/)).toBeTruthy();
    });

    it('a local service whose only claim window lies outside the offer, with only a participation component', async () => {
      await toReview({ service_components: [component('participation')], claim_windows: [window('2025-04-01', '2025-05-31')] }, DEPOT);
      const alert = (await screen.findByText('Nothing could be claimed under this offer')).closest('.ant-alert') as HTMLElement;
      expect(within(alert).getByText(/has no unit or retainer component/)).toBeTruthy();
      expect(within(alert).getByText(/no claim window for a period between/)).toBeTruthy();
    });

    it('no warning for a local service with a unit component and a claim window in the offer’s period', async () => {
      // Count the answers the review's checks get, so the absence below is asserted only after both have loaded.
      const answered: string[] = [];
      const double = createOffersDouble({ service_components: [component('unit')], claim_windows: [window('2025-07-01', '2025-09-30')] });
      const getList = double.provider.getList;
      double.provider.getList = async <T extends BaseRecord>(params: GetListParams) => {
        const answer = await getList<T>(params);
        answered.push(params.resource);
        return answer;
      };
      await toReview(double, DEPOT);
      await screen.findByText('Riverside Medical Centre', { exact: false });
      await waitFor(() => expect(answered).toEqual(expect.arrayContaining(['service_components', 'claim_windows'])));
      await act(async () => {}); // let React render what the checks loaded
      expect(screen.queryByText('Nothing could be claimed under this offer')).toBeNull();
    });

    it('a national service without indicator groups', async () => {
      await toReview({}, 'Network Contract DES 2025/26');
      const alert = (await screen.findByText('Nothing could be claimed under this offer')).closest('.ant-alert') as HTMLElement;
      expect(within(alert).getByText(/has no indicator groups/)).toBeTruthy();
      expect(within(alert).queryByText(/The database will refuse this offer/)).toBeNull();
    });
  });

  it('shows the database’s refusal and goes back to the step that can put it right', async () => {
    const double = await openOnDates();
    double.rpc = () => ({
      data: null,
      error: {
        code: '42501',
        message: 'Riverside Medical Centre (ZP1001) is outside your reach.',
        hint: 'Your access is limited to your clusters’ organisations; another commissioner may offer it.',
      },
      status: 403,
    });
    typeDate('Response date', '30/06/2025');
    typeDate('Target date', '31/01/2026');
    next();
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Riverside Medical Centre (ZP1001)' }));
    next();
    await screen.findByText(/Check the offer/);
    next();
    fireEvent.click(await screen.findByRole('button', { name: /Yes, offer the service/ }));
    expect(await screen.findByText('The service was not offered: Riverside Medical Centre (ZP1001) is outside your reach.')).toBeTruthy();
    expect(screen.getByRole('searchbox', { name: 'Search providers by ODS code or name' })).toBeTruthy();
    expect(screen.getByTestId('location').textContent).toBe('/ZN1/offered-services/new');
  });
});
