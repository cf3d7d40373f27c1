// The facts verify establishes about one message, as zod schemas (the JSON document is validated against
// them before it is printed, and tests parse it back). Results use RFC 8601 words, never booleans.
// Pure declarations.

import { z } from 'zod';

export const Rfc8601Schema = z.enum(['pass', 'fail', 'softfail', 'neutral', 'none', 'temperror', 'permerror', 'policy']);
export type Rfc8601 = z.infer<typeof Rfc8601Schema>;

/** A DNS answer relied on, as cited by evidence. */
export const DnsRefSchema = z.object({
  name: z.string(),
  type: z.string(),
  status: z.string(),
  /** When the answer was obtained (recorded time for replayed answers). */
  at: z.string(),
  source: z.enum(['live', 'snapshot', 'store']),
});
export type DnsRef = z.infer<typeof DnsRefSchema>;

export const AlignmentSchema = z.object({
  /** The From domain the identifier is compared with. */
  fromDomain: z.string().nullable(),
  /** `strict` (exact match) or `relaxed` (same organisational domain), or null when not aligned. */
  aligned: z.enum(['strict', 'relaxed']).nullable(),
  /** The mode the domain's DMARC record asks for (adkim=/aspf=), relaxed when it does not say or has no record. */
  required: z.enum(['strict', 'relaxed']),
});

export const DkimFactSchema = z.object({
  headerIndex: z.number().int(),
  domain: z.string().nullable(),
  selector: z.string().nullable(),
  algorithm: z.string().nullable(),
  identity: z.string().nullable(),
  canonicalization: z.string().nullable(),
  signedHeaders: z.array(z.string()),
  /** l= limit: bytes after it are not covered by the signature. */
  bodyLength: z.number().nullable(),
  signedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  /** Malformed or unsupported tags, in plain words. */
  problems: z.array(z.string()),
  /** Non-fatal oddities (pre-standard draft forms). */
  notes: z.array(z.string()),
  /** Fact 1: what a trusted receiver recorded at receipt. */
  atReceipt: z
    .object({ result: z.string(), authservId: z.string(), headerIndex: z.number().int(), header: z.enum(['Authentication-Results', 'ARC-Authentication-Results']) })
    .nullable(),
  /** Fact 2: verification now with the DNS at hand. */
  now: z.object({
    result: Rfc8601Schema,
    reason: z.string(),
    key: z.enum(['found', 'missing', 'revoked', 'invalid', 'dns-error', 'weak', 'not-queried']),
    keyBits: z.number().nullable(),
    /** The signature is mathematically valid (even when policy, e.g. a weak key, says not to accept it). */
    cryptoValid: z.boolean(),
    dns: z.array(DnsRefSchema),
  }),
  /** Fact 3: the body hash recomputed locally (no DNS). */
  bodyHash: z.object({
    result: z.enum(['match', 'mismatch', 'not-checked']),
    computed: z.string().nullable(),
    expected: z.string().nullable(),
    reason: z.string(),
  }),
  alignment: AlignmentSchema,
  /** One sentence putting the three facts together (rotated key, altered body, ...). */
  explanation: z.string(),
});
export type DkimFact = z.infer<typeof DkimFactSchema>;

export const SpfFactSchema = z.object({
  result: Rfc8601Schema,
  evaluated: z.boolean(),
  reason: z.string(),
  clientIp: z.string().nullable(),
  helo: z.string().nullable(),
  mailFrom: z.string().nullable(),
  domain: z.string().nullable(),
  /** Hop whose client was used (the entry hop at the trust boundary). */
  hopIndex: z.number().int().nullable(),
  record: z.string().nullable(),
  atReceipt: z.object({ result: z.string(), authservId: z.string(), headerIndex: z.number().int() }).nullable(),
  alignment: AlignmentSchema,
  dns: z.array(DnsRefSchema),
});
export type SpfFact = z.infer<typeof SpfFactSchema>;

export const DmarcFactSchema = z.object({
  result: Rfc8601Schema,
  fromDomain: z.string().nullable(),
  /** Organisational domain whose record applied. */
  policyDomain: z.string().nullable(),
  record: z.string().nullable(),
  /** p= (or sp= for a subdomain) that applies; null when no record. */
  policy: z.enum(['none', 'quarantine', 'reject']).nullable(),
  reason: z.string(),
  /** Which identifier carried DMARC: dkim (domain) or spf (domain). */
  alignedBy: z.array(z.object({ method: z.enum(['dkim', 'spf']), domain: z.string(), mode: z.enum(['strict', 'relaxed']) })),
  atReceipt: z.object({ result: z.string(), authservId: z.string(), headerIndex: z.number().int() }).nullable(),
  dns: z.array(DnsRefSchema),
});
export type DmarcFact = z.infer<typeof DmarcFactSchema>;

export const ArcSetSchema = z.object({
  instance: z.number().int(),
  /** Sealer: ARC-Seal d= / s=. */
  sealer: z.string().nullable(),
  selector: z.string().nullable(),
  cv: z.string().nullable(),
  /** authserv-id of this set's ARC-Authentication-Results. */
  authservId: z.string().nullable(),
  /** What this sealer recorded: method -> result (dkim may list several). */
  recorded: z.array(z.object({ method: z.string(), result: z.string(), domain: z.string().nullable() })),
  headerIndex: z.number().int().nullable(),
});

export const ArcFactSchema = z.object({
  result: Rfc8601Schema,
  reason: z.string(),
  sets: z.array(ArcSetSchema),
  /** Where the original DKIM signature stopped verifying, in words; null when it did not break or cannot be told. */
  dkimBrokeAt: z.string().nullable(),
  dns: z.array(DnsRefSchema),
});
export type ArcFact = z.infer<typeof ArcFactSchema>;

export const FlagSchema = z.object({
  kind: z.enum(['display-name-spoof', 'multiple-from', 'lookalike-domain', 'homoglyph-domain', 'punycode-domain', 'reply-to-elsewhere', 'return-path-elsewhere', 'no-dmarc', 'untrusted-authentication-results', 'malformed-signature', 'unsigned-body-part', 'dns-trouble', 'boundary-caveat']),
  severity: z.enum(['high', 'medium', 'low']),
  reason: z.string(),
  headerIndex: z.number().int().nullable(),
});
export type Flag = z.infer<typeof FlagSchema>;
