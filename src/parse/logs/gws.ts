// Google Workspace Email Log Search (ELS) CSV export → LogEvent.
// Columns as Google documents them ("Email log search export fields"): Message ID, Start date, End date, Sender,
// Message size, Subject, Direction (Sent | Received | Mixed), Attachments, Recipient address, Event target
// (SMTP_IN, SMTP_OUT, LIST_SERVER, GMAIL_INBOX, GMAIL_SPAM, INTERNAL_SERVER, ARCHIVE_LIST_SERVER, …), and for each
// delivery step its status/date/description where the export has them. One row per delivery step; there is no
// queue id, so a row's transaction is its Message ID (the export's own key). Columns are found by name.
// Pure; stateful only in the header row it has seen.

import type { LineContext, LogEvent, LogStatus } from '../../model/log-event.js';
import { clip, replyDsn, toInt } from './fields.js';
import { bareId, Columns, joinAddrs, parseVendorTime, RecordJoiner, vendorEvent } from './vendor-csv.js';

const TARGET_STATUS = new Map<string, LogStatus | null>([
  ['SMTP_IN', 'received'], ['SMTP_OUT', 'sent'], ['GMAIL_INBOX', 'delivered'], ['GMAIL_SPAM', 'delivered'],
  ['GMAIL_QUARANTINE', 'quarantined'], ['QUARANTINE', 'quarantined'], ['LIST_SERVER', null], ['INTERNAL_SERVER', null],
  ['ARCHIVE_LIST_SERVER', null], ['GMAIL_TRASH', 'delivered'],
]);
/** Words of an event status column that override the target's status. */
const OUTCOME = new Map<string, LogStatus>([
  ['bounced', 'bounced'], ['rejected', 'rejected'], ['deferred', 'deferred'], ['dropped', 'discarded'],
  ['quarantined', 'quarantined'], ['failed', 'bounced'],
]);

function isGwsHeader(cols: Columns): boolean {
  return cols.has('messageid') && cols.has('eventtarget') && cols.has('startdate', 'eventdate', 'date');
}

function row(cols: Columns, r: string[], ctx: LineContext): LogEvent {
  const ev = vendorEvent('gws', ctx, parseVendorTime(cols.get(r, 'eventdate', 'startdate', 'date'), ctx));
  ev.program = 'gws/email-log-search';
  const mid = cols.get(r, 'messageid');
  ev.messageId = mid === 'SMTPIN_ADDED_REJECT_SESSION' ? null : bareId(mid);
  ev.from = bareId(cols.get(r, 'senderenvelope', 'sender', 'fromenvelope', 'fromheaderaddress'));
  ev.to = joinAddrs(cols.get(r, 'eventrecipient', 'recipientaddress', 'recipient', 'toenvelope'));
  ev.size = toInt(cols.get(r, 'messagesize') ?? '');
  const target = cols.get(r, 'eventtarget')?.toUpperCase() ?? null;
  ev.status = target === null ? null : (TARGET_STATUS.get(target) ?? null);
  const outcome = cols.get(r, 'eventstatus', 'status')?.toLowerCase() ?? null;
  if (outcome !== null) for (const [w, st] of OUTCOME) if (outcome.includes(w)) { ev.status = st; break; }
  if (mid === 'SMTPIN_ADDED_REJECT_SESSION') ev.status = 'rejected';
  const ip = cols.get(r, 'senderipaddress', 'eventtargetipaddress', 'smtpclientip');
  if (ip !== null) {
    if (ev.status === 'sent') ev.relay = { host: null, ip, port: null }; else ev.client = { host: null, ip, port: null };
  }
  const reply = cols.get(r, 'eventsmtpreplycode', 'smtpreplycode', 'eventdescription');
  if (reply !== null) { ev.reply = clip(reply, 2000); ev.dsn = replyDsn(reply); }
  const dir = cols.get(r, 'direction');
  ev.detail = clip([target, dir, outcome].filter((x) => x !== null).join(' '), 80) || null;
  return ev;
}

export function createGwsParser(): { parse(line: string, ctx: LineContext): LogEvent | null | string } {
  let cols: Columns | null = null;
  const joiner = new RecordJoiner();
  return {
    parse(line: string, ctx: LineContext) {
      if (line.trim() === '') return null;
      const rec = joiner.push(line, ctx);
      if (rec === null) return null;
      if (cols === null) {
        const c = new Columns(rec.fields);
        if (!isGwsHeader(c)) return 'header row is not that of a Google Workspace Email Log Search export (Message ID, Event target, Start date)';
        cols = c;
        return null;
      }
      return row(cols, rec.fields, rec.ctx);
    },
  };
}

export function detectGws(sampleLines: string[]): number {
  const first = sampleLines.find((l) => l.trim() !== '');
  if (first === undefined) return 0;
  const f = first.replace(/^\uFEFF/, '').split(',').map((s) => s.trim().replace(/^"|"$/g, ''));
  return isGwsHeader(new Columns(f)) ? 1 : 0;
}
