import { z } from 'zod';

/**
 * One entry of the search index: a branch, one of its steps or one file of its diff, in the shape
 * Pagefind's `addCustomRecord` takes. The content build writes a branch's records to
 * `<data>/search/<id>.json`; scripts/search/build-index.ts feeds them to Pagefind; the search page
 * (src/scripts/search.ts) shows `meta`.
 */

export const searchKinds = ['branch', 'step', 'file'] as const;

export const searchRecordSchema = z.object({
  /**
   * Site-relative, without the base and without a leading slash (`branch/7/#step-2`), so one index
   * serves any base: the search page hands its base to Pagefind, which puts it in front.
   */
  url: z.string().regex(/^(?!\/)/, 'a site-relative URL, without a leading slash'),
  /** Plain text (never HTML): what the words are found in, and what excerpts are cut from. */
  content: z.string(),
  language: z.literal('en'),
  meta: z.object({
    /** The result's heading. */
    title: z.string(),
    kind: z.enum(searchKinds),
    /** The branch the result belongs to: its number and its name. */
    branchId: z.string(),
    branch: z.string(),
  }),
});

export const searchRecordsSchema = z.array(searchRecordSchema);

export type SearchKind = (typeof searchKinds)[number];
export type SearchRecord = z.output<typeof searchRecordSchema>;
export type SearchMeta = SearchRecord['meta'];
