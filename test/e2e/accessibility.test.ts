import { describe, it } from 'vitest';
import { axeViolations } from '../support/axe.ts';
import { newContext, useBrowser } from '../support/browser.ts';
import { trySample } from '../support/sample.ts';
import { openPage } from '../support/site.ts';

const { sample } = trySample();
const browser = useBrowser();

// The search page twice: as it first shows, and with results (written by its script).
const pages = ['', 'state/merged/', 'stats/', 'search/', `search/?q=${encodeURIComponent(sample.branches[0]?.name ?? '')}`, ...sample.branches.map((b) => b.pagePath)];
const cases = pages.flatMap((pagePath) => (['light', 'dark'] as const).map((scheme) => [pagePath, scheme] as const));

// Two pages at a time (the e2e project's maxConcurrency): axe runs in the page's renderer, a
// process of its own, on a core the test runner leaves idle while it waits.
describe.concurrent('axe', () => {
  it.for(cases)('axe finds no violations on /%s in %s mode', { timeout: 180_000 }, async ([pagePath, colorScheme], { expect }) => {
    const context = await newContext(browser(), { colorScheme });
    try {
      const page = await openPage(context, pagePath);
      if (pagePath.includes('?q=')) await page.locator('.search-result').first().waitFor({ timeout: 15_000 });
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
