import { escapeHtml } from '../render/html.ts';
import { formatDuration, pluralize } from '../render/format.ts';
import type { LogView, ShownLine } from './log-view.ts';
import type { LineKind } from './parse-line.ts';
import type { Section } from './sections.ts';
import type { Segment } from './terminal.ts';

/**
 * A log view as escaped HTML: one block per line with its number (a link to the line's own
 * anchor, `<prefix>-L<n>`), GitHub's timestamp as a quiet column, the text in its styles; groups
 * and sections as nested `<details>` (open when they hold an error, or for a GitLab section not
 * marked collapsed); a note wherever lines are left out. Every byte of the log is escaped here;
 * nothing from it becomes markup except http(s) links.
 */
export function renderLogHtml(view: LogView, anchorPrefix: string, textFileHref?: string): string {
  const out: string[] = [];
  const emitted: number[] = [];
  let previous = 0;
  const closeTo = (depth: number) => {
    while (emitted.length > depth) {
      emitted.pop();
      out.push('</details>');
    }
  };
  for (const entry of view.shown) {
    const { line } = entry;
    const stack = entry.stack.filter((id) => view.sections.has(id));
    let common = 0;
    while (common < emitted.length && common < stack.length && emitted[common] === stack[common]) common++;
    if (line.number > previous + 1) {
      closeTo(0);
      common = 0;
      out.push(gapHtml(line.number - previous - 1, textFileHref));
    }
    closeTo(common);
    // Sections whose heading was left out still fold what is shown of them.
    for (const id of stack.slice(common)) {
      const section = view.sections.get(id)!;
      out.push(`${detailsOpen(section)}<summary><span class="l lc">${escapeHtml(section.name || 'Group')} (continued)</span></summary>`);
      emitted.push(id);
    }
    previous = line.number;
    const opened = line.opens ? sectionOpenedBy(view, line.number) : undefined;
    if (opened) {
      out.push(`${detailsOpen(opened)}<summary>${lineHtml(entry, anchorPrefix, opened)}</summary>`);
      emitted.push(opened.id);
    } else if (!line.markerOnly) {
      out.push(lineHtml(entry, anchorPrefix));
    }
  }
  closeTo(0);
  if (view.totalLines > previous) out.push(gapHtml(view.totalLines - previous, textFileHref));
  return out.join('\n');
}

/** The section a line opened. Sections are numbered in order of their heading lines, so a search finds it. */
function sectionOpenedBy(view: LogView, lineNumber: number): Section | undefined {
  let cache = headingIndex.get(view);
  if (!cache) {
    cache = new Map([...view.sections.values()].map((section) => [section.line, section]));
    headingIndex.set(view, cache);
  }
  return cache.get(lineNumber);
}
const headingIndex = new WeakMap<LogView, Map<number, Section>>();

function detailsOpen(section: Section): string {
  const open = section.errors > 0 || !section.collapsed;
  return `<details class="ls"${open ? ' open' : ''}>`;
}

const KIND_CLASS: Record<LineKind, string> = { text: '', error: ' e', warning: ' w', notice: ' o', command: ' c', debug: ' d', section: ' s' };
const KIND_LABEL: Partial<Record<LineKind, string>> = { error: 'Error', warning: 'Warning', notice: 'Notice' };

function lineHtml(entry: ShownLine, anchorPrefix: string, section?: Section): string {
  const { line } = entry;
  const id = `${anchorPrefix}-L${line.number}`;
  const kind = entry.error && line.kind === 'text' ? ' e' : KIND_CLASS[line.kind];
  const time = line.timestamp ? `<time class="t" datetime="${escapeHtml(line.timestamp)}">${escapeHtml(line.timestamp.slice(11, 19))}</time>` : '';
  const label = KIND_LABEL[line.kind] ? `<span class="k">${KIND_LABEL[line.kind]}:</span> ` : '';
  const duration = section?.durationSecs !== undefined ? ` <span class="du">${escapeHtml(formatDuration(section.durationSecs))}</span>` : '';
  const cut = entry.cut ? ' <span class="cut">(line cut: too long to show)</span>' : '';
  return `<span class="l${kind}" id="${id}"><a class="n" href="#${id}">${line.number}</a>${time}<span class="x">${label}${segmentsHtml(line.segments)}${duration}${cut}</span></span>`;
}

export function segmentsHtml(segments: readonly Segment[]): string {
  let html = '';
  for (const segment of segments) {
    const text = escapeHtml(segment.text);
    const attributes = `${segment.classes ? ` class="${escapeHtml(segment.classes)}"` : ''}${segment.style ? ` style="${escapeHtml(segment.style)}"` : ''}`;
    if (segment.href) html += `<a href="${escapeHtml(segment.href)}" rel="nofollow noopener noreferrer"${attributes}>${text}</a>`;
    else html += attributes ? `<span${attributes}>${text}</span>` : text;
  }
  return html;
}

function gapHtml(count: number, textFileHref: string | undefined): string {
  const whole = textFileHref ? ` <a href="${escapeHtml(textFileHref)}">Read the whole log</a>` : '';
  return `<p class="lg">${pluralize(count, 'line').replace(/^\d+/, (n) => Number(n).toLocaleString('en-US'))} not shown here.${whole}</p>`;
}
