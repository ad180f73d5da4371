import type { BranchState } from '../../schema/branch.ts';
import type { LaneStatus, RunStatus } from '../../schema/ci.ts';
import type { Activity } from '../../schema/discussion.ts';
import type { LogSource } from './log-source.ts';

/**
 * What a GitHub pull request or a GitLab merge request becomes before it meets the diff: the
 * branch facts, the discussion with threads still placed by the forge's own coordinates, and CI
 * runs with their logs. Both importers map onto this; one writer puts it on disk.
 * The discussion and CI fields use the names of `discussion.yaml` and `ci.yaml` (content/README.md).
 */
export interface ForgeBranch {
  /** Stable across exports: `github:12`, `gitlab:7`. */
  key: string;
  /** The pull request's number (a merge request's iid): the branch's id, as ingest gives it. */
  id: number;
  name: string;
  title: string;
  state: BranchState;
  draft: boolean;
  target: string;
  mergeCommit?: string;
  head: string;
  /**
   * The base the forge names (GitHub's `base.sha`, GitLab's `diff_refs.base_sha`); GitLab's
   * list of merge requests leaves it out, and then the target branch of --repo stands in.
   */
  base?: string;
  /** Merged without a merge commit (GitLab's fast-forward merge): the diff is base to head. */
  fastForward?: boolean;
  author: string;
  updated: string;
  /** The description, markdown. */
  description: string;
  /** The export file a problem about this branch points at. */
  sourceFile: string;
  reviews: ForgeReview[];
  comments: ForgeComment[];
  threads: ForgeThread[];
  /** What the forge recorded happening (GitLab's system notes): discussion.yaml's `events`. */
  events: Activity[];
  runs: ForgeRun[];
  /** Where the branch's page lives on the forge, for the summary. */
  webUrl?: string;
}

export interface ForgeComment {
  author: string;
  at: string;
  body: string;
  edited_at?: string;
}

export interface ForgeReview {
  author: string;
  state: 'approved' | 'changes_requested' | 'commented' | 'dismissed';
  submitted_at: string;
  commit?: string;
  body?: string;
}

/** A thread as the forge placed it; `placeThreads` checks it against the diff we have. */
export interface ForgeThread {
  file: string;
  side: 'new' | 'old';
  /** Undefined for a comment on the whole file. */
  line?: number;
  start_line?: number;
  resolved: boolean;
  /** The forge already says the line is gone. */
  outdated: boolean;
  /** The hunk the comment was made on, when the forge keeps it (GitHub's `diff_hunk`). */
  hunk?: string;
  comments: ForgeComment[];
}

export interface ForgeLane {
  name: string;
  status: LaneStatus;
  duration_secs?: number;
  started_at?: string;
  finished_at?: string;
  retries?: number;
  failure_kind?: string;
  /** The job on the forge (a check run's `details_url`, a job's `html_url` / `web_url`), http(s) only. */
  url?: string;
  /** Where the log is in the export; copied to `ci/<run>/<lane>.log` and named by `log:`. */
  log?: LogSource;
}

export interface ForgeRun {
  id: number;
  status: RunStatus;
  head: string;
  queued_at: string;
  queued_secs?: number;
  ran_secs?: number;
  started_at?: string;
  finished_at?: string;
  url?: string;
  lanes: ForgeLane[];
}

/** People named in the discussion: login → display name and profile, for authors.yaml. */
export type ForgeAuthors = Map<string, { name: string; url?: string }>;

/** The run's status from its lanes: a failure wins, then unfinished work, then cancellation. */
export function runStatusOf(lanes: readonly Pick<ForgeLane, 'status'>[]): RunStatus {
  const has = (status: LaneStatus) => lanes.some((lane) => lane.status === status);
  if (has('failed')) return 'failed';
  if (has('running')) return 'running';
  if (has('queued')) return 'queued';
  if (lanes.length > 0 && lanes.every((lane) => lane.status === 'cancelled' || lane.status === 'skipped') && has('cancelled')) return 'cancelled';
  return 'success';
}

/** Seconds between two ISO times, when both are known and in order. */
export function secondsBetween(from: string | null | undefined, to: string | null | undefined): number | undefined {
  if (!from || !to) return undefined;
  const secs = (Date.parse(to) - Date.parse(from)) / 1000;
  return Number.isFinite(secs) && secs >= 0 ? secs : undefined;
}
