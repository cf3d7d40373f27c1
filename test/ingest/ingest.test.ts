import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { openStore, type Db } from '../../src/store/db.js';
import { startRun } from '../../src/store/journal.js';
import { readMessageBytes } from '../../src/store/blobs.js';
import { EvidenceReader } from '../../src/store/evidence.js';
import { ingest, type IngestOptions, type IngestPorts } from '../../src/ingest/ingest.js';
import { realIngestPorts } from '../../src/cli/ingest-ports.js';
import { mbox, message, tempDir, writeFiles } from '../helpers/mail.js';

const OPTS: IngestOptions = { headersOnly: false, mboxFormat: 'mboxrd', maxMessageBytes: 10 * 1024 * 1024 };

function setup(): { dir: string; db: Db; ports: (over?: Partial<IngestPorts>) => IngestPorts } {
  const dir = tempDir();
  const db = openStore(path.join(dir, 'case.db'));
  const runId = startRun(db, { at: '2026-11-24T00:00:00.000Z', command: 'test', args: [], toolVersion: 'test' });
  return { dir, db, ports: (over = {}) => ({ ...realIngestPorts(db, { runId, toolVersion: 'test' }), ...over }) };
}

function count(db: Db, table: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

function tableCounts(db: Db): Record<string, number> {
  return Object.fromEntries(['artifacts', 'messages', 'locations', 'hops', 'headers', 'blobs', 'ingest_errors'].map((t) => [t, count(db, t)]));
}

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

describe('ingest', () => {
  it('stores messages, hops and evidence headers, with verifiable compressed bytes', async () => {
    const { dir, db, ports } = setup();
    writeFiles(dir, { 'a.mbox': mbox([message(1), message(2), message(3)]) });
    const sum = await ingest([path.join(dir, 'a.mbox')], OPTS, ports());
    expect(sum).toMatchObject({ files: 1, messages: 3, newMessages: 3, duplicates: 0, errors: 0, unchanged: 0 });
    expect(tableCounts(db)).toMatchObject({ artifacts: 1, messages: 3, locations: 3, hops: 6, blobs: 3, ingest_errors: 0 });
    const row = db.prepare('SELECT sha256, message_id, from_addr, to_addrs, subject, date FROM messages ORDER BY id LIMIT 1').get() as Record<string, string>;
    expect(row).toMatchObject({ message_id: '<m1@sender.test>', from_addr: 'alice@sender.test', to_addrs: '["bob@receiver.test"]', subject: 'message 1', date: '2026-11-02T09:59:50.000Z' });
    const stored = readMessageBytes(db, row.sha256!);
    expect(stored?.intact).toBe(true);
    expect(sha(stored!.bytes)).toBe(row.sha256);
    expect(stored!.bytes.toString()).toBe(message(1));
    const headers = db.prepare('SELECT name FROM headers WHERE message_id = 1').pluck().all();
    expect(headers).toEqual(['authentication-results']);
    const art = db.prepare('SELECT sha256, size FROM artifacts').get() as { sha256: string; size: number };
    expect(art.sha256).toBe(sha(mbox([message(1), message(2), message(3)])));
  });

  it('is idempotent: the same file again adds nothing', async () => {
    const { dir, db, ports } = setup();
    writeFiles(dir, { 'a.mbox': mbox([message(1), message(2)]) });
    await ingest([path.join(dir, 'a.mbox')], OPTS, ports());
    const before = tableCounts(db);
    const sum = await ingest([path.join(dir, 'a.mbox')], OPTS, ports());
    expect(sum).toMatchObject({ files: 1, unchanged: 1, newMessages: 0 });
    expect(tableCounts(db)).toEqual(before);
  });

  it('records every Maildir folder it walks, empty ones too, once per run; the store counts each folder once', async () => {
    const { dir, db, ports } = setup();
    writeFiles(dir, {
      'Maildir/cur/1767607260.M1P100.host.example.test:2,S': message(1),
      'Maildir/new/.keep': '',
      'Maildir/.Junk/cur/.keep': '',
      'Maildir/.Junk/new/.keep': '',
    });
    expect((await ingest([path.join(dir, 'Maildir')], OPTS, ports())).maildirFolders).toBe(2);
    const rows = () => db.prepare('SELECT folder, messages, path FROM maildir_folders ORDER BY id').all();
    expect(rows()).toEqual([
      { folder: 'INBOX', messages: 1, path: path.join(dir, 'Maildir') },
      { folder: 'Junk', messages: 0, path: path.join(dir, 'Maildir', '.Junk') },
    ]);
    await ingest([path.join(dir, 'Maildir')], OPTS, ports());
    expect(rows()).toHaveLength(4);
    expect(new EvidenceReader(db).foldersExamined()).toBe(2);
  });

  it('a skipped file of a known kind keeps its hint (how to read it); an unrecognised one is named without', async () => {
    const { dir, ports } = setup();
    writeFiles(dir, { 'case/invoice.msg': Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'case/notes.txt': 'call bob\n' });
    const seen: Array<[string, string | undefined]> = [];
    const sum = await ingest([path.join(dir, 'case')], OPTS, ports({ onProblem: (p) => seen.push([path.basename(p.path), p.hint?.slice(0, 30)]) }));
    expect(sum).toMatchObject({ skipped: 2, errors: 0 });
    expect(seen).toEqual([['invoice.msg', 'a .msg keeps the headers as te'], ['notes.txt', undefined]]);
  });

  it('records both locations of one message found in two places', async () => {
    const { dir, db, ports } = setup();
    writeFiles(dir, { 'a.mbox': mbox([message(1)]), 'copy.eml': message(1) });
    const sum = await ingest([path.join(dir, 'a.mbox'), path.join(dir, 'copy.eml')], OPTS, ports());
    expect(sum).toMatchObject({ files: 2, messages: 2, newMessages: 1, duplicates: 1 });
    expect(count(db, 'messages')).toBe(1);
    const locs = db.prepare('SELECT a.kind, l.idx, l.offset FROM locations l JOIN artifacts a ON a.id = l.artifact_id ORDER BY a.kind').all();
    expect(locs).toEqual([
      { kind: 'eml', idx: 1, offset: 0 },
      { kind: 'mbox', idx: 1, offset: 'From alice@sender.test Mon Nov  2 10:00:00 2026\n'.length },
    ]);
  });

  it('keeps only header blocks with --headers-only, and upgrades to full bytes when given later', async () => {
    const { dir, db, ports } = setup();
    writeFiles(dir, { 'a.eml': message(1, { body: 'secret body' }), 'b/a.eml': message(1, { body: 'secret body' }) });
    await ingest([path.join(dir, 'a.eml')], { ...OPTS, headersOnly: true }, ports());
    const m = db.prepare('SELECT sha256, stored, body_sha256 FROM messages').get() as { sha256: string; stored: string; body_sha256: string };
    expect(m.sha256).toBe(sha(message(1, { body: 'secret body' })));
    expect(m.stored).toBe('headers');
    expect(m.body_sha256).toBe(sha('secret body\n'));
    const kept = readMessageBytes(db, m.sha256)!;
    expect(kept.bytes.toString()).not.toContain('secret body');
    expect(kept.intact).toBe(true);
    await ingest([path.join(dir, 'b/a.eml')], OPTS, ports());
    const full = readMessageBytes(db, m.sha256)!;
    expect(full.stored).toBe('full');
    expect(full.bytes.toString()).toContain('secret body');
  });

  it('rolls back a file that fails mid-read, keeps earlier files, records the error and goes on', async () => {
    const { dir, db, ports } = setup();
    writeFiles(dir, { '1.mbox': mbox([message(1)]), '2.mbox': mbox([message(2), message(3)]), '3.mbox': mbox([message(4)]) });
    const real = ports();
    const failing = ports({
      read: async function* (input, opts) {
        let n = 0;
        for await (const ev of real.read(input, opts)) {
          if (input.path.endsWith('2.mbox') && ev.type === 'message' && ++n === 2) throw new Error('disk read error');
          yield ev;
        }
      },
    });
    const sum = await ingest(['1.mbox', '2.mbox', '3.mbox'].map((f) => path.join(dir, f)), OPTS, failing);
    expect(sum).toMatchObject({ files: 2, notIngested: 1, errors: 1 });
    const ids = db.prepare('SELECT message_id FROM messages ORDER BY message_id').pluck().all();
    expect(ids).toEqual(['<m1@sender.test>', '<m4@sender.test>']);
    expect(db.prepare('SELECT path FROM artifacts ORDER BY path').pluck().all()).toEqual([path.join(dir, '1.mbox'), path.join(dir, '3.mbox')]);
    const err = db.prepare('SELECT path, position, message FROM ingest_errors').get();
    expect(err).toEqual({ path: path.join(dir, '2.mbox'), position: 'file', message: 'not ingested: disk read error' });
  });

  it('records a missing path and an unrecognised file as errors without stopping', async () => {
    const { dir, db, ports } = setup();
    writeFiles(dir, { 'notes.bin': Buffer.from([0, 1, 2, 3, 255, 254]), 'ok.eml': message(5) });
    const problems: string[] = [];
    const sum = await ingest([path.join(dir, 'missing.eml'), path.join(dir, 'notes.bin'), path.join(dir, 'ok.eml')], OPTS, ports({ onProblem: (p) => problems.push(`${path.basename(p.path)}: ${p.message}`) }));
    expect(sum).toMatchObject({ files: 1, notIngested: 2, messages: 1, errors: 2 });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^missing\.eml: /);
    expect(problems[1]).toMatch(/^notes\.bin: .*not recognised/);
    expect(count(db, 'ingest_errors')).toBe(2);
  });

  it('records a too-large message with its position and keeps the others', async () => {
    const { dir, db, ports } = setup();
    writeFiles(dir, { 'a.mbox': mbox([message(1), message(2, { body: 'x'.repeat(5000) }), message(3)]) });
    const sum = await ingest([path.join(dir, 'a.mbox')], { ...OPTS, maxMessageBytes: 2000 }, ports());
    expect(sum).toMatchObject({ messages: 2, errors: 1 });
    const err = db.prepare('SELECT position, byte_offset AS off, artifact_sha256 AS sha FROM ingest_errors').get() as { position: string; off: number; sha: string };
    expect(err.position).toMatch(/message #2/);
    expect(err.off).toBeGreaterThan(0);
    expect(err.sha).toMatch(/^[0-9a-f]{64}$/);
  });
});
