import { z } from 'zod';
import { isoDateTime } from '../../schema/branch.ts';

/**
 * The parts of GitLab's REST API v4 answers the importer reads, as GitLab's documentation
 * describes them (docs.gitlab.com, GitLab 17/18: Merge requests API, Discussions API, Notes API,
 * Pipelines API, Jobs API). Objects are loose; what we read is checked, enums included.
 */

const sha = z.string().regex(/^[0-9a-f]{7,64}$/, 'must be a hexadecimal commit sha');
const date = isoDateTime;
const nullableDate = date.nullish();

export const gitlabUserSchema = z
  .looseObject({
    username: z.string().min(1),
    name: z.string().nullish(),
    web_url: z.string().nullish(),
  })
  .nullable();

export const gitlabMergeRequestSchema = z.looseObject({
  iid: z.int().positive(),
  title: z.string(),
  description: z.string().nullish(),
  state: z.enum(['opened', 'closed', 'locked', 'merged']),
  created_at: date,
  updated_at: date,
  merged_at: nullableDate,
  target_branch: z.string().min(1),
  source_branch: z.string().min(1),
  author: gitlabUserSchema,
  draft: z.boolean().optional(),
  work_in_progress: z.boolean().optional(),
  sha: sha,
  merge_commit_sha: sha.nullish(),
  squash_commit_sha: sha.nullish(),
  /** Only in a single merge request's answer; the list leaves it out. */
  diff_refs: z.looseObject({ base_sha: sha.nullish(), head_sha: sha.nullish(), start_sha: sha.nullish() }).nullish(),
  web_url: z.string().optional(),
});

const linePoint = z.looseObject({ type: z.enum(['new', 'old']).nullish(), old_line: z.int().nullish(), new_line: z.int().nullish() });

export const gitlabPositionSchema = z.looseObject({
  position_type: z.enum(['text', 'image', 'file']).optional(),
  old_path: z.string().nullish(),
  new_path: z.string().nullish(),
  old_line: z.int().nullish(),
  new_line: z.int().nullish(),
  head_sha: z.string().nullish(),
  line_range: z.looseObject({ start: linePoint, end: linePoint }).nullish(),
});

export const gitlabNoteSchema = z.looseObject({
  id: z.int(),
  type: z.enum(['DiffNote', 'DiscussionNote', 'Note']).nullish(),
  body: z.string(),
  author: gitlabUserSchema,
  created_at: date,
  updated_at: nullableDate,
  system: z.boolean(),
  resolvable: z.boolean().optional(),
  resolved: z.boolean().nullish(),
  position: gitlabPositionSchema.nullish(),
});

export const gitlabDiscussionSchema = z.looseObject({
  id: z.string(),
  individual_note: z.boolean().optional(),
  notes: z.array(gitlabNoteSchema),
});

export const gitlabStatuses = ['created', 'waiting_for_resource', 'preparing', 'pending', 'running', 'success', 'failed', 'canceled', 'canceling', 'skipped', 'manual', 'scheduled'] as const;

export const gitlabPipelineSchema = z.looseObject({
  id: z.int().positive(),
  sha: sha,
  ref: z.string().nullish(),
  status: z.enum(gitlabStatuses),
  created_at: date,
  updated_at: nullableDate,
  web_url: z.string().nullish(),
});

export const gitlabJobSchema = z.looseObject({
  id: z.int().positive(),
  name: z.string().min(1),
  stage: z.string().nullish(),
  status: z.enum(gitlabStatuses),
  created_at: date,
  started_at: nullableDate,
  finished_at: nullableDate,
  duration: z.number().nullish(),
  queued_duration: z.number().nullish(),
  failure_reason: z.string().nullish(),
  retried: z.boolean().optional(),
  allow_failure: z.boolean().optional(),
  web_url: z.string().nullish(),
});

export const gitlabExportInfoSchema = z.looseObject({
  project: z.string().min(1),
  exported_at: date.optional(),
});

export type GitlabUser = z.output<typeof gitlabUserSchema>;
export type GitlabMergeRequest = z.output<typeof gitlabMergeRequestSchema>;
export type GitlabNote = z.output<typeof gitlabNoteSchema>;
export type GitlabDiscussion = z.output<typeof gitlabDiscussionSchema>;
export type GitlabPipeline = z.output<typeof gitlabPipelineSchema>;
export type GitlabJob = z.output<typeof gitlabJobSchema>;
export type GitlabStatus = (typeof gitlabStatuses)[number];
