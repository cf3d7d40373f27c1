// RFC 8301 §3.2 applied to ARC: RFC 8617 §4.1.2/§4.1.3 sign ARC-Seal and ARC-Message-Signature exactly as DKIM
// does, so an RSA key under 1024 bits must not make a chain pass. mailauth runs with the minimum lowered (so it
// can say whether the chain is mathematically valid); this module finds the weak keys it accepted. The key
// records come through the caller's (memoising) resolver: mailauth has asked for each of them already.

import { createPublicKey } from 'node:crypto';
import { parseDkimKey } from '../parse/dkim-tags.js';
import type { ArcFact } from './facts.js';

export const MIN_RSA_BITS = 1024;

/** Bits of an RSA key record (`v=DKIM1; k=rsa; p=...`), or null when it is not a readable RSA key. */
export function rsaKeyBits(record: string): number | null {
  const k = parseDkimKey(record);
  if (!k.publicKey || (k.keyType !== null && k.keyType !== 'rsa')) return null;
  try {
    const key = createPublicKey({ key: Buffer.from(k.publicKey, 'base64'), format: 'der', type: 'spki' });
    return key.asymmetricKeyType === 'rsa' ? (key.asymmetricKeyDetails?.modulusLength ?? null) : null;
  } catch {
    return null;
  }
}

export interface ArcKeyUse {
  /** `ARC-Seal i=1` or `ARC-Message-Signature i=2`. */
  what: string;
  /** `selector._domainkey.domain`. */
  keyName: string;
  /** Modulus length when the caller already knows it (mailauth reports it for the AMS). */
  bits?: number | null;
}

/** Sentences naming every key under MIN_RSA_BITS, e.g. `ARC-Seal i=1 uses a 512-bit RSA key (512._domainkey.example.org)`. */
export async function weakArcKeys(uses: readonly ArcKeyUse[], fetchRecord: (name: string) => Promise<string | null>): Promise<string[]> {
  const out: string[] = [];
  for (const u of uses) {
    let bits = u.bits ?? null;
    if (bits === null) {
      const rec = await fetchRecord(u.keyName);
      bits = rec === null ? null : rsaKeyBits(rec);
    }
    if (bits !== null && bits < MIN_RSA_BITS) out.push(`${u.what} uses a ${bits}-bit RSA key (${u.keyName})`);
  }
  return out;
}

/** The key uses of a chain: every seal, and the newest ARC-Message-Signature (the only one validated, RFC 8617 §5.2). */
export function arcKeyUses(sets: ArcFact['sets'], lastAms: { domain?: string; selector?: string; bits?: number | null } | null): ArcKeyUse[] {
  const uses: ArcKeyUse[] = [];
  for (const s of sets) if (s.sealer && s.selector) uses.push({ what: `ARC-Seal i=${s.instance}`, keyName: `${s.selector}._domainkey.${s.sealer}` });
  const last = sets[sets.length - 1];
  if (lastAms?.domain && lastAms.selector) uses.push({ what: `ARC-Message-Signature i=${last?.instance ?? '?'}`, keyName: `${lastAms.selector}._domainkey.${lastAms.domain.toLowerCase()}`, bits: lastAms.bits ?? null });
  return uses;
}
