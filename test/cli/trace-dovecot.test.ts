// A real Dovecot log (the lab's 2.3.19 log_path file, fixtures/logs/dovecot-receiver.log) through the built CLI:
// ingest detects it, and `trace --message-id` lists the LMTP save, the delivery, the IMAP delete and expunge of
// that message, each citing its line and byte offset (bob is the recipient of the LMTP lines, the account of the IMAP ones).
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectCleanStderr, runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/corpus.js';
import { tempDir } from '../helpers/mail.js';

const MID = '<29da4bba-6e29-4932-931e-2ca34ba3a16f@sender.test>';
const LOG = fixturePath('logs', 'dovecot-receiver.log');

interface Ev { kind: string; format: string; program: string; status: string | null; detail: string | null; queueId: string | null; to: string | null; messageId: string | null; source: { path: string; line: number; offset: number; sha256: string } }

describe('mailtrail trace on a Dovecot log', () => {
  const db = path.join(tempDir(), 'dovecot.db');
  beforeAll(() => {
    const r = runCli(['--db', db, 'ingest', LOG, '--year', '2026', '--tz', 'UTC']);
    expectCleanStderr(r.stderr);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('log events stored: 8');
  });

  it('--json lists the save, the delivery, the delete and the expunge with their source lines', () => {
    const r = runCli(['--db', db, 'trace', '--message-id', MID, '--json']);
    expect(r.code).toBe(0);
    expectCleanStderr(r.stderr);
    const events = (JSON.parse(r.stdout) as { events: Ev[] }).events;
    expect(events.map((e) => [e.source.line, e.format, e.program, e.status, e.detail])).toEqual([
      [10, 'dovecot', 'lmtp', null, "saved to mailbox 'INBOX' uid 1"],
      [11, 'dovecot', 'lmtp', 'delivered', "saved to mailbox 'INBOX'"],
      [14, 'dovecot', 'imap', null, "marked \\Deleted in mailbox 'INBOX' uid 1, account bob@receiver.test"],
      [15, 'dovecot', 'imap', null, "expunged from mailbox 'INBOX' uid 1, account bob@receiver.test"],
    ]);
    for (const e of events) expect(e.messageId).toBe(MID.slice(1, -1));
    // Only the LMTP delivery names bob as the recipient; the IMAP steps name him as the mailbox's account.
    expect(events.map((e) => e.to)).toEqual(['bob@receiver.test', 'bob@receiver.test', null, null]);
    expect(events.slice(0, 2).map((e) => e.queueId)).toEqual(['8I0kMGDHEWvNBgAAg+zDdQ', '8I0kMGDHEWvNBgAAg+zDdQ']);
    // Dave's messages in the same file are not part of this trail.
    expect(events.some((e) => e.to === 'dave@receiver.test')).toBe(false);
    // Each cited line is re-readable at its byte offset.
    const bytes = readFileSync(LOG);
    const at = (e: Ev): string => bytes.toString('utf8', e.source.offset, bytes.indexOf(10, e.source.offset));
    expect(at(events[2]!)).toContain('imap(bob@receiver.test)<1781><MO+mCMBhUtB/AAAB>: Info: delete: box=INBOX, uid=1');
    expect(at(events[3]!)).toContain('Info: expunge: box=INBOX, uid=1');
    expect(new Set(events.map((e) => e.source.sha256)).size).toBe(1);
  });

  it("the trace's sources say the file was read as a (detected) Dovecot log", () => {
    const doc = JSON.parse(runCli(['--db', db, 'trace', '--message-id', MID, '--json']).stdout) as { sources: Array<{ path: string; format: string }> };
    expect(doc.sources).toEqual([expect.objectContaining({ path: expect.stringMatching(/dovecot-receiver\.log$/), format: 'dovecot' })]);
  });
});
