// Report redaction by example: the pseudonym scheme (typed, keyed, case-normalised, IPv6 spellings alike), what
// is kept (kept domains and their subdomains only, role accounts, DNS service labels, file names, protocol
// words), what is refused (a short key, an already redacted report) and members beyond the schema.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvestigateReportSchema, type InvestigateReport } from '../../src/report/investigate.js';
import { redactNote, redactReport, redactionKeyId } from '../../src/report/redact.js';

const KEY = new TextEncoder().encode('correct horse battery staple');
const OTHER = new TextEncoder().encode('another key, also long enough');
const opts = (o: { keepDomains?: string[]; keepAllDomains?: boolean; key?: Uint8Array } = {}) => ({ key: o.key ?? KEY, keepDomains: o.keepDomains ?? [], keepAllDomains: o.keepAllDomains ?? false });

function report(summary: string, more: Partial<InvestigateReport> = {}): InvestigateReport {
  const verdict = { confidence: 'weak' as const, summary, evidence: [] };
  return InvestigateReportSchema.parse({
    schemaVersion: 1, tool: { name: 'mailtrail', version: '0.1.0' },
    question: { messageId: null, from: 'Bob@Example.COM', to: 'carol@mx.other.test', subject: null, around: null, since: null, until: null },
    message: null,
    verdicts: { sent: { answer: 'yes', stage: 'accepted', ...verdict }, arrived: { answer: 'undetermined', outcome: 'not-found', folder: null, ...verdict }, sender: { answer: 'unverified', domain: 'example.com', ...verdict } },
    timeline: [], findings: [], evidence: [], dns: [], caveats: [], ...more,
  });
}
const sent = (r: InvestigateReport): string => r.verdicts.sent.summary;

