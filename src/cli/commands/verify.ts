// `mailtrail verify FILE|-` / `--db case.db --message-id ID`: who sent it, proven from the message and DNS.
// Wires the real ports (live DNS with bounded timeouts, snapshot file, store) and renders the document.

import { existsSync } from 'node:fs';
import { expandInputs } from '../../sources/walk.js';
import { getAdapter } from '../../sources/registry.js';
import { withStore } from '../store-session.js';
import { findMessagesById, findMessageBySha, type StoredMessage } from '../../store/read.js';
import { readMessageBytes } from '../../store/blobs.js';
import { readDnsAnswers, recordDnsAnswers, knownFromDomains, knownSenders, readTrustSetting, writeTrustSetting } from '../../store/dns.js';
import { normalizeMessageId } from '../../parse/message-summary.js';
import { verifyMessage } from '../../auth/verify-message.js';
import { liveResolver } from '../../auth/real-resolver.js';
import { readSnapshot, snapshotResolver, toSnapshot } from '../../auth/snapshot.js';
import type { DnsAnswer, DnsResolver } from '../../auth/dns.js';
import { verifyDocument, verifyTableRows, type VerifyDocument } from '../../report/verify.js';
import { MailtrailError } from '../../errors.js';
import { makeTable, neutralizeControls, outputFormat, toJson, toJsonl, type Ctx } from '../output.js';
import type { Db } from '../../store/db.js';
import { loadSnapshot, parseAt } from './investigate-dns.js';

export interface VerifyCliOptions {
  messageId?: string;
  sha256?: string;
  message?: string;
  offline?: boolean;
  dnsSnapshot?: string;
  trust?: string[];
  saveTrust?: boolean;
  expectDomain?: string[];
  at?: string;
  dnsTimeout?: string;
  failOn?: string[];
  json?: boolean;
  jsonl?: boolean;
}

interface Loaded {
  bytes: Buffer;
  hasBody: boolean;
  sha256?: string;
  notes: string[];
}

export async function runVerify(file: string | undefined, opts: VerifyCliOptions, ctx: Ctx): Promise<number> {
  const fmt = outputFormat(opts);
  const at = parseAt(opts.at);
  const timeoutMs = opts.dnsTimeout === undefined ? 3000 : Number(opts.dnsTimeout);
  if (!Number.isFinite(timeoutMs) || timeoutMs < 100 || timeoutMs > 60_000) throw new MailtrailError('USAGE', '--dns-timeout takes milliseconds between 100 and 60000');
  const failOn = new Set(opts.failOn ?? []);
  for (const f of failOn) if (!['forged', 'unverified'].includes(f)) throw new MailtrailError('USAGE', `--fail-on takes forged or unverified, not ${f}`);
  const fromStore = Boolean(opts.messageId || opts.sha256);
  if (file !== undefined && fromStore) throw new MailtrailError('USAGE', 'give a message file or --message-id/--sha256, not both');
  if (file === undefined && !fromStore) throw new MailtrailError('USAGE', 'which message?', { hint: 'give a message file (or - for stdin), or --message-id ID with --db' });
  const explicitDb = ctx.argv.some((a) => a === '--db' || a.startsWith('--db=')) || Boolean(process.env.MAILTRAIL_DB);
  const useStore = fromStore || opts.offline === true || opts.saveTrust === true || explicitDb || existsSync(ctx.config.db);
  if (opts.offline && !opts.dnsSnapshot && !existsSync(ctx.config.db)) {
    throw new MailtrailError('USAGE', '--offline replays DNS answers recorded in the store, and there is no store', { where: ctx.config.db, hint: 'pass --db case.db, or --dns-snapshot FILE' });
  }
  const snapshot = opts.dnsSnapshot ? loadSnapshot(opts.dnsSnapshot) : null;
  const loadedFromFile = file !== undefined ? await loadFile(file, opts.message) : null;

  const run = async (db: Db | null, runId: number | null): Promise<{ exitCode: number; doc: VerifyDocument; summary: unknown }> => {
    const loaded = loadedFromFile ?? loadFromStore(db!, opts, ctx);
    let resolver: DnsResolver;
    let source: DnsAnswer['source'];
    let recordedAt: ((n: string, t: string) => string | null) | undefined;
    if (snapshot) {
      const r = snapshotResolver(snapshot);
      resolver = r;
      source = 'snapshot';
      recordedAt = (n, t) => r.lookup(n, t)?.at ?? null;
    } else if (opts.offline) {
      const table = readSnapshot(toSnapshot(readDnsAnswers(db!)));
      const r = snapshotResolver(table);
      resolver = r;
      source = 'store';
      recordedAt = (n, t) => r.lookup(n, t)?.at ?? null;
    } else {
      resolver = liveResolver({ timeoutMs: Math.min(timeoutMs, 2500), tries: 2 });
      source = 'live';
    }
    const trust = [...(opts.trust ?? []), ...(db ? readTrustSetting(db) : [])];
    if (db && opts.saveTrust) writeTrustSetting(db, opts.trust ?? []);
    const facts = await verifyMessage(loaded.bytes, {
      resolver,
      dnsSource: source,
      ...(recordedAt ? { recordedAt } : {}),
      now: () => new Date(),
      ...(at ? { at } : {}),
      trust,
      hasBody: loaded.hasBody,
      ...(loaded.sha256 ? { sha256: loaded.sha256 } : {}),
      dnsTimeoutMs: timeoutMs * 2,
    });
    facts.warnings.unshift(...loaded.notes);
    if (db) recordDnsAnswers(db, facts.dns, runId);
    const doc = verifyDocument(facts, {
      toolVersion: ctx.toolVersion,
      expectDomains: (opts.expectDomain ?? []).map((d) => d.toLowerCase()),
      knownDomains: db ? knownFromDomains(db) : [],
      knownSenders: db ? knownSenders(db) : new Map(),
    });
    const exitCode = failOn.has(doc.verdict.answer) ? 1 : 0;
    return { exitCode, doc, summary: { verdict: doc.verdict.answer, domain: doc.verdict.domain, sha256: doc.message.sha256 } };
  };

  const result = useStore ? await withStore(ctx, 'verify', { mustExist: fromStore || opts.offline === true }, (db, runId) => run(db, runId)) : await run(null, null);
  const doc = result.doc;
  if (fmt === 'json') ctx.io.out(toJson(doc));
  else if (fmt === 'jsonl') ctx.io.out(toJsonl([{ type: 'verdict', ...doc.verdict }, ...doc.flags.map((f) => ({ type: 'flag', ...f })), ...doc.dns.map((d) => ({ type: 'dns', record: d })), { type: 'summary', sha256: doc.message.sha256, answer: doc.verdict.answer }]));
  else ctx.io.out(render(doc, ctx));
  return result.exitCode;
}


