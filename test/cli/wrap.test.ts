// wrapCell: how verdict prose, findings and table cells are folded to the terminal. A break inside an IP address or
// a domain makes two things of one (`192.0.2.` / `22.`), so a space is taken when one is near enough.
import { describe, expect, it } from 'vitest';
import { displayWidth, renderFitted, wrapCell } from '../../src/cli/output.js';

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
    // A short first label is still a place to break: `mx.receiv` / `er.test` cut a word that `mx.` / `receiver.` keeps.
    expect(wrapCell('mx.receiver.test', 9).split('\n')).toEqual(['mx.', 'receiver.', 'test']);
  });

  it('keeps every character but the spaces it breaks at, and no line passes the width', () => {
    const text = 'for kijitora@example.com; from mail.example.net [198.51.100.7] via ESMTPS id 4ZxYw1abcDz';
    for (const w of [8, 13, 21, 34]) {
      const wrapped = wrapCell(text, w);
      expect(wrapped.replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
      for (const l of wrapped.split('\n')) expect(l.length).toBeLessThanOrEqual(w);
    }
  });

  // A KDDI bounce's diagnostic (dsn/sisimai/lhost-kddi-01.eml in the corpus): each character takes two columns.
  const KDDI = '5.0.922 送信先のメールボックスが一杯のため、送信できませんでした。 ※本メールはau oneネットのメールシステムより配信しております。';

  it('measures wide characters as the two columns a terminal gives them', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('送信先')).toBe(6);
    expect(displayWidth('au oneネット')).toBe(12);
  });

  it('wraps Japanese text to the width in columns, keeping every character and no line starting with 、 or 。', () => {
    for (const w of [10, 17, 30, 41]) {
      const lines = wrapCell(KDDI, w).split('\n');
      expect(lines.join('').replace(/\s+/g, '')).toBe(KDDI.replace(/\s+/g, ''));
      for (const l of lines) {
        expect(displayWidth(l)).toBeLessThanOrEqual(w);
        expect(l[0]).not.toMatch(/[、。]/);
      }
    }
    // Between two wide characters is a place to break, as a space is: the line is filled, not cut at the last space.
    expect(wrapCell('Did not arrive (5.0.922 送信先のメールボックスが一杯のため', 30).split('\n')[0]).toBe('Did not arrive (5.0.922 送信先');
  });

  it('never cuts a surrogate pair (an emoji) in half', () => {
    const text = '📧'.repeat(9);
    for (const l of wrapCell(text, 5).split('\n')) {
      expect(l).toMatch(/^(?:📧)+$/u);
      expect(displayWidth(l)).toBeLessThanOrEqual(5);
    }
    // A column narrower than the character: each whole, one per line, and no empty line after the last.
    expect(wrapCell('📧📧a送', 1).split('\n')).toEqual(['📧', '📧', 'a', '送']);
  });

  it('a table with a Japanese cell stays within its width and loses no text to cli-table3\'s "…"', () => {
    const table = renderFitted(['time', 'detail'], [['04-29 14:45:22', KDDI]], 50);
    for (const l of table.split('\n')) expect(displayWidth(l)).toBeLessThanOrEqual(50);
    expect(table).not.toContain('…');
    expect(table.replace(/[│\s]/g, '')).toContain('送信先のメールボックスが一杯のため、送信できませんでした。');
  });
});
