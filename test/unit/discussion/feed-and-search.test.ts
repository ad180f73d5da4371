import { describe, expect, it } from 'vitest';
import type { SiteBranch, SiteBranchSummary } from '../../../scripts/schema/site.ts';
import { describeFilter, feedPages, filterValueWords, reviewOutcome } from '../../../src/lib/feed.ts';
import { reviewCountsLine } from '../../../scripts/discussion/verdicts.ts';
import { searchDocument } from '../../../scripts/search/document.ts';

const counts = (review: Partial<NonNullable<SiteBranchSummary['review']>>) => ({ approved: 0, changes_requested: 0, commented: 0, dismissed: 0, comments: 0, ...review });

function branch(id: number, review?: Partial<NonNullable<SiteBranchSummary['review']>>): SiteBranchSummary {
  return { id, name: `b${id}`, title: `Branch ${id}`, state: 'merged', target: 'main', updated: `2026-01-0${id}T00:00:00Z`, tutorial: 'none', ci: 'none', files: 1, additions: 1, deletions: 0, filePages: [], ...(review && { review: counts(review) }) };
}

describe('the review filter', () => {
  it('puts a branch with any change request under "changes requested", one with only approvals under "approved", the rest under "no review"', () => {
    expect(reviewOutcome(branch(1, { approved: 2, changes_requested: 1 }))).toBe('changes-requested');
    expect(reviewOutcome(branch(2, { approved: 1, commented: 3 }))).toBe('approved');
    expect(reviewOutcome(branch(3, { commented: 1, comments: 9 }))).toBe('none');
    expect(reviewOutcome(branch(4))).toBe('none');
  });

  it('has static pages per outcome that occurs, named in words', () => {
    const paths = feedPages([branch(1, { approved: 1 }), branch(2, { changes_requested: 1 }), branch(3)], 50).map((page) => page.path);
    expect(paths.filter((p) => p.startsWith('review/'))).toEqual(['review/approved/', 'review/changes-requested/', 'review/none/']);
    expect(describeFilter({ facet: 'review', value: 'changes-requested' })).toBe('Changes requested');
    expect(describeFilter({ facet: 'review', value: 'none' })).toBe('No review');
    expect(filterValueWords('review', 'changes-requested')).toBe('changes requested');
  });
});

describe('the feed card line', () => {
  it('counts reviewers by verdict and the comments, leaving out what did not happen', () => {
    expect(reviewCountsLine(counts({ approved: 2, changes_requested: 1, comments: 14 }))).toBe('2 approved \u00b7 1 changes requested \u00b7 14 comments');
    expect(reviewCountsLine(counts({ comments: 1 }))).toBe('1 comment');
  });
});

describe('search of the discussion', () => {
  it('indexes threads, comments and review bodies, each under its own anchor', () => {
    const person = { login: 'ana', name: 'Ana Lima' };
    const site = {
      id: 3, name: 'b', title: 'B', state: 'open', target: 'main', head: 'a', base: 'b', author: 'x', updated: '2026-01-01T00:00:00Z', tutorial: 'none', ci: 'none', summaryHtml: '', runs: [], steps: [],
      diff: { files: [], additions: 0, deletions: 0 },
      discussion: {
        reviewers: [], threads: 1, comments: 2,
        events: [
          { kind: 'review', anchor: 'review-1', at: '2026-01-01T00:00:00Z', person, state: 'approved', bodyHtml: '<p>Ship &amp; go</p>' },
          { kind: 'review', anchor: 'review-2', at: '2026-01-01T00:00:00Z', person, state: 'approved' },
          { kind: 'comment', anchor: 'comment-1', at: '2026-01-01T00:00:00Z', person, bodyHtml: '<p>Why <em>now</em>?</p>' },
          { kind: 'thread', anchor: 'event-thread-1', at: '2026-01-01T00:00:00Z', person, thread: { anchor: 'thread-1', file: 'a.ts', where: 'line 4', resolved: false, outdated: false, comments: 2, text: 'Pin\nthis key' } },
          { kind: 'ci', anchor: 'event-ci-run-1', at: '2026-01-01T00:00:00Z', state: 'success', text: 'CI run #1' },
        ],
      },
    } as SiteBranch;
    expect(searchDocument(site).sections).toEqual([
      { kind: 'comment', anchor: 'review-1', title: 'Ana Lima, review', text: 'Ship & go' },
      { kind: 'comment', anchor: 'comment-1', title: 'Ana Lima', text: 'Why now?' },
      { kind: 'comment', anchor: 'thread-1', title: 'a.ts line 4', text: 'Pin this key' },
    ]);
  });
});
