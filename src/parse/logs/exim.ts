// Exim mainlog/rejectlog lines → LogEvent (Exim spec, chapter "Log files": `<=` arrival, `=>` delivery, `->` extra
// address, `*>` suppressed delivery, `==` deferral, `**` failure, `Completed`, rejections).
// Accepted shapes: Exim's own `2026-11-20 14:00:05[.mmm][ +hhmm] [pid] 1abcDE-000Xyz-AB …`, the same behind a
// syslog prefix (`Nov 20 14:00:05 host exim[123]: …`, with or without Exim's own date after it), and the
// journal/syslog-ng variants seen in fail2ban samples (`host exim[pid]: 2021-07-17 23:20:49 …`,
// `2019-10-22 03:39:17 host exim[pid]: …`). Rejectlog header dumps (no timestamp) are noise.
// Pure and linear: one forward token scan, quoted values skipped whole.

import type { LineContext, LogEndpoint, LogEvent } from '../../model/log-event.js';
import { clip, cleanIp, indexWithin, newEvent, replyDsn, toInt } from './fields.js';
import { dayStartMs, describeAssumption, isoFromMs, wallToUtcMs } from './log-time.js';
import { parseRemoteQueueId } from './remote-queue-id.js';
import { authDetail } from './submission-auth.js';
import { parseSyslogPrefix, readClock, readDate, shareOfLines, type SyslogPrefix } from './syslog-prefix.js';

