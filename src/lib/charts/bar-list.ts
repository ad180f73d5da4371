/**
 * Horizontal bars, one row per item, for rankings (the lanes that fail most, the largest branches):
 * the item's label and its value on one line, its bar below, lengths on a shared count axis.
 * Labels sit above their bars rather than beside them, so long names keep the full width at 375 px.
 */
import { CHART_WIDTH, countAxis, esc, fitText, num, svgChart, textWidth, type ChartText, type Tone } from './svg.ts';

const ROW_HEIGHT = 36;
const BAR_HEIGHT = 12;
const AXIS_HEIGHT = 22;

/** A bar is one or more segments laid end to end (e.g. additions, then deletions). */
export interface BarRow {
  label: string;
  /** Shown at the end of the label line; parts may take a tone of their own (`+12` green, `−3` red). */
  value: ReadonlyArray<{ text: string; tone?: Tone }>;
  segments: ReadonlyArray<{ value: number; tone: Tone }>;
}

/**
 * @returns the SVG, or undefined when there is no row (the page says so in words instead)
 */
export function barList(chart: ChartText & { rows: readonly BarRow[] }): string | undefined {
  if (!chart.rows.length) return undefined;
  const totals = chart.rows.map((row) => row.segments.reduce((sum, segment) => sum + segment.value, 0));
  const axis = countAxis(Math.max(...totals));
  const x = (value: number) => (value / axis.max) * CHART_WIDTH;
  const plotBottom = chart.rows.length * ROW_HEIGHT;
  const parts: string[] = [];
  for (const tick of axis.ticks) {
    const at = x(tick.value);
    const anchor = tick.value === 0 ? 'start' : tick.value === axis.max ? 'end' : 'middle';
    parts.push(`<line class="${tick.value === 0 ? 'chart-axis' : 'chart-grid'}" x1="${num(at)}" x2="${num(at)}" y1="0" y2="${plotBottom + 4}"/>`);
    parts.push(`<text class="chart-tick" x="${num(at)}" y="${plotBottom + 16}" text-anchor="${anchor}">${esc(tick.label)}</text>`);
  }
  chart.rows.forEach((row, index) => {
    const top = index * ROW_HEIGHT;
    const valueText = row.value.map((part) => part.text).join(' ');
    const label = fitText(row.label, CHART_WIDTH - textWidth(valueText) - 12);
    parts.push(`<text class="chart-label" x="0" y="${top + 13}">${esc(label)}</text>`);
    const value = row.value.map((part) => (part.tone ? `<tspan class="chart-text-${part.tone}">${esc(part.text)}</tspan>` : esc(part.text))).join(' ');
    parts.push(`<text class="chart-value" x="${CHART_WIDTH}" y="${top + 13}" text-anchor="end">${value}</text>`);
    let start = 0;
    for (const segment of row.segments) {
      if (segment.value <= 0) continue;
      parts.push(`<rect class="chart-mark chart-tone-${segment.tone}" x="${num(x(start))}" y="${top + 18}" width="${num(x(segment.value))}" height="${BAR_HEIGHT}"/>`);
      start += segment.value;
    }
  });
  return svgChart(chart, CHART_WIDTH, plotBottom + AXIS_HEIGHT, parts, 'bars');
}
