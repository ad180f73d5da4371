import { describe, expect, it } from 'vitest';
import type { BranchFacts } from '../../../scripts/schema/stats.ts';
import { siteStatsSchema } from '../../../scripts/schema/stats.ts';
import { computeStats } from '../../../scripts/stats/compute-stats.ts';

type Run = BranchFacts['runs'][number];

/** A branch with nothing in it but what a test sets. */
function branch(id: number, facts: Partial<BranchFacts> = {}): BranchFacts {
  return { id, name: `branch-${id}`, title: `Branch ${id}`, state: 'open', updated: '2026-10-05T10:00:00Z', tutorial: 'none', steps: 0, files: 0, additions: 0, deletions: 0, runs: [], ...facts };
}

function run(queuedAt: string, status: Run['status'], lanes: Record<string, Run['lanes'][number]['status']> = {}): Run {
  return { queuedAt, status, lanes: Object.entries(lanes).map(([name, laneStatus]) => ({ name, status: laneStatus })) };
}

const merged = (id: number, updated: string) => branch(id, { state: 'merged', updated });

describe('computeStats: merges per week', () => {
  it('counts merged branches by the ISO week of their merge, across a year boundary', () => {
    const stats = computeStats([merged(1, '2026-12-29T10:00:00Z'), merged(2, '2027-01-02T18:00:00Z'), merged(3, '2027-01-05T09:00:00Z')]);
    expect(stats.merges.weeks).toEqual([
      { week: '2026-W53', start: '2026-12-28', merged: 2 },
      { week: '2027-W01', start: '2027-01-04', merged: 1 },
    ]);
  });

  it('fills the weeks between merges with 0, and leaves out open and closed branches', () => {
    const stats = computeStats([merged(1, '2026-10-05T10:00:00Z'), branch(2, { state: 'closed', updated: '2026-10-14T10:00:00Z' }), merged(3, '2026-10-28T10:00:00Z')]);
    expect(stats.merges.weeks.map((week) => [week.start, week.merged])).toEqual([
      ['2026-10-05', 1],
      ['2026-10-12', 0],
      ['2026-10-19', 0],
      ['2026-10-26', 1],
    ]);
  });

  it('keeps the most recent weeks and says how many weeks and merges it left out', () => {
    const facts = [merged(1, '2026-01-05T10:00:00Z'), merged(2, '2026-01-06T10:00:00Z'), merged(3, '2026-01-20T10:00:00Z'), merged(4, '2026-02-02T10:00:00Z')];
    const stats = computeStats(facts, { weeks: 2, top: 10 });
    expect(stats.merges.weeks.map((week) => week.start)).toEqual(['2026-01-26', '2026-02-02']);
    expect(stats.merges).toMatchObject({ earlierWeeks: 3, earlierMerges: 3 });
  });

  it('has no weeks when nothing was merged', () => {
    expect(computeStats([branch(1)]).merges).toEqual({ weeks: [], earlierWeeks: 0, earlierMerges: 0 });
  });
});

describe('computeStats: CI pass rate', () => {
  it('divides passed runs by runs that passed or failed, ignoring running, queued and cancelled ones', () => {
    const stats = computeStats([
      branch(1, {
        runs: [
          run('2026-10-05T10:00:00Z', 'success'),
          run('2026-10-06T10:00:00Z', 'failed'),
          run('2026-10-07T10:00:00Z', 'success'),
          run('2026-10-08T10:00:00Z', 'cancelled'),
          run('2026-10-09T10:00:00Z', 'running'),
          run('2026-10-09T11:00:00Z', 'queued'),
        ],
      }),
    ]);
    expect(stats.passRate.weeks).toEqual([{ week: '2026-W41', start: '2026-10-05', passed: 2, failed: 1, rate: 2 / 3 }]);
    expect(stats.overview).toMatchObject({ runs: 6, decidedRuns: 3, passedRuns: 2, passRate: 2 / 3 });
  });

  it('buckets runs by the week they were queued in, and leaves a week without results as a gap, not 0%', () => {
    const stats = computeStats([
      branch(1, { runs: [run('2026-10-05T10:00:00Z', 'failed')] }),
      branch(2, { runs: [run('2026-10-13T10:00:00Z', 'running'), run('2026-10-20T10:00:00Z', 'success')] }),
    ]);
    expect(stats.passRate.weeks.map((week) => [week.start, week.rate])).toEqual([
      ['2026-10-05', 0],
      ['2026-10-12', null],
      ['2026-10-19', 1],
    ]);
  });

  it('has no overall pass rate when no run passed or failed', () => {
    expect(computeStats([branch(1, { runs: [run('2026-10-05T10:00:00Z', 'queued')] })]).overview.passRate).toBeNull();
  });
});

