// `mailtrail export --db case.db --out bundle/` with no question: the whole store as an evidence bundle, for an
// auditor who will ask their own questions. Every artifact the store records is written byte-exact under
// evidence/ at its path relative to the evidence root (the deepest folder holding them all, as sealed reports
// write paths), with the recorded DNS answers, the journal (secrets removed), bundle.json and SHA256SUMS; no
// report. `mailtrail investigate bundle/ --offline --message-id …` then answers from exactly this evidence, with
// the store's log clock (--year/--tz) and trust settings taken from bundle.json.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withStore } from '../store-session.js';
import { readDnsAnswers, readTrustSetting } from '../../store/dns.js';
import { readJournal, redactArgs } from '../../store/journal.js';
import { logCoverage } from '../../store/log-events.js';
import { ArtifactFacts } from '../../store/manifest-facts.js';
import { toSnapshot } from '../../auth/snapshot.js';
import { evidenceRoot, isFilePath } from '../../report/seal-paths.js';
import { formatSha256Sums } from '../../report/manifest-sums.js';
import { exportArtifact, exportExaminedFolders, listBundleFiles, reproduceArgs } from './export-bundle.js';
import { toJson, warnLine, type Ctx } from '../output.js';
import type { ExportOptions } from './export.js';

export async function runStoreExport(out: string, opts: ExportOptions, ctx: Ctx): Promise<number> {
  const result = await withStore(ctx, 'export', { mustExist: true }, (db) => {
    const facts = new ArtifactFacts(db);
    const all = facts.all();
    const files = all.filter((a) => isFilePath(a.path));
    // Maildir folders examined count as files here: an empty one has none, and it is evidence too.
    const folders = facts.maildirFolders().filter(isFilePath);
    const root = evidenceRoot([...files.map((a) => a.path), ...folders]);
    mkdirSync(out, { recursive: true });
    const failed: string[] = [];
    let written = 0;
    const seen = new Set<string>();
    for (const a of all) {
      if (!isFilePath(a.path)) { failed.push(`${a.path}: ${a.kind === 'imap' ? 'an IMAP folder has no file to export' : 'read from stdin: no file to export'}`); continue; }
      const rel = a.path.replace(/\\/g, '/').slice(root.length);
      if (seen.has(rel)) continue; // the same path re-ingested after it changed: the newest bytes are at that path
      seen.add(rel);
      const r = exportArtifact(facts, { path: rel, sha256: a.sha256, size: a.size, kind: a.kind, cited: false }, path.join(out, 'evidence'));
      if (r.ok) written++;
      else failed.push(`${a.path}: ${r.reason}`);
    }
    exportExaminedFolders(facts, root, path.join(out, 'evidence'));
    writeFileSync(path.join(out, 'dns-snapshot.json'), toJson(toSnapshot(readDnsAnswers(db))), { flag: 'wx' });
    const journal = readJournal(db).map((j) => ({ ...j, args: redactArgs(j.args) }));
    writeFileSync(path.join(out, 'journal.json'), toJson({ schemaVersion: 1, entries: journal }), { flag: 'wx' });
    const times = logCoverage(db).map((c) => c.timeAssumption).filter((t): t is string => t !== null);
    const repro = reproduceArgs({ ...(opts.expectDomain ? { expectDomain: opts.expectDomain } : {}) }, times, [...(opts.trust ?? []), ...readTrustSetting(db)]);
    writeFileSync(path.join(out, 'bundle.json'), toJson({
      bundleVersion: 1,
      tool: { name: 'mailtrail', version: ctx.toolVersion },
      report: null, evidence: 'evidence', dnsSnapshot: 'dns-snapshot.json', journal: 'journal.json',
      reproduce: { cwd: 'this folder, with a new store (--db)', args: repro.args, expect: 'the store had no report: add the question (--message-id, or --from/--to with --around), or none when the evidence holds one message' },
      notExported: failed,
    }), { flag: 'wx' });
    writeFileSync(path.join(out, 'SHA256SUMS'), formatSha256Sums(listBundleFiles(out, 'SHA256SUMS')), { flag: 'wx' });
    return { exitCode: failed.length ? 2 : 0, failed, written, total: all.length, warnings: repro.warnings, summary: { artifacts: all.length, notExported: failed.length } };
  });
  for (const f of result.failed) warnLine(ctx, `artifact not exported: ${f}`);
  for (const w of result.warnings) warnLine(ctx, w);
  if (!ctx.config.quiet) ctx.io.err(`mailtrail: store bundle written to ${out}: ${result.written} of ${result.total} artifact(s), no report (no question given)\n`);
  return result.exitCode;
}
