// Genuine Exim output from Exim's own test suite (logs/exim/exim-testsuite/test-log-*.log; munged by the suite:
// `ip4.ip4.ip4.ip4`, `S=sss`, `PORT_D`). Each file holds a client and a server half, so the server-to-server link
// can be checked: the client's `=> … C="250 OK id=X"` must name a message the server logged as `X <= …`.
import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import type { LogEvent } from '../../../src/model/log-event.js';
import { parseEximLine } from '../../../src/parse/logs/exim.js';
import { corpusPath, describeCorpus } from '../../helpers/corpus.js';

const DIR = corpusPath('logs', 'exim', 'exim-testsuite');

function parseFile(f: string): { lines: string[]; events: Array<LogEvent | null> } {
  const lines = readFileSync(`${DIR}/${f}`, 'utf8').split('\n');
  const events = lines.map((l, i) => parseEximLine(l, { line: i + 1, offset: 0, tz: 0 }));
  return { lines, events };
}

describeCorpus('Exim test-suite logs', () => {
  const files = HAS() ? readdirSync(DIR).filter((f) => f.endsWith('.log')).sort() : [];

  it('has the 14 sample logs', () => expect(files.length).toBe(14));

  it('maps every delivery marker to its status, with the 23-character queue id', () => {
    const want: Record<string, string> = { '<=': 'received', '=>': '', '**': 'bounced', '==': 'deferred' };
    let n = 0;
    for (const f of files) {
      const { lines, events } = parseFile(f);
      lines.forEach((l, i) => {
        const m = / (<=|=>|\*\*|==) /.exec(l);
        if (!m || !/^\S+ \S+ \w{6}-\w{11}-\w{4} /.test(l)) return;
        const e = events[i];
        expect(e?.queueId, l).toMatch(/^\w{6}-\w{11}-\w{4}$/);
        const s = want[m[1] ?? ''];
        if (s === '') expect(['sent', 'delivered'], l).toContain(e?.status);
        else expect(e?.status, l).toBe(s);
        expect(e?.time).toBe('1999-03-02T09:44:33.000Z');
        n++;
      });
      lines.forEach((l, i) => { if (/ Completed$/.test(l)) expect(events[i]?.status).toBe('removed'); });
    }
    expect(n).toBeGreaterThan(140);
  });

  it('links the client\'s C="250 OK id=X" to the server\'s own `X <=` line', () => {
    let links = 0;
    for (const f of files) {
      const { events } = parseFile(f);
      const received = new Set(events.filter((e) => e?.status === 'received').map((e) => e?.queueId));
      for (const e of events) {
        if (e?.status !== 'sent' || e.reply === null || !e.reply.includes('id=')) continue;
        expect(e.remoteQueueId, `${f}:${e.line}`).toMatch(/^\w{6}-\w{11}-\w{4}$/);
        expect(received.has(e.remoteQueueId), `${f}:${e.line} ${e.remoteQueueId}`).toBe(true);
        links++;
      }
    }
    expect(links).toBeGreaterThan(20);
  });

  it('reads the arrival fields: sender, client, protocol size and Message-ID', () => {
    const { lines, events } = parseFile('test-log-2010.log');
    const i = lines.findIndex((l) => l.includes('10HmaY-000000005vi-0000 <= CALLER@myhost.test.ex H='));
    expect(events[i]).toMatchObject({
      status: 'received', from: 'CALLER@myhost.test.ex', queueId: '10HmaY-000000005vi-0000',
      client: { host: 'the.local.host.name', ip: 'ip4.ip4.ip4.ip4', port: null },
      messageId: 'E10HmaX-000000005vi-0000@myhost.test.ex', size: null,
    });
  });

  it('reads a refused recipient with a quoted local part holding spaces as one address, with the ACL\'s reply', () => {
    // test-log-0027: `rejected RCPT <"deny verify = junk"@test.ex>: …` was cut at the first space (`"deny`) and then
    // reported as a cut line, and the reply began inside the address.
    const { lines, events } = parseFile('test-log-0027.log');
    const i = lines.findIndex((l) => l.includes('RCPT <"deny !message = abcd"@test.ex>'));
    expect(events[i]).toMatchObject({ status: 'rejected', to: '"deny !message = abcd"@test.ex', reply: 'ACL error: negation is not allowed with "message"' });
    for (const e of events) if (e?.to != null) expect(e.to.startsWith('<'), `line ${e.line}`).toBe(false);
  });

  it('reads a bounce arrival as naming the original (R=) and a failure as bounced', () => {
    const { lines, events } = parseFile('test-log-0032.log');
    const bounce = lines.findIndex((l) => l.includes('<= <> R=10HmaX'));
    expect(events[bounce]).toMatchObject({ from: '', relatedQueueId: '10HmaX-000000005vi-0000', status: 'received' });
    const fail = lines.findIndex((l) => l.includes('** userx@mxt1.test.ex'));
    expect(events[fail]).toMatchObject({ to: 'userx@mxt1.test.ex', status: 'bounced', reply: 'lowest numbered MX record points to local host' });
  });
});

function HAS(): boolean {
  try { readdirSync(DIR); return true; } catch { return false; }
}
