// UI tests of the pending registrations queue and its review screen: the
// states of the list, the flags, the confirmation before Approve, the reason
// Reject needs, and the database's refusals shown as it words them. Data and
// RPCs are test doubles; tests/e2e/journeys/registrations.test.ts runs the
// same screens against the real database.
import { screen, waitFor, within } from '@testing-library/react';
import userEvent, { type UserEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { createDouble, DANA, NINA, RECEPTION, renderPages, resetTransports } from './registration-test-harness.tsx';

afterEach(resetTransports);

function user(): UserEvent {
  return userEvent.setup({ delay: null });
}

function bodyRows(): HTMLElement[] {
  return within(screen.getByRole('table'))
    .getAllByRole('row')
    .filter((row) => row.closest('tbody') !== null && !row.classList.contains('ant-table-measure-row'));
}

function location(): string {
  return screen.getByTestId('location').textContent ?? '';
}

describe('pending registrations queue', { timeout: 30_000 }, () => {
  it('lists the registrations newest first, with UK dates and the flags', async () => {
    const double = createDouble({ pending_registrations: [NINA, RECEPTION, DANA] as unknown as Record<string, unknown>[] });
    renderPages(double, '/support/registrations');
    await screen.findByText('Nina Newman');

    const rows = bodyRows();
    expect(rows.map((row) => row.querySelector('td strong')?.textContent)).toEqual(['Reception Team', 'Nina Newman', 'Dana Newadmin']);
    expect(double.listCalls.find((c) => c.resource === 'pending_registrations' && c.pagination?.mode !== 'off')?.sorters).toEqual([
      { field: 'registered_at', order: 'desc' },
    ]);
    // 23:30 UTC on 30 June 2025 is 00:30 on 1 July in London.
    expect(within(rows[1]!).getByText('01/07/2025 00:30')).toBeTruthy();
    expect(within(rows[0]!).getByText('Generic mailbox')).toBeTruthy();
    expect(within(rows[1]!).queryByText('Generic mailbox')).toBeNull();
    expect(within(rows[2]!).getByText('Support Desk approves')).toBeTruthy();
    expect(within(rows[2]!).getByText('User Administrator')).toBeTruthy();
    expect(within(rows[1]!).getByText('Bridge Street Surgery')).toBeTruthy();
    expect(within(rows[1]!).getByText('ZP1002')).toBeTruthy();
  });

  it('sorts oldest first on request and filters by organisation', async () => {
    const double = createDouble({ pending_registrations: [NINA, RECEPTION, DANA] as unknown as Record<string, unknown>[] });
    renderPages(double, '/ZN1/registrations');
    const u = user();
    await screen.findByText('Nina Newman');

    await u.click(screen.getByText('Registered'));
    await waitFor(() => expect(bodyRows()[0]!.textContent).toContain('Dana Newadmin'));

    const filter = screen.getByLabelText('Filter by organisation');
    await u.click(filter);
    await u.click(await screen.findByTitle('Mill Lane Practice (ZP1003)'));
    await waitFor(() => expect(bodyRows()).toHaveLength(1));
    expect(bodyRows()[0]!.textContent).toContain('Reception Team');
  });

  it('says when nothing is waiting', async () => {
    renderPages(createDouble(), '/ZN1/registrations');
    expect(await screen.findByText('No registrations are waiting for you')).toBeTruthy();
  });

  it('says when the queue cannot be loaded', async () => {
    const double = createDouble();
    double.failing.add('pending_registrations');
    renderPages(double, '/ZN1/registrations');
    expect((await screen.findAllByText('Registrations could not be loaded')).length).toBeGreaterThan(0);
    expect(screen.getAllByText('permission denied for view').length).toBeGreaterThan(0);
  });

  it('opens the review screen from the queue', async () => {
    const double = createDouble({ pending_registrations: [NINA] as unknown as Record<string, unknown>[] });
    renderPages(double, '/ZN1/registrations');
    const u = user();
    await u.click(await screen.findByRole('button', { name: 'Review the registration of Nina Newman' }));
    await waitFor(() => expect(location()).toBe(`/ZN1/registrations/${NINA.profile_id}`));
    expect(await screen.findByText('new.manager@bridgestreet.example')).toBeTruthy();
  });
});

describe('reviewing a registration', { timeout: 30_000 }, () => {
  it('shows the person, address, date, organisation and roles', async () => {
    renderPages(createDouble({ pending_registrations: [NINA] as unknown as Record<string, unknown>[] }), `/ZN1/registrations/${NINA.profile_id}`);
    expect(await screen.findByText('Nina Newman')).toBeTruthy();
    expect(screen.getByText('new.manager@bridgestreet.example')).toBeTruthy();
    expect(screen.getByText('01/07/2025 00:30')).toBeTruthy();
    expect(screen.getByText(/Bridge Street Surgery \(ZP1002\)/)).toBeTruthy();
    expect(screen.getByText('Claim Submitter')).toBeTruthy();
  });

  it('asks for confirmation before approving, and does nothing on Cancel', async () => {
    const double = createDouble({ pending_registrations: [NINA] as unknown as Record<string, unknown>[] });
    renderPages(double, `/ZN1/registrations/${NINA.profile_id}`);
    const u = user();
    await u.click(await screen.findByRole('button', { name: 'Approve' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getAllByText('Approve this registration?').length).toBeGreaterThan(0);
    expect(
      within(dialog).getByText(
        'Nina Newman (new.manager@bridgestreet.example) will be able to sign in and use Bridge Street Surgery (ZP1002) as Claim Submitter. We will email them.',
      ),
    ).toBeTruthy();
    await u.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    // (jsdom never finishes antd's closing animation, so the old dialog stays in the DOM.)
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(double.rpcCalls).toEqual([]);

    await u.click(screen.getAllByRole('button', { name: 'Approve' })[0]!);
    await waitFor(() => expect(screen.getAllByRole('dialog')).toHaveLength(2));
    const again = screen.getAllByRole('dialog')[1]!;
    await u.click(within(again).getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(double.rpcCalls).toEqual([{ name: 'approve_registration', args: { p_profile_id: NINA.profile_id } }]));
    await waitFor(() => expect(location()).toBe('/ZN1/registrations'));
    expect(await screen.findByText('Registration approved')).toBeTruthy();
  });

  it('needs a reason to reject, counts its characters and stops at 500', async () => {
    const double = createDouble({ pending_registrations: [NINA] as unknown as Record<string, unknown>[] });
    renderPages(double, `/ZN1/registrations/${NINA.profile_id}`);
    const u = user();
    await u.click(await screen.findByRole('button', { name: 'Reject' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('Reject the registration of Nina Newman')).toBeTruthy();
    expect(within(dialog).getByText('0 of 500 characters')).toBeTruthy();

    await u.click(within(dialog).getByRole('button', { name: 'Reject' }));
    expect(await within(dialog).findByText('Give a reason: the person will read it.')).toBeTruthy();
    // Spaces alone are no reason.
    const reason = within(dialog).getByLabelText('Reason');
    await u.type(reason, '   ');
    await u.click(within(dialog).getByRole('button', { name: 'Reject' }));
    expect(await within(dialog).findByText('Give a reason: the person will read it.')).toBeTruthy();
    expect(double.rpcCalls).toEqual([]);

    await u.clear(reason);
    await u.type(reason, 'Wrong practice');
    expect(within(dialog).getByText('14 of 500 characters')).toBeTruthy();
    await u.clear(reason);
    await u.click(reason);
    await u.paste('x'.repeat(600));
    expect((reason as HTMLTextAreaElement).value).toHaveLength(500);
    expect(within(dialog).getByText('500 of 500 characters')).toBeTruthy();

    await u.clear(reason);
    await u.type(reason, ' Please register for Bridge Street Surgery with your NHS address. ');
    await u.click(within(dialog).getByRole('button', { name: 'Reject' }));
    await waitFor(() =>
      expect(double.rpcCalls).toEqual([
        {
          name: 'reject_registration',
          args: { p_profile_id: NINA.profile_id, p_reason: 'Please register for Bridge Street Surgery with your NHS address.' },
        },
      ]),
    );
    await waitFor(() => expect(location()).toBe('/ZN1/registrations'));
    expect(await screen.findByText('Registration rejected')).toBeTruthy();
  });

  it('shows the database’s refusal in the dialog and keeps it open', async () => {
    const double = createDouble({ pending_registrations: [NINA] as unknown as Record<string, unknown>[] });
    double.rpcAnswer = {
      data: null,
      error: { code: 'PT409', message: 'This registration is rejected, not pending: only pending registrations can be rejected.', hint: 'Reload the list of registrations.' },
      status: 409,
    };
    renderPages(double, `/ZN1/registrations/${NINA.profile_id}`);
    const u = user();
    await u.click(await screen.findByRole('button', { name: 'Reject' }));
    const dialog = await screen.findByRole('dialog');
    await u.type(within(dialog).getByLabelText('Reason'), 'Duplicate');
    await u.click(within(dialog).getByRole('button', { name: 'Reject' }));
    expect(await within(dialog).findByText('That has already changed')).toBeTruthy();
    expect(within(dialog).getByText(/only pending registrations can be rejected\. Reload the list of registrations\./)).toBeTruthy();
    expect(location()).toBe(`/ZN1/registrations/${NINA.profile_id}`);
  });

  it('shows the database’s refusal of an approval on the page', async () => {
    const double = createDouble({ pending_registrations: [NINA] as unknown as Record<string, unknown>[] });
    double.rpcAnswer = {
      data: null,
      error: {
        code: '42501',
        message: 'You may not approve access to Bridge Street Surgery (ZP1002) as Claim Submitter.',
        hint: 'User Administrators of a commissioner above the organisation (or the Provider Approver of a two-step practice) approve it.',
      },
      status: 403,
    };
    renderPages(double, `/ZN1/registrations/${NINA.profile_id}`);
    const u = user();
    await u.click(await screen.findByRole('button', { name: 'Approve' }));
    await u.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Approve' }));
    expect(await screen.findByText('Not allowed')).toBeTruthy();
    expect(screen.getByText(/You may not approve access to Bridge Street Surgery \(ZP1002\) as Claim Submitter\./)).toBeTruthy();
    expect(location()).toBe(`/ZN1/registrations/${NINA.profile_id}`);
  });

  it('does not let a generic mailbox be approved and suggests the reason to reject it', async () => {
    const double = createDouble({ pending_registrations: [RECEPTION] as unknown as Record<string, unknown>[] });
    renderPages(double, `/ZN1/registrations/${RECEPTION.profile_id}`);
    const u = user();
    expect(await screen.findByText('Generic or shared mailbox: this registration cannot be approved')).toBeTruthy();
    expect(screen.getByText(/Accounts are personal, so that every action in the audit trail belongs to one person/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Approve' }) as HTMLButtonElement).disabled).toBe(true);

    await u.click(screen.getByRole('button', { name: 'Reject' }));
    const reason = within(await screen.findByRole('dialog')).getByLabelText('Reason') as HTMLTextAreaElement;
    await waitFor(() => expect(reason.value).toContain('reception@milllane.example is a shared mailbox'));
    expect(screen.getByText(`${reason.value.length} of 500 characters`)).toBeTruthy();
  });

  it('says "not found" for a registration the caller cannot see', async () => {
    const double = createDouble({ pending_registrations: [NINA] as unknown as Record<string, unknown>[] });
    renderPages(double, `/ZN1/registrations/${DANA.profile_id}`);
    expect(await screen.findByText('Registration not found')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
  });

  it('says "not found" for an address that is not a registration id, with a way back', async () => {
    const u = user();
    const double = createDouble();
    renderPages(double, '/ZN1/registrations/not-an-id');
    expect(await screen.findByText('Registration not found')).toBeTruthy();
    await u.click(screen.getByRole('button', { name: 'Back to registrations' }));
    await waitFor(() => expect(location()).toBe('/ZN1/registrations'));
  });
});
