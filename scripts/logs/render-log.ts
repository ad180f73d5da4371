import { escapeHtml } from '../render/html.ts';
import { formatDuration, pluralize } from '../render/format.ts';
import { ByteOut } from './byte-out.ts';
import type { LogView, ModelledLine, PlainShownLine } from './log-view.ts';
import { forEachPiece, isStyled, needsEscaping, textStartOf } from './plain-line.ts';
import { walkEscapes, type EscapeVisitor, type LineKind, type LogLine } from './parse-line.ts';
import type { SgrState } from './sgr-states.ts';
import type { Segment } from './terminal.ts';
import type { Section } from './sections.ts';

/**
 * A log view as escaped HTML. A plain line is its number, a link to its own anchor that carries
 * the anchor (`<a id=<prefix>-L<n> href=#<prefix>-L<n>>`), GitHub's timestamp as a quiet column
 * (`<time>`), and its text in its styles, with a line break between it and the next: no element
 * around it, since most of a CI page is these lines, and the markup around each was three quarters
 * of its bytes. A line of a kind (an error, a warning, a command…) sits in a block that styles it;
 * groups and sections are nested `<details>` (open when they hold an error, or for a GitLab
 * section not marked collapsed); a note stands wherever lines are left out. The log box lays the
 * lines out as preformatted text. Every byte of the log is escaped here; nothing from it becomes
 * markup except http(s) links.
 */
export function renderLogHtml(view: LogView, anchorPrefix: string, textFileHref?: string): string {
  return renderLogBytes(view, anchorPrefix, textFileHref).toString('utf8');
}

/**
 * renderLogHtml's HTML as UTF-8 bytes, written a piece at a time into large buffers: a log's HTML
 * is megabytes, and one string of it, then encoded, costs several times more (see ByteOut).
 */
export function renderLogBytes(view: LogView, anchorPrefix: string, textFileHref?: string): Buffer {
  const out = new ByteOut();
  const anchors = lineAnchors(anchorPrefix);
  const numberLink = numberLinkBytes(anchorPrefix);
  // A line break goes between two plain lines only: one beside a block would show as an empty line.
  let afterPlainLine = false;
  const block = (html: string) => {
    out.write(html);
    afterPlainLine = false;
  };
  const emitted: number[] = [];
  let previous = 0;
  const closeTo = (depth: number) => {
    while (emitted.length > depth) {
      emitted.pop();
      block('</details>');
    }
  };
  // Lines share their stack until a section opens or closes: filtered once per stack, not per line.
  let stackOf: number[] | undefined;
  let stack: number[] = [];
  for (const entry of view.shown) {
    const number = entry.number;
    if (entry.stack !== stackOf) {
      stackOf = entry.stack;
      stack = entry.stack.filter((id) => view.sections.has(id));
    }
    let common = 0;
    while (common < emitted.length && common < stack.length && emitted[common] === stack[common]) common++;
    if (number > previous + 1) {
      closeTo(0);
      common = 0;
      block(gapHtml(number - previous - 1, textFileHref));
    }
    closeTo(common);
    // Sections whose heading was left out still fold what is shown of them.
    for (const id of stack.slice(common)) {
      const section = view.sections.get(id)!;
      block(`${detailsOpen(section)}<summary><span class="l lc">${escapeHtml(section.name || 'Group')} (continued)</span></summary>`);
      emitted.push(id);
    }
    previous = number;
    if (entry.plain) {
      // A plain text line, drawn from its bytes as lineHtml draws its model.
      if (afterPlainLine) out.writeBytes(NEWLINE, 0, 1);
      writePlainLine(out, entry, numberLink);
      afterPlainLine = true;
      continue;
    }
    const { line } = entry;
    const opened = line.opens ? sectionOpenedBy(view, line.number) : undefined;
    if (opened) {
      block(`${detailsOpen(opened)}<summary>${headingHtml(entry, anchors, opened)}</summary>`);
      emitted.push(opened.id);
    } else if (!line.markerOnly) {
      const kind = entry.error && line.kind === 'text' ? 'e' : KIND_CLASS[line.kind];
      if (kind) {
        block(`<span class="l ${kind}">${lineHtml(entry, anchors)}</span>`);
      } else {
        if (afterPlainLine) out.write('\n');
        out.write(lineHtml(entry, anchors));
        afterPlainLine = true;
      }
    }
  }
  closeTo(0);
  if (view.totalLines > previous) block(gapHtml(view.totalLines - previous, textFileHref));
  return out.bytes();
}

/** A line's anchor as an attribute value, and the same with `#` as a link to it. */
interface LineAnchor {
  id: string;
  href: string;
}

/**
 * A plain line's number link as lineHtml writes it (`<a id=<id> href=<href>>n</a>`), in bytes
 * around the number: the same for every line of a log, so made once, not a string per line.
 */
interface NumberLinkBytes {
  /** `<a id=` and the id up to the number. */
  beforeId: Buffer;
  /** The id's end, ` href=` and the link up to the number. */
  beforeHref: Buffer;
  /** The link's end and `>`. */
  beforeText: Buffer;
}

function numberLinkBytes(prefix: string): NumberLinkBytes {
  const slug = /^[A-Za-z0-9_-]+$/.test(prefix);
  const quoted = slug ? prefix : escapeHtml(prefix);
  const quote = slug ? '' : '"';
  return { beforeId: Buffer.from(`<a id=${quote}${quoted}-L`), beforeHref: Buffer.from(`${quote} href=${quote}#${quoted}-L`), beforeText: Buffer.from(`${quote}>`) };
}

