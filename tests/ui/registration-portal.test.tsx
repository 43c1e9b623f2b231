// The registration pages inside the real Portal (shell, access control, i18n,
// routes from src/resources/registrations/index.tsx), with the shell's test
// doubles: the queue is reached from the menu, a decision goes through the RPC
// transport, the public page works outside the layout, and a person without
// an administrator role is refused.
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { NINA, RECEPTION } from './registration-test-harness.tsx';
import { createDoubles, location, PERSONAS, renderPortal, type Doubles } from './shell-doubles.tsx';

/** The shell's data double finds rows by `id`: give each view row one. */
function withIds<T extends { profile_id: string }>(rows: T[]): Doubles['tables'][string] {
  return rows.map((row) => ({ ...row, id: row.profile_id }) as unknown as Doubles['tables'][string][number]);
}

describe('registrations in the portal shell', { timeout: 30_000 }, () => {
  it('lists the queue from the menu and approves after confirmation', async () => {
    const doubles = createDoubles(PERSONAS.alex);
    doubles.tables.pending_registrations = withIds([NINA, RECEPTION]);
    renderPortal(doubles, '/ZN1');
    const u = userEvent.setup({ delay: null });

    const menu = await screen.findByRole('navigation', { name: 'Main menu' });
    await u.click(await within(menu).findByText('Registrations'));
    await waitFor(() => expect(location.pathname).toBe('/ZN1/registrations'));
    await screen.findByText('Nina Newman');
    await waitFor(() => expect(document.title).toBe('Registrations – Commissioning Portal'));

    await u.click(screen.getByRole('button', { name: 'Review the registration of Nina Newman' }));
    await waitFor(() => expect(location.pathname).toBe(`/ZN1/registrations/${NINA.profile_id}`));
    await u.click(await screen.findByRole('button', { name: 'Approve' }));
    await u.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(doubles.rpcCalls).toContainEqual({ name: 'approve_registration', args: { p_profile_id: NINA.profile_id } }));
    await waitFor(() => expect(location.pathname).toBe('/ZN1/registrations'));
  });

  it('refuses the queue to a person without an administrator role', async () => {
    renderPortal(createDoubles(PERSONAS.pat), '/ZP1001/registrations');
    expect(await screen.findByText('You cannot open this page')).toBeTruthy();
    expect(screen.queryByText('Nina Newman')).toBeNull();
  });

  it('serves the public registration page outside the layout', async () => {
    renderPortal(createDoubles(PERSONAS.alex), '/register');
    expect(await screen.findByRole('heading', { name: 'Register for an account' })).toBeTruthy();
    expect(screen.queryByRole('navigation', { name: 'Main menu' })).toBeNull();
  });
});
