// Postfix log lines → LogEvent. Dispatch on the service (last part of the syslog tag, so multi-instance names like
// `postfix-out/smtp`, `postfix/submission/smtpd`, `postfix/10025/smtpd` all work), then on a fixed prefix of the
// message: queue id, `to=`, `from=`, `client=` (with its SASL login), `message-id=`, actions (postfix-actions.ts),
// connection lines.
// Pure and linear: indexOf/charCodeAt scans, no regex on the hot path. Returns null for noise (statistics, daemon
// start/stop, warnings that name neither a message nor a peer). Reference: Postfix's own log formats (smtpd(8),
// smtp(8), qmgr(8), cleanup(8), bounce(8), postscreen(8)) and the postfix-grok-patterns test suite.

import type { LineContext, LogEvent, LogStatus } from '../../model/log-event.js';
import { clip, newEvent, parseDelay, readAddrValue, readHostBracket, replyDsn, toInt } from './fields.js';
import { parsePostfixAction } from './postfix-actions.js';
import { parseRemoteQueueId } from './remote-queue-id.js';
import { authDetail } from './submission-auth.js';
import { parseSyslogPrefix, shareOfLines, type SyslogPrefix } from './syslog-prefix.js';

/** Services whose lines may become events. Others (master, anvil, scache, tlsmgr, …) are noise. */
const CLIENT_SIDE = new Set(['smtpd', 'postscreen', 'tlsproxy', 'dnsblog']);
const RELAY_SIDE = new Set(['smtp', 'lmtp']);
const FINAL_DELIVERY = new Set(['local', 'virtual', 'pipe', 'lmtp']);
const KNOWN = new Set([
  ...CLIENT_SIDE, ...RELAY_SIDE, ...FINAL_DELIVERY,
  'cleanup', 'qmgr', 'nqmgr', 'oqmgr', 'bounce', 'defer', 'trace', 'pickup', 'error', 'retry', 'discard',
  'postsuper', 'sendmail', 'postdrop', 'anvil', 'scache', 'tlsmgr', 'verify', 'trivial-rewrite', 'master',
  'postmap', 'postlogd', 'proxymap', 'flush', 'showq', 'qmqpd', 'spawn', 'postfix-script', 'postqueue',
]);

/** The Postfix service of a syslog program name (`postfix-out/smtp` → `smtp`), or null when it is not Postfix. */
/** Program name → service, remembered (a log has a handful of program names; bounded for hostile input). */
const serviceCache = new Map<string, string | null>();

export function postfixService(program: string): string | null {
  const hit = serviceCache.get(program);
  if (hit !== undefined) return hit;
  const slash = program.lastIndexOf('/');
  const svc = slash <= 0 ? null : program.slice(slash + 1);
  const out = svc !== null && KNOWN.has(svc) ? svc : null;
  if (serviceCache.size < 512) serviceCache.set(program, out);
  return out;
}

function isUpperHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70);
}
function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * Length of a queue id at the start of `msg` followed by `: `, or 0. Short ids are upper-case hex (≥5);
 * long ids (enable_long_queue_ids) are 10–20 alphanumerics containing `z`, the separator of their time and
 * inode parts, and a digit. `NOQUEUE` counts (the event then has queueId null).
 */
export function postfixQueueIdLength(msg: string): number {
  let i = 0, hex = true, z = false, d = false;
  while (i < msg.length && i < 26) {
    const c = msg.charCodeAt(i);
    if (!isAlnum(c)) break;
    if (!isUpperHex(c)) hex = false;
    if (c === 122) z = true;
    if (c >= 48 && c <= 57) d = true;
    i++;
  }
  if (msg.charCodeAt(i) !== 58 || msg.charCodeAt(i + 1) !== 32) return 0;
  if (hex && i >= 5 && i <= 24) return i;
  if (i >= 10 && i <= 20 && z && d) return i;
  if (i === 7 && msg.startsWith('NOQUEUE')) return 7;
  return 0;
}

