import { describe, expect, it } from 'vitest';
import { claimSpan, findCandidates, impliedQuestion, isoBound, nearMissOf, parseSpan, searchWindow, type Question, type QuestionPorts } from '../../src/correlate/question.js';
import type { StoredLogEvent } from '../../src/correlate/types.js';
import type { StoredCopy } from '../../src/verdict/evidence-types.js';
import { ev } from '../verdict/helpers.js';

const q0: Question = { messageId: null, from: null, to: null, subject: null, around: null, since: null, until: null };

function ports(events: StoredLogEvent[], copies: StoredCopy[] = []): QuestionPorts {
  return {
    byMessageId: (m) => events.filter((e) => e.messageId?.toLowerCase() === m.toLowerCase()),
    byAddress: (side, a, s, u) => events.filter((e) => (side === 'from' ? e.from : e.to) === a && (e.timeMs ?? 0) >= s && (e.timeMs ?? 0) <= u),
    transaction: (art, q) => events.filter((e) => e.artifactId === art && e.queueId === q),
    copiesByMessageId: (k) => copies.filter((c) => c.messageId !== null && c.messageId.replace(/^<|>$/g, '').toLowerCase() === k),
    copiesByAddress: () => [],
    copyBySha: (sha) => copies.find((c) => c.sha256 === sha) ?? null,
  };
}
const t = Date.parse('2026-11-24T18:30:00Z');
const tx = (q: string, mid: string, from: string, to: string, at: number): StoredLogEvent[] => [
  ev({ queueId: q, messageId: mid, timeMs: at }), ev({ queueId: q, from, timeMs: at }), ev({ queueId: q, to, status: 'sent', timeMs: at + 1000 }),
];

