// mailboxLog: the steps of one message in the recipients' mailboxes, from Dovecot lines (parsed by the real parser
// from lines in the form our lab's Dovecot 2.3 wrote them), and what decideArrived and the findings make of them.
import { describe, expect, it } from 'vitest';
import { parseDovecotLine } from '../../src/parse/logs/dovecot.js';
import { mailboxLog, sentFolderSaves } from '../../src/verdict/mailbox-log.js';
import { decideSent } from '../../src/verdict/sent.js';
import { decideArrived } from '../../src/verdict/arrived.js';
import { decideFindings, type FindingFacts } from '../../src/verdict/findings.js';
import type { StoredLogEvent } from '../../src/correlate/types.js';
import { covered, ev, loc, noLogs } from './helpers.js';

const MID = 'e7c069eb@sender.test';
let n = 0;
/** A Dovecot line of receiver/dovecot.log as the store gives it back. */
function dv(line: string): StoredLogEvent {
  const p = parseDovecotLine(line, { line: ++n, offset: n * 200, year: 2026, tz: 'UTC' });
  if (p === null) throw new Error(`not a Dovecot event: ${line}`);
  const { delays: _d, relay: _r, client: _c, time: _t, ...rest } = p;
  return ev({ ...rest, path: 'receiver/dovecot.log', artifactId: 7, rowId: 1000 + n, timeMs: Date.parse(p.time!) });
}
const deliver = (user: string, box: string, t = '19:50:43'): StoredLogEvent =>
  dv(`Dec 03 ${t} lmtp(${user})<3457><IGMoGBPIEWs/EAAAg+zDdQ>: Info: sieve: msgid=<${MID}>: stored mail into mailbox '${box}'`);
const imap = (user: string, what: string, t: string): StoredLogEvent =>
  dv(`Dec 03 ${t} imap(${user})<3781><MO+mCMBhUtB/AAAB>: Info: ${what}, uid=1, msgid=<${MID}>, size=1746, from=Alice <alice@sender.test>, subject=Party photos, flags=()`);

describe('mailboxLog', () => {
  it('delivered into INBOX, then marked \\Deleted and expunged: no folder holds it, and the expunge is the removal', () => {
    const m = mailboxLog([deliver('bob@receiver.test', 'INBOX'), imap('bob@receiver.test', 'delete: box=INBOX', '19:50:45'), imap('bob@receiver.test', 'expunge: box=INBOX', '19:50:45')], ['bob@receiver.test']);
    expect(m.filed).toMatchObject({ action: 'saved', mailbox: 'INBOX', delivery: true, owner: 'bob@receiver.test' });
    expect(m.steps.map((s) => s.action)).toEqual(['saved', 'deleted', 'expunged']);
    expect(m.folders).toEqual([]);
    expect(m.removed.map((s) => `${s.action} ${s.mailbox}`)).toEqual(['expunged INBOX']);
  });

  it('a move (copy to Archive, expunge from INBOX) leaves it in Archive: nothing was removed', () => {
    const m = mailboxLog([deliver('bob@receiver.test', 'INBOX'), imap('bob@receiver.test', 'copy from INBOX: box=Archive', '19:51:00'), imap('bob@receiver.test', 'expunge: box=INBOX', '19:51:00')], ['bob@receiver.test']);
    expect(m.folders).toEqual(['Archive']);
    expect(m.removed).toEqual([]);
  });

  it("only the recipients' mailboxes: alice's Sent copy (her IMAP APPEND) and dave's copy are not bob's", () => {
    const m = mailboxLog([
      deliver('bob@receiver.test', 'Junk'), deliver('dave@receiver.test', 'INBOX'),
      imap('alice@sender.test', 'save: box=Sent', '19:50:42'), imap('dave@receiver.test', 'expunge: box=INBOX', '19:52:00'),
    ], ['bob@receiver.test']);
    expect(m.steps.map((s) => `${s.owner} ${s.action} ${s.mailbox}`)).toEqual(['bob@receiver.test saved Junk']);
    expect(m.folders).toEqual(['Junk']);
  });

  it('a bare Dovecot login (bob) is the recipient the MTA named when its LMTP reply carries that session id', () => {
    const lmtp = ev({ format: 'postfix', program: 'postfix/lmtp', status: 'delivered', to: 'bob@receiver.test', remoteQueueId: 'IGMoGBPIEWs/EAAAg+zDdQ', path: 'receiver/mail.log' });
    const evs = [lmtp, deliver('bob', 'INBOX'), imap('bob', 'expunge: box=INBOX', '19:50:45'), imap('carol', 'expunge: box=INBOX', '19:50:46')];
    const m = mailboxLog(evs, ['bob@receiver.test']);
    expect(m.steps.map((s) => `${s.owner} ${s.action}`)).toEqual(['bob saved', 'bob expunged']);
    expect(mailboxLog(evs.slice(1), ['bob@receiver.test']).steps).toEqual([]);
  });
});

