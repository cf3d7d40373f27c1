// Property tests of report redaction: reports with generated addresses, local parts, IPv4/IPv6 addresses,
// hostnames (dotted and dotless, HELO names), subjects and Message-IDs placed in every kind of field (structured
// values, summaries, claims, timeline details, locators, Maildir and mbox paths, DNS names, caveats, in mixed case)
// must come out with none of them left, still valid against InvestigateReportSchema, identical under one key and
// different under another. Generated values carry a marker (`qu1…`, `qh2…`) that no pseudonym or template text
// contains, so "not found in the output" cannot be a coincidence either way.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvestigateReportSchema, type InvestigateReport } from '../../src/report/investigate.js';
import { redactReport } from '../../src/report/redact.js';

const local = fc.stringMatching(/^qu[0-9][a-z0-9]{2,6}(?:[.+-][a-z0-9]{1,4})?$/);
const label = fc.stringMatching(/^qh[0-9][a-z0-9]{1,6}$/);
const tld = fc.stringMatching(/^q[a-z]{2,3}$/);
const domain = fc.tuple(label, tld).map(([l, t]) => `${l}.${t}`);
const host = fc.tuple(fc.array(label, { minLength: 1, maxLength: 2 }), domain).map(([ls, d]) => `${ls.join('.')}.${d}`);
const dotless = fc.stringMatching(/^qd[0-9][a-z0-9]{1,5}$/);
const subject = fc.array(fc.stringMatching(/^qs[0-9][a-z]{2,6}$/), { minLength: 1, maxLength: 4 }).map((w) => w.join(' '));
const msgLocal = fc.stringMatching(/^qm[0-9][a-z0-9-]{4,12}$/);
const ip6 = fc.ipV6().filter((v) => /[1-9a-f]/i.test(v));

const Pii = fc.record({
  from: fc.tuple(local, domain), to: fc.tuple(local, host), other: fc.tuple(local, domain),
  fromHost: host, relayHost: host, syslogHost: dotless, maildirHost: dotless, helo: dotless,
  ip4: fc.ipV4(), ip4b: fc.ipV4(), ip6, subject, msgid: fc.tuple(msgLocal, host), upper: fc.boolean(),
});
type Pii = typeof Pii extends fc.Arbitrary<infer T> ? T : never;

const addr = ([l, d]: [string, string]): string => `${l}@${d}`;
const ref = (path: string | null, locator: string, claim: string) => ({ sha256: 'a'.repeat(64), kind: 'log' as const, path, locator, claim });

function report(p: Pii): InvestigateReport {
  const from = addr(p.from), to = addr(p.to), other = addr(p.other), mid = `${p.msgid[0]}@${p.msgid[1]}`;
  const shout = (s: string): string => (p.upper ? s.toUpperCase() : s);
  const maildir = `/srv/vmail/${p.to[1]}/${p.to[0]}/Maildir/.Junk/new/1795545012.M868012P24734.${p.maildirHost},S=1783,W=1822:2,S`;
  const mbox = `/home/${p.from[0]}/mail/${from}.mbox`;
  const time = '2026-11-24T18:30:12.000Z';
  return InvestigateReportSchema.parse({
    schemaVersion: 1, tool: { name: 'mailtrail', version: '0.1.0' },
    question: { messageId: `<${shout(mid)}>`, from: shout(from), to, subject: p.subject.split(' ')[0]!, around: time, since: null, until: null },
    message: {
      messageId: `<${mid}>`, from, to: [to, other], subject: `Re: ${p.subject}`, date: time,
      copies: [{ sha256: 'b'.repeat(64), artifactSha256: 'c'.repeat(64), path: maildir, folder: 'Junk', role: 'recipient', locator: `${p.to[0]} INBOX UIDVALIDITY 7 UID 12` }],
    },
    verdicts: {
      sent: { answer: 'yes', stage: 'relayed', confidence: 'proven', summary: `Sent: handed it for ${shout(to)} to ${p.relayHost}[${p.ip4}]:25 at ${time}.`, evidence: [ref(mbox, 'line 14 @ byte 1475', `accepted from ${p.fromHost}[IPv6:${p.ip6}]`)] },
      arrived: { answer: 'yes', outcome: 'delivered', folder: 'Junk', confidence: 'proven', summary: `Arrived: "Re: ${p.subject}" was delivered to <${to}>; see ${maildir}.`, evidence: [ref(maildir, `${p.to[0]} Junk UIDVALIDITY 7 UID 3`, `a copy is in Junk (${p.maildirHost})`)] },
      sender: { answer: 'authenticated', domain: p.from[1], confidence: 'proven', summary: `Sent with the authority of ${shout(p.from[1])}: DKIM (d=${p.from[1]}) and SPF (${p.from[1]} from ${p.ip4b}).`, evidence: [ref(null, 'DNS', `DMARC record for ${p.from[1]} [DNS: TXT _dmarc.${p.from[1]}]`), ref(null, 'header #4 (Received)', `SPF none for HELO ${p.helo.toUpperCase()} (null MAIL FROM)`)] },
    },
    timeline: [
      { time, timeAssumed: true, kind: 'log', source: { sha256: 'a'.repeat(64), path: mbox, locator: 'line 15' }, host: p.syslogHost, event: 'cleanup', status: null, detail: `A83BA1665F6 <${mid}> from=<${from}> client=${p.fromHost}[${p.ip6}]`, delaySeconds: null, skew: [`${p.syslogHost} clock ahead`] },
      { time: null, timeAssumed: false, kind: 'received-header', source: { sha256: 'a'.repeat(64), path: maildir, locator: 'message aaaa header #2 (Received)' }, host: p.relayHost, event: 'Received', status: null, detail: `hop 1 from ${p.helo} [${p.ip4}] by ${p.maildirHost} for ${other} (${shout(p.fromHost)})`, delaySeconds: 0, skew: [] },
    ],
    findings: [{ kind: 'recipient-mistyped', severity: 'high', summary: `Sent to ${shout(other)}, not ${to}; subject "${p.subject}".`, evidence: [] }],
    evidence: [{ sha256: 'a'.repeat(64), kind: 'log', path: `/var/log/${p.relayHost}/mail.log`, cited: true, coverage: { from: time, to: time, gaps: [], timeAssumption: 'year 2026 (--year)' }, side: 'sender' }],
    dns: [{ name: `_dmarc.${p.from[1]}`, type: 'TXT', status: 'answer', source: 'snapshot' }, { name: `sel._domainkey.${p.from[1]}`, type: 'TXT', status: 'answer', source: 'snapshot' }],
    caveats: [`The host ${p.syslogHost} (${p.ip6}) wrote the log; ${p.msgid[1]} too.`],
  });
}

