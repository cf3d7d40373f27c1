// `mailtrail export --db case.db --out bundle/ <question>`: the evidence bundle an auditor can re-run. Without a
// question, the whole store (export-store.ts). With one, it takes the same question as investigate, answers it
// from the store with DNS from the bundle's own snapshot, and writes:
//   report.json        the sealed report, byte-identical to `investigate --json` with the same options
//   evidence/…         every artifact the report lists, byte-exact, at its report path (relative to the root)
//   dns-snapshot.json  the DNS answers (the --dns-snapshot given, else those recorded in the store)
//   journal.json       every command run against the store (secrets removed)
//   bundle.json        what is where, and the investigate arguments that reproduce report.json
//   SHA256SUMS         every file above (`sha256sum -c SHA256SUMS`)
// Exit 0 complete; 2 usage error, or an artifact could not be exported (the rest is written; named on stderr).

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MailtrailError } from '../../errors.js';
import { openStore } from '../../store/db.js';
import { withStore } from '../store-session.js';
import { readDnsAnswers, readTrustSetting } from '../../store/dns.js';
import { readJournal, redactArgs } from '../../store/journal.js';
import { ArtifactFacts } from '../../store/manifest-facts.js';
import { toSnapshot } from '../../auth/snapshot.js';
import { SealedInvestigateReportSchema } from '../../report/seal-schema.js';
import { formatSha256Sums } from '../../report/manifest-sums.js';
import { buildQuestion, runInvestigate, type InvestigateCliOptions } from './investigate.js';
import { exportArtifact, exportExaminedFolders, listBundleFiles, reportRoot, reproduceArgs } from './export-bundle.js';
import { runStoreExport } from './export-store.js';
import { toJson, warnLine, type Ctx } from '../output.js';

export interface ExportOptions extends InvestigateCliOptions {
  out?: string;
}

export async function runExport(opts: ExportOptions, ctx: Ctx): Promise<number> {
  if (opts.out === undefined) throw new MailtrailError('USAGE', 'export needs --out DIR (a new or empty folder)');
  const asked = [opts.messageId, opts.from, opts.to, opts.subject, opts.around, opts.since, opts.until].some((v) => v !== undefined);
  if (asked) buildQuestion(opts); // usage errors before anything is written
  const out = opts.out;
  if (existsSync(out) && readdirSync(out).length > 0) throw new MailtrailError('USAGE', 'the --out folder is not empty: an evidence bundle is never written over other files', { where: out });
  if (!asked) return runStoreExport(out, opts, ctx);
  const created = !existsSync(out);

  // 1. The DNS answers the bundle carries; the report is then built from exactly these.
  const db0 = openStore(ctx.config.db, { readonly: true });
  let snapshot: Buffer, trust: string[];
  try {
    trust = readTrustSetting(db0);
    snapshot = opts.dnsSnapshot !== undefined ? readSnapshotFile(opts.dnsSnapshot) : Buffer.from(toJson(toSnapshot(readDnsAnswers(db0))));
  } finally {
    db0.close();
  }
  mkdirSync(out, { recursive: true });
  const snapFile = path.join(out, 'dns-snapshot.json');
  writeFileSync(snapFile, snapshot);

  // 2. The report: investigate itself, output captured, so the bytes are what `investigate --json` prints.
  let reportText = '';
  const capture: Ctx = { ...ctx, io: { ...ctx.io, out: (s) => { reportText += s; } } };
  const investigateOpts: InvestigateCliOptions = { ...opts, dnsSnapshot: snapFile, offline: false, json: true, jsonl: false };
  const cleanUp = (): void => { if (created) rmSync(out, { recursive: true, force: true }); else rmSync(snapFile, { force: true }); };
  let investigated: number;
  try {
    investigated = await runInvestigate([], investigateOpts, capture);
  } catch (err) {
    cleanUp();
    throw err;
  }
  if (reportText === '') {
    cleanUp();
    warnLine(ctx, 'no report to export: nothing was written');
    return 2;
  }
  const report = SealedInvestigateReportSchema.parse(JSON.parse(reportText));

  // 3. Artifacts, journal, bundle.json, SHA256SUMS; the export itself is journaled.
  const result = await withStore(ctx, 'export', { mustExist: true }, (db) => {
    const facts = new ArtifactFacts(db);
    const failed: string[] = [];
    for (const a of report.manifest.artifacts) {
      const r = exportArtifact(facts, a, path.join(out, 'evidence'));
      if (!r.ok) failed.push(`${a.path ?? a.sha256}: ${r.reason}`);
    }
    // Empty Maildir folders carry no artifact, but "a mailbox was looked at" shapes the verdicts: laid out too.
    const root = reportRoot(facts, report.manifest.artifacts);
    if (root !== null) exportExaminedFolders(facts, root, path.join(out, 'evidence'));
    writeFileSync(path.join(out, 'report.json'), reportText, { flag: 'wx' });
    const journal = readJournal(db).map((j) => ({ ...j, args: redactArgs(j.args) }));
    writeFileSync(path.join(out, 'journal.json'), toJson({ schemaVersion: 1, entries: journal }), { flag: 'wx' });
    const times = report.evidence.map((e) => e.coverage?.timeAssumption ?? null).filter((t): t is string => t !== null);
    const repro = reproduceArgs(opts, times, [...(opts.trust ?? []), ...trust]);
    writeFileSync(path.join(out, 'bundle.json'), toJson({
      bundleVersion: 1,
      tool: { name: 'mailtrail', version: ctx.toolVersion },
      report: 'report.json', reportSeal: report.seal.sha256, evidence: 'evidence', dnsSnapshot: 'dns-snapshot.json', journal: 'journal.json',
      reproduce: { cwd: 'this folder, with a new store (--db)', args: repro.args, expect: 'stdout equal to report.json, byte for byte' },
      notExported: failed,
    }), { flag: 'wx' });
    writeFileSync(path.join(out, 'SHA256SUMS'), formatSha256Sums(listBundleFiles(out, 'SHA256SUMS')), { flag: 'wx' });
    return { exitCode: failed.length ? 2 : investigated, failed, warnings: repro.warnings, summary: { artifacts: report.manifest.artifacts.length, notExported: failed.length } };
  });
  for (const f of result.failed) warnLine(ctx, `artifact not exported: ${f}`);
  for (const w of result.warnings) warnLine(ctx, w);
  if (!ctx.config.quiet) ctx.io.err(`mailtrail: bundle written to ${out}: ${report.manifest.artifacts.length - result.failed.length} of ${report.manifest.artifacts.length} artifact(s), report sealed ${report.seal.sha256.slice(0, 12)}…\n`);
  return result.exitCode;
}

function readSnapshotFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new MailtrailError('IO', `cannot read the DNS snapshot (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { where: file });
  }
}
