// The hop chain of an investigate report, as data for a picture: servers (nodes) and handoffs (steps) with times.
// Two independent tellings, each drawn when the report has it:
//  - `received`: the Received headers of one stored copy (the recipient's when there is one), oldest hop first,
//    ending in the mailbox the copy sits in;
//  - `logs`: the handoffs the MTA logs recorded (client=…, relay=…), the sender's "250 … queued as X" linked to the
//    server whose log has queue id X, a rejection on the receiving side joined to the sender's bounce/deferral.
// Built only from the report's timeline entries, whose `detail` wording comes from investigate-timeline.ts (read
// here with bounded, non-backtracking patterns; anything unrecognised is kept as plain text, never dropped).
// Pure: no I/O.

import type { TimelineEntry } from './investigate-timeline.js';
import { timelineSource } from './html-view.js';

export interface HopNode { label: string; sub: string | null }
export type StepTone = 'ok' | 'warn' | 'bad' | 'neutral';

export interface HopStep {
  from: HopNode;
  to: HopNode;
  time: string | null;
  timeAssumed: boolean;
  /** The protocol or program and status: `ESMTPA`, `smtp sent`, `stored`. */
  what: string;
  /** Queue id or message id at this step. */
  id: string | null;
  notes: string[];
  tone: StepTone;
  /** Where the step is written: `header #6 (Received)`, `…/sender/mail.log:18`. */
  source: string;
  /** How this step follows on when it does not start where the previous one ended (e.g. a bounce notice). */
  via?: string;
}

export interface HopChain { basis: 'received' | 'logs'; caption: string; steps: HopStep[] }

const MAX_DETAIL = 2000;
const clip = (s: string): string => (s.length > MAX_DETAIL ? s.slice(0, MAX_DETAIL) : s);

/** `where(t)` names a timeline entry's source for the picture (default: its locator, `line 18`). */
export function hopChains(timeline: readonly TimelineEntry[], where: (t: TimelineEntry) => string = timelineSource): HopChain[] {
  const out: HopChain[] = [];
  const rec = receivedChain(timeline, where);
  if (rec) out.push(rec);
  const logs = logChain(timeline, where);
  if (logs) out.push(logs);
  return out;
}

// `hop 1 from smtp.sender.test [127.0.0.2] with ESMTP id 4jYr… for bob@receiver.test` (investigate-timeline.ts)
const HOP = /^hop (\d+) from (\S+)(?: \[([^\]\s]*)\])?(?: with (\S+))?(?: id (\S+))?/;