function deliveryStatus(word: string, service: string, dsn: string | null): LogStatus | null {
  switch (word) {
    case 'sent':
      if (service === 'discard') return 'discarded';
      return FINAL_DELIVERY.has(service) ? 'delivered' : 'sent';
    case 'deferred': return 'deferred';
    case 'bounced': return 'bounced';
    case 'expired': return 'expired';
    case 'deliverable': case 'undeliverable': case 'undeliverable-but-not-cached': return 'probed';
    default: break;
  }
  // An unknown word: fall back on the DSN class rather than lose the status (the word is kept in `detail`).
  const cls = dsn === null ? '' : dsn.charAt(0);
  return cls === '2' ? 'sent' : cls === '4' ? 'deferred' : cls === '5' ? 'bounced' : null;
}

/** `key=value, key=value, …, status=word (text)` — delivery (`to=`) and queue (`from=`) lines. */
function parseKeyValues(ev: LogEvent, s: string, service: string): void {
  let j = 0;
  let statusWord: string | null = null;
  while (j < s.length) {
    const eq = s.indexOf('=', j);
    if (eq < 0 || eq - j > 24) break;
    const key = s.slice(j, eq);
    if (key === 'status') {
      let e = eq + 1;
      while (e < s.length && s.charCodeAt(e) !== 32 && s.charCodeAt(e) !== 44) e++;
      statusWord = s.slice(eq + 1, e);
      let restAt = e;
      if (s.charCodeAt(restAt) === 44) restAt++;
      while (s.charCodeAt(restAt) === 32) restAt++;
      if (s.charCodeAt(restAt) === 40 /* ( */) {
        const close = s.endsWith(')') ? s.length - 1 : s.length;
        ev.reply = clip(s.slice(restAt + 1, close), 2000);
      } else if (restAt < s.length) {
        ev.detail = clip(s.slice(restAt), 80); // qmgr: `status=expired, returned to sender`
      }
      break;
    }
    const [value, end] = readAddrValue(s, eq + 1);
    switch (key) {
      case 'to': ev.to = value; break;
      case 'orig_to': ev.origTo = value; break;
      case 'from': ev.from = value; break;
      case 'relay': {
        if (value !== 'none') {
          const ep = value.includes('[') ? readHostBracket(value, 0) : null;
          ev.relay = ep === null ? { host: value, ip: null, port: null } : ep.ep;
        }
        break;
      }
      case 'delay': ev.delay = parseDelay(value); break;
      case 'delays': ev.delays = value; break;
      case 'dsn': ev.dsn = value; break;
      case 'size': ev.size = toInt(value); break;
      case 'nrcpt': ev.nrcpt = toInt(value); break;
      default: break;
    }
    j = end;
    while (j < s.length && (s.charCodeAt(j) === 44 || s.charCodeAt(j) === 32)) j++;
    if (s.charCodeAt(j) === 40 /* ( */) { // qmgr `nrcpt=1 (queue active)`
      ev.detail = clip(s.slice(j + 1, s.endsWith(')') ? s.length - 1 : s.length), 80);
      break;
    }
  }
  if (statusWord !== null) {
    ev.status = deliveryStatus(statusWord, service, ev.dsn);
    if (ev.status === null || ev.status === 'probed') ev.detail = `status=${clip(statusWord, 40)}`;
    if ((ev.status === 'sent' || ev.status === 'delivered') && ev.reply !== null) ev.remoteQueueId = parseRemoteQueueId(ev.reply);
  }
}

/** smtp/lmtp: `host X[ip] said: 450 … (in reply to RCPT TO command)` and friends. */
function parseRemoteSaid(ev: LogEvent, rest: string, at: number): void {
  const ep = readHostBracket(rest, at);
  if (ep === null) return;
  ev.relay = ep.ep;
  const c = rest.indexOf(': ', ep.end);
  if (c < 0) return;
  let reply = rest.slice(c + 2);
  const inReply = reply.lastIndexOf(' (in reply to ');
  if (inReply >= 0 && reply.endsWith(')')) {
    ev.detail = reply.slice(inReply + 2, -1);
    reply = reply.slice(0, inReply);
  }
  ev.reply = clip(reply, 2000);
  ev.dsn = replyDsn(reply);
}

const CLIENT_WORDS = [' from ', ' ['];
const RELAY_WORDS = [' to ', ' for ', ' with '];

