import { describe, expect, it } from 'vitest';
import { createProgress, estimateRemainingSecs, formatProgressBar, formatProgressLine } from '../../../scripts/ingest/progress.ts';

describe('progress', () => {
  it('draws a bar with counts and the time left at the pace so far', () => {
    expect(formatProgressBar('ingest', 120, 480, 4000)).toBe('ingest [#####...............] 120/480 branches · ETA 12s');
    expect(formatProgressBar('ingest', 480, 480, 16000)).toBe('ingest [####################] 480/480 branches · 16s');
  });

  it('has no estimate before the first item is done', () => {
    expect(estimateRemainingSecs(0, 10, 500)).toBeUndefined();
    expect(formatProgressLine('ingest', 0, 10, 500)).toBe('ingest: 0/10 branches (0 %)');
  });

  it('redraws one line on a terminal, at most ten times a second', () => {
    let out = '';
    let clock = 0;
    const progress = createProgress({ label: 'ingest', total: 4, stream: { isTTY: true, columns: 80, write: (text: string) => (out += text) }, now: () => clock });
    progress.advance();
    clock += 50;
    progress.advance();
    clock += 100;
    progress.advance();
    progress.finish();
    expect(out.split('\r').filter(Boolean)).toEqual([
      'ingest [#####...............] 1/4 branches\x1b[K',
      'ingest [###############.....] 3/4 branches · ETA 0s\x1b[K',
      '\x1b[K',
    ]);
  });

  it('keeps the line inside a narrow terminal, and inside 80 columns when the width is unknown', () => {
    const drawn = (columns: number) => {
      let out = '';
      createProgress({ label: 'ingest', total: 1, stream: { isTTY: true, columns, write: (text: string) => (out += text) }, now: () => 0 }).advance();
      return out.replace('\r', '').replace('\x1b[K', '');
    };
    expect(drawn(20)).toBe('ingest [###########');
    expect(drawn(0)).toBe('ingest [####################] 1/1 branches · 0s');
  });

  it('writes a line every 10 % or every 2 s to a log, not one per item', () => {
    const lines: string[] = [];
    let clock = 0;
    const progress = createProgress({ label: 'ingest', total: 100, stream: { write: (text: string) => lines.push(text) }, now: () => clock });
    for (let i = 0; i < 100; i++) progress.advance();
    progress.finish();
    expect(lines).toHaveLength(10);
    expect(lines.at(-1)).toBe('ingest: 100/100 branches (100 %) · 0s\n');

    lines.length = 0;
    const slow = createProgress({ label: 'ingest', total: 1000, stream: { write: (text: string) => lines.push(text) }, now: () => clock });
    for (let i = 0; i < 5; i++) {
      clock += 2500;
      slow.advance();
    }
    expect(lines).toHaveLength(5);
  });
});
