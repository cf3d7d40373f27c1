// verify against a store, through the built CLI with DNS denied: headers-only blobs (body hash not checkable),
// the per-store trust setting (--save-trust), --jsonl records, and look-alike checks against the senders the
// store has seen.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runCli, expectCleanStderr } from '../helpers/cli.js';
import { tempDir } from '../helpers/mail.js';
import { VerifyDocumentSchema } from '../../src/report/verify.js';
import { FlagSchema } from '../../src/auth/facts.js';
import { SenderVerdictSchema } from '../../src/verdict/sender.js';
import { innerMessage, received, sign, testKey } from '../auth/synthetic.js';

let dir: string;
let snapshot: string;
let good: string;

const ZONE = () => ({
  'sender.test': { TXT: [['v=spf1 ip4:192.0.2.0/24 -all']] },
  '_dmarc.sender.test': { TXT: [['v=DMARC1; p=reject']] },
  'sel._domainkey.sender.test': { TXT: [[`v=DKIM1; k=rsa; p=${testKey().publicB64}`]] },
  'paypal.test': { TXT: [['v=spf1 ip4:192.0.2.0/24 -all']] },
  '_dmarc.paypal.test': { TXT: [['v=DMARC1; p=reject']] },
  'paypa1.test': { TXT: [['v=spf1 ip4:203.0.113.0/24 -all']] },
});

function verifyJson(args: string[]) {
  const r = runCli(args);
  expectCleanStderr(r.stderr);
  return { r, doc: r.code === 0 || r.code === 1 ? VerifyDocumentSchema.parse(JSON.parse(r.stdout)) : null };
}

beforeAll(async () => {
  dir = tempDir('mailtrail-verify-store-');
  snapshot = path.join(dir, 'dns.json');
  writeFileSync(snapshot, JSON.stringify(ZONE()));
  good = path.join(dir, 'good.eml');
  writeFileSync(good, received('192.0.2.10', { envFrom: 'alice@sender.test', ar: 'spf=pass smtp.mailfrom=alice@sender.test; dkim=pass header.d=sender.test' }) + (await sign(innerMessage())));
});

