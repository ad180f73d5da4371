import { AxeBuilder } from '@axe-core/playwright';
import type { RunOptions } from 'axe-core';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * A diff's tables sit under `content-visibility: auto`, so the browser skips laying out what is off
 * screen. axe then leaves the colours of hundreds of elements there unchecked ("incomplete": 362 on
 * the sample's branch #105) and lays skipped tables out again for each element it does check. For
 * the audit every table is laid out: what it checks is the page's colours and structure, on every
 * line of code.
 */
const LAY_OUT_EVERY_TABLE = '* { content-visibility: visible !important; }';

/**
 * How axe runs, chosen for time (the audit of the sample is a quarter of CI): legacy mode runs
 * `axe.run` in the page itself instead of `runPartial` in every frame and `finishRun` in a blank
 * page, which our pages (no iframes, a test asserts it) do not need: 11.0 s against 5.0 s on
 * branch #105's 5,509 elements, the same violations. Only violations are collected: axe then skips
 * building selectors and summaries for the thousands of elements that pass.
 */
const AUDIT_OPTIONS: RunOptions = { resultTypes: ['violations'] };

/** axe's violations on `page` as it is now, one readable line each (empty when there are none). */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addStyleTag({ content: LAY_OUT_EVERY_TABLE });
  expect(await page.locator('iframe, frame').count(), 'a page with frames needs axe without legacy mode').toBe(0);
  const results = await new AxeBuilder({ page }).setLegacyMode(true).options(AUDIT_OPTIONS).analyze();
  return results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.length} element(s), e.g. ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}${n.failureSummary ? ` [${n.failureSummary.replace(/\s+/g, ' ').slice(0, 160)}]` : ''}`).join('; ')}`,
  );
}
