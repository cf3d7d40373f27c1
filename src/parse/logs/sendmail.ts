// Sendmail syslog lines → LogEvent (sendmail/sm-mta/sm-msp-queue/sm-* programs; op.me "Log information").
// `QID: from=<…>, size=, class=, nrcpts=, msgid=<…>, proto=, daemon=, relay=host [ip]`   arrival (relay = the client)
// `QID: to=<a>,<b>, ctladdr=…, delay=, xdelay=, mailer=, pri=, relay=host [ip], dsn=, stat=Sent (…)`   delivery
// `QID: ruleset=check_rcpt, arg1=<…>, relay=host [ip], reject=550 5.7.1 …`   rejection; `QID: QID2: DSN: …` bounce;
// `QID: <rcpt>... User unknown`, AUTH failures, `did not issue MAIL/EXPN/VRFY/ETRN`, `lost input channel from …`;
// `AUTH=server, relay=host [ip], authid=U, mech=M, bits=N` (a successful SMTP AUTH, logged without a queue id).
// Pure and linear.

import type { LineContext, LogEndpoint, LogEvent, LogStatus } from '../../model/log-event.js';
import { clip, cleanIp, newEvent, parseDelay, replyDsn, toInt } from './fields.js';
import { parseRemoteQueueId } from './remote-queue-id.js';
import { authDetail } from './submission-auth.js';
import { parseSyslogPrefix, shareOfLines } from './syslog-prefix.js';

export function isSendmailProgram(program: string): boolean {
  return program === 'sendmail' || program.startsWith('sm-');
}

/** Length of a Sendmail queue id (`s1P819mk027713`, `xA32R2PQ3529566`) at i followed by `: `, else 0. */
export function sendmailQueueIdLength(s: string, i: number): number {
  let j = i;
  while (j < s.length && j - i <= 20) {
    const c = s.charCodeAt(j);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122))) break;
    j++;
  }
  const n = j - i;
  if (n < 12 || n > 20 || s.charCodeAt(j) !== 58 || s.charCodeAt(j + 1) !== 32) return 0;
  for (let k = j - 5; k < j; k++) if (s.charCodeAt(k) < 48 || s.charCodeAt(k) > 57) return 0;
  return n;
}

/** Sendmail `relay=` value: `host [ip]`, `[ip] [ip]`, `[ip]`, `host [ip] (may be forged)`, `user@localhost`. */
export function readSendmailRelay(v: string): LogEndpoint {
  let host: string | null = null, ip: string | null = null;
  const sp = v.indexOf(' ');
  const first = sp < 0 ? v : v.slice(0, sp);
  if (first.startsWith('[') && first.endsWith(']')) ip = cleanIp(first.slice(1, -1));
  else host = first;
  if (sp >= 0 && v.charCodeAt(sp + 1) === 91) {
    const rb = v.indexOf(']', sp);
    if (rb > 0) ip = cleanIp(v.slice(sp + 2, rb));
  }
  return { host, ip, port: null };
}

function stripList(v: string): string {
  // `<a>,<b>` → `a,b`; a single bare address stays as it is.
  return v.slice(0, 4000).split(',').slice(0, 100).map((a) => (a.startsWith('<') && a.endsWith('>') ? a.slice(1, -1) : a)).join(',');
}

/** `key=value, key=value, …`; `stat=` and `reject=` take the rest of the line. Returns the keys seen. */
function readPairs(s: string, start: number): Map<string, string> {
  const out = new Map<string, string>();
  let j = start;
  while (j < s.length && out.size < 32) {
    const eq = s.indexOf('=', j);
    if (eq < 0 || eq - j > 16) break;
    const key = s.slice(j, eq);
    if (key === 'stat' || key === 'reject' || key === 'quarantine') { out.set(key, s.slice(eq + 1)); break; }
    let end: number;
    if (s.charCodeAt(eq + 1) === 60) { // <addr>…: skip past the closing `>` so `, ` inside it does not split
      const gt = s.indexOf('>', eq);
      const sep = s.indexOf(', ', gt < 0 ? eq : gt);
      end = sep < 0 ? s.length : sep;
    } else {
      const sep = s.indexOf(', ', eq);
      end = sep < 0 ? s.length : sep;
    }
    if (!out.has(key)) out.set(key, s.slice(eq + 1, end));
    j = end + 2;
  }
  return out;
}

