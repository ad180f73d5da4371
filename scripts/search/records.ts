import { fromHtml } from 'hast-util-from-html';
import { toText } from 'hast-util-to-text';
import type { SearchKind, SearchRecord } from '../schema/search.ts';
import type { SiteBranch } from '../schema/site.ts';

/**
 * What a reader can find of one branch: the branch itself (name, title, summary), each tutorial
 * step (title, intent, explanation) and each file of its diff (path, and the old path of a rename
 * or copy). Each record links to the place on the branch page that shows it, so a hit on a step
 * opens that step, not the top of a long page.
 *
 * URLs are site-relative and carry no base (see scripts/schema/search.ts).
 */
export function searchRecords(branch: SiteBranch): SearchRecord[] {
  const page = `branch/${branch.id}/`;
  const record = (kind: SearchKind, url: string, title: string, parts: string[]): SearchRecord => ({
    url,
    content: joinText(parts),
    language: 'en',
    meta: { title, kind, branchId: String(branch.id), branch: branch.name },
  });
  return [
    record('branch', page, `${branch.name} · #${branch.id}`, [branch.name, branch.title, htmlToText(branch.summaryHtml)]),
    ...branch.steps.map((step) => record('step', `${page}#${step.anchor}`, step.title, [step.title, htmlToText(step.intentHtml), htmlToText(step.bodyHtml)])),
    ...branch.diff.files.map((file) => {
      const moved = file.oldPath && file.newPath && file.oldPath !== file.newPath ? file.oldPath : undefined;
      return record('file', `${page}#${file.anchor}`, moved ? `${moved} → ${file.path}` : file.path, [moved ?? '', file.path]);
    }),
  ];
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
