import { describe, expect, it } from 'vitest';
import { decideSent, type SentFacts } from '../../src/verdict/sent.js';
import { SentVerdictSchema } from '../../src/verdict/evidence-types.js';
import { covered, ev, loc, noLogs, startsLate } from './helpers.js';

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
});
