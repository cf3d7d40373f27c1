// The sender verdict: authenticated | forged | unverified, with a confidence word, a one-sentence summary a
// support engineer can paste, and the evidence behind it (message sha256 + header index + DNS answers relied
// on). The investigate report embeds this same object as its `sender` verdict. Pure: facts in, verdict out.

import { z } from 'zod';
import { DnsRefSchema, type ArcFact, type DkimFact, type DmarcFact, type Flag, type SpfFact } from '../auth/facts.js';

export const EvidenceItemSchema = z.object({
  /** sha256 of the artifact (the message's raw bytes). */
  sha256: z.string(),
  kind: z.literal('message'),
  /** Where in the artifact: `header #12 (DKIM-Signature)`. */
  locator: z.string(),
  headerIndex: z.number().int().nullable(),
  /** The claim this piece of evidence supports. */
  claim: z.string(),
  /** DNS answers relied on for this claim. */
  dns: z.array(DnsRefSchema),
});
export type EvidenceItem = z.infer<typeof EvidenceItemSchema>;

export const ConfidenceSchema = z.enum(['proven', 'strong', 'weak', 'none']);

export const SenderVerdictSchema = z.object({
  answer: z.enum(['authenticated', 'forged', 'unverified']),
  /** The domain proven (authenticated), impersonated (forged), or claimed (unverified); null without a From domain. */
  domain: z.string().nullable(),
  confidence: ConfidenceSchema,
  summary: z.string(),
  evidence: z.array(EvidenceItemSchema),
});
export type SenderVerdict = z.infer<typeof SenderVerdictSchema>;

export interface SenderFacts {
  sha256: string;
  fromDomain: string | null;
  fromHeaderIndex: number | null;
  /** Header index of the entry hop's Received header (SPF client), if a boundary was placed. */
  entryHeaderIndex: number | null;
  boundaryMethod: 'trust-option' | 'authserv-id' | 'none';
  dkim: readonly DkimFact[];
  spf: SpfFact;
  dmarc: DmarcFact;
  arc: ArcFact;
  flags: readonly Flag[];
  /**
   * Authentication-Results believed only because they sit just below the entry hop's Received header (the
   * receiver wrote none above it). A sender could have placed them there: the verdict says so and is never
   * `proven` while the boundary rests on them.
   */
  boundaryCaveat?: { headerIndexes: number[]; authservId: string } | null;
}

const SPOOF_KINDS = new Set(['display-name-spoof', 'multiple-from', 'homoglyph-domain', 'lookalike-domain']);

export function decideSender(f: SenderFacts): SenderVerdict {
  const v = decide(f);
  const c = f.boundaryCaveat;
  if (!c || !c.headerIndexes.length || !f.fromDomain) return v;
  const where = c.headerIndexes.map((i) => `#${i}`).join(', ');
  for (const i of c.headerIndexes) {
    v.evidence.push({ sha256: f.sha256, kind: 'message', locator: `header #${i} (Authentication-Results)`, headerIndex: i, claim: `attributed to ${c.authservId} only by its place just below the entry hop's Received header; a sender could have written it`, dns: [] });
  }
  return {
    ...v,
    confidence: v.confidence === 'proven' ? 'strong' : v.confidence,
    summary: `${v.summary} Caveat: the trust boundary rests on Authentication-Results ${where}, which sits below the entry hop's Received header with none from ${c.authservId} above it; a sender could have written it, so this is not proven.`,
  };
}

