import { fromHtml } from 'hast-util-from-html';
import { toText } from 'hast-util-to-text';
import type { SearchDocument, SearchSection } from '../schema/search.ts';
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
      ...branch.runs.map(ciRunSection),
    ],
  };
}

/**
 * A CI run: its lanes' names, and the first error lines of its failed lanes, so a reader searching
 * a test name finds the run that failed it. The anchor is the run on the branch page's CI panel,
 * which links on to the lane's log.
 */
function ciRunSection(run: SiteBranch['runs'][number]): SearchSection {
  const failed = run.lanes.filter((lane) => lane.status === 'failed');
  const errors = failed.flatMap((lane) => (lane.firstErrors ?? []).map((error) => `${lane.name}: ${error.text}`));
  return {
    kind: 'ci',
    anchor: `ci-run-${run.id}`,
    title: `CI run #${run.id} ${run.status}${failed.length ? `: ${failed.map((lane) => lane.name).join(', ')} failed` : ''}`,
    text: joinText([`Lanes: ${run.lanes.map((lane) => lane.name).join(', ')}.`, ...errors]),
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
