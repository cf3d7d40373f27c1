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

  it('an Authentication-Results just below the entry hop, with none above, is believed only as a caveat', () => {
    const b = boundaryOf([
      `Received: from mail.sender.test (mail.sender.test [192.0.2.10]) by mx.receiver.test (Postfix) with ESMTPS id Q1; ${D}`,
      'Authentication-Results: mx.receiver.test; spf=pass smtp.mailfrom=a@sender.test',
      'From: a@sender.test',
    ]);
    expect(b.trustedAuthResults).toEqual([1]);
    expect(b.believedBelowEntry).toEqual([1]);
    expect(b.notes.join('\n')).toMatch(/^caveat: Authentication-Results #1 sits just below the entry hop's Received header.*not proven/m);
    // The same header above the Received is the receiver's own: no caveat.
    const above = boundaryOf([
      'Authentication-Results: mx.receiver.test; spf=pass smtp.mailfrom=a@sender.test',
      `Received: from mail.sender.test (mail.sender.test [192.0.2.10]) by mx.receiver.test (Postfix) with ESMTPS id Q1; ${D}`,
      'From: a@sender.test',
    ]);
    expect(above.trustedAuthResults).toEqual([0]);
    expect(above.believedBelowEntry).toEqual([]);
  });

  it('walks through a local LMTP delivery hop to the MTA that accepted the message (regression: boundary-stopped-at-lmtp)', () => {
    const b = boundaryOf([
      `Received: from mx.receiver.test by mx.receiver.test with LMTP id L1 (envelope-from <a@sender.test>) for <bob@receiver.test>; ${D}`,
      'Authentication-Results: mx.receiver.test; dkim=none',
      `Received: from mail.sender.test (unknown [198.51.100.20]) by mx.receiver.test (Postfix) with ESMTP id Q1 for <bob@receiver.test>; ${D}`,
      `Received: from [203.0.113.1] by mail.sender.test (Postfix) with ESMTPSA id S1; ${D}`,
      'From: a@sender.test',
    ]);
    expect(b).toMatchObject({ entryHop: 1, trustedHops: [1, 2], unverifiedHops: [0], trustedAuthResults: [1], believedBelowEntry: [] });
    expect(b.client).toMatchObject({ ip: '198.51.100.20', helo: 'mail.sender.test', internal: false });
  });

  it('an LMTP hop does not vouch for a hop written by another host', () => {
    const b = boundaryOf([
      `Received: from mx.receiver.test by mx.receiver.test with LMTP id L1; ${D}`,
      'Authentication-Results: mx.receiver.test; dkim=none',
      `Received: from mail.sender.test (mail.sender.test [192.0.2.10]) by relay.elsewhere.test (Postfix) with ESMTP id Q1; ${D}`,
      'From: a@sender.test',
    ]);
    expect(b.entryHop).toBe(1);
    expect(b.client?.ip).toBeNull();
  });

  it('a loopback client that is evidently another host is the sender (lab: hosts on 127.0.0.0/8), a re-injection is not', () => {
    // The hop below names another host: it is not this machine's own re-injection.
    const lab = boundaryOf([
      `Received: from smtp.sender.test (unknown [127.0.0.2]) by mx.receiver.test (Postfix) with ESMTP id Q1; ${D}`,
      `Received: from client.sender.test (unknown [127.0.0.1]) by smtp.sender.test (Postfix) with ESMTPA id S1; ${D}`,
      'Authentication-Results: mx.receiver.test; dkim=none',
      'From: a@sender.test',
    ], ['mx.receiver.test']);
    expect(lab).toMatchObject({ entryHop: 1, unverifiedHops: [0] });
    expect(lab.client).toMatchObject({ ip: '127.0.0.2', internal: false });
    expect(lab.notes.join('\n')).toMatch(/loopback address but is another host \(the hop below was written by smtp\.sender\.test\)/);
    // Greeting with another host's name, nothing below.
    const helo = boundaryOf([`Received: from mail.sender.test (unknown [127.0.0.9]) by mx.receiver.test (Postfix) with ESMTP id Q1; ${D}`, 'From: a@sender.test'], ['mx.receiver.test']);
    expect(helo.client).toMatchObject({ ip: '127.0.0.9', internal: false });
    // A content filter re-injecting on the same machine (amavis): walk down to the real entry.
    const amavis = boundaryOf([
      `Received: from localhost (localhost [127.0.0.1]) by mx.receiver.test (Postfix) with ESMTP id R2; ${D}`,
      `Received: from mx.receiver.test ([127.0.0.1]) by localhost (mx.receiver.test [127.0.0.1]) (amavisd-new, port 10024) with ESMTP id A1; ${D}`,
      `Received: from mail.sender.test (mail.sender.test [192.0.2.10]) by mx.receiver.test (Postfix) with ESMTPS id Q1; ${D}`,
      'From: a@sender.test',
    ], ['mx.receiver.test']);
    expect(amavis.entryHop).toBe(0);
    expect(amavis.client).toMatchObject({ ip: '192.0.2.10', internal: false });
  });
});
