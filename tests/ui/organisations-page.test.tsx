// UI test of one organisation's page: read from my_organisations (not found
// outside the reach), a practice's PCN history, its people, and PCN
// relationship management for commissioner administrators only (end date
// validation, confirmation, the RPCs sent, the database's refusals shown).
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createDouble,
  ICB_ADMIN,
  organisation,
  orgId,
  renderPages,
  resetTransports,
  TIER_ONE,
  type Double,
} from './organisations-test-harness.tsx';

afterEach(resetTransports);

/** Replace a DatePicker's text as a person does: into the field, select what is there, type over it, Enter. */
async function retypeDate(user: ReturnType<typeof userEvent.setup>, input: HTMLElement, text: string) {
  const length = (input as HTMLInputElement).value.length;
  await user.click(input);
  await user.type(input, `${text}{Enter}`, { initialSelectionStart: 0, initialSelectionEnd: length });
}

/**
 * The confirmation dialog, found by its title. (Not by role and name: antd's
 * dialogs all point aria-labelledby at id "test-id" under test, so every open
 * dialog is named after the first one's title.)
 */
async function findConfirmation(title: string): Promise<HTMLElement> {
  const headings = await screen.findAllByText(title);
  // The newest one: a closed confirmation may linger in the DOM while it fades out.
  const dialog = headings.at(-1)?.closest<HTMLElement>('[role="dialog"]');
  if (!dialog) throw new Error(`"${title}" is not in a dialog`);
  return dialog;
}

const label = (ods: string) => ({ id: orgId(ods), ods_code: ods, name: organisation(ods).name });

/** Mill Lane Practice: Hillside PCN to 31/03/2024, then Riverside PCN (demo data). */
function millLaneDouble(): Double {
  return createDouble({
    pcn_memberships: [
      { id: 'pm-old', practice_id: orgId('ZP1003'), pcn_id: orgId('ZU102'), valid_from: '2020-07-01', valid_to: '2024-03-31', pcn: label('ZU102') },
      { id: 'pm-now', practice_id: orgId('ZP1003'), pcn_id: orgId('ZU101'), valid_from: '2024-04-01', valid_to: null, pcn: label('ZU101') },
    ],
    memberships: [
      {
        id: 'm-reception',
        organisation_id: orgId('ZP1003'),
        profile_id: 'profile-reception',
        roles: ['claim_submitter'],
        status: 'requested',
        profile: { id: 'profile-reception', full_name: 'Reception Team', email: 'reception@milllane.example' },
      },
      {
        id: 'm-hidden',
        organisation_id: orgId('ZP1003'),
        profile_id: 'profile-hidden',
        roles: ['view'],
        status: 'active',
        profile: null,
      },
    ],
  });
}

const MILL_LANE = `/ZN1/organisations/${orgId('ZP1003')}`;

function historyRows(): string[][] {
  const section = screen.getByRole('heading', { name: 'PCN history' }).closest('.ant-card') as HTMLElement;
  return within(section)
    .getAllByRole('row')
    .filter((row) => row.closest('tbody') && !row.classList.contains('ant-table-measure-row'))
    .map((row) => within(row).getAllByRole('cell').map((cell) => cell.textContent ?? ''));
}

