// Read-side queries over the evidence store, returning plain typed rows in a stable order.

import type { ImapFacts } from '../model/imap.js';
import type { Db } from './db.js';
import type { Hop, HopSkew } from '../model/hop.js';

export interface SourceRow {
  path: string;
  kind: string;
  sha256: string;
  size: number;
  mtime: string | null;
  folder: string | null;
  ingestedAt: string;
  toolVersion: string;
  /** Message locations recorded from this artifact. */
  messages: number;
  warnings: number;
  errors: number;
  /** Earliest and latest time the artifact covers: its log lines, or its messages (top Received hop, else Date). */
  coverageFrom: string | null;
  coverageTo: string | null;
  /** Log artifacts only: events stored, gaps in coverage, the year/zone assumed for timestamps. */
  events: number | null;
  gaps: number | null;
  timeAssumption: string | null;
}

export function listSources(db: Db): SourceRow[] {
  return db
    .prepare(
      `SELECT a.path, a.kind, a.sha256, a.size, a.mtime, a.folder, a.ingested_at AS ingestedAt,
              a.tool_version AS toolVersion, a.messages, a.warnings, a.errors,
              coalesce(la.first_time, min(t.at)) AS coverageFrom, coalesce(la.last_time, max(t.at)) AS coverageTo,
              la.events AS events, la.time_assumption AS timeAssumption,
              CASE WHEN la.artifact_id IS NULL THEN NULL
                   ELSE (SELECT count(*) FROM log_gaps g WHERE g.artifact_id = a.id) END AS gaps
       FROM artifacts a
       LEFT JOIN log_artifacts la ON la.artifact_id = a.id
       LEFT JOIN locations l ON l.artifact_id = a.id
       LEFT JOIN (
         SELECT m.id AS message_id,
                coalesce((SELECT h.date FROM hops h WHERE h.message_id = m.id AND h.date IS NOT NULL
                          ORDER BY h.idx DESC LIMIT 1), m.date) AS at
         FROM messages m
       ) t ON t.message_id = l.message_id
       WHERE a.sha256 NOT LIKE 'pending:%'
       GROUP BY a.id
       ORDER BY a.path, a.sha256`,
    )
    .all() as SourceRow[];
}

/** Distinct messages (by sha256 of their bytes) in the store. */
export function countMessages(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
}

/** A Maildir folder as last examined by an ingest (migration 008): message files it held then, empty ones too. */
export interface ExaminedFolder { path: string; folder: string; messages: number; examinedAt: string }

/** Every Maildir folder ingests have walked, by path, each as last examined. */
export function listMaildirFolders(db: Db): ExaminedFolder[] {
  return db.prepare(
    `SELECT path, folder, messages, examined_at AS examinedAt FROM maildir_folders
     WHERE id IN (SELECT max(id) FROM maildir_folders GROUP BY path) ORDER BY path`,
  ).all() as ExaminedFolder[];
}

export interface StoredMessage {
  id: number;
  sha256: string;
  messageId: string | null;
  fromAddr: string | null;
  subject: string | null;
  date: string | null;
}

export function findMessagesById(db: Db, messageIdKey: string): StoredMessage[] {
  return db
    .prepare(
      `SELECT id, sha256, message_id AS messageId, from_addr AS fromAddr, subject, date
       FROM messages WHERE message_id_key = ? ORDER BY date, sha256`,
    )
    .all(messageIdKey) as StoredMessage[];
}

export function findMessageBySha(db: Db, shaPrefix: string): StoredMessage[] {
  return db
    .prepare(
      `SELECT id, sha256, message_id AS messageId, from_addr AS fromAddr, subject, date
       FROM messages WHERE sha256 LIKE ? ORDER BY sha256 LIMIT 10`,
    )
    .all(`${shaPrefix.toLowerCase()}%`) as StoredMessage[];
}

interface HopRow {
  idx: number;
  header_index: number;
  from_host: string | null;
  helo: string | null;
  rdns: string | null;
  from_ip: string | null;
  from_port: number | null;
  ident: string | null;
  by_host: string | null;
  via: string | null;
  with_proto: string | null;
  queue_id: string | null;
  for_addr: string | null;
  envelope_from: string | null;
  tls: number | null;
  tls_version: string | null;
  tls_cipher: string | null;
  tls_bits: string | null;
  authenticated_as: string | null;
  authenticated: number;
  date: string | null;
  date_offset: string | null;
  date_raw: string | null;
  delay_seconds: number | null;
  skew: string;
  raw: string;
  warnings: string;
}

