// DKIM as three separate facts per signature (issue 3): (1) what a trusted receiver recorded at receipt,
// (2) what verifies now with the DNS at hand (mailauth), (3) whether the body hash still matches, computed
// locally with no DNS. A key that has gone away is reported as rotated/revoked, never as forgery.
// Also applies the key-record rules mailauth leaves out (RFC 6376 §3.6.1 h=, s=, t=s; RFC 4871 g=) and the
// signature tag rules (§3.5, §6.1.1), so malformed signatures become findings, not passes.

import { createPublicKey } from 'node:crypto';
import type { HeaderField } from '../model/header.js';
import { parseDkimSignature, parseDkimKey, type DkimSignatureTags } from '../parse/dkim-tags.js';
import type { AuthResults } from '../parse/auth-results.js';
import type { DkimFact, DnsRef, Rfc8601 } from './facts.js';
import { alignmentOf } from './align.js';

/** The part of mailauth's DKIM result we read (lib/dkim/dkim-verifier.js). */
export interface MailauthDkimResult {
  signingDomain?: string;
  selector?: string;
  signature?: string;
  bodyHash?: string;
  bodyHashExpecting?: string;
  status: { result: string; comment?: string | false; policy?: Record<string, string> };
  rr?: string;
  modulusLength?: number;
}

export interface TrustedAr {
  headerIndex: number;
  parsed: AuthResults;
  header: 'Authentication-Results' | 'ARC-Authentication-Results';
}

export interface DkimFactsInput {
  fields: readonly HeaderField[];
  results: readonly MailauthDkimResult[];
  fromDomain: string | null;
  adkim: 'strict' | 'relaxed';
  trustedAr: readonly TrustedAr[];
  /** False when only the header block is available (stored with --headers-only). */
  hasBody: boolean;
  /** Evaluation time for x= (ISO). */
  at: string;
  dnsFor: (name: string, type: string) => DnsRef[];
  /** Fetch a key record (TXT) through the recording resolver; used when mailauth stopped at the body hash. */
  fetchKey: (name: string) => Promise<{ status: 'found'; record: string } | { status: 'missing' | 'dns-error'; error: string }>;
}

const MAX_SIGNATURES = 50;
/** RFC 8301 §3.2: RSA keys under 1024 bits must not be treated as valid. */
const MIN_RSA_BITS = 1024;

export async function dkimFacts(input: DkimFactsInput): Promise<{ facts: DkimFact[]; warnings: string[] }> {
  const warnings: string[] = [];
  let sigs = input.fields.filter((f) => f.key === 'dkim-signature');
  if (sigs.length > MAX_SIGNATURES) {
    warnings.push(`${sigs.length} DKIM-Signature headers; only the first ${MAX_SIGNATURES} were examined`);
    sigs = sigs.slice(0, MAX_SIGNATURES);
  }
  const byB = new Map<string, MailauthDkimResult>();
  for (const r of input.results) if (r.signature) byB.set(r.signature.replace(/\s+/g, ''), r);
  const facts: DkimFact[] = [];
  for (const f of sigs) facts.push(await oneSignature(f, parseDkimSignature(f.value), input, byB));
  return { facts, warnings };
}

