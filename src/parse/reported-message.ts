// The message a report is about: the Message-ID that a bounce, DSN, feedback report (ARF) or read receipt (MDN)
// names for the message it reports on. Worked out once at ingest for every message that may be a report, and
// stored (messages.reports_on), so investigate finds a message's reports by an index rather than by reading every
// report-like message in a time window. Pure.

import { headerMaySayBounce, parseBounce } from './dsn/index.js';
import { parseMdn } from './mdn.js';
import { normalizeMessageId } from './message-summary.js';

/** The Message-ID a bounce, DSN, feedback report or read receipt reports on (as written); null when none is named. */
export function reportedMessageId(bytes: Buffer): string | null {
  const b = parseBounce(bytes);
  // An automatic reply (RFC 3834) names no message it answers here: parse/dsn keeps no In-Reply-To.
  if (b && b.kind !== 'auto-reply') return b.original?.messageId ?? null;
  return parseMdn(bytes)?.originalMessageId ?? null;
}

/** What the report test reads of a message's own header. */
export interface ReportHeader {
  contentType: string | null;
  fromAddr: string | null;
  fromName: string | null;
  /** Decoded (RFC 2047). */
  subject: string | null;
}

/**
 * Whether a message may be a report, judged from its header alone: a `multipart/report` (RFC 6522: DSNs, MDNs,
 * ARF), one from the null sender, or one whose From or Subject says it is a bounce or complaint (the non-standard
 * notices: a local `MAILER-DAEMON` with no domain, a Japanese carrier's エラー通知, a Hotmail complaint).
 */
export function mayBeReport(h: ReportHeader): boolean {
  if (h.contentType !== null && h.contentType.toLowerCase().includes('multipart/report')) return true;
  if (h.fromAddr === null) return true;
  return headerMaySayBounce(`${h.fromName ?? ''} <${h.fromAddr}>`, h.subject);
}

/** The lookup key (as messages.message_id_key) of the message `bytes` reports on; '' when it is not a report. */
export function reportsOnKey(bytes: Buffer, h: ReportHeader): string {
  if (!mayBeReport(h)) return '';
  const mid = reportedMessageId(bytes);
  return mid === null ? '' : normalizeMessageId(mid);
}
