import { AxeBuilder } from '@axe-core/playwright';
import { expect, it } from 'vitest';
import { newContext, useBrowser } from '../support/browser.ts';
import { trySample } from '../support/sample.ts';
import { openPage } from '../support/site.ts';

const { sample } = trySample();
const browser = useBrowser();

// The search page twice: as it first shows, and with results (written by its script).
const pages = ['', 'state/merged/', 'stats/', 'search/', `search/?q=${encodeURIComponent(sample.branches[0]?.name ?? '')}`, ...sample.branches.map((b) => b.pagePath)];
const cases = pages.flatMap((pagePath) => (['light', 'dark'] as const).map((scheme) => [pagePath, scheme] as const));

it.each(cases)('axe finds no violations on /%s in %s mode', async (pagePath, colorScheme) => {
  const context = await newContext(browser(), { colorScheme });
  try {
    const page = await openPage(context, pagePath);
    if (pagePath.includes('?q=')) await page.locator('.search-result').first().waitFor({ timeout: 15_000 });
    const results = await new AxeBuilder({ page }).analyze();
    const violations = results.violations.map(
      (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.length} element(s), e.g. ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}${n.failureSummary ? ` [${n.failureSummary.replace(/\s+/g, ' ').slice(0, 160)}]` : ''}`).join('; ')}`,
    );
    expect(violations).toEqual([]);
  } finally {
    await context.close();
  }
});
