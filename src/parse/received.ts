// Parse one Received header value into a ParsedReceived (RFC 5321 §4.4 clauses, RFC 5322 §3.6.7).
// Pure: string in, value out; never throws. Linear in input length: one tokenizer pass, bounded work per
// token, no backtracking-prone regex over unbounded text. Clauses may come in any order; comments may nest.
// Anything that could not be read becomes a warning (the caller keeps the raw header).

import type { ParsedReceived } from '../model/hop.js';
import { emptyFacts, readComment } from './received-comments.js';
import { locateReceivedDate } from './received-date.js';
import { readFromClause } from './received-from.js';
import { MAX_TOKENS, matchParens, tokenize, unfold, type Token } from './received-tokens.js';

type Clause = 'from' | 'by' | 'via' | 'with' | 'id' | 'for' | 'envfrom';
const MAX_WARNINGS = 25;

/** Protocol words saying the client authenticated (RFC 3848; Exim's `asmtp`). */
const AUTH_PROTOCOL = /^(?:(?:UTF8)?(?:E?SMTP|LMTP)S?A|ASMTP)$/i;
/** Protocol words saying the session used TLS (RFC 3848 …S / …SA; HTTPS). */
const TLS_PROTOCOL = /^(?:(?:UTF8)?(?:E?SMTP|LMTP)SA?|HTTPS)$/i;
const HTTP_PROTOCOL = /^(?:HTTPS?|HTTPU|MAPI)$/i;
/** A cipher-suite name such as TLS_AES_256_GCM_SHA384 or ECDHE-RSA-AES128-GCM-SHA256. */
const CIPHER = /^[A-Za-z0-9]{1,40}(?:[_-][A-Za-z0-9]{1,40}){1,15}$/;

class Warnings {
  readonly list: string[] = [];
  private seen: Set<string> | null = null; // made on the second warning: most headers have none or one
  add(msg: string): void {
    if (this.list.length === 0) {
      this.list.push(msg);
      return;
    }
    this.seen ??= new Set(this.list);
    if (this.seen.has(msg)) return;
    this.seen.add(msg);
    if (this.list.length < MAX_WARNINGS) this.list.push(msg);
    else if (this.list.length === MAX_WARNINGS) this.list.push('further warnings omitted');
  }
}

function stripAngles(v: string): string {
  let a = 0;
  let b = v.length;
  while (a < b && v[a] === '<') a++;
  while (b > a && v[b - 1] === '>') b--;
  return v.slice(a, b);
}

/** The address in a `for` value: `<a@b>`, `<<a@b>>`, `a@b`, `<"a@b" <a@b>>` (the innermost `<…>` wins). */
function addressOf(v: string): string {
  const open = v.lastIndexOf('<');
  if (open >= 0) {
    const close = v.indexOf('>', open);
    if (close > open) return v.slice(open + 1, close);
  }
  return stripAngles(v);
}

function angleBalance(v: string): number {
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    if (v.charCodeAt(i) === 0x3c) n++;
    else if (v.charCodeAt(i) === 0x3e) n--;
  }
  return n;
}

/** A `for <…>` value with a display part spans a few words; join at most this many. */
const MAX_FOR_WORDS = 8;