const LINK_END = Buffer.from('</a>');
const NEWLINE = Buffer.from('\n');
const TIME_START = Buffer.from('<time>');
const TIME_END = Buffer.from('</time>');

/**
 * A lane's line anchors as attribute values. Lane anchors are slugs (`run-169-check-fixture`),
 * which need no quotes: leaving them off saves four bytes on every line of every log.
 */
function lineAnchors(prefix: string): (line: number) => LineAnchor {
  if (/^[A-Za-z0-9_-]+$/.test(prefix)) {
    return (line) => {
      const id = `${prefix}-L${line}`;
      return { id, href: `#${id}` };
    };
  }
  const quoted = escapeHtml(prefix);
  return (line) => ({ id: `"${quoted}-L${line}"`, href: `"#${quoted}-L${line}"` });
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

/** The class of a line's block, by kind; a plain text line has none. */
const KIND_CLASS: Record<LineKind, string> = { text: '', error: 'e', warning: 'w', notice: 'o', command: 'c', debug: 'd', section: 's' };
const KIND_LABEL: Partial<Record<LineKind, string>> = { error: 'Error', warning: 'Warning', notice: 'Notice' };

/** The clock time of GitHub's timestamp (`2026-03-27T00:55:23.1234567Z`, digits checked when it was read). */
const timeHtml = (line: LogLine) => (line.timestamp ? `<time>${line.timestamp.slice(11, 19)}</time>` : '');
const cutHtml = (entry: ModelledLine) => (entry.cut ? ' <span class="cut">(line cut: too long to show)</span>' : '');

/** A line as the page shows it: its number (the permalink, holding the anchor), its time, its text. */
function lineHtml(entry: ModelledLine, anchors: (line: number) => LineAnchor): string {
  const { line } = entry;
  const { id, href } = anchors(line.number);
  const label = KIND_LABEL[line.kind] ? `<span class="k">${KIND_LABEL[line.kind]}:</span> ` : '';
  return `<a id=${id} href=${href}>${line.number}</a>${timeHtml(line)}${label}${bodyHtml(line, true)}${cutHtml(entry)}`;
}

/**
 * A plain line (plain-line.ts) as lineHtml draws the model of it: its number, its time, its text
 * in the style and link it starts in (runHtml), with its bytes copied (escaped) into the page.
 */
function writePlainLine(out: ByteOut, entry: PlainShownLine, numberLink: NumberLinkBytes): void {
  const { bytes, start, end, state, packed, visible, number } = entry;
  out.writeBytes(numberLink.beforeId, 0, numberLink.beforeId.length);
  out.writeDecimal(number);
  out.writeBytes(numberLink.beforeHref, 0, numberLink.beforeHref.length);
  out.writeDecimal(number);
  out.writeBytes(numberLink.beforeText, 0, numberLink.beforeText.length);
  out.writeDecimal(number);
  out.writeBytes(LINK_END, 0, LINK_END.length);
  // A timestamp is there when the text starts after it; its clock time is as timeHtml takes it.
  if (textStartOf(packed) !== start) {
    out.writeBytes(TIME_START, 0, TIME_START.length);
    out.writeBytes(bytes, start + 11, start + 19);
    out.writeBytes(TIME_END, 0, TIME_END.length);
  }
  const link = state.href ? escapeHtml(state.href) : undefined;
  if (!isStyled(packed)) {
    if (visible === end) return;
    out.writeAscii(runOpen(state.sgr.attributes, link));
    if (needsEscaping(packed)) out.writeEscapedAscii(bytes, visible, end);
    else out.writeBytes(bytes, visible, end);
    out.writeAscii(runClose(state.sgr.attributes, link));
    return;
  }
  // As StyleRuns (StyledRow for a line with carriage returns, whose last part covers the row):
  // pieces in one style make one run, which starts in no style.
  let attributes = '';
  let open = false;
  forEachPiece(bytes, visible, end, entry.visibleSgr, (from, to, pieceState) => {
    if (pieceState.attributes !== attributes) {
      if (open) out.writeAscii(runClose(attributes, link));
      attributes = pieceState.attributes;
      open = false;
    }
    if (!open) out.writeAscii(runOpen(attributes, link));
    open = true;
    out.writeEscapedAscii(bytes, from, to);
  });
  if (open) out.writeAscii(runClose(attributes, link));
}

/** runHtml's element around a run, in two halves, for text written between them. */
const runOpen = (attributes: string, href: string | undefined) => (href ? `<a href="${href}" rel="nofollow noopener noreferrer"${attributes}>` : attributes ? `<span${attributes}>` : '');
const runClose = (attributes: string, href: string | undefined) => (href ? '</a>' : attributes ? '</span>' : '');

/**
 * A section's heading line, in its <summary>, itself the control that folds it: a link there would
 * be a control inside a control, so its number is plain text (holding its anchor), and its text
 * sits in `.x`, before which the fold's marker goes.
 */
function headingHtml(entry: ModelledLine, anchors: (line: number) => LineAnchor, section: Section): string {
  const { line } = entry;
  const kind = KIND_CLASS[line.kind];
  const duration = section.durationSecs !== undefined ? ` <span class="du">${escapeHtml(formatDuration(section.durationSecs))}</span>` : '';
  return `<span class="l${kind ? ` ${kind}` : ''}"><span class="n" id=${anchors(line.number).id}>${line.number}</span>${timeHtml(line)}<span class="x">${bodyHtml(line, false)}${duration}${cutHtml(entry)}</span></span>`;
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
