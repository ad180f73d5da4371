/**
 * Where a file's diff is cut into tables.
 *
 * Chromium lays out a table as a whole: a change to any row (the Unified / Split switch rearranges
 * rows and changes the columns) relays out every row of it, and a 3,000-line lock file took
 * 250–400 ms to switch on a 2-core machine however few rows the script touched. So a file's rows
 * are written as tables of at most TABLE_LINES lines, each in a box under `content-visibility:
 * auto`: the browser lays out only the tables near the window, and a switch only those.
 */

/**
 * Lines of diff per table: about one screen (1.25rem rows), so a switch meets one or two tables.
 * At 100 the first switch of a real file page (pika's and cobra's largest) took 83-126 ms to the
 * second frame at load average 3; at 50, 50-112 ms, most near 70.
 */
export const TABLE_LINES = 50;

/** A file of at most this many lines stays one table (the usual file, as before tables were cut). */
export const ONE_TABLE_LINES = 100;

/** One table of a file's diff: it starts at line `line` of hunk `hunk` (0: with the hunk's header). */
export interface TableStart {
  hunk: number;
  line: number;
  /** Diff lines in the table (hunk headers and review threads not counted). */
  lines: number;
}

/**
 * The tables of a file whose hunks have `hunkLines` lines each, in order. Short hunks share a table;
 * a hunk that would overflow the table it would join starts a new one, and a hunk longer than
 * `most` lines goes on in further tables of `most` lines. One table (the usual case: at most
 * ONE_TABLE_LINES lines in all) is `[]`.
 */
export function planTables(hunkLines: readonly number[], most = TABLE_LINES): TableStart[] {
  if (hunkLines.reduce((sum, count) => sum + count, 0) <= Math.max(most, ONE_TABLE_LINES)) return [];
  const tables: TableStart[] = [];
  let current: TableStart | undefined;
  hunkLines.forEach((count, hunk) => {
    if (!current || (current.lines > 0 && current.lines + count > most)) {
      current = { hunk, line: 0, lines: 0 };
      tables.push(current);
    }
    let line = 0;
    while (count - line > most - current.lines) {
      line += most - current.lines;
      current.lines = most;
      current = { hunk, line, lines: 0 };
      tables.push(current);
    }
    current.lines += count - line;
  });
  return tables.length > 1 ? tables : [];
}
