// The `sent` verdict: how far the message got on the sender's side. Stages, furthest first: handed to the next
// server (proven by its 250 reply naming its queue id), delivered by the sender's own server, bounced, expired,
// deferred, accepted from the client, and a copy in a Sent folder only (weak: any client can write one).
// `no` only when the sender's server log covers the claimed time without a gap and shows nothing; otherwise
// `undetermined`, saying what would settle it. Pure: facts in, verdict out.

import type { StoredLogEvent } from '../correlate/types.js';
import { logRef, copyRef, type Confidence, type CopyLocation, type EvidenceRef, type SentStage, type SentVerdict } from './evidence-types.js';
import type { CoverageJudgement } from './log-sides.js';
import { authClause } from './login-words.js';
import type { MailboxStep } from './mailbox-log.js';
import type { ReportRef } from './arrived.js';
import { feedbackSender, feedbackWords, type MdnRef } from './reports.js';
import { isoDateOrNull } from '../parse/dsn/recipient.js';

export interface SentFacts {
  /** Lines of the message's transactions on the sender's server(s), in time order. */
  senderEvents: StoredLogEvent[];
  /** Recipients the question is about (lower-case); empty = all. */
  recipients: string[];
  /** Receiving-side acceptance of the message that links back to the sender's line (remote-queue-id). */
  confirmedRemote: ReadonlySet<string>;
  sentCopies: CopyLocation[];
  /** The sender's client saving it into Sent, from the sender's mailbox server log (mailbox-log.ts sentFolderSaves). */
  sentSaves?: MailboxStep[];
  coverage: CoverageJudgement;
  /** The message reached a recipient and the sender verdict authenticated its domain (no sender log needed). */
  arrivedAuthenticated: { domain: string; evidence: EvidenceRef[] } | null;
  claimedFrom: string | null;
  /** Rows of the sender's lines that hand the message to a content filter on the same server (not a hand-off on). */
  internalHandoffs?: ReadonlySet<number>;
  /** Delivery status notifications linked to the message (bounces, delays, success DSNs): a server had it. */
  reports?: ReportRef[];
  /** Read receipts linked to the message: the recipient's client had it. */
  mdns?: MdnRef[];
  /** The domain the sender verdict authenticated, on whichever copy (a bounce's returned original too); else null. */
  senderAuthenticated?: string | null;
}

const RANK: Record<SentStage, number> = { 'sent-folder-copy': 0, accepted: 1, deferred: 2, expired: 3, bounced: 4, delivered: 5, relayed: 6 };

function stageOf(e: StoredLogEvent): SentStage | null {
  switch (e.status) {
    case 'sent': return 'relayed';
    case 'delivered': return 'delivered';
    case 'bounced': return 'bounced';
    case 'expired': return 'expired';
    case 'deferred': return 'deferred';
    case 'received': case 'queued': return 'accepted';
    default: return null;
  }
}

function forRecipient(e: StoredLogEvent, rcpts: string[]): boolean {
  if (rcpts.length === 0 || e.to === null) return true;
  return e.to.toLowerCase().split(',').some((r) => rcpts.includes(r));
}

