// Microsoft 365 (Exchange Online) message trace CSV exports → LogEvent. Two column sets are read, chosen by header:
//  - the summary report (Get-MessageTrace / the admin center's summary download): Received, SenderAddress,
//    RecipientAddress, Subject, Status, ToIP, FromIP, Size, MessageId, MessageTraceId — one row per message and
//    recipient; Status is Delivered, Failed, Pending, Expanded, Quarantined, FilteredAsSpam, GettingStatus, None.
//  - the enhanced summary / extended report (historical search): origin_timestamp[_utc], sender_address,
//    recipient_status (`rcpt##Receive, Deliver;rcpt2##Receive, Fail`), message_subject, total_bytes, message_id,
//    network_message_id, original_client_ip, directionality, connector_id, delivery_priority — one row per message;
//    we emit one event per recipient with the last event of its list as the status.
//  - the historical message trace *detail* report, whose columns are the tracking-log fields with `_`
//    (date_time_utc, event_id, internal_message_id, …), is read like an Exchange tracking log.
// Column names follow Microsoft's documentation of these reports; fixtures/logs/m365-*.csv are built from it.
// Pure; stateful only in the header row it has seen.

import type { LineContext, LogEvent, LogStatus } from '../../model/log-event.js';
import { clip, toInt } from './fields.js';
import { eventFromTrackingRow } from './exchange.js';
import { bareId, Columns, joinAddrs, parseVendorTime, RecordJoiner, vendorEvent } from './vendor-csv.js';

const SUMMARY_STATUS = new Map<string, LogStatus | null>([
  ['delivered', 'delivered'], ['failed', 'bounced'], ['pending', 'deferred'], ['quarantined', 'quarantined'],
  ['filteredasspam', 'quarantined'], ['expanded', null], ['resolved', null], ['gettingstatus', null], ['none', null],
]);
const STEP_STATUS = new Map<string, LogStatus | null>([
  ['receive', 'received'], ['send', 'sent'], ['deliver', 'delivered'], ['fail', 'bounced'], ['defer', 'deferred'],
  ['drop', 'discarded'], ['quarantine', 'quarantined'], ['expand', null], ['resolve', null], ['redirect', null],
  ['submit', 'queued'], ['dsn', 'notified'],
]);

type Kind = 'summary' | 'extended' | 'detail';

function kindOf(cols: Columns): Kind | null {
  if (cols.has('eventid')) return 'detail';
  if (cols.has('recipientstatus') && cols.has('origintimestamp', 'origintimestamputc', 'senderaddress')) return 'extended';
  if (cols.has('recipientaddress') && cols.has('messageid', 'messagetraceid') && cols.has('received', 'datetimeutc', 'date', 'receivedutc')) return 'summary';
  return null;
}

function summaryRow(cols: Columns, row: string[], ctx: LineContext): LogEvent {
  const ev = vendorEvent('m365', ctx, parseVendorTime(cols.get(row, 'received', 'receivedutc', 'datetimeutc', 'date'), ctx));
  ev.program = 'm365/message-trace';
  ev.host = cols.get(row, 'organization');
  ev.queueId = cols.get(row, 'messagetraceid');
  ev.messageId = bareId(cols.get(row, 'messageid'));
  ev.from = bareId(cols.get(row, 'senderaddress', 'sender'));
  ev.to = joinAddrs(cols.get(row, 'recipientaddress', 'recipient'));
  const fromIp = cols.get(row, 'fromip'), toIp = cols.get(row, 'toip');
  if (fromIp !== null) ev.client = { host: null, ip: fromIp, port: null };
  if (toIp !== null) ev.relay = { host: null, ip: toIp, port: null };
  ev.size = toInt(cols.get(row, 'size', 'totalbytes') ?? '');
  const st = cols.get(row, 'status', 'deliverystatus');
  if (st !== null) {
    const k = st.toLowerCase().replace(/[^a-z]/g, '');
    ev.status = SUMMARY_STATUS.get(k) ?? null;
    ev.detail = clip(st, 80);
  }
  return ev;
}

function extendedRows(cols: Columns, row: string[], ctx: LineContext): LogEvent[] {
  const t = parseVendorTime(cols.get(row, 'origintimestamputc', 'origintimestamp', 'datetimeutc'), ctx);
  const out: LogEvent[] = [];
  const rs = cols.get(row, 'recipientstatus') ?? '';
  for (const part of rs.split(';').slice(0, 100)) {
    if (part.trim() === '') continue;
    const [rcpt, steps] = part.split('##');
    const ev = vendorEvent('m365', ctx, t);
    ev.program = 'm365/extended-report';
    ev.queueId = cols.get(row, 'networkmessageid');
    ev.messageId = bareId(cols.get(row, 'messageid'));
    ev.from = bareId(cols.get(row, 'senderaddress'));
    ev.to = joinAddrs(rcpt?.trim() ?? null);
    const ip = cols.get(row, 'originalclientip');
    if (ip !== null) ev.client = { host: null, ip, port: null };
    ev.size = toInt(cols.get(row, 'totalbytes') ?? '');
    const list = (steps ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
    const last = list[list.length - 1];
    ev.status = last === undefined ? null : (STEP_STATUS.get(last.toLowerCase()) ?? null);
    ev.detail = clip(list.join(', '), 80);
    out.push(ev);
  }
  return out;
}

export function createM365Parser(): { parse(line: string, ctx: LineContext): LogEvent | LogEvent[] | null | string } {
  let cols: Columns | null = null;
  let kind: Kind | null = null;
  const joiner = new RecordJoiner();
  return {
    parse(line: string, ctx: LineContext) {
      if (line.trim() === '') return null;
      const rec = joiner.push(line, ctx);
      if (rec === null) return null;
      if (cols === null) {
        cols = new Columns(rec.fields);
        kind = kindOf(cols);
        return kind === null ? 'header row is not that of a Microsoft 365 message trace report (summary: Received, SenderAddress, RecipientAddress, MessageId; extended: origin_timestamp_utc, sender_address, recipient_status; detail: date_time_utc, event_id)' : null;
      }
      if (kind === 'summary') return summaryRow(cols, rec.fields, rec.ctx);
      if (kind === 'extended') return extendedRows(cols, rec.fields, rec.ctx);
      if (kind === 'detail') return eventFromTrackingRow('m365', cols, rec.fields, rec.ctx) ?? 'record without event_id';
      return 'not a Microsoft 365 message trace record';
    },
  };
}

/** Score 0..1: 1 when the first line is a header row of one of the three report column sets. */
export function detectM365(sampleLines: string[]): number {
  const first = sampleLines.find((l) => l.trim() !== '');
  if (first === undefined) return 0;
  const f = parseCsvHeader(first);
  if (f === null) return 0;
  return kindOf(new Columns(f)) === null ? 0 : 1;
}

function parseCsvHeader(line: string): string[] | null {
  const f = line.replace(/^\uFEFF/, '').split(',').map((s) => s.trim().replace(/^"|"$/g, ''));
  return f.length >= 4 ? f : null;
}
