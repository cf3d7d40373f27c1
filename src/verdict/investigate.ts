// investigate: answer "was it sent, did it arrive (where), who sent it" for one question from everything in the
// store. Finds the candidate message (correlate/question), follows it through the logs (correlate/trail),
// tells the sender's server's log from the receiver's by what each log did (log-sides), collects stored
// copies, bounces and receipts, verifies the best copy, and hands plain facts to the three deciders and the
// findings. Side effects only through InvestigatePorts (store reads and verify, wired in cli/).

import type { StoredLogEvent } from '../correlate/types.js';
import { buildTrail, type Trail, type TrailPorts } from '../correlate/trail.js';
import { claimSpan, findCandidates, isoBound, searchWindow, type Candidate, type Question, type QuestionPorts } from '../correlate/question.js';
import type { StoredCoverage } from '../store/log-events.js';
import type { Hop } from '../model/hop.js';
import type { HeaderField } from '../model/header.js';
import type { VerifyDocument } from '../report/verify.js';
import { readSpamVerdicts } from '../parse/spam-verdict.js';
import type { ArrivedVerdict, CopyLocation, Finding, InvestigateSender, SentVerdict, SideRow, StoredCopy } from './evidence-types.js';
import { copyRef } from './evidence-types.js';
import { roleOf } from './folders.js';
import { takeoutLabels } from '../parse/gmail-labels.js';
import { parseHeaderBlock } from '../parse/headers.js';
import { domainOf, judgeCoverage, sideArtifacts, unjudgedCoverage } from './log-sides.js';
import { decideSent } from './sent.js';
import { decideArrived, type ReportRef } from './arrived.js';
import { mailboxLog, sentFolderSaves } from './mailbox-log.js';
import { decideFindings, type CopyFacts } from './findings.js';
import type { ClaimedFrom } from './submission.js';
import { submissionAuthOf } from '../parse/logs/submission-auth.js';
import { decideInvestigateSender, type VerifiedCopy } from './investigate-sender.js';
import { findHandoffs, type Handoff } from './handoff-clock.js';
import { candidateFromReports, feedbackKind, feedbackSender, feedbackWords, isUserFeedback, linkReports, type LinkedReports, type MdnRef } from './reports.js';

export interface InvestigatePorts extends QuestionPorts, TrailPorts {
  coverage(): StoredCoverage[];
  sideRows(sinceMs: number, untilMs: number): SideRow[];
  reportsAbout(midKey: string): string[];
  reportCandidates(since: string, until: string): string[];
  copyBySha(sha256: string): StoredCopy | null;
  messageBytes(sha256: string): { bytes: Buffer; hasBody: boolean } | null;
  headersOf(rowId: number): Array<{ index: number; name: string; value: string }>;
  hops(rowId: number): Hop[];
  receivingAddresses(domain: string): string[];
  /** A mailbox is in the evidence: a stored copy from a file, Maildir or IMAP, or a mailbox folder examined (even empty). */
  hasMailboxEvidence(): boolean;
  verify(bytes: Buffer, opts: { sha256?: string; hasBody: boolean; at: Date | null }): Promise<VerifyDocument>;
}

export interface CaseFacts {
  question: Question;
  candidate: Candidate | null;
  trail: Trail;
  ourEvents: StoredLogEvent[];
  senderEvents: StoredLogEvent[];
  rejects: StoredLogEvent[];
  /** Server-to-server hand-offs between two logs of the evidence (for clock agreement and per-hop delay). */
  handoffs: Handoff[];
  copies: Array<{ copy: StoredCopy; loc: CopyLocation; role: ReturnType<typeof roleOf> }>;
  reports: ReportRef[];
  mdns: MdnRef[];
  coverage: StoredCoverage[];
  sendingLogs: Set<number>;
  receivingLogs: Set<number>;
  hops: Map<string, Hop[]>;
  verified: VerifiedCopy | null;
  sent: SentVerdict;
  arrived: ArrivedVerdict;
  sender: InvestigateSender;
  findings: Finding[];
  caveats: string[];
}

export type InvestigateOutcome = { kind: 'ambiguous'; candidates: Candidate[] } | { kind: 'answered'; facts: CaseFacts };

const DAY = 86_400_000;
const lc = (s: string | null | undefined): string | null => (s == null ? null : s.toLowerCase());
const txOf = (e: StoredLogEvent): string => (e.queueId === null ? `row:${e.rowId}` : `${e.artifactId}|${e.queueId}`);
const byTime = (a: StoredLogEvent, b: StoredLogEvent): number => (a.timeMs ?? 0) - (b.timeMs ?? 0) || a.artifactId - b.artifactId || a.line - b.line;

