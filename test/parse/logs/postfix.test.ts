// Whole-object checks of parsePostfixLine on a real sample (log-ship-elastic) and on the synthetic two-instance
// fixture (fixtures/logs/postfix-two-instances.log: classic prefix across Dec→Jan, amavis re-injection, outbound
// instance, NOQUEUE/milter/hold, bounce + notification).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../../src/model/log-event.js';
import { createYearRoller } from '../../../src/parse/logs/log-time.js';
import { detectPostfix, parsePostfixLine, postfixQueueIdLength, postfixService } from '../../../src/parse/logs/postfix.js';
import { corpusPath, describeCorpus, fixturePath } from '../../helpers/corpus.js';

const BASE: Omit<LogEvent, 'line' | 'offset' | 'time' | 'program' | 'pid' | 'host'> = {
  format: 'postfix', timeBasis: 'explicit-zone', timeAssumption: null, queueId: null, messageId: null, from: null,
  to: null, origTo: null, relay: null, client: null, status: null, dsn: null, reply: null, remoteQueueId: null,
  relatedQueueId: null, delay: null, delays: null, size: null, nrcpt: null, detail: null,
};

describeCorpus('log-ship-elastic sample', () => {
  const lines = readFileSync(corpusPath('logs', 'postfix', 'log-ship-elastic-postfix-mail.log'), 'utf8').split('\n');
  const ctx = (i: number) => ({ line: i + 1, offset: 0, year: 2015, tz: 0, yearSource: 'test', tzSource: 'test' });
  const evs = lines.map((l, i) => parsePostfixLine(l, ctx(i)));

  it('ignores the blank first line and other programs (spamd, a made-up tag)', () => {
    expect(evs[0]).toBeNull();
    expect(evs[1]).toBeNull();
    expect(evs[5]).toBeNull();
  });

  it('reads the smtp delivery with its remote queue id, whole object', () => {
    expect(evs[4]).toEqual({
      ...BASE, line: 5, offset: 0, time: '2015-07-05T06:52:11.000Z', timeBasis: 'assumed-year-and-zone',
      timeAssumption: 'year 2015 (test), zone +00:00 (test)', host: 'prd-mx1', program: 'postfix/smtp', pid: 22030,
      queueId: '3mPVKl0Mhjz7sXv', to: '56597@continuity.delivery', relay: { host: '10.2.2.85', ip: '10.2.2.85', port: 2527 },
      delay: 0.51, delays: '0.44/0.01/0.05/0.01', dsn: '2.0.0', status: 'sent',
      reply: '250 2.0.0 Ok: queued as 3mPVKl3YVXz2pS5Z', remoteQueueId: '3mPVKl3YVXz2pS5Z',
    });
  });

  it('reads cleanup message-id and qmgr queue lines', () => {
    expect(evs[2]).toMatchObject({ queueId: '3mPVKl0Mhjz7sXv', messageId: 'E1ZB06G-0006n5-Vp@anc-dev-web1.slc.example.net', status: null });
    expect(evs[3]).toMatchObject({ queueId: '3mPVKl0Mhjz7sXv', from: '', size: 2666, nrcpt: 2, status: 'queued', detail: 'queue active' });
  });
});

