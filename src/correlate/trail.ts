// Follows one message across log sources and servers. Starting from seed events it gathers transactions and the
// keys that join them:
//   queue-id         lines of one transaction: same queue id in one artifact (and a rotated file of the same
//                    host within a day: a message can straddle a rotation)
//   message-id       transactions that logged the same Message-ID, in any artifact
//   remote-queue-id  server to server: the sender's `250 … queued as X` ↔ the receiving log's transaction X
//   content-filter   a re-injection on the same server (`queued as X` from the filter's reply, `orig_queue_id`)
//   bounce           a transaction ↔ the DSN it caused (`sender non-delivery notification: Y`)
//   received-id      a transaction X ↔ the Received header whose `id` is X in a stored copy of the message
// Cross-server joins require the two sides to be within a day of each other and, when both logged a Message-ID,
// to agree on it: short queue ids repeat across servers and time. Host names are never relied on for those joins.
// Pure: look-ups come in through TrailPorts (store/log-events.ts in the CLI, arrays in tests).

import type { StoredHop, StoredLogEvent } from './types.js';

export type LinkKey = 'queue-id' | 'message-id' | 'remote-queue-id' | 'content-filter' | 'bounce' | 'related-queue-id' | 'received-id';

export interface TrailPorts extends SeedPorts {
  byMessageId(mid: string): StoredLogEvent[];
  byQueueId(qid: string): StoredLogEvent[];
  transaction(artifactId: number, qid: string): StoredLogEvent[];
  byRemoteQueueId(qid: string): StoredLogEvent[];
  byRelatedQueueId(qid: string): StoredLogEvent[];
  hopsByQueueId(qid: string): StoredHop[];
}

export type TrailItem = { kind: 'log'; key: string; log: StoredLogEvent } | { kind: 'received-header'; key: string; hop: StoredHop };

export interface TrailLink { a: string; b: string; key: LinkKey; value: string }

export interface Trail {
  items: TrailItem[];
  links: TrailLink[];
  /** True when a limit stopped the expansion (the trail may be incomplete). */
  truncated: boolean;
}

const DAY_MS = 86_400_000;
const MAX_TX = 200;
const MAX_EVENTS = 5000;

const evKey = (e: StoredLogEvent): string => `L${e.rowId}`;
const hopKey = (h: StoredHop): string => `H${h.messageSha256}:${h.hopIndex}`;
const txKey = (artifactId: number, qid: string): string => `${artifactId}|${qid}`;

function near(a: StoredLogEvent, b: StoredLogEvent): boolean {
  return a.timeMs === null || b.timeMs === null || Math.abs(a.timeMs - b.timeMs) <= DAY_MS;
}
function sameMessage(a: string | null, b: string | null): boolean {
  return a === null || b === null || a.toLowerCase() === b.toLowerCase();
}
function byTime(a: StoredLogEvent, b: StoredLogEvent): number {
  return (a.timeMs ?? Infinity) - (b.timeMs ?? Infinity) || a.artifactId - b.artifactId || a.line - b.line;
}

/** The earliest event of each artifact, in artifact order. */
function firstPerArtifact(events: StoredLogEvent[]): StoredLogEvent[] {
  const first = new Map<number, StoredLogEvent>();
  for (const e of events) {
    const f = first.get(e.artifactId);
    if (f === undefined || byTime(e, f) < 0) first.set(e.artifactId, e);
  }
  return [...first.values()].sort((a, b) => a.artifactId - b.artifactId);
}

/** The Message-ID a transaction logged, from any of its events in `events`. */
function midOf(events: StoredLogEvent[], artifactId: number): string | null {
  for (const e of events) if (e.artifactId === artifactId && e.messageId !== null && e.messageId !== '') return e.messageId;
  return null;
}

/**
 * The ports with each look-up answered once per trail: the transactions of one message ask the same questions
 * (the same queue id in five rotated files, the same Message-ID, the same hops), and the store's answer does not
 * change while a trail is built. Answers are shared arrays: callers must not mutate them.
 */
function onceEach(p: TrailPorts): TrailPorts {
  const memo = <A extends unknown[], R>(f: (...a: A) => R): ((...a: A) => R) => {
    const seen = new Map<string, R>();
    return (...a: A): R => {
      const k = a.join('\u0000');
      let r = seen.get(k);
      if (r === undefined) { r = f(...a); seen.set(k, r); }
      return r;
    };
  };
  return {
    byMessageId: memo((m: string) => p.byMessageId(m)),
    byQueueId: memo((x: string) => p.byQueueId(x)),
    transaction: memo((a: number, x: string) => p.transaction(a, x)),
    byRemoteQueueId: memo((x: string) => p.byRemoteQueueId(x)),
    byRelatedQueueId: memo((x: string) => p.byRelatedQueueId(x)),
    hopsByQueueId: memo((x: string) => p.hopsByQueueId(x)),
    byAddress: (s, a, f, t) => p.byAddress(s, a, f, t),
  };
}

