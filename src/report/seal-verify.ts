// Re-checking a sealed report (`verify-report`): read the text, refuse what is not a report we understand (not
// JSON, cut short, not mailtrail's, a newer schemaVersion) with one clear reason, recompute the seal, then
// re-hash every artifact and DNS answer the manifest lists through ports the caller provides (a store, or an
// evidence bundle). Each difference is one line naming exactly what differs.
// Pure: the ports do the reading; no fs, clock or environment here.

import { checkSeal, type SealCheck } from './seal.js';
import { dnsAnswerSha256, type DnsFact, type ManifestArtifact } from './manifest.js';
import { INVESTIGATE_SCHEMA_VERSION } from './investigate.js';
import { SealedInvestigateReportSchema } from './seal-schema.js';

export type ReadResult = { ok: true; doc: Record<string, unknown> } | { ok: false; reason: string; hint?: string };

/** Parse report text; every refusal is one line saying what is wrong. */
export function readReportText(text: string): ReadResult {
  if (text.trim() === '') return { ok: false, reason: 'the report is empty' };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const cut = /^\s*[{[]/.test(text) && /end of (JSON )?input|Unterminated|Expected/i.test((err as Error).message);
    return cut
      ? { ok: false, reason: `the report is not complete JSON (cut short after ${Buffer.byteLength(text)} bytes?)`, hint: 'copy the whole file again; a sealed report ends with its "seal" member' }
      : { ok: false, reason: `the report is not JSON: it starts with ${JSON.stringify(text.trimStart().slice(0, 24))}` };
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return { ok: false, reason: 'not a mailtrail report: the JSON is not an object' };
  const d = doc as Record<string, unknown>;
  const tool = d['tool'] as { name?: unknown; version?: unknown } | undefined;
  if (typeof d['schemaVersion'] !== 'number' || tool?.name !== 'mailtrail') return { ok: false, reason: 'not a mailtrail report (no schemaVersion and tool "mailtrail")' };
  const v = d['schemaVersion'];
  if (v > INVESTIGATE_SCHEMA_VERSION) {
    return { ok: false, reason: `the report has schemaVersion ${v}, newer than this mailtrail reads (${INVESTIGATE_SCHEMA_VERSION})`, hint: `upgrade mailtrail (the report says it was made by mailtrail ${String(tool.version)})` };
  }
  if (v !== INVESTIGATE_SCHEMA_VERSION) return { ok: false, reason: `the report has schemaVersion ${v}, which this mailtrail does not know` };
  return { ok: true, doc: d };
}

export type ArtifactStatus = 'ok' | 'missing' | 'changed' | 'unchecked';
export interface ArtifactCheck {
  status: ArtifactStatus;
  /** What was found, when something was: its sha256 and size. */
  sha256?: string;
  size?: number;
  /** Where it was looked for or found (a file, `store blob`). */
  where: string;
  note?: string;
}

export interface VerifyPorts {
  artifact(a: ManifestArtifact): ArtifactCheck;
  /**
   * The answers the evidence holds for a name/type, newest first (a store keeps every answer recorded over time);
   * empty when it holds none. Absent port: DNS not checked.
   */
  dns?: (name: string, type: string) => DnsFact[];
  /** Every answer the evidence holds, for a redacted report whose DNS names are pseudonyms (matched by content). */
  dnsAnswers?: () => DnsFact[];
}

export interface ReportVerification {
  seal: SealCheck;
  schema: { ok: true } | { ok: false; issue: string };
  artifacts: Array<ManifestArtifact & { check: ArtifactCheck }>;
  dns: Array<{ name: string; type: string; status: 'ok' | 'differs' | 'missing' | 'unchecked' }>;
  /** One line per difference; empty when everything checked matches. */
  problems: string[];
  /**
   * 0 everything checked matches (only the seal when no evidence port was given), 1 a difference found,
   * 2 something asked for could not be checked (and nothing differed).
   */
  exitCode: 0 | 1 | 2;
}

const short = (s: string): string => s.slice(0, 12);

export function verifyReport(doc: Record<string, unknown>, ports: VerifyPorts | null): ReportVerification {
  const problems: string[] = [];
  let unchecked = false;
  const seal = checkSeal(doc);
  if (seal.status === 'mismatch') problems.push(`report edited: its content hashes to ${short(seal.computed)}…, the seal says ${short(seal.recorded)}…`);
  else if (seal.status === 'unsealed') { problems.push('report not sealed: it has no "seal" member (made before sealing, or the seal was removed)'); }
  else if (seal.status === 'malformed') problems.push(`report seal unreadable: ${seal.reason}`);
  const parsed = SealedInvestigateReportSchema.safeParse(doc);
  const issue = parsed.success ? null : parsed.error.issues[0];
  const schema = issue ? { ok: false as const, issue: `${issue.path.join('.') || '(top)'}: ${issue.message}` } : { ok: true as const };
  if (!schema.ok && seal.status === 'ok') problems.push(`report does not match the schemaVersion 1 schema at ${schema.issue}`);
  const manifest = (doc['manifest'] ?? null) as { artifacts?: ManifestArtifact[]; dns?: Array<{ name: string; type: string; status: string; answerSha256: string | null }> } | null;
  const artifacts: ReportVerification['artifacts'] = [];
  const dns: ReportVerification['dns'] = [];
  if (manifest && Array.isArray(manifest.artifacts) && ports) {
    for (const a of manifest.artifacts) {
      const check = ports.artifact(a);
      artifacts.push({ ...a, check });
      const name = a.path ?? a.sha256;
      if (check.status === 'missing') problems.push(`artifact missing: ${name} (sha256 ${short(a.sha256)}…, looked in ${check.where})`);
      else if (check.status === 'changed') problems.push(`artifact changed: ${name}: sha256 ${short(check.sha256 ?? '?')}… (${check.size ?? '?'} bytes) where the report has ${short(a.sha256)}… (${a.size ?? '?'} bytes)`);
      else if (check.status === 'unchecked') unchecked = true;
    }
  }
  const redacted = doc['redaction'] !== undefined && doc['redaction'] !== null;
  if (redacted && manifest && Array.isArray(manifest.dns) && ports?.dnsAnswers) {
    const held = new Set(ports.dnsAnswers().map(dnsAnswerSha256));
    for (const d of manifest.dns) {
      const ok = d.answerSha256 !== null && held.has(d.answerSha256);
      dns.push({ name: d.name, type: d.type, status: ok ? 'ok' : 'differs' });
      if (!ok) problems.push(`DNS answer differs: ${d.type} ${d.name}: no answer in the evidence has the content the report relied on (the report is redacted, so answers are matched by content)`);
    }
  } else if (manifest && Array.isArray(manifest.dns) && ports?.dns) {
    for (const d of manifest.dns) {
      const answers = ports.dns(d.name, d.type);
      const found = answers.find((a) => dnsAnswerSha256(a) === d.answerSha256) ?? answers[0] ?? null;
      if (found === null) {
        dns.push({ name: d.name, type: d.type, status: 'missing' });
        problems.push(`DNS answer missing: ${d.type} ${d.name} is not in the evidence`);
      } else if (d.answerSha256 === null) {
        dns.push({ name: d.name, type: d.type, status: 'unchecked' });
        unchecked = true;
      } else if (dnsAnswerSha256(found) !== d.answerSha256) {
        dns.push({ name: d.name, type: d.type, status: 'differs' });
        problems.push(`DNS answer differs: ${d.type} ${d.name}: the evidence has ${found.status === 'answer' ? 'a different answer' : found.status}, the report relied on ${d.status}`);
      } else dns.push({ name: d.name, type: d.type, status: 'ok' });
    }
  }
  if (seal.status === 'unsealed' || seal.status === 'malformed') return { seal, schema, artifacts, dns, problems, exitCode: problems.length > 1 ? 1 : 2 };
  return { seal, schema, artifacts, dns, problems, exitCode: problems.length ? 1 : unchecked ? 2 : 0 };
}
