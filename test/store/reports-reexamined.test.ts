// Migration 007 looks again at messages a store already holds: a bounce stored as "not a report" ('') by the
// narrower test of migration 006's time gets its key from its stored bytes; a message stored before reports were
// indexed (NULL) that cannot be a report is marked ''. Then investigate links the bounce like a fresh ingest does.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.js';
import { SCHEMA_VERSION } from '../../src/store/migrations.js';
import { InvestigateReportSchema } from '../../src/report/investigate.js';
import { runCli } from '../helpers/cli.js';
import { LOCAL_DAEMON_BOUNCE, message, tempDir } from '../helpers/mail.js';

describe('migration 007: reports re-examined', () => {
  const dir = tempDir('mailtrail-reports-reexamined-');
  writeFileSync(path.join(dir, 'original.eml'), message(1));
  writeFileSync(path.join(dir, 'bounce.eml'), LOCAL_DAEMON_BOUNCE);
  const db = path.join(dir, 'store.db');
  const ask = (): string => {
    const r = runCli(['--db', db, 'investigate', '--offline', '--message-id', '<m1@sender.test>', '--json']);
    expect(r.code, r.stderr).toBe(0);
    return InvestigateReportSchema.parse(JSON.parse(r.stdout)).verdicts.arrived.outcome;
  };
  const keys = (): Record<string, string | null> => {
    const s = new Database(db, { readonly: true });
    const rows = s.prepare('SELECT subject, reports_on AS k FROM messages ORDER BY subject').all() as { subject: string; k: string | null }[];
    s.close();
    return Object.fromEntries(rows.map((r) => [r.subject, r.k]));
  };

  it('a fresh ingest links a local MAILER-DAEMON bounce to its message', () => {
    expect(runCli(['--db', db, 'ingest', dir]).code).toBe(0);
    expect(keys()).toEqual({ 'Returned mail: see transcript for details': 'm1@sender.test', 'message 1': '' });
    expect(ask()).toBe('bounced');
  });

  it('a store marked by the old test is corrected when opened, and investigate then links the bounce', () => {
    // As a store written by the previous version: the bounce marked "not a report", the other row not looked at.
    const s = new Database(db);
    s.prepare("UPDATE messages SET reports_on = CASE WHEN subject LIKE 'Returned%' THEN '' ELSE NULL END").run();
    s.prepare("DELETE FROM schema_migrations WHERE name = '007-reports-reexamined'").run();
    s.close();
    expect(keys()).toEqual({ 'Returned mail: see transcript for details': '', 'message 1': null });

    const store = openStore(db);
    expect((store.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n).toBe(SCHEMA_VERSION);
    store.close();
    expect(keys()).toEqual({ 'Returned mail: see transcript for details': 'm1@sender.test', 'message 1': '' });
    expect(ask()).toBe('bounced');
  });
});
