// UI test of the commissioner's claims review (issue 13) with doubles: each
// queue lists only its step's status and only the steps the caller holds,
// filters narrow it, Approve selected sends the chosen ids with the tab's
// status and shows the database's answer claim by claim; the review page
// shows the band and why, earlier approvers, files by their review state,
// the notes and reasons written on the claim, Approve (an optional note; the
// database's refusal) and Decline (reason required) only for the role of the
// claim's current step; a reviewer opening /claims/<id> lands on the review
// page.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import * as claimsReview from '../../src/resources/claims-review/index.tsx';
import * as claims from '../../src/resources/claims/index.tsx';
import type { RpcCall } from './organisations-test-harness.tsx';
import { accessWith, membership } from './organisations-test-harness.tsx';
import { CLAIM_ID, callsOf, claimRow, COMPONENTS, createClaimsDouble, orgId, renderClaims, resetClaims, type ClaimsDouble } from './claims-harness.tsx';

afterEach(resetClaims);

const AREAS = [claims, claimsReview];
const TAYLOR = accessWith(membership('ZN1', ['approver_tier_1']));
const JORDAN = accessWith(membership('ZN1', ['approver_tier_2']));
const MORGAN = accessWith(membership('ZN1', ['finance']));
/** Tier 2 and Finance held together (allowed: only Tier 1 with Tier 2 is refused). */
const TIER2_AND_FINANCE = accessWith(membership('ZN1', ['approver_tier_2', 'finance']));

const ZN1 = orgId('ZN1');
function waiting(id: string, claim_number: number, status: string, extra: Record<string, unknown> = {}) {
  return claimRow({
    id,
    claim_number,
    status,
    total: 1000,
    services: 'Depot Antipsychotic Injections 2025/26',
    periods: 'Q3 2025/26',
    submitted_at: '2025-10-05T09:00:00Z',
    ...extra,
  });
}

/** The seed's queues in miniature. */
function queueDouble(): ClaimsDouble {
  return createClaimsDouble({
    claim_overview: [
      waiting('c-36004', 36004, 'pending_tier1_review', { provider_ods_code: 'ZP1002', provider_id: orgId('ZP1002'), provider_name: 'Bridge Street Surgery', submitted_at: '2025-10-06T09:00:00Z', services: 'Complex Care Plans 2025/26', total: 20000, risk_band: 'medium' }),
      waiting('c-36010', 36010, 'pending_tier1_review', { provider_ods_code: 'ZP1004', provider_name: 'Hill Top Surgery', submitted_at: '2025-10-04T09:00:00Z', total: 250, risk_band: 'low' }),
      waiting('c-36007', 36007, 'pending_tier2_review', { risk_band: 'low' }),
      waiting('c-36005', 36005, 'pending_finance_approval', { total: 62640, risk_band: 'high' }),
      waiting('c-36006', 36006, 'approved_for_payment', { risk_band: 'low' }),
    ],
    // No `claims` table: the queue reads the band from claim_overview (a read of claims would fail here).
  });
}

/** Answer review_claims and decline_claim as the database would, the rest as the claims double does. */
function answering(d: ClaimsDouble, reviewClaims: (call: RpcCall) => unknown) {
  const inner = d.rpc;
  d.rpc = (call) => (call.name === 'review_claims' && !d.refuse.review_claims ? { data: reviewClaims(call), error: null } : inner(call));
}

const claimIdsShown = () =>
  screen
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row).queryByRole('link')?.textContent)
    .filter(Boolean);

