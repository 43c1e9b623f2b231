// UI tests of the portal shell: the real Portal (providers, layout, routes,
// every area's resources) in jsdom, with test doubles for the data provider,
// the auth provider, my_access and the RPC transport. No network.
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import './legacy-key-codes.ts';
import { createDoubles, location, notification, PERSONAS, renderPortal } from './shell-doubles.tsx';

/** The header's organisation switcher (pages may have "Organisation" filters of their own). */
function switcher(): HTMLElement {
  return within(screen.getByRole('banner')).getByLabelText('Organisation');
}

function mainMenu(): HTMLElement {
  return screen.getByRole('navigation', { name: 'Main menu' });
}

function menuLabels(): string[] {
  return within(mainMenu())
    .getAllByRole('menuitem')
    .map((item) => item.textContent?.trim() ?? '');
}

async function openSelect(combobox: HTMLElement) {
  fireEvent.mouseDown(combobox);
  await waitFor(() => expect(document.querySelector('.ant-select-dropdown:not(.ant-select-dropdown-hidden)')).not.toBeNull());
}

function visibleDropdown(): HTMLElement {
  const dropdowns = [...document.querySelectorAll<HTMLElement>('.ant-select-dropdown:not(.ant-select-dropdown-hidden)')];
  const last = dropdowns.at(-1);
  if (!last) throw new Error('no open dropdown');
  return last;
}

