// parseDovecotLine on the lab's real Dovecot 2.3.19 logs (fixtures/logs/dovecot-*.log: log_path files, mail_log on)
// and on the other forms Dovecot 2.0–2.3 and Pigeonhole write: syslog `dovecot:` lines, RFC 3339 stamps, 2.2 tags,
// Sieve actions, failures, truncated Message-IDs, odd mailbox names; only delivery lines (lmtp, lda, deliver) put
// the user in `to`, an IMAP/POP3 mail_log step names it as `, account USER` in the detail; mailboxAction reads every
// detail back; hostile input never throws and stays linear.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LineContext, LogEvent } from '../../../src/model/log-event.js';
import { detectDovecot, mailboxAction, parseDovecotLine, type MailboxAction } from '../../../src/parse/logs/dovecot.js';
import { mailboxDetail, type MailboxActionKind } from '../../../src/parse/logs/dovecot-detail.js';
import { parseSyslogPrefix } from '../../../src/parse/logs/syslog-prefix.js';
import { fixturePath } from '../../helpers/corpus.js';
import { mutatedLines } from '../../helpers/mutate.js';

const CTX: LineContext = { line: 1, offset: 0, year: 2026, tz: 'UTC', yearSource: '--year', tzSource: '--tz' };
const readLines = (name: string): string[] => readFileSync(fixturePath('logs', name), 'utf8').split('\n').filter((l) => l !== '');
const RECEIVER = readLines('dovecot-receiver.log');
const SENDER = readLines('dovecot-sender.log');
const parse = (l: string): LogEvent | null => parseDovecotLine(l, CTX);

const BOB_MID = '29da4bba-6e29-4932-931e-2ca34ba3a16f@sender.test';

describe('the lab receiver log (LMTP + Sieve deliveries, then an IMAP delete and expunge)', () => {
  const evs = RECEIVER.map((l, i) => parseDovecotLine(l, { ...CTX, line: i + 1 }));

  it('turns exactly the message lines into events; master, login, connect and logout lines are noise', () => {
    expect(RECEIVER).toHaveLength(21);
    const withEvents = evs.flatMap((e, i) => (e === null ? [] : [i + 1]));
    expect(withEvents).toEqual([6, 7, 10, 11, 14, 15, 18, 19]);
  });

  it('reads the mail_log save of an LMTP delivery whole (no header From or Subject anywhere)', () => {
    expect(evs[9]).toEqual({
      format: 'dovecot', line: 10, offset: 0, time: '2026-12-03T19:47:44.000Z', timeBasis: 'assumed-year-and-zone',
      timeAssumption: 'year 2026 (--year), zone UTC (--tz)', host: null, program: 'lmtp', pid: 1741,
      queueId: '8I0kMGDHEWvNBgAAg+zDdQ', messageId: BOB_MID, from: null, to: 'bob@receiver.test', origTo: null,
      relay: null, client: null, status: null, dsn: null, reply: null, remoteQueueId: null, relatedQueueId: null,
      delay: null, delays: null, size: 1746, nrcpt: null, detail: "saved to mailbox 'INBOX' uid 1",
    });
    expect(JSON.stringify(evs)).not.toMatch(/Party photos|Alice Sender|Holiday rota/);
  });

  it('reads the Sieve delivery line as the delivery: status delivered, same session (queue id) as the save', () => {
    expect(evs[10]).toMatchObject({
      line: 11, program: 'lmtp', host: null, pid: 1741, queueId: '8I0kMGDHEWvNBgAAg+zDdQ', messageId: BOB_MID,
      to: 'bob@receiver.test', status: 'delivered', size: null, detail: "saved to mailbox 'INBOX'",
    });
  });

  it('reads the IMAP delete and expunge: no `to` (the mailbox owner is named as the account), no queue id (an IMAP session spans messages)', () => {
    const common = { program: 'imap', pid: 1781, queueId: null, messageId: BOB_MID, to: null, status: null, size: 1746, time: '2026-12-03T19:47:47.000Z' };
    expect(evs[13]).toMatchObject({ ...common, line: 14, detail: "marked \\Deleted in mailbox 'INBOX' uid 1, account bob@receiver.test" });
    expect(evs[14]).toMatchObject({ ...common, line: 15, detail: "expunged from mailbox 'INBOX' uid 1, account bob@receiver.test" });
  });

  it("keeps dave's two deliveries apart by their sessions", () => {
    expect(evs[5]).toMatchObject({ queueId: '8G8nG1/HEWvNBgAAg+zDdQ', to: 'dave@receiver.test', detail: "saved to mailbox 'INBOX' uid 1", size: 1707 });
    expect(evs[6]).toMatchObject({ queueId: '8G8nG1/HEWvNBgAAg+zDdQ', status: 'delivered' });
    expect(evs[17]).toMatchObject({ queueId: 'UPYpF2THEWvNBgAAg+zDdQ', messageId: 'fc79f789-59e2-4812-8acd-b576c0edb392@sender.test', detail: "saved to mailbox 'INBOX' uid 2" });
    expect(evs[18]).toMatchObject({ queueId: 'UPYpF2THEWvNBgAAg+zDdQ', status: 'delivered' });
  });
});

