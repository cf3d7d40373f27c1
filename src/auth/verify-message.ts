// verify: establish who sent one message, from its bytes and the DNS at hand. Runs mailauth's DKIM, SPF, ARC
// and DMARC with an injected (recording) resolver and clock; takes the SPF client from the trust boundary,
// never from a hop the sender could have written; keeps the three DKIM facts apart.
// Ports only: no fs, no live network here (the caller passes the resolver).

import { dkimVerify, arc as mailauthArc, dmarc as mailauthDmarc } from 'mailauth';
import { checkSpf, toRfc } from './spf-check.js';
import type { HeaderField } from '../model/header.js';
import type { Hop } from '../model/hop.js';
import { parseHeaderBlock } from '../parse/headers.js';
import { buildHopChain } from '../parse/received-chain.js';
import { summarizeHeaders, type MessageSummary } from '../parse/message-summary.js';
import { parseAuthResults, type AuthResults } from '../parse/auth-results.js';
import { placeTrustBoundary, type TrustBoundary } from '../correlate/trust-boundary.js';
import { recordingResolver } from './recording-resolver.js';
import { isNotExistError, type DnsAnswer, type DnsResolver } from './dns.js';
import { dkimFacts, type MailauthDkimResult, type TrustedAr } from './dkim-facts.js';
import { arcSets, dkimBrokeAt } from './arc-facts.js';
import { arcKeyUses, weakArcKeys, MIN_RSA_BITS } from './arc-keys.js';
import { alignmentOf, alignedUnder, orgDomain } from './align.js';
import type { ArcFact, DkimFact, DmarcFact, DnsRef, Rfc8601, SpfFact } from './facts.js';
import { withQuietMailauth } from './quiet.js';
import { createHash } from 'node:crypto';

export interface VerifyOptions {
  resolver: DnsResolver;
  /** Where the resolver's answers come from (for the evidence record). */
  dnsSource: DnsAnswer['source'];
  /** When an answer was originally recorded (replays). */
  recordedAt?: (name: string, type: string) => string | null;
  now: () => Date;
  /** Evaluate signature expiry (x=) as of this time; default now. */
  at?: Date;
  trust?: readonly string[];
  /** False when the stored bytes are only the header block. */
  hasBody?: boolean;
  /** sha256 of the message (computed when not given). */
  sha256?: string;
  /** Per-query timeout (ms) on top of the resolver's own. */
  dnsTimeoutMs?: number;
}

export interface ArEntry {
  headerIndex: number;
  parsed: AuthResults;
  trusted: boolean;
  reason: string | null;
}

export interface VerifyFacts {
  sha256: string;
  summary: MessageSummary;
  fields: HeaderField[];
  hops: Hop[];
  fromDomain: string | null;
  boundary: TrustBoundary;
  authResults: ArEntry[];
  dkim: DkimFact[];
  spf: SpfFact;
  dmarc: DmarcFact;
  arc: ArcFact;
  dns: DnsAnswer[];
  hasBody: boolean;
  at: string;
  warnings: string[];
}

