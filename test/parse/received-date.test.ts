// Table-driven tests for parseReceivedDate: every date form seen in Received headers, each with the exact
// instant, the normalised offset and the exact warnings (a form we had to guess about must say so).
import { describe, expect, it } from 'vitest';
import { parseReceivedDate } from '../../src/parse/received-date.js';

type Row = [input: string, date: string | null, offset: string | null, warnings: RegExp[]];

const RFC5322: Row[] = [
  ['Fri, 20 Nov 2026 14:00:05 +0000', '2026-11-20T14:00:05.000Z', '+0000', []],
  ['20 Nov 2026 14:00:05 -0800', '2026-11-20T22:00:05.000Z', '-0800', []],
  ['Thursday, 23 September 2004 14:35:29 -0600', '2004-09-23T20:35:29.000Z', '-0600', []],
  ['Mon,  1 Mar 2004 01:09:44 -0500 (EST)', '2004-03-01T06:09:44.000Z', '-0500', []],
  ['Mon, 8 Mar 2004 6:07:35 -0800', '2004-03-08T14:07:35.000Z', '-0800', []], // single-digit hour
  ['Fri, 20 Nov 2026 14:00 +0000', '2026-11-20T14:00:00.000Z', '+0000', []], // seconds missing
  ['Thu, 6 May 2004 17:40:44-0500', '2004-05-06T22:40:44.000Z', '-0500', []], // zone glued to the time
  ['Fri, 20 Nov 2026 14:00:05 +05:30', '2026-11-20T08:30:05.000Z', '+0530', []],
  ['14-Nov-2003 08:05:52 +0100', '2003-11-14T07:05:52.000Z', '+0100', []],
  ['Thu, 029 Apr 2011 23:34:45 +0900 (JST)', '2011-04-29T14:34:45.000Z', '+0900', [/weekday "thursday" does not match 2011-04-29/]],
  ['Sun, 22 Apr 2018 02:54:16.987 +0000 (UTC)', '2018-04-22T02:54:16.987Z', '+0000', []], // fractional seconds
  ['Sun, 22 Apr 2018 02:54:16,5 +0000', '2018-04-22T02:54:16.500Z', '+0000', []],
  ['8 Mar 2004 23:59:05 -0000', '2004-03-08T23:59:05.000Z', '-0000', []], // -0000: UTC, local zone unknown
  ['Wed, 31 Dec 2008 23:59:60 +0000', '2008-12-31T23:59:59.000Z', '+0000', [/leap second/]],
];

const YEARS: Row[] = [
  ['8 Mar 04 12:23:56 -0000', '2004-03-08T12:23:56.000Z', '-0000', [/two-digit year "04" read as 2004/]],
  ['1 Jan 49 00:00:00 +0000', '2049-01-01T00:00:00.000Z', '+0000', [/two-digit year "49" read as 2049/]],
  ['1 Jan 50 00:00:00 +0000', '1950-01-01T00:00:00.000Z', '+0000', [/two-digit year "50" read as 1950/]],
  ['Tue, 3 Feb 104 11:14:06 -0500', '2004-02-03T16:14:06.000Z', '-0500', [/three-digit year "104" read as 2004/]],
  ['0099-01-01T00:00:00Z', '0099-01-01T00:00:00.000Z', '+0000', []], // not mapped to 1999 by Date.UTC
];

