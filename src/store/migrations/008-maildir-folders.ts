// Migration 008: Maildir folders examined. A Maildir folder with no message in it leaves no artifact, so nothing
// showed it had been looked at: "no copy is in Junk" could not be told from "Junk was never collected". Every
// Maildir folder an ingest walks is recorded here with the message files it held, per run, empty ones included
// (as imap_folders does for IMAP, migration 003).
import type { Migration } from './types.js';

export const maildirFolders: Migration = {
  name: '008-maildir-folders',
  sql: `
CREATE TABLE maildir_folders (
  id           INTEGER PRIMARY KEY,
  run_id       INTEGER NOT NULL REFERENCES journal(id),
  path         TEXT NOT NULL,           -- the folder's directory, as walked from the path given
  folder       TEXT NOT NULL,           -- INBOX, Junk, Work/Reports, ...
  messages     INTEGER NOT NULL,        -- message files in its cur/ and new/ when walked
  examined_at  TEXT NOT NULL            -- ISO UTC
);
CREATE INDEX maildir_folders_run ON maildir_folders(run_id);
`,
};
