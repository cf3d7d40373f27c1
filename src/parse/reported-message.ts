// The message a report is about: the Message-ID that a bounce, DSN, feedback report (ARF) or read receipt (MDN)
// names for the message it reports on. Worked out once at ingest for every message that may be a report, and
// stored (messages.reports_on), so investigate finds a message's reports by an index rather than by reading every
// report-like message in a time window. Pure.

import { parseBounce } from './dsn/index.js';
import { parseMdn } from './mdn.js';
import { normalizeMessageId } from './message-summary.js';

/** The Message-ID a bounce, DSN, feedback report or read receipt reports on (as written); null when none is named. */
export function reportedMessageId(bytes: Buffer): string | null {
  const b = parseBounce(bytes);
  // An automatic reply (RFC 3834) names no message it answers here: parse/dsn keeps no In-Reply-To.
  if (b && b.kind !== 'auto-reply') return b.original?.messageId ?? null;
  return parseMdn(bytes)?.originalMessageId ?? null;
}

/**
 * Whether a message may be a report: a `multipart/report` (RFC 6522: DSNs, MDNs, ARF), or one from the mailer
 * daemon, the postmaster or the null sender (the non-standard bounces). The same test the store applied before
 * reports were indexed, so both find the same reports.
 */
export function mayBeReport(contentType: string | null, fromAddr: string | null): boolean {
  if (contentType !== null && contentType.toLowerCase().includes('multipart/report')) return true;
  return fromAddr === null || /^(?:mailer-daemon|postmaster)@/i.test(fromAddr);
}

/** The lookup key (as messages.message_id_key) of the message `bytes` reports on; '' when it is not a report. */
export function reportsOnKey(bytes: Buffer, contentType: string | null, fromAddr: string | null): string {
  if (!mayBeReport(contentType, fromAddr)) return '';
  const mid = reportedMessageId(bytes);
  return mid === null ? '' : normalizeMessageId(mid);
}
