// The fixed wording of a Dovecot event's `detail` for what happened to a message in a mailbox, written by
// parse/logs/dovecot.ts and read back by mailboxAction (verdict/ and the renderers use it; the store has no
// mailbox column). One grammar:
//
//   saved to mailbox Q[ uid N]                    delivery (status delivered) or mail_log `save`
//   copied from Q to mailbox Q[ uid N]            mail_log `copy from SRC: box=DST`
//   marked \Deleted in mailbox Q[ uid N]          mail_log `delete`
//   undeleted in mailbox Q[ uid N]                mail_log `undelete`
//   expunged from mailbox Q[ uid N]               mail_log `expunge`
//   autoexpunged from mailbox Q[ uid N]           mail_log `autoexpunge` (the mailbox's autoexpunge setting)
//   flags changed in mailbox Q[ uid N][, flags (F)]   mail_log `flag_change`; F = the flags after the change
//   save failed to mailbox Q: REASON              LDA/LMTP `save failed to`, Sieve `failed to store into mailbox`
//
// A mail_log step made by an IMAP/POP3 session (not by delivery) ends with `, account USER`: whose mailbox it is (the
// event's `to` stays null there: the owner of a Sent folder is no recipient).
// Q is `'name'` with `\` and `'` escaped by a backslash (names may hold both, and spaces, commas, colons), or
// `(not logged)` when mail_log_fields leaves out `box`. Names are cut to 100 characters (`…`). Any detail may end
// with `, message-id truncated in log: <…...` (a Message-ID Dovecot cut short is kept only there).
// mailboxAction answers null for a Q of `(not logged)` (a step without a folder places nothing) and for the other
// Dovecot details: `rejected: REASON`, `discarded by Sieve`,
// `forwarded to <addr>`, `sieve: TEXT` / `deliver: TEXT` (an action this parser does not know).
// Pure; linear scans.

import { clip } from './fields.js';

export type MailboxActionKind = 'saved' | 'copied' | 'deleted' | 'undeleted' | 'expunged' | 'autoexpunged' | 'flags' | 'save-failed';

export interface MailboxAction {
  action: MailboxActionKind;
  /** Mailbox (folder) name as Dovecot logged it. */
  mailbox: string;
  uid: number | null;
  /** `copied`: the source mailbox. */
  from?: string;
  /** `flags`: the flags after the change, space-separated as logged (`\Seen \Flagged`). */
  flags?: string;
  /** `save-failed`: the reason Dovecot gave. */
  reason?: string;
  /** The account whose mailbox an IMAP/POP3 session changed (`, account USER`). */
  account?: string;
}

const HEADS: Array<[string, MailboxActionKind]> = [
  ['saved to mailbox ', 'saved'], ['marked \\Deleted in mailbox ', 'deleted'], ['undeleted in mailbox ', 'undeleted'],
  ['expunged from mailbox ', 'expunged'], ['autoexpunged from mailbox ', 'autoexpunged'],
  ['flags changed in mailbox ', 'flags'], ['save failed to mailbox ', 'save-failed'],
];
const NOT_LOGGED = '(not logged)';
const CUT_TAIL = ', message-id truncated in log: ';
const ACCOUNT = ', account ';
const NAME_MAX = 100;

/** Q of the grammar above. */
export function quoteMailbox(name: string | null): string {
  if (name === null) return NOT_LOGGED;
  return `'${clip(name, NAME_MAX).replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/** The detail for one mailbox action (see the grammar above). */
export function mailboxDetail(a: { action: MailboxActionKind; mailbox: string | null; uid?: number | null; from?: string | null; flags?: string | null; reason?: string | null; account?: string | null }): string {
  const head = a.action === 'copied'
    ? `copied from ${quoteMailbox(a.from ?? '')} to mailbox `
    : HEADS.find(([, k]) => k === a.action)![0];
  const uid = a.uid === null || a.uid === undefined ? '' : ` uid ${a.uid}`;
  if (a.action === 'save-failed') return `${head}${quoteMailbox(a.mailbox)}: ${clip(a.reason ?? '', 120)}`;
  const flags = a.action === 'flags' && a.flags !== null && a.flags !== undefined ? `, flags (${a.flags})` : '';
  const account = a.account === null || a.account === undefined ? '' : `${ACCOUNT}${clip(a.account, 320)}`;
  return `${head}${quoteMailbox(a.mailbox)}${uid}${flags}${account}`;
}

/** Q at i: [name, index after it], or null. */
function readQuoted(s: string, i: number): [string | null, number] | null {
  if (s.startsWith(NOT_LOGGED, i)) return [null, i + NOT_LOGGED.length];
  if (s.charCodeAt(i) !== 39) return null;
  let out = '', start = i + 1;
  for (let j = start; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 92 /* \ */) { out += s.slice(start, j); start = j + 1; j++; continue; }
    if (c === 39) return [out + s.slice(start, j), j + 1];
  }
  return null;
}

/** The mailbox action a Dovecot detail names; null for any other detail (other formats, rejects, forwards…). */
export function mailboxAction(detail: string | null): MailboxAction | null {
  if (detail === null) return null;
  let action: MailboxActionKind | null = null, i = 0, from: string | undefined;
  if (detail.startsWith('copied from ')) {
    const src = readQuoted(detail, 12);
    if (src === null || src[0] === null || !detail.startsWith(' to mailbox ', src[1])) return null;
    action = 'copied'; from = src[0]; i = src[1] + 12;
  } else {
    for (const [h, k] of HEADS) if (detail.startsWith(h)) { action = k; i = h.length; break; }
  }
  if (action === null) return null;
  const q = readQuoted(detail, i);
  if (q === null || q[0] === null) return null;
  let j = q[1], uid: number | null = null;
  if (detail.startsWith(' uid ', j)) {
    let k = j + 5, n = 0;
    while (k < detail.length && k - j < 16 && detail.charCodeAt(k) >= 48 && detail.charCodeAt(k) <= 57) { n = n * 10 + detail.charCodeAt(k) - 48; k++; }
    if (k === j + 5) return null;
    uid = n; j = k;
  }
  const out: MailboxAction = { action, mailbox: q[0], uid };
  if (from !== undefined) out.from = from;
  if (action === 'save-failed') {
    if (!detail.startsWith(': ', j)) return null;
    // The first tail marker after the reason: the cut Message-ID after it is the sender's text and may repeat it.
    const cut = detail.indexOf(CUT_TAIL, j + 2);
    out.reason = detail.slice(j + 2, cut < 0 ? detail.length : cut);
    return out;
  }
  if (j === detail.length) return out;
  if (!detail.startsWith(', ', j)) return null;
  if (action === 'flags' && detail.startsWith(', flags (', j)) {
    const close = detail.indexOf(')', j + 9);
    if (close < 0) return null;
    out.flags = detail.slice(j + 9, close);
    j = close + 1;
  }
  if (detail.startsWith(ACCOUNT, j)) {
    const cut = detail.indexOf(CUT_TAIL, j);
    out.account = detail.slice(j + ACCOUNT.length, cut < 0 ? detail.length : cut);
  }
  return out;
}