describe('the lab sender log (the Sent copy saved over IMAP)', () => {
  const evs = SENDER.map((l, i) => parseDovecotLine(l, { ...CTX, line: i + 1 }));
  it('has one event: the save into Sent, as evidence (no status)', () => {
    expect(evs.flatMap((e, i) => (e === null ? [] : [i + 1]))).toEqual([6]);
    expect(evs[5]).toMatchObject({
      program: 'imap', pid: 1764, host: null, queueId: null, messageId: BOB_MID, to: null, status: null, size: 411,
      detail: "saved to mailbox 'Sent' uid 1, account alice@sender.test",
    });
  });
});

describe('who goes into `to`: the recipient of a delivery, never the owner of an IMAP/POP3 mailbox', () => {
  const ALICE_SENT = SENDER[5]!;
  const BOB_LMTP_SAVE = RECEIVER[9]!;

  it("alice's IMAP save of her own Sent copy: to null, alice named only as the account at the end of the detail", () => {
    expect(ALICE_SENT).toMatch(/^Dec 03 19:47:44 imap\(alice@sender\.test\)<1764><Zn6FCMBhkrR\/AAAB>: Info: save: box=Sent, uid=1, /);
    const e = parse(ALICE_SENT)!;
    expect(e.to).toBeNull();
    expect(e.from).toBeNull();
    expect(e.detail).toBe("saved to mailbox 'Sent' uid 1, account alice@sender.test");
    expect(e.detail!.endsWith(', account alice@sender.test')).toBe(true);
    expect(mailboxAction(e.detail)).toEqual({ action: 'saved', mailbox: 'Sent', uid: 1, account: 'alice@sender.test' });
  });

  it("bob's LMTP mail_log save of the same message: to bob (the recipient), no account suffix", () => {
    expect(BOB_LMTP_SAVE).toMatch(/^Dec 03 19:47:44 lmtp\(bob@receiver\.test\)<1741><8I0kMGDHEWvNBgAAg\+zDdQ>: Info: save: box=INBOX, uid=1, /);
    const e = parse(BOB_LMTP_SAVE)!;
    expect(e.to).toBe('bob@receiver.test');
    expect(e.detail).toBe("saved to mailbox 'INBOX' uid 1");
    expect(e.detail).not.toContain('account');
    expect(mailboxAction(e.detail)).toEqual({ action: 'saved', mailbox: 'INBOX', uid: 1 });
  });

  it('every delivery service (lmtp, lda, deliver) keeps its user in `to`, for mail_log records too', () => {
    for (const svc of ['lmtp', 'lda', 'deliver']) {
      expect(parse(`Nov 24 18:30:12 mx dovecot: ${svc}(bob@x)<9><S1>: save: box=INBOX, uid=5, msgid=<a@b>, size=3`)).toMatchObject({
        program: svc, to: 'bob@x', status: null, detail: "saved to mailbox 'INBOX' uid 5",
      });
    }
  });

  it('every other service (imap, pop3, doveadm…) leaves `to` null and names the account', () => {
    for (const svc of ['imap', 'pop3', 'doveadm', 'indexer-worker']) {
      expect(parse(`Nov 24 18:30:12 mx dovecot: ${svc}(bob@x)<9><S1>: expunge: box=INBOX, uid=5, msgid=<a@b>, size=3`)).toMatchObject({
        program: svc, to: null, queueId: null, status: null, detail: "expunged from mailbox 'INBOX' uid 5, account bob@x",
      });
    }
  });

  it('an IMAP session with no user in its tag: to null and no account suffix', () => {
    expect(parse('Nov 24 18:30:12 mx dovecot: imap<9><S1>: expunge: box=INBOX, uid=5, msgid=<a@b>')).toMatchObject({
      program: 'imap', to: null, detail: "expunged from mailbox 'INBOX' uid 5",
    });
  });
});

