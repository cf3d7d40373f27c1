// Identifier alignment (RFC 7489 §3.1): strict = same domain, relaxed = same organisational domain.
// Organisational domains come from the Public Suffix List via tldts (the library mailauth itself uses).

import { getDomain } from 'tldts';

export function orgDomain(domain: string): string {
  const d = domain.toLowerCase().replace(/\.$/, '');
  return getDomain(d, { allowPrivateDomains: true }) ?? d;
}

export function alignmentOf(fromDomain: string | null, id: string | null): 'strict' | 'relaxed' | null {
  if (!fromDomain || !id) return null;
  const a = fromDomain.toLowerCase();
  const b = id.toLowerCase();
  if (a === b) return 'strict';
  return orgDomain(a) === orgDomain(b) ? 'relaxed' : null;
}

/** Aligned under the required mode? */
export function alignedUnder(mode: 'strict' | 'relaxed', got: 'strict' | 'relaxed' | null): boolean {
  return got === 'strict' || (got === 'relaxed' && mode === 'relaxed');
}
