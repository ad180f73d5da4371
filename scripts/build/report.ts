/**
 * Problems are values: every stage collects them instead of throwing on bad input,
 * so one run reports everything wrong with an archive at once.
 */
export interface Problem {
  /** Path of the offending file, relative to the working directory when possible. */
  file: string;
  /** 1-based line in that file, when known. */
  line?: number;
  /** 1-based column on that line, when it helps (YAML syntax errors). */
  column?: number;
  /** The field or part of the file at fault, e.g. `state`, `evidence[1].hunk`, `runs[0].lanes[2].status`. */
  field?: string;
  /** Plain words: what is wrong and what would be valid. */
  message: string;
}

export function formatProblem(problem: Problem): string {
  const line = problem.line ? `:${problem.line}${problem.column ? `:${problem.column}` : ''}` : '';
  const field = problem.field ? ` ${problem.field}:` : '';
  return escapeControlCharacters(`${problem.file}${line}:${field} ${problem.message}`);
}

/**
 * Characters a terminal would act on rather than show (ESC sequences that retitle the window or
 * clear the screen, BEL, backspace, line breaks that forge an extra problem line) and the invisible
 * direction controls of "trojan source" text, written as escapes: every value in a problem comes
 * from the archive, which is untrusted. Done here, once, so no stage has to remember it.
 */
const UNSAFE_FOR_TERMINAL = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

export function escapeControlCharacters(text: string): string {
  return text.replace(UNSAFE_FOR_TERMINAL, (char) => {
    const code = char.charCodeAt(0);
    if (char === '\n') return '\\n';
    if (char === '\t') return '\\t';
    if (char === '\r') return '\\r';
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Problems in a stable order (file, then line) so the report itself is deterministic. */
export function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || a.message.localeCompare(b.message),
  );
}

/** A headline, then every problem on its own indented line, in a stable order. */
export function formatReport(problems: Problem[], headline?: string): string {
  const sorted = sortProblems(problems);
  const noun = sorted.length === 1 ? 'problem' : 'problems';
  const first = headline ?? `review-archive: the archive has ${sorted.length} ${noun}; nothing was written.`;
  return [escapeControlCharacters(first), ...sorted.map((p) => `  ${formatProblem(p)}`)].join('\n');
}
