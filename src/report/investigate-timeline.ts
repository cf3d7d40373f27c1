// The investigate timeline: every log line of the trail (this message and the bounces it caused), the
// Received hops of the copies (with the signed per-hop delay and clock-skew flags), where each copy sits
// (Maildir delivery time from its file name, IMAP INTERNALDATE) and the reports about it, in time order.
// The delay at each hop is on the line that ends it: a server's hold time (Postfix delay=) on its sent/
// delivered/bounced line, the gap since the previous Received stamp on each hop. Clock skew between two
// servers' logs is judged at each hand-off (verdict/handoff-clock) and flagged on the receiver's first line.
// Pure; ties broken by source so the order is stable.

import { z } from 'zod';
import type { CaseFacts } from '../verdict/investigate.js';
import { locationLocator } from '../verdict/evidence-types.js';
import { folderOf } from '../verdict/folders.js';
import { judgeHandoff } from '../verdict/handoff-clock.js';
import { logLineWords } from './log-words.js';
import { isoDateOrNull } from '../parse/dsn/recipient.js';
import { causalEdges, orderTiesByCause, refusalPlace } from '../correlate/trail.js';
import type { StoredLogEvent } from '../correlate/types.js';

export const TimelineEntrySchema = z.object({
  time: z.string().nullable(),
  /** The year or zone of `time` was assumed (syslog lines without them). */
  timeAssumed: z.boolean(),
  kind: z.enum(['log', 'received-header', 'mailbox', 'report']),
  source: z.object({ sha256: z.string(), path: z.string().nullable(), locator: z.string() }),
  host: z.string().nullable(),
  event: z.string(),
  status: z.string().nullable(),
  detail: z.string(),
  /**
   * The delay at this hop, in seconds: for a Received hop, since the previous hop's stamp (negative = clock
   * skew); for a log line that ends a server's handling (sent, delivered, bounced, deferred, expired), how long
   * that server had held the message (its delay=). Null elsewhere.
   */
  delaySeconds: z.number().nullable(),
  /**
   * Clock-skew flags. Received hops: `negative-delay`, `future-date`. A receiving server's first log line at a
   * hand-off: `clock-ahead` / `clock-behind` when its time cannot be squared with the sending server's log.
   */
  skew: z.array(z.string()),
});
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;

const iso = (ms: number): string => new Date(ms).toISOString();

const HOLD_ENDS = new Set(['sent', 'delivered', 'bounced', 'deferred', 'expired']);

