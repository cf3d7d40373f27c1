// `mailtrail investigate [paths...] --message-id ID | --from A --to B [--subject W] --around T|--since/--until`:
// ingest the paths (idempotently), then answer was it sent, did it arrive (where), who sent it, from
// everything in the store. Thin: options → question → investigate() over store ports → report → render.

import { MailtrailError, describeError } from '../../errors.js';
import { withStore } from '../store-session.js';
import { realIngestPorts } from '../ingest-ports.js';
import { ingest } from '../../ingest/ingest.js';
import { createPreparePool, defaultWorkers } from '../../ingest/prepare-pool.js';
import { parseTz } from './ingest.js';
import { parseWhen } from './trace.js';
import { hopsByQueueId, LogEventReader, logCoverage } from '../../store/log-events.js';
import { EvidenceReader } from '../../store/evidence.js';
import { reportedMessageId, unnamedReport } from '../../verdict/reports.js';
import type { StoredCopy } from '../../verdict/evidence-types.js';
import { countMessages, findMessageBySha, readHops } from '../../store/read.js';
import { readMessageBytes } from '../../store/blobs.js';
import { knownFromDomains, knownSenders, recordDnsAnswers } from '../../store/dns.js';
import { investigate, type InvestigatePorts } from '../../verdict/investigate.js';
import { impliedQuestion, parseSpan, type Question } from '../../correlate/question.js';
import { buildInvestigateReport, candidateLines, type InvestigateReport } from '../../report/investigate.js';
import { verifyDocument } from '../../report/verify.js';
import { verifyMessage } from '../../auth/verify-message.js';
import { makeResolver, parseAt, type ResolverOptions } from './investigate-dns.js';
import { renderInvestigate } from './investigate-render.js';
import { renderReport } from '../../report/html-renderers.js';
import { writeFileSync } from 'node:fs';
import { sealForStore } from './export-seal.js';
import { outputFormat, toJson, toJsonl, type Ctx } from '../output.js';
import { redactOptions, type RedactCliOptions } from '../redact-key.js';
import { redactNote, redactReport, type NoteValues } from '../../report/redact.js';
import { bundleReplay } from './investigate-bundle.js';
import { sealReport } from '../../report/seal.js';
import type { Db } from '../../store/db.js';

export interface InvestigateCliOptions extends ResolverOptions, RedactCliOptions {
  messageId?: string;
  /** A stored message by (a prefix of) the sha256 of its bytes. */
  sha256?: string;
  from?: string;
  to?: string;
  subject?: string;
  around?: string;
  since?: string;
  until?: string;
  /** Half-width of the search window around --around (`2h` by default). */
  window?: string;
  year?: string;
  tz?: string;
  expectDomain?: string[];
  json?: boolean;
  jsonl?: boolean;
  /** Write the report as a self-contained HTML page to this file (- for stdout). */
  html?: string;
  markdown?: boolean;
}

