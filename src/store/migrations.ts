// Named, ordered schema migrations. Each runs once, in its own transaction, and is recorded in
// `schema_migrations`; the store's schema version is the number of migrations applied.
// Never edit a migration that has shipped: add a new file under migrations/ and list it here.

import type { Migration } from './migrations/types.js';
import { foundation } from './migrations/001-foundation.js';
import { dnsAnswers } from './migrations/002-dns-answers.js';
import { imap } from './migrations/003-imap.js';
import { logEvents } from './migrations/004-log-events.js';
import { dnsAnswersDedupe } from './migrations/005-dns-answers-dedupe.js';
import { reportsOn } from './migrations/006-reports-on.js';
import { reportsReexamined } from './migrations/007-reports-reexamined.js';
import { maildirFolders } from './migrations/008-maildir-folders.js';

export type { Migration };

export const MIGRATIONS: readonly Migration[] = [foundation, dnsAnswers, imap, logEvents, dnsAnswersDedupe, reportsOn, reportsReexamined, maildirFolders];

/** The schema version this build writes: the number of migrations it knows. */
export const SCHEMA_VERSION = MIGRATIONS.length;
