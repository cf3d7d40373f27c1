// buildHopChain / parseHopsFromMessage: order (oldest first), header positions, signed delays (fractional,
// negative, never wrapped), skew flags, and MHA's three real chains reproduced.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseHeaderBlock } from '../../src/parse/headers.js';
import { buildHopChain, parseHopsFromMessage } from '../../src/parse/received-chain.js';
import { corpusPath, describeCorpus } from '../helpers/corpus.js';

/** A message whose header block lists `received` newest first, as MTAs prepend them. */
function message(receivedNewestFirst: string[], extra = 'Subject: hi\r\n'): Buffer {
  return Buffer.from(`${receivedNewestFirst.map((r) => `Received: ${r}\r\n`).join('')}${extra}\r\nbody\r\n`);
}

describe('buildHopChain', () => {
  const chain = [
    'from b.example (b.example [192.0.2.2]) by c.example with ESMTP id C; Fri, 20 Nov 2026 14:00:05 +0000',
    'from a.example (a.example [192.0.2.1]) by b.example with ESMTP id B; Fri, 20 Nov 2026 14:00:01.959 +0000',
    'from laptop ([192.0.2.9]) by a.example with ESMTPSA id A; Fri, 20 Nov 2026 09:00:00 -0500',
  ];

  it('returns hops oldest first with header positions and raw text', () => {
    const bytes = Buffer.from(`X-First: 1\r\nReceived: ${chain[0]}\r\nX-Mid: 2\r\nReceived: ${chain[1]}\r\nReceived: ${chain[2]}\r\n\r\n`);
    const hops = parseHopsFromMessage(bytes);
    expect(hops.map((h) => [h.index, h.headerIndex, h.byHost, h.raw])).toEqual([
      [0, 4, 'a.example', chain[2]],
      [1, 3, 'b.example', chain[1]],
      [2, 1, 'c.example', chain[0]],
    ]);
  });

  it('computes signed delays in seconds, keeping milliseconds as fractions', () => {
    const hops = parseHopsFromMessage(message(chain));
    expect(hops.map((h) => h.delaySeconds)).toEqual([null, 1.959, 3.041]);
    expect(hops.map((h) => h.skew)).toEqual([[], [], []]);
  });

  it('keeps folding in raw and accepts folded values', () => {
    const folded = 'from a (a [192.0.2.1])\r\n\tby b with SMTP id X;\r\n\tFri, 20 Nov 2026 14:00:05 +0000';
    const [hop] = parseHopsFromMessage(message([folded]));
    expect(hop!.raw).toBe(folded);
    expect(hop!.date).toBe('2026-11-20T14:00:05.000Z');
  });

  it('flags a negative delay on the newer hop and a future date on the older one, never wrapping', () => {
    const hops = parseHopsFromMessage(
      message([
        'by c; Sat, 21 Nov 2026 00:00:01 +0000',
        'by b; Fri, 20 Nov 2026 23:59:59 +0000',
        'by a; Sat, 21 Nov 2026 00:00:00 +0000',
      ]),
    );
    expect(hops.map((h) => h.delaySeconds)).toEqual([null, -1, 2]);
    expect(hops.map((h) => h.skew)).toEqual([['future-date'], ['negative-delay'], []]);
    expect(hops[0]!.warnings).toEqual(['future-date: this hop is dated 1 s after the next hop (hop 1); one of the two clocks is wrong']);
    expect(hops[1]!.warnings).toEqual(['negative-delay: this hop is dated 1 s before the previous hop (hop 0); one of the two clocks is wrong']);

    // A day boundary crossed backwards is -86398 s, not +2 s.
    const day = parseHopsFromMessage(message(['by b; Fri, 20 Nov 2026 00:00:01 +0000', 'by a; Fri, 20 Nov 2026 23:59:59 +0000']));
    expect(day[1]!.delaySeconds).toBe(-86398);
  });

  it('gives a null delay (and no flag) next to a hop whose date is missing or invalid', () => {
    const hops = parseHopsFromMessage(
      message(['by c; Fri, 20 Nov 2026 14:00:09 +0000', 'by b; Fri, 30 Feb 2026 14:00:05 +0000', 'by a; Fri, 20 Nov 2026 14:00:10 +0000']),
    );
    expect(hops.map((h) => [h.delaySeconds, h.skew])).toEqual([[null, []], [null, []], [null, []]]);
    expect(hops[1]!.warnings).toContain('invalid date: day 30 does not exist in Feb 2026');
    expect(hops[1]!.raw).toBe('by b; Fri, 30 Feb 2026 14:00:05 +0000');
  });

  it('ignores other headers and copes with none', () => {
    expect(buildHopChain(parseHeaderBlock(Buffer.from('Subject: x\r\n\r\n')).fields)).toEqual([]);
    expect(buildHopChain([])).toEqual([]);
  });
});

describeCorpus('buildHopChain on MHA real chains', () => {
  interface MhaCase { sourceHeader: string; delaySort: number; dateNum?: number }
  const cases = (): MhaCase[] =>
    (JSON.parse(readFileSync(corpusPath('messages/mha-received-parse-oracle/mha-received-test-cases.json'), 'utf8')) as { cases: MhaCase[] }).cases;
  /** MHA's chains are listed oldest first; a message lists them newest first. */
  const hopsOf = (slice: MhaCase[]) =>
    parseHopsFromMessage(Buffer.from(`${slice.map((c) => c.sourceHeader).reverse().join('\n')}\n\n`));

  it.each([
    ['PowerMTA -> EXO frontend/hub/HTTPS', 0, 4],
    ['GitHub -> SendGrid -> EXO (fractional and negative delays)', 4, 9],
  ])('%s: reproduces MHA delays', (_name, from, to) => {
    const slice = cases().slice(from, to);
    const hops = hopsOf(slice);
    // MHA's delaySort is milliseconds, -1 for the first hop.
    expect(hops.map((h) => h.delaySeconds)).toEqual(slice.map((c, i) => (i === 0 ? null : c.delaySort / 1000)));
    expect(hops.map((h) => (h.date === null ? null : new Date(h.date).getTime()))).toEqual(slice.map((c) => c.dateNum));
  });

  it('GitHub -> SendGrid chain 2 flags the 28 ms clock skew on both sides', () => {
    const hops = hopsOf(cases().slice(4, 9));
    expect(hops.map((h) => h.delaySeconds)).toEqual([null, 0.041, -0.028, 1, 1]);
    expect(hops.map((h) => h.skew)).toEqual([[], ['future-date'], ['negative-delay'], [], []]);
  });

  it('chain 3 (MHA computes no delay): we report the 168 ms skew instead of hiding it', () => {
    const hops = hopsOf(cases().slice(9, 11));
    expect(hops.map((h) => h.delaySeconds)).toEqual([null, -0.168]);
    expect(hops.map((h) => h.skew)).toEqual([['future-date'], ['negative-delay']]);
  });
});
