// Journeys of people administration (issue 5, journeys c and e), in Chromium
// against a fresh stack with the demo data; nothing is mocked.
//   (c) Alex Admin (Northshire) invites a new Approver Tier 1 reviewer through
//       the wizard; the invitee follows the link from the mailbox, sets a
//       password on /accept-invitation and signs in, landing in ZN1.
//   (e) Alex Admin disables Taylor Tier-One's account ("Left the
//       organisation"); Taylor can no longer sign in and is told why.
// Every step is photographed (test-results/users-*.png) and checked with axe.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, JOURNEY_CLOSE_TIMEOUT, JOURNEY_START_TIMEOUT, startJourney, type Journey } from '../harness.ts';

const ADMIN = 'icb.admin@northshire.example';
const INVITEE = 'riley.reviewer@northshire.example';
const INVITEE_PASSWORD = 'Riverside-Reviewer-7';
const TAYLOR = 'tier1@northshire.example';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

describe('people administration journeys', () => {
  let journey: Journey;

  beforeAll(async () => {
    journey = await startJourney('users');
  }, JOURNEY_START_TIMEOUT);

  afterAll(async () => {
    await journey?.close();
  }, JOURNEY_CLOSE_TIMEOUT);

  /** Screenshot and axe check of the current page, under one name. */
  async function record(page: Page, name: string): Promise<void> {
    // From the top: a full-page shot of a scrolled page draws the sticky header mid-page.
    await page.evaluate(() => window.scrollTo(0, 0));
    await journey.screenshot(page, name);
    await journey.checkAccessibility(page, name);
  }

  async function stepTo(page: Page, title: string): Promise<void> {
    await page.getByRole('button', { name: /Next$/ }).click();
    await page.locator('.ant-steps-item-active', { hasText: title }).waitFor({ timeout: 15_000 });
  }

  it('(c) an administrator invites a Tier 1 reviewer, who sets a password from the emailed link and signs in to ZN1', async () => {
    const admin = await journey.newPage();
    await journey.signIn(admin, ADMIN);
    await journey.goto(admin, '/ZN1/users');
    await admin.getByRole('link', { name: 'Taylor Tier-One' }).waitFor({ timeout: 30_000 });
    await record(admin, 'users-c-01-list');

    await admin.getByRole('button', { name: /Invite user/ }).click();
    await journey.waitForPath(admin, '/ZN1/users/invite');
    const email = admin.getByLabel('Email address');
    await email.waitFor({ timeout: 30_000 });
    await record(admin, 'users-c-02-invite-email');

    // A generic mailbox is refused with an explanation, before the database sees it.
    await email.fill('reception@northshire.example');
    await admin.getByRole('button', { name: /Next$/ }).click();
    await admin.getByText(/looks like a generic or shared mailbox/).waitFor({ timeout: 15_000 });
    await record(admin, 'users-c-03-invite-generic-mailbox');

    await email.fill(INVITEE);
    await stepTo(admin, 'Name');
    await admin.getByLabel('Full name').fill('Riley Reviewer');
    await record(admin, 'users-c-04-invite-name');

    await stepTo(admin, 'Organisation');
    // The current context's organisation is chosen already.
    await admin.locator('.ant-select-selection-item', { hasText: 'ZN1 – NHS Northshire ICB' }).waitFor({ timeout: 15_000 });
    await record(admin, 'users-c-05-invite-organisation');

    await stepTo(admin, 'Roles');
    // Both approver roles: the segregation-of-duties rule stops the wizard.
    await admin.getByRole('checkbox', { name: 'Approver Tier 1' }).check();
    await admin.getByRole('checkbox', { name: 'Approver Tier 2' }).check();
    await admin.getByRole('button', { name: /Next$/ }).click();
    await admin.getByText(/Untick one of them/).waitFor({ timeout: 15_000 });
    await record(admin, 'users-c-06-invite-roles-segregation');
    await admin.getByRole('checkbox', { name: 'Approver Tier 2' }).uncheck();

    await stepTo(admin, 'Review');
    const review = admin.locator('.ant-descriptions');
    await expect.poll(() => review.innerText()).toContain(INVITEE);
    expect(await review.innerText()).toContain('Riley Reviewer');
    expect(await review.innerText()).toContain('NHS Northshire ICB (ZN1)');
    expect(await review.innerText()).toContain('Approver Tier 1');
    await record(admin, 'users-c-07-invite-review');

    const sentAt = new Date();
    await admin.getByRole('button', { name: /Send invitation/ }).click();
    await journey.waitForPath(admin, new RegExp(`^/ZN1/users/${UUID}$`));
    await admin.getByText('We have emailed riley.reviewer@northshire.example a link to set a password.').first().waitFor({ timeout: 30_000 });
    await record(admin, 'users-c-08-invitation-sent');

    const [invited] = await journey.sql<{ id: string; status: string; roles: string[]; ods_code: string }[]>`
      select p.id, p.status::text, m.roles::text[] as roles, o.ods_code
      from public.profiles p join public.memberships m on m.profile_id = p.id join public.organisations o on o.id = m.organisation_id
      where p.email = ${INVITEE}`;
    expect(invited).toMatchObject({ status: 'invited', roles: ['approver_tier_1'], ods_code: 'ZN1' });
    expect(journey.pathname(admin)).toBe(`/ZN1/users/${invited!.id}`);
    await journey.assertNoProblems(admin);
    await admin.context().close();

    // The invitee opens the link from the mailbox: it signs them in on /accept-invitation.
    const mail = await journey.latestMail(INVITEE, 'invite', { since: new Date(sentAt.getTime() - 1_000) });
    const link = mail.links.find((l) => l.includes('/auth/v1/verify'));
    expect(link, `links in the invitation: ${mail.links.join(', ')}`).toBeDefined();
    expect(decodeURIComponent(link!)).toContain('/accept-invitation');

    const invitee = await journey.newPage();
    await invitee.goto(link!, { waitUntil: 'domcontentloaded' });
    await journey.waitForPath(invitee, '/accept-invitation');
    await invitee.getByRole('heading', { name: 'Set your password' }).waitFor({ timeout: 30_000 });
    await invitee.getByText(/Welcome, Riley Reviewer/).waitFor({ timeout: 15_000 });
    await record(invitee, 'users-c-09-accept-invitation');

    await invitee.getByLabel('New password', { exact: true }).fill('tooshort');
    await invitee.getByLabel('Confirm the new password').fill('tooshort');
    await invitee.getByRole('button', { name: 'Set password and continue' }).click();
    await invitee.getByText('The password does not meet the rule below.').waitFor({ timeout: 15_000 });
    await record(invitee, 'users-c-10-accept-invitation-rule');

    await invitee.getByLabel('New password', { exact: true }).fill(INVITEE_PASSWORD);
    await invitee.getByLabel('Confirm the new password').fill(INVITEE_PASSWORD);
    await invitee.getByRole('button', { name: 'Set password and continue' }).click();
    await journey.waitForPath(invitee, (p) => p === '/ZN1' || p.startsWith('/ZN1/'));
    await record(invitee, 'users-c-11-signed-in-after-accepting');
    const [accepted] = await journey.sql<{ status: string }[]>`select status::text from public.profiles where email = ${INVITEE}`;
    expect(accepted?.status).toBe('active');
    await journey.assertNoProblems(invitee);

    // Next time: sign in with the new password, straight into the ZN1 context.
    await journey.signOut(invitee);
    await journey.signIn(invitee, INVITEE, INVITEE_PASSWORD);
    await journey.waitForPath(invitee, (p) => p === '/ZN1' || p.startsWith('/ZN1/'));
    await record(invitee, 'users-c-12-signed-in-with-password');
    await journey.assertNoProblems(invitee);
  }, 300_000);

  it('(e) an administrator disables an account and that person can no longer sign in', async () => {
    const admin = await journey.newPage();
    await journey.signIn(admin, ADMIN);
    await journey.goto(admin, '/ZN1/users');
    await admin.getByPlaceholder('Search by name or email').fill('Taylor');
    await admin.getByRole('button', { name: /Search/ }).click();
    await expect.poll(() => admin.locator('tbody tr.ant-table-row').count(), { timeout: 15_000 }).toBe(1);
    await record(admin, 'users-e-01-search');

    await admin.getByRole('link', { name: 'Taylor Tier-One' }).click();
    await journey.waitForPath(admin, new RegExp(`^/ZN1/users/${UUID}$`));
    await admin.getByRole('heading', { name: 'Taylor Tier-One' }).waitFor({ timeout: 30_000 });
    await record(admin, 'users-e-02-user-page');

    // On the way: role editing shows the segregation-of-duties rule and will not save Tier 1 + Tier 2.
    await admin.getByRole('button', { name: 'Edit roles at NHS Northshire ICB' }).click();
    const roles = admin.getByRole('dialog');
    await roles.getByRole('checkbox', { name: 'Approver Tier 2' }).check();
    await roles.getByText(/Untick one of them/).waitFor({ timeout: 15_000 });
    expect(await roles.getByRole('button', { name: 'Save roles' }).isDisabled()).toBe(true);
    await record(admin, 'users-e-03-edit-roles-segregation');
    await roles.getByRole('button', { name: 'Cancel' }).click();
    await roles.waitFor({ state: 'hidden', timeout: 15_000 });

    await admin.getByRole('button', { name: /Disable account/ }).click();
    const modal = admin.getByRole('dialog');
    await modal.getByText('Disable the account of Taylor Tier-One?').waitFor({ timeout: 15_000 });
    await modal.getByRole('radio', { name: 'Left the organisation' }).check();
    await record(admin, 'users-e-04-disable-dialog');
    await modal.getByRole('button', { name: 'Disable account' }).click();

    const reason = admin.locator('.ant-descriptions-item', { hasText: 'Disabled because' });
    await reason.waitFor({ timeout: 30_000 });
    expect(await reason.innerText()).toContain('Left the organisation');
    await admin.getByRole('button', { name: /Enable account/ }).waitFor({ timeout: 15_000 });
    await record(admin, 'users-e-05-disabled');

    const [taylor] = await journey.sql<{ status: string; disable_reason: string; banned: boolean }[]>`
      select p.status::text, p.disable_reason::text, u.banned_until > now() as banned
      from public.profiles p join auth.users u on u.id = p.id where p.email = ${TAYLOR}`;
    expect(taylor).toEqual({ status: 'disabled', disable_reason: 'left_organisation', banned: true });
    await journey.assertNoProblems(admin);
    await admin.context().close();

    // Taylor tries to sign in: refused with a clear message, still on the sign-in page.
    const person = await journey.newPage();
    await journey.goto(person, '/login');
    journey.allowApiFailures(person, /^4\d\d POST .*\/auth\/v1\/token\?grant_type=password/);
    await person.getByLabel('Email', { exact: true }).fill(TAYLOR);
    await person.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await person.getByRole('button', { name: 'Sign in', exact: true }).click();
    await person.getByText('This account has been disabled').first().waitFor({ timeout: 30_000 });
    expect(journey.pathname(person)).toBe('/login');
    await record(person, 'users-e-06-sign-in-refused');
    await journey.assertNoProblems(person);
  }, 240_000);
});
