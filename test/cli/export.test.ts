// `export` end to end through the built CLI on a lab case (bounced-mistyped): the bundle holds the sealed report
// (the same bytes `investigate --json` printed), every artifact byte-exact, the DNS snapshot, the journal without
// secrets and a SHA256SUMS that `sha256sum -c` accepts; `investigate` on a copy of the bundle elsewhere, with a
// fresh store, prints the same report bytes; a store whose log file has gone exports the rest and says so.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectCleanStderr, runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/corpus.js';
import { tempDir } from '../helpers/mail.js';
import { SealedInvestigateReportSchema } from '../../src/report/seal-schema.js';
import { checkSeal } from '../../src/report/seal.js';

const CASE = 'bounced-mistyped';
const caseDir = fixturePath('cases', CASE);
const MID = (JSON.parse(readFileSync(path.join(caseDir, 'claim.json'), 'utf8')) as { messageId: string }).messageId;
const truth = JSON.parse(readFileSync(path.join(caseDir, 'truth.json'), 'utf8')) as { logClock: { year: number; timezone: string } };
const clock = ['--year', String(truth.logClock.year), '--tz', truth.logClock.timezone];
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe(`export: the evidence bundle of ${CASE} reproduces the sealed report elsewhere`, () => {
  const dir = tempDir('mailtrail-export-');
  const db = path.join(dir, 'case.db');
  const bundle = path.join(dir, 'bundle');
  let original = '';

  beforeAll(() => {
    const inv = runCli(['--db', db, 'investigate', caseDir, ...clock, '--dns-snapshot', path.join(caseDir, 'dns-snapshot.json'), '--message-id', MID, '--json']);
    expect(inv.code, inv.stderr).toBe(0);
    original = inv.stdout;
    // An old journal row with secrets in its arguments (written before redaction existed): export must not leak it.
    const raw = new Database(db);
    raw.prepare('INSERT INTO journal (at, command, args, tool_version) VALUES (?, ?, ?, ?)')
      .run('2026-11-30T00:00:00.000Z', 'ingest', JSON.stringify(['--token', 'sekrit-token', 'imaps://alice:hunter2@imap.test/']), '0.0.1');
    raw.close();
    const ex = runCli(['--db', db, 'export', '--message-id', MID, '--out', bundle]);
    expectCleanStderr(ex.stderr);
    expect(ex.code, ex.stderr).toBe(0);
    expect(ex.stdout).toBe('');
    expect(ex.stderr).toMatch(/bundle written to .*: 4 of 4 artifact\(s\), report sealed [0-9a-f]{12}…/);
  });

  it('report.json is the sealed report, byte for byte what investigate --json printed', () => {
    const text = readFileSync(path.join(bundle, 'report.json'), 'utf8');
    expect(text).toBe(original);
    const doc = SealedInvestigateReportSchema.parse(JSON.parse(text));
    expect(checkSeal(JSON.parse(text))).toMatchObject({ status: 'ok', sha256: doc.seal.sha256 });
    // Paths are relative to the evidence root, so they do not depend on where the case folder was.
    expect(doc.evidence.map((e) => e.path)).toEqual(expect.arrayContaining(['sender/mail.log', 'receiver/mail.log']));
    expect(JSON.stringify(doc)).not.toContain(caseDir);
    expect(doc.manifest.storeSchemaVersion).toBeGreaterThan(0);
    expect(doc.manifest.dns.length).toBeGreaterThan(0);
  });

  it('every artifact the manifest lists is in evidence/, byte-exact, and sha256sum -c accepts SHA256SUMS', () => {
    const doc = SealedInvestigateReportSchema.parse(JSON.parse(readFileSync(path.join(bundle, 'report.json'), 'utf8')));
    for (const a of doc.manifest.artifacts) {
      const b = readFileSync(path.join(bundle, 'evidence', a.path!));
      expect({ path: a.path, sha256: sha(b), size: b.length }).toEqual({ path: a.path, sha256: a.sha256, size: a.size });
      expect(b.equals(readFileSync(path.join(caseDir, a.path!)))).toBe(true);
    }
    const sums = readFileSync(path.join(bundle, 'SHA256SUMS'), 'utf8');
    for (const f of ['report.json', 'dns-snapshot.json', 'journal.json', 'bundle.json', 'evidence/sender/mail.log']) expect(sums).toContain(`  ${f}\n`);
    const check = spawnSync('sha256sum', ['--strict', '-c', 'SHA256SUMS'], { cwd: bundle, encoding: 'utf8' });
    if (check.error) return; // no coreutils here: the format is pinned by test/report/seal.test.ts
    expect(check.status, check.stdout + check.stderr).toBe(0);
  });

  it('the journal is there, with every command run against the store, and no secret', () => {
    const text = readFileSync(path.join(bundle, 'journal.json'), 'utf8');
    const j = JSON.parse(text) as { entries: Array<{ command: string; args: string[] }> };
    expect(j.entries.map((e) => e.command)).toEqual(expect.arrayContaining(['investigate', 'ingest', 'export']));
    expect(text).not.toContain('sekrit-token');
    expect(text).not.toContain('hunter2');
  });

  it('investigate on a copy of the bundle, elsewhere, with a fresh store, prints the same report bytes', () => {
    const elsewhere = tempDir('mailtrail-elsewhere-');
    const copy = path.join(elsewhere, 'received-bundle');
    cpSync(bundle, copy, { recursive: true });
    const r = runCli(['--db', path.join(elsewhere, 'replay.db'), 'investigate', copy, '--dns-snapshot', path.join(copy, 'dns-snapshot.json'), ...clock, '--message-id', MID, '--json'], { cwd: elsewhere });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(original);
    // bundle.json's own recipe, run inside the bundle folder.
    const recipe = (JSON.parse(readFileSync(path.join(copy, 'bundle.json'), 'utf8')) as { reproduce: { args: string[] } }).reproduce.args;
    const again = runCli(['--db', path.join(elsewhere, 'replay2.db'), ...recipe], { cwd: copy });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(original);
  });

  it('`investigate bundle/ --offline --json` alone (the question, clock and DNS from the bundle) prints the same bytes', () => {
    const elsewhere = tempDir('mailtrail-offline-');
    const copy = path.join(elsewhere, 'b');
    cpSync(bundle, copy, { recursive: true });
    const r = runCli(['--db', path.join(elsewhere, 'fresh.db'), 'investigate', copy, '--offline', '--json'], { cwd: elsewhere });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(original);
    const note = /^mailtrail: evidence bundle .*: ingesting evidence\/; from its bundle\.json: (.*)$/m.exec(r.stderr)?.[1] ?? '';
    expect(note.split(', ')).toEqual(expect.arrayContaining(['messageId', 'year', 'tz', 'DNS answers (dns-snapshot.json)']));
    // A bundle from a newer mailtrail is refused in one line, nothing guessed.
    const bj = path.join(copy, 'bundle.json');
    writeFileSync(bj, readFileSync(bj, 'utf8').replace('"bundleVersion": 1', '"bundleVersion": 2'));
    const newer = runCli(['--db', path.join(elsewhere, 'fresh2.db'), 'investigate', copy, '--offline', '--json'], { cwd: elsewhere });
    expect(newer.code).toBe(2);
    expectCleanStderr(newer.stderr);
    expect(newer.stderr).toMatch(/^mailtrail: bundle version 2 is not one this mailtrail reads \(1\): .*bundle\.json\n/);
  });

  it('verify-report accepts the bundle and the store', () => {
    const a = runCli(['verify-report', path.join(bundle, 'report.json'), '--evidence', bundle]);
    expect(a.code, a.stdout + a.stderr).toBe(0);
    expect(a.stdout).toMatch(/^verified: the report is as sealed, and its 4 artifact\(s\) and \d+ DNS answer\(s\) match$/m);
    const b = runCli(['verify-report', path.join(bundle, 'report.json'), '--db', db]);
    expect(b.code, b.stdout + b.stderr).toBe(0);
  });

  it('refuses a non-empty --out and a time-only question, writing nothing', () => {
    const busy = path.join(dir, 'busy');
    mkdirSync(busy);
    writeFileSync(path.join(busy, 'notes.txt'), 'mine\n');
    const r = runCli(['--db', db, 'export', '--message-id', MID, '--out', busy]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^mailtrail: the --out folder is not empty: an evidence bundle is never written over other files: /);
    const q = runCli(['--db', db, 'export', '--around', '2026-11-24 18:30', '--out', path.join(dir, 'noq')]);
    expect(q.code).toBe(2);
    expect(q.stderr).toMatch(/^mailtrail: a time alone is not a question/);
    expect(existsSync(path.join(dir, 'noq'))).toBe(false);
  });

  it('no question: the whole store as a bundle (no report); investigate on it with --offline and a Message-ID gives the same report', () => {
    const whole = path.join(dir, 'whole-store');
    const ex = runCli(['--db', db, 'export', '--out', whole]);
    expect(ex.code, ex.stderr).toBe(0);
    expect(ex.stderr).toMatch(/store bundle written to .*: 4 of 4 artifact\(s\), no report \(no question given\)/);
    expect(existsSync(path.join(whole, 'report.json'))).toBe(false);
    const b = JSON.parse(readFileSync(path.join(whole, 'bundle.json'), 'utf8')) as { report: unknown; reproduce: { args: string[] }; notExported: string[] };
    expect(b).toMatchObject({ report: null, notExported: [] });
    expect(b.reproduce.args).toEqual(expect.arrayContaining(['--year', String(truth.logClock.year), '--tz', truth.logClock.timezone]));
    expect(readFileSync(path.join(whole, 'journal.json'), 'utf8')).not.toContain('hunter2');
    const check = spawnSync('sha256sum', ['--strict', '-c', 'SHA256SUMS'], { cwd: whole, encoding: 'utf8' });
    if (!check.error) expect(check.status, check.stdout + check.stderr).toBe(0);
    const elsewhere = tempDir('mailtrail-whole-');
    const r = runCli(['--db', path.join(elsewhere, 'fresh.db'), 'investigate', whole, '--offline', '--message-id', MID, '--json'], { cwd: elsewhere });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(original);
  });

  it('a log file gone since ingest: the rest is exported, the missing one named, exit 2; verify-report then fails', () => {
    const moved = path.join(dir, 'moved-case');
    cpSync(caseDir, moved, { recursive: true });
    const db2 = path.join(dir, 'moved.db');
    expect(runCli(['--db', db2, 'investigate', moved, ...clock, '--dns-snapshot', path.join(moved, 'dns-snapshot.json'), '--message-id', MID, '--json']).code).toBe(0);
    rmSync(path.join(moved, 'receiver', 'mail.log'));
    const out = path.join(dir, 'partial');
    const r = runCli(['--db', db2, 'export', '--message-id', MID, '--out', out]);
    expectCleanStderr(r.stderr);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('mailtrail: artifact not exported: receiver/mail.log: the store does not keep its bytes, and the file is gone or changed');
    expect(existsSync(path.join(out, 'evidence', 'sender', 'mail.log'))).toBe(true);
    const v = runCli(['verify-report', path.join(out, 'report.json'), '--evidence', out]);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/^DIFFERS: artifact missing: receiver\/mail\.log /m);
  });
});

