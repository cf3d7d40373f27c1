// fluent-plugin-sendmail's sample (data.log) and its expected merged records (one per delivery attempt: the
// arrival's from/msgid/relay merged into each `to=` line). We parse each line alone and merge by queue id here.
// The expected epoch times put `Apr  2 00:15:25` at 2016-04-01T15:15:25Z: the sample was written in UTC+9, so
// ctx.tz is the IANA zone Asia/Tokyo (exercising the Intl path) and ctx.year 2016.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import type { LogEvent } from '../../../src/model/log-event.js';
import { parseSendmailLine } from '../../../src/parse/logs/sendmail.js';
import { corpusPath, describeCorpus } from '../../helpers/corpus.js';

const DIR = corpusPath('logs', 'sendmail', 'fluent-plugin-sendmail');

interface Expected {
  time: number; qid: string; from: string; msgid: string; size: string; nrcpts: string;
  relay_from: { ip: string; host: string | null }; status_canonical: string; to: string[]; dsn: string; stat: string;
  relay_to?: { ip: string; host: string | null }; delay_in_sec: number; mailer: string;
}

const STATUS: Record<string, string> = { sent: 'sent', sent_local: 'delivered', deferred: 'deferred' };
const strip = (a: string): string => a.replace(/^<(.*)>$/, '$1');

describeCorpus('fluent-plugin-sendmail sample', () => {
  it('agrees with every expected delivery record', () => {
    const lines = readFileSync(`${DIR}/data.log`, 'utf8').split('\n').filter((l) => l !== '');
    const events = lines.map((l, i) => parseSendmailLine(l, { line: i + 1, offset: 0, year: 2016, tz: 'Asia/Tokyo', tzSource: 'test' }));
    expect(events.every((e) => e !== null)).toBe(true);
    const evs = events as LogEvent[];
    const expected = readFileSync(`${DIR}/result.expected.jsonl`, 'utf8').split('\n').filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Expected);
    expect(expected.length).toBe(6);
    for (const x of expected) {
      const arrival = evs.find((e) => e.queueId === x.qid && e.status === 'received');
      const d = evs.find((e) => e.queueId === x.qid && e.to === x.to.map(strip).join(',') && e.time === new Date(x.time * 1000).toISOString());
      expect(d, JSON.stringify(x.to)).toBeDefined();
      expect(arrival).toBeDefined();
      if (!d || !arrival) continue;
      expect({
        status: d.status, dsn: d.dsn, relayIp: d.relay?.ip ?? null, delay: d.delay, detail: d.detail,
        from: arrival.from, messageId: arrival.messageId, clientIp: arrival.client?.ip, size: arrival.size, nrcpt: arrival.nrcpt,
      }).toEqual({
        status: STATUS[x.status_canonical], dsn: x.dsn, relayIp: x.relay_to?.ip ?? null, delay: x.delay_in_sec, detail: `mailer=${x.mailer}`,
        from: strip(x.from), messageId: strip(x.msgid), clientIp: x.relay_from.ip, size: Number(x.size), nrcpt: Number(x.nrcpts),
      });
      if (x.stat.startsWith('Sent (')) expect(d.reply).toBe(x.stat.slice(6, -1));
      if (x.stat.startsWith('Deferred: ')) expect(d.reply).toBe(x.stat.slice(10));
    }
  });

  it('reads the remote id from `Sent (ok:  Message N accepted)` and marks the zone as assumed', () => {
    const line = readFileSync(`${DIR}/data.log`, 'utf8').split('\n')[3] ?? '';
    const e = parseSendmailLine(line, { line: 4, offset: 0, year: 2016, tz: 'Asia/Tokyo', tzSource: '--tz', yearSource: '--year' });
    expect(e).toMatchObject({
      remoteQueueId: '40279894', status: 'sent', to: 'sent1@example.com,sent2@example.com',
      time: '2016-04-01T15:15:25.000Z', timeBasis: 'assumed-year-and-zone',
      timeAssumption: 'year 2016 (--year), zone Asia/Tokyo (--tz)',
    });
  });
});
