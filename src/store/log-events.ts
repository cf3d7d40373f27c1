// Log evidence in the store: writing events fast (batches from sources/logs/event-batch.ts, one prepared
// positional INSERT per meaningful line inside the artifact's transaction, indexes built after a bulk load,
// strings interned here through a bounded in-memory cache), recording how each log artifact was read and
// what it covers, and the indexed look-ups `trace` needs. The only module that knows the log tables' SQL.

import type { Db } from './db.js';
import type { LogFormat } from '../model/log-event.js';
import { LOG_STATUSES } from '../model/log-event.js';
import type { Coverage } from '../correlate/coverage.js';
import type { StoredHop, StoredLogEvent } from '../correlate/types.js';

export type { StoredHop, StoredLogEvent };
import { LOG_FORMATS } from '../sources/logs/formats.js';
import { endpointText } from '../sources/logs/endpoint-text.js';
import { BatchCells, isMeaningful, N, NUM_COLS, S, TIME_BASES, type EventBatch } from '../sources/logs/event-batch.js';

const BASES = TIME_BASES;
/** Interned strings kept in memory; the cache is emptied when full, so memory stays bounded on any log. */
const CACHE_MAX = 200_000;
const COLS = 25;

export { endpointText, isMeaningful };

export interface LogArtifactFacts {
  format: LogFormat;
  formatSource: 'detected' | 'forced';
  compression: string;
  offsetsIn: 'file' | 'decompressed';
  stream: { sha256: string; size: number } | null;
  lines: number;
  events: number;
  badLines: number;
  timeAssumption: string | null;
  coverage: Coverage;
  complete: boolean;
}

const INSERT = `INSERT INTO log_events (artifact_id, line, offset, time_ms, time_basis, fmt, host, program, pid, queue_id, message_id,
  from_addr, to_addr, orig_to, relay, client, status, dsn, reply, remote_queue_id, related_queue_id, delay, size, nrcpt, detail)`;

/**
 * The secondary indexes of log_events (as in migration 004). During a bulk load they are dropped and built once
 * at the end, inside the artifact's transaction: sorting 500k keys once costs a fraction of keeping six B-trees
 * up to date row by row (measured 0.45 s vs 1.8 s per 1M Postfix lines). A rollback restores them.
 */
const INDEXES: ReadonlyArray<[string, string]> = [
  ['log_events_queue', 'log_events(queue_id, artifact_id) WHERE queue_id IS NOT NULL'],
  ['log_events_mid', 'log_events(message_id COLLATE NOCASE) WHERE message_id IS NOT NULL'],
  ['log_events_remote', 'log_events(remote_queue_id) WHERE remote_queue_id IS NOT NULL'],
  ['log_events_related', 'log_events(related_queue_id) WHERE related_queue_id IS NOT NULL'],
  ['log_events_from', 'log_events(from_addr, time_ms) WHERE from_addr IS NOT NULL'],
  ['log_events_to', 'log_events(to_addr, time_ms) WHERE to_addr IS NOT NULL'],
];
/**
 * Rebuilding every index costs (stored + new rows) × ~1 µs; keeping them costs new rows × ~4 µs: drop and
 * rebuild only while the store holds less than this many times the rows the new artifact is expected to add.
 */
const REBUILD_FACTOR = 3;

const nul = (x: number): number | null => (x === x ? x : null);

/**
 * A string that owns its characters. A cell cut from a batch's text keeps that whole text alive (V8 slices share
 * their parent), so a cell kept as a cache key would hold on to every batch it came from. Slicing a concatenation
 * first flattens it into a new string of its own length, so the result holds only its own characters (shorter
 * slices are copies already).
 */
const owned = (s: string): string => (s.length < 13 ? s : ` ${s}`.slice(1));

