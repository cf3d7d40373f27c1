// Pure parts of the IMAP source: address parsing, search building, UID sets, the wire audit, the manifest,
// special-use roles and where credentials come from. No server needed.
import { describe, expect, it } from 'vitest';
import { folderPath, isImapUrl, parseImapUrl } from '../../../src/sources/imap/url.js';
import { buildSearch, isTargeted, parseDay, uidSet } from '../../../src/sources/imap/search.js';
import { checkCommand, createAuditLogger } from '../../../src/sources/imap/wire-audit.js';
import { manifestDigest, manifestText, verifyManifest } from '../../../src/sources/imap/manifest.js';
import { messageFlags, specialUseOf } from '../../../src/sources/imap/special-use.js';
import { imapError } from '../../../src/sources/imap/errors.js';
import { imapCredentials } from '../../../src/cli/imap-credentials.js';
import { redactArgs } from '../../../src/store/journal.js';

describe('parseImapUrl', () => {
  it('reads imaps and imap addresses with default and explicit ports', () => {
    expect(parseImapUrl('imaps://alice@IMAP.Example.com')).toEqual({
      scheme: 'imaps', user: 'alice', host: 'imap.example.com', port: 993,
      account: 'alice@imap.example.com:993', base: 'imaps://alice@imap.example.com:993',
    });
    expect(parseImapUrl('imap://bob%40corp@127.0.0.1:10143/')).toMatchObject({ scheme: 'imap', user: 'bob@corp', port: 10143, account: 'bob@corp@127.0.0.1:10143' });
    expect(parseImapUrl('imaps://a@[::1]:10993').account).toBe('a@[::1]:10993');
    expect(folderPath(parseImapUrl('imaps://alice@h'), 'Archive/2026')).toBe('imaps://alice@h:993/Archive/2026');
    expect(isImapUrl('IMAPS://x@y')).toBe(true);
    expect(isImapUrl('./imaps.mbox')).toBe(false);
  });

  it('refuses a password in the address without echoing it', () => {
    let msg = '';
    try {
      parseImapUrl('imaps://alice:hunter2@host');
    } catch (err) {
      msg = (err as Error).message;
    }
    expect(msg).toMatch(/password in the IMAP address is refused/);
    expect(msg).not.toContain('hunter2');
    // and the journal would not keep it either
    expect(redactArgs(['ingest', 'imaps://alice:hunter2@host'])).toEqual(['ingest', 'imaps://alice:[redacted]@host']);
  });

  it.each([
    ['imaps://host', /no user name/],
    ['imaps://alice@host/INBOX', /a folder in the IMAP address is not supported/],
    ['imaps://alice@host?x=1', /unexpected query/],
    ['imaps://', /no user name/],
    ['imaps://alice@', /not a valid IMAP address|no host/],
  ])('rejects %s', (url, re) => {
    expect(() => parseImapUrl(url)).toThrow(re);
  });
});

