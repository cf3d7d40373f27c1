// Shared types for one Received header parsed into a hop (RFC 5321 §4.4, RFC 5322 §3.6.7).
// Pure data: no behaviour here. Field names are the public JSON names used by `hops --json`
// and reused by every later command.

/** TLS facts stated in a Received header (never inferred beyond what the text says). */
export interface HopTls {
  /** e.g. "TLSv1.3", "TLS1_2"; null when the header only implies TLS (ESMTPS). */
  version: string | null;
  /** e.g. "TLS_AES_256_GCM_SHA384"; null when not stated. */
  cipher: string | null;
  /** Key/cipher bits when stated ("256/256"), else null. */
  bits: string | null;
}

/** What one Received header says, before it is placed in a chain. */
export interface ParsedReceived {
  /** Name the client announced in HELO/EHLO (the first word after `from`). */
  helo: string | null;
  /** Reverse-DNS name the receiving server recorded for the client, when stated. */
  rdns: string | null;
  /** Best name for the sending side: rdns when stated, else helo. */
  fromHost: string | null;
  /** Client IP, normalised: no brackets, no `IPv6:` prefix, no port, no zone id. */
  fromIp: string | null;
  /** Client port when stated (`[1.2.3.4]:587`). */
  fromPort: number | null;
  /** Ident (RFC 1413) user when stated, e.g. `(qmailr@host)` or `(user@[ip])`. */
  ident: string | null;
  /** Host that wrote this header (the `by` clause). */
  byHost: string | null;
  /** The `via` clause (link type, e.g. "Frontend Transport"). */
  via: string | null;
  /** Protocol word from the `with` clause: SMTP, ESMTP, ESMTPS, ESMTPSA, LMTP, HTTP, MAPI, ... */
  with: string | null;
  /** Queue / transaction id assigned by `byHost`. */
  id: string | null;
  /** Recipient from the `for` clause, without angle brackets. */
  for: string | null;
  /** Envelope sender when stated (`envelope-from <x>`, `(envelope-sender <x>)`). */
  envelopeFrom: string | null;
  /** TLS as stated; null when the header says nothing about TLS. */
  tls: HopTls | null;
  /** Authenticated user or mechanism when stated (ESMTPA/ESMTPSA, `Authenticated sender:`, `auth=`). */
  authenticatedAs: string | null;
  /** True when the protocol word says the client authenticated (…SMTPA, …SMTPSA), even without a name. */
  authenticated: boolean;
  /** Date as ISO 8601 UTC with milliseconds (`2026-11-20T14:00:05.000Z`), or null when absent/unreadable. */
  date: string | null;
  /** The original zone offset as written, normalised to `+hhmm`/`-hhmm`; null when no zone was given. */
  dateOffset: string | null;
  /** The date text exactly as it appeared (after unfolding), or null. */
  dateRaw: string | null;
  /** Everything the parser could not read or had to assume, in plain words. */
  warnings: string[];
}

/** A Received header placed in its message's chain. */
export interface Hop extends ParsedReceived {
  /** 0 = the hop nearest the sender (the bottom-most Received header). */
  index: number;
  /** Position of the header among all header fields of the message, 0 = first line of the header block. */
  headerIndex: number;
  /** Seconds from the previous (older) hop's date to this hop's date; signed, never wrapped; null when either date is unknown. */
  delaySeconds: number | null;
  /** Clock-skew flags for this hop: `negative-delay`, `future-date` (later than the next hop's date). */
  skew: HopSkew[];
  /** The header value exactly as in the message, folding kept. */
  raw: string;
}

export type HopSkew = 'negative-delay' | 'future-date';