const ZONES: Row[] = [
  ['Fri, 20 Nov 2026 14:00:05 UT', '2026-11-20T14:00:05.000Z', '+0000', []],
  ['Wed, 17 Mar 2004 02:12:31 GMT', '2004-03-17T02:12:31.000Z', '+0000', []],
  ['Fri, 20 Nov 2026 14:00:05 UTC', '2026-11-20T14:00:05.000Z', '+0000', []],
  ['Fri, 20 Nov 2026 14:00:05 Z', '2026-11-20T14:00:05.000Z', '+0000', []],
  ['Fri, 20 Nov 2026 14:00:05 EST', '2026-11-20T19:00:05.000Z', '-0500', []],
  ['Fri, 20 Nov 2026 14:00:05 EDT', '2026-11-20T18:00:05.000Z', '-0400', []],
  ['Fri, 20 Nov 2026 14:00:05 CST', '2026-11-20T20:00:05.000Z', '-0600', []],
  ['Fri, 20 Nov 2026 14:00:05 CDT', '2026-11-20T19:00:05.000Z', '-0500', []],
  ['Fri, 20 Nov 2026 14:00:05 MST', '2026-11-20T21:00:05.000Z', '-0700', []],
  ['Fri, 20 Nov 2026 14:00:05 MDT', '2026-11-20T20:00:05.000Z', '-0600', []],
  ['Tue, 10 Oct 2006 12:30:27 PDT', '2006-10-10T19:30:27.000Z', '-0700', []],
  ['Fri, 20 Nov 2026 14:00:05 PST', '2026-11-20T22:00:05.000Z', '-0800', []],
  ['Fri, 20 Nov 2026 14:00:05 JST', '2026-11-20T05:00:05.000Z', '+0900', [/non-standard zone name "JST" read as \+0900/]],
  ['Fri, 20 Nov 2026 14:00:05 CET', '2026-11-20T13:00:05.000Z', '+0100', [/non-standard zone name "CET"/]],
  ['Fri, 20 Nov 2026 14:00:05 CEST', '2026-11-20T12:00:05.000Z', '+0200', [/non-standard zone name "CEST"/]],
  ['Fri, 20 Nov 2026 14:00:05 BST', '2026-11-20T13:00:05.000Z', '+0100', [/ambiguous zone name "BST" read as \+0100/]],
  ['Fri, 20 Nov 2026 14:00:05 IST', '2026-11-20T08:30:05.000Z', '+0530', [/ambiguous zone name "IST" read as \+0530/]],
  ['Fri, 20 Nov 2026 14:00:05 A', '2026-11-20T14:00:05.000Z', '-0000', [/military zone "A" is ambiguous/]],
  ['Fri, 20 Nov 2026 14:00:05 GMT+0100', '2026-11-20T13:00:05.000Z', '+0100', []],
  ['Mon, 8 Mar 2004 16:07:35 -0800 (PST)', '2004-03-09T00:07:35.000Z', '-0800', []], // comment after the zone
  // The zone's name in a comment before the offset: RFC 3798's own example. It was read as "no zone, UTC".
  ['Wed, 20 Sep 1995 00:19:00 (EDT) -0400', '1995-09-20T04:19:00.000Z', '-0400', []],
  ['Wed, 20 Sep 1995 00:19:00 (GMT) -0400', '1995-09-20T04:19:00.000Z', '-0400', [/zone comment "\(GMT\)" disagrees with the offset -0400/]],
  ['Wed, 20 Sep 1995 00:19:00 (EDT)', '1995-09-20T04:19:00.000Z', '-0400', [/zone taken from the comment "\(EDT\)": read as -0400/]],
  ['Wed, 20 Sep 1995 00:19:00 (JST)', '1995-09-19T15:19:00.000Z', '+0900', [/non-standard zone name "JST"/, /zone taken from the comment/]],
  ['Wed, 20 Sep 1995 00:19:00 (foo)', '1995-09-20T00:19:00.000Z', null, [/no time zone; UTC assumed/]],
  ['Fri, 20 Nov 2026 14:00:05', '2026-11-20T14:00:05.000Z', null, [/no time zone; UTC assumed/]],
];

const OTHER_FORMS: Row[] = [
  ['Tue Mar  2 09:44:33 2004', '2004-03-02T09:44:33.000Z', null, [/no time zone/]], // asctime
  ['Thu Oct  5 12:00:00 UTC 2006', '2006-10-05T12:00:00.000Z', '+0000', []], // date(1): zone before the year
  ['2018-04-22 02:54:17.028704749 +0000 UTC', '2018-04-22T02:54:17.028Z', '+0000', []], // SendGrid (Go)
  ['2018-04-22 02:54:17.028704749 +0000 UTC m=+0.123456789', '2018-04-22T02:54:17.028Z', '+0000', []],
  ['2026-11-20T14:00:05Z', '2026-11-20T14:00:05.000Z', '+0000', []],
  ['2026-11-20T14:00:05.5+01:00', '2026-11-20T13:00:05.500Z', '+0100', []],
  ['Sat, 21\r\n Apr 2018 03:01:32\r\n +0000', '2018-04-21T03:01:32.000Z', '+0000', []], // folded
  ['Sat, 21\n\tApr 2018 03:01:32\n +0000', '2018-04-21T03:01:32.000Z', '+0000', []],
];