describe('question matching', () => {
  it('windows: since/until win; around ± 2 h; no time → none', () => {
    expect(searchWindow({ ...q0, around: '2026-11-24T18:30:00.000Z' })).toEqual({ sinceMs: t - 7_200_000, untilMs: t + 7_200_000 });
    expect(searchWindow(q0)).toBeNull();
  });
  it('the time in question: the stated window, else the message\'s own time, else the whole window searched around the claim', () => {
    const around = '2026-11-24T18:30:00.000Z', dated = '2026-11-24T18:31:05.000Z';
    // A bare --around is searched ± 2 h, so absence must hold over all of it, not only at the instant recalled.
    expect(claimSpan({ ...q0, around }, null)).toEqual({ from: '2026-11-24T16:30:00.000Z', to: '2026-11-24T20:30:00.000Z' });
    // A message the evidence dates is asked about at its own time.
    expect(claimSpan({ ...q0, around }, dated)).toEqual({ from: dated, to: dated });
    expect(claimSpan(q0, dated)).toEqual({ from: dated, to: dated });
    // A window the question states wins (--since/--until, or --around with --window).
    const since = '2026-11-24T18:29:59.000Z', until = '2026-11-24T18:30:03.000Z';
    expect(claimSpan({ ...q0, around, since, until }, dated)).toEqual({ from: since, to: until });
    // --around with one end: the other end is the searched one.
    expect(claimSpan({ ...q0, around, since }, null)).toEqual({ from: since, to: '2026-11-24T20:30:00.000Z' });
    expect(claimSpan(q0, null)).toBeNull();
  });
  it('near misses: same domain, one or two edits in the local part', () => {
    expect(nearMissOf('bob@r.test', 'bbo@r.test')).toBe(1);
    expect(nearMissOf('bob@r.test', 'bob@s.test')).toBeNull();
    expect(nearMissOf('bob@r.test', 'dave@r.test')).toBeNull();
  });
  it('two messages from the same sender to the same recipient in the window are two candidates', () => {
    const evs = [...tx('A', 'm1@s', 'a@s.test', 'b@r.test', t), ...tx('B', 'm2@s', 'a@s.test', 'b@r.test', t + 60_000)];
    const c = findCandidates({ ...q0, from: 'a@s.test', to: 'b@r.test', around: new Date(t).toISOString() }, ports(evs));
    expect(c.map((x) => x.messageId)).toEqual(['m1@s', 'm2@s']);
  });
  it('a mistyped recipient still finds the message, marked as a near miss', () => {
    const evs = tx('A', 'm1@s', 'a@s.test', 'bbo@r.test', t);
    const [c] = findCandidates({ ...q0, from: 'a@s.test', to: 'bob@r.test', around: new Date(t).toISOString() }, ports(evs));
    expect(c?.nearMiss).toEqual({ claimed: 'bob@r.test', actual: 'bbo@r.test', distance: 1 });
  });
  it('a receiver\'s refusal at RCPT is part of the message whose sender logged that refusal, not a second candidate', () => {
    // As bounced-mistyped: the receiver's NOQUEUE reject (no queue id, no Message-ID) and the sender's bounce quoting it.
    const reply = '550 5.1.1 <bbo@r.test>: Recipient address rejected: User unknown in virtual mailbox table';
    const sender = [ev({ queueId: 'A', messageId: 'm1@s', timeMs: t }), ev({ queueId: 'A', from: 'a@s.test', timeMs: t }),
      ev({ queueId: 'A', to: 'bbo@r.test', status: 'bounced', reply: `host mx[192.0.2.3] said: ${reply} (in reply to RCPT TO command)`, timeMs: t + 1000 })];
    const refusal = ev({ artifactId: 2, queueId: null, from: 'a@s.test', to: 'bbo@r.test', status: 'rejected', reply, timeMs: t + 1000 });
    const ask = { ...q0, from: 'a@s.test', to: 'bbo@r.test', around: new Date(t).toISOString() };
    expect(findCandidates(ask, ports([...sender, refusal])).map((x) => x.messageId)).toEqual(['m1@s']);
    // With only the receiver's log the refusal is all there is: it stays the candidate.
    expect(findCandidates(ask, ports([refusal])).map((x) => [x.messageId, x.to])).toEqual([[null, ['bbo@r.test']]]);
    // A refusal the sender's lines do not quote (another attempt) is kept apart.
    const other = { ...refusal, rowId: refusal.rowId + 1000, reply: '552 5.3.4 Message size exceeds fixed limit' };
    expect(findCandidates(ask, ports([...sender, other]))).toHaveLength(2);
  });
  it('a Message-ID is one candidate however many lines logged it; an unknown one is none', () => {
    const evs = [...tx('A', 'm1@s', 'a@s.test', 'b@r.test', t), ...tx('Z', 'm1@s', 'a@s.test', 'b@r.test', t).map((e) => ({ ...e, artifactId: 2 }))];
    expect(findCandidates({ ...q0, messageId: '<M1@s>' }, ports(evs))).toHaveLength(1);
    expect(findCandidates({ ...q0, messageId: '<nope@s>' }, ports(evs))).toHaveLength(0);
  });
});

describe('isoBound', () => {
  it('open window ends sort, as text, below and above every stored four-digit-year date', () => {
    expect(isoBound(-8.64e15)).toBe('0000-01-01T00:00:00.000Z');
    expect(isoBound(8.64e15)).toBe('9999-12-31T23:59:59.999Z');
    expect(isoBound(t)).toBe('2026-11-24T18:30:00.000Z');
    for (const d of ['1995-09-20T04:19:00.000Z', '2026-11-24T18:30:24.000Z']) expect(isoBound(-8.64e15) < d && d < isoBound(8.64e15)).toBe(true);
  });
});

describe('parseSpan (--window)', () => {
  it.each([
    ['2h', 7_200_000], ['90m', 5_400_000], ['1h30m', 5_400_000], ['45s', 45_000], ['1d', 86_400_000], ['30D', 2_592_000_000], [' 10M ', 600_000],
  ])('%s is %i ms', (t, ms) => expect(parseSpan(t)).toBe(ms));
  it.each(['', '2', 'h', '2 hours', '-1h', '1.5h', '0s', '31d', '1h1h1h1h1h'])('%j is not a span', (t) => expect(parseSpan(t)).toBeNull());
});

