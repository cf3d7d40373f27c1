// The canonical manifest of one IMAP fetch batch: the bytes an `imap` artifact's sha256 and size are
// computed over, since a live folder has no file of its own to hash. Pure: no I/O.
//
// Format `mailtrail-imap-manifest 1` (UTF-8, LF line endings, no trailing spaces):
//   line 1  `mailtrail-imap-manifest 1`
//   line 2  `path <JSON string>`        the artifact path, e.g. "imaps://alice@host:993/INBOX"
//   then one line per message, ascending by UID, fields separated by one TAB:
//     UIDVALIDITY  UID  sha256-of-raw-bytes  RFC822.SIZE  INTERNALDATE (ISO 8601 UTC, or -)  flags
//   where flags are the message's flags without the session flag \Recent, sorted by code unit and
//   joined by one space (empty when none).
// Anyone holding the store can rebuild it from the artifact row and its imap_locations rows
// (store/read.ts imapManifestEntries) and compare hashes: see verifyManifest below.

import { createHash } from 'node:crypto';

export const MANIFEST_VERSION = 1;

export interface ManifestEntry {
  uidValidity: string;
  uid: number;
  sha256: string;
  rfc822Size: number;
  internalDate: string | null;
  flags: readonly string[];
}

export function manifestText(path: string, entries: readonly ManifestEntry[]): string {
  const lines = [`mailtrail-imap-manifest ${MANIFEST_VERSION}`, `path ${JSON.stringify(path)}`];
  const sorted = [...entries].sort((a, b) => a.uid - b.uid);
  for (const e of sorted) {
    lines.push([e.uidValidity, e.uid, e.sha256, e.rfc822Size, e.internalDate ?? '-', [...e.flags].sort().join(' ')].join('\t'));
  }
  return lines.join('\n') + '\n';
}

export function manifestDigest(path: string, entries: readonly ManifestEntry[]): { sha256: string; size: number } {
  const bytes = Buffer.from(manifestText(path, entries), 'utf8');
  return { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
}

/** Re-verify a stored imap artifact: rebuild its manifest from stored rows and compare with its recorded hash. */
export function verifyManifest(artifact: { path: string; sha256: string; size: number }, entries: readonly ManifestEntry[]): boolean {
  const d = manifestDigest(artifact.path, entries);
  return d.sha256 === artifact.sha256 && d.size === artifact.size;
}
