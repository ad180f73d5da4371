import { expect, it } from 'vitest';
import { newContext, useBrowser } from '../support/browser.ts';
import { loadSample, ONE_STEP_WORD, trySample } from '../support/sample.ts';
import { openPage, pageUrl, readOutline, section, watchRequests } from '../support/site.ts';

const { sample } = trySample();
const browser = useBrowser();

// The search page with a query loads the index, which must come from the site itself.
it.each(['', `search/?q=${ONE_STEP_WORD}`, ...sample.branches.map((b) => b.pagePath)])('/%s loads nothing from outside 127.0.0.1 and nothing fails to load', async (pagePath) => {
  const context = await newContext(browser());
  try {
    const requests = await watchRequests(context);
    const page = await openPage(context, pagePath);
    await page.waitForLoadState('networkidle');
    expect(requests.external, 'requests to other hosts').toEqual([]);
    expect(requests.failed, 'failed requests').toEqual([]);
  } finally {
    await context.close();
  }
});

it('works with JavaScript disabled: the feed and a branch page show their content', async () => {
  const context = await newContext(browser(), { javaScriptEnabled: false });
  try {
    const branch = loadSample().branches.find((b) => b.steps.length > 0 && b.diffFiles.length > 0) ?? loadSample().branches[0]!;
    const feed = await openPage(context, '');
    const feedOutline = await readOutline(feed);
    section(feedOutline, 'Open branches');
    section(feedOutline, 'Branch history');
    for (const b of loadSample().branches) expect(feedOutline.text).toContain(b.shownTitle);

    await feed.getByRole('link', { name: branch.name, exact: true }).first().click();
    await feed.waitForURL(pageUrl(branch.pagePath), { timeout: 10_000 });
    const outline = await readOutline(feed);
    expect(await feed.locator('h1').allInnerTexts()).toEqual([branch.name]);
    for (const heading of ['Summary', 'Tutorial Steps', 'Diff']) section(outline, new RegExp(`^${heading}`, 'i'));
    for (const file of branch.diffFiles) expect(outline.text).toContain(file);
    for (const step of branch.steps) expect(outline.text).toContain(step.title);
    expect(await feed.locator(':is(pre, code, .diff-table) span').count(), 'highlighted tokens in code').toBeGreaterThan(0);
  } finally {
    await context.close();
  }
});
