import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newContext, useBrowser } from '../support/browser.ts';
import { ONE_STEP_WORD, stepSaying, trySample } from '../support/sample.ts';
import { searchSite } from '../support/pagefind.ts';
import { openPage, pageUrl, sampleSite } from '../support/site.ts';

const { sample } = trySample();
const browser = useBrowser();

const WORD = ONE_STEP_WORD;

async function waitForResults(page: Page, query: string): Promise<string> {
  const status = page.locator('#search-status');
  await expect.poll(() => status.innerText(), { timeout: 15_000 }).toMatch(new RegExp(`(results?|No results) for \u201c${query}\u201d`));
  return status.innerText();
}

describe('search', () => {
  it('/ on the feed puts the focus in the search box, and is typed as a character once there', async () => {
    const context = await newContext(browser());
    try {
      const page = await openPage(context, '');
      await page.keyboard.press('/');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('site-search');
      await page.keyboard.type('a/b');
      expect(await page.inputValue('#site-search')).toBe('a/b');
    } finally {
      await context.close();
    }
  });

  it('finds a branch by a word from one of its steps, and the result opens that step', async () => {
    const { branch, step, anchor } = stepSaying(WORD);
    const context = await newContext(browser());
    try {
      const page = await openPage(context, '');
      await page.keyboard.press('/');
      await page.keyboard.type(WORD);
      await page.keyboard.press('Enter');
      await page.waitForURL(pageUrl(`search/?q=${WORD}`), { timeout: 10_000 });
      expect(await waitForResults(page, WORD)).toBe(`1 result for \u201c${WORD}\u201d`);

      const result = page.locator('.search-result');
      expect(await result.locator('.search-result-meta').innerText()).toBe(`#${branch.id} ${branch.name}`);
      expect(await result.getByRole('link', { name: branch.title, exact: true }).getAttribute('href')).toBe(`/${branch.pagePath}`);
      // Only the step says the word: the branch's own text shows no excerpt, the step does.
      expect(await result.locator(':scope > .search-result-excerpt').count()).toBe(0);
      const place = result.locator('.search-place');
      expect(await place.locator('.search-kind').getAttribute('data-kind')).toBe('step');
      expect(await place.locator('mark').allInnerTexts()).toEqual([WORD]);
      const link = place.getByRole('link', { name: step.title });
      expect(await link.getAttribute('href')).toBe(`/${branch.pagePath}#${anchor}`);

      await link.click();
      await page.waitForURL(pageUrl(`${branch.pagePath}#${anchor}`), { timeout: 10_000 });
      const target = page.locator(':target');
      expect(await target.getAttribute('id')).toBe(anchor);
      expect(await target.locator('.step-title-text').innerText()).toBe(step.title);
      expect(await target.isVisible()).toBe(true);
      const box = await target.boundingBox();
      expect(box && box.y >= 0 && box.y < 900, 'the step is scrolled into view').toBe(true);
    } finally {
      await context.close();
    }
  });

  it('searches as the reader types, keeps the query in the address and links files to their place in the diff', async () => {
    const branch = sample.branches.find((b) => b.diffFiles.length > 0)!;
    const fileName = branch.diffFiles[0]!.split('/').pop()!;
    const context = await newContext(browser());
    try {
      const page = await openPage(context, 'search/');
      await page.locator('#site-search').pressSequentially(fileName, { delay: 20 });
      await waitForResults(page, fileName);
      expect(new URL(page.url()).searchParams.get('q')).toBe(fileName);
      const files = page.locator('.search-place').filter({ has: page.locator('.search-kind[data-kind="file"]') });
      const hrefs = await files.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      expect(hrefs.some((href) => href?.startsWith(`/${branch.pagePath}#diff-`)), `file results link into the diff: ${hrefs.join(', ')}`).toBe(true);
    } finally {
      await context.close();
    }
  });

  it('lists at most five places under a branch and links the rest to the branch page', async () => {
    // A file extension: a branch of the sample changes more than five files of that kind.
    const query = 'py';
    const places = (await searchSite(sampleSite().dir, query)).filter((hit) => hit.kind !== 'branch');
    const counts = Map.groupBy(places, (hit) => hit.branch);
    const [name, found] = [...counts].sort((a, b) => b[1].length - a[1].length)[0]!;
    expect(found.length, 'the sample should have a branch with more than five matching places').toBeGreaterThan(5);
    const branch = sample.branches.find((b) => b.name === name)!;
    const context = await newContext(browser());
    try {
      const page = await openPage(context, `search/?q=${query}`);
      await waitForResults(page, query);
      const result = page.locator('.search-result').filter({ hasText: `#${branch.id} ${branch.name}` });
      expect(await result.locator('.search-place').count()).toBe(5);
      const more = result.locator('.search-more').getByRole('link');
      expect(await more.innerText()).toBe(`and ${found.length - 5} more ${found.length - 5 === 1 ? 'place' : 'places'} in this branch`);
      expect(await more.getAttribute('href')).toBe(`/${branch.pagePath}`);
    } finally {
      await context.close();
    }
  });

  // Pagefind forgives typos (`checksumz` finds `checksum`): the word must resemble nothing in the sample.
  it('says so when nothing matches, with hints and a way back to the feed', async () => {
    const context = await newContext(browser());
    try {
      const page = await openPage(context, 'search/?q=zzqxnonsense');
      expect(await waitForResults(page, 'zzqxnonsense')).toBe('No results for \u201czzqxnonsense\u201d.');
      expect(await page.locator('.search-result').count()).toBe(0);
      const empty = page.locator('#search-empty');
      expect(await empty.isVisible()).toBe(true);
      expect(await empty.innerText()).toMatch(/branch name[\s\S]*file name[\s\S]*fewer words/);
      expect(await empty.getByRole('link', { name: 'Back to feed' }).getAttribute('href')).toBe('/');
    } finally {
      await context.close();
    }
  });

  it('fits its results on a 375 px screen without page-level horizontal scroll', async () => {
    const context = await newContext(browser(), { viewport: { width: 375, height: 812 } });
    try {
      const page = await openPage(context, `search/?q=${encodeURIComponent(sample.branches[0]!.name)}`);
      await page.locator('.search-result').first().waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    } finally {
      await context.close();
    }
  });

  it('without JavaScript, the search page says search needs it and points to the feed', async () => {
    const context = await newContext(browser(), { javaScriptEnabled: false });
    try {
      const page = await openPage(context, `search/?q=${WORD}`);
      const status = page.locator('.search-results');
      expect(await status.innerText()).toMatch(/needs JavaScript, which is off or blocked here. Turn it on/);
      expect(await status.getByRole('link', { name: 'the feed' }).getAttribute('href')).toBe('/');
      // The box does not claim a shortcut that needs the script.
      expect(await page.locator('#site-search').getAttribute('placeholder')).toBe('Search');
    } finally {
      await context.close();
    }
  });
});
