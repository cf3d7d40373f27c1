// IMAP ingest against a real Dovecot (test/helpers/dovecot.ts): the read-only proof, special-use folders,
// one message in several folders, the manifest re-verified, server-side search, resumable runs, and the
// failures a user meets (auth, TLS, refused, a folder that vanished, a connection dropped mid-fetch).
// CLI-level tests spawn the BUILT CLI: `npm run build` first (npm test does).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { describeDovecot, freePort, LAB_PASSWORD, runCliAsync, startCuttingProxy, startDovecot, type Lab, type LabMailbox } from '../../helpers/dovecot.js';
import { message, tempDir } from '../../helpers/mail.js';
import { expectCleanStderr, runCli } from '../../helpers/cli.js';
import { openStore, type Db } from '../../../src/store/db.js';
import { startRun } from '../../../src/store/journal.js';
import { imapArtifactEntries, imapLocationsOf } from '../../../src/store/read.js';
import { verifyManifest } from '../../../src/sources/imap/manifest.js';
import { parseImapUrl } from '../../../src/sources/imap/url.js';
import { openImapSession } from '../../../src/sources/imap/session.js';
import { createImapSource } from '../../../src/sources/imap/source.js';
import { ingest } from '../../../src/ingest/ingest.js';
import { imapIngestPorts, imapStorePorts } from '../../../src/cli/ingest-ports.js';

const ENV = { MAILTRAIL_IMAP_PASSWORD: LAB_PASSWORD };
const day = (d: string): Date => new Date(`${d}T10:00:00Z`);

/** INBOX (one \Seen, one \Flagged), Junk, Trash (empty), Sent, Archive; message 1 also in Archive. */
function mailbox(): LabMailbox {
  return {
    INBOX: [
      { raw: message(1), internalDate: day('2026-11-01') },
      { raw: message(2), flags: 'S', internalDate: day('2026-11-02') },
      { raw: message(3), flags: 'F', internalDate: day('2026-11-03') },
    ],
    Junk: [{ raw: message(4), internalDate: day('2026-11-02') }],
    Trash: [],
    Sent: [{ raw: message(5), flags: 'S', internalDate: day('2026-11-02') }],
    Archive: [{ raw: message(1), flags: 'S', internalDate: day('2026-11-01') }],
  };
}

interface FolderSnapshot {
  uidValidity: string;
  uidNext: number;
  exists: number;
  messages: { uid: number; flags: string[]; size: number }[];
}

/**
 * Everything IMAP says about the mailbox, read with EXAMINE; \Recent (a session flag) left out, and so are
 * the LIST hints \Marked / \UnMarked (RFC 3501 §7.2.2): Dovecot computes them lazily from its list index,
 * so one may appear between two snapshots with no change to any folder, message or flag (seen on a loaded
 * 2-core machine: `Trash \HasNoChildren \Trash` became `… \UnMarked`).
 */
async function snapshot(lab: Lab): Promise<Record<string, FolderSnapshot>> {
  const c = new ImapFlow({ host: lab.host, port: lab.imapsPort, secure: true, tls: { rejectUnauthorized: false }, auth: { user: 'alice', pass: LAB_PASSWORD }, logger: false, disableAutoIdle: true });
  c.on('error', () => {});
  await c.connect();
  try {
    const out: Record<string, FolderSnapshot> = {};
    for (const f of (await c.list()).sort((a, b) => a.path.localeCompare(b.path))) {
      const mb = await c.mailboxOpen(f.path, { readOnly: true });
      const messages: FolderSnapshot['messages'] = [];
      if (mb.exists > 0) {
        for await (const m of c.fetch('1:*', { uid: true, flags: true, size: true }, { uid: true })) {
          messages.push({ uid: m.uid, flags: [...(m.flags ?? [])].filter((x) => x !== '\\Recent').sort(), size: m.size ?? -1 });
        }
      }
      const listFlags = [...f.flags].filter((x) => !/^\\(un)?marked$/i.test(x)).sort();
      out[`${f.path} ${listFlags.join(' ')}`] = { uidValidity: mb.uidValidity.toString(), uidNext: mb.uidNext, exists: mb.exists, messages };
    }
    return out;
  } finally {
    await c.logout();
  }
}

