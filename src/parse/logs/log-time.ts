// Turning log wall-clock times into UTC, and saying what was assumed to do it.
// Pure: no environment access. The zone is passed in (minutes east of UTC or an IANA name resolved with Intl);
// the caller decides where it came from (--tz, a config) and says so in `LineContext.tzSource`.

import type { LineContext } from '../../model/log-event.js';

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(zone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(zone);
  if (f !== undefined) return f;
  try {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
  } catch {
    f = null; // RangeError: unknown zone. Remembered, so a bad --tz costs one exception, not one per line.
  }
  if (formatters.size < 64) formatters.set(zone, f);
  return f;
}

/** Offset (minutes east of UTC) of an IANA zone at a UTC instant; null when the zone is unknown. */
function ianaOffsetAt(f: Intl.DateTimeFormat, utcMs: number): number {
  let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  for (const p of f.formatToParts(utcMs)) {
    switch (p.type) {
      case 'year': y = Number(p.value); break;
      case 'month': mo = Number(p.value); break;
      case 'day': d = Number(p.value); break;
      case 'hour': h = Number(p.value); break;
      case 'minute': mi = Number(p.value); break;
      case 'second': s = Number(p.value); break;
      default: break;
    }
  }
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  return Math.round((wall - Math.floor(utcMs / 1000) * 1000) / 60000);
}

// One-entry cache: log lines come in time order, so consecutive lines share an hour and an offset. Only hours
// with no offset change within six hours either side are cached, so a DST change is always worked out in full.
let lastZone: string | null = null;
let lastHourKey = NaN;
let lastOffset = 0;
const HOUR = 3600000;
const NEAR = 6 * HOUR;
/** Lines of different processes can be logged a little out of order (as in correlate/coverage.ts). */
const JITTER_MS = 60000;

/** Where a file's previous time is kept, to place a wall time that occurs twice (see wallToUtcMs). */
export interface ClockMemory { lastUtcMs?: number | undefined }

/**
 * UTC epoch ms for a wall-clock time read in `tz`, or null when `tz` is an unknown zone name.
 * When clocks go back, a wall time in the repeated hour occurs twice: a log is written in time order, so the
 * earlier instant is taken unless it lies before the file's previous line (`memory.lastUtcMs`, updated here),
 * in which case the clock has already gone back and the later instant is the one. In a spring-forward gap (a
 * wall time that never occurred) the offset before the change is used; the time is an assumption anyway, and
 * says so.
 */
export function wallToUtcMs(wallMs: number, tz: number | string | null | undefined, memory?: ClockMemory): number | null {
  if (tz === null || tz === undefined) return wallMs;
  if (typeof tz === 'number') return Number.isFinite(tz) ? wallMs - tz * 60000 : null;
  const hourKey = Math.floor(wallMs / HOUR);
  let utc: number;
  if (tz === lastZone && hourKey === lastHourKey) utc = wallMs - lastOffset * 60000;
  else {
    const f = formatterFor(tz);
    if (f === null) return null;
    const before = ianaOffsetAt(f, wallMs - NEAR), after = ianaOffsetAt(f, wallMs + NEAR);
    if (before === after && ianaOffsetAt(f, hourKey * HOUR - NEAR) === before && ianaOffsetAt(f, (hourKey + 1) * HOUR + NEAR) === before) {
      lastZone = tz; lastHourKey = hourKey; lastOffset = before;
      utc = wallMs - before * 60000;
    } else utc = nearChange(f, wallMs, before, after, memory?.lastUtcMs);
  }
  if (memory !== undefined) memory.lastUtcMs = utc;
  return utc;
}

/** A wall time within hours of an offset change: the instant(s) it can name, chosen as wallToUtcMs says. */
function nearChange(f: Intl.DateTimeFormat, wallMs: number, before: number, after: number, lastUtcMs: number | undefined): number {
  const valid = [before, after].filter((o, i, a) => a.indexOf(o) === i && ianaOffsetAt(f, wallMs - o * 60000) === o).map((o) => wallMs - o * 60000).sort((a, b) => a - b);
  if (valid.length === 0) return wallMs - before * 60000; // in the gap: the offset before the change
  const [early, late] = [valid[0]!, valid[valid.length - 1]!];
  return lastUtcMs !== undefined && early < lastUtcMs - JITTER_MS ? late : early;
}