describe('redactReport', () => {
  it('writes typed pseudonyms and maps one address alike whatever its case', () => {
    const out = redactReport(report('from bob@example.com and BOB@EXAMPLE.COM via mx.example.com'), opts());
    const from = out.question.from!;
    expect(from).toMatch(/^user-[0-9a-f]{8}@domain-[0-9a-f]{8}$/);
    expect(sent(out)).toBe(`from ${from} and ${from} via host-${sent(out).split('host-')[1]!.split('.')[0]}.${from.split('@')[1]}`);
    expect(out.verdicts.sender.domain).toBe(from.split('@')[1]);
  });

  it('maps every spelling of one IPv6 address to one pseudonym, and keeps the IPv6: tag and ports', () => {
    const out = sent(redactReport(report('a 2001:DB8::1 b 2001:db8:0:0:0:0:0:1 c [IPv6:2001:db8::1] d 192.0.2.7[192.0.2.7]:25 at 18:30:12'), opts()));
    const m = /^a (ip-[0-9a-f]{8}) b (ip-[0-9a-f]{8}) c \[IPv6:(ip-[0-9a-f]{8})\] d (ip-[0-9a-f]{8})\[(ip-[0-9a-f]{8})\]:25 at 18:30:12$/.exec(out);
    expect(m, out).not.toBeNull();
    expect(new Set([m![1], m![2], m![3]]).size).toBe(1);
    expect(m![4]).toBe(m![5]);
    expect(m![4]).not.toBe(m![1]);
  });

  it('records the method and a key id (sha256 prefix of the key), and adds a caveat', () => {
    const out = redactReport(report('x'), opts({ keepDomains: ['Example.com', 'example.com'] }));
    const id = createHash('sha256').update(KEY).digest('hex').slice(0, 16);
    expect(out.redaction).toEqual({ method: 'hmac-sha256', keyId: id, keptDomains: ['example.com'], keepAllDomains: false });
    expect(redactionKeyId(KEY)).toBe(id);
    expect(out.caveats.at(-1)).toContain(`key id ${id}`);
  });

  it('gives other pseudonyms and another key id under another key', () => {
    const a = redactReport(report('bob@example.com'), opts()), b = redactReport(report('bob@example.com'), opts({ key: OTHER }));
    expect(b.question.from).not.toBe(a.question.from);
    expect(b.redaction.keyId).not.toBe(a.redaction.keyId);
  });

  it('keeps a kept domain and its subdomains, not a name that merely ends the same way', () => {
    const out = redactReport(report('mx.example.com, example.com, notexample.com, mx.other.test'), opts({ keepDomains: ['example.com'] }));
    expect(out.question.from).toMatch(/^user-[0-9a-f]{8}@example\.com$/);
    expect(sent(out)).toMatch(/^mx\.example\.com, example\.com, domain-[0-9a-f]{8}, host-[0-9a-f]{8}\.domain-[0-9a-f]{8}$/);
  });

  it('--keep-all-domains keeps every name but replaces local parts, IPs and subjects', () => {
    const out = redactReport(report('carol@mx.other.test from 10.1.2.3 via mx.example.com'), opts({ keepAllDomains: true }));
    expect(sent(out)).toMatch(/^user-[0-9a-f]{8}@mx\.other\.test from ip-[0-9a-f]{8} via mx\.example\.com$/);
  });

  it('keeps DNS service labels, role accounts, protocol words and file names', () => {
    const out = redactReport(report('MAILER-DAEMON@mx.example.com unknown[10.0.0.1] header.from=example.com smtp.mailfrom dsn=2.0.0 delay=0.18s see /var/log/mail.log and /var/log/mx.example.com.log.gz', {
      dns: [{ name: '_dmarc.example.com', type: 'TXT', status: 'answer', source: 'snapshot' }, { name: 'sel._domainkey.Example.com.', type: 'TXT', status: 'answer', source: 'snapshot' }],
    }), opts());
    const d = out.verdicts.sender.domain!;
    expect(sent(out)).toMatch(new RegExp(`^mailer-daemon@host-[0-9a-f]{8}\\.${d} unknown\\[ip-[0-9a-f]{8}\\] header\\.from=${d} smtp\\.mailfrom dsn=2\\.0\\.0 delay=0\\.18s see /var/log/mail\\.log and /var/log/host-[0-9a-f]{8}\\.${d}\\.log\\.gz$`));
    expect(out.dns.map((x) => x.name)).toEqual([`_dmarc.${d}`, `sel._domainkey.${d}`]);
  });

  it('replaces the Maildir owner and the host in Maildir file names, in paths and in free text', () => {
    const path = '/srv/vmail/example.com/bob/Maildir/.Junk/cur/1795545012.M868012P24734.mailhost01,S=1783,W=1822:2,S';
    const out = redactReport(report(`see ${path}.`, { evidence: [{ sha256: 'a'.repeat(64), kind: 'maildir', path, cited: true, coverage: null, side: null }] }), opts());
    const p = out.evidence[0]!.path!;
    expect(p).toMatch(/^\/srv\/vmail\/domain-[0-9a-f]{8}\/user-[0-9a-f]{8}\/Maildir\/\.Junk\/cur\/1795545012\.M868012P24734\.host-[0-9a-f]{8},S=1783,W=1822:2,S$/);
    expect(sent(out)).toBe(`see ${p}.`);
    expect(p.split('/')[4]).toBe(out.question.from!.split('@')[0]);
  });

  it('replaces folder names a user chose, level by level, wherever they occur; keeps INBOX, Junk, Sent and the like', () => {
    const f = 'Clients/Acme Legal';
    const path = '/srv/vmail/bob/Maildir/.Clients.Acme Legal/cur/1795545012.M868012P24734.mailhost01,S=1783,W=1822:2,S';
    const fsPath = '/srv/vmail/bob/Maildir/Clients/Acme Legal/new/1795545013.M1P2.mailhost01';
    const copy = (folder: string, p: string) => ({ sha256: 'b'.repeat(64), artifactSha256: 'a'.repeat(64), path: p, folder, role: 'recipient' as const, locator: `Maildir folder ${folder} (cur/)` });
    const base = report(`it is in ${f} now; a copy is in Junk`);
    const out = redactReport(report(base.verdicts.sent.summary, {
      message: { messageId: null, from: null, to: [], subject: null, date: null, copies: [copy(f, path), copy('Junk', '/srv/vmail/bob/Maildir/.Junk/cur/1.M2.h'), copy(f, fsPath)] },
      verdicts: { ...base.verdicts, arrived: { ...base.verdicts.arrived, folder: f } },
      caveats: ['the mailbox server saved it into Personal for bob@example.com, then expunged from Personal', "dovecot: saved to mailbox 'Job search' uid 1", "marked \\Deleted in mailbox 'INBOX' uid 1"],
    }), opts());
    const pf = out.verdicts.arrived.folder!;
    expect(pf).toMatch(/^folder-[0-9a-f]{8}\/folder-[0-9a-f]{8}$/);
    const [clients, acme] = pf.split('/');
    expect(sent(out)).toBe(`it is in ${pf} now; a copy is in Junk`);
    const [c1, c2, c3] = out.message!.copies;
    expect(c1).toMatchObject({ folder: pf, locator: `Maildir folder ${pf} (cur/)` });
    expect(c1!.path).toMatch(new RegExp(`/Maildir/\\.${clients}\\.${acme}/cur/1795545012\\.M868012P24734\\.host-[0-9a-f]{8},`));
    expect(c2).toMatchObject({ folder: 'Junk', locator: 'Maildir folder Junk (cur/)' });
    expect(c2!.path).toMatch(/\/Maildir\/\.Junk\/cur\//);
    expect(c3!.path).toMatch(new RegExp(`/Maildir/${clients}/${acme}/new/`));
    // Folders only a log names: found by how the timeline and findings word them.
    expect(out.caveats[0]).toMatch(/^the mailbox server saved it into (folder-[0-9a-f]{8}) for user-[0-9a-f]{8}@domain-[0-9a-f]{8}, then expunged from \1$/);
    expect(out.caveats[1]).toMatch(/^dovecot: saved to mailbox 'folder-[0-9a-f]{8}' uid 1$/);
    // `mailbox` is the word before a quoted name, not a folder: it stays, as does every other use of the word.
    expect(out.caveats[2]).toBe("marked \\Deleted in mailbox 'INBOX' uid 1");
    expect(JSON.stringify(out)).not.toMatch(/Clients|Acme|Personal|Job search/);
    expect(out.caveats.at(-1)).toMatch(/folder names \(other than standard ones such as INBOX, Sent, Junk and Trash\)/);
  });

  it('a line beside the report names a Maildir++ folder by the pseudonym the report gives it, a stray file in it too', () => {
    const f = 'Clients/Acme Legal';
    const path = 'cases/bob/Maildir/.Clients.Acme Legal/cur/1795545012.M868012P24734.mailhost01,S=1783:2,S';
    const copy = { sha256: 'b'.repeat(64), artifactSha256: 'a'.repeat(64), path, folder: f, role: 'recipient' as const, locator: `Maildir folder ${f} (cur/)` };
    const out = redactReport(report('x', { message: { messageId: null, from: null, to: [], subject: null, date: null, copies: [copy] } }), opts());
    const inReport = out.message!.copies[0]!.path!;
    const [clients, acme] = out.message!.copies[0]!.folder!.split('/');
    expect(inReport).toMatch(new RegExp(`^cases/user-[0-9a-f]{8}/Maildir/\\.${clients}\\.${acme}/cur/1795545012\\.M868012P24734\\.host-[0-9a-f]{8},S=1783:2,S$`));
    // An input problem quoting the path (a folder name with a space in it): the same path as in the report.
    const named = { paths: [path], addresses: ['Bob@Example.COM'] };
    expect(redactNote(`message too large: skipped: ${path} message #1`, opts(), named)).toBe(`message too large: skipped: ${inReport} message #1`);
    // A file the walk skipped, straight inside the Maildir++ folder (no cur/ after it): the folder is still replaced.
    const stray = ['cases/Maildir/.Clients.Acme Legal/notes.bin', 'cases/Maildir/.Junk/x.dat'];
    expect(redactNote(stray.join(', '), opts(), { paths: stray })).toBe(`cases/Maildir/.${clients}.${acme}/notes.bin, cases/Maildir/.Junk/x.dat`);
    // A dot directory elsewhere is an ordinary path segment.
    expect(redactNote('read /home/u/.config/mailtrail/key.txt', opts())).toBe('read /home/u/.config/mailtrail/key.txt');
  });

  it("a folder named like one of the report's own words (Report) does not rewrite the fields that hold those words", () => {
    const base = report('it is in Report now; the report came back');
    const ref = { sha256: 'c'.repeat(64), kind: 'report' as const, path: 'bounce.eml', locator: 'header #1', claim: 'a copy is in Report' };
    const out = redactReport(report(base.verdicts.sent.summary, { verdicts: { ...base.verdicts, arrived: { ...base.verdicts.arrived, folder: 'Report', evidence: [ref] } } }), opts());
    expect(out.verdicts.arrived.folder).toMatch(/^folder-[0-9a-f]{8}$/);
    expect(out.verdicts.arrived.evidence[0]).toMatchObject({ kind: 'report', claim: `a copy is in ${out.verdicts.arrived.folder}` });
  });

  it('redacts members beyond the schema (a manifest) and leaves a seal alone', () => {
    const r = { ...report('x'), manifest: { artifacts: [{ path: '/home/bob/mail/bob@example.com.mbox' }], dns: [{ name: '_dmarc.example.com' }] }, seal: { sha256: 'f'.repeat(64) } };
    const out = redactReport(r, opts());
    expect(JSON.stringify(out.manifest)).not.toMatch(/bob|example/);
    expect(out.manifest.artifacts[0]!.path).toMatch(/^\/home\/user-[0-9a-f]{8}\/mail\/user-[0-9a-f]{8}@domain-[0-9a-f]{8}\.mbox$/);
    expect(out.seal).toEqual(r.seal);
  });

  it('replaces the subject wherever text quotes it, with or without its Re: prefix, and keeps DNS words', () => {
    const r = report('"Re: Quarterly figures" and "quarterly  FIGURES" and Quarterly figures2; [DNS: MX example.com]', {
      question: { messageId: null, from: null, to: null, subject: 'figures', around: null, since: null, until: null },
      timeline: [{ time: null, timeAssumed: true, kind: 'log', source: { sha256: 'a'.repeat(64), path: null, locator: 'line 1' }, host: 'mx', event: 'smtpd', status: null, detail: 'x', delaySeconds: null, skew: [] }],
    });
    const out = redactReport({ ...r, message: { messageId: null, from: null, to: [], subject: 'Re: Quarterly figures', date: null, copies: [] } }, opts());
    const s = out.message!.subject!;
    expect(s).toMatch(/^subject-[0-9a-f]{8}$/);
    expect(sent(out)).toMatch(new RegExp(`^"${s}" and "subject-[0-9a-f]{8}" and Quarterly figures2; \\[DNS: MX domain-[0-9a-f]{8}\\]$`));
    expect(out.question.subject).toMatch(/^subject-[0-9a-f]{8}$/);
    expect(out.timeline[0]!.host).toBe('mx');
  });

  it('replaces display names and dotless HELO names that identity flags and SPF reasons quote', () => {
    const out = sent(redactReport(report('the name "Alice Smith" was seen with a@x.test; the display name "ALICE  smith" names y.test; SPF none for HELO JOHNS-LAPTOP (null MAIL FROM); johns-laptop again'), opts()));
    expect(out).toMatch(/^the name "(name-[0-9a-f]{8})" was seen with user-[0-9a-f]{8}@domain-[0-9a-f]{8}; the display name "\1" names domain-[0-9a-f]{8}; SPF none for HELO (host-[0-9a-f]{8}) \(null MAIL FROM\); \2 again$/);
  });

  it('refuses a short key and a report that is already redacted', () => {
    expect(() => redactReport(report('x'), opts({ key: new TextEncoder().encode('short') }))).toThrow(/too short/);
    const once = redactReport(report('x'), opts());
    expect(() => redactReport(once, opts())).toThrow(/already redacted/);
  });
});