const IN_HEADERS: Row[] = [
  ['from a (b [1.2.3.4]) by c with ESMTP id X; Fri, 20 Nov 2026 14:00:05 +0100', '2026-11-20T13:00:05.000Z', '+0100', []],
  // no `;`: the date ends the header
  ['from LOCALHOST by LOCALHOST with ESMTP id EF01F5A6 Mon, 11 Sep 2006 11:41:10 -0500', '2006-09-11T16:41:10.000Z', '-0500', []],
  ['by filter0652p1las1.sendgrid.net with SMTP id f-5089-25\n        2018-04-22 02:54:17.028704749 +0000 UTC', '2018-04-22T02:54:17.028Z', '+0000', []],
  // text after the date
  ['by sf1.isc.org (Postfix) with ESMTP id C986; Sat, 16 Oct 2004 21:30:02 +0000 (UTC) (envelope-from b@isc.org)', '2004-10-16T21:30:02.000Z', '+0000', []],
  ['by mydomain.com with esmtp; Thu, 10 Nov 2005 08:24:21 -0600 id 000000DB.43735815.00001E11', '2005-11-10T14:24:21.000Z', '-0600', []],
  ['by SpamControl ;  8 Mar 04 12:23:56 -0000', '2004-03-08T12:23:56.000Z', '-0000', [/two-digit year/]],
  ['from x via SMTP by st.tahina.priv.at, id smtpdEDUB8h; Sun Nov 13 14:50:12 2005', '2005-11-13T14:50:12.000Z', null, [/no time zone/]],
  // a `;` inside a comment is not the date separator
  ['from x (a; b) by y; Fri, 20 Nov 2026 14:00:05 +0000', '2026-11-20T14:00:05.000Z', '+0000', []],
  ['from a by b (iPlanet (built Jun 24 2005)) id <x@y>; Mon, 05 Jun 2006 16:02:40 -0400 (EDT)', '2006-06-05T20:02:40.000Z', '-0400', []],
];

const INVALID: Row[] = [
  ['Fri, 30 Feb 2004 10:00:00 +0000', null, null, [/invalid date: day 30 does not exist in Feb 2004/]],
  ['Sun, 29 Feb 2004 10:00:00 +0000', '2004-02-29T10:00:00.000Z', '+0000', []], // leap year
  ['Tue, 29 Feb 2005 10:00:00 +0000', null, null, [/day 29 does not exist in Feb 2005/]],
  ['Mon, 8 Mar 2004 25:00:00 +0000', null, null, [/invalid date: hour 25/]],
  ['Mon, 8 Mar 2004 12:60:00 +0000', null, null, [/invalid date: minute 60/]],
  ['Mon, 8 Mar 2004 12:00:61 +0000', null, null, [/invalid date: second 61/]],
  ['Mon, 8 Mar 2004 12:00:00 +2500', null, null, [/invalid zone offset/]],
  ['Mon, 8 Foo 2004 12:00:00 +0000', null, null, [/no date found/]],
  ['from a by b with SMTP', null, null, [/no date found/]],
  ['', null, null, [/no date found/]],
  ['; 22 Apr 2018', null, null, [/date "22 Apr 2018" has no time of day; not used/]],
  ['Mon, 8 Mar 2004 12:00:00 +0000', '2004-03-08T12:00:00.000Z', '+0000', []],
  ['Tue, 8 Mar 2004 12:00:00 +0000', '2004-03-08T12:00:00.000Z', '+0000', [/weekday "tuesday" does not match 2004-03-08/]],
];

function check(rows: Row[]): void {
  it.each(rows)('%j', (input, date, offset, warnings) => {
    const r = parseReceivedDate(input);
    expect({ date: r.date, offset: r.offset }).toEqual({ date, offset });
    expect(r.warnings).toHaveLength(warnings.length);
    warnings.forEach((w, i) => expect(r.warnings[i]).toMatch(w));
  });
}

describe('parseReceivedDate', () => {
  describe('RFC 5322 forms', () => check(RFC5322));
  describe('two- and three-digit years (RFC 5322 §4.3)', () => check(YEARS));
  describe('zones', () => check(ZONES));
  describe('asctime, ISO-like, Go and folded forms', () => check(OTHER_FORMS));
  describe('dates inside whole Received values', () => check(IN_HEADERS));
  describe('invalid dates give null and a warning, never a wrapped date', () => check(INVALID));

  it('keeps the date text exactly as written after unfolding', () => {
    expect(parseReceivedDate('by x; Sat, 21\r\n Apr 2018 03:01:32\r\n +0000 (UTC)').raw).toBe('Sat, 21 Apr 2018 03:01:32 +0000 (UTC)');
    expect(parseReceivedDate('by x; Fri, 30 Feb 2004 10:00:00 +0000').raw).toBe('Fri, 30 Feb 2004 10:00:00 +0000');
    expect(parseReceivedDate('by x with SMTP').raw).toBeNull();
  });
});
