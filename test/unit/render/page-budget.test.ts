import { describe, expect, it } from 'vitest';
import { BRANCH_PAGE_BUDGET, countElements, EVIDENCE_BUDGET, fitEvidence, PER_FILE, planFilePages, ROW_COST } from '../../../scripts/render/page-budget.ts';
import { renderRows } from '../../../scripts/render/render-diff.ts';
import type { DiffLine } from '../../../scripts/diff/types.ts';

/** A file's rows as the renderer writes them: `lines` added lines, each one highlighted token. */
function rows(lines: number): string {
  const diffLines: DiffLine[] = Array.from({ length: lines }, (_, i) => ({ kind: 'add', text: `x${i}`, newLine: i + 1 }));
  return renderRows(diffLines, diffLines.map(({ text }) => `<span class=k1>${text}</span>`), { anchorPrefix: 'fabc' });
}

const nothingElse = { elements: 0, bytes: 0 };

describe('countElements', () => {
  it('counts start tags, not end tags or escaped text', () => {
    expect(countElements('<tr class=a><td><a href=#x>1</a><td>&lt;b&gt; <span>y</span>')).toBe(5);
    expect(countElements('')).toBe(0);
  });

  it('counts a rendered row as its row, cells, number link and code spans', () => {
    expect(countElements(rows(1))).toBe(1 + 4 + 1 + 1);
  });
});

describe('planFilePages', () => {
  it('keeps a small branch whole on its page', () => {
    expect(planFilePages([{ collapsed: false, html: rows(10) }, { collapsed: false, html: rows(20) }], nothingElse)).toEqual([]);
  });

  it('gives every collapsed file with a diff a page of its own, and numbers it by its place in the diff', () => {
    const files = [
      { collapsed: false, html: rows(3) },
      { collapsed: true, html: rows(3) },
      { collapsed: true, html: '' },
    ];
    expect(planFilePages(files, nothingElse)).toEqual([2]);
  });

  it('moves the largest files out until the page fits its budget, and no more', () => {
    const budget = { elements: 8 * 100 + 3 * PER_FILE.elements, bytes: 10_000_000 };
    const files = [{ collapsed: false, html: rows(60) }, { collapsed: false, html: rows(200) }, { collapsed: false, html: rows(50) }];
    // 310 rows of 8 elements is over 800: the 200-row file goes, and 110 rows fit.
    expect(planFilePages(files, nothingElse, budget)).toEqual([2]);
  });

  it('counts what the page holds besides the diff (the steps’ evidence) against the budget', () => {
    const budget = { elements: 8 * 100 + 2 * PER_FILE.elements, bytes: 10_000_000 };
    const files = [{ collapsed: false, html: rows(30) }, { collapsed: false, html: rows(40) }];
    expect(planFilePages(files, nothingElse, budget)).toEqual([]);
    expect(planFilePages(files, { elements: 8 * 50, bytes: 0 }, budget)).toEqual([2]);
  });

  it('keeps any branch under the default budget, whatever its files, or moves every diff out (checked on many shapes)', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const oneRow = rows(1);
    for (let trial = 0; trial < 12; trial++) {
      const files = Array.from({ length: 1 + Math.floor(random() * 120) }, () => ({ collapsed: random() < 0.1, html: oneRow.repeat(Math.floor(random() ** 3 * 3000)) }));
      const own = new Set(planFilePages(files, nothingElse));
      const kept = files.filter((_, i) => !own.has(i + 1));
      const elements = kept.reduce((sum, file) => sum + countElements(file.html), 0) + files.length * PER_FILE.elements;
      const bytes = kept.reduce((sum, file) => sum + file.html.length, 0) + files.length * PER_FILE.bytes;
      // Within the budget, unless the files' headers alone are over it: then no diff stays.
      if (kept.some((file) => file.html)) {
        expect(elements).toBeLessThanOrEqual(BRANCH_PAGE_BUDGET.elements);
        expect(bytes).toBeLessThanOrEqual(BRANCH_PAGE_BUDGET.bytes);
      } else expect(files.length * PER_FILE.elements > BRANCH_PAGE_BUDGET.elements || files.length * PER_FILE.bytes > BRANCH_PAGE_BUDGET.bytes || own.size === files.filter((file) => file.html).length).toBe(true);
      // Only what had to go went: putting back the smallest moved file would break the budget,
      // unless it was collapsed (those always have their own page).
      for (const n of own) expect(files[n - 1]!.collapsed || elements + countElements(files[n - 1]!.html) > BRANCH_PAGE_BUDGET.elements || bytes + files[n - 1]!.html.length > BRANCH_PAGE_BUDGET.bytes).toBe(true);
    }
  }, 60_000);
});

describe('fitEvidence', () => {
  /** A block of `lines` highlighted lines of one token each. */
  const block = (lines: number) => Array.from({ length: lines }, (_, i) => `<span class=k1>x${i}</span>`);
  /** What `shown` lines of each block cost on the page. */
  const cost = (blocks: string[][], shown: number) =>
    blocks.flatMap((lines) => lines.slice(0, shown)).reduce((sum, code) => ({ elements: sum.elements + countElements(code) + ROW_COST.elements, bytes: sum.bytes + code.length + ROW_COST.bytes }), { elements: 0, bytes: 0 });

  it('shows every line of a short tutorial’s evidence', () => {
    expect(fitEvidence([block(12), block(40), block(3)])).toBe(40);
    expect(fitEvidence([])).toBe(0);
  });

  it('cuts every block to the same length when together they are over the budget, and no shorter', () => {
    const blocks = Array.from({ length: 15 }, () => block(120));
    const shown = fitEvidence(blocks);
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(120);
    const fits = cost(blocks, shown);
    expect(fits.elements).toBeLessThanOrEqual(EVIDENCE_BUDGET.elements);
    expect(fits.bytes).toBeLessThanOrEqual(EVIDENCE_BUDGET.bytes);
    const oneMore = cost(blocks, shown + 1);
    expect(oneMore.elements > EVIDENCE_BUDGET.elements || oneMore.bytes > EVIDENCE_BUDGET.bytes).toBe(true);
  });

  it('gives short blocks all their lines while long ones are cut', () => {
    const budget = { elements: 8 * 30, bytes: 1_000_000 };
    // 2 + 20 + 20 lines: 10 lines of each long block fit beside the short one's 2 (8 elements a line).
    expect(fitEvidence([block(2), block(20), block(20)], budget)).toBe(14);
  });

  it('shows captions only when not even one line of each block fits', () => {
    expect(fitEvidence(Array.from({ length: 400 }, () => block(5)), { elements: 100, bytes: 1_000_000 })).toBe(0);
  });
});
