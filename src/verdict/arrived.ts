// The `arrived` verdict: yes/no/undetermined, the outcome (delivered, bounced, deferred, rejected, not-found)
// and the folder the recipient's copy is in now. Delivery rests on the receiving server's delivery line or a
// copy in the recipient's mailbox; a log delivery with no copy left in any folder is still `delivered` (the
// findings say it was deleted or expunged later). Negative answers rest on coverage: `no` when the receiving
// server's log covers the time without a gap and records nothing, otherwise `undetermined` naming the hole.
// Pure: facts in, verdict out.

import type { StoredLogEvent } from '../correlate/types.js';
import type { BounceReport } from '../model/dsn.js';
import { copyRef, logRef, type ArrivedVerdict, type CopyLocation, type EvidenceRef } from './evidence-types.js';
import { folderOf } from './folders.js';
import { isMailboxServerLog, type CoverageJudgement } from './log-sides.js';
import { at, short } from './sent.js';
import { stepWords, type MailboxLog, type MailboxStep } from './mailbox-log.js';

/** A bounce or DSN about the message: the artifact that holds it, where, and (when known) whose folder it is in now. */
export interface ReportRef { sha256: string; path: string | null; locator: string; where?: string | null; report: BounceReport }

export interface ArrivedFacts {
  recipientCopies: CopyLocation[];
  /** Final deliveries of the message (receiving side, or the sender's own server for a local recipient). */
  deliveries: StoredLogEvent[];
  /** Sender-side outcomes for the recipient: bounced/expired/deferred lines. */
  senderFailures: StoredLogEvent[];
  /** Receiving-side refusals at SMTP time matched to the message. */
  rejects: StoredLogEvent[];
  /** The last successful hand-off by the sender (to an MTA that is not in the evidence), if any. */
  relayed: StoredLogEvent | null;
  bounces: ReportRef[];
  /**
   * Reports that say it reached the recipient: a success DSN (Action: delivered, RFC 3464 §2.3.3) or a read
   * receipt (any MDN disposition, RFC 8098 §3.2.6: the recipient's own client had it). Positive evidence, like a
   * copy, but only a report's word: strong, never proven; weak when all there is is a `relayed` DSN.
   */
  receipts?: Array<{ evidence: EvidenceRef; says: string; /** A `relayed` DSN: the hand-off, not final delivery. */ weak?: boolean }>;
  coverage: CoverageJudgement;
  recipient: string | null;
  /** The mailbox server's own log of the message in the recipient's mailbox (mailbox-log.ts), when in the evidence. */
  mailbox?: MailboxLog;
  /**
   * A mailbox is in the evidence (a stored copy, or a Maildir or IMAP folder examined, even empty): a copy missing
   * from it says something. False: only logs, so where it went is simply not in the evidence.
   */
  mailboxEvidence?: boolean;
}

