// End-to-end over the lab cases (fixtures/cases, made by real Postfix + Dovecot + opendkim): every message the
// receiver delivered (receiver/Maildir, any folder) is verified through the built CLI with the case's own
// dns-snapshot.json and no other DNS, and the verdict must equal truth.json `expected.sender`. Cases are read
// generally: a new case is covered by adding its folder.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, expectCleanStderr } from '../helpers/cli.js';
import { fixturePath } from '../helpers/corpus.js';
import { tempDir } from '../helpers/mail.js';
import { VerifyDocumentSchema } from '../../src/report/verify.js';

interface Truth {
  messageId?: string;
  expected: { sender: { answer: string; domain: string | null } };
}

/** Message files in a Maildir tree (new/ and cur/ of every folder; dot files such as .keep skipped). */
function maildirMessages(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (!name.startsWith('.') && ['new', 'cur'].includes(path.basename(dir))) out.push(p);
    }
  };
  if (existsSync(root)) walk(root);
  return out;
}

const casesDir = fixturePath('cases');
const cases = readdirSync(casesDir).filter((c) => existsSync(path.join(casesDir, c, 'truth.json'))).sort();
const delivered = cases.flatMap((c) => maildirMessages(path.join(casesDir, c, 'receiver', 'Maildir')).map((file) => ({ c, file })));

describe('verify on the lab cases agrees with truth.json (built CLI, DNS from each case snapshot only)', () => {
  it('finds the lab cases (at least the eight of issue 6) and the delivered messages among them', () => {
    expect(cases.length).toBeGreaterThanOrEqual(8);
    expect(delivered.length).toBeGreaterThanOrEqual(4);
  });

  const dir = tempDir('mailtrail-verify-cases-');
  for (const { c, file } of delivered) {
    it(`${c}: ${path.relative(path.join(casesDir, c), file)}`, () => {
      const truth = JSON.parse(readFileSync(path.join(casesDir, c, 'truth.json'), 'utf8')) as Truth;
      const r = runCli(['--db', path.join(dir, `${c}.db`), 'verify', '--dns-snapshot', path.join(casesDir, c, 'dns-snapshot.json'), '--json', file]);
      expectCleanStderr(r.stderr);
      expect(r.code).toBe(0);
      const doc = VerifyDocumentSchema.parse(JSON.parse(r.stdout));
      if (truth.messageId) expect(doc.message.messageId).toBe(truth.messageId);
      expect({ answer: doc.verdict.answer, domain: doc.verdict.domain }).toEqual(truth.expected.sender);
      // Every DNS answer came from the case's snapshot.
      expect(doc.dns.every((a) => a.source === 'snapshot')).toBe(true);
      // The SPF client is the one the receiving MX recorded, never a hop below it.
      expect(doc.boundary.client?.ip).toMatch(/^127\./);
      expect(doc.spf.evaluated).toBe(true);
    });
  }
});
