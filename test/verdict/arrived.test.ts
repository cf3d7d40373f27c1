import { describe, expect, it } from 'vitest';
import { decideArrived, type ArrivedFacts } from '../../src/verdict/arrived.js';
import { ArrivedVerdictSchema } from '../../src/verdict/evidence-types.js';
import { covered, ev, loc, noLogs, startsLate } from './helpers.js';

const base: ArrivedFacts = { recipientCopies: [], deliveries: [], senderFailures: [], rejects: [], relayed: null, bounces: [], coverage: noLogs, recipient: 'bob@r.test' };
const delivered = ev({ artifactId: 2, host: 'mx', program: 'postfix/lmtp', status: 'delivered', to: 'bob@r.test', dsn: '2.0.0' });

describe('decideArrived', () => {
  it('a delivery line and a copy in Junk: delivered, folder Junk, proven', () => {
    const v = decideArrived({ ...base, deliveries: [delivered], recipientCopies: [loc({ folder: 'Junk' })] });
    expect(ArrivedVerdictSchema.parse(v)).toMatchObject({ answer: 'yes', outcome: 'delivered', folder: 'Junk', confidence: 'proven' });
  });
  it('IMAP special-use names the folder', () => {
    const imap = { account: 'bob@imap:993', folder: 'Spam', specialUse: '\\Junk', uidValidity: '7', uid: 3, internalDate: null, flags: [], rfc822Size: 1200 };
    expect(decideArrived({ ...base, recipientCopies: [loc({ kind: 'imap', imap })] }).folder).toBe('Junk');
  });
  it('only a loose delivered file (.eml with Delivered-To): delivered, strong, and not said to be in a mailbox', () => {
    const v = decideArrived({ ...base, recipientCopies: [loc({ kind: 'eml', folder: null })] });
    expect(v).toMatchObject({ answer: 'yes', outcome: 'delivered', folder: null, confidence: 'strong' });
    expect(v.summary).toMatch(/a delivered copy is in the evidence as a file/);
    expect(v.summary).not.toMatch(/recipient's mailbox/);
    expect(v.evidence[0]!.claim).toBe('a delivered copy (Delivered-To / X-Original-To), as a file');
  });
  it('a Maildir copy: in the recipient\'s mailbox, proven', () => {
    const v = decideArrived({ ...base, recipientCopies: [loc({ kind: 'maildir', folder: null })] });
    expect(v).toMatchObject({ answer: 'yes', folder: 'INBOX', confidence: 'proven' });
    expect(v.summary).toMatch(/a copy is in the recipient's mailbox/);
  });
  it("a mail client's mbox folder (Thunderbird's Junk): in the recipient's mailbox, in that folder", () => {
    const v = decideArrived({ ...base, recipientCopies: [loc({ kind: 'mbox', folder: 'Junk' })] });
    expect(v).toMatchObject({ answer: 'yes', folder: 'Junk', confidence: 'proven' });
    expect(v.summary).toBe("Arrived: a copy is in the recipient's mailbox; it is in Junk now.");
  });
  it('delivered by the log but no copy left: delivered, folder null', () => {
    const v = decideArrived({ ...base, deliveries: [delivered] });
    expect(v).toMatchObject({ answer: 'yes', outcome: 'delivered', folder: null, confidence: 'strong' });
    // What the missing copy means depends on whether any mailbox was looked at.
    const words = (f: Partial<ArrivedFacts>): string => decideArrived({ ...base, deliveries: [delivered], ...f }).summary.replace(/^.*Z; /, '');
    expect(words({ mailboxEvidence: false })).toBe('no mailbox is in the evidence to show which folder it went to.');
    expect(words({ mailboxEvidence: true })).toBe('no copy is left in any folder in the evidence.');
  });
  it('bounced by the sender, corroborated by the receiver\'s refusal: no, bounced, proven', () => {
    const v = decideArrived({ ...base, senderFailures: [ev({ status: 'bounced', to: 'bbo@r.test', dsn: '5.1.1' })], rejects: [ev({ artifactId: 2, status: 'rejected', reply: '550 5.1.1 user unknown' })] });
    expect(v).toMatchObject({ answer: 'no', outcome: 'bounced', confidence: 'proven' });
  });
  it('a permanent refusal seen only at the receiver: rejected', () => {
    expect(decideArrived({ ...base, rejects: [ev({ artifactId: 2, status: 'rejected', dsn: '5.7.1', reply: '554 5.7.1 rejected' })] })).toMatchObject({ answer: 'no', outcome: 'rejected' });
  });
  it('deferred with nothing later: undetermined, deferred', () => {
    expect(decideArrived({ ...base, senderFailures: [ev({ status: 'deferred', dsn: '4.2.1' })] })).toMatchObject({ answer: 'undetermined', outcome: 'deferred' });
  });
  it('nothing, receiving log covering the time: no, not-found; a late-starting log: undetermined naming it', () => {
    expect(decideArrived({ ...base, coverage: covered })).toMatchObject({ answer: 'no', outcome: 'not-found' });
    const v = decideArrived({ ...base, coverage: startsLate });
    expect(v).toMatchObject({ answer: 'undetermined', outcome: 'not-found' });
    expect(v.summary).toMatch(/starts at/);
  });
  it('handed to a server whose log is not in the evidence: undetermined', () => {
    expect(decideArrived({ ...base, relayed: ev({ status: 'sent', remoteQueueId: 'X' }) })).toMatchObject({ answer: 'undetermined', outcome: 'not-found', confidence: 'weak' });
  });
  it('a success DSN or a read receipt alone: arrived on a report\'s word (strong, not proven); a copy still wins', () => {
    const rcpt = { evidence: { sha256: 'd'.repeat(64), kind: 'report' as const, path: 'mdn.eml', locator: 'eml', claim: 'read receipt: displayed' }, says: 'a read receipt (MDN) from bob@r.test says it was displayed' };
    expect(decideArrived({ ...base, coverage: covered, receipts: [rcpt] })).toMatchObject({ answer: 'yes', outcome: 'delivered', folder: null, confidence: 'strong', evidence: [rcpt.evidence] });
    expect(decideArrived({ ...base, receipts: [rcpt], recipientCopies: [loc({ folder: 'INBOX' })] })).toMatchObject({ folder: 'INBOX', confidence: 'proven' });
    // A `relayed` DSN alone is the receiving side's hand-off, not final delivery (RFC 3464 §2.3.3): weak.
    const relayed = { ...rcpt, weak: true };
    expect(decideArrived({ ...base, coverage: covered, receipts: [relayed] })).toMatchObject({ answer: 'yes', outcome: 'delivered', confidence: 'weak' });
    expect(decideArrived({ ...base, coverage: covered, receipts: [relayed, rcpt] })).toMatchObject({ confidence: 'strong' });
  });
});