// Every lab case, not only one: verdict prose quotes log paths (never-sent, forged-from, sent-copy-only), and a
// single-case test once missed that. Original report = bundle's report.json = replay from bundle.json's recipe.
describe('export + replay reproduces the report bytes on every lab case', () => {
  const casesDir = fixturePath('cases');
  const cases = readdirSync(casesDir).filter((c) => existsSync(path.join(casesDir, c, 'claim.json'))).sort();
  const dir = tempDir('mailtrail-export-all-');
  for (const c of cases) {
    it(c, () => {
      const C = path.join(casesDir, c);
      const claim = JSON.parse(readFileSync(path.join(C, 'claim.json'), 'utf8')) as { messageId: string | null; from: string | null; to: string | null; subject: string | null; around: string | null; since?: string; until?: string };
      const q = claim.messageId ? ['--message-id', claim.messageId] : [...(claim.from ? ['--from', claim.from] : []), ...(claim.subject ? ['--subject', claim.subject] : [])];
      if (claim.to) q.push('--to', claim.to);
      if (claim.around) q.push('--around', claim.around);
      if (claim.since && claim.until) q.push('--since', claim.since, '--until', claim.until);
      const snap = ['--dns-snapshot', path.join(C, 'dns-snapshot.json')];
      const db = path.join(dir, `${c}.db`);
      const inv = runCli(['--db', db, 'investigate', C, ...clock, ...snap, ...q, '--json']);
      expect(inv.code, inv.stderr).toBe(0);
      const out = path.join(dir, `${c}-bundle`);
      const ex = runCli(['--db', db, 'export', '--out', out, ...snap, ...q]);
      expect(ex.code, ex.stderr).toBe(0);
      expect(readFileSync(path.join(out, 'report.json'), 'utf8')).toBe(inv.stdout);
      const recipe = (JSON.parse(readFileSync(path.join(out, 'bundle.json'), 'utf8')) as { reproduce: { args: string[] } }).reproduce.args;
      const replay = runCli(['--db', path.join(dir, `${c}-replay.db`), ...recipe], { cwd: out });
      expect(replay.code, replay.stderr).toBe(0);
      expect(replay.stdout).toBe(inv.stdout);
    });
  }
});