function count(db: Db, sql: string, ...args: unknown[]): number {
  return (db.prepare(sql).get(...args) as { n: number }).n;
}

describeDovecot('IMAP ingest against Dovecot', () => {
  describe('a full ingest of every folder', () => {
    let lab: Lab;
    let dir: string;
    let db: string;
    let before: Record<string, FolderSnapshot>;
    let beforeFiles: Record<string, string[]>;
    let run: ReturnType<typeof runCli>;

    beforeAll(async () => {
      lab = await startDovecot(mailbox());
      dir = tempDir();
      db = path.join(dir, 'case.db');
      before = await snapshot(lab);
      beforeFiles = lab.files();
      run = runCli(['--db', db, 'ingest', lab.url(), '--insecure', '--json'], { env: ENV });
    });
    afterAll(async () => {
      await lab?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('succeeds and reports every folder', () => {
      expect(run.stderr).toContain('--insecure: the TLS certificate of 127.0.0.1');
      expectCleanStderr(run.stderr);
      expect(run.code).toBe(0);
      const doc = JSON.parse(run.stdout);
      expect(doc).toMatchObject({ schemaVersion: 1, type: 'summary', messages: 6, newMessages: 5, duplicates: 1, errors: 0 });
      expect(doc.imap).toMatchObject({ folders: 5, folderErrors: 0, matched: 6, alreadyStored: 0, fetched: 6, insecure: true, tls: { protocol: 'TLSv1.3', verified: false } });
    });

    it('leaves the mailbox exactly as it was: folders, UIDVALIDITY, UIDs, flags, counts (read-only proof)', async () => {
      const after = await snapshot(lab);
      expect(after).toEqual(before);
      expect(Object.keys(after)).toHaveLength(5);
      // \Seen was not set on the messages that had not been read.
      const inbox = Object.entries(after).find(([k]) => k.startsWith('INBOX '))![1];
      expect(inbox.messages.map((m) => m.flags)).toEqual([[], ['\\Seen'], ['\\Flagged']]);
      // The files (flags live in Maildir file names) are untouched; Dovecot's own audit saw no change.
      expect(lab.files()).toEqual(beforeFiles);
      expect(lab.changes()).toEqual([]);
      const sessions = lab.log().split('\n').filter((l) => l.includes('Disconnected: Logged out'));
      expect(sessions.length).toBeGreaterThanOrEqual(2);
      for (const s of sessions) expect(s).toMatch(/deleted=0 expunged=0 trashed=0/);
    });

    it('records special-use folders, IMAP facts per message, and one message found in two folders once', () => {
      const d = openStore(db, { readonly: true });
      try {
        const folders = d.prepare('SELECT folder, special_use AS specialUse, special_use_source AS src, message_count AS n, to_fetch AS fetch FROM imap_folders ORDER BY folder').all();
        expect(folders).toEqual([
          { folder: 'Archive', specialUse: '\\Archive', src: 'extension', n: 1, fetch: 1 },
          { folder: 'INBOX', specialUse: '\\Inbox', src: 'protocol', n: 3, fetch: 3 },
          { folder: 'Junk', specialUse: '\\Junk', src: 'extension', n: 1, fetch: 1 },
          { folder: 'Sent', specialUse: '\\Sent', src: 'extension', n: 1, fetch: 1 },
          { folder: 'Trash', specialUse: '\\Trash', src: 'extension', n: 0, fetch: 0 },
        ]);
        expect(count(d, 'SELECT count(*) AS n FROM messages')).toBe(5);
        const m1 = d.prepare("SELECT sha256 FROM messages WHERE message_id = '<m1@sender.test>'").pluck().get() as string;
        const locs = imapLocationsOf(d, m1);
        expect(locs.map((l) => [l.folder, l.specialUse, l.flags])).toEqual([
          ['Archive', '\\Archive', ['\\Seen']],
          ['INBOX', '\\Inbox', []],
        ]);
        const junk = imapLocationsOf(d, d.prepare("SELECT sha256 FROM messages WHERE message_id = '<m4@sender.test>'").pluck().get() as string)[0]!;
        expect(junk).toMatchObject({ folder: 'Junk', specialUse: '\\Junk', uid: 1, internalDate: '2026-11-02T10:00:00.000Z', flags: [] });
        expect(junk.rfc822Size).toBe(Buffer.byteLength(message(4).replace(/\n/g, '\r\n')));
        expect(junk.uidValidity).toMatch(/^\d+$/);
        expect(junk.artifactPath).toBe(`${lab.url()}/Junk`);
      } finally {
        d.close();
      }
    });

    it('gives every imap artifact a manifest hash that can be re-verified from the store', () => {
      const d = openStore(db, { readonly: true });
      try {
        const ids = d.prepare("SELECT id FROM artifacts WHERE kind = 'imap'").pluck().all() as number[];
        expect(ids).toHaveLength(4); // Trash had nothing to fetch: recorded in imap_folders, no artifact
        for (const id of ids) {
          const { artifact, entries } = imapArtifactEntries(d, id)!;
          expect(verifyManifest(artifact, entries)).toBe(true);
          expect(verifyManifest(artifact, entries.map((e) => ({ ...e, flags: [...e.flags, '\\Deleted'] })))).toBe(false);
        }
      } finally {
        d.close();
      }
    });

    it('keeps --insecure in the journal and the password nowhere in the store', () => {
      const d = openStore(db, { readonly: true });
      try {
        const j = d.prepare('SELECT j.args, o.summary FROM journal j JOIN journal_outcomes o ON o.run_id = j.id').get() as { args: string; summary: string };
        expect(JSON.parse(j.args)).toContain('--insecure');
        expect(JSON.parse(j.summary).imap).toMatchObject({ insecure: true, tls: { verified: false } });
      } finally {
        d.close();
      }
      for (const f of readdirSync(dir)) expect(readFileSync(path.join(dir, f)).includes(LAB_PASSWORD)).toBe(false);
      expect(run.stdout + run.stderr).not.toContain(LAB_PASSWORD);
    });

    it('a second run fetches nothing and still changes nothing', async () => {
      const again = runCli(['--db', db, 'ingest', lab.url(), '--insecure'], { env: ENV });
      expect(again.code).toBe(0);
      expect(again.stdout).toBe(`ingested ${lab.url()}: 5 folder(s), 0 message(s) fetched (0 new, 0 already stored), 6 skipped as fetched in an earlier run, 0 error(s)\n`);
      expect(await snapshot(lab)).toEqual(before);
    });

    it('the read-only proof would catch a change (control: another client sets \\Seen)', async () => {
      const c = new ImapFlow({ host: lab.host, port: lab.imapsPort, secure: true, tls: { rejectUnauthorized: false }, auth: { user: 'alice', pass: LAB_PASSWORD }, logger: false, disableAutoIdle: true });
      c.on('error', () => {});
      await c.connect();
      await c.mailboxOpen('INBOX');
      await c.messageFlagsAdd('1', ['\\Seen'], { uid: true });
      await c.logout();
      expect(await snapshot(lab)).not.toEqual(before);
      expect(lab.files()).not.toEqual(beforeFiles);
      expect(lab.changes().join('\n')).toMatch(/flag_change/);
    });
  });

  describe('on the wire', () => {
    let lab: Lab;
    beforeAll(async () => {
      lab = await startDovecot(mailbox());
    });
    afterAll(async () => {
      await lab?.stop();
    });

    it('sends only read-only commands: EXAMINE, UID SEARCH, UID FETCH … BODY.PEEK[]', async () => {
      const dir = tempDir();
      const db = openStore(path.join(dir, 'c.db'));
      const runId = startRun(db, { at: '2026-11-24T00:00:00Z', command: 'test', args: [], toolVersion: 'test' });
      const session = await openImapSession(parseImapUrl(lab.url()), { kind: 'password', password: LAB_PASSWORD }, { insecure: false, clientVersion: 'test', ca: readFileSync(lab.certFile) });
      try {
        expect(session.tls).toMatchObject({ protocol: 'TLSv1.3', verified: true });
        const source = createImapSource(session, { folders: null, criteria: {} }, imapStorePorts(db, runId));
        const sum = await ingest([lab.url()], { headersOnly: false, mboxFormat: 'mboxrd', maxMessageBytes: 1 << 20 }, imapIngestPorts(db, { runId, toolVersion: 'test' }, source, 1 << 20));
        expect(sum).toMatchObject({ messages: 6, errors: 0 });
        const { commands, violations } = session.audit();
        expect(violations).toEqual([]);
        const verbs = new Set(commands.map((c) => c.split(' ').slice(0, c.startsWith('UID ') ? 2 : 1).join(' ')));
        expect([...verbs].sort()).toEqual(['AUTHENTICATE', 'ENABLE', 'EXAMINE', 'ID', 'LIST', 'NAMESPACE', 'UID FETCH', 'UID SEARCH'].sort());
        expect(commands).toContain('EXAMINE INBOX');
        expect(commands.filter((c) => c.includes('BODY'))).toEqual(
          ['INBOX', 'Archive', 'Junk', 'Sent'].map(() => expect.stringMatching(/^UID FETCH [\d:,]+ \(UID FLAGS INTERNALDATE RFC822\.SIZE BODY\.PEEK\[\]( MODSEQ)?\)$/)),
        );
      } finally {
        await session.close();
        db.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('verifies TLS by default, and accepts the lab CA given through NODE_EXTRA_CA_CERTS, over STARTTLS too', () => {
      const dir = tempDir();
      const db = path.join(dir, 'c.db');
      const refused = runCli(['--db', db, 'ingest', lab.url()], { env: ENV });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toBe(
        `mailtrail: IMAP TLS certificate not trusted for alice@127.0.0.1:${lab.imapsPort}: self-signed certificate\n` +
          "hint: trust the server's CA with NODE_EXTRA_CA_CERTS=ca.pem, or pass --insecure for a lab server you control (recorded in the journal)\n",
      );
      const trusted = runCli(['--db', db, 'ingest', lab.url('imap'), '--folder', 'INBOX', '--json'], { env: { ...ENV, NODE_EXTRA_CA_CERTS: lab.certFile } });
      expect(trusted.stderr).toBe('');
      expect(trusted.code).toBe(0);
      expect(JSON.parse(trusted.stdout).imap).toMatchObject({ folders: 1, fetched: 3, insecure: false, tls: { protocol: 'TLSv1.3', verified: true } });
      rmSync(dir, { recursive: true, force: true });
    });
  });

  describe('targeted search and resumable runs', () => {
    let lab: Lab;
    let dir: string;
    let db: string;
    beforeAll(async () => {
      lab = await startDovecot(mailbox());
      dir = tempDir();
      db = path.join(dir, 'case.db');
    });
    afterAll(async () => {
      await lab?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });
    const ingestJson = (...args: string[]) => {
      const r = runCli(['--db', db, 'ingest', lab.url(), '--insecure', '--json', ...args], { env: ENV });
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { newMessages: number; imap: { matched: number; fetched: number; alreadyStored: number; folders: number } };
    };

    it('finds one message by Message-ID on the server and downloads only it', () => {
      const r = ingestJson('--message-id', '<m3@sender.test>');
      expect(r.imap).toMatchObject({ folders: 5, matched: 1, fetched: 1 });
      const d = openStore(db, { readonly: true });
      expect(d.prepare('SELECT message_id FROM messages').pluck().all()).toEqual(['<m3@sender.test>']);
      const search = d.prepare("SELECT search FROM imap_folders WHERE folder = 'INBOX'").pluck().get() as string;
      expect(JSON.parse(search)).toEqual({ messageId: '<m3@sender.test>' });
      d.close();
    });

    it('searches From, Subject and INTERNALDATE ranges on the server', () => {
      expect(ingestJson('--folder', 'INBOX', '--subject', 'message 2').imap).toMatchObject({ folders: 1, matched: 1, fetched: 1 });
      // m1 is in INBOX and Archive (received 2026-11-01): both locations, one new message.
      const r = ingestJson('--since', '2026-11-01', '--before', '2026-11-02', '--from', 'alice@sender.test');
      expect(r.imap).toMatchObject({ matched: 2, fetched: 2 });
      expect(r.newMessages).toBe(1);
    });

    it('resumes: a full run fetches only what earlier runs did not, then only new arrivals', () => {
      const full = ingestJson();
      expect(full.imap).toMatchObject({ matched: 6, alreadyStored: 4, fetched: 2 });
      lab.addMessage('INBOX', { raw: message(6), internalDate: day('2026-11-05') });
      lab.addMessage('Junk', { raw: message(7), internalDate: day('2026-11-05') });
      const next = ingestJson();
      expect(next.imap).toMatchObject({ matched: 8, alreadyStored: 6, fetched: 2 });
      expect(next.newMessages).toBe(2);
      expect(ingestJson().imap).toMatchObject({ fetched: 0 });
    });

    it('fetches a folder again when its UIDVALIDITY changes', async () => {
      // Make Dovecot forget Junk's UIDs: it assigns a new UIDVALIDITY on the next access.
      const junk = path.join(lab.maildir, '.Junk');
      for (const f of readdirSync(junk)) if (f.startsWith('dovecot')) rmSync(path.join(junk, f), { force: true });
      const r = ingestJson('--folder', 'Junk');
      expect(r.imap).toMatchObject({ matched: 2, alreadyStored: 0, fetched: 2 });
      expect(r.newMessages).toBe(0); // same bytes: new locations, no new messages
      const d = openStore(db, { readonly: true });
      expect(d.prepare("SELECT count(DISTINCT uidvalidity) FROM imap_locations WHERE folder = 'Junk'").pluck().get()).toBe(2);
      d.close();
    });
  });

  describe('failures', () => {
    let lab: Lab;
    beforeAll(async () => {
      lab = await startDovecot({ ...mailbox(), INBOX: [1, 2, 3, 4, 5, 6].map((n) => ({ raw: message(n) })) });
    });
    afterAll(async () => {
      await lab?.stop();
    });

    it('a wrong password: one line naming the account, a hint, exit 2, nothing stored', () => {
      const dir = tempDir();
      const r = runCli(['--db', path.join(dir, 'c.db'), 'ingest', lab.url(), '--insecure'], { env: { MAILTRAIL_IMAP_PASSWORD: 'wrong-password' } });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `mailtrail: --insecure: the TLS certificate of 127.0.0.1:${lab.imapsPort} is NOT verified (recorded in the journal)\n` +
          `mailtrail: IMAP login failed for alice@127.0.0.1:${lab.imapsPort}: Authentication failed.\n` +
          'hint: check the user name and MAILTRAIL_IMAP_PASSWORD (or MAILTRAIL_IMAP_TOKEN for XOAUTH2 accounts such as Gmail and Microsoft 365)\n',
      );
      expect(r.stdout).toBe('');
      const d = openStore(path.join(dir, 'c.db'), { readonly: true });
      expect(count(d, 'SELECT count(*) AS n FROM messages')).toBe(0);
      expect(d.prepare('SELECT exit_code FROM journal_outcomes').pluck().get()).toBe(2);
      d.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('no password and no terminal: a usage error before connecting', () => {
      const r = runCli(['--db', path.join(tempDir(), 'c.db'), 'ingest', lab.url()], { env: {} });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `mailtrail: no IMAP password for alice@127.0.0.1:${lab.imapsPort}\nhint: set MAILTRAIL_IMAP_PASSWORD (or MAILTRAIL_IMAP_TOKEN for XOAUTH2), or run on a terminal to be prompted\n`,
      );
    });

    it('connection refused', async () => {
      const port = await freePort();
      const r = runCli(['--db', path.join(tempDir(), 'c.db'), 'ingest', `imaps://alice@127.0.0.1:${port}`], { env: ENV });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `mailtrail: IMAP connection refused for alice@127.0.0.1:${port}\nhint: is the server running and listening on port ${port}? (imaps:// defaults to 993, imap:// to 143)\n`,
      );
    });

    it('a folder asked for that does not exist: reported, the others ingested, exit 2', () => {
      const r = runCli(['--db', path.join(tempDir(), 'c.db'), 'ingest', lab.url(), '--insecure', '--folder', 'Gone', '--folder', 'Junk'], { env: ENV });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`mailtrail: IMAP folder not found: ${lab.url()}/Gone\nhint: folders on this account: INBOX, Archive, Junk, Sent, Trash`);
      expect(r.stdout).toMatch(/1 folder\(s\), 1 message\(s\) fetched .* 1 error\(s\)/);
    });

    it('a folder that disappears between LIST and EXAMINE: the server\'s NO is reported, the rest continues', async () => {
      const dir = tempDir();
      const db = openStore(path.join(dir, 'c.db'));
      const runId = startRun(db, { at: '2026-11-24T00:00:00Z', command: 'test', args: [], toolVersion: 'test' });
      const session = await openImapSession(parseImapUrl(lab.url()), { kind: 'password', password: LAB_PASSWORD }, { insecure: true, clientVersion: 'test' });
      const listFolders = session.listFolders.bind(session);
      session.listFolders = async () => [...(await listFolders()), { path: 'Vanished', delimiter: '/', listFlags: [], specialUse: { role: null, source: null }, selectable: true }];
      const problems: string[] = [];
      try {
        const source = createImapSource(session, { folders: null, criteria: {} }, imapStorePorts(db, runId));
        const sum = await ingest([lab.url()], { headersOnly: false, mboxFormat: 'mboxrd', maxMessageBytes: 1 << 20 }, imapIngestPorts(db, { runId, toolVersion: 'test' }, source, 1 << 20, { onProblem: (p) => problems.push(`${p.message}: ${p.path}`) }));
        expect(sum).toMatchObject({ messages: 9, errors: 1 });
        expect(problems).toEqual([`IMAP folder not found (removed or renamed?): Vanished: Mailbox doesn't exist: Vanished: ${lab.url()}/Vanished`]);
        expect(db.prepare("SELECT error FROM imap_folders WHERE folder = 'Vanished'").pluck().get()).toMatch(/^IMAP folder not found/);
      } finally {
        await session.close();
        db.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('a connection dropped mid-fetch: what was fetched is kept, exit 2, and a re-run continues', async () => {
      const proxy = await startCuttingProxy(lab, 3);
      const dir = tempDir();
      const db = path.join(dir, 'c.db');
      const url = `imaps://alice@127.0.0.1:${proxy.port}`;
      try {
        const cut = await runCliAsync(['--db', db, 'ingest', url, '--insecure', '--batch-size', '2'], ENV);
        expect(proxy.cuts()).toBe(1);
        expect(cut.code).toBe(2);
        expectCleanStderr(cut.stderr);
        expect(cut.stderr).toContain(`mailtrail: not ingested: IMAP connection lost for alice@127.0.0.1:${proxy.port} while reading INBOX: ${url}/INBOX\n`);
        expect(cut.stderr).toContain(`mailtrail: IMAP connection lost; 4 folder(s) not read: Archive, Junk, Sent, Trash: ${url}\nhint: what was fetched so far is kept; run the same command again to continue where it stopped\n`);
        let d = openStore(db, { readonly: true });
        expect(count(d, 'SELECT count(*) AS n FROM imap_locations')).toBe(2); // the first batch of two was committed
        d.close();

        proxy.setCutAfter(Infinity);
        const resumed = await runCliAsync(['--db', db, 'ingest', url, '--insecure', '--batch-size', '2', '--json'], ENV);
        expect(resumed.code, resumed.stderr).toBe(0);
        expect(JSON.parse(resumed.stdout).imap).toMatchObject({ folders: 5, matched: 9, alreadyStored: 2, fetched: 7 });
        d = openStore(db, { readonly: true });
        expect(count(d, 'SELECT count(*) AS n FROM imap_locations')).toBe(9);
        expect(count(d, "SELECT count(*) AS n FROM imap_locations WHERE folder = 'INBOX'")).toBe(6);
        d.close();
      } finally {
        await proxy.close();
        rmSync(dir, { recursive: true, force: true });
      }
      expect(existsSync(dir)).toBe(false);
    });
  });
});