describe('impliedQuestion: the one message in the evidence', () => {
  const copy = (sha256: string, over: Partial<StoredCopy> = {}): StoredCopy => ({
    rowId: 1, sha256, messageId: '<A@x.test>', from: 'a@x.test', to: ['b@y.test'], subject: 's', date: '2026-11-24T18:30:00.000Z', hasBody: true, locations: [], ...over,
  });
  it('copies of one message (same Message-ID, any case or brackets) are one question by its Message-ID', () => {
    const r = impliedQuestion([copy('1'), copy('2', { messageId: 'a@X.TEST' })]);
    expect(r).toEqual({ question: { messageId: '<A@x.test>', from: null, to: null, subject: null, around: null, since: null, until: null }, viaReport: false });
  });
  it('without a Message-ID, asks by From, To and Date', () => {
    const r = impliedQuestion([copy('1', { messageId: null })]);
    expect(r).toEqual({ question: { messageId: null, from: 'a@x.test', to: 'b@y.test', subject: 's', around: '2026-11-24T18:30:00.000Z', since: null, until: null }, viaReport: false });
  });
  it('a bounce is about the message it reports on: with the original it is one message; alone it asks about the original', () => {
    const bounce = copy('b', { messageId: '<bounce@mx.test>', from: 'mailer-daemon@mx.test' });
    const reportsOn = (c: StoredCopy): string | null => (c.sha256 === 'b' ? '<a@x.test>' : null);
    expect(impliedQuestion([copy('1'), bounce], reportsOn)).toMatchObject({ question: { messageId: '<A@x.test>' }, viaReport: false });
    expect(impliedQuestion([bounce], reportsOn)).toMatchObject({ question: { messageId: '<a@x.test>' }, viaReport: true });
    expect(impliedQuestion([copy('2', { messageId: '<other@x.test>' }), bounce], reportsOn)).toMatchObject({ choices: [copy('2', { messageId: '<other@x.test>' }), bounce] });
  });
  it('two messages or none are choices, not a guess', () => {
    expect(impliedQuestion([copy('1'), copy('2', { messageId: '<B@x.test>' })])).toEqual({ choices: [copy('1'), copy('2', { messageId: '<B@x.test>' })] });
    expect(impliedQuestion([])).toEqual({ choices: [] });
  });
  it('one message with nothing to ask by (no Message-ID, no Date or no addresses) is asked about by its sha256', () => {
    expect(impliedQuestion([copy('1', { messageId: null, date: null })])).toEqual({ question: { ...q0, sha256: '1' }, viaReport: false });
    expect(impliedQuestion([copy('1', { messageId: null, from: null, to: [] })])).toEqual({ question: { ...q0, sha256: '1' }, viaReport: false });
  });
});

describe('a question by sha256', () => {
  const copy = (sha256: string, over: Partial<StoredCopy> = {}): StoredCopy => ({
    rowId: 1, sha256, messageId: null, from: 'a@x.test', to: ['b@y.test'], subject: 's', date: null, hasBody: true, locations: [], ...over,
  });
  it('without a Message-ID: that copy alone, keyed by its hash', () => {
    const cs = findCandidates({ ...q0, sha256: 'aa' }, ports([], [copy('aa'), copy('bb')]));
    expect(cs).toHaveLength(1);
    expect(cs[0]).toMatchObject({ key: 'sha:aa', messageId: null, from: 'a@x.test', to: ['b@y.test'], seeds: [] });
    expect(cs[0]!.copies.map((c) => c.sha256)).toEqual(['aa']);
  });
  it('with a Message-ID: the message by its Message-ID (its log lines and other copies), this copy included', () => {
    const mid = '<m1@x.test>';
    const events = tx('Q1', 'm1@x.test', 'a@x.test', 'b@y.test', t);
    const cs = findCandidates({ ...q0, sha256: 'aa' }, ports(events, [copy('aa', { messageId: mid }), copy('cc', { messageId: mid })]));
    expect(cs).toHaveLength(1);
    expect(cs[0]!.key).toBe('m1@x.test');
    expect(cs[0]!.copies.map((c) => c.sha256)).toEqual(['aa', 'cc']);
    expect(cs[0]!.seeds.length).toBeGreaterThan(0);
  });
  it('a hash the store does not hold: no candidate', () => {
    expect(findCandidates({ ...q0, sha256: 'ff' }, ports([], [copy('aa')]))).toEqual([]);
  });
});
