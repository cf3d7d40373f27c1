// CoverageTracker on logs concatenated out of order (`cat mail.log mail.log.1 > all.log`): one backwards report
// per jump, not one per line after it, and coverage as the union of the segments.
import { describe, expect, it } from 'vitest';
import { coverageAt, CoverageTracker, type Backwards } from '../../src/correlate/coverage.js';

const at = (hhmmss: string, day = 24): number => Date.parse(`2026-11-${String(day).padStart(2, '0')}T${hhmmss}Z`);

/** Feeds [time, line] pairs in order; returns the backwards reports and the coverage. */
function track(lines: Array<[number, number]>, gapSeconds = 600, backwardsSeconds = 60) {
  const c = new CoverageTracker(gapSeconds, backwardsSeconds);
  const back: Backwards[] = [];
  for (const [ms, no] of lines) {
    const b = c.observe(ms, no);
    if (b !== null) back.push(b);
  }
  return { back, cov: c.result() };
}

/** One line a minute from `from`, numbered from `firstLine`. */
function minutes(from: number, count: number, firstLine: number): Array<[number, number]> {
  return Array.from({ length: count }, (_, i) => [from + i * 60_000, firstLine + i]);
}

describe('coverage of logs concatenated out of order', () => {
  it('two segments out of order: one backwards report, coverage spans both, no gap where they meet', () => {
    // mail.log (11:00–11:59) then mail.log.1 (10:00–10:59), as `cat mail.log mail.log.1` gives them.
    const { back, cov } = track([...minutes(at('11:00:00'), 60, 1), ...minutes(at('10:00:00'), 60, 61)]);
    expect(back).toEqual([{ line: 61, time: '2026-11-24T10:00:00.000Z', previousLine: 60, previousTime: '2026-11-24T11:59:00.000Z', seconds: 7140 }]);
    expect(cov).toEqual({ first: '2026-11-24T10:00:00.000Z', last: '2026-11-24T11:59:00.000Z', timedLines: 120, gaps: [], gapSeconds: 600 });
    expect(coverageAt(cov, '2026-11-24T10:30:00.000Z')).toBe('covered');
  });

  it('the same log three times: one report per jump, coverage of one copy', () => {
    const once = minutes(at('10:00:00'), 180, 1);
    const thrice = [0, 1, 2].flatMap((k) => once.map(([ms, no]): [number, number] => [ms, no + k * 180]));
    const single = track(once).cov;
    const { back, cov } = track(thrice);
    expect(back.map((b) => [b.line, b.previousLine])).toEqual([[181, 180], [361, 360]]);
    expect(cov).toEqual({ ...single, timedLines: 540 });
  });

  it('a hole between non-overlapping segments is a gap, with the lines either side of it', () => {
    // Day 2 (lines 1–60) then day 1 (lines 61–120): nothing covers day 1 12:00 → day 2 10:00.
    const { back, cov } = track([...minutes(at('10:00:00', 25), 60, 1), ...minutes(at('11:00:00', 24), 60, 61)]);
    expect(back).toHaveLength(1);
    expect(cov.first).toBe('2026-11-24T11:00:00.000Z');
    expect(cov.last).toBe('2026-11-25T10:59:00.000Z');
    expect(cov.gaps).toEqual([{ from: '2026-11-24T11:59:00.000Z', to: '2026-11-25T10:00:00.000Z', seconds: 79260, afterLine: 120, beforeLine: 1 }]);
    expect(coverageAt(cov, '2026-11-24T20:00:00.000Z')).toBe('gap');
    expect(coverageAt(cov, '2026-11-24T11:30:00.000Z')).toBe('covered');
  });

  it('overlapping segments give no gap; a hole in one segment that the other covers is no gap either', () => {
    // Segment 1 has a hole 10:30–11:30; segment 2 (a different file of the same server) covers 10:20–11:40.
    const seg1 = [...minutes(at('10:00:00'), 31, 1), ...minutes(at('11:30:00'), 31, 32)];
    const seg2 = minutes(at('10:20:00'), 81, 63);
    const alone = track(seg1).cov;
    expect(alone.gaps).toMatchObject([{ afterLine: 31, beforeLine: 32, seconds: 3600 }]);
    const { back, cov } = track([...seg1, ...seg2]);
    expect(back).toHaveLength(1);
    expect(cov).toMatchObject({ first: '2026-11-24T10:00:00.000Z', last: '2026-11-24T12:00:00.000Z', gaps: [] });
    expect(coverageAt(cov, '2026-11-24T11:00:00.000Z')).toBe('covered');
  });

  it('a hole left by both segments stays a gap, between the runs that bound it', () => {
    // Segment 1: 10:00–10:30 and 12:00–12:30; segment 2: 09:00–10:40. 10:40–12:00 is covered by neither.
    const seg1 = [...minutes(at('10:00:00'), 31, 1), ...minutes(at('12:00:00'), 31, 32)];
    const { cov } = track([...seg1, ...minutes(at('09:00:00'), 101, 63)]);
    expect(cov.gaps).toEqual([{ from: '2026-11-24T10:40:00.000Z', to: '2026-11-24T12:00:00.000Z', seconds: 4800, afterLine: 163, beforeLine: 32 }]);
    expect(cov.first).toBe('2026-11-24T09:00:00.000Z');
  });

  it('small out-of-order lines (under the tolerance) are not reported and open no segment', () => {
    const lines: Array<[number, number]> = [[at('10:00:00'), 1], [at('10:01:00'), 2], [at('10:00:10'), 3], [at('10:02:00'), 4], [at('10:01:05'), 5]];
    const { back, cov } = track(lines);
    expect(back).toEqual([]);
    expect(cov).toEqual({ first: '2026-11-24T10:00:00.000Z', last: '2026-11-24T10:02:00.000Z', timedLines: 5, gaps: [], gapSeconds: 600 });
  });

  it('after a jump, lines are compared with the new segment: a second jump back within it is reported once more', () => {
    const { back } = track([[at('12:00:00'), 1], [at('10:00:00'), 2], [at('10:01:00'), 3], [at('09:00:00'), 4], [at('09:00:30'), 5]]);
    expect(back.map((b) => [b.line, b.previousLine, b.seconds])).toEqual([[2, 1, 7200], [4, 3, 3660]]);
  });

  it('a log whose time jumps about on every line keeps bounded runs and never reports a hole as covered', () => {
    // 40,000 lines alternating between two days, each day's lines two hours apart: every line is its own run.
    const lines: Array<[number, number]> = [];
    for (let i = 0; i < 40_000; i++) lines.push([(i % 2 === 0 ? at('00:00:00', 1) : at('00:00:00', 20)) + Math.floor(i / 2) * 7_200_000, i + 1]);
    const c = new CoverageTracker(600, 60);
    let back = 0;
    for (const [ms, no] of lines) if (c.observe(ms, no) !== null) back++;
    // Private, read on purpose: the bound on kept runs is the point of this test.
    expect((c as unknown as { closed: unknown[] }).closed.length).toBeLessThanOrEqual(16_384);
    const cov = c.result();
    expect(back).toBe(19_999); // every line from a day-20 one back to the day-1 stream
    expect(cov.first).toBe('2026-11-01T00:00:00.000Z');
    expect(cov.gaps.length).toBe(1000);
    // Every instant between two lines is more than ten minutes from a line: none may read as covered.
    for (const probe of [at('01:00:00', 1), at('13:00:00', 25), at('05:00:00', 30)]) {
      expect(coverageAt(cov, new Date(probe).toISOString())).toBe('gap');
    }
  });
});
