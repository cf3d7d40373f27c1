// Identity red flags, each with its reason: display-name spoofing, lookalike / homoglyph / punycode domains
// (compared with --expect-domain and the domains seen elsewhere in the store), Reply-To or Return-Path pointing
// elsewhere, a From domain with no DMARC record, and results a sender could have written.
// Pure: facts in, flags out (node:url's domainToUnicode is string arithmetic, no I/O).

import { domainToUnicode } from 'node:url';
import type { Flag } from '../auth/facts.js';
import { orgDomain } from '../auth/align.js';
import { skeleton, editDistanceAtMost } from './confusables.js';

export interface IdentityInput {
  fromAddr: string | null;
  fromName: string | null;
  fromHeaderIndex: number | null;
  /** Every From field and the addresses it names (message-summary.ts fromFields). */
  fromFields: ReadonlyArray<{ headerIndex: number; addresses: readonly string[] }>;
  replyTo: { address: string; headerIndex: number }[];
  returnPath: { address: string; headerIndex: number | null } | null;
  /** Domains the user expects this sender to use (--expect-domain). */
  expectDomains: readonly string[];
  /** Domains seen in the store's From addresses. */
  knownDomains: readonly string[];
  /** Display names seen in the store -> addresses used under them. */
  knownSenders: ReadonlyMap<string, readonly string[]>;
  /** The From domain publishes no DMARC record (DMARC result none). */
  noDmarc: boolean;
  /** Authentication-Results not believed that claim a pass. */
  untrustedPasses: { headerIndex: number; authservId: string; claims: string; reason: string }[];
  malformedSignatures: { headerIndex: number; problems: string[] }[];
  bodyLengthLimited: { headerIndex: number; domain: string | null }[];
  dnsTrouble: string[];
}

const MAX_COMPARE = 5000;

