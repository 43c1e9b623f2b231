// UI test of "Achievements awaiting network achievement" (commissioner,
// issue 14) with doubles: each stuck achievement with the database's cause
// and fix — no PCN relationship on the date → a link to the practice's PCN
// relationships; PCN achievement not submitted → Remind nominated people
// (asks first, remind_network_declarers for the PCN, service and date, says
// how many were reminded, or that there was nobody); filters; empty and error
// states.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { accessWith, callsOf, CHRIS, createDeclarationsDouble, DES, DES_NAME, orgId, membership, renderDeclarations, resetDeclarations, type DeclarationsDouble } from './declarations-harness.tsx';

afterEach(resetDeclarations);

function stuck(id: string, ods: string, name: string, cause: string, extra: Record<string, unknown> = {}) {
  return {
    declaration_id: id,
    achievement_id: `a-${id}`,
    provider_id: orgId(ods),
    provider_ods_code: ods,
    provider_name: name,
    service_id: DES,
    service_name: DES_NAME,
    achievement_date: '2025-09-30',
    cause,
    pcn_id: null,
    pcn_ods_code: null,
    pcn_name: null,
    fix: null,
    ...extra,
  };
}

function stuckDouble(): DeclarationsDouble {
  return createDeclarationsDouble({
    achievements_awaiting_network: [
      // Orchard Surgery is not in the shared test organisations: its id stands as the database gives it.
      { ...stuck('d-orchard', 'ZP1005', 'Orchard Surgery', 'no_pcn_relationship', { fix: 'Open the practice’s PCN relationships and add the PCN it belonged to on 30/09/2025.' }), provider_ods_code: 'ZP1006', provider_id: 'org-ZP1006' },
      stuck('d-riverside', 'ZP1001', 'Riverside Medical Centre', 'network_achievement_not_submitted', {
        pcn_id: orgId('ZU101'),
        pcn_ods_code: 'ZU101',
        pcn_name: 'Riverside PCN',
        fix: 'Remind Riverside PCN’s nominated people to submit its network achievement for 30/09/2025.',
      }),
      stuck('d-mill', 'ZP1003', 'Mill Lane Practice', 'network_achievement_not_submitted', { pcn_id: orgId('ZU101'), pcn_ods_code: 'ZU101', pcn_name: 'Riverside PCN' }),
    ],
  });
}

/** The other causes: Hillside submitted but Hill Top's recalculation has not run; Westfield PCN has nobody to remind. */
function otherCausesDouble(): DeclarationsDouble {
  return createDeclarationsDouble({
    achievements_awaiting_network: [
      stuck('d-hill', 'ZP1004', 'Hill Top Surgery', 'recalculation_pending', {
        pcn_id: orgId('ZU102'),
        pcn_ods_code: 'ZU102',
        pcn_name: 'Hillside PCN',
        network_status: 'submitted',
        waiting_since: '2025-10-05T09:00:00Z',
        fix: 'Nothing to do: it moves on at the next run of the recalculation job.',
      }),
      stuck('d-west', 'ZP1005', 'Westfield Health Centre', 'network_achievement_not_submitted', {
        pcn_id: orgId('ZU103'),
        pcn_ods_code: 'ZU103',
        pcn_name: 'Westfield PCN',
        nominated_people: 0,
        fix: 'Westfield PCN has no nominated people: ask it to nominate at least two.',
      }),
    ],
  });
}