export function decideSent(f: SentFacts): SentVerdict {
  const ev: EvidenceRef[] = [];
  let best: { stage: SentStage; e: StoredLogEvent } | null = null;
  let rejectedBySender: StoredLogEvent | null = null;
  const internal = (e: StoredLogEvent): boolean => f.internalHandoffs?.has(e.rowId) === true;
  for (const e of f.senderEvents) {
    if (e.status === 'rejected') rejectedBySender ??= e;
    const s = stageOf(e);
    if (s === null || !forRecipient(e, f.recipients) || internal(e)) continue;
    if (best === null || RANK[s] > RANK[best.stage] || (RANK[s] === RANK[best.stage] && s !== 'accepted')) best = { stage: s, e };
  }
  const accepted = f.senderEvents.find((e) => e.status === 'received');
  if (accepted) ev.push(logRef(accepted, `the sender's server accepted the message from ${accepted.client ?? 'its client'}${authClause(accepted)}`));
  if (best !== null && best.stage !== 'accepted') {
    for (const e of f.senderEvents) {
      const s = stageOf(e);
      if (s === null || s === 'accepted' || !forRecipient(e, f.recipients) || internal(e)) continue;
      ev.push(logRef(e, claimOf(e, s)));
    }
  }
  if (best !== null) {
    const e = best.e, to = e.to ?? 'the recipient';
    const remote = e.remoteQueueId;
    let confidence: Confidence = 'strong';
    let summary: string;
    switch (best.stage) {
      case 'relayed':
        confidence = remote !== null ? 'proven' : 'strong';
        summary = remote !== null
          ? `Sent: the sender's server handed it for ${to} to ${e.relay ?? 'the next server'}, which accepted it as queue id ${remote}${f.confirmedRemote.has(remote) ? ' (the receiving log confirms)' : ''} at ${at(e)}.`
          : `Sent: the sender's server handed it for ${to} to ${e.relay ?? 'the next server'} at ${at(e)}.`;
        break;
      case 'delivered': summary = `Sent: the sender's own server delivered it to ${to} at ${at(e)}.`; break;
      case 'bounced': summary = `Sent, but the sender's server gave up on ${to} at ${at(e)}: ${e.dsn ?? ''} ${short(e.reply)}`.trim() + '.'; break;
      case 'expired': summary = `Sent, but it expired in the sender's queue at ${at(e)} without being delivered to ${to}.`; break;
      case 'deferred': summary = `Sent, but delivery to ${to} was deferred at ${at(e)} (${e.dsn ?? '4.x.x'} ${short(e.reply)}) and no later attempt is logged.`; break;
      default: summary = `Sent: the sender's server accepted it from the client at ${at(e)}; nothing further is logged.`;
    }
    return { answer: 'yes', stage: best.stage, confidence, summary, evidence: ev };
  }
  if (rejectedBySender) {
    ev.push(logRef(rejectedBySender, `the sender's server refused the message: ${short(rejectedBySender.reply)}`));
    return { answer: 'no', stage: null, confidence: 'strong', summary: `Not sent: the sender's own server refused it at ${at(rejectedBySender)} (${short(rejectedBySender.reply)}).`, evidence: ev };
  }

  const saves = f.sentSaves ?? [];
  const copyEv = sentCopyRefs(f.sentCopies, saves);
  const sentCopy = f.sentCopies.length > 0 || saves.length > 0;
  const only = sentCopyWords(f.sentCopies.length, saves);
  if (f.arrivedAuthenticated) {
    return {
      answer: 'yes', stage: 'relayed', confidence: 'strong',
      summary: `Sent: the recipient's copy is authenticated for ${f.arrivedAuthenticated.domain}, so the sender's side sent it, though no sender log in the evidence shows it.`,
      evidence: [...f.arrivedAuthenticated.evidence, ...copyEv],
    };
  }
  const tie = f.senderAuthenticated ? `its copy is authenticated for ${f.senderAuthenticated}`
    : f.sentCopies.length > 0 ? 'the same message is in the sender\'s own Sent folder'
    : saves.length > 0 ? 'the sender\'s mail client saved the same message into Sent (the mailbox server\'s log)' : null;
  const dsn = sentByReport(toldBy(f.reports ?? [], f.mdns ?? []), f.coverage, tie);
  if (dsn !== null) return { ...dsn, evidence: [...dsn.evidence, ...copyEv] };
  const logEv: EvidenceRef[] = f.coverage.logs.map((c) => ({ sha256: c.sha256, kind: 'log', path: c.path, locator: `lines 1–${c.lines} (${c.first ?? '?'} to ${c.last ?? '?'})`, claim: 'the sender\'s server log, searched for the message' }));
  if (f.coverage.state === 'covered') {
    return {
      answer: 'no', stage: sentCopy ? 'sent-folder-copy' : null, confidence: 'strong',
      summary: sentCopy
        ? `Not sent: there is only ${only}, and the sender's server log covers the claimed time with no submission of it (${f.coverage.detail}).`
        : `Not sent: the sender's server log covers the claimed time and shows no such message (${f.coverage.detail}).`,
      evidence: [...logEv, ...copyEv],
    };
  }
  const settle = f.coverage.state === 'no-logs'
    ? `the sending server's log for ${f.claimedFrom ?? 'the sender'} around the claimed time would settle it`
    : `${f.coverage.detail}; a log covering the claimed time would settle it`;
  return {
    answer: 'undetermined', stage: sentCopy ? 'sent-folder-copy' : null, confidence: sentCopy ? 'weak' : 'none',
    summary: sentCopy
      ? `Undetermined: only ${saves.length ? only : 'a copy in the Sent folder, which any mail client can write (weak, trivially forgeable)'}; ${settle}.`
      : `Undetermined: no trace of the message on the sender's side; ${settle}.`,
    evidence: [...logEv, ...copyEv],
  };
}

const REPORT_STAGE = { bounce: 'bounced', delay: 'deferred', delivery: 'relayed' } as const;

/** A report about the message, as the sent verdict weighs it. */
interface Told { stage: SentStage; what: string; words: string; date: string | null; ref: EvidenceRef }

