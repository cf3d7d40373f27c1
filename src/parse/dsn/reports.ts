// Reports that are not bounces but arrive like them: ARF feedback (RFC 5965), Hotmail/Outlook.com JMRP
// complaints, RFC 3834 automatic replies. Builds their BounceReport shape. Pure.

import type { BounceRecipient, BounceReport, FeedbackInfo, OriginalMessage } from '../../model/dsn.js';
import type { HeaderField } from '../../model/header.js';
import type { Layout } from './layout.js';
import { fieldValue } from './mime.js';
import { cleanAddress } from './text.js';

export const HOTMAIL_COMPLAINT_SUBJECT = /complaint about message from/i;

/** Hotmail/Outlook.com JMRP complaints carry no feedback-report part: the reported message has X-HmXmrOriginalRecipient. */
export function hotmailComplaint(parts: Layout, subject: string | null): FeedbackInfo | null {
  if (!HOTMAIL_COMPLAINT_SUBJECT.test(subject ?? '')) return null;
  const child = parts.originals.find((p) => p.type === 'message/rfc822')?.children[0];
  const rcpt = child ? fieldValue(child.fields, 'x-hmxmroriginalrecipient') : null;
  if (!rcpt) return null;
  return {
    feedbackType: 'abuse', userAgent: null, version: null, sourceIp: fieldValue(child?.fields ?? [], 'x-reporter-ip'),
    originalMailFrom: null, originalRcptTo: [rcpt], arrivalDate: null, reportingMta: null, reportedDomain: [],
    reportedUri: [], authFailure: null, incidents: null,
  };
}

/** A feedback report's BounceReport: `arf` (RFC 5965), or `jmrp` for a Hotmail/Outlook.com complaint, which is no ARF. */
export function feedbackReport(
  fb: FeedbackInfo, original: OriginalMessage | null, report: BounceReport['report'], warnings: string[], format: 'arf' | 'jmrp' = 'arf',
): BounceReport {
  const to = fb.originalRcptTo.length > 0 ? fb.originalRcptTo : (original?.to ?? []);
  const recipients: BounceRecipient[] = to.slice(0, 100).map((a) => ({
    address: a.toLowerCase(), originalRecipient: null, action: null, status: null, statusInferred: false, replyCode: null,
    diagnosticType: null, diagnostic: null, remoteMta: null, command: null, reason: 'feedback', hardBounce: false,
    lastAttemptDate: null, willRetryUntil: null,
  }));
  return {
    kind: 'feedback', format, reportingMta: fb.reportingMta, arrivalDate: fb.arrivalDate, originalEnvelopeId: null,
    recipients, original, feedback: fb, autoReply: null, report, warnings,
  };
}

export function autoReplyReport(
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
