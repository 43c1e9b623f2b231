// Journey (d) of issue 5: the Northshire administrator (Alex Admin,
// icb.admin@northshire.example) creates a cluster holding Hill Top Surgery
// (ZP1004) only, assigns it to Taylor Tier-One's ZN1 membership on Taylor's
// user page, and Taylor, signing in, sees only Hill Top Surgery in the
// organisations tree; other Northshire organisations are "not found", even by
// address. Every step is screenshotted (test-results/clusters-*.png) and
// checked with axe.
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOURNEY_CLOSE_TIMEOUT, JOURNEY_START_TIMEOUT, startJourney, type Journey } from '../harness.ts';

const ADMIN = 'icb.admin@northshire.example';
const TIER_ONE = 'tier1@northshire.example';
const CLUSTER_NAME = 'Hill Top only';
const STEP_TIMEOUT = 120_000;

/** Serious or critical axe findings, collected so that one page's finding does not hide the next steps. */
const axeFailures: string[] = [];

/** Screenshot and axe under one name. */
async function capture(journey: Journey, page: Page, name: string): Promise<void> {
  await journey.screenshot(page, name);
  await journey.checkAccessibility(page, name).catch((error: Error) => {
    axeFailures.push(error.message);
  });
}

/** Body rows of the first table on the page, as the text of their first cell. */
async function firstCells(table: Locator): Promise<string[]> {
  const rows = table.locator('tbody tr:not(.ant-table-measure-row)');
  const cells: string[] = [];
  for (let i = 0; i < (await rows.count()); i += 1) cells.push((await rows.nth(i).locator('td').first().innerText()).trim());
  return cells;
}

