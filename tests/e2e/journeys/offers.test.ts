// Journey of issue 6 (offers): Chris Commissioner (commissioner@northshire.example)
// offers "Learning Disability Health Checks 2025/26" (the demo service offered
// to nobody yet) to ZP1001 and ZP1002 through
// the five steps of the wizard; Pat Practice (ZP1001, Service Management)
// accepts; Bridge Street Surgery's Service Management (a person this journey
// adds to its own database as the seed adds demo people: ZP1002 has none)
// rejects with a reason; the commissioner reads the rejection in the message
// centre, withdraws the seeded offer of Complex Care Plans to ZP1004 and
// cancels ZP1001's accepted offer; Pat sees the cancellation. Every page is
// screenshotted (test-results/offers-*.png) and checked with axe.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, JOURNEY_CLOSE_TIMEOUT, JOURNEY_START_TIMEOUT, startJourney, type Journey } from '../harness.ts';

const COMMISSIONER = 'commissioner@northshire.example';
const PAT = 'practice.user@riverside.example';
const BRIDGE_STREET = 'service.manager@bridgestreet.example';
const HEALTH_CHECKS = 'Learning Disability Health Checks 2025/26';
const COMPLEX_CARE = 'Complex Care Plans 2025/26';
const REASON = 'No learning disability nurse to run the health checks until the new nurse starts in spring.';
const STEP_TIMEOUT = 150_000;

const axeFailures: string[] = [];

async function capture(journey: Journey, page: Page, name: string): Promise<void> {
  // Not hovering a button just clicked (antd's hover colours are not what the page shows at rest).
  await page.mouse.move(1, 700);
  await journey.screenshot(page, name);
  await journey.checkAccessibility(page, name).catch((error: Error) => {
    axeFailures.push(error.message);
  });
}

/** Types a DD/MM/YYYY date into the antd date picker labelled `label` and closes its panel. */
async function fillDate(page: Page, label: string, value: string): Promise<void> {
  const input = page.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(value);
  await input.press('Enter');
  await input.press('Tab');
}

/** The wizard's Next (not the date panel's "Next month"). */
function nextButton(page: Page) {
  return page.locator('button', { hasText: /^\s*Next\s*$/ });
}

async function offerOf(journey: Journey, service: string, ods: string) {
  const [row] = await journey.sql<{ id: string; status: string; withdrawn: boolean; decision_reason: string | null }[]>`
    select f.id, f.status::text as status, f.withdrawn, f.decision_reason
    from public.service_offers f
    join public.quality_services s on s.id = f.service_id
    join public.organisations o on o.id = f.provider_id
    where s.name = ${service} and o.ods_code = ${ods}
    order by f.offered_at desc
    limit 1`;
  return row;
}