describe('verify --db (built CLI, DNS denied)', () => {
  it('a message ingested with --headers-only: the body hash is reported as not checkable, never as altered', () => {
    const db = path.join(dir, 'headers.db');
    expect(runCli(['--db', db, 'ingest', '--headers-only', good]).code).toBe(0);
    const { r, doc } = verifyJson(['--db', db, 'verify', '--message-id', '<inv42@sender.test>', '--dns-snapshot', snapshot, '--json']);
    expect(r.code).toBe(0);
    expect(doc!.message.hasBody).toBe(false);
    expect(doc!.dkim[0]!.bodyHash).toMatchObject({ result: 'not-checked', computed: null });
    expect(doc!.dkim[0]!.bodyHash.reason).toMatch(/only the header block is stored \(--headers-only\)/);
    expect(doc!.dkim[0]!.now).toMatchObject({ result: 'neutral', key: 'found' });
    expect(doc!.dkim[0]!.now.reason).not.toMatch(/body was changed/);
    expect(doc!.dkim[0]!.explanation).not.toMatch(/altered/);
    expect(doc!.warnings).toContainEqual(expect.stringMatching(/only the header block is stored/));
    // The receiver recorded dkim=pass at receipt; SPF from its own hop still authenticates the domain.
    expect(doc!.dkim[0]!.atReceipt).toMatchObject({ result: 'pass' });
    expect(doc!.verdict).toMatchObject({ answer: 'authenticated', confidence: 'strong' });
    expect(doc!.verdict.summary).toMatch(/SPF \(sender\.test from 192\.0\.2\.10/);
  });

  it('--save-trust remembers the receiving servers in the store for later runs', () => {
    const db = path.join(dir, 'trust.db');
    // No Authentication-Results: without --trust the boundary cannot be placed.
    const bare = path.join(dir, 'bare.eml');
    writeFileSync(bare, received('192.0.2.10', { envFrom: 'alice@sender.test' }).replace('mx.receiver.test', 'mx1.corp.test') + innerMessage());
    const before = verifyJson(['--db', db, 'verify', '--dns-snapshot', snapshot, '--json', bare]).doc!;
    expect(before.boundary).toMatchObject({ method: 'none', entryHop: null });
    const saved = verifyJson(['--db', db, 'verify', '--trust', 'mx1.corp.test', '--save-trust', '--dns-snapshot', snapshot, '--json', bare]).doc!;
    expect(saved.boundary).toMatchObject({ method: 'trust-option', entryHop: 0 });
    // A later run without --trust uses the stored setting.
    const later = verifyJson(['--db', db, 'verify', '--dns-snapshot', snapshot, '--json', bare]).doc!;
    expect(later.boundary).toMatchObject({ method: 'trust-option', trusted: ['mx1.corp.test'], entryHop: 0 });
    expect(later.spf).toMatchObject({ evaluated: true, result: 'pass', clientIp: '192.0.2.10' });
    // Another store knows nothing of it.
    const other = verifyJson(['--db', path.join(dir, 'other.db'), 'verify', '--dns-snapshot', snapshot, '--json', bare]).doc!;
    expect(other.boundary.method).toBe('none');
  });

  it('--jsonl prints typed records: verdict first, then flags and DNS answers, summary last', () => {
    const r = runCli(['--db', path.join(dir, 'jsonl.db'), 'verify', '--dns-snapshot', snapshot, '--expect-domain', 'example.test', '--jsonl', good]);
    expectCleanStderr(r.stderr);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string } & Record<string, unknown>);
    expect(lines[0]!.type).toBe('verdict');
    const { type: _t, ...verdict } = lines[0]!;
    expect(SenderVerdictSchema.parse(verdict)).toMatchObject({ answer: 'authenticated', domain: 'sender.test' });
    const flags = lines.filter((l) => l.type === 'flag');
    expect(flags.length).toBeGreaterThan(0);
    for (const { type: _f, ...f } of flags) FlagSchema.parse(f);
    const dns = lines.filter((l) => l.type === 'dns');
    expect(dns.length).toBeGreaterThan(0);
    for (const d of dns) z.object({ record: z.object({ name: z.string(), type: z.string(), status: z.string(), source: z.literal('snapshot') }).loose() }).parse(d);
    expect(lines.at(-1)).toMatchObject({ type: 'summary', answer: 'authenticated' });
    expect(lines.filter((l) => l.type === 'summary')).toHaveLength(1);
  });

  it('look-alike and display-name checks use the senders the store has seen', () => {
    const db = path.join(dir, 'lookalike.db');
    const real = path.join(dir, 'real.eml');
    writeFileSync(real, innerMessage({ from: 'PayPal Billing <billing@paypal.test>' }).replace('inv42@sender.test', 'real1@paypal.test'));
    expect(runCli(['--db', db, 'ingest', real]).code).toBe(0);
    // A digit-for-letter look-alike, under the name the store knows from the real domain.
    const fake = path.join(dir, 'fake.eml');
    writeFileSync(fake, received('203.0.113.5', { envFrom: 'billing@paypa1.test', ar: 'spf=pass smtp.mailfrom=billing@paypa1.test' }) + innerMessage({ from: 'PayPal Billing <billing@paypa1.test>' }).replace('inv42@sender.test', 'fake1@paypa1.test'));
    const { r, doc } = verifyJson(['--db', db, 'verify', '--dns-snapshot', snapshot, '--json', '--fail-on', 'forged', fake]);
    expect(r.code).toBe(1);
    expect(doc!.flags).toContainEqual(expect.objectContaining({ kind: 'homoglyph-domain', severity: 'high' }));
    expect(doc!.flags.find((f) => f.kind === 'homoglyph-domain')!.reason).toMatch(/paypa1\.test looks like paypal\.test/);
    expect(doc!.flags).toContainEqual(expect.objectContaining({ kind: 'display-name-spoof', severity: 'high' }));
    expect(doc!.flags.find((f) => f.kind === 'display-name-spoof')!.reason).toMatch(/billing@paypal\.test/);
    // SPF passes for the look-alike the sender owns; the verdict is still forged, and says it authenticates only as itself.
    expect(doc!.spf.result).toBe('pass');
    expect(doc!.verdict).toMatchObject({ answer: 'forged', domain: 'paypa1.test' });
    expect(doc!.verdict.summary).toMatch(/^Impersonation: .*It does authenticate as paypa1\.test/);
    // Without the store, the same message raises neither flag.
    const alone = verifyJson(['--db', path.join(dir, 'empty.db'), 'verify', '--dns-snapshot', snapshot, '--json', fake]).doc!;
    expect(alone.flags.some((f) => f.kind === 'homoglyph-domain' || f.kind === 'display-name-spoof')).toBe(false);
  });
});
