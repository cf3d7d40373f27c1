// Who submitted it: the SMTP AUTH login on the accepting line becomes a finding (src/verdict/submission.ts), plainly
// saying when it is not the From address; it is quoted in the sent and sender evidence but never authenticates
// the From domain by itself.
import { describe, expect, it } from 'vitest';
import { submissionFindings } from '../../src/verdict/submission.js';
import { decideFindings, type FindingFacts } from '../../src/verdict/findings.js';
import { decideSent } from '../../src/verdict/sent.js';
import { decideInvestigateSender } from '../../src/verdict/investigate-sender.js';
import { covered, ev } from './helpers.js';

const accepted = (detail: string | null, p: Parameters<typeof ev>[0] = {}) => ev({
  host: 'smtp', program: 'postfix/submission/smtpd', queueId: 'DCE5F1664CE', status: 'received', client: 'unknown[127.0.0.1]', detail,
  line: 14, offset: 1474, timeMs: Date.parse('2026-11-24T18:30:00Z'), ...p,
});
const header = (address: string) => ({ address, source: 'header' as const });

describe('submissionFindings', () => {
  it('the From address\'s own login: informational, naming login, method, client and line, and what it does not prove', () => {
    const [f, ...rest] = submissionFindings([accepted('authenticated (PLAIN) as alice@sender.test')], header('alice@sender.test'));
    expect(rest).toEqual([]);
    expect(f).toEqual({
      kind: 'authenticated-submission', severity: 'info',
      summary: "Submitted by login alice@sender.test (SASL PLAIN): the server smtp (postfix/submission/smtpd) accepted it from unknown[127.0.0.1] as DCE5F1664CE at 2026-11-24T18:30:00Z once that login had authenticated. The login matches the From address alice@sender.test. A login proves which account submitted it to that server, not by itself who wrote the From header.",
      evidence: [{ sha256: 'a'.repeat(64), kind: 'log', path: 'sender/mail.log', locator: 'line 14 @ byte 1474', claim: 'accepted from unknown[127.0.0.1] after SMTP AUTH as login alice@sender.test (SASL PLAIN)' }],
    });
  });

  it('another login is stated plainly as a warning: another account, another domain, a bare name', () => {
    const one = (detail: string, from: string, p: Parameters<typeof ev>[0] = {}) => submissionFindings([accepted(detail, p)], header(from))[0]!;
    const other = one('authenticated (PLAIN) as intern@corp.test', 'ceo@corp.test');
    expect(other.kind).toBe('submitted-by-other-login');
    expect(other.severity).toBe('warning');
    expect(other.summary).toMatch(/^Submitted by login intern@corp\.test \(SASL PLAIN\), not by the From address ceo@corp\.test: another account of the same domain\. The server smtp \(postfix\/submission\/smtpd\) accepted it from unknown\[127\.0\.0\.1\] as DCE5F1664CE at 2026-11-24T18:30:00Z once that login had authenticated, and let that account send as ceo@corp\.test\.$/);
    expect(one('authenticated (PLAIN) as vmail@uhu-banane.net', 'root@host2.uhu-banane.de').summary).toContain(': an account of another domain.');
    expect(one('authenticated (PLAIN) as ceo@elsewhere.test', 'ceo@corp.test').summary).toContain(': an account of another domain.');
    expect(one('authenticated (dovecot_plain) as mallory', 'ceo@corp.test', { format: 'exim', program: 'exim', host: 'mx' }).summary).toMatch(/^Submitted by login mallory \(authenticator dovecot_plain\), not by the From address ceo@corp\.test: a login without a domain/);
  });

  it('the same account however written: case, a bare name, a +sub-address', () => {
    const kind = (detail: string, from: string) => submissionFindings([accepted(detail)], header(from))[0]!.kind;
    expect(kind('authenticated (PLAIN) as Alice@Sender.TEST', 'alice@sender.test')).toBe('authenticated-submission');
    expect(kind('authenticated (dovecot_plain) as alice', 'alice@sender.test')).toBe('authenticated-submission');
    expect(kind('authenticated (PLAIN) as user01.test@uhu-banane.net', 'user01.test+root.host1@uhu-banane.net')).toBe('authenticated-submission');
  });

  it('compared with the envelope sender when no copy shows the From header, and says so', () => {
    const f = submissionFindings([accepted('authenticated (LOGIN) as vmail@uhu-banane.net')], { address: 'root@host2.uhu-banane.de', source: 'envelope' })[0]!;
    expect(f.summary).toMatch(/not by the envelope sender root@host2\.uhu-banane\.de/);
    expect(submissionFindings([accepted('authenticated (PLAIN) as a@b.test')], null)[0]!.summary).toContain('No From address is known to compare it with.');
  });

  it('a mechanism without a login (Sendmail auth=) is reported as such; lines without SMTP AUTH give nothing', () => {
    const f = submissionFindings([accepted('authenticated (PLAIN)', { format: 'sendmail', program: 'sm-mta', queueId: 's1P819mk027713' })], header('a@b.test'));
    expect(f.map((x) => [x.kind, x.severity])).toEqual([['authenticated-submission', 'info']]);
    expect(f[0]!.summary).toMatch(/^Submitted after SMTP authentication \(SASL PLAIN\): .* the line does not name the login \(Sendmail logs it on the session's AUTH=server line\)\.$/);
    expect(submissionFindings([accepted(null), accepted('queue active', { status: 'queued' }), accepted('authenticated (PLAIN) as a@b.test', { status: null })], header('a@b.test'))).toEqual([]);
  });

  it('decideFindings reports the submissions it is given', () => {
    const base: FindingFacts = {
      claimedTo: null, actualTo: [], receiving: () => [], recipientCopies: [], sentCopiesOnly: false, senderAnswer: 'yes', senderLogCovers: null, deliveries: [], senderEvents: [],
      rejects: [], bounces: [], mdns: [], handoffs: [], mailboxEvidence: true, submissions: [], claimedFrom: null,
    };
    const s = accepted('authenticated (PLAIN) as intern@corp.test');
    expect(decideFindings({ ...base, submissions: [s], claimedFrom: header('ceo@corp.test') }).map((x) => x.kind)).toEqual(['submitted-by-other-login']);
    expect(decideFindings({ ...base, senderEvents: [s] }).map((x) => x.kind)).toEqual([]);
  });
});

describe('the login in the verdicts', () => {
  it('sent quotes it on the accepting line', () => {
    const s = decideSent({ senderEvents: [accepted('authenticated (PLAIN) as alice@sender.test')], recipients: [], confirmedRemote: new Set(), sentCopies: [], coverage: covered, arrivedAuthenticated: null, claimedFrom: null });
    expect(s.evidence[0]!.claim).toBe("the sender's server accepted the message from unknown[127.0.0.1], after login alice@sender.test authenticated (SASL PLAIN)");
  });

  it('the sender verdict never rests on a login: the From domain\'s own login on a server not judged its sending server stays unverified', () => {
    const evs = [accepted('authenticated (PLAIN) as ceo@corp.test', { from: 'ceo@corp.test' }), ev({ status: 'sent', queueId: 'DCE5F1664CE', to: 'bob@r.test', relay: 'mx[192.0.2.1]:25' })];
    expect(decideInvestigateSender(null, evs, false, 'corp.test')).toMatchObject({ answer: 'unverified', domain: null });
    // On the domain's sending server the log-based answer is as before, with the login quoted in its evidence.
    const onServer = decideInvestigateSender(null, evs, true, 'corp.test');
    expect(onServer).toMatchObject({ answer: 'authenticated', domain: 'corp.test', confidence: 'strong' });
    expect(onServer.evidence[0]!.claim).toContain('after login ceo@corp.test authenticated (SASL PLAIN)');
    // A login at the From domain does not make up for an envelope sender elsewhere.
    const elsewhere = [accepted('authenticated (PLAIN) as ceo@corp.test', { from: 'x@other.test' }), evs[1]!];
    expect(decideInvestigateSender(null, elsewhere, true, 'corp.test').answer).toBe('unverified');
  });

  it('unverified with log lines but no acceptance from a client: says what the log lacks, not that there is no record', () => {
    const sendOnly = [ev({ status: 'sent', queueId: 'Q1', from: 'alice@example.org', to: 'dave@partner.example', relay: 'mx[192.0.2.1]:25' })];
    const v = decideInvestigateSender(null, sendOnly, false, 'example.org');
    expect(v).toMatchObject({ answer: 'unverified', domain: null, confidence: 'none' });
    expect(v.summary).toBe("Unverified: no copy of the message is in the evidence to check, and its sending server's log lines do not show example.org's own server accepting it from a client and handing it on.");
    expect(decideInvestigateSender(null, [], false, 'example.org').summary).toBe('Unverified: no copy of the message and no sending-server record of it is in the evidence.');
  });
});
