// The pure sealing layer: RFC 8785 canonical JSON, the seal, stable (relative) paths, the manifest's DNS hash,
// SHA256SUMS text, and verifyReport over fake evidence ports (every kind of difference named).
import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalSha256, CanonicalJsonError } from '../../src/report/seal-canonical.js';
import { checkSeal, sealReport, SEAL_CANONICALIZATION } from '../../src/report/seal.js';
import { evidenceRoot, relativizePaths } from '../../src/report/seal-paths.js';
import { dnsAnswerSha256, type DnsFact, type ManifestArtifact } from '../../src/report/manifest.js';
import { formatSha256Sums, isSafeRelativePath, parseSha256Sums } from '../../src/report/manifest-sums.js';
import { readReportText, verifyReport, type VerifyPorts } from '../../src/report/seal-verify.js';

describe('canonicalJson (RFC 8785)', () => {
  it('sorts members by UTF-16 code units, drops whitespace, writes numbers in shortest form', () => {
    expect(canonicalJson({ b: [1, 2.5, 1e21, -0], a: { z: true, y: null }, 'é': 'x', '\u{1F600}': 1, '\uFB33': 2 }))
      .toBe('{"a":{"y":null,"z":true},"b":[1,2.5,1e+21,0],"é":"x","\u{1F600}":1,"\uFB33":2}');
  });
  it('RFC 8785 §3.2.2.2 string escaping example', () => {
    expect(canonicalJson({ s: '\u20ac$\u000F\u000aA\'\u0042\u0022\u005c\\"/' })).toBe('{"s":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
  });
  it('refuses values JSON cannot carry instead of dropping them', () => {
    for (const bad of [{ a: undefined }, { a: Number.NaN }, { a: Infinity }, { a: () => 1 }, { a: new Date(0) }, { a: 1n }]) {
      expect(() => canonicalJson(bad)).toThrow(CanonicalJsonError);
    }
  });
  it('the same content in any key order hashes the same', () => {
    expect(canonicalSha256({ a: 1, b: [{ c: 2, d: 3 }] })).toBe(canonicalSha256({ b: [{ d: 3, c: 2 }], a: 1 }));
  });
});

describe('seal', () => {
  const doc = { schemaVersion: 1, tool: { name: 'mailtrail', version: '0.1.0' }, verdicts: { sent: 'yes' } };
  it('seals the document without its seal; re-sealing is idempotent and key order does not matter', () => {
    const s = sealReport(doc);
    expect(Object.keys(s).at(-1)).toBe('seal');
    expect(s.seal).toEqual({ algorithm: 'sha256', canonicalization: SEAL_CANONICALIZATION, sha256: canonicalSha256(doc) });
    expect(sealReport(s).seal).toEqual(s.seal);
    const reordered = { seal: s.seal, verdicts: { sent: 'yes' }, tool: { version: '0.1.0', name: 'mailtrail' }, schemaVersion: 1 };
    expect(checkSeal(reordered)).toMatchObject({ status: 'ok', sha256: s.seal.sha256 });
  });
  it('any edit, even whitespace inside a value, is a mismatch; no seal and a bad seal are told apart', () => {
    const s = sealReport(doc);
    expect(checkSeal({ ...s, verdicts: { sent: 'no' } })).toMatchObject({ status: 'mismatch', recorded: s.seal.sha256 });
    expect(checkSeal({ ...s, tool: { name: 'mailtrail', version: '0.1.0 ' } }).status).toBe('mismatch');
    expect(checkSeal(doc).status).toBe('unsealed');
    expect(checkSeal({ ...doc, seal: { algorithm: 'md5', sha256: 'x' } }).status).toBe('malformed');
  });
});

describe('stable paths', () => {
  it('the evidence root is the deepest folder holding every listed file', () => {
    expect(evidenceRoot(['/c/case/sender/mail.log', '/c/case/receiver/mail.log'])).toBe('/c/case/');
    expect(evidenceRoot(['fixtures/x/a.log'])).toBe('fixtures/x/');
    expect(evidenceRoot(['/var/log/mail.log', '/home/a/Maildir/cur/1'])).toBe('/');
    expect(evidenceRoot(['a.log', '/abs/b.log'])).toBe('');
    expect(evidenceRoot(['-', 'imaps://alice@imap.test/INBOX', 'logs/m.log'])).toBe('logs/');
  });
  it('rewrites every "path" member under the root, in any nesting, and leaves the rest alone', () => {
    const r = {
      evidence: [{ path: '/w/case/sender/mail.log' }, { path: '/w/case/receiver/mail.log' }],
      message: { copies: [{ path: '/w/case/receiver/Maildir/cur/1' }] },
      verdicts: { sent: { summary: 'Not sent: /w/case/sender/mail.log covers the time', evidence: [{ path: '/w/case/sender/mail.log', claim: 'a claim' }] } },
      timeline: [{ source: { path: null } }, { source: { path: 'imaps://a@h/INBOX' } }],
    };
    const { report, root } = relativizePaths(r);
    expect(root).toBe('/w/case/');
    expect(report.evidence.map((e) => e.path)).toEqual(['sender/mail.log', 'receiver/mail.log']);
    expect(report.message.copies[0]!.path).toBe('receiver/Maildir/cur/1');
    expect(report.verdicts.sent.evidence[0]).toEqual({ path: 'sender/mail.log', claim: 'a claim' });
    expect(report.verdicts.sent.summary).toBe('Not sent: sender/mail.log covers the time');
    expect(relativizePaths({ evidence: [{ path: '/w/a/x.log' }, { path: '/w/b/y.log' }], note: 'under /w/ but not a listed file' }).report.note).toBe('under /w/ but not a listed file');
    expect(report.timeline.map((t) => t.source.path)).toEqual([null, 'imaps://a@h/INBOX']);
    expect(r.evidence[0]!.path).toBe('/w/case/sender/mail.log'); // the input is not modified
    // The same files under another folder give the same report.
    const moved = JSON.parse(JSON.stringify(r).replaceAll('/w/case/', 'bundle/evidence/')) as typeof r;
    expect(relativizePaths(moved).report).toEqual(report);
  });
});

describe('DNS answer hash', () => {
  it('is the same for an answer read from the store or from a snapshot, and failures ignore any answer value', () => {
    expect(dnsAnswerSha256({ status: 'answer', answer: [['v=spf1 -all']] })).toBe(dnsAnswerSha256({ status: 'answer', answer: [['v=spf1 -all']] }));
    expect(dnsAnswerSha256({ status: 'answer', answer: [['v=spf1 -all']] })).not.toBe(dnsAnswerSha256({ status: 'answer', answer: [['v=spf1 ~all']] }));
    expect(dnsAnswerSha256({ status: 'NXDOMAIN', answer: 'junk' })).toBe(dnsAnswerSha256({ status: 'NXDOMAIN', answer: null }));
  });
});

describe('SHA256SUMS', () => {
  const h = 'a'.repeat(64);
  it('writes what sha256sum -c reads, escaping backslashes and newlines the coreutils way, and reads it back', () => {
    const entries = [{ sha256: h, path: 'b/x,S=403:2,S' }, { sha256: h, path: 'a\\b\nc' }, { sha256: h, path: 'report.json' }];
    const text = formatSha256Sums(entries);
    expect(text).toBe(`\\${h}  a\\\\b\\nc\n${h}  b/x,S=403:2,S\n${h}  report.json\n`);
    expect(parseSha256Sums(text).map((l) => (l.ok ? l.entry.path : null))).toEqual(['a\\b\nc', 'b/x,S=403:2,S', 'report.json']);
    expect(parseSha256Sums(`${h} *bin.dat\nnot a line\n`)).toEqual([{ ok: true, entry: { sha256: h, path: 'bin.dat' } }, { ok: false, line: 2, text: 'not a line' }]);
  });
  it('bundle paths never leave the bundle', () => {
    for (const p of ['../x', '/etc/passwd', 'a/../../b', '', 'a//b', 'a\\b']) expect(isSafeRelativePath(p), p).toBe(false);
    expect(isSafeRelativePath('sender/Maildir/.Sent/cur/1:2,S')).toBe(true);
  });
});

describe('readReportText and verifyReport', () => {
  const art: ManifestArtifact = { path: 'sender/mail.log', sha256: 'f'.repeat(64), size: 10, kind: 'log', cited: true };
  const dnsFact = { status: 'answer', answer: [['v=DMARC1; p=reject']] };
  const body = {
    schemaVersion: 1, tool: { name: 'mailtrail', version: '0.1.0' },
    manifest: { artifacts: [art], dns: [{ name: '_dmarc.s.test', type: 'TXT', status: 'answer', answerSha256: dnsAnswerSha256(dnsFact) }] },
  };
  const sealed = sealReport(body) as unknown as Record<string, unknown>;
  const ports = (status: 'ok' | 'missing' | 'changed' | 'unchecked', dns: DnsFact | null = dnsFact): VerifyPorts => ({
    artifact: () => ({ status, where: 'here', ...(status === 'changed' ? { sha256: 'e'.repeat(64), size: 11 } : {}) }),
    dns: () => (dns === null ? [] : [dns]),
  });

  it('refuses empty, cut-short, non-JSON, foreign and newer reports with one reason each', () => {
    const text = JSON.stringify(sealed, null, 2);
    expect(readReportText('')).toMatchObject({ ok: false, reason: 'the report is empty' });
    expect(readReportText(text.slice(0, 100))).toMatchObject({ ok: false, reason: expect.stringMatching(/not complete JSON \(cut short/) });
    expect(readReportText('hello')).toMatchObject({ ok: false, reason: 'the report is not JSON: it starts with "hello"' });
    expect(readReportText('{"a":1}')).toMatchObject({ ok: false, reason: expect.stringMatching(/not a mailtrail report/) });
    expect(readReportText(text.replace('"schemaVersion": 1', '"schemaVersion": 2'))).toMatchObject({ ok: false, reason: expect.stringMatching(/schemaVersion 2, newer than this mailtrail reads \(1\)/), hint: expect.stringMatching(/upgrade/) });
    expect(readReportText(text)).toMatchObject({ ok: true });
  });

  it('names each difference; exit 0 / 1 / 2 as documented', () => {
    const sealOnly = verifyReport(sealed, null);
    expect(sealOnly.problems.filter((p) => !p.startsWith('report does not match'))).toEqual([]);
    expect(verifyReport(sealed, ports('missing')).problems).toContain(`artifact missing: sender/mail.log (sha256 ${'f'.repeat(12)}…, looked in here)`);
    expect(verifyReport(sealed, ports('changed')).problems).toContain(`artifact changed: sender/mail.log: sha256 ${'e'.repeat(12)}… (11 bytes) where the report has ${'f'.repeat(12)}… (10 bytes)`);
    expect(verifyReport(sealed, ports('ok', { status: 'answer', answer: [['v=DMARC1; p=none']] })).problems).toContain('DNS answer differs: TXT _dmarc.s.test: the evidence has a different answer, the report relied on answer');
    expect(verifyReport(sealed, ports('ok', { status: 'NXDOMAIN', answer: null })).problems).toContain('DNS answer differs: TXT _dmarc.s.test: the evidence has NXDOMAIN, the report relied on answer');
    expect(verifyReport(sealed, ports('ok', null)).problems).toContain('DNS answer missing: TXT _dmarc.s.test is not in the evidence');
    const edited = { ...sealed, tool: { name: 'mailtrail', version: '9.9.9' } };
    const e = verifyReport(edited, ports('ok'));
    expect(e.problems[0]).toMatch(/^report edited: its content hashes to [0-9a-f]{12}…, the seal says [0-9a-f]{12}…$/);
    expect(e.exitCode).toBe(1);
    expect(verifyReport(body as Record<string, unknown>, ports('ok')).exitCode).toBe(2); // no seal: cannot vouch for it
    expect(verifyReport(sealed, ports('unchecked')).artifacts[0]!.check.status).toBe('unchecked');
    // A redacted report names DNS by pseudonym: its answers are matched by content instead.
    const redacted = sealReport({ ...body, redaction: { method: 'hmac-sha256' } }) as unknown as Record<string, unknown>;
    const byContent = (facts: DnsFact[]): VerifyPorts => ({ ...ports('ok', null), dnsAnswers: () => facts });
    expect(verifyReport(redacted, byContent([{ status: 'answer', answer: [['x']] }, dnsFact])).dns).toEqual([{ name: '_dmarc.s.test', type: 'TXT', status: 'ok' }]);
    expect(verifyReport(redacted, byContent([{ status: 'answer', answer: [['x']] }])).problems).toContain('DNS answer differs: TXT _dmarc.s.test: no answer in the evidence has the content the report relied on (the report is redacted, so answers are matched by content)');
  });
});
