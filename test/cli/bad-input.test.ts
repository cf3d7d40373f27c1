// The bad-input list, through the built CLI: each problem is one line naming the file and
// position, the rest of the batch is ingested, earlier data is untouched, exit code 2.
import { describe, expect, it } from 'vitest';
import { chmodSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { openStore } from '../../src/store/db.js';
import { expectCleanStderr, runCli } from '../helpers/cli.js';
import { mbox, message, tempDir, writeFiles } from '../helpers/mail.js';

describe('bad input', () => {
  it('reports each bad file or message in one line and keeps everything else', () => {
    const dir = tempDir();
    const db = path.join(dir, 'case.db');
    writeFiles(dir, { 'earlier.eml': message(1) });
    expect(runCli(['--db', db, 'ingest', path.join(dir, 'earlier.eml')]).code).toBe(0);

    const received = Array.from({ length: 10_000 }, (_, i) => `Received: from h${i}.example.test by h${i + 1}.example.test with ESMTP id Q${i}; Mon, 2 Nov 2026 10:00:00 +0000`).join('\n');
    writeFiles(dir, {
      'batch/truncated.mbox': mbox([message(2)]) + 'From x Mon Nov  2 10:00:00 2026\nSubject: cut',
      'batch/many-received.eml': `${received}\nMessage-ID: <loop@example.test>\n\nbody\n`,
      'batch/invalid-utf8.eml': Buffer.concat([Buffer.from('Subject: caf'), Buffer.from([0xe9, 0xff]), Buffer.from('\nMessage-ID: <latin@example.test>\n\nbody\n')]),
      'batch/huge-header.eml': Buffer.concat([Buffer.from('Message-ID: <huge@example.test>\n'), Buffer.alloc(50 * 1024 * 1024, 'X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n'), Buffer.from('\nbody\n')]),
    });
    const garbage = path.join(dir, 'garbage.bin');
    writeFileSync(garbage, Buffer.from([0x00, 0xff, 0x13, 0x37, 0x00, 0x01, 0x02]));
    const locked = path.join(dir, 'batch', 'locked');
    mkdirSync(locked);
    writeFileSync(path.join(locked, 'secret.eml'), message(9));
    chmodSync(locked, 0o000);

    const r = runCli(['--db', db, 'ingest', path.join(dir, 'batch'), garbage, path.join(dir, 'does-not-exist')]);
    chmodSync(locked, 0o755);
    expect(r.code).toBe(2);
    expectCleanStderr(r.stderr);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('mailtrail: '));
    const about = (name: string) => lines.filter((l) => l.includes(name));
    expect(about('truncated.mbox')).toHaveLength(1);
    expect(about('truncated.mbox')[0]).toMatch(/message #2/);
    expect(about('huge-header.eml')).toHaveLength(1);
    expect(about('huge-header.eml')[0]).toMatch(/header block longer than .* message #1/);
    expect(about('garbage.bin')).toHaveLength(1);
    expect(about('does-not-exist')).toHaveLength(1);
    // As root a mode-000 directory is still readable, so it cannot fail here; as a normal user it is one line.
    expect(about('locked').length).toBe(process.getuid?.() === 0 ? 0 : 1);

    const store = openStore(db);
    const ids = store.prepare('SELECT message_id FROM messages ORDER BY message_id').pluck().all();
    expect(ids).toEqual(expect.arrayContaining(['<m1@sender.test>', '<m2@sender.test>', '<loop@example.test>', '<latin@example.test>', '<huge@example.test>']));
    expect(store.prepare("SELECT count(*) FROM hops h JOIN messages m ON m.id = h.message_id WHERE m.message_id = '<loop@example.test>'").pluck().get()).toBe(10_000);
    expect(store.prepare("SELECT subject FROM messages WHERE message_id = '<latin@example.test>'").pluck().get()).toBe('café\u00ff');
    expect(store.prepare('SELECT count(*) FROM ingest_errors').pluck().get()).toBeGreaterThanOrEqual(4);
    store.close();
  }, 120_000);
});