function isB62(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Length of an Exim message id at i (16: `1abcDE-000Xyz-AB`, 23: `10HmaY-000000005vi-0000`) followed by a space or end; else 0. */
export function eximIdLength(s: string, i: number): number {
  for (const [a, b, c] of [[6, 6, 2], [6, 11, 4]] as const) {
    const len = a + b + c + 2;
    if (s.charCodeAt(i + a) !== 45 || s.charCodeAt(i + a + 1 + b) !== 45) continue;
    const after = s.charCodeAt(i + len);
    if (!(Number.isNaN(after) || after === 32)) continue;
    let ok = true;
    for (let k = 0; k < len && ok; k++) if (k !== a && k !== a + 1 + b && !isB62(s.charCodeAt(i + k))) ok = false;
    if (ok) return len;
  }
  return 0;
}

interface EximTime { time: string | null; basis: 'explicit-zone' | 'assumed-zone' | 'unknown'; assumption: string | null; end: number }

/** Exim's own `YYYY-MM-DD HH:MM:SS[.mmm][ ±hhmm]` at i. */
function readEximTime(s: string, i: number, ctx: LineContext): EximTime | null {
  const d = readDate(s, i);
  if (d === null || s.charCodeAt(i + 10) !== 32) return null;
  const secs = readClock(s, i + 11);
  if (secs < 0) return null;
  let j = i + 19;
  let ms = 0;
  if (s.charCodeAt(j) === 46) {
    const frac = s.slice(j + 1, j + 4);
    if (/^\d{3}$/.test(frac)) { ms = Number(frac); j += 4; }
  }
  const wall = dayStartMs(d[0], d[1], d[2]) + secs * 1000 + ms;
  const z = s.charCodeAt(j + 1);
  if (s.charCodeAt(j) === 32 && (z === 43 || z === 45) && /^\d{4}$/.test(s.slice(j + 2, j + 6)) && s.charCodeAt(j + 6) === 32) {
    const off = (z === 45 ? -1 : 1) * (Number(s.slice(j + 2, j + 4)) * 60 + Number(s.slice(j + 4, j + 6)));
    return { time: isoFromMs(wall - off * 60000), basis: 'explicit-zone', assumption: null, end: j + 6 };
  }
  const utc = wallToUtcMs(wall, ctx.tz, ctx);
  if (utc === null) return { time: null, basis: 'unknown', assumption: `zone '${String(ctx.tz)}' not recognised`, end: j };
  return { time: isoFromMs(utc), basis: 'assumed-zone', assumption: describeAssumption(ctx, false), end: j };
}

/** `host exim[pid]: ` at i (syslog-ng/journal variants); returns host, program, pid and the message start. */
function readHostTag(s: string, i: number): { host: string; program: string; pid: number | null; end: number } | null {
  const sp = s.indexOf(' ', i);
  if (sp < 0 || sp - i > 255) return null;
  const colon = s.indexOf(': ', sp + 1);
  if (colon < 0 || colon - sp > 40) return null;
  const tag = s.slice(sp + 1, colon);
  if (!tag.startsWith('exim') || tag.includes(' ')) return null;
  const lb = tag.indexOf('[');
  const pid = lb > 0 && tag.endsWith(']') ? toInt(tag.slice(lb + 1, -1)) : null;
  return { host: s.slice(i, sp), program: lb > 0 ? tag.slice(0, lb) : tag, pid, end: colon + 2 };
}

/**
 * Where the next `)` at or after a position is, remembered across the `H=` values of one line: a hostile line of
 * many `H=(` would otherwise scan up to 512 characters for each (properties.test.ts, "2 MB hostile line").
 */
export interface ParenCursor { from: number; at: number }

/** Same answer as indexWithin(s, ')', j, max); with a cursor, linear over all the calls on one line. */
function closeParenWithin(s: string, j: number, max: number, cur: ParenCursor | undefined): number {
  if (cur === undefined) return indexWithin(s, 41 /* ) */, j, max);
  if (j < cur.from || (cur.at >= 0 && cur.at < j)) {
    cur.from = j;
    cur.at = s.indexOf(')', j);
  }
  return cur.at >= 0 && cur.at < j + max ? cur.at : -1;
}

/** Exim `H=` value: `host (helo) [ip]:port`, `(helo) [ip]`, `[ip]:port`, `host [ip]`. */
export function readEximHost(s: string, i: number, paren?: ParenCursor): { ep: LogEndpoint; end: number } {
  let j = i;
  let host: string | null = null;
  const c = s.charCodeAt(j);
  if (c !== 40 && c !== 91) {
    let e = j;
    while (e < s.length && s.charCodeAt(e) !== 32 && e - j < 256) e++;
    host = s.slice(j, e);
    j = e;
    if (s.charCodeAt(j) === 32 && (s.charCodeAt(j + 1) === 40 || s.charCodeAt(j + 1) === 91)) j++;
  }
  if (s.charCodeAt(j) === 40) { // (helo) — may itself contain brackets: ([192.168.2.33])
    const rp = closeParenWithin(s, j, 512, paren);
    if (rp > 0) { j = rp + 1; if (s.charCodeAt(j) === 32 && s.charCodeAt(j + 1) === 91) j++; }
  }
  let ip: string | null = null, port: number | null = null;
  if (s.charCodeAt(j) === 91) {
    const rb = indexWithin(s, 93 /* ] */, j, 64);
    if (rb > 0) {
      ip = cleanIp(s.slice(j + 1, rb));
      j = rb + 1;
      if (s.charCodeAt(j) === 58) {
        let e = j + 1;
        while (e < s.length && e - j < 7 && s.charCodeAt(e) >= 48 && s.charCodeAt(e) <= 57) e++;
        if (e > j + 1) { port = Number(s.slice(j + 1, e)); j = e; }
      }
    }
  }
  return { ep: { host, ip, port }, end: j };
}

/** A quoted value `"…"` (backslash escapes kept) at i; returns [inner, end]. */
function readQuoted(s: string, i: number): [string, number] {
  let j = i + 1;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (c === 92) { j += 2; continue; }
    if (c === 34) return [s.slice(i + 1, j), j + 1];
    j++;
  }
  return [s.slice(i + 1), s.length];
}

const KEYS = new Set(['H', 'F', 'R', 'T', 'S', 'id', 'U', 'P', 'C', 'X', 'I', 'CV', 'DN', 'K', 'QT', 'DT', 'Ci', 'SNI', 'A', 'M8S', 'RT', 'DKIM', 'SPF']);

interface EximFields { vals: Map<string, string>; host: { ep: LogEndpoint } | null; forAt: number }

