// The ingest use case: expand the given paths into artifacts, read each with its source adapter and
// write its evidence to the store — one transaction per artifact, so a crash or kill mid-file leaves
// the store as it was before that file. A bad message or unreadable file is recorded and counted;
// it never stops the batch. Re-ingesting the same bytes at the same path adds nothing.
// Side effects come in through `IngestPorts` (wired in cli/), so tests can drive it directly.

import type { ArtifactEvent, ArtifactInput, MessageLocator, ReadOptions, SourceProblem } from '../model/source.js';
import type { EvidenceWriter, NewMessage } from '../store/write.js';
import type { WalkItem } from '../sources/walk.js';
import { sha256, type PreparedMessage } from './prepare-message.js';
import type { PreparePool } from './prepare-pool.js';
import type { LogEventWriter } from '../store/log-events.js';
import { isLogKind } from '../sources/logs/adapter.js';
import { ingestLogArtifact, type LogIngestOptions } from './ingest-log.js';
import { seenBefore } from './same-reading.js';

export interface IngestOptions extends ReadOptions {
  format?: string | undefined;
  headersOnly: boolean;
  /** Log artifacts only (ingest-log.ts): --year, --tz. */
  log?: LogIngestOptions | undefined;
}


export interface IngestPorts {
  writer: EvidenceWriter;
  /** Writes log events (log artifacts are ingested by ingest-log.ts). */
  logWriter?: LogEventWriter;
  /** Where parsing, hashing and compression run (worker threads in the CLI, in-thread in unit tests). */
  pool: PreparePool;
  /** With `folders`, each Maildir folder walked whole is an item too (recorded as examined, empty ones included). */
  expand(paths: string[], opts: { format?: string | undefined; folders?: boolean }): AsyncIterable<WalkItem>;
  read(input: ArtifactInput, opts: ReadOptions): AsyncIterable<ArtifactEvent>;
  /** Size and mtime of a file, or null for stdin / unknown. */
  stat(path: string): Promise<{ size: number; mtime: string } | null>;
  /** sha256 of a file's bytes (used to confirm an unchanged file without parsing it again). */
  hashFile(path: string): Promise<string>;
  now(): Date;
  toolVersion: string;
  runId: number;
  /** Called for every problem as it happens (the CLI prints one line each). */
  onProblem?(p: { path: string; position: string; message: string; hint?: string | undefined }): void;
  /** Called after each message with the artifact's path and the bytes read so far. */
  onProgress?(p: { path: string; bytes: number; messages: number }): void;
}

export interface IngestSummary {
  /** Files read and kept (including unchanged ones); a file rolled back is counted in notIngested instead. */
  files: number;
  /** Files rolled back whole (unreadable, unrecognised format, refused as another reading): nothing of them kept. */
  notIngested: number;
  /** Files whose bytes were already in the store at the same path (nothing added). */
  unchanged: number;
  messages: number;
  /** Messages seen that were already stored (by sha256 of their bytes). */
  duplicates: number;
  newMessages: number;
  errors: number;
  /** Files met in a directory walk that are not a readable evidence format (reported, not errors). */
  skipped: number;
  warnings: number;
  bytes: number;
  /** Maildir folders walked whole, empty ones included (absent when none). */
  maildirFolders?: number;
  /** Log artifacts: lines read and events stored (absent when no log was ingested). */
  logLines?: number;
  logEvents?: number;
}

/** Messages being prepared at once, and their bytes: enough to keep workers busy, bounded in memory. */
const IN_FLIGHT = 32;
const IN_FLIGHT_BYTES = 8 * 1024 * 1024;

export async function ingest(paths: string[], opts: IngestOptions, ports: IngestPorts): Promise<IngestSummary> {
  const sum: IngestSummary = { files: 0, notIngested: 0, unchanged: 0, messages: 0, duplicates: 0, newMessages: 0, errors: 0, skipped: 0, warnings: 0, bytes: 0 };
  for await (const item of ports.expand(paths, { format: opts.format, folders: true })) {
    if (item.type === 'folder') {
      ports.writer.addMaildirFolder({ runId: ports.runId, path: item.path, folder: item.folder, messages: item.messages, examinedAt: ports.now().toISOString() });
      sum.maildirFolders = (sum.maildirFolders ?? 0) + 1;
      continue;
    }
    if (item.type === 'problem' && item.skipped) {
      sum.skipped++;
      // How to read a file of a known kind (decompress it, export the Outlook file) helps; --format for every
      // unrecognised file of a folder would only be noise.
      const hint = item.message.startsWith('skipped: format not recognised') ? undefined : item.hint;
      ports.onProblem?.({ path: item.path, position: 'file', message: item.message, hint });
      continue;
    }
    if (item.type === 'problem') {
      sum.notIngested++;
      recordProblem(ports, sum, { path: item.path, artifactSha256: null, position: 'file', offset: null, message: item.message, hint: item.hint });
      continue;
    }
    sum.files++;
    const before = { ...sum };
    try {
      if (isLogKind(item.input.kind)) await ingestLogArtifact(item.input, opts, ports, sum);
      else await ingestArtifact(item.input, opts, ports, sum);
    } catch (err) {
      ports.writer.rollback();
      // Nothing of the file was kept, so nothing of it is counted (its problems, already reported, stay counted).
      Object.assign(sum, { ...before, files: before.files - 1, notIngested: before.notIngested + 1, errors: sum.errors });
      recordProblem(ports, sum, {
        path: item.input.path,
        artifactSha256: null,
        position: 'file',
        offset: null,
        message: `not ingested: ${(err as Error).message}`,
      });
    }
  }
  return sum;
}

