// UI test of a claim's page: the job aid's panes (Add All twice puts every
// component on the claim), units saved and the DATABASE's amount shown,
// Submit with problems (listed at the top and beside their line or question,
// and nothing submitted), Submit without problems (confirm, submit, summary),
// validate-claim unreachable (the database's dry run answers), evidence files
// refused before any upload (too large, wrong type) and uploaded when right,
// Delete after a confirmation, the read-only view with its timeline, and the
// Provider Approver's Approve and Return.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setClaimsBackend } from '../../src/resources/claims/api.ts';
import {
  APPROVER,
  CCP,
  CLAIM_ID,
  callsOf,
  claimRow,
  COMPONENTS,
  createClaimsDouble,
  orgId,
  QUESTIONS,
  renderClaims,
  resetClaims,
  VIEWER,
  type ClaimsDouble,
} from './claims-harness.tsx';

afterEach(resetClaims);

const PAGE = `/ZP1001/claims/${CLAIM_ID}`;

/** A draft with every component on it already (as after Add All). */
function filledDouble(): ClaimsDouble {
  const d = createClaimsDouble();
  d.rpc({ name: 'add_claim_lines', args: { p_claim_id: CLAIM_ID, p_component_ids: COMPONENTS.map((c) => c.id) } });
  return d;
}

const lineRegion = (name: string) => screen.getByRole('region', { name });

