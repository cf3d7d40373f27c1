// The mbox adapter on files: fixtures, the shared corpus, and a write-then-read property over temp files.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { ArtifactDigest, ArtifactEvent, RawMessage, ReadOptions, SourceProblem } from '../../src/model/source.js';
import { decodeStoredMessage } from '../../src/sources/mbox-split.js';
import { createMboxAdapter, mboxAdapter } from '../../src/sources/mbox.js';
import { corpusPath, describeCorpus, fixturePath } from '../helpers/corpus.js';

const RD: ReadOptions = { mboxFormat: 'mboxrd', maxMessageBytes: 10 * 1024 * 1024 };

async function read(file: string, opts: ReadOptions = RD, chunkSize?: number) {
  const adapter = chunkSize === undefined ? mboxAdapter : createMboxAdapter({ chunkSize });
  const events: ArtifactEvent[] = [];
  for await (const e of adapter.read({ path: file, kind: 'mbox', folder: null }, opts)) events.push(e);
  const messages: RawMessage[] = [];
  const problems: SourceProblem[] = [];
  const ends: ArtifactDigest[] = [];
  for (const e of events) {
    if (e.type === 'message') messages.push(e.message);
    else if (e.type === 'problem') problems.push(e.problem);
    else ends.push(e.digest);
  }
  expect(events.at(-1)?.type).toBe('end');
  expect(ends).toHaveLength(1);
  return { messages, problems, digest: ends[0]! };
}

