// Read-side queries the investigate command needs beyond read.ts/log-events.ts: every stored copy of a message
// with where it sits (Maildir folder and flags, IMAP folder/special-use/UID/flags), copies matching an
// envelope-ish question, candidate bounce/receipt reports, which log artifacts show outbound traffic for a
// domain and which show deliveries, and addresses known to receive mail. Read-only; stable order everywhere.

import type { Db } from './db.js';
import { LOG_STATUSES, type LogStatus } from '../model/log-event.js';
import type { CopyLocation, StoredCopy, SideRow } from '../verdict/evidence-types.js';

export type { CopyLocation, StoredCopy, SideRow };

interface MessageRow {
  id: number;
  sha256: string;
  messageId: string | null;
  fromAddr: string | null;
  toAddrs: string;
  ccAddrs: string;
  subject: string | null;
  date: string | null;
  stored: string;
}

const MESSAGE_COLS = `m.id, m.sha256, m.message_id AS messageId, m.from_addr AS fromAddr, m.to_addrs AS toAddrs,
  m.cc_addrs AS ccAddrs, m.subject, m.date, m.stored`;

const st = (s: LogStatus): number => LOG_STATUSES.indexOf(s);

function parseList(s: string): string[] {
  try {
    const v = JSON.parse(s) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').map((x) => x.toLowerCase()) : [];
  } catch {
    return [];
  }
}

