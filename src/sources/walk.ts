// Expand the paths a user gave into artifacts to read: files as they are, directories walked recursively
// in a stable order (entries sorted by code unit), Maildirs recognised by layout, other files by their
// first bytes (registry detectKind). Problems (missing path, unreadable file or directory, unknown format)
// are yielded and the walk goes on: one bad file never stops the run.
// Read-only: it lists directories and reads the first few KiB of files, nothing else. Inputs are evidence.
//
// Symbolic links: a link named on the command line is followed (the user asked for it). Inside a walk,
// links to files are followed, but links to directories are NOT (a link back up the tree would loop
// forever); they are reported so nothing is skipped silently, and the target can be given explicitly.

import { readdir, stat } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import path from 'node:path';
import { MailtrailError, describeError } from '../errors.js';
import type { ArtifactInput, ArtifactKind } from '../model/source.js';
import { readHead } from './read-artifact.js';
import { headerBreak } from './eml.js';
import { DETECT_HEAD_BYTES, detectKind } from './registry.js';
import { LOG_FORMATS } from './logs/formats.js';
import { gzipHeadFailure } from './logs/adapter.js';

export interface WalkProblem {
  type: 'problem';
  path: string;
  message: string;
  hint?: string;
  /**
   * True for a file met inside a directory walk that is not evidence we can read (a JSON note, a log in
   * a format not yet supported): reported and counted, but not an error. A file named explicitly that
   * cannot be read is always an error.
   */
  skipped?: boolean;
}
export interface WalkArtifact {
  type: 'artifact';
  input: ArtifactInput;
}
/** A Maildir folder walked whole (only with WalkOptions.folders): `messages` files were found in its cur/ and new/. */
export interface WalkFolder {
  type: 'folder';
  path: string;
  folder: string;
  messages: number;
}
export type WalkItem = WalkArtifact | WalkProblem | WalkFolder;

export interface WalkOptions {
  /** Force the kind of every file found: `eml`, `mbox` or `maildir`. */
  format?: string;
  /**
   * The first bytes of standard input, to detect its format as a file's is (an mbox or a log piped in). Without
   * it (or when nothing is recognised) stdin is read as one message.
   */
  stdinHead?: () => Promise<Buffer>;
  /** Also yield a `folder` item after each Maildir folder walked whole, empty ones included. */
  folders?: boolean;
}

export const FORCEABLE_FORMATS: readonly string[] = ['eml', 'mbox', 'maildir', ...LOG_FORMATS];
/** Both families: a CSV export or a log from an unexpected program is as likely as an odd message file. */
const FORMAT_HINT = `use --format eml|mbox|maildir (messages) or --format ${LOG_FORMATS.join('|')} (logs and exports) to read it anyway`;

/** Expand paths (files, directories, `-` for stdin) into artifacts and problems, in a stable order. */
export async function* expandInputs(paths: string[], opts: WalkOptions = {}): AsyncIterable<WalkItem> {
  const forced = opts.format;
  if (forced !== undefined && !FORCEABLE_FORMATS.includes(forced)) {
    throw new MailtrailError('USAGE', `unknown --format '${forced}'`, { hint: `use one of: ${FORCEABLE_FORMATS.join(', ')}` });
  }
  const walker = new Walker(forced, opts.folders === true);
  let stdinSeen = false;
  for (const p of paths) {
    if (p === '-') {
      if (stdinSeen) yield problem('-', 'standard input given more than once; read once');
      else if (forced === 'maildir') yield problem('-', 'standard input cannot be a Maildir', 'use --format eml or mbox for stdin');
      else yield artifact('-', forced ?? (opts.stdinHead ? detectKind('-', await opts.stdinHead()) : null) ?? 'eml', null);
      stdinSeen = true;
      continue;
    }
    yield* walker.top(p);
  }
}

class Walker {
  constructor(private readonly forced: string | undefined, private readonly folders = false) {}