describe('Achievements awaiting network achievement (UI test with doubles)', { timeout: 30_000 }, () => {
  it('lists each stuck achievement with the database’s cause and fix; no PCN relationship links to the practice’s PCN relationships', async () => {
    renderDeclarations(stuckDouble(), '/ZN1/awaiting-network', CHRIS);
    expect(await screen.findByRole('heading', { level: 1, name: 'Achievements awaiting network achievement' })).toBeTruthy();
    const table = await screen.findByRole('table', { name: 'Achievements awaiting network achievement (3)' });
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(4));
    // Orchard: no PCN relationship on the date.
    expect(screen.getByTestId('cause-d-orchard').textContent).toBe('No PCN relationship on 30/09/2025');
    const orchardFix = screen.getByTestId('fix-d-orchard');
    expect(within(orchardFix).getByText('Open the practice’s PCN relationships and add the PCN it belonged to on 30/09/2025.')).toBeTruthy();
    const link = within(orchardFix).getByRole('link', { name: 'Open the practice’s PCN relationships: Orchard Surgery (ZP1006)' });
    expect(link.textContent).toBe('Open the practice’s PCN relationships');
    expect(link.getAttribute('href')).toBe('/ZN1/organisations/org-ZP1006');
    expect(within(orchardFix).queryByRole('button')).toBeNull();
    // Chris cannot add PCN relationships: the page says who can.
    expect(within(orchardFix).getByText('Your ICB’s Organisation or User Administrators add it there.')).toBeTruthy();
    // Riverside: its PCN has not submitted.
    expect(screen.getByTestId('cause-d-riverside').textContent).toBe('PCN on the date: Riverside PCN (ZU101)');
    const riversideFix = screen.getByTestId('fix-d-riverside');
    expect(within(riversideFix).getByText(/Remind Riverside PCN’s nominated people/)).toBeTruthy();
    expect(within(riversideFix).getByRole('button', { name: 'Remind nominated people of Riverside PCN (ZU101) about 30/09/2025' })).toBeTruthy();
    expect(within(riversideFix).queryByRole('link')).toBeNull();
    // The network relationships report is one link away.
    expect(screen.getByRole('link', { name: 'Network organisation relationship report' }).getAttribute('href')).toBe('/ZN1/reports/network-relationships');
    fireEvent.click(link);
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/ZN1/organisations/org-ZP1006'));
  });

  it('Remind nominated people asks first, calls remind_network_declarers for the PCN, service and date, and says how many were reminded', async () => {
    const d = stuckDouble();
    d.answers.remind_network_declarers = { data: 2, error: null };
    renderDeclarations(d, '/ZN1/awaiting-network', CHRIS);
    // One button per stuck practice of that PCN and date: the same reminder.
    const reminders = await screen.findAllByRole('button', { name: 'Remind nominated people of Riverside PCN (ZU101) about 30/09/2025' });
    expect(reminders).toHaveLength(2);
    fireEvent.click(within(screen.getByTestId('fix-d-riverside')).getByRole('button'));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getAllByText('Remind Riverside PCN (ZU101)’s nominated people?').length).toBeGreaterThan(0);
    // Both of Riverside PCN's stuck practices are counted.
    expect(within(dialog).getByText(/2 achievements of its member practices wait for it/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remind nominated people' }));
    await waitFor(() => expect(callsOf(d, 'remind_network_declarers')).toHaveLength(1));
    expect(callsOf(d, 'remind_network_declarers')[0]!.args).toEqual({ p_pcn_id: orgId('ZU101'), p_service_id: DES, p_achievement_date: '2025-09-30' });
    expect(await screen.findByText('2 nominated people of Riverside PCN (ZU101) reminded')).toBeTruthy();
    // Both rows of that PCN and date now say so instead of offering it again.
    await waitFor(() => expect(within(screen.getByTestId('fix-d-riverside')).getByText('Reminded')).toBeTruthy());
    expect(within(screen.getByTestId('fix-d-mill')).getByText('Reminded')).toBeTruthy();
    expect(reminders.some((button) => button.isConnected)).toBe(false);
  });

  it('says when the PCN has nobody to remind, and shows the database’s refusal', async () => {
    const d = stuckDouble();
    d.answers.remind_network_declarers = { data: 0, error: null };
    renderDeclarations(d, '/ZN1/awaiting-network', CHRIS);
    fireEvent.click(within(await screen.findByTestId('fix-d-riverside')).getByRole('button'));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Remind nominated people' }));
    expect(await screen.findByText('Riverside PCN (ZU101) has no nominated people to remind')).toBeTruthy();
    expect(screen.getByText(/Give a user the PCN organisation role with the Declaration Management permission/)).toBeTruthy();
    // Still offered: nobody was reminded.
    expect(within(screen.getByTestId('fix-d-riverside')).getByRole('button')).toBeTruthy();

    d.answers.remind_network_declarers = { data: null, error: { code: '42501', message: 'You may not remind the people of Riverside PCN (ZU101).' }, status: 403 };
    fireEvent.click(within(screen.getByTestId('fix-d-mill')).getByRole('button'));
    await waitFor(() => expect(screen.getAllByRole('dialog').length).toBeGreaterThan(0));
    fireEvent.click(within(screen.getAllByRole('dialog').at(-1)!).getByRole('button', { name: 'Remind nominated people' }));
    expect(await screen.findByText('The reminder was not sent')).toBeTruthy();
    expect(screen.getByText('You may not remind the people of Riverside PCN (ZU101).')).toBeTruthy();
  });

  it('filters by cause; empty and error states', async () => {
    const first = renderDeclarations(stuckDouble(), '/ZN1/awaiting-network', CHRIS);
    await screen.findByTestId('cause-d-orchard');
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Cause' }));
    fireEvent.click(await screen.findByTitle('No PCN relationship'));
    await waitFor(() => expect(screen.queryByTestId('cause-d-riverside')).toBeNull());
    expect(screen.getByTestId('cause-d-orchard')).toBeTruthy();
    first.unmount();

    const second = renderDeclarations(createDeclarationsDouble(), '/ZN1/awaiting-network', CHRIS);
    expect(await screen.findByText('No achievement is stuck awaiting network achievement.')).toBeTruthy();
    second.unmount();

    const failing = stuckDouble();
    failing.failing.add('achievements_awaiting_network');
    renderDeclarations(failing, '/ZN1/awaiting-network', CHRIS);
    expect(await screen.findByText('The stuck achievements could not be loaded')).toBeTruthy();
  });

  it('a recalculation pending needs nothing; a PCN without nominated people is not offered a reminder; Finance Management reminds nobody', async () => {
    const first = renderDeclarations(otherCausesDouble(), '/ZN1/awaiting-network', CHRIS);
    expect(await screen.findByTestId('cause-d-hill')).toBeTruthy();
    expect(screen.getByTestId('cause-d-hill').textContent).toBe('Hillside PCN (ZU102) has submitted; the recalculation has not run yet');
    expect(within(screen.getByTestId('fix-d-hill')).getByText('Nothing to do: it moves on at the next run of the recalculation job.')).toBeTruthy();
    expect(within(screen.getByTestId('fix-d-hill')).queryByRole('button')).toBeNull();
    expect(screen.getByText('waiting since 05/10/2025')).toBeTruthy();
    expect(within(screen.getByTestId('fix-d-west')).getByText('Westfield PCN (ZU103) has no nominated people: ask it to nominate two.')).toBeTruthy();
    expect(within(screen.getByTestId('fix-d-west')).queryByRole('button')).toBeNull();
    first.unmount();

    renderDeclarations(stuckDouble(), '/ZN1/awaiting-network', accessWith(membership('ZN1', ['finance_management'])));
    expect(await screen.findByTestId('cause-d-riverside')).toBeTruthy();
    expect(screen.queryAllByRole('button', { name: /Remind nominated people of/ })).toHaveLength(0);
  });
});