export class EvidenceReader {
  private readonly s;
  constructor(private readonly db: Db) {
    this.s = {
      byMid: db.prepare(`SELECT ${MESSAGE_COLS} FROM messages m WHERE m.message_id_key = ? ORDER BY m.sha256`),
      bySha: db.prepare(`SELECT ${MESSAGE_COLS} FROM messages m WHERE m.sha256 = ?`),
      // Messages found in a file the user named, or in any file under a folder they named (paths as recorded);
      // of a path read several times (a file that changed, stdin), only the latest reading.
      atPath: db.prepare(
        `SELECT DISTINCT ${MESSAGE_COLS} FROM artifacts a JOIN locations l ON l.artifact_id = a.id JOIN messages m ON m.id = l.message_id
         WHERE (a.path = @p OR substr(a.path, 1, length(@p) + 1) = @p || '/')
           AND a.id = (SELECT max(b.id) FROM artifacts b WHERE b.path = a.path) ORDER BY m.sha256`,
      ),
      locations: db.prepare(
        `SELECT a.sha256 AS artifactSha256, a.path AS artifactPath, a.kind, l.idx AS "index", l.offset,
           coalesce(l.folder, a.folder) AS folder, l.maildir_flags AS maildirFlags, l.maildir_subdir AS maildirSubdir,
           i.account, i.folder AS imapFolder, i.special_use AS specialUse, CAST(i.uidvalidity AS TEXT) AS uidValidity, i.uid,
           i.internal_date AS internalDate, i.flags AS imapFlags, i.rfc822_size AS rfc822Size
         FROM locations l JOIN artifacts a ON a.id = l.artifact_id LEFT JOIN imap_locations i ON i.location_id = l.id
         WHERE l.message_id = ? ORDER BY a.path, a.sha256, l.idx`,
      ),
      byFrom: db.prepare(
        `SELECT ${MESSAGE_COLS} FROM messages m WHERE m.from_addr = ? COLLATE NOCASE AND m.date BETWEEN ? AND ? ORDER BY m.date, m.sha256 LIMIT 200`,
      ),
      byTo: db.prepare(
        `SELECT ${MESSAGE_COLS} FROM messages m WHERE m.to_addrs LIKE ? AND m.date BETWEEN ? AND ? ORDER BY m.date, m.sha256 LIMIT 200`,
      ),
      reports: db.prepare(
        `SELECT DISTINCT m.sha256 FROM messages m LEFT JOIN headers h ON h.message_id = m.id AND h.name = 'content-type'
         WHERE m.reports_on IS NULL
           AND (lower(h.value) LIKE '%multipart/report%' OR lower(m.from_addr) LIKE 'mailer-daemon@%'
                OR lower(m.from_addr) LIKE 'postmaster@%' OR m.from_addr IS NULL)
           AND (m.date IS NULL OR m.date BETWEEN ? AND ?)
         ORDER BY m.sha256 LIMIT 500`,
      ),
      headers: db.prepare('SELECT header_index AS "index", name, value FROM headers WHERE message_id = ? ORDER BY header_index'),
      reportsAbout: db.prepare("SELECT sha256 FROM messages WHERE reports_on = ? AND reports_on != '' ORDER BY sha256"),
      outbound: db.prepare(
        `SELECT DISTINCT o.artifact_id AS artifactId, a.sha256, a.path, lower(fs.s) AS addr
         FROM log_events o JOIN artifacts a ON a.id = o.artifact_id
         JOIN log_events q ON q.queue_id = o.queue_id AND q.artifact_id = o.artifact_id AND q.from_addr IS NOT NULL
         JOIN log_strings fs ON fs.id = q.from_addr
         WHERE o.queue_id IS NOT NULL AND o.status IN (${[st('sent'), st('deferred'), st('bounced'), st('expired')].join(', ')})
           AND o.time_ms BETWEEN ? AND ?
           -- A hand-off re-injected into the same server (a content filter: 'queued as X' with X a queue id of this
           -- same log) is not handing the mail on to another server: it does not make this the sending side.
           AND NOT (o.remote_queue_id IS NOT NULL AND EXISTS (
             SELECT 1 FROM log_events r WHERE r.queue_id = o.remote_queue_id AND r.artifact_id = o.artifact_id))
         LIMIT 20000`,
      ),
      inbound: db.prepare(
        `SELECT DISTINCT e.artifact_id AS artifactId, a.sha256, a.path, lower(ts.s) AS addr
         FROM log_events e JOIN artifacts a ON a.id = e.artifact_id JOIN log_strings ts ON ts.id = e.to_addr
         WHERE e.status IN (${[st('delivered'), st('rejected')].join(', ')}) AND e.time_ms BETWEEN ? AND ? LIMIT 20000`,
      ),
      receiving: db.prepare(
        `SELECT DISTINCT lower(ts.s) AS addr FROM log_events e JOIN log_strings ts ON ts.id = e.to_addr
         WHERE e.status IN (${[st('delivered'), st('sent')].join(', ')}) AND lower(ts.s) LIKE ? LIMIT 20000`,
      ),
      deliveredTo: db.prepare(
        `SELECT DISTINCT lower(h.value) AS addr FROM headers h WHERE h.name IN ('delivered-to', 'x-original-to') AND lower(h.value) LIKE ? LIMIT 20000`,
      ),
      mailboxArtifacts: db.prepare(`SELECT count(*) FROM artifacts WHERE kind IN ('maildir', 'mbox', 'eml', 'emlx', 'imap')`).pluck(),
      // Folders looked at, empty ones included: Maildir folders walked (by directory) and IMAP folders examined.
      foldersExamined: db.prepare(
        `SELECT (SELECT count(DISTINCT path) FROM maildir_folders) + (SELECT count(*) FROM (SELECT DISTINCT account, folder FROM imap_folders WHERE error IS NULL))`,
      ).pluck(),
      imapFolders: db.prepare(`SELECT DISTINCT account, folder, special_use AS specialUse FROM imap_folders WHERE error IS NULL ORDER BY account, folder`),
    };
  }

  private copy(r: MessageRow): StoredCopy {
    const locs = this.s.locations.all(r.id) as Array<Omit<CopyLocation, 'imap'> & {
      account: string | null; imapFolder: string | null; specialUse: string | null; uidValidity: string | null; uid: number | null;
      internalDate: string | null; imapFlags: string | null; rfc822Size: number | null;
    }>;
    return {
      rowId: r.id, sha256: r.sha256, messageId: r.messageId, from: r.fromAddr?.toLowerCase() ?? null,
      to: [...parseList(r.toAddrs), ...parseList(r.ccAddrs)], subject: r.subject, date: r.date, hasBody: r.stored === 'full',
      locations: locs.map((l) => ({
        artifactSha256: l.artifactSha256, artifactPath: l.artifactPath, kind: l.kind, index: l.index, offset: l.offset,
        folder: l.folder, maildirFlags: l.maildirFlags, maildirSubdir: l.maildirSubdir,
        imap: l.account === null ? null : {
          account: l.account, folder: l.imapFolder ?? '', specialUse: l.specialUse, uidValidity: l.uidValidity ?? '', uid: l.uid ?? 0,
          internalDate: l.internalDate, flags: l.imapFlags === null ? [] : (JSON.parse(l.imapFlags) as string[]), rfc822Size: l.rfc822Size ?? 0,
        },
      })),
    };
  }

