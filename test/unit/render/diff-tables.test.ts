import { describe, expect, it } from 'vitest';
import type { DiffLine } from '../../../scripts/diff/types.ts';
import { ONE_TABLE_LINES, planTables, TABLE_LINES } from '../../../scripts/render/diff-tables.ts';
import { renderRowsCut } from '../../../scripts/render/render-diff.ts';
import { diffTables } from '../../../src/lib/diff-tables.ts';

/** A hunk of `count` lines: a change of deleted then added lines, a thread under every 7th line. */
function hunkLines(count: number, first: number): DiffLine[] {
  return Array.from({ length: count }, (_, i): DiffLine => (i < count / 2 ? { kind: 'del', text: `old ${first + i}`, oldLine: first + i } : { kind: 'add', text: `new ${first + i}`, newLine: first + i }));
}

/** The file as render-branch.ts writes it: each hunk's rows cut where planTables says. */
function renderFile(counts: number[]) {
  const hunks = counts.map((count, h) => hunkLines(count, h * 10_000));
  const tables = planTables(counts);
  const cutsIn = (h: number) => tables.filter((table) => table.hunk === h && table.line > 0).map((table) => table.line);
  const after = (line: DiffLine) => ((line.oldLine ?? line.newLine!) % 7 === 0 ? `<tr class=t><td colspan=4>thread on ${line.text}` : '');
  const rows = hunks.map((lines, h) => renderRowsCut(lines, lines.map((line) => line.text), { anchorPrefix: 'fab', after }, cutsIn(h)));
  return {
    tables: tables.length ? tables.map((table) => ({ hunk: table.hunk, at: table.line === 0 ? 0 : rows[table.hunk]!.offsets[cutsIn(table.hunk).indexOf(table.line)]!, lines: table.lines })) : undefined,
    hunks: rows.map((row, h) => ({ anchor: `h${h + 1}`, header: `@@ ${h} @@`, html: row.html, citedBy: [] })),
  };
}

const linesIn = (html: string) => (html.match(/<tr class=[ad]>/g) ?? []).length;

describe('planTables', () => {
  it('keeps a file of short hunks in one table', () => {
    expect(planTables([40, 30, 25])).toEqual([]);
  });

  it(`keeps a file of up to ${ONE_TABLE_LINES} lines in one table, and cuts a longer one every ${TABLE_LINES}`, () => {
    expect(planTables([ONE_TABLE_LINES])).toEqual([]);
    expect(planTables([ONE_TABLE_LINES + 1]).map((table) => table.lines)).toEqual([TABLE_LINES, TABLE_LINES, ONE_TABLE_LINES + 1 - 2 * TABLE_LINES]);
  });

  it('starts a new table with the hunk that would overflow the current one', () => {
    expect(planTables([60, 30, 40], 100)).toEqual([
      { hunk: 0, line: 0, lines: 90 },
      { hunk: 2, line: 0, lines: 40 },
    ]);
  });

  it(`cuts a long hunk every ${TABLE_LINES} lines, a 3,000-line lock file into ${3_000 / TABLE_LINES} tables`, () => {
    const tables = planTables([3_000]);
    expect(tables).toHaveLength(3_000 / TABLE_LINES);
    expect(tables.every((table) => table.hunk === 0 && table.lines === TABLE_LINES)).toBe(true);
    expect(tables.map((table) => table.line)).toEqual(Array.from({ length: 3_000 / TABLE_LINES }, (_, i) => i * TABLE_LINES));
  });

  it('fills the table a long hunk starts in before cutting it', () => {
    expect(planTables([20, 250], 100)).toEqual([
      { hunk: 0, line: 0, lines: 20 },
      { hunk: 1, line: 0, lines: 100 },
      { hunk: 1, line: 100, lines: 100 },
      { hunk: 1, line: 200, lines: 50 },
    ]);
  });
});

describe('a file written as tables', () => {
  it('gives back every row once, in order, each table at most TABLE_LINES lines, threads with their line', () => {
    const file = renderFile([30, 1_050, 12, 240]);
    const tables = diffTables(file);
    expect(tables.length).toBeGreaterThan(10);
    for (const table of tables) {
      expect(table.segments.reduce((sum, segment) => sum + linesIn(segment.html), 0)).toBe(table.lines);
      expect(table.lines).toBeLessThanOrEqual(TABLE_LINES);
    }
    // Put together, the pieces of each hunk are its HTML, and only a hunk's first piece has its header.
    file.hunks.forEach((hunk, h) => {
      const pieces = tables.flatMap((table) => table.segments).filter((segment) => segment.hunk === h);
      expect(pieces.map((segment) => segment.html).join('')).toBe(hunk.html);
      expect(pieces.map((segment) => segment.continued)).toEqual(pieces.map((_, index) => index > 0));
    });
    // A continuation starts with a line, never with the thread or note that belongs to the line before.
    for (const segment of tables.flatMap((table) => table.segments).filter((s) => s.continued)) expect(segment.html).toMatch(/^<tr class=[adc]>/);
  });

  it('is one table, as before, for a file of ordinary size', () => {
    const file = renderFile([30, 40]);
    expect(file.tables).toBeUndefined();
    expect(diffTables(file)).toEqual([{ lines: 0, segments: file.hunks.map((hunk, h) => ({ hunk: h, html: hunk.html, continued: false })) }]);
  });
});
