// Find and read the date of a Received header (RFC 5322 §3.3 date-time, §4.3 obsolete forms, RFC 5321 §4.4).
// Pure: no clock, no locale. Never uses Date.parse on the input: fields are matched with bounded sticky
// regexes and the instant is computed with Date.UTC, after checking every field (Feb 30 or hour 25 give
// null and a warning, never a wrapped-around date).
// Forms read: RFC 5322 with or without weekday; two/three-digit years (§4.3: <50 → 20xx, else 19xx;
// three digits → +1900); missing seconds; fractional seconds (kept to the millisecond, truncated);
// numeric zones (`+0100`, `+01:00`, glued `17:40:44-0500`); named zones (see received-zones.ts);
// a zone name in a comment before the offset or instead of it (`00:19:00 (EDT) -0400`, RFC 3798's example);
// missing zone (UTC assumed, warned); asctime (`Tue Mar  2 09:44:33 2004`, zone before the year allowed);
// ISO-like (`2018-04-22 02:54:17.028704749 +0000 UTC`, `2026-11-20T14:00:05Z`) with Go's `m=+0.12` suffix.
// Where: after the last `;` outside comments (RFC 5321 §4.4), else at the end of the header.
// Speed (hot path of ingest): the usual `Www, D Mon YYYY HH:MM:SS ±HHMM` at the end of the header is read by
// received-date-fast.ts without regexes; the ISO output is built from a per-minute cache (isoString).

import { readCommonDate } from './received-date-fast.js';
import { formatOffset, lookupZone } from './received-zones.js';
import { isSpaceCode, matchParens, unfold } from './received-tokens.js';

export interface ReceivedDate {
  date: string | null;
  offset: string | null;
  raw: string | null;
  warnings: string[];
}

export interface LocatedDate extends ReceivedDate {
  /** Span of the date text within the searched string. */
  start: number;
  end: number;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const FULL_MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september',
  'october', 'november', 'december'];
const FULL_WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

function monthIndex(name: string): number {
  const n = name.toLowerCase();
  if (n === 'sept') return 8;
  const i = MONTHS.indexOf(n);
  return i >= 0 ? i : FULL_MONTHS.indexOf(n);
}

function weekdayIndex(name: string): number {
  const n = name.toLowerCase();
  const i = WEEKDAYS.indexOf(n);
  return i >= 0 ? i : FULL_WEEKDAYS.indexOf(n);
}

// All sticky, all bounded: each runs at one position and cannot backtrack far.
const RE = {
  weekday: /([A-Za-z]{3,9})\.?\s*,?/y,
  iso: /(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:T|\s+)/y,
  dmy: /(0?\d{1,2})(?:\s+|\s*-\s*)([A-Za-z]{3,9})\.?(?:\s+|\s*-\s*)(\d{2,4})(?![\d:])/y,
  md: /([A-Za-z]{3,9})\.?\s+(\d{1,2})\s+/y,
  time: /(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,20}))?)?(?![\d:])/y,
  year: /(\d{4})(?!\d)/y,
  numZone: /([+-])(\d{2}):?(\d{2})(?!\d)/y,
  nameZone: /([A-Za-z]{1,5})(?![A-Za-z])/y,
  commentZone: /\s*\(\s*([A-Za-z]{1,6})\s*\)/y,
  goMonotonic: /\s+m=[+-]?\d{1,20}(?:\.\d{1,20})?/y,
};

function at(re: RegExp, s: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos;
  return re.exec(s);
}

