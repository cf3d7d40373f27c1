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

/** Seen: IMAP \Seen, or the Maildir `S` info flag (Apple Mail's read flag is kept as that letter too). */
export function isSeen(l: CopyLocation): boolean {
  if (l.imap) return l.imap.flags.some((f) => f.toLowerCase() === '\\seen');
  return (l.kind === 'maildir' || l.kind === 'emlx') && (l.maildirFlags ?? '').includes('S');
}

/**
 * The IMAP keyword a junk filter left on the copy (`$Junk`, RFC 5788's registry; `Junk`, Thunderbird's), or null.
 * A copy can carry it in INBOX: the filter marked it and a client may hide it or show it as junk without moving it.
 */
export function junkKeyword(l: CopyLocation): string | null {
  return l.imap?.flags.find((f) => /^\$?junk$/i.test(f)) ?? null;
}
