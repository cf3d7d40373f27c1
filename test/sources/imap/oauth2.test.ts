// OAuth2 access tokens (MAILTRAIL_IMAP_TOKEN) against a real Dovecot: its passdb oauth2 checks every token
// with a token endpoint that this test runs on 127.0.0.1 (test/helpers/dovecot.ts, startTokenServer), the
// way Gmail and Microsoft 365 check theirs with their identity provider. Two server shapes: XOAUTH2 only
// (Microsoft 365) and XOAUTH2 + OAUTHBEARER (Gmail; imapflow then prefers OAUTHBEARER). The CLI runs
// asynchronously (runCliAsync): the token endpoint lives in this process and must keep answering.
// CLI-level tests spawn the BUILT CLI: `npm run build` first (npm test does).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describeDovecot, runCliAsync, startDovecot, startTokenServer, type Lab, type TokenServer } from '../../helpers/dovecot.js';
import { message, tempDir } from '../../helpers/mail.js';
import { expectCleanStderr } from '../../helpers/cli.js';
import { openStore } from '../../../src/store/db.js';
import { parseImapUrl } from '../../../src/sources/imap/url.js';
import { openImapSession } from '../../../src/sources/imap/session.js';

const TOKEN = 'ya29.lab-only-access-token-7c1e9d';
const WRONG = 'ya29.lab-only-expired-token-0000';
const TOKEN_HINT =
  'hint: check the user name and MAILTRAIL_IMAP_TOKEN: access tokens expire (Gmail and Microsoft 365: after about an hour) and need the IMAP scope; get a fresh one\n';
const mailbox = () => ({ INBOX: [{ raw: message(1) }, { raw: message(2), flags: 'S' }], Junk: [{ raw: message(3) }] });

type Run = Awaited<ReturnType<typeof runCliAsync>>;

/** No file the run left in `dir` (store, WAL, journal inside it) holds the secret's bytes. */
function expectNowhere(dir: string, secret: string): void {
  for (const f of readdirSync(dir)) expect(readFileSync(path.join(dir, f)).includes(secret), `${f} holds the token`).toBe(false);
}

