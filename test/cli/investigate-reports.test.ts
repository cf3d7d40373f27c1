// Read receipts (MDN, RFC 8098), DSNs (RFC 3464) and feedback reports (ARF, RFC 5965: a user's complaint, and an
// RFC 6591 authentication-failure report) from ../shared/corpus, read in place: for each real report
// that names its original (Original-Message-ID, or the returned original's Message-ID), investigate through the
// built CLI, with a small original carrying that Message-ID written to a temp folder (the corpus holds the reports,
// not their originals), must link the report to the message, report it as a finding citing the corpus file, and
// let it bear on `arrived`; a bounce alone (no original kept) must still be found by the Message-ID it returns. A
// control original with another Message-ID must not be linked. Table-driven over what the corpus holds, plus the
// reports the lab cases' real servers wrote (fixtures/cases/*: Postfix's success DSN and the read receipt of
// delivered-with-receipts), so every kind has a real sample.
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { runCli, expectCleanStderr } from '../helpers/cli.js';
import { CORPUS_DIR, HAS_CORPUS, REPO_ROOT, corpusPath, describeCorpus, fixturePath } from '../helpers/corpus.js';
import { tempDir } from '../helpers/mail.js';
import { InvestigateReportSchema, type InvestigateReport } from '../../src/report/investigate.js';
import { parseBounce } from '../../src/parse/dsn/index.js';
import { parseMdn } from '../../src/parse/mdn.js';

interface Sample { file: string; abs: string; kind: 'read-receipt' | 'delivery-dsn' | 'delay' | 'bounce' | 'complaint' | 'auth-failure'; messageId: string; to: string; date: string | null }

/** Real reports in the corpus that name their original, by kind (at most `per` of each, in file order). */
function samples(per: number): Sample[] {
  if (!HAS_CORPUS) return [];
  const out: Sample[] = [];
  const corpus = ['dsn/flanker', 'dsn/sisimai', 'dsn/arf', 'messages/flanker'].flatMap((d) => readdirSync(corpusPath(d)).filter((f) => f.endsWith('.eml')).sort().map((f) => ({ file: `${d}/${f}`, abs: corpusPath(d, f) })));
  const lab = readdirSync(fixturePath('cases')).sort().flatMap((c) => ['sender', 'receiver'].flatMap((side) => {
    const dir = fixturePath('cases', c, side, 'Maildir', 'new');
    let names: string[] = [];
    try { names = readdirSync(dir).filter((f) => !f.startsWith('.')).sort(); } catch { /* no such Maildir in this case */ }
    return names.map((f) => ({ abs: path.join(dir, f), file: path.relative(REPO_ROOT, path.join(dir, f)) }));
  }));
  for (const { file, abs } of [...corpus, ...lab]) {
    const bytes = readFileSync(abs);
    const mdn = parseMdn(bytes);
    const b = mdn ? null : parseBounce(bytes);
    const feedback = b?.kind === 'feedback' ? (b.feedback?.feedbackType === 'auth-failure' ? 'auth-failure' : b.feedback?.feedbackType === 'abuse' ? 'complaint' : null) : null;
    const kind = mdn ? 'read-receipt' : b?.kind === 'delivery' ? 'delivery-dsn' : b?.kind === 'delay' ? 'delay' : b?.kind === 'bounce' ? 'bounce' : feedback;
    const messageId = mdn?.originalMessageId ?? b?.original?.messageId ?? null;
    const to = mdn?.finalRecipient ?? b?.recipients[0]?.address ?? null;
    if (kind === null || messageId === null || !/^<[^<>\s]+@[^<>\s]+>$/.test(messageId) || to === null) continue;
    if (out.filter((s) => s.kind === kind).length < per) out.push({ file, abs, kind, messageId, to, date: mdn?.report.date ?? b?.report.date ?? null });
  }
  return out;
}

const table = samples(2);
const kinds = ['read-receipt', 'delivery-dsn', 'delay', 'bounce', 'complaint', 'auth-failure'] as const;

/** The original the report is about: only what linking needs (its Message-ID, dated an hour before the report). */
function writeOriginal(dir: string, s: Sample, messageId: string): string {
  mkdirSync(dir, { recursive: true });
  const t = s.date === null || Number.isNaN(Date.parse(s.date)) ? Date.parse('2020-01-01T00:00:00Z') : Date.parse(s.date) - 3600_000;
  writeFileSync(path.join(dir, 'original.eml'), [
    'From: Sender <sender@origin.test>', `To: <${s.to}>`, 'Subject: the original', `Date: ${new Date(t).toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: ${messageId}`, '', 'The message the report is about.', '',
  ].join('\r\n'));
  return dir;
}

