import { z } from 'zod';
import { reviewStates } from './discussion.ts';

/** A person as the page shows them: the name from authors.yaml (else as written) and a profile link. */
export const sitePersonSchema = z.object({ login: z.string(), name: z.string(), url: z.string().optional() });

/** A reviewer's latest verdict, for the branch header. */
export const siteReviewerSchema = z.object({ person: sitePersonSchema, state: z.enum(reviewStates), at: z.string() });

/** A thread as the Conversation lists it; its comments are in the diff (or, outdated, in `html`). */
export const siteThreadSummarySchema = z.object({
  anchor: z.string(),
  file: z.string(),
  /** `line 240`, `lines 236–240`, `old line 12`. */
  where: z.string(),
  resolved: z.boolean(),
  outdated: z.boolean(),
  comments: z.number(),
  /** The file's anchor in the Diff section, when the thread sits there. */
  fileAnchor: z.string().optional(),
  /** Whether the file starts collapsed, so the link says the thread is inside it. */
  inCollapsedFile: z.boolean().optional(),
  /** Its comments as plain text, for search. */
  text: z.string(),
  /** An outdated thread in full (its original hunk, then its comments), shown in the Conversation. */
  html: z.string().optional(),
});

/**
 * One event of the Conversation, in time order: a review, a comment, the start of a thread, a CI
 * run (with a new push when its head changed), the merge, and what discussion.yaml's `events`
 * say (an `activity`: `added 2 commits`, `marked it as ready`). Every `...Html` is sanitized.
 */
export const siteConversationEventSchema = z.object({
  kind: z.enum(['review', 'comment', 'thread', 'push', 'ci', 'merge', 'activity']),
  anchor: z.string(),
  at: z.string(),
  person: sitePersonSchema.optional(),
  /** A review's verdict, a CI run's status. */
  state: z.string().optional(),
  /** A short line for events without a body: `CI run #224 success`, `Merged into main`. */
  text: z.string().optional(),
  /** A commit the event is about (the reviewed head, the pushed head, the merge commit). */
  commit: z.string().optional(),
  /** Where the event links to on the page (a CI run's panel entry). */
  href: z.string().optional(),
  bodyHtml: z.string().optional(),
  editedAt: z.string().optional(),
  thread: siteThreadSummarySchema.optional(),
});

export const siteDiscussionSchema = z.object({
  reviewers: z.array(siteReviewerSchema),
  events: z.array(siteConversationEventSchema),
  threads: z.number(),
  /** Comments in the conversation and in threads, review bodies not counted. */
  comments: z.number(),
});

export type SitePerson = z.output<typeof sitePersonSchema>;
export type SiteReviewer = z.output<typeof siteReviewerSchema>;
export type SiteThreadSummary = z.output<typeof siteThreadSummarySchema>;
export type SiteConversationEvent = z.output<typeof siteConversationEventSchema>;
export type SiteDiscussion = z.output<typeof siteDiscussionSchema>;
