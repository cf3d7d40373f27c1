// fail2ban's filter test logs as an oracle: each log line is preceded by `# failJSON: {...}` with the time fail2ban
// reads (ISO, no zone) and the client `host` it bans. The lines fail2ban matches are rejects, auth failures and
// connection abuse: for each, our parser must give the same time and client IP.
// Year: fail2ban's test harness supplies the year of classic syslog lines itself; we pass the expected line's year
// as ctx.year (what `--year` would do). Zone: the expectations are zone-less wall clock, so ctx.tz = 0 (UTC) and the
// expected time gets `.000Z` appended.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import type { LineContext, LogEvent } from '../../../src/model/log-event.js';
import { parseEximLine } from '../../../src/parse/logs/exim.js';
import { parsePostfixLine } from '../../../src/parse/logs/postfix.js';
import { parseSendmailLine } from '../../../src/parse/logs/sendmail.js';
import { corpusPath, describeCorpus } from '../../helpers/corpus.js';

type Parser = (line: string, ctx: LineContext) => LogEvent | null;

const FILES: Array<[string, Parser]> = [
  ['postfix/fail2ban-postfix.log', parsePostfixLine],
  ['exim/fail2ban-exim.log', parseEximLine],
  ['exim/fail2ban-exim-spam.log', parseEximLine],
  ['sendmail/fail2ban-sendmail-auth.log', parseSendmailLine],
  ['sendmail/fail2ban-sendmail-reject.log', parseSendmailLine],
];

/** Cases not asserted, keyed `file:line`, one reason each. Empty today: every matched line agrees. */
const SKIP: Record<string, string> = {};

interface Case { file: string; lineNo: number; line: string; time: string | null; host: string }

function loadCases(file: string): Case[] {
  const lines = readFileSync(corpusPath('logs', file), 'utf8').split('\n');
  const out: Case[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^# failJSON: (.*)$/.exec(lines[i] ?? '');
    if (!m) continue;
    const exp = JSON.parse(m[1] ?? '{}') as { time?: string; match?: boolean; host?: string };
    let j = i + 1;
    while (j < lines.length && ((lines[j] ?? '').startsWith('#') || (lines[j] ?? '') === '')) j++;
    if (!exp.match || !exp.host || j >= lines.length) continue;
    out.push({ file, lineNo: j + 1, line: lines[j] ?? '', time: exp.time ?? null, host: exp.host });
  }
  return out;
}

/** `2005-03-7T02:09:33` (sic, in the postfix file) → `2005-03-07T02:09:33.000Z`. */
function normalTime(t: string): string {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})T(\d{2}:\d{2}:\d{2})$/.exec(t);
  if (!m) return t;
  return `${m[1]}-${(m[2] ?? '').padStart(2, '0')}-${(m[3] ?? '').padStart(2, '0')}T${m[4]}.000Z`;
}

describeCorpus('fail2ban filter samples', () => {
  for (const [file, parse] of FILES) {
    it(`${file}: time and client IP of every line fail2ban matches`, () => {
      const cases = loadCases(file);
      expect(cases.length).toBeGreaterThan(5);
      const failures: string[] = [];
      let checked = 0;
      for (const c of cases) {
        if (SKIP[`${c.file}:${c.lineNo}`]) continue;
        const year = c.time ? Number(c.time.slice(0, 4)) : 2005;
        const ev = parse(c.line, { line: c.lineNo, offset: 0, year, yearSource: 'failJSON', tz: 0, tzSource: 'failJSON' });
        checked++;
        const want = c.time ? normalTime(c.time) : null;
        if (ev === null) { failures.push(`${c.lineNo}: no event for ${c.line}`); continue; }
        if (want !== null && ev.time !== want) failures.push(`${c.lineNo}: time ${ev.time} != ${want}`);
        if (ev.client?.ip !== c.host) failures.push(`${c.lineNo}: client ${JSON.stringify(ev.client)} != ${c.host}: ${c.line}`);
        expect(ev.line).toBe(c.lineNo);
      }
      console.log(`${file}: ${checked - failures.length}/${checked} matched lines agree on time and client IP`);
      expect(failures).toEqual([]);
    });
  }
});
