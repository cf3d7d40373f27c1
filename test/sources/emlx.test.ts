// Apple Mail's .emlx files: detected by their length line, the message located by offset and length (so its sha256
// can be re-checked from the file), the folder from the Folder.mbox directories above, a .partial.emlx kept as
// headers only, and a file cut short or without its length line reported.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ArtifactEvent } from '../../src/model/source.js';
import { emlxAdapter, emlxFlags, looksLikeEmlx } from '../../src/sources/emlx.js';
import { detectKind } from '../../src/sources/registry.js';
import { expandInputs } from '../../src/sources/walk.js';
import { openStore } from '../../src/store/db.js';
import { startRun } from '../../src/store/journal.js';
import { ingest } from '../../src/ingest/ingest.js';
import { realIngestPorts } from '../../src/cli/ingest-ports.js';
import { message } from '../helpers/mail.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'mailtrail-emlx-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const PLIST = '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict><key>flags</key><integer>8590195713</integer></dict></plist>\n';
const emlx = (msg: string | Buffer, declared?: number): Buffer => {
  const m = Buffer.from(msg);
  return Buffer.concat([Buffer.from(`${declared ?? m.length}\n`), m, Buffer.from(PLIST)]);
};
function put(rel: string, bytes: Buffer): string {
  const f = path.join(root, rel);
  mkdirSync(path.dirname(f), { recursive: true });
  writeFileSync(f, bytes);
  return f;
}
async function read(file: string): Promise<ArtifactEvent[]> {
  const out: ArtifactEvent[] = [];
  for await (const e of emlxAdapter.read({ path: file, kind: 'emlx', folder: null }, { mboxFormat: 'mboxrd', maxMessageBytes: 1 << 20 })) out.push(e);
  return out;
}
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('emlx', () => {
  it('is detected by its length line before a header block, and a plain message is not one', () => {
    expect(looksLikeEmlx(emlx(message(1)))).toBe(true);
    expect(detectKind('7.emlx', emlx(message(1)))).toBe('emlx');
    expect(detectKind('7.eml', Buffer.from(message(1)))).toBe('eml');
    expect(looksLikeEmlx(Buffer.from('1234\nnot a header line\n'))).toBe(false);
  });

  it('reads the message at its offset and length; its bytes hash as the file says', async () => {
    const file = put('Mail/V10/A/INBOX.mbox/U/Data/1/Messages/7.emlx', emlx(message(1)));
    const [ev] = await read(file);
    expect(ev?.type).toBe('message');
    if (ev?.type !== 'message') return;
    const { offset, length } = ev.message.locator;
    expect(ev.message.bytes.toString()).toBe(message(1));
    expect(sha(readFileSync(file).subarray(offset, offset + length))).toBe(sha(Buffer.from(message(1))));
    expect(ev.message.headersOnly).toBeUndefined();
  });

  it("keeps Apple Mail's flags as Maildir letters: read S, answered R, flagged F, deleted T, draft D, forwarded P", async () => {
    const f = (n: number | string) => emlxFlags(`<plist><dict><key>flags</key>\n\t<integer>${n}</integer></dict></plist>`);
    expect(f(1)).toBe('S');
    expect(f(1 + 4 + 16)).toBe('FRS');
    expect(f(2 + 64 + 256)).toBe('DPT');
    expect(f(0)).toBe('');
    expect(f('8590195713')).toBe('S'); // read, with attachment-count and higher bits set
    expect(emlxFlags('<plist><dict></dict></plist>')).toBeNull();
    const [ev] = await read(put('flags/11.emlx', emlx(message(5))));
    expect(ev?.type === 'message' && ev.message.locator.maildirFlags).toBe('S');
  });

  it('a file that ends before the length it declares is read as far as it goes, and said to be cut short', async () => {
    const file = put('cut/8.emlx', emlx(message(2), 99999).subarray(0, 200));
    const evs = await read(file);
    expect(evs.map((e) => e.type)).toEqual(['problem', 'message', 'end']);
    expect(evs[0]).toMatchObject({ problem: { message: expect.stringMatching(/^the file ends \d+ bytes before the message length its first line gives \(99999\): cut short$/) } });
  });

  it('the folder is the Folder.mbox above it; a .partial.emlx is stored as headers only', async () => {
    const full = put('Mail/V10/A/Work.mbox/Reports.mbox/U/Data/Messages/9.emlx', emlx(message(3)));
    const part = put('Mail/V10/A/Junk.mbox/U/Data/Messages/10.partial.emlx', emlx(message(4)));
    put('Mail/V10/A/Junk.mbox/Info.plist', Buffer.from(PLIST));
    const items = [];
    for await (const i of expandInputs([path.join(root, 'Mail')])) items.push(i);
    const arts = items.flatMap((i) => (i.type === 'artifact' ? [[path.relative(root, i.input.path), i.input.kind, i.input.folder]] : []));
    expect(arts).toEqual(expect.arrayContaining([
      [path.relative(root, full), 'emlx', 'Work/Reports'],
      [path.relative(root, part), 'emlx', 'Junk'],
      ['Mail/V10/A/INBOX.mbox/U/Data/1/Messages/7.emlx', 'emlx', 'INBOX'],
    ]));
    expect(items.some((i) => i.type === 'problem')).toBe(false); // Info.plist is Apple Mail's, passed over

    const db = openStore(path.join(root, 'e.db'));
    const runId = startRun(db, { at: '2026-11-24T00:00:00.000Z', command: 'test', args: [], toolVersion: 'test' });
    await ingest([full, part], { headersOnly: false, mboxFormat: 'mboxrd', maxMessageBytes: 1 << 20 }, realIngestPorts(db, { runId, toolVersion: 'test' }));
    expect(db.prepare('SELECT m.stored, l.folder FROM messages m JOIN locations l ON l.message_id = m.id ORDER BY l.folder').all())
      .toEqual([{ stored: 'headers', folder: 'Junk' }, { stored: 'full', folder: 'Work/Reports' }]);
    db.close();
  });
});