function receivedChain(timeline: readonly TimelineEntry[], where: (t: TimelineEntry) => string): HopChain | null {
  // Group Received entries by copy: artifact sha256 + the message prefix in the locator (an mbox holds several).
  const groups = new Map<string, TimelineEntry[]>();
  for (const t of timeline) {
    if (t.kind !== 'received-header') continue;
    const key = `${t.source.sha256} ${/^message (\w+)/.exec(t.source.locator)?.[1] ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  if (groups.size === 0) return null;
  const mailboxOf = (sha: string): TimelineEntry | undefined => timeline.find((t) => t.kind === 'mailbox' && t.source.sha256 === sha);
  // The copy that travelled furthest; a recipient's copy before a Sent-folder copy on a tie.
  const [, hops] = [...groups.entries()].sort(([ka, a], [kb, b]) =>
    b.length - a.length || Number(mailboxOf(kb.split(' ')[0]!)?.event !== 'Sent copy') - Number(mailboxOf(ka.split(' ')[0]!)?.event !== 'Sent copy') || (ka < kb ? -1 : 1))[0]!;
  const parsed = hops.map((t) => ({ t, m: HOP.exec(clip(t.detail)) }))
    .sort((a, b) => Number(a.m?.[1] ?? 0) - Number(b.m?.[1] ?? 0));
  const steps: HopStep[] = parsed.map(({ t, m }) => {
    const notes: string[] = [];
    if (t.delaySeconds !== null) notes.push(`${t.delaySeconds < 0 ? '' : '+'}${t.delaySeconds}s after the previous hop`);
    for (const s of t.skew) notes.push(`clock skew: ${s}`);
    if (!m) notes.push(t.detail);
    return {
      from: { label: m?.[2] ?? '?', sub: m?.[3] ? `[${m[3]}]` : null }, to: { label: t.host ?? '?', sub: null },
      time: t.time, timeAssumed: t.timeAssumed, what: m?.[4] ?? 'Received', id: m?.[5] ?? null, notes,
      tone: t.skew.length || (t.delaySeconds !== null && t.delaySeconds < 0) ? 'warn' : 'ok', source: where(t),
    };
  });
  const first = hops[0]!;
  const box = mailboxOf(first.source.sha256);
  const last = steps[steps.length - 1];
  if (box && last) {
    steps.push({
      from: last.to, to: { label: box.detail.replace(/^in /, 'mailbox: '), sub: box.event === 'Sent copy' ? "sender's Sent folder" : null },
      time: box.time, timeAssumed: box.timeAssumed, what: 'stored', id: null, notes: [], tone: 'ok', source: where(box),
    });
  }
  return { basis: 'received', caption: `Received headers of the copy at ${first.source.path ?? first.source.sha256}`, steps };
}

const word = (detail: string, key: string): string | null => {
  const m = new RegExp(`(?:^| )${key}=(\\S+)`).exec(detail);
  return m?.[1] ?? null;
};
const queueIdOf = (detail: string): string | null => {
  const first = detail.split(' ', 1)[0] ?? '';
  return /^[A-Za-z0-9/+]{5,40}$/.test(first) ? first : null;
};

function logChain(timeline: readonly TimelineEntry[], where: (t: TimelineEntry) => string): HopChain | null {
  const logs = timeline.filter((t) => t.kind === 'log').map((t) => ({ t, d: clip(t.detail) }));
  const hostOfQueue = new Map<string, string>();
  for (const { t, d } of logs) {
    const q = queueIdOf(d);
    if (q !== null && t.host !== null && !hostOfQueue.has(q)) hostOfQueue.set(q, t.host);
  }
  // Queue ids whose arrival a sending server's "queued as" step already shows (the receiving log may list it first).
  const linked = new Set<string>();
  for (const { t, d } of logs) {
    const q = /queued as (\S+)/.exec(d)?.[1];
    if (q !== undefined && word(d, 'relay') !== null && hostOfQueue.has(q) && hostOfQueue.get(q) !== t.host) linked.add(q);
  }
  // Bounce notices (`bounce notified C0C… notice D73…`): the notice's own queue id, and the line that made it.
  const notices = new Map<string, TimelineEntry>();
  for (const { t, d } of logs) {
    const q = t.status === 'notified' ? /notice (\S+)/.exec(d)?.[1] : undefined;
    if (q !== undefined) notices.set(q, t);
  }
  const steps: HopStep[] = [];
  for (const { t, d } of logs) {
    const host = t.host ?? '?';
    const qid = queueIdOf(d);
    const relay = word(d, 'relay');
    const base = { time: t.time, timeAssumed: t.timeAssumed, id: qid, source: where(t) };
    if (relay !== null && (t.status === 'sent' || t.status === 'delivered' || t.status === 'bounced' || t.status === 'deferred')) {
      const queuedAs = /queued as (\S+)/.exec(d)?.[1] ?? null;
      const rcpt = word(d, 'to');
      let to: HopNode = { label: relay, sub: null };
      const notes: string[] = [];
      if (rcpt) notes.push(`for ${rcpt}`);
      const dsn = word(d, 'dsn');
      if (dsn) notes.push(`dsn ${dsn}`);
      const nextHost = queuedAs === null ? undefined : hostOfQueue.get(queuedAs);
      if (queuedAs !== null && nextHost !== undefined && nextHost !== host) {
        to = { label: nextHost, sub: relay };
        notes.push(`queued there as ${queuedAs}`);
      } else if (queuedAs !== null) notes.push(`queued as ${queuedAs}`);
      if (t.status === 'bounced' || t.status === 'deferred') {
        // The receiving server's own rejection of the same recipient, logged within two seconds.
        const rej = logs.find((x) => x.t.status === 'rejected' && x.t.host !== t.host && rcpt !== null && word(x.d, 'to') === rcpt && near(x.t.time, t.time));
        if (rej) { to = { label: rej.t.host ?? relay, sub: relay }; notes.push(`rejected there (${where(rej.t)})`); }
        const reply = /\((.*)\)/.exec(d)?.[1];
        if (reply) notes.push(reply.length > 90 ? `${reply.slice(0, 89)}…` : reply);
      }
      const notice = qid === null ? undefined : notices.get(qid);
      steps.push({
        ...base, from: { label: host, sub: null }, to, what: `${notice ? 'bounce notice: ' : ''}${t.event} ${t.status}`, notes,
        tone: t.status === 'bounced' ? 'bad' : t.status === 'deferred' ? 'warn' : 'ok', ...(notice ? { via: `non-delivery notice ${qid} (${where(notice)})` } : {}),
      });
    } else if (t.status === 'received') {
      const client = word(d, 'client');
      if (client === null || (qid !== null && linked.has(qid))) continue;
      steps.push({ ...base, from: { label: client, sub: null }, to: { label: host, sub: null }, what: `${t.event} received`, notes: [], tone: 'neutral' });
    }
  }
  if (steps.length === 0) return null;
  const sources = [...new Set(logs.map(({ t }) => t.source.path ?? t.source.sha256))];
  return { basis: 'logs', caption: `Handoffs recorded in ${sources.length} log file(s)`, steps };
}

function near(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return false;
  return Math.abs(Date.parse(a) - Date.parse(b)) <= 2000;
}
