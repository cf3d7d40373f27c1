// Migration 003: IMAP evidence. An `imap` artifact is one fetch batch from one folder (its sha256 and size
// are those of the canonical manifest, sources/imap/manifest.ts); each message location from it has one
// imap_locations row with what the server said about the message. imap_folders records every folder
// examined in a run, including empty ones and ones with nothing new, so "Junk was checked and was empty at
// T" is evidence too.
import type { Migration } from './types.js';

export const imap: Migration = {
  name: '003-imap',
  sql: `
CREATE TABLE imap_locations (
  location_id    INTEGER PRIMARY KEY REFERENCES locations(id),
  account        TEXT NOT NULL,           -- user@host:port
  folder         TEXT NOT NULL,           -- as listed by the server
  special_use    TEXT,                    -- \\Inbox \\Junk \\Trash \\Sent \\Archive \\All \\Drafts ... or null
  uidvalidity    INTEGER NOT NULL,
  uid            INTEGER NOT NULL,
  internal_date  TEXT,                    -- INTERNALDATE, ISO UTC: the server's own arrival time
  flags          TEXT NOT NULL,           -- JSON array, sorted, without the session flag \\Recent
  rfc822_size    INTEGER NOT NULL         -- RFC822.SIZE as reported by the server
);
-- Resume: which UIDs of a folder (under one UIDVALIDITY) are already stored.
CREATE INDEX imap_locations_uid ON imap_locations(account, folder, uidvalidity, uid);
CREATE INDEX imap_locations_special ON imap_locations(special_use) WHERE special_use IS NOT NULL;

CREATE TABLE imap_folders (
  id               INTEGER PRIMARY KEY,
  run_id           INTEGER NOT NULL REFERENCES journal(id),
  account          TEXT NOT NULL,
  folder           TEXT NOT NULL,
  delimiter        TEXT,
  list_flags       TEXT NOT NULL,         -- JSON array of LIST attributes
  special_use      TEXT,
  special_use_source TEXT,                -- protocol | extension | name | user
  uidvalidity      INTEGER,               -- null when the folder could not be examined
  uidnext          INTEGER,
  message_count    INTEGER,               -- EXISTS at EXAMINE
  highest_modseq   TEXT,
  search           TEXT NOT NULL,         -- JSON: the criteria the server searched with
  matched          INTEGER,               -- UIDs the search returned
  already_stored   INTEGER,               -- of those, already in the store (skipped: resumable)
  to_fetch         INTEGER,
  tls              TEXT NOT NULL,         -- JSON {protocol, cipher, verified}
  examined_at      TEXT NOT NULL,
  error            TEXT                   -- why the folder could not be examined or searched
);
CREATE INDEX imap_folders_account ON imap_folders(account, folder);
`,
};
