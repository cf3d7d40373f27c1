// End-to-end: the built CLI (`npm run build` first) with DNS denied: every answer comes from a snapshot file or
// the store. JSON output is parsed back through the zod schema.
import { writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, expectCleanStderr } from '../helpers/cli.js';
import { tempDir } from '../helpers/mail.js';
import { VerifyDocumentSchema } from '../../src/report/verify.js';
import { SenderVerdictSchema } from '../../src/verdict/sender.js';
import { innerMessage, received, sign, testKey } from '../auth/synthetic.js';

let dir: string;
let snapshot: string;
let good: string;
let forged: string;

beforeAll(async () => {
  dir = tempDir('mailtrail-verify-');
  snapshot = path.join(dir, 'dns.json');
  writeFileSync(
    snapshot,
    JSON.stringify({
      'sender.test': { TXT: [['v=spf1 ip4:192.0.2.0/24 -all']] },
      '_dmarc.sender.test': { TXT: [['v=DMARC1; p=reject']] },
      'sel._domainkey.sender.test': { TXT: [[`v=DKIM1; k=rsa; p=${testKey().publicB64}`]] },
    }),
  );
  good = path.join(dir, 'good.eml');
  writeFileSync(good, received('192.0.2.10', { envFrom: 'alice@sender.test', ar: 'spf=pass smtp.mailfrom=alice@sender.test' }) + (await sign(innerMessage())));
  forged = path.join(dir, 'forged.eml');
  writeFileSync(forged, received('203.0.113.66', { envFrom: 'alice@sender.test' }) + innerMessage({ subject: 'Urgent' }).replace('inv42', 'fake1'));
});

describe('mailtrail verify (built CLI, DNS denied)', () => {
  it('verifies a signed message from a snapshot and prints one schema-valid JSON document', () => {
    const r = runCli(['--db', path.join(dir, 'none.db'), 'verify', '--dns-snapshot', snapshot, '--json', good]);
    expectCleanStderr(r.stderr);
    expect(r.code).toBe(0);
    const doc = VerifyDocumentSchema.parse(JSON.parse(r.stdout));
    SenderVerdictSchema.parse(doc.verdict);
    expect(doc.verdict).toMatchObject({ answer: 'authenticated', domain: 'sender.test', confidence: 'proven' });
    expect(doc.dns.every((a) => a.source === 'snapshot')).toBe(true);
  });

  it('human output puts the verdict first; --fail-on forged exits 1', () => {
    const r = runCli(['--db', path.join(dir, 'none2.db'), 'verify', '--dns-snapshot', snapshot, '--trust', 'mx.receiver.test', '--fail-on', 'forged', forged]);
    expectCleanStderr(r.stderr);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toMatch(/^FORGED \(proven\)\s+sender\.test/);
  });

  it('records answers in the store, exports them, and replays them --offline with the same verdict', () => {
    const db = path.join(dir, 'case.db');
    const first = runCli(['--db', db, 'verify', '--dns-snapshot', snapshot, '--json', good]);
    expect(first.code).toBe(0);
    const exp = runCli(['--db', db, 'dns', 'export']);
    expect(exp.code).toBe(0);
    const snap = JSON.parse(exp.stdout) as Record<string, unknown>;
    expect(snap['sel._domainkey.sender.test']).toBeDefined();
    expect(snap['$mailtrail']).toBeDefined();
    const offline = runCli(['--db', db, 'verify', '--offline', '--json', good]);
    expectCleanStderr(offline.stderr);
    expect(offline.code).toBe(0);
    const doc = VerifyDocumentSchema.parse(JSON.parse(offline.stdout));
    expect(doc.verdict.answer).toBe('authenticated');
    expect(doc.dns.every((a) => a.source === 'store')).toBe(true);
    // Replaying the exported file on "another machine" gives the same verdict.
    const exported = path.join(dir, 'exported.json');
    writeFileSync(exported, exp.stdout);
    const replay = runCli(['--db', path.join(dir, 'other.db'), 'verify', '--dns-snapshot', exported, '--json', good]);
    const again = VerifyDocumentSchema.parse(JSON.parse(replay.stdout));
    const gist = (v: typeof doc.verdict) => ({ ...v, evidence: v.evidence.map((e) => ({ ...e, dns: e.dns.map((d) => ({ name: d.name, type: d.type, status: d.status, at: d.at })) })) });
    // Same verdict, same evidence, same recorded times; only the source label differs (store vs snapshot).
    expect(gist(again.verdict)).toEqual(gist(doc.verdict));
  });

  it('verifies a message from the store by Message-ID', () => {
    const db = path.join(dir, 'store.db');
    expect(runCli(['--db', db, 'ingest', good]).code).toBe(0);
    const r = runCli(['--db', db, 'verify', '--message-id', '<inv42@sender.test>', '--dns-snapshot', snapshot, '--json']);
    expectCleanStderr(r.stderr);
    expect(r.code).toBe(0);
    expect(VerifyDocumentSchema.parse(JSON.parse(r.stdout)).verdict.answer).toBe('authenticated');
  });

  it('usage errors are one line with a hint and exit 2', () => {
    const r = runCli(['--db', path.join(dir, 'x.db'), 'verify', '--at', 'not a time', good]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^mailtrail: --at: cannot read/);
    expect(r.stderr).toMatch(/hint:/);
    expectCleanStderr(r.stderr);
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '[1,2]');
    const s = runCli(['--db', path.join(dir, 'x.db'), 'verify', '--dns-snapshot', bad, good]);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/not a DNS snapshot/);
    void readFileSync;
  });
});
