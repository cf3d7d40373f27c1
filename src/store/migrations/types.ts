import type Database from 'better-sqlite3';

export interface Migration {
  /** Unique, ordered name: `NNN-what`. Recorded in schema_migrations when applied. */
  name: string;
  sql: string;
  /** Work SQL alone cannot do, run after `sql` in the same transaction. */
  run?: (db: Database.Database) => void;
}
