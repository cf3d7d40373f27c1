// The mailbox servers' own logs in `investigate`, end to end through the built CLI on lab cases whose Dovecot wrote
// its log (fixtures/cases/*/receiver/dovecot.log, real Dovecot 2.3 with Sieve and the mail_log plugin): where the
// message was saved on delivery and what the user's IMAP client did to it later, cited by line. Checked against the
// same case read without that log, so the folder and the deletion are shown to come from it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/corpus.js';
import { tempDir } from '../helpers/mail.js';
import { InvestigateReportSchema, type InvestigateReport } from '../../src/report/investigate.js';

const dir = tempDir('mailtrail-investigate-dovecot-');
const caseDir = (c: string): string => fixturePath('cases', c);
const truth = (c: string): { messageId: string; logClock: { year: number; timezone: string } } => JSON.parse(readFileSync(path.join(caseDir(c), 'truth.json'), 'utf8'));

function investigate(c: string, db: string, inputs: string[], extra: string[] = []): InvestigateReport {
  const t = truth(c);
  const r = runCli(['--db', path.join(dir, db), 'investigate', ...inputs.map((i) => path.join(caseDir(c), i)), '--year', String(t.logClock.year), '--tz', t.logClock.timezone,
    '--dns-snapshot', path.join(caseDir(c), 'dns-snapshot.json'), '--message-id', t.messageId, ...extra, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return InvestigateReportSchema.parse(JSON.parse(r.stdout));
}

/** 1-based numbers of the lines of a case file that contain every one of `parts`. */
function linesWith(c: string, file: string, ...parts: string[]): number[] {
  return readFileSync(path.join(caseDir(c), file), 'utf8').split('\n').flatMap((l, i) => (parts.every((p) => l.includes(p)) ? [i + 1] : []));
}
/** `side/file:line N` for each evidence reference (the locator also gives the byte offset). */
const where = (refs: Array<{ path: string | null; locator: string }>): string[] => refs.map((e) => `${(e.path ?? '').split('/').slice(-2).join('/')}:${e.locator.replace(/ @ .*/, '')}`);

describe('investigate with the mailbox server\'s log (lab cases, built CLI)', () => {
  it('deleted-after-delivery: the expunge is cited from the Dovecot log, not inferred from a missing copy', () => {
    const c = 'deleted-after-delivery';
    const mid = truth(c).messageId.replace(/^<|>$/g, '');
    const r = investigate(c, 'deleted.db', ['sender', 'receiver']);
    const [expunge] = linesWith(c, 'receiver/dovecot.log', mid, 'expunge: box=INBOX');
    const [flagged] = linesWith(c, 'receiver/dovecot.log', mid, 'delete: box=INBOX');
    expect(expunge).toBeGreaterThan(0);
    expect(r.verdicts.arrived).toMatchObject({ answer: 'yes', outcome: 'delivered', folder: null });
    expect(r.verdicts.arrived.summary).toMatch(/saved into INBOX at \S+, then expunged from INBOX at \S+: no folder holds it since/);
    const f = r.findings.find((x) => x.kind === 'deleted-after-delivery');
    expect(f?.summary).toMatch(/then expunged from INBOX at \S+ by an IMAP client in bob@receiver\.test's mailbox: the mailbox server's log records the deletion/);
    expect(where(f!.evidence)).toEqual(expect.arrayContaining([`receiver/dovecot.log:line ${flagged}`, `receiver/dovecot.log:line ${expunge}`]));
    expect(where(r.verdicts.arrived.evidence)).toContain(`receiver/dovecot.log:line ${expunge}`);

    // Without Dovecot's log: the same verdict, but the deletion is only inferred.
    const plain = investigate(c, 'deleted-plain.db', ['sender/mail.log', 'receiver/mail.log', 'receiver/Maildir']);
    // The receiver's Maildir was collected, every folder of it empty: recorded as examined, so the missing copy counts.
    expect(plain.findings.find((x) => x.kind === 'deleted-after-delivery')?.summary).toMatch(/no copy is in any folder of the evidence: it was deleted or expunged afterwards/);
    expect(plain.verdicts.arrived.summary).toMatch(/; no copy is left in any folder in the evidence\.$/);
    // The logs alone: delivered, but no mailbox was collected to miss a copy from, so nothing is said to be deleted.
    const logs = investigate(c, 'deleted-logs.db', ['sender/mail.log', 'receiver/mail.log']);
    expect(logs.verdicts.arrived).toMatchObject({ answer: 'yes', outcome: 'delivered', folder: null });
    expect(logs.verdicts.arrived.summary).toMatch(/; no mailbox is in the evidence to show which folder it went to\.$/);
    expect(logs.findings.some((x) => x.kind === 'deleted-after-delivery')).toBe(false);
  });

  it('delivered-junk, logs only: the folder comes from Sieve\'s line in the Dovecot log', () => {
    const c = 'delivered-junk';
    const mid = truth(c).messageId.replace(/^<|>$/g, '');
    const [sieve] = linesWith(c, 'receiver/dovecot.log', mid, "stored mail into mailbox 'Junk'");
    expect(sieve).toBeGreaterThan(0);
    const r = investigate(c, 'junk-logs.db', ['sender/mail.log', 'receiver/mail.log', 'receiver/dovecot.log']);
    expect(r.verdicts.arrived).toMatchObject({ answer: 'yes', outcome: 'delivered', folder: 'Junk' });
    expect(r.verdicts.arrived.summary).toMatch(/the mailbox server's log has it saved into Junk at \S+ \(no copy of it is in the evidence to show where it is now\)/);
    const junk = r.findings.find((x) => x.kind === 'filed-to-junk');
    expect(junk?.summary).toMatch(/^Filed into Junk on delivery: the mailbox server's log has it saved into Junk at \S+ for bob@receiver\.test/);
    expect(where(junk!.evidence)).toEqual([`receiver/dovecot.log:line ${sieve}`]);
    expect(r.findings.some((x) => x.kind === 'deleted-after-delivery')).toBe(false);
    // The Postfix lmtp line and Dovecot's delivery are one hand-over: the trail joins them by Dovecot's session id.
    const session = readFileSync(path.join(caseDir(c), 'receiver/dovecot.log'), 'utf8').split('\n')[sieve! - 1]!.match(/<(\d+)><([^>]+)>/)![2]!;
    expect(readFileSync(path.join(caseDir(c), 'receiver/mail.log'), 'utf8')).toContain(`${session} Saved`);

    // The same logs without Dovecot's: delivered, and where is not in the evidence.
    const plain = investigate(c, 'junk-plain.db', ['sender/mail.log', 'receiver/mail.log']);
    expect(plain.verdicts.arrived).toMatchObject({ answer: 'yes', outcome: 'delivered', folder: null });
    expect(plain.findings.some((x) => x.kind === 'filed-to-junk')).toBe(false);
  });

  it("sent-copy-only, logs only: alice's client saving its Sent copy, from the sender's Dovecot log, is the Sent copy cited", () => {
    const c = 'sent-copy-only';
    const mid = truth(c).messageId.replace(/^<|>$/g, '');
    const [append] = linesWith(c, 'sender/dovecot.log', mid, 'imap(alice@sender.test)', 'save: box=Sent');
    expect(append).toBeGreaterThan(0);
    // Asked as alice's ticket would be: by Message-ID and recipient; nothing but the Dovecot line names her.
    const toBob = ['--to', 'bob@receiver.test'];
    const r = investigate(c, 'sent-logs.db', ['sender/mail.log', 'sender/dovecot.log', 'receiver/mail.log', 'receiver/dovecot.log'], toBob);
    expect(r.verdicts.sent).toMatchObject({ answer: 'no', stage: 'sent-folder-copy', confidence: 'strong' });
    expect(r.verdicts.sent.summary).toMatch(/^Not sent: there is only alice@sender\.test's mail client saving it into Sent at \S+, as the sender's mailbox server logged it .* and the sender's server log covers the claimed time with no submission of it \(sender\/mail\.log covers /);
    expect(where(r.verdicts.sent.evidence)).toContain(`sender/dovecot.log:line ${append}`);
    const only = r.findings.find((x) => x.kind === 'sent-folder-copy-only');
    expect(where(only!.evidence)).toEqual([`sender/dovecot.log:line ${append}`]);
    // The receiver's mail server log covers the time: it, not Dovecot's, is the log the arrival verdict rests on.
    expect(r.verdicts.arrived).toMatchObject({ answer: 'no', outcome: 'not-found' });
    expect(r.verdicts.arrived.summary).toMatch(/^Did not arrive: the receiving server's log covers the time and records no acceptance of it for bob@receiver\.test \(receiver\/mail\.log covers /);

    // Without the sender's Dovecot log nothing in the evidence names the message, and nothing dates the question.
    const plain = runCli(['--db', path.join(dir, 'sent-plain.db'), 'investigate', ...['sender/mail.log', 'receiver/mail.log'].map((i) => path.join(caseDir(c), i)),
      '--year', '2026', '--tz', 'UTC', '--offline', '--message-id', truth(c).messageId, ...toBob, '--json']);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/^mailtrail: nothing in the store matches Message-ID /);
    // Only the receiver's mailbox server log: no delivery into bob's mailbox, said as that, the MTA's part left open.
    const mbOnly = investigate(c, 'sent-mailbox-only.db', ['sender/mail.log', 'sender/dovecot.log', 'receiver/dovecot.log'], toBob);
    expect(mbOnly.verdicts.arrived).toMatchObject({ answer: 'no', outcome: 'not-found' });
    expect(mbOnly.verdicts.arrived.summary).toMatch(/^Did not arrive in bob@receiver\.test's mailbox: the mailbox server's log covers the time and records no delivery of it \(receiver\/dovecot\.log covers .*No log of the receiving mail server covers that time/);
  });

  it('delivered-junk with its Maildir too: the copy in Junk decides, and the verdict is unchanged by the log', () => {
    const c = 'delivered-junk';
    const full = investigate(c, 'junk-full.db', ['sender', 'receiver']);
    const noLog = investigate(c, 'junk-nolog.db', ['sender/mail.log', 'receiver/mail.log', 'receiver/Maildir', 'sender/Maildir']);
    expect(full.verdicts.arrived).toMatchObject({ answer: 'yes', folder: 'Junk', confidence: noLog.verdicts.arrived.confidence });
    expect(full.verdicts.arrived.summary).toBe(noLog.verdicts.arrived.summary);
    expect(full.findings.filter((x) => x.kind === 'filed-to-junk')).toHaveLength(1);
  });
});
