// UI test of the profile page's email notification preferences: kinds in
// groups, each "Email" (default) or "Portal only" from the person's own rows
// (notification_preferences), a change saved at once through
// set_notification_preferences, the always-emailed kinds listed, and the
// database's refusal shown. Portal doubles: tests/ui/shell-doubles.tsx.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { notificationGroups } from '../../src/resources/profile/notification-groups.ts';
import { createDoubles, PERSONAS, renderPortal } from './shell-doubles.tsx';

function choice(kindLabel: string, option: 'Email' | 'Portal only'): HTMLInputElement {
  const group = screen.getByRole('radiogroup', { name: kindLabel });
  return within(group).getByRole('radio', { name: option }) as HTMLInputElement;
}

describe('email notification preferences (profile page)', { timeout: 30_000 }, () => {
  it('groups the kinds, shows saved choices, saves a change at once and lists what is always emailed', async () => {
    const doubles = createDoubles(PERSONAS.pat);
    doubles.tables.notification_preferences = [{ id: 'pref-1', kind: 'roles_changed', delivery: 'portal_only' }];
    renderPortal(doubles, '/profile');

    await screen.findByText('Email notifications');
    for (const group of ['Tasks waiting for you', 'Your access and roles', 'Clusters and PCN relationships', 'Quality services and offers', 'Achievement and declarations']) {
      expect(screen.getByRole('heading', { name: group })).toBeTruthy();
    }
    await waitFor(() => expect(choice('Your roles changed', 'Portal only').checked).toBe(true));
    expect(choice('A practice joined, left or moved PCN', 'Email').checked).toBe(true);
    expect(screen.getByText(/Always emailed, about your account itself: invitations, registration approved/)).toBeTruthy();
    // Always-emailed kinds cannot be chosen.
    expect(screen.queryByRole('radiogroup', { name: 'account disabled' })).toBeNull();
    expect(screen.getByRole('radiogroup', { name: 'A declaration waits for your approval' })).toBeTruthy();

    fireEvent.click(choice('A practice joined, left or moved PCN', 'Portal only'));
    await waitFor(() =>
      expect(doubles.rpcCalls).toEqual([
        { name: 'set_notification_preferences', args: { p_kinds: ['pcn_membership_changed'], p_delivery: 'portal_only' } },
      ]),
    );
    expect(await screen.findByText('A practice joined, left or moved PCN: in the portal only, not emailed')).toBeTruthy();

    fireEvent.click(choice('Your roles changed', 'Email'));
    await waitFor(() =>
      expect(doubles.rpcCalls.at(-1)).toEqual({ name: 'set_notification_preferences', args: { p_kinds: ['roles_changed'], p_delivery: 'email' } }),
    );
  });

  it('shows the database’s refusal', async () => {
    const doubles = createDoubles(PERSONAS.pat);
    doubles.rpcAnswers.set_notification_preferences = {
      error: { code: '42501', message: 'Your account is disabled: only active accounts can do this.' },
    };
    renderPortal(doubles, '/profile');
    await screen.findByText('Email notifications');
    await waitFor(() => expect(doubles.listCalls.map((call) => call.resource)).toContain('notification_preferences'));
    fireEvent.click(choice('Your roles changed', 'Portal only'));
    await waitFor(() => expect(doubles.rpcCalls).toHaveLength(1));
    expect((await screen.findAllByText(/Your account is disabled/, undefined, { timeout: 5000 })).length).toBeGreaterThan(0);
  });

  it('every kind of message is in one group or always emailed, once', () => {
    const grouped = notificationGroups().flatMap((group) => group.kinds);
    expect(new Set(grouped).size).toBe(grouped.length);
    expect(grouped).not.toContain('invitation');
    expect(notificationGroups(['roles_changed', 'some_new_kind']).map((g) => [g.key, g.kinds])).toEqual([
      ['access', ['roles_changed']],
      ['other', ['some_new_kind']],
    ]);
  });
});
