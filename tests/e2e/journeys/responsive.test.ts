// Phone (390×844) and small-laptop (1024×768) runs of the message centre,
// My services, Users and the network report (issue 11), in Chromium against a
// fresh stack with the demo data. On every page: no sideways scrolling of the
// page, the header's pieces side by side without overlapping, the page's key
// content in view; on a phone the menu is a drawer opened from the header.
// Every step is photographed (test-results/responsive-*.png) and checked with axe.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOURNEY_CLOSE_TIMEOUT, JOURNEY_START_TIMEOUT, startJourney, type Journey } from '../harness.ts';

const ADMIN = 'icb.admin@northshire.example';
const PRACTICE_USER = 'practice.user@riverside.example';
const STEP_TIMEOUT = 240_000;

const SCREENS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'laptop', width: 1024, height: 768 },
] as const;

interface Box {
  what: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Sideways overflow of the page itself (a table may scroll inside its card). */
async function pageOverflow(page: Page): Promise<{ scrollWidth: number; viewport: number }> {
  return page.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, viewport: window.innerWidth }));
}

/** The header's visible pieces (its children and their children) that overlap one another or leave the screen. */
async function headerClashes(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const banner = document.querySelector<HTMLElement>('header.portal-header');
    if (!banner) return ['no header'];
    const describe = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.getAttribute('aria-label') ? `[${el.getAttribute('aria-label')}]` : ''} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    const pieces: Array<{ el: Element; box: Box }> = [];
    for (const child of [...banner.children].flatMap((c) => (c.children.length > 0 && c.tagName === 'DIV' ? [...c.children] : [c]))) {
      const rect = child.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0 || !child.checkVisibility()) continue;
      pieces.push({ el: child, box: { what: describe(child), left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom } });
    }
    const clashes: string[] = [];
    for (const [i, a] of pieces.entries()) {
      if (a.box.left < -0.5 || a.box.right > window.innerWidth + 0.5) clashes.push(`${a.box.what} leaves the screen (${a.box.left}–${a.box.right})`);
      for (const b of pieces.slice(i + 1)) {
        if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
        const overlapX = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
        const overlapY = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
        if (overlapX > 0.5 && overlapY > 0.5) clashes.push(`${a.box.what} overlaps ${b.box.what} by ${overlapX.toFixed(1)} px`);
      }
    }
    return clashes;
  });
}

/** Table cells whose content runs out of the cell (into the next one), e.g. an unbroken e-mail address. */
async function spillingCells(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('main .ant-table-tbody td.ant-table-cell')].flatMap((cell) => {
      if (!cell.checkVisibility()) return [];
      // The content's own boxes (not scrollWidth: a fixed column's shadow is drawn outside its cell).
      const edge = cell.getBoundingClientRect().right;
      const widest = Math.max(...[...cell.querySelectorAll('*')].map((el) => el.getBoundingClientRect().right), 0);
      return widest > edge + 1 ? [`"${(cell.textContent ?? '').trim().slice(0, 40)}" (${Math.round(widest - edge)} px over)`] : [];
    }),
  );
}

/** The element's box lies within the screen's width. */
async function horizontallyInView(page: Page, selector: string): Promise<boolean> {
  const box = await page.locator(selector).first().boundingBox();
  const width = page.viewportSize()!.width;
  return Boolean(box && box.x >= 0 && box.x + box.width <= width + 0.5);
}