export function buildQuestion(o: InvestigateCliOptions): Question {
  if (o.sha256 !== undefined) {
    const others = (['messageId', 'from', 'to', 'subject', 'around', 'since', 'until', 'window'] as const).filter((k) => o[k] !== undefined);
    if (others.length > 0) throw new MailtrailError('USAGE', `--sha256 names one stored message: ask without --${others.map((k) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)).join(', --')}`);
    if (!/^[0-9a-f]{6,64}$/i.test(o.sha256)) throw new MailtrailError('USAGE', `--sha256 takes 6 to 64 hex digits of a stored message's sha256, not '${o.sha256}'`, { hint: 'hops FILE prints a message\'s sha256, as investigate --json does for each copy' });
    return { messageId: null, from: null, to: null, subject: null, around: null, since: null, until: null, sha256: o.sha256.toLowerCase() };
  }
  const hasTime = o.around !== undefined || o.since !== undefined || o.until !== undefined;
  if (o.messageId === undefined && !hasTime) {
    throw new MailtrailError('USAGE', 'investigate needs a Message-ID, or a sender/recipient and a time', {
      hint: "mailtrail investigate --message-id '<id@example.com>'  or  --from a@x.test --to b@y.test --around '2026-11-20 14:00'",
    });
  }
  if (o.messageId === undefined && o.from === undefined && o.to === undefined) {
    throw new MailtrailError('USAGE', 'a time alone is not a question: add --from and/or --to (or --message-id)');
  }
  if (o.messageId !== undefined && o.messageId.trim() === '') throw new MailtrailError('USAGE', '--message-id is empty');
  const when = (v: string | undefined, edge: 'since' | 'until'): string | null => (v === undefined ? null : new Date(parseWhen(v, edge)).toISOString());
  let around: string | null = null;
  if (o.around !== undefined) {
    const t = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(o.around) ? o.around.replace(' ', 'T') : `${o.around.replace(' ', 'T')}Z`);
    if (Number.isNaN(t)) throw new MailtrailError('USAGE', `--around: not a time: '${o.around}'`, { hint: "use '2026-11-20 14:00' (UTC) or ISO 8601 with a zone" });
    around = new Date(t).toISOString();
  }
  const q: Question = {
    messageId: o.messageId?.trim() ?? null, from: o.from?.trim().toLowerCase() ?? null, to: o.to?.trim().toLowerCase() ?? null,
    subject: o.subject ?? null, around, since: when(o.since, 'since'), until: when(o.until, 'until'),
  };
  if (o.window !== undefined) {
    // The window becomes an explicit since/until around the claimed time, so the report says what was searched.
    const ms = parseSpan(o.window);
    if (ms === null) throw new MailtrailError('USAGE', `--window: not a span: '${o.window}'`, { hint: 'use 30m, 2h, 1h30m or 1d (at most 30d)' });
    if (around === null) throw new MailtrailError('USAGE', '--window needs --around: it is the half-width of the search around that time');
    if (o.since !== undefined || o.until !== undefined) throw new MailtrailError('USAGE', '--window and --since/--until both set the search window: give one');
    q.since = new Date(Date.parse(around) - ms).toISOString();
    q.until = new Date(Date.parse(around) + ms).toISOString();
  }
  if (q.since !== null && q.until !== null && q.since > q.until) throw new MailtrailError('USAGE', '--since is after --until');
  return q;
}

