// Writes ingested evidence. Prepared statements are built once per store handle.
// Callers wrap one artifact's writes in begin()/commit() so a crash mid-file leaves the store as it was.

import type { Db } from './db.js';
import type { Hop } from '../model/hop.js';
import type { HeaderField } from '../model/header.js';
import type { MessageLocator } from '../model/source.js';
import type { MessageSummary } from '../parse/message-summary.js';

export interface NewArtifact {
  path: string;
  kind: string;
  folder: string | null;
  ingestedAt: string;
  toolVersion: string;
  runId: number;
}

export interface NewMessage {
  sha256: string;
  size: number;
  stored: 'full' | 'headers';
  blob: { sha256: string; codec: string; size: number; data: Buffer };
  headerBytes: number;
  bodySha256: string;
  summary: MessageSummary;
  hops: Hop[];
  headers: HeaderField[];
  /** The message_id_key of the message this one reports on ('' when it is no report): parse/reported-message.ts. */
  reportsOn: string;
}

import type { ImapFacts } from '../model/imap.js';
export type { ImapFacts };

/** A message location read over IMAP: the generic locator plus the server's facts. */
export interface ImapLocator extends MessageLocator {
  imap: ImapFacts;
}

export function isImapLocator(loc: MessageLocator): loc is ImapLocator {
  const imap = (loc as Partial<ImapLocator>).imap;
  return typeof imap === 'object' && imap !== null;
}

/** One folder examined in one IMAP run (imap_folders). */
export interface ImapFolderCheck {
  runId: number;
  account: string;
  folder: string;
  delimiter: string | null;
  listFlags: string[];
  specialUse: string | null;
  specialUseSource: string | null;
  uidValidity: string | null;
  uidNext: number | null;
  messageCount: number | null;
  highestModseq: string | null;
  search: unknown;
  matched: number | null;
  alreadyStored: number | null;
  toFetch: number | null;
  tls: unknown;
  examinedAt: string;
  error: string | null;
}

export interface NewProblem {
  runId: number;
  path: string;
  artifactSha256: string | null;
  position: string;
  offset: number | null;
  message: string;
}

