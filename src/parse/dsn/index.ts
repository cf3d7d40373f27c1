// parseBounce: bytes of a received message in, a typed bounce/DSN report out, or null when it is not one.
// Reads RFC 3464 multipart/report DSNs (message/delivery-status), the non-standard notices of the common
// MTAs (Exim, qmail, Postfix, Sendmail, Exchange/Office 365, Domino, Courier, Gmail, Yahoo…), ARF
// feedback reports (RFC 5965 → kind 'feedback') and RFC 3834 automatic replies (→ kind 'auto-reply',
// never a bounce). MDNs (RFC 8098) are not bounces: null here, see parseMdn.
// Pure: no I/O, no clock; never throws (an internal fault yields null, the input is hostile by design).

import libmime from 'libmime';
import type { BounceRecipient, BounceReport, FeedbackInfo, OriginalMessage, ReportFormat, ReportKind } from '../../model/dsn.js';
import { readFeedbackReport } from './arf.js';
import { autoReplyEvidence } from './auto-reply.js';
import { readFieldGroups, stripType } from './fields.js';
import { forwardedReport, inlineDeliveryStatus, layout, readOriginal, reportText, type Layout } from './layout.js';
import { fieldValue, normalizeNewlines, parseMime, partText, type MimePart } from './mime.js';
import { findListRefusal } from './list-refusal.js';
import { dateOf, fromDsnGroup, fromSes, fromText, refusedByList } from './recipient.js';
import { HOTMAIL_COMPLAINT_SUBJECT, autoReplyReport, feedbackReport, hotmailComplaint } from './reports.js';
import { readSesNotification, type SesNotification } from './ses-json.js';
import { BOUNCE_TEXT, DELAY_TEXT, STRONG_BOUNCE_TEXT, cleanAddress, detectFormat, findTextRecipients, noticeText } from './text.js';

export type { BounceReport, BounceRecipient } from '../../model/dsn.js';

const DAEMON_FROM = /mailer[-_]?daemon|post_?master|mail delivery (?:system|subsystem|service)|mail administrator|system administrator|mailadmin|microsoftexchange|delivery status notification|mail system/i;
const BOUNCE_SUBJECT =
  /undeliver|delivery (?:status )?notification|returned mail|failure notice|mail delivery (?:failed|failure|problem)|non-?deliver|delivery fail|could not (?:be )?deliver|delivery problem|warning: message|delayed mail|returning message to sender|mail system error|nondeliverable|delivery (?:has )?failed|message not delivered|rejected|bounce|mail failure|not delivered|mail failed|returning to sender|メールエラー|エラー通知|配信エラー|不達|delivery error|mail error|error notification/i;

/**
 * Whether a message's own header says it may be a non-standard bounce or complaint: sent by a mail daemon, or a
 * subject that says delivery failed (in the languages BOUNCE_SUBJECT knows), or a Hotmail/Outlook.com complaint.
 * Cheap: ingest asks it of every message before it pays for a MIME parse (parse/reported-message.ts). A notice that
 * says nothing in its header and everything in its text is not caught here.
 */
export function headerMaySayBounce(fromRaw: string, subject: string | null): boolean {
  return DAEMON_FROM.test(fromRaw) || BOUNCE_SUBJECT.test(subject ?? '') || HOTMAIL_COMPLAINT_SUBJECT.test(subject ?? '');
}

export function parseBounce(bytes: Buffer): BounceReport | null {
  try {
    return readReport(bytes);
  } catch {
    // A parser bug must not take the caller down; the property tests keep this path unused.
    return null;
  }
}

/** parseBounce without the safety net: throws on an internal fault (tests use it to see the fault). */
export function readReport(bytes: Buffer): BounceReport | null {
  const root = parseMime(normalizeNewlines(bytes));
  const parts = layout(root);
  // A bounce passed on as an attachment: read the attached report (its own header names the bounce).
  const forwarded = forwardedReport(parts);
  if (!forwarded) return readRoot(root, parts, []);
  return readRoot(forwarded, layout(forwarded), ['bounce forwarded as an attachment: read the attached report']);
}