describe('portal shell (UI test with doubles)', { timeout: 30_000 }, () => {
  it('sends / to the first context’s home, with the header and a titled page', async () => {
    const doubles = createDoubles(PERSONAS.alex);
    renderPortal(doubles, '/');

    await screen.findByRole('heading', { name: 'Message centre' });
    expect(location.pathname).toBe('/ZN1');
    expect(screen.getAllByText('Commissioning Portal').length).toBeGreaterThan(0);
    expect(screen.getByText('Test double')).toBeTruthy();
    // One context: its name, no switcher; the roles held there.
    expect(screen.getByText('ZN1 – NHS Northshire ICB')).toBeTruthy();
    expect(within(screen.getByRole('banner')).queryByLabelText('Organisation')).toBeNull();
    expect(screen.getByText('Organisation Administrator, User Administrator')).toBeTruthy();
    await waitFor(() => expect(document.title).toBe('Home – Commissioning Portal'));
  });

  it('shows only the menu entries the context’s roles allow', async () => {
    const admin = createDoubles(PERSONAS.alex);
    const { unmount } = renderPortal(admin, '/ZN1');
    await screen.findByRole('heading', { name: 'Message centre' });
    await waitFor(() =>
      expect(menuLabels()).toEqual([
        'Home',
        'Registrations',
        'Access requests',
        'Services',
        'Offered services',
        'Users',
        'Clusters',
        'Organisations',
        'Network relationships report',
        'Allocated reports',
      ]),
    );
    const usersLink = within(mainMenu()).getByRole('link', { name: 'Users' });
    expect(usersLink.getAttribute('href')).toBe('/ZN1/users');
    unmount();

    const practice = createDoubles(PERSONAS.pat);
    renderPortal(practice, '/ZP1001');
    await screen.findByRole('heading', { name: 'Message centre' });
    // Achievement Entry reads the practice's declarations: the Achievement group (Declare) appears.
    await waitFor(() => expect(menuLabels()).toEqual(['Home', 'My services', 'Achievement', 'Claims', 'Claim windows', 'Payments', 'Organisations', 'Network relationships report']));
  });

  it('gives the commissioner’s reviewers Claims review, and opens their claim tasks there; a practice keeps its claim page', async () => {
    const task = notification('n9', 'claim_awaiting_review', 'Claim 36011 waits for Tier 1', '2025-07-01T08:00:00Z', false, '/claims/c-36011');
    const robin = createDoubles(PERSONAS.robin, [task]);
    const { unmount } = renderPortal(robin, '/ZS1');
    await screen.findByRole('heading', { name: 'Message centre' });
    await waitFor(() => expect(menuLabels()).toContain('Claims review'));
    expect(menuLabels()).not.toContain('Claims');
    expect(within(mainMenu()).getByRole('link', { name: 'Claims review' }).getAttribute('href')).toBe('/ZS1/claims-review');
    expect((await screen.findByRole('link', { name: 'Claim 36011 waits for Tier 1' })).getAttribute('href')).toBe('/ZS1/claims-review/c-36011');
    unmount();

    const returned = notification('n8', 'claim_returned', 'Claim 36011 was returned', '2025-07-01T08:00:00Z', false, '/claims/c-36011');
    renderPortal(createDoubles(PERSONAS.pat, [returned]), '/ZP1001');
    await screen.findByRole('heading', { name: 'Message centre' });
    expect(menuLabels()).not.toContain('Claims review');
    expect((await screen.findByRole('link', { name: 'Claim 36011 was returned' })).getAttribute('href')).toBe('/ZP1001/claims/c-36011');
  });

  it('beside Claims review, how many claims wait for the review steps the context’s roles hold (claim_review_counts); none shown at 0', async () => {
    const robin = createDoubles(PERSONAS.robin);
    // Robin holds Tier 1 at ZS1: the Tier 2 and Finance counts are not his.
    robin.rpcAnswers.claim_review_counts = {
      data: [
        { status: 'pending_tier1_review', waiting: 2 },
        { status: 'pending_tier2_review', waiting: 5 },
        { status: 'pending_finance_approval', waiting: 1 },
      ],
    };
    const { unmount } = renderPortal(robin, '/ZS1');
    await screen.findByRole('heading', { name: 'Message centre' });
    const link = await within(mainMenu()).findByRole('link', { name: /^Claims review\s*\(2 waiting for you\)$/ });
    expect(link.getAttribute('href')).toBe('/ZS1/claims-review');
    expect(within(link).getByTestId('claims-review-menu-count').textContent).toBe('2');
    expect(robin.rpcCalls.filter((call) => call.name === 'claim_review_counts')).toEqual([{ name: 'claim_review_counts', args: {} }]);
    unmount();

    const nothingWaits = createDoubles(PERSONAS.robin);
    nothingWaits.rpcAnswers.claim_review_counts = { data: [{ status: 'pending_tier1_review', waiting: 0 }] };
    renderPortal(nothingWaits, '/ZS1');
    await screen.findByRole('heading', { name: 'Message centre' });
    await waitFor(() => expect(nothingWaits.rpcCalls.some((call) => call.name === 'claim_review_counts')).toBe(true));
    expect(await within(mainMenu()).findByRole('link', { name: 'Claims review' })).toBeTruthy();
    expect(within(mainMenu()).queryByTestId('claims-review-menu-count')).toBeNull();
  });

  it('asks for no review counts where the roles hold no review step', async () => {
    const alex = createDoubles(PERSONAS.alex);
    renderPortal(alex, '/ZN1');
    await screen.findByRole('heading', { name: 'Message centre' });
    await waitFor(() => expect(menuLabels()).toContain('Users'));
    expect(alex.rpcCalls.map((call) => call.name)).not.toContain('claim_review_counts');
  });

  it('gives the commissioner’s Finance Payment runs, opening their payment run tasks there; a practice gets Payments and its claim_paid news opens the claim', async () => {
    const flagged = notification('n10', 'payment_run_flagged', 'Payment run 9002 needs attention', '2026-12-03T21:00:00Z', false, '/payment-runs/r-9002');
    const rejected = notification('n11', 'payment_run_rejected', 'Payment run 9003 was rejected', '2026-12-02T15:00:00Z', false, '/payment-runs/r-9003');
    const { unmount } = renderPortal(createDoubles(PERSONAS.morgan, [flagged, rejected]), '/ZN1');
    await screen.findByRole('heading', { name: 'Message centre' });
    await waitFor(() => expect(menuLabels()).toContain('Payment runs'));
    expect(menuLabels()).not.toContain('Payments');
    expect(within(mainMenu()).getByRole('link', { name: 'Payment runs' }).getAttribute('href')).toBe('/ZN1/payment-runs');
    const flaggedLink = await screen.findByRole('link', { name: 'Payment run 9002 needs attention' });
    expect(flaggedLink.getAttribute('href')).toBe('/ZN1/payment-runs/r-9002');
    expect(screen.getByRole('link', { name: 'Payment run 9003 was rejected' }).getAttribute('href')).toBe('/ZN1/payment-runs/r-9003');
    // Both are tasks: they wait for Finance.
    expect(within(flaggedLink.closest('tr')!).getByText('Task')).toBeTruthy();
    unmount();

    // Alex (administrators, no Finance) has no Payment runs.
    const alex = renderPortal(createDoubles(PERSONAS.alex), '/ZN1');
    await screen.findByRole('heading', { name: 'Message centre' });
    await waitFor(() => expect(menuLabels()).toContain('Users'));
    expect(menuLabels()).not.toContain('Payment runs');
    alex.unmount();

    const paid = notification('n12', 'claim_paid', 'Claim 36005 paid', '2026-12-08T10:00:00Z', false, '/claims/c-36005');
    renderPortal(createDoubles(PERSONAS.pat, [paid]), '/ZP1001');
    await screen.findByRole('heading', { name: 'Message centre' });
    await waitFor(() => expect(menuLabels()).toContain('Payments'));
    expect(menuLabels()).not.toContain('Payment runs');
    expect(within(mainMenu()).getByRole('link', { name: 'Payments' }).getAttribute('href')).toBe('/ZP1001/payments');
    const paidLink = await screen.findByRole('link', { name: 'Claim 36005 paid' });
    expect(paidLink.getAttribute('href')).toBe('/ZP1001/claims/c-36005');
    // News, not a task.
    expect(within(paidLink.closest('tr')!).queryByText('Task')).toBeNull();
  });

  it('lists the contexts in the switcher and keeps the page type when switching', async () => {
    const doubles = createDoubles(PERSONAS.morgan);
    renderPortal(doubles, '/ZN1');
    await screen.findByRole('heading', { name: 'Message centre' });

    await openSelect(switcher());
    const options = within(visibleDropdown())
      .getAllByRole('option')
      .map((option) => option.textContent);
    // Active memberships only (ZP1002 is revoked), the Support Desk first.
    expect(options).toEqual(['Support Desk', 'ZN1 – NHS Northshire ICB', 'ZP1001 – Riverside Medical Centre']);

    fireEvent.click(within(visibleDropdown()).getByTitle('ZP1001 – Riverside Medical Centre'));
    await waitFor(() => expect(location.pathname).toBe('/ZP1001'));
    await waitFor(() => expect(screen.getByText('Provider Approver')).toBeTruthy());

    // From the users list of one context to the users list of another (both may list users).
    fireEvent.click(within(mainMenu()).getByRole('link', { name: 'Users' }));
    await waitFor(() => expect(location.pathname).toBe('/ZP1001/users'));
    await openSelect(switcher());
    fireEvent.click(within(visibleDropdown()).getByTitle('Support Desk'));
    await waitFor(() => expect(location.pathname).toBe('/support/users'));
    await waitFor(() => expect(menuLabels()).toEqual(['Home', 'Registrations', 'Access requests', 'Users', 'Organisations', 'Network relationships report']));

    // Clusters are not allowed at the practice: its home instead.
    await openSelect(switcher());
    fireEvent.click(within(visibleDropdown()).getByTitle('ZN1 – NHS Northshire ICB'));
    await waitFor(() => expect(location.pathname).toBe('/ZN1/users'));
  });

  it('shows "no access" for an organisation that is not the caller’s, and asks for none of its data', async () => {
    const doubles = createDoubles(PERSONAS.robin);
    renderPortal(doubles, '/ZN1/users');

    await screen.findByText('You do not have access to this organisation');
    // The menu leads back to the caller's own organisation, never into the other one.
    await waitFor(() => expect(within(mainMenu()).getByRole('link', { name: 'Users' }).getAttribute('href')).toBe('/ZS1/users'));
    expect(document.querySelector('a[href^="/ZN1"]')).toBeNull();
    const resources = new Set(doubles.listCalls.map((call) => call.resource));
    resources.delete('notifications'); // the header's own unread count
    expect([...resources]).toEqual([]);

    fireEvent.click(screen.getByRole('button', { name: 'Go to the home page' }));
    await waitFor(() => expect(location.pathname).toBe('/ZS1'));
  });

  it('shows a 403 result for a page the context’s roles do not allow', async () => {
    const doubles = createDoubles(PERSONAS.pat);
    renderPortal(doubles, '/ZP1001/users');
    await screen.findByText('You cannot open this page');
    expect(screen.getByText('Your roles at Riverside Medical Centre do not include this page.')).toBeTruthy();
    expect(doubles.listCalls.some((call) => call.resource === 'user_directory')).toBe(false);
  });

  it('shows a 404 page for an unknown address', async () => {
    const doubles = createDoubles(PERSONAS.alex);
    renderPortal(doubles, '/ZN1/no-such-page');
    await screen.findByText('Page not found');
    expect(screen.getByRole('button', { name: 'Go to the home page' })).toBeTruthy();
  });

  it('gives someone without access yet (accepting an invitation, pending) no empty side menu', async () => {
    const doubles = createDoubles(PERSONAS.nina);
    renderPortal(doubles, '/accept-invitation');
    await screen.findByRole('heading', { name: 'Set your password', level: 1 });
    // Before: a side menu with the product name and a collapse button, and no entries.
    expect(document.querySelector('.ant-layout-sider')).toBeNull();
    expect(screen.queryByRole('navigation', { name: 'Main menu' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Collapse the menu' })).toBeNull();
    // The header still offers the profile and signing out.
    expect(within(screen.getByRole('banner')).getByRole('button', { name: /^User menu/ })).toBeTruthy();
  });

  it('sends a person without an active membership to the profile, with an explanation', async () => {
    const doubles = createDoubles(PERSONAS.nina);
    renderPortal(doubles, '/');
    await screen.findByText('Your registration is waiting for approval');
    expect(location.pathname).toBe('/profile');
    expect(screen.getByRole('heading', { name: 'My profile' })).toBeTruthy();
    expect(screen.getByText('Requested')).toBeTruthy();
    expect(screen.getByText('Pending approval')).toBeTruthy();
    // Nothing to request or disable until the account is active.
    expect(screen.queryByRole('button', { name: /Request access/ })).toBeNull();
    await waitFor(() => expect(document.title).toBe('My profile – Commissioning Portal'));
  });
});

describe('message centre', { timeout: 30_000 }, () => {
  const messages = [
    notification('n1', 'registration_waiting', 'Registration waiting: Nina Newman', '2025-07-01T08:00:00Z', false, '/registrations/p-nina'),
    notification('n2', 'roles_changed', 'Your roles changed', '2025-06-30T23:30:00Z', false),
    notification('n3', 'cluster_assigned', 'Assigned to cluster CL-ZN1-001', '2025-06-01T12:00:00Z', true),
  ];

  it('lists own notifications newest first, unread ones marked, links inside the context', async () => {
    const doubles = createDoubles(PERSONAS.alex, messages);
    renderPortal(doubles, '/ZN1');

    const link = await screen.findByRole('link', { name: 'Registration waiting: Nina Newman' });
    expect(link.getAttribute('href')).toBe('/ZN1/registrations/p-nina');
    const rows = [...document.querySelectorAll('tbody tr.ant-table-row')];
    expect(rows.map((row) => row.querySelector('td')?.textContent)).toEqual([
      expect.stringContaining('Registration waiting: Nina Newman'),
      expect.stringContaining('Your roles changed'),
      expect.stringContaining('Assigned to cluster CL-ZN1-001'),
    ]);
    expect(within(rows[0] as HTMLElement).getByText('Task')).toBeTruthy();
    expect(within(rows[0] as HTMLElement).getByText('Unread')).toBeTruthy();
    expect(within(rows[2] as HTMLElement).queryByText('Unread')).toBeNull();
    // 23:30 UTC on 30 June is 00:30 on 1 July in London.
    expect(within(rows[1] as HTMLElement).getByText('01/07/2025 00:30')).toBeTruthy();
    // The header's bell counts the unread ones.
    await waitFor(() => expect(screen.getByRole('link', { name: 'Notifications: 2 unread notifications' })).toBeTruthy());
  });

  it('separates tasks from notifications', async () => {
    const doubles = createDoubles(PERSONAS.alex, messages);
    renderPortal(doubles, '/ZN1');
    await screen.findByText('Your roles changed');

    fireEvent.click(screen.getByRole('tab', { name: /Tasks/ }));
    await waitFor(() => expect(screen.queryByText('Your roles changed')).toBeNull());
    expect(screen.getByText('Registration waiting: Nina Newman')).toBeTruthy();

    fireEvent.click(screen.getByRole('tab', { name: /Notifications/ }));
    await screen.findByText('Your roles changed');
    expect(screen.queryByText('Registration waiting: Nina Newman')).toBeNull();
  });

  it('marks one and then all as read, and the header count follows', async () => {
    const doubles = createDoubles(PERSONAS.alex, messages);
    renderPortal(doubles, '/ZN1');
    await screen.findByText('Your roles changed');
    await screen.findByRole('link', { name: 'Notifications: 2 unread notifications' });

    fireEvent.click(screen.getByRole('button', { name: 'Mark as read: Your roles changed' }));
    await screen.findByRole('link', { name: 'Notifications: 1 unread notifications' });
    expect(doubles.updates[0]).toMatchObject({ resource: 'notifications', id: 'n2' });
    expect(doubles.tables.notifications?.find((row) => row.id === 'n2')?.read_at).toEqual(expect.any(String));

    fireEvent.click(screen.getByRole('button', { name: /Mark all as read/ }));
    await screen.findByRole('link', { name: 'Notifications: 0 unread notifications' });
    expect(doubles.updates[1]).toMatchObject({ resource: 'notifications', ids: ['n1'] });
    await waitFor(() => expect(screen.queryByText('Unread')).toBeNull());
  });

  it('shows a task whose subject was decided as done: a "Done" tag, muted, not counted as unread', async () => {
    const done = {
      ...notification('n4', 'registration_waiting', 'Registration waiting: Dana Doe', '2025-07-01T09:00:00Z', false, '/registrations/p-dana'),
      subject_type: 'profile',
      subject_id: 'p-dana',
      done_at: '2025-07-01T10:00:00Z',
    };
    const doubles = createDoubles(PERSONAS.alex, [...messages, done]);
    renderPortal(doubles, '/ZN1');

    const link = await screen.findByRole('link', { name: 'Registration waiting: Dana Doe' });
    const row = link.closest('tr') as HTMLElement;
    expect(within(row).getByText('Done')).toBeTruthy();
    expect(within(row).queryByText('Unread')).toBeNull();
    expect(within(row).queryByRole('button', { name: /Mark as read/ })).toBeNull();
    expect(within(row).getByText('Registration waiting: Dana Doe').closest('.ant-typography-secondary')).toBeTruthy();
    // The open task is still a task waiting for the reader.
    const open = (await screen.findByRole('link', { name: 'Registration waiting: Nina Newman' })).closest('tr') as HTMLElement;
    expect(within(open).queryByText('Done')).toBeNull();
    expect(within(open).getByText('Unread')).toBeTruthy();
    // Counts: the header and the tabs count the open unread ones only.
    await waitFor(() => expect(screen.getByRole('link', { name: 'Notifications: 2 unread notifications' })).toBeTruthy());
    await waitFor(() => expect(screen.getByRole('tab', { name: /Tasks/ }).textContent).toMatch(/Tasks\s*1$/));
    // The Tasks tab still lists it, as done.
    fireEvent.click(screen.getByRole('tab', { name: /Tasks/ }));
    await waitFor(() => expect(screen.queryByText('Your roles changed')).toBeNull());
    expect(screen.getByText('Registration waiting: Dana Doe')).toBeTruthy();
  });

  it('says when there is nothing yet', async () => {
    const doubles = createDoubles(PERSONAS.alex, []);
    renderPortal(doubles, '/ZN1');
    await screen.findByText('No messages yet');
  });
});

describe('profile forms', { timeout: 30_000 }, () => {
  it('requires a text for "Other" and keeps it within 250 characters with a live counter', async () => {
    const doubles = createDoubles(PERSONAS.alex);
    renderPortal(doubles, '/profile');
    fireEvent.click(await screen.findByRole('button', { name: /Disable my account/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Disable your account?' });

    // No reason at all.
    fireEvent.click(within(dialog).getByRole('button', { name: 'Disable my account' }));
    await within(dialog).findByText('Choose a reason.');

    fireEvent.click(within(dialog).getByLabelText('Other (please specify)'));
    const text = await within(dialog).findByLabelText('Describe the reason');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Disable my account' }));
    await within(dialog).findByText('Say why, in at most 250 characters.');
    expect(doubles.rpcCalls).toEqual([]);

    // The browser stops typing at 250 (maxlength); a longer value (e.g. set by script) is refused by the form.
    expect(text.getAttribute('maxlength')).toBe('250');
    fireEvent.change(text, { target: { value: 'x'.repeat(250) } });
    await within(dialog).findByText('250 / 250');
    fireEvent.change(text, { target: { value: 'x'.repeat(260) } });
    await within(dialog).findByText('Use at most 250 characters.');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Disable my account' }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(doubles.rpcCalls).toEqual([]);

    fireEvent.change(text, { target: { value: 'Moving to another trust' } });
    await within(dialog).findByText('23 / 250');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Disable my account' }));
    await waitFor(() =>
      expect(doubles.rpcCalls).toEqual([
        { name: 'disable_own_account', args: { p_reason: 'other', p_reason_text: 'Moving to another trust' } },
      ]),
    );
    await waitFor(() => expect(doubles.logouts).toBe(1));
  });

  it('blocks Approver Tier 1 with Approver Tier 2 before requesting access', async () => {
    const doubles = createDoubles(PERSONAS.pat);
    renderPortal(doubles, '/profile');
    fireEvent.click(await screen.findByRole('button', { name: /Request access to another organisation/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Request access to another organisation' });

    const organisation = within(dialog).getByLabelText('Organisation');
    await openSelect(organisation);
    fireEvent.change(organisation, { target: { value: 'south' } });
    const option = await waitFor(() => within(visibleDropdown()).getByTitle('ZS1 – NHS Southvale ICB'));
    expect(doubles.listCalls.at(-1)).toMatchObject({ resource: 'organisations' });
    // Already a member of ZP1001: not offered.
    expect(within(visibleDropdown()).queryByTitle('ZP1001 – Riverside Medical Centre')).toBeNull();
    fireEvent.click(option);

    // The rule is shown before any role is chosen.
    expect(
      await within(dialog).findByText(
        'Segregation of duties: Approver Tier 1 and Approver Tier 2 cannot be held together at one organisation.',
      ),
    ).toBeTruthy();
    // Commissioner roles for an ICB.
    expect(within(dialog).queryByLabelText('Claim Submitter')).toBeNull();
    fireEvent.click(within(dialog).getByLabelText('Approver Tier 1'));
    fireEvent.click(within(dialog).getByLabelText('Approver Tier 2'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Send request' }));
    await within(dialog).findByText('Approver Tier 1 and Approver Tier 2 cannot be held together at one organisation.');
    expect(doubles.rpcCalls).toEqual([]);

    fireEvent.click(within(dialog).getByLabelText('Approver Tier 2'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Send request' }));
    await waitFor(() =>
      expect(doubles.rpcCalls).toEqual([
        { name: 'request_access', args: { p_organisation_id: 'o-ZS1', p_roles: ['approver_tier_1'] } },
      ]),
    );
    await screen.findByText('Request sent');
    // The access is loaded again (the new request shows in the list).
    await waitFor(() => expect(doubles.accessLoads).toBeGreaterThanOrEqual(2));
  });

  it('shows the database’s refusal of a request', async () => {
    const doubles = createDoubles(PERSONAS.pat);
    doubles.rpcAnswers.request_access = {
      error: { code: 'PT409', message: 'You already asked for access to NHS Northshire ICB.', hint: 'Wait for the decision.' },
    };
    renderPortal(doubles, '/profile');
    fireEvent.click(await screen.findByRole('button', { name: /Request access to another organisation/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Request access to another organisation' });
    const organisation = within(dialog).getByLabelText('Organisation');
    await openSelect(organisation);
    fireEvent.change(organisation, { target: { value: 'ZN1' } });
    fireEvent.click(await waitFor(() => within(visibleDropdown()).getByTitle('ZN1 – NHS Northshire ICB')));
    fireEvent.click(await within(dialog).findByLabelText('Finance'));
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Send request' }));
    });
    await within(dialog).findByText('That has already changed');
    expect(within(dialog).getByText('You already asked for access to NHS Northshire ICB. Wait for the decision.')).toBeTruthy();
  });

  it('saves an edited name and validates it', async () => {
    const doubles = createDoubles(PERSONAS.alex);
    renderPortal(doubles, '/profile');
    const name = await screen.findByLabelText('Full name');
    expect((name as HTMLInputElement).value).toBe('Alex Admin');
    expect((screen.getByLabelText('Email address') as HTMLInputElement).readOnly).toBe(true);

    fireEvent.change(name, { target: { value: '   ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save my name' }));
    await screen.findByText('Enter your full name.');

    // A spoofed name (a right-to-left override) or one with a zero-width space: the database's rule, before anything is sent.
    fireEvent.change(name, { target: { value: 'Alex \u202EnimdA' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save my name' }));
    await screen.findByText(/A full name cannot contain characters that change the direction of text/);
    fireEvent.change(name, { target: { value: 'Alex\u200BAdmin' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save my name' }));
    await screen.findByText(/A full name cannot contain invisible characters/);
    expect(doubles.updates).toEqual([]);

    fireEvent.change(name, { target: { value: 'Alex Administrator' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save my name' }));
    await waitFor(() =>
      expect(doubles.updates).toEqual([expect.objectContaining({ resource: 'profiles', id: PERSONAS.alex.profile_id, variables: { full_name: 'Alex Administrator' } })]),
    );
    await screen.findByText('Your name has been saved');
  });
});

/** Makes antd's breakpoints (matchMedia min-/max-width queries) see a screen `width` pixels wide; returns an undo. */
function pretendScreenWidth(width: number): () => void {
  const original = window.matchMedia;
  window.matchMedia = (query: string): MediaQueryList => {
    const min = /min-width:\s*(\d+)/.exec(query);
    const max = /max-width:\s*(\d+)/.exec(query);
    const matches = (!min || width >= Number(min[1])) && (!max || width <= Number(max[1]));
    return {
      matches,
      media: query,
      onchange: null,
      addListener: () => {},
      removeListener: () => {},
      addEventListener: () => {},
      removeEventListener: () => {},
      dispatchEvent: () => false,
    } as MediaQueryList;
  };
  return () => {
    window.matchMedia = original;
  };
}

describe('icons inside labelled controls', { timeout: 30_000 }, () => {
  it('are hidden from screen readers, so a button is named by its words alone', async () => {
    const doubles = createDoubles(PERSONAS.alex, [
      notification('n1', 'roles_changed', 'Your roles changed', '2025-06-30T23:30:00Z', false),
    ]);
    renderPortal(doubles, '/ZN1');
    // Not "check Mark all as read" (antd's icon is role="img" aria-label="check").
    const markAll = await screen.findByRole('button', { name: 'Mark all as read' });
    const icon = markAll.querySelector('.anticon');
    expect(icon?.getAttribute('aria-hidden')).toBe('true');
    // Also in controls drawn later and by Refine or antd themselves: the menu's collapse button, the bell link.
    expect(screen.getByRole('button', { name: 'Collapse the menu' }).querySelector('.anticon')?.getAttribute('aria-hidden')).toBe('true');
    const bell = within(screen.getByRole('banner')).getByRole('link', { name: /^Notifications:/ });
    expect(bell.querySelector('.anticon')?.getAttribute('aria-hidden')).toBe('true');
    // An icon outside any control keeps its role and name.
    const loose = [...document.querySelectorAll('.anticon[role="img"]')].filter((el) => !el.closest('button, a, [role="button"], [role="menuitem"], [role="tab"]'));
    expect(loose.every((el) => !el.hasAttribute('aria-hidden'))).toBe(true);
  });
});

describe('portal shell on a phone (390 px)', { timeout: 30_000 }, () => {
  it('has no side menu; the header’s menu button opens it in a drawer that closes on navigation', async () => {
    const restore = pretendScreenWidth(390);
    try {
      const user = userEvent.setup({ delay: null });
      renderPortal(createDoubles(PERSONAS.alex), '/ZN1');
      await screen.findByRole('heading', { name: 'Message centre', level: 1 });
      // No side menu taking 64 px, and the header keeps to the organisation, the bell and the user icon.
      expect(screen.queryByRole('navigation', { name: 'Main menu' })).toBeNull();
      expect(document.querySelector('.ant-layout-sider')).toBeNull();
      const banner = screen.getByRole('banner');
      expect(within(banner).getByText('ZN1 – NHS Northshire ICB')).toBeTruthy();
      expect(within(banner).queryByText('Organisation Administrator, User Administrator')).toBeNull();
      expect(within(banner).queryByText('Alex Admin')).toBeNull();
      expect(within(banner).getByRole('button', { name: 'User menu: Alex Admin' })).toBeTruthy();

      // Keyboard: Tab to the menu button (the first stop in the header), Enter opens the drawer.
      const menuButton = within(banner).getByRole('button', { name: 'Menu' });
      expect(menuButton.getAttribute('aria-expanded')).toBe('false');
      menuButton.focus();
      await user.keyboard('{Enter}');
      const drawer = await screen.findByRole('dialog');
      expect(menuButton.getAttribute('aria-expanded')).toBe('true');
      const nav = within(drawer).getByRole('navigation', { name: 'Main menu' });
      // What the compact header leaves out is at the top of the drawer.
      expect(within(drawer).getByText('Organisation Administrator, User Administrator')).toBeTruthy();
      expect(within(drawer).getByText('Test double')).toBeTruthy();

      // Escape in the drawer (antd moves the focus into it in a browser, not in jsdom) closes it,
      // and the focus goes back to the menu button.
      within(nav).getByRole('link', { name: 'Users' }).focus();
      await user.keyboard('{Escape}');
      await waitFor(() => expect(document.activeElement).toBe(menuButton));
      expect(menuButton.getAttribute('aria-expanded')).toBe('false');

      // A menu link goes there and closes the drawer.
      await user.click(menuButton);
      await user.click(within(await screen.findByRole('navigation', { name: 'Main menu' })).getByRole('link', { name: 'Users' }));
      await waitFor(() => expect(location.pathname).toBe('/ZN1/users'));
      await waitFor(() => expect(within(banner).getByRole('button', { name: 'Menu' }).getAttribute('aria-expanded')).toBe('false'));
      await waitFor(() => expect(nav.closest('.ant-drawer-open')).toBeNull());
    } finally {
      restore();
    }
  });
});
