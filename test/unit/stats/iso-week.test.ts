import { describe, expect, it } from 'vitest';
import { isoWeekOf, weeksBetween } from '../../../scripts/stats/iso-week.ts';

describe('isoWeekOf', () => {
  it('gives the ISO week and its Monday', () => {
    expect(isoWeekOf('2026-10-05T11:30:00Z')).toEqual({ week: '2026-W41', start: '2026-10-05' });
    expect(isoWeekOf('2026-10-11T23:59:59Z')).toEqual({ week: '2026-W41', start: '2026-10-05' });
  });

  it('puts the days around New Year in the week of their Thursday', () => {
    // 2026-12-31 is a Thursday: that week is 2026-W53, and 2027-01-03 (Sunday) still belongs to it.
    expect(isoWeekOf('2026-12-28T08:00:00Z')).toEqual({ week: '2026-W53', start: '2026-12-28' });
    expect(isoWeekOf('2027-01-03T20:00:00Z')).toEqual({ week: '2026-W53', start: '2026-12-28' });
    expect(isoWeekOf('2027-01-04T00:00:00Z')).toEqual({ week: '2027-W01', start: '2027-01-04' });
    // 2024-12-30 (Monday) starts 2025-W01: a week can begin in the year before the one it counts in.
    expect(isoWeekOf('2024-12-31T12:00:00Z')).toEqual({ week: '2025-W01', start: '2024-12-30' });
  });

  it('counts in UTC, whatever offset the time is written with', () => {
    // Monday 01:30 in Paris is still Sunday in UTC.
    expect(isoWeekOf('2026-10-12T01:30:00+02:00')).toEqual({ week: '2026-W41', start: '2026-10-05' });
  });

  it('rejects text that is not a date-time', () => {
    expect(() => isoWeekOf('last Tuesday')).toThrow(RangeError);
  });
});

describe('weeksBetween', () => {
  it('lists every week from the first to the last, both included, across a year boundary', () => {
    const weeks = weeksBetween(isoWeekOf('2026-12-22T00:00:00Z'), isoWeekOf('2027-01-12T00:00:00Z'));
    expect(weeks.map((week) => week.week)).toEqual(['2026-W52', '2026-W53', '2027-W01', '2027-W02']);
  });

  it('is empty when the last week comes before the first', () => {
    expect(weeksBetween(isoWeekOf('2026-10-12T00:00:00Z'), isoWeekOf('2026-10-05T00:00:00Z'))).toEqual([]);
  });
});
