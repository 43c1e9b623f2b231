// Issue 5, "every action works with the keyboard alone": the portal's main
// actions done in Chromium with nothing but the keyboard. After the first
// `goto` of each person (the sign-in page) only page.keyboard is used (Tab,
// Shift+Tab, Enter, Space, arrows, Escape, typing): no clicks, no fill(). The
// page is read (what has the focus, what it shows) and the database checked,
// but never touched. `tabTo` presses Tab until the control wanted has the
// focus, and says what got the focus on the way when it never does.
//
// 1. The Northshire admin signs in, rejects Reception Team with a typed reason
//    and approves Nina Newman, from the side menu on.
// 2. The admin creates a cluster (name, description, search, "Select all",
//    row checkboxes with Space, review) and removes an organisation from it.
// 3. The admin runs the network relationships report with typed dates and
//    exports the CSV.
// 4. The Support Desk marks a message as read and opens My profile from the
//    header's user menu.
// 5. Pat Practice requests access to another organisation from the profile;
//    Escape closes the dialogs and gives the focus back.
// Screenshots: test-results/keyboard-*.png; axe on every page.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, JOURNEY_CLOSE_TIMEOUT, JOURNEY_START_TIMEOUT, startJourney, type Journey } from '../harness.ts';

const ADMIN = 'icb.admin@northshire.example';
const SUPPORT = 'support.desk@cqrs-demo.example';
const PAT = 'practice.user@riverside.example';
const NINA = 'new.manager@bridgestreet.example';
const RECEPTION = 'reception@milllane.example';
const REJECTION_REASON = 'This is a shared mailbox. Please register again with your own NHS email address.';
const CLUSTER_NAME = 'Keyboard practices';
const CLUSTER_DESCRIPTION = 'Made with the keyboard alone.';
const STEP_TIMEOUT = 180_000;

/** What has the keyboard focus, as a person with a screen reader would hear it. */
interface Focused {
  tag: string;
  role: string;
  /** Accessible name (aria-label, aria-labelledby, <label>, text, title, placeholder). */
  name: string;
  /** Inside an open dialog, the side menu or the page header. */
  within: { dialog: boolean; menu: boolean; header: boolean };
}

// Run in the page as a string: nothing of the test's own code travels there.
const READ_FOCUS = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) {
    return { tag: 'body', role: '', name: '', within: { dialog: false, menu: false, header: false } };
  }
  const text = (value) => (value || '').replace(/\\s+/g, ' ').trim();
  const labelledBy = el.getAttribute('aria-labelledby');
  const fromIds = labelledBy
    ? labelledBy.split(/\\s+/).map((id) => text(document.getElementById(id)?.textContent)).join(' ')
    : '';
  const fromLabels = el.labels ? [...el.labels].map((label) => text(label.innerText)).join(' ') : '';
  const name = text(el.getAttribute('aria-label')) || text(fromIds) || fromLabels || text(el.innerText)
    || text(el.getAttribute('title')) || text(el.getAttribute('placeholder'));
  const inputRoles = { checkbox: 'checkbox', radio: 'radio', search: 'searchbox' };
  const implicit = el.tagName === 'INPUT' ? (inputRoles[el.type] || 'textbox')
    : /^H[1-6]$/.test(el.tagName) ? 'heading'
    : ({ A: 'link', BUTTON: 'button', TEXTAREA: 'textbox', SELECT: 'combobox' })[el.tagName] || '';
  return {
    tag: el.tagName.toLowerCase(),
    role: el.getAttribute('role') || implicit,
    name,
    within: {
      dialog: !!el.closest('[role="dialog"]'),
      menu: !!el.closest('nav[aria-label="Main menu"]'),
      header: !!el.closest('.portal-header'),
    },
  };
})()`;

// The ring around the focused control: its own outline, or that of the element
// drawing it (a menu item around its link). Buttons, links and menu items show
// focus with an outline, so that is what is looked for.
const READ_FOCUS_RING = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const rings = [];
  for (let node = el, depth = 0; node && depth < 4; node = node.parentElement, depth += 1) {
    const style = getComputedStyle(node);
    rings.push({ style: style.outlineStyle, width: parseFloat(style.outlineWidth) || 0, color: style.outlineColor });
  }
  return { focusVisible: el.matches(':focus-visible'), rings };
})()`;

