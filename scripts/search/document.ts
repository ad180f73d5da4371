import { fromHtml } from 'hast-util-from-html';
import { toText } from 'hast-util-to-text';
import { escapeHtml } from '../render/html.ts';
import type { SearchDocument, SearchSection } from '../schema/search.ts';
import { SECTION_HEADINGS } from './sections.ts';
import type { SiteBranch } from '../schema/site.ts';

/**
 * What a reader can find of one branch: the branch itself (name, title, summary), each tutorial
 * step (title, intent, explanation) and each file of its diff (path, and the old path of a rename
 * or copy). Each section carries the anchor that shows it on the branch page, so a hit on a step
 * opens that step, not the top of a long page.
 *
 * The URL is site-relative and carries no base (see scripts/schema/search.ts).
 */
export function searchDocument(branch: SiteBranch): SearchDocument {
  return {
    url: `branch/${branch.id}/`,
    branchId: branch.id,
    branch: branch.name,
    title: branch.title,
    text: htmlToText(branch.summaryHtml),
    sections: [
      ...branch.steps.map((step): SearchSection => ({ kind: 'step', anchor: step.anchor, title: step.title, text: joinText([htmlToText(step.intentHtml), htmlToText(step.bodyHtml)]) })),
      ...branch.diff.files.map((file): SearchSection => {
        const moved = file.oldPath && file.newPath && file.oldPath !== file.newPath ? file.oldPath : undefined;
        return { kind: 'file', anchor: file.anchor, title: moved ? `${moved} → ${file.path}` : file.path, text: '' };
      }),
      ...discussionSections(branch),
    ],
  };
}

/**
 * What reviewers wrote: each review with a body, each comment of the conversation and each thread
 * (all its comments), linked to its anchor, so a hit opens the thread under its line.
 */
function discussionSections(branch: SiteBranch): SearchSection[] {
  const sections: SearchSection[] = [];
  for (const event of branch.discussion?.events ?? []) {
    if (event.kind === 'thread' && event.thread) {
      sections.push({ kind: 'comment', anchor: event.thread.anchor, title: `${event.thread.file} ${event.thread.where}`, text: collapseSpace(event.thread.text) });
    } else if ((event.kind === 'review' || event.kind === 'comment') && event.bodyHtml) {
      sections.push({ kind: 'comment', anchor: event.anchor, title: `${event.person?.name ?? ''}${event.kind === 'review' ? ', review' : ''}`, text: htmlToText(event.bodyHtml) });
    }
  }
  return sections;
}

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

/**
 * The text a reader sees in a fragment of our rendered HTML: entities decoded, tags gone, and
 * block boundaries (paragraphs, list items, table cells, `<br>`) kept as spaces so words on
 * either side never run together.
 */
export function htmlToText(html: string): string {
  if (!html) return '';
  return collapseSpace(toText(fromHtml(html, { fragment: true })));
}

function joinText(parts: string[]): string {
  return collapseSpace(parts.filter(Boolean).join(' '));
}

function collapseSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
