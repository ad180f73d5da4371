/**
 * The kinds of section a branch's search page has, and the heading each gets. Pagefind reports the
 * heading's element with every sub-result, which is how the search page tells a step from a file.
 * Free of imports: the search page's script (src/scripts/search-places.ts) bundles this file.
 */
export const searchSectionKinds = ['step', 'file', 'comment'] as const;

export type SearchSectionKind = (typeof searchSectionKinds)[number];

export const SECTION_HEADINGS = { step: 'h2', file: 'h3', comment: 'h4' } as const satisfies Record<SearchSectionKind, string>;
