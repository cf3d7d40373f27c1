// The seal of a report: a sha256 over the report's own canonical JSON, so any edit after sealing is detectable.
// Works on any JSON report object (investigate, and the HTML/Markdown/redacted variants built from it):
//   canonical form = RFC 8785 (JCS) text of the document with its top-level "seal" member removed
//   seal.sha256    = lower-case hex sha256 of that text's UTF-8 bytes.
// Seal LAST: after the manifest is attached and after any redaction, since every later change breaks it.
// Pure: no I/O, no clock, no environment.

import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson, canonicalSha256, CanonicalJsonError } from './seal-canonical.js';

export const SEAL_CANONICALIZATION = 'RFC8785-JCS, top-level "seal" member removed';

export const SealSchema = z.object({
  algorithm: z.literal('sha256'),
  canonicalization: z.literal(SEAL_CANONICALIZATION),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type Seal = z.infer<typeof SealSchema>;

type JsonObject = Record<string, unknown>;

/** The document without its seal (a shallow copy; key order kept). */
export function withoutSeal<T extends object>(doc: T): Omit<T, 'seal'> {
  const { seal: _seal, ...rest } = doc as T & { seal?: unknown };
  return rest;
}

/** A copy of `doc` with a fresh seal as its last member (an existing seal is replaced, not trusted). */
export function sealReport<T extends object>(doc: T): Omit<T, 'seal'> & { seal: Seal } {
  const body = withoutSeal(doc);
  return { ...body, seal: { algorithm: 'sha256', canonicalization: SEAL_CANONICALIZATION, sha256: canonicalSha256(body) } };
}

/** The canonical text the seal covers (for `verify-report --json` and for people checking by hand). */
export function sealedText(doc: object): string {
  return canonicalJson(withoutSeal(doc));
}

export type SealCheck =
  | { status: 'ok'; sha256: string; bytes: number }
  | { status: 'unsealed' }
  | { status: 'malformed'; reason: string }
  | { status: 'mismatch'; recorded: string; computed: string };

/** Recompute the seal of a parsed document and compare it with the one it carries. */
export function checkSeal(doc: unknown): SealCheck {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return { status: 'malformed', reason: 'not a JSON object' };
  const seal = (doc as JsonObject)['seal'];
  if (seal === undefined) return { status: 'unsealed' };
  const parsed = SealSchema.safeParse(seal);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { status: 'malformed', reason: `the seal is not one this mailtrail knows (${issue ? `${issue.path.join('.') || 'seal'}: ${issue.message}` : 'invalid'})` };
  }
  let text: string;
  try {
    text = sealedText(doc);
  } catch (err) {
    if (err instanceof CanonicalJsonError) return { status: 'malformed', reason: err.message };
    throw err;
  }
  const computed = createHash('sha256').update(text, 'utf8').digest('hex');
  if (computed !== parsed.data.sha256) return { status: 'mismatch', recorded: parsed.data.sha256, computed };
  return { status: 'ok', sha256: computed, bytes: Buffer.byteLength(text, 'utf8') };
}
