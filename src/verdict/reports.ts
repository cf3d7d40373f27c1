// Bounces, DSNs (RFC 3464 and the common non-standard forms, parse/dsn), feedback reports (ARF, RFC 5965: a
// user's complaint, or an authentication-failure report, RFC 6591) and read receipts (MDN, RFC 8098, parse/mdn)
// about one message, found among the stored messages and linked by Message-ID: a bounce or feedback report by the
// Message-ID of the original it returns or quotes, a receipt by its Original-Message-ID. Also the candidate a
// report alone makes when nothing else in the store has the Message-ID (the bounce is all the user kept).
// Side effects only through ReportPorts (store reads).

import type { BounceReport, MdnReport } from '../model/dsn.js';
import { parseBounce } from '../parse/dsn/index.js';
import { parseMdn } from '../parse/mdn.js';
import { reportedMessageId } from '../parse/reported-message.js';
import { dateOf, isoDateOrNull } from '../parse/dsn/recipient.js';
import { flattenParts, normalizeNewlines, parseMime } from '../parse/dsn/mime.js';
import type { Candidate } from '../correlate/question.js';
import { locationLocator, type CopyLocation, type StoredCopy } from './evidence-types.js';
import { folderOf } from './folders.js';
import type { ReportRef } from './arrived.js';

export interface ReportPorts {
  /** Stored messages indexed at ingest as reports about the message with this key (messages.reports_on). */
  reportsAbout(midKey: string): string[];
  /** Stored messages that may be reports, dated within [since, until], ingested before reports were indexed. */
  reportCandidates(since: string, until: string): string[];
  copyBySha(sha256: string): StoredCopy | null;
  messageBytes(sha256: string): { bytes: Buffer; hasBody: boolean } | null;
}

export interface MdnRef { sha256: string; path: string | null; locator: string; where?: string | null; mdn: MdnReport }

export interface LinkedReports {
  reports: ReportRef[];
  mdns: MdnRef[];
  /** Originals that bounces returned whole, with the bounce that holds each. */
  returned: Array<{ bytes: Buffer; ref: ReportRef }>;
}

const bare = (id: string | null | undefined): string | null => (id == null ? null : id.replace(/^<|>$/g, '').toLowerCase());

export { reportedMessageId };

/** What would find the message a report is about when the report does not name it. */
export interface UnnamedReport { kind: string; from: string | null; to: string | null; around: string | null }

/**
 * A bounce, DSN or read receipt whose returned part carries no Message-ID (only some headers, or none): the message
 * it reports on cannot be linked. What the report does say makes the question that would find it: the original's
 * sender (else whoever received the report, `reportTo`), the recipient it failed or arrived for, and when. Null for
 * anything else, and for reports that name their message.
 */
export function unnamedReport(bytes: Buffer, reportTo: string | null): UnnamedReport | null {
  const b = parseBounce(bytes);
  if (b && (b.kind === 'bounce' || b.kind === 'delay' || b.kind === 'delivery')) {
    if (b.original?.messageId) return null;
    const r = b.recipients[0];
    return {
      kind: b.kind === 'bounce' ? 'bounce' : b.kind === 'delay' ? 'delay notice' : 'delivery notification',
      from: b.original?.from ?? reportTo, to: r?.address ?? null, around: isoDateOrNull(b.arrivalDate) ?? isoDateOrNull(r?.lastAttemptDate) ?? isoDateOrNull(b.report.date),
    };
  }
  const m = parseMdn(bytes);
  if (m && m.originalMessageId === null) return { kind: 'read receipt', from: reportTo, to: m.finalRecipient, around: isoDateOrNull(m.report.date) };
  return null;
}

/** The reports among `shas` about the message whose bare, lower-cased Message-ID is `mid`; stable order. */
export function linkReports(mid: string, shas: Iterable<string>, ports: ReportPorts): LinkedReports {
  const out: LinkedReports = { reports: [], mdns: [], returned: [] };
  for (const sha of [...new Set(shas)].sort()) {
    const copy = ports.copyBySha(sha);
    const stored = ports.messageBytes(sha);
    if (!copy || !stored) continue;
    const loc = copy.locations[0];
    const cite = { sha256: loc?.artifactSha256 ?? sha, path: loc?.artifactPath ?? null, locator: loc ? locationLocator(loc) : `message ${sha.slice(0, 12)}`, where: whereIs(copy, loc) };
    const b = parseBounce(stored.bytes);
    // An automatic reply names no message it answers (parse/dsn keeps no In-Reply-To): it is never linked.
    if (b && b.kind !== 'auto-reply' && bare(b.original?.messageId) === mid) {
      const ref = { ...cite, report: b };
      out.reports.push(ref);
      const orig = returnedOriginal(stored.bytes);
      if (orig) out.returned.push({ bytes: orig, ref });
      continue;
    }
    const m = parseMdn(stored.bytes);
    if (m && bare(m.originalMessageId) === mid) out.mdns.push({ ...cite, mdn: m });
  }
  return out;
}