function decide(f: SenderFacts): SenderVerdict {
  const ev: EvidenceItem[] = [];
  const cite = (headerIndex: number | null, name: string, claim: string, dns: EvidenceItem['dns'] = []): void => {
    ev.push({ sha256: f.sha256, kind: 'message', locator: headerIndex === null ? name : `header #${headerIndex} (${name})`, headerIndex, claim, dns });
  };
  const from = f.fromDomain;
  if (from) cite(f.fromHeaderIndex, 'From', `the message claims to be from ${from}`);
  else {
    cite(null, 'header block', 'the message has no From address');
    return { answer: 'unverified', domain: null, confidence: 'none', summary: 'The message has no From address, so there is no sender identity to verify.', evidence: ev };
  }

  const alignedDkim = f.dkim.filter((d) => d.alignment.aligned !== null && (d.alignment.aligned === 'strict' || d.alignment.required === 'relaxed'));
  const dkimPass = alignedDkim.filter((d) => d.now.result === 'pass');
  const spfAligned = f.spf.result === 'pass' && f.spf.alignment.aligned !== null && (f.spf.alignment.aligned === 'strict' || f.spf.alignment.required === 'relaxed');
  const spoof = f.flags.filter((x) => SPOOF_KINDS.has(x.kind) && x.severity === 'high');
  const dmarcDns = f.dmarc.dns;
  for (const d of dkimPass) cite(d.headerIndex, 'DKIM-Signature', `DKIM signature by ${d.domain} verifies now (${d.alignment.aligned} alignment with ${from}); body unchanged`, d.now.dns);
  if (spfAligned) cite(f.entryHeaderIndex, 'Received', `SPF pass: ${f.spf.clientIp} is authorised to send for ${f.spf.domain} (${f.spf.alignment.aligned} alignment), client taken from the recipient's own hop`, f.spf.dns);
  if (f.dmarc.record) cite(null, 'DNS', `DMARC record for ${f.dmarc.policyDomain}: p=${f.dmarc.policy ?? '?'}`, dmarcDns);
  for (const s of spoof) cite(s.headerIndex, 'From', s.reason);

  const authenticatedBy = (): string => [...new Set([...dkimPass.map((d) => `DKIM (d=${d.domain}, ${d.alignment.aligned})`), ...(spfAligned ? [`SPF (${f.spf.domain} from ${f.spf.clientIp}, ${f.spf.alignment.aligned})`] : [])])].join(' and ');

  // Spoof evidence outranks a pass: an attacker can authenticate the look-alike domain they own.
  if (spoof.length) {
    const auth = dkimPass.length || spfAligned ? ` It does authenticate as ${from} via ${authenticatedBy()}, a domain the sender controls.` : '';
    return { answer: 'forged', domain: from, confidence: 'strong', summary: `Impersonation: ${spoof[0]!.reason}.${auth}`, evidence: ev };
  }
  if (dkimPass.length || spfAligned) {
    const proven = dkimPass.length > 0;
    const policy = f.dmarc.record ? ` under its DMARC policy p=${f.dmarc.policy ?? '?'}` : ' (the domain publishes no DMARC policy)';
    return {
      answer: 'authenticated',
      domain: from,
      confidence: proven ? 'proven' : 'strong',
      summary: `Sent with the authority of ${from}: ${authenticatedBy()} aligned with the From domain${policy}.`,
      evidence: ev,
    };
  }

  // A key that went away, with the body intact and the receiver's own record of a pass at receipt.
  const rotated = alignedDkim.filter((d) => (d.now.key === 'missing' || d.now.key === 'revoked') && d.bodyHash.result === 'match');
  const rotatedReceipt = rotated.filter((d) => d.atReceipt?.result === 'pass');
  if (rotatedReceipt.length) {
    const d = rotatedReceipt[0]!;
    cite(d.headerIndex, 'DKIM-Signature', `body still matches bh= (checked without DNS); key now ${d.now.key}`, d.now.dns);
    cite(d.atReceipt!.headerIndex, d.atReceipt!.header, `${d.atReceipt!.authservId} recorded dkim=pass for ${d.domain} at receipt`);
    return {
      answer: 'authenticated',
      domain: from,
      confidence: 'strong',
      summary: `Sent with the authority of ${from}: ${d.atReceipt!.authservId} verified the DKIM signature by ${d.domain} at receipt, the body is unchanged since signing, and the key has since been ${d.now.key === 'revoked' ? 'revoked' : 'rotated away'} (not a sign of forgery).`,
      evidence: ev,
    };
  }

  // DMARC failure for a domain that publishes an enforcing policy.
  const receiptDmarcFail = f.dmarc.atReceipt && f.dmarc.atReceipt.result === 'fail';
  if ((f.dmarc.result === 'fail' || (receiptDmarcFail && f.dmarc.result !== 'pass')) && (f.dmarc.policy === 'reject' || f.dmarc.policy === 'quarantine')) {
    const arcExplains = f.arc.result === 'pass' && f.arc.dkimBrokeAt !== null && f.arc.sets.some((s) => s.recorded.some((r) => (r.method === 'dmarc' || r.method === 'dkim') && r.result === 'pass'));
    if (arcExplains) {
      for (const s of f.arc.sets) if (s.headerIndex !== null) cite(s.headerIndex, 'ARC-Seal', `ARC set i=${s.instance} sealed by ${s.sealer ?? '?'} (cv=${s.cv ?? '?'})`, f.arc.dns);
      return { answer: 'unverified', domain: from, confidence: 'weak', summary: `DMARC for ${from} fails now, but a valid ARC chain explains it: ${f.arc.dkimBrokeAt}. Trust depends on trusting the sealers.`, evidence: ev };
    }
    if (f.dmarc.atReceipt) cite(f.dmarc.atReceipt.headerIndex, 'Authentication-Results', `${f.dmarc.atReceipt.authservId} recorded dmarc=${f.dmarc.atReceipt.result} at receipt`);
    for (const d of f.dkim) cite(d.headerIndex, 'DKIM-Signature', `DKIM by ${d.domain ?? '?'}: ${d.now.result}${d.alignment.aligned ? '' : ' and not aligned with ' + from} — ${d.now.reason}`, d.now.dns);
    if (f.spf.evaluated) cite(f.entryHeaderIndex, 'Received', `SPF ${f.spf.result} for ${f.spf.clientIp} (${f.spf.domain ?? '?'})${f.spf.alignment.aligned ? '' : ', not aligned'}`, f.spf.dns);
    const inconclusive = f.dkim.some((d) => d.now.result === 'temperror' || d.now.key === 'missing' || d.now.key === 'revoked') || !f.spf.evaluated || f.spf.result === 'temperror';
    const why: string[] = [];
    if (!alignedDkim.length) why.push(f.dkim.length ? `no DKIM signature by ${from} (only ${[...new Set(f.dkim.map((d) => d.domain))].join(', ')})` : 'no DKIM signature');
    else why.push(`DKIM by ${from} does not verify (${alignedDkim.map((d) => d.now.reason).join('; ')})`);
    if (f.spf.evaluated) why.push(`SPF ${f.spf.result} for ${f.spf.clientIp}`);
    return {
      answer: 'forged',
      domain: from,
      confidence: inconclusive ? 'strong' : 'proven',
      summary: `Not from ${from}: DMARC fails for a domain that publishes p=${f.dmarc.policy} (${why.join('; ')}).`,
      evidence: ev,
    };
  }

  // Not enough evidence: say what is missing.
  const missing: string[] = [];
  if (!f.dkim.length) missing.push('the message carries no DKIM signature');
  else if (!alignedDkim.length) missing.push(`no DKIM signature by ${from} (signed by ${[...new Set(f.dkim.map((d) => d.domain ?? '?'))].join(', ')})`);
  else if (rotated.length) missing.push(`the DKIM key of ${rotated[0]!.domain} is ${rotated[0]!.now.key === 'revoked' ? 'revoked' : 'no longer published'} and no trusted receiver recorded a pass at receipt (the body is intact since signing)`);
  else missing.push(`DKIM by ${from}: ${alignedDkim.map((d) => d.now.reason).join('; ')}`);
  if (!f.spf.evaluated) missing.push(`SPF ${f.spf.reason.replace(/^not evaluated: /, 'not evaluated: ')}`);
  else if (f.spf.result !== 'pass') missing.push(`SPF ${f.spf.result} for ${f.spf.clientIp}`);
  else missing.push(`SPF passes for ${f.spf.domain}, which is not aligned with ${from}`);
  if (f.dmarc.result === 'none') missing.push(`${from} publishes no DMARC policy`);
  else if (f.dmarc.result === 'temperror') missing.push(`the DMARC record could not be fetched`);
  else if (f.dmarc.policy === 'none') missing.push(`${from} publishes p=none (monitoring only)`);
  for (const d of f.dkim) cite(d.headerIndex, 'DKIM-Signature', `DKIM by ${d.domain ?? '?'}: ${d.now.result} — ${d.explanation}`, d.now.dns);
  const dnsTrouble = f.dkim.some((d) => d.now.result === 'temperror') || f.spf.result === 'temperror' || f.dmarc.result === 'temperror';
  return {
    answer: 'unverified',
    domain: from,
    confidence: rotated.length || (f.dmarc.result === 'fail' && f.dmarc.policy === 'none') ? 'weak' : 'none',
    summary: `Cannot confirm the message is from ${from}: ${missing.join('; ')}.${dnsTrouble ? ' Some DNS lookups failed; retry online or with a fuller --dns-snapshot.' : ''}`,
    evidence: ev,
  };
}
