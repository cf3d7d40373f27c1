// Facts stated inside Received-header comments, whatever clause they follow: TLS (Postfix, Exim, Microsoft,
// sendmail, Google, qmail), authentication (Postfix, sendmail, CriticalPath, CommuniGate, SquirrelMail,
// MDaemon-style `AUTH:`), envelope sender, and MTA family markers.
// Pure. Regexes are anchored or start on a literal, use bounded classes, and run on at most MAX_COMMENT chars.

import type { HopTls } from '../model/hop.js';

export interface CommentFacts {
  tls: HopTls | null;
  /** Some comment said the client authenticated. */
  authenticated: boolean;
  /** User (or account) named as authenticated. */
  authenticatedAs: string | null;
  envelopeFrom: string | null;
  /** An `(Exim x.y)` comment: Exim writes `from <rdns> ([ip])` when rdns and HELO agree. */
  exim: boolean;
  /** A `(via HTTP)` comment (Yahoo/web.de webmail): no SMTP HELO exists. */
  http: boolean;
  /** A `(qmail 123 invoked …)` comment: a local qmail handoff with no host to name. */
  qmail: boolean;
}

export const MAX_COMMENT = 2000;

export function emptyFacts(): CommentFacts {
  return { tls: null, authenticated: false, authenticatedAs: null, envelopeFrom: null, exim: false, http: false, qmail: false };
}

function setTls(f: CommentFacts, version: string | null, cipher: string | null, bits: string | null): void {
  const t = f.tls ?? { version: null, cipher: null, bits: null };
  f.tls = { version: t.version ?? version, cipher: t.cipher ?? cipher, bits: t.bits ?? bits };
}

function setAuth(f: CommentFacts, name: string | null): void {
  f.authenticated = true;
  if (name && f.authenticatedAs === null) f.authenticatedAs = name;
}

/** Read one comment's text (without the outer parentheses) into facts. */
export function readComment(text: string, f: CommentFacts): void {
  const c = text.slice(0, MAX_COMMENT).trim();
  let m: RegExpExecArray | null;
  // Postfix: (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) …)
  if ((m = /^using\s+([^\s()]{1,40})\s+with\s+cipher\s+([^\s()]{1,120})(?:\s+\((\d{1,6}\/\d{1,6})\s+bits\))?/i.exec(c))) {
    setTls(f, m[1]!, m[2]!, m[3] ?? null);
  }
  // Microsoft (version=TLS1_2, cipher=…) and sendmail (version=TLSv1/SSLv3 cipher=… bits=256 verify=NO).
  const version = /(?:^|[\s,])version=([^\s,()]{1,40})/i.exec(c);
  const cipher = /(?:^|[\s,])cipher=([^\s,()]{1,120})/i.exec(c);
  if (version || cipher) {
    const bits = /(?:^|[\s,])bits=(\d{1,6}(?:\/\d{1,6})?)/i.exec(c);
    setTls(f, version?.[1] ?? null, cipher?.[1] ?? null, bits?.[1] ?? null);
  }
  if (/^Google Transport Security$/i.test(c)) setTls(f, null, null, null);
  // Exim before 4.9x: (TLSv1:AES256-SHA:256), (TLS-1.0:RSA_ARCFOUR_MD5:16)
  if ((m = /^((?:TLS|SSL)[A-Za-z0-9._-]{0,12}):([A-Za-z0-9_.+-]{1,120}):(\d{1,6})$/i.exec(c))) setTls(f, m[1]!, m[2]!, m[3]!);
  // Exim 4.9x: (TLS1.3) followed by the word `tls <cipher>` (read by the clause walker).
  if (/^(?:TLS|SSL)[-v]?\d[\d._]{0,6}$/i.test(c)) setTls(f, c, null, null);
  // qmail TLS patch: with (DHE-RSA-AES256-SHA encrypted) SMTP
  if ((m = /^([A-Za-z0-9_+-]{1,120})\s+encrypted$/i.exec(c))) setTls(f, null, m[1]!, null);
  // (AUTH: LOGIN user, SSL: TLSv1/SSLv3,128bits,RC4-MD5)
  if ((m = /SSL:\s*([^,\s()]{1,40}),\s*(\d{1,6})\s*bits,\s*([^,\s()]{1,120})/i.exec(c))) setTls(f, m[1]!, m[3]!, m[2]!);

  if ((m = /^Authenticated sender:\s*([^\s()]{1,320})/i.exec(c))) setAuth(f, m[1]!);
  // (authenticated as x) CriticalPath/OpenSMTPD, (authenticated id x) Exim configs, (… authenticated user x) webmail
  else if ((m = /(?:^|\s)authenticated\s+(?:as|id|user)\b\s*[=:]?\s*([^\s()=]{1,320})/i.exec(c))) setAuth(f, m[1]!);
  else if (/^authenticated(?![\w-])/i.test(c)) setAuth(f, null);
  else if ((m = /^AUTH:\s*[A-Za-z0-9_-]{1,40}\s+([^\s,()]{1,320})/i.exec(c))) setAuth(f, m[1]!);
  else if ((m = /^account\s+([^\s()]{1,320})/i.exec(c))) setAuth(f, m[1]!);
  else if ((m = /(?:^|[\s,])auth=([^\s,()]{1,320})/i.exec(c))) setAuth(f, m[1]!);

  if ((m = /^envelope-(?:from|sender)\s*:?\s*(?:<([^<>\s]{0,320})>|([^\s<>,()]{1,320}))/i.exec(c))) {
    if (f.envelopeFrom === null) f.envelopeFrom = m[1] ?? m[2] ?? null;
  }
  if (/^Exim\s+\d/i.test(c)) f.exim = true;
  if (/^via\s+HTTPS?$/i.test(c)) f.http = true;
  if (/^qmail\s+\d+\s+(?:messnum\s+\d+\s+)?invoked\b/i.test(c)) f.qmail = true;
}
