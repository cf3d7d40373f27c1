// Synthetic signed messages for forged-case tests: keys generated here, signatures made with mailauth's
// dkimSign with a fixed signTime (see FIELD-NOTES: without it t= can be computed twice and break the signature).
import { generateKeyPairSync } from 'node:crypto';
import { dkimSign } from 'mailauth';
import { zoneFromRecords } from './zones.js';

export const SIGN_TIME = new Date('2026-11-20T13:59:00.000Z');

let keys: { privateKey: string; publicB64: string } | null = null;
export function testKey(): { privateKey: string; publicB64: string } {
  if (!keys) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const der = publicKey.export({ type: 'spki', format: 'der' });
    keys = { privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(), publicB64: der.toString('base64') };
  }
  return keys;
}

export function innerMessage(opts: { from?: string; replyTo?: string; body?: string; subject?: string } = {}): string {
  return [
    `From: ${opts.from ?? 'Alice Example <alice@sender.test>'}`,
    'To: Bob <bob@receiver.test>',
    `Subject: ${opts.subject ?? 'Invoice 42'}`,
    'Date: Fri, 20 Nov 2026 13:59:00 +0000',
    'Message-ID: <inv42@sender.test>',
    ...(opts.replyTo ? [`Reply-To: ${opts.replyTo}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    opts.body ?? 'Please find the invoice attached.\r\n',
  ].join('\r\n');
}

export async function sign(message: string, domain = 'sender.test', selector = 'sel'): Promise<string> {
  const r = await dkimSign(message, {
    canonicalization: 'relaxed/relaxed',
    signTime: SIGN_TIME,
    signatureData: [{ signingDomain: domain, selector, privateKey: testKey().privateKey, algorithm: 'rsa-sha256' }],
  } as Parameters<typeof dkimSign>[1]);
  if (r.errors.length) throw new Error(String(r.errors[0]));
  return r.signatures + message;
}

/**
 * The recipient's own trace headers, prepended on top as the receiving MX would. The Authentication-Results goes
 * above the Received header (where a receiver that adds it after accepting the message puts it); `arBelow` puts it
 * just below instead, the placement a sender could imitate (see trust-boundary caveat tests).
 */
export function received(clientIp: string, opts: { helo?: string; envFrom?: string; ar?: string; arBelow?: boolean } = {}): string {
  const helo = opts.helo ?? 'mail.sender.test';
  const rcv = `Received: from ${helo} (${helo} [${clientIp}]) by mx.receiver.test (Postfix) with ESMTPS id 4Q1; Fri, 20 Nov 2026 14:00:01 +0000${opts.envFrom ? ` (envelope-from <${opts.envFrom}>)` : ''}`;
  const ar = opts.ar ? [`Authentication-Results: mx.receiver.test; ${opts.ar}`] : [];
  return (opts.arBelow ? [rcv, ...ar] : [...ar, rcv]).join('\r\n') + '\r\n';
}

/** DNS for sender.test (SPF 192.0.2.0/24, DMARC p=reject, the test key) and evil.test (own key, no DMARC). */
export function syntheticZone(extra: Record<string, Record<string, unknown[]>> = {}) {
  const p = testKey().publicB64;
  return zoneFromRecords({
    'sender.test': { TXT: [['v=spf1 ip4:192.0.2.0/24 -all']] },
    '_dmarc.sender.test': { TXT: [['v=DMARC1; p=reject; adkim=r; aspf=r']] },
    'sel._domainkey.sender.test': { TXT: [[`v=DKIM1; k=rsa; p=${p}`]] },
    'evil.test': { TXT: [['v=spf1 ip4:203.0.113.0/24 -all']] },
    'sel._domainkey.evil.test': { TXT: [[`v=DKIM1; k=rsa; p=${p}`]] },
    ...extra,
  });
}