export function readHops(db: Db, messageRowId: number): Hop[] {
  const rows = db.prepare('SELECT * FROM hops WHERE message_id = ? ORDER BY idx').all(messageRowId) as HopRow[];
  return rows.map((r) => ({
    index: r.idx,
    headerIndex: r.header_index,
    fromHost: r.from_host,
    helo: r.helo,
    rdns: r.rdns,
    fromIp: r.from_ip,
    fromPort: r.from_port,
    ident: r.ident,
    byHost: r.by_host,
    via: r.via,
    with: r.with_proto,
    id: r.queue_id,
    for: r.for_addr,
    envelopeFrom: r.envelope_from,
    tls: r.tls ? { version: r.tls_version, cipher: r.tls_cipher, bits: r.tls_bits } : null,
    authenticatedAs: r.authenticated_as,
    authenticated: r.authenticated === 1,
    date: r.date,
    dateOffset: r.date_offset,
    dateRaw: r.date_raw,
    delaySeconds: r.delay_seconds,
    skew: JSON.parse(r.skew) as HopSkew[],
    raw: r.raw,
    warnings: JSON.parse(r.warnings) as string[],
  }));
}

// --- IMAP evidence (migration 003) ---------------------------------------------------------------------

/** UIDs of a folder already stored under this UIDVALIDITY (what a resumed run need not fetch again). */
export function storedImapUids(db: Db, account: string, folder: string, uidValidity: string): Set<number> {
  const rows = db
    .prepare('SELECT uid FROM imap_locations WHERE account = ? AND folder = ? AND uidvalidity = ?')
    .pluck()
    .all(account, folder, BigInt(uidValidity)) as number[];
  return new Set(rows);
}

export interface ImapLocationRow extends ImapFacts {
  artifactPath: string;
  sha256: string;
}

const IMAP_LOCATION_SQL = `SELECT a.path AS artifactPath, i.account, i.folder, i.special_use AS specialUse,
    CAST(i.uidvalidity AS TEXT) AS uidValidity, i.uid, i.internal_date AS internalDate, i.flags,
    i.rfc822_size AS rfc822Size, m.sha256
  FROM imap_locations i JOIN locations l ON l.id = i.location_id
  JOIN artifacts a ON a.id = l.artifact_id JOIN messages m ON m.id = l.message_id`;

function imapRow(r: Omit<ImapLocationRow, 'flags'> & { flags: string }): ImapLocationRow {
  return { ...r, flags: JSON.parse(r.flags) as string[] };
}

/** Every IMAP location of a message (by sha256): which folders it is in, with flags and UIDs. */
export function imapLocationsOf(db: Db, messageSha256: string): ImapLocationRow[] {
  const rows = db.prepare(`${IMAP_LOCATION_SQL} WHERE m.sha256 = ? ORDER BY i.account, i.folder, i.uid`).all(messageSha256) as (Omit<ImapLocationRow, 'flags'> & { flags: string })[];
  return rows.map(imapRow);
}

/** The stored facts an imap artifact's manifest is rebuilt from (see sources/imap/manifest.ts). */
export function imapArtifactEntries(db: Db, artifactId: number): { artifact: { path: string; sha256: string; size: number }; entries: ImapLocationRow[] } | undefined {
  const artifact = db.prepare("SELECT path, sha256, size FROM artifacts WHERE id = ? AND kind = 'imap'").get(artifactId) as { path: string; sha256: string; size: number } | undefined;
  if (!artifact) return undefined;
  const rows = db.prepare(`${IMAP_LOCATION_SQL} WHERE l.artifact_id = ? ORDER BY i.uid`).all(artifactId) as (Omit<ImapLocationRow, 'flags'> & { flags: string })[];
  return { artifact, entries: rows.map(imapRow) };
}

/** Where a stored message was found (every location, in a stable order), for listing copies to choose from. */
export function messageLocations(db: Db, messageRowId: number): { path: string; kind: string; folder: string | null; index: number }[] {
  return db
    .prepare(
      `SELECT a.path, a.kind, coalesce(l.folder, a.folder) AS folder, l.idx AS "index"
       FROM locations l JOIN artifacts a ON a.id = l.artifact_id WHERE l.message_id = ? ORDER BY a.path, l.idx`,
    )
    .all(messageRowId) as { path: string; kind: string; folder: string | null; index: number }[];
}
