import { SgrTable, type SgrState } from './sgr-states.ts';
import { ESCAPE, safeHref, TerminalReader, type Segment } from './terminal.ts';

/**
 * One log line as a model, in the order GitHub's own log parsers work: the 28-character
 * timestamp prefix is sliced off first, then a `##[command]` marker or GitLab section markers,
 * then the rest goes through the terminal layer (ANSI styling, `\r`, erase-in-line).
 */
export type LineKind = 'text' | 'error' | 'warning' | 'notice' | 'command' | 'debug' | 'section';

export interface SectionStart {
  /** GitLab's section name, or the group's title for GitHub groups. */
  name: string;
  /** GitLab `[collapsed=true]`; GitHub groups start folded unless they hold an error. */
  collapsed: boolean;
  /** GitLab's Unix time of the section's start, for its duration. */
  time?: number;
  source: 'github' | 'gitlab';
}

export interface SectionEnd {
  /** GitLab's section name; GitHub's `##[endgroup]` closes the innermost group. */
  name?: string;
  time?: number;
}

export interface LogLine {
  /** 1-based line number in the file. */
  number: number;
  /** GitHub's timestamp prefix, e.g. `2026-03-27T00:55:23.1234567Z`. */
  timestamp?: string;
  kind: LineKind;
  /**
   * The styled segments, when the terminal layer worked the line out in full (LineParser always;
   * LineScanner for lines with carriage returns, erases or links). Otherwise the page draws
   * `body` from `start` (render-log.ts), which gives the same segments.
   */
  segments?: Segment[];
  /** The line after its timestamp and markers, as the terminal got it. */
  body: string;
  /** The terminal's state where `body` starts (LineScanner's lines). */
  start?: TerminalState;
  /** What a reader sees of the line, without styling. */
  text: string;
  /** Sections this line closes, before anything else on it (GitLab may close one and open the next on one line). */
  closes: SectionEnd[];
  /** A section this line starts: the line's text is its heading. */
  opens?: SectionStart;
  /** A line with only markers on it (`##[endgroup]`, a bare `section_end`): numbered, not shown. */
  markerOnly: boolean;
}

