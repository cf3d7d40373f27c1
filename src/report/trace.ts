// The `trace` report: a trail (correlate/trail.ts) as one versioned document — every event in a stable order with
// its source (artifact sha256, line, byte offset) and the links that joined it — and as timeline table rows.
// Pure: same trail in, same document out (byte for byte once serialised). Times are ISO UTC.

import { causalEdges, orderTiesByCause, type Trail, type TrailItem, type LinkKey } from '../correlate/trail.js';
import type { StoredCoverage } from '../store/log-events.js';
import { logLineWords } from './log-words.js';
import { judgeCoverage } from '../verdict/log-sides.js';

export interface TraceLinkJson { event: string; key: LinkKey; value: string }

export interface TraceEventJson {
  id: string;
  kind: 'log' | 'received-header';
  time: string | null;
  timeBasis: string;
  timeAssumption: string | null;
  source: Record<string, string | number | null>;
  format: string | null;
  host: string | null;
  program: string | null;
  queueId: string | null;
  messageId: string | null;
  from: string | null;
  to: string | null;
  origTo: string | null;
  relay: string | null;
  client: string | null;
  status: string | null;
  dsn: string | null;
  reply: string | null;
  remoteQueueId: string | null;
  relatedQueueId: string | null;
  delay: number | null;
  size: number | null;
  detail: string | null;
  links: TraceLinkJson[];
}

export interface TraceDoc {
  schemaVersion: 1;
  tool: { name: 'mailtrail'; version: string };
  question: Record<string, string | null>;
  events: TraceEventJson[];
  /** Every log source in the store with the span it covers and its gaps: absence means something only inside them. */
  sources: Array<{ sha256: string; path: string; format: string; first: string | null; last: string | null; complete: boolean; timeAssumption: string | null; gaps: StoredCoverage['gaps'] }>;
  truncated: boolean;
}

