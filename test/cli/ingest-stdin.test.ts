// Standard input is detected like a file: an mbox or a log piped in is read as one, not taken for a single
// message. And bytes read one way before are read anew when given again another way (the fix for a wrong
// reading is to give the file again with --format, which must not be skipped as "unchanged").
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { corpusPath, describeCorpus } from '../helpers/corpus.js';
import { mbox, message, tempDir, writeFiles } from '../helpers/mail.js';
import { openStore } from '../../src/store/db.js';

const kinds = (db: string): string[] => {
  const s = openStore(db, { readonly: true });
  try {
    return s.prepare('SELECT kind FROM artifacts ORDER BY id').pluck().all() as string[];
  } finally {
    s.close();
  }
};

describe('ingest -', () => {
  it('an mbox piped in is split into its messages', () => {
    const db = path.join(tempDir(), 'a.db');
    const r = runCli(['--db', db, 'ingest', '--json', '-'], { input: mbox([message(1), message(2), message(3)]) });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ messages: 3, newMessages: 3 });
    expect(kinds(db)).toEqual(['mbox']);
  });

  it('one message piped in is still one message', () => {
    const db = path.join(tempDir(), 'b.db');
    const r = runCli(['--db', db, 'ingest', '--json', '-'], { input: message(4) });
    expect(JSON.parse(r.stdout)).toMatchObject({ messages: 1 });
    expect(kinds(db)).toEqual(['eml']);
  });

  it('bytes read one way before and given again another way: an error naming both readings, not a silent "unchanged"', () => {
    const dir = tempDir();
    writeFiles(dir, { 'box': mbox([message(5), message(6)]) });
    const db = path.join(dir, 'c.db');
    expect(JSON.parse(runCli(['--db', db, 'ingest', '--json', '--format', 'eml', path.join(dir, 'box')]).stdout)).toMatchObject({ messages: 1 });
    const again = runCli(['--db', db, 'ingest', '--json', path.join(dir, 'box')]);
    expect(again.code).toBe(2);
    expect(JSON.parse(again.stdout)).toMatchObject({ files: 0, notIngested: 1, unchanged: 0, messages: 0, errors: 1 });
    // The table's summary does not count a refused file as ingested.
    expect(runCli(['--db', db, 'ingest', path.join(dir, 'box')]).stdout).toMatch(/^ingested 0 file\(s\), 1 not ingested: 0 message\(s\)/);
    expect(again.stderr).toContain('these bytes were ingested from this path before, read as eml; a store keeps one reading of a file (to read it as mbox, use another store: --db NEW.db)');
    // The same reading once more adds nothing, quietly.
    expect(JSON.parse(runCli(['--db', db, 'ingest', '--json', '--format', 'eml', path.join(dir, 'box')]).stdout)).toMatchObject({ unchanged: 1, errors: 0 });
    // In a new store the mbox reading works.
    expect(JSON.parse(runCli(['--db', path.join(dir, 'd.db'), 'ingest', '--json', path.join(dir, 'box')]).stdout)).toMatchObject({ messages: 2 });
  });
});

// Reason for the skip: this reads the real pixelpark Postfix log in ../shared/corpus in place (third-party data, never copied into
// the repo); describeCorpus skips it, saying so, where that folder is absent.
describeCorpus('ingest - on a real Postfix log', () => {
  it('a log piped in is read as a log (events), not stored as a message', () => {
    const log = gunzipSync(readFileSync(corpusPath('logs', 'postfix', 'pixelpark-postfix-logsums', 'mail.log.gz')));
    const db = path.join(tempDir(), 'd.db');
    const r = runCli(['--db', db, 'ingest', '--json', '-'], { input: log });
    expect(r.code).toBe(0);
    const sum = JSON.parse(r.stdout) as { messages: number; logLines: number; logEvents: number };
    expect(sum.messages).toBe(0);
    expect(sum.logLines).toBe(69861);
    expect(sum.logEvents).toBeGreaterThan(1000);
    expect(kinds(db)).toEqual(['log']);
  });
});
