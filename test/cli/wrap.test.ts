// wrapCell: how verdict prose, findings and table cells are folded to the terminal. A break inside an IP address or
// a domain makes two things of one (`192.0.2.` / `22.`), so a space is taken when one is near enough.
import { describe, expect, it } from 'vitest';
import { wrapCell } from '../../src/cli/output.js';

describe('wrapCell', () => {
  it('breaks prose at a space, not inside an IP address or a domain', () => {
    const text = 'Arrived: it had arrived from 192.0.2.22. No copy of it is in the evidence.';
    const lines = wrapCell(text, 36).split('\n');
    expect(lines).toEqual(['Arrived: it had arrived from', '192.0.2.22. No copy of it is in the', 'evidence.']);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(36);
  });

  it('a token longer than the column breaks after a dot, slash or @, else hard', () => {
    expect(wrapCell('BN3NAM04HT205.eop-NAM04.prod.protection.outlook.com', 20).split('\n')).toEqual([
      'BN3NAM04HT205.eop-', 'NAM04.prod.', 'protection.outlook.', 'com',
    ]);
    expect(wrapCell('x'.repeat(25), 10).split('\n')).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });

  it('keeps every character but the spaces it breaks at, and no line passes the width', () => {
    const text = 'for kijitora@example.com; from mail.example.net [198.51.100.7] via ESMTPS id 4ZxYw1abcDz';
    for (const w of [8, 13, 21, 34]) {
      const wrapped = wrapCell(text, w);
      expect(wrapped.replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
      for (const l of wrapped.split('\n')) expect(l.length).toBeLessThanOrEqual(w);
    }
  });
});
