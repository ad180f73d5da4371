import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations } from '../support/axe.ts';
import { newContext, useBrowser } from '../support/browser.ts';
import { openPage } from '../support/site.ts';

const browser = useBrowser();
// The sample's station-wind branch: run 239 failed in its Rust lane, and every lane has a log.
const CI_PAGE = 'branch/106/ci/';

/** A log line's text as a reader sees it, from its number (which holds its anchor) to the line's end: a plain line has no element of its own. */
const lineText = (number: Locator) =>
  number.evaluate((el) => {
    let text = '';
    for (let node = el.nextSibling; node; node = node.nextSibling) {
      const piece = node.textContent ?? '';
      const end = piece.indexOf('\n');
      if (end >= 0) return text + piece.slice(0, end);
      text += piece;
    }
    return text;
  });

describe('the CI details page', () => {
  it('goes from a failed lane chip on the branch page to that lane, open, on the CI page', async () => {
    const context = await newContext(browser());
    try {
      const page = await openPage(context, 'branch/106/');
      await page.locator('#ci .ci-run-latest a.lane-link', { hasText: 'gauge' }).click();
      await page.waitForURL(/\/branch\/106\/ci\/#run-239-gauge$/);
      const lane = page.locator('#run-239-gauge');
      expect(await lane.getAttribute('open')).toBe('');
      await expect.poll(() => lane.locator('.lane-errors').isVisible()).toBe(true);
      expect(await lane.locator('.lane-errors-title').textContent()).toBe('5 errors');
    } finally {
      await context.close();
    }
  });

  it('opens a folded group, and follows a line permalink from the error list to its line', async () => {
    const context = await newContext(browser());
    try {
      const page = await openPage(context, `${CI_PAGE}#run-239-gauge`);
      const group = page.locator('#run-239-gauge .log details.ls', { has: page.locator('#run-239-gauge-L1') });
      const inside = page.locator('#run-239-gauge-L2');
      expect(await inside.isVisible()).toBe(false);
      await group.locator('> summary').click();
      await expect.poll(() => inside.isVisible()).toBe(true);
      expect(await lineText(inside)).toBe('08:57:15Image: ubuntu-24.04');

      await page.locator('#run-239-gauge .lane-errors a', { hasText: 'line 89' }).click();
      await page.waitForURL(/#run-239-gauge-L89$/);
      const target = page.locator('#run-239-gauge-L89');
      expect(await target.evaluate((el) => el.matches(':target'))).toBe(true);
      expect(await lineText(target)).toContain("panicked at gauge/src/wind.rs:112:9");
      await expect.poll(() => target.evaluate((el) => { const box = el.getBoundingClientRect(); return box.bottom > 0 && box.top < window.innerHeight; })).toBe(true);
      // The line number is the permalink itself, and holds the anchor.
      expect(await target.evaluate((el) => el.tagName)).toBe('A');
      expect(await target.getAttribute('href')).toBe('#run-239-gauge-L89');
      expect(await target.textContent()).toBe('89');
    } finally {
      await context.close();
    }
  });

  it('reads without JavaScript: failed lanes open with their log, passed lanes folded', async () => {
    const context = await newContext(browser(), { javaScriptEnabled: false });
    try {
      const page = await openPage(context, CI_PAGE);
      expect(await page.locator('#run-239-gauge-L103').isVisible()).toBe(true);
      expect(await page.locator('#run-239-ingest').getAttribute('open')).toBeNull();
      expect(await page.locator('.ci-details-run').first().getAttribute('id')).toBe('run-239');
    } finally {
      await context.close();
    }
  });

  it.each([CI_PAGE, 'nightly/main/'])('/%s has no page-level horizontal scroll at 375px, every lane open', async (pagePath) => {
    const context = await newContext(browser(), { viewport: { width: 375, height: 812 } });
    try {
      const page = await openPage(context, pagePath);
      await page.evaluate(() => document.querySelectorAll('details').forEach((details) => (details.open = true)));
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(scrollWidth).toBeLessThanOrEqual(375);
      // Long lines scroll inside their log box instead, and every line's number stays in view as they do.
      if (pagePath === CI_PAGE) {
        const log = page.locator('#run-239-gauge .log');
        expect(await log.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
        await log.evaluate((el) => (el.scrollLeft = el.scrollWidth));
        for (const line of [2, 90, 99]) {
          const [number, box] = await Promise.all([page.locator(`#run-239-gauge-L${line}`).boundingBox(), log.boundingBox()]);
          expect(number!.x, `line ${line}'s number`).toBeGreaterThanOrEqual(box!.x);
          expect(number!.x + number!.width, `line ${line}'s number`).toBeLessThanOrEqual(box!.x + box!.width);
        }
      }
    } finally {
      await context.close();
    }
  });

  it.each([
    [CI_PAGE, 'light'],
    [CI_PAGE, 'dark'],
    ['nightly/main/', 'light'],
    ['nightly/main/', 'dark'],
  ] as const)('axe finds no violations on /%s in %s mode, every lane and group of the latest run open', async (pagePath, colorScheme) => {
    const context = await newContext(browser(), { colorScheme });
    try {
      const page = await openPage(context, pagePath);
      // The latest run's lanes hold every kind of log line (colours, 256-colour progress bar, groups,
      // GitLab sections, errors); opening older runs too only repeats them, and axe's time grows with each.
      await page.evaluate(() => document.querySelectorAll('.ci-details-run:first-child details').forEach((details) => ((details as HTMLDetailsElement).open = true)));
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 240_000);
});
