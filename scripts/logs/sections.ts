import type { LogLine } from './parse-line.ts';

/**
 * Folds GitHub groups and GitLab sections into a tree. Each line gets the ids of the sections
 * around it; a section remembers its heading line, whether it holds an error (then it starts open)
 * and, for GitLab, its duration. `##[endgroup]` closes the innermost section; a GitLab
 * `section_end` closes its own section and any left open inside it, and one that matches nothing
 * open is ignored; sections still open at the end close there.
 *
 * Past `maxSections` (default 10,000; a hostile log could open millions), further groups are
 * shown as plain lines.
 */
export interface Section {
  id: number;
  /** The line that opened it: its text is the section's heading. */
  line: number;
  name: string;
  collapsed: boolean;
  /** Seconds between GitLab's section_start and section_end, when both are known. */
  durationSecs?: number;
  startTime?: number;
  errors: number;
  /** Line number of the section's last line (set when it closes). */
  endLine?: number;
}

export class SectionFolder {
  readonly sections = new Map<number, Section>();
  private readonly open: Section[] = [];
  /**
   * The ids of the open sections, shared by every line until a section opens or closes: a cut log
   * keeps thousands of lines, and a copy per line of a stack thousands deep (a hostile log of
   * unclosed groups) would take hundreds of megabytes.
   */
  private stack: number[] | undefined;
  private nextId = 1;
  private lastLine = 0;

  private readonly maxSections: number;

  constructor(maxSections = 10_000) {
    this.maxSections = maxSections;
  }

  /** Applies a line's section markers; returns the ids of the sections around it (shared: do not change it). */
  apply(line: LogLine, error: boolean): number[] {
    this.lastLine = line.number;
    for (const end of line.closes) this.close(end.name, end.time, line.number);
    const stack = (this.stack ??= this.open.map((section) => section.id));
    if (error) for (const section of this.open) section.errors++;
    if (line.opens && this.nextId <= this.maxSections) {
      const section: Section = { id: this.nextId++, line: line.number, name: detached(line.opens.name), collapsed: line.opens.collapsed, startTime: line.opens.time, errors: error ? 1 : 0 };
      this.sections.set(section.id, section);
      this.open.push(section);
      this.stack = undefined;
    } else if (line.opens) {
      line.opens = undefined;
    }
    return stack;
  }

  /** apply for a line with no marker and no error (plain-line.ts): only where it stands. */
  applyPlain(lineNumber: number): number[] {
    this.lastLine = lineNumber;
    return (this.stack ??= this.open.map((section) => section.id));
  }

  private close(name: string | undefined, time: number | undefined, lineNumber: number): void {
    const index = name === undefined ? this.open.length - 1 : this.open.findLastIndex((section) => section.name === name);
    if (index < 0) return;
    const closed = this.open[index]!;
    for (const section of this.open.splice(index)) section.endLine = lineNumber;
    this.stack = undefined;
    if (time !== undefined && closed.startTime !== undefined) closed.durationSecs = Math.max(0, time - closed.startTime);
  }

  closeAll(): void {
    for (const section of this.open.splice(0)) section.endLine = this.lastLine;
    this.stack = undefined;
  }
}

/**
 * A copy of a string that holds nothing else alive. A line's text is a slice of the chunk of the
 * file it was read from, and V8 keeps the whole chunk while the slice lives: a section name kept
 * to the end of a 100 MB log would keep its chunk, and thousands of them the whole log.
 */
export const detached = (text: string): string => structuredClone(text);
