/**
 * One line of `npm run bench` output. Benchmarks return figures; the runner prints them
 * together, each beside its target, so a reader sees at once what holds and what does not.
 */
export interface Figure {
  /** What was measured, e.g. "cold build, wall time". */
  name: string;
  /** The measured value, already formatted with its unit, e.g. "12.4 s" or "0.31× diff2html-cli". */
  value: string;
  /** The target in words, e.g. "≤ 0.4× diff2html-cli"; omitted for context figures. */
  target?: string;
  /** Whether the target holds; omitted when there is no target. */
  met?: boolean;
}

export function formatFigures(title: string, figures: Figure[]): string {
  const nameWidth = Math.max(...figures.map((f) => f.name.length));
  const valueWidth = Math.max(...figures.map((f) => f.value.length));
  const lines = figures.map((f) => {
    const verdict = f.target === undefined ? '' : `  target ${f.target}  ${f.met ? 'met' : 'NOT MET'}`;
    return `  ${f.name.padEnd(nameWidth)}  ${f.value.padStart(valueWidth)}${verdict}`;
  });
  return [title, ...lines].join('\n');
}