export function identityFlags(input: IdentityInput): Flag[] {
  const flags: Flag[] = [];
  const from = input.fromAddr?.toLowerCase() ?? null;
  const fromDomain = from?.split('@').pop() ?? null;
  const fromOrg = fromDomain ? orgDomain(fromDomain) : null;

  // More than one author: the checks judge one, and a mail program may show the reader another.
  const fromList = (fs: typeof input.fromFields): string => [...new Set(fs.flatMap((f) => f.addresses))].slice(0, 5).join(', ') || 'no readable address';
  const authorSets = new Set(input.fromFields.map((f) => [...f.addresses].sort().join(',')));
  if (input.fromFields.length > 1 && authorSets.size === 1) {
    // The same author written twice (a broken client, a relay that added its own): malformed, not two identities.
    flags.push({
      kind: 'multiple-from', severity: 'medium', headerIndex: input.fromFields[1]!.headerIndex,
      reason: `the From field appears ${input.fromFields.length} times (headers ${input.fromFields.map((f) => `#${f.headerIndex}`).join(', ')}), each naming ${fromList(input.fromFields)}, where RFC 5322 allows one; receivers may refuse such a message`,
    });
  } else if (input.fromFields.length > 1) {
    flags.push({
      kind: 'multiple-from', severity: 'high', headerIndex: input.fromFields[1]!.headerIndex,
      reason: `the message has ${input.fromFields.length} From fields (headers ${input.fromFields.map((f) => `#${f.headerIndex}`).join(', ')}: ${fromList(input.fromFields)}) where RFC 5322 allows one; the checks judge one author, and a mail program may show the reader another`,
    });
  } else if (input.fromFields.length === 1 && input.fromFields[0]!.addresses.length > 1) {
    flags.push({
      kind: 'multiple-from', severity: 'medium', headerIndex: input.fromFields[0]!.headerIndex,
      reason: `the From field names ${input.fromFields[0]!.addresses.length} authors (${fromList(input.fromFields)}); DMARC cannot judge several author domains (RFC 7489 §6.6.1), and a mail program may show only one`,
    });
  }

  // Display name spoofing.
  if (input.fromName && from) {
    const name = input.fromName.trim();
    const inName = /[^\s@<>"'()]+@([a-z0-9.-]+\.[a-z]{2,})/i.exec(name);
    if (inName && orgDomain(inName[1]!.toLowerCase()) !== fromOrg) {
      flags.push({ kind: 'display-name-spoof', severity: 'high', headerIndex: input.fromHeaderIndex, reason: `the display name shows the address ${inName[0]} but the message is from ${from}` });
    }
    const seen = input.knownSenders.get(name.toLowerCase());
    if (seen && seen.length && !seen.includes(from)) {
      const others = seen.filter((a) => orgDomain(a.split('@').pop() ?? '') !== fromOrg);
      if (others.length) {
        flags.push({ kind: 'display-name-spoof', severity: 'high', headerIndex: input.fromHeaderIndex, reason: `the name "${name}" was seen in the store with ${others.slice(0, 3).join(', ')}; this message uses ${from}` });
      }
    }
    for (const d of input.expectDomains) {
      const label = orgDomain(d).split('.')[0] ?? '';
      if (label.length >= 4 && name.toLowerCase().includes(label) && orgDomain(d) !== fromOrg) {
        flags.push({ kind: 'display-name-spoof', severity: 'medium', headerIndex: input.fromHeaderIndex, reason: `the display name "${name}" names ${d}, but the address is at ${fromDomain}` });
      }
    }
  }

  // Lookalike, homoglyph and punycode domains.
  if (fromDomain && fromOrg) {
    const unicode = fromDomain.includes('xn--') ? domainToUnicode(fromDomain) : fromDomain;
    if (fromDomain.split('.').some((l) => l.startsWith('xn--'))) {
      flags.push({ kind: 'punycode-domain', severity: 'medium', headerIndex: input.fromHeaderIndex, reason: `the From domain ${fromDomain} is punycode for ${unicode || '(undecodable)'}` });
    } else if (/[^\x00-\x7f]/.test(fromDomain)) {
      flags.push({ kind: 'punycode-domain', severity: 'medium', headerIndex: input.fromHeaderIndex, reason: `the From domain ${fromDomain} contains non-ASCII characters` });
    }
    const mine = skeleton(orgDomain(unicode || fromDomain));
    const candidates = [...new Set([...input.expectDomains.map((d) => d.toLowerCase()), ...input.knownDomains.slice(0, MAX_COMPARE)])];
    const seenOrg = new Set<string>();
    for (const cand of candidates) {
      const co = orgDomain(cand);
      if (co === fromOrg || seenOrg.has(co)) continue;
      seenOrg.add(co);
      const expected = input.expectDomains.some((d) => orgDomain(d.toLowerCase()) === co);
      const theirs = skeleton(co);
      if (theirs === mine) {
        flags.push({ kind: 'homoglyph-domain', severity: 'high', headerIndex: input.fromHeaderIndex, reason: `${fromDomain} looks like ${co} (same letters after confusable characters are mapped: ${mine})` });
        continue;
      }
      const a = fromOrg.split('.')[0] ?? '';
      const b = co.split('.')[0] ?? '';
      const limit = b.length >= 9 ? 2 : b.length >= 4 ? 1 : 0;
      if (limit > 0 && editDistanceAtMost(a, b, limit)) {
        flags.push({ kind: 'lookalike-domain', severity: expected ? 'high' : 'medium', headerIndex: input.fromHeaderIndex, reason: `${fromOrg} is one or two letters away from ${co}${expected ? ' (the expected domain)' : ' (seen in the store)'}` });
      } else if (expected && b.length >= 4 && a !== b && a.includes(b)) {
        flags.push({ kind: 'lookalike-domain', severity: 'high', headerIndex: input.fromHeaderIndex, reason: `${fromOrg} contains the expected name ${b} but is not ${co}` });
      } else if (expected && fromOrg.split('.')[0] === b) {
        flags.push({ kind: 'lookalike-domain', severity: 'high', headerIndex: input.fromHeaderIndex, reason: `${fromOrg} has the expected name under another suffix (expected ${co})` });
      }
    }
    if (input.expectDomains.length && !input.expectDomains.some((d) => orgDomain(d.toLowerCase()) === fromOrg) && !flags.some((f) => f.kind.endsWith('-domain'))) {
      flags.push({ kind: 'lookalike-domain', severity: 'low', headerIndex: input.fromHeaderIndex, reason: `the From domain ${fromDomain} is not one of the expected domains (${input.expectDomains.join(', ')})` });
    }
  }

  for (const r of input.replyTo) {
    const d = r.address.split('@').pop()?.toLowerCase() ?? '';
    if (fromOrg && d && orgDomain(d) !== fromOrg) {
      flags.push({ kind: 'reply-to-elsewhere', severity: 'medium', headerIndex: r.headerIndex, reason: `replies go to ${r.address}, outside ${fromOrg}` });
    }
  }
  if (input.returnPath && fromOrg) {
    const d = input.returnPath.address.split('@').pop()?.toLowerCase() ?? '';
    if (d && orgDomain(d) !== fromOrg) {
      flags.push({ kind: 'return-path-elsewhere', severity: 'low', headerIndex: input.returnPath.headerIndex, reason: `bounces go to ${input.returnPath.address}, outside ${fromOrg} (normal for mailing services; notable when nothing else authenticates the From domain)` });
    }
  }
  if (input.noDmarc && fromDomain) {
    flags.push({ kind: 'no-dmarc', severity: 'medium', headerIndex: input.fromHeaderIndex, reason: `${fromDomain} publishes no DMARC record: receivers are not told to reject mail that fails to authenticate as it` });
  }
  for (const u of input.untrustedPasses) {
    flags.push({ kind: 'untrusted-authentication-results', severity: 'high', headerIndex: u.headerIndex, reason: `Authentication-Results by ${u.authservId || '(no id)'} claims ${u.claims}, not believed: ${u.reason}` });
  }
  for (const m of input.malformedSignatures) {
    flags.push({ kind: 'malformed-signature', severity: 'medium', headerIndex: m.headerIndex, reason: `DKIM-Signature is malformed: ${m.problems.slice(0, 3).join('; ')}` });
  }
  for (const l of input.bodyLengthLimited) {
    flags.push({ kind: 'unsigned-body-part', severity: 'low', headerIndex: l.headerIndex, reason: `the signature by ${l.domain ?? '?'} covers only the first l= bytes of the body: text can be appended without breaking it` });
  }
  for (const t of input.dnsTrouble.slice(0, 10)) flags.push({ kind: 'dns-trouble', severity: 'low', headerIndex: null, reason: t });
  return flags;
}
