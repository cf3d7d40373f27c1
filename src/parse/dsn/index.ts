// parseBounce: bytes of a received message in, a typed bounce/DSN report out, or null when it is not one.
// Reads RFC 3464 multipart/report DSNs (message/delivery-status), the non-standard notices of the common
// MTAs (Exim, qmail, Postfix, Sendmail, Exchange/Office 365, Domino, Courier, Gmail, Yahoo…), ARF
// feedback reports (RFC 5965 → kind 'feedback') and RFC 3834 automatic replies (→ kind 'auto-reply',
// never a bounce). MDNs (RFC 8098) are not bounces: null here, see parseMdn.
// Pure: no I/O, no clock; never throws (an internal fault yields null, the input is hostile by design).

import libmime from 'libmime';
import type {
  BounceRecipient, BounceReport, DsnAction, FeedbackInfo, OriginalMessage, ReportFormat, ReportKind,
} from '../../model/dsn.js';
import type { HeaderField } from '../../model/header.js';
import { parseHeaderBlock } from '../headers.js';
import { parseReceivedDate } from '../received-date.js';
import { readFeedbackReport } from './arf.js';
import { autoReplyEvidence } from './auto-reply.js';
import { findReplyCode, findStatus, isHardBounce, pseudoStatus } from './codes.js';
import { readFieldGroups, stripType, typeOf, type FieldMap } from './fields.js';
import { fieldValue, normalizeNewlines, parseMime, partText, type MimePart } from './mime.js';
import { findOriginalMarker, originalFromFields, originalFromQuoted } from './original.js';
import { decideReason } from './reason.js';
import {
  BOUNCE_TEXT, DELAY_TEXT, STRONG_BOUNCE_TEXT, cleanAddress, detectFormat, findCommand, findRemoteHost, findTextRecipients, noticeText, unfold,
} from './text.js';

export type { BounceReport, BounceRecipient } from '../../model/dsn.js';

const DAEMON_FROM = /mailer[-_]?daemon|post_?master|mail delivery (?:system|subsystem|service)|mail administrator|system administrator|mailadmin|microsoftexchange|delivery status notification|mail system/i;
const BOUNCE_SUBJECT =
  /undeliver|delivery (?:status )?notification|returned mail|failure notice|mail delivery (?:failed|failure|problem)|non-?deliver|delivery fail|could not (?:be )?deliver|delivery problem|warning: message|delayed mail|returning message to sender|mail system error|nondeliverable|delivery (?:has )?failed|message not delivered|rejected|bounce|mail failure|not delivered|mail failed|returning to sender|メールエラー|エラー通知|配信エラー|不達|delivery error|mail error|error notification/i;

export function parseBounce(bytes: Buffer): BounceReport | null {
  try {
    return readReport(bytes);
  } catch {
    // A parser bug must not take the caller down; the property tests keep this path unused.
    return null;
  }
}

interface Layout {
  dsn: MimePart | null;
  feedback: MimePart | null;
  mdn: MimePart | null;
  text: MimePart | null;
  html: MimePart | null;
  originals: MimePart[];
}

/** Sort the report-level parts; the attached original is not descended into. */
function layout(root: MimePart): Layout {
  const l: Layout = { dsn: null, feedback: null, mdn: null, text: null, html: null, originals: [] };
  const walk = (p: MimePart): void => {
    const t = p.type;
    if (t === 'message/delivery-status' || t === 'message/global-delivery-status' || t === 'text/delivery-status') l.dsn ??= p;
    else if (t === 'message/feedback-report') l.feedback ??= p;
    else if (t === 'message/disposition-notification') l.mdn ??= p;
    else if (t === 'text/rfc822-headers' || t === 'text/rfc822-header' || (t.startsWith('message/') && t !== 'message/partial')) {
      l.originals.push(p);
      return;
    } else if (t === 'text/plain') l.text ??= p;
    else if (t === 'text/html') l.html ??= p;
    for (const c of p.children) walk(c);
  };
  walk(root);
  return l;
}

