import { describe, expect, it } from 'vitest';
import { barList } from '../../../src/lib/charts/bar-list.ts';
import { stackedBar } from '../../../src/lib/charts/stacked-bar.ts';
import { CHART_WIDTH, countAxis, fitText, PERCENT_AXIS } from '../../../src/lib/charts/svg.ts';
import { columnChart, lineChart, weekTicks } from '../../../src/lib/charts/time-series.ts';

const text = { id: 'c', title: 'A chart', description: 'What it shows.' };
const timeChart = { ...text, valueLabel: 'Things', ticks: [], tone: 'done' as const };

/** The numeric attributes of each `<rect>` of a class, in document order. */
function rects(svg: string, className = 'chart-mark'): Array<Record<'x' | 'y' | 'width' | 'height', number>> {
  return [...svg.matchAll(/<rect class="([^"]*)"([^>]*)\/>/g)]
    .filter((match) => match[1]!.split(' ').includes(className))
    .map((match) => Object.fromEntries([...match[2]!.matchAll(/(\w+)="([-\d.]+)"/g)].map(([, name, value]) => [name, Number(value)])) as Record<'x' | 'y' | 'width' | 'height', number>);
}

describe('every chart', () => {
  it('is an image named by its title and described by its summary', () => {
    const svg = columnChart({ ...timeChart, axis: countAxis(1), values: [1] })!;
    expect(svg).toMatch(/^<svg class="chart chart-columns" viewBox="0 0 \d+ \d+" role="img" aria-labelledby="c-title" aria-describedby="c-desc">/);
    expect(svg).toContain('<title id="c-title">A chart</title><desc id="c-desc">What it shows.</desc>');
  });

  it('escapes every text it is given: titles, summaries, labels and values', () => {
    const nasty = '<b onclick="x">&\'';
    const escaped = '&lt;b onclick=&quot;x&quot;&gt;&amp;&#39;';
    const bars = barList({ id: 'c', title: nasty, description: nasty, rows: [{ label: nasty, value: [{ text: nasty }], segments: [{ value: 1, tone: 'danger' }] }] })!;
    const stack = stackedBar({ ...text, parts: [{ label: nasty, value: 1, tone: 'neutral', valueText: nasty }] })!;
    const columns = columnChart({ ...timeChart, valueLabel: nasty, axis: countAxis(1), ticks: [{ index: 0, lines: [nasty] }], values: [1] })!;
    for (const svg of [bars, stack, columns]) {
      expect(svg).toContain(escaped);
      expect(svg).not.toContain('<b');
    }
  });

  it('draws nothing for no data, so the page can say so in words', () => {
    expect(columnChart({ ...timeChart, axis: countAxis(0), values: [] })).toBeUndefined();
    expect(lineChart({ ...timeChart, axis: PERCENT_AXIS, values: [null, null] })).toBeUndefined();
    expect(barList({ ...text, rows: [] })).toBeUndefined();
    expect(stackedBar({ ...text, parts: [{ label: 'none', value: 0, tone: 'neutral', valueText: '0' }] })).toBeUndefined();
  });
});

describe('columnChart', () => {
  it('draws one column per non-zero value, heights proportional to the values', () => {
    const svg = columnChart({ ...timeChart, axis: countAxis(4), values: [4, 0, 1, 2] })!;
    const columns = rects(svg);
    expect(columns).toHaveLength(3);
    const [four, one, two] = columns.map((column) => column.height);
    expect(four! / one!).toBeCloseTo(4, 1);
    expect(two! / one!).toBeCloseTo(2, 1);
    // Columns stand on the same baseline, left to right in the order of the values.
    expect(new Set(columns.map((column) => Math.round(column.y + column.height))).size).toBe(1);
    expect(columns.map((column) => column.x)).toEqual([...columns.map((column) => column.x)].sort((a, b) => a - b));
  });

  it('labels the value axis with its gridlines and the weeks it is given', () => {
    const svg = columnChart({ ...timeChart, axis: countAxis(2), ticks: [{ index: 0, lines: ['5 Oct', '2026'] }], values: [2] })!;
    expect(svg).toContain('>Things</text>');
    expect([...svg.matchAll(/class="chart-tick"[^>]*>([^<]*)</g)].map((match) => match[1])).toEqual(['0', '1', '2', '5 Oct', '2026']);
    expect(svg.match(/class="chart-grid"/g)).toHaveLength(2);
  });
});