async function oneSignature(f: HeaderField, tags: DkimSignatureTags, input: DkimFactsInput, byB: Map<string, MailauthDkimResult>): Promise<DkimFact> {
  const bRaw = /(?:^|;)\s*b\s*=([^;]*)/i.exec(f.value)?.[1]?.replace(/\s+/g, '') ?? '';
  const r = bRaw ? byB.get(bRaw) : undefined;
  const keyName = tags.selector && tags.domain ? `${tags.selector}._domainkey.${tags.domain}` : null;
  const dns = keyName ? input.dnsFor(keyName, 'TXT') : [];
  const problems = [...tags.problems];

  // Fact 3: body hash, local.
  let bodyHash: DkimFact['bodyHash'];
  if (!input.hasBody) {
    bodyHash = { result: 'not-checked', computed: null, expected: tags.bodyHash, reason: 'only the header block is stored (--headers-only): the body hash cannot be checked' };
  } else if (r?.bodyHash && r.bodyHashExpecting !== undefined) {
    const match = r.bodyHash === r.bodyHashExpecting;
    bodyHash = {
      result: match ? 'match' : 'mismatch',
      computed: r.bodyHash,
      expected: r.bodyHashExpecting ?? null,
      reason: match
        ? 'the body hashes to bh= exactly: the body is as it was when signed (no DNS needed)'
        : 'the body no longer hashes to bh=: the body was changed after signing (no DNS needed)',
    };
  } else {
    bodyHash = { result: 'not-checked', computed: null, expected: tags.bodyHash, reason: problems.length ? 'the signature is malformed, so its body hash was not computed' : 'the body hash could not be computed for this signature' };
  }

  // Fact 2: verification now.
  let result: Rfc8601 = 'neutral';
  let reason = '';
  let key: DkimFact['now']['key'] = 'not-queried';
  let cryptoValid = false;
  const keyBits = r?.modulusLength ?? null;
  if (problems.length) {
    result = 'permerror';
    reason = `malformed or unsupported signature: ${problems.join('; ')}`;
  } else if (!r) {
    result = 'permerror';
    reason = 'the signature could not be evaluated (unsupported algorithm, canonicalization or missing tags)';
  } else {
    const comment = typeof r.status.comment === 'string' ? r.status.comment : '';
    const s = r.status.result;
    if (comment === 'body hash did not verify' && !input.hasBody) {
      // Only the header block is stored: mailauth hashed an empty body, so its mismatch says nothing about the
      // real body, and it stops before checking b=. Say what can be said: whether a usable key is published.
      const k = keyName ? await input.fetchKey(keyName) : null;
      const keyProblem = k === null ? null : k.status !== 'found' ? k : unusableKey(k.record, tags);
      if (keyProblem && 'status' in keyProblem) {
        result = keyProblem.status === 'dns-error' ? 'temperror' : 'permerror';
        key = keyProblem.status;
        reason = keyProblem.status === 'dns-error' ? `the key could not be fetched (${keyProblem.error})` : `no key is published at ${keyName} now`;
      } else if (keyProblem) {
        result = 'permerror';
        key = keyProblem.revoked ? 'revoked' : 'invalid';
        reason = keyProblem.problem;
      } else {
        result = 'neutral';
        key = 'found';
        reason = 'not verifiable from the header block alone: the body is not stored (--headers-only) and the body hash is checked before the signature; the key is published';
      }
    } else if (comment === 'body hash did not verify') {
      // The body alone decides fail, but a key that cannot be used makes the signature unverifiable first
      // (RFC 6376 §6.1.2 fetches the key before §6.1.3 compares hashes): look it up so the report says which.
      const k = keyName ? await input.fetchKey(keyName) : null;
      const keyProblem = k === null ? null : k.status !== 'found' ? k : unusableKey(k.record, tags);
      if (keyProblem && 'status' in keyProblem && keyProblem.status === 'dns-error') {
        result = 'temperror';
        key = 'dns-error';
        reason = `the key could not be fetched (${keyProblem.error}); separately, the body no longer matches bh=`;
      } else if (keyProblem && 'status' in keyProblem && keyProblem.status === 'missing') {
        result = 'permerror';
        key = 'missing';
        reason = `no key is published at ${keyName} now; separately, the body no longer matches bh=`;
      } else if (keyProblem && 'problem' in keyProblem) {
        result = 'permerror';
        key = keyProblem.revoked ? 'revoked' : 'invalid';
        reason = `${keyProblem.problem}; separately, the body no longer matches bh=`;
      } else {
        result = 'fail';
        key = 'found';
        reason = 'body hash did not verify: the body was changed after signing';
      }
    } else if (s === 'pass') {
      result = 'pass';
      cryptoValid = true;
      key = 'found';
      reason = 'signature verifies with the published key';
    } else if (s === 'fail') {
      result = 'fail';
      key = 'found';
      reason = 'signature does not verify with the published key: a signed header was changed, or the key is not the one that signed';
    } else if (s === 'temperror') {
      result = 'temperror';
      key = 'dns-error';
      reason = `the key could not be fetched: ${comment.replace(/^DNS failure: /, 'DNS failure ')}`;
    } else if (comment === 'no key') {
      result = 'permerror';
      key = 'missing';
      reason = `no key is published at ${keyName ?? 'the selector'} now`;
    } else if (comment === 'invalid public key' && r.rr !== undefined && /(^|;)\s*p=\s*(;|$)/.test(r.rr)) {
      result = 'permerror';
      key = 'revoked';
      reason = `the key at ${keyName} is revoked (empty p=, RFC 6376 §3.6.1)`;
    } else if (comment === 'expired' || comment === 'invalid expiration') {
      result = 'permerror';
      key = 'found';
      cryptoValid = true;
      reason = comment === 'expired' ? `the signature expired at ${tags.expiration ? new Date(tags.expiration * 1000).toISOString() : '?'} (x=), before ${input.at}` : 'x= is before t=';
    } else if (s === 'policy' && r.status.policy?.['dkim-rules'] === 'weak-key') {
      result = 'policy';
      key = 'weak';
      reason = 'the key is shorter than mailtrail accepts';
    } else {
      result = 'permerror';
      key = 'invalid';
      reason = comment ? `the key record is not usable: ${comment}` : `unexpected result ${s}`;
    }
    // Key-record rules mailauth does not apply.
    if (cryptoValid && r.rr) {
      const k = parseDkimKey(r.rr);
      const bad = keyForbids(k, tags);
      if (bad.length) {
        result = 'permerror';
        key = 'invalid';
        cryptoValid = false;
        reason = `the key record forbids this signature: ${bad.join('; ')}`;
      } else if (keyBits !== null && keyBits < MIN_RSA_BITS && result === 'pass') {
        result = 'policy';
        key = 'weak';
        reason = `the signature verifies, but with a ${keyBits}-bit RSA key; RFC 8301 §3.2 forbids accepting keys under ${MIN_RSA_BITS} bits`;
      }
      if (k.flags.includes('y') && result === 'pass') reason += ' (the key is flagged t=y: the domain is testing DKIM)';
    }
  }

  // RFC 6376 §8.15: a From header added above a signature that signs From fewer times than it appears.
  const fromCount = input.fields.filter((x) => x.key === 'from').length;
  const signedFrom = tags.signedHeaders.filter((h) => h === 'from').length;
  if (result === 'pass' && fromCount > 1 && signedFrom > 0 && signedFrom < fromCount) {
    result = 'fail';
    cryptoValid = false;
    reason = `the message has ${fromCount} From headers but the signature covers ${signedFrom}: a From header was added that the signer never signed (RFC 6376 §8.15)`;
  }

  // Fact 1: at receipt.
  let atReceipt: DkimFact['atReceipt'] = null;
  for (const ar of input.trustedAr) {
    for (const e of ar.parsed.results) {
      if (e.method !== 'dkim') continue;
      const d = (e.props['header.d'] ?? e.props['header.i']?.split('@').pop() ?? '').toLowerCase();
      const b = e.props['header.b'];
      if (d && tags.domain && d !== tags.domain) continue;
      if (b && bRaw && !bRaw.startsWith(b.replace(/\s+/g, ''))) continue;
      if (!d && !b) continue;
      atReceipt = { result: e.result, authservId: ar.parsed.authservId, headerIndex: ar.headerIndex, header: ar.header };
      break;
    }
    if (atReceipt) break;
  }

  const alignment = { fromDomain: input.fromDomain, aligned: alignmentOf(input.fromDomain, tags.domain), required: input.adkim };
  return {
    headerIndex: f.index,
    domain: tags.domain,
    selector: tags.selector,
    algorithm: tags.algorithm,
    identity: tags.identity,
    canonicalization: tags.canonicalization,
    signedHeaders: tags.signedHeaders,
    bodyLength: tags.bodyLength,
    signedAt: tags.timestamp === null ? null : safeIso(tags.timestamp),
    expiresAt: tags.expiration === null ? null : safeIso(tags.expiration),
    problems,
    notes: tags.notes,
    atReceipt,
    now: { result, reason, key, keyBits, cryptoValid, dns },
    bodyHash,
    alignment,
    explanation: explain(tags, result, key, bodyHash.result, atReceipt),
  };
}