export async function runInvestigate(givenPaths: string[], givenOpts: InvestigateCliOptions, ctx: Ctx): Promise<number> {
  const replay = bundleReplay(givenPaths, givenOpts);
  const paths = replay?.paths ?? givenPaths;
  const opts = replay?.opts ?? givenOpts;
  if (replay && !ctx.config.quiet) ctx.io.err(`mailtrail: ${replay.note}\n`);
  const fmt = outputFormat(opts);
  if ([fmt !== 'table', opts.markdown === true, opts.html === '-'].filter(Boolean).length > 1) {
    throw new MailtrailError('USAGE', 'choose one of --json, --jsonl, --markdown and --html - (each prints the report to stdout)');
  }
  // No question but evidence named: the question is the one message in it (see impliedQuestion).
  let q: Question | null = paths.length > 0 && !asksSomething(opts) ? null : buildQuestion(opts);
  const at = parseAt(opts.at);
  const log = logOptions(opts);
  const redaction = redactOptions(opts);
  // --redact covers what goes to stderr beside the report too: a pasted terminal must not undo it.
  const note: Note = redaction === null ? (s) => s : (s, values) => redactNote(s, redaction, values);
  const resolverFor = makeResolver(opts, ctx);

  const result = await withStore(ctx, 'investigate', { mustExist: paths.length === 0 }, async (db, runId) => {
    if (paths.length) await ingestPaths(db, runId, paths, log, ctx, note);
    if (countMessages(db) === 0 && logCoverage(db).length === 0) {
      throw new MailtrailError('NOT_FOUND', 'the evidence store is empty: nothing to investigate', { where: ctx.config.db, hint: 'give the evidence as paths (mailtrail investigate DIR …) or ingest it first' });
    }
    q ??= questionFromEvidence(db, paths, ctx, note);
    if (q.sha256 !== undefined && q.sha256.length < 64) q = { ...q, sha256: fullSha(db, q.sha256) };
    const resolver = resolverFor(db);
    const ports = storePorts(db, async (bytes, o) => {
      const facts = await verifyMessage(bytes, {
        resolver: resolver.resolver, dnsSource: resolver.source, ...(resolver.recordedAt ? { recordedAt: resolver.recordedAt } : {}),
        now: () => new Date(), ...(o.at ? { at: o.at } : {}), trust: resolver.trust, hasBody: o.hasBody, ...(o.sha256 ? { sha256: o.sha256 } : {}), dnsTimeoutMs: resolver.timeoutMs * 2,
      });
      recordDnsAnswers(db, facts.dns, runId);
      return verifyDocument(facts, { toolVersion: ctx.toolVersion, expectDomains: (opts.expectDomain ?? []).map((d) => d.toLowerCase()), knownDomains: knownFromDomains(db), knownSenders: knownSenders(db) });
    });
    const outcome = await investigate(q, ports, { at: at ?? null });
    if (outcome.kind === 'ambiguous') {
      const cs = outcome.candidates;
      const named = { messageIds: cs.map((c) => c.messageId), addresses: cs.flatMap((c) => [c.from, ...c.to]), subjects: cs.map((c) => c.subject) };
      return { exitCode: 2, report: null, searched: [], candidates: candidateLines(cs).map((l) => note(l, named)), summary: { ambiguous: cs.length } };
    }
    // Sealed (relative paths, manifest, seal): see src/report/seal.ts. Re-seal after any later change (redaction).
    const built = buildInvestigateReport(outcome.facts, ctx.toolVersion);
    const report = sealForStore(db, built, ctx.toolVersion);
    const v = report.verdicts;
    const unanswered = report.message === null && v.sent.answer === 'undetermined' && v.arrived.answer === 'undetermined';
    // For the "nothing matches" line on stderr: the logs as the user named them (the sealed report's paths are relative).
    const searched = built.evidence.filter((e) => e.kind === 'log').map((e) => `${e.path ?? e.sha256} (${e.coverage?.from ?? '?'} to ${e.coverage?.to ?? '?'}${e.coverage?.gaps.length ? `, ${e.coverage.gaps.length} gap(s)` : ''})`);
    return { exitCode: unanswered ? 2 : 0, report, searched, candidates: [], summary: { sent: v.sent.answer, arrived: v.arrived.answer, sender: v.sender.answer } };
  });

  if (result.report === null) {
    ctx.io.err(`mailtrail: ${result.candidates.length} messages match the question; not guessing which one you mean:\n${result.candidates.map((l) => `  ${l}`).join('\n')}\nhint: choose one with --message-id, or narrow the question with --subject, a smaller --window or a tighter --since/--until\n`);
    return 2;
  }
  // --redact: pseudonyms replace names before any renderer sees the report; the seal is then made again over them.
  const report: InvestigateReport = redaction === null ? result.report : sealReport(redactReport(result.report, redaction));
  if (report.message === null) {
    const searched = result.searched;
    const line = `nothing in the store matches ${q?.messageId ? `Message-ID ${q.messageId}` : q?.sha256 !== undefined ? `sha256 ${q.sha256}` : 'the question'}; searched ${searched.length} log source(s)${searched.length ? `: ${searched.join('; ')}` : ''} and every stored message`;
    ctx.io.err(`mailtrail: ${note(line, questionValues(q))}\n`);
  }
  if (opts.html !== undefined && opts.html !== '-') writeReportFile(opts.html, renderReport('html', report));
  if (opts.html === '-') ctx.io.out(renderReport('html', report));
  else if (opts.markdown) ctx.io.out(renderReport('markdown', report));
  else if (fmt === 'json') ctx.io.out(toJson(report));
  else if (fmt === 'jsonl') {
    ctx.io.out(toJsonl([
      ...(['sent', 'arrived', 'sender'] as const).map((k) => ({ type: 'verdict', verdict: k, ...report.verdicts[k] })),
      ...report.timeline.map((t) => ({ type: 'event', ...t })),
      ...report.findings.map((x) => ({ type: 'finding', ...x })),
      { type: 'summary', schemaVersion: report.schemaVersion, message: report.message?.messageId ?? null, sent: report.verdicts.sent.answer, arrived: report.verdicts.arrived.answer, sender: report.verdicts.sender.answer, caveats: report.caveats },
    ]));
  } else ctx.io.out(renderInvestigate(report, ctx));
  return result.exitCode;
}

/** A stderr line as printed: redacted with --redact (naming the values it holds), as it is otherwise. */
type Note = (line: string, values?: NoteValues) => string;

function questionValues(q: Question | null): NoteValues {
  return { messageIds: [q?.messageId ?? null], addresses: [q?.from ?? null, q?.to ?? null], subjects: [q?.subject ?? null] };
}

/** Skipped files named one by one up to this many. */
const SKIPPED_NAMED = 5;

