// Writes a realistic classic-syslog Postfix log of N lines: postscreen, smtpd with TLS, cleanup, qmgr, smtp relays
// with "queued as" replies, lmtp deliveries, NOQUEUE rejects, deferrals, bounces with their notifications, anvil.
// Deterministic (seeded), so runs compare. Used by bench/logs.mjs.
import { createWriteStream } from 'node:fs';

function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296);
}
const HEX = '0123456789ABCDEF';
const B62 = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export async function generatePostfixLog(file, lines, seed = 42) {
  const r = rng(seed);
  const pick = (a) => a[Math.floor(r() * a.length)];
  const qid = () => Array.from({ length: 10 }, () => HEX[Math.floor(r() * 16)]).join('');
  const rqid = () => `4${Array.from({ length: 14 }, () => B62[Math.floor(r() * 62)]).join('')}`;
  const users = Array.from({ length: 5000 }, (_, i) => `user${i}@example${i % 300}.com`);
  const locals = Array.from({ length: 400 }, (_, i) => `staff${i}@corp.example.org`);
  const hosts = Array.from({ length: 2000 }, (_, i) => [`mail${i}.example${i % 300}.com`, `198.51.${Math.floor(i / 250)}.${i % 250}`]);
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  let t = Date.UTC(2026, 10, 1, 0, 0, 0);
  let n = 0, bytes = 0;
  let buf = '';
  const stamp = () => {
    const d = new Date(t);
    const day = String(d.getUTCDate()).padStart(2, ' ');
    return `${MON[d.getUTCMonth()]} ${day} ${d.toISOString().slice(11, 19)} mx1`;
  };
  const put = (prog, pid, msg) => {
    const l = `${stamp()} postfix/${prog}[${pid}]: ${msg}\n`;
    buf += l; n++; bytes += l.length;
  };
  while (n < lines) {
    t += Math.floor(r() * 900);
    const [h, ip] = pick(hosts);
    const spid = 10000 + Math.floor(r() * 5000);
    const port = 30000 + Math.floor(r() * 30000);
    put('postscreen', 991, `CONNECT from [${ip}]:${port} to [203.0.113.25]:25`);
    put('postscreen', 991, `PASS OLD [${ip}]:${port}`);
    put('smtpd', spid, `connect from ${h}[${ip}]`);
    const x = r();
    if (x < 0.12) {
      put('smtpd', spid, `NOQUEUE: reject: RCPT from ${h}[${ip}]: 550 5.1.1 <${pick(locals).replace('staff', 'nobody')}>: Recipient address rejected: User unknown in virtual mailbox table; from=<${pick(users)}> to=<${pick(locals)}> proto=ESMTP helo=<${h}>`);
      put('smtpd', spid, `disconnect from ${h}[${ip}] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4`);
      continue;
    }
    put('smtpd', spid, `Anonymous TLS connection established from ${h}[${ip}]: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)`);
    const q = qid();
    const from = pick(users);
    const to = pick(locals);
    const mid = `${Math.floor(r() * 1e12).toString(36)}.${Math.floor(r() * 1e9).toString(36)}@${from.split('@')[1]}`;
    const size = 2000 + Math.floor(r() * 80000);
    put('smtpd', spid, `${q}: client=${h}[${ip}]`);
    put('cleanup', 2200 + Math.floor(r() * 50), `${q}: message-id=<${mid}>`);
    put('qmgr', 1201, `${q}: from=<${from}>, size=${size}, nrcpt=1 (queue active)`);
    put('smtpd', spid, `disconnect from ${h}[${ip}] ehlo=2 starttls=1 mail=1 rcpt=1 data=1 quit=1 commands=7`);
    t += Math.floor(r() * 400);
    const lpid = 3000 + Math.floor(r() * 200);
    if (x < 0.15) {
      put('smtp', lpid, `${q}: to=<${to}>, relay=mx.partner.example[192.0.2.7]:25, delay=${(r() * 30).toFixed(1)}, delays=0.1/0/30/0, dsn=4.4.1, status=deferred (connect to mx.partner.example[192.0.2.7]:25: Connection timed out)`);
      continue;
    }
    if (x < 0.17) {
      const b = qid();
      put('smtp', lpid, `${q}: to=<${to}>, relay=mx.partner.example[192.0.2.7]:25, delay=1.2, delays=0.1/0/0.6/0.5, dsn=5.1.1, status=bounced (host mx.partner.example[192.0.2.7] said: 550 5.1.1 <${to}>: Recipient address rejected: User unknown (in reply to RCPT TO command))`);
      put('cleanup', 2201, `${b}: message-id=<${t}.${b}@mx1.corp.example.org>`);
      put('bounce', 4100, `${q}: sender non-delivery notification: ${b}`);
      put('qmgr', 1201, `${b}: from=<>, size=${size + 2400}, nrcpt=1 (queue active)`);
      put('qmgr', 1201, `${q}: removed`);
      continue;
    }
    if (x < 0.6) {
      put('lmtp', lpid, `${q}: to=<${to}>, relay=mail.corp.example.org[private/dovecot-lmtp], delay=0.3, delays=0.1/0.01/0.01/0.18, dsn=2.0.0, status=sent (250 2.0.0 <${to}> ${Array.from({ length: 22 }, () => B62[Math.floor(r() * 62)]).join('')} Saved)`);
    } else {
      put('smtp', lpid, `${q}: to=<${pick(users)}>, relay=${h}[${ip}]:25, delay=0.8, delays=0.1/0.01/0.3/0.39, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as ${rqid()})`);
    }
    put('qmgr', 1201, `${q}: removed`);
    if (r() < 0.01) put('anvil', 1300, `statistics: max connection rate 3/60s for (smtp:${ip}) at ${stamp().slice(0, 15)}`);
    if (buf.length > 1 << 20) { if (!out.write(buf)) await new Promise((res) => out.once('drain', res)); buf = ''; }
  }
  out.write(buf);
  await new Promise((res) => out.end(res));
  return { lines: n, bytes };
}
