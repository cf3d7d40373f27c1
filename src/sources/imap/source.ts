// The IMAP source: turns a live mailbox into the artifacts and events the ingest use case already knows.
// expand(): LIST, then per folder EXAMINE (read-only), UID SEARCH on the server, subtract the UIDs already
// stored under the same UIDVALIDITY (resumable; a new UIDVALIDITY means everything is fetched again), learn
// the sizes, and yield one artifact per batch of UIDs. read(): UID FETCH … BODY.PEEK[] for that batch,
// yielding messages with their IMAP facts and ending with the digest of the batch's manifest (manifest.ts).
// One batch is one artifact is one transaction in ingest: a dropped connection loses at most one batch.
// Side effects only through the session and the ports; no SQL, no process, no environment here.

import type { ImapFacts } from '../../model/imap.js';
import { createHash } from 'node:crypto';
import type { ArtifactEvent, ArtifactInput, MessageLocator, ReadOptions } from '../../model/source.js';
import type { WalkItem } from '../walk.js';
import { MailtrailError } from '../../errors.js';
import { isConnectionLost, RERUN_HINT } from './errors.js';
import { manifestDigest, type ManifestEntry } from './manifest.js';
import { buildSearch, type ImapCriteria } from './search.js';
import type { ImapFolder, ImapFolderState, ImapSession, ImapTlsInfo } from './types.js';
import { folderPath } from './url.js';

export interface ImapSourceOptions {
  /** Folders to read as listed by the server; null or empty means every selectable folder. */
  folders: string[] | null;
  criteria: ImapCriteria;
  /** Messages per artifact/transaction. */
  batchSize?: number;
  /** Bytes per artifact/transaction (a batch closes at whichever limit comes first). */
  batchBytes?: number;
}

/** What the source records about each folder it looked at (cli/ stores it in imap_folders). */
export interface ImapFolderCheckFacts {
  account: string;
  folder: string;
  delimiter: string | null;
  listFlags: string[];
  specialUse: string | null;
  specialUseSource: string | null;
  uidValidity: string | null;
  uidNext: number | null;
  messageCount: number | null;
  highestModseq: string | null;
  search: ImapCriteria;
  matched: number | null;
  alreadyStored: number | null;
  toFetch: number | null;
  tls: ImapTlsInfo;
  examinedAt: string;
  error: string | null;
}

export interface ImapSourcePorts {
  /** UIDs of this folder already in the store under this UIDVALIDITY. */
  storedUids(account: string, folder: string, uidValidity: string): Set<number>;
  recordFolder(check: ImapFolderCheckFacts): void;
  now(): Date;
  /** Per-folder progress: bytes and messages fetched so far in the folder, of `total` to fetch. */
  onProgress?(p: { path: string; bytes: number; messages: number; total: number }): void;
}

/** IMAP facts carried on each message locator; store/write.ts (ImapLocator) persists them. */
export type ImapMessageFacts = ImapFacts;

export interface ImapSourceStats {
  folders: number;
  folderErrors: number;
  matched: number;
  alreadyStored: number;
  toFetch: number;
  fetched: number;
  bytes: number;
}

interface Batch {
  folder: ImapFolder;
  state: ImapFolderState;
  uids: number[];
  /** UIDs skipped for size, with their RFC822.SIZE. */
  oversized: { uid: number; size: number }[];
  /** Where this batch starts within the folder's fetch, for progress. */
  before: { bytes: number; messages: number; total: number };
}

export const DEFAULT_BATCH_SIZE = 1000;
export const DEFAULT_BATCH_BYTES = 64 * 1024 * 1024;

