import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIG_BRANCH, REWRITE, writeBigArchive } from '../support/big-branch.ts';
import { TABLE_LINES } from '../../scripts/render/diff-tables.ts';
import { axeViolations } from '../support/axe.ts';
import { buildSite } from '../support/build-site.ts';
import { newContext, useBrowser } from '../support/browser.ts';
import { serveStatic, type StaticServer } from '../support/server.ts';
import { pageUrl, sharedSetup } from '../support/site.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * A branch the size of the largest real ones (100 files, 30,000 diff lines), read as a reader
 * would: how much the page weighs, how fast the Unified / Split switch answers, phones, keyboard.
 */
const browser = useBrowser();
const PAGE = `branch/${BIG_BRANCH.id}/`;
/** The page budget's hard limits (scripts/render/page-budget.ts keeps well under them). */
const MAX_HTML_BYTES = 1.5 * 1024 * 1024;
const MAX_ELEMENTS = 60_000;
/**
 * What the budget is for: a page a phone reads quickly (Lighthouse mobile ≥ 90 on real histories
 * needed about 5,000 elements and 200 KB; README, "Reading real histories").
 */
const QUICK_HTML_BYTES = 250_000;
const QUICK_ELEMENTS = 7_000;
/**
 * With every file's entry and header, a hundred files fill the branch page's budget, so each diff
 * is on a page of its own: the lock file (1, 3,000 lines in one hunk, the largest page of rows) and
 * an ordinary file of seven hunks that no step cites (4).
 */
const LARGEST_FILE_PAGE = `${PAGE}files/1/`;
const ORDINARY_FILE_PAGE = `${PAGE}files/4/`;
/**
 * The switch's aim is 100 ms; this bound only catches a page that freezes again (on the shared
 * 2-core machine the same switch takes two or three times as long as on a quiet one).
 */
const MAX_SWITCH_MS = 500;

let server: StaticServer | undefined;
const site = sharedSetup(async () => {
  const dir = await tempDir('review-archive-big-');
  await writeBigArchive(path.join(dir, 'content'));
  await buildSite({ content: path.join(dir, 'content'), out: path.join(dir, 'dist'), cache: path.join(dir, 'cache'), timeoutMs: 280_000 });
  server = await serveStatic(path.join(dir, 'dist'));
  return { dir: path.join(dir, 'dist'), url: server.url };
});
// The build (about a minute on 2 cores) belongs to the setup, not to the first test's time.
beforeAll(() => site(), 300_000);
afterAll(() => server?.close());

async function open(pagePath: string, options: Parameters<typeof newContext>[1] = {}): Promise<Page> {
  const { url } = await site();
  const context = await newContext(browser(), options);
  const page = await context.newPage();
  const response = await page.goto(new URL(pagePath, url).href, { waitUntil: 'load' });
  expect(response?.status()).toBe(200);
  return page;
}

/** Clicks a view button and times it to the frame after the next one, when the new view is painted. */
function timeSwitch(page: Page, view: 'Split' | 'Unified'): Promise<number> {
  return page.evaluate(async (name) => {
    const button = [...document.querySelectorAll<HTMLButtonElement>('[data-view-switch] button')].find((b) => b.textContent === name)!;
    const started = performance.now();
    button.click();
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    return performance.now() - started;
  }, view);
}

/**
 * Scrolls down the split rows until no more are made (hunks and slices are split as they near the
 * window) and says how many there are.
 */
async function scrollThroughSplit(page: Page, within: ReturnType<Page['locator']>): Promise<number> {
  let count = 0;
  for (let still = 0; still < 10; ) {
    await within.locator('tr.split').last().scrollIntoViewIfNeeded();
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    const now = await within.locator('tr.split').count();
    still = now === count ? still + 1 : 0;
    count = now;
  }
  return count;
}

