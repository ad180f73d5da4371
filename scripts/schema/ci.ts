import { z } from 'zod';
import { isoDateTime } from './branch.ts';

export const runStatuses = ['success', 'failed', 'running', 'queued', 'cancelled'] as const;
export const laneStatuses = ['success', 'failed', 'running', 'queued', 'cancelled', 'skipped'] as const;

const seconds = z.number().nonnegative();

/**
 * Where a lane's log is, relative to the folder of its CI file (the branch folder, or `nightly/`).
 * Only the shape is checked here; that it stays inside the folder and exists is checked against
 * the file system when the archive is loaded (scripts/archive/lane-logs.ts).
 */
const logPath = z
  .string()
  .min(1)
  .refine((value) => !/[\0\\]/.test(value), 'must be a path with / between folders, e.g. ci/169/check-fixture.log');

/** A link to the run on the CI service: http(s) only, since it becomes an `href`. */
const webUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

/** A URL the archive may link to (importers drop the others rather than write a file the build refuses). */
export function isWebUrl(value: string | null | undefined): value is string {
  return typeof value === 'string' && webUrl.safeParse(value).success;
}

export const laneSchema = z.strictObject({
  name: z.string().min(1),
  status: z.enum(laneStatuses),
  duration_secs: seconds.optional(),
  /** The lane's log: plain text, or gzip when the name ends in `.gz`. */
  log: logPath.optional(),
  started_at: isoDateTime.optional(),
  finished_at: isoDateTime.optional(),
  /** The command the lane ran, shown as code. */
  entrypoint: z.string().min(1).optional(),
  retries: z.int().nonnegative().optional(),
  /** Free text such as `test_failure`, `timeout`, `infrastructure`. */
  failure_kind: z.string().min(1).optional(),
  /** The name of the lane this one re-ran, in the run named by the run's `rerun_of`. */
  rerun_of_lane: z.string().min(1).optional(),
  /** The job on the CI service (a check run's `details_url`, a job's `web_url`): http(s) only, it becomes an `href`. */
  url: webUrl.optional(),
});

export const ciRunSchema = z.strictObject({
  id: z.int().positive(),
  status: z.enum(runStatuses),
  head: z.string().regex(/^[0-9a-f]{7,64}$/, 'must be a hexadecimal commit sha'),
  queued_at: isoDateTime,
  queued_secs: seconds.optional(),
  ran_secs: seconds.optional(),
  rerun_of: z.int().positive().optional(),
  started_at: isoDateTime.optional(),
  finished_at: isoDateTime.optional(),
  entrypoint: z.string().min(1).optional(),
  url: webUrl.optional(),
  lanes: z.array(laneSchema).default([]),
});

/** `branches/<branch>/ci.yaml`: the branch's CI runs, oldest first (newest last). */
export const ciFileSchema = z.strictObject({
  runs: z.array(ciRunSchema).min(1, 'must list at least one run (delete ci.yaml when there is no CI)'),
});

/**
 * `nightly/<job>.yaml`: CI runs not tied to a branch (nightly builds, scheduled fuzzing), oldest
 * first. The job is named after the file unless `name` says otherwise.
 */
export const nightlyFileSchema = ciFileSchema.extend({
  name: z.string().min(1).optional(),
});

export type CiRun = z.output<typeof ciRunSchema>;
export type Lane = z.output<typeof laneSchema>;
export type RunStatus = (typeof runStatuses)[number];
export type LaneStatus = (typeof laneStatuses)[number];
