// Who sent it, on synthetic messages made here (keys generated in the test, DNS in memory, no network):
// the authentic case and the forged cases issue 3 names.
import { domainToASCII } from 'node:url';
import { describe, expect, it } from 'vitest';
import { innerMessage, received, sign, syntheticZone } from './synthetic.js';
import { loadCorpusMessage, verifyWith } from './helpers.js';
import { describeCorpus } from '../helpers/corpus.js';
import { SenderVerdictSchema } from '../../src/verdict/sender.js';
import { VerifyDocumentSchema } from '../../src/report/verify.js';
import type { DnsResolver } from '../../src/auth/dns.js';

const noDns: DnsResolver = async (name) => {
  throw Object.assign(new Error(`DNS denied in tests: ${name}`), { code: 'ECONNREFUSED' });
};

describe('verify: authentic and forged messages', () => {
  it('an aligned DKIM signature and SPF pass from the recipient-recorded client: authenticated, proven', async () => {
    const msg = received('192.0.2.10', { envFrom: 'alice@sender.test', ar: 'spf=pass smtp.mailfrom=alice@sender.test; dkim=pass header.d=sender.test' }) + (await sign(innerMessage()));
    const { doc } = await verifyWith(msg, syntheticZone());
    expect(doc.boundary.method).toBe('authserv-id');
    expect(doc.boundary.client).toMatchObject({ ip: '192.0.2.10', mailFrom: 'alice@sender.test' });
    expect(doc.dkim[0]).toMatchObject({ domain: 'sender.test', now: { result: 'pass' }, bodyHash: { result: 'match' }, alignment: { aligned: 'strict' }, atReceipt: { result: 'pass', authservId: 'mx.receiver.test' } });
    expect(doc.spf).toMatchObject({ result: 'pass', evaluated: true, clientIp: '192.0.2.10', alignment: { aligned: 'strict' } });
    expect(doc.dmarc).toMatchObject({ result: 'pass', policy: 'reject' });
    expect(doc.verdict).toMatchObject({ answer: 'authenticated', domain: 'sender.test', confidence: 'proven' });
    SenderVerdictSchema.parse(doc.verdict);
    VerifyDocumentSchema.parse(JSON.parse(JSON.stringify(doc)));
    // Evidence cites the message and the DNS answers relied on.
    const dkimEv = doc.verdict.evidence.find((e) => e.locator.includes('DKIM-Signature'));
    expect(dkimEv?.sha256).toBe(doc.message.sha256);
    expect(dkimEv?.dns[0]).toMatchObject({ name: 'sel._domainkey.sender.test', type: 'TXT', status: 'answer' });
  });

  it('two From fields under a valid signature (the second in the obsolete `From :` form): forged, though DKIM verifies', async () => {
    // A signer that signs what it is given (Exim's test suite has such a case) passes both on; the checks then
    // judge one author and a mail program may show the reader the other.
    const signed = await sign(innerMessage().replace(/^From: /m, 'From : CEO <ceo@corp.test>\r\nFrom: '));
    const msg = received('192.0.2.10', { envFrom: 'alice@sender.test', ar: 'spf=pass smtp.mailfrom=alice@sender.test; dkim=pass header.d=sender.test' }) + signed;
    const { doc } = await verifyWith(msg, syntheticZone());
    expect(doc.dkim[0]).toMatchObject({ domain: 'sender.test', now: { result: 'pass' } });
    expect(doc.flags).toContainEqual(expect.objectContaining({ kind: 'multiple-from', severity: 'high' }));
    expect(doc.verdict).toMatchObject({ answer: 'forged', confidence: 'strong' });
    expect(doc.verdict.summary).toMatch(/^Impersonation: the message has 2 From fields \(headers #\d+, #\d+: ceo@corp\.test, alice@sender\.test\)/);
    VerifyDocumentSchema.parse(JSON.parse(JSON.stringify(doc)));
  });

  it('From a p=reject domain, unsigned, sent from an unauthorised IP: forged, proven', async () => {
    // The receiver wrote no Authentication-Results: the user names it with --trust.
    const msg = received('203.0.113.66', { envFrom: 'alice@sender.test' }) + innerMessage();
    const { doc } = await verifyWith(msg, syntheticZone(), { trust: ['mx.receiver.test'] });
    expect(doc.boundary).toMatchObject({ method: 'trust-option', entryHop: 0 });
    expect(doc.spf).toMatchObject({ result: 'fail', clientIp: '203.0.113.66' });
    expect(doc.dmarc).toMatchObject({ result: 'fail', policy: 'reject' });
    expect(doc.verdict).toMatchObject({ answer: 'forged', domain: 'sender.test', confidence: 'proven' });
  });

  it('DKIM-signed by an unaligned domain: the signature passes but does not speak for the From domain: forged', async () => {
    const msg = received('203.0.113.66', { envFrom: 'bounce@evil.test' }) + (await sign(innerMessage(), 'evil.test'));
    const { doc } = await verifyWith(msg, syntheticZone(), { trust: ['mx.receiver.test'] });
    expect(doc.dkim[0]).toMatchObject({ domain: 'evil.test', now: { result: 'pass' }, alignment: { aligned: null } });
    expect(doc.spf).toMatchObject({ result: 'pass', domain: 'evil.test', alignment: { aligned: null } });
    expect(doc.dmarc.result).toBe('fail');
    expect(doc.verdict.answer).toBe('forged');
    expect(doc.verdict.summary).toMatch(/no DKIM signature by sender\.test/);
  });

  it('a body altered after signing is found from the body hash alone, with every DNS query refused', async () => {
    const signed = await sign(innerMessage());
    const altered = signed.replace('Please find the invoice attached.', 'Please pay to IBAN XX00 0000 instead.');
    const { doc } = await verifyWith(altered, noDns);
    expect(doc.dkim[0]!.bodyHash).toMatchObject({ result: 'mismatch' });
    expect(doc.dkim[0]!.bodyHash.computed).not.toBe(doc.dkim[0]!.bodyHash.expected);
    expect(doc.dkim[0]!.now.result).not.toBe('pass');
  });

  it('a body altered after signing, with DNS: DKIM fail, DMARC fail under p=reject: forged', async () => {
    const signed = await sign(innerMessage());
    const altered = received('203.0.113.66') + signed.replace('invoice', 'INVOICE');
    const { doc } = await verifyWith(altered, syntheticZone());
    expect(doc.dkim[0]).toMatchObject({ now: { result: 'fail', key: 'found' }, bodyHash: { result: 'mismatch' } });
    expect(doc.verdict.answer).toBe('forged');
  });

  it('a display-name spoof is forged even when the look-alike sender authenticates its own domain', async () => {
    const msg = received('203.0.113.66', { envFrom: 'x@evil.test' }) + (await sign(innerMessage({ from: '"ceo@sender.test" <x@evil.test>' }), 'evil.test'));
    const { doc } = await verifyWith(msg, syntheticZone());
    expect(doc.flags.some((f) => f.kind === 'display-name-spoof' && f.severity === 'high')).toBe(true);
    expect(doc.verdict).toMatchObject({ answer: 'forged', domain: 'evil.test' });
  });

  it('a homoglyph look-alike of the expected domain is flagged with its reason', async () => {
    // "sendеr.test" with a Cyrillic е, as it travels in a header: punycode.
    const puny = domainToASCII('send\u0435r.test');
    expect(puny.startsWith('xn--')).toBe(true);
    const msg = received('203.0.113.66') + innerMessage({ from: `Alice <alice@${puny}>` });
    const { doc } = await verifyWith(msg, syntheticZone(), { expect: ['sender.test'] });
    expect(doc.flags.find((f) => f.kind === 'homoglyph-domain')?.reason).toMatch(/looks like sender\.test/);
    expect(doc.flags.map((f) => f.kind)).toContain('punycode-domain');
    expect(doc.flags.some((f) => f.kind === 'homoglyph-domain' || f.kind === 'lookalike-domain')).toBe(true);
  });

  it('a rotated key is explained as rotated, and the receipt-time pass by a trusted receiver still authenticates', async () => {
    const msg = received('198.51.100.9', { ar: 'dkim=pass header.d=sender.test header.s=sel' }) + (await sign(innerMessage()));
    const zone = syntheticZone({ 'sel._domainkey.sender.test': {} as Record<string, unknown[]> });
    const rotated: DnsResolver = async (name, type) => {
      if (name === 'sel._domainkey.sender.test') throw Object.assign(new Error('NXDOMAIN'), { code: 'ENOTFOUND' });
      return zone(name, type);
    };
    const { doc } = await verifyWith(msg, rotated);
    expect(doc.dkim[0]).toMatchObject({ now: { key: 'missing' }, bodyHash: { result: 'match' }, atReceipt: { result: 'pass' } });
    expect(doc.dkim[0]!.explanation).toMatch(/not evidence of forgery/);
    expect(doc.verdict).toMatchObject({ answer: 'authenticated', confidence: 'strong' });
  });

  it('an expired signature (x=) is judged as of --at', async () => {
    const { dkimSign } = await import('mailauth');
    const { testKey, SIGN_TIME } = await import('./synthetic.js');
    const inner = innerMessage();
    const r = await dkimSign(inner, { canonicalization: 'relaxed/relaxed', signTime: SIGN_TIME, expires: new Date('2026-11-21T00:00:00Z'), signatureData: [{ signingDomain: 'sender.test', selector: 'sel', privateKey: testKey().privateKey }] } as Parameters<typeof dkimSign>[1]);
    const msg = r.signatures + inner;
    const before = await verifyWith(msg, syntheticZone(), { at: new Date('2026-11-20T15:00:00Z') });
    const after = await verifyWith(msg, syntheticZone(), { at: new Date('2026-12-01T00:00:00Z') });
    expect(before.doc.dkim[0]!.now.result).toBe('pass');
    expect(after.doc.dkim[0]!.now.result).toBe('permerror');
    expect(after.doc.dkim[0]!.now.reason).toMatch(/expired/);
  });

  it('DNS failure is temperror with the reason, never a crash', async () => {
    const servfail: DnsResolver = async () => {
      throw Object.assign(new Error('queryTxt ESERVFAIL'), { code: 'ESERVFAIL' });
    };
    const msg = received('192.0.2.10', { envFrom: 'alice@sender.test' }) + (await sign(innerMessage()));
    const { doc } = await verifyWith(msg, servfail, { trust: ['mx.receiver.test'] });
    expect(doc.dkim[0]!.now).toMatchObject({ result: 'temperror', key: 'dns-error' });
    expect(doc.spf.result).toBe('temperror');
    expect(doc.dmarc.result).toBe('temperror');
    expect(doc.dns.every((a) => a.status === 'SERVFAIL')).toBe(true);
    expect(doc.verdict.answer).toBe('unverified');
  });

  it('a resolver that never answers is cut off by the per-query timeout', async () => {
    const hang: DnsResolver = () => new Promise(() => {});
    const { verifyMessage } = await import('../../src/auth/verify-message.js');
    const t0 = Date.now();
    const facts = await verifyMessage(Buffer.from(received('192.0.2.10') + (await sign(innerMessage()))), { resolver: hang, dnsSource: 'live', now: () => new Date(), dnsTimeoutMs: 150 });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(facts.dkim[0]!.now.result).toBe('temperror');
    expect(facts.dns.some((a) => a.status === 'timeout')).toBe(true);
  });
});

describeCorpus('two From fields in real test messages', () => {
  // Exim's test suite signs a message with two From fields (h=From); authentication-milter's DMARC case has a
  // second one written `From :` with three addresses between the two. Both must be flagged, whatever DNS says.
  it.each([
    ['messages/exim-testsuite/test-mail-4510.a.mbox', '#3, #4: nobody@example.com, second@example.com'],
    ['messages/authentication-milter/source/dmarc_multi.eml', '#0, #1: test@goestheweasel.com, test@marcbradshaw.net, test@example.com'],
  ])('%s: multiple-from (high), verdict forged', async (file, named) => {
    const { doc } = await verifyWith(loadCorpusMessage(file), noDns);
    expect(doc.flags).toContainEqual(expect.objectContaining({ kind: 'multiple-from', severity: 'high' }));
    expect(doc.verdict.answer).toBe('forged');
    expect(doc.verdict.summary).toContain(`2 From fields (headers ${named})`);
    expect(doc.dmarc.result).toBe('permerror');
  });
});
