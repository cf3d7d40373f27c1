// Report text decoded by its declared charset, unless the bytes show the label is wrong: ISO-2022-JP is 7-bit, so
// 8-bit bytes under that label are another encoding (mail re-encoded to UTF-8 that kept its old Content-Type).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeCharset } from '../../src/parse/dsn/mime.js';
import { parseBounce } from '../../src/parse/dsn/index.js';
import { corpusPath, describeCorpus } from '../helpers/corpus.js';

describe('decodeCharset', () => {
  it('reads real ISO-2022-JP, labelled or not', () => {
    const jis = Buffer.from('\x1b$B%a!<%k\x1b(B', 'latin1');
    expect(decodeCharset(jis, 'ISO-2022-JP')).toBe('メール');
    expect(decodeCharset(jis, '')).toBe('メール');
  });
  it('reads UTF-8 bytes labelled ISO-2022-JP as UTF-8, and other 8-bit bytes as latin1', () => {
    expect(decodeCharset(Buffer.from('メールボックスがいっぱい', 'utf8'), 'ISO-2022-JP')).toBe('メールボックスがいっぱい');
    expect(decodeCharset(Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'iso-2022-jp')).toBe('café');
  });
});

describeCorpus('a KDDI bounce whose UTF-8 text is labelled ISO-2022-JP', () => {
  it('dsn/sisimai/lhost-kddi-01.eml: the diagnostic reads as Japanese, with no replacement characters', () => {
    const b = parseBounce(readFileSync(corpusPath('dsn', 'sisimai', 'lhost-kddi-01.eml')))!;
    const diag = b.recipients[0]?.diagnostic ?? '';
    expect(diag).toContain('メール');
    expect(diag).not.toContain('\ufffd');
  });
});