describe('computeStats: the lanes that fail most', () => {
  it('ranks lanes by failures, then failure rate, then name, over the runs where each lane passed or failed', () => {
    const stats = computeStats([
      branch(1, {
        runs: [
          run('2026-10-05T10:00:00Z', 'failed', { lint: 'failed', test: 'failed', e2e: 'failed', build: 'success' }),
          run('2026-10-05T11:00:00Z', 'failed', { lint: 'success', test: 'failed', e2e: 'skipped', build: 'success' }),
          run('2026-10-05T12:00:00Z', 'cancelled', { lint: 'success', test: 'cancelled', e2e: 'failed', build: 'running' }),
          run('2026-10-05T13:00:00Z', 'success', { lint: 'success', test: 'success', e2e: 'queued', build: 'success' }),
        ],
      }),
    ]);
    // e2e: 2 of 2 ran; test: 2 of 3; lint: 1 of 4; build never failed, so it is not listed.
    expect(stats.failingLanes).toEqual({
      lanes: [
        { name: 'e2e', failed: 2, ran: 2, rate: 1 },
        { name: 'test', failed: 2, ran: 3, rate: 2 / 3 },
        { name: 'lint', failed: 1, ran: 4, rate: 1 / 4 },
      ],
      moreLanes: 0,
    });
  });

  it('links each lane to its latest failure: the latest queued run, the higher branch id on a tie', () => {
    const withAnchor = (queuedAt: string, lanes: Record<string, Run['lanes'][number]['status']>, runId: number): Run => ({
      queuedAt,
      status: 'failed',
      lanes: Object.entries(lanes).map(([name, status]) => ({ name, status, anchor: `run-${runId}-${name}` })),
    });
    const stats = computeStats([
      branch(3, { runs: [withAnchor('2026-10-07T10:00:00Z', { test: 'failed', lint: 'failed' }, 30)] }),
      branch(1, { runs: [withAnchor('2026-10-05T10:00:00Z', { test: 'failed' }, 10), withAnchor('2026-10-09T10:00:00Z', { test: 'success' }, 11)] }),
      branch(2, { runs: [withAnchor('2026-10-07T10:00:00Z', { lint: 'failed' }, 20)] }),
    ]);
    expect(stats.failingLanes.lanes.map((lane) => [lane.name, lane.latestFailure])).toEqual([
      ['lint', { branchId: 3, anchor: 'run-30-lint' }],
      ['test', { branchId: 3, anchor: 'run-30-test' }],
    ]);
  });

  it('breaks a tie of failures and rate by name, whatever order the branches come in', () => {
    const facts = [
      branch(2, { runs: [run('2026-10-05T10:00:00Z', 'failed', { zeta: 'failed', alpha: 'success' })] }),
      branch(1, { runs: [run('2026-10-05T10:00:00Z', 'failed', { alpha: 'failed', zeta: 'success' })] }),
    ];
    expect(computeStats(facts).failingLanes.lanes.map((lane) => lane.name)).toEqual(['alpha', 'zeta']);
    expect(computeStats([...facts].reverse())).toEqual(computeStats(facts));
  });

  it('lists the top lanes and counts the rest', () => {
    const lanes = Object.fromEntries(['a', 'b', 'c', 'd'].map((name) => [name, 'failed' as const]));
    const stats = computeStats([branch(1, { runs: [run('2026-10-05T10:00:00Z', 'failed', lanes)] })], { weeks: 52, top: 3 });
    expect(stats.failingLanes.lanes.map((lane) => lane.name)).toEqual(['a', 'b', 'c']);
    expect(stats.failingLanes.moreLanes).toBe(1);
  });
});

describe('computeStats: tutorial coverage', () => {
  it('counts branches by tutorial status, in the schema order, with their shares, and the share with steps', () => {
    const stats = computeStats([
      branch(1, { tutorial: 'ready', steps: 3 }),
      branch(2, { tutorial: 'ready', steps: 2 }),
      branch(3, { tutorial: 'pending' }),
      branch(4, { tutorial: 'none', steps: 1 }),
    ]);
    expect(stats.tutorials).toEqual({
      branches: 4,
      byStatus: [
        { status: 'ready', branches: 2, share: 0.5 },
        { status: 'pending', branches: 1, share: 0.25 },
        { status: 'failed', branches: 0, share: 0 },
        { status: 'none', branches: 1, share: 0.25 },
      ],
      withSteps: 3,
      withStepsShare: 0.75,
    });
  });

  it('gives shares of 0, not NaN, for an archive without branches', () => {
    const stats = computeStats([]);
    expect(stats.tutorials.withStepsShare).toBe(0);
    expect(stats.tutorials.byStatus.every((entry) => entry.share === 0)).toBe(true);
    expect(siteStatsSchema.parse(stats)).toEqual(stats);
  });
});

describe('computeStats: the largest branches', () => {
  it('orders branches by added plus deleted lines, ties by id, and leaves out branches that change no line', () => {
    const stats = computeStats([
      branch(5, { additions: 10, deletions: 5 }),
      branch(3, { additions: 1, deletions: 14 }),
      branch(9, { additions: 100, deletions: 0 }),
      branch(4, { additions: 0, deletions: 0 }),
      branch(1, { additions: 15, deletions: 0 }),
    ]);
    expect(stats.largestBranches.map((b) => [b.id, b.changedLines])).toEqual([
      [9, 100],
      [1, 15],
      [3, 15],
      [5, 15],
    ]);
  });

  it('keeps only the top branches', () => {
    const facts = Array.from({ length: 12 }, (_, index) => branch(index + 1, { additions: index + 1 }));
    expect(computeStats(facts).largestBranches.map((b) => b.id)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
  });
});

describe('computeStats', () => {
  it('counts branches by state and validates against the schema the page reads it with', () => {
    const stats = computeStats([branch(1), merged(2, '2026-10-05T10:00:00Z'), branch(3, { state: 'closed' })]);
    expect(stats.overview).toMatchObject({ branches: 3, open: 1, merged: 1, closed: 1 });
    expect(siteStatsSchema.parse(stats)).toEqual(stats);
  });
});
