// Read the `from` clause of a Received header into HELO name, reverse-DNS name, client IP/port and ident.
// Pure. The clause shapes differ by MTA (RFC 5321 §4.4 only says "from" domain + TCP-info):
//   sendmail/Postfix/Courier  from HELO (RDNS [IP])            from HELO (ident@RDNS [IP])
//   Exim 4                    from RDNS ([IP]:port helo=HELO)  from [IP] (helo=HELO)   from RDNS ([IP]) (Exim x)
//   cPanel Exim               from [IP] (port=54321 helo=HELO)
//   Exim 3 / GMX              from RDNS (HELO) [IP] (ident)    from RDNS (EHLO HELO) [IP]
//   qmail / Yahoo             from RDNS (HELO HELO) (ident@IP) from RDNS (IP) — HELO omitted when equal to RDNS
//   CommuniGate               from RDNS ([IP] verified)        from [IP] (account user HELO HELO)
//   Microsoft                 from HELO ([IP])  /  from HELO (IP)   (no reverse DNS recorded)
//   Obtuse smtpd              from RDNS(IP), claiming to be "HELO"
//   HTTP/MAPI handoffs        no HELO exists: a name is the client's host name, an IP literal its address.

import type { Token } from './received-tokens.js';
import { tokenize } from './received-tokens.js';
import { parseIpToken, type IpToken } from './received-ip.js';

export interface FromContext {
  exim: boolean;
  microsoft: boolean;
  http: boolean;
}

export interface FromResult {
  helo: string | null;
  rdns: string | null;
  ip: string | null;
  port: number | null;
  ident: string | null;
  warnings: string[];
  /** Words in the clause that fit no known shape. */
  unread: Token[];
}

/** Names that stand where a reverse-DNS name would be when the lookup failed. */
const NO_RDNS = new Set(['unknown', 'softdnserr', 'harddnserr', 'unavailable']);

interface State {
  ips: IpToken[];
  ipIsQmailStyle: boolean;
  ipInBrackets: boolean;
  explicitHelo: string | null | undefined;
  rdnsInComment: string | undefined;
  nameComment: string | undefined;
  literalAfterWord: boolean;
  verified: boolean;
  noRdns: boolean;
  obtuse: boolean;
  claim: string | undefined;
  ident: string | null;
  port: number | null;
}

const HELO_WORD = /^(?:HELO|EHLO|LHLO)$/i;
const isHeloWord = (w: string): boolean => w.length === 4 && HELO_WORD.test(w);
// Compiled once; the length checks before each use only skip words that cannot match.
const MAY_BE_FORGED = /^may be forged$/i;
const ACCOUNT = /^account$/i;
const PORT_KV = /^port=\d{1,5}$/i;
const HELO_KV = /^helo=/i;
const CLAIMING = /^claiming$/i;
const TO = /^to$/i;
const BE = /^be$/i;

function valueOf(t: Token | undefined): string | null {
  return t && (t.kind === 'word' || t.kind === 'literal') ? t.text : null;
}

function readFromComment(s: string, match: Int32Array, c: Token, st: State, warnings: string[]): void {
  const subs = tokenize(s, match, c.start + 1, c.end - 1).tokens.filter((t) => t.kind !== 'comma');
  let pendingName: string | null = null;
  let words = 0;
  let sawIp = false;
  for (let k = 0; k < subs.length; k++) {
    const t = subs[k]!;
    if (t.kind === 'comment') {
      if (t.text.length >= 13 && MAY_BE_FORGED.test(t.text.slice(0, 40))) warnings.push('the receiving server flagged the reverse DNS name as possibly forged');
      continue;
    }
    if (t.kind === 'semi') continue;
    const w = t.text;
    words++;
    if (isHeloWord(w)) {
      const v = valueOf(subs[k + 1]);
      st.explicitHelo = v !== null && !isHeloWord(v) ? v : '';
      if (v !== null) k++;
      continue;
    }
    if (w.length === 7 && ACCOUNT.test(w) && valueOf(subs[k + 1]) !== null) {
      k++; // CommuniGate's authenticated account; read by received-comments.ts.
      continue;
    }
    if (w.length >= 6 && w.length <= 10 && PORT_KV.test(w)) {
      const n = Number(w.slice(5)); // cPanel Exim: from [IP] (port=54321 helo=x)
      if (n >= 1 && n <= 65535) st.port = n;
      else warnings.push(`client port ${w.slice(5)} is out of range`);
      continue;
    }
    if (w.length >= 5 && HELO_KV.test(w)) {
      st.explicitHelo = w.slice(5) || '';
      continue;
    }
    const ip = parseIpToken(w);
    if (ip) {
      sawIp = true;
      st.ips.push(ip);
      if (w.includes('[')) st.ipInBrackets = true;
      else if (ip.port === null) st.ipIsQmailStyle = true;
      if (pendingName !== null) {
        const at = pendingName.lastIndexOf('@');
        st.rdnsInComment = at >= 0 ? pendingName.slice(at + 1) : pendingName;
        if (at > 0 && ip.ident === null) st.ident = pendingName.slice(0, at);
        pendingName = null;
      }
      if (ip.ident !== null) st.ident = ip.ident;
      continue;
    }
    const lower = w.toLowerCase();
    if (lower === 'verified') st.verified = true;
    else if (lower === 'unverified' || lower === 'failed') st.noRdns = true;
    else pendingName = w;
  }
  if (!sawIp && words === 1 && pendingName !== null) {
    const at = pendingName.lastIndexOf('@');
    if (at > 0) {
      // sendmail: from HELO (ident@RDNS) for local connections.
      st.ident = pendingName.slice(0, at);
      st.rdnsInComment = pendingName.slice(at + 1);
    } else if (st.literalAfterWord) {
      st.ident = pendingName; // Exim 3: from RDNS (HELO) [IP] (ident)
    } else {
      st.nameComment = pendingName;
    }
  }
}

