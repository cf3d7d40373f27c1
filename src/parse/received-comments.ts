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

// Module-level (compiled once), none global or sticky, so they carry no state between calls.
const POSTFIX_TLS = /^using\s+([^\s()]{1,40})\s+with\s+cipher\s+([^\s()]{1,120})(?:\s+\((\d{1,6}\/\d{1,6})\s+bits\))?/i;
const KV_VERSION = /(?:^|[\s,])version=([^\s,()]{1,40})/i;
const KV_CIPHER = /(?:^|[\s,])cipher=([^\s,()]{1,120})/i;
const KV_BITS = /(?:^|[\s,])bits=(\d{1,6}(?:\/\d{1,6})?)/i;
const GOOGLE_TLS = /^Google Transport Security$/i;
const EXIM_TLS = /^((?:TLS|SSL)[A-Za-z0-9._-]{0,12}):([A-Za-z0-9_.+-]{1,120}):(\d{1,6})$/i;
const TLS_VERSION_ONLY = /^(?:TLS|SSL)[-v]?\d[\d._]{0,6}$/i;
const QMAIL_TLS = /^([A-Za-z0-9_+-]{1,120})\s+encrypted$/i;
const SSL_BITS = /SSL:\s*([^,\s()]{1,40}),\s*(\d{1,6})\s*bits,\s*([^,\s()]{1,120})/i;
const AUTH_SENDER = /^Authenticated sender:\s*([^\s()]{1,320})/i;
const AUTH_AS = /(?:^|\s)authenticated\s+(?:as|id|user)\b\s*[=:]?\s*([^\s()=]{1,320})/i;
const AUTH_BARE = /^authenticated(?![\w-])/i;
const AUTH_COLON = /^AUTH:\s*[A-Za-z0-9_-]{1,40}\s+([^\s,()]{1,320})/i;
const AUTH_ACCOUNT = /^account\s+([^\s()]{1,320})/i;
const AUTH_KV = /(?:^|[\s,])auth=([^\s,()]{1,320})/i;
const ENVELOPE = /^envelope-(?:from|sender)\s*:?\s*(?:<([^<>\s]{0,320})>|([^\s<>,()]{1,320}))/i;
const EXIM = /^Exim\s+\d/i;
const VIA_HTTP = /^via\s+HTTPS?$/i;
const QMAIL = /^qmail\s+\d+\s+(?:messnum\s+\d+\s+)?invoked\b/i;

/** Whether `word` (lower-case ASCII letters) occurs in c in any ASCII case, as an /i regex would find it. */
function includesAsciiWord(c: string, word: string): boolean {
  const first = word.charCodeAt(0);
  const last = c.length - word.length;
  outer: for (let i = 0; i <= last; i++) {
    if ((c.charCodeAt(i) | 0x20) !== first) continue;
    for (let k = 1; k < word.length; k++) {
      if ((c.charCodeAt(i + k) | 0x20) !== word.charCodeAt(k)) continue outer;
    }
    return true;
  }
  return false;
}

/** Read one comment's text (without the outer parentheses) into facts.
 *  Each pattern runs only when a cheap test shows it could match (its first letter, a `=` or `:` it needs,
 *  the word "authenticated"); the tests never skip a pattern that would have matched. */
export function readComment(text: string, f: CommentFacts): void {
  const c = text.slice(0, MAX_COMMENT).trim();
  if (c.length === 0) return;
  const first = c.charCodeAt(0) | 0x20; // ASCII letter folded to lower case
  const hasEq = c.includes('=');
  const hasColon = c.includes(':');
  let m: RegExpExecArray | null;
  // Postfix: (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) …)
  if (first === 0x75 && (m = POSTFIX_TLS.exec(c))) setTls(f, m[1]!, m[2]!, m[3] ?? null);
  // Microsoft (version=TLS1_2, cipher=…) and sendmail (version=TLSv1/SSLv3 cipher=… bits=256 verify=NO).
  if (hasEq) {
    const version = KV_VERSION.exec(c);
    const cipher = KV_CIPHER.exec(c);
    if (version || cipher) {
      const bits = KV_BITS.exec(c);
      setTls(f, version?.[1] ?? null, cipher?.[1] ?? null, bits?.[1] ?? null);
    }
  }
  if (first === 0x67 && GOOGLE_TLS.test(c)) setTls(f, null, null, null);
  if (first === 0x74 || first === 0x73) {
    // Exim before 4.9x: (TLSv1:AES256-SHA:256), (TLS-1.0:RSA_ARCFOUR_MD5:16)
    if (hasColon && (m = EXIM_TLS.exec(c))) setTls(f, m[1]!, m[2]!, m[3]!);
    // Exim 4.9x: (TLS1.3) followed by the word `tls <cipher>` (read by the clause walker).
    if (TLS_VERSION_ONLY.test(c)) setTls(f, c, null, null);
  }
  // qmail TLS patch: with (DHE-RSA-AES256-SHA encrypted) SMTP
  if ((c.charCodeAt(c.length - 1) | 0x20) === 0x64 && (m = QMAIL_TLS.exec(c))) setTls(f, null, m[1]!, null);
  // (AUTH: LOGIN user, SSL: TLSv1/SSLv3,128bits,RC4-MD5)
  if (hasColon && (m = SSL_BITS.exec(c))) setTls(f, m[1]!, m[3]!, m[2]!);

  const a = first === 0x61;
  const authWord = includesAsciiWord(c, 'authenticated');
  if (a && hasColon && (m = AUTH_SENDER.exec(c))) setAuth(f, m[1]!);
  // (authenticated as x) CriticalPath/OpenSMTPD, (authenticated id x) Exim configs, (… authenticated user x) webmail
  else if (authWord && (m = AUTH_AS.exec(c))) setAuth(f, m[1]!);
  else if (a && AUTH_BARE.test(c)) setAuth(f, null);
  else if (a && hasColon && (m = AUTH_COLON.exec(c))) setAuth(f, m[1]!);
  else if (a && (m = AUTH_ACCOUNT.exec(c))) setAuth(f, m[1]!);
  else if (hasEq && (m = AUTH_KV.exec(c))) setAuth(f, m[1]!);

  if (first === 0x65) {
    if ((m = ENVELOPE.exec(c))) {
      if (f.envelopeFrom === null) f.envelopeFrom = m[1] ?? m[2] ?? null;
    }
    if (EXIM.test(c)) f.exim = true;
  }
  if (first === 0x76 && VIA_HTTP.test(c)) f.http = true;
  if (first === 0x71 && QMAIL.test(c)) f.qmail = true;
}
