// IMAP ingest benchmark: messages/s for a full-folder ingest of 10,000 messages from a local Dovecot
// (target >= 1,000/s). Starts its own Dovecot on 127.0.0.1 (free port, private config in a temp dir,
// self-signed cert trusted through NODE_EXTRA_CA_CERTS, so TLS is verified as in real use) and stops it
// afterwards, also on failure. Runs the built CLI (../dist via bin/) in a child process.
// Returns rows [label, value]; without Dovecot it returns one row saying why. Sizes: BENCH_IMAP_MESSAGES.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const here = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.join(here, '..', 'bin', 'mailtrail.js');
const PASSWORD = 'bench-only-secret';

function which(name) {
  for (const dir of ['/usr/sbin', '/usr/local/sbin', '/usr/bin', '/usr/local/bin', ...(process.env.PATH ?? '').split(':')]) {
    if (dir && existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    const done = (ok) => (s.destroy(), resolve(ok));
    s.setTimeout(1000, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A message of about 3 KB with a realistic header block (4 Received hops, authentication results). */
function benchMessage(i) {
  const body = `Line ${i} of a benchmark message body, long enough to look like mail.\r\n`.repeat(24);
  return [
    `Received: from mx${i % 50}.sender.test (mx${i % 50}.sender.test [192.0.2.${i % 250}]) by mx.receiver.test (Postfix) with ESMTPS id Q${i} for <bob@receiver.test>; Mon, 2 Nov 2026 10:00:00 +0000`,
    `Received: from relay.sender.test (relay.sender.test [198.51.100.${i % 250}]) by mx${i % 50}.sender.test with ESMTP id R${i}; Mon, 2 Nov 2026 09:59:59 +0000`,
    `Received: from [203.0.113.${i % 250}] by relay.sender.test (Postfix) with ESMTPSA id S${i}; Mon, 2 Nov 2026 09:59:58 +0000`,
    `Received: by 2002:a05:6000:1:0:0:0:0 with SMTP id T${i}; Mon, 2 Nov 2026 01:59:57 -0800 (PST)`,
    'Authentication-Results: mx.receiver.test; spf=pass smtp.mailfrom=sender.test; dkim=pass header.d=sender.test',
    'From: Alice <alice@sender.test>',
    'To: bob@receiver.test',
    `Subject: benchmark message ${i}`,
    'Date: Mon, 2 Nov 2026 09:59:50 +0000',
    `Message-ID: <bench${i}@sender.test>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
  ].join('\r\n');
}

function idOf(name) {
  const u = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  return u.status === 0 && g.status === 0 ? { uid: Number(u.stdout), gid: Number(g.stdout) } : null;
}

function chownTree(p, o) {
  chownSync(p, o.uid, o.gid);
  for (const e of readdirSync(p, { withFileTypes: true })) {
    const q = path.join(p, e.name);
    if (e.isDirectory()) chownTree(q, o);
    else chownSync(q, o.uid, o.gid);
  }
}

export async function benchImap() {
  const dovecot = which('dovecot');
  const openssl = which('openssl');
  if (!dovecot || !existsSync('/usr/lib/dovecot/imap-login')) return [['ingest imap', 'skipped: dovecot not installed (Debian package dovecot-imapd)']];
  if (!openssl) return [['ingest imap', 'skipped: openssl not installed']];
  const n = Number(process.env.BENCH_IMAP_MESSAGES ?? 10_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'mailtrail-bench-imap-'));
  chmodSync(dir, 0o755);
  let child = null;
  try {
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    const ssl = spawnSync(openssl, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8', timeout: 30_000 });
    if (ssl.status !== 0) return [['ingest imap', `skipped: openssl failed: ${ssl.stderr.split('\n')[0]}`]];

    const root = process.getuid?.() === 0;
    const me = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0, name: process.env.USER ?? 'root' };
    const owner = root ? (idOf('nobody') ?? { uid: 65534, gid: 65534 }) : me;
    const maildir = path.join(dir, 'home', 'bench', 'Maildir');
    for (const sub of ['cur', 'new', 'tmp']) mkdirSync(path.join(maildir, sub), { recursive: true });
    let bytes = 0;
    for (let i = 1; i <= n; i++) {
      const raw = benchMessage(i);
      bytes += Buffer.byteLength(raw);
      writeFileSync(path.join(maildir, 'cur', `${1_700_000_000 + i}.M${i}P1.bench:2,`), raw);
    }
    if (root) chownTree(path.join(dir, 'home'), owner);
    writeFileSync(path.join(dir, 'passwd'), `bench:{PLAIN}${PASSWORD}::::::\n`);
    const port = await freePort();
    const conf = path.join(dir, 'dovecot.conf');
    writeFileSync(
      conf,
      `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <${cert}
ssl_key = <${key}
auth_mechanisms = plain
default_login_user = ${root ? 'dovenull' : me.name}
default_internal_user = ${root ? 'dovecot' : me.name}
first_valid_uid = 1
mail_location = maildir:~/Maildir
mail_fsync = never
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${owner.uid} gid=${owner.gid} home=${dir}/home/%u
}
namespace inbox {
  inbox = yes
  separator = /
}
service imap-login {
  ${root ? '' : 'chroot ='}
  inet_listener imap {
    port = 0
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${port}
    ssl = yes
  }
}
`,
    );
    child = spawn(dovecot, ['-F', '-c', conf], { stdio: 'ignore' });
    const deadline = Date.now() + 15_000;
    while (!(await canConnect(port))) {
      if (Date.now() > deadline || child.exitCode !== null) return [['ingest imap', 'skipped: dovecot did not start (see its log)']];
      await sleep(100);
    }

    const db = path.join(dir, 'bench.db');
    const env = { PATH: process.env.PATH ?? '', HOME: dir, MAILTRAIL_IMAP_PASSWORD: PASSWORD, NODE_EXTRA_CA_CERTS: cert };
    const run = (args) =>
      new Promise((resolve) => {
        const t0 = performance.now();
        const c = spawn(process.execPath, [BIN, '--quiet', '--db', db, 'ingest', `imaps://bench@127.0.0.1:${port}`, '--json', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        c.stdout.on('data', (d) => (out += d));
        c.stderr.on('data', (d) => (err += d));
        const timer = setTimeout(() => c.kill('SIGKILL'), 600_000);
        c.on('close', (code) => {
          clearTimeout(timer);
          resolve({ code, seconds: (performance.now() - t0) / 1000, out, err });
        });
      });
    // Dovecot indexes a Maildir on first access; a targeted search that matches nothing warms it so the
    // figure below is mailtrail's fetch + store rate, not Dovecot's one-off index build (reported apart).
    const warm = await run(['--message-id', '<none@bench>']);
    const full = await run([]);
    if (full.code !== 0) return [['ingest imap', `failed (exit ${full.code}): ${full.err.split('\n')[0]}`]];
    const s = JSON.parse(full.out);
    const again = await run([]);
    const a = JSON.parse(again.out);
    return [
      ['ingest imap (full folder)', `${n} messages, ${(bytes / 1e6).toFixed(1)} MB, local Dovecot over TLS (verified)`],
      ['  Dovecot first-access index', `${warm.seconds.toFixed(2)} s (not counted)`],
      ['  time', `${full.seconds.toFixed(2)} s (CLI process, start to end)`],
      ['  throughput', `${(s.imap.fetched / full.seconds).toFixed(0)} messages/s, ${(bytes / 1e6 / full.seconds).toFixed(1)} MB/s (target >= 1,000 messages/s)`],
      ['  stored', `${s.newMessages} new, ${s.errors} error(s), ${s.files} transaction(s)`],
      ['  re-run (nothing new)', `${again.seconds.toFixed(2)} s, ${a.imap.fetched} fetched, ${a.imap.alreadyStored} skipped`],
    ];
  } finally {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      for (let i = 0; i < 50 && child.exitCode === null; i++) await sleep(100);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

// `node bench/imap.mjs` runs it alone.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rows = await benchImap();
  const w = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
}
