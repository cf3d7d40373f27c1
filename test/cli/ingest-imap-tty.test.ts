// `ingest imaps://…` on a real terminal: the password prompt (echo off, only when stdin and stderr are
// terminals) and the progress line (stderr only, only when stderr is a terminal, not with -q). The CLI runs
// under a pseudo-terminal made by util-linux `script` (Debian: bsdutils, essential), talking to a real
// Dovecot (test/helpers/dovecot.ts). `script -E always` keeps the terminal's own echo on, as a user's
// terminal has it, so anything the CLI fails to hide would show on the screen; a control test proves it.
// Inside the pty the CLI's stdout goes to a file, so the screen shows stderr only and stdout is checked
// for data alone. CLI-level tests spawn the BUILT CLI: `npm run build` first (npm test does).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { dovecotMissing, LAB_PASSWORD, runCliAsync, startDovecot, type Lab } from '../helpers/dovecot.js';
import { message, tempDir } from '../helpers/mail.js';
import { BIN, expectCleanStderr } from '../helpers/cli.js';
import { openStore } from '../../src/store/db.js';

const SCRIPT = ['/usr/bin/script', '/bin/script'].find((p) => existsSync(p)) ?? null;

/** Why these tests cannot run here, or null. */
function ptyMissing(): string | null {
  const d = dovecotMissing();
  if (d) return d;
  if (!SCRIPT) return 'script not found (util-linux; Debian package bsdutils)';
  const v = spawnSync(SCRIPT, ['--version'], { encoding: 'utf8' });
  if (!/util-linux/.test(v.stdout ?? '')) return `${SCRIPT} is not util-linux script (needs -q -e -f -E -c)`;
  return null;
}

function describePty(name: string, fn: () => void): void {
  const missing = ptyMissing();
  if (!missing) describe(name, fn);
  else {
    // Reason: these tests need a real pseudo-terminal (util-linux `script`) and Dovecot; elsewhere they skip.
    describe.skip(`${name} (skipped: ${missing})`, fn);
    console.warn(`mailtrail tests: ${missing}; terminal tests for IMAP ingest are skipped`);
  }
}

interface PtyRun {
  code: number | null;
  /** Everything the terminal showed (CRLF turned into LF; lone CRs of a progress line kept). */
  screen: string;
  /** The CLI's stdout, written to a file inside the pty. */
  stdout: string;
  /** The CLI's stderr when redirected to a file (`stderr: 'file'`), else ''. */
  stderr: string;
  /** `stty -a` taken on the same terminal after the CLI exited. */
  stty: string;
}

const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Run the built CLI with a pseudo-terminal as its stdin and stderr (stdout to a file, unless given
 * otherwise). `type` is typed once `after` has appeared on the screen.
 */