  async *top(p: string): AsyncGenerator<WalkItem> {
    let st;
    try {
      st = await stat(p);
    } catch (err) {
      yield fsProblem(p, err);
      return;
    }
    // Something inside a Maildir named directly (the Maildir, a `.Folder`, its cur/ or new/, one message
    // file) keeps its Maildir meaning: folder name, and kind `maildir` for message files.
    const parent = path.dirname(path.resolve(p));
    const inMaildirSubdir = INBOX_SUBDIRS.includes(path.basename(parent)) && (await isMaildir(path.dirname(parent)));
    if (st.isDirectory()) {
      if (await isMaildir(p)) {
        const folder = await maildirFolderOf(p);
        yield* this.maildir(p, folder, folder === 'INBOX');
      } else if (INBOX_SUBDIRS.includes(path.basename(path.resolve(p))) && (await isMaildir(parent))) {
        yield* this.maildirMessages(p, await maildirFolderOf(parent));
      } else {
        yield* this.dir(p);
      }
    } else if (st.isFile() && inMaildirSubdir) {
      yield artifact(p, this.forced ?? 'maildir', await maildirFolderOf(path.dirname(parent)));
    } else if (st.isFile()) {
      yield* this.file(p, null, true);
    } else if (this.forced) {
      yield artifact(p, this.forced, null); // a pipe or device, read as the user says
    } else {
      yield problem(p, 'not a regular file or directory', `a pipe can be read with --format eml or mbox`);
    }
  }

  private async *dir(dir: string): AsyncGenerator<WalkItem> {
    const entries = await listSorted(dir);
    if (!Array.isArray(entries)) {
      yield entries;
      return;
    }
    for (const e of entries) {
      if (isHousekeeping(e.name)) continue;
      const full = path.join(dir, e.name);
      const kind = await entryKind(e, full);
      if (kind.type === 'problem') yield kind;
      else if (kind.dir) yield* (await isMaildir(full)) ? this.maildir(full, 'INBOX', true) : this.dir(full);
      else if (kind.file) yield* this.file(full, null, false);
      else yield problem(full, 'skipped: not a regular file or directory');
    }
  }

  /** A Maildir: its cur/ and new/ first, then (for a root) Maildir++ `.Folder`s, then anything else. */
  private async *maildir(dir: string, folder: string, isRoot: boolean): AsyncGenerator<WalkItem> {
    let messages = 0, examined = false;
    for (const sub of INBOX_SUBDIRS) {
      // One of the two may be missing (see isMaildir): nothing to read there, and nothing wrong.
      if (!(await isDir(path.join(dir, sub)))) continue;
      examined = true;
      for await (const item of this.maildirMessages(path.join(dir, sub), folder)) {
        if (item.type === 'artifact') messages++;
        yield item;
      }
    }
    // A root known only by its Maildir++ folders has no INBOX of its own to have looked in.
    if (this.folders && examined) yield { type: 'folder', path: dir, folder, messages };
    const entries = await listSorted(dir);
    if (!Array.isArray(entries)) {
      yield entries;
      return;
    }
    for (const e of entries) {
      if (e.name === 'tmp' && e.isDirectory()) {
        yield* this.maildirTmp(path.join(dir, e.name));
        continue;
      }
      if (e.name === 'cur' || e.name === 'new' || e.name === 'tmp') continue;
      const full = path.join(dir, e.name);
      const maildirPlus = isRoot && e.name.startsWith('.') && e.name.length > 1 && e.name !== '..';
      if (isHousekeeping(e.name) && !maildirPlus) continue;
      const kind = await entryKind(e, full);
      if (kind.type === 'problem') {
        yield kind;
      } else if (kind.dir) {
        const sub = maildirPlus ? await isMaildirPlusFolder(full) : await isMaildir(full);
        if (maildirPlus) {
          if (sub) yield* this.maildir(full, maildirPlusFolder(e.name), false);
          // a dot-directory that is not a Maildir (.git, .cache…) is not mail: skipped quietly
        } else if (sub) {
          // Dovecot LAYOUT=fs: subfolders are plain nested Maildirs.
          yield* this.maildir(full, isRoot ? e.name : `${folder}/${e.name}`, false);
        } else {
          yield* this.dir(full);
        }
      } else if (kind.file && !maildirPlus) {
        yield* this.file(full, null, false);
      }
    }
  }

  /**
   * tmp/ holds deliveries in progress: the delivery agent renames a message into new/ once it is complete. A file
   * left there is not a delivered message (it may be cut short), but it is a trace of a delivery that was started
   * and not finished: named as skipped, so it is counted and can be looked at, never read as delivered.
   */
  private async *maildirTmp(dir: string): AsyncGenerator<WalkItem> {
    const entries = await listSorted(dir);
    if (!Array.isArray(entries)) return;
    for (const e of entries) {
      if (e.name.startsWith('.') || !e.isFile()) continue;
      yield { ...problem(path.join(dir, e.name), 'skipped: in a Maildir tmp/, a delivery started and not finished (complete ones are moved to new/)'), skipped: true };
    }
  }

