// investigate's bad input through the built CLI: no time and no id, an empty store, a Message-ID that matches
// nothing (the answer names what was searched over which times), several matching messages (listed, exit 2),
// and a recipient mistyped in the question (still found, reported as a finding).
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, expectCleanStderr } from '../helpers/cli.js';
import { fixturePath } from '../helpers/corpus.js';
import { tempDir } from '../helpers/mail.js';
import { InvestigateReportSchema } from '../../src/report/investigate.js';

const cases = fixturePath('cases');
let dir: string;
beforeAll(() => { dir = tempDir('mailtrail-investigate-'); });

describe('mailtrail investigate: bad input', () => {
  it('no time and no Message-ID is a usage error (exit 2, one line and a hint)', () => {
    const r = runCli(['--db', path.join(dir, 'a.db'), 'investigate', '--from', 'alice@sender.test', '--to', 'bob@receiver.test']);
    expectCleanStderr(r.stderr);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^mailtrail: investigate needs a Message-ID, or a sender\/recipient and a time\nhint: /);
    expect(r.stdout).toBe('');
  });

  it('an empty store says so (exit 2)', () => {
    const empty = path.join(dir, 'empty');
    mkdirSync(empty, { recursive: true });
    writeFileSync(path.join(empty, 'notes.txt'), 'nothing here\n');
    const r = runCli(['--db', path.join(dir, 'empty.db'), 'investigate', empty, '--message-id', '<x@y.test>']);
    expectCleanStderr(r.stderr);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the evidence store is empty/);
  });

  it('a missing store without paths is an error, not a new empty store', () => {
    const r = runCli(['--db', path.join(dir, 'missing.db'), 'investigate', '--message-id', '<x@y.test>']);
    expectCleanStderr(r.stderr);
    expect(r.code).toBe(2);
  });

  it('a Message-ID that matches nothing names the sources searched and their time spans', () => {
    const r = runCli(['--db', path.join(dir, 'nf.db'), 'investigate', path.join(cases, 'delivered-inbox'), '--year', '2026', '--tz', 'UTC', '--offline', '--message-id', '<nothing-like-this@nowhere.test>', '--json']);
    expectCleanStderr(r.stderr);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nothing in the store matches Message-ID <nothing-like-this@nowhere\.test>; searched 2 log source\(s\): .*receiver\/mail\.log \(2026-11-24T18:29:5\d/);
    const doc = InvestigateReportSchema.parse(JSON.parse(r.stdout));
    expect(doc.message).toBeNull();
    expect(doc.verdicts.sent.answer).toBe('undetermined');
    expect(doc.verdicts.arrived.answer).toBe('undetermined');
    expect(doc.evidence.filter((e) => e.kind === 'log').every((e) => e.coverage !== null && e.coverage.from !== null)).toBe(true);
  });

  it('several matching messages are listed and nothing is guessed (exit 2)', () => {
    // carol sent dave two messages in the never-sent case's logs, a few seconds apart.
    const r = runCli(['--db', path.join(dir, 'many.db'), 'investigate', path.join(cases, 'never-sent'), '--year', '2026', '--tz', 'UTC', '--offline', '--from', 'carol@sender.test', '--to', 'dave@receiver.test', '--around', '2026-11-24T18:30:56Z']);
    expectCleanStderr(r.stderr);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/messages match the question; not guessing/);
    expect(r.stderr.match(/carol@sender\.test → dave@receiver\.test/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    expect(r.stdout).toBe('');
  });

  it('a mistyped recipient is still found from sender + claimed recipient + time, and reported', () => {
    const copy = path.join(dir, 'mistyped');
    cpSync(path.join(cases, 'bounced-mistyped'), copy, { recursive: true });
    const r = runCli(['--db', path.join(dir, 'typo.db'), 'investigate', copy, '--year', '2026', '--tz', 'UTC', '--dns-snapshot', path.join(copy, 'dns-snapshot.json'),
      '--from', 'alice@sender.test', '--to', 'bob@receiver.test', '--subject', 'meeting', '--around', '2026-11-24T18:30:24Z', '--json']);
    expectCleanStderr(r.stderr);
    expect(r.code).toBe(0);
    const doc = InvestigateReportSchema.parse(JSON.parse(r.stdout));
    expect(doc.verdicts.sent).toMatchObject({ answer: 'yes', stage: 'bounced' });
    expect(doc.findings.find((f) => f.kind === 'recipient-mistyped')?.summary).toMatch(/bbo@receiver\.test, not bob@receiver\.test/);
  });

  it('with only the Message-ID, the bounce is linked and no near miss is claimed without an address seen receiving mail', () => {
    const r = runCli(['--db', path.join(dir, 'typo2.db'), 'investigate', path.join(cases, 'bounced-mistyped'), '--year', '2026', '--tz', 'UTC', '--dns-snapshot', path.join(cases, 'bounced-mistyped', 'dns-snapshot.json'),
      '--message-id', '<a529b16a-efc5-4a61-a526-4bf17a8e469d@sender.test>', '--json']);
    expect(r.code).toBe(0);
    const doc = InvestigateReportSchema.parse(JSON.parse(r.stdout));
    expect(doc.findings.map((f) => f.kind)).toContain('bounce');
    // bob@ is not seen receiving mail in this case's evidence, so no near miss is claimed without the claimed recipient.
    expect(doc.findings.map((f) => f.kind)).not.toContain('recipient-mistyped');
  });
});