function toldBy(reports: readonly ReportRef[], mdns: readonly MdnRef[]): Told[] {
  const out: Told[] = [];
  for (const r of reports) {
    const k = r.report.kind;
    if (k === 'feedback') {
      // A receiver's feedback report (ARF): its server had the message, so the sender's side had handed it on.
      const who = feedbackSender(r.report);
      out.push({
        stage: 'relayed', what: 'a feedback report', date: r.report.report.date,
        words: `${who} reported ${feedbackWords(r.report)}`,
        ref: { sha256: r.sha256, kind: 'report', path: r.path, locator: r.locator, claim: `a feedback report (ARF) from ${who} about the message: the receiving side had it` },
      });
      continue;
    }
    if (k !== 'bounce' && k !== 'delay' && k !== 'delivery') continue;
    const who = r.report.reportingMta ?? 'a mail server';
    out.push({
      stage: REPORT_STAGE[k], what: 'a delivery report', date: r.report.report.date,
      words: `${who} reported ${r.report.recipients.map((x) => `${x.address} ${x.action ?? ''} ${x.status ?? ''}`.replace(/\s+/g, ' ').trim()).join('; ') || 'a delivery status'}`,
      ref: { sha256: r.sha256, kind: 'report', path: r.path, locator: r.locator, claim: `a delivery report from ${who} about the message: a server had it` },
    });
  }
  for (const m of mdns) {
    const who = m.mdn.finalRecipient ?? 'the recipient';
    out.push({
      stage: 'relayed', what: 'a read receipt', date: m.mdn.report.date,
      words: `${who}'s mail client reported it ${m.mdn.disposition}`,
      ref: { sha256: m.sha256, kind: 'report', path: m.path, locator: m.locator, claim: `a read receipt from ${who}'s mail client about the message: it reached the recipient` },
    });
  }
  return out;
}

/**
 * Sent, on the word of a report about the message: a delivery status notification (whatever server wrote it had
 * the message) or a read receipt (the recipient's client had it). The furthest stage any report tells wins (a
 * success DSN or a receipt: it went on; a bounce; only delays). Strong when something ties it to the sender (`tie`:
 * an authenticated signature, the sender's own Sent copy); otherwise weak, because bounces and receipts also come
 * back for mail that only forged the sender's address. Never proven: a report is its writer's word, carried by a
 * message. When the sender's log covers the time without it, that is said: it may have left through a server whose
 * log is not in the evidence.
 */
function sentByReport(told: readonly Told[], coverage: CoverageJudgement, tie: string | null): SentVerdict | null {
  let best: Told | null = null;
  for (const t of told) if (best === null || RANK[t.stage] > RANK[best.stage]) best = t;
  if (best === null) return null;
  const dated = isoDateOrNull(best.date);
  const when = dated !== null ? ` (report dated ${dated})` : '';
  const gap = coverage.state === 'covered' ? `; the sender's server log in the evidence covers the time without it (${coverage.detail}), so it may have left through another server` : '; no sender log in the evidence shows it';
  const whose = tie !== null
    ? `; it is the sender's own message: ${tie}`
    : '; nothing here ties it to the sender\'s own client or domain (no Sent copy, no authenticated signature), and reports also come back for mail that only forged the sender\'s address';
  return {
    answer: 'yes', stage: best.stage, confidence: tie !== null ? 'strong' : 'weak',
    summary: `Sent, on the word of ${best.what}: ${best.words}${when}${gap}${whose}.`,
    evidence: told.map((t) => t.ref),
  };
}

/** Evidence for the sender's own copy: the copies in a Sent folder, and the mailbox server's lines of the client saving it. */
export function sentCopyRefs(copies: readonly CopyLocation[], saves: readonly MailboxStep[]): EvidenceRef[] {
  return [
    ...copies.map((l) => copyRef(l, 'a copy in the Sent folder: written by the mail client, not proof of sending (trivially forgeable)')),
    ...saves.map((s) => logRef(s.event, `${s.owner ?? 'the sender'}'s mail client saved it into ${s.mailbox} (the sender's mailbox server logged it): a client does that whether or not it also submits the message`)),
  ];
}

/** What the sender's own copy amounts to, in words: `a copy in the Sent folder (…)`, with the logged save when there is one. */
export function sentCopyWords(copies: number, saves: readonly MailboxStep[]): string {
  const s = saves[0];
  if (s === undefined) return 'a copy in the Sent folder (weak, trivially forgeable)';
  const who = `${s.owner ?? 'the sender'}'s mail client`;
  const weak = '(weak: a client saves its copy whether or not it submits the message)';
  return copies > 0
    ? `a copy in the Sent folder, which the sender's mailbox server logged ${who} saving into ${s.mailbox} at ${at(s.event)} ${weak}`
    : `${who} saving it into ${s.mailbox} at ${at(s.event)}, as the sender's mailbox server logged it ${weak}`;
}

function claimOf(e: StoredLogEvent, s: SentStage): string {
  const to = e.to ?? '?';
  switch (s) {
    case 'relayed': return e.remoteQueueId ? `handed to ${e.relay ?? 'the next server'} for ${to}; it replied 250 and queued it as ${e.remoteQueueId}` : `handed to ${e.relay ?? 'the next server'} for ${to}`;
    case 'delivered': return `delivered to ${to} by the sender's own server`;
    case 'bounced': return `bounced for ${to}: ${e.dsn ?? ''} ${short(e.reply)}`.trim();
    case 'expired': return `expired in the queue for ${to}`;
    case 'deferred': return `deferred for ${to}: ${e.dsn ?? ''} ${short(e.reply)}`.trim();
    default: return 'accepted';
  }
}

export function at(e: StoredLogEvent): string {
  return e.timeMs === null ? 'an unknown time' : new Date(e.timeMs).toISOString().replace('.000Z', 'Z');
}

export function short(s: string | null, n = 160): string {
  if (s === null) return '';
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