/** Every yielded message must be recoverable from the file by its locator alone. */
async function expectLocatorsRecover(file: string, messages: RawMessage[]): Promise<void> {
  const bytes = await readFile(file);
  for (const m of messages) {
    const stored = bytes.subarray(m.locator.offset, m.locator.offset + m.locator.length);
    expect(decodeStoredMessage(stored, m.locator.unquote)).toEqual(m.bytes);
    const before = bytes.subarray(0, m.locator.offset).toString('utf8');
    expect(before.endsWith(`${m.locator.fromLine}\n`) || before.endsWith(`${m.locator.fromLine}\r\n`)).toBe(true);
  }
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

describe('mbox adapter: fixtures', () => {
  const quoted = fixturePath('sources', 'quoted.mboxrd');

  it('splits quoted.mboxrd into 3 messages with exact locators and digest', async () => {
    const { messages, problems, digest } = await read(quoted);
    expect(problems).toEqual([]);
    expect(messages.map((m) => m.locator)).toEqual([
      { index: 1, offset: 49, length: 148, folder: null, fromLine: 'From alice@example.test Mon Jan  5 10:01:00 2026', unquote: 'mboxrd', maildirFlags: null, maildirSubdir: null },
      { index: 2, offset: 246, length: 243, folder: null, fromLine: 'From alice@example.test Mon Jan  5 10:02:00 2026', unquote: 'mboxrd', maildirFlags: null, maildirSubdir: null },
      { index: 3, offset: 538, length: 147, folder: null, fromLine: 'From alice@example.test Mon Jan  5 10:03:00 2026', unquote: 'mboxrd', maildirFlags: null, maildirSubdir: null },
    ]);
    expect(digest).toEqual({ sha256: sha256(quoted), size: statSync(quoted).size, mtime: statSync(quoted).mtime.toISOString() });
    await expectLocatorsRecover(quoted, messages);
  });

  it('un-quotes mboxrd: one > off every ^>+From  line; mid-line >From untouched', async () => {
    const { messages } = await read(quoted);
    const body = messages[1]!.bytes.toString().split('\n\n')[1];
    expect(body).toBe('From the start of a line.\n>From an already-quoted line.\n>>From twice quoted.\nNot >From mid-line.\n');
    // message 3 ends with an empty line of its own: only the separator blank line is removed
    expect(messages[2]!.bytes.toString().endsWith('Bye.\n\n')).toBe(true);
  });

  it('un-quotes mboxo: one > off ^>From  only', async () => {
    const { messages } = await read(quoted, { ...RD, mboxFormat: 'mboxo' });
    const body = messages[1]!.bytes.toString().split('\n\n')[1];
    expect(body).toBe('From the start of a line.\n>>From an already-quoted line.\n>>>From twice quoted.\nNot >From mid-line.\n');
    expect(messages[1]!.locator.unquote).toBe('mboxo');
  });

  it.each([1, 2, 5, 6, 7, 48, 49, 50, 64])('gives identical results with %i-byte read chunks', async (chunk) => {
    const whole = await read(quoted);
    const chunked = await read(quoted, RD, chunk);
    expect(chunked).toEqual(whole);
  });

  it('keeps CRLF line endings and strips only the CRLF separator line', async () => {
    const file = fixturePath('sources', 'crlf.mbox');
    for (const chunk of [undefined, 3]) {
      const { messages, problems } = await read(file, RD, chunk);
      expect(problems).toEqual([]);
      expect(messages).toHaveLength(2);
      expect(messages[0]!.locator.fromLine).toBe('From alice@example.test Mon Jan  5 10:01:00 2026');
      const text = messages[0]!.bytes.toString();
      expect(text.endsWith('Line one.\r\nFrom quoted.\r\n')).toBe(true);
      expect(text.replace(/\r\n/g, '')).not.toContain('\n');
      await expectLocatorsRecover(file, messages);
    }
  });

  it('reports bytes before the first From_ line at byte 0, then reads on', async () => {
    const { messages, problems } = await read(fixturePath('sources', 'leading-garbage.mbox'));
    expect(problems).toEqual([
      { position: 'byte 0', offset: 0, message: 'does not start with a From_ line: bytes 0-45 (46 bytes) before the first From_ line are not part of any message' },
    ]);
    expect(messages.map((m) => [m.locator.index, m.locator.offset])).toEqual([[1, 95]]);
  });

  it('yields a truncated last message and says the file ended mid-line', async () => {
    const file = fixturePath('sources', 'truncated.mbox');
    const { messages, problems } = await read(file, RD, 8);
    expect(messages).toHaveLength(2);
    expect(messages[1]!.bytes.toString().endsWith('This line never en')).toBe(true);
    expect(problems).toEqual([
      { position: 'message #2', offset: statSync(file).size, message: 'file ended mid-line (no final line ending): message #2 may be truncated' },
    ]);
  });

  it('skips a message larger than maxMessageBytes with a problem naming it, and continues', async () => {
    const { messages, problems } = await read(quoted, { ...RD, maxMessageBytes: 200 }, 16);
    expect(messages.map((m) => m.locator.index)).toEqual([1, 3]);
    expect(problems).toEqual([{ position: 'message #2', offset: 246, message: 'message #2 at byte 246 is 243 bytes, more than the limit of 200 bytes: skipped' }]);
  });

  it("a Google Takeout export: each message in the Gmail folder its labels say, only from Takeout's own two fields", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailtrail-takeout-'));
    const msg = (head: string, n: number) => `${head}From: a@x.test\nTo: b@y.test\nSubject: m${n}\nMessage-ID: <m${n}@x.test>\n\nbody ${n}\n`;
    const from = 'From 1786329436123456789@xxx Tue Nov 24 18:30:01 +0000 2026\n';
    const file = path.join(dir, 'All mail Including Spam and Trash.mbox');
    writeFileSync(file, [
      msg('X-GM-THRID: 1786329436123456789\nX-Gmail-Labels: Spam,Category Promotions,Unread\n', 1),
      msg('X-GM-THRID: 1786329436123456790\nX-Gmail-Labels: Inbox,Important,Opened,\n =?UTF-8?Q?Clients/Z=C3=BCrich?=\n', 2),
      msg('X-GM-THRID: 1786329436123456791\nX-Gmail-Labels: Archived,Opened\n', 3),
      // A sender's own X-Gmail-Labels further down is not Takeout's: no folder.
      msg('Received: from mx.x.test by mx.y.test; Tue, 24 Nov 2026 18:30:00 +0000\nX-Gmail-Labels: Inbox\n', 4),
    ].map((m) => from + m).join('\n'));
    try {
      const { messages } = await read(file);
      expect(messages.map((m) => m.locator.folder ?? null)).toEqual(['Junk', 'INBOX', 'All Mail', null]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("Thunderbird's X-Mozilla-Status, written first in each message, is kept as Maildir letters", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mailtrail-mozilla-'));
    const file = path.join(dir, 'Inbox');
    const msg = (status: string, n: number) => `From - Tue Nov 24 18:30:01 2026\n${status}From: a@x.test\nSubject: m${n}\n\nbody ${n}\n`;
    writeFileSync(file, [msg('X-Mozilla-Status: 0009\nX-Mozilla-Status2: 00000000\n', 1), msg('X-Mozilla-Status: 0000\n', 2), msg('', 3)].join('\n'));
    try {
      expect((await read(file)).messages.map((m) => m.locator.maildirFlags)).toEqual(['ST', '', null]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('throws NOT_FOUND for a missing file', async () => {
    await expect(read(fixturePath('sources', 'no-such.mbox'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describeCorpus('mbox adapter: corpus', () => {
  // Counts are the number of `From ` lines in each file (checked by hand with grep -c '^From ').
  const cases: [string, number][] = [
    ['messages/exim-testsuite/test-mail-4510.b10.mbox', 1],
    ['messages/exim-testsuite/test-mail-4560.a.mbox', 8],
    ['messages/exim-testsuite/test-mail-4565.a.mbox', 2],
    ['dsn/exim-testsuite/test-mail-0194.CALLER.mbox', 3],
    ['dsn/exim-testsuite/test-mail-4118.CALLER.mbox', 8],
  ];
  it.each(cases)('%s has %i messages, recoverable by locator, digest = sha256', async (rel, count) => {
    const file = corpusPath(rel);
    const { messages, problems, digest } = await read(file);
    expect(problems).toEqual([]);
    expect(messages).toHaveLength(count);
    expect(messages.map((m) => m.locator.index)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    expect(digest.sha256).toBe(sha256(file));
    expect(digest.size).toBe(statSync(file).size);
    await expectLocatorsRecover(file, messages);
    // Exim appends a blank line after each message: each message ends with exactly one line ending left
    for (const m of messages) expect(m.bytes.subarray(-2).toString()).not.toBe('\n\n');
    expect(await read(file, RD, 13)).toEqual(await read(file));
  });

  it('dkimpy message.mbox (no From_ line at all) is reported, not read as a message', async () => {
    const file = corpusPath('messages/dkimpy/message.mbox');
    const { messages, problems } = await read(file);
    expect(messages).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/^does not start with a From_ line, and no From_ line was found/);
  });
});

describe('mbox adapter: mboxrd write/read round trip (property)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mailtrail-mbox-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const line = fc
    .array(fc.constantFrom('From ', '>From ', '>>From ', 'From', '>', 'x', ' ', '\r', 'é'), { maxLength: 6 })
    .map((parts) => `${parts.join('')}\n`);
  const body = fc.array(line, { maxLength: 8 }).map((ls) => ls.join(''));

  /** mboxrd writer: quote `^>*From ` with one more `>`, blank line after each message. */
  function writeMboxrd(bodies: string[]): Buffer {
    const out = bodies.map((b, i) => `From sender${i}@example.test Mon Jan  5 10:00:00 2026\n${b.replace(/(^|\n)(>*From )/g, '$1>$2')}\n`);
    return Buffer.from(out.join(''), 'utf8');
  }

  it('returns exactly the bodies that were written', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(body, { maxLength: 6 }), fc.integer({ min: 1, max: 40 }), async (bodies, chunk) => {
        const file = path.join(dir, `rt-${n++}.mbox`);
        writeFileSync(file, writeMboxrd(bodies));
        const { messages, problems } = await read(file, RD, chunk);
        rmSync(file);
        // an empty body leaves an empty message, which is reported rather than yielded
        const expected = bodies.map((b, i) => [i + 1, b] as const).filter(([, b]) => b !== '');
        expect(messages.map((m) => [m.locator.index, m.bytes.toString('utf8')])).toEqual(expected);
        expect(problems).toHaveLength(bodies.length - expected.length);
      }),
      { numRuns: 150 },
    );
  });
});
