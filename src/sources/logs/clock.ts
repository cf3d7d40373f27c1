// Year and zone for log timestamps that lack them (classic syslog `Mmm dd HH:MM:SS`), and the words that say
// how they were chosen. `--year`/`--tz` win; otherwise the year comes from the file's mtime (the time of its LAST
// line), starting a year earlier when the first line's month is later than the mtime's month, and rolling
// forward at Dec→Jan (createYearRoller). The zone defaults to UTC and says that nothing was given.
// Pure: the caller passes the mtime and the clock.

import { createYearRoller, monthIndex } from '../../parse/logs/log-time.js';

export interface ClockChoice {
  startYear: number;
  yearSource: string;
  tz: number | string | null;
  tzSource: string | null;
}

/** First month (0-based) among classic-syslog sample lines, or -1. */
export function firstClassicMonth(sample: string[]): number {
  for (const l of sample) {
    const m = monthIndex(l.slice(0, 3));
    if (m >= 0 && l.charCodeAt(3) === 32) return m;
  }
  return -1;
}

export function chooseClock(opts: { year?: number | undefined; tz?: number | string | undefined }, mtime: string | null, now: Date, sample: string[]): ClockChoice {
  const tz = opts.tz ?? null;
  const tzSource = opts.tz === undefined ? null : '--tz';
  if (opts.year !== undefined) return { startYear: opts.year, yearSource: '--year', tz, tzSource };
  const ref = mtime === null ? now : new Date(mtime);
  let year = ref.getUTCFullYear();
  const first = firstClassicMonth(sample);
  const shifted = first > ref.getUTCMonth();
  if (shifted) year -= 1;
  const what = mtime === null ? `the current date ${now.toISOString().slice(0, 10)} (no file mtime)` : `file mtime ${mtime.slice(0, 10)}`;
  return { startYear: year, yearSource: shifted ? `${what}, first line's month is later so the year before` : what, tz, tzSource };
}

export { createYearRoller };