/** `+01:00`-style label for a fixed offset in minutes. */
export function offsetLabel(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const a = Math.abs(minutes);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

function zoneWords(ctx: LineContext): string {
  const tz = ctx.tz;
  const label = tz === null || tz === undefined ? 'UTC' : typeof tz === 'number' ? offsetLabel(tz) : tz;
  const source = tz === null || tz === undefined ? 'none given' : (ctx.tzSource ?? 'given by caller');
  return `zone ${label} (${source})`;
}

let aNeedYear = false;
let aYear: number | null | undefined;
let aYearSource: string | null | undefined;
let aTz: number | string | null | undefined;
let aTzSource: string | null | undefined;
let aText: string | null = null;

/** Words for what was assumed to place a timestamp; cached because consecutive lines share a context. */
export function describeAssumption(ctx: LineContext, needYear: boolean): string {
  if (aText !== null && needYear === aNeedYear && ctx.year === aYear && ctx.yearSource === aYearSource && ctx.tz === aTz && ctx.tzSource === aTzSource) return aText;
  const zone = zoneWords(ctx);
  const text = needYear ? `year ${ctx.year} (${ctx.yearSource ?? 'given by caller'}), ${zone}` : zone;
  aNeedYear = needYear; aYear = ctx.year; aYearSource = ctx.yearSource; aTz = ctx.tz; aTzSource = ctx.tzSource; aText = text;
  return text;
}

const TWO = Array.from({ length: 100 }, (_, k) => String(k).padStart(2, '0'));
const MS3 = Array.from({ length: 1000 }, (_, k) => String(k).padStart(3, '0'));
/** `SS.mmmZ` for each millisecond of a minute (61 s for a leap second), filled on first use. */
const SECOND_MS: Array<string | undefined> = new Array<string | undefined>(61000);
let isoMinute = NaN;
let isoMinuteText = '';

/**
 * `new Date(ms).toISOString()`, about ten times faster on log-shaped input: the `YYYY-MM-DDTHH:MM:` part is
 * cached per minute and the `SS.mmmZ` tail comes from a table. (toISOString costs ~0.5 µs here, more than the
 * rest of a Postfix line's parse.) Falls back to Date for instants outside years 0000–9999.
 */
export function isoFromMs(ms: number): string {
  const minute = Math.floor(ms / 60000);
  if (minute !== isoMinute) {
    const d = new Date(minute * 60000);
    const y = d.getUTCFullYear();
    if (!(y >= 0 && y <= 9999)) return new Date(ms).toISOString();
    isoMinute = minute;
    isoMinuteText = `${String(y).padStart(4, '0')}-${TWO[d.getUTCMonth() + 1]}-${TWO[d.getUTCDate()]}T${TWO[d.getUTCHours()]}:${TWO[d.getUTCMinutes()]}:`;
  }
  const k = ms - minute * 60000;
  let tail = SECOND_MS[k];
  if (tail === undefined) {
    tail = `${TWO[Math.floor(k / 1000)]}.${MS3[k % 1000]}Z`;
    SECOND_MS[k] = tail;
  }
  return isoMinuteText + tail;
}

let dayKey = -1;
let dayMs = 0;

/** Epoch ms of UTC midnight of y-m0-d, cached for the last day asked (log lines come a day at a time). */
export function dayStartMs(y: number, m0: number, d: number): number {
  const key = (y * 13 + m0) * 32 + d;
  if (key !== dayKey) {
    const t = new Date(0);
    t.setUTCFullYear(y, m0, d); // not Date.UTC: it maps years 0–99 to 1900–1999
    dayKey = key; dayMs = t.getTime();
  }
  return dayMs;
}

export const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';

/** 0-based month of a 3-letter English month name, or -1. */
export function monthIndex(name: string): number {
  if (name.length !== 3) return -1;
  const i = MONTHS.indexOf(name);
  return i % 3 === 0 ? i / 3 : -1;
}

/** Month names packed as three char codes → 0-based month. */
const MONTH_CODES = new Map<number, number>(
  Array.from({ length: 12 }, (_, m) => [MONTHS.charCodeAt(m * 3) * 65536 + MONTHS.charCodeAt(m * 3 + 1) * 256 + MONTHS.charCodeAt(m * 3 + 2), m]),
);

/** monthIndex of the three characters at the start of `line`, without slicing them out (hot: once per line). */
export function monthAtStart(line: string): number {
  if (line.length < 3) return -1;
  const a = line.charCodeAt(0), b = line.charCodeAt(1), c = line.charCodeAt(2);
  if (a > 255 || b > 255 || c > 255) return -1;
  return MONTH_CODES.get(a * 65536 + b * 256 + c) ?? -1;
}

/**
 * A small stateful helper for the year of classic syslog lines read in file order: starts at `startYear` and
 * moves to the next year when the month jumps back by more than half a year (Dec→Jan). A line whose month jumps
 * *forward* by more than half a year (a straggler from December after January began) gets the previous year,
 * without moving the roller. Lines without a classic timestamp get the current year.
 * When the year comes from a file's mtime (its *last* line), the caller should start one year earlier if the
 * first line's month is later than the mtime's month.
 */
export function createYearRoller(startYear: number): (line: string) => number {
  let year = startYear;
  let lastMonth = -1;
  return (line: string): number => {
    const m = monthAtStart(line);
    if (m < 0) return year;
    if (lastMonth < 0) { lastMonth = m; return year; }
    if (m + 6 < lastMonth) { year += 1; lastMonth = m; return year; }
    if (m > lastMonth + 6) return year - 1;
    lastMonth = m;
    return year;
  };
}
