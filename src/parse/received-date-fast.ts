// Fast path for the date shape nearly every MTA writes last in its Received header (RFC 5322 §3.3):
//   [Www, ]D[D] Mon YYYY HH:MM:SS ±HHMM<end of text>
// with single spaces, a known three-letter weekday and month, a valid zone offset, and nothing after it.
// Pure, no regex. It accepts only text that the general reader in received-date.ts reads into the same
// fields and span (the caller then checks and computes the date the same way); anything else, including an
// out-of-range zone offset, gives null and the caller falls back to the general reader.

export interface CommonDate {
  wd: number;
  d: number;
  mo: number;
  y: number;
  yearText: string;
  h: number;
  mi: number;
  sec: number;
  zoneMinutes: number;
  offset: string;
  /** Always the end of the text. */
  end: number;
}

/** Three ASCII letters, lower-cased, packed into one number. */
function key3(a: number, b: number, c: number): number {
  return ((a | 0x20) << 16) | ((b | 0x20) << 8) | (c | 0x20);
}

function table(names: string[]): Map<number, number> {
  const m = new Map<number, number>();
  names.forEach((n, i) => m.set(key3(n.charCodeAt(0), n.charCodeAt(1), n.charCodeAt(2)), i));
  return m;
}

const WEEKDAY3 = table(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']);
const MONTH3 = table(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']);

function isLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c >= 0x30 && c <= 0x39 ? c - 0x30 : -1;
}

/** Two digits at i as a number, or -1. */
function two(s: string, i: number): number {
  const a = digit(s, i);
  const b = digit(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

/** Read the common shape starting exactly at `p` (no leading whitespace), or null. */
export function readCommonDate(s: string, p: number): CommonDate | null {
  let wd = -1;
  if (isLetter(s.charCodeAt(p))) {
    const a = s.charCodeAt(p);
    const b = s.charCodeAt(p + 1);
    const c = s.charCodeAt(p + 2);
    if (!isLetter(b) || !isLetter(c) || s.charCodeAt(p + 3) !== 0x2c || s.charCodeAt(p + 4) !== 0x20) return null;
    wd = WEEKDAY3.get(key3(a, b, c)) ?? -1;
    if (wd < 0) return null;
    p += 5;
  }
  // Day: one or two digits, then one space.
  let d = digit(s, p);
  if (d < 0) return null;
  p++;
  const d2 = digit(s, p);
  if (d2 >= 0) {
    d = d * 10 + d2;
    p++;
  }
  if (s.charCodeAt(p) !== 0x20) return null;
  // Month: three letters, then one space.
  const a = s.charCodeAt(p + 1);
  const b = s.charCodeAt(p + 2);
  const c = s.charCodeAt(p + 3);
  if (!isLetter(a) || !isLetter(b) || !isLetter(c) || s.charCodeAt(p + 4) !== 0x20) return null;
  const mo = MONTH3.get(key3(a, b, c));
  if (mo === undefined) return null;
  p += 5;
  // Year: four digits, then one space.
  const y1 = two(s, p);
  const y2 = two(s, p + 2);
  if (y1 < 0 || y2 < 0 || s.charCodeAt(p + 4) !== 0x20) return null;
  const yearText = s.slice(p, p + 4);
  p += 5;
  // Time: HH:MM:SS, then one space.
  const h = two(s, p);
  const mi = two(s, p + 3);
  const sec = two(s, p + 6);
  if (h < 0 || mi < 0 || sec < 0 || s.charCodeAt(p + 2) !== 0x3a || s.charCodeAt(p + 5) !== 0x3a || s.charCodeAt(p + 8) !== 0x20) {
    return null;
  }
  p += 9;
  // Zone: ±HHMM (a valid offset) ending the text.
  const sign = s.charCodeAt(p);
  const zh = two(s, p + 1);
  const zm = two(s, p + 3);
  if ((sign !== 0x2b && sign !== 0x2d) || zh < 0 || zm < 0 || zh > 23 || zm > 59 || p + 5 !== s.length) return null;
  return {
    wd, d, mo, y: y1 * 100 + y2, yearText, h, mi, sec,
    zoneMinutes: (sign === 0x2d ? -1 : 1) * (zh * 60 + zm),
    offset: s.slice(p, p + 5),
    end: s.length,
  };
}