describe('what parseSyslogPrefix makes of Dovecot lines (the parser builds on it)', () => {
  it('log_path: the tag comes back as the program, no host; syslog: program `dovecot`, the tag leads the message', () => {
    expect(parseSyslogPrefix(RECEIVER[9]!, CTX)).toMatchObject({ host: null, program: 'lmtp(bob@receiver.test)<1741><8I0kMGDHEWvNBgAAg+zDdQ>', pid: null });
    const l = 'Nov 24 18:30:12 mx dovecot: lmtp(bob@x.test)<1741><8I0k>: msgid=<a@b>: saved mail to INBOX';
    const p = parseSyslogPrefix(l, CTX)!;
    expect(p).toMatchObject({ host: 'mx', program: 'dovecot', pid: null });
    expect(l.slice(p.msgStart)).toBe('lmtp(bob@x.test)<1741><8I0k>: msgid=<a@b>: saved mail to INBOX');
    // 2.2's tag holds a space, so the prefix reader takes its first half for a host: the Dovecot parser re-reads the tag.
    expect(parseSyslogPrefix('Nov 24 18:30:12 lmtp(12345, bob@x): msgid=<a@b>: saved mail to INBOX', CTX)).toMatchObject({ host: 'lmtp(12345,', program: 'bob@x)' });
  });
});

describe('other prefixes and versions', () => {
  it('syslog `dovecot:` lines: host from the prefix, service as program, no level word', () => {
    expect(parse('Nov 24 18:30:12 mx dovecot: lmtp(bob@x.test)<1741><8I0kMGDHEWvNBgAAg+zDdQ>: msgid=<a@b>: saved mail to INBOX')).toMatchObject({
      host: 'mx', program: 'lmtp', pid: 1741, queueId: '8I0kMGDHEWvNBgAAg+zDdQ', messageId: 'a@b', to: 'bob@x.test', status: 'delivered',
      detail: "saved to mailbox 'INBOX'", time: '2026-11-24T18:30:12.000Z',
    });
  });

  it('RFC 3339 syslog stamps: explicit zone, the tag pid wins over the syslog pid', () => {
    expect(parse('2026-11-24T18:30:12.123456+01:00 mx dovecot[99]: lmtp(bob@x.test)<1741><8I0k>: Info: msgid=<a@b>: saved mail to INBOX')).toMatchObject({
      host: 'mx', pid: 1741, time: '2026-11-24T17:30:12.123Z', timeBasis: 'explicit-zone', timeAssumption: null, status: 'delivered',
    });
  });

  it('2.2 tags: `lmtp(pid, user)` in a log_path file and in syslog, with the session leading the message', () => {
    expect(parse('Nov 24 18:30:12 lmtp(12345, bob@x): msgid=<a@b>: saved mail to INBOX')).toMatchObject({
      host: null, program: 'lmtp', pid: 12345, to: 'bob@x', queueId: null, messageId: 'a@b', status: 'delivered', detail: "saved to mailbox 'INBOX'",
    });
    expect(parse('Nov 24 18:30:12 mx dovecot: lmtp(12345, bob@x): e0V/Jd5dJlMvdQAAJCSQ7Q: sieve: msgid=<a@b>: stored mail into mailbox \'INBOX\'')).toMatchObject({
      host: 'mx', pid: 12345, to: 'bob@x', queueId: 'e0V/Jd5dJlMvdQAAJCSQ7Q', status: 'delivered',
    });
  });

  it('`deliver(user)` and `lda(user)` without pid or session', () => {
    expect(parse('Nov 24 18:30:12 mx dovecot: deliver(bob): msgid=<a@b>: saved mail to INBOX')).toMatchObject({ program: 'deliver', pid: null, queueId: null, to: 'bob', status: 'delivered' });
    expect(parse('Nov 24 18:30:12 lda(bob): msgid=<a@b>: saved mail to Lists.dev')).toMatchObject({ program: 'lda', to: 'bob', detail: "saved to mailbox 'Lists.dev'" });
  });

  it('a `TRANSACTION:N` recipient session keeps the transaction id, which the MTA reply names', () => {
    expect(parse('Nov 24 18:30:12 lmtp(bob@x)<7><8I0kMGDHEWvNBgAAg+zDdQ:2>: Info: msgid=<a@b>: saved mail to INBOX')?.queueId).toBe('8I0kMGDHEWvNBgAAg+zDdQ');
  });

  it.each([
    'Dec 03 19:47:43 lmtp(1741): Info: Connect from local',
    'Dec 03 19:47:37 master: Info: Dovecot v2.3.19.1 (9b53102964) starting up for imap, lmtp (core dumps disabled)',
    'Dec 03 19:47:38 imap-login: Info: Login: user=<bob@receiver.test>, method=PLAIN, rip=127.0.0.1, lip=127.0.0.3, mpid=1325, session=<lrUgCMBhZrF/AAAB>',
    'Nov 24 18:30:12 mx dovecot: auth: passwd-file(bob,127.0.0.1): unknown user',
    'Nov 24 18:30:12 mx dovecot: imap(bob)<1><S>: Mailbox created: Archive',
    'Nov 24 18:30:12 mx dovecot: lmtp(bob)<1><S>: Debug: sieve: msgid=<a@b>: Execute storing into mailbox \'INBOX\'',
    'Nov 24 18:30:12 mx postfix/smtpd[1]: connect from x[192.0.2.1]',
    'Nov 24 18:30:12 mx amavis[1]: (1-1) Passed CLEAN',
    'not a log line at all',
  ])('noise or not Dovecot: %s', (l) => expect(parse(l)).toBeNull());
});

