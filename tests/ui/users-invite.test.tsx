// UI tests of the invite wizard (email → name → organisation → roles → review
// → send): each step's validation, the review with its links back, and what
// is sent. The database and the send-invitation edge function cannot run in
// jsdom: an RPC double and a stand-in for the email call take their place.
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import './legacy-key-codes.ts';
import { organisationMatchRank, rankOrganisations } from '../../src/components/organisation-select.tsx';
import { firstInvalidStep } from '../../src/resources/users/invite.tsx';
import { ALEX_ID, createDouble, currentLocation, directoryRow, leaveQuestions, ORG, renderUsers, resetRpc } from './users-harness.tsx';

const email = vi.hoisted(() => ({
  send: vi.fn<(profileId: string) => Promise<{ ok: true } | { ok: false; code: string; message: string }>>(),
}));

vi.mock('../../src/resources/users/invitation-email.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/resources/users/invitation-email.ts')>()),
  sendInvitationEmail: (profileId: string) => email.send(profileId),
}));

const RILEY_ID = '10000000-0000-4000-8000-0000000000f1';

afterEach(() => {
  resetRpc();
  email.send.mockReset();
});

function activeStep(): string {
  return document.querySelector('.ant-steps-item-active .ant-steps-item-title')?.textContent ?? '';
}

async function clickNext(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByRole('button', { name: /Next$/ }));
}

describe('first invalid step (checked again before sending)', () => {
  const valid = { email: 'riley.reviewer@northshire.example', fullName: 'Riley Reviewer', organisationId: ORG.ZN1.id, roles: ['approver_tier_1'] as const };
  it('names the first step the database would refuse', () => {
    expect(firstInvalidStep({ ...valid, roles: [...valid.roles] }, 'commissioner')).toBeUndefined();
    expect(firstInvalidStep({ ...valid, roles: [], email: 'admin@northshire.example' }, 'commissioner')).toBe('email');
    expect(firstInvalidStep({ ...valid, roles: [...valid.roles], fullName: '  ' }, 'commissioner')).toBe('name');
    // Spoofed names (issue 11): direction-changing and invisible characters; look-alike shared mailboxes.
    expect(firstInvalidStep({ ...valid, roles: [...valid.roles], fullName: 'Riley \u202EreweiveR' }, 'commissioner')).toBe('name');
    expect(firstInvalidStep({ ...valid, roles: [...valid.roles], fullName: 'Riley\u200BReviewer' }, 'commissioner')).toBe('name');
    expect(firstInvalidStep({ ...valid, roles: [...valid.roles], email: '\uFF41dmin@northshire.example' }, 'commissioner')).toBe('email');
    expect(firstInvalidStep({ ...valid, roles: [...valid.roles] }, undefined)).toBe('organisation');
    expect(firstInvalidStep({ ...valid, roles: ['approver_tier_1', 'approver_tier_2'] }, 'commissioner')).toBe('roles');
    expect(firstInvalidStep({ ...valid, roles: ['approver_tier_1'] }, 'provider')).toBe('roles');
  });
});

describe('organisation search ranking', () => {
  const northshire = { ods_code: 'ZN1', name: 'NHS Northshire ICB' };
  const hillTop = { ods_code: 'ZP1004', name: 'Hill Top Surgery' };
  const hillside = { ods_code: 'ZP1009', name: 'Hillside Practice' };
  const topsham = { ods_code: 'ZP1010', name: 'Old Topsham Road Surgery' };
  const riverside = { ods_code: 'ZP1001', name: 'Riverside Medical Centre' };

  it('ranks exact code, then prefix of code or name, then start of a word, then anywhere', () => {
    expect(organisationMatchRank(northshire, 'zn1')).toBe(0);
    expect(organisationMatchRank(hillTop, 'ZP10')).toBe(1);
    expect(organisationMatchRank(hillTop, '  hill   top ')).toBe(1);
    expect(organisationMatchRank(hillTop, 'top')).toBe(2);
    expect(organisationMatchRank(topsham, 'top')).toBe(2);
    expect(organisationMatchRank(riverside, 'side')).toBe(3);
    expect(organisationMatchRank(northshire, 'Hill Top')).toBeUndefined();
  });

  it('puts the best match first and drops what does not match', () => {
    const all = [riverside, topsham, northshire, hillside, hillTop];
    expect(rankOrganisations(all, 'Hill Top')).toEqual([hillTop]);
    expect(rankOrganisations(all, 'hill')).toEqual([hillTop, hillside]);
    expect(rankOrganisations(all, 'side')).toEqual([hillside, riverside]);
    expect(rankOrganisations([{ ods_code: 'ZN10', name: 'A' }, northshire], 'ZN1').map((o) => o.ods_code)).toEqual(['ZN1', 'ZN10']);
  });
});

