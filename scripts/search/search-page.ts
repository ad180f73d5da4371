import { escapeHtml } from '../render/html.ts';
import type { SearchDocument } from '../schema/search.ts';
import { SECTION_HEADINGS } from './sections.ts';

// A module of its own, apart from document.ts: the search index's thread needs only this, and
// document.ts brings the HTML parser (hast-util-from-html, parse5: about 0.1 s of CPU to load).

/**
 * The page Pagefind indexes for a branch: the branch's own text first, then each section under a
 * heading with the section's anchor as its id, which Pagefind turns into a sub-result linking to
 * `url#anchor`. One page per branch rather than one record per step and file: Pagefind writes a
 * file per page, and ten times fewer files made indexing about six times faster.
 */
export function searchPageHtml(document: SearchDocument): string {
  const sections = document.sections.map((section) => {
    const heading = SECTION_HEADINGS[section.kind];
    const text = section.text ? `<p>${escapeHtml(section.text)}</p>` : '';
    return `<section><${heading} id="${section.anchor}">${escapeHtml(section.title)}</${heading}>${text}</section>`;
  });
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"></head><body>',
    `<h1 data-pagefind-meta="title">${escapeHtml(document.title)}</h1>`,
    `<p>#<span data-pagefind-meta="branchId">${document.branchId}</span> <span data-pagefind-meta="branch">${escapeHtml(document.branch)}</span></p>`,
    `<p>${escapeHtml(document.text)}</p>`,
    ...sections,
    '</body></html>',
  ].join('');
}