describe('delivery actions (LDA/LMTP, Pigeonhole)', () => {
  const lmtp = (rest: string): LogEvent | null => parse(`Nov 24 18:30:12 mx dovecot: lmtp(bob@x)<9><S1>: ${rest}`);

  it('Sieve fileinto (the real 2.3.19 form from the lab Junk case) and a quoted, dotted or nested name', () => {
    expect(lmtp("Info: sieve: msgid=<cf34@sender.test>: fileinto action: stored mail into mailbox 'Junk'")).toMatchObject({
      messageId: 'cf34@sender.test', status: 'delivered', detail: "saved to mailbox 'Junk'",
    });
    expect(lmtp("sieve: msgid=<a@b>: stored mail into mailbox 'Lists.dev'")?.detail).toBe("saved to mailbox 'Lists.dev'");
    expect(lmtp("sieve: msgid=<a@b>: stored mail into mailbox ' Spam'")?.detail).toBe("saved to mailbox ' Spam'");
    expect(lmtp("sieve: msgid=<a@b>: stored mail into mailbox 'Bob's, mail: x'")?.detail).toBe("saved to mailbox 'Bob\\'s, mail: x'");
    expect(lmtp("sieve: msgid=<a@b>: stored mail into mailbox 'INBOX/Co&APY-x' (INBOX/Cö-x)")?.detail).toBe("saved to mailbox 'INBOX/Cö-x'");
  });

  it('Sieve discard: discarded; forward: evidence only', () => {
    expect(lmtp('sieve: msgid=<a@b>: marked message to be discarded if not explicitly delivered (discard action)')).toMatchObject({ status: 'discarded', detail: 'discarded by Sieve' });
    expect(lmtp('sieve: msgid=<a@b>: forwarded to <carol@elsewhere.test>')).toMatchObject({ status: null, detail: 'forwarded to <carol@elsewhere.test>', messageId: 'a@b' });
  });

  it('failures: LDA/LMTP save failed, Sieve failed store — evidence, no status', () => {
    expect(lmtp('Error: msgid=<a@b>: save failed to INBOX: Quota exceeded (mailbox for user is full)')).toMatchObject({
      status: null, detail: "save failed to mailbox 'INBOX': Quota exceeded (mailbox for user is full)",
    });
    expect(lmtp('msgid=<a@b>: save failed to open mailbox Archive/2026: Mailbox doesn\'t exist')?.detail).toBe("save failed to mailbox 'Archive/2026': Mailbox doesn't exist");
    expect(lmtp("Error: sieve: msgid=<a@b>: failed to store into mailbox 'Archive/2026': Mailbox doesn't exist: Archive/2026")).toMatchObject({
      status: null, detail: "save failed to mailbox 'Archive/2026': Mailbox doesn't exist: Archive/2026",
    });
  });

  it('rejected by LDA/LMTP or by Sieve reject: bounced (permanent); Sieve names the envelope sender', () => {
    expect(lmtp('msgid=<a@b>: rejected: Quota exceeded')).toMatchObject({ status: 'bounced', detail: 'rejected: Quota exceeded' });
    expect(lmtp('sieve: msgid=<a@b>: rejected message from <alice@sender.test> (reject)')).toMatchObject({ status: 'bounced', from: 'alice@sender.test', detail: 'rejected: reject' });
  });

  it('an action this parser does not know stays in words, with its Message-ID', () => {
    expect(lmtp('sieve: msgid=<a@b>: sent vacation response to <alice@sender.test>')).toMatchObject({
      messageId: 'a@b', status: null, detail: 'sieve: sent vacation response to <alice@sender.test>',
    });
    expect(mailboxAction('sieve: sent vacation response to <alice@sender.test>')).toBeNull();
  });

  it('`msgid=unspecified` and a missing Message-ID mean none', () => {
    expect(lmtp('msgid=unspecified: saved mail to INBOX')).toMatchObject({ messageId: null, status: 'delivered', queueId: 'S1' });
    expect(lmtp('sieve: msgid=unspecified: stored mail into mailbox \'INBOX\'')?.messageId).toBeNull();
  });

  it('a Message-ID Dovecot cut short is never stored as one; it stays in the detail', () => {
    const cut = `<${'x'.repeat(74)}...`;
    const e = lmtp(`sieve: msgid=${cut}: stored mail into mailbox 'INBOX'`);
    expect(e).toMatchObject({ messageId: null, status: 'delivered', detail: `saved to mailbox 'INBOX', message-id truncated in log: ${cut}` });
    expect(mailboxAction(e!.detail)).toEqual({ action: 'saved', mailbox: 'INBOX', uid: null });
  });

  it('a cut Message-ID that repeats the tail marker does not leak into a save failure reason', () => {
    const e = lmtp('msgid=<a, message-id truncated in log: zz...: save failed to INBOX: Quota exceeded');
    expect(e).toMatchObject({ messageId: null, to: 'bob@x', detail: "save failed to mailbox 'INBOX': Quota exceeded, message-id truncated in log: <a, message-id truncated in log: zz..." });
    expect(mailboxAction(e!.detail)).toEqual({ action: 'save-failed', mailbox: 'INBOX', uid: null, reason: 'Quota exceeded' });
  });

  it('a hostile Message-ID carrying a fake action does not choose the mailbox: the last action on the line does', () => {
    expect(lmtp("sieve: msgid=<legit@partner.test>: stored mail into mailbox 'Junk': saved mail to INBOX")).toMatchObject({
      messageId: 'legit@partner.test', status: 'delivered', detail: "saved to mailbox 'INBOX'",
    });
    expect(lmtp('msgid=<x@y>: saved mail to INBOX: rejected: Quota exceeded')).toMatchObject({ status: 'bounced', messageId: 'x@y' });
  });

  it('IMAPSieve stores from an IMAP session are evidence, not deliveries', () => {
    expect(parse("Nov 24 18:30:12 mx dovecot: imap(bob)<3><S>: sieve: msgid=<a@b>: stored mail into mailbox 'Junk'")).toMatchObject({ status: null, queueId: null, to: null, detail: "saved to mailbox 'Junk'" });
  });
});

