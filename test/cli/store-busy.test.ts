// Every command journals itself, so even a read-only one needs the store's write lock for a moment; an ingest
// holds that lock while it stores each file. A second command waits for it, saying so, instead of failing with
// SQLite's bare "database is locked" after 5 s.
import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/corpus.js';
import { message, tempDir, writeFiles } from '../helpers/mail.js';

describe('a store another command is writing to', () => {
  it('a second command waits for the lock, says so on stderr, then runs', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'a.eml': message(1) });
    const db = path.join(dir, 'case.db');
    expect(runCli(['--db', db, 'ingest', path.join(dir, 'a.eml')]).code).toBe(0);

    // Play the long ingest: hold the write lock for 1.5 s.
    const holder = new Database(db);
    holder.exec('BEGIN IMMEDIATE');
    const child = spawn(process.execPath, [BIN, '--db', db, 'sources', '--json'], { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const done = new Promise<number | null>((res) => child.on('close', res));
    // Bounded wait until the child has said it is waiting.
    const deadline = Date.now() + 20_000;
    while (!stderr.includes('waiting') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(stderr).toBe(`mailtrail: another command is writing to the evidence store; waiting for it (up to 60 s): ${db}\n`);
    await new Promise((r) => setTimeout(r, 1500));
    holder.exec('COMMIT');
    holder.close();

    expect(await done).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ totals: { sources: 1, messages: 1 } });
  }, 30_000);
});
