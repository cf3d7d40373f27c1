// Recorded DNS answers: a failure (answer NULL) recorded twice at the same time is one row (regression:
// dns-failure-stored-twice; 002's UNIQUE treats NULLs as distinct), and migration 005 cleans up old stores.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { readDnsAnswers, recordDnsAnswers } from '../../src/store/dns.js';
import type { DnsAnswer } from '../../src/auth/dns.js';

const AT = '2026-11-20T14:00:00.000Z';
const failure: DnsAnswer = { name: '_dmarc.sender.test', type: 'TXT', status: 'timeout', answer: null, error: 'no answer within 3000 ms', at: AT, source: 'live' };
const answer: DnsAnswer = { name: 'sender.test', type: 'TXT', status: 'answer', answer: [['v=spf1 -all']], error: null, at: AT, source: 'live' };

function tempDb(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), 'mailtrail-dns-')), 'case.db');
}

describe('dns_answers', () => {
  it('keeps one row for a failure recorded twice at the same time (regression: dns-failure-stored-twice)', () => {
    const db = openStore(tempDb());
    expect(recordDnsAnswers(db, [failure, answer], null)).toBe(2);
    expect(recordDnsAnswers(db, [failure, answer], null)).toBe(0);
    expect(readDnsAnswers(db)).toHaveLength(2);
    // A failure at another time is another piece of evidence.
    expect(recordDnsAnswers(db, [{ ...failure, at: '2026-11-20T15:00:00.000Z' }], null)).toBe(1);
    db.close();
  });

  it('migration 005 removes duplicates an older store already holds, keeping the first row', () => {
    const file = tempDb();
    const old = new Database(file);
    old.exec('CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
    for (const m of MIGRATIONS.filter((x) => x.name < '005')) {
      old.exec(m.sql);
      old.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)').run(m.name, AT);
    }
    const ins = old.prepare('INSERT INTO dns_answers (name, type, status, answer, error, at, source) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (let i = 0; i < 3; i++) ins.run(failure.name, 'TXT', 'timeout', null, `try ${i}`, AT, 'live');
    ins.run('sender.test', 'TXT', 'answer', JSON.stringify(answer.answer), null, AT, 'live');
    expect((old.prepare('SELECT count(*) AS n FROM dns_answers').get() as { n: number }).n).toBe(4);
    old.close();

    const db = openStore(file);
    const rows = readDnsAnswers(db);
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.status === 'timeout')?.error).toBe('try 0');
    expect(recordDnsAnswers(db, [failure], null)).toBe(0);
    db.close();
  });
});
