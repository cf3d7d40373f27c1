// The reader of truth.json's free-text expected findings (test/verdict/expected-findings.ts): the kind each
// phrase names and the facts it carries, so the end-to-end case test checks facts, not wording.
import { describe, expect, it } from 'vitest';
import { missingFacts, readExpectation } from './expected-findings.js';

describe('readExpectation', () => {
  it.each([
    ['recipient-mistyped: bbo@receiver.test vs bob@receiver.test', { findings: ['recipient-mistyped'] }, ['bbo@receiver.test', 'bob@receiver.test']],
    ["dsn: 5.1.1 in alice's INBOX", { findings: ['bounce'] }, ['5.1.1', 'INBOX', 'alice']],
    ['dsn: 2.0.0 delivered to carol@x.test', { findings: ['delivery-dsn'] }, ['carol@x.test', '2.0.0', 'delivered']],
    ['deferred first: 450 4.2.1 at RCPT, delivered after a queue flush', { findings: ['deferred'] }, ['450', '4.2.1', 'RCPT', 'deferred', 'delivered']],
    ['delivered, then deleted or expunged by the user', { findings: ['deleted-after-delivery'] }, ['delivered', 'deleted', 'expunged']],
    ['filed-to-junk: X-Spam-Flag: YES', { findings: ['filed-to-junk'] }, ['X-Spam-Flag: YES']],
    ['spf fail: 127.0.0.9 not permitted by v=spf1 ip4:127.0.0.2 -all', { verdict: 'sender' }, ['127.0.0.9', '127.0.0.2', 'v=spf1 ip4:127.0.0.2 -all', 'spf fail']],
    ['no DKIM signature', { verdict: 'sender' }, ['no DKIM signature']],
    ['dmarc fail with p=reject', { verdict: 'sender' }, ['p=reject', 'dmarc fail']],
    // delivered-with-receipts: Postfix's success DSN for an LMTP hand-off says "relayed"; the MDN says "displayed".
    ["delivery-dsn: bob@receiver.test relayed 2.0.0 (the LMTP hand-off), the DSN is in alice's INBOX", { findings: ['delivery-dsn'] }, ['bob@receiver.test', 'relayed', '2.0.0', 'INBOX', 'alice']],
    ["read-receipt: bob@receiver.test displayed it, the MDN is in alice's INBOX", { findings: ['read-receipt'] }, ['bob@receiver.test', 'displayed', 'INBOX', 'alice']],
    ['mdn: carol@x.test dispatched', { findings: ['read-receipt'] }, ['carol@x.test', 'dispatched']],
    ['opened: flagged seen in INBOX', { findings: ['opened'] }, ['INBOX']],
    ["only a Sent-folder copy (weak, trivially forgeable); the sender's log covers the time and has no submission", { findings: ['sent-folder-copy-only'] }, ['Sent', 'sender', 'weak', 'forgeable', 'covers']],
    ['submitted by login alice@sender.test from 127.0.0.1', { findings: ['authenticated-submission', 'submitted-by-other-login'] }, ['alice@sender.test', '127.0.0.1']],
    ['submitted-by-other-login: mallory@sender.test, not ceo@sender.test', { findings: ['submitted-by-other-login'] }, ['mallory@sender.test', 'ceo@sender.test']],
  ])('%s', (text, target, facts) => {
    const e = readExpectation(text);
    expect(e.target).toEqual(target);
    expect([...e.facts].sort()).toEqual([...facts].sort());
  });

  it('an expectation it cannot read has no target (the case test then fails, not passes)', () => {
    expect(readExpectation('the moon was full').target).toBeNull();
  });

  it('facts are matched case-insensitively, and a missing one is named', () => {
    const e = readExpectation("dsn: 5.1.1 in alice's INBOX");
    expect(missingFacts(e, 'bounce now in alice@sender.test\'s inbox: 5.1.1')).toEqual([]);
    expect(missingFacts(e, 'bounce in bob@x.test\'s INBOX: 5.1.1')).toEqual(['alice']);
  });
});
