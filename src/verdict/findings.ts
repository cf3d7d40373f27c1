// Findings beyond the three verdicts: a mistyped recipient (a near miss of an address that does receive mail),
// Junk filing with the spam headers that explain it, opened (\Seen / Maildir S), read receipts (RFC 8098) and
// delivery DSNs, parsed bounces linked to the message, deferrals, a delivery whose copy is gone, clock skew and
// slow hops, contradictions between sources (both sides reported, marked), and the SMTP AUTH login that submitted
// it (submission.ts). Pure: facts in, findings out.

import type { StoredLogEvent } from '../correlate/types.js';
import type { Hop } from '../model/hop.js';
import type { MdnReport } from '../model/dsn.js';
import type { SpamVerdict } from '../parse/spam-verdict.js';
import { copyRef, inCopy, logRef, type CopyLocation, type EvidenceRef, type Finding } from './evidence-types.js';
import { flagWords, folderOf, isJunkFolder, isMarkedDeleted, isSeen, junkKeyword } from './folders.js';
import { nearMissOf, splitAddr } from '../correlate/question.js';
import { editDistance } from './edit-distance.js';
import type { ReportRef } from './arrived.js';
import { feedbackKind, feedbackSender, feedbackWords } from './reports.js';
import { judgeHandoff, type Handoff } from './handoff-clock.js';
import { at, sentCopyRefs, sentCopyWords, short } from './sent.js';
import { submissionFindings, type ClaimedFrom } from './submission.js';
import { stepWords, type MailboxLog, type MailboxStep } from './mailbox-log.js';

/** A recipient's copy: where it is, the filters' verdicts (with the header line as written) and its hops. */
export interface CopyFacts {
  loc: CopyLocation;
  sha256: string;
  spam: Array<SpamVerdict & { line?: string }>;
  hops: Hop[];
  /** Whose mailbox the copy is in, when known (the IMAP account, or the one recipient the copy is addressed to). */
  owner?: string | null;
  /** Gmail's labels, when the copy is from a Google Takeout mbox (parse/gmail-labels.ts; header #1 of the copy). */
  gmailLabels?: string[] | null;
}

export interface FindingFacts {
  claimedTo: string | null;
  /** Recipients the message actually went to (envelope or header), lower-case. */
  actualTo: string[];
  /** Addresses at the recipients' domains that did receive mail (logs, Delivered-To). */
  receiving: (domain: string) => string[];
  recipientCopies: CopyFacts[];
  sentCopiesOnly: boolean;
  /** The sender's own copy behind sentCopiesOnly: copies in a Sent folder, and the client's logged saves into it. */
  sentCopy?: { copies: CopyLocation[]; saves: MailboxStep[] };
  senderAnswer: 'yes' | 'no' | 'undetermined';
  /** When the sender's server log covers the claimed time: which log and what it covers (for the Sent-copy finding). */
  senderLogCovers: string | null;
  deliveries: StoredLogEvent[];
  senderEvents: StoredLogEvent[];
  rejects: StoredLogEvent[];
  bounces: ReportRef[];
  mdns: Array<{ sha256: string; path: string | null; locator: string; where?: string | null; mdn: MdnReport }>;
  /** Server-to-server hand-offs: the sender's line and the receiver's first line of the same message. */
  handoffs: Handoff[];
  /** A mailbox is in the evidence (a stored copy, or a Maildir or IMAP folder examined, even empty). */
  mailboxEvidence: boolean;
  /** Lines of the message, in any log, where a server accepted it after SMTP AUTH (parse/logs/submission-auth.ts). */
  submissions: StoredLogEvent[];
  /** The From address a submission login is compared with (a copy's From header, else the envelope sender). */
  claimedFrom: ClaimedFrom | null;
  /** The mailbox server's log of the message in the recipients' mailboxes (mailbox-log.ts). */
  mailbox?: MailboxLog;
}

/** Gmail's own labels in a Takeout export (the rest are the user's, named like folders). */
const GMAIL_SYSTEM_LABEL = /^(?:inbox|spam|trash|sent|drafts?|opened|unread|archived|important|starred|chat|category [a-z]+)$/i;

