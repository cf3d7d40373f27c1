// Migration 007: look again at which stored messages are reports. Ingest first asked only multipart/report
// messages and those from mailer-daemon@ / postmaster@ / the null sender what they report on, so a Sendmail bounce
// from a local `MAILER-DAEMON` (no domain), a Japanese carrier's エラー通知 from no-reply@ and a Hotmail complaint
// were stored as "not a report" ('') and never linked to their message. The test is now parse/reported-message.ts
// mayBeReport; this re-reads, from the stored bytes, every message it lets through that is marked '' or was stored
// before reports were indexed (NULL). A NULL message it does not let through cannot be a report: marked ''.
// A headers-only copy keeps no report part to read: left as it is (NULL ones are still read the old way).
import type Database from 'better-sqlite3';
import { mayBeReport, reportedMessageId } from '../../parse/reported-message.js';
import { normalizeMessageId } from '../../parse/message-summary.js';
import type { Migration } from './types.js';
import { decodeBlob } from '../blobs.js';

interface Row { id: number; reportsOn: string | null; fromAddr: string | null; fromName: string | null; subject: string | null; contentType: string | null }

function reexamine(db: Database.Database): void {
  // Only the few messages the test lets through are kept in memory (a store may hold millions).
  const candidates: Row[] = [];
  const rows = db.prepare(
    `SELECT m.id, m.reports_on AS reportsOn, m.from_addr AS fromAddr, m.from_name AS fromName, m.subject,
       (SELECT h.value FROM headers h WHERE h.message_id = m.id AND h.name = 'content-type' ORDER BY h.header_index LIMIT 1) AS contentType
     FROM messages m WHERE (m.reports_on = '' OR m.reports_on IS NULL) AND m.stored = 'full'`,
  );
  for (const r of rows.iterate() as IterableIterator<Row>) if (mayBeReport(r)) candidates.push(r);
  const blob = db.prepare('SELECT b.codec, b.data FROM messages m JOIN blobs b ON b.sha256 = m.blob_sha256 WHERE m.id = ?');
  const set = db.prepare('UPDATE messages SET reports_on = ? WHERE id = ?');
  for (const r of candidates) {
    const b = blob.get(r.id) as { codec: string; data: Buffer } | undefined;
    if (!b) continue;
    const mid = reportedMessageId(decodeBlob(b.codec, b.data));
    const key = mid === null ? '' : normalizeMessageId(mid);
    if (key !== r.reportsOn) set.run(key, r.id);
  }
  // Every other full copy stored before reports were indexed: the test says it cannot be a report.
  db.prepare("UPDATE messages SET reports_on = '' WHERE reports_on IS NULL AND stored = 'full'").run();
}

export const reportsReexamined: Migration = { name: '007-reports-reexamined', sql: '', run: reexamine };
