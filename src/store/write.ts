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
      artifactBySha: db.prepare('SELECT id FROM artifacts WHERE sha256 = ? AND path = ?').pluck(),
      artifactByPath: db.prepare(
        'SELECT sha256, size, mtime FROM artifacts WHERE path = ? ORDER BY id DESC LIMIT 1',
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
           from_addr, from_name, to_addrs, cc_addrs, subject, date, date_raw, return_path, warnings)
         VALUES (@sha256, @size, @stored, @blobSha256, @headerBytes, @bodySha256, @messageId, @messageIdKey,
           @fromAddr, @fromName, @to, @cc, @subject, @date, @dateRaw, @returnPath, @warnings)`,
      ),
      insertLocation: db.prepare(
        `INSERT OR IGNORE INTO locations (message_id, artifact_id, idx, offset, length, folder, from_line, unquote,
           maildir_flags, maildir_subdir)
         VALUES (@messageId, @artifactId, @index, @offset, @length, @folder, @fromLine, @unquote, @maildirFlags, @maildirSubdir)`,
      ),
      insertHop: db.prepare(
        `INSERT INTO hops (message_id, idx, header_index, from_host, helo, rdns, from_ip, from_port, ident, by_host, via,
           with_proto, queue_id, for_addr, envelope_from, tls, tls_version, tls_cipher, tls_bits, authenticated_as,
           authenticated, date, date_offset, date_raw, delay_seconds, skew, raw, warnings)
         VALUES (@messageId, @index, @headerIndex, @fromHost, @helo, @rdns, @fromIp, @fromPort, @ident, @byHost, @via,
           @with, @id, @for, @envelopeFrom, @tls, @tlsVersion, @tlsCipher, @tlsBits, @authenticatedAs,
           @authenticated, @date, @dateOffset, @dateRaw, @delaySeconds, @skew, @raw, @warnings)`,
      ),
      insertHeader: db.prepare('INSERT INTO headers (message_id, header_index, name, value) VALUES (?, ?, ?, ?)'),
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
  lastArtifactAt(path: string): { sha256: string; size: number; mtime: string | null } | undefined {
    return this.s.artifactByPath.get(path) as { sha256: string; size: number; mtime: string | null } | undefined;
  }

  hasArtifact(sha256: string, path: string): boolean {
    return this.s.artifactBySha.get(sha256, path) !== undefined;
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
      }).lastInsertRowid,
    );
    for (const h of m.hops) {
      this.s.insertHop.run({
        messageId: id,
        index: h.index,
        headerIndex: h.headerIndex,
        fromHost: h.fromHost,
        helo: h.helo,
        rdns: h.rdns,
        fromIp: h.fromIp,
        fromPort: h.fromPort,
        ident: h.ident,
        byHost: h.byHost,
        via: h.via,
        with: h.with,
        id: h.id,
        for: h.for,
        envelopeFrom: h.envelopeFrom,
        tls: h.tls ? 1 : null,
        tlsVersion: h.tls?.version ?? null,
        tlsCipher: h.tls?.cipher ?? null,
        tlsBits: h.tls?.bits ?? null,
        authenticatedAs: h.authenticatedAs,
        authenticated: h.authenticated ? 1 : 0,
        date: h.date,
        dateOffset: h.dateOffset,
        dateRaw: h.dateRaw,
        delaySeconds: h.delaySeconds,
        skew: JSON.stringify(h.skew),
        raw: h.raw,
        warnings: JSON.stringify(h.warnings),
      });
    }
    for (const f of m.headers) this.s.insertHeader.run(id, f.index, f.key, f.raw);
    return id;
  }

  addLocation(messageId: number, artifactId: number, loc: MessageLocator): boolean {
    return (
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
      }).changes > 0
    );
  }

  addProblem(p: NewProblem): void {
    this.s.insertProblem.run(p);
  }
}