  /** Every stored message whose Message-ID key (lower-cased, no angle brackets) is `key`, with its locations. */
  copiesByMessageId(key: string): StoredCopy[] {
    return (this.s.byMid.all(key) as MessageRow[]).map((r) => this.copy(r));
  }

  /** The stored messages read from these paths (files, or folders walked), each once. */
  copiesAtPaths(paths: string[]): StoredCopy[] {
    const rows = new Map<number, MessageRow>();
    for (const p of paths) for (const r of this.s.atPath.all({ p: p.replace(/\/+$/, '') || p }) as MessageRow[]) rows.set(r.id, r);
    return [...rows.values()].sort((a, b) => (a.sha256 < b.sha256 ? -1 : 1)).map((r) => this.copy(r));
  }

  copyBySha(sha256: string): StoredCopy | null {
    const r = this.s.bySha.get(sha256) as MessageRow | undefined;
    return r ? this.copy(r) : null;
  }

  /** Stored messages From `from` and/or addressed To/Cc `to`, dated inside [since, until] (ISO UTC). */
  copiesByAddress(from: string | null, to: string | null, since: string, until: string): StoredCopy[] {
    let rows: MessageRow[];
    if (from !== null) rows = this.s.byFrom.all(from, since, until) as MessageRow[];
    else if (to !== null) rows = this.s.byTo.all(`%"${to.toLowerCase().replace(/[%_"\\]/g, '')}"%`, since, until) as MessageRow[];
    else return [];
    const out = rows.map((r) => this.copy(r));
    return to === null ? out : out.filter((c) => c.to.includes(to.toLowerCase()));
  }

  /** Messages that ingest found to be reports about the message with this key (see parse/reported-message.ts). */
  reportsAbout(midKey: string): string[] {
    return this.s.reportsAbout.pluck().all(midKey) as string[];
  }

  /**
   * Messages stored before reports were indexed (reports_on NULL) that may be bounces, DSNs, feedback reports or
   * read receipts, dated within [since, until] (or undated): the only way to find those is to read them. Since
   * migration 007 only headers-only copies can still be NULL (their report part was not kept to be read again).
   */
  reportCandidates(since: string, until: string): string[] {
    return this.s.reports.pluck().all(since, until) as string[];
  }

  headersOf(rowId: number): Array<{ index: number; name: string; value: string }> {
    return this.s.headers.all(rowId) as Array<{ index: number; name: string; value: string }>;
  }

  /**
   * Which log artifacts handed mail on for which envelope senders (`out`), and which delivered or refused mail
   * for which recipients (`in`), within [sinceMs, untilMs]: used to tell a domain's sending server's log from
   * its receiving server's log without trusting host names.
   */
  sideRows(sinceMs: number, untilMs: number): SideRow[] {
    const out = (this.s.outbound.all(sinceMs, untilMs) as Omit<SideRow, 'role'>[]).map((r) => ({ ...r, role: 'out' as const }));
    const inb = (this.s.inbound.all(sinceMs, untilMs) as Omit<SideRow, 'role'>[]).map((r) => ({ ...r, role: 'in' as const }));
    return [...out, ...inb];
  }

  /** Addresses at `domain` that did receive mail: delivered or accepted by a next server in a log, or Delivered-To of a stored copy. */
  receivingAddresses(domain: string): string[] {
    const like = `%@${domain.toLowerCase().replace(/[%_\\]/g, '')}`;
    const a = this.s.receiving.pluck().all(like) as string[];
    const b = (this.s.deliveredTo.pluck().all(like) as string[]).map((v) => v.replace(/^.*<|>.*$/g, '').trim());
    return [...new Set([...a, ...b])].sort();
  }

  /** A mailbox is in the evidence: a stored copy from a file, a Maildir or IMAP, or a mailbox folder examined (even empty). */
  hasMailboxEvidence(): boolean {
    return (this.s.mailboxArtifacts.get() as number) > 0 || this.foldersExamined() > 0;
  }

  /** How many mailbox folders were looked at (Maildir folders walked, IMAP folders examined), empty ones included. */
  foldersExamined(): number {
    return this.s.foldersExamined.get() as number;
  }

  imapFoldersExamined(): Array<{ account: string; folder: string; specialUse: string | null }> {
    return this.s.imapFolders.all() as Array<{ account: string; folder: string; specialUse: string | null }>;
  }
}
