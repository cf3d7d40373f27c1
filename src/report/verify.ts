// The verify document (`verify --json`) and its human rendering rows. Pure: facts in, document out.
// The document is validated against VerifyDocumentSchema before it is printed; its `verdict` is the
// SenderVerdict the investigate report embeds.

import { z } from 'zod';
import { ArcFactSchema, DkimFactSchema, DmarcFactSchema, FlagSchema, SpfFactSchema } from '../auth/facts.js';
import type { VerifyFacts } from '../auth/verify-message.js';
import { SenderVerdictSchema, decideSender } from '../verdict/sender.js';
import { identityFlags } from '../verdict/identity-flags.js';
import { fromFields } from '../parse/message-summary.js';

export const VERIFY_SCHEMA_VERSION = 1;

const HopTrustSchema = z.object({
  index: z.number().int(),
  headerIndex: z.number().int(),
  by: z.string().nullable(),
  from: z.string().nullable(),
  ip: z.string().nullable(),
  trust: z.enum(['trusted', 'entry', 'unverified']),
});

export const VerifyDocumentSchema = z.object({
  schemaVersion: z.literal(VERIFY_SCHEMA_VERSION),
  tool: z.object({ name: z.literal('mailtrail'), version: z.string() }),
  message: z.object({
    sha256: z.string(),
    messageId: z.string().nullable(),
    from: z.string().nullable(),
    fromName: z.string().nullable(),
    subject: z.string().nullable(),
    date: z.string().nullable(),
    hasBody: z.boolean(),
    evaluatedAt: z.string(),
  }),
  boundary: z.object({
    method: z.enum(['trust-option', 'authserv-id', 'none']),
    trusted: z.array(z.string()),
    entryHop: z.number().int().nullable(),
    client: z
      .object({ ip: z.string().nullable(), helo: z.string().nullable(), mailFrom: z.string().nullable(), mailFromSource: z.string().nullable(), hopIndex: z.number().int(), headerIndex: z.number().int(), internal: z.boolean() })
      .nullable(),
    hops: z.array(HopTrustSchema),
    authenticationResults: z.array(z.object({ headerIndex: z.number().int(), authservId: z.string(), trusted: z.boolean(), reason: z.string().nullable(), results: z.array(z.object({ method: z.string(), result: z.string() })) })),
    notes: z.array(z.string()),
  }),
  dkim: z.array(DkimFactSchema),
  spf: SpfFactSchema,
  dmarc: DmarcFactSchema,
  arc: ArcFactSchema,
  flags: z.array(FlagSchema),
  verdict: SenderVerdictSchema,
  dns: z.array(z.object({ name: z.string(), type: z.string(), status: z.string(), answer: z.unknown(), error: z.string().nullable(), at: z.string(), source: z.string() })),
  warnings: z.array(z.string()),
});
export type VerifyDocument = z.infer<typeof VerifyDocumentSchema>;

export interface VerifyContext {
  toolVersion: string;
  expectDomains: readonly string[];
  knownDomains: readonly string[];
  knownSenders: ReadonlyMap<string, readonly string[]>;
}