/**
 * When no log line and no stored copy has the Message-ID, a stored report about it still makes it a message to
 * investigate: its addresses, subject and date come from what the report returned or quoted. Null when none.
 */
export function candidateFromReports(messageId: string, ports: ReportPorts): Candidate | null {
  const mid = bare(messageId);
  if (mid === null) return null;
  const found = linkReports(mid, [...ports.reportsAbout(mid), ...ports.reportCandidates('0000-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z')], ports);
  const b = found.reports[0]?.report, m = found.mdns[0]?.mdn;
  if (!b && !m) return null;
  const o = b?.original ?? null;
  const date = o?.date !== null && o?.date !== undefined && !Number.isNaN(Date.parse(o.date)) ? new Date(Date.parse(o.date)).toISOString() : null;
  const to = [...new Set([...(o?.to ?? []), ...(b?.recipients.map((r) => r.address) ?? []), ...(m?.finalRecipient ? [m.finalRecipient] : [])].map((a) => a.toLowerCase()))].sort();
  return { key: mid, messageId: messageId.replace(/^<|>$/g, ''), from: o?.from?.toLowerCase() ?? null, to, subject: o?.subject ?? null, time: date, seeds: [], copies: [], nearMiss: null };
}

/**
 * RFC 5965 §7.3 feedback types a mailbox provider sends about a message its user was shown: the user's verdict on
 * it (a complaint, or "not spam"). An `auth-failure` report (RFC 6591) is the receiving server's, written when the
 * message arrived at it and failed authentication, whatever was done with it next.
 */
const USER_FEEDBACK: ReadonlySet<string> = new Set(['abuse', 'fraud', 'virus', 'other', 'not-spam']);

/** A feedback report that says the message reached a user's mailbox (a user cannot complain about what never came). */
export function isUserFeedback(b: BounceReport): boolean {
  return b.kind === 'feedback' && USER_FEEDBACK.has((b.feedback?.feedbackType ?? '').toLowerCase());
}

/** What kind of feedback report it is, in words: the standard it follows, or that it follows none. */
export function feedbackKind(b: BounceReport): string {
  if ((b.feedback?.feedbackType ?? '').toLowerCase() === 'auth-failure') return 'an authentication-failure report (RFC 6591)';
  if (b.format === 'jmrp') return 'a Hotmail/Outlook.com complaint report (JMRP, not ARF)';
  return 'a feedback report (ARF, RFC 5965)';
}

/** Who wrote a feedback report: its Reporting-MTA, else its From. */
export function feedbackSender(b: BounceReport): string {
  return b.feedback?.reportingMta ?? b.reportingMta ?? b.report.from ?? 'a receiving mail system';
}

/** What a feedback report says about the message, in words (`its user's complaint (feedback type abuse) …`). */
export function feedbackWords(b: BounceReport): string {
  const f = b.feedback;
  const type = (f?.feedbackType ?? 'unknown').toLowerCase();
  const whom = f?.originalRcptTo.length ? ` for ${f.originalRcptTo.join(', ')}` : b.recipients.length ? ` for ${b.recipients.map((r) => r.address).join(', ')}` : '';
  const from = f?.sourceIp ? ` from ${f.sourceIp}` : '';
  const when = dateOf(f?.arrivalDate ?? b.arrivalDate);
  const arrived = `${from}${when ? ` (arrival ${when})` : ''}`;
  if (type === 'auth-failure') return `that it failed authentication${f?.authFailure ? ` (${f.authFailure})` : ''} when it arrived${whom}${arrived}`;
  if (type === 'not-spam') return `that its user marked it as not spam${whom}; it had arrived${arrived}`;
  return `its user's complaint (feedback type ${type})${whom}; it had arrived${arrived}`;
}

/** Whose folder a stored report sits in now: `alice@sender.test's INBOX`. */
export function whereIs(copy: StoredCopy, loc: CopyLocation | undefined): string | null {
  if (!loc) return null;
  const folder = folderOf(loc);
  const owner = copy.to.length === 1 ? copy.to[0]! : null;
  return folder !== null ? `${owner !== null ? `${owner}'s ` : ''}${folder}` : owner !== null ? `a file addressed to ${owner}` : null;
}

/** The original message a bounce returned whole (a message/rfc822 part), as bytes. */
export function returnedOriginal(bytes: Buffer): Buffer | null {
  try {
    const root = parseMime(normalizeNewlines(bytes));
    for (const p of flattenParts(root)) {
      if (p.type === 'message/rfc822' || p.type === 'message/global') return p.body; // already transfer-decoded
    }
  } catch {
    return null;
  }
  return null;
}
