// UI tests of the access-request queue and review screen (test doubles for
// data and RPCs): states of the list, confirmation before Approve, a reason
// for Reject, and the membership id sent to the database.
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { createDouble, LEE_REQUEST, renderPages, resetTransports } from './registration-test-harness.tsx';

afterEach(resetTransports);

const rows = () => [LEE_REQUEST] as unknown as Record<string, unknown>[];

describe('access requests', { timeout: 30_000 }, () => {
  it('lists requests with the organisation, roles and UK date, newest first', async () => {
    const double = createDouble({ pending_access_requests: rows() });
    renderPages(double, '/ZN1/access-requests');
    const row = (await screen.findByText('Lee Lead')).closest('tr')!;
    expect(within(row).getByText('pcn.lead@riverside-pcn.example')).toBeTruthy();
    expect(within(row).getByText('Bridge Street Surgery')).toBeTruthy();
    expect(within(row).getByText('Declaration Management')).toBeTruthy();
    expect(within(row).getByText('01/12/2025 12:00')).toBeTruthy();
    expect(double.listCalls.find((c) => c.resource === 'pending_access_requests' && c.pagination?.mode !== 'off')?.sorters).toEqual([
      { field: 'requested_at', order: 'desc' },
    ]);
  });

  it('says when nothing is waiting, and when the list cannot be loaded', async () => {
    const { unmount } = renderPages(createDouble(), '/ZN1/access-requests');
    expect(await screen.findByText('No access requests are waiting for you')).toBeTruthy();
    unmount();
    const failing = createDouble();
    failing.failing.add('pending_access_requests');
    renderPages(failing, '/ZN1/access-requests');
    expect((await screen.findAllByText('Access requests could not be loaded')).length).toBeGreaterThan(0);
  });

  it('approves only after confirmation, with the membership id', async () => {
    const double = createDouble({ pending_access_requests: rows() });
    renderPages(double, `/ZN1/access-requests/${LEE_REQUEST.membership_id}`);
    const u = userEvent.setup({ delay: null });
    await u.click(await screen.findByRole('button', { name: 'Approve' }));
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText(
        'Lee Lead (pcn.lead@riverside-pcn.example) will be able to use Bridge Street Surgery (ZP1002) as Declaration Management. We will tell them.',
      ),
    ).toBeTruthy();
    expect(double.rpcCalls).toEqual([]);
    await u.click(within(dialog).getByRole('button', { name: 'Approve' }));
    await waitFor(() =>
      expect(double.rpcCalls).toEqual([{ name: 'approve_access_request', args: { p_membership_id: LEE_REQUEST.membership_id } }]),
    );
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/ZN1/access-requests'));
    expect(await screen.findByText('Access request approved')).toBeTruthy();
  });

  it('rejects only with a reason', async () => {
    const double = createDouble({ pending_access_requests: rows() });
    renderPages(double, `/ZN1/access-requests/${LEE_REQUEST.membership_id}`);
    const u = userEvent.setup({ delay: null });
    await u.click(await screen.findByRole('button', { name: 'Reject' }));
    const dialog = await screen.findByRole('dialog');
    await u.click(within(dialog).getByRole('button', { name: 'Reject' }));
    expect(await within(dialog).findByText('Give a reason: the person will read it.')).toBeTruthy();
    expect(double.rpcCalls).toEqual([]);
    await u.type(within(dialog).getByLabelText('Reason'), 'Ask your practice manager first');
    expect(within(dialog).getByText('31 of 500 characters')).toBeTruthy();
    await u.click(within(dialog).getByRole('button', { name: 'Reject' }));
    await waitFor(() =>
      expect(double.rpcCalls).toEqual([
        { name: 'reject_access_request', args: { p_membership_id: LEE_REQUEST.membership_id, p_reason: 'Ask your practice manager first' } },
      ]),
    );
    expect(await screen.findByText('Access request rejected')).toBeTruthy();
  });

  it('says "not found" for a request the caller cannot decide', async () => {
    renderPages(createDouble(), `/ZN1/access-requests/${LEE_REQUEST.membership_id}`);
    expect(await screen.findByText('Access request not found')).toBeTruthy();
  });
});
