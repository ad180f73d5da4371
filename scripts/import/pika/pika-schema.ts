import { z } from 'zod';
import { isoDateTime, type BranchState, type TutorialStatus } from '../../schema/branch.ts';
import type { LaneStatus, RunStatus } from '../../schema/ci.ts';

/**
 * The files of a pika-git branch export, as pika-git writes them. Fields we do not use are
 * allowed (and dropped); the ones we use are checked, and pika's words for states and statuses
 * are mapped to ours. A value we do not know is an error that lists the values we do.
 */

const sha = z.string().regex(/^[0-9a-f]{7,64}$/, 'must be a hexadecimal commit sha (7 to 64 characters)');
const seconds = z.number().nonnegative().nullish();

/** Lower-cases a status word, then maps it through `table`; an unknown word fails with the known ones. */
function mapped<T extends string>(table: Record<string, T>) {
  return z
    .string()
    .transform((value) => value.trim().toLowerCase().replaceAll(' ', '_').replaceAll('-', '_'))
    .pipe(z.enum(Object.keys(table) as [string, ...string[]]))
    .transform((value) => table[value]!);
}

export const PIKA_BRANCH_STATES: Record<string, BranchState> = {
  open: 'open', opened: 'open', active: 'open', draft: 'open',
  merged: 'merged',
  closed: 'closed', abandoned: 'closed', declined: 'closed', rejected: 'closed',
};

export const PIKA_TUTORIAL_STATUSES: Record<string, TutorialStatus> = {
  ready: 'ready', done: 'ready', complete: 'ready', completed: 'ready', generated: 'ready', success: 'ready', succeeded: 'ready',
  pending: 'pending', queued: 'pending', running: 'pending', generating: 'pending', in_progress: 'pending',
  failed: 'failed', failure: 'failed', error: 'failed', errored: 'failed',
  none: 'none', missing: 'none', not_started: 'none', skipped: 'none', absent: 'none',
};

export const PIKA_RUN_STATUSES: Record<string, RunStatus> = {
  success: 'success', succeeded: 'success', passed: 'success', pass: 'success', ok: 'success', green: 'success',
  failed: 'failed', failure: 'failed', error: 'failed', errored: 'failed', red: 'failed',
  running: 'running', in_progress: 'running', started: 'running',
  queued: 'queued', pending: 'queued', waiting: 'queued', scheduled: 'queued',
  cancelled: 'cancelled', canceled: 'cancelled', aborted: 'cancelled',
};

export const PIKA_LANE_STATUSES: Record<string, LaneStatus> = {
  ...PIKA_RUN_STATUSES,
  skipped: 'skipped', skip: 'skipped', not_run: 'skipped',
};

/** `branch.json`. */
export const pikaBranchSchema = z.object({
  repo: z.string().min(1),
  branch_id: z.int().positive(),
  branch_name: z.string().min(1),
  title: z.string().min(1),
  state: mapped(PIKA_BRANCH_STATES),
  target_branch: z.string().min(1),
  merge_commit_sha: sha.nullish(),
  head_sha: sha,
  base_sha: sha,
  /** No tutorial status at all means pika never made one. */
  tutorial_status: mapped(PIKA_TUTORIAL_STATUSES).nullish().transform((status) => status ?? 'none'),
  /** pika's own summary of the CI; our page derives it from the latest run, so it is not kept. */
  ci_status: z.string().nullish(),
  updated_at: isoDateTime,
});

const mediaLinkSchema = z.union([
  z.string().min(1),
  z.object({ url: z.string().min(1), title: z.string().nullish(), label: z.string().nullish(), name: z.string().nullish() }),
]);

/** `tutorial.json`: pika-git's TutorialDoc. */
export const pikaTutorialSchema = z.object({
  executive_summary: z.string().nullish().transform((text) => text ?? ''),
  media_links: z.array(mediaLinkSchema).nullish().transform((links) => links ?? []),
  steps: z
    .array(
      z.object({
        title: z.string().min(1),
        intent: z.string().nullish().transform((text) => text ?? ''),
        affected_files: z.array(z.string().min(1)).nullish().transform((files) => files ?? []),
        /** Hunk headers such as `@@ -193,6 +193,17 @@`. */
        evidence_snippets: z.array(z.string()).nullish().transform((snippets) => snippets ?? []),
        body_markdown: z.string().nullish().transform((text) => text ?? ''),
      }),
    )
    .nullish()
    .transform((steps) => steps ?? []),
});

/** `ci.json`. */
export const pikaCiSchema = z.object({
  runs: z.array(
    z.object({
      id: z.int().positive(),
      status: mapped(PIKA_RUN_STATUSES),
      source_head_sha: sha,
      created_at: isoDateTime,
      queued_secs: seconds,
      ran_secs: seconds,
      rerun_of: z.int().positive().nullish(),
      lanes: z
        .array(
          z.object({
            title: z.string().min(1),
            status: mapped(PIKA_LANE_STATUSES),
            // The lane's whole log, written to ci/<run>/<lane>.log by the import.
            log_text: z.string().nullish(),
            started_at: isoDateTime.nullish(),
            finished_at: isoDateTime.nullish(),
            entrypoint: z.string().nullish(),
            retry_count: z.int().nonnegative().nullish(),
            failure_kind: z.string().nullish(),
          }),
        )
        .nullish()
        .transform((lanes) => lanes ?? []),
    }),
  ),
});

export type PikaBranch = z.output<typeof pikaBranchSchema>;
export type PikaTutorial = z.output<typeof pikaTutorialSchema>;
export type PikaCi = z.output<typeof pikaCiSchema>;
export type PikaMediaLink = z.output<typeof mediaLinkSchema>;
