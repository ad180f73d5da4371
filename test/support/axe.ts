import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/**
 * A diff's tables sit under `content-visibility: auto`, so the browser skips laying out what is off
 * screen. axe then leaves the colours of hundreds of elements there unchecked ("incomplete": 362 on
 * the sample's branch #105) and lays skipped tables out again for each element it does check. For
 * the audit every table is laid out: what it checks is the page's colours and structure, on every
 * line of code.
 */
const LAY_OUT_EVERY_TABLE = '* { content-visibility: visible !important; }';

/** axe's violations on `page` as it is now, one readable line each (empty when there are none). */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addStyleTag({ content: LAY_OUT_EVERY_TABLE });
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.length} element(s), e.g. ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}${n.failureSummary ? ` [${n.failureSummary.replace(/\s+/g, ' ').slice(0, 160)}]` : ''}`).join('; ')}`,
  );
}