export async function investigate(q: Question, ports: InvestigatePorts, opts: { at: Date | null }): Promise<InvestigateOutcome> {
  let candidates = findCandidates(q, ports);
  if (candidates.length === 0 && q.messageId !== null) {
    // Only a bounce or a receipt mentions it (the user kept the bounce, not the original): still a message.
    const fromReports = candidateFromReports(q.messageId, ports);
    if (fromReports) candidates = [fromReports];
  }
  if (candidates.length > 1) return { kind: 'ambiguous', candidates };
  const c = candidates[0] ?? null;
  const mid = lc(c?.messageId ?? (q.messageId === null ? null : q.messageId.replace(/^<|>$/g, '')));
  const trail: Trail = c ? buildTrail(c.seeds, ports) : { items: [], links: [], truncated: false };
  const caveats: string[] = [];
  if (trail.truncated) caveats.push('The log trail was cut at its size limit; some lines of this message may be missing.');

  // Transactions of this message (not of the bounces it caused).
  const txs = new Map<string, StoredLogEvent[]>();
  for (const it of trail.items) if (it.kind === 'log') { const k = txOf(it.log); txs.set(k, [...(txs.get(k) ?? []), it.log]); }
  const ours: StoredLogEvent[][] = [];
  for (const evs of txs.values()) {
    const m = lc(evs.find((e) => e.messageId)?.messageId);
    if (m === null || mid === null || m === mid) ours.push(evs.sort(byTime));
  }
  const ourEvents = ours.flat().sort(byTime);

  const copies = (c?.copies ?? []).flatMap((copy) => copy.locations.map((loc) => ({ copy, loc, role: roleOf(loc) })));
  const fromAddr = lc(c?.from) ?? lc(q.from);
  const headerFrom = copies.find((x) => x.copy.from)?.copy.from ?? null;
  // The sender's client saving its Sent copy, as the sender's mailbox server logged it (IMAP lines join by Message-ID).
  // With no From known, the account whose Sent folder it went into is the sender's, and its domain names the side.
  const sentSaves = sentFolderSaves(ourEvents, fromAddr ?? lc(headerFrom));
  const savedBy = fromAddr === null && headerFrom === null ? (sentSaves.map((s) => s.owner).find((o) => o !== null && o.includes('@')) ?? null) : null;
  const fromDomain = domainOf(headerFrom ?? fromAddr ?? savedBy);
  const actualTo = [...new Set([...(c?.to ?? [])])].sort();
  const claimedTo = lc(q.to);
  const recipients = claimedTo !== null && !actualTo.includes(claimedTo) && c?.nearMiss ? [c.nearMiss.actual] : claimedTo !== null && actualTo.includes(claimedTo) ? [claimedTo] : actualTo;
  const toDomains = [...new Set([...recipients, ...(claimedTo ? [claimedTo] : [])].map(domainOf).filter((d): d is string => d !== null))];

  // Which logs belong to the sender's and the recipient's servers.
  const w = searchWindow(q);
  const times = [...ourEvents.map((e) => e.timeMs).filter((t): t is number => t !== null), ...(c?.time ? [Date.parse(c.time)] : []), ...(w ? [w.sinceMs, w.untilMs] : [])];
  const lo = times.length ? Math.min(...times) - DAY : -8.64e15, hi = times.length ? Math.max(...times) + DAY : 8.64e15;
  const rows = ports.sideRows(lo, hi);
  const sendingLogs = sideArtifacts(rows, 'out', fromDomain);
  const receivingLogs = new Set<number>();
  for (const d of toDomains) for (const id of sideArtifacts(rows, 'in', d)) receivingLogs.add(id);
  const downstream = new Set(trail.links.filter((l) => l.key === 'remote-queue-id').flatMap((l) => [l.a, l.b]));
  // A hand-off re-injected into the same server (content filter: 'queued as X', X a queue id of the same log) is
  // internal, not the sender's server handing the mail on (as store/evidence.ts sideRows judges it too).
  const reinjected = (e: StoredLogEvent): boolean => e.remoteQueueId !== null && ourEvents.some((x) => x.queueId === e.remoteQueueId && x.artifactId === e.artifactId);
  // A server that took the message from an SMTP-AUTH client was the sender's submission server, whatever the
  // domains say (mail between two users of one server is both servers' at once).
  const submitted = (evs: StoredLogEvent[]): boolean => evs.some((e) => submissionAuthOf(e) !== null);
  const senderTx = ours.filter((evs) => sendingLogs.has(evs[0]!.artifactId) || submitted(evs) || (sendingLogs.size === 0 && evs.some((e) => (e.status === 'sent' && !reinjected(e)) || e.status === 'bounced' || e.status === 'deferred' || e.status === 'expired') && !evs.some((e) => e.status === 'received' && downstream.has(`L${e.rowId}`) && !evs.some((x) => x.remoteQueueId !== null))));
  // A content filter's re-injection keeps the message on the same server: the transaction it leads to (the
  // queue id named in 'queued as X', in the same log) is the sender's too, and the hand-off is internal.
  for (let grew = true; grew;) {
    grew = false;
    const named = new Set(senderTx.flat().filter(reinjected).map((e) => `${e.artifactId}|${e.remoteQueueId}`));
    for (const evs of ours) {
      if (senderTx.includes(evs) || !evs.some((x) => x.queueId !== null && named.has(`${x.artifactId}|${x.queueId}`))) continue;
      senderTx.push(evs);
      grew = true;
    }
  }
  const senderEvents = senderTx.flat().sort(byTime);
  const internalHandoffs = new Set(senderEvents.filter(reinjected).map((e) => e.rowId));
  const senderArtifacts = new Set(senderTx.map((t) => t[0]!.artifactId));
  for (const e of ourEvents) if (!senderArtifacts.has(e.artifactId) && e.status === 'delivered') receivingLogs.add(e.artifactId);
  const deliveries = ourEvents.filter((e) => e.status === 'delivered' && (recipients.length === 0 || recipients.some((r) => (e.to ?? '').toLowerCase().split(',').includes(r) || (e.origTo ?? '').toLowerCase() === r)));

  // Refusals at SMTP time (no queue id on the receiving side) for this sender and recipient.
  const rejects: StoredLogEvent[] = [];
  const attemptTimes = senderEvents.filter((e) => e.status === 'bounced' || e.status === 'deferred').map((e) => e.timeMs).filter((t): t is number => t !== null);
  const rejWindows = attemptTimes.length ? attemptTimes.map((t) => [t - 120_000, t + 120_000] as const) : w && senderEvents.length === 0 && fromAddr ? [[w.sinceMs, w.untilMs] as const] : [];
  for (const r of recipients) {
    for (const [a, b] of rejWindows) {
      for (const e of ports.byAddress('to', r, a, b)) {
        if (e.status !== 'rejected' || senderArtifacts.has(e.artifactId) || (fromAddr && e.from && e.from.toLowerCase() !== fromAddr)) continue;
        if (!rejects.some((x) => x.rowId === e.rowId)) rejects.push(e);
      }
    }
  }
  rejects.sort(byTime);

  // Bounces, DSNs and read receipts about this message.
  let linked: LinkedReports = { reports: [], mdns: [], returned: [] };
  if (mid !== null && c !== null) {
    const bounceMids = trail.items.flatMap((it) => (it.kind === 'log' && it.log.messageId && lc(it.log.messageId) !== mid ? [lc(it.log.messageId)!] : []));
    // Reports indexed at ingest, whenever they were written; and, for messages stored before that index, those
    // that look like reports and are dated within six days of the message.
    const shas = new Set<string>([...ports.reportsAbout(mid), ...ports.reportCandidates(isoBound(lo - 6 * DAY), isoBound(hi + 6 * DAY))]);
    for (const bm of new Set(bounceMids)) for (const x of ports.copiesByMessageId(bm)) shas.add(x.sha256);
    linked = linkReports(mid, shas, ports);
  }
  const { reports, mdns, returned } = linked;

  // Who sent it: the best copy there is.
  const hops = new Map<string, Hop[]>();
  const recipientCopies = copies.filter((x) => x.role === 'recipient' || (x.role === 'loose' && ports.headersOf(x.copy.rowId).some((h) => h.name === 'delivered-to' || h.name === 'x-original-to')));
  for (const x of copies) if (!hops.has(x.copy.sha256)) hops.set(x.copy.sha256, ports.hops(x.copy.rowId));
  const pick = recipientCopies[0] ?? copies.find((x) => x.role === 'loose');
  let verified: VerifiedCopy | null = null;
  const atFor = (h: Hop[] | undefined, date: string | null): Date | null => opts.at ?? dateOr(h?.[h.length - 1]?.date ?? null) ?? dateOr(date);
  if (pick) {
    const stored = ports.messageBytes(pick.copy.sha256);
    if (stored) verified = { doc: await ports.verify(stored.bytes, { sha256: pick.copy.sha256, hasBody: stored.hasBody, at: atFor(hops.get(pick.copy.sha256), pick.copy.date) }), cite: citeCopy(pick.loc), what: pick.role === 'loose' ? 'loose copy' : 'recipient copy' };
  } else if (returned.length) {
    const r = returned[0]!;
    verified = { doc: await ports.verify(r.bytes, { hasBody: true, at: opts.at ?? dateOr(r.ref.report.report.date) }), cite: { sha256: r.ref.sha256, path: r.ref.path, kind: 'report', locatorPrefix: `returned original inside the ${r.ref.report.kind === 'feedback' ? 'feedback report' : 'bounce'} (${r.ref.locator}), ` }, what: 'returned original' };
  } else {
    const s = copies.find((x) => x.role === 'sender');
    const stored = s ? ports.messageBytes(s.copy.sha256) : null;
    if (s && stored) verified = { doc: await ports.verify(stored.bytes, { sha256: s.copy.sha256, hasBody: stored.hasBody, at: atFor(undefined, s.copy.date) }), cite: citeCopy(s.loc), what: 'sent copy' };
  }
  // The From domain's own server: one that relays its mail, or one that receives it and took this message from an
  // SMTP-AUTH client (its users submit there; mail between two of them never leaves it).
  const fromDomainInbound = sideArtifacts(rows, 'in', fromDomain);
  const onSendingServer = senderEvents.some((e) => sendingLogs.has(e.artifactId) || (fromDomainInbound.has(e.artifactId) && submissionAuthOf(e) !== null));
  const sender = decideInvestigateSender(verified, senderEvents, onSendingServer, domainOf(headerFrom));

  // Sent.
  const sentCopies = copies.filter((x) => x.role === 'sender').map((x) => x.loc);
  const fallback = c?.time ?? null;
  const span = claimSpan(q, fallback);
  // No span: no time at all, or a window open at one end (--since or --until alone), which no log can cover.
  const oneSided = q.since !== null || q.until !== null;
  const noTime = oneSided ? 'the window asked about is open at one end and nothing in the evidence dates the message' : 'the question has no time and nothing in the evidence dates the message';
  const senderCoverage = span ? judgeCoverage(ports.coverage(), sendingLogs, span) : unjudgedCoverage(ports.coverage(), sendingLogs, noTime);
  if (!span) {
    caveats.push(oneSided
      ? 'The window asked about is open at one end (only --since or --until) and nothing dates the message: no log can cover it, so absence in the logs cannot be judged. Give both ends, or --around.'
      : 'No time was given and nothing dates the message: absence in the logs cannot be judged.');
  }
  else if (fallback === null && (q.since === null || q.until === null) && senderCoverage.state === 'outside') {
    caveats.push(`The time in question is the whole window searched around the claimed time (${span.from} to ${span.to}), and no log of the sending server covers all of it. If the time is known more closely, --window (or --since/--until) narrows what a log must cover.`);
  }
  const receiverIds = new Set([...receivingLogs].filter((id) => !senderArtifacts.has(id) || sendingLogs.size === 0 || receivingLogs.size === 1));
  const confirmedRemote = new Set(ourEvents.filter((e) => !senderArtifacts.has(e.artifactId) && e.queueId !== null).map((e) => e.queueId!));
  const sent = decideSent({
    senderEvents, recipients, confirmedRemote, sentCopies, sentSaves, coverage: senderCoverage, claimedFrom: fromAddr, internalHandoffs, reports, mdns,
    senderAuthenticated: sender.answer === 'authenticated' ? sender.domain : null,
    arrivedAuthenticated: (recipientCopies.length || deliveries.length) && sender.answer === 'authenticated' && sender.domain !== null ? { domain: sender.domain, evidence: sender.evidence.slice(0, 3) } : null,
  });

  // Arrived.
  const relayed = [...senderEvents].reverse().find((e) => e.status === 'sent' && !internalHandoffs.has(e.rowId)) ?? null;
  const arrSpanTime = relayed?.timeMs ?? senderEvents[0]?.timeMs ?? null;
  const arrSpan = arrSpanTime !== null ? { from: new Date(arrSpanTime).toISOString(), to: new Date(arrSpanTime).toISOString() } : span;
  const receiverCoverage = arrSpan ? judgeCoverage(ports.coverage(), receiverIds, arrSpan) : unjudgedCoverage(ports.coverage(), receiverIds, noTime);
  const senderFailures = senderEvents.filter((e) => (e.status === 'bounced' || e.status === 'expired' || e.status === 'deferred') && (recipients.length === 0 || recipients.some((r) => (e.to ?? '').toLowerCase().split(',').includes(r))));
  const mailbox = mailboxLog(ourEvents, recipients);
  const mailboxEvidence = ports.hasMailboxEvidence();
  const arrived = decideArrived({
    recipientCopies: recipientCopies.map((x) => x.loc), deliveries, senderFailures, rejects, mailbox, mailboxEvidence,
    relayed: relayed && confirmedRemote.has(relayed.remoteQueueId ?? '') ? null : relayed, bounces: reports, receipts: receiptsOf(reports, mdns), coverage: receiverCoverage, recipient: recipients[0] ?? claimedTo,
  });

  // Findings.
  const handoffs = findHandoffs(senderEvents, ourEvents);
  // Where a server took it from an authenticated client: in whichever log, that server was its submission server.
  const submissions = ourEvents.filter((e) => submissionAuthOf(e) !== null);
  const copyFacts: CopyFacts[] = recipientCopies.map((x) => ({
    loc: x.loc, sha256: x.copy.sha256, spam: spamOf(x.copy, ports), hops: hops.get(x.copy.sha256) ?? [],
    owner: x.loc.imap?.account ?? (x.copy.to.length === 1 ? x.copy.to[0]! : null),
    gmailLabels: x.loc.kind === 'mbox' ? takeoutLabelsOf(x.copy, ports) : null,
  }));
  const findings = decideFindings({
    claimedTo, actualTo: recipients.length ? [...new Set([...actualTo])] : [], receiving: (d) => ports.receivingAddresses(d), recipientCopies: copyFacts,
    sentCopiesOnly: (sentCopies.length > 0 || sentSaves.length > 0) && recipientCopies.length === 0 && senderEvents.length === 0 && deliveries.length === 0,
    sentCopy: { copies: sentCopies, saves: sentSaves },
    senderAnswer: sent.answer, senderLogCovers: senderCoverage.state === 'covered' ? senderCoverage.detail : null, deliveries, senderEvents, rejects, bounces: reports, mdns, handoffs, mailboxEvidence,
    submissions, claimedFrom: claimedFromOf(headerFrom, submissions, ourEvents), mailbox,
  });
  const assumedIn = new Set(ourEvents.filter((e) => e.timeBasis !== 'explicit-zone').map((e) => e.artifactId));
  const noYear = ourEvents.some((e) => e.timeBasis === 'assumed-year-and-zone');
  const assumptions = [...new Set(ports.coverage().filter((cv) => assumedIn.has(cv.artifactId) && cv.timeAssumption !== null).map((cv) => cv.timeAssumption as string))].sort();
  if (assumedIn.size > 0) {
    const what = noYear ? 'year or zone' : 'zone';
    caveats.push(`The cited log lines carry no ${what} of their own; their times rest on what was assumed at ingest: ${assumptions.join('; ') || 'see each source\'s timeAssumption'}. ${assumptions.length > 1 ? 'The logs were read with different assumptions, so times across them can differ by the difference (see clock-skew findings).' : `A wrong ${what} shifts all of them alike.`}`);
  }
  if (c === null) caveats.push(`Nothing in the store matches the question; ${ports.coverage().length} log source(s) were searched (see evidence for their time spans).`);
  return {
    kind: 'answered',
    facts: { question: q, candidate: c, trail, ourEvents, senderEvents, rejects, handoffs, copies, reports, mdns, coverage: ports.coverage(),
      // For the report's side of each source: the sender's mailbox server log, cited for the Sent save, is the sender's.
      sendingLogs: new Set([...sendingLogs, ...sentSaves.map((s) => s.event.artifactId)]), receivingLogs: receiverIds, hops, verified, sent, arrived, sender, findings, caveats },
  };
}

