// Migration 004: MTA log evidence (issue 4). A log artifact is one server's log file (its `artifacts` row holds
// the sha256 of the exact file bytes); log_artifacts says how it was read (format, compression, whether offsets
// count decompressed bytes and that stream's own sha256, the time assumption) and what it covers; log_gaps are
// the holes in that coverage. Only meaningful lines become log_events rows (a queue id, a status or a
// Message-ID): connection chatter is re-readable from the artifact by line and offset but not stored.
// Repeated strings (hosts, programs, addresses, peers, details) are interned in log_strings to keep rows small.
import type { Migration } from './types.js';

export const logEvents: Migration = {
  name: '004-log-events',
  sql: `
CREATE TABLE log_artifacts (
  artifact_id     INTEGER PRIMARY KEY REFERENCES artifacts(id),
  format          TEXT NOT NULL,          -- postfix | exim | sendmail | exchange | m365 | gws
  format_source   TEXT NOT NULL,          -- detected | forced
  compression     TEXT NOT NULL,          -- none | gzip | bzip2
  offsets_in      TEXT NOT NULL,          -- file | decompressed: what line byte offsets count
  stream_sha256   TEXT,                   -- sha256 of the decompressed stream (null when not compressed)
  stream_size     INTEGER,
  lines           INTEGER NOT NULL,
  events          INTEGER NOT NULL,       -- log_events rows from this artifact
  bad_lines       INTEGER NOT NULL,
  first_time      TEXT,                   -- coverage: first and last time seen (ISO UTC)
  last_time       TEXT,
  timed_lines     INTEGER NOT NULL,
  gap_seconds     INTEGER NOT NULL,       -- holes longer than this are in log_gaps
  time_assumption TEXT,                   -- year/zone assumed for timestamps without them; null if none
  complete        INTEGER NOT NULL        -- 0 when reading stopped early (truncated compressed stream)
);

CREATE TABLE log_gaps (
  artifact_id  INTEGER NOT NULL REFERENCES artifacts(id),
  from_time    TEXT NOT NULL,
  to_time      TEXT NOT NULL,
  seconds      REAL NOT NULL,
  after_line   INTEGER NOT NULL,
  before_line  INTEGER NOT NULL
);
CREATE INDEX log_gaps_artifact ON log_gaps(artifact_id);

CREATE TABLE log_strings (
  id  INTEGER PRIMARY KEY,
  s   TEXT NOT NULL UNIQUE
);

CREATE TABLE log_events (
  id               INTEGER PRIMARY KEY,
  artifact_id      INTEGER NOT NULL REFERENCES artifacts(id),
  line             INTEGER NOT NULL,      -- 1-based line in the (decompressed) artifact
  offset           INTEGER NOT NULL,      -- byte offset of the line, see log_artifacts.offsets_in
  time_ms          INTEGER,               -- UTC epoch milliseconds
  time_basis       INTEGER NOT NULL,      -- 0 explicit-zone, 1 assumed-zone, 2 assumed-year-and-zone, 3 unknown
  fmt              INTEGER NOT NULL,      -- index in LOG_FORMATS (a mixed syslog file can hold several)
  host             INTEGER,               -- log_strings ids ...
  program          INTEGER,
  pid              INTEGER,
  queue_id         TEXT,
  message_id       TEXT,                  -- without angle brackets, as logged
  from_addr        INTEGER,
  to_addr          INTEGER,
  orig_to          INTEGER,
  relay            INTEGER,               -- 'host[ip]:port'
  client           INTEGER,
  status           INTEGER,               -- index in LOG_STATUSES, null when the line is no status change
  dsn              TEXT,
  reply            TEXT,
  remote_queue_id  TEXT,
  related_queue_id TEXT,
  delay            REAL,
  size             INTEGER,
  nrcpt            INTEGER,
  detail           INTEGER
);
CREATE INDEX log_events_queue ON log_events(queue_id, artifact_id) WHERE queue_id IS NOT NULL;
CREATE INDEX log_events_mid ON log_events(message_id COLLATE NOCASE) WHERE message_id IS NOT NULL;
CREATE INDEX log_events_remote ON log_events(remote_queue_id) WHERE remote_queue_id IS NOT NULL;
CREATE INDEX log_events_related ON log_events(related_queue_id) WHERE related_queue_id IS NOT NULL;
CREATE INDEX log_events_from ON log_events(from_addr, time_ms) WHERE from_addr IS NOT NULL;
CREATE INDEX log_events_to ON log_events(to_addr, time_ms) WHERE to_addr IS NOT NULL;
`,
};