// Controls a mouse can use but the keyboard cannot reach: an element that says it is a
// button or link (role) but is not in the tab order, nor disabled or hidden. Left out: a
// date field's clear icon, a mouse shortcut for what the keyboard does by deleting the text.
const UNREACHABLE_CONTROLS = `(() => [...document.querySelectorAll('[role="button"], [role="link"]')]
  .filter((el) => el.tabIndex < 0 && el.getAttribute('aria-disabled') !== 'true' && !el.closest('[aria-hidden="true"]')
    && !el.matches('.ant-picker-clear') && el.checkVisibility())
  .map((el) => el.outerHTML.slice(0, 160)))()`;

interface Target {
  name: string | RegExp;
  role?: string;
  within?: keyof Focused['within'];
}

function describeFocus(focused: Focused): string {
  return `${focused.role || focused.tag} "${focused.name.slice(0, 80)}"`;
}

function matchesTarget(focused: Focused, target: Target): boolean {
  const nameOk = typeof target.name === 'string' ? focused.name === target.name : target.name.test(focused.name);
  return nameOk && (!target.role || focused.role === target.role) && (!target.within || focused.within[target.within]);
}

function targetText(target: Target): string {
  return `${target.role ?? 'control'} ${String(target.name)}${target.within ? ` in the ${target.within}` : ''}`;
}

async function readFocus(page: Page): Promise<Focused> {
  return page.evaluate<Focused>(READ_FOCUS);
}

/**
 * Presses Tab (or Shift+Tab) until the control wanted has the focus; fails
 * listing what had the focus on the way.
 */
async function tabTo(page: Page, target: Target, { max = 80, backwards = false } = {}): Promise<Focused> {
  const seen: string[] = [];
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    const focused = await readFocus(page);
    if (matchesTarget(focused, target)) return focused;
    seen.push(describeFocus(focused));
  }
  const path = [...new Set(seen)];
  throw new Error(`${max} presses of ${backwards ? 'Shift+Tab' : 'Tab'} never reached the ${targetText(target)} on ${page.url()}. The focus went to:\n  ${path.join('\n  ')}`);
}

/** The focus is on the control wanted now (after Enter, Escape, a dialog opening…). */
async function expectFocusOn(page: Page, target: Target): Promise<void> {
  await expect
    .poll(async () => {
      const focused = await readFocus(page);
      return matchesTarget(focused, target) ? 'yes' : describeFocus(focused);
    }, { timeout: 10_000, message: `the focus should be on the ${targetText(target)}` })
    .toBe('yes');
}

/** The focused control shows where the focus is: a visible outline at least 2px wide. */
async function expectVisibleFocus(page: Page, what: string): Promise<void> {
  await expect
    .poll(async () => {
      const ring = await page.evaluate<{ focusVisible: boolean; rings: { style: string; width: number; color: string }[] } | null>(READ_FOCUS_RING);
      if (!ring) return 'nothing has the focus';
      if (!ring.focusVisible) return 'the focus is not :focus-visible';
      const drawn = ring.rings.find((r) => r.style !== 'none' && r.width >= 2 && !/rgba\(.*, 0\)$/.test(r.color));
      return drawn ? 'visible' : `no outline (${JSON.stringify(ring.rings)})`;
    }, { timeout: 5_000, message: `${what} should show a focus ring` })
    .toBe('visible');
}

/** Text typed into the focused field replaces what it held. */
async function typeOver(page: Page, text: string): Promise<void> {
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(text);
}

