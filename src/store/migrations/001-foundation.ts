// Migration 001: the evidence store's foundation — artifacts, blobs, messages, locations, hops,
// evidence headers, the append-only journal and ingest errors.
import type { Migration } from './types.js';

export const foundation: Migration = {
  name: '001-foundation',
  sql: `
CREATE TABLE artifacts (
  id            INTEGER PRIMARY KEY,
  sha256        TEXT NOT NULL,
  path          TEXT NOT NULL,            -- as given by the user, or as found under a given directory
  kind          TEXT NOT NULL,            -- eml | mbox | maildir | (later) logs, imap
  size          INTEGER NOT NULL,
  mtime         TEXT,                     -- ISO UTC; null for stdin
  folder        TEXT,                     -- Maildir folder this file belongs to
  ingested_at   TEXT NOT NULL,
  tool_version  TEXT NOT NULL,
  run_id        INTEGER NOT NULL REFERENCES journal(id),
  messages      INTEGER NOT NULL DEFAULT 0,  -- message locations recorded from this artifact
  warnings      INTEGER NOT NULL DEFAULT 0,  -- parser warnings met while reading it
  errors        INTEGER NOT NULL DEFAULT 0,  -- problems recorded in ingest_errors
  UNIQUE (sha256, path)
);
CREATE INDEX artifacts_sha ON artifacts(sha256);

-- Raw bytes, content-addressed by the sha256 of the uncompressed bytes. codec: br (brotli) | identity.
-- part: full (the whole message) | headers (header block only: --headers-only).
CREATE TABLE blobs (
  id      INTEGER PRIMARY KEY,
  sha256  TEXT NOT NULL UNIQUE,
  codec   TEXT NOT NULL,
  size    INTEGER NOT NULL,
  data    BLOB NOT NULL
);

CREATE TABLE messages (
  id              INTEGER PRIMARY KEY,
  sha256          TEXT NOT NULL UNIQUE,   -- of the exact raw message bytes
  size            INTEGER NOT NULL,
  stored          TEXT NOT NULL,          -- full | headers
  blob_sha256     TEXT NOT NULL REFERENCES blobs(sha256),
  header_bytes    INTEGER NOT NULL,
  body_sha256     TEXT NOT NULL,          -- of the bytes after the header block
  message_id      TEXT,                   -- as written, angle brackets kept
  message_id_key  TEXT,                   -- lower-cased, without angle brackets, for lookups
  from_addr       TEXT,
  from_name       TEXT,
  to_addrs        TEXT NOT NULL,          -- JSON array of addresses
  cc_addrs        TEXT NOT NULL,
  subject         TEXT,
  date            TEXT,                   -- ISO UTC or null
  date_raw        TEXT,
  return_path     TEXT,
  warnings        TEXT NOT NULL           -- JSON array
);
CREATE INDEX messages_mid ON messages(message_id_key);
CREATE INDEX messages_from ON messages(from_addr);

-- Every place a message was found. One message found in two files has two locations.
CREATE TABLE locations (
  id              INTEGER PRIMARY KEY,
  message_id      INTEGER NOT NULL REFERENCES messages(id),
  artifact_id     INTEGER NOT NULL REFERENCES artifacts(id),
  idx             INTEGER NOT NULL,       -- 1-based message number in the artifact
  offset          INTEGER NOT NULL,
  length          INTEGER NOT NULL,
  folder          TEXT,
  from_line       TEXT,
  unquote         TEXT NOT NULL,
  maildir_flags   TEXT,
  maildir_subdir  TEXT,
  UNIQUE (artifact_id, idx)
);
CREATE INDEX locations_msg ON locations(message_id);

CREATE TABLE hops (
  message_id        INTEGER NOT NULL REFERENCES messages(id),
  idx               INTEGER NOT NULL,     -- 0 = nearest the sender
  header_index      INTEGER NOT NULL,
  from_host         TEXT, helo TEXT, rdns TEXT, from_ip TEXT, from_port INTEGER, ident TEXT,
  by_host           TEXT, via TEXT, with_proto TEXT, queue_id TEXT, for_addr TEXT, envelope_from TEXT,
  tls               INTEGER,              -- 1 stated, null not stated
  tls_version       TEXT, tls_cipher TEXT, tls_bits TEXT,
  authenticated_as  TEXT, authenticated INTEGER NOT NULL,
  date              TEXT, date_offset TEXT, date_raw TEXT,
  delay_seconds     REAL,
  skew              TEXT NOT NULL,        -- JSON array
  raw               TEXT NOT NULL,
  warnings          TEXT NOT NULL,        -- JSON array
  PRIMARY KEY (message_id, idx)
) WITHOUT ROWID;
CREATE INDEX hops_queue ON hops(queue_id) WHERE queue_id IS NOT NULL;

-- Header fields later work needs without re-reading blobs (authentication, ARC, DKIM, spam verdicts, ...).
CREATE TABLE headers (
  message_id    INTEGER NOT NULL REFERENCES messages(id),
  header_index  INTEGER NOT NULL,
  name          TEXT NOT NULL,            -- lower-case
  value         TEXT NOT NULL,            -- raw value, folding kept
  PRIMARY KEY (message_id, header_index)
) WITHOUT ROWID;
CREATE INDEX headers_name ON headers(name);

-- Append-only record of every command run against the store.
CREATE TABLE journal (
  id            INTEGER PRIMARY KEY,
  at            TEXT NOT NULL,
  command       TEXT NOT NULL,
  args          TEXT NOT NULL,            -- JSON array, secrets removed
  tool_version  TEXT NOT NULL
);
CREATE TABLE journal_outcomes (
  run_id        INTEGER PRIMARY KEY REFERENCES journal(id),
  finished_at   TEXT NOT NULL,
  exit_code     INTEGER NOT NULL,
  summary       TEXT NOT NULL             -- JSON
);
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
CREATE TRIGGER outcome_no_update BEFORE UPDATE ON journal_outcomes BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
CREATE TRIGGER outcome_no_delete BEFORE DELETE ON journal_outcomes BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;

-- Problems met while ingesting: one row per bad message, bad line or unreadable file.
CREATE TABLE ingest_errors (
  id               INTEGER PRIMARY KEY,
  run_id           INTEGER NOT NULL REFERENCES journal(id),
  path             TEXT NOT NULL,
  artifact_sha256  TEXT,                  -- null when the file could not be read at all
  position         TEXT NOT NULL,
  byte_offset      INTEGER,
  message          TEXT NOT NULL
);

CREATE TABLE settings (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);
`,
};
