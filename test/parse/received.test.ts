// parseReceived: whole-object equality on real headers read in place from ../shared/corpus, then focused
// checks per MTA family and per clause form (TLS, authentication, IP literals, clause order).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ParsedReceived } from '../../src/model/hop.js';
import { parseHeaderBlock } from '../../src/parse/headers.js';
import { parseReceived } from '../../src/parse/received.js';
import { corpusPath, describeCorpus } from '../helpers/corpus.js';

/** The raw value of the first Received header in a corpus message that contains `needle`. */
function receivedIn(file: string, needle: string): string {
  const block = parseHeaderBlock(readFileSync(corpusPath(file)));
  const f = block.fields.find((x) => x.key === 'received' && x.value.includes(needle));
  if (!f) throw new Error(`no Received header with ${needle} in ${file}`);
  return f.raw;
}

function saCase(i: number): string {
  const data = JSON.parse(readFileSync(corpusPath('messages/spamassassin-received-parse-oracle/rcvd_parser_cases.json'), 'utf8')) as { cases: Array<{ header: string }> };
  return data.cases[i]!.header;
}

function mhaCase(i: number): string {
  const data = JSON.parse(readFileSync(corpusPath('messages/mha-received-parse-oracle/mha-received-test-cases.json'), 'utf8')) as { cases: Array<{ sourceHeader: string }> };
  return data.cases[i]!.sourceHeader.replace(/^Received:\s?/, '');
}

const EMPTY: ParsedReceived = {
  helo: null, rdns: null, fromHost: null, fromIp: null, fromPort: null, ident: null, byHost: null, via: null,
  with: null, id: null, for: null, envelopeFrom: null, tls: null, authenticatedAs: null, authenticated: false,
  date: null, dateOffset: null, dateRaw: null, warnings: [],
};

