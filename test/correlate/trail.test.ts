// Server-to-server linking on the real two-server fixtures (fixtures/cases, made by fixtures/lab/make-cases.sh with
// real Postfix and Dovecot): sender queue id → "250 … queued as X" → the receiver's transaction X → the Received
// header whose id is X in the delivered Maildir copy. Ground truth from each case's truth.json.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openStore, type Db } from '../../src/store/db.js';
import { startRun } from '../../src/store/journal.js';
import { ingest } from '../../src/ingest/ingest.js';
import { realIngestPorts } from '../../src/cli/ingest-ports.js';
import { createPreparePool } from '../../src/ingest/prepare-pool.js';
import { hopsByQueueId, LogEventReader } from '../../src/store/log-events.js';
import { buildTrail, orderTiesByCause, seedEvents, type Trail, type TraceQuestion } from '../../src/correlate/trail.js';
import { buildTraceDoc } from '../../src/report/trace.js';
import { coverageAt, CoverageTracker } from '../../src/correlate/coverage.js';
import { fixturePath } from '../helpers/corpus.js';
import { tempDir } from '../helpers/mail.js';

interface Truth {
  messageId: string | null;
  envelope: { from: string; to: string };
  sender: { queueIds: string[]; deliveries: Array<{ remoteQueueId: string | null }> };
  receiver: { queueIds: string[] };
  mailboxes: { receiver: Array<{ folder: string; role: string }> };
}

export async function ingestCase(name: string): Promise<Db> {
  const db = openStore(path.join(tempDir(), `${name}.db`));
  const runId = startRun(db, { at: '2026-11-24T00:00:00.000Z', command: 'test', args: [], toolVersion: 'test' });
  const pool = createPreparePool(0);
  const sum = await ingest([fixturePath('cases', name)], {
    headersOnly: false, mboxFormat: 'mboxrd', maxMessageBytes: 1 << 24, log: { year: 2026, tz: 0 },
  }, realIngestPorts(db, { runId, toolVersion: 'test' }, {}, pool));
  await pool.close();
  expect(sum.errors).toBe(0);
  return db;
}

export function trace(db: Db, q: TraceQuestion): Trail {
  const r = new LogEventReader(db);
  const ports = {
    byMessageId: (m: string) => r.byMessageId(m), byQueueId: (x: string) => r.byQueueId(x), transaction: (a: number, x: string) => r.transaction(a, x),
    byRemoteQueueId: (x: string) => r.byRemoteQueueId(x), byRelatedQueueId: (x: string) => r.byRelatedQueueId(x),
    byAddress: (s: 'from' | 'to', a: string, f: number, t: number) => r.byAddress(s, a, f, t), hopsByQueueId: (x: string) => hopsByQueueId(db, x),
  };
  return buildTrail(seedEvents(q, ports), ports);
}

const CASES = readdirSync(fixturePath('cases')).filter((c) => !c.includes('.')).sort();