export function verifyDocument(f: VerifyFacts, ctx: VerifyContext): VerifyDocument {
  const fromField = f.fields.find((x) => x.key === 'from');
  const replyTo = f.fields
    .filter((x) => x.key === 'reply-to')
    .flatMap((x) => [...x.value.matchAll(/[^\s<>,;:"]+@[^\s<>,;:"]+/g)].slice(0, 20).map((m) => ({ address: m[0].toLowerCase(), headerIndex: x.index })));
  const rpField = f.fields.find((x) => x.key === 'return-path');
  const returnPath = f.boundary.client?.mailFrom
    ? { address: f.boundary.client.mailFrom, headerIndex: f.boundary.client.mailFromSource === 'return-path' ? (rpField?.index ?? null) : f.boundary.client.headerIndex }
    : f.summary.returnPath
      ? { address: f.summary.returnPath, headerIndex: rpField?.index ?? null }
      : null;
  const untrustedPasses = f.authResults
    .filter((a) => !a.trusted)
    .map((a) => ({ a, passes: a.parsed.results.filter((r) => r.result === 'pass') }))
    .filter((x) => x.passes.length > 0)
    .map((x) => ({ headerIndex: x.a.headerIndex, authservId: x.a.parsed.authservId, claims: x.passes.map((p) => `${p.method}=pass`).join(' '), reason: x.a.reason ?? 'not trusted' }));
  const flags = identityFlags({
    fromAddr: f.summary.fromAddr,
    fromName: f.summary.fromName,
    fromHeaderIndex: fromField?.index ?? null,
    fromFields: fromFields(f.fields),
    replyTo,
    returnPath,
    expectDomains: ctx.expectDomains,
    knownDomains: ctx.knownDomains,
    knownSenders: ctx.knownSenders,
    noDmarc: f.dmarc.result === 'none' && f.dmarc.record === null && f.fromDomain !== null,
    untrustedPasses,
    malformedSignatures: f.dkim.filter((d) => d.problems.length).map((d) => ({ headerIndex: d.headerIndex, problems: d.problems })),
    bodyLengthLimited: f.dkim.filter((d) => d.bodyLength !== null).map((d) => ({ headerIndex: d.headerIndex, domain: d.domain })),
    dnsTrouble: f.dns.filter((a) => a.status !== 'answer' && a.status !== 'NXDOMAIN' && a.status !== 'NODATA').map((a) => `${a.type} ${a.name}: ${a.status}${a.error ? ` (${a.error})` : ''}`),
  });
  const below = f.boundary.believedBelowEntry;
  const belowId = f.authResults.find((a) => below.includes(a.headerIndex))?.parsed.authservId ?? '';
  for (const i of below) {
    flags.push({ kind: 'boundary-caveat', severity: 'medium', headerIndex: i, reason: `Authentication-Results #${i} is believed only because it sits just below the entry hop's Received header and ${belowId || 'the receiver'} wrote none above it; a sender could have written it (RFC 8601 §5)` });
  }
  const verdict = decideSender({
    sha256: f.sha256,
    fromDomain: f.fromDomain,
    fromHeaderIndex: fromField?.index ?? null,
    entryHeaderIndex: f.boundary.client?.headerIndex ?? null,
    boundaryMethod: f.boundary.method,
    dkim: f.dkim,
    spf: f.spf,
    dmarc: f.dmarc,
    arc: f.arc,
    flags,
    boundaryCaveat: below.length ? { headerIndexes: below, authservId: belowId } : null,
  });
  const trusted = new Set(f.boundary.trustedHops);
  const doc: VerifyDocument = {
    schemaVersion: VERIFY_SCHEMA_VERSION,
    tool: { name: 'mailtrail', version: ctx.toolVersion },
    message: {
      sha256: f.sha256,
      messageId: f.summary.messageId,
      from: f.summary.fromAddr,
      fromName: f.summary.fromName,
      subject: f.summary.subject,
      date: f.summary.date,
      hasBody: f.hasBody,
      evaluatedAt: f.at,
    },
    boundary: {
      method: f.boundary.method,
      trusted: f.boundary.trusted,
      entryHop: f.boundary.entryHop,
      client: f.boundary.client,
      hops: f.hops.map((h) => ({
        index: h.index,
        headerIndex: h.headerIndex,
        by: h.byHost,
        from: h.fromHost,
        ip: h.fromIp,
        trust: h.index === f.boundary.entryHop ? 'entry' : trusted.has(h.index) ? 'trusted' : 'unverified',
      })),
      authenticationResults: f.authResults.map((a) => ({
        headerIndex: a.headerIndex,
        authservId: a.parsed.authservId,
        trusted: a.trusted,
        reason: a.reason,
        results: a.parsed.results.slice(0, 50).map((r) => ({ method: r.method, result: r.result })),
      })),
      notes: f.boundary.notes,
    },
    dkim: f.dkim,
    spf: f.spf,
    dmarc: f.dmarc,
    arc: f.arc,
    flags,
    verdict,
    dns: f.dns.map((a) => ({ name: a.name, type: a.type, status: a.status, answer: a.answer, error: a.error, at: a.at, source: a.source })),
    warnings: f.warnings,
  };
  return VerifyDocumentSchema.parse(doc);
}

/** Rows for the human evidence table: [check, result, detail]. */
export function verifyTableRows(doc: VerifyDocument): string[][] {
  const rows: string[][] = [];
  const b = doc.boundary;
  rows.push([
    'boundary',
    b.entryHop === null ? 'not placed' : `hop ${b.entryHop}`,
    b.client ? `client ${b.client.ip ?? '?'} HELO ${b.client.helo ?? '?'} MAIL FROM ${b.client.mailFrom ?? '?'} (${b.method}: ${b.trusted.join(', ')})` : (b.notes[0] ?? ''),
  ]);
  for (const d of doc.dkim) {
    rows.push(['dkim', d.now.result, `d=${d.domain ?? '?'} s=${d.selector ?? '?'}: ${d.explanation} [body hash: ${d.bodyHash.result}; at receipt: ${d.atReceipt ? d.atReceipt.result : 'not recorded'}; alignment: ${d.alignment.aligned ?? 'none'}]`]);
  }
  if (!doc.dkim.length) rows.push(['dkim', 'none', 'the message carries no DKIM signature']);
  rows.push(['spf', doc.spf.result, doc.spf.reason + (doc.spf.atReceipt ? ` [at receipt: ${doc.spf.atReceipt.result}]` : '')]);
  rows.push(['dmarc', doc.dmarc.result, doc.dmarc.reason + (doc.dmarc.atReceipt ? ` [at receipt: ${doc.dmarc.atReceipt.result}]` : '')]);
  const sealers = doc.arc.sets.map((s) => `i=${s.instance} ${s.sealer ?? '?'} cv=${s.cv ?? '?'}`).join(', ');
  rows.push(['arc', doc.arc.result, [doc.arc.reason, sealers, doc.arc.dkimBrokeAt].filter(Boolean).join('; ')]);
  return rows;
}
