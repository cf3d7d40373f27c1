// Ingest of one log artifact, in its own transaction: read it (sources/logs/read-log.ts), store the meaningful
// lines as log_events, record how it was read and what it covers (log_artifacts, log_gaps), and record every
// problem with its line. A bad line never stops the file; an unrecognised format or an unreadable file rolls the
// artifact back and is reported by the caller. Re-ingesting the same bytes at the same path adds nothing.

import type { ArtifactInput, SourceProblem } from '../model/source.js';
import type { LogFormat } from '../model/log-event.js';
import type { IngestOptions, IngestPorts, IngestSummary } from './ingest.js';
import { readLog } from '../sources/logs/read-log.js';
import { isMeaningful, type LogEventWriter } from '../store/log-events.js';

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
      sum.unchanged++;
      return;
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
    const r = await readLog(input.path, {
      format: forced, year: log.year, tz: log.tz, now: ports.now, gapSeconds: log.gapSeconds, maxLineBytes: log.maxLineBytes,
    }, {
      event(ev) {
        if (!isMeaningful(ev)) return;
        logWriter.add(artifactId, ev);
        stored++;
      },
      problem(p) {
        problems.push(p);
        ports.onProblem?.({ path: input.path, position: p.position, message: p.message });
      },
    }, { mtime: st?.mtime ?? null });
    sum.bytes += r.digest.size;
    sum.logLines = (sum.logLines ?? 0) + r.lines;
    if (writer.hasArtifact(r.digest.sha256, input.path)) {
      writer.rollback();
      sum.unchanged++;
      return;
    }
    for (const p of problems) {
      writer.addProblem({ runId: ports.runId, path: input.path, artifactSha256: r.digest.sha256, position: p.position, offset: p.offset, message: p.message });
    }
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
