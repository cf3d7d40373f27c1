// investigate's output beyond the verdicts, through the built CLI on the lab cases: `--jsonl` records (typed,
// each one parses, summary last, the same content as --json), the delay at each hop and the clock agreement
// between the two servers' logs in the timeline (deferred-then-delivered; then the same case with the receiver's
// log ingested under a wrong zone, which must show as skew), `--window` around `--around`, and the sender
// verdict's evidence citing the artifact that holds the verified copy (an mbox), not the bare message hash.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, expectCleanStderr } from '../helpers/cli.js';
import { fixturePath } from '../helpers/corpus.js';
import { tempDir } from '../helpers/mail.js';
import { InvestigateReportSchema, type InvestigateReport } from '../../src/report/investigate.js';

const DEFERRED = fixturePath('cases', 'deferred-then-delivered');
const DEFERRED_ID = '<4a7a0cdf-2bed-46e9-86c0-c45b0efbc9d9@sender.test>';
let dir: string;
beforeAll(() => { dir = tempDir('mailtrail-investigate-output-'); });

function deferred(db: string, paths: string[], extra: string[]): ReturnType<typeof runCli> {
  return runCli(['--db', path.join(dir, db), 'investigate', ...paths, '--year', '2026', '--tz', 'UTC', '--dns-snapshot', path.join(DEFERRED, 'dns-snapshot.json'), '--message-id', DEFERRED_ID, ...extra]);
}

describe('investigate --jsonl', () => {
  it('one JSON record per line, tagged by type: verdict×3, events, findings, summary last — the --json content', () => {
    const r = deferred('jsonl.db', [DEFERRED], ['--jsonl']);
    expectCleanStderr(r.stderr);
    expect(r.code).toBe(0);
    expect(r.stdout.endsWith('\n')).toBe(true);
    const recs = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const types = recs.map((x) => x.type);
    expect(types.slice(0, 3)).toEqual(['verdict', 'verdict', 'verdict']);
    expect(recs.slice(0, 3).map((x) => x.verdict)).toEqual(['sent', 'arrived', 'sender']);
    expect(types.at(-1)).toBe('summary');
    expect(types.filter((t) => t === 'summary')).toHaveLength(1);
    // Types come in blocks, in this order.
    expect([...new Set(types)]).toEqual(['verdict', 'event', 'finding', 'summary']);

    const doc: InvestigateReport = InvestigateReportSchema.parse(JSON.parse(deferred('jsonl.db', [], ['--json']).stdout));
    expect(recs.filter((x) => x.type === 'event').map(({ type, ...rest }) => rest)).toEqual(doc.timeline);
    expect(recs.filter((x) => x.type === 'finding').map(({ type, ...rest }) => rest)).toEqual(doc.findings);
    expect(recs.slice(0, 3).map(({ type, verdict, ...rest }) => rest)).toEqual([doc.verdicts.sent, doc.verdicts.arrived, doc.verdicts.sender]);
    expect(recs.at(-1)).toMatchObject({ type: 'summary', schemaVersion: 1, message: DEFERRED_ID, sent: 'yes', arrived: 'yes', sender: 'authenticated' });
  });
});

