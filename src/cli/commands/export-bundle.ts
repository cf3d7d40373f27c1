// File work for `export`: write one evidence artifact byte-exact under the bundle's evidence/ folder (with its
// recorded mtime, and the Maildir cur/ new/ folders around a Maildir message so a re-ingest sees the same
// folder), list every file for SHA256SUMS, and the command line that reproduces the report from the bundle.

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { ArtifactFacts } from '../../store/manifest-facts.js';
import type { ManifestArtifact } from '../../report/manifest.js';
import { isSafeRelativePath, type SumEntry } from '../../report/manifest-sums.js';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

export type ExportOutcome = { ok: true; from: string } | { ok: false; reason: string };

/** Copy one manifest artifact into `evidenceDir`, from the store's kept bytes or the file recorded at ingest. */
export function exportArtifact(facts: ArtifactFacts, a: ManifestArtifact, evidenceDir: string): ExportOutcome {
  if (a.path === null || !isSafeRelativePath(a.path)) return { ok: false, reason: `its path ${JSON.stringify(a.path)} is not relative to the evidence root (stdin, IMAP, or files with no common folder)` };
  const records = facts.records(a.sha256);
  if (records.length === 0) return { ok: false, reason: 'the store has no record of it' };
  let bytes: Buffer | null = null;
  let from = 'the store';
  const kept = facts.keptBytes(a.sha256);
  if (kept && sha(kept) === a.sha256) bytes = kept;
  const tried: string[] = [];
  for (const r of bytes ? [] : records) {
    try {
      const b = readFileSync(r.path);
      if (sha(b) === a.sha256) { bytes = b; from = r.path; break; }
      tried.push(`${r.path} (changed since ingest: sha256 ${sha(b).slice(0, 12)}…)`);
    } catch (err) {
      tried.push(`${r.path} (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    }
  }
  if (bytes === null) return { ok: false, reason: `the store does not keep its bytes, and the file is gone or changed: ${tried.join('; ')}` };
  const file = path.join(evidenceDir, a.path);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, bytes, { flag: 'wx' });
  const mtime = records.find((r) => r.mtime !== null)?.mtime;
  if (mtime) utimesSync(file, new Date(mtime), new Date(mtime));
  if (records.some((r) => r.kind === 'maildir')) maildirSkeleton(file);
  return { ok: true, from };
}

/**
 * A Maildir message is at MAILDIR/cur/x or MAILDIR/new/x; the walk is surest of MAILDIR when both cur/ and new/
 * exist, and reads a Maildir++ `.Folder` as one when its parent is a Maildir too. Empty folders hold `.keep`
 * (Maildir readers skip dot files) so copies and archives that drop empty folders keep them.
 */
function maildirSkeleton(file: string): void {
  const sub = path.dirname(file);
  if (!['cur', 'new'].includes(path.basename(sub))) return;
  const maildir = path.dirname(sub);
  const dirs = [maildir];
  if (path.basename(maildir).startsWith('.')) dirs.push(path.dirname(maildir));
  for (const d of dirs) for (const s of ['cur', 'new', 'tmp']) keepDir(path.join(d, s));
}

/**
 * The evidence root of a sealed report's paths, found from an exported artifact: its recorded path ends with its
 * report path. Null when no artifact shows it.
 */
export function reportRoot(facts: ArtifactFacts, artifacts: readonly ManifestArtifact[]): string | null {
  for (const a of artifacts) {
    if (a.path === null || !isSafeRelativePath(a.path)) continue;
    const rel = a.path;
    const rec = facts.records(a.sha256).map((r) => r.path.replace(/\\/g, '/')).find((p) => p === rel || p.endsWith(`/${rel}`));
    if (rec !== undefined) return rec.slice(0, rec.length - rel.length);
  }
  return null;
}

/**
 * The Maildir folders the store records as examined (empty ones included) that lie under `root`, laid out again
 * under `evidenceDir` as Maildirs (`.keep` in each empty subfolder), so a replay finds that a mailbox was looked at
 * just as the original did. Returns the folders laid out, relative to the root.
 */
export function exportExaminedFolders(facts: ArtifactFacts, root: string, evidenceDir: string): string[] {
  const out: string[] = [];
  for (const dir of facts.maildirFolders()) {
    const p = dir.replace(/\\/g, '/');
    if (!p.startsWith(root)) continue;
    const rel = p.slice(root.length);
    if (rel === '' || !isSafeRelativePath(rel)) continue;
    for (const s of ['cur', 'new', 'tmp']) keepDir(path.join(evidenceDir, rel, s));
    out.push(rel);
  }
  return out;
}

/** An empty-or-not directory that survives copies which drop empty ones: `.keep` when it holds nothing else. */
function keepDir(d: string): void {
  mkdirSync(d, { recursive: true });
  const keep = path.join(d, '.keep');
  if (readdirSync(d).length === 0 && !existsSync(keep)) writeFileSync(keep, '');
}

/** Every file under `dir` (relative, `/`-separated), hashed, for SHA256SUMS; `skip` is left out. */
export function listBundleFiles(dir: string, skip: string): SumEntry[] {
  const out: SumEntry[] = [];
  const walk = (rel: string): void => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) walk(r);
      else if (e.isFile() && r !== skip) out.push({ path: r, sha256: sha(readFileSync(path.join(dir, r))) });
    }
  };
  walk('');
  return out;
}

export interface QuestionArgs {
  messageId?: string; sha256?: string; from?: string; to?: string; subject?: string; around?: string; since?: string; until?: string;
  expectDomain?: string[]; at?: string;
}

/**
 * The investigate arguments that rebuild the report from the bundle (run inside the bundle folder): the question,
 * the log clock that was given at ingest (read back from each log's timeAssumption), trust and expectations.
 */
export function reproduceArgs(q: QuestionArgs, timeAssumptions: string[], trust: string[]): { args: string[]; warnings: string[] } {
  const warnings: string[] = [];
  const years = new Set<string>(), zones = new Set<string>();
  for (const t of timeAssumptions) {
    const y = /^year (\d{4}) \(--year\)/.exec(t);
    if (y) years.add(y[1]!);
    const z = /zone (\S+) \(--tz\)$/.exec(t);
    if (z) zones.add(z[1]!);
  }
  if (years.size > 1 || zones.size > 1) warnings.push(`the logs were ingested with different clocks (${[...years, ...zones].join(', ')}); one investigate command cannot reproduce that: ingest each log with its own --year/--tz first`);
  const opt = (name: string, v: string | undefined): string[] => (v === undefined ? [] : [name, v]);
  const args = [
    'investigate', 'evidence', '--dns-snapshot', 'dns-snapshot.json',
    ...(years.size === 1 ? ['--year', [...years][0]!] : []), ...(zones.size === 1 ? ['--tz', [...zones][0]!] : []),
    ...opt('--message-id', q.messageId), ...opt('--sha256', q.sha256), ...opt('--from', q.from), ...opt('--to', q.to), ...opt('--subject', q.subject),
    ...opt('--around', q.around), ...opt('--since', q.since), ...opt('--until', q.until),
    ...[...new Set(trust)].flatMap((t) => ['--trust', t]), ...(q.expectDomain ?? []).flatMap((d) => ['--expect-domain', d]), ...opt('--at', q.at),
    '--json',
  ];
  return { args, warnings };
}