/** RFC 6376 §3.6.1 key tags (h=, s=, t=s) and RFC 4871 g= that rule this signature out. */
function keyForbids(k: ReturnType<typeof parseDkimKey>, tags: DkimSignatureTags): string[] {
  const hashAlgo = (tags.algorithm ?? '').split('-').pop() ?? '';
  const bad: string[] = [];
  if (k.hashAlgorithms && !k.hashAlgorithms.includes(hashAlgo)) bad.push(`the key allows only h=${k.hashAlgorithms.join(':')}, the signature uses ${hashAlgo}`);
  if (k.serviceTypes && !k.serviceTypes.includes('*') && !k.serviceTypes.includes('email')) bad.push(`the key is for s=${k.serviceTypes.join(':')}, not email`);
  if (k.flags.includes('s') && tags.identity !== null && identityDomain(tags) !== tags.domain) bad.push('the key has t=s (i= must equal d=), but i= is a subdomain');
  if (k.granularity !== null && !granularityMatches(k.granularity, identityLocalPart(tags))) bad.push(`the key's g=${k.granularity} does not match i= local part "${identityLocalPart(tags)}" (RFC 4871 §3.6.1)`);
  return bad;
}

/** Why a key record cannot verify this signature, or null when it could. */
function unusableKey(record: string, tags: DkimSignatureTags): { problem: string; revoked: boolean } | null {
  const k = parseDkimKey(record);
  if (k.publicKey === '') return { problem: 'the key is revoked (empty p=)', revoked: true };
  if (k.problems.length) return { problem: `the key record is not usable: ${k.problems.join('; ')}`, revoked: false };
  const bad = keyForbids(k, tags);
  if (bad.length) return { problem: `the key record forbids this signature: ${bad.join('; ')}`, revoked: false };
  if (k.keyType === 'ed25519' && Buffer.from(k.publicKey ?? '', 'base64').length !== 32) return { problem: 'the ed25519 key is not 32 bytes (RFC 8463 §4.2)', revoked: false };
  try {
    const raw = Buffer.from(k.publicKey ?? '', 'base64');
    const key = raw.length === 32
      ? createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]), format: 'der', type: 'spki' })
      : createPublicKey({ key: raw, format: 'der', type: 'spki' });
    const want = (tags.algorithm ?? '').startsWith('ed25519') ? 'ed25519' : 'rsa';
    if (key.asymmetricKeyType !== want) return { problem: `the key is ${key.asymmetricKeyType ?? '?'}, the signature ${want}`, revoked: false };
  } catch {
    return { problem: 'the key record holds no usable public key', revoked: false };
  }
  return null;
}