describe('buildSearch', () => {
  it('is ALL without criteria, and ANDs server-side criteria otherwise', () => {
    expect(buildSearch({})).toEqual({ all: true });
    expect(isTargeted({})).toBe(false);
    const c = { messageId: '<m1@sender.test>', from: 'alice@sender.test', to: 'bob', subject: 'message 1', since: '2026-11-01', before: '2026-11-03' };
    expect(isTargeted(c)).toBe(true);
    expect(buildSearch(c)).toEqual({
      header: { 'Message-ID': '<m1@sender.test>' },
      from: 'alice@sender.test',
      to: 'bob',
      subject: 'message 1',
      since: new Date('2026-11-01T00:00:00Z'),
      before: new Date('2026-11-03T00:00:00Z'),
    });
  });

  it.each([
    [{ since: '2026-02-30' }, /--since must be a date/],
    [{ before: '1/11/2026' }, /--before must be a date/],
    [{ since: '2026-11-02', before: '2026-11-02' }, /nothing can match/],
    [{ subject: 'a\r\nb' }, /one line/],
    [{ from: '' }, /--from must be/],
  ])('rejects %j', (c, re) => {
    expect(() => buildSearch(c)).toThrow(re);
  });

  it('parses days as UTC midnight', () => {
    expect(parseDay('2026-11-01', '--since').toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });
});

describe('uidSet', () => {
  it('compresses runs', () => {
    expect(uidSet([10, 1, 2, 3, 7, 9, 2])).toBe('1:3,7,9:10');
    expect(uidSet([5])).toBe('5');
    expect(uidSet([])).toBe('');
  });
});

describe('wire audit', () => {
  it.each([
    ['3 EXAMINE INBOX', null],
    ['4 UID FETCH 1:3 (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[])', null],
    ['5 UID FETCH 1:3 (UID RFC822.SIZE)', null],
    ['6 UID SEARCH HEADER Message-ID "<a@b>"', null],
    ['7 LIST "" "*" RETURN (SPECIAL-USE)', null],
    ['8 SELECT INBOX', 'SELECT is not a read-only command'],
    ['9 UID STORE 1 +FLAGS (\\Seen)', 'UID STORE is not a read-only command'],
    ['A EXPUNGE', 'EXPUNGE is not a read-only command'],
    ['B UID MOVE 1 Trash', 'UID MOVE is not a read-only command'],
    ['C APPEND INBOX {10}', 'APPEND is not a read-only command'],
    ['D CREATE Foo', 'CREATE is not a read-only command'],
    ['E SUBSCRIBE Foo', 'SUBSCRIBE is not a read-only command'],
    ['F UID FETCH 1 (BODY[])', 'UID FETCH without PEEK would set \\Seen'],
    ['G FETCH 1 (BINARY[1])', 'FETCH without PEEK would set \\Seen'],
    ['H FETCH 1 RFC822', 'FETCH without PEEK would set \\Seen'],
    ['I FETCH 1 (RFC822.TEXT)', 'FETCH without PEEK would set \\Seen'],
    ['J FETCH 1 (RFC822.HEADER RFC822.SIZE)', null],
  ])('%s', (line, expected) => {
    expect(checkCommand(line)).toBe(expected);
  });

  it('keeps commands, skips continuation frames, never keeps LOGIN arguments', () => {
    const log = createAuditLogger();
    log.debug({ src: 'c', msg: '1 LOGIN alice "(* value hidden *)"' });
    log.debug({ src: 'c', msg: 'AGFsaWNlACgqIHZhbHVlIGhpZGRlbiAqKQ==' });
    log.debug({ src: 's', msg: '* 1 EXISTS' });
    log.debug({ src: 'c', msg: '2 UID STORE 1 +FLAGS (\\Seen)' });
    expect(log.audit.commands).toEqual(['LOGIN', 'UID STORE 1 +FLAGS (\\Seen)']);
    expect(log.audit.violations).toEqual(['UID STORE 1 +FLAGS (\\Seen): UID STORE is not a read-only command']);
    expect(log.isLevelEnabled('trace')).toBe(false);
  });
});

describe('manifest', () => {
  const entries = [
    { uidValidity: '1795544544', uid: 7, sha256: 'b'.repeat(64), rfc822Size: 20, internalDate: null, flags: ['\\Seen', '$Forwarded'] },
    { uidValidity: '1795544544', uid: 2, sha256: 'a'.repeat(64), rfc822Size: 10, internalDate: '2026-11-02T10:00:00.000Z', flags: [] },
  ];
  it('is canonical: sorted by UID, sorted flags, documented layout', () => {
    expect(manifestText('imaps://alice@h:993/INBOX', entries)).toBe(
      'mailtrail-imap-manifest 1\npath "imaps://alice@h:993/INBOX"\n' +
        `1795544544\t2\t${'a'.repeat(64)}\t10\t2026-11-02T10:00:00.000Z\t\n` +
        `1795544544\t7\t${'b'.repeat(64)}\t20\t-\t$Forwarded \\Seen\n`,
    );
  });
  it('verifies only the exact facts it was built from', () => {
    const d = manifestDigest('p', entries);
    expect(verifyManifest({ path: 'p', ...d }, [...entries].reverse())).toBe(true);
    expect(verifyManifest({ path: 'p', ...d }, [{ ...entries[0]!, flags: ['\\Seen'] }, entries[1]!])).toBe(false);
    expect(verifyManifest({ path: 'q', ...d }, entries)).toBe(false);
  });
});

describe('special use and flags', () => {
  it('prefers the server LIST attributes, knows INBOX, keeps name guesses marked as such', () => {
    expect(specialUseOf({ path: 'INBOX', flags: [] })).toEqual({ role: '\\Inbox', source: 'protocol' });
    expect(specialUseOf({ path: 'Spam', flags: ['\\HasNoChildren', '\\Junk'] })).toEqual({ role: '\\Junk', source: 'extension' });
    expect(specialUseOf({ path: '[Gmail]/All Mail', flags: ['\\all'] })).toEqual({ role: '\\All', source: 'extension' });
    expect(specialUseOf({ path: 'Papierkorb', flags: [], specialUse: '\\Trash', specialUseSource: 'name' })).toEqual({ role: '\\Trash', source: 'name' });
    expect(specialUseOf({ path: 'Work', flags: ['\\HasChildren'] })).toEqual({ role: null, source: null });
  });
  it('drops the session flag \\Recent and sorts', () => {
    expect(messageFlags(['\\Seen', '\\Recent', '$Junk', '\\Seen'])).toEqual(['$Junk', '\\Seen']);
  });
});

describe('imapError', () => {
  const t = parseImapUrl('imaps://alice@127.0.0.1:10993');
  it('says which account failed and why, with a hint', () => {
    const auth = imapError({ authenticationFailed: true, responseText: 'Authentication failed.' }, t, 'connect');
    expect(auth.message).toBe('IMAP login failed for alice@127.0.0.1:10993: Authentication failed.');
    expect(auth.hint).toMatch(/MAILTRAIL_IMAP_PASSWORD/);
    expect(imapError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, t, 'connect').message).toBe('IMAP connection refused for alice@127.0.0.1:10993');
    expect(imapError({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'self-signed certificate' }, t, 'connect').message).toBe(
      'IMAP TLS certificate not trusted for alice@127.0.0.1:10993: self-signed certificate',
    );
    expect(imapError({ mailboxMissing: true, responseText: "Mailbox doesn't exist: Gone" }, t, 'examine', 'Gone').message).toMatch(/^IMAP folder not found \(removed or renamed\?\): Gone/);
    expect(imapError({ code: 'EConnectionClosed' }, t, 'fetch', 'INBOX').message).toBe('IMAP connection lost for alice@127.0.0.1:10993 while reading INBOX');
  });
  it('a refused token gets a hint about tokens, not passwords', () => {
    const e = imapError({ authenticationFailed: true, responseText: 'Authentication failed.' }, t, 'connect', undefined, { credential: 'token', oauthOffered: true });
    expect(e.message).toBe('IMAP login failed for alice@127.0.0.1:10993: Authentication failed.');
    expect(e.hint).toMatch(/^check the user name and MAILTRAIL_IMAP_TOKEN: access tokens expire/);
    expect(e.hint).not.toMatch(/PASSWORD/);
  });
  it('[UNAVAILABLE] is the server failing to check, not bad credentials (RFC 5530)', () => {
    const raw = { authenticationFailed: true, serverResponseCode: 'UNAVAILABLE', responseText: 'Temporary authentication failure. [mx1:2026-12-03 14:54:47]' };
    for (const credential of ['token', 'password'] as const) {
      const e = imapError(raw, t, 'connect', undefined, { credential, oauthOffered: true });
      expect(e.message).toBe('IMAP server could not check the login for alice@127.0.0.1:10993 (temporary failure): Temporary authentication failure. [mx1:2026-12-03 14:54:47]');
      expect(e.hint).toMatch(/try again later$/);
    }
    // Outside a login, UNAVAILABLE is about something else (a folder, a search): not a login message.
    expect(imapError({ serverResponseCode: 'UNAVAILABLE', responseText: 'Mailbox is locked' }, t, 'examine', 'INBOX').message).toBe(
      'IMAP examine failed for alice@127.0.0.1:10993 while reading INBOX: Mailbox is locked',
    );
  });
  it('a token for a server that offers no OAuth2 mechanism says so; unknown capabilities fall through', () => {
    const raw = new Error('Unsupported authentication mechanism');
    const e = imapError(raw, t, 'connect', undefined, { credential: 'token', oauthOffered: false });
    expect(e.message).toBe('IMAP server offers no OAuth2 login (XOAUTH2 or OAUTHBEARER) for alice@127.0.0.1:10993');
    expect(e.hint).toMatch(/unset it and use MAILTRAIL_IMAP_PASSWORD$/);
    expect(imapError(raw, t, 'connect', undefined, { credential: 'token', oauthOffered: null }).message).toBe('IMAP connect failed for alice@127.0.0.1:10993: Unsupported authentication mechanism');
    expect(imapError(raw, t, 'connect', undefined, { credential: 'password', oauthOffered: false }).message).toBe('IMAP connect failed for alice@127.0.0.1:10993: Unsupported authentication mechanism');
  });
  it('a token imapflow will not send (control characters) is a usage error with a hint', () => {
    const e = imapError({ code: 'InvalidStringValue', message: 'The access token contains control characters' }, t, 'connect', undefined, { credential: 'token', oauthOffered: true });
    expect(e.message).toBe('IMAP login not attempted for alice@127.0.0.1:10993: The access token contains control characters');
    expect(e.code).toBe('USAGE');
    expect(e.hint).toMatch(/CRLF/);
  });
});

describe('imapCredentials', () => {
  it('takes the token first, then the password, then the prompt', async () => {
    expect(await imapCredentials('a', { env: { MAILTRAIL_IMAP_TOKEN: 't', MAILTRAIL_IMAP_PASSWORD: 'p' } })).toEqual({ kind: 'token', token: 't' });
    expect(await imapCredentials('a', { env: { MAILTRAIL_IMAP_PASSWORD: 'p' } })).toEqual({ kind: 'password', password: 'p' });
    expect(await imapCredentials('a', { env: {}, prompt: async () => 'typed' })).toEqual({ kind: 'password', password: 'typed' });
    await expect(imapCredentials('alice@h:993', { env: {} })).rejects.toThrow('no IMAP password for alice@h:993');
  });
});
