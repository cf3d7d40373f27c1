import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBounce, readReport } from '../../src/parse/dsn/index.js';
import { corpusPath, describeCorpus } from '../helpers/corpus.js';

const read = (...p: string[]): Buffer => readFileSync(corpusPath('dsn', ...p));
const files = (dir: string): string[] => readdirSync(corpusPath('dsn', dir)).filter((f) => /\.(eml|mbox)$/.test(f));

describeCorpus('parseBounce on real bounces', () => {
  it('reads lhost-qmail-01 whole (plain-text qmail bounce, quoted original)', () => {
    const r = parseBounce(read('sisimai', 'lhost-qmail-01.eml'));
    expect(r).toEqual({
      kind: 'bounce', format: 'qmail', reportingMta: null, arrivalDate: null, originalEnvelopeId: null,
      recipients: [{
        address: 'kijitora@example.ne.jp', originalRecipient: null, action: 'failed', status: '5.5.0', statusInferred: false,
        replyCode: '550', diagnosticType: null,
        diagnostic: expect.stringContaining('550 Unknown user kijitora@example.ne.jp'),
        remoteMta: '192.0.2.32', command: 'RCPT', reason: 'userunknown', hardBounce: true, lastAttemptDate: null, willRetryUntil: null,
      }],
      original: {
        messageId: '<000000000.9999999999999.JavaMail.postmaster@mailhub>', from: 'nekochan@example.jp', to: ['kuroneko@example.com'],
        subject: 'Message', date: '2013-04-23T15:00:00.000Z', source: 'quoted',
      },
      feedback: null, autoReply: null,
      report: { subject: 'failure notice', from: 'mailer-daemon@mx4.example.jp', date: '2013-04-23T15:00:00.000Z', messageId: null },
      warnings: [],
    });
  });

  // rb-issue-368-bug.eml sits in Sisimai's maildir/not because rb-sisimai crashed on it (rb-sisimai#368), but it
  // is a real bounce ("reject reason: Mailbox full"); dsn-formats.test.ts pins how we read it.
  const NOT_A_NEGATIVE = new Set(['rb-issue-368-bug.eml']);

  it.each(['sisimai-not-bounce', 'sisimai'])('negative controls and RFC 3834 auto-replies are not bounces (%s)', (dir) => {
    for (const f of files(dir).filter((x) => (dir === 'sisimai-not-bounce' && !NOT_A_NEGATIVE.has(x)) || x.startsWith('rfc3834-'))) {
      const r = parseBounce(read(dir, f));
      expect(r === null || r.kind === 'auto-reply', f).toBe(true);
    }
  });

  it('reads the same bounce alike with LF, CRLF and bare-CR line endings', () => {
    for (const dir of ['sisimai-crlf', 'sisimai-cr-only']) {
      for (const f of files(dir)) {
        const a = parseBounce(read('sisimai', f));
        const b = parseBounce(read(dir, f));
        expect(b?.recipients.map((x) => [x.address, x.status, x.reason]), `${dir}/${f}`).toEqual(
          a?.recipients.map((x) => [x.address, x.status, x.reason]),
        );
      }
    }
  });

  it.each(['flanker', 'exim-testsuite', 'eml-analyzer-mikel-mail'])('every report in dsn/%s is read as a bounce/delay/delivery', (dir) => {
    for (const f of files(dir)) {
      const r = parseBounce(read(dir, f));
      if (f === 'zed.eml' || f === 'broken-mime.eml') continue; // not a report / deliberately broken (flanker)
      expect(r, `${dir}/${f}`).not.toBeNull();
      expect(['bounce', 'delay', 'delivery'], `${dir}/${f}`).toContain(r?.kind);
      expect(r?.recipients.length, `${dir}/${f}`).toBeGreaterThan(0);
    }
  });

  it('keeps what the DSN says: flanker delayed.eml is Action: failed with a 4.x status', () => {
    const r = parseBounce(read('flanker', 'delayed.eml'));
    expect(r?.kind).toBe('bounce');
    expect(r?.recipients[0]?.action).toBe('failed');
    expect(r?.recipients[0]?.status).toBe('4.0.0');
  });

  it('reads ARF feedback types like stalwart does', () => {
    for (const f of files('arf').filter((x) => x.startsWith('stalwart-'))) {
      const want = JSON.parse(read('arf', f.replace('.eml', '.json')).toString('utf8')) as { feedback_type: string; user_agent: string | null };
      const r = parseBounce(read('arf', f));
      expect(r?.kind, f).toBe('feedback');
      expect(r?.feedback?.feedbackType, f).toBe(want.feedback_type.toLowerCase().replace(/^authfailure$/, 'auth-failure'));
      expect(r?.feedback?.userAgent, f).toBe(want.user_agent);
    }
  });
});

describe('parseBounce never throws', () => {
  it('on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 3000 }), (a) => {
      readReport(Buffer.from(a));
    }), { numRuns: 300 });
  });

  it('on multipart/report skeletons with random content', () => {
    const head = 'From: MAILER-DAEMON@x\nSubject: Undelivered\nContent-Type: multipart/report; report-type=delivery-status; boundary="b"\n\n--b\n';
    fc.assert(fc.property(fc.string({ maxLength: 2000 }), fc.string({ maxLength: 500 }), (s, t) => {
      readReport(Buffer.from(`${head}Content-Type: text/plain\n\n${s}\n--b\nContent-Type: message/delivery-status\n\n${t}\n--b--\n`));
    }), { numRuns: 300 });
  });
});

describeCorpus('parseBounce never throws on mutated real bounces', () => {
  it('truncations and byte flips of sisimai bounces', () => {
    const sample = files('sisimai').slice(0, 40).map((f) => read('sisimai', f));
    fc.assert(fc.property(fc.nat({ max: sample.length - 1 }), fc.nat(), fc.nat({ max: 255 }), fc.boolean(), (i, pos, byte, cut) => {
      const src = Buffer.from(sample[i] ?? Buffer.alloc(0));
      if (src.length === 0) return;
      const at = pos % src.length;
      const m = cut ? src.subarray(0, at) : (src[at] = byte, src);
      readReport(m);
    }), { numRuns: 300 });
  });
});
