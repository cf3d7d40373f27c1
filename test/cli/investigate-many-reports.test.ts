// A store holding many reports: a postmaster mailbox of 600 bounces about other messages, and one about the
// message in question. Reports are found through the key ingest records (messages.reports_on), so the one that
// matters is linked however many others there are; before, investigate read at most 500 report-like messages
// dated near the message, in sha256 order, and missed it when its sha256 sorted late. Messages stored before that
// key existed (reports_on NULL) are still read the old way.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.js';
import { InvestigateReportSchema } from '../../src/report/investigate.js';
import { runCli, expectCleanStderr } from '../helpers/cli.js';
import { message, mbox, tempDir } from '../helpers/mail.js';

/** An RFC 3464 bounce about `<mid>` for `rcpt`, returning the original's headers; `salt` varies its bytes. */
function bounce(mid: string, rcpt: string, salt: number): string {
  return [
    'From: MAILER-DAEMON@mx.sender.test (Mail Delivery System)', 'To: alice@sender.test', 'Subject: Undelivered Mail Returned to Sender',
    'Date: Mon, 2 Nov 2026 10:05:00 +0000', `Message-ID: <bounce-${salt}@mx.sender.test>`, 'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B"', '',
    '--B', 'Content-Type: text/plain', '', `The mail system could not deliver to <${rcpt}> (${salt}).`, '',
    '--B', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.sender.test', '',
    `Final-Recipient: rfc822; ${rcpt}`, 'Action: failed', 'Status: 5.1.1', 'Diagnostic-Code: smtp; 550 5.1.1 no such user', '',
    '--B', 'Content-Type: text/rfc822-headers', '', 'From: Alice <alice@sender.test>', `To: ${rcpt}`, `Message-ID: ${mid}`, '',
    '--B--', '',
  ].join('\n');
}

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('investigate with many reports in the store', () => {
  const dir = tempDir('mailtrail-many-reports-');
  const target = message(1); // Message-ID <m1@sender.test>, to bob@receiver.test
  // The bounce about it, made to sort after every other one by sha256 (what the old read order was).
  let salt = 0;
  while (!sha(`${bounce('<m1@sender.test>', 'bob@receiver.test', salt)}\n`).startsWith('ff')) salt++;
  const ours = bounce('<m1@sender.test>', 'bob@receiver.test', salt);
  const others = Array.from({ length: 600 }, (_, i) => bounce(`<other-${i}@sender.test>`, `user${i}@receiver.test`, 100_000 + i));
  writeFileSync(path.join(dir, 'postmaster.mbox'), mbox([...others, ours]));
  writeFileSync(path.join(dir, 'original.eml'), target);
  const ask = (db: string) => runCli(['--db', db, 'investigate', '--offline', '--message-id', '<m1@sender.test>', '--json']);

  it('links the one bounce about the message among 600 about others', () => {
    const db = path.join(dir, 'store.db');
    const ing = runCli(['--db', db, 'ingest', dir]);
    expect(ing.code, ing.stderr).toBe(0);
    const r = ask(db);
    expectCleanStderr(r.stderr);
    expect(r.code, r.stderr).toBe(0);
    const doc = InvestigateReportSchema.parse(JSON.parse(r.stdout));
    expect(doc.verdicts.arrived).toMatchObject({ answer: 'no', outcome: 'bounced' });
    expect(doc.findings.filter((f) => f.kind === 'bounce')).toHaveLength(1);
  });

  it('a store written before reports were indexed is still read the old way', () => {
    const db = path.join(dir, 'old.db');
    runCli(['--db', db, 'ingest', path.join(dir, 'original.eml')]);
    writeFileSync(`${dir}/one-bounce.eml`, ours);
    expect(runCli(['--db', db, 'ingest', `${dir}/one-bounce.eml`]).code).toBe(0);
    const store = openStore(db);
    store.prepare('UPDATE messages SET reports_on = NULL').run();
    store.close();
    const doc = InvestigateReportSchema.parse(JSON.parse(ask(db).stdout));
    expect(doc.verdicts.arrived).toMatchObject({ answer: 'no', outcome: 'bounced' });
  });
});
