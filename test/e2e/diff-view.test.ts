import { expect, it } from 'vitest';
import { newContext, useBrowser } from '../support/browser.ts';
import { clickWhenSteady, openPage, pageUrl } from '../support/site.ts';

const browser = useBrowser();

/** A sample branch with a ready tutorial whose evidence cites a hunk with both deletions and additions. */
const BRANCH = 'branch/105/';

it('switches between unified and split views, keeps line anchors, and remembers the choice', async () => {
  const context = await newContext(browser());
  try {
    const page = await openPage(context, BRANCH);
    const diff = page.locator('#diff');
    const anchors = await diff.locator('tbody.hunk td[id]').evaluateAll((cells) => cells.map((cell) => cell.id));
    expect(anchors.length).toBeGreaterThan(10);

    await clickWhenSteady(page.getByRole('button', { name: 'Split' }));
    await expect.poll(() => diff.getAttribute('data-view')).toBe('split');
    expect(await page.getByRole('button', { name: 'Split' }).getAttribute('aria-pressed')).toBe('true');
    // Side by side: a deleted line and its replacement share a row. Tables are rearranged in the
    // window at the click and as they near it: the first file may still be below the window (at
    // 1280×900 the file list sits between the button and it), so read on to it as a reader would.
    await diff.locator('.diff-file:has(tbody.hunk)').first().scrollIntoViewIfNeeded();
    await expect.poll(() => diff.locator('tr.split:has(td.split-code.del):has(td.split-code.add)').count(), { timeout: 5_000 }).toBeGreaterThan(0);
    await expect.poll(() => diff.locator('.diff-file:has(tbody.hunk)').first().locator('tbody.hunk tr.a:visible, tbody.hunk tr.d:visible').count(), { timeout: 5_000 }).toBe(0);
    // Every line anchor still exists exactly once.
    const splitAnchors = await diff.locator('tbody.hunk td[id]').evaluateAll((cells) => cells.map((cell) => cell.id));
    expect([...splitAnchors].sort()).toEqual([...anchors].sort());

    await page.reload();
    await expect.poll(() => diff.getAttribute('data-view')).toBe('split');

    await clickWhenSteady(page.getByRole('button', { name: 'Unified' }));
    await expect.poll(() => diff.getAttribute('data-view')).toBe('unified');
    expect(await diff.locator('tr.split').count()).toBe(0);
    const unifiedAnchors = await diff.locator('tbody.hunk td[id]').evaluateAll((cells) => cells.map((cell) => cell.id));
    expect(unifiedAnchors).toEqual(anchors);
  } finally {
    await context.close();
  }
});

it('follows an evidence link to its hunk in the full diff and back to the step', async () => {
  const context = await newContext(browser());
  try {
    const page = await openPage(context, BRANCH);
    const evidenceLink = page.locator('#step-1 figure.evidence figcaption a').first();
    const target = (await evidenceLink.getAttribute('href'))!.slice(1);
    await evidenceLink.click();
    await page.waitForURL(`${pageUrl(BRANCH)}#${target}`);
    const hunk = page.locator(`[id="${target}"]`);
    await expect.poll(() => hunk.evaluate((el) => el.getBoundingClientRect().top)).toBeLessThan(200);

    await hunk.locator('.cited-by a', { hasText: 'step 1' }).click();
    await page.waitForURL(`${pageUrl(BRANCH)}#step-1`);
    await expect.poll(() => page.locator('#step-1').evaluate((el) => Math.abs(el.getBoundingClientRect().top))).toBeLessThan(200);
  } finally {
    await context.close();
  }
});

it('scrolls a line permalink into view and marks the line, with JavaScript off too', async () => {
  for (const javaScriptEnabled of [true, false]) {
    const context = await newContext(browser(), { javaScriptEnabled });
    try {
      const page = await openPage(context, BRANCH);
      const anchor = await page.locator('#diff tbody.hunk tr.c > td[id]').last().getAttribute('id');
      await page.goto(`${pageUrl(BRANCH)}#${anchor}`);
      const cell = page.locator(`[id="${anchor}"]`);
      const box = await cell.evaluate((el) => el.getBoundingClientRect().toJSON() as DOMRect);
      const viewport = page.viewportSize()!;
      expect(box.top).toBeGreaterThanOrEqual(0);
      expect(box.bottom).toBeLessThanOrEqual(viewport.height);
      // Not hidden under the file's sticky header.
      const onTop = await cell.evaluate((el) => {
        const rect = el.getBoundingClientRect();
        const hit = document.elementFromPoint(rect.left + rect.width / 2, rect.top + rect.height / 2);
        return hit !== null && el.contains(hit);
      });
      expect(onTop).toBe(true);
      // The targeted number is highlighted, and it is a link to itself.
      expect(await cell.evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe('rgba(0, 0, 0, 0)');
      expect(await cell.locator('a').getAttribute('href')).toBe(`#${anchor}`);
    } finally {
      await context.close();
    }
  }
});

it('shows a changed binary image before and after, loaded from next to the page', async () => {
  const context = await newContext(browser());
  try {
    const page = await openPage(context, BRANCH);
    const images = page.locator('.binary-images img');
    expect(await images.count()).toBe(2);
    for (const image of await images.all()) {
      await image.scrollIntoViewIfNeeded();
      await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    }
  } finally {
    await context.close();
  }
});
