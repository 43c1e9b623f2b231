// UI unit test of signing in: the real portal in jsdom with an authProvider test
// double (no Supabase). tests/e2e/sign-up.test.ts covers the real flow in Chromium.
import type { AuthProvider, DataProvider } from '@refinedev/core';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import { Portal } from '../../src/portal.tsx';

// Signed-out visitors never reach a data page; any call would be a failure of the test.
const refuse = async (): Promise<never> => {
  throw new Error('no data should be requested while signed out');
};
const emptyData: DataProvider = {
  getApiUrl: () => '',
  getList: async () => ({ data: [], total: 0 }),
  getOne: refuse,
  create: refuse,
  update: refuse,
  deleteOne: refuse,
};

function signedOutAuth(calls: Array<Record<string, unknown>>): AuthProvider {
  return {
    login: async (params: Record<string, unknown>) => {
      calls.push(params);
      return { success: false, error: { name: 'Sign-in failed', message: 'The email address or password is not right. Check them and try again.' } };
    },
    logout: async () => ({ success: true }),
    check: async () => ({ authenticated: false, redirectTo: '/login' }),
    onError: async () => ({}),
  };
}

describe('signing in', () => {
  it('sends a signed-out visitor from a portal page to the sign-in page', async () => {
    render(
      <MemoryRouter initialEntries={['/organisations']}>
        <Portal dataProvider={emptyData} authProvider={signedOutAuth([])} />
      </MemoryRouter>,
    );
    expect(await screen.findByText('Sign in to your account')).toBeTruthy();
    expect(screen.queryByText('Organisations')).toBeNull();
  });

  it('passes the email and password to the auth provider and shows its error', async () => {
    const calls: Array<Record<string, unknown>> = [];
    render(
      <MemoryRouter initialEntries={['/login']}>
        <Portal dataProvider={emptyData} authProvider={signedOutAuth(calls)} />
      </MemoryRouter>,
    );
    fireEvent.change(await screen.findByLabelText('Email'), { target: { value: 'pat@riverside.example' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'wrong-password-1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]).toMatchObject({ email: 'pat@riverside.example', password: 'wrong-password-1' });
    expect(await screen.findByText('The email address or password is not right. Check them and try again.')).toBeTruthy();
  });
});
