// Self-test of the journey harness (tests/e2e/harness.ts): its stack has the
// demo data, the sign-in page passes axe, the Support Desk can sign in and out,
// and the recorders notice an API refusal.
import { access } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOURNEY_CLOSE_TIMEOUT, JOURNEY_START_TIMEOUT, startJourney, type Journey } from '../harness.ts';

describe('journey harness', () => {
  let journey: Journey;

  beforeAll(async () => {
    journey = await startJourney('harness-smoke');
  }, JOURNEY_START_TIMEOUT);

  afterAll(async () => {
    await journey?.close();
  }, JOURNEY_CLOSE_TIMEOUT);

  it('has its own stack with the demo data', async () => {
    const [row] = await journey.sql<{ email: string; status: string }[]>`
      select email, status::text from public.profiles where email = 'support.desk@cqrs-demo.example'`;
    expect(row).toEqual({ email: 'support.desk@cqrs-demo.example', status: 'active' });
    expect(journey.stack.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(journey.stack.apiUrl).not.toBe('http://127.0.0.1:55421'); // not the shared test stack
  });

  it('records a refused API call and lets a test expect it', async () => {
    const page = await journey.newPage();
    await journey.goto(page, '/login');
    // The portal's own origin calling a table the anon role may not read.
    const status = await page.evaluate(
      async ({ apiUrl, anonKey }) =>
        (await fetch(`${apiUrl}/rest/v1/profiles?select=id`, { headers: { apikey: anonKey } })).status,
      { apiUrl: journey.stack.apiUrl, anonKey: journey.stack.anonKey },
    );
    expect(status).toBeGreaterThanOrEqual(400);
    await expect(journey.assertNoProblems(page)).rejects.toThrow(/failed API calls:\n\s+\d{3} GET .*\/rest\/v1\/profiles/);
    journey.allowApiFailures(page, /\/rest\/v1\/profiles\?/);
    await journey.assertNoProblems(page);
    expect(journey.problems(page).expectedApiFailures).toHaveLength(1);
    await page.context().close();
  }, 60_000);

  it('signs the Support Desk in from an accessible sign-in page and out again', async () => {
    const page = await journey.newPage();
    await journey.goto(page, '/login');
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor({ timeout: 30_000 });
    const report = await journey.checkAccessibility(page, 'harness-smoke-01-sign-in');
    expect(report.url).toBe(`${journey.portalUrl}/login`);
    await access(await journey.screenshot(page, 'harness-smoke-01-sign-in'));

    await journey.signIn(page, 'support.desk@cqrs-demo.example');
    expect(journey.pathname(page)).not.toBe('/login');
    await journey.screenshot(page, 'harness-smoke-02-signed-in');
    // Dates are London's although the browser runs in New York.
    await expect(page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).resolves.toBe('America/New_York');
    await expect(page.evaluate(() => [window.innerWidth, window.innerHeight])).resolves.toEqual([1280, 720]);

    await journey.signOut(page);
    expect(journey.pathname(page)).toBe('/login');
    await journey.assertNoProblems(page);
  }, 120_000);

  // Separate from the test above so that a missing menu is named as such: signOut
  // falls back to clearing the browser storage, which is not what people do.
  it('signed out through the header user menu ("Sign out"), not the storage fallback', () => {
    expect(journey.signOutFallbacks).toEqual([]);
  });
});
