import { z } from 'zod';

export const branchStates = ['open', 'merged', 'closed'] as const;
export const tutorialStatuses = ['ready', 'pending', 'failed', 'none'] as const;

const sha = z.string().regex(/^[0-9a-f]{7,64}$/, 'must be a hexadecimal commit sha (7 to 64 characters)');
/** An ISO 8601 date-time with a time zone, e.g. `2026-03-27T00:55:23Z`. */
export const isoDateTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with a time zone, such as 2026-03-27T00:55:23Z' });

/** Front matter of `branches/<id>-<name>/branch.md`. The markdown body is the summary. */
export const branchFrontMatterSchema = z
  .strictObject({
    id: z.int().positive(),
    name: z.string().min(1),
    title: z.string().min(1),
    state: z.enum(branchStates),
    target: z.string().min(1),
    merge_commit: sha.optional(),
    head: sha,
    base: sha,
    author: z.string().min(1),
    updated: isoDateTime,
    tutorial: z.enum(tutorialStatuses).default('none'),
  })
  .superRefine((branch, ctx) => {
    if (branch.state === 'merged' && !branch.merge_commit) {
      ctx.addIssue({ code: 'custom', path: ['merge_commit'], message: 'is required when state is merged' });
    }
  });

export type BranchFrontMatter = z.output<typeof branchFrontMatterSchema>;
export type BranchState = (typeof branchStates)[number];
export type TutorialStatus = (typeof tutorialStatuses)[number];
