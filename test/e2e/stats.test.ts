import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { axeViolations } from '../support/axe.ts';
import { newContext, useBrowser } from '../support/browser.ts';
import { trySample, type SampleBranch } from '../support/sample.ts';
import { openPage, pageUrl, sampleSite, sharedSetup } from '../support/site.ts';

const { sample, error: sampleError } = trySample();
const browser = useBrowser();

/** The five figures of the stats page: the id of their section and the chart's accessible name. */
const FIGURES = [
  { id: 'merges', name: 'Merges per week' },
  { id: 'pass-rate', name: 'CI pass rate per week' },
  { id: 'failing-lanes', name: 'The lanes that fail most' },
  { id: 'tutorials', name: 'Tutorial coverage' },
  { id: 'largest', name: 'The largest branches' },
  { id: 'review-turnaround', name: 'Time to first review and to merge' },
  { id: 'reviewers', name: 'The most active reviewers' },
];

/** The Monday (UTC) of the week holding a date-time, `2026-10-05`: how the page labels weeks. */
function weekStart(iso: string): string {
  const date = new Date(iso);
  date.setUTCHours(0, 0, 0, 0);
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  return date.toISOString().slice(0, 10);
}

/** Added and deleted lines of a branch's patch: `+` and `-` lines inside hunks. */
function lineCounts(branch: SampleBranch): { added: number; deleted: number } {
  let inHunk = false;
  let added = 0;
  let deleted = 0;
  for (const line of branch.patch.split('\n')) {
    if (line.startsWith('diff --git ')) inHunk = false;
    else if (line.startsWith('@@')) inHunk = true;
    else if (inHunk && line.startsWith('+')) added++;
    else if (inHunk && line.startsWith('-')) deleted++;
  }
  return { added, deleted };
}

