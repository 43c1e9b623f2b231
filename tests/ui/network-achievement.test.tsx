// UI test of Network achievement (PCN dashboard, issue 14) with doubles: the
// latest achievement date first, per network indicator the PCN's aggregate
// and how many member practices report it, the status, the practices waiting
// for it; another date chosen; Submit with notes to submit_network_achievement
// and the answer; the warning when the PCN has fewer than two nominated
// people; a practice's context.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ASH, callsOf, createDeclarationsDouble, DES, DES_NAME, LEE, orgId, renderDeclarations, resetDeclarations, type DeclarationsDouble } from './declarations-harness.tsx';

afterEach(resetDeclarations);

const PCN = orgId('ZU101');

function overview(id: string, achievement_date: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    pcn_id: PCN,
    pcn_ods_code: 'ZU101',
    pcn_name: 'Riverside PCN',
    service_id: DES,
    service_name: DES_NAME,
    achievement_date,
    is_payment_date: achievement_date.endsWith('09-30') || achievement_date.endsWith('03-31'),
    status: 'not_submitted',
    member_practices: 3,
    reporting_practices: 2,
    submitted_at: null,
    submitted_by_name: null,
    notes: null,
    calculated_at: '2025-10-05T09:00:00Z',
    recalculation_requested_at: null,
    nominated_people: 1,
    waiting_practices: 2,
    ...extra,
  };
}

function value(networkId: string, code: string, extra: Record<string, unknown>) {
  return {
    network_achievement_id: networkId,
    indicator_id: `i-${code}`,
    numerator: null,
    denominator: null,
    count: null,
    reporting_practices: 2,
    percentage: null,
    points: null,
    indicator: { code, description: `${code} description`, points: 71, payment_basis: 'per_point', position: code === 'ACC-08' ? 1 : 2 },
    ...extra,
  };
}

function riversidePcnDouble(nominated = 1): DeclarationsDouble {
  return createDeclarationsDouble({
    network_achievement_overview: [
      overview('na-q1', '2025-06-30', { status: 'submitted', submitted_at: '2025-07-10T09:00:00Z', submitted_by_name: 'Lee Lead', waiting_practices: 0, nominated_people: nominated, notes: 'Checked with all three practices' }),
      overview('na-q2', '2025-09-30', { nominated_people: nominated }),
      { ...overview('na-other', '2025-12-31'), pcn_id: orgId('ZU102') },
    ],
    network_achievement_values: [
      value('na-q2', 'ACC-08', { numerator: 870, denominator: 1000, percentage: 87, points: 28.4 }),
      value('na-q2', 'VI-01', { count: 45, reporting_practices: 1, indicator: { code: 'VI-01', description: 'Vaccinations given', points: 0, payment_basis: 'per_unit', position: 2 } }),
      value('na-q1', 'ACC-08', { numerator: 800, denominator: 1000, percentage: 80, points: 0 }),
    ],
  });
}

