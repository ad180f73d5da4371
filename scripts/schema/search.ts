import { z } from 'zod';
import { searchSectionKinds } from '../search/sections.ts';

/**
 * What search knows of one branch: its own text (name, title, summary) and one section per
 * tutorial step and per changed file, each with the anchor that shows it on the branch page.
 * The content build writes it to `<data>/search/<id>.json`; scripts/search/build-index.ts turns it
 * into one page for Pagefind, whose sections come back as the result's sub-results, so a hit on a
 * step links to that step and the results stay grouped by branch.
 */

/** Site-relative, without the base and without a leading slash (`branch/7/`), so one index serves any base. */
const siteRelativeUrl = z.string().regex(/^(?!\/)/, 'a site-relative URL, without a leading slash');

export const searchSectionSchema = z.object({
  kind: z.enum(searchSectionKinds),
  /** The element id on the branch page (`step-2`, `diff-src-app-ts`). */
  anchor: z.string().regex(/^[A-Za-z][\w-]*$/, 'an element id'),
  title: z.string(),
  /** Plain text (never HTML), besides the title. */
  text: z.string(),
});

export const searchDocumentSchema = z.object({
  url: siteRelativeUrl,
  branchId: z.number().int().nonnegative(),
  /** The branch's name, and its title (the result's heading). */
  branch: z.string(),
  title: z.string(),
  /** The summary, as plain text. */
  text: z.string(),
  sections: z.array(searchSectionSchema),
});

/** What the search page reads back from each result (`data-pagefind-meta`). */
export interface SearchMeta {
  title: string;
  branch: string;
  branchId: string;
}

export type SearchSection = z.output<typeof searchSectionSchema>;
export type SearchDocument = z.output<typeof searchDocumentSchema>;