function statStatus(stat: string, mailer: string | undefined, dsn: string | null): LogStatus {
  if (stat.startsWith('Sent')) return mailer === 'local' || mailer === 'prog' || mailer === '*file*' ? 'delivered' : 'sent';
  if (stat.startsWith('Deferred')) return 'deferred';
  if (stat.startsWith('queued')) return 'queued';
  return dsn !== null && dsn.startsWith('4') ? 'deferred' : 'bounced';
}

function parseDeliveryPairs(ev: LogEvent, kv: Map<string, string>): void {
  const to = kv.get('to');
  if (to !== undefined) ev.to = clip(stripList(to), 2000);
  const relay = kv.get('relay');
  if (relay !== undefined) ev.relay = readSendmailRelay(relay);
  const dsn = kv.get('dsn');
  if (dsn !== undefined) ev.dsn = dsn;
  const d = kv.get('delay');
  if (d !== undefined) ev.delay = parseDelay(d);
  const stat = kv.get('stat') ?? '';
  ev.status = statStatus(stat, kv.get('mailer'), ev.dsn);
  let reply = stat;
  const paren = stat.indexOf(' (');
  if (stat.startsWith('Sent') && paren >= 0) reply = stat.slice(paren + 2, stat.endsWith(')') ? -1 : undefined);
  else if (stat.startsWith('Deferred: ')) reply = stat.slice(10);
  ev.reply = clip(reply, 2000);
  ev.dsn ??= replyDsn(reply);
  if (ev.status === 'sent' || ev.status === 'delivered') ev.remoteQueueId = parseRemoteQueueId(reply);
  ev.detail = kv.has('mailer') ? `mailer=${clip(kv.get('mailer') ?? '', 30)}` : null;
}

/** `host [ip]` / `[ip]` at the start of `s` (connection lines); returns the endpoint or null. */
function leadingPeer(s: string): LogEndpoint | null {
  const k = s.indexOf('[');
  if (k < 0 || k > 256) return null;
  const head = s.slice(0, k).trim();
  if (head.includes(' ')) return null;
  const rb = s.indexOf(']', k);
  if (rb < 0 || rb - k > 64) return null;
  return { host: head === '' ? null : head, ip: cleanIp(s.slice(k + 1, rb)), port: null };
}

