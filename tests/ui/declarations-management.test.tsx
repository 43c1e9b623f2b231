// UI test of Declaration Management (commissioner, issue 14) with doubles:
// a tab per status with its count; Approve only for the role of the tab's
// step (Approval Management on Awaiting commissioner approval, Finance
// Management on Awaiting finance approval, neither for Commissioning
// Management); Select All and the answer item by item with the database's
// reasons; filters by service, financial year and practice; a declaration's
// page with its figures, history and Approve.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import {
  callsOf,
  CHRIS,
  createDeclarationsDouble,
  declaration,
  DES,
  DES_NAME,
  JORDAN,
  MORGAN,
  orgId,
  renderDeclarations,
  resetDeclarations,
  VACC,
  VACC_NAME,
  type DeclarationsDouble,
} from './declarations-harness.tsx';

afterEach(resetDeclarations);

function northshireDouble(): DeclarationsDouble {
  return createDeclarationsDouble({
    declarations: [
      declaration('d-1001', 'ZP1001', 'awaiting_commissioner_approval', { declared_at: '2025-10-06T10:00:00Z', payment: 14058 }),
      declaration('d-1002', 'ZP1002', 'awaiting_commissioner_approval', { declared_at: '2025-10-07T10:00:00Z', payment: 7029.5, service_id: VACC }),
      declaration('d-1003', 'ZP1003', 'awaiting_finance_approval', { commissioner_approved_at: '2025-10-08T10:00:00Z', payment: 3000 }),
      declaration('d-1004', 'ZP1004', 'approved_for_payment', { finance_approved_at: '2025-10-09T10:00:00Z' }),
      declaration('d-1001-q4', 'ZP1001', 'awaiting_provider_declaration', { achievement_date: '2026-03-31' }),
      declaration('d-1003-old', 'ZP1003', 'awaiting_network_achievement', { achievement_date: '2025-03-31', service: { id: DES, name: 'Network Contract DES 2024/25', financial_year: '2024/25', no_declaration_required: false, no_approval_required: false } }),
    ],
  });
}

const practicesShown = () =>
  screen
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row).queryByRole('link')?.textContent)
    .filter(Boolean);

