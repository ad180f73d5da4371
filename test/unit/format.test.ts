import { describe, expect, it } from 'vitest';
import { formatDuration, formatLineDelta, formatPercent, formatTimestamp, pluralize, formatBytes } from '../../scripts/render/format.ts';

describe('formatDuration', () => {
  it('shows zero seconds as 0s', () => {
    expect(formatDuration(0)).toBe('0s');
  });

  it('shows less than a minute in seconds', () => {
    expect(formatDuration(42)).toBe('42s');
    expect(formatDuration(59)).toBe('59s');
  });

  it('shows exactly one minute without a trailing 0s', () => {
    expect(formatDuration(60)).toBe('1m');
  });

  it('shows minutes and seconds below an hour', () => {
    expect(formatDuration(131)).toBe('2m 11s');
    expect(formatDuration(3599)).toBe('59m 59s');
  });

  it('shows exactly one hour without a trailing 0m', () => {
    expect(formatDuration(3600)).toBe('1h');
  });

  it('shows hours and minutes from one hour on, dropping the seconds', () => {
    expect(formatDuration(3780)).toBe('1h 3m');
    expect(formatDuration(3839)).toBe('1h 3m');
    expect(formatDuration(26 * 3600 + 5 * 60)).toBe('26h 5m');
  });

  it('rounds fractional seconds to the nearest second before choosing units', () => {
    expect(formatDuration(0.4)).toBe('0s');
    expect(formatDuration(0.5)).toBe('1s');
    expect(formatDuration(41.6)).toBe('42s');
    expect(formatDuration(59.5)).toBe('1m');
    expect(formatDuration(3599.5)).toBe('1h');
  });

  it('rejects negative, NaN and infinite durations instead of printing them', () => {
    expect(() => formatDuration(-1)).toThrow(RangeError);
    expect(() => formatDuration(Number.NaN)).toThrow(RangeError);
    expect(() => formatDuration(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('formatTimestamp', () => {
  it('shows a UTC date-time to the minute with a UTC suffix', () => {
    expect(formatTimestamp('2026-03-27T00:55:23Z')).toBe('2026-03-27 00:55 UTC');
  });

  it('converts a time with an offset to UTC, crossing the date line when needed', () => {
    expect(formatTimestamp('2026-03-27T02:55:23+02:00')).toBe('2026-03-27 00:55 UTC');
    expect(formatTimestamp('2026-03-26T22:10:00-05:00')).toBe('2026-03-27 03:10 UTC');
  });

  it('cuts seconds instead of rounding them into the next minute or day', () => {
    expect(formatTimestamp('2025-12-31T23:59:59.999Z')).toBe('2025-12-31 23:59 UTC');
  });

  it('does not depend on the time zone of the machine', () => {
    const saved = process.env.TZ;
    try {
      process.env.TZ = 'Pacific/Kiritimati';
      expect(formatTimestamp('2026-01-01T00:00:00Z')).toBe('2026-01-01 00:00 UTC');
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('rejects text that is not a date-time', () => {
    expect(() => formatTimestamp('yesterday')).toThrow(RangeError);
    expect(() => formatTimestamp('')).toThrow(RangeError);
  });
});

describe('pluralize', () => {
  it('uses the singular for exactly one', () => {
    expect(pluralize(1, 'lane')).toBe('1 lane');
  });

  it('uses the plural for zero and for many', () => {
    expect(pluralize(0, 'lane')).toBe('0 lanes');
    expect(pluralize(9, 'lane')).toBe('9 lanes');
  });

  it('takes an irregular plural when given one', () => {
    expect(pluralize(2, 'entry', 'entries')).toBe('2 entries');
    expect(pluralize(1, 'entry', 'entries')).toBe('1 entry');
  });
});

describe('formatLineDelta', () => {
  it('shows additions with a plus and deletions with a minus sign', () => {
    expect(formatLineDelta(12, 3)).toBe('+12 \u22123');
    expect(formatLineDelta(0, 0)).toBe('+0 \u22120');
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.0 KB'],
    [2450, '2.5 KB'],
    [1_300_000, '1.3 MB'],
  ])('formats %i bytes as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('rejects what is not a size', () => {
    expect(() => formatBytes(-1)).toThrow(RangeError);
    expect(() => formatBytes(Number.NaN)).toThrow(RangeError);
  });
});

describe('formatPercent', () => {
  it('shows a share as a whole percentage', () => {
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(2 / 3)).toBe('67%');
    expect(formatPercent(0.125)).toBe('13%');
    expect(formatPercent(1)).toBe('100%');
  });

  it('never rounds a share that is neither none nor all to 0% or 100%', () => {
    expect(formatPercent(1 / 400)).toBe('<1%');
    expect(formatPercent(399 / 400)).toBe('>99%');
  });

  it('rejects a value that is not a share', () => {
    expect(() => formatPercent(1.5)).toThrow(RangeError);
    expect(() => formatPercent(Number.NaN)).toThrow(RangeError);
  });
});