describe('organisation page (UI test with doubles)', { timeout: 30_000 }, () => {
  it('shows a practice with its parent, PCN history and people', async () => {
    const double = millLaneDouble();
    renderPages(double, MILL_LANE, ICB_ADMIN);

    expect(await screen.findByRole('heading', { name: 'Mill Lane Practice (ZP1003)' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Northshire East (ZN1E)' }).getAttribute('href')).toBe(`/ZN1/organisations/${orgId('ZN1E')}`);
    await waitFor(() => expect(screen.getByText('since 01/04/2024')).toBeTruthy());
    expect(historyRows()).toEqual([
      ['ZU101Riverside PCN', '01/04/2024', 'Current', 'End relationship'],
      ['ZU102Hillside PCN', '01/07/2020', '31/03/2024', ''],
    ]);
    // A practice has nothing below it: no empty "Organisations below" section.
    expect(screen.queryByRole('heading', { name: 'Organisations below' })).toBeNull();

    // People: a User Administrator's context links to the user page; a hidden profile says so.
    const people = screen.getByRole('heading', { name: 'People' }).closest('.ant-card') as HTMLElement;
    const reception = await within(people).findByRole('link', { name: 'Reception Team' });
    expect(reception.getAttribute('href')).toBe('/ZN1/users/profile-reception');
    expect(within(people).getByText('Claim Submitter')).toBeTruthy();
    expect(within(people).getByText('Not visible to you')).toBeTruthy();

    // Everything came from my_organisations, never from the public directory.
    expect(double.listCalls.some((call) => call.resource === 'organisations')).toBe(false);
  });

  it('is "not found" for an organisation outside the reach, although the directory has it', async () => {
    const double = millLaneDouble();
    renderPages(double, `/ZN1/organisations/${orgId('ZP2001')}`, ICB_ADMIN);
    expect(await screen.findByText('Organisation not found')).toBeTruthy();
    expect(screen.queryByText('Harbour Medical Practice')).toBeNull();
    expect(screen.getByRole('link', { name: 'Back to organisations' }).getAttribute('href')).toBe('/ZN1/organisations');
  });

  it('offers no PCN changes and no user links to an Approver Tier 1', async () => {
    const double = millLaneDouble();
    renderPages(double, MILL_LANE, TIER_ONE);
    await screen.findByRole('heading', { name: 'Mill Lane Practice (ZP1003)' });
    await waitFor(() => expect(historyRows()).toHaveLength(2));
    expect(screen.queryByRole('button', { name: 'Add to PCN' })).toBeNull();
    expect(screen.queryByRole('button', { name: /End relationship/ })).toBeNull();
    expect(screen.getByText('Reception Team').closest('a')).toBeNull();
  });

  it('ends a relationship: the end date may not precede the start, and a confirmation comes first', async () => {
    const double = millLaneDouble();
    renderPages(double, MILL_LANE, ICB_ADMIN);
    const user = userEvent.setup();
    fireEvent.click(await screen.findByRole('button', { name: 'End relationship with Riverside PCN' }));
    const dialog = await screen.findByRole('dialog', { name: 'End relationship with Riverside PCN' });
    expect(within(dialog).getByText('Mill Lane Practice has belonged to Riverside PCN since 01/04/2024.')).toBeTruthy();

    const endDate = within(dialog).getByLabelText('End date');
    await user.click(endDate);
    await user.type(endDate, '31/03/2024{Enter}');
    expect(await within(dialog).findByText('The end date cannot be before the start date (01/04/2024)')).toBeTruthy();
    expect(double.rpcCalls).toEqual([]);

    await retypeDate(user, endDate, '30/06/2025');
    const confirm = await findConfirmation('End this PCN relationship?');
    expect(within(confirm).getByText('Mill Lane Practice will leave Riverside PCN after 30/06/2025. The relationship stays in the history.')).toBeTruthy();
    // Cancel first: nothing is sent.
    fireEvent.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(double.rpcCalls).toEqual([]);

    const before = screen.getAllByText('End this PCN relationship?').length;
    fireEvent.click(within(dialog).getByRole('button', { name: 'End relationship' }));
    await waitFor(() => expect(screen.getAllByText('End this PCN relationship?').length).toBeGreaterThan(before));
    const again = await findConfirmation('End this PCN relationship?');
    fireEvent.click(within(again).getByRole('button', { name: 'End relationship' }));
    await waitFor(() =>
      expect(double.rpcCalls).toEqual([{ name: 'end_pcn_membership', args: { p_pcn_membership_id: 'pm-now', p_valid_to: '2025-06-30' } }]),
    );
  });

  it('adds a practice without a current PCN to a PCN and shows the database’s refusal as it is', async () => {
    const double = millLaneDouble();
    // Mill Lane left Riverside PCN: no current relationship, so "Add to PCN" (not "Move") is offered.
    double.tables.pcn_memberships![1]!.valid_to = '2025-05-31';
    double.rpc = () => ({
      data: null,
      error: {
        code: 'PT409',
        message: 'Mill Lane Practice (ZP1003) belongs to Riverside PCN (ZU101) on 01/06/2025.',
        hint: 'End the current relationship first (end_pcn_membership), then add the new one from the next day.',
      },
      status: 409,
    });
    renderPages(double, MILL_LANE, ICB_ADMIN);
    const user = userEvent.setup();
    fireEvent.click(await screen.findByRole('button', { name: 'Add to PCN' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add Mill Lane Practice to a PCN' });

    // Nothing chosen yet: the form says what is missing.
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add to PCN' }));
    expect(await within(dialog).findByText('Choose the PCN')).toBeTruthy();
    expect(within(dialog).getByText('Enter the start date')).toBeTruthy();

    // The PCNs offered are the reachable ones.
    await user.click(within(dialog).getByRole('combobox', { name: 'PCN' }));
    await user.click(await screen.findByText('Hillside PCN (ZU102)'));
    expect(screen.queryByText('Harbour PCN (ZU201)')).toBeNull();
    const start = within(dialog).getByLabelText('Start date');
    await user.click(start);
    await user.type(start, '01/06/2025{Enter}');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add to PCN' }));

    expect(await within(dialog).findByText('Mill Lane Practice (ZP1003) belongs to Riverside PCN (ZU101) on 01/06/2025.')).toBeTruthy();
    expect(within(dialog).getByText(/End the current relationship first/)).toBeTruthy();
    expect(double.rpcCalls).toEqual([
      { name: 'add_pcn_membership', args: { p_practice_id: orgId('ZP1003'), p_pcn_id: orgId('ZU102'), p_valid_from: '2025-06-01' } },
    ]);
  });

  it('"Move to another PCN" in one action: offered instead of "Add to PCN" while the practice has a current PCN; checks the date; confirms first', async () => {
    const double = millLaneDouble();
    renderPages(double, MILL_LANE, ICB_ADMIN);
    const user = userEvent.setup();
    fireEvent.click(await screen.findByRole('button', { name: 'Move to another PCN' }));
    expect(screen.queryByRole('button', { name: 'Add to PCN' })).toBeNull();
    const dialog = await screen.findByRole('dialog', { name: 'Move Mill Lane Practice to another PCN' });
    expect(
      within(dialog).getByText('Mill Lane Practice has belonged to Riverside PCN since 01/04/2024. That relationship ends the day before the move date.'),
    ).toBeTruthy();

    fireEvent.click(within(dialog).getByRole('button', { name: 'Move to another PCN' }));
    expect(await within(dialog).findByText('Choose the PCN')).toBeTruthy();
    expect(within(dialog).getByText('Enter the move date')).toBeTruthy();

    // The current PCN is not offered; other reachable PCNs are.
    await user.click(within(dialog).getByRole('combobox', { name: 'New PCN' }));
    const hillside = await screen.findByText('Hillside PCN (ZU102)');
    const dropdown = hillside.closest('.ant-select-dropdown') as HTMLElement;
    expect(dropdown.textContent).toContain('Westfield PCN (ZU103)');
    expect(dropdown.textContent).not.toContain('Riverside PCN');
    expect(dropdown.textContent).not.toContain('Harbour PCN');
    await user.click(hillside);

    // A move on the current start date is refused before anything is sent.
    const date = within(dialog).getByLabelText('Move date');
    await user.click(date);
    await user.type(date, '01/04/2024{Enter}');
    expect(
      await within(dialog).findByText('The move date must be after 01/04/2024, when the current relationship started: 02/04/2024 or later'),
    ).toBeTruthy();
    expect(double.rpcCalls).toEqual([]);

    await retypeDate(user, date, '01/06/2025');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Move to another PCN' }));
    const confirm = await findConfirmation('Move Mill Lane Practice to Hillside PCN?');
    expect(
      within(confirm).getByText(
        'Mill Lane Practice will leave Riverside PCN after 31/05/2025 and belong to Hillside PCN from 01/06/2025. Both relationships stay in the history.',
      ),
    ).toBeTruthy();
    fireEvent.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(double.rpcCalls).toEqual([]);

    // The database refuses: its message and hint are shown in the dialog.
    double.rpc = () => ({
      data: null,
      error: { code: '42501', message: 'You may not move Mill Lane Practice (ZP1003) from Riverside PCN (ZU101) to Hillside PCN (ZU102).', hint: 'Ask an administrator.' },
      status: 403,
    });
    const before = screen.getAllByText('Move Mill Lane Practice to Hillside PCN?').length;
    fireEvent.click(within(dialog).getByRole('button', { name: 'Move to another PCN' }));
    await waitFor(() => expect(screen.getAllByText('Move Mill Lane Practice to Hillside PCN?').length).toBeGreaterThan(before));
    const again = await findConfirmation('Move Mill Lane Practice to Hillside PCN?');
    fireEvent.click(within(again).getByRole('button', { name: 'Move to another PCN' }));
    expect(await within(dialog).findByText(/You may not move Mill Lane Practice/)).toBeTruthy();
    expect(double.rpcCalls).toEqual([
      { name: 'move_pcn_membership', args: { p_practice_id: orgId('ZP1003'), p_new_pcn_id: orgId('ZU102'), p_valid_from: '2025-06-01' } },
    ]);
  });
});
