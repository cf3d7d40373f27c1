// End-to-end over the lab cases (fixtures/cases, made by real Postfix + Dovecot + opendkim): `investigate` runs
// through the built CLI on each case folder with the question from claim.json, the log clock from truth.json
// (logClock year/zone) and DNS only from the case's snapshot, and all three verdicts must equal truth.json
// `expected`; each of `expected.findings` (free text) must be a finding of the kind it names carrying the facts it
// states (addresses, codes, folders, headers: see test/verdict/expected-findings.ts), or, for authentication
// results, be in the sender verdict. Cases are read generally: a new case folder is covered without touching
// this file.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, expectCleanStderr } from '../helpers/cli.js';
import { fixturePath } from '../helpers/corpus.js';
import { tempDir } from '../helpers/mail.js';
import { InvestigateReportSchema, type InvestigateReport } from '../../src/report/investigate.js';
import { findingText, missingFacts, readExpectation } from '../verdict/expected-findings.js';

interface Claim { messageId: string | null; from: string | null; to: string | null; subject: string | null; around: string | null; since?: string; until?: string }
interface Truth {
  logClock: { year: number; timezone: string };
  expected: {
    sent: { answer: string; stage: string | null };
    arrived: { answer: string; outcome: string; folder: string | null };
    sender: { answer: string; domain: string | null };
    findings?: string[] | null;
  };
}

const casesDir = fixturePath('cases');
const cases = readdirSync(casesDir).filter((c) => existsSync(path.join(casesDir, c, 'truth.json'))).sort();
const read = <T>(c: string, f: string): T => JSON.parse(readFileSync(path.join(casesDir, c, f), 'utf8')) as T;

/**
 * The claim as a command line: the Message-ID when the claimant has one, else sender, recipient and subject words;
 * the claimed time, and the window the claimant is sure of (claim.json: a window both servers' logs cover). Without
 * that window a bare --around is searched ± 2 h, which these few-second logs cannot cover.
 */
function questionArgs(claim: Claim): string[] {
  const a: string[] = [];
  if (claim.messageId) a.push('--message-id', claim.messageId);
  else a.push(...(claim.from ? ['--from', claim.from] : []), ...(claim.subject ? ['--subject', claim.subject] : []));
  if (claim.to) a.push('--to', claim.to);
  if (claim.around) a.push('--around', claim.around);
  if (claim.since && claim.until) a.push('--since', claim.since, '--until', claim.until);
  return a;
}

function run(c: string, db: string, extra: string[] = []): ReturnType<typeof runCli> {
  const truth = read<Truth>(c, 'truth.json');
  return runCli([
    '--db', db, 'investigate', path.join(casesDir, c), '--year', String(truth.logClock.year), '--tz', truth.logClock.timezone,
    '--dns-snapshot', path.join(casesDir, c, 'dns-snapshot.json'), ...questionArgs(read<Claim>(c, 'claim.json')), ...extra,
  ]);
}

