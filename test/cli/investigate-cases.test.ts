// End-to-end over the lab cases (fixtures/cases, made by real Postfix + Dovecot + opendkim): `investigate` runs
// through the built CLI on each case folder with the question from claim.json, the log clock from truth.json
// (logClock year/zone) and DNS only from the case's snapshot, and all three verdicts must equal truth.json
// `expected`. Cases are read generally: a new case folder is covered without touching this file.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, expectCleanStderr } from '../helpers/cli.js';
import { fixturePath } from '../helpers/corpus.js';
import { tempDir } from '../helpers/mail.js';
import { InvestigateReportSchema } from '../../src/report/investigate.js';

interface Claim { messageId: string | null; from: string | null; to: string | null; subject: string | null; around: string | null; since?: string; until?: string }
interface Truth {
  logClock: { year: number; timezone: string };
  expected: {
    sent: { answer: string; stage: string | null };
    arrived: { answer: string; outcome: string; folder: string | null };
    sender: { answer: string; domain: string | null };
  };
}

const casesDir = fixturePath('cases');
const cases = readdirSync(casesDir).filter((c) => existsSync(path.join(casesDir, c, 'truth.json'))).sort();
const read = <T>(c: string, f: string): T => JSON.parse(readFileSync(path.join(casesDir, c, f), 'utf8')) as T;

/** The claim as a command line: the Message-ID when the claimant has one, else sender, recipient and subject words. */
function questionArgs(claim: Claim): string[] {
  const a: string[] = [];
  if (claim.messageId) a.push('--message-id', claim.messageId);
  else a.push(...(claim.from ? ['--from', claim.from] : []), ...(claim.subject ? ['--subject', claim.subject] : []));
  if (claim.to) a.push('--to', claim.to);
  if (claim.around) a.push('--around', claim.around);
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
  it('finds the eight cases', () => expect(cases).toHaveLength(8));
  const dir = tempDir('mailtrail-investigate-cases-');

  for (const c of cases) {
    it(`${c}: sent, arrived and sender verdicts equal the ground truth`, () => {
      const truth = read<Truth>(c, 'truth.json');
      const r = run(c, path.join(dir, `${c}.db`), ['--json']);
      expectCleanStderr(r.stderr);
      expect(r.code).toBe(0);
      const doc = InvestigateReportSchema.parse(JSON.parse(r.stdout));
      const v = doc.verdicts;
      expect({
        sent: { answer: v.sent.answer, stage: v.sent.stage },
        arrived: { answer: v.arrived.answer, outcome: v.arrived.outcome, folder: v.arrived.folder },
        sender: { answer: v.sender.answer, domain: v.sender.domain },
      }).toEqual(truth.expected.sent && { sent: truth.expected.sent, arrived: truth.expected.arrived, sender: truth.expected.sender });
      // Positive answers cite evidence; every cited artifact is listed in `evidence` with its sha256.
      for (const verdict of [v.sent, v.arrived, v.sender]) if (verdict.answer === 'yes' || verdict.answer === 'authenticated' || verdict.answer === 'forged') expect(verdict.evidence.length).toBeGreaterThan(0);
      const listed = new Set(doc.evidence.map((e) => e.sha256));
      for (const e of [...v.sent.evidence, ...v.arrived.evidence, ...doc.findings.flatMap((f) => f.evidence)]) expect(listed.has(e.sha256)).toBe(true);
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