/** The characters of the regex class \s (ECMA-262 WhiteSpace and LineTerminator). */
function isRegexSpace(c: number): boolean {
  if (c < 0x80) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 ||
    c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Where the sticky regex `\s*` run at pos would stop. */
function skipWs(s: string, pos: number): number {
  while (pos < s.length && isRegexSpace(s.charCodeAt(pos))) pos++;
  return pos;
}

interface Zone {
  minutes: number;
  offset: string | null;
  end: number;
}

/** Read a zone at pos (after optional whitespace). */
function readZone(s: string, pos: number, warnings: string[]): Zone | null {
  const p = skipWs(s, pos);
  const num = at(RE.numZone, s, p);
  if (num) {
    const hh = Number(num[2]);
    const mm = Number(num[3]);
    const sign = num[1] === '-' ? -1 : 1;
    let end = RE.numZone.lastIndex;
    // A zone name or comment repeating the offset: `+0000 UTC`, `-0800 (PST)`.
    const name = at(RE.nameZone, s, skipWs(s, end));
    if (name && lookupZone(name[1]!) && name[1]!.length > 1) end = RE.nameZone.lastIndex;
    if (hh > 23 || mm > 59) {
      warnings.push(`invalid zone offset "${num[0]}"`);
      return { minutes: NaN, offset: null, end };
    }
    return { minutes: sign * (hh * 60 + mm), offset: `${num[1]}${num[2]}${num[3]}`, end };
  }
  const name = at(RE.nameZone, s, p);
  if (!name) return null;
  const z = lookupZone(name[1]!);
  if (!z) return null;
  let end = RE.nameZone.lastIndex;
  const upper = name[1]!.toUpperCase();
  // `GMT+0100`: the numbers say more than the name.
  if (z.minutes === 0 && !z.note) {
    const glued = at(RE.numZone, s, end);
    if (glued) return readZone(s, end, warnings);
  }
  if (z.note === 'military') {
    warnings.push(`military zone "${upper}" is ambiguous (RFC 5322 §4.3); read as -0000 (UTC, local zone unknown)`);
    return { minutes: 0, offset: '-0000', end };
  }
  if (z.note === 'non-standard') warnings.push(`non-standard zone name "${upper}" read as ${formatOffset(z.minutes)}`);
  if (z.note === 'ambiguous') warnings.push(`ambiguous zone name "${upper}" read as ${formatOffset(z.minutes)} (${z.meaning})`);
  return { minutes: z.minutes, offset: formatOffset(z.minutes), end };
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(y: number, m: number): number {
  if (m === 1) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return MONTH_DAYS[m]!;
}

interface Fields {
  y: number;
  yearText: string;
  mo: number;
  d: number;
  h: number;
  mi: number;
  sec: number;
  frac: string;
  wd: number;
  zone: Zone | null;
}

function computeDate(f: Fields, warnings: string[]): { date: string | null; offset: string | null } {
  let y = f.y;
  if (f.yearText.length === 2) {
    y = y < 50 ? 2000 + y : 1900 + y;
    warnings.push(`two-digit year "${f.yearText}" read as ${y} (RFC 5322 §4.3)`);
  } else if (f.yearText.length === 3) {
    y = 1900 + y;
    warnings.push(`three-digit year "${f.yearText}" read as ${y} (RFC 5322 §4.3)`);
  }
  const bad = (what: string): { date: null; offset: null } => {
    warnings.push(`invalid date: ${what}`);
    return { date: null, offset: null };
  };
  if (f.mo < 0 || f.mo > 11) return bad('unknown month');
  if (f.d < 1 || f.d > daysInMonth(y, f.mo)) return bad(`day ${f.d} does not exist in ${MONTHS[f.mo]!.replace(/^./, (c) => c.toUpperCase())} ${y}`);
  if (f.h > 23) return bad(`hour ${f.h}`);
  if (f.mi > 59) return bad(`minute ${f.mi}`);
  let sec = f.sec;
  if (sec > 60) return bad(`second ${sec}`);
  if (sec === 60) {
    warnings.push('leap second 60 read as 59');
    sec = 59;
  }
  let offsetMinutes = 0;
  let offset: string | null = null;
  if (f.zone === null) {
    warnings.push('date has no time zone; UTC assumed');
  } else if (Number.isNaN(f.zone.minutes)) {
    return { date: null, offset: null };
  } else {
    offsetMinutes = f.zone.minutes;
    offset = f.zone.offset;
  }
  const ms = Number((f.frac + '000').slice(0, 3));
  let local: number;
  if (y >= 100) {
    local = Date.UTC(y, f.mo, f.d, f.h, f.mi, sec, ms);
  } else {
    const d = new Date(Date.UTC(2000, f.mo, f.d, f.h, f.mi, sec, ms));
    d.setUTCFullYear(y, f.mo, f.d); // Date.UTC maps years 0–99 to 19xx; set the year explicitly.
    local = d.getTime();
  }
  const weekday = (((Math.floor(local / DAY_MS) + 4) % 7) + 7) % 7; // ECMA-262 WeekDay: 1970-01-01 was a Thursday
  if (f.wd >= 0 && weekday !== f.wd) {
    warnings.push(`weekday "${FULL_WEEKDAYS[f.wd]}" does not match ${y}-${String(f.mo + 1).padStart(2, '0')}-${String(f.d).padStart(2, '0')}`);
  }
  const instant = local - offsetMinutes * 60_000;
  if (!Number.isFinite(instant)) return bad('out of range');
  return { date: isoString(instant), offset };
}

const DAY_MS = 86_400_000;
/** 10000-01-01T00:00:00.000Z: from here on toISOString writes a six-digit signed year. */
const FOUR_DIGIT_YEAR_END = 253_402_300_800_000;
const MINUTE_CACHE_MAX = 4096;
const minutePrefix = new Map<number, string>();

/** Exactly `new Date(ms).toISOString()`, with the `YYYY-MM-DDTHH:MM:` part cached per minute
 *  (the hops of one message, and neighbouring messages, mostly share minutes). */
function isoString(ms: number): string {
  if (!(ms >= 0 && ms < FOUR_DIGIT_YEAR_END) || !Number.isInteger(ms)) return new Date(ms).toISOString();
  const minute = Math.floor(ms / 60_000);
  let prefix = minutePrefix.get(minute);
  if (prefix === undefined) {
    if (minutePrefix.size >= MINUTE_CACHE_MAX) minutePrefix.clear();
    prefix = new Date(minute * 60_000).toISOString().slice(0, 17);
    minutePrefix.set(minute, prefix);
  }
  const rem = ms - minute * 60_000;
  const sec = Math.floor(rem / 1000);
  const milli = rem - sec * 1000;
  return `${prefix}${sec < 10 ? '0' : ''}${sec}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}

/**
 * A zone name in a comment where the zone should be: `00:19:00 (EDT) -0400` (RFC 3798's own example) or
 * `00:19:00 (EDT)` alone. The offset after the comment wins, and a name that disagrees with it is warned
 * about; a comment alone is read as its zone, with a warning, rather than as no zone at all (UTC).
 */
function readCommentedZone(s: string, pos: number, warnings: string[]): Zone | null {
  const c = at(RE.commentZone, s, pos);
  if (!c) return null;
  const after = RE.commentZone.lastIndex;
  const named = lookupZone(c[1]!);
  const own: string[] = [];
  const num = readZone(s, after, own);
  if (num) {
    warnings.push(...own);
    if (named && !Number.isNaN(num.minutes) && named.minutes !== num.minutes && !named.note) {
      warnings.push(`zone comment "(${c[1]!.toUpperCase()})" disagrees with the offset ${num.offset}; the offset is used`);
    }
    return num;
  }
  if (!named) return null;
  const z = readZone(s, s.indexOf(c[1]!, pos), warnings);
  if (!z) return null;
  warnings.push(`zone taken from the comment "(${c[1]!.toUpperCase()})": read as ${z.offset}`);
  return { ...z, end: after };
}

/** Try to read a date starting exactly at `start` (leading whitespace allowed). */
export function matchDateAt(s: string, start: number): LocatedDate | null {
  const warnings: string[] = [];
  let p = skipWs(s, start);
  const begin = p;
  const common = readCommonDate(s, p);
  if (common) {
    const zone: Zone = { minutes: common.zoneMinutes, offset: common.offset, end: common.end };
    const cf: Fields = {
      y: common.y, yearText: common.yearText, mo: common.mo, d: common.d, h: common.h, mi: common.mi, sec: common.sec,
      frac: '', wd: common.wd, zone,
    };
    const { date, offset } = computeDate(cf, warnings);
    return { date, offset, raw: s.slice(begin, common.end), start: begin, end: common.end, warnings };
  }
  let wd = -1;
  const w = at(RE.weekday, s, p);
  if (w && weekdayIndex(w[1]!) >= 0) {
    wd = weekdayIndex(w[1]!);
    p = skipWs(s, RE.weekday.lastIndex);
  }
  const f: Fields = { y: 0, yearText: '', mo: -1, d: 0, h: 0, mi: 0, sec: 0, frac: '', wd, zone: null };
  let asctime = false;
  let m: RegExpExecArray | null;
  if ((m = at(RE.iso, s, p))) {
    f.y = Number(m[1]);
    f.yearText = m[1]!;
    f.mo = Number(m[2]) - 1;
    f.d = Number(m[3]);
    p = RE.iso.lastIndex;
  } else if ((m = at(RE.dmy, s, p)) && monthIndex(m[2]!) >= 0) {
    f.d = Number(m[1]);
    f.mo = monthIndex(m[2]!);
    f.y = Number(m[3]);
    f.yearText = m[3]!;
    const dateEnd = RE.dmy.lastIndex;
    p = skipWs(s, dateEnd);
    if (!at(RE.time, s, p)) {
      const raw = s.slice(begin, dateEnd);
      return { date: null, offset: null, raw, start: begin, end: dateEnd, warnings: [`date "${raw}" has no time of day; not used`] };
    }
  } else if ((m = at(RE.md, s, p)) && monthIndex(m[1]!) >= 0) {
    f.mo = monthIndex(m[1]!);
    f.d = Number(m[2]);
    p = RE.md.lastIndex;
    asctime = true;
  } else {
    return null;
  }
  const t = at(RE.time, s, p);
  if (!t) return null;
  f.h = Number(t[1]);
  f.mi = Number(t[2]);
  f.sec = t[3] === undefined ? 0 : Number(t[3]);
  f.frac = t[4] ?? '';
  let end = RE.time.lastIndex;
  f.zone = readZone(s, end, warnings) ?? readCommentedZone(s, end, warnings);
  if (f.zone) end = f.zone.end;
  if (asctime) {
    const y = at(RE.year, s, skipWs(s, end));
    if (!y) return null;
    f.y = Number(y[1]);
    f.yearText = y[1]!;
    end = RE.year.lastIndex;
    if (!f.zone) {
      f.zone = readZone(s, end, warnings);
      if (f.zone) end = f.zone.end;
    }
  }
  if (at(RE.commentZone, s, end)) end = RE.commentZone.lastIndex;
  if (at(RE.goMonotonic, s, end)) end = RE.goMonotonic.lastIndex;
  const { date, offset } = computeDate(f, warnings);
  return { date, offset, raw: s.slice(begin, end), start: begin, end, warnings };
}

/** The `;` outside comments that comes last before `before`, or -1. Scans backwards, jumping over matched
 *  `(…)` pairs: the same `;`s a forward scan that skips each matched comment would find, since matched pairs
 *  never cross. */
function prevTopLevelSemicolon(s: string, match: Int32Array, before: number): number {
  for (let i = before - 1; i >= 0; i--) {
    const c = s.charCodeAt(i);
    if (c === 0x3b) return i;
    if (c === 0x29) {
      const open = match[i] ?? -1;
      if (open >= 0 && open < i) i = open;
    }
  }
  return -1;
}

/** How many `;` (from the last) are tried, and how far back from the end a date may start. */
const SEMICOLONS_TRIED = 5;
const END_WINDOW = 160;

/** Locate the date in a (unfolded) Received value. */
export function locateReceivedDate(s: string, match: Int32Array = matchParens(s)): LocatedDate | null {
  let semi = s.length;
  for (let tried = 0; tried < SEMICOLONS_TRIED; tried++) {
    semi = prevTopLevelSemicolon(s, match, semi);
    if (semi < 0) break;
    let p = semi + 1;
    // Skip whitespace and comments between `;` and the date.
    for (;;) {
      p = skipWs(s, p);
      if (s.charCodeAt(p) === 0x28 && (match[p] ?? -1) > p) p = match[p]! + 1;
      else break;
    }
    const d = matchDateAt(s, p);
    if (d) return d;
  }
  // No `;` before the date (SendGrid, some Exchange and qmail-scanner headers): the date ends the header,
  // possibly followed by comments. Take the leftmost start in the last END_WINDOW chars that reaches the end.
  let e = s.length;
  for (;;) {
    while (e > 0 && isSpaceCode(s.charCodeAt(e - 1))) e--;
    if (e > 0 && s.charCodeAt(e - 1) === 0x29 && (match[e - 1] ?? -1) >= 0 && match[e - 1]! < e - 1) e = match[e - 1]!;
    else break;
  }
  for (let p = Math.max(0, e - END_WINDOW); p < e; p++) {
    const c = s.charCodeAt(p);
    const prev = p === 0 ? 0x20 : s.charCodeAt(p - 1);
    const wordStart = isSpaceCode(prev) || prev === 0x3b || prev === 0x2c || prev === 0x28;
    const alnum = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (!wordStart || !alnum) continue;
    const d = matchDateAt(s, p);
    if (d && d.end >= e) return d;
  }
  return null;
}

/** Read the date of a Received header value (or of a bare date string). */
export function parseReceivedDate(text: string): ReceivedDate {
  const s = unfold(text);
  const d = locateReceivedDate(s);
  if (!d) return { date: null, offset: null, raw: null, warnings: ['no date found'] };
  return { date: d.date, offset: d.offset, raw: d.raw, warnings: d.warnings };
}
