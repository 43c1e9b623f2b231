// Journey (f) of issue 5: the Southvale administrator (Robin Southvale,
// icb.admin@southvale.example) cannot open any Northshire page or record, even
// by typing its address. Each Northshire address shows a no-access or
// not-found message, the page never names anything of Northshire's, and the
// API answers behind it carry no Northshire row. Robin's own pages still load
// with Southvale data. Every step is screenshotted and checked with axe.
//
// What counts as "Northshire's" is read from the journey's database: every
// organisation in ZN1's subtree, every person whose memberships are all
// there, and ZN1's clusters.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOURNEY_CLOSE_TIMEOUT, JOURNEY_START_TIMEOUT, startJourney, type ApiCall, type Journey } from '../harness.ts';

const SOUTHVALE_ADMIN = 'icb.admin@southvale.example';
const STEP_TIMEOUT = 90_000;

/** What a refused or unknown address may say. */
const REFUSED =
  /no access|not have access|don['’]t have access|cannot access|can['’]t access|not allowed|no permission|not permitted|not found|does not exist|doesn['’]t exist|could not be found|cannot be found|can['’]t find|could not find|not available/i;

/** The PostgREST answers of a missing table or function: the page is not built yet, not a refusal. */
const NOT_DEPLOYED = /PGRST20[25]|42P01|42883/;

interface Northshire {
  /** Shown on a page, any of these is a leak (compared case-insensitively). */
  texts: string[];
  /** In an API response body, any of these is a leak. */
  bodyMarkers: string[];
  ids: {
    alexAdmin: string;
    zn1: string;
    zp1001: string;
    cluster: string;
    ninaNewman: string;
    membership: string;
  };
}

async function loadNorthshire(journey: Journey): Promise<Northshire> {
  const { sql } = journey;
  const organisations = await sql<{ id: string; ods_code: string; name: string }[]>`
    select o.id, o.ods_code, o.name
    from public.organisation_closure c
    join public.organisations root on root.id = c.ancestor_id and root.ods_code = 'ZN1'
    join public.organisations o on o.id = c.descendant_id`;
  const orgIds = organisations.map((o) => o.id);
  const people = await sql<{ id: string; email: string; full_name: string | null }[]>`
    select p.id, p.email, p.full_name
    from public.profiles p
    where exists (select 1 from public.memberships m where m.profile_id = p.id)
      and not exists (select 1 from public.memberships m where m.profile_id = p.id and m.organisation_id <> all(${orgIds}::uuid[]))`;
  const clusters = await sql<{ id: string; short_name: string; name: string }[]>`
    select id, short_name, name from public.clusters where commissioner_id = any(${orgIds}::uuid[])`;
  const memberships = await sql<{ id: string }[]>`
    select m.id from public.memberships m
    join public.profiles p on p.id = m.profile_id
    where m.organisation_id = any(${orgIds}::uuid[])
    order by p.email = 'icb.admin@northshire.example' desc, m.id`;

  const find = <T,>(rows: T[], ok: (row: T) => boolean, what: string): T => {
    const row = rows.find(ok);
    if (!row) throw new Error(`the demo data has no ${what}`);
    return row;
  };
  const ids = {
    alexAdmin: find(people, (p) => p.email === 'icb.admin@northshire.example', 'Alex Admin').id,
    zn1: find(organisations, (o) => o.ods_code === 'ZN1', 'ZN1').id,
    zp1001: find(organisations, (o) => o.ods_code === 'ZP1001', 'ZP1001').id,
    cluster: find(clusters, (c) => c.short_name === 'CL-ZN1-001', 'cluster CL-ZN1-001').id,
    ninaNewman: find(people, (p) => p.email === 'new.manager@bridgestreet.example', 'Nina Newman').id,
    membership: find(memberships, () => true, 'Northshire membership').id,
  };

  // "ZN1" itself may be echoed back on the page (Robin typed it); its name and everything under it may not.
  const codes = organisations.map((o) => o.ods_code).filter((code) => code !== 'ZN1');
  const names = [
    'Northshire',
    ...organisations.map((o) => o.name),
    ...people.flatMap((p) => [p.full_name ?? '', p.email]),
    ...clusters.flatMap((c) => [c.name, c.short_name]),
  ].filter(Boolean);
  return {
    texts: [...new Set([...names, ...codes])],
    bodyMarkers: [
      ...new Set([
        ...names,
        ...codes,
        '"ZN1"',
        ...orgIds,
        ...people.map((p) => p.id),
        ...clusters.map((c) => c.id),
        ...memberships.map((m) => m.id),
      ]),
    ],
    ids,
  };
}

