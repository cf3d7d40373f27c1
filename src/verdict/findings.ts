// Findings beyond the three verdicts: a mistyped recipient (a near miss of an address that does receive mail),
// Junk filing with the spam headers that explain it, opened (\Seen / Maildir S), read receipts (RFC 8098) and
// delivery DSNs, parsed bounces linked to the message, deferrals, a delivery whose copy is gone, clock skew and
// slow hops, and contradictions between sources (both sides reported, marked). Pure: facts in, findings out.

import type { StoredLogEvent } from '../correlate/types.js';
import type { Hop } from '../model/hop.js';
import type { MdnReport } from '../model/dsn.js';
import type { SpamVerdict } from '../parse/spam-verdict.js';
import { copyRef, logRef, type CopyLocation, type EvidenceRef, type Finding } from './evidence-types.js';
import { folderOf, isJunkFolder, isSeen } from './folders.js';
import { nearMissOf, splitAddr } from '../correlate/question.js';
import { editDistance } from './edit-distance.js';
import type { ReportRef } from './arrived.js';
import { at, short } from './sent.js';

export interface CopyFacts { loc: CopyLocation; sha256: string; spam: SpamVerdict[]; hops: Hop[] }

export interface FindingFacts {
  claimedTo: string | null;
  /** Recipients the message actually went to (envelope or header), lower-case. */
  actualTo: string[];
  /** Addresses at the recipients' domains that did receive mail (logs, Delivered-To). */
  receiving: (domain: string) => string[];
  recipientCopies: CopyFacts[];
  sentCopiesOnly: boolean;
  senderAnswer: 'yes' | 'no' | 'undetermined';
  deliveries: StoredLogEvent[];
  senderEvents: StoredLogEvent[];
  rejects: StoredLogEvent[];
  bounces: ReportRef[];
  mdns: Array<{ sha256: string; path: string | null; locator: string; mdn: MdnReport }>;
  /** Server-to-server hand-offs: the sender's line and the receiver's first line of the same message. */
  handoffs: Array<{ from: StoredLogEvent; to: StoredLogEvent }>;
  mailboxEvidence: boolean;
}

const USER_UNKNOWN = /\b5\.1\.[0-3]\b|user unknown|no such user|does not exist|unknown user|recipient address rejected|mailbox unavailable|invalid recipient/i;
const SLOW_HOP_SECONDS = 300;
const SKEW_SECONDS = 2;

