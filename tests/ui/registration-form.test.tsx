// UI tests of the public registration page (/register): what the form
// refuses before anything is sent, which roles it offers, and what it sends
// to Supabase Auth (a test double here; tests/e2e covers the real sign-up).
import { screen, waitFor, within } from '@testing-library/react';
import userEvent, { type UserEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { createDouble, orgId, renderPages, resetTransports } from './registration-test-harness.tsx';

afterEach(resetTransports);

function user(): UserEvent {
  return userEvent.setup({ delay: null });
}

/** Choose an organisation in the search select by typing its ODS code. */
async function chooseOrganisation(u: UserEvent, ods: string, label: string) {
  const select = screen.getByLabelText('Organisation');
  await u.click(select);
  await u.type(select, ods);
  const option = await screen.findByTitle(label);
  await u.click(option);
  await screen.findByText(new RegExp(`\\(${ods}\\) is a (commissioner|provider): these are the`));
}

async function fillPerson(u: UserEvent, email = 'jo.bloggs@bridgestreet.example', password = 'Good-Password-12') {
  await u.type(screen.getByLabelText('Full name'), 'Jo Bloggs');
  await u.type(screen.getByLabelText('Personal work email address'), email);
  await u.type(screen.getByLabelText('Password'), password);
  await u.type(screen.getByLabelText('Confirm password'), password);
}

function roleBoxes(): string[] {
  const group = screen.getByRole('group', { name: 'Role(s) requested' });
  return within(group)
    .queryAllByRole('checkbox')
    .map((box) => box.closest('label')?.textContent ?? '');
}

describe('registration form', { timeout: 30_000 }, () => {
  it('asks for every field before sending anything', async () => {
    const double = createDouble();
    renderPages(double, '/register');
    const u = user();
    await u.click(await screen.findByRole('button', { name: 'Register' }));

    for (const message of [
      'Enter your full name.',
      'Enter your email address.',
      'Choose a password.',
      'Type the password again.',
      'Choose your organisation.',
      'Choose at least one role.',
    ]) {
      expect(await screen.findByText(message)).toBeTruthy();
    }
    expect(screen.getByText('Choose your organisation first: the roles depend on it.')).toBeTruthy();
    expect(double.signUps).toEqual([]);
  });

  it('refuses a generic mailbox and says why', async () => {
    const double = createDouble();
    renderPages(double, '/register');
    const u = user();
    const email = await screen.findByLabelText('Personal work email address');
    await u.type(email, 'Reception.Team2@milllane.example');
    await u.tab();
    const message = await screen.findByText(/looks like a shared or generic mailbox/);
    expect(message.textContent).toContain('Reception.Team2@milllane.example');
    expect(message.textContent).toContain('every account is personal');
    expect(message.textContent).toContain('audit trail');

    // A personal address that merely starts with a generic word is fine.
    await u.clear(email);
    await u.type(email, 'receptionist.jane@milllane.example');
    await u.tab();
    await waitFor(() => expect(screen.queryByText(/looks like a shared or generic mailbox/)).toBeNull());
  });

  it('refuses a name with direction-changing or invisible characters, and a look-alike shared mailbox', async () => {
    const double = createDouble();
    renderPages(double, '/register');
    const u = user();
    const name = await screen.findByLabelText('Full name');
    // (user-event would type "{" specially: paste the characters.)
    await u.click(name);
    await u.paste('Pat \u202EreciTcarP');
    await u.tab();
    expect(await screen.findByText(/cannot contain characters that change the direction of text/)).toBeTruthy();
    await u.clear(name);
    await u.click(name);
    await u.paste('Pat\u200BPractice');
    await u.tab();
    expect(await screen.findByText(/cannot contain invisible characters/)).toBeTruthy();
    await u.clear(name);
    await u.type(name, 'Pat Practice');
    await u.tab();
    await waitFor(() => expect(screen.queryByText(/cannot contain/)).toBeNull());

    const email = screen.getByLabelText('Personal work email address');
    await u.click(email);
    await u.paste('r\u0435ception@milllane.example');
    await u.tab();
    expect(await screen.findByText(/looks like a shared or generic mailbox/)).toBeTruthy();
    expect(double.signUps).toEqual([]);
  });

  it('states the password rule and names what a password lacks', async () => {
    renderPages(createDouble(), '/register');
    const u = user();
    expect(await screen.findByText('At least 12 characters, with lower case letters, upper case letters and digits.')).toBeTruthy();
    const password = screen.getByLabelText('Password');

    await u.type(password, 'Short1a');
    await u.tab();
    expect(await screen.findByText('The password needs at least 12 characters.')).toBeTruthy();

    await u.clear(password);
    await u.type(password, 'alllowercase1234');
    await u.tab();
    expect(await screen.findByText('Add at least one upper case letter (A–Z).')).toBeTruthy();

    await u.clear(password);
    await u.type(password, 'NoDigitsAtAllHere');
    await u.tab();
    expect(await screen.findByText('Add at least one digit (0–9).')).toBeTruthy();

    await u.clear(password);
    await u.type(password, 'Good-Password-12');
    await u.tab();
    await waitFor(() => expect(screen.queryByText(/Add at least one|needs at least 12/)).toBeNull());

    await u.type(screen.getByLabelText('Confirm password'), 'Good-Password-13');
    await u.tab();
    expect(await screen.findByText('The two passwords are not the same.')).toBeTruthy();
  });

  it('offers the roles of the organisation’s side and drops roles the new organisation cannot hold', async () => {
    renderPages(createDouble(), '/register');
    const u = user();
    await screen.findByRole('button', { name: 'Register' });
    expect(screen.queryByRole('group', { name: 'Role(s) requested' })).toBeNull();

    await chooseOrganisation(u, 'ZP1002', 'ZP1002 – Bridge Street Surgery');
    await waitFor(() => expect(roleBoxes()).toContain('Claim Submitter'));
    expect(roleBoxes()).toContain('Provider Approver');
    expect(roleBoxes()).not.toContain('Approver Tier 1');
    expect(screen.getByText('Bridge Street Surgery (ZP1002) is a provider: these are the provider roles.')).toBeTruthy();
    // Each role with its short description beside it, linked to the box (src/i18n/common.ts).
    const claimSubmitter = screen.getByRole('checkbox', { name: 'Claim Submitter' });
    expect(claimSubmitter.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(claimSubmitter.getAttribute('aria-describedby')!)?.textContent).toBe('Creates and submits claims.');
    expect(screen.getByText("In two-step practices: approves the practice's claims and its staff's access requests.")).toBeTruthy();
    await u.click(claimSubmitter);

    await chooseOrganisation(u, 'ZN1', 'ZN1 – NHS Northshire ICB');
    await waitFor(() => expect(roleBoxes()).toContain('Approver Tier 1'));
    expect(roleBoxes()).toContain('User Administrator');
    expect(roleBoxes()).not.toContain('Claim Submitter');
    expect(screen.queryAllByRole('checkbox', { checked: true })).toEqual([]);
  });

  it('blocks Approver Tier 1 together with Approver Tier 2, showing the rule', async () => {
    const double = createDouble();
    renderPages(double, '/register');
    const u = user();
    await fillPerson(u, 'jo.bloggs@northshire.example');
    await chooseOrganisation(u, 'ZN1', 'ZN1 – NHS Northshire ICB');
    // The rule is stated before anyone breaks it.
    expect(screen.getByText('Segregation of duties')).toBeTruthy();

    await u.click(await screen.findByRole('checkbox', { name: 'Approver Tier 1' }));
    await u.click(screen.getByRole('checkbox', { name: 'Approver Tier 2' }));
    await u.click(screen.getByRole('button', { name: 'Register' }));
    // The field says what to change; the alert above the button states the rule.
    expect(await screen.findByText('Choose Approver Tier 1 or Approver Tier 2, not both.')).toBeTruthy();
    expect(screen.getByText(/One person cannot be Approver Tier 1 and Approver Tier 2 at the same organisation/)).toBeTruthy();
    expect(double.signUps).toEqual([]);

    await u.click(screen.getByRole('checkbox', { name: 'Approver Tier 2' }));
    await u.click(screen.getByRole('button', { name: 'Register' }));
    await waitFor(() => expect(double.signUps).toHaveLength(1));
    expect(double.signUps[0]!.roles).toEqual(['approver_tier_1']);
  });

  it('signs up with the request in the metadata, then shows who will approve', async () => {
    const double = createDouble();
    renderPages(double, '/register');
    const u = user();
    await u.type(await screen.findByLabelText('Full name'), '  Jo   Bloggs ');
    await u.type(screen.getByLabelText('Personal work email address'), ' jo.bloggs@bridgestreet.example ');
    await u.type(screen.getByLabelText('Password'), 'Good-Password-12');
    await u.type(screen.getByLabelText('Confirm password'), 'Good-Password-12');
    await chooseOrganisation(u, 'ZP1002', 'ZP1002 – Bridge Street Surgery');
    await u.click(await screen.findByRole('checkbox', { name: 'Claim Submitter' }));
    await u.click(screen.getByRole('checkbox', { name: 'Achievement Entry' }));
    expect(screen.getByText(/Your request will go to the User Administrators of the commissioner responsible for Bridge Street Surgery \(ZP1002\)/)).toBeTruthy();
    await u.click(screen.getByRole('button', { name: 'Register' }));

    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/register/confirmation'));
    expect(double.signUps).toEqual([
      {
        email: 'jo.bloggs@bridgestreet.example',
        password: 'Good-Password-12',
        fullName: 'Jo Bloggs',
        organisationId: orgId('ZP1002'),
        roles: ['claim_submitter', 'achievement_entry'],
        redirectTo: `${window.location.origin}/`,
      },
    ]);
    expect(await screen.findByRole('heading', { name: 'Check your email' })).toBeTruthy();
    expect(screen.getByText('We have sent a confirmation link to jo.bloggs@bridgestreet.example.')).toBeTruthy();
    expect(screen.getByText(/Then your request goes to the User Administrators of the commissioner responsible for Bridge Street Surgery \(ZP1002\)/)).toBeTruthy();
  });

  it('tells a commissioner administrator that the Support Desk approves', async () => {
    const double = createDouble();
    renderPages(double, '/register');
    const u = user();
    await fillPerson(u, 'dana.other@southvale.example');
    await chooseOrganisation(u, 'ZS1', 'ZS1 – NHS Southvale ICB');
    await u.click(await screen.findByRole('checkbox', { name: 'User Administrator' }));
    expect(screen.getByText(/Your request will go to the Support Desk/)).toBeTruthy();
  });

  it.each([
    [{ ok: false, alreadyRegistered: true } as const, 'An account with this email address already exists. Sign in, or reset your password if you have forgotten it.'],
    [
      { ok: false, error: Object.assign(new Error('Password should contain at least one character of each: …'), { code: 'weak_password' }) } as const,
      'The password is too weak. Use at least 12 characters, with lower case letters, upper case letters and digits.',
    ],
    [
      { ok: false, error: Object.assign(new Error('Email rate limit exceeded'), { code: 'over_email_send_rate_limit' }) } as const,
      'Too many registrations from this network in a short time. Please wait a few minutes and try again.',
    ],
  ])('shows what Auth refused (%#) and stays on the form', async (outcome, message) => {
    const double = createDouble();
    double.signUpOutcome = outcome;
    renderPages(double, '/register');
    const u = user();
    await fillPerson(u);
    await chooseOrganisation(u, 'ZP1002', 'ZP1002 – Bridge Street Surgery');
    await u.click(await screen.findByRole('checkbox', { name: 'Claim Submitter' }));
    await u.click(screen.getByRole('button', { name: 'Register' }));
    expect(await screen.findByText(message)).toBeTruthy();
    expect(screen.getByText('Registration failed')).toBeTruthy();
    expect(screen.getByTestId('location').textContent).toBe('/register');
  });
});
