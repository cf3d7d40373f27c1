// `mailtrail sources`: what is in the evidence store, with hashes and coverage.

import { schemaVersion } from '../../store/db.js';
import { withStore } from '../store-session.js';
import { countMessages, listMaildirFolders, listSources, type ExaminedFolder, type SourceRow } from '../../store/read.js';
import { formatTime } from '../../report/format.js';
import Table from 'cli-table3';
import { fitColumns, neutralizeControls, wrapCell, outputFormat, toJson, toJsonl, type Ctx } from '../output.js';

export interface SourcesCliOptions {
  json?: boolean;
  jsonl?: boolean;
}

export function sourcesDocument(rows: SourceRow[], messages: number, storeSchema: number, folders: ExaminedFolder[] = []) {
  return {
    schemaVersion: 1 as const,
    store: { schemaVersion: storeSchema },
    sources: rows.map((r) => ({
      path: r.path,
      kind: r.kind,
      sha256: r.sha256,
      size: r.size,
      messages: r.messages,
      events: r.events,
      folder: r.folder,
      mtime: r.mtime,
      ingestedAt: r.ingestedAt,
      toolVersion: r.toolVersion,
      warnings: r.warnings,
      errors: r.errors,
      coverage: { from: r.coverageFrom, to: r.coverageTo, gaps: r.gaps, timeAssumption: r.timeAssumption },
    })),
    totals: { sources: rows.length, messages },
    /** Maildir folders ingests walked, each as last examined, empty ones included (they hold no source). */
    maildirFolders: folders,
  };
}

export async function runSources(opts: SourcesCliOptions, ctx: Ctx): Promise<number> {
  const fmt = outputFormat(opts);
  const { doc } = await withStore(ctx, 'sources', { mustExist: true }, (db) => ({
    exitCode: 0,
    doc: sourcesDocument(listSources(db), countMessages(db), schemaVersion(db), listMaildirFolders(db)),
  }));
  if (fmt === 'json') ctx.io.out(toJson(doc));
  else if (fmt === 'jsonl') ctx.io.out(toJsonl([...doc.sources.map((s) => ({ type: 'source', ...s })), ...doc.maildirFolders.map((f) => ({ type: 'maildir-folder', ...f })), { type: 'summary', schemaVersion: 1, ...doc.totals }]));
  else {
    const head = ['kind', 'sha256', 'bytes', 'items', 'coverage (UTC)', 'err'];
    const details = doc.sources.map((s) => [
      s.kind,
      s.sha256.slice(0, 12),
      String(s.size),
      s.events === null ? `${s.messages} msg` : `${s.events} ev`,
      (s.coverage.from ? `${formatTime(s.coverage.from)} –\n${formatTime(s.coverage.to)}` : '-') +
        (s.coverage.gaps ? `\n${s.coverage.gaps} gap(s)` : '') +
        (s.coverage.timeAssumption ? (s.coverage.timeAssumption.startsWith('zone ') ? '\n(zone assumed)' : '\n(year/zone assumed)') : ''),
      String(s.errors),
    ]);
    const widths = fitColumns(head, details, ctx.config.columns);
    const inner = widths.reduce((a, b) => a + b, 0) + widths.length - 1 - 2;
    const table = new Table({ head, colWidths: widths, style: { head: [], border: [] }, wordWrap: false });
    doc.sources.forEach((s, i) => {
      // The path gets a row of its own: it is the longest thing and the one an auditor reads first.
      table.push([{ colSpan: head.length, content: wrapCell(neutralizeControls(s.folder ? `${s.path}  [${s.folder}]` : s.path), inner) }]);
      table.push(details[i]!.map((t, c) => (c === 5 && t !== '0' ? ctx.chalk.red(t) : t)));
    });
    const folders = doc.maildirFolders;
    const empty = folders.filter((f) => f.messages === 0).length;
    const examined = folders.length ? `${folders.length} Maildir folder(s) examined, ${empty} of them empty when walked (--json lists them)\n` : '';
    ctx.io.out(`${table.toString()}\n${doc.totals.sources} source(s), ${doc.totals.messages} distinct message(s); store schema v${doc.store.schemaVersion}\n${examined}`);
  }
  return 0;
}
