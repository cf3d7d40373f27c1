// Syslog prefixes and the time they give: classic (year and zone from ctx), RFC 3339, assumptions in words.
import { describe, expect, it } from 'vitest';
import { createYearRoller } from '../../../src/parse/logs/log-time.js';
import { detectSyslogPrefix, parseSyslogPrefix } from '../../../src/parse/logs/syslog-prefix.js';

describe('parseSyslogPrefix', () => {
  it('reads an RFC 3339 line with microseconds (truncated to ms) and an offset', () => {
    const p = parseSyslogPrefix('2023-03-14T00:00:31.185246+01:00 helga postfix/postscreen[3163107]: CONNECT from [192.0.2.1]:1 to [192.0.2.2]:25', { line: 1, offset: 0 });
    expect(p).toEqual({ time: '2023-03-13T23:00:31.185Z', timeBasis: 'explicit-zone', timeAssumption: null, host: 'helga', program: 'postfix/postscreen', pid: 3163107, msgStart: 68 });
  });

  it.each([
    ['2026-11-22T13:51:43Z h p[1]: m', '2026-11-22T13:51:43.000Z'],
    ['2026-11-22T13:51:43.1-05:30 h p[1]: m', '2026-11-22T19:21:43.100Z'],
    ['2026-11-22T13:51:43+0000 h p[1]: m', '2026-11-22T13:51:43.000Z'],
  ])('%s → %s', (l, t) => expect(parseSyslogPrefix(l, { line: 1, offset: 0 })?.time).toBe(t));

  it('reads a classic line with a fixed offset, padded and unpadded days', () => {
    const ctx = { line: 1, offset: 0, year: 2026, tz: -300, yearSource: 'file mtime 2026-03-01', tzSource: '--tz' };
    expect(parseSyslogPrefix('Mar  7 02:09:33 server postfix/smtpd[27246]: x', ctx)).toMatchObject({
      time: '2026-03-07T07:09:33.000Z', timeBasis: 'assumed-year-and-zone', timeAssumption: 'year 2026 (file mtime 2026-03-01), zone -05:00 (--tz)', host: 'server', pid: 27246,
    });
    expect(parseSyslogPrefix('Mar 7 02:09:33 server postfix/smtpd[27246]: x', ctx)?.time).toBe('2026-03-07T07:09:33.000Z');
  });

  it('resolves an IANA zone on both sides of a DST change', () => {
    const ctx = { line: 1, offset: 0, year: 2026, tz: 'Europe/Berlin' };
    expect(parseSyslogPrefix('Mar 29 01:30:00 h p[1]: x', ctx)?.time).toBe('2026-03-29T00:30:00.000Z');
    expect(parseSyslogPrefix('Mar 29 03:30:00 h p[1]: x', ctx)?.time).toBe('2026-03-29T01:30:00.000Z');
    expect(parseSyslogPrefix('Jul  1 12:00:00 h p[1]: x', ctx)?.time).toBe('2026-07-01T10:00:00.000Z');
  });

  it('places the hour that occurs twice when clocks go back by the file order (Berlin, 25 Oct 2026, 03:00 CEST -> 02:00 CET)', () => {
    const ctx = { line: 1, offset: 0, year: 2026, tz: 'Europe/Berlin' };
    const times = ['Oct 25 02:40:00', 'Oct 25 02:59:30', 'Oct 25 02:05:00', 'Oct 25 02:10:00', 'Oct 25 03:10:00'].map((t) => parseSyslogPrefix(`${t} h p[1]: x`, ctx)?.time);
    // First pass through 02:xx is summer time (UTC+2); after the jump back the same wall times are UTC+1.
    expect(times).toEqual(['2026-10-25T00:40:00.000Z', '2026-10-25T00:59:30.000Z', '2026-10-25T01:05:00.000Z', '2026-10-25T01:10:00.000Z', '2026-10-25T02:10:00.000Z']);
  });

  it('a repeated-hour wall time read on its own is the earlier instant; jitter of a few seconds does not flip it', () => {
    expect(parseSyslogPrefix('Oct 25 02:30:00 h p[1]: x', { line: 1, offset: 0, year: 2026, tz: 'Europe/Berlin' })?.time).toBe('2026-10-25T00:30:00.000Z');
    const ctx = { line: 1, offset: 0, year: 2026, tz: 'Europe/Berlin' };
    const times = ['Oct 25 02:30:10', 'Oct 25 02:30:05', 'Oct 25 02:30:20'].map((t) => parseSyslogPrefix(`${t} h p[1]: x`, ctx)?.time);
    expect(times).toEqual(['2026-10-25T00:30:10.000Z', '2026-10-25T00:30:05.000Z', '2026-10-25T00:30:20.000Z']);
  });

  it('says why there is no time: no year, or an unknown zone', () => {
    expect(parseSyslogPrefix('Mar  7 02:09:33 h p[1]: x', { line: 1, offset: 0 })).toMatchObject({ time: null, timeBasis: 'unknown', timeAssumption: 'no year known for a classic syslog timestamp' });
    expect(parseSyslogPrefix('Mar  7 02:09:33 h p[1]: x', { line: 1, offset: 0, year: 2026, tz: 'Mars/Olympus' })).toMatchObject({ time: null, timeBasis: 'unknown', timeAssumption: "zone 'Mars/Olympus' not recognised" });
  });

  it('reads a BSD `<facility.level>` before the host, and a tag without a pid', () => {
    expect(parseSyslogPrefix('Jun 17 14:37:39 <mail.notice> robin sm-mta[2794]: x', { line: 1, offset: 0, year: 2005 })).toMatchObject({ host: 'robin', program: 'sm-mta', pid: 2794 });
    expect(parseSyslogPrefix('Jun 17 14:37:39 robin postfix/postlog: x', { line: 1, offset: 0, year: 2005 })).toMatchObject({ program: 'postfix/postlog', pid: null });
  });

  it.each(['', 'Foo 17 14:37:39 h p[1]: x', 'Jun 17 25:37:39 h p[1]: x', '2026-13-01T00:00:00Z h p[1]: x', 'Jun 17 14:37:39 h'])('rejects %j', (l) => {
    expect(parseSyslogPrefix(l, { line: 1, offset: 0, year: 2026 })).toBeNull();
  });

  it('scores detection by share of prefixed lines', () => {
    expect(detectSyslogPrefix(['Jun 17 14:37:39 h p[1]: x', 'garbage', ''])).toBe(0.5);
  });
});

describe('createYearRoller', () => {
  it('moves on at Dec→Jan, and gives a late December straggler the previous year', () => {
    const y = createYearRoller(2025);
    expect(['Nov 30 x', 'Dec 31 x', 'Jan  1 x', 'Dec 31 x', 'Jan  2 x', 'Feb  1 x', 'no date'].map(y)).toEqual([2025, 2025, 2026, 2025, 2026, 2026, 2026]);
  });
});