function investigate(s: Sample, messageId: string, tag: string): { code: number | null; stderr: string; doc: InvestigateReport | null } {
  const dir = tempDir(`mailtrail-investigate-report-${tag}-`);
  const r = runCli(['--db', path.join(dir, 'store.db'), 'investigate', writeOriginal(path.join(dir, 'original'), s, messageId), s.abs, '--offline', '--message-id', messageId, '--json']);
  return { code: r.code, stderr: r.stderr, doc: r.stdout ? InvestigateReportSchema.parse(JSON.parse(r.stdout)) : null };
}

describeCorpus(`investigate links real receipts and DSNs to their original (${CORPUS_DIR})`, () => {
  it('has a real sample of every kind (the corpus has no success DSN; the lab case delivered-with-receipts does)', () => {
    expect([...new Set(table.map((s) => s.kind))].sort()).toEqual([...kinds].sort());
  });
  for (const s of table) {
    it(`${s.kind}: ${s.file} is linked by ${s.kind === 'read-receipt' ? 'Original-Message-ID' : "the returned original's Message-ID"}`, () => {
      const r = investigate(s, s.messageId, 'linked');
      expectCleanStderr(r.stderr);
      expect(r.code, r.stderr).toBe(0);
      const doc = r.doc!;
      const want = s.kind === 'delay' ? 'bounce' : s.kind === 'complaint' || s.kind === 'auth-failure' ? 'feedback-report' : s.kind;
      const f = doc.findings.filter((x) => x.kind === want && x.evidence.some((e) => e.kind === 'report' && (e.path ?? '').endsWith(s.file)));
      expect(f, JSON.stringify(doc.findings.map((x) => x.summary))).toHaveLength(1);
      if (s.kind === 'read-receipt') expect(f[0]!.summary).toMatch(/read receipt \(MDN, RFC 8098\) linked by Original-Message-ID/);
      if (s.kind === 'delay') expect(f[0]!.summary).toMatch(/^A delay notice /);
      if (s.kind === 'complaint') expect(f[0]!.summary).toMatch(/^A feedback report \(ARF, RFC 5965\) from .* its user's complaint \(feedback type abuse\)/);
      if (s.kind === 'auth-failure') expect(f[0]!.summary).toMatch(/^An authentication-failure report \(RFC 6591\) from .*: that it failed authentication/);
      // The report bears on `arrived`: a receipt, success DSN or user's complaint says it arrived; a bounce that it
      // did not. An authentication-failure report is the receiving server's, whatever it then did with the message.
      const arrived = {
        'read-receipt': ['yes', 'delivered'], 'delivery-dsn': ['yes', 'delivered'], delay: ['undetermined', 'deferred'], bounce: ['no', 'bounced'],
        complaint: ['yes', 'delivered'], 'auth-failure': ['undetermined', 'not-found'],
      }[s.kind];
      expect([doc.verdicts.arrived.answer, doc.verdicts.arrived.outcome]).toEqual(arrived);
      if (s.kind !== 'auth-failure') expect(doc.verdicts.arrived.evidence.some((e) => (e.path ?? '').endsWith(s.file))).toBe(true);
      // A feedback report came from the receiving side: the message was sent (weak: nothing ties it to the sender here).
      if (s.kind === 'complaint' || s.kind === 'auth-failure') expect(doc.verdicts.sent).toMatchObject({ answer: 'yes', stage: 'relayed', confidence: 'weak' });
      // And it is on the timeline, as a report.
      expect(doc.timeline.some((t) => t.kind === 'report' && (t.source.path ?? '').endsWith(s.file))).toBe(true);
    });
  }
  const alone = table.find((s) => s.kind === 'bounce');
  if (alone) {
    it(`only the bounce is in the store (${alone.file}): its Message-ID still finds the message, bounced`, () => {
      const dir = tempDir('mailtrail-investigate-report-alone-');
      const r = runCli(['--db', path.join(dir, 'store.db'), 'investigate', alone.abs, '--offline', '--message-id', alone.messageId, '--json']);
      expectCleanStderr(r.stderr);
      expect(r.code, r.stderr).toBe(0);
      const doc = InvestigateReportSchema.parse(JSON.parse(r.stdout));
      expect(doc.message?.messageId?.toLowerCase()).toBe(alone.messageId.toLowerCase());
      expect(doc.message?.to).toContain(alone.to.toLowerCase());
      expect([doc.verdicts.arrived.answer, doc.verdicts.arrived.outcome]).toEqual(['no', 'bounced']);
      expect(doc.findings.filter((x) => x.kind === 'bounce')).toHaveLength(1);
    });
  }
  const control = table[0];
  if (control) {
    it(`a message with another Message-ID is not linked to ${control.file}`, () => {
      const r = investigate(control, '<not-the-original.4711@origin.test>', 'control');
      expect(r.code, r.stderr).toBe(0);
      expect(r.doc!.findings.filter((x) => x.evidence.some((e) => (e.path ?? '').endsWith(control.file)))).toEqual([]);
      expect(r.doc!.verdicts.arrived.answer).toBe('undetermined');
    });
  }
});