// The receiver's Maildir was collected with every folder empty: no artifact, but "a mailbox was looked at" decides
// that the missing copy means a deletion. The bundle lays those folders out again, so the replay decides the same.
describe('export + replay: empty Maildir folders examined stay examined', () => {
  it('deleted-after-delivery from the two logs and the empty receiver Maildir: same report bytes, finding kept', () => {
    const c = 'deleted-after-delivery';
    const C = fixturePath('cases', c);
    const t = JSON.parse(readFileSync(path.join(C, 'truth.json'), 'utf8')) as { messageId: string; logClock: { year: number; timezone: string } };
    const q = ['--message-id', t.messageId, '--dns-snapshot', path.join(C, 'dns-snapshot.json')];
    const logClock = ['--year', String(t.logClock.year), '--tz', t.logClock.timezone];
    const dir = tempDir('mailtrail-export-empty-');
    const db = path.join(dir, 'case.db');
    const inv = runCli(['--db', db, 'investigate', path.join(C, 'sender', 'mail.log'), path.join(C, 'receiver', 'mail.log'), path.join(C, 'receiver', 'Maildir'), ...logClock, ...q, '--json']);
    expect(inv.code, inv.stderr).toBe(0);
    const report = JSON.parse(inv.stdout) as { findings: Array<{ kind: string }> };
    expect(report.findings.map((f) => f.kind)).toContain('deleted-after-delivery');
    const out = path.join(dir, 'bundle');
    const ex = runCli(['--db', db, 'export', '--out', out, ...q]);
    expect(ex.code, ex.stderr).toBe(0);
    for (const f of ['Maildir', 'Maildir/.Junk', 'Maildir/.Trash']) expect(readdirSync(path.join(out, 'evidence', 'receiver', f, 'cur'))).toEqual(['.keep']);
    const recipe = (JSON.parse(readFileSync(path.join(out, 'bundle.json'), 'utf8')) as { reproduce: { args: string[] } }).reproduce.args;
    const replay = runCli(['--db', path.join(dir, 'replay.db'), ...recipe], { cwd: out });
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout).toBe(inv.stdout);
  });
});
