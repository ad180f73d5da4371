import { z } from 'zod';
import { isoDateTime } from './branch.ts';

export const runStatuses = ['success', 'failed', 'running', 'queued', 'cancelled'] as const;
export const laneStatuses = ['success', 'failed', 'running', 'queued', 'cancelled', 'skipped'] as const;

const seconds = z.number().nonnegative();

export const laneSchema = z.strictObject({
  name: z.string().min(1),
  status: z.enum(laneStatuses),
  duration_secs: seconds.optional(),
});

export const ciRunSchema = z.strictObject({
  id: z.int().positive(),
  status: z.enum(runStatuses),
  head: z.string().regex(/^[0-9a-f]{7,64}$/, 'must be a hexadecimal commit sha'),
  queued_at: isoDateTime,
  queued_secs: seconds.optional(),
  ran_secs: seconds.optional(),
  rerun_of: z.int().positive().optional(),
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
