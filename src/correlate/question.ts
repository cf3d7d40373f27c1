// The investigate question and the messages it may be about. A question is a Message-ID, or an envelope-ish
// description (sender and/or recipient, subject words) plus a time (`around`, or a since/until window).
// Matching gathers candidates from the logs (lines that logged the Message-ID, or transactions with the sender
// and recipient inside the window) and from stored copies, groups them by Message-ID, and never picks one of
// several: the caller lists them. A recipient that differs from the claimed one by a typo still matches, and
// says so. Pure: look-ups come in through QuestionPorts.

import type { StoredLogEvent } from './types.js';
import { bareMessageId, reportsRefusal, seedEvents, type SeedPorts } from './trail.js';
import type { StoredCopy } from '../verdict/evidence-types.js';
import { editDistance } from '../verdict/edit-distance.js';

export interface Question {
  messageId: string | null;
  from: string | null;
  to: string | null;
  subject: string | null;
  /** Claimed time of sending (ISO UTC). */
  around: string | null;
  since: string | null;
  until: string | null;
  /**
   * One stored message by the sha256 of its bytes (`--sha256`, or a message with no Message-ID and no From/To and
   * Date to ask by): its copies, and the log lines of its Message-ID when it has one. Absent otherwise.
   */
  sha256?: string;
}

/** Half-width of the search window around `--around` when no since/until (or `--window`) is given. */
export const AROUND_WINDOW_MS = 2 * 3600_000;

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 };

/** A window half-width such as `2h`, `90m`, `1h30m`, `45s` or `1d` in milliseconds; null when unreadable or > 30 days. */
export function parseSpan(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (!/^(?:\d{1,6}[smhd]){1,4}$/.test(t)) return null;
  let ms = 0;
  for (const m of t.matchAll(/(\d+)([smhd])/g)) ms += Number(m[1]) * UNIT_MS[m[2]!]!;
  return ms > 0 && ms <= 30 * UNIT_MS.d! ? ms : null;
}

export interface Window { sinceMs: number; untilMs: number }

/** Years 0000 and 9999: ISO strings outside them (`-271821-…`, `+275760-…`) do not sort with stored dates. */
const ISO_MIN_MS = -62_167_219_200_000, ISO_MAX_MS = 253_402_300_799_999;

/**
 * A window end as an ISO string to compare, as text, with stored ISO dates: an open end (±8.64e15 ms) becomes year
 * 0000 or 9999, whose strings sort below and above every four-digit-year date.
 */
export function isoBound(ms: number): string {
  return new Date(Math.max(ISO_MIN_MS, Math.min(ISO_MAX_MS, ms))).toISOString();
}

/** The search window: since/until when given, else around ± 2 h; null when the question has no time. */
export function searchWindow(q: Question): Window | null {
  const a = q.around === null ? NaN : Date.parse(q.around);
  const s = q.since === null ? NaN : Date.parse(q.since);
  const u = q.until === null ? NaN : Date.parse(q.until);
  if (!Number.isNaN(s) || !Number.isNaN(u)) {
    return { sinceMs: Number.isNaN(s) ? (Number.isNaN(a) ? -8.64e15 : a - AROUND_WINDOW_MS) : s, untilMs: Number.isNaN(u) ? (Number.isNaN(a) ? 8.64e15 : a + AROUND_WINDOW_MS) : u };
  }
  if (!Number.isNaN(a)) return { sinceMs: a - AROUND_WINDOW_MS, untilMs: a + AROUND_WINDOW_MS };
  return null;
}

/**
 * The time in question: what a log must cover, without a gap, before the absence of the message in it means
 * anything. In order: the window the question states (since and until, which `--window` also sets); the time the
 * evidence gives the message (`fallback`: its copy's Date, or its first logged line), since a message that exists
 * is dated by itself better than by anyone's memory; else the window searched around the claimed time (`--around`
 * ± 2 h). A bare `--around` is a recollection, and the search allows for that: an absence is only as good as the
 * search, so a log that covers the claimed instant but not the rest of the window searched proves nothing.
 */
export function claimSpan(q: Question, fallback: string | null): { from: string; to: string } | null {
  if (q.since !== null && q.until !== null) return { from: q.since, to: q.until };
  if (fallback !== null) return { from: fallback, to: fallback };
  const w = q.around === null ? null : searchWindow(q);
  return w === null ? null : { from: isoBound(w.sinceMs), to: isoBound(w.untilMs) };
}

export interface QuestionPorts extends SeedPorts {
  transaction(artifactId: number, qid: string): StoredLogEvent[];
  copiesByMessageId(key: string): StoredCopy[];
  copiesByAddress(from: string | null, to: string | null, since: string, until: string): StoredCopy[];
  copyBySha(sha256: string): StoredCopy | null;
}

export interface Candidate {
  /** Lower-cased Message-ID without brackets, or `tx:<artifact>|<queue id>` for a logged transaction without one. */
  key: string;
  messageId: string | null;
  from: string | null;
  to: string[];
  subject: string | null;
  time: string | null;
  /** Seed log events (for the trail) and stored copies. */
  seeds: StoredLogEvent[];
  copies: StoredCopy[];
  /** The logged or addressed recipient differs from the claimed one by a small edit. */
  nearMiss: { claimed: string; actual: string; distance: number } | null;
}