export class LogEventWriter {
  private readonly cache = new Map<string, number>();
  private bulk = false;
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      findString: db.prepare('SELECT id FROM log_strings WHERE s = ?').pluck(),
      addString: db.prepare('INSERT INTO log_strings (s) VALUES (?)'),
      insert: db.prepare(`${INSERT} VALUES (${new Array(COLS).fill('?').join(', ')})`),
      lastId: db.prepare('SELECT max(id) FROM log_events').pluck(),
      artifact: db.prepare(
        `INSERT INTO log_artifacts (artifact_id, format, format_source, compression, offsets_in, stream_sha256, stream_size, lines, events,
           bad_lines, first_time, last_time, timed_lines, gap_seconds, time_assumption, complete)
         VALUES (${new Array(16).fill('?').join(', ')})`,
      ),
      gap: db.prepare('INSERT INTO log_gaps (artifact_id, from_time, to_time, seconds, after_line, before_line) VALUES (?, ?, ?, ?, ?, ?)'),
    };
  }

  /** Id of an interned string (null stays null). */
  intern(v: string | null | undefined): number | null {
    if (v === null || v === undefined) return null;
    const hit = this.cache.get(v);
    if (hit !== undefined) return hit;
    let id = this.s.findString.get(v) as number | undefined;
    if (id === undefined) id = Number(this.s.addString.run(v).lastInsertRowid);
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(owned(v), id);
    return id;
  }

  /** Forget per-artifact state (call at the start of an artifact and after a rollback). */
  reset(): void {
    this.bulk = false;
  }

  /**
   * Inside the artifact's transaction, before its rows: when the artifact is large next to what the store
   * holds, drop the secondary indexes so the rows go in without index upkeep; endLoad() builds them again.
   */
  beginLoad(expectedRows: number): void {
    const stored = (this.s.lastId.get() as number | null) ?? 0;
    if (expectedRows <= 0 || stored > REBUILD_FACTOR * expectedRows) return;
    for (const [name] of INDEXES) this.db.exec(`DROP INDEX IF EXISTS ${name}`);
    this.bulk = true;
  }

  /** Build the indexes dropped by beginLoad (still inside the transaction). */
  endLoad(): void {
    if (!this.bulk) return;
    for (const [name, on] of INDEXES) this.db.exec(`CREATE INDEX IF NOT EXISTS ${name} ON ${on}`);
    this.bulk = false;
  }

  /** Store a batch of events (already filtered by isMeaningful) of one artifact, in the caller's transaction. */
  addBatch(artifactId: number, b: EventBatch): void {
    const a = b.nums, ins = this.s.insert, cells = new BatchCells(b);
    for (let r = 0, o = 0; r < b.rows; r++, o += NUM_COLS) {
      const c = cells.row(r);
      ins.run(
        artifactId, a[o + N.line], a[o + N.offset], nul(a[o + N.timeMs]!), a[o + N.basis], a[o + N.fmt], this.intern(c[S.host]),
        this.intern(c[S.program]), nul(a[o + N.pid]!), c[S.queueId], c[S.messageId], this.intern(c[S.from]), this.intern(c[S.to]),
        this.intern(c[S.origTo]), this.intern(c[S.relay]), this.intern(c[S.client]), nul(a[o + N.status]!), c[S.dsn], c[S.reply],
        c[S.remoteQueueId], c[S.relatedQueueId], nul(a[o + N.delay]!), nul(a[o + N.size]!), nul(a[o + N.nrcpt]!), this.intern(c[S.detail]),
      );
    }
  }

  finishArtifact(artifactId: number, f: LogArtifactFacts): void {
    const c = f.coverage;
    this.s.artifact.run(
      artifactId, f.format, f.formatSource, f.compression, f.offsetsIn, f.stream?.sha256 ?? null, f.stream?.size ?? null, f.lines,
      f.events, f.badLines, c.first, c.last, c.timedLines, c.gapSeconds, f.timeAssumption, f.complete ? 1 : 0,
    );
    for (const g of c.gaps) this.s.gap.run(artifactId, g.from, g.to, g.seconds, g.afterLine, g.beforeLine);
  }
}

// --- reading ------------------------------------------------------------------------------------------------

/**
 * Only log_events' own columns: the artifact's facts and the interned strings are joined in JS from caches (a
 * trace reads the same few artifacts and hosts hundreds of times; eight string joins and two artifact joins per
 * row cost more than the row itself). Column order is ROW below. Result order is the index's, as before.
 */
const SELECT = `SELECT id, artifact_id, line, offset, time_ms, time_basis, fmt, host, program, pid, queue_id, message_id, from_addr,
  to_addr, orig_to, relay, client, status, dsn, reply, remote_queue_id, related_queue_id, delay, size, nrcpt, detail FROM log_events e`;
const enum ROW {
  id, artifactId, line, offset, timeMs, basis, fmt, host, program, pid, queueId, messageId, from, to, origTo, relay, client, status,
  dsn, reply, remoteQueueId, relatedQueueId, delay, size, nrcpt, detail,
}
type Row = Array<string | number | null>;

