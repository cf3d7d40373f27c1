export interface Migration {
  /** Unique, ordered name: `NNN-what`. Recorded in schema_migrations when applied. */
  name: string;
  sql: string;
}
