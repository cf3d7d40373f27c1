// investigate --html FILE / --html - / --markdown through the built CLI on a lab case: the file is the HTML
// renderer's page for the very report --json prints, Markdown goes to stdout, stdout formats exclude each other,
// and a file that cannot be written is a one-line error (exit 2) with nothing half-printed.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectCleanStderr, runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/corpus.js';
import { tempDir } from '../helpers/mail.js';
import { renderHtml } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { hopChains } from '../../src/report/html-hops.js';
import { InvestigateReportSchema } from '../../src/report/investigate.js';

const CASE = fixturePath('cases', 'delivered-junk');
/** The case's own question time (the lab stamps it when it runs). */
const CLAIM = JSON.parse(readFileSync(path.join(CASE, 'claim.json'), 'utf8')) as { around: string };
const QUESTION = ['--year', '2026', '--tz', 'UTC', '--dns-snapshot', path.join(CASE, 'dns-snapshot.json'), '--from', 'alice@sender.test', '--subject', 'lottery', '--to', 'bob@receiver.test', '--around', CLAIM.around];

describe('investigate --html / --markdown (built CLI)', () => {
  const dir = tempDir('mailtrail-investigate-html-');
  const db = path.join(dir, 'case.db');
  const run = (extra: string[]) => runCli(['--db', db, 'investigate', CASE, ...QUESTION, ...extra]);

  it('--html FILE writes the page of the same report --json prints; stdout keeps its own format', () => {
    const file = path.join(dir, 'report.html');
    const r = run(['--json', '--html', file]);
    expectCleanStderr(r.stderr);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Parameters<typeof renderHtml>[0];
    InvestigateReportSchema.parse(report);
    expect(readFileSync(file, 'utf8')).toBe(renderHtml(report));
    // The picture still understands the timeline's wording (a drift in investigate-timeline.ts shows up here).
    const [rec] = hopChains(report.timeline);
    expect(rec?.steps.every((s) => s.from.label !== '?' && s.to.label !== '?')).toBe(true);
  });

  it('--markdown prints the Markdown report to stdout', () => {
    const json = run(['--json']);
    const r = run(['--markdown']);
    expectCleanStderr(r.stderr);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('# Email investigation: Office lottery results\n')).toBe(true);
    expect(r.stdout).toBe(renderMarkdown(JSON.parse(json.stdout)));
  });

  it('--html - prints the page to stdout', () => {
    const r = run(['--html', '-']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('<!DOCTYPE html>\n')).toBe(true);
  });

  it('two formats for stdout are a usage error (exit 2), before any work', () => {
    for (const extra of [['--markdown', '--jsonl'], ['--html', '-', '--markdown']]) {
      const r = runCli(['--db', path.join(dir, 'never.db'), 'investigate', ...QUESTION, ...extra]);
      expect(r.code, extra.join(' ')).toBe(2);
      expect(r.stderr).toBe('mailtrail: choose one of --json, --jsonl, --markdown and --html - (each prints the report to stdout)\n');
      expect(r.stdout).toBe('');
    }
    expect(existsSync(path.join(dir, 'never.db'))).toBe(false);
  });

  it('an HTML file that cannot be written: one line naming it, exit 2, nothing on stdout', () => {
    const bad = path.join(dir, 'no-such-dir', 'report.html');
    const r = run(['--html', bad]);
    expectCleanStderr(r.stderr);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^mailtrail: cannot write the HTML report: .*\\(ENOENT\\): ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n$`, 'm'));
  });
});