const lc = (s: string | null): string | null => (s === null ? null : s.toLowerCase());
const txKey = (e: StoredLogEvent): string => (e.queueId === null ? `row:${e.rowId}` : `${e.artifactId}|${e.queueId}`);

/** A recipient within a small edit of the claimed one (same domain, local part 1–2 edits away). */
export function nearMissOf(claimed: string, actual: string): number | null {
  const [cl, cd] = splitAddr(claimed), [al, ad] = splitAddr(actual);
  if (cl === null || al === null || cd !== ad || cl === al) return null;
  const d = editDistance(cl, al, 3);
  return d <= 2 && d < Math.max(cl.length, al.length) / 2 ? d : null;
}

export function splitAddr(a: string): [string | null, string | null] {
  const at = a.lastIndexOf('@');
  return at <= 0 ? [null, null] : [a.slice(0, at).toLowerCase(), a.slice(at + 1).toLowerCase()];
}

export function findCandidates(q: Question, ports: QuestionPorts): Candidate[] {
  const w = searchWindow(q);
  const byKey = new Map<string, Candidate>();
  const get = (key: string, mid: string | null): Candidate => {
    let c = byKey.get(key);
    if (!c) { c = { key, messageId: mid, from: null, to: [], subject: null, time: null, seeds: [], copies: [], nearMiss: null }; byKey.set(key, c); }
    return c;
  };

  if (q.sha256 !== undefined) {
    const copy = ports.copyBySha(q.sha256);
    if (copy === null) return [];
    // With a Message-ID the message is asked about by it (its log lines, its other copies), this copy among them.
    const { sha256: _sha, ...byId } = q;
    const c = (copy.messageId === null ? [] : findCandidates({ ...byId, messageId: copy.messageId }, ports))[0] ?? get(`sha:${copy.sha256}`, null);
    if (!c.copies.some((x) => x.sha256 === copy.sha256)) c.copies.push(copy);
    return [fill(c, ports)];
  }
  if (q.messageId !== null) {
    const mid = bareMessageId(q.messageId);
    const c = get(mid.toLowerCase(), mid);
    c.seeds.push(...ports.byMessageId(mid));
    c.copies.push(...ports.copiesByMessageId(mid.toLowerCase()));
    return c.seeds.length || c.copies.length ? [fill(c, ports)] : [];
  }
  if (w === null) return [];
  const from = lc(q.from), to = lc(q.to);
  let seeds = seedEvents({ from: from ?? undefined, to: to ?? undefined, sinceMs: w.sinceMs, untilMs: w.untilMs }, ports);
  let nearMiss: Candidate['nearMiss'] = null;
  if (seeds.length === 0 && from !== null && to !== null) {
    // The claimed recipient may be mistyped: transactions from the sender to an address one or two edits away.
    const fromTx = seedEvents({ from, sinceMs: w.sinceMs, untilMs: w.untilMs }, ports);
    const txs = new Map<string, StoredLogEvent[]>();
    for (const e of fromTx) if (e.queueId !== null && !txs.has(txKey(e))) txs.set(txKey(e), ports.transaction(e.artifactId, e.queueId));
    for (const evs of txs.values()) {
      for (const e of evs) {
        for (const r of (e.to ?? '').split(',').filter(Boolean)) {
          const d = nearMissOf(to, r);
          if (d !== null) { seeds.push(e); nearMiss = { claimed: to, actual: r.toLowerCase(), distance: d }; }
        }
      }
    }
    seeds = [...new Map(seeds.map((e) => [e.rowId, e])).values()];
  }
  const since = isoBound(w.sinceMs), until = isoBound(w.untilMs);
  let copies = from !== null || to !== null ? ports.copiesByAddress(from, to, since, until) : [];
  if (copies.length === 0 && from !== null && to !== null) {
    copies = ports.copiesByAddress(from, null, since, until).filter((c) => c.to.some((r) => nearMissOf(to, r) !== null));
    for (const c of copies) for (const r of c.to) { const d = nearMissOf(to, r); if (d !== null) nearMiss = { claimed: to, actual: r, distance: d }; }
  }

  // Group log seeds by the Message-ID their transaction logged.
  const txs = new Map<string, StoredLogEvent[]>();
  for (const e of seeds) {
    const k = txKey(e);
    if (!txs.has(k)) txs.set(k, e.queueId === null ? [e] : ports.transaction(e.artifactId, e.queueId));
  }
  for (const [k, evs] of [...txs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const mid = evs.find((e) => e.messageId)?.messageId ?? null;
    const c = get(mid === null ? `tx:${k}` : mid.toLowerCase(), mid);
    c.seeds.push(...seeds.filter((e) => txKey(e) === k));
  }
  for (const copy of copies) {
    const mid = copy.messageId === null ? null : bareMessageId(copy.messageId);
    const c = get(mid === null ? `sha:${copy.sha256}` : mid.toLowerCase(), mid);
    if (!c.copies.some((x) => x.sha256 === copy.sha256)) c.copies.push(copy);
  }
  const words = (q.subject ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const out: Candidate[] = [];
  // A receiving server's refusal at SMTP time has no queue id and no Message-ID, so it makes a candidate of its own;
  // when another candidate's transaction is the sender's record of that very refusal, it is that message's attempt.
  const linesOf = new Map<Candidate, StoredLogEvent[]>();
  const lines = (c: Candidate): StoredLogEvent[] => {
    let l = linesOf.get(c);
    if (l === undefined) linesOf.set(c, (l = c.seeds.flatMap((s) => (s.queueId === null ? [s] : ports.transaction(s.artifactId, s.queueId)))));
    return l;
  };
  const refusalOnly = (c: Candidate): boolean => c.messageId === null && c.copies.length === 0 && c.seeds.length > 0 && c.seeds.every((s) => s.queueId === null && s.status === 'rejected');
  for (const [k, c] of [...byKey.entries()]) {
    if (!refusalOnly(c)) continue;
    const owner = [...byKey.values()].find((o) => o !== c && !refusalOnly(o) && c.seeds.every((r) => lines(o).some((l) => reportsRefusal(l, r))));
    if (owner !== undefined) byKey.delete(k);
  }
  for (const c of byKey.values()) {
    // All copies of a Message-ID, not only those that matched the addresses.
    if (c.messageId !== null) for (const x of ports.copiesByMessageId(c.messageId.toLowerCase())) if (!c.copies.some((y) => y.sha256 === x.sha256)) c.copies.push(x);
    fill(c, ports);
    if (words.length && c.subject !== null && !words.every((wd) => c.subject!.toLowerCase().includes(wd))) continue;
    c.nearMiss = nearMiss !== null && (c.to.includes(nearMiss.actual)) ? nearMiss : null;
    out.push(c);
  }
  return out.sort((a, b) => ((a.time ?? '') < (b.time ?? '') ? -1 : (a.time ?? '') > (b.time ?? '') ? 1 : a.key < b.key ? -1 : 1));
}

/** Fill a candidate's summary fields from its copies and its transactions' lines. */
function fill(c: Candidate, ports: QuestionPorts): Candidate {
  c.copies.sort((a, b) => (a.sha256 < b.sha256 ? -1 : 1));
  const copy = c.copies[0];
  const tos = new Set<string>();
  let from: string | null = copy?.from ?? null;
  let time: string | null = copy?.date ?? null;
  for (const cp of c.copies) for (const t of cp.to) tos.add(t);
  for (const s of c.seeds) {
    const evs = s.queueId === null ? [s] : ports.transaction(s.artifactId, s.queueId);
    for (const e of evs) {
      if (from === null && e.from) from = e.from.toLowerCase();
      for (const r of (e.to ?? '').split(',').filter(Boolean)) tos.add(r.toLowerCase());
      if (e.timeMs !== null) { const t = new Date(e.timeMs).toISOString(); if (time === null || t < time) time = t; }
    }
  }
  c.from = from;
  c.to = [...tos].sort();
  c.subject = copy?.subject ?? null;
  c.time = time;
  return c;
}

/**
 * The question a user means when they name evidence and ask nothing (`mailtrail investigate suspicious.eml`): the
 * one message in it. Copies of one message (the same Message-ID) count once. Several messages, or none, are not
 * guessed at: the caller asks the user to choose. A message without a Message-ID is asked about by its From, To
 * and Date, the way a user would.
 */
export function impliedQuestion(
  copies: readonly StoredCopy[],
  reportsOn: (c: StoredCopy) => string | null = () => null,
): { question: Question; viaReport: boolean } | { choices: StoredCopy[] } {
  // A bounce or read receipt is about another message: it counts as that message (a bounce alone, or a bounce
  // with the original it returns, asks about the original).
  const groups = new Map<string, { copy: StoredCopy; messageId: string | null; viaReport: boolean }>();
  for (const c of copies) {
    const about = reportsOn(c);
    const mid = about ?? c.messageId;
    const key = mid === null ? `sha:${c.sha256}` : bareMessageId(mid).toLowerCase();
    const g = groups.get(key);
    if (g === undefined) groups.set(key, { copy: c, messageId: mid, viaReport: about !== null });
    else if (about === null) g.viaReport = false;
  }
  const one = groups.size === 1 ? [...groups.values()][0]! : null;
  if (one === null) return { choices: [...groups.values()].map((g) => g.copy) };
  const blank: Question = { messageId: null, from: null, to: null, subject: null, around: null, since: null, until: null };
  if (one.messageId !== null) return { question: { ...blank, messageId: one.messageId }, viaReport: one.viaReport };
  const c = one.copy;
  // Nothing a user could ask by: the message itself, by its hash.
  if (c.date === null || (c.from === null && c.to.length === 0)) return { question: { ...blank, sha256: c.sha256 }, viaReport: false };
  return { question: { ...blank, from: c.from, to: c.to[0] ?? null, subject: c.subject, around: c.date }, viaReport: false };
}
