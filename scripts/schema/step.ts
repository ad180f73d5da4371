import { z } from 'zod';

/**
 * Which part of the diff a step points at. Either a hunk header as git prints it
 * (`@@ -193,6 +193,17 @@`; any function context after the second `@@` is ignored),
 * or a line range of the new file (`lines: 12-30`, or `lines: 12` for one line) that
 * must fall inside one hunk of that file.
 */
export const evidenceSelectorSchema = z.union([
  z.strictObject({
    file: z.string().min(1),
    hunk: z.string().regex(/^@@ -\d+(,\d+)? \+\d+(,\d+)? @@/, 'must be a hunk header such as "@@ -193,6 +193,17 @@"'),
  }),
  z.strictObject({
    file: z.string().min(1),
    lines: z.union([z.int().positive(), z.string().regex(/^\d+(-\d+)?$/, 'must be a line or a range such as "12-30"')]),
  }),
]);

/** Front matter of `branches/<branch>/steps/NN-<slug>.md`. The markdown body is the explanation. */
export const stepFrontMatterSchema = z.strictObject({
  title: z.string().min(1),
  /** Markdown, usually one or two sentences: why this step exists. */
  intent: z.string().min(1),
  files: z.array(z.string().min(1)).default([]),
  evidence: z.array(evidenceSelectorSchema).default([]),
  /** Set by `npm run ingest` for steps derived from the diff; a person's step never has it. */
  generated: z.boolean().optional(),
});

export type EvidenceSelector = z.output<typeof evidenceSelectorSchema>;
export type StepFrontMatter = z.output<typeof stepFrontMatterSchema>;
