// Google Takeout's mbox export of Gmail writes two header fields of its own at the top of every message:
// X-GM-THRID (the thread id) and X-Gmail-Labels (the message's labels at export time: Inbox, Spam, Trash, Sent,
// Drafts, Opened, Unread, Important, Category …, and the user's own labels). The labels say where the message was
// in Gmail, as a folder does elsewhere. They are read only where Takeout puts them, as the first two fields, so a
// sender who writes an X-Gmail-Labels header into a message cannot choose its folder.
// Thunderbird likewise writes X-Mozilla-Status first in each message of its mbox folders: the message's flags.
// Pure: bytes in, labels and flags out.

import libmime from 'libmime';
import { parseHeaderBlock } from './headers.js';

/** Takeout's two fields are short; a message that does not start with them is decided within this many bytes. */
const HEAD_BYTES = 64 * 1024;

/** The labels Takeout recorded for one message of its mbox (as written, decoded), or null when it is not one. */
export function takeoutLabels(message: Buffer): string[] | null {
  if (message.length < 11 || message.toString('latin1', 0, 11).toLowerCase() !== 'x-gm-thrid:') return null;
  const block = parseHeaderBlock(message.subarray(0, HEAD_BYTES), HEAD_BYTES);
  const [thread, labels] = block.fields;
  if (thread?.key !== 'x-gm-thrid' || labels?.key !== 'x-gmail-labels') return null;
  // The value is latin1 (one char per byte): as UTF-8 it gives back a label such as "Clients/Zürich".
  const text = libmime.decodeWords(Buffer.from(labels.value, 'latin1').toString('utf8'));
  return text.split(',').map((l) => l.trim()).filter((l) => l !== '');
}

/**
 * The folder a Gmail message was in, by its labels: Trash, then Spam (as Junk), then Inbox, Sent, Drafts; a
 * message with none of those was archived (`All Mail`, where Gmail keeps every message).
 */
export function gmailFolder(labels: readonly string[]): string {
  const has = (name: string): boolean => labels.some((l) => l.toLowerCase() === name);
  if (has('trash')) return 'Trash';
  if (has('spam')) return 'Junk';
  if (has('inbox')) return 'INBOX';
  if (has('sent')) return 'Sent';
  if (has('drafts') || has('draft')) return 'Drafts';
  return 'All Mail';
}

/** Thunderbird's X-Mozilla-Status bits (nsMsgMessageFlags.h) as the Maildir info letters they mean, in Maildir's order. */
const MOZILLA_LETTERS: ReadonlyArray<[bit: number, letter: string]> = [[0x0004, 'F'], [0x1000, 'P'], [0x0002, 'R'], [0x0001, 'S'], [0x0008, 'T']];

/**
 * The flags Thunderbird keeps on a message of its mbox folders, from the X-Mozilla-Status field it writes first in
 * each message (read 0x1, replied 0x2, flagged 0x4, expunged 0x8: deleted but kept until the folder is compacted,
 * forwarded 0x1000), as Maildir info letters (S, R, F, T, P); null when the message does not start with that field,
 * so a sender cannot set them.
 */
export function mozillaFlags(message: Buffer): string | null {
  const m = /^X-Mozilla-Status:[ \t]*([0-9A-Fa-f]{4})[ \t]*\r?\n/i.exec(message.toString('latin1', 0, 40));
  if (!m) return null;
  const n = parseInt(m[1]!, 16);
  return MOZILLA_LETTERS.filter(([bit]) => (n & bit) !== 0).map(([, l]) => l).join('');
}
