// benchVerify(): messages/s for `verify` with a recorded-DNS resolver (a snapshot, as --offline/--dns-snapshot use)
// on a batch of DKIM-signed messages with a trusted receiver hop (DKIM + SPF + DMARC + ARC + verdict).
// Target: >= 700 messages/s on 2 cores. Imports the built code (../dist/); `npm run build` first.
import { generateKeyPairSync } from 'node:crypto';
import { dkimSign } from 'mailauth';
import { verifyMessage } from '../dist/auth/verify-message.js';
import { readSnapshot, snapshotResolver } from '../dist/auth/snapshot.js';
import { verifyDocument } from '../dist/report/verify.js';

export async function benchVerify({ messages = Number(process.env.BENCH_VERIFY_MESSAGES ?? 2000) } = {}) {
  const { privateKey: keyObj, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKey = keyObj.export({ type: 'pkcs1', format: 'pem' }).toString();
  const pub = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const snap = readSnapshot({
    'sender.test': { TXT: [['v=spf1 ip4:192.0.2.0/24 -all']] },
    '_dmarc.sender.test': { TXT: [['v=DMARC1; p=reject']] },
    'sel._domainkey.sender.test': { TXT: [[`v=DKIM1; k=rsa; p=${pub}`]] },
  });
  const signTime = new Date('2026-11-20T13:59:00Z');
  const batch = [];
  for (let i = 0; i < Math.min(messages, 200); i++) {
    const inner = [
      'From: Alice <alice@sender.test>', 'To: bob@receiver.test', `Subject: bench ${i}`,
      'Date: Fri, 20 Nov 2026 13:59:00 +0000', `Message-ID: <bench${i}@sender.test>`, 'Content-Type: text/plain', '',
      `Body of message ${i}\r\n`.repeat(20),
    ].join('\r\n');
    const r = await dkimSign(inner, { canonicalization: 'relaxed/relaxed', signTime, signatureData: [{ signingDomain: 'sender.test', selector: 'sel', privateKey }] });
    if (r.errors.length) throw new Error(`signing failed: ${r.errors[0].err?.message ?? r.errors[0]}`);
    batch.push(Buffer.from(
      `Received: from mail.sender.test (mail.sender.test [192.0.2.10]) by mx.receiver.test (Postfix) with ESMTPS id Q${i}; Fri, 20 Nov 2026 14:00:01 +0000\r\n` +
        'Authentication-Results: mx.receiver.test; spf=pass smtp.mailfrom=alice@sender.test\r\n' + r.signatures + inner,
    ));
  }
  const now = () => new Date('2026-11-20T14:00:00Z');
  const run = async (n) => {
    let authenticated = 0;
    for (let i = 0; i < n; i++) {
      const facts = await verifyMessage(batch[i % batch.length], { resolver: snapshotResolver(snap), dnsSource: 'snapshot', now });
      const doc = verifyDocument(facts, { toolVersion: 'bench', expectDomains: [], knownDomains: [], knownSenders: new Map() });
      if (doc.verdict.answer === 'authenticated') authenticated++;
    }
    return authenticated;
  };
  await run(100); // warm up
  const t0 = process.hrtime.bigint();
  const ok = await run(messages);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  return [
    ['verify (recorded DNS)', `${messages} signed messages`],
    ['  throughput', `${(messages / s).toFixed(0)} messages/s (target >= 700)`],
    ['  authenticated', `${ok}/${messages}`],
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [k, v] of await benchVerify()) console.log(`${k.padEnd(24)} ${v}`);
}
