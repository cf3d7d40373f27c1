// The trust boundary: which Received hops the recipient's own infrastructure wrote, and therefore which client
// IP, HELO and MAIL FROM the sender really presented. Everything below the boundary is the sender's unverified
// claim; an Authentication-Results written below it, or by a host that is not trusted, is never believed.
// Pure: hops and parsed headers in, boundary out (node:net BlockList is in-memory arithmetic, no I/O).
//
// How the boundary is placed (walking from the newest hop down, RFC 5321 §4.4 prepend order):
//   trusted names = the --trust hosts/CIDRs (and the store setting), else the authserv-id of the topmost
//   Authentication-Results (RFC 8601 §2.5: the receiver's own id). A hop is written by trusted infrastructure
//   when its `by` host is a trusted name (or a subdomain of the authserv-id's parent domain), its `by` is an IP
//   inside a trusted CIDR, or the hop above it came *from* a trusted IP. Internal hops at the very top (no
//   client, `by` an IP literal or a bare name) are skipped. The walk stops at the first hop not written by
//   trusted infrastructure: the lowest trusted hop is the entry hop, and its client is the sender's MTA.

import { BlockList, isIP } from 'node:net';
import type { Hop } from '../model/hop.js';
import type { AuthResults } from '../parse/auth-results.js';

export interface AuthResultsHeader {
  headerIndex: number;
  parsed: AuthResults;
}

export interface BoundaryClient {
  ip: string | null;
  helo: string | null;
  /** MAIL FROM address ('' = null reverse-path / bounce), or null when nothing trusted states it. */
  mailFrom: string | null;
  mailFromSource: 'trusted-authentication-results' | 'received-envelope-from' | 'return-path' | null;
  hopIndex: number;
  headerIndex: number;
  /** True when the client address is loopback/private: the real sender is further out and --trust is needed. */
  internal: boolean;
}

export interface TrustBoundary {
  method: 'trust-option' | 'authserv-id' | 'none';
  /** The names/CIDRs the boundary was placed with. */
  trusted: string[];
  /** Hop (index, 0 = nearest the sender) where mail entered trusted infrastructure; null when not placed. */
  entryHop: number | null;
  client: BoundaryClient | null;
  /** Hops written by trusted infrastructure (including internal hops above the entry). */
  trustedHops: number[];
  /** Hops below the boundary: what the sender (or relays before the recipient) claim, unverified. */
  unverifiedHops: number[];
  /** Header indexes of Authentication-Results believed (trusted authserv-id, above the boundary). */
  trustedAuthResults: number[];
  /** Authentication-Results not believed, with the reason. */
  untrustedAuthResults: { headerIndex: number; authservId: string; reason: string }[];
  /**
   * Header indexes of Authentication-Results believed although they sit *below* the entry hop's Received header
   * (Postfix milters write there). A sender could have put one there, so anything resting on them is a caveat.
   */
  believedBelowEntry: number[];
  notes: string[];
}

export interface BoundaryInput {
  hops: readonly Hop[];
  /** Authentication-Results headers in header order. */
  authResults: readonly AuthResultsHeader[];
  /** Keys and header indexes of all header fields (to see what lies next to the entry hop). */
  headerKeys: readonly string[];
  /** --trust values and the store setting: host names (suffix match) or IPs/CIDRs. */
  trust: readonly string[];
  /** Return-Path header value (address) and its header index, if any. */
  returnPath: { address: string; headerIndex: number } | null;
}

interface Matcher {
  hosts: string[];
  /** Parent domains whose subdomains match too (only for an inferred authserv-id). */
  parents: string[];
  cidrs: BlockList;
  hasCidrs: boolean;
}