/** One pass over `KEY=value` tokens; free words are skipped. `for` (arrivals) stops the scan at the recipients. */
function scanFields(s: string, start: number, stopAtFor: boolean): EximFields {
  const vals = new Map<string, string>();
  let host: { ep: LogEndpoint } | null = null;
  const paren: ParenCursor = { from: Infinity, at: -1 };
  let j = start;
  while (j < s.length) {
    while (s.charCodeAt(j) === 32) j++;
    if (j >= s.length) break;
    if (s.charCodeAt(j) === 34) { j = readQuoted(s, j)[1]; continue; }
    let e = j;
    while (e < s.length && e - j < 8 && s.charCodeAt(e) !== 61 && s.charCodeAt(e) !== 32) e++;
    const key = s.charCodeAt(e) === 61 ? s.slice(j, e) : '';
    if (key !== '' && KEYS.has(key)) {
      if (key === 'H') {
        const h = readEximHost(s, e + 1, paren);
        if (host === null) host = h;
        j = Math.max(h.end, e + 1);
        continue;
      }
      let v: string, end: number;
      if (s.charCodeAt(e + 1) === 34) [v, end] = readQuoted(s, e + 1);
      else { end = e + 1; while (end < s.length && s.charCodeAt(end) !== 32) end++; v = s.slice(e + 1, end); }
      if (!vals.has(key)) vals.set(key, v);
      j = end;
      continue;
    }
    if (stopAtFor && s.startsWith('for ', j)) return { vals, host, forAt: j + 4 };
    while (j < s.length && s.charCodeAt(j) !== 32) j++;
  }
  return { vals, host, forAt: -1 };
}

function addr(v: string): string {
  const t = v.endsWith(':') ? v.slice(0, -1) : v;
  return t.length >= 2 && t.startsWith('<') && t.endsWith('>') ? t.slice(1, -1) : t;
}

/**
 * Where the address starting at `from` ends: at the next space, but a quoted local part may hold spaces
 * (`"al ice"@x`, `<"deny verify = junk"@test.ex>`: one address each, not a cut line), and `<…>` ends at its `>`.
 * A quote or `<` left open to the end of the line is not trusted: the address then ends at the first space.
 */
function addressEnd(s: string, from: number): number {
  const angle = s.charCodeAt(from) === 60;
  let quoted = false;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (quoted) {
      if (c === 92) i++;
      else if (c === 34) quoted = false;
    } else if (c === 34) quoted = true;
    else if (angle ? c === 62 : c === 32) return angle ? i + 1 : i;
  }
  const sp = s.indexOf(' ', from);
  return sp < 0 ? s.length : sp;
}

/** The remote reply inside a deferral/failure text (`… SMTP error from remote mail server after RCPT TO:<x>: 550 …`). */
function remoteReply(text: string): string {
  const k = text.indexOf('remote mail server after ');
  if (k >= 0) {
    const c = text.indexOf(': ', k + 25);
    if (c >= 0) return text.slice(c + 2);
  }
  return text;
}

function parseDelivery(ev: LogEvent, s: string, marker: string): void {
  const j = addressEnd(s, 0);
  ev.to = addr(s.slice(0, j));
  let k = j + 1;
  if (s.charCodeAt(k) === 40) { const rp = s.indexOf(') ', k); if (rp > 0) k = rp + 2; } // `(parent@x)` for pipes/files
  if (s.charCodeAt(k) === 60) {
    const gt = addressEnd(s, k);
    if (s.charCodeAt(gt - 1) === 62) { ev.origTo = s.slice(k + 1, gt - 1); k = gt; }
  }
  const f = scanFields(s, k, false);
  if (f.host !== null) ev.relay = f.host.ep;
  const fr = f.vals.get('F');
  if (fr !== undefined) ev.from = addr(fr);
  const c = f.vals.get('C');
  if (marker === '**' || marker === '==') {
    ev.status = marker === '**' ? 'bounced' : 'deferred';
    const colon = s.indexOf(': ', j - 1);
    const text = colon >= 0 ? remoteReply(s.slice(colon + 2)) : null;
    if (text !== null) { ev.reply = clip(text, 2000); ev.dsn = replyDsn(text); }
    if (marker === '==') { const d = s.indexOf(' defer ('); if (d >= 0) ev.detail = clip(s.slice(d + 1, s.indexOf(')', d) + 1), 40); }
    return;
  }
  if (marker === '*>') { ev.detail = 'delivery suppressed (-N)'; return; }
  ev.status = ev.relay !== null ? 'sent' : 'delivered';
  const t = f.vals.get('T');
  if (t !== undefined) ev.detail = `T=${clip(t, 60)}`;
  if (c !== undefined) {
    ev.reply = clip(c, 2000);
    ev.dsn = replyDsn(c);
    ev.remoteQueueId = parseRemoteQueueId(c);
  }
}

