// The trust boundary: the SPF client comes from the recipient's own hop, never from one the sender wrote.
import { describe, expect, it } from 'vitest';
import { parseHeaderBlock } from '../../src/parse/headers.js';
import { buildHopChain } from '../../src/parse/received-chain.js';
import { parseAuthResults } from '../../src/parse/auth-results.js';
import { placeTrustBoundary } from '../../src/correlate/trust-boundary.js';

function boundaryOf(headers: string[], trust: string[] = []) {
  const block = parseHeaderBlock(Buffer.from(headers.join('\r\n') + '\r\n\r\nbody\r\n'));
  const ars = block.fields.filter((f) => f.key === 'authentication-results').map((f) => ({ headerIndex: f.index, parsed: parseAuthResults(f.value) }));
  return placeTrustBoundary({ hops: buildHopChain(block.fields), authResults: ars, headerKeys: block.fields.map((f) => f.key), trust, returnPath: null });
}

const D = 'Fri, 20 Nov 2026 14:00:01 +0000';

describe('placeTrustBoundary', () => {
  it('infers the boundary from the topmost Authentication-Results and walks down through internal relays', () => {
    const b = boundaryOf([
      `Received: from mx1.receiver.test (mx1.receiver.test [10.0.0.5]) by mailbox.receiver.test (Dovecot) with LMTP id L1; ${D}`,
      'Authentication-Results: mx1.receiver.test; spf=pass smtp.mailfrom=a@sender.test',
      `Received: from mail.sender.test (mail.sender.test [192.0.2.10]) by mx1.receiver.test (Postfix) with ESMTPS id Q1; ${D}`,
      `Received: from [198.51.100.7] by mail.sender.test (Postfix) with ESMTPSA id S1; ${D}`,
      'From: a@sender.test',
    ]);
    expect(b).toMatchObject({ method: 'authserv-id', entryHop: 1, trustedHops: [1, 2], unverifiedHops: [0], trustedAuthResults: [1] });
    expect(b.client).toMatchObject({ ip: '192.0.2.10', helo: 'mail.sender.test', mailFrom: 'a@sender.test', mailFromSource: 'trusted-authentication-results' });
  });

  it('a Received the sender wrote "by" the recipient\'s MX below the real hop is not believed (regression: fake-received-below-mx)', () => {
    const b = boundaryOf([
      `Received: from attacker.test (unknown [203.0.113.66]) by mx.receiver.test (Postfix) with ESMTP id Q1; ${D}`,
      'Authentication-Results: mx.receiver.test; spf=fail smtp.mailfrom=a@sender.test',
      `Received: from mail.sender.test (mail.sender.test [192.0.2.10]) by mx.receiver.test (Postfix) with ESMTPS id FAKE; ${D}`,
      'Authentication-Results: mx.receiver.test; spf=pass smtp.mailfrom=a@sender.test; dkim=pass; dmarc=pass',
      'From: a@sender.test',
    ]);
    expect(b.entryHop).toBe(1);
    expect(b.client?.ip).toBe('203.0.113.66');
    expect(b.unverifiedHops).toEqual([0]);
    expect(b.trustedAuthResults).toEqual([1]);
    expect(b.untrustedAuthResults.map((u) => u.headerIndex)).toEqual([3]);
    expect(b.untrustedAuthResults[0]!.reason).toMatch(/below the trust boundary/);
  });

  it('an Authentication-Results from an untrusted authserv-id claiming pass is never believed', () => {
    const b = boundaryOf(
      [
        `Received: from mail.sender.test (mail.sender.test [192.0.2.10]) by mx.receiver.test (Postfix) with ESMTPS id Q1; ${D}`,
        'Authentication-Results: mx.evil.test; dkim=pass; spf=pass; dmarc=pass',
        'From: a@sender.test',
      ],
      ['mx.receiver.test'],
    );
    expect(b.trustedAuthResults).toEqual([]);
    expect(b.untrustedAuthResults[0]!.reason).toMatch(/not a trusted host/);
    expect(b.client?.ip).toBe('192.0.2.10');
  });

  it('with no Authentication-Results and no --trust, every hop is an unverified claim', () => {
    const b = boundaryOf([`Received: from a.test (a.test [192.0.2.1]) by b.test (Postfix) id 1; ${D}`, 'From: a@a.test']);
    expect(b).toMatchObject({ method: 'none', entryHop: null, client: null, unverifiedHops: [0] });
  });

  it('--trust accepts a CIDR: the hop received from a trusted relay IP is trusted too', () => {
    const b = boundaryOf(
      [
        `Received: from relay.corp.test (relay.corp.test [10.1.2.3]) by mailbox.corp.test (Postfix) id 2; ${D}`,
        `Received: from mail.sender.test (mail.sender.test [192.0.2.10]) by relay.corp.test (Postfix) id 1; ${D}`,
        'From: a@sender.test',
      ],
      ['10.1.0.0/16', 'mailbox.corp.test'],
    );
    expect(b).toMatchObject({ method: 'trust-option', entryHop: 0 });
    expect(b.client?.ip).toBe('192.0.2.10');
  });

  it('skips internal hops on top (Gmail writes `by 2002:…` with no client above mx.google.com)', () => {
    const b = boundaryOf([
      `Received: by 2002:a05:6a10:1234:0:0:0:0 with SMTP id x; ${D}`,
      'Authentication-Results: mx.google.com; dkim=pass header.i=@sender.test',
      `Received: from mail-sor-f41.sender.test (mail-sor-f41.sender.test. [209.85.220.41]) by mx.google.com with SMTPS id y; ${D}`,
      'From: a@sender.test',
    ]);
    expect(b.entryHop).toBe(0);
    expect(b.client?.ip).toBe('209.85.220.41');
  });
});
