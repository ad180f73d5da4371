import { tutorialStatuses } from '../schema/branch.ts';
import type { BranchFacts, FailingLane, LargeBranch, SiteStats } from '../schema/stats.ts';
import { isoWeekOf, weeksBetween, type IsoWeek } from './iso-week.ts';
import { reviewStats } from './review-stats.ts';

/** How many of the most recent weeks a time series shows: a year, which still reads at phone width. */
export const RECENT_WEEKS = 52;
/** How many lanes and branches the ranked figures list. */
export const TOP_COUNT = 10;

export interface StatsLimits {
  weeks: number;
  top: number;
}

/**
 * The stats page's figures from every branch's facts. Pure and deterministic: the result depends
 * only on the facts (never on today's date or their order), so the same archive gives the same page.
 * Weeks are ISO weeks in UTC; see scripts/schema/stats.ts for what each figure counts.
 */
export function computeStats(facts: readonly BranchFacts[], limits: StatsLimits = { weeks: RECENT_WEEKS, top: TOP_COUNT }): SiteStats {
  const branches = [...facts].sort((a, b) => a.id - b.id);
  const runs = branches.flatMap((branch) => branch.runs);
  const passed = runs.filter((run) => run.status === 'success').length;
  const decided = passed + runs.filter((run) => run.status === 'failed').length;
  const count = (state: BranchFacts['state']) => branches.filter((branch) => branch.state === state).length;
  return {
    overview: {
      branches: branches.length,
      open: count('open'),
      merged: count('merged'),
      closed: count('closed'),
      runs: runs.length,
      decidedRuns: decided,
      passedRuns: passed,
      passRate: ratio(passed, decided),
    },
    merges: mergesPerWeek(branches, limits.weeks),
    passRate: passRatePerWeek(branches, limits.weeks),
    failingLanes: failingLanes(branches, limits.top),
    tutorials: tutorialCoverage(branches),
    largestBranches: largestBranches(branches, limits.top),
    reviews: reviewStats(branches, limits.top),
  };
}

function mergesPerWeek(branches: readonly BranchFacts[], maxWeeks: number): SiteStats['merges'] {
  const merged = branches.filter((branch) => branch.state === 'merged').map((branch) => isoWeekOf(branch.updated));
  const perWeek = groupBy(merged, (week) => week.start);
  const weeks = fillWeeks(merged).map((week) => ({ ...week, merged: perWeek.get(week.start)?.length ?? 0 }));
  const { shown, earlier } = mostRecent(weeks, maxWeeks);
  return { weeks: shown, earlierWeeks: earlier.length, earlierMerges: earlier.reduce((sum, week) => sum + week.merged, 0) };
}

function passRatePerWeek(branches: readonly BranchFacts[], maxWeeks: number): SiteStats['passRate'] {
  const runs = branches.flatMap((branch) => branch.runs).map((run) => ({ week: isoWeekOf(run.queuedAt), status: run.status }));
  const perWeek = groupBy(runs, (run) => run.week.start);
  const weeks = fillWeeks(runs.map((run) => run.week)).map((week) => {
    const inWeek = perWeek.get(week.start) ?? [];
    const passed = inWeek.filter((run) => run.status === 'success').length;
    const failed = inWeek.filter((run) => run.status === 'failed').length;
    return { ...week, passed, failed, rate: ratio(passed, passed + failed) };
  });
  const { shown, earlier } = mostRecent(weeks, maxWeeks);
  return { weeks: shown, earlierWeeks: earlier.length };
}

function failingLanes(branches: readonly BranchFacts[], top: number): SiteStats['failingLanes'] {
  const byName = new Map<string, { failed: number; ran: number }>();
  for (const lane of branches.flatMap((branch) => branch.runs.flatMap((run) => run.lanes))) {
    // A lane that was skipped, cancelled or has not finished says nothing about how often it fails.
    if (lane.status !== 'success' && lane.status !== 'failed') continue;
    const tally = byName.get(lane.name) ?? { failed: 0, ran: 0 };
    tally.ran++;
    if (lane.status === 'failed') tally.failed++;
    byName.set(lane.name, tally);
  }
  const ranked: FailingLane[] = [...byName]
    .filter(([, tally]) => tally.failed > 0)
    .map(([name, tally]) => ({ name, ...tally, rate: tally.failed / tally.ran }))
    .sort((a, b) => b.failed - a.failed || b.rate - a.rate || compareText(a.name, b.name));
  return { lanes: ranked.slice(0, top), moreLanes: Math.max(0, ranked.length - top) };
}

function tutorialCoverage(branches: readonly BranchFacts[]): SiteStats['tutorials'] {
  const total = branches.length;
  const withSteps = branches.filter((branch) => branch.steps > 0).length;
  return {
    branches: total,
    byStatus: tutorialStatuses.map((status) => {
      const count = branches.filter((branch) => branch.tutorial === status).length;
      return { status, branches: count, share: ratio(count, total) ?? 0 };
    }),
    withSteps,
    withStepsShare: ratio(withSteps, total) ?? 0,
  };
}

function largestBranches(branches: readonly BranchFacts[], top: number): LargeBranch[] {
  return branches
    .map(({ id, name, title, state, additions, deletions }) => ({ id, name, title, state, additions, deletions, changedLines: additions + deletions }))
    .filter((branch) => branch.changedLines > 0)
    .sort((a, b) => b.changedLines - a.changedLines || a.id - b.id)
    .slice(0, top);
}

/** Every week from the earliest to the latest of `weeks`, so quiet weeks show as such; empty for none. */
function fillWeeks(weeks: readonly IsoWeek[]): IsoWeek[] {
  if (!weeks.length) return [];
  const starts = weeks.map((week) => week.start).sort();
  const first = weeks.find((week) => week.start === starts[0])!;
  const last = weeks.find((week) => week.start === starts.at(-1))!;
  return weeksBetween(first, last);
}

function mostRecent<T>(weeks: T[], max: number): { shown: T[]; earlier: T[] } {
  const cut = Math.max(0, weeks.length - max);
  return { shown: weeks.slice(cut), earlier: weeks.slice(0, cut) };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
