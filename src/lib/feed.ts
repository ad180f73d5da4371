import type { SiteBranchSummary } from '../../scripts/schema/site.ts';
import { branchStates, tutorialStatuses } from '../../scripts/schema/branch.ts';
import { runStatuses } from '../../scripts/schema/ci.ts';

/**
 * What reviewers decided about a branch, for the review filter: any reviewer still asking for
 * changes wins over approvals (the branch is not through review), and a branch whose reviews are
 * only remarks, or that has none, has no review.
 */
const reviewOutcomes = ['approved', 'changes-requested', 'none'] as const;

export function reviewOutcome(branch: Pick<SiteBranchSummary, 'review'>): (typeof reviewOutcomes)[number] {
  if (branch.review?.changes_requested) return 'changes-requested';
  if (branch.review?.approved) return 'approved';
  return 'none';
}

/**
 * The feed's pages, worked out once from the branch summaries: the whole feed and one feed per
 * filter value, each cut into pages. Every page is a static file, so filters and pagination work
 * without JavaScript:
 *
 *   /                          page 1 of everything        /page/2/, /page/3/, …
 *   /state/merged/             page 1 of merged branches   /state/merged/page/2/, …
 *   /ci/failed/, /tutorial/pending/, …
 */

/** The three ways to filter the feed, named as in their URLs. */
export const FACETS = {
  state: { label: 'Branch', values: branchStates },
  ci: { label: 'CI', values: [...runStatuses, 'none'] },
  tutorial: { label: 'Tutorial', values: tutorialStatuses },
  review: { label: 'Review', values: reviewOutcomes },
} as const;

export type Facet = keyof typeof FACETS;

/** The top-level folders the feed's pages live in besides the home page (for scripts/build/site-pages.ts). */
export const FEED_FOLDERS = ['page', ...Object.keys(FACETS)];

export interface FeedFilter {
  facet: Facet;
  value: string;
}

export interface FeedPage {
  /** Site-relative path of the page: `` for the home page, `page/2/`, `state/merged/page/2/`. */
  path: string;
  filter?: FeedFilter;
  /** 1-based page number and the number of pages of this feed. */
  number: number;
  pageCount: number;
  /** How many branches this feed (all pages) holds. */
  total: number;
  branches: SiteBranchSummary[];
}

/** Open branches first (they need attention), then the history; newest first within each. */
export function feedOrder(branches: readonly SiteBranchSummary[]): SiteBranchSummary[] {
  // Sort keys computed once: date parsing in the comparator is what makes 10,000 branches slow.
  const keyed = branches.map((branch) => ({ branch, rank: branch.state === 'open' ? 0 : 1, time: Date.parse(branch.updated) }));
  keyed.sort((a, b) => a.rank - b.rank || b.time - a.time || b.branch.id - a.branch.id);
  return keyed.map(({ branch }) => branch);
}

/** The path of page `number` of the feed whose first page is at `root` (`` or `state/merged/`). */
export function feedPagePath(root: string, number: number): string {
  return number <= 1 ? root : `${root}page/${number}/`;
}

/** The first page of the feed for a filter, or of the whole feed. */
export function filterPath(filter?: FeedFilter): string {
  return filter ? `${filter.facet}/${filter.value}/` : '';
}

function facetValue(branch: SiteBranchSummary, facet: Facet): string {
  if (facet === 'review') return reviewOutcome(branch);
  return { state: branch.state, ci: branch.ci, tutorial: branch.tutorial }[facet];
}

/** Whether a branch is in the feed of `filter` (every branch is in the unfiltered feed). */
export function matchesFilter(branch: SiteBranchSummary, filter?: FeedFilter): boolean {
  return !filter || facetValue(branch, filter.facet) === filter.value;
}

