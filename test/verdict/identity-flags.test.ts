// Identity red flags: each comes with its reason; look-alikes are judged against expected and known domains.
import { describe, expect, it } from 'vitest';
import { identityFlags, type IdentityInput } from '../../src/verdict/identity-flags.js';
import { editDistanceAtMost, skeleton } from '../../src/verdict/confusables.js';

const base: IdentityInput = {
  fromAddr: 'alice@sender.test', fromName: 'Alice', fromHeaderIndex: 3, fromFields: [{ headerIndex: 3, addresses: ['alice@sender.test'] }], replyTo: [], returnPath: null,
  expectDomains: [], knownDomains: [], knownSenders: new Map(), noDmarc: false, untrustedPasses: [], malformedSignatures: [], bodyLengthLimited: [], dnsTrouble: [],
};

describe('identityFlags', () => {
  it('no flags for a plain, consistent identity', () => {
    expect(identityFlags(base)).toEqual([]);
  });
  it('a one-letter look-alike of a domain seen in the store', () => {
    const f = identityFlags({ ...base, fromAddr: 'billing@paypa1.com', knownDomains: ['paypal.com'] });
    expect(f.map((x) => x.kind)).toContain('homoglyph-domain');
    const g = identityFlags({ ...base, fromAddr: 'billing@paypall.com', expectDomains: ['paypal.com'] });
    expect(g).toContainEqual(expect.objectContaining({ kind: 'lookalike-domain', severity: 'high' }));
  });
  it('the same display name with another address seen in the store', () => {
    const f = identityFlags({ ...base, fromName: 'Carol CFO', fromAddr: 'carol@freemail.test', knownSenders: new Map([['carol cfo', ['carol@corp.test']]]) });
    expect(f[0]).toMatchObject({ kind: 'display-name-spoof', severity: 'high' });
    expect(f[0]!.reason).toMatch(/carol@corp\.test/);
  });
  it('a second From field is a high flag naming both; several authors in one field, a medium one', () => {
    const two = identityFlags({ ...base, fromFields: [{ headerIndex: 3, addresses: ['alice@sender.test'] }, { headerIndex: 5, addresses: ['ceo@corp.test'] }] });
    expect(two).toEqual([expect.objectContaining({ kind: 'multiple-from', severity: 'high', headerIndex: 5 })]);
    expect(two[0]!.reason).toMatch(/^the message has 2 From fields \(headers #3, #5: alice@sender\.test, ceo@corp\.test\) where RFC 5322 allows one/);
    const authors = identityFlags({ ...base, fromFields: [{ headerIndex: 3, addresses: ['alice@sender.test', 'ceo@corp.test'] }] });
    expect(authors).toEqual([expect.objectContaining({ kind: 'multiple-from', severity: 'medium', headerIndex: 3 })]);
    expect(authors[0]!.reason).toMatch(/names 2 authors \(alice@sender\.test, ceo@corp\.test\); DMARC cannot judge/);
    // The same author twice is malformed, not a second identity: medium, so not by itself a forgery.
    const twice = identityFlags({ ...base, fromFields: [{ headerIndex: 3, addresses: ['alice@sender.test'] }, { headerIndex: 6, addresses: ['alice@sender.test'] }] });
    expect(twice).toEqual([expect.objectContaining({ kind: 'multiple-from', severity: 'medium', headerIndex: 6 })]);
    expect(twice[0]!.reason).toMatch(/^the From field appears 2 times \(headers #3, #6\), each naming alice@sender\.test/);
  });
  it('Reply-To and Return-Path elsewhere, no DMARC', () => {
    const f = identityFlags({ ...base, replyTo: [{ address: 'x@elsewhere.test', headerIndex: 5 }], returnPath: { address: 'b@esp.test', headerIndex: 0 }, noDmarc: true });
    expect(f.map((x) => x.kind)).toEqual(['reply-to-elsewhere', 'return-path-elsewhere', 'no-dmarc']);
  });
  it('skeleton and bounded edit distance', () => {
    expect(skeleton('rnicrosoft.com')).toBe(skeleton('microsoft.com'));
    expect(skeleton('g\u043e\u043egle.com')).toBe('google.com');
    expect(editDistanceAtMost('paypal', 'paypa', 1)).toBe(true);
    expect(editDistanceAtMost('paypal', 'pyapal', 1)).toBe(true);
    expect(editDistanceAtMost('example', 'sample', 1)).toBe(false);
  });
});