/** parseBounce without the safety net: throws on an internal fault (tests use it to see the fault). */
export function readReport(bytes: Buffer): BounceReport | null {
  const root = parseMime(normalizeNewlines(bytes));
  const parts = layout(root);
  if (parts.mdn && !parts.dsn) return null;
  const fields = root.fields;
  const warnings: string[] = [];
  const subject = decode(fieldValue(fields, 'subject'));
  const fromRaw = fieldValue(fields, 'from') ?? '';
  const report = {
    subject,
    from: cleanAddress(fromRaw),
    date: dateOf(fieldValue(fields, 'date')),
    messageId: fieldValue(fields, 'message-id')?.match(/<[^<>\s]*>/)?.[0] ?? null,
  };
  const fullText = parts.text ? partText(parts.text) : parts.html ? stripHtml(partText(parts.html)) : '';
  const notice = noticeText(fullText);
  const original = readOriginal(parts, fullText);

  const hotmail = hotmailComplaint(parts, subject);
  if (hotmail) return feedbackReport(hotmail, original, report, warnings);
  if (parts.feedback) return feedbackReport(readFeedbackReport(partText(parts.feedback)), original, report, warnings);

  const format = detectFormat(notice);
  const failedHeader = fields.filter((f) => f.key === 'x-failed-recipients');
  const auto = autoReplyEvidence(fields.map((f) => (f.key === 'subject' ? { ...f, value: subject ?? '' } : f)));
  const daemon = DAEMON_FROM.test(fromRaw);
  const subjectSays = BOUNCE_SUBJECT.test(subject ?? '');
  const textSays = BOUNCE_TEXT.test(notice);
  if (!parts.dsn && failedHeader.length === 0 && !format) {
    // RFC 3834 markers and no bounce format recognised: an automatic reply, not a delivery failure.
    if (auto) return autoReplyReport(auto, fields, original, report, warnings);
    if (!((daemon && (subjectSays || textSays)) || (subjectSays && textSays) || STRONG_BOUNCE_TEXT.test(notice))) return null;
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
  if (parts.dsn) {
    const groups = readFieldGroups(partText(parts.dsn));
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
    if (!parts.dsn) return null;
    warnings.push('no failed recipient could be read');
  }
  recipients = recipients.slice(0, 1000);
  return {
    kind: kindOf(recipients),
    format: parts.dsn ? 'rfc3464' : (format ?? 'text'),
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

function kindOf(recipients: BounceRecipient[]): ReportKind {
  if (recipients.some((r) => r.action === 'failed' || r.action === null)) return 'bounce';
  if (recipients.some((r) => r.action === 'delayed')) return 'delay';
  if (recipients.length > 0) return 'delivery';
  return 'bounce';
}

const ACTIONS: Record<string, DsnAction> = {
  failed: 'failed', failure: 'failed', delayed: 'delayed', delivered: 'delivered', relayed: 'relayed',
  expanded: 'expanded', expired: 'failed',
};

function fromDsnGroup(g: FieldMap, text: { address: string; block: string }[], notice: string, only: boolean): BounceRecipient | null {
  const address = cleanAddress(stripType(g.get('final-recipient')) ?? stripType(g.get('x-actual-recipient')) ?? stripType(g.get('original-recipient')) ?? '');
  if (!address) return null;
  const actionRaw = (g.get('action') ?? '').trim().toLowerCase().split(/[\s(;]/)[0] ?? '';
  const action = ACTIONS[actionRaw] ?? null;
  const diagField = g.get('diagnostic-code');
  let diagnostic = diagField !== undefined ? unfold(stripType(diagField) ?? diagField) : null;
  const diagnosticType = typeOf(diagField);
  const fromText = text.find((t) => t.address === address) ?? (only && text.length === 1 ? text[0] : undefined);
  if (!diagnostic && fromText) diagnostic = unfold(fromText.block);
  if (!diagnostic && only) diagnostic = unfold(notice, 1000) || null;
  let status = validStatus(g.get('status'));
  const replyCode = diagnostic ? findReplyCode(diagnostic) : null;
  const inText = diagnostic ? findStatus(diagnostic, status?.[0] ?? replyCode?.[0]) : null;
  // A generic Status (x.0.0, or x.4.7 "delivery time expired") yields to the code the remote server gave.
  const generic = status !== null && /\.0\.0$|^[45]\.4\.7$/.test(status);
  if (!status || (generic && inText && inText[0] === status[0] && inText !== status && !/\.0\.0$/.test(inText))) status = inText ?? status;
  const command = diagnostic ? findCommand(diagnostic) : null;
  return finish({
    address,
    originalRecipient: cleanAddress(stripType(g.get('original-recipient')) ?? ''),
    action,
    status,
    replyCode,
    diagnosticType,
    diagnostic,
    remoteMta: stripType(g.get('remote-mta')) ?? (diagnostic ? findRemoteHost(diagnostic) : null),
    command,
    lastAttemptDate: dateOf(g.get('last-attempt-date') ?? null),
    willRetryUntil: dateOf(g.get('will-retry-until') ?? null),
  });
}

function fromText(address: string, block: string, notice: string, delayed: boolean, only: boolean): BounceRecipient {
  const diagnostic = unfold(block) || null;
  const replyCode = diagnostic ? findReplyCode(diagnostic) : null;
  let status = diagnostic ? findStatus(diagnostic, replyCode?.[0]) : null;
  if (!status && only && block !== notice) status = findStatus(notice, replyCode?.[0]);
  const temporary = delayed && !/permanent/i.test(block);
  return finish({
    address,
    originalRecipient: null,
    action: temporary || status?.startsWith('4.') ? 'delayed' : 'failed',
    status,
    replyCode,
    diagnosticType: null,
    diagnostic,
    remoteMta: findRemoteHost(block) ?? (only ? findRemoteHost(notice) : null),
    command: findCommand(block) ?? (only ? findCommand(notice) : null),
    lastAttemptDate: null,
    willRetryUntil: null,
  });
}

type Draft = Omit<BounceRecipient, 'reason' | 'hardBounce' | 'statusInferred'>;

function finish(d: Draft): BounceRecipient {
  const reason = decideReason(d);
  let status = d.status;
  let statusInferred = false;
  if (!status) {
    const temporary = d.action === 'delayed' || d.replyCode?.startsWith('4') === true;
    status = reason === 'delivered' ? null : pseudoStatus(reason, temporary);
    statusInferred = status !== null;
  }
  return { ...d, status, statusInferred, reason, hardBounce: isHardBounce(reason, status) };
}

function validStatus(v: string | undefined): string | null {
  if (!v) return null;
  const m = /([245])\.(\d{1,3})\.(\d{1,3})/.exec(v);
  return m ? `${m[1]}.${Number(m[2])}.${Number(m[3])}` : null;
}

function readOriginal(parts: Layout, fullText: string): OriginalMessage | null {
  for (const p of parts.originals) {
    if (p.type === 'message/rfc822' || p.type === 'message/global') {
      const child = p.children[0];
      const o = child ? originalFromFields(child.fields, 'message/rfc822') : null;
      if (o) return o;
    }
    const block = parseHeaderBlock(p.body);
    const o = originalFromFields(block.fields, p.type.startsWith('text/') ? 'text/rfc822-headers' : 'message/rfc822');
    if (o) return o;
  }
  const marker = findOriginalMarker(fullText);
  return marker ? originalFromQuoted(fullText, marker.at) : null;
}

/** Hotmail/Outlook.com JMRP complaints carry no feedback-report part: the reported message has X-HmXmrOriginalRecipient. */
function hotmailComplaint(parts: Layout, subject: string | null): FeedbackInfo | null {
  if (!/complaint about message from/i.test(subject ?? '')) return null;
  const child = parts.originals.find((p) => p.type === 'message/rfc822')?.children[0];
  const rcpt = child ? fieldValue(child.fields, 'x-hmxmroriginalrecipient') : null;
  if (!rcpt) return null;
  return {
    feedbackType: 'abuse', userAgent: null, version: null, sourceIp: fieldValue(child?.fields ?? [], 'x-reporter-ip'),
    originalMailFrom: null, originalRcptTo: [rcpt], arrivalDate: null, reportingMta: null, reportedDomain: [],
    reportedUri: [], authFailure: null, incidents: null,
  };
}

function feedbackReport(fb: FeedbackInfo, original: OriginalMessage | null, report: BounceReport['report'], warnings: string[]): BounceReport {
  const to = fb.originalRcptTo.length > 0 ? fb.originalRcptTo : (original?.to ?? []);
  const recipients: BounceRecipient[] = to.slice(0, 100).map((a) => ({
    address: a.toLowerCase(), originalRecipient: null, action: null, status: null, statusInferred: false, replyCode: null,
    diagnosticType: null, diagnostic: null, remoteMta: null, command: null, reason: 'feedback', hardBounce: false,
    lastAttemptDate: null, willRetryUntil: null,
  }));
  return {
    kind: 'feedback', format: 'arf', reportingMta: fb.reportingMta, arrivalDate: fb.arrivalDate, originalEnvelopeId: null,
    recipients, original, feedback: fb, autoReply: null, report, warnings,
  };
}

function autoReplyReport(
  evidence: string, fields: HeaderField[], original: OriginalMessage | null, report: BounceReport['report'], warnings: string[],
): BounceReport {
  const from = cleanAddress(fieldValue(fields, 'from') ?? '');
  const recipients: BounceRecipient[] = from
    ? [{
        address: from, originalRecipient: null, action: null, status: null, statusInferred: false, replyCode: null,
        diagnosticType: null, diagnostic: null, remoteMta: null, command: null, reason: 'vacation', hardBounce: false,
        lastAttemptDate: null, willRetryUntil: null,
      }]
    : [];
  return {
    kind: 'auto-reply', format: 'rfc3834', reportingMta: null, arrivalDate: null, originalEnvelopeId: null, recipients,
    original, feedback: null, autoReply: { evidence, from }, report, warnings,
  };
}

function decode(v: string | null): string | null {
  if (v === null) return null;
  try {
    return libmime.decodeWords(v);
  } catch {
    return v;
  }
}

function dateOf(v: string | null): string | null {
  if (!v) return null;
  const d = parseReceivedDate(v.replace(/^[^;]*;\s*(?=\w{3},|\d)/, ''));
  return d.date ?? v;
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

function stripHtml(html: string): string {
  return html
    .replace(/<(?:script|style)[\s\S]{0,100000}?<\/(?:script|style)>/gi, ' ')
    .replace(/<br\s*\/?>|<\/(?:p|div|tr|li|h\d)>/gi, '\n')
    .replace(/<[^>]{0,2000}>/g, ' ')
    .replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/&quot;/g, '"');
}

// Re-exported for the CLI/investigate layers.
export type { ReportFormat };
