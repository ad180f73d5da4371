import { z } from 'zod';
import { isoDateTime } from './branch.ts';

/**
 * `branches/<id>-<name>/discussion.yaml`: what reviewers said about a branch. The field names follow
 * the forges' own (GitHub's review `state` and `submitted_at`, a thread's `side`, `line` and
 * `start_line`), so importers map an export onto it without renaming.
 */
export const reviewStates = ['approved', 'changes_requested', 'commented', 'dismissed'] as const;
export const threadSides = ['new', 'old'] as const;

const author = z.string().min(1);
const sha = z.string().regex(/^[0-9a-f]{7,64}$/, 'must be a hexadecimal commit sha (7 to 64 characters)');

/** A verdict on the branch as a whole. */
export const reviewSchema = z.strictObject({
  author,
  state: z.enum(reviewStates),
  submitted_at: isoDateTime,
  /** The head the reviewer looked at. */
  commit: sha.optional(),
  body: z.string().optional(),
});

export const commentSchema = z.strictObject({
  author,
  at: isoDateTime,
  body: z.string(),
  edited_at: isoDateTime.optional(),
});

/** Comments on a line (or a range `start_line`..`line`) of one side of the diff. */
export const threadSchema = z
  .strictObject({
    file: z.string().min(1),
    side: z.enum(threadSides),
    line: z.int().positive(),
    start_line: z.int().positive().optional(),
    resolved: z.boolean().default(false),
    /** The line is no longer in this diff: the thread is shown with `hunk`, the hunk it was made on. */
    outdated: z.boolean().default(false),
    hunk: z.string().optional(),
    comments: z.array(commentSchema).min(1, 'must list at least one comment (a thread is its comments)'),
  })
  .superRefine((thread, ctx) => {
    if (thread.outdated && !thread.hunk?.trim()) {
      ctx.addIssue({ code: 'custom', path: ['hunk'], message: 'is required when outdated is true: the hunk the comment was made on, from its "@@" header on' });
    }
    if (thread.start_line !== undefined && thread.start_line > thread.line) {
      ctx.addIssue({ code: 'custom', path: ['start_line'], message: `${thread.start_line} is after line ${thread.line}; a range runs from start_line to line` });
    }
  });

/**
 * What happened to the branch that is neither a verdict nor a comment, as a forge records it
 * (GitLab's system notes): new commits pushed, merged, an approval taken back, marked ready or
 * draft. Shown in the Conversation at its time.
 */
export const activityKinds = ['pushed', 'merged', 'unapproved', 'ready', 'draft'] as const;

export const activitySchema = z.strictObject({
  kind: z.enum(activityKinds),
  author,
  at: isoDateTime,
  /** For `pushed`: how many commits the push added. */
  commits: z.int().positive().optional(),
});

export const discussionFileSchema = z.strictObject({
  reviews: z.array(reviewSchema).default([]),
  comments: z.array(commentSchema).default([]),
  threads: z.array(threadSchema).default([]),
  events: z.array(activitySchema).default([]),
});

export type Discussion = z.output<typeof discussionFileSchema>;
export type Review = z.output<typeof reviewSchema>;
export type Comment = z.output<typeof commentSchema>;
export type Thread = z.output<typeof threadSchema>;
export type Activity = z.output<typeof activitySchema>;
export type ActivityKind = (typeof activityKinds)[number];
export type ReviewState = (typeof reviewStates)[number];
export type ThreadSide = (typeof threadSides)[number];
