/**
 * Small formatting helpers shared by the site's pages and the build script.
 * Pure functions with no Astro imports: the output must not depend on the machine that builds
 * the site (no locale, no local time zone), so the same archive always renders the same bytes.
 */

/**
 * A duration in the compact form a CI page uses: `0s`, `42s`, `2m 11s`, `1h 3m`.
 * Fractional seconds are rounded to the nearest second first; units that round to zero at the
 * end are dropped (`1m`, not `1m 0s`), and from one hour on, seconds are no longer shown.
 *
 * @param secs a finite, non-negative number of seconds
 * @throws RangeError for a negative, NaN or infinite value: a duration like that is a bug upstream
 */
export function formatDuration(secs: number): string {
  if (!Number.isFinite(secs) || secs < 0) {
    throw new RangeError(`formatDuration expects a finite, non-negative number of seconds, got ${secs}`);
  }
  const total = Math.round(secs);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) return minutes > 0 ? `${hours}h ${minutes}m` : `${hours}h`;
  if (minutes > 0) return seconds > 0 ? `${minutes}m ${seconds}s` : `${minutes}m`;
  return `${seconds}s`;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * An ISO 8601 date-time as `2026-03-27 00:55 UTC`: always in UTC, to the minute (seconds are
 * cut, not rounded, so a time never moves into the next minute, hour or day).
 *
 * @param iso a date-time Date.parse understands, normally with a time zone (`2026-03-27T00:55:23Z`)
 * @throws RangeError when the text is not a date-time
 */
export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    throw new RangeError(`formatTimestamp expects an ISO 8601 date-time, got ${JSON.stringify(iso)}`);
  }
  const day = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  return `${day} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
}

/**
 * A count with its noun: `1 lane`, `0 lanes`, `3 files`.
 *
 * @param plural the plural form when adding `s` is wrong (`pluralize(2, 'entry', 'entries')`)
 */
export function pluralize(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}

/** Line counts as a diff stat: `+12 −3` (with a real minus sign, U+2212). */
export function formatLineDelta(additions: number, deletions: number): string {
  return `+${additions} \u2212${deletions}`;
}


/** `512 B`, `2.4 KB`, `1.3 MB` (decimal units, one decimal above a kilobyte). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) throw new RangeError(`not a size in bytes: ${bytes}`);
  if (bytes < 1000) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * A share as a whole percentage: `0%`, `71%`, `100%`. A share that is neither none nor all never
 * reads as either: it shows as `<1%` or `>99%` instead of rounding to `0%` or `100%`.
 *
 * @param share a fraction from 0 to 1
 * @throws RangeError for a value outside 0 to 1 or NaN: a share like that is a bug upstream
 */
export function formatPercent(share: number): string {
  if (!(share >= 0 && share <= 1)) throw new RangeError(`formatPercent expects a share from 0 to 1, got ${share}`);
  const percent = Math.round(share * 100);
  if (percent === 0 && share > 0) return '<1%';
  if (percent === 100 && share < 1) return '>99%';
  return `${percent}%`;
}
