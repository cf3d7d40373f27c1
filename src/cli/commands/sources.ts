// `mailtrail sources`: what is in the evidence store, with hashes and coverage.

import { schemaVersion } from '../../store/db.js';
import { withStore } from '../store-session.js';
import { countMessages, listSources, type SourceRow } from '../../store/read.js';
import { formatTime } from '../../report/format.js';
import { makeTable, outputFormat, toJson, toJsonl, type Ctx } from '../output.js';

export interface SourcesCliOptions {
  json?: boolean;
  jsonl?: boolean;
}

export function sourcesDocument(rows: SourceRow[], messages: number, storeSchema: number) {
  return {
    schemaVersion: 1 as const,
    store: { schemaVersion: storeSchema },
    sources: rows.map((r) => ({
      path: r.path,
      kind: r.kind,
      sha256: r.sha256,
      size: r.size,
      messages: r.messages,
      folder: r.folder,
      mtime: r.mtime,
      ingestedAt: r.ingestedAt,
      toolVersion: r.toolVersion,
      warnings: r.warnings,
      errors: r.errors,
      coverage: { from: r.coverageFrom, to: r.coverageTo },
    })),
    totals: { sources: rows.length, messages },
  };
}

export async function runSources(opts: SourcesCliOptions, ctx: Ctx): Promise<number> {
  const fmt = outputFormat(opts);
  const { doc } = await withStore(ctx, 'sources', { mustExist: true }, (db) => ({
    exitCode: 0,
    doc: sourcesDocument(listSources(db), countMessages(db), schemaVersion(db)),
  }));
  if (fmt === 'json') ctx.io.out(toJson(doc));
  else if (fmt === 'jsonl') ctx.io.out(toJsonl([...doc.sources.map((s) => ({ type: 'source', ...s })), { type: 'summary', schemaVersion: 1, ...doc.totals }]));
  else {
    const table = makeTable(['path', 'kind', 'sha256', 'size', 'msgs', 'coverage (UTC)', 'err']);
    for (const s of doc.sources) {
      const cov = s.coverage.from ? `${formatTime(s.coverage.from)} – ${formatTime(s.coverage.to)}` : '-';
      table.push([s.folder ? `${s.path} (${s.folder})` : s.path, s.kind, s.sha256.slice(0, 12), String(s.size), String(s.messages), cov, s.errors ? ctx.chalk.red(String(s.errors)) : '0']);
    }
    ctx.io.out(`${table.toString()}\n${doc.totals.sources} source(s), ${doc.totals.messages} distinct message(s); store schema v${doc.store.schemaVersion}\n`);
  }
  return 0;
}
