// Reading stored raw bytes back, and checking them against their content address.

import { createHash } from 'node:crypto';
import { brotliDecompressSync } from 'node:zlib';
import type { Db } from './db.js';

export interface StoredBytes {
  /** The bytes kept: the whole message, or only its header block when stored = 'headers'. */
  bytes: Buffer;
  stored: 'full' | 'headers';
  /** True when the bytes hash to their recorded sha256 (the message's for full, the blob's otherwise). */
  intact: boolean;
}

export function readMessageBytes(db: Db, messageSha256: string): StoredBytes | undefined {
  const row = db
    .prepare(
      `SELECT m.stored, b.sha256 AS blobSha, b.codec, b.data FROM messages m JOIN blobs b ON b.sha256 = m.blob_sha256
       WHERE m.sha256 = ?`,
    )
    .get(messageSha256) as { stored: 'full' | 'headers'; blobSha: string; codec: string; data: Buffer } | undefined;
  if (!row) return undefined;
  const bytes = decodeBlob(row.codec, row.data);
  const sha = createHash('sha256').update(bytes).digest('hex');
  return { bytes, stored: row.stored, intact: sha === row.blobSha && (row.stored === 'headers' || sha === messageSha256) };
}

/** A stored blob's bytes as they were before compression (codec `br`: brotli; `identity`: as stored). */
export function decodeBlob(codec: string, data: Buffer): Buffer {
  return codec === 'br' ? brotliDecompressSync(data) : Buffer.from(data);
}