export function decideFindings(f: FindingFacts): Finding[] {
  const out: Finding[] = [];
  mistyped(f, out);
  const copyEv = (c: CopyFacts, claim: string): EvidenceRef => copyRef(c.loc, claim);

  for (const c of f.recipientCopies) {
    const folder = folderOf(c.loc);
    const spam = c.spam.filter((s) => s.verdict === 'spam' || s.verdict === 'suspect');
    const hdrEv = c.spam.map((s) => ({ sha256: c.sha256, kind: 'message' as const, path: null, locator: `header #${s.headerIndex} (${s.header})`, claim: `${s.vendor}: ${s.verdict}${s.score !== undefined ? ` score ${s.score}${s.threshold !== undefined ? `/${s.threshold}` : ''}` : ''}${s.details.length ? ` (${s.details.slice(0, 6).join(', ')})` : ''}` }));
    if (isJunkFolder(folder)) {
      const why = spam.length ? spam.map((s) => `${s.vendor} says ${s.verdict}${s.score !== undefined ? ` (score ${s.score}${s.threshold !== undefined ? ` of ${s.threshold}` : ''})` : ''} in ${s.header}`).join('; ') : 'no spam header explains it (a user rule or a client filter may have moved it)';
      out.push({ kind: 'filed-to-junk', severity: 'warning', summary: `Filed into ${folder}: ${why}.`, evidence: [copyEv(c, `the copy is in ${folder}`), ...hdrEv] });
    } else if (spam.length) {
      out.push({ kind: 'spam-verdict', severity: 'info', summary: `A filter marked it ${spam.map((s) => `${s.verdict} (${s.vendor}, ${s.header})`).join('; ')}, but it is in ${folder ?? 'a mailbox file'}.`, evidence: hdrEv });
    }
    if (isSeen(c.loc)) out.push({ kind: 'opened', severity: 'info', summary: `Opened: the copy in ${folder ?? 'the mailbox'} is flagged as seen${c.loc.imap ? ' (\\Seen)' : ' (Maildir S flag)'}.`, evidence: [copyEv(c, 'flagged seen')] });
    hopFindings(c, out);
  }
  for (const m of f.mdns) {
    out.push({ kind: 'read-receipt', severity: 'info', summary: `A read receipt (MDN, RFC 8098) says ${m.mdn.finalRecipient ?? 'the recipient'}: ${m.mdn.disposition}${m.mdn.report.date ? ` on ${m.mdn.report.date}` : ''}.`, evidence: [{ sha256: m.sha256, kind: 'report', path: m.path, locator: m.locator, claim: `disposition ${m.mdn.disposition}` }] });
  }
  for (const b of f.bounces) {
    const ref = { sha256: b.sha256, kind: 'report' as const, path: b.path, locator: b.locator, claim: `${b.report.kind} report (${b.report.format})` };
    const rcpts = b.report.recipients.map((r) => `${r.address}: ${r.action ?? '?'} ${r.status ?? ''}${r.diagnostic ? ` — ${short(r.diagnostic, 120)}` : ''}${r.remoteMta ? ` (remote ${r.remoteMta})` : ''}`).join('; ');
    if (b.report.kind === 'delivery') out.push({ kind: 'delivery-dsn', severity: 'info', summary: `A delivery notification (DSN) reports success: ${rcpts}.`, evidence: [ref] });
    else out.push({ kind: 'bounce', severity: b.report.kind === 'bounce' ? 'warning' : 'info', summary: `A ${b.report.kind === 'delay' ? 'delay notice' : 'bounce'} from ${b.report.reportingMta ?? b.report.report.from ?? 'the mail system'} is in the evidence, linked by Message-ID: ${rcpts}.`, evidence: [ref] });
  }
  const deferred = f.senderEvents.filter((e) => e.status === 'deferred');
  const later = f.senderEvents.filter((e) => e.status === 'sent' || e.status === 'delivered');
  if (deferred.length) {
    const d = deferred[0]!, s = later[later.length - 1];
    out.push({ kind: 'deferred', severity: 'info', summary: `Deferred first at ${at(d)}: ${d.dsn ?? ''} ${short(d.reply)}${s ? `; delivered to the next server at ${at(s)}` : ''}.`.replace(/\s+/g, ' '), evidence: [...deferred.map((e) => logRef(e, 'deferred')), ...(s ? [logRef(s, 'later handed on')] : [])] });
  }
  if (f.deliveries.length && f.recipientCopies.length === 0) {
    const d = f.deliveries[0]!;
    out.push({
      kind: 'deleted-after-delivery', severity: 'warning',
      summary: `Delivered to ${d.to ?? 'the recipient'} at ${at(d)}, but no copy is in any folder of the evidence: it was deleted or expunged afterwards${f.mailboxEvidence ? '' : ' (or the recipient\'s mailbox was not collected)'}.`,
      evidence: [logRef(d, 'delivered into the mailbox')],
    });
  }
  const failed = f.senderEvents.filter((e) => e.status === 'bounced' || e.status === 'expired');
  if (failed.length && (f.recipientCopies.length || f.deliveries.length)) {
    const ev = [...failed.map((e) => logRef(e, `log says ${e.status}`)), ...f.recipientCopies.map((c) => copyEv(c, 'yet the mailbox holds a copy')), ...f.deliveries.map((e) => logRef(e, 'yet a delivery is logged'))];
    out.push({ kind: 'contradiction', severity: 'high', summary: `Contradiction: the sender's log says ${failed[0]!.status} for ${failed[0]!.to ?? 'a recipient'}, but the message was delivered (a copy or a delivery line exists). Both are reported; check for a second recipient, a retry or a copy from elsewhere.`, evidence: ev });
  }
  if (f.senderAnswer !== 'yes' && f.sentCopiesOnly) {
    out.push({ kind: 'sent-folder-copy-only', severity: 'warning', summary: 'Only a copy in the Sent folder: a mail client writes it, with or without sending, so it is weak and trivially forgeable.', evidence: [] });
  }
  for (const h of f.handoffs) {
    if (h.from.timeMs === null || h.to.timeMs === null) continue;
    const d = (h.to.timeMs - h.from.timeMs) / 1000;
    if (d < -SKEW_SECONDS) out.push({ kind: 'clock-skew', severity: 'info', summary: `Clock skew: ${h.to.host ?? 'the receiving server'} logged receiving it ${-d}s before ${h.from.host ?? 'the sending server'} logged handing it over.`, evidence: [logRef(h.from, 'handed over'), logRef(h.to, 'received')] });
    else if (d > SLOW_HOP_SECONDS) out.push({ kind: 'hop-delay', severity: 'info', summary: `Slow hand-off: ${d}s between ${h.from.host ?? 'the sender'} and ${h.to.host ?? 'the receiver'}.`, evidence: [logRef(h.from, 'handed over'), logRef(h.to, 'received')] });
  }
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

function evidenceFor(f: FindingFacts, addr: string): EvidenceRef[] {
  return [...f.senderEvents, ...f.rejects].filter((e) => (e.to ?? '').toLowerCase().split(',').includes(addr)).slice(0, 4).map((e) => logRef(e, `envelope recipient ${addr}${e.status ? ` (${e.status})` : ''}`));
}

function hopFindings(c: CopyFacts, out: Finding[]): void {
  for (const h of c.hops) {
    const ref = { sha256: c.sha256, kind: 'message' as const, path: null, locator: `header #${h.headerIndex} (Received)`, claim: `hop ${h.index}: ${h.fromHost ?? '?'} → ${h.byHost ?? '?'}` };
    if (h.skew.length) out.push({ kind: 'clock-skew', severity: 'info', summary: `Clock skew at hop ${h.index} (${h.byHost ?? '?'}): ${h.skew.map((s) => (typeof s === 'string' ? s : JSON.stringify(s))).join('; ')}.`, evidence: [ref] });
    if (h.delaySeconds !== null && h.delaySeconds > SLOW_HOP_SECONDS) out.push({ kind: 'hop-delay', severity: 'info', summary: `Hop ${h.index} (${h.byHost ?? '?'}) took ${h.delaySeconds}s.`, evidence: [ref] });
  }
}

function dedupe(fs: Finding[]): Finding[] {
  const seen = new Set<string>();
  return fs.filter((x) => { const k = `${x.kind}|${x.summary}`; if (seen.has(k)) return false; seen.add(k); return true; });
}