export function decideArrived(f: ArrivedFacts): ArrivedVerdict {
  const to = f.recipient ?? 'the recipient';
  const copyEv = f.recipientCopies.map((l) => copyRef(l, folderOf(l) === null ? 'a delivered copy (Delivered-To / X-Original-To), as a file' : `a copy is in ${folderOf(l)}`));
  // Only loose files (an .eml, an mbox with no folder): delivered, by the header the delivery agent adds, but
  // where it was kept is not in the evidence, and a file's origin is the word of whoever exported it.
  const looseOnly = f.recipientCopies.length > 0 && f.recipientCopies.every((l) => folderOf(l) === null);
  const mb = f.mailbox;
  const filedBy = (e: StoredLogEvent): MailboxStep | undefined => mb?.steps.find((s) => s.event.rowId === e.rowId);
  const delEv = f.deliveries.map((e) => {
    const step = filedBy(e);
    return logRef(e, step ? `the mailbox server's log: delivered, ${stepWords(step)} for ${e.to ?? '?'}` : `delivered to ${e.to ?? '?'} (${e.dsn ?? ''} ${short(e.reply, 80)})`.replace(/\s+\)/, ')'));
  });
  const stepEv = (mb?.steps ?? []).filter((s) => !f.deliveries.includes(s.event)).map((s) => logRef(s.event, `the mailbox server's log: ${stepWords(s)}${s.owner ? ` (${s.owner}'s mailbox)` : ''}`));
  if (f.recipientCopies.length || f.deliveries.length) {
    const folders = [...new Set(f.recipientCopies.map(folderOf).filter((x): x is string => x !== null))].sort(folderOrder);
    // No copy: the folder the mailbox server's log last put it in (never "now": later steps may be unlogged).
    const logged = f.recipientCopies.length === 0 && mb ? [...mb.folders].sort(folderOrder)[0] ?? null : null;
    const folder = folders[0] ?? logged;
    const d = f.deliveries[0];
    const where = folders.length ? `; it is in ${folders[0]} now` : f.recipientCopies.length ? '' : mailboxWords(mb) ?? (f.mailboxEvidence === false ? '; no mailbox is in the evidence to show which folder it went to' : '; no copy is left in any folder in the evidence');
    const how = d
      ? `the receiving server delivered it to ${d.to ?? to} at ${at(d)}`
      : looseOnly ? 'a delivered copy is in the evidence as a file (it carries the Delivered-To or X-Original-To header the delivering server adds); which mailbox or folder it was kept in is not' : `a copy is in the recipient's mailbox`;
    return {
      answer: 'yes', outcome: 'delivered', folder,
      confidence: d && f.recipientCopies.length ? 'proven' : d || looseOnly ? 'strong' : 'proven',
      summary: `Arrived: ${how}${where}.`,
      evidence: [...delEv, ...stepEv, ...copyEv],
    };
  }
  const receipts = f.receipts ?? [];
  if (receipts.length) {
    return {
      answer: 'yes', outcome: 'delivered', folder: null, confidence: receipts.every((r) => r.weak === true) ? 'weak' : 'strong',
      summary: `Arrived, on the word of a report about it: ${receipts.map((r) => r.says).join('; ')}. No copy of it and no receiving-server line for it is in the evidence.`,
      evidence: receipts.map((r) => r.evidence),
    };
  }
  const bounceEv = f.bounces.map((b) => ({ sha256: b.sha256, kind: 'report' as const, path: b.path, locator: b.locator, claim: `bounce report: ${b.report.recipients.map((r) => `${r.address} ${r.action ?? ''} ${r.status ?? ''}`.trim()).join('; ')}` }));
  const final = f.senderFailures.filter((e) => e.status === 'bounced' || e.status === 'expired');
  const failedReports = f.bounces.filter((b) => b.report.kind === 'bounce');
  if (final.length || failedReports.length) {
    const e = final[final.length - 1];
    const rej = f.rejects.map((r) => logRef(r, `the receiving server refused it: ${short(r.reply)}`));
    const why = e ? `${e.dsn ?? ''} ${short(e.reply)}`.trim() : failedReports[0]!.report.recipients.map((r) => `${r.status ?? ''} ${r.diagnostic ?? ''}`.trim()).join('; ');
    return {
      answer: 'no', outcome: 'bounced', folder: null,
      confidence: (e ? 1 : 0) + (rej.length ? 1 : 0) + (failedReports.length ? 1 : 0) >= 2 ? 'proven' : 'strong',
      summary: `Did not arrive: it bounced${e ? ` for ${e.to ?? to} at ${at(e)}` : ''} (${why}).`,
      evidence: [...f.senderFailures.filter((x) => x.status !== 'deferred').map((x) => logRef(x, `the sender's server gave up: ${x.dsn ?? ''} ${short(x.reply)}`.trim())), ...rej, ...bounceEv],
    };
  }
  if (f.rejects.length) {
    const r = f.rejects[f.rejects.length - 1]!;
    const temporary = /^4/.test(r.dsn ?? '') || /\b4\d\d\b/.test(r.reply ?? '');
    if (!temporary) {
      return {
        answer: 'no', outcome: 'rejected', folder: null, confidence: 'strong',
        summary: `Did not arrive: the receiving server refused it at ${at(r)} (${short(r.reply)}).`,
        evidence: f.rejects.map((x) => logRef(x, `refused at SMTP time: ${short(x.reply)}`)),
      };
    }
  }
  const deferred = f.senderFailures.filter((e) => e.status === 'deferred');
  if (deferred.length || f.bounces.some((b) => b.report.kind === 'delay')) {
    const e = deferred[deferred.length - 1];
    return {
      answer: 'undetermined', outcome: 'deferred', folder: null, confidence: 'weak',
      summary: `Not delivered yet as far as the evidence goes: delivery was deferred${e ? ` at ${at(e)} (${e.dsn ?? ''} ${short(e.reply)})` : ''}; a later log of the sender's server or the recipient's mailbox would settle it.`,
      evidence: [...deferred.map((x) => logRef(x, `deferred: ${x.dsn ?? ''} ${short(x.reply)}`.trim())), ...f.rejects.map((x) => logRef(x, `temporarily refused: ${short(x.reply)}`)), ...bounceEv],
    };
  }
  const logEv: EvidenceRef[] = f.coverage.logs.map((c) => ({
    sha256: c.sha256, kind: 'log', path: c.path, locator: `lines 1–${c.lines} (${c.first ?? '?'} to ${c.last ?? '?'})`,
    claim: isMailboxServerLog(c) ? "the mailbox server's log, searched for a delivery of the message" : "the receiving server's log, searched for the message",
  }));
  if (f.relayed !== null && f.coverage.state !== 'covered') {
    return {
      answer: 'undetermined', outcome: 'not-found', folder: null, confidence: 'weak',
      summary: `Undetermined: the sender's server handed it to ${f.relayed.relay ?? 'the next server'}${f.relayed.remoteQueueId ? ` (queued there as ${f.relayed.remoteQueueId})` : ''}, but nothing from that server or the recipient's mailbox is in the evidence; its log or the mailbox would settle it.`,
      evidence: [logRef(f.relayed, 'handed to the next server'), ...logEv],
    };
  }
  if (f.coverage.state === 'covered' && f.coverage.mailboxServerOnly === true) {
    return {
      answer: 'no', outcome: 'not-found', folder: null, confidence: 'strong',
      summary: `Did not arrive in ${to}'s mailbox: the mailbox server's log covers the time and records no delivery of it (${f.coverage.detail}). No log of the receiving mail server covers that time, so whether that server took it and then refused, bounced or held it is not in the evidence.`,
      evidence: logEv,
    };
  }
  if (f.coverage.state === 'covered') {
    return {
      answer: 'no', outcome: 'not-found', folder: null, confidence: 'strong',
      summary: `Did not arrive: the receiving server's log covers the time and records no acceptance of it for ${to} (${f.coverage.detail}).`,
      evidence: logEv,
    };
  }
  return {
    answer: 'undetermined', outcome: 'not-found', folder: null, confidence: 'none',
    summary: f.coverage.state === 'no-logs'
      ? `Undetermined: nothing shows it reached ${to}, and no receiving-server log or recipient mailbox is in the evidence to prove it did not; one would settle it.`
      : `Undetermined: nothing shows it reached ${to}, but ${f.coverage.detail}; a log covering that time would settle it.`,
    evidence: logEv,
  };
}

/** Where the mailbox server's log puts it, for a verdict with no copy in the evidence. */
function mailboxWords(mb: MailboxLog | undefined): string | null {
  if (!mb || mb.steps.length === 0) return null;
  const filed = mb.filed ? `the mailbox server's log has it ${stepWords(mb.filed)} at ${at(mb.filed.event)}` : null;
  if (mb.removed.length) {
    const x = mb.removed[mb.removed.length - 1]!;
    return `; ${filed ? `${filed}, then` : "the mailbox server's log has it"} ${stepWords(x)} at ${at(x.event)}: no folder holds it since`;
  }
  const later = mb.folders.length && mb.filed && !(mb.folders.length === 1 && mb.folders[0] === mb.filed.mailbox) ? ` and later in ${mb.folders.join(', ')}` : '';
  return `; ${filed ?? `the mailbox server's log has it in ${mb.folders.join(', ')}`}${later} (no copy of it is in the evidence to show where it is now)`;
}

const ORDER = ['INBOX', 'Junk', 'Archive', 'Trash'];
function folderOrder(a: string, b: string): number {
  const ia = ORDER.indexOf(a), ib = ORDER.indexOf(b);
  return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || (a < b ? -1 : a > b ? 1 : 0);
}