function timeOf(it: TrailItem): number {
  if (it.kind === 'log') return it.log.timeMs ?? Infinity;
  const t = it.hop.date === null ? NaN : Date.parse(it.hop.date);
  return Number.isNaN(t) ? Infinity : t;
}
function sourceKey(it: TrailItem): string {
  return it.kind === 'log' ? `${it.log.sha256}:${String(it.log.line).padStart(12, '0')}` : `${it.hop.artifactSha256 ?? ''}:${it.hop.messageSha256}:${String(it.hop.hopIndex).padStart(4, '0')}`;
}
/** In one second, a mailbox server's lines (Dovecot) after the MTAs': it saves what an MTA handed it. */
const mailboxServer = (it: TrailItem): number => (it.kind === 'log' && it.log.format === 'dovecot' ? 1 : 0);
function order(a: TrailItem, b: TrailItem): number {
  const d = timeOf(a) - timeOf(b);
  if (d !== 0 && !Number.isNaN(d)) return d;
  const m = mailboxServer(a) - mailboxServer(b);
  if (m !== 0) return m;
  const sa = sourceKey(a), sb = sourceKey(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function toJson(it: TrailItem, id: string): TraceEventJson {
  if (it.kind === 'log') {
    const e = it.log;
    return {
      id, kind: 'log', time: e.timeMs === null ? null : new Date(e.timeMs).toISOString(), timeBasis: e.timeBasis,
      timeAssumption: e.timeBasis === 'explicit-zone' ? null : e.timeAssumption,
      source: { sha256: e.sha256, path: e.path, line: e.line, offset: e.offset, offsetsIn: e.offsetsIn, streamSha256: e.streamSha256 },
      format: e.format, host: e.host, program: e.program, queueId: e.queueId, messageId: e.messageId, from: e.from, to: e.to,
      origTo: e.origTo, relay: e.relay, client: e.client, status: e.status, dsn: e.dsn, reply: e.reply, remoteQueueId: e.remoteQueueId,
      relatedQueueId: e.relatedQueueId, delay: e.delay, size: e.size, detail: e.detail, links: [],
    };
  }
  const h = it.hop;
  const t = h.date === null ? NaN : Date.parse(h.date);
  return {
    id, kind: 'received-header', time: Number.isNaN(t) ? null : new Date(t).toISOString(), timeBasis: Number.isNaN(t) ? 'unknown' : 'explicit-zone',
    timeAssumption: null,
    source: { sha256: h.artifactSha256, path: h.artifactPath, messageSha256: h.messageSha256, header: h.headerIndex, hop: h.hopIndex, folder: h.folder },
    format: null, host: h.byHost, program: 'Received', queueId: h.queueId,
    messageId: h.messageIdHeader === null ? null : h.messageIdHeader.replace(/^<|>$/g, ''), from: null, to: h.forAddr, origTo: null,
    relay: null, client: h.fromHost === null && h.fromIp === null ? null : `${h.fromHost ?? ''}${h.fromIp === null ? '' : `[${h.fromIp}]`}`,
    status: 'received', dsn: null, reply: null, remoteQueueId: null, relatedQueueId: null, delay: null, size: null,
    detail: `Received header ${h.headerIndex + 1} of the stored copy`, links: [],
  };
}

export function buildTraceDoc(trail: Trail, question: Record<string, string | null>, coverage: StoredCoverage[], toolVersion: string): TraceDoc {
  // Events of one second from several servers: a hand-off before the next server's line of it (and each log in file order).
  const key = new Map(trail.items.map((it) => [it.key, it]));
  const edges = causalEdges(trail).flatMap(([a, b]) => [[key.get(a)!, key.get(b)!] as const]);
  const sorted = orderTiesByCause([...trail.items].sort(order), (a, b) => a.kind === 'log' && b.kind === 'log' && timeOf(a) === timeOf(b), edges);
  const ids = new Map<string, string>();
  const events = sorted.map((it, i) => { const id = `e${i + 1}`; ids.set(it.key, id); return toJson(it, id); });
  const byId = new Map(events.map((e) => [e.id, e]));
  for (const l of trail.links) {
    const a = ids.get(l.a), b = ids.get(l.b);
    if (a === undefined || b === undefined) continue;
    byId.get(a)!.links.push({ event: b, key: l.key, value: l.value });
    byId.get(b)!.links.push({ event: a, key: l.key, value: l.value });
  }
  const num = (s: string): number => Number(s.slice(1));
  for (const e of events) e.links.sort((x, y) => num(x.event) - num(y.event) || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  return {
    schemaVersion: 1,
    tool: { name: 'mailtrail', version: toolVersion },
    question,
    events,
    sources: coverage.map((c) => ({ sha256: c.sha256, path: c.path, format: c.format, first: c.first, last: c.last, complete: c.complete, timeAssumption: c.timeAssumption, gaps: c.gaps })),
    truncated: trail.truncated,
  };
}

const CROSS: ReadonlySet<string> = new Set(['remote-queue-id', 'content-filter', 'bounce', 'received-id', 'message-id', 'related-queue-id']);

/** Timeline rows: time, source, host, event, status, detail. Only links that leave the event's own transaction are shown. */
export function traceRows(doc: TraceDoc): string[][] {
  const years = new Set(doc.events.map((e) => e.time?.slice(0, 4)).filter((y) => y !== undefined));
  const short = years.size <= 1;
  return doc.events.map((e) => {
    const src = e.kind === 'log' ? `${baseName(String(e.source.path ?? ''))}:${e.source.line}` : `message header ${Number(e.source.header) + 1}`;
    const prog = e.kind === 'received-header' ? 'header' : e.program === null ? '' : e.program.slice(e.program.lastIndexOf('/') + 1);
    const parts = logLineWords(e, e.kind === 'log');
    if (e.status === 'bounced' || e.status === 'deferred' || e.status === 'rejected') { if (e.reply !== null) parts.push(`(${e.reply.slice(0, 120)})`); }
    for (const l of e.links) if (CROSS.has(l.key)) parts.push(`→${l.event} ${l.key}`);
    const time = e.time === null ? '?' : `${e.time.slice(short ? 5 : 0, 10)} ${e.time.slice(11, 19)}${e.timeBasis === 'explicit-zone' ? '' : '*'}`;
    return [time, src, e.host ?? '', prog, e.status ?? '', parts.join(' ')];
  });
}

/** Header of the time column: the year when every event shares it (the rows then show MM-DD). */
export function traceTimeHeader(doc: TraceDoc): string {
  const years = [...new Set(doc.events.map((e) => e.time?.slice(0, 4)).filter((y) => y !== undefined))];
  return years.length === 1 ? `time (${years[0]}, UTC)` : 'time (UTC)';
}

function baseName(p: string): string {
  const parts = p.split('/');
  return parts.length >= 2 ? parts.slice(-2).join('/') : p;
}

const utc = (iso: string | null): string => (iso === null ? '?' : iso.replace('T', ' ').replace(/\.000Z$|Z$/, ' UTC'));

/**
 * What `trace` says when nothing matches: every log searched with the span it covers, and, when the question has a
 * window, whether each log covers all of it without a gap. A log's silence means something only there, so the user
 * is told which logs' silence counts, not just that nothing was found.
 */
export function noMatchLines(coverage: readonly StoredCoverage[], window: { from: string; to: string } | null): string[] {
  if (coverage.length === 0) return ['no log events match: the store holds no log sources (ingest the mail servers\' logs first)'];
  const lines = [`no log events match; ${coverage.length} log source(s) searched:`];
  let covering = 0;
  for (const c of coverage) {
    const assumed = c.timeAssumption === null ? '' : ' (year or zone assumed)';
    if (window === null) {
      const span = c.first === null ? 'no timed lines' : `${utc(c.first)} to ${utc(c.last)}${c.gaps.length ? `, ${c.gaps.length} gap(s)` : ''}`;
      lines.push(`  ${c.path} (${c.format}): ${span}${assumed}`);
      continue;
    }
    const j = judgeCoverage(coverage, new Set([c.artifactId]), window);
    if (j.state === 'covered') covering++;
    lines.push(`  ${j.state === 'covered' ? 'covered' : 'not covered'}: ${j.detail}${assumed}`);
  }
  if (window === null) lines.push('  No --since/--until window to judge: silence here means something only if the message passed within a span above, without a gap there.');
  else if (covering === 0) lines.push('  No log covers the whole window without a gap: their silence does not show the message was not handled.');
  else lines.push(`  ${covering} of ${coverage.length} log(s) cover the whole window without a gap: had the message passed through those servers then, they would have logged it.`);
  return lines;
}
