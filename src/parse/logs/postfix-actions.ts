// Postfix access-control and content-check actions: `NOQUEUE: reject: RCPT from host[ip]: 550 5.1.1 <x>: …;
// from=<…> to=<…> proto=ESMTP helo=<…>` (smtpd, postscreen), milter actions (`milter-reject: END-OF-MESSAGE from …`),
// header/body checks in cleanup (`reject: header Subject: … from host[ip]; from=<…> …: 5.7.1 text`), before-queue
// proxy results (`proxy-accept: END-OF-MESSAGE: 250 … queued as X; from=<…>`).
// Pure; a fixed number of indexOf scans per line.

import type { LogEvent, LogStatus } from '../../model/log-event.js';
import { clip, readAddrValue, readHostBracket, replyDsn } from './fields.js';
import { parseRemoteQueueId } from './remote-queue-id.js';

/** Action word → status. Words mapping to null are logged evidence without a status change. */
const ACTIONS = new Map<string, LogStatus | null>([
  ['reject', 'rejected'],
  ['milter-reject', 'rejected'],
  ['proxy-reject', 'rejected'],
  ['hold', 'quarantined'],
  ['milter-hold', 'quarantined'],
  ['discard', 'discarded'],
  ['milter-discard', 'discarded'],
  ['proxy-accept', 'sent'], // the after-filter smtpd accepted it: the reply names its queue id
  ['reject_warning', null],
  ['filter', null],
  ['redirect', null],
  ['bcc', null],
  ['prepend', null],
  ['replace', null],
  ['strip', null],
  ['warning', null],
  ['info', null],
  ['defer', null],
  ['defer_if_permit', null],
  ['milter-header-redirect', null],
  ['milter-header-hold', 'quarantined'],
  ['milter-header-discard', 'discarded'],
  ['milter-header-reject', 'rejected'],
]);

/** Reads the `from=<…> to=<…> proto=… helo=<…>` tail (space- or comma-separated); returns the text after a final `: `. */
function readTail(ev: LogEvent, s: string, i: number): string | null {
  let j = i;
  while (j < s.length) {
    while (j < s.length && (s.charCodeAt(j) === 32 || s.charCodeAt(j) === 44)) j++;
    if (j >= s.length) break;
    if (s.charCodeAt(j) === 58 /* : */) return s.slice(j + 1).trimStart();
    const eq = s.indexOf('=', j);
    if (eq < 0 || eq - j > 20) break;
    const key = s.slice(j, eq);
    const [value, end] = readAddrValue(s, eq + 1);
    if (key === 'from') ev.from = value;
    else if (key === 'to') ev.to = value;
    else if (key === 'orig_to') ev.origTo = value;
    j = end;
  }
  return null;
}

/**
 * Tries to read `ACTION: …` at `rest`. Returns false when the first word is not an action, leaving `ev` untouched
 * (so `warning: host[ip]: SASL …` can fall through to the caller's client scan).
 */
export function parsePostfixAction(ev: LogEvent, rest: string): boolean {
  const colon = rest.indexOf(': ');
  if (colon <= 0 || colon > 30) return false;
  const action = rest.slice(0, colon);
  const status = ACTIONS.get(action);
  if (status === undefined) return false;
  const body = rest.slice(colon + 2);
  const isCheck = body.startsWith('header ') || body.startsWith('body ');
  if ((action === 'warning' || action === 'info') && !isCheck) return false;

  let kv = body.indexOf('; from=<');
  if (kv < 0) kv = body.indexOf('; to=<');
  if (kv < 0) kv = body.indexOf('; proto=');
  const head = kv < 0 ? body : body.slice(0, kv);
  const tail = kv < 0 ? null : readTail(ev, body, kv + 2);
  let reply: string | null = null;

  if (isCheck) {
    // Header/body checks: the client is after the LAST ` from ` (the header value itself may contain ` from `).
    const lf = head.lastIndexOf(' from ');
    if (lf >= 0) {
      const ep = readHostBracket(head, lf + 6);
      if (ep !== null) ev.client = ep.ep;
    }
    ev.detail = clip(`${action}: ${lf >= 0 ? head.slice(0, lf) : head}`);
    if (status === 'rejected' || status === 'discarded' || status === 'quarantined') reply = tail;
  } else {
    const c2 = head.indexOf(': ');
    const fromIdx = head.indexOf(' from ');
    let stage: string;
    if (fromIdx >= 0 && (c2 < 0 || fromIdx < c2)) {
      stage = head.slice(0, fromIdx);
      const ep = readHostBracket(head, fromIdx + 6);
      if (ep !== null) {
        ev.client = ep.ep;
        if (head.charCodeAt(ep.end) === 58) reply = head.slice(ep.end + 1).trim();
      }
    } else {
      stage = c2 < 0 ? head : head.slice(0, c2);
      reply = c2 < 0 ? null : head.slice(c2 + 2).trim();
    }
    ev.detail = clip(`${action}: ${stage}`, 80);
  }
  if (reply !== null) {
    ev.reply = clip(reply, 2000);
    ev.dsn = replyDsn(reply);
    if (status === 'sent') ev.remoteQueueId = parseRemoteQueueId(reply);
  }
  ev.status = status;
  return true;
}
