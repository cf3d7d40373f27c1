// Shared readers for the vendor exports (Exchange message tracking, Microsoft 365 message trace, Google
// Workspace Email Log Search): one CSV record per line (RFC 4180 quoting), header names normalised for
// lookup, and the date forms these exports use. Pure; linear scans only.

import type { LineContext, LogEvent, LogFormat, TimeBasis } from '../../model/log-event.js';
import { describeAssumption, isoFromMs, wallToUtcMs } from './log-time.js';
import { newEvent } from './fields.js';

/**
 * Fields of one CSV record (RFC 4180: `"` quotes, `""` inside quotes). Returns null when a quoted field is
 * still open at the end of the text: the record continues on the next line.
 */
export function parseCsvRecord(s: string, sep = ','): string[] | null {
  const out: string[] = [];
  const sc = sep.charCodeAt(0);
  let i = 0;
  const n = s.length;
  for (;;) {
    if (s.charCodeAt(i) === 34 /* " */) {
      let v = '';
      let j = i + 1;
      for (;;) {
        const q = s.indexOf('"', j);
        if (q < 0) return null;
        v += s.slice(j, q);
        if (s.charCodeAt(q + 1) === 34) { v += '"'; j = q + 2; continue; }
        i = q + 1;
        break;
      }
      // Anything between the closing quote and the separator is kept (lenient, as spreadsheet tools are).
      const e = s.indexOf(sep, i);
      if (e < 0) { out.push(v + s.slice(i)); return out; }
      out.push(v + s.slice(i, e));
      i = e + 1;
    } else {
      let e = i;
      while (e < n && s.charCodeAt(e) !== sc) e++;
      out.push(s.slice(i, e));
      if (e >= n) return out;
      i = e + 1;
    }
    if (out.length > 512) return out;
  }
}

