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
  /**
   * Whether the target holds; omitted when there is no target. `unknown` when the figure is only
   * a bound that does not decide it (a peer stopped at its time limit).
   */
  met?: boolean | 'unknown';
}

const verdict = (figure: Figure) => (figure.target === undefined ? '' : `  target ${figure.target}  ${figure.met === 'unknown' ? 'not known' : figure.met ? 'met' : 'NOT MET'}`);

export function formatFigures(title: string, figures: Figure[]): string {
  const nameWidth = Math.max(...figures.map((f) => f.name.length));
  const valueWidth = Math.max(...figures.map((f) => f.value.length));
  const lines = figures.map((f) => `  ${f.name.padEnd(nameWidth)}  ${f.value.padStart(valueWidth)}${verdict(f)}`);
  return [title, ...lines].join('\n');
}

/** One figure on a line of its own, as the bench prints it the moment it is measured. */
export function formatFigure(figure: Figure): string {
  return `${figure.name}: ${figure.value}${verdict(figure)}`;
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
export const ratio = (value: number) => `${value.toFixed(2)}×`;
/** Memory as the bench reports it: whole MiB of a reading in KiB. */
export const mib = (kib: number | undefined) => (kib === undefined ? 'n/a' : `${Math.round(kib / 1024)} MiB`);
/** A file's size: KiB below 1 MiB, where one decimal of MiB would show a 38 KB page as 0.0 MiB. */
export const fileSize = (bytes: number) => (bytes < 1048576 ? `${Math.round(bytes / 1024)} KiB` : `${(bytes / 1048576).toFixed(1)} MiB`);
/** CPU time beside wall time, when GNU time gave it. */
export const withCpu = (run: { ms: number; cpuMs?: number }) => (run.cpuMs === undefined ? seconds(run.ms) : `${seconds(run.ms)} (${seconds(run.cpuMs)} CPU)`);
