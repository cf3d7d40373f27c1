// How an SMTP AUTH login on a log line is worded in verdicts and findings (one wording for sent, sender and the
// submission findings). Pure.

import type { StoredLogEvent } from '../correlate/types.js';
import { submissionAuthOf, type SubmissionAuth } from '../parse/logs/submission-auth.js';

/** `SASL PLAIN`, or for Exim, whose A= names its authenticator rather than a mechanism, `authenticator dovecot_plain`. */
export function methodText(e: Pick<StoredLogEvent, 'format'>, a: SubmissionAuth): string | null {
  return a.method === null ? null : `${e.format === 'exim' ? 'authenticator' : 'SASL'} ${a.method}`;
}

/** `, after login X authenticated (SASL PLAIN)` for a claim on the accepting line; '' when the line has no SMTP AUTH. */
export function authClause(e: StoredLogEvent): string {
  const a = submissionAuthOf(e);
  if (a === null) return '';
  const m = methodText(e, a);
  if (a.login === null) return `, after SMTP authentication (${m ?? 'method not logged'})`;
  return `, after login ${a.login} authenticated${m === null ? '' : ` (${m})`}`;
}