interface ArtifactFacts { sha256: string; path: string; offsetsIn: 'file' | 'decompressed'; streamSha256: string | null; timeAssumption: string | null }

/** Interned strings kept by a reader; emptied when full (ids never change, so a miss only costs a look-up). */
const READ_CACHE_MAX = 100_000;

/** Read-only queries over the log tables, prepared once per store handle. */
export class LogEventReader {
  private readonly s;
  private readonly strings = new Map<number, string | null>();
  /** Only artifacts that have their log_artifacts row: that row and the artifact's are final once committed. */
  private readonly artifacts = new Map<number, ArtifactFacts>();

  constructor(private readonly db: Db) {
    const raw = (sql: string) => db.prepare(sql).raw(true);
    this.s = {
      byMid: raw(`${SELECT} WHERE e.message_id = ? COLLATE NOCASE`),
      byQueue: raw(`${SELECT} WHERE e.queue_id = ?`),
      byTx: raw(`${SELECT} WHERE e.queue_id = ? AND e.artifact_id = ?`),
      byRemote: raw(`${SELECT} WHERE e.remote_queue_id = ?`),
      byRelated: raw(`${SELECT} WHERE e.related_queue_id = ?`),
      stringId: db.prepare('SELECT id FROM log_strings WHERE s = ?').pluck(),
      string: db.prepare('SELECT s FROM log_strings WHERE id = ?').pluck(),
      artifact: db.prepare(
        `SELECT a.sha256, a.path, la.offsets_in AS offsetsIn, la.stream_sha256 AS streamSha256, la.time_assumption AS timeAssumption
         FROM artifacts a JOIN log_artifacts la ON la.artifact_id = a.id WHERE a.id = ?`,
      ),
      byFrom: raw(`${SELECT} WHERE e.from_addr = ? AND e.time_ms BETWEEN ? AND ?`),
      byTo: raw(`${SELECT} WHERE e.to_addr = ? AND e.time_ms BETWEEN ? AND ?`),
    };
  }

  private str(id: string | number | null | undefined): string | null {
    if (typeof id !== 'number') return null;
    let v = this.strings.get(id);
    if (v === undefined) {
      v = (this.s.string.get(id) as string | undefined) ?? null;
      if (this.strings.size >= READ_CACHE_MAX) this.strings.clear();
      this.strings.set(id, v);
    }
    return v;
  }

  private artifact(id: number): ArtifactFacts | null {
    let a = this.artifacts.get(id);
    if (a === undefined) {
      a = this.s.artifact.get(id) as ArtifactFacts | undefined;
      if (a === undefined) return null; // not a committed log artifact: its rows are not evidence yet
      this.artifacts.set(id, a);
    }
    return a;
  }

  /** Rows → events, field by field, in the order StoredLogEvent has always been built. */
  private events(rows: Row[]): StoredLogEvent[] {
    const out: StoredLogEvent[] = [];
    for (const r of rows) {
      const artifactId = r[ROW.artifactId] as number;
      const a = this.artifact(artifactId);
      if (a === null) continue;
      const st = r[ROW.status] as number | null;
      out.push({
        rowId: r[ROW.id] as number, artifactId, sha256: a.sha256, path: a.path, offsetsIn: a.offsetsIn, streamSha256: a.streamSha256,
        line: r[ROW.line] as number, offset: r[ROW.offset] as number, timeMs: r[ROW.timeMs] as number | null, timeAssumption: a.timeAssumption,
        host: this.str(r[ROW.host]), program: this.str(r[ROW.program]), pid: r[ROW.pid] as number | null,
        queueId: r[ROW.queueId] as string | null, messageId: r[ROW.messageId] as string | null,
        from: this.str(r[ROW.from]), to: this.str(r[ROW.to]), origTo: this.str(r[ROW.origTo]), relay: this.str(r[ROW.relay]),
        client: this.str(r[ROW.client]), dsn: r[ROW.dsn] as string | null, reply: r[ROW.reply] as string | null,
        remoteQueueId: r[ROW.remoteQueueId] as string | null, relatedQueueId: r[ROW.relatedQueueId] as string | null,
        delay: r[ROW.delay] as number | null, size: r[ROW.size] as number | null, nrcpt: r[ROW.nrcpt] as number | null,
        detail: this.str(r[ROW.detail]),
        timeBasis: BASES[r[ROW.basis] as number] ?? 'unknown',
        format: LOG_FORMATS[r[ROW.fmt] as number] ?? 'postfix',
        status: st === null ? null : (LOG_STATUSES[st] ?? null),
      });
    }
    return out;
  }