async function loadFile(file: string, pick: string | undefined): Promise<Loaded> {
  const wanted = pick === undefined ? null : Number(pick);
  if (wanted !== null && (!Number.isInteger(wanted) || wanted < 1)) throw new MailtrailError('USAGE', '--message takes a message number from 1');
  let total = 0;
  let found: Buffer | null = null;
  for await (const item of expandInputs([file], {})) {
    if (item.type === 'problem') throw new MailtrailError('BAD_INPUT', item.message, { where: item.path, hint: item.hint });
    if (item.type === 'folder') continue;
    for await (const ev of getAdapter(item.input.kind).read(item.input, { mboxFormat: 'mboxrd', maxMessageBytes: 200 * 1024 * 1024 })) {
      if (ev.type !== 'message') continue;
      total++;
      if (wanted === null ? total === 1 : total === wanted) found = ev.message.bytes;
    }
  }
  if (total === 0) throw new MailtrailError('BAD_INPUT', 'no message found', { where: file });
  if (wanted === null && total > 1) throw new MailtrailError('AMBIGUOUS', `${file} holds ${total} messages`, { hint: `choose one with --message N (1-${total})` });
  if (!found) throw new MailtrailError('USAGE', `${file} holds ${total} message(s); there is no message #${wanted}`);
  return { bytes: found, hasBody: true, notes: [] };
}

function loadFromStore(db: Db, opts: VerifyCliOptions, ctx: Ctx): Loaded {
  const found: StoredMessage[] = opts.sha256 ? findMessageBySha(db, opts.sha256) : findMessagesById(db, normalizeMessageId(opts.messageId ?? ''));
  const what = opts.sha256 ? `sha256 ${opts.sha256}` : `Message-ID ${opts.messageId}`;
  if (found.length === 0) throw new MailtrailError('NOT_FOUND', `no message with ${what} in the store`, { where: ctx.config.db });
  if (found.length > 1) {
    const list = found.map((m) => `${m.sha256.slice(0, 12)} ${m.date ?? '?'} ${m.subject ?? ''}`).join('; ');
    throw new MailtrailError('AMBIGUOUS', `${found.length} messages match ${what}: ${list}`, { hint: 'choose one with --sha256 PREFIX' });
  }
  const m = found[0]!;
  const stored = readMessageBytes(db, m.sha256);
  if (!stored) throw new MailtrailError('STORE', `the bytes of message ${m.sha256.slice(0, 12)} are missing from the store`, { where: ctx.config.db });
  const notes: string[] = [];
  if (!stored.intact) notes.push(`the stored bytes of ${m.sha256.slice(0, 12)} do not hash to their recorded sha256: the store was altered`);
  if (stored.stored === 'headers') notes.push('only the header block is stored (--headers-only): DKIM body hashes cannot be checked');
  return { bytes: stored.bytes, hasBody: stored.stored === 'full', sha256: m.sha256, notes };
}

function render(doc: VerifyDocument, ctx: Ctx): string {
  const c = ctx.chalk;
  const v = doc.verdict;
  const colour = v.answer === 'authenticated' ? c.green : v.answer === 'forged' ? c.red : c.yellow;
  const lines = [
    `${colour(v.answer.toUpperCase())} (${v.confidence})${v.domain ? `  ${v.domain}` : ''}`,
    v.summary,
    '',
    `Message-ID ${doc.message.messageId ?? '(none)'}  sha256 ${doc.message.sha256}`,
  ];
  const table = makeTable(['check', 'result', 'detail'], [12, 12, Math.max(30, ctx.config.columns - 30)]);
  for (const r of verifyTableRows(doc)) table.push(r.map(neutralizeControls));
  lines.push(table.toString());
  if (doc.flags.length) {
    lines.push('', 'Flags:');
    for (const f of doc.flags) lines.push(`  ${f.severity === 'high' ? c.red(f.severity) : f.severity}  ${f.kind}: ${f.reason}`);
  }
  const unverified = doc.boundary.hops.filter((h) => h.trust === 'unverified');
  if (unverified.length && doc.boundary.entryHop !== null) lines.push('', `Hops ${unverified.map((h) => h.index).join(', ')} are below the trust boundary: the sender's unverified claims.`);
  for (const n of doc.boundary.notes) lines.push(c.yellow(`note: ${n}`));
  for (const w of doc.warnings) lines.push(c.yellow(`warning: ${w}`));
  const relied = doc.dns.length;
  if (relied) lines.push('', `${relied} DNS answer(s) relied on (${[...new Set(doc.dns.map((d) => d.source))].join(', ')}); --json lists them.`);
  return lines.join('\n') + '\n';
}
