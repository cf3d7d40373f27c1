// The evidence manifest a sealed report carries: every artifact the report lists (searched or cited) with its
// path (relative to the evidence root, see seal-paths.ts), sha256 and size; the DNS answers it relied on, each
// with a sha256 of the answer itself; the store's schema version and the tool version. With the seal over the
// whole document, `verify-report` can re-hash each artifact and answer and say exactly which one differs.
// Pure: the store facts come in through ManifestFacts (read by the caller); no I/O here.

import { z } from 'zod';
import { canonicalSha256 } from './seal-canonical.js';
import { relativizePaths } from './seal-paths.js';

export const ManifestArtifactSchema = z.object({
  path: z.string().nullable(),
  sha256: z.string(),
  /** Bytes, as recorded at ingest; null when the store has no record of the artifact. */
  size: z.number().int().nonnegative().nullable(),
  kind: z.string(),
  /** True when a verdict or finding cites it; false when it was only searched (negative answers rest on those). */
  cited: z.boolean(),
});
export type ManifestArtifact = z.infer<typeof ManifestArtifactSchema>;

export const ManifestDnsSchema = z.object({
  name: z.string(),
  type: z.string(),
  status: z.string(),
  /** sha256 of the canonical JSON of {status, answer} (answer null for failures); null when not recorded. */
  answerSha256: z.string().nullable(),
});

export const ManifestSchema = z.object({
  tool: z.object({ name: z.literal('mailtrail'), version: z.string() }),
  storeSchemaVersion: z.number().int().nonnegative(),
  /** How paths are written: relative to the deepest directory holding every listed file. */
  paths: z.literal('relative-to-evidence-root'),
  artifacts: z.array(ManifestArtifactSchema),
  dns: z.array(ManifestDnsSchema),
});
export type Manifest = z.infer<typeof ManifestSchema>;

export interface DnsFact {
  status: string;
  answer: unknown;
}

/** What the store knows, handed in by the caller (cli/). */
export interface ManifestFacts {
  toolVersion: string;
  storeSchemaVersion: number;
  artifact(sha256: string): { size: number; kind: string } | null;
  dnsAnswer(name: string, type: string): DnsFact | null;
}

/** The hash that pins one DNS answer: the same whether it is read from a store or from a snapshot file. */
export function dnsAnswerSha256(f: DnsFact): string {
  return canonicalSha256({ status: f.status, answer: f.status === 'answer' ? (f.answer ?? null) : null });
}

interface ReportShape {
  evidence: Array<{ sha256: string; kind: string; path: string | null; cited: boolean }>;
  message: { copies: Array<{ artifactSha256: string; path: string }> } | null;
  dns: Array<{ name: string; type: string; status: string }>;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function buildManifest(report: ReportShape, facts: ManifestFacts): Manifest {
  const seen = new Map<string, ManifestArtifact>();
  const add = (sha256: string, path: string | null, kind: string, cited: boolean): void => {
    const k = `${path ?? ''}\u0000${sha256}`;
    const prev = seen.get(k);
    if (prev) { prev.cited ||= cited; return; }
    const rec = facts.artifact(sha256);
    seen.set(k, { path, sha256, size: rec?.size ?? null, kind: rec?.kind ?? kind, cited });
  };
  for (const e of report.evidence) add(e.sha256, e.path, e.kind, e.cited);
  for (const c of report.message?.copies ?? []) add(c.artifactSha256, c.path, 'message', true);
  const artifacts = [...seen.values()].sort((a, b) => cmp(a.path ?? '', b.path ?? '') || cmp(a.sha256, b.sha256));
  const dns = report.dns.map((d) => {
    const f = facts.dnsAnswer(d.name, d.type);
    return { name: d.name, type: d.type, status: d.status, answerSha256: f === null ? null : dnsAnswerSha256(f) };
  });
  return { tool: { name: 'mailtrail', version: facts.toolVersion }, storeSchemaVersion: facts.storeSchemaVersion, paths: 'relative-to-evidence-root', artifacts, dns };
}

/** Paths made relative to the evidence root, then the manifest attached (before the seal, which comes last). */
export function attachManifest<T extends ReportShape>(report: T, facts: ManifestFacts): Omit<T, 'manifest' | 'seal'> & { manifest: Manifest } {
  const { manifest: _m, seal: _s, ...body } = report as T & { manifest?: unknown; seal?: unknown };
  const rel = relativizePaths(body).report as unknown as T;
  return { ...rel, manifest: buildManifest(rel, facts) };
}
