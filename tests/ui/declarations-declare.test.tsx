// UI test of Declare (provider, issue 14) with doubles: the practice's
// declarations, those awaiting its declaration selectable (Select All) for
// Declaration Management only; Declare Achievement confirms services, dates
// and payments, sends exactly the chosen ids to declare_achievements and shows
// the database's answer item by item (declared / not declared with its
// reason); the other declarations grouped by status; the Payment Declaration
// History panel per service; the Achievement Summary Report in XLSX and CSV;
// a PCN's context and the error state.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ASH,
  callsOf,
  createDeclarationsDouble,
  declaration,
  DES,
  DES_NAME,
  LEE,
  orgId,
  PAT,
  renderDeclarations,
  resetDeclarations,
  VACC,
  VACC_NAME,
  type DeclarationsDouble,
} from './declarations-harness.tsx';

let saved: string[];
let lastBlob: Blob | undefined;

beforeEach(() => {
  saved = [];
  URL.createObjectURL = vi.fn((blob: Blob) => {
    lastBlob = blob;
    return 'blob:summary-report';
  });
  URL.revokeObjectURL = vi.fn();
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    if (this.href === 'blob:summary-report' && lastBlob) saved.push(this.download);
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  resetDeclarations();
});

/** Riverside's declarations: two awaiting its declaration (one with a recalculation pending), others in later states, and Bridge Street's (not Ash's). */
function riversideDouble(): DeclarationsDouble {
  return createDeclarationsDouble({
    declarations: [
      declaration('d-des-q2', 'ZP1001', 'awaiting_provider_declaration', { payment: 14058, points: 71 }),
      declaration('d-vacc-q2', 'ZP1001', 'awaiting_provider_declaration', {
        service_id: VACC,
        payment: 1006,
        points: 0,
        achievement: { recalculation_requested_at: '2025-10-06T08:00:00Z', calculated_at: '2025-10-05T09:00:00Z' },
      }),
      declaration('d-des-q4', 'ZP1001', 'awaiting_network_achievement', { achievement_date: '2026-03-31', payment: 0, points: 0 }),
      declaration('d-des-q0', 'ZP1001', 'approved_for_payment', {
        achievement_date: '2025-03-31',
        payment: 9900.5,
        finance_approved_at: '2025-05-02T10:00:00Z',
      }),
      declaration('d-bridge', 'ZP1002', 'awaiting_provider_declaration'),
    ],
  });
}

const awaitingTable = () => screen.getByRole('table', { name: /^Awaiting your declaration/ });

