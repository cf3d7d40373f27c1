// The real messages in ../shared/corpus that ship with their keys verify offline, signature by signature,
// as dns/OFFLINE-DKIM-CHECK.tsv (the corpus collector's dkimpy run) says.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { corpusPath, describeCorpus } from '../helpers/corpus.js';
import { corpusResolver } from './zones.js';
import { loadCorpusMessage, verifyWith } from './helpers.js';

/** Entries where mailtrail knowingly differs from the 2019 dkimpy run, with the reason. */
const SKIP: Record<string, string> = {
  // RFC 6376 §6.1.1: "If the h= tag does not include the From header field, the Verifier MUST ignore the
  // DKIM-Signature header field and return PERMFAIL". The 2019 dkimpy run accepted these; mailtrail follows the RFC.
  'messages/exim-testsuite/test-mail-4565.a.mbox': 'second signature has h=List-Archive only (no From): PERMFAIL per RFC 6376 §6.1.1',
  'messages/mail-dkim-corpus/test5.txt': 'dkimpy could not parse it; no expectation to compare',
  'messages/flanker/iphone.eml': 'dkimpy parse error; no expectation to compare',
};

/**
 * Where the 2019 dkimpy run and messages/mail-dkim-corpus/EXPECTED.tsv (the authoritative Mail::DKIM oracle, as
 * the TSV's own header says) disagree, mailtrail follows Mail::DKIM: the key record's rules forbid the signature.
 * These are asserted to be permerror, not skipped.
 */
const KEY_RULE_PERMERROR: Record<string, string> = {
  'messages/mail-dkim-corpus/badkey_8.txt': 'key g=*poe does not match i= (EXPECTED.tsv: invalid)',
  'messages/mail-dkim-corpus/badkey_9.txt': 'key has empty g= (EXPECTED.tsv: invalid)',
  'messages/mail-dkim-corpus/badkey_10.txt': 'key t=s requires i= == d= (EXPECTED.tsv: invalid)',
  'messages/mail-dkim-corpus/badkey_12.txt': 'key g= is case-sensitive (EXPECTED.tsv: invalid)',
  'messages/mail-dkim-corpus/badkey_13.txt': 'key g= matches From but not i= (EXPECTED.tsv: invalid)',
  'messages/exim-testsuite/test-mail-4519.y.mbox': 'h=Subject only (no From): PERMFAIL per RFC 6376 §6.1.1, dkimpy accepted it',
};

interface Row { file: string; sigs: { name: string; verdict: string }[] }

function rows(): Row[] {
  const text = readFileSync(corpusPath('dns', 'OFFLINE-DKIM-CHECK.tsv'), 'utf8');
  const dkimPart = text.split('# ARC chain validation')[0]!;
  return dkimPart
    .split('\n')
    .filter((l) => l && !l.startsWith('#') && !l.startsWith('file\t'))
    .map((l) => {
      const [file = '', sigs = ''] = l.split('\t');
      return { file, sigs: sigs.split(' ').filter((s) => s.includes(':')).map((s) => ({ name: s.slice(0, s.lastIndexOf(':')), verdict: s.slice(s.lastIndexOf(':') + 1) })) };
    });
}


describeCorpus('DKIM offline against dns/OFFLINE-DKIM-CHECK.tsv', () => {
  it('every signature the collector verified (PASS) passes here, every missing key is explained as missing', async () => {
    const resolver = corpusResolver();
    let pass = 0;
    let agreeFail = 0;
    let compared = 0;
    const disagreements: string[] = [];
    for (const row of rows()) {
      if (SKIP[row.file] || !row.sigs.length) continue;
      const { doc } = await verifyWith(loadCorpusMessage(row.file), resolver);
      if (KEY_RULE_PERMERROR[row.file]) {
        compared++;
        if (doc.dkim[0]?.now.result === 'permerror') agreeFail++;
        else disagreements.push(`${row.file}: expected permerror (${KEY_RULE_PERMERROR[row.file]}), got ${doc.dkim[0]?.now.result}`);
        continue;
      }
      row.sigs.forEach((s, i) => {
        const got = doc.dkim[i];
        if (!got || s.verdict.startsWith('ERR')) return;
        compared++;
        if (s.verdict === 'PASS') {
          // A PASS there is a mathematically valid signature here (512-bit keys are `policy` under RFC 8301).
          if (got.now.cryptoValid) pass++;
          else disagreements.push(`${row.file} #${i} ${s.name}: expected PASS, got ${got.now.result} (${got.now.reason})`);
        } else if (s.verdict === 'FAIL(nokey)') {
          // dkimpy had no answer for these names; where the corpus DNS records a timeout/SERVFAIL we say temperror.
          if (got.now.key === 'missing' || got.now.result === 'fail' || got.now.key === 'dns-error') agreeFail++;
          else disagreements.push(`${row.file} #${i} ${s.name}: expected no key, got ${got.now.result} key=${got.now.key}`);
        } else if (s.verdict === 'FAIL') {
          if (got.now.result !== 'pass') agreeFail++;
          else disagreements.push(`${row.file} #${i} ${s.name}: expected FAIL, got pass`);
        }
      });
    }
    console.log(`OFFLINE-DKIM-CHECK: ${pass} PASS + ${agreeFail} FAIL agree of ${compared} compared; disagreements:\n${disagreements.join('\n')}`);
    expect(disagreements).toEqual([]);
    expect(pass).toBeGreaterThanOrEqual(35);
  });

  it('the RFC 8463 example verifies offline with both its ed25519 and RSA signatures', async () => {
    const { doc } = await verifyWith(readFileSync(corpusPath('messages', 'rfc8463', 'rfc8463-appendix-a3-signed.eml')), corpusResolver());
    expect(doc.dkim.map((d) => [d.selector, d.algorithm, d.now.result, d.bodyHash.result])).toEqual([
      ['brisbane', 'ed25519-sha256', 'pass', 'match'],
      ['test', 'rsa-sha256', 'pass', 'match'],
    ]);
    expect(doc.verdict.answer).toBe('authenticated');
    expect(doc.verdict.domain).toBe('football.example.com');
    expect(doc.verdict.confidence).toBe('proven');
  });
});
