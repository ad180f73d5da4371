/**
 * What the dev server's overlay shows of each problem: the report line the terminal prints, and
 * the lines of the file around the one at fault, with that line marked. Pure; dev.ts reads the files.
 */
import { escapeControlCharacters, formatProblem, sortProblems, type Problem } from '../build/report.ts';

export interface ExcerptLine {
  number: number;
  text: string;
  /** The line the problem is on. */
  marked: boolean;
}

export interface ProblemView extends Problem {
  /** `file:line: field: message`, as the terminal prints it. */
  report: string;
  /** The lines around `line`; empty when the problem has no line or the file cannot be read. */
  excerpt: ExcerptLine[];
}

/** Lines shown before and after the marked one. */
const CONTEXT_LINES = 3;
/** A minified or binary line would fill the overlay; the terminal still has the whole problem. */
const MAX_LINE_CHARS = 240;

/** The lines `line - 3` to `line + 3` of `text`, the `line`-th marked. */
export function excerptAround(text: string, line: number, context = CONTEXT_LINES): ExcerptLine[] {
  const lines = text.split(/\r?\n/);
  if (line < 1 || line > lines.length) return [];
  const first = Math.max(1, line - context);
  const last = Math.min(lines.length, line + context);
  const excerpt: ExcerptLine[] = [];
  for (let number = first; number <= last; number++) {
    // As in the terminal: controls and invisible direction marks (a "trojan source" line) are
    // shown as escapes, never acted on; a tab is shown as spaces.
    const full = escapeControlCharacters(lines[number - 1]!.replace(/\t/g, '    '));
    excerpt.push({ number, text: full.length > MAX_LINE_CHARS ? `${full.slice(0, MAX_LINE_CHARS)}…` : full, marked: number === line });
  }
  return excerpt;
}

/** Every problem in the report's order, with its excerpt; `readText` gives a file's text, or undefined. */
export function problemViews(problems: readonly Problem[], readText: (file: string) => string | undefined): ProblemView[] {
  const texts = new Map<string, string | undefined>();
  return sortProblems([...problems]).map((problem) => {
    if (!texts.has(problem.file)) texts.set(problem.file, problem.line ? readText(problem.file) : undefined);
    const text = texts.get(problem.file);
    const shown = { ...problem, file: escapeControlCharacters(problem.file), message: escapeControlCharacters(problem.message), field: problem.field === undefined ? undefined : escapeControlCharacters(problem.field) };
    return { ...shown, report: formatProblem(problem), excerpt: text !== undefined && problem.line ? excerptAround(text, problem.line) : [] };
  });
}
