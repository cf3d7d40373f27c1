// The IMAP port: what the IMAP source needs from a live connection, nothing more. Only read operations
// exist here (LIST, EXAMINE, UID SEARCH, UID FETCH with BODY.PEEK), so code above this interface cannot
// change a mailbox even by mistake. The real implementation is session.ts (imapflow); tests may fake it.

import type { ImapTarget } from './url.js';
import type { ImapSearchQuery } from './search.js';
import type { SpecialUse } from './special-use.js';
import type { WireAudit } from './wire-audit.js';

export type ImapCredentials = { kind: 'password'; password: string } | { kind: 'token'; token: string };

export interface ImapFolder {
  /** Path as listed (unicode), e.g. `INBOX`, `Archive/2026`. */
  path: string;
  delimiter: string;
  /** LIST attributes as the server sent them (`\HasNoChildren`, `\Junk`, …). */
  listFlags: string[];
  specialUse: SpecialUse;
  /** False for `\Noselect` / `\NonExistent` entries, which hold no messages and cannot be examined. */
  selectable: boolean;
}

/** The folder's state as EXAMINE reported it. */
export interface ImapFolderState {
  path: string;
  /** UIDVALIDITY as a decimal string (a 32-bit unsigned value; kept exact). */
  uidValidity: string;
  uidNext: number;
  exists: number;
  highestModseq: string | null;
  /** The server confirmed `[READ-ONLY]`. The session refuses to go on otherwise. */
  readOnly: true;
}

export interface ImapFetched {
  uid: number;
  /** Flags as reported, `\Recent` removed, sorted. */
  flags: string[];
  /** INTERNALDATE as ISO 8601 UTC, or null when the server sent none. */
  internalDate: string | null;
  /** RFC822.SIZE as reported by the server. */
  rfc822Size: number;
  /** The raw message bytes from BODY.PEEK[]. */
  source: Buffer;
}

export interface ImapTlsInfo {
  protocol: string | null;
  cipher: string | null;
  /** False only with --insecure: the certificate was not checked. */
  verified: boolean;
}

export interface ImapSession {
  readonly target: ImapTarget;
  /** TLS in force on the connection (always TLS: imaps, or imap with required STARTTLS). */
  readonly tls: ImapTlsInfo;
  /** False once the connection has closed or failed; nothing more can be read. */
  usable(): boolean;
  listFolders(): Promise<ImapFolder[]>;
  /** EXAMINE (read-only SELECT). Throws when the server does not confirm READ-ONLY. */
  examine(path: string): Promise<ImapFolderState>;
  /** UID SEARCH in the examined folder. */
  search(query: ImapSearchQuery): Promise<number[]>;
  /** UID FETCH (UID RFC822.SIZE): sizes first, so oversized messages are never downloaded. */
  sizes(uids: readonly number[]): AsyncIterable<{ uid: number; rfc822Size: number }>;
  /** UID FETCH (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[]). */
  fetch(uids: readonly number[]): AsyncIterable<ImapFetched>;
  /** Every command sent so far, and any that was not on the read-only list. */
  audit(): WireAudit;
  close(): Promise<void>;
}