  private async *maildirMessages(dir: string, folder: string): AsyncGenerator<WalkItem> {
    const entries = await listSorted(dir);
    if (!Array.isArray(entries)) {
      yield entries;
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const full = path.join(dir, e.name);
      const kind = await entryKind(e, full);
      if (kind.type === 'problem') yield kind;
      else if (kind.file) yield artifact(full, this.forced ?? 'maildir', folder);
      else yield problem(full, 'skipped: not a message file (Maildir cur/ and new/ hold only files)');
    }
  }

  private async *file(full: string, folder: string | null, explicit: boolean): AsyncGenerator<WalkItem> {
    if (this.forced) {
      yield artifact(full, this.forced, folder);
      return;
    }
    let head: Buffer;
    try {
      head = await readHead(full, DETECT_HEAD_BYTES);
    } catch (err) {
      yield problem(full, err instanceof MailtrailError ? err.message : describeError(err));
      return;
    }
    // An empty file is read as an empty mbox: no messages, but its digest records that it was looked at.
    const kind = head.length === 0 ? 'mbox' : detectKind(path.basename(full), head);
    const packed = kind === null ? compression(head) : null;
    const unreadable = packed?.name === 'gzip' ? gzipHeadFailure(head, head.length < DETECT_HEAD_BYTES) : null;
    if (unreadable !== null) {
      // Damaged evidence, not a file of another kind: an error even inside a directory, so it is counted (exit 2).
      yield problem(full, `gzip-compressed, but corrupt or cut short (${unreadable}), and no log line could be read from it`, `check it with gzip -t ${JSON.stringify(full)}; a copy cut short in transfer is the usual cause`);
    } else if (kind === null && outlookFile(head, full) !== null) {
      // A common way mail reaches a case, and not one --format can read: say what it is and how to get mail from it.
      const o = outlookFile(head, full)!;
      const p = problem(full, `${o.what}, not a message or mailbox format mailtrail reads`, o.hint);
      yield explicit ? p : { ...p, message: `skipped: ${o.what}`, skipped: true };
    } else if (packed !== null) {
      // --format would read the compressed bytes as text: say what it is and how to read it instead.
      const p = problem(full, `${packed.name}-compressed, and not a log: mailtrail reads compressed logs, not compressed mailboxes or messages`, `decompress it first (${packed.tool} ${JSON.stringify(full)}) and give the result`);
      yield explicit ? p : { ...p, message: `skipped: ${packed.name}-compressed, not a log`, skipped: true };
    } else if (kind === null) {
      const broken = headerBreak(head);
      const p = broken
        ? problem(full, `format not recognised: it starts like a message, but line ${broken} is neither a header field nor a folded continuation`, 'use --format eml to read it as a message anyway')
        : problem(full, 'format not recognised: not a message or mbox (no header or From_ line at the start), nor a log or export mailtrail recognises', FORMAT_HINT);
      yield explicit ? p : { ...p, message: 'skipped: format not recognised', skipped: true };
    } else {
      yield artifact(full, kind, folder ?? (kind === 'mbox' ? await mailClientFolder(full) : kind === 'emlx' ? appleMailFolder(full) : null));
    }
  }
}

const INBOX_SUBDIRS: readonly string[] = ['cur', 'new'];

/** Folder of a Maildir named directly: a Maildir++ `.Folder` (its parent is a Maildir) keeps its name. */
async function maildirFolderOf(dir: string): Promise<string> {
  const abs = path.resolve(dir);
  const base = path.basename(abs);
  const plus = base.startsWith('.') && base.length > 1 && (await isMaildir(path.dirname(abs)));
  return plus ? maildirPlusFolder(base) : 'INBOX';
}

/**
 * The folder a mail client kept an mbox file as, when its layout says so; null for any other mbox (an export, an
 * archive: where it was kept is not known). Thunderbird keeps each folder as an mbox file beside its `.msf` index,
 * subfolders under `Parent.sbd/` (`Archives.sbd/2026` -> `Archives/2026`); Apple Mail exports a folder as a
 * `Junk.mbox/` directory holding a file named `mbox`. An inbox is named `INBOX`, as a Maildir's root is.
 */