describe('investigate timeline: the delay at each hop and clock skew between hosts', () => {
  it('deferred-then-delivered: each server\'s hold time, the Received hop that spans the deferral, and clocks that agree', () => {
    const r = deferred('hops.db', [DEFERRED], ['--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = InvestigateReportSchema.parse(JSON.parse(r.stdout));
    const logs = doc.timeline.filter((t) => t.kind === 'log');
    // The sender's server: the deferral (held 0.72 s by then), then the hand-off 5.6 s after it first got it (Postfix delay=).
    expect(logs.filter((t) => t.host === 'smtp' && t.delaySeconds !== null).map((t) => [t.status, t.delaySeconds])).toEqual([['deferred', 0.72], ['sent', 5.6]]);
    // The receiver's server delivered within 0.1 s of receiving it.
    expect(logs.filter((t) => t.host === 'mx' && t.delaySeconds !== null).map((t) => [t.status, t.delaySeconds])).toEqual([['delivered', 0.1]]);
    // The receiver's first line at the hand-off says how its clock squares with the sender's: same second, no skew.
    const arrival = logs.filter((t) => /hand-off from smtp/.test(t.detail));
    expect(arrival).toHaveLength(1);
    expect(arrival[0]).toMatchObject({ host: 'mx', status: 'received', skew: [] });
    expect(arrival[0]!.detail).toMatch(/hand-off from smtp \w+: logged in the same second as its sent line/);
    // Received hops, oldest first: the hop into mx spans the deferral (6 s), then LMTP into the mailbox (0 s).
    const hops = doc.timeline.filter((t) => t.kind === 'received-header');
    expect(hops.map((t) => [t.detail.slice(0, 5), t.delaySeconds, t.skew])).toEqual([['hop 0', null, []], ['hop 1', 6, []], ['hop 2', 0, []]]);
    expect(doc.findings.map((f) => f.kind)).not.toContain('clock-skew');
  });

  it('the receiver\'s log ingested an hour off (--tz +01:00): skew flagged at the hand-off and reported as a wrong zone', () => {
    const db = 'skew.db';
    const ing = runCli(['--db', path.join(dir, db), 'ingest', path.join(DEFERRED, 'receiver'), '--year', '2026', '--tz', '+01:00']);
    expect(ing.code, ing.stderr).toBe(0);
    const r = deferred(db, [path.join(DEFERRED, 'sender')], ['--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = InvestigateReportSchema.parse(JSON.parse(r.stdout));
    const arrival = doc.timeline.find((t) => /hand-off from smtp/.test(t.detail))!;
    expect(arrival.skew).toEqual(['clock-behind']);
    expect(arrival.detail).toMatch(/logged 3600s before its sent line; clock at least 3598s behind/);
    const skew = doc.findings.filter((f) => f.kind === 'clock-skew');
    expect(skew).toHaveLength(1);
    expect(skew[0]!.summary).toMatch(/^Clock skew: mx's clock is at least 3598s behind smtp's .* probably a wrong zone assumed for one log at ingest \(--tz\)/);
    expect(skew[0]!.evidence.map((e) => e.path?.split('/').slice(-2).join('/'))).toEqual(['sender/mail.log', 'receiver/mail.log', 'sender/mail.log']);
    expect(doc.caveats.join('\n')).toMatch(/read with different assumptions/);
    // The deferral's delay is measured on the sender's own clock, not across the skewed logs.
    expect(doc.findings.find((f) => f.kind === 'deferred')!.summary).toMatch(/, 5s after the first attempt\.$/);
  });
});

describe('investigate --window', () => {
  const NEVER = fixturePath('cases', 'never-sent');
  const ask = (db: string, extra: string[]): ReturnType<typeof runCli> => runCli(['--db', path.join(dir, db), 'investigate', NEVER, '--year', '2026', '--tz', 'UTC', '--offline',
    '--from', 'carol@sender.test', '--to', 'dave@receiver.test', '--around', '2026-11-24T18:30:54Z', ...extra]);

  it('narrows the search around --around (two of carol\'s messages within 2 h, one within 1 s) and says what it searched', () => {
    const wide = ask('window.db', []);
    expect(wide.code).toBe(2);
    expect(wide.stderr).toMatch(/2 messages match the question/);
    expect(wide.stderr).toMatch(/a smaller --window/);
    const narrow = ask('window.db', ['--window', '1s', '--json']);
    expect(narrow.code, narrow.stderr).toBe(0);
    const doc = InvestigateReportSchema.parse(JSON.parse(narrow.stdout));
    expect(doc.message?.messageId).toBe('<912c37c0-0b4e-4c8e-815c-74930cb9da0d@sender.test>');
    expect(doc.question).toMatchObject({ around: '2026-11-24T18:30:54.000Z', since: '2026-11-24T18:30:53.000Z', until: '2026-11-24T18:30:55.000Z' });
  });

  it.each([
    [['--window', '2 hours'], /^mailtrail: --window: not a span: '2 hours'\nhint: use 30m, 2h/],
    [['--window', '0s'], /^mailtrail: --window: not a span: '0s'/],
    [['--window', '1h', '--since', '2026-11-24'], /^mailtrail: --window and --since\/--until both set the search window: give one/],
  ])('%j is a usage error (exit 2)', (extra, msg) => {
    const r = ask('window-bad.db', extra);
    expectCleanStderr(r.stderr);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(msg);
    expect(r.stdout).toBe('');
  });
});

describe('investigate: the sender verdict cites artifacts, as every other verdict does', () => {
  it('a copy inside an mbox is cited by the mbox file\'s sha256 and the message\'s place in it', () => {
    const inbox = fixturePath('cases', 'delivered-inbox', 'receiver', 'Maildir', 'new');
    const msg = readFileSync(path.join(inbox, readdirSync(inbox).find((f) => !f.startsWith('.'))!));
    const box = path.join(dir, 'mbox-case');
    mkdirSync(box, { recursive: true });
    const mbox = Buffer.concat([Buffer.from('From MAILER-DAEMON Tue Nov 24 18:30:01 2026\n'), msg, Buffer.from('\n')]);
    writeFileSync(path.join(box, 'bob.mbox'), mbox);
    const r = runCli(['--db', path.join(dir, 'mbox.db'), 'investigate', box, '--dns-snapshot', fixturePath('cases', 'delivered-inbox', 'dns-snapshot.json'),
      '--message-id', '<94b73a13-ec62-4083-8b7b-9aefa7640ea8@sender.test>', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = InvestigateReportSchema.parse(JSON.parse(r.stdout));
    expect(doc.verdicts.sender).toMatchObject({ answer: 'authenticated', domain: 'sender.test' });
    const sha = createHash('sha256').update(mbox).digest('hex');
    expect(doc.verdicts.sender.evidence.length).toBeGreaterThan(0);
    for (const e of doc.verdicts.sender.evidence) {
      expect([e.sha256, e.kind, e.path?.endsWith('bob.mbox')]).toEqual([sha, 'mailbox', true]);
      expect(e.locator).toMatch(/^message #1 @ byte 44, (?:header #\d+ \([\w-]+\)|DNS)$/); // after the 44-byte From_ line
    }
    expect(doc.evidence.some((x) => x.sha256 === sha && x.path?.endsWith('bob.mbox'))).toBe(true);
  });
});
