// A kill -9 in the middle of a file leaves the store exactly as it was before that file.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { openStore } from '../../src/store/db.js';
import { BIN, runCli } from '../helpers/cli.js';
import { mbox, message, tempDir } from '../helpers/mail.js';

describe('ingest killed mid-file', () => {
  it('keeps earlier files and nothing of the killed one', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'case.db');
    writeFileSync(path.join(dir, 'first.eml'), message(1));
    expect(runCli(['--db', db, 'ingest', path.join(dir, 'first.eml')]).code).toBe(0);
    // ~120 MB of incompressible bodies: the transaction spills pages into the WAL long before it commits.
    const big = path.join(dir, 'big.mbox');
    writeFileSync(big, mbox(Array.from({ length: 3000 }, (_, i) => message(i + 10, { body: randomBytes(30_000).toString('base64').replace(/.{76}/g, '$&\n') }))));
    const walBefore = statSync(db + '-wal', { throwIfNoEntry: false })?.size ?? 0;

    const child = spawn(process.execPath, [BIN, '--db', db, 'ingest', big], { stdio: 'ignore' });
    let exited = false;
    child.on('exit', () => (exited = true));
    const deadline = Date.now() + 30_000;
    // Bounded wait until the transaction has spilled pages into the WAL, then kill without warning.
    while (!exited && Date.now() < deadline) {
      const wal = statSync(db + '-wal', { throwIfNoEntry: false })?.size ?? 0;
      if (wal > walBefore + 2 * 1024 * 1024) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(exited, 'ingest finished before it could be killed: make the file larger').toBe(false);
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));

    const store = openStore(db);
    expect(store.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(store.prepare('SELECT path FROM artifacts').pluck().all()).toEqual([path.join(dir, 'first.eml')]);
    expect(store.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(1);
    expect(store.prepare('SELECT count(*) FROM locations').pluck().get()).toBe(1);
    // The killed run is journaled (its start was committed), with no outcome.
    const runs = store.prepare('SELECT j.command, o.exit_code AS code FROM journal j LEFT JOIN journal_outcomes o ON o.run_id = j.id ORDER BY j.id').all();
    expect(runs).toEqual([
      { command: 'ingest', code: 0 },
      { command: 'ingest', code: null },
    ]);
    store.close();
    // And a re-run completes the job.
    expect(runCli(['--db', db, 'ingest', big]).code).toBe(0);
  }, 120_000);
});
