// Hostile evidence must not drive the terminal: control sequences in a Subject, a Received id or a file name are
// shown as Unicode control pictures, never sent raw; our own colours and the progress line still work, and the
// JSON report keeps the exact text (escaped by JSON itself), so seals are unchanged.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { neutralizeControls, PROGRESS_LEAD } from '../../src/cli/output.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/mail.js';

const ESC = '\x1b';

describe('neutralizeControls', () => {
  it('shows C0 controls as control pictures and keeps LF and TAB', () => {
    expect(neutralizeControls(`a${ESC}[2Jb\rc\x07d\x08e\tf\ng`)).toBe('a␛[2Jb␍c␇d␈e\tf\ng');
    expect(neutralizeControls(`${ESC}]0;title\x07`)).toBe('␛]0;title␇');
  });
  it("lets only chalk's red, green, yellow and reset through", () => {
    const ours = `${ESC}[31mX${ESC}[39m ${ESC}[32mY${ESC}[39m ${ESC}[33mZ${ESC}[39m`;
    expect(neutralizeControls(ours)).toBe(ours);
    expect(neutralizeControls(`${ESC}[8mhidden${ESC}[0m`)).toBe('␛[8mhidden␛[0m');
  });
  it("keeps the progress line's leading redraw, and only there", () => {
    expect(neutralizeControls(`${PROGRESS_LEAD}a.mbox: 1 MB`)).toBe(`${PROGRESS_LEAD}a.mbox: 1 MB`);
    expect(neutralizeControls(`x${PROGRESS_LEAD}`)).toBe('x␍␛[K');
  });
  it('returns text without controls unchanged (the same string)', () => {
    const s = 'Message <a@b> "plain" → bob';
    expect(neutralizeControls(s)).toBe(s);
  });
});

describe('the CLI on a message full of terminal control sequences', () => {
  const dir = tempDir('mailtrail-controls-');
  const eml = path.join(dir, `evil${ESC}[2J.eml`);
  writeFileSync(eml, [
    'Received: from evil.test (evil.test [192.0.2.1])',
    `\tby mx.test with ESMTP id ABC${ESC}]0;pwned\x07; Mon, 1 Dec 2026 10:00:00 +0000`,
    'From: ceo@corp.test',
    'To: bob@corp.test',
    `Subject: hi ${ESC}[2J\x08cleared`,
    'Message-ID: <x1@evil.test>',
    'Date: Mon, 1 Dec 2026 10:00:00 +0000',
    '',
    'body',
    '',
  ].join('\r\n'));
  const db = path.join(dir, 'v.db');

  // shows: whether the output quotes the hostile text (verify does not; Markdown escapes controls its own way).
  const runs: Array<[string[], boolean]> = [
    [['investigate', eml, '--offline'], true], [['hops', eml], true], [['--color', 'always', 'investigate', eml, '--offline'], true],
    [['verify', eml, '--offline'], false], [['investigate', eml, '--offline', '--markdown'], false],
  ];
  for (const [args, shows] of runs) {
    it(`${args.filter((a) => a !== eml).join(' ')}: no raw control reaches stdout or stderr`, () => {
      const r = runCli(['--db', db, ...args]);
      expect(r.code).toBe(0);
      const both = r.stdout + r.stderr;
      // Only our colour codes may remain.
      expect(both.replace(/\x1b\[(?:3[123]|39)m/g, '')).not.toMatch(/[\x00-\x08\x0b-\x1f]/);
      if (shows) expect(both).toMatch(/␛/);
    });
  }

  it('table borders stay aligned: the pictures are counted in the cell widths', () => {
    const r = runCli(['--db', db, 'hops', eml]);
    const rows = r.stdout.split('\n').filter((l) => /^[│┌├└]/.test(l));
    expect(rows.length).toBeGreaterThan(3);
    expect(new Set(rows.map((l) => [...l].length)).size).toBe(1);
  });

  it('the JSON report keeps the exact text, escaped by JSON', () => {
    const r = runCli(['--db', db, 'investigate', eml, '--offline', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { message: { subject: string } };
    expect(doc.message.subject).toBe(`hi ${ESC}[2J\x08cleared`);
    expect(r.stdout).toContain("hi \\u001b[2J\\bcleared");
  });
});
