// Dovecot log lines → LogEvent: where LMTP/LDA filed a delivery (Sieve included) and, with the mail_log plugin,
// every save, copy, \Deleted flag, expunge and flag change per message — the "did it arrive, and where did it go
// after" evidence an MTA log cannot give.
// Two prefixes, both read by parseSyslogPrefix:
//   log_path file  `Dec 03 19:47:44 lmtp(bob@x)<1741><8I0kMGDHEWvNBgAAg+zDdQ>: Info: save: box=INBOX, uid=1, …`
//   syslog         `Nov 24 18:30:12 mx dovecot: lmtp(bob@x)<1741><8I0k…>: msgid=<a@b>: saved mail to INBOX`
// Tags: 2.3 `svc(user)<pid><session>`, 2.2 `lmtp(pid, user)` (the session then leads the message: `SESSION: msgid=…`),
// `deliver(user)`, `lda(user)`; `lmtp(pid)`, `master`, `imap-login`, `auth`… carry no message (null).
// Sources: dovecot/core src/lib-lda/mail-deliver.c (`saved mail to %s`, `save failed to [open mailbox ]%s: %s`,
// deliver_log_format `msgid=%m: %$`, Message-ID sanitized to 200 chars), src/plugins/mail-log/mail-log-plugin.c
// (fields in the order box, uid, msgid, size, vsize, from, subject, flags; box cut to 64 and headers to 80 chars,
// ending `...`), Pigeonhole sieve-actions.c (`stored mail into mailbox 'X'`, `failed to store into mailbox 'X': R`,
// discard, redirect; Message-ID cut to 80). Real 2.3.19 samples: fixtures/logs/dovecot-*.log.
// The header From and Subject that mail_log may log are never kept (privacy; the From is not the envelope sender).
// Pure and linear: bounded forward scans plus one lastIndexOf per action phrase; never throws.

import type { LineContext, LogEvent, LogStatus } from '../../model/log-event.js';
import { mailboxDetail, type MailboxActionKind } from './dovecot-detail.js';
import { clip, indexWithin, newEvent, toInt } from './fields.js';
import { parseSyslogPrefix, readRfc3339, rfc3339End, shareOfLines, type SyslogPrefix } from './syslog-prefix.js';

export { mailboxAction, type MailboxAction, type MailboxActionKind } from './dovecot-detail.js';

/** Dovecot service names: a tag without `(…)`/`<…>` is Dovecot's only when it names one of these. */
const SERVICES = new Set([
  'master', 'dovecot', 'lmtp', 'lda', 'deliver', 'imap', 'pop3', 'submission', 'managesieve', 'imap-login', 'pop3-login',
  'submission-login', 'managesieve-login', 'auth', 'auth-worker', 'config', 'log', 'anvil', 'dict', 'dict-async', 'stats',
  'old-stats', 'indexer', 'indexer-worker', 'doveadm', 'director', 'replicator', 'aggregator', 'quota-status',
  'imap-hibernate', 'imap-urlauth', 'imap-urlauth-login', 'imap-urlauth-worker', 'ssl-params', 'dns-client', 'tcpwrap',
]);
/** Services that deliver: their saves are deliveries (status), their session id is the LMTP transaction. */
const DELIVERY = new Set(['lmtp', 'lda', 'deliver']);
const LEVELS = ['Info: ', 'Warning: ', 'Error: ', 'Fatal: ', 'Panic: '];

/** The program of a syslog line that Dovecot wrote (`dovecot`, `dovecot[123]`, an instance name `dovecot-2`). */
export function isDovecotProgram(program: string): boolean {
  return program.startsWith('dovecot');
}

interface Tag { service: string; user: string | null; pid: number | null; session: string | null; end: number }

function isServiceChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95;
}