export class EvidenceWriter {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      // A log's reading is the format it was read as (detected or forced), not only `log`.
      artifactKinds: db.prepare(
        'SELECT DISTINCT COALESCE(la.format, a.kind) FROM artifacts a LEFT JOIN log_artifacts la ON la.artifact_id = a.id WHERE a.sha256 = ? AND a.path = ?',
      ).pluck(),
      artifactByPath: db.prepare(
        `SELECT a.sha256, a.size, a.mtime, COALESCE(la.format, a.kind) AS kind FROM artifacts a LEFT JOIN log_artifacts la ON la.artifact_id = a.id
         WHERE a.path = ? ORDER BY a.id DESC LIMIT 1`,
      ),
      insertArtifact: db.prepare(
        `INSERT INTO artifacts (sha256, path, kind, size, mtime, folder, ingested_at, tool_version, run_id)
         VALUES (@placeholder, @path, @kind, 0, NULL, @folder, @ingestedAt, @toolVersion, @runId)`,
      ),
      finishArtifact: db.prepare(
        `UPDATE artifacts SET sha256 = @sha256, size = @size, mtime = @mtime, messages = @messages,
         warnings = @warnings, errors = @errors WHERE id = @id`,
      ),
      messageBySha: db.prepare('SELECT id, stored FROM messages WHERE sha256 = ?'),
      insertBlob: db.prepare('INSERT OR IGNORE INTO blobs (sha256, codec, size, data) VALUES (?, ?, ?, ?)'),
      upgradeMessage: db.prepare("UPDATE messages SET stored = 'full', blob_sha256 = ? WHERE id = ?"),
      insertMessage: db.prepare(
        `INSERT INTO messages (sha256, size, stored, blob_sha256, header_bytes, body_sha256, message_id, message_id_key,
           from_addr, from_name, to_addrs, cc_addrs, subject, date, date_raw, return_path, warnings, reports_on)
         VALUES (@sha256, @size, @stored, @blobSha256, @headerBytes, @bodySha256, @messageId, @messageIdKey,
           @fromAddr, @fromName, @to, @cc, @subject, @date, @dateRaw, @returnPath, @warnings, @reportsOn)`,
      ),
      insertLocation: db.prepare(
        `INSERT OR IGNORE INTO locations (message_id, artifact_id, idx, offset, length, folder, from_line, unquote,
           maildir_flags, maildir_subdir)
         VALUES (@messageId, @artifactId, @index, @offset, @length, @folder, @fromLine, @unquote, @maildirFlags, @maildirSubdir)`,
      ),
      insertImapLocation: db.prepare(
        `INSERT INTO imap_locations (location_id, account, folder, special_use, uidvalidity, uid, internal_date, flags, rfc822_size)
         VALUES (@locationId, @account, @folder, @specialUse, @uidValidity, @uid, @internalDate, @flags, @rfc822Size)`,
      ),
      insertImapFolder: db.prepare(
        `INSERT INTO imap_folders (run_id, account, folder, delimiter, list_flags, special_use, special_use_source, uidvalidity,
           uidnext, message_count, highest_modseq, search, matched, already_stored, to_fetch, tls, examined_at, error)
         VALUES (@runId, @account, @folder, @delimiter, @listFlags, @specialUse, @specialUseSource, @uidValidity,
           @uidNext, @messageCount, @highestModseq, @search, @matched, @alreadyStored, @toFetch, @tls, @examinedAt, @error)`,
      ),
      // Positional parameters: binding 28 named parameters from an object costs several times more.
      insertHop: db.prepare(
        `INSERT INTO hops (message_id, idx, header_index, from_host, helo, rdns, from_ip, from_port, ident, by_host, via,
           with_proto, queue_id, for_addr, envelope_from, tls, tls_version, tls_cipher, tls_bits, authenticated_as,
           authenticated, date, date_offset, date_raw, delay_seconds, skew, raw, warnings)
         VALUES (${new Array(28).fill('?').join(', ')})`,
      ),
      insertHeader: db.prepare('INSERT INTO headers (message_id, header_index, name, value) VALUES (?, ?, ?, ?)'),
      insertMaildirFolder: db.prepare(
        'INSERT INTO maildir_folders (run_id, path, folder, messages, examined_at) VALUES (@runId, @path, @folder, @messages, @examinedAt)',
      ),
      insertProblem: db.prepare(
        `INSERT INTO ingest_errors (run_id, path, artifact_sha256, position, byte_offset, message)
         VALUES (@runId, @path, @artifactSha256, @position, @offset, @message)`,
      ),
    };
  }

  begin(): void {
    this.db.exec('BEGIN IMMEDIATE');
  }
  commit(): void {
    this.db.exec('COMMIT');
  }
  rollback(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
  }

  /** The last recorded version of the file at `path`, to skip re-reading unchanged files. */
  lastArtifactAt(path: string): { sha256: string; size: number; mtime: string | null; kind: string } | undefined {
    return this.s.artifactByPath.get(path) as { sha256: string; size: number; mtime: string | null; kind: string } | undefined;
  }

  /** The kinds these exact bytes at `path` were read as before (empty when never). */
  artifactKinds(sha256: string, path: string): string[] {
    return this.s.artifactKinds.all(sha256, path) as string[];
  }

  /** Start an artifact row; its hash is filled in by finishArtifact once the bytes have been read. */
  startArtifact(a: NewArtifact): number {
    const placeholder = `pending:${a.runId}:${a.path}`;
    return Number(this.s.insertArtifact.run({ ...a, placeholder }).lastInsertRowid);
  }

  finishArtifact(
    id: number,
    f: { sha256: string; size: number; mtime: string | null; messages: number; warnings: number; errors: number },
  ): void {
    this.s.finishArtifact.run({ id, ...f });
  }

  /** The stored message with these exact bytes, if any. */
  findMessage(sha256: string): { id: number; stored: 'full' | 'headers' } | undefined {
    return this.s.messageBySha.get(sha256) as { id: number; stored: 'full' | 'headers' } | undefined;
  }

  /** Replace a headers-only copy with the full bytes (never the other way round). */
  upgradeToFull(messageId: number, blob: NewMessage['blob']): void {
    this.s.insertBlob.run(blob.sha256, blob.codec, blob.size, blob.data);
    this.s.upgradeMessage.run(blob.sha256, messageId);
  }

  insertMessage(m: NewMessage): number {
    this.s.insertBlob.run(m.blob.sha256, m.blob.codec, m.blob.size, m.blob.data);
    const sum = m.summary;
    const id = Number(
      this.s.insertMessage.run({
        sha256: m.sha256,
        size: m.size,
        stored: m.stored,
        blobSha256: m.blob.sha256,
        headerBytes: m.headerBytes,
        bodySha256: m.bodySha256,
        messageId: sum.messageId,
        messageIdKey: sum.messageIdKey,
        fromAddr: sum.fromAddr,
        fromName: sum.fromName,
        to: JSON.stringify(sum.to),
        cc: JSON.stringify(sum.cc),
        subject: sum.subject,
        date: sum.date,
        dateRaw: sum.dateRaw,
        returnPath: sum.returnPath,
        warnings: JSON.stringify(sum.warnings),
        reportsOn: m.reportsOn,
      }).lastInsertRowid,
    );
    for (const h of m.hops) {
      this.s.insertHop.run(
        id, h.index, h.headerIndex, h.fromHost, h.helo, h.rdns, h.fromIp, h.fromPort, h.ident, h.byHost, h.via,
        h.with, h.id, h.for, h.envelopeFrom, h.tls ? 1 : null, h.tls?.version ?? null, h.tls?.cipher ?? null,
        h.tls?.bits ?? null, h.authenticatedAs, h.authenticated ? 1 : 0, h.date, h.dateOffset, h.dateRaw,
        h.delaySeconds, h.skew.length ? JSON.stringify(h.skew) : '[]', h.raw, h.warnings.length ? JSON.stringify(h.warnings) : '[]',
      );
    }
    for (const f of m.headers) this.s.insertHeader.run(id, f.index, f.key, f.raw);
    return id;
  }

  /** Record where a message was found; IMAP locators also get their imap_locations row. */
  addLocation(messageId: number, artifactId: number, loc: MessageLocator): boolean {
    const added = this.insertLocation(messageId, artifactId, loc);
    if (added !== null && isImapLocator(loc)) {
      const f = loc.imap;
      this.s.insertImapLocation.run({ locationId: added, ...f, uidValidity: BigInt(f.uidValidity), flags: JSON.stringify(f.flags) });
    }
    return added !== null;
  }

  /** One folder examined in an IMAP run (written outside artifact transactions; autocommits). */
  recordImapFolder(c: ImapFolderCheck): void {
    this.s.insertImapFolder.run({
      ...c,
      listFlags: JSON.stringify(c.listFlags),
      uidValidity: c.uidValidity === null ? null : BigInt(c.uidValidity),
      search: JSON.stringify(c.search),
      tls: JSON.stringify(c.tls),
    });
  }

  private insertLocation(messageId: number, artifactId: number, loc: MessageLocator): number | null {
    const r =
      this.s.insertLocation.run({
        messageId,
        artifactId,
        index: loc.index,
        offset: loc.offset,
        length: loc.length,
        folder: loc.folder,
        fromLine: loc.fromLine,
        unquote: loc.unquote,
        maildirFlags: loc.maildirFlags,
        maildirSubdir: loc.maildirSubdir,
      });
    return r.changes > 0 ? Number(r.lastInsertRowid) : null;
  }

  /** A Maildir folder walked whole in this run, with the message files it held (recorded even when empty). */
  addMaildirFolder(f: { runId: number; path: string; folder: string; messages: number; examinedAt: string }): void {
    this.s.insertMaildirFolder.run(f);
  }

  addProblem(p: NewProblem): void {
    this.s.insertProblem.run(p);
  }
}