function parseArrival(ev: LogEvent, s: string): void {
  const j = addressEnd(s, 0);
  ev.from = addr(s.slice(0, j));
  ev.status = 'received';
  const f = scanFields(s, j, true);
  if (f.host !== null) ev.client = f.host.ep;
  const id = f.vals.get('id');
  if (id !== undefined) ev.messageId = addr(id);
  const size = f.vals.get('S');
  if (size !== undefined) ev.size = toInt(size);
  const r = f.vals.get('R');
  if (r !== undefined && eximIdLength(r, 0) === r.length) ev.relatedQueueId = r; // a bounce: R= names the original
  // SMTP AUTH: `A=authenticator[:id[:sender]]` (the sender part with log_selector +smtp_mailauth). Only on `<=`
  // lines is it the client's login; on `=>` lines it is this server's own login at the next hop.
  const a = f.vals.get('A');
  if (a !== undefined) ev.detail = eximAuth(a);
  if (f.forAt >= 0) ev.to = clip(addressList(s.slice(f.forAt, f.forAt + 4000)).join(','), 2000);
}

/** The addresses of a `for a b "c d"@x` list: space-separated, each as addressEnd reads it. */
function addressList(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length;) {
    if (s.charCodeAt(i) === 32) { i++; continue; }
    const j = addressEnd(s, i);
    out.push(s.slice(i, j));
    i = j;
  }
  return out;
}

/** `A=` of an arrival → the canonical detail: the authenticator's name, then the authenticated id up to the next `:`. */
function eximAuth(v: string): string | null {
  const c = v.indexOf(':');
  if (c < 0) return authDetail({ login: null, method: v });
  const c2 = v.indexOf(':', c + 1);
  return authDetail({ method: v.slice(0, c), login: v.slice(c + 1, c2 < 0 ? v.length : c2) });
}

/** Lines without a delivery marker: rejections, authentication failures, connection drops. */
function parseOther(ev: LogEvent, s: string): boolean {
  const protoErr = s.startsWith('SMTP protocol error in "') || s.startsWith('SMTP protocol synchronization error');
  // The quoted command is the client's own text and may contain ` H=…`: for these lines trust the LAST H=.
  const hAt = protoErr ? s.lastIndexOf(' H=') + 1 : 0;
  const f = scanFields(s, hAt > 0 ? hAt : 0, false);
  if (f.host !== null) ev.client = f.host.ep;
  const fr = f.vals.get('F');
  if (fr !== undefined) ev.from = addr(fr);
  const rj = s.indexOf('rejected ');
  if (rj >= 0 && (rj === 0 || s.charCodeAt(rj - 1) === 32)) {
    ev.status = 'rejected';
    const what = s.slice(rj + 9);
    const argEnd = what.startsWith('RCPT ') || what.startsWith('MAIL ') ? addressEnd(what, 5) : 0;
    if (what.startsWith('RCPT ')) ev.to = addr(what.slice(5, argEnd));
    else if (what.startsWith('MAIL ')) ev.from ??= addr(what.slice(5, argEnd));
    const colon = what.indexOf(': ', argEnd);
    if (colon >= 0) { ev.reply = clip(what.slice(colon + 2), 2000); ev.dsn = replyDsn(ev.reply); }
  }
  if (ev.client === null) {
    const ipk = s.indexOf('no host name found for IP address ');
    if (ipk >= 0) { const sp = s.indexOf(' ', ipk + 34); ev.client = { host: null, ip: s.slice(ipk + 34, sp < 0 ? undefined : sp), port: null }; }
    else ev.client = bracketIpOutsideParens(s);
  }
  if (ev.status === null && ev.client === null && ev.queueId === null) return false;
  const cut = [s.indexOf(' H='), s.indexOf(' ['), s.indexOf(': ')].filter((x) => x > 0);
  ev.detail = clip(cut.length > 0 ? s.slice(0, Math.min(...cut)) : s, 80);
  return true;
}

