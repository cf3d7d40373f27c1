// Where a stored copy sits now, in words a user knows: INBOX, Junk, Trash, Sent, Archive, … — from the IMAP
// special-use attribute (RFC 6154) when the server gave one, else the Maildir++ folder name, else the IMAP name.
// And whose copy it is: a Sent/Drafts/Outbox copy is the sender's own, anything else is a recipient's mailbox.
// Pure.

import type { CopyLocation } from './evidence-types.js';

const SPECIAL: ReadonlyMap<string, string> = new Map([
  ['\\inbox', 'INBOX'], ['\\junk', 'Junk'], ['\\trash', 'Trash'], ['\\sent', 'Sent'], ['\\drafts', 'Drafts'],
  ['\\archive', 'Archive'], ['\\all', 'All Mail'], ['\\flagged', 'Flagged'], ['\\important', 'Important'],
]);
const SENDER_SIDE = /^(?:sent|sent items|sent messages|sent mail|\[gmail\]\/sent mail|drafts|outbox|gesendet|envoy[ée]s|enviados)$/i;
const JUNK = /^(?:junk|spam|junk e-?mail|bulk mail|\[gmail\]\/spam|quarantine)$/i;

/** The folder a copy is in, normalised (`INBOX` for a Maildir's root); null for a loose file (.eml, mbox without folder). */
export function folderOf(l: CopyLocation): string | null {
  if (l.imap) {
    const s = l.imap.specialUse === null ? undefined : SPECIAL.get(l.imap.specialUse.toLowerCase());
    if (s) return s;
    return /^inbox$/i.test(l.imap.folder) ? 'INBOX' : l.imap.folder;
  }
  if (l.kind === 'maildir') return l.folder === null || l.folder === '' ? 'INBOX' : /^inbox$/i.test(l.folder) ? 'INBOX' : l.folder;
  return l.folder;
}

export type CopyRole = 'sender' | 'recipient' | 'loose';

export function roleOf(l: CopyLocation): CopyRole {
  const f = folderOf(l);
  if (f === null) return 'loose';
  return isSenderFolder(f) ? 'sender' : 'recipient';
}

/** A folder the sender's own client writes (Sent, Drafts, Outbox, by name or as the leaf of a path). */
export function isSenderFolder(folder: string): boolean {
  const leaf = folder.split(/[/.]/).pop() ?? folder;
  return SENDER_SIDE.test(folder) || SENDER_SIDE.test(leaf);
}

export function isJunkFolder(folder: string | null): boolean {
  if (folder === null) return false;
  const leaf = folder.split(/[/.]/).pop() ?? folder;
  return JUNK.test(folder) || JUNK.test(leaf);
}

/** Seen: IMAP \Seen, or the Maildir `S` info flag (Apple Mail's and Thunderbird's read flags are kept as it). */
export function isSeen(l: CopyLocation): boolean {
  if (l.imap) return l.imap.flags.some((f) => f.toLowerCase() === '\\seen');
  return (l.maildirFlags ?? '').includes('S');
}

/**
 * Marked deleted and not yet expunged: IMAP \Deleted, or the Maildir `T` letter (Apple Mail's deleted flag and
 * Thunderbird's expunged bit are kept as it). A client shows such a copy as gone.
 */
export function isMarkedDeleted(l: CopyLocation): boolean {
  if (l.imap) return l.imap.flags.some((f) => f.toLowerCase() === '\\deleted');
  return (l.maildirFlags ?? '').includes('T');
}

/** Whose flag a copy's flag is, in words: `\Seen`, `Maildir S flag`, `Apple Mail's read flag`, … */
export function flagWords(l: CopyLocation, flag: 'seen' | 'deleted'): string {
  if (l.imap) return flag === 'seen' ? '\\Seen' : '\\Deleted';
  if (l.kind === 'emlx') return `Apple Mail's ${flag === 'seen' ? 'read' : 'deleted'} flag`;
  if (l.kind === 'mbox') return flag === 'seen' ? "Thunderbird's read flag" : "Thunderbird's expunged flag: kept in the file until the folder is compacted";
  return `Maildir ${flag === 'seen' ? 'S' : 'T'} flag`;
}

/**
 * The IMAP keyword a junk filter left on the copy (`$Junk`, RFC 5788's registry; `Junk`, Thunderbird's), or null.
 * A copy can carry it in INBOX: the filter marked it and a client may hide it or show it as junk without moving it.
 */
export function junkKeyword(l: CopyLocation): string | null {
  return l.imap?.flags.find((f) => /^\$?junk$/i.test(f)) ?? null;
}