/** Interpret the tokens that follow the `from` keyword (up to the next clause keyword). */
export function readFromClause(s: string, match: Int32Array, parts: Token[], ctx: FromContext): FromResult {
  const warnings: string[] = [];
  const unread: Token[] = [];
  const st: State = {
    ips: [], ipIsQmailStyle: false, ipInBrackets: false, explicitHelo: undefined, rdnsInComment: undefined,
    nameComment: undefined, literalAfterWord: false, verified: false, noRdns: false, obtuse: false, claim: undefined,
    ident: null, port: null,
  };
  let k = 0;
  const first = parts[0];
  const word = first && first.kind !== 'comment' ? first.text : null;
  if (word !== null) k = 1;
  for (; k < parts.length; k++) {
    const p = parts[k]!;
    if (p.kind === 'comment') {
      if (k === 1 && word !== null && p.glued) st.obtuse = true;
      readFromComment(s, match, p, st, warnings);
      continue;
    }
    if (p.kind !== 'word' && p.kind !== 'literal') continue;
    const ip = parseIpToken(p.text);
    if (ip) {
      st.ips.push(ip);
      st.ipInBrackets = st.ipInBrackets || p.text.includes('[');
      if (word !== null) st.literalAfterWord = true;
      continue;
    }
    if (p.text.length === 8 && CLAIMING.test(p.text) && TO.test(parts[k + 1]?.text ?? '') && BE.test(parts[k + 2]?.text ?? '')) {
      const v = valueOf(parts[k + 3]);
      if (v !== null) st.claim = v.replace(/^"/, '').replace(/"$/, '');
      k += 3;
      continue;
    }
    unread.push(p);
  }

  const wordIp = word !== null ? parseIpToken(word) : null;
  const name = word !== null && wordIp === null && !word.startsWith('<') ? word : null;
  const other = st.ips[0] ?? null;
  const ipTok = other ?? wordIp;
  for (const ip of st.ips) warnings.push(...ip.warnings);
  if (!other && wordIp) warnings.push(...wordIp.warnings);

  let helo: string | null;
  let rdns: string | null = null;
  if (st.obtuse) {
    rdns = name;
    helo = st.claim ?? null;
  } else if (ctx.http) {
    helo = null;
    rdns = st.rdnsInComment ?? name;
  } else {
    if (st.explicitHelo !== undefined) helo = st.explicitHelo || null;
    else if (st.nameComment !== undefined && st.literalAfterWord) helo = st.nameComment;
    else if (wordIp && !other) helo = word!.startsWith('[') ? word : null;
    else helo = word;
    if (st.rdnsInComment !== undefined) rdns = st.rdnsInComment;
    else if (
      name !== null && !st.noRdns &&
      (st.explicitHelo !== undefined || (st.nameComment !== undefined && st.literalAfterWord) || st.verified ||
        (ctx.exim && st.ipInBrackets) || (st.ipIsQmailStyle && !ctx.microsoft))
    ) {
      rdns = name;
    }
  }
  if (rdns !== null && (NO_RDNS.has(rdns.toLowerCase()) || parseIpToken(rdns) !== null)) rdns = null;
  if (helo !== null && helo.length > 255) warnings.push('HELO name longer than 255 characters');
  return {
    helo,
    rdns,
    ip: ipTok?.ip ?? null,
    port: ipTok?.port ?? st.port,
    ident: st.ident ?? ipTok?.ident ?? null,
    warnings,
    unread,
  };
}
