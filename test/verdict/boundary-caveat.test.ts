// The trust-boundary weakness said out loud: an Authentication-Results believed only because it sits just below
// the entry hop's Received header (the receiver wrote none above it) is a caveat, and the verdict is never
// `proven` while it rests on it.
import { describe, expect, it } from 'vitest';
import { innerMessage, received, sign, syntheticZone } from '../auth/synthetic.js';
import { verifyWith } from '../auth/helpers.js';
import { decideSender } from '../../src/verdict/sender.js';
import { VerifyDocumentSchema } from '../../src/report/verify.js';

const AR = 'spf=pass smtp.mailfrom=alice@sender.test; dkim=pass header.d=sender.test';

describe('verdict caveat: Authentication-Results below the entry hop', () => {
  it('the same message is proven with the receiver\'s header above its Received, and strong with a caveat below it', async () => {
    const body = await sign(innerMessage());
    const above = await verifyWith(received('192.0.2.10', { envFrom: 'alice@sender.test', ar: AR }) + body, syntheticZone());
    expect(above.doc.verdict).toMatchObject({ answer: 'authenticated', confidence: 'proven' });
    expect(above.doc.flags.some((f) => f.kind === 'boundary-caveat')).toBe(false);

    const below = await verifyWith(received('192.0.2.10', { envFrom: 'alice@sender.test', ar: AR, arBelow: true }) + body, syntheticZone());
    VerifyDocumentSchema.parse(JSON.parse(JSON.stringify(below.doc)));
    expect(below.doc.verdict).toMatchObject({ answer: 'authenticated', confidence: 'strong' });
    expect(below.doc.verdict.summary).toMatch(/Caveat: the trust boundary rests on Authentication-Results #1, which sits below the entry hop's Received header .* not proven\.$/);
    expect(below.doc.flags).toContainEqual(expect.objectContaining({ kind: 'boundary-caveat', severity: 'medium', headerIndex: 1 }));
    expect(below.doc.verdict.evidence).toContainEqual(expect.objectContaining({ locator: 'header #1 (Authentication-Results)', headerIndex: 1 }));
    expect(below.doc.boundary.notes.some((n) => n.startsWith('caveat: '))).toBe(true);
  });

  it('a forged verdict that leans on it is lowered too', async () => {
    const msg = received('203.0.113.66', { envFrom: 'alice@sender.test', ar: 'spf=fail smtp.mailfrom=alice@sender.test', arBelow: true }) + innerMessage();
    const { doc } = await verifyWith(msg, syntheticZone());
    expect(doc.verdict).toMatchObject({ answer: 'forged', confidence: 'strong' });
    expect(doc.verdict.summary).toMatch(/Caveat:/);
  });

  it('weaker confidences are kept as they are; no From domain, no caveat sentence', () => {
    const v = decideSender({
      sha256: 'x', fromDomain: null, fromHeaderIndex: null, entryHeaderIndex: null, boundaryMethod: 'none', dkim: [], flags: [],
      spf: { result: 'none', evaluated: false, reason: '', clientIp: null, helo: null, mailFrom: null, domain: null, hopIndex: null, record: null, atReceipt: null, alignment: { fromDomain: null, aligned: null, required: 'relaxed' }, dns: [] },
      dmarc: { result: 'none', fromDomain: null, policyDomain: null, record: null, policy: null, reason: '', alignedBy: [], atReceipt: null, dns: [] },
      arc: { result: 'none', reason: '', sets: [], dkimBrokeAt: null, dns: [] },
      boundaryCaveat: { headerIndexes: [1], authservId: 'mx.receiver.test' },
    });
    expect(v).toMatchObject({ answer: 'unverified', confidence: 'none' });
    expect(v.summary).not.toMatch(/Caveat/);
  });
});