describeCorpus('parseReceived on real headers (whole object)', () => {
  it('Exchange Online hub hop (MHA chain 1, hop 3)', () => {
    expect(parseReceived(mhaCase(2))).toEqual({
      ...EMPTY,
      helo: 'BN3NAM04FT003.eop-NAM04.prod.protection.outlook.com',
      fromHost: 'BN3NAM04FT003.eop-NAM04.prod.protection.outlook.com',
      fromIp: '10.152.92.53',
      byHost: 'BN3NAM04HT205.eop-NAM04.prod.protection.outlook.com',
      with: 'Microsoft SMTP Server',
      id: '15.20.696.11',
      tls: { version: 'TLS1_2', cipher: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384_P384', bits: null },
      date: '2018-04-21T03:01:32.000Z',
      dateOffset: '+0000',
      dateRaw: 'Sat, 21 Apr 2018 03:01:32 +0000',
    });
  });

  it('Exchange Online front-end hop with "via Frontend Transport" (MHA chain 1, hop 2)', () => {
    expect(parseReceived(mhaCase(1))).toEqual({
      ...EMPTY,
      helo: 'vmta6.response.nfcu.org',
      fromHost: 'vmta6.response.nfcu.org',
      fromIp: '199.204.166.217',
      byHost: 'BN3NAM04FT003.mail.protection.outlook.com',
      via: 'Frontend Transport',
      with: 'Microsoft SMTP Server',
      id: '15.20.696.11',
      date: '2018-04-21T03:01:32.000Z',
      dateOffset: '+0000',
      dateRaw: 'Sat, 21 Apr 2018 03:01:32 +0000',
    });
  });

  it('Postfix TLS 1.3 hop with key-exchange details', () => {
    const raw = receivedIn('messages/eml-analyzer-mikel-mail/invalid_datetime.eml', 'out15-200.antispamcloud.com');
    expect(parseReceived(raw)).toEqual({
      ...EMPTY,
      helo: 'out15-200.antispamcloud.com',
      rdns: 'out15-200.antispamcloud.com',
      fromHost: 'out15-200.antispamcloud.com',
      fromIp: '185.201.19.200',
      byHost: 'aspmx1.migadu.com',
      with: 'ESMTPS',
      id: 'AF39D5CA5',
      for: 'xxx@xxxxx.xxx',
      tls: { version: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', bits: '256/256' },
      date: '2024-10-07T18:59:29.000Z',
      dateOffset: '+0200',
      dateRaw: 'Mon, 07 Oct 2024 20:59:29 +0200 (CEST)',
    });
  });

  it('Exim 4.92 hop with old-style (TLSv1.3:cipher:bits)', () => {
    const raw = receivedIn('messages/eml-analyzer-mikel-mail/invalid_datetime.eml', 'm140-82.mailgun.net');
    expect(parseReceived(raw)).toEqual({
      ...EMPTY,
      helo: 'm140-82.mailgun.net',
      rdns: 'm140-82.mailgun.net',
      fromHost: 'm140-82.mailgun.net',
      fromIp: '159.135.140.82',
      byHost: 'mx303.antispamcloud.com',
      with: 'esmtps',
      id: '1sxswz-00COfK-Qx',
      for: 'xxx@xxxxx.xxx',
      envelopeFrom: 'bounce+6162d2.05fa3-xxx=xxxxx.xxx@rolo-sistemi.si',
      tls: { version: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', bits: '256' },
      date: '2024-10-07T18:59:28.000Z',
      dateOffset: '+0200',
      dateRaw: 'Mon, 07 Oct 2024 20:59:28 +0200',
    });
  });

  it('qmail hop and qmail local handoff', () => {
    const file = 'messages/dkimpy/message.mbox';
    expect(parseReceived(receivedIn(file, 'mailwash7.pair.com (66.39.2.7)'))).toEqual({
      ...EMPTY,
      helo: 'mailwash7.pair.com',
      rdns: 'mailwash7.pair.com', // qmail omits (HELO x) when it equals the reverse-DNS name
      fromHost: 'mailwash7.pair.com',
      fromIp: '66.39.2.7',
      byHost: 'raung.pair.com',
      with: 'SMTP',
      date: '2011-03-07T19:23:23.000Z',
      dateOffset: '-0000',
      dateRaw: '7 Mar 2011 19:23:23 -0000',
    });
    expect(parseReceived(receivedIn(file, 'qmail 84124 invoked from network'))).toEqual({
      ...EMPTY,
      date: '2011-03-07T19:23:23.000Z',
      dateOffset: '-0000',
      dateRaw: '7 Mar 2011 19:23:23 -0000',
    });
  });

  it('indimail-mta local handoff: its queue number is the id, the host after `by host` is the receiver', () => {
    const raw = receivedIn('dsn/sisimai/lhost-qmail-21.eml', 'indimail-mta queue 41788');
    expect(parseReceived(raw)).toEqual({
      ...EMPTY,
      byHost: 'email.example.jp',
      id: '41788',
      date: '2024-06-26T06:13:25.000Z',
      dateOffset: '+0900',
      dateRaw: 'Wed, 26 Jun 2024 15:13:25 +0900',
    });
  });

  it('Gmail MX hop (Google Transport Security)', () => {
    const raw = receivedIn('messages/mailauth/arc-pass.eml', 'mail-sor-f41.google.com');
    expect(parseReceived(raw)).toEqual({
      ...EMPTY,
      helo: 'mail-sor-f41.google.com',
      rdns: 'mail-sor-f41.google.com.',
      fromHost: 'mail-sor-f41.google.com.',
      fromIp: '209.85.220.41',
      byHost: 'mx.google.com',
      with: 'SMTPS',
      id: 'p13sor3668128ljj.40.2020.10.26.05.43.29',
      for: 'andris.reinman@gmail.com',
      tls: { version: null, cipher: null, bits: null },
      date: '2020-10-26T12:43:29.000Z',
      dateOffset: '-0700',
      dateRaw: 'Mon, 26 Oct 2020 05:43:29 -0700 (PDT)',
    });
  });

  it('SendGrid hop without `;` and with fractional seconds (MHA chain 2, hop 1)', () => {
    expect(parseReceived(mhaCase(4))).toEqual({
      ...EMPTY,
      helo: 'smtp.github.com',
      rdns: 'out-3.smtp.github.com',
      fromHost: 'out-3.smtp.github.com',
      fromIp: '192.30.252.194',
      byHost: 'ismtpd0021p1iad2.sendgrid.net',
      with: 'ESMTP',
      id: '1dCtTVbKTgGmrXSNolRfbg',
      for: 'sgriffin@outlook.com',
      date: '2018-04-22T02:54:16.987Z',
      dateOffset: '+0000',
      dateRaw: 'Sun, 22 Apr 2018 02:54:16.987 +0000 (UTC)',
    });
  });
});

describeCorpus('parseReceived per MTA family (SpamAssassin oracle headers)', () => {
  const pick = (p: ParsedReceived) => ({ helo: p.helo, rdns: p.rdns, ip: p.fromIp, port: p.fromPort, ident: p.ident, by: p.byHost });
  it.each([
    [35, 'qmail with TLS patch', { helo: 'parrot.gentoo.org', rdns: 'lists.gentoo.org', ip: '156.56.111.196', port: null, ident: null, by: 'blazing.arsecandle.org' }],
    [58, 'qmail HELO + ident', { helo: 'merlin.net.au', rdns: 'adsl-207-213-27-129.dsl.lsan03.pacbell.net', ip: '207.213.27.129', port: null, ident: 'Owner50', by: 'totor.example.net' }],
    [141, 'qmail ident with @ in it', { helo: '?151.80.38.67?', rdns: null, ip: '151.80.38.67', port: null, ident: 'myuser@mydomain.it', by: 'mail.it-connect.it' }],
    [37, 'Postfix', { helo: 'asterix.laurier.org', rdns: 'lns-p19-8-82-65-66-244.adsl.proxad.net', ip: '82.65.66.244', port: null, ident: null, by: 'postfix3-2.free.fr' }],
    [47, 'Postfix unknown rDNS', { helo: 'klqe.net', rdns: null, ip: '192.168.50.50', port: null, ident: null, by: 'mail.dropinsolutions.com' }],
    [42, 'sendmail (may be forged)', { helo: 'mx56.pirmateh.us', rdns: '64.119.196.56.rev.iwaynetworks.com', ip: '64.119.196.56', port: null, ident: null, by: 'mail.core.obfugenedata.com' }],
    [94, 'Exim 4 helo= and port', { helo: 'sandpiper', rdns: 'p50894de7.dip0.t-ipconnect.de', ip: '80.137.77.231', port: 11218, ident: null, by: 'mail1.isc.de' }],
    [39, 'Exim 3 [ip.port] and ident', { helo: 'helene.cats.ms', rdns: 'helene8.i.pinwand.net', ip: '10.0.8.6', port: 13219, ident: 'mail', by: 'lisbeth.i.pinwand.net' }],
    [40, 'Microsoft SMTPSVC', { helo: 'inet-vrs-05.redmond.corp.microsoft.com', rdns: null, ip: '157.54.6.157', port: null, ident: null, by: 'INET-IMC-05.redmond.corp.microsoft.com' }],
    [52, 'Hotmail HTTP', { helo: null, rdns: null, ip: '24.8.231.233', port: null, ident: null, by: 'by1fd.bay1.hotmail.msn.com' }],
    [90, 'Yahoo', { helo: null, rdns: null, ip: '211.245.85.228', port: null, ident: null, by: 'mta232.mail.scd.yahoo.com' }],
    [59, 'CommuniGate verified', { helo: 'imo-m01.mx.aol.com', rdns: 'imo-m01.mx.aol.com', ip: '64.12.136.4', port: null, ident: null, by: 'xxx.com' }],
    [61, 'CommuniGate account + HELO literal', { helo: '[10.10.10.10]', rdns: null, ip: '128.114.2.223', port: null, ident: null, by: 'silver.ucsc.edu' }],
    [32, 'MDaemon', { helo: 'web01.bgca.dmz', rdns: null, ip: null, port: null, ident: null, by: 'list.bgca.org' }],
    [14, 'Merak', { helo: 'PRODWEB02LA', rdns: null, ip: null, port: null, ident: null, by: 'dns03.treehousei.com' }],
    [16, 'Mercury', { helo: 'Spooler', rdns: null, ip: null, port: null, ident: null, by: 'mail2.getcoactive.com' }],
    [20, 'iPlanet', { helo: 'autoreply-daemon.mail.wgbh.org', rdns: null, ip: null, port: null, ident: null, by: 'mail.wgbh.org' }],
    [49, 'Courier IPv4-mapped IPv6', { helo: 'cs.helsinki.fi', rdns: null, ip: '::ffff:218.11.152.141', port: null, ident: null, by: 'mail.cs.helsinki.fi' }],
    [137, 'Postfix IPv6 literal', { helo: 'rc3.isc.org', rdns: 'rc3.isc.org', ip: '2001:4f8:3:bb::25', port: null, ident: null, by: 'sf1.isc.org' }],
    [143, 'LMTP with LHLO', { helo: 'mail2-backend.DDDD.com', rdns: 'mail1-backend.DDDD.com', ip: '10.2.2.20', port: null, ident: null, by: 'mail3-backend.DDDD.com' }],
    [110, 'Obtuse smtpd "claiming to be"', { helo: 'foo.woas.net', rdns: 'pl027.nas934.d-osaka.nttpc.ne.jp', ip: '61.197.82.27', port: null, ident: null, by: 'st.tahina.priv.at' }],
    [113, 'NAVGW leading (from …) comment', { helo: 'KRYPTIK', rdns: null, ip: '70.20.57.51', port: null, ident: null, by: 'host.name' }],
    [88, 'XMail ip:port', { helo: 'list.brainbuzz.com', rdns: null, ip: '63.146.189.86', port: 23198, ident: null, by: 'mx1.yourtech.net' }],
  ])('case %i: %s', (i, _family, want) => {
    expect(pick(parseReceived(saCase(i)))).toEqual(want);
  });

  it('reads authentication in its many spellings', () => {
    const auth = (i: number) => {
      const p = parseReceived(saCase(i));
      return [p.authenticated, p.authenticatedAs];
    };
    expect(auth(114)).toEqual([true, 'sender.example.net']); // Postfix (Authenticated sender: x)
    expect(auth(96)).toEqual([true, 'r.dickenson']); // CriticalPath (authenticated as x)
    expect(auth(97)).toEqual([true, null]); // sendmail (authenticated bits=0)
    expect(auth(99)).toEqual([true, null]); // sendmail (authenticated (0 bits))
    expect(auth(64)).toEqual([true, 'mitch@example.com']); // (AUTH: LOGIN x)
    expect(auth(135)).toEqual([true, 'skudinva@sibptus.tomsk.ru']); // CommuniGate (account x) with ESMTPSA
    expect(auth(138)).toEqual([true, 'admin']); // SquirrelMail authenticated user
    expect(auth(125)).toEqual([true, 'ESMTPA']); // qmail with ESMTPA: the protocol word is all that is stated
    expect(auth(105)).toEqual([true, 'esmtpsa']); // Exim
    expect(auth(104)).toEqual([true, 'asmtp']); // Exim's asmtp
    expect(auth(37)).toEqual([false, null]);
  });

  it('reads TLS from sendmail, Exim, qmail and AUTH/SSL comments', () => {
    expect(parseReceived(saCase(97)).tls).toEqual({ version: 'TLSv1/SSLv3', cipher: 'RC4-MD5', bits: '128' });
    expect(parseReceived(saCase(121)).tls).toEqual({ version: 'TLS-1.0', cipher: 'DHE_RSA_3DES_EDE_CBC_SHA', bits: '24' });
    expect(parseReceived(saCase(35)).tls).toEqual({ version: null, cipher: 'DHE-RSA-AES256-SHA', bits: null });
    expect(parseReceived(saCase(106)).tls).toEqual({ version: 'TLSv1/SSLv3', cipher: 'RC4-MD5', bits: '128' });
    expect(parseReceived(saCase(128)).tls).toEqual({ version: null, cipher: null, bits: null }); // with ESMTPS
    expect(parseReceived(saCase(37)).tls).toBeNull();
  });

  it('finds clauses in any order, after the date, and envelope senders in their various forms', () => {
    expect(parseReceived(saCase(106)).id).toBe('000000DB.43735815.00001E11'); // id after the date
    expect(parseReceived(saCase(137)).envelopeFrom).toBe('bind-users-bounce@isc.org'); // comment after the date
    expect(parseReceived(saCase(122)).envelopeFrom).toBe('support@verleihshop.de'); // Exim, inside by clause
    expect(parseReceived(saCase(88)).envelopeFrom).toBe('bounce-cscommunity-11965901@list.obfuscatedzzzzzzz.com'); // XMail "from <x>"
    expect(parseReceived(saCase(76)).envelopeFrom).toBe('xyz@example.org'); // qmail-ldap (envelope-sender <x>)
    expect(parseReceived(saCase(10)).for).toBe('tysonrecipemail@listserv.tyson.com'); // for <<x>>
    expect(parseReceived(saCase(107)).byHost).toBe('madman.mr.itd.umich.edu'); // FROM … BY … ID
    expect(parseReceived(saCase(53)).warnings).toEqual(['unread text: "at just after 10pm on a Friday"', 'no date found']);
  });
});

describe('parseReceived on constructed forms', () => {
  it('Exim 4.9x: (TLS1.3) tls CIPHER, port after the literal, helo=', () => {
    const p = parseReceived(
      'from [203.0.113.9]:587 (helo=laptop)\r\n\tby mx.example.org with esmtpsa  (TLS1.3) tls TLS_AES_256_GCM_SHA384\r\n\t(Exim 4.96)\r\n\t(envelope-from <a@example.com>)\r\n\tid 1q2w3e-000abc-4F\r\n\tfor b@example.org; Fri, 20 Nov 2026 14:00:05 +0000',
    );
    expect(p).toEqual({
      ...EMPTY, helo: 'laptop', fromHost: 'laptop', fromIp: '203.0.113.9', fromPort: 587, byHost: 'mx.example.org',
      with: 'esmtpsa', id: '1q2w3e-000abc-4F', for: 'b@example.org', envelopeFrom: 'a@example.com',
      tls: { version: 'TLS1.3', cipher: 'TLS_AES_256_GCM_SHA384', bits: null }, authenticatedAs: 'esmtpsa', authenticated: true,
      date: '2026-11-20T14:00:05.000Z', dateOffset: '+0000', dateRaw: 'Fri, 20 Nov 2026 14:00:05 +0000',
    });
  });

  it('IPv6 zone ids are dropped with a warning; IPv6 is lower-cased; IPv4-mapped kept as written', () => {
    const p = parseReceived('from x ([FE80::1%eth0]) by y with mapi id 15.20.1; Fri, 20 Nov 2026 14:00:05 +0000');
    expect(p.fromIp).toBe('fe80::1');
    expect(p.warnings).toEqual(['zone id "%eth0" dropped from IPv6 address fe80::1']);
    expect(parseReceived('from x ([IPv6:2001:DB8::25]) by y; Fri, 20 Nov 2026 14:00:05 +0000').fromIp).toBe('2001:db8::25');
    expect(parseReceived('from x ([::FFFF:1.2.3.4]) by y; Fri, 20 Nov 2026 14:00:05 +0000').fromIp).toBe('::ffff:1.2.3.4');
    expect(parseReceived('from x ([1.2.3.4]:99999) by y; Fri, 20 Nov 2026 14:00:05 +0000')).toMatchObject({ fromIp: '1.2.3.4', fromPort: null, warnings: ['client port 99999 is out of range'] });
  });

  it('Microsoft "over TLS secured channel" and sendmail (version=… cipher=… bits=…)', () => {
    expect(parseReceived('from a ([192.0.2.1]) by b over TLS secured channel with Microsoft SMTPSVC(7.5.7601.22712); Fri, 21 Nov 2014 14:17:54 -0800'))
      .toMatchObject({ with: 'Microsoft SMTPSVC', tls: { version: null, cipher: null, bits: null }, warnings: [] });
    expect(parseReceived('from a (b [192.0.2.1]) (authenticated as bob) by c (8.14.4/8.14.4) with ESMTP id x (version=TLSv1/SSLv3 cipher=DHE-RSA-AES256-SHA bits=256 verify=NO); Fri, 20 Nov 2026 14:00:05 +0000'))
      .toMatchObject({ tls: { version: 'TLSv1/SSLv3', cipher: 'DHE-RSA-AES256-SHA', bits: '256' }, authenticated: true, authenticatedAs: 'bob' });
  });

  it('cPanel Exim (port= helo=) and Exim (authenticated id x)', () => {
    expect(parseReceived('from [198.51.100.7] (port=54321 helo=[192.168.1.2]) by server.example.com with esmtpsa (TLS1.2) tls TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 (Exim 4.96.2) (authenticated id bob@example.com) id 1abc-0001-XY; Fri, 20 Nov 2026 14:00:05 +0000'))
      .toMatchObject({ helo: '[192.168.1.2]', fromIp: '198.51.100.7', fromPort: 54321, authenticated: true, authenticatedAs: 'bob@example.com', warnings: [] });
  });

  it('odd inputs give warnings, never exceptions', () => {
    expect(parseReceived('')).toEqual({ ...EMPTY, warnings: ['no "by" clause: the receiving host is not named', 'no date found'] });
    expect(parseReceived('by me by you with this with that; Fri, 20 Nov 2026 14:00:05 +0000')).toMatchObject({
      byHost: 'me', with: 'this', warnings: ['repeated "by" clause; the first one was kept', 'repeated "with" clause; the first one was kept'],
    });
    expect(parseReceived('from a (b [1.2.3.4] by c; Fri, 20 Nov 2026 14:00:05 +0000').warnings).toContain('unbalanced parentheses: 1 stray "(" or ")" ignored');
    // Work is bounded: past MAX_TOKENS words the header is not read further, and the warning says so.
    expect(parseReceived(`from ${'a '.repeat(20_000)}by b`).warnings).toContain('header has more than 10000 words; the rest was not read');
  });
});
