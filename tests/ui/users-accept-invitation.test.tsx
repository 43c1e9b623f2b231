// UI tests of /accept-invitation: the password rule (at least 12 characters
// with lower case, upper case and digits) checked as it is typed, the
// confirmation, Auth's refusal shown in words, and on success the portal.
// Supabase Auth cannot run in jsdom: a stand-in records the password set.
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { AcceptInvitation, passwordChecks, passwordMeetsRule } from '../../src/resources/users/accept-invitation.tsx';
import { createDouble, currentLocation, renderUsers, resetRpc } from './users-harness.tsx';

afterEach(() => {
  resetRpc();
});

describe('password rule', () => {
  it('needs 12 characters, a lower-case letter, an upper-case letter and a digit', () => {
    expect(passwordMeetsRule('Demo-Password-1')).toBe(true);
    expect(passwordMeetsRule('Short-Pass-1')).toBe(true); // exactly 12
    expect(passwordMeetsRule('Short-Pas-1')).toBe(false); // 11
    expect(passwordMeetsRule('no-upper-case-1')).toBe(false);
    expect(passwordMeetsRule('NO-LOWER-CASE-1')).toBe(false);
    expect(passwordMeetsRule('No-Digits-At-All')).toBe(false);
    expect(passwordChecks('abc').map((c) => [c.key, c.ok])).toEqual([
      ['length', false],
      ['lower', true],
      ['upper', false],
      ['digit', false],
    ]);
  });
});

describe('accept invitation page', { timeout: 120_000 }, () => {
  it('checks the rule and the confirmation, shows Auth’s refusal, then sets the password and opens the portal', async () => {
    const user = userEvent.setup({ delay: null });
    const passwords: string[] = [];
    let refuse = true;
    const setPassword = async (password: string) => {
      passwords.push(password);
      if (refuse) {
        refuse = false;
        return { error: Object.assign(new Error('Password is known to be weak and easy to guess'), { code: 'weak_password' }) };
      }
      return { error: null };
    };
    renderUsers(createDouble(), '/accept-invitation', {
      extraRoutes: <Route path="/accept-invitation" element={<AcceptInvitation setPassword={setPassword} />} />,
    });

    expect(await screen.findByRole('heading', { name: 'Set your password' })).toBeTruthy();
    expect(
      await screen.findByText('Welcome, Riley Reviewer. Choose a password for riley.reviewer@northshire.example to finish accepting your invitation.'),
    ).toBeTruthy();

    const submit = screen.getByRole('button', { name: 'Set password and continue' });
    await user.click(submit);
    expect(await screen.findByText('Enter a password.')).toBeTruthy();
    expect(screen.getByText('Enter the password again.')).toBeTruthy();

    const password = screen.getByLabelText('New password');
    const confirm = screen.getByLabelText('Confirm the new password');
    const rule = document.getElementById('password-rule') as HTMLElement;
    await user.type(password, 'riverside');
    expect(within(rule).getByText(/at least 12 characters/).textContent).toContain('(not yet)');
    expect(within(rule).getByText(/a lower-case letter/).textContent).toContain('(done)');
    expect(within(rule).getByText(/an upper-case letter/).textContent).toContain('(not yet)');
    await user.click(submit);
    expect(await screen.findByText('The password does not meet the rule below.')).toBeTruthy();

    await user.clear(password);
    await user.type(password, 'Riverside-Reviewer-7');
    for (const line of [/at least 12 characters/, /a lower-case letter/, /an upper-case letter/, /a digit/]) {
      expect(within(rule).getByText(line).textContent).toContain('(done)');
    }
    await user.type(confirm, 'Riverside-Reviewer-8');
    await user.click(submit);
    expect(await screen.findByText('The two passwords are not the same.')).toBeTruthy();
    expect(passwords).toEqual([]);

    await user.clear(confirm);
    await user.type(confirm, 'Riverside-Reviewer-7');
    await user.click(submit);
    expect(await screen.findByText('The password could not be set')).toBeTruthy();
    expect(screen.getByText('Password is known to be weak and easy to guess')).toBeTruthy();
    expect(currentLocation()).toBe('/accept-invitation');

    await user.click(submit);
    await waitFor(() => expect(currentLocation()).toBe('/'));
    expect(passwords).toEqual(['Riverside-Reviewer-7', 'Riverside-Reviewer-7']);
  });
});