function safeIso(seconds: number): string | null {
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function decodeQp(s: string): string {
  return s.replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function identityDomain(t: DkimSignatureTags): string {
  return decodeQp(t.identity ?? `@${t.domain ?? ''}`).split('@').pop()!.toLowerCase();
}

function identityLocalPart(t: DkimSignatureTags): string {
  const i = decodeQp(t.identity ?? '');
  const at = i.lastIndexOf('@');
  return at > 0 ? i.slice(0, at) : '';
}

/** RFC 4871 §3.6.1 g=: `*` matches any run; an empty g= matches nothing. Case-sensitive. */
function granularityMatches(g: string, local: string): boolean {
  if (g === '') return false;
  if (g === '*') return true;
  const star = g.indexOf('*');
  if (star < 0) return g === local;
  const pre = g.slice(0, star);
  const post = g.slice(star + 1);
  return local.length >= pre.length + post.length && local.startsWith(pre) && local.endsWith(post);
}

function explain(t: DkimSignatureTags, now: Rfc8601, key: DkimFact['now']['key'], bh: DkimFact['bodyHash']['result'], atReceipt: DkimFact['atReceipt']): string {
  const who = `d=${t.domain ?? '?'} s=${t.selector ?? '?'}`;
  const receipt = atReceipt ? ` ${atReceipt.authservId} recorded dkim=${atReceipt.result} at receipt.` : '';
  if (now === 'pass') return `Signature by ${who} verifies now; the body is unchanged since signing.${receipt}`;
  if (key === 'weak' && now === 'policy') return `Signature by ${who} verifies mathematically, but only with a weak key.${receipt}`;
  if (now === 'fail' && bh === 'mismatch') return `The body was altered after ${who} signed it (body hash mismatch, found without DNS).${receipt}`;
  if (now === 'fail') return `The body is intact but a signed header was changed, or the published key is not the one that signed (${who}).${receipt}`;
  if (key === 'missing' || key === 'revoked') {
    const bodyPart = bh === 'match' ? ' The body still matches bh=, so it is unchanged since signing;' : '';
    return `The key for ${who} is ${key === 'missing' ? 'no longer published (rotated away or removed)' : 'revoked'}: the signature cannot be checked today, which is not evidence of forgery.${bodyPart}${receipt || ' No trusted receiver recorded a result at receipt.'}`;
  }
  if (now === 'neutral' && bh === 'not-checked' && key === 'found') return `Signature by ${who} cannot be checked without the body (only the header block is stored); its key is published.${receipt}`;
  if (now === 'temperror') return `The key for ${who} could not be fetched (DNS trouble); nothing is concluded from this signature.${receipt}`;
  return `Signature by ${who} cannot be used: ${t.problems[0] ?? 'the key or signature is not valid'}.${receipt}`;
}
