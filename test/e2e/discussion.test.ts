import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newContext, useBrowser } from '../support/browser.ts';
import { openPage, pageUrl } from '../support/site.ts';

const browser = useBrowser();

/** Sample branch 101: a resolved thread with a suggestion on checksum.rs lines 31-32, an open one on line 7. */
const BRANCH = 'branch/101/';

/** The text of the diff line a thread row sits under, in whichever view is showing. */
function lineAbove(page: Page, threadId: string): Promise<string> {
  return page.evaluate((id) => {
    const row = document.getElementById(id)!.closest('tr')!;
    let above = row.previousElementSibling as HTMLTableRowElement | null;
    while (above && (above.hidden || above.className === 't')) above = above.previousElementSibling as HTMLTableRowElement | null;
    // Unified rows: old number, new number, sign, code. Split rows: old number, old code, new number, new code.
    const cells = [...above!.cells];
    // The split view's code cell starts with its sign; the unified view's sign has a cell of its own.
    const code = cells[3]!.textContent!.replace(/^[+-]/, '').trim();
    return `${above!.className === 'split' ? cells[2]!.textContent : cells[1]!.textContent} ${code}`;
  }, threadId);
}

describe('review threads on the branch page', () => {
  it('sits under its line in the unified view and in the split view', async () => {
    const context = await newContext(browser());
    try {
      const page = await openPage(context, BRANCH);
      expect(await lineAbove(page, 'thread-2')).toBe('7 const POLY: u16 = 0x1021;');
      expect(await lineAbove(page, 'thread-1')).toBe('32 .fold(0xFFFF, |crc, &byte| (crc << 8) ^ TABLE[usize::from((crc >> 8) as u8 ^ byte)])');
      await page.getByRole('button', { name: 'Split' }).click();
      await expect.poll(() => page.locator('#diff').getAttribute('data-view')).toBe('split');
      expect(await lineAbove(page, 'thread-2')).toBe('7 const POLY: u16 = 0x1021;');
      expect(await lineAbove(page, 'thread-1')).toBe('32 .fold(0xFFFF, |crc, &byte| (crc << 8) ^ TABLE[usize::from((crc >> 8) as u8 ^ byte)])');
      await page.getByRole('button', { name: 'Unified' }).click();
      expect(await lineAbove(page, 'thread-2')).toBe('7 const POLY: u16 = 0x1021;');
    } finally {
      await context.close();
    }
  });

  it('starts a resolved thread collapsed, saying "resolved" and its first words, and opens it', async () => {
    const context = await newContext(browser(), { javaScriptEnabled: false });
    try {
      const page = await openPage(context, BRANCH);
      const thread = page.locator('#thread-1');
      expect(await thread.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(false);
      // Files off screen are not laid out (content-visibility: auto), and innerText reads layout.
      await thread.scrollIntoViewIfNeeded();
      await expect.poll(() => thread.locator('summary').innerText()).toMatch(/^▶?\s*✓ resolved Mira Kaur: The shift and the index read more easily as two lines, and… \(2 comments\)$/);
      expect(await thread.locator('.suggestion').isVisible()).toBe(false);
      await thread.locator('summary').click();
      expect(await thread.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(true);
      expect(await thread.locator('.suggestion tr.d').count()).toBe(2);
      expect(await thread.locator('.suggestion tr.a').count()).toBe(4);
    } finally {
      await context.close();
    }
  });

  it('links every thread from the Conversation, and the link scrolls to it', async () => {
    const context = await newContext(browser());
    try {
      const page = await openPage(context, BRANCH);
      const links = page.locator('#conversation .event-thread .event-meta a[href^="#thread-"]');
      expect(await links.evaluateAll((all) => all.map((a) => a.getAttribute('href')))).toEqual(['#thread-1', '#thread-2']);
      await links.nth(1).click();
      await page.waitForURL(`${pageUrl(BRANCH)}#thread-2`);
      const top = () => page.locator('#thread-2').evaluate((el) => el.getBoundingClientRect().top);
      await expect.poll(top).toBeGreaterThanOrEqual(0);
      await expect.poll(top).toBeLessThan(400);
    } finally {
      await context.close();
    }
  });

  it('shows the Conversation after the Summary, in time order, with the reviewers\' verdicts in the header', async () => {
    const context = await newContext(browser());
    try {
      const page = await openPage(context, 'branch/102/');
      const sections = await page.locator('main section[id]').evaluateAll((all) => all.map((s) => s.id));
      expect(sections.indexOf('conversation')).toBe(sections.indexOf('summary') + 1);
      expect((await page.locator('.reviewer').allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim())).toEqual(['✓ Tomasz Lindqvist approved', '○ Mira Kaur commented']);
      const times = await page.locator('#conversation .event > .event-meta > .event-time time').evaluateAll((all) => all.map((t) => t.getAttribute('datetime')!));
      expect(times).toEqual([...times].sort((a, b) => Date.parse(a) - Date.parse(b)));
      const kinds = await page.locator('#conversation .event').evaluateAll((all) => all.map((e) => (e as HTMLElement).dataset.kind));
      // changes requested, then a new push, then CI, then the approval, then the merge.
      const review = kinds.indexOf('review');
      expect(kinds.slice(review).includes('push')).toBe(true);
      expect(kinds.at(-1)).toBe('merge');
      // The outdated thread is in the Conversation with its own hunk.
      const outdated = page.locator('#conversation #thread-3');
      expect(await outdated.locator('.thread-hunk .thread-flag').innerText()).toBe('outdated');
      expect(await outdated.locator('.thread-hunk tr.a').count()).toBe(7);
      // A step's evidence shows the threads on its lines, linking to the full diff.
      expect(await page.locator('#step-2 .evidence tr.t a[href="#thread-2"]').count()).toBe(1);
    } finally {
      await context.close();
    }
  });

  it.each(['light', 'dark'] as const)('has no axe violations with every thread open, in %s mode', async (colorScheme) => {
    const context = await newContext(browser(), { colorScheme });
    try {
      const page = await openPage(context, BRANCH);
      await page.evaluate(() => document.querySelectorAll('details.thread').forEach((d) => ((d as HTMLDetailsElement).open = true)));
      // Only the discussion's parts: the rest of the page has its own axe test (accessibility.test.ts).
      const results = await new AxeBuilder({ page }).include('.branch-header').include('#conversation').include('.thread').analyze();
      expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')}`)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);

  it('fits on a 375 px screen with every thread open, and in the split view where it is offered', async () => {
    // Split is not offered under 700 px (the reader-experience issue): unified at 375 px, split at 768 px.
    for (const [width, view] of [[375, 'Unified'], [768, 'Split']] as const) {
      const context = await newContext(browser(), { viewport: { width, height: 800 } });
      try {
        for (const branch of ['branch/101/', 'branch/102/', 'branch/105/']) {
          const page = await openPage(context, branch);
          if (view === 'Split') await page.getByRole('button', { name: 'Split' }).click();
          else expect(await page.getByRole('button', { name: 'Split' }).isVisible(), `${branch} offers split at ${width} px`).toBe(false);
          await page.evaluate(() => document.querySelectorAll('details.thread').forEach((d) => ((d as HTMLDetailsElement).open = true)));
          expect(await page.evaluate(() => document.documentElement.scrollWidth), `${branch} ${view} at ${width} px`).toBeLessThanOrEqual(width);
          await page.close();
        }
      } finally {
        await context.close();
      }
    }
  });

});
