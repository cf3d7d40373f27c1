// `investigate --redact` end to end through the built CLI on the lab cases (fixtures/cases): every address, local
// part, IP address and hostname named anywhere in a case's truth.json, its Message-ID and subject, and the host in
// its Maildir file names must be absent from the redacted output (JSON, JSON Lines, Markdown, HTML, terminal), except
// a domain kept with --keep-domain; the result validates, carries its key id and a valid seal; the same key gives
// the same bytes, another key other pseudonyms. No output, redacted or not, carries a message body. Options that
// cannot give a followable redaction are refused before any work.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, expectCleanStderr, type CliResult } from '../helpers/cli.js';
import { fixturePath } from '../helpers/corpus.js';
import { tempDir } from '../helpers/mail.js';
import { InvestigateReportSchema } from '../../src/report/investigate.js';
import { checkSeal } from '../../src/report/seal.js';

interface Claim { messageId: string | null; from: string | null; to: string | null; subject: string | null; around: string | null; since?: string; until?: string }
interface Truth { logClock: { year: number; timezone: string }; messageId: string | null; subject: string | null; mailboxes: Record<string, { file: string; role: string }[]> }

const casesDir = fixturePath('cases');
const cases = readdirSync(casesDir).filter((c) => existsSync(path.join(casesDir, c, 'truth.json'))).sort();
const read = <T>(c: string, f: string): T => JSON.parse(readFileSync(path.join(casesDir, c, f), 'utf8')) as T;
const dir = tempDir('mailtrail-investigate-redact-');
const KEY = path.join(dir, 'key.txt'), OTHER_KEY = path.join(dir, 'other-key.txt'), SHORT_KEY = path.join(dir, 'short-key.txt');
writeFileSync(KEY, 'c0ffee00c0ffee00c0ffee00c0ffee00\n');
writeFileSync(OTHER_KEY, 'another key of thirty-two bytes!');
writeFileSync(SHORT_KEY, 'tooshort\n');

function run(c: string, db: string, extra: string[]): CliResult {
  const truth = read<Truth>(c, 'truth.json'), claim = read<Claim>(c, 'claim.json');
  const q = claim.messageId ? ['--message-id', claim.messageId] : [...(claim.from ? ['--from', claim.from] : []), ...(claim.subject ? ['--subject', claim.subject] : [])];
  return runCli([
    '--db', db, 'investigate', path.join(casesDir, c), '--year', String(truth.logClock.year), '--tz', truth.logClock.timezone,
    '--dns-snapshot', path.join(casesDir, c, 'dns-snapshot.json'), ...q, ...(claim.to ? ['--to', claim.to] : []), ...(claim.around ? ['--around', claim.around] : []),
    ...(claim.since && claim.until ? ['--since', claim.since, '--until', claim.until] : []), ...extra,
  ]);
}

/** Every personal value truth.json and claim.json name (the software versions aside), lower-case. */
function personal(c: string): { values: string[]; locals: string[] } {
  const { software: _software, ...truth } = read<Record<string, unknown>>(c, 'truth.json');
  const text = JSON.stringify([truth, read<Claim>(c, 'claim.json')]);
  const addresses = text.match(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g) ?? [];
  const ips = text.match(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g) ?? [];
  const hosts = text.match(/\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.test\b/gi) ?? [];
  const t = read<Truth>(c, 'truth.json'), claim = read<Claim>(c, 'claim.json');
  const ids = [t.messageId, claim.messageId].filter((x): x is string => x !== null).map((x) => x.replace(/^<|>$/g, ''));
  const subjects = [t.subject, claim.subject].filter((x): x is string => x !== null);
  const values = [...addresses, ...ips, ...hosts, ...ids, ...subjects].map((v) => v.toLowerCase());
  return { values: [...new Set(values)], locals: [...new Set(addresses.map((a) => a.split('@')[0]!.toLowerCase()))] };
}

/** The body lines of the case's stored messages (what must never reach a report). */
function bodyLines(c: string): string[] {
  const t = read<Truth>(c, 'truth.json');
  return Object.entries(t.mailboxes).flatMap(([side, boxes]) => boxes.filter((b) => b.role === 'message').flatMap((b) => {
    const raw = readFileSync(path.join(casesDir, c, side, b.file), 'utf8');
    return raw.slice(raw.search(/\r?\n\r?\n/)).split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length >= 12);
  }));
}

