// The syslog prefix shared by Postfix, Sendmail and syslogged Exim lines:
//   classic (RFC 3164 style)  `Mmm dd HH:MM:SS host prog[pid]: msg`   — no year, no zone: both come from ctx
//   RFC 3339 (rsyslog, postlog) `2026-11-22T13:51:43.123456+00:00 host prog[pid]: msg`
// Pure and linear: fixed-position reads and indexOf, no regex. Returns null when the line has no such prefix.

import type { LineContext, TimeBasis } from '../../model/log-event.js';
import { dayStartMs, describeAssumption, isoFromMs, monthAtStart, wallToUtcMs } from './log-time.js';

export interface SyslogPrefix {
  time: string | null;
  timeBasis: TimeBasis;
  timeAssumption: string | null;
  /** Host field; null when the line went straight from time to `prog[pid]:`. */
  host: string | null;
  /** Tag without the pid: `postfix/smtpd`, `postfix-out/smtp`, `sm-mta`, `exim`. */
  program: string;
  pid: number | null;
  /** Index in the line where the message (after `prog[pid]: `) starts. */
  msgStart: number;
}

function digit(line: string, i: number): number {
  const c = line.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

function num2(line: string, i: number): number {
  const a = digit(line, i), b = digit(line, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

/** `HH:MM:SS` at i, as seconds of the day, or -1. */
export function readClock(line: string, i: number): number {
  const h = num2(line, i), m = num2(line, i + 3), s = num2(line, i + 6);
  if (h < 0 || m < 0 || s < 0 || line.charCodeAt(i + 2) !== 58 || line.charCodeAt(i + 5) !== 58) return -1;
  if (h > 23 || m > 59 || s > 60) return -1;
  return h * 3600 + m * 60 + s;
}

/** `YYYY-MM-DD` at i, as [year, month0, day], or null. */
export function readDate(line: string, i: number): [number, number, number] | null {
  const y1 = num2(line, i), y2 = num2(line, i + 2), mo = num2(line, i + 5), d = num2(line, i + 8);
  if (y1 < 0 || y2 < 0 || mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  if (line.charCodeAt(i + 4) !== 45 || line.charCodeAt(i + 7) !== 45) return null;
  return [y1 * 100 + y2, mo - 1, d];
}

interface HostTag { host: string | null; program: string; pid: number | null; msgStart: number }

/**
 * The last host and the recent program names, handed out again when a line repeats them: a log has one host
 * and a handful of programs, and reusing the same string saves a slice per field per line and lets the maps
 * downstream (service lookup, string interning) use its cached hash. Bounded: RECENT_PROGRAMS entries.
 */
let lastHost = '';
const RECENT_PROGRAMS = 16;
const recentPrograms: string[] = [];

/** `line` holds exactly `s` from i to end (a char loop: measured faster here than startsWith or a slice). */
function sameAt(line: string, i: number, end: number, s: string): boolean {
  if (end - i !== s.length) return false;
  for (let j = s.length - 1; j >= 0; j--) if (s.charCodeAt(j) !== line.charCodeAt(i + j)) return false;
  return true;
}

/** Longer names are sliced and not remembered (a hostile line must not stay alive in this cache). */
const REMEMBER_MAX = 255;

function sliceHost(line: string, i: number, end: number): string {
  if (end - i > REMEMBER_MAX) return line.slice(i, end);
  if (sameAt(line, i, end, lastHost)) return lastHost;
  lastHost = line.slice(i, end);
  return lastHost;
}

function sliceProgram(line: string, i: number, end: number): string {
  if (end - i > REMEMBER_MAX) return line.slice(i, end);
  for (let k = 0; k < recentPrograms.length; k++) {
    const p = recentPrograms[k]!;
    if (sameAt(line, i, end, p)) return p;
  }
  const p = line.slice(i, end);
  if (recentPrograms.length >= RECENT_PROGRAMS) recentPrograms.pop();
  recentPrograms.unshift(p);
  return p;
}

/**
 * Reads `host prog[pid]: ` starting at i, in one pass over the tag. Returns null when the tag is not there.
 * The tag ends at the first `: ` (or a final `:`); it must not contain a space.
 */
function readHostAndTag(line: string, i: number): HostTag | null {
  // BSD syslogd with `-v` writes the facility before the host: `Jun 17 14:37:39 <mail.notice> robin sm-mta[2794]: …`.
  if (line.charCodeAt(i) === 60 /* < */) {
    const gt = line.indexOf('> ', i);
    if (gt > i && gt - i < 32) i = gt + 2;
  }
  const sp = line.indexOf(' ', i);
  if (sp < 0) return null;
  let host: string | null = null;
  let tagStart = sp + 1;
  // A line may skip the host (`Mmm dd HH:MM:SS prog[pid]: msg`): the first word is then the tag itself.
  if (line.charCodeAt(sp - 1) === 58 /* : */) tagStart = i;
  else host = sliceHost(line, i, sp);
  let lb = -1;
  let k = tagStart;
  const n = line.length;
  for (; k < n; k++) {
    const c = line.charCodeAt(k);
    if (c === 58 && (k + 1 === n || line.charCodeAt(k + 1) === 32)) break;
    if (c === 32) return null;
    if (c === 91 && lb < 0) lb = k;
  }
  if (k >= n || k <= tagStart) return null;
  let program: string, pid: number | null = null;
  if (lb > tagStart && line.charCodeAt(k - 1) === 93 /* ] */) {
    program = sliceProgram(line, tagStart, lb);
    let v = 0, d = 0;
    for (let q = lb + 1; q < k - 1; q++) {
      const c = line.charCodeAt(q) - 48;
      if (c < 0 || c > 9 || d > 12) { d = -1; break; }
      v = v * 10 + c; d++;
    }
    pid = d > 0 ? v : null;
  } else {
    program = sliceProgram(line, tagStart, k);
  }
  return { host, program, pid, msgStart: Math.min(k + 2, n) };
}

function withTime(ht: HostTag, time: string | null, timeBasis: TimeBasis, timeAssumption: string | null): SyslogPrefix {
  return { time, timeBasis, timeAssumption, host: ht.host, program: ht.program, pid: ht.pid, msgStart: ht.msgStart };
}

let cacheKey = '';
let cacheIso: string | null = null;
let cacheCtx: LineContext | null = null;

/** The timestamp of a classic syslog line: ISO string, or null with the reason left to `describeAssumption`. */
function classicTime(line: string, month: number, day: number, secs: number, ctx: LineContext): string | null {
  const key = line.slice(0, 15);
  if (key === cacheKey && ctx.year === cacheCtx?.year && ctx.tz === cacheCtx?.tz) return cacheIso;
  let iso: string | null = null;
  if (typeof ctx.year === 'number' && Number.isInteger(ctx.year)) {
    const wall = dayStartMs(ctx.year, month, day) + secs * 1000;
    const utc = wallToUtcMs(wall, ctx.tz, ctx);
    iso = utc === null || !Number.isFinite(utc) ? null : isoFromMs(utc);
  }
  cacheKey = key; cacheIso = iso; cacheCtx = ctx;
  return iso;
}

/** Index just after the zone of the last timestamp `readRfc3339` accepted. */
let rfcEnd = 0;

/**
 * `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH[:]MM)` at the start of the line: the ISO UTC time (ms precision, finer
 * fractions truncated), or null. The end of the timestamp is left in `rfc3339End()`.
 */
export function readRfc3339(line: string): string | null {
  if (line.length < 20) return null;
  if (line.charCodeAt(4) !== 45 || line.charCodeAt(7) !== 45 || line.charCodeAt(10) !== 84 || line.charCodeAt(13) !== 58 || line.charCodeAt(16) !== 58) return null;
  // Two digits at p, or -1: `>>> 0` folds "below '0'" into "above '9'" (length was checked, so no NaN here).
  const d2 = (p: number): number => {
    const a = (line.charCodeAt(p) - 48) >>> 0, b = (line.charCodeAt(p + 1) - 48) >>> 0;
    return a <= 9 && b <= 9 ? a * 10 + b : -1;
  };
  const y1 = d2(0), y2 = d2(2), mo = d2(5), d = d2(8), h = d2(11), mi = d2(14), se = d2(17);
  if (y1 < 0 || y2 < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60) return null;
  let i = 19;
  let ms = 0;
  if (line.charCodeAt(i) === 46 /* . */) {
    let j = i + 1, k = 0;
    while (j < line.length && j < i + 10) {
      const c = digit(line, j);
      if (c < 0) break;
      if (k < 3) { ms = ms * 10 + c; k++; }
      j++;
    }
    while (k < 3) { ms *= 10; k++; }
    i = j;
  }
  let offMin = 0;
  const z = line.charCodeAt(i);
  if (z === 90 /* Z */) rfcEnd = i + 1;
  else if (z === 43 || z === 45) {
    const hasColon = line.charCodeAt(i + 3) === 58;
    const oh = num2(line, i + 1), om = num2(line, i + (hasColon ? 4 : 3));
    if (oh < 0 || om < 0 || oh > 23 || om > 59) return null;
    offMin = (z === 45 ? -1 : 1) * (oh * 60 + om);
    rfcEnd = i + (hasColon ? 6 : 5);
  } else return null;
  return isoFromMs(dayStartMs(y1 * 100 + y2, mo - 1, d) + ((h * 60 + mi - offMin) * 60 + se) * 1000 + ms);
}

export function rfc3339End(): number {
  return rfcEnd;
}

/** Parses the syslog prefix of a line, classic or RFC 3339. */
export function parseSyslogPrefix(line: string, ctx: LineContext): SyslogPrefix | null {
  const c0 = line.charCodeAt(0);
  if (c0 >= 48 && c0 <= 57) {
    const t = readRfc3339(line);
    if (t === null || line.charCodeAt(rfcEnd) !== 32) return null;
    const ht = readHostAndTag(line, rfcEnd + 1);
    if (ht === null) return null;
    return withTime(ht, t, 'explicit-zone', null);
  }
  const month = monthAtStart(line);
  if (month < 0 || line.charCodeAt(3) !== 32) return null;
  // Day: `dd`, ` d` (padded) or `d` (unpadded, seen in fail2ban samples).
  let i = 4;
  if (line.charCodeAt(i) === 32) i++;
  let day = digit(line, i);
  if (day < 0) return null;
  i++;
  const d2 = digit(line, i);
  if (d2 >= 0) { day = day * 10 + d2; i++; }
  if (day < 1 || day > 31 || line.charCodeAt(i) !== 32) return null;
  const secs = readClock(line, i + 1);
  if (secs < 0) return null;
  i += 9;
  if (line.charCodeAt(i) === 46) { i++; while (digit(line, i) >= 0) i++; } // `.123` high-precision classic
  if (line.charCodeAt(i) !== 32) return null;
  const ht = readHostAndTag(line, i + 1);
  if (ht === null) return null;
  const time = classicTime(line, month, day, secs, ctx);
  if (time === null) {
    const why = typeof ctx.year === 'number' ? `zone '${String(ctx.tz)}' not recognised` : 'no year known for a classic syslog timestamp';
    return withTime(ht, null, 'unknown', why);
  }
  return withTime(ht, time, 'assumed-year-and-zone', describeAssumption(ctx, true));
}

/**
 * Share (0..1) of non-empty sample lines that `hit` accepts, given each line and its syslog prefix (null when it
 * has none): the detectors of the syslog formats score by it, each with its own test of the program.
 */
export function shareOfLines(sampleLines: string[], hit: (line: string, p: SyslogPrefix | null, ctx: LineContext) => boolean): number {
  const ctx: LineContext = { line: 0, offset: 0, year: 2000 };
  let n = 0, hits = 0;
  for (const l of sampleLines) {
    if (l.length === 0) continue;
    n++;
    if (hit(l, parseSyslogPrefix(l, ctx), ctx)) hits++;
  }
  return n === 0 ? 0 : hits / n;
}

/** Share (0..1) of non-empty sample lines that carry a syslog prefix. Format parsers refine this by program name. */
export function detectSyslogPrefix(sampleLines: string[]): number {
  return shareOfLines(sampleLines, (_l, p) => p !== null);
}