/** First `[ip]` preceded by a space (not inside `(helo)`, not `I=[…]`), e.g. `login authenticator failed for (x) [ip]:`. */
function bracketIpOutsideParens(s: string): LogEndpoint | null {
  let k = s.indexOf(' [');
  let guard = 0;
  while (k >= 0 && guard++ < 32) {
    const rb = s.indexOf(']', k);
    if (rb < 0 || rb - k > 64) return null;
    const inner = s.slice(k + 2, rb);
    if (/^[0-9A-Fa-f:.]+$/.test(inner) && inner.length >= 2) {
      const port = /^:(\d{1,5})/.exec(s.slice(rb + 1, rb + 7));
      return { host: null, ip: inner, port: port ? Number(port[1]) : null };
    }
    k = s.indexOf(' [', rb);
  }
  return null;
}

/** One Exim log line → event, or null for noise (daemon start, queue runs, header dumps, lines of other programs). */
export function parseEximLine(line: string, ctx: LineContext): LogEvent | null {
  let p: SyslogPrefix | null = null;
  let i = 0;
  const own = readEximTime(line, 0, ctx);
  if (own !== null) {
    i = own.end + 1;
    const ht = readHostTag(line, i);
    p = { time: own.time, timeBasis: own.basis, timeAssumption: own.assumption, host: ht?.host ?? null, program: ht?.program ?? 'exim', pid: ht?.pid ?? null, msgStart: i };
    if (ht !== null) i = ht.end;
  } else {
    p = parseSyslogPrefix(line, ctx);
    if (p !== null) {
      if (!p.program.startsWith('exim')) return null;
      i = p.msgStart;
    } else {
      const ht = readHostTag(line, 0); // journal export without a syslog time: `host exim[pid]: 2021-07-17 …`
      if (ht === null) return null;
      i = ht.end;
      p = { time: null, timeBasis: 'unknown', timeAssumption: 'no timestamp on the line', host: ht.host, program: ht.program, pid: ht.pid, msgStart: i };
    }
    const inner = readEximTime(line, i, ctx);
    if (inner !== null) {
      if (p.time === null) { p.time = inner.time; p.timeBasis = inner.basis; p.timeAssumption = inner.assumption; }
      i = inner.end + 1;
    }
  }
  const ev = newEvent('exim', ctx, p);
  // Optional `[pid]` (log_selector +pid) and `[1\2]` continuation markers.
  if (line.charCodeAt(i) === 91) {
    const rb = line.indexOf('] ', i);
    if (rb > 0 && rb - i < 16) {
      const pid = toInt(line.slice(i + 1, rb));
      if (pid !== null && ev.pid === null) ev.pid = pid;
      i = rb + 2;
    }
  }
  const idLen = eximIdLength(line, i);
  if (idLen > 0) { ev.queueId = line.slice(i, i + idLen); i += idLen + 1; }
  const s = line.slice(i);
  const m = s.slice(0, 3);
  if (ev.queueId !== null) {
    if (m === '<= ') { parseArrival(ev, s.slice(3)); return ev; }
    if (m === '=> ' || m === '-> ' || m === '*> ' || m === '** ' || m === '== ') { parseDelivery(ev, s.slice(3), m.slice(0, 2)); return ev; }
    if (s === 'Completed' || s.startsWith('Completed ')) { ev.status = 'removed'; return ev; }
    if (s.startsWith('Frozen')) { ev.status = 'quarantined'; ev.detail = clip(s, 80); return ev; }
    if (s.startsWith('H=') && s.includes('SMTP error from remote mail server')) {
      const h = readEximHost(s, 2);
      ev.relay = h.ep;
      const text = remoteReply(s);
      ev.reply = clip(text, 2000); ev.dsn = replyDsn(text);
      ev.detail = 'SMTP error from remote mail server';
      return ev;
    }
  }
  if (!parseOther(ev, s) && ev.queueId === null) return null;
  return ev;
}

/** Score 0..1: share of sample lines that look like Exim lines (own timestamp + id/marker, or an `exim` syslog tag). */
export function detectExim(sampleLines: string[]): number {
  return shareOfLines(sampleLines, (l, p, ctx) => {
    const own = readEximTime(l, 0, ctx);
    if (own === null) return p !== null && p.program.startsWith('exim');
    const r = l.slice(own.end + 1);
    return eximIdLength(r, 0) > 0 || r.startsWith('H=') || r.startsWith('[') || r.includes(' rejected ') || r.startsWith('SMTP ');
  });
}