export async function verifyMessage(bytes: Buffer, opts: VerifyOptions): Promise<VerifyFacts> {
  const warnings: string[] = [];
  const block = parseHeaderBlock(bytes);
  for (const w of block.warnings) warnings.push(`header block: ${w}`);
  const fields = block.fields;
  const summary = summarizeHeaders(block);
  const hops = buildHopChain(fields);
  const fromDomain = summary.fromAddr?.split('@').pop()?.toLowerCase() || null;
  const hasBody = opts.hasBody ?? true;
  const at = opts.at ?? opts.now();
  const sha256 = opts.sha256 ?? createHash('sha256').update(bytes).digest('hex');

  const ars = fields.filter((f) => f.key === 'authentication-results').map((f) => ({ headerIndex: f.index, parsed: parseAuthResults(f.value) }));
  const rp = fields.find((f) => f.key === 'return-path');
  const rpAddr = rp ? (/<([^<>]*)>/.exec(rp.value)?.[1] ?? rp.value.trim()) : null;
  const boundary = placeTrustBoundary({
    hops,
    authResults: ars,
    headerKeys: fields.map((f) => f.key),
    trust: opts.trust ?? [],
    returnPath: rp && rpAddr !== null ? { address: rpAddr, headerIndex: rp.index } : null,
  });
  const trustedSet = new Set(boundary.trustedAuthResults);
  const authResults: ArEntry[] = ars.map((a) => ({
    ...a,
    trusted: trustedSet.has(a.headerIndex),
    reason: boundary.untrustedAuthResults.find((u) => u.headerIndex === a.headerIndex)?.reason ?? null,
  }));
  const trustedAr: TrustedAr[] = authResults.filter((a) => a.trusted).map((a) => ({ headerIndex: a.headerIndex, parsed: a.parsed, header: 'Authentication-Results' as const }));
  // ARC-Authentication-Results written by the trusted receiver itself count as "recorded at receipt" too.
  const trustedIds = new Set(trustedAr.map((t) => t.parsed.authservId));
  for (const f of fields) {
    if (f.key !== 'arc-authentication-results') continue;
    const p = parseAuthResults(f.value, { arc: true });
    if (trustedIds.has(p.authservId) && boundary.entryHop !== null && f.index < (hops[boundary.entryHop]?.headerIndex ?? -1)) {
      trustedAr.push({ headerIndex: f.index, parsed: p, header: 'ARC-Authentication-Results' });
    }
  }

  const rec = recordingResolver(opts.resolver, {
    source: opts.dnsSource,
    now: opts.now,
    timeoutMs: opts.dnsTimeoutMs ?? 5000,
    ...(opts.recordedAt ? { recordedAt: opts.recordedAt } : {}),
  });
  const resolver = rec as unknown as (domain: string, rrtype: string) => Promise<string[][] | string[]>;
  const refs = (list: DnsAnswer[]): DnsRef[] => list.map((a) => ({ name: a.name, type: a.type, status: a.status, at: a.at, source: a.source }));
  const dnsFor = (name: string, type: string): DnsRef[] => refs(rec.answers().filter((a) => a.type === type && a.name.toLowerCase() === name.toLowerCase()));

  // --- DKIM (and the ARC chain it gathers) -------------------------------------------------------------
  let dkimResults: MailauthDkimResult[] = [];
  let arcData: unknown = { chain: false };
  let headerFrom: string[] = [];
  try {
    // A message without a header/body separator has an empty body (RFC 6376 §3.4.3); give mailauth the separator.
    const input = block.hasBody ? bytes : Buffer.concat([bytes, Buffer.from(bytes.length && bytes[bytes.length - 1] === 0x0a ? '\r\n' : '\r\n\r\n')]);
    const r = await withQuietMailauth(() => dkimVerify(input, { resolver, curTime: at, minBitLength: 1 } as Parameters<typeof dkimVerify>[1]));
    dkimResults = (r.results ?? []) as unknown as MailauthDkimResult[];
    arcData = (r as unknown as { arc?: unknown }).arc ?? { chain: false };
    headerFrom = (r.headerFrom as unknown as string[]) ?? [];
  } catch (err) {
    warnings.push(`DKIM verification could not run: ${(err as Error).message}`);
  }

  // --- SPF at the boundary ---------------------------------------------------------------------------
  const spfStart = rec.answers().length;
  const spfFact = await evaluateSpf(boundary, resolver, trustedAr, fromDomain);
  spfFact.dns = refs(rec.answers().slice(spfStart));

  // --- ARC -----------------------------------------------------------------------------------------
  const arcStart = rec.answers().length;
  let arcStatus: { result: string; comment?: string } = { result: 'none' };
  try {
    // minBitLength 1: mailauth tells whether the chain is valid at all; the RFC 8301 floor is applied below.
    const a = await withQuietMailauth(() => mailauthArc(arcData as Parameters<typeof mailauthArc>[0], { resolver, minBitLength: 1 } as Parameters<typeof mailauthArc>[1]));
    arcStatus = a.status as { result: string; comment?: string };
  } catch (err) {
    arcStatus = { result: 'temperror', comment: (err as Error).message };
  }
  const sets = arcSets(fields);
  if (arcStatus.result === 'pass') {
    // mailauth ran with the key-size floor lowered; apply RFC 8301 to the seals and the AMS as for DKIM.
    const ams = (arcData as { lastEntry?: { messageSignature?: { signingDomain?: string; selector?: string; modulusLength?: number } } }).lastEntry?.messageSignature;
    const weak = await weakArcKeys(arcKeyUses(sets, ams ? { ...(ams.signingDomain ? { domain: ams.signingDomain } : {}), ...(ams.selector ? { selector: ams.selector } : {}), bits: ams.modulusLength ?? null } : null), async (name) => {
      try {
        const list = (await rec(name, 'TXT')) as unknown;
        const first = Array.isArray(list) ? list[0] : undefined;
        return Array.isArray(first) ? first.join('') : typeof first === 'string' ? first : null;
      } catch {
        return null;
      }
    });
    if (weak.length) {
      arcStatus = { result: 'policy', comment: `the chain validates mathematically, but ${weak.join('; ')}; RFC 8301 §3.2 forbids accepting RSA keys under ${MIN_RSA_BITS} bits (RFC 8617 signs as DKIM does)` };
    }
  }
  const arcDns = refs(rec.answers().slice(arcStart));

  // --- DMARC record (policy lookup through mailauth; alignment decided here from the facts) ----------
  const dmarcStart = rec.answers().length;
  let dmarcRec: { result: string; record: string | null; policy: string | null; policyDomain: string | null; adkim: 'strict' | 'relaxed'; aspf: 'strict' | 'relaxed'; error?: string } = {
    result: 'none', record: null, policy: null, policyDomain: null, adkim: 'relaxed', aspf: 'relaxed',
  };
  if (headerFrom.length === 1 && fromDomain) {
    try {
      const d = (await mailauthDmarc({ headerFrom: headerFrom[0]!, spfDomains: [], dkimDomains: [], resolver } as unknown as Parameters<typeof mailauthDmarc>[0])) as unknown as
        | false
        | { status: { result: string }; rr?: string; p?: string; sp?: string; policy?: string; domain?: string; error?: string };
      if (d) {
        const rr = d.rr ?? null;
        dmarcRec = {
          result: d.status.result,
          record: rr,
          policy: d.policy ?? null,
          policyDomain: d.domain ?? null,
          adkim: rr && /(^|;)\s*adkim\s*=\s*s/i.test(rr) ? 'strict' : 'relaxed',
          aspf: rr && /(^|;)\s*aspf\s*=\s*s/i.test(rr) ? 'strict' : 'relaxed',
          ...(d.error ? { error: d.error } : {}),
        };
      }
    } catch (err) {
      dmarcRec.result = 'temperror';
      dmarcRec.error = (err as Error).message;
    }
  }
  const dmarcDns = refs(rec.answers().slice(dmarcStart));

  const fetchKey = async (name: string): Promise<{ status: 'found'; record: string } | { status: 'missing' | 'dns-error'; error: string }> => {
    try {
      const list = (await rec(name, 'TXT')) as unknown;
      const first = Array.isArray(list) ? list[0] : undefined;
      const record = Array.isArray(first) ? first.join('') : typeof first === 'string' ? first : '';
      return record ? { status: 'found', record } : { status: 'missing', error: 'empty answer' };
    } catch (err) {
      return isNotExistError(err) ? { status: 'missing', error: (err as Error).message } : { status: 'dns-error', error: (err as Error).message };
    }
  };
  const { facts: dkim, warnings: dkimWarnings } = await dkimFacts({ fields, results: dkimResults, fromDomain, adkim: dmarcRec.adkim, trustedAr, hasBody, at: at.toISOString(), dnsFor, fetchKey });
  warnings.push(...dkimWarnings);
  spfFact.alignment = { fromDomain, aligned: alignmentOf(fromDomain, spfFact.domain), required: dmarcRec.aspf };

  const dmarc = decideDmarc(dmarcRec, dkim, spfFact, headerFrom, fromDomain, trustedAr, dmarcDns);
  const arc: ArcFact = {
    result: toRfc(arcStatus.result),
    reason: arcStatus.comment ? String(arcStatus.comment) : arcStatus.result === 'none' ? 'no ARC sets' : arcStatus.result === 'pass' ? `chain of ${sets.length} set(s) validates` : arcStatus.result,
    sets,
    dkimBrokeAt: dkimBrokeAt(sets, dkim, fromDomain),
    dns: arcDns,
  };

  return { sha256, summary, fields, hops, fromDomain, boundary, authResults, dkim, spf: spfFact, dmarc, arc, dns: rec.answers(), hasBody, at: at.toISOString(), warnings };
}

