/**
 * One bar split into the shares of a whole (branches by tutorial status), on a 0–100 % axis, with
 * a legend naming each part, its count and its share, so no part is told by its colour alone.
 */
import { CHART_WIDTH, esc, num, svgChart, type ChartText, type Tone } from './svg.ts';

const BAR_TOP = 4;
const BAR_HEIGHT = 28;
const LEGEND_TOP = 70;
const LEGEND_ROW = 20;
const LEGEND_COLUMNS = 2;

export interface StackPart {
  label: string;
  value: number;
  tone: Tone;
  /** The legend's text after the label, e.g. `5 (63%)`. */
  valueText: string;
}

/**
 * @returns the SVG, or undefined when the parts add up to nothing
 */
export function stackedBar(chart: ChartText & { parts: readonly StackPart[] }): string | undefined {
  const total = chart.parts.reduce((sum, part) => sum + part.value, 0);
  if (total <= 0) return undefined;
  const x = (value: number) => (value / total) * CHART_WIDTH;
  const out: string[] = [];
  let start = 0;
  for (const part of chart.parts) {
    if (part.value <= 0) continue;
    out.push(`<rect class="chart-mark chart-segment chart-tone-${part.tone}" x="${num(x(start))}" y="${BAR_TOP}" width="${num(x(part.value))}" height="${BAR_HEIGHT}"/>`);
    start += part.value;
  }
  const axisTop = BAR_TOP + BAR_HEIGHT;
  for (const share of [0, 0.25, 0.5, 0.75, 1]) {
    const at = num(share * CHART_WIDTH);
    const anchor = share === 0 ? 'start' : share === 1 ? 'end' : 'middle';
    out.push(`<line class="chart-axis" x1="${at}" x2="${at}" y1="${axisTop}" y2="${axisTop + 5}"/>`);
    out.push(`<text class="chart-tick" x="${at}" y="${axisTop + 18}" text-anchor="${anchor}">${share * 100}%</text>`);
  }
  chart.parts.forEach((part, index) => {
    const left = (index % LEGEND_COLUMNS) * (CHART_WIDTH / LEGEND_COLUMNS);
    const top = LEGEND_TOP + Math.floor(index / LEGEND_COLUMNS) * LEGEND_ROW;
    out.push(`<rect class="chart-mark chart-tone-${part.tone}" x="${left}" y="${top - 10}" width="11" height="11"/>`);
    out.push(`<text class="chart-label" x="${left + 17}" y="${top}">${esc(part.label)} <tspan class="chart-tick">${esc(part.valueText)}</tspan></text>`);
  });
  const height = LEGEND_TOP + Math.ceil(chart.parts.length / LEGEND_COLUMNS) * LEGEND_ROW - 6;
  return svgChart(chart, CHART_WIDTH, height, out, 'stack');
}
