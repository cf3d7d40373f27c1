// Small synthetic messages for tests (example.test domains; real data lives in ../shared/corpus).
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function tempDir(prefix = 'mailtrail-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function message(n: number, opts: { body?: string; eol?: string } = {}): string {
  const eol = opts.eol ?? '\n';
  return [
    `Received: from mx.sender.test (mx.sender.test [192.0.2.${n}]) by mx.receiver.test (Postfix) with ESMTPS id Q${n} for <bob@receiver.test>; Mon, 2 Nov 2026 10:00:0${n % 10} +0000`,
    `Received: from [198.51.100.7] by mx.sender.test (Postfix) with ESMTPSA id S${n}; Mon, 2 Nov 2026 09:59:5${n % 10} +0000`,
    `Authentication-Results: mx.receiver.test; spf=pass smtp.mailfrom=sender.test`,
    `From: Alice <alice@sender.test>`,
    `To: bob@receiver.test`,
    `Subject: message ${n}`,
    `Date: Mon, 2 Nov 2026 09:59:50 +0000`,
    `Message-ID: <m${n}@sender.test>`,
    '',
    opts.body ?? `body of message ${n}`,
    '',
  ].join(eol);
}

/** An mboxrd file holding these messages (bodies must already be quoted). */
export function mbox(messages: string[]): string {
  return messages.map((m) => `From alice@sender.test Mon Nov  2 10:00:00 2026\n${m}\n`).join('');
}

export function writeFiles(dir: string, files: Record<string, string | Buffer>): void {
  for (const [name, content] of Object.entries(files)) {
    const p = path.join(dir, name);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
}

/**
 * A Sendmail-style bounce from a local MAILER-DAEMON (no domain), not multipart/report, about message(1)
 * (`<m1@sender.test>`, to bob@receiver.test), returned inline after Sendmail's indented marker.
 */
export const LOCAL_DAEMON_BOUNCE = [
  'From: Mail Delivery Subsystem <MAILER-DAEMON>', 'To: <alice@sender.test>', 'Subject: Returned mail: see transcript for details',
  'Date: Mon, 2 Nov 2026 10:05:00 +0000', '',
  '   ----- The following addresses had permanent fatal errors -----', '<bob@receiver.test>',
  '    (reason: 550 5.1.1 <bob@receiver.test>... User unknown)', '',
  '   ----- Original message follows -----', '',
  'From: Alice <alice@sender.test>', 'To: bob@receiver.test', 'Subject: the original', 'Message-ID: <m1@sender.test>', '', 'Hello.', '',
].join('\n');
