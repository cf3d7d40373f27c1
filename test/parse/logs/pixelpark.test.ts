// The real three-day Postfix log (pixelpark-postfix-logsums/mail.log.gz, 69,861 RFC 3339 lines: postscreen,
// smtpd on three instances, an amavis content filter re-injecting on postfix/10025/smtpd, dovecot pipe delivery).
// Gunzipped in the test, read in place. Counts are compared with grep-style counts computed here on the same text.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { beforeAll, expect, it } from 'vitest';
import type { LogEvent } from '../../../src/model/log-event.js';
import { parsePostfixLine } from '../../../src/parse/logs/postfix.js';
import { submissionAuthOf } from '../../../src/parse/logs/submission-auth.js';
import { corpusPath, describeCorpus } from '../../helpers/corpus.js';

describeCorpus('pixelpark three-day Postfix log', () => {
  let lines: string[] = [];
  const events: Array<LogEvent | null> = [];
  const errors: string[] = [];
  let offsets: number[] = [];
  let buf: Buffer = Buffer.alloc(0);

  beforeAll(() => {
    buf = gunzipSync(readFileSync(corpusPath('logs', 'postfix', 'pixelpark-postfix-logsums', 'mail.log.gz')));
    // Split on bytes, not on decoded text: 89 lines carry non-UTF-8 bytes, so re-encoding would shift offsets.
    lines = [];
    offsets = [];
    for (let off = 0; off < buf.length;) {
      const nl = buf.indexOf(10, off);
      const end = nl < 0 ? buf.length : nl;
      offsets.push(off);
      lines.push(buf.toString('utf8', off, end));
      off = end + 1;
    }
    lines.forEach((l, i) => {
      try {
        events.push(parsePostfixLine(l, { line: i + 1, offset: offsets[i] ?? 0 }));
      } catch (e) {
        events.push(null);
        errors.push(`line ${i + 1}: ${String(e)}`);
      }
    });
  });

  it('parses all 69,861 lines without an exception', () => {
    expect(lines.length).toBe(69861);
    expect(errors).toEqual([]);
  });

  it('counts status=sent like grep does (the README says 364)', () => {
    const grepCount = lines.filter((l) => l.includes('status=sent')).length;
    const ours = events.filter((e) => e !== null && (e.status === 'sent' || e.status === 'delivered')).length;
    expect(grepCount).toBe(364);
    expect(ours).toBe(grepCount);
  });

  it('gives every line with ` status=` an event with a status, a time and a queue id', () => {
    const bad = lines
      .map((l, i) => [l, events[i]] as const)
      .filter(([l, e]) => l.includes(' status=') && (e === null || e === undefined || e.status === null || e.time === null || e.queueId === null))
      .map(([l]) => l);
    expect(bad).toEqual([]);
  });

  it('keeps line and byte offset so the cited line can be re-read from the artifact', () => {
    let checked = 0;
    events.forEach((e, i) => {
      if (e === null || i % 97 !== 0) return;
      const end = buf.indexOf(10, e.offset);
      expect(buf.toString('utf8', e.offset, end < 0 ? buf.length : end)).toBe(lines[i]);
      expect(e.line).toBe(i + 1);
      checked++;
    });
    expect(checked).toBeGreaterThan(100);
  });

  it('links every content-filter hop: amavis "queued as X" names a queue id received on postfix/10025/smtpd', () => {
    const reinjected = new Set(events.filter((e) => e?.program === 'postfix/10025/smtpd' && e.status === 'received').map((e) => e?.queueId));
    const hops = events.filter((e) => e?.program === 'postfix/amavis/smtp' && e.status === 'sent');
    expect(hops.length).toBeGreaterThan(100);
    // Line 31069: amavis answered `250 2.7.0 Ok, discarded, id=351462-17 - BANNED: …`: Postfix logs status=sent,
    // but the filter discarded the message; `id=` is amavis's own id (its log says `(351462-17)`), never re-injected.
    const discarded = hops.filter((e) => e?.reply?.includes('discarded'));
    expect(discarded.map((e) => [e?.line, e?.remoteQueueId])).toEqual([[31069, '351462-17']]);
    const unlinked = hops.filter((e) => !e?.reply?.includes('discarded')).filter((e) => !reinjected.has(e?.remoteQueueId ?? '')).map((e) => `${e?.line}: ${e?.remoteQueueId}`);
    expect(unlinked).toEqual([]);
  });

  it('keeps the SASL login of all 16 authenticated submissions (postfix/submission/smtpd client= lines)', () => {
    const grep = lines.filter((l) => l.includes(', sasl_username='));
    const withLogin = events.filter((e): e is LogEvent => e !== null && submissionAuthOf(e) !== null);
    expect(grep).toHaveLength(16);
    expect(withLogin).toHaveLength(16);
    expect(withLogin.map((e) => e.line)).toEqual(lines.flatMap((l, i) => (l.includes(', sasl_username=') ? [i + 1] : [])));
    expect(new Set(withLogin.map((e) => submissionAuthOf(e)?.login))).toEqual(new Set(['vmail@uhu-banane.net']));
    // Each line's own sasl_method: PLAIN from most clients, LOGIN from host2 (three mornings).
    expect(withLogin.map((e) => submissionAuthOf(e)?.method)).toEqual(grep.map((l) => /sasl_method=(\w+)/.exec(l)?.[1]));
    expect(withLogin.filter((e) => submissionAuthOf(e)?.method === 'LOGIN').map((e) => e.client?.host)).toEqual(['host2.uhu-banane.de', 'host2.uhu-banane.de', 'host2.uhu-banane.de']);
    // The line the issue quotes, whole: the client endpoint is still read, the login goes to `detail`.
    const first = withLogin[0]!;
    expect(lines[first.line - 1]).toContain('4PbCZy4PWKz3tBr: client=unknown[2a02:8109:b240:41c8:9264:99a9:1b0d:15c8], sasl_method=PLAIN, sasl_username=vmail@uhu-banane.net');
    expect(first).toMatchObject({
      program: 'postfix/submission/smtpd', queueId: '4PbCZy4PWKz3tBr', status: 'received', time: '2023-03-13T23:31:06.621Z',
      client: { host: 'unknown', ip: '2a02:8109:b240:41c8:9264:99a9:1b0d:15c8', port: null },
      detail: 'authenticated (PLAIN) as vmail@uhu-banane.net',
    });
    // No other received line (smtpd on port 25, the amavis re-injection on 10025, pickup) claims a login.
    expect(events.filter((e) => e !== null && e.status === 'received' && e.program !== 'postfix/submission/smtpd').some((e) => e?.detail !== null)).toBe(false);
  });

  it('agrees with simple counts of rejects, bounces and removals', () => {
    const count = (re: RegExp): number => lines.filter((l) => re.test(l)).length;
    const ev = (f: (e: LogEvent) => boolean): number => events.filter((e) => e !== null && f(e)).length;
    expect(ev((e) => e.status === 'rejected')).toBe(count(/: (NOQUEUE: |[0-9A-Za-z]+: )?(milter-)?reject: /));
    expect(ev((e) => e.status === 'bounced')).toBe(count(/ status=bounced /));
    expect(ev((e) => e.status === 'removed')).toBe(count(/: [0-9A-Za-z]+: removed$/));
    expect(ev((e) => e.messageId !== null)).toBe(count(/ postfix\/cleanup\[\d+\]: [0-9A-Za-z]+: message-id=/));
    // All lines here are RFC 3339 with an offset: no assumption is needed.
    expect(ev((e) => e.timeBasis !== 'explicit-zone')).toBe(0);
  });
});
