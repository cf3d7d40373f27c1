// investigate's bad input through the built CLI: no time and no id, an empty store, a Message-ID that matches
// nothing (the answer names what was searched over which times), several matching messages (listed, exit 2),
// a recipient mistyped in the question (still found, reported as a finding), contradictory evidence (the log says
// bounced, a mailbox holds the message: both reported, the contradiction marked), and malformed time options.
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, expectCleanStderr } from '../helpers/cli.js';
import { corpusPath, describeCorpus, fixturePath } from '../helpers/corpus.js';
import { message, tempDir } from '../helpers/mail.js';
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
    // The logs as the user named them, so they can be found (the sealed report's own paths are relative).
    expect(r.stderr).toContain(path.join(cases, 'delivered-inbox', 'receiver', 'mail.log'));
    const doc = InvestigateReportSchema.parse(JSON.parse(r.stdout));
    expect(doc.message).toBeNull();
    expect(doc.verdicts.sent.answer).toBe('undetermined');
    expect(doc.verdicts.arrived.answer).toBe('undetermined');
    expect(doc.evidence.filter((e) => e.kind === 'log').every((e) => e.coverage !== null && e.coverage.from !== null)).toBe(true);
  });

  it('a bare --around is a recollection: absence needs a log covering the whole window searched, and --window narrows it', () => {
    // never-sent: both logs cover 8 s around the claimed time and record nothing from alice to bob.
    const ask = (db: string, extra: string[]) => runCli(['--db', path.join(dir, db), 'investigate', path.join(cases, 'never-sent'), '--year', '2026', '--tz', 'UTC', '--offline',
      '--from', 'alice@sender.test', '--to', 'bob@receiver.test', '--around', '2026-11-24T18:30:56Z', '--json', ...extra]);
    const wide = ask('around-wide.db', []);
    expect(wide.code).toBe(2);
    const w = InvestigateReportSchema.parse(JSON.parse(wide.stdout));
    expect(w.verdicts.sent).toMatchObject({ answer: 'undetermined' });
    expect(w.verdicts.sent.summary).toContain('sender/mail.log covers only 2026-11-24 18:30:52 UTC to 2026-11-24 18:31:00 UTC, not all of 2026-11-24 16:30:56 UTC to 2026-11-24 20:30:56 UTC');
    expect(w.caveats.join(' ')).toMatch(/whole window searched around the claimed time .*--window \(or --since\/--until\) narrows/);
    const narrow = ask('around-narrow.db', ['--window', '3s']);
    expect(narrow.code, narrow.stderr).toBe(0);
    const n = InvestigateReportSchema.parse(JSON.parse(narrow.stdout));
    expect(n.verdicts.sent).toMatchObject({ answer: 'no', confidence: 'strong' });
    expect(n.verdicts.arrived).toMatchObject({ answer: 'no', outcome: 'not-found' });
    expect(n.caveats.join(' ')).not.toMatch(/whole window searched/);
  });

  it('a window open at one end cannot be covered: said as such, and the logs that are there are not denied', () => {
    const r = runCli(['--db', path.join(dir, 'one-sided.db'), 'investigate', path.join(cases, 'never-sent'), '--year', '2026', '--tz', 'UTC', '--offline',
      '--from', 'alice@sender.test', '--to', 'bob@receiver.test', '--since', '2026-11-24T18:00:00Z', '--json']);
    const doc = InvestigateReportSchema.parse(JSON.parse(r.stdout));
    expect(doc.verdicts.sent).toMatchObject({ answer: 'undetermined' });
    expect(doc.verdicts.sent.summary).toContain('the window asked about is open at one end');
    expect(doc.verdicts.arrived).toMatchObject({ answer: 'undetermined' });
    // Both servers' logs are in the evidence: the summary must not say there is none.
    expect(doc.verdicts.arrived.summary).not.toMatch(/no receiving-server log/);
    expect(doc.caveats.join(' ')).toMatch(/open at one end \(only --since or --until\).*Give both ends, or --around\./);
    expect(doc.caveats.join(' ')).not.toMatch(/No time was given/);
  });

  it('log lines that carry their year (Exim without an offset): the caveat names only the zone as assumed', () => {
    const d = path.join(dir, 'exim-noyear');
    mkdirSync(d, { recursive: true });
    // Exim's own timestamps only (the fixture's one syslog-prefixed line has no year), with the offset taken off.
    const log = readFileSync(fixturePath('logs', 'exim-mainlog.log'), 'utf8').split('\n').filter((l) => /^\d{4}-/.test(l)).join('\n').replace(/^(\S+ \S+) \+0100 /gm, '$1 ');
    writeFileSync(path.join(d, 'mainlog'), log);
    const r = runCli(['--db', path.join(dir, 'exim-noyear.db'), 'investigate', d, '--offline', '--message-id', '<exim-1@example.org>', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = InvestigateReportSchema.parse(JSON.parse(r.stdout));
    const caveat = doc.caveats.find((c) => c.startsWith('The cited log lines'));
    expect(caveat).toBe('The cited log lines carry no zone of their own; their times rest on what was assumed at ingest: zone UTC (none given; pass --tz). A wrong zone shifts all of them alike.');
    const src = runCli(['--db', path.join(dir, 'exim-noyear.db'), 'sources']);
    expect(src.stdout).toContain('(zone assumed)');
    expect(src.stdout).not.toContain('year/zone');
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

  it('contradictory evidence: the log says bounced, yet the recipient\'s mailbox holds the message — both reported, contradiction marked', () => {
    // The bounced-mistyped case, plus a copy of the message planted in the receiver's Maildir INBOX.
    const copy = path.join(dir, 'contradiction');
    cpSync(path.join(cases, 'bounced-mistyped'), copy, { recursive: true });
    const sent = path.join(copy, 'sender', 'Maildir', '.Sent', 'cur');
    copyFileSync(path.join(sent, readdirSync(sent).find((f) => !f.startsWith('.'))!), path.join(copy, 'receiver', 'Maildir', 'new', '1795545030.M1P1.lab'));
    const r = runCli(['--db', path.join(dir, 'contra.db'), 'investigate', copy, '--year', '2026', '--tz', 'UTC', '--dns-snapshot', path.join(copy, 'dns-snapshot.json'),
      '--message-id', '<a529b16a-efc5-4a61-a526-4bf17a8e469d@sender.test>', '--json']);
    expectCleanStderr(r.stderr);
    expect(r.code).toBe(0);
    const doc = InvestigateReportSchema.parse(JSON.parse(r.stdout));
    // Both sides stand in the report: the sender's bounce and the copy in the receiver's INBOX.
    expect(doc.verdicts.sent).toMatchObject({ answer: 'yes', stage: 'bounced' });
    expect(doc.verdicts.arrived).toMatchObject({ answer: 'yes', outcome: 'delivered', folder: 'INBOX' });
    expect(doc.findings.map((f) => f.kind)).toContain('bounce');
    const c = doc.findings.filter((f) => f.kind === 'contradiction');
    expect(c).toHaveLength(1);
    expect(c[0]!.severity).toBe('high');
    expect(c[0]!.summary).toMatch(/the sender's log says bounced for bbo@receiver\.test at 2026-11-24T18:30:24Z, yet a recipient's mailbox holds a copy \(INBOX\)/);
    expect(c[0]!.evidence.map((e) => [e.kind, e.path?.split('/').slice(-2).join('/')])).toEqual([['log', 'sender/mail.log'], ['mailbox', 'new/1795545030.M1P1.lab']]);
  });

  it.each([
    [['--around', '2026-11-24T18:30:00Z'], /^mailtrail: a time alone is not a question: add --from and\/or --to/],
    [['--from', 'a@x.test', '--around', 'yesterday-ish'], /^mailtrail: --around: not a time: 'yesterday-ish'\nhint: /],
    [['--from', 'a@x.test', '--window', '1h', '--since', '2026-11-24'], /^mailtrail: --window needs --around/],
    [['--message-id', '  '], /^mailtrail: --message-id is empty/],
  ])('%j is a usage error: one line, exit 2, nothing on stdout', (args, msg) => {
    const r = runCli(['--db', path.join(dir, 'usage.db'), 'investigate', ...args]);
    expectCleanStderr(r.stderr);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(msg);
    expect(r.stdout).toBe('');
  });
});

// Who submitted it: the lab's sender server logs the SASL login on its submission port (`client=…,
// sasl_method=PLAIN, sasl_username=alice@sender.test`); investigate names it with the line, and says plainly when
// it is not the From address — without touching the sender verdict, which rests on DKIM/SPF/DMARC.
describe('mailtrail investigate: the SMTP AUTH login that submitted it', () => {
  const MID = '<94b73a13-ec62-4083-8b7b-9aefa7640ea8@sender.test>';
  const ask = (folder: string, db: string, extra: string[] = []) => runCli(['--db', path.join(dir, db), 'investigate', folder, '--year', '2026', '--tz', 'UTC',
    '--dns-snapshot', path.join(cases, 'delivered-inbox', 'dns-snapshot.json'), '--message-id', MID, '--json', ...extra]);

  it('the From address\'s own login: an informational finding citing the submission line', () => {
    const r = ask(path.join(cases, 'delivered-inbox'), 'login.db');
    expectCleanStderr(r.stderr);
    expect(r.code, r.stderr).toBe(0);
    const doc = InvestigateReportSchema.parse(JSON.parse(r.stdout));
    const f = doc.findings.filter((x) => x.kind === 'authenticated-submission' || x.kind === 'submitted-by-other-login');
    expect(f.map((x) => [x.kind, x.severity])).toEqual([['authenticated-submission', 'info']]);
    expect(f[0]!.summary).toMatch(/^Submitted by login alice@sender\.test \(SASL PLAIN\): the server smtp \(postfix\/submission\/smtpd\) accepted it from unknown\[127\.0\.0\.1\] as DCE5F1664CE .* The login matches the From address alice@sender\.test\./);
    expect(f[0]!.evidence).toEqual([expect.objectContaining({ kind: 'log', path: 'sender/mail.log', locator: 'line 14 @ byte 1474' })]);
    expect(doc.verdicts.sent.evidence[0]!.claim).toContain('after login alice@sender.test authenticated (SASL PLAIN)');
    expect(doc.timeline.find((t) => t.source.path === 'sender/mail.log' && t.source.locator === 'line 14')?.detail).toBe('DCE5F1664CE client=unknown[127.0.0.1] login=alice@sender.test (PLAIN)');
    expect(doc.verdicts.sender).toMatchObject({ answer: 'authenticated', domain: 'sender.test' });
  });

  it('another login (here a bare name) is a warning naming both; the sender verdict is unchanged; --redact hides the name', () => {
    const copy = path.join(dir, 'other-login');
    cpSync(path.join(cases, 'delivered-inbox'), copy, { recursive: true });
    const log = path.join(copy, 'sender', 'mail.log');
    const text = readFileSync(log, 'utf8');
    const line14 = 'DCE5F1664CE: client=unknown[127.0.0.1], sasl_method=PLAIN, sasl_username=alice@sender.test';
    expect(text).toContain(line14);
    writeFileSync(log, text.replace(line14, line14.replace('alice@sender.test', 'mallory')));
    const r = ask(copy, 'other-login.db');
    expectCleanStderr(r.stderr);
    expect(r.code, r.stderr).toBe(0);
    const doc = InvestigateReportSchema.parse(JSON.parse(r.stdout));
    const f = doc.findings.filter((x) => x.kind === 'submitted-by-other-login');
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('warning');
    expect(f[0]!.summary).toMatch(/^Submitted by login mallory \(SASL PLAIN\), not by the From address alice@sender\.test: a login without a domain whose name is not the From address's local part\./);
    expect(f[0]!.evidence[0]).toMatchObject({ path: 'sender/mail.log', locator: expect.stringMatching(/^line 14 @/) });
    expect(doc.findings.some((x) => x.kind === 'authenticated-submission')).toBe(false);
    expect(doc.verdicts.sender).toMatchObject({ answer: 'authenticated', domain: 'sender.test', confidence: 'proven' });

    const key = path.join(dir, 'login-key.txt');
    writeFileSync(key, 'c0ffee'.repeat(6));
    const red = ask(copy, 'other-login.db', ['--redact', '--redact-key-file', key, '--keep-all-domains']);
    expect(red.code, red.stderr).toBe(0);
    expect(red.stdout).toContain('submitted-by-other-login');
    expect(red.stdout).not.toMatch(/mallory/i);
  });
});

// Regression: on the real three-day log of a receiving server with amavis (../shared/corpus), a message from
// Gmail is handed to the content filter on 127.0.0.1:10024 and re-injected ('queued as X', X a queue id of the
// same log). That internal hop once made the receiving server look like the sender's: sent 'relayed (proven)'
// and sender 'authenticated gmail.com' on the word of a log that never saw Gmail's side.
describe('mailtrail investigate: evidence named, no question asked', () => {
  const clock = ['--year', '2026', '--tz', 'UTC', '--offline'];
  it('asks about the one message in the evidence, with the same report bytes as asking by its Message-ID', () => {
    const c = path.join(cases, 'forged-from');
    const dns = ['--dns-snapshot', path.join(c, 'dns-snapshot.json')];
    const implied = runCli(['--db', path.join(dir, 'implied.db'), 'investigate', c, ...clock, ...dns, '--json']);
    const asked = runCli(['--db', path.join(dir, 'asked.db'), 'investigate', c, ...clock, ...dns, '--json', '--message-id', '<22c2fc0b-e382-45b6-8e92-1ac7db20d359@sender.test>']);
    expectCleanStderr(implied.stderr);
    expect(implied.code).toBe(0);
    expect(implied.stderr).toContain('no question given; investigating the one message in the evidence: <22c2fc0b-e382-45b6-8e92-1ac7db20d359@sender.test>');
    expect(implied.stdout).toBe(asked.stdout);
    expect(InvestigateReportSchema.parse(JSON.parse(implied.stdout)).verdicts.sender.answer).toBe('forged');
  });

  it('a message with no Message-ID and no Date is asked about by its sha256; --sha256 asks the same by a prefix', () => {
    // Spam and forgeries often lack both: there is nothing else a user could ask by.
    const bare = message(7).replace(/^Message-ID: .*\n/m, '').replace(/^Date: .*\n/m, '');
    const sha = createHash('sha256').update(bare).digest('hex');
    const d = path.join(dir, 'no-id');
    mkdirSync(d, { recursive: true });
    writeFileSync(path.join(d, 'bare.eml'), bare);
    const db = path.join(dir, 'no-id.db');
    const implied = runCli(['--db', db, 'investigate', d, '--offline', '--json']);
    expectCleanStderr(implied.stderr);
    expect(implied.code, implied.stderr).toBe(0);
    expect(implied.stderr).toContain(`investigating the one message in the evidence: sha256 ${sha} (it has no Message-ID, and no From/To and Date to ask by)`);
    const report = InvestigateReportSchema.parse(JSON.parse(implied.stdout));
    expect(report.question).toMatchObject({ messageId: null, sha256: sha });
    expect(report.message).toMatchObject({ messageId: null, from: 'alice@sender.test', to: ['bob@receiver.test'] });
    expect(report.message!.copies.map((c) => c.sha256)).toEqual([sha]);
    // Asked by a prefix, from the store alone: the same report.
    const asked = runCli(['--db', db, 'investigate', '--sha256', sha.slice(0, 12).toUpperCase(), '--offline', '--json']);
    expect(asked.code, asked.stderr).toBe(0);
    expect(asked.stdout).toBe(implied.stdout);
    // A prefix nothing has, one too short, or --sha256 with another question: one line, exit 2.
    for (const [args, msg] of [
      [['--sha256', '000000'], /no stored message has a sha256 starting 000000/],
      [['--sha256', sha.slice(0, 4)], /--sha256 takes 6 to 64 hex digits/],
      [['--sha256', sha.slice(0, 8), '--from', 'alice@sender.test'], /--sha256 names one stored message: ask without --from/],
    ] as const) {
      const r = runCli(['--db', db, 'investigate', ...args, '--offline']);
      expectCleanStderr(r.stderr);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
  });

  it('a bounce whose returned part names no Message-ID is investigated as itself, saying so and what would ask about its message', () => {
    // The bounce Postfix wrote in bounced-mistyped, with the returned original's Message-ID line taken out (as in
    // sisimai's courier-01, whose returned part is a Received header and an empty To).
    const dir2 = path.join(dir, 'unnamed-bounce');
    mkdirSync(dir2, { recursive: true });
    const src = path.join(cases, 'bounced-mistyped', 'sender', 'Maildir', 'new');
    const bytes = readFileSync(path.join(src, readdirSync(src)[0]!), 'latin1');
    expect(bytes).toContain('Message-ID: <a529b16a-efc5-4a61-a526-4bf17a8e469d@sender.test>\n');
    writeFileSync(path.join(dir2, 'bounce.eml'), bytes.replace('Message-ID: <a529b16a-efc5-4a61-a526-4bf17a8e469d@sender.test>\n', ''), 'latin1');
    const r = runCli(['--db', path.join(dir, 'unnamed.db'), 'investigate', dir2, ...clock]);
    expectCleanStderr(r.stderr);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('no question given; investigating the one message in the evidence: <20261124183024.D7323166072@smtp.sender.test> (a bounce, but the message it reports on carries no Message-ID, so it cannot be linked: this is the report itself; to look for that message in other evidence (the sender\'s log or mailbox), ask: --from alice@sender.test --to bbo@receiver.test --around 2026-11-24T18:30:24.000Z)');
    // A bounce that names its message says nothing of the kind.
    const named = runCli(['--db', path.join(dir, 'named.db'), 'investigate', src, ...clock]);
    expect(named.stderr).toContain('investigating the message the report in the evidence (a bounce, feedback report or read receipt) is about: <a529b16a-efc5-4a61-a526-4bf17a8e469d@sender.test>\n');
  });

  it('a read receipt alone is linked to the message it reports on, though nothing else dates it', () => {
    // No time anywhere but the receipt's own Date: the window for reports was unbounded, and its ISO ends
    // ('+275760-…') sorted before every stored date, so the receipt was not found for its own message.
    const dir3 = path.join(dir, 'receipt-only');
    mkdirSync(dir3, { recursive: true });
    const src = path.join(cases, 'delivered-with-receipts', 'sender', 'Maildir', 'new');
    const receipt = readdirSync(src).map((f) => readFileSync(path.join(src, f))).find((b) => b.includes('report-type=disposition-notification'))!;
    writeFileSync(path.join(dir3, 'receipt.eml'), receipt);
    const r = runCli(['--db', path.join(dir, 'receipt.db'), 'investigate', dir3, ...clock, '--json']);
    expectCleanStderr(r.stderr);
    expect(r.code).toBe(0);
    const v = InvestigateReportSchema.parse(JSON.parse(r.stdout)).verdicts;
    expect([v.arrived.answer, v.arrived.outcome, v.sent.answer, v.sent.stage, v.sent.confidence]).toEqual(['yes', 'delivered', 'yes', 'relayed', 'weak']);
  });

  it('--since alone, or --until alone, finds a stored copy (an open window end compared as text)', () => {
    const maildir = path.join(cases, 'delivered-inbox', 'receiver', 'Maildir');
    for (const [i, edge] of [['--since', '2026-11-01'], ['--until', '2026-12-31']].entries()) {
      const r = runCli(['--db', path.join(dir, `open-end-${i}.db`), 'investigate', maildir, '--from', 'alice@sender.test', ...edge, '--offline', '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(InvestigateReportSchema.parse(JSON.parse(r.stdout)).message?.messageId).toBe('<94b73a13-ec62-4083-8b7b-9aefa7640ea8@sender.test>');
    }
  });

  it('asked by the address it really went to, a refused message is one message, not two', () => {
    // bounced-mistyped: the receiver's NOQUEUE reject has no queue id or Message-ID; the sender's bounce quotes it.
    const c = path.join(cases, 'bounced-mistyped');
    const r = runCli(['--db', path.join(dir, 'bbo.db'), 'investigate', c, ...clock, '--dns-snapshot', path.join(c, 'dns-snapshot.json'),
      '--from', 'alice@sender.test', '--to', 'bbo@receiver.test', '--around', '2026-11-24T18:30:00Z', '--json']);
    expectCleanStderr(r.stderr);
    expect(r.code, r.stderr).toBe(0);
    const doc = InvestigateReportSchema.parse(JSON.parse(r.stdout));
    expect(doc.message?.messageId).toBe('<a529b16a-efc5-4a61-a526-4bf17a8e469d@sender.test>');
    expect(doc.verdicts.arrived).toMatchObject({ answer: 'no', outcome: 'bounced', confidence: 'proven' });
  });

  it('several messages in the evidence are listed, none guessed (exit 2)', () => {
    const r = runCli(['--db', path.join(dir, 'implied-many.db'), 'investigate', path.join(cases, 'forged-from'), path.join(cases, 'delivered-inbox'), ...clock]);
    expectCleanStderr(r.stderr);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('the evidence holds 2 messages; not guessing which one you mean');
    expect(r.stderr).toContain('<22c2fc0b-e382-45b6-8e92-1ac7db20d359@sender.test>');
    expect(r.stderr).toMatch(/\nhint: ask about one: --message-id/);
  });

  it('several messages without a Message-ID are listed with the sha256 that asks about each', () => {
    const d = path.join(dir, 'two-no-id');
    mkdirSync(d, { recursive: true });
    const bodies = ['From: a@x.test\nTo: b@y.test\nSubject: one\n\nbody1\n', 'From: c@x.test\nTo: b@y.test\nSubject: two\n\nbody2\n'];
    bodies.forEach((b, i) => writeFileSync(path.join(d, `${i}.eml`), b));
    const db = path.join(dir, 'two-no-id.db');
    const r = runCli(['--db', db, 'investigate', d, '--offline']);
    expectCleanStderr(r.stderr);
    expect(r.code).toBe(2);
    for (const b of bodies) expect(r.stderr).toContain(`sha256 ${createHash('sha256').update(b).digest('hex').slice(0, 12)}`);
    expect(r.stderr).toMatch(/\nhint: ask about one: --message-id '<id@example\.com>', --sha256 PREFIX \(one with no Message-ID\), or/);
    // The prefix shown is enough to ask.
    const pick = /sha256 ([0-9a-f]{12})/.exec(r.stderr)![1]!;
    const asked = runCli(['--db', db, 'investigate', '--sha256', pick, '--offline', '--json']);
    expect(asked.code, asked.stderr).toBe(0);
    expect(InvestigateReportSchema.parse(JSON.parse(asked.stdout)).message!.copies[0]!.sha256.startsWith(pick)).toBe(true);
  });

  it('a bounce counts as the message it reports on: bounce + original, or the bounce alone, ask about the original', () => {
    const c = path.join(cases, 'bounced-mistyped');
    const mid = '<a529b16a-efc5-4a61-a526-4bf17a8e469d@sender.test>';
    const both = runCli(['--db', path.join(dir, 'implied-bounce.db'), 'investigate', c, ...clock, '--json']);
    expectCleanStderr(both.stderr);
    expect(both.code).toBe(0);
    expect(both.stderr).toContain(`investigating the one message in the evidence: ${mid}`);
    const asked = runCli(['--db', path.join(dir, 'implied-bounce-asked.db'), 'investigate', c, ...clock, '--json', '--message-id', mid]);
    expect(both.stdout).toBe(asked.stdout);
    // The bounce alone (the file in the sender's Maildir INBOX), without the logs or the original.
    const inbox = path.join(c, 'sender', 'Maildir', 'new');
    const bounce = path.join(inbox, readdirSync(inbox).find((f) => !f.startsWith('.'))!);
    const alone = runCli(['--db', path.join(dir, 'implied-bounce-alone.db'), 'investigate', bounce, '--offline', '--json']);
    expectCleanStderr(alone.stderr);
    expect(alone.stderr).toContain(`investigating the message the report in the evidence (a bounce, feedback report or read receipt) is about: ${mid}`);
    const doc = InvestigateReportSchema.parse(JSON.parse(alone.stdout));
    expect(doc.verdicts.arrived).toMatchObject({ answer: 'no', outcome: 'bounced' });
  });

  it('a path read before with other bytes (stdin, a changed file): only its latest reading is the evidence', () => {
    const db = path.join(dir, 'implied-latest.db');
    expect(runCli(['--db', db, 'ingest', '-'], { input: message(1) }).code).toBe(0);
    const r = runCli(['--db', db, 'investigate', '-', '--offline', '--json'], { input: message(2) });
    expectCleanStderr(r.stderr);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('investigating the one message in the evidence: <m2@sender.test>');
  });

  it('logs alone name no message: a usage error that says how to ask', () => {
    const r = runCli(['--db', path.join(dir, 'implied-none.db'), 'investigate', path.join(cases, 'never-sent'), ...clock]);
    expectCleanStderr(r.stderr);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/mailtrail: the evidence holds no message to ask about\nhint: ask about one/);
  });
});

describeCorpus('investigate on a real receiving-server log with a content filter', () => {
  /** The JSON report for one Message-ID of the real log, in a fresh store (exit 0, clean stderr checked). */
  const reportOn = (messageId: string): ReturnType<typeof InvestigateReportSchema.parse> => {
    const d = tempDir('mailtrail-investigate-pixelpark-');
    const r = runCli(['--db', path.join(d, 'store.db'), 'investigate', corpusPath('logs', 'postfix', 'pixelpark-postfix-logsums', 'mail.log.gz'),
      '--offline', '--message-id', messageId, '--json']);
    expectCleanStderr(r.stderr);
    expect(r.code, r.stderr).toBe(0);
    return InvestigateReportSchema.parse(JSON.parse(r.stdout));
  };

  it('a re-injection into the same server is not a hand-off: no sender-side claims rest on it', () => {
    const doc = reportOn('<DB.E5.18916.5FA00146@gc.mta4vrest.cc.prd.sparkpost>');
    expect(doc.verdicts.arrived).toMatchObject({ answer: 'yes', outcome: 'delivered' });
    expect(doc.verdicts.sender.answer).toBe('unverified');
    expect(doc.verdicts.sent.answer).toBe('undetermined');
    expect(JSON.stringify(doc.verdicts.sent)).not.toContain('10024');
    expect(doc.evidence.find((e) => e.kind === 'log')?.side).toBe('receiver');
  });

  it("mail between two users of one server: the SMTP-AUTH submission makes its log the sender's too", () => {
    // Submitted on helga's submission port by login vmail@uhu-banane.net, through amavis (127.0.0.1:10024, back on
    // :10026), delivered by helga to a mailbox of the same domain.
    const doc = reportOn('<20230313233104.C4ABB401A8@bruni.home.brehm-online.com>');
    // Delivered by the sender's own server; the content-filter loop is not a hand-off to another server.
    expect(doc.verdicts.sent).toMatchObject({ answer: 'yes', stage: 'delivered' });
    expect(JSON.stringify(doc.verdicts.sent)).not.toMatch(/1002[46]/);
    expect(doc.verdicts.arrived).toMatchObject({ answer: 'yes', outcome: 'delivered' });
    expect(doc.verdicts.sender).toMatchObject({ answer: 'authenticated', domain: 'uhu-banane.net', confidence: 'strong' });
    expect(doc.verdicts.sender.summary).toContain('after login vmail@uhu-banane.net authenticated');
    expect(doc.findings.map((f) => f.kind)).toContain('submitted-by-other-login');
  });
});
