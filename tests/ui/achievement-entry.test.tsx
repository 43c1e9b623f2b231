// UI test of an achievement's page (Record Achievement): the indicator-group
// summary "submitted n of m" from the view, the group entry with Current
// values and New Values, the browser's checks (whole numbers ≥ 0, both parts
// of a percentage, numerator ≤ denominator) before anything is sent, Save Work
// in Progress (saved, not submitted: the summary does not move) against Submit
// Achievement Data (confirmation listing what is submitted, then the
// database's points and payment), the database's refusal shown as it said it,
// Discard New Values, the read-only page quoting the adjustment rule, and View.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import {
  achievementRow,
  callsOf,
  createAchievementDouble,
  IIF,
  renderAchievement,
  resetAchievement,
  valueRow,
  VIEWER,
  type AchievementDouble,
} from './achievement-harness.tsx';

afterEach(resetAchievement);

const PAGE = '/ZP1001/achievement/a-dec';

/** 31/12/2025: CAIP01 submitted once (40 of 50); CAIP02 and IIF not yet. */
function seeded(extra: Partial<Record<string, Record<string, unknown>[]>> = {}): AchievementDouble {
  const d = createAchievementDouble({
    achievements: [achievementRow('a-dec', '2025-12-31', { status: 'submitted', version: 1, submitted_at: '2025-12-01T09:00:00Z', submitted_by: 'profile-pat', points: 48, payment: 9504, calculated_at: '2025-12-01T09:00:01Z' })],
    achievement_values: [valueRow('a-dec', 'i-caip01', { numerator: 40, denominator: 50, submitted: true })],
    achievement_submissions: [
      { id: 'sub-1', achievement_id: 'a-dec', version: 1, source: 'manual', submitted_at: '2025-12-01T09:00:00Z', submitted_by: 'profile-pat', notes: 'First figures from the practice survey.', points: 48, payment: 9504 },
    ],
    ...(extra as Record<string, Record<string, unknown>[]>),
  });
  (d as AchievementDouble & { recount: () => void }).recount();
  return d;
}

const summary = () => screen.getByRole('table', { name: 'Indicator groups: submitted of possible' });
const indicator = (code: string) => screen.getByTestId(`indicator-${code}`);
const type = (label: string, value: string) => {
  const input = screen.getByLabelText(label);
  fireEvent.change(input, { target: { value } });
  fireEvent.blur(input);
};

