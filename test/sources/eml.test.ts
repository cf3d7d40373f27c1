// Single-message adapters (eml, Maildir file), stdin, content detection and the registry.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ArtifactEvent, ArtifactInput, ReadOptions } from '../../src/model/source.js';
import { createEmlAdapter, emlAdapter, looksLikeMessage } from '../../src/sources/eml.js';
import { maildirAdapter, parseMaildirFlags } from '../../src/sources/maildir.js';
import { looksLikeMbox } from '../../src/sources/mbox.js';
import { SOURCE_ADAPTERS, detectKind, getAdapter } from '../../src/sources/registry.js';
import { corpusPath, describeCorpus, fixturePath } from '../helpers/corpus.js';

const OPTS: ReadOptions = { mboxFormat: 'mboxrd', maxMessageBytes: 1024 * 1024 };

async function collect(it: AsyncIterable<ArtifactEvent>): Promise<ArtifactEvent[]> {
  const out: ArtifactEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}

describe('eml adapter', () => {
  const file = fixturePath('sources', 'simple.eml');
  const input: ArtifactInput = { path: file, kind: 'eml', folder: null };

  it('yields the file as one message, bytes untouched, then the digest', async () => {
    const bytes = readFileSync(file);
    const st = statSync(file);
    expect(await collect(emlAdapter.read(input, OPTS))).toEqual([
      {
        type: 'message',
        message: {
          bytes,
          locator: { index: 1, offset: 0, length: bytes.length, folder: null, fromLine: null, unquote: 'none', maildirFlags: null, maildirSubdir: null },
        },
      },
      { type: 'end', digest: { sha256: createHash('sha256').update(bytes).digest('hex'), size: st.size, mtime: st.mtime.toISOString() } },
    ]);
  });

  it('skips a message over maxMessageBytes but still digests the file', async () => {
    const events = await collect(createEmlAdapter({ chunkSize: 16 }).read(input, { ...OPTS, maxMessageBytes: 50 }));
    expect(events.map((e) => e.type)).toEqual(['problem', 'end']);
    expect(events[1]).toMatchObject({ digest: { size: statSync(file).size } });
  });

  it('reads stdin for `-`, with mtime null', async () => {
    const chunks = [Buffer.from('Subject: piped\n'), 'From: a@example.test\n\nbody\n'];
    const adapter = createEmlAdapter({ stdin: async function* () { yield* chunks; } });
    const events = await collect(adapter.read({ path: '-', kind: 'eml', folder: null }, OPTS));
    const text = 'Subject: piped\nFrom: a@example.test\n\nbody\n';
    expect(events).toEqual([
      { type: 'message', message: expect.objectContaining({ bytes: Buffer.from(text) }) },
      { type: 'end', digest: { sha256: createHash('sha256').update(text).digest('hex'), size: text.length, mtime: null } },
    ]);
  });

  it('throws NOT_FOUND when the file does not exist', async () => {
    await expect(collect(emlAdapter.read({ ...input, path: fixturePath('sources', 'nope.eml') }, OPTS))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('throws BAD_INPUT for a directory', async () => {
    await expect(collect(emlAdapter.read({ ...input, path: fixturePath('sources') }, OPTS))).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});

describe('maildir adapter', () => {
  it.each([
    ['1767607320.M2P100.host.example.test:2,FRS', 'FRS'],
    ['1767607570.M7P100.host.example.test!2,T', 'T'],
    ['1767607550.M5P100.host.example.test:2,', ''],
    ['1767607380.M3P100.host.example.test', null],
    ['odd:name:2,S', 'S'],
  ])('flags of %s = %j', (name, flags) => {
    expect(parseMaildirFlags(name)).toBe(flags);
  });

  it('fills folder, subdir and flags in the locator', async () => {
    const p = fixturePath('sources', 'Maildir', 'cur', '1767607320.M2P100.host.example.test:2,FRS');
    const events = await collect(maildirAdapter.read({ path: p, kind: 'maildir', folder: 'INBOX' }, OPTS));
    expect(events[0]).toMatchObject({
      type: 'message',
      message: { locator: { index: 1, offset: 0, folder: 'INBOX', maildirSubdir: 'cur', maildirFlags: 'FRS', unquote: 'none', fromLine: null } },
    });
  });
});

describe('detection', () => {
  const head = (s: string) => Buffer.from(s, 'latin1');
  it.each([
    ['From alice@example.test Mon Jan  5 10:01:00 2026\nFrom: x\n', 'mbox'],
    ['Return-Path: <a@example.test>\nDelivered-To: b@example.test\n\nbody', 'eml'],
    ['Received: from a\n\tby b; Mon, 5 Jan 2026\nSubject: x\n', 'eml'],
    ['Subject: CR only\rFrom: a@example.test\r\rbody', 'eml'],
    ['\ufeffSubject: BOM\nFrom: a\n\n', 'eml'],
    ['  \nDelivered-To: a@example.test\nReceived: by x\n', 'eml'],
    ['Shopping list\n- eggs\n', null],
    ['Note: a sentence\nthat goes on like prose\n', null],
    ['EHLO server.example.test\r\nMAIL FROM:<a@example.test>\r\n', null],
    ['{"json": true}\n', null],
    ['\x00\x00\x00\x01Bud1', null],
    ['', null],
  ])('%j -> %s', (text, kind) => {
    const h = text.startsWith('\ufeff') ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), head(text.slice(1))]) : head(text);
    expect(detectKind('x', h)).toBe(kind);
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (b) => {
        const buf = Buffer.from(b);
        looksLikeMessage(buf);
        looksLikeMbox(buf);
      }),
    );
  });
});

describe('registry', () => {
  it('holds eml, emlx, mbox and maildir, and the log kinds (issue 4)', () => {
    expect([...SOURCE_ADAPTERS.keys()].sort()).toEqual(['dovecot', 'eml', 'emlx', 'exchange', 'exim', 'gws', 'log', 'm365', 'maildir', 'mbox', 'postfix', 'sendmail']);
    for (const [k, a] of SOURCE_ADAPTERS) expect(a.kind).toBe(k);
  });
  it('throws FORMAT_UNKNOWN for an unknown kind', () => {
    expect(() => getAdapter('pst')).toThrow(expect.objectContaining({ code: 'FORMAT_UNKNOWN' }));
  });
});

describeCorpus('eml adapter: corpus', () => {
  // CR-only and CRLF files come through byte for byte; line endings are never rewritten.
  it.each([
    'dsn/sisimai-cr-only/lhost-postfix-01.eml',
    'dsn/sisimai-crlf/lhost-office365-01.eml',
    'messages/dkimpy/test2.message',
    'messages/flanker/iphone.eml',
  ])('%s is detected as eml and read unchanged', async (rel) => {
    const file = corpusPath(rel);
    const bytes = readFileSync(file);
    expect(detectKind(rel, bytes.subarray(0, 4096))).toBe('eml');
    const events = await collect(emlAdapter.read({ path: file, kind: 'eml', folder: null }, { ...OPTS, maxMessageBytes: 10 << 20 }));
    expect(events[0]).toMatchObject({ type: 'message', message: { bytes } });
    expect(events).toHaveLength(2);
  });
});
