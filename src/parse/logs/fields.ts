// Small readers shared by the MTA log parsers: the empty event, `host[ip]:port`, `<addr>`, DSN codes.
// Pure; every reader is a bounded forward scan (indexOf / charCodeAt), so parsing stays linear in line length.

import type { LineContext, LogEndpoint, LogEvent, LogFormat } from '../../model/log-event.js';
import type { SyslogPrefix } from './syslog-prefix.js';

/** A fresh event with every field present (one object shape for V8) and null where nothing is known. */
export function newEvent(format: LogFormat, ctx: LineContext, p: SyslogPrefix | null): LogEvent {
  return {
    format,
    line: ctx.line,
    offset: ctx.offset,
    time: p === null ? null : p.time,
    timeBasis: p === null ? 'unknown' : p.timeBasis,
    timeAssumption: p === null ? null : p.timeAssumption,
    host: p === null ? null : p.host,
    program: p === null ? null : p.program,
    pid: p === null ? null : p.pid,
    queueId: null,
    messageId: null,
    from: null,
    to: null,
    origTo: null,
    relay: null,
    client: null,
    status: null,
    dsn: null,
    reply: null,
    remoteQueueId: null,
    relatedQueueId: null,
    delay: null,
    delays: null,
    size: null,
    nrcpt: null,
    detail: null,
  };
}

/**
 * indexOf that looks at no more than `max` characters after `from`: readers that may run many times on one line
 * must not rescan the rest of it each time (that is how a hostile line turns quadratic).
 */
export function indexWithin(s: string, code: number, from: number, max: number): number {
  const end = Math.min(s.length, from + max);
  for (let k = from; k < end; k++) if (s.charCodeAt(k) === code) return k;
  return -1;
}

/** Result of reading an endpoint: the endpoint and the index just after it. */
export interface EndpointAt { ep: LogEndpoint; end: number }

function readPort(s: string, i: number): [number | null, number] {
  if (s.charCodeAt(i) !== 58 /* : */) return [null, i];
  let j = i + 1, n = 0;
  while (j < s.length && j < i + 7) {
    const c = s.charCodeAt(j) - 48;
    if (c < 0 || c > 9) break;
    n = n * 10 + c; j++;
  }
  return j === i + 1 ? [null, i] : [n, j];
}

/** True when the text between brackets looks like an IP address (v4, v6, `IPv6:` prefixed), not a socket or a name. */
export function looksLikeIp(v: string): boolean {
  if (v.length < 2 || v.length > 50) return false;
  let colon = false, dot = false;
  for (let k = 0; k < v.length; k++) {
    const c = v.charCodeAt(k);
    if (c === 58) colon = true;
    else if (c === 46) dot = true;
    else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  return colon || dot;
}

export function cleanIp(v: string): string {
  return v.startsWith('IPv6:') || v.startsWith('ipv6:') ? v.slice(5) : v;
}

/**
 * Postfix `host[ip]` / `host[ip]:port` / `host[private/socket]` / `[ip]:port` at index i.
 * Returns null when there is no bracket right after a space-free host word.
 */
export function readHostBracket(s: string, i: number): EndpointAt | null {
  const lb = indexWithin(s, 91 /* [ */, i, 256);
  if (lb < 0) return null;
  const host = s.slice(i, lb);
  if (host.includes(' ') || host.includes(',')) return null;
  const rb = indexWithin(s, 93 /* ] */, lb + 1, 256);
  if (rb < 0) return null;
  const inner = s.slice(lb + 1, rb);
  const [port, end] = readPort(s, rb + 1);
  const isIp = looksLikeIp(inner) || inner.startsWith('IPv6:');
  return { ep: { host: host === '' ? null : host, ip: isIp ? cleanIp(inner) : null, port }, end };
}

/** `<addr>` or a bare address ending at `end` (exclusive): angle brackets removed, `<>` → ''. */
export function stripAngles(v: string): string {
  return v.length >= 2 && v.charCodeAt(0) === 60 && v.charCodeAt(v.length - 1) === 62 ? v.slice(1, -1) : v;
}

/** Value of `key=<...>` or `key=word` found at i (i points at the value). Returns [value, endIndex]. */
export function readAddrValue(s: string, i: number): [string, number] {
  if (s.charCodeAt(i) === 60 /* < */) {
    const gt = s.indexOf('>', i + 1);
    if (gt >= 0) return [s.slice(i + 1, gt), gt + 1];
  }
  let j = i;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (c === 44 || c === 32) break;
    j++;
  }
  return [s.slice(i, j), j];
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** An RFC 3463 enhanced status code (`5.1.1`, `4.7.25`) starting exactly at i, or null. */
export function dsnAt(s: string, i: number): string | null {
  const c = s.charCodeAt(i);
  if (c !== 50 && c !== 52 && c !== 53) return null;
  if (s.charCodeAt(i + 1) !== 46) return null;
  let j = i + 2, k = 0;
  while (k < 3 && isDigit(s.charCodeAt(j))) { j++; k++; }
  if (k === 0 || s.charCodeAt(j) !== 46) return null;
  j++;
  let m = 0;
  while (m < 3 && isDigit(s.charCodeAt(j))) { j++; m++; }
  if (m === 0) return null;
  const after = s.charCodeAt(j);
  if (isDigit(after) || (after >= 65 && after <= 122)) return null;
  return s.slice(i, j);
}

/** The enhanced code of an SMTP reply `550 5.1.1 …` / `550-5.1.1 …` / `5.7.1 …` at its start; null if absent. */
export function replyDsn(reply: string): string | null {
  let i = 0;
  if (isDigit(reply.charCodeAt(0)) && isDigit(reply.charCodeAt(1)) && isDigit(reply.charCodeAt(2))) {
    const sep = reply.charCodeAt(3);
    if (sep !== 32 && sep !== 45) return null;
    i = 4;
  }
  return dsnAt(reply, i);
}

/** Seconds from Sendmail's `[d+]HH:MM:SS` delay, or from a plain decimal. */
export function parseDelay(v: string): number | null {
  const plus = v.indexOf('+');
  const clock = plus >= 0 ? v.slice(plus + 1) : v;
  if (clock.length === 8 && clock.charCodeAt(2) === 58 && clock.charCodeAt(5) === 58) {
    const h = Number(clock.slice(0, 2)), m = Number(clock.slice(3, 5)), s = Number(clock.slice(6, 8));
    const d = plus >= 0 ? Number(v.slice(0, plus)) : 0;
    const t = d * 86400 + h * 3600 + m * 60 + s;
    return Number.isFinite(t) ? t : null;
  }
  if (plus >= 0) return null;
  const n = Number(v);
  return v !== '' && Number.isFinite(n) ? n : null;
}

/** A non-negative integer, or null. */
export function toInt(v: string): number | null {
  if (v === '' || v.length > 15) return null;
  for (let k = 0; k < v.length; k++) if (!isDigit(v.charCodeAt(k))) return null;
  return Number(v);
}

/** Cut a free-text detail to a bounded length (a detail is a hint, the line itself is the evidence). */
export function clip(v: string, max = 200): string {
  return v.length > max ? `${v.slice(0, max)}…` : v;
}
