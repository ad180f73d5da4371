/**
 * ISO 8601 weeks in UTC: a week starts on Monday and belongs to the year of its Thursday, so
 * 2026-12-31 (a Thursday) is in 2026-W53 and 2027-01-01 too. UTC, never the local time zone: the
 * same archive must give the same weeks on every machine.
 */

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

export interface IsoWeek {
  /** `2026-W41` */
  week: string;
  /** The Monday the week starts on, `2026-10-05`. */
  start: string;
}

/** The Monday 00:00 UTC of the week holding `time`, in milliseconds. */
function mondayOf(time: number): number {
  const date = new Date(time);
  const midnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  const daysSinceMonday = (date.getUTCDay() + 6) % 7;
  return midnight - daysSinceMonday * DAY_MS;
}

function weekAt(monday: number): IsoWeek {
  const thursday = new Date(monday + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const number = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / WEEK_MS) + 1;
  return { week: `${year}-W${String(number).padStart(2, '0')}`, start: new Date(monday).toISOString().slice(0, 10) };
}

/**
 * The week of a date-time.
 *
 * @param iso an ISO 8601 date-time with a time zone (the archive's schema guarantees one)
 * @throws RangeError when the text is not a date-time
 */
export function isoWeekOf(iso: string): IsoWeek {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) throw new RangeError(`isoWeekOf expects an ISO 8601 date-time, got ${JSON.stringify(iso)}`);
  return weekAt(mondayOf(time));
}

/**
 * Every week from the one holding `first` to the one holding `last`, both included, oldest first.
 * Empty when `last` is in an earlier week than `first`.
 */
export function weeksBetween(first: IsoWeek, last: IsoWeek): IsoWeek[] {
  const weeks: IsoWeek[] = [];
  const end = Date.parse(`${last.start}T00:00:00Z`);
  for (let monday = Date.parse(`${first.start}T00:00:00Z`); monday <= end; monday += WEEK_MS) weeks.push(weekAt(monday));
  return weeks;
}
