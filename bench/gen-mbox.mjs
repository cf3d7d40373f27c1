// Generates a realistic mbox for benchmarks: varied header blocks (4–7 Received hops from several
// MTA families, DKIM and Authentication-Results headers), text bodies from 1 KB to 60 KB and
// some base64 attachments, mboxrd-quoted `From ` lines. Deterministic (seeded PRNG).
import { createWriteStream } from 'node:fs';

function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = 'the invoice attached please find meeting agenda quarterly report shipment delayed customer account update password reset confirm order delivery schedule budget review contract draft signature approval regards thanks team'.split(' ');
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function rfcDate(ms) {
  const d = new Date(ms);
  const p = (n) => String(n).padStart(2, '0');
  return `${DAYS[(d.getUTCDay() + 6) % 7]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

function received(rand, i, ms) {
  const ip = `${10 + (i % 200)}.${Math.floor(rand() * 255)}.${Math.floor(rand() * 255)}.${Math.floor(rand() * 255)}`;
  const id = Math.floor(rand() * 2 ** 40).toString(36).toUpperCase();
  switch (i % 4) {
    case 0:
      return `Received: from mail${i}.example.net (mail${i}.example.net [${ip}])\n\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\n\t(No client certificate requested)\n\tby mx${i}.example.org (Postfix) with ESMTPS id ${id}\n\tfor <bob@example.org>; ${rfcDate(ms)}\n`;
    case 1:
      return `Received: from [${ip}] (helo=relay${i}.example.com)\n\tby smtp${i}.example.com with esmtpsa  (TLS1.2) tls TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384\n\t(Exim 4.96)\n\t(envelope-from <alice@example.com>)\n\tid 1t${id}-000abc-Zz\n\tfor bob@example.org; ${rfcDate(ms)}\n`;
    case 2:
      return `Received: from BN3NAM04FT003.eop-NAM04.prod.protection.outlook.com\n (${ip}) by BN3NAM04HT205.eop-NAM04.prod.protection.outlook.com\n (10.152.93.134) with Microsoft SMTP Server (version=TLS1_2,\n cipher=TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384_P384) id 15.20.696.11; ${rfcDate(ms)}\n`;
    default:
      return `Received: by 2002:a05:6a10:${(i * 7919) % 65536}:b0:${id.slice(0, 4)} with SMTP id ${id.toLowerCase()}csp123456pxb;\n        ${rfcDate(ms)}\n`;
  }
}

function words(rand, n, fromLines = true) {
  const out = [];
  let line = '';
  for (let i = 0; i < n; i++) {
    const w = WORDS[Math.floor(rand() * WORDS.length)];
    if (line.length + w.length > 72) {
      out.push(line);
      line = '';
    }
    line += (line ? ' ' : '') + w;
    if (fromLines && rand() < 0.01) {
      out.push(line);
      out.push('From the desk of the director:'); // must be mboxrd-quoted
      line = '';
    }
  }
  out.push(line);
  return out.join('\n');
}

function message(rand, n, baseMs) {
  let ms = baseMs + n * 37_000;
  const hops = 4 + Math.floor(rand() * 4);
  let head = '';
  const rec = [];
  for (let i = 0; i < hops; i++) {
    rec.push(received(rand, i + n, ms));
    ms += Math.floor(rand() * 5000);
  }
  head += rec.reverse().join('');
  head += `Authentication-Results: mx.example.org; dkim=pass header.d=example.com header.s=s1; spf=pass smtp.mailfrom=example.com; dmarc=pass header.from=example.com\n`;
  head += `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=s1;\n\th=from:to:subject:date:message-id; bh=${Buffer.from(String(n)).toString('base64')}=;\n\tb=${'A'.repeat(344)}\n`;
  head += `From: "Alice ${n % 97}" <alice${n % 97}@example.com>\nTo: bob@example.org\nSubject: ${words(rand, 6, false)} #${n}\nDate: ${rfcDate(baseMs + n * 37_000)}\nMessage-ID: <${n}.${Math.floor(rand() * 1e9)}@example.com>\nMIME-Version: 1.0\n`;
  const size = rand() < 0.8 ? 1 + Math.floor(rand() * 12) : 20 + Math.floor(rand() * 60); // KB
  let body;
  if (rand() < 0.15) {
    const blob = Buffer.alloc(size * 1024);
    for (let i = 0; i < blob.length; i += 4) blob.writeUInt32LE(Math.floor(rand() * 2 ** 32), i);
    const b64 = blob.toString('base64').replace(/.{76}/g, '$&\n');
    head += `Content-Type: multipart/mixed; boundary="b${n}"\n`;
    body = `--b${n}\nContent-Type: text/plain\n\n${words(rand, 120)}\n--b${n}\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n${b64}\n--b${n}--\n`;
  } else {
    head += 'Content-Type: text/plain; charset=utf-8\n';
    body = words(rand, Math.floor((size * 1024) / 7)) + '\n';
  }
  body = body.replace(/^(>*From )/gm, '>$1');
  return `From alice@example.com ${new Date(baseMs).toUTCString()}\n${head}\n${body}\n`;
}

/** Write an mbox of about `targetBytes`; resolves to { bytes, messages }. */
export async function generateMbox(file, targetBytes, seed = 42) {
  const rand = prng(seed);
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  let bytes = 0;
  let n = 0;
  const baseMs = Date.UTC(2026, 10, 1);
  let chunk = '';
  while (bytes < targetBytes) {
    const m = message(rand, n++, baseMs);
    chunk += m;
    bytes += Buffer.byteLength(m);
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
      chunk = '';
    }
  }
  out.write(chunk);
  await new Promise((r, j) => out.end((e) => (e ? j(e) : r())));
  return { bytes, messages: n };
}