/** What a submission login is compared with: a copy's From header, else the envelope sender of its transaction. */
function claimedFromOf(headerFrom: string | null, submissions: StoredLogEvent[], ourEvents: StoredLogEvent[]): ClaimedFrom | null {
  if (headerFrom) return { address: headerFrom.toLowerCase(), source: 'header' };
  const s = submissions[0];
  const env = (s ? ourEvents.find((e) => e.from && e.artifactId === s.artifactId && e.queueId === s.queueId) : undefined) ?? ourEvents.find((e) => e.from);
  return env?.from ? { address: env.from.toLowerCase(), source: 'envelope' } : null;
}

function dateOr(s: string | null): Date | null {
  if (s === null) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t);
}

/** Success DSNs (Action: delivered), users' feedback reports and read receipts about the message, as arrival evidence. */
function receiptsOf(reports: ReportRef[], mdns: CaseFacts['mdns']): NonNullable<Parameters<typeof decideArrived>[0]['receipts']> {
  // RFC 3464 §2.3.3: `delivered` is final delivery; `relayed` is a hand-off to a system that sends no DSNs of its
  // own (Postfix says it for every LMTP delivery to Dovecot), so final delivery rests on that system: weak.
  const dsns = reports.filter((r) => r.report.kind === 'delivery').flatMap((r) => r.report.recipients.filter((x) => x.action === 'delivered' || x.action === 'relayed').map((x) => ({
    evidence: { sha256: r.sha256, kind: 'report' as const, path: r.path, locator: r.locator, claim: `delivery DSN: ${x.address} ${x.action}${x.status ? ` (${x.status})` : ''}` },
    says: x.action === 'delivered'
      ? `a delivery notification (DSN) from ${r.report.reportingMta ?? 'the receiving server'} reports it delivered to ${x.address}${x.status ? ` (${x.status})` : ''}`
      : `a delivery notification (DSN) from ${r.report.reportingMta ?? 'the receiving server'} reports it relayed for ${x.address}${x.status ? ` (${x.status})` : ''} to a system that confirms no further (final delivery not proven by the DSN itself)`,
    weak: x.action === 'relayed',
  })));
  const reads = mdns.map((m) => ({
    evidence: { sha256: m.sha256, kind: 'report' as const, path: m.path, locator: m.locator, claim: `read receipt: ${m.mdn.disposition}` },
    says: `a read receipt (MDN) from ${m.mdn.finalRecipient ?? 'the recipient'} says it was ${m.mdn.disposition}`,
  }));
  // A user's complaint (or "not spam") comes from the mailbox provider whose user was shown the message.
  const complaints = reports.filter((r) => isUserFeedback(r.report)).map((r) => ({
    evidence: { sha256: r.sha256, kind: 'report' as const, path: r.path, locator: r.locator, claim: `feedback report (${r.report.format === 'jmrp' ? 'JMRP' : 'ARF'}): ${r.report.feedback?.feedbackType ?? '?'}` },
    says: `${feedbackKind(r.report)} from ${feedbackSender(r.report)} carries ${feedbackWords(r.report)}`,
  }));
  return [...dsns, ...complaints, ...reads];
}