describe('mail_log plugin lines', () => {
  const imap = (rest: string): LogEvent | null => parse(`Nov 24 18:30:12 mx dovecot: imap(bob@x)<9><MO+mCMBhUtB/AAAB>: ${rest}`);

  it('copy from a folder to another: source and destination, then the account', () => {
    expect(imap('Info: copy from INBOX: box=Junk, uid=3, msgid=<a@b>, size=5')).toMatchObject({ messageId: 'a@b', size: 5, to: null, detail: "copied from 'INBOX' to mailbox 'Junk' uid 3, account bob@x" });
    expect(imap('copy from Lists, 2026: box=Archive/2026, uid=12, msgid=<a@b>')?.detail).toBe("copied from 'Lists, 2026' to mailbox 'Archive/2026' uid 12, account bob@x");
  });

  it('undelete, autoexpunge and flag_change (the flags after the change, then the account)', () => {
    expect(imap('undelete: box=INBOX, uid=1, msgid=<a@b>')).toMatchObject({ to: null, detail: "undeleted in mailbox 'INBOX' uid 1, account bob@x" });
    expect(imap('autoexpunge: box=Trash, uid=7, msgid=<a@b>, size=10')).toMatchObject({ to: null, detail: "autoexpunged from mailbox 'Trash' uid 7, account bob@x" });
    expect(imap('flag_change: box=INBOX, uid=1, msgid=<a@b>, size=5, from=A <a@b>, subject=Hi, flags=(\\Seen \\Flagged)')).toMatchObject({
      to: null, detail: "flags changed in mailbox 'INBOX' uid 1, flags (\\Seen \\Flagged), account bob@x",
    });
  });

  it('the default fields (no box=) and an unknown uid', () => {
    expect(imap('expunge: uid=3, msgid=<a@b>, size=5')).toMatchObject({ messageId: 'a@b', to: null, detail: 'expunged from mailbox (not logged) uid 3, account bob@x' });
    expect(mailboxAction('expunged from mailbox (not logged) uid 3')).toBeNull();
    expect(mailboxAction('expunged from mailbox (not logged) uid 3, account bob@x')).toBeNull();
    expect(imap('save: box=INBOX, uid=error, msgid=<a@b>, size=5')?.detail).toBe("saved to mailbox 'INBOX', account bob@x");
    expect(imap('save: box=INBOX, uid=4, msgid=, size=5')).toMatchObject({ messageId: null, detail: "saved to mailbox 'INBOX' uid 4, account bob@x" });
  });

  it('a truncated msgid (80 characters, `...`) is not a Message-ID, even with a `>` later on the line', () => {
    const cut = `<${'a'.repeat(74)}...`;
    expect(cut).toHaveLength(78);
    const e = imap(`delete: box=INBOX, uid=1, msgid=${cut}, size=1746, from=Alice Sender <alice@sender.test>, subject=x, flags=(\\Deleted)`);
    expect(e).toMatchObject({ messageId: null, size: 1746, to: null, detail: `marked \\Deleted in mailbox 'INBOX' uid 1, account bob@x, message-id truncated in log: ${cut}` });
    expect(mailboxAction(e!.detail)).toEqual({ action: 'deleted', mailbox: 'INBOX', uid: 1, account: 'bob@x' });
  });

  it('a truncated msgid on a flag_change: flags, account, then the tail', () => {
    const cut = `<${'b'.repeat(74)}...`;
    const e = imap(`flag_change: box=INBOX, uid=9, msgid=${cut}, size=5, flags=(\\Seen)`);
    expect(e).toMatchObject({ messageId: null, to: null, detail: `flags changed in mailbox 'INBOX' uid 9, flags (\\Seen), account bob@x, message-id truncated in log: ${cut}` });
    expect(mailboxAction(e!.detail)).toEqual({ action: 'flags', mailbox: 'INBOX', uid: 9, flags: '\\Seen', account: 'bob@x' });
  });

  it('a mailbox name with commas and quotes', () => {
    expect(imap("save: box=Bob's, Archive, uid=2, msgid=<a@b>")?.detail).toBe("saved to mailbox 'Bob\\'s, Archive' uid 2, account bob@x");
    expect(imap('save: box=Archive/2026, uid=2, msgid=<a@b>')?.detail).toBe("saved to mailbox 'Archive/2026' uid 2, account bob@x");
  });

  it('a mailbox name holding `, account ` is not read as the account (the account follows the quoted name)', () => {
    const e = imap('save: box=Spam, account mallory@evil.test, uid=2, msgid=<a@b>');
    expect(e).toMatchObject({ to: null, detail: "saved to mailbox 'Spam, account mallory@evil.test' uid 2, account bob@x" });
    expect(mailboxAction(e!.detail)).toEqual({ action: 'saved', mailbox: 'Spam, account mallory@evil.test', uid: 2, account: 'bob@x' });
    const c = imap('copy from X, account eve: box=Y, account eve, uid=3, msgid=<a@b>');
    expect(c?.detail).toBe("copied from 'X, account eve' to mailbox 'Y, account eve' uid 3, account bob@x");
    expect(mailboxAction(c!.detail)).toEqual({ action: 'copied', from: 'X, account eve', mailbox: 'Y, account eve', uid: 3, account: 'bob@x' });
  });
});