function readRoot(root: MimePart, parts: Layout, warnings: string[]): BounceReport | null {
  if (parts.mdn && !parts.dsn) return null;
  const fields = root.fields;
  const subject = decode(fieldValue(fields, 'subject'));
  const fromRaw = fieldValue(fields, 'from') ?? '';
  const report = {
    subject,
    from: cleanAddress(fromRaw),
    date: dateOf(fieldValue(fields, 'date')),
    messageId: fieldValue(fields, 'message-id')?.match(/<[^<>\s]*>/)?.[0] ?? null,
  };
  const fullText = reportText(root, parts);
  const notice = noticeText(fullText);
  const dsnText = parts.dsn ? partText(parts.dsn) : inlineDeliveryStatus(notice);
  const original = readOriginal(parts, fullText);

  const hotmail = hotmailComplaint(parts, subject);
  if (hotmail) return feedbackReport(hotmail, original, report, warnings, 'jmrp');
  if (parts.feedback) return feedbackReport(readFeedbackReport(partText(parts.feedback)), original, report, warnings);

  const ses = dsnText ? null : readSesNotification(fullText);
  if (ses) return sesReport(ses, original, report, warnings);
  const refusal = dsnText ? null : findListRefusal(fields, notice);
  if (refusal) {
    warnings.push('refusal from mailing-list software: the list did not accept the post');
    const recipients = [refusedByList(refusal.address, refusal.text)];
    return {
      kind: 'bounce', format: 'text', reportingMta: null, arrivalDate: null, originalEnvelopeId: null, recipients, original,
      feedback: null, autoReply: null, report, warnings,
    };
  }

  const format = detectFormat(notice);
  const failedHeader = fields.filter((f) => f.key === 'x-failed-recipients');
  const auto = autoReplyEvidence(fields.map((f) => (f.key === 'subject' ? { ...f, value: subject ?? '' } : f)));
  const daemon = DAEMON_FROM.test(fromRaw);
  const subjectSays = BOUNCE_SUBJECT.test(subject ?? '');
  const textSays = BOUNCE_TEXT.test(notice);
  const bounceSays = (daemon && (subjectSays || textSays)) || (subjectSays && textSays) || STRONG_BOUNCE_TEXT.test(notice);
  if (!dsnText && failedHeader.length === 0 && !format) {
    // RFC 3834 markers and nothing that reads as a bounce: an automatic reply, not a delivery failure.
    // (Some MTAs mark their bounces "Auto-Submitted: auto-replied" too: the notice's wording decides.)
    if (auto && !bounceSays) return autoReplyReport(auto, fields, original, report, warnings);
    if (!bounceSays) return null;
  }

  const exclude = new Set<string>();
  if (report.from) exclude.add(report.from);
  for (const a of addressesIn(fieldValue(fields, 'to'))) exclude.add(a);
  if (original?.from) exclude.add(original.from);
  const textRecipients = findTextRecipients(notice, exclude);
  const delayed = DELAY_TEXT.test(notice) || /\bdelay(?:ed)?\b|warning:/i.test(subject ?? '');

  let recipients: BounceRecipient[] = [];
  let reportingMta: string | null = null;
  let arrivalDate: string | null = null;
  let originalEnvelopeId: string | null = null;
  if (dsnText) {
    const groups = readFieldGroups(dsnText);
    reportingMta = stripType(groups.message.get('reporting-mta'));
    arrivalDate = dateOf(groups.message.get('arrival-date') ?? null);
    originalEnvelopeId = groups.message.get('original-envelope-id') ?? null;
    for (const g of groups.recipients) {
      const r = fromDsnGroup(g, textRecipients, notice, groups.recipients.length === 1);
      if (r) recipients.push(r);
    }
    if (recipients.length === 0) warnings.push('message/delivery-status part names no recipient; read the text instead');
  }
  if (recipients.length === 0) {
    const listed = failedHeader.flatMap((f) => addressesIn(f.value));
    const chosen =
      listed.length > 0
        ? listed.map((address) => textRecipients.find((t) => t.address === address) ?? { address, block: notice })
        : textRecipients;
    for (const t of chosen) recipients.push(fromText(t.address, t.block, notice, delayed, chosen.length === 1));
  }
  if (recipients.length === 0 && original && original.to.length === 1 && original.to[0]) {
    // Old notices name no address; the returned copy's To is the recipient that failed.
    warnings.push('no recipient named in the notice; used the To of the returned message');
    recipients.push(fromText(original.to[0].toLowerCase(), notice, notice, delayed, true));
  }
  if (recipients.length === 0) {
    if (auto) return autoReplyReport(auto, fields, original, report, warnings);
    if (!dsnText) return null;
    warnings.push('no failed recipient could be read');
  }
  recipients = recipients.slice(0, 1000);
  return {
    kind: kindOf(recipients),
    format: dsnText ? 'rfc3464' : (format ?? 'text'),
    reportingMta,
    arrivalDate,
    originalEnvelopeId,
    recipients,
    original,
    feedback: null,
    autoReply: null,
    report,
    warnings,
  };
}

/** Amazon SES notification by email: a complaint is feedback, a bounce or delivery has recipients. */
function sesReport(
  ses: SesNotification, original: OriginalMessage | null, report: BounceReport['report'], warnings: string[],
): BounceReport {
  warnings.push('Amazon SES notification (JSON body), not a standard report');
  if (ses.type === 'complaint') {
    const fb: FeedbackInfo = {
      feedbackType: ses.feedbackType ?? 'abuse', userAgent: null, version: null, sourceIp: null, originalMailFrom: null,
      originalRcptTo: ses.recipients.map((r) => r.address), arrivalDate: null, reportingMta: ses.reportingMta,
      reportedDomain: [], reportedUri: [], authFailure: null, incidents: null,
    };
    return feedbackReport(fb, original, report, warnings);
  }
  const recipients = ses.recipients.map(fromSes);
  return {
    kind: kindOf(recipients), format: 'text', reportingMta: ses.reportingMta, arrivalDate: null, originalEnvelopeId: null,
    recipients, original, feedback: null, autoReply: null, report, warnings,
  };
}

function kindOf(recipients: BounceRecipient[]): ReportKind {
  if (recipients.some((r) => r.action === 'failed' || r.action === null)) return 'bounce';
  if (recipients.some((r) => r.action === 'delayed')) return 'delay';
  if (recipients.length > 0) return 'delivery';
  return 'bounce';
}

function decode(v: string | null): string | null {
  if (v === null) return null;
  try {
    return libmime.decodeWords(v);
  } catch {
    return v;
  }
}

function addressesIn(v: string | null): string[] {
  if (!v) return [];
  const out: string[] = [];
  for (const piece of v.split(/[,;\s]+/)) {
    const a = cleanAddress(piece);
    if (a) out.push(a);
  }
  return out;
}

// Re-exported for the CLI/investigate layers.
export type { ReportFormat };