/** A copy's spam verdicts, each with its header line as written (names keep their case in the stored bytes). */
function spamOf(copy: StoredCopy, ports: InvestigatePorts): CopyFacts['spam'] {
  const stored = ports.messageBytes(copy.sha256);
  const fields = stored ? parseHeaderBlock(stored.bytes).fields : toFields(ports.headersOf(copy.rowId));
  return readSpamVerdicts(fields).map((v) => {
    const f = fields.find((x) => x.index === v.headerIndex);
    return f ? { ...v, header: f.name, line: `${f.name}: ${f.value.length > 80 ? `${f.value.slice(0, 79)}…` : f.value}` } : v;
  });
}

/** A Takeout copy's Gmail labels, from its stored bytes (header #1, written by Takeout); null otherwise. */
function takeoutLabelsOf(copy: StoredCopy, ports: InvestigatePorts): string[] | null {
  const stored = ports.messageBytes(copy.sha256);
  return stored ? takeoutLabels(stored.bytes) : null;
}

/** Cite the verified copy by the artifact that holds it (as inCopy does), not by the bare message hash. */
function citeCopy(loc: CopyLocation): VerifiedCopy['cite'] {
  const r = copyRef(loc, '');
  return { sha256: r.sha256, path: r.path, kind: r.kind, locatorPrefix: `${r.locator}, ` };
}

function toFields(rows: Array<{ index: number; name: string; value: string }>): HeaderField[] {
  return rows.map((r) => ({ index: r.index, name: r.name, key: r.name.toLowerCase(), raw: r.value, value: r.value.replace(/\r?\n[ \t]/g, ' ').trim(), offset: 0 }));
}
