import { describe, expect, it } from 'vitest';
import { claimSpan, findCandidates, impliedQuestion, nearMissOf, parseSpan, searchWindow, type Question, type QuestionPorts } from '../../src/correlate/question.js';
import type { StoredLogEvent } from '../../src/correlate/types.js';
import type { StoredCopy } from '../../src/verdict/evidence-types.js';
import { ev } from '../verdict/helpers.js';

const q0: Question = { messageId: null, from: null, to: null, subject: null, around: null, since: null, until: null };

function ports(events: StoredLogEvent[]): QuestionPorts {
  return {
    byMessageId: (m) => events.filter((e) => e.messageId?.toLowerCase() === m.toLowerCase()),
    byAddress: (side, a, s, u) => events.filter((e) => (side === 'from' ? e.from : e.to) === a && (e.timeMs ?? 0) >= s && (e.timeMs ?? 0) <= u),
    transaction: (art, q) => events.filter((e) => e.artifactId === art && e.queueId === q),
    copiesByMessageId: () => [],
    copiesByAddress: () => [],
  };
}
const t = Date.parse('2026-11-24T18:30:00Z');
const tx = (q: string, mid: string, from: string, to: string, at: number): StoredLogEvent[] => [
  ev({ queueId: q, messageId: mid, timeMs: at }), ev({ queueId: q, from, timeMs: at }), ev({ queueId: q, to, status: 'sent', timeMs: at + 1000 }),
];

describe('question matching', () => {
  it('windows: since/until win; around ± 2 h; no time → none; claim span is the point claimed', () => {
    expect(searchWindow({ ...q0, around: '2026-11-24T18:30:00.000Z' })).toEqual({ sinceMs: t - 7_200_000, untilMs: t + 7_200_000 });
    expect(searchWindow(q0)).toBeNull();
    expect(claimSpan({ ...q0, around: 'X' }, null)).toEqual({ from: 'X', to: 'X' });
    expect(claimSpan(q0, 'D')).toEqual({ from: 'D', to: 'D' });
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
  it('a Message-ID is one candidate however many lines logged it; an unknown one is none', () => {
    const evs = [...tx('A', 'm1@s', 'a@s.test', 'b@r.test', t), ...tx('Z', 'm1@s', 'a@s.test', 'b@r.test', t).map((e) => ({ ...e, artifactId: 2 }))];
    expect(findCandidates({ ...q0, messageId: '<M1@s>' }, ports(evs))).toHaveLength(1);
    expect(findCandidates({ ...q0, messageId: '<nope@s>' }, ports(evs))).toHaveLength(0);
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
  it('two messages, none, or one with nothing to ask by are choices, not a guess', () => {
    expect(impliedQuestion([copy('1'), copy('2', { messageId: '<B@x.test>' })])).toEqual({ choices: [copy('1'), copy('2', { messageId: '<B@x.test>' })] });
    expect(impliedQuestion([])).toEqual({ choices: [] });
    expect(impliedQuestion([copy('1', { messageId: null, date: null })])).toEqual({ choices: [copy('1', { messageId: null, date: null })] });
  });
});