async function evaluateSpf(boundary: TrustBoundary, resolver: (d: string, t: string) => Promise<string[][] | string[]>, trustedAr: readonly TrustedAr[], fromDomain: string | null): Promise<SpfFact> {
  const c = boundary.client;
  const base: SpfFact = {
    result: 'none',
    evaluated: false,
    reason: '',
    clientIp: c?.ip ?? null,
    helo: c?.helo ?? null,
    mailFrom: c?.mailFrom ?? null,
    domain: null,
    hopIndex: c?.hopIndex ?? null,
    record: null,
    atReceipt: null,
    alignment: { fromDomain, aligned: null, required: 'relaxed' },
    dns: [],
  };
  for (const ar of trustedAr) {
    const e = ar.parsed.results.find((r) => r.method === 'spf');
    if (e) {
      base.atReceipt = { result: e.result, authservId: ar.parsed.authservId, headerIndex: ar.headerIndex };
      break;
    }
  }
  if (!c) {
    base.reason = 'not evaluated: no trust boundary, so no client IP the recipient itself recorded (pass --trust HOST_OR_CIDR)';
    return base;
  }
  if (!c.ip) {
    base.reason = `not evaluated: the entry hop (hop ${c.hopIndex}) records no client IP`;
    return base;
  }
  if (c.internal) {
    base.reason = `not evaluated: the entry hop's client ${c.ip} is an internal address (add the recipient's relays with --trust)`;
    return base;
  }
  const r = await checkSpf({ ip: c.ip, helo: c.helo, mailFrom: c.mailFrom }, resolver);
  base.domain = r.domain;
  base.result = r.result;
  base.record = r.record;
  if (r.result === 'temperror' && r.comment?.startsWith('SPF could not be evaluated')) {
    base.reason = r.comment;
  } else {
    base.evaluated = true;
    base.reason = `${base.result} for ${r.sender ? `MAIL FROM ${r.sender}` : `HELO ${c.helo ?? '?'} (null MAIL FROM)`} from ${c.ip}, the client recorded at hop ${c.hopIndex}` + (r.comment ? ` (${r.comment})` : '');
  }
  return base;
}