function leaksIn(text: string, markers: string[]): string[] {
  const lower = text.toLowerCase();
  return markers.filter((marker) => lower.includes(marker.toLowerCase()));
}

describe('journey (f): a Southvale administrator cannot reach Northshire', () => {
  let journey: Journey;
  let page: Page;
  let northshire: Northshire;

  beforeAll(async () => {
    journey = await startJourney('access-isolation');
    northshire = await loadNorthshire(journey);
    page = await journey.newPage();
  }, JOURNEY_START_TIMEOUT);

  afterAll(async () => {
    await journey?.close();
  }, JOURNEY_CLOSE_TIMEOUT);

  /** The page's visible text and title, and what the API sent it, checked for Northshire. */
  async function expectNoNorthshire(): Promise<void> {
    const shown = `${await page.title()}\n${await page.locator('body').innerText()}`;
    expect.soft(leaksIn(shown, northshire.texts), `Northshire shown on ${journey.pathname(page)}`).toEqual([]);
    const leaks = (await journey.apiResponses(page)).flatMap((call: ApiCall) =>
      leaksIn(call.body, northshire.bodyMarkers).map((marker) => `${call.status} ${call.method} ${call.url} contains ${marker}`),
    );
    expect.soft(leaks, `API answers with Northshire rows behind ${journey.pathname(page)}`).toEqual([]);
  }

  /** Soft, so that an axe failure after it is reported too. */
  async function expectNoProblems(): Promise<void> {
    await expect.soft(journey.assertNoProblems(page)).resolves.toBeUndefined();
  }

  async function waitForMain(what: string, found: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (!(await found())) {
      if (Date.now() > deadline) {
        const shown = await page.locator('body').innerText().catch(() => '(unreadable)');
        throw new Error(`${journey.pathname(page)} never showed ${what}. It showed:\n${shown.slice(0, 1_200)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await journey.settle(page);
  }

  it('knows what Northshire looks like (so that "not shown" means something)', () => {
    expect(northshire.texts).toEqual(
      expect.arrayContaining(['NHS Northshire ICB', 'Riverside Medical Centre', 'Alex Admin', 'Nina Newman', 'CL-ZN1-001', 'ZP1001']),
    );
    expect(leaksIn('Robin Southvale, NHS Southvale ICB, Harbour Medical Practice, ZS1, ZP2001', northshire.texts)).toEqual([]);
  });

  /** The recorder saw the page's data arrive, so "no Northshire in the API answers" is not vacuous. */
  async function expectDataCalls(): Promise<void> {
    const ok = (await journey.apiResponses(page)).filter((call) => call.status === 200 && /\/rest\/v1\//.test(call.url));
    expect(ok.length, 'successful REST calls recorded').toBeGreaterThan(0);
  }

  it('signs Robin Southvale in from an accessible sign-in page, into Southvale', async () => {
    await journey.goto(page, '/login');
    await page.getByLabel('Email', { exact: true }).waitFor({ timeout: 30_000 });
    await journey.screenshot(page, 'access-isolation-00-sign-in');
    await journey.checkAccessibility(page, 'access-isolation-00-sign-in');

    await journey.signIn(page, SOUTHVALE_ADMIN);
    await journey.waitForPath(page, /^\/ZS1(\/|$)/);
    await journey.settle(page);
    await journey.screenshot(page, 'access-isolation-01-home');
    await expectNoNorthshire();
    await expectNoProblems();
    await journey.checkAccessibility(page, 'access-isolation-01-home');
  }, STEP_TIMEOUT);

  // Addresses of Northshire's pages and records, typed into the address bar.
  const refused: Array<{ step: string; what: string; path: (ids: Northshire['ids']) => string }> = [
    { step: '02-zn1-home', what: "Northshire's home", path: () => '/ZN1' },
    { step: '03-zn1-users', what: "Northshire's users", path: () => '/ZN1/users' },
    { step: '04-zn1-clusters', what: "Northshire's clusters", path: () => '/ZN1/clusters' },
    { step: '05-zn1-organisations', what: "Northshire's organisations", path: () => '/ZN1/organisations' },
    { step: '06-user-alex-admin', what: "Alex Admin's user page", path: (ids) => `/ZS1/users/${ids.alexAdmin}` },
    { step: '07-organisation-zn1', what: "ZN1's organisation page", path: (ids) => `/ZS1/organisations/${ids.zn1}` },
    { step: '08-organisation-zp1001', what: "ZP1001's organisation page", path: (ids) => `/ZS1/organisations/${ids.zp1001}` },
    { step: '09-cluster-cl-zn1-001', what: 'cluster CL-ZN1-001', path: (ids) => `/ZS1/clusters/${ids.cluster}` },
    { step: '10-registration-nina-newman', what: "Nina Newman's registration", path: (ids) => `/ZS1/registrations/${ids.ninaNewman}` },
    { step: '11-access-request-northshire', what: 'a Northshire membership', path: (ids) => `/ZS1/access-requests/${ids.membership}` },
  ];

  for (const { step, what, path } of refused) {
    it(`refuses ${what} when its address is typed`, async () => {
      const address = path(northshire.ids);
      const label = `access-isolation-${step}`;
      journey.clearProblems(page);
      // A refusal may come back as 401/403/404/406 from the API; a missing table or server error may not.
      const undo = journey.allowApiFailures(page, (call) => [401, 403, 404, 406].includes(call.status) && !NOT_DEPLOYED.test(call.body));
      try {
        await journey.goto(page, address);
        await waitForMain('a no-access or not-found message', async () => REFUSED.test(await page.locator('body').innerText()));
        await journey.screenshot(page, label);
        await expectNoNorthshire();
        await expectNoProblems();
        await journey.checkAccessibility(page, label);
      } finally {
        undo();
      }
    }, STEP_TIMEOUT);
  }

  it("lists Southvale's users on /ZS1/users, and nobody of Northshire's", async () => {
    journey.clearProblems(page);
    await journey.goto(page, '/ZS1/users');
    const robin = page.getByRole('main').locator('tr.ant-table-row', { hasText: 'Robin Southvale' });
    await waitForMain('Robin Southvale in the users table', () => robin.first().isVisible());
    await journey.screenshot(page, 'access-isolation-12-southvale-users');
    await expectDataCalls();
    await expectNoNorthshire();
    await expectNoProblems();
    await journey.checkAccessibility(page, 'access-isolation-12-southvale-users');
  }, STEP_TIMEOUT);

  it("shows Southvale's organisations on /ZS1/organisations, and none of Northshire's", async () => {
    journey.clearProblems(page);
    await journey.goto(page, '/ZS1/organisations');
    const southvale = page
      .getByRole('main')
      .locator('.ant-tree-treenode, tr.ant-table-row', { hasText: 'NHS Southvale ICB' });
    await waitForMain('NHS Southvale ICB in the organisation tree or table', () => southvale.first().isVisible());
    await journey.screenshot(page, 'access-isolation-13-southvale-organisations');
    await expectDataCalls();
    await expectNoNorthshire();
    await expectNoProblems();
    await journey.checkAccessibility(page, 'access-isolation-13-southvale-organisations');
  }, STEP_TIMEOUT);
});
