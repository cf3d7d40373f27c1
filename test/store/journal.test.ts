import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStore, schemaVersion } from '../../src/store/db.js';
import { finishRun, readJournal, redactArgs, startRun } from '../../src/store/journal.js';
import { SCHEMA_VERSION } from '../../src/store/migrations.js';

function tempDb(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), 'mailtrail-store-')), 'case.db');
}

describe('redactArgs', () => {
  it.each([
    [['--password', 'hunter2', 'x'], ['--password', '[redacted]', 'x']],
    [['--token=abc'], ['--token=[redacted]']],
    [['--redact-key', 'k'], ['--redact-key', '[redacted]']],
    [['imaps://alice:pw@imap.example.com'], ['imaps://alice:[redacted]@imap.example.com']],
    [['imaps://alice@imap.example.com', 'a.eml'], ['imaps://alice@imap.example.com', 'a.eml']],
  ])('%j -> %j', (input, expected) => {
    expect(redactArgs(input)).toEqual(expected);
  });
});

describe('evidence store', () => {
  it('records named migrations and reports its schema version', () => {
    const file = tempDb();
    const db = openStore(file);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
    // Re-opening applies nothing twice.
    const again = openStore(file);
    expect((again.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n).toBe(SCHEMA_VERSION);
    again.close();
  });

  it('refuses a store written by a newer mailtrail', () => {
    const file = tempDb();
    const db = openStore(file);
    db.prepare("INSERT INTO schema_migrations (name, applied_at) VALUES ('999-from-the-future', 'x')").run();
    db.close();
    expect(() => openStore(file)).toThrow(/newer than this mailtrail understands/);
  });

  it('refuses a file that is not a store, and a missing store when it must exist', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mailtrail-store-'));
    expect(() => openStore(path.join(dir, 'missing.db'), { mustExist: true })).toThrow(/cannot open the evidence store/);
  });

  it('keeps the journal append-only and free of secrets', () => {
    const db = openStore(tempDb());
    const id = startRun(db, { at: '2026-11-24T10:00:00.000Z', command: 'ingest', args: ['--password', 's3cret', 'a.mbox'], toolVersion: '0.1.0' });
    finishRun(db, id, { at: '2026-11-24T10:00:01.000Z', exitCode: 0, summary: { files: 1 } });
    expect(readJournal(db)).toEqual([
      { id, at: '2026-11-24T10:00:00.000Z', command: 'ingest', args: ['--password', '[redacted]', 'a.mbox'], toolVersion: '0.1.0', finishedAt: '2026-11-24T10:00:01.000Z', exitCode: 0 },
    ]);
    expect(() => db.prepare('UPDATE journal SET command = ?').run('x')).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM journal').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM journal_outcomes').run()).toThrow(/append-only/);
    db.close();
  });
});