function decideDmarc(
  rec: { result: string; record: string | null; policy: string | null; policyDomain: string | null; adkim: 'strict' | 'relaxed'; aspf: 'strict' | 'relaxed'; error?: string },
  dkim: readonly DkimFact[],
  spf: SpfFact,
  headerFrom: readonly string[],
  fromDomain: string | null,
  trustedAr: readonly TrustedAr[],
  dns: DnsRef[],
): DmarcFact {
  let atReceipt: DmarcFact['atReceipt'] = null;
  for (const ar of trustedAr) {
    const e = ar.parsed.results.find((r) => r.method === 'dmarc');
    if (e) {
      atReceipt = { result: e.result, authservId: ar.parsed.authservId, headerIndex: ar.headerIndex };
      break;
    }
  }
  const policy = rec.policy && ['none', 'quarantine', 'reject'].includes(rec.policy.toLowerCase()) ? (rec.policy.toLowerCase() as 'none' | 'quarantine' | 'reject') : null;
  const base = { fromDomain, policyDomain: rec.policyDomain ?? (fromDomain ? orgDomain(fromDomain) : null), record: rec.record, policy, atReceipt, dns, alignedBy: [] as DmarcFact['alignedBy'] };
  if (headerFrom.length !== 1 || !fromDomain) {
    return { ...base, result: 'permerror', reason: headerFrom.length > 1 ? `${headerFrom.length} From addresses: DMARC needs exactly one author domain (RFC 7489 §6.6.1)` : 'no From address: DMARC has no author domain' };
  }
  if (rec.result === 'temperror') return { ...base, result: 'temperror', reason: `the DMARC record could not be fetched: ${rec.error ?? 'DNS failure'}` };
  if (!rec.record) return { ...base, result: 'none', reason: `${fromDomain} publishes no DMARC record (nor does ${base.policyDomain})` };
  const alignedBy: DmarcFact['alignedBy'] = [];
  for (const d of dkim) {
    if (d.now.result !== 'pass' || !d.domain) continue;
    const a = alignmentOf(fromDomain, d.domain);
    if (a && alignedUnder(rec.adkim, a) && !alignedBy.some((x) => x.method === 'dkim' && x.domain === d.domain)) alignedBy.push({ method: 'dkim', domain: d.domain, mode: a });
  }
  if (spf.result === 'pass' && spf.domain) {
    const a = alignmentOf(fromDomain, spf.domain);
    if (a && alignedUnder(rec.aspf, a)) alignedBy.push({ method: 'spf', domain: spf.domain, mode: a });
  }
  if (alignedBy.length) {
    const how = alignedBy.map((x) => `${x.method.toUpperCase()} ${x.domain} (${x.mode})`).join(' and ');
    return { ...base, alignedBy, result: 'pass', reason: `${how} aligned with From ${fromDomain} (policy p=${policy ?? '?'})` };
  }
  const tried: string[] = [];
  for (const d of dkim) tried.push(`DKIM d=${d.domain ?? '?'} ${d.now.result}${d.alignment.aligned ? '' : ' (not aligned)'}`);
  tried.push(spf.evaluated ? `SPF ${spf.domain ?? '?'} ${spf.result}${spf.alignment.aligned ? '' : ' (not aligned)'}` : 'SPF not evaluated');
  return { ...base, alignedBy, result: 'fail', reason: `no aligned DKIM or SPF pass for ${fromDomain} (adkim=${rec.adkim[0]}, aspf=${rec.aspf[0]}; ${tried.join('; ')}); policy p=${policy ?? '?'}` };
}