/** Header name → lookup key: lower case, letters and digits only (`Sender Address`, `sender_address`, `sender-address` → `senderaddress`). */
export function normKey(h: string): string {
  return h.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Column index by normalised header name; the first alias present wins. */
export class Columns {
  private readonly idx = new Map<string, number>();
  constructor(readonly names: string[]) {
    names.forEach((n, i) => { const k = normKey(n.replace(/^\uFEFF/, '')); if (!this.idx.has(k)) this.idx.set(k, i); });
  }
  has(...aliases: string[]): boolean {
    return aliases.some((a) => this.idx.has(a));
  }
  get(row: string[], ...aliases: string[]): string | null {
    for (const a of aliases) {
      const i = this.idx.get(a);
      if (i !== undefined) {
        const v = row[i];
        if (v === undefined) return null;
        const t = v.trim();
        return t === '' || t === 'N/A' ? null : t;
      }
    }
    return null;
  }
}

const ZONES = new Map<string, number>([
  ['UTC', 0], ['GMT', 0], ['Z', 0], ['PST', -480], ['PDT', -420], ['MST', -420], ['MDT', -360], ['CST', -360], ['CDT', -300],
  ['EST', -300], ['EDT', -240], ['CET', 60], ['CEST', 120], ['BST', 60], ['IST', 330], ['JST', 540],
]);
const MON = new Map<string, number>(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((m, i) => [m, i]));

export interface VendorTime { time: string | null; basis: TimeBasis; assumption: string | null }

/** `Z`, `UTC`, `GMT+2`, `GMT-07:00`, `+0100`, `-05:00`, `PDT` → minutes east of UTC; undefined when not a zone. */
function zoneMinutes(z: string): number | undefined {
  const named = ZONES.get(z.toUpperCase());
  if (named !== undefined) return named;
  const m = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(z);
  if (m === null) return undefined;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/**
 * The date forms seen in these exports: ISO 8601 (`2026-11-24T18:30:00.1234567Z`, `…+01:00`, or without a zone),
 * `2026/11/24 18:30:00 [zone]`, `11/24/2026 6:30:00 PM [zone]` (US order, as Microsoft's en-US exports write it),
 * `Nov 24, 2026, 6:30:00 PM [zone]`. Without a zone the caller's zone applies and the time says it was assumed.
 */
export function parseVendorTime(raw: string | null, ctx: LineContext): VendorTime {
  if (raw === null) return { time: null, basis: 'unknown', assumption: 'no date in the record' };
  const s = raw.trim().replace(/\s+/g, ' ');
  let y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0, ms = 0;
  let rest = '';
  let m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)? ?(.*)$/.exec(s);
  if (m !== null) {
    y = Number(m[1]); mo = Number(m[2]) - 1; d = Number(m[3]); h = Number(m[4]); mi = Number(m[5]); se = Number(m[6] ?? 0);
    ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0; rest = m[8] ?? '';
  } else {
    m = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),? (\d{1,2}):(\d{2})(?::(\d{2}))? ?([AaPp][Mm])? ?(.*)$/.exec(s);
    let ampm: string | undefined;
    if (m !== null) {
      mo = Number(m[1]) - 1; d = Number(m[2]); y = Number(m[3]); h = Number(m[4]); mi = Number(m[5]); se = Number(m[6] ?? 0); ampm = m[7]; rest = m[8] ?? '';
    } else {
      m = /^([A-Za-z]{3})[a-z]* (\d{1,2}),? (\d{4}),? (\d{1,2}):(\d{2})(?::(\d{2}))? ?([AaPp][Mm])? ?(.*)$/.exec(s);
      if (m === null) return { time: null, basis: 'unknown', assumption: `date not understood: ${s.slice(0, 40)}` };
      const mm = MON.get(m[1]!.toLowerCase());
      if (mm === undefined) return { time: null, basis: 'unknown', assumption: `date not understood: ${s.slice(0, 40)}` };
      mo = mm; d = Number(m[2]); y = Number(m[3]); h = Number(m[4]); mi = Number(m[5]); se = Number(m[6] ?? 0); ampm = m[7]; rest = m[8] ?? '';
    }
    if (ampm !== undefined) {
      const pm = ampm.toLowerCase() === 'pm';
      if (h === 12) h = pm ? 12 : 0; else if (pm) h += 12;
    }
  }
  if (mo < 0 || mo > 11 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return { time: null, basis: 'unknown', assumption: `date out of range: ${s.slice(0, 40)}` };
  const wall = Date.UTC(y, mo, d, h, mi, se, ms);
  const zone = rest.trim().replace(/^\(|\)$/g, '');
  if (zone !== '') {
    const off = zoneMinutes(zone);
    if (off !== undefined) return { time: isoFromMs(wall - off * 60000), basis: 'explicit-zone', assumption: null };
  }
  const utc = wallToUtcMs(wall, ctx.tz, ctx);
  if (utc === null) return { time: null, basis: 'unknown', assumption: `zone '${String(ctx.tz)}' not recognised` };
  return { time: isoFromMs(utc), basis: 'assumed-zone', assumption: describeAssumption(ctx, false) };
}

/** A fresh vendor event with the time set. */
export function vendorEvent(format: LogFormat, ctx: LineContext, t: VendorTime): LogEvent {
  const ev = newEvent(format, ctx, null);
  ev.time = t.time; ev.timeBasis = t.basis; ev.timeAssumption = t.assumption;
  return ev;
}

/** `<id@host>` → `id@host`. */
export function bareId(v: string | null): string | null {
  if (v === null) return null;
  return v.length >= 2 && v.startsWith('<') && v.endsWith('>') ? v.slice(1, -1) : v;
}

/** `a@x;b@y` or `a@x, b@y` → `a@x,b@y`. */
export function joinAddrs(v: string | null): string | null {
  if (v === null) return null;
  const parts = v.split(/[;,]/).map((p) => bareId(p.trim())!).filter((p) => p !== '');
  return parts.length === 0 ? null : parts.slice(0, 100).join(',');
}

/** Minimal CSV line reader state for exports whose records may span lines (quoted newlines). */
export class RecordJoiner {
  private pending: string | null = null;
  private pendingCtx: LineContext | null = null;
  /** Returns the fields and the context of the record's first line, or null while a record is still open. */
  push(line: string, ctx: LineContext, sep = ','): { fields: string[]; ctx: LineContext } | null {
    const text = this.pending === null ? line : `${this.pending}\n${line}`;
    const first = this.pendingCtx ?? ctx;
    const fields = parseCsvRecord(text, sep);
    if (fields === null && text.length < 65536) {
      this.pending = text;
      this.pendingCtx = this.pendingCtx ?? { ...ctx };
      return null;
    }
    this.pending = null;
    this.pendingCtx = null;
    return { fields: fields ?? text.split(sep), ctx: first };
  }
}
