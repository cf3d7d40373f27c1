// RFC 8601 Authentication-Results parsing: comments, quoting, versions, ARC instances; hostile input never throws.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { parseAuthResults } from '../../src/parse/auth-results.js';
import { parseDkimSignature, parseDkimKey } from '../../src/parse/dkim-tags.js';
import { parseHeaderBlock } from '../../src/parse/headers.js';
import { corpusPath, describeCorpus } from '../helpers/corpus.js';

describe('parseAuthResults', () => {
  it('reads results, properties, reasons and comments (RFC 8601 §2.2 example)', () => {
    const r = parseAuthResults('example.com 1; dkim=pass (good signature) header.d=example.net header.b="abcd"; spf=fail reason="not permitted" smtp.mailfrom=x@example.net; dmarc=fail header.from=example.net');
    expect(r.authservId).toBe('example.com');
    expect(r.results).toEqual([
      { method: 'dkim', result: 'pass', reason: null, props: { 'header.d': 'example.net', 'header.b': 'abcd' }, comment: 'good signature' },
      { method: 'spf', result: 'fail', reason: 'not permitted', props: { 'smtp.mailfrom': 'x@example.net' }, comment: null },
      { method: 'dmarc', result: 'fail', reason: null, props: { 'header.from': 'example.net' }, comment: null },
    ]);
  });
  it('reads `authserv-id; none` and ARC instances', () => {
    expect(parseAuthResults('mx.example.org; none')).toMatchObject({ authservId: 'mx.example.org', none: true, results: [] });
    expect(parseAuthResults('i=2; lists.example.org; dkim=pass header.i=@d1.example', { arc: true })).toMatchObject({ instance: 2, authservId: 'lists.example.org' });
  });
  it('never throws and stays fast on hostile input (1 MB of unbalanced comments and spaces)', () => {
    const t0 = Date.now();
    const r = parseAuthResults('x; ' + '('.repeat(300_000) + ' '.repeat(400_000) + '"'.repeat(300_000));
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.warnings.length).toBeGreaterThan(0);
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (s) => { parseAuthResults(s); parseAuthResults(s, { arc: true }); parseDkimSignature(s); parseDkimKey(s); }));
  });
  it('malformed DKIM tags become problems, not exceptions', () => {
    expect(parseDkimSignature('v=1; a=rsa-sha256; d=x.test; d=y.test; bh; b=!!!').problems.join(' | ')).toMatch(/duplicate tag d=.*tag without "="|tag without "=".*duplicate/s);
    expect(parseDkimKey('v=DKIM1; p=not*base64').problems).toContain('p= is not base64');
  });
});

describeCorpus('Authentication-Results in real mail (spamassassin nice-authres.eml)', () => {
  it('parses every Authentication-Results header of the torture test', () => {
    const block = parseHeaderBlock(readFileSync(corpusPath('messages', 'spamassassin', 'nice-authres.eml')));
    const ars = block.fields.filter((f) => f.key === 'authentication-results').map((f) => parseAuthResults(f.value));
    expect(ars.length).toBeGreaterThanOrEqual(8);
    for (const a of ars) expect(a.authservId).not.toBe('');
    expect(ars.flatMap((a) => a.results.map((r) => r.method))).toContain('dkim');
  });
});