export function buildTrail(seeds: StoredLogEvent[], rawPorts: TrailPorts): Trail {
  const ports = onceEach(rawPorts);
  const items = new Map<string, TrailItem>();
  const links = new Map<string, TrailLink>();
  const txDone = new Set<string>();
  const txMid = new Map<string, string | null>();
  const queue: Array<{ artifactId: number; qid: string | null; seed: StoredLogEvent }> = [];
  const midsDone = new Set<string>();
  let truncated = false;

  const addEvent = (e: StoredLogEvent): string => {
    const k = evKey(e);
    if (!items.has(k)) items.set(k, { kind: 'log', key: k, log: e });
    return k;
  };
  const link = (a: string, b: string, key: LinkKey, value: string): void => {
    if (a === b) return;
    const [x, y] = a < b ? [a, b] : [b, a];
    const id = `${x}|${y}|${key}`;
    if (!links.has(id)) links.set(id, { a: x, b: y, key, value });
  };
  const enqueue = (e: StoredLogEvent): void => {
    const k = e.queueId === null ? `row:${e.rowId}` : txKey(e.artifactId, e.queueId);
    if (txDone.has(k)) return;
    if (txDone.size >= MAX_TX || items.size >= MAX_EVENTS) { truncated = true; return; }
    txDone.add(k);
    queue.push({ artifactId: e.artifactId, qid: e.queueId, seed: e });
  };

  for (const s of seeds) enqueue(s);
  while (queue.length > 0) {
    const { artifactId, qid, seed } = queue.shift()!;
    const events = (qid === null ? [seed] : ports.transaction(artifactId, qid).slice()).sort(byTime);
    if (events.length === 0) continue;
    const anchor = events[0]!;
    const aKey = addEvent(anchor);
    let mid: string | null = null;
    for (const e of events) {
      const k = addEvent(e);
      if (qid !== null) link(k, aKey, 'queue-id', qid);
      if (e.messageId !== null && e.messageId !== '') mid = e.messageId;
    }
    if (qid !== null) txMid.set(txKey(artifactId, qid), mid);

    // Same Message-ID anywhere.
    if (mid !== null && !midsDone.has(mid.toLowerCase())) {
      midsDone.add(mid.toLowerCase());
      for (const o of ports.byMessageId(mid)) {
        if (o.artifactId === artifactId && o.queueId === qid) continue;
        link(addEvent(o), aKey, 'message-id', mid);
        enqueue(o);
      }
    }
    for (const e of events) {
      // Forward: this server handed it on and the next one said which id it gave it.
      if (e.remoteQueueId !== null && (e.status === 'sent' || e.status === 'delivered')) {
        const targets = ports.byQueueId(e.remoteQueueId).filter((t) => !(t.artifactId === artifactId && t.queueId === qid) && near(e, t));
        for (const t of firstPerArtifact(targets)) {
          if (!sameMessage(mid, midOf(targets, t.artifactId))) continue;
          link(evKey(e), addEvent(t), t.artifactId === artifactId ? 'content-filter' : 'remote-queue-id', e.remoteQueueId);
          enqueue(t);
        }
      }
      // This transaction names another one on the same server.
      if (e.relatedQueueId !== null) {
        const key: LinkKey = e.status === 'notified' ? 'bounce' : e.status === 'received' ? 'content-filter' : 'related-queue-id';
        for (const t of ports.transaction(artifactId, e.relatedQueueId)) {
          link(evKey(e), addEvent(t), key, e.relatedQueueId);
          enqueue(t);
          break;
        }
      }
    }
    if (qid === null) continue;
    // Backward: who handed this transaction to us (their reply named our queue id).
    for (const s of ports.byRemoteQueueId(qid)) {
      if (!(s.status === 'sent' || s.status === 'delivered') || !near(s, anchor) || !sameMessage(mid, s.messageId)) continue;
      if (s.artifactId === artifactId && s.queueId === qid) continue;
      link(addEvent(s), aKey, s.artifactId === artifactId ? 'content-filter' : 'remote-queue-id', qid);
      enqueue(s);
    }
    // Transactions on this server that name this one (the original of a bounce, the pre-filter copy).
    for (const s of ports.byRelatedQueueId(qid)) {
      if (s.artifactId !== artifactId) continue;
      link(addEvent(s), aKey, s.status === 'notified' ? 'bounce' : s.status === 'received' ? 'content-filter' : 'related-queue-id', qid);
      enqueue(s);
    }
    // A rotated file of the same server holding more lines of this transaction.
    const rotated = ports.byQueueId(qid).filter((o) => o.artifactId !== artifactId && o.host !== null && o.host === anchor.host && near(o, anchor));
    for (const o of firstPerArtifact(rotated)) {
      if (!sameMessage(mid, midOf(rotated, o.artifactId))) continue;
      link(addEvent(o), aKey, 'queue-id', qid);
      enqueue(o);
    }
    // The delivered copy's Received header that carries this queue id.
    for (const h of ports.hopsByQueueId(qid)) {
      if (!sameMessage(mid, h.messageIdHeader === null ? null : h.messageIdHeader.replace(/^<|>$/g, ''))) continue;
      const hk = hopKey(h);
      if (!items.has(hk)) items.set(hk, { kind: 'received-header', key: hk, hop: h });
      link(hk, aKey, 'received-id', qid);
    }
  }
  return { items: [...items.values()], links: [...links.values()], truncated };
}