describe('lineChart', () => {
  it('breaks the line at a missing value instead of dropping it to zero', () => {
    const svg = lineChart({ ...timeChart, axis: PERCENT_AXIS, values: [1, null, 0.5, 0.25] })!;
    const path = /<path class="chart-line[^"]*" d="([^"]+)"/.exec(svg)![1]!;
    expect(path.match(/M/g)).toHaveLength(2);
    expect(path.match(/L/g)).toHaveLength(1);
    expect(svg.match(/<circle /g)).toHaveLength(3);
  });

  it('puts a share of 1 at the top of the axis and 0.5 halfway', () => {
    const svg = lineChart({ ...timeChart, axis: PERCENT_AXIS, values: [1, 0.5, 0] })!;
    const [top, half, zero] = [...svg.matchAll(/<circle [^>]*cy="([\d.]+)"/g)].map((match) => Number(match[1]));
    expect(half! - top!).toBeCloseTo(zero! - half!, 1);
    expect(top).toBeLessThan(zero!);
  });
});

describe('barList', () => {
  it('draws bars proportional to their totals on a shared axis, segments end to end', () => {
    const svg = barList({
      ...text,
      rows: [
        { label: 'big', value: [{ text: '+30 −10' }], segments: [{ value: 30, tone: 'success' }, { value: 10, tone: 'danger' }] },
        { label: 'small', value: [{ text: '+20' }], segments: [{ value: 20, tone: 'success' }] },
      ],
    })!;
    const [added, deleted, small] = rects(svg);
    expect(added!.width / small!.width).toBeCloseTo(1.5, 2);
    expect(deleted!.width / small!.width).toBeCloseTo(0.5, 2);
    expect(deleted!.x).toBeCloseTo(added!.x + added!.width, 2);
    expect(svg).toContain('>big</text>');
  });

  it('shortens a label too long for its line with an ellipsis', () => {
    const long = `lane-${'x'.repeat(80)}`;
    const svg = barList({ ...text, rows: [{ label: long, value: [{ text: '1 of 2' }], segments: [{ value: 1, tone: 'danger' }] }] })!;
    expect(svg).not.toContain(long);
    expect(svg).toMatch(/>lane-x+…<\/text>/);
  });
});

describe('stackedBar', () => {
  it('splits the full width in proportion to the parts and names every part in the legend, empty ones too', () => {
    const svg = stackedBar({
      ...text,
      parts: [
        { label: 'ready', value: 3, tone: 'success', valueText: '3 (75%)' },
        { label: 'failed', value: 0, tone: 'danger', valueText: '0 (0%)' },
        { label: 'none', value: 1, tone: 'neutral', valueText: '1 (25%)' },
      ],
    })!;
    const [ready, none] = rects(svg, 'chart-segment');
    expect(ready!.width).toBeCloseTo(CHART_WIDTH * 0.75, 1);
    expect(none!.width).toBeCloseTo(CHART_WIDTH * 0.25, 1);
    expect(none!.x).toBeCloseTo(ready!.width, 1);
    for (const legend of ['ready <tspan class="chart-tick">3 (75%)', 'failed <tspan class="chart-tick">0 (0%)', 'none <tspan class="chart-tick">1 (25%)']) expect(svg).toContain(legend);
  });
});

describe('countAxis', () => {
  it.each([
    [0, [0, 1]],
    [2, [0, 1, 2]],
    [4, [0, 1, 2, 3, 4]],
    [7, [0, 2, 4, 6, 8]],
    [612, [0, 200, 400, 600, 800]],
  ] as Array<[number, number[]]>)('goes from 0 to a round number at or above %i in a few steps', (max, ticks) => {
    expect(countAxis(max).ticks.map((tick) => tick.value)).toEqual(ticks);
  });
});

describe('weekTicks', () => {
  it('labels at most five weeks, evenly spaced, with the year under the first and wherever it changes', () => {
    const starts = ['2026-11-30', '2026-12-07', '2026-12-14', '2026-12-21', '2026-12-28', '2027-01-04', '2027-01-11', '2027-01-18'];
    expect(weekTicks(starts)).toEqual([
      { index: 0, lines: ['30 Nov', '2026'] },
      { index: 2, lines: ['14 Dec'] },
      { index: 4, lines: ['28 Dec'] },
      { index: 6, lines: ['11 Jan', '2027'] },
    ]);
  });
});

describe('fitText', () => {
  it('keeps text that fits and cuts text that does not', () => {
    expect(fitText('short', 100)).toBe('short');
    expect(fitText('a rather long lane name', 64)).toMatch(/^a rather.*…$/);
  });
});
