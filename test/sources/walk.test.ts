// expandInputs: directory walking, Maildir/Maildir++ naming, detection, problems, stable order.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expandInputs, maildirPlusFolder, type WalkItem, type WalkOptions } from '../../src/sources/walk.js';
import { fixturePath } from '../helpers/corpus.js';
import { writeFiles } from '../helpers/mail.js';

async function walk(paths: string[], opts?: WalkOptions): Promise<WalkItem[]> {
  const out: WalkItem[] = [];
  for await (const item of expandInputs(paths, opts)) out.push(item);
  return out;
}

/** Items as short strings relative to `root`, so expectations read like a listing. */
function show(items: WalkItem[], root: string): string[] {
  return items.map((i) =>
    i.type === 'artifact'
      ? `${i.input.kind} ${i.input.folder ?? '-'} ${path.relative(root, i.input.path)}`
      : i.type === 'folder'
        ? `folder ${i.folder} ${path.relative(root, i.path) || '.'}: ${i.messages}`
        : `problem ${path.relative(root, i.path)}: ${i.message}`,
  );
}

const SRC = fixturePath('sources');
const MAILDIR = fixturePath('sources', 'Maildir');

describe('expandInputs: Maildir++', () => {
  it('names folders, passes over housekeeping files, names what tmp/ holds as skipped, INBOX first', async () => {
    expect(show(await walk([MAILDIR]), MAILDIR)).toEqual([
      'maildir INBOX cur/1767607260.M1P100.host.example.test:2,S',
      'maildir INBOX cur/1767607320.M2P100.host.example.test:2,FRS',
      'maildir INBOX new/1767607380.M3P100.host.example.test',
      'maildir Junk .Junk/cur/1767607550.M5P100.host.example.test:2,',
      'maildir Sent .Sent/cur/1767607560.M6P100.host.example.test:2,',
      'maildir Trash .Trash/cur/1767607570.M7P100.host.example.test!2,T',
      'maildir Work/Reports .Work.Reports/cur/1767607580.M8P100.host.example.test:2,',
      // A delivery started and not finished: not read as a message, but not passed over in silence either.
      'problem tmp/1767607440.M4P100.host.example.test: skipped: in a Maildir tmp/, a delivery started and not finished (complete ones are moved to new/)',
    ]);
  });

  it('with `folders`, names every Maildir folder walked whole and the messages it held, empty ones too', async () => {
    const items = await walk([MAILDIR], { folders: true });
    expect(show(items, MAILDIR).filter((x) => x.startsWith('folder '))).toEqual([
      'folder INBOX .: 3',
      'folder Junk .Junk: 1',
      'folder Sent .Sent: 1',
      'folder Trash .Trash: 1',
      'folder Work/Reports .Work.Reports: 1',
    ]);
    // Each folder's item comes after its messages; without the option there are none.
    expect(show(items, MAILDIR).indexOf('folder Junk .Junk: 1')).toBe(show(items, MAILDIR).indexOf('maildir Junk .Junk/cur/1767607550.M5P100.host.example.test:2,') + 1);
    expect((await walk([MAILDIR])).some((i) => i.type === 'folder')).toBe(false);
    const root = mkdtempSync(path.join(os.tmpdir(), 'mailtrail-walk-empty-folder-'));
    try {
      for (const d of ['cur', 'new', 'tmp', '.Junk/cur', '.Junk/new']) mkdirSync(path.join(root, d), { recursive: true });
      expect(show(await walk([root], { folders: true }), root)).toEqual(['folder INBOX .: 0', 'folder Junk .Junk: 0']);
      // Without its own cur/ and new/, a root holds no INBOX to have examined: only its folder counts.
      for (const d of ['cur', 'new', 'tmp']) rmSync(path.join(root, d), { recursive: true });
      expect(show(await walk([root], { folders: true }), root)).toEqual(['folder Junk .Junk: 0']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('keeps the folder name of a Maildir++ folder given directly', async () => {
    expect(show(await walk([path.join(MAILDIR, '.Work.Reports')]), MAILDIR)).toEqual([
      'maildir Work/Reports .Work.Reports/cur/1767607580.M8P100.host.example.test:2,',
    ]);
  });

  it('keeps Maildir meaning for a cur/ directory or a message file given directly', async () => {
    const file = path.join(MAILDIR, '.Trash', 'cur', '1767607570.M7P100.host.example.test!2,T');
    expect(show(await walk([path.join(MAILDIR, 'cur'), file]), MAILDIR)).toEqual([
      'maildir INBOX cur/1767607260.M1P100.host.example.test:2,S',
      'maildir INBOX cur/1767607320.M2P100.host.example.test:2,FRS',
      'maildir Trash .Trash/cur/1767607570.M7P100.host.example.test!2,T',
    ]);
  });

  it('reads a Maildir whose empty new/, tmp/ or cur/ was lost in copying (git, a zip made from a file list)', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'mailtrail-walk-lost-dirs-'));
    const files: Record<string, string> = {
      // The root keeps cur/ only; its message files are named the Maildir way.
      'bob/Maildir/cur/1767607260.M1P100.host.example.test:2,S': 'From: a@x.test\n\nhi\n',
      // Folders keep one of cur/ or new/: a dot-directory under a Maildir root is a folder on that alone.
      'bob/Maildir/.Junk/cur/1767607550.M5P100.host.example.test:2,': 'From: a@x.test\n\nhi\n',
      'bob/Maildir/.Clients Acme/new/msg-1': 'From: a@x.test\n\nhi\n',
      // A root that lost both (its INBOX was empty): its folders still make it a Maildir, given whole or by folder.
      'alice/.Sent/maildirfolder': '',
      'alice/.Sent/new/1767607560.M6P100.host.example.test': 'From: a@x.test\n\nhi\n',
      'carol/.Junk/cur/1767607570.M7P100.host.example.test:2,': 'From: a@x.test\n\nhi\n',
      'carol/.Junk/new/.keep': '',
      // Not a Maildir: a folder that happens to have a cur/ of ordinary files.
      'notes/cur/message.eml': 'From: a@x.test\n\nhi\n',
    };
    writeFiles(root, files);
    try {
      expect(show(await walk([path.join(root, 'bob'), path.join(root, 'alice', '.Sent'), path.join(root, 'carol'), path.join(root, 'notes')]), root)).toEqual([
        'maildir INBOX bob/Maildir/cur/1767607260.M1P100.host.example.test:2,S',
        'maildir Clients Acme bob/Maildir/.Clients Acme/new/msg-1',
        'maildir Junk bob/Maildir/.Junk/cur/1767607550.M5P100.host.example.test:2,',
        'maildir Sent alice/.Sent/new/1767607560.M6P100.host.example.test',
        'maildir Junk carol/.Junk/cur/1767607570.M7P100.host.example.test:2,',
        'eml - notes/cur/message.eml',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("names the folder of a mail client's mbox files (Thunderbird, Apple Mail), not of any other mbox", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'mailtrail-walk-clients-'));
    const box = 'From - Tue Nov 24 18:30:01 2026\nFrom: a@x.test\nSubject: hi\n\nhi\n';
    const files: Record<string, string> = {
      // Thunderbird: each folder an mbox beside its .msf index, subfolders under Parent.sbd/.
      'tb/Local Folders/Inbox': box, 'tb/Local Folders/Inbox.msf': '// <!-- <mdb:mork:z v="1.4"/> -->\n',
      'tb/Local Folders/Junk': box, 'tb/Local Folders/Junk.msf': '',
      'tb/Local Folders/Archives.sbd/2026': box, 'tb/Local Folders/Archives.sbd/2026.msf': '',
      // Apple Mail's export: Folder.mbox/mbox, nested for subfolders, with its table_of_contents.
      'apple/Trash.mbox/mbox': box, 'apple/Trash.mbox/table_of_contents': '\u0000\u0001',
      'apple/Work.mbox/Reports.mbox/mbox': box,
      // Any other mbox: where it was kept is not known.
      'export/Junk': box, 'export/all.mbox': box,
    };
    writeFiles(root, files);
    try {
      expect(show(await walk([root]), root)).toEqual([
        'mbox Trash apple/Trash.mbox/mbox',
        'mbox Work/Reports apple/Work.mbox/Reports.mbox/mbox',
        'mbox - export/Junk',
        'mbox - export/all.mbox',
        'mbox Archives/2026 tb/Local Folders/Archives.sbd/2026',
        'mbox INBOX tb/Local Folders/Inbox',
        'mbox Junk tb/Local Folders/Junk',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it.each([
    ['.Junk', 'Junk'],
    ['.Work.Reports', 'Work/Reports'],
    ['.a.b.c', 'a/b/c'],
  ])('maildirPlusFolder(%s) = %s', (dir, folder) => {
    expect(maildirPlusFolder(dir)).toBe(folder);
  });
});

describe('expandInputs: files and detection', () => {
  it('walks a directory in sorted order, detecting each file', async () => {
    const items = await walk([SRC]);
    expect(show(items, SRC).filter((s) => !s.includes('Maildir/'))).toEqual([
      // Inside a directory walk an unrecognised file is skipped (reported, counted, not an error).
      'problem README.md: skipped: format not recognised',
      'mbox - crlf.mbox',
      'problem leading-garbage.mbox: skipped: format not recognised',
      'problem not-mail/notes.txt: skipped: format not recognised',
      'mbox - quoted.mboxrd',
      'eml - return-path.eml',
      'eml - simple.eml',
      'mbox - truncated.mbox',
    ]);
    expect(items.find((i) => i.type === 'problem' && i.path.endsWith('README.md'))).toMatchObject({ hint: 'use --format eml|mbox|maildir (messages) or --format postfix|exim|sendmail|exchange|m365|gws|dovecot (logs and exports) to read it anyway', skipped: true });
    // the same walk twice gives the same order
    expect(await walk([SRC])).toEqual(items);
  });

  it('names the line where a file that starts like a message stops looking like one', async () => {
    // As in sisimai's lhost-office365-11.eml: a Received header whose folding lost its leading white space.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailtrail-walk-broken-'));
    const file = path.join(dir, 'broken.eml');
    writeFileSync(file, 'Received: from a.example\n(2603:1096::31) by b.example with HTTPS\nSubject: x\n\nbody\n');
    const [item] = await walk([file]);
    expect(item).toMatchObject({ type: 'problem', message: 'format not recognised: it starts like a message, but line 2 is neither a header field nor a folded continuation', hint: 'use --format eml to read it as a message anyway' });
    expect(await walk([file], { format: 'eml' })).toEqual([{ type: 'artifact', input: { path: file, kind: 'eml', folder: null } }]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets --format force the kind', async () => {
    const file = fixturePath('sources', 'leading-garbage.mbox');
    expect(await walk([file], { format: 'mbox' })).toEqual([{ type: 'artifact', input: { path: file, kind: 'mbox', folder: null } }]);
  });

  it('rejects an unknown --format', async () => {
    await expect(walk([SRC], { format: 'pst' })).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('reports a path that does not exist and goes on', async () => {
    const missing = fixturePath('sources', 'missing.mbox');
    expect(show(await walk([missing, fixturePath('sources', 'simple.eml')]), SRC)).toEqual([
      'problem missing.mbox: no such file or directory',
      'eml - simple.eml',
    ]);
  });

  it('reads stdin for `-` once', async () => {
    expect(await walk(['-', '-'])).toEqual([
      { type: 'artifact', input: { path: '-', kind: 'eml', folder: null } },
      { type: 'problem', path: '-', message: 'standard input given more than once; read once' },
    ]);
    expect(await walk(['-'], { format: 'mbox' })).toEqual([{ type: 'artifact', input: { path: '-', kind: 'mbox', folder: null } }]);
  });
});

describe('expandInputs: hostile trees', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'mailtrail-walk-'));
  afterAll(() => {
    for (const p of ['locked-dir', 'locked.eml']) chmodSync(path.join(root, p), 0o700);
    rmSync(root, { recursive: true, force: true });
  });
  const eml = readFileSync(fixturePath('sources', 'simple.eml'));
  writeFileSync(path.join(root, 'a.eml'), eml);
  writeFileSync(path.join(root, 'locked.eml'), eml);
  writeFileSync(path.join(root, 'empty'), '');
  mkdirSync(path.join(root, 'locked-dir'));
  writeFileSync(path.join(root, 'locked-dir', 'inside.eml'), eml);
  mkdirSync(path.join(root, 'sub'));
  symlinkSync('..', path.join(root, 'sub', 'loop')); // a link back up the tree: must not be followed
  symlinkSync('../a.eml', path.join(root, 'sub', 'link.eml'));
  symlinkSync('nowhere', path.join(root, 'sub', 'dangling.eml'));
  chmodSync(path.join(root, 'locked.eml'), 0o000);
  chmodSync(path.join(root, 'locked-dir'), 0o000);

  /** chmod 000 does not stop root (tests often run as root in containers): then there is nothing to assert. */
  function permissionsEnforced(): boolean {
    try {
      readFileSync(path.join(root, 'locked.eml'));
      return false;
    } catch {
      return true;
    }
  }

  it('reports unreadable files/dirs, links to directories and dangling links, and keeps walking', async () => {
    const got = show(await walk([root]), root);
    const locked = permissionsEnforced()
      ? ['problem locked-dir: permission denied', 'problem locked.eml: permission denied']
      : ['eml - locked-dir/inside.eml', 'eml - locked.eml']; // running as root: chmod 000 is still readable
    expect(got).toEqual([
      'eml - a.eml',
      'mbox - empty', // an empty file reads as an empty mailbox: no messages, but a digest
      ...locked,
      'problem sub/dangling.eml: no such file or directory',
      'eml - sub/link.eml',
      'problem sub/loop: symbolic link to a directory not followed (to avoid loops)',
    ]);
  });
});

describe('expandInputs: compressed mailboxes', () => {
  it('a gzip, xz, zstd or zip file that is not a log is named as such, with how to decompress it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailtrail-walk-packed-'));
    const mbox = Buffer.from('From a@b Mon Dec  1 10:00:00 2026\nFrom: a@b\n\nx\n');
    const { gzipSync, brotliCompressSync } = await import('node:zlib');
    writeFileSync(path.join(dir, 'a.mbox.gz'), gzipSync(mbox));
    writeFileSync(path.join(dir, 'b.mbox.xz'), Buffer.concat([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), Buffer.alloc(20, 1)]));
    writeFileSync(path.join(dir, 'c.zip'), Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(20, 1)]));
    writeFileSync(path.join(dir, 'd.br'), brotliCompressSync(mbox)); // no magic number: just not recognised
    const items = await walk([path.join(dir, 'a.mbox.gz'), path.join(dir, 'b.mbox.xz'), path.join(dir, 'c.zip')]);
    expect(items.map((i) => (i.type === 'problem' ? [i.message, i.hint] : i.type))).toEqual([
      ['gzip-compressed, and not a log: mailtrail reads compressed logs, not compressed mailboxes or messages', `decompress it first (gunzip -k ${JSON.stringify(path.join(dir, 'a.mbox.gz'))}) and give the result`],
      ['xz-compressed, and not a log: mailtrail reads compressed logs, not compressed mailboxes or messages', `decompress it first (unxz -k ${JSON.stringify(path.join(dir, 'b.mbox.xz'))}) and give the result`],
      ['zip-compressed, and not a log: mailtrail reads compressed logs, not compressed mailboxes or messages', `decompress it first (unzip ${JSON.stringify(path.join(dir, 'c.zip'))}) and give the result`],
    ]);
    // Met in a folder walk they are skipped, saying why.
    expect(show(await walk([dir]), dir)).toEqual([
      'problem a.mbox.gz: skipped: gzip-compressed, not a log',
      'problem b.mbox.xz: skipped: xz-compressed, not a log',
      'problem c.zip: skipped: zip-compressed, not a log',
      'problem d.br: skipped: format not recognised',
    ]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('an Outlook .pst or .msg is named as such, with how to get the mail out of it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailtrail-walk-outlook-'));
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
    writeFileSync(path.join(dir, 'archive.pst'), Buffer.concat([Buffer.from('!BDN', 'latin1'), Buffer.alloc(508)]));
    writeFileSync(path.join(dir, 'invoice.msg'), ole);
    writeFileSync(path.join(dir, 'report.doc'), ole);
    try {
      const named = await walk([path.join(dir, 'archive.pst'), path.join(dir, 'invoice.msg')]);
      expect(named.map((i) => i.type === 'problem' && [i.message, i.hint?.slice(0, 40)])).toEqual([
        ['an Outlook data file (.pst), not a message or mailbox format mailtrail reads', 'export its folders as mbox files (readps'],
        ['an Outlook .msg item (an OLE2 compound file), not a message or mailbox format mailtrail reads', 'a .msg keeps the headers as text but not'],
      ]);
      expect(show(await walk([dir]), dir)).toEqual([
        'problem archive.pst: skipped: an Outlook data file (.pst)',
        'problem invoice.msg: skipped: an Outlook .msg item (an OLE2 compound file)',
        'problem report.doc: skipped: an OLE2 compound file (an Outlook .msg item or an Office document)',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a gzip cut short before any data is damaged evidence: an error, named so, even inside a folder', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailtrail-walk-cut-gz-'));
    const { gzipSync } = await import('node:zlib');
    writeFileSync(path.join(dir, 'mail.log.gz'), gzipSync(Buffer.from('Nov 24 18:30:00 mx postfix/smtpd[1]: connect from x[192.0.2.1]\n')).subarray(0, 20));
    for (const items of [await walk([path.join(dir, 'mail.log.gz')]), await walk([dir])]) {
      expect(items).toEqual([expect.objectContaining({
        type: 'problem',
        message: 'gzip-compressed, but corrupt or cut short (unexpected end of file), and no log line could be read from it',
        hint: `check it with gzip -t ${JSON.stringify(path.join(dir, 'mail.log.gz'))}; a copy cut short in transfer is the usual cause`,
      })]);
      expect(items[0]).not.toHaveProperty('skipped', true);
    }
    rmSync(dir, { recursive: true, force: true });
  });
});

describe("expandInputs: Dovecot's files", () => {
  it("reads a Dovecot log (dovecot.log, dovecot-info.log) and still passes over Dovecot's index and state files", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailtrail-walk-dovecot-'));
    try {
      const log = readFileSync(fixturePath('logs', 'dovecot-receiver.log'));
      writeFileSync(path.join(dir, 'dovecot.log'), log);
      writeFileSync(path.join(dir, 'dovecot-info.log'), log);
      // Binary or non-mail state Dovecot keeps beside mail: never evidence, never a "skipped" count.
      for (const f of ['dovecot.index', 'dovecot.index.log', 'dovecot.index.cache', 'dovecot.list.index.log', 'dovecot-uidlist', 'dovecot-keywords', 'dovecot-uidvalidity.5f1b2c3d', 'dovecot.sieve', 'dovecot.svbin', 'dovecot.mailbox.log']) {
        writeFileSync(path.join(dir, f), Buffer.from([0, 1, 2, 3, 0xff]));
      }
      expect(show(await walk([dir]), dir)).toEqual(['log - dovecot-info.log', 'log - dovecot.log']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