describe('Declaration Management (UI test with doubles)', { timeout: 30_000 }, () => {
  it('a tab per status with its count, in the job aid’s order; Approval Management starts on Awaiting commissioner approval with Approve', async () => {
    renderDeclarations(northshireDouble(), '/ZN1/declaration-management', JORDAN);
    expect(await screen.findByRole('heading', { level: 1, name: 'Declaration Management' })).toBeTruthy();
    await waitFor(() =>
      expect(screen.getAllByRole('tab').map((tab) => tab.textContent)).toEqual([
        'Awaiting commissioner approval (2)',
        'Awaiting finance approval (1)',
        'Approved for payment (1)',
        'Awaiting provider declaration (1)',
        'Awaiting network achievement (1)',
      ]),
    );
    expect(screen.getByRole('tab', { name: 'Awaiting commissioner approval (2)' }).getAttribute('aria-selected')).toBe('true');
    await waitFor(() => expect(practicesShown()).toEqual(['Riverside Medical Centre (ZP1001)', 'Bridge Street Surgery (ZP1002)']));
    expect(screen.getByTestId('payment-d-1002').textContent).toBe('£7,029.50');
    expect(screen.getByRole('button', { name: 'Approve' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Riverside Medical Centre (ZP1001)' }).getAttribute('href')).toBe('/ZN1/declaration-management/d-1001');
    // Jordan holds no finance step: the finance tab is read-only.
    fireEvent.click(screen.getByRole('tab', { name: 'Awaiting finance approval (1)' }));
    await waitFor(() => expect(practicesShown()).toEqual(['Mill Lane Practice (ZP1003)']));
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(screen.queryAllByRole('checkbox')).toHaveLength(0);
    expect(screen.getByText('Finance Management approves these declarations; your roles here read them.')).toBeTruthy();
  });

  it('Finance Management starts on Awaiting finance approval with Approve, and has none on the commissioner’s step', async () => {
    renderDeclarations(northshireDouble(), '/ZN1/declaration-management', MORGAN);
    await waitFor(() => expect(screen.getByRole('tab', { name: 'Awaiting finance approval (1)' }).getAttribute('aria-selected')).toBe('true'));
    await waitFor(() => expect(practicesShown()).toEqual(['Mill Lane Practice (ZP1003)']));
    expect(screen.getByRole('button', { name: 'Approve' })).toBeTruthy();
    fireEvent.click(screen.getByRole('tab', { name: 'Awaiting commissioner approval (2)' }));
    await waitFor(() => expect(practicesShown()).toHaveLength(2));
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(screen.getByText('Approval Management approves these declarations; your roles here read them.')).toBeTruthy();
  });

  it('Commissioning Management reads every tab and approves nothing', async () => {
    renderDeclarations(northshireDouble(), '/ZN1/declaration-management', CHRIS);
    await waitFor(() => expect(practicesShown()).toHaveLength(2));
    for (const name of ['Awaiting commissioner approval (2)', 'Awaiting finance approval (1)', 'Approved for payment (1)']) {
      fireEvent.click(screen.getByRole('tab', { name }));
      await waitFor(() => expect(screen.getByRole('tab', { name }).getAttribute('aria-selected')).toBe('true'));
      expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    }
    fireEvent.click(screen.getByRole('tab', { name: 'Awaiting network achievement (1)' }));
    expect((await screen.findByRole('link', { name: 'See why, and fix it' })).getAttribute('href')).toBe('/ZN1/awaiting-network');
  });

  it('Select All and Approve send the tab’s declarations to approve_declarations and show each answer, refusals with the database’s reason', async () => {
    const d = northshireDouble();
    d.answers.approve_declarations = (call) => ({
      data: (call.args.p_declaration_ids as string[]).map((id) =>
        id === 'd-1001'
          ? { declaration_id: id, ok: true, status: 'awaiting_finance_approval', message: 'Approved: awaits finance approval.' }
          : { declaration_id: id, ok: false, status: 'awaiting_provider_declaration', message: 'Bridge Street Surgery (ZP1002) was recalculated on 08/10/2025: it went back to the practice to declare again.' },
      ),
      error: null,
    });
    renderDeclarations(d, '/ZN1/declaration-management', JORDAN);
    const approve = await screen.findByRole('button', { name: 'Approve' });
    expect(approve.hasAttribute('disabled')).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Select All (2)' }));
    expect(screen.getByText('2 selected')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getAllByText('Approve 2 declarations?').length).toBeGreaterThan(0);
    const items = within(dialog).getByTestId('approve-confirm-items');
    expect(within(items).getByText(`Riverside Medical Centre (ZP1001) · ${DES_NAME} · 30/09/2025 · £14,058.00`)).toBeTruthy();
    expect(within(items).getByText(`Bridge Street Surgery (ZP1002) · ${VACC_NAME} · 30/09/2025 · £7,029.50`)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(callsOf(d, 'approve_declarations')).toHaveLength(1));
    expect([...(callsOf(d, 'approve_declarations')[0]!.args.p_declaration_ids as string[])].sort()).toEqual(['d-1001', 'd-1002']);
    expect(callsOf(d, 'finance_approve_declarations')).toHaveLength(0);
    expect(await screen.findByText('1 approved, 1 not approved')).toBeTruthy();
    expect(within(screen.getByTestId('result-d-1001')).getByText('Approved')).toBeTruthy();
    expect(within(screen.getByTestId('result-d-1001')).getByText(`Riverside Medical Centre (ZP1001) · ${DES_NAME} · 30/09/2025`)).toBeTruthy();
    expect(within(screen.getByTestId('result-d-1002')).getByText('Not approved')).toBeTruthy();
    expect(within(screen.getByTestId('result-d-1002')).getByText(/went back to the practice to declare again/)).toBeTruthy();
  });

  it('Finance Management’s Approve calls finance_approve_declarations with only the ticked declaration', async () => {
    const d = northshireDouble();
    d.answers.finance_approve_declarations = (call) => ({
      data: (call.args.p_declaration_ids as string[]).map((id) => ({ declaration_id: id, ok: true, status: 'approved_for_payment', message: 'Approved for payment.' })),
      error: null,
    });
    renderDeclarations(d, '/ZN1/declaration-management', MORGAN);
    fireEvent.click(await screen.findByRole('checkbox', { name: `Select Mill Lane Practice (ZP1003), ${DES_NAME}, 30/09/2025` }));
    fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getAllByText('Approve 1 declaration?').length).toBeGreaterThan(0);
    expect(within(dialog).getByText(/approved for payment; the practice is told/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(callsOf(d, 'finance_approve_declarations').map((call) => call.args)).toEqual([{ p_declaration_ids: ['d-1003'] }]));
    expect(await screen.findByText('1 approved, 0 not approved')).toBeTruthy();
    expect(within(screen.getByTestId('result-d-1003')).getByText('Approved for payment')).toBeTruthy();
  });

  it('filters by practice and service; the counts follow', async () => {
    renderDeclarations(northshireDouble(), '/ZN1/declaration-management', JORDAN);
    await waitFor(() => expect(practicesShown()).toHaveLength(2));
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Practice' }));
    fireEvent.click(await screen.findByTitle('Bridge Street Surgery (ZP1002)'));
    await waitFor(() => expect(practicesShown()).toEqual(['Bridge Street Surgery (ZP1002)']));
    expect(screen.getByRole('tab', { name: 'Awaiting commissioner approval (1)' })).toBeTruthy();
    expect(screen.getByRole('tab', { name: 'Awaiting finance approval (0)' })).toBeTruthy();
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Quality Service' }));
    fireEvent.click(await screen.findByTitle(DES_NAME));
    expect(await screen.findByText('No declarations match the filters.')).toBeTruthy();
  });

  it('the financial year filter keeps only that year’s services', async () => {
    renderDeclarations(northshireDouble(), '/ZN1/declaration-management?status=awaiting_network_achievement', CHRIS);
    await waitFor(() => expect(practicesShown()).toEqual(['Mill Lane Practice (ZP1003)']));
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Financial year' }));
    fireEvent.click(await screen.findByTitle('2025/26'));
    expect(await screen.findByRole('tab', { name: 'Awaiting network achievement (0)' })).toBeTruthy();
    expect(screen.getByRole('tab', { name: 'Awaiting commissioner approval (2)' })).toBeTruthy();
  });

  it('a declaration’s page shows its figures and history; Approve for the role of its step', async () => {
    const d = northshireDouble();
    d.answers.declaration_history = {
      data: [
        { occurred_at: '2025-10-05T09:00:00Z', achievement_date: '2025-09-30', action: 'declaration.create', actor: null, from_status: null, to_status: 'awaiting_provider_declaration', reason: null },
        { occurred_at: '2025-10-06T10:00:00Z', achievement_date: '2025-09-30', action: 'declaration.declare', actor: 'Ash Approver', from_status: 'awaiting_provider_declaration', to_status: 'awaiting_commissioner_approval', reason: null },
        { occurred_at: '2025-04-06T10:00:00Z', achievement_date: '2025-03-31', action: 'declaration.declare', actor: 'Ash Approver', from_status: 'awaiting_provider_declaration', to_status: 'awaiting_commissioner_approval', reason: null },
      ],
      error: null,
    };
    d.answers.approve_declarations = { data: [{ declaration_id: 'd-1001', ok: true, status: 'awaiting_finance_approval', message: 'Approved: awaits finance approval.' }], error: null };
    renderDeclarations(d, '/ZN1/declaration-management/d-1001', JORDAN);
    expect(await screen.findByRole('heading', { level: 1, name: `Riverside Medical Centre (ZP1001) · ${DES_NAME} · 30/09/2025` })).toBeTruthy();
    expect(screen.getByTestId('declaration-payment').textContent).toBe('£14,058.00');
    expect(screen.getByText('Awaiting commissioner approval')).toBeTruthy();
    // Declared (London time, BST), in the details and in the history.
    expect(screen.getAllByText('06/10/2025 11:00')).toHaveLength(2);
    const history = await screen.findByRole('table', { name: `Payment Declaration History of ${DES_NAME}` });
    // Only this date's entries.
    await waitFor(() => expect(within(history).getAllByRole('row')).toHaveLength(3));
    expect(callsOf(d, 'declaration_history')[0]!.args).toEqual({ p_provider_id: orgId('ZP1001'), p_service_id: DES });
    expect(within(history).getByText('Ash Approver')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(callsOf(d, 'approve_declarations').map((call) => call.args)).toEqual([{ p_declaration_ids: ['d-1001'] }]));
    expect(await screen.findByText('Approved: awaits finance approval.')).toBeTruthy();
  });

  it('a declaration’s page has no Approve for Finance Management while it waits for the commissioner; an unknown one says so', async () => {
    const { unmount } = renderDeclarations(northshireDouble(), '/ZN1/declaration-management/d-1001', MORGAN);
    expect(await screen.findByTestId('declaration-payment')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    unmount();
    renderDeclarations(northshireDouble(), '/ZN1/declaration-management/nope', MORGAN);
    expect(await screen.findByText('This declaration could not be found, or you do not reach it')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Back to Declaration Management' }).getAttribute('href')).toBe('/ZN1/declaration-management');
  });
});