describe.each(CASES)('case %s', (name) => {
  const truth = JSON.parse(readFileSync(fixturePath('cases', name, 'truth.json'), 'utf8')) as Truth;
  let db: Db;
  beforeAll(async () => { db = await ingestCase(name); });

  it('links every transaction of the message, and the sender\'s "queued as" to the receiver\'s own entry and Received id', () => {
    if (truth.messageId === null) {
      expect(trace(db, { from: truth.envelope.from, to: truth.envelope.to }).items).toEqual([]);
      return;
    }
    const t = trace(db, { messageId: truth.messageId });
    const logs = t.items.flatMap((i) => (i.kind === 'log' ? [i.log] : []));
    const queueIds = new Set(logs.map((e) => e.queueId));
    for (const q of [...truth.sender.queueIds, ...truth.receiver.queueIds]) expect(queueIds.has(q)).toBe(true);
    for (const d of truth.sender.deliveries) {
      if (d.remoteQueueId === null) continue;
      const sent = logs.find((e) => e.remoteQueueId === d.remoteQueueId && e.status === 'sent')!;
      const received = logs.find((e) => e.queueId === d.remoteQueueId && e.status === 'received')!;
      expect(sent.path).toMatch(/sender\/mail\.log$/);
      expect(received.path).toMatch(/receiver\/mail\.log$/);
      const rq = t.links.filter((l) => l.key === 'remote-queue-id' && l.value === d.remoteQueueId);
      expect(rq.length).toBeGreaterThan(0);
      // The delivered copy (when it is still in the Maildir) names the same id in a Received header.
      const delivered = truth.mailboxes.receiver.some((m) => m.role === 'message');
      const hop = t.items.find((i) => i.kind === 'received-header' && i.hop.queueId === d.remoteQueueId);
      expect(hop !== undefined).toBe(delivered);
      if (hop) expect(t.links.some((l) => l.key === 'received-id' && l.value === d.remoteQueueId)).toBe(true);
    }
  });

  it(truth.sender.queueIds.length > 0 ? 'finds the same transactions by sender and recipient' : 'by sender and recipient, finds nothing in the sender\'s logs (its server never had the message)', () => {
    // The window the claim gives (both servers' logs cover it), widened by a day each side: cases are made on different days.
    const claim = JSON.parse(readFileSync(fixturePath('cases', name, 'claim.json'), 'utf8')) as { since: string; until: string };
    const day = 86_400_000;
    const t = trace(db, { from: truth.envelope.from, to: truth.envelope.to, sinceMs: Date.parse(claim.since) - day, untilMs: Date.parse(claim.until) + day });
    const q = new Set(t.items.flatMap((i) => (i.kind === 'log' ? [i.log.queueId] : [])));
    for (const s of truth.sender.queueIds) expect(q.has(s)).toBe(true);
    // never-sent, sent-copy-only, forged-from: the sender's server logged no transaction for it.
    if (truth.sender.queueIds.length === 0) expect(t.items.filter((i) => i.kind === 'log' && /\/sender\//.test(i.log.path))).toEqual([]);
  });

  // A message's trail to order: never-sent has no Message-ID and no trail (the first test checks it is empty).
  const mid = truth.messageId;
  if (mid !== null) it('orders lines of one second by cause: each log in file order, a hand-off before the next server\'s line of it', () => {
    const doc = buildTraceDoc(trace(db, { messageId: mid }), {}, [], 'test');
    const logs = doc.events.filter((e) => e.kind === 'log');
    const pos = new Map(logs.map((e, i) => [e.id, i]));
    let checked = 0;
    for (const e of logs) {
      for (const l of e.links) {
        const o = logs[pos.get(l.event) ?? -1];
        if (o === undefined || e.time !== o.time) continue;
        // A hand-off: e named o's queue id in its reply. It comes first, even when both were logged in the same second.
        if ((l.key === 'remote-queue-id' || l.key === 'content-filter') && e.remoteQueueId === l.value && o.queueId === l.value) {
          expect(pos.get(e.id)!, `${e.source.path}:${e.source.line} before ${o.source.path}:${o.source.line}`).toBeLessThan(pos.get(o.id)!);
          checked++;
        }
      }
    }
    for (const [i, e] of logs.entries()) {
      const later = logs.slice(i + 1).find((o) => o.source.sha256 === e.source.sha256 && o.time === e.time);
      if (later) expect(Number(later.source.line)).toBeGreaterThan(Number(e.source.line));
    }
    // In delivered-with-receipts both servers logged the hand-off in the same second (and the receiver's log sorted
    // first by its hash, so the receiver used to be shown taking the message before the sender sent it).
    if (name === 'delivered-with-receipts') expect(checked).toBeGreaterThan(0);
  });
});

describe('orderTiesByCause', () => {
  const sameTime = (a: string, b: string): boolean => a[0] === b[0];
  it('reorders only inside a run of equal times, keeping the given order where no pair speaks', () => {
    // Times are the first letter; b2 must come before a1 (a hand-off), a1 before a3 (file order).
    expect(orderTiesByCause(['0x', 'Ta1', 'Ta3', 'Tb2', 'Tz', 'Ua'], (a, b) => a[0] === b[0], [['Tb2', 'Ta1'], ['Ta1', 'Ta3']])).toEqual(['0x', 'Tb2', 'Ta1', 'Ta3', 'Tz', 'Ua']);
    // A pair across two times changes nothing.
    expect(orderTiesByCause(['A1', 'B1'], sameTime, [['B1', 'A1']])).toEqual(['A1', 'B1']);
  });
  it('pairs that contradict each other (logs that disagree) still give every item once', () => {
    expect(orderTiesByCause(['T1', 'T2', 'T3'], sameTime, [['T1', 'T2'], ['T2', 'T1'], ['T3', 'T1']])).toEqual(['T3', 'T1', 'T2']);
  });
  it('acyclic pairs: a permutation within each run that keeps every pair and is otherwise the earliest-first order', () => {
    // Items are numbers; a run is a block of equal tens. Pairs only go forward by a random key, so there is no cycle.
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 60 }), fc.array(fc.tuple(fc.nat(59), fc.nat(59)), { maxLength: 80 }), fc.array(fc.nat(1000), { minLength: 60, maxLength: 60 }), (runs, pairs, rank) => {
      const items = runs.flatMap((len, r) => Array.from({ length: len + 1 }, (_, k) => r * 100 + k));
      const byRank = (a: number, b: number): boolean => (rank[a % 60]! - rank[b % 60]! || a - b) < 0;
      const edges = pairs.flatMap(([x, y]) => {
        const a = items[x % items.length]!, b = items[y % items.length]!;
        return a !== b && byRank(a, b) ? [[a, b] as const] : [];
      });
      const run = (x: number): number => Math.floor(x / 100);
      const got = orderTiesByCause(items, (a, b) => run(a) === run(b), edges);
      expect([...got].sort((a, b) => a - b)).toEqual(items);
      const at = new Map(got.map((x, i) => [x, i]));
      for (const [a, b] of edges) if (run(a) === run(b)) expect(at.get(a)!).toBeLessThan(at.get(b)!);
      for (let i = 1; i < got.length; i++) if (run(got[i - 1]!) !== run(got[i]!)) expect(run(got[i - 1]!)).toBeLessThan(run(got[i]!));
      // Earliest-first: each item placed is the smallest whose predecessors in its run were all placed before it.
      for (const [i, x] of got.entries()) {
        const placed = new Set(got.slice(0, i));
        const free = items.filter((y) => run(y) === run(x) && !placed.has(y) && edges.every(([a, b]) => b !== y || run(a) !== run(y) || placed.has(a)));
        expect(x).toBe(Math.min(...free));
      }
    }), { numRuns: 200 });
  });
});

describe('coverage', () => {
  it('records the span and holes longer than the threshold, and where a time falls', () => {
    const c = new CoverageTracker(600, 60);
    c.observe(Date.parse('2026-11-24T10:00:00Z'), 1);
    c.observe(Date.parse('2026-11-24T10:05:00Z'), 2);
    c.observe(Date.parse('2026-11-24T12:00:00Z'), 3);
    expect(c.observe(Date.parse('2026-11-24T11:00:00Z'), 4)).toMatchObject({ line: 4, previousLine: 3, seconds: 3600 });
    const r = c.result();
    // The line at 11:00 is a covered moment of its own (a segment after the jump back), splitting the hole in two.
    expect(r).toMatchObject({ first: '2026-11-24T10:00:00.000Z', last: '2026-11-24T12:00:00.000Z', gaps: [{ afterLine: 2, beforeLine: 4, seconds: 3300 }, { afterLine: 4, beforeLine: 3, seconds: 3600 }] });
    expect(coverageAt(r, '2026-11-24T10:01:00.000Z')).toBe('covered');
    expect(coverageAt(r, '2026-11-24T11:30:00.000Z')).toBe('gap');
    expect(coverageAt(r, '2026-11-25T00:00:00.000Z')).toBe('outside');
  });
});
