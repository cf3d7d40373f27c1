// The `sender` verdict of investigate: verify (auth/verify-message via the caller's port) the best copy there is
// — the recipient's copy, else the original a bounce returned, else a Sent-folder copy — and, when no copy
// authenticates, fall back on the sending server's own log: the server that relays the From domain's mail
// accepted this message from a client and handed it on (strong, not proven: a log is the server's word).
// `domain` is the domain proven (authenticated) or impersonated (forged); null when nothing is proven.
// Its evidence is EvidenceRef (log | message | mailbox | imap | report), not verify's message-only EvidenceItem:
// each verify item is re-cited against the artifact that holds the verified bytes (the mailbox file or IMAP
// message, or the bounce whose returned original was checked), so every sha256 names a file in `evidence`.

import type { VerifyDocument } from '../report/verify.js';
import type { StoredLogEvent } from '../correlate/types.js';
import { logRef, type EvidenceRef, type InvestigateSender } from './evidence-types.js';
import type { EvidenceItem } from './sender.js';
import { domainOf } from './log-sides.js';
import { authClause } from './login-words.js';

export interface VerifiedCopy {
  doc: VerifyDocument;
  /** How to cite the verified bytes: the artifact that holds them (sha256, path, kind) and where in it. */
  cite: { sha256: string; path: string | null; kind: EvidenceRef['kind']; locatorPrefix: string };
  what: 'recipient copy' | 'returned original' | 'sent copy' | 'loose copy';
}

export function decideInvestigateSender(v: VerifiedCopy | null, senderEvents: StoredLogEvent[], onSendingServer: boolean, headerFromDomain: string | null): InvestigateSender {
  // A Sent-folder copy was written by the sender's own client and never passed a receiving server: without a
  // signature that verifies, SPF/DMARC results on it mean nothing either way (not forged, just unchecked).
  const sentOnly = v !== null && v.what === 'sent copy' && v.doc.verdict.answer !== 'authenticated';
  const mapped: InvestigateSender | null = v === null ? null : {
    answer: sentOnly ? 'unverified' : v.doc.verdict.answer,
    domain: sentOnly || v.doc.verdict.answer === 'unverified' ? null : v.doc.verdict.domain,
    confidence: sentOnly ? 'none' : v.doc.verdict.confidence,
    summary: sentOnly
      ? `Unverified: the only copy is the sender's own Sent-folder copy, which no receiving server checked and which carries no signature that verifies (${v.doc.verdict.summary.replace(/\.$/, '')}).`
      : v.what === 'recipient copy' ? v.doc.verdict.summary : `${v.doc.verdict.summary} (checked on the ${v.what})`,
    evidence: v.doc.verdict.evidence.map((e) => recite(v, e)),
  };
  if (mapped && mapped.answer !== 'unverified') return mapped;

  // The sending server's log: accepted from a client, then handed on or delivered.
  const accepted = senderEvents.find((e) => e.status === 'received');
  const onward = senderEvents.find((e) => e.status === 'sent' || e.status === 'delivered' || e.status === 'bounced' || e.status === 'deferred');
  const envFrom = senderEvents.find((e) => e.from)?.from?.toLowerCase() ?? null;
  const envDomain = domainOf(envFrom);
  const domain = headerFromDomain ?? envDomain;
  if (onSendingServer && accepted && onward && domain !== null && envDomain === domain) {
    const local = onward.status === 'delivered';
    return {
      answer: 'authenticated', domain, confidence: 'strong',
      summary: `Sent with the authority of ${domain} as far as its own server's log shows: the server that ${local ? 'handles' : 'relays'} ${domain}'s mail accepted it from ${accepted.client ?? 'a client'}${authClause(accepted)}, with envelope sender ${envFrom}, and ${local ? 'delivered it' : 'handed it on'}; no copy that a receiving server checked is in the evidence, so this rests on the log.`,
      evidence: [logRef(accepted, `accepted by ${domain}'s sending server from ${accepted.client ?? 'a client'}${authClause(accepted)}`), logRef(onward, `handed on (${onward.status})`), ...(mapped?.evidence ?? [])],
    };
  }
  if (mapped) return mapped;
  if (senderEvents.length > 0) {
    return {
      answer: 'unverified', domain: null, confidence: 'none', evidence: [],
      summary: `Unverified: no copy of the message is in the evidence to check, and its sending server's log lines do not show ${domain ?? 'the From domain'}'s own server accepting it from a client and handing it on.`,
    };
  }
  return { answer: 'unverified', domain: null, confidence: 'none', summary: 'Unverified: no copy of the message and no sending-server record of it is in the evidence.', evidence: [] };
}

/** A verify evidence item cited against the artifact that holds the verified bytes; SPF/DMARC policy text quoted. */
function recite(v: VerifiedCopy, e: EvidenceItem): EvidenceRef {
  const dns = e.dns.map((d) => {
    const text = policyText(v.doc.dns.find((a) => a.name === d.name && a.type === d.type && a.status === 'answer')?.answer);
    return `${d.type} ${d.name}${text ? ` = "${text}"` : ''}`;
  });
  return { sha256: v.cite.sha256, kind: v.cite.kind, path: v.cite.path, locator: `${v.cite.locatorPrefix}${e.locator}`, claim: dns.length ? `${e.claim} [DNS: ${dns.join(', ')}]` : e.claim };
}

/** The SPF or DMARC record among TXT answers (string chunks joined, RFC 7208 §3.3); keys and other TXT are left out. */
function policyText(answer: unknown): string | null {
  if (!Array.isArray(answer)) return null;
  for (const rr of answer) {
    const t = Array.isArray(rr) ? rr.filter((x): x is string => typeof x === 'string').join('') : typeof rr === 'string' ? rr : '';
    if (/^v=(?:spf1|DMARC1)\b/i.test(t)) return t.length > 200 ? `${t.slice(0, 199)}…` : t;
  }
  return null;
}