/** Cuts one ordered feed into pages; an empty feed still has its (empty) first page. */
export function paginate(branches: readonly SiteBranchSummary[], pageSize: number, filter?: FeedFilter): FeedPage[] {
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`page size must be a positive integer, not ${pageSize}`);
  const root = filterPath(filter);
  const pageCount = Math.max(1, Math.ceil(branches.length / pageSize));
  return Array.from({ length: pageCount }, (_, index) => ({
    path: feedPagePath(root, index + 1),
    filter,
    number: index + 1,
    pageCount,
    total: branches.length,
    branches: branches.slice(index * pageSize, (index + 1) * pageSize),
  }));
}

/** How many branches each filter value holds; only values that occur, in the schema's order. */
export function filterCounts(branches: readonly SiteBranchSummary[]): Record<Facet, Array<{ value: string; count: number }>> {
  const counts = {} as Record<Facet, Array<{ value: string; count: number }>>;
  for (const facet of Object.keys(FACETS) as Facet[]) {
    counts[facet] = FACETS[facet].values
      .map((value) => ({ value, count: branches.filter((branch) => facetValue(branch, facet) === value).length }))
      .filter(({ count }) => count > 0);
  }
  // An archive without review verdicts would get a "no review" filter holding every branch.
  if (!counts.review.some(({ value }) => value !== 'none')) counts.review = [];
  return counts;
}

/**
 * The facets whose value tells branches apart somewhere in the archive. A facet every branch has
 * the same value of ("tutorial: none" on all 443) says nothing on a card and filters nothing, so
 * the feed shows it neither as a chip nor as a filter.
 */
export function informativeFacets(counts: Record<Facet, Array<{ value: string; count: number }>>): Facet[] {
  return (Object.keys(FACETS) as Facet[]).filter((facet) => counts[facet].length > 1);
}

/** Every feed page: the whole feed, then each filter value that occurs. */
export function feedPages(branches: readonly SiteBranchSummary[], pageSize: number): FeedPage[] {
  const ordered = feedOrder(branches);
  const pages = paginate(ordered, pageSize);
  const counts = filterCounts(ordered);
  for (const facet of Object.keys(FACETS) as Facet[]) {
    for (const { value } of counts[facet]) {
      const filter = { facet, value };
      pages.push(...paginate(ordered.filter((branch) => matchesFilter(branch, filter)), pageSize, filter));
    }
  }
  return pages;
}

/**
 * The page numbers a pager shows: the first, the last, and two either side of the current one,
 * with `gap` where numbers are left out (so 200 pages never make 200 links).
 */
export function pagerNumbers(current: number, pageCount: number): Array<number | 'gap'> {
  const shown = [...new Set([1, current - 2, current - 1, current, current + 1, current + 2, pageCount])]
    .filter((n) => n >= 1 && n <= pageCount)
    .sort((a, b) => a - b);
  const result: Array<number | 'gap'> = [];
  for (const n of shown) {
    const previous = result.at(-1);
    if (typeof previous === 'number' && n - previous === 2) result.push(n - 1);
    else if (typeof previous === 'number' && n - previous > 2) result.push('gap');
    result.push(n);
  }
  return result;
}

/** How a filter value reads in the filter bar: `changes requested`, `no review`. */
export function filterValueWords(facet: Facet, value: string): string {
  if (facet === 'review') return value === 'none' ? 'no review' : value.replace('-', ' ');
  return value;
}

/** How a filter reads in headings and titles: "Merged branches", "CI failed", "Tutorial pending". */
export function describeFilter(filter: FeedFilter): string {
  if (filter.facet === 'state') return `${filter.value[0]!.toUpperCase()}${filter.value.slice(1)} branches`;
  if (filter.facet === 'review') return { approved: 'Approved', 'changes-requested': 'Changes requested' }[filter.value] ?? 'No review';
  const label = FACETS[filter.facet].label;
  if (filter.value === 'none') return `No ${label === 'CI' ? 'CI' : 'tutorial'}`;
  return `${label} ${filter.value}`;
}