/** `svc[(args)][<pid>][<session>]: ` at i, or null when the text there is not a Dovecot tag. */
function readTag(s: string, i: number): Tag | null {
  let j = i;
  while (j < s.length && j - i <= 40 && isServiceChar(s.charCodeAt(j))) j++;
  if (j === i || j - i > 40) return null;
  const service = s.slice(i, j);
  let user: string | null = null, pid: number | null = null, session: string | null = null, args = false;
  if (s.charCodeAt(j) === 40 /* ( */) {
    const close = indexWithin(s, 41 /* ) */, j + 1, 512);
    if (close < 0) return null;
    const inner = s.slice(j + 1, close);
    const comma = inner.indexOf(', ');
    const lead = comma > 0 ? toInt(inner.slice(0, comma)) : null;
    if (lead !== null) { pid = lead; user = inner.slice(comma + 2); } // 2.0–2.2 `lmtp(12345, bob@x)`
    else { pid = toInt(inner); if (pid === null) user = inner; } // `lmtp(1741)` or `imap(bob@x)`
    if (user === '') user = null;
    j = close + 1; args = true;
  }
  for (let g = 0; g < 3 && s.charCodeAt(j) === 60 /* < */; g++) {
    const gt = indexWithin(s, 62 /* > */, j + 1, 80);
    if (gt < 0) return null;
    const v = s.slice(j + 1, gt);
    const n = toInt(v);
    if (n !== null && pid === null && session === null) pid = n;
    else if (session === null && v !== '') session = v;
    j = gt + 1; args = true;
  }
  if (s.charCodeAt(j) !== 58 /* : */ || (j + 1 < s.length && s.charCodeAt(j + 1) !== 32)) return null;
  if (!args && !SERVICES.has(service)) return null;
  return { service, user, pid, session, end: Math.min(j + 2, s.length) };
}

/** Index just after the timestamp and its space (the prefix is known to parse), or -1. */
function stampEnd(line: string): number {
  const c0 = line.charCodeAt(0);
  if (c0 >= 48 && c0 <= 57) return readRfc3339(line) === null ? -1 : rfc3339End() + 1;
  let i = 4;
  if (line.charCodeAt(i) === 32) i++;
  while (i < 7 && line.charCodeAt(i) >= 48 && line.charCodeAt(i) <= 57) i++;
  i += 9; // ` HH:MM:SS`
  if (line.charCodeAt(i) === 46) { i++; while (i < 40 && line.charCodeAt(i) >= 48 && line.charCodeAt(i) <= 57) i++; }
  return line.charCodeAt(i) === 32 ? i + 1 : -1;
}

/**
 * The tag of a Dovecot line: after `dovecot: ` in syslog, or right after the timestamp in a log_path file (where
 * parseSyslogPrefix reads the tag as the program — or, for 2.2's `lmtp(12345, bob@x)`, as host and program).
 */
function tagOf(line: string, p: SyslogPrefix): { tag: Tag; syslog: boolean } | null {
  const syslog = isDovecotProgram(p.program);
  const at = syslog ? p.msgStart : stampEnd(line);
  const tag = at < 0 ? null : readTag(line, at);
  return tag === null ? null : { tag, syslog };
}

/** 2.0–2.2 delivery lines lead with the session id: `SESSION: msgid=…` / `SESSION: sieve: …`. Index of its `:` or -1. */
function sessionLead(s: string, i: number): number {
  let j = i;
  while (j < s.length && j - i <= 64) {
    const c = s.charCodeAt(j);
    const base64 = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 43 || c === 47 || c === 61;
    if (!base64 && !(c === 58 && s.charCodeAt(j + 1) !== 32)) break;
    j++;
  }
  if (j - i < 8 || j - i > 64 || s.charCodeAt(j) !== 58 || s.charCodeAt(j + 1) !== 32) return -1;
  return s.startsWith('msgid=', j + 2) || s.startsWith('sieve: ', j + 2) ? j : -1;
}

/** The LMTP transaction id of a session id: newer LMTP names each recipient `TRANSACTION:N`; the `250 … Saved` reply names the transaction. */
function transactionId(session: string): string {
  const c = session.indexOf(':');
  return c > 0 ? session.slice(0, c) : session;
}

