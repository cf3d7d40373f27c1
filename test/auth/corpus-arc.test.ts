// ARC chain status (RFC 8617) on real data: the mailauth Gmail chains (pass/fail pairs, expected results from
// dns/OFFLINE-DKIM-CHECK.tsv) and the ValiMail ARC validation suite (messages/arc-test-suite).
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { expect, it } from 'vitest';
import { corpusPath, describeCorpus } from '../helpers/corpus.js';
import { corpusResolver, zoneFromRecords } from './zones.js';
import { loadCorpusMessage, verifyWith } from './helpers.js';


const PAIRS: [string, 'pass' | 'fail' | 'none'][] = [
  ['messages/mailauth/arc-pass.eml', 'pass'],
  ['messages/mailauth/arc-pass2.eml', 'pass'],
  ['messages/mailauth/authtest.eml', 'pass'],
  ['messages/mailauth/message3.eml', 'pass'],
  ['messages/mailauth/bimi.eml', 'pass'],
  ['messages/stalwart-mail-auth/arc-001.txt', 'pass'],
  ['messages/mailauth/arc-fail.eml', 'fail'],
  ['messages/mailauth/arc-fail2.eml', 'fail'],
  // cv=fail at i=2 terminates the chain: ARC result fail (dkimpy: cv=None, "the chain is terminated").
  ['messages/mailauth/arc-fail3.eml', 'fail'],
];

describeCorpus('ARC chains', () => {
  for (const [file, want] of PAIRS) {
    it(`${file} -> arc=${want}, every sealer named`, async () => {
      const { doc } = await verifyWith(loadCorpusMessage(file), corpusResolver());
      expect(doc.arc.result).toBe(want);
      expect(doc.arc.sets.length).toBeGreaterThan(0);
      for (const s of doc.arc.sets) expect(s.sealer).toMatch(/\./);
    });
  }

  it('the ARC validation suite gives the expected cv in at least 90% of scenarios', async () => {
    const docs = parseAllDocuments(readFileSync(corpusPath('messages', 'arc-test-suite', 'arc-draft-validation-tests.yml'), 'utf8'));
    let n = 0;
    let ok = 0;
    const differ: string[] = [];
    for (const d of docs) {
      const sc = d.toJS() as { tests?: Record<string, { message?: string; cv?: string }>; txt_records?: Record<string, string>; 'txt-records'?: Record<string, string> } | null;
      if (!sc?.tests) continue;
      const records: Record<string, Record<string, unknown[]>> = {};
      for (const [name, txt] of Object.entries(sc['txt-records'] ?? sc.txt_records ?? {})) records[name.toLowerCase()] = { TXT: [[String(txt).replace(/\s+/g, ' ')]] };
      const resolver = zoneFromRecords(records);
      for (const [name, t] of Object.entries(sc.tests)) {
        // An empty cv means the chain fails validation (suite README).
        const want = String(t.cv ?? 'None').trim().toLowerCase() || 'fail';
        const { doc } = await verifyWith(Buffer.from((t.message ?? '').replace(/\r?\n/g, '\r\n')), resolver);
        n++;
        if (doc.arc.result === want) ok++;
        else differ.push(`${name}: want ${want}, got ${doc.arc.result} (${doc.arc.reason})`);
      }
    }
    const pct = (100 * ok) / n;
    console.log(`ARC suite: ${ok}/${n} = ${pct.toFixed(1)}%\n${differ.join('\n')}`);
    expect(n).toBeGreaterThan(100);
    expect(pct).toBeGreaterThanOrEqual(90);
  });
});
