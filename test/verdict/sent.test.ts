import { describe, expect, it } from 'vitest';
import { decideSent, type SentFacts } from '../../src/verdict/sent.js';
import { SentVerdictSchema } from '../../src/verdict/evidence-types.js';
import { covered, ev, loc, noLogs, startsLate } from './helpers.js';
import { readdirSync, readFileSync } from 'node:fs';
import { parseBounce } from '../../src/parse/dsn/index.js';
import { parseMdn } from '../../src/parse/mdn.js';
import type { MdnRef } from '../../src/verdict/reports.js';
import type { ReportRef } from '../../src/verdict/arrived.js';
import { fixturePath } from '../helpers/corpus.js';

const base: SentFacts = { senderEvents: [], recipients: [], confirmedRemote: new Set(), sentCopies: [], coverage: noLogs, arrivedAuthenticated: null, claimedFrom: 'alice@sender.test' };
const received = ev({ program: 'postfix/submission/smtpd', status: 'received', client: 'unknown[127.0.0.1]' });

describe('decideSent', () => {
  it('relayed with the remote 250 queue id is proven', () => {
    const v = decideSent({ ...base, senderEvents: [received, ev({ status: 'sent', to: 'bob@r.test', relay: 'mx[1.2.3.4]:25', remoteQueueId: 'X1' })], confirmedRemote: new Set(['X1']) });
    expect(SentVerdictSchema.parse(v)).toMatchObject({ answer: 'yes', stage: 'relayed', confidence: 'proven' });
    expect(v.summary).toMatch(/queue id X1 \(the receiving log confirms\)/);
  });
  it('deferred then sent is relayed; deferred alone is deferred', () => {
    const d = ev({ status: 'deferred', to: 'bob@r.test', dsn: '4.2.1' });
    expect(decideSent({ ...base, senderEvents: [received, d, ev({ status: 'sent', to: 'bob@r.test', remoteQueueId: 'X' })] }).stage).toBe('relayed');
    expect(decideSent({ ...base, senderEvents: [received, d] })).toMatchObject({ answer: 'yes', stage: 'deferred' });
  });
  it('bounced and expired are stages of a sent message', () => {
    expect(decideSent({ ...base, senderEvents: [received, ev({ status: 'bounced', to: 'bbo@r.test', dsn: '5.1.1' })] })).toMatchObject({ answer: 'yes', stage: 'bounced' });
    expect(decideSent({ ...base, senderEvents: [received, ev({ status: 'expired', to: 'x@r.test' })] })).toMatchObject({ answer: 'yes', stage: 'expired' });
  });
  it('accepted only', () => expect(decideSent({ ...base, senderEvents: [received] })).toMatchObject({ answer: 'yes', stage: 'accepted' }));
  it('only a Sent copy, logs covering the time: no, with the stage sent-folder-copy', () => {
    const v = decideSent({ ...base, sentCopies: [loc({ folder: 'Sent' })], coverage: covered });
    expect(v).toMatchObject({ answer: 'no', stage: 'sent-folder-copy' });
    expect(v.summary).toMatch(/trivially forgeable/);
  });
  it('only a Sent copy, no sender log: undetermined and weak, saying what would settle it', () => {
    const v = decideSent({ ...base, sentCopies: [loc({ folder: 'Sent' })] });
    expect(v).toMatchObject({ answer: 'undetermined', stage: 'sent-folder-copy', confidence: 'weak' });
    expect(v.summary).toMatch(/would settle it/);
  });
  it('nothing and a log that starts after the claim: undetermined naming the gap', () => {
    const v = decideSent({ ...base, coverage: startsLate });
    expect(v).toMatchObject({ answer: 'undetermined', stage: null });
    expect(v.summary).toMatch(/starts at 2026-11-25/);
  });
  it('nothing in a covering log: no', () => expect(decideSent({ ...base, coverage: covered })).toMatchObject({ answer: 'no', stage: null }));
  it('an authenticated copy at the recipient without sender logs: yes, strong', () => {
    expect(decideSent({ ...base, arrivedAuthenticated: { domain: 'sender.test', evidence: [] } })).toMatchObject({ answer: 'yes', stage: 'relayed', confidence: 'strong' });
  });
  it('only the question\'s recipient counts when several were logged', () => {
    const v = decideSent({ ...base, recipients: ['b@r.test'], senderEvents: [received, ev({ status: 'sent', to: 'a@r.test', remoteQueueId: 'X' }), ev({ status: 'bounced', to: 'b@r.test' })] });
    expect(v.stage).toBe('bounced');
  });

  describe('a delivery report about the message, and no sender log of it', () => {
    // The real bounce Postfix wrote in the bounced-mistyped lab case (now in alice's INBOX).
    const dir = fixturePath('cases', 'bounced-mistyped', 'sender', 'Maildir', 'new');
    const file = readdirSync(dir)[0]!;
    const report = parseBounce(readFileSync(`${dir}/${file}`))!;
    const ref: ReportRef = { sha256: 'a'.repeat(64), path: `${dir}/${file}`, locator: 'Maildir folder INBOX (new/)', report };
    it('is sent and bounced, on the report\'s word, citing it: it no longer says "no trace on the sender\'s side"', () => {
      const v = decideSent({ ...base, reports: [ref] });
      // Nothing ties it to alice: weak, since a bounce also comes back for mail that only forged her address.
      expect(SentVerdictSchema.parse(v)).toMatchObject({ answer: 'yes', stage: 'bounced', confidence: 'weak' });
      expect(v.summary).toMatch(/on the word of a delivery report: smtp\.sender\.test reported bbo@receiver\.test failed 5\.1\.1/);
      expect(v.summary).toMatch(/only forged the sender's address/);
      expect(v.evidence.map((e) => [e.kind, e.sha256])).toEqual([['report', 'a'.repeat(64)]]);
    });
    it('is strong when tied to the sender: the returned original authenticated, or the sender\'s own Sent copy', () => {
      const auth = decideSent({ ...base, reports: [ref], senderAuthenticated: 'sender.test' });
      expect(auth).toMatchObject({ answer: 'yes', stage: 'bounced', confidence: 'strong' });
      expect(auth.summary).toMatch(/it is the sender's own message: its copy is authenticated for sender\.test\.$/);
      const copy = decideSent({ ...base, reports: [ref], sentCopies: [loc({ folder: 'Sent' })] });
      expect(copy).toMatchObject({ confidence: 'strong' });
      expect(copy.summary).toMatch(/it is the sender's own message: the same message is in the sender's own Sent folder\.$/);
      expect(copy.evidence.map((e) => e.kind)).toEqual(['report', 'mailbox']);
    });
    it('outweighs a sender log that covers the time without it, and says it may have left another way', () => {
      const v = decideSent({ ...base, reports: [ref], coverage: covered });
      expect(v).toMatchObject({ answer: 'yes', stage: 'bounced' });
      expect(v.summary).toMatch(/covers the time without it \(mail\.log covers it\), so it may have left through another server/);
    });
    it('a success DSN is the furthest stage; a report of another kind (an auto-reply) says nothing of sending', () => {
      const ok: ReportRef = { ...ref, report: { ...report, kind: 'delivery', recipients: report.recipients.map((r) => ({ ...r, action: 'delivered' as const })) } };
      expect(decideSent({ ...base, reports: [ref, ok] }).stage).toBe('relayed');
      expect(decideSent({ ...base, reports: [{ ...ref, report: { ...report, kind: 'auto-reply' } }] }).answer).toBe('undetermined');
    });
    it('a read receipt alone: sent and relayed (it reached the recipient\'s client), weak unless tied to the sender', () => {
      // The read receipt of the delivered-with-receipts lab case (in alice's INBOX).
      const rdir = fixturePath('cases', 'delivered-with-receipts', 'sender', 'Maildir', 'new');
      const mdn = readdirSync(rdir).map((f) => parseMdn(readFileSync(`${rdir}/${f}`))).find((m) => m !== null)!;
      const mref: MdnRef = { sha256: 'b'.repeat(64), path: `${rdir}/x`, locator: 'Maildir folder INBOX (new/)', mdn };
      const v = decideSent({ ...base, mdns: [mref] });
      expect(SentVerdictSchema.parse(v)).toMatchObject({ answer: 'yes', stage: 'relayed', confidence: 'weak' });
      expect(v.summary).toMatch(/^Sent, on the word of a read receipt: bob@receiver\.test's mail client reported it displayed \(report dated 2026-12-03T21:40:1\d\.000Z\)/);
      expect(v.evidence.map((e) => [e.kind, e.sha256])).toEqual([['report', 'b'.repeat(64)]]);
      // With a bounce too, the receipt's stage (relayed) is the furthest; both are cited.
      const both = decideSent({ ...base, reports: [ref], mdns: [mref], senderAuthenticated: 'sender.test' });
      expect(both).toMatchObject({ stage: 'relayed', confidence: 'strong' });
      expect(both.evidence).toHaveLength(2);
    });
    it('a sender log line still wins over the report', () => {
      expect(decideSent({ ...base, reports: [ref], senderEvents: [received, ev({ status: 'bounced', to: 'bbo@r.test', dsn: '5.1.1' })] }).summary).toMatch(/^Sent, but the sender's server gave up/);
    });
  });
});
