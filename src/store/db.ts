// Opens the evidence store (SQLite through better-sqlite3): WAL, foreign keys, named migrations.
// The store is the only module that knows SQL; callers use the functions in store/*.ts.

import Database from 'better-sqlite3';
import { MailtrailError } from '../errors.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';

export type Db = Database.Database;

export interface OpenOptions {
  /** Open without creating or migrating; fail when the file does not exist. */
  readonly?: boolean;
  /** Fail when the file does not exist (instead of creating an empty store). */
  mustExist?: boolean;
  /** Clock for migration records (injected so tests are deterministic). */
  now?: () => Date;
}

export function openStore(file: string, opts: OpenOptions = {}): Db {
  let db: Db;
  try {
    db = new Database(file, { readonly: opts.readonly === true, fileMustExist: opts.readonly === true || opts.mustExist === true });
  } catch (err) {
    throw new MailtrailError('STORE', `cannot open the evidence store (${(err as Error).message})`, {
      where: file,
      hint: opts.readonly || opts.mustExist ? 'ingest something first, or pass --db PATH (or MAILTRAIL_DB) to an existing store' : undefined,
    });
  }
  try {
    if (!opts.readonly) {
      // A new store gets 16 KiB pages: raw messages are blobs of tens of KiB, and larger pages cut the
      // overflow-page chains (measured ~20% less insert+commit time than 4 KiB). Settable only before the
      // first table exists.
      const empty = (db.prepare("SELECT count(*) AS n FROM sqlite_master").get() as { n: number }).n === 0;
      if (empty) db.pragma('page_size = 16384');
      db.pragma('journal_mode = WAL');
      // 8 MiB of page cache (better-sqlite3 builds with 16 MiB): during a long ingest transaction the larger
      // cache added ~60 MB of RSS for no measurable speed; the OS page cache serves reads anyway.
      db.pragma('cache_size = -8192');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const version = migrate(db, opts);
    if (version > SCHEMA_VERSION) {
      throw new MailtrailError(
        'STORE_VERSION',
        `the evidence store has schema version ${version}, newer than this mailtrail understands (${SCHEMA_VERSION})`,
        { where: file, hint: 'upgrade mailtrail' },
      );
    }
    return db;
  } catch (err) {
    db.close();
    if (err instanceof MailtrailError) throw err;
    if (isBusy(err)) throw storeBusy(file);
    throw new MailtrailError('STORE', `not a mailtrail evidence store (${(err as Error).message})`, { where: file });
  }
}

/** SQLite's "another connection holds the lock" (SQLITE_BUSY and its extended codes). */
export function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** The one-line error for a store another command is writing to (WAL lets readers in, but not a second writer). */
export function storeBusy(file: string): MailtrailError {
  return new MailtrailError('STORE_BUSY', 'the evidence store is busy: another mailtrail command is writing to it', {
    where: file,
    hint: 'an ingest holds the store while it stores each file; run this again when it has finished, or use another --db',
  });
}

/** Apply pending migrations (not in read-only mode); returns the schema version now in force. */
function migrate(db: Db, opts: OpenOptions): number {
  const hasTable = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  if (!hasTable) {
    if (opts.readonly) {
      const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number };
      if (tables.n > 0) throw new Error('no schema_migrations table');
      return 0;
    }
    db.exec('CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  }
  const applied = new Set(
    (db.prepare('SELECT name FROM schema_migrations').all() as { name: string }[]).map((r) => r.name),
  );
  const known = new Set(MIGRATIONS.map((m) => m.name));
  const unknown = [...applied].filter((n) => !known.has(n));
  if (unknown.length > 0) return SCHEMA_VERSION + unknown.length;
  if (opts.readonly) return applied.size;
  const now = opts.now ?? (() => new Date());
  for (const m of MIGRATIONS) {
    if (applied.has(m.name)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      m.run?.(db);
      db.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)').run(m.name, now().toISOString());
    })();
  }
  return MIGRATIONS.length;
}

/** The schema version recorded in an open store. */
export function schemaVersion(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n;
}
