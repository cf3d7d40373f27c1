// Wires the real side effects of ingest: the file-system sources, the store writer and the clock.
// Tests use it too, overriding single ports (e.g. a reader that fails mid-file).

import type { Db } from '../store/db.js';
import { EvidenceWriter } from '../store/write.js';
import type { IngestPorts } from '../ingest/ingest.js';
import { expandInputs } from '../sources/walk.js';
import { getAdapter } from '../sources/registry.js';
import { hashFile, statFile } from '../sources/file-info.js';

export function realIngestPorts(
  db: Db,
  run: { runId: number; toolVersion: string },
  hooks: Pick<IngestPorts, 'onProblem' | 'onProgress'> = {},
): IngestPorts {
  return {
    writer: new EvidenceWriter(db),
    expand: (paths, opts) => expandInputs(paths, opts),
    read: (input, opts) => getAdapter(input.kind).read(input, opts),
    stat: statFile,
    hashFile,
    now: () => new Date(),
    toolVersion: run.toolVersion,
    runId: run.runId,
    ...hooks,
  };
}
