/**
 * Where a file's diff is cut into tables.
 *
 * Chromium lays out a table as a whole: a change to any row (the Unified / Split switch rearranges
 * rows and changes the columns) relays out every row of it, and a 3,000-line lock file took
 * 250–400 ms to switch on a 2-core machine however few rows the script touched. So a file's rows
 * are written as tables of at most TABLE_LINES lines, each in a box under `content-visibility:
 * auto`: the browser lays out only the tables near the window, and a switch only those.
 */

/** Lines of diff per table: a few screens, so the window meets one or two tables at a time. */
export const TABLE_LINES = 100;

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
 * `most` lines goes on in further tables of `most` lines. One table (the usual case) is `[]`.
 */
export function planTables(hunkLines: readonly number[], most = TABLE_LINES): TableStart[] {
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
