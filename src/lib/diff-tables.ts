import type { SiteDiffFile } from '../../scripts/schema/site.ts';

/** A piece of one hunk in one table: the hunk's start (with its header) or a continuation of it. */
export interface HunkSegment {
  hunk: number;
  html: string;
  /** The hunk started in an earlier table: no header, and no anchor of its own. */
  continued: boolean;
}

export interface DiffTablePlan {
  /** Diff lines in the table, for the height it is given before it is laid out. */
  lines: number;
  segments: HunkSegment[];
}

/**
 * The tables a file's diff is written as (`file.tables`, from scripts/render/diff-tables.ts): the
 * rows of each hunk cut where the build said, hunks kept whole otherwise. One table when the file
 * has no `tables`.
 */
export function diffTables(file: Pick<SiteDiffFile, 'hunks' | 'tables'>): DiffTablePlan[] {
  const starts = file.tables ?? [{ hunk: 0, at: 0, lines: 0 }];
  const plans = starts.map((start) => ({ lines: start.lines, segments: [] as HunkSegment[] }));
  file.hunks.forEach((hunk, h) => {
    // This hunk's cuts: the tables that start inside it (or with it), in order.
    const inside = starts.flatMap((start, table) => (start.hunk === h ? [{ table, at: start.at }] : []));
    // A hunk no table starts with goes on in the table before it.
    let table = inside[0]?.at === 0 ? inside[0].table : lastTableBefore(starts, h);
    let from = 0;
    for (const cut of inside) {
      if (cut.at === 0) continue;
      plans[table]!.segments.push({ hunk: h, html: hunk.html.slice(from, cut.at), continued: from > 0 });
      table = cut.table;
      from = cut.at;
    }
    plans[table]!.segments.push({ hunk: h, html: hunk.html.slice(from), continued: from > 0 });
  });
  return plans;
}

/** The last table that starts before hunk `h` (the first table starts with hunk 0). */
function lastTableBefore(starts: readonly { hunk: number }[], h: number): number {
  let table = 0;
  starts.forEach((start, index) => {
    if (start.hunk < h) table = index;
  });
  return table;
}