describe('The claim page (UI test with doubles)', { timeout: 30_000 }, () => {
  it('Add All twice puts every component on the claim; units are saved and the amount is the database’s', async () => {
    const d = createClaimsDouble();
    renderClaims(d, PAGE);
    expect(await screen.findByRole('heading', { level: 1, name: 'Claim 36001' })).toBeTruthy();
    expect(await screen.findByText('3 components')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Add All services to the Components pane' }));
    expect(await screen.findByText('Depot injection administered')).toBeTruthy();
    // The Components pane's service headings name no regions: the Claim pane's service sections have those names.
    expect(screen.queryByRole('region', { name: 'Complex Care Plans 2025/26' })).toBeNull();
    fireEvent.click(await screen.findByRole('button', { name: 'Add All components to the claim' }));
    await waitFor(() => expect(callsOf(d, 'add_claim_lines')).toHaveLength(1));
    const added = callsOf(d, 'add_claim_lines')[0]!.args;
    expect(added.p_claim_id).toBe(CLAIM_ID);
    expect([...(added.p_component_ids as string[])].sort()).toEqual(['c-depot', 'c-ear', 'c-plan', 'c-retainer']);
    const plan = await screen.findByRole('region', { name: 'Complex care plan created' });
    const units = within(plan).getByLabelText(/Units/);
    fireEvent.change(units, { target: { value: '12' } });
    fireEvent.blur(units);
    await waitFor(() => expect(callsOf(d, 'set_claim_line_units')).toEqual([{ name: 'set_claim_line_units', args: { p_line_id: 'line-c-plan', p_units: 12 } }]));
    // What the server worked out: 12 × £193.42, plus the retainer's £1,500.00 in the claim's total.
    await waitFor(() => expect(within(plan).getByTestId('line-amount-line-c-plan').textContent).toBe('£2,321.04'));
    await waitFor(() => expect(screen.getByTestId('claim-total').textContent).toBe('£3,821.04'));
    expect(screen.getByTestId(`service-total-${CCP}`).textContent).toBe('£3,821.04');
    expect(screen.getByTestId('header-total').textContent).toBe('£3,821.04');
  });

  it('shows what the server answered, not a sum of its own', async () => {
    const d = filledDouble();
    // A server that rounds differently (or applies a tariff) is believed.
    const line = d.tables.claim_lines!.find((row) => row.id === 'line-c-plan')!;
    Object.assign(line, { units: 12, amount: 2400 });
    renderClaims(d, PAGE);
    const plan = await screen.findByRole('region', { name: 'Complex care plan created' });
    expect(within(plan).getByTestId('line-amount-line-c-plan').textContent).toBe('£2,400.00');
  });

  it('refuses units that are not a whole number without asking the database', async () => {
    const d = filledDouble();
    renderClaims(d, PAGE);
    const plan = await screen.findByRole('region', { name: 'Complex care plan created' });
    const units = within(plan).getByLabelText(/Units/);
    for (const typed of ['2.5', '-1', 'ten']) {
      fireEvent.change(units, { target: { value: typed } });
      fireEvent.keyDown(units, { key: 'Enter' });
      expect(await within(plan).findByText(/Enter a whole number of units/)).toBeTruthy();
    }
    expect(callsOf(d, 'set_claim_line_units')).toEqual([]);
  });

  it('retainer and Yes/No question are saved through their functions', async () => {
    const d = filledDouble();
    renderClaims(d, PAGE);
    const retainer = await screen.findByRole('region', { name: 'Care co-ordination retainer' });
    expect(within(retainer).getByText('Paid once per quarter; read before claiming.')).toBeTruthy();
    fireEvent.click(within(retainer).getByRole('checkbox', { name: 'I have read and understood this information' }));
    await waitFor(() => expect(callsOf(d, 'acknowledge_claim_retainer')).toEqual([{ name: 'acknowledge_claim_retainer', args: { p_line_id: 'line-c-retainer', p_acknowledged: true } }]));
    const toggle = screen.getByRole('switch', { name: QUESTIONS[0]!.question });
    expect(toggle.getAttribute('aria-checked')).toBe('false');
    // Yes/No is written beside the switch (readable), not inside it.
    const answerGroup = screen.getByRole('group', { name: QUESTIONS[0]!.question });
    expect(within(answerGroup).getByText('No')).toBeTruthy();
    fireEvent.click(toggle);
    await waitFor(() =>
      expect(callsOf(d, 'set_claim_answer')).toEqual([{ name: 'set_claim_answer', args: { p_claim_id: CLAIM_ID, p_question_id: 'q-staff', p_answer_yes: true } }]),
    );
    await waitFor(() => expect(screen.getByRole('switch', { name: QUESTIONS[0]!.question }).getAttribute('aria-checked')).toBe('true'));
    expect(within(screen.getByRole('group', { name: QUESTIONS[0]!.question })).getByText('Yes')).toBeTruthy();
  });

  it('Submit with problems lists them at the top and beside their line and question, and submits nothing', async () => {
    const d = filledDouble();
    const problems = [
      { rule: 'evidence_missing', message: 'Ear irrigation needs evidence for 3 units: add an attachment (or enter 0 units).', line_id: 'line-c-ear', service_id: CCP },
      { rule: 'question_not_yes', message: 'Confirm "Depot injections administered by qualified staff": switch the toggle to Yes.', question_id: 'q-staff', service_id: 'svc-depot' },
      { rule: 'patient_identifiable_data', message: 'An answer contains what looks like an NHS number: remove it.', question_id: null, line_id: null },
    ];
    d.validation = () => ({ ok: false, dry_run: true, problems, claim_number: 36001, status: 'draft', total: 0 });
    renderClaims(d, PAGE);
    fireEvent.click(await screen.findByRole('button', { name: 'Submit' }));
    const list = await screen.findByTestId('problem-list');
    expect(within(list).getAllByRole('listitem').map((item) => item.textContent)).toEqual(problems.map((p) => p.message));
    expect(screen.getByText('Claim 36001 cannot be submitted yet')).toBeTruthy();
    expect(within(lineRegion('Ear irrigation')).getByText(problems[0]!.message)).toBeTruthy();
    const question = screen.getByRole('group', { name: QUESTIONS[0]!.question });
    expect(within(question).getByText(problems[1]!.message)).toBeTruthy();
    expect(d.invokes).toEqual([{ name: 'validate-claim', body: { claim_id: CLAIM_ID } }]);
    expect(callsOf(d, 'submit_claim')).toEqual([]);
    expect(screen.queryByRole('dialog')).toBeNull();
    // A problem with a place links to it and takes the focus there; one without a place is plain text.
    expect(within(list).getAllByRole('link').map((link) => link.textContent)).toEqual([problems[0]!.message, problems[1]!.message]);
    fireEvent.click(within(list).getByRole('link', { name: problems[0]!.message }));
    expect(document.activeElement).toBe(lineRegion('Ear irrigation'));
    fireEvent.click(within(list).getByRole('link', { name: problems[1]!.message }));
    expect(document.activeElement).toBe(question);
    expect(screen.getByTestId('location').textContent).toBe(PAGE);
  });

  it('Submit without problems confirms, submits and shows the summary with the Claim ID', async () => {
    const d = filledDouble();
    d.rpc({ name: 'set_claim_line_units', args: { p_line_id: 'line-c-plan', p_units: 12 } });
    renderClaims(d, PAGE);
    fireEvent.click(await screen.findByRole('button', { name: 'Submit' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getAllByText('Submit claim 36001?').length).toBeGreaterThan(0);
    expect(callsOf(d, 'submit_claim')).toEqual([]);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Submit' }));
    await waitFor(() => expect(callsOf(d, 'submit_claim')).toEqual([{ name: 'submit_claim', args: { p_claim_id: CLAIM_ID, p_dry_run: false } }]));
    expect(await screen.findByRole('heading', { level: 1, name: 'Claim 36001 submitted' })).toBeTruthy();
    expect(screen.getByTestId('location').textContent).toBe(`${PAGE}/summary`);
    expect(screen.getByTestId('summary-total').textContent).toBe('£3,821.04');
    expect(screen.getByText('Your practice’s Provider Approver approves it next.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Back to Claims' }).getAttribute('href')).toBe('/ZP1001/claims');
    const claimed = await screen.findByRole('table', { name: 'What was claimed' });
    // Each line: the component with its service beneath it in one cell (three columns fit a phone).
    const planRow = (await within(claimed).findByText('Complex care plan created')).closest('tr')!;
    expect(within(planRow).getByText('Complex Care Plans 2025/26')).toBeTruthy();
    expect(within(claimed).getAllByRole('columnheader').map((cell) => cell.textContent)).toEqual(['Component', 'Units', 'Amount']);
  });

  it('asks the database’s dry run when validate-claim cannot be reached', async () => {
    const d = filledDouble();
    d.validation = () => ({ ok: false, dry_run: true, problems: [{ rule: 'no_lines', message: 'From the dry run.' }], claim_number: 36001, status: 'draft', total: 0 });
    renderClaims(d, PAGE);
    setClaimsBackend({
      invoke: async () => ({ data: null, error: Object.assign(new Error('Failed to send a request to the Edge Function'), { name: 'FunctionsFetchError' }) }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Submit' }));
    expect(await within(await screen.findByTestId('problem-list')).findByText('From the dry run.')).toBeTruthy();
    expect(callsOf(d, 'submit_claim')).toEqual([{ name: 'submit_claim', args: { p_claim_id: CLAIM_ID, p_dry_run: true } }]);
  });

  it('refuses a file over 5 MB or of a type the line does not accept before sending anything', async () => {
    const d = filledDouble();
    renderClaims(d, PAGE);
    const ear = await screen.findByRole('region', { name: 'Ear irrigation' });
    expect(within(ear).getByText('Accepted files: .pdf, .docx, at most 5 MB each.', { exact: false })).toBeTruthy();
    const input = within(ear).getByTestId('evidence-file-input');
    const big = new File(['x'], 'audit.pdf', { type: 'application/pdf' });
    Object.defineProperty(big, 'size', { value: 6 * 1024 * 1024 });
    fireEvent.change(input, { target: { files: [big] } });
    expect(await within(ear).findByText(/audit.pdf is 6.0 MB: files can be at most 5 MB/)).toBeTruthy();
    fireEvent.change(input, { target: { files: [new File(['x'], 'sheet.xlsx')] } });
    expect(await within(ear).findByText('sheet.xlsx is not an accepted file type here: use .pdf, .docx.')).toBeTruthy();
    expect(d.uploads).toEqual([]);
    expect(callsOf(d, 'record_claim_evidence')).toEqual([]);
  });

  it('uploads an accepted file under the line’s folder and records it', async () => {
    const d = filledDouble();
    renderClaims(d, PAGE);
    const ear = await screen.findByRole('region', { name: 'Ear irrigation' });
    fireEvent.change(within(ear).getByTestId('evidence-file-input'), { target: { files: [new File(['%PDF'], 'Practice letter (final).pdf')] } });
    await waitFor(() => expect(callsOf(d, 'record_claim_evidence')).toHaveLength(1));
    const path = d.uploads[0]!.objectPath;
    expect(path).toMatch(new RegExp(`^${orgId('ZP1001')}/${CLAIM_ID}/line-c-ear/[a-z0-9]+-[a-z0-9]+-Practice-letter-final\\.pdf$`));
    expect(callsOf(d, 'record_claim_evidence')[0]!.args).toEqual({ p_line_id: 'line-c-ear', p_object_path: path, p_original_name: 'Practice letter (final).pdf' });
    expect(await within(ear).findByText('Practice letter (final).pdf')).toBeTruthy();
    expect(within(ear).getByText('Awaiting system review')).toBeTruthy();
  });

  it('Delete asks first; Cancel keeps the claim, confirming deletes it and returns to Claims', async () => {
    const d = filledDouble();
    renderClaims(d, PAGE);
    fireEvent.click(await screen.findByRole('button', { name: 'Delete' }));
    let dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText(/as if it had never been started/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(callsOf(d, 'delete_claim')).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    // The first dialog may still be closing: the newest is the last.
    await waitFor(() => expect(screen.getAllByRole('button', { name: 'Delete the claim' }).length).toBeGreaterThan(0));
    dialog = screen.getAllByRole('dialog').at(-1)!;
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete the claim' }));
    await waitFor(() => expect(callsOf(d, 'delete_claim')).toEqual([{ name: 'delete_claim', args: { p_claim_id: CLAIM_ID } }]));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/ZP1001/claims'));
  });

  it('Remove All asks first, then removes every line', async () => {
    const d = filledDouble();
    renderClaims(d, PAGE);
    fireEvent.click(await screen.findByRole('button', { name: 'Remove All' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove All' }));
    await waitFor(() => expect(callsOf(d, 'remove_claim_lines')).toEqual([{ name: 'remove_claim_lines', args: { p_claim_id: CLAIM_ID } }]));
  });

  it('shows a returned claim’s reason prominently', async () => {
    const d = filledDouble();
    Object.assign(d.tables.claim_overview![0]!, { returned_reason: 'The system review refused scan.pdf: contains an NHS number' });
    renderClaims(d, PAGE);
    expect(await screen.findByText('This claim was returned to you')).toBeTruthy();
    expect(screen.getByText('The system review refused scan.pdf: contains an NHS number')).toBeTruthy();
  });

  it('read-only for a submitted claim: no inputs, files by their review state, the status timeline', async () => {
    const d = filledDouble();
    Object.assign(d.tables.claim_overview![0]!, { status: 'pending_tier1_review', submitted_at: '2025-10-02T11:00:00Z' });
    d.tables.claim_lines!.find((row) => row.id === 'line-c-ear')!.units = 3;
    d.tables.claim_evidence!.push(
      { id: 'f1', claim_id: CLAIM_ID, line_id: 'line-c-ear', object_path: 'p/c/l/letter.pdf', original_name: 'letter.pdf', size_bytes: 4096, scan_status: 'clean', scan_reason: null, uploaded_at: '2025-10-02T10:00:00Z' },
      { id: 'f2', claim_id: CLAIM_ID, line_id: 'line-c-ear', object_path: 'p/c/l/scan.pdf', original_name: 'scan.pdf', size_bytes: 4096, scan_status: 'quarantined', scan_reason: 'contains an NHS number', uploaded_at: '2025-10-02T10:05:00Z' },
    );
    renderClaims(d, PAGE, VIEWER);
    const ear = await screen.findByRole('region', { name: 'Ear irrigation' });
    expect(within(ear).getByText('3')).toBeTruthy();
    expect(within(ear).queryByRole('textbox')).toBeNull();
    expect(within(ear).getByText('Refused: contains an NHS number')).toBeTruthy();
    expect(within(ear).queryByRole('button', { name: 'Download scan.pdf' })).toBeNull();
    expect(within(ear).queryByRole('button', { name: /Delete/ })).toBeNull();
    fireEvent.click(within(ear).getByRole('button', { name: 'Download letter.pdf' }));
    await waitFor(() => expect(d.downloads).toEqual(['p/c/l/letter.pdf']));
    expect(screen.queryByRole('button', { name: 'Submit' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Add All components to the claim' })).toBeNull();
    const timeline = screen.getByRole('region', { name: 'Status timeline' });
    expect(await within(timeline).findByText('Draft → Pending Provider Approval')).toBeTruthy();
    expect(within(timeline).getByText('02/10/2025 12:00')).toBeTruthy(); // 11:00 UTC is noon in London (BST)
    expect(within(timeline).getAllByText('by Pat Practice')).toHaveLength(2);
    expect(within(timeline).getByText('Reason: Quarantined: scan.pdf: contains an NHS number')).toBeTruthy();
  });

  it('a Provider Approver approves after a confirmation, and reads the database’s refusal', async () => {
    const d = filledDouble();
    Object.assign(d.tables.claim_overview![0]!, { status: 'pending_provider_approval' });
    d.refuse.approve_claim_as_provider = { code: '42501', message: 'You submitted claim 36001: another Provider Approver must approve it.' };
    renderClaims(d, PAGE, APPROVER);
    fireEvent.click(await screen.findByRole('button', { name: 'Approve' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Approve the claim' }));
    await waitFor(() => expect(callsOf(d, 'approve_claim_as_provider')).toEqual([{ name: 'approve_claim_as_provider', args: { p_claim_id: CLAIM_ID } }]));
    expect(await screen.findByText(/You submitted claim 36001: another Provider Approver must approve it./)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Submit' })).toBeNull();
  });

  it('a Provider Approver returns a claim only with a reason', async () => {
    const d = filledDouble();
    Object.assign(d.tables.claim_overview![0]!, { status: 'pending_provider_approval' });
    renderClaims(d, PAGE, APPROVER);
    fireEvent.click(await screen.findByRole('button', { name: 'Return' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Return the claim' }));
    expect(await within(dialog).findByText('Give a reason for returning the claim.')).toBeTruthy();
    expect(callsOf(d, 'return_claim')).toEqual([]);
    fireEvent.change(within(dialog).getByLabelText('Reason'), { target: { value: '  Q3 care plans are 10, not 12.  ' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Return the claim' }));
    await waitFor(() => expect(callsOf(d, 'return_claim')).toEqual([{ name: 'return_claim', args: { p_claim_id: CLAIM_ID, p_reason: 'Q3 care plans are 10, not 12.' } }]));
  });

  it('a practice member without Claim Submitter gets no Approve and no editing on a draft', async () => {
    const d = filledDouble();
    renderClaims(d, PAGE, VIEWER);
    await screen.findByRole('region', { name: 'Complex care plan created' });
    expect(screen.queryByRole('button', { name: 'Submit' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(screen.queryByLabelText(/Units/)).toBeNull();
  });

  it('opens a claim of another of the person’s practices in that practice’s context', async () => {
    const d = createClaimsDouble({ claim_overview: [claimRow({ provider_ods_code: 'ZP1002', provider_id: orgId('ZP1002') })] });
    const both = { ...VIEWER, memberships: [...VIEWER.memberships, { ...VIEWER.memberships[0]!, membership_id: 'm2', organisation_id: orgId('ZP1002'), ods_code: 'ZP1002', name: 'Bridge Street Surgery' }] };
    renderClaims(d, PAGE, both);
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe(`/ZP1002/claims/${CLAIM_ID}`));
  });
});
