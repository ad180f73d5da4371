/**
 * Which open pages a content rebuild changed, from the build state before and after it (each
 * branch's output hash and summary): a branch page reloads when its branch changed or went away,
 * any other page (feed, filters, stats, nightly) when any branch did, and every page when the
 * listing did.
 */
import type { BuildState } from '../build/build-state.ts';

export interface PageChanges {
  /** Branches whose rendered data changed, appeared or went away. */
  branches: number[];
  /**
   * Whether Astro's collections change: a branch's summary (what the feed, filters and neighbour
   * links show) or the set of branches. Then every page may show something new.
   */
  listing: boolean;
}

export function pageChanges(before: BuildState['branches'], after: BuildState['branches']): PageChanges {
  const ids = new Set([...Object.keys(before), ...Object.keys(after)]);
  const branches: number[] = [];
  let listing = false;
  for (const id of ids) {
    const old = before[id];
    const now = after[id];
    if (old?.output !== now?.output) branches.push(Number(id));
    if (!old || !now || JSON.stringify(old.summary) !== JSON.stringify(now.summary)) listing = true;
  }
  return { branches: branches.sort((a, b) => a - b), listing };
}

/** Whether the page at `pathname` (below the site's base) shows anything that changed. */
export function pageIsAffected(pathname: string, changes: PageChanges): boolean {
  const branch = /(?:^|\/)branch\/(\d+)\/?$/.exec(pathname);
  if (branch) return changes.branches.includes(Number(branch[1])) || changes.listing;
  return changes.branches.length > 0 || changes.listing;
}
