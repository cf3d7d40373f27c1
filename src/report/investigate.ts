// The investigate report (`investigate --json`): question, message, the three verdicts, a timeline across all
// sources, findings, the evidence (every artifact searched or cited, with what each log covers) and caveats.
// Validated against InvestigateReportSchema before printing. Pure and deterministic: no wall clock, stable
// key order and stable sorting, so the same store and question give the same bytes.

import { z } from 'zod';
import type { CaseFacts } from '../verdict/investigate.js';
import type { Candidate } from '../correlate/question.js';
import { ArrivedVerdictSchema, EvidenceRefSchema, FindingSchema, InvestigateSenderSchema, SentVerdictSchema, locationLocator, type EvidenceRef } from '../verdict/evidence-types.js';
import { folderOf } from '../verdict/folders.js';
import { buildTimeline, TimelineEntrySchema } from './investigate-timeline.js';
import { RedactionSchema } from './redact-schema.js';

export const INVESTIGATE_SCHEMA_VERSION = 1;

const QuestionSchema = z.object({
  messageId: z.string().nullable(), from: z.string().nullable(), to: z.string().nullable(), subject: z.string().nullable(),
  around: z.string().nullable(), since: z.string().nullable(), until: z.string().nullable(),
  /** Only when the question named a stored message by the sha256 of its bytes. */
  sha256: z.string().optional(),
});

const MessageSchema = z.object({
  messageId: z.string().nullable(),
  from: z.string().nullable(),
  to: z.array(z.string()),
  subject: z.string().nullable(),
  date: z.string().nullable(),
  copies: z.array(z.object({ sha256: z.string(), artifactSha256: z.string(), path: z.string(), folder: z.string().nullable(), role: z.enum(['sender', 'recipient', 'loose']), locator: z.string() })),
});

const SourceSchema = z.object({
  sha256: z.string(),
  kind: z.string(),
  path: z.string().nullable(),
  cited: z.boolean(),
  /** For logs: the time span searched, its gaps and the year/zone assumed. */
  coverage: z.object({ from: z.string().nullable(), to: z.string().nullable(), gaps: z.array(z.object({ from: z.string(), to: z.string() })), timeAssumption: z.string().nullable() }).nullable(),
  /** For logs: whose server it is, as judged from what it did for this message's domains. */
  side: z.enum(['sender', 'receiver', 'both', 'other']).nullable(),
});

export const InvestigateReportSchema = z.object({
  schemaVersion: z.literal(INVESTIGATE_SCHEMA_VERSION),
  tool: z.object({ name: z.literal('mailtrail'), version: z.string() }),
  question: QuestionSchema,
  message: MessageSchema.nullable(),
  verdicts: z.object({ sent: SentVerdictSchema, arrived: ArrivedVerdictSchema, sender: InvestigateSenderSchema }),
  timeline: z.array(TimelineEntrySchema),
  findings: z.array(FindingSchema),
  evidence: z.array(SourceSchema),
  dns: z.array(z.object({ name: z.string(), type: z.string(), status: z.string(), source: z.string() })),
  caveats: z.array(z.string()),
  /** Present when names were replaced by keyed pseudonyms (`--redact`, src/report/redact.ts). */
  redaction: RedactionSchema.optional(),
});
export type InvestigateReport = z.infer<typeof InvestigateReportSchema>;

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function buildInvestigateReport(f: CaseFacts, toolVersion: string): InvestigateReport {
  const c = f.candidate;
  const refs: EvidenceRef[] = [
    ...f.sent.evidence, ...f.arrived.evidence, ...f.sender.evidence, ...f.findings.flatMap((x) => x.evidence),
  ];
  const cited = new Set(refs.map((r) => r.sha256));
  const sources = new Map<string, z.infer<typeof SourceSchema>>();
  for (const cov of f.coverage) {
    const s = f.sendingLogs.has(cov.artifactId), r = f.receivingLogs.has(cov.artifactId);
    sources.set(`${cov.path}\u0000${cov.sha256}`, {
      sha256: cov.sha256, kind: 'log', path: cov.path, cited: cited.has(cov.sha256),
      coverage: { from: cov.first, to: cov.last, gaps: cov.gaps.map((g) => ({ from: g.from, to: g.to })), timeAssumption: cov.timeAssumption },
      side: s && r ? 'both' : s ? 'sender' : r ? 'receiver' : 'other',
    });
  }
  for (const x of f.copies) {
    const k = `${x.loc.artifactPath}\u0000${x.loc.artifactSha256}`;
    if (!sources.has(k)) sources.set(k, { sha256: x.loc.artifactSha256, kind: x.loc.imap ? 'imap' : x.loc.kind, path: x.loc.artifactPath, cited: true, coverage: null, side: null });
  }
  for (const r of refs) {
    if ([...sources.values()].some((s) => s.sha256 === r.sha256)) continue;
    sources.set(`${r.path ?? ''}\u0000${r.sha256}`, { sha256: r.sha256, kind: r.kind, path: r.path, cited: true, coverage: null, side: null });
  }
  const evidence = [...sources.entries()].sort(([a], [b]) => cmp(a, b)).map(([, v]) => v);

  const message = c === null ? null : {
    messageId: c.messageId === null ? null : `<${c.messageId.replace(/^<|>$/g, '')}>`,
    from: c.from, to: c.to, subject: c.subject, date: c.copies[0]?.date ?? c.time,
    copies: f.copies.map((x) => ({ sha256: x.copy.sha256, artifactSha256: x.loc.artifactSha256, path: x.loc.artifactPath, folder: folderOf(x.loc), role: x.role, locator: locationLocator(x.loc) }))
      .sort((a, b) => cmp(a.path, b.path) || cmp(a.sha256, b.sha256)),
  };
  const dns = (f.verified?.doc.dns ?? []).map((d) => ({ name: d.name, type: d.type, status: d.status, source: d.source }))
    .sort((a, b) => cmp(a.name, b.name) || cmp(a.type, b.type));
  const report: InvestigateReport = {
    schemaVersion: INVESTIGATE_SCHEMA_VERSION,
    tool: { name: 'mailtrail', version: toolVersion },
    question: f.question,
    message,
    verdicts: { sent: f.sent, arrived: f.arrived, sender: f.sender },
    timeline: buildTimeline(f),
    findings: f.findings,
    evidence,
    dns: dedupe(dns),
    caveats: f.caveats,
  };
  return InvestigateReportSchema.parse(report);
}

function dedupe<T>(xs: T[]): T[] {
  const seen = new Set<string>();
  return xs.filter((x) => { const k = JSON.stringify(x); if (seen.has(k)) return false; seen.add(k); return true; });
}

/**
 * One line per candidate, for "several messages match: choose one"; one without a Message-ID shows the sha256 prefix
 * that `--sha256` asks about it by.
 */
export function candidateLines(cs: Candidate[]): string[] {
  return cs.map((c) => {
    const sha = c.messageId === null && c.copies[0] ? `  sha256 ${c.copies[0].sha256.slice(0, 12)}` : '';
    return `${c.time ?? '?'}  ${c.messageId ? `<${c.messageId}>` : '(no Message-ID)'}  ${c.from ?? '?'} → ${c.to.join(', ') || '?'}${c.subject ? `  "${c.subject}"` : ''}${sha}`;
  });
}

export { EvidenceRefSchema };