describeDovecot('OAuth2 access tokens (MAILTRAIL_IMAP_TOKEN) against Dovecot', () => {
  describe('XOAUTH2 only, token checked by RFC 7662 introspection (POST), as Microsoft 365 offers', () => {
    let tokens: TokenServer;
    let lab: Lab;
    let dir: string;
    const runs: Run[] = [];
    const ingest = async (env: Record<string, string>, ...args: string[]): Promise<Run> => {
      const r = await runCliAsync(['--db', path.join(dir, 'case.db'), 'ingest', lab.url(), '--insecure', ...args], env);
      runs.push(r);
      return r;
    };
    beforeAll(async () => {
      tokens = await startTokenServer({ token: TOKEN, username: 'alice' });
      lab = await startDovecot(mailbox(), { oauth2: { url: tokens.url, check: 'introspection', mechanisms: ['xoauth2'] } });
      dir = tempDir();
    });
    afterAll(async () => {
      await lab?.stop();
      await tokens?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('a good token logs in with XOAUTH2 and ingests; the server checked exactly that token', async () => {
      const r = await ingest({ MAILTRAIL_IMAP_TOKEN: TOKEN }, '--json');
      expect(r.code, r.stderr).toBe(0);
      expectCleanStderr(r.stderr);
      expect(JSON.parse(r.stdout)).toMatchObject({ newMessages: 3, errors: 0, imap: { folders: 2, fetched: 3 } });
      expect(lab.log()).toMatch(/imap-login: Info: Login: user=<alice>, method=XOAUTH2,/);
      expect(tokens.requests).toEqual([{ method: 'POST', path: '/introspect', token: TOKEN }]);
    });

    it('a token is used even when MAILTRAIL_IMAP_PASSWORD is also set (and the password is not tried)', async () => {
      lab.addMessage('INBOX', { raw: message(4) });
      const r = await ingest({ MAILTRAIL_IMAP_TOKEN: TOKEN, MAILTRAIL_IMAP_PASSWORD: 'not-the-password' }, '--json');
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).imap).toMatchObject({ fetched: 1, alreadyStored: 3 });
      expect(lab.log().match(/Login: user=<alice>, method=XOAUTH2,/g)).toHaveLength(2);
      expect(lab.log()).not.toMatch(/method=(PLAIN|LOGIN)/);
    });

    it('a bad token: one line naming the account, a hint about tokens, exit 2, nothing new stored', async () => {
      const r = await ingest({ MAILTRAIL_IMAP_TOKEN: WRONG });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `mailtrail: --insecure: the TLS certificate of 127.0.0.1:${lab.imapsPort} is NOT verified (recorded in the journal)\n` +
          `mailtrail: IMAP login failed for alice@127.0.0.1:${lab.imapsPort}: Authentication failed.\n` +
          TOKEN_HINT,
      );
      expect(tokens.requests.at(-1)).toEqual({ method: 'POST', path: '/introspect', token: WRONG });
      const d = openStore(path.join(dir, 'case.db'), { readonly: true });
      try {
        expect(d.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(4);
        expect(d.prepare('SELECT o.exit_code FROM journal_outcomes o ORDER BY o.run_id DESC LIMIT 1').pluck().get()).toBe(2);
      } finally {
        d.close();
      }
    });

    it('a token with a stray carriage return (a CRLF file): refused before it is sent, one line, exit 2', async () => {
      const r = await ingest({ MAILTRAIL_IMAP_TOKEN: `${WRONG}\r` }, '-q');
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n').slice(1)).toEqual([
        `mailtrail: IMAP login not attempted for alice@127.0.0.1:${lab.imapsPort}: The access token contains control characters`,
        'hint: remove the line break or other control character from the user name or MAILTRAIL_IMAP_TOKEN (a file saved with CRLF line ends?)',
        '',
      ]);
    });

    it('--debug shows a stack trace but still not the token', async () => {
      const r = await ingest({ MAILTRAIL_IMAP_TOKEN: WRONG }, '--debug');
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('mailtrail: IMAP login failed');
      expect(r.stderr).not.toContain(WRONG);
    });

    it('the token is nowhere: not in the store, the journal, stdout or stderr', () => {
      expect(runs.length).toBeGreaterThanOrEqual(4);
      for (const r of runs) {
        for (const secret of [TOKEN, WRONG]) expect(r.stdout + r.stderr).not.toContain(secret);
      }
      const d = openStore(path.join(dir, 'case.db'), { readonly: true });
      try {
        const journal = JSON.stringify(d.prepare('SELECT * FROM journal j LEFT JOIN journal_outcomes o ON o.run_id = j.id').all());
        expect(journal).toContain('ingest');
        for (const secret of [TOKEN, WRONG, 'not-the-password']) expect(journal).not.toContain(secret);
      } finally {
        d.close();
      }
      for (const secret of [TOKEN, WRONG, 'not-the-password']) expectNowhere(dir, secret);
    });
  });

  describe('XOAUTH2 and OAUTHBEARER, token checked with a Google-style tokeninfo endpoint, as Gmail offers', () => {
    let tokens: TokenServer;
    let lab: Lab;
    let dir: string;
    beforeAll(async () => {
      tokens = await startTokenServer({ token: TOKEN, username: 'alice' });
      lab = await startDovecot(mailbox(), { oauth2: { url: tokens.url, check: 'tokeninfo', mechanisms: ['xoauth2', 'oauthbearer'] } });
      dir = tempDir();
    });
    afterAll(async () => {
      await lab?.stop();
      await tokens?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('a good token logs in (OAUTHBEARER, which imapflow prefers) and ingests', async () => {
      const r = await runCliAsync(['--db', path.join(dir, 'c.db'), 'ingest', lab.url(), '--insecure', '--json'], { MAILTRAIL_IMAP_TOKEN: TOKEN });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).imap).toMatchObject({ folders: 2, fetched: 3 });
      expect(lab.log()).toMatch(/Login: user=<alice>, method=OAUTHBEARER,/);
      expect(tokens.requests).toEqual([{ method: 'GET', path: '/tokeninfo', token: TOKEN }]);
      expectNowhere(dir, TOKEN);
    });

    it('through the library: the wire audit keeps only the AUTHENTICATE verb, never the token', async () => {
      const session = await openImapSession(parseImapUrl(lab.url()), { kind: 'token', token: TOKEN }, { insecure: false, clientVersion: 'test', ca: readFileSync(lab.certFile) });
      try {
        expect(session.tls).toMatchObject({ verified: true });
        expect((await session.listFolders()).map((f) => f.path).sort()).toContain('Junk');
        const { commands, violations } = session.audit();
        expect(violations).toEqual([]);
        expect(commands).toContain('AUTHENTICATE');
        expect(JSON.stringify(session.audit())).not.toContain(TOKEN);
        expect(JSON.stringify(session.audit())).not.toContain(Buffer.from(`auth=Bearer ${TOKEN}`).toString('base64').slice(0, 24));
      } finally {
        await session.close();
      }
    });

    it('a bad token: the same one-line failure, exit 2', async () => {
      const r = await runCliAsync(['--db', path.join(dir, 'c.db'), 'ingest', lab.url(), '--insecure', '-q'], { MAILTRAIL_IMAP_TOKEN: WRONG });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `mailtrail: --insecure: the TLS certificate of 127.0.0.1:${lab.imapsPort} is NOT verified (recorded in the journal)\n` +
          `mailtrail: IMAP login failed for alice@127.0.0.1:${lab.imapsPort}: Authentication failed.\n` +
          TOKEN_HINT,
      );
      expect(tokens.requests.at(-1)).toEqual({ method: 'GET', path: '/tokeninfo', token: WRONG });
    });

    it('the token endpoint is down: a temporary server-side failure, not "check your token", exit 2', async () => {
      await tokens.close();
      const r = await runCliAsync(['--db', path.join(dir, 'c.db'), 'ingest', lab.url(), '--insecure'], { MAILTRAIL_IMAP_TOKEN: TOKEN });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expectCleanStderr(r.stderr);
      // Dovecot appends `[host:time]` so its admin can find the log line; it is kept.
      expect(r.stderr).toMatch(
        new RegExp(
          `^mailtrail: --insecure: .*\\nmailtrail: IMAP server could not check the login for alice@127\\.0\\.0\\.1:${lab.imapsPort} \\(temporary failure\\): ` +
            `Temporary authentication failure\\. \\[[^\\]]+\\]\\nhint: the server's authentication service is unavailable \\(for an access token: its check with the identity provider\\); try again later\\n$`,
        ),
      );
      expect(lab.log()).toMatch(/auth: Error: oauth2\(alice,.*oauth2 failed/);
      expectNowhere(dir, TOKEN);
    });
  });

  describe('a server that offers no OAuth2 login', () => {
    let lab: Lab;
    beforeAll(async () => {
      lab = await startDovecot(mailbox());
    });
    afterAll(async () => {
      await lab?.stop();
    });

    it('says the token cannot be used there, before sending it; exit 2', async () => {
      const dir = tempDir();
      try {
        const r = await runCliAsync(['--db', path.join(dir, 'c.db'), 'ingest', lab.url(), '--insecure', '-q'], { MAILTRAIL_IMAP_TOKEN: TOKEN });
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr).toBe(
          `mailtrail: --insecure: the TLS certificate of 127.0.0.1:${lab.imapsPort} is NOT verified (recorded in the journal)\n` +
            `mailtrail: IMAP server offers no OAuth2 login (XOAUTH2 or OAUTHBEARER) for alice@127.0.0.1:${lab.imapsPort}\n` +
            'hint: MAILTRAIL_IMAP_TOKEN needs a server that offers XOAUTH2 or OAUTHBEARER (Gmail, Microsoft 365); for this server unset it and use MAILTRAIL_IMAP_PASSWORD\n',
        );
        expect(lab.log()).not.toMatch(/method=/);
        expectNowhere(dir, TOKEN);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
