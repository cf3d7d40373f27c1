// End-to-end: the built CLI, spawned as a user runs it. Asserts stdout, stderr and exit codes.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { z } from 'zod';
import { mbox, message, tempDir, writeFiles } from '../helpers/mail.js';
import { expectCleanStderr, runCli } from '../helpers/cli.js';

const SourcesSchema = z.object({
  schemaVersion: z.literal(1),
  sources: z.array(z.object({ path: z.string(), kind: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), size: z.number().int(), messages: z.number().int() })),
  totals: z.object({ sources: z.number().int(), messages: z.number().int() }),
});

const HopsSchema = z.object({
  schemaVersion: z.literal(1),
  message: z.object({ messageId: z.string().nullable(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  hops: z.array(
    z.object({
      index: z.number().int(),
      fromHost: z.string().nullable(),
      fromIp: z.string().nullable(),
      helo: z.string().nullable(),
      byHost: z.string().nullable(),
      with: z.string().nullable(),
      id: z.string().nullable(),
      for: z.string().nullable(),
      date: z.string().nullable(),
      delaySeconds: z.number().nullable(),
      tls: z.boolean().nullable(),
      raw: z.string(),
      warnings: z.array(z.string()),
    }),
  ),
});

describe('mailtrail CLI', () => {
  it('prints help with every command and the exit codes', () => {
    const r = runCli(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['ingest', 'hops', 'sources']) expect(r.stdout).toContain(cmd);
    expect(r.stdout).toContain('Exit codes:');
    for (const cmd of ['ingest', 'hops', 'sources']) {
      const h = runCli([cmd, '--help']);
      expect(h.code).toBe(0);
      expect(h.stdout).toContain('Examples:');
    }
  });

  it('ingests a directory, reports bad files one line each, exits 2 and keeps the rest', () => {
    const dir = tempDir();
    writeFiles(dir, {
      'in/a.mbox': mbox([message(1), message(2)]),
      'in/b.eml': message(2),
      'in/junk.bin': Buffer.from([0, 159, 146, 150, 0, 1]),
    });
    const db = path.join(dir, 'case.db');
    const r = runCli(['--db', db, 'ingest', path.join(dir, 'in'), path.join(dir, 'nope.eml')]);
    expect(r.code).toBe(2);
    expectCleanStderr(r.stderr);
    const errLines = r.stderr.split('\n').filter((l) => l.startsWith('mailtrail: '));
    expect(errLines).toHaveLength(2);
    expect(errLines.some((l) => l.includes('junk.bin'))).toBe(true);
    expect(errLines.some((l) => l.includes('nope.eml'))).toBe(true);
    expect(r.stdout).toMatch(/ingested 2 file\(s\), 1 not ingested: 3 message\(s\), 2 new, 1 already stored/);

    const s = runCli(['--db', db, 'sources', '--json']);
    expect(s.code).toBe(0);
    const doc = SourcesSchema.parse(JSON.parse(s.stdout));
    expect(doc.totals).toEqual({ sources: 2, messages: 2 });
    expect(doc.sources.map((x) => [path.basename(x.path), x.kind, x.messages])).toEqual([
      ['a.mbox', 'mbox', 2],
      ['b.eml', 'eml', 1],
    ]);
    // The same inputs give the same bytes.
    expect(runCli(['--db', db, 'sources', '--json']).stdout).toBe(s.stdout);
    const t = runCli(['--db', db, 'sources']);
    expect(t.stdout).toContain('2 source(s), 2 distinct message(s)');
  });

  it('a Maildir with every folder empty: no file, but the folders examined are counted, not silently nothing', () => {
    const dir = tempDir();
    writeFiles(dir, { 'Maildir/cur/.keep': '', 'Maildir/new/.keep': '', 'Maildir/.Junk/cur/.keep': '', 'Maildir/.Junk/new/.keep': '' });
    const r = runCli(['--db', path.join(dir, 'e.db'), 'ingest', path.join(dir, 'Maildir')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('ingested 0 file(s): 0 message(s), 0 new, 0 already stored, 0 file(s) unchanged, 0 skipped, 0 error(s)\nMaildir folders examined: 2 (empty ones included)\n');
    // `sources` shows them too: no source, but two folders looked at, and --json names them.
    expect(runCli(['--db', path.join(dir, 'e.db'), 'sources']).stdout).toMatch(/\n0 source\(s\), 0 distinct message\(s\); store schema v\d+\n2 Maildir folder\(s\) examined, 2 of them empty when walked \(--json lists them\)\n$/);
    const doc = JSON.parse(runCli(['--db', path.join(dir, 'e.db'), 'sources', '--json']).stdout) as { maildirFolders: Array<{ path: string; folder: string; messages: number }> };
    expect(doc.maildirFolders.map((f) => [path.relative(dir, f.path), f.folder, f.messages])).toEqual([['Maildir', 'INBOX', 0], [path.join('Maildir', '.Junk'), 'Junk', 0]]);
    // A file left in tmp/ is a delivery that did not finish: named and counted as skipped, never read as delivered.
    writeFiles(dir, { 'Maildir/tmp/1767607440.M4P100.host.example.test': message(9) });
    const t = runCli(['--db', path.join(dir, 't.db'), 'ingest', path.join(dir, 'Maildir')]);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toMatch(/: 0 message\(s\), .*, 1 skipped, 0 error\(s\)\n/);
    expect(t.stderr).toBe(`mailtrail: skipped: in a Maildir tmp/, a delivery started and not finished (complete ones are moved to new/): ${path.join(dir, 'Maildir', 'tmp', '1767607440.M4P100.host.example.test')}\n`);
    const inv = runCli(['--db', path.join(dir, 'i.db'), 'investigate', path.join(dir, 'Maildir')]);
    expect(inv.stderr).toContain('mailtrail: 1 file(s) in a Maildir tmp/ skipped: deliveries started and not finished, not read as delivered: ');
  });

  it('shows the hops of a message file, of stdin, and of a stored message', () => {
    const dir = tempDir();
    writeFiles(dir, { 'm.eml': message(3) });
    const file = runCli(['hops', '--json', path.join(dir, 'm.eml')]);
    expect(file.code).toBe(0);
    const doc = HopsSchema.parse(JSON.parse(file.stdout));
    expect(doc.hops.map((h) => [h.index, h.byHost, h.id, h.delaySeconds, h.tls])).toEqual([
      [0, 'mx.sender.test', 'S3', null, true],
      [1, 'mx.receiver.test', 'Q3', 10, true],
    ]);
    const stdin = runCli(['hops', '--json', '-'], { input: message(3) });
    expect(stdin.stdout).toBe(file.stdout);
    const db = path.join(dir, 'case.db');
    expect(runCli(['--db', db, 'ingest', path.join(dir, 'm.eml')]).code).toBe(0);
    const stored = runCli(['--db', db, 'hops', '--json', '--message-id', '<m3@sender.test>']);
    expect(stored.code).toBe(0);
    expect(stored.stdout).toBe(file.stdout);
    const table = runCli(['hops', path.join(dir, 'm.eml')]);
    expect(table.stdout).toMatch(/│ mx\.receiver\.\s+│/); // a host name wraps after a dot, not inside a label
    expect(table.stdout).toContain('ESMTPSA');
    // No hop has a warning: no empty warnings column taking width from the host names.
    expect(table.stdout).toMatch(/│ TLS │\n/);
    // Not a terminal: tables fit 80 columns (the first line is the message's identity, not the table).
    expect(table.stdout.split('\n').slice(1).every((l) => l.length <= 80)).toBe(true);
  });

  it('gives one clear line and exit 2 for usage and input errors', () => {
    const dir = tempDir();
    const cases: [string[], RegExp][] = [
      [['hops', path.join(dir, 'missing.eml')], /missing\.eml/],
      [['--db', path.join(dir, 'none.db'), 'sources'], /cannot open the evidence store/],
      [['ingest', '--bogus'], /unknown option/],
      [['frobnicate'], /unknown command/],
      [['hops'], /which message\?/],
    ];
    for (const [args, re] of cases) {
      const r = runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(re);
      expect(r.stderr.startsWith('mailtrail: ')).toBe(true);
      expectCleanStderr(r.stderr);
      expect(r.stdout).toBe('');
    }
  });

  it('hops and verify on an Outlook .msg: what it is, and how to get the message, in one line and a hint', () => {
    const dir = tempDir();
    writeFiles(dir, { 'invoice.msg': Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]) });
    for (const cmd of ['hops', 'verify']) {
      const r = runCli([cmd, path.join(dir, 'invoice.msg')]);
      expect(r.code, cmd).toBe(2);
      expect(r.stderr.split('\n')[0]).toMatch(/^mailtrail: an Outlook \.msg item \(an OLE2 compound file\), not a message or mailbox format mailtrail reads: /);
      expect(r.stderr.split('\n')[1]).toMatch(/^hint: a \.msg keeps the headers as text but not the message as sent/);
      expectCleanStderr(r.stderr);
    }
  });

  it('asks which message when an mbox holds several', () => {
    const dir = tempDir();
    writeFiles(dir, { 'a.mbox': mbox([message(1), message(2)]) });
    const r = runCli(['hops', path.join(dir, 'a.mbox')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/holds 2 messages/);
    expect(r.stderr).toMatch(/hint: choose one with --message N/);
    const two = runCli(['hops', '--json', '--message', '2', path.join(dir, 'a.mbox')]);
    expect(JSON.parse(two.stdout).message.messageId).toBe('<m2@sender.test>');
  });
});
