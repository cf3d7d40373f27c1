// The SMTP AUTH (RFC 4954) behind a message a server received: which login submitted it, and how. It is kept in
// the event's `detail` (the store has no column for it, and the received line has no other detail) in one fixed
// form, written by every log parser and read back by verdict/ and the renderers:
//
//   authenticated (PLAIN) as vmail@uhu-banane.net     login and method
//   authenticated as alice                            login, method not logged
//   authenticated (PLAIN)                             method only (Sendmail `from=… auth=PLAIN`)
//
// The method comes first and is a single token, so the login is everything after ` as `, whatever it holds.
// Sources: Postfix smtpd `client=…, sasl_method=M, sasl_username=U`; Exim `<=` lines `A=authenticator[:id[:sender]]`
// (spec, "Log files"); Sendmail `AUTH=server, relay=…, authid=U, mech=M` and `from=… auth=M` (srvrsmtp.c, envelope.c).
// Pure.

import { clip } from './fields.js';

export interface SubmissionAuth {
  /** The login as the server logged it (Postfix sasl_username, Exim authenticated id, Sendmail authid); null when not logged. */
  login: string | null;
  /** SASL mechanism (Postfix sasl_method, Sendmail mech=/auth=) or, for Exim, the authenticator's name; null when not logged. */
  method: string | null;
}

const PREFIX = 'authenticated';
/** Bound on a login kept in `detail` (Sendmail logs at most 128 characters of it). */
const LOGIN_MAX = 160;
const METHOD = /^[A-Za-z0-9_.+-]{1,40}$/;

/** The canonical detail for an authenticated submission, or null when neither a login nor a method is known. */
export function authDetail(a: SubmissionAuth): string | null {
  const login = a.login === null || a.login === '' ? null : clip(a.login, LOGIN_MAX);
  const method = a.method !== null && METHOD.test(a.method) ? a.method : null;
  if (login === null && method === null) return null;
  return `${PREFIX}${method === null ? '' : ` (${method})`}${login === null ? '' : ` as ${login}`}`;
}

/** The submission a detail written by authDetail names; null for any other detail. */
export function readAuthDetail(detail: string | null): SubmissionAuth | null {
  if (detail === null || !detail.startsWith(PREFIX)) return null;
  let i = PREFIX.length;
  let method: string | null = null;
  if (detail.startsWith(' (', i)) {
    const close = detail.indexOf(')', i + 2);
    if (close < 0) return null;
    method = detail.slice(i + 2, close);
    if (!METHOD.test(method)) return null;
    i = close + 1;
  }
  if (i === detail.length) return method === null ? null : { login: null, method };
  if (!detail.startsWith(' as ', i) || detail.length === i + 4) return null;
  return { login: detail.slice(i + 4), method };
}

/** The authenticated submission of a stored or parsed event: only a `received` line carries one. */
export function submissionAuthOf(e: { status: string | null; detail: string | null }): SubmissionAuth | null {
  return e.status === 'received' ? readAuthDetail(e.detail) : null;
}

/** The compact words for a timeline or trace row, in the rows' `key=value` style: `login=U (M)`, `login=U`, `auth=M`. */
export function authWords(a: SubmissionAuth): string {
  if (a.login === null) return `auth=${a.method ?? '?'}`;
  return `login=${a.login}${a.method === null ? '' : ` (${a.method})`}`;
}
