// verify-report on bad input, through the built CLI: a truncated, edited, foreign, unsealed or newer-schema
// report, and bundles with a missing file, an altered file or an altered DNS answer. Each gives one clear line
// and the documented exit code: 0 verified, 1 a difference, 2 cannot check.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectCleanStderr, runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/corpus.js';
import { tempDir } from '../helpers/mail.js';

const caseDir = fixturePath('cases', 'delivered-inbox');
const MID = (JSON.parse(readFileSync(path.join(caseDir, 'claim.json'), 'utf8')) as { messageId: string }).messageId;

describe('verify-report: what differs, said exactly', () => {
  const dir = tempDir('mailtrail-verify-report-');
  const db = path.join(dir, 'case.db');
  const bundle = path.join(dir, 'bundle');
  const reportFile = path.join(bundle, 'report.json');
  let report = '';
  const write = (name: string, text: string): string => { const f = path.join(dir, name); writeFileSync(f, text); return f; };
  const damaged = (name: string, damage: (b: string) => void): string => {
    const b = path.join(dir, name);
    cpSync(bundle, b, { recursive: true });
    damage(b);
    return b;
  };

  beforeAll(() => {
    const ex = runCli(['--db', db, 'ingest', caseDir, '--year', '2026', '--tz', 'UTC']);
    expect(ex.code, ex.stderr).toBe(0);
    const r = runCli(['--db', db, 'export', '--message-id', MID, '--dns-snapshot', path.join(caseDir, 'dns-snapshot.json'), '--out', bundle]);
    expect(r.code, r.stderr).toBe(0);
    report = readFileSync(reportFile, 'utf8');
  });

  it('an intact report: 0, with the seal alone, against the store, and against the bundle', () => {
    for (const extra of [[], ['--db', db], ['--evidence', bundle]]) {
      const r = runCli(['verify-report', reportFile, ...extra]);
      expectCleanStderr(r.stderr);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^seal {6}ok {8}sha256 [0-9a-f]{64} over \d+ canonical bytes$/m);
    }
  });

  it('a truncated report: 2, "not complete JSON", with a hint', () => {
    const r = runCli(['verify-report', write('cut.json', report.slice(0, Math.floor(report.length / 2)))]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^mailtrail: the report is not complete JSON \(cut short after \d+ bytes\?\): .*cut\.json\nhint: /);
  });

  it('an edited report: 1, "report edited", even when the edit is one word in a verdict', () => {
    const edited = report.replace(/"answer": "yes"/, '"answer": "no"');
    expect(edited).not.toBe(report);
    const r = runCli(['verify-report', write('edited.json', edited)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^seal {6}EDITED {4}content sha256 [0-9a-f]{16}…, the seal says [0-9a-f]{16}…$/m);
    expect(r.stdout).toMatch(/^DIFFERS: report edited: /m);
    expect(r.stdout).toMatch(/^FAILED: 1 difference\(s\)$/m);
  });

  it('a report from a newer schemaVersion, not JSON, empty, not ours, unsealed: 2 with one line each', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['newer.json', report.replace('"schemaVersion": 1', '"schemaVersion": 2'), /^mailtrail: the report has schemaVersion 2, newer than this mailtrail reads \(1\): .*newer\.json\nhint: upgrade mailtrail/],
      ['notjson.txt', 'Subject: hello\n', /^mailtrail: the report is not JSON: it starts with "Subject: hello\\n": /],
      ['empty.json', '', /^mailtrail: the report is empty: /],
      ['other.json', '{"schemaVersion": 1, "tool": {"name": "other"}}', /^mailtrail: not a mailtrail report/],
    ];
    for (const [name, text, re] of cases) {
      const r = runCli(['verify-report', write(name, text)]);
      expectCleanStderr(r.stderr);
      expect(r.code, name).toBe(2);
      expect(r.stderr, name).toMatch(re);
    }
    const doc = JSON.parse(report) as Record<string, unknown>;
    delete doc['seal'];
    const u = runCli(['verify-report', write('unsealed.json', JSON.stringify(doc))]);
    expect(u.code).toBe(2);
    expect(u.stdout).toMatch(/^DIFFERS: report not sealed: /m);
  });

  it('a bundle with a missing and an altered artifact: 1, each named, SHA256SUMS agreeing', () => {
    const doc = JSON.parse(report) as { manifest: { artifacts: Array<{ path: string; kind: string }> } };
    const log = doc.manifest.artifacts.find((a) => a.kind === 'log')!.path;
    const msg = doc.manifest.artifacts.find((a) => a.kind === 'maildir')!.path;
    const b = damaged('damaged', (d) => {
      rmSync(path.join(d, 'evidence', msg));
      writeFileSync(path.join(d, 'evidence', log), readFileSync(path.join(d, 'evidence', log), 'utf8').replace('status=sent', 'status=bounced'));
    });
    const r = runCli(['verify-report', path.join(b, 'report.json'), '--evidence', b]);
    expectCleanStderr(r.stderr);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`DIFFERS: artifact missing: ${msg} (sha256 `);
    expect(r.stdout).toMatch(new RegExp(`^DIFFERS: artifact changed: ${log.replace(/[.]/g, '\\.')}: sha256 [0-9a-f]{12}… \\(\\d+ bytes\\) where the report has [0-9a-f]{12}… \\(\\d+ bytes\\)$`, 'm'));
    expect(r.stdout).toContain(`DIFFERS: bundle file missing: evidence/${msg} (listed in SHA256SUMS)`);
    expect(r.stdout).toContain(`DIFFERS: bundle file altered: evidence/${log}: `);
    expect(r.stdout).toMatch(/^seal {6}ok/m); // the report itself is untouched
    const json = runCli(['verify-report', path.join(b, 'report.json'), '--evidence', b, '--json']);
    expect(json.code).toBe(1);
    const v = JSON.parse(json.stdout) as { exitCode: number; artifacts: Array<{ path: string; check: { status: string } }> };
    expect(v.exitCode).toBe(1);
    expect(Object.fromEntries(v.artifacts.map((a) => [a.path, a.check.status]))).toMatchObject({ [msg]: 'missing', [log]: 'changed' });
  });

  it('a bundle whose DNS snapshot was altered: 1, "DNS answer differs"', () => {
    const b = damaged('dns-altered', (d) => {
      const f = path.join(d, 'dns-snapshot.json');
      const snap = JSON.parse(readFileSync(f, 'utf8')) as Record<string, Record<string, unknown>>;
      const name = Object.keys(snap).find((n) => n.startsWith('_dmarc.'))!;
      snap[name] = { TXT: [['v=DMARC1; p=none']] };
      writeFileSync(f, JSON.stringify(snap));
    });
    const r = runCli(['verify-report', path.join(b, 'report.json'), '--evidence', b]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^DIFFERS: DNS answer differs: TXT _dmarc\.\S+: the evidence has a different answer, the report relied on answer$/m);
  });

  it('a redacted report (paths and DNS names are pseudonyms) is checked by content: 0 against the bundle and the store', () => {
    const key = write('key.txt', 'k'.repeat(64));
    const r = runCli(['--db', db, 'investigate', '--message-id', MID, '--dns-snapshot', path.join(caseDir, 'dns-snapshot.json'), '--json', '--redact', '--redact-key-file', key]);
    expect(r.code, r.stderr).toBe(0);
    const red = write('redacted.json', r.stdout);
    expect(r.stdout).not.toContain('receiver.test');
    for (const extra of [['--evidence', bundle], ['--db', db]]) {
      const v = runCli(['verify-report', red, ...extra]);
      expect(v.code, v.stdout + v.stderr).toBe(0);
      expect(v.stdout).toMatch(/^verified: /m);
    }
  });

  it('usage: --db and --evidence together, or a report that is not there: 2', () => {
    const both = runCli(['verify-report', reportFile, '--db', db, '--evidence', bundle]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/^mailtrail: choose one of --db and --evidence/);
    const none = runCli(['verify-report', path.join(dir, 'nope.json')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^mailtrail: cannot read the report \(ENOENT\): /);
  });
});
