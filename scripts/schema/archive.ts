import { z } from 'zod';

const HTTP_ONLY = 'must be an absolute http:// or https:// URL';

/**
 * A link template: http(s) only, since its links go onto every page (`javascript:` and `data:`
 * templates would be live script). Checked with its placeholders filled in, as the pages fill them.
 */
function httpUrlTemplate(placeholder: string) {
  return z
    .string()
    .includes(placeholder, { message: `must contain ${placeholder}` })
    .refine((template) => isHttpUrl(template.replaceAll('{sha}', '0').replaceAll('{path}', 'x')), { message: `${HTTP_ONLY} (with ${placeholder} in it)` });
}

export function isHttpUrl(text: string): boolean {
  if (!/^https?:\/\//i.test(text)) return false;
  try {
    return Boolean(new URL(text).hostname);
  } catch {
    return false;
  }
}

/** `content/archive.yaml`: facts about the repository the archive describes. */
export const archiveConfigSchema = z.strictObject({
  /** `owner/name`, shown as `<repo> branch #<id>`. */
  repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must look like owner/name'),
  /** The site's title, shown in the header and the browser tab. */
  title: z.string().min(1),
  /** Absolute URL where the site will be served; used for canonical links. */
  url: z.url({ protocol: /^https?$/, hostname: /./, message: HTTP_ONLY }).optional(),
  /** Short description for the feed page. */
  description: z.string().optional(),
  /** Link template for a commit, with `{sha}`; e.g. `https://example.org/owner/name/commit/{sha}`. */
  commit_url: httpUrlTemplate('{sha}').optional(),
  /** Files with more changed lines than this start collapsed on the page (default 2,000). */
  collapse_lines: z.int().positive().optional(),
  /** Link template for a file at a commit, with `{sha}` and `{path}`. */
  file_url: httpUrlTemplate('{path}').optional(),
  /** Branches per feed page (default 50); later ones go to `/page/2/` and on. */
  page_size: z.int().min(1).max(1000).optional(),
  /**
   * Lines of a lane's log shown whole on the CI page (default 5,000); a longer log shows its first
   * tenth and last four tenths of this many lines, plus its error lines, and is published whole as text.
   */
  ci_log_max_lines: z.int().min(100).max(1_000_000).optional(),
});

export const DEFAULT_PAGE_SIZE = 50;

export type ArchiveConfig = z.output<typeof archiveConfigSchema>;
