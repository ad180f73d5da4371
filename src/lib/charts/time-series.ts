/**
 * Charts over weeks: columns for a count (merges per week) and a line for a share (CI pass rate),
 * on the same frame: a value axis with gridlines on the left, a few date labels below.
 */
import { CHART_WIDTH, esc, num, svgChart, textWidth, type Axis, type ChartText, type Tone } from './svg.ts';

const HEIGHT = 190;
const MARGIN = { top: 24, right: 6, bottom: 36, left: 36 };
const LINE_HEIGHT = 13;
const FONT_BASELINE = 11;

/** A label under the point at `index`: one line, or two (a date, then its year). */
export interface Tick {
  index: number;
  lines: string[];
}

export interface TimeChart extends ChartText {
  /** What the value axis counts, written above it, e.g. `Merged branches`. */
  valueLabel: string;
  axis: Axis;
  ticks: Tick[];
  tone: Tone;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Labels for a row of weeks, given by their Mondays (`2026-10-05`): at most `max` of them, evenly
 * spaced from the first week, each `5 Oct`; the year goes under the first label and under any
 * label whose year differs from the previous label's.
 */
export function weekTicks(starts: readonly string[], max = 5): Tick[] {
  const every = Math.max(1, Math.ceil(starts.length / max));
  const ticks: Tick[] = [];
  let year = '';
  for (let index = 0; index < starts.length; index += every) {
    const [y = '', m = '1', d = '1'] = starts[index]!.split('-');
    ticks.push({ index, lines: [`${Number(d)} ${MONTHS[Number(m) - 1]}`, ...(y !== year ? [y] : [])] });
    year = y;
  }
  return ticks;
}

/** The shared frame: where point `i` sits, where a value sits, and the axes and gridlines behind the marks. */
function frame(chart: TimeChart, count: number) {
  const left = MARGIN.left;
  const right = CHART_WIDTH - MARGIN.right;
  const top = MARGIN.top;
  const bottom = HEIGHT - MARGIN.bottom;
  const slot = (right - left) / count;
  const x = (index: number) => left + slot * (index + 0.5);
  const y = (value: number) => bottom - (Math.min(value, chart.axis.max) / chart.axis.max) * (bottom - top);
  const parts = [`<text class="chart-axis-title" x="0" y="${FONT_BASELINE}">${esc(chart.valueLabel)}</text>`];
  for (const tick of chart.axis.ticks) {
    const at = num(y(tick.value));
    parts.push(`<line class="${tick.value === 0 ? 'chart-axis' : 'chart-grid'}" x1="${left}" x2="${right}" y1="${at}" y2="${at}"/>`);
    parts.push(`<text class="chart-tick" x="${left - 6}" y="${num(y(tick.value) + 4)}" text-anchor="end">${esc(tick.label)}</text>`);
  }
  for (const tick of chart.ticks) {
    const centre = x(tick.index);
    const half = Math.max(...tick.lines.map(textWidth)) / 2;
    // Keep the first and last labels inside the picture.
    const at = num(Math.min(Math.max(centre, half), CHART_WIDTH - half));
    parts.push(`<line class="chart-axis" x1="${num(centre)}" x2="${num(centre)}" y1="${bottom}" y2="${bottom + 4}"/>`);
    tick.lines.forEach((line, row) => parts.push(`<text class="chart-tick" x="${at}" y="${bottom + 15 + row * LINE_HEIGHT}" text-anchor="middle">${esc(line)}</text>`));
  }
  return { parts, x, y, slot, bottom };
}

/**
 * One column per point, its height proportional to the value on `axis` (0 draws no column).
 *
 * @returns the SVG, or undefined when there are no points (the page says so in words instead)
 */
export function columnChart(chart: TimeChart & { values: readonly number[] }): string | undefined {
  if (!chart.values.length) return undefined;
  const { parts, x, y, slot, bottom } = frame(chart, chart.values.length);
  const width = Math.max(1, slot * 0.7);
  const columns = chart.values.map((value, index) =>
    value > 0 ? `<rect class="chart-mark chart-tone-${chart.tone}" x="${num(x(index) - width / 2)}" y="${num(y(value))}" width="${num(width)}" height="${num(bottom - y(value))}"/>` : '',
  );
  return svgChart(chart, CHART_WIDTH, HEIGHT, [...parts, ...columns], 'columns');
}

/**
 * A line through the points, with a dot on each; a missing value (null) breaks the line, so a
 * week without data reads as a gap, not as zero.
 *
 * @returns the SVG, or undefined when no point has a value
 */
export function lineChart(chart: TimeChart & { values: ReadonlyArray<number | null> }): string | undefined {
  if (!chart.values.some((value) => value !== null)) return undefined;
  const { parts, x, y, slot } = frame(chart, chart.values.length);
  // Dots shrink when weeks are many, so a year of points does not merge into one thick line.
  const radius = num(Math.min(3, slot * 0.35));
  let path = '';
  chart.values.forEach((value, index) => {
    if (value === null) return;
    path += `${index > 0 && chart.values[index - 1] !== null ? 'L' : 'M'}${num(x(index))} ${num(y(value))}`;
  });
  const dots = chart.values.map((value, index) => (value === null ? '' : `<circle class="chart-dot chart-tone-${chart.tone}" cx="${num(x(index))}" cy="${num(y(value))}" r="${radius}"/>`));
  return svgChart(chart, CHART_WIDTH, HEIGHT, [...parts, `<path class="chart-line chart-stroke-${chart.tone}" d="${path}"/>`, ...dots], 'line');
}
