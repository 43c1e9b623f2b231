// UI tests of the service catalogue's forms (doubles: tests/ui/services-harness.tsx):
// a service's dates must lie inside its financial year (and end after start),
// a unit component needs its unit price, evidence needs a text and at least one
// accepted file type, removing asks first, and the database's own refusal is
// shown as it says it.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { financialYearOf, financialYearRange } from '../../src/lib/financial-year.ts';
import { todayInLondon } from '../../src/lib/calendar-dates.ts';
import { COMPLEX_CARE, COMMISSIONER, createServicesDouble, orgId, renderServicePages, resetServiceTransports } from './services-harness.tsx';

afterEach(resetServiceTransports);

type User = ReturnType<typeof userEvent.setup>;

async function typeInto(user: User, label: string, text: string) {
  const input = screen.getByLabelText(label) as HTMLInputElement;
  const length = input.value.length;
  await user.click(input);
  await user.type(input, `${text}{Tab}`, { initialSelectionStart: 0, initialSelectionEnd: length });
}

const ddmmyyyy = (iso: string) => iso.split('-').reverse().join('/');
const dayBefore = (iso: string) => new Date(Date.parse(`${iso}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

const EAR_IRRIGATION = {
  id: 'comp-ear',
  service_id: COMPLEX_CARE.id,
  position: 2,
  name: 'Ear irrigation',
  kind: 'unit',
  unit_price: 28.5,
  fixed_amount: null,
  information: null,
  evidence_required: true,
  evidence_text: 'Upload the anonymised procedure log.',
  accepted_file_types: ['pdf', 'docx'],
  created_at: '2025-03-01T09:00:00Z',
  updated_at: '2025-03-01T09:00:00Z',
};
const CARE_PLAN = { ...EAR_IRRIGATION, id: 'comp-plan', position: 1, name: 'Complex care plan created', unit_price: 193.42, evidence_required: false, evidence_text: null, accepted_file_types: [] };

function catalogueDouble() {
  const today = todayInLondon();
  const plus = (days: number) => new Date(Date.parse(`${today}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  return createServicesDouble({
    quality_services: [COMPLEX_CARE],
    service_components: [CARE_PLAN, EAR_IRRIGATION],
    claim_windows: [
      { id: 'w-q2', service_id: COMPLEX_CARE.id, period_label: 'Q2 2025/26', period_starts_on: '2025-07-01', period_ends_on: '2025-09-30', opens_on: plus(-90), closes_on: plus(-61), created_at: '', updated_at: '' },
      { id: 'w-q3', service_id: COMPLEX_CARE.id, period_label: 'Q3 2025/26', period_starts_on: '2025-10-01', period_ends_on: '2025-12-31', opens_on: plus(-30), closes_on: plus(30), created_at: '', updated_at: '' },
    ],
  });
}

describe('service catalogue forms (UI test with doubles)', { timeout: 60_000 }, () => {
  it('creating a service: required fields, dates inside the financial year, end not before start; then the row sent', async () => {
    const user = userEvent.setup();
    const double = createServicesDouble();
    renderServicePages(double, '/ZN1/services/create', COMMISSIONER);
    const year = financialYearOf(todayInLondon());
    const { start, end } = financialYearRange(year);
    await screen.findByText('April to March. The dates must lie inside it.');

    fireEvent.click(screen.getByRole('button', { name: 'Create service' }));
    expect(await screen.findByText('Enter a name for the service')).toBeTruthy();
    expect(screen.getByText('Enter the payment type')).toBeTruthy();
    expect(screen.getAllByText('Enter the date (DD/MM/YYYY)')).toHaveLength(2);

    await typeInto(user, 'Name', 'Wound Care');
    await typeInto(user, 'Payment type', 'Local Incentive Scheme');
    await typeInto(user, 'Start date', ddmmyyyy(dayBefore(start)));
    await typeInto(user, 'End date', ddmmyyyy(dayBefore(start)));
    const outside = `The date must lie in the financial year ${year} (${ddmmyyyy(start)} to ${ddmmyyyy(end)})`;
    await waitFor(() => expect(screen.getAllByText(outside)).toHaveLength(2));

    await typeInto(user, 'Start date', ddmmyyyy(end));
    await typeInto(user, 'End date', ddmmyyyy(start));
    expect(await screen.findByText('The end date cannot be before the start date')).toBeTruthy();
    expect(double.writes).toEqual([]);

    await typeInto(user, 'Start date', ddmmyyyy(start));
    await typeInto(user, 'End date', ddmmyyyy(end));
    fireEvent.click(screen.getByRole('button', { name: 'Create service' }));
    await waitFor(() => expect(double.writes).toHaveLength(1));
    expect(double.writes[0]).toMatchObject({
      kind: 'create',
      resource: 'quality_services',
      variables: {
        name: 'Wound Care',
        kind: 'local',
        commissioner_id: orgId('ZN1'),
        financial_year: year,
        payment_type: 'Local Incentive Scheme',
        starts_on: start,
        ends_on: end,
        claim_mode: null,
        participation_only: false,
        no_declaration_required: false,
      },
    });
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/ZN1/services/quality_services-1'));
  });

  it('offers the payment types of the chosen kind, and refuses a national one for a local service', async () => {
    const user = userEvent.setup();
    const double = createServicesDouble();
    renderServicePages(double, '/ZN1/services/create', COMMISSIONER);
    await screen.findByText('April to March. The dates must lie inside it.');
    const options = async () => {
      await user.click(screen.getByLabelText('Payment type'));
      await waitFor(() => expect(document.querySelectorAll('.ant-select-item-option').length).toBeGreaterThan(0));
      const shown = [...document.querySelectorAll('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')].map(
        (o) => o.textContent,
      );
      await user.keyboard('{Escape}');
      return shown;
    };
    // Local is the default kind.
    expect(await options()).toEqual(['Local Enhanced Service', 'Local Incentive Scheme']);
    fireEvent.click(screen.getByLabelText('National (QOF, DES, V&I)'));
    await waitFor(async () =>
      expect(await options()).toEqual(['Directed Enhanced Service', 'Quality and Outcomes Framework', 'Vaccinations and Immunisations']),
    );
    fireEvent.click(screen.getByLabelText('Local (LES/LIS)'));
    await typeInto(user, 'Payment type', 'QOF');
    expect(
      await screen.findByText('QOF is a national payment type: a local service takes a local one, such as Local Enhanced Service or Local Incentive Scheme'),
    ).toBeTruthy();
    expect(double.writes).toEqual([]);
  });

  it('editing a service: the kind is fixed, dates are checked against the service’s year, the update leaves kind and commissioner alone', async () => {
    const user = userEvent.setup();
    const double = catalogueDouble();
    renderServicePages(double, `/ZN1/services/${COMPLEX_CARE.id}/edit`, COMMISSIONER);
    await waitFor(() => expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe(COMPLEX_CARE.name));
    expect(screen.getByText('The kind cannot change once the service exists.')).toBeTruthy();
    await typeInto(user, 'End date', '01/04/2026');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('The date must lie in the financial year 2025/26 (01/04/2025 to 31/03/2026)')).toBeTruthy();
    await typeInto(user, 'End date', '28/02/2026');
    double.refuse = () => ({ code: '23514', message: 'The new dates of Complex Care Plans 2025/26 would leave claim window Q4 2025/26 outside the service.', hint: 'Change or cancel what lies outside first, or keep the dates wider.' });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(
      await screen.findByText(
        'The new dates of Complex Care Plans 2025/26 would leave claim window Q4 2025/26 outside the service. Change or cancel what lies outside first, or keep the dates wider.',
      ),
    ).toBeTruthy();
    const write = double.writes[0]!;
    expect(write).toMatchObject({ kind: 'update', resource: 'quality_services', id: COMPLEX_CARE.id, variables: { ends_on: '2026-02-28', starts_on: '2025-04-01' } });
    expect(write.variables).not.toHaveProperty('kind');
    expect(write.variables).not.toHaveProperty('commissioner_id');
  });

  it('shows prices in pounds, evidence types and which claim window is open today', async () => {
    renderServicePages(catalogueDouble(), `/ZN1/services/${COMPLEX_CARE.id}`, COMMISSIONER);
    fireEvent.click(await screen.findByRole('tab', { name: 'Components (2)' }));
    expect(await screen.findByText('£193.42 per unit')).toBeTruthy();
    const ear = screen.getByText('Ear irrigation').closest('tr') as HTMLElement;
    expect(within(ear).getByText('PDF')).toBeTruthy();
    expect(within(ear).getByText('DOCX')).toBeTruthy();
    fireEvent.click(screen.getByRole('tab', { name: 'Claim windows (2)' }));
    const q3 = (await screen.findByText('Q3 2025/26')).closest('tr') as HTMLElement;
    expect(within(q3).getByText('Open')).toBeTruthy();
    const q2 = screen.getByText('Q2 2025/26').closest('tr') as HTMLElement;
    expect(within(q2).getByText('Closed')).toBeTruthy();
  });

  it('a unit component needs its unit price; evidence needs a text and at least one accepted file type', async () => {
    const user = userEvent.setup();
    const double = catalogueDouble();
    renderServicePages(double, `/ZN1/services/${COMPLEX_CARE.id}`, COMMISSIONER);
    fireEvent.click(await screen.findByRole('tab', { name: 'Components (2)' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Add component' }));
    const dialog = await screen.findByRole('dialog');
    await typeInto(user, 'Component', 'Home visit');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await within(dialog).findByText('Enter the unit price for a unit component')).toBeTruthy();

    fireEvent.click(within(dialog).getByLabelText('Evidence required (a document is mandatory when units ≥ 1)'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await within(dialog).findByText('Say what evidence the practice must upload')).toBeTruthy();
    expect(within(dialog).getByText('Choose at least one accepted file type')).toBeTruthy();
    expect(double.writes).toEqual([]);

    await typeInto(user, 'Unit price (£)', '45.50');
    await typeInto(user, 'Evidence requirement (shown to the practice)', 'Visit log for the period');
    fireEvent.click(within(dialog).getByLabelText('PDF'));
    fireEvent.click(within(dialog).getByLabelText('XLSX'));
    // The database's refusal comes back into the dialog, with its hint.
    double.refuse = () => ({ code: '23514', message: 'new row violates check constraint "service_components_money"', hint: 'Check the price.' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await within(dialog).findByText('new row violates check constraint "service_components_money" Check the price.')).toBeTruthy();

    double.refuse = undefined;
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(double.writes).toHaveLength(2));
    expect(double.writes[1]).toMatchObject({
      kind: 'create',
      resource: 'service_components',
      variables: {
        service_id: COMPLEX_CARE.id,
        name: 'Home visit',
        kind: 'unit',
        unit_price: 45.5,
        fixed_amount: null,
        evidence_required: true,
        evidence_text: 'Visit log for the period',
        accepted_file_types: ['pdf', 'xlsx'],
        position: 3,
      },
    });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('removing a component asks first; Cancel keeps it, Remove deletes it', async () => {
    const double = catalogueDouble();
    renderServicePages(double, `/ZN1/services/${COMPLEX_CARE.id}`, COMMISSIONER);
    fireEvent.click(await screen.findByRole('tab', { name: 'Components (2)' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Remove Ear irrigation' }));
    const ask = await screen.findByRole('dialog');
    expect(within(ask).getAllByText('Remove Ear irrigation?').length).toBeGreaterThan(0);
    fireEvent.click(within(ask).getByRole('button', { name: 'Cancel' }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(double.writes).toEqual([]);
    expect(screen.getByText('Ear irrigation')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Remove Ear irrigation' }));
    // (antd keeps a closed confirmation in the document while it animates out: the newest is the last.)
    await waitFor(() => expect(screen.getAllByRole('dialog').length).toBeGreaterThan(0));
    const again = screen.getAllByRole('dialog').at(-1)!;
    fireEvent.click(within(again).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(double.writes).toEqual([{ kind: 'delete', resource: 'service_components', id: 'comp-ear' }]));
    await waitFor(() => expect(screen.queryByText('Ear irrigation')).toBeNull());
  });

  it('a reader without Commissioning Management sees no add, edit or remove buttons', async () => {
    const { accessWith, membership } = await import('./organisations-test-harness.tsx');
    renderServicePages(catalogueDouble(), `/ZN1/services/${COMPLEX_CARE.id}`, accessWith(membership('ZN1', ['approver_tier_1'])));
    fireEvent.click(await screen.findByRole('tab', { name: 'Components (2)' }));
    await screen.findByText('£193.42 per unit');
    expect(screen.queryByRole('button', { name: 'Add component' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Remove Ear irrigation' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Edit details/ })).toBeNull();
  });
});