describe('invite wizard', { timeout: 120_000 }, () => {
  it('step 3: typing another organisation lists it first and Enter chooses it, not the pre-selected one', async () => {
    const user = userEvent.setup({ delay: null });
    renderUsers(createDouble(), '/ZN1/users/invite');
    await user.type(await screen.findByLabelText('Email address'), 'jo.bloggs@hilltop.example');
    await clickNext(user);
    await user.type(await screen.findByLabelText('Full name'), 'Jo Bloggs');
    await clickNext(user);
    await waitFor(() => expect(activeStep()).toBe('Organisation'));
    await screen.findByText('ZN1 – NHS Northshire ICB');

    const combobox = screen.getByRole('combobox', { name: 'Organisation' });
    await user.click(combobox);
    await user.keyboard('Hill Top');
    // The old choice is gone at once (before the debounced search answers); the match is first and highlighted.
    const listbox = await screen.findByRole('listbox');
    await waitFor(() => {
      const labels = [...document.querySelectorAll('.ant-select-dropdown .ant-select-item-option')].map((o) => o.textContent);
      expect(labels).toEqual(['ZP1004 – Hill Top Surgery']);
    });
    const active = document.querySelector('.ant-select-dropdown .ant-select-item-option-active');
    expect(active?.textContent).toBe('ZP1004 – Hill Top Surgery');
    expect(combobox.getAttribute('aria-activedescendant')).toBe(within(listbox).getAllByRole('option')[0]!.id);
    await user.keyboard('{Enter}');
    await waitFor(() => expect(document.querySelector('.ant-select-selection-item')?.textContent).toBe('ZP1004 – Hill Top Surgery'));

    await clickNext(user);
    // A practice: the roles offered are the provider side's.
    expect(await screen.findByRole('checkbox', { name: 'Claim Submitter' })).toBeTruthy();
    expect(screen.queryByRole('checkbox', { name: 'Approver Tier 1' })).toBeNull();
  });


  it('validates each step, shows the rule for roles, reviews with links back and sends the invitation', async () => {
    const user = userEvent.setup({ delay: null });
    const double = createDouble();
    double.rpc = ({ name, args }) => {
      if (name !== 'invite_user') throw new Error(`unexpected RPC ${name}`);
      // As the database does: a new invited account and its membership.
      double.tables.user_directory!.push(
        directoryRow({
          id: RILEY_ID,
          full_name: args.p_full_name as string,
          email: args.p_email as string,
          status: 'invited',
          memberships: [
            { membership_id: 'm-riley', organisation_id: ORG.ZN1.id, ods_code: 'ZN1', name: 'NHS Northshire ICB', type: 'icb', roles: ['approver_tier_1'], status: 'active' },
          ],
        }) as unknown as Record<string, unknown>,
      );
      return { data: { id: 'm-riley', profile_id: RILEY_ID, organisation_id: args.p_organisation_id, roles: args.p_roles, status: 'active' }, error: null, status: 200 };
    };
    email.send.mockResolvedValue({ ok: true });
    renderUsers(double, '/ZN1/users/invite');

    await screen.findByText('Invite a user');
    expect(activeStep()).toBe('Email');

    // Step 1: email — required, format, no generic mailbox.
    await clickNext(user);
    expect(await screen.findByText('Enter the person’s email address.')).toBeTruthy();
    const emailInput = screen.getByLabelText('Email address');
    await user.type(emailInput, 'riley.reviewer');
    await clickNext(user);
    expect(await screen.findByText(/in the right format/)).toBeTruthy();
    await user.clear(emailInput);
    await user.type(emailInput, 'Reception2@northshire.example');
    await clickNext(user);
    const generic = await screen.findByText(/looks like a generic or shared mailbox/);
    expect(generic.textContent).toContain('Reception2@northshire.example');
    expect(generic.textContent).toContain('use their own address');
    expect(activeStep()).toBe('Email');
    await user.clear(emailInput);
    await user.type(emailInput, 'riley.reviewer@northshire.example');
    await clickNext(user);

    // Step 2: name — required, not just spaces.
    await waitFor(() => expect(activeStep()).toBe('Name'));
    const nameInput = await screen.findByLabelText('Full name');
    await user.type(nameInput, '   ');
    await clickNext(user);
    expect(await screen.findByText('Enter the person’s full name.')).toBeTruthy();
    await user.clear(nameInput);
    await user.click(nameInput);
    await user.paste('Riley \u2067Reviewer');
    await clickNext(user);
    expect(await screen.findByText(/A full name cannot contain characters that change the direction of text/)).toBeTruthy();
    await user.clear(nameInput);
    await user.type(nameInput, 'Riley Reviewer');
    // Enter moves on too (keyboard only).
    await user.keyboard('{Enter}');

    // Step 3: organisation — the current context's organisation is chosen already.
    await waitFor(() => expect(activeStep()).toBe('Organisation'));
    expect(await screen.findByText('ZN1 – NHS Northshire ICB')).toBeTruthy();
    await clickNext(user);

    // Step 4: roles — commissioner roles only, the segregation-of-duties rule shown before anything is ticked.
    await waitFor(() => expect(activeStep()).toBe('Roles'));
    expect(screen.getByText('Segregation of duties')).toBeTruthy();
    expect(screen.getByText('Approver Tier 1 and Approver Tier 2 cannot be held together at one organisation.')).toBeTruthy();
    expect(screen.queryByRole('checkbox', { name: 'Claim Submitter' })).toBeNull();
    await clickNext(user);
    expect(await screen.findByText('Choose at least one role.')).toBeTruthy();
    // Each role with its short description beside it, linked to the box (src/i18n/common.ts).
    const tier1Box = screen.getByRole('checkbox', { name: 'Approver Tier 1' });
    expect(document.getElementById(tier1Box.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      'Vets claims and checks evidence; approves them to Tier 2 or declines.',
    );
    expect(screen.getByText('Approves claims financially and releases them for payment, or declines.')).toBeTruthy();
    await user.click(screen.getByRole('checkbox', { name: 'Approver Tier 1' }));
    await user.click(screen.getByRole('checkbox', { name: 'Approver Tier 2' }));
    await clickNext(user);
    expect(await screen.findByText(/Untick one of them/)).toBeTruthy();
    expect(await screen.findByText(/^Segregation of duties: Approver Tier 1 and Approver Tier 2/)).toBeTruthy();
    expect(activeStep()).toBe('Roles');
    await user.click(screen.getByRole('checkbox', { name: 'Approver Tier 2' }));
    await clickNext(user);

    // Step 5: review, with a way back to each step that keeps what was entered.
    await waitFor(() => expect(activeStep()).toBe('Review'));
    const review = document.querySelector('.ant-descriptions') as HTMLElement;
    expect(within(review).getByText('riley.reviewer@northshire.example')).toBeTruthy();
    expect(within(review).getByText('Riley Reviewer')).toBeTruthy();
    expect(within(review).getByText('NHS Northshire ICB (ZN1)')).toBeTruthy();
    expect(within(review).getByText('Approver Tier 1')).toBeTruthy();
    for (const what of ['Email address', 'Full name', 'Organisation', 'Roles']) {
      expect(screen.getByRole('button', { name: `Change the ${what}` })).toBeTruthy();
    }
    await user.click(screen.getByRole('button', { name: 'Change the Full name' }));
    await waitFor(() => expect(activeStep()).toBe('Name'));
    const nameAgain = screen.getByLabelText('Full name') as HTMLInputElement;
    expect(nameAgain.value).toBe('Riley Reviewer');
    await user.clear(nameAgain);
    await user.type(nameAgain, 'Riley Q Reviewer');
    await clickNext(user);
    await clickNext(user);
    await clickNext(user);
    await waitFor(() => expect(activeStep()).toBe('Review'));
    expect(screen.getByText('Riley Q Reviewer')).toBeTruthy();
    expect(double.rpcCalls).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: /Send invitation/ }));

    await waitFor(() => expect(currentLocation()).toBe(`/ZN1/users/${RILEY_ID}?invited=1`));
    expect(double.rpcCalls).toEqual([
      {
        name: 'invite_user',
        args: {
          p_email: 'riley.reviewer@northshire.example',
          p_full_name: 'Riley Q Reviewer',
          p_organisation_id: ORG.ZN1.id,
          p_roles: ['approver_tier_1'],
        },
      },
    ]);
    expect(email.send).toHaveBeenCalledWith(RILEY_ID);
    // Sending is not "leaving with unsaved changes".
    expect(leaveQuestions).toEqual([]);
    // The user page says so.
    expect((await screen.findAllByText('Invitation sent')).length).toBeGreaterThan(0);
    expect((await screen.findAllByText(/We have emailed riley.reviewer@northshire.example a link/)).length).toBeGreaterThan(0);
  });

  it('asks before leaving a half-filled invitation', async () => {
    const user = userEvent.setup({ delay: null });
    renderUsers(createDouble(), '/ZN1/users/invite');
    await user.type(await screen.findByLabelText('Email address'), 'jo.bloggs@northshire.example');
    await user.click(screen.getByRole('link', { name: /Users/ }));
    await waitFor(() => expect(leaveQuestions).toEqual(['You have unsaved changes. Leave this page and lose them?']));
    expect(currentLocation()).toBe('/ZN1/users/invite');
  });

  it('shows the database’s refusal on the review step and stays there', async () => {
    const user = userEvent.setup({ delay: null });
    const double = createDouble();
    double.rpc = () => ({
      data: null,
      error: {
        code: 'PT409',
        message: 'tier1@northshire.example already has or has asked for access to NHS Northshire ICB (ZN1).',
        hint: 'Change their roles with public.assign_roles.',
      },
      status: 409,
    });
    renderUsers(double, '/ZN1/users/invite');

    await user.type(await screen.findByLabelText('Email address'), 'tier1@northshire.example');
    await clickNext(user);
    await user.type(await screen.findByLabelText('Full name'), 'Taylor Tier-One');
    await clickNext(user);
    await screen.findByText('ZN1 – NHS Northshire ICB');
    await clickNext(user);
    await user.click(await screen.findByRole('checkbox', { name: 'Approver Tier 1' }));
    await clickNext(user);
    await user.click(await screen.findByRole('button', { name: /Send invitation/ }));

    const alerts = await screen.findAllByText(/already has or has asked for access to NHS Northshire ICB/);
    expect(alerts.length).toBeGreaterThan(0);
    expect(screen.getAllByText('That has already changed').length).toBeGreaterThan(0);
    expect(activeStep()).toBe('Review');
    expect(currentLocation()).toBe('/ZN1/users/invite');
    expect(email.send).not.toHaveBeenCalled();
  });

  it('says when the invitation was saved but the email could not be sent', async () => {
    const user = userEvent.setup({ delay: null });
    const double = createDouble();
    double.rpc = () => ({ data: { id: 'm-x', profile_id: ALEX_ID }, error: null, status: 200 });
    email.send.mockResolvedValue({ ok: false, code: 'invite_failed', message: 'Auth could not send the email.' });
    renderUsers(double, '/ZN1/users/invite');

    await user.type(await screen.findByLabelText('Email address'), 'jo.bloggs@northshire.example');
    await clickNext(user);
    await user.type(await screen.findByLabelText('Full name'), 'Jo Bloggs');
    await clickNext(user);
    await screen.findByText('ZN1 – NHS Northshire ICB');
    await clickNext(user);
    await user.click(await screen.findByRole('checkbox', { name: 'Finance' }));
    await clickNext(user);
    await user.click(await screen.findByRole('button', { name: /Send invitation/ }));

    await waitFor(() => expect(currentLocation()).toBe(`/ZN1/users/${ALEX_ID}?invited=unsent`));
    expect((await screen.findAllByText('Invitation saved, but not emailed')).length).toBeGreaterThan(0);
  });
});