const USER_UNKNOWN = /\b5\.1\.[0-3]\b|user unknown|no such user|does not exist|unknown user|recipient address rejected|mailbox unavailable|invalid recipient/i;
const SLOW_HOP_SECONDS = 300;

export function decideFindings(f: FindingFacts): Finding[] {
  const out: Finding[] = [];
  mistyped(f, out);
  out.push(...submissionFindings(f.submissions, f.claimedFrom));
  const copyEv = (c: CopyFacts, claim: string): EvidenceRef => copyRef(c.loc, claim);

  for (const c of f.recipientCopies) {
    const folder = folderOf(c.loc);
    const spam = c.spam.filter((s) => s.verdict === 'spam' || s.verdict === 'suspect');
    const hdrEv = c.spam.map((s) => inCopy(c.loc, `header #${s.headerIndex} (${s.header})`, `${s.line ?? s.header} — ${s.vendor} says ${s.verdict}${s.score !== undefined ? ` score ${s.score}${s.threshold !== undefined ? `/${s.threshold}` : ''}` : ''}${s.details.length ? ` (${s.details.slice(0, 6).join(', ')})` : ''}`));
    // In a Takeout mbox the folder and the opened state are Gmail's labels, written by Takeout as header #1. Only
    // Gmail's own labels are quoted: the user's own name things, as folder names do, and the header is there to read.
    const labels = c.gmailLabels ?? null;
    const systemLabels = (labels ?? []).filter((l) => GMAIL_SYSTEM_LABEL.test(l));
    const others = (labels?.length ?? 0) - systemLabels.length;
    const labelEv = labels ? [inCopy(c.loc, 'header #1 (X-Gmail-Labels)', `X-Gmail-Labels: ${systemLabels.join(',')}${others ? ` and ${others} label(s) of the user's own, not quoted` : ''} — written by Google Takeout`)] : [];
    if (isJunkFolder(folder)) {
      const why = spam.length ? spam.map((s) => `${s.vendor} says ${s.verdict}${s.score !== undefined ? ` (score ${s.score}${s.threshold !== undefined ? ` of ${s.threshold}` : ''})` : ''} in ${s.line ?? s.header}`).join('; ') : 'no spam header explains it (a user rule or a client filter may have moved it)';
      out.push({ kind: 'filed-to-junk', severity: 'warning', summary: `Filed into ${folder}: ${why}.`, evidence: [copyEv(c, `the copy is in ${folder}`), ...labelEv, ...hdrEv] });
    } else if (spam.length) {
      out.push({ kind: 'spam-verdict', severity: 'info', summary: `A filter marked it ${spam.map((s) => `${s.verdict} (${s.vendor}, ${s.header})`).join('; ')}, but it is in ${folder ?? 'a mailbox file'}.`, evidence: hdrEv });
    }
    const where = c.owner ? `${c.owner}'s ${folder ?? 'mailbox'}` : (folder ?? 'the mailbox');
    const junkMark = isJunkFolder(folder) ? null : junkKeyword(c.loc);
    if (junkMark !== null) {
      out.push({
        kind: 'marked-junk', severity: 'warning',
        summary: `Marked as junk: the copy in ${where} carries the IMAP keyword ${junkMark}, a junk filter's mark (in the mail client or on the server); a client may hide it or show it as junk though it was not moved.`,
        evidence: [copyEv(c, `keyword ${junkMark}`)],
      });
    }
    if (isSeen(c.loc)) out.push({ kind: 'opened', severity: 'info', summary: `Opened: the copy in ${where} is flagged as seen (${flagWords(c.loc, 'seen')}).`, evidence: [copyEv(c, 'flagged seen')] });
    else if (labels?.some((l) => l.toLowerCase() === 'opened')) {
      out.push({ kind: 'opened', severity: 'info', summary: `Opened: Gmail labels the copy in ${where} Opened (Google Takeout's X-Gmail-Labels).`, evidence: [copyEv(c, 'labelled Opened'), ...labelEv] });
    }
    if (isMarkedDeleted(c.loc)) {
      out.push({
        kind: 'marked-deleted', severity: 'warning',
        summary: `Marked deleted: the copy in ${where} is flagged deleted (${flagWords(c.loc, 'deleted')}); it waits to be expunged, and a mail client shows it as gone.`,
        evidence: [copyEv(c, 'flagged deleted')],
      });
    }
    hopFindings(c, out);
  }
  for (const m of f.mdns) {
    const mode = m.mdn.actionMode ? ` (${m.mdn.actionMode}${m.mdn.sendingMode ? `/${m.mdn.sendingMode}` : ''})` : '';
    out.push({ kind: 'read-receipt', severity: 'info', summary: `A read receipt (MDN, RFC 8098) linked by Original-Message-ID says ${m.mdn.finalRecipient ?? 'the recipient'}: ${m.mdn.disposition}${mode}${m.mdn.report.date ? ` on ${m.mdn.report.date}` : ''}${m.where ? `; it is in ${m.where}` : ''}.`, evidence: [{ sha256: m.sha256, kind: 'report', path: m.path, locator: m.locator, claim: `disposition ${m.mdn.disposition} for ${m.mdn.originalMessageId ?? 'the message'}` }] });
  }
  for (const b of f.bounces) {
    const ref = { sha256: b.sha256, kind: 'report' as const, path: b.path, locator: b.locator, claim: `${b.report.kind} report (${b.report.format})` };
    if (b.report.kind === 'feedback') {
      const type = (b.report.feedback?.feedbackType ?? '').toLowerCase();
      const kind = feedbackKind(b.report);
      const what = kind.charAt(0).toUpperCase() + kind.slice(1);
      out.push({
        kind: 'feedback-report', severity: type === 'not-spam' || type === 'other' ? 'info' : 'warning',
        summary: `${what} from ${feedbackSender(b.report)}${b.where ? `, now in ${b.where},` : ''} is linked to the message by its Message-ID: ${feedbackWords(b.report)}.`,
        evidence: [{ ...ref, claim: `feedback report (${type || '?'})` }],
      });
      continue;
    }
    const rcpts = b.report.recipients.map((r) => `${r.address}: ${r.action ?? '?'} ${r.status ?? ''}${r.diagnostic ? ` — ${short(r.diagnostic, 120)}` : ''}${r.remoteMta ? ` (remote ${r.remoteMta})` : ''}`).join('; ');
    if (b.report.kind === 'delivery') out.push({ kind: 'delivery-dsn', severity: 'info', summary: `A delivery notification (DSN)${b.where ? ` in ${b.where}` : ''} reports success: ${rcpts}.`, evidence: [ref] });
    else out.push({ kind: 'bounce', severity: b.report.kind === 'bounce' ? 'warning' : 'info', summary: `A ${b.report.kind === 'delay' ? 'delay notice' : 'bounce'} from ${b.report.reportingMta ?? b.report.report.from ?? 'the mail system'}${b.where ? `, now in ${b.where},` : ''} is linked to the message by its Message-ID: ${rcpts}.`, evidence: [ref] });
  }
  const deferred = f.senderEvents.filter((e) => e.status === 'deferred');
  const later = f.senderEvents.filter((e) => e.status === 'sent' || e.status === 'delivered');
  if (deferred.length) {
    const d = deferred[0]!, s = later[later.length - 1], got = f.deliveries[0];
    const stage = smtpStage(d.reply);
    const then = [s ? `handed to the next server at ${at(s)}` : '', got ? `delivered to ${got.to ?? 'the recipient'} at ${at(got)}` : ''].filter(Boolean).join(' and ');
    // Measured on the sender's own clock (its deferral and its hand-off), not across two servers' logs.
    const end = s ?? (got?.artifactId === d.artifactId ? got : undefined);
    const late = end?.timeMs != null && d.timeMs !== null ? Math.round((end.timeMs - d.timeMs) / 1000) : null;
    out.push({
      kind: 'deferred', severity: 'info',
      summary: `Deferred first at ${at(d)}: ${bareReply(d.reply) || d.dsn || 'temporary failure'}${stage ? ` (at ${stage}${d.relay ? `, by ${d.relay}` : ''})` : ''}${deferred.length > 1 ? `; ${deferred.length} deferrals in all` : ''}${then ? `; ${then}${late !== null ? `, ${late}s after the first attempt` : ''}` : '; no later delivery is logged'}.`,
      evidence: [...deferred.map((e) => logRef(e, `deferred: ${e.dsn ?? ''} ${short(e.reply)}`.trim())), ...(s ? [logRef(s, 'later handed on')] : []), ...(got ? [logRef(got, 'delivered')] : [])],
    });
  }
  const removed = f.mailbox?.removed ?? [];
  if (f.deliveries.length && f.recipientCopies.length === 0 && removed.length) {
    // The mailbox server logged the expunge: who and when, not an inference from a missing copy.
    const d = f.deliveries[0]!, x = removed[removed.length - 1]!;
    const marks = (f.mailbox?.steps ?? []).filter((s) => s.action === 'deleted' || s.action === 'copied');
    const by = x.action === 'autoexpunged' ? "by the server's autoexpunge" : x.event.program === 'imap' ? 'by an IMAP client' : x.event.program === 'pop3' ? 'by a POP3 client' : `by ${x.event.program ?? 'a client'}`;
    out.push({
      kind: 'deleted-after-delivery', severity: 'warning',
      summary: `Delivered to ${d.to ?? 'the recipient'} at ${at(d)}, then ${stepWords(x)} at ${at(x.event)} ${by}${x.owner ? ` in ${x.owner}'s mailbox` : ''}: the mailbox server's log records the deletion.`,
      evidence: [logRef(d, 'delivered into the mailbox'), ...marks.map((s) => logRef(s.event, stepWords(s))), ...removed.map((s) => logRef(s.event, stepWords(s)))],
    });
  } else if (f.deliveries.length && f.recipientCopies.length === 0 && f.mailboxEvidence) {
    // Inferred from a missing copy, so only where a mailbox was collected to miss it from: with logs alone the copy
    // is simply not in the evidence (the arrived verdict says so), and a log that has it in a folder is no deletion.
    const d = f.deliveries[0]!;
    out.push({
      kind: 'deleted-after-delivery', severity: 'warning',
      summary: `Delivered to ${d.to ?? 'the recipient'} at ${at(d)}, but no copy is in any folder of the evidence: it was deleted or expunged afterwards.`,
      evidence: [logRef(d, 'delivered into the mailbox')],
    });
  }
  const filed = f.mailbox?.filed ?? null;
  // The delivery agent's own line only: a client's later APPEND into Junk is not filing on delivery.
  if (filed && filed.delivery && isJunkFolder(filed.mailbox) && !f.recipientCopies.some((c) => isJunkFolder(folderOf(c.loc)))) {
    out.push({
      kind: 'filed-to-junk', severity: 'warning',
      summary: `Filed into ${filed.mailbox} on delivery: the mailbox server's log has it ${stepWords(filed)} at ${at(filed.event)}${filed.owner ? ` for ${filed.owner}` : ''} (a server-side filter such as Sieve put it there).`,
      evidence: [logRef(filed.event, stepWords(filed))],
    });
  }
  contradiction(f, out);
  if (f.senderAnswer !== 'yes' && f.sentCopiesOnly) {
    const copies = f.sentCopy?.copies ?? [], saves = f.sentCopy?.saves ?? [];
    const what = saves.length ? `Only ${sentCopyWords(copies.length, saves)}` : 'Only a copy in the Sent folder: a mail client writes it, with or without sending, so it is weak and trivially forgeable';
    out.push({ kind: 'sent-folder-copy-only', severity: 'warning', summary: `${what}${f.senderLogCovers ? `; the sender's server log covers the claimed time and has no submission of it (${f.senderLogCovers})` : ''}.`, evidence: sentCopyRefs(copies, saves) });
  }
  for (const h of f.handoffs) handoffFindings(h, out);
  return dedupe(out);
}

function mistyped(f: FindingFacts, out: Finding[]): void {
  if (f.claimedTo !== null && f.actualTo.length && !f.actualTo.includes(f.claimedTo)) {
    const near = f.actualTo.map((a) => ({ a, d: nearMissOf(f.claimedTo!, a) })).find((x) => x.d !== null);
    if (near) {
      out.push({ kind: 'recipient-mistyped', severity: 'high', summary: `Recipient mistyped: it went to ${near.a}, not ${f.claimedTo} (${near.d} edit${near.d === 1 ? '' : 's'} apart).`, evidence: evidenceFor(f, near.a) });
      return;
    }
    out.push({ kind: 'other-recipient', severity: 'warning', summary: `It went to ${f.actualTo.join(', ')}, not to ${f.claimedTo}.`, evidence: evidenceFor(f, f.actualTo[0]!) });
    return;
  }
  // No claimed recipient: a refused "unknown user" that is a near miss of an address that receives mail.
  for (const e of [...f.rejects, ...f.senderEvents.filter((x) => x.status === 'bounced')]) {
    if (!USER_UNKNOWN.test(e.reply ?? '') || e.to === null) continue;
    const to = e.to.toLowerCase();
    const [local, domain] = splitAddr(to);
    if (local === null || domain === null) continue;
    const best = f.receiving(domain).map((a) => ({ a, d: editDistance(local, splitAddr(a)[0] ?? '', 2) })).filter((x) => x.d > 0 && x.d <= 2).sort((x, y) => x.d - y.d || (x.a < y.a ? -1 : 1))[0];
    if (best) {
      out.push({ kind: 'recipient-mistyped', severity: 'high', summary: `Recipient probably mistyped: ${to} does not exist, and ${best.a}, ${best.d} edit${best.d === 1 ? '' : 's'} away, does receive mail.`, evidence: [logRef(e, `refused: ${short(e.reply)}`)] });
      return;
    }
  }
}

/** The SMTP command a refusal answered: Postfix `(in reply to RCPT TO command)`, Exim `after RCPT TO:`. */
export function smtpStage(reply: string | null): string | null {
  const m = /\bin reply to (MAIL FROM|RCPT TO|DATA|end of DATA|EHLO|HELO|STARTTLS|AUTH)\b/i.exec(reply ?? '') ?? /\bafter (MAIL FROM|RCPT TO|DATA|end of data|EHLO|HELO)\b/i.exec(reply ?? '');
  return m ? m[1]!.toUpperCase().replace('END OF DATA', 'end of DATA') : null;
}

/** The remote server's own words: without Postfix's `host X said:` and `(in reply to … command)` wrapping. */
export function bareReply(reply: string | null): string {
  return short((reply ?? '').replace(/^host \S+ said:\s*/i, '').replace(/\s*\(in reply to [^)]*\)\s*$/i, '').trim(), 200);
}

function evidenceFor(f: FindingFacts, addr: string): EvidenceRef[] {
  return [...f.senderEvents, ...f.rejects].filter((e) => (e.to ?? '').toLowerCase().split(',').includes(addr)).slice(0, 4).map((e) => logRef(e, `envelope recipient ${addr}${e.status ? ` (${e.status})` : ''}`));
}

function hopFindings(c: CopyFacts, out: Finding[]): void {
  for (const h of c.hops) {
    const ref = inCopy(c.loc, `header #${h.headerIndex} (Received)`, `hop ${h.index}: ${h.fromHost ?? '?'} → ${h.byHost ?? '?'}`);
    if (h.skew.length) out.push({ kind: 'clock-skew', severity: 'info', summary: `Clock skew at hop ${h.index} (${h.byHost ?? '?'}): ${h.skew.map((s) => (typeof s === 'string' ? s : JSON.stringify(s))).join('; ')}.`, evidence: [ref] });
    if (h.delaySeconds !== null && h.delaySeconds > SLOW_HOP_SECONDS) out.push({ kind: 'hop-delay', severity: 'info', summary: `Hop ${h.index} (${h.byHost ?? '?'}) took ${h.delaySeconds}s.`, evidence: [ref] });
  }
}

/** The sender's log says it failed, yet a copy, a delivery line or a report says it arrived: report both, mark it. */
function contradiction(f: FindingFacts, out: Finding[]): void {
  const failed = f.senderEvents.filter((e) => e.status === 'bounced' || e.status === 'expired');
  const dsns = f.bounces.filter((b) => b.report.kind === 'delivery');
  if (!failed.length || !(f.recipientCopies.length || f.deliveries.length || dsns.length || f.mdns.length)) return;
  const report = (x: { sha256: string; path: string | null; locator: string }, claim: string): EvidenceRef => ({ sha256: x.sha256, kind: 'report', path: x.path, locator: x.locator, claim });
  const ev = [
    ...failed.map((e) => logRef(e, `log says ${e.status}`)), ...f.recipientCopies.map((c) => copyRef(c.loc, 'yet the mailbox holds a copy')),
    ...f.deliveries.map((e) => logRef(e, 'yet a delivery is logged')), ...dsns.map((b) => report(b, 'yet a DSN reports it delivered')), ...f.mdns.map((m) => report(m, 'yet a read receipt exists')),
  ];
  const x = failed[0]!, held = [...new Set(f.recipientCopies.map((c) => folderOf(c.loc) ?? c.loc.artifactPath))];
  const yet = [
    held.length ? `a recipient's mailbox holds a copy (${held.join(', ')})` : '',
    f.deliveries.length ? `a delivery to ${f.deliveries[0]!.to ?? 'the recipient'} is logged at ${at(f.deliveries[0]!)}` : '',
    dsns.length ? 'a delivery notification (DSN) reports it delivered' : '', f.mdns.length ? `a read receipt (MDN) says it was ${f.mdns[0]!.mdn.disposition}` : '',
  ].filter(Boolean).join(' and ');
  out.push({ kind: 'contradiction', severity: 'high', summary: `Contradiction: the sender's log says ${x.status} for ${x.to ?? 'a recipient'} at ${at(x)}, yet ${yet}. Both are reported; check for a second recipient, a retry, or a copy that came another way.`, evidence: ev });
}

function handoffFindings(h: Handoff, out: Finding[]): void {
  const j = judgeHandoff(h);
  if (j === null) return;
  const ev = [logRef(h.from, 'handed over (logged after the 250 reply)'), logRef(h.to, "the receiving server's first line for it"), ...(h.start ? [logRef(h.start, 'the attempt began after this line')] : [])];
  const a = h.from.host ?? 'the sending server', b = h.to.host ?? 'the receiving server';
  if (j.skew) {
    const s = j.skew.atLeastSeconds;
    // Logs without a zone of their own, off by a whole number of quarter hours: the zone assumed at ingest.
    const q = Math.abs(j.offsetSeconds) % 900;
    const zone = (h.from.timeBasis !== 'explicit-zone' || h.to.timeBasis !== 'explicit-zone') && Math.abs(j.offsetSeconds) >= 840 && (q <= 60 || q >= 840);
    out.push({
      kind: 'clock-skew', severity: 'info', evidence: ev,
      summary: `Clock skew: ${b}'s clock is at least ${s}s ${j.skew.direction === 'ahead' ? 'ahead of' : 'behind'} ${a}'s — ${b} logged receiving it ${Math.abs(j.offsetSeconds)}s ${j.offsetSeconds > 0 ? 'after' : 'before'} ${a} logged handing it over, which cannot happen on one clock${zone ? '; a whole number of quarter hours, so probably a wrong zone assumed for one log at ingest (--tz)' : ''}. Compare times across these two logs with that margin.`,
    });
  }
  if (j.holdSeconds !== null && j.holdSeconds > SLOW_HOP_SECONDS) {
    out.push({ kind: 'hop-delay', severity: 'info', summary: `Slow hop: ${a} held it ${j.holdSeconds}s before handing it to ${b}.`, evidence: ev.slice(0, 2) });
  }
}

function dedupe(fs: Finding[]): Finding[] {
  const seen = new Set<string>();
  return fs.filter((x) => { const k = `${x.kind}|${x.summary}`; if (seen.has(k)) return false; seen.add(k); return true; });
}