describe('Network achievement (UI test with doubles)', { timeout: 30_000 }, () => {
  it('shows the PCN’s latest achievement date: per network indicator the aggregate, practices reporting n of m, status and who waits', async () => {
    const d = riversidePcnDouble();
    renderDeclarations(d, '/ZU101/network-achievement', LEE);
    expect(await screen.findByRole('heading', { level: 1, name: 'Network achievement' })).toBeTruthy();
    expect(await screen.findByRole('heading', { name: `${DES_NAME} · 30/09/2025` })).toBeTruthy();
    // Only the PCN's own network achievement was asked for.
    expect(d.listCalls.find((call) => call.resource === 'network_achievement_overview')!.filters).toEqual([{ field: 'pcn_id', operator: 'eq', value: PCN }]);
    expect(screen.getByRole('combobox', { name: 'Achievement date' }).closest('.ant-select')!.textContent).toContain('30/09/2025 (latest)');
    expect(screen.getByTestId('network-status').textContent).toBe('Not submitted');
    expect(screen.getByTestId('reporting-practices').textContent).toBe('2 of 3');
    const table = await screen.findByRole('table', { name: `Network indicators of ${DES_NAME} on 30/09/2025` });
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(3));
    const [acc, vi] = within(table).getAllByRole('row').slice(1);
    expect(within(acc!).getByText('ACC-08')).toBeTruthy();
    expect(within(acc!).getByText('870')).toBeTruthy();
    expect(within(acc!).getByText('1000')).toBeTruthy();
    expect(screen.getByTestId('percentage-ACC-08').textContent).toBe('87%');
    expect(within(acc!).getByText('28.4 / 71')).toBeTruthy();
    expect(within(acc!).getByText('2 of 3')).toBeTruthy();
    expect(within(vi!).getByText('VI-01')).toBeTruthy();
    expect(within(vi!).getByText('45')).toBeTruthy();
    expect(within(vi!).getByText('per unit')).toBeTruthy();
    expect(within(vi!).getByText('1 of 3')).toBeTruthy();
    // Who waits for it.
    const waiting = screen.getByTestId('waiting-practices');
    expect(within(waiting).getByText('2 member practices’ declarations wait for this network achievement.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Submit' })).toBeTruthy();
  });

  it('warns when the PCN has fewer than two nominated people, and not when it has two', async () => {
    const { unmount } = renderDeclarations(riversidePcnDouble(1), '/ZU101/network-achievement', LEE);
    const warning = await screen.findByTestId('nominated-people-warning');
    expect(within(warning).getByText('Riverside PCN has 1 nominated person')).toBeTruthy();
    expect(within(warning).getByText(/please ensure you have two nominated persons within CQRS/)).toBeTruthy();
    unmount();

    renderDeclarations(riversidePcnDouble(2), '/ZU101/network-achievement', LEE);
    expect(await screen.findByRole('heading', { name: `${DES_NAME} · 30/09/2025` })).toBeTruthy();
    expect(screen.queryByTestId('nominated-people-warning')).toBeNull();
  });

  it('another achievement date shows its own figures; a submitted one has no Submit and says who submitted it', async () => {
    renderDeclarations(riversidePcnDouble(), '/ZU101/network-achievement', LEE);
    await screen.findByRole('heading', { name: `${DES_NAME} · 30/09/2025` });
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Achievement date' }));
    fireEvent.click(await screen.findByTitle('30/06/2025'));
    expect(await screen.findByRole('heading', { name: `${DES_NAME} · 30/06/2025` })).toBeTruthy();
    expect(screen.getByTestId('network-status').textContent).toBe('Submitted');
    expect(screen.getByText('10/07/2025 10:00 by Lee Lead')).toBeTruthy();
    expect(screen.getByText('Checked with all three practices')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Submit' })).toBeNull();
    expect(screen.queryByTestId('waiting-practices')).toBeNull();
    await waitFor(() => expect(screen.getByTestId('percentage-ACC-08').textContent).toBe('80%'));
  });

  it('Submit asks first (notes optional), calls submit_network_achievement for the PCN, service and date, and shows the answer', async () => {
    const d = riversidePcnDouble();
    d.answers.submit_network_achievement = (call) => {
      const row = d.tables.network_achievement_overview!.find((r) => r.id === 'na-q2')!;
      Object.assign(row, { status: 'submitted', submitted_at: '2025-10-10T09:00:00Z', submitted_by_name: 'Lee Lead', waiting_practices: 0, notes: call.args.p_notes });
      return { data: row, error: null };
    };
    renderDeclarations(d, '/ZU101/network-achievement', LEE);
    fireEvent.click(await screen.findByRole('button', { name: 'Submit' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getAllByText(`Declare network achievement for Riverside PCN, ${DES_NAME}, 30/09/2025?`).length).toBeGreaterThan(0);
    expect(within(dialog).getByText(/\(2 of 3 member practices reporting\)/)).toBeTruthy();
    fireEvent.change(within(dialog).getByLabelText('Notes (optional)'), { target: { value: '  Hill Top joins next quarter  ' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Declare network achievement' }));
    await waitFor(() => expect(callsOf(d, 'submit_network_achievement')).toHaveLength(1));
    expect(callsOf(d, 'submit_network_achievement')[0]!.args).toEqual({
      p_pcn_id: PCN,
      p_service_id: DES,
      p_achievement_date: '2025-09-30',
      p_notes: 'Hill Top joins next quarter',
    });
    expect(await screen.findByText('Network achievement submitted for 30/09/2025')).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('network-status').textContent).toBe('Submitted'));
    expect(screen.queryByRole('button', { name: 'Submit' })).toBeNull();
    expect(screen.queryByTestId('waiting-practices')).toBeNull();
  });

  it('the database’s refusal is shown as it answered', async () => {
    const d = riversidePcnDouble();
    d.answers.submit_network_achievement = {
      data: null,
      error: { code: 'PT409', message: 'Riverside PCN (ZU101) submitted its network achievement for 30/09/2025 at 10/10/2025 10:00.', hint: 'Reload the page.' },
      status: 409,
    };
    renderDeclarations(d, '/ZU101/network-achievement', LEE);
    fireEvent.click(await screen.findByRole('button', { name: 'Submit' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Declare network achievement' }));
    expect(await screen.findByText('The network achievement was not submitted')).toBeTruthy();
    expect(screen.getByText('Riverside PCN (ZU101) submitted its network achievement for 30/09/2025 at 10/10/2025 10:00. Reload the page.')).toBeTruthy();
  });

  it('empty and error states; a practice’s context reads nothing', async () => {
    const empty = createDeclarationsDouble();
    const first = renderDeclarations(empty, '/ZU101/network-achievement', LEE);
    expect(await screen.findByText(/No network achievement yet/)).toBeTruthy();
    first.unmount();

    const failing = riversidePcnDouble();
    failing.failing.add('network_achievement_overview');
    const second = renderDeclarations(failing, '/ZU101/network-achievement', LEE);
    expect(await screen.findByText('The network achievement could not be loaded')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
    second.unmount();

    const practice = riversidePcnDouble();
    renderDeclarations(practice, '/ZP1001/network-achievement', ASH);
    expect(await screen.findByText(/Network achievement is declared by a PCN’s nominated people/)).toBeTruthy();
    expect(practice.listCalls.filter((call) => call.resource === 'network_achievement_overview')).toHaveLength(0);
  });

  it('the network_achievement_awaited task’s address (/network-achievement/<id>) opens that network achievement', async () => {
    renderDeclarations(riversidePcnDouble(), '/ZU101/network-achievement/na-q1', LEE);
    expect(await screen.findByRole('heading', { name: `${DES_NAME} · 30/06/2025` })).toBeTruthy();
    expect(screen.getByTestId('network-status').textContent).toBe('Submitted');
  });
});