async function ingestPaths(db: Db, runId: number, paths: string[], log: { year?: number; tz?: number | string }, ctx: Ctx, note: Note): Promise<void> {
  const pool = createPreparePool(Math.min(defaultWorkers(), 4));
  const skipped: string[] = [];
  const unfinished: string[] = [];
  /** Named when few (a case folder's notes: claim.json, truth.json), so nobody wonders which evidence was left out. */
  const named = (files: string[]): string => {
    const first = files.sort().slice(0, SKIPPED_NAMED);
    const listed = note(first.join(', '), { paths: first });
    return files.length <= SKIPPED_NAMED ? `: ${listed}` : ` (the first: ${listed})`;
  };
  try {
    const summary = await ingest(paths, { headersOnly: false, mboxFormat: 'mboxrd', maxMessageBytes: 100 * 1024 * 1024, log }, realIngestPorts(db, { runId, toolVersion: ctx.toolVersion }, {
      onProblem: (p) => {
        if (p.message.startsWith('skipped: in a Maildir tmp/')) { unfinished.push(p.path); return; }
        // A skipped file with a way to read it (an Outlook file, a compressed mailbox) is named on its own, with it.
        if (p.message.startsWith('skipped') && p.hint === undefined) { skipped.push(p.path); return; }
        ctx.io.err(`mailtrail: ${note(`${p.message}: ${p.position === 'file' ? p.path : `${p.path} ${p.position}`}`, { paths: [p.path] })}\n${p.hint ? `hint: ${note(p.hint, { paths: [p.path] })}\n` : ''}`);
      },
    }, pool));
    if (skipped.length > 0 && !ctx.config.quiet) ctx.io.err(`mailtrail: ${skipped.length} file(s) skipped, not a message, mailbox or log format${named(skipped)}\n`);
    if (unfinished.length > 0 && !ctx.config.quiet) {
      ctx.io.err(`mailtrail: ${unfinished.length} file(s) in a Maildir tmp/ skipped: deliveries started and not finished, not read as delivered${named(unfinished)}\n`);
    }
    if (summary.errors > 0) ctx.io.err(`mailtrail: ${summary.errors} input problem(s) while ingesting; the rest was kept\n`);
  } finally {
    await pool.close();
  }
}

/** The one stored message whose sha256 starts with `prefix`. */
function fullSha(db: Db, prefix: string): string {
  const found = findMessageBySha(db, prefix);
  if (found.length === 0) throw new MailtrailError('NOT_FOUND', `no stored message has a sha256 starting ${prefix}`, { where: db.name, hint: 'hops FILE prints a message\'s sha256, as investigate --json does for each copy' });
  if (found.length > 1) throw new MailtrailError('AMBIGUOUS', `${found.length >= 10 ? 'at least 10' : found.length} stored messages have a sha256 starting ${prefix}: ${found.map((m) => m.sha256.slice(0, 16)).join(', ')}`, { hint: 'give more digits' });
  return found[0]!.sha256;
}

function asksSomething(o: InvestigateCliOptions): boolean {
  return [o.messageId, o.sha256, o.from, o.to, o.subject, o.around, o.since, o.until, o.window].some((v) => v !== undefined);
}

const MAX_REPORT_CHECKS = 50;

