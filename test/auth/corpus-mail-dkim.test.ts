// Agreement with Mail::DKIM's verifier expectations (messages/mail-dkim-corpus/EXPECTED.tsv) using the keys and
// DNS failure modes of dns/mail-dkim/FAKE_DNS.dat. Target: at least 95% of the compared cases.
// Mapping: Mail::DKIM `pass` = a mathematically valid signature (mailtrail reports 512-bit keys as `policy`
// under RFC 8301 but records cryptoValid); `fail` = fail; `invalid` = could not be verified (permerror,
// temperror, neutral, policy without a valid signature). A message's result is its best signature's.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { corpusPath, describeCorpus } from '../helpers/corpus.js';
import { corpusResolver } from './zones.js';
import { verifyWith } from './helpers.js';

/** Cases not compared, with the reason. */
const SKIP: Record<string, string> = {
  'good_ietf00_1.txt': 'pre-standard DKIM draft (ietf-00); skipped upstream too',
  'good_ietf00_2.txt': 'pre-standard DKIM draft (ietf-00); skipped upstream too',
  'good_ietf00_3.txt': 'pre-standard DKIM draft (ietf-00); skipped upstream too',
  'good_ietf00_4.txt': 'pre-standard DKIM draft (ietf-00); skipped upstream too',
  'good_ietf00_5.txt': 'pre-standard DKIM draft (ietf-00); skipped upstream too',
  'good_dk_gmail.txt': 'DomainKeys (RFC 4870, historic) is not verified by mailtrail',
  'good_dk_yahoo.txt': 'DomainKeys (RFC 4870, historic) is not verified by mailtrail',
  'good_dk_1.txt': 'DomainKeys (RFC 4870, historic)',
  'good_dk_2.txt': 'DomainKeys (RFC 4870, historic)',
  'good_dk_3.txt': 'DomainKeys (RFC 4870, historic)',
  'good_dk_4.txt': 'DomainKeys (RFC 4870, historic)',
  'good_dk_5.txt': 'DomainKeys (RFC 4870, historic)',
  'good_dk_6.txt': 'DomainKeys (RFC 4870, historic)',
  'good_dk_7.txt': 'DomainKeys (RFC 4870, historic)',
  'dk_headers_1.txt': 'DomainKeys (RFC 4870, historic)',
  'dk_headers_2.txt': 'DomainKeys (RFC 4870, historic)',
  'bad_dk_1.txt': 'DomainKeys (RFC 4870, historic)',
  'bad_dk_2.txt': 'DomainKeys (RFC 4870, historic)',
  'bad_dk_3.txt': 'DomainKeys (RFC 4870, historic)',
  'bad_dk_4.txt': 'DomainKeys (RFC 4870, historic)',
  'bad_dk_5.txt': 'DomainKeys (RFC 4870, historic)',
  'dk_multiple_1.txt': 'DomainKeys (RFC 4870, historic)',
  'multiple_1.txt': 'pre-standard ietf-01 signatures: none of the body hashes matches under RFC 6376 canonicalization; Mail::DKIM verifies sig[1] by draft rules',
};

function bucket(doc: Awaited<ReturnType<typeof verifyWith>>['doc']): 'pass' | 'fail' | 'invalid' {
  if (doc.dkim.some((d) => d.now.cryptoValid && (d.now.result === 'pass' || d.now.result === 'policy'))) return 'pass';
  if (doc.dkim.some((d) => d.now.result === 'fail')) return 'fail';
  return 'invalid';
}

describeCorpus('Mail::DKIM corpus (EXPECTED.tsv)', () => {
  it('agrees with Mail::DKIM in at least 95% of compared cases', async () => {
    const lines = readFileSync(corpusPath('messages', 'mail-dkim-corpus', 'EXPECTED.tsv'), 'utf8').split('\n');
    const resolver = corpusResolver();
    let compared = 0;
    let agree = 0;
    const differ: string[] = [];
    for (const line of lines) {
      if (!line || line.startsWith('#') || line.startsWith('file\t')) continue;
      const [file = '', expected = ''] = line.split('\t');
      if (SKIP[file]) continue;
      const { doc } = await verifyWith(readFileSync(corpusPath('messages', 'mail-dkim-corpus', file)), resolver);
      const got = bucket(doc);
      compared++;
      if (got === expected) agree++;
      else differ.push(`${file}: expected ${expected}, got ${got} (${doc.dkim.map((d) => `${d.now.result}: ${d.now.reason}`).join(' | ')})`);
    }
    const pct = (100 * agree) / compared;
    console.log(`Mail::DKIM agreement: ${agree}/${compared} = ${pct.toFixed(1)}% (skipped ${Object.keys(SKIP).length} with reasons)\n${differ.join('\n')}`);
    expect(compared).toBeGreaterThanOrEqual(50);
    expect(pct).toBeGreaterThanOrEqual(95);
  });
});
