import { escapeHtml } from '../render/html.ts';
import { formatDuration, pluralize } from '../render/format.ts';
import type { LogView, ShownLine } from './log-view.ts';
import { walkEscapes, type EscapeVisitor, type LineKind, type LogLine } from './parse-line.ts';
import type { SgrState } from './sgr-states.ts';
import type { Segment } from './terminal.ts';
import type { Section } from './sections.ts';

/**
 * A log view as escaped HTML: one block per line with its number (a link to the line's own
 * anchor, `<prefix>-L<n>`), GitHub's timestamp as a quiet column, the text in its styles; groups
 * and sections as nested `<details>` (open when they hold an error, or for a GitLab section not
 * marked collapsed); a note wherever lines are left out. Every byte of the log is escaped here;
 * nothing from it becomes markup except http(s) links.
 */
export function renderLogHtml(view: LogView, anchorPrefix: string, textFileHref?: string): string {
  return renderLogBytes(view, anchorPrefix, textFileHref).toString('utf8');
}

/**
 * renderLogHtml's HTML as UTF-8 bytes, made a piece at a time: a log's HTML is megabytes, and one
 * string of it (then copied into bytes) is garbage the size of the page for every lane.
 */
export function renderLogBytes(view: LogView, anchorPrefix: string, textFileHref?: string): Buffer {
  const out = new LinesOut();
  const emitted: number[] = [];
  let previous = 0;
  const closeTo = (depth: number) => {
    while (emitted.length > depth) {
      emitted.pop();
      out.push('</details>');
    }
  };
  // Lines share their stack until a section opens or closes: filtered once per stack, not per line.
  let stackOf: number[] | undefined;
  let stack: number[] = [];
  for (const entry of view.shown) {
    const { line } = entry;
    if (entry.stack !== stackOf) {
      stackOf = entry.stack;
      stack = entry.stack.filter((id) => view.sections.has(id));
    }
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
  return out.bytes();
}

/** Pieces joined by line breaks, as UTF-8 bytes, encoded in chunks of about 64 KB. */
class LinesOut {
  private text = '';
  private started = false;
  private readonly chunks: Buffer[] = [];

  push(piece: string): void {
    this.text += this.started ? `\n${piece}` : piece;
    this.started = true;
    if (this.text.length >= 1 << 16) {
      this.chunks.push(Buffer.from(this.text, 'utf8'));
      this.text = '';
    }
  }

  bytes(): Buffer {
    if (this.text) this.chunks.push(Buffer.from(this.text, 'utf8'));
    this.text = '';
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
  }
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
  // A section's heading sits in its <summary>, itself the control that folds it: a link there would
  // be a control inside a control, so its number is plain text (its anchor still works).
  const number = section ? `<span class="n">${line.number}</span>` : `<a class="n" href="#${id}">${line.number}</a>`;
  return `<span class="l${kind}" id="${id}">${number}${time}<span class="x">${label}${bodyHtml(line, !section)}${duration}${cut}</span></span>`;
}

/**
 * A line's text as HTML: its segments when the terminal layer made them, else drawn straight from
 * its body and the state it starts in, as segmentsHtml would draw the same segments (the tests
 * compare the two): runs of one style become one span, a link open from an earlier line wraps each.
 *
 * @param links false in a section's heading (a link inside its summary would be a control inside a control)
 */
export function bodyHtml(line: Pick<LogLine, 'segments' | 'body' | 'text' | 'start'>, links: boolean): string {
  if (line.segments) return segmentsHtml(links ? line.segments : line.segments.map(({ href: _link, ...plain }) => plain));
  const start = line.start!;
  // Carriage returns, erases and links: a row of styled characters, as TerminalReader's.
  if (NEEDS_TERMINAL.test(line.body)) {
    const row = new StyledRow(start.href);
    walkEscapes(line.body, start, row);
    return row.html(links);
  }
  const href = links && start.href ? escapeHtml(start.href) : undefined;
  // No escape or control character: one run, in the style the line starts in.
  if (line.body === line.text) return line.text ? runHtml(start.sgr.attributes, escapeHtml(line.text), href) : '';
  const runs = new StyleRuns(href);
  walkEscapes(line.body, start, runs);
  return runs.html();
}

/** Lines a TerminalReader must draw: carriage returns, erase-in-line, OSC sequences (links). */
const NEEDS_TERMINAL = /\r|\x1b\]|\x1b\[[012]?K/;

/**
 * A line with carriage returns, erases or links as TerminalReader.overwrite draws it: a row of
 * characters, each with the style and link it was written in, that later text overwrites; runs of
 * one style and link become one element. (A line without `\r` or erase gives the same row as its
 * pieces in order.)
 */
class StyledRow implements EscapeVisitor {
  private readonly chars: string[] = [];
  private readonly styles: string[] = [];
  private readonly links: Array<string | undefined> = [];
  private column = 0;
  private href: string | undefined;

  constructor(href: string | undefined) {
    this.href = href;
  }

  text(piece: string, state: SgrState): void {
    const { chars, styles, links } = this;
    for (const ch of piece) {
      while (chars.length < this.column) this.blank(chars.length);
      chars[this.column] = ch;
      styles[this.column] = state.attributes;
      links[this.column++] = this.href;
    }
  }

  private blank(at: number): void {
    this.chars[at] = ' ';
    this.styles[at] = '';
    this.links[at] = undefined;
  }

  sgr(): void {}

  cr(): void {
    this.column = 0;
  }

  erase(mode: 0 | 1 | 2): void {
    const length = this.chars.length;
    if (mode === 1) {
      for (let i = 0; i < Math.min(this.column + 1, length); i++) this.blank(i);
      return;
    }
    const keep = mode === 0 ? Math.min(length, this.column) : 0;
    this.chars.length = this.styles.length = this.links.length = keep;
  }

  link(href: string | undefined): void {
    this.href = href;
  }

  html(withLinks: boolean): string {
    let out = '';
    let run = '';
    let style = '';
    let href: string | undefined;
    // Runs end where the link does even in a heading, which draws no links (as segments are merged before their links are dropped).
    const draw = (text: string, link: string | undefined) => runHtml(style, escapeHtml(text), withLinks && link ? escapeHtml(link) : undefined);
    for (let i = 0; i < this.chars.length; i++) {
      const link = this.links[i];
      if (i > 0 && (this.styles[i] !== style || link !== href)) {
        out += draw(run, href);
        run = '';
      }
      style = this.styles[i]!;
      href = link;
      run += this.chars[i];
    }
    return run ? out + draw(run, href) : out;
  }
}

/** Text of one style gathered into one span, as merged segments are drawn. */
class StyleRuns implements EscapeVisitor {
  private out = '';
  private attributes = '';
  private run = '';
  private readonly href: string | undefined;

  constructor(href: string | undefined) {
    this.href = href;
  }

  text(piece: string, state: SgrState): void {
    if (state.attributes !== this.attributes) {
      if (this.run) this.out += runHtml(this.attributes, escapeHtml(this.run), this.href);
      this.attributes = state.attributes;
      this.run = '';
    }
    this.run += piece;
  }

  sgr(): void {}
  cr(): void {}
  erase(): void {}
  link(): void {}

  html(): string {
    return this.run ? this.out + runHtml(this.attributes, escapeHtml(this.run), this.href) : this.out;
  }
}

function runHtml(attributes: string, text: string, href: string | undefined): string {
  if (href) return `<a href="${href}" rel="nofollow noopener noreferrer"${attributes}>${text}</a>`;
  return attributes ? `<span${attributes}>${text}</span>` : text;
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
