import { describe, expect, it } from 'vitest';
import type { SiteBranchSummary } from '../../../scripts/schema/site.ts';
import { describeFilter, feedOrder, feedPages, filterCounts, informativeFacets, paginate, pagerNumbers } from '../../../src/lib/feed.ts';

function branch(id: number, state: SiteBranchSummary['state'], updated: string, extra: Partial<SiteBranchSummary> = {}): SiteBranchSummary {
  return { id, name: `b${id}`, title: `Branch ${id}`, state, target: 'main', updated, tutorial: 'none', ci: 'none', files: 1, additions: 1, deletions: 0, filePages: [], ...extra };
}

/** `count` merged branches, one a day, ids 1..count. */
const history = (count: number) => Array.from({ length: count }, (_, i) => branch(i + 1, 'merged', new Date(Date.UTC(2026, 0, 1 + i)).toISOString()));

describe('feedOrder', () => {
  it('puts open branches first, then the rest, each newest first (ties by higher id)', () => {
    const branches = [
      branch(1, 'merged', '2026-03-01T00:00:00Z'),
      branch(2, 'open', '2026-01-01T00:00:00Z'),
      branch(3, 'closed', '2026-04-01T00:00:00Z'),
      branch(4, 'open', '2026-02-01T00:00:00Z'),
      branch(5, 'merged', '2026-03-01T00:00:00Z'),
    ];
    expect(feedOrder(branches).map((b) => b.id)).toEqual([4, 2, 3, 5, 1]);
  });

  it('compares instants, not text, across time zones', () => {
    const branches = [
      branch(1, 'merged', '2026-03-27T00:55:00Z'),
      branch(2, 'merged', '2026-03-27T01:30:00+02:00'), // 23:30 the day before
      branch(3, 'merged', '2026-03-28T09:00:00Z'),
    ];
    expect(feedOrder(branches).map((b) => b.id)).toEqual([3, 1, 2]);
  });
});

describe('paginate', () => {
  it('fills pages to the size and puts the remainder on the last page', () => {
    const pages = paginate(feedOrder(history(7)), 3);
    expect(pages.map((p) => p.path)).toEqual(['', 'page/2/', 'page/3/']);
    expect(pages.map((p) => p.branches.map((b) => b.id))).toEqual([[7, 6, 5], [4, 3, 2], [1]]);
    expect(pages.every((p) => p.pageCount === 3 && p.total === 7)).toBe(true);
  });

  it('makes no empty last page when the count is an exact multiple', () => {
    expect(paginate(history(6), 3).map((p) => p.branches.length)).toEqual([3, 3]);
  });

  it('keeps one page, empty, for an empty feed', () => {
    expect(paginate([], 50)).toEqual([{ path: '', filter: undefined, number: 1, pageCount: 1, total: 0, branches: [] }]);
  });

  it('puts a filtered feed under its own path', () => {
    expect(paginate(history(4), 2, { facet: 'ci', value: 'failed' }).map((p) => p.path)).toEqual(['ci/failed/', 'ci/failed/page/2/']);
  });

  it('refuses a page size that is not a positive integer', () => {
    expect(() => paginate([], 0)).toThrow(RangeError);
    expect(() => paginate([], 2.5)).toThrow(RangeError);
  });
});

describe('filters', () => {
  const branches = [
    branch(1, 'merged', '2026-01-01T00:00:00Z', { ci: 'success', tutorial: 'ready' }),
    branch(2, 'merged', '2026-01-02T00:00:00Z', { ci: 'failed', tutorial: 'ready' }),
    branch(3, 'open', '2026-01-03T00:00:00Z', { ci: 'failed', tutorial: 'pending' }),
  ];

  it('counts only the values that occur, in the schema order', () => {
    expect(filterCounts(branches)).toEqual({
      state: [
        { value: 'open', count: 1 },
        { value: 'merged', count: 2 },
      ],
      ci: [
        { value: 'success', count: 1 },
        { value: 'failed', count: 2 },
      ],
      tutorial: [
        { value: 'ready', count: 2 },
        { value: 'pending', count: 1 },
      ],
      // No branch has a review verdict: no review filter.
      review: [],
    });
  });

  it('makes a paginated feed for each value that occurs, holding exactly its branches', () => {
    const pages = feedPages(branches, 1);
    const byPath = Object.fromEntries(pages.map((p) => [p.path, p.branches.map((b) => b.id)]));
    expect(byPath).toEqual({
      '': [3],
      'page/2/': [2],
      'page/3/': [1],
      'state/open/': [3],
      'state/merged/': [2],
      'state/merged/page/2/': [1],
      'ci/success/': [1],
      'ci/failed/': [3],
      'ci/failed/page/2/': [2],
      'tutorial/ready/': [2],
      'tutorial/ready/page/2/': [1],
      'tutorial/pending/': [3],
    });
  });

  it('names filters the way headings say them', () => {
    expect(describeFilter({ facet: 'state', value: 'merged' })).toBe('Merged branches');
    expect(describeFilter({ facet: 'ci', value: 'failed' })).toBe('CI failed');
    expect(describeFilter({ facet: 'ci', value: 'none' })).toBe('No CI');
    expect(describeFilter({ facet: 'tutorial', value: 'none' })).toBe('No tutorial');
  });
});

describe('pagerNumbers', () => {
  it('shows every page of a short feed', () => {
    expect(pagerNumbers(1, 1)).toEqual([1]);
    expect(pagerNumbers(3, 5)).toEqual([1, 2, 3, 4, 5]);
  });

  it('shows first, last and two either side, with gaps, on a long feed', () => {
    expect(pagerNumbers(1, 200)).toEqual([1, 2, 3, 'gap', 200]);
    expect(pagerNumbers(100, 200)).toEqual([1, 'gap', 98, 99, 100, 101, 102, 'gap', 200]);
    expect(pagerNumbers(200, 200)).toEqual([1, 'gap', 198, 199, 200]);
  });

  it('shows a single left-out number instead of a gap', () => {
    expect(pagerNumbers(5, 9)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('informativeFacets', () => {
  it('leaves out a facet every branch has the same value of, which would filter nothing', () => {
    const branches = [branch(1, 'merged', '2026-01-01T00:00:00Z'), branch(2, 'open', '2026-01-02T00:00:00Z', { ci: 'success' }), branch(3, 'merged', '2026-01-03T00:00:00Z')];
    expect(informativeFacets(filterCounts(branches))).toEqual(['state', 'ci']);
    expect(informativeFacets(filterCounts(history(3)))).toEqual([]);
  });
});
