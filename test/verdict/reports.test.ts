// unnamedReport on the real reports of the delivered-with-receipts lab case (Postfix's success DSN, the read
// receipt), as written and with the line that names their message taken out.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportedMessageId, unnamedReport } from '../../src/verdict/reports.js';
import { fixturePath } from '../helpers/corpus.js';

const dir = fixturePath('cases', 'delivered-with-receipts', 'sender', 'Maildir', 'new');
const files = readdirSync(dir).sort().map((f) => readFileSync(path.join(dir, f), 'latin1'));
const mdn = files.find((t) => t.includes('report-type=disposition-notification'))!;
const dsn = files.find((t) => t.includes('report-type=delivery-status'))!;
const without = (text: string, re: RegExp): Buffer => {
  expect(text).toMatch(re);
  return Buffer.from(text.replace(re, ''), 'latin1');
};

describe('unnamedReport', () => {
  it('a report that names its message is not unnamed', () => {
    for (const t of [mdn, dsn]) {
      expect(reportedMessageId(Buffer.from(t, 'latin1'))).toBe('<494526df-1961-4e8b-9935-f326aeb0f9c5@sender.test>');
      expect(unnamedReport(Buffer.from(t, 'latin1'), 'alice@sender.test')).toBeNull();
    }
  });
  it('a read receipt without Original-Message-ID: who got the receipt, whose client sent it, when', () => {
    const b = without(mdn, /^Original-Message-ID: .*\r?\n/im);
    expect(unnamedReport(b, 'alice@sender.test')).toEqual({ kind: 'read receipt', from: 'alice@sender.test', to: 'bob@receiver.test', around: expect.stringMatching(/^2026-12-03T21:40:1\d\.000Z$/) });
  });
  it('a success DSN whose returned message lost its Message-ID: its From (not who got the report), the recipient, the arrival', () => {
    const b = without(dsn, /^Message-ID: <494526df[^\n]*\n/im);
    expect(unnamedReport(b, 'someone@else.test')).toEqual({ kind: 'delivery notification', from: 'alice@sender.test', to: 'bob@receiver.test', around: '2026-12-03T21:40:12.000Z' });
  });
  it('an ordinary message is no report', () => {
    expect(unnamedReport(Buffer.from('From: a@x.test\r\nSubject: hi\r\n\r\nbody\r\n'), null)).toBeNull();
  });
});