function parseRest(ev: LogEvent, rest: string): void {
  if (rest.startsWith('from=')) {
    const kv = readPairs(rest, 0);
    ev.from = stripList(kv.get('from') ?? '');
    ev.size = toInt(kv.get('size') ?? '');
    ev.nrcpt = toInt(kv.get('nrcpts') ?? '');
    const msgid = kv.get('msgid');
    if (msgid !== undefined) ev.messageId = clip(msgid.startsWith('<') && msgid.endsWith('>') ? msgid.slice(1, -1) : msgid, 998);
    const relay = kv.get('relay');
    if (relay !== undefined) ev.client = readSendmailRelay(relay);
    ev.status = 'received';
    // `auth=MECH` (_FFR_LOG_MORE1 builds): SMTP AUTH was used; the login itself is on the session's AUTH=server line.
    const auth = kv.get('auth');
    if (auth !== undefined && auth !== 'NONE') ev.detail = authDetail({ login: null, method: auth });
    return;
  }
  if (rest.startsWith('AUTH=server, ')) {
    // Logged with no queue id (NOQID, LogLevel > 8), once per session: tied to its message only by the process id.
    const kv = readPairs(rest, 13);
    const relay = kv.get('relay');
    if (relay !== undefined) ev.client = readSendmailRelay(relay);
    ev.detail = authDetail({ login: kv.get('authid') ?? null, method: kv.get('mech') ?? null }) ?? 'AUTH=server';
    return;
  }
  if (rest.startsWith('to=')) { parseDeliveryPairs(ev, readPairs(rest, 0)); return; }
  const milter = rest.startsWith('Milter: ') || rest.startsWith('milter=');
  if (rest.startsWith('ruleset=') || (milter && (rest.includes('reject=') || rest.includes('quarantine=')))) {
    const kv = readPairs(rest, milter && rest.startsWith('Milter: ') ? 8 : 0);
    const relay = kv.get('relay');
    if (relay !== undefined) ev.client = readSendmailRelay(relay);
    const arg1 = kv.get('arg1');
    const rs = kv.get('ruleset') ?? '';
    if (arg1 !== undefined && (rs === 'check_rcpt' || rs === 'check_mail')) {
      const a = arg1.startsWith('<') && arg1.endsWith('>') ? arg1.slice(1, -1) : arg1;
      if (rs === 'check_rcpt') ev.to = a; else ev.from = a;
    }
    const toV = kv.get('to');
    if (toV !== undefined) ev.to = stripList(toV);
    const reject = kv.get('reject');
    if (reject !== undefined) { ev.status = 'rejected'; ev.reply = clip(reject, 2000); ev.dsn = replyDsn(reject); }
    else if (kv.has('quarantine')) { ev.status = 'quarantined'; ev.reply = clip(kv.get('quarantine') ?? '', 2000); }
    ev.detail = rs !== '' ? `ruleset=${clip(rs, 40)}` : 'milter';
    return;
  }
  // `QID2: DSN: …` / `QID2: sender notify: …` / `QID2: postmaster notify: …`: a bounce/notification was created.
  const q2 = sendmailQueueIdLength(rest, 0);
  if (q2 > 0) {
    const after = rest.slice(q2 + 2);
    if (after.startsWith('DSN: ') || after.includes('notify: ')) {
      ev.status = 'notified';
      ev.relatedQueueId = rest.slice(0, q2);
      ev.detail = clip(after, 120);
      return;
    }
  }
  if (rest.startsWith('<')) { // `<rcpt>... User unknown` during RCPT
    const k = rest.indexOf('>... ');
    if (k > 0) {
      ev.to = rest.slice(1, k);
      ev.status = 'rejected';
      ev.reply = clip(rest.slice(k + 5), 2000);
      ev.dsn = replyDsn(ev.reply);
      return;
    }
  }
  if (rest.startsWith('AUTH failure')) {
    // The user name is client text and may contain `, relay=[…]`: the real relay is the last one.
    const k = rest.lastIndexOf(', relay=');
    if (k >= 0) ev.client = readSendmailRelay(rest.slice(k + 8));
    ev.detail = clip(rest.slice(0, rest.indexOf(':') > 0 ? rest.indexOf(':') : undefined), 80);
    return;
  }
  for (const w of ['lost input channel from ', 'rejecting commands from ']) {
    if (rest.startsWith(w)) {
      ev.client = leadingPeer(rest.slice(w.length).trimStart());
      ev.detail = clip(w.trim(), 80);
      return;
    }
  }
  const peer = leadingPeer(rest);
  if (peer !== null) {
    ev.client = peer;
    const rb = rest.indexOf(']');
    ev.detail = clip(rest.slice(rb + 1, rb + 200).replace(/^[\s:]*(\(may be forged\))?[\s:]*/, ''), 80);
    return;
  }
  ev.detail = clip(rest, 80);
}

/** One Sendmail syslog line → event, or null for noise and other programs. */
export function parseSendmailLine(line: string, ctx: LineContext): LogEvent | null {
  const p = parseSyslogPrefix(line, ctx);
  if (p === null || !isSendmailProgram(p.program)) return null;
  const ev = newEvent('sendmail', ctx, p);
  const i = p.msgStart;
  const q = sendmailQueueIdLength(line, i);
  if (q > 0) {
    ev.queueId = line.slice(i, i + q);
    parseRest(ev, line.slice(i + q + 2));
    return ev;
  }
  const rest = line.slice(i);
  if (rest.startsWith('ruleset=') || rest.startsWith('AUTH=server, ')) { parseRest(ev, rest); return ev; }
  const peer = leadingPeer(rest);
  if (peer === null) return null;
  parseRest(ev, rest);
  return ev;
}

/** Score 0..1: share of sample lines from a Sendmail program. */
export function detectSendmail(sampleLines: string[]): number {
  return shareOfLines(sampleLines, (_l, p) => p !== null && isSendmailProgram(p.program));
}
