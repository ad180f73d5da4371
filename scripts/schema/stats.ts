import { z } from 'zod';
import { branchStates, tutorialStatuses } from './branch.ts';
import { laneStatuses, runStatuses } from './ci.ts';

/**
 * The stats page's data. Two layers, so the incremental build never reloads an unchanged branch:
 * - BranchFacts: the few facts of one branch the figures need, made from its rendered data and kept
 *   in the build state beside its summary;
 * - SiteStats: the figures, computed from every branch's facts (scripts/stats/compute-stats.ts),
 *   written to `<data>/stats.json` and read back by `src/pages/stats.astro`.
 */

export const branchFactsSchema = z.object({
  id: z.number(),
  name: z.string(),
  title: z.string(),
  state: z.enum(branchStates),
  /** The branch's `updated` time: when it was merged or closed, for a branch that is. */
  updated: z.string(),
  tutorial: z.enum(tutorialStatuses),
  steps: z.number(),
  files: z.number(),
  additions: z.number(),
  deletions: z.number(),
  /** CI runs, oldest first, with only what the figures count: when, how it ended, how each lane ended. */
  runs: z.array(
    z.object({
      queuedAt: z.string(),
      status: z.enum(runStatuses),
      lanes: z.array(z.object({ name: z.string(), status: z.enum(laneStatuses) })),
    }),
  ),
  /** For a branch with a discussion: when it opened (its earliest recorded event), its first review, and who reviewed how much. */
  review: z
    .object({
      opened: z.string(),
      firstReview: z.string().optional(),
      reviewers: z.array(z.object({ name: z.string(), reviews: z.number(), comments: z.number() })),
    })
    .optional(),
});

/** An ISO 8601 week in UTC: `2026-W41`, and the date of its Monday, `2026-10-05`. */
const weekSchema = z.object({ week: z.string(), start: z.string() });

/** A time series keeps its most recent weeks; `earlierWeeks` says how many older weeks it leaves out. */
const cappedSeries = <T extends z.ZodType>(week: T) => z.object({ weeks: z.array(week), earlierWeeks: z.number() });

export const siteStatsSchema = z.object({
  overview: z.object({
    branches: z.number(),
    open: z.number(),
    merged: z.number(),
    closed: z.number(),
    runs: z.number(),
    /** Runs that ended with a verdict: success or failed (see passRate). */
    decidedRuns: z.number(),
    passedRuns: z.number(),
    /** passedRuns / decidedRuns, from 0 to 1; null when no run has ended with a verdict. */
    passRate: z.number().nullable(),
  }),
  /** Merged branches per week of their merge; weeks without a merge are there with 0. */
  merges: cappedSeries(weekSchema.extend({ merged: z.number() })).extend({
    /** Merges in the weeks left out. */
    earlierMerges: z.number(),
  }),
  /**
   * Per week in which runs were queued: runs that passed and failed, and the pass rate. Running,
   * queued and cancelled runs are not counted; a week with none of the others has rate null (a gap).
   */
  passRate: cappedSeries(weekSchema.extend({ passed: z.number(), failed: z.number(), rate: z.number().nullable() })),
  /** Lanes with at least one failure, most failures first; `ran` counts the runs where the lane passed or failed. */
  failingLanes: z.object({
    lanes: z.array(z.object({ name: z.string(), failed: z.number(), ran: z.number(), rate: z.number() })),
    /** Failing lanes beyond the ones listed. */
    moreLanes: z.number(),
  }),
  tutorials: z.object({
    branches: z.number(),
    /** Every tutorial status, in the schema's order, with its branch count and share of all branches. */
    byStatus: z.array(z.object({ status: z.enum(tutorialStatuses), branches: z.number(), share: z.number() })),
    /** Branches with at least one step. */
    withSteps: z.number(),
    withStepsShare: z.number(),
  }),
  /** Review turnaround and reviewers, over the branches with a discussion (scripts/stats/review-stats.ts). */
  reviews: z.object({
    branches: z.number(),
    /** Per month a branch opened (`2026-10`): median hours to its first review and to its merge; null when none. */
    perMonth: z.array(z.object({ month: z.string(), branches: z.number(), firstReviewHours: z.number().nullable(), mergeHours: z.number().nullable() })),
    /** People by reviews plus comments on others' branches, most first. */
    reviewers: z.array(z.object({ name: z.string(), reviews: z.number(), comments: z.number(), total: z.number() })),
    moreReviewers: z.number(),
  }),
  /** Branches by changed lines (additions + deletions), largest first; branches changing no line are left out. */
  largestBranches: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      title: z.string(),
      state: z.enum(branchStates),
      additions: z.number(),
      deletions: z.number(),
      changedLines: z.number(),
    }),
  ),
});

export type BranchFacts = z.output<typeof branchFactsSchema>;
export type SiteStats = z.output<typeof siteStatsSchema>;
export type WeekCount = SiteStats['merges']['weeks'][number];
export type WeekPassRate = SiteStats['passRate']['weeks'][number];
export type FailingLane = SiteStats['failingLanes']['lanes'][number];
export type LargeBranch = SiteStats['largestBranches'][number];