function expectRedacted(out: string, c: string, kept: string[] = []): void {
  const lower = out.toLowerCase();
  const { values, locals } = personal(c);
  for (const v of values) if (!kept.some((k) => v === k || v.endsWith(`.${k}`))) expect(lower, `${c}: ${v}`).not.toContain(v);
  for (const l of locals) expect(lower, `${c}: local part ${l}`).not.toMatch(new RegExp(`(?<![\\w-])${l}(?![\\w-])`));
  expect(out, `${c}: Maildir host`).not.toMatch(/\.M\d+P\d+\.vm[,:]/);
  for (const b of bodyLines(c)) expect(out, `${c}: body line`).not.toContain(b);
}

describe('investigate --redact on the lab cases (built CLI)', () => {
  const keyId = createHash('sha256').update('c0ffee00c0ffee00c0ffee00c0ffee00').digest('hex').slice(0, 16);

  for (const c of cases) {
    it(`${c}: no address, IP, hostname, Message-ID or subject survives; valid, marked and sealed`, () => {
      const r = run(c, path.join(dir, `${c}.db`), ['--json', '--redact', '--redact-key-file', KEY]);
      expectCleanStderr(r.stderr);
      expect(r.code).toBe(0);
      expectRedacted(r.stdout, c);
      const doc = JSON.parse(r.stdout) as Record<string, unknown>;
      expect(InvestigateReportSchema.parse(doc).redaction).toEqual({ method: 'hmac-sha256', keyId, keptDomains: [], keepAllDomains: false });
      expect(checkSeal(doc).status).toBe('ok');
    });
  }

  const c = cases.find((x) => x === 'delivered-junk') ?? cases[0]!;
  const db = path.join(dir, `${c}.db`);

  it(`${c}: JSON Lines, Markdown, HTML and the terminal report are redacted too`, () => {
    for (const fmt of [['--jsonl'], ['--markdown'], ['--html', '-'], []]) {
      const r = run(c, db, [...fmt, '--redact', '--redact-key-file', KEY]);
      expect(r.code, r.stderr).toBe(0);
      expectRedacted(r.stdout, c);
      expect(r.stdout.replace(/\s+/g, ' ')).toContain(`key id ${keyId}`);
      if (fmt.length === 0) for (const l of r.stdout.split('\n')) expect(l.length, l).toBeLessThanOrEqual(80);
    }
  });

  it(`${c}: --keep-domain keeps that domain (and its hosts) but not its local parts`, () => {
    const r = run(c, db, ['--json', '--redact', '--redact-key-file', KEY, '--keep-domain', 'receiver.test']);
    expect(r.code, r.stderr).toBe(0);
    expectRedacted(r.stdout, c, ['receiver.test']);
    const doc = InvestigateReportSchema.parse(JSON.parse(r.stdout));
    expect(doc.message?.to[0]).toMatch(/^user-[0-9a-f]{8}@receiver\.test$/);
    expect(doc.redaction?.keptDomains).toEqual(['receiver.test']);
  });

  it(`${c}: the same key gives the same bytes; another key other pseudonyms and another key id`, () => {
    const a = run(c, db, ['--json', '--redact', '--redact-key-file', KEY]);
    const b = run(c, db, ['--json', '--redact', '--redact-key-file', KEY]);
    const o = run(c, db, ['--json', '--redact', '--redact-key-file', OTHER_KEY]);
    expect(b.stdout).toBe(a.stdout);
    const da = InvestigateReportSchema.parse(JSON.parse(a.stdout)), dob = InvestigateReportSchema.parse(JSON.parse(o.stdout));
    expect(dob.message?.from).not.toBe(da.message?.from);
    expect(dob.redaction?.keyId).not.toBe(da.redaction?.keyId);
    expect(dob.verdicts).toMatchObject({ sent: { answer: da.verdicts.sent.answer }, arrived: { answer: da.verdicts.arrived.answer } });
  });

  it(`${c}: verify-report tells the auditor whether their key is the one the report was redacted with`, () => {
    const a = run(c, db, ['--json', '--redact', '--redact-key-file', KEY]);
    const report = path.join(dir, `${c}-shareable.json`), plain = path.join(dir, `${c}-plain.json`);
    writeFileSync(report, a.stdout);
    writeFileSync(plain, run(c, db, ['--json']).stdout);
    const keyId = InvestigateReportSchema.parse(JSON.parse(a.stdout)).redaction?.keyId;
    const right = runCli(['verify-report', report, '--redact-key-file', KEY]);
    expect(right.code, right.stdout + right.stderr).toBe(0);
    expect(right.stdout).toContain(`note: redaction key: key id ${keyId} is the one this report was redacted with`);
    const wrong = runCli(['verify-report', report, '--redact-key-file', OTHER_KEY]);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(new RegExp(`^DIFFERS: redaction key: this report was redacted with key id ${keyId}; the key given has id [0-9a-f]{16}$`, 'm'));
    const notRedacted = runCli(['verify-report', plain, '--redact-key-file', KEY]);
    expect(notRedacted.code).toBe(2);
    expect(notRedacted.stderr).toMatch(/^mailtrail: the report is not redacted: --redact-key-file has nothing to check/);
  });

  it('what goes to stderr beside a redacted report is redacted too, with the same pseudonyms', () => {
    // Two cases of one plain message each (no bounce), so the list has exactly two lines to check.
    const other = cases.find((x) => x === 'delivered-inbox' && x !== c) ?? cases.find((x) => x !== c)!;
    const clock = (k: string): string[] => { const t = read<Truth>(k, 'truth.json'); return ['--year', String(t.logClock.year), '--tz', t.logClock.timezone]; };
    const redact = ['--redact', '--redact-key-file', KEY];
    const multi = path.join(dir, 'stderr-two-cases.db');
    const leaks = (out: string, ks: string[]): void => { for (const k of ks) expectRedacted(out, k); };

    // No question: the line naming the message it chose carries the report's pseudonym for its Message-ID.
    const implied = runCli(['--db', path.join(dir, 'stderr-implied.db'), 'investigate', path.join(casesDir, c), ...clock(c), '--dns-snapshot', path.join(casesDir, c, 'dns-snapshot.json'), '--json', ...redact]);
    expect(implied.code, implied.stderr).toBe(0);
    const mid = InvestigateReportSchema.parse(JSON.parse(implied.stdout)).message?.messageId;
    expect(mid).toMatch(/^<msgid-[0-9a-f]{8}@/);
    expect(implied.stderr).toContain(`investigating the one message in the evidence: ${mid}`);
    leaks(implied.stderr, [c]);

    // Two messages and no question: the list to choose from.
    const listed = runCli(['--db', multi, 'investigate', path.join(casesDir, c), path.join(casesDir, other), ...clock(c), '--json', ...redact]);
    expect(listed.code).toBe(2);
    expect(listed.stderr).toMatch(/holds 2 messages; not guessing which one you mean:\n {2}<msgid-[0-9a-f]{8}@[^>]+> {2}\S+ {2}from user-[0-9a-f]{8}@\S+ {2}"subject-[0-9a-f]{8}"\n/);
    leaks(listed.stderr, [c, other]);
    // Without --redact the same list names them (so the check above is not vacuous).
    expect(runCli(['--db', multi, 'investigate', path.join(casesDir, c), path.join(casesDir, other), ...clock(c), '--json']).stderr).toContain(read<Truth>(c, 'truth.json').subject!);

    // A question several messages answer: the candidates.
    const from = read<Claim>(c, 'claim.json').from ?? 'alice@sender.test';
    const several = runCli(['--db', multi, 'investigate', '--from', from, '--since', '2026-01-01', '--json', ...redact]);
    expect(several.code).toBe(2);
    expect(several.stderr).toMatch(/messages match the question; not guessing/);
    leaks(several.stderr, [c, other]);

    // Nothing matches: the Message-ID asked about.
    const none = runCli(['--db', multi, 'investigate', '--message-id', '<unheard-of@secret-domain.example>', '--json', ...redact]);
    expect(none.stderr).toMatch(/nothing in the store matches Message-ID <msgid-[0-9a-f]{8}@domain-[0-9a-f]{8}>/);
    expect(none.stderr).not.toMatch(/unheard-of|secret-domain/);
  });

  it(`${c}: no body text in any output without --redact either`, () => {
    for (const fmt of [['--json'], ['--jsonl'], []]) {
      const r = run(c, db, fmt);
      expect(r.code, r.stderr).toBe(0);
      for (const b of bodyLines(c)) expect(r.stdout).not.toContain(b);
    }
    expect(bodyLines(c).length).toBeGreaterThan(0);
  });

  it.each([
    [['--redact'], /--redact needs --redact-key-file/],
    [['--redact', '--redact-key-file', SHORT_KEY], /redaction key is too short \(8 bytes; at least 16\)/],
    [['--redact', '--redact-key-file', path.join(dir, 'missing.txt')], /cannot read the redaction key \(ENOENT\)/],
    [['--redact-key-file', KEY], /--redact-key-file only applies with --redact/],
    [['--keep-domain', 'receiver.test'], /--keep-domain only applies with --redact/],
    [['--redact', '--redact-key-file', KEY, '--keep-domain', 'not a domain'], /--keep-domain: not a domain name/],
  ])('refuses %j with a clear message (exit 2), before any work', (extra, message) => {
    const r = runCli(['--db', path.join(dir, 'never-created.db'), 'investigate', '--message-id', '<x@y.test>', '--json', ...extra]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/^mailtrail: /);
    expect(r.stderr).toMatch(/hint: /);
    expect(existsSync(path.join(dir, 'never-created.db'))).toBe(false);
  });
});