describe('keyboard alone: every action of the portal without a mouse', () => {
  let journey: Journey;
  let admin: Page;
  const axeFailures: string[] = [];

  beforeAll(async () => {
    journey = await startJourney('keyboard');
  }, JOURNEY_START_TIMEOUT);

  afterAll(async () => {
    await journey?.close();
  }, JOURNEY_CLOSE_TIMEOUT);

  /** Screenshot, axe and no control out of the keyboard's reach, under one name. */
  async function record(page: Page, step: string): Promise<void> {
    await journey.screenshot(page, `keyboard-${step}`);
    expect(await page.evaluate<string[]>(UNREACHABLE_CONTROLS), `controls no keyboard reaches on ${step}`).toEqual([]);
    await journey.checkAccessibility(page, `keyboard-${step}`).catch((error: Error) => {
      axeFailures.push(error.message);
    });
  }

  async function profileStatus(email: string): Promise<{ status: string; rejection_reason: string | null }> {
    const [row] = await journey.sql<{ status: string; rejection_reason: string | null }[]>`
      select status::text, rejection_reason from public.profiles where email = ${email}`;
    return row!;
  }

  /** Opens the sign-in page (the person's one `goto`) and signs in with the keyboard. */
  async function signInWithKeyboard(email: string): Promise<Page> {
    const page = await journey.newPage();
    await journey.goto(page, '/login');
    await page.getByLabel('Email', { exact: true }).waitFor();
    await tabTo(page, { role: 'textbox', name: 'Email' });
    await page.keyboard.type(email);
    await tabTo(page, { role: 'textbox', name: 'Password' });
    await page.keyboard.type(DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await journey.waitForPath(page, (p) => p !== '/login');
    await journey.settle(page);
    return page;
  }

  /** Opens a page of the side menu with Tab and Enter. */
  async function openFromMenu(page: Page, label: string, path: string): Promise<void> {
    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: label, exact: true }).waitFor();
    await tabTo(page, { role: 'link', name: label, within: 'menu' });
    await expectVisibleFocus(page, `the side menu's "${label}"`);
    await page.keyboard.press('Enter');
    await journey.waitForPath(page, path);
    await journey.settle(page);
  }

  it(
    '1. the Northshire admin signs in, rejects Reception Team with a typed reason and approves Nina Newman',
    async () => {
      const [reception] = await journey.sql<{ id: string }[]>`select id from public.profiles where email = ${RECEPTION}`;
      const [nina] = await journey.sql<{ id: string }[]>`select id from public.profiles where email = ${NINA}`;
      await expect(profileStatus(RECEPTION)).resolves.toMatchObject({ status: 'pending' });
      await expect(profileStatus(NINA)).resolves.toMatchObject({ status: 'pending' });

      admin = await signInWithKeyboard(ADMIN);
      await journey.waitForPath(admin, '/ZN1');
      await record(admin, '01-admin-home');

      await openFromMenu(admin, 'Registrations', '/ZN1/registrations');
      await admin.locator('.ant-table-row', { hasText: 'Reception Team' }).waitFor();
      await admin.locator('.ant-table-row', { hasText: 'Nina Newman' }).waitFor();
      await record(admin, '02-registrations');

      // One tab stop per row: Review is a button, without a second stop on a link around it.
      const review = /^Review the registration of /;
      const first = await tabTo(admin, { role: 'button', name: review });
      await admin.keyboard.press('Tab');
      const second = await readFocus(admin);
      expect(describeFocus(second)).toMatch(/^button "Review the registration of /);
      expect(second.name).not.toBe(first.name);
      const reviewReception = { role: 'button', name: 'Review the registration of Reception Team' } as const;
      if (!matchesTarget(second, reviewReception)) await tabTo(admin, reviewReception, { backwards: true });
      await expectVisibleFocus(admin, 'the Review button');
      await admin.keyboard.press('Enter');
      await journey.waitForPath(admin, `/ZN1/registrations/${reception!.id}`);
      await admin.getByText('Generic or shared mailbox: this registration cannot be approved').waitFor();
      await record(admin, '03-review-reception');

      await tabTo(admin, { role: 'button', name: 'Reject' });
      await expectVisibleFocus(admin, 'the Reject button');
      await admin.keyboard.press('Enter');
      // The dialog opens on its reason, which the person came to write.
      await expectFocusOn(admin, { role: 'textbox', name: 'Reason', within: 'dialog' });
      await typeOver(admin, REJECTION_REASON);
      await admin.getByRole('dialog').getByText(`${REJECTION_REASON.length} of 500 characters`).waitFor();
      await record(admin, '04-reject-reason');
      await tabTo(admin, { role: 'button', name: 'Reject', within: 'dialog' });
      await admin.keyboard.press('Enter');
      await journey.waitForPath(admin, '/ZN1/registrations');
      await admin.getByText('Registration rejected').first().waitFor();
      await expect.poll(() => profileStatus(RECEPTION)).toEqual({ status: 'rejected', rejection_reason: REJECTION_REASON });
      await admin.locator('.ant-table-row', { hasText: 'Nina Newman' }).waitFor();
      await record(admin, '05-rejected');

      await tabTo(admin, { role: 'button', name: 'Review the registration of Nina Newman' });
      await admin.keyboard.press('Enter');
      await journey.waitForPath(admin, `/ZN1/registrations/${nina!.id}`);
      await admin.getByText('Bridge Street Surgery (ZP1002)').first().waitFor();
      await admin.getByRole('button', { name: 'Approve' }).and(admin.locator(':enabled')).waitFor();
      await tabTo(admin, { role: 'button', name: 'Approve' });
      await admin.keyboard.press('Enter');
      // Approving is not destructive: the confirmation opens on its Approve button.
      await expectFocusOn(admin, { role: 'button', name: 'Approve', within: 'dialog' });
      await admin.getByRole('dialog').getByText(/Nina Newman \(new\.manager@bridgestreet\.example\) will be able to sign in/).waitFor();
      await record(admin, '06-confirm-approval');
      await admin.keyboard.press('Enter');
      await journey.waitForPath(admin, '/ZN1/registrations');
      await admin.getByText('Registration approved').first().waitFor();
      await admin.getByText('No registrations are waiting for you').waitFor();
      await expect.poll(async () => (await profileStatus(NINA)).status).toBe('active');
      await record(admin, '07-queue-empty');
      await journey.assertNoProblems(admin);
    },
    STEP_TIMEOUT,
  );

  it(
    '2. the admin creates a cluster (search, Select all, Space on row boxes, review) and removes an organisation',
    async () => {
      await openFromMenu(admin, 'Clusters', '/ZN1/clusters');
      await admin.getByText('Riverside practices').first().waitFor();
      await tabTo(admin, { role: 'button', name: 'Create' });
      await expectVisibleFocus(admin, 'the Create button');
      await admin.keyboard.press('Enter');
      await journey.waitForPath(admin, '/ZN1/clusters/create');
      await admin.locator('form#cluster-details input#cluster-details_name').waitFor();
      await journey.settle(admin);

      await tabTo(admin, { role: 'textbox', name: 'Name' });
      await admin.keyboard.type(CLUSTER_NAME);
      await tabTo(admin, { role: 'textbox', name: 'Description' });
      await admin.keyboard.type(CLUSTER_DESCRIPTION);
      await record(admin, '08-cluster-details');
      await tabTo(admin, { role: 'button', name: 'Next' });
      await admin.keyboard.press('Enter');

      // The organisations step opens on its search.
      const search = { role: 'searchbox', name: 'Search providers by ODS code or name' } as const;
      await expectFocusOn(admin, search);
      await admin.getByText('1–9 of 9 providers').waitFor();
      // Bridge Street, Hill Top and Orchard Surgery (issue 14's demo practice).
      await admin.keyboard.type('Surgery');
      await admin.getByText('1–3 of 3 providers').waitFor();
      await tabTo(admin, { role: 'button', name: 'Select all 3 organisations shown' });
      await admin.keyboard.press('Enter');
      await admin.getByText('3 selected', { exact: true }).waitFor();
      // "Select all" is done (and disabled): the focus is back in the search, not lost.
      await expectFocusOn(admin, search);
      await typeOver(admin, 'Mill');
      await admin.getByText('1–1 of 1 providers').waitFor();
      const millLane = { role: 'checkbox', name: 'Mill Lane Practice (ZP1003)' } as const;
      await tabTo(admin, millLane);
      await admin.keyboard.press('Space');
      await admin.getByText('4 selected', { exact: true }).waitFor();
      await admin.keyboard.press('Space');
      await admin.getByText('3 selected', { exact: true }).waitFor();
      await admin.keyboard.press('Space');
      await admin.getByText('4 selected', { exact: true }).waitFor();
      await expect(admin.getByRole('checkbox', { name: 'Mill Lane Practice (ZP1003)' }).isChecked()).resolves.toBe(true);
      await record(admin, '09-cluster-organisations');

      await tabTo(admin, { role: 'button', name: 'Next' });
      await admin.keyboard.press('Enter');
      await expectFocusOn(admin, { role: 'region', name: 'Review' });
      const review = await admin.locator('.ant-descriptions').innerText();
      for (const expected of [CLUSTER_NAME, CLUSTER_DESCRIPTION, 'ZP1002', 'ZP1003', 'ZP1004', 'ZP1006']) expect(review).toContain(expected);
      await record(admin, '10-cluster-review');
      await tabTo(admin, { role: 'button', name: 'Create cluster' });
      await admin.keyboard.press('Enter');
      const shown = await journey.waitForPath(admin, /^\/ZN1\/clusters\/[0-9a-f-]{36}$/);
      const clusterId = shown.split('/').at(-1)!;
      await admin.getByRole('heading', { name: 'Organisations (4)' }).waitFor();
      const members = async () =>
        (
          await journey.sql<{ ods_code: string }[]>`
            select o.ods_code from public.cluster_organisations co join public.organisations o on o.id = co.organisation_id
            where co.cluster_id = ${clusterId} order by o.ods_code`
        ).map((row) => row.ods_code);
      await expect(members()).resolves.toEqual(['ZP1002', 'ZP1003', 'ZP1004', 'ZP1006']);
      await record(admin, '11-cluster-created');

      // Remove Mill Lane: Escape first (nothing happens, the focus comes back), then confirm.
      const remove = { role: 'button', name: 'Remove Mill Lane Practice from the cluster' } as const;
      await tabTo(admin, remove);
      await expectVisibleFocus(admin, 'the Remove button');
      await admin.keyboard.press('Enter');
      // Removing is destructive: the confirmation opens on Cancel.
      await expectFocusOn(admin, { role: 'button', name: 'Cancel', within: 'dialog' });
      await admin.keyboard.press('Escape');
      await admin.getByRole('dialog').waitFor({ state: 'detached' }).catch(() => undefined);
      await expectFocusOn(admin, remove);
      await expect(members()).resolves.toEqual(['ZP1002', 'ZP1003', 'ZP1004', 'ZP1006']);

      await admin.keyboard.press('Enter');
      await expectFocusOn(admin, { role: 'button', name: 'Cancel', within: 'dialog' });
      await admin.locator('.ant-modal-confirm-title', { hasText: 'Remove Mill Lane Practice?' }).waitFor();
      await record(admin, '12-cluster-confirm-remove');
      await tabTo(admin, { role: 'button', name: 'Remove', within: 'dialog' });
      await admin.keyboard.press('Enter');
      await admin.getByRole('heading', { name: 'Organisations (3)' }).waitFor();
      await expect.poll(members).toEqual(['ZP1002', 'ZP1004', 'ZP1006']);
      // The row went, and its button with it: the section's heading has the focus, not the page.
      await expectFocusOn(admin, { role: 'heading', name: 'Organisations (3)' });
      await record(admin, '13-cluster-removed');
      await journey.assertNoProblems(admin);
    },
    STEP_TIMEOUT,
  );

  it(
    '3. the admin runs the network relationships report with typed dates and exports the CSV',
    async () => {
      await openFromMenu(admin, 'Network relationships report', '/ZN1/reports/network-relationships');
      await admin.getByLabel('Start date').waitFor();
      await tabTo(admin, { role: 'textbox', name: 'Start date' });
      await typeOver(admin, '01/04/2023');
      await tabTo(admin, { role: 'textbox', name: 'End date' });
      await typeOver(admin, '31/03/2024');
      await tabTo(admin, { role: 'button', name: 'Run report' });
      await expect(admin.getByLabel('Start date').inputValue()).resolves.toBe('01/04/2023');
      await expect(admin.getByLabel('End date').inputValue()).resolves.toBe('31/03/2024');
      await admin.keyboard.press('Enter');

      // What the database says overlaps the year, within Northshire.
      const [{ n: expected } = { n: 0 }] = await journey.sql<{ n: number }[]>`
        select count(*)::int as n from public.pcn_memberships pm
        join public.organisations practice on practice.id = pm.practice_id
        join public.organisations pcn on pcn.id = pm.pcn_id
        where pcn.ods_code in ('ZU101', 'ZU102', 'ZU103')
          and pm.valid_from <= date '2024-03-31' and (pm.valid_to is null or pm.valid_to >= date '2023-04-01')`;
      expect(expected).toBeGreaterThan(0);
      await admin.getByText(`${expected} relationships overlapping 01/04/2023 to 31/03/2024`).waitFor();
      await record(admin, '14-report');

      await tabTo(admin, { role: 'button', name: 'Export CSV' });
      await expectVisibleFocus(admin, 'the Export CSV button');
      const [download] = await Promise.all([admin.waitForEvent('download', { timeout: 15_000 }), admin.keyboard.press('Enter')]);
      expect(download.suggestedFilename()).toBe('network-relationships-2023-04-01-2024-03-31.csv');
      const file = await download.path();
      const csv = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
      const lines = csv.trim().split(/\r?\n/);
      expect(lines[0]).toBe('PCN ODS code,PCN name,Practice ODS code,Practice name,From,To,Current');
      expect(lines).toHaveLength(expected + 1);
      expect(csv).toContain('ZU102,Hillside PCN,ZP1003,Mill Lane Practice,2020-07-01,2024-03-31,No');
      await admin.getByText('Saved network-relationships-2023-04-01-2024-03-31.csv').first().waitFor();
      await journey.assertNoProblems(admin);
      await admin.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    '4. the Support Desk marks a message as read and opens My profile from the user menu',
    async () => {
      const support = await signInWithKeyboard(SUPPORT);
      await journey.waitForPath(support, '/support');
      await support.getByRole('button', { name: /^Mark as read: / }).first().waitFor();
      const unread = async () => {
        const [row] = await journey.sql<{ n: number }[]>`
          select count(*)::int as n from public.notifications n join public.profiles p on p.id = n.recipient_id
          where p.email = ${SUPPORT} and n.read_at is null`;
        return row!.n;
      };
      const before = await unread();
      expect(before, 'the Support Desk should have an unread message in the demo data').toBeGreaterThan(0);
      await record(support, '15-support-home');

      const focused = await tabTo(support, { role: 'button', name: /^Mark as read: / });
      await expectVisibleFocus(support, 'the Mark as read button');
      const subject = focused.name.replace(/^Mark as read: /, '');
      await support.keyboard.press('Enter');
      await expect.poll(unread).toBe(before - 1);
      const [message] = await journey.sql<{ read: boolean }[]>`
        select n.read_at is not null as read from public.notifications n join public.profiles p on p.id = n.recipient_id
        where p.email = ${SUPPORT} and n.subject = ${subject}`;
      expect(message).toEqual({ read: true });
      await support.getByRole('link', { name: `Notifications: ${before - 1} unread notifications` }).waitFor();
      // The button went with the message's unread state; the focus stayed in the list.
      await expect.poll(async () => (await readFocus(support)).tag).not.toBe('body');
      await record(support, '16-support-marked-read');

      await tabTo(support, { role: 'button', name: 'User menu: Sam Support', within: 'header' });
      await expectVisibleFocus(support, 'the user menu button');
      await support.keyboard.press('Enter');
      // The menu opens on its first item.
      await expectFocusOn(support, { role: 'menuitem', name: 'My profile' });
      await record(support, '17-support-user-menu');
      await support.keyboard.press('Escape');
      await expectFocusOn(support, { role: 'button', name: 'User menu: Sam Support' });
      await support.keyboard.press('Enter');
      await expectFocusOn(support, { role: 'menuitem', name: 'My profile' });
      await support.keyboard.press('ArrowDown');
      await expectFocusOn(support, { role: 'menuitem', name: 'Sign out' });
      await support.keyboard.press('ArrowUp');
      await expectFocusOn(support, { role: 'menuitem', name: 'My profile' });
      await support.keyboard.press('Enter');
      await journey.waitForPath(support, '/profile');
      await support.getByText('Sam Support').first().waitFor();
      await record(support, '18-support-profile');
      await journey.assertNoProblems(support);
      await support.context().close();
    },
    STEP_TIMEOUT,
  );

  it(
    '5. Pat Practice requests access to another organisation from the profile; Escape closes the dialogs',
    async () => {
      const pat = await signInWithKeyboard(PAT);
      await journey.waitForPath(pat, '/ZP1001');
      await pat.getByRole('button', { name: 'User menu: Pat Practice' }).waitFor();
      await tabTo(pat, { role: 'button', name: 'User menu: Pat Practice', within: 'header' });
      await pat.keyboard.press('Enter');
      await expectFocusOn(pat, { role: 'menuitem', name: 'My profile' });
      await pat.keyboard.press('Enter');
      await journey.waitForPath(pat, '/profile');
      await pat.getByRole('button', { name: 'Request access to another organisation' }).waitFor();
      await journey.settle(pat);
      await record(pat, '19-pat-profile');

      // Escape closes the disable-account dialog and the focus returns to its button.
      const disable = { role: 'button', name: 'Disable my account' } as const;
      await tabTo(pat, disable);
      await pat.keyboard.press('Enter');
      await pat.getByRole('dialog').waitFor();
      await expect.poll(async () => (await readFocus(pat)).within.dialog, { message: 'the dialog should take the focus' }).toBe(true);
      await pat.keyboard.press('Escape');
      await expect.poll(() => pat.getByRole('dialog').count()).toBe(0);
      await expectFocusOn(pat, disable);

      const requestButton = { role: 'button', name: 'Request access to another organisation' } as const;
      await tabTo(pat, requestButton);
      await expectVisibleFocus(pat, 'the Request access button');
      await pat.keyboard.press('Enter');
      await pat.getByRole('dialog').waitFor();
      await expect.poll(async () => (await readFocus(pat)).within.dialog, { message: 'the dialog should take the focus' }).toBe(true);
      await pat.keyboard.press('Escape');
      await expect.poll(() => pat.getByRole('dialog').count()).toBe(0);
      await expectFocusOn(pat, requestButton);

      await pat.keyboard.press('Enter');
      const dialog = pat.getByRole('dialog');
      await dialog.waitFor();
      await tabTo(pat, { role: 'combobox', name: 'Organisation', within: 'dialog' });
      await pat.keyboard.type('ZP1002');
      await pat.locator('.ant-select-item-option-active', { hasText: 'ZP1002 – Bridge Street Surgery' }).waitFor();
      await pat.keyboard.press('Enter');
      await dialog.locator('.ant-select-selection-item', { hasText: 'ZP1002 – Bridge Street Surgery' }).waitFor();
      await tabTo(pat, { role: 'checkbox', name: 'Claim Submitter', within: 'dialog' });
      await pat.keyboard.press('Space');
      await expect(dialog.getByRole('checkbox', { name: 'Claim Submitter' }).isChecked()).resolves.toBe(true);
      await record(pat, '20-pat-request-access');

      await tabTo(pat, { role: 'button', name: 'Send request', within: 'dialog' });
      await pat.keyboard.press('Enter');
      await expect.poll(() => pat.getByRole('dialog').count()).toBe(0);
      await pat.getByText('Request sent').first().waitFor();
      const requests = await journey.sql<{ status: string; roles: string[] }[]>`
        select m.status::text, m.roles::text[] as roles from public.memberships m
        join public.profiles p on p.id = m.profile_id join public.organisations o on o.id = m.organisation_id
        where p.email = ${PAT} and o.ods_code = 'ZP1002'`;
      expect(requests).toEqual([{ status: 'requested', roles: ['claim_submitter'] }]);
      await record(pat, '21-pat-requested');
      await journey.assertNoProblems(pat);
      await pat.context().close();
    },
    STEP_TIMEOUT,
  );

  it('met axe on every page visited: no violations of any impact', () => {
    expect(axeFailures).toEqual([]);
  });
});