describe('Declare (UI test with doubles)', { timeout: 30_000 }, () => {
  it('lists the practice’s declarations: awaiting its declaration first, the others grouped by status, with UK dates and money', async () => {
    const d = riversideDouble();
    renderDeclarations(d, '/ZP1001/declare', ASH);
    expect(await screen.findByRole('heading', { level: 1, name: 'Declare' })).toBeTruthy();
    expect(await screen.findByRole('heading', { name: 'Awaiting your declaration (2)' })).toBeTruthy();
    // Only the practice's own declarations were asked for.
    expect(d.listCalls.find((call) => call.resource === 'declarations')!.filters).toEqual([{ field: 'provider_id', operator: 'eq', value: orgId('ZP1001') }]);
    const awaiting = awaitingTable();
    await waitFor(() => expect(within(awaiting).getByText(DES_NAME)).toBeTruthy());
    expect(within(awaiting).getByText(VACC_NAME)).toBeTruthy();
    expect(within(awaiting).getAllByText('30/09/2025').length).toBe(2);
    expect(screen.getByTestId('payment-d-des-q2').textContent).toBe('£14,058.00');
    expect(screen.getByTestId('payment-d-vacc-q2').textContent).toBe('£1,006.00');
    // The pending recalculation and the configuration are said beside the figures.
    expect(within(awaiting).getByText('Recalculation pending (requested 06/10/2025): declare once it has run.')).toBeTruthy();
    expect(within(awaiting).getByText('No Approval Required')).toBeTruthy();
    // The others, grouped under their status.
    const network = screen.getByRole('table', { name: /Awaiting network achievement/ });
    expect(within(network).getByText('31/03/2026')).toBeTruthy();
    const approved = screen.getByRole('table', { name: /Approved for payment/ });
    expect(within(approved).getByText('£9,900.50')).toBeTruthy();
    expect(within(approved).getByText('02/05/2025')).toBeTruthy();
  });

  it('Select All ticks every declaration awaiting declaration; Declare Achievement confirms services, dates and payments, sends those ids and shows each answer with the database’s reason', async () => {
    const d = riversideDouble();
    d.answers.declare_achievements = (call) => ({
      data: (call.args.p_declaration_ids as string[]).map((id) =>
        id === 'd-des-q2'
          ? { declaration_id: id, ok: true, status: 'awaiting_commissioner_approval', message: 'Network Contract DES 2025/26 on 30/09/2025 declared: it awaits commissioner approval.' }
          : { declaration_id: id, ok: false, status: 'awaiting_provider_declaration', message: 'Data is missing: IIF submitted 1 of 2 (VI-01 missing). Submit it, then declare.' },
      ),
      error: null,
    });
    renderDeclarations(d, '/ZP1001/declare', ASH);
    const declareButton = await screen.findByRole('button', { name: 'Declare Achievement' });
    expect(declareButton.hasAttribute('disabled')).toBe(true);
    fireEvent.click(await screen.findByRole('button', { name: 'Select All (2)' }));
    expect(screen.getByText('2 selected')).toBeTruthy();
    expect((screen.getByRole('checkbox', { name: `Select ${DES_NAME} for 30/09/2025` }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole('checkbox', { name: `Select ${VACC_NAME} for 30/09/2025` }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Declare Achievement' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getAllByText('Declare achievement for 2 Quality Services?').length).toBeGreaterThan(0);
    const items = within(dialog).getByTestId('declare-confirm-items');
    expect(within(items).getByText(`${DES_NAME} · 30/09/2025 · £14,058.00`)).toBeTruthy();
    expect(within(items).getByText(`${VACC_NAME} · 30/09/2025 · £1,006.00`)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Declare Achievement' }));

    await waitFor(() => expect(callsOf(d, 'declare_achievements')).toHaveLength(1));
    expect([...(callsOf(d, 'declare_achievements')[0]!.args.p_declaration_ids as string[])].sort()).toEqual(['d-des-q2', 'd-vacc-q2']);
    expect(await screen.findByText('1 declared, 1 not declared')).toBeTruthy();
    const ok = screen.getByTestId('result-d-des-q2');
    expect(within(ok).getByText('Declared')).toBeTruthy();
    expect(within(ok).getByText(`${DES_NAME} · 30/09/2025`)).toBeTruthy();
    expect(within(ok).getByText('Awaiting commissioner approval')).toBeTruthy();
    const refused = screen.getByTestId('result-d-vacc-q2');
    expect(within(refused).getByText('Not declared')).toBeTruthy();
    expect(within(refused).getByText('Data is missing: IIF submitted 1 of 2 (VI-01 missing). Submit it, then declare.')).toBeTruthy();
    // The selection is cleared and the list read again.
    expect(screen.getByText('0 selected')).toBeTruthy();
    await waitFor(() => expect(d.listCalls.filter((call) => call.resource === 'declarations').length).toBeGreaterThan(1));
  });

  it('a declaration refused while a recalculation is pending shows that reason; Cancel sends nothing', async () => {
    const d = riversideDouble();
    d.answers.declare_achievements = (call) => ({
      data: (call.args.p_declaration_ids as string[]).map((id) => ({
        declaration_id: id,
        ok: false,
        status: 'awaiting_provider_declaration',
        message: 'A recalculation of this achievement is pending (requested 06/10/2025 08:00): declare once it has run.',
      })),
      error: null,
    });
    renderDeclarations(d, '/ZP1001/declare', ASH);
    fireEvent.click(await screen.findByRole('checkbox', { name: `Select ${VACC_NAME} for 30/09/2025` }));
    fireEvent.click(screen.getByRole('button', { name: 'Declare Achievement' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    expect(callsOf(d, 'declare_achievements')).toHaveLength(0);

    // The page's button (the closed dialog's may linger in jsdom, after it).
    fireEvent.click(screen.getAllByRole('button', { name: 'Declare Achievement' })[0]!);
    await waitFor(() => expect(screen.getAllByRole('dialog').length).toBeGreaterThan(0));
    const dialog = screen.getAllByRole('dialog').at(-1)!;
    expect(within(dialog).getAllByText('Declare achievement for 1 Quality Service?').length).toBeGreaterThan(0);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Declare Achievement' }));
    expect(await screen.findByText('0 declared, 1 not declared')).toBeTruthy();
    expect(within(screen.getByTestId('result-d-vacc-q2')).getByText(/A recalculation of this achievement is pending/)).toBeTruthy();
    expect(callsOf(d, 'declare_achievements')[0]!.args).toEqual({ p_declaration_ids: ['d-vacc-q2'] });
  });

  it('the database’s refusal of the whole call is shown', async () => {
    const d = riversideDouble();
    d.answers.declare_achievements = { data: null, error: { code: '42501', message: 'Declaring is for Declaration Management of Riverside Medical Centre (ZP1001).' }, status: 403 };
    renderDeclarations(d, '/ZP1001/declare', ASH);
    fireEvent.click(await screen.findByRole('button', { name: 'Select All (2)' }));
    fireEvent.click(screen.getByRole('button', { name: 'Declare Achievement' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Declare Achievement' }));
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('The declaration could not be made')).toBeTruthy();
    expect(within(alert).getByText('Declaring is for Declaration Management of Riverside Medical Centre (ZP1001).')).toBeTruthy();
  });

  it('someone without Declaration Management reads the declarations but cannot select or declare them', async () => {
    renderDeclarations(riversideDouble(), '/ZP1001/declare', PAT);
    expect(await screen.findByRole('heading', { name: 'Awaiting your declaration (2)' })).toBeTruthy();
    await waitFor(() => expect(within(awaitingTable()).getByText(DES_NAME)).toBeTruthy());
    expect(screen.queryByRole('button', { name: 'Declare Achievement' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Select All/ })).toBeNull();
    expect(screen.queryAllByRole('checkbox')).toHaveLength(0);
    expect(screen.getByText('Declaring is for the practice’s Declaration Management; your roles here can read the declarations.')).toBeTruthy();
  });

  it('the Payment Declaration History panel reads declaration_history for the practice and the chosen service, newest first', async () => {
    const d = riversideDouble();
    d.answers.declaration_history = (call) => ({
      data:
        call.args.p_service_id === DES
          ? [
              { occurred_at: '2025-05-01T10:00:00Z', achievement_date: '2025-03-31', action: 'declaration.approve', actor: 'Jordan Tier-Two', from_status: 'awaiting_commissioner_approval', to_status: 'awaiting_finance_approval', reason: null },
              { occurred_at: '2025-05-02T10:00:00Z', achievement_date: '2025-03-31', action: 'declaration.finance_approve', actor: 'Morgan Finance', from_status: 'awaiting_finance_approval', to_status: 'approved_for_payment', reason: null },
              { occurred_at: '2025-04-20T10:00:00Z', achievement_date: '2025-03-31', action: 'declaration.send_back', actor: 'System', from_status: 'awaiting_commissioner_approval', to_status: 'awaiting_provider_declaration', reason: 'Recalculated: payment £9,800.00 → £9,900.50' },
            ]
          : [],
      error: null,
    });
    renderDeclarations(d, '/ZP1001/declare', ASH);
    const table = await screen.findByRole('table', { name: `Payment Declaration History of ${DES_NAME}` });
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(4));
    expect(callsOf(d, 'declaration_history')[0]!.args).toEqual({ p_provider_id: orgId('ZP1001'), p_service_id: DES });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(within(rows[0]!).getByText('Approved by finance')).toBeTruthy();
    expect(within(rows[0]!).getByText('Morgan Finance')).toBeTruthy();
    expect(within(rows[0]!).getByText('Awaiting finance approval → Approved for payment')).toBeTruthy();
    expect(within(rows[2]!).getByText('Recalculated: payment £9,800.00 → £9,900.50')).toBeTruthy();
    // Another service: its own history.
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Quality Service' }));
    fireEvent.click(await screen.findByTitle(VACC_NAME));
    await waitFor(() => expect(callsOf(d, 'declaration_history').some((call) => call.args.p_service_id === VACC)).toBe(true));
    expect(await screen.findByText('No history yet for this service.')).toBeTruthy();
  });

  it('Run Achievement Summary Report downloads the declarations being declared, as XLSX or CSV', async () => {
    const d = riversideDouble();
    renderDeclarations(d, '/ZP1001/declare', ASH);
    await screen.findByRole('checkbox', { name: `Select ${DES_NAME} for 30/09/2025` });
    // Nothing selected: the report covers everything awaiting declaration.
    fireEvent.click(screen.getByRole('button', { name: 'Run Achievement Summary Report' }));
    let dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText(/covers the 2 declarations awaiting your declaration/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: /Download/ }));
    await waitFor(() => expect(d.reports).toHaveLength(1));
    expect([...d.reports[0]!.ids].sort()).toEqual(['d-des-q2', 'd-vacc-q2']);
    expect(d.reports[0]!.format).toBe('xlsx');
    await waitFor(() => expect(saved).toEqual(['achievement-summary.xlsx']));

    // One selected, CSV.
    fireEvent.click(screen.getByRole('checkbox', { name: `Select ${DES_NAME} for 30/09/2025` }));
    fireEvent.click(screen.getByRole('button', { name: 'Run Achievement Summary Report' }));
    await waitFor(() => expect(screen.getAllByRole('dialog').some((el) => within(el).queryByText('The report covers the declaration you selected.'))).toBe(true));
    dialog = screen.getAllByRole('dialog').filter((el) => within(el).queryByText('The report covers the declaration you selected.')).at(-1)!;
    fireEvent.click(within(dialog).getByRole('radio', { name: 'CSV (.csv)' }));
    fireEvent.click(within(dialog).getByRole('button', { name: /Download/ }));
    await waitFor(() => expect(d.reports).toHaveLength(2));
    expect(d.reports[1]).toEqual({ ids: ['d-des-q2'], format: 'csv' });
    await waitFor(() => expect(saved).toEqual(['achievement-summary.xlsx', 'achievement-summary.csv']));
  });

  it('a PCN’s context reads no declarations and points to Network achievement', async () => {
    const d = riversideDouble();
    renderDeclarations(d, '/ZU101/declare', LEE);
    expect(await screen.findByText(/A PCN declares its network achievement under Data Submission → Network achievement/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Open Network achievement' }).getAttribute('href')).toBe('/ZU101/network-achievement');
    expect(d.listCalls.filter((call) => call.resource === 'declarations')).toHaveLength(0);
  });

  it('says when there are no declarations, and offers Try again when they cannot be read', async () => {
    const empty = createDeclarationsDouble();
    const { unmount } = renderDeclarations(empty, '/ZP1001/declare', ASH);
    expect(await screen.findByText(/No payment declarations yet/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Run Achievement Summary Report' })).toBeNull();
    unmount();

    const failing = riversideDouble();
    failing.failing.add('declarations');
    renderDeclarations(failing, '/ZP1001/declare', ASH);
    expect(await screen.findByText('The declarations could not be loaded')).toBeTruthy();
    failing.failing.delete('declarations');
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: 'Awaiting your declaration (2)' })).toBeTruthy();
  });

  it('a declaration’s own address (/declare/<id>, from its notification) comes with it ticked', async () => {
    renderDeclarations(riversideDouble(), `/ZP1001/declare/d-vacc-q2`, ASH);
    const box = await screen.findByRole('checkbox', { name: `Select ${VACC_NAME} for 30/09/2025` });
    await waitFor(() => expect((box as HTMLInputElement).checked).toBe(true));
    expect(screen.getByText('1 selected')).toBeTruthy();
    expect((screen.getByRole('checkbox', { name: `Select ${DES_NAME} for 30/09/2025` }) as HTMLInputElement).checked).toBe(false);
  });
});
