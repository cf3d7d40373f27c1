// Shared shapes of the investigate work: the evidence a verdict cites (artifact sha256 + locator + claim), the
// three verdicts and findings as zod schemas (the report embeds them), and the plain data the store hands in
// (stored copies with their locations, log-side rows). Pure data: no behaviour beyond small constructors.

import { z } from 'zod';
import type { ImapFacts } from '../model/imap.js';
import type { StoredLogEvent } from '../correlate/types.js';

export const ConfidenceSchema = z.enum(['proven', 'strong', 'weak', 'none']);
export type Confidence = z.infer<typeof ConfidenceSchema>;

/** One cited piece of evidence: which artifact (sha256, path), where in it, and the claim it supports. */
export const EvidenceRefSchema = z.object({
  sha256: z.string(),
  kind: z.enum(['log', 'message', 'mailbox', 'imap', 'report']),
  path: z.string().nullable(),
  /** `line 18 @ byte 1873`, `header #3 (Received)`, `Junk (Maildir new/)`, `INBOX UIDVALIDITY 7 UID 12`. */
  locator: z.string(),
  claim: z.string(),
});
export type EvidenceRef = z.infer<typeof EvidenceRefSchema>;

export const SENT_STAGES = ['sent-folder-copy', 'accepted', 'deferred', 'relayed', 'delivered', 'bounced', 'expired'] as const;
export type SentStage = (typeof SENT_STAGES)[number];

export const SentVerdictSchema = z.object({
  answer: z.enum(['yes', 'no', 'undetermined']),
  stage: z.enum(SENT_STAGES).nullable(),
  confidence: ConfidenceSchema,
  summary: z.string(),
  evidence: z.array(EvidenceRefSchema),
});
export type SentVerdict = z.infer<typeof SentVerdictSchema>;

export const ArrivedVerdictSchema = z.object({
  answer: z.enum(['yes', 'no', 'undetermined']),
  outcome: z.enum(['delivered', 'bounced', 'deferred', 'rejected', 'not-found']),
  folder: z.string().nullable(),
  confidence: ConfidenceSchema,
  summary: z.string(),
  evidence: z.array(EvidenceRefSchema),
});
export type ArrivedVerdict = z.infer<typeof ArrivedVerdictSchema>;

export const InvestigateSenderSchema = z.object({
  answer: z.enum(['authenticated', 'forged', 'unverified']),
  /** The domain proven (authenticated) or impersonated (forged); null when nothing is proven. */
  domain: z.string().nullable(),
  confidence: ConfidenceSchema,
  summary: z.string(),
  evidence: z.array(EvidenceRefSchema),
});
export type InvestigateSender = z.infer<typeof InvestigateSenderSchema>;

export const FINDING_KINDS = [
  'recipient-mistyped', 'other-recipient', 'filed-to-junk', 'spam-verdict', 'opened', 'read-receipt', 'delivery-dsn',
  'bounce', 'deferred', 'deleted-after-delivery', 'clock-skew', 'hop-delay', 'contradiction', 'sent-folder-copy-only',
  'several-folders', 'authenticated-submission', 'submitted-by-other-login', 'feedback-report', 'marked-junk',
  'marked-deleted',
] as const;
export const FindingSchema = z.object({
  kind: z.enum(FINDING_KINDS),
  severity: z.enum(['info', 'warning', 'high']),
  summary: z.string(),
  evidence: z.array(EvidenceRefSchema),
});
export type Finding = z.infer<typeof FindingSchema>;

export type { ImapFacts };

export interface CopyLocation {
  artifactSha256: string;
  artifactPath: string;
  kind: string;
  index: number;
  offset: number;
  folder: string | null;
  maildirFlags: string | null;
  maildirSubdir: string | null;
  imap: ImapFacts | null;
}

/** A stored message (one sha256) and every place it was found. Addresses lower-cased. */
export interface StoredCopy {
  rowId: number;
  sha256: string;
  messageId: string | null;
  from: string | null;
  to: string[];
  subject: string | null;
  date: string | null;
  hasBody: boolean;
  locations: CopyLocation[];
}

export interface SideRow {
  artifactId: number;
  sha256: string;
  path: string;
  role: 'out' | 'in';
  addr: string;
}

/** Cite a log line. */
export function logRef(e: StoredLogEvent, claim: string): EvidenceRef {
  const off = e.offsetsIn === 'decompressed' ? `byte ${e.offset} of the decompressed stream` : `byte ${e.offset}`;
  return { sha256: e.sha256, kind: 'log', path: e.path, locator: `line ${e.line} @ ${off}`, claim };
}

/** Where a stored copy sits, as a locator. */
export function locationLocator(l: CopyLocation): string {
  if (l.imap) return `${l.imap.account} ${l.imap.folder} UIDVALIDITY ${l.imap.uidValidity} UID ${l.imap.uid}`;
  if (l.kind === 'mbox') return `message #${l.index} @ byte ${l.offset}`;
  if (l.kind === 'emlx') return `emlx message @ byte ${l.offset}`;
  if (l.kind === 'maildir') return `Maildir folder ${l.folder ?? 'INBOX'}${l.maildirSubdir ? ` (${l.maildirSubdir}/)` : ''}`;
  return l.kind;
}

export function copyRef(l: CopyLocation, claim: string): EvidenceRef {
  return { sha256: l.artifactSha256, kind: l.imap ? 'imap' : 'mailbox', path: l.artifactPath, locator: locationLocator(l), claim };
}

/**
 * Cite something inside a stored copy (a header, a signature): always the artifact that holds the copy (its
 * sha256 and path, as the report's `evidence` lists it), where the copy sits in it, then where in the copy —
 * never the bare message hash, which names no file a reader could open.
 */
export function inCopy(l: CopyLocation, within: string, claim: string): EvidenceRef {
  const r = copyRef(l, claim);
  return { ...r, locator: `${r.locator}, ${within}` };
}