describe('An achievement’s page (UI test with doubles)', { timeout: 30_000 }, () => {
  it('shows the groups’ "n of m" and what is missing, and the group’s Current values and New Values', async () => {
    const d = seeded();
    renderAchievement(d, PAGE);
    expect(await screen.findByRole('heading', { level: 1, name: 'Network Contract DES 2025/26: 31 Dec 2025' })).toBeTruthy();
    await screen.findByTestId('group-count-CAIP');
    expect(within(summary()).getByTestId('group-count-CAIP').textContent).toBe('1 of 2');
    expect(within(summary()).getByTestId('group-count-IIF').textContent).toBe('0 of 2');
    const caipRow = within(summary()).getByText('Capacity and Access Improvement Payment').closest('tr')!;
    expect(within(caipRow).getByText('CAIP02')).toBeTruthy();
    // The first group is shown: CAIP01's current (submitted) values, CAIP02 not submitted.
    expect(screen.getByRole('heading', { level: 2, name: 'CAIP – Capacity and Access Improvement Payment' })).toBeTruthy();
    expect(within(indicator('CAIP01')).getByTestId('current-CAIP01').textContent).toBe('40 / 50 (80.00%)');
    expect(within(indicator('CAIP02')).getByTestId('current-CAIP02').textContent).toBe('Not submitted');
    expect(within(indicator('CAIP01')).getByText(/Percentage: numerator ÷ denominator; up to 60 points at £198.00 per point/)).toBeTruthy();
    expect(within(indicator('CAIP01')).getByText('None (0%–100%)')).toBeTruthy();
    expect(await screen.findByLabelText('Numerator for CAIP01')).toBeTruthy();
    // The database's figures and the submission history with its notes and who submitted.
    expect(screen.getByTestId('achievement-payment').textContent).toBe('£9,504.00');
    const history = screen.getByRole('table', { name: 'Submissions' });
    expect(within(history).getByText('v1')).toBeTruthy();
    expect(within(history).getByText('First figures from the practice survey.')).toBeTruthy();
    expect(await within(history).findByText('Pat Practice')).toBeTruthy();
    expect(within(history).getByText('Manual entry')).toBeTruthy();
  });

  it('checks the New Values in the browser and sends nothing while one breaks a rule', async () => {
    const d = seeded();
    renderAchievement(d, PAGE);
    await screen.findByLabelText('Numerator for CAIP01');
    type('Numerator for CAIP01', '60');
    type('Denominator for CAIP01', '50');
    expect(await within(indicator('CAIP01')).findByText('The numerator cannot be more than the denominator.')).toBeTruthy();
    type('Numerator for CAIP02', '2.5');
    expect(await within(indicator('CAIP02')).findByText('Enter a whole number, 0 or more.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save Work in Progress' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Correct the values marked below first: nothing was saved. (CAIP01, CAIP02)');
    type('Numerator for CAIP02', '-3');
    expect(await within(indicator('CAIP02')).findByText('Enter a whole number, 0 or more.')).toBeTruthy();
    // Only one part of a percentage.
    type('Numerator for CAIP02', '3');
    expect(await within(indicator('CAIP02')).findByText('Enter both the numerator and the denominator (or neither).')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Submit Achievement Data' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('(CAIP01, CAIP02)'));
    expect(callsOf(d, 'save_achievement_values')).toEqual([]);
    expect(callsOf(d, 'submit_achievement')).toEqual([]);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('Save Work in Progress saves the New Values (all groups) without submitting: "n of m" does not move', async () => {
    const d = seeded();
    renderAchievement(d, PAGE);
    await screen.findByLabelText('Numerator for CAIP02');
    type('Numerator for CAIP02', '45');
    type('Denominator for CAIP02', '50');
    expect(within(indicator('CAIP02')).getByText('makes 90.00%')).toBeTruthy();
    // Another group: typed values of the first are kept while switching.
    fireEvent.click(within(summary()).getByRole('button', { name: 'Enter data: IIF' }));
    await screen.findByRole('heading', { level: 2, name: 'IIF – Investment and Impact Fund' });
    expect(within(indicator('ACC-08')).getByText('85%–90%')).toBeTruthy();
    expect(within(indicator('ACC-08')).getByText('Network indicator: scored on the PCN’s total')).toBeTruthy();
    expect(within(indicator('VI-01')).getByText('Count: £10.06 per unit')).toBeTruthy();
    type('Count for VI-01', '120');
    type('Eligible patients (group value)', '900');
    fireEvent.click(screen.getByRole('button', { name: 'Save Work in Progress' }));
    await waitFor(() =>
      expect(callsOf(d, 'save_achievement_values')).toEqual([
        {
          name: 'save_achievement_values',
          args: {
            p_achievement_id: 'a-dec',
            p_values: [
              { indicator_id: 'i-caip02', numerator: 45, denominator: 50, count: null },
              { indicator_id: 'i-vi01', numerator: null, denominator: null, count: 120 },
            ],
            p_group_values: [{ group_id: IIF, value: 900 }],
          },
        },
      ]),
    );
    expect(callsOf(d, 'submit_achievement')).toEqual([]);
    expect((await screen.findByTestId('achievement-feedback')).textContent).toContain('Saved as work in progress');
    // Kept, not submitted: the summary still counts what was submitted.
    await waitFor(() => expect(within(summary()).getByTestId('group-pending-CAIP').textContent).toBe('1'));
    expect(within(summary()).getByTestId('group-count-CAIP').textContent).toBe('1 of 2');
    expect(within(summary()).getByTestId('group-count-IIF').textContent).toBe('0 of 2');
    expect(screen.getByTestId('achievement-state').textContent).toContain('New Values pending');
    // The saved New Values come back into the inputs.
    expect((screen.getByLabelText('Count for VI-01') as HTMLInputElement).value).toBe('120');
  });

  it('Submit Achievement Data confirms what is submitted, submits with the notes and shows the database’s figures', async () => {
    const d = seeded();
    d.figures = { points: 96, payment: 19008 };
    renderAchievement(d, PAGE);
    await screen.findByLabelText('Numerator for CAIP02');
    type('Numerator for CAIP02', '45');
    type('Denominator for CAIP02', '50');
    fireEvent.change(screen.getByLabelText('Submission notes'), { target: { value: 'Survey results for Q3.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Submit Achievement Data' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getAllByText('Submit achievement data for 31/12/2025?').length).toBeGreaterThan(0);
    const listed = within(dialog).getByTestId('submit-summary');
    expect(listed.textContent).toContain('CAIP · CAIP02: 45 / 50 (not submitted before)');
    expect(listed.textContent).not.toContain('CAIP01');
    expect(listed.textContent).toContain('Notes: Survey results for Q3.');
    // The typed values were saved first (so the database checked them), nothing submitted yet.
    expect(callsOf(d, 'save_achievement_values')).toHaveLength(1);
    expect(callsOf(d, 'submit_achievement')).toEqual([]);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Submit' }));
    await waitFor(() => expect(callsOf(d, 'submit_achievement')).toEqual([{ name: 'submit_achievement', args: { p_achievement_id: 'a-dec', p_notes: 'Survey results for Q3.' } }]));
    const feedback = await screen.findByTestId('achievement-feedback');
    expect(feedback.textContent).toContain('Submitted as version 2.');
    expect(within(feedback).getByTestId('submitted-figures').textContent).toBe('Points: 96. Payment: £19,008.00.');
    await waitFor(() => expect(within(summary()).getByTestId('group-count-CAIP').textContent).toBe('2 of 2'));
    expect(screen.getByTestId('achievement-payment').textContent).toBe('£19,008.00');
    expect(within(screen.getByRole('table', { name: 'Submissions' })).getByText('Survey results for Q3.')).toBeTruthy();
    expect((screen.getByLabelText('Submission notes') as HTMLTextAreaElement).value).toBe('');
  });

  it('Cancel in the confirmation submits nothing (the values stay saved as work in progress)', async () => {
    const d = seeded();
    renderAchievement(d, PAGE);
    await screen.findByLabelText('Numerator for CAIP02');
    type('Numerator for CAIP02', '30');
    type('Denominator for CAIP02', '50');
    fireEvent.click(screen.getByRole('button', { name: 'Submit Achievement Data' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(within(summary()).getByTestId('group-pending-CAIP').textContent).toBe('1'));
    expect(callsOf(d, 'submit_achievement')).toEqual([]);
    expect(within(summary()).getByTestId('group-count-CAIP').textContent).toBe('1 of 2');
  });

  it('New Values equal to the current ones are nothing to submit', async () => {
    const d = seeded();
    renderAchievement(d, PAGE);
    await screen.findByLabelText('Numerator for CAIP01');
    type('Numerator for CAIP01', '40');
    type('Denominator for CAIP01', '50');
    fireEvent.click(screen.getByRole('button', { name: 'Submit Achievement Data' }));
    expect((await screen.findByTestId('achievement-feedback')).textContent).toContain('There are no New Values to submit: enter them first.');
    expect(callsOf(d, 'save_achievement_values')).toEqual([]);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('emptying a value clears it: the confirmation lists it as cleared', async () => {
    const d = seeded({
      achievement_values: [valueRow('a-dec', 'i-caip01', { numerator: 40, denominator: 50, submitted: true, new_numerator: 41, new_denominator: 50, has_new: true })],
    });
    renderAchievement(d, PAGE);
    expect(((await screen.findByLabelText('Numerator for CAIP01')) as HTMLInputElement).value).toBe('41');
    type('Numerator for CAIP01', '');
    type('Denominator for CAIP01', '');
    fireEvent.click(screen.getByRole('button', { name: 'Submit Achievement Data' }));
    const dialog = await screen.findByRole('dialog');
    expect(callsOf(d, 'save_achievement_values')[0]!.args.p_values).toEqual([{ indicator_id: 'i-caip01', numerator: null, denominator: null, count: null }]);
    expect(within(dialog).getByTestId('submit-summary').textContent).toContain('CAIP · CAIP01: cleared (was 40 / 50)');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    // Saved as work in progress (a pending clear), not submitted.
    await waitFor(() => expect(within(summary()).getByTestId('group-pending-CAIP').textContent).toBe('1'));
    expect(callsOf(d, 'submit_achievement')).toEqual([]);
  });

  it('shows the database’s message when it refuses (identical data; a value it rejects)', async () => {
    const d = seeded();
    d.refuse.submit_achievement = { code: 'PT409', message: 'The data is identical to the previous submission (version 1): change a value before submitting.' };
    renderAchievement(d, PAGE);
    await screen.findByLabelText('Numerator for CAIP01');
    type('Numerator for CAIP01', '41');
    type('Denominator for CAIP01', '50');
    fireEvent.click(screen.getByRole('button', { name: 'Submit Achievement Data' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Submit' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The achievement data was not submitted');
    expect(alert.textContent).toContain('The data is identical to the previous submission (version 1): change a value before submitting.');

    d.refuse.save_achievement_values = { code: '22023', message: 'CAIP02: the denominator must be at least 1 for this indicator.', hint: 'Enter the number of patients surveyed.' };
    type('Numerator for CAIP02', '0');
    type('Denominator for CAIP02', '0');
    fireEvent.click(screen.getByRole('button', { name: 'Save Work in Progress' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('CAIP02: the denominator must be at least 1 for this indicator. Enter the number of patients surveyed.'));
  });

  it('Discard New Values asks first, then clears them', async () => {
    const d = seeded({
      achievement_values: [
        valueRow('a-dec', 'i-caip01', { numerator: 40, denominator: 50, submitted: true }),
        valueRow('a-dec', 'i-caip02', { new_numerator: 5, new_denominator: 10, has_new: true }),
      ],
    });
    d.tables.achievements![0]!.has_new_values = true;
    renderAchievement(d, PAGE);
    expect(((await screen.findByLabelText('Numerator for CAIP02')) as HTMLInputElement).value).toBe('5');
    fireEvent.click(await screen.findByRole('button', { name: 'Discard New Values' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText(/the submitted \(current\) values stay as they are/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Discard New Values' }));
    await waitFor(() => expect(callsOf(d, 'discard_achievement_work')).toEqual([{ name: 'discard_achievement_work', args: { p_achievement_id: 'a-dec' } }]));
    await waitFor(() => expect((screen.getByLabelText('Numerator for CAIP02') as HTMLInputElement).value).toBe(''));
  });

  it('is read-only, quoting the adjustment rule, when the database says the caller may not change it', async () => {
    const d = seeded({
      achievement_values: [
        valueRow('a-dec', 'i-caip01', { numerator: 40, denominator: 50, submitted: true }),
        valueRow('a-dec', 'i-caip02', { new_numerator: 5, new_denominator: 10, has_new: true }),
      ],
    });
    d.changeProblem = 'Data for the last day of the payment period (31/03/2026) has been submitted.';
    renderAchievement(d, PAGE);
    const notice = await screen.findByTestId('read-only');
    expect(notice.textContent).toContain('This achievement cannot be changed');
    expect(notice.textContent).toContain('The adjustment rule that applies: “Data for the last day of the payment period (31/03/2026) has been submitted.”');
    expect(callsOf(d, 'achievement_change_problem')).toEqual([{ name: 'achievement_change_problem', args: { p_achievement_id: 'a-dec' } }]);
    expect(screen.getByTestId('current-CAIP01').textContent).toBe('40 / 50 (80.00%)');
    // New Values pending are shown as such; none pending: nothing said about them.
    expect(screen.getByTestId('new-CAIP02').textContent).toBe('New Values saved (work in progress): 5 / 10');
    expect(screen.queryByTestId('new-CAIP01')).toBeNull();
    expect(screen.queryByLabelText('Numerator for CAIP01')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Save Work in Progress' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Submit Achievement Data' })).toBeNull();
    // Groups can still be looked at.
    fireEvent.click(within(summary()).getByRole('button', { name: 'View: IIF' }));
    expect(await screen.findByRole('heading', { level: 2, name: 'IIF – Investment and Impact Fund' })).toBeTruthy();
  });

  it('View reads the achievement without its money and cannot change it', async () => {
    const d = seeded();
    renderAchievement(d, PAGE, VIEWER);
    expect(await screen.findByText('Your roles at Riverside Medical Centre let you read this achievement, not enter or amend it.')).toBeTruthy();
    await screen.findByTestId('current-CAIP01');
    expect(screen.queryByLabelText('Numerator for CAIP01')).toBeNull();
    expect(screen.queryByTestId('achievement-payment')).toBeNull();
    expect(within(screen.getByRole('table', { name: 'Submissions' })).queryByText('£9,504.00')).toBeNull();
    expect(callsOf(d, 'achievement_change_problem')).toEqual([]);
  });
});
