// Dovecot logs through the log reader: detection of Dovecot's own log_path file, a Postfix mail.log with
// `dovecot:` lines staying Postfix (mixed) with its Dovecot lines read, and `--format dovecot`.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../../src/model/log-event.js';
import type { SourceProblem } from '../../../src/model/source.js';
import { looksLikeLog } from '../../../src/sources/logs/adapter.js';
import { detectLogFormat } from '../../../src/sources/logs/detect.js';
import { readLog, type LogReadOptions } from '../../../src/sources/logs/read-log.js';
import { fixturePath } from '../../helpers/corpus.js';
import { tempDir } from '../../helpers/mail.js';

const RECEIVER = fixturePath('logs', 'dovecot-receiver.log');
const SENDER = fixturePath('logs', 'dovecot-sender.log');
const dir = tempDir('mailtrail-dovecot-');

async function read(file: string, opts: LogReadOptions = {}) {
  const events: LogEvent[] = [];
  const problems: SourceProblem[] = [];
  const r = await readLog(file, { year: 2026, tz: 0, ...opts }, { event: (e) => events.push(e), problem: (p) => problems.push(p) });
  return { r, events, problems };
}

// A receiving host's syslog mail.log: Postfix hands the message to Dovecot over LMTP, Dovecot (through syslog,
// program `dovecot`, no level word) saves it; more Dovecot lines than Postfix lines.
const MIXED = [
  'Nov 24 18:30:00 mx postfix/smtpd[23908]: 4jYrvX73k8zC3DR: client=unknown[127.0.0.2]',
  'Nov 24 18:30:00 mx postfix/cleanup[23924]: 4jYrvX73k8zC3DR: message-id=<94b7@sender.test>',
  'Nov 24 18:30:01 mx dovecot: lmtp(23930): Connect from local',
  'Nov 24 18:30:01 mx dovecot: lmtp(bob@receiver.test)<23930><kPbNFb3XBWt6XQAAg+zDdQ>: save: box=INBOX, uid=4, msgid=<94b7@sender.test>, size=1373',
  'Nov 24 18:30:01 mx dovecot: lmtp(bob@receiver.test)<23930><kPbNFb3XBWt6XQAAg+zDdQ>: msgid=<94b7@sender.test>: saved mail to INBOX',
  'Nov 24 18:30:01 mx dovecot: lmtp(23930): Disconnect from local: Logged out (state=READY)',
  'Nov 24 18:30:01 mx postfix/lmtp[23926]: 4jYrvX73k8zC3DR: to=<bob@receiver.test>, relay=mx.receiver.test[/run/dovecot/lmtp], delay=0.13, delays=0.13/0/0/0, dsn=2.0.0, status=sent (250 2.0.0 <bob@receiver.test> kPbNFb3XBWt6XQAAg+zDdQ Saved)',
  'Nov 24 18:30:05 mx dovecot: imap-login: Login: user=<bob@receiver.test>, method=PLAIN, rip=127.0.0.1, lip=127.0.0.3, mpid=1, session=<x>',
  'Nov 24 18:30:06 mx dovecot: imap(bob@receiver.test)<24001><MO+mCMBhUtB/AAAB>: expunge: box=INBOX, uid=4, msgid=<94b7@sender.test>, size=1373',
].join('\n') + '\n';
writeFileSync(path.join(dir, 'mail.log'), MIXED);

describe('detecting a Dovecot log', () => {
  it('the lab log_path files are Dovecot logs, read whole with no bad line', async () => {
    for (const f of [RECEIVER, SENDER]) {
      expect(detectLogFormat(readFileSync(f, 'utf8').split('\n')).format).toBe('dovecot');
      expect(looksLikeLog(readFileSync(f))).toBe(true);
    }
    const { r, events, problems } = await read(RECEIVER);
    expect(problems).toEqual([]);
    expect(r).toMatchObject({ format: 'dovecot', formatSource: 'detected', lines: 21, events: 8, badLines: 0 });
    expect(events.every((e) => e.format === 'dovecot')).toBe(true);
    expect(events.map((e) => e.line)).toEqual([6, 7, 10, 11, 14, 15, 18, 19]);
    // Byte offsets cite the line.
    const bytes = readFileSync(RECEIVER);
    const e = events.find((x) => x.line === 15)!;
    expect(bytes.toString('utf8', e.offset, bytes.indexOf(10, e.offset))).toContain('Info: expunge: box=INBOX, uid=1');
    // Only the LMTP lines carry a recipient; the IMAP delete and expunge name bob as the account.
    expect(events.map((e) => [e.line, e.program, e.to])).toEqual([
      [6, 'lmtp', 'dave@receiver.test'], [7, 'lmtp', 'dave@receiver.test'], [10, 'lmtp', 'bob@receiver.test'], [11, 'lmtp', 'bob@receiver.test'],
      [14, 'imap', null], [15, 'imap', null], [18, 'lmtp', 'dave@receiver.test'], [19, 'lmtp', 'dave@receiver.test'],
    ]);
    expect(e.detail).toBe("expunged from mailbox 'INBOX' uid 1, account bob@receiver.test");
  });

  it("the lab sender log: alice's IMAP save into Sent makes her no recipient (to null, account in the detail)", async () => {
    const { r, events, problems } = await read(SENDER);
    expect(problems).toEqual([]);
    expect(r).toMatchObject({ format: 'dovecot', formatSource: 'detected', events: 1, badLines: 0 });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ line: 6, program: 'imap', to: null, status: null, detail: "saved to mailbox 'Sent' uid 1, account alice@sender.test" });
  });

  it('a Postfix mail.log with (even mostly) `dovecot:` lines is still Postfix', () => {
    const d = detectLogFormat(MIXED.split('\n'));
    expect(d.format).toBe('postfix');
    expect(d.scores.dovecot).toBeGreaterThan(d.scores.postfix!);
  });

  it("a mixed mail.log's Dovecot lines become dovecot events next to the Postfix ones", async () => {
    const { r, events, problems } = await read(path.join(dir, 'mail.log'));
    expect(problems).toEqual([]);
    expect(r.format).toBe('postfix');
    expect(events.map((e) => [e.line, e.format, e.status])).toEqual([
      [1, 'postfix', 'received'], [2, 'postfix', null], [4, 'dovecot', null], [5, 'dovecot', 'delivered'],
      [7, 'postfix', 'delivered'], [9, 'dovecot', null],
    ]);
    const lmtp = events.find((e) => e.format === 'postfix' && e.line === 7)!;
    const saved = events.find((e) => e.line === 5)!;
    // The join key of the trail: Postfix's LMTP reply names Dovecot's session, which is the Dovecot queue id.
    expect(lmtp.remoteQueueId).toBe(saved.queueId);
    expect(saved).toMatchObject({ host: 'mx', program: 'lmtp', to: 'bob@receiver.test', messageId: '94b7@sender.test', detail: "saved to mailbox 'INBOX'" });
    // The IMAP expunge names bob as the mailbox's account, not as a recipient.
    expect(events.find((e) => e.line === 9)).toMatchObject({ program: 'imap', queueId: null, to: null, detail: "expunged from mailbox 'INBOX' uid 4, account bob@receiver.test" });
  });

  it('--format dovecot reads only the Dovecot lines; --format postfix only the Postfix ones', async () => {
    const f = path.join(dir, 'mail.log');
    expect((await read(f, { format: 'dovecot' })).events.map((e) => e.line)).toEqual([4, 5, 9]);
    expect((await read(f, { format: 'postfix' })).events.map((e) => e.line)).toEqual([1, 2, 7]);
  });
});