/** One Dovecot line whose syslog prefix is `p` → event, or null for noise and for lines that are not Dovecot's. */
export function parseDovecotMessage(line: string, ctx: LineContext, p: SyslogPrefix): LogEvent | null {
  const t = tagOf(line, p);
  if (t === null) return null;
  const { tag } = t;
  let i = tag.end;
  if (line.startsWith('Debug: ', i)) return null; // debug lines repeat, never decide
  for (const lv of LEVELS) if (line.startsWith(lv, i)) { i += lv.length; break; }
  let session = tag.session;
  if (!line.startsWith('msgid=', i) && !line.startsWith('sieve: ', i)) {
    const k = sessionLead(line, i);
    if (k > 0) { if (session === null) session = line.slice(i, k); i = k + 2; }
  }
  const sieve = line.startsWith('sieve: ', i);
  if (sieve) i += 7;
  const ev = newEvent('dovecot', ctx, p);
  ev.host = t.syslog ? p.host : null;
  ev.program = tag.service;
  ev.pid = tag.pid ?? (t.syslog ? p.pid : null);
  const delivery = DELIVERY.has(tag.service);
  // The recipient of a delivery. An IMAP/POP3 session's user owns the mailbox it changed, but is no recipient of
  // the message (alice saving her Sent copy): that account goes into the detail (`, account USER`), not `to`.
  ev.to = tag.user === null || !delivery ? null : clip(tag.user, 320);
  // An IMAP/POP3 session touches many messages: as a queue id it would join them all into one "transaction".
  if (delivery && session !== null) ev.queueId = transactionId(session); // ≤ 80 characters (readTag, sessionLead)
  if (line.startsWith('msgid=', i)) { readDelivery(ev, line, i + 6, sieve, delivery); return ev; }
  return !sieve && readMailLog(ev, line, i, delivery || tag.user === null ? null : clip(tag.user, 320)) ? ev : null;
}

/** One Dovecot line (log_path or syslog form) → event, or null. */
export function parseDovecotLine(line: string, ctx: LineContext): LogEvent | null {
  const p = parseSyslogPrefix(line, ctx);
  return p === null ? null : parseDovecotMessage(line, ctx, p);
}

/** Score 0..1: share of sample lines Dovecot wrote (log_path tags and syslog `dovecot:` lines). */
export function detectDovecot(sampleLines: string[]): number {
  return shareOfLines(sampleLines, (l, p) => {
    const t = p === null ? null : tagOf(l, p);
    return t !== null && (t.syslog || SERVICES.has(t.tag.service));
  });
}

// --- Message-IDs --------------------------------------------------------------------------------------------

interface MsgId { id: string | null; cut: string | null }
const NO_ID: MsgId = { id: null, cut: null };

function hasSpaceOrAngle(v: string): boolean {
  for (let k = 0; k < v.length; k++) {
    const c = v.charCodeAt(k);
    if (c <= 32 || c === 60 || c === 62) return true;
  }
  return false;
}

/**
 * A logged Message-ID header value: `<id>` → id (angle brackets removed, as every parser stores it); a value
 * Dovecot cut short (`<…...`, no `>`) → `cut` only, never an id (it would match nothing); `unspecified`, empty
 * or malformed → none. Text after the `>` (a comment, or words a hostile header smuggled in) is ignored.
 */
function classifyMsgId(raw: string): MsgId {
  const t = raw.trim();
  if (t === '' || t === 'unspecified' || t.length > 1000) return NO_ID;
  if (t.charCodeAt(0) === 60) {
    const g = t.indexOf('>');
    if (g > 1) { const inner = t.slice(1, g); return hasSpaceOrAngle(inner) ? NO_ID : { id: inner, cut: null }; }
    return g < 0 && t.endsWith('...') ? { id: null, cut: t } : NO_ID;
  }
  if (t.endsWith('...')) return { id: null, cut: t };
  return hasSpaceOrAngle(t) ? NO_ID : { id: t, cut: null };
}

function setMsgId(ev: LogEvent, m: MsgId): string {
  ev.messageId = m.id;
  return m.cut === null ? '' : `, message-id truncated in log: ${clip(m.cut, 210)}`;
}

// --- LDA/LMTP delivery lines (`msgid=ID: ACTION`) -----------------------------------------------------------

