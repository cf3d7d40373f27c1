// The pure mbox splitter against an independent line-by-line oracle, over arbitrary bytes and chunkings.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ArtifactEvent } from '../../src/model/source.js';
import { MboxSplitter, decodeStoredMessage, stripSeparatorLine, unquoteFromLines, type Unquote } from '../../src/sources/mbox-split.js';

type Msg = { index: number; offset: number; length: number; fromLine: string | null; text: string };

function split(buf: Buffer, unquote: Unquote, chunk: number, max = 1 << 30): { msgs: Msg[]; problems: string[] } {
  const s = new MboxSplitter({ unquote, maxMessageBytes: max });
  const events: ArtifactEvent[] = [];
  for (let i = 0; i < buf.length; i += chunk) events.push(...s.push(buf.subarray(i, i + chunk)));
  events.push(...s.end());
  const msgs: Msg[] = [];
  const problems: string[] = [];
  for (const e of events) {
    if (e.type === 'message') {
      const { index, offset, length, fromLine } = e.message.locator;
      msgs.push({ index, offset, length, fromLine, text: e.message.bytes.toString('latin1') });
    } else if (e.type === 'problem') problems.push(e.problem.message);
  }
  return { msgs, problems };
}

/** Reference implementation: walk the file line by line (latin1, one char per byte). */
function oracle(buf: Buffer, unquote: Unquote): Msg[] {
  const s = buf.toString('latin1');
  const lines = s.split(/(?<=\n)/);
  const out: Msg[] = [];
  let cur: { offset: number; fromLine: string; stored: string; index: number } | null = null;
  let pos = 0;
  let index = 0;
  const flush = () => {
    if (!cur) return;
    const stored = cur.stored;
    let text = stored.replace(/(^|\n)(\r?\n)$/, '$1');
    const re = unquote === 'mboxrd' ? /^>(>*From )/ : /^>(From )/;
    text = text.split(/(?<=\n)/).map((l) => l.replace(re, '$1')).join('');
    if (text.length > 0) out.push({ index: cur.index, offset: cur.offset, length: stored.length, fromLine: cur.fromLine, text });
    cur = null;
  };
  for (const line of lines) {
    if (line.startsWith('From ')) {
      flush();
      index++;
      if (line.endsWith('\n')) cur = { index, offset: pos + line.length, fromLine: line.replace(/\r?\n$/, ''), stored: '' };
    } else if (cur) cur.stored += line;
    pos += line.length;
  }
  flush();
  return out;
}

const token = fc.constantFrom('From ', 'From a@example.test x\n', '\n', '\r\n', '\r', '>From ', '>>From ', '>', 'F', 'Fr', 'x', ' ', 'From');
const mboxish = fc.array(token, { maxLength: 60 }).map((ts) => Buffer.from(ts.join(''), 'latin1'));

describe('MboxSplitter', () => {
  it('matches the line-by-line oracle for any bytes and any chunk size', () => {
    fc.assert(
      fc.property(mboxish, fc.integer({ min: 1, max: 16 }), fc.constantFrom<Unquote>('mboxrd', 'mboxo'), (buf, chunk, mode) => {
        expect(split(buf, mode, chunk).msgs).toEqual(oracle(buf, mode));
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 64 }), (bytes, chunk) => {
        split(Buffer.from(bytes), 'mboxrd', chunk);
      }),
    );
  });

  it('skips a message over maxMessageBytes with a problem and keeps going', () => {
    const buf = Buffer.from('From a\nsmall\n\nFrom b\n' + 'x'.repeat(100) + '\n\nFrom c\nlast\n');
    const { msgs, problems } = split(buf, 'mboxrd', 7, 50);
    expect(msgs.map((m) => [m.index, m.text])).toEqual([
      [1, 'small\n'],
      [3, 'last\n'],
    ]);
    expect(problems).toEqual(['message #2 at byte 21 is 102 bytes, more than the limit of 50 bytes: skipped']);
  });

  it('reports a From_ line cut off by the end of the file', () => {
    const { msgs, problems } = split(Buffer.from('From a\nbody\n\nFrom b'), 'mboxrd', 3);
    expect(msgs).toHaveLength(1);
    expect(problems).toEqual(['file ended inside the From_ line of message #2 (no line ending and no message after it)']);
  });

  it('reports an empty message instead of yielding it', () => {
    const { msgs, problems } = split(Buffer.from('From a\nFrom b\nbody\n'), 'mboxrd', 1);
    expect(msgs.map((m) => m.index)).toEqual([2]);
    expect(problems).toEqual(['message #1 at byte 7 is empty (a From_ line with no message after it): skipped']);
  });

  it('reads an empty file as no messages and no problems', () => {
    expect(split(Buffer.alloc(0), 'mboxrd', 4)).toEqual({ msgs: [], problems: [] });
  });
});

describe('stripSeparatorLine', () => {
  it.each([
    ['body\n\n', 'body\n'],
    ['body\r\n\r\n', 'body\r\n'],
    ['body\r\n\n', 'body\r\n'],
    ['body\n', 'body\n'], // no blank line before the next From_: nothing to remove
    ['body', 'body'],
    ['\n', ''],
    ['\r\n', ''],
    ['', ''],
    ['a\n\n\n', 'a\n\n'], // exactly one line ending removed
  ])('%j -> %j', (input, want) => {
    expect(stripSeparatorLine(Buffer.from(input)).toString()).toBe(want);
  });
});

describe('unquoteFromLines', () => {
  const text = '>From a\n>>From b\n>>>From c\nx >From d\n>From\n>>x\n';
  it('mboxrd removes one > from ^>+From ', () => {
    expect(unquoteFromLines(Buffer.from(text), 'mboxrd').toString()).toBe('From a\n>From b\n>>From c\nx >From d\n>From\n>>x\n');
  });
  it('mboxo removes one > from ^>From  only', () => {
    expect(unquoteFromLines(Buffer.from(text), 'mboxo').toString()).toBe('From a\n>>From b\n>>>From c\nx >From d\n>From\n>>x\n');
  });
  it('returns the same buffer when there is nothing to un-quote', () => {
    const b = Buffer.from('no quoting here\nFrom x\n');
    expect(unquoteFromLines(b, 'mboxrd')).toBe(b);
  });
  it('handles CRLF lines', () => {
    expect(decodeStoredMessage(Buffer.from('a\r\n>From b\r\n\r\n'), 'mboxrd').toString()).toBe('a\r\nFrom b\r\n');
  });
});
