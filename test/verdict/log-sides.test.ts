// judgeCoverage: whether the logs of one side cover the claimed time, and which log says so. A mailbox server's log
// (Dovecot: where LMTP saved each message) covers only deliveries into mailboxes, so a mail server's log is asked
// first and the verdict says when only the mailbox server's log covers the time.
import { describe, expect, it } from 'vitest';
import { judgeCoverage } from '../../src/verdict/log-sides.js';
import { decideArrived } from '../../src/verdict/arrived.js';
import type { StoredCoverage } from '../../src/store/log-events.js';

function log(artifactId: number, path: string, format: string, first: string, last: string, gaps: StoredCoverage['gaps'] = []): StoredCoverage {
  return {
    artifactId, sha256: String(artifactId).repeat(64).slice(0, 64), path, format, first, last, lines: 20, events: 10, badLines: 0, complete: true,
    timeAssumption: null, gapSeconds: gaps.reduce((n, g) => n + g.seconds, 0), gaps,
  };
}
const span = { from: '2026-12-03T21:31:18.000Z', to: '2026-12-03T21:31:23.000Z' };
// Listed in path order, as the store gives them: dovecot.log before mail.log, and it starts earlier.
const dovecot = log(1, 'receiver/dovecot.log', 'dovecot', '2026-12-03T21:31:12.000Z', '2026-12-03T21:31:23.000Z');
const mta = log(2, 'receiver/mail.log', 'postfix', '2026-12-03T21:31:17.000Z', '2026-12-03T21:31:23.000Z');
const notFound = (coverage: ReturnType<typeof judgeCoverage>) =>
  decideArrived({ recipientCopies: [], deliveries: [], senderFailures: [], rejects: [], relayed: null, bounces: [], coverage, recipient: 'bob@receiver.test' });

describe('judgeCoverage', () => {
  it("a mail server's log that covers the time is the one cited, even when a mailbox server's log comes first", () => {
    const j = judgeCoverage([dovecot, mta], new Set([1, 2]), span);
    expect(j.state).toBe('covered');
    expect(j.detail).toMatch(/^receiver\/mail\.log covers /);
    expect(j.mailboxServerOnly).toBeUndefined();
    expect(notFound(j).summary).toMatch(/^Did not arrive: the receiving server's log covers the time and records no acceptance of it for bob@receiver\.test \(receiver\/mail\.log/);
  });

  it("only the mailbox server's log covers it: covered, said as no delivery into the mailbox, the MTA's part open", () => {
    const gap = { from: '2026-12-03T21:31:19.000Z', to: '2026-12-03T21:31:22.000Z', seconds: 3, afterLine: 5, beforeLine: 6 };
    const j = judgeCoverage([dovecot, log(2, 'receiver/mail.log', 'postfix', mta.first!, mta.last!, [gap])], new Set([1, 2]), span);
    expect(j).toMatchObject({ state: 'covered', mailboxServerOnly: true });
    expect(j.detail).toMatch(/^receiver\/dovecot\.log covers /);
    const a = notFound(j);
    expect(a).toMatchObject({ answer: 'no', outcome: 'not-found', confidence: 'strong' });
    expect(a.summary).toMatch(/^Did not arrive in bob@receiver\.test's mailbox: the mailbox server's log covers the time and records no delivery of it \(receiver\/dovecot\.log .*\)\. No log of the receiving mail server covers that time, so whether that server took it and then refused, bounced or held it is not in the evidence\.$/);
    expect(a.evidence.map((e) => `${e.path}: ${e.claim}`)).toEqual([
      "receiver/dovecot.log: the mailbox server's log, searched for a delivery of the message",
      "receiver/mail.log: the receiving server's log, searched for the message",
    ]);
  });

  it('neither covers it: the first hole is named, as before', () => {
    const late = log(2, 'receiver/mail.log', 'postfix', '2026-12-03T21:40:00.000Z', '2026-12-03T21:50:00.000Z');
    const j = judgeCoverage([late], new Set([2]), span);
    expect(j.state).toBe('outside');
    expect(j.detail).toMatch(/^receiver\/mail\.log starts at 2026-12-03 21:40:00 UTC, after /);
  });

  it('a log that covers part of a window in question is outside it, and says which part it covers', () => {
    const hours = { from: '2026-12-03T19:31:19.000Z', to: '2026-12-03T23:31:19.000Z' };
    const j = judgeCoverage([mta], new Set([2]), hours);
    expect(j.state).toBe('outside');
    expect(j.detail).toBe('receiver/mail.log covers only 2026-12-03 21:31:17 UTC to 2026-12-03 21:31:23 UTC, not all of 2026-12-03 19:31:19 UTC to 2026-12-03 23:31:19 UTC');
    expect(notFound(j)).toMatchObject({ answer: 'undetermined' });
  });
});