type Kind = 'saved' | 'failed' | 'rejected' | 'sieve-rejected' | 'discarded' | 'forwarded';
const PHRASES: Array<[string, Kind]> = [
  [': saved mail to ', 'saved'], [': stored mail into mailbox ', 'saved'], [': save failed to ', 'failed'],
  [': failed to store into mailbox ', 'failed'], [': rejected: ', 'rejected'], [': rejected message from ', 'sieve-rejected'],
  [': marked message to be discarded', 'discarded'], [': forwarded to ', 'forwarded'],
];

/** `'X'`, `'X' (VNAME)` (Pigeonhole, when the vname differs: the vname is where it went), or a bare name. */
function deliveredName(v: string): string {
  if (v.length >= 2 && v.charCodeAt(0) === 39) {
    if (v.endsWith("'")) return v.slice(1, -1);
    const k = v.indexOf("' (");
    if (k > 0 && v.endsWith(')')) return v.slice(k + 3, -1);
  }
  return v;
}

/** `X: REASON`, `'X': REASON`, `'X' (VNAME): REASON`, `open mailbox X: REASON` → [name, reason]. */
function failedNameAndReason(v: string): [string, string] {
  if (v.startsWith('open mailbox ')) v = v.slice(13);
  if (v.charCodeAt(0) === 39) {
    const q = v.indexOf("': "), vn = v.indexOf("' (");
    if (vn > 0 && (q < 0 || vn < q)) {
      const e = v.indexOf('): ', vn);
      if (e > 0) return [v.slice(vn + 3, e), v.slice(e + 3)];
    }
    if (q > 0) return [v.slice(1, q), v.slice(q + 3)];
  }
  const c = v.indexOf(': ');
  return c < 0 ? [v, ''] : [v.slice(0, c), v.slice(c + 2)];
}

/**
 * `ID: ACTION` from index v. The action is the LAST known phrase on the line: the Message-ID is the sender's
 * text and may carry a fake `>: saved mail to Junk`, while the real action comes after it.
 */
function readDelivery(ev: LogEvent, s: string, v: number, sieve: boolean, delivery: boolean): void {
  let at = -1, kind: Kind | null = null, plen = 0;
  for (const [ph, k] of PHRASES) {
    const x = s.lastIndexOf(ph);
    if (x >= v && x > at) { at = x; kind = k; plen = ph.length; }
  }
  if (kind === null) {
    const gt = s.charCodeAt(v) === 60 ? s.indexOf('>: ', v) : -1;
    const c = gt >= 0 ? gt + 1 : s.indexOf(': ', v);
    const tail = setMsgId(ev, classifyMsgId(s.slice(v, c < 0 ? s.length : c)));
    // An action this parser does not know (a vacation reply, a newer Pigeonhole wording): kept in words.
    if (c >= 0 || tail !== '') ev.detail = `${sieve ? 'sieve' : 'deliver'}: ${clip(c < 0 ? '' : s.slice(c + 2), 120)}${tail}`;
    return;
  }
  const tail = setMsgId(ev, classifyMsgId(s.slice(v, at)));
  const rest = s.slice(at + plen);
  let status: LogStatus | null = null;
  switch (kind) {
    case 'saved':
      status = 'delivered';
      ev.detail = mailboxDetail({ action: 'saved', mailbox: deliveredName(rest) });
      break;
    case 'failed': {
      const [name, reason] = failedNameAndReason(rest);
      ev.detail = mailboxDetail({ action: 'save-failed', mailbox: name, reason });
      break;
    }
    case 'rejected':
      status = 'bounced';
      ev.detail = `rejected: ${clip(rest, 120)}`;
      break;
    case 'sieve-rejected': { // `rejected message from <sender> (reason)`: the envelope sender is named
      const gt = rest.charCodeAt(0) === 60 ? indexWithin(rest, 62, 1, 400) : -1;
      if (gt > 0) ev.from = rest.slice(1, gt);
      status = 'bounced';
      let why = gt > 0 ? rest.slice(gt + 1).trim() : rest;
      if (why.startsWith('(') && why.endsWith(')')) why = why.slice(1, -1);
      ev.detail = `rejected: ${clip(why, 120)}`;
      break;
    }
    case 'discarded':
      status = 'discarded';
      ev.detail = 'discarded by Sieve';
      break;
    case 'forwarded':
      ev.detail = `forwarded to ${clip(rest, 320)}`;
      break;
  }
  // Only LDA/LMTP deliver; an IMAPSieve store or a Sieve action outside delivery is evidence, not a status.
  ev.status = delivery ? status : null;
  ev.detail = `${ev.detail ?? ''}${tail}`;
}

