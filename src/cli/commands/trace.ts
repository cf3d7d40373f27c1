// `mailtrail trace`: every stored event for one message, across log sources and servers, in time order.
// Thin: options → seedEvents + buildTrail (correlate/) over the store → buildTraceDoc → table or JSON.

import { MailtrailError } from '../../errors.js';
import { openStore } from '../../store/db.js';
import { hopsByQueueId, LogEventReader, logCoverage } from '../../store/log-events.js';
import { buildTrail, seedEvents, type TraceQuestion } from '../../correlate/trail.js';
import { buildTraceDoc, noMatchLines, traceRows, traceTimeHeader } from '../../report/trace.js';
import { outputFormat, renderFitted, toJson, type Ctx } from '../output.js';

export interface TraceCliOptions {
  messageId?: string;
  from?: string;
  to?: string;
  since?: string;
  until?: string;
  json?: boolean;
  jsonl?: boolean;
}

/** `2026-11-01` (a whole UTC day: since = its start, until = its end) or a full ISO time. */
export function parseWhen(v: string, edge: 'since' | 'until'): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    const t = Date.parse(`${v}T00:00:00Z`);
    if (!Number.isNaN(t)) return edge === 'since' ? t : t + 86_400_000 - 1;
  }
  const t = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(v) ? v : `${v}Z`);
  if (Number.isNaN(t)) throw new MailtrailError('USAGE', `--${edge}: not a date or time: '${v}'`, { hint: 'use 2026-11-01 or 2026-11-01T14:00:00Z' });
  return t;
}

export async function runTrace(opts: TraceCliOptions, ctx: Ctx): Promise<number> {
  const fmt = outputFormat(opts);
  if (opts.messageId === undefined && opts.from === undefined && opts.to === undefined) {
    throw new MailtrailError('USAGE', 'trace needs --message-id, or --from and/or --to', { hint: "mailtrail trace --message-id '<id@example.com>'" });
  }
  const q: TraceQuestion = {
    messageId: opts.messageId, from: opts.from, to: opts.to,
    sinceMs: opts.since === undefined ? undefined : parseWhen(opts.since, 'since'),
    untilMs: opts.until === undefined ? undefined : parseWhen(opts.until, 'until'),
  };
  const db = openStore(ctx.config.db, { readonly: true });
  try {
    const reader = new LogEventReader(db);
    const ports = {
      byMessageId: (m: string) => reader.byMessageId(m),
      byQueueId: (x: string) => reader.byQueueId(x),
      transaction: (a: number, x: string) => reader.transaction(a, x),
      byRemoteQueueId: (x: string) => reader.byRemoteQueueId(x),
      byRelatedQueueId: (x: string) => reader.byRelatedQueueId(x),
      byAddress: (s: 'from' | 'to', a: string, since: number, until: number) => reader.byAddress(s, a, since, until),
      hopsByQueueId: (x: string) => hopsByQueueId(db, x),
    };
    const trail = buildTrail(seedEvents(q, ports), ports);
    const question = {
      messageId: opts.messageId ?? null, from: opts.from ?? null, to: opts.to ?? null, since: opts.since ?? null, until: opts.until ?? null,
    };
    const coverage = logCoverage(db);
    const doc = buildTraceDoc(trail, question, coverage, ctx.toolVersion);
    if (fmt === 'json') ctx.io.out(toJson(doc));
    else if (fmt === 'jsonl') {
      const lines = doc.events.map((e) => JSON.stringify({ type: 'event', ...e }));
      lines.push(JSON.stringify({ type: 'summary', schemaVersion: 1, events: doc.events.length, truncated: doc.truncated }));
      ctx.io.out(lines.join('\n') + '\n');
    } else if (doc.events.length === 0) {
      const window = q.sinceMs === undefined || q.untilMs === undefined ? null : { from: new Date(q.sinceMs).toISOString(), to: new Date(q.untilMs).toISOString() };
      ctx.io.err(`mailtrail: ${noMatchLines(coverage, window).join('\n')}\n`);
    } else {
      ctx.io.out(renderFitted([traceTimeHeader(doc), 'source', 'host', 'event', 'status', 'detail'], traceRows(doc), ctx.config.columns, undefined, [15, 10, 5, 7, 9, 15]) + '\n');
      if (doc.events.some((e) => e.timeBasis !== 'explicit-zone' && e.time !== null)) ctx.io.out('* year or zone assumed (see --json timeAssumption; ingest with --year/--tz)\n');
      if (doc.truncated) ctx.io.err('mailtrail: the trail was cut at its size limit; narrow the question\n');
    }
    return 0;
  } finally {
    db.close();
  }
}
