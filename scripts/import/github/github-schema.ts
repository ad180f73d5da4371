import { z } from 'zod';
import { isoDateTime } from '../../schema/branch.ts';

/**
 * The parts of GitHub's REST answers the importer reads, from the OpenAPI description in
 * github/rest-api-description (api.github.com, API version 2022-11-28): `pull-request-simple`,
 * `pull-request-review`, `pull-request-review-comment`, `issue-comment`, `check-run`, `job`.
 * Objects are loose (GitHub adds fields); what we read is checked, enums included, so an
 * unknown state is reported instead of guessed.
 */

const sha = z.string().regex(/^[0-9a-f]{7,64}$/, 'must be a hexadecimal commit sha');
const date = isoDateTime;
const nullableDate = date.nullish();

/** `simple-user`; null for a deleted account (GitHub shows "ghost"). */
export const githubUserSchema = z
  .looseObject({
    login: z.string().min(1),
    name: z.string().nullish(),
    html_url: z.string().nullish(),
    type: z.string().optional(),
  })
  .nullable();

export const githubPullSchema = z.looseObject({
  number: z.int().positive(),
  state: z.enum(['open', 'closed']),
  title: z.string(),
  body: z.string().nullish(),
  user: githubUserSchema,
  draft: z.boolean().optional(),
  created_at: date,
  updated_at: date,
  closed_at: nullableDate,
  merged_at: nullableDate,
  merge_commit_sha: sha.nullish(),
  html_url: z.string().optional(),
  head: z.looseObject({ ref: z.string().min(1), sha }),
  base: z.looseObject({ ref: z.string().min(1), sha }),
});

export const githubReviewStates = ['APPROVED', 'CHANGES_REQUESTED', 'COMMENTED', 'DISMISSED', 'PENDING'] as const;

export const githubReviewSchema = z.looseObject({
  id: z.int(),
  user: githubUserSchema,
  body: z.string().nullish(),
  state: z.enum(githubReviewStates),
  /** Absent on a pending review. */
  submitted_at: nullableDate,
  commit_id: sha.nullish(),
});

export const githubReviewCommentSchema = z.looseObject({
  id: z.int(),
  pull_request_review_id: z.int().nullish(),
  in_reply_to_id: z.int().optional(),
  path: z.string().min(1),
  /** Null when the line is no longer in the pull request's diff (outdated). */
  line: z.int().nullish(),
  original_line: z.int().nullish(),
  start_line: z.int().nullish(),
  original_start_line: z.int().nullish(),
  side: z.enum(['LEFT', 'RIGHT']).nullish(),
  start_side: z.enum(['LEFT', 'RIGHT']).nullish(),
  subject_type: z.enum(['line', 'file']).optional(),
  diff_hunk: z.string().nullish(),
  body: z.string(),
  user: githubUserSchema,
  created_at: date,
  updated_at: date,
  commit_id: z.string().optional(),
  original_commit_id: z.string().optional(),
});

export const githubIssueCommentSchema = z.looseObject({
  id: z.int(),
  user: githubUserSchema,
  body: z.string().nullish(),
  created_at: date,
  updated_at: date,
});

/** One node of GraphQL `reviewThreads`: resolved state, and its comments by REST id. */
export const githubThreadNodeSchema = z.looseObject({
  isResolved: z.boolean(),
  isOutdated: z.boolean().optional(),
  comments: z.looseObject({ nodes: z.array(z.looseObject({ databaseId: z.int() })) }),
});

export const checkStatuses = ['queued', 'in_progress', 'completed', 'waiting', 'requested', 'pending'] as const;
export const checkConclusions = ['success', 'failure', 'neutral', 'cancelled', 'skipped', 'timed_out', 'action_required', 'stale', 'startup_failure'] as const;

export const githubCheckRunSchema = z.looseObject({
  id: z.int(),
  name: z.string().min(1),
  head_sha: sha,
  status: z.enum(checkStatuses),
  conclusion: z.enum(checkConclusions).nullish(),
  started_at: nullableDate,
  completed_at: nullableDate,
  details_url: z.string().nullish(),
  html_url: z.string().nullish(),
  app: z.looseObject({ slug: z.string().optional() }).nullish(),
});

export const githubJobStepSchema = z.looseObject({
  name: z.string(),
  number: z.int(),
  status: z.enum(checkStatuses),
  conclusion: z.enum(checkConclusions).nullish(),
});

export const githubJobSchema = z.looseObject({
  id: z.int(),
  run_id: z.int().positive(),
  run_attempt: z.int().positive().optional(),
  head_sha: sha,
  name: z.string().min(1),
  workflow_name: z.string().nullish(),
  status: z.enum(checkStatuses),
  conclusion: z.enum(checkConclusions).nullish(),
  created_at: nullableDate,
  started_at: nullableDate,
  completed_at: nullableDate,
  html_url: z.string().nullish(),
  steps: z.array(githubJobStepSchema).optional(),
});

export const githubExportInfoSchema = z.looseObject({
  repo: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'must be OWNER/NAME'),
  exported_at: date.optional(),
});

export type GithubUser = z.output<typeof githubUserSchema>;
export type GithubPull = z.output<typeof githubPullSchema>;
export type GithubReview = z.output<typeof githubReviewSchema>;
export type GithubReviewComment = z.output<typeof githubReviewCommentSchema>;
export type GithubIssueComment = z.output<typeof githubIssueCommentSchema>;
export type GithubThreadNode = z.output<typeof githubThreadNodeSchema>;
export type GithubCheckRun = z.output<typeof githubCheckRunSchema>;
export type GithubJob = z.output<typeof githubJobSchema>;
export type CheckStatus = (typeof checkStatuses)[number];
export type CheckConclusion = (typeof checkConclusions)[number];
