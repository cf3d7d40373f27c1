import { describe, expect, it } from 'vitest';
import { decideFindings, type FindingFacts } from '../../src/verdict/findings.js';
import { editDistance } from '../../src/verdict/edit-distance.js';
import { ev, loc } from './helpers.js';

const base: FindingFacts = {
  claimedTo: null, actualTo: [], receiving: () => [], recipientCopies: [], sentCopiesOnly: false, senderAnswer: 'yes', senderLogCovers: null, deliveries: [], senderEvents: [],
  rejects: [], bounces: [], mdns: [], handoffs: [], mailboxEvidence: true, submissions: [], claimedFrom: null,
};
const kinds = (f: FindingFacts): string[] => decideFindings(f).map((x) => x.kind);

describe('decideFindings', () => {
  it('edit distance counts a swap as one edit', () => {
    expect(editDistance('bob', 'bbo')).toBe(1);
    expect(editDistance('alice', 'alcie')).toBe(1);
    expect(editDistance('bob', 'dave', 2)).toBe(3);
  });
  it('a claimed recipient one edit from the actual one is a mistype; a different one is another recipient', () => {
    expect(kinds({ ...base, claimedTo: 'bob@r.test', actualTo: ['bbo@r.test'] })).toEqual(['recipient-mistyped']);
    expect(kinds({ ...base, claimedTo: 'bob@r.test', actualTo: ['carol@r.test'] })).toEqual(['other-recipient']);
  });
  it('without a claim: an unknown-user refusal near an address that receives mail', () => {
    const rej = ev({ status: 'rejected', to: 'bbo@r.test', reply: '550 5.1.1 <bbo@r.test>: User unknown' });
    expect(kinds({ ...base, rejects: [rej], receiving: () => ['bob@r.test', 'dave@r.test'] })).toEqual(['recipient-mistyped']);
    expect(kinds({ ...base, rejects: [rej], receiving: () => ['dave@r.test'] })).toEqual([]);
  });
  it('Junk with the spam header that explains it; Seen', () => {
    const spam = [{ vendor: 'SpamAssassin', verdict: 'spam' as const, score: 7.1, threshold: 5, details: ['X'], headerIndex: 4, header: 'X-Spam-Flag' }];
    const f = decideFindings({ ...base, recipientCopies: [{ loc: loc({ folder: 'Junk', maildirFlags: 'S' }), sha256: 'c'.repeat(64), spam, hops: [] }] });
    expect(f.map((x) => x.kind)).toEqual(['filed-to-junk', 'opened']);
    expect(f[0]!.summary).toMatch(/SpamAssassin says spam \(score 7\.1 of 5\) in X-Spam-Flag/);
    expect(f[1]!.summary).toBe('Opened: the copy in Junk is flagged as seen (Maildir S flag).');
    const owned = decideFindings({ ...base, recipientCopies: [{ loc: loc({ folder: 'INBOX', maildirFlags: 'S' }), sha256: 'c'.repeat(64), spam: [], hops: [], owner: 'bob@r.test' }] });
    expect(owned[0]!.summary).toBe("Opened: the copy in bob@r.test's INBOX is flagged as seen (Maildir S flag).");
    const apple = decideFindings({ ...base, recipientCopies: [{ loc: loc({ kind: 'emlx', folder: 'INBOX', maildirFlags: 'RS' }), sha256: 'c'.repeat(64), spam: [], hops: [] }] });
    expect(apple.map((x) => x.summary)).toEqual(["Opened: the copy in INBOX is flagged as seen (Apple Mail's read flag)."]);
  });
  it('a copy flagged deleted and not yet expunged: marked-deleted, in the words of whoever flagged it', () => {
    const imap = { account: 'bob@imap:993', folder: 'INBOX', specialUse: null, uidValidity: '7', uid: 3, internalDate: null, flags: ['\\Deleted'], rfc822Size: 1200 };
    const summaries = [
      loc({ kind: 'imap', imap }), loc({ kind: 'maildir', folder: 'INBOX', maildirFlags: 'ST' }),
      loc({ kind: 'emlx', folder: 'INBOX', maildirFlags: 'T' }), loc({ kind: 'mbox', folder: 'INBOX', maildirFlags: 'T' }),
    ].map((l) => decideFindings({ ...base, recipientCopies: [{ loc: l, sha256: 'c'.repeat(64), spam: [], hops: [] }] }).find((x) => x.kind === 'marked-deleted')?.summary);
    expect(summaries).toEqual([
      'Marked deleted: the copy in INBOX is flagged deleted (\\Deleted); it waits to be expunged, and a mail client shows it as gone.',
      'Marked deleted: the copy in INBOX is flagged deleted (Maildir T flag); it waits to be expunged, and a mail client shows it as gone.',
      "Marked deleted: the copy in INBOX is flagged deleted (Apple Mail's deleted flag); it waits to be expunged, and a mail client shows it as gone.",
      "Marked deleted: the copy in INBOX is flagged deleted (Thunderbird's expunged flag: kept in the file until the folder is compacted); it waits to be expunged, and a mail client shows it as gone.",
    ]);
    expect(kinds({ ...base, recipientCopies: [{ loc: loc({ kind: 'mbox', folder: 'INBOX', maildirFlags: 'S' }), sha256: 'c'.repeat(64), spam: [], hops: [] }] })).toEqual(['opened']);
  });
  it('a copy in INBOX that a junk filter marked ($Junk, or Junk as Thunderbird writes it): marked-junk; in Junk itself, no second finding', () => {
    const imap = (folder: string, flags: string[]) => ({ account: 'bob@imap:993', folder, specialUse: null, uidValidity: '7', uid: 3, internalDate: null, flags, rfc822Size: 1200 });
    const f = decideFindings({ ...base, recipientCopies: [{ loc: loc({ kind: 'imap', imap: imap('INBOX', ['$Junk', '\\Seen']) }), sha256: 'c'.repeat(64), spam: [], hops: [], owner: 'bob@r.test' }] });
    expect(f.map((x) => x.kind)).toEqual(['marked-junk', 'opened']);
    expect(f[0]!.summary).toBe("Marked as junk: the copy in bob@r.test's INBOX carries the IMAP keyword $Junk, a junk filter's mark (in the mail client or on the server); a client may hide it or show it as junk though it was not moved.");
    expect(f[0]!.evidence[0]!.claim).toBe('keyword $Junk');
    expect(kinds({ ...base, recipientCopies: [{ loc: loc({ kind: 'imap', imap: imap('INBOX', ['Junk']) }), sha256: 'c'.repeat(64), spam: [], hops: [] }] })).toEqual(['marked-junk']);
    expect(kinds({ ...base, recipientCopies: [{ loc: loc({ kind: 'imap', imap: imap('Junk', ['$Junk']) }), sha256: 'c'.repeat(64), spam: [], hops: [] }] })).toEqual(['filed-to-junk']);
    expect(kinds({ ...base, recipientCopies: [{ loc: loc({ kind: 'imap', imap: imap('INBOX', ['$NotJunk', 'NonJunk']) }), sha256: 'c'.repeat(64), spam: [], hops: [] }] })).toEqual([]);
  });
  it("a Google Takeout copy: Gmail's labels say Junk and Opened, cited as the header Takeout wrote", () => {
    const f = decideFindings({ ...base, recipientCopies: [{ loc: loc({ kind: 'mbox', folder: 'Junk' }), sha256: 'c'.repeat(64), spam: [], hops: [], gmailLabels: ['Spam', 'Opened', 'Clients/Acme'] }] });
    expect(f.map((x) => x.kind)).toEqual(['filed-to-junk', 'opened']);
    expect(f[1]!.summary).toBe("Opened: Gmail labels the copy in Junk Opened (Google Takeout's X-Gmail-Labels).");
    // Gmail's own labels are quoted; the user's own (named like folders, private) are only counted.
    expect(f[1]!.evidence.map((e) => e.claim)).toEqual(['labelled Opened', "X-Gmail-Labels: Spam,Opened and 1 label(s) of the user's own, not quoted — written by Google Takeout"]);
    expect(f[0]!.evidence.some((e) => e.locator.includes('header #1 (X-Gmail-Labels)'))).toBe(true);
    // Unread in Gmail: no opened finding.
    const unread = decideFindings({ ...base, recipientCopies: [{ loc: loc({ kind: 'mbox', folder: 'INBOX' }), sha256: 'c'.repeat(64), spam: [], hops: [], gmailLabels: ['Inbox', 'Unread'] }] });
    expect(unread.map((x) => x.kind)).toEqual([]);
  });
  it('delivered with no copy left: deleted afterwards; a bounce plus a delivered copy: a contradiction', () => {
    const d = ev({ status: 'delivered', to: 'bob@r.test' });
    expect(kinds({ ...base, deliveries: [d] })).toContain('deleted-after-delivery');
    // Only inferred where a mailbox was collected to miss the copy from.
    expect(kinds({ ...base, deliveries: [d], mailboxEvidence: false })).not.toContain('deleted-after-delivery');
    const f = kinds({ ...base, deliveries: [d], recipientCopies: [{ loc: loc({}), sha256: 'c'.repeat(64), spam: [], hops: [] }], senderEvents: [ev({ status: 'bounced', to: 'bob@r.test' })] });
    expect(f).toContain('contradiction');
  });
  it('deferred first: the remote words, the SMTP stage, and what happened later', () => {
    const d = ev({ status: 'deferred', dsn: '4.2.1', to: 'bob@r.test', relay: '127.0.0.3[127.0.0.3]:25', reply: 'host 127.0.0.3[127.0.0.3] said: 450 4.2.1 <bob@r.test>: Recipient address rejected: try again later (in reply to RCPT TO command)' });
    const sent = ev({ status: 'sent', to: 'bob@r.test', remoteQueueId: 'X' });
    const got = ev({ artifactId: 2, status: 'delivered', to: 'bob@r.test' });
    const f = decideFindings({ ...base, senderEvents: [d, sent], deliveries: [got], recipientCopies: [{ loc: loc({}), sha256: 'c'.repeat(64), spam: [], hops: [] }] });
    expect(f.map((x) => x.kind)).toEqual(['deferred']);
    expect(f[0]!.summary).toMatch(/^Deferred first at \S+: 450 4\.2\.1 <bob@r\.test>: Recipient address rejected: try again later \(at RCPT TO, by 127\.0\.0\.3\[127\.0\.0\.3\]:25\); handed to the next server at \S+ and delivered to bob@r\.test at \S+, 1s after the first attempt\.$/);
    expect(f[0]!.evidence.map((e) => e.claim)).toEqual([expect.stringMatching(/^deferred: 4\.2\.1/), 'later handed on', 'delivered']);
  });
  it('clock skew at a hand-off is judged by causality: receipt after the sent line, or before the attempt began', () => {
    const at = (s: number): number => Date.parse('2026-11-24T18:30:00Z') + s * 1000;
    const queued = ev({ status: 'queued', queueId: 'Q9', timeMs: at(10) });
    const sent = ev({ status: 'sent', queueId: 'Q9', remoteQueueId: 'X', timeMs: at(20), delay: 12 });
    const recv = (s: number) => ev({ artifactId: 2, host: 'mx', queueId: 'X', status: 'received', timeMs: at(s) });
    const skews = (s: number): string[] => decideFindings({ ...base, handoffs: [{ from: sent, to: recv(s), start: queued }] }).filter((x) => x.kind === 'clock-skew').map((x) => x.summary);
    // Inside [queued, sent] (± 1 s of whole-second stamps) is transfer time, not skew.
    expect(skews(20)).toEqual([]);
    expect(skews(11)).toEqual([]);
    expect(skews(21)).toEqual([]);
    expect(skews(26)[0]).toMatch(/mx's clock is at least 5s ahead of smtp's — mx logged receiving it 6s after smtp logged handing it over/);
    expect(skews(4)[0]).toMatch(/mx's clock is at least 5s behind smtp's/);
    // A whole hour off between logs whose zone was assumed: the --tz assumption, most likely.
    expect(skews(20 + 3600)[0]).toMatch(/probably a wrong zone assumed for one log at ingest \(--tz\)/);
    // Without the line that starts the attempt, an early receipt may be a slow transfer: no claim.
    expect(decideFindings({ ...base, handoffs: [{ from: sent, to: recv(4), start: null }] }).map((x) => x.kind)).toEqual([]);
  });
  it('a hop held longer than five minutes is a slow hop', () => {
    const sent = ev({ status: 'sent', remoteQueueId: 'X', delay: 400 });
    const recv = ev({ artifactId: 2, queueId: 'X', status: 'received', timeMs: sent.timeMs });
    expect(decideFindings({ ...base, handoffs: [{ from: sent, to: recv, start: null }] }).map((x) => x.summary)).toEqual(['Slow hop: smtp held it 400s before handing it to smtp.']);
  });
});