describe('mailboxAction reads every mailbox detail back', () => {
  const parsed = [...RECEIVER, ...SENDER].map(parse).filter((e): e is LogEvent => e !== null);
  it('on the lab logs', () => {
    expect(parsed.map((e) => mailboxAction(e.detail))).toEqual([
      { action: 'saved', mailbox: 'INBOX', uid: 1 }, { action: 'saved', mailbox: 'INBOX', uid: null },
      { action: 'saved', mailbox: 'INBOX', uid: 1 }, { action: 'saved', mailbox: 'INBOX', uid: null },
      { action: 'deleted', mailbox: 'INBOX', uid: 1, account: 'bob@receiver.test' }, { action: 'expunged', mailbox: 'INBOX', uid: 1, account: 'bob@receiver.test' },
      { action: 'saved', mailbox: 'INBOX', uid: 2 }, { action: 'saved', mailbox: 'INBOX', uid: null },
      { action: 'saved', mailbox: 'Sent', uid: 1, account: 'alice@sender.test' },
    ]);
  });

  it.each<[string | null, ReturnType<typeof mailboxAction>]>([
    ["copied from 'INBOX' to mailbox 'Junk' uid 3", { action: 'copied', mailbox: 'Junk', uid: 3, from: 'INBOX' }],
    ["undeleted in mailbox 'INBOX' uid 1", { action: 'undeleted', mailbox: 'INBOX', uid: 1 }],
    ["autoexpunged from mailbox 'Trash' uid 7", { action: 'autoexpunged', mailbox: 'Trash', uid: 7 }],
    ["flags changed in mailbox 'INBOX' uid 1, flags (\\Seen)", { action: 'flags', mailbox: 'INBOX', uid: 1, flags: '\\Seen' }],
    ["save failed to mailbox 'X': Quota exceeded", { action: 'save-failed', mailbox: 'X', uid: null, reason: 'Quota exceeded' }],
    ['rejected: Quota exceeded', null], ['discarded by Sieve', null], ['forwarded to <a@b>', null], ['sieve: sent vacation response to <a@b>', null],
    ['authenticated (PLAIN) as alice', null], ["saved to mailbox 'unterminated", null], [null, null],
  ])('%j', (d, want) => expect(mailboxAction(d)).toEqual(want));

  const CUT = `<${'c'.repeat(74)}...`;
  it.each<[string, NonNullable<ReturnType<typeof mailboxAction>>]>([
    ["saved to mailbox 'Sent' uid 1, account alice@sender.test", { action: 'saved', mailbox: 'Sent', uid: 1, account: 'alice@sender.test' }],
    ["saved to mailbox 'INBOX', account bob", { action: 'saved', mailbox: 'INBOX', uid: null, account: 'bob' }],
    ["copied from 'INBOX' to mailbox 'Junk' uid 3, account bob@x", { action: 'copied', mailbox: 'Junk', uid: 3, from: 'INBOX', account: 'bob@x' }],
    ["marked \\Deleted in mailbox 'INBOX' uid 1, account bob@x", { action: 'deleted', mailbox: 'INBOX', uid: 1, account: 'bob@x' }],
    ["undeleted in mailbox 'INBOX' uid 1, account bob@x", { action: 'undeleted', mailbox: 'INBOX', uid: 1, account: 'bob@x' }],
    ["expunged from mailbox 'INBOX' uid 1, account bob@x", { action: 'expunged', mailbox: 'INBOX', uid: 1, account: 'bob@x' }],
    ["autoexpunged from mailbox 'Trash' uid 7, account bob@x", { action: 'autoexpunged', mailbox: 'Trash', uid: 7, account: 'bob@x' }],
    ["flags changed in mailbox 'INBOX' uid 1, flags (\\Seen \\Flagged), account bob@x", { action: 'flags', mailbox: 'INBOX', uid: 1, flags: '\\Seen \\Flagged', account: 'bob@x' }],
    ["flags changed in mailbox 'INBOX' uid 1, account bob@x", { action: 'flags', mailbox: 'INBOX', uid: 1, account: 'bob@x' }],
    [`saved to mailbox 'Sent' uid 1, account alice@sender.test, message-id truncated in log: ${CUT}`, { action: 'saved', mailbox: 'Sent', uid: 1, account: 'alice@sender.test' }],
    [`expunged from mailbox 'INBOX' uid 4, account bob@x, message-id truncated in log: ${CUT}`, { action: 'expunged', mailbox: 'INBOX', uid: 4, account: 'bob@x' }],
    [`flags changed in mailbox 'INBOX' uid 2, flags (\\Seen), account bob@x, message-id truncated in log: ${CUT}`, { action: 'flags', mailbox: 'INBOX', uid: 2, flags: '\\Seen', account: 'bob@x' }],
    [`copied from 'A' to mailbox 'B' uid 5, account bob@x, message-id truncated in log: ${CUT}`, { action: 'copied', mailbox: 'B', uid: 5, from: 'A', account: 'bob@x' }],
    ["saved to mailbox 'X, account eve' uid 1, account bob@x", { action: 'saved', mailbox: 'X, account eve', uid: 1, account: 'bob@x' }],
    ["saved to mailbox 'X, account eve' uid 1", { action: 'saved', mailbox: 'X, account eve', uid: 1 }],
    [`saved to mailbox 'INBOX', message-id truncated in log: <x, account eve...`, { action: 'saved', mailbox: 'INBOX', uid: null }],
  ])('reads the account back: %j', (d, want) => expect(mailboxAction(d)).toEqual(want));

  it('round-trips `account` through mailboxDetail for every mail_log action kind, with flags and a truncated-msgid tail', () => {
    const kinds: MailboxActionKind[] = ['saved', 'copied', 'deleted', 'undeleted', 'expunged', 'autoexpunged', 'flags'];
    const tail = `, message-id truncated in log: ${CUT}`;
    for (const action of kinds) {
      for (const uid of [null, 42]) {
        const a: MailboxAction = { action, mailbox: 'INBOX', uid, account: 'alice@sender.test' };
        if (action === 'copied') a.from = 'Drafts';
        if (action === 'flags') a.flags = '\\Seen \\Answered';
        const d = mailboxDetail(a);
        expect(d.endsWith(', account alice@sender.test')).toBe(true);
        expect(mailboxAction(d)).toEqual(a);
        expect(mailboxAction(d + tail)).toEqual(a);
      }
    }
  });

  it('round-trips any mailbox name, uid, flags and account (property)', () => {
    const kinds: MailboxActionKind[] = ['saved', 'copied', 'deleted', 'undeleted', 'expunged', 'autoexpunged', 'flags', 'save-failed'];
    // IMAP flags are atoms: never `)` (RFC 3501 atom-specials).
    const flagsArb = fc.option(fc.string({ maxLength: 60 }).filter((f) => !f.includes(')')), { nil: undefined });
    const accountArb = fc.option(fc.string({ maxLength: 320 }), { nil: undefined });
    const cutArb = fc.option(fc.string({ maxLength: 80 }).map((x) => `<${x}...`), { nil: undefined });
    fc.assert(fc.property(fc.constantFrom(...kinds), fc.string({ maxLength: 100 }), fc.string({ maxLength: 100 }), fc.option(fc.nat(), { nil: null }), flagsArb, accountArb, cutArb,
      (action, mailbox, from, uid, flags, account, cut) => {
        const a: MailboxAction = action === 'save-failed' ? { action, mailbox, uid: null, reason: 'no' } : { action, mailbox, uid, ...(action === 'copied' ? { from } : {}) };
        if (action !== 'save-failed') {
          if (action === 'flags' && flags !== undefined) a.flags = flags;
          if (account !== undefined) a.account = account;
        }
        const d = mailboxDetail(a);
        expect(mailboxAction(d)).toEqual(a);
        if (cut !== undefined && action !== 'save-failed') expect(mailboxAction(`${d}, message-id truncated in log: ${cut}`)).toEqual(a);
      }), { numRuns: 3000 });
  });
});

