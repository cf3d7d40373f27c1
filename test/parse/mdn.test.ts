import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMdn } from '../../src/parse/mdn.js';
import { corpusPath, describeCorpus } from '../helpers/corpus.js';

// RFC 8098 §9 example shape (synthetic: the corpus holds no read receipt).
const MDN = [
  'From: Joe Recipient <joe@example.com>',
  'Message-Id: <199509200019.12345@example.com>',
  'Subject: Disposition notification',
  'To: Jane Sender <jane@example.org>',
  'Date: Wed, 20 Sep 1995 00:19:00 (EDT) -0400',
  'MIME-Version: 1.0',
  'Content-Type: multipart/report; report-type=disposition-notification;',
  '\tboundary="RAA14128.773615765/example.com"',
  '',
  '--RAA14128.773615765/example.com',
  '',
  'The message sent on 1995 Sep 19 at 13:30:00 (EDT) -0400 to Joe Recipient <joe@example.com> was displayed.',
  '',
  '--RAA14128.773615765/example.com',
  'Content-Type: message/disposition-notification',
  '',
  'Reporting-UA: joes-pc.cs.example.com; Foomail 97.1',
  'Original-Recipient: rfc822;Joe_Recipient@example.com',
  'Final-Recipient: rfc822;Joe_Recipient@example.com',
  'Original-Message-ID: <199509192301.23456@example.org>',
  'Disposition: manual-action/MDN-sent-manually; displayed',
  '',
  '--RAA14128.773615765/example.com--',
  '',
].join('\r\n');

describe('parseMdn', () => {
  it('reads an RFC 8098 read receipt whole', () => {
    expect(parseMdn(Buffer.from(MDN))).toEqual({
      disposition: 'displayed', actionMode: 'manual-action', sendingMode: 'mdn-sent-manually', modifiers: [],
      originalMessageId: '<199509192301.23456@example.org>', finalRecipient: 'Joe_Recipient@example.com',
      originalRecipient: 'Joe_Recipient@example.com', reportingUa: 'Foomail 97.1', mdnGateway: null,
      report: { subject: 'Disposition notification', from: 'Joe Recipient <joe@example.com>', date: '1995-09-20T04:19:00.000Z', messageId: '<199509200019.12345@example.com>' },
      warnings: [],
    });
  });

  it('gives the receipt\'s Date in UTC ISO, as a DSN\'s, whichever side of the offset the zone comment is on', () => {
    const r = parseMdn(Buffer.from(MDN.replace('Date: Wed, 20 Sep 1995 00:19:00 (EDT) -0400', 'Date: Wed, 20 Sep 1995 00:19:00 -0400 (EDT)')));
    expect(r?.report.date).toBe('1995-09-20T04:19:00.000Z');
  });

  it('reads modifiers and deleted/dispatched types', () => {
    const r = parseMdn(Buffer.from(MDN.replace('MDN-sent-manually; displayed', 'MDN-sent-automatically; deleted/error')));
    expect([r?.disposition, r?.sendingMode, r?.modifiers]).toEqual(['deleted', 'mdn-sent-automatically', ['error']]);
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (a) => { parseMdn(Buffer.from(a)); }), { numRuns: 200 });
  });
});

describeCorpus('parseMdn on bounces', () => {
  it('a DSN is not an MDN', () => {
    expect(parseMdn(readFileSync(corpusPath('dsn', 'sisimai', 'rfc3464-01.eml')))).toBeNull();
  });
});
