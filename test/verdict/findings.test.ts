import { describe, expect, it } from 'vitest';
import { decideFindings, type FindingFacts } from '../../src/verdict/findings.js';
import { editDistance } from '../../src/verdict/edit-distance.js';
import { ev, loc } from './helpers.js';

const base: FindingFacts = {
  claimedTo: null, actualTo: [], receiving: () => [], recipientCopies: [], sentCopiesOnly: false, senderAnswer: 'yes', deliveries: [], senderEvents: [],
  rejects: [], bounces: [], mdns: [], handoffs: [], mailboxEvidence: true,
};
const kinds = (f: FindingFacts): string[] => decideFindings(f).map((x) => x.kind);

describe('decideFindings', () => {
  it('edit distance counts a swap as one edit', () => {
    expect(editDistance('bob', 'bbo')).toBe(1);
    expect(editDistance('alice', 'alcie')).toBe(1);
    expect(editDistance('bob', 'dave', 2)).toBe(3);
  });
  it('a claimed recipient one edit from the actual one is a mistype; a different one is another recipient', () => {
    expect(kinds({ ...base, claimedTo: 'bob@r.test', actualTo: ['bbo@r.test'] })).toEqual(['recipient-mistyped']);
    expect(kinds({ ...base, claimedTo: 'bob@r.test', actualTo: ['carol@r.test'] })).toEqual(['other-recipient']);
  });
  it('without a claim: an unknown-user refusal near an address that receives mail', () => {
    const rej = ev({ status: 'rejected', to: 'bbo@r.test', reply: '550 5.1.1 <bbo@r.test>: User unknown' });
    expect(kinds({ ...base, rejects: [rej], receiving: () => ['bob@r.test', 'dave@r.test'] })).toEqual(['recipient-mistyped']);
    expect(kinds({ ...base, rejects: [rej], receiving: () => ['dave@r.test'] })).toEqual([]);
  });
  it('Junk with the spam header that explains it; Seen', () => {
    const spam = [{ vendor: 'SpamAssassin', verdict: 'spam' as const, score: 7.1, threshold: 5, details: ['X'], headerIndex: 4, header: 'X-Spam-Flag' }];
    const f = decideFindings({ ...base, recipientCopies: [{ loc: loc({ folder: 'Junk', maildirFlags: 'S' }), sha256: 'c'.repeat(64), spam, hops: [] }] });
    expect(f.map((x) => x.kind)).toEqual(['filed-to-junk', 'opened']);
    expect(f[0]!.summary).toMatch(/SpamAssassin says spam \(score 7\.1 of 5\) in X-Spam-Flag/);
  });
  it('delivered with no copy left: deleted afterwards; a bounce plus a delivered copy: a contradiction', () => {
    const d = ev({ status: 'delivered', to: 'bob@r.test' });
    expect(kinds({ ...base, deliveries: [d] })).toContain('deleted-after-delivery');
    const f = kinds({ ...base, deliveries: [d], recipientCopies: [{ loc: loc({}), sha256: 'c'.repeat(64), spam: [], hops: [] }], senderEvents: [ev({ status: 'bounced', to: 'bob@r.test' })] });
    expect(f).toContain('contradiction');
  });
  it('deferred first, and clock skew between a hand-off\'s two logs', () => {
    const sent = ev({ status: 'sent', remoteQueueId: 'X', timeMs: 10_000 });
    const recv = ev({ artifactId: 2, queueId: 'X', status: 'received', timeMs: 4_000 });
    const f = kinds({ ...base, senderEvents: [ev({ status: 'deferred', dsn: '4.2.1' }), sent], handoffs: [{ from: sent, to: recv }] });
    expect(f).toEqual(['deferred', 'clock-skew']);
  });
});
