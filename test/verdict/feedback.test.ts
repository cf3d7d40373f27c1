// Feedback reports (ARF, RFC 5965 and RFC 6591) as evidence about a message: which say it reached a user's mailbox
// (a complaint, "not spam") and which only that a receiving server had it (an authentication-failure report), and
// how they are worded. The reports are built here to the RFCs' own examples; real ones are linked end to end in
// test/cli/investigate-reports.test.ts (corpus).
import { describe, expect, it } from 'vitest';
import { parseBounce } from '../../src/parse/dsn/index.js';
import { feedbackKind, feedbackWords, isUserFeedback, reportedMessageId } from '../../src/verdict/reports.js';
import { corpusPath, describeCorpus } from '../helpers/corpus.js';
import { readFileSync } from 'node:fs';

function arf(type: string, extra: string[] = []): Buffer {
  return Buffer.from([
    'From: <abusedesk@mbp.example>', 'To: <abuse@sender.example>', 'Subject: FW: Earn money', 'Date: Thu, 8 Mar 2005 17:40:36 EDT',
    'MIME-Version: 1.0', 'Content-Type: multipart/report; report-type=feedback-report; boundary="b1"', '',
    '--b1', 'Content-Type: text/plain', '', 'This is an email abuse report.', '',
    '--b1', 'Content-Type: message/feedback-report', '',
    `Feedback-Type: ${type}`, 'User-Agent: SomeGenerator/1.0', 'Version: 1', 'Original-Mail-From: <spammer@sender.example>',
    'Original-Rcpt-To: <user@mbp.example>', 'Arrival-Date: Thu, 8 Mar 2005 14:00:00 EDT', 'Source-IP: 192.0.2.1', 'Reporting-MTA: dns; mail.mbp.example', ...extra, '',
    '--b1', 'Content-Type: message/rfc822', '',
    'From: <spammer@sender.example>', 'To: <user@mbp.example>', 'Subject: Earn money', 'Message-ID: <8787KJ@sender.example>', 'Date: Thu, 8 Mar 2005 13:59:00 EDT', '',
    'Spam spam spam.', '', '--b1--', '',
  ].join('\r\n'));
}

describe('feedback reports as evidence', () => {
  it('a complaint names the message and says it reached the user, from where and when (UTC)', () => {
    const b = parseBounce(arf('abuse'))!;
    expect(reportedMessageId(arf('abuse'))).toBe('<8787KJ@sender.example>');
    expect(isUserFeedback(b)).toBe(true);
    expect(feedbackWords(b)).toBe("its user's complaint (feedback type abuse) for user@mbp.example; it had arrived from 192.0.2.1 (arrival 2005-03-08T18:00:00.000Z)");
    expect(feedbackKind(b)).toBe('a feedback report (ARF, RFC 5965)');
  });
  it('"not spam" is the user\'s word too', () => {
    const b = parseBounce(arf('not-spam'))!;
    expect(isUserFeedback(b)).toBe(true);
    expect(feedbackWords(b)).toMatch(/^that its user marked it as not spam for user@mbp\.example; it had arrived/);
  });
  it('an authentication-failure report is the receiving server\'s: no word of a mailbox', () => {
    const b = parseBounce(arf('auth-failure', ['Auth-Failure: dkim']))!;
    expect(isUserFeedback(b)).toBe(false);
    expect(feedbackWords(b)).toBe('that it failed authentication (dkim) when it arrived for user@mbp.example from 192.0.2.1 (arrival 2005-03-08T18:00:00.000Z)');
    expect(feedbackKind(b)).toBe('an authentication-failure report (RFC 6591)');
  });
});

describeCorpus('a Hotmail/Outlook.com complaint (JMRP) is a complaint, and is not called ARF', () => {
  it('dsn/arf/sisimai-arf-22.eml: multipart/mixed with no feedback-report part', () => {
    const bytes = readFileSync(corpusPath('dsn', 'arf', 'sisimai-arf-22.eml'));
    const b = parseBounce(bytes)!;
    expect(b).toMatchObject({ kind: 'feedback', format: 'jmrp' });
    expect(isUserFeedback(b)).toBe(true);
    expect(feedbackKind(b)).toBe('a Hotmail/Outlook.com complaint report (JMRP, not ARF)');
    expect(reportedMessageId(bytes)).toBe('<0000000000fffffffff0000000000000@example.com>');
  });
});
