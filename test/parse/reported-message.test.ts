// Which messages ingest asks "what do you report on?" (mayBeReport), and that every real report in the corpus that
// names its message gets its key (messages.reports_on) at ingest. A report the test lets slip is stored as "not a
// report" and is never linked: the Sendmail bounce from a local MAILER-DAEMON, the Japanese carrier's エラー通知
// and the Hotmail complaint below were, before the test read From names and subjects.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mayBeReport, reportedMessageId, reportsOnKey, type ReportHeader } from '../../src/parse/reported-message.js';
import { prepareMessage, sha256 } from '../../src/ingest/prepare-message.js';
import { normalizeMessageId } from '../../src/parse/message-summary.js';
import { CORPUS_DIR, corpusPath, describeCorpus } from '../helpers/corpus.js';
import { LOCAL_DAEMON_BOUNCE } from '../helpers/mail.js';

const plain: ReportHeader = { contentType: 'text/plain', fromAddr: 'alice@sender.test', fromName: 'Alice', subject: 'Lunch on Friday?' };


describe('mayBeReport', () => {
  it('lets through multipart/report, the null sender, and a From or Subject that says bounce or complaint', () => {
    expect(mayBeReport(plain)).toBe(false);
    expect(mayBeReport({ ...plain, contentType: 'multipart/report; report-type=delivery-status; boundary="x"' })).toBe(true);
    expect(mayBeReport({ ...plain, fromAddr: null })).toBe(true);
    expect(mayBeReport({ ...plain, fromAddr: 'MAILER-DAEMON', fromName: 'Mail Delivery Subsystem' })).toBe(true);
    expect(mayBeReport({ ...plain, fromAddr: 'postmaster@mx.receiver.test', fromName: null })).toBe(true);
    expect(mayBeReport({ ...plain, fromAddr: 'no-reply@carrier.test', fromName: null, subject: 'メールエラー通知' })).toBe(true);
    expect(mayBeReport({ ...plain, fromAddr: 'staff@hotmail.com', fromName: null, subject: 'complaint about message from 192.0.2.1' })).toBe(true);
    expect(mayBeReport({ ...plain, subject: 'Undelivered Mail Returned to Sender' })).toBe(true);
  });

  it('a local MAILER-DAEMON bounce that is no multipart/report gets the key of the message it returns', () => {
    const bytes = Buffer.from(LOCAL_DAEMON_BOUNCE);
    expect(reportedMessageId(bytes)).toBe('<m1@sender.test>');
    expect(prepareMessage(bytes, sha256(bytes), false).reportsOn).toBe(normalizeMessageId('<m1@sender.test>'));
    // The same bytes under an ordinary From and Subject are not asked: '' (not a report).
    expect(reportsOnKey(bytes, plain)).toBe('');
  });
});

describeCorpus(`every real report that names its message is indexed at ingest (${CORPUS_DIR})`, () => {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.eml')) files.push(p);
    }
  };
  walk(corpusPath('dsn'));
  walk(corpusPath('messages'));
  files.sort();
  const reports = files.flatMap((f) => {
    const bytes = readFileSync(f);
    const mid = reportedMessageId(bytes);
    return mid === null ? [] : [{ file: path.relative(CORPUS_DIR, f), bytes, key: normalizeMessageId(mid) }];
  });

  it('the corpus holds reports of every family, the three that slipped the old test among them', () => {
    expect(reports.length).toBeGreaterThan(100);
    for (const f of ['dsn/arf/sisimai-arf-22.eml', 'dsn/sisimai/lhost-kddi-01.eml', 'dsn/sisimai/lhost-sendmail-53.eml']) {
      expect(reports.map((r) => r.file)).toContain(f);
    }
  });

  it('each gets its key', () => {
    const missed = reports.filter((r) => prepareMessage(r.bytes, sha256(r.bytes), false).reportsOn !== r.key).map((r) => r.file);
    expect(missed).toEqual([]);
  });
});
