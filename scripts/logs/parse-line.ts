import { TerminalReader, type Segment } from './terminal.ts';

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
  segments: Segment[];
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

/** Parses the lines of one log, in order (styling carries from line to line). */
export class LineParser {
  private readonly terminal = new TerminalReader();

  parse(raw: string, number: number): LogLine {
    let rest = raw;
    let timestamp: string | undefined;
    const stamp = GITHUB_TIMESTAMP.exec(rest);
    if (stamp) {
      timestamp = stamp[1];
      rest = rest.slice(stamp[0].length);
    }
    let kind: LineKind = 'text';
    const closes: SectionEnd[] = [];
    let opens: SectionStart | undefined;
    let hadMarker = false;

    const command = GITHUB_COMMAND.exec(rest);
    if (command) {
      hadMarker = true;
      rest = rest.slice(command[0].length);
      const name = (command[1] ?? command[2])!;
      if (name === 'endgroup') closes.push({});
      else if (name === 'group') opens = { name: '', collapsed: true, source: 'github' };
      else kind = KIND_OF_COMMAND[name]!;
    } else {
      for (let marker = GITLAB_SECTION.exec(rest); marker; marker = GITLAB_SECTION.exec(rest)) {
        hadMarker = true;
        rest = rest.slice(marker[0].length);
        const [, which, time, name, options] = marker;
        // Old runners write empty sections whole on one line (start, end, the next start...): one
        // opened and closed here folds nothing, and the text after it is no heading.
        if (which === 'end' && opens?.name === name) opens = undefined;
        else if (which === 'end') closes.push({ name, time: Number(time) });
        else opens = { name: name!, collapsed: /collapsed=true/.test(options ?? ''), time: Number(time), source: 'gitlab' };
      }
    }

    const segments = this.terminal.read(rest);
    const text = segments.map((segment) => segment.text).join('');
    if (opens?.source === 'github') opens.name = text;
    return { number, timestamp, kind, segments, text, closes, opens, markerOnly: hadMarker && !opens && kind === 'text' && text.trim() === '' };
  }
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