export interface SeedPorts {
  byMessageId(mid: string): StoredLogEvent[];
  byAddress(side: 'from' | 'to', addr: string, sinceMs: number, untilMs: number): StoredLogEvent[];
}

export interface TraceQuestion {
  messageId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  sinceMs?: number | undefined;
  untilMs?: number | undefined;
}

/** `<id@host>` or `id@host` → `id@host`. */
export function bareMessageId(v: string): string {
  const t = v.trim();
  return t.startsWith('<') && t.endsWith('>') ? t.slice(1, -1) : t;
}

function addrForms(a: string): string[] {
  const b = bareMessageId(a);
  return [...new Set([b, b.toLowerCase()])];
}

/**
 * The events a question starts from: lines that logged the Message-ID, or lines with the envelope sender and/or
 * recipient inside the time window. With both sender and recipient, a transaction must show both.
 */
export function seedEvents(q: TraceQuestion, ports: SeedPorts): StoredLogEvent[] {
  const since = q.sinceMs ?? -8.64e15, until = q.untilMs ?? 8.64e15;
  if (q.messageId !== undefined) {
    const seeds = ports.byMessageId(bareMessageId(q.messageId));
    return seeds.filter((e) => e.timeMs === null || (e.timeMs >= since && e.timeMs <= until));
  }
  const side = (s: 'from' | 'to', a: string): StoredLogEvent[] => addrForms(a).flatMap((f) => ports.byAddress(s, f, since, until));
  const tx = (e: StoredLogEvent): string => (e.queueId === null ? `row:${e.rowId}` : `${e.artifactId}|${e.queueId}`);
  const froms = q.from === undefined ? null : side('from', q.from);
  const tos = q.to === undefined ? null : side('to', q.to);
  if (froms !== null && tos !== null) {
    const fromTx = new Set(froms.map(tx));
    const toTx = new Set(tos.map(tx));
    return [...froms.filter((e) => toTx.has(tx(e))), ...tos.filter((e) => fromTx.has(tx(e)))];
  }
  return froms ?? tos ?? [];
}

/**
 * Which trail events must come before which, whatever their timestamps say: a server's lines in file order, and a
 * hand-off (`sent … queued as X`, a content filter's re-injection) before the receiving side's line of X. Pairs of
 * item keys, [before, after]. Used to order events logged in the same second by different servers.
 */
export function causalEdges(trail: Trail): Array<[string, string]> {
  const edges: Array<[string, string]> = [];
  const byArtifact = new Map<number, Array<{ key: string; line: number }>>();
  const logOf = new Map<string, StoredLogEvent>();
  for (const it of trail.items) {
    if (it.kind !== 'log') continue;
    logOf.set(it.key, it.log);
    const list = byArtifact.get(it.log.artifactId) ?? [];
    list.push({ key: it.key, line: it.log.line });
    byArtifact.set(it.log.artifactId, list);
  }
  for (const list of byArtifact.values()) {
    list.sort((a, b) => a.line - b.line);
    for (let i = 1; i < list.length; i++) edges.push([list[i - 1]!.key, list[i]!.key]);
  }
  for (const l of trail.links) {
    if (l.key !== 'remote-queue-id' && l.key !== 'content-filter') continue;
    const a = logOf.get(l.a), b = logOf.get(l.b);
    if (a === undefined || b === undefined) continue;
    // The hand-off is the line whose reply named the other side's queue id.
    if (a.remoteQueueId === l.value && b.queueId === l.value) edges.push([l.a, l.b]);
    else if (b.remoteQueueId === l.value && a.queueId === l.value) edges.push([l.b, l.a]);
  }
  return edges;
}

