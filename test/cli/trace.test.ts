// `mailtrail trace` through the built CLI on a real two-server case: table, --json (stable bytes), --from/--to,
// usage errors, and ingest's exit 2 on a log with a bad line.
import path from 'node:path';
import { writeFileSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectCleanStderr, runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/corpus.js';
import { tempDir } from '../helpers/mail.js';

const MID = '<94b73a13-ec62-4083-8b7b-9aefa7640ea8@sender.test>';

describe('mailtrail trace', () => {
  const db = path.join(tempDir(), 'case.db');
  beforeAll(() => {
    const r = runCli(['--db', db, 'ingest', '--year', '2026', '--tz', 'UTC', fixturePath('cases', 'delivered-inbox')]);
    expect(r.code).toBe(0);
  });

  it('--json: schemaVersion 1, events in time order with source, links by key; same bytes twice', () => {
    const a = runCli(['--db', db, 'trace', '--message-id', MID, '--json']);
    const b = runCli(['--db', db, 'trace', '--message-id', MID.slice(1, -1), '--json']);
    expect(a.code).toBe(0);
    expectCleanStderr(a.stderr);
    const doc = JSON.parse(a.stdout);
    expect(JSON.parse(b.stdout).events).toEqual(doc.events);
    expect(runCli(['--db', db, 'trace', '--message-id', MID, '--json']).stdout).toBe(a.stdout);
    expect(doc.schemaVersion).toBe(1);
    const times = doc.events.map((e: { time: string }) => e.time);
    expect([...times].sort()).toEqual(times);
    for (const e of doc.events) {
      for (const k of ['time', 'source', 'host', 'queueId', 'messageId', 'from', 'to', 'status', 'remoteQueueId', 'links']) expect(e).toHaveProperty(k);
    }
    const sent = doc.events.find((e: { status: string; remoteQueueId: string }) => e.status === 'sent' && e.remoteQueueId === '4jYrvX73k8zC3DR');
    expect(sent.source).toMatchObject({ path: expect.stringMatching(/sender\/mail\.log$/), line: 18, offsetsIn: 'file' });
    expect(sent.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    // The cited line is re-readable at its byte offset.
    const bytes = readFileSync(sent.source.path);
    expect(bytes.toString('utf8', sent.source.offset, bytes.indexOf(10, sent.source.offset))).toContain('status=sent (250 2.0.0 Ok: queued as 4jYrvX73k8zC3DR)');
    const target = doc.events.find((e: { id: string }) => e.id === sent.links.find((l: { key: string }) => l.key === 'remote-queue-id').event);
    expect(target).toMatchObject({ queueId: '4jYrvX73k8zC3DR', status: 'received', source: { path: expect.stringMatching(/receiver\/mail\.log$/) } });
    const hop = doc.events.find((e: { kind: string; queueId: string }) => e.kind === 'received-header' && e.queueId === '4jYrvX73k8zC3DR');
    expect(hop.links.some((l: { key: string }) => l.key === 'received-id')).toBe(true);
    expect(doc.sources).toHaveLength(2);
  });

  it('table fits 80 columns; --from/--to with a time window finds the same message', () => {
    const t = runCli(['--db', db, 'trace', '--message-id', MID]);
    expect(t.code).toBe(0);
    for (const line of t.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(t.stdout).toContain('4jYrvX73k8zC3DR');
    // The short columns hold their words whole: an assumed time with its `*`, a program name, a status.
    expect(t.stdout).toMatch(/│ 11-24 \d\d:\d\d:\d\d\* │/);
    for (const word of ['cleanup', 'received', 'delivered']) expect(t.stdout).toMatch(new RegExp(`│ ${word} +│`));
    const q = runCli(['--db', db, 'trace', '--from', 'alice@sender.test', '--to', 'bob@receiver.test', '--since', '2026-11-24', '--until', '2026-11-24', '--json']);
    const ids = new Set(JSON.parse(q.stdout).events.map((e: { queueId: string }) => e.queueId));
    expect(ids.has('DCE5F1664CE') && ids.has('4jYrvX73k8zC3DR')).toBe(true);
  });

  it('shows the SMTP AUTH login of the submission: `detail` in --json, `login=` in the table', () => {
    const doc = JSON.parse(runCli(['--db', db, 'trace', '--message-id', MID, '--json']).stdout);
    type Ev = { kind: string; queueId: string; status: string; detail: string | null };
    const received = (qid: string): Ev | undefined => doc.events.find((e: Ev) => e.kind === 'log' && e.queueId === qid && e.status === 'received');
    const sub = received('DCE5F1664CE');
    expect(sub).toMatchObject({ program: 'postfix/submission/smtpd', client: 'unknown[127.0.0.1]', detail: 'authenticated (PLAIN) as alice@sender.test', source: { line: 14 } });
    // The receiving server's smtpd took it from the sender's server without SMTP AUTH.
    expect(received('4jYrvX73k8zC3DR')?.detail).toBeNull();
    const t = runCli(['--db', db, '--color', 'never', 'trace', '--message-id', MID]);
    expect(t.stdout.replace(/[│\s]+/g, ' ')).toMatch(/login=alice@ ?sender\.test ?\(PLAIN\)/);
  });

  it('nothing matches: names each log searched and whether it covers the window, so silence is weighed', () => {
    // never-sent: both servers' logs cover the claimed window and show nothing from alice to bob.
    const ns = path.join(tempDir(), 'never-sent.db');
    expect(runCli(['--db', ns, 'ingest', '--year', '2026', '--tz', 'UTC', fixturePath('cases', 'never-sent')]).code).toBe(0);
    const ask = (since: string, until: string) => runCli(['--db', ns, 'trace', '--from', 'alice@sender.test', '--to', 'bob@receiver.test', '--since', since, '--until', until]);
    const inside = ask('2026-11-24T18:30:54Z', '2026-11-24T18:31:00Z');
    expect(inside.code).toBe(0);
    expect(inside.stdout).toBe('');
    const lines = inside.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('mailtrail: no log events match; 2 log source(s) searched:');
    expect(lines.slice(1, 3)).toEqual([
      expect.stringMatching(/^ {2}covered: \S+never-sent\/receiver\/mail\.log covers 2026-11-24 18:30:53 UTC to 2026-11-24 18:31:00 UTC without a gap around .+ \(year or zone assumed\)$/),
      expect.stringMatching(/^ {2}covered: \S+never-sent\/sender\/mail\.log covers 2026-11-24 18:30:52 UTC/),
    ]);
    expect(lines[3]).toMatch(/^ {2}2 of 2 log\(s\) cover the whole window without a gap/);
    // A window reaching before the logs begin: their silence proves nothing, and the output says so.
    const before = ask('2026-11-24T18:29:00Z', '2026-11-24T18:31:00Z').stderr;
    expect(before).toMatch(/not covered: \S+receiver\/mail\.log covers only 2026-11-24 18:30:53 UTC to 2026-11-24 18:31:00 UTC, not all of 2026-11-24 18:29:00 UTC/);
    expect(before).toMatch(/No log covers the whole window without a gap: their silence does not show the message was not handled\.\n$/);
    // No window: each log's span, and what that means.
    const open = runCli(['--db', ns, 'trace', '--message-id', '<nobody@nowhere.test>']).stderr;
    expect(open).toMatch(/^ {2}\S+sender\/mail\.log \(postfix\): 2026-11-24 18:30:52 UTC to 2026-11-24 18:31:00 UTC \(year or zone assumed\)$/m);
    expect(open).toMatch(/No --since\/--until window to judge/);
  });

  it('no question is a usage error (exit 2, one line, hint)', () => {
    const r = runCli(['--db', db, 'trace']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^mailtrail: trace needs --message-id/);
    expectCleanStderr(r.stderr);
  });

  it('ingest of a log with a bad line: file and line on stderr, exit 2, the good lines stored', () => {
    const dir = tempDir();
    const lines = readFileSync(fixturePath('cases', 'delivered-inbox', 'sender', 'mail.log'), 'utf8').split('\n');
    lines.splice(3, 0, '\u0001\u0002 garbage');
    writeFileSync(path.join(dir, 'mail.log'), lines.join('\n'));
    const d2 = path.join(dir, 'x.db');
    const r = runCli(['--db', d2, 'ingest', '--year', '2026', path.join(dir, 'mail.log')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/mailtrail: not a log line \(no syslog prefix\): .*mail\.log line 4/);
    expectCleanStderr(r.stderr);
    const t = runCli(['--db', d2, 'trace', '--message-id', MID, '--json']);
    expect(JSON.parse(t.stdout).events.length).toBe(5);
  });
});
