// A real Dovecot for IMAP tests and the benchmark: private config in a temp dir, 127.0.0.1 only, free high
// ports picked at runtime, a passwd-file user, a self-signed certificate made by openssl at start, and a
// Maildir++ mailbox written as files before start (so setup never needs an IMAP write). Dovecot's mail_log
// plugin logs any change the server makes to a mailbox (flags, expunge, copy, save, create, rename,
// delete) to its own log: an audit independent of the client.
// Needs the Debian packages dovecot-imapd (pulls dovecot-core) and openssl. Never touches system config.
// Every Dovecot started here is a child of this process (-F), stopped by stop() and on process exit.
// With `oauth2`, Dovecot also offers XOAUTH2 (and OAUTHBEARER) and checks each token over HTTP with a token
// endpoint (Google-style tokeninfo or RFC 7662 introspection): startTokenServer() runs one on 127.0.0.1 that
// accepts one token for one user. Dovecot's passdb oauth2 is part of dovecot-core; nothing more to install.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { describe } from 'vitest';
import { tempDir } from './mail.js';
import { REPO_ROOT } from './corpus.js';

const CLI_BIN = path.join(REPO_ROOT, 'bin', 'mailtrail.js');
const SBIN = ['/usr/sbin', '/usr/local/sbin', '/usr/bin', '/usr/local/bin'];

function findBinary(name: string): string | null {
  for (const dir of [...SBIN, ...(process.env.PATH ?? '').split(':')]) {
    const p = path.join(dir, name);
    if (dir && existsSync(p)) return p;
  }
  return null;
}

export const DOVECOT = findBinary('dovecot');
export const OPENSSL = findBinary('openssl');
const IMAP_LOGIN = existsSync('/usr/lib/dovecot/imap-login');

/** Why the Dovecot tests cannot run here, or null when they can. */
export function dovecotMissing(): string | null {
  if (!DOVECOT) return 'dovecot binary not found (Debian package dovecot-imapd)';
  if (!IMAP_LOGIN) return 'dovecot imap-login not found at /usr/lib/dovecot/imap-login (Debian package dovecot-imapd)';
  if (!OPENSSL) return 'openssl binary not found (Debian package openssl)';
  return null;
}

/** describe() that runs only with Dovecot installed, and says which binary is missing otherwise. */
export function describeDovecot(name: string, fn: () => void): void {
  const missing = dovecotMissing();
  if (!missing) describe(name, fn);
  else {
    // Reason: these tests need a real Dovecot (Debian dovecot-imapd), which .ci/run installs; elsewhere they skip.
    describe.skip(`${name} (skipped: ${missing})`, fn);
    console.warn(`mailtrail tests: ${missing}; IMAP integration tests are skipped`);
  }
}

export interface LabMessage {
  /** Raw message (LF or CRLF; written with CRLF line endings, as IMAP serves it). */
  raw: string;
  /** Maildir flags letters: S seen, F flagged, R replied, T trashed (\Deleted), D draft. */
  flags?: string;
  /** File mtime, which Dovecot reports as INTERNALDATE. */
  internalDate?: Date;
}

/** Folder name as IMAP lists it (`INBOX`, `Junk`, `Archive/2026`) -> messages. */
export type LabMailbox = Record<string, LabMessage[]>;

export const LAB_USER = 'alice';
export const LAB_PASSWORD = 'lab-only-secret-9f3a';
const SPECIAL_USE: Record<string, string> = { Junk: '\\Junk', Trash: '\\Trash', Sent: '\\Sent', Archive: '\\Archive', Drafts: '\\Drafts', 'All Mail': '\\All' };

export interface Lab {
  dir: string;
  host: string;
  imapsPort: number;
  imapPort: number;
  certFile: string;
  keyFile: string;
  maildir: string;
  /** `imaps://alice@127.0.0.1:PORT` (or imap:// on the STARTTLS port). */
  url(scheme?: 'imaps' | 'imap'): string;
  /** Add a message as a file (Dovecot picks it up on the next EXAMINE). */
  addMessage(folder: string, m: LabMessage): void;
  /** Dovecot's own log. */
  log(): string;
  /** mail_log lines: every change the server made to the mailbox. Must stay empty under mailtrail. */
  changes(): string[];
  /** Maildir file names per folder: flags live in the names (`:2,S`), so any flag change renames a file. */
  files(): Record<string, string[]>;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of running) c.kill('SIGKILL');
});

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function folderDir(maildir: string, folder: string): string {
  return folder.toUpperCase() === 'INBOX' ? maildir : path.join(maildir, `.${folder.replace(/\//g, '.')}`);
}

