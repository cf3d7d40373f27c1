// Shared test plumbing for verify: a fixed clock and a one-call verify over an in-memory resolver.
import { readFileSync } from 'node:fs';
import { corpusPath } from '../helpers/corpus.js';
import { splitStalwart } from './zones.js';
import { verifyMessage, type VerifyFacts } from '../../src/auth/verify-message.js';
import type { DnsResolver } from '../../src/auth/dns.js';
import { verifyDocument, type VerifyDocument } from '../../src/report/verify.js';

export const FIXED_NOW = new Date('2026-11-20T14:00:00.000Z');

export async function verifyWith(bytes: Buffer | string, resolver: DnsResolver, opts: { trust?: string[]; at?: Date; expect?: string[]; knownDomains?: string[]; knownSenders?: Map<string, string[]>; hasBody?: boolean } = {}): Promise<{ facts: VerifyFacts; doc: VerifyDocument }> {
  const facts = await verifyMessage(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes), {
    resolver,
    dnsSource: 'snapshot',
    now: () => FIXED_NOW,
    ...(opts.at ? { at: opts.at } : {}),
    trust: opts.trust ?? [],
    hasBody: opts.hasBody ?? true,
    dnsTimeoutMs: 2000,
  });
  const doc = verifyDocument(facts, { toolVersion: 'test', expectDomains: opts.expect ?? [], knownDomains: opts.knownDomains ?? [], knownSenders: opts.knownSenders ?? new Map() });
  return { facts, doc };
}

/** First message of an mbox file (the corpus mbox files hold one each). */
export function firstOfMbox(buf: Buffer): Buffer {
  const text = buf.toString('latin1');
  const start = text.startsWith('From ') ? text.indexOf('\n') + 1 : 0;
  const next = text.indexOf('\nFrom ', start);
  return Buffer.from(text.slice(start, next < 0 ? undefined : next + 1), 'latin1');
}

/** A corpus message as a verifier sees it: stalwart .txt without its DNS preamble, mbox's first message. */
export function loadCorpusMessage(file: string): Buffer {
  const buf = readFileSync(corpusPath(file));
  if (file.includes('stalwart-mail-auth/')) return splitStalwart(buf.toString('utf8')).message;
  if (file.endsWith('.mbox')) return firstOfMbox(buf);
  return buf;
}
