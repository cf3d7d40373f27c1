import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHeaderBlock } from '../../src/parse/headers.js';
import { readSpamVerdicts } from '../../src/parse/spam-verdict.js';
import { corpusPath, describeCorpus } from '../helpers/corpus.js';

const verdicts = (text: string) => readSpamVerdicts(parseHeaderBlock(Buffer.from(text)).fields);

describe('readSpamVerdicts', () => {
  it('reads SpamAssassin X-Spam-Status with score, threshold and tests', () => {
    expect(verdicts('X-Spam-Flag: YES\nX-Spam-Status: Yes, score=15.2 required=5.0 tests=BAYES_99,\n\tHTML_MESSAGE autolearn=no\n\n')).toEqual([
      { vendor: 'spamassassin', verdict: 'spam', details: [], headerIndex: 0, header: 'X-Spam-Flag' },
      { vendor: 'spamassassin', verdict: 'spam', score: 15.2, threshold: 5, details: ['BAYES_99', 'HTML_MESSAGE'], headerIndex: 1, header: 'X-Spam-Status' },
    ]);
  });

  it('maps Microsoft SFV/SCL/CAT and BCL (learn.microsoft.com anti-spam message headers)', () => {
    const v = verdicts('X-Forefront-Antispam-Report: CIP:192.0.2.1;CTRY:US;SFV:SPM;SCL:6;CAT:SPM;SRV:;\nX-Microsoft-Antispam: BCL:8;\nX-MS-Exchange-Organization-SCL: -1\n\n');
    expect(v.map((x) => [x.vendor, x.verdict, x.score])).toEqual([['microsoft', 'spam', 6], ['microsoft', 'suspect', 8], ['microsoft', 'ham', -1]]);
  });

  it('reads rspamd, Gmail, Proofpoint, Barracuda, Yahoo', () => {
    const v = verdicts([
      'X-Spamd-Result: default: False [3.10 / 15.00]; R_SPF_ALLOW(-0.20)[+ip4:192.0.2.0/24]; BAYES_HAM(-3.00)[99.99%]',
      'X-Rspamd-Action: no action', 'X-Gm-Spam: 0', 'X-Gm-Phy: 0',
      'X-Proofpoint-Spam-Details: rule=notspam policy=default score=0 spamscore=0',
      'X-Barracuda-Spam-Status: No, SCORE=0.50 using global scores of TAG_LEVEL=3.5 QUARANTINE_LEVEL=1000.0 KILL_LEVEL=6.0 tests=BSF_SC0_MISMATCH_TO',
      'X-YahooFilteredBulk: 192.0.2.7', '', '',
    ].join('\n'));
    expect(v.map((x) => [x.vendor, x.verdict])).toEqual([
      ['rspamd', 'ham'], ['rspamd', 'ham'], ['gmail', 'ham'], ['gmail', 'ham'], ['proofpoint', 'ham'], ['barracuda', 'ham'], ['yahoo', 'suspect'],
    ]);
    expect(v[0]?.details).toEqual(['R_SPF_ALLOW', 'BAYES_HAM']);
  });

  it('ignores unknown headers and never throws', () => {
    expect(verdicts('__proto__: x\nconstructor: y\nX-Spam-Level: ***\n\n').map((x) => x.score)).toEqual([3]);
    fc.assert(fc.property(fc.string({ maxLength: 300 }), fc.constantFrom('X-Spam-Status', 'X-Forefront-Antispam-Report', 'X-Spamd-Result', 'X-Microsoft-Antispam'), (s, name) => {
      readSpamVerdicts([{ index: 0, name, key: name.toLowerCase(), raw: s, value: s, offset: 0 }]);
    }), { numRuns: 300 });
  });
});

describeCorpus('readSpamVerdicts on real headers', () => {
  it('SpamAssassin corpus: every X-Spam-Status gets a yes/no verdict', () => {
    let seen = 0;
    for (const f of readdirSync(corpusPath('messages', 'spamassassin'))) {
      const block = parseHeaderBlock(readFileSync(corpusPath('messages', 'spamassassin', f)));
      for (const v of readSpamVerdicts(block.fields).filter((x) => x.header.toLowerCase() === 'x-spam-status')) {
        seen++;
        expect(['spam', 'ham'], f).toContain(v.verdict);
        expect(typeof v.score, f).toBe('number');
      }
    }
    expect(seen).toBeGreaterThan(0);
  });

  it('Office 365 NDR (flanker): the Microsoft headers are read', () => {
    const block = parseHeaderBlock(readFileSync(corpusPath('dsn', 'flanker', 'office365.eml')));
    const ms = readSpamVerdicts(block.fields).filter((v) => v.vendor === 'microsoft');
    expect(ms.length).toBeGreaterThan(0);
    expect(ms.every((v) => v.verdict !== 'spam')).toBe(true);
  });
});
