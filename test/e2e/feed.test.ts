import { afterAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { newContext, useBrowser } from '../support/browser.ts';
import { newestFirst, trySample } from '../support/sample.ts';
import { literal, openPage, pageUrl, readOutline, section, sharedSetup, type PageOutline } from '../support/site.ts';

const { sample, error: sampleError } = trySample();
const browser = useBrowser();

describe('the feed', () => {
  let context: BrowserContext | undefined;
  const feed = sharedSetup(async () => {
    if (sampleError) throw new Error(sampleError);
    context = await newContext(browser());
    const page = await openPage(context, '');
    return { page, outline: await readOutline(page) };
  });
  afterAll(async () => {
    await context?.close();
  });

  /** Branch ids in the order their pages are linked from a section (each id once). */
  function linkedIds(outline: PageOutline, heading: string): number[] {
    const ids: number[] = [];
    for (const link of section(outline, heading).links) {
      const match = /branch\/(\d+)\/?(?:[?#].*)?$/.exec(new URL(link.href, pageUrl()).pathname);
      const id = match ? Number(match[1]) : NaN;
      if (match && !ids.includes(id)) ids.push(id);
    }
    return ids;
  }

  it('lists the open branches under "Open branches"', async () => {
    const { outline } = await feed();
    const open = sample.branches.filter((b) => b.state === 'open').map((b) => b.id);
    expect(linkedIds(outline, 'Open branches').sort((a, b) => a - b)).toEqual(open.sort((a, b) => a - b));
  });

  it('lists merged and closed branches under "Branch history", newest first', async () => {
    const { outline } = await feed();
    const history = newestFirst(sample.branches.filter((b) => b.state !== 'open')).map((b) => b.id);
    expect(linkedIds(outline, 'Branch history')).toEqual(history);
  });

  it('shows "Open branches" before "Branch history"', async () => {
    const { outline } = await feed();
    const headings = outline.sections.map((s) => s.heading.toLowerCase());
    expect(headings.indexOf('open branches')).toBeGreaterThanOrEqual(0);
    expect(headings.indexOf('open branches')).toBeLessThan(headings.indexOf('branch history'));
  });

  it('shows each branch as a card: id, date and size, linked name, title and the chips that vary across the sample', async () => {
    const { page } = await feed();
    const problems: string[] = [];
    for (const branch of sample.branches) {
      const card = await page.evaluate(
        ({ id, name, pagePath }) => {
          const target = new URL(pagePath, document.baseURI).pathname;
          const link = Array.from(document.querySelectorAll('a[href]')).find(
            (a) => new URL((a as HTMLAnchorElement).href).pathname === target && (a.textContent ?? '').trim() === name,
          );
          if (!link) return null;
          // The card is the nearest ancestor that holds the whole card: its id line and its chips.
          let card: Element = link;
          while (card.parentElement && card.parentElement !== document.body) {
            const text = card.textContent ?? '';
            if (text.includes(`#${id}`) && /ci:/i.test(text)) break;
            card = card.parentElement;
          }
          return { text: (card as HTMLElement).innerText.replace(/\s+/g, ' ').trim(), code: Array.from(card.querySelectorAll('code')).map((code) => code.textContent ?? '') };
        },
        { id: branch.id, name: branch.name, pagePath: new URL(branch.pagePath, pageUrl()).href },
      );
      const label = `card of branch #${branch.id}`;
      if (!card) {
        problems.push(`${label}: no link with the text ${JSON.stringify(branch.name)} to ${branch.pagePath}`);
        continue;
      }
      const expected: Array<[string, RegExp]> = [
        ['"#<id> · <updated> · <n> files, +a −d"', new RegExp(`#${branch.id}\\s*·\\s*\\S.*·\\s*${branch.diffFiles.length} files?, \\+[\\d,]+ \u2212[\\d,]+`)],
        ['the title', new RegExp(literal(branch.shownTitle))],
        ['the branch chip', new RegExp(`branch:\\s*${branch.state}\\b`)],
        ['the tutorial chip', new RegExp(`tutorial:\\s*${branch.tutorial}\\b`)],
        ['the CI chip', new RegExp(`ci:\\s*${branch.ci}\\b`)],
      ];
      for (const [what, pattern] of expected) if (!pattern.test(card.text)) problems.push(`${label}: ${what} ${pattern} is missing from ${JSON.stringify(card.text)}`);
      // A title's code spans are shown as code (branch #104's `export_csv.sh`).
      for (const code of branch.titleCode) if (!card.code.includes(code)) problems.push(`${label}: the title's code span ${JSON.stringify(code)} is not shown as code (${JSON.stringify(card.code)})`);
    }
    expect(problems).toEqual([]);
  });
});