describe('detection score', () => {
  it('counts log_path tags and syslog `dovecot:` lines, not Postfix lines', () => {
    expect(detectDovecot(RECEIVER)).toBe(1);
    expect(detectDovecot(SENDER)).toBe(1);
    expect(detectDovecot(['Nov 24 18:30:12 mx postfix/smtpd[1]: connect from x[192.0.2.1]', 'Nov 24 18:30:12 mx dovecot: imap-login: Login: user=<bob>'])).toBe(0.5);
  });
});

describe('hostile input', () => {
  const REAL = [...RECEIVER, ...SENDER, "Nov 24 18:30:12 mx dovecot: lmtp(12345, bob@x): e0V/Jd5dJlMvdQAAJCSQ7Q: sieve: msgid=<a@b>: failed to store into mailbox 'A' (B): no", 'Nov 24 18:30:12 mx dovecot: imap(bob)<9><S>: copy from INBOX: box=Junk, uid=3, msgid=<a@b>, size=5'];
  const mutated = mutatedLines(REAL, ['<', '>', '(', ')', ':', ' ', ',', '=', "'", '\\', '.', 'a', '1', 'msgid=', ': ', 'box=', ', uid=', 'é']);

  it('never throws on arbitrary strings or mutated real lines; any event is well-formed', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => { parse(s); parse(`Nov 24 18:30:12 lmtp(${s}`); }), { numRuns: 2000 });
    fc.assert(fc.property(mutated, (s) => {
      const e = parse(s);
      if (e !== null) {
        expect(e.format).toBe('dovecot');
        mailboxAction(e.detail);
      }
    }), { numRuns: 3000 });
  });

  it('2 MB lines of repeated separators parse (a quadratic scan would run past the test timeout)', () => {
    const N = 2_000_000;
    const head = 'Nov 24 18:30:12 mx dovecot: lmtp(bob)<1><S>: ';
    const lines = [
      `${head}msgid=<${': saved mail to '.repeat(N / 16)}`,
      `${head}msgid=${'<a>: '.repeat(N / 5)}saved mail to INBOX`,
      `${head}copy from ${': '.repeat(N / 2)}`,
      `${head}save: box=${', '.repeat(N / 2)}`,
      `${head}save: box=${', box'.repeat(N / 5)}, uid=1`,
      `${head}flag_change: box=a, uid=1, msgid=<a>, ${', flags=('.repeat(N / 9)})`,
      `Nov 24 18:30:12 lmtp(${'('.repeat(N)}`,
      `Nov 24 18:30:12 lmtp(a)${'<1>'.repeat(N / 3)}: x`,
      `${head}${'A'.repeat(N)}: msgid=<a>: saved mail to INBOX`,
    ];
    for (const l of lines) {
      const e = parse(l);
      if (e !== null) expect((e.detail ?? '').length).toBeLessThan(1000);
    }
  });
});