async function ingestArtifact(input: ArtifactInput, opts: IngestOptions, ports: IngestPorts, sum: IngestSummary): Promise<void> {
  const { writer } = ports;
  // Unchanged file at the same path: confirm by hash (cheap) and skip the parse.
  if (input.path !== '-') {
    const prev = writer.lastArtifactAt(input.path);
    const st = await ports.stat(input.path);
    if (prev && st && prev.size === st.size && prev.mtime === st.mtime && (await ports.hashFile(input.path)) === prev.sha256) {
      // Read the same way: nothing to add. Read another way: refused now, before any reading (seenBefore throws).
      if (seenBefore([prev.kind], input.kind)) { sum.unchanged++; return; }
    }
  }

  const problems: SourceProblem[] = [];
  let messages = 0;
  let warnings = 0;
  writer.begin();
  try {
    const artifactId = writer.startArtifact({
      path: input.path,
      kind: input.kind,
      folder: input.folder,
      ingestedAt: ports.now().toISOString(),
      toolVersion: ports.toolVersion,
      runId: ports.runId,
    });
    // Ordered window of messages being prepared (on workers); written to the store in arrival order.
    type Job = { sha: string; loc: MessageLocator; size: number; headersOnly: boolean; work: Promise<PreparedMessage> | null; upgrade: Promise<NewMessage['blob']> | null };
    const queue: Job[] = [];
    let queuedBytes = 0;
    const pending = new Set<string>();
    const problem = (p: SourceProblem): void => {
      problems.push(p);
      ports.onProblem?.({ path: input.path, position: p.position, message: p.message });
    };
    const drainOne = async (): Promise<void> => {
      const job = queue.shift();
      if (!job) return;
      queuedBytes -= job.size;
      const loc = job.loc;
      try {
        const existing = writer.findMessage(job.sha);
        let id: number;
        if (existing) {
          id = existing.id;
          sum.duplicates++;
          if (existing.stored === 'headers' && job.upgrade) writer.upgradeToFull(id, await job.upgrade);
          else if (existing.stored === 'headers' && job.work && !job.headersOnly) writer.upgradeToFull(id, (await job.work).blob);
        } else if (job.work) {
          const prepared = await job.work;
          warnings += prepared.warningCount;
          id = writer.insertMessage(prepared);
          sum.newMessages++;
          for (const text of prepared.problems) problem({ position: `message #${loc.index}`, offset: loc.offset, message: text });
        } else {
          throw new Error('internal: message neither stored nor prepared');
        }
        writer.addLocation(id, artifactId, loc);
        messages++;
        sum.messages++;
      } catch (err) {
        problem({ position: `message #${loc.index}`, offset: loc.offset, message: (err as Error).message });
      } finally {
        pending.delete(job.sha);
      }
    };

    let last: Extract<ArtifactEvent, { type: 'end' }> | undefined;
    for await (const ev of ports.read(input, opts)) {
      if (ev.type === 'problem') {
        problem(ev.problem);
        continue;
      }
      if (ev.type === 'end') {
        last = ev;
        continue;
      }
      const { bytes, locator } = ev.message;
      // A source that knows its body is not the message's keeps the headers only, whatever was asked.
      const headersOnly = opts.headersOnly || ev.message.headersOnly === true;
      const sha = sha256(bytes);
      const known = pending.has(sha) ? 'pending' : writer.findMessage(sha);
      const job: Job = { sha, loc: locator, size: bytes.length, headersOnly, work: null, upgrade: null };
      if (!known) {
        job.work = ports.pool.prepare(bytes, sha, headersOnly);
        pending.add(sha);
      } else if (known !== 'pending' && known.stored === 'headers' && !headersOnly) {
        job.upgrade = ports.pool.compress(bytes, sha);
      }
      // A rejected promise is handled when its job is drained; keep Node from reporting it early.
      job.work?.catch(() => {});
      job.upgrade?.catch(() => {});
      queue.push(job);
      queuedBytes += bytes.length;
      while (queue.length >= IN_FLIGHT || queuedBytes >= IN_FLIGHT_BYTES) await drainOne();
      ports.onProgress?.({ path: input.path, bytes: locator.offset + locator.length, messages });
    }
    while (queue.length > 0) await drainOne();
    if (!last) throw new Error('the reader ended without a digest');
    const digest = last.digest;
    sum.bytes += digest.size;
    if (seenBefore(writer.artifactKinds(digest.sha256, input.path), input.kind)) {
      // Same bytes at the same path were ingested before: nothing new to record.
      writer.rollback();
      sum.unchanged++;
      return;
    }
    for (const p of problems) {
      writer.addProblem({ runId: ports.runId, path: input.path, artifactSha256: digest.sha256, position: p.position, offset: p.offset, message: p.message });
    }
    writer.finishArtifact(artifactId, {
      sha256: digest.sha256,
      size: digest.size,
      mtime: digest.mtime,
      messages,
      warnings,
      errors: problems.length,
    });
    writer.commit();
    sum.errors += problems.length;
    sum.warnings += warnings;
  } catch (err) {
    writer.rollback();
    throw err;
  }
}

function recordProblem(
  ports: IngestPorts,
  sum: IngestSummary,
  p: { path: string; artifactSha256: string | null; position: string; offset: number | null; message: string; hint?: string | undefined },
): void {
  sum.errors++;
  const { hint, ...row } = p;
  ports.writer.addProblem({ runId: ports.runId, ...row });
  ports.onProblem?.({ path: p.path, position: p.position, message: p.message, hint });
}
