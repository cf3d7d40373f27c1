// Ingest of one log artifact, in its own transaction: read it (sources/logs/batched-read.ts: on a worker thread
// for large files, while this thread writes), store the meaningful lines as log_events (indexes rebuilt after
// a large load), record how it was read and what it covers (log_artifacts, log_gaps), and record every
// problem with its line. A bad line never stops the file; an unrecognised format or an unreadable file rolls the
// artifact back and is reported by the caller. Re-ingesting the same bytes at the same path adds nothing.

import type { ArtifactInput, SourceProblem } from '../model/source.js';
import type { LogFormat } from '../model/log-event.js';
import type { IngestOptions, IngestPorts, IngestSummary } from './ingest.js';
import { readLogBatches, WORKER_MIN_BYTES } from '../sources/logs/batched-read.js';
import type { LogEventWriter } from '../store/log-events.js';
import { seenBefore } from './same-reading.js';

/** Rough bytes per stored event in a mail log (Postfix: ~260), and how much a compressed log expands. */
const BYTES_PER_EVENT = 256;
const COMPRESSED_RATIO = 8;

export interface LogIngestOptions {
  /** `--year` for classic syslog timestamps. */
  year?: number | undefined;
  /** `--tz`: minutes east of UTC or an IANA zone name. */
  tz?: number | string | undefined;
  /** Coverage holes longer than this (seconds) are recorded. */
  gapSeconds?: number | undefined;
  maxLineBytes?: number | undefined;
}

export async function ingestLogArtifact(input: ArtifactInput, opts: IngestOptions, ports: IngestPorts, sum: IngestSummary): Promise<void> {
  const { writer } = ports;
  const logWriter: LogEventWriter | undefined = ports.logWriter;
  if (logWriter === undefined) throw new Error('internal: no log writer wired into the ingest ports');
  const st = input.path === '-' ? null : await ports.stat(input.path);
  if (input.path !== '-') {
    const prev = writer.lastArtifactAt(input.path);
    if (prev && st && prev.size === st.size && prev.mtime === st.mtime && (await ports.hashFile(input.path)) === prev.sha256) {
      // Read the same way: nothing to add. Read as another format: refused now, before any reading (seenBefore throws).
      if (seenBefore([prev.kind], input.kind)) { sum.unchanged++; return; }
    }
  }
  const problems: SourceProblem[] = [];
  const log = opts.log ?? {};
  writer.begin();
  logWriter.reset();
  try {
    const artifactId = writer.startArtifact({
      path: input.path, kind: input.kind, folder: null, ingestedAt: ports.now().toISOString(), toolVersion: ports.toolVersion, runId: ports.runId,
    });
    const forced = input.kind === 'log' ? undefined : (input.kind as LogFormat);
    let stored = 0;
    const size = st?.size ?? 0;
    logWriter.beginLoad(Math.floor((/\.(gz|bz2)$/i.test(input.path) ? size * COMPRESSED_RATIO : size) / BYTES_PER_EVENT));
    const r = await readLogBatches(input.path, {
      format: forced, year: log.year, tz: log.tz, now: ports.now, gapSeconds: log.gapSeconds, maxLineBytes: log.maxLineBytes,
    }, {
      batch(b) {
        logWriter.addBatch(artifactId, b);
        stored += b.rows;
      },
      problem(p) {
        problems.push(p);
        ports.onProblem?.({ path: input.path, position: p.position, message: p.message });
      },
    }, { mtime: st?.mtime ?? null, thread: size >= WORKER_MIN_BYTES });
    sum.bytes += r.digest.size;
    sum.logLines = (sum.logLines ?? 0) + r.lines;
    if (seenBefore(writer.artifactKinds(r.digest.sha256, input.path), input.kind)) {
      writer.rollback();
      sum.unchanged++;
      return;
    }
    for (const p of problems) {
      writer.addProblem({ runId: ports.runId, path: input.path, artifactSha256: r.digest.sha256, position: p.position, offset: p.offset, message: p.message });
    }
    logWriter.endLoad();
    writer.finishArtifact(artifactId, { sha256: r.digest.sha256, size: r.digest.size, mtime: r.digest.mtime, messages: 0, warnings: 0, errors: problems.length });
    logWriter.finishArtifact(artifactId, { ...r, events: stored });
    writer.commit();
    sum.logEvents = (sum.logEvents ?? 0) + stored;
    sum.errors += problems.length;
  } catch (err) {
    logWriter.reset();
    writer.rollback();
    throw err;
  }
}
