// Typed results of parsing bounces (RFC 3464 DSNs and non-standard NDRs), auto-replies (RFC 3834),
// ARF feedback reports (RFC 5965) and MDN read receipts (RFC 8098). Pure data, no behaviour.

/** Sisimai's reason vocabulary (https://libsisimai.org/en/reason/), so results compare with Sisimai's. */
export const BOUNCE_REASONS = [
  'authfailure', 'badreputation', 'blocked', 'contenterror', 'delivered', 'exceedlimit', 'expired',
  'failedstarttls', 'feedback', 'filtered', 'hasmoved', 'hostunknown', 'mailboxfull', 'mailererror',
  'mesgtoobig', 'networkerror', 'norelaying', 'notaccept', 'notcompliantrfc', 'onhold', 'policyviolation',
  'rejected', 'requireptr', 'securityerror', 'spamdetected', 'speeding', 'suppressed', 'suspend',
  'syntaxerror', 'systemerror', 'systemfull', 'toomanyconn', 'undefined', 'userunknown', 'vacation',
  'virusdetected',
] as const;
export type BounceReason = (typeof BOUNCE_REASONS)[number];

/** RFC 3464 §2.3.3 action values. */
export type DsnAction = 'failed' | 'delayed' | 'delivered' | 'relayed' | 'expanded';

/**
 * What kind of report the message is:
 * - `bounce`: at least one recipient failed;
 * - `delay`: only delays (RFC 3464 Action: delayed, Exim "Warning: message delayed");
 * - `delivery`: a success DSN (Action: delivered/relayed/expanded, NOTIFY=SUCCESS);
 * - `auto-reply`: an RFC 3834 automatic response (vacation, out of office) — *not* a bounce;
 * - `feedback`: an ARF report (RFC 5965), or a Hotmail/Outlook.com complaint (format `jmrp`) — not a bounce.
 */
export type ReportKind = 'bounce' | 'delay' | 'delivery' | 'auto-reply' | 'feedback';

/** How the report was read: the standard form, or the non-standard family whose text was recognised. */
export type ReportFormat =
  | 'rfc3464' | 'arf' | 'jmrp' | 'rfc3834' | 'exim' | 'qmail' | 'postfix' | 'sendmail' | 'exchange' | 'domino'
  | 'courier' | 'gmail' | 'yahoo' | 'text';

export interface BounceRecipient {
  /** Final-Recipient (RFC 3464 §2.3.2) or the address the text names; lower-cased. */
  address: string;
  /** Original-Recipient (RFC 3464 §2.3.1), when given. */
  originalRecipient: string | null;
  action: DsnAction | null;
  /** Enhanced status code D.S.N (RFC 3463); Sisimai-style pseudo codes `5.0.9xx` when only the reason is known. */
  status: string | null;
  /** True when `status` was inferred from the reason (no code was written in the report). */
  statusInferred: boolean;
  /** SMTP reply code (RFC 5321 §4.2), e.g. `550`. */
  replyCode: string | null;
  /** Diagnostic-Code type (`smtp`, `x-unix`, …) when the report gave one. */
  diagnosticType: string | null;
  /** Diagnostic text (Diagnostic-Code value or the failure text of a plain-text bounce), unfolded. */
  diagnostic: string | null;
  /** Remote-MTA (RFC 3464 §2.3.5) or the host the text names. */
  remoteMta: string | null;
  /** The SMTP command the remote server answered, when the text says (`RCPT`, `DATA`, …). */
  command: string | null;
  reason: BounceReason;
  /** Permanent failure the sender should stop mailing to (Sisimai's hardbounce). */
  hardBounce: boolean;
  lastAttemptDate: string | null;
  willRetryUntil: string | null;
}

/** Identity of the message the report is about, read from the attached copy or quoted headers. */
export interface OriginalMessage {
  messageId: string | null;
  from: string | null;
  to: string[];
  subject: string | null;
  /** ISO 8601 when the Date parsed, else the raw text. */
  date: string | null;
  /** Where it came from: `message/rfc822`, `text/rfc822-headers`, or `quoted` text. */
  source: 'message/rfc822' | 'text/rfc822-headers' | 'quoted';
}

export interface FeedbackInfo {
  /** RFC 5965 §3.1 Feedback-Type: abuse, fraud, virus, other, not-spam, auth-failure (RFC 6591)… */
  feedbackType: string;
  userAgent: string | null;
  version: string | null;
  sourceIp: string | null;
  originalMailFrom: string | null;
  originalRcptTo: string[];
  arrivalDate: string | null;
  reportingMta: string | null;
  reportedDomain: string[];
  reportedUri: string[];
  authFailure: string | null;
  incidents: number | null;
}

export interface AutoReplyInfo {
  /** Why it was read as an auto-reply, e.g. `Auto-Submitted: auto-replied`. */
  evidence: string;
  /** Who answered (the From of the auto-reply). */
  from: string | null;
}

export interface BounceReport {
  kind: ReportKind;
  format: ReportFormat;
  /** Reporting-MTA (RFC 3464 §2.2.2), without the `dns;` type. */
  reportingMta: string | null;
  arrivalDate: string | null;
  originalEnvelopeId: string | null;
  recipients: BounceRecipient[];
  original: OriginalMessage | null;
  feedback: FeedbackInfo | null;
  autoReply: AutoReplyInfo | null;
  /** The report's own Subject/From/Date/Message-ID. */
  report: { subject: string | null; from: string | null; date: string | null; messageId: string | null };
  warnings: string[];
}

/** RFC 8098 §3.2.6 disposition types. */
export type MdnDispositionType = 'displayed' | 'deleted' | 'dispatched' | 'processed' | 'denied' | 'failed' | string;

export interface MdnReport {
  disposition: MdnDispositionType;
  /** `manual-action/MDN-sent-manually` style action and sending modes (RFC 8098 §3.2.6.1–2). */
  actionMode: string | null;
  sendingMode: string | null;
  modifiers: string[];
  originalMessageId: string | null;
  finalRecipient: string | null;
  originalRecipient: string | null;
  reportingUa: string | null;
  mdnGateway: string | null;
  report: { subject: string | null; from: string | null; date: string | null; messageId: string | null };
  warnings: string[];
}
