// parseEximLine on the synthetic mainlog fixture (fixtures/logs/exim-mainlog.log): own timestamps with a
// log_timezone offset, old 16-character ids, +smtp_confirmation replies, a syslog-prefixed line.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectExim, eximIdLength, parseEximLine, readEximHost } from '../../../src/parse/logs/exim.js';
import { fixturePath } from '../../helpers/corpus.js';

const lines = readFileSync(fixturePath('logs', 'exim-mainlog.log'), 'utf8').split('\n').filter((l) => l !== '');
const evs = lines.map((l, i) => parseEximLine(l, { line: i + 1, offset: 0, year: 2026, tz: 'Europe/London', tzSource: '--tz', yearSource: '--year' }));

describe('exim mainlog fixture', () => {
  it('reads an arrival whole', () => {
    expect(evs[0]).toEqual({
      format: 'exim', line: 1, offset: 0, time: '2026-11-20T13:00:05.000Z', timeBasis: 'explicit-zone', timeAssumption: null,
      host: null, program: 'exim', pid: null, queueId: '1vMcDe-0001Ab-Q1', messageId: 'exim-1@example.org',
      from: 'alice@example.org', to: 'bob@example.net,carol@example.net', origTo: null,
      relay: null, client: { host: 'mail.example.org', ip: '192.0.2.10', port: 41234 }, status: 'received',
      dsn: null, reply: null, remoteQueueId: null, relatedQueueId: null, delay: null, delays: null, size: 2310, nrcpt: null, detail: null,
    });
  });

  it('reads deliveries with the next server\'s queue id, a completion and a deferral', () => {
    expect(evs[1]).toMatchObject({ status: 'sent', to: 'bob@example.net', remoteQueueId: '9C1F2A0B3D', dsn: '2.0.0', relay: { host: 'mx.example.net', ip: '198.51.100.25', port: 25 }, detail: 'T=remote_smtp' });
    expect(evs[2]).toMatchObject({ status: 'sent', to: 'carol@example.net', remoteQueueId: '9C1F2A0B3D' });
    expect(evs[3]).toMatchObject({ status: 'removed', queueId: '1vMcDe-0001Ab-Q1' });
    expect(evs[4]).toMatchObject({ status: 'deferred', dsn: '4.7.1', reply: '451 4.7.1 Greylisted, try again', detail: 'defer (-44)' });
  });

  it('reads a syslog-prefixed failure: year and zone assumed, original recipient kept', () => {
    expect(evs[5]).toMatchObject({
      host: 'mx2', program: 'exim', pid: 3301, status: 'bounced', to: 'erin@example.net', origTo: 'erin@example.com',
      dsn: '5.1.1', time: '2026-11-20T14:02:00.000Z', timeBasis: 'assumed-year-and-zone',
      timeAssumption: 'year 2026 (--year), zone Europe/London (--tz)',
    });
  });

  it('assumes the zone for a line without an offset, and says so', () => {
    const e = parseEximLine('2026-07-01 12:00:00 1vMcDe-0001Ab-Q1 Completed', { line: 1, offset: 0, tz: 'Europe/London', tzSource: '--tz' });
    expect(e).toMatchObject({ time: '2026-07-01T11:00:00.000Z', timeBasis: 'assumed-zone', timeAssumption: 'zone Europe/London (--tz)' });
  });

  it('detects the format', () => {
    expect(detectExim(lines)).toBe(1);
    expect(detectExim(['Nov 20 14:00:05 mx postfix/smtpd[1]: connect from x[192.0.2.1]'])).toBe(0);
  });
});

describe('exim addresses with a quoted local part', () => {
  const at = { line: 1, offset: 0, tz: 0 };
  it.each([
    ['1vNB4C-000123-AB <= "al ice"@sender.test H=x [192.0.2.1] P=esmtp S=100 id=m1@x', { status: 'received', from: '"al ice"@sender.test', messageId: 'm1@x' }],
    ['1vNB4C-000123-AB => "bob smith"@receiver.test R=dnslookup T=remote_smtp H=mx [192.0.2.8] C="250 OK id=1vNB4D-000124-CD"', { status: 'sent', to: '"bob smith"@receiver.test', remoteQueueId: '1vNB4D-000124-CD' }],
    ['1vNB4C-000123-AB ** "bo b"@receiver.test <"bo b"@receiver.test> R=dnslookup T=remote_smtp: SMTP error from remote mail server after RCPT TO:<"bo b"@receiver.test>: 550 no such user', { status: 'bounced', to: '"bo b"@receiver.test', origTo: '"bo b"@receiver.test', reply: '550 no such user' }],
    // The recipients an arrival lists after `for`, one of them quoted with a space in it.
    ['1vNB4C-000123-AB <= a@sender.test H=x [192.0.2.1] P=esmtp S=100 id=m1@x for b@r.test "bo b"@r.test  c@r.test', { status: 'received', to: 'b@r.test,"bo b"@r.test,c@r.test' }],
    // A quote left open to the end of the line is not trusted: the address ends at the first space, as before.
    ['1vNB4C-000123-AB <= "al ice@sender.test H=x [192.0.2.1] P=esmtp S=100', { status: 'received', from: '"al' }],
  ])('%s', (text, want) => expect(parseEximLine(`2026-11-24 18:30:24 ${text}`, at)).toMatchObject(want));
});

describe('exim building blocks', () => {
  it.each([
    ['1abcDE-000Xyz-AB <=', 16], ['10HmaY-000000005vi-0000 =>', 23], ['1abcDE-000Xyz-A <=', 0], ['Completed', 0],
  ])('id length of %j is %i', (s, n) => expect(eximIdLength(s, 0)).toBe(n));

  it.each([
    ['host.example (helo) [192.0.2.1]:25 X', { host: 'host.example', ip: '192.0.2.1', port: 25 }],
    ['([10.0.0.1]) [192.0.2.2]:4 X', { host: null, ip: '192.0.2.2', port: 4 }],
    ['[192.0.2.3] X', { host: null, ip: '192.0.2.3', port: null }],
    ['h.example [IPv6:2001:db8::1]', { host: 'h.example', ip: '2001:db8::1', port: null }],
  ])('H=%s', (s, ep) => expect(readEximHost(s, 0).ep).toEqual(ep));
});