export function buildTimeline(f: CaseFacts): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  /** Lines of a mailbox server's log (Dovecot), for the same-second order below. */
  const mailboxServer = new Set<TimelineEntry>();
  const entryOf = new Map<string, TimelineEntry>();
  // The receiving server's first line at each hand-off, with how its clock squares with the sender's log.
  const arrivals = new Map<number, { note: string; skew: string[] }>();
  for (const h of f.handoffs) {
    const j = judgeHandoff(h);
    if (j === null) continue;
    const who = h.from.host ?? 'the sending server';
    const off = j.offsetSeconds === 0 ? 'in the same second as' : `${Math.abs(j.offsetSeconds)}s ${j.offsetSeconds > 0 ? 'after' : 'before'}`;
    const skew = j.skew ? `; clock at least ${j.skew.atLeastSeconds}s ${j.skew.direction}` : '';
    arrivals.set(h.to.rowId, { note: `hand-off from ${who} ${h.from.queueId ?? ''}: logged ${off} its sent line${skew}`.replace(/\s+:/, ':'), skew: j.skew ? [`clock-${j.skew.direction}`] : [] });
  }
  for (const it of f.trail.items) {
    if (it.kind !== 'log') continue;
    const e = it.log;
    const parts = logLineWords(e, true);
    if (e.relatedQueueId !== null && e.status === 'notified') parts.push(`notice ${e.relatedQueueId}`);
    if ((e.status === 'bounced' || e.status === 'deferred' || e.status === 'rejected') && e.reply !== null) parts.push(`(${e.reply.slice(0, 160)})`);
    const arrival = arrivals.get(e.rowId);
    if (arrival) parts.push(`(${arrival.note})`);
    const entry: TimelineEntry = {
      time: e.timeMs === null ? null : iso(e.timeMs), timeAssumed: e.timeBasis !== 'explicit-zone', kind: 'log',
      source: { sha256: e.sha256, path: e.path, locator: `line ${e.line}` }, host: e.host,
      event: e.program === null ? 'log' : e.program.slice(e.program.lastIndexOf('/') + 1), status: e.status, detail: parts.join(' '),
      delaySeconds: e.status !== null && HOLD_ENDS.has(e.status) ? e.delay : null, skew: arrival?.skew ?? [],
    };
    if (e.format === 'dovecot') mailboxServer.add(entry);
    entryOf.set(it.key, entry);
    out.push(entry);
  }
  const refusals: Array<[StoredLogEvent, TimelineEntry]> = [];
  for (const e of f.rejects) {
    if (out.some((x) => x.kind === 'log' && x.source.sha256 === e.sha256 && x.source.locator === `line ${e.line}`)) continue;
    const entry: TimelineEntry = {
      time: e.timeMs === null ? null : iso(e.timeMs), timeAssumed: e.timeBasis !== 'explicit-zone', kind: 'log', source: { sha256: e.sha256, path: e.path, locator: `line ${e.line}` },
      host: e.host, event: e.program === null ? 'log' : e.program.slice(e.program.lastIndexOf('/') + 1), status: e.status,
      detail: `from=${e.from ?? '?'} to=${e.to ?? '?'} (${(e.reply ?? '').slice(0, 160)})`, delaySeconds: null, skew: [],
    };
    refusals.push([e, entry]);
    out.push(entry);
  }
  const seenCopy = new Set<string>();
  for (const x of f.copies) {
    if (!seenCopy.has(x.copy.sha256)) {
      seenCopy.add(x.copy.sha256);
      for (const h of f.hops.get(x.copy.sha256) ?? []) {
        out.push({
          time: h.date, timeAssumed: false, kind: 'received-header', source: { sha256: x.loc.artifactSha256, path: x.loc.artifactPath, locator: `message ${x.copy.sha256.slice(0, 12)} header #${h.headerIndex} (Received)` },
          host: h.byHost, event: 'Received', status: null,
          detail: [`hop ${h.index}`, `from ${h.fromHost ?? h.helo ?? '?'}${h.fromIp ? ` [${h.fromIp}]` : ''}`, h.with ? `with ${h.with}` : '', h.id ? `id ${h.id}` : '', h.for ? `for ${h.for}` : ''].filter(Boolean).join(' '),
          delaySeconds: h.delaySeconds, skew: [...h.skew],
        });
      }
    }
    const delivered = x.loc.imap?.internalDate ?? maildirTime(x.loc.artifactPath);
    out.push({
      time: delivered, timeAssumed: false, kind: 'mailbox', source: { sha256: x.loc.artifactSha256, path: x.loc.artifactPath, locator: locationLocator(x.loc) },
      host: null, event: x.role === 'sender' ? 'Sent copy' : 'mailbox copy', status: null,
      detail: `in ${folderOf(x.loc) ?? 'a file'}${x.loc.imap ? ` (INTERNALDATE; flags ${x.loc.imap.flags.join(' ') || 'none'})` : x.loc.maildirFlags ? ` (Maildir flags ${x.loc.maildirFlags})` : ''}`,
      delaySeconds: null, skew: [],
    });
  }
  for (const r of f.reports) {
    out.push({
      time: isoDateOrNull(r.report.report.date), timeAssumed: false, kind: 'report', source: { sha256: r.sha256, path: r.path, locator: r.locator }, host: r.report.reportingMta,
      event: r.report.kind, status: r.report.kind === 'feedback' ? (r.report.feedback?.feedbackType ?? null) : (r.report.recipients[0]?.action ?? null),
      detail: r.report.recipients.map((x) => `${x.address} ${x.status ?? ''} ${(x.diagnostic ?? '').slice(0, 120)}`.trim()).join('; '), delaySeconds: null, skew: [],
    });
  }
  for (const m of f.mdns) {
    out.push({ time: isoDateOrNull(m.mdn.report.date), timeAssumed: false, kind: 'report', source: { sha256: m.sha256, path: m.path, locator: m.locator }, host: null, event: 'read receipt', status: m.mdn.disposition, detail: m.mdn.finalRecipient ?? '', delaySeconds: null, skew: [] });
  }
  // In one second, the mailbox server's lines after the MTAs': it saves what an MTA handed it. And whatever the
  // sources' order, a hand-off before the next server's line of it, and each log's lines in file order.
  const mbs = (x: TimelineEntry): number => (mailboxServer.has(x) ? 1 : 0);
  out.sort((a, b) => cmpTime(a.time, b.time) || kindRank(a) - kindRank(b) || mbs(a) - mbs(b) || cmpStr(a.source.sha256, b.source.sha256) || cmpLoc(a.source.locator, b.source.locator));
  const edges = causalEdges(f.trail).flatMap(([a, b]) => {
    const x = entryOf.get(a), y = entryOf.get(b);
    return x && y ? [[x, y] as const] : [];
  });
  // A refusal at SMTP time: after the sender queued the message, before the sender logs what it was told.
  for (const [e, entry] of refusals) {
    const place = refusalPlace(f.trail, e);
    const after = place.after === null ? undefined : entryOf.get(place.after);
    const before = place.before === null ? undefined : entryOf.get(place.before);
    if (after) edges.push([after, entry]);
    if (before) edges.push([entry, before]);
  }
  return orderTiesByCause(out, (a, b) => a.time === b.time && a.kind === 'log' && b.kind === 'log', edges);
}


/** Maildir file names start with the delivery time in Unix seconds (cr.yp.to/proto/maildir.html). */
function maildirTime(path: string): string | null {
  const m = /(?:^|\/)(\d{9,11})\.[^/]*$/.exec(path);
  return m ? iso(Number(m[1]) * 1000) : null;
}

function cmpTime(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return Date.parse(a) - Date.parse(b) || cmpStr(a, b);
}
const RANK = { log: 0, 'received-header': 1, mailbox: 2, report: 3 } as const;
const kindRank = (e: TimelineEntry): number => RANK[e.kind];
const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
function cmpLoc(a: string, b: string): number {
  const na = /line (\d+)/.exec(a), nb = /line (\d+)/.exec(b);
  if (na && nb) return Number(na[1]) - Number(nb[1]);
  // Received headers stamped in the same second: the older hop (lower in the header, higher index) first.
  const ha = /header #(\d+) \(Received\)/.exec(a), hb = /header #(\d+) \(Received\)/.exec(b);
  if (ha && hb) return Number(hb[1]) - Number(ha[1]);
  return cmpStr(a, b);
}