/** Every generated personal value (the kept ones excepted), lower-case, as it must not appear. */
function originals(p: Pii, kept: (d: string) => boolean): string[] {
  const vals = [p.from[0], p.to[0], p.other[0], p.fromHost, p.relayHost, p.syslogHost, p.maildirHost, p.helo, p.ip4, p.ip4b, p.ip6, p.subject, p.subject.split(' ')[0]!, p.msgid[0]];
  for (const d of [p.from[1], p.to[1], p.other[1], p.msgid[1], p.fromHost, p.relayHost]) if (!kept(d)) vals.push(d);
  return vals.map((v) => v.toLowerCase());
}

const KEY_A = new TextEncoder().encode('key A: 0123456789abcdef');
const KEY_B = new TextEncoder().encode('key B: 0123456789abcdef');
const opts = (key: Uint8Array, keepDomains: string[] = []) => ({ key, keepDomains, keepAllDomains: false });

describe('redactReport (property)', () => {
  it('leaves no address, local part, IP, hostname, subject or Message-ID, and the result still validates', () => {
    fc.assert(fc.property(Pii, (p) => {
      const out = redactReport(report(p), opts(KEY_A));
      const text = JSON.stringify(out).toLowerCase();
      for (const v of originals(p, () => false)) expect(text, v).not.toContain(v);
      expect(() => InvestigateReportSchema.parse(out)).not.toThrow();
      expect(out.redaction.keyId).toMatch(/^[0-9a-f]{16}$/);
    }), { numRuns: 100 });
  });

  it('is deterministic under one key and different under another', () => {
    fc.assert(fc.property(Pii, (p) => {
      const a = redactReport(report(p), opts(KEY_A)), a2 = redactReport(report(p), opts(KEY_A)), b = redactReport(report(p), opts(KEY_B));
      expect(JSON.stringify(a2)).toBe(JSON.stringify(a));
      expect(b.message?.from).not.toBe(a.message?.from);
      expect(b.message?.subject).not.toBe(a.message?.subject);
      expect(b.redaction.keyId).not.toBe(a.redaction.keyId);
    }), { numRuns: 40 });
  });

  it('gives one value one pseudonym everywhere, whatever its case', () => {
    fc.assert(fc.property(Pii, (p) => {
      const out = redactReport(report(p), opts(KEY_A));
      const [to, other] = out.message!.to;
      expect(out.question.to).toBe(to);
      expect(out.verdicts.sent.summary).toContain(`for ${to} `);
      expect(out.findings[0]!.summary).toContain(`Sent to ${other},`);
      expect(out.question.from).toBe(out.message!.from);
      expect(out.question.messageId).toBe(out.message!.messageId);
      expect(out.timeline[0]!.detail).toContain(out.message!.messageId!);
      expect(out.verdicts.sender.summary).toContain(`authority of ${out.verdicts.sender.domain}:`);
      expect(out.dns[0]!.name).toBe(`_dmarc.${out.verdicts.sender.domain}`);
      const maildirHost = /\.M868012P24734\.([^,]+),/.exec(out.message!.copies[0]!.path)?.[1];
      expect(maildirHost).toMatch(/^host-[0-9a-f]{8}$/);
      expect(out.verdicts.arrived.evidence[0]!.claim).toContain(`(${maildirHost})`);
      expect(out.timeline[1]!.detail).toContain(`by ${maildirHost} `);
      expect(out.message!.copies[0]!.locator).toBe(`${to!.split('@')[0]} INBOX UIDVALIDITY 7 UID 12`);
      expect(out.caveats[0]).toContain(out.timeline[0]!.host!);
    }), { numRuns: 40 });
  });

  it('keeps a kept domain (and its subdomains) but still replaces the local parts there', () => {
    fc.assert(fc.property(Pii, (p) => {
      const keep = p.to[1].split('.').slice(-2).join('.');
      const kept = (d: string): boolean => d === keep || d.endsWith(`.${keep}`);
      const out = redactReport(report(p), opts(KEY_A, [keep.toUpperCase()]));
      const text = JSON.stringify(out).toLowerCase();
      expect(out.message!.to[0]).toMatch(new RegExp(`^user-[0-9a-f]{8}@${p.to[1].replace(/\./g, '\\.')}$`));
      for (const v of originals(p, kept)) if (!kept(v) && !(keep.includes(v) || v.includes(keep))) expect(text, v).not.toContain(v);
      expect(out.redaction.keptDomains).toEqual([keep]);
    }), { numRuns: 40 });
  });
});
