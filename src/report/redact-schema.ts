// The shapes of report redaction: what the caller asks for (the key and the domains to keep) and the marker a
// redacted report carries (`redaction`), so a reader knows the names in it are pseudonyms and which key made
// them. Pure data; the marker holds a key id (a hash prefix), never the key.

import { z } from 'zod';

export const RedactionSchema = z.object({
  method: z.literal('hmac-sha256'),
  /** First 16 hex digits of sha256(key): tells an auditor whether their key is the one used. */
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  /** Domains kept as they are, with their subdomains (lower-case, sorted). */
  keptDomains: z.array(z.string()),
  /** Every domain and hostname kept; only local parts, IPs, subjects, Message-IDs and display names replaced. */
  keepAllDomains: z.boolean(),
});
export type Redaction = z.infer<typeof RedactionSchema>;

export interface RedactOptions {
  /** The secret bytes; the same key gives the same pseudonyms. */
  key: Uint8Array;
  keepDomains: readonly string[];
  keepAllDomains: boolean;
}

/** Shortest key accepted: a shorter one can be guessed, and then every pseudonym can be reversed by trial. */
export const MIN_KEY_BYTES = 16;