export function createImapSource(session: ImapSession, opts: ImapSourceOptions, ports: ImapSourcePorts) {
  const target = session.target;
  const query = buildSearch(opts.criteria); // validates before anything is sent
  const batchSize = Math.max(1, opts.batchSize ?? DEFAULT_BATCH_SIZE);
  const batchBytes = Math.max(1, opts.batchBytes ?? DEFAULT_BATCH_BYTES);
  const batches = new WeakMap<ArtifactInput, Batch>();
  const stats: ImapSourceStats = { folders: 0, folderErrors: 0, matched: 0, alreadyStored: 0, toFetch: 0, fetched: 0, bytes: 0 };
  const progress = new Map<string, { bytes: number; messages: number; total: number }>();

  const check = (f: ImapFolder, rest: Partial<ImapFolderCheckFacts>): ImapFolderCheckFacts => ({
    account: target.account,
    folder: f.path,
    delimiter: f.delimiter || null,
    listFlags: f.listFlags,
    specialUse: f.specialUse.role,
    specialUseSource: f.specialUse.source,
    uidValidity: null,
    uidNext: null,
    messageCount: null,
    highestModseq: null,
    search: opts.criteria,
    matched: null,
    alreadyStored: null,
    toFetch: null,
    tls: session.tls,
    examinedAt: ports.now().toISOString(),
    error: null,
    ...rest,
  });

  async function* expand(maxMessageBytes: number): AsyncGenerator<WalkItem> {
    const listed = await session.listFolders();
    const chosen: ImapFolder[] = [];
    if (opts.folders && opts.folders.length > 0) {
      for (const name of opts.folders) {
        const f = listed.find((l) => l.path === name) ?? listed.find((l) => l.path.toUpperCase() === 'INBOX' && name.toUpperCase() === 'INBOX');
        if (f && f.selectable) {
          if (!chosen.includes(f)) chosen.push(f);
        } else {
          stats.folderErrors++;
          const names = listed.filter((l) => l.selectable).sort(folderOrder).map((l) => l.path);
          yield { type: 'problem', path: folderPath(target, name), message: f ? 'IMAP folder cannot be selected (\\Noselect)' : 'IMAP folder not found', hint: `folders on this account: ${names.join(', ')}` };
        }
      }
    } else {
      chosen.push(...listed.filter((l) => l.selectable).sort(folderOrder));
    }

    for (const [i, folder] of chosen.entries()) {
      const path = folderPath(target, folder.path);
      if (!session.usable()) {
        const left = chosen.slice(i).map((f) => f.path);
        stats.folderErrors += left.length;
        yield { type: 'problem', path: target.base, message: `IMAP connection lost; ${left.length} folder(s) not read: ${left.join(', ')}`, hint: RERUN_HINT };
        return;
      }
      let state: ImapFolderState | null = null;
      let todo: { uid: number; size: number }[];
      try {
        state = await session.examine(folder.path);
        const matched = state.exists === 0 ? [] : await session.search(query);
        const stored = ports.storedUids(target.account, folder.path, state.uidValidity);
        const wanted = matched.filter((u) => !stored.has(u));
        todo = [];
        for await (const s of session.sizes(wanted)) todo.push({ uid: s.uid, size: s.rfc822Size });
        todo.sort((a, b) => a.uid - b.uid);
        const vanished = wanted.length - todo.length;
        stats.folders++;
        stats.matched += matched.length;
        stats.alreadyStored += matched.length - wanted.length;
        stats.toFetch += todo.length;
        ports.recordFolder(
          check(folder, {
            uidValidity: state.uidValidity,
            uidNext: state.uidNext,
            messageCount: state.exists,
            highestModseq: state.highestModseq,
            matched: matched.length,
            alreadyStored: matched.length - wanted.length,
            toFetch: todo.length,
            error: vanished > 0 ? `${vanished} matched UID(s) vanished before their size could be read` : null,
          }),
        );
      } catch (err) {
        stats.folderErrors++;
        const e = err instanceof MailtrailError ? err : new MailtrailError('IO', (err as Error).message);
        ports.recordFolder(check(folder, { uidValidity: state?.uidValidity ?? null, messageCount: state?.exists ?? null, error: e.message }));
        if (isConnectionLost(err)) continue; // reported once, with the folders left, at the top of the loop
        yield { type: 'problem', path, message: e.message, hint: e.hint };
        continue;
      }

      const total = todo.reduce((n, t) => n + (t.size <= maxMessageBytes ? 1 : 0), 0);
      const folderProgress = { bytes: 0, messages: 0, total };
      progress.set(path, folderProgress);
      let cur: Batch | null = null;
      let curBytes = 0;
      let planned = { bytes: 0, messages: 0 };
      for (const t of todo) {
        cur ??= { folder, state, uids: [], oversized: [], before: { ...planned, total } };
        if (t.size > maxMessageBytes) cur.oversized.push({ uid: t.uid, size: t.size });
        else {
          cur.uids.push(t.uid);
          curBytes += t.size;
          planned = { bytes: planned.bytes + t.size, messages: planned.messages + 1 };
        }
        if (cur.uids.length + cur.oversized.length >= batchSize || curBytes >= batchBytes) {
          yield artifact(path, cur);
          cur = null;
          curBytes = 0;
        }
      }
      if (cur) yield artifact(path, cur);
    }
  }

  function artifact(path: string, batch: Batch): WalkItem {
    const input: ArtifactInput = { path, kind: 'imap', folder: batch.folder.path };
    batches.set(input, batch);
    return { type: 'artifact', input };
  }

  async function* read(input: ArtifactInput, _opts: ReadOptions): AsyncGenerator<ArtifactEvent> {
    const batch = batches.get(input);
    if (!batch) throw new MailtrailError('IO', 'internal: IMAP artifact read without its batch', { where: input.path });
    batches.delete(input);
    const { folder, state } = batch;
    for (const o of batch.oversized) {
      yield { type: 'problem', problem: { position: `UID ${o.uid}`, offset: null, message: `message is ${o.size} bytes, over the size limit; not downloaded (raise --max-message-mb)` } };
    }
    const entries: ManifestEntry[] = [];
    const seen = new Set<number>();
    const asked = new Set(batch.uids);
    let bytes = batch.before.bytes;
    for await (const m of session.fetch(batch.uids)) {
      if (seen.has(m.uid) || !asked.has(m.uid)) continue; // unsolicited FETCH (flag change by another client)
      seen.add(m.uid);
      const sha256 = createHash('sha256').update(m.source).digest('hex');
      if (m.source.length !== m.rfc822Size) {
        yield { type: 'problem', problem: { position: `UID ${m.uid}`, offset: null, message: `server sent ${m.source.length} bytes but RFC822.SIZE says ${m.rfc822Size}; the bytes sent were kept` } };
      }
      entries.push({ uidValidity: state.uidValidity, uid: m.uid, sha256, rfc822Size: m.rfc822Size, internalDate: m.internalDate, flags: m.flags });
      const imap: ImapMessageFacts = {
        account: target.account,
        folder: folder.path,
        specialUse: folder.specialUse.role,
        uidValidity: state.uidValidity,
        uid: m.uid,
        internalDate: m.internalDate,
        flags: m.flags,
        rfc822Size: m.rfc822Size,
      };
      const locator: MessageLocator & { imap: ImapMessageFacts } = {
        index: entries.length,
        offset: 0,
        length: m.source.length,
        folder: folder.path,
        fromLine: null,
        unquote: 'none',
        maildirFlags: null,
        maildirSubdir: null,
        imap,
      };
      stats.fetched++;
      stats.bytes += m.source.length;
      bytes += m.source.length;
      yield { type: 'message', message: { bytes: m.source, locator } };
      const p = progress.get(input.path);
      if (p) {
        p.bytes = bytes;
        p.messages = batch.before.messages + entries.length;
        ports.onProgress?.({ path: input.path, ...p });
      }
    }
    for (const uid of batch.uids) {
      if (!seen.has(uid)) yield { type: 'problem', problem: { position: `UID ${uid}`, offset: null, message: 'message no longer in the folder (expunged by another client during the run?)' } };
    }
    const digest = manifestDigest(input.path, entries);
    yield { type: 'end', digest: { sha256: digest.sha256, size: digest.size, mtime: null } };
  }

  return { expand, read, stats };
}

export type ImapSource = ReturnType<typeof createImapSource>;

/** INBOX first, then by path (stable, so runs are comparable). */
function folderOrder(a: ImapFolder, b: ImapFolder): number {
  const ai = a.path.toUpperCase() === 'INBOX' ? 0 : 1;
  const bi = b.path.toUpperCase() === 'INBOX' ? 0 : 1;
  return ai - bi || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}