/** The first `host[ip]` after one of the given words; sets client or relay. Detail = the text before it. */
function scanPeer(ev: LogEvent, rest: string, side: 'client' | 'relay'): boolean {
  const words = side === 'client' ? CLIENT_WORDS : RELAY_WORDS;
  for (const w of words) {
    const k = rest.indexOf(w);
    if (k < 0) continue;
    const ep = readHostBracket(rest, w === ' [' ? k + 1 : k + w.length);
    if (ep === null || (ep.ep.ip === null && ep.ep.host === null)) continue;
    if (side === 'client') ev.client = ep.ep; else ev.relay = ep.ep;
    ev.detail = clip(rest.slice(0, k), 80);
    return true;
  }
  return false;
}

/** smtpd `warning: host[ip]: SASL LOGIN authentication failed: …` and `warning: hostname h does not resolve to address ip`. */
function parseSmtpdWarning(ev: LogEvent, w: string): boolean {
  const ep = readHostBracket(w, 0);
  if (ep !== null && ep.ep.ip !== null && w.charCodeAt(ep.end) === 58) {
    ev.client = ep.ep;
    ev.detail = clip(w.slice(ep.end + 1).trim(), 120);
    return true;
  }
  if (w.startsWith('hostname ')) {
    const k = w.indexOf(' does not resolve to address ');
    if (k > 9) {
      let ip = w.slice(k + 29);
      const c = ip.indexOf(':');
      const sp = ip.indexOf(' ');
      const cut = c >= 0 && ip.indexOf('.') >= 0 ? c : sp;
      if (cut >= 0) ip = ip.slice(0, cut);
      ev.client = { host: w.slice(9, k), ip, port: null };
      ev.detail = 'hostname does not resolve to address';
      return true;
    }
  }
  return scanPeer(ev, w, 'client');
}

function parseWithQueueId(ev: LogEvent, rest: string, service: string): void {
  const c0 = rest.charCodeAt(0);
  if (c0 === 116 /* t */ && rest.startsWith('to=')) { parseKeyValues(ev, rest, service); return; }
  if (c0 === 102 /* f */ && rest.startsWith('from=')) {
    parseKeyValues(ev, rest, service);
    if (ev.status === null) ev.status = service === 'pickup' ? 'received' : 'queued';
    return;
  }
  if (rest.startsWith('client=')) {
    const ep = readHostBracket(rest, 7);
    if (ep !== null) ev.client = ep.ep;
    ev.status = 'received';
    // SMTP AUTH (smtpd.c logs `, sasl_method=M, sasl_username=U[, sasl_sender=S]` after the client): the account
    // that submitted the message on this server. Kept in `detail` (see submission-auth.ts).
    const method = clientField(rest, 'sasl_method'), login = clientField(rest, 'sasl_username');
    if (method !== null || login !== null) ev.detail = authDetail({ login, method });
    // Re-injection after a content filter: `client=localhost[127.0.0.1]:…, orig_queue_id=X, orig_client=…`.
    const oq = rest.indexOf('orig_queue_id=');
    if (oq >= 0) ev.relatedQueueId = readAddrValue(rest, oq + 14)[0];
    return;
  }
  if (rest.startsWith('message-id=')) { ev.messageId = clip(readMessageId(rest.slice(11)), 998); return; }
  if (rest.startsWith('uid=')) {
    const f = rest.indexOf('from=');
    if (f >= 0) ev.from = readAddrValue(rest, f + 5)[0];
    ev.status = 'received';
    return;
  }
  if (rest === 'removed') { ev.status = 'removed'; return; }
  if (rest === 'placed on hold') { ev.status = 'quarantined'; return; }
  const nk = rest.indexOf(' notification: ');
  if (nk > 0 && nk < 40 && service === 'bounce') {
    ev.status = 'notified';
    ev.relatedQueueId = rest.slice(nk + 15).trim();
    ev.detail = rest.slice(0, nk + 13);
    return;
  }
  if (parsePostfixAction(ev, rest)) return;
  if (rest.startsWith('host ')) { parseRemoteSaid(ev, rest, 5); if (ev.detail === null) ev.detail = 'host said'; return; }
  const sf = rest.indexOf('; server ');
  if (sf >= 0) { parseRemoteSaid(ev, rest, sf + 9); ev.detail = clip(rest.slice(0, sf), 80); return; }
  if (CLIENT_SIDE.has(service)) {
    if (rest.startsWith('warning: ')) { parseSmtpdWarning(ev, rest.slice(9)); return; }
    if (scanPeer(ev, rest, 'client')) return;
  } else if (RELAY_SIDE.has(service) && scanPeer(ev, rest, 'relay')) return;
  ev.detail = clip(rest, 80);
}

