import { z } from 'zod';

/**
 * `authors.yaml` at the archive's root: how the people named in `discussion.yaml` (by their forge
 * login, usually) are shown. Optional; a name it does not list is shown as written.
 */
export const authorSchema = z.strictObject({
  name: z.string().min(1),
  /** A profile page. Only http(s): the link is untrusted content like the rest. */
  url: z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// address' }).optional(),
});

export const authorsFileSchema = z.record(z.string().min(1), authorSchema);

export type Author = z.output<typeof authorSchema>;
export type Authors = z.output<typeof authorsFileSchema>;