function questionFromEvidence(db: Db, paths: string[], ctx: Ctx, note: Note): Question {
  const copies = new EvidenceReader(db).copiesAtPaths(paths);
  // Reading each copy for a bounce only matters for a handful (a message and its reports); a mailbox of
  // thousands is a list to choose from whatever its bounces say.
  const reportsOn = (c: StoredCopy): string | null => {
    const b = copies.length > MAX_REPORT_CHECKS ? null : readMessageBytes(db, c.sha256);
    return b && b.stored === 'full' ? reportedMessageId(b.bytes) : null;
  };
  const found = impliedQuestion(copies, reportsOn);
  if ('question' in found) {
    const q = found.question;
    const what = found.viaReport ? 'the message the report in the evidence (a bounce, feedback report or read receipt) is about' : 'the one message in the evidence';
    const asked = q.messageId ?? (q.sha256 !== undefined ? `sha256 ${q.sha256} (it has no Message-ID, and no From/To and Date to ask by)` : `from ${q.from ?? '?'} to ${q.to ?? '?'} around ${q.around ?? '?'}`);
    let line = `no question given; investigating ${what}: ${asked}`;
    // A report that names no message is investigated as itself; say so, and what would ask about its message.
    const self = found.viaReport || copies.length !== 1 ? undefined : copies[0];
    const stored = self === undefined ? null : readMessageBytes(db, self.sha256);
    const u = self !== undefined && stored != null && stored.stored === 'full' ? unnamedReport(stored.bytes, self.to[0] ?? null) : null;
    if (u !== null) {
      const ask = [u.from && `--from ${u.from}`, u.to && `--to ${u.to}`, u.around && `--around ${u.around}`].filter(Boolean).join(' ');
      line += ` (a ${u.kind}, but the message it reports on carries no Message-ID, so it cannot be linked: this is the report itself${ask ? `; to look for that message in other evidence (the sender's log or mailbox), ask: ${ask}` : ''})`;
    }
    if (!ctx.config.quiet) ctx.io.err(`mailtrail: ${note(line, { ...questionValues(q), addresses: [q.from, q.to, u?.from ?? null, u?.to ?? null] })}\n`);
    return q;
  }
  const n = found.choices.length;
  // Oldest first (undated last), as a user scans a mailbox; ties by Message-ID so the listing is stable.
  const byDate = [...found.choices].sort((a, b) => (a.date ?? '~').localeCompare(b.date ?? '~') || (a.messageId ?? '').localeCompare(b.messageId ?? ''));
  const lines = byDate.slice(0, 10).map((c) => {
    // The subject is redacted whole, then shortened: a shortened subject would no longer be found.
    const subject = c.subject === null ? null : note(c.subject, { subjects: [c.subject] });
    const head = note(`  ${c.messageId ?? '(no Message-ID)'}  ${c.date ?? '(no date)'}  from ${c.from ?? '?'}`, { messageIds: [c.messageId], addresses: [c.from] });
    // Without a Message-ID the hash is the one handle a user has on it (--sha256).
    const sha = c.messageId === null ? `  sha256 ${c.sha256.slice(0, 12)}` : '';
    return `${head}  ${subject === null ? '' : JSON.stringify(subject.length > 60 ? `${subject.slice(0, 60)}…` : subject)}${sha}`;
  });
  if (n > 10) lines.push(`  … and ${n - 10} more`);
  const what = n === 0 ? 'the evidence holds no message to ask about' : n === 1 ? 'the one message in the evidence has no Message-ID and no usable From/To and Date to ask by' : `the evidence holds ${n} messages; not guessing which one you mean`;
  throw new MailtrailError('USAGE', n > 0 ? `${what}:\n${lines.join('\n')}` : what, {
    hint: `ask about one: --message-id '<id@example.com>'${found.choices.some((c) => c.messageId === null) ? ', --sha256 PREFIX (one with no Message-ID)' : ''}, or --from/--to with --around '2026-11-20 14:00'`,
  });
}

function logOptions(o: InvestigateCliOptions): { year?: number; tz?: number | string } {
  const out: { year?: number; tz?: number | string } = {};
  if (o.year !== undefined) {
    if (!/^\d{4}$/.test(o.year)) throw new MailtrailError('USAGE', `--year takes a four-digit year, not '${o.year}'`);
    out.year = Number(o.year);
  }
  if (o.tz !== undefined) out.tz = parseTz(o.tz);
  return out;
}

function storePorts(db: Db, verify: InvestigatePorts['verify']): InvestigatePorts {
  const logs = new LogEventReader(db);
  const ev = new EvidenceReader(db);
  let cov: ReturnType<typeof logCoverage> | null = null;
  return {
    byMessageId: (m) => logs.byMessageId(m),
    byQueueId: (x) => logs.byQueueId(x),
    transaction: (a, x) => logs.transaction(a, x),
    byRemoteQueueId: (x) => logs.byRemoteQueueId(x),
    byRelatedQueueId: (x) => logs.byRelatedQueueId(x),
    byAddress: (s, a, since, until) => logs.byAddress(s, a, since, until),
    hopsByQueueId: (x) => hopsByQueueId(db, x),
    copiesByMessageId: (k) => ev.copiesByMessageId(k),
    copiesByAddress: (f, t, s, u) => ev.copiesByAddress(f, t, s, u),
    copyBySha: (s) => ev.copyBySha(s),
    coverage: () => (cov ??= logCoverage(db)),
    sideRows: (a, b) => ev.sideRows(a, b),
    reportsAbout: (k) => ev.reportsAbout(k),
    reportCandidates: (s, u) => ev.reportCandidates(s, u),
    messageBytes: (sha) => {
      const b = readMessageBytes(db, sha);
      return b ? { bytes: b.bytes, hasBody: b.stored === 'full' } : null;
    },
    headersOf: (id) => ev.headersOf(id),
    hops: (id) => readHops(db, id),
    receivingAddresses: (d) => ev.receivingAddresses(d),
    hasMailboxEvidence: () => ev.hasMailboxEvidence(),
    verify,
  };
}

/** --html FILE: written before anything goes to stdout, so a failure leaves no half-printed report. */
function writeReportFile(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (err) {
    throw new MailtrailError('IO', `cannot write the HTML report: ${describeError(err)}`, { where: file });
  }
}