// Followed by a space, or by nothing: an empty line keeps its timestamp, and tools that strip trailing spaces leave it bare.
const GITHUB_TIMESTAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?Z)(?: |$)/;
// `[command]` without `##` is how @actions/exec echoes a command; downloaded logs keep it so.
const GITHUB_COMMAND = /^(?:##\[(group|endgroup|error|warning|notice|command|debug|section)\]|\[(command)\])/;
// GitLab frames its markers with erase-in-line and a carriage return: `\e[0Ksection_start:<ts>:<name>[opts]\r\e[0K`.
const GITLAB_SECTION = /^(?:\x1b\[0?K)?section_(start|end):(\d+):([A-Za-z0-9_.\-]+)(\[[^\]\r\n]*\])?\r?(?:\x1b\[0?K)?/;

const KIND_OF_COMMAND: Record<string, LineKind> = { error: 'error', warning: 'warning', notice: 'notice', command: 'command', debug: 'debug', section: 'section' };

/** The SGR state and the OSC 8 link open where a line starts. */
export interface TerminalState {
  sgr: SgrState;
  href: string | undefined;
}

/** What comes before a line's terminal text: timestamp, command or section markers. */
interface Prefix {
  timestamp: string | undefined;
  kind: LineKind;
  closes: SectionEnd[];
  opens: SectionStart | undefined;
  hadMarker: boolean;
  rest: string;
}

/** Shared by the lines that close nothing (most): never changed once made. */
const NO_CLOSES: SectionEnd[] = [];

function readPrefix(raw: string): Prefix {
  let rest = raw;
  let timestamp: string | undefined;
  // The regular expressions only where they can match: this runs for every line of every log.
  const first = rest.charCodeAt(0);
  if (first >= 0x30 && first <= 0x39) {
    const stamp = GITHUB_TIMESTAMP.exec(rest);
    if (stamp) {
      timestamp = stamp[1];
      rest = rest.slice(stamp[0].length);
    }
  }
  let kind: LineKind = 'text';
  let closes = NO_CLOSES;
  let opens: SectionStart | undefined;
  let hadMarker = false;

  const next = rest.charCodeAt(0);
  const command = next === 0x23 || next === 0x5b ? GITHUB_COMMAND.exec(rest) : null;
  if (command) {
    hadMarker = true;
    rest = rest.slice(command[0].length);
    const name = (command[1] ?? command[2])!;
    if (name === 'endgroup') closes = [{}];
    else if (name === 'group') opens = { name: '', collapsed: true, source: 'github' };
    else kind = KIND_OF_COMMAND[name]!;
  } else if (next === 0x1b || next === 0x73) {
    for (let marker = GITLAB_SECTION.exec(rest); marker; marker = GITLAB_SECTION.exec(rest)) {
      hadMarker = true;
      rest = rest.slice(marker[0].length);
      const [, which, time, name, options] = marker;
      // Old runners write empty sections whole on one line (start, end, the next start...): one
      // opened and closed here folds nothing, and the text after it is no heading.
      if (which === 'end' && opens?.name === name) opens = undefined;
      else if (which === 'end') closes = [...closes, { name, time: Number(time) }];
      else opens = { name: name!, collapsed: /collapsed=true/.test(options ?? ''), time: Number(time), source: 'gitlab' };
    }
  }
  return { timestamp, kind, closes, opens, hadMarker, rest };
}

function lineOf(number: number, prefix: Prefix, text: string, segments: Segment[] | undefined, start: TerminalState | undefined): LogLine {
  const { timestamp, kind, closes, opens, hadMarker, rest } = prefix;
  if (opens?.source === 'github') opens.name = text;
  const line: LogLine = { number, timestamp, kind, body: rest, start, text, closes, opens, markerOnly: hadMarker && !opens && kind === 'text' && text.trim() === '' };
  if (segments) line.segments = segments;
  return line;
}

/**
 * Parses the lines of one log, in order (styling carries from line to line), each through the
 * terminal layer in full. The reference LineScanner is checked against; kept for that.
 */
export class LineParser {
  private readonly terminal = new TerminalReader();

  parse(raw: string, number: number): LogLine {
    const prefix = readPrefix(raw);
    const segments = this.terminal.read(prefix.rest);
    return lineOf(number, prefix, segments.map((segment) => segment.text).join(''), segments, undefined);
  }
}

const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;
const SGR_PARAMS = /^[\d;:]*$/;
const ERASE_PARAMS = /^[012]?$/;
const OSC_LINK = /^8;[^;]*;(.*)$/s;

/**
 * Reads the lines of one log as LineParser does, without a model per line: most lines are plain
 * text (their text is the line) or have only SGR styling (their text is the line without it, and
 * the style they leave is a lookup in the log's SgrTable). Lines with carriage returns or
 * erase-in-line get their text from a row of characters, without styles. No line is given
 * segments: a line keeps where the terminal's state stood at its start, and the page draws the
 * lines it shows from there (render-log.ts), most of a long log never being drawn.
 */
export class LineScanner {
  readonly table = new SgrTable();
  private current: TerminalState = { sgr: this.table.initial, href: undefined };

  /** The terminal's state where the next line starts. */
  get state(): TerminalState {
    return this.current;
  }

  /** Continues from `state`, where a plain line read without the scanner left the terminal (log-view.ts). */
  moveTo(state: TerminalState): void {
    this.current = state;
  }

  scan(raw: string, number: number): LogLine {
    const prefix = readPrefix(raw);
    const rest = prefix.rest;
    const start = this.current;
    if (!CONTROL.test(rest)) return lineOf(number, prefix, rest, undefined, start);
    const read = new TextOnly(start, rest);
    walkEscapes(rest, start, read);
    if (read.current !== start.sgr || read.href !== start.href) this.current = { sgr: read.current, href: read.href };
    return lineOf(number, prefix, read.visible(), undefined, start);
  }
}

/**
 * A plain line's model (plain-line.ts: printable ASCII, no marker, no escape but SGR), as
 * LineScanner.scan gives it, for a line read from bytes without one.
 *
 * @param text its visible text, when it has SGR sequences (else the line after its timestamp)
 */
export function plainLogLine(raw: string, number: number, start: TerminalState, text?: string): LogLine {
  const prefix = readPrefix(raw);
  return lineOf(number, prefix, text ?? prefix.rest, undefined, start);
}

/** What walkEscapes reports of a line, in order. */
export interface EscapeVisitor {
  /** A piece of text a reader sees, in the state in force. */
  text(piece: string, state: SgrState): void;
  /** An SGR sequence moved to `state`. */
  sgr(state: SgrState): void;
  cr(): void;
  erase(mode: 0 | 1 | 2): void;
  /** An OSC 8 link starts (its http(s) target) or ends (undefined). */
  link(href: string | undefined): void;
}

/**
 * A line's visible text, as TerminalReader would give it, and the state it leaves. After a
 * carriage return or an erase the text is a row that later text overwrites: a string when the line
 * has no surrogate pairs (then a UTF-16 unit is a character), else an array of characters.
 */
class TextOnly implements EscapeVisitor {
  current: SgrState;
  href: string | undefined;
  private joined = '';
  private overwriting = false;
  private readonly cells: string[] | undefined;
  private column = 0;

  constructor(start: TerminalState, line: string) {
    this.current = start.sgr;
    this.href = start.href;
    if (SURROGATE.test(line)) this.cells = [];
  }

  text(piece: string): void {
    if (!this.overwriting) {
      this.joined += piece;
      return;
    }
    const cells = this.cells;
    if (cells) {
      for (const ch of piece) {
        while (cells.length < this.column) cells.push(' ');
        cells[this.column++] = ch;
      }
      return;
    }
    const row = this.joined;
    if (this.column >= row.length) this.joined = row + ' '.repeat(this.column - row.length) + piece;
    else this.joined = row.slice(0, this.column) + piece + row.slice(this.column + piece.length);
    this.column += piece.length;
  }

  sgr(state: SgrState): void {
    this.current = state;
  }

  private overwrite(): void {
    if (this.overwriting) return;
    this.overwriting = true;
    if (this.cells) this.cells.push(...this.joined);
    this.column = this.cells ? this.cells.length : this.joined.length;
  }

  cr(): void {
    this.overwrite();
    this.column = 0;
  }

  erase(mode: 0 | 1 | 2): void {
    this.overwrite();
    const cells = this.cells;
    if (cells) {
      if (mode === 0) cells.length = Math.min(cells.length, this.column);
      else if (mode === 1) for (let i = 0; i < Math.min(this.column + 1, cells.length); i++) cells[i] = ' ';
      else cells.length = 0;
      return;
    }
    const row = this.joined;
    if (mode === 0) this.joined = row.slice(0, this.column);
    else if (mode === 1) this.joined = ' '.repeat(Math.min(this.column + 1, row.length)) + row.slice(this.column + 1);
    else this.joined = '';
  }

  link(href: string | undefined): void {
    this.href = href;
  }

  visible(): string {
    return this.cells && this.overwriting ? this.cells.join('') : this.joined;
  }
}

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Walks a line's escapes as TerminalReader's tokenizer does: text, SGR sequences (their effect
 * looked up in the state's table), carriage returns, erase-in-line and OSC 8 links are reported;
 * every other escape and control character is dropped.
 */
export function walkEscapes(line: string, from: TerminalState, visitor: EscapeVisitor): void {
  let state = from.sgr;
  let last = 0;
  // ESCAPE is global: lastIndex is this loop's cursor (nothing else execs it).
  ESCAPE.lastIndex = 0;
  for (let match = ESCAPE.exec(line); match; match = ESCAPE.exec(line)) {
    if (match.index > last) visitor.text(line.slice(last, match.index), state);
    last = match.index + match[0].length;
    const [whole, params, intermediates, final, osc] = match;
    if (final === 'm' && !intermediates && SGR_PARAMS.test(params!)) {
      const transition = state.table.apply(state, whole);
      state = transition.state;
      visitor.sgr(state);
      if (transition.shown) visitor.text(transition.shown, state);
    } else if (final === 'K' && !intermediates && ERASE_PARAMS.test(params!)) {
      visitor.erase(Number(params || 0) as 0 | 1 | 2);
    } else if (osc !== undefined) {
      const link = OSC_LINK.exec(osc);
      if (link) visitor.link(safeHref(link[1]!));
    } else if (whole === '\r') {
      visitor.cr();
    }
  }
  if (line.length > last) visitor.text(line.slice(last), state);
}

/**
 * The rule for error lines (each lane lists them at its top, and they are kept when a long log is
 * cut): GitHub `##[error]` lines; and lines whose text
 *  - starts with `ERROR:` (GitLab's runner), `error:` or `error[E0308]:` (rustc, cargo, many CLIs),
 *  - has `error TS2345:` (tsc) or `panicked at` (Rust),
 *  - starts with `Traceback (most recent call last)` (Python), `--- FAIL:` or `FAIL` and a space or tab (Go),
 *  - or has the word `FAILED` in capitals (pytest, cargo test, make, npm).
 * Warnings, `0 failed` counts and lower-case "failed" are not errors.
 */
export function isErrorLine(line: Pick<LogLine, 'kind' | 'text'>): boolean {
  if (line.kind === 'error') return true;
  if (line.kind !== 'text') return false;
  return ERROR_TEXT.test(line.text);
}

const ERROR_TEXT = /^\s*(?:ERROR:|error(?:\[E\d+\])?:|Traceback \(most recent call last\)|--- FAIL:|FAIL[ \t])|\berror TS\d+:|panicked at|\bFAILED\b/;