/**
 * The value of `, key=` in a `client=` line, up to the next `, name=` or the end of the line: a login may hold
 * a space or a comma. The first occurrence is the one Postfix wrote (its fields precede anything a login adds).
 */
function clientField(rest: string, key: string): string | null {
  const k = rest.indexOf(`, ${key}=`);
  if (k < 0) return null;
  const start = k + key.length + 3;
  let j = rest.indexOf(', ', start);
  while (j >= 0 && !isFieldStart(rest, j + 2)) j = rest.indexOf(', ', j + 2);
  return rest.slice(start, j < 0 ? rest.length : j);
}

/** `name=` at i: 1–24 characters of [a-z_], then `=`. */
function isFieldStart(s: string, i: number): boolean {
  let k = i;
  while (k < s.length && k - i < 24) {
    const c = s.charCodeAt(k);
    if (!((c >= 97 && c <= 122) || c === 95)) break;
    k++;
  }
  return k > i && s.charCodeAt(k) === 61;
}

function readMessageId(v: string): string {
  const t = v.trimEnd();
  return t.length >= 2 && t.startsWith('<') && t.endsWith('>') ? t.slice(1, -1) : t;
}

function parseWithoutQueueId(ev: LogEvent, msg: string, service: string): boolean {
  if (CLIENT_SIDE.has(service)) {
    if (service === 'dnsblog') {
      if (!msg.startsWith('addr ')) return false;
      const sp = msg.indexOf(' ', 5);
      if (sp < 0) return false;
      ev.client = { host: null, ip: msg.slice(5, sp), port: null };
      ev.detail = clip(msg.slice(sp + 1), 120);
      return true;
    }
    if (msg.startsWith('warning: ')) return parseSmtpdWarning(ev, msg.slice(9));
    if (parsePostfixAction(ev, msg)) return true;
    return scanPeer(ev, msg, 'client');
  }
  if (RELAY_SIDE.has(service)) return scanPeer(ev, msg, 'relay');
  return false;
}

/** Parses the message part of a Postfix line (after `prog[pid]: `) for the given service; `p` supplies time/host. */
export function parsePostfixMessage(msg: string, service: string, ctx: LineContext, p: SyslogPrefix | null): LogEvent | null {
  const ev = newEvent('postfix', ctx, p);
  // `warning: 9BECF3F19D: sender_canonical_maps map lookup problem …` names the message after the level.
  if (msg.startsWith('warning: ')) {
    const wl = postfixQueueIdLength(msg.slice(9, 40));
    if (wl > 0 && !msg.startsWith('NOQUEUE', 9)) {
      ev.queueId = msg.slice(9, 9 + wl);
      ev.detail = clip(`warning: ${msg.slice(11 + wl)}`, 120);
      return ev;
    }
  }
  const qlen = postfixQueueIdLength(msg);
  if (qlen > 0) {
    const rest = msg.slice(qlen + 2);
    if (qlen === 7 && msg.startsWith('NOQUEUE')) {
      if (!parseWithoutQueueId(ev, rest, service) && !parsePostfixAction(ev, rest)) return null;
      return ev;
    }
    ev.queueId = msg.slice(0, qlen);
    parseWithQueueId(ev, rest, service);
    return ev;
  }
  return parseWithoutQueueId(ev, msg, service) ? ev : null;
}

/** One Postfix syslog line → event, or null for noise and for lines of other programs. */
export function parsePostfixLine(line: string, ctx: LineContext): LogEvent | null {
  const p = parseSyslogPrefix(line, ctx);
  if (p === null) return null;
  const service = postfixService(p.program);
  if (service === null) return null;
  return parsePostfixMessage(line.slice(p.msgStart), service, ctx, p);
}

/** Score 0..1: share of sample lines that are Postfix lines (syslog prefix + a Postfix service name). */
export function detectPostfix(sampleLines: string[]): number {
  return shareOfLines(sampleLines, (_l, p) => p !== null && postfixService(p.program) !== null);
}
