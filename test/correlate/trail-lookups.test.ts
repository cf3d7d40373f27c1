// Regression (bench: trace p95 12 ms on a 5M-line store): buildTrail asked the store the same question once per
// transaction — the same queue id in every rotated copy, the same hops, the same Message-ID — and read every
// copy's rows again each time. Each look-up now runs once per trail; the trail itself must not change.
// Also here, on hand-made events: where a receiving server's refusal falls among the sender's lines (refusalPlace).
import { describe, expect, it } from 'vitest';
import { buildTrail, refusalPlace, type TrailPorts } from '../../src/correlate/trail.js';
import type { StoredLogEvent } from '../../src/correlate/types.js';

let nextRow = 1;
function ev(artifactId: number, line: number, over: Partial<StoredLogEvent>): StoredLogEvent {
  return {
    rowId: nextRow++, artifactId, sha256: `sha${artifactId}`, path: `/logs/mail-${artifactId}.log`, offsetsIn: 'file', streamSha256: null,
    line, offset: line * 100, timeMs: Date.UTC(2026, 10, 1, 0, 0, line), timeBasis: 'explicit-zone', timeAssumption: null, format: 'postfix',
    host: 'mx1', program: 'postfix/qmgr', pid: 1, queueId: 'A1B2C3D4E5', messageId: null, from: null, to: null, origTo: null, relay: null,
    client: null, status: null, dsn: null, reply: null, remoteQueueId: null, relatedQueueId: null, delay: null, size: null, nrcpt: null, detail: null,
    ...over,
  };
}

/** One message logged in five rotated copies of the same server's log (the benchmark's shape), plus its bounce. */
function fiveCopies(): StoredLogEvent[] {
  const all: StoredLogEvent[] = [];
  for (let a = 1; a <= 5; a++) {
    all.push(
      ev(a, 1, { status: 'received', client: 'h[192.0.2.1]' }),
      ev(a, 2, { messageId: 'm1@example.com' }),
      ev(a, 3, { status: 'queued', from: 'a@example.com' }),
      ev(a, 4, { status: 'bounced', to: 'b@example.org', dsn: '5.1.1' }),
      ev(a, 5, { queueId: 'F0F0F0F0F0', messageId: 'dsn@mx1' }),
      ev(a, 6, { status: 'notified', relatedQueueId: 'F0F0F0F0F0' }),
      ev(a, 7, { status: 'sent', to: 'c@example.net', remoteQueueId: '4Xyz', reply: '250 2.0.0 Ok: queued as 4Xyz' }),
    );
  }
  return all;
}

function countingPorts(events: StoredLogEvent[]): { ports: TrailPorts; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const count = (k: string): void => { calls.set(k, (calls.get(k) ?? 0) + 1); };
  const ports: TrailPorts = {
    byMessageId: (m) => { count(`mid ${m}`); return events.filter((e) => e.messageId?.toLowerCase() === m.toLowerCase()); },
    byQueueId: (q) => { count(`qid ${q}`); return events.filter((e) => e.queueId === q); },
    transaction: (a, q) => { count(`tx ${a} ${q}`); return events.filter((e) => e.artifactId === a && e.queueId === q); },
    byRemoteQueueId: (q) => { count(`remote ${q}`); return events.filter((e) => e.remoteQueueId === q); },
    byRelatedQueueId: (q) => { count(`related ${q}`); return events.filter((e) => e.relatedQueueId === q); },
    byAddress: () => [],
    hopsByQueueId: (q) => { count(`hops ${q}`); return []; },
  };
  return { ports, calls };
}

describe('buildTrail look-ups', () => {
  it('asks each question once per trail, and returns what asking every time returned', () => {
    const events = fiveCopies();
    const { ports, calls } = countingPorts(events);
    const seeds = events.filter((e) => e.messageId === 'm1@example.com');
    const trail = buildTrail(seeds, ports);

    for (const [k, n] of calls) expect([k, n]).toEqual([k, 1]);
    expect(calls.get('qid A1B2C3D4E5')).toBe(1);
    // Every copy's transaction, the bounce in each copy, all joined.
    const logs = trail.items.flatMap((i) => (i.kind === 'log' ? [i.log] : []));
    expect(logs).toHaveLength(events.length);
    expect(new Set(trail.links.map((l) => l.key))).toEqual(new Set(['queue-id', 'message-id', 'bounce']));
    expect(trail.truncated).toBe(false);

    // The same trail from ports that are asked afresh every time (no sharing between calls).
    const fresh: TrailPorts = {
      ...ports,
      byMessageId: (m) => events.filter((e) => e.messageId?.toLowerCase() === m.toLowerCase()).map((e) => ({ ...e })),
      byQueueId: (q) => events.filter((e) => e.queueId === q).map((e) => ({ ...e })),
      transaction: (a, q) => events.filter((e) => e.artifactId === a && e.queueId === q).map((e) => ({ ...e })),
    };
    expect(buildTrail(seeds, fresh)).toEqual(trail);
  });

  it('does not reorder a look-up answer it shares (the first related transaction is still the first row)', () => {
    const events = fiveCopies();
    // Store order of the bounce's transaction differs from its time order.
    const bounceRows = events.filter((e) => e.queueId === 'F0F0F0F0F0' && e.artifactId === 1);
    const late = ev(1, 9, { queueId: 'F0F0F0F0F0', status: 'queued', from: '' });
    const early = { ...late, rowId: nextRow++, line: 0, timeMs: Date.UTC(2026, 9, 31) };
    events.push(late, early);
    const { ports } = countingPorts(events);
    // Start from the bounce, so its transaction is read (and time-sorted) before the notification asks for it.
    const trail = buildTrail(events.filter((e) => e.messageId === 'dsn@mx1' && e.artifactId === 1), ports);
    const bounceLinks = trail.links.filter((l) => l.key === 'bounce');
    // The notification links to the first row the store returned for the bounce's transaction, as before.
    expect(bounceLinks.some((l) => l.a === `L${bounceRows[0]!.rowId}` || l.b === `L${bounceRows[0]!.rowId}`)).toBe(true);
  });
});

describe('refusalPlace', () => {
  const reply = '550 5.1.1 <bbo@example.org>: Recipient address rejected: User unknown in virtual mailbox table';
  const sender = [
    ev(1, 14, { status: 'received' }),
    ev(1, 16, { status: 'queued', from: 'a@example.com' }),
    ev(1, 17, { queueId: 'OTHERQUEUE', status: 'queued' }),
    ev(1, 18, { status: 'bounced', to: 'bbo@example.org', reply: `host mx2[192.0.2.9] said: ${reply} (in reply to RCPT TO command)` }),
  ];
  const trail = { items: sender.map((log) => ({ kind: 'log' as const, key: `L${log.rowId}`, log })), links: [], truncated: false };
  const refusal = ev(2, 14, { queueId: null, status: 'rejected', to: 'bbo@example.org', reply });

  it('places a receiver\'s refusal after the message\'s last line before the attempt, before the line that reports it', () => {
    expect(refusalPlace(trail, refusal)).toEqual({ after: `L${sender[1]!.rowId}`, before: `L${sender[3]!.rowId}` });
  });
  it('says nothing for another recipient, or a reply the sender does not quote', () => {
    expect(refusalPlace(trail, { ...refusal, to: 'bob@example.org' })).toEqual({ after: null, before: null });
    expect(refusalPlace(trail, { ...refusal, reply: '554 5.7.1 Service unavailable; client blocked' })).toEqual({ after: null, before: null });
  });
});