export function matcherFor(entries: readonly string[], inferred: boolean): Matcher {
  const hosts: string[] = [];
  const parents: string[] = [];
  const cidrs = new BlockList();
  let hasCidrs = false;
  for (const raw of entries) {
    const e = raw.trim().toLowerCase().replace(/\.$/, '');
    if (!e) continue;
    const [addr, bits] = e.split('/');
    const fam = isIP(addr ?? '');
    if (fam) {
      const type = fam === 6 ? 'ipv6' : 'ipv4';
      const prefix = bits === undefined ? (fam === 6 ? 128 : 32) : Number(bits);
      if (Number.isInteger(prefix) && prefix >= 0 && prefix <= (fam === 6 ? 128 : 32)) {
        cidrs.addSubnet(addr!, prefix, type);
        hasCidrs = true;
      }
      continue;
    }
    hosts.push(e);
    if (inferred) {
      const labels = e.split('.');
      if (labels.length >= 3) parents.push(labels.slice(1).join('.'));
    }
  }
  return { hosts, parents, cidrs, hasCidrs };
}

export function hostMatches(host: string | null, m: Matcher): boolean {
  if (!host) return false;
  const h = host.toLowerCase().replace(/\.$/, '');
  const fam = isIP(h);
  if (fam) return m.hasCidrs && m.cidrs.check(h, fam === 6 ? 'ipv6' : 'ipv4');
  for (const t of m.hosts) if (h === t || h.endsWith(`.${t}`)) return true;
  for (const p of m.parents) if (h === p || h.endsWith(`.${p}`)) return true;
  return false;
}

function ipTrusted(ip: string | null, m: Matcher): boolean {
  if (!ip || !m.hasCidrs) return false;
  const fam = isIP(ip);
  return fam !== 0 && m.cidrs.check(ip, fam === 6 ? 'ipv6' : 'ipv4');
}

/** Loopback, private, link-local, CGNAT, unique-local: addresses that never identify an outside sender. */
export function isInternalIp(ip: string): boolean {
  const fam = isIP(ip);
  if (fam === 4) {
    const [a = 0, b = 0] = ip.split('.').map(Number);
    return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127) || a === 0;
  }
  if (fam === 6) {
    const l = ip.toLowerCase();
    if (l === '::1' || l === '::') return true;
    if (/^f[cd]/.test(l) || /^fe[89ab]/.test(l)) return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(l);
    return mapped ? isInternalIp(mapped[1]!) : false;
  }
  return false;
}

function isLoopback(ip: string): boolean {
  const l = ip.toLowerCase();
  return l.startsWith('127.') || l === '::1' || l.startsWith('::ffff:127.');
}

/**
 * A loopback client means the hop below was written on the same machine (a content filter re-injecting, say).
 * When that hop names another, dotted host that is not trusted, it is not the same machine's hop: several
 * hosts share 127.0.0.0/8 only in a lab, or a local program (webmail) wrote it. Either way it is the sender's.
 */
function otherHostOverLoopback(above: Hop, below: Hop, m: Matcher): boolean {
  if (!above.fromIp || !isLoopback(above.fromIp)) return false;
  const by = below.byHost?.toLowerCase().replace(/\.$/, '') ?? '';
  if (!by.includes('.') || isIP(by) !== 0 || by.startsWith('localhost')) return false;
  if (hostMatches(by, m)) return false;
  return by !== (above.byHost?.toLowerCase().replace(/\.$/, '') ?? '');
}

/** A hop at the top that records an internal step (no client, or an IP-literal / dotless `by`). */
function isInternalHop(h: Hop): boolean {
  if (!h.fromIp && !h.fromHost) return true;
  if (h.fromIp && isInternalIp(h.fromIp) && (!h.byHost || isIP(h.byHost) !== 0 || !h.byHost.includes('.'))) return true;
  return false;
}

const AUTH_TRACE = new Set(['authentication-results', 'received-spf', 'arc-seal', 'arc-message-signature', 'arc-authentication-results', 'x-original-authentication-results']);