async function mailClientFolder(file: string): Promise<string | null> {
  const abs = path.resolve(file);
  const base = path.basename(abs);
  let names: string[] | null = null;
  if (base === 'mbox' && /\.mbox$/i.test(path.basename(path.dirname(abs)))) {
    names = [];
    for (let d = path.dirname(abs); /\.mbox$/i.test(path.basename(d)); d = path.dirname(d)) names.unshift(path.basename(d).replace(/\.mbox$/i, ''));
  } else if (await isFile(`${abs}.msf`)) {
    names = [base];
    for (let d = path.dirname(abs); /\.sbd$/i.test(path.basename(d)); d = path.dirname(d)) names.unshift(path.basename(d).replace(/\.sbd$/i, ''));
  }
  if (names === null || names.some((n) => n === '')) return null;
  return names.length === 1 && /^inbox$/i.test(names[0]!) ? 'INBOX' : names.join('/');
}

/**
 * The Apple Mail folder an .emlx file is in: the `Folder.mbox` directories above it
 * (`Work.mbox/Reports.mbox/<id>/Data/1/Messages/7.emlx` -> `Work/Reports`, `INBOX.mbox/…` -> `INBOX`); null when none.
 */
function appleMailFolder(file: string): string | null {
  const names = path.resolve(file).split(path.sep).slice(0, -1).filter((d) => /.\.mbox$/i.test(d)).map((d) => d.replace(/\.mbox$/i, ''));
  if (names.length === 0) return null;
  return names.length === 1 && /^inbox$/i.test(names[0]!) ? 'INBOX' : names.join('/');
}

/** Maildir++ folder name: `.Junk` -> `Junk`, `.Work.Reports` -> `Work/Reports` (names kept as stored). */
export function maildirPlusFolder(dirName: string): string {
  return dirName.replace(/^\./, '').split('.').join('/');
}

/** Files and directories that belong to mail software, not mail: skipped without a problem. */
/** Dovecot's own state files in a mailbox directory (indexes, uid lists, Sieve scripts), by name. */
const DOVECOT_STATE = /^dovecot(?:[.-](?:index|list|mailbox|map|uidlist|uidvalidity|keywords|acl|lda-dupes)|\.(?:sieve|svbin)$)/;

export function isHousekeeping(name: string): boolean {
  return (
    name.startsWith('.') || // .DS_Store, .mh_sequences, .lock files, .Maildir++ folders (handled before)
    DOVECOT_STATE.test(name) || // dovecot.index*, dovecot-uidlist, dovecot-keywords (not dovecot.log: evidence)
    name.startsWith('courierimap') || // courierimapuiddb, courierimapkeywords/
    name === 'maildirfolder' ||
    /\.msf$/i.test(name) || // Thunderbird's index of the mbox file beside it (Mork), not mail
    name === 'table_of_contents' || // Apple Mail's index inside an exported Folder.mbox/
    /\.plist$/i.test(name) || // Apple Mail's folder and account settings
    name === 'subscriptions'
  );
}

/**
 * A Maildir: a directory with cur/ and new/ (tmp/ optional: archives often drop it). Copies lose empty
 * directories too (git, archives built from a list of files), so an empty new/ or cur/ may be gone: one of the
 * two is enough when something else says Maildir. That is a tmp/, a file mail software keeps in a Maildir, or a
 * message file named the Maildir way (`time.unique.host[:2,flags]`, cr.yp.to/proto/maildir.html).
 */
async function isMaildir(dir: string): Promise<boolean> {
  const cur = await isDir(path.join(dir, 'cur'));
  const fresh = await isDir(path.join(dir, 'new'));
  if (cur && fresh) return true;
  if (!cur && !fresh) return hasMaildirPlusFolder(dir);
  if (await isDir(path.join(dir, 'tmp'))) return true;
  for (const f of MAILDIR_STATE_FILES) if (await isFile(path.join(dir, f))) return true;
  return hasMaildirNamedFile(path.join(dir, cur ? 'cur' : 'new'));
}

/**
 * A Maildir root whose INBOX was empty, copied without its empty cur/ and new/: it still has its Maildir++
 * folders, dot-directories that are Maildirs themselves (their `maildirfolder` marker, or cur/ and new/).
 */
async function hasMaildirPlusFolder(dir: string): Promise<boolean> {
  const entries = await listSorted(dir);
  if (!Array.isArray(entries)) return false;
  for (const e of entries) {
    if (!e.isDirectory() || !e.name.startsWith('.') || e.name === '.' || e.name === '..') continue;
    const sub = path.join(dir, e.name);
    if ((await isFile(path.join(sub, 'maildirfolder'))) || ((await isDir(path.join(sub, 'cur'))) && (await isDir(path.join(sub, 'new'))))) return true;
  }
  return false;
}