// --- mail_log plugin lines (`EVENT: box=…, uid=…, msgid=…, size=…, …`) ---------------------------------------

const MAIL_LOG_EVENTS: Array<[string, MailboxActionKind]> = [
  ['save: ', 'saved'], ['delete: ', 'deleted'], ['undelete: ', 'undeleted'], ['expunge: ', 'expunged'],
  ['autoexpunge: ', 'autoexpunged'], ['flag_change: ', 'flags'], ['append: ', 'saved'],
];
const FIELDS = ['box=', 'uid=', 'msgid=', 'size=', 'vsize=', 'from=', 'subject=', 'flags='];

function fieldAt(s: string, i: number): boolean {
  for (const f of FIELDS) if (s.startsWith(f, i)) return true;
  return false;
}

/** End of a value that may hold `sep` itself (a mailbox name): the first `sep` followed by a field name, within 400 chars. */
function valueEnd(s: string, i: number, sep: string): number {
  const limit = Math.min(s.length, i + 400);
  let k = s.indexOf(sep, i);
  while (k >= 0 && k < limit) {
    if (fieldAt(s, k + sep.length)) return k;
    k = s.indexOf(sep, k + 1);
  }
  return -1;
}

/** Up to the next `, ` (or the end of the line). */
function simpleEnd(s: string, i: number): number {
  const k = s.indexOf(', ', i);
  return k < 0 ? s.length : k;
}

/** A mail_log plugin record; `account`: the IMAP/POP3 user whose mailbox it is (null for a delivery's own save). */
function readMailLog(ev: LogEvent, s: string, i: number, account: string | null): boolean {
  let kind: MailboxActionKind | null = null;
  let from: string | null = null;
  for (const [w, k] of MAIL_LOG_EVENTS) if (s.startsWith(w, i)) { kind = k; i += w.length; break; }
  if (kind === null) {
    if (!s.startsWith('copy from ', i)) return false;
    const e = valueEnd(s, i + 10, ': ');
    if (e < 0) return false;
    kind = 'copied';
    from = s.slice(i + 10, e);
    i = e + 2;
  }
  let box: string | null = null, uid: number | null = null, mid: MsgId = NO_ID, any = false;
  if (s.startsWith('box=', i)) {
    const e = valueEnd(s, i + 4, ', '); // a name may hold `, `: it ends where the next field starts
    const end = e < 0 ? s.length : e;
    box = s.slice(i + 4, end); i = end + 2; any = true;
  }
  if (s.startsWith('uid=', i)) { const e = simpleEnd(s, i + 4); uid = toInt(s.slice(i + 4, e)); i = e + 2; any = true; }
  if (s.startsWith('msgid=', i)) { const e = simpleEnd(s, i + 6); mid = classifyMsgId(s.slice(i + 6, e)); i = e + 2; any = true; }
  if (s.startsWith('size=', i)) { const e = simpleEnd(s, i + 5); ev.size = toInt(s.slice(i + 5, e)); i = e + 2; }
  if (!any) return false;
  let flags: string | null = null;
  if (kind === 'flags') {
    const f = s.startsWith('flags=(', i) ? i - 2 : s.lastIndexOf(', flags=(');
    if (f >= i - 2 && s.endsWith(')')) flags = clip(s.slice(f + 9, -1), 160);
  }
  ev.detail = mailboxDetail({ action: kind, mailbox: box, uid, from, flags, account }) + setMsgId(ev, mid);
  return true;
}
