/**
 * What every chart shares: the SVG element with its accessible name, numbers written compactly,
 * text escaped and fitted, and round axis steps. Charts are strings of SVG made at build time; the
 * page ships no chart script. Colours are classes (see global.css, "Stats") so both themes apply.
 */
import { escapeHtml } from '../../../scripts/render/html.ts';
import type { Tone } from '../status.ts';

export type { Tone };

/** The chart's id (prefix of its element ids), its title (the accessible name) and a summary in words. */
export interface ChartText {
  id: string;
  title: string;
  description: string;
}

/**
 * Width of every chart's viewBox. Text is 11 units high (global.css), so in a phone's 320 px column
 * it stays near 11 px; global.css caps the width on wide screens so it grows to about 15 px at most.
 */
export const CHART_WIDTH = 320;
/** A generous average character width of 11-unit text, so a fitted label rarely runs past its room. */
const CHAR_WIDTH = 6.4;

/** Escapes text for SVG content and double-quoted attributes (the same five characters as HTML). */
export const esc = escapeHtml;

/** A coordinate as short text: two decimals at most, no `-0`. */
export function num(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return String(rounded === 0 ? 0 : rounded);
}

export function textWidth(text: string): number {
  return [...text].length * CHAR_WIDTH;
}

/** `text`, cut with an ellipsis when it would be wider than `width` (the full text is in the data table). */
export function fitText(text: string, width: number): string {
  const chars = [...text];
  const room = Math.max(1, Math.floor(width / CHAR_WIDTH));
  return chars.length <= room ? text : `${chars.slice(0, room - 1).join('')}…`;
}

/**
 * The `<svg>` of a chart: scales to its box (viewBox, width from CSS), named by its `<title>` and
 * described by its `<desc>` for assistive technology, which reads it as one image.
 */
export function svgChart(text: ChartText, width: number, height: number, body: string[], kind: string): string {
  const { id, title, description } = text;
  return (
    `<svg class="chart chart-${kind}" viewBox="0 0 ${num(width)} ${num(height)}" role="img" aria-labelledby="${esc(id)}-title" aria-describedby="${esc(id)}-desc">` +
    `<title id="${esc(id)}-title">${esc(title)}</title><desc id="${esc(id)}-desc">${esc(description)}</desc>${body.join('')}</svg>`
  );
}

export interface Axis {
  max: number;
  ticks: Array<{ value: number; label: string }>;
}

/**
 * A count axis from 0 to a round number at or above `max`, in at most `maxSteps` whole steps of
 * 1, 2 or 5 × 10^k: 2 → 0 1 2, 7 → 0 2 4 6 8, 612 → 0 200 400 600 800.
 */
export function countAxis(max: number, maxSteps = 4): Axis {
  const top = Math.max(1, max);
  let step = 1;
  for (let power = 1; Math.ceil(top / step) > maxSteps; ) {
    const candidates = [1, 2, 5].map((m) => m * power);
    step = candidates.find((candidate) => Math.ceil(top / candidate) <= maxSteps) ?? candidates[2]!;
    power *= 10;
  }
  const axisMax = Math.ceil(top / step) * step;
  const ticks = [];
  for (let value = 0; value <= axisMax; value += step) ticks.push({ value, label: String(value) });
  return { max: axisMax, ticks };
}

/** A share axis, 0 to 100 %. */
export const PERCENT_AXIS: Axis = { max: 1, ticks: [0, 0.5, 1].map((value) => ({ value, label: `${value * 100}%` })) };