/** A dot-directory straight under a Maildir root is a Maildir++ folder as soon as it has cur/ or new/. */
async function isMaildirPlusFolder(dir: string): Promise<boolean> {
  return (await isDir(path.join(dir, 'cur'))) || (await isDir(path.join(dir, 'new')));
}

/** Files only mail software puts in a Maildir (Maildir++ folder marker, Dovecot and Courier state). */
const MAILDIR_STATE_FILES: readonly string[] = ['maildirfolder', 'dovecot-uidlist', 'courierimapuiddb'];
/** `1767607260.M1P100.host.example.test:2,S`: seconds, a unique part, the delivering host, optional info. */
const MAILDIR_NAME = /^\d{9,11}\.[^./]+\.[^/]+$/;
/** How many entries of a cur/ or new/ to look at for a Maildir-named file. */
const NAME_PROBE = 16;

async function hasMaildirNamedFile(dir: string): Promise<boolean> {
  const entries = await listSorted(dir);
  if (!Array.isArray(entries)) return false;
  return entries.filter((e) => !e.name.startsWith('.')).slice(0, NAME_PROBE).some((e) => MAILDIR_NAME.test(e.name));
}

const isDir = (p: string): Promise<boolean> => stat(p).then((s) => s.isDirectory(), () => false);
const isFile = (p: string): Promise<boolean> => stat(p).then((s) => s.isFile(), () => false);

async function listSorted(dir: string): Promise<Dirent[] | WalkProblem> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (err) {
    return fsProblem(dir, err);
  }
}

type EntryKind = { type: 'entry'; dir: boolean; file: boolean } | WalkProblem;

async function entryKind(e: Dirent, full: string): Promise<EntryKind> {
  if (!e.isSymbolicLink()) return { type: 'entry', dir: e.isDirectory(), file: e.isFile() };
  try {
    const st = await stat(full);
    if (st.isDirectory()) {
      const hint = 'give the target directory explicitly to include it';
      return problem(full, 'symbolic link to a directory not followed (to avoid loops)', hint);
    }
    return { type: 'entry', dir: false, file: st.isFile() };
  } catch (err) {
    return fsProblem(full, err);
  }
}

function artifact(p: string, kind: ArtifactKind, folder: string | null): WalkArtifact {
  return { type: 'artifact', input: { path: p, kind, folder } };
}

function problem(p: string, message: string, hint?: string): WalkProblem {
  return hint === undefined ? { type: 'problem', path: p, message } : { type: 'problem', path: p, message, hint };
}

function fsProblem(p: string, err: unknown): WalkProblem {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return problem(p, 'no such file or directory');
  if (code === 'EACCES' || code === 'EPERM') return problem(p, 'permission denied');
  if (code === 'ELOOP') return problem(p, 'too many levels of symbolic links');
  return problem(p, describeError(err));
}

/**
 * Outlook's own files, by magic number: a `.pst` data file, and an OLE2 compound file, which with a `.msg` name is
 * one saved Outlook item (an Office document otherwise). Neither keeps the message's original bytes as sent, so
 * the way on is the original from the mailbox, or a conversion that says what it is.
 */
function outlookFile(head: Buffer, file: string): { what: string; hint: string } | null {
  if (head.subarray(0, 4).equals(Buffer.from('!BDN', 'latin1'))) {
    return { what: 'an Outlook data file (.pst)', hint: 'export its folders as mbox files (readpst -o DIR, Debian package pst-utils) and give those, or read the mailbox over IMAP' };
  }
  if (head.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) {
    return /\.msg$/i.test(file)
      ? { what: 'an Outlook .msg item (an OLE2 compound file)', hint: 'a .msg keeps the headers as text but not the message as sent, so signatures cannot be checked on it: get the original from the mailbox (IMAP, Maildir, or the client\'s "save as .eml" / "show original")' }
      : { what: 'an OLE2 compound file (an Outlook .msg item or an Office document)', hint: 'for an Outlook item, get the original message from the mailbox (IMAP, Maildir, or "save as .eml")' };
  }
  return null;
}

/**
 * The compression a file's first bytes show (by magic number), with the command that undoes it; null if none.
 * bzip2 is not here: every bzip2 file is taken for a log (its head cannot be decompressed to look inside).
 */
function compression(head: Buffer): { name: string; tool: string } | null {
  if (head[0] === 0x1f && head[1] === 0x8b) return { name: 'gzip', tool: 'gunzip -k' };
  if (head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return { name: 'xz', tool: 'unxz -k' };
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return { name: 'zstd', tool: 'unzstd' };
  if (head.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) return { name: 'zip', tool: 'unzip' };
  return null;
}
