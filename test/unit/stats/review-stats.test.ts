import { describe, expect, it } from 'vitest';
import type { BranchFacts } from '../../../scripts/schema/stats.ts';
import { reviewStats } from '../../../scripts/stats/review-stats.ts';

function branch(id: number, state: BranchFacts['state'], updated: string, review?: BranchFacts['review']): BranchFacts {
  return { id, name: `b${id}`, title: `B${id}`, state, updated, tutorial: 'none', steps: 0, files: 0, additions: 0, deletions: 0, runs: [], review };
}

describe('review stats', () => {
  it('takes the median hours to first review and to merge per month of opening, and ranks reviewers', () => {
    const stats = reviewStats(
      [
        branch(1, 'merged', '2026-10-03T00:00:00Z', { opened: '2026-10-01T00:00:00Z', firstReview: '2026-10-01T02:00:00Z', reviewers: [{ name: 'Ana', reviews: 2, comments: 3 }] }),
        branch(2, 'merged', '2026-10-11T00:00:00Z', { opened: '2026-10-10T00:00:00Z', firstReview: '2026-10-10T06:00:00Z', reviewers: [{ name: 'Bo', reviews: 1, comments: 0 }, { name: 'Ana', reviews: 0, comments: 1 }] }),
        branch(3, 'open', '2026-11-20T00:00:00Z', { opened: '2026-11-02T00:00:00Z', reviewers: [] }),
        branch(4, 'merged', '2026-11-20T00:00:00Z'),
      ],
      10,
    );
    expect(stats.perMonth).toEqual([
      { month: '2026-10', branches: 2, firstReviewHours: 4, mergeHours: 36 },
      { month: '2026-11', branches: 1, firstReviewHours: null, mergeHours: null },
    ]);
    expect(stats.reviewers).toEqual([
      { name: 'Ana', reviews: 2, comments: 4, total: 6 },
      { name: 'Bo', reviews: 1, comments: 0, total: 1 },
    ]);
    expect(stats.branches).toBe(3);
  });
});
