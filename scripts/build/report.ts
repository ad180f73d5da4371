/**
 * Problems are values: every stage collects them instead of throwing on bad input,
 * so one run reports everything wrong with an archive at once.
 */
export interface Problem {
  /** Path of the offending file, relative to the working directory when possible. */
  file: string;
  /** 1-based line in that file, when known. */
  line?: number;
  /** The field or part of the file at fault, e.g. `state`, `evidence[1].hunk`, `runs[0].lanes[2].status`. */
  field?: string;
  /** Plain words: what is wrong and what would be valid. */
  message: string;
}

export function formatProblem(problem: Problem): string {
  const where = problem.line ? `${problem.file}:${problem.line}` : problem.file;
  const field = problem.field ? ` ${problem.field}:` : '';
  return `${where}:${field} ${problem.message}`;
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
  return [first, ...sorted.map((p) => `  ${formatProblem(p)}`)].join('\n');
}