describe('investigate on the lab cases agrees with truth.json (built CLI, DNS from each case snapshot only)', () => {
  it('finds the lab cases (eight originals and delivered-with-receipts)', () => expect(cases).toHaveLength(9));
  const dir = tempDir('mailtrail-investigate-cases-');

  for (const c of cases) {
    it(`${c}: sent, arrived and sender verdicts equal the ground truth`, () => {
      const truth = read<Truth>(c, 'truth.json');
      const r = run(c, path.join(dir, `${c}.db`), ['--json']);
      expectCleanStderr(r.stderr);
      expect(r.code, r.stderr).toBe(0);
      // The case's own notes are not evidence: skipped, and named, so nobody wonders what was left out.
      expect(r.stderr).toContain(`3 file(s) skipped, not a message, mailbox or log format: ${['claim.json', 'dns-snapshot.json', 'truth.json'].map((f) => path.join(casesDir, c, f)).join(', ')}`);
      const doc = InvestigateReportSchema.parse(JSON.parse(r.stdout));
      const v = doc.verdicts;
      expect({
        sent: { answer: v.sent.answer, stage: v.sent.stage },
        arrived: { answer: v.arrived.answer, outcome: v.arrived.outcome, folder: v.arrived.folder },
        sender: { answer: v.sender.answer, domain: v.sender.domain },
      }).toEqual(truth.expected.sent && { sent: truth.expected.sent, arrived: truth.expected.arrived, sender: truth.expected.sender });
      // Positive answers cite evidence; every cited artifact is listed in `evidence` with its sha256.
      for (const verdict of [v.sent, v.arrived, v.sender]) if (verdict.answer === 'yes' || verdict.answer === 'authenticated' || verdict.answer === 'forged') expect(verdict.evidence.length).toBeGreaterThan(0);
      // Every cited artifact — the sender verdict's too, whether it cites a copy, a log line or a bounce's returned
      // original — is listed in `evidence` under the same sha256 and path: no bare message hashes.
      const listed = new Set(doc.evidence.map((e) => `${e.sha256} ${e.path}`));
      for (const e of [...v.sent.evidence, ...v.arrived.evidence, ...v.sender.evidence, ...doc.findings.flatMap((f) => f.evidence)]) {
        expect(listed.has(`${e.sha256} ${e.path}`), `${e.kind} ${e.sha256} ${e.path} ${e.locator}`).toBe(true);
      }
      // Within one second the timeline tells it in order: a hand-off (`sent … queued as X`) before the next server's
      // line that took X. (Across seconds the times decide: a receiver logs its receipt before the sender logs the 250.)
      for (const [i, e] of doc.timeline.entries()) {
        const x = e.status === 'sent' ? / queued as (\S+)/.exec(e.detail)?.[1] : undefined;
        const j = x === undefined ? -1 : doc.timeline.findIndex((o) => o.kind === 'log' && o.time === e.time && o.status === 'received' && o.detail.startsWith(`${x} `));
        if (j >= 0) expect(j, `${e.source.path}:${e.source.locator} ${e.detail}`).toBeGreaterThan(i);
      }
      // A refusal at RCPT time sits between the sender queueing the message and the sender logging the refusal it was
      // given (in bounced-mistyped all three share one second; the receiver's line used to come first of all).
      for (const [i, e] of doc.timeline.entries()) {
        if (e.status !== 'rejected' || !(e.source.path ?? '').includes('receiver')) continue;
        const reply = /\((.{12,})\)$/.exec(e.detail)?.[1]?.slice(0, 40);
        const told = doc.timeline.findIndex((o) => o.time === e.time && o.status === 'bounced' && reply !== undefined && o.detail.includes(reply));
        const queued = doc.timeline.findIndex((o) => o.time === e.time && o.status === 'queued' && (o.source.path ?? '').includes('sender'));
        if (told >= 0) expect(told, e.detail).toBeGreaterThan(i);
        if (told >= 0 && queued >= 0) expect(queued, e.detail).toBeLessThan(i);
        if (c === 'bounced-mistyped') expect(told).toBeGreaterThan(0);
      }
    });
  }

  for (const c of cases.filter((x) => (read<Truth>(x, 'truth.json').expected.findings ?? []).length > 0)) {
    it(`${c}: every expected finding is reported with its facts`, () => {
      const r = run(c, path.join(dir, `${c}-findings.db`), ['--json']);
      expect(r.code, r.stderr).toBe(0);
      const doc = InvestigateReportSchema.parse(JSON.parse(r.stdout));
      for (const text of read<Truth>(c, 'truth.json').expected.findings ?? []) expect(unmet(doc, text), text).toBe('');
    });
  }
  for (const c of cases.filter((x) => (read<Truth>(x, 'truth.json').expected.findings ?? []).length === 0)) {
    it(`${c}: no finding expected, so no warning is raised (informational ones only)`, () => {
      const r = run(c, path.join(dir, `${c}-findings.db`), ['--json']);
      expect(r.code, r.stderr).toBe(0);
      const doc = InvestigateReportSchema.parse(JSON.parse(r.stdout));
      expect(doc.findings.filter((f) => f.severity !== 'info').map((f) => f.summary)).toEqual([]);
    });
  }

  it('the same inputs give the same bytes (second run, store already filled)', () => {
    const c = cases[0]!;
    const db = path.join(dir, 'repeat.db');
    const a = run(c, db, ['--json']);
    const b = run(c, db, ['--json']);
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
  });

  it('the terminal report puts the verdicts first and fits 80 columns', () => {
    const c = cases.find((x) => x === 'delivered-junk') ?? cases[0]!;
    const r = run(c, path.join(dir, 'human.db'));
    expectCleanStderr(r.stderr);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const first = lines.findIndex((l) => /^SENT /.test(l));
    expect(first).toBeGreaterThan(0);
    expect(lines.findIndex((l) => /^Timeline/.test(l))).toBeGreaterThan(first);
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(80);
  });
});

/** '' when the report carries the expected finding with all its facts; otherwise what is wrong, and what there is. */
function unmet(doc: InvestigateReport, text: string): string {
  const e = readExpectation(text);
  if (e.target === null) return `cannot tell which finding "${text}" means (teach test/verdict/expected-findings.ts the phrase)`;
  if ('verdict' in e.target) {
    const v = doc.verdicts.sender;
    const miss = missingFacts(e, [v.summary, ...v.evidence.map((x) => `${x.locator} ${x.claim}`)].join('\n'));
    return miss.length ? `sender verdict lacks ${JSON.stringify(miss)}: ${v.summary}` : '';
  }
  const kinds = e.target.findings;
  const same = doc.findings.filter((f) => kinds.includes(f.kind));
  if (same.some((f) => missingFacts(e, findingText(f)).length === 0)) return '';
  return same.length
    ? same.map((f) => `${f.kind} lacks ${JSON.stringify(missingFacts(e, findingText(f)))}: ${f.summary}`).join('\n')
    : `no ${kinds.join('/')} finding; findings are: ${doc.findings.map((f) => f.kind).join(', ') || 'none'}`;
}