export function placeTrustBoundary(input: BoundaryInput): TrustBoundary {
  const notes: string[] = [];
  const fromOption = input.trust.length > 0;
  const topAr = input.authResults.find((a) => a.parsed.authservId);
  let method: TrustBoundary['method'] = fromOption ? 'trust-option' : topAr ? 'authserv-id' : 'none';
  const trusted = fromOption ? [...input.trust] : topAr ? [topAr.parsed.authservId] : [];
  const m = matcherFor(trusted, !fromOption);
  const hops = input.hops;
  const trustedHops: number[] = [];
  let entry: number | null = null;

  if (method === 'none') {
    notes.push('no Authentication-Results header and no --trust: the recipient infrastructure is unknown, so every hop is an unverified claim');
  } else {
    let inTrusted = false;
    for (let k = hops.length - 1; k >= 0; k--) {
      const h = hops[k]!;
      if (!inTrusted) {
        if (hostMatches(h.byHost, m)) {
          trustedHops.push(h.index);
          inTrusted = true;
          entry = h.index;
          continue;
        }
        if (isInternalHop(h)) {
          trustedHops.push(h.index);
          continue;
        }
        notes.push(
          `the newest hop that records a client (hop ${h.index}, by ${h.byHost ?? 'an unnamed host'}) is not written by ${trusted.join(', ')}; ` +
            'the boundary cannot be placed from these names (pass --trust HOST_OR_CIDR for the receiving servers)',
        );
        break;
      }
      // Go further down only through the recipient's own relays: the hop above must have received the message
      // from a trusted or internal client (its recorded IP or reverse DNS, never the HELO the client chose).
      // Otherwise the hop below was handed over by an outside client, who could have written it.
      const above = hops[k + 1]!;
      const internalRelay = above.fromIp !== null && isInternalIp(above.fromIp) && !otherHostOverLoopback(above, h, m);
      // A local delivery hop (Dovecot/Cyrus LMTP over a socket: `from mx by mx with LMTP`, no client IP) hands on
      // mail the MTA below it accepted; no outside client speaks LMTP to a receiver (regression: lab cases, where
      // the boundary stopped at the LMTP hop and SPF had no client).
      const localDelivery = above.fromIp === null && /^LMTP/i.test(above.with ?? '') && hostMatches(h.byHost, m);
      const aboveClientTrusted =
        ipTrusted(above.fromIp, m) || internalRelay || localDelivery || (above.fromIp === null && above.rdns === null && above.helo === null) || (above.fromIp === null && hostMatches(above.rdns, m));
      if (aboveClientTrusted && (hostMatches(h.byHost, m) || ipTrusted(above.fromIp, m) || internalRelay)) {
        trustedHops.push(h.index);
        entry = h.index;
        continue;
      }
      break;
    }
    if (entry === null) {
      // Internal hops alone do not make a boundary.
      trustedHops.length = 0;
      if (hops.length === 0) notes.push('no Received headers: there is no hop to place the boundary on');
    }
  }

  const entryHop = entry === null ? null : hops[entry]!;
  const unverifiedHops = entry === null ? hops.map((h) => h.index) : hops.filter((h) => h.index < entry!).map((h) => h.index);
  trustedHops.sort((a, b) => a - b);

  // Which Authentication-Results to believe.
  const arMatcher = matcherFor(trusted.length ? trusted : [], !fromOption);
  const trustedAuthResults: number[] = [];
  const untrustedAuthResults: TrustBoundary['untrustedAuthResults'] = [];
  const believedBelowEntry: number[] = [];
  let trustedAbove = false;
  for (const ar of input.authResults) {
    const id = ar.parsed.authservId;
    if (!entryHop) {
      untrustedAuthResults.push({ headerIndex: ar.headerIndex, authservId: id, reason: 'no trust boundary could be placed, so no Authentication-Results can be attributed to the recipient' });
      continue;
    }
    if (!hostMatches(id, arMatcher)) {
      untrustedAuthResults.push({ headerIndex: ar.headerIndex, authservId: id, reason: `authserv-id ${id || '(none)'} is not a trusted host (${trusted.join(', ')})` });
      continue;
    }
    if (ar.headerIndex < entryHop.headerIndex) {
      trustedAuthResults.push(ar.headerIndex);
      trustedAbove = true;
      continue;
    }
    // Directly below the entry hop's Received, with only authentication trace fields between (Postfix with a
    // milter writes it there). Believed only when the receiver wrote none above, since a sender could put one here.
    let adjacent = true;
    for (let i = entryHop.headerIndex + 1; i < ar.headerIndex; i++) if (!AUTH_TRACE.has(input.headerKeys[i] ?? '')) adjacent = false;
    if (adjacent && !trustedAbove) {
      trustedAuthResults.push(ar.headerIndex);
      believedBelowEntry.push(ar.headerIndex);
      notes.push(
        `caveat: Authentication-Results #${ar.headerIndex} sits just below the entry hop's Received header and ${id} wrote none above it; ` +
          `it is attributed to ${id}, but a sender could have placed it there if the receiver did not remove it (RFC 8601 §5), so what rests on it is not proven`,
      );
    } else {
      untrustedAuthResults.push({ headerIndex: ar.headerIndex, authservId: id, reason: `written below the trust boundary (under hop ${entryHop.index}'s Received header): a sender could have written it` });
    }
  }

  let client: BoundaryClient | null = null;
  if (entryHop) {
    let mailFrom: string | null = null;
    let mailFromSource: BoundaryClient['mailFromSource'] = null;
    for (const idx of trustedAuthResults) {
      const ar = input.authResults.find((a) => a.headerIndex === idx);
      const spf = ar?.parsed.results.find((r) => r.method === 'spf' && r.props['smtp.mailfrom'] !== undefined);
      if (spf) {
        mailFrom = spf.props['smtp.mailfrom']!.replace(/^<|>$/g, '').toLowerCase();
        mailFromSource = 'trusted-authentication-results';
        break;
      }
    }
    if (mailFrom === null && entryHop.envelopeFrom !== null) {
      mailFrom = entryHop.envelopeFrom.toLowerCase();
      mailFromSource = 'received-envelope-from';
    }
    if (mailFrom === null && input.returnPath && input.returnPath.headerIndex < entryHop.headerIndex) {
      mailFrom = input.returnPath.address.toLowerCase();
      mailFromSource = 'return-path';
    }
    const below = entryHop.index > 0 ? hops[entryHop.index - 1] : undefined;
    const heloName = (entryHop.helo ?? '').toLowerCase().replace(/\.$/, '');
    const foreignHelo = heloName.includes('.') && isIP(heloName) === 0 && !heloName.startsWith('localhost') && !hostMatches(heloName, m) && heloName !== (entryHop.byHost ?? '').toLowerCase();
    // A loopback client that is evidently another host (the hop below names one, or it greeted with another
    // host's name): a lab where 127.0.0.0/8 addresses stand for separate machines, or a local program speaking
    // for someone else. Its address is then the sender's, and SPF is evaluated with it.
    const loopbackForeign = entryHop.fromIp !== null && isLoopback(entryHop.fromIp) && ((below !== undefined && otherHostOverLoopback(entryHop, below, m)) || foreignHelo);
    const internal = entryHop.fromIp !== null && isInternalIp(entryHop.fromIp) && !loopbackForeign;
    if (loopbackForeign) {
      notes.push(
        `the entry hop's client ${entryHop.fromIp} is a loopback address but is another host (${below !== undefined && otherHostOverLoopback(entryHop, below, m) ? `the hop below was written by ${below.byHost}` : `it greeted as ${heloName}`}): ` +
          'taken as the sender\'s address, as in a lab where loopback addresses stand for separate machines',
      );
    }
    if (internal) {
      notes.push(`the entry hop's client ${entryHop.fromIp} is an internal address: a relay of the recipient's own is not trusted yet (add it with --trust)`);
    }
    if (!entryHop.fromIp) notes.push(`the entry hop (hop ${entryHop.index}) records no client IP address`);
    client = {
      ip: entryHop.fromIp,
      helo: entryHop.helo ?? entryHop.fromHost,
      mailFrom,
      mailFromSource,
      hopIndex: entryHop.index,
      headerIndex: entryHop.headerIndex,
      internal,
    };
  }
  if (method !== 'none' && entry === null) method = fromOption ? 'trust-option' : 'authserv-id';
  return { method, trusted, entryHop: entry, client, trustedHops, unverifiedHops, trustedAuthResults, untrustedAuthResults, believedBelowEntry, notes };
}