describe('Claims review queues (UI test with doubles)', { timeout: 30_000 }, () => {
  it('Tier 1 sees only the claims waiting for Tier 1, oldest submitted first, and no other step’s tab', async () => {
    const d = queueDouble();
    renderClaims(d, '/ZN1/claims-review', TAYLOR, AREAS);
    expect(await screen.findByRole('tab', { name: 'Tier 1 (2)' })).toBeTruthy();
    expect(screen.queryByRole('tab', { name: /Tier 2/ })).toBeNull();
    expect(screen.queryByRole('tab', { name: /Finance/ })).toBeNull();
    await waitFor(() => expect(claimIdsShown()).toEqual(['36010', '36004']));
    expect(screen.getByText('Bridge Street Surgery (ZP1002)')).toBeTruthy();
    expect(screen.getByTestId('total-c-36004').textContent).toBe('£20,000.00');
    expect(await screen.findByText('Medium')).toBeTruthy();
    // Only the statuses of the steps held were asked for.
    const asked = d.listCalls.find((call) => call.resource === 'claim_overview')!;
    expect(asked.filters).toEqual([{ field: 'status', operator: 'in', value: ['pending_tier1_review'] }]);
    // One read: the band comes with claim_overview.
    expect([...new Set(d.listCalls.map((call) => call.resource))]).toEqual(['claim_overview']);
  });

  it('someone holding Tier 2 and Finance gets both tabs with their counts, each with its own claims', async () => {
    renderClaims(queueDouble(), '/ZN1/claims-review', TIER2_AND_FINANCE, AREAS);
    expect(await screen.findByRole('tab', { name: 'Tier 2 (1)' })).toBeTruthy();
    expect(screen.getByRole('tab', { name: 'Finance (1)' })).toBeTruthy();
    expect(screen.queryByRole('tab', { name: /Tier 1/ })).toBeNull();
    await waitFor(() => expect(claimIdsShown()).toEqual(['36007']));
    fireEvent.click(screen.getByRole('tab', { name: 'Finance (1)' }));
    await waitFor(() => expect(claimIdsShown()).toEqual(['36005']));
    expect(screen.getByText('High')).toBeTruthy();
  });

  it('filters by service (text contains), provider and risk band', async () => {
    renderClaims(queueDouble(), '/ZN1/claims-review', TAYLOR, AREAS);
    await waitFor(() => expect(claimIdsShown()).toEqual(['36010', '36004']));
    const service = screen.getByLabelText('Service');
    fireEvent.change(service, { target: { value: 'complex' } });
    await waitFor(() => expect(claimIdsShown()).toEqual(['36004']));
    fireEvent.change(service, { target: { value: 'nothing like it' } });
    expect(await screen.findByText('No waiting claims match the filters.')).toBeTruthy();
    fireEvent.change(service, { target: { value: '' } });
    await waitFor(() => expect(claimIdsShown()).toEqual(['36010', '36004']));
    // The band filter (a combobox labelled by its text).
    const band = screen.getByRole('combobox', { name: 'Risk band' });
    fireEvent.mouseDown(band);
    fireEvent.click(await screen.findByTitle('Low'));
    await waitFor(() => expect(claimIdsShown()).toEqual(['36010']));
  });

  it('Approve selected sends the chosen ids with the tab’s status and shows which went through and why others did not', async () => {
    const d = queueDouble();
    answering(d, () => [
      { claim_id: 'c-36010', claim_number: 36010, ok: true, status: 'pending_tier2_review', message: 'Claim 36010: pending tier2 review.' },
      { claim_id: 'c-36004', claim_number: 36004, ok: false, status: null, message: 'Claim 36004 was already decided by Casey Cluster at 07/12/2026 20:40: it is now pending tier2 review.' },
    ]);
    renderClaims(d, '/ZN1/claims-review', TAYLOR, AREAS);
    const approve = await screen.findByRole('button', { name: 'Approve selected' });
    expect(approve.hasAttribute('disabled')).toBe(true);
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Select claim 36010' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select claim 36004' }));
    expect(screen.getByText('2 selected')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Approve selected' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getAllByText('Approve 2 claims at Tier 1?').length).toBeGreaterThan(0);
    // The optional note goes with each approval, trimmed.
    fireEvent.change(within(dialog).getByLabelText('Note (optional)'), { target: { value: '  Both checked against the register  ' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(callsOf(d, 'review_claims')).toHaveLength(1));
    const args = callsOf(d, 'review_claims')[0]!.args;
    expect([...(args.p_claim_ids as string[])].sort()).toEqual(['c-36004', 'c-36010']);
    expect(args.p_expected_status).toBe('pending_tier1_review');
    expect(args.p_note).toBe('Both checked against the register');
    expect(await screen.findByText('1 approved, 1 not approved')).toBeTruthy();
    expect(within(screen.getByTestId('result-c-36010')).getByText('Approved')).toBeTruthy();
    expect(within(screen.getByTestId('result-c-36010')).getByText('Claim 36010: pending tier2 review.')).toBeTruthy();
    expect(within(screen.getByTestId('result-c-36004')).getByText('Not approved')).toBeTruthy();
    expect(within(screen.getByTestId('result-c-36004')).getByText(/already decided by Casey Cluster/)).toBeTruthy();
  });

  it('a claim hidden by a filter is not sent', async () => {
    const d = queueDouble();
    answering(d, (call) => (call.args.p_claim_ids as string[]).map((id) => ({ claim_id: id, claim_number: 0, ok: true, status: 'pending_tier2_review', message: 'ok' })));
    renderClaims(d, '/ZN1/claims-review', TAYLOR, AREAS);
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Select claim 36010' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select claim 36004' }));
    fireEvent.change(screen.getByLabelText('Service'), { target: { value: 'complex' } });
    await waitFor(() => expect(screen.getByText('1 selected')).toBeTruthy());
    fireEvent.click(screen.getByRole('button', { name: 'Approve selected' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(callsOf(d, 'review_claims').map((call) => call.args.p_claim_ids)).toEqual([['c-36004']]));
    // No note written: none sent.
    expect(callsOf(d, 'review_claims')[0]!.args.p_note).toBeNull();
  });

  it('Select all ticks every claim shown (the filters respected); Clear selection unticks them', async () => {
    renderClaims(queueDouble(), '/ZN1/claims-review', TAYLOR, AREAS);
    await screen.findByRole('checkbox', { name: 'Select claim 36010' });
    fireEvent.click(screen.getByRole('button', { name: 'Select all shown (2)' }));
    expect(screen.getByText('2 selected')).toBeTruthy();
    expect((screen.getByRole('checkbox', { name: 'Select claim 36004' }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Clear selection' }));
    expect(screen.getByText('0 selected')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Service'), { target: { value: 'complex' } });
    fireEvent.click(await screen.findByRole('button', { name: 'Select all shown (1)' }));
    expect(screen.getByText('1 selected')).toBeTruthy();
    expect((screen.getByRole('checkbox', { name: 'Select claim 36004' }) as HTMLInputElement).checked).toBe(true);
  });
});

/** Claim 36005 (high band) waiting for Finance, with files in each review state. */
function reviewDouble(status = 'pending_finance_approval'): ClaimsDouble {
  const d = createClaimsDouble({
    claim_overview: [claimRow({ status, total: 62640, submitted_at: '2025-10-02T11:00:00Z', claim_number: 36005, services: 'Complex Care Plans 2025/26' })],
    claims: [
      {
        id: CLAIM_ID,
        commissioner_id: ZN1,
        risk_band: 'high',
        tier1_approved_at: '2025-10-03T10:00:00Z',
        tier2_approved_at: status === 'pending_finance_approval' ? '2025-10-04T10:00:00Z' : null,
        finance_approved_at: null,
      },
    ],
    commissioner_settings: [{ id: ZN1, organisation_id: ZN1, medium_risk_from: 15000, high_risk_from: 50000 }],
  });
  d.rpc({ name: 'add_claim_lines', args: { p_claim_id: CLAIM_ID, p_component_ids: COMPONENTS.map((c) => c.id) } });
  d.tables.claim_lines!.find((row) => row.id === 'line-c-ear')!.units = 3;
  // The database's total (the double's own sum of these few lines is smaller).
  d.tables.claim_overview![0]!.total = 62640;
  d.tables.claim_evidence!.push(
    { id: 'f1', claim_id: CLAIM_ID, line_id: 'line-c-ear', object_path: 'p/c/l/letter.pdf', original_name: 'letter.pdf', size_bytes: 4096, scan_status: 'clean', scan_reason: null, uploaded_at: '2025-10-02T10:00:00Z' },
    { id: 'f2', claim_id: CLAIM_ID, line_id: 'line-c-ear', object_path: 'p/c/l/scan.pdf', original_name: 'scan.pdf', size_bytes: 4096, scan_status: 'quarantined', scan_reason: 'contains an NHS number', uploaded_at: '2025-10-02T10:05:00Z' },
    { id: 'f3', claim_id: CLAIM_ID, line_id: 'line-c-ear', object_path: 'p/c/l/late.pdf', original_name: 'late.pdf', size_bytes: 4096, scan_status: 'pending', scan_reason: null, uploaded_at: '2025-10-02T10:06:00Z' },
  );
  const inner = d.rpc;
  d.rpc = (call) =>
    call.name === 'claim_timeline'
      ? {
          data: [
            { occurred_at: '2025-10-02T11:00:00Z', action: 'claim.submit', actor: 'Pat Practice', from_status: 'draft', to_status: 'pending_tier1_review', reason: null },
            { occurred_at: '2025-10-03T10:00:00Z', action: 'claim.approve', actor: 'Taylor Tier-One', from_status: 'pending_tier1_review', to_status: 'pending_tier2_review', reason: null },
            { occurred_at: '2025-10-04T10:00:00Z', action: 'claim.approve', actor: 'Jordan Tier-Two', from_status: 'pending_tier2_review', to_status: 'pending_finance_approval', reason: null },
          ],
          error: null,
        }
      : inner(call);
  return d;
}

const REVIEW_PAGE = `/ZN1/claims-review/${CLAIM_ID}`;

describe('The claim review page (UI test with doubles)', { timeout: 30_000 }, () => {
  it('shows the band and why, the earlier approvers, the lines and files by their review state', async () => {
    const d = reviewDouble();
    renderClaims(d, REVIEW_PAGE, MORGAN, AREAS);
    expect(await screen.findByRole('heading', { level: 1, name: 'Review claim 36005' })).toBeTruthy();
    await waitFor(() =>
      expect(screen.getByTestId('risk-reason').textContent).toBe('£62,640.00 is at or above the high band from £50,000.00: Finance approves after Tier 2.'),
    );
    await waitFor(() => expect(screen.getByTestId('approved-tier1').textContent).toBe('Approved by Taylor Tier-One at 03/10/2025 11:00'));
    expect(screen.getByTestId('approved-tier2').textContent).toBe('Approved by Jordan Tier-Two at 04/10/2025 11:00');
    expect(screen.getByTestId('approved-finance').textContent).toBe('Not yet');
    const ear = await screen.findByRole('region', { name: 'Ear irrigation' });
    expect(within(ear).getByText('3')).toBeTruthy();
    expect(within(ear).queryByRole('textbox')).toBeNull();
    expect(within(ear).getByText('Refused: contains an NHS number')).toBeTruthy();
    expect(within(ear).queryByRole('button', { name: 'Download scan.pdf' })).toBeNull();
    expect(within(ear).queryByRole('button', { name: 'Download late.pdf' })).toBeNull();
    fireEvent.click(within(ear).getByRole('button', { name: 'Download letter.pdf' }));
    await waitFor(() => expect(d.downloads).toEqual(['p/c/l/letter.pdf']));
    expect(await within(screen.getByRole('region', { name: 'Status timeline' })).findByText('Pending Tier 1 Review → Pending Tier 2 Review')).toBeTruthy();
  });

  it('names the band alone when the commissioner’s settings cannot be read', async () => {
    const d = reviewDouble();
    d.tables.commissioner_settings = [];
    renderClaims(d, REVIEW_PAGE, MORGAN, AREAS);
    await waitFor(() => expect(screen.getByTestId('risk-reason').textContent).toBe('The database set this band when the claim entered Tier 1 review.'));
    expect(screen.getByText('High')).toBeTruthy();
  });

  it('Finance approves the claim at its step, and reads the database’s refusal', async () => {
    const d = reviewDouble();
    answering(d, () => [
      { claim_id: CLAIM_ID, claim_number: 36005, ok: false, status: null, message: 'Claim 36005 was already decided by Fran Finance at 07/12/2026 20:41: it is now approved for payment.' },
    ]);
    renderClaims(d, REVIEW_PAGE, MORGAN, AREAS);
    fireEvent.click(await screen.findByRole('button', { name: 'Approve' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Approve the claim' }));
    await waitFor(() =>
      expect(callsOf(d, 'review_claims')).toEqual([
        { name: 'review_claims', args: { p_claim_ids: [CLAIM_ID], p_note: null, p_expected_status: 'pending_finance_approval' } },
      ]),
    );
    expect(await screen.findByText(/already decided by Fran Finance/)).toBeTruthy();
    expect(screen.getByText('The claim was not approved')).toBeTruthy();
  });

  it('Approve takes an optional note: over 1,000 characters it is refused before sending; written, it is sent trimmed', async () => {
    const d = reviewDouble();
    answering(d, () => [{ claim_id: CLAIM_ID, claim_number: 36005, ok: true, status: 'approved_for_payment', message: 'Claim 36005: approved for payment.' }]);
    renderClaims(d, REVIEW_PAGE, MORGAN, AREAS);
    fireEvent.click(await screen.findByRole('button', { name: 'Approve' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText(/where the other reviewers and the practice read it/)).toBeTruthy();
    const note = within(dialog).getByLabelText('Note (optional)');
    // The box stops at 1,000 characters; a longer text pasted past it is still refused by the form.
    fireEvent.change(note, { target: { value: 'x'.repeat(1001) } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Approve the claim' }));
    expect(await within(dialog).findByText('The note can have at most 1000 characters.')).toBeTruthy();
    expect(callsOf(d, 'review_claims')).toEqual([]);
    fireEvent.change(note, { target: { value: '  Finance checked the care plan register.  ' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Approve the claim' }));
    await waitFor(() =>
      expect(callsOf(d, 'review_claims')).toEqual([
        { name: 'review_claims', args: { p_claim_ids: [CLAIM_ID], p_note: 'Finance checked the care plan register.', p_expected_status: 'pending_finance_approval' } },
      ]),
    );
    expect(await screen.findByText('Claim 36005: approved for payment.')).toBeTruthy();
  });

  it('Notes and reasons gathers the approval notes, the return and decline reasons with who and when; the timeline says which is which', async () => {
    const d = reviewDouble();
    const inner = d.rpc;
    d.rpc = (call) =>
      call.name === 'claim_timeline'
        ? {
            data: [
              { occurred_at: '2025-10-01T09:00:00Z', action: 'claim.submit', actor: 'Pat Practice', from_status: 'draft', to_status: 'pending_provider_approval', reason: null },
              { occurred_at: '2025-10-01T10:00:00Z', action: 'claim.return', actor: 'Ash Approver', from_status: 'pending_provider_approval', to_status: 'draft', reason: 'Add the care plan log.' },
              { occurred_at: '2025-10-02T09:00:00Z', action: 'claim.tier_one_approve', actor: 'Taylor Tier-One', from_status: 'pending_tier1_review', to_status: 'pending_tier2_review', reason: null },
              { occurred_at: '2025-10-02T11:00:00Z', action: 'claim.decline', actor: 'Jordan Tier-Two', from_status: 'pending_tier2_review', to_status: 'declined', reason: 'Twelve plans, not twenty.' },
              { occurred_at: '2025-10-03T09:00:00Z', action: 'claim.tier_one_approve', actor: 'Taylor Tier-One', from_status: 'pending_tier1_review', to_status: 'pending_tier2_review', reason: 'Register checked again.' },
            ],
            error: null,
          }
        : inner(call);
    renderClaims(d, REVIEW_PAGE, MORGAN, AREAS);
    await waitFor(() => expect(screen.getAllByTestId('review-note')).toHaveLength(3));
    expect(screen.getAllByTestId('review-note').map((item) => item.textContent)).toEqual([
      'Reason for returning Ash Approver, 01/10/2025 11:00Add the care plan log.',
      'Reason for declining Jordan Tier-Two, 02/10/2025 12:00Twelve plans, not twenty.',
      'Approval note Taylor Tier-One, 03/10/2025 10:00Register checked again.',
    ]);
    const timeline = screen.getByRole('region', { name: 'Status timeline' });
    expect(within(timeline).getByText('Reason for returning: Add the care plan log.')).toBeTruthy();
    expect(within(timeline).getByText('Reason for declining: Twelve plans, not twenty.')).toBeTruthy();
    expect(within(timeline).getByText('Note: Register checked again.')).toBeTruthy();
  });

  it('says so when no note or reason has been written', async () => {
    renderClaims(reviewDouble(), REVIEW_PAGE, MORGAN, AREAS);
    expect(await screen.findByText('No notes or reasons on this claim yet.')).toBeTruthy();
  });

  it('declines only with a reason, and shows a refused decline', async () => {
    const d = reviewDouble();
    renderClaims(d, REVIEW_PAGE, MORGAN, AREAS);
    fireEvent.click(await screen.findByRole('button', { name: 'Decline' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Decline the claim' }));
    expect(await within(dialog).findByText('Give a reason for declining the claim.')).toBeTruthy();
    expect(callsOf(d, 'decline_claim')).toEqual([]);
    d.refuse.decline_claim = { code: '42501', message: 'You submitted claim 36005: someone else must decide it.' };
    fireEvent.change(within(dialog).getByLabelText('Reason'), { target: { value: '  Care plans double counted.  ' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Decline the claim' }));
    await waitFor(() =>
      expect(callsOf(d, 'decline_claim')).toEqual([
        { name: 'decline_claim', args: { p_claim_id: CLAIM_ID, p_reason: 'Care plans double counted.', p_expected_status: 'pending_finance_approval' } },
      ]),
    );
    expect(await screen.findByText(/You submitted claim 36005: someone else must decide it./)).toBeTruthy();
  });

  it('offers no Approve or Decline to someone without the role of the claim’s current step', async () => {
    renderClaims(reviewDouble(), REVIEW_PAGE, TAYLOR, AREAS);
    expect(await screen.findByText('Claim 36005 waits for Finance review, which your roles here do not hold.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Decline' })).toBeNull();
  });

  it('Tier 2 decides a claim waiting for Tier 2, and nothing is offered on a decided claim', async () => {
    const { unmount } = renderClaims(reviewDouble('pending_tier2_review'), REVIEW_PAGE, JORDAN, AREAS);
    expect(await screen.findByRole('button', { name: 'Approve' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Decline' })).toBeTruthy();
    unmount();
    resetClaims();
    renderClaims(reviewDouble('approved_for_payment'), REVIEW_PAGE, MORGAN, AREAS);
    await screen.findByRole('heading', { level: 1, name: 'Review claim 36005' });
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Decline' })).toBeNull();
  });

  it('a reviewer opening the claim’s practice address lands on the review page', async () => {
    renderClaims(reviewDouble(), `/ZN1/claims/${CLAIM_ID}`, MORGAN, AREAS);
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe(REVIEW_PAGE));
    expect(await screen.findByRole('heading', { level: 1, name: 'Review claim 36005' })).toBeTruthy();
  });
});