let fileSeq = 0;

function writeMessage(maildir: string, folder: string, m: LabMessage, owner: { uid: number; gid: number } | null): void {
  const dir = folderDir(maildir, folder);
  for (const sub of ['cur', 'new', 'tmp']) mkdirSync(path.join(dir, sub), { recursive: true });
  const name = `${1_700_000_000 + ++fileSeq}.M${fileSeq}P${process.pid}.lab:2,${[...(m.flags ?? '')].sort().join('')}`;
  const file = path.join(dir, 'cur', name);
  writeFileSync(file, m.raw.replace(/\r?\n/g, '\r\n'));
  const t = m.internalDate ?? new Date('2026-11-02T10:00:00Z');
  utimesSync(file, t, t);
  if (owner) chownTree(dir, owner);
}

function chownTree(p: string, owner: { uid: number; gid: number }): void {
  chownSync(p, owner.uid, owner.gid);
  for (const e of readdirSync(p, { withFileTypes: true })) {
    const q = path.join(p, e.name);
    if (e.isDirectory()) chownTree(q, owner);
    else chownSync(q, owner.uid, owner.gid);
  }
}

function idOf(name: string): { uid: number; gid: number } | null {
  const r = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  return r.status === 0 && g.status === 0 ? { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) } : null;
}

/** Dovecot's passdb oauth2 (2.3): how it checks a token, and which SASL mechanisms it offers. */
export interface LabOAuth2 {
  /** TokenServer.url: where Dovecot sends the token to be checked. */
  url: string;
  /**
   * tokeninfo: GET `…/tokeninfo?access_token=…`, Dovecot's example for Google; a 4xx answer is a bad token.
   * introspection: POST `token=…` to `…/introspect` (RFC 7662), Dovecot's example for WSO2 / Keycloak.
   * Not used: a Microsoft Graph-style check (`introspection_mode = auth`, 401 for a bad token). Dovecot
   * 2.3.19 logs `Introspection failed: No username returned` and answers `NO [UNAVAILABLE] Temporary
   * authentication failure`, so a refused token looks like an outage there (measured; Dovecot's doing).
   */
  check: 'tokeninfo' | 'introspection';
  /** Microsoft 365 offers XOAUTH2 only; Gmail offers XOAUTH2 and OAUTHBEARER. */
  mechanisms: ('xoauth2' | 'oauthbearer')[];
}

