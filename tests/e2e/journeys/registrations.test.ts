// Journeys (a) and (b) of issue 5, in Chromium against a fresh stack with the
// demo data (../shared/docs/demo-data.md): the pending registrations of Dana
// Newadmin (ZS1 User Administrator: only the Support Desk decides), Nina
// Newman (ZP1002 Claim Submitter) and "Reception Team" (a generic mailbox at
// ZP1003) are decided through the portal, the applicants are emailed, and an
// approved person signs in. Every page visited is screenshotted
// (test-results/registrations-*.png) and checked with axe.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, JOURNEY_CLOSE_TIMEOUT, JOURNEY_START_TIMEOUT, startJourney, type Journey } from '../harness.ts';

const DANA = 'new.admin@southvale.example';
const NINA = 'new.manager@bridgestreet.example';
const RECEPTION = 'reception@milllane.example';
const REJECTION_REASON =
  'reception@milllane.example is shared by the team. Please ask each member of staff to register with their own NHS email address.';

describe('registrations journeys', () => {
  let journey: Journey;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    journey = await startJourney('registrations');
    for (const email of [DANA, NINA, RECEPTION]) {
      const [row] = await journey.sql<{ id: string; status: string }[]>`
        select id, status::text from public.profiles where email = ${email}`;
      expect(row?.status, `${email} should be a pending registration in the demo data`).toBe('pending');
      ids[email] = row!.id;
    }
  }, JOURNEY_START_TIMEOUT);

  afterAll(async () => {
    await journey?.close();
  }, JOURNEY_CLOSE_TIMEOUT);

  async function statusOf(email: string): Promise<{ status: string; rejection_reason: string | null }> {
    const [row] = await journey.sql<{ status: string; rejection_reason: string | null }[]>`
      select status::text, rejection_reason from public.profiles where email = ${email}`;
    return row!;
  }

  /** Serious or critical axe findings, collected so that one page does not hide the rest of the journey. */
  const axeFailures: string[] = [];

  /** Screenshot and axe for the page as it is now. */
  async function record(page: Page, step: string) {
    // Away from the last button clicked: a hover colour is neither what the page looks like nor what axe should judge.
    await page.mouse.move(0, 0);
    await journey.screenshot(page, `registrations-${step}`);
    await journey.checkAccessibility(page, `registrations-${step}`).catch((error: Error) => {
      axeFailures.push(error.message);
    });
  }

  function queueRow(page: Page, name: string) {
    return page.locator('.ant-table-tbody tr.ant-table-row', { hasText: name });
  }

  it('(a) the Support Desk approves Dana Newadmin and decides nothing else', async () => {
    const page = await journey.newPage();
    await journey.signIn(page, 'support.desk@cqrs-demo.example');
    await journey.waitForPath(page, (p) => p.startsWith('/support'));
    await record(page, 'a-01-support-home');

    await journey.goto(page, '/support/registrations');
    await page.getByRole('heading', { name: 'Registrations' }).waitFor();
    // The Support Desk sees every pending registration, with the flags.
    await queueRow(page, 'Dana Newadmin').waitFor();
    await expect(queueRow(page, 'Dana Newadmin').getByText('Support Desk approves').count()).resolves.toBe(1);
    await expect(queueRow(page, 'Reception Team').getByText('Generic mailbox').count()).resolves.toBe(1);
    await expect(queueRow(page, 'Nina Newman').count()).resolves.toBe(1);
    const registered = await queueRow(page, 'Dana Newadmin').locator('time').innerText();
    expect(registered).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    await record(page, 'a-02-queue');

    await queueRow(page, 'Dana Newadmin').getByRole('button', { name: 'Review the registration of Dana Newadmin' }).click();
    await journey.waitForPath(page, `/support/registrations/${ids[DANA]}`);
    await page.getByText(DANA).first().waitFor();
    await page.getByText('Only the Support Desk approves this request').waitFor();
    await page.getByText('NHS Southvale ICB (ZS1)').first().waitFor();
    await record(page, 'a-03-review');

    const since = new Date();
    await page.getByRole('button', { name: 'Approve' }).click();
    const dialog = page.getByRole('dialog');
    await page.locator('.ant-modal-confirm-title', { hasText: 'Approve this registration?' }).waitFor();
    await dialog.getByText(/Dana Newadmin \(new\.admin@southvale\.example\) will be able to sign in and use NHS Southvale ICB \(ZS1\) as User Administrator/).waitFor();
    await record(page, 'a-04-confirm-approval');
    await dialog.getByRole('button', { name: 'Approve' }).click();

    await journey.waitForPath(page, '/support/registrations');
    await page.getByText('Registration approved').first().waitFor();
    await queueRow(page, 'Nina Newman').waitFor();
    await expect.poll(() => queueRow(page, 'Dana Newadmin').count()).toBe(0);
    await expect(queueRow(page, 'Reception Team').count()).resolves.toBe(1);
    await record(page, 'a-05-approved');

    // Dana is active; nothing else was decided.
    await expect(statusOf(DANA)).resolves.toMatchObject({ status: 'active' });
    await expect(statusOf(NINA)).resolves.toMatchObject({ status: 'pending' });
    await expect(statusOf(RECEPTION)).resolves.toMatchObject({ status: 'pending' });
    const [membership] = await journey.sql<{ status: string; roles: string[] }[]>`
      select m.status::text, m.roles::text[] as roles from public.memberships m
      join public.organisations o on o.id = m.organisation_id
      where m.profile_id = ${ids[DANA]!} and o.ods_code = 'ZS1'`;
    expect(membership).toEqual({ status: 'active', roles: ['user_administrator'] });

    const mail = await journey.latestMail(DANA, 'registration_approved', { since });
    expect(mail.subject).toBe('Your registration has been approved');
    expect(mail.text).toContain('You can now sign in');
    await journey.assertNoProblems(page);
    await page.context().close();
    expect(axeFailures).toEqual([]);
  }, 240_000);

  it('(b) the Northshire admin rejects the generic mailbox with a reason and approves Nina Newman, who then signs in', async () => {
    axeFailures.length = 0;
    const danaBefore = await statusOf(DANA);
    const page = await journey.newPage();
    await journey.signIn(page, 'icb.admin@northshire.example');
    await journey.waitForPath(page, (p) => p.startsWith('/ZN1'));
    await record(page, 'b-01-admin-home');

    await journey.goto(page, '/ZN1/registrations');
    await queueRow(page, 'Nina Newman').waitFor();
    await queueRow(page, 'Reception Team').waitFor();
    // Dana's request (Southvale, and administrator roles: the Support Desk's) is not the Northshire admin's.
    await expect(queueRow(page, 'Dana Newadmin').count()).resolves.toBe(0);
    await record(page, 'b-02-queue');

    // Reject the generic mailbox: Approve is not offered, the reason is required.
    await queueRow(page, 'Reception Team').getByRole('button', { name: 'Review the registration of Reception Team' }).click();
    await journey.waitForPath(page, `/ZN1/registrations/${ids[RECEPTION]}`);
    await page.getByText('Generic or shared mailbox: this registration cannot be approved').waitFor();
    await expect(page.getByRole('button', { name: 'Approve' }).isDisabled()).resolves.toBe(true);
    await record(page, 'b-03-review-generic-mailbox');

    await page.getByRole('button', { name: 'Reject' }).click();
    const rejectDialog = page.getByRole('dialog');
    const reason = rejectDialog.getByLabel('Reason');
    await reason.waitFor();
    await expect(reason.inputValue()).resolves.toContain('reception@milllane.example is a shared mailbox');
    await reason.fill('');
    await rejectDialog.getByRole('button', { name: 'Reject' }).click();
    await rejectDialog.getByText('Give a reason: the person will read it.').waitFor();
    await reason.fill(REJECTION_REASON);
    await rejectDialog.getByText(`${REJECTION_REASON.length} of 500 characters`).waitFor();
    await record(page, 'b-04-reject-with-reason');

    const rejectedSince = new Date();
    await rejectDialog.getByRole('button', { name: 'Reject' }).click();
    await journey.waitForPath(page, '/ZN1/registrations');
    await page.getByText('Registration rejected').first().waitFor();
    await expect.poll(() => queueRow(page, 'Reception Team').count()).toBe(0);
    await record(page, 'b-05-rejected');
    await expect(statusOf(RECEPTION)).resolves.toEqual({ status: 'rejected', rejection_reason: REJECTION_REASON });

    // Approve Nina Newman after the confirmation.
    await queueRow(page, 'Nina Newman').getByRole('button', { name: 'Review the registration of Nina Newman' }).click();
    await journey.waitForPath(page, `/ZN1/registrations/${ids[NINA]}`);
    await page.getByText(NINA).first().waitFor();
    await page.getByText('Bridge Street Surgery (ZP1002)').first().waitFor();
    await record(page, 'b-06-review-nina');

    const approvedSince = new Date();
    await page.getByRole('button', { name: 'Approve' }).click();
    const confirm = page.getByRole('dialog');
    await confirm.getByText(/Nina Newman \(new\.manager@bridgestreet\.example\) will be able to sign in and use Bridge Street Surgery \(ZP1002\) as Claim Submitter/).waitFor();
    await record(page, 'b-07-confirm-approval');
    await confirm.getByRole('button', { name: 'Approve' }).click();
    await journey.waitForPath(page, '/ZN1/registrations');
    await page.getByText('Registration approved').first().waitFor();
    await page.getByText('No registrations are waiting for you').waitFor();
    await record(page, 'b-08-queue-empty');
    await expect(statusOf(NINA)).resolves.toMatchObject({ status: 'active' });
    // Nobody else was touched.
    await expect(statusOf(DANA)).resolves.toEqual(danaBefore);

    // Both applicants are emailed.
    const rejection = await journey.latestMail(RECEPTION, 'registration_rejected', { since: rejectedSince });
    expect(rejection.subject).toBe('Your registration has been rejected');
    expect(rejection.text).toContain(REJECTION_REASON);
    const approval = await journey.latestMail(NINA, 'registration_approved', { since: approvedSince });
    expect(approval.subject).toBe('Your registration has been approved');
    await journey.assertNoProblems(page);

    await journey.signOut(page);
    await page.context().close();

    // Nina signs in, in her own browser, and reaches her practice.
    const nina = await journey.newPage();
    await journey.signIn(nina, NINA, DEMO_PASSWORD);
    await journey.waitForPath(nina, (p) => p === '/ZP1002' || p.startsWith('/ZP1002/'));
    await nina.getByText('Bridge Street Surgery').first().waitFor();
    await record(nina, 'b-09-nina-signed-in');
    await journey.assertNoProblems(nina);
    await nina.context().close();
    expect(axeFailures).toEqual([]);
  }, 300_000);

  it('(access request) the Northshire admin approves a practice user’s request for access to another practice', async () => {
    axeFailures.length = 0;
    const pat = 'practice.user@riverside.example';
    const [bridgeStreet] = await journey.sql<{ id: string }[]>`select id from public.organisations where ods_code = 'ZP1002'`;

    // Pat asks through the API, as the profile page does (request_access), with her own token.
    const { apiUrl, anonKey } = journey.stack;
    const token = await fetch(`${apiUrl}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { apikey: anonKey, 'content-type': 'application/json' },
      body: JSON.stringify({ email: pat, password: DEMO_PASSWORD }),
    });
    expect(token.status).toBe(200);
    const { access_token } = (await token.json()) as { access_token: string };
    const requested = await fetch(`${apiUrl}/rest/v1/rpc/request_access`, {
      method: 'POST',
      headers: { apikey: anonKey, authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ p_organisation_id: bridgeStreet!.id, p_roles: ['claim_submitter'] }),
    });
    expect(requested.status, await requested.clone().text()).toBe(200);
    const { id: membershipId } = (await requested.json()) as { id: string };

    const page = await journey.newPage();
    await journey.signIn(page, 'icb.admin@northshire.example');
    await journey.goto(page, '/ZN1/access-requests');
    await queueRow(page, 'Pat Practice').waitFor();
    await expect(queueRow(page, 'Pat Practice').getByText('Bridge Street Surgery').count()).resolves.toBe(1);
    await record(page, 'c-01-access-requests');

    await queueRow(page, 'Pat Practice').getByRole('button', { name: 'Review the access request of Pat Practice' }).click();
    await journey.waitForPath(page, `/ZN1/access-requests/${membershipId}`);
    await page.getByText('Bridge Street Surgery (ZP1002)').first().waitFor();
    await record(page, 'c-02-review-access-request');

    const since = new Date();
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('dialog').getByText(/Pat Practice \(practice\.user@riverside\.example\) will be able to use Bridge Street Surgery \(ZP1002\) as Claim Submitter/).waitFor();
    await record(page, 'c-03-confirm-approval');
    await page.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();
    await journey.waitForPath(page, '/ZN1/access-requests');
    await page.getByText('Access request approved').first().waitFor();
    await page.getByText('No access requests are waiting for you').waitFor();
    await record(page, 'c-04-approved');

    const [membership] = await journey.sql<{ status: string }[]>`select status::text from public.memberships where id = ${membershipId}`;
    expect(membership).toEqual({ status: 'active' });
    const mail = await journey.latestMail(pat, 'access_request_approved', { since });
    expect(mail.subject).toBe('Access to Bridge Street Surgery (ZP1002) approved');
    await journey.assertNoProblems(page);
    await page.context().close();
    expect(axeFailures).toEqual([]);
  }, 240_000);

  // Last, so that the queues above hold only the demo data's registrations.
  it('(registration) a visitor registers for Hill Top Surgery and is told who will approve', async () => {
    axeFailures.length = 0;
    const email = 'hana.hilltop@hilltop.example';
    const page = await journey.newPage();
    await journey.goto(page, '/register');
    await page.getByRole('heading', { name: 'Register for an account' }).waitFor();
    await record(page, 'r-01-register');

    // What the form refuses before anything is sent.
    await page.getByLabel('Full name').fill('Hana Hilltop');
    await page.getByLabel('Personal work email address').fill('reception@hilltop.example');
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByLabel('Confirm password').fill('short');
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByText(/looks like a shared or generic mailbox/).waitFor();
    await page.getByText('The password needs at least 12 characters.', { exact: false }).waitFor();
    await page.getByText('Choose your organisation.').waitFor();
    await record(page, 'r-02-register-refusals');

    await page.getByLabel('Personal work email address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill('Hill-Top-Pass-1');
    await page.getByLabel('Confirm password').fill('Hill-Top-Pass-1');
    const organisation = page.getByLabel('Organisation');
    await organisation.click();
    await organisation.fill('ZP1004');
    await page.getByTitle('ZP1004 – Hill Top Surgery').click();
    await page.getByRole('checkbox', { name: 'Claim Submitter' }).check();
    await page.getByText(/Your request will go to the User Administrators of the commissioner responsible for Hill Top Surgery \(ZP1004\)/).waitFor();
    await record(page, 'r-03-register-filled');

    await page.getByRole('button', { name: 'Register' }).click();
    await journey.waitForPath(page, '/register/confirmation');
    await page.getByText(`We have sent a confirmation link to ${email}.`).waitFor();
    await record(page, 'r-04-confirmation');

    const mail = await journey.latestMail(email, 'signup');
    expect(mail.links.some((link) => link.includes('/auth/v1/verify'))).toBe(true);
    const [row] = await journey.sql<{ status: string; ods_code: string; roles: string[] }[]>`
      select p.status::text, o.ods_code, m.roles::text[] as roles
      from public.profiles p join public.memberships m on m.profile_id = p.id join public.organisations o on o.id = m.organisation_id
      where p.email = ${email}`;
    expect(row).toEqual({ status: 'pending', ods_code: 'ZP1004', roles: ['claim_submitter'] });
    await journey.assertNoProblems(page);
    await page.context().close();
    expect(axeFailures).toEqual([]);
  }, 240_000);
});