describe('decideArrived and findings with the mailbox server\'s log', () => {
  const base: FindingFacts = {
    claimedTo: null, actualTo: [], receiving: () => [], recipientCopies: [], sentCopiesOnly: false, senderAnswer: 'yes', senderLogCovers: null, deliveries: [], senderEvents: [],
    rejects: [], bounces: [], mdns: [], handoffs: [], mailboxEvidence: false, submissions: [], claimedFrom: null,
  };
  const arrived = (deliveries: StoredLogEvent[], mailbox: ReturnType<typeof mailboxLog>, copies = [] as ReturnType<typeof loc>[]) =>
    decideArrived({ recipientCopies: copies, deliveries, senderFailures: [], rejects: [], relayed: null, bounces: [], coverage: covered, recipient: 'bob@receiver.test', mailbox });

  it('no copy collected: the folder is where the log last put it, said as the log\'s word, with the filing finding', () => {
    const d = deliver('bob@receiver.test', 'Junk');
    const mb = mailboxLog([d], ['bob@receiver.test']);
    const a = arrived([d], mb);
    expect(a).toMatchObject({ answer: 'yes', outcome: 'delivered', folder: 'Junk', confidence: 'strong' });
    expect(a.summary).toMatch(/the mailbox server's log has it saved into Junk at 2026-12-03T19:50:43Z \(no copy of it is in the evidence to show where it is now\)\.$/);
    expect(a.evidence[0]!.claim).toBe("the mailbox server's log: delivered, saved into Junk for bob@receiver.test");
    const f = decideFindings({ ...base, deliveries: [d], mailbox: mb });
    expect(f.map((x) => x.kind)).toEqual(['filed-to-junk']);
    expect(f[0]!.evidence.map((e) => e.locator)).toEqual([`line ${d.line} @ byte ${d.offset}`]);
  });

  it('a copy in the evidence decides the folder; the log adds its lines as evidence only', () => {
    const d = deliver('bob@receiver.test', 'INBOX');
    const mb = mailboxLog([d, imap('bob@receiver.test', 'copy from INBOX: box=Archive', '19:51:00')], ['bob@receiver.test']);
    const a = arrived([d], mb, [loc({ folder: 'Work' })]);
    expect(a.folder).toBe('Work');
    expect(a.summary).toMatch(/; it is in Work now\.$/);
    expect(a.evidence.some((e) => e.claim === "the mailbox server's log: copied into Archive (bob@receiver.test's mailbox)")).toBe(true);
  });

  it('expunged: no folder, and the deletion finding cites the expunge instead of inferring it', () => {
    const d = deliver('bob@receiver.test', 'INBOX');
    const del = imap('bob@receiver.test', 'delete: box=INBOX', '19:50:45'), x = imap('bob@receiver.test', 'expunge: box=INBOX', '19:50:45');
    const mb = mailboxLog([d, del, x], ['bob@receiver.test']);
    const a = arrived([d], mb);
    expect(a.folder).toBeNull();
    expect(a.summary).toMatch(/saved into INBOX at \S+, then expunged from INBOX at 2026-12-03T19:50:45Z: no folder holds it since\.$/);
    const f = decideFindings({ ...base, deliveries: [d], mailbox: mb, mailboxEvidence: true });
    expect(f).toHaveLength(1);
    expect(f[0]!.summary).toBe("Delivered to bob@receiver.test at 2026-12-03T19:50:43Z, then expunged from INBOX at 2026-12-03T19:50:45Z by an IMAP client in bob@receiver.test's mailbox: the mailbox server's log records the deletion.");
    expect(f[0]!.evidence.map((e) => e.claim)).toEqual(['delivered into the mailbox', 'marked \\Deleted in INBOX', 'expunged from INBOX']);
  });

  it('saved per the log, no expunge logged, but the collected mailbox has no copy: still a deletion (the plugin may be off)', () => {
    const d = deliver('bob@receiver.test', 'INBOX');
    const mb = mailboxLog([d], ['bob@receiver.test']);
    expect(decideFindings({ ...base, deliveries: [d], mailbox: mb, mailboxEvidence: true }).map((x) => x.kind)).toEqual(['deleted-after-delivery']);
    expect(decideFindings({ ...base, deliveries: [d], mailbox: mb, mailboxEvidence: false }).map((x) => x.kind)).toEqual([]);
  });
});

describe('filing on delivery is the delivery agent\'s word only', () => {
  it("a client's IMAP APPEND into Junk (no delivery line) places it, but is no filing finding", () => {
    const save = imap('bob@receiver.test', 'save: box=Junk', '19:55:00');
    const mb = mailboxLog([save], ['bob@receiver.test']);
    expect(mb.filed).toMatchObject({ action: 'saved', mailbox: 'Junk', delivery: false });
    const d = ev({ status: 'delivered', to: 'bob@receiver.test' });
    const f = decideFindings({
      claimedTo: null, actualTo: [], receiving: () => [], recipientCopies: [], sentCopiesOnly: false, senderAnswer: 'yes', senderLogCovers: null, deliveries: [d], senderEvents: [],
      rejects: [], bounces: [], mdns: [], handoffs: [], mailboxEvidence: false, submissions: [], claimedFrom: null, mailbox: mb,
    });
    expect(f.map((x) => x.kind)).toEqual([]);
  });
});

describe("the sender's client saving its Sent copy, from the sender's mailbox server log", () => {
  // As the lab's sender/dovecot.log has it (sent-copy-only): alice's client APPENDs its copy into Sent.
  const append = (user: string, box: string) => imap(user, `save: box=${box}`, '21:31:20');

  it('is found for the sender by address, or by a bare login that is its local part, and for no one else', () => {
    const evs = [append('alice@sender.test', 'Sent'), append('carol@sender.test', 'Sent'), deliver('bob@receiver.test', 'INBOX')];
    expect(sentFolderSaves(evs, 'Alice@Sender.test').map((s) => `${s.owner} ${s.mailbox}`)).toEqual(['alice@sender.test Sent']);
    expect(sentFolderSaves([append('alice', 'Sent')], 'alice@sender.test').map((s) => s.owner)).toEqual(['alice']);
    // No sender known: whoever saved it into their own Sent folder is the sender.
    expect(sentFolderSaves(evs, null).map((s) => s.owner)).toEqual(['alice@sender.test', 'carol@sender.test']);
  });

  it('only a save into a Sent-like folder by an IMAP session: not a delivery, not INBOX, not an expunge', () => {
    const evs = [append('alice@sender.test', 'INBOX'), deliver('alice@sender.test', 'Sent'), imap('alice@sender.test', 'expunge: box=Sent', '21:32:00'), append('alice@sender.test', 'Sent Items')];
    expect(sentFolderSaves(evs, 'alice@sender.test').map((s) => `${s.action} ${s.mailbox} ${s.delivery}`)).toEqual(['saved Sent Items false']);
  });

  it("is never the recipient's mailbox, even when the question names no recipient", () => {
    const m = mailboxLog([append('alice@sender.test', 'Sent'), deliver('bob@receiver.test', 'INBOX')], []);
    expect(m.steps.map((s) => `${s.owner} ${s.mailbox}`)).toEqual(['bob@receiver.test INBOX']);
    expect(m.folders).toEqual(['INBOX']);
  });

  it('backs the sent verdict and the Sent-copy finding with the cited line when no copy was collected', () => {
    const save = append('alice@sender.test', 'Sent');
    const saves = sentFolderSaves([save], 'alice@sender.test');
    const s = decideSent({ senderEvents: [], recipients: [], confirmedRemote: new Set(), sentCopies: [], sentSaves: saves, coverage: covered, arrivedAuthenticated: null, claimedFrom: 'alice@sender.test' });
    expect(s).toMatchObject({ answer: 'no', stage: 'sent-folder-copy', confidence: 'strong' });
    expect(s.summary).toMatch(/^Not sent: there is only alice@sender\.test's mail client saving it into Sent at 2026-12-03T21:31:20Z, as the sender's mailbox server logged it \(weak: /);
    expect(s.evidence.map((e) => `${e.path} ${e.locator}`)).toContain(`receiver/dovecot.log line ${save.line} @ byte ${save.offset}`);
    const u = decideSent({ senderEvents: [], recipients: [], confirmedRemote: new Set(), sentCopies: [], sentSaves: saves, coverage: noLogs, arrivedAuthenticated: null, claimedFrom: 'alice@sender.test' });
    expect(u).toMatchObject({ answer: 'undetermined', stage: 'sent-folder-copy', confidence: 'weak' });
    const f = decideFindings({
      claimedTo: null, actualTo: [], receiving: () => [], recipientCopies: [], sentCopiesOnly: true, sentCopy: { copies: [loc({ folder: 'Sent' })], saves }, senderAnswer: 'no',
      senderLogCovers: 'sender/mail.log covers it', deliveries: [], senderEvents: [], rejects: [], bounces: [], mdns: [], handoffs: [], mailboxEvidence: true, submissions: [], claimedFrom: null,
    });
    expect(f.map((x) => x.kind)).toEqual(['sent-folder-copy-only']);
    expect(f[0]!.summary).toMatch(/^Only a copy in the Sent folder, which the sender's mailbox server logged alice@sender\.test's mail client saving into Sent at /);
    expect(f[0]!.evidence.map((e) => e.kind)).toEqual(['mailbox', 'log']);
  });
});