  byMessageId(mid: string): StoredLogEvent[] {
    return this.events(this.s.byMid.all(mid) as Row[]);
  }
  byQueueId(qid: string): StoredLogEvent[] {
    return this.events(this.s.byQueue.all(qid) as Row[]);
  }
  transaction(artifactId: number, qid: string): StoredLogEvent[] {
    return this.events(this.s.byTx.all(qid, artifactId) as Row[]);
  }
  byRemoteQueueId(qid: string): StoredLogEvent[] {
    return this.events(this.s.byRemote.all(qid) as Row[]);
  }
  byRelatedQueueId(qid: string): StoredLogEvent[] {
    return this.events(this.s.byRelated.all(qid) as Row[]);
  }
  /** Events whose envelope sender (or recipient) is `addr` within [sinceMs, untilMs]. Addresses match as logged. */
  byAddress(side: 'from' | 'to', addr: string, sinceMs: number, untilMs: number): StoredLogEvent[] {
    const id = this.s.stringId.get(addr) as number | undefined;
    if (id === undefined) return [];
    return this.events((side === 'from' ? this.s.byFrom : this.s.byTo).all(id, sinceMs, untilMs) as Row[]);
  }
}

/** Coverage of every log artifact in the store, for `trace` and the verdict work. */
export interface StoredCoverage {
  artifactId: number;
  sha256: string;
  path: string;
  format: string;
  first: string | null;
  last: string | null;
  lines: number;
  events: number;
  badLines: number;
  complete: boolean;
  timeAssumption: string | null;
  gapSeconds: number;
  gaps: Array<{ from: string; to: string; seconds: number; afterLine: number; beforeLine: number }>;
}

export function logCoverage(db: Db): StoredCoverage[] {
  const rows = db.prepare(
    `SELECT la.artifact_id AS artifactId, a.sha256, a.path, la.format, la.first_time AS first, la.last_time AS last, la.lines,
       la.events, la.bad_lines AS badLines, la.complete, la.time_assumption AS timeAssumption, la.gap_seconds AS gapSeconds
     FROM log_artifacts la JOIN artifacts a ON a.id = la.artifact_id ORDER BY a.path, a.sha256`,
  ).all() as Array<Omit<StoredCoverage, 'gaps' | 'complete'> & { complete: number }>;
  const gaps = db.prepare(
    'SELECT from_time AS "from", to_time AS "to", seconds, after_line AS afterLine, before_line AS beforeLine FROM log_gaps WHERE artifact_id = ? ORDER BY from_time',
  );
  return rows.map((r) => ({ ...r, complete: r.complete === 1, gaps: gaps.all(r.artifactId) as StoredCoverage['gaps'] }));
}

const HOPS_BY_QUEUE_ID = `SELECT m.sha256 AS messageSha256, m.message_id AS messageIdHeader, h.idx AS hopIndex, h.header_index AS headerIndex,
       h.by_host AS byHost, h.from_host AS fromHost, h.from_ip AS fromIp, h.queue_id AS queueId, h.date, h.for_addr AS forAddr,
       (SELECT a.sha256 FROM locations l JOIN artifacts a ON a.id = l.artifact_id WHERE l.message_id = m.id ORDER BY a.path LIMIT 1) AS artifactSha256,
       (SELECT a.path FROM locations l JOIN artifacts a ON a.id = l.artifact_id WHERE l.message_id = m.id ORDER BY a.path LIMIT 1) AS artifactPath,
       (SELECT l.folder FROM locations l JOIN artifacts a ON a.id = l.artifact_id WHERE l.message_id = m.id ORDER BY a.path LIMIT 1) AS folder
     FROM hops h JOIN messages m ON m.id = h.message_id WHERE h.queue_id = ? ORDER BY m.sha256, h.idx`;
/** One prepared statement per store handle: preparing it cost more than running it (~0.2 ms a call in a trace). */
const hopsStatements = new WeakMap<Db, ReturnType<Db['prepare']>>();

export function hopsByQueueId(db: Db, qid: string): StoredHop[] {
  let st = hopsStatements.get(db);
  if (st === undefined) {
    st = db.prepare(HOPS_BY_QUEUE_ID);
    hopsStatements.set(db, st);
  }
  return st.all(qid) as StoredHop[];
}
