// UI tests of the user page: the disable dialog (reason list, "Other" needs a
// text of at most 250 characters with a live counter), role editing that
// blocks Approver Tier 1 + Approver Tier 2 with the rule shown, revoking with
// a confirmation, clusters, the audit timeline and "not found". The database
// cannot run in jsdom: an RPC double records what would be sent.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ALEX_ACCESS,
  ALEX_ID,
  assignCluster,
  auditEntry,
  CLUSTER_ID,
  createDouble,
  directoryRow,
  ORG,
  PAT,
  PAT_ID,
  renderUsers,
  resetRpc,
  SUPPORT_ACCESS,
  TAYLOR,
  TAYLOR_ID,
  TAYLOR_MEMBERSHIP,
} from './users-harness.tsx';

afterEach(() => {
  resetRpc();
});

function dialog(title: string | RegExp): HTMLElement {
  const found = screen
    .getAllByRole('dialog')
    .find((element) => within(element).queryAllByText(title).length > 0);
  if (!found) throw new Error(`no dialog titled ${String(title)}`);
  return found;
}

describe('user page', { timeout: 120_000 }, () => {
  it('disables an account: a reason is required, Other needs a text of at most 250 characters with a live counter', async () => {
    const user = userEvent.setup({ delay: null });
    const double = createDouble();
    renderUsers(double, `/ZN1/users/${TAYLOR_ID}`);

    await screen.findByRole('heading', { name: 'Taylor Tier-One' });
    await user.click(await screen.findByRole('button', { name: /Disable account/ }));
    const modal = await waitFor(() => dialog('Disable the account of Taylor Tier-One?'));
    expect(within(modal).getByText('Taylor Tier-One will not be able to sign in until the account is enabled again.')).toBeTruthy();

    // No reason chosen.
    await user.click(within(modal).getByRole('button', { name: 'Disable account' }));
    expect(await within(modal).findByText('Choose a reason.')).toBeTruthy();
    expect(double.rpcCalls).toHaveLength(0);

    // Other: the text is required …
    await user.click(within(modal).getByRole('radio', { name: 'Other (please specify)' }));
    const other = await within(modal).findByLabelText('Describe the reason');
    expect(other.getAttribute('maxlength')).toBe('250');
    await user.click(within(modal).getByRole('button', { name: 'Disable account' }));
    expect(await within(modal).findByText('Say why, in at most 250 characters.')).toBeTruthy();

    // … counted as it is typed …
    await user.type(other, 'Moved to NHS Westshire');
    expect(within(modal).getByText('22 / 250')).toBeTruthy();

    // … and at most 250 characters (a longer paste is refused before the database sees it).
    fireEvent.change(other, { target: { value: 'x'.repeat(251) } });
    await user.click(within(modal).getByRole('button', { name: 'Disable account' }));
    expect(await within(modal).findByText('Use at most 250 characters.')).toBeTruthy();
    expect(double.rpcCalls).toHaveLength(0);

    fireEvent.change(other, { target: { value: 'x'.repeat(250) } });
    expect(within(modal).getByText('250 / 250')).toBeTruthy();
    await user.clear(other);
    await user.type(other, '  Moved to NHS Westshire  ');
    await user.click(within(modal).getByRole('button', { name: 'Disable account' }));

    await waitFor(() =>
      expect(double.rpcCalls).toEqual([
        { name: 'disable_account', args: { p_profile_id: TAYLOR_ID, p_reason: 'other', p_reason_text: 'Moved to NHS Westshire' } },
      ]),
    );
    expect((await screen.findAllByText('The account of Taylor Tier-One is disabled')).length).toBeGreaterThan(0);
  });

  it('disables with a reason from the list (no free text) and shows the reason of a disabled account', async () => {
    const user = userEvent.setup({ delay: null });
    const double = createDouble();
    double.rpc = ({ name }) => {
      if (name === 'disable_account') {
        // A copy: the shared TAYLOR row stays active for the other tests.
        double.tables.user_directory = double.tables.user_directory!.map((r) =>
          r.id === TAYLOR_ID ? { ...r, status: 'disabled', disabled_reason: 'left_organisation' } : r,
        );
      }
      return { data: null, error: null, status: 200 };
    };
    renderUsers(double, `/ZN1/users/${TAYLOR_ID}`);

    await user.click(await screen.findByRole('button', { name: /Disable account/ }));
    const modal = await waitFor(() => dialog('Disable the account of Taylor Tier-One?'));
    await user.click(within(modal).getByRole('radio', { name: 'Left the organisation' }));
    expect(within(modal).queryByLabelText('Describe the reason')).toBeNull();
    await user.click(within(modal).getByRole('button', { name: 'Disable account' }));

    await waitFor(() =>
      expect(double.rpcCalls).toEqual([
        { name: 'disable_account', args: { p_profile_id: TAYLOR_ID, p_reason: 'left_organisation', p_reason_text: null } },
      ]),
    );
    // The page is refreshed: the account is disabled, with its reason, and can be enabled again.
    const account = (await screen.findByText('Disabled because')).closest('.ant-card') as HTMLElement;
    expect(within(account).getByText('Left the organisation')).toBeTruthy();
    expect(await screen.findByRole('button', { name: /Enable account/ })).toBeTruthy();
  });

  it('blocks Approver Tier 1 together with Approver Tier 2 in role editing, with the rule shown', async () => {
    const user = userEvent.setup({ delay: null });
    const double = createDouble();
    renderUsers(double, `/ZN1/users/${TAYLOR_ID}`);

    await user.click(await screen.findByRole('button', { name: 'Edit roles at NHS Northshire ICB' }));
    const modal = await waitFor(() => dialog('Edit the roles of Taylor Tier-One'));
    // The rule is shown before anything is ticked.
    expect(within(modal).getByText('Segregation of duties')).toBeTruthy();
    expect(within(modal).getByText('Approver Tier 1 and Approver Tier 2 cannot be held together at one organisation.')).toBeTruthy();
    const tier1 = within(modal).getByRole('checkbox', { name: 'Approver Tier 1' }) as HTMLInputElement;
    const tier2 = within(modal).getByRole('checkbox', { name: 'Approver Tier 2' }) as HTMLInputElement;
    expect(tier1.checked).toBe(true);
    // Only commissioner roles at a commissioner.
    expect(within(modal).queryByRole('checkbox', { name: 'Claim Submitter' })).toBeNull();
    const save = within(modal).getByRole('button', { name: 'Save roles' });
    expect(save.hasAttribute('disabled')).toBe(true); // nothing changed yet

    await user.click(tier2);
    expect(within(modal).getByRole('alert').textContent).toContain('Untick one of them');
    expect(save.hasAttribute('disabled')).toBe(true);
    await user.click(save);
    expect(double.rpcCalls).toHaveLength(0);

    await user.click(tier1);
    expect(within(modal).queryByRole('alert')).toBeNull();
    expect(save.hasAttribute('disabled')).toBe(false);
    await user.click(save);
    await waitFor(() =>
      expect(double.rpcCalls).toEqual([{ name: 'assign_roles', args: { p_membership_id: TAYLOR_MEMBERSHIP, p_roles: ['approver_tier_2'] } }]),
    );
  });

  it('shows the database’s refusal of a role change and keeps the dialog open', async () => {
    const user = userEvent.setup({ delay: null });
    const double = createDouble();
    double.rpc = () => ({
      data: null,
      error: { code: '42501', message: 'You may not grant Organisation Administrator at NHS Northshire ICB (ZN1).', hint: 'Commissioner administrator roles are granted by the Support Desk or an Advanced User Administrator.' },
      status: 403,
    });
    renderUsers(double, `/ZN1/users/${TAYLOR_ID}`);

    await user.click(await screen.findByRole('button', { name: 'Edit roles at NHS Northshire ICB' }));
    const modal = await waitFor(() => dialog('Edit the roles of Taylor Tier-One'));
    await user.click(within(modal).getByRole('checkbox', { name: 'Organisation Administrator' }));
    await user.click(within(modal).getByRole('button', { name: 'Save roles' }));

    expect((await screen.findAllByText(/You may not grant Organisation Administrator/)).length).toBeGreaterThan(0);
    expect(screen.getAllByText('Not allowed').length).toBeGreaterThan(0);
    expect(dialog('Edit the roles of Taylor Tier-One')).toBeTruthy();
  });

  it('revokes a membership after confirmation, with an optional reason', async () => {
    const user = userEvent.setup({ delay: null });
    const double = createDouble();
    renderUsers(double, `/ZN1/users/${TAYLOR_ID}`);

    await user.click(await screen.findByRole('button', { name: 'Revoke access to NHS Northshire ICB' }));
    const modal = await waitFor(() => dialog('Revoke access to NHS Northshire ICB (ZN1)?'));
    await user.click(within(modal).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByText('Revoke access to NHS Northshire ICB (ZN1)?')).toBeNull());
    expect(double.rpcCalls).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: 'Revoke access to NHS Northshire ICB' }));
    const again = await waitFor(() => dialog('Revoke access to NHS Northshire ICB (ZN1)?'));
    await user.type(within(again).getByLabelText('Reason (optional)'), 'Moved team');
    await user.click(within(again).getByRole('button', { name: 'Revoke access' }));
    await waitFor(() =>
      expect(double.rpcCalls).toEqual([{ name: 'revoke_membership', args: { p_membership_id: TAYLOR_MEMBERSHIP, p_reason: 'Moved team' } }]),
    );
  });

  it('lists assigned clusters, assigns another and unassigns one after confirmation', async () => {
    const user = userEvent.setup({ delay: null });
    const double = createDouble();
    assignCluster(double, { membership_id: TAYLOR_MEMBERSHIP, cluster_id: CLUSTER_ID, assigned_at: '2025-07-01T10:00:00Z' });
    renderUsers(double, `/ZN1/users/${TAYLOR_ID}`);

    expect(await screen.findByText(/CL-ZN1-001 · Riverside practices/)).toBeTruthy();

    await user.click(screen.getByRole('button', { name: /Assign cluster/ }));
    const modal = await waitFor(() => dialog('Assign a cluster of NHS Northshire ICB'));
    await user.click(within(modal).getByRole('button', { name: 'Assign cluster' }));
    expect(await within(modal).findByText('Choose a cluster.')).toBeTruthy();
    await user.click(within(modal).getByRole('combobox'));
    // Only clusters not assigned yet are offered.
    const option = await screen.findByTitle('CL-ZN1-002 · Hill Top only');
    expect(screen.queryByTitle('CL-ZN1-001 · Riverside practices')).toBeNull();
    await user.click(option);
    await user.click(within(modal).getByRole('button', { name: 'Assign cluster' }));
    await waitFor(() =>
      expect(double.rpcCalls).toEqual([
        { name: 'assign_cluster', args: { p_cluster_id: '30000000-0000-4000-8000-000000000002', p_membership_id: TAYLOR_MEMBERSHIP } },
      ]),
    );

    await user.click(screen.getByRole('button', { name: 'Unassign cluster CL-ZN1-001' }));
    const confirm = await waitFor(() => dialog('Unassign cluster CL-ZN1-001?'));
    expect(within(confirm).getByText(/without it their access widens to all of NHS Northshire ICB/)).toBeTruthy();
    await user.click(within(confirm).getByRole('button', { name: 'Unassign' }));
    await waitFor(() =>
      expect(double.rpcCalls.at(-1)).toEqual({ name: 'unassign_cluster', args: { p_cluster_id: CLUSTER_ID, p_membership_id: TAYLOR_MEMBERSHIP } }),
    );
  });

  it('offers the Support Desk no Assign or Unassign of clusters (only User Administrators may)', async () => {
    const double = createDouble();
    assignCluster(double, { membership_id: TAYLOR_MEMBERSHIP, cluster_id: CLUSTER_ID, assigned_at: '2025-07-01T10:00:00Z' });
    renderUsers(double, `/support/users/${TAYLOR_ID}`, { access: SUPPORT_ACCESS });
    expect(await screen.findByText(/CL-ZN1-001 · Riverside practices/)).toBeTruthy();
    // The Support Desk still manages the memberships …
    expect(await screen.findByText('Edit roles', {}, { timeout: 20_000 })).toBeTruthy();
    // … but not the clusters.
    expect(screen.queryByText(/Assign cluster/)).toBeNull();
    expect(screen.queryByLabelText(/Unassign cluster/)).toBeNull();
  });

  it('shows the audit timeline newest first, in words, with UK dates, actors and reasons', async () => {
    const double = createDouble({
      audit_log: [
        auditEntry({ id: 1, action: 'membership.invite', occurred_at: '2025-01-15T09:00:00Z' }),
        // 23:30 UTC on 30 June is 00:30 BST on 1 July in London.
        auditEntry({ id: 2, action: 'membership.assign_roles', occurred_at: '2025-06-30T23:30:00Z', after: { roles: ['approver_tier_1', 'finance'] } }),
        auditEntry({ id: 3, action: 'membership.revoke', occurred_at: '2025-08-01T08:00:00Z', reason: 'Moved team', actor_id: '99999999-0000-4000-8000-000000000000' }),
        auditEntry({ id: 4, action: 'account.disable', occurred_at: '2025-09-01T08:00:00Z', reason: 'left_organisation', organisation_id: null }),
        auditEntry({ id: 5, action: 'membership.revoke', occurred_at: '2025-09-02T08:00:00Z', subject_profile_id: ALEX_ID }),
      ],
    });
    renderUsers(double, `/ZN1/users/${TAYLOR_ID}`);

    const history = (await screen.findByText('History')).closest('.ant-card') as HTMLElement;
    await within(history).findByText('Account disabled');
    const items = within(history).getAllByRole('listitem').map((item) => item.textContent ?? '');
    expect(items).toHaveLength(4); // not the entry about somebody else
    expect(items[0]).toContain('01/09/2025 09:00');
    expect(items[0]).toContain('Account disabled');
    expect(items[0]).toContain('By Alex Admin');
    expect(items[0]).toContain('Reason: Left the organisation');
    expect(items[1]).toContain('Access revoked – NHS Northshire ICB (ZN1)');
    expect(items[1]).toContain('By an administrator outside your organisations');
    expect(items[1]).toContain('Reason: Moved team');
    expect(items[2]).toContain('01/07/2025 00:30');
    expect(items[2]).toContain('Roles changed – NHS Northshire ICB (ZN1)');
    expect(items[2]).toContain('New roles: Approver Tier 1, Finance');
    expect(items[3]).toContain('15/01/2025 09:00');
    expect(items[3]).toContain('Invited – NHS Northshire ICB (ZN1)');
  });

  it('offers no changes on your own account (the database refuses them)', async () => {
    const double = createDouble();
    renderUsers(double, `/ZN1/users/${ALEX_ID}`);
    expect(await screen.findByText('This is your own account')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Disable account/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Edit roles/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Revoke/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Assign cluster/ })).toBeNull();
  });

  it('says "not found" for a person the caller cannot see', async () => {
    const double = createDouble();
    renderUsers(double, '/ZN1/users/10000000-0000-4000-8000-00000000dead');
    expect(await screen.findByText('User not found')).toBeTruthy();
    expect(screen.getByRole('button', { name: /All users/ })).toBeTruthy();
  });

  it('shows the account and its memberships', async () => {
    const double = createDouble();
    renderUsers(double, `/ZN1/users/${TAYLOR_ID}`);
    await screen.findByRole('heading', { name: 'Taylor Tier-One' });
    expect(screen.getByText(TAYLOR.email!)).toBeTruthy();
    expect(screen.getByText('15/01/2025')).toBeTruthy();
    const memberships = (screen.getByText('Organisations and roles').closest('.ant-card') as HTMLElement);
    expect(within(memberships).getByText('NHS Northshire ICB')).toBeTruthy();
    expect(within(memberships).getByText('ZN1 · ICB')).toBeTruthy();
    expect(within(memberships).getByText('Approver Tier 1')).toBeTruthy();
    expect(within(memberships).getByText('Not restricted: all of the organisation')).toBeTruthy();
  });

  it('"Add organisation": a practice person made a PCN nominated person (PCN + Declaration Management), the rule shown first', async () => {
    const user = userEvent.setup({ delay: null });
    const pcn = { id: '00000000-0000-4000-8000-0000000000a5', ods_code: 'ZU101', name: 'Riverside PCN', type: 'pcn', parent_id: null };
    const double = createDouble({ my_organisations: [...Object.values(ORG), pcn] });
    renderUsers(double, `/ZN1/users/${PAT_ID}`);

    await user.click(await screen.findByRole('button', { name: /Add organisation/ }));
    const modal = await waitFor(() => dialog('Add an organisation for Pat Practice'));
    expect(within(modal).getByText('Approver Tier 1 and Approver Tier 2 cannot be held together at one organisation.')).toBeTruthy();
    // Nothing chosen: the form says so and sends nothing.
    await user.click(within(modal).getByRole('button', { name: 'Add organisation' }));
    expect(await within(modal).findByText('Choose the organisation.')).toBeTruthy();
    expect(double.rpcCalls).toHaveLength(0);

    // An organisation Pat already has: what to do instead, and no Add.
    await user.type(within(modal).getByRole('combobox', { name: 'Organisation' }), 'ZP1001');
    await user.click(await screen.findByText('ZP1001 – Riverside Medical Centre'));
    expect(await within(modal).findByText('Pat Practice already has access to Riverside Medical Centre: use Edit roles there instead.')).toBeTruthy();
    expect(within(modal).getByRole('button', { name: 'Add organisation' }).hasAttribute('disabled')).toBe(true);

    // The PCN: provider roles only, with a word on nominated persons.
    await user.type(within(modal).getByRole('combobox', { name: 'Organisation' }), 'ZU101');
    await user.click(await screen.findByText('ZU101 – Riverside PCN'));
    expect(await within(modal).findByText(/A PCN nominated person declares achievement for the PCN/)).toBeTruthy();
    expect(within(modal).queryByRole('checkbox', { name: 'Approver Tier 1' })).toBeNull();
    await user.click(within(modal).getByRole('button', { name: 'Add organisation' }));
    expect(await within(modal).findByText('Choose at least one role.')).toBeTruthy();
    await user.click(within(modal).getByRole('checkbox', { name: 'Declaration Management' }));
    await user.click(within(modal).getByRole('button', { name: 'Add organisation' }));
    await waitFor(() =>
      expect(double.rpcCalls).toEqual([
        { name: 'add_membership', args: { p_profile_id: PAT_ID, p_organisation_id: pcn.id, p_roles: ['declaration_management'] } },
      ]),
    );
    expect((await screen.findAllByText('Riverside PCN added for Pat Practice')).length).toBeGreaterThan(0);
  });

  it('shows the database’s refusal of Add organisation and keeps the dialog open', async () => {
    const user = userEvent.setup({ delay: null });
    const double = createDouble();
    double.rpc = () => ({
      data: null,
      error: { code: 'PT409', message: 'The access of Taylor Tier-One to Northshire East (ZN1E) was revoked.', hint: 'Use "Enable" on that membership instead, then change its roles if needed.' },
      status: 409,
    });
    renderUsers(double, `/ZN1/users/${TAYLOR_ID}`);
    await user.click(await screen.findByRole('button', { name: /Add organisation/ }));
    const modal = await waitFor(() => dialog('Add an organisation for Taylor Tier-One'));
    await user.type(within(modal).getByRole('combobox', { name: 'Organisation' }), 'ZN1E');
    await user.click(await screen.findByText('ZN1E – Northshire East'));
    await user.click(await within(modal).findByRole('checkbox', { name: 'Finance' }));
    await user.click(within(modal).getByRole('button', { name: 'Add organisation' }));
    expect((await screen.findAllByText(/was revoked/)).length).toBeGreaterThan(0);
    expect(dialog('Add an organisation for Taylor Tier-One')).toBeTruthy();
  });

  it('a disabled account: its memberships say "Account disabled" and offer no Edit roles, Revoke or Add organisation', async () => {
    const double = createDouble({
      user_directory: [directoryRow({ ...PAT, status: 'disabled', disabled_reason: 'left_organisation' })] as never,
    });
    renderUsers(double, `/ZN1/users/${PAT_ID}`);
    await screen.findByRole('heading', { name: 'Pat Practice' });
    const memberships = screen.getByText('Organisations and roles').closest('.ant-card') as HTMLElement;
    expect(await within(memberships).findByText('Account disabled')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Edit roles/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Revoke/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Add organisation/ })).toBeNull();
    expect(screen.getByRole('button', { name: /Enable account/ })).toBeTruthy();
  });

  it('offers no "Add organisation" to a Provider Approver (only those who may invite give access)', async () => {
    const double = createDouble();
    const approver = {
      ...ALEX_ACCESS,
      profile_id: 'approver',
      memberships: [
        {
          ...ALEX_ACCESS.memberships[0]!,
          membership_id: 'm-approver',
          organisation_id: ORG.ZP1001.id,
          ods_code: 'ZP1001',
          name: 'Riverside Medical Centre',
          type: 'practice' as const,
          side: 'provider' as const,
          roles: ['provider_approver' as const],
          approval_mode: 'two_step' as const,
        },
      ],
    };
    renderUsers(double, `/ZP1001/users/${PAT_ID}`, { access: approver });
    await screen.findByRole('heading', { name: 'Pat Practice' });
    expect(await screen.findByRole('button', { name: 'Edit roles at Riverside Medical Centre' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Add organisation/ })).toBeNull();
  });
});
