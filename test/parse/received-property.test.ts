// Hostile-input safety for the Received parser: fast-check says it never throws and its output keeps its
// invariants; adversarial 1 MB inputs and 10,000-header chains complete in linear time.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HeaderField } from '../../src/model/header.js';
import type { ParsedReceived } from '../../src/model/hop.js';
import { buildHopChain } from '../../src/parse/received-chain.js';
import { parseReceivedDate } from '../../src/parse/received-date.js';
import { parseReceived } from '../../src/parse/received.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const OFFSET = /^[+-]\d{4}$/;

function expectInvariants(p: ParsedReceived): void {
  expect(p.fromHost).toBe(p.rdns ?? p.helo);
  if (p.date !== null) expect(p.date).toMatch(ISO);
  if (p.dateOffset !== null) expect(p.dateOffset).toMatch(OFFSET);
  if (p.fromPort !== null) expect(p.fromPort >= 1 && p.fromPort <= 65535).toBe(true);
  expect(p.warnings.every((w) => typeof w === 'string')).toBe(true);
  expect(p.warnings.length).toBeLessThanOrEqual(26);
}

/** Fragments that exercise every branch of the tokenizer and the clause reader. */
const fragment = fc.constantFrom(
  'from', 'by', 'with', 'via', 'id', 'for', 'FROM', ' ', '  ', '\r\n ', '\n\t', '(', ')', '((', '))', '[', ']', ';', ',',
  '<', '>', '<>', '"', '\\', '@', 'helo=', 'HELO', 'EHLO', 'account', 'verified', 'unknown', 'tls', 'over TLS secured',
  '1.2.3.4', '[1.2.3.4]', '[1.2.3.4]:587', '[1.2.3.4.65536]', '::1', '[IPv6:2001:db8::1]', 'fe80::1%eth0', '::ffff:1.2.3.4',
  'user@5.6.7.8', 'mx.example.org', 'ESMTPSA', 'ESMTPS', 'HTTP', 'Microsoft SMTP Server', '(Exim 4.96)',
  '(using TLSv1.3 with cipher X (256/256 bits))', '(version=TLS1_2, cipher=Y)', '(Authenticated sender: a)',
  '(envelope-from <a@b>)', 'Mon,', 'Thu', '8', '31', 'Feb', 'Mar', '2004', '04', '104', '12:00', '25:61:61', '23:59:60',
  '09:44:33.123456789', '+0000', '-0800', '+2500', 'UTC', 'PST', 'A', 'Z', 'm=+0.1', '2018-04-22', 'T', 'é', '😀', '\u0000',
);
const headerish = fc.array(fragment, { maxLength: 60 }).map((parts) => parts.join(''));

describe('parseReceived / parseReceivedDate never throw', () => {
  it('on arbitrary unicode strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (s) => {
        expectInvariants(parseReceived(s));
        const d = parseReceivedDate(s);
        if (d.date !== null) expect(d.date).toMatch(ISO);
      }),
      { numRuns: 300 },
    );
  });

  it('on arbitrary binary-ish strings (lone surrogates, control chars)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => expectInvariants(parseReceived(s))), { numRuns: 300 });
  });

  it('on header-shaped strings built from real fragments', () => {
    fc.assert(
      fc.property(headerish, (s) => {
        expectInvariants(parseReceived(s));
        const d = parseReceivedDate(s);
        if (d.date !== null) expect(d.date).toMatch(ISO);
        if (d.offset !== null) expect(d.offset).toMatch(OFFSET);
      }),
      { numRuns: 500 },
    );
  });

  it('on deep nesting and many semicolons', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 5000 }), (open, close) => {
        expectInvariants(parseReceived(`from a ${'('.repeat(open)}x${')'.repeat(close)} by b; Mon, 8 Mar 2004 12:00:00 +0000`));
        expectInvariants(parseReceived(`${';'.repeat(open)} by b ${';'.repeat(close)}`));
      }),
      { numRuns: 50 },
    );
  });
});

describe('adversarial sizes complete in linear time', () => {
  const MB = 1_000_000;
  const inputs: Array<[string, string]> = [
    ['1 MB of "("', '('.repeat(MB)],
    ['1 MB of ")"', ')'.repeat(MB)],
    ['500k-deep matched nesting', `from a ${'('.repeat(MB / 2)}${')'.repeat(MB / 2)} by b`],
    ['"from " x 200k', 'from '.repeat(200_000)],
    ['"from a " x 125k', `from ${'a '.repeat(MB / 2)}`],
    ['1 MB of "["', '['.repeat(MB)],
    ['1 MB of ";"', ';'.repeat(MB)],
    ['1 MB of digits', '0'.repeat(MB)],
    ['1 MB word then a date', `by ${'x'.repeat(MB)}; Mon, 8 Mar 2004 12:00:00 +0000`],
    ['1 MB of whitespace before the date', `by b;${' '.repeat(MB)}Mon, 8 Mar 2004 12:00:00 +0000`],
    ['200k comments', `from a ${'(x) '.repeat(200_000)}by b`],
    ['200k date-looking words', '8 Mar 2004 '.repeat(90_000)],
    ['200k "<" in for', `by b for ${'<'.repeat(MB)}`],
    ['authenticated + 1 MB spaces', `from a (authenticated${' '.repeat(MB)}x) by b`],
  ];

  it.each(inputs)('%s', (_name, input) => {
    const t0 = performance.now();
    const p = parseReceived(input);
    parseReceivedDate(input);
    const ms = performance.now() - t0;
    expectInvariants(p);
    // Measured 15–30 ms per 1 MB input here; 2000 ms is >60x headroom and only catches quadratic blow-ups.
    expect(ms).toBeLessThan(2000);
  });

  it('10,000 Received headers through buildHopChain', () => {
    const fields: HeaderField[] = [];
    for (let i = 0; i < 10_000; i++) {
      const raw = `from h${i}.example (h${i}.example [192.0.2.${i % 250}]) by h${i + 1}.example with ESMTP id Q${i}; ${new Date(Date.UTC(2026, 0, 1, 0, 0, 10_000 - i)).toUTCString()}`;
      fields.push({ index: i, name: 'Received', key: 'received', raw, value: raw, offset: 0 });
    }
    const t0 = performance.now();
    const hops = buildHopChain(fields);
    const ms = performance.now() - t0;
    console.log(`buildHopChain: 10,000 Received headers in ${ms.toFixed(0)} ms`);
    expect(hops).toHaveLength(10_000);
    expect(hops[0]!.headerIndex).toBe(9_999);
    expect(hops.slice(1).every((h) => h.delaySeconds === 1 && h.skew.length === 0)).toBe(true);
    // Measured ~250 ms here; 5000 ms is ~20x headroom.
    expect(ms).toBeLessThan(5000);
  });
});
