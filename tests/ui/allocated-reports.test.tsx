// UI test of allocated reports (doubles: tests/ui/services-harness.tsx): pick
// an organisation below the commissioner, see its allocations ticked, Select
// All for the year shown, untick one, save: set_allocated_reports gets exactly
// the services to allocate and to remove, after a confirmation.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createServicesDouble, ORG_ADMIN, orgId, renderServicePages, resetServiceTransports, service } from './services-harness.tsx';

afterEach(resetServiceTransports);

function allocationDouble() {
  const double = createServicesDouble({
    quality_services: [
      service({ id: 'svc-a', name: 'Complex Care Plans 2025/26' }),
      service({ id: 'svc-b', name: 'Depot Antipsychotic Injections 2025/26' }),
      service({ id: 'svc-n', name: 'Network Contract DES 2025/26', kind: 'national', payment_type: 'Directed Enhanced Service' }),
      service({ id: 'svc-old', name: 'Complex Care Plans 2024/25', financial_year: '2024/25', starts_on: '2024-04-01', ends_on: '2025-03-31' }),
    ],
    allocated_reports: [{ organisation_id: orgId('ZN1W'), service_id: 'svc-a', allocated_at: '2025-06-01T09:00:00Z' }],
  });
  double.rpc = ({ name, args }) =>
    name === 'set_allocated_reports'
      ? { data: (args.p_allocate as string[]), error: null, status: 200 }
      : { data: null, error: { code: 'PGRST202', message: `unexpected ${name}` }, status: 404 };
  return double;
}

function checkbox(name: string): HTMLInputElement {
  return screen.getByRole('checkbox', { name: `Allocate ${name}` }) as HTMLInputElement;
}

describe('allocated reports (UI test with doubles)', { timeout: 60_000 }, () => {
  it('lists only organisations below the commissioner and finds them by search', async () => {
    renderServicePages(allocationDouble(), '/ZN1/allocated-reports', ORG_ADMIN);
    expect(await screen.findByRole('button', { name: 'Choose Northshire West' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Choose NHS Northshire ICB' })).toBeNull();
    expect(screen.getByText('Choose an organisation on the left to see and change its reports.')).toBeTruthy();
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search organisations by ODS code or name' }), { target: { value: 'zp1005' } });
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Choose Northshire West' })).toBeNull());
    expect(screen.getByRole('button', { name: 'Choose Westfield Health Centre' })).toBeTruthy();
  });

  it('Select All ticks every service shown; unticking an allocated one removes it on save', async () => {
    const double = allocationDouble();
    renderServicePages(double, '/ZN1/allocated-reports', ORG_ADMIN);
    fireEvent.click(await screen.findByRole('button', { name: 'Choose Northshire West' }));
    await screen.findByText('Reports of Northshire West (ZN1W)');
    // The latest year with services is shown; the current allocation is ticked and listed.
    await waitFor(() => expect(checkbox('Complex Care Plans 2025/26').checked).toBe(true));
    expect(screen.getByText('Complex Care Plans 2025/26 (2025/26)')).toBeTruthy();
    expect(checkbox('Depot Antipsychotic Injections 2025/26').checked).toBe(false);
    expect(screen.queryByRole('checkbox', { name: 'Allocate Complex Care Plans 2024/25' })).toBeNull();
    expect((screen.getByRole('button', { name: 'Save allocations' }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(screen.getByRole('button', { name: 'Select all 3 shown' }));
    expect(checkbox('Depot Antipsychotic Injections 2025/26').checked).toBe(true);
    expect(checkbox('Network Contract DES 2025/26').checked).toBe(true);
    fireEvent.click(checkbox('Complex Care Plans 2025/26'));
    expect(checkbox('Complex Care Plans 2025/26').checked).toBe(false);
    expect(screen.getByText('2 to allocate, 1 to remove')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Save allocations' }));
    const ask = await screen.findByRole('dialog');
    expect(within(ask).getAllByText('Save the reports of Northshire West?').length).toBeGreaterThan(0);
    expect(double.rpcCalls).toEqual([]);
    fireEvent.click(within(ask).getByRole('button', { name: 'Save allocations' }));
    await waitFor(() =>
      expect(double.rpcCalls).toEqual([
        {
          name: 'set_allocated_reports',
          args: { p_organisation_id: orgId('ZN1W'), p_allocate: ['svc-b', 'svc-n'], p_unallocate: ['svc-a'] },
        },
      ]),
    );
  });

  it('filters by payment type and shows the database’s refusal', async () => {
    const double = allocationDouble();
    double.rpc = () => ({
      data: null,
      error: { code: '23514', message: 'Northshire West is not below the commissioner.', hint: 'Choose an organisation below it.' },
      status: 400,
    });
    renderServicePages(double, '/ZN1/allocated-reports', ORG_ADMIN);
    fireEvent.click(await screen.findByRole('button', { name: 'Choose Northshire West' }));
    await waitFor(() => expect(checkbox('Complex Care Plans 2025/26').checked).toBe(true));
    const paymentType = screen.getByRole('combobox', { name: 'Payment type' });
    fireEvent.mouseDown(paymentType);
    fireEvent.click(await screen.findByTitle('Directed Enhanced Service'));
    await waitFor(() => expect(screen.queryByRole('checkbox', { name: 'Allocate Complex Care Plans 2025/26' })).toBeNull());
    fireEvent.click(screen.getByRole('button', { name: 'Select all 1 shown' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save allocations' }));
    const ask = await screen.findByRole('dialog');
    fireEvent.click(within(ask).getByRole('button', { name: 'Save allocations' }));
    expect(await screen.findByText('Northshire West is not below the commissioner. Choose an organisation below it.')).toBeTruthy();
    expect(double.rpcCalls[0]?.args).toEqual({ p_organisation_id: orgId('ZN1W'), p_allocate: ['svc-n'], p_unallocate: [] });
  });
});
