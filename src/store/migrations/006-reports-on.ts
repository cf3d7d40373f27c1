// Migration 006: what each stored message reports on, when it is a report. A bounce, DSN, feedback report or
// read receipt names the Message-ID of the message it is about; ingest now records that key (see
// parse/reported-message.ts), so investigate finds a message's reports through an index, however many reports the
// store holds and whenever they were written. Before this, it read every report-like message dated near the
// message, at most 500 of them: in a store with more, a report could be missed. Rows stored before this migration
// keep NULL ("not looked at") and are still read the old way; '' means "looked at: not a report".
import type { Migration } from './types.js';

export const reportsOn: Migration = {
  name: '006-reports-on',
  sql: `
ALTER TABLE messages ADD COLUMN reports_on TEXT;
CREATE INDEX messages_reports_on ON messages(reports_on) WHERE reports_on IS NOT NULL AND reports_on != '';
`,
};
