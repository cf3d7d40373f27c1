import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { findHeaderEnd, parseHeaderBlock } from '../../src/parse/headers.js';
import { corpusPath, describeCorpus } from '../helpers/corpus.js';

describe('parseHeaderBlock', () => {
  it('splits folded fields and keeps byte offsets, raw folding and header order', () => {
    const msg = Buffer.from('Received: from a\r\n\tby b; Mon, 1 Jan 2024 00:00:00 +0000\r\nSubject: hi\r\n there\r\n\r\nbody\r\n');
    const block = parseHeaderBlock(msg);
    expect(block.fields).toEqual([
      { index: 0, name: 'Received', key: 'received', raw: 'from a\r\n\tby b; Mon, 1 Jan 2024 00:00:00 +0000', value: 'from a by b; Mon, 1 Jan 2024 00:00:00 +0000', offset: 0 },
      { index: 1, name: 'Subject', key: 'subject', raw: 'hi\r\n there', value: 'hi there', offset: msg.indexOf('Subject') },
    ]);
    expect(block.headerLength).toBe(msg.indexOf('body'));
    expect(block.hasBody).toBe(true);
    expect(block.warnings).toEqual([]);
  });

  it('handles LF, CRLF and bare-CR line endings alike', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const block = parseHeaderBlock(Buffer.from(`From: a@x.test${eol}To: b@y.test${eol}${eol}body`));
      expect(block.fields.map((f) => [f.key, f.value])).toEqual([['from', 'a@x.test'], ['to', 'b@y.test']]);
    }
  });

  it('keeps going past lines that are not fields, with a warning', () => {
    const block = parseHeaderBlock(Buffer.from('From nobody Mon Jan  1 00:00:00 2024\nSubject: x\nnot a header\nTo: y\n\n'));
    expect(block.fields.map((f) => f.key)).toEqual(['subject', 'to']);
    expect(block.warnings).toHaveLength(2);
  });

  it('decodes UTF-8 header bytes and keeps invalid 8-bit bytes as latin1', () => {
    const utf8 = parseHeaderBlock(Buffer.from('Subject: Grüße\n\n'));
    expect(utf8.fields[0]?.value).toBe('Grüße');
    const latin1 = parseHeaderBlock(Buffer.concat([Buffer.from('Subject: Gr'), Buffer.from([0xfc]), Buffer.from('e\n\n')]));
    expect(latin1.fields[0]?.value).toBe('Grüe');
  });

  it('bounds a hostile header block with no end', () => {
    const huge = Buffer.alloc(5 * 1024 * 1024, 'X-A: b\n');
    const block = parseHeaderBlock(huge, 1024 * 1024);
    expect(block.hasBody).toBe(false);
    expect(block.headerLength).toBe(1024 * 1024);
    expect(block.warnings[0]).toMatch(/longer than/);
  });

  it('finds the end of the header block', () => {
    expect(findHeaderEnd(Buffer.from('\nbody'))).toBe(1);
    expect(findHeaderEnd(Buffer.from('A: b\r\n\r\nbody'))).toBe(8);
    expect(findHeaderEnd(Buffer.from('A: b\n'))).toBe(-1);
  });

  it('never throws and its fields always lie inside the header block (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const buf = Buffer.from(bytes);
        const block = parseHeaderBlock(buf);
        for (const f of block.fields) expect(f.offset).toBeLessThan(block.headerLength);
        expect(block.headerLength).toBeLessThanOrEqual(buf.length);
      }),
      { numRuns: 500 },
    );
  });
});

describeCorpus('parseHeaderBlock on real messages', () => {
  it('reads the 8 Authentication-Results of SpamAssassin nice-authres.eml', () => {
    const block = parseHeaderBlock(readFileSync(corpusPath('messages/spamassassin/nice-authres.eml')));
    expect(block.fields.filter((f) => f.key === 'authentication-results')).toHaveLength(8);
  });
});