describe('phone and small-laptop journeys', () => {
  let journey: Journey;

  beforeAll(async () => {
    journey = await startJourney('responsive');
  }, JOURNEY_START_TIMEOUT);

  afterAll(async () => {
    await journey?.close();
  }, JOURNEY_CLOSE_TIMEOUT);

  /** The checks every page gets: photographed, axe, no page overflow, a tidy header, the h1 in view. */
  async function checkPage(page: Page, name: string): Promise<void> {
    await page.evaluate(() => window.scrollTo(0, 0));
    await journey.screenshot(page, name);
    await journey.checkAccessibility(page, name);
    const overflow = await pageOverflow(page);
    expect(overflow.scrollWidth, `${name}: the page scrolls sideways`).toBeLessThanOrEqual(overflow.viewport);
    expect(await headerClashes(page), `${name}: header`).toEqual([]);
    expect(await spillingCells(page), `${name}: table cells`).toEqual([]);
    expect(await horizontallyInView(page, 'main h1'), `${name}: the page title`).toBe(true);
  }

  for (const screen of SCREENS) {
    it(
      `${screen.name} (${screen.width}×${screen.height}): an administrator’s message centre, Users and network report`,
      async () => {
        const page = await journey.newPage();
        await page.setViewportSize({ width: screen.width, height: screen.height });
        await journey.signIn(page, ADMIN);
        await journey.waitForPath(page, '/ZN1');
        await page.getByRole('heading', { name: 'Message centre', level: 1 }).waitFor({ timeout: 30_000 });
        const firstMessage = page.getByRole('link', { name: 'Registration waiting: Nina Newman' });
        await firstMessage.waitFor({ timeout: 30_000 });
        await checkPage(page, `responsive-${screen.name}-01-message-centre`);
        // The message reads as text, not a word per line (as it did on a phone): its paragraph is wide.
        const body = page.getByText('registered for Bridge Street Surgery (ZP1002)', { exact: false }).first();
        expect((await body.boundingBox())!.width).toBeGreaterThan(300);
        expect(await horizontallyInView(page, 'button[aria-label^="Mark as read"]')).toBe(true);

        const banner = page.getByRole('banner');
        if (screen.name === 'phone') {
          // No side menu: the drawer, by keyboard.
          expect(await page.locator('.ant-layout-sider').count()).toBe(0);
          expect(await banner.getByText('ZN1 – NHS Northshire ICB').isVisible()).toBe(true);
          const menuButton = banner.getByRole('button', { name: 'Menu', exact: true });
          await menuButton.focus();
          await page.keyboard.press('Enter');
          const drawer = page.getByRole('dialog');
          const menu = drawer.getByRole('navigation', { name: 'Main menu' });
          await menu.waitFor();
          expect(await drawer.getByText('Organisation Administrator, User Administrator').isVisible()).toBe(true);
          await journey.settle(page);
          await checkPage(page, `responsive-${screen.name}-02-menu-drawer`);
          // The focus went into the drawer; Escape closes it and returns the focus to the menu button.
          const focused = await page.evaluate(() => ({
            inDrawer: Boolean(document.activeElement?.closest('.ant-drawer')),
            html: document.activeElement?.outerHTML.slice(0, 200) ?? '',
          }));
          expect(focused.inDrawer, `the focus is on ${focused.html}`).toBe(true);
          await page.keyboard.press('Escape');
          await menu.waitFor({ state: 'hidden' });
          expect(await menuButton.evaluate((el) => el === document.activeElement)).toBe(true);
          // A menu link (keyboard again) goes there and closes the drawer.
          await page.keyboard.press('Enter');
          await menu.getByRole('link', { name: 'Users', exact: true }).waitFor();
          await menu.getByRole('link', { name: 'Users', exact: true }).focus();
          await page.keyboard.press('Enter');
          await journey.waitForPath(page, '/ZN1/users');
          await menu.waitFor({ state: 'hidden' });
        } else {
          // A 1024 px laptop keeps the side menu.
          await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Users', exact: true }).click();
          await journey.waitForPath(page, '/ZN1/users');
        }

        // Users: the table scrolls inside its card with the names fixed at the left.
        const taylor = page.getByRole('link', { name: 'Taylor Tier-One' });
        await taylor.waitFor({ timeout: 30_000 });
        await checkPage(page, `responsive-${screen.name}-03-users`);
        const scroller = page.locator('.ant-table-content, .ant-table-body').first();
        const scrolled = await scroller.evaluate((el) => {
          el.scrollLeft = el.scrollWidth;
          return { scrollLeft: el.scrollLeft, left: el.getBoundingClientRect().left };
        });
        expect(scrolled.scrollLeft, 'the users table is wider than its card and scrolls').toBeGreaterThan(0);
        const nameBox = (await taylor.boundingBox())!;
        expect(nameBox.x).toBeGreaterThanOrEqual(scrolled.left - 0.5);
        expect(await horizontallyInView(page, 'main .ant-table-thead th:last-child')).toBe(true);
        await journey.screenshot(page, `responsive-${screen.name}-04-users-scrolled`);

        // Network report: whole dates in the date fields, the report's rows, the PCN column fixed.
        await journey.goto(page, '/ZN1/reports/network-relationships');
        const from = page.getByLabel('Start date');
        await from.waitFor({ timeout: 30_000 });
        for (const label of ['Start date', 'End date']) {
          const field = page.getByLabel(label);
          const fits = await field.evaluate((input: HTMLInputElement) => input.scrollWidth <= input.clientWidth);
          expect(fits, `${label} shows its whole date (${await field.inputValue()})`).toBe(true);
          expect(await field.inputValue()).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
        }
        await page.getByRole('button', { name: 'Run report' }).click();
        await page.locator('main .ant-table-tbody .ant-table-cell-fix-left').first().waitFor({ timeout: 30_000 });
        await checkPage(page, `responsive-${screen.name}-05-network-report`);
        await journey.assertNoProblems(page);
        await page.context().close();
      },
      STEP_TIMEOUT,
    );

    it(
      `${screen.name} (${screen.width}×${screen.height}): a practice’s My services`,
      async () => {
        const page = await journey.newPage();
        await page.setViewportSize({ width: screen.width, height: screen.height });
        await journey.signIn(page, PRACTICE_USER);
        await journey.goto(page, '/ZP1001/participation');
        await page.getByRole('heading', { name: 'My services', level: 1 }).waitFor({ timeout: 30_000 });
        const firstService = page.locator('main .ant-table-tbody .ant-table-cell-fix-left a').first();
        await firstService.waitFor({ timeout: 30_000 });
        await checkPage(page, `responsive-${screen.name}-06-my-services`);
        expect(await horizontallyInView(page, 'main .ant-table-tbody .ant-table-cell-fix-left a')).toBe(true);
        await journey.assertNoProblems(page);
        await page.context().close();
      },
      STEP_TIMEOUT,
    );
  }
});
