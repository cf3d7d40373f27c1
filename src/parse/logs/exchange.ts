// Microsoft Exchange Server message tracking logs (MSGTRK*.LOG) → LogEvent.
// Format, from Microsoft's published description of the message tracking log ("Message tracking in Exchange
// Server", "Fields in the message tracking log files"): a W3C-style header (`#Software: Microsoft Exchange
// Server`, `#Log-type: Message Tracking Log`, `#Fields: date-time,client-ip,…`) then one CSV record per event.
// `date-time` is UTC (`yyyy-mm-ddThh:mm:ss.fffZ`); `event-id` is RECEIVE, SEND, DELIVER, FAIL, DEFER, DSN, EXPAND,
// RESOLVE, REDIRECT, SUBMIT, TRANSFER, DROP, BADMAIL, POISONMESSAGE, AGENTINFO, HAREDIRECT…; `internal-message-id`
// is this server's own id for the message (our queue id); `recipient-status` holds the SMTP reply for SEND.
// Columns are read by the names in the last `#Fields:` line, so any field order or subset works.
// Pure and stateful only in the header it has seen.

import type { LineContext, LogEvent, LogFormat, LogStatus } from '../../model/log-event.js';
import { clip, replyDsn, toInt } from './fields.js';
import { parseRemoteQueueId } from './remote-queue-id.js';
import { bareId, Columns, joinAddrs, parseVendorTime, RecordJoiner, vendorEvent } from './vendor-csv.js';

/** Field order of Exchange 2013–2019 logs, used when a file has no `#Fields:` line (a fragment). */
export const EXCHANGE_DEFAULT_FIELDS = [
  'date-time', 'client-ip', 'client-hostname', 'server-ip', 'server-hostname', 'source-context', 'connector-id',
  'source', 'event-id', 'internal-message-id', 'message-id', 'network-message-id', 'recipient-address',
  'recipient-status', 'total-bytes', 'recipient-count', 'related-recipient-address', 'reference', 'message-subject',
  'sender-address', 'return-path', 'message-info', 'directionality', 'tenant-id', 'original-client-ip',
  'original-server-ip', 'custom-data', 'transport-traffic-type', 'log-id', 'schema-version',
];

const EVENT_STATUS = new Map<string, LogStatus | null>([
  ['RECEIVE', 'received'], ['SUBMIT', 'queued'], ['SEND', 'sent'], ['DELIVER', 'delivered'], ['DUPLICATEDELIVER', 'delivered'],
  ['FAIL', 'bounced'], ['DEFER', 'deferred'], ['DSN', 'notified'], ['DROP', 'discarded'], ['BADMAIL', 'discarded'],
  ['POISONMESSAGE', 'quarantined'], ['EXPAND', null], ['RESOLVE', null], ['REDIRECT', null], ['TRANSFER', null],
  ['AGENTINFO', null], ['HAREDIRECT', null], ['HARECEIVE', 'received'], ['NOTIFYMAPI', null], ['RECEIVEDSN', null],
]);

/**
 * One tracking record → event. Shared with the Microsoft 365 historical/extended message trace detail report,
 * whose columns are the same fields with `_` for `-` (`date_time_utc`, `event_id`, …).
 */
export function eventFromTrackingRow(format: LogFormat, cols: Columns, row: string[], ctx: LineContext): LogEvent | null {
  const eventId = cols.get(row, 'eventid', 'event')?.toUpperCase() ?? null;
  if (eventId === null) return null;
  const ev = vendorEvent(format, ctx, parseVendorTime(cols.get(row, 'datetime', 'datetimeutc', 'date'), ctx));
  const source = cols.get(row, 'source');
  ev.program = source === null ? format : `${format}/${source}`;
  ev.queueId = cols.get(row, 'internalmessageid');
  ev.messageId = bareId(cols.get(row, 'messageid'));
  ev.from = bareId(cols.get(row, 'senderaddress', 'returnpath'));
  ev.to = joinAddrs(cols.get(row, 'recipientaddress'));
  ev.size = toInt(cols.get(row, 'totalbytes') ?? '');
  ev.nrcpt = toInt(cols.get(row, 'recipientcount') ?? '');
  const clientIp = cols.get(row, 'clientip', 'originalclientip');
  const clientHost = cols.get(row, 'clienthostname');
  const serverIp = cols.get(row, 'serverip');
  const serverHost = cols.get(row, 'serverhostname');
  const status = EVENT_STATUS.has(eventId) ? (EVENT_STATUS.get(eventId) ?? null) : null;
  ev.status = status;
  // RECEIVE: the client handed it to this server (server-* is this server). SEND: server-* is the next hop.
  if (eventId === 'SEND') {
    ev.host = clientHost;
    if (serverHost !== null || serverIp !== null) ev.relay = { host: serverHost, ip: serverIp, port: null };
  } else {
    ev.host = serverHost;
    if (clientHost !== null || clientIp !== null) ev.client = { host: clientHost, ip: clientIp, port: null };
  }
  const rs = cols.get(row, 'recipientstatus');
  if (rs !== null) {
    ev.reply = clip(rs, 2000);
    ev.dsn = replyDsn(rs);
    if (status === 'sent' || status === 'delivered') ev.remoteQueueId = parseRemoteQueueId(rs);
  }
  if (status === 'notified') ev.relatedQueueId = cols.get(row, 'reference');
  const sc = cols.get(row, 'sourcecontext');
  ev.detail = clip(sc === null ? eventId : `${eventId} ${sc}`, 120);
  return ev;
}

/** A stateful parser for one tracking log file: remembers the last `#Fields:` header. */
export function createExchangeParser(format: LogFormat = 'exchange'): { parse(line: string, ctx: LineContext): LogEvent | null | string } {
  let cols = new Columns(EXCHANGE_DEFAULT_FIELDS);
  const joiner = new RecordJoiner();
  return {
    parse(line: string, ctx: LineContext): LogEvent | null | string {
      if (line.startsWith('#')) {
        if (line.startsWith('#Fields:')) cols = new Columns(line.slice(8).trim().split(','));
        return null;
      }
      if (line.trim() === '') return null;
      const rec = joiner.push(line, ctx);
      if (rec === null) return null;
      const ev = eventFromTrackingRow(format, cols, rec.fields, rec.ctx);
      return ev ?? 'not a message tracking record (no event-id)';
    },
  };
}

/** Score 0..1: the W3C header of a message tracking log, or records whose event-id column holds tracking events. */
export function detectExchange(sampleLines: string[]): number {
  for (const l of sampleLines.slice(0, 10)) {
    if (l.startsWith('#Log-type: Message Tracking Log') || (l.startsWith('#Software: Microsoft Exchange') )) return 1;
    if (l.startsWith('#Fields: date-time,') && l.includes('event-id')) return 1;
  }
  return 0;
}