describe('a branch of 100 files and 30,000 diff lines', () => {
  it('stays well under 1.5 MB of HTML and 60,000 elements, its files on pages of their own', async () => {
    const { dir } = await site();
    const html = await readFile(path.join(dir, PAGE, 'index.html'));
    const page = await open(PAGE);
    const elements = await page.evaluate(() => document.getElementsByTagName('*').length);
    console.log(`big branch page: ${html.length.toLocaleString('en-US')} bytes of HTML, ${elements.toLocaleString('en-US')} elements`);
    expect(html.length).toBeLessThan(MAX_HTML_BYTES);
    expect(elements).toBeLessThan(MAX_ELEMENTS);
    expect(html.length).toBeLessThan(QUICK_HTML_BYTES);
    expect(elements).toBeLessThan(QUICK_ELEMENTS);
    // Every file keeps its header; the lock file and the large one are linked, with their counts.
    expect(await page.locator('.diff-file').count()).toBe(BIG_BRANCH.files);
    const lock = page.locator('.diff-file', { has: page.locator('.diff-file-path', { hasText: 'package-lock.json' }) });
    expect(await lock.locator('.diff-file-elsewhere').innerText()).toBe('Lock file: generated by a package manager. Open the diff on its own page (3,000 changed lines, 1 hunk).');
    const ordinary = page.locator('.diff-file', { has: page.locator('.diff-file-path', { hasText: 'src/module001/part.ts' }) });
    expect(await ordinary.locator('.diff-file-elsewhere').innerText()).toBe('Large diff. Open the diff on its own page (238 changed lines, 7 hunks).');
    // A header with no diff under it has nothing to skip: no "Skip to the next file" stop.
    expect(await page.locator('.skip-file').count()).toBe(0);
    // The list of 100 files starts folded under its summary; opened, it links the file's page.
    const fold = page.locator('.file-list-fold');
    expect(await fold.evaluate((details) => (details as HTMLDetailsElement).open)).toBe(false);
    expect(await fold.locator('summary').innerText()).toMatch(/^100 files changed, \+[\d,]+ \u2212[\d,]+$/);
    await fold.locator('summary').click();
    const listed = page.locator('.file-list li', { hasText: 'package-lock.json' }).getByRole('link', { name: 'own page' });
    expect(await listed.getAttribute('href')).toBe(`/${PAGE}files/1/`);
    await page.context().close();
  });

  it('shows a moved file whole on its own page, linked back to its place on the branch page', async () => {
    const page = await open(`${PAGE}files/1/`);
    expect(await page.locator('h1').innerText()).toBe('package-lock.json');
    expect(await page.locator('#diff tbody.hunk tr.a').count()).toBe(3_000);
    expect(await page.getByRole('link', { name: /Back to branch #1/ }).getAttribute('href')).toMatch(new RegExp(`^/${PAGE}#diff-`));
    await page.context().close();
  });

  it('switches a file page to split and back in well under half a second (the real figures are printed)', async () => {
    // The 3,000-line page is one hunk, written as tables of TABLE_LINES lines that the browser lays
    // out one by one: a switch makes (and lays out) only the tables in the window.
    const largest = await open(LARGEST_FILE_PAGE);
    const tables = largest.locator('#diff table.diff-table');
    expect(await tables.count()).toBe(3_000 / TABLE_LINES);
    expect(await largest.locator('#diff .diff-part table.diff-table').count()).toBe(3_000 / TABLE_LINES);
    const largestSplit = await timeSwitch(largest, 'Split');
    const hunk = largest.locator('#diff tbody.hunk');
    const splitNow = await hunk.locator('tr.split').count();
    const largestBack = await timeSwitch(largest, 'Unified');
    const again = await timeSwitch(largest, 'Split');
    const againBack = await timeSwitch(largest, 'Unified');
    const load = (await readFile('/proc/loadavg', 'utf8').catch(() => '?')).split(' ')[0];
    console.log(`view switch on the big branch's 3,000-line file page: to split ${largestSplit.toFixed(0)} ms (${splitNow} rows made), back ${largestBack.toFixed(0)} ms; again ${again.toFixed(0)} ms and ${againBack.toFixed(0)} ms (load average ${load})`);
    expect(splitNow).toBeGreaterThan(0);
    expect(splitNow).toBeLessThanOrEqual(2 * TABLE_LINES);
    // The better of two tries: a page that freezes is slow every time, a busy machine now and then.
    expect(Math.min(largestSplit, again)).toBeLessThan(MAX_SWITCH_MS);
    expect(Math.min(largestBack, againBack)).toBeLessThan(MAX_SWITCH_MS);
    // Scrolled to its end in split, every line reads side by side, in order, and none is left unified.
    await timeSwitch(largest, 'Split');
    expect(await scrollThroughSplit(largest, hunk)).toBe(3_000);
    expect(await hunk.locator('tr.a:visible').count()).toBe(0);
    const newSide = await hunk.locator('tr.split > td:nth-child(3)').evaluateAll((cells) => cells.map((cell) => Number(cell.textContent)));
    expect(newSide).toEqual(Array.from({ length: 3_000 }, (_, index) => newSide[0]! + index));
    // And back: the page's own rows, in order, with their line-number cells (the permalinks) in place.
    await timeSwitch(largest, 'Unified');
    expect(await hunk.locator('tr.split').count()).toBe(0);
    const unifiedNew = await hunk.locator('tr.a > td:nth-child(2)').evaluateAll((cells) => cells.map((cell) => Number(cell.textContent)));
    expect(unifiedNew).toEqual(newSide);
    await largest.context().close();
    const page = await open(ORDINARY_FILE_PAGE);
    const toSplit = await timeSwitch(page, 'Split');
    expect(await page.locator('#diff').getAttribute('data-view')).toBe('split');
    const back = await timeSwitch(page, 'Unified');
    const [toSplitAgain, backAgain] = [await timeSwitch(page, 'Split'), await timeSwitch(page, 'Unified')];
    console.log(`view switch on a 238-line file page of the big branch: to split ${toSplit.toFixed(0)} ms, back ${back.toFixed(0)} ms; again ${toSplitAgain.toFixed(0)} ms and ${backAgain.toFixed(0)} ms`);
    expect(Math.min(toSplit, toSplitAgain)).toBeLessThan(MAX_SWITCH_MS);
    expect(Math.min(back, backAgain)).toBeLessThan(MAX_SWITCH_MS);
    // Split again, the file's last lines read side by side too, and no unified row is left visible.
    await timeSwitch(page, 'Split');
    const file = page.locator('.diff-file');
    expect(await scrollThroughSplit(page, file)).toBe(7 * 23);
    expect(await file.locator('tbody.hunk tr.a:visible, tbody.hunk tr.d:visible').count()).toBe(0);
    await page.context().close();
  });

  it('pairs a long rewrite side by side across its tables, and puts every row back in order', async () => {
    // 600 rows are over the page budget: the file is on a page of its own.
    const page = await open(`branch/2/files/2/`);
    const file = page.locator('.diff-file', { has: page.locator('.diff-file-path', { hasText: REWRITE.path }) });
    // 300 deleted lines, then 300 added: the deleted ones are in the first tables, the added ones after.
    expect(await file.locator('table.diff-table').count()).toBe((2 * REWRITE.lines) / TABLE_LINES);
    const anchors = await file.locator('tbody.hunk td[id]').evaluateAll((cells) => cells.map((cell) => cell.id));
    expect(anchors).toHaveLength(2 * REWRITE.lines);
    await file.scrollIntoViewIfNeeded();
    await timeSwitch(page, 'Split');
    expect(await scrollThroughSplit(page, file)).toBe(REWRITE.lines);
    // Each row holds old line n beside new line n, in order; no line is left unified, none shown twice.
    const sides = await file.locator('tr.split').evaluateAll((rows) => rows.map((row) => [row.children[0]!.textContent, row.children[2]!.textContent].map(Number)));
    expect(sides).toEqual(Array.from({ length: REWRITE.lines }, (_, i) => [i + 1, i + 1]));
    expect(await file.locator('tbody.hunk > tr.a:visible, tbody.hunk > tr.d:visible').count()).toBe(0);
    // (textContent: the first tables are out of the window now, and a box the browser skips has no innerText.)
    expect(await file.locator('tr.split td.split-code.del').first().textContent()).toContain('computeOld(0, 1,');
    expect(await file.locator('tr.split td.split-code.add').first().textContent()).toContain('computeNew(0, 1,');
    const splitAnchors = await file.locator('tbody.hunk td[id]').evaluateAll((cells) => cells.map((cell) => cell.id));
    expect([...splitAnchors].sort()).toEqual([...anchors].sort());
    await timeSwitch(page, 'Unified');
    expect(await file.locator('tr.split').count()).toBe(0);
    expect(await file.locator('tbody.hunk td[id]').evaluateAll((cells) => cells.map((cell) => cell.id))).toEqual(anchors);
    expect(await file.locator('tbody.hunk > tr.d > td:nth-child(4)').first().textContent()).toContain('computeOld(0, 1,');
    await page.context().close();
  });

  // Slow: a file page of several tables, audited whole (support/axe.ts lays out every table), twice.
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`has no axe violations on a diff of several tables, unified and split, in ${colorScheme} mode`, { timeout: 360_000 }, async () => {
      const page = await open(ORDINARY_FILE_PAGE, { colorScheme });
      expect(await page.locator('#diff .diff-part').count()).toBeGreaterThan(1);
      expect(await axeViolations(page)).toEqual([]);
      await timeSwitch(page, 'Split');
      expect(await page.locator('tr.split').count()).toBeGreaterThan(0);
      expect(await axeViolations(page)).toEqual([]);
      await page.context().close();
    });
  }

  it('moves the arrow keys along a hunk from one of its tables to the next', async () => {
    const page = await open(LARGEST_FILE_PAGE);
    const firstTable = page.locator('#diff table.diff-table').first();
    await firstTable.locator('td[id] > a').last().focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.parentElement?.id)).toMatch(new RegExp(`R${TABLE_LINES + 1}$`));
    await page.keyboard.press('ArrowUp');
    expect(await page.evaluate(() => document.activeElement?.parentElement?.id)).toMatch(new RegExp(`R${TABLE_LINES}$`));
    await page.context().close();
  });

  it('offers no split view at 375 px, and a split remembered on a wide screen reads as unified there', async () => {
    const page = await open(ORDINARY_FILE_PAGE, { viewport: { width: 375, height: 800 } });
    await page.evaluate(() => localStorage.setItem('review-archive:diff-view', 'split'));
    await page.reload({ waitUntil: 'load' });
    expect(await page.locator('[data-view-switch]').isVisible()).toBe(false);
    expect(await page.locator('#diff').getAttribute('data-view')).not.toBe('split');
    expect(await page.locator('tr.split').count()).toBe(0);
    // Widened, the remembered choice comes back.
    await page.setViewportSize({ width: 1280, height: 900 });
    await expect.poll(() => page.locator('#diff').getAttribute('data-view'), { timeout: 10_000 }).toBe('split');
    await page.context().close();
  });

  it('makes a file one tab stop per hunk plus its own (path, scroll box); arrows move along the lines', async () => {
    const page = await open(ORDINARY_FILE_PAGE);
    const file = page.locator('.diff-file:has(tbody.hunk)');
    const hunks = await file.locator('tbody.hunk').count();
    expect(hunks).toBeGreaterThan(3);
    await file.locator('.diff-file-path a').focus();
    const stops: string[] = [];
    for (let i = 0; i < hunks + 10; i++) {
      await page.keyboard.press('Tab');
      const inFile = await file.evaluate((element) => element.contains(document.activeElement) && !element.querySelector('.diff-file-path a')!.isSameNode(document.activeElement));
      if (!inFile) break;
      stops.push(await page.evaluate(() => `${document.activeElement!.tagName}.${document.activeElement!.className}`));
    }
    // After the path link: the scroll box, then each hunk's header link (a file page has no next file to skip to).
    expect(stops.length).toBe(hunks + 1);
    const header = file.locator('tbody.hunk').first().locator('.hunk-header a');
    await header.focus();
    await page.keyboard.press('ArrowDown');
    const firstLine = await page.evaluate(() => document.activeElement?.parentElement?.id);
    expect(firstLine).toMatch(/^f[0-9a-f]+L\d+$/);
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.parentElement?.id)).not.toBe(firstLine);
    await page.context().close();
  });

  it('never leaves a focused hunk link or line number under the sticky file header', async () => {
    const page = await open(ORDINARY_FILE_PAGE);
    const file = page.locator('.diff-file:has(tbody.hunk)');
    const links = file.locator('.hunk-header a');
    const count = await links.count();
    // Backwards from the last hunk, as Shift+Tab goes: each lands at the top of the window.
    await links.nth(count - 1).focus();
    for (let i = 0; i < count - 1; i++) {
      await page.keyboard.press('Shift+Tab');
      const { top, headerBottom } = await file.evaluate((element) => ({
        top: document.activeElement!.getBoundingClientRect().top,
        headerBottom: element.querySelector('.diff-file-header')!.getBoundingClientRect().bottom,
      }));
      expect(top).toBeGreaterThanOrEqual(headerBottom - 1);
    }
    // Up along the line numbers from the last line of a hunk, too.
    const lastHunk = file.locator('tbody.hunk').last();
    await lastHunk.locator('td[id] > a').last().focus();
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('ArrowUp');
      const { top, headerBottom } = await file.evaluate((element) => ({
        top: document.activeElement!.getBoundingClientRect().top,
        headerBottom: element.querySelector('.diff-file-header')!.getBoundingClientRect().bottom,
      }));
      expect(top).toBeGreaterThanOrEqual(headerBottom - 1);
    }
    await page.context().close();
  });
});

describe('the search page', () => {
  for (const viewport of [
    { width: 1280, height: 900 },
    { width: 375, height: 800 },
  ]) {
    it(`does not shift its layout as results arrive (CLS under 0.1 at ${viewport.width} px)`, async () => {
      const context = await newContext(browser(), { viewport });
      const page = await context.newPage();
      await page.addInitScript(() => {
        (window as unknown as { shift: number }).shift = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as Array<PerformanceEntry & { value: number; hadRecentInput: boolean }>) {
            if (!entry.hadRecentInput) (window as unknown as { shift: number }).shift += entry.value;
          }
        }).observe({ type: 'layout-shift', buffered: true });
      });
      await page.goto(pageUrl('search/?q=checksum'), { waitUntil: 'load' });
      await expect.poll(() => page.locator('.search-result').count(), { timeout: 15_000 }).toBeGreaterThan(0);
      await page.waitForTimeout(300);
      const shift = await page.evaluate(() => (window as unknown as { shift: number }).shift);
      console.log(`search page CLS at ${viewport.width} px: ${shift.toFixed(3)}`);
      expect(shift).toBeLessThan(0.1);
      await context.close();
    });
  }
});
