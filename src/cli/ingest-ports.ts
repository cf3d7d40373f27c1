// Wires the real side effects of ingest: the file-system sources, the store writer and the clock.
// Tests use it too, overriding single ports (e.g. a reader that fails mid-file).

import type { Db } from '../store/db.js';
import { EvidenceWriter } from '../store/write.js';
import { LogEventWriter } from '../store/log-events.js';
import type { IngestPorts } from '../ingest/ingest.js';
import { createPreparePool, type PreparePool } from '../ingest/prepare-pool.js';
import { expandInputs } from '../sources/walk.js';
import { DETECT_HEAD_BYTES, getAdapter } from '../sources/registry.js';
import { peekProcessStdin } from '../sources/read-artifact.js';
import { hashFile, statFile } from '../sources/file-info.js';
import type { ImapSource, ImapSourcePorts } from '../sources/imap/source.js';
import { storedImapUids } from '../store/read.js';

export function realIngestPorts(
  db: Db,
  run: { runId: number; toolVersion: string },
  hooks: Pick<IngestPorts, 'onProblem' | 'onProgress'> = {},
  pool: PreparePool = createPreparePool(0),
): IngestPorts {
  return {
    writer: new EvidenceWriter(db),
    logWriter: new LogEventWriter(db),
    pool,
    expand: (paths, opts) => expandInputs(paths, { ...opts, stdinHead: () => peekProcessStdin(DETECT_HEAD_BYTES) }),
    read: (input, opts) => getAdapter(input.kind).read(input, opts),
    stat: statFile,
    hashFile,
    now: () => new Date(),
    toolVersion: run.toolVersion,
    runId: run.runId,
    ...hooks,
  };
}

/**
 * The ingest ports for one IMAP account: artifacts come from the IMAP source (one per fetch batch), not from
 * the file system; there is no file to stat or hash, so the unchanged-file shortcut never applies.
 * The source's folder records go to imap_folders; resumable state is read from imap_locations.
 */
export function imapIngestPorts(
  db: Db,
  run: { runId: number; toolVersion: string },
  source: ImapSource,
  maxMessageBytes: number,
  hooks: Pick<IngestPorts, 'onProblem'> = {},
  pool: PreparePool = createPreparePool(0),
): IngestPorts {
  const writer = new EvidenceWriter(db);
  return {
    writer,
    pool,
    expand: () => source.expand(maxMessageBytes),
    read: (input, opts) => source.read(input, opts),
    stat: async () => null,
    hashFile: async () => {
      throw new Error('internal: an IMAP artifact has no file to hash');
    },
    now: () => new Date(),
    toolVersion: run.toolVersion,
    runId: run.runId,
    ...hooks,
  };
}

/** The store side of the IMAP source's ports (resume state and folder records). */
export function imapStorePorts(db: Db, runId: number): Pick<ImapSourcePorts, 'storedUids' | 'recordFolder' | 'now'> {
  const writer = new EvidenceWriter(db);
  return {
    storedUids: (account, folder, uidValidity) => storedImapUids(db, account, folder, uidValidity),
    recordFolder: (check) => writer.recordImapFolder({ runId, ...check }),
    now: () => new Date(),
  };
}