function tally(keys: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

interface Figure {
  /** The chart's accessible name, as the browser computes it. */
  name: string;
  /** The tag of the element right after the chart, and whether the table is inside it. */
  next: string;
  tableAfterChart: boolean;
  caption: string;
  /** Header cells in the table head, and body rows as text cells (the row header first). */
  columns: string[];
  rows: string[][];
  rowHeadersScoped: boolean;
  links: Array<{ text: string; href: string }>;
}

async function readFigure(page: Page, id: string): Promise<Figure> {
  const chart = page.locator(`#${id} svg[role="img"]`);
  expect(await chart.count(), `charts in #${id}`).toBe(1);
  const name = await chart.evaluate((svg) => {
    const ids = (svg.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean);
    return ids.map((ref) => document.getElementById(ref)?.textContent ?? '').join(' ').trim();
  });
  const rest = await page.locator(`#${id}`).evaluate((section) => {
    const svg = section.querySelector('svg[role="img"]')!;
    const next = svg.nextElementSibling;
    const table = next?.matches('table') ? next : next?.querySelector('table');
    const cells = (row: Element) => Array.from(row.children).map((cell) => (cell.textContent ?? '').replace(/\s+/g, ' ').trim());
    return {
      next: next?.tagName.toLowerCase() ?? 'nothing',
      tableAfterChart: Boolean(table),
      caption: (table?.querySelector('caption')?.textContent ?? '').trim(),
      columns: table ? Array.from(table.querySelectorAll('thead th')).map((th) => (th.textContent ?? '').trim()) : [],
      rows: table ? Array.from(table.querySelectorAll('tbody tr, tfoot tr')).map(cells) : [],
      rowHeadersScoped: table ? Array.from(table.querySelectorAll('tbody tr')).every((tr) => tr.firstElementChild?.matches('th[scope="row"]')) : false,
      links: table ? Array.from(table.querySelectorAll('a[href]')).map((a) => ({ text: (a.textContent ?? '').trim(), href: (a as HTMLAnchorElement).href })) : [],
    };
  });
  return { name, ...rest };
}

describe('the stats page', () => {
  let context: BrowserContext | undefined;
  const stats = sharedSetup(async () => {
    if (sampleError) throw new Error(sampleError);
    context = await newContext(browser());
    const page = await openPage(context, 'stats/');
    const figures = Object.fromEntries(await Promise.all(FIGURES.map(async ({ id }) => [id, await readFigure(page, id)] as const)));
    return { page, figures };
  });
  afterAll(async () => {
    await context?.close();
  });

  it('is reached from the header of the feed by its "Stats" link', async () => {
    await stats(); // for its browser context
    const page = await openPage(context!, '');
    await page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Stats' }).click();
    await page.waitForURL(pageUrl('stats/'), { timeout: 10_000 });
    expect(await page.locator('h1').innerText()).toBe('Stats');
    await page.close();
  });

  it('shows seven charts, each an image with an accessible name and followed by its data table', async () => {
    const { page, figures } = await stats();
    expect(await page.locator('svg[role="img"]').count()).toBe(FIGURES.length);
    for (const { id, name } of FIGURES) {
      const figure = figures[id]!;
      expect(figure.name, `name of the chart in #${id}`).toBe(name);
      expect(await page.getByRole('img', { name, exact: true }).count(), `an image named ${name}`).toBe(1);
      expect(figure.tableAfterChart, `a table right after the chart in #${id} (found ${figure.next})`).toBe(true);
      expect(figure.caption, `caption of the table in #${id}`).not.toBe('');
      expect(figure.rowHeadersScoped, `row headers with scope in #${id}`).toBe(true);
      expect(figure.rows.length, `rows of the table in #${id}`).toBeGreaterThan(0);
    }
  });

  it.each(['light', 'dark'] as const)('has no axe violations with every data table open, in %s mode', async (colorScheme) => {
    await stats(); // the sample must have built
    const own = await newContext(browser(), { colorScheme });
    try {
      const page = await openPage(own, 'stats/');
      await page.evaluate(() => document.querySelectorAll('details').forEach((details) => (details.open = true)));
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await own.close();
    }
  });

  it('ships no chart JavaScript: the charts are drawn at build time', () => {
    const scripts = (page: string) => [...readFileSync(path.join(sampleSite().dir, page), 'utf8').matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    // The only script is the keyboard-shortcut one every page has, the feed included.
    expect(scripts('stats/index.html')).toEqual(scripts('index.html'));
  });

  it('sums the merges per week to the merged branches of the archive, each in the week of its merge', async () => {
    const { figures } = await stats();
    const merged = sample.branches.filter((branch) => branch.state === 'merged');
    const expected = tally(merged.map((branch) => weekStart(branch.updated)));
    const rows = figures.merges!.rows.map(([week, , count]) => [week!, Number(count)] as const);
    expect(rows.reduce((sum, [, count]) => sum + count, 0)).toBe(merged.length);
    for (const [week, count] of rows) expect(count, `merges in the week of ${week}`).toBe(expected.get(week) ?? 0);
    // Consecutive weeks, quiet ones included.
    for (let index = 1; index < rows.length; index++) expect(Date.parse(rows[index]![0]) - Date.parse(rows[index - 1]![0])).toBe(7 * 86_400_000);
  });

  it('counts CI runs that passed and failed by the week they were queued in', async () => {
    const { figures } = await stats();
    const runs = sample.branches.flatMap((branch) => branch.runs);
    const byWeek = (status: string) => tally(runs.filter((run) => run.status === status).map((run) => weekStart(run.queued_at)));
    const [passed, failed] = [byWeek('success'), byWeek('failed')];
    for (const [week, passedText, failedText, rate] of figures['pass-rate']!.rows) {
      const [p, f] = [passed.get(week!) ?? 0, failed.get(week!) ?? 0];
      expect([Number(passedText), Number(failedText)], `runs in the week of ${week}`).toEqual([p, f]);
      expect(rate, `pass rate in the week of ${week}`).toBe(p + f ? `${Math.round((100 * p) / (p + f))}%` : 'no results');
    }
    const total = figures['pass-rate']!.rows.reduce((sum, [, p, f]) => sum + Number(p) + Number(f), 0);
    expect(total).toBe(runs.filter((run) => run.status === 'success' || run.status === 'failed').length);
  });

  it('ranks the lanes by failed runs, with the runs in which each lane passed or failed', async () => {
    const { figures } = await stats();
    const lanes = sample.branches.flatMap((branch) => branch.runs.flatMap((run) => run.lanes));
    const failed = tally(lanes.filter((lane) => lane.status === 'failed').map((lane) => lane.name));
    const ran = tally(lanes.filter((lane) => lane.status === 'failed' || lane.status === 'success').map((lane) => lane.name));
    const rows = figures['failing-lanes']!.rows;
    expect(rows.map(([name]) => name).sort()).toEqual([...failed.keys()].sort());
    for (const [name, failedText, ranText] of rows) expect([Number(failedText), Number(ranText)], `lane ${name}`).toEqual([failed.get(name!), ran.get(name!)]);
    const counts = rows.map(([, failedText]) => Number(failedText));
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it('counts the branches by tutorial status, and those with at least one step', async () => {
    const { figures } = await stats();
    const rows = Object.fromEntries(figures.tutorials!.rows.map(([status, count]) => [status, Number(count)]));
    for (const status of ['ready', 'pending', 'failed', 'none']) expect(rows[status], `branches with tutorial ${status}`).toBe(sample.branches.filter((b) => b.tutorial === status).length);
    expect(rows['At least one step']).toBe(sample.branches.filter((b) => b.steps.length > 0).length);
  });

  it('lists the largest branches by changed lines, each linking to its page', async () => {
    const { figures } = await stats();
    const expected = sample.branches
      .map((branch) => ({ branch, ...lineCounts(branch) }))
      .filter(({ added, deleted }) => added + deleted > 0)
      .sort((a, b) => b.added + b.deleted - (a.added + a.deleted) || a.branch.id - b.branch.id)
      .slice(0, 10);
    const largest = figures.largest!;
    expect(largest.rows).toEqual(expected.map(({ branch, added, deleted }) => [`#${branch.id} ${branch.name}`, String(added + deleted), String(added), String(deleted)]));
    expect(largest.links).toEqual(expected.map(({ branch }) => ({ text: `#${branch.id} ${branch.name}`, href: pageUrl(branch.pagePath) })));
  });

  it('sums up the archive in one line: branches by state, CI runs and the overall pass rate', async () => {
    const { page } = await stats();
    const overview = (await page.getByRole('list', { name: 'Overview' }).innerText()).replace(/\s+/g, ' ');
    const count = (state: string) => sample.branches.filter((b) => b.state === state).length;
    const runs = sample.branches.flatMap((b) => b.runs);
    const passed = runs.filter((r) => r.status === 'success').length;
    const decided = passed + runs.filter((r) => r.status === 'failed').length;
    for (const part of [`${sample.branches.length} branches`, `${count('merged')} merged`, `${count('open')} open`, `${runs.length} CI runs`, `${Math.round((100 * passed) / decided)}% of runs passed`]) {
      expect(overview).toContain(part);
    }
  });
});
