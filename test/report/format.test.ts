import { describe, expect, it } from 'vitest';
import { formatDelay, formatTime } from '../../src/report/format.js';

describe('formatDelay', () => {
  it.each([
    [null, ''],
    [0, '+0s'],
    [0.041, '+0.041s'],
    [-12, '-12s'],
    [303, '+5m03s'],
    [-7260, '-2h01m'],
    [86400 * 3 + 3600 * 4, '+3d04h'],
    // A negative delay of almost a day stays negative: never wrapped to 24 h.
    [-86399, '-23h59m'],
  ])('%s s -> %s', (s, out) => {
    expect(formatDelay(s)).toBe(out);
  });
});

describe('formatTime', () => {
  it('prints UTC with a Z and keeps non-zero milliseconds', () => {
    expect(formatTime('2026-11-20T14:00:05.000Z')).toBe('2026-11-20 14:00:05Z');
    expect(formatTime('2018-04-22T02:54:16.987Z')).toBe('2018-04-22 02:54:16.987Z');
    expect(formatTime(null)).toBe('?');
  });
});