/**
 * `sorted` with each run of equal times (`sameTime`, contiguous in `sorted`) put in an order that keeps every
 * [before, after] pair inside the run, otherwise as given: of the items whose predecessors in the run are all placed,
 * the earliest in `sorted` comes next. Should the pairs contradict each other (logs that disagree), the earliest
 * unplaced item is taken anyway and the order stays total. O((n + pairs) log n) per run, whatever the pairs.
 */
export function orderTiesByCause<T>(sorted: readonly T[], sameTime: (a: T, b: T) => boolean, edges: ReadonlyArray<readonly [T, T]>): T[] {
  const succ = new Map<T, T[]>();
  const hasPred = new Set<T>();
  for (const [a, b] of edges) {
    const l = succ.get(a);
    if (l) l.push(b);
    else succ.set(a, [b]);
    hasPred.add(b);
  }
  const out: T[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i + 1;
    while (j < sorted.length && sameTime(sorted[i]!, sorted[j]!)) j++;
    const run = sorted.slice(i, j);
    i = j;
    if (run.length === 1 || !run.some((x) => hasPred.has(x))) {
      out.push(...run);
      continue;
    }
    const pos = new Map(run.map((x, k) => [x, k]));
    const waiting = new Array<number>(run.length).fill(0);
    for (const a of run) for (const b of succ.get(a) ?? []) { const k = pos.get(b); if (k !== undefined && b !== a) waiting[k]!++; }
    const ready = new MinHeap();
    waiting.forEach((w, k) => { if (w === 0) ready.push(k); });
    const placed = new Array<boolean>(run.length).fill(false);
    let firstUnplaced = 0;
    for (let n = 0; n < run.length; n++) {
      let k = ready.pop();
      while (k !== undefined && placed[k]) k = ready.pop();
      if (k === undefined) {
        // The pairs form a cycle: break it at the earliest unplaced item.
        while (placed[firstUnplaced]) firstUnplaced++;
        k = firstUnplaced;
      }
      placed[k] = true;
      out.push(run[k]!);
      for (const b of succ.get(run[k]!) ?? []) {
        const m = pos.get(b);
        if (m !== undefined && !placed[m] && --waiting[m]! === 0) ready.push(m);
      }
    }
  }
  return out;
}

/** A binary min-heap of small integers (positions in a run). */
class MinHeap {
  private readonly a: number[] = [];
  push(x: number): void {
    const a = this.a;
    let i = a.push(x) - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]! <= x) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = x;
  }
  pop(): number | undefined {
    const a = this.a;
    if (a.length === 0) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i, v = last;
        if (l < a.length && a[l]! < v) { m = l; v = a[l]!; }
        if (r < a.length && a[r]! < v) m = r;
        if (m === i) break;
        a[i] = a[m]!;
        i = m;
      }
      a[i] = last;
    }
    return top;
  }
}

/**
 * True when `line`, from another log, is the sending side's record of `refusal`: for the same recipient, its reply
 * quotes the refusal's text (`host mx said: 550 5.1.1 <bbo@…>: Recipient address rejected…`).
 */
export function reportsRefusal(line: StoredLogEvent, refusal: StoredLogEvent): boolean {
  const quote = refusal.reply?.trim().slice(0, 80) ?? '';
  const rcpt = refusal.to?.toLowerCase() ?? null;
  if (quote.length < 8 || rcpt === null || line.artifactId === refusal.artifactId || line.reply === null) return false;
  return line.reply.includes(quote) && (line.to ?? '').toLowerCase().split(',').includes(rcpt);
}

/**
 * Where a receiving server's refusal (`NOQUEUE: reject`, logged with no queue id, so outside the trail) falls among
 * the sender's lines: before the sender's line that reports it (same recipient, its reply quoting the refusal) and
 * after that message's line just before it in the sender's log (the attempt starts after the sender queued it).
 * Keys of those trail items; null where none is found.
 */
export function refusalPlace(trail: Trail, refusal: StoredLogEvent): { after: string | null; before: string | null } {
  const logs = trail.items.flatMap((it) => (it.kind === 'log' ? [it] : []));
  const report = logs.find(({ log: s }) => reportsRefusal(s, refusal));
  if (report === undefined) return { after: null, before: null };
  let after: { key: string; line: number } | null = null;
  for (const { key, log: s } of logs) {
    if (s.artifactId !== report.log.artifactId || s.queueId !== report.log.queueId || s.line >= report.log.line) continue;
    if (after === null || s.line > after.line) after = { key, line: s.line };
  }
  return { after: after?.key ?? null, before: report.key };
}