function runInPty(
  args: string[],
  opts: { env?: Record<string, string>; stdin?: 'tty' | 'null'; stdout?: 'file' | 'tty'; stderr?: 'tty' | 'file'; after?: RegExp; type?: Array<string | Buffer> } = {},
): Promise<PtyRun> {
  const dir = tempDir('mailtrail-pty-');
  const files = { out: path.join(dir, 'stdout'), err: path.join(dir, 'stderr'), stty: path.join(dir, 'stty') };
  const redirects = [
    opts.stdout === 'tty' ? '' : '>"$MT_OUT"',
    opts.stderr === 'file' ? '2>"$MT_ERR"' : '',
    opts.stdin === 'null' ? '</dev/null' : '',
  ].join(' ');
  const cmd = `"$MT_NODE" "$MT_BIN" ${args.map(q).join(' ')} ${redirects}; rc=$?; stty -a >"$MT_STTY" 2>&1; exit $rc`;
  return new Promise((resolve) => {
    const child = spawn(SCRIPT as string, ['-q', '-e', '-f', '-E', 'always', '-c', cmd, '/dev/null'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        SHELL: '/bin/sh',
        TERM: 'xterm',
        NO_COLOR: '1',
        MT_NODE: process.execPath,
        MT_BIN: BIN,
        MT_OUT: files.out,
        MT_ERR: files.err,
        MT_STTY: files.stty,
        ...opts.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    let typed = false;
    const type = async (): Promise<void> => {
      // A moment for the prompt's setRawMode (same tick as the prompt in the CLI; this is margin).
      await new Promise((r) => setTimeout(r, 150));
      for (const chunk of opts.type ?? []) {
        child.stdin.write(chunk);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    child.stdout.on('data', (d: Buffer) => {
      screen += d.toString('utf8');
      if (!typed && opts.after && opts.after.test(screen)) {
        typed = true;
        void type();
      }
    });
    child.stderr.on('data', (d: Buffer) => (screen += `[script stderr] ${d.toString('utf8')}`));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const read = (f: string): string => (existsSync(f) ? readFileSync(f, 'utf8') : '');
      resolve({ code, screen: screen.replace(/\r\n/g, '\n'), stdout: read(files.out), stderr: read(files.err), stty: read(files.stty) });
      rmSync(dir, { recursive: true, force: true });
    });
    // Keep stdin open until the CLI is done: an EOF on the pty would end a prompt early.
    child.on('exit', () => child.stdin.end());
  });
}

/** The terminal is back in its normal mode: echo and line editing on. */
function expectCookedTerminal(stty: string): void {
  expect(stty).toMatch(/(^|\s)echo(\s|$)/m);
  expect(stty).toMatch(/(^|\s)icanon(\s|$)/m);
}

function expectNowhere(dir: string, secret: string): void {
  for (const f of readdirSync(dir)) expect(readFileSync(path.join(dir, f)).includes(secret), `${f} holds the secret`).toBe(false);
}

/** The screen without progress lines (`\r ESC[K <folder>: 0.1 MB, 12 message(s)`, redrawn in place). */
const withoutProgress = (screen: string): string => screen.replace(/\r\x1b\[K(?:[^\r\n]*: \d+\.\d MB, \d+ message\(s\))?/g, '');

const PROMPT = /IMAP password for alice@127\.0\.0\.1:\d+: $/;

describePty('ingest imaps:// on a terminal', () => {
  describe('the password prompt', () => {
    let lab: Lab;
    let dir: string;
    let db: string;
    beforeAll(async () => {
      lab = await startDovecot({ INBOX: [{ raw: message(1) }, { raw: message(2) }], Junk: [{ raw: message(3) }] });
      dir = tempDir();
      db = path.join(dir, 'case.db');
    });
    afterAll(async () => {
      await lab?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('control: this harness shows what a terminal echoes (sh read echoes the typed text)', async () => {
      const child = spawnSync(SCRIPT as string, ['-q', '-e', '-f', '-E', 'always', '-c', 'read x; echo "read:$x"', '/dev/null'], {
        input: 'typed-in-the-clear\n',
        env: { PATH: process.env.PATH ?? '', SHELL: '/bin/sh', TERM: 'xterm' },
        encoding: 'utf8',
        timeout: 10_000,
      });
      expect(child.stdout.replace(/\r\n/g, '\n')).toBe('typed-in-the-clear\nread:typed-in-the-clear\n');
    });

    it('asks on the terminal, does not echo what is typed, logs in with it, and keeps it nowhere', async () => {
      const r = await runInPty(['--db', db, 'ingest', lab.url(), '--insecure', '--json'], { after: PROMPT, type: [LAB_PASSWORD, '\r'] });
      expect(r.code, r.screen).toBe(0);
      // The prompt, the newline the prompt writes for the Enter it swallowed, the warning; progress aside.
      expect(withoutProgress(r.screen)).toBe(
        `IMAP password for alice@127.0.0.1:${lab.imapsPort}: \n` +
          `mailtrail: --insecure: the TLS certificate of 127.0.0.1:${lab.imapsPort} is NOT verified (recorded in the journal)\n`,
      );
      expect(r.screen).not.toContain(LAB_PASSWORD);
      expect(JSON.parse(r.stdout)).toMatchObject({ type: 'summary', newMessages: 3, errors: 0, imap: { folders: 2, fetched: 3 } });
      expectCookedTerminal(r.stty);
      expect(lab.log()).toMatch(/Login: user=<alice>, method=PLAIN,/);
      const d = openStore(db, { readonly: true });
      try {
        const journal = JSON.stringify(d.prepare('SELECT * FROM journal j LEFT JOIN journal_outcomes o ON o.run_id = j.id').all());
        expect(journal).toContain('ingest');
        expect(journal).not.toContain(LAB_PASSWORD);
      } finally {
        d.close();
      }
      expectNowhere(dir, LAB_PASSWORD);
    });

    it('backspace edits what was typed (typed in pieces, as a person types)', async () => {
      lab.addMessage('INBOX', { raw: message(4) });
      const r = await runInPty(['--db', db, 'ingest', lab.url(), '--insecure'], { after: PROMPT, type: ['oops', '\x7f\x7f\x7f\x7f', ...LAB_PASSWORD.match(/.{1,5}/g)!, '\r'] });
      expect(r.code, r.screen).toBe(0);
      expect(r.stdout).toMatch(/^ingested imaps:\/\/alice@127\.0\.0\.1:\d+: 2 folder\(s\), 1 message\(s\) fetched \(1 new, 0 already stored\)/);
      expect(r.screen).not.toMatch(/oops|lab-only/);
    });

    it('a character split across two reads and an emoji are one character each to backspace (UTF-8 decoded across chunks)', async () => {
      lab.addMessage('INBOX', { raw: message(5) });
      const u = Buffer.from('\u00fc', 'utf8'); // two bytes, sent in two writes
      const type = [u.subarray(0, 1), u.subarray(1), '\u{1F600}', '\x7f\x7f', LAB_PASSWORD, '\r'];
      const r = await runInPty(['--db', db, 'ingest', lab.url(), '--insecure'], { after: PROMPT, type });
      expect(r.code, r.screen).toBe(0);
      expect(r.stdout).toMatch(/^ingested imaps:\/\/alice@127\.0\.0\.1:\d+: 2 folder\(s\), \d+ message\(s\) fetched/);
      expect(lab.log()).not.toMatch(/auth failed|Authentication failed/i);
    });

    it('a wrong password typed: the one-line login failure, exit 2, the password not shown', async () => {
      const r = await runInPty(['--db', db, 'ingest', lab.url(), '--insecure'], { after: PROMPT, type: ['typed-wrong-password\r'] });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.screen).toContain(`mailtrail: IMAP login failed for alice@127.0.0.1:${lab.imapsPort}: Authentication failed.\nhint: `);
      expect(r.screen).not.toContain('typed-wrong-password');
      expectNowhere(dir, 'typed-wrong-password');
    });

    it('Ctrl-C at the prompt: stops before connecting, exit 2, terminal back to normal', async () => {
      const logins = (lab.log().match(/imap-login: Info: (Login|Disconnected)/g) ?? []).length;
      const r = await runInPty(['--db', db, 'ingest', lab.url(), '--insecure'], { after: PROMPT, type: ['half', '\x03'] });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.screen).toMatch(/: \nmailtrail: password prompt interrupted\n$/);
      expect(r.screen).not.toContain('half');
      expectCookedTerminal(r.stty);
      expect((lab.log().match(/imap-login: Info: (Login|Disconnected)/g) ?? []).length).toBe(logins);
    });

    it('Enter on an empty prompt: the usage error, exit 2', async () => {
      const r = await runInPty(['--db', db, 'ingest', lab.url(), '--insecure'], { after: PROMPT, type: ['\r'] });
      expect(r.code).toBe(2);
      expect(r.screen).toContain(`mailtrail: no IMAP password for alice@127.0.0.1:${lab.imapsPort}\nhint: set MAILTRAIL_IMAP_PASSWORD`);
    });

    it('MAILTRAIL_IMAP_PASSWORD set: no prompt, even on a terminal', async () => {
      const r = await runInPty(['--db', db, 'ingest', lab.url(), '--insecure'], { env: { MAILTRAIL_IMAP_PASSWORD: LAB_PASSWORD } });
      expect(r.code, r.screen).toBe(0);
      expect(r.screen).not.toMatch(/password for/);
    });

    const noPassword = (port: number): string =>
      `mailtrail: no IMAP password for alice@127.0.0.1:${port}\nhint: set MAILTRAIL_IMAP_PASSWORD (or MAILTRAIL_IMAP_TOKEN for XOAUTH2), or run on a terminal to be prompted\n`;

    it('stdin not a terminal (stderr is): no prompt, the usage error, exit 2', async () => {
      const r = await runInPty(['--db', db, 'ingest', lab.url()], { stdin: 'null' });
      expect(r.code).toBe(2);
      expect(r.screen).toBe(noPassword(lab.imapsPort));
    });

    it('stderr not a terminal (stdin is): no prompt nobody would see, the usage error, exit 2', async () => {
      const r = await runInPty(['--db', db, 'ingest', lab.url()], { stderr: 'file' });
      expect(r.code).toBe(2);
      expect(r.screen).toBe('');
      expect(r.stderr).toBe(noPassword(lab.imapsPort));
    });
  });

  describe('the progress line on a full-folder ingest', () => {
    let lab: Lab;
    let dir: string;
    let n = 0;
    const freshDb = (): string => path.join(dir, `case-${++n}.db`);
    const ENV = { MAILTRAIL_IMAP_PASSWORD: LAB_PASSWORD };
    const INSECURE = (port: number): string => `mailtrail: --insecure: the TLS certificate of 127.0.0.1:${port} is NOT verified (recorded in the journal)\n`;
    beforeAll(async () => {
      const many = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ raw: message(from + i, { body: 'x'.repeat(2000) }) }));
      // Message 150 is 20 KB, over a 0.01 MB limit: a problem reported in the middle of the INBOX fetch.
      lab = await startDovecot({ INBOX: [...many(1, 149), { raw: message(150, { body: 'y'.repeat(20_000) }) }, ...many(151, 150)], Junk: many(1001, 50) });
      dir = tempDir();
    });
    afterAll(async () => {
      await lab?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('stderr a terminal: progress on stderr, cleared at the end; stdout carries the data only', async () => {
      const r = await runInPty(['--db', freshDb(), 'ingest', lab.url(), '--insecure', '--json', '--batch-size', '50'], { env: ENV });
      expect(r.code, r.screen).toBe(0);
      const lines = [...r.screen.matchAll(/\r\x1b\[K(imaps:\/\/[^:]+:\d+\/(?:INBOX|Junk)): (\d+\.\d) MB, (\d+) message\(s\)/g)];
      expect(lines.length, JSON.stringify(r.screen)).toBeGreaterThanOrEqual(1);
      expect(lines[0]![1]).toBe(`${lab.url()}/INBOX`);
      for (const l of lines) expect(Number(l[3])).toBeLessThanOrEqual(350);
      // The counter runs across folders, and the line is wiped before the run ends.
      expect(r.screen.startsWith(INSECURE(lab.imapsPort))).toBe(true);
      expect(r.screen.endsWith('\r\x1b[K')).toBe(true);
      expect(withoutProgress(r.screen)).toBe(INSECURE(lab.imapsPort));
      // stdout is one JSON document, no escape codes, no carriage returns.
      expect(r.stdout).not.toMatch(/[\r\x1b]/);
      expect(JSON.parse(r.stdout)).toMatchObject({ newMessages: 350, errors: 0, imap: { folders: 2, fetched: 350 } });
    });

    it('-q: no progress on the terminal', async () => {
      const r = await runInPty(['--db', freshDb(), 'ingest', lab.url(), '--insecure', '-q'], { env: ENV });
      expect(r.code, r.screen).toBe(0);
      expect(r.screen).toBe(INSECURE(lab.imapsPort));
      expect(r.stdout).toMatch(/^ingested .*: 2 folder\(s\), 350 message\(s\) fetched \(350 new, 0 already stored\), 0 skipped as fetched in an earlier run, 0 error\(s\)\n$/);
    });

    it('stdout and stderr on the same terminal: the progress line is wiped before the summary is printed', async () => {
      const r = await runInPty(['--db', freshDb(), 'ingest', lab.url(), '--insecure', '--batch-size', '50'], { env: ENV, stdout: 'tty' });
      expect(r.code, r.screen).toBe(0);
      // The last progress line is wiped (cursor back to column 0, line cleared), then the summary is written there.
      expect(r.screen).toMatch(/ message\(s\)\r\x1b\[Kingested imaps:\/\/alice@127\.0\.0\.1:\d+: 2 folder\(s\), 350 message\(s\) fetched .*, 0 error\(s\)\n$/);
      expect(withoutProgress(r.screen)).toMatch(/^mailtrail: --insecure: [^\n]*\ningested [^\r\x1b]*\n$/);
    });

    it('stdout a terminal but stderr not: no progress anywhere, the summary on the terminal', async () => {
      const r = await runInPty(['--db', freshDb(), 'ingest', lab.url(), '--insecure'], { env: ENV, stdout: 'tty', stderr: 'file' });
      expect(r.code, r.screen).toBe(0);
      expect(r.stderr).toBe(INSECURE(lab.imapsPort));
      expect(r.screen).toMatch(/^ingested .*: 2 folder\(s\), 350 message\(s\) fetched .*, 0 error\(s\)\n$/);
    });

    it('no terminal at all (pipes): no progress, no escape codes', async () => {
      const r = await runCliAsync(['--db', freshDb(), 'ingest', lab.url(), '--insecure', '--batch-size', '50'], ENV);
      expect(r.code, r.stderr).toBe(0);
      expectCleanStderr(r.stderr);
      expect(r.stderr).toBe(INSECURE(lab.imapsPort));
      expect(r.stdout).toMatch(/^ingested .*350 message\(s\) fetched/);
    });

    it('a targeted search on a terminal: no progress line (a handful of messages)', async () => {
      const r = await runInPty(['--db', freshDb(), 'ingest', lab.url(), '--insecure', '--message-id', '<m7@sender.test>'], { env: ENV });
      expect(r.code, r.screen).toBe(0);
      expect(r.screen).toBe(INSECURE(lab.imapsPort));
      expect(r.stdout).toMatch(/1 message\(s\) fetched/);
    });

    it('a problem in the middle of the fetch clears the progress line before it is reported', async () => {
      const r = await runInPty(['--db', freshDb(), 'ingest', lab.url(), '--insecure', '--max-message-mb', '0.01', '--batch-size', '50'], { env: ENV });
      expect(r.code).toBe(2);
      // Progress was on screen when the problem came: the line is wiped, then the problem starts at column 0.
      expect(r.screen).toMatch(/ message\(s\)\r\x1b\[Kmailtrail: message is \d+ bytes, over the size limit/);
      const problem = r.screen.split('\n').find((l) => l.includes('over the size limit'))!;
      expect(problem.replace(/^[^]*\r\x1b\[K/, '')).toMatch(/^mailtrail: message is \d+ bytes, over the size limit; not downloaded \(raise --max-message-mb\): imaps:\/\/.*\/INBOX UID 150$/);
      expect(r.stdout).toMatch(/349 message\(s\) fetched .*, 1 error\(s\)\n$/);
    });
  });
});
