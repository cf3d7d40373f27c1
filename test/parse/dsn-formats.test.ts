// Regression tests for the report layouts parseBounce learned while raising agreement with Sisimai's
// expectations (issue 6): each test is named after the layout it pins, and reads the corpus in place.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { joinReplyLines, findStatus, pseudoStatus } from '../../src/parse/dsn/codes.js';
import { parseBounce } from '../../src/parse/dsn/index.js';
import { findCommand } from '../../src/parse/dsn/text.js';
import { corpusPath, describeCorpus } from '../helpers/corpus.js';

const read = (...p: string[]): Buffer => readFileSync(corpusPath('dsn', ...p));
const brief = (f: string): [string, string | null, string][] | undefined =>
  parseBounce(read('sisimai', f))?.recipients.map((r) => [r.address, r.status, r.reason]);

describeCorpus('parseBounce: report layouts beyond RFC 3464', () => {
  it('reads an Amazon SES JSON notification (SNS email) as a delivery', () => {
    const r = parseBounce(read('sisimai', 'lhost-amazonses-12.eml'));
    expect(r?.kind).toBe('delivery');
    expect(r?.recipients.map((x) => [x.address, x.status, x.replyCode, x.reason])).toEqual([
      ['success@simulator.amazonses.com', '2.6.0', '250', 'delivered'],
    ]);
  });

  it('reads a bounce forwarded as an attachment from the attached report (x5-01)', () => {
    expect(brief('lhost-x5-01.eml')).toEqual([['kijitora@neko.example.org', '5.1.1', 'userunknown']]);
  });

  it('reads a multipart/report whose boundary never occurs, DSN fields inline (rfc3464-06)', () => {
    expect(brief('rfc3464-06.eml')).toEqual([['kijitora@example.net', '5.5.0', 'userunknown']]);
  });

  it('takes "Auto-Submitted: auto-replied" on a notice that reads as a bounce as a bounce (x6-01)', () => {
    const r = parseBounce(read('sisimai', 'lhost-x6-01.eml'));
    expect(r?.kind).toBe('bounce');
    expect(r?.recipients.map((x) => [x.address, x.status, x.reason])).toEqual([['kijitora@nyaan.example.org', '5.4.6', 'networkerror']]);
  });

  it('reads rb-issue-368-bug (in Sisimai maildir/not only because rb-sisimai crashed on it) as a mailbox-full bounce', () => {
    const r = parseBounce(read('sisimai-not-bounce', 'rb-issue-368-bug.eml'));
    expect(r?.kind).toBe('bounce');
    expect(r?.recipients.map((x) => [x.address, x.reason])).toEqual([['xxxx@yyyyyy.net', 'mailboxfull']]);
  });

  it('splits Sendmail per-recipient lines ("554 <a@b>... reason") into one error each (v5sendmail-05)', () => {
    expect(brief('lhost-v5sendmail-05.eml')).toEqual([
      ['kijitora@example.edu', '5.0.971', 'blocked'],
      ['kuroneko@example.or.jp', '5.0.912', 'hostunknown'],
      ['kijitora@example.org', '5.0.912', 'hostunknown'],
      ['mikeneko@example.co.jp', '5.0.911', 'userunknown'],
    ]);
  });

  it('replaces a 4.4.7 Status with the code of the actual problem from the notice (exchange2007-05, RFC 3463)', () => {
    expect(brief('lhost-exchange2007-05.eml')).toEqual([['gwang1@student.mlcsyd.nsw.edu.au', '4.4.1', 'expired']]);
  });

  it('reads mailing-list refusals (Google Groups in any language, fml) as "rejected"', () => {
    expect(brief('lhost-googlegroups-08.eml')).toEqual([['libsisimai@googlegroups.com', '5.0.918', 'rejected']]);
    expect(brief('lhost-fml-02.eml')).toEqual([['neko-nyaan@example.org', '5.0.918', 'rejected']]);
  });

  it('keeps Original-Recipient after Final-Recipient in the same group (Amazon SES writes Action first)', () => {
    expect(brief('lhost-receivingses-05.eml')).toEqual([['exceedlimit@neko.example.jp', '5.3.4', 'mesgtoobig']]);
  });
});

it('reads the SMTP command from a session transcript and from implied wording', () => {
  expect(findCommand('>>> MAIL From:<a@b>\n<<< 250 ok\n>>> DATA\n<<< 550 Unknown user')).toBe('DATA');
  expect(findCommand('192.0.2.25 does not like recipient. Remote host said: 550 5.1.1')).toBe('RCPT');
  expect(findCommand('550 5.1.1 <a@b>: Recipient address rejected: User unknown')).toBe('RCPT');
});

it('prefers a specific status over X.0.0 and 4.4.7 wherever it appears (RFC 3463 §3.5)', () => {
  expect(findStatus('554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>')).toBe('4.4.2');
  expect(findStatus('550 5.0.0 nope')).toBe('5.0.0');
});

it('joins a multiline SMTP reply so phrases split by repeated codes match', () => {
  expect(joinReplyLines('550-5.7.1 [192.0.2.1] Messages with multiple 550 5.7.1 addresses in From: header')).toBe(
    '550-5.7.1 [192.0.2.1] Messages with multiple addresses in From: header',
  );
  expect(joinReplyLines('550 Host unknown 550 other')).toBe('550 Host unknown 550 other');
});

it('uses Sisimai pseudo codes, temporary ones only where its table has them', () => {
  expect(pseudoStatus('filtered', true)).toBe('4.0.924');
  expect(pseudoStatus('userunknown', true)).toBe('5.0.911');
  expect(pseudoStatus('requireptr', true)).toBe('4.0.901');
  expect(pseudoStatus('delivered', false)).toBeNull();
});
