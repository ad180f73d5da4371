import { z } from 'zod';

/** `content/archive.yaml`: facts about the repository the archive describes. */
export const archiveConfigSchema = z.strictObject({
  /** `owner/name`, shown as `<repo> branch #<id>`. */
  repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must look like owner/name'),
  /** The site's title, shown in the header and the browser tab. */
  title: z.string().min(1),
  /** Absolute URL where the site will be served; used for canonical links. */
  url: z.url().optional(),
  /** Short description for the feed page. */
  description: z.string().optional(),
  /** Link template for a commit, with `{sha}`; e.g. `https://example.org/owner/name/commit/{sha}`. */
  commit_url: z.string().includes('{sha}', { message: 'must contain {sha}' }).optional(),
  /** Files with more changed lines than this start collapsed on the page (default 2,000). */
  collapse_lines: z.int().positive().optional(),
  /** Link template for a file at a commit, with `{sha}` and `{path}`. */
  file_url: z.string().includes('{path}', { message: 'must contain {path}' }).optional(),
  /** Branches per feed page (default 50); later ones go to `/page/2/` and on. */
  page_size: z.int().min(1).max(1000).optional(),
});

export const DEFAULT_PAGE_SIZE = 50;

export type ArchiveConfig = z.output<typeof archiveConfigSchema>;
