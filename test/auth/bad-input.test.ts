// Hostile input becomes a finding, never a crash: malformed DKIM tags, a 1 MB header, a non-base64 key,
// 10,000 TXT strings, an untrusted Authentication-Results claiming pass.
import { describe, expect, it } from 'vitest';
import { innerMessage, received, sign, syntheticZone } from './synthetic.js';
import { verifyWith } from './helpers.js';
import { zoneFromRecords } from './zones.js';

describe('verify: bad input', () => {
  it('malformed DKIM-Signature tags are a permerror with the reason and a flag', async () => {
    const msg = 'DKIM-Signature: v=1; a=rsa-sha256; d=sender.test; d=other.test; s=sel; bh; b=@@@\r\n' + innerMessage();
    const { doc } = await verifyWith(msg, syntheticZone());
    expect(doc.dkim[0]!.now.result).toBe('permerror');
    expect(doc.dkim[0]!.problems.join(' ')).toMatch(/duplicate tag d=/);
    expect(doc.flags.some((f) => f.kind === 'malformed-signature')).toBe(true);
  });

  it('a 1 MB header is read without crashing', async () => {
    const big = 'X-Filler: ' + 'a'.repeat(1024 * 1024) + '\r\n';
    const { doc } = await verifyWith(big + (await sign(innerMessage())), syntheticZone());
    expect(doc.verdict.answer).toBeDefined();
  });

  it('a key record that is not base64 is an invalid key, not a crash', async () => {
    const zone = syntheticZone({ 'sel._domainkey.sender.test': { TXT: [['v=DKIM1; k=rsa; p=***not base64***']] } });
    const { doc } = await verifyWith(await sign(innerMessage()), zone);
    expect(doc.dkim[0]!.now).toMatchObject({ result: 'permerror', key: 'invalid' });
  });

  it('a DNS answer of 10,000 TXT strings is refused as larger than any DNS message', async () => {
    const huge = Array.from({ length: 10_000 }, (_, i) => `chunk-${i}-xxxxxxxxxx`);
    const zone = syntheticZone({ 'sel._domainkey.sender.test': { TXT: [huge] } });
    const { doc } = await verifyWith(await sign(innerMessage()), zone);
    expect(doc.dkim[0]!.now.result).toBe('temperror');
    expect(doc.dns.find((a) => a.name === 'sel._domainkey.sender.test')?.error).toMatch(/larger than any DNS message/);
  });

  it('10,000 small TXT strings within the size bound are joined and judged (not a crash)', async () => {
    const zone = zoneFromRecords({ 'sel._domainkey.sender.test': { TXT: [Array.from({ length: 10_000 }, () => 'a')] } });
    const { doc } = await verifyWith(await sign(innerMessage()), zone);
    expect(doc.dkim[0]!.now.result).toBe('permerror');
  });

  it('an Authentication-Results from an untrusted host claiming pass is flagged and never believed', async () => {
    // Written by the sender among its own headers, with the receiver's authserv-id.
    const msg = received('203.0.113.66') + 'X-Mailer: forger 1.0\r\nAuthentication-Results: mx.receiver.test; dkim=pass header.d=sender.test; dmarc=pass\r\n' + innerMessage();
    const { doc } = await verifyWith(msg, syntheticZone(), { trust: ['mx.receiver.test'] });
    const ar = doc.boundary.authenticationResults[0]!;
    expect(ar.trusted).toBe(false);
    expect(doc.flags.some((f) => f.kind === 'untrusted-authentication-results' && f.severity === 'high')).toBe(true);
    expect(doc.verdict.answer).toBe('forged');
  });

  it('a message that is not a message (binary noise) gives an unverified verdict', async () => {
    const noise = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    const { doc } = await verifyWith(noise, syntheticZone());
    expect(doc.verdict.answer).toBe('unverified');
  });
});
