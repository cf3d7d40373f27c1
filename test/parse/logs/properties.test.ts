// Hostile input: every log parser must return an event or null — never throw — on arbitrary strings and on
// real lines mutated at random, and must stay linear in line length (no catastrophic backtracking).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LineContext, LogEvent } from '../../../src/model/log-event.js';
import { parseEximLine } from '../../../src/parse/logs/exim.js';
import { parsePostfixLine, parsePostfixMessage } from '../../../src/parse/logs/postfix.js';
import { parseSendmailLine } from '../../../src/parse/logs/sendmail.js';
import { parseSyslogPrefix } from '../../../src/parse/logs/syslog-prefix.js';
import { fixturePath } from '../../helpers/corpus.js';
import { mutatedLines } from '../../helpers/mutate.js';

const PARSERS: Array<[string, (l: string, c: LineContext) => unknown]> = [
  ['postfix', parsePostfixLine],
  ['postfix message (smtpd)', (l, c) => parsePostfixMessage(l, 'smtpd', c, null)],
  ['postfix message (cleanup)', (l, c) => parsePostfixMessage(l, 'cleanup', c, null)],
  ['postfix message (smtp)', (l, c) => parsePostfixMessage(l, 'smtp', c, null)],
  ['exim', parseEximLine],
  ['sendmail', parseSendmailLine],
  ['syslog prefix', parseSyslogPrefix],
];

const REAL = [
  ...readFileSync(fixturePath('logs', 'postfix-two-instances.log'), 'utf8').split('\n'),
  ...readFileSync(fixturePath('logs', 'exim-mainlog.log'), 'utf8').split('\n'),
  'Apr  2 00:15:25 mta001 sendmail[32302]: u31FFPtp032300: to=<a@example.com>,<b@example.com>, delay=00:00:00, xdelay=00:00:00, mailer=esmtp, pri=245938, relay=[192.0.2.1] [192.0.2.1], dsn=2.0.0, stat=Sent (ok:  Message 40279894 accepted)',
  'Feb 25 03:01:10 kismet sm-mta[27713]: s1P819mk027713: ruleset=check_rcpt, arg1=<x@example.ru>, relay=h.example [192.0.2.9], reject=550 5.7.1 <x@example.ru>... Relaying denied.',
  '2023-03-14T00:08:35.948047+01:00 helga postfix/amavis/smtp[302609]: 4PbC4x469Jz3tBr: to=<u@example.net>, orig_to=<f@example.de>, relay=127.0.0.1[127.0.0.1]:10024, delay=2.4, delays=0.29/0.02/0.01/2.1, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as 4PbC4z6W5Qz3tG3)',
  // SMTP AUTH on the accepting line (submission-auth.ts): Postfix sasl_*, Exim A=, Sendmail AUTH=server and auth=.
  'Nov 24 18:30:00 smtp postfix/submission/smtpd[23906]: DCE5F1664CE: client=unknown[127.0.0.1], sasl_method=PLAIN, sasl_username=alice@example.org, sasl_sender=a@example.org',
  '2026-11-20 14:00:05 +0100 1vMcDe-0001Ab-Q1 <= alice@example.org H=(laptop) [192.0.2.10]:41234 P=esmtpsa A=dovecot_plain:alice:alice@example.org S=2310 id=x@example.org for bob@example.net',
  'Dec  6 11:43:12 b.mail.example.net sm-mta[29813]: AUTH=server, relay=c.example.net [192.0.2.7], authid=augie, mech=PLAIN, bits=0',
].filter((l) => l !== '');

/** Random edits of a real line, with noise that is rich in separators. */
const mutated = mutatedLines(REAL, ['[', ']', '<', '>', '=', ',', ' ', ':', '(', ')', '"', '\\', 'z', '5', '.', '-', 'é', '\u0000']);

const CTXS: LineContext[] = [
  { line: 1, offset: 0 },
  { line: 1, offset: 0, year: 2026, tz: 'Europe/Berlin' },
  { line: 1, offset: 0, year: 2026, tz: 'No/Such_Zone' },
  { line: 1, offset: 0, year: 2026, tz: -720 },
];

describe('log parsers never throw', () => {
  for (const [name, parse] of PARSERS) {
    it(`${name}: arbitrary strings`, () => {
      fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom(...CTXS), (s, c) => { parse(s, c); }), { numRuns: 2000 });
    });
    it(`${name}: mutated real lines`, () => {
      fc.assert(fc.property(mutated, fc.constantFrom(...CTXS), (s, c) => {
        const ev = parse(s, c) as LogEvent | null;
        if (ev !== null && 'format' in ev) expect(typeof ev.line).toBe('number');
      }), { numRuns: 3000 });
    });
  }
});

describe('log parsers are linear in line length', () => {
  // Adversarial shapes: endless separators, an unclosed bracket/quote/angle, a key=value list that never ends.
  const N = 2_000_000;
  const prefix = 'Nov 20 14:00:05 mx postfix/smtpd[1]: ';
  const bodies = [
    'NOQUEUE: reject: RCPT from ' + 'a['.repeat(N / 2),
    '4104E3D: to=<' + 'x, '.repeat(N / 3),
    '4104E3D: to=' + 'a=b, '.repeat(N / 5),
    'warning: ' + ' from '.repeat(N / 6),
    '4104E3D: reject: header Subject: ' + ' from x[1.2.3.4]; '.repeat(N / 20),
    'connect from ' + '('.repeat(N),
    '4104E3D: client=a[1.2.3.4], sasl_method=PLAIN, sasl_username=' + ', , x'.repeat(N / 5),
  ];
  const eximBodies = ['2026-11-20 14:00:05 1abcDE-000Xyz-AB <= a ' + 'H=( '.repeat(N / 4), '2026-11-20 14:00:05 H=' + ' ['.repeat(N / 2), '2026-11-20 14:00:05 x "'.concat('\\"'.repeat(N / 2))];
  const smBodies = [
    'Nov 20 14:00:05 h sm-mta[1]: s1P819mk027713: to=' + '<a>,'.repeat(N / 4), 'Nov 20 14:00:05 h sm-mta[1]: s1P819mk027713: ' + '['.repeat(N),
    'Nov 20 14:00:05 h sm-mta[1]: AUTH=server, relay=' + 'a, '.repeat(N / 3),
  ];

  it('a 2 MB hostile line of each shape parses in well under a second', () => {
    const ctx = { line: 1, offset: 0, year: 2026, tz: 0 };
    const cases: Array<[(l: string, c: LineContext) => unknown, string]> = [
      ...bodies.map((b) => [parsePostfixLine, prefix + b] as [typeof parsePostfixLine, string]),
      ...bodies.map((b) => [parsePostfixLine, prefix.replace('smtpd', 'smtp') + b] as [typeof parsePostfixLine, string]),
      ...bodies.map((b) => [parsePostfixLine, prefix.replace('smtpd', 'cleanup') + b] as [typeof parsePostfixLine, string]),
      ...eximBodies.map((b) => [parseEximLine, b] as [typeof parseEximLine, string]),
      ...smBodies.map((b) => [parseSendmailLine, b] as [typeof parseSendmailLine, string]),
    ];
    for (const [parse, line] of cases) {
      const t0 = performance.now();
      parse(line, ctx);
      const ms = performance.now() - t0;
      expect(ms, line.slice(0, 60)).toBeLessThan(1000);
    }
  });
});