function brief(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The clause keyword a word spells (any case), or null: from, by, via, with, id, for. */
function keywordOf(t: Token): Clause | null {
  const w = t.text;
  if (t.kind !== 'word' || w.length < 2 || w.length > 4) return null;
  const a = w.charCodeAt(0) | 0x20;
  const b = w.charCodeAt(1) | 0x20;
  // `| 0x20` lower-cases ASCII letters (and maps nothing else onto a letter).
  switch (w.length) {
    case 2:
      if (a === 0x62 && b === 0x79) return 'by';
      if (a === 0x69 && b === 0x64) return 'id';
      return null;
    case 3:
      if (a === 0x66 && b === 0x6f && (w.charCodeAt(2) | 0x20) === 0x72) return 'for';
      if (a === 0x76 && b === 0x69 && (w.charCodeAt(2) | 0x20) === 0x61) return 'via';
      return null;
    default:
      if (a === 0x66 && b === 0x72 && (w.charCodeAt(2) | 0x20) === 0x6f && (w.charCodeAt(3) | 0x20) === 0x6d) return 'from';
      if (a === 0x77 && b === 0x69 && (w.charCodeAt(2) | 0x20) === 0x74 && (w.charCodeAt(3) | 0x20) === 0x68) return 'with';
      return null;
  }
}

const ENVELOPE_WORD = /^envelope-(?:from|sender)$/i;
const LEADING_FROM = /^from\s/i;
const MTA_QUEUE = /^[a-z][a-z0-9]{0,30}-mta$/;
const TLS_WORD = /^tls$/i;
const OVER = /^over$/i;
const SECURED = /^secured$/i;
const CHANNEL = /^channel$/i;
const MICROSOFT = /^Microsoft\b/i;

export function parseReceived(value: string): ParsedReceived {
  const w = new Warnings();
  const s = unfold(value);
  const match = matchParens(s);
  const loc = locateReceivedDate(s, match);
  const head = tokenize(s, match, 0, loc ? loc.start : s.length);
  // The words after the date (if any) go on the same list, under the same budget.
  const tail = loc ? tokenize(s, match, loc.end, s.length, MAX_TOKENS, head.tokens) : null;
  const tokens = head.tokens;
  const stray = head.strayParens + (tail?.strayParens ?? 0);
  if (stray > 0) w.add(`unbalanced parentheses: ${stray} stray "(" or ")" ignored`);
  if (head.truncated || tail?.truncated) w.add(`header has more than ${MAX_TOKENS} words; the rest was not read`);

  const facts = emptyFacts();
  const values = new Map<Clause, Token[]>();
  const unread: Token[] = [];
  let clause: Clause | null = null;
  let ignoring = false; // inside a repeated clause
  let tlsCipherNext = false;

  const leading = tokens[0];
  if (leading && leading.kind === 'comment' && LEADING_FROM.test(leading.text.slice(0, 10))) {
    // NAVGW and others: (from HELO [IP]) by …
    const inner = tokenize(s, match, leading.start + 1, leading.end - 1).tokens;
    values.set('from', inner.slice(1));
  }

  // indimail-mta, a qmail descendant, names its queue and host in words of its own:
  // `indimail-mta queue 41791 by host email.example.jp (invoked by alias); date`.
  let k0 = 0;
  const word = (i: number): string => (tokens[i]?.kind === 'word' ? tokens[i]!.text.toLowerCase() : '');
  if (MTA_QUEUE.test(word(0)) && word(1) === 'queue' && /^\d{1,20}$/.test(word(2)) && word(3) === 'by' && word(4) === 'host' && word(5) !== '') {
    values.set('id', [tokens[2]!]);
    values.set('by', [tokens[5]!]);
    k0 = 6;
  }

  for (let k = k0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind === 'comment') {
      readComment(t.text, facts);
      if (clause === 'from' && !ignoring) values.get('from')!.push(t);
      else if (clause === 'with' || clause === 'via') {
        if ((values.get(clause)?.length ?? 0) > 0) clause = null; // a comment ends a multi-word value
      }
      continue;
    }
    if (t.kind === 'semi') {
      clause = null;
      continue;
    }
    if (t.kind === 'comma') {
      if (clause !== 'from') clause = null;
      continue;
    }
    if (tlsCipherNext) {
      tlsCipherNext = false;
      facts.tls = { version: facts.tls?.version ?? null, cipher: t.text, bits: facts.tls?.bits ?? null };
      continue;
    }
    const next = tokens[k + 1];
    let kw = keywordOf(t);
    // Haraka: … id X envelope-from <sender> (no parentheses)
    if (t.kind === 'word' && (t.text.length === 13 || t.text.length === 15) && ENVELOPE_WORD.test(t.text) && next?.kind === 'word') kw = 'envfrom';
    // XMail: … for <rcpt> from <sender>: a second `from` naming an address is the envelope sender.
    if (kw === 'from' && values.has('by') && (next?.text.startsWith('<') ?? false)) kw = 'envfrom';
    if (kw) {
      ignoring = values.has(kw);
      if (ignoring) w.add(`repeated "${kw}" clause; the first one was kept`);
      else values.set(kw, []);
      clause = kw;
      continue;
    }
    if (t.kind === 'word' && t.text.length === 3 && TLS_WORD.test(t.text) && clause !== 'from' && next?.kind === 'word' && CIPHER.test(next.text)) {
      tlsCipherNext = true; // Exim 4.9x: with esmtps (TLS1.3) tls TLS_AES_256_GCM_SHA384
      clause = null;
      continue;
    }
    if (t.kind === 'word' && t.text.length === 4 && OVER.test(t.text) && TLS_WORD.test(next?.text ?? '') && SECURED.test(tokens[k + 2]?.text ?? '')) {
      // Microsoft SMTPSVC: … by HOST over TLS secured channel with Microsoft SMTPSVC(…)
      facts.tls = facts.tls ?? { version: null, cipher: null, bits: null };
      k += CHANNEL.test(tokens[k + 3]?.text ?? '') ? 3 : 2;
      continue;
    }
    const list = clause && !ignoring ? values.get(clause) : undefined;
    if (!clause) {
      unread.push(t);
    } else if (ignoring) {
      // Repeated clause (MHA: "by me by you"): the value is dropped, the warning says so.
    } else if (clause === 'from' || clause === 'with' || clause === 'via') {
      list!.push(t);
    } else if (list!.length === 0) {
      list!.push(t); // by, id, for, envfrom take one value
    } else if (clause === 'for' && list!.length < MAX_FOR_WORDS && angleBalance(list!.map((x) => x.text).join(' ')) > 0) {
      list!.push(t); // for <"a@b" <a@b>>
    } else {
      unread.push(t);
    }
  }

  const first = (c: Clause): string | null => {
    const v = values.get(c)?.find((t) => t.kind === 'word' || t.kind === 'literal');
    return v ? v.text : null;
  };
  const words = (c: Clause): string | null => {
    const list = values.get(c)?.filter((t) => t.kind === 'word' || t.kind === 'literal') ?? [];
    if (list.length === 0) return null;
    const joined = list.map((t) => t.text).join(' ');
    return list.length === 1 && joined.startsWith('[') && joined.endsWith(']') ? joined.slice(1, -1) : joined;
  };

  const withValue = words('with');
  const viaValue = words('via');
  const withSpace = withValue === null ? -1 : withValue.indexOf(' ');
  const withWord = withValue === null ? '' : withSpace < 0 ? withValue : withValue.slice(0, withSpace);
  const http = facts.http || HTTP_PROTOCOL.test(withWord) || HTTP_PROTOCOL.test(viaValue ?? '');
  const microsoft = MICROSOFT.test(withValue ?? '');
  const from = values.has('from')
    ? readFromClause(s, match, values.get('from')!, { exim: facts.exim, microsoft, http })
    : null;
  for (const msg of from?.warnings ?? []) w.add(msg);
  for (const t of from?.unread ?? []) unread.push(t); // no spread: hostile input can hold 1e5+ words

  const authByProtocol = AUTH_PROTOCOL.test(withWord);
  let tls = facts.tls;
  if (tls === null && TLS_PROTOCOL.test(withWord)) tls = { version: null, cipher: null, bits: null };
  const id = first('id');
  const forTokens = values.get('for')?.filter((t) => t.kind === 'word' || t.kind === 'literal') ?? [];
  const forValue = forTokens.length === 0 ? null : forTokens.map((t) => t.text).join(' ');
  const envfrom = first('envfrom');
  const helo = from?.helo ?? null;
  const rdns = from?.rdns ?? null;

  if (!values.has('by') && !facts.qmail) w.add('no "by" clause: the receiving host is not named');
  if (unread.length > 0) {
    unread.sort((a, b) => a.start - b.start);
    w.add(`unread text: "${brief(unread.slice(0, 20).map((t) => t.text.slice(0, 80)).join(' '))}"`);
  }
  let date: string | null = null;
  let dateOffset: string | null = null;
  let dateRaw: string | null = null;
  if (loc) {
    date = loc.date;
    dateOffset = loc.offset;
    dateRaw = loc.raw;
    for (const msg of loc.warnings) w.add(msg);
  } else {
    w.add('no date found');
  }

  return {
    helo,
    rdns,
    fromHost: rdns ?? helo,
    fromIp: from?.ip ?? null,
    fromPort: from?.port ?? null,
    ident: from?.ident ?? null,
    byHost: first('by'),
    via: viaValue,
    with: withValue,
    id: id === null ? null : stripAngles(id),
    for: forValue === null ? null : addressOf(forValue),
    envelopeFrom: facts.envelopeFrom ?? (envfrom === null ? null : stripAngles(envfrom)),
    tls,
    authenticatedAs: facts.authenticatedAs ?? (authByProtocol ? withWord : null),
    authenticated: facts.authenticated || authByProtocol,
    date,
    dateOffset,
    dateRaw,
    warnings: w.list,
  };
}