export async function startDovecot(mailbox: LabMailbox, opts: { mailLog?: boolean; oauth2?: LabOAuth2 } = {}): Promise<Lab> {
  const missing = dovecotMissing();
  if (missing) throw new Error(missing);
  const dir = tempDir('mailtrail-dovecot-');
  chmodSync(dir, 0o755); // login and auth processes run as dovenull/dovecot and must reach the sockets
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  const ssl = spawnSync(OPENSSL as string, [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
  ], { encoding: 'utf8', timeout: 30_000 });
  if (ssl.status !== 0) throw new Error(`openssl failed: ${ssl.stderr}`);

  const root = process.getuid?.() === 0;
  // As root: mail owned by nobody, login/internal users from the package. Otherwise everything runs as us.
  const me = userInfo();
  const mailOwner = root ? (idOf('nobody') ?? { uid: 65534, gid: 65534 }) : { uid: me.uid, gid: me.gid };
  const loginUser = root ? 'dovenull' : me.username;
  const internalUser = root ? 'dovecot' : me.username;
  const maildir = path.join(dir, 'home', LAB_USER, 'Maildir');
  mkdirSync(path.join(maildir, 'cur'), { recursive: true });
  mkdirSync(path.join(maildir, 'new'), { recursive: true });
  mkdirSync(path.join(maildir, 'tmp'), { recursive: true });
  for (const [folder, msgs] of Object.entries(mailbox)) {
    for (const sub of ['cur', 'new', 'tmp']) mkdirSync(path.join(folderDir(maildir, folder), sub), { recursive: true });
    for (const m of msgs) writeMessage(maildir, folder, m, null);
  }
  if (root) chownTree(path.join(dir, 'home'), mailOwner);
  writeFileSync(path.join(dir, 'passwd'), `${LAB_USER}:{PLAIN}${LAB_PASSWORD}::::::\n`);
  const oauth2 = opts.oauth2;
  if (oauth2) {
    // username_attribute must equal the login name; active_* make Dovecot refuse `{"active": false}`.
    writeFileSync(
      path.join(dir, 'oauth2.conf.ext'),
      [
        ...(oauth2.check === 'tokeninfo'
          ? [`tokeninfo_url = ${oauth2.url}/tokeninfo?access_token=`]
          : ['introspection_mode = post', `introspection_url = ${oauth2.url}/introspect`, 'force_introspection = yes', 'active_attribute = active', 'active_value = true']),
        'username_attribute = username',
        'timeout_msecs = 5000',
        '',
      ].join('\n'),
    );
  }

  const mailboxes = Object.entries(SPECIAL_USE)
    .map(([name, flag]) => `  mailbox "${name}" {\n    special_use = ${flag}\n  }`)
    .join('\n');
  const [imapPort, imapsPort] = [await freePort(), await freePort()];
  const conf = `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <${certFile}
ssl_key = <${keyFile}
disable_plaintext_auth = yes
auth_mechanisms = plain login${oauth2 ? ` ${oauth2.mechanisms.join(' ')}` : ''}
auth_failure_delay = 0
default_login_user = ${loginUser}
default_internal_user = ${internalUser}
first_valid_uid = ${Math.min(mailOwner.uid, 1)}
first_valid_gid = 0
mail_location = maildir:~/Maildir
mail_fsync = never
${opts.mailLog === false ? '' : 'mail_plugins = $mail_plugins notify mail_log'}
plugin {
  mail_log_events = delete undelete expunge save copy mailbox_create mailbox_delete mailbox_rename flag_change
  mail_log_fields = uid box msgid flags
}
passdb {
  driver = passwd-file
  ${oauth2 ? 'mechanisms = plain login' : ''}
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
${oauth2 ? `passdb {\n  driver = oauth2\n  mechanisms = ${oauth2.mechanisms.join(' ')}\n  args = ${dir}/oauth2.conf.ext\n}` : ''}
userdb {
  driver = static
  args = uid=${mailOwner.uid} gid=${mailOwner.gid} home=${dir}/home/%u
}
namespace inbox {
  inbox = yes
  separator = /
${mailboxes}
}
service imap-login {
  ${root ? '' : 'chroot ='}
  inet_listener imap {
    address = 127.0.0.1
    port = ${imapPort}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${imapsPort}
    ssl = yes
  }
}
${root ? '' : 'service anvil {\n  chroot =\n}\nservice auth {\n  user = $default_internal_user\n}'}
`;
  const confFile = path.join(dir, 'dovecot.conf');
  writeFileSync(confFile, conf);
  const child = spawn(DOVECOT as string, ['-F', '-c', confFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  let exited = false;
  child.once('exit', () => {
    exited = true;
    running.delete(child);
  });

  const stop = async (): Promise<void> => {
    if (exited) return;
    child.kill('SIGTERM');
    for (let i = 0; i < 50 && !exited; i++) await sleep(100);
    if (!exited) child.kill('SIGKILL');
    for (let i = 0; i < 20 && !exited; i++) await sleep(100);
  };

  // Wait (bounded) until both listeners accept connections.
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (exited) throw new Error(`dovecot exited at start: ${stderr}${readLog(dir)}`);
    if ((await canConnect(imapsPort)) && (await canConnect(imapPort))) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`dovecot did not listen within 15 s: ${stderr}${readLog(dir)}`);
    }
    await sleep(100);
  }

  return {
    dir,
    host: '127.0.0.1',
    imapsPort,
    imapPort,
    certFile,
    keyFile,
    maildir,
    url: (scheme = 'imaps') => `${scheme}://${LAB_USER}@127.0.0.1:${scheme === 'imaps' ? imapsPort : imapPort}`,
    addMessage: (folder, m) => writeMessage(maildir, folder, m, root ? mailOwner : null),
    log: () => readLog(dir),
    changes: () => readLog(dir).split('\n').filter((l) => /: Info: (delete|undelete|expunge|save|copy|mailbox_create|mailbox_delete|mailbox_rename|flag_change)\b/i.test(l) || /mail_log/i.test(l)),
    files: () => {
      const out: Record<string, string[]> = {};
      for (const folder of ['INBOX', ...Object.keys(mailbox).filter((f) => f.toUpperCase() !== 'INBOX')]) {
        const d = folderDir(maildir, folder);
        out[folder] = ['cur', 'new']
          .flatMap((sub) => (existsSync(path.join(d, sub)) ? readdirSync(path.join(d, sub)).map((n) => `${sub}/${n}`) : []))
          .sort();
      }
      return out;
    },
    async stop() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function readLog(dir: string): string {
  try {
    return readFileSync(path.join(dir, 'dovecot.log'), 'utf8');
  } catch {
    return '';
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1000, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * A TLS man-in-the-middle on 127.0.0.1 that forwards to the lab's imaps port and drops both connections
 * once the server has sent `cutAfter` message bodies (`BODY[] {n}` literals): a server that vanishes
 * mid-fetch. Presents the lab's own certificate, so clients connect with --insecure as to the lab.
 */
export async function startCuttingProxy(
  lab: Lab,
  cutAfter: number,
): Promise<{ port: number; cuts: () => number; setCutAfter: (n: number) => void; close: () => Promise<void> }> {
  const key = readFileSync(lab.keyFile);
  const cert = readFileSync(lab.certFile);
  let cuts = 0;
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ key, cert }, (down) => {
    sockets.add(down);
    const up = tls.connect({ host: '127.0.0.1', port: lab.imapsPort, rejectUnauthorized: false });
    sockets.add(up);
    let bodies = 0;
    let tail = '';
    up.on('data', (d: Buffer) => {
      const text = tail + d.toString('latin1');
      const before = bodies;
      bodies += (text.match(/BODY\[\] \{\d+\}/g) ?? []).length - (tail.match(/BODY\[\] \{\d+\}/g) ?? []).length;
      tail = text.slice(-32);
      if (bodies >= cutAfter && before < cutAfter) {
        cuts++;
        down.destroy();
        up.destroy();
        return;
      }
      down.write(d);
    });
    down.on('data', (d: Buffer) => up.write(d));
    for (const s of [up, down]) {
      s.on('error', () => {});
      s.on('close', () => {
        up.destroy();
        down.destroy();
      });
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    port,
    cuts: () => cuts,
    setCutAfter: (n) => {
      cutAfter = n;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/**
 * Run the built CLI without blocking this process: servers the test runs in-process (the token endpoint,
 * the cutting proxy) must keep answering while the CLI talks to them. Killed after 60 s.
 */
export function runCliAsync(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface TokenRequest {
  method: string;
  /** Path only: the token never goes into this record twice. */
  path: string;
  /** The token as the endpoint received it (`access_token` query, form `token`, or Bearer header), or null. */
  token: string | null;
}

export interface TokenServer {
  /** `http://127.0.0.1:PORT`: give it to startDovecot's oauth2.url. */
  url: string;
  /** Every request Dovecot made, in order. */
  requests: TokenRequest[];
  close(): Promise<void>;
}

/**
 * A token endpoint on 127.0.0.1 (random port) that knows one access token for one user, in the two shapes
 * Dovecot's oauth2 passdb speaks: Google-style `GET /tokeninfo?access_token=…` (400 for a bad token) and
 * RFC 7662 `POST /introspect` with `token=…` (`{"active": false}` for a bad token).
 */
export async function startTokenServer(accept: { token: string; username: string }): Promise<TokenServer> {
  const requests: TokenRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (d: Buffer) => {
      size += d.length;
      if (size <= 64 * 1024) chunks.push(d);
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const form = req.method === 'POST' ? new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('token') : null;
      const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;
      const token = url.searchParams.get('access_token') ?? form ?? bearer;
      requests.push({ method: req.method ?? '', path: url.pathname, token });
      const json = (status: number, doc: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(doc));
      };
      const ok = token === accept.token;
      if (url.pathname === '/introspect') json(200, ok ? { active: true, username: accept.username, token_type: 'Bearer' } : { active: false });
      else if (url.pathname === '/tokeninfo') json(ok ? 200 : 400, ok ? { username: accept.username, scope: 'https://mail.google.com/', expires_in: '3599' } : { error: 'invalid_token', error_description: 'Invalid Value' });
      else json(404, { error: 'not_found' });
    });
  });
  const sockets = new Set<net.Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