describe('synthetic two-instance fixture', () => {
  const lines = readFileSync(fixturePath('logs', 'postfix-two-instances.log'), 'utf8').split('\n').filter((l) => l !== '');
  const yearFor = createYearRoller(2025);
  let offset = 0;
  const evs = lines.map((l, i) => {
    const e = parsePostfixLine(l, { line: i + 1, offset, year: yearFor(l), tz: 'Europe/Berlin', yearSource: '--year', tzSource: '--tz' });
    offset += Buffer.byteLength(l) + 1;
    return e;
  });
  const at = (n: number): LogEvent => { const e = evs[n - 1]; if (!e) throw new Error(`no event on line ${n}`); return e; };

  it('rolls the year over at Dec→Jan and converts Berlin wall time to UTC', () => {
    expect(at(1).time).toBe('2025-12-31T22:59:58.000Z');
    expect(at(3).time).toBe('2025-12-31T23:00:00.000Z');
    expect(at(3).timeAssumption).toBe('year 2026 (--year), zone Europe/Berlin (--tz)');
    expect(at(2).offset).toBe(Buffer.byteLength(lines[0] ?? '') + 1);
  });

  it('reads the content-filter re-injection both ways', () => {
    expect(at(5)).toMatchObject({ status: 'sent', remoteQueueId: '4ZgQ1z0Hm8z9xYx', relay: { host: '127.0.0.1', ip: '127.0.0.1', port: 10024 } });
    expect(at(6)).toMatchObject({ program: 'postfix/10025/smtpd', queueId: '4ZgQ1z0Hm8z9xYx', status: 'received', relatedQueueId: '4ZgQ1v3kLqz9xYw' });
  });

  it('reads the outbound instance and the remote server\'s short queue id', () => {
    expect(at(8)).toMatchObject({ program: 'postfix-out/smtp', status: 'sent', remoteQueueId: '9C1F2A0B3D', relay: { host: 'mx.example.net', ip: '198.51.100.25', port: 25 } });
  });

  it('reads NOQUEUE reject, milter-reject and hold', () => {
    expect(at(9)).toEqual({
      ...BASE, line: 9, offset: at(9).offset, time: '2025-12-31T23:00:04.000Z', timeBasis: 'assumed-year-and-zone',
      timeAssumption: 'year 2026 (--year), zone Europe/Berlin (--tz)', host: 'mx1', program: 'postfix/smtpd', pid: 1201,
      client: { host: 'unknown', ip: '203.0.113.7', port: null }, status: 'rejected', dsn: '5.1.1',
      reply: '550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in virtual mailbox table',
      from: 'spam@example.biz', to: 'nobody@example.com', detail: 'reject: RCPT',
    });
    expect(at(10)).toMatchObject({ queueId: '3F2E1D0C9B', status: 'rejected', dsn: '5.7.1', reply: '5.7.1 Rejected by policy', client: { ip: '203.0.113.8' } });
    expect(at(11)).toMatchObject({ queueId: '3F2E1D0C9C', status: 'quarantined', reply: 'held for review', client: { ip: '203.0.113.9' }, to: 'carol@example.com' });
  });

  it('reads a bounce over IPv6 and its notification', () => {
    expect(at(12)).toMatchObject({ status: 'bounced', dsn: '5.1.1', remoteQueueId: null, relay: { ip: '2001:db8::25', port: 25 } });
    expect(at(13)).toMatchObject({ status: 'notified', queueId: 'A1B2C3D4E5', relatedQueueId: 'B2C3D4E5F6', program: 'postfix-out/bounce' });
  });

  it('detects the format', () => {
    expect(detectPostfix(lines)).toBe(1);
    expect(detectPostfix(['2026-11-20 14:00:05 1abcDE-000Xyz-AB <= a@b'])).toBe(0);
  });
});

describe('postfix building blocks', () => {
  it.each([
    ['postfix/smtpd', 'smtpd'], ['postfix-out/smtp', 'smtp'], ['postfix/submission/smtpd', 'smtpd'],
    ['postfix/10025/smtpd', 'smtpd'], ['postfix-smo/submission/smtpd', 'smtpd'], ['sendmail', null], ['postfix/madeup', null],
  ])('service of %s is %s', (p, s) => expect(postfixService(p)).toBe(s));

  it.each([
    ['7EE668039: x', 9], ['0D9633D: x', 7], ['4Y1Ab2cDz5z9abc: x', 15], ['48rT2v1hQrz1J0N: x', 15], ['NOQUEUE: x', 7],
    ['warning: x', 0], ['statistics: x', 0], ['authorization: x', 0], ['CONNECT from', 0], ['ABCD: x', 0],
  ])('queue id length of %j is %i', (m, n) => expect(postfixQueueIdLength(m)).toBe(n));
});