describe('journey (d): a cluster restricts what its assigned reviewer sees', () => {
  let journey: Journey;
  let admin: Page;
  let clusterId: string;
  let assignedThroughUi = false;

  beforeAll(async () => {
    journey = await startJourney('clusters');
  }, JOURNEY_START_TIMEOUT);

  afterAll(async () => {
    await journey?.close();
  }, JOURNEY_CLOSE_TIMEOUT);

  it(
    'the administrator creates a cluster with ZP1004 only: details, organisations (Select All), review',
    async () => {
      admin = await journey.newPage();
      await journey.signIn(admin, ADMIN);
      await journey.goto(admin, '/ZN1/clusters');
      // The short name is the link (the key column).
      await admin.getByRole('link', { name: 'CL-ZN1-001' }).waitFor({ timeout: 30_000 });
      await admin.getByRole('cell', { name: 'Riverside practices' }).waitFor();
      await capture(journey, admin, 'clusters-01-list');

      await admin.getByRole('button', { name: 'Create' }).click();
      await journey.waitForPath(admin, '/ZN1/clusters/create');
      await admin.getByText('Made by the system when saved (CL-ZN1-NNN); it never changes.').waitFor();
      await capture(journey, admin, 'clusters-02-create-details');

      // Too short first: the form says so before anything is sent.
      await admin.getByLabel('Name').fill('Hi');
      await admin.getByRole('button', { name: 'Next' }).click();
      await admin.getByText('The name must have at least 3 characters').waitFor();
      await journey.screenshot(admin, 'clusters-03-create-name-too-short');
      await admin.getByLabel('Name').fill(CLUSTER_NAME);
      await admin.getByLabel('Description').fill('Hill Top Surgery alone, for a reviewer who covers just that practice.');
      await admin.getByRole('button', { name: 'Next' }).click();

      const search = admin.getByRole('searchbox', { name: 'Search providers by ODS code or name' });
      await search.waitFor();
      await admin.getByText('1–9 of 9 providers').waitFor({ timeout: 30_000 });
      await search.fill('ZP1004');
      await admin.getByText('1–1 of 1 providers').waitFor();
      await admin.getByRole('button', { name: 'Select all 1 organisations shown' }).click();
      await admin.getByText('1 selected', { exact: true }).waitFor();
      await search.fill('');
      await admin.getByText('1–9 of 9 providers').waitFor();
      await capture(journey, admin, 'clusters-04-create-organisations');

      await admin.getByRole('button', { name: 'Next' }).click();
      await admin.getByText('Check the cluster before it is created.').waitFor();
      const review = admin.locator('.ant-descriptions');
      expect(await review.innerText()).toContain('ZP1004');
      expect(await review.innerText()).toContain('Hill Top Surgery');
      expect(await review.innerText()).not.toContain('Mill Lane Practice');
      await capture(journey, admin, 'clusters-05-create-review');

      await admin.getByRole('button', { name: 'Create cluster' }).click();
      const shown = await journey.waitForPath(admin, /^\/ZN1\/clusters\/[0-9a-f-]{36}$/);
      clusterId = shown.split('/').at(-1)!;
      await admin.getByRole('heading', { name: /CL-ZN1-\d{3} · Hill Top only/ }).waitFor();
      await admin.getByRole('heading', { name: 'Organisations (1)' }).waitFor();
      await capture(journey, admin, 'clusters-06-created');

      // The database holds exactly that: one cluster, one organisation.
      const members = await journey.sql<{ ods_code: string; short_name: string }[]>`
        select o.ods_code, c.short_name from public.cluster_organisations co
        join public.clusters c on c.id = co.cluster_id
        join public.organisations o on o.id = co.organisation_id
        where co.cluster_id = ${clusterId}`;
      expect(members.map((m) => m.ods_code)).toEqual(['ZP1004']);
      expect(members[0]?.short_name).toMatch(/^CL-ZN1-\d{3}$/);
      await journey.assertNoProblems(admin);
    },
    STEP_TIMEOUT,
  );

  it(
    'the administrator assigns the cluster to Taylor Tier-One’s ZN1 membership on Taylor’s user page',
    async () => {
      const [taylor] = await journey.sql<{ profile_id: string; membership_id: string }[]>`
        select p.id as profile_id, m.id as membership_id
        from public.profiles p
        join public.memberships m on m.profile_id = p.id
        join public.organisations o on o.id = m.organisation_id and o.ods_code = 'ZN1'
        where p.email = ${TIER_ONE}`;
      if (!taylor) throw new Error(`${TIER_ONE} has no ZN1 membership in the demo data`);

      await journey.goto(admin, `/ZN1/users/${taylor.profile_id}`);
      const assign = admin.getByRole('button', { name: 'Assign cluster' });
      assignedThroughUi = await assign
        .first()
        .waitFor({ timeout: 30_000 })
        .then(() => true)
        .catch(() => false);

      if (assignedThroughUi) {
        await capture(journey, admin, 'clusters-07-user-page');
        await assign.first().click();
        const dialog = admin.locator('.ant-modal:visible', { hasText: 'Assign a cluster of' });
        await dialog.waitFor();
        await dialog.getByRole('combobox').click();
        await admin.locator('.ant-select-item-option', { hasText: 'CL-ZN1-' }).filter({ hasText: CLUSTER_NAME }).click();
        await capture(journey, admin, 'clusters-08-assign-dialog');
        await dialog.getByRole('button', { name: 'Assign cluster' }).click();
        await admin.locator('.ant-tag', { hasText: CLUSTER_NAME }).first().waitFor({ timeout: 30_000 });
        await capture(journey, admin, 'clusters-09-user-assigned');
      } else {
        // The user page (another area) has no "Assign cluster" yet: assign through the
        // API as the administrator, with the administrator's own session.
        console.warn('journey clusters: no "Assign cluster" on the user page; assigning through the assign_cluster RPC as the administrator');
        await journey.screenshot(admin, 'clusters-07-user-page');
        const status = await admin.evaluate(
          async ({ apiUrl, anonKey, clusterId: cluster, membershipId }) => {
            const key = Object.keys(localStorage).find((k) => k.startsWith('sb-') && k.endsWith('-auth-token'));
            const token = key ? (JSON.parse(localStorage.getItem(key) ?? '{}') as { access_token?: string }).access_token : undefined;
            const response = await fetch(`${apiUrl}/rest/v1/rpc/assign_cluster`, {
              method: 'POST',
              headers: { apikey: anonKey, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
              body: JSON.stringify({ p_cluster_id: cluster, p_membership_id: membershipId }),
            });
            return response.status;
          },
          { apiUrl: journey.stack.apiUrl, anonKey: journey.stack.anonKey, clusterId, membershipId: taylor.membership_id },
        );
        expect(status).toBe(200);
      }

      const assignments = await journey.sql<{ cluster_id: string }[]>`
        select cluster_id from public.cluster_assignments where membership_id = ${taylor.membership_id}`;
      expect(assignments.map((a) => a.cluster_id)).toEqual([clusterId]);

      // The cluster's page lists Taylor, linking to the user page.
      await journey.goto(admin, `/ZN1/clusters/${clusterId}`);
      const link = admin.getByRole('link', { name: 'Taylor Tier-One' });
      await link.waitFor({ timeout: 30_000 });
      expect(await link.getAttribute('href')).toBe(`/ZN1/users/${taylor.profile_id}`);
      await capture(journey, admin, 'clusters-10-cluster-with-user');
      await journey.assertNoProblems(admin);
      await journey.signOut(admin);
    },
    STEP_TIMEOUT,
  );

  it(
    'Taylor signs in and sees only Hill Top Surgery; other Northshire organisations are not found',
    async () => {
      const taylor = await journey.newPage();
      await journey.signIn(taylor, TIER_ONE);
      await journey.goto(taylor, '/ZN1/organisations');
      await taylor.getByRole('link', { name: 'Hill Top Surgery' }).waitFor({ timeout: 30_000 });
      await taylor.getByText('1 organisation within your access.').waitFor();
      const table = taylor.locator('.ant-table').first();
      expect(await firstCells(table)).toEqual(['ZP1004']);
      const shown = await taylor.locator('main, .ant-layout-content').first().innerText();
      for (const hidden of ['NHS Northshire ICB', 'Northshire East', 'Mill Lane Practice', 'Riverside Medical Centre']) {
        expect(shown).not.toContain(hidden);
      }
      // Hill Top's own PCN is a fact about Hill Top (its PCN history is Taylor's to read), shown
      // as text in its Current PCN cell; the PCN itself is no organisation Taylor can open.
      expect(await table.locator('tbody tr').first().innerText()).toContain('Hillside PCN (ZU102)');
      expect(await taylor.getByRole('link', { name: /Hillside PCN/ }).count()).toBe(0);
      await capture(journey, taylor, 'clusters-11-reviewer-tree');

      await taylor.getByRole('searchbox', { name: 'Search organisations by ODS code or name' }).fill('Mill');
      await taylor.getByText('No organisation within your access matches "Mill"').waitFor();
      await journey.screenshot(taylor, 'clusters-12-reviewer-search');

      await taylor.getByRole('link', { name: 'Hill Top Surgery' }).waitFor({ state: 'detached' });
      await taylor.getByRole('searchbox', { name: 'Search organisations by ODS code or name' }).fill('');
      await taylor.getByRole('link', { name: 'Hill Top Surgery' }).click();
      await journey.waitForPath(taylor, /^\/ZN1\/organisations\/[0-9a-f-]{36}$/);
      await taylor.getByRole('heading', { name: 'Hill Top Surgery (ZP1004)' }).waitFor();
      // Its parent (Northshire East) is outside Taylor's access now.
      await taylor.getByText('Outside your access').waitFor();
      await capture(journey, taylor, 'clusters-13-reviewer-hill-top');

      // Typing another Northshire practice's address: not found, and its name never shows.
      const [millLane] = await journey.sql<{ id: string }[]>`select id from public.organisations where ods_code = 'ZP1003'`;
      await journey.goto(taylor, `/ZN1/organisations/${millLane!.id}`);
      await taylor.getByText('Organisation not found').waitFor({ timeout: 30_000 });
      expect(await taylor.locator('body').innerText()).not.toContain('Mill Lane Practice');
      await capture(journey, taylor, 'clusters-14-reviewer-mill-lane-not-found');
      await journey.assertNoProblems(taylor);
    },
    STEP_TIMEOUT,
  );

  it('assigned the cluster through the user page, not the API fallback', () => {
    expect(assignedThroughUi).toBe(true);
  });

  it('met axe on every page visited: no violations of any impact', () => {
    expect(axeFailures).toEqual([]);
  });
});
