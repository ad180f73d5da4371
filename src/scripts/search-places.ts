import type { SearchMeta } from '../../scripts/schema/search.ts';
import { SECTION_HEADINGS, type SearchSectionKind } from '../../scripts/search/sections.ts';

/** The part of a Pagefind result (`result.data()`) the search page shows. */
export interface PagefindResult {
  /** The branch page's URL, the base in front. */
  url: string;
  excerpt: string;
  meta: SearchMeta;
  /** The parts of the page that matched: the branch's own text (no anchor) and its sections. */
  sub_results?: PagefindSubResult[];
}

export interface PagefindSubResult {
  url: string;
  title: string;
  excerpt: string;
  anchor?: { element: string; id: string };
}

/** A step or a file of a branch, where the words were found. */
export interface SearchPlace {
  kind: SearchSectionKind;
  url: string;
  title: string;
  excerpt: string;
}

export interface BranchHits {
  /** The excerpt of the branch's own text when the words are in it (name, title, summary). */
  excerpt?: string;
  /** Every step and file that matched, in page order. */
  places: SearchPlace[];
}

const KIND_OF_HEADING = new Map<string, SearchSectionKind>(Object.entries(SECTION_HEADINGS).map(([kind, heading]) => [heading, kind as SearchSectionKind]));

/**
 * Sorts a branch's matches into the branch's own text and its places. The index is one page per
 * branch (scripts/search/document.ts); Pagefind reports each matching heading's part as a
 * sub-result, and the heading's element says whether it is a step or a file.
 */
export function branchHits(result: PagefindResult): BranchHits {
  const subResults = result.sub_results ?? [];
  const places: SearchPlace[] = [];
  let excerpt: string | undefined;
  for (const sub of subResults) {
    const kind = sub.anchor && KIND_OF_HEADING.get(sub.anchor.element.toLowerCase());
    if (kind) places.push({ kind, url: sub.url, title: sub.title, excerpt: sub.excerpt });
    else excerpt ??= sub.excerpt;
  }
  // Without sub-results, the match can only be the branch's own text.
  if (!subResults.length) excerpt = result.excerpt;
  return { excerpt, places };
}

/**
 * Whether an excerpt says nothing but the title shown above it: a file's section holds little
 * more than its path. Pagefind ends each block's text with a full stop, so `a.ts` comes back as `a.ts.`.
 */
export function excerptRepeatsTitle(excerptText: string, title: string): boolean {
  return excerptText.trim().replace(/\.$/, '') === title;
}