describe('journey: offer a service, accept, reject, withdraw and cancel', () => {
  let journey: Journey;

  beforeAll(async () => {
    journey = await startJourney('offers');
    // Bridge Street Surgery (ZP1002) has no Service Management account in the demo data: add one the
    // way the seed adds demo people (announced with app.action), before the offer, so it is notified.
    await journey.sql.begin(async (tx) => {
      await tx`select set_config('app.action', 'seed', true)`;
      const [user] = await tx<{ id: string }[]>`
        insert into auth.users (
          instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
          confirmation_token, recovery_token, email_change_token_new, email_change, email_change_token_current,
          reauthentication_token, phone_change, phone_change_token,
          raw_app_meta_data, raw_user_meta_data, created_at, updated_at, is_sso_user, is_anonymous)
        values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated', ${BRIDGE_STREET},
          extensions.crypt(${DEMO_PASSWORD}, extensions.gen_salt('bf')), now(),
          '', '', '', '', '', '', '', '',
          '{"provider": "email", "providers": ["email"]}'::jsonb,
          jsonb_build_object('full_name', 'Blake Bridge', 'email_verified', true), now(), now(), false, false)
        returning id`;
      await tx`
        insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
        values (${user!.id}::text, ${user!.id}, jsonb_build_object('sub', ${user!.id}::text, 'email', ${BRIDGE_STREET}::text,
          'email_verified', true, 'phone_verified', false), 'email', null, now(), now())`;
      await tx`update public.profiles set status = 'active', status_changed_at = now() where id = ${user!.id}`;
      await tx`
        insert into public.memberships (profile_id, organisation_id, roles, status, decided_at)
        select ${user!.id}, o.id, '{service_management}'::public.app_role[], 'active', now()
        from public.organisations o where o.ods_code = 'ZP1002'`;
    });
  }, JOURNEY_START_TIMEOUT);

  afterAll(async () => {
    await journey?.close();
    expect(axeFailures, axeFailures.join('\n')).toEqual([]);
  }, JOURNEY_CLOSE_TIMEOUT);

  it(
    'the commissioner offers Learning Disability Health Checks to ZP1001 and ZP1002 in five steps',
    async () => {
      const page = await journey.newPage();
      await journey.signIn(page, COMMISSIONER);
      await journey.goto(page, '/ZN1/offered-services');
      await page.getByRole('link', { name: COMPLEX_CARE }).waitFor({ timeout: 30_000 });
      await capture(journey, page, 'offers-01-offered-services');

      await page.getByRole('button', { name: 'Offer a service' }).click();
      await journey.waitForPath(page, '/ZN1/offered-services/new');
      // Step 1: without a service, Next says so.
      await page.getByRole('radio', { name: HEALTH_CHECKS }).waitFor({ timeout: 30_000 });
      await nextButton(page).click();
      await page.getByText('Choose a service to offer.').waitFor();
      await page.getByRole('radio', { name: HEALTH_CHECKS }).check();
      await capture(journey, page, 'offers-02-wizard-service');
      await nextButton(page).click();

      // Step 2: the service's dates are suggested; a response date outside the service is refused.
      await page.getByText(`${HEALTH_CHECKS} runs from 01/04/2025 to 31/03/2026`).waitFor();
      expect(await page.getByLabel('Start date', { exact: true }).inputValue()).toBe('01/04/2025');
      await fillDate(page, 'Response date', '30/04/2026');
      await fillDate(page, 'Target date', '31/03/2026');
      await nextButton(page).click();
      await page.getByText('The response date must lie within the service’s dates (01/04/2025 to 31/03/2026)').waitFor();
      await journey.screenshot(page, 'offers-03-wizard-dates-refused');
      await fillDate(page, 'Response date', '31/05/2025');
      await capture(journey, page, 'offers-04-wizard-dates');
      await nextButton(page).click();

      // Step 3: providers, searched and ticked.
      const search = page.getByRole('searchbox', { name: 'Search providers by ODS code or name' });
      await search.waitFor();
      await nextButton(page).click();
      await page.getByText('Choose at least one provider.').waitFor();
      await search.fill('ZP100');
      await page.getByRole('checkbox', { name: 'Riverside Medical Centre (ZP1001)' }).check();
      await page.getByRole('checkbox', { name: 'Bridge Street Surgery (ZP1002)' }).check();
      await page.getByText('2 selected', { exact: true }).waitFor();
      await capture(journey, page, 'offers-05-wizard-providers');
      await nextButton(page).click();

      // Step 4: review, with links back to each step.
      await page.getByText('Check the offer.', { exact: false }).waitFor();
      const review = page.locator('.ant-descriptions');
      const reviewText = await review.innerText();
      for (const expected of [HEALTH_CHECKS, '01/04/2025', '31/03/2026', '31/05/2025', 'ZP1001', 'ZP1002']) expect(reviewText).toContain(expected);
      await page.getByRole('button', { name: 'Change the dates' }).waitFor();
      await page.getByRole('button', { name: 'Change the service' }).waitFor();
      await capture(journey, page, 'offers-06-wizard-review');
      await page.getByRole('button', { name: 'Change the providers' }).click();
      await page.getByText('2 selected', { exact: true }).waitFor();
      await nextButton(page).click();
      await nextButton(page).click();

      // Step 5: "Are you sure?", then one offer_service call.
      await page.getByText('Are you sure?').waitFor();
      await capture(journey, page, 'offers-07-wizard-confirm');
      await page.getByRole('button', { name: 'Yes, offer the service' }).click();
      const shown = await journey.waitForPath(page, /^\/ZN1\/offered-services\/[0-9a-f-]{36}$/);
      await page.getByRole('heading', { name: HEALTH_CHECKS }).waitFor();
      await page.getByRole('link', { name: 'ZP1002 Bridge Street Surgery' }).waitFor({ timeout: 30_000 });
      await capture(journey, page, 'offers-08-offered-service');

      const offers = await journey.sql<{ ods_code: string; status: string; respond_by: string }[]>`
        select o.ods_code, f.status::text as status, to_char(f.respond_by, 'YYYY-MM-DD') as respond_by
        from public.service_offers f join public.organisations o on o.id = f.provider_id
        where f.service_id = ${shown.split('/').at(-1)!} order by o.ods_code`;
      expect(offers).toEqual([
        { ods_code: 'ZP1001', status: 'offered', respond_by: '2025-05-31' },
        { ods_code: 'ZP1002', status: 'offered', respond_by: '2025-05-31' },
      ]);
      await journey.assertNoProblems(page);
      await journey.signOut(page);
    },
    STEP_TIMEOUT,
  );

  it(
    'Pat Practice (ZP1001) accepts the offer from My services',
    async () => {
      const page = await journey.newPage();
      await journey.signIn(page, PAT);
      await journey.goto(page, '/ZP1001/participation');
      await page.getByRole('link', { name: HEALTH_CHECKS }).waitFor({ timeout: 30_000 });
      await capture(journey, page, 'offers-09-my-services');
      await page.getByRole('link', { name: HEALTH_CHECKS }).click();
      await journey.waitForPath(page, /^\/ZP1001\/participation\/[0-9a-f-]{36}$/);
      await page.getByText('Annual health check completed').waitFor({ timeout: 30_000 });
      await capture(journey, page, 'offers-10-offer-details');
      await page.getByRole('button', { name: 'Accept' }).click();
      await page.getByRole('button', { name: 'Accept the offer' }).click();
      await page.getByText('Accepted on', { exact: false }).waitFor({ timeout: 30_000 });
      await capture(journey, page, 'offers-11-accepted');
      expect((await offerOf(journey, HEALTH_CHECKS, 'ZP1001'))?.status).toBe('approved');
      await journey.assertNoProblems(page);
      await journey.signOut(page);
    },
    STEP_TIMEOUT,
  );

  it(
    'Bridge Street Surgery’s Service Management rejects with a reason (required, at most 500 characters)',
    async () => {
      const page = await journey.newPage();
      await journey.signIn(page, BRIDGE_STREET);
      await journey.goto(page, '/ZP1002/participation');
      await page.getByRole('link', { name: HEALTH_CHECKS }).click({ timeout: 30_000 });
      await journey.waitForPath(page, /^\/ZP1002\/participation\/[0-9a-f-]{36}$/);
      await page.getByRole('button', { name: 'Reject' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: 'Reject the offer' }).click();
      await dialog.getByText('Give a reason for rejecting the offer.').waitFor();
      await dialog.getByLabel('Reason').fill(REASON);
      await dialog.getByText(`${REASON.length} / 500 characters`).waitFor();
      await capture(journey, page, 'offers-12-reject-dialog');
      await dialog.getByRole('button', { name: 'Reject the offer' }).click();
      await page.getByText('Rejected on', { exact: false }).waitFor({ timeout: 30_000 });
      await capture(journey, page, 'offers-13-rejected');
      const offer = await offerOf(journey, HEALTH_CHECKS, 'ZP1002');
      expect(offer?.status).toBe('rejected');
      expect(offer?.decision_reason).toBe(REASON);
      await journey.assertNoProblems(page);
      await journey.signOut(page);
    },
    STEP_TIMEOUT,
  );

  it(
    'the commissioner reads the rejection, withdraws the offer to ZP1004 and cancels ZP1001’s accepted one',
    async () => {
      const page = await journey.newPage();
      await journey.signIn(page, COMMISSIONER);
      await journey.goto(page, '/ZN1');
      await page.getByText(`Offer rejected: ${HEALTH_CHECKS}`).first().waitFor({ timeout: 30_000 });
      await capture(journey, page, 'offers-14-message-centre');

      await journey.goto(page, '/ZN1/offered-services?year=2025/26');
      await page.getByRole('link', { name: HEALTH_CHECKS }).waitFor({ timeout: 30_000 });
      // A mixed selection: neither button works, and the rule is said. (Complex Care Plans' card: ZP1003 and
      // ZP1004 also have accepted Depot offers, on Depot's card.)
      const complexCare = page.locator('.ant-card', { has: page.getByRole('link', { name: COMPLEX_CARE }) });
      await complexCare.getByRole('checkbox', { name: 'Select Hill Top Surgery (ZP1004)' }).check();
      await complexCare.getByRole('checkbox', { name: 'Select Mill Lane Practice (ZP1003)' }).check();
      await page.getByText('Only offered services can be withdrawn', { exact: false }).waitFor();
      expect(await page.getByRole('button', { name: 'Withdraw' }).isDisabled()).toBe(true);
      expect(await page.getByRole('button', { name: 'Cancel offer' }).isDisabled()).toBe(true);
      await capture(journey, page, 'offers-15-mixed-selection');
      await complexCare.getByRole('checkbox', { name: 'Select Mill Lane Practice (ZP1003)' }).uncheck();

      await page.getByRole('button', { name: 'Withdraw' }).click();
      await page.getByRole('dialog').getByText('Hill Top Surgery', { exact: false }).waitFor();
      await capture(journey, page, 'offers-16-withdraw-confirm');
      await page.getByRole('button', { name: 'Withdraw 1' }).click();
      await page.getByText('Offer withdrawn; the provider has been told.').waitFor({ timeout: 30_000 });
      await expect.poll(async () => (await offerOf(journey, COMPLEX_CARE, 'ZP1004'))?.withdrawn, { timeout: 15_000 }).toBe(true);

      // ZP1001's accepted offer of health checks: that card's row for Riverside Medical Centre.
      const healthChecks = page.locator('.ant-card', { has: page.getByRole('link', { name: HEALTH_CHECKS }) });
      await healthChecks.getByRole('checkbox', { name: 'Select Riverside Medical Centre (ZP1001)' }).check();
      await page.getByRole('button', { name: 'Cancel offer' }).click();
      await capture(journey, page, 'offers-17-cancel-confirm');
      await page.getByRole('button', { name: 'Cancel 1' }).click();
      await page.getByText('Offer cancelled; the provider has been told.').waitFor({ timeout: 30_000 });
      await expect.poll(async () => (await offerOf(journey, HEALTH_CHECKS, 'ZP1001'))?.status, { timeout: 15_000 }).toBe('cancelled');
      await page.locator('label.ant-radio-button-wrapper', { hasText: 'Cancelled' }).click();
      await page.getByText('(withdrawn)').first().waitFor();
      await capture(journey, page, 'offers-18-cancelled-filter');
      await journey.assertNoProblems(page);
      await journey.signOut(page);
    },
    STEP_TIMEOUT,
  );

  it(
    'Pat sees the cancellation of the health checks service',
    async () => {
      const page = await journey.newPage();
      await journey.signIn(page, PAT);
      await journey.goto(page, '/ZP1001');
      await page.getByText(`Offer cancelled: ${HEALTH_CHECKS}`).first().waitFor({ timeout: 30_000 });
      await capture(journey, page, 'offers-19-provider-messages');
      const offer = await offerOf(journey, HEALTH_CHECKS, 'ZP1001');
      await journey.goto(page, `/ZP1001/participation/${offer!.id}`);
      await page.getByText('The commissioner cancelled this service on', { exact: false }).waitFor({ timeout: 30_000 });
      await capture(journey, page, 'offers-20-provider-cancelled');
      await journey.assertNoProblems(page);
    },
    STEP_TIMEOUT,
  );
});
